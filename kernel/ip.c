// SPDX-License-Identifier: GPL-2.0
/*
 * L2TP/IP sockets over IPv4, and the IPv4 receive side of IP protocol 115.
 *
 * socket(AF_INET, SOCK_DGRAM, IPPROTO_L2TP) is a datagram socket whose
 * address is an IPv4 address plus a 32-bit control connection id (struct
 * ol2tp_sockaddr_ip).  A control daemon binds it to its conn id, connects it
 * to the peer and exchanges control messages through it; sendmsg() prepends
 * the zero session id, recvmsg() strips it.  The core may then take the
 * socket over as a managed tunnel's (FD), or create one itself for an
 * unmanaged tunnel; it transmits data on it with ip_queue_xmit().
 *
 * Receive: every protocol 115 packet lands in ol2tp_ip_rcv().  Session id 0
 * is a control message, queued to the socket bound to its conn id; anything
 * else is data, for ol2tp_ip_rcv_data().
 *
 * See Documentation/l2tp-ip.rst.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/icmp.h>
#include <linux/in.h>
#include <net/icmp.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/netns/generic.h>
#include <net/protocol.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "ol2tp.h"
#include "ip_common.h"

static unsigned int ol2tp_ip_net_id __read_mostly;

static struct ol2tp_ip_binds *ol2tp_ip_binds(const struct net *net)
{
	return net_generic(net, ol2tp_ip_net_id);
}

/* --- the bind table ------------------------------------------------------ */

/*
 * Would a socket bound to (@conn_id, @addr, @dev) receive what an already
 * bound socket receives?  Addresses and devices overlap when equal or when
 * either is a wildcard.
 */
static bool ol2tp_ip_bind_conflict(struct ol2tp_ip_binds *binds, u32 conn_id,
				   __be32 addr, int dev)
{
	struct ol2tp_ip_sock *l2tp;

	lockdep_assert_held(&binds->lock);
	hlist_for_each_entry(l2tp, ol2tp_ip_bind_head(binds, conn_id),
			     bind_node) {
		__be32 other = l2tp->inet.inet_rcv_saddr;
		int other_dev = l2tp->inet.sk.sk_bound_dev_if;

		if (l2tp->conn_id != conn_id)
			continue;
		if (other && addr && other != addr)
			continue;
		if (other_dev && dev && other_dev != dev)
			continue;
		return true;
	}
	return false;
}

/*
 * The socket a control message for @conn_id from @saddr to @daddr, received
 * on @dif (@sdif: its l3mdev slave), belongs to.  RCU.
 */
static struct sock *ol2tp_ip_lookup(struct net *net, u32 conn_id,
				    __be32 saddr, __be32 daddr,
				    int dif, int sdif)
{
	struct ol2tp_ip_binds *binds = ol2tp_ip_binds(net);
	struct ol2tp_ip_sock *l2tp;

	hlist_for_each_entry_rcu(l2tp, ol2tp_ip_bind_head(binds, conn_id),
				 bind_node) {
		struct sock *sk = &l2tp->inet.sk;
		__be32 local = READ_ONCE(l2tp->inet.inet_rcv_saddr);
		__be32 peer = READ_ONCE(l2tp->inet.inet_daddr);
		int dev = READ_ONCE(sk->sk_bound_dev_if);

		if (l2tp->conn_id != conn_id)
			continue;
		if (local && local != daddr)
			continue;
		if (peer && peer != saddr)
			continue;
		if (dev && dev != dif && dev != sdif)
			continue;
		return sk;
	}
	return NULL;
}

/* --- struct proto ------------------------------------------------------- */

static int ol2tp_ip_init_sock(struct sock *sk)
{
	ol2tp_ip_sk_init(sk);
	return 0;
}

/* Sockets enter the bind table in bind(), not here. */
static int ol2tp_ip_hash(struct sock *sk)
{
	return 0;
}

static void ol2tp_ip_unhash(struct sock *sk)
{
	ol2tp_ip_unbind(ol2tp_ip_binds(sock_net(sk)), sk);
}

