// SPDX-License-Identifier: GPL-2.0
/*
 * test_engine: control connections -- a wrong secret, an unconfigured or
 * busy peer, the pending limit, tie breaking, loss and reordering, HELLO,
 * and the failures that end a connection.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "test_engine.h"

void test_wrong_secret(void)
{
	struct world *w = world_new(3, 3);
	struct node *a = &w->n[0], *b = &w->n[1];

	for (int i = 0; i < 2; i++) {
		w->n[i].peer.digest = true;
		w->n[i].peer.secret_len = 6;
	}
	memcpy(a->peer.secret, "secret", 6);
	memcpy(b->peer.secret, "Secret", 6);
	connect_ab(w);
	run(w, 2000);
	ok(b->cc_up == 0 && a->cc_up == 0 && b->errors_logged >= 1 &&
	   strstr(b->logs, "shared secret mismatch) (result 4,"),
	   "wrong secret (digest): responder refuses with StopCCN 4, logged");
	ok(a->cc_down == 1 && a->last_cc_auth_failed &&
	   a->last_cc_result == L2TP_STOPCCN_RC_NOT_AUTHORIZED &&
	   strstr(a->logs, "the peer refused us"),
	   "wrong secret (digest): the initiator takes the StopCCN it cannot verify as a refusal at once");
	ok(a->sent[L2TP_MSG_SCCRQ] == 1,
	   "... and does not retransmit its SCCRQ");
	run(w, 40000);
	ok(a->cc_down == 1 && count_ccs(a->eng) == 0 && count_ccs(b->eng) == 0,
	   "wrong secret: both sides forget the connection");
	world_free(w);

	/* Challenge only: the initiator sees the wrong response. */
	w = world_new(3, 4);
	a = &w->n[0];
	b = &w->n[1];
	for (int i = 0; i < 2; i++) {
		w->n[i].peer.challenge = true;
		w->n[i].peer.secret_len = 6;
	}
	memcpy(a->peer.secret, "secret", 6);
	memcpy(b->peer.secret, "Secret", 6);
	connect_ab(w);
	run(w, 2000);
	ok(a->cc_up == 0 && b->cc_up == 0 && a->cc_down == 1 &&
	   a->last_cc_result == L2TP_STOPCCN_RC_NOT_AUTHORIZED &&
	   a->last_cc_auth_failed &&
	   strstr(a->last_log, "Challenge Response"),
	   "wrong secret (challenge): initiator refuses the SCCRP, StopCCN 4");
	world_free(w);
}

void test_refused_peer(void)
{
	struct world *w = world_new(3, 5);
	struct node *a = &w->n[0], *b = &w->n[1];

	b->refuse_peer = true;
	connect_ab(w);
	run(w, 2000);
	ok(a->cc_down == 1 && a->last_cc_result == L2TP_STOPCCN_RC_NOT_AUTHORIZED &&
	   b->cc_up == 0, "unconfigured peer refused with StopCCN 4");
	world_free(w);

	w = world_new(3, 6);
	w->n[1].peer.version = 2;	/* B only talks v2 to A */
	connect_ab(w);
	run(w, 2000);
	ok(w->n[0].cc_down == 1 &&
	   w->n[0].last_cc_result == L2TP_STOPCCN_RC_NOT_AUTHORIZED,
	   "peer configured for another version refused");
	world_free(w);

	w = world_new(3, 6);
	w->n[1].busy_peer = true;	/* max-connections reached */
	connect_ab(w);
	run(w, 2000);
	ok(w->n[0].cc_down == 1 && w->n[1].cc_up == 0 &&
	   w->n[0].last_cc_result == L2TP_STOPCCN_RC_GENERAL_ERROR &&
	   w->n[0].last_cc_error == L2TP_ERR_NO_RESOURCES,
	   "peer with no room for another connection: StopCCN 2, error 4 (no resources)");
	world_free(w);
}

/* max_pending: an SCCRQ beyond it gets nothing, its retransmission gets in. */
void test_max_pending(void)
{
	struct world *w = world_new(3, 21);
	struct node *a = &w->n[0], *b = &w->n[1];

	b->eng->cfg.max_pending = 1;
	connect_ab(w);
	connect_ab(w);
	run(w, 300);
	ok(b->eng->stats.rx_overload == 1 && b->cc_up == 1,
	   "max_pending 1: the second SCCRQ is dropped while the first is set up");
	run(w, 5000);
	ok(a->cc_up == 2 && b->cc_up == 2 && b->eng->stats.rx_overload == 1,
	   "... and its retransmission gets in once the first is established");
	world_free(w);
}

void test_cc_tie(void)
{
	struct world *w = world_new(3, 7);
	struct node *a = &w->n[0], *b = &w->n[1];
	struct engine_sess_cfg sa = eth_cfg("a-side"), sb = eth_cfg("b-side");
	struct engine_cc *ca, *cb;

	ca = connect_ab(w);
	cb = engine_connect(b->eng, w->now, &b->peer, NULL, &a->addr);
	engine_sess_open(ca, w->now, &sa);
	engine_sess_open(cb, w->now, &sb);
	run(w, 5000);
	ok(a->cc_up == 1 && b->cc_up == 1 && count_ccs(a->eng) >= 1 &&
	   a->cc && b->cc && a->cc->peer_id == b->cc->local_id &&
	   b->cc->peer_id == a->cc->local_id,
	   "both sides open at once: one control connection survives");
	ok(a->sess_up == 2 && b->sess_up == 2 && a->cc &&
	   a->cc->sessions && a->cc->sessions->next,
	   "sessions queued on the losing connection moved to the winner");
	run(w, 40000);
	ok(count_ccs(a->eng) == 1 && count_ccs(b->eng) == 1,
	   "the losing connection is gone on both sides");
	ok(a->cc_down == 1 && b->cc_down == 1,
	   "each side hears ENGINE_DOWN once, for its losing connection "
	   "(whether it was its own or the peer's), so it can free its socket");
	ok(a->sent[L2TP_MSG_STOPCCN] + b->sent[L2TP_MSG_STOPCCN] == 1,
	   "the winner's StopCCN for the losing connection is acknowledged, not retransmitted (%u + %u sent)",
	   a->sent[L2TP_MSG_STOPCCN], b->sent[L2TP_MSG_STOPCCN]);
	ok(a->sent[L2TP_MSG_SCCRQ] == 1 && b->sent[L2TP_MSG_SCCRQ] == 1,
	   "the loser does not retransmit its SCCRQ");
	world_free(w);
}

