// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tpd transport: the listening sockets (UDP and L2TP/IP) that take the
 * SCCRQs of configured peers, one connected socket per control connection
 * (with an IPsec policy if the peer wants one), and the datagrams in and out
 * of them.  A connection's socket becomes its kernel tunnel's socket once
 * it is up.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>
#include <linux/errqueue.h>
#include <linux/xfrm.h>

#include "daemon.h"
#include "log.h"

static socklen_t sa_len(int family)
{
	return family == AF_INET6 ? sizeof(struct sockaddr_in6) :
				    sizeof(struct sockaddr_in);
}

static void set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

/* L2TP/IP sockaddr with a connection id. */
static socklen_t ip_sockaddr(const struct sockaddr_storage *addr,
			     uint32_t conn, struct sockaddr_storage *out)
{
	struct sockaddr_storage copy = *addr;	/* out may be addr */
	const struct sockaddr_storage *a = &copy;

	memset(out, 0, sizeof(*out));
	if (a->ss_family == AF_INET6) {
		struct ol2tp_sockaddr_ip6 *s = (void *)out;

		s->l2tp_family = AF_INET6;
		s->l2tp_addr = ((const struct sockaddr_in6 *)a)->sin6_addr;
		s->l2tp_conn_id = conn;
		return sizeof(*s);
	}
	{
		struct ol2tp_sockaddr_ip *s = (void *)out;

		s->l2tp_family = AF_INET;
		s->l2tp_addr = ((const struct sockaddr_in *)a)->sin_addr;
		s->l2tp_conn_id = conn;
		return sizeof(*s);
	}
}

static int open_listener(struct daemon *d, const struct conf_addr *a,
			 bool ip)
{
	struct listener *l = &d->lst[d->n_lst];
	struct sockaddr_storage ss = a->ss;
	int fd, one = 1, family = a->ss.ss_family ? a->ss.ss_family : AF_INET;
	char buf[80];

	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    ip ? OL2TP_IPPROTO_L2TP : 0);
	if (fd < 0) {
		logmsg(LOG_ERR, "cannot open %s socket: %s%s",
		       ip ? "L2TP/IP" : "UDP", strerror(errno),
		       ip ? " (is ol2tp.ko or l2tp_ip loaded?)" : "");
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
	} else {
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	}
	if (ip) {
		socklen_t len = ip_sockaddr(&ss, 0, &ss);

		if (bind(fd, (struct sockaddr *)&ss, len) < 0)
			goto fail;
	} else {
		if (!((struct sockaddr_in *)&ss)->sin_port)
			set_port(&ss, d->conf.port);
		ss.ss_family = (sa_family_t)family;
		if (bind(fd, (struct sockaddr *)&ss, sa_len(family)) < 0)
			goto fail;
	}
	l->ev.kind = EV_LISTENER;
	l->ev.fd = fd;
	l->ip = ip;
	l->family = family;
	if (ep_add(d, &l->ev) < 0)
		goto fail;
	d->n_lst++;
	logmsg(LOG_INFO, "listening on %s%s", ip ? "L2TP/IP " : "udp ",
	       conf_addr_str((struct sockaddr *)&ss, buf, sizeof(buf)));
	return 0;
fail:
	logmsg(LOG_ERR, "cannot listen on %s %s: %s", ip ? "L2TP/IP" : "udp",
	       conf_addr_str((const struct sockaddr *)&a->ss, buf, sizeof(buf)),
	       strerror(errno));
	close(fd);
	return -1;
}

/*
 * The listening sockets, for the SCCRQs of the configured peers.  Without
 * a [peer] nobody may connect: no listener, so that [static] tunnels can
 * have the port (the configuration check refuses a static tunnel on a
 * listening port only when there are peers).  A reload that brings the
 * first peer opens them.
 */
