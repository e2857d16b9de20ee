// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tp_ppp.ko: PPP pseudowires (PW type 7) and the PPPoL2TP socket
 * (AF_PPPOX, PX_PROTO_OL2TP) that pppd's pppol2tp plugin, xl2tpd and other
 * L2TP daemons drive.  See Documentation/ppp.rst.
 *
 * A PPPoL2TP socket is connected either as a tunnel management socket
 * (session ids 0: it creates the tunnel from a UDP socket fd if the tunnel
 * does not exist yet, and answers DEBUG and the tunnel's statistics) or as
 * a session socket: it attaches to a PPP session created over netlink, or
 * creates the session, and registers a PPP channel with ppp_generic.  PPP
 * frames the channel sends get FF 03 (address, control) and the L2TP
 * header in front; received frames lose FF 03 if present and go to
 * ppp_input() once pppd has bound the channel (PPPIOCGCHAN), to the
 * socket's receive queue before that.
 *
 * Privileges (Documentation/security.rst): anyone may create a tunnel from
 * a UDP socket of their own and sessions in it; reaching a tunnel whose
 * socket the caller does not pass, or attaching to an existing session,
 * needs CAP_NET_ADMIN in the user namespace owning the netns
 * (ol2tp_may_reach_others()).
 *
 * Lifetimes:
 *  - a connected socket holds a reference on its tunnel and, for a session
 *    socket, on its session;
 *  - the session points back to its socket through ol2tp_ppp_pw.sk (RCU,
 *    written under ol2tp_ppp_lock); sockets are freed after an RCU grace
 *    period (SOCK_RCU_FREE), so the receive path may use the pointer it
 *    read under RCU;
 *  - closing the socket deletes its session; deleting the session (netlink,
 *    tunnel teardown) disconnects the socket: ENOTCONN from then on, and
 *    pppd sees its channel hang up;
 *  - disconnecting clears ol2tp_ppp_pw.sk, waits for an RCU grace period
 *    (no receiver is still inside ppp_input() for the channel), then
 *    unregisters the channel, which waits for the channel's transmit.
 */

#include <linux/module.h>
#include <linux/net.h>
#include <linux/file.h>
#include <linux/skbuff.h>
#include <linux/ppp_defs.h>
#include <linux/ppp-ioctl.h>
#include <linux/ppp_channel.h>
#include <linux/if_pppox.h>
#include <linux/if_pppol2tp.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/seq_file_net.h>
#include <net/sock.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netns/generic.h>

#include "ol2tp.h"
#include "compat.h"

#ifndef SOL_PPPOL2TP
#define SOL_PPPOL2TP	273
#endif

/* Bytes of PPP's address and control fields, FF 03 (RFC 1662). */
#define OL2TP_PPP_ACFC_LEN	2

/* Headroom of the channel: link layer, IP, UDP, L2TP (with Ns), FF 03. */
#define OL2TP_PPP_HEADROOM(s)	(LL_MAX_HEADER + ol2tp_session_overhead(s) + \
				 OL2TP_V2_SEQ_LEN + OL2TP_PPP_ACFC_LEN)

/* Serialises writers of ol2tp_ppp_pw.sk. */
static DEFINE_SPINLOCK(ol2tp_ppp_lock);

/* Session private data. */
struct ol2tp_ppp_pw {
	struct sock __rcu *sk;	/* the attached socket, or NULL */
};

/**
 * struct ol2tp_ppp_sock - a PPPoL2TP socket
 * @po: the PPPoX socket (struct sock first; its @chan is our PPP channel)
 * @tunnel: the tunnel, with a reference, or NULL when not connected
 * @session: the session of a session socket, with a reference; NULL for a
 *	management socket.  Stable while the channel is registered, which is
 *	what lets the channel's transmit read it without a lock.
 * @chan_registered: @po.chan is registered with ppp_generic
 *
 * Fields are written under lock_sock().
 */
struct ol2tp_ppp_sock {
	struct pppox_sock po;
	struct ol2tp_tunnel *tunnel;
	struct ol2tp_session *session;
	bool chan_registered;
};

static struct ol2tp_ppp_sock *ol2tp_ppp_sk(struct sock *sk)
{
	return (struct ol2tp_ppp_sock *)sk;
}

/* --- attachment of a socket to a session ---------------------------------- */

/* Attach @sk to @s unless something else is attached or @s is dead. */
static int ol2tp_ppp_attach(struct ol2tp_session *s, struct sock *sk)
{
	struct ol2tp_ppp_pw *pw = ol2tp_session_priv(s);
	int err = 0;

	spin_lock_bh(&ol2tp_ppp_lock);
	if (rcu_access_pointer(pw->sk))
		err = -EEXIST;
	else if (test_bit(OL2TP_SESSION_DEAD, &s->flags))
		err = -ENOENT;
	else
		rcu_assign_pointer(pw->sk, sk);
	spin_unlock_bh(&ol2tp_ppp_lock);
	return err;
}

/* Detach @sk from @s if it is the one attached. */
static void ol2tp_ppp_detach(struct ol2tp_session *s, struct sock *sk)
{
	struct ol2tp_ppp_pw *pw = ol2tp_session_priv(s);

	spin_lock_bh(&ol2tp_ppp_lock);
	if (rcu_access_pointer(pw->sk) == sk)
		RCU_INIT_POINTER(pw->sk, NULL);
	spin_unlock_bh(&ol2tp_ppp_lock);
}

