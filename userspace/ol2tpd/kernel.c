// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tpd kernel data plane: the managed tunnel of an established control
 * connection, the kernel session of an established session, and the
 * unmanaged tunnel and session of each [static] pseudowire (retried with
 * back-off while the kernel refuses it), through userspace/lib (ol2tp-nl.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

int kernel_tunnel_up(struct daemon *d, struct tunnel *t)
{
	struct engine_cc_info i;
	struct ol2tp_nl_tunnel kt;
	struct ol2tp_nl_err err;
	int rc;

	engine_cc_get_info(t->cc, &i);
	memset(&kt, 0, sizeof(kt));
	kt.conn_id = i.local_id;
	kt.peer_conn_id = i.peer_id;
	kt.proto_version = i.version;
	kt.encap_type = t->ip ? OL2TP_ENCAPTYPE_IP : OL2TP_ENCAPTYPE_UDP;
	kt.fd = (uint32_t)t->ev.fd;
	ol2tp_nl_set(&kt, OL2TP_ATTR_CONN_ID);
	ol2tp_nl_set(&kt, OL2TP_ATTR_PEER_CONN_ID);
	ol2tp_nl_set(&kt, OL2TP_ATTR_PROTO_VERSION);
	ol2tp_nl_set(&kt, OL2TP_ATTR_ENCAP_TYPE);
	ol2tp_nl_set(&kt, OL2TP_ATTR_FD);
	rc = ol2tp_nl_tunnel_create(d->nl, &kt, &err);
	if (rc < 0) {
		logmsg(LOG_ERR, "%s: kernel refused tunnel %u: %s%s%s",
		       engine_cc_name(t->cc), i.local_id, strerror(-rc),
		       err.msg[0] ? ": " : "", err.msg);
		return -1;
	}
	t->kernel = true;
	return 0;
}

void kernel_tunnel_down(struct daemon *d, struct tunnel *t)
{
	struct ol2tp_nl_err err;
	int rc;

	if (!t->kernel)
		return;
	t->kernel = false;
	rc = ol2tp_nl_tunnel_delete(d->nl, engine_cc_id(t->cc), &err);
	if (rc < 0 && rc != -ENOENT)
		logmsg(LOG_WARNING, "%s: cannot delete kernel tunnel %u: %s %s",
		       engine_cc_name(t->cc), engine_cc_id(t->cc), strerror(-rc),
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

int kernel_session_up(struct daemon *d, struct pw_rt *r,
		      const struct conf_pw *w, struct engine_sess *s)
{
	const char *name = engine_cc_name(engine_sess_cc(s));
	struct engine_dataplane dp;
	struct ol2tp_nl_session ks, got;
	struct ol2tp_nl_err err;
	int rc;

	engine_sess_dataplane(s, &dp);
	memset(&ks, 0, sizeof(ks));
	ks.conn_id = dp.tunnel;
	ks.session_id = dp.session;
	ks.peer_session_id = dp.peer_session;
	ks.pw_type = dp.pw_type;
	ol2tp_nl_set(&ks, OL2TP_ATTR_CONN_ID);
	ol2tp_nl_set(&ks, OL2TP_ATTR_SESSION_ID);
	ol2tp_nl_set(&ks, OL2TP_ATTR_PEER_SESSION_ID);
	ol2tp_nl_set(&ks, OL2TP_ATTR_PW_TYPE);
	if (dp.version == 3) {
		/* The kernel sends COOKIE and checks PEER_COOKIE. */
		ks.cookie_len = dp.send_cookie_len;
		memcpy(ks.cookie, dp.send_cookie, dp.send_cookie_len);
		ks.peer_cookie_len = dp.recv_cookie_len;
		memcpy(ks.peer_cookie, dp.recv_cookie, dp.recv_cookie_len);
		if (ks.cookie_len)
			ol2tp_nl_set(&ks, OL2TP_ATTR_COOKIE);
		if (ks.peer_cookie_len)
			ol2tp_nl_set(&ks, OL2TP_ATTR_PEER_COOKIE);
		ks.l2spec_type = dp.l2spec ? OL2TP_L2SPECTYPE_DEFAULT :
					     OL2TP_L2SPECTYPE_NONE;
		ol2tp_nl_set(&ks, OL2TP_ATTR_L2SPEC_TYPE);
	}
	ks.recv_seq = dp.recv_seq;
	ks.send_seq = dp.send_seq;
	ol2tp_nl_set(&ks, OL2TP_ATTR_RECV_SEQ);
	ol2tp_nl_set(&ks, OL2TP_ATTR_SEND_SEQ);
	if (w && w->ifname[0] && dp.pw_type == L2TP_PW_ETH) {
		snprintf(ks.ifname, sizeof(ks.ifname), "%s", w->ifname);
		ol2tp_nl_set(&ks, OL2TP_ATTR_IFNAME);
	}
	rc = ol2tp_nl_session_create(d->nl, &ks, &err);
	if (rc < 0) {
		logmsg(LOG_ERR, "%s: kernel refused session %u/%u: %s%s%s",
		       name, dp.tunnel, dp.session, strerror(-rc),
		       err.msg[0] ? ": " : "", err.msg);
		return -1;
	}
	r->kernel = true;
	r->conn_id = dp.tunnel;
	r->session_id = dp.session;
	r->ifname[0] = 0;
	if (ol2tp_nl_session_get(d->nl, dp.tunnel, dp.session, &got,
				 &err) == 0 &&
	    ol2tp_nl_has(&got, OL2TP_ATTR_IFNAME))
		snprintf(r->ifname, sizeof(r->ifname), "%s", got.ifname);
	if (r->ifname[0] && dp.pw_type == L2TP_PW_ETH) {
		/* A new device each time: what the pseudowire sets, again. */
		if (w)
			hook_iface_apply(r->ifname, w->mtu, w->bridge);
		ifup(r->ifname);
	}
	logmsg(LOG_INFO, "%s: session %u/%u up%s%s", name,
	       dp.session, dp.peer_session, r->ifname[0] ? ", interface " : "",
	       r->ifname);
	return 0;
}

void kernel_session_down(struct daemon *d, struct pw_rt *r)
{
	struct ol2tp_nl_err err;
	int rc;

	if (!r->kernel)
		return;
	r->kernel = false;
	rc = ol2tp_nl_session_delete(d->nl, r->conn_id, r->session_id, &err);
	if (rc < 0 && rc != -ENOENT)
		logmsg(LOG_WARNING, "cannot delete kernel session %u/%u: %s %s",
		       r->conn_id, r->session_id, strerror(-rc), err.msg);
}
/* Static pseudowires: an unmanaged tunnel and its session. */
static void kaddr(const struct conf_addr *a, struct ol2tp_nl_addr *o,
		  uint16_t *port,
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

void static_down(struct daemon *d, const struct conf_static *st,
		 struct static_rt *r)
{
	struct ol2tp_nl_err err;
	int rc;

	if (!r->tunnel)
		return;
	rc = ol2tp_nl_tunnel_delete(d->nl, st->tunnel_id, &err);
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
	struct ol2tp_nl_tunnel kt;
	struct ol2tp_nl_session ks, got;
	struct ol2tp_nl_err err;
	int rc;

	memset(&kt, 0, sizeof(kt));
	kt.conn_id = st->tunnel_id;
	kt.peer_conn_id = st->peer_tunnel_id;
	kt.proto_version = 3;
	kt.encap_type = st->ip_encap ? OL2TP_ENCAPTYPE_IP : OL2TP_ENCAPTYPE_UDP;
	kaddr(&st->local, &kt.local, &kt.udp_sport, d->conf.port);
	kaddr(&st->remote, &kt.remote, &kt.udp_dport, d->conf.port);
	ol2tp_nl_set(&kt, OL2TP_ATTR_CONN_ID);
	ol2tp_nl_set(&kt, OL2TP_ATTR_PEER_CONN_ID);
	ol2tp_nl_set(&kt, OL2TP_ATTR_PROTO_VERSION);
	ol2tp_nl_set(&kt, OL2TP_ATTR_ENCAP_TYPE);
	ol2tp_nl_set(&kt, kt.local.family == AF_INET6 ? OL2TP_ATTR_IP6_SADDR :
		     OL2TP_ATTR_IP_SADDR);
	ol2tp_nl_set(&kt, kt.remote.family == AF_INET6 ? OL2TP_ATTR_IP6_DADDR :
		     OL2TP_ATTR_IP_DADDR);
	if (!st->ip_encap) {
		ol2tp_nl_set(&kt, OL2TP_ATTR_UDP_SPORT);
		ol2tp_nl_set(&kt, OL2TP_ATTR_UDP_DPORT);
	}
	rc = ol2tp_nl_tunnel_create(d->nl, &kt, &err);
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
	ol2tp_nl_set(&ks, OL2TP_ATTR_CONN_ID);
	ol2tp_nl_set(&ks, OL2TP_ATTR_SESSION_ID);
	ol2tp_nl_set(&ks, OL2TP_ATTR_PEER_SESSION_ID);
	ol2tp_nl_set(&ks, OL2TP_ATTR_PW_TYPE);
	ol2tp_nl_set(&ks, OL2TP_ATTR_L2SPEC_TYPE);
	/* The kernel sends COOKIE and checks PEER_COOKIE. */
	if (st->send_cookie.len) {
		ks.cookie_len = st->send_cookie.len;
		memcpy(ks.cookie, st->send_cookie.b, st->send_cookie.len);
		ol2tp_nl_set(&ks, OL2TP_ATTR_COOKIE);
	}
	if (st->recv_cookie.len) {
		ks.peer_cookie_len = st->recv_cookie.len;
		memcpy(ks.peer_cookie, st->recv_cookie.b, st->recv_cookie.len);
		ol2tp_nl_set(&ks, OL2TP_ATTR_PEER_COOKIE);
	}
	if (st->ifname[0]) {
		snprintf(ks.ifname, sizeof(ks.ifname), "%s", st->ifname);
		ol2tp_nl_set(&ks, OL2TP_ATTR_IFNAME);
	}
	rc = ol2tp_nl_session_create(d->nl, &ks, &err);
	if (rc < 0) {
		static_down(d, st, r);
		snprintf(r->reason, sizeof(r->reason),
			 "kernel refused session %u: %s%s%s", st->session_id,
			 strerror(-rc), err.msg[0] ? ": " : "", err.msg);
		return -1;
	}
	r->session = true;
	if (ol2tp_nl_session_get(d->nl, st->tunnel_id, st->session_id, &got,
				 &err) == 0 && ol2tp_nl_has(&got, OL2TP_ATTR_IFNAME))
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
void static_try(struct daemon *d, const struct conf_static *st,
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
