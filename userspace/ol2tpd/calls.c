// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tpd pseudowires and calls: the sessions we open on an established
 * connection, the calls a peer makes to a pseudowire with initiate = no
 * (each an entry of d->calls), their PPP address pools, and what the up and
 * down scripts of a session are told.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

/* The lowest free address of pseudowire pw's ppp-address-pool, or 0. */
uint32_t pool_take(struct daemon *d, int pw)
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

bool pool_has_room(struct daemon *d, int pw)
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

struct pw_rt *call_new(struct daemon *d, int pw)
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
void call_free(struct daemon *d, struct pw_rt *c)
{
	pool_put(d, c);
	for (struct pw_rt **pp = &d->calls; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	if (c->s && engine_sess_user(c->s) == c)
		engine_sess_set_user(c->s, NULL);
	free(c);
}

/* Sessions of pseudowire pw on cc, coming up or up. */
unsigned int calls_on(struct engine_cc *cc, int pw)
{
	unsigned int n = 0;

	for (struct engine_sess *s = engine_sess_first(cc); s;
	     s = engine_sess_next(s)) {
		const struct pw_rt *r = engine_sess_user(s);

		n += engine_sess_state(s) != SESS_DEAD && r && r->pw == pw;
	}
	return n;
}

void open_pseudowires(struct daemon *d, struct engine_cc *cc,
		      uint64_t now)
{
	int peer = engine_cc_index(cc);

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
		sc.data_seq = w->sequencing ? L2TP_DATA_SEQ_ALL :
					       L2TP_DATA_SEQ_NONE;
		sc.tie_breaker = true;
		sc.user = &d->pws[i];
		d->pws[i].s = engine_sess_open(cc, now, &sc);
		d->pws[i].reopen_at = RD_NEVER;
	}
}

/* What the up and down scripts of r are told. */
void hook_fill(struct daemon *d, struct pw_rt *r,
	       const struct conf_pw *w, struct engine_sess *s)
{
	struct engine_cc *cc = engine_sess_cc(s);
	struct tunnel *t = engine_cc_user(cc);
	struct hook_info *h = &r->hook;
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);
	struct engine_dataplane dp;
	struct engine_cc_info i;
	const struct sockaddr_storage *ss = &i.addr.ss;

	engine_cc_get_info(cc, &i);
	engine_sess_dataplane(s, &dp);
	memset(h, 0, sizeof(*h));
	snprintf(h->pseudowire, sizeof(h->pseudowire), "%s", w->name);
	snprintf(h->peer, sizeof(h->peer), "%s", d->conf.peers[w->peer].name);
	snprintf(h->peer_host, sizeof(h->peer_host), "%s", i.peer_host);
	h->type = dp.pw_type == L2TP_PW_PPP ? "ppp" : "ethernet";
	snprintf(h->ifname, sizeof(h->ifname), "%s", r->ifname);
	h->tunnel = dp.tunnel;
	h->peer_tunnel = dp.peer_tunnel;
	h->session = dp.session;
	h->peer_session = dp.peer_session;
	h->version = dp.version;
	h->encap = dp.ip ? "ip" : "udp";
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
