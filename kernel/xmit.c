// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: the L2TP header, the route towards the peer (a per-CPU cache
 * keyed by the socket's flow) and the outer headers, without a lock and
 * without writing to the socket.  Documentation/architecture.rst, "Fast
 * paths", says why and how the cache stays fresh.
 */

#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include <linux/if_arp.h>
#include <linux/etherdevice.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ip6_route.h>
#include <net/route.h>
#include <net/dst_cache.h>
#include <net/inet_sock.h>
#include <net/udp.h>
#include <net/xfrm.h>
#include <net/ip_tunnels.h>

#include "ol2tp.h"
#include "xmit.h"
#include "tunnel.h"
#include "offload.h"
#include "compat.h"

/*
 * The sequence number of the next data packet sent on @session, in the
 * number space @mask (0xffff for v2, 24 bits for v3): a wrapping 32-bit
 * counter taken atomically, so concurrent transmits never share a number.
 */
static u32 ol2tp_seq_next_ns(struct ol2tp_session *session, u32 mask)
{
	return (u32)atomic_fetch_inc(&session->ns) & mask;
}

/* What the route of the tunnel's next packet depends on, from its socket. */
static void ol2tp_tx_key_fill(const struct ol2tp_tunnel *t,
			      struct ol2tp_tx_key *k)
{
	struct sock *sk = t->sk;
	const struct inet_sock *inet = inet_sk(sk);

	memset(k, 0, sizeof(*k));
#if IS_ENABLED(CONFIG_IPV6)
	if (ol2tp_tunnel_is_ipv6(t)) {
		const struct ipv6_pinfo *np = inet6_sk(sk);

		k->ipv6 = true;
		k->saddr = np->saddr;
		k->daddr = sk->sk_v6_daddr;
		k->tos = READ_ONCE(np->tclass);
	} else
#endif
	{
		k->saddr.s6_addr32[3] = READ_ONCE(inet->inet_saddr);
		k->daddr.s6_addr32[3] = READ_ONCE(inet->inet_daddr);
		k->tos = ip_sock_rt_tos(sk);
	}
	k->sport = READ_ONCE(inet->inet_sport);
	k->dport = READ_ONCE(inet->inet_dport);
	k->oif = READ_ONCE(sk->sk_bound_dev_if);
	k->mark = READ_ONCE(sk->sk_mark);
#ifdef CONFIG_XFRM
	k->policy = rcu_access_pointer(sk->sk_policy[XFRM_POLICY_OUT]);
#endif
}

/* Whether this CPU's cached route was looked up for @k.  BH disabled. */
static bool ol2tp_tx_key_cached(struct ol2tp_tunnel *t,
				const struct ol2tp_tx_key *k)
{
	return !memcmp(this_cpu_ptr(t->tx_key), k, sizeof(*k));
}

static void ol2tp_tx_key_store(struct ol2tp_tunnel *t,
			       const struct ol2tp_tx_key *k)
{
	*this_cpu_ptr(t->tx_key) = *k;
}

/*
 * Whether IP may fragment the tunnel's packets: yes unless its socket's
 * path MTU discovery is "do" or "probe" (IP_MTU_DISCOVER, IPV6_MTU_DISCOVER).
 */
static bool ol2tp_tx_ignore_df(const struct ol2tp_tunnel *t)
{
#if IS_ENABLED(CONFIG_IPV6)
	if (ol2tp_tunnel_is_ipv6(t)) {
		u8 pmtudisc = inet6_sk(t->sk)->pmtudisc;

		return pmtudisc < IPV6_PMTUDISC_DO ||
		       pmtudisc == IPV6_PMTUDISC_OMIT;
	}
#endif
	return ip_sk_ignore_df(t->sk);
}

/*
 * The route for @k, this CPU's cached one or a new lookup, which is cached;
 * its source address in @saddr.  BH disabled.
 */