int open_listeners(struct daemon *d)
{
	if (d->n_lst)
		return 0;
	if (!d->conf.n_peers) {
		logmsg(LOG_INFO, "no [peer]: not listening for control connections");
		return 0;
	}
	for (unsigned int i = 0; i < d->conf.n_listen; i++)
		if (open_listener(d, &d->conf.listen[i], false) < 0)
			return -1;
	if (d->conf.listen_ip) {
		struct conf_addr any4 = { .len = sizeof(struct sockaddr_in) };
		struct conf_addr any6 = { .len = sizeof(struct sockaddr_in6) };

		any4.ss.ss_family = AF_INET;
		any6.ss.ss_family = AF_INET6;
		if (open_listener(d, &any4, true) < 0)
			return -1;
		/* IPv6 may be disabled: then L2TP/IP is IPv4 only. */
		if (open_listener(d, &any6, true) < 0)
			logmsg(LOG_WARNING, "L2TP/IP over IPv6 not available");
	}
	return 0;
}

/*
 * ipsec = yes: a policy on the socket itself, in both directions, that
 * takes ESP in transport mode between the socket's addresses (the SAs are
 * the IKE daemon's).  Nothing of this tunnel goes out in clear, whatever
 * the system's policies, and the kernel reports USING_IPSEC.
 */
static int require_esp(int fd, int family)
{
	struct {
		struct xfrm_userpolicy_info p;
		struct xfrm_user_tmpl t;
	} pol;
	int level = family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
	int name = family == AF_INET6 ? IPV6_XFRM_POLICY : IP_XFRM_POLICY;
	static const uint8_t dirs[] = { XFRM_POLICY_IN, XFRM_POLICY_OUT };

	for (size_t i = 0; i < sizeof(dirs); i++) {
		memset(&pol, 0, sizeof(pol));
		pol.p.sel.family = (uint16_t)family;
		pol.p.lft.soft_byte_limit = XFRM_INF;
		pol.p.lft.hard_byte_limit = XFRM_INF;
		pol.p.lft.soft_packet_limit = XFRM_INF;
		pol.p.lft.hard_packet_limit = XFRM_INF;
		pol.p.dir = dirs[i];
		pol.p.action = XFRM_POLICY_ALLOW;
		pol.t.id.proto = IPPROTO_ESP;
		pol.t.family = (uint16_t)family;
		pol.t.mode = XFRM_MODE_TRANSPORT;
		pol.t.aalgos = ~0U;
		pol.t.ealgos = ~0U;
		pol.t.calgos = ~0U;
		if (setsockopt(fd, level, name, &pol, sizeof(pol)) < 0)
			return -1;
	}
	return 0;
}

/*
 * path-mtu-discovery = yes: the socket says "do", so the kernel keeps DF on
 * this peer's data packets and answers frames too big for the path with
 * ICMP (ol2tp.ko; Linux's l2tp fragments them regardless).
 */
static int keep_df(int fd, int family)
{
	int v4 = IP_PMTUDISC_DO, v6 = IPV6_PMTUDISC_DO;

	if (family == AF_INET6)
		return setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &v6,
				  sizeof(v6));
	return setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &v4, sizeof(v4));
}

/* The socket of a control connection, made on its first transmission. */
static struct tunnel *tunnel_new(struct daemon *d, struct engine_cc *cc)
{
	struct tunnel *t = calloc(1, sizeof(*t));
	const struct engine_addr *addr = engine_cc_addr(cc);
	const struct conf_peer *p = engine_cc_index(cc) >= 0 ?
				    &d->conf.peers[engine_cc_index(cc)] : NULL;
	struct sockaddr_storage local, peer;
	int family = addr->ss.ss_family, one = 1, fd;
	socklen_t len;
	char buf[80];

