// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp-ppp-sockopt: the PPPoL2TP socket ABI (AF_PPPOX, PX_PROTO_OL2TP) that
 * pppd's pppol2tp plugin, xl2tpd and other L2TP daemons use.  Run by
 * l2tp-ppp-sockopt.sh inside a fresh network namespace; everything goes over
 * the loopback device:
 *
 *   netns (lo: 127.0.0.1, ::1)
 *
 *     tunnel socket (UDP or L2TP/IP)  <----- lo ----->  "peer" socket
 *     owned by an L2TP tunnel                          (this program: reads
 *       |                                               what the tunnel
 *       +-- PPPoL2TP sockets (management, sessions)     sends, injects
 *                                                       hand-built packets)
 *
 * Proves, for each of the four sockaddr variants (L2TPv2 and L2TPv3, IPv4
 * and IPv6, told apart by the address length) and for L2TPv3 over IP:
 *  - connect() of a tunnel-management socket (session ids 0) creates the
 *    tunnel from the fd; a session socket creates its session; a socket
 *    with fd -1 attaches to a PPP session created over netlink;
 *  - connect() errors: bad lengths, tunnel id 0, missing tunnel, wrong
 *    pseudowire type, session already attached, socket already connected;
 *  - getsockname() reports the variant, ids and fd;
 *  - every SOL_PPPOL2TP option (get, set, bad values; only DEBUG on the
 *    management socket) and that netlink sees what the options set;
 *  - PPPIOCGMRU/SMRU/GFLAGS/SFLAGS, PPPIOCGL2TPSTATS on session and
 *    management sockets, PPPIOCGCHAN;
 *  - the data path: sendmsg() puts the L2TP header and FF 03 in front of
 *    the payload; a received frame is queued to the socket (not yet bound
 *    to a PPP unit) with FF 03 removed if present; L2TPv2 headers with the
 *    L and O bits are parsed, malformed ones dropped; control messages (T
 *    bit) stay on the tunnel socket; poll() reports a readable socket;
 *  - PPPIOCBRIDGECHAN through /dev/ppp switches one session into another;
 *  - release: closing a session socket deletes the session; deleting the
 *    session or the tunnel over netlink disconnects the sockets; closing
 *    the tunnel's UDP socket deletes the tunnel; v2 and v3 session ids do
 *    not collide.
 *
 * Drops are proven by order, not by time: the packet that must be dropped
 * is sent first, a good one after it, and the good one must be the first
 * to arrive.
 *
 * Prints one line per check: "PASS what", "FAIL what -- why" or "SKIP what
 * -- why"; the wrapper turns them into TAP.  OL2TP_IMPL=intree marks checks
 * of behaviour where ol2tp deliberately differs from Linux.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <linux/if_pppox.h>
#include <linux/if_pppol2tp.h>
#include <linux/ppp-ioctl.h>
#include <linux/ppp_defs.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include <linux/ol2tp.h>

#ifndef SOL_PPPOL2TP
#define SOL_PPPOL2TP	273
#endif
#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* Longest a packet may take to cross the loopback before we give up. */
#define RECV_WAIT_MS	3000

static int failures;
static bool intree;

/* --- reporting ----------------------------------------------------------- */

static void pass(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("PASS ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}

static void fail(const char *why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("FAIL ");
	vprintf(fmt, ap);
	printf(" -- %s\n", why);
	va_end(ap);
	fflush(stdout);
	failures++;
}

static void skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("SKIP ");
	vprintf(fmt, ap);
	printf(" -- %s\n", why);
	va_end(ap);
	fflush(stdout);
}

static void check(bool cond, const char *why, const char *what)
{
	if (cond)
		pass("%s", what);
	else
		fail(why, "%s", what);
}

/* A call that must fail with errno @want. */
static void check_err(int ret, int want, const char *what)
{
	char why[128];

	if (ret < 0 && errno == want) {
		pass("%s", what);
		return;
	}
	if (ret >= 0)
		snprintf(why, sizeof(why), "succeeded, expected %s",
			 strerrorname_np(want));
	else
		snprintf(why, sizeof(why), "failed with %s, expected %s",
			 strerrorname_np(errno), strerrorname_np(want));
	fail(why, "%s", what);
}

/* A call that must succeed. */
static bool check_ok(int ret, const char *what)
{
	char why[128];

	if (ret >= 0) {
		pass("%s", what);
		return true;
	}
	snprintf(why, sizeof(why), "failed with %s", strerrorname_np(errno));
	fail(why, "%s", what);
	return false;
}

static void check_u64(uint64_t want, uint64_t got, const char *what)
{
	char why[96];

	snprintf(why, sizeof(why), "expected %llu, got %llu",
		 (unsigned long long)want, (unsigned long long)got);
	check(want == got, why, what);
}

static void die(const char *what)
{
	printf("FAIL setup: %s -- %s\n", what, strerror(errno));
	exit(1);
}

/* --- generic netlink, family "l2tp" --------------------------------------- */

static struct nl_sock *nl;
static int nl_family;

/* What a GET reply said about a tunnel or a session. */
struct l2tp_obj {
	bool found;
	uint32_t conn_id, peer_conn_id, session_id, peer_session_id, debug;
	uint8_t version, recv_seq, send_seq, lns_mode;
	uint16_t encap, pw_type;
	uint64_t recv_timeout;
	uint64_t stats[OL2TP_ATTR_STATS_MAX + 1];
};

struct nl_reply {
	int err;
	struct l2tp_obj *obj;
};

static int nl_on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	(void)who;
	((struct nl_reply *)arg)->err = e->error;
	return NL_STOP;
}

static int nl_on_ack(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct nl_reply *)arg)->err = 0;
	return NL_STOP;
}

static int nl_on_valid(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[OL2TP_ATTR_MAX + 1], *a;
	struct l2tp_obj *o = ((struct nl_reply *)arg)->obj;
	int rem;

	if (!o)
		return NL_OK;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, OL2TP_ATTR_MAX, NULL))
		return NL_SKIP;
	memset(o, 0, sizeof(*o));
	o->found = true;
#define GET(attr, field, fn) \
	do { if (tb[attr]) o->field = fn(tb[attr]); } while (0)
	GET(OL2TP_ATTR_CONN_ID, conn_id, nla_get_u32);
	GET(OL2TP_ATTR_PEER_CONN_ID, peer_conn_id, nla_get_u32);
	GET(OL2TP_ATTR_SESSION_ID, session_id, nla_get_u32);
	GET(OL2TP_ATTR_PEER_SESSION_ID, peer_session_id, nla_get_u32);
	GET(OL2TP_ATTR_DEBUG, debug, nla_get_u32);
	GET(OL2TP_ATTR_PROTO_VERSION, version, nla_get_u8);
	GET(OL2TP_ATTR_RECV_SEQ, recv_seq, nla_get_u8);
	GET(OL2TP_ATTR_SEND_SEQ, send_seq, nla_get_u8);
	GET(OL2TP_ATTR_LNS_MODE, lns_mode, nla_get_u8);
	GET(OL2TP_ATTR_ENCAP_TYPE, encap, nla_get_u16);
	GET(OL2TP_ATTR_PW_TYPE, pw_type, nla_get_u16);
	GET(OL2TP_ATTR_RECV_TIMEOUT, recv_timeout, nla_get_u64);
#undef GET
	if (tb[OL2TP_ATTR_STATS]) {
		nla_for_each_nested(a, tb[OL2TP_ATTR_STATS], rem) {
			if (nla_type(a) <= OL2TP_ATTR_STATS_MAX &&
			    nla_len(a) == 8)
				o->stats[nla_type(a)] = nla_get_u64(a);
		}
	}
	return NL_OK;
}

static void nl_open(void)
{
	int one = 1;

	nl = nl_socket_alloc();
	if (!nl || genl_connect(nl))
		die("cannot open a generic netlink socket");
	nl_family = genl_ctrl_resolve(nl, OL2TP_GENL_NAME);
	if (nl_family < 0) {
		errno = ENOENT;
		die("generic netlink family l2tp is not registered");
	}
	setsockopt(nl_socket_get_fd(nl), SOL_NETLINK, NETLINK_CAP_ACK, &one,
		   sizeof(one));
}

static struct nl_msg *nl_new(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	if (!m || !genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, nl_family, 0, 0,
			       cmd, OL2TP_GENL_VERSION))
		die("nlmsg_alloc");
	return m;
}

/* Send @m, wait for the answer; returns 0 or -errno (errno set too). */
static int nl_call(struct nl_msg *m, struct l2tp_obj *obj)
{
	struct nl_reply r = { .err = 1, .obj = obj };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (obj)
		obj->found = false;
	nl_cb_err(cb, NL_CB_CUSTOM, nl_on_error, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, nl_on_ack, &r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, nl_on_valid, &r);
	if (nl_send_auto(nl, m) < 0)
		die("nl_send_auto");
	while (r.err > 0)
		if (nl_recvmsgs(nl, cb) < 0)
			break;
	nl_cb_put(cb);
	nlmsg_free(m);
	if (r.err > 0)
		r.err = -EIO;
	errno = -r.err;
	return r.err;
}

