/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What L2TP/IP sockets over IPv4 (ip.c) and IPv6 (ip6.c) share: the socket
 * object's L2TP part, the per-netns table of bound sockets, the parsing of
 * the L2TPv3-over-IP header on receive, queueing a control message to a
 * socket, and the datagram ioctls.
 *
 * An L2TPv3 packet carried directly in IP (protocol 115, RFC 3931 section
 * 4.1.1) starts with a 32-bit session id.  Session id 0 marks a control
 * message, whose header follows:
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                      (32 bits of zeros)                       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |T|L|x|x|S|x|x|x|x|x|x|x|  Ver  |             Length            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Control Connection ID                     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The Control Connection ID is the receiver's: it selects the socket bound
 * to that id.  Any other session id is data, for the core (core.c).
 */
#ifndef _OL2TP_IP_COMMON_H
#define _OL2TP_IP_COMMON_H

#include <linux/hash.h>
#include <linux/filter.h>
#include <linux/sockios.h>
#include <asm/ioctls.h>
#include <linux/ipv6.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/sock.h>

#include "ol2tp.h"

/* Bytes of the session id that starts every L2TP/IP packet. */
#define OL2TP_IP_SESSION_ID_LEN		4
/* Session id, flags/version, length and control connection id. */
#define OL2TP_IP_CTRL_MIN_LEN		12
#define OL2TP_IP_CTRL_CONN_ID_OFF	8

#define OL2TP_IP_BIND_HBITS		6

/**
 * struct ol2tp_ip_sock - an L2TP/IP socket (IPv4; the IPv6 one extends it)
 * @inet: the IP socket; first, so that inet_sk() works
 * @bind_node: in the namespace's bind table, keyed by @conn_id (RCU
 *	readers, the table's lock for writers); unhashed until bind()
 * @conn_id: our control connection id (bind); control messages carrying it
 *	are queued to this socket
 * @peer_conn_id: the peer's control connection id (connect), reported by
 *	getpeername()
 */
struct ol2tp_ip_sock {
	struct inet_sock inet;
	struct hlist_node bind_node;
	u32 conn_id;
	u32 peer_conn_id;
};

static inline struct ol2tp_ip_sock *ol2tp_ip_sk(const struct sock *sk)
{
	return (struct ol2tp_ip_sock *)sk;
}

/**
 * struct ol2tp_ip_binds - the bound L2TP/IP sockets of one netns and family
 * @lock: serialises bind and unbind
 * @heads: sockets keyed by conn id
 */
struct ol2tp_ip_binds {
	spinlock_t lock;
	struct hlist_head heads[1 << OL2TP_IP_BIND_HBITS];
};

static inline void ol2tp_ip_binds_init(struct ol2tp_ip_binds *binds)
{
	unsigned int i;

	spin_lock_init(&binds->lock);
	for (i = 0; i < ARRAY_SIZE(binds->heads); i++)
		INIT_HLIST_HEAD(&binds->heads[i]);
}

static inline bool ol2tp_ip_binds_empty(const struct ol2tp_ip_binds *binds)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(binds->heads); i++)
		if (!hlist_empty(&binds->heads[i]))
			return false;
	return true;
}

static inline struct hlist_head *
ol2tp_ip_bind_head(struct ol2tp_ip_binds *binds, u32 conn_id)
{
	return &binds->heads[hash_32(conn_id, OL2TP_IP_BIND_HBITS)];
}

static inline bool ol2tp_ip_sk_bound(const struct sock *sk)
{
	return !hlist_unhashed(&ol2tp_ip_sk(sk)->bind_node);
}

/* Add @sk under @conn_id; the caller holds @binds->lock and checked. */
static inline void ol2tp_ip_bind_add(struct ol2tp_ip_binds *binds,
				     struct sock *sk, u32 conn_id)
{
	lockdep_assert_held(&binds->lock);
	ol2tp_ip_sk(sk)->conn_id = conn_id;
	hlist_add_head_rcu(&ol2tp_ip_sk(sk)->bind_node,
			   ol2tp_ip_bind_head(binds, conn_id));
}

