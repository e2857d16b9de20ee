// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tpd: the L2TP control daemon.
 *
 * One thread, one epoll set: the UDP (and L2TP/IP) listening sockets, one
 * connected socket per control connection (handed to the kernel as the
 * managed tunnel's socket once the connection is up), a signalfd, a timerfd
 * armed at the protocol engine's next deadline, and the Unix control
 * socket.  The protocol itself is the engine (engine.h); this file wires it
 * to sockets, to the kernel through userspace/lib (ol2tp-nl.h), and to the
 * administrator.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/xfrm.h>

#include "ol2tp-ctl.h"
#include "ol2tp-nl.h"

#include "config.h"
#include "engine.h"
#include "hooks.h"
#include "log.h"
#include "notify.h"
#include "ppp.h"

#define DEFAULT_CONF	"/etc/ol2tpd/ol2tpd.conf"
#define STOP_WAIT_MS	3000

enum { EV_LISTENER, EV_TUNNEL, EV_SIGNAL, EV_TIMER, EV_CTL, EV_CLIENT };

struct evsrc {
	int kind;
	int fd;
};

struct listener {
	struct evsrc ev;
	bool ip;			/* L2TP/IP (protocol 115) */
	int family;
	struct sockaddr_storage local;	/* where the last datagram went */
	bool have_local;
};

struct tunnel {				/* cc->user */
	struct evsrc ev;
	struct daemon *d;
	struct engine_cc *cc;
	bool ip;
	struct engine_addr connected;	/* the fd's peer */
	bool kernel;			/* kernel tunnel created */
	int peer;			/* conf peer index, or -1 */
};

/*
 * An initiator the peer refuses on authentication waits reconnect, then
 * twice as long each time, up to AUTH_BACKOFF_MAX_MS (or reconnect if
 * that is longer); "peer show" says why it is down.
 */
#define AUTH_BACKOFF_MAX_MS	300000

struct peer_rt {
	struct engine_cc *cc;
	uint64_t reconnect_at;
	uint32_t backoff_ms;		/* last wait after an auth failure */
	char last_error[200];		/* why the last connection went */
};

/*
 * A pseudowire's runtime state.  One per [pseudowire] in d->pws[] (same
 * index as conf.pws) carries the session of a pseudowire we initiate.  A
 * pseudowire the peer calls in on (initiate = no) may be up more than once
 * at a time (dial-in peers, sessions = N): each of its sessions is a call,
 * an entry of d->calls of its own; its d->pws[] entry holds only the
 * address pool then.
 */
struct pw_rt {
	struct engine_sess *s;
	int pw;				/* conf.pws index; -1: removed */
	bool call;			/* an entry of d->calls */
	struct pw_rt *next;		/* d->calls */
	uint32_t ppp_addr;		/* from the pool, host order; 0: none */
	uint8_t *pool_used;		/* d->pws[] only: the pool's bitmap */
	bool kernel;
	uint32_t conn_id, session_id;	/* kernel session, for deletion */
	char ifname[IF_NAMESIZE];
	pid_t pppd;
	uint64_t reopen_at;
	struct hook_info hook;		/* for the up and down scripts */
	bool hook_up;			/* up ran: down runs when it goes */
};

/*
 * A [static] pseudowire that the kernel refused is tried again, after 1 s,
 * then twice as long each time up to a minute; "session show" says why it
 * is down.
 */
#define STATIC_RETRY_MIN_MS	1000
#define STATIC_RETRY_MAX_MS	60000

struct static_rt {
	bool tunnel, session;		/* created in the kernel */
	char ifname[IF_NAMESIZE];
	uint64_t retry_at;		/* RD_NEVER: up, or not to retry */
	uint32_t backoff_ms;		/* last wait before a retry */
	char reason[400];		/* why it is down ("" when up) */
};

struct client {
	struct evsrc ev;
	char buf[512];
	size_t len;
};

struct daemon {
	const char *conf_path;
	struct conf conf;
	struct engine *eng;
	struct ol2tp_nl *nl;
	int epfd;
	struct evsrc sig, timer, ctl;
	struct listener lst[CONF_MAX_LISTEN + 2];
	unsigned int n_lst;
	struct peer_rt *peers;
	struct pw_rt *pws;
	struct pw_rt *calls;
	struct static_rt *statics;
	struct listener *rx_listener;	/* set during engine_input */
	bool reloading;			/* no re-request while closing */
	bool stopping;
	uint64_t stop_at;
	int exit_code;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int ep_add(struct daemon *d, struct evsrc *ev)
{
	struct epoll_event e = { .events = EPOLLIN, .data.ptr = ev };

	return epoll_ctl(d->epfd, EPOLL_CTL_ADD, ev->fd, &e);
}

static int peer_index(const struct daemon *d, const char *name)
{
	for (unsigned int i = 0; i < d->conf.n_peers; i++)
		if (!strcmp(d->conf.peers[i].name, name))
			return (int)i;
	return -1;
}

/* ---- sockets ------------------------------------------------------------ */

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
static int open_listeners(struct daemon *d)
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

/* The socket of a control connection, made on its first transmission. */
static struct tunnel *tunnel_new(struct daemon *d, struct engine_cc *cc)
{
	struct tunnel *t = calloc(1, sizeof(*t));
	struct sockaddr_storage local, peer;
	int family = cc->addr.ss.ss_family, one = 1, fd;
	socklen_t len;
	char buf[80];

	if (!t)
		return NULL;
	t->d = d;
	t->cc = cc;
	t->ip = cc->ip;
	t->peer = peer_index(d, cc->cfg.name);
	memset(&local, 0, sizeof(local));
	local.ss_family = (sa_family_t)family;
	if (t->peer >= 0 && d->conf.peers[t->peer].have_local &&
	    d->conf.peers[t->peer].local.ss.ss_family == family)
		local = d->conf.peers[t->peer].local.ss;
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
	if (t->peer >= 0 && d->conf.peers[t->peer].ipsec &&
	    require_esp(fd, family) < 0) {
		logmsg(LOG_ERR, "%s: cannot put an IPsec policy on the control connection socket: %s%s",
		       cc->cfg.name, strerror(errno),
		       errno == EINVAL || errno == ENOPROTOOPT ?
		       " (is xfrm_user loaded? modprobe xfrm_user)" : "");
		goto fail_fd;
	}
	if (t->ip) {
		len = ip_sockaddr(&local, cc->local_id, &local);
		if (bind(fd, (struct sockaddr *)&local, len) < 0)
			goto fail_fd;
		len = ip_sockaddr(&cc->addr.ss, cc->peer_id, &peer);
	} else {
		set_port(&local, d->conf.port);
		if (bind(fd, (struct sockaddr *)&local, sa_len(family)) < 0)
			goto fail_fd;
		peer = cc->addr.ss;
		len = sa_len(family);
	}
	if (connect(fd, (struct sockaddr *)&peer, len) < 0)
		goto fail_fd;
	t->connected = cc->addr;
	t->ev.kind = EV_TUNNEL;
	t->ev.fd = fd;
	if (ep_add(d, &t->ev) < 0)
		goto fail_fd;
	cc->user = t;
	return t;
fail_fd:
	close(fd);
fail:
	logmsg(LOG_ERR, "%s: cannot open the control connection socket to %s: %s",
	       cc->cfg.name,
	       conf_addr_str((struct sockaddr *)&cc->addr.ss, buf, sizeof(buf)),
	       strerror(errno));
	free(t);
	return NULL;
}

/* The peer answered from another port: follow it (before the kernel). */
static void tunnel_follow(struct tunnel *t)
{
	struct engine_cc *cc = t->cc;
	struct sockaddr_storage peer;
	socklen_t len;

	if (engine_addr_equal(&t->connected, &cc->addr) || t->kernel)
		return;
	if (t->ip) {
		len = ip_sockaddr(&cc->addr.ss, cc->peer_id, &peer);
	} else {
		peer = cc->addr.ss;
		len = sa_len(peer.ss_family);
	}
	if (connect(t->ev.fd, (struct sockaddr *)&peer, len) == 0)
		t->connected = cc->addr;
}

/* ---- kernel ------------------------------------------------------------- */

static int kernel_tunnel_up(struct daemon *d, struct tunnel *t)
{
	struct engine_cc *cc = t->cc;
	struct ol2tp_tunnel kt;
	struct ol2tp_err err;
	int rc;

	memset(&kt, 0, sizeof(kt));
	kt.conn_id = cc->local_id;
	kt.peer_conn_id = cc->peer_id;
	kt.proto_version = cc->ver;
	kt.encap_type = t->ip ? OL2TP_ENCAPTYPE_IP : OL2TP_ENCAPTYPE_UDP;
	kt.fd = (uint32_t)t->ev.fd;
	ol2tp_set(&kt, OL2TP_ATTR_CONN_ID);
	ol2tp_set(&kt, OL2TP_ATTR_PEER_CONN_ID);
	ol2tp_set(&kt, OL2TP_ATTR_PROTO_VERSION);
	ol2tp_set(&kt, OL2TP_ATTR_ENCAP_TYPE);
	ol2tp_set(&kt, OL2TP_ATTR_FD);
	rc = ol2tp_tunnel_create(d->nl, &kt, &err);
	if (rc < 0) {
		logmsg(LOG_ERR, "%s: kernel refused tunnel %u: %s%s%s",
		       cc->cfg.name, cc->local_id, strerror(-rc),
		       err.msg[0] ? ": " : "", err.msg);
		return -1;
	}
	t->kernel = true;
	return 0;
}

static void kernel_tunnel_down(struct daemon *d, struct tunnel *t)
{
	struct ol2tp_err err;
	int rc;

	if (!t->kernel)
		return;
	t->kernel = false;
	rc = ol2tp_tunnel_delete(d->nl, t->cc->local_id, &err);
	if (rc < 0 && rc != -ENOENT)
		logmsg(LOG_WARNING, "%s: cannot delete kernel tunnel %u: %s %s",
		       t->cc->cfg.name, t->cc->local_id, strerror(-rc),
		       err.msg);
}

static void ifup(const char *name)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			logmsg(LOG_WARNING, "cannot bring %s up: %s", name,
			       strerror(errno));
	}
	close(fd);
}

