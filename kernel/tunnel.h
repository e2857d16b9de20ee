/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tunnel.c: the encapsulations' operations, deleting tunnels, the flush.
 */
#ifndef _OL2TP_TUNNEL_H
#define _OL2TP_TUNNEL_H

#include "ol2tp.h"

/**
 * struct ol2tp_encap_ops - an encapsulation of L2TP (udp.c, ip_common.c)
 * @encap_type: enum ol2tp_encap_type
 * @ipproto: the IP protocol of the packets a tunnel sends
 * @hdr_len: bytes of encapsulation header between IP and L2TP (UDP's)
 * @v3_hdr_len: bytes of L2TPv3 data header before the session id (the
 *	flags/version word over UDP, RFC 3931 section 4.1.2.1)
 * @carries_v2: L2TPv2 runs over it
 * @netns_session_ids: a data packet carries only the session id, so its
 *	L2TPv3 session ids are unique in the namespace
 * @sock_check: can a userspace socket (FD) carry a tunnel of this kind?
 * @sock_create: create, bind and connect an unmanaged tunnel's socket
 * @sock_release: release what @sock_create made
 * @attach: make the tunnel's socket deliver to the tunnel (under its lock)
 * @detach: undo @attach; the socket stays the user's if managed
 * @push: put the encapsulation header in front of the L2TP header on
 *	transmit, once the route gave the source address (NULL: none)
 * @gso_type: the SKB_GSO_* type under which a GSO packet of the tunnel goes
 *	down whole, segmented below with a copy of its headers on each
 *	segment (NULL: none, ol2tp segments it; xmit.c)
 *
 * Receive enters through the socket layer's hooks: UDP's encap_rcv, which
 * @attach sets, and the protocol handler of ip.c/ip6.c.
 */
struct ol2tp_encap_ops {
	u8 encap_type;
	u8 ipproto;
	u8 hdr_len;
	u8 v3_hdr_len;
	bool carries_v2;
	bool netns_session_ids;
	int (*sock_check)(struct sock *sk, struct netlink_ext_ack *extack);
	int (*sock_create)(struct net *net, const struct ol2tp_tunnel_cfg *cfg,
			   u32 tunnel_id, struct socket **sockp,
			   struct netlink_ext_ack *extack);
	void (*sock_release)(struct socket *sock);
	int (*attach)(struct ol2tp_tunnel *tunnel,
		      struct netlink_ext_ack *extack);
	void (*detach)(struct ol2tp_tunnel *tunnel);
	void (*push)(struct ol2tp_tunnel *tunnel, struct sk_buff *skb,
		     const struct ol2tp_tx_key *key, const __be32 *saddr4,
		     const struct in6_addr *saddr6);
	int (*gso_type)(struct ol2tp_tunnel *tunnel);
};

void ol2tp_encap_register(const struct ol2tp_encap_ops *ops);
void ol2tp_encap_unregister(const struct ol2tp_encap_ops *ops);

/* Whether the tunnel's packets go out over IPv6 (not v4-mapped). */
static inline bool ol2tp_tunnel_is_ipv6(const struct ol2tp_tunnel *t)
{
#if IS_ENABLED(CONFIG_IPV6)
	return t->sk->sk_family == AF_INET6 &&
	       !ipv6_addr_v4mapped(&t->sk->sk_v6_daddr);
#else
	return false;
#endif
}

/* Delete sessions, detach or release the socket, unhash.  May sleep. */
void ol2tp_tunnel_delete(struct ol2tp_tunnel *tunnel);
/*
 * Called by a tunnel socket's close/destroy path (UDP encap_destroy, the
 * L2TP/IP socket's close): if @sk carries a tunnel, the tunnel and its
 * sessions are deleted.  Process context.
 */
void ol2tp_tunnel_sock_closing(struct sock *sk);

/* The "flush every tunnel" phase (main.c). */
int ol2tp_flush_init(void);
void ol2tp_flush_uninit(void);

#endif /* _OL2TP_TUNNEL_H */
