// SPDX-License-Identifier: GPL-2.0
/*
 * Protocol engine: demultiplexing, authentication, and the control
 * connection state machine (RFC 3931 7.3, RFC 2661 7.2).  Sessions are in
 * session.c.  See engine.h.
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

struct engine_cc *eng_find_cc(struct engine *eng, uint8_t ver, uint32_t id)
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

static struct engine_cc *cc_new(struct engine *eng, uint64_t now,
				const struct engine_peer_cfg *cfg,
				uint8_t ver, bool ip, void *transport,
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
static void cc_announce_down(struct engine_cc *cc)
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
static void cc_sessions_down(struct engine_cc *cc, uint64_t now,
			     uint16_t result, const char *why)
{
	for (struct engine_sess *s = cc->sessions; s; s = s->next)
		sess_down(s, now, result, -1, why, false);
}

static void cc_set_reason(struct engine_cc *cc, uint16_t result,
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
	cc_set_reason(cc, result, error, why);
	if (result == L2TP_STOPCCN_RC_NOT_AUTHORIZED)
		cc->auth_failed = true;
	cc_sessions_down(cc, now, L2TP_CDN_RC_ADMIN, "control connection cleared");
	if (!cc->peer_id) {
		/* The peer never told us its id: nothing to address. */
		cc_announce_down(cc);
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
	cc_announce_down(cc);
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
		cc_set_reason(cc, L2TP_STOPCCN_RC_FSM_ERROR, 0, why);
		cc_sessions_down(cc, now, L2TP_CDN_RC_LOST_CARRIER, why);
		cc_announce_down(cc);
	}
	cc->state = CC_DEAD;
}

static void cc_up(struct engine_cc *cc, uint64_t now)
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

/* ---- control connection messages ------------------------------------- */

static void add_cc_avps(struct engine_cc *cc, struct l2tp_builder *b)
{
	struct engine *eng = cc->eng;

	l2tp_build_str(b, L2TP_AVP_HOST_NAME, L2TP_AVP_F_M,
		       eng->cfg.host_name);
	if (cc->ver == 2) {
		l2tp_build_avp(b, 0, L2TP_AVP_PROTO_VERSION, L2TP_AVP_F_M,
			       "\x01\x00", 2);
		l2tp_build_u32(b, L2TP_AVP_FRAMING_CAPS, L2TP_AVP_F_M,
			       L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC);
		l2tp_build_u32(b, L2TP_AVP_BEARER_CAPS, L2TP_AVP_F_M, 0);
		l2tp_build_u16(b, L2TP_AVP_ASSIGNED_TUNNEL_ID,
			       L2TP_AVP_F_M | eng_hide(cc),
			       (uint16_t)cc->local_id);
	} else {
		uint8_t caps[2 * ENGINE_PW_CAPS_MAX];

		for (unsigned int i = 0; i < eng->cfg.n_pw_caps; i++)
			put_be16(caps + 2 * i, eng->cfg.pw_caps[i]);
		l2tp_build_u32(b, L2TP_AVP_ROUTER_ID, L2TP_AVP_F_M,
			       eng->cfg.router_id);
		l2tp_build_u32(b, L2TP_AVP_ASSIGNED_CCID,
			       L2TP_AVP_F_M | eng_hide(cc), cc->local_id);
		l2tp_build_avp(b, 0, L2TP_AVP_PW_CAPS, L2TP_AVP_F_M, caps,
			       2 * eng->cfg.n_pw_caps);
		if (cc->cfg.digest) {
			l2tp_build_avp(b, 0, L2TP_AVP_NONCE, L2TP_AVP_F_M,
				       cc->nonce, sizeof(cc->nonce));
			/* From now on digests cover both nonces. */
			cc->nonce_sent = true;
		}
	}
	l2tp_build_u16(b, L2TP_AVP_RECV_WINDOW, L2TP_AVP_F_M, cc->rd.cfg.rwin);
	l2tp_build_u16(b, L2TP_AVP_FIRMWARE_REV, 0, 0x0100);
	if (eng->cfg.vendor_name[0])
		l2tp_build_str(b, L2TP_AVP_VENDOR_NAME, 0, eng->cfg.vendor_name);
}

