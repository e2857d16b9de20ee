// SPDX-License-Identifier: GPL-2.0
/*
 * test_engine: pseudowires end to end -- L2TPv3 over UDP and IP with and
 * without digest, challenge and hiding, L2TPv2 with PPP (each kept as a
 * text2pcap dump for tshark-check and the engine fuzzer's seeds) --, session
 * tie breaking, and malformed session messages answered by CDN.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "test_engine.h"

/* A full v3 Ethernet pseudowire life: up, CDN, StopCCN. */
void scenario_v3(const char *dumpdir, const char *label, bool ip,
		 bool digest, uint8_t dtype, bool chal, bool hide)
{
	struct world *w = world_new(3, 1);
	struct node *a = &w->n[0], *b = &w->n[1];
	struct engine_sess_cfg sc = eth_cfg("vc-100");
	struct engine_sess *s;
	struct engine_cc *cc;

	w->ip = ip;
	w->dump = open_dump(dumpdir, label);
	for (int i = 0; i < 2; i++) {
		struct engine_peer_cfg *p = &w->n[i].peer;

		p->ip_encap = ip;
		if (digest || chal || hide) {
			memcpy(p->secret, "t0p-s3cret", 10);
			p->secret_len = 10;
		}
		p->digest = digest;
		p->digest_type = dtype;
		p->challenge = chal;
		p->hide = hide;
	}
	cc = connect_ab(w);
	s = engine_sess_open(cc, w->now, &sc);
	ok(cc && s && s->state == SESS_WAIT_CTL_CONN,
	   "%s: session waits for the control connection", label);
	run(w, 2000);
	ok(a->cc_up == 1 && b->cc_up == 1 && a->cc && b->cc &&
	   a->cc->state == CC_ESTABLISHED && b->cc->state == CC_ESTABLISHED &&
	   a->cc->peer_id == b->cc->local_id &&
	   b->cc->peer_id == a->cc->local_id && a->cc->ip == ip,
	   "%s: control connection up on both sides, ids agree", label);
	ok(a->sess_up == 1 && b->sess_up == 1 && a->sess && b->sess &&
	   a->sess->peer_id == b->sess->local_id &&
	   b->sess->peer_id == a->sess->local_id &&
	   b->sess->cfg.pw_type == L2TP_PW_ETH &&
	   b->sess->cfg.end_id_len == 6 &&
	   !memcmp(b->sess->cfg.end_id, "vc-100", 6),
	   "%s: Ethernet session up on both sides (ICRQ/ICRP/ICCN)", label);
	ok(a->sess && b->sess && a->sess->peer_cookie_len == 8 &&
	   !memcmp(a->sess->peer_cookie, b->sess->cookie, 8) &&
	   b->sess->peer_cookie_len == 4 &&
	   !memcmp(b->sess->peer_cookie, a->sess->cookie, 4) &&
	   a->sess->peer_l2spec == L2TP_L2SPEC_DEFAULT,
	   "%s: cookies (4 and 8 octets) and sublayer exchanged", label);
	if (a->sess && b->sess) {
		struct engine_dataplane da, db;

		engine_sess_dataplane(a->sess, &da);
		engine_sess_dataplane(b->sess, &db);
		/* What one end sends the other checks, both ways. */
		ok(da.version == 3 && da.ip == ip && db.ip == ip &&
		   da.tunnel == db.peer_tunnel && db.tunnel == da.peer_tunnel &&
		   da.session == db.peer_session &&
		   db.session == da.peer_session &&
		   da.send_cookie_len == 8 && db.recv_cookie_len == 8 &&
		   !memcmp(da.send_cookie, db.recv_cookie, 8) &&
		   db.send_cookie_len == 4 && da.recv_cookie_len == 4 &&
		   !memcmp(db.send_cookie, da.recv_cookie, 4) &&
		   da.l2spec && db.l2spec && da.pw_type == L2TP_PW_ETH &&
		   !da.send_seq && !da.recv_seq,
		   "%s: data plane: ids cross, each sends the cookie the other checks",
		   label);
	}
	ok(a->cc && b->cc && !strcmp(a->cc->peer_host, "node-b") &&
	   b->cc->peer_router_id == 0x0a000001 &&
	   a->cc->n_peer_caps == 2 && a->cc->stats.rx_auth_failures == 0 &&
	   b->cc->stats.rx_auth_failures == 0,
	   "%s: peer identity recorded, no authentication failure", label);
	if (a->cc) {
		struct engine_cc_info i;

		engine_cc_get_info(a->cc, &i);
		ok(i.state == CC_ESTABLISHED && i.version == 3 && i.ip == ip &&
		   i.local_id == a->cc->local_id && i.peer_id == a->cc->peer_id &&
		   !strcmp(i.peer_host, "node-b") && i.sessions == 1 &&
		   i.tx_msgs > 0 && i.rx_msgs > 0 && i.rx_auth_failures == 0 &&
		   engine_addr_equal(&i.addr, &a->cc->addr),
		   "%s: connection info: state, ids, peer host, one session, counters",
		   label);
		ok(i.index == a->peer.index &&
		   engine_cc_index(a->cc) == a->peer.index &&
		   engine_peer_connections(a->eng, a->peer.index) == 1 &&
		   engine_peer_connections(a->eng, a->peer.index + 1) == 0,
		   "%s: the connection carries its peer's index, and counts against its max-connections",
		   label);
	}

	if (a->sess)
		engine_sess_close(a->sess, w->now, L2TP_CDN_RC_ADMIN, "test");
	run(w, 3000);
	ok(a->sess_down == 1 && b->sess_down == 1 &&
	   b->last_sess_result == L2TP_CDN_RC_ADMIN,
	   "%s: CDN tears the session down on both sides (result 3)", label);
	if (b->cc)
		engine_cc_close(b->cc, w->now, L2TP_STOPCCN_RC_CLEAR, "test");
	run(w, 4000);
	ok(a->cc_down == 1 && b->cc_down == 1 &&
	   a->last_cc_result == L2TP_STOPCCN_RC_CLEAR,
	   "%s: StopCCN clears the connection on both sides (result 1)", label);
	run(w, 40000);
	ok(count_ccs(a->eng) == 0 && count_ccs(b->eng) == 0,
	   "%s: state released after the retransmission cycle", label);
	if (w->dump)
		fclose(w->dump);
	world_free(w);
}