/* Remove @sk from its netns table, if it is in it (the sock's unhash). */
static inline void ol2tp_ip_unbind(struct ol2tp_ip_binds *binds,
				   struct sock *sk)
{
	spin_lock_bh(&binds->lock);
	if (ol2tp_ip_sk_bound(sk))
		hlist_del_init_rcu(&ol2tp_ip_sk(sk)->bind_node);
	spin_unlock_bh(&binds->lock);
}

/*
 * Set up the L2TP part of a new socket.  Sockets are freed after an RCU
 * grace period, because the receive path finds them in the bind table
 * under RCU.  inet_num is the protocol, as for raw sockets: the socket is
 * never auto-bound to a port.
 */
static inline void ol2tp_ip_sk_init(struct sock *sk)
{
	INIT_HLIST_NODE(&ol2tp_ip_sk(sk)->bind_node);
	ol2tp_ip_sk(sk)->conn_id = 0;
	ol2tp_ip_sk(sk)->peer_conn_id = 0;
	inet_sk(sk)->inet_num = OL2TP_IPPROTO_L2TP;
	sock_set_flag(sk, SOCK_RCU_FREE);
}

/**
 * ol2tp_ip_rcv_ctrl_conn_id - the conn id of a control message
 * @skb: an L2TP/IP packet with a zero session id at @skb->data
 * @conn_id: set to the message's control connection id
 *
 * Returns false when the packet is too short for a control header or the
 * header does not have the T bit (so it is no control message).
 */
static inline bool ol2tp_ip_rcv_ctrl_conn_id(struct sk_buff *skb,
					     u32 *conn_id)
{
	__be16 flags;
	__be32 id;

	if (!pskb_may_pull(skb, OL2TP_IP_CTRL_MIN_LEN))
		return false;
	/* memcpy: the header need not be aligned. */
	memcpy(&flags, skb->data + OL2TP_IP_SESSION_ID_LEN, sizeof(flags));
	if (!(ntohs(flags) & OL2TP_HDRFLAG_T))
		return false;
	memcpy(&id, skb->data + OL2TP_IP_CTRL_CONN_ID_OFF, sizeof(id));
	*conn_id = ntohl(id);
	return true;
}

/*
 * Queue a control message to @sk, without its session id.  Consumes @skb;
 * a message the socket's filter refuses or that does not fit in its receive
 * buffer is dropped and counted in sk_drops (SO_RXQ_OVFL).
 */
static inline void ol2tp_ip_queue_ctrl(struct sock *sk, struct sk_buff *skb)
{
	__skb_pull(skb, OL2TP_IP_SESSION_ID_LEN);
	if (sk_filter(sk, skb)) {
		atomic_inc(&sk->sk_drops);
		goto drop;
	}
	/* __sock_queue_rcv_skb() counts its own drops. */
	if (__sock_queue_rcv_skb(sk, skb) < 0)
		goto drop;
	return;

drop:
	kfree_skb(skb);
}

/*
 * The sock's close: a tunnel riding on the socket is deleted first (the
 * core detaches from the socket), then the socket is unbound, orphaned and
 * released.  Messages a CPU was queueing when we unbound are purged by the
 * destructor.
 */
static inline void ol2tp_ip_close(struct sock *sk, long timeout)
{
	ol2tp_tunnel_sock_closing(sk);
	sk_common_release(sk);
}

/*
 * connect() with AF_UNSPEC: forget the peer, keep the binding (and the
 * source address chosen by connect() only if bind() did not fix it).  A
 * socket that carries a tunnel keeps its peer: the tunnel sends to it.
 */
static inline int ol2tp_ip_disconnect(struct sock *sk, int flags)
{
	struct inet_sock *inet = inet_sk(sk);
	bool tunnel;

	rcu_read_lock();
	tunnel = ol2tp_sk_tunnel(sk);
	rcu_read_unlock();
	if (tunnel)
		return -EBUSY;

	lock_sock(sk);
	sk->sk_state = TCP_CLOSE;
	inet->inet_daddr = 0;
	inet->inet_dport = 0;
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		sk->sk_v6_daddr = in6addr_any;
		inet6_sk(sk)->flow_label = 0;
	}
