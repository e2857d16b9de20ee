// SPDX-License-Identifier: GPL-2.0
/*
 * Protocol engine: demultiplexing, transmission, a control connection's
 * life cycle and the timers.  The connection state machine is in
 * engine-cc.c, its authentication and tie breaking in engine-auth.c,
 * sessions in session.c, what the daemon may read in engine-info.c.  See
 * engine.h.
 */
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "auth.h"
#include "engine_int.h"

/* Time a control connection may take to get established. */
#define CC_SETUP_MS	60000

/* ---- small helpers --------------------------------------------------- */

void eng_log(struct engine *eng, int level, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!eng->ops->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	eng->ops->log(eng->ctx, level, line);
}

bool engine_addr_same_host(const struct engine_addr *a,
			   const struct engine_addr *b)
{
	if (a->ss.ss_family != b->ss.ss_family)
		return false;
	if (a->ss.ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)&a->ss;
		const struct sockaddr_in *y = (const void *)&b->ss;

		return x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)&a->ss;
		const struct sockaddr_in6 *y = (const void *)&b->ss;

		return !memcmp(&x->sin6_addr, &y->sin6_addr,
			       sizeof(x->sin6_addr));
	}
	return a->len == b->len && !memcmp(&a->ss, &b->ss, a->len);
}

static uint16_t addr_port(const struct engine_addr *a)
{
	if (a->ss.ss_family == AF_INET)
		return ((const struct sockaddr_in *)(const void *)&a->ss)->sin_port;
	if (a->ss.ss_family == AF_INET6)
		return ((const struct sockaddr_in6 *)(const void *)&a->ss)->sin6_port;
	return 0;
}

bool engine_addr_equal(const struct engine_addr *a,
		       const struct engine_addr *b)
{
	return engine_addr_same_host(a, b) && addr_port(a) == addr_port(b);
}

void engine_peer_cfg_default(struct engine_peer_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->index = -1;
	c->version = 3;
	c->digest_type = L2TP_DIGEST_HMAC_MD5;
	c->tie_breaker = true;
	c->hello_ms = 60000;
	rd_config_default(&c->rd);
}

void eng_peer_result(const struct l2tp_msg *m, struct l2tp_result *r,
		     char *why, size_t len)
{
	memset(r, 0, sizeof(*r));
	l2tp_msg_result(m, r);
	snprintf(why, len, "peer sent %s: %s%s%.*s",
		 l2tp_msg_type_name(m->type), l2tp_result_name(m->type, r->result),
		 r->text_len ? ": " : "", (int)r->text_len,
		 r->text ? (const char *)r->text : "");
}

uint32_t eng_random_id(bool v2)
{
	uint32_t v = 0;

	while (!v) {
		if (l2tp_random(&v, sizeof(v)))
			v = (uint32_t)rand();
		if (v2)
			v &= 0xffff;
	}
	return v;
}

static struct engine_cc *find_cc(struct engine *eng, uint8_t ver,
				 uint32_t id)
{
	for (struct engine_cc *cc = eng->ccs; cc; cc = cc->next)
		if (cc->local_id == id && cc->ver == ver && cc->state != CC_DEAD)
			return cc;
	return NULL;
}

static uint32_t alloc_cc_id(struct engine *eng, bool v2)
{
	for (;;) {
		uint32_t id = eng_random_id(v2);
		bool used = false;

		for (struct engine_cc *cc = eng->ccs; cc; cc = cc->next)
			used |= cc->local_id == id;
		if (!used)
			return id;
	}
}

/* ---- transmission ----------------------------------------------------- */

static size_t hdr_off(const struct engine_cc *cc)
{
	return cc->ip ? L2TP_IP_SID_LEN : 0;
}

/* Sign (if digests are on) and hand a stamped datagram to the daemon. */
static void cc_emit(struct engine_cc *cc, uint8_t *buf, size_t len)
{
	if (cc->ver == 3 && cc->cfg.digest) {
		size_t h = hdr_off(cc);
		int doff = (int)(h + L2TP_CTRL_HDR_LEN + 8);
		uint16_t type = len >= h + L2TP_CTRL_HDR_LEN + 8 ?
				get_be16(buf + h + L2TP_CTRL_HDR_LEN + 6) : 0;
		bool nonces = type != L2TP_MSG_SCCRQ && cc->peer_nonce_len &&
			      cc->nonce_sent;

		if (l2tp_msg_sign(buf, len, cc->ip, doff, cc->key,
				  nonces ? cc->nonce : NULL, sizeof(cc->nonce),
				  nonces ? cc->peer_nonce : NULL,
				  cc->peer_nonce_len)) {
			eng_log(cc->eng, LOG_ERR, "%s: cannot sign message",
				cc->cfg.name);
			return;
		}
	}
	cc->eng->ops->send(cc->eng->ctx, cc, buf, len);
}

