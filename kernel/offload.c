// SPDX-License-Identifier: GPL-2.0
/*
 * Offloads: counting a GSO packet as the segments the wire carries, and GRO
 * for UDP-encapsulated sessions.  Documentation/architecture.rst,
 * "Offloads", says which packets go down whole and which ol2tp segments.
 */

#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ipv6.h>
#include <net/gro.h>
#include <net/sock.h>

#include "offload.h"
#include "session.h"
#include "compat.h"

/*
 * Offset in @skb of the network header of the Ethernet frame at @off, past
 * any 802.1Q/802.1ad tags, with its EtherType in @proto; 0 if truncated.
 */
static unsigned int ol2tp_frame_l3(const struct sk_buff *skb,
				   unsigned int off, __be16 *proto)
{
	__be16 _p, *p;

	off += ETH_HLEN - sizeof(_p);
	for (;;) {
		p = skb_header_pointer(skb, off, sizeof(_p), &_p);
		if (!p)
			return 0;
		off += sizeof(_p);
		if (*p != htons(ETH_P_8021Q) && *p != htons(ETH_P_8021AD))
			break;
		off += VLAN_HLEN - sizeof(_p);
	}
	*proto = *p;
	return off;
}

/*
 * Bytes of each segment's headers: the frame's Ethernet (and VLAN) header,
 * IPv4 or IPv6 and TCP or UDP, read from @skb->data on; 0 if unknown.
 */
static unsigned int ol2tp_gso_hdrs(const struct sk_buff *skb)
{
	unsigned int off;
	__be16 proto;
	u8 _b, *b;

	off = ol2tp_frame_l3(skb, 0, &proto);
	if (!off)
		return 0;
	if (proto == htons(ETH_P_IP)) {
		b = skb_header_pointer(skb, off, sizeof(_b), &_b);
		if (!b)
			return 0;
		off += (*b & 0x0f) * 4;
	} else if (proto == htons(ETH_P_IPV6)) {
		off += sizeof(struct ipv6hdr);
	} else {
		return 0;
	}
	if (skb_shinfo(skb)->gso_type & SKB_GSO_UDP_L4)
		return off + sizeof(struct udphdr);
	if (!(skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)))
		return 0;
	/* The TCP data offset, in 32-bit words, is the high nibble of byte 12. */
	b = skb_header_pointer(skb, off + 12, sizeof(_b), &_b);
	if (!b)
		return 0;
	return off + (*b >> 4) * 4;
}

void ol2tp_gso_wire(const struct sk_buff *skb, unsigned int l2tp_hlen,
		    unsigned int *pkts, unsigned int *bytes)
{
	unsigned int gso_size = skb_shinfo(skb)->gso_size;
	unsigned int hdrs = ol2tp_gso_hdrs(skb);
	unsigned int segs = 1;

	if (hdrs && gso_size && skb->len > hdrs)
		segs = DIV_ROUND_UP(skb->len - hdrs, gso_size);
	else
		hdrs = 0;
	*pkts = segs;
	*bytes = skb->len + segs * l2tp_hlen + (segs - 1) * hdrs;
}

/*
 * GRO for L2TPv3 over UDP: consecutive data packets of one Ethernet
 * pseudowire session (same session id, cookie and sublayer) are merged, so
 * that the session and the inner stack see one packet per train.  Packets
 * with a sequence number, of a sequencing session, of L2TPv2 or of any
 * other pseudowire are left alone.  @skb's GRO offset is at the L2TP
 * header (UDP pulled).  RCU held.
 */

/* The Ethernet pseudowire session of L2TPv3 data header @h, if any. */
static struct ol2tp_session *ol2tp_gro_session(struct ol2tp_tunnel *t,
					       const u8 *h)
{
	struct ol2tp_session *s;
	u16 flags = get_unaligned_be16(h);

	if (t->version != 3 || (flags & OL2TP_HDRFLAG_T) ||
	    (flags & OL2TP_HDR_VER_MASK) != 3)
		return NULL;
	s = ol2tp_session_lookup_rcu(t, get_unaligned_be32(h + OL2TP_V3_UDP_HLEN));
	if (!s || s->pw_type != OL2TP_PWTYPE_ETH)
		return NULL;
	return s;
}

/* Bytes of L2TP header in front of @s's frames. */
static unsigned int ol2tp_gro_hlen(const struct ol2tp_session *s)
{
	return OL2TP_V3_UDP_DATA_HLEN + s->peer_cookie_len + s->l2spec_len;
}

struct sk_buff *ol2tp_udp_gro_receive(struct sock *sk, struct list_head *head,
				      struct sk_buff *skb)
{
	struct ol2tp_tunnel *t = rcu_dereference_sk_user_data(sk);
	unsigned int off = skb_gro_offset(skb), hlen;
	struct sk_buff *pp = NULL, *p;
	struct ol2tp_session *s;
	int flush = 1, outer_nh;
	const u8 *h;

	if (!t)
		goto out;
	h = skb_gro_header(skb, off + OL2TP_V3_UDP_DATA_HLEN, off);
	if (!h)
		goto out;
	s = ol2tp_gro_session(t, h);
	if (!s || READ_ONCE(s->recv_seq))
		goto out;
	hlen = ol2tp_gro_hlen(s);
	h = skb_gro_header(skb, off + hlen, off);
	if (!h)
		goto out;
	/* A wrong cookie is dropped and counted on the way up, not merged. */
	if (memcmp(h + OL2TP_V3_UDP_DATA_HLEN, s->peer_cookie,
		   s->peer_cookie_len))
		goto out;
	if (s->l2spec_len &&
	    (get_unaligned_be32(h + hlen - s->l2spec_len) & OL2TP_SUBLAYER_S))
		goto out;

	list_for_each_entry(p, head, list) {
		if (!NAPI_GRO_CB(p)->same_flow)
			continue;
		if (memcmp(p->data + off, h, hlen))
			NAPI_GRO_CB(p)->same_flow = 0;
	}
	skb_gro_pull(skb, hlen);
	skb_gro_postpull_rcsum(skb, h, hlen);
	outer_nh = skb_network_offset(skb);
	pp = call_gro_receive(eth_gro_receive, head, skb);
	if (OL2TP_GRO_NH_FIXUP)
		skb_set_network_header(skb, outer_nh);
	flush = 0;
out:
	skb_gro_flush_final(skb, pp, flush);
	return pp;
}

int ol2tp_udp_gro_complete(struct sock *sk, struct sk_buff *skb, int nhoff)
{
	struct ol2tp_tunnel *t = rcu_dereference_sk_user_data(sk);
	unsigned int frame, nh;
	struct ol2tp_session *s;
	__be16 proto;

	/* The headers were pulled in by gro_receive. */
	if (!t || skb_headlen(skb) < nhoff + OL2TP_V3_UDP_DATA_HLEN)
		return -EINVAL;
	/* The session went away since: the packet is dropped. */
	s = ol2tp_gro_session(t, skb->data + nhoff);
	if (!s)
		return -EINVAL;
	frame = nhoff + ol2tp_gro_hlen(s);
	if (OL2TP_GRO_NH_FIXUP) {
		nh = ol2tp_frame_l3(skb, frame, &proto);
		if (!nh)
			return -EINVAL;
		skb_set_network_header(skb, nh);
	}
	return eth_gro_complete(skb, frame);
}