	if (!t)
		return NULL;
	t->d = d;
	t->cc = cc;
	t->ip = engine_cc_ip(cc);
	memset(&local, 0, sizeof(local));
	local.ss_family = (sa_family_t)family;
	if (p && p->have_local && p->local.ss.ss_family == family)
		local = p->local.ss;
	else if (d->rx_listener && d->rx_listener->have_local &&
		 d->rx_listener->family == family)
		local = d->rx_listener->local;	/* answer from where asked */

	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    t->ip ? OL2TP_IPPROTO_L2TP : 0);
	if (fd < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	/* ICMP errors about our messages, soft ones too, with their sender. */
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof(one));
	else
		setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
	if (p && p->ipsec && require_esp(fd, family) < 0) {
		logmsg(LOG_ERR, "%s: cannot put an IPsec policy on the control connection socket: %s%s",
		       engine_cc_name(cc), strerror(errno),
		       errno == EINVAL || errno == ENOPROTOOPT ?
		       " (is xfrm_user loaded? modprobe xfrm_user)" : "");
		goto fail_fd;
	}
	if (p && p->pmtud && keep_df(fd, family) < 0) {
		logmsg(LOG_ERR, "%s: cannot set path MTU discovery on the control connection socket: %s",
		       engine_cc_name(cc), strerror(errno));
		goto fail_fd;
	}
	if (t->ip) {
		len = ip_sockaddr(&local, engine_cc_id(cc), &local);
		if (bind(fd, (struct sockaddr *)&local, len) < 0)
			goto fail_fd;
		len = ip_sockaddr(&addr->ss, engine_cc_peer_id(cc), &peer);
	} else {
		set_port(&local, d->conf.port);
		if (bind(fd, (struct sockaddr *)&local, sa_len(family)) < 0)
			goto fail_fd;
		peer = addr->ss;
		len = sa_len(family);
	}
	if (connect(fd, (struct sockaddr *)&peer, len) < 0)
		goto fail_fd;
	t->connected = *addr;
	t->ev.kind = EV_TUNNEL;
	t->ev.fd = fd;
	if (ep_add(d, &t->ev) < 0)
		goto fail_fd;
	engine_cc_set_user(cc, t);
	return t;
fail_fd:
	close(fd);
fail:
	logmsg(LOG_ERR, "%s: cannot open the control connection socket to %s: %s",
	       engine_cc_name(cc),
	       conf_addr_str((const struct sockaddr *)&addr->ss, buf,
			     sizeof(buf)),
	       strerror(errno));
	free(t);
	return NULL;
}

/* The peer answered from another port: follow it (before the kernel). */
void tunnel_follow(struct tunnel *t)
{
	const struct engine_addr *addr = engine_cc_addr(t->cc);
	struct sockaddr_storage peer;
	socklen_t len;

	if (engine_addr_equal(&t->connected, addr) || t->kernel)
		return;
	if (t->ip) {
		len = ip_sockaddr(&addr->ss, engine_cc_peer_id(t->cc), &peer);
	} else {
		peer = addr->ss;
		len = sa_len(peer.ss_family);
	}
	if (connect(t->ev.fd, (struct sockaddr *)&peer, len) == 0)
		t->connected = *addr;
}

/*
 * The path MTU the kernel knows to a connection's peer (t NULL: none), or
 * -1: that of a fresh route from the same local address, on a throwaway
 * UDP socket.  The tunnel socket's own route is not asked: an L2TP/IP
 * socket keeps the one it had before a router's "fragmentation needed"
 * until it sends again.
 */
int tunnel_path_mtu(const struct tunnel *t)
{
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);
	int mtu = -1, family, fd;

	if (!t || t->ev.fd < 0 ||
	    getsockname(t->ev.fd, (struct sockaddr *)&local, &len) < 0)
		return -1;
	family = local.ss_family;
	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	set_port(&local, 0);
	len = sizeof(mtu);
	if (bind(fd, (struct sockaddr *)&local, sa_len(family)) < 0 ||
	    connect(fd, (const struct sockaddr *)&t->connected.ss,
		    sa_len(family)) < 0 ||
	    getsockopt(fd, family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP,
		       family == AF_INET6 ? IPV6_MTU : IP_MTU, &mtu, &len) < 0)
		mtu = -1;
	close(fd);
	return mtu;
}

/* Close a connection's socket (its kernel tunnel first). */
void tunnel_close(struct daemon *d, struct tunnel *t)
{
	kernel_tunnel_down(d, t);
	if (t->ev.fd < 0)
		return;
	epoll_ctl(d->epfd, EPOLL_CTL_DEL, t->ev.fd, NULL);
	close(t->ev.fd);
	t->ev.fd = -1;
}

