// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the reliable delivery engine (rd.c), time injected.
 *
 * Proves: acknowledgement (ZLB after the ack delay, or piggybacked on a
 * reply), the retransmission schedule 1-2-4-8-8 s with the cap >= 8 s and
 * the configurable retry limit, window and slow start / congestion
 * avoidance arithmetic, duplicates re-acked, out-of-order queueing,
 * Nr sanity, go-back after a timeout without resending what the peer
 * already acknowledged, the StopCCN linger, Ns/Nr wrap-around, and, over a
 * simulated lossy / duplicating / reordering wire in both directions,
 * exactly-once in-order delivery for many random seeds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../rd.h"
#include "../../tests/tap.h"

/* ---- recorder: one endpoint whose transmissions are logged ---------- */

#define LOG_MAX 4096

struct ev {
	uint64_t t;
	bool ack;		/* ZLB/ACK rather than a message */
	bool again;		/* retransmission */
	uint16_t ns, nr;
	uint8_t payload[8];
	size_t len;
};

struct rec {
	struct rd rd;
	uint64_t now;
	unsigned int n;
	struct ev ev[LOG_MAX];
};

static void rec_xmit(void *ctx, const uint8_t *buf, size_t len, uint16_t ns,
		     uint16_t nr, bool again)
{
	struct rec *r = ctx;
	struct ev *e;

	if (r->n == LOG_MAX)
		abort();
	e = &r->ev[r->n++];
	memset(e, 0, sizeof(*e));
	e->t = r->now;
	e->again = again;
	e->ns = ns;
	e->nr = nr;
	e->len = len < sizeof(e->payload) ? len : sizeof(e->payload);
	memcpy(e->payload, buf, e->len);
}

static void rec_ack(void *ctx, uint16_t ns, uint16_t nr)
{
	struct rec *r = ctx;
	struct ev *e;

	if (r->n == LOG_MAX)
		abort();
	e = &r->ev[r->n++];
	memset(e, 0, sizeof(*e));
	e->t = r->now;
	e->ack = true;
	e->ns = ns;
	e->nr = nr;
}

static const struct rd_ops rec_ops = { rec_xmit, rec_ack };

static struct rec *rec_new(const struct rd_config *cfg)
{
	struct rec *r = calloc(1, sizeof(*r));
	struct rd_config c;

	if (!r)
		abort();
	if (!cfg) {
		rd_config_default(&c);
		cfg = &c;
	}
	rd_init(&r->rd, cfg, &rec_ops, r);
	return r;
}

static void rec_free(struct rec *r)
{
	rd_free(&r->rd);
	free(r);
}

/* Advance to the next deadline (if not past limit) and tick. */
static enum rd_tick_result run_until(struct rec *r, uint64_t limit)
{
	for (;;) {
		uint64_t d = rd_next_deadline(&r->rd);
		enum rd_tick_result t;

		if (d == RD_NEVER || d > limit) {
			r->now = limit;
			return RD_TICK_OK;
		}
		if (d > r->now)
			r->now = d;
		t = rd_tick(&r->rd, r->now);
		if (t != RD_TICK_OK)
			return t;
	}
}

static int send_str(struct rec *r, const char *s)
{
	return rd_send(&r->rd, r->now, (const uint8_t *)s, strlen(s));
}

/* ---- deterministic tests ------------------------------------------- */

