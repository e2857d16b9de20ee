// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's side of authentication (auth.h does the cryptography):
 * the CHAP-like challenge and response of the connection setup, a
 * message's digest check (RFC 3931 4.3, 5.4.2) and tie breaking, once for
 * connections and sessions (RFC 3931 5.4.3, 5.4.4).
 */
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "auth.h"
#include "engine_int.h"

int eng_add_challenge(struct engine_cc *cc, struct l2tp_builder *b)
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
int eng_add_response(struct engine_cc *cc, const struct l2tp_msg *m,
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
bool eng_response_ok(struct engine_cc *cc, const struct l2tp_msg *m,
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

/* Authenticate one datagram (RFC 3931 4.3).  Returns false to drop it. */
bool eng_cc_authentic(struct engine_cc *cc, const struct l2tp_msg *m,
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

	eng_cc_set_reason(loser, L2TP_STOPCCN_RC_ALREADY_EXISTS, 0,
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
	eng_cc_announce_down(loser);
	rd_quiet(&loser->rd);
	loser->state = CC_CLOSING;
	loser->hello_deadline = RD_NEVER;
	loser->setup_deadline = RD_NEVER;
	rd_linger(&loser->rd, now);
}

/*
 * Tie breaking (RFC 3931 5.4.3 for connections, 5.4.4 for sessions): our
 * Tie Breaker value (NULL: we sent none) against the one in the peer's
 * request m.  The lower value wins; a side that sent none loses.
 */
enum eng_tie eng_tie_break(const uint8_t *ours, const struct l2tp_msg *m)
{
	const uint8_t *theirs;
	size_t len = 0;
	int c;

	theirs = l2tp_msg_bytes(m, L2TP_AVP_TIE_BREAKER, &len);
	if (theirs && len != 8)
		theirs = NULL;
	if (!theirs && !ours)
		return TIE_NONE;
	c = !theirs ? -1 : !ours ? 1 : memcmp(ours, theirs, 8);
	return c < 0 ? TIE_WE_WIN : c > 0 ? TIE_PEER_WINS : TIE_EQUAL;
}

/*
 * An SCCRQ arrived on cc while our own SCCRQ to the same peer is
 * outstanding: the tie is broken.  Returns whether cc goes on (it won, or
 * there was no tie); if it lost, it is cleared here.
 */
bool eng_cc_tie_break(struct engine_cc *cc, uint64_t now,
		      const struct l2tp_msg *m)
{
	struct engine_cc *other = find_outstanding(cc->eng, cc);

	if (!other)
		return true;
	switch (eng_tie_break(other->has_tie ? other->tie : NULL, m)) {
	case TIE_NONE:
		return true;
	case TIE_WE_WIN:
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_ALREADY_EXISTS, 0,
			     "peer lost the tie breaker");
		return false;
	case TIE_EQUAL:
		/* Both discard and start over with new values. */
		eng_cc_set_reason(other, L2TP_STOPCCN_RC_ALREADY_EXISTS, 0,
				  "equal tie breakers");
		eng_cc_close(other, now, L2TP_STOPCCN_RC_ALREADY_EXISTS, 0,
			     "equal tie breakers");
		eng_cc_close(cc, now, L2TP_STOPCCN_RC_ALREADY_EXISTS, 0,
			     "equal tie breakers");
		return false;
	case TIE_PEER_WINS:
		break;
	}
	yield_to(other, cc, now);
	return true;
}
