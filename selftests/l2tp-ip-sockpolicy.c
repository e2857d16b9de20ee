// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp-ip-sockpolicy: IPsec policies of an L2TP/IP socket itself
 * (IP_XFRM_POLICY / IPV6_XFRM_POLICY), IPv4 and IPv6.  Run by
 * l2tp-ip-sockpolicy.sh, which builds the namespaces and installs ESP
 * transport-mode SAs both ways (no policy in the namespaces' databases):
 *
 *    netns a                                 netns b
 *  +------------------------+   veth   +------------------------+
 *  | sa: OUT policy ESP     |----------| sb: IN policy ESP      |
 *  | sc: no policy          |  ESP SAs | (conn 32)              |
 *  | sd: no policy          |  a <-> b |                        |
 *  +------------------------+          +------------------------+
 *   10.9.0.1  fd00:9::1                  10.9.0.2  fd00:9::2
 *
 * Usage: l2tp-ip-sockpolicy NETNS_A NETNS_B A4 B4 A6 B6
 *
 * Proves: a control message in clear (from sc) is dropped at sb, whose
 * inbound policy requires ESP, while the same message through ESP (from
 * sa, whose outbound policy applies it) is delivered -- by order, the clear
 * one sent first; and a managed tunnel's session (and with ol2tp the tunnel)
 * reports USING_IPSEC when its socket has a policy (sa), not when it has
 * none (sd).
 *
 * Data: a managed tunnel in b whose socket's inbound policy requires ESP
 * (an L2TP/IP socket, then a UDP one) with an Ethernet session; from a, a
 * data packet for the session in clear, then one through ESP (raw IP
 * protocol 115 sockets, or UDP sockets sharing the tunnel peer's port, one
 * with an outbound ESP policy).  The session must count exactly one
 * received packet (the ESP one) and, with ol2tp over IP, the clear one in
 * RX_ERRORS.  Linux's l2tp_ip checks no policy for data: the clear packet
 * is delivered there (require ol2tp).  Over UDP, the kernel's UDP (6.1 and
 * 6.12) drops it before the encapsulation sees it, with either
 * implementation.
 *
 * Prints "PASS what", "FAIL what -- why", "SKIP what -- why" lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <linux/ol2tp.h>
#include <linux/xfrm.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#ifndef IP_XFRM_POLICY
#define IP_XFRM_POLICY 17
#endif
#ifndef IPV6_XFRM_POLICY
#define IPV6_XFRM_POLICY 35
#endif

#define RECV_WAIT_MS 5000

static int failures;
static int nsfd_a, nsfd_b, nsfd_self;

#define pass(...) do { printf("PASS "); printf(__VA_ARGS__); printf("\n"); } while (0)
#define fail(...) do { printf("FAIL "); printf(__VA_ARGS__); printf("\n"); failures++; } while (0)

struct fam {
	int family;
	const char *name;
	const char *a, *b;
	uint32_t base;		/* conn ids base+1.. */
};

union l2tp_addr {
	struct sockaddr sa;
	struct ol2tp_sockaddr_ip v4;
	struct ol2tp_sockaddr_ip6 v6;
};

static void enter(int nsfd)
{
	if (setns(nsfd, CLONE_NEWNET)) {
		perror("setns");
		exit(2);
	}
}

static socklen_t mkaddr(const struct fam *f, union l2tp_addr *u,
			const char *ip, uint32_t conn)
{
	memset(u, 0, sizeof(*u));
	if (f->family == AF_INET) {
		u->v4.l2tp_family = AF_INET;
		inet_pton(AF_INET, ip, &u->v4.l2tp_addr);
		u->v4.l2tp_conn_id = conn;
		return sizeof(u->v4);
	}
	u->v6.l2tp_family = AF_INET6;
	inet_pton(AF_INET6, ip, &u->v6.l2tp_addr);
	u->v6.l2tp_conn_id = conn;
	return sizeof(u->v6);
}