static struct rtable *ol2tp_tx_route4(struct ol2tp_tunnel *t,
				      const struct ol2tp_tx_key *k,
				      __be32 *saddr)
{
	struct flowi4 fl4;
	struct rtable *rt;

	if (ol2tp_tx_key_cached(t, k)) {
		rt = dst_cache_get_ip4(&t->dst_cache, saddr);
		if (rt)
			return rt;
	}
	rt = ip_route_output_ports(t->net, &fl4, t->sk, k->daddr.s6_addr32[3],
				   k->saddr.s6_addr32[3], k->dport, k->sport,
				   t->encap_ops->ipproto, k->tos, k->oif);
	if (IS_ERR(rt))
		return rt;
	*saddr = fl4.saddr;
	dst_cache_set_ip4(&t->dst_cache, &rt->dst, *saddr);
	ol2tp_tx_key_store(t, k);
	return rt;
}

/*
 * Route @skb (L2TP header pushed), add UDP and IP headers and send it.
 * Consumes @skb; returns ip_local_out()'s verdict or a routing error.
 */
static int ol2tp_tx_ip4(struct ol2tp_tunnel *t, struct sk_buff *skb,
			const struct ol2tp_tx_key *k)
{
	struct sock *sk = t->sk;
	struct rtable *rt;
	struct iphdr *iph;
	__be32 saddr;
	int ttl;

	rt = ol2tp_tx_route4(t, k, &saddr);
	if (IS_ERR(rt)) {
		kfree_skb(skb);
		return PTR_ERR(rt);
	}

	if (t->encap_ops->push)
		t->encap_ops->push(t, skb, k, &saddr, NULL);

	skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) >> 2;
	iph->tos = READ_ONCE(inet_sk(sk)->tos);
	iph->frag_off = !skb->ignore_df && ip_dont_fragment(sk, &rt->dst) ?
			htons(IP_DF) : 0;
	ttl = READ_ONCE(inet_sk(sk)->uc_ttl);
	iph->ttl = ttl < 0 ? ip4_dst_hoplimit(&rt->dst) : ttl;
	iph->protocol = t->encap_ops->ipproto;
	iph->saddr = saddr;
	iph->daddr = k->daddr.s6_addr32[3];
	iph->check = 0;
	skb->protocol = htons(ETH_P_IP);
	skb_dst_set(skb, &rt->dst);
	/* With or without DF, the id comes from the hashed generator. */
	ip_select_ident_segs(t->net, skb, NULL,
			     skb_shinfo(skb)->gso_segs ?: 1);
	return ip_local_out(t->net, sk, skb);
}

#if IS_ENABLED(CONFIG_IPV6)
/* The IPv6 flow of the tunnel's packets for @k. */
static void ol2tp_tx_flow6(const struct ol2tp_tunnel *t,
			   const struct ol2tp_tx_key *k, struct flowi6 *fl6)
{
	memset(fl6, 0, sizeof(*fl6));
	fl6->flowi6_proto = t->encap_ops->ipproto;
	fl6->flowi6_oif = k->oif;
	fl6->flowi6_mark = k->mark;
	fl6->flowi6_uid = sock_net_uid(t->net, t->sk);
	fl6->daddr = k->daddr;
	fl6->saddr = k->saddr;
	fl6->fl6_sport = k->sport;
	fl6->fl6_dport = k->dport;
}

/* As ol2tp_tx_route4(), over IPv6 for flow @fl6.  BH disabled. */
static struct dst_entry *ol2tp_tx_route6(struct ol2tp_tunnel *t,
					 const struct ol2tp_tx_key *k,
					 struct flowi6 *fl6,
					 struct in6_addr *saddr)
{
	struct dst_entry *dst;

