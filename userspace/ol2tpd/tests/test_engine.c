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
 * The scenarios are in test_engine_sess.c and test_engine_cc.c; this file
 * is the harness and the list of them.
 *
 *   usage: test_engine [PCAP_TEXT_OUTPUT_DIR]
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "test_engine.h"

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

struct world *world_new(uint8_t ver, uint64_t seed)
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

void world_free(struct world *w)
{
	for (int i = 0; i < 2; i++)
		engine_free(w->n[i].eng);
	free(w->wire);
	free(w);
}

/* Run the world until `until` (absolute ms). */
void run(struct world *w, uint64_t until)
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

struct engine_cc *connect_ab(struct world *w)
{
	return engine_connect(w->n[0].eng, w->now, &w->n[0].peer, NULL,
			      &w->n[1].addr);
}

struct engine_sess_cfg eth_cfg(const char *end)
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

unsigned int count_ccs(struct engine *e)
{
	unsigned int n = 0;

	for (struct engine_cc *c = e->ccs; c; c = c->next)
		n++;
	return n;
}

/* The session of e whose peer id is id. */
struct engine_sess *peer_session(struct engine *e, uint32_t id)
{
	for (struct engine_cc *c = e->ccs; c; c = c->next)
		for (struct engine_sess *s = c->sessions; s; s = s->next)
			if (s->peer_id == id)
				return s;
	return NULL;
}

FILE *open_dump(const char *dir, const char *name)
{
	char path[512];

	if (!dir)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s.txt", dir, name);
	return fopen(path, "w");
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