static void rd_xmit(void *ctx, const uint8_t *buf, size_t len, uint16_t ns,
		    uint16_t nr, bool again)
{
	struct engine_cc *cc = ctx;
	uint8_t tmp[L2TP_MSG_MAX + L2TP_IP_SID_LEN];

	(void)again;
	if (len > sizeof(tmp))
		return;
	memcpy(tmp, buf, len);
	l2tp_msg_set_seq(tmp, cc->ip, ns, nr);
	cc_emit(cc, tmp, len);
}

static void rd_ack(void *ctx, uint16_t ns, uint16_t nr)
{
	struct engine_cc *cc = ctx;
	uint8_t tmp[64];
	struct l2tp_builder b;
	int len;

	l2tp_build_init(&b, tmp, sizeof(tmp), cc->ver, cc->ip, cc->peer_id, 0);
	if (cc->ver == 3 && cc->cfg.digest) {
		/* A ZLB cannot carry a digest: explicit ACK instead. */
		l2tp_build_msgtype(&b, L2TP_MSG_ACK);
		l2tp_build_digest(&b, cc->cfg.digest_type);
	}
	len = l2tp_build_finish(&b);
	if (len < 0)
		return;
	l2tp_msg_set_seq(tmp, cc->ip, ns, nr);
	cc_emit(cc, tmp, (size_t)len);
}

static const struct rd_ops cc_rd_ops = { rd_xmit, rd_ack };

uint16_t eng_hide(const struct engine_cc *cc)
{
	return cc->cfg.hide && cc->cfg.secret_len ? L2TP_AVP_F_H : 0;
}

void eng_msg_start(struct engine_cc *cc, struct l2tp_builder *b,
		   uint16_t type, uint16_t v2_sess)
{
	uint32_t conn = type == L2TP_MSG_SCCRQ ? 0 : cc->peer_id;

	l2tp_build_init(b, cc->eng->buf, sizeof(cc->eng->buf), cc->ver,
			cc->ip, conn, v2_sess);
	if (cc->cfg.secret_len)
		l2tp_build_set_secret(b, cc->cfg.secret, cc->cfg.secret_len,
				      0);
	l2tp_build_msgtype(b, type);
	if (cc->ver == 3 && cc->cfg.digest)
		l2tp_build_digest(b, cc->cfg.digest_type);
}

int eng_msg_send(struct engine_cc *cc, uint64_t now, struct l2tp_builder *b)
{
	int len = l2tp_build_finish(b);

	if (len < 0) {
		eng_log(cc->eng, LOG_ERR, "%s: message does not fit",
			cc->cfg.name);
		return -1;
	}
	if (rd_send(&cc->rd, now, cc->eng->buf, (size_t)len) < 0) {
		eng_log(cc->eng, LOG_ERR,
			"%s: cannot queue message (queue full or failed)",
			cc->cfg.name);
		return -1;
	}
	cc->stats.tx_msgs++;
	return 0;
}

/* ---- connection life cycle -------------------------------------------- */

struct engine_cc *eng_cc_new(struct engine *eng, uint64_t now,
			     const struct engine_peer_cfg *cfg, uint8_t ver,
			     bool ip, void *transport,
			     const struct engine_addr *addr)
{
	struct engine_cc *cc = calloc(1, sizeof(*cc));

	if (!cc)
		return NULL;
	cc->eng = eng;
	cc->cfg = *cfg;
	cc->ver = ver;
	cc->ip = ip;
	cc->transport = transport;
	cc->addr = *addr;
	cc->local_id = alloc_cc_id(eng, ver == 2);
	cc->state = CC_IDLE;
	cc->last_rx = now;
	cc->hello_deadline = RD_NEVER;
	cc->setup_deadline = now + CC_SETUP_MS;
	rd_init(&cc->rd, &cc->cfg.rd, &cc_rd_ops, cc);
	if (cfg->secret_len && l2tp_shared_key(cfg->secret, cfg->secret_len,
					       cc->key)) {
		free(cc);
		return NULL;
	}
	if (l2tp_random(cc->nonce, sizeof(cc->nonce))) {
		free(cc);
		return NULL;
	}
	cc->next = eng->ccs;
	eng->ccs = cc;
	return cc;
}

