// SPDX-License-Identifier: GPL-2.0
/*
 * Session state machines: incoming calls (ICRQ sender and recipient,
 * RFC 3931 7.4 / RFC 2661 7.4.1-2) and outgoing calls (OCRQ sender and
 * recipient, RFC 3931 7.5 / RFC 2661 7.4.3-4), with session tie breaking
 * on the Remote End ID (RFC 3931 5.4.4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "auth.h"
#include "engine_int.h"

#define SETUP_MS_DEFAULT	60000

static struct engine_sess *find_local(struct engine_cc *cc, uint32_t id)
{
	for (struct engine_sess *s = cc->sessions; s; s = s->next)
		if (s->local_id == id && s->state != SESS_DEAD)
			return s;
	return NULL;
}

static struct engine_sess *find_peer(struct engine_cc *cc, uint32_t id)
{
	for (struct engine_sess *s = cc->sessions; s; s = s->next)
		if (id && s->peer_id == id && s->state != SESS_DEAD)
			return s;
	return NULL;
}

static bool id_in_use(struct engine *eng, struct engine_cc *cc, uint32_t id)
{
	/* v2 session ids are per tunnel; v3 ones unique on the host. */
	for (struct engine_cc *c = eng->ccs; c; c = c->next) {
		if (cc->ver == 2 && c != cc)
			continue;
		for (struct engine_sess *s = c->sessions; s; s = s->next)
			if (s->local_id == id)
				return true;
	}
	return false;
}

static struct engine_sess *sess_new(struct engine_cc *cc,
				    enum engine_sess_role role,
				    const struct engine_sess_cfg *cfg)
{
	struct engine_sess *s = calloc(1, sizeof(*s)), **tail;

	if (!s)
		return NULL;
	s->cc = cc;
	s->role = role;
	s->state = SESS_IDLE;
	if (cfg)
		s->cfg = *cfg;
	if (s->cfg.cookie_len != 4 && s->cfg.cookie_len != 8)
		s->cfg.cookie_len = 0;
	if (cc->ver == 2)
		s->cfg.cookie_len = 0;
	if (s->cfg.end_id_len > ENGINE_END_ID_MAX)
		s->cfg.end_id_len = ENGINE_END_ID_MAX;
	s->user = s->cfg.user;
	do {
		s->local_id = eng_random_id(cc->ver == 2);
	} while (id_in_use(cc->eng, cc, s->local_id));
	s->serial = ++cc->eng->next_serial;
	if ((s->cfg.cookie_len &&
	     l2tp_random(s->cookie, s->cfg.cookie_len)) ||
	    (s->cfg.tie_breaker && cc->ver == 3 &&
	     l2tp_random(s->tie, sizeof(s->tie)))) {
		free(s);
		return NULL;
	}
	s->has_tie = s->cfg.tie_breaker && cc->ver == 3;
	s->setup_deadline = RD_NEVER;
	s->start_at = RD_NEVER;
	/* Append: sessions start in the order they were asked for. */
	for (tail = &cc->sessions; *tail; tail = &(*tail)->next)
		;
	*tail = s;
	return s;
}

static const char *sess_name(const struct engine_sess *s)
{
	return s->cc->cfg.name;
}

static bool is_v3(const struct engine_sess *s)
{
	return s->cc->ver == 3;
}

static void msg_start(struct engine_sess *s, struct l2tp_builder *b,
		      uint16_t type)
{
	struct engine_cc *cc = s->cc;
	uint16_t h = eng_hide(cc);

	eng_msg_start(cc, b, type, cc->ver == 2 ? (uint16_t)s->peer_id : 0);
	if (cc->ver == 3) {
		l2tp_build_u32(b, L2TP_AVP_LOCAL_SESSION_ID, L2TP_AVP_F_M | h,
			       s->local_id);
		l2tp_build_u32(b, L2TP_AVP_REMOTE_SESSION_ID, L2TP_AVP_F_M | h,
			       s->peer_id);
		return;
	}
	switch (type) {
	case L2TP_MSG_ICRQ:
	case L2TP_MSG_ICRP:
	case L2TP_MSG_OCRQ:
	case L2TP_MSG_OCRP:
	case L2TP_MSG_CDN:
		l2tp_build_u16(b, L2TP_AVP_ASSIGNED_SESSION_ID,
			       L2TP_AVP_F_M | h, (uint16_t)s->local_id);
		break;
	default:
		break;
	}
}

