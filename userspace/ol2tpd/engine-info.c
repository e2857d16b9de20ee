// SPDX-License-Identifier: GPL-2.0
/*
 * What the daemon sees of the protocol engine: walking its connections and
 * sessions, small getters, the info snapshots and a session's data-plane
 * description.  The objects themselves are engine_int.h's; engine.h gives
 * the daemon incomplete types, so everything it reads of them is here.
 */
#include <string.h>

#include "engine_int.h"

void engine_set_max_pending(struct engine *eng, unsigned int max_pending)
{
	eng->cfg.max_pending = max_pending;
}

struct engine_cc *engine_cc_first(struct engine *eng)
{
	return eng->ccs;
}

struct engine_cc *engine_cc_next(struct engine_cc *cc)
{
	return cc->next;
}

struct engine_sess *engine_sess_first(struct engine_cc *cc)
{
	return cc->sessions;
}

struct engine_sess *engine_sess_next(struct engine_sess *s)
{
	return s->next;
}

void *engine_cc_user(const struct engine_cc *cc)
{
	return cc->user;
}

void engine_cc_set_user(struct engine_cc *cc, void *user)
{
	cc->user = user;
}

void *engine_sess_user(const struct engine_sess *s)
{
	return s->user;
}

void engine_sess_set_user(struct engine_sess *s, void *user)
{
	s->user = user;
}

int engine_cc_index(const struct engine_cc *cc)
{
	return cc->cfg.index;
}

void engine_cc_set_index(struct engine_cc *cc, int index)
{
	cc->cfg.index = index;
}

const char *engine_cc_name(const struct engine_cc *cc)
{
	return cc->cfg.name;
}

enum engine_cc_state engine_cc_state(const struct engine_cc *cc)
{
	return cc->state;
}

uint32_t engine_cc_id(const struct engine_cc *cc)
{
	return cc->local_id;
}

uint32_t engine_cc_peer_id(const struct engine_cc *cc)
{
	return cc->peer_id;
}

bool engine_cc_ip(const struct engine_cc *cc)
{
	return cc->ip;
}

const struct engine_addr *engine_cc_addr(const struct engine_cc *cc)
{
	return &cc->addr;
}

bool engine_cc_quiet(const struct engine_cc *cc)
{
	return cc->state == CC_DEAD || rd_idle(&cc->rd);
}

struct engine_cc *engine_sess_cc(const struct engine_sess *s)
{
	return s->cc;
}

enum engine_sess_state engine_sess_state(const struct engine_sess *s)
{
	return s->state;
}

uint16_t engine_sess_pw_type(const struct engine_sess *s)
{
	return s->cfg.pw_type;
}

void engine_sess_dataplane(const struct engine_sess *s,
			   struct engine_dataplane *dp)
{
	const struct engine_cc *cc = s->cc;

	memset(dp, 0, sizeof(*dp));
	dp->version = cc->ver;
	dp->ip = cc->ip;
	dp->tunnel = cc->local_id;
	dp->peer_tunnel = cc->peer_id;
	dp->session = s->local_id;
	dp->peer_session = s->peer_id;
	dp->pw_type = s->cfg.pw_type;
	if (cc->ver == 3) {
		/* Each end checks the cookie it gave and sends the other's. */
		dp->send_cookie_len = s->peer_cookie_len;
		memcpy(dp->send_cookie, s->peer_cookie, s->peer_cookie_len);
		dp->recv_cookie_len = s->cfg.cookie_len;
		memcpy(dp->recv_cookie, s->cookie, s->cfg.cookie_len);
		/* Either end requiring the sublayer puts it on both ways. */
		dp->l2spec = s->cfg.l2spec || s->peer_l2spec;
	}
	dp->send_seq = s->peer_data_seq != 0;
	dp->recv_seq = s->cfg.data_seq != 0;
}

const char *engine_sess_state_name(enum engine_sess_state s)
{
	static const char *const n[] = {
		[SESS_IDLE] = "idle",
		[SESS_WAIT_CTL_CONN] = "wait-ctl-conn",
		[SESS_WAIT_REPLY] = "wait-reply",
		[SESS_WAIT_CONNECT] = "wait-connect",
		[SESS_ESTABLISHED] = "established",
		[SESS_DEAD] = "dead",
	};

	return s <= SESS_DEAD ? n[s] : "?";
}

void engine_sess_get_info(const struct engine_sess *s,
			  struct engine_sess_info *i)
{
	memset(i, 0, sizeof(*i));
	i->state = s->state;
	i->pw_type = s->cfg.pw_type;
	i->tunnel = s->cc->local_id;
	i->session = s->local_id;
	i->peer_session = s->peer_id;
}

void engine_cc_get_info(const struct engine_cc *cc, struct engine_cc_info *i)
{
	memset(i, 0, sizeof(*i));
	i->state = cc->state;
	i->index = cc->cfg.index;
	i->initiator = cc->initiator;
	i->busy = cc->busy;
	i->was_up = cc->was_up;
	i->version = cc->ver;
	i->ip = cc->ip;
	i->local_id = cc->local_id;
	i->peer_id = cc->peer_id;
	i->addr = cc->addr;
	memcpy(i->peer_host, cc->peer_host, sizeof(i->peer_host));
	for (const struct engine_sess *s = cc->sessions; s; s = s->next)
		i->sessions += s->state != SESS_DEAD;
	i->tx_msgs = cc->rd.stats.tx_msgs;
	i->rx_msgs = cc->rd.stats.rx_msgs;
	i->retransmits = cc->rd.stats.retransmits;
	i->srtt_ms = cc->rd.stats.srtt_ms;
	i->rx_auth_failures = cc->stats.rx_auth_failures;
	i->auth_failed = cc->auth_failed;
	i->result = cc->result;
	memcpy(i->reason, cc->reason, sizeof(i->reason));
}

unsigned int engine_peer_connections(const struct engine *e, int index)
{
	unsigned int n = 0;

	for (const struct engine_cc *cc = e->ccs; cc; cc = cc->next)
		n += cc->state != CC_DEAD && cc->state != CC_CLOSING &&
		     !cc->busy && cc->cfg.index == index;
	return n;
}

const char *engine_cc_state_name(enum engine_cc_state s)
{
	static const char *const n[] = {
		[CC_IDLE] = "idle",
		[CC_WAIT_CTL_REPLY] = "wait-ctl-reply",
		[CC_WAIT_CTL_CONN] = "wait-ctl-conn",
		[CC_ESTABLISHED] = "established",
		[CC_CLOSING] = "closing",
		[CC_DEAD] = "dead",
	};

	return s <= CC_DEAD ? n[s] : "?";
}