void test_v2_ppp(const char *dumpdir)
{
	struct world *w = world_new(2, 2);
	struct node *a = &w->n[0], *b = &w->n[1];
	struct engine_sess_cfg sc;
	struct engine_cc *cc;

	w->dump = open_dump(dumpdir, "v2-ppp");
	for (int i = 0; i < 2; i++) {
		memcpy(w->n[i].peer.secret, "v2secret", 8);
		w->n[i].peer.secret_len = 8;
		w->n[i].peer.challenge = true;
		w->n[i].peer.hide = true;
	}
	memset(&sc, 0, sizeof(sc));
	sc.pw_type = L2TP_PW_PPP;
	cc = connect_ab(w);
	engine_sess_open(cc, w->now, &sc);
	sc.outgoing = true;
	engine_sess_open(cc, w->now, &sc);
	run(w, 3000);
	ok(a->cc_up == 1 && b->cc_up == 1 && a->cc && a->cc->ver == 2 &&
	   a->cc->local_id <= 0xffff && a->cc->peer_id == b->cc->local_id,
	   "L2TPv2: tunnel up with 16-bit ids, challenge both ways, hidden AVPs");
	ok(a->sess_up == 2 && b->sess_up == 2 && a->sess && b->sess &&
	   a->sess->local_id <= 0xffff &&
	   peer_session(b->eng, a->sess->local_id) &&
	   peer_session(b->eng, a->sess->local_id)->state == SESS_ESTABLISHED,
	   "L2TPv2: incoming and outgoing PPP calls up (ICRQ/ICRP/ICCN, OCRQ/OCRP/OCCN)");
	if (a->cc)
		engine_cc_close(a->cc, w->now, L2TP_STOPCCN_RC_CLEAR, "bye");
	run(w, 5000);
	ok(a->sess_down == 2 && b->sess_down == 2 && b->cc_down == 1,
	   "L2TPv2: StopCCN takes every session down with it");
	if (w->dump)
		fclose(w->dump);
	world_free(w);
}

