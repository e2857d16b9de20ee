/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ol2tp-nl: the generic netlink family "l2tp", for the ol2tp tool and the
 * ol2tpd daemon.
 *
 * One handle (struct ol2tp_nl) is one netlink socket with the family
 * resolved once.  Requests wait for the kernel's ACK; dumps call a function
 * per object.  Every call returns 0 or a negative errno and, when the
 * caller passes a struct ol2tp_nl_err, fills it with what the kernel said:
 * the extended ACK message and the attribute it pointed at.
 *
 * Tunnels and sessions are plain structs.  A field is meaningful only when
 * its attribute's bit is set in ->has (ol2tp_nl_has(), ol2tp_nl_set()):
 * requests send exactly the attributes whose bit is set, replies set the
 * bits of the attributes the kernel returned.  The address of a tunnel is one field per
 * end (struct ol2tp_nl_addr) whose family picks IP_SADDR or IP6_SADDR; setting
 * either bit marks it present.
 *
 * The handle works in the network namespace the calling thread is in when
 * it opens it: setns() first to manage another namespace.
 */
#ifndef OL2TP_NL_H
#define OL2TP_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/ol2tp.h>

#define OL2TP_BIT(attr)		(UINT64_C(1) << (attr))
#define ol2tp_nl_has(obj, attr)	(((obj)->has & OL2TP_BIT(attr)) != 0)
#define ol2tp_nl_set(obj, attr)	((obj)->has |= OL2TP_BIT(attr))
#define ol2tp_nl_clear(obj, attr)	((obj)->has &= ~OL2TP_BIT(attr))

#define OL2TP_COOKIE_MAX	8
#define OL2TP_ERRMSG_MAX	256

/*
 * What went wrong: @code is the negative errno the call returned; @msg the
 * kernel's extended ACK message or, for errors found here, our own
 * explanation ("" when neither); @attr the OL2TP_ATTR_* the kernel blamed
 * (invalid or missing), 0 when it named none.  @warning holds a message the
 * kernel attached to a successful ACK.
 */
struct ol2tp_nl_err {
	int code;
	int attr;
	char msg[OL2TP_ERRMSG_MAX];
	char warning[OL2TP_ERRMSG_MAX];
};

