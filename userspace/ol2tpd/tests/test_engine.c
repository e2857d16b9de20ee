// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the protocol engine: two engines wired back to back in
 * memory, time injected, no kernel.
 *
 *     node A (10.0.0.1:1701)  <== simulated wire ==>  node B (10.0.0.2:1701)
 *       engine + rd                 latency, loss,       engine + rd
 *                                   reordering, cut
 *
 * Proves: control connections come up (L2TPv3 over UDP and IP, L2TPv2);
 * sessions for incoming and outgoing calls come up on both sides with
 * matching ids and cookies; Message Digest (MD5, SHA1), Challenge and
 * hiding work together; a wrong secret is refused with Result Code 4;
 * an unconfigured peer is refused; control connection and session tie
 * breaking leave exactly one of each; CDN and StopCCN tear down on both
 * sides; a dead peer is detected by HELLO; 20% loss with reordering still
 * converges with nothing duplicated; malformed session messages are
 * answered with a CDN carrying the right codes.  Every datagram of the
 * scenarios is kept (text2pcap format) for tests/tshark-check.
 *
 *   usage: test_engine [PCAP_TEXT_OUTPUT_DIR]
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "../engine_int.h"
#include "../../tests/tap.h"

#define MAX_PKTS 4096

struct node;

struct world {
	uint64_t now;
	uint64_t rng;
	unsigned int loss_pct;
	uint32_t lat_min, lat_span;
	bool cut[2];			/* drop everything sent by node i */
	struct pkt {
		uint64_t at;
		int dst;
		size_t len;
		uint8_t data[L2TP_MSG_MAX + 4];
	} *wire;
	size_t nwire;
	/* Mutate the next datagram node i sends of message type t. */
	int mutate_node;
	uint16_t mutate_type;
	void (*mutate)(uint8_t *buf, size_t *len);
	FILE *dump;			/* text2pcap input, or NULL */
	bool ip;
	struct node {
		struct world *w;
		int idx;
		struct engine *eng;
		struct engine_addr addr;
		struct engine_peer_cfg peer;	/* how to treat the other */
		bool refuse_peer;
		bool busy_peer;		/* known, but no room */
		bool fail_data_plane;
		uint16_t accept_pw;		/* 0: any */
		int cc_up, cc_down, sess_up, sess_down;
		struct engine_cc *cc;		/* last connection up */
		struct engine_sess *sess;	/* last session up */
		uint16_t last_sess_result, last_sess_error;
		uint16_t last_cc_result, last_cc_error;
		bool last_cc_auth_failed;
		unsigned int sent[32];		/* messages sent, by type */
		char last_log[512];
		char logs[16384];
		int errors_logged;
	} n[2];
};

static uint32_t rnd(struct world *w)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return (uint32_t)((w->rng * 0x2545F4914F6CDD1DULL) >> 32);
}

static void dump_pkt(struct world *w, int from, const uint8_t *buf,
		     size_t len)
{
	if (!w->dump)
		return;
	/* text2pcap -D: node 0 sends "O", node 1 "I". */
	fprintf(w->dump, "%c 000000", from ? 'I' : 'O');
	for (size_t i = 0; i < len; i++)
		fprintf(w->dump, " %02x", buf[i]);
	fprintf(w->dump, "\n");
}

static void t_send(void *ctx, struct engine_cc *cc, const uint8_t *buf,
		   size_t len)
{
	struct node *n = ctx;
	struct world *w = n->w;
	struct pkt *p;
	uint8_t tmp[L2TP_MSG_MAX + 4];
	size_t hl = w->ip ? 4 : 0;

	/* Like the daemon: a connection that sends has a socket. */
	if (!cc->user)
		cc->user = n;
	if (len > sizeof(tmp))
		abort();
	memcpy(tmp, buf, len);
	if (w->mutate && w->mutate_node == n->idx && len >= hl + 20 &&
	    get_be16(tmp + hl + 18) == w->mutate_type) {
		w->mutate(tmp, &len);
		w->mutate = NULL;
	}
	if (w->cut[n->idx])
		return;
	if (len >= hl + 20 && get_be16(tmp + hl + 18) < 32)
		n->sent[get_be16(tmp + hl + 18)]++;
	dump_pkt(w, n->idx, tmp, len);
	if (rnd(w) % 100 < w->loss_pct)
		return;
	if (w->nwire == MAX_PKTS)
		abort();
	p = &w->wire[w->nwire++];
	p->at = w->now + w->lat_min + (w->lat_span ? rnd(w) % w->lat_span : 0);
	p->dst = !n->idx;
	p->len = len;
	memcpy(p->data, tmp, len);
}