#endif
	ol2tp_ip_sk(sk)->peer_conn_id = 0;
	sock_rps_reset_rxhash(sk);
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		inet_reset_saddr(sk);
	sk_dst_reset(sk);
	release_sock(sk);
	return 0;
}

/*
 * SIOCINQ: bytes of the next queued message (session id stripped), 0 when
 * none.  SIOCOUTQ: bytes sent but not yet freed by the device.  Anything
 * else goes to the address family's ioctl (@family_ioctl).
 */
static inline int ol2tp_ip_ioctl(struct socket *sock, unsigned int cmd,
				 unsigned long arg,
				 int (*family_ioctl)(struct socket *,
						     unsigned int,
						     unsigned long))
{
	struct sock *sk = sock->sk;
	struct sk_buff *skb;
	int amount;

	switch (cmd) {
	case SIOCINQ:
		spin_lock_bh(&sk->sk_receive_queue.lock);
		skb = skb_peek(&sk->sk_receive_queue);
		amount = skb ? skb->len : 0;
		spin_unlock_bh(&sk->sk_receive_queue.lock);
		return put_user(amount, (int __user *)arg);
	case SIOCOUTQ:
		amount = sk_wmem_alloc_get(sk);
		return put_user(amount, (int __user *)arg);
	default:
		return family_ioctl(sock, cmd, arg);
	}
}

/*
 * Wait for and dequeue one message for recvmsg(); copies up to @len bytes
 * of it.  Returns the skb (to fill the address from, then free with
 * skb_free_datagram()) and sets *@copied, or returns NULL and sets *@err.
 */
static inline struct sk_buff *ol2tp_ip_recv_skb(struct sock *sk,
						struct msghdr *msg,
						size_t len, int flags,
						int *copied, int *err)
{
	struct sk_buff *skb;
	size_t n;

	skb = skb_recv_datagram(sk, flags, err);
	if (!skb)
		return NULL;
	n = skb->len;
	if (n > len) {
		msg->msg_flags |= MSG_TRUNC;
		n = len;
	}
	*err = skb_copy_datagram_msg(skb, 0, msg, n);
	if (*err) {
		skb_free_datagram(sk, skb);
		return NULL;
	}
	sock_recv_cmsgs(msg, sk, skb);
	/* With MSG_TRUNC the caller learns the whole message's length. */
	*copied = (flags & MSG_TRUNC) ? skb->len : n;
	return skb;
}

/* Headroom of a message we build: link layer, IP header and options. */
#define OL2TP_IP_TX_HEADROOM	(MAX_HEADER + 128)

/*
 * Allocate the skb of a sendmsg(): headroom for the IP layer, then the zero
 * session id and @len bytes of the caller's message.  The transport header
 * is the session id.
 */
static inline struct sk_buff *ol2tp_ip_alloc_msg(struct sock *sk,
						 struct msghdr *msg,
						 size_t len, int *err)
{
	struct sk_buff *skb;

	skb = sock_alloc_send_skb(sk, OL2TP_IP_TX_HEADROOM +
				  OL2TP_IP_SESSION_ID_LEN + len,
				  msg->msg_flags & MSG_DONTWAIT, err);
	if (!skb)
		return NULL;
	skb_reserve(skb, OL2TP_IP_TX_HEADROOM);
	skb_reset_transport_header(skb);
	memset(skb_put(skb, OL2TP_IP_SESSION_ID_LEN), 0,
	       OL2TP_IP_SESSION_ID_LEN);
	*err = memcpy_from_msg(skb_put(skb, len), msg, len);
	if (*err) {
		kfree_skb(skb);
		return NULL;
	}
	skb->priority = READ_ONCE(sk->sk_priority);
	skb->mark = READ_ONCE(sk->sk_mark);
	return skb;
}

#endif /* _OL2TP_IP_COMMON_H */