/* v3: what we require on the data we receive (ICRQ/ICRP/ICCN, OC*). */
static void add_data_avps(struct engine_sess *s, struct l2tp_builder *b,
			  bool cookie)
{
	uint16_t h = eng_hide(s->cc);

	if (cookie && s->cfg.cookie_len)
		l2tp_build_avp(b, 0, L2TP_AVP_ASSIGNED_COOKIE, L2TP_AVP_F_M | h,
			       s->cookie, s->cfg.cookie_len);
	l2tp_build_u16(b, L2TP_AVP_L2_SUBLAYER, L2TP_AVP_F_M | h,
		       s->cfg.l2spec);
	l2tp_build_u16(b, L2TP_AVP_DATA_SEQUENCING, L2TP_AVP_F_M | h,
		       s->cfg.data_seq);
}

/* v2 ICCN / OCCN: the connect speed and framing of the "call". */
static void add_v2_connect(struct l2tp_builder *b)
{
	l2tp_build_u32(b, L2TP_AVP_TX_CONNECT_SPEED, L2TP_AVP_F_M, 100000000);
	l2tp_build_u32(b, L2TP_AVP_FRAMING_TYPE, L2TP_AVP_F_M,
		       L2TP_FRAMING_SYNC);
}

static uint64_t setup_deadline(const struct engine_sess *s, uint64_t now)
{
	return now + (s->cfg.setup_ms ? s->cfg.setup_ms : SETUP_MS_DEFAULT);
}

static void sess_start(struct engine_sess *s, uint64_t now)
{
	struct engine_cc *cc = s->cc;
	bool out = s->role == SESS_OCRQ_SENDER;
	uint16_t type = out ? L2TP_MSG_OCRQ : L2TP_MSG_ICRQ;
	uint16_t h = eng_hide(cc);
	struct l2tp_builder b;

	msg_start(s, &b, type);
	l2tp_build_u32(&b, L2TP_AVP_SERIAL_NUMBER, L2TP_AVP_F_M | h, s->serial);
	if (is_v3(s)) {
		l2tp_build_u16(&b, L2TP_AVP_PW_TYPE, L2TP_AVP_F_M | h,
			       s->cfg.pw_type);
		l2tp_build_avp(&b, 0, L2TP_AVP_REMOTE_END_ID, L2TP_AVP_F_M | h,
			       s->cfg.end_id, s->cfg.end_id_len);
		l2tp_build_u16(&b, L2TP_AVP_CIRCUIT_STATUS, L2TP_AVP_F_M | h,
			       L2TP_CIRCUIT_ACTIVE | L2TP_CIRCUIT_NEW);
		if (s->has_tie)
			l2tp_build_avp(&b, 0, L2TP_AVP_TIE_BREAKER, 0, s->tie,
				       sizeof(s->tie));
		add_data_avps(s, &b, true);
	} else if (out) {
		l2tp_build_u32(&b, L2TP_AVP_MIN_BPS, L2TP_AVP_F_M | h, 0);
		l2tp_build_u32(&b, L2TP_AVP_MAX_BPS, L2TP_AVP_F_M | h,
			       100000000);
		l2tp_build_u32(&b, L2TP_AVP_BEARER_TYPE, L2TP_AVP_F_M | h, 0);
		l2tp_build_u32(&b, L2TP_AVP_FRAMING_TYPE, L2TP_AVP_F_M | h,
			       L2TP_FRAMING_SYNC);
		l2tp_build_avp(&b, 0, L2TP_AVP_CALLED_NUMBER, L2TP_AVP_F_M | h,
			       s->cfg.end_id, s->cfg.end_id_len);
	}
	s->state = SESS_WAIT_REPLY;
	s->setup_deadline = setup_deadline(s, now);
	if (eng_msg_send(cc, now, &b))
		sess_down(s, now, L2TP_CDN_RC_NO_RESOURCES_TEMP, -1,
			  "cannot send the session request", false);
}