	if (ol2tp_tx_key_cached(t, k)) {
		dst = dst_cache_get_ip6(&t->dst_cache, saddr);
		if (dst)
			return dst;
	}
	security_sk_classify_flow(t->sk, flowi6_to_flowi_common(fl6));
	dst = ip6_dst_lookup_flow(t->net, t->sk, fl6, NULL);
	if (IS_ERR(dst))
		return dst;
	*saddr = fl6->saddr;
	dst_cache_set_ip6(&t->dst_cache, dst, saddr);
	ol2tp_tx_key_store(t, k);
	return dst;
}

static int ol2tp_tx_ip6(struct ol2tp_tunnel *t, struct sk_buff *skb,
			const struct ol2tp_tx_key *k)
{
	struct sock *sk = t->sk;
	u8 proto = t->encap_ops->ipproto;
	struct dst_entry *dst;
	struct in6_addr saddr;
	struct ipv6hdr *ip6h;
	struct flowi6 fl6;

	ol2tp_tx_flow6(t, k, &fl6);
	dst = ol2tp_tx_route6(t, k, &fl6, &saddr);
	if (IS_ERR(dst)) {
		kfree_skb(skb);
		return PTR_ERR(dst);
	}

	if (t->encap_ops->push)
		t->encap_ops->push(t, skb, k, NULL, &saddr);

	skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6h = ipv6_hdr(skb);
	ip6_flow_hdr(ip6h, k->tos,
		     ip6_make_flowlabel(t->net, skb, 0,
					ip6_default_np_autolabel(t->net),
					&fl6));
	ip6h->nexthdr = proto;
	ip6h->hop_limit = ip6_sk_dst_hoplimit(inet6_sk(sk), &fl6, dst);
	ip6h->saddr = saddr;
	ip6h->daddr = k->daddr;
	skb->protocol = htons(ETH_P_IPV6);
	skb_dst_set(skb, dst);
	return ip6_local_out(t->net, sk, skb);
}
#endif

/*
 * Write the @hdr_len bytes of L2TP header of @s at @p; @seq: with the next
 * sequence number (v2 Ns, v3 sublayer S and Ns).
 */
static void ol2tp_build_header(struct ol2tp_session *s, u8 *p,
			       unsigned int hdr_len, bool seq)
{
	struct ol2tp_tunnel *t = s->tunnel;

	if (t->version == 2) {
		put_unaligned_be16(2 | (seq ? OL2TP_HDRFLAG_S : 0), p);
		p += OL2TP_FLAGS_LEN;
		put_unaligned_be16(t->peer_tunnel_id, p);
		put_unaligned_be16(s->peer_session_id, p + OL2TP_V2_ID_LEN);
		if (seq) {
			p += 2 * OL2TP_V2_ID_LEN;
			put_unaligned_be16(ol2tp_seq_next_ns(s, OL2TP_SEQNUM_MASK_V2),
					   p);
			put_unaligned_be16(0, p + OL2TP_V2_NS_LEN);
		}
		return;
	}
	if (t->encap_ops->v3_hdr_len) {
		put_unaligned_be16(3, p);
		put_unaligned_be16(0, p + OL2TP_FLAGS_LEN);
		p += t->encap_ops->v3_hdr_len;
	}
	put_unaligned_be32(s->peer_session_id, p);
	p += 4;
	memcpy(p, s->cookie, s->cookie_len);
	p += s->cookie_len;
	if (s->l2spec_len)
		put_unaligned_be32(seq ? OL2TP_SUBLAYER_S |
				   ol2tp_seq_next_ns(s, OL2TP_SUBLAYER_NS_MASK) :
				   0, p);
}

/*
 * Encapsulate and send one packet of @session, or a GSO packet whose
 * segments share one L2TP header (@gso_type: the encapsulation's tunnel GSO
 * type, 0 otherwise).  Consumes @skb; counts in the session's stats.
 */