static int ol2tp_ip_bind(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct ol2tp_sockaddr_ip *addr = (struct ol2tp_sockaddr_ip *)uaddr;
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	struct ol2tp_ip_binds *binds = ol2tp_ip_binds(net);
	unsigned int type;
	__be32 a;
	int err;

	/* A wrong family is EINVAL here, EAFNOSUPPORT in connect: as Linux. */
	if (addr_len < (int)sizeof(*addr) || addr->l2tp_family != AF_INET)
		return -EINVAL;
	a = addr->l2tp_addr.s_addr;

	lock_sock(sk);
	err = -EINVAL;
	if (ol2tp_ip_sk_bound(sk) || sk->sk_state != TCP_CLOSE)
		goto out;

	rcu_read_lock();
	type = inet_addr_type_dev_table(net,
					dev_get_by_index_rcu(net, sk->sk_bound_dev_if),
					a);
	rcu_read_unlock();
	err = -EADDRNOTAVAIL;
	if (a != htonl(INADDR_ANY) && type != RTN_LOCAL &&
	    type != RTN_MULTICAST && type != RTN_BROADCAST)
		goto out;

	spin_lock_bh(&binds->lock);
	if (ol2tp_ip_bind_conflict(binds, addr->l2tp_conn_id, a,
				   sk->sk_bound_dev_if)) {
		spin_unlock_bh(&binds->lock);
		err = -EADDRINUSE;
		goto out;
	}
	inet->inet_rcv_saddr = a;
	/* We send from a multicast or broadcast address never. */
	inet->inet_saddr = (type == RTN_MULTICAST || type == RTN_BROADCAST) ?
			   0 : a;
	ol2tp_ip_bind_add(binds, sk, addr->l2tp_conn_id);
	spin_unlock_bh(&binds->lock);

	if (a)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	sk_dst_reset(sk);
	err = 0;
out:
	release_sock(sk);
	return err;
}

static int ol2tp_ip_connect(struct sock *sk, struct sockaddr *uaddr,
			    int addr_len)
{
	struct ol2tp_sockaddr_ip *addr = (struct ol2tp_sockaddr_ip *)uaddr;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int err;

	if (addr_len < (int)sizeof(*addr))
		return -EINVAL;
	if (addr->l2tp_family != AF_INET)
		return -EAFNOSUPPORT;
	/* The port of a sockaddr_in is l2tp_unused here: always 0. */
	sin.sin_addr = addr->l2tp_addr;

	lock_sock(sk);
	err = -EINVAL;
	if (!ol2tp_ip_sk_bound(sk))
		goto out;
	/* Routes, sets the peer and caches the route and flow (cork.fl). */
	err = __ip4_datagram_connect(sk, (struct sockaddr *)&sin, sizeof(sin));
	if (!err)
		ol2tp_ip_sk(sk)->peer_conn_id = addr->l2tp_conn_id;
out:
	release_sock(sk);
	return err;
}

static int ol2tp_ip_sendmsg(struct sock *sk, struct msghdr *msg, size_t len)
{
	DECLARE_SOCKADDR(struct ol2tp_sockaddr_ip *, addr, msg->msg_name);
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	struct sk_buff *skb;
	struct flowi fl;
	struct flowi4 *fl4 = &fl.u.ip4;
	struct rtable *rt;
	__be32 daddr = 0;
	int oif, err;

	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	/* No ancillary data on send: see Documentation/l2tp-ip.rst. */
	if (msg->msg_controllen)
		return -EINVAL;
	if (len > IP_MAX_MTU - sizeof(struct iphdr) - MAX_IPOPTLEN -
		  OL2TP_IP_SESSION_ID_LEN)
		return -EMSGSIZE;

	if (addr) {
		if (msg->msg_namelen < (int)sizeof(*addr))
			return -EINVAL;
		if (addr->l2tp_family != AF_INET)
			return -EAFNOSUPPORT;
		daddr = addr->l2tp_addr.s_addr;
	} else if (READ_ONCE(sk->sk_state) != TCP_ESTABLISHED) {
		return -EDESTADDRREQ;
	}

	skb = ol2tp_ip_alloc_msg(sk, msg, len, &err);
	if (!skb)
		return err;
	/* Fragment what exceeds the path MTU unless IP_MTU_DISCOVER says no. */
	skb->ignore_df = ip_sk_ignore_df(sk);

	lock_sock(sk);
	if (!addr) {
		if (sk->sk_state != TCP_ESTABLISHED) {
			err = -EDESTADDRREQ;
			goto out_free;
		}
		/* The route and flow cached by connect(). */
		err = ip_queue_xmit(sk, skb, &inet->cork.fl);
		goto out;
	}

	oif = sk->sk_bound_dev_if;
	if (!oif && ipv4_is_multicast(daddr))
		oif = inet->mc_index;
	memset(&fl, 0, sizeof(fl));
	flowi4_init_output(fl4, oif, READ_ONCE(sk->sk_mark),
			   ip_sock_rt_tos(sk), ip_sock_rt_scope(sk),
			   sk->sk_protocol, inet_sk_flowi_flags(sk), daddr,
			   inet->inet_saddr, 0, 0, sk->sk_uid);
	security_sk_classify_flow(sk, flowi4_to_flowi_common(fl4));
	rt = ip_route_output_flow(net, fl4, sk);
	if (IS_ERR(rt)) {
		err = PTR_ERR(rt);
		if (err == -ENETUNREACH)
			IP_INC_STATS(net, IPSTATS_MIB_OUTNOROUTES);
		goto out_free;
	}
	if ((rt->rt_flags & RTCF_BROADCAST) && !sock_flag(sk, SOCK_BROADCAST)) {
		ip_rt_put(rt);
		err = -EACCES;
		goto out_free;
	}
	/* A routed skb: ip_queue_xmit() takes addresses from @fl4. */
	skb_dst_set(skb, &rt->dst);
	err = ip_queue_xmit(sk, skb, &fl);
out:
	release_sock(sk);
	if (err > 0)
		err = net_xmit_errno(err);
	return err ? err : len;

out_free:
	release_sock(sk);
	kfree_skb(skb);
	return err;
}