/*
 * Deferred: a v3 request for a Remote End ID on a connection the peer
 * opened.  If the peer asks for the same circuit meanwhile, this session
 * answers it (on_request) and our request is never sent.
 */
void sess_start_or_defer(struct engine_sess *s, uint64_t now)
{
	if (!s->cc->initiator && is_v3(s) && s->cfg.end_id_len) {
		s->state = SESS_WAIT_CTL_CONN;
		s->start_at = now + ENGINE_SESS_DEFER_MS;
		return;
	}
	sess_start(s, now);
}

struct engine_sess *engine_sess_open(struct engine_cc *cc, uint64_t now,
				     const struct engine_sess_cfg *cfg)
{
	struct engine_sess *s;

	if (cc->state == CC_CLOSING || cc->state == CC_DEAD)
		return NULL;
	s = sess_new(cc, cfg->outgoing ? SESS_OCRQ_SENDER : SESS_ICRQ_SENDER,
		     cfg);
	if (!s)
		return NULL;
	s->announced = true;
	if (cc->state == CC_ESTABLISHED)
		sess_start_or_defer(s, now);
	else
		s->state = SESS_WAIT_CTL_CONN;
	return s;
}

static void send_cdn(struct engine_sess *s, uint64_t now, uint16_t result,
		     int error, const char *why)
{
	struct l2tp_builder b;

	msg_start(s, &b, L2TP_MSG_CDN);
	l2tp_build_result(&b, result, error, error >= 0 ? why : NULL);
	eng_msg_send(s->cc, now, &b);
}

void sess_down(struct engine_sess *s, uint64_t now, uint16_t result,
	       int error, const char *why, bool cdn)
{
	struct engine *eng = s->cc->eng;

	if (s->state == SESS_DEAD)
		return;
	if (cdn && s->state != SESS_IDLE && s->state != SESS_WAIT_CTL_CONN &&
	    s->cc->state == CC_ESTABLISHED)
		send_cdn(s, now, result, error, why);
	s->result = result;
	s->error = error < 0 ? 0 : (uint16_t)error;
	snprintf(s->reason, sizeof(s->reason), "%s", why ? why : "");
	eng_log(eng, s->up_reported ? LOG_INFO : LOG_WARNING,
		"%s: session %u/%u down: %s (result %u)", sess_name(s),
		s->local_id, s->peer_id, s->reason, result);
	s->state = SESS_DEAD;
	if ((s->announced || s->up_reported) && eng->ops->sess_event)
		eng->ops->sess_event(eng->ctx, s, ENGINE_DOWN);
	s->announced = false;
	s->up_reported = false;
}

void engine_sess_close(struct engine_sess *s, uint64_t now, uint16_t result,
		       const char *why)
{
	sess_down(s, now, result, -1, why ? why : "administrative close", true);
}

static uint16_t fsm_error_rc(const struct engine_cc *cc)
{
	return cc->ver == 3 ? L2TP_CDN_RC_FSM_ERROR : L2TP_CDN_RC_GENERAL_ERROR;
}

/* The data plane comes up; false if the daemon could not set it up. */
static bool sess_up(struct engine_sess *s, uint64_t now)
{
	struct engine *eng = s->cc->eng;

	if (eng->ops->sess_event &&
	    eng->ops->sess_event(eng->ctx, s, ENGINE_UP) < 0) {
		sess_down(s, now, L2TP_CDN_RC_GENERAL_ERROR,
			  L2TP_ERR_NO_RESOURCES,
			  "cannot set up the data plane", true);
		return false;
	}
	s->up_reported = true;
	s->state = SESS_ESTABLISHED;
	s->setup_deadline = RD_NEVER;
	eng_log(eng, LOG_INFO, "%s: session %u/%u established", sess_name(s),
		s->local_id, s->peer_id);
	return true;
}