static int add_challenge(struct engine_cc *cc, struct l2tp_builder *b)
{
	if (!cc->cfg.challenge || !cc->cfg.secret_len)
		return 0;
	if (l2tp_random(cc->chal, sizeof(cc->chal)))
		return -1;
	cc->chal_sent = true;
	l2tp_build_avp(b, 0, L2TP_AVP_CHALLENGE, L2TP_AVP_F_M, cc->chal,
		       sizeof(cc->chal));
	return 0;
}

/* Answer a Challenge AVP of m; id is our message type (2 or 3). */
static int add_response(struct engine_cc *cc, const struct l2tp_msg *m,
			struct l2tp_builder *b, uint8_t id)
{
	const uint8_t *chal;
	uint8_t resp[16];
	size_t len = 0;

	chal = l2tp_msg_bytes(m, L2TP_AVP_CHALLENGE, &len);
	if (!chal)
		return 0;
	if (!cc->cfg.secret_len)
		return -1;
	if (l2tp_chap_response(id, cc->cfg.secret, cc->cfg.secret_len, chal,
			       len, resp))
		return -1;
	l2tp_build_avp(b, 0, L2TP_AVP_CHALLENGE_RESP, L2TP_AVP_F_M | eng_hide(cc),
		       resp, sizeof(resp));
	return 0;
}

/* Check the peer's Challenge Response to our challenge (id 2 or 3). */
static bool response_ok(struct engine_cc *cc, const struct l2tp_msg *m,
			uint8_t id)
{
	const uint8_t *r;
	uint8_t want[16];
	size_t len = 0;

	if (!cc->chal_sent)
		return true;
	r = l2tp_msg_bytes(m, L2TP_AVP_CHALLENGE_RESP, &len);
	if (!r || len != 16)
		return false;
	if (l2tp_chap_response(id, cc->cfg.secret, cc->cfg.secret_len,
			       cc->chal, sizeof(cc->chal), want))
		return false;
	return l2tp_mem_equal(r, want, 16);
}

/* Remember what the peer says about itself (SCCRQ / SCCRP). */
static void take_peer_info(struct engine_cc *cc, const struct l2tp_msg *m)
{
	const uint8_t *p;
	size_t len = 0;
	uint16_t w;
	uint32_t id;

	p = l2tp_msg_bytes(m, L2TP_AVP_HOST_NAME, &len);
	if (p)
		snprintf(cc->peer_host, sizeof(cc->peer_host), "%.*s",
			 (int)len, (const char *)p);
	p = l2tp_msg_bytes(m, L2TP_AVP_VENDOR_NAME, &len);
	if (p)
		snprintf(cc->peer_vendor, sizeof(cc->peer_vendor), "%.*s",
			 (int)len, (const char *)p);
	if (l2tp_msg_u32(m, L2TP_AVP_ROUTER_ID, &id))
		cc->peer_router_id = id;
	p = l2tp_msg_bytes(m, L2TP_AVP_PW_CAPS, &len);
	cc->n_peer_caps = 0;
	for (size_t i = 0; p && i + 1 < len &&
	     cc->n_peer_caps < ENGINE_PW_CAPS_MAX; i += 2)
		cc->peer_caps[cc->n_peer_caps++] = get_be16(p + i);
	cc->peer_rwin = 4;
	if (l2tp_msg_u16(m, L2TP_AVP_RECV_WINDOW, &w)) {
		cc->peer_rwin = w;
		rd_set_peer_window(&cc->rd, w);
	}
	if (cc->ver == 2) {
		if (l2tp_msg_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &w))
			cc->peer_id = w;
	} else if (l2tp_msg_u32(m, L2TP_AVP_ASSIGNED_CCID, &id)) {
		cc->peer_id = id;
	}
}

static bool proto_version_ok(const struct engine_cc *cc,
			     const struct l2tp_msg *m)
{
	const uint8_t *v;
	size_t len = 0;

	if (cc->ver != 2)
		return true;
	v = l2tp_msg_bytes(m, L2TP_AVP_PROTO_VERSION, &len);
	return v && len == 2 && v[0] == 1 && v[1] == 0;
}

