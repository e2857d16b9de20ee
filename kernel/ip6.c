// SPDX-License-Identifier: GPL-2.0
/*
 * L2TP/IP sockets over IPv6, and the IPv6 receive side of IP protocol 115.
 *
 * The IPv6 twin of ip.c: socket(AF_INET6, SOCK_DGRAM, IPPROTO_L2TP) with
 * struct ol2tp_sockaddr_ip6 addresses.  The core transmits data on a
 * connected socket with inet6_csk_xmit().  IPv4-mapped addresses are
 * refused: L2TP over IPv4 is an AF_INET socket's job.
 *
 * See Documentation/l2tp-ip.rst.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/icmpv6.h>
#include <linux/in6.h>
#include <net/addrconf.h>
#include <net/inet_common.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include <net/netns/generic.h>
#include <net/protocol.h>
#include <net/transp_v6.h>
#include <net/xfrm.h>

#include "ol2tp.h"
#include "compat.h"
#include "ip_common.h"

/**
 * struct ol2tp_ip6_sock - an L2TP/IPv6 socket
 * @l2tp: the IPv4 socket's part (inet_sock first, then the L2TP fields)
 * @inet6: IPv6 state; last, where Linux 6.1 looks for it (inet6_sk_generic)
 */
struct ol2tp_ip6_sock {
	struct ol2tp_ip_sock l2tp;
	struct ipv6_pinfo inet6;
};

static unsigned int ol2tp_ip6_net_id __read_mostly;

static struct ol2tp_ip_binds *ol2tp_ip6_binds(const struct net *net)
{
	return net_generic(net, ol2tp_ip6_net_id);
}

/* --- the bind table ------------------------------------------------------ */

static bool ol2tp_ip6_addr_overlap(const struct in6_addr *a,
				   const struct in6_addr *b)
{
	return ipv6_addr_any(a) || ipv6_addr_any(b) || ipv6_addr_equal(a, b);
}

/* As ol2tp_ip_bind_conflict(), for IPv6 addresses. */
static bool ol2tp_ip6_bind_conflict(struct ol2tp_ip_binds *binds, u32 conn_id,
				    const struct in6_addr *addr, int dev)
{
	struct ol2tp_ip_sock *l2tp;

	lockdep_assert_held(&binds->lock);
	hlist_for_each_entry(l2tp, ol2tp_ip_bind_head(binds, conn_id),
			     bind_node) {
		struct sock *sk = &l2tp->inet.sk;
		int other_dev = sk->sk_bound_dev_if;

		if (l2tp->conn_id != conn_id)
			continue;
		if (!ol2tp_ip6_addr_overlap(&sk->sk_v6_rcv_saddr, addr))
			continue;
		if (other_dev && dev && other_dev != dev)
			continue;
		return true;
	}
	return false;
}

/* The socket a control message belongs to (see ol2tp_ip_lookup()).  RCU. */
static struct sock *ol2tp_ip6_lookup(struct net *net, u32 conn_id,
				     const struct in6_addr *saddr,
				     const struct in6_addr *daddr,
				     int dif, int sdif)
{
	struct ol2tp_ip_binds *binds = ol2tp_ip6_binds(net);
	struct ol2tp_ip_sock *l2tp;

	hlist_for_each_entry_rcu(l2tp, ol2tp_ip_bind_head(binds, conn_id),
				 bind_node) {
		struct sock *sk = &l2tp->inet.sk;
		int dev = READ_ONCE(sk->sk_bound_dev_if);

		if (l2tp->conn_id != conn_id)
			continue;
		if (!ipv6_addr_any(&sk->sk_v6_rcv_saddr) &&
		    !ipv6_addr_equal(&sk->sk_v6_rcv_saddr, daddr))
			continue;
		if (!ipv6_addr_any(&sk->sk_v6_daddr) &&
		    !ipv6_addr_equal(&sk->sk_v6_daddr, saddr))
			continue;
		if (dev && dev != dif && dev != sdif)
			continue;
		return sk;
	}
	return NULL;
}

/* --- struct proto ------------------------------------------------------- */

static int ol2tp_ip6_init_sock(struct sock *sk)
{
	ol2tp_ip_sk_init(sk);
	return 0;
}

static int ol2tp_ip6_hash(struct sock *sk)
{
	return 0;
}

static void ol2tp_ip6_unhash(struct sock *sk)
{
	ol2tp_ip_unbind(ol2tp_ip6_binds(sock_net(sk)), sk);
}