/* What the peer says about the data plane (v3 session messages). */
static bool take_data_avps(struct engine_sess *s, uint64_t now,
			   const struct l2tp_msg *m)
{
	const uint8_t *c;
	size_t len = 0;
	uint16_t v;

	if (!is_v3(s))
		return true;
	c = l2tp_msg_bytes(m, L2TP_AVP_ASSIGNED_COOKIE, &len);
	if (c && (m->type == L2TP_MSG_ICRQ || m->type == L2TP_MSG_ICRP ||
		  m->type == L2TP_MSG_OCRQ || m->type == L2TP_MSG_OCRP)) {
		memcpy(s->peer_cookie, c, len);
		s->peer_cookie_len = (uint8_t)len;
	}
	if (l2tp_msg_u16(m, L2TP_AVP_L2_SUBLAYER, &v))
		s->peer_l2spec = v;
	if (l2tp_msg_u16(m, L2TP_AVP_DATA_SEQUENCING, &v))
		s->peer_data_seq = v;
	if (l2tp_msg_u16(m, L2TP_AVP_CIRCUIT_STATUS, &v))
		s->circuit_status = v;
	if (s->peer_l2spec > L2TP_L2SPEC_DEFAULT) {
		sess_down(s, now, L2TP_CDN_RC_GENERAL_ERROR, L2TP_ERR_BAD_VALUE,
			  "unsupported L2-Specific Sublayer", true);
		return false;
	}
	if (s->peer_data_seq && s->peer_l2spec == L2TP_L2SPEC_NONE) {
		sess_down(s, now, L2TP_CDN_RC_SEQ_NO_SUBLAYER, -1,
			  "sequencing required without an L2-Specific Sublayer",
			  true);
		return false;
	}
	return true;
}

static bool our_cap(const struct engine *eng, uint16_t pw)
{
	for (unsigned int i = 0; i < eng->cfg.n_pw_caps; i++)
		if (eng->cfg.pw_caps[i] == pw)
			return true;
	return false;
}

static bool peer_cap(const struct engine_cc *cc, uint16_t pw)
{
	for (unsigned int i = 0; i < cc->n_peer_caps; i++)
		if (cc->peer_caps[i] == pw)
			return true;
	return false;
}

/* Peer's session id and ours as named by a session message. */
static void msg_ids(const struct engine_cc *cc, const struct l2tp_msg *m,
		    uint32_t *ours, uint32_t *theirs)
{
	uint16_t v16;

	*ours = 0;
	*theirs = 0;
	if (cc->ver == 3) {
		l2tp_msg_u32(m, L2TP_AVP_REMOTE_SESSION_ID, ours);
		l2tp_msg_u32(m, L2TP_AVP_LOCAL_SESSION_ID, theirs);
	} else {
		*ours = m->sess_id;
		if (l2tp_msg_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &v16))
			*theirs = v16;
	}
}

/* A session message that names no session of ours. */
static void refuse_unknown(struct engine_cc *cc, uint64_t now,
			   const struct l2tp_msg *m, uint32_t ours,
			   uint32_t theirs, uint16_t result, int error,
			   const char *why)
{
	struct engine_sess tmp;

	eng_log(cc->eng, LOG_WARNING, "%s: %s for session %u/%u: %s",
		cc->cfg.name, l2tp_msg_type_name(m->type), ours, theirs, why);
	if (!theirs)
		return;
	/* A CDN names the peer's session; ours may not exist. */
	memset(&tmp, 0, sizeof(tmp));
	tmp.cc = cc;
	tmp.local_id = ours ? ours : eng_random_id(cc->ver == 2);
	tmp.peer_id = theirs;
	send_cdn(&tmp, now, result, error, why);
}

