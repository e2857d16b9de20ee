// SPDX-License-Identifier: GPL-2.0
/*
 * L2TPv3 over IP as a tunnel's encapsulation (RFC 3931 section 4.1.1): the
 * data packets ip.c and ip6.c receive (found by their session id alone),
 * and an unmanaged tunnel's L2TP/IP socket: create, attach, detach,
 * release.  Over IP there is no header between IP and L2TP to push.
 */

#include <linux/module.h>
#include <linux/net.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/xfrm.h>

#include "ip_common.h"
#include "net.h"
#include "rx.h"
#include "compat.h"

/* --- data receive ---------------------------------------------------------- */

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
 * The tunnel sockets by address (ol2tp_net.ip_socks): a socket is hashed by
 * its local and peer addresses, each all zeros where it has none (unbound,
 * unconnected), while a tunnel rides on it (attach to detach), and moves
 * when bind() or connect() changes them (ol2tp_ip_tunnel_sk_rehash()).
 * Writers hold the socket's lock, then ol2tp_net.lock.  A reader that
 * races a move may miss the socket (a packet goes uncounted), never loop.
 */
static struct hlist_head *ol2tp_ip_sock_bucket(struct ol2tp_net *pn,
					       const struct net *net,
					       const void *laddr,
					       const void *raddr, u32 len)
{
	u32 h = ol2tp_ip_addrs_hash(net, laddr, raddr, len);

	return &pn->ip_socks[hash_32(h, OL2TP_NET_HBITS)];
}

static struct hlist_head *ol2tp_ip_sk_bucket(struct ol2tp_net *pn,
					    const struct sock *sk)
{
	const void *laddr, *raddr;
	u32 len = ol2tp_ip_sk_addrs(sk, &laddr, &raddr);

	return ol2tp_ip_sock_bucket(pn, sock_net(sk), laddr, raddr, len);
}

/* Hash @sk (@hash) or unhash it; lock_sock() held. */
static void ol2tp_ip_sk_hash(struct sock *sk, bool hash)
{
	struct ol2tp_net *pn = ol2tp_pernet(sock_net(sk));
	struct hlist_node *node = &ol2tp_ip_sk(sk)->tunnel_node;

	spin_lock_bh(&pn->lock);
	if (!hlist_unhashed(node))
		hlist_del_init_rcu(node);
	if (hash)
		hlist_add_head_rcu(node, ol2tp_ip_sk_bucket(pn, sk));
	spin_unlock_bh(&pn->lock);
}

void ol2tp_ip_tunnel_sk_rehash(struct sock *sk)
{
	if (!hlist_unhashed(&ol2tp_ip_sk(sk)->tunnel_node))
		ol2tp_ip_sk_hash(sk, true);
}

/*
 * The first IP-encapsulated tunnel riding on a socket whose addresses
 * @skb (network header set) was sent between: a socket bound to its
 * destination and connected to its source, else one with either or both
 * of those a wildcard.  At most four buckets, whatever the number of
 * tunnels.  RCU held.
 */
static struct ol2tp_tunnel *ol2tp_ip_tunnel_by_addr(struct net *net,
						    const struct sk_buff *skb)
{
	static const struct in6_addr any = {};
	struct ol2tp_net *pn = ol2tp_pernet(net);
	const void *saddr, *daddr;
	struct ol2tp_ip_sock *l2tp;
	unsigned int i;
	u32 len;

	len = ol2tp_ip_hdr_addrs(skb_network_header(skb), &saddr, &daddr);
	for (i = 0; i < 4; i++) {
		struct hlist_head *head;

		head = ol2tp_ip_sock_bucket(pn, net, i & 1 ? &any : daddr,
					    i & 2 ? &any : saddr, len);
		hlist_for_each_entry_rcu(l2tp, head, tunnel_node) {
			struct ol2tp_tunnel *t = ol2tp_sk_tunnel(&l2tp->inet.sk);

			if (t && ol2tp_ip_tunnel_match(t, skb))
				return t;
		}
	}
	return NULL;
}

/*
 * A data packet over IP for no session of the namespace: count it in the
 * rx_errors of an IP-encapsulated tunnel whose socket's addresses it was
 * sent between, as UDP counts it in its tunnel's.  (Linux counts it
 * nowhere.)  RCU held.
 */
static void ol2tp_ip_rcv_unknown(struct net *net, const struct sk_buff *skb)
{
	struct ol2tp_tunnel *t = ol2tp_ip_tunnel_by_addr(net, skb);

	if (t)
		ol2tp_stat_add(t->stats, rx_errors, 1);
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

/*
 * An L2TP/IP socket: only ours are datagram sockets of protocol 115 (Linux's
 * l2tp_ip cannot load beside us); the owner check makes sure, since the
 * tunnel uses our socket's fields (struct ol2tp_ip_sock).
 */
static int ol2tp_ip_sock_check(struct sock *sk, struct netlink_ext_ack *extack)
{
	if (sk->sk_protocol != OL2TP_IPPROTO_L2TP ||
	    sk->sk_prot->owner != THIS_MODULE) {
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
		ol2tp_ip_sk_hash(sk, true);
	}
	release_sock(sk);
	return err;
}

static void ol2tp_ip_detach(struct ol2tp_tunnel *t)
{
	struct sock *sk = t->sk;

	lock_sock(sk);
	if (rcu_access_pointer(__sk_user_data(sk)) == t) {
		ol2tp_ip_sk_hash(sk, false);
		rcu_assign_sk_user_data(sk, NULL);
	}
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