static void test_basic_ack(void)
{
	struct rec *a = rec_new(NULL), *b = rec_new(NULL);
	const uint8_t *p;
	size_t len = 0;
	int rc;

	rc = send_str(a, "m0");
	ok(rc == 0 && a->n == 1 && !a->ev[0].ack && a->ev[0].ns == 0 &&
	   a->ev[0].nr == 0 && !a->ev[0].again,
	   "first message goes out at once with Ns 0, Nr 0");
	rc = rd_input(&b->rd, 0, 0, 0, false, (const uint8_t *)"m0", 2);
	p = rd_pop(&b->rd, &len);
	ok(rc == RD_IN_NEW && p && len == 2 && !memcmp(p, "m0", 2) &&
	   !rd_pop(&b->rd, &len), "receiver delivers it once, in order");
	ok(rd_next_deadline(&b->rd) == 100 && b->n == 0,
	   "acknowledgement is held back by the ack delay (100 ms)");
	run_until(b, 100);
	ok(b->n == 1 && b->ev[0].ack && b->ev[0].ns == 0 && b->ev[0].nr == 1 &&
	   b->ev[0].t == 100, "then a ZLB with Nr 1 and Ns not advanced");
	rc = rd_input(&a->rd, 150, 0, 1, true, NULL, 0);
	ok(rc == RD_IN_ACK_ONLY && rd_idle(&a->rd) &&
	   rd_next_deadline(&a->rd) == RD_NEVER,
	   "ZLB empties the sender's queue and stops its timer");
	ok(rd_next_deadline(&b->rd) == RD_NEVER && b->n == 1,
	   "a ZLB is never acknowledged");
	ok(a->rd.stats.srtt_ms == 150 && a->rd.stats.rtt_min_ms == 150,
	   "round trip time sampled from the acknowledged message");
	rec_free(a);
	rec_free(b);
}

static void test_piggyback(void)
{
	struct rec *a = rec_new(NULL), *b = rec_new(NULL);
	size_t len;

	send_str(a, "SCCRQ");
	rd_input(&b->rd, 10, 0, 0, false, (const uint8_t *)"SCCRQ", 5);
	rd_pop(&b->rd, &len);
	b->now = 20;
	send_str(b, "SCCRP");
	ok(b->n == 1 && !b->ev[0].ack && b->ev[0].nr == 1,
	   "reply carries Nr 1 (piggybacked acknowledgement)");
	run_until(b, 500);
	ok(b->n == 1, "no separate ZLB once the reply acknowledged");
	rec_free(a);
	rec_free(b);
}

static void test_retransmit_schedule(void)
{
	static const uint64_t want[] = { 0, 1000, 3000, 7000, 15000, 23000 };
	struct rd_config c;
	struct rec *a = rec_new(NULL);
	enum rd_tick_result t;
	bool times_ok = true;

	send_str(a, "m0");
	t = run_until(a, 30999);
	for (unsigned int i = 0; i < 6; i++)
		times_ok &= a->ev[i].t == want[i] && a->ev[i].ns == 0 &&
			    a->ev[i].again == (i > 0);
	ok(a->n == 6 && times_ok && t == RD_TICK_OK,
	   "retransmissions at 1, 3, 7, 15, 23 s (1-2-4-8-8 backoff)");
	ok(a->rd.stats.retransmits == 5 && a->rd.stats.tx_msgs == 1,
	   "five retransmissions counted");
	t = run_until(a, 31000);
	ok(t == RD_TICK_FAILED && a->now == 31000 && a->n == 6,
	   "failure declared after the fifth retransmission times out (31 s)");
	ok(run_until(a, 100000) == RD_TICK_OK && a->n == 6,
	   "failure reported once, nothing sent afterwards");
	ok(send_str(a, "m1") < 0, "a failed engine refuses new messages");
	rd_config_default(&c);
	ok(rd_cycle_ms(&c) == 31000, "full retransmission cycle is 31 s");
	rec_free(a);

	/* A cap below 8 s is raised to 8 s. */
	rd_config_default(&c);
	c.rto_max_ms = 2000;
	a = rec_new(&c);
	send_str(a, "m0");
	run_until(a, 30999);
	ok(a->n == 6 && a->ev[4].t == 15000 && a->ev[5].t == 23000,
	   "configured cap of 2 s is raised to the 8 s minimum");
	rec_free(a);

	/* Larger cap and more retries. */
	c.rto_max_ms = 16000;
	c.max_retries = 7;
	a = rec_new(&c);
	send_str(a, "m0");
	t = run_until(a, 1000000);
	ok(a->n == 8 && a->ev[5].t == 31000 && a->ev[6].t == 47000 &&
	   a->ev[7].t == 63000 && t == RD_TICK_FAILED && a->now == 79000,
	   "cap 16 s, 7 retries: 1,2,4,8,16,16,16 then failure at 79 s");
	ok(rd_cycle_ms(&c) == 79000, "cycle follows the configuration");
	rec_free(a);

	c.max_retries = 0;
	a = rec_new(&c);
	send_str(a, "m0");
	t = run_until(a, 100000);
	ok(a->n == 1 && t == RD_TICK_FAILED && a->now == 1000,
	   "0 retries: failure at the first timeout");
	rec_free(a);

	/* Progress resets the backoff. */
	a = rec_new(NULL);
	send_str(a, "m0");
	run_until(a, 3000);		/* sent at 0, 1000, 3000 */
	send_str(a, "m1");		/* queued: cwnd is 1 after loss */
	a->now = 3500;
	rd_input(&a->rd, a->now, 0, 1, true, NULL, 0);
	ok(a->n == 4 && a->ev[3].ns == 1 && a->ev[3].t == 3500 &&
	   rd_next_deadline(&a->rd) == 4500,
	   "acknowledgement resets the timeout to 1 s for the next message");
	rec_free(a);
}