struct engine_cc *engine_connect(struct engine *eng, uint64_t now,
				 const struct engine_peer_cfg *cfg,
				 void *transport,
				 const struct engine_addr *addr)
{
	struct l2tp_builder b;
	struct engine_cc *cc;

	cc = cc_new(eng, now, cfg, cfg->version,
		    cfg->version == 3 && cfg->ip_encap, transport, addr);
	if (!cc)
		return NULL;
	cc->initiator = true;
	cc->announced = true;
	if (cfg->tie_breaker && l2tp_random(cc->tie, sizeof(cc->tie)) == 0)
		cc->has_tie = true;

	eng_msg_start(cc, &b, L2TP_MSG_SCCRQ, 0);
	add_cc_avps(cc, &b);
	/* M clear: a peer without tie breaking (xl2tpd) may ignore it. */
	if (cc->has_tie)
		l2tp_build_avp(&b, 0, L2TP_AVP_TIE_BREAKER, 0, cc->tie,
			       sizeof(cc->tie));
	if (add_challenge(cc, &b) || eng_msg_send(cc, now, &b)) {
		cc->state = CC_DEAD;
		cc->announced = false;
		eng_reap(eng);
		return NULL;
	}
	cc->state = CC_WAIT_CTL_REPLY;
	eng_log(eng, LOG_INFO, "%s: SCCRQ sent, control connection %u (L2TPv%u%s)",
		cfg->name, cc->local_id, cc->ver, cc->ip ? " over IP" : "");
	return cc;
}

/* Our own outstanding SCCRQ to the same peer, if any. */
static struct engine_cc *find_outstanding(struct engine *eng,
					  const struct engine_cc *cc)
{
	for (struct engine_cc *o = eng->ccs; o; o = o->next)
		if (o != cc && o->initiator && o->state == CC_WAIT_CTL_REPLY &&
		    o->ver == cc->ver && o->ip == cc->ip &&
		    engine_addr_same_host(&o->addr, &cc->addr))
			return o;
	return NULL;
}

/* The peer's connection won: ours goes, its sessions move over. */
static void yield_to(struct engine_cc *loser, struct engine_cc *winner,
		     uint64_t now)
{
	struct engine_sess **tail = &winner->sessions;

	while (*tail)
		tail = &(*tail)->next;
	*tail = loser->sessions;
	for (struct engine_sess *s = loser->sessions; s; s = s->next)
		s->cc = winner;
	loser->sessions = NULL;

	cc_set_reason(loser, L2TP_STOPCCN_RC_ALREADY_EXISTS, 0,
		      "lost the tie breaker");
	eng_log(loser->eng, LOG_INFO,
		"%s: lost the control connection tie breaker, using the peer's",
		loser->cfg.name);
	if (rd_idle(&loser->rd) && loser->peer_id) {
		/* The peer acknowledged our SCCRQ: clear it properly. */
		eng_cc_close(loser, now, L2TP_STOPCCN_RC_ALREADY_EXISTS, 0,
			     "lost the tie breaker");
		return;
	}
	/*
	 * RFC 3931 7.3: the winner sends a StopCCN for the losing connection.
	 * Linger without sending anything more (our SCCRQ is not
	 * retransmitted), so that this StopCCN is acknowledged at once and
	 * not retransmitted into a connection we would have forgotten.
	 */
	cc_announce_down(loser);
	rd_quiet(&loser->rd);
	loser->state = CC_CLOSING;
	loser->hello_deadline = RD_NEVER;
	loser->setup_deadline = RD_NEVER;
	rd_linger(&loser->rd, now);
}

