/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What L2TP/IP sockets over IPv4 (ip.c) and IPv6 (ip6.c) share: the socket
 * object's L2TP part, the per-netns table of bound sockets, the split of
 * received packets into data and control messages, and the socket calls
 * whose logic does not depend on the family (ip_common.c), which reach the
 * family's own part through a struct ol2tp_ip_family.
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
 * to that id.  Any other session id is data, for ip_encap.c.
 */
#ifndef _OL2TP_IP_COMMON_H
#define _OL2TP_IP_COMMON_H

#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/filter.h>
#include <linux/sockios.h>
#include <asm/ioctls.h>
#include <linux/ipv6.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/netns/hash.h>
#include <net/sock.h>

#include "ol2tp.h"
#include "tunnel.h"

/* Bytes of the session id that starts every L2TP/IP packet. */
#define OL2TP_IP_SESSION_ID_LEN		4
/* Session id, flags/version, length and control connection id. */
#define OL2TP_IP_CTRL_MIN_LEN		12
#define OL2TP_IP_CTRL_CONN_ID_OFF	8

#define OL2TP_IP_BIND_HBITS		6
#define OL2TP_IP_ADDR_HBITS		8

/**
 * struct ol2tp_ip_sock - an L2TP/IP socket (IPv4; the IPv6 one extends it)
 * @inet: the IP socket; first, so that inet_sk() works
 * @bind_node: in the namespace's bind table, keyed by @conn_id (RCU
 *	readers, the table's lock for writers); unhashed until bind()
 * @addr_node: while bound, in the bind table's index by local and peer
 *	address (ICMP errors find their sender there), in bucket @addr_bucket
 * @conn_id: our control connection id (bind); control messages carrying it
 *	are queued to this socket
 * @peer_conn_id: the peer's control connection id (connect), reported by
 *	getpeername()
 * @tunnel_node: while a tunnel rides on the socket, in the namespace's
 *	table of IP tunnel sockets by address (ol2tp_net.ip_socks, ip_encap.c);
 *	unhashed otherwise
 */
struct ol2tp_ip_sock {
	struct inet_sock inet;
	struct hlist_node bind_node;
	struct hlist_node addr_node;
	u32 addr_bucket;
	u32 conn_id;
	u32 peer_conn_id;
	struct hlist_node tunnel_node;
};

static inline struct ol2tp_ip_sock *ol2tp_ip_sk(const struct sock *sk)
{
	return (struct ol2tp_ip_sock *)sk;
}

/**
 * struct ol2tp_ip_binds - the bound L2TP/IP sockets of one netns and family
 * @lock: serialises bind, connect's and disconnect's moves, and unbind
 * @heads: sockets keyed by conn id
 * @addrs: the same sockets keyed by local and peer address, wildcards
 *	all zeros (ol2tp_ip_addrs_hash())
 */
struct ol2tp_ip_binds {
	spinlock_t lock;
	struct hlist_head heads[1 << OL2TP_IP_BIND_HBITS];
	struct hlist_head addrs[1 << OL2TP_IP_ADDR_HBITS];
};

static inline void ol2tp_ip_binds_init(struct ol2tp_ip_binds *binds)
{
	unsigned int i;

	spin_lock_init(&binds->lock);
	for (i = 0; i < ARRAY_SIZE(binds->heads); i++)
		INIT_HLIST_HEAD(&binds->heads[i]);
	for (i = 0; i < ARRAY_SIZE(binds->addrs); i++)
		INIT_HLIST_HEAD(&binds->addrs[i]);
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

/* Remove @sk from its netns table, if it is in it (the sock's unhash). */
static inline void ol2tp_ip_unbind(struct ol2tp_ip_binds *binds,
				   struct sock *sk)
{
	spin_lock_bh(&binds->lock);
	if (ol2tp_ip_sk_bound(sk)) {
		hlist_del_init_rcu(&ol2tp_ip_sk(sk)->bind_node);
		hlist_del_init_rcu(&ol2tp_ip_sk(sk)->addr_node);
	}
	spin_unlock_bh(&binds->lock);
}

/*
 * A hash of a local and a peer address of @len bytes each (all zeros for a
 * wildcard) in @net: the key of the tables of L2TP/IP sockets by address.
 */
static inline u32 ol2tp_ip_addrs_hash(const struct net *net,
				      const void *laddr, const void *raddr,
				      u32 len)
{
	return jhash(raddr, len, jhash(laddr, len, net_hash_mix(net)));
}

/*
 * @sk's local address (all zeros until bound to one) in @laddr and peer
 * address (all zeros until connected) in @raddr; returns their length.
 */
static inline u32 ol2tp_ip_sk_addrs(const struct sock *sk,
				    const void **laddr, const void **raddr)
{
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		*laddr = &sk->sk_v6_rcv_saddr;
		*raddr = &sk->sk_v6_daddr;
		return sizeof(struct in6_addr);
	}
#endif
	*laddr = &sk->sk_rcv_saddr;
	*raddr = &sk->sk_daddr;
	return sizeof(__be32);
}