/* Give @fd a policy requiring ESP in transport mode in direction @dir. */
static int set_policy(const struct fam *f, int fd, int dir)
{
	struct {
		struct xfrm_userpolicy_info pol;
		struct xfrm_user_tmpl tmpl;
	} p;

	memset(&p, 0, sizeof(p));
	p.pol.sel.family = f->family;
	p.pol.lft.soft_byte_limit = XFRM_INF;
	p.pol.lft.hard_byte_limit = XFRM_INF;
	p.pol.lft.soft_packet_limit = XFRM_INF;
	p.pol.lft.hard_packet_limit = XFRM_INF;
	p.pol.dir = dir;
	p.pol.action = XFRM_POLICY_ALLOW;
	p.pol.share = XFRM_SHARE_ANY;
	p.tmpl.family = f->family;
	p.tmpl.id.proto = IPPROTO_ESP;
	p.tmpl.mode = XFRM_MODE_TRANSPORT;
	p.tmpl.aalgos = ~0u;
	p.tmpl.ealgos = ~0u;
	p.tmpl.calgos = ~0u;
	if (f->family == AF_INET)
		return setsockopt(fd, IPPROTO_IP, IP_XFRM_POLICY, &p, sizeof(p));
	return setsockopt(fd, IPPROTO_IPV6, IPV6_XFRM_POLICY, &p, sizeof(p));
}

/*
 * An L2TP/IP socket in @nsfd, with an ESP policy for @dir (or none if
 * @dir < 0), bound to @local/@conn and connected to @peer/@peer_conn unless
 * @peer is NULL.  Exits on failure: nothing else can be tested then.
 */
static int l2tp_socket(const struct fam *f, int nsfd, int dir,
		       const char *local, uint32_t conn,
		       const char *peer, uint32_t peer_conn)
{
	union l2tp_addr u;
	socklen_t len;
	int fd;

	enter(nsfd);
	fd = socket(f->family, SOCK_DGRAM | SOCK_CLOEXEC, OL2TP_IPPROTO_L2TP);
	enter(nsfd_self);
	if (fd < 0) {
		fail("%s: L2TP/IP socket -- %s", f->name, strerror(errno));
		exit(1);
	}
	if (dir >= 0 && set_policy(f, fd, dir)) {
		fail("%s: set the socket's IPsec policy -- %s", f->name,
		     strerror(errno));
		exit(1);
	}
	len = mkaddr(f, &u, local, conn);
	if (bind(fd, &u.sa, len)) {
		fail("%s: bind %s conn %u -- %s", f->name, local, conn,
		     strerror(errno));
		exit(1);
	}
	if (peer) {
		len = mkaddr(f, &u, peer, peer_conn);
		if (connect(fd, &u.sa, len)) {
			fail("%s: connect to %s -- %s", f->name, peer,
			     strerror(errno));
			exit(1);
		}
	}
	return fd;
}

/* A control message for @conn tagged @tag (without the session id). */
static size_t ctrl_msg(uint8_t *m, uint32_t conn, uint16_t tag)
{
	uint16_t flags = htons(0xc003), len = htons(14), t = htons(tag);
	uint32_t id = htonl(conn);

	memset(m, 0, 14);
	memcpy(m, &flags, 2);
	memcpy(m + 2, &len, 2);
	memcpy(m + 4, &id, 4);
	memcpy(m + 12, &t, 2);
	return 14;
}

/* The tag of the first message on @fd, or -1 if none arrives. */
static int first_tag(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint8_t buf[256];
	uint16_t t;
	ssize_t n;

	if (poll(&p, 1, RECV_WAIT_MS) != 1)
		return -1;
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 14)
		return -1;
	memcpy(&t, buf + 12, 2);
	return ntohs(t);
}

/* --- generic netlink: a managed tunnel and its USING_IPSEC ------------ */

static struct nl_sock *genl_open(int nsfd, int *family)
{
	struct nl_sock *nl = nl_socket_alloc();

	enter(nsfd);
	if (!nl || genl_connect(nl)) {
		fprintf(stderr, "cannot open a generic netlink socket\n");
		exit(2);
	}
	enter(nsfd_self);
	/* One request at a time; GETs go without ACK (see using_ipsec()). */
	nl_socket_disable_seq_check(nl);
	*family = genl_ctrl_resolve(nl, OL2TP_GENL_NAME);
	if (*family < 0) {
		fprintf(stderr, "no generic netlink family l2tp\n");
		exit(2);
	}
	return nl;
}

