/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ol2tpd.conf: parsing and validation.  The grammar is documented in
 * Documentation/ol2tpd.conf.5; every error names the file, the line and
 * what to change.
 */
#ifndef OL2TPD_CONFIG_H
#define OL2TPD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "engine.h"

#define CONF_NAME_MAX		64
#define CONF_PATH_MAX		256
#define CONF_PPPD_OPTS_MAX	512
#define CONF_MAX_LISTEN		8

struct conf_addr {
	struct sockaddr_storage ss;	/* port 0: the default port */
	socklen_t len;
};

struct conf_peer {
	char name[CONF_NAME_MAX];
	int line;
	struct conf_addr addr;		/* the peer, or a dial-in prefix */
	uint8_t prefix_len;		/* bits of addr a peer must match */
	bool any;			/* address = any: every host */
	bool dialin;			/* any or a prefix: accepts many hosts */
	unsigned int max_connections;	/* 0: no limit */
	struct conf_addr local;		/* ss_family 0: any */
	bool have_local;
	struct engine_peer_cfg eng;	/* version, secret, digest, ... */
	bool initiate;			/* open the connection ourselves */
	bool initiate_given;		/* initiate set in the file */
	bool ipsec;			/* socket policy: ESP transport only */
	bool pmtud;			/* data keeps DF: path MTU discovery */
	uint32_t reconnect_ms;		/* retry after a failure, 0: never */
};

enum conf_call {
	CONF_CALL_INCOMING,		/* ICRQ */
	CONF_CALL_OUTGOING,		/* OCRQ */
};

struct conf_pw {
	char name[CONF_NAME_MAX];
	int line;
	int peer;			/* index into conf.peers */
	char peer_name[CONF_NAME_MAX];
	uint16_t pw_type;		/* L2TP_PW_ETH, L2TP_PW_PPP */
	enum conf_call call;
	bool initiate;			/* we send the ICRQ/OCRQ */
	bool initiate_given;		/* initiate set in the file */
	unsigned int max_sessions;	/* accepted calls per connection */
	uint8_t end_id[ENGINE_END_ID_MAX];
	size_t end_id_len;
	uint8_t cookie_len;		/* 0, 4, 8 */
	uint16_t l2spec;		/* L2TP_L2SPEC_* */
	bool sequencing;		/* require sequence numbers */
	char ifname[16];		/* Ethernet: netdev name ("" = kernel's) */
	char pppd_options[CONF_PPPD_OPTS_MAX];
	bool lns;			/* pppd in LNS mode */
	uint32_t ppp_local;		/* host order, 0: pppd decides */
	uint32_t pool_first, pool_last;	/* host order, 0: no pool */
	int peer_line;			/* line of its "peer =" */
	/* Applied each time the interface is (re)created. */
	unsigned int mtu;		/* Ethernet: 0 = the kernel's */
	char bridge[16];		/* Ethernet: bridge to enslave it to */
	char up_script[CONF_PATH_MAX];	/* run when the session is up */
	char down_script[CONF_PATH_MAX];	/* run when it went down */
};

/* The most addresses a ppp-address-pool may hold. */
#define CONF_POOL_MAX		65536

/* A cookie of a static pseudowire: 4 or 8 octets, or none. */
struct conf_cookie {
	uint8_t b[8];
	uint8_t len;
};

/* A static (unmanaged) L2TPv3 Ethernet pseudowire: no control protocol. */
struct conf_static {
	char name[CONF_NAME_MAX];
	int line;
	bool ip_encap;
	struct conf_addr local, remote;	/* port 0: the default port */
	uint32_t tunnel_id, peer_tunnel_id, session_id, peer_session_id;
	struct conf_cookie send_cookie, recv_cookie;
	uint16_t l2spec;
	char ifname[16];
};

struct conf {
	char host_name[ENGINE_NAME_MAX];
	uint32_t router_id;
	uint16_t port;			/* default 1701 */
	unsigned int max_pending;	/* SCCRQs being set up, 0: default */
	struct conf_addr listen[CONF_MAX_LISTEN];
	unsigned int n_listen;
	bool listen_ip;			/* also L2TP/IP (protocol 115) */
	char control_socket[CONF_PATH_MAX];
	char pppd[CONF_PATH_MAX];
	int log_level;			/* LOG_ERR .. LOG_DEBUG */
	bool log_syslog;
	struct engine_peer_cfg defaults;	/* [global] protocol defaults */
	struct conf_peer *peers;
	unsigned int n_peers;
	struct conf_pw *pws;
	unsigned int n_pws;
	struct conf_static *statics;
	unsigned int n_statics;
};

/*
 * Parse a configuration from a file or a string.  On error returns -1 and
 * writes "FILE:LINE: message" to err.  conf_free releases the lists.
 */
int conf_load(struct conf *c, const char *path, char *err, size_t errlen);
int conf_parse(struct conf *c, const char *name, const char *text, char *err,
	       size_t errlen);
void conf_free(struct conf *c);

/*
 * Whether a reloaded peer, pseudowire or static pseudowire is the running
 * one unchanged: the same name and every key of its section the same
 * (after validation, so inherited and implied values count).
 */
bool conf_peer_same(const struct conf_peer *a, const struct conf_peer *b);
bool conf_pw_same(const struct conf_pw *a, const struct conf_pw *b);
bool conf_static_same(const struct conf_static *a, const struct conf_static *b);

/* The syslog priority of a log-level name ("err" .. "debug"), or -1. */
int conf_log_level(const char *name);
/* The name of the i-th configuration key, NULL past the last. */
const char *conf_key_name(size_t i);

/*
 * The peer that a datagram from addr belongs to, or -1: the one whose
 * address (or dial-in prefix) matches it longest.
 */
int conf_find_peer(const struct conf *c, const struct sockaddr *addr,
		   uint8_t version);
/* Address with the default port filled in. */
void conf_addr_with_port(const struct conf_addr *a, uint16_t port,
			 struct engine_addr *out);
const char *conf_addr_str(const struct sockaddr *sa, char *buf, size_t len);
/* The address of @sa alone, without a port or brackets. */
const char *conf_host_str(const struct sockaddr *sa, char *buf, size_t len);
/*
 * A peer's address as configured: "192.0.2.1", "[2001:db8::1]:1702",
 * "10.0.0.0/8" or "any".
 */
const char *conf_peer_addr_str(const struct conf_peer *pe, char *buf,
			       size_t len);

#endif /* OL2TPD_CONFIG_H */