static void on_sccrq(struct engine_cc *cc, uint64_t now,
		     const struct l2tp_msg *m, bool authorized)
{
	struct l2tp_builder b;
	struct engine_cc *other;
	const uint8_t *theirs;
	size_t tlen = 0;

	if (cc->state != CC_IDLE) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_FSM_ERROR, 0,
			     "SCCRQ on an existing control connection");
		return;
	}
	take_peer_info(cc, m);
	if (!authorized && cc->busy) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_GENERAL_ERROR,
			     L2TP_ERR_NO_RESOURCES,
			     "too many control connections from this peer");
		return;
	}
	if (!authorized) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_NOT_AUTHORIZED, 0,
			     "peer not configured");
		return;
	}
	if (cc->cfg.version != cc->ver || !proto_version_ok(cc, m)) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_BAD_VERSION, 0,
			     cc->cfg.version == 3 ? "only L2TPv3 is configured for this peer" :
			     "only L2TPv2 (1.0) is configured for this peer");
		return;
	}
	if (cc->ver == 3 && cc->cfg.digest && !cc->peer_nonce_len) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_NOT_AUTHORIZED, 0,
			     "no Control Message Authentication Nonce");
		return;
	}

	/* Control connection tie breaking (RFC 3931 5.4.3). */
	other = find_outstanding(cc->eng, cc);
	theirs = l2tp_msg_bytes(m, L2TP_AVP_TIE_BREAKER, &tlen);
	if (theirs && tlen != 8)
		theirs = NULL;
	if (other && (theirs || other->has_tie)) {
		int c = !theirs ? -1 : !other->has_tie ? 1 :
			memcmp(other->tie, theirs, 8);

		if (c < 0) {
			eng_cc_close(cc, now, L2TP_STOPCCN_RC_ALREADY_EXISTS, 0,
				     "peer lost the tie breaker");
			return;
		}
		if (c == 0) {
			/* Both discard and start over with new values. */
			cc_set_reason(other, L2TP_STOPCCN_RC_ALREADY_EXISTS, 0,
				      "equal tie breakers");
			eng_cc_close(other, now, L2TP_STOPCCN_RC_ALREADY_EXISTS,
				     0, "equal tie breakers");
			eng_cc_close(cc, now, L2TP_STOPCCN_RC_ALREADY_EXISTS, 0,
				     "equal tie breakers");
			return;
		}
		yield_to(other, cc, now);
	}

	eng_msg_start(cc, &b, L2TP_MSG_SCCRP, 0);
	add_cc_avps(cc, &b);
	if (add_response(cc, m, &b, L2TP_MSG_SCCRP)) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_NOT_AUTHORIZED, 0,
			     "challenged but no shared secret configured");
		return;
	}
	if (add_challenge(cc, &b) || eng_msg_send(cc, now, &b)) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_GENERAL_ERROR,
			     L2TP_ERR_NO_RESOURCES, "cannot send SCCRP");
		return;
	}
	cc->state = CC_WAIT_CTL_CONN;
}

static void on_sccrp(struct engine_cc *cc, uint64_t now,
		     const struct l2tp_msg *m)
{
	struct l2tp_builder b;

	if (cc->state != CC_WAIT_CTL_REPLY) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_FSM_ERROR, 0,
			     "unexpected SCCRP");
		return;
	}
	if (m->ver != cc->ver || !proto_version_ok(cc, m)) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_BAD_VERSION, 0,
			     "peer answered with another protocol version");
		return;
	}
	take_peer_info(cc, m);
	if (cc->ver == 3 && cc->cfg.digest && !cc->peer_nonce_len) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_NOT_AUTHORIZED, 0,
			     "no Control Message Authentication Nonce");
		return;
	}
	if (!response_ok(cc, m, L2TP_MSG_SCCRP)) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_NOT_AUTHORIZED, 0,
			     "wrong Challenge Response (shared secret mismatch?)");
		return;
	}
	eng_msg_start(cc, &b, L2TP_MSG_SCCCN, 0);
	if (add_response(cc, m, &b, L2TP_MSG_SCCCN)) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_NOT_AUTHORIZED, 0,
			     "challenged but no shared secret configured");
		return;
	}
	if (eng_msg_send(cc, now, &b)) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_GENERAL_ERROR,
			     L2TP_ERR_NO_RESOURCES, "cannot send SCCCN");
		return;
	}
	cc_up(cc, now);
}

static void on_scccn(struct engine_cc *cc, uint64_t now,
		     const struct l2tp_msg *m)
{
	if (cc->state != CC_WAIT_CTL_CONN) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_FSM_ERROR, 0,
			     "unexpected SCCCN");
		return;
	}
	if (!response_ok(cc, m, L2TP_MSG_SCCCN)) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_NOT_AUTHORIZED, 0,
			     "wrong Challenge Response (shared secret mismatch?)");
		return;
	}
	cc_up(cc, now);
}