/* TUNNEL_CREATE of a managed tunnel on @fd, L2TPv3 with @encap. */
static int tunnel_create_encap(struct nl_sock *nl, int family, uint32_t tid,
			       uint32_t ptid, int fd, uint16_t encap)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err;

	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
		    OL2TP_CMD_TUNNEL_CREATE, OL2TP_GENL_VERSION);
	nla_put_u32(msg, OL2TP_ATTR_CONN_ID, tid);
	nla_put_u32(msg, OL2TP_ATTR_PEER_CONN_ID, ptid);
	nla_put_u8(msg, OL2TP_ATTR_PROTO_VERSION, 3);
	nla_put_u16(msg, OL2TP_ATTR_ENCAP_TYPE, encap);
	nla_put_u32(msg, OL2TP_ATTR_FD, fd);
	err = nl_send_auto(nl, msg);
	nlmsg_free(msg);
	if (err < 0)
		return err;
	return nl_wait_for_ack(nl);
}

/* USING_IPSEC of the last GET reply: 1 present, 0 absent, -1 no reply. */
static int got_ipsec;

static int parse_ipsec(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[OL2TP_ATTR_MAX + 1];

	(void)arg;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, OL2TP_ATTR_MAX, NULL))
		return NL_SKIP;
	if (tb[OL2TP_ATTR_CONN_ID])
		got_ipsec = tb[OL2TP_ATTR_USING_IPSEC] ? 1 : 0;
	return NL_OK;
}

/*
 * 1 if the tunnel @tid (@sid 0) or session @tid/@sid reports USING_IPSEC,
 * 0 if not, -1 on error.
 */
static int using_ipsec(struct nl_sock *nl, int family, uint32_t tid,
		       uint32_t sid)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err;

	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
		    sid ? OL2TP_CMD_SESSION_GET : OL2TP_CMD_TUNNEL_GET,
		    OL2TP_GENL_VERSION);
	nla_put_u32(msg, OL2TP_ATTR_CONN_ID, tid);
	if (sid)
		nla_put_u32(msg, OL2TP_ATTR_SESSION_ID, sid);
	got_ipsec = -1;
	/* A doit GET answers with one message: no ACK to wait for. */
	nl_socket_disable_auto_ack(nl);
	nl_socket_modify_cb(nl, NL_CB_VALID, NL_CB_CUSTOM, parse_ipsec, NULL);
	err = nl_send_auto(nl, msg);
	nlmsg_free(msg);
	if (err >= 0)
		err = nl_recvmsgs_default(nl);
	nl_socket_enable_auto_ack(nl);
	return err < 0 ? -1 : got_ipsec;
}

static int session_create(struct nl_sock *nl, int family, uint32_t tid,
			  uint32_t sid, uint32_t psid)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err;

	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
		    OL2TP_CMD_SESSION_CREATE, OL2TP_GENL_VERSION);
	nla_put_u32(msg, OL2TP_ATTR_CONN_ID, tid);
	nla_put_u32(msg, OL2TP_ATTR_SESSION_ID, sid);
	nla_put_u32(msg, OL2TP_ATTR_PEER_SESSION_ID, psid);
	nla_put_u16(msg, OL2TP_ATTR_PW_TYPE, OL2TP_PWTYPE_ETH);
	/* Linux's default is the 4-byte sublayer; data_msg() sends none. */
	nla_put_u8(msg, OL2TP_ATTR_L2SPEC_TYPE, OL2TP_L2SPECTYPE_NONE);
	err = nl_send_auto(nl, msg);
	nlmsg_free(msg);
	if (err < 0)
		return err;
	return nl_wait_for_ack(nl);
}

static void tunnel_delete(struct nl_sock *nl, int family, uint32_t tid)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
		    OL2TP_CMD_TUNNEL_DELETE, OL2TP_GENL_VERSION);
	nla_put_u32(msg, OL2TP_ATTR_CONN_ID, tid);
	if (nl_send_auto(nl, msg) >= 0)
		nl_wait_for_ack(nl);
	nlmsg_free(msg);
}

/*
 * A managed tunnel @tid with an Ethernet session on socket @fd: its session
 * (and with ol2tp its tunnel too; Linux reports it on sessions only) must
 * report USING_IPSEC iff @expect.
 */
