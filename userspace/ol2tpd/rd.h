/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reliable delivery of control messages (RFC 2661 5.8 and Appendix A,
 * RFC 3931 4.2 and Appendix A): Ns/Nr modulo 65536, in-order delivery with
 * an out-of-order queue, duplicates acknowledged again, delayed ACK that a
 * reply can piggyback, the peer's receive window, retransmission after 1 s
 * with exponential backoff capped at >= 8 s, a retry limit, slow start and
 * congestion avoidance, and the linger of one full retransmission cycle
 * after a StopCCN.
 *
 * Pure logic: no sockets, no clock.  Every call takes the current time in
 * milliseconds; the owner transmits through two callbacks, and asks
 * rd_next_deadline() when to call rd_tick() again.  Message bytes are
 * opaque here: the owner stamps Ns/Nr (and signs) in its xmit callback.
 */
#ifndef OL2TPD_RD_H
#define OL2TPD_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RD_NEVER		UINT64_MAX
/* Messages waiting for an ACK or for the window, per connection. */
#define RD_TXQ_MAX		256
/* Largest receive window we offer (out-of-order slots). */
#define RD_RXQ_MAX		64
/* Minimum cap of the retransmission interval (RFC 3931 4.2). */
#define RD_RTO_CAP_MIN_MS	8000

struct rd_config {
	uint16_t rwin;		/* receive window we offer (1..RD_RXQ_MAX) */
	uint32_t rto_ms;	/* first retransmission timeout, 1000 */
	uint32_t rto_max_ms;	/* backoff cap, raised to >= 8000 */
	uint32_t max_retries;	/* retransmissions before failure, 5 */
	uint32_t ack_delay_ms;	/* wait for a piggyback before a ZLB */
};

void rd_config_default(struct rd_config *c);

struct rd_ops {
	/* Send a queued message with these Ns and Nr (first or again). */
	void (*xmit)(void *ctx, const uint8_t *buf, size_t len, uint16_t ns,
		     uint16_t nr, bool retransmit);
	/* Send a ZLB or an explicit ACK: Ns does not advance. */
	void (*send_ack)(void *ctx, uint16_t ns, uint16_t nr);
};

struct rd_stats {
	uint64_t tx_msgs;	/* new messages transmitted */
	uint64_t retransmits;
	uint64_t acks_sent;	/* ZLB / explicit ACK */
	uint64_t rx_msgs;	/* delivered in order */
	uint64_t rx_dups;
	uint64_t rx_out_of_order;
	uint64_t rx_beyond_window;
	uint64_t rx_bad_nr;
	uint32_t srtt_ms;	/* smoothed round trip time, 0 = no sample */
	uint32_t rtt_min_ms;
};

struct rd_tx {
	uint8_t *buf;
	uint16_t len;
	uint16_t ns;
	uint32_t sends;
	uint64_t first_tx;
};

struct rd_rx {
	uint8_t *buf;		/* NULL: empty slot */
	uint16_t len;
};

struct rd {
	struct rd_config cfg;
	const struct rd_ops *ops;
	void *ctx;

	/* Send side: una <= snd_nxt <= snd_max <= ns_next (mod 65536). */
	uint16_t ns_next;	/* Ns of the next message queued */
	uint16_t una;		/* oldest unacknowledged */
	uint16_t snd_nxt;	/* next to (re)transmit */
	uint16_t snd_max;	/* one past the highest ever transmitted */
	unsigned int txq_head, txq_len;
	struct rd_tx txq[RD_TXQ_MAX];
	uint16_t peer_rwin;
	uint32_t cwnd, ssthresh, ca_acks;
	uint32_t rto_cur, retries;
	uint64_t rtx_deadline;

	/* Receive side. */
	uint16_t nr;		/* next Ns expected from the peer */
	uint16_t ready;		/* first received-but-not-popped Ns */
	struct rd_rx rxq[RD_RXQ_MAX];
	uint8_t *popped;	/* returned by rd_pop, freed on next call */
	uint64_t ack_deadline;

	uint64_t linger_deadline;
	bool quiet;		/* rd_quiet: nothing is (re)transmitted */
	bool failed;
	bool failure_reported;
	bool linger_reported;
	struct rd_stats stats;
};

/* Outcome of rd_input. */
enum rd_input_result {
	RD_IN_NEW,		/* accepted in order: rd_pop() it */
	RD_IN_QUEUED,		/* accepted ahead of a gap */
	RD_IN_ACK_ONLY,		/* ZLB / ACK: acknowledgement processed */
	RD_IN_DUP,		/* already had it: acknowledged again */
	RD_IN_BEYOND_WINDOW,	/* too far ahead: dropped */
	RD_IN_BAD_NR,		/* Nr acknowledges what was never sent */
	RD_IN_NOMEM,
};

enum rd_tick_result {
	RD_TICK_OK,
	RD_TICK_FAILED,		/* retries exhausted (reported once) */
	RD_TICK_LINGER_DONE,	/* linger after StopCCN over (once) */
};

void rd_init(struct rd *rd, const struct rd_config *cfg,
	     const struct rd_ops *ops, void *ctx);
void rd_free(struct rd *rd);

/* The peer's Receive Window Size (absent: 4).  0 is invalid: ignored. */
void rd_set_peer_window(struct rd *rd, uint16_t w);

/*
 * Queue a new message and send it if the window allows.  Returns its Ns,
 * or -1 if the queue is full, the message too large or rd has failed.
 */
int rd_send(struct rd *rd, uint64_t now, const uint8_t *buf, size_t len);

/*
 * A control message arrived (already authenticated by the caller).  ack_only
 * is true for a ZLB or explicit ACK.  Every message delivered in order must
 * then be taken with rd_pop() (RD_IN_NEW may also release queued ones).
 */
enum rd_input_result rd_input(struct rd *rd, uint64_t now, uint16_t ns,
			      uint16_t nr, bool ack_only, const uint8_t *buf,
			      size_t len);

/*
 * Next message to hand to the state machine, in order; NULL when none.
 * The pointer stays valid until the next rd_pop/rd_input/rd_free.
 */
const uint8_t *rd_pop(struct rd *rd, size_t *len);

/* Send any pending acknowledgement now. */
void rd_ack_now(struct rd *rd, uint64_t now);

/* Run due timers: retransmissions, delayed ACK, linger. */
enum rd_tick_result rd_tick(struct rd *rd, uint64_t now);
uint64_t rd_next_deadline(const struct rd *rd);

/* Keep the connection's delivery state one full retransmission cycle. */
void rd_linger(struct rd *rd, uint64_t now);
/*
 * Stop (re)transmitting what is queued, without failing: a connection
 * dropped after a lost tie still acknowledges what the peer sends it while
 * it lingers, but its SCCRQ is not sent again.
 */
void rd_quiet(struct rd *rd);
/* Duration of a full retransmission cycle with this configuration. */
uint64_t rd_cycle_ms(const struct rd_config *cfg);

/* Nothing unacknowledged and nothing waiting to be sent. */
bool rd_idle(const struct rd *rd);
unsigned int rd_in_flight(const struct rd *rd);

/* Test hook: start the sequence spaces elsewhere than 0 (wrap tests). */
void rd_set_seq(struct rd *rd, uint16_t ns_next, uint16_t nr);

#endif /* OL2TPD_RD_H */