/*
 * The source address of the IPv4 or IPv6 header at @nh in @saddr and its
 * destination in @daddr; returns their length.  The header is pulled.
 */
static inline u32 ol2tp_ip_hdr_addrs(const void *nh, const void **saddr,
				     const void **daddr)
{
#if IS_ENABLED(CONFIG_IPV6)
	if (((const struct iphdr *)nh)->version == 6) {
		*saddr = &((const struct ipv6hdr *)nh)->saddr;
		*daddr = &((const struct ipv6hdr *)nh)->daddr;
		return sizeof(struct in6_addr);
	}
#endif
	*saddr = &((const struct iphdr *)nh)->saddr;
	*daddr = &((const struct iphdr *)nh)->daddr;
	return sizeof(__be32);
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

/* What sendmsg() returns when ip_queue_xmit() or ip6_xmit() returned @err. */
static inline int ol2tp_ip_sendmsg_ret(int err, size_t len)
{
	if (err > 0)
		err = net_xmit_errno(err);
	return err ? err : len;
}

/*
 * ip_encap.c: a data packet (session id != 0), @skb->data at the session
 * id, the IP header pulled.  Looks the session up in the netns-wide v3
 * table.  Always consumes @skb; returns NET_RX_SUCCESS or NET_RX_DROP.
 */
int ol2tp_ip_rcv_data(struct net *net, struct sk_buff *skb);

/*
 * The first step of receiving an L2TP/IP packet: data (a non-zero session
 * id) goes to ip_encap.c and a runt is dropped, which consume @skb; true
 * means a control message, for ol2tp_ip_rcv_ctrl().  Inline: it is all the
 * data path sees of this file.
 */
static inline bool ol2tp_ip_rcv_is_ctrl(struct net *net, struct sk_buff *skb)
{
	__be32 session_id;

	if (!pskb_may_pull(skb, OL2TP_IP_SESSION_ID_LEN)) {
		kfree_skb(skb);
		return false;
	}
	memcpy(&session_id, skb->data, sizeof(session_id));
	if (session_id) {
		ol2tp_ip_rcv_data(net, skb);
		return false;
	}
	return true;
}

/**
 * struct ol2tp_ip_bind_req - a bind() being checked
 * @uaddr: the caller's address: a struct ol2tp_sockaddr_ip or _ip6
 * @conn_id: its control connection id
 * @dev_if: the device the socket is to be bound to; starts as the
 *	socket's, a family may change it (IPv6 link-local scope id)
 * @addr_type: the family's classification of the address
 * @wildcard: the address is the wildcard (does not lock the source)
 */
struct ol2tp_ip_bind_req {
	const struct sockaddr *uaddr;
	u32 conn_id;
	int dev_if;
	int addr_type;
	bool wildcard;
};

/**
 * struct ol2tp_ip_family - the part of L2TP/IP that depends on the family
 * @family: AF_INET or AF_INET6
 * @addr_len: the size of the family's struct ol2tp_sockaddr_ip(6)
 * @net_id: the pernet id of the family's struct ol2tp_ip_binds
 * @bind_check: under lock_sock(), can the socket bind to @req (-errno)?
 *	Fills @req->addr_type and may change @req->dev_if.
 * @bind_overlaps: under the bind table's lock: does @sk, already bound,
 *	receive what a socket bound to @req's address would (either address
 *	a wildcard, or both equal)?
 * @bind_set: under the bind table's lock: give the socket @req's address
 * @connect: the family's datagram connect, under lock_sock()
 * @rcv_match: under RCU: does @sk, bound to the conn id of control message
 *	@skb, take it (its local and peer addresses and device)?
 * @rcv_accept: may @sk, holding a reference, queue @skb (IPsec policy)?
 *	Prepares what recvmsg() reports of it.
 * @recv_error: recvmsg() with MSG_ERRQUEUE
 * @recv_name: fill the source of @skb, and our conn id, into @uaddr
 * @recv_cmsgs: add the control messages the socket asked for
 * @getname: fill our (@peer false) or the peer's address and conn id into
 *	@uaddr, under lock_sock(); for the peer, the socket is connected
 * @err_match: under RCU: could @sk have sent the packet an ICMP error
 *	quotes (its IP header at @skb->data)?  -1 if not, else 1 for an equal
 *	local address plus 2 for an equal peer address (wildcards score 0)
 * @err_pmtu_hard: is "fragmentation needed"/"packet too big" a hard error
 *	for @sk (its path MTU discovery keeps DF)?
 * @recverr: did @sk ask for IP_RECVERR/IPV6_RECVERR?
 * @daddr_off: offset of the destination address in the family's IP header
 */
struct ol2tp_ip_family {
	sa_family_t family;
	int addr_len;
	unsigned int *net_id;
	int (*bind_check)(struct sock *sk, struct ol2tp_ip_bind_req *req);
	bool (*bind_overlaps)(const struct sock *sk,
			      const struct ol2tp_ip_bind_req *req);
	void (*bind_set)(struct sock *sk, const struct ol2tp_ip_bind_req *req);
	int (*connect)(struct sock *sk, struct sockaddr *uaddr, int addr_len);
	bool (*rcv_match)(const struct sock *sk, const struct sk_buff *skb);
	bool (*rcv_accept)(struct sock *sk, struct sk_buff *skb);
	int (*recv_error)(struct sock *sk, struct msghdr *msg, int len,
			  int *addr_len);
	void (*recv_name)(struct sock *sk, const struct sk_buff *skb,
			  struct sockaddr *uaddr);
	void (*recv_cmsgs)(struct sock *sk, struct msghdr *msg,
			   struct sk_buff *skb);
	void (*getname)(struct sock *sk, struct sockaddr *uaddr, bool peer);
	int (*err_match)(const struct sock *sk, const struct sk_buff *skb);
	bool (*err_pmtu_hard)(const struct sock *sk);
	bool (*recverr)(const struct sock *sk);
	unsigned int daddr_off;
};

/**
 * struct ol2tp_ip_icmp - an ICMP error about a packet we sent
 * @err: the errno it means to a datagram socket
 * @hard: whether it is a hard error (reported without IP_RECVERR too)
 * @pmtu: "fragmentation needed"/"packet too big": hard by the socket
 * @origin: SO_EE_ORIGIN_ICMP or SO_EE_ORIGIN_ICMP6
 * @type: the ICMP type
 * @code: the ICMP code
 * @info: the error's information (the MTU of a @pmtu error)
 * @l2tp_off: offset of the quoted L2TP packet from the skb's data, which
 *	is at the quoted IP header; its first 8 bytes are pulled
 */
struct ol2tp_ip_icmp {
	int err;
	bool hard;
	bool pmtu;
	u8 origin;
	u8 type;
	u8 code;
	u32 info;
	unsigned int l2tp_off;
};

/* ip_common.c: struct proto calls of both families. */
int ol2tp_ip_init_sock(struct sock *sk);
int ol2tp_ip_hash(struct sock *sk);
void ol2tp_ip_close(struct sock *sk, long timeout);

/* ip_common.c: the family-independent part of the socket calls. */
int ol2tp_ip_bind_sk(const struct ol2tp_ip_family *fam, struct sock *sk,
		     struct ol2tp_ip_bind_req *req);
int ol2tp_ip_connect_sk(const struct ol2tp_ip_family *fam, struct sock *sk,
			struct sockaddr *uaddr, int addr_len,
			u32 peer_conn_id);
int ol2tp_ip_disconnect_sk(const struct ol2tp_ip_family *fam,
			   struct sock *sk, int flags);
int ol2tp_ip_sendmsg_check(const struct msghdr *msg, size_t len,
			   size_t max_len);
int ol2tp_ip_recvmsg_sk(const struct ol2tp_ip_family *fam, struct sock *sk,
			struct msghdr *msg, size_t len, int flags,
			int *addr_len);
int ol2tp_ip_getname_sk(const struct ol2tp_ip_family *fam, struct sock *sk,
			struct sockaddr *uaddr, int peer);
void ol2tp_ip_rcv_ctrl(const struct ol2tp_ip_family *fam, struct net *net,
		       struct sk_buff *skb);
void ol2tp_ip_err_deliver(const struct ol2tp_ip_family *fam, struct net *net,
			  struct sk_buff *skb, const struct ol2tp_ip_icmp *icmp);

/* ip_encap.c: the IP encapsulation of tunnels (main.c registers it). */
extern const struct ol2tp_encap_ops ol2tp_ip_encap_ops;
/*
 * ip_encap.c: @sk's addresses changed (bind, connect; lock_sock() held):
 * if a tunnel rides on it, move it to its new place in ol2tp_net.ip_socks.
 */
void ol2tp_ip_tunnel_sk_rehash(struct sock *sk);

/* ip.c, ip6.c: L2TP/IP sockets and IP protocol 115 receive (main.c). */
int ol2tp_ip_init(void);
void ol2tp_ip_uninit(void);
int ol2tp_ip6_init(void);
void ol2tp_ip6_uninit(void);

#endif /* _OL2TP_IP_COMMON_H */