/*
 * ENGINE_DOWN goes, once, to the daemon for every connection it knows:
 * opened with engine_connect, reported up, or given a cc->user (its
 * socket) on the way, even if it never came up.
 */
void eng_cc_announce_down(struct engine_cc *cc)
{
	if ((cc->announced || cc->user) && !cc->down_reported &&
	    cc->eng->ops->cc_event) {
		cc->down_reported = true;
		cc->eng->ops->cc_event(cc->eng->ctx, cc, ENGINE_DOWN);
	}
	cc->announced = false;
	cc->up_reported = false;
}

/* Everything on the connection goes down without a word to the peer. */
void eng_cc_sessions_down(struct engine_cc *cc, uint64_t now,
			  uint16_t result, const char *why)
{
	for (struct engine_sess *s = cc->sessions; s; s = s->next)
		sess_down(s, now, result, -1, why, false);
}

void eng_cc_set_reason(struct engine_cc *cc, uint16_t result,
		       uint16_t error, const char *why)
{
	cc->result = result;
	cc->error = error;
	snprintf(cc->reason, sizeof(cc->reason), "%s", why ? why : "");
}

void eng_cc_close(struct engine_cc *cc, uint64_t now, uint16_t result,
		  uint16_t error, const char *why)
{
	struct l2tp_builder b;

	if (cc->state == CC_CLOSING || cc->state == CC_DEAD)
		return;
	eng_log(cc->eng, result == L2TP_STOPCCN_RC_CLEAR ? LOG_INFO : LOG_WARNING,
		"%s: clearing control connection %u/%u: %s (result %u, error %u)",
		cc->cfg.name, cc->local_id, cc->peer_id, why ? why : "",
		result, error);
	eng_cc_set_reason(cc, result, error, why);
	if (result == L2TP_STOPCCN_RC_NOT_AUTHORIZED)
		cc->auth_failed = true;
	eng_cc_sessions_down(cc, now, L2TP_CDN_RC_ADMIN, "control connection cleared");
	if (!cc->peer_id) {
		/* The peer never told us its id: nothing to address. */
		eng_cc_announce_down(cc);
		cc->state = CC_DEAD;
		return;
	}
	{
		eng_msg_start(cc, &b, L2TP_MSG_STOPCCN, 0);
		if (cc->ver == 2)
			l2tp_build_u16(&b, L2TP_AVP_ASSIGNED_TUNNEL_ID,
				       L2TP_AVP_F_M | eng_hide(cc),
				       (uint16_t)cc->local_id);
		else
			l2tp_build_u32(&b, L2TP_AVP_ASSIGNED_CCID,
				       L2TP_AVP_F_M | eng_hide(cc),
				       cc->local_id);
		l2tp_build_result(&b, result, error, why);
		eng_msg_send(cc, now, &b);
	}
	cc->state = CC_CLOSING;
	cc->hello_deadline = RD_NEVER;
	cc->setup_deadline = RD_NEVER;
	rd_linger(&cc->rd, now);
	eng_cc_announce_down(cc);
}

void engine_cc_close(struct engine_cc *cc, uint64_t now, uint16_t result,
		     const char *why)
{
	eng_cc_close(cc, now, result, 0, why ? why : "administrative close");
}

/* Retries exhausted or linger over: gone without a StopCCN. */
static void cc_kill(struct engine_cc *cc, uint64_t now, const char *why)
{
	if (cc->state == CC_DEAD)
		return;
	if (cc->state != CC_CLOSING) {
		eng_log(cc->eng, LOG_WARNING, "%s: control connection %u/%u lost: %s",
			cc->cfg.name, cc->local_id, cc->peer_id, why);
		eng_cc_set_reason(cc, L2TP_STOPCCN_RC_FSM_ERROR, 0, why);
		eng_cc_sessions_down(cc, now, L2TP_CDN_RC_LOST_CARRIER, why);
		eng_cc_announce_down(cc);
	}
	cc->state = CC_DEAD;
}