static void on_request(struct engine_cc *cc, uint64_t now,
		       const struct l2tp_msg *m)
{
	bool out = m->type == L2TP_MSG_OCRQ;
	enum engine_sess_role mine = out ? SESS_OCRQ_SENDER : SESS_ICRQ_SENDER;
	struct engine_sess_cfg cfg;
	struct engine_sess *s, *tie = NULL, *mine_deferred = NULL;
	const uint8_t *end = NULL;
	size_t end_len = 0;
	uint32_t ours_id, peer_sid;
	uint16_t pw = L2TP_PW_PPP;
	int rc;

	msg_ids(cc, m, &ours_id, &peer_sid);
	if (ours_id) {
		s = find_local(cc, ours_id);
		if (s)
			sess_down(s, now, fsm_error_rc(cc), -1,
				  "session request for an existing session", true);
		return;
	}
	if (find_peer(cc, peer_sid))
		return;		/* the same request twice: ignore */

	if (cc->ver == 3) {
		l2tp_msg_u16(m, L2TP_AVP_PW_TYPE, &pw);
		end = l2tp_msg_bytes(m, L2TP_AVP_REMOTE_END_ID, &end_len);
	} else if (out) {
		end = l2tp_msg_bytes(m, L2TP_AVP_CALLED_NUMBER, &end_len);
	}

	/* Session tie breaking (RFC 3931 5.4.4). */
	if (cc->ver == 3 && end) {
		for (s = cc->sessions; s; s = s->next) {
			if (s->role != mine || s->cfg.end_id_len != end_len ||
			    memcmp(s->cfg.end_id, end, end_len))
				continue;
			if (s->state == SESS_WAIT_REPLY)
				tie = s;
			else if (s->state == SESS_WAIT_CTL_CONN &&
				 s->start_at != RD_NEVER &&
				 s->cfg.pw_type == pw)
				mine_deferred = s;
		}
	}
	if (tie) {
		/* Neither sent a Tie Breaker: both are torn down. */
		enum eng_tie t = eng_tie_break(tie->has_tie ? tie->tie : NULL,
					       m);

		if (t != TIE_PEER_WINS) {
			refuse_unknown(cc, now, m, 0, peer_sid,
				       L2TP_CDN_RC_LOST_TIE, -1,
				       "session tie: peer's request loses");
			if (t != TIE_WE_WIN)
				sess_down(tie, now, L2TP_CDN_RC_LOST_TIE, -1,
					  "session tie without a winner", true);
			return;
		}
		/* RFC 3931 7.4.1: the winner clears ours (CDN 13); we take
		 * theirs as its recipient. */
		sess_down(tie, now, L2TP_CDN_RC_LOST_TIE, -1,
			  "lost the session tie breaker", false);
	}

	if (mine_deferred) {
		/* Our request for this circuit was not sent yet: answer
		 * theirs with it instead (one exchange, no tie). */
		s = mine_deferred;
		s->role = out ? SESS_OCRQ_RECIPIENT : SESS_ICRQ_RECIPIENT;
		s->start_at = RD_NEVER;
		s->peer_id = peer_sid;
		s->state = SESS_WAIT_CONNECT;
		eng_log(cc->eng, LOG_DEBUG,
			"%s: session %u: the peer asked for the circuit first, answering its request",
			sess_name(s), s->local_id);
		goto reply;
	}

	memset(&cfg, 0, sizeof(cfg));
	rc = L2TP_CDN_RC_NO_RESOURCES_PERM;
	if (cc->ver == 3 && (!our_cap(cc->eng, pw) || !peer_cap(cc, pw)))
		rc = L2TP_CDN_RC_BAD_PW_TYPE;
	else if (cc->eng->ops->sess_lookup)
		rc = cc->eng->ops->sess_lookup(cc->eng->ctx, cc, pw, end,
					       end_len, &cfg);
	s = sess_new(cc, out ? SESS_OCRQ_RECIPIENT : SESS_ICRQ_RECIPIENT,
		     rc ? NULL : &cfg);
	if (!s) {
		refuse_unknown(cc, now, m, 0, peer_sid,
			       L2TP_CDN_RC_NO_RESOURCES_TEMP, -1,
			       "out of memory");
		return;
	}
	s->peer_id = peer_sid;
	s->cfg.pw_type = pw;
	s->cfg.outgoing = out;
	if (end && !rc) {
		memcpy(s->cfg.end_id, end,
		       end_len < ENGINE_END_ID_MAX ? end_len : ENGINE_END_ID_MAX);
		s->cfg.end_id_len = end_len < ENGINE_END_ID_MAX ?
				    end_len : ENGINE_END_ID_MAX;
	}
	s->state = SESS_WAIT_CONNECT;	/* so that a CDN goes out */
	if (rc) {
		sess_down(s, now, (uint16_t)rc, -1,
			  rc == L2TP_CDN_RC_BAD_PW_TYPE ?
			  "unsupported pseudowire type" :
			  "no pseudowire configured for this request", true);
		return;
	}
reply:
	if (!take_data_avps(s, now, m))
		return;
	s->setup_deadline = setup_deadline(s, now);

	{
		struct l2tp_builder b;

		msg_start(s, &b, out ? L2TP_MSG_OCRP : L2TP_MSG_ICRP);
		if (cc->ver == 3) {
			l2tp_build_u16(&b, L2TP_AVP_CIRCUIT_STATUS,
				       L2TP_AVP_F_M | eng_hide(cc),
				       L2TP_CIRCUIT_ACTIVE | L2TP_CIRCUIT_NEW);
			add_data_avps(s, &b, true);
		}
		if (eng_msg_send(cc, now, &b)) {
			sess_down(s, now, L2TP_CDN_RC_NO_RESOURCES_TEMP, -1,
				  "cannot send the reply", false);
			return;
		}
	}
	if (!out)
		return;		/* ICRP sent: wait for the ICCN */

	/* Outgoing call: "place" it (bring up the data plane), then OCCN. */
	if (sess_up(s, now)) {
		struct l2tp_builder b;

		msg_start(s, &b, L2TP_MSG_OCCN);
		if (cc->ver == 3)
			add_data_avps(s, &b, false);
		else
			add_v2_connect(&b);
		eng_msg_send(cc, now, &b);
	}
}