static void test_window_and_congestion(void)
{
	struct rec *a = rec_new(NULL);
	unsigned int max_inflight = 0;
	uint16_t acked = 0;

	for (int i = 0; i < 10; i++) {
		send_str(a, "x");
		if (rd_in_flight(&a->rd) > max_inflight)
			max_inflight = rd_in_flight(&a->rd);
	}
	ok(a->n == 1 && rd_in_flight(&a->rd) == 1,
	   "slow start: one message in flight before the first ACK");
	/* Acknowledge one message at a time. */
	while (!rd_idle(&a->rd)) {
		acked++;
		rd_input(&a->rd, 10 * acked, 0, acked, true, NULL, 0);
		if (rd_in_flight(&a->rd) > max_inflight)
			max_inflight = rd_in_flight(&a->rd);
	}
	ok(max_inflight == 4 && a->n == 10,
	   "never more than the peer's default window of 4 in flight");
	ok(a->rd.cwnd == 4, "congestion window capped at the peer window");
	rec_free(a);

	a = rec_new(NULL);
	rd_set_peer_window(&a->rd, 1);
	for (int i = 0; i < 3; i++)
		send_str(a, "x");
	ok(a->n == 1, "peer window 1: one message at a time");
	rd_input(&a->rd, 5, 0, 1, true, NULL, 0);
	ok(a->n == 2 && rd_in_flight(&a->rd) == 1,
	   "peer window 1: the next only after the ACK");
	rd_set_peer_window(&a->rd, 0);
	ok(a->rd.peer_rwin == 1, "receive window 0 is ignored as invalid");
	rec_free(a);

	/* Slow start then congestion avoidance (RFC 3931 Appendix A). */
	a = rec_new(NULL);
	rd_set_peer_window(&a->rd, 32);
	for (int i = 0; i < 8; i++)
		send_str(a, "x");
	acked = 0;
	for (int i = 0; i < 7; i++) {
		acked++;
		rd_input(&a->rd, acked, 0, acked, true, NULL, 0);
	}
	ok(a->rd.cwnd == 8 && a->rd.ssthresh == 32,
	   "slow start: cwnd grows by one per ACK (1 -> 8 after 7)");
	a->now = 5000;
	rd_tick(&a->rd, a->now);	/* timeout of the 8th */
	ok(a->rd.cwnd == 1 && a->rd.ssthresh == 4,
	   "timeout: ssthresh = cwnd / 2, cwnd = 1");
	for (int i = 0; i < 40; i++)
		send_str(a, "y");
	{
		uint32_t seen[12];

		for (int i = 0; i < 12; i++) {
			acked++;
			rd_input(&a->rd, 5000 + (uint64_t)i, 0, acked, true,
				 NULL, 0);
			seen[i] = a->rd.cwnd;
		}
		/* 1->2->3->4 slow start, then +1 per cwnd ACKs. */
		ok(seen[0] == 2 && seen[1] == 3 && seen[2] == 4 &&
		   seen[3] == 4 && seen[5] == 4 && seen[6] == 5 &&
		   seen[10] == 5 && seen[11] == 6,
		   "congestion avoidance: +1 per cwnd ACKs above ssthresh");
	}
	rec_free(a);
}