static int kernel_session_up(struct daemon *d, struct pw_rt *r,
			     const struct conf_pw *w, struct engine_sess *s)
{
	struct engine_cc *cc = s->cc;
	struct ol2tp_session ks, got;
	struct ol2tp_err err;
	int rc;

	memset(&ks, 0, sizeof(ks));
	ks.conn_id = cc->local_id;
	ks.session_id = s->local_id;
	ks.peer_session_id = s->peer_id;
	ks.pw_type = s->cfg.pw_type;
	ol2tp_set(&ks, OL2TP_ATTR_CONN_ID);
	ol2tp_set(&ks, OL2TP_ATTR_SESSION_ID);
	ol2tp_set(&ks, OL2TP_ATTR_PEER_SESSION_ID);
	ol2tp_set(&ks, OL2TP_ATTR_PW_TYPE);
	if (cc->ver == 3) {
		/* The kernel sends COOKIE and checks PEER_COOKIE. */
		ks.cookie_len = s->peer_cookie_len;
		memcpy(ks.cookie, s->peer_cookie, s->peer_cookie_len);
		ks.peer_cookie_len = s->cfg.cookie_len;
		memcpy(ks.peer_cookie, s->cookie, s->cfg.cookie_len);
		if (ks.cookie_len)
			ol2tp_set(&ks, OL2TP_ATTR_COOKIE);
		if (ks.peer_cookie_len)
			ol2tp_set(&ks, OL2TP_ATTR_PEER_COOKIE);
		ks.l2spec_type = (s->cfg.l2spec || s->peer_l2spec) ?
				 OL2TP_L2SPECTYPE_DEFAULT : OL2TP_L2SPECTYPE_NONE;
		ol2tp_set(&ks, OL2TP_ATTR_L2SPEC_TYPE);
	}
	ks.recv_seq = s->cfg.data_seq != 0;
	ks.send_seq = s->peer_data_seq != 0;
	ol2tp_set(&ks, OL2TP_ATTR_RECV_SEQ);
	ol2tp_set(&ks, OL2TP_ATTR_SEND_SEQ);
	if (w && w->ifname[0] && s->cfg.pw_type == L2TP_PW_ETH) {
		snprintf(ks.ifname, sizeof(ks.ifname), "%s", w->ifname);
		ol2tp_set(&ks, OL2TP_ATTR_IFNAME);
	}
	rc = ol2tp_session_create(d->nl, &ks, &err);
	if (rc < 0) {
		logmsg(LOG_ERR, "%s: kernel refused session %u/%u: %s%s%s",
		       cc->cfg.name, cc->local_id, s->local_id, strerror(-rc),
		       err.msg[0] ? ": " : "", err.msg);
		return -1;
	}
	r->kernel = true;
	r->conn_id = cc->local_id;
	r->session_id = s->local_id;
	r->ifname[0] = 0;
	if (ol2tp_session_get(d->nl, cc->local_id, s->local_id, &got, &err) == 0 &&
	    ol2tp_has(&got, OL2TP_ATTR_IFNAME))
		snprintf(r->ifname, sizeof(r->ifname), "%s", got.ifname);
	if (r->ifname[0] && s->cfg.pw_type == L2TP_PW_ETH) {
		/* A new device each time: what the pseudowire sets, again. */
		if (w)
			hook_iface_apply(r->ifname, w->mtu, w->bridge);
		ifup(r->ifname);
	}
	logmsg(LOG_INFO, "%s: session %u/%u up%s%s", cc->cfg.name,
	       s->local_id, s->peer_id, r->ifname[0] ? ", interface " : "",
	       r->ifname);
	return 0;
}

static void kernel_session_down(struct daemon *d, struct pw_rt *r)
{
	struct ol2tp_err err;
	int rc;

	if (!r->kernel)
		return;
	r->kernel = false;
	rc = ol2tp_session_delete(d->nl, r->conn_id, r->session_id, &err);
	if (rc < 0 && rc != -ENOENT)
		logmsg(LOG_WARNING, "cannot delete kernel session %u/%u: %s %s",
		       r->conn_id, r->session_id, strerror(-rc), err.msg);
}

/* ---- calls and address pools -------------------------------------------- */

/* The lowest free address of pseudowire pw's ppp-address-pool, or 0. */
static uint32_t pool_take(struct daemon *d, int pw)
{
	const struct conf_pw *w = &d->conf.pws[pw];
	struct pw_rt *slot = &d->pws[pw];
	uint32_t n = w->pool_last - w->pool_first + 1;

	if (!w->pool_first)
		return 0;
	if (!slot->pool_used) {
		slot->pool_used = calloc((n + 7) / 8, 1);
		if (!slot->pool_used)
			return 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (slot->pool_used[i / 8] & (1U << (i % 8)))
			continue;
		slot->pool_used[i / 8] |= (uint8_t)(1U << (i % 8));
		return w->pool_first + i;
	}
	return 0;
}

static bool pool_has_room(struct daemon *d, int pw)
{
	const struct conf_pw *w = &d->conf.pws[pw];
	const uint8_t *used = d->pws[pw].pool_used;

	if (!w->pool_first || !used)
		return true;
	for (uint32_t i = 0; i <= w->pool_last - w->pool_first; i++)
		if (!(used[i / 8] & (1U << (i % 8))))
			return true;
	return false;
}

static void pool_put(struct daemon *d, struct pw_rt *r)
{
	const struct conf_pw *w;
	uint8_t *used;
	uint32_t i;

	if (!r->ppp_addr || r->pw < 0)
		return;
	w = &d->conf.pws[r->pw];
	used = d->pws[r->pw].pool_used;
	if (used && r->ppp_addr >= w->pool_first && r->ppp_addr <= w->pool_last) {
		i = r->ppp_addr - w->pool_first;
		used[i / 8] &= (uint8_t)~(1U << (i % 8));
	}
	r->ppp_addr = 0;
}

static struct pw_rt *call_new(struct daemon *d, int pw)
{
	struct pw_rt *c = calloc(1, sizeof(*c)), **tail = &d->calls;

	if (!c)
		return NULL;
	c->pw = pw;
	c->call = true;
	c->reopen_at = RD_NEVER;
	while (*tail)
		tail = &(*tail)->next;
	*tail = c;
	return c;
}

/* Forget a call (its session and pppd are gone or going). */
static void call_free(struct daemon *d, struct pw_rt *c)
{
	pool_put(d, c);
	for (struct pw_rt **pp = &d->calls; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	if (c->s && c->s->user == c)
		c->s->user = NULL;
	free(c);
}

/* Sessions of pseudowire pw on cc, coming up or up. */
static unsigned int calls_on(const struct engine_cc *cc, int pw)
{
	unsigned int n = 0;

	for (const struct engine_sess *s = cc->sessions; s; s = s->next) {
		const struct pw_rt *r = s->user;

		n += s->state != SESS_DEAD && r && r->pw == pw;
	}
	return n;
}

/* PPP pseudowire: a PPPoL2TP socket on the session, pppd on the socket. */
static int ppp_start(struct daemon *d, struct pw_rt *r, const struct conf_pw *w,
		     struct engine_sess *s)
{
	struct engine_cc *cc = s->cc;
	struct tunnel *t = cc->user;
	struct ppp_ids ids = {
		.version = cc->ver,
		.tunnel_fd = t ? t->ev.fd : -1,
		.peer = (const struct sockaddr *)&cc->addr.ss,
		.tunnel = cc->local_id,
		.session = s->local_id,
		.peer_tunnel = cc->peer_id,
		.peer_session = s->peer_id,
	};
	struct ppp_opts o = {
		.pppd = d->conf.pppd,
		.lns = w->lns,
		.send_seq = s->peer_data_seq != 0,
		.recv_seq = s->cfg.data_seq != 0,
		.extra = w->pppd_options,
	};
	char addrs[2 * INET_ADDRSTRLEN + 2] = "", ipparam[INET6_ADDRSTRLEN];
	int fd;

	/* The peer's address for ip-up scripts, as xl2tpd gives it. */
	if (inet_ntop(cc->addr.ss.ss_family, cc->addr.ss.ss_family == AF_INET6 ?
		      (const void *)&((struct sockaddr_in6 *)&cc->addr.ss)->sin6_addr :
		      (const void *)&((struct sockaddr_in *)&cc->addr.ss)->sin_addr,
		      ipparam, sizeof(ipparam)))
		o.ipparam = ipparam;
	if (w->pool_first && !r->ppp_addr) {
		r->ppp_addr = pool_take(d, r->pw);
		if (!r->ppp_addr) {
			logmsg(LOG_WARNING, "%s: pseudowire %s: ppp-address-pool is exhausted",
			       cc->cfg.name, w->name);
			return -1;
		}
	}
	if (w->ppp_local || r->ppp_addr) {
		char a[INET_ADDRSTRLEN] = "", b[INET_ADDRSTRLEN] = "";
		struct in_addr x;

		x.s_addr = htonl(w->ppp_local);
		if (w->ppp_local)
			inet_ntop(AF_INET, &x, a, sizeof(a));
		x.s_addr = htonl(r->ppp_addr);
		if (r->ppp_addr)
			inet_ntop(AF_INET, &x, b, sizeof(b));
		snprintf(addrs, sizeof(addrs), "%s:%s", a, b);
		o.addresses = addrs;
	}
	fd = ppp_socket(&ids);
	if (fd < 0) {
		logmsg(LOG_ERR, "%s: pseudowire %s: PPPoL2TP socket: %s%s",
		       cc->cfg.name, w->name, strerror(errno),
		       errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT ?
		       " (load ol2tp_ppp.ko or l2tp_ppp)" : "");
		return -1;
	}
	r->pppd = ppp_spawn(fd, &ids, &o);
	close(fd);
	if (r->pppd < 0) {
		logmsg(LOG_ERR, "%s: pseudowire %s: cannot start %s: %s",
		       cc->cfg.name, w->name, d->conf.pppd, strerror(errno));
		r->pppd = 0;
		return -1;
	}
	logmsg(LOG_INFO, "%s: pseudowire %s: pppd started (pid %d)%s%s",
	       cc->cfg.name, w->name, (int)r->pppd, addrs[0] ? ", addresses " : "",
	       addrs);
	return 0;
}

/* A pppd ended: its session goes with it. */
static void ppp_exited(struct daemon *d, pid_t pid, int status)
{
	struct pw_rt *r = NULL;
	char why[96];

	for (unsigned int i = 0; i < d->conf.n_pws && !r; i++)
		if (d->pws[i].pppd == pid)
			r = &d->pws[i];
	for (struct pw_rt *c = d->calls; c && !r; c = c->next)
		if (c->pppd == pid)
			r = c;
	if (!r)
		return;
	r->pppd = 0;
	if (WIFEXITED(status))
		snprintf(why, sizeof(why), "pppd exited with status %d",
			 WEXITSTATUS(status));
	else
		snprintf(why, sizeof(why), "pppd killed by signal %d",
			 WTERMSIG(status));
	logmsg(LOG_INFO, "pseudowire %s, session %u/%u: %s",
	       r->pw >= 0 ? d->conf.pws[r->pw].name : "(removed)", r->conn_id,
	       r->session_id, why);
	if (r->s)	/* a call goes with its session */
		engine_sess_close(r->s, now_ms(), L2TP_CDN_RC_LOST_CARRIER, why);
	else if (r->call)
		call_free(d, r);
}

/* Static pseudowires: an unmanaged tunnel and its session. */
static void kaddr(const struct conf_addr *a, struct ol2tp_addr *o, uint16_t *port,
		  uint16_t defport)
{
	memset(o, 0, sizeof(*o));
	o->family = a->ss.ss_family;
	if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)&a->ss;

		o->v6 = s6->sin6_addr;
		*port = s6->sin6_port ? ntohs(s6->sin6_port) : defport;
	} else {
		const struct sockaddr_in *s4 = (const void *)&a->ss;

		o->v4 = s4->sin_addr;
		*port = s4->sin_port ? ntohs(s4->sin_port) : defport;
	}
}

