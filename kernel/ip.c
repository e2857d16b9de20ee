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

#include <linux/module.h>
#include <linux/errqueue.h>
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
#include "compat.h"

static unsigned int ol2tp_ip_net_id __read_mostly;

static struct ol2tp_ip_binds *ol2tp_ip_binds(const struct net *net)
{
	return net_generic(net, ol2tp_ip_net_id);
}

/* --- the family's part of the socket calls ------------------------------ */

static int ol2tp_ip_bind_check(struct sock *sk, struct ol2tp_ip_bind_req *req)
{
	const struct ol2tp_sockaddr_ip *addr = (const void *)req->uaddr;
	__be32 a = addr->l2tp_addr.s_addr;
	struct net *net = sock_net(sk);
	int type;

	rcu_read_lock();
	type = inet_addr_type_dev_table(net,
					dev_get_by_index_rcu(net, req->dev_if),
					a);
	rcu_read_unlock();
	if (a != htonl(INADDR_ANY) && type != RTN_LOCAL &&
	    type != RTN_MULTICAST && type != RTN_BROADCAST)
		return -EADDRNOTAVAIL;
	req->addr_type = type;
	return 0;
}

static bool ol2tp_ip_bind_overlaps(const struct sock *sk,
				   const struct ol2tp_ip_bind_req *req)
{
	const struct ol2tp_sockaddr_ip *addr = (const void *)req->uaddr;
	__be32 other = inet_sk(sk)->inet_rcv_saddr;
	__be32 a = addr->l2tp_addr.s_addr;

	return !other || !a || other == a;
}

static void ol2tp_ip_bind_set(struct sock *sk,
			      const struct ol2tp_ip_bind_req *req)
{
	const struct ol2tp_sockaddr_ip *addr = (const void *)req->uaddr;
	struct inet_sock *inet = inet_sk(sk);
	__be32 a = addr->l2tp_addr.s_addr;

	inet->inet_rcv_saddr = a;
	/* We send from a multicast or broadcast address never. */
	inet->inet_saddr = (req->addr_type == RTN_MULTICAST ||
			    req->addr_type == RTN_BROADCAST) ? 0 : a;
}

/*
 * Does @sk take a control message from @skb's source to its destination,
 * received on @skb's device (or its l3mdev slave)?  RCU.
 */
static bool ol2tp_ip_rcv_match(const struct sock *sk,
			       const struct sk_buff *skb)
{
	const struct inet_sock *inet = inet_sk(sk);
	const struct iphdr *iph = ip_hdr(skb);
	__be32 local = READ_ONCE(inet->inet_rcv_saddr);
	__be32 peer = READ_ONCE(inet->inet_daddr);
	int dev = READ_ONCE(sk->sk_bound_dev_if);

	if (local && local != iph->daddr)
		return false;
	if (peer && peer != iph->saddr)
		return false;
	return !dev || dev == inet_iif(skb) || dev == inet_sdif(skb);
}

/* The family's err_match (struct ol2tp_ip_family).  RCU. */
static int ol2tp_ip_err_match(const struct sock *sk,
			      const struct sk_buff *skb)
{
	const struct inet_sock *inet = inet_sk(sk);
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	__be32 local = READ_ONCE(inet->inet_rcv_saddr);
	__be32 peer = READ_ONCE(inet->inet_daddr);
	int dev = READ_ONCE(sk->sk_bound_dev_if);
	int score = 0;

	if (local) {
		if (local != iph->saddr)
			return -1;
		score += 1;
	}
	if (peer) {
		if (peer != iph->daddr)
			return -1;
		score += 2;
	}
	if (dev && dev != inet_iif(skb) && dev != inet_sdif(skb))
		return -1;
	return score;
}

/* Over IPv4 "fragmentation needed" is hard unless IP may fragment, as UDP. */
static bool ol2tp_ip_err_pmtu_hard(const struct sock *sk)
{
	return READ_ONCE(inet_sk(sk)->pmtudisc) != IP_PMTUDISC_DONT;
}

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

static bool ol2tp_ip_rcv_accept(struct sock *sk, struct sk_buff *skb)
{
	if (!xfrm4_policy_check(sk, XFRM_POLICY_IN, skb))
		return false;
	ol2tp_ip_pktinfo_prepare(skb);
	return true;
}

/*
 * recvmsg(MSG_ERRQUEUE): the oldest entry of the error queue, its data (of
 * an ICMP error: the message as sent, without the session id) and, at
 * SOL_IP/IP_RECVERR, its sock_extended_err followed by the offender (who
 * sent the ICMP error; AF_UNSPEC for other entries, such as transmit
 * timestamps).  For an ICMP error msg_name gets the address the message
 * was sent to, with conn id 0.
 */
