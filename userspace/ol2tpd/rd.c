// SPDX-License-Identifier: GPL-2.0
/*
 * Reliable delivery engine for control messages.  See rd.h.
 *
 * Sequence numbers are compared as distances from a reference point in the
 * 16-bit space: "x is in [a, b]" is (uint16_t)(x - a) <= (uint16_t)(b - a),
 * which stays right across the wrap from 65535 to 0.
 */
#include <stdlib.h>
#include <string.h>

#include "rd.h"

static inline uint16_t dist(uint16_t from, uint16_t to)
{
	return (uint16_t)(to - from);
}

void rd_config_default(struct rd_config *c)
{
	c->rwin = 16;
	c->rto_ms = 1000;
	c->rto_max_ms = RD_RTO_CAP_MIN_MS;
	c->max_retries = 5;
	c->ack_delay_ms = 100;
}

void rd_init(struct rd *rd, const struct rd_config *cfg,
	     const struct rd_ops *ops, void *ctx)
{
	memset(rd, 0, sizeof(*rd));
	rd->cfg = *cfg;
	if (rd->cfg.rwin < 1)
		rd->cfg.rwin = 1;
	if (rd->cfg.rwin > RD_RXQ_MAX)
		rd->cfg.rwin = RD_RXQ_MAX;
	if (!rd->cfg.rto_ms)
		rd->cfg.rto_ms = 1000;
	if (rd->cfg.rto_max_ms < RD_RTO_CAP_MIN_MS)
		rd->cfg.rto_max_ms = RD_RTO_CAP_MIN_MS;
	if (rd->cfg.rto_max_ms < rd->cfg.rto_ms)
		rd->cfg.rto_max_ms = rd->cfg.rto_ms;
	rd->ops = ops;
	rd->ctx = ctx;
	rd->peer_rwin = 4;	/* RFC 3931 5.4.3: absent AVP means 4 */
	rd->cwnd = 1;
	rd->ssthresh = rd->peer_rwin;
	rd->rto_cur = rd->cfg.rto_ms;
	rd->rtx_deadline = RD_NEVER;
	rd->ack_deadline = RD_NEVER;
	rd->linger_deadline = RD_NEVER;
}

void rd_free(struct rd *rd)
{
	for (unsigned int i = 0; i < rd->txq_len; i++)
		free(rd->txq[(rd->txq_head + i) % RD_TXQ_MAX].buf);
	rd->txq_len = 0;
	for (unsigned int i = 0; i < RD_RXQ_MAX; i++) {
		free(rd->rxq[i].buf);
		rd->rxq[i].buf = NULL;
	}
	free(rd->popped);
	rd->popped = NULL;
}

void rd_set_seq(struct rd *rd, uint16_t ns_next, uint16_t nr)
{
	rd->ns_next = rd->una = rd->snd_nxt = rd->snd_max = ns_next;
	rd->nr = rd->ready = nr;
}

void rd_set_peer_window(struct rd *rd, uint16_t w)
{
	if (!w)
		return;
	rd->peer_rwin = w;
	rd->ssthresh = w;
	if (rd->cwnd > w)
		rd->cwnd = w;
}

static struct rd_tx *tx_entry(struct rd *rd, uint16_t ns)
{
	return &rd->txq[(rd->txq_head + dist(rd->una, ns)) % RD_TXQ_MAX];
}

unsigned int rd_in_flight(const struct rd *rd)
{
	return dist(rd->una, rd->snd_nxt);
}

bool rd_idle(const struct rd *rd)
{
	return rd->txq_len == 0;
}

/* Transmit what the congestion and peer windows allow. */
static void push(struct rd *rd, uint64_t now)
{
	uint32_t limit = rd->cwnd < rd->peer_rwin ? rd->cwnd : rd->peer_rwin;

	if (rd->failed || rd->quiet)
		return;
	while (rd->snd_nxt != rd->ns_next && rd_in_flight(rd) < limit) {
		struct rd_tx *e = tx_entry(rd, rd->snd_nxt);
		bool again = e->sends > 0;

		if (again) {
			rd->stats.retransmits++;
		} else {
			e->first_tx = now;
			rd->stats.tx_msgs++;
		}
		e->sends++;
		rd->ops->xmit(rd->ctx, e->buf, e->len, e->ns, rd->nr, again);
		/* The Nr just sent acknowledges everything received. */
		rd->ack_deadline = RD_NEVER;
		rd->snd_nxt++;
		if (dist(rd->una, rd->snd_nxt) > dist(rd->una, rd->snd_max))
			rd->snd_max = rd->snd_nxt;
		if (rd->rtx_deadline == RD_NEVER)
			rd->rtx_deadline = now + rd->rto_cur;
	}
}