/*
 * Check that @addr can be bound: a local address (on @dev for link-local
 * ones), a multicast address or the wildcard.  *@dev_if is the device the
 * socket is bound to; a link-local address's scope id sets it.
 */
static int ol2tp_ip6_bind_check(struct net *net,
				const struct ol2tp_sockaddr_ip6 *addr,
				int addr_type, int *dev_if)
{
	struct net_device *dev = NULL;
	int err = 0;

	if (addr_type == IPV6_ADDR_ANY)
		return 0;
	if (addr_type & IPV6_ADDR_LINKLOCAL) {
		if (addr->l2tp_scope_id) {
			if (*dev_if && *dev_if != (int)addr->l2tp_scope_id)
				return -EINVAL;
			*dev_if = addr->l2tp_scope_id;
		}
		/* A link-local address means nothing without a link. */
		if (!*dev_if)
			return -EINVAL;
	}

	rcu_read_lock();
	if (*dev_if) {
		dev = dev_get_by_index_rcu(net, *dev_if);
		if (!dev) {
			err = -ENODEV;
			goto out;
		}
	}
	if (!(addr_type & IPV6_ADDR_MULTICAST) &&
	    !ipv6_chk_addr(net, &addr->l2tp_addr, dev,
			   !!(addr_type & IPV6_ADDR_LINKLOCAL)))
		err = -EADDRNOTAVAIL;
out:
	rcu_read_unlock();
	return err;
}

static int ol2tp_ip6_bind(struct sock *sk, struct sockaddr *uaddr,
			  int addr_len)
{
	struct ol2tp_sockaddr_ip6 *addr = (struct ol2tp_sockaddr_ip6 *)uaddr;
	struct ipv6_pinfo *np = inet6_sk(sk);
	struct ol2tp_ip_binds *binds = ol2tp_ip6_binds(sock_net(sk));
	int addr_type, dev_if, err;

	if (addr_len < (int)sizeof(*addr) || addr->l2tp_family != AF_INET6)
		return -EINVAL;
	addr_type = ipv6_addr_type(&addr->l2tp_addr);
	if (addr_type & IPV6_ADDR_MAPPED)
		return -EADDRNOTAVAIL;

	lock_sock(sk);
	err = -EINVAL;
	if (ol2tp_ip_sk_bound(sk) || sk->sk_state != TCP_CLOSE)
		goto out;
	dev_if = sk->sk_bound_dev_if;
	err = ol2tp_ip6_bind_check(sock_net(sk), addr, addr_type, &dev_if);
	if (err)
		goto out;

	spin_lock_bh(&binds->lock);
	if (ol2tp_ip6_bind_conflict(binds, addr->l2tp_conn_id,
				    &addr->l2tp_addr, dev_if)) {
		spin_unlock_bh(&binds->lock);
		err = -EADDRINUSE;
		goto out;
	}
	sk->sk_bound_dev_if = dev_if;
	sk->sk_v6_rcv_saddr = addr->l2tp_addr;
	if (!(addr_type & IPV6_ADDR_MULTICAST))
		np->saddr = addr->l2tp_addr;
	ol2tp_ip_bind_add(binds, sk, addr->l2tp_conn_id);
	spin_unlock_bh(&binds->lock);

	if (addr_type != IPV6_ADDR_ANY)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	sk_dst_reset(sk);
	err = 0;
out:
	release_sock(sk);
	return err;
}

static int ol2tp_ip6_connect(struct sock *sk, struct sockaddr *uaddr,
			     int addr_len)
{
	struct ol2tp_sockaddr_ip6 *addr = (struct ol2tp_sockaddr_ip6 *)uaddr;
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	int err;

	/* Unlike IPv4 (EAFNOSUPPORT), a wrong family is EINVAL: as Linux. */
	if (addr_len < (int)sizeof(*addr) || addr->l2tp_family != AF_INET6 ||
	    ipv6_addr_v4mapped(&addr->l2tp_addr))
		return -EINVAL;
	/* Everything but the port, which is l2tp_unused here. */
	sin6.sin6_flowinfo = addr->l2tp_flowinfo;
	sin6.sin6_addr = addr->l2tp_addr;
	sin6.sin6_scope_id = addr->l2tp_scope_id;

	lock_sock(sk);
	err = -EINVAL;
	if (!ol2tp_ip_sk_bound(sk))
		goto out;
	/* Routes, sets the peer (sk_v6_daddr) and caches the route. */
	err = __ip6_datagram_connect(sk, (struct sockaddr *)&sin6,
				     sizeof(sin6));
	if (!err)
		ol2tp_ip_sk(sk)->peer_conn_id = addr->l2tp_conn_id;
out:
	release_sock(sk);
	return err;
}