static void static_down(struct daemon *d, const struct conf_static *st,
			struct static_rt *r)
{
	struct ol2tp_err err;
	int rc;

	if (!r->tunnel)
		return;
	rc = ol2tp_tunnel_delete(d->nl, st->tunnel_id, &err);
	if (rc < 0 && rc != -ENOENT)
		logmsg(LOG_WARNING, "static %s: cannot delete tunnel %u: %s %s",
		       st->name, st->tunnel_id, strerror(-rc), err.msg);
	r->tunnel = r->session = false;
	r->ifname[0] = 0;
	r->reason[0] = 0;
}

static int static_up(struct daemon *d, const struct conf_static *st,
		     struct static_rt *r)
{
	struct ol2tp_tunnel kt;
	struct ol2tp_session ks, got;
	struct ol2tp_err err;
	int rc;

	memset(&kt, 0, sizeof(kt));
	kt.conn_id = st->tunnel_id;
	kt.peer_conn_id = st->peer_tunnel_id;
	kt.proto_version = 3;
	kt.encap_type = st->ip_encap ? OL2TP_ENCAPTYPE_IP : OL2TP_ENCAPTYPE_UDP;
	kaddr(&st->local, &kt.local, &kt.udp_sport, d->conf.port);
	kaddr(&st->remote, &kt.remote, &kt.udp_dport, d->conf.port);
	ol2tp_set(&kt, OL2TP_ATTR_CONN_ID);
	ol2tp_set(&kt, OL2TP_ATTR_PEER_CONN_ID);
	ol2tp_set(&kt, OL2TP_ATTR_PROTO_VERSION);
	ol2tp_set(&kt, OL2TP_ATTR_ENCAP_TYPE);
	ol2tp_set(&kt, kt.local.family == AF_INET6 ? OL2TP_ATTR_IP6_SADDR :
		  OL2TP_ATTR_IP_SADDR);
	ol2tp_set(&kt, kt.remote.family == AF_INET6 ? OL2TP_ATTR_IP6_DADDR :
		  OL2TP_ATTR_IP_DADDR);
	if (!st->ip_encap) {
		ol2tp_set(&kt, OL2TP_ATTR_UDP_SPORT);
		ol2tp_set(&kt, OL2TP_ATTR_UDP_DPORT);
	}
	rc = ol2tp_tunnel_create(d->nl, &kt, &err);
	if (rc < 0) {
		snprintf(r->reason, sizeof(r->reason),
			 "kernel refused tunnel %u: %s%s%s", st->tunnel_id,
			 strerror(-rc), err.msg[0] ? ": " : "", err.msg);
		return -1;
	}
	r->tunnel = true;

	memset(&ks, 0, sizeof(ks));
	ks.conn_id = st->tunnel_id;
	ks.session_id = st->session_id;
	ks.peer_session_id = st->peer_session_id;
	ks.pw_type = L2TP_PW_ETH;
	ks.l2spec_type = st->l2spec ? OL2TP_L2SPECTYPE_DEFAULT :
				      OL2TP_L2SPECTYPE_NONE;
	ol2tp_set(&ks, OL2TP_ATTR_CONN_ID);
	ol2tp_set(&ks, OL2TP_ATTR_SESSION_ID);
	ol2tp_set(&ks, OL2TP_ATTR_PEER_SESSION_ID);
	ol2tp_set(&ks, OL2TP_ATTR_PW_TYPE);
	ol2tp_set(&ks, OL2TP_ATTR_L2SPEC_TYPE);
	/* The kernel sends COOKIE and checks PEER_COOKIE. */
	if (st->send_cookie_len) {
		ks.cookie_len = st->send_cookie_len;
		memcpy(ks.cookie, st->send_cookie, st->send_cookie_len);
		ol2tp_set(&ks, OL2TP_ATTR_COOKIE);
	}
	if (st->recv_cookie_len) {
		ks.peer_cookie_len = st->recv_cookie_len;
		memcpy(ks.peer_cookie, st->recv_cookie, st->recv_cookie_len);
		ol2tp_set(&ks, OL2TP_ATTR_PEER_COOKIE);
	}
	if (st->ifname[0]) {
		snprintf(ks.ifname, sizeof(ks.ifname), "%s", st->ifname);
		ol2tp_set(&ks, OL2TP_ATTR_IFNAME);
	}
	rc = ol2tp_session_create(d->nl, &ks, &err);
	if (rc < 0) {
		static_down(d, st, r);
		snprintf(r->reason, sizeof(r->reason),
			 "kernel refused session %u: %s%s%s", st->session_id,
			 strerror(-rc), err.msg[0] ? ": " : "", err.msg);
		return -1;
	}
	r->session = true;
	if (ol2tp_session_get(d->nl, st->tunnel_id, st->session_id, &got,
			      &err) == 0 && ol2tp_has(&got, OL2TP_ATTR_IFNAME))
		snprintf(r->ifname, sizeof(r->ifname), "%s", got.ifname);
	if (r->ifname[0])
		ifup(r->ifname);
	logmsg(LOG_INFO, "static %s: tunnel %u session %u up%s%s", st->name,
	       st->tunnel_id, st->session_id, r->ifname[0] ? ", interface " : "",
	       r->ifname);
	return 0;
}

/*
 * Bring a static pseudowire up; if the kernel refuses, keep the reason and
 * try again later, backing off.  The error is logged when it is new, and
 * the retries that fail the same way only at debug level.
 */
static void static_try(struct daemon *d, const struct conf_static *st,
		       struct static_rt *r, uint64_t now)
{
	char old[sizeof(r->reason)];

	snprintf(old, sizeof(old), "%s", r->reason);
	if (static_up(d, st, r) == 0) {
		r->retry_at = RD_NEVER;
		r->backoff_ms = 0;
		r->reason[0] = 0;
		return;
	}
	if (!r->backoff_ms)
		r->backoff_ms = STATIC_RETRY_MIN_MS;
	else if (r->backoff_ms < STATIC_RETRY_MAX_MS / 2)
		r->backoff_ms *= 2;
	else
		r->backoff_ms = STATIC_RETRY_MAX_MS;
	r->retry_at = now + r->backoff_ms;
	logmsg(strcmp(old, r->reason) ? LOG_ERR : LOG_DEBUG,
	       "static %s: %s; trying again in %u s", st->name, r->reason,
	       r->backoff_ms / 1000);
}

static bool static_same(const struct conf_static *a, const struct conf_static *b)
{
	return !strcmp(a->name, b->name) && a->ip_encap == b->ip_encap &&
	       a->local.len == b->local.len &&
	       !memcmp(&a->local.ss, &b->local.ss, a->local.len) &&
	       a->remote.len == b->remote.len &&
	       !memcmp(&a->remote.ss, &b->remote.ss, a->remote.len) &&
	       a->tunnel_id == b->tunnel_id &&
	       a->peer_tunnel_id == b->peer_tunnel_id &&
	       a->session_id == b->session_id &&
	       a->peer_session_id == b->peer_session_id &&
	       a->send_cookie_len == b->send_cookie_len &&
	       !memcmp(a->send_cookie, b->send_cookie, a->send_cookie_len) &&
	       a->recv_cookie_len == b->recv_cookie_len &&
	       !memcmp(a->recv_cookie, b->recv_cookie, a->recv_cookie_len) &&
	       a->l2spec == b->l2spec && !strcmp(a->ifname, b->ifname);
}

