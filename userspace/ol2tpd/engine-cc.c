// SPDX-License-Identifier: GPL-2.0
/*
 * The control connection state machine (RFC 3931 7.3, RFC 2661 7.2): the
 * SCCRQ / SCCRP / SCCCN / StopCCN exchange, what the peer says about
 * itself, and a connection's receive path (authenticate, reliable
 * delivery, dispatch to the connection or to its sessions).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "auth.h"
#include "engine_int.h"

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

	cc = eng_cc_new(eng, now, cfg, cfg->version,
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
	if (eng_add_challenge(cc, &b) || eng_msg_send(cc, now, &b)) {
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

static void on_sccrq(struct engine_cc *cc, uint64_t now,
		     const struct l2tp_msg *m, bool authorized)
{
	struct l2tp_builder b;

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

	if (!eng_cc_tie_break(cc, now, m))
		return;

	eng_msg_start(cc, &b, L2TP_MSG_SCCRP, 0);
	add_cc_avps(cc, &b);
	if (eng_add_response(cc, m, &b, L2TP_MSG_SCCRP)) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_NOT_AUTHORIZED, 0,
			     "challenged but no shared secret configured");
		return;
	}
	if (eng_add_challenge(cc, &b) || eng_msg_send(cc, now, &b)) {
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
	if (!eng_response_ok(cc, m, L2TP_MSG_SCCRP)) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_NOT_AUTHORIZED, 0,
			     "wrong Challenge Response (shared secret mismatch?)");
		return;
	}
	eng_msg_start(cc, &b, L2TP_MSG_SCCCN, 0);
	if (eng_add_response(cc, m, &b, L2TP_MSG_SCCCN)) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_NOT_AUTHORIZED, 0,
			     "challenged but no shared secret configured");
		return;
	}
	if (eng_msg_send(cc, now, &b)) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_GENERAL_ERROR,
			     L2TP_ERR_NO_RESOURCES, "cannot send SCCCN");
		return;
	}
	eng_cc_up(cc, now);
}

static void on_scccn(struct engine_cc *cc, uint64_t now,
		     const struct l2tp_msg *m)
{
	if (cc->state != CC_WAIT_CTL_CONN) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_FSM_ERROR, 0,
			     "unexpected SCCCN");
		return;
	}
	if (!eng_response_ok(cc, m, L2TP_MSG_SCCCN)) {
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_NOT_AUTHORIZED, 0,
			     "wrong Challenge Response (shared secret mismatch?)");
		return;
	}
	eng_cc_up(cc, now);
}

static void on_stopccn(struct engine_cc *cc, uint64_t now,
		       const struct l2tp_msg *m)
{
	struct l2tp_result r;
	char why[160];

	eng_peer_result(m, &r, why, sizeof(why));
	eng_log(cc->eng, LOG_INFO, "%s: %s (result %u, error %u)",
		cc->cfg.name, why, r.result, r.error);
	eng_cc_set_reason(cc, r.result, r.error, why);
	if (r.result == L2TP_STOPCCN_RC_NOT_AUTHORIZED)
		cc->auth_failed = true;
	/* Acknowledge now, keep state to acknowledge retransmissions. */
	rd_ack_now(&cc->rd, now);
	eng_cc_sessions_down(cc, now, L2TP_CDN_RC_ADMIN, "control connection cleared");
	cc->state = CC_CLOSING;
	cc->hello_deadline = RD_NEVER;
	rd_linger(&cc->rd, now);
	eng_cc_announce_down(cc);
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
	return eng_parse(cc->eng, buf, len, cc->ip, &cc->cfg, err);
}

/* The peer's StopCCN for our SCCRQ does not verify: we are refused. */
static void cc_refused(struct engine_cc *cc, uint64_t now)
{
	eng_cc_set_reason(cc, L2TP_STOPCCN_RC_NOT_AUTHORIZED, 0,
		      "peer rejected us or secrets differ (its StopCCN does not verify with our secret)");
	cc->auth_failed = true;
	rd_ack_now(&cc->rd, now);
	eng_cc_sessions_down(cc, now, L2TP_CDN_RC_ADMIN, "control connection refused");
	cc->state = CC_CLOSING;
	cc->hello_deadline = RD_NEVER;
	cc->setup_deadline = RD_NEVER;
	rd_quiet(&cc->rd);
	rd_linger(&cc->rd, now);
	eng_cc_announce_down(cc);
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
		    size_t len, const struct l2tp_perr *perr, bool authorized)
{
	struct l2tp_msg *m = &cc->eng->msg;
	struct l2tp_perr err = *perr;
	enum rd_input_result r;
	const uint8_t *p;
	enum auth_fail fail;
	bool in_order;
	size_t plen;

	if (!eng_cc_authentic(cc, m, buf, len, &fail)) {
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
	/*
	 * In order, this message comes out first: m already holds it.  Only
	 * the ones reliable delivery queued ahead of a gap are parsed here.
	 */
	in_order = r == RD_IN_NEW;
	while ((p = rd_pop(&cc->rd, &plen))) {
		if (!in_order || plen != len || memcmp(p, buf, len)) {
			int rc = cc_parse(cc, p, plen, &err);

			if (rc < 0 && err.scope == L2TP_PERR_DISCARD)
				continue;
		}
		in_order = false;
		cc_handle(cc, now, m, &err, authorized);
	}
}