static int ol2tp_ip6_sendmsg(struct sock *sk, struct msghdr *msg, size_t len)
{
	DECLARE_SOCKADDR(struct ol2tp_sockaddr_ip6 *, addr, msg->msg_name);
	struct ipv6_pinfo *np = inet6_sk(sk);
	struct in6_addr *final_p, final, daddr;
	struct ipv6_txoptions *opt;
	struct dst_entry *dst;
	struct sk_buff *skb;
	struct flowi6 fl6;
	int err;

	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	/* No ancillary data on send: see Documentation/l2tp-ip.rst. */
	if (msg->msg_controllen)
		return -EINVAL;
	if (len > IPV6_MAXPLEN - OL2TP_IP_SESSION_ID_LEN)
		return -EMSGSIZE;

	memset(&fl6, 0, sizeof(fl6));
	if (addr) {
		/* The conn id is not needed, nor the scope id (RFC 2133). */
		if (msg->msg_namelen < SIN6_LEN_RFC2133)
			return -EINVAL;
		if (addr->l2tp_family != AF_INET6)
			return -EAFNOSUPPORT;
		if (ipv6_addr_v4mapped(&addr->l2tp_addr))
			return -EINVAL;
		fl6.daddr = addr->l2tp_addr;
		if (msg->msg_namelen >= (int)offsetofend(typeof(*addr),
							  l2tp_scope_id) &&
		    __ipv6_addr_needs_scope_id(ipv6_addr_type(&fl6.daddr)))
			fl6.flowi6_oif = addr->l2tp_scope_id;
	} else if (READ_ONCE(sk->sk_state) != TCP_ESTABLISHED) {
		return -EDESTADDRREQ;
	}

	skb = ol2tp_ip_alloc_msg(sk, msg, len, &err);
	if (!skb)
		return err;

	lock_sock(sk);
	if (!addr) {
		if (sk->sk_state != TCP_ESTABLISHED) {
			err = -EDESTADDRREQ;
			goto out_free;
		}
		fl6.daddr = sk->sk_v6_daddr;
		fl6.flowlabel = np->flow_label;
	}
	daddr = fl6.daddr;
	if (!fl6.flowi6_oif)
		fl6.flowi6_oif = sk->sk_bound_dev_if;
	if (!fl6.flowi6_oif && ipv6_addr_is_multicast(&fl6.daddr))
		fl6.flowi6_oif = np->mcast_oif;
	fl6.flowi6_proto = sk->sk_protocol;
	fl6.flowi6_mark = READ_ONCE(sk->sk_mark);
	fl6.flowi6_uid = sk->sk_uid;
	fl6.saddr = np->saddr;
	security_sk_classify_flow(sk, flowi6_to_flowi_common(&fl6));

	rcu_read_lock();
	opt = rcu_dereference(np->opt);
	final_p = fl6_update_dst(&fl6, opt, &final);
	/* A connected socket uses, and refreshes, its cached route. */
	dst = ip6_sk_dst_lookup_flow(sk, &fl6, final_p, !addr);
	if (IS_ERR(dst)) {
		rcu_read_unlock();
		err = PTR_ERR(dst);
		goto out_free;
	}
	/* Routed to the first hop of a routing header: send to the last. */
	fl6.daddr = daddr;
	skb_dst_set(skb, dst);
	/* Fragment what exceeds the path MTU, as a datagram socket does. */
	skb->ignore_df = 1;
	err = ip6_xmit(sk, skb, &fl6, fl6.flowi6_mark, opt, np->tclass,
		       READ_ONCE(sk->sk_priority));
	rcu_read_unlock();
	release_sock(sk);
	if (err > 0)
		err = net_xmit_errno(err);
	return err ? err : len;

out_free:
	release_sock(sk);
	kfree_skb(skb);
	return err;
}