static int t_peer_lookup(void *ctx, const struct engine_addr *addr,
			 uint8_t version, const char *host,
			 struct engine_peer_cfg *cfg)
{
	struct node *n = ctx;

	(void)addr;
	(void)host;
	if (n->refuse_peer || version != n->peer.version)
		return -1;
	*cfg = n->peer;
	return n->busy_peer ? 1 : 0;
}

static int t_sess_lookup(void *ctx, struct engine_cc *cc, uint16_t pw,
			 const uint8_t *end_id, size_t end_len,
			 struct engine_sess_cfg *cfg)
{
	struct node *n = ctx;

	(void)cc;
	(void)end_id;
	(void)end_len;
	if (n->accept_pw && pw != n->accept_pw)
		return L2TP_CDN_RC_BAD_PW_TYPE;
	memset(cfg, 0, sizeof(*cfg));
	cfg->pw_type = pw;
	cfg->cookie_len = 8;
	cfg->l2spec = L2TP_L2SPEC_DEFAULT;
	return 0;
}

static void t_cc_event(void *ctx, struct engine_cc *cc, enum engine_event ev)
{
	struct node *n = ctx;

	if (ev == ENGINE_UP) {
		n->cc_up++;
		n->cc = cc;
	} else {
		n->cc_down++;
		n->last_cc_result = cc->result;
		n->last_cc_error = cc->error;
		n->last_cc_auth_failed = cc->auth_failed;
		if (n->cc == cc)
			n->cc = NULL;
	}
}

static int t_sess_event(void *ctx, struct engine_sess *s,
			enum engine_event ev)
{
	struct node *n = ctx;

	if (ev == ENGINE_UP) {
		if (n->fail_data_plane)
			return -1;
		n->sess_up++;
		n->sess = s;
	} else {
		n->sess_down++;
		n->last_sess_result = s->result;
		n->last_sess_error = s->error;
		if (n->sess == s)
			n->sess = NULL;
	}
	return 0;
}

static void t_log(void *ctx, int level, const char *msg)
{
	struct node *n = ctx;

	snprintf(n->last_log, sizeof(n->last_log), "%s", msg);
	if (strlen(n->logs) + strlen(msg) + 2 < sizeof(n->logs)) {
		strcat(n->logs, msg);
		strcat(n->logs, "\n");
	}
	if (level <= LOG_ERR)
		n->errors_logged++;
	if (getenv("TEST_ENGINE_VERBOSE"))
		fprintf(stderr, "[%c %llu] %s\n", 'A' + n->idx,
			(unsigned long long)n->w->now, msg);
}

static const struct engine_ops t_ops = {
	.send = t_send,
	.peer_lookup = t_peer_lookup,
	.sess_lookup = t_sess_lookup,
	.cc_event = t_cc_event,
	.sess_event = t_sess_event,
	.log = t_log,
};

static struct world *world_new(uint8_t ver, uint64_t seed)
{
	struct world *w = calloc(1, sizeof(*w));
	struct engine_cfg ec;

	if (!w)
		abort();
	w->wire = calloc(MAX_PKTS, sizeof(*w->wire));
	if (!w->wire)
		abort();
	w->rng = seed * 0x9E3779B97F4A7C15ULL + 7;
	w->lat_min = 10;
	w->lat_span = 0;
	for (int i = 0; i < 2; i++) {
		struct node *n = &w->n[i];
		struct sockaddr_in *sin = (void *)&n->addr.ss;

		n->w = w;
		n->idx = i;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(1701);
		sin->sin_addr.s_addr = htonl(0x0a000001 + i);
		n->addr.len = sizeof(*sin);
		memset(&ec, 0, sizeof(ec));
		snprintf(ec.host_name, sizeof(ec.host_name), "node-%c",
			 'a' + i);
		snprintf(ec.vendor_name, sizeof(ec.vendor_name), "ol2tpd test");
		ec.router_id = 0x0a000001 + (uint32_t)i;
		ec.pw_caps[0] = L2TP_PW_ETH;
		ec.pw_caps[1] = L2TP_PW_PPP;
		ec.n_pw_caps = 2;
		n->eng = engine_new(&ec, &t_ops, n);
		engine_peer_cfg_default(&n->peer);
		snprintf(n->peer.name, sizeof(n->peer.name), "peer-%c",
			 'b' - i);
		n->peer.index = 5 + i;	/* the caller's number, handed back */
		n->peer.version = ver;
		n->peer.hello_ms = 0;
	}
	return w;
}

