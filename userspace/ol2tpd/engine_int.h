/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protocol engine's internals: its objects and the functions its files
 * share.
 */
#ifndef OL2TPD_ENGINE_INT_H
#define OL2TPD_ENGINE_INT_H

#ifdef OL2TPD_DAEMON_H
#error "the daemon sees the engine through engine.h only"
#endif

#include "engine.h"

/*
 * The engine's objects.  Only the engine's own files (and its white-box
 * unit tests) see them: to the daemon, which includes engine.h alone, they
 * are incomplete types it reaches through accessors and snapshots.
 */
struct engine_sess {
	struct engine_sess *next;
	struct engine_cc *cc;
	enum engine_sess_role role;
	enum engine_sess_state state;
	struct engine_sess_cfg cfg;	/* pw type, our cookie length, ... */
	uint32_t local_id;		/* v2: 16 bits */
	uint32_t peer_id;		/* 0 until the peer told us */
	uint32_t serial;
	uint8_t tie[8];
	bool has_tie;
	uint8_t cookie[ENGINE_COOKIE_MAX];	/* ours: expected on receive */
	uint8_t peer_cookie[ENGINE_COOKIE_MAX];	/* the peer's: sent */
	uint8_t peer_cookie_len;
	uint16_t peer_l2spec;		/* sublayer the peer requires */
	uint16_t peer_data_seq;
	uint16_t circuit_status;	/* last Circuit Status from the peer */
	bool up_reported;
	bool announced;			/* the daemon knows this session */
	uint64_t setup_deadline;	/* give up if not up by then */
	uint64_t start_at;		/* deferred request: send it then */
	uint16_t result, error;		/* why it went down (for logs) */
	char reason[160];
	void *user;
};

struct engine_cc_stats {
	uint64_t rx_msgs, rx_discarded, rx_auth_failures;
	uint64_t rx_ignored_avps, tx_msgs;
};

struct engine_cc {
	struct engine_cc *next;
	struct engine *eng;
	enum engine_cc_state state;
	struct engine_peer_cfg cfg;
	uint8_t ver;
	bool ip;
	bool initiator;
	bool busy;			/* refused: the peer has too many */
	void *transport;		/* the daemon's socket handle */
	struct engine_addr addr;	/* peer's address */
	uint32_t local_id;		/* v2: 16 bits */
	uint32_t peer_id;
	struct rd rd;

	/* Authentication. */
	uint8_t key[16];		/* Shared-Key for Message Digest */
	uint8_t nonce[ENGINE_NONCE_LEN];
	uint8_t peer_nonce[64];
	size_t peer_nonce_len;
	bool nonce_sent;		/* the peer knows our nonce */
	uint8_t chal[ENGINE_CHAL_LEN];	/* challenge we sent */
	bool chal_sent;

	/* Tie breaking. */
	uint8_t tie[8];
	bool has_tie;

	/* What the peer told us. */
	char peer_host[ENGINE_NAME_MAX];
	char peer_vendor[ENGINE_NAME_MAX];
	uint32_t peer_router_id;
	uint16_t peer_caps[ENGINE_PW_CAPS_MAX];
	unsigned int n_peer_caps;
	uint16_t peer_rwin;

	struct engine_sess *sessions;
	uint64_t setup_deadline;	/* not established by then: give up */
	uint64_t last_rx;
	uint64_t hello_deadline;
	bool up_reported;
	bool was_up;			/* established once (not pending) */
	bool announced;			/* the daemon knows this connection */
	bool down_reported;
	/*
	 * It ended on authentication: we refused the peer with StopCCN 4, the
	 * peer refused us with StopCCN 4, or its StopCCN answering our SCCRQ
	 * does not verify with our secret (it refused us, or secrets differ).
	 */
	bool auth_failed;
	uint16_t result, error;		/* why it went down */
	char reason[160];
	struct engine_cc_stats stats;
	void *user;
};

struct engine_stats {
	uint64_t rx_datagrams, rx_discarded, rx_no_conn;
	uint64_t rx_overload;		/* SCCRQs dropped: max_pending */
};

struct engine {
	struct engine_cfg cfg;
	const struct engine_ops *ops;
	void *ctx;
	struct engine_cc *ccs;
	uint32_t next_serial;
	struct engine_stats stats;
	uint64_t overload_logged;	/* when, for one line a second */
	/* Scratch for parsing and building. */
	struct l2tp_msg msg;
	uint8_t buf[L2TP_MSG_MAX + L2TP_IP_SID_LEN];
};


