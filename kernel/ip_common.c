// SPDX-License-Identifier: GPL-2.0
/*
 * The L2TP/IP socket calls whose logic is the same over IPv4 (ip.c) and IPv6
 * (ip6.c): bind and connect bookkeeping, recvmsg and getname, the control
 * message receive path.  Each reaches what depends on the family through
 * the family's struct ol2tp_ip_family.  None of it is on the data path.
 *
 * See ip_common.h for the packet format and Documentation/l2tp-ip.rst.
 */

#include <linux/errqueue.h>
#include <net/netns/generic.h>

#include "ip_common.h"
#include "net.h"
#include "compat.h"

static struct ol2tp_ip_binds *ol2tp_ip_fam_binds(const struct ol2tp_ip_family *fam,
						 const struct net *net)
{
	return net_generic(net, *fam->net_id);
}

/* The bucket of @binds->addrs for local @laddr and peer @raddr. */
static u32 ol2tp_ip_addr_bucket(const struct net *net, const void *laddr,
				const void *raddr, u32 len)
{
	return hash_32(ol2tp_ip_addrs_hash(net, laddr, raddr, len),
		       OL2TP_IP_ADDR_HBITS);
}

/*
 * Put @sk, bound, in its place in @binds->addrs for its current addresses;
 * the caller holds @binds->lock.  A reader racing a move may miss @sk (an
 * ICMP error goes untold) or meet it twice (told twice), never loop.
 */
static void ol2tp_ip_addr_place(struct ol2tp_ip_binds *binds, struct sock *sk)
{
	struct ol2tp_ip_sock *l2tp = ol2tp_ip_sk(sk);
	const void *laddr, *raddr;
	u32 len, bucket;

	lockdep_assert_held(&binds->lock);
	len = ol2tp_ip_sk_addrs(sk, &laddr, &raddr);
	bucket = ol2tp_ip_addr_bucket(sock_net(sk), laddr, raddr, len);
	if (!hlist_unhashed(&l2tp->addr_node)) {
		if (bucket == l2tp->addr_bucket)
			return;
		hlist_del_init_rcu(&l2tp->addr_node);
	}
	l2tp->addr_bucket = bucket;
	hlist_add_head_rcu(&l2tp->addr_node, &binds->addrs[bucket]);
}

/* Add @sk under @conn_id; the caller holds @binds->lock and checked. */
static void ol2tp_ip_bind_add(struct ol2tp_ip_binds *binds,
			      struct sock *sk, u32 conn_id)
{
	lockdep_assert_held(&binds->lock);
	ol2tp_ip_sk(sk)->conn_id = conn_id;
	hlist_add_head_rcu(&ol2tp_ip_sk(sk)->bind_node,
			   ol2tp_ip_bind_head(binds, conn_id));
	ol2tp_ip_addr_place(binds, sk);
}

/* connect() or disconnect() changed @sk's addresses; lock_sock() held. */
static void ol2tp_ip_addr_rehash(const struct ol2tp_ip_family *fam,
				 struct sock *sk)
{
	struct ol2tp_ip_binds *binds = ol2tp_ip_fam_binds(fam, sock_net(sk));

	spin_lock_bh(&binds->lock);
	if (ol2tp_ip_sk_bound(sk))
		ol2tp_ip_addr_place(binds, sk);
	spin_unlock_bh(&binds->lock);
}

/**
 * ol2tp_ip_rcv_ctrl_conn_id - the conn id of a control message
 * @skb: an L2TP/IP packet with a zero session id at @skb->data
 * @conn_id: set to the message's control connection id
 *
 * Returns false when the packet is too short for a control header or the
 * header does not have the T bit (so it is no control message).
 */