static void check_tunnel(const struct fam *f, struct nl_sock *nl, int family,
			 uint32_t tid, uint32_t ptid, int fd, int expect,
			 const char *what)
{
	const char *impl = getenv("OL2TP_IMPL");
	uint32_t sid = tid + 0x10000;
	int err, state;

	err = tunnel_create_encap(nl, family, tid, ptid, fd,
				  OL2TP_ENCAPTYPE_IP);
	if (!err)
		err = session_create(nl, family, tid, sid, sid + 1);
	if (err) {
		fail("%s: managed tunnel and session on a socket that %s -- %s",
		     f->name, what, nl_geterror(err));
		return;
	}
	state = using_ipsec(nl, family, tid, sid);
	if (state == expect)
		pass("%s: a session whose tunnel socket %s %s USING_IPSEC",
		     f->name, what, expect ? "reports" : "does not report");
	else
		fail("%s: a session whose tunnel socket %s %s USING_IPSEC -- %s",
		     f->name, what, expect ? "reports" : "does not report",
		     state < 0 ? "GET failed" : state ? "present" : "absent");
	if (impl && !strcmp(impl, "intree")) {
		printf("SKIP %s: the tunnel itself reports USING_IPSEC as its session -- Linux reports it on sessions only\n",
		       f->name);
	} else {
		state = using_ipsec(nl, family, tid, 0);
		if (state == expect)
			pass("%s: the tunnel itself reports USING_IPSEC as its session",
			     f->name);
		else
			fail("%s: the tunnel itself reports USING_IPSEC as its session -- %s",
			     f->name, state < 0 ? "GET failed" :
			     state ? "present" : "absent");
	}
	tunnel_delete(nl, family, tid);
}

/* --- data through a tunnel whose socket requires ESP -------------------- */

static uint64_t st_rx_packets, st_rx_errors;

static int parse_stats(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[OL2TP_ATTR_MAX + 1], *st[OL2TP_ATTR_STATS_MAX + 1];

	(void)arg;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, OL2TP_ATTR_MAX, NULL) ||
	    !tb[OL2TP_ATTR_STATS] ||
	    nla_parse_nested(st, OL2TP_ATTR_STATS_MAX, tb[OL2TP_ATTR_STATS],
			     NULL))
		return NL_SKIP;
	if (st[OL2TP_ATTR_RX_PACKETS])
		st_rx_packets = nla_get_u64(st[OL2TP_ATTR_RX_PACKETS]);
	if (st[OL2TP_ATTR_RX_ERRORS])
		st_rx_errors = nla_get_u64(st[OL2TP_ATTR_RX_ERRORS]);
	return NL_OK;
}

/* Read RX_PACKETS and RX_ERRORS of session @tid/@sid; -1 on error. */
static int session_stats(struct nl_sock *nl, int family, uint32_t tid,
			 uint32_t sid)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err;

	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
		    OL2TP_CMD_SESSION_GET, OL2TP_GENL_VERSION);
	nla_put_u32(msg, OL2TP_ATTR_CONN_ID, tid);
	nla_put_u32(msg, OL2TP_ATTR_SESSION_ID, sid);
	st_rx_packets = st_rx_errors = UINT64_MAX;
	nl_socket_disable_auto_ack(nl);
	nl_socket_modify_cb(nl, NL_CB_VALID, NL_CB_CUSTOM, parse_stats, NULL);
	err = nl_send_auto(nl, msg);
	nlmsg_free(msg);
	if (err >= 0)
		err = nl_recvmsgs_default(nl);
	nl_socket_enable_auto_ack(nl);
	return err < 0 || st_rx_packets == UINT64_MAX ? -1 : 0;
}

/* A socket of @type/@proto in @nsfd, optionally with an OUT ESP policy. */
static int plain_socket(const struct fam *f, int nsfd, int type, int proto,
			bool esp)
{
	int fd, one = 1;

	enter(nsfd);
	fd = socket(f->family, type | SOCK_CLOEXEC, proto);
	enter(nsfd_self);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (esp && set_policy(f, fd, XFRM_POLICY_OUT)) {
		close(fd);
		return -1;
	}
	return fd;
}

static socklen_t inaddr(const struct fam *f, struct sockaddr_storage *ss,
			const char *ip, uint16_t port)
{
	memset(ss, 0, sizeof(*ss));
	if (f->family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		inet_pton(AF_INET, ip, &a->sin_addr);
		return sizeof(*a);
	}
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

	a6->sin6_family = AF_INET6;
	a6->sin6_port = htons(port);
	inet_pton(AF_INET6, ip, &a6->sin6_addr);
	return sizeof(*a6);
}

/*
 * One data packet for session @sid: over UDP the L2TPv3 data header, then
 * the session id and an Ethernet frame (broadcast, local experimental
 * EtherType 0x88b5, zero payload).
 */