static int ol2tp_ip6_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
			     int flags, int *addr_len)
{
	DECLARE_SOCKADDR(struct ol2tp_sockaddr_ip6 *, addr, msg->msg_name);
	struct sk_buff *skb;
	int copied, err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (flags & MSG_ERRQUEUE)
		return ipv6_recv_error(sk, msg, len, addr_len);

	skb = ol2tp_ip_recv_skb(sk, msg, len, flags, &copied, &err);
	if (!skb)
		return err;
	if (addr) {
		memset(addr, 0, sizeof(*addr));
		addr->l2tp_family = AF_INET6;
		addr->l2tp_addr = ipv6_hdr(skb)->saddr;
		addr->l2tp_scope_id = ipv6_iface_scope_id(&addr->l2tp_addr,
							  inet6_iif(skb));
		/* The message carried ours: the lookup matched it exactly. */
		addr->l2tp_conn_id = ol2tp_ip_sk(sk)->conn_id;
		*addr_len = sizeof(*addr);
	}
	if (inet6_sk(sk)->rxopt.all)
		ip6_datagram_recv_ctl(sk, msg, skb);
	skb_free_datagram(sk, skb);
	return copied;
}

static struct proto ol2tp_ip6_prot = {
	.name		= "OL2TP/IPv6",
	.owner		= THIS_MODULE,
	.init		= ol2tp_ip6_init_sock,
	.close		= ol2tp_ip_close,
	.connect	= ol2tp_ip6_connect,
	.disconnect	= ol2tp_ip_disconnect,
	.setsockopt	= ipv6_setsockopt,
	.getsockopt	= ipv6_getsockopt,
	.sendmsg	= ol2tp_ip6_sendmsg,
	.recvmsg	= ol2tp_ip6_recvmsg,
	.bind		= ol2tp_ip6_bind,
	.hash		= ol2tp_ip6_hash,
	.unhash		= ol2tp_ip6_unhash,
	.release_cb	= ip6_datagram_release_cb,
	.obj_size	= sizeof(struct ol2tp_ip6_sock),
};

/* --- struct proto_ops ----------------------------------------------------- */

static int ol2tp_ip6_getname(struct socket *sock, struct sockaddr *uaddr,
			     int peer)
{
	DECLARE_SOCKADDR(struct ol2tp_sockaddr_ip6 *, addr, uaddr);
	struct sock *sk = sock->sk;
	int err = sizeof(*addr);

	memset(addr, 0, sizeof(*addr));
	addr->l2tp_family = AF_INET6;
	lock_sock(sk);
	if (peer) {
		if (sk->sk_state != TCP_ESTABLISHED) {
			err = -ENOTCONN;
			goto out;
		}
		addr->l2tp_addr = sk->sk_v6_daddr;
		addr->l2tp_flowinfo = inet6_sk(sk)->flow_label;
		addr->l2tp_conn_id = ol2tp_ip_sk(sk)->peer_conn_id;
	} else {
		addr->l2tp_addr = sk->sk_v6_rcv_saddr;
		addr->l2tp_conn_id = ol2tp_ip_sk(sk)->conn_id;
	}
	addr->l2tp_scope_id = ipv6_iface_scope_id(&addr->l2tp_addr,
						  sk->sk_bound_dev_if);
out:
	release_sock(sk);
	return err;
}

static int ol2tp_ip6_sock_ioctl(struct socket *sock, unsigned int cmd,
				unsigned long arg)
{
	return ol2tp_ip_ioctl(sock, cmd, arg, inet6_ioctl);
}

static const struct proto_ops ol2tp_ip6_ops = {
	.family		= PF_INET6,
	.owner		= THIS_MODULE,
	.release	= inet6_release,
	.bind		= inet6_bind,
	.connect	= inet_dgram_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= sock_no_accept,
	.getname	= ol2tp_ip6_getname,
	.poll		= datagram_poll,
	.ioctl		= ol2tp_ip6_sock_ioctl,
	.gettstamp	= sock_gettstamp,
	.listen		= sock_no_listen,
	.shutdown	= inet_shutdown,
	.setsockopt	= sock_common_setsockopt,
	.getsockopt	= sock_common_getsockopt,
	.sendmsg	= inet_sendmsg,
	.recvmsg	= sock_common_recvmsg,
	.mmap		= sock_no_mmap,
};

static struct inet_protosw ol2tp_ip6_protosw = {
	.type		= SOCK_DGRAM,
	.protocol	= OL2TP_IPPROTO_L2TP,
	.prot		= &ol2tp_ip6_prot,
	.ops		= &ol2tp_ip6_ops,
};

/* --- receive ------------------------------------------------------------ */