static int ol2tp_xmit_one(struct ol2tp_session *session, struct sk_buff *skb,
			  unsigned int hdr_len, bool seq, int gso_type)
{
	unsigned int pkts = 1, bytes = skb->len + hdr_len;
	struct ol2tp_tunnel *t = session->tunnel;
	struct sock *sk = t->sk;
	struct ol2tp_tx_key key;
	int ret;

	if (gso_type)
		ol2tp_gso_wire(skb, hdr_len, &pkts, &bytes);
	if (skb_cow_head(skb, ol2tp_tx_headroom(hdr_len)))
		goto drop;
	/* The frame's headers become the inner ones segmentation copies. */
	if (gso_type)
		skb_set_inner_protocol(skb, htons(ETH_P_TEB));
	if (iptunnel_handle_offloads(skb, gso_type))
		goto drop;

	skb_dst_drop(skb);
	nf_reset_ct(skb);
	memset(skb->cb, 0, sizeof(skb->cb));
	skb->mark = READ_ONCE(sk->sk_mark);
	skb->priority = READ_ONCE(sk->sk_priority);

	ol2tp_build_header(session, skb_push(skb, hdr_len), hdr_len, seq);

	/* The per-CPU route cache and its key want this CPU to ourselves. */
	local_bh_disable();
	ol2tp_tx_key_fill(t, &key);
#if IS_ENABLED(CONFIG_IPV6)
	if (key.ipv6)
		ret = ol2tp_tx_ip6(t, skb, &key);
	else
#endif
		ret = ol2tp_tx_ip4(t, skb, &key);
	local_bh_enable();
	/* Consumed either way; no route counts as an error too. */
	if (net_xmit_eval(ret) == 0) {
		ol2tp_stat_add(session->stats, tx_packets, pkts);
		ol2tp_stat_add(session->stats, tx_bytes, bytes);
		return NET_XMIT_SUCCESS;
	}
	ol2tp_stat_add(session->stats, tx_errors, pkts);
	return NET_XMIT_DROP;

drop:
	kfree_skb(skb);
	ol2tp_stat_add(session->stats, tx_errors, pkts);
	return NET_XMIT_DROP;
}

/*
 * With DF kept, a frame whose IP packet exceeds the path to the peer does
 * not go (IP refuses it).  As VXLAN does, lower the path MTU of the frame's
 * own route, so that a local sender learns it; on a bridged pseudowire,
 * answer the frame's sender with ICMP "fragmentation needed" or ICMPv6
 * "packet too big", received on the pseudowire.  True if @skb was consumed.
 */
static bool ol2tp_tx_too_big(struct ol2tp_tunnel *t, struct sk_buff *skb,
			     unsigned int hdr_len)
{
	struct net_device *dev = skb->dev;
	unsigned int iph_len = sizeof(struct iphdr);
	struct ol2tp_tx_key key;
	struct dst_entry *dst;
	bool reply;
	int ret;

	if (skb->protocol != htons(ETH_P_IP) &&
	    skb->protocol != htons(ETH_P_IPV6))
		return false;
	reply = dev && dev->type == ARPHRD_ETHER && netif_is_any_bridge_port(dev);

	local_bh_disable();
	ol2tp_tx_key_fill(t, &key);
#if IS_ENABLED(CONFIG_IPV6)
	if (key.ipv6) {
		struct in6_addr saddr;
		struct flowi6 fl6;

		ol2tp_tx_flow6(t, &key, &fl6);
		dst = ol2tp_tx_route6(t, &key, &fl6, &saddr);
		iph_len = sizeof(struct ipv6hdr);
	} else
#endif
	{
		struct rtable *rt;
		__be32 saddr;

		rt = ol2tp_tx_route4(t, &key, &saddr);
		dst = IS_ERR(rt) ? ERR_CAST(rt) : &rt->dst;
	}
	local_bh_enable();
	/* No route: the send reports it. */
	if (IS_ERR(dst))
		return false;
	ret = skb_tunnel_check_pmtu(skb, dst, iph_len + t->encap_ops->hdr_len +
				    hdr_len + skb_network_offset(skb), reply);
	dst_release(dst);
	if (!ret)
		return false;
	if (ret < 0) {
		kfree_skb(skb);
		return true;
	}
	skb->protocol = eth_type_trans(skb, dev);
	netif_rx(skb);
	return true;
}