static int nl_tunnel_create(uint32_t tid, uint32_t ptid, int version,
			    int encap, int fd)
{
	struct nl_msg *m = nl_new(OL2TP_CMD_TUNNEL_CREATE);

	nla_put_u32(m, OL2TP_ATTR_CONN_ID, tid);
	nla_put_u32(m, OL2TP_ATTR_PEER_CONN_ID, ptid);
	nla_put_u8(m, OL2TP_ATTR_PROTO_VERSION, version);
	nla_put_u16(m, OL2TP_ATTR_ENCAP_TYPE, encap);
	nla_put_u32(m, OL2TP_ATTR_FD, fd);
	return nl_call(m, NULL);
}

static int nl_tunnel_delete(uint32_t tid)
{
	struct nl_msg *m = nl_new(OL2TP_CMD_TUNNEL_DELETE);

	nla_put_u32(m, OL2TP_ATTR_CONN_ID, tid);
	return nl_call(m, NULL);
}

static int nl_tunnel_get(uint32_t tid, struct l2tp_obj *o)
{
	struct nl_msg *m = nl_new(OL2TP_CMD_TUNNEL_GET);

	nla_put_u32(m, OL2TP_ATTR_CONN_ID, tid);
	return nl_call(m, o);
}

static int nl_session_create(uint32_t tid, uint32_t sid, uint32_t psid,
			     uint16_t pw_type, bool v3)
{
	struct nl_msg *m = nl_new(OL2TP_CMD_SESSION_CREATE);

	nla_put_u32(m, OL2TP_ATTR_CONN_ID, tid);
	nla_put_u32(m, OL2TP_ATTR_SESSION_ID, sid);
	nla_put_u32(m, OL2TP_ATTR_PEER_SESSION_ID, psid);
	nla_put_u16(m, OL2TP_ATTR_PW_TYPE, pw_type);
	if (v3)
		nla_put_u8(m, OL2TP_ATTR_L2SPEC_TYPE, OL2TP_L2SPECTYPE_NONE);
	return nl_call(m, NULL);
}

static int nl_session_delete(uint32_t tid, uint32_t sid)
{
	struct nl_msg *m = nl_new(OL2TP_CMD_SESSION_DELETE);

	nla_put_u32(m, OL2TP_ATTR_CONN_ID, tid);
	nla_put_u32(m, OL2TP_ATTR_SESSION_ID, sid);
	return nl_call(m, NULL);
}

static int nl_session_get(uint32_t tid, uint32_t sid, struct l2tp_obj *o)
{
	struct nl_msg *m = nl_new(OL2TP_CMD_SESSION_GET);

	nla_put_u32(m, OL2TP_ATTR_CONN_ID, tid);
	nla_put_u32(m, OL2TP_ATTR_SESSION_ID, sid);
	return nl_call(m, o);
}

static bool session_exists(uint32_t tid, uint32_t sid)
{
	struct l2tp_obj o;

	return nl_session_get(tid, sid, &o) == 0 && o.found;
}

static bool tunnel_exists(uint32_t tid)
{
	struct l2tp_obj o;

	return nl_tunnel_get(tid, &o) == 0 && o.found;
}

/* --- underlay sockets -------------------------------------------------------- */

union inet_addr {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
	struct ol2tp_sockaddr_ip l2tp;
	struct ol2tp_sockaddr_ip6 l2tp6;
};

static socklen_t loopback(union inet_addr *a, int family, uint16_t port)
{
	memset(a, 0, sizeof(*a));
	if (family == AF_INET) {
		a->in.sin_family = AF_INET;
		a->in.sin_port = htons(port);
		a->in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof(a->in);
	}
	a->in6.sin6_family = AF_INET6;
	a->in6.sin6_port = htons(port);
	a->in6.sin6_addr = in6addr_loopback;
	return sizeof(a->in6);
}

/* A UDP socket on loopback port @lport, connected to port @rport. */
static int udp_socket(int family, uint16_t lport, uint16_t rport)
{
	union inet_addr a;
	socklen_t len;
	int fd;

	fd = socket(family, SOCK_DGRAM, IPPROTO_UDP);
	if (fd < 0)
		die("socket(UDP)");
	len = loopback(&a, family, lport);
	if (bind(fd, &a.sa, len))
		die("bind(UDP)");
	len = loopback(&a, family, rport);
	if (connect(fd, &a.sa, len))
		die("connect(UDP)");
	return fd;
}

/* An L2TP/IP socket for conn id @conn, connected to conn id @peer. */
static int l2tpip_socket(int family, uint32_t conn, uint32_t peer)
{
	union inet_addr a;
	socklen_t len;
	int fd;

	fd = socket(family, SOCK_DGRAM, OL2TP_IPPROTO_L2TP);
	if (fd < 0)
		die("socket(L2TP/IP)");
	memset(&a, 0, sizeof(a));
	if (family == AF_INET) {
		a.l2tp.l2tp_family = AF_INET;
		a.l2tp.l2tp_addr.s_addr = htonl(INADDR_LOOPBACK);
		a.l2tp.l2tp_conn_id = conn;
		len = sizeof(a.l2tp);
	} else {
		a.l2tp6.l2tp_family = AF_INET6;
		a.l2tp6.l2tp_addr = in6addr_loopback;
		a.l2tp6.l2tp_conn_id = conn;
		len = sizeof(a.l2tp6);
	}
	if (bind(fd, &a.sa, len))
		die("bind(L2TP/IP)");
	if (family == AF_INET)
		a.l2tp.l2tp_conn_id = peer;
	else
		a.l2tp6.l2tp_conn_id = peer;
	if (connect(fd, &a.sa, len))
		die("connect(L2TP/IP)");
	return fd;
}

/* A raw IP socket for protocol 115: sees every L2TP/IP packet on lo. */
static int raw115_socket(int family)
{
	int fd = socket(family, SOCK_RAW, OL2TP_IPPROTO_L2TP);

	if (fd < 0)
		die("socket(SOCK_RAW, 115)");
	return fd;
}

static bool wait_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

/* Read one datagram within RECV_WAIT_MS; returns its length or -1. */
static ssize_t recv_wait(int fd, void *buf, size_t len)
{
	if (!wait_readable(fd, RECV_WAIT_MS))
		return -1;
	return recv(fd, buf, len, MSG_DONTWAIT);
}

static void drain(int fd)
{
	char buf[2048];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		;
}

/* --- PPPoL2TP addresses ------------------------------------------------------ */

struct variant {
	const char *name;
	int version;		/* 2 or 3 */
	int family;		/* of the tunnel socket */
	int encap;		/* OL2TP_ENCAPTYPE_* */
};

static const struct variant v2in4 = { "v2/IPv4", 2, AF_INET, 0 };
static const struct variant v2in6 = { "v2/IPv6", 2, AF_INET6, 0 };
static const struct variant v3in4 = { "v3/IPv4", 3, AF_INET, 0 };
static const struct variant v3in6 = { "v3/IPv6", 3, AF_INET6, 0 };
static const struct variant v3ip4 = { "v3/IPv4 IP encap", 3, AF_INET, 1 };
static const struct variant v3ip6 = { "v3/IPv6 IP encap", 3, AF_INET6, 1 };

union pppol2tp_any {
	struct sockaddr sa;
	struct sockaddr_pppol2tp v2in4;
	struct sockaddr_pppol2tpin6 v2in6;
	struct sockaddr_pppol2tpv3 v3in4;
	struct sockaddr_pppol2tpv3in6 v3in6;
	char raw[128];
};

struct ppp_ids {
	int fd;
	uint32_t tid, sid, ptid, psid;
};

static socklen_t variant_len(const struct variant *v)
{
	if (v->version == 2)
		return v->family == AF_INET ? sizeof(struct sockaddr_pppol2tp) :
			sizeof(struct sockaddr_pppol2tpin6);
	return v->family == AF_INET ? sizeof(struct sockaddr_pppol2tpv3) :
		sizeof(struct sockaddr_pppol2tpv3in6);
}

static socklen_t pppol2tp_addr(union pppol2tp_any *a, const struct variant *v,
			       const struct ppp_ids *id)
{
	union inet_addr peer;

	memset(a, 0, sizeof(*a));
	a->sa.sa_family = AF_PPPOX;
	a->v2in4.sa_protocol = PX_PROTO_OL2TP;
	loopback(&peer, v->family, 1701);
	if (v->version == 2 && v->family == AF_INET) {
		a->v2in4.pppol2tp.fd = id->fd;
		a->v2in4.pppol2tp.addr = peer.in;
		a->v2in4.pppol2tp.s_tunnel = id->tid;
		a->v2in4.pppol2tp.s_session = id->sid;
		a->v2in4.pppol2tp.d_tunnel = id->ptid;
		a->v2in4.pppol2tp.d_session = id->psid;
	} else if (v->version == 2) {
		a->v2in6.pppol2tp.fd = id->fd;
		a->v2in6.pppol2tp.addr = peer.in6;
		a->v2in6.pppol2tp.s_tunnel = id->tid;
		a->v2in6.pppol2tp.s_session = id->sid;
		a->v2in6.pppol2tp.d_tunnel = id->ptid;
		a->v2in6.pppol2tp.d_session = id->psid;
	} else if (v->family == AF_INET) {
		a->v3in4.pppol2tp.fd = id->fd;
		a->v3in4.pppol2tp.addr = peer.in;
		a->v3in4.pppol2tp.s_tunnel = id->tid;
		a->v3in4.pppol2tp.s_session = id->sid;
		a->v3in4.pppol2tp.d_tunnel = id->ptid;
		a->v3in4.pppol2tp.d_session = id->psid;
	} else {
		a->v3in6.pppol2tp.fd = id->fd;
		a->v3in6.pppol2tp.addr = peer.in6;
		a->v3in6.pppol2tp.s_tunnel = id->tid;
		a->v3in6.pppol2tp.s_session = id->sid;
		a->v3in6.pppol2tp.d_tunnel = id->ptid;
		a->v3in6.pppol2tp.d_session = id->psid;
	}
	return variant_len(v);
}

