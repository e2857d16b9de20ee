/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The L2TP protocol engine: control connections (RFC 3931 7.3, RFC 2661
 * 7.2) with tie breaking, and sessions for incoming and outgoing calls,
 * sender and recipient side, with session tie breaking (RFC 3931 5.4.4,
 * 7.4, 7.5).  It drives the codec (msg.h) and one reliable delivery engine
 * (rd.h) per control connection.
 *
 * Like rd, the engine does no I/O and reads no clock: datagrams come in
 * through engine_input(), time through every call, and everything the
 * engine wants done (send a datagram, bring a tunnel or session up or
 * down, find the configuration of a peer) goes out through struct
 * engine_ops.  The daemon wires it to sockets and the kernel; the unit
 * tests wire two engines back to back in memory.
 *
 * Objects are never freed under a caller's feet: a closed connection or
 * session is marked dead and reclaimed at the end of the next
 * engine_input() or engine_tick(); the daemon hears of it first through an
 * ENGINE_DOWN event and must drop its pointer then.
 */
#ifndef OL2TPD_ENGINE_H
#define OL2TPD_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "msg.h"
#include "rd.h"

#define ENGINE_NAME_MAX		64
#define ENGINE_SECRET_MAX	128
#define ENGINE_NONCE_LEN	16
#define ENGINE_CHAL_LEN		16
#define ENGINE_PW_CAPS_MAX	8
#define ENGINE_END_ID_MAX	64
#define ENGINE_COOKIE_MAX	8

struct engine;
struct engine_cc;
struct engine_sess;

/* A transport address (IPv4/IPv6, port 0 for L2TP/IP). */
struct engine_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

bool engine_addr_equal(const struct engine_addr *a,
		       const struct engine_addr *b);
bool engine_addr_same_host(const struct engine_addr *a,
			   const struct engine_addr *b);

/* How to talk to one peer: from the configuration file. */
struct engine_peer_cfg {
	char name[ENGINE_NAME_MAX];	/* for log lines */
	int index;			/* the caller's: which configured
					 * peer (ol2tpd: conf.peers[]) */
	uint8_t version;		/* 2 or 3 */
	bool ip_encap;			/* v3 over IP instead of UDP */
	uint8_t secret[ENGINE_SECRET_MAX];
	size_t secret_len;		/* 0: no authentication, no hiding */
	bool digest;			/* v3 Message Digest on every message */
	uint8_t digest_type;		/* L2TP_DIGEST_HMAC_MD5 / _SHA1 */
	bool challenge;			/* authenticate the peer (CHAP-like) */
	bool hide;			/* hide the AVPs that may be hidden */
	bool tie_breaker;		/* send a Tie Breaker in SCCRQ */
	uint32_t hello_ms;		/* keepalive idle time, 0 = off */
	struct rd_config rd;
};

void engine_peer_cfg_default(struct engine_peer_cfg *c);

/* One pseudowire to bring up (locally requested or accepted). */
struct engine_sess_cfg {
	uint32_t setup_ms;		/* time allowed to come up, 0: 60 s */
	uint16_t pw_type;		/* L2TP_PW_ETH, L2TP_PW_PPP, ... */
	bool outgoing;			/* OCRQ (outgoing call) not ICRQ */
	uint8_t end_id[ENGINE_END_ID_MAX];	/* v3 Remote End ID */
	size_t end_id_len;
	uint8_t cookie_len;		/* 0, 4 or 8: our cookie */
	uint16_t l2spec;		/* L2-Specific Sublayer we require */
	uint16_t data_seq;		/* Data Sequencing we require */
	bool tie_breaker;		/* send a Session Tie Breaker */
	void *user;			/* the daemon's, copied to the session */
};

enum engine_cc_state {
	CC_IDLE,
	CC_WAIT_CTL_REPLY,
	CC_WAIT_CTL_CONN,
	CC_ESTABLISHED,
	CC_CLOSING,		/* StopCCN sent or received: lingering */
	CC_DEAD,
};

enum engine_sess_role {
	SESS_ICRQ_SENDER,
	SESS_ICRQ_RECIPIENT,
	SESS_OCRQ_SENDER,
	SESS_OCRQ_RECIPIENT,
};

enum engine_sess_state {
	SESS_IDLE,
	SESS_WAIT_CTL_CONN,	/* waiting for the control connection */
	SESS_WAIT_REPLY,	/* ICRQ / OCRQ sent */
	SESS_WAIT_CONNECT,	/* ICRP sent / OCRP received */
	SESS_ESTABLISHED,
	SESS_DEAD,
};

enum engine_event {
	ENGINE_UP,
	ENGINE_DOWN,
};

