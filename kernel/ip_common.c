// SPDX-License-Identifier: GPL-2.0
/*
 * The L2TP/IP socket calls whose logic is the same over IPv4 (ip.c) and IPv6
 * (ip6.c): bind and connect bookkeeping, recvmsg and getname, the control
 * message receive path.  Each reaches what depends on the family through
 * the family's struct ol2tp_ip_family.  None of it is on the data path.
 *
 * See ip_common.h for the packet format and Documentation/l2tp-ip.rst.
 */

#include <linux/module.h>
#include <net/netns/generic.h>
#include <net/xfrm.h>

#include "ip_common.h"
#include "net.h"
#include "rx.h"
#include "compat.h"

static struct ol2tp_ip_binds *ol2tp_ip_fam_binds(const struct ol2tp_ip_family *fam,
						 const struct net *net)
{
	return net_generic(net, *fam->net_id);
}

/* Add @sk under @conn_id; the caller holds @binds->lock and checked. */
static void ol2tp_ip_bind_add(struct ol2tp_ip_binds *binds,
			      struct sock *sk, u32 conn_id)
{
	lockdep_assert_held(&binds->lock);
	ol2tp_ip_sk(sk)->conn_id = conn_id;
	hlist_add_head_rcu(&ol2tp_ip_sk(sk)->bind_node,
			   ol2tp_ip_bind_head(binds, conn_id));
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
int ol2tp_ip_disconnect(struct sock *sk, int flags)
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
	if (!err)
		ol2tp_ip_sk(sk)->peer_conn_id = peer_conn_id;
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

/* --- data ----------------------------------------------------------------- */

/*
 * The L2TPv3 session @session_id of an IP-encapsulated tunnel in @pn, or
 * NULL.  Caller holds RCU.
 */
static struct ol2tp_session *ol2tp_ip_session_lookup(struct ol2tp_net *pn,
						     u32 session_id)
{
	struct ol2tp_session *s;

	hlist_for_each_entry_rcu(s, ol2tp_net_session_bucket(pn, session_id),
				 net_hnode)
		if (s->session_id == session_id &&
		    s->tunnel->encap_ops == &ol2tp_ip_encap_ops)
			return s;
	return NULL;
}

/*
 * Whether the IPsec policies of the tunnel's socket (IP_XFRM_POLICY,
 * IPV6_XFRM_POLICY) and of its namespace let @skb in; the network header
 * of @skb is the tunnel packet's.  Data over IP reaches a session without
 * passing a socket, so it is checked here (UDP checks its socket's policy
 * before encap_rcv).  RCU held.
 */
static bool ol2tp_tunnel_xfrm_policy_check(struct ol2tp_tunnel *tunnel,
					   struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_IPV6)
	if (ip_hdr(skb)->version == 6)
		return xfrm6_policy_check(tunnel->sk, XFRM_POLICY_IN, skb);
#endif
	return xfrm4_policy_check(tunnel->sk, XFRM_POLICY_IN, skb);
}

/* Whether @skb (network header set) came over IP-encapsulated tunnel @t. */
static bool ol2tp_ip_tunnel_match(const struct ol2tp_tunnel *t,
				  const struct sk_buff *skb)
{
	const struct sock *sk = t->sk;

#if IS_ENABLED(CONFIG_IPV6)
	if (ip_hdr(skb)->version == 6) {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		return sk->sk_family == AF_INET6 &&
		       (ipv6_addr_any(&sk->sk_v6_rcv_saddr) ||
			ipv6_addr_equal(&sk->sk_v6_rcv_saddr, &ip6h->daddr)) &&
		       (ipv6_addr_any(&sk->sk_v6_daddr) ||
			ipv6_addr_equal(&sk->sk_v6_daddr, &ip6h->saddr));
	}
#endif
	return sk->sk_family == AF_INET &&
	       (!sk->sk_rcv_saddr || sk->sk_rcv_saddr == ip_hdr(skb)->daddr) &&
	       (!sk->sk_daddr || sk->sk_daddr == ip_hdr(skb)->saddr);
}

/*
 * A data packet over IP for no session of the namespace: count it in the
 * rx_errors of the first IP-encapsulated tunnel whose socket's addresses
 * it was sent between, as UDP counts it in its tunnel's.  (Linux counts it
 * nowhere.)  The walk is over the namespace's tunnels, on this drop path
 * only.  RCU held.
 */
static void ol2tp_ip_rcv_unknown(struct net *net, const struct sk_buff *skb)
{
	struct ol2tp_net *pn = ol2tp_pernet(net);
	struct ol2tp_tunnel *t;
	unsigned int b;

	for (b = 0; b < ARRAY_SIZE(pn->tunnels); b++)
		hlist_for_each_entry_rcu(t, &pn->tunnels[b], hnode)
			if (t->encap_ops == &ol2tp_ip_encap_ops &&
			    ol2tp_ip_tunnel_match(t, skb)) {
				ol2tp_stat_add(t->stats, rx_errors, 1);
				return;
			}
}

int ol2tp_ip_rcv_data(struct net *net, struct sk_buff *skb)
{
	struct ol2tp_session *s;
	u32 session_id;
	int ret;

	if (!pskb_may_pull(skb, OL2TP_IP_SESSION_ID_LEN))
		goto drop;
	session_id = get_unaligned_be32(skb->data);

	rcu_read_lock();
	s = ol2tp_ip_session_lookup(ol2tp_pernet(net), session_id);
	if (!s) {
		ol2tp_ip_rcv_unknown(net, skb);
		rcu_read_unlock();
		goto drop;
	}
	/* IP protocol 115 has no socket layer to apply the tunnel's. */
	if (!ol2tp_tunnel_xfrm_policy_check(s->tunnel, skb)) {
		ol2tp_stat_add(s->stats, rx_errors, 1);
		rcu_read_unlock();
		goto drop;
	}
	skb_pull_rcsum(skb, OL2TP_IP_SESSION_ID_LEN);
	ret = ol2tp_recv_session(s, skb, OL2TP_IP_SESSION_ID_LEN);
	rcu_read_unlock();
	return ret;

drop:
	kfree_skb(skb);
	return NET_RX_DROP;
}