static void test_receive_side(void)
{
	struct rd_config c;
	struct rec *b;
	const uint8_t *p;
	size_t len = 0;
	int rc;

	rd_config_default(&c);
	c.rwin = 4;
	b = rec_new(&c);
	rc = rd_input(&b->rd, 0, 0, 0, false, (const uint8_t *)"a", 1);
	rd_pop(&b->rd, &len);
	rc = rd_input(&b->rd, 1, 0, 0, false, (const uint8_t *)"a", 1);
	ok(rc == RD_IN_DUP && b->n == 1 && b->ev[0].ack && b->ev[0].nr == 1 &&
	   !rd_pop(&b->rd, &len),
	   "duplicate: acknowledged again at once, not delivered twice");
	rc = rd_input(&b->rd, 2, 2, 0, false, (const uint8_t *)"c", 1);
	ok(rc == RD_IN_QUEUED && !rd_pop(&b->rd, &len) && b->rd.nr == 1,
	   "message after a gap is queued, Nr stays");
	rc = rd_input(&b->rd, 3, 2, 0, false, (const uint8_t *)"c", 1);
	ok(rc == RD_IN_DUP, "a second copy of the queued message is a duplicate");
	rc = rd_input(&b->rd, 4, 5, 0, false, (const uint8_t *)"f", 1);
	ok(rc == RD_IN_BEYOND_WINDOW,
	   "message beyond the offered window (4) is dropped");
	rc = rd_input(&b->rd, 5, 4, 0, false, (const uint8_t *)"e", 1);
	ok(rc == RD_IN_QUEUED, "last slot of the window is accepted");
	rc = rd_input(&b->rd, 6, 1, 0, false, (const uint8_t *)"b", 1);
	p = rd_pop(&b->rd, &len);
	ok(rc == RD_IN_NEW && p && *p == 'b' &&
	   (p = rd_pop(&b->rd, &len)) && *p == 'c' && !rd_pop(&b->rd, &len) &&
	   b->rd.nr == 3, "gap filled: queued messages follow in order");
	rc = rd_input(&b->rd, 7, 3, 0, false, (const uint8_t *)"d", 1);
	ok(rc == RD_IN_NEW && (p = rd_pop(&b->rd, &len)) && *p == 'd' &&
	   (p = rd_pop(&b->rd, &len)) && *p == 'e' && b->rd.nr == 5,
	   "and again with the message queued earlier at the window edge");
	ok(b->rd.stats.rx_msgs == 5 && b->rd.stats.rx_dups == 2 &&
	   b->rd.stats.rx_out_of_order == 2 &&
	   b->rd.stats.rx_beyond_window == 1, "receive counters");
	rec_free(b);

	/* Nr acknowledging something never sent. */
	b = rec_new(NULL);
	send_str(b, "x");
	rc = rd_input(&b->rd, 10, 0, 2, false, (const uint8_t *)"y", 1);
	ok(rc == RD_IN_BAD_NR && !rd_pop(&b->rd, &len) &&
	   rd_in_flight(&b->rd) == 1 && b->rd.stats.rx_bad_nr == 1,
	   "Nr beyond the last Ns sent: message refused, state unchanged");
	rc = rd_input(&b->rd, 10, 0, 1, false, (const uint8_t *)"y", 1);
	ok(rc == RD_IN_NEW && rd_idle(&b->rd), "valid Nr then accepted");
	rec_free(b);
}