static void on_stopccn(struct engine_cc *cc, uint64_t now,
		       const struct l2tp_msg *m)
{
	struct l2tp_result r = { 0 };
	char why[160];

	l2tp_msg_result(m, &r);
	snprintf(why, sizeof(why), "peer sent StopCCN: %s%s%.*s",
		 l2tp_result_name(L2TP_MSG_STOPCCN, r.result),
		 r.text_len ? ": " : "", (int)r.text_len,
		 r.text ? (const char *)r.text : "");
	eng_log(cc->eng, LOG_INFO, "%s: %s (result %u, error %u)",
		cc->cfg.name, why, r.result, r.error);
	cc_set_reason(cc, r.result, r.error, why);
	if (r.result == L2TP_STOPCCN_RC_NOT_AUTHORIZED)
		cc->auth_failed = true;
	/* Acknowledge now, keep state to acknowledge retransmissions. */
	rd_ack_now(&cc->rd, now);
	cc_sessions_down(cc, now, L2TP_CDN_RC_ADMIN, "control connection cleared");
	cc->state = CC_CLOSING;
	cc->hello_deadline = RD_NEVER;
	rd_linger(&cc->rd, now);
	cc_announce_down(cc);
}

/* One message delivered in order by rd, already authenticated. */
static void cc_handle(struct engine_cc *cc, uint64_t now, struct l2tp_msg *m,
		      const struct l2tp_perr *perr, bool authorized)
{
	struct l2tp_perr err = *perr;

	cc->stats.rx_msgs++;
	cc->stats.rx_ignored_avps += m->nignored;
	if (cc->state == CC_CLOSING || cc->state == CC_DEAD)
		return;
	if (err.scope == L2TP_PERR_IGNORE) {
		eng_log(cc->eng, LOG_DEBUG, "%s: %s", cc->cfg.name, err.text);
		return;
	}
	if (err.scope == L2TP_PERR_NONE)
		l2tp_msg_check_required(m, cc->ver, &err);
	if (err.scope == L2TP_PERR_CONN) {
		eng_cc_close(cc, now, err.result, err.error, err.text);
		return;
	}
	if (err.scope == L2TP_PERR_SESSION) {
		sess_input_error(cc, now, m, &err);
		return;
	}

	switch (m->type) {
	case L2TP_MSG_SCCRQ:
		on_sccrq(cc, now, m, authorized);
		break;
	case L2TP_MSG_SCCRP:
		on_sccrp(cc, now, m);
		break;
	case L2TP_MSG_SCCCN:
		on_scccn(cc, now, m);
		break;
	case L2TP_MSG_STOPCCN:
		on_stopccn(cc, now, m);
		break;
	case L2TP_MSG_HELLO:
		break;
	default:
		if (!l2tp_msg_type_is_session(m->type))
			break;
		if (cc->state != CC_ESTABLISHED) {
			eng_cc_close(cc, now, L2TP_STOPCCN_RC_FSM_ERROR, 0,
				     "session message before the control connection is up");
			break;
		}
		sess_input(cc, now, m);
		break;
	}
}

static int cc_parse(struct engine_cc *cc, const uint8_t *buf, size_t len,
		    struct l2tp_perr *err)
{
	struct l2tp_parse_opts o = {
		.ip = cc->ip,
		.secret = cc->cfg.secret_len ? cc->cfg.secret : NULL,
		.secret_len = cc->cfg.secret_len,
	};

	return l2tp_msg_parse(&cc->eng->msg, buf, len, &o, err);
}

/* What to do with a datagram whose Message Digest does not verify. */
enum auth_fail {
	AUTH_DROP,		/* drop it, count it */
	AUTH_REFUSE,		/* setup: refuse the peer (StopCCN 4) */
	AUTH_REFUSED,		/* a StopCCN answering our SCCRQ: refused */
};