void eng_log(struct engine *eng, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
uint32_t eng_random_id(bool v2);
/*
 * The Result Code of the peer's StopCCN or CDN m, and why it went as the
 * logs and "peer show" say it: "peer sent CDN: <result>[: <its text>]".
 */
void eng_peer_result(const struct l2tp_msg *m, struct l2tp_result *r,
		     char *why, size_t len);
uint16_t eng_hide(const struct engine_cc *cc);
void eng_msg_start(struct engine_cc *cc, struct l2tp_builder *b,
		   uint16_t type, uint16_t v2_sess);
int eng_msg_send(struct engine_cc *cc, uint64_t now, struct l2tp_builder *b);
void eng_cc_close(struct engine_cc *cc, uint64_t now, uint16_t result,
		  uint16_t error, const char *why);
/*
 * A datagram for cc, already parsed into eng->msg for cc (eng_parse, or
 * engine_input's, with a secret where that matters) with the outcome *err.
 */
void eng_cc_receive(struct engine_cc *cc, uint64_t now, const uint8_t *buf,
		    size_t len, const struct l2tp_perr *err, bool authorized);
/* Parse buf into eng->msg with cfg's secret (NULL: none). */
int eng_parse(struct engine *eng, const uint8_t *buf, size_t len, bool ip,
	      const struct engine_peer_cfg *cfg, struct l2tp_perr *err);

void eng_hello_reset(struct engine_cc *cc, uint64_t now);
void eng_reap(struct engine *eng);

/* What to do with a datagram whose Message Digest does not verify. */
enum auth_fail {
	AUTH_DROP,		/* drop it, count it */
	AUTH_REFUSE,		/* setup: refuse the peer (StopCCN 4) */
	AUTH_REFUSED,		/* a StopCCN answering our SCCRQ: refused */
};

/* engine.c: a connection's life cycle */
struct engine_cc *eng_cc_new(struct engine *eng, uint64_t now,
			     const struct engine_peer_cfg *cfg, uint8_t ver,
			     bool ip, void *transport,
			     const struct engine_addr *addr);
void eng_cc_announce_down(struct engine_cc *cc);
void eng_cc_sessions_down(struct engine_cc *cc, uint64_t now,
			  uint16_t result, const char *why);
void eng_cc_set_reason(struct engine_cc *cc, uint16_t result,
		       uint16_t error, const char *why);
void eng_cc_up(struct engine_cc *cc, uint64_t now);

/* engine-auth.c */
int eng_add_challenge(struct engine_cc *cc, struct l2tp_builder *b);
int eng_add_response(struct engine_cc *cc, const struct l2tp_msg *m,
		     struct l2tp_builder *b, uint8_t id);
bool eng_response_ok(struct engine_cc *cc, const struct l2tp_msg *m,
		     uint8_t id);
bool eng_cc_authentic(struct engine_cc *cc, const struct l2tp_msg *m,
		      const uint8_t *buf, size_t len, enum auth_fail *fail);

enum eng_tie {
	TIE_NONE,		/* neither side sent a Tie Breaker */
	TIE_WE_WIN,
	TIE_PEER_WINS,
	TIE_EQUAL,		/* both lose */
};

enum eng_tie eng_tie_break(const uint8_t *ours, const struct l2tp_msg *m);
bool eng_cc_tie_break(struct engine_cc *cc, uint64_t now,
		      const struct l2tp_msg *m);

/* session.c */
/* sess_start, or later (ENGINE_SESS_DEFER_MS) on a connection the peer
 * opened, for a request the peer may be making at the same time. */
void sess_start_or_defer(struct engine_sess *s, uint64_t now);
void sess_down(struct engine_sess *s, uint64_t now, uint16_t result,
	       int error, const char *why, bool send_cdn);
void sess_input(struct engine_cc *cc, uint64_t now, const struct l2tp_msg *m);
void sess_input_error(struct engine_cc *cc, uint64_t now,
		      const struct l2tp_msg *m, const struct l2tp_perr *err);
void sess_tick(struct engine_cc *cc, uint64_t now);
uint64_t sess_next_deadline(const struct engine_cc *cc);

#endif /* OL2TPD_ENGINE_INT_H */