static bool ol2tp_ip_rcv_ctrl_conn_id(struct sk_buff *skb,
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
static void ol2tp_ip_queue_ctrl(struct sock *sk, struct sk_buff *skb)
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
 * Wait for and dequeue one message for recvmsg(); copies up to @len bytes
 * of it.  Returns the skb (to fill the address from, then free with
 * skb_free_datagram()) and sets *@copied, or returns NULL and sets *@err.
 */
static struct sk_buff *ol2tp_ip_recv_skb(struct sock *sk,
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

/* --- struct proto ------------------------------------------------------- */

/*
 * Set up the L2TP part of a new socket.  Sockets are freed after an RCU
 * grace period, because the receive path finds them in the bind table
 * under RCU.  inet_num is the protocol, as for raw sockets: the socket is
 * never auto-bound to a port.
 */
int ol2tp_ip_init_sock(struct sock *sk)
{
	INIT_HLIST_NODE(&ol2tp_ip_sk(sk)->bind_node);
	INIT_HLIST_NODE(&ol2tp_ip_sk(sk)->addr_node);
	INIT_HLIST_NODE(&ol2tp_ip_sk(sk)->tunnel_node);
	ol2tp_ip_sk(sk)->conn_id = 0;
	ol2tp_ip_sk(sk)->peer_conn_id = 0;
	inet_sk(sk)->inet_num = OL2TP_IPPROTO_L2TP;
	sock_set_flag(sk, SOCK_RCU_FREE);
	return 0;
}

/* Sockets enter the bind table in bind(), not here. */
int ol2tp_ip_hash(struct sock *sk)
{
	return 0;
}

/*
 * The sock's close: a tunnel riding on the socket is deleted first (the
 * core detaches from the socket), then the socket is unbound, orphaned and
 * released.  Messages a CPU was queueing when we unbound are purged by the
 * destructor.
 */
void ol2tp_ip_close(struct sock *sk, long timeout)
{
	ol2tp_tunnel_sock_closing(sk);
	sk_common_release(sk);
}

/*
 * connect() with AF_UNSPEC: forget the peer, keep the binding (and the
 * source address chosen by connect() only if bind() did not fix it).  A
 * socket that carries a tunnel keeps its peer: the tunnel sends to it.
 */
int ol2tp_ip_disconnect_sk(const struct ol2tp_ip_family *fam,
			   struct sock *sk, int flags)
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
	WRITE_ONCE(ol2tp_ip_sk(sk)->peer_conn_id, 0);
	sock_rps_reset_rxhash(sk);
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		inet_reset_saddr(sk);
	sk_dst_reset(sk);
	ol2tp_ip_addr_rehash(fam, sk);
	release_sock(sk);
	return 0;
}

/*
 * Would a socket bound as @req receive what an already bound socket
 * receives?  Addresses and devices overlap when equal or when either is a
 * wildcard.
 */
static bool ol2tp_ip_bind_conflict(const struct ol2tp_ip_family *fam,
				   struct ol2tp_ip_binds *binds,
				   const struct ol2tp_ip_bind_req *req)
{
	struct ol2tp_ip_sock *l2tp;

	lockdep_assert_held(&binds->lock);
	hlist_for_each_entry(l2tp, ol2tp_ip_bind_head(binds, req->conn_id),
			     bind_node) {
		int other_dev = l2tp->inet.sk.sk_bound_dev_if;

		if (l2tp->conn_id != req->conn_id)
			continue;
		if (!fam->bind_overlaps(&l2tp->inet.sk, req))
			continue;
		if (other_dev && req->dev_if && other_dev != req->dev_if)
			continue;
		return true;
	}
	return false;
}

/*
 * Is @conn_id the id of an L2TP/IP tunnel of @net?  Its control messages
 * are that tunnel owner's business (Documentation/security.rst).
 */
static bool ol2tp_ip_conn_id_is_tunnel(struct net *net, u32 conn_id)
{
	struct ol2tp_tunnel *t = ol2tp_tunnel_get(net, conn_id);
	bool taken;

	if (!t)
		return false;
	taken = t->encap_ops == &ol2tp_ip_encap_ops;
	ol2tp_tunnel_put(t);
	return taken;
}

/*
 * bind(), once the family checked the address's length and family: one
 * bind per socket, before connect(); then the family's checks of the
 * address, and the conn id must not be taken for an overlapping address
 * and device (EADDRINUSE).  A user socket binding the conn id of an
 * existing L2TP/IP tunnel needs ol2tp_may_reach_others() (EPERM).
 */
int ol2tp_ip_bind_sk(const struct ol2tp_ip_family *fam, struct sock *sk,
		     struct ol2tp_ip_bind_req *req)
{
	struct ol2tp_ip_binds *binds = ol2tp_ip_fam_binds(fam, sock_net(sk));
	int err;

	if (!sk->sk_kern_sock &&
	    ol2tp_ip_conn_id_is_tunnel(sock_net(sk), req->conn_id) &&
	    !ol2tp_may_reach_others(sock_net(sk)))
		return -EPERM;

	lock_sock(sk);
	err = -EINVAL;
	if (ol2tp_ip_sk_bound(sk) || sk->sk_state != TCP_CLOSE)
		goto out_release;
	req->dev_if = sk->sk_bound_dev_if;
	err = fam->bind_check(sk, req);
	if (err)
		goto out_release;

	spin_lock_bh(&binds->lock);
	if (ol2tp_ip_bind_conflict(fam, binds, req)) {
		spin_unlock_bh(&binds->lock);
		err = -EADDRINUSE;
		goto out_release;
	}
	fam->bind_set(sk, req);
	ol2tp_ip_bind_add(binds, sk, req->conn_id);
	spin_unlock_bh(&binds->lock);

	if (!req->wildcard)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	sk_dst_reset(sk);
	ol2tp_ip_tunnel_sk_rehash(sk);
	err = 0;
out_release:
	release_sock(sk);
	return err;
}

/*
 * connect(), once the family checked the address and made a sockaddr_in
 * or _in6 of it (@uaddr): only a bound socket connects.  The family's
 * datagram connect routes, sets the peer and caches the route and flow.
 */
int ol2tp_ip_connect_sk(const struct ol2tp_ip_family *fam, struct sock *sk,
			struct sockaddr *uaddr, int addr_len,
			u32 peer_conn_id)
{
	int err;

	lock_sock(sk);
	err = -EINVAL;
	if (!ol2tp_ip_sk_bound(sk))
		goto out_release;
	err = fam->connect(sk, uaddr, addr_len);
	if (!err) {
		/* Read without the socket lock by ol2tp_ip_err_deliver(). */
		WRITE_ONCE(ol2tp_ip_sk(sk)->peer_conn_id, peer_conn_id);
		ol2tp_ip_addr_rehash(fam, sk);
		ol2tp_ip_tunnel_sk_rehash(sk);
	}
out_release:
	release_sock(sk);
	return err;
}

/*
 * What sendmsg() refuses before looking at the address: out-of-band data,
 * ancillary data (see Documentation/l2tp-ip.rst) and a message longer than
 * @max_len.
 */
int ol2tp_ip_sendmsg_check(const struct msghdr *msg, size_t len,
			   size_t max_len)
{
	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (msg->msg_controllen)
		return -EINVAL;
	if (len > max_len)
		return -EMSGSIZE;
	return 0;
}

int ol2tp_ip_recvmsg_sk(const struct ol2tp_ip_family *fam, struct sock *sk,
			struct msghdr *msg, size_t len, int flags,
			int *addr_len)
{
	DECLARE_SOCKADDR(struct sockaddr *, addr, msg->msg_name);
	struct sk_buff *skb;
	int copied, err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (flags & MSG_ERRQUEUE)
		return fam->recv_error(sk, msg, len, addr_len);

	skb = ol2tp_ip_recv_skb(sk, msg, len, flags, &copied, &err);
	if (!skb)
		return err;
	if (addr) {
		memset(addr, 0, fam->addr_len);
		addr->sa_family = fam->family;
		fam->recv_name(sk, skb, addr);
		*addr_len = fam->addr_len;
	}
	fam->recv_cmsgs(sk, msg, skb);
	skb_free_datagram(sk, skb);
	return copied;
}

int ol2tp_ip_getname_sk(const struct ol2tp_ip_family *fam, struct sock *sk,
			struct sockaddr *uaddr, int peer)
{
	int err = fam->addr_len;

	memset(uaddr, 0, fam->addr_len);
	uaddr->sa_family = fam->family;
	lock_sock(sk);
	if (peer && sk->sk_state != TCP_ESTABLISHED)
		err = -ENOTCONN;
	else
		fam->getname(sk, uaddr, peer);
	release_sock(sk);
	return err;
}

/* --- receive ------------------------------------------------------------ */

/* The socket control message @skb for @conn_id belongs to.  RCU. */
static struct sock *ol2tp_ip_lookup(const struct ol2tp_ip_family *fam,
				    struct net *net, u32 conn_id,
				    const struct sk_buff *skb)
{
	struct ol2tp_ip_binds *binds = ol2tp_ip_fam_binds(fam, net);
	struct ol2tp_ip_sock *l2tp;

	hlist_for_each_entry_rcu(l2tp, ol2tp_ip_bind_head(binds, conn_id),
				 bind_node) {
		if (l2tp->conn_id == conn_id &&
		    fam->rcv_match(&l2tp->inet.sk, skb))
			return &l2tp->inet.sk;
	}
	return NULL;
}

/*
 * A control message (ol2tp_ip_rcv_is_ctrl() said so) goes to the socket
 * bound to its conn id, if the family accepts it there.  Consumes @skb.
 */
void ol2tp_ip_rcv_ctrl(const struct ol2tp_ip_family *fam, struct net *net,
		       struct sk_buff *skb)
{
	struct sock *sk;
	u32 conn_id;

	if (!ol2tp_ip_rcv_ctrl_conn_id(skb, &conn_id))
		goto drop;

	rcu_read_lock();
	sk = ol2tp_ip_lookup(fam, net, conn_id, skb);
	if (sk && !refcount_inc_not_zero(&sk->sk_refcnt))
		sk = NULL;
	rcu_read_unlock();
	if (!sk)
		goto drop;

	if (!fam->rcv_accept(sk, skb)) {
		atomic_inc(&sk->sk_drops);
		sock_put(sk);
		goto drop;
	}
	ol2tp_ip_queue_ctrl(sk, skb);
	sock_put(sk);
	return;

drop:
	kfree_skb(skb);
}

/* --- ICMP errors ---------------------------------------------------------- */

/*
 * How closely @sk is the sender of the packet an ICMP error quotes: the
 * family's address score, plus 4 for a socket connected to the control
 * connection a quoted control message was for (@ctrl, with @conn_id when
 * @have_conn), or carrying a tunnel for a quoted data packet.  -1: not it.
 */
static int ol2tp_ip_err_score(const struct ol2tp_ip_family *fam,
			      struct sock *sk, const struct sk_buff *skb,
			      bool ctrl, bool have_conn, u32 conn_id)
{
	int score = fam->err_match(sk, skb);

	if (score < 0)
		return -1;
	if (ctrl) {
		if (!have_conn || READ_ONCE(sk->sk_state) != TCP_ESTABLISHED)
			return score;
		if (READ_ONCE(ol2tp_ip_sk(sk)->peer_conn_id) != conn_id)
			return -1;
		return score + 4;
	}
	return ol2tp_sk_tunnel(sk) ? score + 4 : score;
}

/*
 * Queue @icmp, about what @skb quotes, to @sk's error queue (IP_RECVERR):
 * what recvmsg(MSG_ERRQUEUE) reads, through the family's recv_error and
 * the kernel's ipv6_recv_error() alike.  Its data is the quoted message as
 * the socket's user wrote it, after the session id.  ip_icmp_error() and
 * ipv6_icmp_error(), which do this for UDP, are not exported in 6.1.
 */
static void ol2tp_ip_queue_err(const struct ol2tp_ip_family *fam,
			       struct sock *sk, struct sk_buff *skb,
			       const struct ol2tp_ip_icmp *icmp)
{
	const u8 *daddr = skb->data + fam->daddr_off;
	const u8 *payload = skb->data + icmp->l2tp_off +
			    OL2TP_IP_SESSION_ID_LEN;
	struct sock_exterr_skb *serr;

	skb = skb_clone(skb, GFP_ATOMIC);
	if (!skb)
		return;
	serr = SKB_EXT_ERR(skb);
	/* The control block's IP part stays: IPv6 reads its iif. */
	serr->ee = (struct sock_extended_err) {
		.ee_errno	= icmp->err,
		.ee_origin	= icmp->origin,
		.ee_type	= icmp->type,
		.ee_code	= icmp->code,
		.ee_info	= icmp->info,
	};
	serr->addr_offset = daddr - skb_network_header(skb);
	serr->port = 0;
	serr->opt_stats = 0;
	__skb_pull(skb, payload - skb->data);
	skb_reset_transport_header(skb);
	if (sock_queue_err_skb(sk, skb))
		kfree_skb(skb);
}

/*
 * Tell @sk, which may have sent what @skb quotes, as a UDP socket is told:
 * with IP_RECVERR the error is queued and pending, always; without, only a
 * hard one on a connected socket is pending.  The next recvmsg() returns
 * a pending error; poll() says EPOLLERR until then.
 */
static void ol2tp_ip_err_tell(const struct ol2tp_ip_family *fam,
			      struct sock *sk, struct sk_buff *skb,
			      const struct ol2tp_ip_icmp *icmp)
{
	bool hard = icmp->pmtu ? fam->err_pmtu_hard(sk) : icmp->hard;
	bool recverr = fam->recverr(sk);

	if (recverr)
		ol2tp_ip_queue_err(fam, sk, skb, icmp);
	else if (!hard || READ_ONCE(sk->sk_state) != TCP_ESTABLISHED)
		return;
	WRITE_ONCE(sk->sk_err, icmp->err);
	sk_error_report(sk);
}

/*
 * The buckets of @binds->addrs a sender of the packet at @skb->data (an
 * IP header) can be in, each once: by its source and destination, either
 * or both a wildcard.  Returns how many, at most 4.
 */
static unsigned int ol2tp_ip_err_buckets(const struct net *net,
					 const struct sk_buff *skb,
					 u32 buckets[4])
{
	static const struct in6_addr any = {};
	const void *saddr, *daddr;
	unsigned int i, j, n = 0;
	u32 len, b;

	len = ol2tp_ip_hdr_addrs(skb->data, &saddr, &daddr);
	for (i = 0; i < 4; i++) {
		b = ol2tp_ip_addr_bucket(net, i & 1 ? &any : saddr,
					 i & 2 ? &any : daddr, len);
		for (j = 0; j < n && buckets[j] != b; j++)
			;
		if (j == n)
			buckets[n++] = b;
	}
	return n;
}

/**
 * ol2tp_ip_err_deliver - tell the sockets that may have sent what an ICMP
 *	error quotes
 * @fam: the family
 * @net: the namespace the error came in
 * @skb: the ICMP error, @skb->data at the quoted IP header
 * @icmp: what the error is; @icmp->l2tp_off locates the quoted L2TP packet
 *
 * Every bound socket with the best score (ol2tp_ip_err_score()) is told:
 * the quoted packet names its sender no better (two unconnected sockets on
 * one address are alike), as raw sockets' error delivery tells every
 * socket of the protocol that matches.  Only the sockets bound and
 * connected to the quoted addresses, or to wildcards, are looked at: at
 * most four buckets of the address index, twice, however many sockets the
 * namespace has.  May pull @skb.
 */
void ol2tp_ip_err_deliver(const struct ol2tp_ip_family *fam, struct net *net,
			  struct sk_buff *skb, const struct ol2tp_ip_icmp *icmp)
{
	struct ol2tp_ip_binds *binds = ol2tp_ip_fam_binds(fam, net);
	unsigned int off = icmp->l2tp_off, i, n;
	bool ctrl, have_conn = false;
	struct ol2tp_ip_sock *l2tp;
	u32 buckets[4];
	int best = -1;
	u32 conn_id = 0;

	ctrl = !get_unaligned_be32(skb->data + off);
	if (ctrl && pskb_may_pull(skb, off + OL2TP_IP_CTRL_MIN_LEN)) {
		conn_id = get_unaligned_be32(skb->data + off +
					     OL2TP_IP_CTRL_CONN_ID_OFF);
		have_conn = true;
	}
	n = ol2tp_ip_err_buckets(net, skb, buckets);

	rcu_read_lock();
	for (i = 0; i < n; i++)
		hlist_for_each_entry_rcu(l2tp, &binds->addrs[buckets[i]],
					 addr_node)
			best = max(best, ol2tp_ip_err_score(fam, &l2tp->inet.sk,
							    skb, ctrl,
							    have_conn,
							    conn_id));
	for (i = 0; best >= 0 && i < n; i++) {
		hlist_for_each_entry_rcu(l2tp, &binds->addrs[buckets[i]],
					 addr_node) {
			struct sock *sk = &l2tp->inet.sk;

			if (ol2tp_ip_err_score(fam, sk, skb, ctrl, have_conn,
					       conn_id) != best ||
			    !refcount_inc_not_zero(&sk->sk_refcnt))
				continue;
			ol2tp_ip_err_tell(fam, sk, skb, icmp);
			sock_put(sk);
		}
	}
	rcu_read_unlock();
}