/* A control message out: on the connection's socket, opened on the first. */
void tunnel_send(struct daemon *d, struct engine_cc *cc, const uint8_t *buf,
		 size_t len)
{
	struct tunnel *t = engine_cc_user(cc);
	const struct engine_addr *addr = engine_cc_addr(cc);
	ssize_t n;

	if (!t) {
		t = tunnel_new(d, cc);
		if (!t)
			return;
	}
	if (t->ip) {
		/* The L2TP/IP socket adds the zero session id itself. */
		if (len < L2TP_IP_SID_LEN)
			return;
		buf += L2TP_IP_SID_LEN;
		len -= L2TP_IP_SID_LEN;
	}
	if (t->ev.fd < 0) {
		/* Lingering after it went down: through a listener, so that
		 * its address pair is free for a connection that replaced it.
		 */
		struct sockaddr_storage to;
		socklen_t tolen;

		for (unsigned int i = 0; i < d->n_lst; i++) {
			struct listener *l = &d->lst[i];

			if (l->ip != t->ip || l->family != addr->ss.ss_family)
				continue;
			if (t->ip) {
				tolen = ip_sockaddr(&addr->ss,
						    engine_cc_peer_id(cc), &to);
			} else {
				to = addr->ss;
				tolen = sa_len(to.ss_family);
			}
			if (sendto(l->ev.fd, buf, len, 0, (struct sockaddr *)&to,
				   tolen) < 0)
				logmsg(LOG_DEBUG, "%s: sendto: %s",
				       engine_cc_name(cc),
				       strerror(errno));
			return;
		}
		return;
	}
	tunnel_follow(t);
	n = send(t->ev.fd, buf, len, 0);
	if (n < 0)
		logmsg(LOG_DEBUG, "%s: send: %s", engine_cc_name(cc),
		       strerror(errno));
}

/* What an error a connection's socket reports most likely means. */
static const struct {
	int err;
	const char *hint;
} path_error_hints[] = {
	{ ECONNREFUSED, "nothing takes L2TP on that UDP port there: is an L2TP daemon running?" },
	{ ENOPROTOOPT, "the peer does not take L2TP over IP (protocol 115): is ol2tp or l2tp_ip loaded there?" },
	{ EPROTO, "the peer refused a header; over IPv6, is ol2tp or l2tp_ip6 loaded there?" },
	{ EHOSTUNREACH, "the peer is down or unreachable, or a firewall refuses the path" },
	{ ENETUNREACH, "no route to the peer's network on the way" },
	{ EACCES, "a router or firewall on the way refuses it" },
	{ EMSGSIZE, "a packet was too big for the path" },
};

/*
 * The connection's socket reported @err: an ICMP error about a message we
 * sent, with who sent it (@from: the peer, or a router on the way) when
 * it came through the error queue.  Logged once per kind; the engine
 * retransmits on, as a forged ICMP error must not end a connection, and
 * the reason the connection ends with names it ("peer show").
 */
void tunnel_path_error(struct tunnel *t, int err,
		       const struct engine_addr *from)
{
	const char *hint = "an ICMP error came back";
	char peer[80], sender[90] = "";

	if (err == t->path_err)
		return;
	t->path_err = err;
	for (size_t i = 0; i < sizeof(path_error_hints) / sizeof(path_error_hints[0]); i++)
		if (path_error_hints[i].err == err)
			hint = path_error_hints[i].hint;
	if (t->ip)		/* no port over IP */
		conf_host_str((const struct sockaddr *)&t->connected.ss, peer,
			      sizeof(peer));
	else
		conf_addr_str((const struct sockaddr *)&t->connected.ss, peer,
			      sizeof(peer));
	if (from && engine_addr_same_host(from, &t->connected)) {
		snprintf(sender, sizeof(sender), ", from the peer");
	} else if (from) {
		char a[INET6_ADDRSTRLEN];

		conf_host_str((const struct sockaddr *)&from->ss, a, sizeof(a));
		snprintf(sender, sizeof(sender), ", from %s", a);
	}
	logmsg(LOG_WARNING, "%s: the path to %s reports: %s%s (%s)",
	       engine_cc_name(t->cc), peer, strerror(err), sender, hint);
}

/*
 * Empty the error queue of connection @t's socket (IP_RECVERR): each ICMP
 * error is reported with its sender.  poll() says POLLERR while the queue
 * holds anything, so it is emptied whatever the entries are.
 */