void test_loss(void)
{
	unsigned int good = 0, runs = 10;
	uint64_t rtx = 0;

	for (unsigned int seed = 1; seed <= runs; seed++) {
		struct world *w = world_new(3, 100 + seed);
		struct node *a = &w->n[0], *b = &w->n[1];
		struct engine_cc *cc;

		w->loss_pct = 20;
		w->lat_min = 5;
		w->lat_span = 300;	/* reordering */
		for (int i = 0; i < 2; i++) {
			memcpy(w->n[i].peer.secret, "lossy", 5);
			w->n[i].peer.secret_len = 5;
			w->n[i].peer.digest = true;
		}
		cc = connect_ab(w);
		for (int k = 0; k < 5; k++) {
			char end[16];
			struct engine_sess_cfg sc;

			snprintf(end, sizeof(end), "pw%d", k);
			sc = eth_cfg(end);
			engine_sess_open(cc, w->now, &sc);
		}
		run(w, 120000);
		if (a->cc_up == 1 && b->cc_up == 1 && a->sess_up == 5 &&
		    b->sess_up == 5 && a->sess_down == 0 && b->sess_down == 0 &&
		    a->cc && b->cc)
			good++;
		if (a->cc)
			rtx += a->cc->rd.stats.retransmits;
		if (b->cc)
			rtx += b->cc->rd.stats.retransmits;
		world_free(w);
	}
	ok(good == runs,
	   "20%% loss + reordering: %u/%u runs bring up 1 connection and "
	   "5 sessions each side, none twice", good, runs);
	ok(rtx > 0, "retransmissions counted (%llu)", (unsigned long long)rtx);
}

void test_hello(void)
{
	struct world *w = world_new(3, 9);
	struct node *a = &w->n[0];
	struct engine_sess_cfg sc = eth_cfg("x");
	uint64_t t;

	a->peer.hello_ms = 10000;
	connect_ab(w);
	run(w, 500);
	engine_sess_open(a->cc, w->now, &sc);
	run(w, 1000);
	ok(a->sess_up == 1 && a->cc && a->cc->hello_deadline != RD_NEVER,
	   "HELLO timer armed once established");
	run(w, 30000);
	ok(a->cc && a->cc_down == 0 && a->cc->rd.stats.tx_msgs >= 4,
	   "idle connection kept alive by HELLOs (peer answers)");
	t = w->now;
	w->cut[1] = true;	/* B dies silently */
	run(w, t + 10000 + 1250 + 31000);
	ok(a->cc_down == 1 && a->sess_down == 1 && count_ccs(a->eng) == 0,
	   "dead peer: HELLO unanswered, connection and session cleared");
	world_free(w);
}

void test_failures(void)
{
	struct world *w = world_new(3, 10);
	struct node *a = &w->n[0], *b = &w->n[1];
	struct engine_sess_cfg sc = eth_cfg("pw");

	/* Data plane cannot be set up on B. */
	connect_ab(w);
	run(w, 500);
	b->fail_data_plane = true;
	engine_sess_open(a->cc, w->now, &sc);
	run(w, 1500);
	ok(a->sess_down == 1 && a->last_sess_result == L2TP_CDN_RC_GENERAL_ERROR &&
	   a->last_sess_error == L2TP_ERR_NO_RESOURCES && b->sess_up == 0,
	   "data plane failure on the recipient: CDN 2/4");
	b->fail_data_plane = false;

	/* Unsupported pseudowire type. */
	sc.pw_type = 0x000b;	/* not in anyone's capabilities */
	engine_sess_open(a->cc, w->now, &sc);
	run(w, 2500);
	ok(a->sess_down == 2 && a->last_sess_result == L2TP_CDN_RC_BAD_PW_TYPE,
	   "pseudowire type not in the capabilities: CDN 14");

	/* Recipient refuses the type by configuration. */
	b->accept_pw = L2TP_PW_PPP;
	sc.pw_type = L2TP_PW_ETH;
	engine_sess_open(a->cc, w->now, &sc);
	run(w, 3500);
	ok(a->sess_down == 3 && a->last_sess_result == L2TP_CDN_RC_BAD_PW_TYPE,
	   "no matching pseudowire configured: refused");
	b->accept_pw = 0;

	/* Sequencing without a sublayer. */
	sc.l2spec = L2TP_L2SPEC_NONE;
	sc.data_seq = L2TP_DATA_SEQ_ALL;
	engine_sess_open(a->cc, w->now, &sc);
	run(w, 4500);
	ok(a->sess_down == 4 && a->last_sess_result == L2TP_CDN_RC_SEQ_NO_SUBLAYER,
	   "sequencing required without L2-Specific Sublayer: CDN 15");
	world_free(w);
}