static int ol2tp_ip_recv_error(struct sock *sk, struct msghdr *msg, int len,
			       int *addr_len)
{
	DECLARE_SOCKADDR(struct ol2tp_sockaddr_ip *, name, msg->msg_name);
	struct {
		struct sock_extended_err ee;
		struct sockaddr_in offender;
	} errhdr;
	struct sock_exterr_skb *serr;
	struct sk_buff *skb;
	int copied, err;

	skb = sock_dequeue_err_skb(sk);
	if (!skb)
		return -EAGAIN;
	copied = skb->len;
	if (copied > len) {
		msg->msg_flags |= MSG_TRUNC;
		copied = len;
	}
	err = skb_copy_datagram_msg(skb, 0, msg, copied);
	if (err) {
		kfree_skb(skb);
		return err;
	}
	sock_recv_timestamp(msg, sk, skb);

	serr = SKB_EXT_ERR(skb);
	memset(&errhdr, 0, sizeof(errhdr));
	errhdr.ee = serr->ee;
	if (serr->ee.ee_origin == SO_EE_ORIGIN_ICMP) {
		errhdr.offender.sin_family = AF_INET;
		errhdr.offender.sin_addr.s_addr = ip_hdr(skb)->saddr;
		if (name) {
			memset(name, 0, sizeof(*name));
			name->l2tp_family = AF_INET;
			memcpy(&name->l2tp_addr, skb_network_header(skb) +
			       serr->addr_offset, sizeof(name->l2tp_addr));
			*addr_len = sizeof(*name);
		}
	}
	put_cmsg(msg, SOL_IP, IP_RECVERR, sizeof(errhdr), &errhdr);
	msg->msg_flags |= MSG_ERRQUEUE;
	consume_skb(skb);
	return copied;
}

static void ol2tp_ip_recv_name(struct sock *sk, const struct sk_buff *skb,
			       struct sockaddr *uaddr)
{
	struct ol2tp_sockaddr_ip *addr = (struct ol2tp_sockaddr_ip *)uaddr;

	addr->l2tp_addr.s_addr = ip_hdr(skb)->saddr;
	/* The message carried ours: the lookup matched it exactly. */
	addr->l2tp_conn_id = ol2tp_ip_sk(sk)->conn_id;
}

static void ol2tp_ip_recv_cmsgs(struct sock *sk, struct msghdr *msg,
				struct sk_buff *skb)
{
	ip_cmsg_recv(msg, skb);
}

static void ol2tp_ip_name(struct sock *sk, struct sockaddr *uaddr, bool peer)
{
	struct ol2tp_sockaddr_ip *addr = (struct ol2tp_sockaddr_ip *)uaddr;
	struct inet_sock *inet = inet_sk(sk);

	if (peer) {
		addr->l2tp_addr.s_addr = inet->inet_daddr;
		addr->l2tp_conn_id = ol2tp_ip_sk(sk)->peer_conn_id;
	} else {
		addr->l2tp_addr.s_addr = inet->inet_rcv_saddr;
		addr->l2tp_conn_id = ol2tp_ip_sk(sk)->conn_id;
	}
}

static const struct ol2tp_ip_family ol2tp_ip4_family = {
	.family		= AF_INET,
	.addr_len	= sizeof(struct ol2tp_sockaddr_ip),
	.net_id		= &ol2tp_ip_net_id,
	.bind_check	= ol2tp_ip_bind_check,
	.bind_overlaps	= ol2tp_ip_bind_overlaps,
	.bind_set	= ol2tp_ip_bind_set,
	.connect	= __ip4_datagram_connect,
	.rcv_match	= ol2tp_ip_rcv_match,
	.rcv_accept	= ol2tp_ip_rcv_accept,
	.recv_error	= ol2tp_ip_recv_error,
	.recv_name	= ol2tp_ip_recv_name,
	.recv_cmsgs	= ol2tp_ip_recv_cmsgs,
	.getname	= ol2tp_ip_name,
	.err_match	= ol2tp_ip_err_match,
	.err_pmtu_hard	= ol2tp_ip_err_pmtu_hard,
	.recverr	= ol2tp_sk_recverr,
	.daddr_off	= offsetof(struct iphdr, daddr),
};

/* --- struct proto ------------------------------------------------------- */

static void ol2tp_ip_unhash(struct sock *sk)
{
	ol2tp_ip_unbind(ol2tp_ip_binds(sock_net(sk)), sk);
}

static int ol2tp_ip_bind(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct ol2tp_sockaddr_ip *addr = (struct ol2tp_sockaddr_ip *)uaddr;
	struct ol2tp_ip_bind_req req = { .uaddr = uaddr };

	/* A wrong family is EINVAL here, EAFNOSUPPORT in connect: as Linux. */
	if (addr_len < (int)sizeof(*addr) || addr->l2tp_family != AF_INET)
		return -EINVAL;
	req.conn_id = addr->l2tp_conn_id;
	req.wildcard = addr->l2tp_addr.s_addr == htonl(INADDR_ANY);
	return ol2tp_ip_bind_sk(&ol2tp_ip4_family, sk, &req);
}