static void tunnel_drain_errors(struct tunnel *t, int fd)
{
	for (int k = 0; k < 64; k++) {
		union {
			struct cmsghdr h;
			uint8_t b[CMSG_SPACE(sizeof(struct sock_extended_err) +
					     sizeof(struct sockaddr_in6))];
		} cbuf;
		struct {
			struct sock_extended_err ee;
			struct sockaddr_in6 offender;	/* or sockaddr_in */
		} e;
		uint8_t data[64];
		struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
		struct msghdr mh = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = &cbuf, .msg_controllen = sizeof(cbuf),
		};

		if (recvmsg(fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			return;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c;
		     c = CMSG_NXTHDR(&mh, c)) {
			size_t n = c->cmsg_len - CMSG_LEN(0);
			struct engine_addr from;

			if (!(c->cmsg_level == IPPROTO_IP &&
			      c->cmsg_type == IP_RECVERR) &&
			    !(c->cmsg_level == IPPROTO_IPV6 &&
			      c->cmsg_type == IPV6_RECVERR))
				continue;
			memset(&e, 0, sizeof(e));
			memcpy(&e, CMSG_DATA(c), n < sizeof(e) ? n : sizeof(e));
			if (e.ee.ee_origin != SO_EE_ORIGIN_ICMP &&
			    e.ee.ee_origin != SO_EE_ORIGIN_ICMP6) {
				tunnel_path_error(t, (int)e.ee.ee_errno, NULL);
				continue;
			}
			memset(&from, 0, sizeof(from));
			memcpy(&from.ss, &e.offender, sizeof(e.offender));
			tunnel_path_error(t, (int)e.ee.ee_errno, &from);
		}
	}
}

/*
 * Read what came in on a listener (@l) or a connection's socket (@t): at
 * most 64 messages, then back to the loop.  An error the socket reports
 * does not stop the reading: messages may be queued behind it.  A
 * connection's error queue is emptied first.
 */
void rx(struct daemon *d, int fd, struct listener *l, struct tunnel *t)
{
	bool ip = l ? l->ip : t->ip;
	uint8_t buf[L2TP_MSG_MAX + 64];
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cbuf;
	struct engine_addr from;
	struct iovec iov;
	struct msghdr mh;
	ssize_t n;

	if (t)
		tunnel_drain_errors(t, fd);
	for (int k = 0; k < 64; k++) {
		memset(&from, 0, sizeof(from));
		iov.iov_base = buf + (ip ? L2TP_IP_SID_LEN : 0);
		iov.iov_len = sizeof(buf) - L2TP_IP_SID_LEN;
		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &from.ss;
		mh.msg_namelen = sizeof(from.ss);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = &cbuf;
		mh.msg_controllen = sizeof(cbuf);
		n = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (t) {
				int err = errno;

				/* Its queued copy names the sender. */
				tunnel_drain_errors(t, fd);
				tunnel_path_error(t, err, NULL);
			} else if (errno != EINTR)
				logmsg(LOG_DEBUG, "listener: recvmsg: %s",
				       strerror(errno));
			continue;
		}
		from.len = mh.msg_namelen;
		if (ip) {
			/* The socket stripped the zero session id. */
			memset(buf, 0, L2TP_IP_SID_LEN);
			n += L2TP_IP_SID_LEN;
			set_port(&from.ss, 0);
		}
		if (l) {
			l->have_local = false;
			for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c;
			     c = CMSG_NXTHDR(&mh, c)) {
				if (c->cmsg_level == IPPROTO_IP &&
				    c->cmsg_type == IP_PKTINFO) {
					struct in_pktinfo pi;
					struct sockaddr_in *s = (void *)&l->local;

					memcpy(&pi, CMSG_DATA(c), sizeof(pi));
					memset(&l->local, 0, sizeof(l->local));
					s->sin_family = AF_INET;
					s->sin_addr = pi.ipi_addr;
					l->have_local = true;
				} else if (c->cmsg_level == IPPROTO_IPV6 &&
					   c->cmsg_type == IPV6_PKTINFO) {
					struct in6_pktinfo pi;
					struct sockaddr_in6 *s = (void *)&l->local;

					memcpy(&pi, CMSG_DATA(c), sizeof(pi));
					memset(&l->local, 0, sizeof(l->local));
					s->sin6_family = AF_INET6;
					s->sin6_addr = pi.ipi6_addr;
					l->have_local = true;
				}
			}
		}
		d->rx_listener = l;
		engine_input(d->eng, now_ms(), l ? (void *)l : NULL, ip, &from,
			     buf, (size_t)n);
		d->rx_listener = NULL;
	}
}