static void world_free(struct world *w)
{
	for (int i = 0; i < 2; i++)
		engine_free(w->n[i].eng);
	free(w->wire);
	free(w);
}

/* Run the world until `until` (absolute ms). */
static void run(struct world *w, uint64_t until)
{
	while (w->now <= until) {
		uint64_t next = RD_NEVER;

		for (int i = 0; i < 2; i++) {
			engine_tick(w->n[i].eng, w->now);
			if (engine_next_deadline(w->n[i].eng) < next)
				next = engine_next_deadline(w->n[i].eng);
		}
		for (size_t i = 0; i < w->nwire; i++)
			if (w->wire[i].at < next)
				next = w->wire[i].at;
		if (next == RD_NEVER || next > until) {
			w->now = until;
			for (int i = 0; i < 2; i++)
				engine_tick(w->n[i].eng, w->now);
			return;
		}
		if (next > w->now)
			w->now = next;
		for (;;) {
			size_t best = SIZE_MAX;

			for (size_t i = 0; i < w->nwire; i++)
				if (w->wire[i].at <= w->now &&
				    (best == SIZE_MAX ||
				     w->wire[i].at < w->wire[best].at))
					best = i;
			if (best == SIZE_MAX)
				break;
			{
				static struct pkt p;
				struct node *dst;

				p = w->wire[best];
				w->wire[best] = w->wire[--w->nwire];
				dst = &w->n[p.dst];
				engine_input(dst->eng, w->now, NULL, w->ip,
					     &w->n[!p.dst].addr, p.data,
					     p.len);
			}
		}
	}
}

static struct engine_cc *connect_ab(struct world *w)
{
	return engine_connect(w->n[0].eng, w->now, &w->n[0].peer, NULL,
			      &w->n[1].addr);
}

static struct engine_sess_cfg eth_cfg(const char *end)
{
	struct engine_sess_cfg c;

	memset(&c, 0, sizeof(c));
	c.pw_type = L2TP_PW_ETH;
	c.cookie_len = 4;
	c.l2spec = L2TP_L2SPEC_DEFAULT;
	c.tie_breaker = true;
	c.end_id_len = strlen(end);
	memcpy(c.end_id, end, c.end_id_len);
	return c;
}

static unsigned int count_ccs(struct engine *e)
{
	unsigned int n = 0;

	for (struct engine_cc *c = e->ccs; c; c = c->next)
		n++;
	return n;
}

/* The session of e whose peer id is id. */
static struct engine_sess *peer_session(struct engine *e, uint32_t id)
{
	for (struct engine_cc *c = e->ccs; c; c = c->next)
		for (struct engine_sess *s = c->sessions; s; s = s->next)
			if (s->peer_id == id)
				return s;
	return NULL;
}

static FILE *open_dump(const char *dir, const char *name)
{
	char path[512];

	if (!dir)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s.txt", dir, name);
	return fopen(path, "w");
}

/* A full v3 Ethernet pseudowire life: up, CDN, StopCCN. */
static void scenario_v3(const char *dumpdir, const char *label, bool ip,
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

static void test_v2_ppp(const char *dumpdir)
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

static void test_wrong_secret(void)
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

static void test_refused_peer(void)
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
static void test_max_pending(void)
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

static void test_cc_tie(void)
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

static void test_sess_tie(void)
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

static void test_loss(void)
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

static void test_hello(void)
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

static void test_failures(void)
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

static void test_malformed(void)
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

int main(int argc, char **argv)
{
	const char *dumpdir = argc > 1 ? argv[1] : NULL;

	tap_start();
	scenario_v3(dumpdir, "v3-udp", false, false, 0, false, false);
	scenario_v3(dumpdir, "v3-udp-md5-chal-hide", false, true,
		    L2TP_DIGEST_HMAC_MD5, true, true);
	scenario_v3(dumpdir, "v3-udp-sha1", false, true,
		    L2TP_DIGEST_HMAC_SHA1, false, false);
	scenario_v3(dumpdir, "v3-ip-md5", true, true, L2TP_DIGEST_HMAC_MD5,
		    false, false);
	test_v2_ppp(dumpdir);
	test_wrong_secret();
	test_refused_peer();
	test_max_pending();
	test_cc_tie();
	test_sess_tie();
	test_loss();
	test_hello();
	test_failures();
	test_malformed();
	return tap_done();
}