int rd_send(struct rd *rd, uint64_t now, const uint8_t *buf, size_t len)
{
	struct rd_tx *e;
	uint16_t ns;

	if (rd->failed || rd->txq_len == RD_TXQ_MAX || len > UINT16_MAX)
		return -1;
	e = &rd->txq[(rd->txq_head + rd->txq_len) % RD_TXQ_MAX];
	e->buf = malloc(len ? len : 1);
	if (!e->buf)
		return -1;
	memcpy(e->buf, buf, len);
	e->len = (uint16_t)len;
	e->ns = ns = rd->ns_next++;
	e->sends = 0;
	e->first_tx = 0;
	rd->txq_len++;
	push(rd, now);
	return ns;
}

static void rtt_sample(struct rd *rd, uint64_t sample)
{
	uint32_t s = sample > UINT32_MAX ? UINT32_MAX : (uint32_t)sample;

	if (!rd->stats.srtt_ms && !rd->stats.rtt_min_ms) {
		rd->stats.srtt_ms = s;
		rd->stats.rtt_min_ms = s;
		return;
	}
	rd->stats.srtt_ms = (uint32_t)(((uint64_t)rd->stats.srtt_ms * 7 + s) / 8);
	if (s < rd->stats.rtt_min_ms)
		rd->stats.rtt_min_ms = s;
}

/* The peer acknowledged everything before nr (already validated). */
static void ack_upto(struct rd *rd, uint64_t now, uint16_t nr)
{
	uint16_t acked = dist(rd->una, nr);
	bool nxt_behind = dist(rd->una, rd->snd_nxt) < acked;

	while (rd->una != nr) {
		struct rd_tx *e = &rd->txq[rd->txq_head];

		/* Karn: only a message sent once gives a clean sample. */
		if (e->sends == 1)
			rtt_sample(rd, now - e->first_tx);
		free(e->buf);
		e->buf = NULL;
		rd->txq_head = (rd->txq_head + 1) % RD_TXQ_MAX;
		rd->txq_len--;
		rd->una++;

		/* Appendix A: +1 per ACK in slow start, +1/cwnd after. */
		if (rd->cwnd < rd->ssthresh) {
			rd->cwnd++;
		} else if (++rd->ca_acks >= rd->cwnd) {
			rd->cwnd++;
			rd->ca_acks = 0;
		}
		if (rd->cwnd > rd->peer_rwin)
			rd->cwnd = rd->peer_rwin;
	}
	/* Acknowledged before we got round to sending them again. */
	if (nxt_behind)
		rd->snd_nxt = rd->una;
	rd->retries = 0;
	rd->rto_cur = rd->cfg.rto_ms;
	rd->rtx_deadline = rd->una != rd->snd_max ? now + rd->rto_cur :
						    RD_NEVER;
	push(rd, now);
}

static void send_ack(struct rd *rd)
{
	rd->ack_deadline = RD_NEVER;
	if (rd->failed)
		return;
	rd->stats.acks_sent++;
	rd->ops->send_ack(rd->ctx, rd->snd_max, rd->nr);
}