/*
 * Drop the socket's tunnel and session: unregister the channel (pppd sees
 * a hangup) and put the references.  Idempotent.  lock_sock() held.
 */
static void ol2tp_ppp_disconnect(struct sock *sk)
{
	struct ol2tp_ppp_sock *ps = ol2tp_ppp_sk(sk);
	struct ol2tp_session *s = ps->session;
	struct ol2tp_tunnel *t = ps->tunnel;

	if (!t)
		return;
	if (s) {
		ol2tp_ppp_detach(s, sk);
		if (ps->chan_registered) {
			/* Receivers that saw us attached are out of ppp_input(). */
			synchronize_rcu();
			ppp_unregister_channel(&ps->po.chan);
			ps->chan_registered = false;
		}
		ps->session = NULL;
		ol2tp_session_put(s);
	}
	ps->tunnel = NULL;
	ol2tp_tunnel_put(t);
	sk->sk_state = PPPOX_DEAD;
}

/*
 * 0 if the socket is connected to a live tunnel (and session); otherwise
 * disconnect it if that is still to be done and return -ENOTCONN.  A
 * management socket learns here that its tunnel went away.  lock_sock()
 * held.
 */
static int ol2tp_ppp_live(struct sock *sk)
{
	struct ol2tp_ppp_sock *ps = ol2tp_ppp_sk(sk);

	if (!ps->tunnel)
		return -ENOTCONN;
	if (test_bit(OL2TP_TUNNEL_DEAD, &ps->tunnel->flags) ||
	    (ps->session &&
	     test_bit(OL2TP_SESSION_DEAD, &ps->session->flags))) {
		ol2tp_ppp_disconnect(sk);
		return -ENOTCONN;
	}
	return 0;
}

/* --- PPP channel ------------------------------------------------------------ */

/*
 * A frame from ppp_generic (protocol field onwards).  Called with the
 * channel's transmit lock held, BH disabled; the channel is registered, so
 * the session is stable.  Always consumes the skb.
 */
static int ol2tp_ppp_start_xmit(struct ppp_channel *chan, struct sk_buff *skb)
{
	struct ol2tp_ppp_sock *ps = ol2tp_ppp_sk(chan->private);
	struct ol2tp_session *s = ps->session;

	if (skb_cow_head(skb, OL2TP_PPP_ACFC_LEN)) {
		ol2tp_stat_add(s->stats, tx_errors, 1);
		kfree_skb(skb);
		return 1;
	}
	__skb_push(skb, OL2TP_PPP_ACFC_LEN);
	skb->data[0] = PPP_ALLSTATIONS;
	skb->data[1] = PPP_UI;
	ol2tp_xmit_skb(s, skb);
	return 1;
}

static const struct ppp_channel_ops ol2tp_ppp_chan_ops = {
	.start_xmit = ol2tp_ppp_start_xmit,
};

/* The channel's MTU: the path MTU less IP, UDP, L2TP and FF 03. */
static int ol2tp_ppp_chan_mtu(struct ol2tp_session *s)
{
	unsigned int overhead = ol2tp_session_overhead(s) + 2;
	unsigned int pmtu = ol2tp_tunnel_path_mtu(s->tunnel);

	if (pmtu < overhead + IPV4_MIN_MTU)
		return IPV4_MIN_MTU;
	return pmtu - overhead;
}

/* --- pseudowire ops (the session side) --------------------------------------- */

/* A data frame of the session, L2TP headers pulled.  RCU held, softirq. */
static void ol2tp_ppp_recv(struct ol2tp_session *s, struct sk_buff *skb)
{
	struct ol2tp_ppp_pw *pw = ol2tp_session_priv(s);
	struct sock *sk = rcu_dereference(pw->sk);

	if (!sk)
		goto drop;

	/* Address and control fields, if the peer sent them (RFC 1662). */
	if (pskb_may_pull(skb, OL2TP_PPP_ACFC_LEN) &&
	    skb->data[0] == PPP_ALLSTATIONS && skb->data[1] == PPP_UI)
		skb_pull(skb, OL2TP_PPP_ACFC_LEN);
	skb_orphan(skb);
	skb_scrub_packet(skb, false);
	/* The outer checksum said nothing about the frame inside. */
	skb->ip_summed = CHECKSUM_NONE;

	if (READ_ONCE(sk->sk_state) & PPPOX_BOUND) {
		ppp_input(&ol2tp_ppp_sk(sk)->po.chan, skb);
		return;
	}
	/* Not handed to ppp_generic yet: userspace reads it from the socket. */
	if (sock_queue_rcv_skb(sk, skb) < 0) {
		ol2tp_stat_add(s->stats, rx_errors, 1);
		goto drop;
	}
	return;

drop:
	kfree_skb(skb);
}

/* The session was unlinked (netlink, tunnel delete): disconnect its socket. */
static void ol2tp_ppp_pw_close(struct ol2tp_session *s)
{
	struct ol2tp_ppp_pw *pw = ol2tp_session_priv(s);
	struct sock *sk;

	spin_lock_bh(&ol2tp_ppp_lock);
	sk = rcu_dereference_protected(pw->sk,
				       lockdep_is_held(&ol2tp_ppp_lock));
	if (sk)
		sock_hold(sk);
	spin_unlock_bh(&ol2tp_ppp_lock);
	if (!sk)
		return;

	lock_sock(sk);
	if (ol2tp_ppp_sk(sk)->session == s)
		ol2tp_ppp_disconnect(sk);
	release_sock(sk);
	sock_put(sk);
}