static int ol2tp_ip6_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	const struct ipv6hdr *ip6h;
	struct sock *sk;
	__be32 session_id;
	u32 conn_id;

	if (!pskb_may_pull(skb, OL2TP_IP_SESSION_ID_LEN))
		goto drop;
	memcpy(&session_id, skb->data, sizeof(session_id));
	if (session_id) {
		ol2tp_ip_rcv_data(net, skb);
		return 0;
	}

	if (!ol2tp_ip_rcv_ctrl_conn_id(skb, &conn_id))
		goto drop;
	ip6h = ipv6_hdr(skb);

	rcu_read_lock();
	sk = ol2tp_ip6_lookup(net, conn_id, &ip6h->saddr, &ip6h->daddr,
			      inet6_iif(skb), inet6_sdif(skb));
	if (sk && !refcount_inc_not_zero(&sk->sk_refcnt))
		sk = NULL;
	rcu_read_unlock();
	if (!sk)
		goto drop;

	if (!xfrm6_policy_check(sk, XFRM_POLICY_IN, skb)) {
		atomic_inc(&sk->sk_drops);
		sock_put(sk);
		goto drop;
	}
	ol2tp_ip_queue_ctrl(sk, skb);
	sock_put(sk);
	return 0;

drop:
	kfree_skb(skb);
	return 0;
}

/* ICMPv6 errors about packets we sent: path MTU and redirects. */
static int ol2tp_ip6_err(struct sk_buff *skb, struct inet6_skb_parm *opt,
			 u8 type, u8 code, int offset, __be32 info)
{
	struct net *net = dev_net(skb->dev);

	if (type == ICMPV6_PKT_TOOBIG)
		ip6_update_pmtu(skb, net, info, 0, 0, sock_net_uid(net, NULL));
	else if (type == NDISC_REDIRECT)
		ip6_redirect(skb, net, skb->dev->ifindex, 0,
			     sock_net_uid(net, NULL));
	return 0;
}

static const struct inet6_protocol ol2tp_ip6_protocol = {
	.handler	= ol2tp_ip6_rcv,
	.err_handler	= ol2tp_ip6_err,
	.flags		= INET6_PROTO_FINAL,
};

/* --- per-netns state ------------------------------------------------------ */

static int __net_init ol2tp_ip6_net_init(struct net *net)
{
	ol2tp_ip_binds_init(ol2tp_ip6_binds(net));
	return 0;
}

/* As in ip.c: the table is freed after every subsystem's exit ran. */
static struct pernet_operations ol2tp_ip6_net_ops = {
	.init	= ol2tp_ip6_net_init,
	.id	= &ol2tp_ip6_net_id,
	.size	= sizeof(struct ol2tp_ip_binds),
};

/* --- init ----------------------------------------------------------------- */

int ol2tp_ip6_init(void)
{
	int err;

	ol2tp_compat_proto_set_ipv6_pinfo(&ol2tp_ip6_prot,
					  offsetof(struct ol2tp_ip6_sock,
						   inet6));
	err = proto_register(&ol2tp_ip6_prot, 1);
	if (err)
		return err;
	err = register_pernet_subsys(&ol2tp_ip6_net_ops);
	if (err)
		goto err_proto;
	if (inet6_add_protocol(&ol2tp_ip6_protocol, OL2TP_IPPROTO_L2TP)) {
		pr_err("IPv6 next header %d is taken, probably by Linux's own L2TP/IPv6: unload it first (rmmod l2tp_ip6)\n",
		       OL2TP_IPPROTO_L2TP);
		err = -EBUSY;
		goto err_pernet;
	}
	err = inet6_register_protosw(&ol2tp_ip6_protosw);
	if (err)
		goto err_protocol;
	return 0;

err_protocol:
	inet6_del_protocol(&ol2tp_ip6_protocol, OL2TP_IPPROTO_L2TP);
err_pernet:
	unregister_pernet_subsys(&ol2tp_ip6_net_ops);
err_proto:
	proto_unregister(&ol2tp_ip6_prot);
	return err;
}

void ol2tp_ip6_uninit(void)
{
	inet6_unregister_protosw(&ol2tp_ip6_protosw);
	inet6_del_protocol(&ol2tp_ip6_protocol, OL2TP_IPPROTO_L2TP);
	unregister_pernet_subsys(&ol2tp_ip6_net_ops);
	proto_unregister(&ol2tp_ip6_prot);
}

/* socket(AF_INET6, SOCK_DGRAM, 115) loads us (type 2 is SOCK_DGRAM). */
MODULE_ALIAS_NET_PF_PROTO_TYPE(PF_INET6, OL2TP_IPPROTO_L2TP, 2);