static void test_go_back(void)
{
	struct rec *a = rec_new(NULL);
	unsigned int n_before;

	rd_set_peer_window(&a->rd, 8);
	a->rd.cwnd = 4;
	for (int i = 0; i < 3; i++)
		send_str(a, "z");
	ok(a->n == 3, "three messages in flight");
	n_before = a->n;
	run_until(a, 1000);
	ok(a->n == n_before + 1 && a->ev[3].ns == 0 && a->ev[3].again,
	   "timeout: only the oldest is resent (cwnd 1)");
	/* Peer had 1 and 2 queued: its Nr jumps to 3. */
	rd_input(&a->rd, 1100, 0, 3, true, NULL, 0);
	ok(rd_idle(&a->rd) && a->n == n_before + 1,
	   "cumulative ACK: 1 and 2 are not resent");
	a->now = 1100;
	send_str(a, "w");
	ok(a->n == n_before + 2 && a->ev[a->n - 1].ns == 3 &&
	   !a->ev[a->n - 1].again,
	   "and the next new message goes out at once");
	rec_free(a);
}

static void test_linger(void)
{
	struct rec *b = rec_new(NULL);
	size_t len;

	rd_input(&b->rd, 0, 0, 0, false, (const uint8_t *)"StopCCN", 7);
	rd_pop(&b->rd, &len);
	rd_ack_now(&b->rd, 0);
	ok(b->n == 1 && b->ev[0].ack && b->ev[0].nr == 1,
	   "StopCCN acknowledged at once on request");
	rd_linger(&b->rd, 0);
	ok(run_until(b, 30999) == RD_TICK_OK, "still lingering before 31 s");
	rd_input(&b->rd, 20000, 0, 0, false, (const uint8_t *)"StopCCN", 7);
	ok(b->n == 2 && b->ev[1].ack && b->ev[1].nr == 1,
	   "retransmitted StopCCN during the linger is acknowledged again");
	ok(run_until(b, 31000) == RD_TICK_LINGER_DONE && b->now == 31000,
	   "linger over after one full retransmission cycle");
	ok(run_until(b, 90000) == RD_TICK_OK, "reported once");
	rec_free(b);
}

static void test_wrap(void)
{
	struct rec *a = rec_new(NULL), *b = rec_new(NULL);
	static const uint16_t order[] = { 65534, 1, 65535, 0, 2 };
	const uint8_t *p;
	size_t len;
	char got[8] = "";
	unsigned int n = 0;

	rd_set_seq(&a->rd, 65534, 0);
	rd_set_seq(&b->rd, 0, 65534);
	rd_set_peer_window(&a->rd, 8);
	a->rd.cwnd = 8;
	for (int i = 0; i < 5; i++) {
		char m[2] = { (char)('a' + i), 0 };

		send_str(a, m);
	}
	ok(a->n == 5 && a->ev[0].ns == 65534 && a->ev[1].ns == 65535 &&
	   a->ev[2].ns == 0 && a->ev[4].ns == 2,
	   "Ns wraps from 65535 to 0");
	for (unsigned int i = 0; i < 5; i++) {
		uint16_t ns = order[i];
		const struct ev *e = &a->ev[(uint16_t)(ns - 65534)];

		rd_input(&b->rd, i, e->ns, e->nr, false, e->payload, e->len);
		while ((p = rd_pop(&b->rd, &len)) && n < 7)
			got[n++] = (char)*p;
	}
	ok(!strcmp(got, "abcde") && b->rd.nr == 3,
	   "reordered across the wrap, delivered in order, Nr 3");
	rd_input(&a->rd, 10, 0, 3, true, NULL, 0);
	ok(rd_idle(&a->rd), "acknowledgement across the wrap empties the queue");
	rd_input(&b->rd, 11, 65535, 0, false, (const uint8_t *)"b", 1);
	ok(b->rd.stats.rx_dups == 1,
	   "65535 after the wrap is recognised as a duplicate");
	rec_free(a);
	rec_free(b);
}