static int ol2tp_ip_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
			    int flags, int *addr_len)
{
	DECLARE_SOCKADDR(struct ol2tp_sockaddr_ip *, addr, msg->msg_name);
	struct sk_buff *skb;
	int copied, err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (flags & MSG_ERRQUEUE)
		return sock_recv_errqueue(sk, msg, len, SOL_IP, IP_RECVERR);

	skb = ol2tp_ip_recv_skb(sk, msg, len, flags, &copied, &err);
	if (!skb)
		return err;
	if (addr) {
		memset(addr, 0, sizeof(*addr));
		addr->l2tp_family = AF_INET;
		addr->l2tp_addr.s_addr = ip_hdr(skb)->saddr;
		/* The message carried ours: the lookup matched it exactly. */
		addr->l2tp_conn_id = ol2tp_ip_sk(sk)->conn_id;
		*addr_len = sizeof(*addr);
	}
	ip_cmsg_recv(msg, skb);
	skb_free_datagram(sk, skb);
	return copied;
}

static struct proto ol2tp_ip_prot = {
	.name		= "OL2TP/IP",
	.owner		= THIS_MODULE,
	.init		= ol2tp_ip_init_sock,
	.close		= ol2tp_ip_close,
	.connect	= ol2tp_ip_connect,
	.disconnect	= ol2tp_ip_disconnect,
	.setsockopt	= ip_setsockopt,
	.getsockopt	= ip_getsockopt,
	.sendmsg	= ol2tp_ip_sendmsg,
	.recvmsg	= ol2tp_ip_recvmsg,
	.bind		= ol2tp_ip_bind,
	.hash		= ol2tp_ip_hash,
	.unhash		= ol2tp_ip_unhash,
	.release_cb	= ip4_datagram_release_cb,
	.obj_size	= sizeof(struct ol2tp_ip_sock),
};

/* --- struct proto_ops ----------------------------------------------------- */

static int ol2tp_ip_getname(struct socket *sock, struct sockaddr *uaddr,
			    int peer)
{
	DECLARE_SOCKADDR(struct ol2tp_sockaddr_ip *, addr, uaddr);
	struct sock *sk = sock->sk;
	struct inet_sock *inet = inet_sk(sk);
	int err = sizeof(*addr);

	memset(addr, 0, sizeof(*addr));
	addr->l2tp_family = AF_INET;
	lock_sock(sk);
	if (peer) {
		if (sk->sk_state != TCP_ESTABLISHED) {
			err = -ENOTCONN;
			goto out;
		}
		addr->l2tp_addr.s_addr = inet->inet_daddr;
		addr->l2tp_conn_id = ol2tp_ip_sk(sk)->peer_conn_id;
	} else {
		addr->l2tp_addr.s_addr = inet->inet_rcv_saddr;
		addr->l2tp_conn_id = ol2tp_ip_sk(sk)->conn_id;
	}
out:
	release_sock(sk);
	return err;
}

static int ol2tp_ip_sock_ioctl(struct socket *sock, unsigned int cmd,
			       unsigned long arg)
{
	return ol2tp_ip_ioctl(sock, cmd, arg, inet_ioctl);
}

static const struct proto_ops ol2tp_ip_ops = {
	.family		= PF_INET,
	.owner		= THIS_MODULE,
	.release	= inet_release,
	.bind		= inet_bind,
	.connect	= inet_dgram_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= sock_no_accept,
	.getname	= ol2tp_ip_getname,
	.poll		= datagram_poll,
	.ioctl		= ol2tp_ip_sock_ioctl,
	.gettstamp	= sock_gettstamp,
	.listen		= sock_no_listen,
	.shutdown	= inet_shutdown,
	.setsockopt	= sock_common_setsockopt,
	.getsockopt	= sock_common_getsockopt,
	.sendmsg	= inet_sendmsg,
	.recvmsg	= sock_common_recvmsg,
	.mmap		= sock_no_mmap,
};

