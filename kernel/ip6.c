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

#include <linux/module.h>
#include <linux/errqueue.h>
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

/* --- the family's part of the socket calls ------------------------------ */

static bool ol2tp_ip6_addr_overlap(const struct in6_addr *a,
				   const struct in6_addr *b)
{
	return ipv6_addr_any(a) || ipv6_addr_any(b) || ipv6_addr_equal(a, b);
}

/*
 * Check that @addr can be bound: a local address (on @dev for link-local
 * ones), a multicast address or the wildcard.  *@dev_if is the device the
 * socket is bound to; a link-local address's scope id sets it.
 */
static int ol2tp_ip6_bind_addr_check(struct net *net,
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
			goto out_release;
		}
	}
	if (!(addr_type & IPV6_ADDR_MULTICAST) &&
	    !ipv6_chk_addr(net, &addr->l2tp_addr, dev,
			   !!(addr_type & IPV6_ADDR_LINKLOCAL)))
		err = -EADDRNOTAVAIL;
out_release:
	rcu_read_unlock();
	return err;
}

static int ol2tp_ip6_bind_check(struct sock *sk, struct ol2tp_ip_bind_req *req)
{
	const struct ol2tp_sockaddr_ip6 *addr = (const void *)req->uaddr;

	req->addr_type = ipv6_addr_type(&addr->l2tp_addr);
	return ol2tp_ip6_bind_addr_check(sock_net(sk), addr, req->addr_type,
					 &req->dev_if);
}

static bool ol2tp_ip6_bind_overlaps(const struct sock *sk,
				    const struct ol2tp_ip_bind_req *req)
{
	const struct ol2tp_sockaddr_ip6 *addr = (const void *)req->uaddr;

	return ol2tp_ip6_addr_overlap(&sk->sk_v6_rcv_saddr, &addr->l2tp_addr);
}

static void ol2tp_ip6_bind_set(struct sock *sk,
			       const struct ol2tp_ip_bind_req *req)
{
	const struct ol2tp_sockaddr_ip6 *addr = (const void *)req->uaddr;

	sk->sk_bound_dev_if = req->dev_if;
	sk->sk_v6_rcv_saddr = addr->l2tp_addr;
	if (!(req->addr_type & IPV6_ADDR_MULTICAST))
		inet6_sk(sk)->saddr = addr->l2tp_addr;
}

/* As ol2tp_ip_rcv_match(), for IPv6.  RCU. */
static bool ol2tp_ip6_rcv_match(const struct sock *sk,
				const struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	int dev = READ_ONCE(sk->sk_bound_dev_if);

	if (!ipv6_addr_any(&sk->sk_v6_rcv_saddr) &&
	    !ipv6_addr_equal(&sk->sk_v6_rcv_saddr, &ip6h->daddr))
		return false;
	if (!ipv6_addr_any(&sk->sk_v6_daddr) &&
	    !ipv6_addr_equal(&sk->sk_v6_daddr, &ip6h->saddr))
		return false;
	return !dev || dev == inet6_iif(skb) || dev == inet6_sdif(skb);
}

/* As ol2tp_ip_err_match(), for IPv6.  RCU. */
static int ol2tp_ip6_err_match(const struct sock *sk,
			       const struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h = (const struct ipv6hdr *)skb->data;
	int dev = READ_ONCE(sk->sk_bound_dev_if);
	int score = 0;

	if (!ipv6_addr_any(&sk->sk_v6_rcv_saddr)) {
		if (!ipv6_addr_equal(&sk->sk_v6_rcv_saddr, &ip6h->saddr))
			return -1;
		score += 1;
	}
	if (!ipv6_addr_any(&sk->sk_v6_daddr)) {
		if (!ipv6_addr_equal(&sk->sk_v6_daddr, &ip6h->daddr))
			return -1;
		score += 2;
	}
	if (dev && dev != inet6_iif(skb) && dev != inet6_sdif(skb))
		return -1;
	return score;
}

/* "Packet too big" is hard when path MTU discovery is "do", as for UDP. */
static bool ol2tp_ip6_err_pmtu_hard(const struct sock *sk)
{
	return inet6_sk(sk)->pmtudisc == IPV6_PMTUDISC_DO;
}

