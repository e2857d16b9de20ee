// SPDX-License-Identifier: GPL-2.0
/*
 * L2TP over UDP (RFC 3931 section 4.1.2.2, RFC 2661 section 8.1): the
 * tunnel socket of an unmanaged tunnel, taking over a managed tunnel's
 * socket (encapsulation type UDP_ENCAP_L2TPINUDP), receive demultiplexing
 * (control messages stay on the socket, data goes to sessions) and the UDP
 * header on transmit.
 */

#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>
#include <net/ip_tunnels.h>
#include <net/ip6_checksum.h>
#include <net/inet_sock.h>
#include <net/inet6_connection_sock.h>
#include <net/ip.h>

#include "udp.h"
#include "rx.h"
#include "session.h"
#include "xmit.h"
#include "offload.h"
#include "compat.h"

/*
 * A data message of tunnel @t, @skb->data at the L2TP header (UDP header
 * pulled, control messages already left to the socket): parse the v3 or v2
 * header, find the session in the tunnel, hand the packet on.  Consumes
 * @skb, returns 0.  RCU held.
 */
static int ol2tp_udp_recv(struct ol2tp_tunnel *t, struct sk_buff *skb)
{
	unsigned int hlen, nsoff = 0, length = skb->len;
	struct ol2tp_session *s;
	u32 session_id, ns = 0;
	u16 flags;

	if (!pskb_may_pull(skb, OL2TP_FLAGS_LEN))
		goto invalid;
	flags = get_unaligned_be16(skb->data);
	/* Control messages were left to the socket before UDP was pulled. */
	if (flags & OL2TP_HDRFLAG_T)
		goto invalid;
	if ((flags & OL2TP_HDR_VER_MASK) != t->version)
		goto invalid;

	if (t->version == 3) {
		hlen = OL2TP_V3_UDP_DATA_HLEN;
		if (!pskb_may_pull(skb, hlen))
			goto invalid;
		session_id = get_unaligned_be32(skb->data + OL2TP_V3_UDP_HLEN);
	} else {
		/* Length, Ns/Nr and Offset are optional. */
		hlen = OL2TP_FLAGS_LEN;
		if (flags & OL2TP_HDRFLAG_L)
			hlen += OL2TP_V2_LENGTH_LEN;
		if (!pskb_may_pull(skb, hlen + 2 * OL2TP_V2_ID_LEN))
			goto invalid;
		if (get_unaligned_be16(skb->data + hlen) != t->tunnel_id)
			goto invalid;
		session_id = get_unaligned_be16(skb->data + hlen +
						OL2TP_V2_ID_LEN);
		hlen += 2 * OL2TP_V2_ID_LEN;
		if (flags & OL2TP_HDRFLAG_S) {
			nsoff = hlen;
			hlen += OL2TP_V2_SEQ_LEN;
		}
		if (flags & OL2TP_HDRFLAG_O) {
			if (!pskb_may_pull(skb, hlen + OL2TP_V2_OFFSET_LEN))
				goto invalid;
			hlen += OL2TP_V2_OFFSET_LEN +
				get_unaligned_be16(skb->data + hlen);
		}
		if (!pskb_may_pull(skb, hlen))
			goto invalid;
		/* Length counts the whole message, header included. */
		if ((flags & OL2TP_HDRFLAG_L) &&
		    (get_unaligned_be16(skb->data + OL2TP_FLAGS_LEN) < hlen ||
		     get_unaligned_be16(skb->data + OL2TP_FLAGS_LEN) > skb->len))
			goto invalid;
	}

	s = ol2tp_session_lookup_rcu(t, session_id);
	if (!s) {
		ol2tp_stat_add(t->stats, rx_errors, 1);
		kfree_skb(skb);
		return 0;
	}
	if (nsoff)
		ns = get_unaligned_be16(skb->data + nsoff);
	skb_pull_rcsum(skb, hlen);
	if (t->version == 3)
		ol2tp_recv_session(s, skb, hlen);
	else
		ol2tp_seq_recv(s, skb, nsoff, ns, length);
	return 0;

invalid:
	ol2tp_stat_add(t->stats, rx_invalid, 1);
	ol2tp_stat_add(t->stats, rx_errors, 1);
	kfree_skb(skb);
	return 0;
}