/* Authenticate one datagram (RFC 3931 4.3).  Returns false to drop it. */
static bool cc_authentic(struct engine_cc *cc, const struct l2tp_msg *m,
			 const uint8_t *buf, size_t len, enum auth_fail *fail)
{
	const uint8_t *n;
	size_t nlen = 0;
	bool nonces;

	*fail = AUTH_DROP;
	if (cc->ver != 3 || !cc->cfg.digest)
		return true;
	/* The peer's nonce arrives in its SCCRQ or SCCRP. */
	if ((m->type == L2TP_MSG_SCCRQ || m->type == L2TP_MSG_SCCRP) &&
	    !cc->peer_nonce_len) {
		n = l2tp_msg_bytes(m, L2TP_AVP_NONCE, &nlen);
		if (n && nlen <= sizeof(cc->peer_nonce)) {
			memcpy(cc->peer_nonce, n, nlen);
			cc->peer_nonce_len = nlen;
		}
	}
	nonces = m->type != L2TP_MSG_SCCRQ && cc->peer_nonce_len &&
		 cc->nonce_sent;
	if (l2tp_msg_verify(m, buf, len, cc->key,
			    nonces ? cc->peer_nonce : NULL, cc->peer_nonce_len,
			    nonces ? cc->nonce : NULL, sizeof(cc->nonce)))
		return true;
	cc->stats.rx_auth_failures++;
	/* A bad digest during setup means a wrong secret: refuse. */
	if ((m->type == L2TP_MSG_SCCRQ && cc->state == CC_IDLE) ||
	    (m->type == L2TP_MSG_SCCRP && cc->state == CC_WAIT_CTL_REPLY))
		*fail = AUTH_REFUSE;
	/*
	 * The peer refused our SCCRQ with a StopCCN we cannot verify: it
	 * signed it with another secret (or refused us for not having one).
	 * Waiting for an SCCRP would only look like a dead peer.  It names
	 * our connection id, random and never sent but in our SCCRQ.
	 */
	else if (m->type == L2TP_MSG_STOPCCN && cc->initiator &&
		 cc->state == CC_WAIT_CTL_REPLY)
		*fail = AUTH_REFUSED;
	eng_log(cc->eng, *fail == AUTH_REFUSE ? LOG_ERR : LOG_DEBUG,
		"%s: %s with %s Message Digest%s", cc->cfg.name,
		l2tp_msg_type_name(m->type),
		m->digest_idx == 1 ? "a wrong" : "no",
		*fail == AUTH_REFUSE ? ": shared secret mismatch, refusing" :
		*fail == AUTH_REFUSED ? ": the peer refused us" : ", dropped");
	return false;
}

/* The peer's StopCCN for our SCCRQ does not verify: we are refused. */
static void cc_refused(struct engine_cc *cc, uint64_t now)
{
	cc_set_reason(cc, L2TP_STOPCCN_RC_NOT_AUTHORIZED, 0,
		      "peer rejected us or secrets differ (its StopCCN does not verify with our secret)");
	cc->auth_failed = true;
	rd_ack_now(&cc->rd, now);
	cc_sessions_down(cc, now, L2TP_CDN_RC_ADMIN, "control connection refused");
	cc->state = CC_CLOSING;
	cc->hello_deadline = RD_NEVER;
	cc->setup_deadline = RD_NEVER;
	rd_quiet(&cc->rd);
	rd_linger(&cc->rd, now);
	cc_announce_down(cc);
}

/*
 * A StopCCN names its sender's connection: so that our acknowledgement
 * reaches it even when we never learnt that id (our SCCRQ lost a tie, and
 * the winner clears the losing connection).
 */
static void stopccn_sender(struct engine_cc *cc, const struct l2tp_msg *m)
{
	uint16_t id16;
	uint32_t id;

	if (cc->ver == 3 && l2tp_msg_u32(m, L2TP_AVP_ASSIGNED_CCID, &id))
		cc->peer_id = id;
	else if (cc->ver == 2 &&
		 l2tp_msg_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &id16))
		cc->peer_id = id16;
}

