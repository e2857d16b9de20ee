// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tpd engine glue: the callbacks of struct engine_ops.  Which [peer] an
 * SCCRQ is from (and whether it may have one more connection), which
 * [pseudowire] an ICRQ or OCRQ is for, and what a connection or session
 * coming up or going down means for sockets, the kernel, pppd, scripts and
 * reconnection.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

static void cb_send(void *ctx, struct engine_cc *cc, const uint8_t *buf,
		    size_t len)
{
	tunnel_send(ctx, cc, buf, len);
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
	n = engine_peer_connections(d->eng, i);
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
	int peer = engine_cc_index(cc);
	const char *name = engine_cc_name(cc);
	struct engine_cc_info ci;

	engine_cc_get_info(cc, &ci);
	for (unsigned int i = 0; i < d->conf.n_pws; i++) {
		const struct conf_pw *w = &d->conf.pws[i];

		if (w->peer != peer || w->pw_type != pw)
			continue;
		if (ci.version == 3 && (w->end_id_len != end_len ||
				     memcmp(w->end_id, end_id, end_len)))
			continue;
		if (w->initiate ? d->pws[i].s != NULL :
		    calls_on(cc, (int)i) >= w->max_sessions)
			continue;
		if (!pool_has_room(d, (int)i)) {
			logmsg(LOG_WARNING, "%s: pseudowire %s: ppp-address-pool is exhausted, refusing the call",
			       name, w->name);
			return L2TP_CDN_RC_NO_RESOURCES_TEMP;
		}
		memset(cfg, 0, sizeof(*cfg));
		cfg->pw_type = w->pw_type;
		cfg->outgoing = w->call == CONF_CALL_OUTGOING;
		cfg->cookie_len = w->cookie_len;
		cfg->l2spec = w->l2spec;
		cfg->data_seq = w->sequencing ? L2TP_DATA_SEQ_ALL :
						 L2TP_DATA_SEQ_NONE;
		cfg->user = &d->pws[i];
		return 0;
	}
	logmsg(LOG_WARNING, "%s: peer asks for a %s pseudowire \"%.*s\": none configured (or already up)",
	       name, pw == L2TP_PW_PPP ? "ppp" : "ethernet",
	       (int)end_len, end_id ? (const char *)end_id : "");
	for (unsigned int i = 0; i < d->conf.n_pws; i++)
		logmsg(LOG_DEBUG, "  [pseudowire %s]: peer %d/%d type %u/%u busy %d end \"%.*s\"",
		       d->conf.pws[i].name, d->conf.pws[i].peer, peer,
		       d->conf.pws[i].pw_type, pw, d->pws[i].s != NULL,
		       (int)d->conf.pws[i].end_id_len,
		       (const char *)d->conf.pws[i].end_id);
	return L2TP_CDN_RC_NO_RESOURCES_PERM;
}

/*
 * Our SCCRQ failed on authentication (the peer refused us, or it does not
 * answer our challenge, or its StopCCN does not verify): one notice that
 * says so, and the next attempt later each time.
 */
static void peer_refused(struct daemon *d, int peer, const char *reason,
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
		       cp->name, reason);
		return;
	}
	pr->reconnect_at = now + pr->backoff_ms;
	logmsg(LOG_NOTICE, "%s: authentication failed: peer rejected us or secrets differ (%s); trying again in %u s",
	       cp->name, reason, (pr->backoff_ms + 999) / 1000);
}

static void cb_cc_event(void *ctx, struct engine_cc *cc, enum engine_event ev)
{
	struct daemon *d = ctx;
	struct tunnel *t = engine_cc_user(cc);
	int peer = engine_cc_index(cc);
	uint64_t now = now_ms();
	struct engine_cc_info i;

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
	engine_cc_get_info(cc, &i);
	if (peer >= 0 && !d->conf.peers[peer].dialin && i.reason[0] &&
	    i.result != L2TP_STOPCCN_RC_ALREADY_EXISTS &&
	    (d->peers[peer].cc == cc || !d->peers[peer].cc))
		snprintf(d->peers[peer].last_error,
			 sizeof(d->peers[peer].last_error), "%s%s%s%s",
			 i.reason, t && t->path_err ? " (the path reported: " : "",
			 t && t->path_err ? strerror(t->path_err) : "",
			 t && t->path_err ? ")" : "");
	if (peer >= 0 && i.initiator && i.auth_failed && !i.was_up &&
	    d->peers[peer].cc == cc) {
		peer_refused(d, peer, i.reason, now);
		return;
	}
	if (peer >= 0 && d->peers[peer].cc == cc) {
		const struct conf_peer *cp = &d->conf.peers[peer];

		d->peers[peer].cc = NULL;
		/* Lost a tie: the peer's connection takes over, no retry. */
		if (cp->initiate && cp->reconnect_ms && !d->stopping &&
		    !d->reloading &&
		    i.result != L2TP_STOPCCN_RC_ALREADY_EXISTS)
			d->peers[peer].reconnect_at = now + cp->reconnect_ms;
	} else if (peer >= 0 && !d->peers[peer].cc && i.initiator &&
		   !d->stopping && !d->reloading &&
		   d->conf.peers[peer].reconnect_ms &&
		   i.result != L2TP_STOPCCN_RC_ALREADY_EXISTS) {
		d->peers[peer].reconnect_at = now + d->conf.peers[peer].reconnect_ms;
	}
}

static void cb_cc_release(void *ctx, struct engine_cc *cc)
{
	struct daemon *d = ctx;
	struct tunnel *t = engine_cc_user(cc);

	for (unsigned int i = 0; i < d->conf.n_peers; i++)
		if (d->peers[i].cc == cc)
			d->peers[i].cc = NULL;
	if (!t)
		return;
	tunnel_close(d, t);
	free(t);
	engine_cc_set_user(cc, NULL);
}


static int cb_sess_event(void *ctx, struct engine_sess *s,
			 enum engine_event ev)
{
	struct daemon *d = ctx;
	struct pw_rt *r = engine_sess_user(s);
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
			engine_sess_set_user(s, r);
		}
		r->s = s;
		if (kernel_session_up(d, r, w, s) < 0)
			goto fail;
		if (engine_sess_pw_type(s) == L2TP_PW_PPP &&
		    ppp_start(d, r, w, s) < 0) {
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

const struct engine_ops daemon_engine_ops = {
	.send = cb_send,
	.peer_lookup = cb_peer_lookup,
	.sess_lookup = cb_sess_lookup,
	.cc_event = cb_cc_event,
	.cc_release = cb_cc_release,
	.sess_event = cb_sess_event,
	.log = cb_log,
};