/* ---- simulated wire ------------------------------------------------- */

struct pkt {
	uint64_t at;
	int dst;
	bool ack;
	uint16_t ns, nr;
	uint32_t id;		/* application message number */
};

struct sim {
	uint64_t now;
	uint64_t rng;
	unsigned int loss_pct, dup_pct;
	uint32_t lat_min, lat_span;
	struct pkt *wire;
	size_t nwire, capwire;
	struct end {
		struct rd rd;
		struct sim *sim;
		int idx;
		uint32_t next_id;	/* next message to receive */
		bool order_broken;
		uint32_t delivered;
	} end[2];
	unsigned int msgs_per_side;
	uint64_t send_times[2][2048];
	uint32_t sent[2];
};

static uint32_t rnd(struct sim *s)
{
	/* xorshift64* */
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return (uint32_t)((s->rng * 0x2545F4914F6CDD1DULL) >> 32);
}

static void wire_put(struct sim *s, int dst, bool ack, uint16_t ns,
		     uint16_t nr, uint32_t id)
{
	int copies = 1;

	if (rnd(s) % 100 < s->loss_pct)
		return;
	if (rnd(s) % 100 < s->dup_pct)
		copies = 2;
	while (copies--) {
		struct pkt *p;

		if (s->nwire == s->capwire) {
			s->capwire = s->capwire ? s->capwire * 2 : 256;
			s->wire = realloc(s->wire,
					  s->capwire * sizeof(*s->wire));
			if (!s->wire)
				abort();
		}
		p = &s->wire[s->nwire++];
		p->at = s->now + s->lat_min + rnd(s) % (s->lat_span + 1);
		p->dst = dst;
		p->ack = ack;
		p->ns = ns;
		p->nr = nr;
		p->id = id;
	}
}

static void sim_xmit(void *ctx, const uint8_t *buf, size_t len, uint16_t ns,
		     uint16_t nr, bool again)
{
	struct end *e = ctx;
	uint32_t id;

	(void)again;
	if (len != 4)
		abort();
	memcpy(&id, buf, 4);
	wire_put(e->sim, !e->idx, false, ns, nr, id);
}

static void sim_ack(void *ctx, uint16_t ns, uint16_t nr)
{
	struct end *e = ctx;

	wire_put(e->sim, !e->idx, true, ns, nr, 0);
}

static const struct rd_ops sim_ops = { sim_xmit, sim_ack };

static void sim_deliver(struct sim *s, struct pkt *p)
{
	struct end *e = &s->end[p->dst];
	const uint8_t *m;
	size_t len;

	rd_input(&e->rd, s->now, p->ns, p->nr, p->ack,
		 (const uint8_t *)&p->id, p->ack ? 0 : 4);
	while ((m = rd_pop(&e->rd, &len))) {
		uint32_t id;

		memcpy(&id, m, 4);
		if (id != e->next_id)
			e->order_broken = true;
		e->next_id = id + 1;
		e->delivered++;
	}
}