void test_sess_tie(void)
{
	struct world *w = world_new(3, 8);
	struct node *a = &w->n[0], *b = &w->n[1];
	struct engine_sess_cfg sc = eth_cfg("same-circuit");

	/* Symmetric configuration: both ask at once.  B did not open the
	 * connection, so its request waits, and answers A's. */
	connect_ab(w);
	run(w, 1000);
	engine_sess_open(a->cc, w->now, &sc);
	engine_sess_open(b->cc, w->now, &sc);
	run(w, 6000);
	ok(a->sess_up == 1 && b->sess_up == 1 && a->sess && b->sess &&
	   a->sess->peer_id == b->sess->local_id &&
	   b->sess->peer_id == a->sess->local_id,
	   "both sides ask for one Remote End ID: exactly one session up");
	ok(a->sent[L2TP_MSG_ICRQ] + b->sent[L2TP_MSG_ICRQ] == 1 &&
	   a->sent[L2TP_MSG_CDN] + b->sent[L2TP_MSG_CDN] == 0 &&
	   a->sess_down + b->sess_down == 0,
	   "... with one ICRQ exchange: the responder's deferred request answers it, no CDN");
	world_free(w);

	/* A real tie: B's deferred request goes out as A's crosses it. */
	w = world_new(3, 8);
	a = &w->n[0];
	b = &w->n[1];
	connect_ab(w);
	run(w, 1000);
	engine_sess_open(b->cc, w->now, &sc);
	run(w, 1000 + ENGINE_SESS_DEFER_MS);
	engine_sess_open(a->cc, w->now, &sc);
	run(w, 6000);
	ok(a->sent[L2TP_MSG_ICRQ] == 1 && b->sent[L2TP_MSG_ICRQ] == 1,
	   "session tie: both ICRQs crossed");
	ok(a->sess_up == 1 && b->sess_up == 1 && a->sess && b->sess &&
	   a->sess->peer_id == b->sess->local_id,
	   "session tie on one Remote End ID: exactly one session up");
	ok(a->sent[L2TP_MSG_CDN] + b->sent[L2TP_MSG_CDN] == 1 &&
	   a->sess_down + b->sess_down == 1 &&
	   (a->last_sess_result == L2TP_CDN_RC_LOST_TIE ||
	    b->last_sess_result == L2TP_CDN_RC_LOST_TIE),
	   "the loser's session is cleared, by the winner's one CDN 13 (RFC 3931 7.4.1)");
	world_free(w);
}

/* Append an unknown mandatory AVP to a datagram (no digest in use). */
static void add_unknown_m_avp(uint8_t *buf, size_t *len)
{
	static const uint8_t avp[] = { 0x80, 0x07, 0, 0, 0x01, 0x2c, 'x' };

	memcpy(buf + *len, avp, sizeof(avp));
	*len += sizeof(avp);
	put_be16(buf + 2, (uint16_t)*len);
}

/* Drop the Pseudowire Type from an ICRQ (the first 8-octet AVP of
 * type 68); the Length is fixed up. */
static void drop_pw_type(uint8_t *buf, size_t *len)
{
	for (size_t off = 12; off + 6 <= *len;) {
		size_t alen = get_be16(buf + off) & 0x3ff;

		if (alen < 6)
			break;
		if (get_be16(buf + off + 4) == L2TP_AVP_PW_TYPE) {
			memmove(buf + off, buf + off + alen,
				*len - off - alen);
			*len -= alen;
			put_be16(buf + 2, (uint16_t)*len);
			return;
		}
		off += alen;
	}
}

void test_malformed(void)
{
	struct world *w = world_new(3, 11);
	struct node *a = &w->n[0], *b = &w->n[1];
	struct engine_sess_cfg sc = eth_cfg("m");

	connect_ab(w);
	run(w, 500);
	w->mutate_node = 0;
	w->mutate_type = L2TP_MSG_ICRQ;
	w->mutate = add_unknown_m_avp;
	engine_sess_open(a->cc, w->now, &sc);
	run(w, 1500);
	ok(a->sess_down == 1 && a->last_sess_result == 2 &&
	   a->last_sess_error == L2TP_ERR_UNKNOWN_M_AVP && b->sess_up == 0 &&
	   a->cc && a->cc->state == CC_ESTABLISHED,
	   "unknown mandatory AVP in ICRQ: CDN 2/8, connection stays up");

	w->mutate_type = L2TP_MSG_ICRQ;
	w->mutate = drop_pw_type;
	engine_sess_open(a->cc, w->now, &sc);
	run(w, 2500);
	ok(a->sess_down == 2 && a->last_sess_result == 2 &&
	   a->last_sess_error == L2TP_ERR_BAD_VALUE,
	   "ICRQ without the required Pseudowire Type: CDN 2/3");

	w->mutate_node = 1;
	w->mutate_type = L2TP_MSG_HELLO;
	w->mutate = add_unknown_m_avp;
	b->cc->hello_deadline = w->now;	/* make B send a HELLO now */
	b->cc->cfg.hello_ms = 100000;
	run(w, 3500);
	ok(a->cc_down == 1 && b->cc_down == 1 &&
	   b->last_cc_result == L2TP_STOPCCN_RC_GENERAL_ERROR,
	   "unknown mandatory AVP in HELLO: StopCCN 2 clears the connection");
	world_free(w);
}
