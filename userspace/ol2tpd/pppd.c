// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tpd pppd: a PPP session's PPPoL2TP socket and pppd on it (ppp.h does
 * the socket and the exec), with an address from the pseudowire's pool;
 * when pppd exits, its session is closed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"
#include "ppp.h"

/* PPP pseudowire: a PPPoL2TP socket on the session, pppd on the socket. */
int ppp_start(struct daemon *d, struct pw_rt *r, const struct conf_pw *w,
	      struct engine_sess *s)
{
	struct engine_cc *cc = engine_sess_cc(s);
	const struct sockaddr_storage *peer = &engine_cc_addr(cc)->ss;
	const char *name = engine_cc_name(cc);
	struct tunnel *t = engine_cc_user(cc);
	struct engine_dataplane dp;
	struct ppp_ids ids;
	struct ppp_opts o = {
		.pppd = d->conf.pppd,
		.lns = w->lns,
		.extra = w->pppd_options,
	};
	char addrs[2 * INET_ADDRSTRLEN + 2] = "", ipparam[INET6_ADDRSTRLEN];
	int fd;

	engine_sess_dataplane(s, &dp);
	ids = (struct ppp_ids){
		.version = dp.version,
		.tunnel_fd = t ? t->ev.fd : -1,
		.peer = (const struct sockaddr *)peer,
		.tunnel = dp.tunnel,
		.session = dp.session,
		.peer_tunnel = dp.peer_tunnel,
		.peer_session = dp.peer_session,
	};
	o.send_seq = dp.send_seq;
	o.recv_seq = dp.recv_seq;
	/* The peer's address for ip-up scripts, as xl2tpd gives it. */
	if (inet_ntop(peer->ss_family, peer->ss_family == AF_INET6 ?
		      (const void *)&((const struct sockaddr_in6 *)peer)->sin6_addr :
		      (const void *)&((const struct sockaddr_in *)peer)->sin_addr,
		      ipparam, sizeof(ipparam)))
		o.ipparam = ipparam;
	if (w->pool_first && !r->ppp_addr) {
		r->ppp_addr = pool_take(d, r->pw);
		if (!r->ppp_addr) {
			logmsg(LOG_WARNING, "%s: pseudowire %s: ppp-address-pool is exhausted",
			       name, w->name);
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
		       name, w->name, strerror(errno),
		       errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT ?
		       " (load ol2tp_ppp.ko or l2tp_ppp)" : "");
		return -1;
	}
	r->pppd = ppp_spawn(fd, &ids, &o);
	close(fd);
	if (r->pppd < 0) {
		logmsg(LOG_ERR, "%s: pseudowire %s: cannot start %s: %s",
		       name, w->name, d->conf.pppd, strerror(errno));
		r->pppd = 0;
		return -1;
	}
	logmsg(LOG_INFO, "%s: pseudowire %s: pppd started (pid %d)%s%s",
	       name, w->name, (int)r->pppd, addrs[0] ? ", addresses " : "",
	       addrs);
	return 0;
}

/* A pppd ended: its session goes with it. */
void ppp_exited(struct daemon *d, pid_t pid, int status)
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