struct ol2tp_nl_addr {
	int family;		/* AF_UNSPEC (absent), AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

/* Counters of OL2TP_ATTR_STATS; v[] is indexed by enum ol2tp_nl_attr_stats. */
struct ol2tp_nl_stats {
	uint64_t has;
	uint64_t v[__OL2TP_ATTR_STATS_MAX];
};

struct ol2tp_nl_tunnel {
	uint64_t has;
	uint32_t conn_id;		/* CONN_ID */
	uint32_t peer_conn_id;		/* PEER_CONN_ID */
	uint8_t proto_version;		/* PROTO_VERSION */
	uint16_t encap_type;		/* ENCAP_TYPE */
	uint32_t fd;			/* FD (requests only) */
	uint32_t debug;			/* DEBUG */
	struct ol2tp_nl_addr local;	/* IP_SADDR or IP6_SADDR */
	struct ol2tp_nl_addr remote;	/* IP_DADDR or IP6_DADDR */
	uint16_t udp_sport;		/* UDP_SPORT */
	uint16_t udp_dport;		/* UDP_DPORT */
	uint8_t udp_csum;		/* UDP_CSUM */
	bool udp_zero_csum6_tx;		/* UDP_ZERO_CSUM6_TX (flag) */
	bool udp_zero_csum6_rx;		/* UDP_ZERO_CSUM6_RX (flag) */
	bool using_ipsec;		/* USING_IPSEC (flag, replies) */
	struct ol2tp_nl_stats stats;	/* STATS (replies) */
};

struct ol2tp_nl_session {
	uint64_t has;
	uint32_t conn_id;		/* CONN_ID: the tunnel */
	uint32_t peer_conn_id;		/* PEER_CONN_ID */
	uint32_t session_id;		/* SESSION_ID */
	uint32_t peer_session_id;	/* PEER_SESSION_ID */
	uint16_t pw_type;		/* PW_TYPE */
	uint8_t l2spec_type;		/* L2SPEC_TYPE */
	uint8_t l2spec_len;		/* L2SPEC_LEN */
	char ifname[IFNAMSIZ];		/* IFNAME */
	uint8_t cookie_len;		/* COOKIE */
	uint8_t cookie[OL2TP_COOKIE_MAX];
	uint8_t peer_cookie_len;	/* PEER_COOKIE */
	uint8_t peer_cookie[OL2TP_COOKIE_MAX];
	uint8_t recv_seq;		/* RECV_SEQ */
	uint8_t send_seq;		/* SEND_SEQ */
	uint8_t lns_mode;		/* LNS_MODE */
	uint64_t recv_timeout;		/* RECV_TIMEOUT, milliseconds */
	uint32_t debug;			/* DEBUG */
	uint16_t mtu;			/* MTU */
	uint16_t mru;			/* MRU */
	bool using_ipsec;		/* USING_IPSEC (flag, replies) */
	struct ol2tp_nl_stats stats;	/* STATS (replies) */
};

struct ol2tp_nl;

/*
 * Open a handle: a generic netlink socket with extended ACKs on, and the
 * family "l2tp" resolved.  -ENOENT when no module provides the family,
 * -EPROTO when something else owns the name; err->msg says what to load.
 */
int ol2tp_nl_open(struct ol2tp_nl **nlp, struct ol2tp_nl_err *err);
void ol2tp_nl_close(struct ol2tp_nl *nl);

/* A dump calls this per object; non-zero stops the walk and is returned. */
typedef int (*ol2tp_nl_tunnel_fn)(const struct ol2tp_nl_tunnel *t, void *arg);
typedef int (*ol2tp_nl_session_fn)(const struct ol2tp_nl_session *s, void *arg);

int ol2tp_nl_tunnel_create(struct ol2tp_nl *nl, const struct ol2tp_nl_tunnel *t,
			   struct ol2tp_nl_err *err);
int ol2tp_nl_tunnel_delete(struct ol2tp_nl *nl, uint32_t conn_id,
			   struct ol2tp_nl_err *err);
/* Sends every attribute set in @t; CONN_ID names the tunnel. */
int ol2tp_nl_tunnel_modify(struct ol2tp_nl *nl, const struct ol2tp_nl_tunnel *t,
			   struct ol2tp_nl_err *err);
int ol2tp_nl_tunnel_get(struct ol2tp_nl *nl, uint32_t conn_id,
			struct ol2tp_nl_tunnel *out, struct ol2tp_nl_err *err);
int ol2tp_nl_tunnel_dump(struct ol2tp_nl *nl, ol2tp_nl_tunnel_fn fn, void *arg,
			 struct ol2tp_nl_err *err);

int ol2tp_nl_session_create(struct ol2tp_nl *nl,
			    const struct ol2tp_nl_session *s,
			 struct ol2tp_nl_err *err);
int ol2tp_nl_session_delete(struct ol2tp_nl *nl, uint32_t conn_id,
			    uint32_t session_id, struct ol2tp_nl_err *err);
/* Sends every attribute set in @s; CONN_ID + SESSION_ID name the session. */
int ol2tp_nl_session_modify(struct ol2tp_nl *nl,
			    const struct ol2tp_nl_session *s,
			 struct ol2tp_nl_err *err);
int ol2tp_nl_session_get(struct ol2tp_nl *nl, uint32_t conn_id,
			 uint32_t session_id, struct ol2tp_nl_session *out,
			 struct ol2tp_nl_err *err);
int ol2tp_nl_session_get_by_ifname(struct ol2tp_nl *nl, const char *ifname,
				   struct ol2tp_nl_session *out,
				   struct ol2tp_nl_err *err);
int ol2tp_nl_session_dump(struct ol2tp_nl *nl, ol2tp_nl_session_fn fn,
			  void *arg,
		       struct ol2tp_nl_err *err);

/*
 * Events of the multicast group "l2tp": one per create, modify and delete
 * of a tunnel or session, carrying the object as GET would report it.
 */
struct ol2tp_nl_event {
	uint8_t cmd;		/* OL2TP_CMD_* of the change */
	bool is_session;	/* which of the two below is filled */
	struct ol2tp_nl_tunnel tunnel;
	struct ol2tp_nl_session session;
};

typedef int (*ol2tp_nl_event_fn)(const struct ol2tp_nl_event *ev, void *arg);

struct ol2tp_nl_monitor;

int ol2tp_nl_monitor_open(struct ol2tp_nl_monitor **monp,
			  struct ol2tp_nl_err *err);
void ol2tp_nl_monitor_close(struct ol2tp_nl_monitor *mon);
/* The socket to poll() for POLLIN. */
int ol2tp_nl_monitor_fd(const struct ol2tp_nl_monitor *mon);
int ol2tp_nl_monitor_set_nonblocking(struct ol2tp_nl_monitor *mon);
/*
 * Receive what is queued (blocking for the first message unless the socket
 * is non-blocking) and call @fn per event.  -ENOBUFS means events were
 * lost because the receive buffer overflowed; the monitor stays usable.
 * -EAGAIN: nothing queued on a non-blocking socket.
 */
int ol2tp_nl_monitor_recv(struct ol2tp_nl_monitor *mon, ol2tp_nl_event_fn fn,
			  void *arg, struct ol2tp_nl_err *err);

/* Names: "tx_packets" for OL2TP_ATTR_TX_PACKETS, "CONN_ID" for ...; NULL
 * when unknown.  They keep the ol2tp_ prefix: the kernel has no such
 * names, and the selftests' programs use them.
 */
const char *ol2tp_stat_name(int stat);
const char *ol2tp_attr_name(int attr);
const char *ol2tp_cmd_name(int cmd);

/* For unit tests: encode/decode without a kernel. */
struct nl_msg;
int ol2tp_nl_tunnel_put(struct nl_msg *msg, const struct ol2tp_nl_tunnel *t);
int ol2tp_nl_session_put(struct nl_msg *msg, const struct ol2tp_nl_session *s);
int ol2tp_nl_tunnel_parse(struct nl_msg *msg, struct ol2tp_nl_tunnel *t);
int ol2tp_nl_session_parse(struct nl_msg *msg, struct ol2tp_nl_session *s);
/*
 * Fill @err from the NLMSG_ERROR message @nlh (its extended ACK TLVs
 * included); @req, when not NULL, is the request it answers, used to name
 * the attribute an NLMSGERR_ATTR_OFFS points at.
 */
void ol2tp_nl_err_from_nlmsgerr(const void *nlh, const void *req,
				struct ol2tp_nl_err *err);

#endif /* OL2TP_NL_H */