/*
 * encap_rcv: @skb->data at the UDP header, its checksum and the socket's
 * IPsec policy checked by UDP.  Returning > 0 makes UDP queue the packet
 * to the socket (control messages, for the daemon); 0: we consumed it.
 */
static int ol2tp_udp_encap_recv(struct sock *sk, struct sk_buff *skb)
{
	struct ol2tp_tunnel *t = rcu_dereference_sk_user_data(sk);

	if (!t)
		return 1;
	if (!pskb_may_pull(skb, sizeof(struct udphdr) + OL2TP_FLAGS_LEN)) {
		ol2tp_stat_add(t->stats, rx_invalid, 1);
		ol2tp_stat_add(t->stats, rx_errors, 1);
		kfree_skb(skb);
		return 0;
	}
	if (get_unaligned_be16(skb->data + sizeof(struct udphdr)) &
	    OL2TP_HDRFLAG_T)
		return 1;

	/* A GSO packet from this host: what is inside segments on its own. */
	if (skb_is_gso(skb) && iptunnel_pull_offloads(skb)) {
		ol2tp_stat_add(t->stats, rx_errors, 1);
		kfree_skb(skb);
		return 0;
	}
	skb_pull_rcsum(skb, sizeof(struct udphdr));
	return ol2tp_udp_recv(t, skb);
}

static void ol2tp_udp_encap_destroy(struct sock *sk)
{
	ol2tp_tunnel_sock_closing(sk);
}

static int ol2tp_udp_sock_check(struct sock *sk,
				struct netlink_ext_ack *extack)
{
	if (sk->sk_protocol != IPPROTO_UDP) {
		NL_SET_ERR_MSG(extack,
			       "ENCAP_TYPE is UDP but FD is not a UDP socket");
		return -EPROTONOSUPPORT;
	}
	return 0;
}

static int ol2tp_udp_sock_create(struct net *net,
				 const struct ol2tp_tunnel_cfg *cfg,
				 u32 tunnel_id, struct socket **sockp,
				 struct netlink_ext_ack *extack)
{
	struct udp_port_cfg ucfg = {};
	int err;

	if (!cfg->dport) {
		NL_SET_ERR_MSG(extack, "UDP_DPORT is required");
		return -EINVAL;
	}
	if (cfg->family == AF_INET6) {
#if IS_ENABLED(CONFIG_IPV6)
		ucfg.family = AF_INET6;
		ucfg.local_ip6 = cfg->saddr6;
		ucfg.peer_ip6 = cfg->daddr6;
		ucfg.use_udp6_tx_checksums = !cfg->zero_csum6_tx;
		ucfg.use_udp6_rx_checksums = !cfg->zero_csum6_rx;
		ucfg.ipv6_v6only = 1;
#else
		NL_SET_ERR_MSG(extack, "IPv6 is not available");
		return -EAFNOSUPPORT;
#endif
	} else {
		ucfg.family = AF_INET;
		ucfg.local_ip.s_addr = cfg->saddr4;
		ucfg.peer_ip.s_addr = cfg->daddr4;
		ucfg.use_udp_checksums = cfg->udp_csum;
	}
	ucfg.local_udp_port = htons(cfg->sport);
	ucfg.peer_udp_port = htons(cfg->dport);

	err = udp_sock_create(net, &ucfg, sockp);
	if (err < 0)
		NL_SET_ERR_MSG(extack,
			       "cannot bind and connect the tunnel's UDP socket (local address not configured or port in use?)");
	return err;
}

static void ol2tp_udp_sock_release(struct socket *sock)
{
	sock_release(sock);
}

static int ol2tp_udp_attach(struct ol2tp_tunnel *tunnel,
		     struct netlink_ext_ack *extack)
{
	struct udp_tunnel_sock_cfg cfg = {
		.sk_user_data = tunnel,
		.encap_type = OL2TP_UDP_ENCAP_L2TPINUDP,
		.encap_rcv = ol2tp_udp_encap_recv,
		.encap_destroy = ol2tp_udp_encap_destroy,
		.gro_receive = ol2tp_udp_gro_receive,
		.gro_complete = ol2tp_udp_gro_complete,
	};
	struct sock *sk = tunnel->sk;
	int err = 0;