void eng_cc_up(struct engine_cc *cc, uint64_t now)
{
	cc->state = CC_ESTABLISHED;
	cc->setup_deadline = RD_NEVER;
	eng_log(cc->eng, LOG_INFO,
		"%s: control connection %u/%u established (L2TPv%u, peer \"%s\")",
		cc->cfg.name, cc->local_id, cc->peer_id, cc->ver,
		cc->peer_host);
	cc->up_reported = true;
	cc->was_up = true;
	cc->announced = true;
	if (cc->eng->ops->cc_event)
		cc->eng->ops->cc_event(cc->eng->ctx, cc, ENGINE_UP);
	eng_hello_reset(cc, now);
	for (struct engine_sess *s = cc->sessions; s; s = s->next)
		if (s->state == SESS_WAIT_CTL_CONN)
			sess_start_or_defer(s, now);
}

void eng_hello_reset(struct engine_cc *cc, uint64_t now)
{
	uint32_t jitter = 0;

	if (cc->state != CC_ESTABLISHED || !cc->cfg.hello_ms) {
		cc->hello_deadline = RD_NEVER;
		return;
	}
	/* Up to 1/8 of the interval, so that many connections spread. */
	if (cc->cfg.hello_ms >= 8) {
		l2tp_random(&jitter, sizeof(jitter));
		jitter %= cc->cfg.hello_ms / 8;
	}
	cc->hello_deadline = now + cc->cfg.hello_ms + jitter;
}

void eng_reap(struct engine *eng)
{
	struct engine_cc **pcc = &eng->ccs;

	while (*pcc) {
		struct engine_cc *cc = *pcc;
		struct engine_sess **ps = &cc->sessions;

		while (*ps) {
			struct engine_sess *s = *ps;

			if (s->state == SESS_DEAD || cc->state == CC_DEAD) {
				*ps = s->next;
				free(s);
			} else {
				ps = &s->next;
			}
		}
		if (cc->state == CC_DEAD) {
			*pcc = cc->next;
			if (eng->ops->cc_release)
				eng->ops->cc_release(eng->ctx, cc);
			rd_free(&cc->rd);
			free(cc);
		} else {
			pcc = &cc->next;
		}
	}
}

/* ---- demultiplexing ---------------------------------------------------- */

int eng_parse(struct engine *eng, const uint8_t *buf, size_t len, bool ip,
	      const struct engine_peer_cfg *cfg, struct l2tp_perr *err)
{
	struct l2tp_parse_opts o = { .ip = ip };

	if (cfg && cfg->secret_len) {
		o.secret = cfg->secret;
		o.secret_len = cfg->secret_len;
	}
	return l2tp_msg_parse(&eng->msg, buf, len, &o, err);
}

/*
 * eng->msg holds buf parsed without a secret: parse it again with cfg's
 * only if that can change anything (it has hidden AVPs, cfg a secret).
 */
static void reparse_hidden(struct engine *eng, const uint8_t *buf,
			   size_t len, bool ip,
			   const struct engine_peer_cfg *cfg,
			   struct l2tp_perr *err)
{
	if (cfg->secret_len && l2tp_msg_has_hidden(&eng->msg))
		eng_parse(eng, buf, len, ip, cfg, err);
}

/*
 * Too many connections the peers opened are pending (not established)?
 * Then a new SCCRQ gets no state and no answer: bounded memory and work
 * under an SCCRQ flood.  A real peer retransmits and gets in later.
 */
static bool eng_overloaded(struct engine *eng, uint64_t now)
{
	unsigned int max = eng->cfg.max_pending ? eng->cfg.max_pending :
			   ENGINE_MAX_PENDING_DEFAULT, n = 0;

	for (const struct engine_cc *cc = eng->ccs; cc; cc = cc->next)
		n += !cc->initiator && !cc->was_up && cc->state != CC_DEAD;
	if (n < max)
		return false;
	eng->stats.rx_overload++;
	if (!eng->overload_logged || now - eng->overload_logged >= 1000) {
		eng->overload_logged = now;
		eng_log(eng, LOG_WARNING,
			"%u control connections pending (max-pending): SCCRQ dropped, %llu so far",
			n, (unsigned long long)eng->stats.rx_overload);
	}
	return true;
}