/* The ids and address family of a sockaddr_pppol2tp* (@p), version @ver. */
#define PPPOL2TP_DECODE(p, ver)						\
	do {								\
		*version = (ver);					\
		*family = ((const struct sockaddr *)&(p)->addr)->sa_family; \
		id->fd = (p)->fd;					\
		id->tid = (p)->s_tunnel;				\
		id->sid = (p)->s_session;				\
		id->ptid = (p)->d_tunnel;				\
		id->psid = (p)->d_session;				\
	} while (0)

/* Decode a getsockname() answer; returns false if the length is unknown. */
static bool pppol2tp_decode(const union pppol2tp_any *a, socklen_t len,
			    int *version, int *family, struct ppp_ids *id)
{
	if (len == sizeof(struct sockaddr_pppol2tp))
		PPPOL2TP_DECODE(&a->v2in4.pppol2tp, 2);
	else if (len == sizeof(struct sockaddr_pppol2tpin6))
		PPPOL2TP_DECODE(&a->v2in6.pppol2tp, 2);
	else if (len == sizeof(struct sockaddr_pppol2tpv3))
		PPPOL2TP_DECODE(&a->v3in4.pppol2tp, 3);
	else if (len == sizeof(struct sockaddr_pppol2tpv3in6))
		PPPOL2TP_DECODE(&a->v3in6.pppol2tp, 3);
	else
		return false;
	return true;
}

static int pppox_socket(void)
{
	int fd = socket(AF_PPPOX, SOCK_DGRAM, PX_PROTO_OL2TP);

	if (fd < 0)
		die("socket(AF_PPPOX, SOCK_DGRAM, PX_PROTO_OL2TP)");
	return fd;
}

static int ppp_connect(int s, const struct variant *v, int fd, uint32_t tid,
		       uint32_t sid, uint32_t ptid, uint32_t psid)
{
	struct ppp_ids id = { fd, tid, sid, ptid, psid };
	union pppol2tp_any a;
	socklen_t len = pppol2tp_addr(&a, v, &id);

	return connect(s, &a.sa, len);
}

/* A new PPPoL2TP socket connected as asked, or -1 (errno set). */
static int ppp_open(const struct variant *v, int fd, uint32_t tid,
		    uint32_t sid, uint32_t ptid, uint32_t psid)
{
	int s = pppox_socket();

	if (ppp_connect(s, v, fd, tid, sid, ptid, psid)) {
		int e = errno;

		close(s);
		errno = e;
		return -1;
	}
	return s;
}

static int getsockopt_int(int s, int opt, int *val)
{
	socklen_t len = sizeof(*val);

	return getsockopt(s, SOL_PPPOL2TP, opt, val, &len);
}

static int setsockopt_int(int s, int opt, int val)
{
	return setsockopt(s, SOL_PPPOL2TP, opt, &val, sizeof(val));
}

static int l2tp_stats(int s, uint32_t session_id, struct pppol2tp_ioc_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->session_id = session_id;
	return ioctl(s, PPPIOCGL2TPSTATS, st);
}

/* --- hand-built data packets ------------------------------------------------ */

struct pkt {
	uint8_t b[512];
	size_t len;
};

static void put16(struct pkt *p, uint16_t v)
{
	p->b[p->len++] = v >> 8;
	p->b[p->len++] = v;
}

static void put32(struct pkt *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p, v);
}

static void put_bytes(struct pkt *p, const void *d, size_t len)
{
	memcpy(p->b + p->len, d, len);
	p->len += len;
}

/* L2TPv2 data header with optional Length / Offset fields. */
enum { V2_L = 1, V2_O = 2 };

static void v2_header(struct pkt *p, unsigned int opts, uint16_t tid,
		      uint16_t sid, uint16_t offset)
{
	uint16_t flags = 2;

	p->len = 0;
	if (opts & V2_L)
		flags |= 0x4000;	/* L */
	if (opts & V2_O)
		flags |= 0x0200;	/* O */
	put16(p, flags);
	if (opts & V2_L)
		put16(p, 0);	/* patched by v2_finish() */
	put16(p, tid);
	put16(p, sid);
	if (opts & V2_O) {
		put16(p, offset);
		memset(p->b + p->len, 0xee, offset);
		p->len += offset;
	}
}

/* Set the Length field (if any) to the packet length plus @extra. */
static void v2_finish(struct pkt *p, int extra)
{
	if (p->b[0] & 0x40) {
		p->b[2] = (p->len + extra) >> 8;
		p->b[3] = p->len + extra;
	}
}

static void v3udp_header(struct pkt *p, uint32_t sid)
{
	p->len = 0;
	put16(p, 3);
	put16(p, 0);
	put32(p, sid);
}

/* An L2TP/IP data packet is the session id then the payload. */
static void v3ip_header(struct pkt *p, uint32_t sid)
{
	p->len = 0;
	put32(p, sid);
}

static const uint8_t ff03[2] = { 0xff, 0x03 };

/* A printf into a static buffer, for check names. */
static const char *F(const char *fmt, ...)
{
	static char bufs[4][256];
	static unsigned int next;
	char *buf = bufs[next++ % 4];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(bufs[0]), fmt, ap);
	va_end(ap);
	return buf;
}