/* Returns true if everything arrived exactly once and in order. */
static bool sim_run(uint64_t seed, unsigned int loss, unsigned int dup,
		    uint16_t start_seq, uint64_t *retransmits, bool *failed)
{
	struct sim *s = calloc(1, sizeof(*s));
	struct rd_config c;
	bool good;

	if (!s)
		abort();
	s->rng = seed * 0x9E3779B97F4A7C15ULL + 1;
	s->loss_pct = loss;
	s->dup_pct = dup;
	s->lat_min = 5;
	s->lat_span = 400;	/* wide jitter: plenty of reordering */
	s->msgs_per_side = 300;
	rd_config_default(&c);
	c.max_retries = 40;
	c.rwin = 8;
	for (int i = 0; i < 2; i++) {
		s->end[i].sim = s;
		s->end[i].idx = i;
		rd_init(&s->end[i].rd, &c, &sim_ops, &s->end[i]);
		rd_set_seq(&s->end[i].rd, start_seq, start_seq);
		rd_set_peer_window(&s->end[i].rd, 8);
		for (unsigned int k = 0; k < s->msgs_per_side; k++)
			s->send_times[i][k] = k * 37 + rnd(s) % 50;
	}

	*failed = false;
	while (s->now < 50ULL * 3600 * 1000) {
		uint64_t next = RD_NEVER;
		bool more_to_send = false;

		for (int i = 0; i < 2; i++) {
			struct end *e = &s->end[i];

			while (s->sent[i] < s->msgs_per_side &&
			       s->send_times[i][s->sent[i]] <= s->now) {
				uint32_t id = s->sent[i];

				/* Queue full: the sender waits. */
				if (rd_send(&e->rd, s->now, (uint8_t *)&id,
					    4) < 0) {
					s->send_times[i][id] = s->now + 10;
					break;
				}
				s->sent[i]++;
			}
			if (s->sent[i] < s->msgs_per_side) {
				more_to_send = true;
				if (s->send_times[i][s->sent[i]] < next)
					next = s->send_times[i][s->sent[i]];
			}
			if (rd_tick(&e->rd, s->now) == RD_TICK_FAILED)
				*failed = true;
			if (rd_next_deadline(&e->rd) < next)
				next = rd_next_deadline(&e->rd);
		}
		for (size_t i = 0; i < s->nwire; i++)
			if (s->wire[i].at < next)
				next = s->wire[i].at;
		if (next == RD_NEVER && !more_to_send)
			break;
		if (next > s->now)
			s->now = next;
		/* Deliver everything due, in arrival-time order. */
		for (;;) {
			size_t best = SIZE_MAX;
			struct pkt p;

			for (size_t i = 0; i < s->nwire; i++)
				if (s->wire[i].at <= s->now &&
				    (best == SIZE_MAX ||
				     s->wire[i].at < s->wire[best].at))
					best = i;
			if (best == SIZE_MAX)
				break;
			p = s->wire[best];
			s->wire[best] = s->wire[--s->nwire];
			sim_deliver(s, &p);
		}
	}

	good = !*failed;
	for (int i = 0; i < 2; i++) {
		good &= !s->end[i].order_broken &&
			s->end[i].delivered == s->msgs_per_side &&
			rd_idle(&s->end[i].rd);
	}
	*retransmits = s->end[0].rd.stats.retransmits +
		       s->end[1].rd.stats.retransmits;
	for (int i = 0; i < 2; i++)
		rd_free(&s->end[i].rd);
	free(s->wire);
	free(s);
	return good;
}

static void test_simulated(void)
{
	uint64_t rtx = 0, total_rtx = 0;
	bool failed, all = true;
	unsigned int bad_seed = 0;

	ok(sim_run(1, 0, 0, 0, &rtx, &failed) && !failed,
	   "clean wire with jitter: 2 x 300 messages, in order, once");
	for (unsigned int seed = 1; seed <= 40; seed++) {
		uint16_t start = (uint16_t)(65536 - 150 + seed);

		if (!sim_run(seed, 20, 5, start, &rtx, &failed)) {
			all = false;
			bad_seed = seed;
			break;
		}
		total_rtx += rtx;
	}
	ok(all, "20%% loss, 5%% duplication, reordering, across the wrap: "
	   "40 seeds deliver exactly once, in order (first bad seed %u)",
	   bad_seed);
	ok(total_rtx > 0, "losses were repaired by retransmission (%llu)",
	   (unsigned long long)total_rtx);
}

int main(void)
{
	tap_start();
	test_basic_ack();
	test_piggyback();
	test_retransmit_schedule();
	test_window_and_congestion();
	test_receive_side();
	test_go_back();
	test_linger();
	test_wrap();
	test_simulated();
	return tap_done();
}