static bool ol2tp_ip6_rcv_accept(struct sock *sk, struct sk_buff *skb)
{
	return xfrm6_policy_check(sk, XFRM_POLICY_IN, skb);
}

static void ol2tp_ip6_recv_name(struct sock *sk, const struct sk_buff *skb,
				struct sockaddr *uaddr)
{
	struct ol2tp_sockaddr_ip6 *addr = (struct ol2tp_sockaddr_ip6 *)uaddr;

	addr->l2tp_addr = ipv6_hdr(skb)->saddr;
	addr->l2tp_scope_id = ipv6_iface_scope_id(&addr->l2tp_addr,
						  inet6_iif(skb));
	/* The message carried ours: the lookup matched it exactly. */
	addr->l2tp_conn_id = ol2tp_ip_sk(sk)->conn_id;
}

static void ol2tp_ip6_recv_cmsgs(struct sock *sk, struct msghdr *msg,
				 struct sk_buff *skb)
{
	if (inet6_sk(sk)->rxopt.all)
		ip6_datagram_recv_ctl(sk, msg, skb);
}

static void ol2tp_ip6_name(struct sock *sk, struct sockaddr *uaddr, bool peer)
{
	struct ol2tp_sockaddr_ip6 *addr = (struct ol2tp_sockaddr_ip6 *)uaddr;

	if (peer) {
		addr->l2tp_addr = sk->sk_v6_daddr;
		addr->l2tp_flowinfo = inet6_sk(sk)->flow_label;
		addr->l2tp_conn_id = ol2tp_ip_sk(sk)->peer_conn_id;
	} else {
		addr->l2tp_addr = sk->sk_v6_rcv_saddr;
		addr->l2tp_conn_id = ol2tp_ip_sk(sk)->conn_id;
	}
	addr->l2tp_scope_id = ipv6_iface_scope_id(&addr->l2tp_addr,
						  sk->sk_bound_dev_if);
}

static const struct ol2tp_ip_family ol2tp_ip6_family = {
	.family		= AF_INET6,
	.addr_len	= sizeof(struct ol2tp_sockaddr_ip6),
	.net_id		= &ol2tp_ip6_net_id,
	.bind_check	= ol2tp_ip6_bind_check,
	.bind_overlaps	= ol2tp_ip6_bind_overlaps,
	.bind_set	= ol2tp_ip6_bind_set,
	.connect	= __ip6_datagram_connect,
	.rcv_match	= ol2tp_ip6_rcv_match,
	.rcv_accept	= ol2tp_ip6_rcv_accept,
	.recv_error	= ipv6_recv_error,
	.recv_name	= ol2tp_ip6_recv_name,
	.recv_cmsgs	= ol2tp_ip6_recv_cmsgs,
	.getname	= ol2tp_ip6_name,
	.err_match	= ol2tp_ip6_err_match,
	.err_pmtu_hard	= ol2tp_ip6_err_pmtu_hard,
	.recverr	= ol2tp_sk_recverr6,
	.daddr_off	= offsetof(struct ipv6hdr, daddr),
};

/* --- struct proto ------------------------------------------------------- */

static void ol2tp_ip6_unhash(struct sock *sk)
{
	ol2tp_ip_unbind(ol2tp_ip6_binds(sock_net(sk)), sk);
}

static int ol2tp_ip6_bind(struct sock *sk, struct sockaddr *uaddr,
			  int addr_len)
{
	struct ol2tp_sockaddr_ip6 *addr = (struct ol2tp_sockaddr_ip6 *)uaddr;
	struct ol2tp_ip_bind_req req = { .uaddr = uaddr };

	if (addr_len < (int)sizeof(*addr) || addr->l2tp_family != AF_INET6)
		return -EINVAL;
	if (ipv6_addr_type(&addr->l2tp_addr) & IPV6_ADDR_MAPPED)
		return -EADDRNOTAVAIL;
	req.conn_id = addr->l2tp_conn_id;
	req.wildcard = ipv6_addr_any(&addr->l2tp_addr);
	return ol2tp_ip_bind_sk(&ol2tp_ip6_family, sk, &req);
}