static void hexdump(char *out, size_t outlen, const uint8_t *p, ssize_t n)
{
	size_t o = 0;
	ssize_t i;

	out[0] = 0;
	for (i = 0; i < n && o + 4 < outlen; i++)
		o += snprintf(out + o, outlen - o, "%02x", p[i]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* Expected L2TP header of a data packet the tunnel sends to its peer. */
static void tx_header(struct pkt *p, const struct variant *v, uint32_t ptid,
		      uint32_t psid)
{
	p->len = 0;
	if (v->version == 2) {
		put16(p, 2);
		put16(p, ptid);
		put16(p, psid);
	} else if (v->encap == OL2TP_ENCAPTYPE_UDP) {
		v3udp_header(p, psid);
	} else {
		v3ip_header(p, psid);
	}
}

/*
 * Read what the tunnel sent to its peer: the L2TP header onwards (for
 * L2TP/IP, the raw socket also sees our own injected packets and other
 * sessions': keep only those for @psid).
 */
static ssize_t peer_recv(const struct variant *v, int peer, uint32_t psid,
			 uint8_t *buf, size_t len, uint8_t **l2tp)
{
	for (;;) {
		ssize_t n = recv_wait(peer, buf, len);
		uint8_t *p = buf;

		if (n < 0)
			return -1;
		if (v->encap == OL2TP_ENCAPTYPE_IP) {
			if (v->family == AF_INET) {
				size_t ihl = (buf[0] & 0xf) * 4;

				p += ihl;
				n -= ihl;
			}
			if (n < 4 || get32(p) != psid)
				continue;
		}
		*l2tp = p;
		return n;
	}
}

/* Check that the peer receives header + FF 03 + @payload. */
static void check_peer_gets(const struct variant *v, int peer, uint32_t ptid,
			    uint32_t psid, const char *payload,
			    const char *what)
{
	uint8_t buf[2048], *l2tp;
	char why[600], hex[400];
	struct pkt want;
	ssize_t n;

	tx_header(&want, v, ptid, psid);
	put_bytes(&want, ff03, 2);
	put_bytes(&want, payload, strlen(payload));
	n = peer_recv(v, peer, psid, buf, sizeof(buf), &l2tp);
	if (n < 0) {
		fail("nothing arrived", "%s", what);
		return;
	}
	if ((size_t)n == want.len && !memcmp(l2tp, want.b, want.len)) {
		pass("%s", what);
		return;
	}
	hexdump(hex, sizeof(hex), l2tp, n);
	snprintf(why, sizeof(why), "got %zd bytes %s", n, hex);
	fail(why, "%s", what);
}

/* Send a data packet as the tunnel's peer: @hdr then @payload. */
static void peer_send(const struct variant *v, int peer, const struct pkt *hdr,
		      const void *payload, size_t len)
{
	struct pkt p = *hdr;
	union inet_addr a;
	socklen_t alen;

	put_bytes(&p, payload, len);
	if (v->encap == OL2TP_ENCAPTYPE_UDP) {
		if (send(peer, p.b, p.len, 0) < 0)
			die("send(peer)");
		return;
	}
	alen = loopback(&a, v->family, 0);
	if (sendto(peer, p.b, p.len, 0, &a.sa, alen) < 0)
		die("sendto(raw 115)");
}

/* The L2TP header the peer puts in front of data for session @sid. */
static void rx_header(struct pkt *p, const struct variant *v, uint32_t tid,
		      uint32_t sid)
{
	if (v->version == 2)
		v2_header(p, 0, tid, sid, 0);
	else if (v->encap == OL2TP_ENCAPTYPE_UDP)
		v3udp_header(p, sid);
	else
		v3ip_header(p, sid);
}

/* The session socket @s must receive exactly @payload next. */
static void check_sock_gets(int s, const char *payload, const char *what)
{
	char buf[2048], why[600], hex[400];
	ssize_t n = recv_wait(s, buf, sizeof(buf));

	if (n < 0) {
		fail("nothing arrived", "%s", what);
		return;
	}
	if ((size_t)n == strlen(payload) && !memcmp(buf, payload, n)) {
		pass("%s", what);
		return;
	}
	hexdump(hex, sizeof(hex), (uint8_t *)buf, n);
	snprintf(why, sizeof(why), "got %zd bytes %s", n, hex);
	fail(why, "%s", what);
}

static void check_name(int s, const struct variant *v, uint32_t tid,
		       uint32_t sid, uint32_t ptid, uint32_t psid, int fd,
		       const char *what)
{
	union pppol2tp_any a;
	socklen_t len = sizeof(a);
	struct ppp_ids id;
	int version, family;
	char why[200];

	memset(&a, 0, sizeof(a));
	if (getsockname(s, &a.sa, &len)) {
		snprintf(why, sizeof(why), "getsockname: %s",
			 strerrorname_np(errno));
		fail(why, "%s", what);
		return;
	}
	if (!pppol2tp_decode(&a, len, &version, &family, &id)) {
		snprintf(why, sizeof(why), "unknown address length %u", len);
		fail(why, "%s", what);
		return;
	}
	snprintf(why, sizeof(why),
		 "len %u family %d pppox family %d proto %u v%d af %d fd %d ids %u/%u -> %u/%u",
		 len, a.sa.sa_family, AF_PPPOX, a.v2in4.sa_protocol, version,
		 family, id.fd, id.tid, id.sid, id.ptid, id.psid);
	check(len == variant_len(v) && a.sa.sa_family == AF_PPPOX &&
	      a.v2in4.sa_protocol == PX_PROTO_OL2TP &&
	      version == v->version && family == v->family &&
	      id.tid == tid && id.sid == sid && id.ptid == ptid &&
	      id.psid == psid && id.fd == fd, why, what);
}

/* --- connect() refusals ---------------------------------------------------- */

static bool wait_gone(uint32_t tid, uint32_t sid);

/* Every SOL_PPPOL2TP option, with a value to set. */
static const struct {
	int opt;
	const char *name;
	int val;
} ppp_opts[] = {
	{ PPPOL2TP_SO_DEBUG, "DEBUG", 0x1f },
	{ PPPOL2TP_SO_RECVSEQ, "RECVSEQ", 1 },
	{ PPPOL2TP_SO_SENDSEQ, "SENDSEQ", 1 },
	{ PPPOL2TP_SO_LNSMODE, "LNSMODE", 1 },
	{ PPPOL2TP_SO_REORDERTO, "REORDERTO", 250 },
};

/* A socket in a state without a session: every option set and get. */
static void check_opts_refused(int s, int err, const char *state)
{
	int val;

	for (int i = 0; i < 5; i++) {
		check_err(setsockopt_int(s, ppp_opts[i].opt, ppp_opts[i].val),
			  err, F("%s: set %s is refused", state,
				 ppp_opts[i].name));
		check_err(getsockopt_int(s, ppp_opts[i].opt, &val), err,
			  F("%s: get %s is refused", state, ppp_opts[i].name));
	}
}

static void test_connect_errors(void)
{
	static const struct variant *vs[] = { &v2in4, &v2in6, &v3in4, &v3in6 };
	static const socklen_t bad_lens[] = { 0, 6, 37, 39, 45, 47, 49, 51,
					      57, 59, 100 };
	union pppol2tp_any a;
	struct ppp_ids id = { -1, 4000, 1, 4001, 2 };
	int s = pppox_socket();
	int fds[2], tcp;
	unsigned int i;
	socklen_t len;
	char buf[8];

	for (i = 0; i < sizeof(bad_lens) / sizeof(bad_lens[0]); i++) {
		pppol2tp_addr(&a, &v3in6, &id);
		check_err(connect(s, &a.sa, bad_lens[i]), EINVAL,
			  F("connect: address length %u is refused",
			    bad_lens[i]));
	}
	len = pppol2tp_addr(&a, &v2in4, &id);
	a.v2in4.sa_protocol = PX_PROTO_OE;
	check_err(connect(s, &a.sa, len), EINVAL,
		  "connect: sa_protocol other than PX_PROTO_OL2TP is refused");

	for (i = 0; i < 4; i++) {
		check_err(ppp_connect(s, vs[i], -1, 0, 1, 4001, 2), EINVAL,
			  F("%s: connect: tunnel id 0 is refused", vs[i]->name));
		check_err(ppp_connect(s, vs[i], -1, 4000, 1, 4001, 2), ENOENT,
			  F("%s: connect: a session in a missing tunnel is refused",
			    vs[i]->name));
	}
	check_err(ppp_connect(s, &v2in4, -1, 4000, 0, 4001, 0), EBADF,
		  "connect: management socket for a missing tunnel without fd is refused");
	if (pipe(fds))
		die("pipe");
	check_err(ppp_connect(s, &v2in4, fds[0], 4000, 0, 4001, 0), ENOTSOCK,
		  "connect: management socket with a non-socket fd is refused");
	close(fds[0]);
	close(fds[1]);
	tcp = socket(AF_INET, SOCK_STREAM, 0);
	check_err(ppp_connect(s, &v2in4, tcp, 4000, 0, 4001, 0),
		  EPROTONOSUPPORT,
		  "connect: management socket with a TCP socket fd is refused");
	close(tcp);
	{
		int u = socket(AF_INET, SOCK_DGRAM, 0);
		struct sockaddr_in sin = { .sin_family = AF_INET };
		int ret;

		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sin.sin_port = htons(40999);
		bind(u, (struct sockaddr *)&sin, sizeof(sin));
		/* Taken, as Linux takes it (and TUNNEL_CREATE's FD too). */
		ret = ppp_connect(s, &v2in4, u, 4000, 0, 4001, 0);
		check_ok(ret,
			 "connect: management socket with an unconnected UDP socket is taken");
		close(u);
		if (ret == 0) {
			close(s);
			s = pppox_socket();
			wait_gone(4000, 0);
		}
	}
	check(!tunnel_exists(4000), "a tunnel is left",
	      "refused connects create no tunnel; a closed one is gone");

	/* An unconnected socket has nothing to report. */
	len = sizeof(a);
	check_err(getsockname(s, &a.sa, &len), ENOTCONN,
		  "unconnected socket: getsockname is refused");
	check_opts_refused(s, ENOTCONN, "unconnected socket");
	check_err(ioctl(s, PPPIOCGMRU, &fds[0]), ENOTCONN,
		  "unconnected socket: PPPIOCGMRU is refused");
	{
		struct pppol2tp_ioc_stats st;

		check_err(l2tp_stats(s, 0, &st), ENOTCONN,
			  "unconnected socket: PPPIOCGL2TPSTATS is refused");
	}
	check_err(ioctl(s, PPPIOCGCHAN, &fds[0]), ENOTCONN,
		  "unconnected socket: PPPIOCGCHAN is refused");
	check_err(send(s, "x", 1, MSG_DONTWAIT), ENOTCONN,
		  "unconnected socket: send is refused");
	check_err(recv(s, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN,
		  "unconnected socket: recv has nothing");
	close(s);
}

/*
 * /proc/net/pppol2tp (ol2tp's format) lists tunnel @tid with session @sid
 * attached to a socket.
 */
static void check_proc(uint32_t tid, uint32_t sid, uint32_t psid,
		       const char *what)
{
	char line[256], tun[64], ses[96];
	bool in_tunnel = false, found = false;
	FILE *f;

	if (intree) {
		skip("Linux's /proc/net/pppol2tp has another format", "%s",
		     what);
		return;
	}
	f = fopen("/proc/net/pppol2tp", "r");
	if (!f) {
		fail(strerror(errno), "%s", what);
		return;
	}
	snprintf(tun, sizeof(tun), "tunnel %u peer ", tid);
	snprintf(ses, sizeof(ses), "  session %u peer %u socket connected ",
		 sid, psid);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "tunnel ", 7))
			in_tunnel = !strncmp(line, tun, strlen(tun));
		else if (in_tunnel && !strncmp(line, ses, strlen(ses)))
			found = true;
	}
	fclose(f);
	check(found, "not listed", what);
}

/* --- one tunnel and session per address variant ------------------------ */

/* Wait (up to 5 s) for a tunnel or session to be gone: Linux deletes
 * tunnels from a workqueue. */
static bool wait_gone(uint32_t tid, uint32_t sid)
{
	int i;

	for (i = 0; i < 50; i++) {
		if (sid ? !session_exists(tid, sid) : !tunnel_exists(tid))
			return true;
		usleep(100 * 1000);
	}
	return false;
}

/*
 * @ret is what an operation on a socket whose session or tunnel was deleted
 * returned: ol2tp refuses with ENOTCONN.  Linux 6.1 keeps the socket
 * attached to the dead object (the call succeeds), 6.12 says EBADF.
 */