static struct ol2tp_pw_ops ol2tp_ppp_pw_ops = {
	.pw_type = OL2TP_PWTYPE_PPP,
	.owner = THIS_MODULE,
	.priv_size = sizeof(struct ol2tp_ppp_pw),
	.recv = ol2tp_ppp_recv,
	.close = ol2tp_ppp_pw_close,
};

/* --- connect ---------------------------------------------------------------- */

/* What a PPPoL2TP address says, whichever of the four variants it is. */
struct ol2tp_ppp_addr {
	u8 version;
	int fd;
	u32 tunnel_id, session_id;
	u32 peer_tunnel_id, peer_session_id;
};

#define OL2TP_PPP_ADDR_IDS(a, p) do {					\
	(a)->fd = (p)->fd;						\
	(a)->tunnel_id = (p)->s_tunnel;					\
	(a)->session_id = (p)->s_session;				\
	(a)->peer_tunnel_id = (p)->d_tunnel;				\
	(a)->peer_session_id = (p)->d_session;				\
} while (0)

/* The variants are told apart by their length (the uapi says so). */
static int ol2tp_ppp_parse_addr(const struct sockaddr *uaddr, int alen,
				struct ol2tp_ppp_addr *a)
{
	const struct sockaddr_pppol2tpv3in6 *v3in6 = (const void *)uaddr;
	const struct sockaddr_pppol2tpin6 *v2in6 = (const void *)uaddr;
	const struct sockaddr_pppol2tpv3 *v3in4 = (const void *)uaddr;
	const struct sockaddr_pppol2tp *v2in4 = (const void *)uaddr;

	switch (alen) {
	case sizeof(*v2in4):
		a->version = 2;
		OL2TP_PPP_ADDR_IDS(a, &v2in4->pppol2tp);
		break;
	case sizeof(*v2in6):
		a->version = 2;
		OL2TP_PPP_ADDR_IDS(a, &v2in6->pppol2tp);
		break;
	case sizeof(*v3in4):
		a->version = 3;
		OL2TP_PPP_ADDR_IDS(a, &v3in4->pppol2tp);
		break;
	case sizeof(*v3in6):
		a->version = 3;
		OL2TP_PPP_ADDR_IDS(a, &v3in6->pppol2tp);
		break;
	default:
		return -EINVAL;
	}
	/* All variants start with sa_family and sa_protocol. */
	if (v2in4->sa_protocol != PX_PROTO_OL2TP)
		return -EINVAL;
	return 0;
}

/*
 * A management socket for a tunnel that does not exist: create the tunnel
 * on the UDP socket @a->fd.  (L2TPv3 over IP tunnels are created over
 * netlink.)  Returns the tunnel with a reference.
 */
static int ol2tp_ppp_tunnel_create(struct net *net,
				   const struct ol2tp_ppp_addr *a,
				   struct ol2tp_tunnel **tunnelp)
{
	struct ol2tp_tunnel_cfg cfg = {
		.version = a->version,
		.encap = OL2TP_ENCAPTYPE_UDP,
		.fd = a->fd,
	};
	struct socket *sock;
	int err;

	if (a->fd < 0)
		return -EBADF;
	sock = sockfd_lookup(a->fd, &err);
	if (!sock)
		return err;
	err = sock->sk->sk_protocol == IPPROTO_UDP ? 0 : -EPROTONOSUPPORT;
	sockfd_put(sock);
	if (err)
		return err;
	return ol2tp_tunnel_create(net, a->tunnel_id, a->peer_tunnel_id, &cfg,
				   tunnelp, NULL);
}

/*
 * Does the caller own @tunnel?  The owner of a tunnel is whoever holds its
 * socket: @fd, the fd of the address, names the tunnel's own socket in the
 * caller's file table.  An unmanaged tunnel (a kernel socket) has no owner.
 * Documentation/security.rst.
 */
static bool ol2tp_ppp_owns_tunnel(const struct ol2tp_tunnel *tunnel, int fd)
{
	struct socket *sock;
	bool owns;
	int err;

	if (fd < 0)
		return false;
	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return false;
	owns = sock->sk == tunnel->sk;
	sockfd_put(sock);
	return owns;
}

/*
 * Connect @sk as the socket of session @a->session_id of @tunnel, creating
 * the session if it does not exist, and register its PPP channel.  An
 * existing session was made by someone else (netlink, another socket):
 * attaching to it needs ol2tp_may_reach_others().  lock_sock() held.
 */