/* --- the IP encapsulation of tunnels ---------------------------------------- */

static int ol2tp_ip_sock_check(struct sock *sk, struct netlink_ext_ack *extack)
{
	if (sk->sk_protocol != OL2TP_IPPROTO_L2TP) {
		NL_SET_ERR_MSG(extack,
			       "ENCAP_TYPE is IP but FD is not an L2TP/IP socket");
		return -EPROTONOSUPPORT;
	}
	return 0;
}

/*
 * An L2TP/IP socket is of this module's own protocol: creating one takes a
 * reference on the module twice (__sock_create on the socket ops' owner,
 * sk_alloc on the proto's).  The kernel socket of an unmanaged tunnel must
 * not keep the module from unloading, any more than an unmanaged UDP
 * tunnel's does: it drops both, and takes them back just before it releases
 * the socket (tunnel delete, which the flush does at unload) so that the
 * release drops what it expects.
 */
static void ol2tp_ip_sock_unpin(struct socket *sock)
{
	module_put(sock->sk->sk_prot_creator->owner);
	module_put(sock->ops->owner);
}

/* Release an unmanaged tunnel's socket, with what it pins taken back. */
static void ol2tp_ip_sock_release(struct socket *sock)
{
	__module_get(sock->ops->owner);
	__module_get(sock->sk->sk_prot_creator->owner);
	sock_release(sock);
}

/* Create, bind and connect the socket of an unmanaged L2TP/IP tunnel. */
static int ol2tp_ip_sock_create(struct net *net,
				       const struct ol2tp_tunnel_cfg *cfg,
				       u32 tunnel_id, struct socket **sockp,
				       struct netlink_ext_ack *extack)
{
	struct ol2tp_sockaddr_ip6 la6 = {}, ra6 = {};
	struct ol2tp_sockaddr_ip la = {}, ra = {};
	struct sockaddr *lsa, *rsa;
	struct socket *sock;
	int err, len;

	err = sock_create_kern(net, cfg->family, SOCK_DGRAM,
			       OL2TP_IPPROTO_L2TP, &sock);
	if (err < 0) {
		NL_SET_ERR_MSG(extack,
			       "cannot create an L2TP/IP socket (is IP encapsulation available?)");
		return err;
	}
	if (cfg->family == AF_INET6) {
		la6.l2tp_family = AF_INET6;
		la6.l2tp_addr = cfg->saddr6;
		la6.l2tp_conn_id = tunnel_id;
		ra6.l2tp_family = AF_INET6;
		ra6.l2tp_addr = cfg->daddr6;
		ra6.l2tp_conn_id = tunnel_id;
		lsa = (struct sockaddr *)&la6;
		rsa = (struct sockaddr *)&ra6;
		len = sizeof(la6);
	} else {
		la.l2tp_family = AF_INET;
		la.l2tp_addr.s_addr = cfg->saddr4;
		la.l2tp_conn_id = tunnel_id;
		ra.l2tp_family = AF_INET;
		ra.l2tp_addr.s_addr = cfg->daddr4;
		ra.l2tp_conn_id = tunnel_id;
		lsa = (struct sockaddr *)&la;
		rsa = (struct sockaddr *)&ra;
		len = sizeof(la);
	}
	err = kernel_bind(sock, lsa, len);
	if (err < 0) {
		NL_SET_ERR_MSG(extack,
			       "cannot bind the tunnel socket to the local address");
		goto err_release_sock;
	}
	err = kernel_connect(sock, rsa, len, 0);
	if (err < 0) {
		NL_SET_ERR_MSG(extack,
			       "cannot connect the tunnel socket to the peer address");
		goto err_release_sock;
	}
	ol2tp_ip_sock_unpin(sock);
	*sockp = sock;
	return 0;

err_release_sock:
	sock_release(sock);
	return err;
}

static int ol2tp_ip_attach(struct ol2tp_tunnel *t,
				  struct netlink_ext_ack *extack)
{
	struct sock *sk = t->sk;
	int err = 0;

	lock_sock(sk);
	if (rcu_access_pointer(__sk_user_data(sk))) {
		NL_SET_ERR_MSG(extack, "FD socket is already used by a tunnel");
		err = -EBUSY;
	} else {
		rcu_assign_sk_user_data(sk, t);
	}
	release_sock(sk);
	return err;
}

static void ol2tp_ip_detach(struct ol2tp_tunnel *t)
{
	struct sock *sk = t->sk;

	lock_sock(sk);
	if (rcu_access_pointer(__sk_user_data(sk)) == t)
		rcu_assign_sk_user_data(sk, NULL);
	release_sock(sk);
}

const struct ol2tp_encap_ops ol2tp_ip_encap_ops = {
	.encap_type = OL2TP_ENCAPTYPE_IP,
	.ipproto = OL2TP_IPPROTO_L2TP,
	.netns_session_ids = true,
	.sock_check = ol2tp_ip_sock_check,
	.sock_create = ol2tp_ip_sock_create,
	.sock_release = ol2tp_ip_sock_release,
	.attach = ol2tp_ip_attach,
	.detach = ol2tp_ip_detach,
};