/* ---- engine callbacks ---------------------------------------------------- */

/* Close a connection's socket (its kernel tunnel first). */
static void tunnel_close(struct daemon *d, struct tunnel *t)
{
	kernel_tunnel_down(d, t);
	if (t->ev.fd < 0)
		return;
	epoll_ctl(d->epfd, EPOLL_CTL_DEL, t->ev.fd, NULL);
	close(t->ev.fd);
	t->ev.fd = -1;
}

static void cb_send(void *ctx, struct engine_cc *cc, const uint8_t *buf,
		    size_t len)
{
	struct daemon *d = ctx;
	struct tunnel *t = cc->user;
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

			if (l->ip != t->ip || l->family != cc->addr.ss.ss_family)
				continue;
			if (t->ip) {
				tolen = ip_sockaddr(&cc->addr.ss, cc->peer_id, &to);
			} else {
				to = cc->addr.ss;
				tolen = sa_len(to.ss_family);
			}
			if (sendto(l->ev.fd, buf, len, 0, (struct sockaddr *)&to,
				   tolen) < 0)
				logmsg(LOG_DEBUG, "%s: sendto: %s", cc->cfg.name,
				       strerror(errno));
			return;
		}
		return;
	}
	tunnel_follow(t);
	n = send(t->ev.fd, buf, len, 0);
	if (n < 0)
		logmsg(LOG_DEBUG, "%s: send: %s", cc->cfg.name, strerror(errno));
}

static int cb_peer_lookup(void *ctx, const struct engine_addr *addr,
			  uint8_t version, const char *host,
			  struct engine_peer_cfg *cfg)
{
	struct daemon *d = ctx;
	int i = conf_find_peer(&d->conf, (const struct sockaddr *)&addr->ss,
			       version);
	const struct conf_peer *p;
	unsigned int n = 0;
	char buf[80];

	(void)host;
	if (i < 0 || d->stopping)
		return -1;
	p = &d->conf.peers[i];
	*cfg = p->eng;
	if (!p->max_connections)
		return 0;
	for (const struct engine_cc *cc = d->eng->ccs; cc; cc = cc->next)
		n += cc->state != CC_DEAD && cc->state != CC_CLOSING &&
		     !cc->busy && !strcmp(cc->cfg.name, p->name);
	if (n < p->max_connections)
		return 0;
	logmsg(LOG_WARNING, "%s: refusing a control connection from %s: max-connections (%u) reached",
	       p->name,
	       conf_addr_str((const struct sockaddr *)&addr->ss, buf, sizeof(buf)),
	       p->max_connections);
	return 1;
}

static int cb_sess_lookup(void *ctx, struct engine_cc *cc, uint16_t pw,
			  const uint8_t *end_id, size_t end_len,
			  struct engine_sess_cfg *cfg)
{
	struct daemon *d = ctx;
	int peer = peer_index(d, cc->cfg.name);

	for (unsigned int i = 0; i < d->conf.n_pws; i++) {
		const struct conf_pw *w = &d->conf.pws[i];

		if (w->peer != peer || w->pw_type != pw)
			continue;
		if (cc->ver == 3 && (w->end_id_len != end_len ||
				     memcmp(w->end_id, end_id, end_len)))
			continue;
		if (w->initiate ? d->pws[i].s != NULL :
		    calls_on(cc, (int)i) >= w->max_sessions)
			continue;
		if (!pool_has_room(d, (int)i)) {
			logmsg(LOG_WARNING, "%s: pseudowire %s: ppp-address-pool is exhausted, refusing the call",
			       cc->cfg.name, w->name);
			return L2TP_CDN_RC_NO_RESOURCES_TEMP;
		}
		memset(cfg, 0, sizeof(*cfg));
		cfg->pw_type = w->pw_type;
		cfg->outgoing = w->call == CONF_CALL_OUTGOING;
		cfg->cookie_len = w->cookie_len;
		cfg->l2spec = w->l2spec;
		cfg->data_seq = w->sequencing ? L2TP_SEQ_ALL : L2TP_SEQ_NONE;
		cfg->user = &d->pws[i];
		return 0;
	}
	logmsg(LOG_WARNING, "%s: peer asks for a %s pseudowire \"%.*s\": none configured (or already up)",
	       cc->cfg.name, pw == L2TP_PW_PPP ? "ppp" : "ethernet",
	       (int)end_len, end_id ? (const char *)end_id : "");
	for (unsigned int i = 0; i < d->conf.n_pws; i++)
		logmsg(LOG_DEBUG, "  [pseudowire %s]: peer %d/%d type %u/%u busy %d end \"%.*s\"",
		       d->conf.pws[i].name, d->conf.pws[i].peer, peer,
		       d->conf.pws[i].pw_type, pw, d->pws[i].s != NULL,
		       (int)d->conf.pws[i].end_id_len,
		       (const char *)d->conf.pws[i].end_id);
	return L2TP_CDN_RC_NO_RESOURCES_PERM;
}

static void open_pseudowires(struct daemon *d, struct engine_cc *cc,
			     uint64_t now)
{
	int peer = peer_index(d, cc->cfg.name);

	for (unsigned int i = 0; i < d->conf.n_pws; i++) {
		const struct conf_pw *w = &d->conf.pws[i];
		struct engine_sess_cfg sc;

		if (w->peer != peer || !w->initiate || d->pws[i].s)
			continue;
		memset(&sc, 0, sizeof(sc));
		sc.pw_type = w->pw_type;
		sc.outgoing = w->call == CONF_CALL_OUTGOING;
		memcpy(sc.end_id, w->end_id, w->end_id_len);
		sc.end_id_len = w->end_id_len;
		sc.cookie_len = w->cookie_len;
		sc.l2spec = w->l2spec;
		sc.data_seq = w->sequencing ? L2TP_SEQ_ALL : L2TP_SEQ_NONE;
		sc.tie_breaker = true;
		sc.user = &d->pws[i];
		d->pws[i].s = engine_sess_open(cc, now, &sc);
		d->pws[i].reopen_at = RD_NEVER;
	}
}

/*
 * Our SCCRQ failed on authentication (the peer refused us, or it does not
 * answer our challenge, or its StopCCN does not verify): one notice that
 * says so, and the next attempt later each time.
 */
static void peer_refused(struct daemon *d, int peer, struct engine_cc *cc,
			 uint64_t now)
{
	const struct conf_peer *cp = &d->conf.peers[peer];
	struct peer_rt *pr = &d->peers[peer];
	uint32_t max = cp->reconnect_ms > AUTH_BACKOFF_MAX_MS ?
		       cp->reconnect_ms : AUTH_BACKOFF_MAX_MS;

	pr->cc = NULL;
	if (!pr->backoff_ms)
		pr->backoff_ms = cp->reconnect_ms;
	else
		pr->backoff_ms = pr->backoff_ms > max / 2 ? max :
				 pr->backoff_ms * 2;
	if (!cp->initiate || !cp->reconnect_ms || d->stopping || d->reloading) {
		logmsg(LOG_NOTICE, "%s: authentication failed: peer rejected us or secrets differ (%s); not retrying",
		       cp->name, cc->reason);
		return;
	}
	pr->reconnect_at = now + pr->backoff_ms;
	logmsg(LOG_NOTICE, "%s: authentication failed: peer rejected us or secrets differ (%s); trying again in %u s",
	       cp->name, cc->reason, (pr->backoff_ms + 999) / 1000);
}

static void cb_cc_event(void *ctx, struct engine_cc *cc, enum engine_event ev)
{
	struct daemon *d = ctx;
	struct tunnel *t = cc->user;
	int peer = peer_index(d, cc->cfg.name);
	uint64_t now = now_ms();

	if (ev == ENGINE_UP) {
		if (peer >= 0 && !d->conf.peers[peer].dialin) {
			d->peers[peer].cc = cc;
			d->peers[peer].backoff_ms = 0;
			d->peers[peer].last_error[0] = 0;
		}
		if (!t) {
			engine_cc_close(cc, now, L2TP_STOPCCN_RC_GENERAL_ERROR,
					"no socket");
			return;
		}
		tunnel_follow(t);
		if (kernel_tunnel_up(d, t) < 0) {
			engine_cc_close(cc, now, L2TP_STOPCCN_RC_GENERAL_ERROR,
					"cannot create the kernel tunnel");
			return;
		}
		open_pseudowires(d, cc, now);
		return;
	}
	/* Down: the kernel tunnel goes, and the socket too, so that a
	 * connection replacing this one (tie breaking, reconnection) owns the
	 * address pair alone; the linger goes through a listener. */
	if (t)
		tunnel_close(d, t);
	if (peer >= 0 && !d->conf.peers[peer].dialin && cc->reason[0] &&
	    cc->result != L2TP_STOPCCN_RC_ALREADY_EXISTS &&
	    (d->peers[peer].cc == cc || !d->peers[peer].cc))
		snprintf(d->peers[peer].last_error,
			 sizeof(d->peers[peer].last_error), "%s", cc->reason);
	if (peer >= 0 && cc->initiator && cc->auth_failed && !cc->was_up &&
	    d->peers[peer].cc == cc) {
		peer_refused(d, peer, cc, now);
		return;
	}
	if (peer >= 0 && d->peers[peer].cc == cc) {
		const struct conf_peer *cp = &d->conf.peers[peer];

		d->peers[peer].cc = NULL;
		/* Lost a tie: the peer's connection takes over, no retry. */
		if (cp->initiate && cp->reconnect_ms && !d->stopping &&
		    !d->reloading &&
		    cc->result != L2TP_STOPCCN_RC_ALREADY_EXISTS)
			d->peers[peer].reconnect_at = now + cp->reconnect_ms;
	} else if (peer >= 0 && !d->peers[peer].cc && cc->initiator &&
		   !d->stopping && !d->reloading &&
		   d->conf.peers[peer].reconnect_ms &&
		   cc->result != L2TP_STOPCCN_RC_ALREADY_EXISTS) {
		d->peers[peer].reconnect_at = now + d->conf.peers[peer].reconnect_ms;
	}
}