static void check_dead(int ret, const char *what)
{
	if (intree && ret >= 0) {
		skip("Linux 6.1 keeps the socket attached to the deleted object",
		     "%s", what);
		return;
	}
	if (intree && ret < 0 && errno == EBADF) {
		pass("%s", what);
		return;
	}
	check_err(ret, ENOTCONN, what);
}

/*
 * @ret is what setsockopt on a socket whose session or tunnel was deleted
 * returned; @want the errno a live socket gives for the same call, 0 for
 * success.  pppd sets its options again while its link goes down, after
 * the daemon deleted the session: Linux 6.1 answers as for the live socket
 * (it keeps the dead session), and so does ol2tp.  Linux 6.12 refuses them
 * all with ENOTCONN.
 */
static void check_torn_down(int ret, int want, const char *what)
{
	if (intree && ret < 0 && (errno == ENOTCONN || errno == EBADF) &&
	    want != errno) {
		pass("%s (Linux 6.12: %s)", what, strerrorname_np(errno));
		return;
	}
	if (want)
		check_err(ret, want, what);
	else
		check_ok(ret, what);
}

/*
 * A socket whose session or tunnel was deleted behind its back must be
 * disconnected: ENOTCONN from getsockname().  Linux leaves the socket
 * attached to the dead session; ol2tp disconnects it.
 */
static void check_disconnected(int s, const char *what)
{
	union pppol2tp_any a;
	socklen_t len = sizeof(a);
	int ret = getsockname(s, &a.sa, &len);

	check_dead(ret, what);
}

/* PPPIOCGL2TPSTATS @st against netlink's STATS of the same object. */
static void check_stats(const char *n, const struct pppol2tp_ioc_stats *st,
			uint32_t tid, uint32_t sid, uint64_t txp, uint64_t rxp,
			bool tunnel)
{
	struct l2tp_obj o;
	char what[160];

	if (tunnel)
		nl_tunnel_get(tid, &o);
	else
		nl_session_get(tid, sid, &o);
	snprintf(what, sizeof(what), "%s: tunnel_id", n);
	check_u64((uint16_t)tid, st->tunnel_id, what);
	snprintf(what, sizeof(what), "%s: session_id", n);
	check_u64((uint16_t)sid, st->session_id, what);
	snprintf(what, sizeof(what), "%s: tx_packets", n);
	check_u64(txp, st->tx_packets, what);
	snprintf(what, sizeof(what), "%s: rx_packets", n);
	check_u64(rxp, st->rx_packets, what);
	snprintf(what, sizeof(what), "%s: tx_bytes as netlink reports them", n);
	check(o.found && o.stats[OL2TP_ATTR_TX_BYTES] == st->tx_bytes &&
	      st->tx_bytes > 0,
	      F("ioctl %llu netlink %llu", (unsigned long long)st->tx_bytes,
		(unsigned long long)o.stats[OL2TP_ATTR_TX_BYTES]), what);
	snprintf(what, sizeof(what), "%s: rx_bytes as netlink reports them", n);
	check(o.found && o.stats[OL2TP_ATTR_RX_BYTES] == st->rx_bytes &&
	      st->rx_bytes > 0,
	      F("ioctl %llu netlink %llu", (unsigned long long)st->rx_bytes,
		(unsigned long long)o.stats[OL2TP_ATTR_RX_BYTES]), what);
}

static void test_variant(const struct variant *v, uint32_t tid, uint32_t ptid,
			 uint16_t port)
{
	const char *n = v->name;
	uint32_t sid = v->version == 2 ? 0x1234 : 0x12345678;
	uint32_t psid = v->version == 2 ? 0x4321 : 0x87654321;
	struct pppol2tp_ioc_stats st;
	struct pollfd pfd;
	struct l2tp_obj o;
	int tfd, peer, mgmt, s, s2, idx, sfd, ret;
	struct pkt h;

	if (v->encap == OL2TP_ENCAPTYPE_UDP) {
		tfd = udp_socket(v->family, port, port + 1);
		peer = udp_socket(v->family, port + 1, port);
		mgmt = ppp_open(v, tfd, tid, 0, ptid, 0);
		check_ok(mgmt, F("%s: management socket creates the tunnel from the fd",
				 n));
	} else {
		/* PPPoL2TP creates UDP tunnels only; IP ones come from netlink. */
		tfd = l2tpip_socket(v->family, tid, ptid);
		peer = raw115_socket(v->family);
		check_err(ppp_open(v, tfd, tid, 0, ptid, 0), EPROTONOSUPPORT,
			  F("%s: management socket cannot create an IP-encap tunnel",
			    n));
		check_ok(nl_tunnel_create(tid, ptid, 3, OL2TP_ENCAPTYPE_IP, tfd),
			 F("%s: netlink creates the tunnel from the fd", n));
		mgmt = ppp_open(v, -1, tid, 0, ptid, 0);
		check_ok(mgmt, F("%s: management socket attaches to the tunnel",
				 n));
	}
	if (mgmt < 0) {
		close(tfd);
		close(peer);
		return;
	}
	nl_tunnel_get(tid, &o);
	check(o.found && o.version == v->version && o.encap == v->encap &&
	      o.peer_conn_id == ptid,
	      F("found %d version %u encap %u peer %u", o.found, o.version,
		o.encap, o.peer_conn_id),
	      F("%s: netlink reports the tunnel's version, encapsulation, peer id",
		n));
	check_name(mgmt, v, tid, 0, ptid, 0, tfd,
		   F("%s: getsockname of the management socket", n));
	check_err(ppp_connect(mgmt, v, tfd, tid, 0, ptid, 0), EBUSY,
		  F("%s: connecting a connected socket again is refused", n));

	/* v2/IPv4 passes the tunnel fd like xl2tpd does; others fd -1. */
	sfd = v == &v2in4 ? tfd : -1;
	s = ppp_open(v, sfd, tid, sid, ptid, psid);
	if (!check_ok(s, F("%s: session socket creates its session", n)))
		goto out_mgmt;
	nl_session_get(tid, sid, &o);
	check(o.found && o.pw_type == OL2TP_PWTYPE_PPP &&
	      o.peer_session_id == psid,
	      F("found %d pw_type %u peer %u", o.found, o.pw_type,
		o.peer_session_id),
	      F("%s: netlink reports a PPP session with the peer's id", n));
	check_name(s, v, tid, sid, ptid, psid, tfd,
		   F("%s: getsockname of the session socket", n));
	check_proc(tid, sid, psid, F("%s: /proc/net/pppol2tp lists the session", n));
	s2 = ppp_open(v, -1, tid, sid, ptid, psid);
	check_err(s2, EEXIST,
		  F("%s: a second socket for the session is refused", n));
	if (s2 >= 0)
		close(s2);

	/* Transmit: L2TP header, FF 03, payload. */
	check_ok(send(s, "hello", 5, 0), F("%s: send on the session socket", n));
	check_peer_gets(v, peer, ptid, psid, "hello",
			F("%s: the peer receives the L2TP header, FF 03 and the payload",
			  n));

	/*
	 * Receive: queued to the socket, FF 03 removed.  (Payloads are at
	 * least 8 bytes: Linux drops UDP payloads shorter than 14 bytes.)
	 */
	pfd = (struct pollfd){ .fd = s, .events = POLLIN | POLLOUT };
	poll(&pfd, 1, 0);
	check(pfd.revents == POLLOUT, F("revents %#x", pfd.revents),
	      F("%s: poll: writable, nothing to read", n));
	rx_header(&h, v, tid, sid);
	put_bytes(&h, ff03, 2);
	peer_send(v, peer, &h, "with-ff03", 9);
	check(wait_readable(s, RECV_WAIT_MS), "not readable",
	      F("%s: poll: readable once a frame arrived", n));
	check_sock_gets(s, "with-ff03",
			F("%s: a received frame loses its FF 03", n));
	rx_header(&h, v, tid, sid);
	peer_send(v, peer, &h, "bare-frame", 10);
	check_sock_gets(s, "bare-frame",
			F("%s: a received frame without FF 03 is kept whole", n));

	/* Counters: on the session, and through the management socket. */
	if (check_ok(l2tp_stats(s, 0, &st),
		     F("%s: PPPIOCGL2TPSTATS on the session socket", n)))
		check_stats(F("%s: session stats", n), &st, tid, sid, 1, 2,
			    false);
	if (check_ok(l2tp_stats(mgmt, 0, &st),
		     F("%s: PPPIOCGL2TPSTATS on the management socket", n)))
		check_stats(F("%s: tunnel stats", n), &st, tid, 0, 1, 2, true);
	if (v->version == 2 &&
	    check_ok(l2tp_stats(mgmt, sid, &st),
		     F("%s: PPPIOCGL2TPSTATS on the management socket for a session",
		       n)))
		check_stats(F("%s: session stats via the management socket", n),
			    &st, tid, sid, 1, 2, false);
	check_err(l2tp_stats(mgmt, 0x7777, &st), EBADR,
		  F("%s: PPPIOCGL2TPSTATS for a missing session is refused", n));

	/* Bound to PPP: the socket is no longer where frames go. */
	idx = -1;
	ret = ioctl(s, PPPIOCGCHAN, &idx);
	check(ret == 0 && idx > 0,
	      F("ret %d index %d errno %s", ret, idx, strerrorname_np(errno)),
	      F("%s: PPPIOCGCHAN gives the channel index", n));

	close(s);
	check(wait_gone(tid, sid), "session still exists",
	      F("%s: closing the session socket deletes the session", n));
out_mgmt:
	check(tunnel_exists(tid), "tunnel is gone",
	      F("%s: the tunnel outlives its session sockets", n));
	close(tfd);
	check(wait_gone(tid, 0), "tunnel still exists",
	      F("%s: closing the tunnel socket deletes the tunnel", n));
	check_disconnected(mgmt,
			   F("%s: the management socket is disconnected with its tunnel",
			     n));
	close(mgmt);
	close(peer);
}