struct engine_ops {
	/* Send a datagram to cc's peer (engine_cc_addr()). */
	void (*send)(void *ctx, struct engine_cc *cc, const uint8_t *buf,
		     size_t len);
	/*
	 * An SCCRQ arrived: fill *cfg for this peer and return 0, or return
	 * -1 if the peer is not authorized, or 1 if it is but may have no
	 * more connections now (StopCCN "no resources").  host is the peer's
	 * Host Name.
	 */
	int (*peer_lookup)(void *ctx, const struct engine_addr *addr,
			   uint8_t version, const char *host,
			   struct engine_peer_cfg *cfg);
	/*
	 * The peer asks for a session (ICRQ/OCRQ): fill *cfg and return 0, or
	 * return a CDN Result Code to refuse it.
	 */
	int (*sess_lookup)(void *ctx, struct engine_cc *cc,
			   uint16_t pw_type, const uint8_t *end_id,
			   size_t end_id_len, struct engine_sess_cfg *cfg);
	/* Control connection established / cleared. */
	void (*cc_event)(void *ctx, struct engine_cc *cc, enum engine_event ev);
	/*
	 * Session up (return 0, or -1 if the data plane could not be set
	 * up: the session is then refused) or down.
	 */
	int (*sess_event)(void *ctx, struct engine_sess *s,
			  enum engine_event ev);
	/*
	 * The connection is about to be freed (after its ENGINE_DOWN and the
	 * linger): release what engine_cc_user() holds (its socket).
	 */
	void (*cc_release)(void *ctx, struct engine_cc *cc);
	/* Log line (level: LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG). */
	void (*log)(void *ctx, int level, const char *msg);
};

struct engine_cfg {
	char host_name[ENGINE_NAME_MAX];
	char vendor_name[ENGINE_NAME_MAX];
	uint32_t router_id;
	uint16_t pw_caps[ENGINE_PW_CAPS_MAX];
	unsigned int n_pw_caps;
	/*
	 * Connections the peer opened that are not established (being set
	 * up, or refused and lingering) at most; an SCCRQ beyond that is
	 * dropped unanswered, and the peer's retransmission tries again.
	 * Bounds what a flood of SCCRQs (spoofed or not) costs.  0: 256.
	 */
	unsigned int max_pending;
};

#define ENGINE_MAX_PENDING_DEFAULT	256

/*
 * On a control connection the peer opened, our own L2TPv3 session requests
 * for a Remote End ID wait this long before the ICRQ/OCRQ goes out: a peer
 * configured symmetrically (both sides initiate the pseudowire) sends its
 * request at once, and ours, not sent yet, becomes the answer to it (one
 * exchange, no session tie, no CDN).  The side that opened the connection
 * sends at once.
 */
#define ENGINE_SESS_DEFER_MS		2000

struct engine *engine_new(const struct engine_cfg *cfg,
			  const struct engine_ops *ops, void *ctx);
void engine_free(struct engine *eng);

/* A datagram arrived on transport (ip: L2TP/IP socket) from addr. */
void engine_input(struct engine *eng, uint64_t now, void *transport, bool ip,
		  const struct engine_addr *addr, const uint8_t *buf,
		  size_t len);

/* Run due timers; call again at engine_next_deadline(). */
void engine_tick(struct engine *eng, uint64_t now);
uint64_t engine_next_deadline(const struct engine *eng);

/* Open a control connection to a peer (sends SCCRQ). */
struct engine_cc *engine_connect(struct engine *eng, uint64_t now,
				 const struct engine_peer_cfg *cfg,
				 void *transport,
				 const struct engine_addr *addr);
/* Clear a control connection: StopCCN with this Result Code. */
void engine_cc_close(struct engine_cc *cc, uint64_t now, uint16_t result,
		     const char *why);

/*
 * Bring up a session on cc (ICRQ or OCRQ as cfg->outgoing says); queued
 * until the connection is established.
 */
struct engine_sess *engine_sess_open(struct engine_cc *cc, uint64_t now,
				     const struct engine_sess_cfg *cfg);
/* Tear a session down: CDN with this Result Code. */
void engine_sess_close(struct engine_sess *s, uint64_t now, uint16_t result,
		       const char *why);

/*
 * What the daemon sees of the engine's objects: they are incomplete types
 * here (their definitions are the engine's, in engine_int.h), read through
 * the functions below and written only through the calls above.
 */

/* Tune a running engine: engine_cfg's max_pending (0: the default). */
void engine_set_max_pending(struct engine *eng, unsigned int max_pending);