static size_t data_msg(uint8_t *m, bool udp, uint32_t sid)
{
	uint32_t id = htonl(sid);
	size_t off = 0;

	memset(m, 0, 96);
	if (udp) {
		m[1] = 3;	/* flags 0, version 3, reserved 0 */
		off = 4;
	}
	memcpy(m + off, &id, 4);
	off += 4;
	memset(m + off, 0xff, 6);
	m[off + 6] = 0x02;
	m[off + 11] = 0x01;
	m[off + 12] = 0x88;
	m[off + 13] = 0xb5;
	return off + 14 + 46;
}

static void check_data(const struct fam *f, bool udp)
{
	const char *impl = getenv("OL2TP_IMPL");
	bool intree = impl && !strcmp(impl, "intree");
	const char *enc = udp ? "UDP" : "IP";
	uint32_t tid = f->base + (udp ? 0x30 : 0x20), sid = tid + 0x20000;
	uint16_t port_b = 1701, port_a = 1702;
	struct sockaddr_storage ss;
	int st, sclear, sesp, family, err, i;
	struct nl_sock *nl;
	uint8_t m[96];
	socklen_t len;
	size_t n;

	/* The tunnel socket in b: inbound policy ESP, connected to a. */
	if (udp) {
		st = plain_socket(f, nsfd_b, SOCK_DGRAM, IPPROTO_UDP, false);
		if (st < 0 || set_policy(f, st, XFRM_POLICY_IN))
			goto sock_fail;
		len = inaddr(f, &ss, f->b, port_b);
		if (bind(st, (struct sockaddr *)&ss, len))
			goto sock_fail;
		len = inaddr(f, &ss, f->a, port_a);
		if (connect(st, (struct sockaddr *)&ss, len))
			goto sock_fail;
		sclear = plain_socket(f, nsfd_a, SOCK_DGRAM, IPPROTO_UDP, false);
		sesp = plain_socket(f, nsfd_a, SOCK_DGRAM, IPPROTO_UDP, true);
		len = inaddr(f, &ss, f->a, port_a);
		if (sclear < 0 || sesp < 0 ||
		    bind(sclear, (struct sockaddr *)&ss, len) ||
		    bind(sesp, (struct sockaddr *)&ss, len))
			goto sock_fail;
		len = inaddr(f, &ss, f->b, port_b);
	} else {
		st = l2tp_socket(f, nsfd_b, XFRM_POLICY_IN, f->b, tid, f->a,
				 tid + 100);
		sclear = plain_socket(f, nsfd_a, SOCK_RAW, OL2TP_IPPROTO_L2TP,
				      false);
		sesp = plain_socket(f, nsfd_a, SOCK_RAW, OL2TP_IPPROTO_L2TP,
				    true);
		if (sclear < 0 || sesp < 0)
			goto sock_fail;
		len = inaddr(f, &ss, f->b, 0);
	}

	nl = genl_open(nsfd_b, &family);
	err = tunnel_create_encap(nl, family, tid, tid + 100, st,
				  udp ? OL2TP_ENCAPTYPE_UDP : OL2TP_ENCAPTYPE_IP);
	if (!err)
		err = session_create(nl, family, tid, sid, sid);
	if (err) {
		fail("%s over %s: managed tunnel and session on a socket requiring ESP -- %s",
		     f->name, enc, nl_geterror(err));
		goto out;
	}

	/* In clear first, then through ESP: only the ESP one may arrive. */
	n = data_msg(m, udp, sid);
	if (sendto(sclear, m, n, 0, (struct sockaddr *)&ss, len) != (ssize_t)n ||
	    sendto(sesp, m, n, 0, (struct sockaddr *)&ss, len) != (ssize_t)n) {
		fail("%s over %s: send clear and ESP data -- %s", f->name, enc,
		     strerror(errno));
		goto out_tunnel;
	}
	for (i = 0; i < RECV_WAIT_MS / 10; i++) {
		if (session_stats(nl, family, tid, sid) == 0 &&
		    st_rx_packets >= 1)
			break;
		usleep(10000);
	}
	if (st_rx_packets == UINT64_MAX) {
		fail("%s over %s: read the session's counters", f->name, enc);
		goto out_tunnel;
	}
	if (st_rx_packets >= 1)
		pass("%s over %s: data through ESP reaches a session whose tunnel socket requires ESP",
		     f->name, enc);
	else
		fail("%s over %s: data through ESP reaches a session whose tunnel socket requires ESP -- rx_packets 0",
		     f->name, enc);
	if (intree && !udp)
		printf("SKIP %s over IP: data in clear is dropped when the tunnel socket requires ESP -- Linux's l2tp_ip checks no IPsec policy for data\n",
		       f->name);
	else if (st_rx_packets == 1)
		pass("%s over %s: data in clear is dropped when the tunnel socket requires ESP",
		     f->name, enc);
	else
		fail("%s over %s: data in clear is dropped when the tunnel socket requires ESP -- rx_packets %llu",
		     f->name, enc, (unsigned long long)st_rx_packets);
	if (!intree && !udp) {
		if (st_rx_errors == 1)
			pass("%s over IP: the dropped clear packet counts in the session's RX_ERRORS",
			     f->name);
		else
			fail("%s over IP: the dropped clear packet counts in the session's RX_ERRORS -- rx_errors %llu",
			     f->name, (unsigned long long)st_rx_errors);
	}
out_tunnel:
	tunnel_delete(nl, family, tid);
out:
	nl_socket_free(nl);
	close(st);
	close(sclear);
	close(sesp);
	return;

sock_fail:
	fail("%s over %s: sockets for the data test -- %s", f->name, enc,
	     strerror(errno));
	exit(1);
}