void eng_cc_receive(struct engine_cc *cc, uint64_t now, const uint8_t *buf,
		    size_t len, bool authorized)
{
	struct l2tp_msg *m = &cc->eng->msg;
	struct l2tp_perr err;
	enum rd_input_result r;
	const uint8_t *p;
	enum auth_fail fail;
	size_t plen;

	if (cc_parse(cc, buf, len, &err) < 0 && err.scope == L2TP_PERR_DISCARD) {
		cc->stats.rx_discarded++;
		return;
	}
	if (!cc_authentic(cc, m, buf, len, &fail)) {
		if (fail == AUTH_REFUSED) {
			/* Taken in (Nr, the acknowledgement), then refused. */
			if (!cc->peer_id)
				stopccn_sender(cc, m);
			r = rd_input(&cc->rd, now, m->ns, m->nr, false, buf, len);
			if (r == RD_IN_BAD_NR)
				return;
			while (rd_pop(&cc->rd, &plen))
				;
			cc_refused(cc, now);
		}
		if (fail == AUTH_REFUSE) {
			/* Take it in (for Nr), then refuse the peer. */
			rd_input(&cc->rd, now, m->ns, m->nr, false, buf, len);
			while (rd_pop(&cc->rd, &plen))
				;
			if (cc->state == CC_IDLE)
				take_peer_info(cc, m);
			eng_cc_close(cc, now, L2TP_STOPCCN_RC_NOT_AUTHORIZED, 0,
				     "Message Digest does not verify (shared secret mismatch)");
		}
		return;
	}
	if (!cc->peer_id && m->type == L2TP_MSG_STOPCCN)
		stopccn_sender(cc, m);
	r = rd_input(&cc->rd, now, m->ns, m->nr,
		     m->zlb || (m->type == L2TP_MSG_ACK && !err.scope), buf, len);
	if (r == RD_IN_BAD_NR) {
		cc->stats.rx_discarded++;
		eng_log(cc->eng, LOG_DEBUG, "%s: Nr %u acknowledges unsent messages",
			cc->cfg.name, m->nr);
		return;
	}
	cc->last_rx = now;
	if (cc->state == CC_ESTABLISHED)
		eng_hello_reset(cc, now);
	while ((p = rd_pop(&cc->rd, &plen))) {
		int rc = cc_parse(cc, p, plen, &err);

		if (rc < 0 && err.scope == L2TP_PERR_DISCARD)
			continue;
		cc_handle(cc, now, m, &err, authorized);
	}
}

/* ---- demultiplexing ---------------------------------------------------- */

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

static void on_new_sccrq(struct engine *eng, uint64_t now, void *transport,
			 bool ip, const struct engine_addr *addr,
			 const uint8_t *buf, size_t len)
{
	struct l2tp_msg *m = &eng->msg;
	struct engine_peer_cfg cfg;
	struct l2tp_parse_opts o = { .ip = ip };
	struct l2tp_perr err;
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
	o.secret = cfg.secret_len ? cfg.secret : NULL;
	o.secret_len = cfg.secret_len;
	l2tp_msg_parse(m, buf, len, &o, &err);
	if (ver == 3 && l2tp_msg_u32(m, L2TP_AVP_ASSIGNED_CCID, &peer_id))
		;
	else if (ver == 2 && l2tp_msg_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &id16))
		peer_id = id16;

	/* A retransmission of an SCCRQ we already have a connection for. */
	for (cc = eng->ccs; cc; cc = cc->next) {
		if (cc->state != CC_DEAD && !cc->initiator && peer_id &&
		    cc->peer_id == peer_id && cc->ver == ver && cc->ip == ip &&
		    engine_addr_equal(&cc->addr, addr)) {
			eng_cc_receive(cc, now, buf, len, true);
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
	cc = cc_new(eng, now, &cfg, ver, ip, transport, addr);
	if (!cc)
		return;
	cc->busy = busy;
	cc->peer_id = peer_id;
	/* Ns should start at 0; take the peer's first message whatever. */
	rd_set_seq(&cc->rd, 0, m->ns);
	eng_cc_receive(cc, now, buf, len, authorized);
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
	struct l2tp_parse_opts o = { .ip = ip };
	struct l2tp_perr err;
	struct engine_cc *cc;
	uint8_t ver;

	eng->stats.rx_datagrams++;
	if (l2tp_msg_parse(m, buf, len, &o, &err) < 0 &&
	    err.scope == L2TP_PERR_DISCARD) {
		eng->stats.rx_discarded++;
		eng_log(eng, LOG_DEBUG, "datagram dropped: %s", err.text);
		return;
	}
	if (m->conn_id == 0) {
		if (m->type == L2TP_MSG_SCCRQ)
			on_new_sccrq(eng, now, transport, ip, addr, buf, len);
		else
			eng->stats.rx_no_conn++;
		eng_reap(eng);
		return;
	}
	ver = m->ver;
	cc = eng_find_cc(eng, ver, m->conn_id);
	if (!cc && ver == 2)	/* v3 peers may reply with a v2 header */
		cc = eng_find_cc(eng, 3, m->conn_id);
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
	eng_cc_receive(cc, now, buf, len, true);
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