static int ol2tp_ppp_connect_session(struct sock *sk,
				     struct ol2tp_tunnel *tunnel,
				     const struct ol2tp_ppp_addr *a)
{
	struct ol2tp_ppp_sock *ps = ol2tp_ppp_sk(sk);
	struct ol2tp_session *s;
	bool created = false;
	int err;

	s = ol2tp_session_get(tunnel, a->session_id);
	if (!s) {
		struct ol2tp_session_cfg cfg = {
			.pw_type = OL2TP_PWTYPE_PPP,
			.l2spec_type = OL2TP_L2SPECTYPE_NONE,
		};

		err = ol2tp_session_create(tunnel, a->session_id,
					   a->peer_session_id, &cfg, &s, NULL);
		if (err)
			return err;
		created = true;
	} else if (!ol2tp_may_reach_others(sock_net(sk))) {
		ol2tp_session_put(s);
		return -EPERM;
	} else if (s->pw_type != OL2TP_PWTYPE_PPP) {
		ol2tp_session_put(s);
		return -EPROTOTYPE;
	}

	err = ol2tp_ppp_attach(s, sk);
	if (err)
		goto err_put_session;

	ps->po.chan.private = sk;
	ps->po.chan.ops = &ol2tp_ppp_chan_ops;
	ps->po.chan.mtu = ol2tp_ppp_chan_mtu(s);
	ps->po.chan.hdrlen = OL2TP_PPP_HEADROOM(s);
	ps->session = s;
	err = ppp_register_net_channel(sock_net(sk), &ps->po.chan);
	if (err) {
		ps->session = NULL;
		/* Not bound: no receiver entered ppp_input() for us. */
		ol2tp_ppp_detach(s, sk);
		goto err_put_session;
	}
	ps->chan_registered = true;
	return 0;

err_put_session:
	/* A session made for this socket goes with it. */
	if (created)
		ol2tp_session_delete(s);
	ol2tp_session_put(s);
	return err;
}

static int ol2tp_ppp_connect(struct socket *sock, struct sockaddr *uaddr,
			     int alen, int flags)
{
	struct sock *sk = sock->sk;
	struct ol2tp_ppp_sock *ps = ol2tp_ppp_sk(sk);
	struct ol2tp_tunnel *tunnel;
	struct ol2tp_ppp_addr a;
	int err;

	err = ol2tp_ppp_parse_addr(uaddr, alen, &a);
	if (err)
		return err;

	lock_sock(sk);
	err = -EBUSY;
	if (sk->sk_state != PPPOX_NONE)
		goto out_release;
	err = -EINVAL;
	if (!a.tunnel_id)
		goto out_release;

	tunnel = ol2tp_tunnel_get(sock_net(sk), a.tunnel_id);
	if (!tunnel) {
		err = -ENOENT;
		if (a.session_id || a.peer_session_id)
			goto out_release;
		err = ol2tp_ppp_tunnel_create(sock_net(sk), &a, &tunnel);
		if (err)
			goto out_release;
	} else if (test_bit(OL2TP_TUNNEL_DEAD, &tunnel->flags)) {
		ol2tp_tunnel_put(tunnel);
		err = -ENOENT;
		goto out_release;
	} else if (!ol2tp_ppp_owns_tunnel(tunnel, a.fd) &&
		   !ol2tp_may_reach_others(sock_net(sk))) {
		/* Someone else's tunnel: not for a local user without rights. */
		ol2tp_tunnel_put(tunnel);
		err = -EPERM;
		goto out_release;
	}

	/* Session ids 0 and 0: the tunnel management socket. */
	if (a.session_id || a.peer_session_id) {
		err = ol2tp_ppp_connect_session(sk, tunnel, &a);
		if (err) {
			ol2tp_tunnel_put(tunnel);
			goto out_release;
		}
	}
	ps->tunnel = tunnel;
	sk->sk_state = PPPOX_CONNECTED;
	err = 0;
out_release:
	release_sock(sk);
	return err;
}

/* --- release ---------------------------------------------------------------- */

static int ol2tp_ppp_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct ol2tp_session *s;

	if (!sk)
		return 0;

	lock_sock(sk);
	s = ol2tp_ppp_sk(sk)->session;
	if (s)
		ol2tp_session_hold(s);
	ol2tp_ppp_disconnect(sk);
	sock_orphan(sk);
	sock->sk = NULL;
	skb_queue_purge(&sk->sk_receive_queue);
	release_sock(sk);

	/* Closing the socket ends its session (however it was created). */
	if (s) {
		ol2tp_session_delete(s);
		ol2tp_session_put(s);
	}
	sock_put(sk);
	return 0;
}

/* --- getsockname ------------------------------------------------------------- */

#define OL2TP_PPP_NAME_IDS(p, t, s) do {				\
	(p)->fd = (t)->fd;						\
	(p)->s_tunnel = (t)->tunnel_id;					\
	(p)->d_tunnel = (t)->peer_tunnel_id;				\
	(p)->s_session = (s) ? (s)->session_id : 0;			\
	(p)->d_session = (s) ? (s)->peer_session_id : 0;		\
} while (0)