static void cb_cc_release(void *ctx, struct engine_cc *cc)
{
	struct daemon *d = ctx;
	struct tunnel *t = cc->user;

	for (unsigned int i = 0; i < d->conf.n_peers; i++)
		if (d->peers[i].cc == cc)
			d->peers[i].cc = NULL;
	if (!t)
		return;
	tunnel_close(d, t);
	free(t);
	cc->user = NULL;
}

/* The peer's address, without a port over IP (there is none). */
static const char *cc_remote_str(const struct engine_cc *cc, char *buf,
				 size_t len)
{
	const struct sockaddr_storage *ss = &cc->addr.ss;
	const void *a = ss->ss_family == AF_INET6 ?
			(const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr :
			(const void *)&((const struct sockaddr_in *)ss)->sin_addr;

	if (!cc->ip)
		return conf_addr_str((const struct sockaddr *)ss, buf, len);
	if (!inet_ntop(ss->ss_family, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

/* What the up and down scripts of r are told. */
static void hook_fill(struct daemon *d, struct pw_rt *r,
		      const struct conf_pw *w, struct engine_sess *s)
{
	struct engine_cc *cc = s->cc;
	struct tunnel *t = cc->user;
	struct hook_info *h = &r->hook;
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);
	const struct sockaddr_storage *ss = &cc->addr.ss;

	memset(h, 0, sizeof(*h));
	snprintf(h->pseudowire, sizeof(h->pseudowire), "%s", w->name);
	snprintf(h->peer, sizeof(h->peer), "%s", d->conf.peers[w->peer].name);
	snprintf(h->peer_host, sizeof(h->peer_host), "%s", cc->peer_host);
	h->type = s->cfg.pw_type == L2TP_PW_PPP ? "ppp" : "ethernet";
	snprintf(h->ifname, sizeof(h->ifname), "%s", r->ifname);
	h->tunnel = cc->local_id;
	h->peer_tunnel = cc->peer_id;
	h->session = s->local_id;
	h->peer_session = s->peer_id;
	h->version = cc->ver;
	h->encap = cc->ip ? "ip" : "udp";
	inet_ntop(ss->ss_family, ss->ss_family == AF_INET6 ?
		  (const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr :
		  (const void *)&((const struct sockaddr_in *)ss)->sin_addr,
		  h->remote, sizeof(h->remote));
	if (t && t->ev.fd >= 0 &&
	    getsockname(t->ev.fd, (struct sockaddr *)&local, &len) == 0)
		inet_ntop(local.ss_family, local.ss_family == AF_INET6 ?
			  (const void *)&((struct sockaddr_in6 *)&local)->sin6_addr :
			  (const void *)&((struct sockaddr_in *)&local)->sin_addr,
			  h->local, sizeof(h->local));
}

static int cb_sess_event(void *ctx, struct engine_sess *s,
			 enum engine_event ev)
{
	struct daemon *d = ctx;
	struct pw_rt *r = s->user;
	const struct conf_pw *w;

	if (!r || (r->pw < 0 && ev == ENGINE_UP))
		return ev == ENGINE_UP ? -1 : 0;
	if (ev == ENGINE_UP) {
		w = &d->conf.pws[r->pw];
		if (!w->initiate && !r->call) {
			/* Accepted: a call of its own. */
			r = call_new(d, r->pw);
			if (!r)
				return -1;
			s->user = r;
		}
		r->s = s;
		if (kernel_session_up(d, r, w, s) < 0)
			goto fail;
		if (s->cfg.pw_type == L2TP_PW_PPP && ppp_start(d, r, w, s) < 0) {
			kernel_session_down(d, r);
			goto fail;
		}
		r->reopen_at = RD_NEVER;
		hook_fill(d, r, w, s);
		r->hook_up = true;
		hook_run(w->up_script, "up", &r->hook);
		return 0;
fail:
		if (r->call)
			call_free(d, r);
		return -1;
	}
	/* One that never came up (a lost tie, say): nothing of it here. */
	if (r->s != s)
		return 0;
	if (r->pppd > 0) {
		kill(r->pppd, SIGTERM);
		r->pppd = 0;
	}
	kernel_session_down(d, r);
	if (r->hook_up) {
		r->hook_up = false;
		if (r->pw >= 0)
			hook_run(d->conf.pws[r->pw].down_script, "down",
				 &r->hook);
	}
	if (r->call) {
		call_free(d, r);
		return 0;
	}
	r->s = NULL;
	/* Ask again later if it is ours to ask for. */
	w = &d->conf.pws[r->pw];
	if (w->initiate && !d->stopping && !d->reloading)
		r->reopen_at = now_ms() + 10000;
	return 0;
}

static void cb_log(void *ctx, int level, const char *msg)
{
	(void)ctx;
	logmsg(level, "%s", msg);
}

static const struct engine_ops ops = {
	.send = cb_send,
	.peer_lookup = cb_peer_lookup,
	.sess_lookup = cb_sess_lookup,
	.cc_event = cb_cc_event,
	.cc_release = cb_cc_release,
	.sess_event = cb_sess_event,
	.log = cb_log,
};

/* ---- receiving ----------------------------------------------------------- */

static void rx(struct daemon *d, int fd, struct listener *l, bool ip)
{
	uint8_t buf[L2TP_MSG_MAX + 64];
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cbuf;
	struct engine_addr from;
	struct iovec iov;
	struct msghdr mh;
	ssize_t n;

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
		if (n < 0)
			return;
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

/* ---- control socket -------------------------------------------------------- */

static void reply(FILE *f, struct daemon *d, char *cmd);

static void client_close(struct daemon *d, struct client *c)
{
	epoll_ctl(d->epfd, EPOLL_CTL_DEL, c->ev.fd, NULL);
	close(c->ev.fd);
	free(c);
}

static void client_input(struct daemon *d, struct client *c)
{
	ssize_t n = read(c->ev.fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
	char *nl;
	FILE *f;

	if (n <= 0) {
		client_close(d, c);
		return;
	}
	c->len += (size_t)n;
	c->buf[c->len] = 0;
	nl = strchr(c->buf, '\n');
	if (!nl) {
		if (c->len == sizeof(c->buf) - 1)
			client_close(d, c);
		return;
	}
	*nl = 0;
	f = fdopen(dup(c->ev.fd), "w");
	if (f) {
		reply(f, d, c->buf);
		fclose(f);
	}
	client_close(d, c);
}

static void ctl_accept(struct daemon *d)
{
	int fd = accept4(d->ctl.fd, NULL, NULL, SOCK_CLOEXEC);
	struct client *c;

	if (fd < 0)
		return;
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->ev.kind = EV_CLIENT;
	c->ev.fd = fd;
	if (ep_add(d, &c->ev) < 0)
		client_close(d, c);
}

static int ctl_open(struct daemon *d)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *path = d->conf.control_socket;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		logmsg(LOG_ERR, "control socket path too long: %s", path);
		return -1;
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    chmod(path, 0600) < 0 || listen(fd, 8) < 0) {
		logmsg(LOG_ERR, "cannot open the control socket %s: %s", path,
		       strerror(errno));
		close(fd);
		return -1;
	}
	d->ctl.kind = EV_CTL;
	d->ctl.fd = fd;
	return ep_add(d, &d->ctl);
}

/* One line of "peer show": a peer and its control connection (or none). */
static void show_peer(FILE *f, const struct conf_peer *p,
		      const struct peer_rt *pr, const struct engine_cc *cc)
{
	unsigned int nsess = 0;
	char addr[80];

	if (cc)
		for (const struct engine_sess *s = cc->sessions; s; s = s->next)
			nsess += s->state != SESS_DEAD;
	fprintf(f, "peer %s address %s version %u encap %s state %s", p->name,
		conf_peer_addr_str(p, addr, sizeof(addr)), p->eng.version,
		p->eng.ip_encap ? "ip" : "udp",
		cc ? engine_cc_state_name(cc->state) :
		p->dialin ? "listening" : "down");
	if (cc) {
		fprintf(f, " remote %s tunnel %u peer-tunnel %u peer-host ",
			cc_remote_str(cc, addr, sizeof(addr)),
			cc->local_id, cc->peer_id);
		/* The peer chose it: quoted, so it cannot forge a line. */
		ol2tp_ctl_quote(f, cc->peer_host);
		fprintf(f, " sessions %u "
			"tx %llu rx %llu retransmits %llu rtt-ms %u "
			"auth-failures %llu",
			nsess,
			(unsigned long long)cc->rd.stats.tx_msgs,
			(unsigned long long)cc->rd.stats.rx_msgs,
			(unsigned long long)cc->rd.stats.retransmits,
			cc->rd.stats.srtt_ms,
			(unsigned long long)cc->stats.rx_auth_failures);
	}
	if (pr && pr->last_error[0] && (!cc || cc->state != CC_ESTABLISHED)) {
		/* Why the last connection went: our words or the peer's. */
		fprintf(f, " last-error ");
		ol2tp_ctl_quote(f, pr->last_error);
	}
	if (pr && !cc && pr->reconnect_at != RD_NEVER) {
		uint64_t now = now_ms();

		fprintf(f, " reconnect-in %llu",
			(unsigned long long)(pr->reconnect_at > now ?
					     (pr->reconnect_at - now + 999) / 1000 : 0));
	}
	fprintf(f, "\n");
}

static void show_peers(FILE *f, struct daemon *d)
{
	for (unsigned int i = 0; i < d->conf.n_peers; i++) {
		const struct conf_peer *p = &d->conf.peers[i];
		unsigned int n = 0;

		if (!p->dialin) {
			show_peer(f, p, &d->peers[i], d->peers[i].cc);
			continue;
		}
		/* A dial-in peer: a line per connection. */
		for (const struct engine_cc *cc = d->eng->ccs; cc; cc = cc->next) {
			if (cc->state == CC_DEAD || cc->busy ||
			    strcmp(cc->cfg.name, p->name))
				continue;
			show_peer(f, p, NULL, cc);
			n++;
		}
		if (!n)
			show_peer(f, p, NULL, NULL);
	}
}

/* One line of "session show": a pseudowire's session (or none). */
static void show_session(FILE *f, struct daemon *d, const struct conf_pw *w,
			 const struct pw_rt *r)
{
	const struct engine_sess *s = r ? r->s : NULL;
	char buf[80];

	fprintf(f, "session %s peer %s type %s state %s", w->name,
		d->conf.peers[w->peer].name,
		w->pw_type == L2TP_PW_PPP ? "ppp" : "ethernet",
		s ? engine_sess_state_name(s->state) : "down");
	if (s)
		fprintf(f, " tunnel %u session %u peer-session %u remote %s",
			s->cc->local_id, s->local_id, s->peer_id,
			cc_remote_str(s->cc, buf, sizeof(buf)));
	if (r && r->ifname[0] && s && s->state == SESS_ESTABLISHED)
		fprintf(f, " interface %s", r->ifname);
	if (r && r->ppp_addr) {
		struct in_addr a = { .s_addr = htonl(r->ppp_addr) };

		fprintf(f, " ppp-remote %s",
			inet_ntop(AF_INET, &a, buf, sizeof(buf)));
	}
	fprintf(f, "\n");
}

static void show_sessions(FILE *f, struct daemon *d)
{
	for (unsigned int i = 0; i < d->conf.n_pws; i++) {
		const struct conf_pw *w = &d->conf.pws[i];
		unsigned int n = 0;

		if (w->initiate) {
			show_session(f, d, w, &d->pws[i]);
			continue;
		}
		for (const struct pw_rt *c = d->calls; c; c = c->next) {
			if (c->pw != (int)i)
				continue;
			show_session(f, d, w, c);
			n++;
		}
		if (!n)
			show_session(f, d, w, NULL);
	}
}

static void show_statics(FILE *f, struct daemon *d)
{
	for (unsigned int i = 0; i < d->conf.n_statics; i++) {
		const struct conf_static *st = &d->conf.statics[i];
		const struct static_rt *r = &d->statics[i];

		fprintf(f, "static %s type ethernet state %s tunnel %u session %u peer-session %u",
			st->name, r->session ? "static" : "down", st->tunnel_id,
			st->session_id, st->peer_session_id);
		if (r->ifname[0])
			fprintf(f, " interface %s", r->ifname);
		if (!r->session && r->reason[0]) {
			/* The kernel's words: quoted, one value. */
			fprintf(f, " reason ");
			ol2tp_ctl_quote(f, r->reason);
		}
		fprintf(f, "\n");
	}
}

static int pw_by_name(const struct daemon *d, const char *name)
{
	for (unsigned int i = 0; i < d->conf.n_pws; i++)
		if (!strcmp(d->conf.pws[i].name, name))
			return (int)i;
	return -1;
}

/* session down NAME TUNNEL SESSION: one session of a pseudowire. */
static void session_down_one(FILE *f, struct daemon *d, const char *name,
			     const char *tid, const char *sid)
{
	int i = pw_by_name(d, name);
	unsigned long t, s;
	char *e1, *e2;

	if (i < 0) {
		fprintf(f, "error: no pseudowire named \"%s\"\n", name);
		return;
	}
	errno = 0;
	t = strtoul(tid, &e1, 10);
	s = strtoul(sid, &e2, 10);
	if (errno || *e1 || *e2 || t > UINT32_MAX || s > UINT32_MAX) {
		fprintf(f, "error: tunnel and session ids are numbers\n");
		return;
	}
	if (d->pws[i].s && d->pws[i].s->cc->local_id == t &&
	    d->pws[i].s->local_id == s) {
		engine_sess_close(d->pws[i].s, now_ms(), L2TP_CDN_RC_ADMIN,
				  "administrative close");
		d->pws[i].reopen_at = RD_NEVER;
		fprintf(f, "ok\n");
		return;
	}
	for (struct pw_rt *c = d->calls; c; c = c->next) {
		if (c->pw != i || !c->s || c->s->cc->local_id != t ||
		    c->s->local_id != s)
			continue;
		engine_sess_close(c->s, now_ms(), L2TP_CDN_RC_ADMIN,
				  "administrative close");	/* frees c */
		fprintf(f, "ok\n");
		return;
	}
	fprintf(f, "error: pseudowire \"%s\" has no session %lu in tunnel %lu\n",
		name, s, t);
}

static void reply(FILE *f, struct daemon *d, char *cmd)
{
	char *argv[6] = { 0 };
	int argc = 0;
	char *save = NULL;

	for (char *t = strtok_r(cmd, " \t\r", &save); t && argc < 6;
	     t = strtok_r(NULL, " \t\r", &save))
		argv[argc++] = t;
	if (argc == 2 && !strcmp(argv[0], "peer") && !strcmp(argv[1], "show")) {
		show_peers(f, d);
	} else if (argc == 2 && !strcmp(argv[0], "session") &&
		   !strcmp(argv[1], "show")) {
		show_sessions(f, d);
		show_statics(f, d);
	} else if (argc == 5 && !strcmp(argv[0], "session") &&
		   !strcmp(argv[1], "down")) {
		session_down_one(f, d, argv[2], argv[3], argv[4]);
	} else if (argc == 3 && !strcmp(argv[0], "session") &&
		   (!strcmp(argv[1], "down") || !strcmp(argv[1], "up"))) {
		int i = pw_by_name(d, argv[2]);

		if (i < 0) {
			fprintf(f, "error: no pseudowire named \"%s\"\n", argv[2]);
			return;
		}
		if (argv[1][0] == 'd') {
			struct pw_rt *c, *next;

			if (d->pws[i].s)
				engine_sess_close(d->pws[i].s, now_ms(),
						  L2TP_CDN_RC_ADMIN,
						  "administrative close");
			d->pws[i].reopen_at = RD_NEVER;
			/* Every call of it; each is freed as it goes. */
			for (c = d->calls; c; c = next) {
				next = c->next;
				if (c->pw == i && c->s)
					engine_sess_close(c->s, now_ms(),
							  L2TP_CDN_RC_ADMIN,
							  "administrative close");
			}
			fprintf(f, "ok\n");
		} else if (!d->conf.pws[i].initiate) {
			fprintf(f, "error: pseudowire \"%s\" has initiate = no: the peer calls in, ol2tpd cannot bring it up\n",
				argv[2]);
		} else {
			d->pws[i].reopen_at = now_ms();
			fprintf(f, "ok\n");
		}
	} else {
		fprintf(f, "error: unknown command (peer show, session show, session up|down NAME, session down NAME TUNNEL SESSION)\n");
	}
}

/* Client side: ol2tpd -C "peer show" (the answer on stdout as it came). */
static int ctl_client(const char *path, const char *cmd)
{
	char err[512], *answer;
	int rc;

	if (ol2tp_ctl_request(path, cmd, &answer, err, sizeof(err)) < 0) {
		fprintf(stderr, "ol2tpd: %s\n", err);
		return 3;
	}
	fputs(answer, stdout);
	rc = ol2tp_ctl_is_error(answer) ? 1 : 0;
	free(answer);
	return rc;
}

/* ---- main loop ------------------------------------------------------------- */

static void connect_peer(struct daemon *d, unsigned int i, uint64_t now)
{
	const struct conf_peer *p = &d->conf.peers[i];
	struct engine_addr a;
	struct engine_cc *cc;

	d->peers[i].reconnect_at = RD_NEVER;
	if (d->peers[i].cc)
		return;
	conf_addr_with_port(&p->addr, p->eng.ip_encap ? 0 : d->conf.port, &a);
	cc = engine_connect(d->eng, now, &p->eng, NULL, &a);
	if (!cc) {
		logmsg(LOG_ERR, "%s: cannot start a control connection", p->name);
		if (p->reconnect_ms)
			d->peers[i].reconnect_at = now + p->reconnect_ms;
		return;
	}
	d->peers[i].cc = cc;
}

static void timers(struct daemon *d, uint64_t now)
{
	engine_tick(d->eng, now);
	if (d->stopping)
		return;
	for (unsigned int i = 0; i < d->conf.n_peers; i++)
		if (d->peers[i].reconnect_at <= now)
			connect_peer(d, i, now);
	for (unsigned int i = 0; i < d->conf.n_statics; i++)
		if (d->statics[i].retry_at <= now)
			static_try(d, &d->conf.statics[i], &d->statics[i], now);
	for (unsigned int i = 0; i < d->conf.n_pws; i++) {
		struct pw_rt *r = &d->pws[i];
		struct engine_cc *cc;

		if (r->reopen_at > now || r->s)
			continue;
		r->reopen_at = RD_NEVER;
		cc = d->peers[d->conf.pws[i].peer].cc;
		if (cc && cc->state == CC_ESTABLISHED)
			open_pseudowires(d, cc, now);
	}
}

static uint64_t next_deadline(const struct daemon *d)
{
	uint64_t t = engine_next_deadline(d->eng);

	for (unsigned int i = 0; i < d->conf.n_peers && !d->stopping; i++)
		if (d->peers[i].reconnect_at < t)
			t = d->peers[i].reconnect_at;
	for (unsigned int i = 0; i < d->conf.n_pws && !d->stopping; i++)
		if (d->pws[i].reopen_at < t)
			t = d->pws[i].reopen_at;
	for (unsigned int i = 0; i < d->conf.n_statics && !d->stopping; i++)
		if (d->statics[i].retry_at < t)
			t = d->statics[i].retry_at;
	if (d->stopping && d->stop_at < t)
		t = d->stop_at;
	return t;
}

static void arm_timer(struct daemon *d, uint64_t now)
{
	uint64_t t = next_deadline(d);
	struct itimerspec its = { 0 };

	if (t != RD_NEVER) {
		uint64_t delta = t > now ? t - now : 1;

		its.it_value.tv_sec = (time_t)(delta / 1000);
		its.it_value.tv_nsec = (long)(delta % 1000) * 1000000;
	}
	timerfd_settime(d->timer.fd, 0, &its, NULL);
}

static void stop(struct daemon *d, uint64_t now)
{
	if (d->stopping)
		return;
	logmsg(LOG_INFO, "stopping: clearing every control connection");
	d->stopping = true;
	d->stop_at = now + STOP_WAIT_MS;
	for (struct engine_cc *cc = d->eng->ccs; cc; cc = cc->next)
		engine_cc_close(cc, now, L2TP_STOPCCN_RC_SHUTTING_DOWN,
				"ol2tpd is shutting down");
}

/* All StopCCNs acknowledged (or time is up)? */
static bool stopped(const struct daemon *d, uint64_t now)
{
	if (now >= d->stop_at)
		return true;
	for (const struct engine_cc *cc = d->eng->ccs; cc; cc = cc->next)
		if (cc->state != CC_DEAD && !rd_idle(&cc->rd))
			return false;
	return true;
}

static bool addr_same(const struct conf_addr *a, const struct conf_addr *b)
{
	return a->len == b->len && !memcmp(&a->ss, &b->ss, a->len);
}

static bool peer_same(const struct conf_peer *a, const struct conf_peer *b)
{
	const struct engine_peer_cfg *x = &a->eng, *y = &b->eng;

	return !strcmp(a->name, b->name) && addr_same(&a->addr, &b->addr) &&
	       a->any == b->any && a->prefix_len == b->prefix_len &&
	       a->max_connections == b->max_connections &&
	       a->have_local == b->have_local &&
	       (!a->have_local || addr_same(&a->local, &b->local)) &&
	       a->initiate == b->initiate && a->reconnect_ms == b->reconnect_ms &&
	       a->ipsec == b->ipsec &&
	       x->version == y->version && x->ip_encap == y->ip_encap &&
	       x->secret_len == y->secret_len &&
	       !memcmp(x->secret, y->secret, x->secret_len) &&
	       x->digest == y->digest && x->digest_type == y->digest_type &&
	       x->challenge == y->challenge && x->hide == y->hide &&
	       x->tie_breaker == y->tie_breaker && x->hello_ms == y->hello_ms &&
	       x->rd.rwin == y->rd.rwin && x->rd.rto_ms == y->rd.rto_ms &&
	       x->rd.rto_max_ms == y->rd.rto_max_ms &&
	       x->rd.max_retries == y->rd.max_retries &&
	       x->rd.ack_delay_ms == y->rd.ack_delay_ms;
}

static bool pw_same(const struct conf *ca, const struct conf_pw *a,
		    const struct conf *cb, const struct conf_pw *b)
{
	return !strcmp(a->name, b->name) &&
	       !strcmp(ca->peers[a->peer].name, cb->peers[b->peer].name) &&
	       a->pw_type == b->pw_type && a->call == b->call &&
	       a->initiate == b->initiate && a->end_id_len == b->end_id_len &&
	       !memcmp(a->end_id, b->end_id, a->end_id_len) &&
	       a->cookie_len == b->cookie_len && a->l2spec == b->l2spec &&
	       a->sequencing == b->sequencing &&
	       !strcmp(a->ifname, b->ifname) &&
	       !strcmp(a->pppd_options, b->pppd_options) && a->lns == b->lns &&
	       a->max_sessions == b->max_sessions &&
	       a->ppp_local == b->ppp_local && a->pool_first == b->pool_first &&
	       a->pool_last == b->pool_last && a->mtu == b->mtu &&
	       !strcmp(a->bridge, b->bridge) &&
	       !strcmp(a->up_script, b->up_script) &&
	       !strcmp(a->down_script, b->down_script);
}

/*
 * SIGHUP: read the configuration again.  Peers and pseudowires whose
 * settings did not change keep their connections and sessions; changed or
 * removed ones are cleared (StopCCN 1 / CDN 3); new ones start.  Daemon
 * settings (listen addresses, control socket, logging) need a restart.
 */
static void reload(struct daemon *d)
{
	uint64_t now = now_ms();
	struct peer_rt *np;
	struct pw_rt *nw;
	struct static_rt *nst;
	struct conf nc;
	char err[512];
	int *peer_map, *pw_map;

	if (conf_load(&nc, d->conf_path, err, sizeof(err)) < 0) {
		logmsg(LOG_ERR, "reload failed, keeping the running configuration: %s",
		       err);
		return;
	}
	np = calloc(nc.n_peers + 1, sizeof(*np));
	nw = calloc(nc.n_pws + 1, sizeof(*nw));
	peer_map = calloc(d->conf.n_peers + 1, sizeof(*peer_map));
	pw_map = calloc(d->conf.n_pws + 1, sizeof(*pw_map));
	nst = calloc(nc.n_statics + 1, sizeof(*nst));
	for (unsigned int j = 0; nst && j < nc.n_statics; j++)
		nst[j].retry_at = RD_NEVER;
	if (!np || !nw || !peer_map || !pw_map || !nst) {
		logmsg(LOG_ERR, "reload failed: out of memory");
		free(np);
		free(nw);
		free(nst);
		free(peer_map);
		free(pw_map);
		conf_free(&nc);
		return;
	}
	for (unsigned int j = 0; j < nc.n_peers; j++)
		np[j].reconnect_at = RD_NEVER;
	for (unsigned int j = 0; j < nc.n_pws; j++) {
		nw[j].reopen_at = RD_NEVER;
		nw[j].pw = (int)j;
	}

	/* Which old entries carry over, unchanged, to which new index. */
	for (unsigned int i = 0; i < d->conf.n_peers; i++) {
		peer_map[i] = -1;
		for (unsigned int j = 0; j < nc.n_peers; j++)
			if (peer_same(&d->conf.peers[i], &nc.peers[j]))
				peer_map[i] = (int)j;
	}
	for (unsigned int i = 0; i < d->conf.n_pws; i++) {
		const struct conf_pw *w = &d->conf.pws[i];

		pw_map[i] = -1;
		if (peer_map[w->peer] < 0)
			continue;
		for (unsigned int j = 0; j < nc.n_pws; j++)
			if (pw_same(&d->conf, w, &nc, &nc.pws[j]))
				pw_map[i] = (int)j;
	}

	/* Clear what changed, while the old tables are in force. */
	d->reloading = true;
	for (unsigned int i = 0; i < d->conf.n_pws; i++)
		if (pw_map[i] < 0 && d->pws[i].s)
			engine_sess_close(d->pws[i].s, now, L2TP_CDN_RC_ADMIN,
					  "configuration changed");
	for (struct pw_rt *c = d->calls, *next; c; c = next) {
		next = c->next;	/* closing frees c */
		if (c->pw >= 0 && pw_map[c->pw] < 0 && c->s)
			engine_sess_close(c->s, now, L2TP_CDN_RC_ADMIN,
					  "configuration changed");
	}
	for (struct engine_cc *cc = d->eng->ccs; cc; cc = cc->next) {
		int k = peer_index(d, cc->cfg.name);

		if (k >= 0 && peer_map[k] < 0 && cc->state != CC_DEAD &&
		    cc->state != CC_CLOSING)
			engine_cc_close(cc, now, L2TP_STOPCCN_RC_CLEAR,
					"configuration changed");
	}
	d->reloading = false;

	/* Carry the rest over. */
	for (unsigned int i = 0; i < d->conf.n_peers; i++)
		if (peer_map[i] >= 0)
			np[peer_map[i]] = d->peers[i];
	for (unsigned int i = 0; i < d->conf.n_pws; i++) {
		if (pw_map[i] < 0) {
			free(d->pws[i].pool_used);
			continue;
		}
		nw[pw_map[i]] = d->pws[i];
		nw[pw_map[i]].pw = pw_map[i];
	}
	for (struct pw_rt *c = d->calls; c; c = c->next)
		c->pw = c->pw >= 0 ? pw_map[c->pw] : -1;
	/* Sessions point at the new entries; those of cleared pseudowires
	 * still lingering lose their link. */
	for (struct engine_cc *cc = d->eng->ccs; cc; cc = cc->next)
		for (struct engine_sess *s = cc->sessions; s; s = s->next)
			if (s->user && (struct pw_rt *)s->user >= d->pws &&
			    (struct pw_rt *)s->user < d->pws + d->conf.n_pws) {
				int k = pw_map[(struct pw_rt *)s->user - d->pws];

				s->user = k >= 0 ? &nw[k] : NULL;
			}
	free(d->peers);
	free(d->pws);
	free(peer_map);
	free(pw_map);
	{
		/* Static pseudowires: keep the unchanged, redo the rest. */
		struct static_rt *ns = nst;

		for (unsigned int i = 0; i < d->conf.n_statics; i++) {
			unsigned int j;

			for (j = 0; j < nc.n_statics; j++)
				if (static_same(&d->conf.statics[i],
						&nc.statics[j]))
					break;
			if (j < nc.n_statics)
				ns[j] = d->statics[i];
			else
				static_down(d, &d->conf.statics[i],
					    &d->statics[i]);
		}
		free(d->statics);
		d->statics = ns;
	}
	conf_free(&d->conf);
	d->conf = nc;
	d->eng->cfg.max_pending = d->conf.max_pending;
	d->peers = np;
	d->pws = nw;
	for (unsigned int j = 0; j < d->conf.n_statics; j++) {
		if (d->statics[j].tunnel)
			continue;
		d->statics[j].backoff_ms = 0;
		static_try(d, &d->conf.statics[j], &d->statics[j], now);
	}

	/* Start what is new. */
	if (open_listeners(d) < 0)
		logmsg(LOG_ERR, "reload: cannot listen for the new peers (see above); restart ol2tpd once the address is free");
	for (unsigned int j = 0; j < d->conf.n_peers; j++) {
		struct engine_cc *cc = d->peers[j].cc;

		if (!cc && d->conf.peers[j].initiate)
			connect_peer(d, j, now);
		else if (cc && cc->state == CC_ESTABLISHED)
			open_pseudowires(d, cc, now);
	}
	logmsg(LOG_INFO, "configuration reloaded: %u peers, %u pseudowires",
	       d->conf.n_peers, d->conf.n_pws);
}

static void on_signal(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sig.fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			notify_systemd("STOPPING=1");
			stop(d, now_ms());
			break;
		case SIGHUP:
			if (!d->stopping) {
				notify_systemd("RELOADING=1");
				reload(d);
				notify_systemd("READY=1");
			}
			break;
		case SIGCHLD: {
			pid_t pid;
			int status;

			while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
				if (!hook_reaped(pid, status))
					ppp_exited(d, pid, status);
			break;
		}
		default:
			break;
		}
	}
}

static int setup(struct daemon *d)
{
	struct engine_cfg ec;
	struct ol2tp_err err;
	sigset_t mask;
	int rc;

	rc = ol2tp_nl_open(&d->nl, &err);
	if (rc < 0) {
		logmsg(LOG_ERR, "cannot reach the kernel's l2tp family: %s%s%s",
		       strerror(-rc), err.msg[0] ? ": " : "", err.msg);
		return -1;
	}
	memset(&ec, 0, sizeof(ec));
	snprintf(ec.host_name, sizeof(ec.host_name), "%s", d->conf.host_name);
	snprintf(ec.vendor_name, sizeof(ec.vendor_name), "ol2tpd");
	ec.router_id = d->conf.router_id;
	ec.pw_caps[0] = L2TP_PW_ETH;
	ec.pw_caps[1] = L2TP_PW_PPP;
	ec.n_pw_caps = 2;
	ec.max_pending = d->conf.max_pending;
	d->eng = engine_new(&ec, &ops, d);
	d->peers = calloc(d->conf.n_peers + 1, sizeof(*d->peers));
	d->pws = calloc(d->conf.n_pws + 1, sizeof(*d->pws));
	d->statics = calloc(d->conf.n_statics + 1, sizeof(*d->statics));
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!d->eng || !d->peers || !d->pws || !d->statics || d->epfd < 0) {
		logmsg(LOG_ERR, "out of resources: %s", strerror(errno));
		return -1;
	}
	for (unsigned int i = 0; i < d->conf.n_peers; i++)
		d->peers[i].reconnect_at = RD_NEVER;
	for (unsigned int i = 0; i < d->conf.n_statics; i++)
		d->statics[i].retry_at = RD_NEVER;
	for (unsigned int i = 0; i < d->conf.n_pws; i++) {
		d->pws[i].reopen_at = RD_NEVER;
		d->pws[i].pw = (int)i;
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sig.kind = EV_SIGNAL;
	d->sig.fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	d->timer.kind = EV_TIMER;
	d->timer.fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (d->sig.fd < 0 || d->timer.fd < 0 || ep_add(d, &d->sig) < 0 ||
	    ep_add(d, &d->timer) < 0) {
		logmsg(LOG_ERR, "cannot set up signals and timers: %s",
		       strerror(errno));
		return -1;
	}
	if (open_listeners(d) < 0)
		return -1;
	if (ctl_open(d) < 0)
		return -1;
	return 0;
}

static int run(struct daemon *d)
{
	uint64_t now = now_ms();

	for (unsigned int i = 0; i < d->conf.n_statics; i++)
		static_try(d, &d->conf.statics[i], &d->statics[i], now);
	for (unsigned int i = 0; i < d->conf.n_peers; i++)
		if (d->conf.peers[i].initiate)
			connect_peer(d, i, now);
	logmsg(LOG_INFO, "ol2tpd started: %u peers, %u pseudowires, %u static",
	       d->conf.n_peers, d->conf.n_pws, d->conf.n_statics);
	/* Listening and the control socket open: ready (Type=notify). */
	notify_systemd("READY=1");

	for (;;) {
		struct epoll_event evs[16];
		int n;

		now = now_ms();
		if (d->stopping && stopped(d, now))
			break;
		arm_timer(d, now);
		n = epoll_wait(d->epfd, evs, 16, -1);
		if (n < 0 && errno != EINTR) {
			logmsg(LOG_ERR, "epoll_wait: %s", strerror(errno));
			return 2;
		}
		for (int i = 0; i < n; i++) {
			struct evsrc *ev = evs[i].data.ptr;

			switch (ev->kind) {
			case EV_LISTENER: {
				struct listener *l = (struct listener *)ev;

				rx(d, ev->fd, l, l->ip);
				break;
			}
			case EV_TUNNEL: {
				struct tunnel *t = (struct tunnel *)ev;

				rx(d, ev->fd, NULL, t->ip);
				break;
			}
			case EV_SIGNAL:
				on_signal(d);
				break;
			case EV_TIMER: {
				uint64_t x;
				ssize_t r = read(ev->fd, &x, sizeof(x));

				(void)r;	/* expirations count: unused */
				break;
			}
			case EV_CTL:
				ctl_accept(d);
				break;
			case EV_CLIENT:
				client_input(d, (struct client *)ev);
				break;
			}
			/* Anything freed by the engine was freed at its end. */
		}
		timers(d, now_ms());
	}
	/* Whatever is left: no kernel object may outlive us. */
	for (struct engine_cc *cc = d->eng->ccs; cc; cc = cc->next)
		if (cc->user)
			kernel_tunnel_down(d, cc->user);
	for (unsigned int i = 0; i < d->conf.n_statics; i++)
		static_down(d, &d->conf.statics[i], &d->statics[i]);
	return d->exit_code;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ol2tpd [-f CONFIG] [-l LEVEL] [-t]\n"
		"       ol2tpd [-f CONFIG] [-S SOCKET] -C \"COMMAND\"\n"
		"       ol2tpd -h | -V\n"
		"  -f FILE   configuration (default " DEFAULT_CONF ")\n"
		"  -l LEVEL  log level: err, warning, notice, info, debug\n"
		"  -t        check the configuration and exit\n"
		"  -C CMD    send CMD to the running daemon: \"peer show\",\n"
		"            \"session show\", \"session up|down NAME\",\n"
		"            \"session down NAME TUNNEL SESSION\"\n"
		"  -S PATH   control socket (default: from the configuration)\n"
		"  -h, --help     print this help and exit\n"
		"  -V, --version  print the version and exit\n"
		"See ol2tpd(8) and ol2tpd.conf(5).\n");
}

/* The syslog priority of a -l LEVEL, or -1. */
static int log_level_arg(const char *level)
{
	static const char *const lv[] = { "err", "warning", "notice", "info",
					  "debug" };
	static const int num[] = { LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO,
				   LOG_DEBUG };

	for (size_t i = 0; i < sizeof(lv) / sizeof(lv[0]); i++)
		if (!strcmp(level, lv[i]))
			return num[i];
	return -1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct daemon d;
	const char *cmd = NULL, *sock = NULL;
	char err[512];
	bool test = false;
	int opt, rc, level = -1;

	memset(&d, 0, sizeof(d));
	d.conf_path = DEFAULT_CONF;
	/* Usage errors exit 2, with getopt's message and the usage. */
	while ((opt = getopt_long(argc, argv, "f:l:tC:S:hV", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'f':
			d.conf_path = optarg;
			break;
		case 'l':
			level = log_level_arg(optarg);
			if (level < 0) {
				fprintf(stderr, "ol2tpd: -l %s: use err, warning, notice, info or debug\n",
					optarg);
				return 2;
			}
			break;
		case 't':
			test = true;
			break;
		case 'C':
			cmd = optarg;
			break;
		case 'S':
			sock = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("ol2tpd %s\n", OL2TP_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "ol2tpd: unexpected argument \"%s\" (options only; a command for -C goes in one quoted word)\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}
	if (cmd && sock)
		return ctl_client(sock, cmd);
	if (conf_load(&d.conf, d.conf_path, err, sizeof(err)) < 0) {
		fprintf(stderr, "ol2tpd: %s\n", err);
		return 1;
	}
	if (cmd) {
		rc = ctl_client(d.conf.control_socket, cmd);
		conf_free(&d.conf);
		return rc;
	}
	if (level >= 0)
		d.conf.log_level = level;
	if (test) {
		printf("%s: OK, %u peers, %u pseudowires\n", d.conf_path,
		       d.conf.n_peers, d.conf.n_pws);
		conf_free(&d.conf);
		return 0;
	}
	log_setup(d.conf.log_level, d.conf.log_syslog);
	if (setup(&d) < 0)
		return 2;
	rc = run(&d);
	unlink(d.conf.control_socket);
	while (d.calls)
		call_free(&d, d.calls);
	engine_free(d.eng);
	ol2tp_nl_close(d.nl);
	for (unsigned int i = 0; i < d.conf.n_pws; i++)
		free(d.pws[i].pool_used);
	conf_free(&d.conf);
	free(d.peers);
	free(d.pws);
	logmsg(LOG_INFO, "stopped");
	return rc;
}