/*
 * Segment @skb, a GSO packet that cannot go down whole, and send each
 * segment with its own header.  Inner checksums stay for the device.
 */
static int ol2tp_xmit_segs(struct ol2tp_session *session, struct sk_buff *skb,
			   unsigned int hdr_len, bool seq)
{
	struct sk_buff *segs, *seg, *next;
	int ret = NET_XMIT_SUCCESS;

	segs = skb_gso_segment(skb, NETIF_F_SG | NETIF_F_HW_CSUM);
	if (IS_ERR_OR_NULL(segs)) {
		kfree_skb(skb);
		ol2tp_stat_add(session->stats, tx_errors, 1);
		return NET_XMIT_DROP;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		if (ol2tp_xmit_one(session, seg, hdr_len, seq, 0) !=
		    NET_XMIT_SUCCESS)
			ret = NET_XMIT_DROP;
	}
	return ret;
}

/*
 * Whether GSO packet @skb can go down whole as a tunnel GSO packet: its
 * L2TP header has no per-packet field, it is not itself a tunnel packet and
 * the outer IP length field holds it.
 */
static int ol2tp_xmit_gso_type(struct ol2tp_tunnel *t, struct sk_buff *skb,
			       unsigned int hdr_len, bool seq)
{
	if (seq || !t->encap_ops->gso_type || skb->encapsulation)
		return 0;
	if (skb->len + hdr_len + sizeof(struct udphdr) +
	    sizeof(struct ipv6hdr) > IP_MAX_MTU)
		return 0;
	return t->encap_ops->gso_type(t);
}

int ol2tp_xmit_skb(struct ol2tp_session *session, struct sk_buff *skb)
{
	unsigned int hdr_len = READ_ONCE(session->hdr_len);
	struct ol2tp_tunnel *t = session->tunnel;
	int gso_type;
	bool seq;

	/* pktgen (clone_skb) and IFF_TX_SKB_SHARING hand us shared skbs. */
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb))
		goto err;
	if (unlikely(test_bit(OL2TP_TUNNEL_DEAD, &t->flags)))
		goto drop;
	/* A managed tunnel's socket not (or no longer) connected: no peer. */
	if (unlikely(READ_ONCE(t->sk->sk_state) != TCP_ESTABLISHED))
		goto drop;
	/*
	 * Let IP fragment what exceeds the path MTU, so that L2 frames pass,
	 * unless the tunnel socket asks for DF (IP_MTU_DISCOVER "do").  Read
	 * once: segments copy the flag with the other headers.
	 */
	skb->ignore_df = ol2tp_tx_ignore_df(t);
	if (unlikely(!skb->ignore_df) && ol2tp_tx_too_big(t, skb, hdr_len))
		goto err;

	/* v2's header length says whether it carries Ns (seq.c sets both). */
	if (t->version == 2)
		seq = hdr_len > OL2TP_V2_DATA_HLEN;
	else
		seq = session->l2spec_len && READ_ONCE(session->send_seq);
	if (!skb_is_gso(skb))
		return ol2tp_xmit_one(session, skb, hdr_len, seq, 0);
	gso_type = ol2tp_xmit_gso_type(t, skb, hdr_len, seq);
	if (gso_type)
		return ol2tp_xmit_one(session, skb, hdr_len, seq, gso_type);
	return ol2tp_xmit_segs(session, skb, hdr_len, seq);

drop:
	kfree_skb(skb);
err:
	ol2tp_stat_add(session->stats, tx_errors, 1);
	return NET_XMIT_DROP;
}
EXPORT_SYMBOL_GPL(ol2tp_xmit_skb);