/* The address variant of the tunnel's version and family; its length. */
static int ol2tp_ppp_fill_name(struct sockaddr *uaddr, struct ol2tp_tunnel *t,
			       struct ol2tp_session *s)
{
	struct sock *tsk = t->sk;
	struct inet_sock *inet = inet_sk(tsk);
	__be16 dport = t->encap == OL2TP_ENCAPTYPE_UDP ? inet->inet_dport : 0;

#if IS_ENABLED(CONFIG_IPV6)
	if (tsk->sk_family == AF_INET6) {
		struct sockaddr_in6 *sin6;

		if (t->version == 2) {
			struct sockaddr_pppol2tpin6 *sp = (void *)uaddr;

			memset(sp, 0, sizeof(*sp));
			OL2TP_PPP_NAME_IDS(&sp->pppol2tp, t, s);
			sin6 = &sp->pppol2tp.addr;
		} else {
			struct sockaddr_pppol2tpv3in6 *sp = (void *)uaddr;

			memset(sp, 0, sizeof(*sp));
			OL2TP_PPP_NAME_IDS(&sp->pppol2tp, t, s);
			sin6 = &sp->pppol2tp.addr;
		}
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = dport;
		sin6->sin6_addr = tsk->sk_v6_daddr;
		uaddr->sa_family = AF_PPPOX;
		((struct sockaddr_pppol2tpin6 *)uaddr)->sa_protocol =
			PX_PROTO_OL2TP;
		return t->version == 2 ? sizeof(struct sockaddr_pppol2tpin6) :
					 sizeof(struct sockaddr_pppol2tpv3in6);
	}
#endif
	{
		struct sockaddr_in *sin;

		if (t->version == 2) {
			struct sockaddr_pppol2tp *sp = (void *)uaddr;

			memset(sp, 0, sizeof(*sp));
			OL2TP_PPP_NAME_IDS(&sp->pppol2tp, t, s);
			sin = &sp->pppol2tp.addr;
		} else {
			struct sockaddr_pppol2tpv3 *sp = (void *)uaddr;

			memset(sp, 0, sizeof(*sp));
			OL2TP_PPP_NAME_IDS(&sp->pppol2tp, t, s);
			sin = &sp->pppol2tp.addr;
		}
		sin->sin_family = AF_INET;
		sin->sin_port = dport;
		sin->sin_addr.s_addr = inet->inet_daddr;
		uaddr->sa_family = AF_PPPOX;
		((struct sockaddr_pppol2tp *)uaddr)->sa_protocol =
			PX_PROTO_OL2TP;
		return t->version == 2 ? sizeof(struct sockaddr_pppol2tp) :
					 sizeof(struct sockaddr_pppol2tpv3);
	}
}

static int ol2tp_ppp_getname(struct socket *sock, struct sockaddr *uaddr,
			     int peer)
{
	struct sock *sk = sock->sk;
	struct ol2tp_ppp_sock *ps = ol2tp_ppp_sk(sk);
	int ret;

	lock_sock(sk);
	ret = ol2tp_ppp_live(sk);
	if (!ret)
		ret = ol2tp_ppp_fill_name(uaddr, ps->tunnel, ps->session);
	release_sock(sk);
	return ret;
}

/* --- data through the socket ---------------------------------------------------- */

/* A PPP frame from userspace (protocol field onwards) goes out on the session. */
static int ol2tp_ppp_sendmsg(struct socket *sock, struct msghdr *m,
			     size_t total_len)
{
	struct sock *sk = sock->sk;
	struct ol2tp_ppp_sock *ps = ol2tp_ppp_sk(sk);
	unsigned int headroom;
	struct sk_buff *skb;
	int err;

	if (total_len > 0xffff - OL2TP_PPP_ACFC_LEN)
		return -EMSGSIZE;

	lock_sock(sk);
	err = ol2tp_ppp_live(sk);
	if (err)
		goto out_release;
	err = -EOPNOTSUPP;
	if (!ps->session)	/* a management socket carries no frames */
		goto out_release;

	headroom = OL2TP_PPP_HEADROOM(ps->session);
	skb = sock_wmalloc(sk, headroom + 2 + total_len, 0, GFP_KERNEL);
	err = -ENOMEM;
	if (!skb)
		goto out_release;
	skb_reserve(skb, headroom);
	skb_put_u8(skb, PPP_ALLSTATIONS);
	skb_put_u8(skb, PPP_UI);
	err = memcpy_from_msg(skb_put(skb, total_len), m, total_len);
	if (err) {
		kfree_skb(skb);
		goto out_release;
	}
	ol2tp_xmit_skb(ps->session, skb);
	err = total_len;
out_release:
	release_sock(sk);
	return err;
}

/* Frames received before pppd bound the channel (FF 03 removed). */
static int ol2tp_ppp_recvmsg(struct socket *sock, struct msghdr *m,
			     size_t len, int flags)
{
	struct sock *sk = sock->sk;
	struct sk_buff *skb;
	int err;

	if (READ_ONCE(sk->sk_state) & PPPOX_BOUND)
		return -EIO;
	skb = skb_recv_datagram(sk, flags, &err);
	if (!skb)
		return err;
	if (len > skb->len)
		len = skb->len;
	else if (len < skb->len)
		m->msg_flags |= MSG_TRUNC;
	err = skb_copy_datagram_msg(skb, 0, m, len);
	if (!err)
		err = flags & MSG_TRUNC ? skb->len : len;
	kfree_skb(skb);
	return err;
}

/* --- socket options -------------------------------------------------------------- */

/*
 * The sequencing change session option @optname asks for: -ENOPROTOOPT for
 * an option we do not have, and DEBUG changes no sequencing (@cfg->set 0).
 */