	lock_sock(sk);
	if (rcu_access_pointer(__sk_user_data(sk)) || udp_sk(sk)->encap_type) {
		NL_SET_ERR_MSG(extack,
			       "FD socket is already used by a tunnel or another UDP encapsulation");
		err = -EBUSY;
	} else {
		setup_udp_tunnel_sock(tunnel->net, sk->sk_socket, &cfg);
	}
	release_sock(sk);
	return err;
}

/*
 * Give a managed socket back to plain UDP (the tunnel was deleted while
 * userspace keeps the socket open), so that nothing on it points into this
 * module any more.
 */
static void ol2tp_udp_detach(struct ol2tp_tunnel *tunnel)
{
	struct sock *sk = tunnel->sk;
	struct udp_sock *up = udp_sk(sk);

	lock_sock(sk);
	if (rcu_access_pointer(__sk_user_data(sk)) == tunnel) {
		WRITE_ONCE(up->encap_rcv, NULL);
		WRITE_ONCE(up->encap_destroy, NULL);
		WRITE_ONCE(up->gro_receive, NULL);
		WRITE_ONCE(up->gro_complete, NULL);
		WRITE_ONCE(up->encap_type, 0);
		rcu_assign_sk_user_data(sk, NULL);
	}
	release_sock(sk);
}

/*
 * Put the UDP header in front of the L2TP header (xmit.c, no lock held):
 * ports from @key, checksum as the socket is configured (UDP_CSUM over
 * IPv4, zero-checksum TX over IPv6), offloaded as CHECKSUM_PARTIAL where
 * the stack allows.
 */
static void ol2tp_udp_push(struct ol2tp_tunnel *tunnel, struct sk_buff *skb,
			   const struct ol2tp_tx_key *key, const __be32 *saddr4,
			   const struct in6_addr *saddr6)
{
	struct sock *sk = tunnel->sk;
	struct udphdr *uh;
	unsigned int len;
	bool nocheck;

	__skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	len = skb->len;
	uh = udp_hdr(skb);
	uh->source = key->sport;
	uh->dest = key->dport;
	uh->len = htons(len);
	uh->check = 0;

	/* A GSO packet keeps the checksum choice its GSO type was made with. */
	if (skb_is_gso(skb))
		nocheck = !(skb_shinfo(skb)->gso_type & SKB_GSO_UDP_TUNNEL_CSUM);
#if IS_ENABLED(CONFIG_IPV6)
	if (saddr6) {
		if (!skb_is_gso(skb))
			nocheck = udp_get_no_check6_tx(sk);
		udp6_set_csum(nocheck, skb, saddr6, &key->daddr, len);
		return;
	}
#endif
	if (!skb_is_gso(skb))
		nocheck = sk->sk_no_check_tx;
	udp_set_csum(nocheck, skb, *saddr4, key->daddr.s6_addr32[3], len);
}

/* A GSO packet goes down whole: the UDP tunnel segmentation copies headers. */
static int ol2tp_udp_gso_type(struct ol2tp_tunnel *tunnel)
{
	struct sock *sk = tunnel->sk;
	bool csum;

	if (ol2tp_tunnel_is_ipv6(tunnel))
		csum = !udp_get_no_check6_tx(sk);
	else
		csum = !sk->sk_no_check_tx;
	return csum ? SKB_GSO_UDP_TUNNEL_CSUM : SKB_GSO_UDP_TUNNEL;
}

const struct ol2tp_encap_ops ol2tp_udp_encap_ops = {
	.encap_type = OL2TP_ENCAPTYPE_UDP,
	.ipproto = IPPROTO_UDP,
	.hdr_len = sizeof(struct udphdr),
	.v3_hdr_len = OL2TP_V3_UDP_HLEN,
	.carries_v2 = true,
	.sock_check = ol2tp_udp_sock_check,
	.sock_create = ol2tp_udp_sock_create,
	.sock_release = ol2tp_udp_sock_release,
	.attach = ol2tp_udp_attach,
	.detach = ol2tp_udp_detach,
	.push = ol2tp_udp_push,
	.gso_type = ol2tp_udp_gso_type,
};