/* --- socket options and PPP ioctls ----------------------------------------- */

static void test_sockopts(const struct variant *v, uint32_t tid,
			  uint32_t ptid, uint16_t port)
{
	const char *n = v->name;
	uint32_t sid = 77, psid = 88;
	int tfd, peer, mgmt, s, val, i, ret;
	struct l2tp_obj o;
	socklen_t len;
	uint8_t buf[256], *l2tp;
	ssize_t got;
	struct pkt want;

	tfd = udp_socket(v->family, port, port + 1);
	peer = udp_socket(v->family, port + 1, port);
	mgmt = ppp_open(v, tfd, tid, 0, ptid, 0);
	s = ppp_open(v, -1, tid, sid, ptid, psid);
	if (mgmt < 0 || s < 0) {
		fail(strerrorname_np(errno), "%s: sockopt setup", n);
		goto out;
	}

	for (i = 0; i < 5; i++) {
		const char *name = ppp_opts[i].name;
		int want = ppp_opts[i].val;

		val = -1;
		ret = getsockopt_int(s, ppp_opts[i].opt, &val);
		check(ret == 0 && val == 0,
		      F("ret %d val %d errno %s", ret, val, strerrorname_np(errno)),
		      F("%s: %s is 0 on a new session", n, name));
		check_ok(setsockopt_int(s, ppp_opts[i].opt, want),
			 F("%s: set %s", n, name));
		val = -1;
		ret = getsockopt_int(s, ppp_opts[i].opt, &val);
		if (ppp_opts[i].opt == PPPOL2TP_SO_DEBUG && intree && !ret &&
		    !val) {
			skip("Linux accepts DEBUG but keeps nothing",
			     "%s: get %s returns what was set", n, name);
			continue;
		}
		/* The timeout is kept in jiffies: allow one jiffy (HZ >= 100). */
		check(ret == 0 && val >= want &&
		      val < want + (ppp_opts[i].opt == PPPOL2TP_SO_REORDERTO ?
				    10 : 1),
		      F("ret %d val %d errno %s", ret, val, strerrorname_np(errno)),
		      F("%s: get %s returns what was set", n, name));
	}
	nl_session_get(tid, sid, &o);
	check(o.found && o.recv_seq == 1 && o.send_seq == 1 &&
	      o.lns_mode == 1 && o.recv_timeout >= 250 &&
	      o.recv_timeout < 260,
	      F("recv_seq %u send_seq %u lns_mode %u timeout %llu",
		o.recv_seq, o.send_seq, o.lns_mode,
		(unsigned long long)o.recv_timeout),
	      F("%s: netlink reports what the socket options set", n));
	if (intree && o.debug == 0)
		skip("Linux accepts DEBUG but keeps nothing",
		     "%s: netlink reports the DEBUG the socket set", n);
	else
		check(o.found && o.debug == 0x1f, F("debug %#x", o.debug),
		      F("%s: netlink reports the DEBUG the socket set", n));

	/* SENDSEQ: data now carries Ns (and room for it). */
	if (v->version == 2) {
		send(s, "seq", 3, 0);
		want.len = 0;
		put16(&want, 0x0802);
		put16(&want, ptid);
		put16(&want, psid);
		put16(&want, 0);	/* Ns */
		put16(&want, 0);	/* Nr */
		put_bytes(&want, ff03, 2);
		put_bytes(&want, "seq", 3);
		got = peer_recv(v, peer, psid, buf, sizeof(buf), &l2tp);
		check(got == (ssize_t)want.len && !memcmp(l2tp, want.b, want.len),
		      F("got %zd bytes, flags %02x%02x", got, buf[0], buf[1]),
		      F("%s: with SENDSEQ the header has the S bit and Ns 0", n));
	}

	check_err(setsockopt_int(s, PPPOL2TP_SO_RECVSEQ, 2), EINVAL,
		  F("%s: RECVSEQ 2 is refused", n));
	check_err(setsockopt_int(s, PPPOL2TP_SO_SENDSEQ, 2), EINVAL,
		  F("%s: SENDSEQ 2 is refused", n));
	check_err(setsockopt_int(s, PPPOL2TP_SO_LNSMODE, 2), EINVAL,
		  F("%s: LNSMODE 2 is refused", n));
	val = 1;
	check_err(setsockopt(s, SOL_PPPOL2TP, PPPOL2TP_SO_DEBUG, &val, 2),
		  EINVAL, F("%s: an option shorter than an int is refused", n));
	check_err(setsockopt_int(s, 99, 1), ENOPROTOOPT,
		  F("%s: set of an unknown option is refused", n));
	check_err(getsockopt_int(s, 99, &val), ENOPROTOOPT,
		  F("%s: get of an unknown option is refused", n));
	val = 1;
	check_err(setsockopt(s, SOL_IP, PPPOL2TP_SO_DEBUG, &val, sizeof(val)),
		  EINVAL, F("%s: set at another level is refused", n));
	len = sizeof(val);
	check_err(getsockopt(s, SOL_IP, PPPOL2TP_SO_DEBUG, &val, &len),
		  EINVAL, F("%s: get at another level is refused", n));

	/* The management socket has DEBUG only. */
	check_ok(setsockopt_int(mgmt, PPPOL2TP_SO_DEBUG, 0x0b),
		 F("%s: management socket: set DEBUG", n));
	val = -1;
	ret = getsockopt_int(mgmt, PPPOL2TP_SO_DEBUG, &val);
	nl_tunnel_get(tid, &o);
	if (intree && !ret && !val && !o.debug) {
		skip("Linux accepts DEBUG but keeps nothing",
		     "%s: management socket: get DEBUG", n);
		skip("Linux accepts DEBUG but keeps nothing",
		     "%s: management socket DEBUG is the tunnel's DEBUG", n);
	} else {
		check(ret == 0 && val == 0x0b, F("ret %d val %d", ret, val),
		      F("%s: management socket: get DEBUG", n));
		check(o.found && o.debug == 0x0b, F("debug %#x", o.debug),
		      F("%s: management socket DEBUG is the tunnel's DEBUG", n));
	}
	for (i = 1; i < 5; i++) {
		check_err(setsockopt_int(mgmt, ppp_opts[i].opt, 1),
			  ENOPROTOOPT,
			  F("%s: management socket: set %s is refused", n,
			    ppp_opts[i].name));
		check_err(getsockopt_int(mgmt, ppp_opts[i].opt, &val),
			  ENOPROTOOPT,
			  F("%s: management socket: get %s is refused", n,
			    ppp_opts[i].name));
	}

	/* PPP ioctls pppd issues on its channel socket. */
	val = -1;
	ret = ioctl(s, PPPIOCGMRU, &val);
	check(ret == 0 && val == 0,
	      F("ret %d val %d errno %s", ret, val, strerrorname_np(errno)),
	      F("%s: PPPIOCGMRU is accepted", n));
	val = 1400;
	check_ok(ioctl(s, PPPIOCSMRU, &val),
		 F("%s: PPPIOCSMRU is accepted", n));
	val = -1;
	ret = ioctl(s, PPPIOCGFLAGS, &val);
	check(ret == 0 && val == 0,
	      F("ret %d val %d errno %s", ret, val, strerrorname_np(errno)),
	      F("%s: PPPIOCGFLAGS is accepted", n));
	val = 0;
	check_ok(ioctl(s, PPPIOCSFLAGS, &val),
		 F("%s: PPPIOCSFLAGS is accepted", n));
	/* Linux says ENOSYS ("no such system call"); ol2tp says ENOTTY. */
	check_err(ioctl(mgmt, PPPIOCGMRU, &val), intree ? ENOSYS : ENOTTY,
		  F("%s: management socket: PPPIOCGMRU is refused", n));
	check_err(ioctl(mgmt, PPPIOCSFLAGS, &val), intree ? ENOSYS : ENOTTY,
		  F("%s: management socket: PPPIOCSFLAGS is refused", n));
out:
	if (s >= 0)
		close(s);
	if (mgmt >= 0)
		close(mgmt);
	close(tfd);
	close(peer);
}

/* --- L2TPv2 header parsing on receive ---------------------------------------- */

/* Send @bad (to be dropped), then a good frame; the good one comes first. */
static void check_dropped(int peer, int s, const struct pkt *bad,
			  uint16_t tid, uint16_t sid, const char *what)
{
	static unsigned int marker;
	char good[32];
	struct pkt h;

	if (send(peer, bad->b, bad->len, 0) < 0)
		die("send(bad)");
	snprintf(good, sizeof(good), "good-frame-%u", ++marker);
	v2_header(&h, 0, tid, sid, 0);
	put_bytes(&h, good, strlen(good));
	if (send(peer, h.b, h.len, 0) < 0)
		die("send(good)");
	check_sock_gets(s, good, what);
}