static struct inet_protosw ol2tp_ip_protosw = {
	.type		= SOCK_DGRAM,
	.protocol	= OL2TP_IPPROTO_L2TP,
	.prot		= &ol2tp_ip_prot,
	.ops		= &ol2tp_ip_ops,
};

/* --- receive ------------------------------------------------------------ */

/*
 * What IP_PKTINFO reports, saved before the route is dropped: the interface
 * the message came in on and the address it was sent to.
 */
static void ol2tp_ip_pktinfo_prepare(struct sk_buff *skb)
{
	struct in_pktinfo *info = PKTINFO_SKB_CB(skb);

	info->ipi_ifindex = inet_iif(skb);
	info->ipi_spec_dst.s_addr = ip_hdr(skb)->daddr;
	skb_dst_drop(skb);
}

static int ol2tp_ip_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	const struct iphdr *iph;
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
	iph = ip_hdr(skb);

	rcu_read_lock();
	sk = ol2tp_ip_lookup(net, conn_id, iph->saddr, iph->daddr,
			     inet_iif(skb), inet_sdif(skb));
	if (sk && !refcount_inc_not_zero(&sk->sk_refcnt))
		sk = NULL;
	rcu_read_unlock();
	if (!sk)
		goto drop;

	if (!xfrm4_policy_check(sk, XFRM_POLICY_IN, skb)) {
		atomic_inc(&sk->sk_drops);
		sock_put(sk);
		goto drop;
	}
	ol2tp_ip_pktinfo_prepare(skb);
	ol2tp_ip_queue_ctrl(sk, skb);
	sock_put(sk);
	return 0;

drop:
	kfree_skb(skb);
	return 0;
}

/*
 * ICMP errors about packets we sent: learn the path MTU (the data path's
 * cached routes see it through the route's exception) and redirects.
 */
static int ol2tp_ip_err(struct sk_buff *skb, u32 info)
{
	const struct icmphdr *icmph = icmp_hdr(skb);
	struct net *net = dev_net(skb->dev);

	if (icmph->type == ICMP_DEST_UNREACH && icmph->code == ICMP_FRAG_NEEDED)
		ipv4_update_pmtu(skb, net, info, 0, OL2TP_IPPROTO_L2TP);
	else if (icmph->type == ICMP_REDIRECT)
		ipv4_redirect(skb, net, 0, OL2TP_IPPROTO_L2TP);
	return 0;
}

static const struct net_protocol ol2tp_ip_protocol = {
	.handler	= ol2tp_ip_rcv,
	.err_handler	= ol2tp_ip_err,
};

/* --- per-netns state ------------------------------------------------------ */

static int __net_init ol2tp_ip_net_init(struct net *net)
{
	ol2tp_ip_binds_init(ol2tp_ip_binds(net));
	return 0;
}

/*
 * Nothing to free: the table is net_generic() memory, released after every
 * subsystem's exit ran (the core closes its kernel sockets in its own).
 */
static struct pernet_operations ol2tp_ip_net_ops = {
	.init	= ol2tp_ip_net_init,
	.id	= &ol2tp_ip_net_id,
	.size	= sizeof(struct ol2tp_ip_binds),
};

/* --- init ----------------------------------------------------------------- */

int ol2tp_ip_init(void)
{
	int err;

	err = proto_register(&ol2tp_ip_prot, 1);
	if (err)
		return err;
	err = register_pernet_subsys(&ol2tp_ip_net_ops);
	if (err)
		goto err_proto;
	if (inet_add_protocol(&ol2tp_ip_protocol, OL2TP_IPPROTO_L2TP)) {
		pr_err("IP protocol %d is taken, probably by Linux's own L2TP/IP: unload it first (rmmod l2tp_ip)\n",
		       OL2TP_IPPROTO_L2TP);
		err = -EBUSY;
		goto err_pernet;
	}
	inet_register_protosw(&ol2tp_ip_protosw);
	return 0;

err_pernet:
	unregister_pernet_subsys(&ol2tp_ip_net_ops);
err_proto:
	proto_unregister(&ol2tp_ip_prot);
	return err;
}

void ol2tp_ip_uninit(void)
{
	inet_unregister_protosw(&ol2tp_ip_protosw);
	inet_del_protocol(&ol2tp_ip_protocol, OL2TP_IPPROTO_L2TP);
	unregister_pernet_subsys(&ol2tp_ip_net_ops);
	proto_unregister(&ol2tp_ip_prot);
}

/* socket(AF_INET, SOCK_DGRAM, 115) loads us (type 2 is SOCK_DGRAM). */
MODULE_ALIAS_NET_PF_PROTO_TYPE(PF_INET, OL2TP_IPPROTO_L2TP, 2);