enum rd_input_result rd_input(struct rd *rd, uint64_t now, uint16_t ns,
			      uint16_t nr, bool ack_only, const uint8_t *buf,
			      size_t len)
{
	struct rd_rx *slot;
	uint16_t off;

	if (dist(rd->una, nr) > dist(rd->una, rd->snd_max)) {
		rd->stats.rx_bad_nr++;
		return RD_IN_BAD_NR;
	}
	if (nr != rd->una)
		ack_upto(rd, now, nr);
	if (ack_only)
		return RD_IN_ACK_ONLY;

	off = dist(rd->nr, ns);
	if (off >= 0x8000) {
		/* At or before the last received: acknowledge again. */
		rd->stats.rx_dups++;
		send_ack(rd);
		return RD_IN_DUP;
	}
	if (off >= rd->cfg.rwin || dist(rd->ready, ns) >= RD_RXQ_MAX ||
	    len > UINT16_MAX) {
		rd->stats.rx_beyond_window++;
		return RD_IN_BEYOND_WINDOW;
	}
	slot = &rd->rxq[ns % RD_RXQ_MAX];
	if (slot->buf) {
		rd->stats.rx_dups++;
		send_ack(rd);
		return RD_IN_DUP;
	}
	slot->buf = malloc(len ? len : 1);
	if (!slot->buf)
		return RD_IN_NOMEM;
	memcpy(slot->buf, buf, len);
	slot->len = (uint16_t)len;
	if (off) {
		rd->stats.rx_out_of_order++;
		return RD_IN_QUEUED;
	}
	while (rd->rxq[rd->nr % RD_RXQ_MAX].buf &&
	       dist(rd->ready, rd->nr) < RD_RXQ_MAX) {
		rd->nr++;
		rd->stats.rx_msgs++;
	}
	if (rd->ack_deadline == RD_NEVER)
		rd->ack_deadline = now + rd->cfg.ack_delay_ms;
	return RD_IN_NEW;
}

const uint8_t *rd_pop(struct rd *rd, size_t *len)
{
	struct rd_rx *slot;

	free(rd->popped);
	rd->popped = NULL;
	if (rd->ready == rd->nr)
		return NULL;
	slot = &rd->rxq[rd->ready % RD_RXQ_MAX];
	rd->popped = slot->buf;
	*len = slot->len;
	slot->buf = NULL;
	rd->ready++;
	return rd->popped;
}

void rd_ack_now(struct rd *rd, uint64_t now)
{
	(void)now;
	if (rd->ack_deadline != RD_NEVER)
		send_ack(rd);
}

enum rd_tick_result rd_tick(struct rd *rd, uint64_t now)
{
	if (!rd->failed && !rd->quiet && rd->rtx_deadline != RD_NEVER &&
	    now >= rd->rtx_deadline) {
		if (rd->retries >= rd->cfg.max_retries) {
			rd->failed = true;
			rd->rtx_deadline = RD_NEVER;
			rd->ack_deadline = RD_NEVER;
		} else {
			rd->retries++;
			rd->ssthresh = rd->cwnd / 2 ? rd->cwnd / 2 : 1;
			rd->cwnd = 1;
			rd->ca_acks = 0;
			rd->rto_cur *= 2;
			if (rd->rto_cur > rd->cfg.rto_max_ms)
				rd->rto_cur = rd->cfg.rto_max_ms;
			rd->snd_nxt = rd->una;
			rd->rtx_deadline = RD_NEVER;
			push(rd, now);
		}
	}
	if (rd->ack_deadline != RD_NEVER && now >= rd->ack_deadline)
		send_ack(rd);
	if (rd->failed && !rd->failure_reported) {
		rd->failure_reported = true;
		return RD_TICK_FAILED;
	}
	if (rd->linger_deadline != RD_NEVER && now >= rd->linger_deadline &&
	    !rd->linger_reported) {
		rd->linger_reported = true;
		return RD_TICK_LINGER_DONE;
	}
	return RD_TICK_OK;
}

uint64_t rd_next_deadline(const struct rd *rd)
{
	uint64_t d = RD_NEVER;

	if (!rd->failed && !rd->quiet && rd->rtx_deadline < d)
		d = rd->rtx_deadline;
	if (rd->ack_deadline < d)
		d = rd->ack_deadline;
	if (rd->failed && !rd->failure_reported)
		d = 0;
	if (!rd->linger_reported && rd->linger_deadline < d)
		d = rd->linger_deadline;
	return d;
}

uint64_t rd_cycle_ms(const struct rd_config *cfg)
{
	uint64_t total = 0, rto = cfg->rto_ms ? cfg->rto_ms : 1000;
	uint64_t cap = cfg->rto_max_ms < RD_RTO_CAP_MIN_MS ?
		       RD_RTO_CAP_MIN_MS : cfg->rto_max_ms;

	for (uint32_t i = 0; i <= cfg->max_retries; i++) {
		total += rto;
		rto = rto * 2 > cap ? cap : rto * 2;
	}
	return total;
}

void rd_quiet(struct rd *rd)
{
	rd->quiet = true;
	rd->rtx_deadline = RD_NEVER;
}

void rd_linger(struct rd *rd, uint64_t now)
{
	rd->linger_deadline = now + rd_cycle_ms(&rd->cfg);
	rd->linger_reported = false;
}