/*
 * An SCCRQ for no connection of ours: m holds it parsed without a secret
 * (err), enough to learn the peer's Host Name and ask who it is.
 */
static void on_new_sccrq(struct engine *eng, uint64_t now, void *transport,
			 bool ip, const struct engine_addr *addr,
			 const uint8_t *buf, size_t len, struct l2tp_perr *err)
{
	struct l2tp_msg *m = &eng->msg;
	struct engine_peer_cfg cfg;
	char host[ENGINE_NAME_MAX] = "";
	const uint8_t *h;
	size_t hl = 0;
	uint32_t peer_id = 0;
	uint16_t id16;
	uint8_t ver;
	bool authorized, busy = false;
	struct engine_cc *cc;
	int lookup = -1;

	ver = m->ver;
	if (ver == 2 && l2tp_msg_has(m, L2TP_AVP_ASSIGNED_CCID))
		ver = 3;	/* L2TPv3 SCCRQ with a v2 header (4.7.3) */
	h = l2tp_msg_bytes(m, L2TP_AVP_HOST_NAME, &hl);
	if (h)
		snprintf(host, sizeof(host), "%.*s", (int)hl, (const char *)h);
	engine_peer_cfg_default(&cfg);
	if (eng->ops->peer_lookup)
		lookup = eng->ops->peer_lookup(eng->ctx, addr, ver, host, &cfg);
	authorized = lookup == 0;
	if (lookup > 0)
		busy = true;	/* cfg is the peer's: its secret, its name */
	else if (!authorized)
		snprintf(cfg.name, sizeof(cfg.name), "unknown peer");

	/* With the secret, hidden AVPs can be read. */
	reparse_hidden(eng, buf, len, ip, &cfg, err);
	if (ver == 3 && l2tp_msg_u32(m, L2TP_AVP_ASSIGNED_CCID, &peer_id))
		;
	else if (ver == 2 && l2tp_msg_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &id16))
		peer_id = id16;

	/* A retransmission of an SCCRQ we already have a connection for. */
	for (cc = eng->ccs; cc; cc = cc->next) {
		if (cc->state != CC_DEAD && !cc->initiator && peer_id &&
		    cc->peer_id == peer_id && cc->ver == ver && cc->ip == ip &&
		    engine_addr_equal(&cc->addr, addr)) {
			if (cc->cfg.secret_len != cfg.secret_len ||
			    memcmp(cc->cfg.secret, cfg.secret, cfg.secret_len))
				eng_parse(eng, buf, len, ip, &cc->cfg, err);
			eng_cc_receive(cc, now, buf, len, err, true);
			return;
		}
	}
	if (eng_overloaded(eng, now))
		return;
	if (!peer_id) {
		eng->stats.rx_discarded++;
		eng_log(eng, LOG_WARNING,
			"SCCRQ without a readable Assigned %s ID, dropped",
			ver == 3 ? "Control Connection" : "Tunnel");
		return;
	}
	if (!authorized && !busy)
		eng_log(eng, LOG_WARNING,
			"SCCRQ from unconfigured peer \"%s\": refusing", host);
	cc = eng_cc_new(eng, now, &cfg, ver, ip, transport, addr);
	if (!cc)
		return;
	cc->busy = busy;
	cc->peer_id = peer_id;
	/* Ns should start at 0; take the peer's first message whatever. */
	rd_set_seq(&cc->rd, 0, m->ns);
	eng_cc_receive(cc, now, buf, len, err, authorized);
	if (cc->state == CC_IDLE) {
		/* Not taken in (bad Nr, say): no state for it. */
		eng->stats.rx_discarded++;
		cc->state = CC_DEAD;
	}
}