static void test_family(const struct fam *f)
{
	uint32_t ca = f->base + 1, cb = f->base + 2, cc = f->base + 3;
	uint32_t cd = f->base + 4;
	int sa, sb, sc, sd, tag, family, err;
	struct nl_sock *nl;
	union l2tp_addr u;
	uint8_t m[64];
	socklen_t len;
	size_t n;

	sb = l2tp_socket(f, nsfd_b, XFRM_POLICY_IN, f->b, cb, NULL, 0);
	sa = l2tp_socket(f, nsfd_a, XFRM_POLICY_OUT, f->a, ca, f->b, cb);
	sc = l2tp_socket(f, nsfd_a, -1, f->a, cc, NULL, 0);
	sd = l2tp_socket(f, nsfd_a, -1, f->a, cd, f->b, cd + 100);
	pass("%s: sockets with and without IPsec policies", f->name);

	/* In clear first (sc), then through ESP (sa): only ESP may arrive. */
	n = ctrl_msg(m, cb, 1);
	len = mkaddr(f, &u, f->b, 0);
	err = sendto(sc, m, n, 0, &u.sa, len) == (ssize_t)n ? 0 : errno;
	n = ctrl_msg(m, cb, 2);
	if (!err)
		err = send(sa, m, n, 0) == (ssize_t)n ? 0 : errno;
	if (err)
		fail("%s: send the clear and the ESP message -- %s", f->name,
		     strerror(err));
	tag = first_tag(sb);
	if (tag == 2)
		pass("%s: a socket whose policy requires ESP drops a clear control message and takes the ESP one",
		     f->name);
	else
		fail("%s: a socket whose policy requires ESP drops a clear control message and takes the ESP one -- first message: %s",
		     f->name, tag == 1 ? "the clear one" :
		     tag < 0 ? "none arrived" : "unexpected");

	nl = genl_open(nsfd_a, &family);
	check_tunnel(f, nl, family, ca, cb, sa, 1, "has a policy");
	check_tunnel(f, nl, family, cd, cd + 100, sd, 0, "has no policy");
	nl_socket_free(nl);
	close(sa);
	close(sb);
	close(sc);
	close(sd);
}

int main(int argc, char **argv)
{
	struct fam v4 = { AF_INET, "IPv4", NULL, NULL, 0x4000 };
	struct fam v6 = { AF_INET6, "IPv6", NULL, NULL, 0x6000 };

	if (argc != 7) {
		fprintf(stderr, "usage: %s NETNS_A NETNS_B A4 B4 A6 B6\n",
			argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	nsfd_self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	nsfd_a = open(argv[1], O_RDONLY | O_CLOEXEC);
	nsfd_b = open(argv[2], O_RDONLY | O_CLOEXEC);
	if (nsfd_self < 0 || nsfd_a < 0 || nsfd_b < 0) {
		perror("open netns");
		return 2;
	}
	v4.a = argv[3];
	v4.b = argv[4];
	v6.a = argv[5];
	v6.b = argv[6];
	test_family(&v4);
	test_family(&v6);
	check_data(&v4, false);
	check_data(&v6, false);
	check_data(&v4, true);
	check_data(&v6, true);
	return failures ? 1 : 0;
}
