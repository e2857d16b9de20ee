/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ol2tpd's runtime state and the functions its files share.  The protocol
 * is the engine's (engine.h); the daemon's files each wire one concern of
 * it to the system:
 *
 *   daemon.c     main loop: options, setup, epoll, timers, signals, stop
 *   transport.c  listening and per-connection sockets, IPsec policy,
 *                sending and receiving control messages
 *   glue.c       the engine's callbacks: which peer and pseudowire, what
 *                a connection or session coming up or going down does
 *   kernel.c     the kernel data plane: managed tunnels and sessions,
 *                [static] pseudowires
 *   calls.c      pseudowires we open, calls peers make, address pools,
 *                what the up and down scripts are told
 *   pppd.c       pppd on a PPP session, and its exit
 *   ctlsrv.c     the Unix control socket: commands and their answers
 *   reload.c     SIGHUP: what carries over to the new configuration
 */
#ifndef OL2TPD_DAEMON_H
#define OL2TPD_DAEMON_H

/*
 * The engine's objects are incomplete types here: the daemon reads them
 * through engine.h's accessors and snapshots, never their fields.
 */
#ifdef OL2TPD_ENGINE_INT_H
#error "the daemon sees the engine through engine.h only"
#endif

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "ol2tp-nl.h"

#include "config.h"
#include "engine.h"
#include "hooks.h"

enum { EV_LISTENER, EV_TUNNEL, EV_SIGNAL, EV_TIMER, EV_CTL, EV_CLIENT };

struct evsrc {
	int kind;
	int fd;
};

struct listener {
	struct evsrc ev;
	bool ip;			/* L2TP/IP (protocol 115) */
	int family;
	struct sockaddr_storage local;	/* where the last datagram went */
	bool have_local;
};

struct tunnel {				/* engine_cc_user() */
	struct evsrc ev;
	struct daemon *d;
	struct engine_cc *cc;
	bool ip;
	struct engine_addr connected;	/* the fd's peer */
	bool kernel;			/* kernel tunnel created */
	int path_err;			/* last error the fd reported, or 0 */
};

/*
 * An initiator the peer refuses on authentication waits reconnect, then
 * twice as long each time, up to AUTH_BACKOFF_MAX_MS (or reconnect if
 * that is longer); "peer show" says why it is down.
 */
#define AUTH_BACKOFF_MAX_MS	300000

struct peer_rt {
	struct engine_cc *cc;
	uint64_t reconnect_at;
	uint32_t backoff_ms;		/* last wait after an auth failure */
	char last_error[200];		/* why the last connection went */
};

/*
 * A pseudowire's runtime state.  One per [pseudowire] in d->pws[] (same
 * index as conf.pws) carries the session of a pseudowire we initiate.  A
 * pseudowire the peer calls in on (initiate = no) may be up more than once
 * at a time (dial-in peers, sessions = N): each of its sessions is a call,
 * an entry of d->calls of its own; its d->pws[] entry holds only the
 * address pool then.
 */
struct pw_rt {
	struct engine_sess *s;
	int pw;				/* conf.pws index; -1: removed */
	bool call;			/* an entry of d->calls */
	struct pw_rt *next;		/* d->calls */
	uint32_t ppp_addr;		/* from the pool, host order; 0: none */
	uint8_t *pool_used;		/* d->pws[] only: the pool's bitmap */
	bool kernel;
	uint32_t conn_id, session_id;	/* kernel session, for deletion */
	char ifname[IF_NAMESIZE];
	pid_t pppd;
	uint64_t reopen_at;
	struct hook_info hook;		/* for the up and down scripts */
	bool hook_up;			/* up ran: down runs when it goes */
};

/*
 * A [static] pseudowire that the kernel refused is tried again, after 1 s,
 * then twice as long each time up to a minute; "session show" says why it
 * is down.
 */
#define STATIC_RETRY_MIN_MS	1000
#define STATIC_RETRY_MAX_MS	60000

struct static_rt {
	bool tunnel, session;		/* created in the kernel */
	char ifname[IF_NAMESIZE];
	uint64_t retry_at;		/* RD_NEVER: up, or not to retry */
	uint32_t backoff_ms;		/* last wait before a retry */
	char reason[400];		/* why it is down ("" when up) */
};

struct client {
	struct evsrc ev;
	char buf[512];
	size_t len;
};

struct daemon {
	const char *conf_path;
	struct conf conf;
	struct engine *eng;
	struct ol2tp_nl *nl;
	int epfd;
	struct evsrc sig, timer, ctl;
	struct listener lst[CONF_MAX_LISTEN + 2];
	unsigned int n_lst;
	struct peer_rt *peers;
	struct pw_rt *pws;
	struct pw_rt *calls;
	struct static_rt *statics;
	struct listener *rx_listener;	/* set during engine_input */
	bool reloading;			/* no re-request while closing */
	bool stopping;
	uint64_t stop_at;
	int exit_code;
};

/* daemon.c */
uint64_t now_ms(void);
int ep_add(struct daemon *d, struct evsrc *ev);
void connect_peer(struct daemon *d, unsigned int i, uint64_t now);

/* transport.c */
int open_listeners(struct daemon *d);
void tunnel_follow(struct tunnel *t);
void tunnel_close(struct daemon *d, struct tunnel *t);
int tunnel_path_mtu(const struct tunnel *t);
void tunnel_send(struct daemon *d, struct engine_cc *cc, const uint8_t *buf,
		 size_t len);
void tunnel_path_error(struct tunnel *t, int err,
		       const struct engine_addr *from);
void rx(struct daemon *d, int fd, struct listener *l, struct tunnel *t);

/* glue.c */
extern const struct engine_ops daemon_engine_ops;

/* kernel.c */
int kernel_tunnel_up(struct daemon *d, struct tunnel *t);
void kernel_tunnel_down(struct daemon *d, struct tunnel *t);
int kernel_session_up(struct daemon *d, struct pw_rt *r,
		      const struct conf_pw *w, struct engine_sess *s);
void kernel_session_down(struct daemon *d, struct pw_rt *r);
void static_down(struct daemon *d, const struct conf_static *st,
		 struct static_rt *r);
void static_try(struct daemon *d, const struct conf_static *st,
		struct static_rt *r, uint64_t now);

/* calls.c */
uint32_t pool_take(struct daemon *d, int pw);
bool pool_has_room(struct daemon *d, int pw);
struct pw_rt *call_new(struct daemon *d, int pw);
void call_free(struct daemon *d, struct pw_rt *c);
unsigned int calls_on(struct engine_cc *cc, int pw);
void open_pseudowires(struct daemon *d, struct engine_cc *cc, uint64_t now);
void hook_fill(struct daemon *d, struct pw_rt *r, const struct conf_pw *w,
	       struct engine_sess *s);

/* pppd.c */
int ppp_start(struct daemon *d, struct pw_rt *r, const struct conf_pw *w,
	      struct engine_sess *s);
void ppp_exited(struct daemon *d, pid_t pid, int status);

/* ctlsrv.c */
int ctl_open(struct daemon *d);
void ctl_accept(struct daemon *d);
void client_input(struct daemon *d, struct client *c);
int ctl_client(const char *path, const char *cmd);

/* reload.c */
void reload(struct daemon *d);

#endif /* OL2TPD_DAEMON_H */