static void test_v2_rx(uint16_t tid, uint16_t ptid, uint16_t port)
{
	const uint16_t sid = 501, psid = 502;
	int tfd, peer, mgmt, s;
	struct pkt p;
	char buf[256];
	ssize_t n;

	tfd = udp_socket(AF_INET, port, port + 1);
	peer = udp_socket(AF_INET, port + 1, port);
	mgmt = ppp_open(&v2in4, tfd, tid, 0, ptid, 0);
	s = ppp_open(&v2in4, tfd, tid, sid, ptid, psid);
	if (mgmt < 0 || s < 0) {
		fail(strerrorname_np(errno), "v2 receive: setup");
		goto out;
	}

	v2_header(&p, V2_L, tid, sid, 0);
	put_bytes(&p, "length-ok", 9);
	v2_finish(&p, 0);
	send(peer, p.b, p.len, 0);
	check_sock_gets(s, "length-ok", "v2 receive: Length field (L bit) is skipped");

	v2_header(&p, V2_O, tid, sid, 3);
	put_bytes(&p, "offset-ok", 9);
	send(peer, p.b, p.len, 0);
	check_sock_gets(s, "offset-ok",
			"v2 receive: Offset Size and its padding (O bit) are skipped");

	v2_header(&p, V2_L | V2_O, tid, sid, 0);
	put_bytes(&p, ff03, 2);
	put_bytes(&p, "length-and-offset", 17);
	v2_finish(&p, 0);
	send(peer, p.b, p.len, 0);
	check_sock_gets(s, "length-and-offset", "v2 receive: L and O bits together");

	v2_header(&p, 0, tid, sid, 0);
	p.b[0] |= 0x01;		/* P: priority, no effect on parsing */
	put_bytes(&p, "priority-ok", 11);
	send(peer, p.b, p.len, 0);
	check_sock_gets(s, "priority-ok", "v2 receive: the P bit is accepted");

	v2_header(&p, V2_O, tid, sid, 0);
	p.b[6] = 0x01;		/* offset 400: beyond the end */
	p.b[7] = 0x90;
	put_bytes(&p, "xx", 2);
	check_dropped(peer, s, &p, tid, sid,
		      "v2 receive: an offset beyond the packet is dropped");

	v2_header(&p, 0, tid, sid, 0);
	p.b[0] |= 0x02;		/* O bit, but the header ends here */
	check_dropped(peer, s, &p, tid, sid,
		      "v2 receive: a header cut before its Offset Size is dropped");

	v2_header(&p, 0, tid, sid, 0);
	p.len = 4;		/* flags and tunnel id only */
	check_dropped(peer, s, &p, tid, sid,
		      "v2 receive: a header cut before the session id is dropped");

	v2_header(&p, 0, tid, sid, 0);
	p.len = 1;
	check_dropped(peer, s, &p, tid, sid,
		      "v2 receive: a one-byte packet is dropped");

	v2_header(&p, 0, tid, sid + 1, 0);
	put_bytes(&p, "bad", 3);
	check_dropped(peer, s, &p, tid, sid,
		      "v2 receive: data for an unknown session is dropped");

	v2_header(&p, 0, tid + 1, sid, 0);
	put_bytes(&p, "bad", 3);
	check_dropped(peer, s, &p, tid, sid,
		      "v2 receive: data for another tunnel id is dropped");

	v3udp_header(&p, sid);
	put_bytes(&p, "bad", 3);
	check_dropped(peer, s, &p, tid, sid,
		      "v2 receive: a version 3 header on a v2 tunnel is dropped");

	if (intree) {
		skip("Linux ignores the Length field",
		     "v2 receive: a Length beyond the packet is dropped");
		skip("Linux ignores the Length field",
		     "v2 receive: a Length shorter than the header is dropped");
	} else {
		v2_header(&p, V2_L, tid, sid, 0);
		put_bytes(&p, "bad", 3);
		v2_finish(&p, 10);
		check_dropped(peer, s, &p, tid, sid,
			      "v2 receive: a Length beyond the packet is dropped");
		v2_header(&p, V2_L, tid, sid, 0);
		put_bytes(&p, "bad", 3);
		p.b[2] = 0;
		p.b[3] = 4;
		check_dropped(peer, s, &p, tid, sid,
			      "v2 receive: a Length shorter than the header is dropped");
	}

	/* Control messages (T bit) stay on the tunnel socket. */
	drain(tfd);
	p.len = 0;
	put16(&p, 0xc802);	/* T, L, S, version 2 */
	put16(&p, 12);
	put16(&p, tid);
	put16(&p, 0);
	put16(&p, 0);
	put16(&p, 0);
	send(peer, p.b, p.len, 0);
	n = recv_wait(tfd, buf, sizeof(buf));
	check(n == (ssize_t)p.len && !memcmp(buf, p.b, p.len),
	      F("got %zd bytes", n),
	      "v2 receive: a control message is read from the tunnel socket");
	check(!wait_readable(s, 0), "the session socket got something",
	      "v2 receive: a control message does not reach the session");
out:
	if (s >= 0)
		close(s);
	if (mgmt >= 0)
		close(mgmt);
	close(tfd);
	close(peer);
}

/* --- attaching to sessions created over netlink ------------------------------ */

static void test_attach(const struct variant *v, uint32_t tid, uint32_t ptid,
			uint16_t port)
{
	const char *n = v->name;
	union pppol2tp_any a;
	socklen_t len;
	int tfd, peer, s, s2, m, val = 1;

	tfd = udp_socket(v->family, port, port + 1);
	peer = udp_socket(v->family, port + 1, port);
	if (!check_ok(nl_tunnel_create(tid, ptid, v->version,
				       OL2TP_ENCAPTYPE_UDP, tfd),
		      F("%s attach: netlink creates a managed tunnel", n)))
		goto out;
	check_ok(nl_session_create(tid, 10, 20, OL2TP_PWTYPE_PPP,
				   v->version == 3),
		 F("%s attach: netlink creates a PPP session", n));

	s = ppp_open(v, -1, tid, 10, ptid, 20);
	if (check_ok(s, F("%s attach: a socket with fd -1 attaches to it", n))) {
		check_ok(send(s, "via-nl", 6, 0),
			 F("%s attach: send on the attached socket", n));
		check_peer_gets(v, peer, ptid, 20, "via-nl",
				F("%s attach: its frames reach the peer", n));
	}
	s2 = ppp_open(v, -1, tid, 10, ptid, 20);
	check_err(s2, EEXIST,
		  F("%s attach: a second socket for the session is refused", n));
	if (s2 >= 0)
		close(s2);

	if (v->version == 3) {
		check_ok(nl_session_create(tid, 11, 21, OL2TP_PWTYPE_ETH, true),
			 F("%s attach: netlink creates an Ethernet session", n));
		s2 = ppp_open(v, -1, tid, 11, ptid, 21);
		check_err(s2, EPROTOTYPE,
			  F("%s attach: attaching to an Ethernet session is refused",
			    n));
		if (s2 >= 0)
			close(s2);
	}

	/* Deleting the session over netlink disconnects the socket. */
	check_ok(nl_session_delete(tid, 10),
		 F("%s attach: netlink deletes the attached session", n));
	if (s >= 0) {
		len = sizeof(a);
		check_dead(getsockname(s, &a.sa, &len),
			   F("%s attach: getsockname after the delete is refused",
			     n));
		for (int i = 0; i < 5; i++) {
			check_torn_down(setsockopt_int(s, ppp_opts[i].opt,
						       ppp_opts[i].val), 0,
					F("%s attach: set %s after the delete is accepted (pppd's teardown)",
					  n, ppp_opts[i].name));
			check_dead(getsockopt_int(s, ppp_opts[i].opt, &val),
				   F("%s attach: get %s after the delete is refused",
				     n, ppp_opts[i].name));
		}
		check_torn_down(setsockopt_int(s, PPPOL2TP_SO_LNSMODE, 2),
				EINVAL,
				F("%s attach: LNSMODE 2 after the delete is refused",
				  n));
		check_torn_down(setsockopt_int(s, 99, 1), ENOPROTOOPT,
				F("%s attach: an unknown option after the delete is refused",
				  n));
		check_dead(send(s, "late", 4, MSG_DONTWAIT),
			   F("%s attach: send after the delete is refused", n));
		check_dead(ioctl(s, PPPIOCGMRU, &val),
			   F("%s attach: PPP ioctls after the delete are refused",
			     n));
		close(s);
	}
	check(wait_gone(tid, 10), "session still exists",
	      F("%s attach: the session is gone", n));

	/* The id is free again; closing a socket deletes its session. */
	check_ok(nl_session_create(tid, 10, 20, OL2TP_PWTYPE_PPP,
				   v->version == 3),
		 F("%s attach: the session id can be reused", n));
	s = ppp_open(v, -1, tid, 10, ptid, 20);
	check_ok(s, F("%s attach: a new socket attaches to the new session", n));
	if (s >= 0)
		close(s);
	check(wait_gone(tid, 10), "session still exists",
	      F("%s attach: closing the socket deletes a netlink-created session",
		n));

	/* Deleting the tunnel disconnects session and management sockets. */
	nl_session_create(tid, 12, 22, OL2TP_PWTYPE_PPP, v->version == 3);
	s = ppp_open(v, -1, tid, 12, ptid, 22);
	m = ppp_open(v, -1, tid, 0, ptid, 0);
	check_ok(m, F("%s attach: a management socket attaches to a netlink tunnel",
		      n));
	check_ok(nl_tunnel_delete(tid),
		 F("%s attach: netlink deletes the tunnel", n));
	check(wait_gone(tid, 0), "tunnel still exists",
	      F("%s attach: the tunnel is gone", n));
	if (s >= 0) {
		check_disconnected(s,
				   F("%s attach: the session socket is disconnected with the tunnel",
				     n));
		check_torn_down(setsockopt_int(s, PPPOL2TP_SO_LNSMODE, 1), 0,
				F("%s attach: set LNSMODE after the tunnel delete is accepted (pppd's teardown)",
				  n));
	}
	if (m >= 0) {
		check_disconnected(m,
				   F("%s attach: the management socket is disconnected with the tunnel",
				     n));
		check_torn_down(setsockopt_int(m, PPPOL2TP_SO_DEBUG, 1), 0,
				F("%s attach: management socket: set DEBUG after the tunnel delete is accepted",
				  n));
		check_torn_down(setsockopt_int(m, PPPOL2TP_SO_LNSMODE, 1),
				ENOPROTOOPT,
				F("%s attach: management socket: set LNSMODE after the tunnel delete is refused",
				  n));
	}
	if (s >= 0)
		close(s);
	if (m >= 0)
		close(m);
out:
	close(tfd);
	close(peer);
}