static void on_reply(struct engine_sess *s, uint64_t now,
		     const struct l2tp_msg *m, uint32_t peer_sid)
{
	struct engine_cc *cc = s->cc;
	bool out = m->type == L2TP_MSG_OCRP;
	struct l2tp_builder b;

	if (s->role != (out ? SESS_OCRQ_SENDER : SESS_ICRQ_SENDER) ||
	    s->state != SESS_WAIT_REPLY) {
		sess_down(s, now, fsm_error_rc(cc), -1,
			  out ? "unexpected OCRP" : "unexpected ICRP", true);
		return;
	}
	if (!peer_sid) {
		sess_down(s, now, L2TP_CDN_RC_GENERAL_ERROR, L2TP_ERR_BAD_VALUE,
			  "reply without the peer's session id", true);
		return;
	}
	s->peer_id = peer_sid;
	if (!take_data_avps(s, now, m))
		return;
	if (out) {
		s->state = SESS_WAIT_CONNECT;
		return;
	}
	if (!sess_up(s, now))
		return;
	msg_start(s, &b, L2TP_MSG_ICCN);
	if (cc->ver == 3)
		add_data_avps(s, &b, false);
	else
		add_v2_connect(&b);
	eng_msg_send(cc, now, &b);
}

static void on_connected(struct engine_sess *s, uint64_t now,
			 const struct l2tp_msg *m)
{
	bool out = m->type == L2TP_MSG_OCCN;

	if (s->role != (out ? SESS_OCRQ_SENDER : SESS_ICRQ_RECIPIENT) ||
	    s->state != SESS_WAIT_CONNECT) {
		sess_down(s, now, fsm_error_rc(s->cc), -1,
			  out ? "unexpected OCCN" : "unexpected ICCN", true);
		return;
	}
	if (!take_data_avps(s, now, m))
		return;
	sess_up(s, now);
}

static void on_cdn(struct engine_sess *s, uint64_t now,
		   const struct l2tp_msg *m)
{
	struct l2tp_result r;
	char why[160];

	eng_peer_result(m, &r, why, sizeof(why));
	sess_down(s, now, r.result, r.has_error ? r.error : -1, why, false);
}