/*
 * Walk the connections, and the sessions of one.  Closed ones stay on the
 * lists (state CC_DEAD / SESS_DEAD) until the engine reclaims them.
 */
struct engine_cc *engine_cc_first(struct engine *eng);
struct engine_cc *engine_cc_next(struct engine_cc *cc);
struct engine_sess *engine_sess_first(struct engine_cc *cc);
struct engine_sess *engine_sess_next(struct engine_sess *s);

/* The caller's pointer on a connection or session (sess_cfg.user). */
void *engine_cc_user(const struct engine_cc *cc);
void engine_cc_set_user(struct engine_cc *cc, void *user);
void *engine_sess_user(const struct engine_sess *s);
void engine_sess_set_user(struct engine_sess *s, void *user);

/*
 * The configured peer a connection is with: engine_peer_cfg's index as the
 * caller gave it (-1: none).  A caller whose table of peers changes (ol2tpd
 * on SIGHUP) renumbers the connections it keeps.
 */
int engine_cc_index(const struct engine_cc *cc);
void engine_cc_set_index(struct engine_cc *cc, int index);

/* Small getters: the peer's name for logs, state, ids, the peer's address. */
const char *engine_cc_name(const struct engine_cc *cc);
enum engine_cc_state engine_cc_state(const struct engine_cc *cc);
uint32_t engine_cc_id(const struct engine_cc *cc);
uint32_t engine_cc_peer_id(const struct engine_cc *cc);
bool engine_cc_ip(const struct engine_cc *cc);
const struct engine_addr *engine_cc_addr(const struct engine_cc *cc);
/* Nothing sent on it waits for an acknowledgement (or it is dead). */
bool engine_cc_quiet(const struct engine_cc *cc);

struct engine_cc *engine_sess_cc(const struct engine_sess *s);
enum engine_sess_state engine_sess_state(const struct engine_sess *s);
uint16_t engine_sess_pw_type(const struct engine_sess *s);

/*
 * What the data plane of an established session is, as the session state
 * machine negotiated it: the one description that both the kernel session
 * and a PPPoL2TP socket are made from.
 */
struct engine_dataplane {
	uint8_t version;		/* 2 or 3 */
	bool ip;			/* L2TPv3 over IP */
	uint32_t tunnel, peer_tunnel;	/* connection ids */
	uint32_t session, peer_session;
	uint16_t pw_type;
	uint8_t send_cookie[ENGINE_COOKIE_MAX];	/* v3: the peer's, sent */
	uint8_t send_cookie_len;
	uint8_t recv_cookie[ENGINE_COOKIE_MAX];	/* v3: ours, checked */
	uint8_t recv_cookie_len;
	bool l2spec;			/* v3: the default L2-Specific Sublayer */
	bool send_seq;			/* the peer requires sequence numbers */
	bool recv_seq;			/* we require them */
};

void engine_sess_dataplane(const struct engine_sess *s,
			   struct engine_dataplane *dp);

/* What the daemon shows and decides on of a control connection. */
struct engine_cc_info {
	enum engine_cc_state state;
	int index;				/* engine_cc_index() */
	uint8_t version;
	bool ip;
	bool initiator;				/* we sent the SCCRQ */
	bool busy;				/* refused: one too many */
	bool was_up;				/* established once */
	uint32_t local_id, peer_id;
	struct engine_addr addr;		/* the peer's */
	char peer_host[ENGINE_NAME_MAX];	/* as the peer named itself */
	unsigned int sessions;			/* coming up or up */
	uint64_t tx_msgs, rx_msgs, retransmits;	/* reliable delivery */
	uint32_t srtt_ms;
	uint64_t rx_auth_failures;
	/* Why it went down (ENGINE_DOWN): */
	bool auth_failed;			/* on authentication */
	uint16_t result;			/* StopCCN Result Code */
	char reason[160];			/* "" while up */
};

void engine_cc_get_info(const struct engine_cc *cc, struct engine_cc_info *i);

/* What the daemon shows of a session. */
struct engine_sess_info {
	enum engine_sess_state state;
	uint16_t pw_type;
	uint32_t tunnel;			/* its connection's id */
	uint32_t session, peer_session;		/* peer_session: 0 until told */
};

void engine_sess_get_info(const struct engine_sess *s,
			  struct engine_sess_info *i);

/*
 * The connections with configured peer INDEX that count against its
 * max-connections: being set up or up, not refused as one too many.
 */
unsigned int engine_peer_connections(const struct engine *e, int index);

const char *engine_cc_state_name(enum engine_cc_state s);
const char *engine_sess_state_name(enum engine_sess_state s);

#endif /* OL2TPD_ENGINE_H */