void engine_input(struct engine *eng, uint64_t now, void *transport, bool ip,
		  const struct engine_addr *addr, const uint8_t *buf,
		  size_t len)
{
	struct l2tp_msg *m = &eng->msg;
	struct l2tp_perr err;
	struct engine_cc *cc;
	uint8_t ver;

	/*
	 * Parsed once, here, without a secret: again (reparse_hidden)
	 * only if it has hidden AVPs and its connection has the secret.
	 */
	eng->stats.rx_datagrams++;
	if (eng_parse(eng, buf, len, ip, NULL, &err) < 0 &&
	    err.scope == L2TP_PERR_DISCARD) {
		eng->stats.rx_discarded++;
		eng_log(eng, LOG_DEBUG, "datagram dropped: %s", err.text);
		return;
	}
	if (m->conn_id == 0) {
		if (m->type == L2TP_MSG_SCCRQ)
			on_new_sccrq(eng, now, transport, ip, addr, buf, len,
				     &err);
		else
			eng->stats.rx_no_conn++;
		eng_reap(eng);
		return;
	}
	ver = m->ver;
	cc = find_cc(eng, ver, m->conn_id);
	if (!cc && ver == 2)	/* v3 peers may reply with a v2 header */
		cc = find_cc(eng, 3, m->conn_id);
	if (!cc || cc->ip != ip || !engine_addr_same_host(&cc->addr, addr)) {
		eng->stats.rx_no_conn++;
		eng_log(eng, LOG_DEBUG, "message for unknown connection %u",
			m->conn_id);
		return;
	}
	if (!engine_addr_equal(&cc->addr, addr)) {
		/* The responder may answer from another port (RFC 3931
		 * 4.1.2.2); from then on both stick to the pair. */
		if (cc->state == CC_WAIT_CTL_REPLY && m->type == L2TP_MSG_SCCRP) {
			cc->addr = *addr;
		} else {
			cc->stats.rx_discarded++;
			return;
		}
	}
	reparse_hidden(eng, buf, len, ip, &cc->cfg, &err);
	eng_cc_receive(cc, now, buf, len, &err, true);
	eng_reap(eng);
}

/* ---- timers ------------------------------------------------------------ */

void engine_tick(struct engine *eng, uint64_t now)
{
	for (struct engine_cc *cc = eng->ccs; cc; cc = cc->next) {
		enum rd_tick_result r;

		if (cc->state == CC_DEAD)
			continue;
		r = rd_tick(&cc->rd, now);
		if (r == RD_TICK_FAILED) {
			cc_kill(cc, now, "peer not responding (retransmissions exhausted)");
			continue;
		}
		if (r == RD_TICK_LINGER_DONE) {
			cc->state = CC_DEAD;
			continue;
		}
		if (now >= cc->setup_deadline && cc->state != CC_CLOSING) {
			cc->setup_deadline = RD_NEVER;
			eng_cc_close(cc, now, L2TP_STOPCCN_RC_FSM_ERROR, 0,
				     "control connection setup timed out");
			continue;
		}
		if (cc->state == CC_ESTABLISHED && now >= cc->hello_deadline) {
			struct l2tp_builder b;

			if (rd_idle(&cc->rd)) {
				eng_msg_start(cc, &b, L2TP_MSG_HELLO, 0);
				eng_msg_send(cc, now, &b);
			}
			cc->hello_deadline = RD_NEVER;
			eng_hello_reset(cc, now);
		}
		sess_tick(cc, now);
	}
	eng_reap(eng);
}

uint64_t engine_next_deadline(const struct engine *eng)
{
	uint64_t d = RD_NEVER;

	for (const struct engine_cc *cc = eng->ccs; cc; cc = cc->next) {
		uint64_t x = rd_next_deadline(&cc->rd);

		if (x < d)
			d = x;
		if (cc->state == CC_ESTABLISHED && cc->hello_deadline < d)
			d = cc->hello_deadline;
		if (cc->state != CC_CLOSING && cc->state != CC_DEAD &&
		    cc->setup_deadline < d)
			d = cc->setup_deadline;
		x = sess_next_deadline(cc);
		if (x < d)
			d = x;
	}
	return d;
}

struct engine *engine_new(const struct engine_cfg *cfg,
			  const struct engine_ops *ops, void *ctx)
{
	struct engine *eng = calloc(1, sizeof(*eng));

	if (!eng)
		return NULL;
	eng->cfg = *cfg;
	if (eng->cfg.n_pw_caps > ENGINE_PW_CAPS_MAX)
		eng->cfg.n_pw_caps = ENGINE_PW_CAPS_MAX;
	eng->ops = ops;
	eng->ctx = ctx;
	return eng;
}

void engine_free(struct engine *eng)
{
	if (!eng)
		return;
	for (struct engine_cc *cc = eng->ccs; cc; cc = cc->next)
		cc->state = CC_DEAD;
	eng_reap(eng);
	free(eng);
}
