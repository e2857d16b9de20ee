// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tpd reload (SIGHUP): read the configuration again; peers, pseudowires
 * and static pseudowires whose settings did not change keep their
 * connections and sessions, changed or removed ones are cleared, new ones
 * start.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

/*
 * SIGHUP: read the configuration again.  Peers and pseudowires whose
 * settings did not change keep their connections and sessions; changed or
 * removed ones are cleared (StopCCN 1 / CDN 3); new ones start.  Daemon
 * settings (listen addresses, control socket, logging) need a restart.
 */
void reload(struct daemon *d)
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
			if (conf_peer_same(&d->conf.peers[i], &nc.peers[j]))
				peer_map[i] = (int)j;
	}
	for (unsigned int i = 0; i < d->conf.n_pws; i++) {
		const struct conf_pw *w = &d->conf.pws[i];

		pw_map[i] = -1;
		if (peer_map[w->peer] < 0)
			continue;
		for (unsigned int j = 0; j < nc.n_pws; j++)
			if (conf_pw_same(w, &nc.pws[j]))
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
	for (struct engine_cc *cc = engine_cc_first(d->eng); cc;
	     cc = engine_cc_next(cc)) {
		int k = engine_cc_index(cc);

		if (k >= 0 && peer_map[k] < 0 &&
		    engine_cc_state(cc) != CC_DEAD &&
		    engine_cc_state(cc) != CC_CLOSING)
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
	/*
	 * Connections carry the new peer index (-1: the peer was removed or
	 * changed, and its connection is closing); sessions point at the new
	 * entries, those of cleared pseudowires still lingering lose their
	 * link.
	 */
	for (struct engine_cc *cc = engine_cc_first(d->eng); cc;
	     cc = engine_cc_next(cc)) {
		int k = engine_cc_index(cc);

		engine_cc_set_index(cc, k >= 0 ? peer_map[k] : -1);
		for (struct engine_sess *s = engine_sess_first(cc); s;
		     s = engine_sess_next(s)) {
			struct pw_rt *r = engine_sess_user(s);

			if (r && r >= d->pws && r < d->pws + d->conf.n_pws) {
				k = pw_map[r - d->pws];
				engine_sess_set_user(s, k >= 0 ? &nw[k] : NULL);
			}
		}
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
				if (conf_static_same(&d->conf.statics[i],
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
	engine_set_max_pending(d->eng, d->conf.max_pending);
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
		else if (cc && engine_cc_state(cc) == CC_ESTABLISHED)
			open_pseudowires(d, cc, now);
	}
	logmsg(LOG_INFO, "configuration reloaded: %u peers, %u pseudowires",
	       d->conf.n_peers, d->conf.n_pws);
}