static int ol2tp_ppp_seq_cfg(int optname, int val, struct ol2tp_seq_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	switch (optname) {
	case PPPOL2TP_SO_RECVSEQ:
		cfg->set = OL2TP_SEQ_SET_RECV;
		cfg->recv_seq = val;
		return 0;
	case PPPOL2TP_SO_SENDSEQ:
		cfg->set = OL2TP_SEQ_SET_SEND;
		cfg->send_seq = val;
		return 0;
	case PPPOL2TP_SO_LNSMODE:
		cfg->set = OL2TP_SEQ_SET_LNS;
		cfg->lns_mode = val;
		return 0;
	case PPPOL2TP_SO_REORDERTO:
		cfg->set = OL2TP_SEQ_SET_TIMEOUT;
		cfg->reorder_ms = val;
		return 0;
	case PPPOL2TP_SO_DEBUG:
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/* Is @val acceptable for session option @optname? */
static int ol2tp_ppp_session_optcheck(int optname, int val)
{
	struct ol2tp_seq_cfg cfg;
	int err = ol2tp_ppp_seq_cfg(optname, val, &cfg);

	return err ?: ol2tp_seq_cfg_check(&cfg);
}

static int ol2tp_ppp_session_setopt(struct ol2tp_ppp_sock *ps, int optname,
				    int val)
{
	struct ol2tp_session *s = ps->session;
	struct ol2tp_seq_cfg cfg;
	int err = ol2tp_ppp_seq_cfg(optname, val, &cfg);

	if (err)
		return err;
	if (optname == PPPOL2TP_SO_DEBUG) {
		WRITE_ONCE(s->debug, val);
		return 0;
	}
	return ol2tp_seq_set(s, &cfg);
}

/*
 * A socket whose session or tunnel was deleted under it (PPPOX_DEAD: it
 * was connected).  pppd sets its options again while its link goes down
 * (PPPOL2TP_SO_LNSMODE and the others, as LCP closes), after the daemon
 * deleted the session: Linux keeps such a socket on the dead session and
 * accepts them.  So do we, checking them as a live socket would; there is
 * nothing left to apply them to.  A management socket (no PPP channel was
 * ever set up on it) still has DEBUG only.
 */
static int ol2tp_ppp_dead_setopt(struct ol2tp_ppp_sock *ps, int optname,
				 int val)
{
	if (ps->po.chan.private)
		return ol2tp_ppp_session_optcheck(optname, val);
	return optname == PPPOL2TP_SO_DEBUG ? 0 : -ENOPROTOOPT;
}

static int ol2tp_ppp_setsockopt(struct socket *sock, int level, int optname,
				sockptr_t optval, unsigned int optlen)
{
	struct sock *sk = sock->sk;
	struct ol2tp_ppp_sock *ps = ol2tp_ppp_sk(sk);
	int val, err;

	if (level != SOL_PPPOL2TP)
		return -EINVAL;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;

	lock_sock(sk);
	err = ol2tp_ppp_live(sk);
	if (err) {
		if (sk->sk_state & PPPOX_DEAD)
			err = ol2tp_ppp_dead_setopt(ps, optname, val);
		goto out_release;
	}
	if (ps->session) {
		err = ol2tp_ppp_session_setopt(ps, optname, val);
	} else if (optname == PPPOL2TP_SO_DEBUG) {
		/* The management socket stands for the tunnel. */
		WRITE_ONCE(ps->tunnel->debug, val);
	} else {
		err = -ENOPROTOOPT;
	}
out_release:
	release_sock(sk);
	return err;
}

static int ol2tp_ppp_session_getopt(struct ol2tp_session *s, int optname,
				    int *val)
{
	switch (optname) {
	case PPPOL2TP_SO_RECVSEQ:
		*val = READ_ONCE(s->recv_seq);
		return 0;
	case PPPOL2TP_SO_SENDSEQ:
		*val = READ_ONCE(s->send_seq);
		return 0;
	case PPPOL2TP_SO_LNSMODE:
		*val = READ_ONCE(s->lns_mode);
		return 0;
	case PPPOL2TP_SO_DEBUG:
		*val = READ_ONCE(s->debug);
		return 0;
	case PPPOL2TP_SO_REORDERTO:
		*val = jiffies_to_msecs(READ_ONCE(s->reorder_timeout));
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static int ol2tp_ppp_getsockopt(struct socket *sock, int level, int optname,
				char __user *optval, int __user *optlen)
{
	struct sock *sk = sock->sk;
	struct ol2tp_ppp_sock *ps = ol2tp_ppp_sk(sk);
	int len, val, err;

	if (level != SOL_PPPOL2TP)
		return -EINVAL;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	len = min_t(int, len, sizeof(int));

	lock_sock(sk);
	err = ol2tp_ppp_live(sk);
	if (err)
		goto out_release;
	if (ps->session)
		err = ol2tp_ppp_session_getopt(ps->session, optname, &val);
	else if (optname == PPPOL2TP_SO_DEBUG)
		val = READ_ONCE(ps->tunnel->debug);
	else
		err = -ENOPROTOOPT;
out_release:
	release_sock(sk);
	if (err)
		return err;
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

/* --- ioctls (pppox_ioctl() calls us with lock_sock() held) --------------- */

static void ol2tp_ppp_copy_stats(struct pppol2tp_ioc_stats *st,
				 const struct ol2tp_stats *v)
{
	st->tx_packets = v->tx_packets;
	st->tx_bytes = v->tx_bytes;
	st->tx_errors = v->tx_errors;
	st->rx_packets = v->rx_packets;
	st->rx_bytes = v->rx_bytes;
	st->rx_seq_discards = v->rx_seq_discards;
	st->rx_oos_packets = v->rx_oos_packets;
	st->rx_errors = v->rx_errors;
}

/*
 * PPPIOCGL2TPSTATS: a session socket's session; on a management socket the
 * session whose id the caller passed in, or the tunnel for id 0.
 */
static int ol2tp_ppp_ioc_stats(struct ol2tp_ppp_sock *ps, void __user *arg)
{
	struct ol2tp_tunnel *t = ps->tunnel;
	struct pppol2tp_ioc_stats st;
	struct ol2tp_stats v = {};
	struct ol2tp_session *s;

	if (copy_from_user(&st, arg, sizeof(st)))
		return -EFAULT;
	if (ps->session) {
		s = ps->session;
		ol2tp_session_hold(s);
	} else if (st.session_id) {
		s = ol2tp_session_get(t, st.session_id);
		if (!s)
			return -EBADR;
	} else {
		s = NULL;
	}

	memset(&st, 0, sizeof(st));
	if (s) {
		ol2tp_stats_fold(&v, s->stats);
		st.session_id = s->session_id;
		ol2tp_session_put(s);
	} else {
		ol2tp_tunnel_stats(t, &v);
	}
	ol2tp_ppp_copy_stats(&st, &v);
	st.tunnel_id = t->tunnel_id;
	st.using_ipsec = ol2tp_sk_using_ipsec(t->sk);
	if (copy_to_user(arg, &st, sizeof(st)))
		return -EFAULT;
	return 0;
}

static int ol2tp_ppp_ioctl(struct socket *sock, unsigned int cmd,
			   unsigned long arg)
{
	struct sock *sk = sock->sk;
	struct ol2tp_ppp_sock *ps = ol2tp_ppp_sk(sk);
	int __user *p = (int __user *)arg;
	int val, err;

	switch (cmd) {
	case PPPIOCGMRU:
	case PPPIOCGFLAGS:
	case PPPIOCSMRU:
	case PPPIOCSFLAGS:
		err = ol2tp_ppp_live(sk);
		if (err)
			return err;
		/*
		 * Not defined for a tunnel.  (Linux says ENOSYS, which means
		 * "no such system call"; ENOTTY is the errno for an ioctl that
		 * does not apply to this file.)
		 */
		if (!ps->session)
			return -ENOTTY;
		/* Framing is ppp_generic's business: accepted, nothing kept. */
		if (cmd == PPPIOCGMRU || cmd == PPPIOCGFLAGS)
			return put_user(0, p);
		return copy_from_user(&val, p, sizeof(val)) ? -EFAULT : 0;
	case PPPIOCGL2TPSTATS:
		err = ol2tp_ppp_live(sk);
		if (err)
			return err;
		return ol2tp_ppp_ioc_stats(ps, (void __user *)arg);
	default:
		return -ENOIOCTLCMD;
	}
}

/* --- socket -------------------------------------------------------------------- */

static const struct proto_ops ol2tp_ppp_ops = {
	.family = AF_PPPOX,
	.owner = THIS_MODULE,
	.release = ol2tp_ppp_release,
	.bind = sock_no_bind,
	.connect = ol2tp_ppp_connect,
	.socketpair = sock_no_socketpair,
	.accept = sock_no_accept,
	.getname = ol2tp_ppp_getname,
	.poll = datagram_poll,
	.listen = sock_no_listen,
	.shutdown = sock_no_shutdown,
	.setsockopt = ol2tp_ppp_setsockopt,
	.getsockopt = ol2tp_ppp_getsockopt,
	.sendmsg = ol2tp_ppp_sendmsg,
	.recvmsg = ol2tp_ppp_recvmsg,
	.mmap = sock_no_mmap,
	.ioctl = pppox_ioctl,
#ifdef CONFIG_COMPAT
	.compat_ioctl = pppox_compat_ioctl,
#endif
};

static struct proto ol2tp_ppp_sk_proto = {
	.name = "OL2TP/PPP",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct ol2tp_ppp_sock),
};

static void ol2tp_ppp_destruct(struct sock *sk)
{
	skb_queue_purge(&sk->sk_receive_queue);
}

static int ol2tp_ppp_create(struct net *net, struct socket *sock, int kern)
{
	struct sock *sk;

	sk = sk_alloc(net, PF_PPPOX, GFP_KERNEL, &ol2tp_ppp_sk_proto, kern);
	if (!sk)
		return -ENOMEM;
	sock_init_data(sock, sk);
	sock->state = SS_UNCONNECTED;
	sock->ops = &ol2tp_ppp_ops;
	sk->sk_protocol = PX_PROTO_OL2TP;
	sk->sk_family = PF_PPPOX;
	sk->sk_state = PPPOX_NONE;
	sk->sk_destruct = ol2tp_ppp_destruct;
	/* The receive path reaches sockets through RCU pointers. */
	sock_set_flag(sk, SOCK_RCU_FREE);
	return 0;
}

static const struct pppox_proto ol2tp_ppp_pppox_proto = {
	.create = ol2tp_ppp_create,
	.ioctl = ol2tp_ppp_ioctl,
	.owner = THIS_MODULE,
};

/* --- /proc/net/pppol2tp ----------------------------------------------------------- */

static const char *ol2tp_ppp_encap_name(const struct ol2tp_tunnel *t)
{
	return t->encap == OL2TP_ENCAPTYPE_UDP ? "udp" : "ip";
}

static void ol2tp_ppp_show_session(struct seq_file *m, struct ol2tp_session *s)
{
	struct ol2tp_ppp_pw *pw = ol2tp_session_priv(s);
	struct ol2tp_stats v = {};
	char ifname[IFNAMSIZ] = "-";
	const char *state = "unattached";
	struct sock *sk;

	rcu_read_lock();
	sk = rcu_dereference(pw->sk);
	if (sk) {
		/* Attached: the channel stays registered for this section. */
		struct ppp_channel *chan = &ol2tp_ppp_sk(sk)->po.chan;
		char *name;

		state = READ_ONCE(sk->sk_state) & PPPOX_BOUND ? "bound" :
								"connected";
		name = ppp_dev_name(chan);
		if (name)
			strscpy(ifname, name, sizeof(ifname));
	}
	rcu_read_unlock();

	ol2tp_stats_fold(&v, s->stats);
	seq_printf(m,
		   "  session %u peer %u socket %s ppp %s send_seq %u recv_seq %u lns_mode %u reorder_ms %u\n",
		   s->session_id, s->peer_session_id, state, ifname,
		   READ_ONCE(s->send_seq), READ_ONCE(s->recv_seq),
		   READ_ONCE(s->lns_mode),
		   jiffies_to_msecs(READ_ONCE(s->reorder_timeout)));
	seq_printf(m,
		   "    tx %llu/%llu/%llu rx %llu/%llu/%llu seq_discards %llu oos %llu\n",
		   v.tx_packets, v.tx_bytes, v.tx_errors, v.rx_packets,
		   v.rx_bytes, v.rx_errors, v.rx_seq_discards,
		   v.rx_oos_packets);
}

static int ol2tp_ppp_proc_show(struct seq_file *m, void *v)
{
	struct net *net = seq_file_single_net(m);
	struct ol2tp_dump_pos tpos = {}, spos;
	struct ol2tp_session *s;
	struct ol2tp_tunnel *t;

	seq_puts(m, "# tunnel ID peer ID version V encap E sessions N\n");
	seq_puts(m, "#   session ID peer ID socket STATE ppp IFNAME send_seq ...\n");
	seq_puts(m, "#     tx packets/bytes/errors rx packets/bytes/errors\n");
	while ((t = ol2tp_tunnel_next(net, &tpos))) {
		seq_printf(m, "tunnel %u peer %u version %u encap %s sessions %u\n",
			   t->tunnel_id, t->peer_tunnel_id, t->version,
			   ol2tp_ppp_encap_name(t), READ_ONCE(t->nr_sessions));
		spos = (struct ol2tp_dump_pos){};
		while ((s = ol2tp_session_next(t, &spos))) {
			if (s->pw_type == OL2TP_PWTYPE_PPP)
				ol2tp_ppp_show_session(m, s);
			ol2tp_dump_pos_step(&spos, s->session_id);
			ol2tp_session_put(s);
		}
		ol2tp_dump_pos_step(&tpos, t->tunnel_id);
		ol2tp_tunnel_put(t);
	}
	return 0;
}

static int __net_init ol2tp_ppp_net_init(struct net *net)
{
	if (!proc_create_net_single("pppol2tp", 0444, net->proc_net,
				    ol2tp_ppp_proc_show, NULL))
		return -ENOMEM;
	return 0;
}

static void __net_exit ol2tp_ppp_net_exit(struct net *net)
{
	remove_proc_entry("pppol2tp", net->proc_net);
}

static struct pernet_operations ol2tp_ppp_net_ops = {
	.init = ol2tp_ppp_net_init,
	.exit = ol2tp_ppp_net_exit,
};

/* --- module ------------------------------------------------------------------------ */

static int __init ol2tp_ppp_init(void)
{
	int err;

	err = proto_register(&ol2tp_ppp_sk_proto, 0);
	if (err)
		return err;
	err = register_pernet_subsys(&ol2tp_ppp_net_ops);
	if (err)
		goto err_proto;
	err = ol2tp_pw_register(&ol2tp_ppp_pw_ops);
	if (err)
		goto err_pernet;
	err = register_pppox_proto(PX_PROTO_OL2TP, &ol2tp_ppp_pppox_proto);
	if (err) {
		pr_err("PPPoX protocol %d is taken (is Linux's l2tp_ppp loaded?)\n",
		       PX_PROTO_OL2TP);
		goto err_pw;
	}
	pr_info("PPP pseudowires and PPPoL2TP sockets\n");
	return 0;

err_pw:
	ol2tp_pw_unregister(&ol2tp_ppp_pw_ops);
err_pernet:
	unregister_pernet_subsys(&ol2tp_ppp_net_ops);
err_proto:
	proto_unregister(&ol2tp_ppp_sk_proto);
	return err;
}

static void __exit ol2tp_ppp_exit(void)
{
	/* Sockets and sessions pin the module: none is left here. */
	unregister_pppox_proto(PX_PROTO_OL2TP);
	ol2tp_pw_unregister(&ol2tp_ppp_pw_ops);
	unregister_pernet_subsys(&ol2tp_ppp_net_ops);
	proto_unregister(&ol2tp_ppp_sk_proto);
}

module_init(ol2tp_ppp_init);
module_exit(ol2tp_ppp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ol2tp: PPP pseudowires over L2TPv2/v3 and PPPoL2TP sockets");
MODULE_AUTHOR("ol2tp developers");
/* socket(AF_PPPOX, SOCK_DGRAM, PX_PROTO_OL2TP) */
MODULE_ALIAS_NET_PF_PROTO(PF_PPPOX, PX_PROTO_OL2TP);
/* SESSION_CREATE with PW_TYPE 7 (pw.c requests "net-ol2tp-pw-%u") */
MODULE_ALIAS("net-ol2tp-pw-7");