/* --- PPPIOCBRIDGECHAN: a LAC switches one session into another ------------- */

struct leg {
	int tfd, peer, mgmt, s, chan, idx;
	uint16_t tid, ptid, sid, psid;
};

static bool leg_open(struct leg *l, uint16_t tid, uint16_t port, uint16_t sid)
{
	l->tid = tid;
	l->ptid = tid + 1;
	l->sid = sid;
	l->psid = sid + 1;
	l->tfd = udp_socket(AF_INET, port, port + 1);
	l->peer = udp_socket(AF_INET, port + 1, port);
	l->mgmt = ppp_open(&v2in4, l->tfd, tid, 0, l->ptid, 0);
	l->s = ppp_open(&v2in4, l->tfd, tid, sid, l->ptid, l->psid);
	l->chan = -1;
	l->idx = -1;
	if (l->mgmt < 0 || l->s < 0)
		return false;
	if (ioctl(l->s, PPPIOCGCHAN, &l->idx))
		return false;
	l->chan = open("/dev/ppp", O_RDWR);
	if (l->chan < 0)
		return false;
	return ioctl(l->chan, PPPIOCATTCHAN, &l->idx) == 0;
}

static void leg_close(struct leg *l)
{
	if (l->chan >= 0)
		close(l->chan);
	if (l->s >= 0)
		close(l->s);
	if (l->mgmt >= 0)
		close(l->mgmt);
	close(l->tfd);
	close(l->peer);
}

static void test_bridge(void)
{
	struct leg a, b;
	uint8_t buf[256];
	struct pkt p;
	ssize_t n;

	if (access("/dev/ppp", R_OK | W_OK)) {
		skip("no /dev/ppp", "bridge: PPPIOCBRIDGECHAN");
		return;
	}
	if (!leg_open(&a, 6000, 46000, 61) || !leg_open(&b, 6100, 46100, 62)) {
		fail(strerrorname_np(errno), "bridge: setup of two channels");
		goto out;
	}

	/* Bound but not bridged: frames go to the channel, FF 03 removed. */
	v2_header(&p, 0, a.tid, a.sid, 0);
	put_bytes(&p, ff03, 2);
	put_bytes(&p, "\xc0\x21\x09\x01\x00\x04", 6);	/* LCP echo */
	send(a.peer, p.b, p.len, 0);
	n = wait_readable(a.chan, RECV_WAIT_MS) ? read(a.chan, buf, sizeof(buf)) :
						  -1;
	check(n == 6 && !memcmp(buf, "\xc0\x21\x09\x01\x00\x04", 6),
	      F("got %zd bytes", n),
	      "bridge: a bound channel's frames reach /dev/ppp without FF 03");
	check(!wait_readable(a.s, 0), "the socket got it",
	      "bridge: a bound socket no longer receives frames");

	/* Writing to the channel sends on the session. */
	if (write(a.chan, "\xc0\x21\x0a\x01\x00\x04", 6) != 6)
		fail(strerror(errno), "bridge: write to /dev/ppp channel");
	n = recv_wait(a.peer, buf, sizeof(buf));
	check(n == 14 && buf[6] == 0xff && buf[7] == 0x03 &&
	      !memcmp(buf + 8, "\xc0\x21\x0a\x01\x00\x04", 6),
	      F("got %zd bytes", n),
	      "bridge: a frame written to the channel goes out with FF 03");

	if (!check_ok(ioctl(a.chan, PPPIOCBRIDGECHAN, &b.idx),
		      "bridge: PPPIOCBRIDGECHAN joins the two channels"))
		goto out;
	v2_header(&p, 0, a.tid, a.sid, 0);
	put_bytes(&p, ff03, 2);
	put_bytes(&p, "\x80\x21" "a-to-b", 8);
	send(a.peer, p.b, p.len, 0);
	check_peer_gets(&v2in4, b.peer, b.ptid, b.psid, "\x80\x21" "a-to-b",
			"bridge: a frame from session A leaves on session B");
	v2_header(&p, 0, b.tid, b.sid, 0);
	put_bytes(&p, "\x80\x21" "b-to-a", 8);
	send(b.peer, p.b, p.len, 0);
	check_peer_gets(&v2in4, a.peer, a.ptid, a.psid, "\x80\x21" "b-to-a",
			"bridge: a frame from session B leaves on session A");
out:
	leg_close(&a);
	leg_close(&b);
}

/* --- ids: L2TPv2 and L2TPv3 spaces --------------------------------------------- */

static void test_ids(void)
{
	int ipfd, udpfd, m3, m2, s3, s2, fd, fd2;

	ipfd = l2tpip_socket(AF_INET, 7000, 7001);
	udpfd = udp_socket(AF_INET, 47000, 47001);
	nl_tunnel_create(7000, 7001, 3, OL2TP_ENCAPTYPE_IP, ipfd);
	m3 = ppp_open(&v3in4, -1, 7000, 0, 7001, 0);
	s3 = ppp_open(&v3in4, -1, 7000, 5, 7001, 6);
	check(m3 >= 0 && s3 >= 0, strerrorname_np(errno),
	      "ids: an L2TPv3 IP-encap session 5");
	m2 = ppp_open(&v2in4, udpfd, 7100, 0, 7101, 0);
	s2 = ppp_open(&v2in4, -1, 7100, 5, 7101, 6);
	check(m2 >= 0 && s2 >= 0, strerrorname_np(errno),
	      "ids: an L2TPv2 session 5 coexists with the L2TPv3 session 5");
	fd = udp_socket(AF_INET, 47002, 47003);
	check_err(nl_tunnel_create(7000, 1, 2, OL2TP_ENCAPTYPE_UDP, fd), EEXIST,
		  "ids: an L2TPv2 tunnel cannot take an L2TPv3 tunnel's id");
	/* The address's version only sizes the ids, as in Linux. */
	fd2 = ppp_open(&v2in4, -1, 7000, 9, 7001, 9);
	check_ok(fd2, "ids: a v2 address reaches a session of a v3 tunnel");
	if (fd2 >= 0)
		close(fd2);
	fd2 = ppp_open(&v3in4, -1, 7100, 9, 7101, 9);
	check_ok(fd2, "ids: a v3 address reaches a session of a v2 tunnel");
	if (fd2 >= 0)
		close(fd2);
	fd2 = ppp_open(&v3in4, -1, 7100, 0x10009, 7101, 9);
	if (intree)	/* a new session 9, or EEXIST while 9 is going away */
		skip("Linux truncates the id to 16 bits",
		     "ids: a 32-bit session id in a v2 tunnel is refused");
	else
		check_err(fd2, EINVAL,
			  "ids: a 32-bit session id in a v2 tunnel is refused");
	if (fd2 >= 0)
		close(fd2);
	close(fd);
	if (s3 >= 0)
		close(s3);
	if (s2 >= 0)
		close(s2);
	if (m3 >= 0)
		close(m3);
	if (m2 >= 0)
		close(m2);
	close(ipfd);
	close(udpfd);
}

int main(void)
{
	const char *impl = getenv("OL2TP_IMPL");

	intree = impl && !strcmp(impl, "intree");
	setvbuf(stdout, NULL, _IOLBF, 0);
	nl_open();

	test_connect_errors();
	test_variant(&v2in4, 1000, 1001, 41000);
	test_variant(&v2in6, 1100, 1101, 41100);
	test_variant(&v3in4, 1200, 1201, 41200);
	test_variant(&v3in6, 1300, 1301, 41300);
	test_variant(&v3ip4, 1400, 1401, 0);
	test_variant(&v3ip6, 1500, 1501, 0);
	test_sockopts(&v2in4, 2000, 2001, 42000);
	test_sockopts(&v3in6, 2100, 2101, 42100);
	test_v2_rx(3000, 3001, 43000);
	test_attach(&v2in4, 5000, 5001, 45000);
	test_attach(&v3in4, 5100, 5101, 45100);
	test_bridge();
	test_ids();
	return failures ? 1 : 0;
}