static int ol2tp_ip6_connect(struct sock *sk, struct sockaddr *uaddr,
			     int addr_len)
{
	struct ol2tp_sockaddr_ip6 *addr = (struct ol2tp_sockaddr_ip6 *)uaddr;
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };

	/* Unlike IPv4 (EAFNOSUPPORT), a wrong family is EINVAL: as Linux. */
	if (addr_len < (int)sizeof(*addr) || addr->l2tp_family != AF_INET6 ||
	    ipv6_addr_v4mapped(&addr->l2tp_addr))
		return -EINVAL;
	/* Everything but the port, which is l2tp_unused here. */
	sin6.sin6_flowinfo = addr->l2tp_flowinfo;
	sin6.sin6_addr = addr->l2tp_addr;
	sin6.sin6_scope_id = addr->l2tp_scope_id;
	return ol2tp_ip_connect_sk(&ol2tp_ip6_family, sk,
				   (struct sockaddr *)&sin6, sizeof(sin6),
				   addr->l2tp_conn_id);
}

static int ol2tp_ip6_disconnect(struct sock *sk, int flags)
{
	return ol2tp_ip_disconnect_sk(&ol2tp_ip6_family, sk, flags);
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

	err = ol2tp_ip_sendmsg_check(msg, len,
				     IPV6_MAXPLEN - OL2TP_IP_SESSION_ID_LEN);
	if (err)
		return err;

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
			goto out_release_free;
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
		goto out_release_free;
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
	return ol2tp_ip_sendmsg_ret(err, len);

out_release_free:
	release_sock(sk);
	kfree_skb(skb);
	return err;
}

static int ol2tp_ip6_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
			     int flags, int *addr_len)
{
	return ol2tp_ip_recvmsg_sk(&ol2tp_ip6_family, sk, msg, len, flags,
				   addr_len);
}

static struct proto ol2tp_ip6_prot = {
	.name		= "OL2TP/IPv6",
	.owner		= THIS_MODULE,
	.init		= ol2tp_ip_init_sock,
	.close		= ol2tp_ip_close,
	.connect	= ol2tp_ip6_connect,
	.disconnect	= ol2tp_ip6_disconnect,
	.setsockopt	= ipv6_setsockopt,
	.getsockopt	= ipv6_getsockopt,
	.sendmsg	= ol2tp_ip6_sendmsg,
	.recvmsg	= ol2tp_ip6_recvmsg,
	.bind		= ol2tp_ip6_bind,
	.hash		= ol2tp_ip_hash,
	.unhash		= ol2tp_ip6_unhash,
	.release_cb	= ip6_datagram_release_cb,
	.obj_size	= sizeof(struct ol2tp_ip6_sock),
};

/* --- struct proto_ops ----------------------------------------------------- */

static int ol2tp_ip6_getname(struct socket *sock, struct sockaddr *uaddr,
			     int peer)
{
	return ol2tp_ip_getname_sk(&ol2tp_ip6_family, sock->sk, uaddr, peer);
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

	if (ol2tp_ip_rcv_is_ctrl(net, skb))
		ol2tp_ip_rcv_ctrl(&ol2tp_ip6_family, net, skb);
	return 0;
}

/*
 * ICMPv6 errors about packets we sent: path MTU and redirects, and the
 * socket that sent the packet (its upper layer at @offset) is told.
 * Linux's l2tp_ip6 does neither.
 */
static int ol2tp_ip6_err(struct sk_buff *skb, struct inet6_skb_parm *opt,
			 u8 type, u8 code, int offset, __be32 info)
{
	struct net *net = dev_net(skb->dev);
	struct ol2tp_ip_icmp icmp = {
		.pmtu		= type == ICMPV6_PKT_TOOBIG,
		.origin		= SO_EE_ORIGIN_ICMP6,
		.type		= type,
		.code		= code,
		.info		= ntohl(info),
		.l2tp_off	= offset,
	};

	if (type == NDISC_REDIRECT) {
		ip6_redirect(skb, net, skb->dev->ifindex, 0,
			     sock_net_uid(net, NULL));
		return 0;
	}
	if (type & ICMPV6_INFOMSG_MASK)
		return 0;
	if (icmp.pmtu)
		ip6_update_pmtu(skb, net, info, 0, 0, sock_net_uid(net, NULL));
	icmp.hard = icmpv6_err_convert(type, code, &icmp.err);
	ol2tp_ip_err_deliver(&ol2tp_ip6_family, net, skb, &icmp);
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