void sess_input(struct engine_cc *cc, uint64_t now, const struct l2tp_msg *m)
{
	struct engine_sess *s;
	uint32_t ours, theirs;
	uint16_t v;

	if (m->type == L2TP_MSG_ICRQ || m->type == L2TP_MSG_OCRQ) {
		on_request(cc, now, m);
		return;
	}
	msg_ids(cc, m, &ours, &theirs);
	s = ours ? find_local(cc, ours) : NULL;
	if (!s && !ours && (m->type == L2TP_MSG_CDN ||
			    m->type == L2TP_MSG_WEN || m->type == L2TP_MSG_SLI))
		s = find_peer(cc, theirs);	/* reverse lookup */
	if (!s) {
		if (m->type != L2TP_MSG_CDN && cc->ver == 3)
			refuse_unknown(cc, now, m, ours, theirs,
				       L2TP_CDN_RC_GENERAL_ERROR,
				       L2TP_ERR_BAD_SESSION_ID,
				       "no such session");
		return;
	}
	if (s->peer_id && theirs && theirs != s->peer_id &&
	    m->type != L2TP_MSG_ICRP && m->type != L2TP_MSG_OCRP) {
		sess_down(s, now, L2TP_CDN_RC_GENERAL_ERROR,
			  L2TP_ERR_BAD_SESSION_ID,
			  "message names another peer session id", true);
		return;
	}

	switch (m->type) {
	case L2TP_MSG_ICRP:
	case L2TP_MSG_OCRP:
		on_reply(s, now, m, theirs);
		break;
	case L2TP_MSG_ICCN:
	case L2TP_MSG_OCCN:
		on_connected(s, now, m);
		break;
	case L2TP_MSG_CDN:
		on_cdn(s, now, m);
		break;
	case L2TP_MSG_WEN:
		eng_log(cc->eng, LOG_INFO, "%s: session %u: WAN error notification",
			cc->cfg.name, s->local_id);
		break;
	case L2TP_MSG_SLI:
		if (l2tp_msg_u16(m, L2TP_AVP_CIRCUIT_STATUS, &v)) {
			s->circuit_status = v;
			eng_log(cc->eng, LOG_INFO,
				"%s: session %u: peer circuit %s", cc->cfg.name,
				s->local_id,
				v & L2TP_CIRCUIT_ACTIVE ? "active" : "inactive");
		}
		break;
	default:
		break;
	}
}

void sess_input_error(struct engine_cc *cc, uint64_t now,
		      const struct l2tp_msg *m, const struct l2tp_perr *err)
{
	struct engine_sess *s = NULL;
	uint32_t ours, theirs;

	msg_ids(cc, m, &ours, &theirs);
	if (ours)
		s = find_local(cc, ours);
	if (!s && !ours && m->type != L2TP_MSG_ICRQ && m->type != L2TP_MSG_OCRQ)
		s = find_peer(cc, theirs);
	if (s) {
		sess_down(s, now, err->result, err->error, err->text, true);
		return;
	}
	refuse_unknown(cc, now, m, ours, theirs, err->result, err->error,
		       err->text);
}

void sess_tick(struct engine_cc *cc, uint64_t now)
{
	for (struct engine_sess *s = cc->sessions; s; s = s->next) {
		if (s->state == SESS_WAIT_CTL_CONN && s->start_at <= now &&
		    cc->state == CC_ESTABLISHED) {
			s->start_at = RD_NEVER;
			sess_start(s, now);
		}
	}
	for (struct engine_sess *s = cc->sessions; s; s = s->next)
		if (s->state != SESS_DEAD && s->setup_deadline <= now)
			sess_down(s, now, cc->ver == 3 ? L2TP_CDN_RC_FSM_ERROR :
				  L2TP_CDN_RC_TIMEOUT, -1,
				  "session setup timed out", true);
}

uint64_t sess_next_deadline(const struct engine_cc *cc)
{
	uint64_t d = RD_NEVER;

	for (const struct engine_sess *s = cc->sessions; s; s = s->next) {
		if (s->state != SESS_DEAD && s->setup_deadline < d)
			d = s->setup_deadline;
		if (s->state == SESS_WAIT_CTL_CONN && s->start_at < d)
			d = s->start_at;
	}
	return d;
}