static int ol2tp_ip_connect(struct sock *sk, struct sockaddr *uaddr,
			    int addr_len)
{
	struct ol2tp_sockaddr_ip *addr = (struct ol2tp_sockaddr_ip *)uaddr;
	struct sockaddr_in sin = { .sin_family = AF_INET };

	if (addr_len < (int)sizeof(*addr))
		return -EINVAL;
	if (addr->l2tp_family != AF_INET)
		return -EAFNOSUPPORT;
	/* The port of a sockaddr_in is l2tp_unused here: always 0. */
	sin.sin_addr = addr->l2tp_addr;
	return ol2tp_ip_connect_sk(&ol2tp_ip4_family, sk,
				   (struct sockaddr *)&sin, sizeof(sin),
				   addr->l2tp_conn_id);
}

static int ol2tp_ip_disconnect(struct sock *sk, int flags)
{
	return ol2tp_ip_disconnect_sk(&ol2tp_ip4_family, sk, flags);
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

	err = ol2tp_ip_sendmsg_check(msg, len, IP_MAX_MTU -
				     sizeof(struct iphdr) - MAX_IPOPTLEN -
				     OL2TP_IP_SESSION_ID_LEN);
	if (err)
		return err;

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
			goto out_release_free;
		}
		/* The route and flow cached by connect(). */
		err = ip_queue_xmit(sk, skb, &inet->cork.fl);
		goto out_release;
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
		goto out_release_free;
	}
	if ((rt->rt_flags & RTCF_BROADCAST) && !sock_flag(sk, SOCK_BROADCAST)) {
		ip_rt_put(rt);
		err = -EACCES;
		goto out_release_free;
	}
	/* A routed skb: ip_queue_xmit() takes addresses from @fl4. */
	skb_dst_set(skb, &rt->dst);
	err = ip_queue_xmit(sk, skb, &fl);
out_release:
	release_sock(sk);
	return ol2tp_ip_sendmsg_ret(err, len);

out_release_free:
	release_sock(sk);
	kfree_skb(skb);
	return err;
}

static int ol2tp_ip_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
			    int flags, int *addr_len)
{
	return ol2tp_ip_recvmsg_sk(&ol2tp_ip4_family, sk, msg, len, flags,
				   addr_len);
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
	return ol2tp_ip_getname_sk(&ol2tp_ip4_family, sock->sk, uaddr, peer);
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

static int ol2tp_ip_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);

	if (ol2tp_ip_rcv_is_ctrl(net, skb))
		ol2tp_ip_rcv_ctrl(&ol2tp_ip4_family, net, skb);
	return 0;
}

/*
 * What ICMP error @type/@code means to a datagram socket (@icmp's err and
 * hard); false for none (source quench, redirect, codes past the table).
 */
static bool ol2tp_ip_icmp_err(int type, int code, struct ol2tp_ip_icmp *icmp)
{
	switch (type) {
	case ICMP_DEST_UNREACH:
		if (code > NR_ICMP_UNREACH)
			return false;
		icmp->err = icmp_err_convert[code].errno;
		icmp->hard = icmp_err_convert[code].fatal;
		icmp->pmtu = code == ICMP_FRAG_NEEDED;
		return true;
	case ICMP_TIME_EXCEEDED:
		icmp->err = EHOSTUNREACH;
		return true;
	case ICMP_PARAMETERPROB:
		icmp->err = EPROTO;
		icmp->hard = true;
		return true;
	}
	return false;
}

/*
 * ICMP errors about packets we sent: learn the path MTU (the data path's
 * cached routes see it through the route's exception) and redirects, and
 * tell the socket that sent the packet.  Linux's l2tp_ip does neither.
 */
static int ol2tp_ip_err(struct sk_buff *skb, u32 info)
{
	const struct icmphdr *icmph = icmp_hdr(skb);
	struct net *net = dev_net(skb->dev);
	struct ol2tp_ip_icmp icmp = {
		.origin		= SO_EE_ORIGIN_ICMP,
		.type		= icmph->type,
		.code		= icmph->code,
		.info		= info,
		.l2tp_off	= ((const struct iphdr *)skb->data)->ihl * 4,
	};

	if (icmp.type == ICMP_REDIRECT) {
		ipv4_redirect(skb, net, 0, OL2TP_IPPROTO_L2TP);
		return 0;
	}
	if (!ol2tp_ip_icmp_err(icmp.type, icmp.code, &icmp))
		return 0;
	if (icmp.pmtu)
		ipv4_update_pmtu(skb, net, info, 0, OL2TP_IPPROTO_L2TP);
	ol2tp_ip_err_deliver(&ol2tp_ip4_family, net, skb, &icmp);
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
 * subsystem's exit ran (the flush closed the tunnels' kernel sockets).
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
