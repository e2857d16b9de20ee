// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp-ip-socket: the L2TP/IP socket API, over IPv4 and IPv6, between two
 * network namespaces.  Run by l2tp-ip-socket.sh, which builds the topology:
 *
 *    netns a                               netns b
 *  +--------------------+   veth    +--------------------+
 *  | eth0 10.9.0.1/24   |-----------| eth0 10.9.0.2/24   |
 *  |      fd00:9::1/64  |           |      fd00:9::2/64  |
 *  |  L2TP/IP sockets   |           |  L2TP/IP sockets   |
 *  +--------------------+           +--------------------+
 *   routes to REFUSED and UNREACH     forwards; "prohibit" route to
 *   via b                             REFUSED, "unreachable" to UNREACH
 *
 * Usage: l2tp-ip-socket NETNS_A NETNS_B A4 B4 A6 B6 REFUSED4 UNREACH4
 *	REFUSED6 UNREACH6 A4_2 A6_2 (addresses behind b, which answers ICMP
 *	"admin prohibited" for REFUSED and "host unreachable"/"no route" for
 *	UNREACH; a second address of a's)
 *
 * Proves, for each family: socket(), bind() and its errors (bad length,
 * bad family, address not local, conn id already bound), connect() and its
 * precondition (bound first), getsockname()/getpeername(), a control
 * message each way through connected sockets and through sendto() with the
 * payload, source address and conn id as recvfrom() reports them, SIOCINQ,
 * MSG_TRUNC, and that the receive path drops what is not for a bound
 * socket: an unbound conn id, a message without the T bit, a header too
 * short to hold a conn id, runt packets (0 to 11 bytes, from a raw socket).
 * Drops are proven by order, not by time: the packet that must be dropped
 * is sent first, a good one after it on the same path, and the good one
 * must be the first to arrive.  Last, that a router's ICMP error reaches
 * the connected socket that sent the message, as for UDP (test_icmp()),
 * by the addresses the socket has when the error comes, after connect()
 * and disconnect() changed them (test_icmp_moved()).
 *
 * Prints one line per check: "PASS what", "FAIL what -- why" or "SKIP what
 * -- why"; the wrapper turns them into TAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
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

#include <linux/errqueue.h>
#include <linux/ol2tp.h>
#include <linux/sockios.h>

#define CONN_A		0x0a0a0001u
#define CONN_B		0x0b0b0002u
#define CONN_C		0x0c0c0003u
#define CONN_UNBOUND	0x0d0d0004u
#define CONN_PEER	0x0e0e0005u
#define CONN_PEER2	0x0e0e0006u
#define CONN_PEER3	0x0e0e0007u
#define CONN_PEER4	0x0e0e0008u
#define CONN_PEER5	0x0e0e0009u
#define CONN_PEER6	0x0e0e000au
#define CONN_PEER7	0x0e0e000bu
#define CONN_PEER8	0x0e0e000cu

/* Longest a message may take to cross the veth pair before we give up. */
#define RECV_WAIT_MS	5000

static int failures;
static bool intree;

static void pass(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("PASS ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("FAIL ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	failures++;
}

static void skip(const char *what, const char *why)
{
	printf("SKIP %s -- %s\n", what, why);
}

/* check(cond, what, why-format...): one PASS or FAIL line. */
#define check(cond, what, ...) do {					\
	if (cond)							\
		pass("%s", what);					\
	else {								\
		char __why[256];					\
		snprintf(__why, sizeof(__why), __VA_ARGS__);		\
		fail("%s -- %s", what, __why);				\
	}								\
} while (0)

/* An address of either family, as an L2TP/IP socket takes it. */
union l2tp_addr {
	struct sockaddr sa;
	struct ol2tp_sockaddr_ip v4;
	struct ol2tp_sockaddr_ip6 v6;
};

struct fam {
	int family;
	const char *name;
	const char *a;		/* host a's address */
	const char *a2;		/* a's second address (IP_RECVERR checks) */
	const char *b;		/* host b's address */
	socklen_t len;		/* sizeof the family's L2TP/IP address */
	const char *refused;	/* behind b, which refuses it (hard error) */
	const char *unreach;	/* behind b, unreachable (soft error) */
	int refused_errno;	/* what a connected socket reports for it */
	int unreach_errno;	/* what IP_RECVERR reports for UNREACH */
	int unreach_type, unreach_code;	/* the ICMP error b sends for it */
};

static int nsfd_a, nsfd_b, nsfd_self;

static int open_ns(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/var/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "open %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return fd;
}

/* A socket of @f's family, @type and protocol 115 in @nsfd; -1 and errno. */
static int socket_in(const struct fam *f, int nsfd, int type)
{
	int fd, err;

	if (setns(nsfd, CLONE_NEWNET)) {
		perror("setns");
		exit(2);
	}
	fd = socket(f->family, type | SOCK_CLOEXEC, OL2TP_IPPROTO_L2TP);
	err = errno;
	if (setns(nsfd_self, CLONE_NEWNET)) {
		perror("setns back");
		exit(2);
	}
	errno = err;
	return fd;
}

/* An L2TP/IP socket of @f in the namespace @nsfd, or -1 with errno. */
static int l2tp_socket(const struct fam *f, int nsfd)
{
	return socket_in(f, nsfd, SOCK_DGRAM);
}

/* A raw socket of protocol 115 in @nsfd: sends hand-made packets. */
static int raw_socket(const struct fam *f, int nsfd)
{
	return socket_in(f, nsfd, SOCK_RAW);
}

/* Send @len bytes as the payload of a protocol-115 packet to @ip. */
static int raw_send(const struct fam *f, int fd, const void *buf, size_t len,
		    const char *ip)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in s4 = { .sin_family = AF_INET };
	ssize_t n;

	if (f->family == AF_INET) {
		inet_pton(AF_INET, ip, &s4.sin_addr);
		n = sendto(fd, buf, len, 0, (struct sockaddr *)&s4,
			   sizeof(s4));
	} else {
		inet_pton(AF_INET6, ip, &s6.sin6_addr);
		n = sendto(fd, buf, len, 0, (struct sockaddr *)&s6,
			   sizeof(s6));
	}
	return n == (ssize_t)len ? 0 : -1;
}

static void mkaddr(const struct fam *f, union l2tp_addr *u, const char *ip,
		   uint32_t conn_id)
{
	memset(u, 0, sizeof(*u));
	if (f->family == AF_INET) {
		u->v4.l2tp_family = AF_INET;
		inet_pton(AF_INET, ip, &u->v4.l2tp_addr);
		u->v4.l2tp_conn_id = conn_id;
	} else {
		u->v6.l2tp_family = AF_INET6;
		inet_pton(AF_INET6, ip, &u->v6.l2tp_addr);
		u->v6.l2tp_conn_id = conn_id;
	}
}

static const char *addr_str(const struct fam *f, const union l2tp_addr *u)
{
	static char buf[INET6_ADDRSTRLEN];

	if (f->family == AF_INET)
		inet_ntop(AF_INET, &u->v4.l2tp_addr, buf, sizeof(buf));
	else
		inet_ntop(AF_INET6, &u->v6.l2tp_addr, buf, sizeof(buf));
	return buf;
}

static uint32_t addr_conn(const struct fam *f, const union l2tp_addr *u)
{
	return f->family == AF_INET ? u->v4.l2tp_conn_id : u->v6.l2tp_conn_id;
}

static int addr_family(const union l2tp_addr *u)
{
	return u->sa.sa_family;
}

static int do_bind(const struct fam *f, int fd, const char *ip, uint32_t conn)
{
	union l2tp_addr u;

	mkaddr(f, &u, ip, conn);
	return bind(fd, &u.sa, f->len);
}

static int do_connect(const struct fam *f, int fd, const char *ip,
		      uint32_t conn)
{
	union l2tp_addr u;

	mkaddr(f, &u, ip, conn);
	return connect(fd, &u.sa, f->len);
}

/*
 * An L2TPv3 control message as the socket user writes it (without the
 * session id): T, L, version 3, length, the receiver's conn id, Ns, Nr,
 * then @tag so that messages can be told apart.
 */
static size_t ctrl_msg(uint8_t *buf, uint32_t conn_id, uint16_t tag)
{
	uint16_t flags = htons(0xc003);
	uint16_t len = htons(14);
	uint32_t id = htonl(conn_id);
	uint16_t ns = htons(0), nr = htons(0), t = htons(tag);

	memcpy(buf, &flags, 2);
	memcpy(buf + 2, &len, 2);
	memcpy(buf + 4, &id, 4);
	memcpy(buf + 8, &ns, 2);
	memcpy(buf + 10, &nr, 2);
	memcpy(buf + 12, &t, 2);
	return 14;
}

/* Wait for a message on @fd; 0 when one is there. */
static int wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, RECV_WAIT_MS);

	return n == 1 ? 0 : -1;
}

/* Receive one message: its length (or -1), payload and source. */
static ssize_t recv_one(int fd, uint8_t *buf, size_t size,
			union l2tp_addr *from, socklen_t *fromlen, int flags)
{
	if (wait_readable(fd)) {
		errno = ETIMEDOUT;
		return -1;
	}
	memset(from, 0xaa, sizeof(*from));
	*fromlen = sizeof(*from);
	return recvfrom(fd, buf, size, flags | MSG_DONTWAIT, &from->sa,
			fromlen);
}

static uint16_t msg_tag(const uint8_t *buf)
{
	uint16_t t;

	memcpy(&t, buf + 12, 2);
	return ntohs(t);
}

/* Send a control message for @conn tagged @tag on connected @fd. */
static int send_ctrl(int fd, uint32_t conn, uint16_t tag)
{
	uint8_t m[64];
	size_t n = ctrl_msg(m, conn, tag);

	return send(fd, m, n, 0) == (ssize_t)n ? 0 : -1;
}

/* The first message on @fd must carry @tag. */
static void expect_first(int fd, uint16_t tag, const char *what)
{
	union l2tp_addr from;
	socklen_t fromlen;
	uint8_t buf[256];
	ssize_t n;

	n = recv_one(fd, buf, sizeof(buf), &from, &fromlen, 0);
	if (n < 14) {
		fail("%s -- no message arrived (%s)", what,
		     n < 0 ? strerror(errno) : "short");
		return;
	}
	check(msg_tag(buf) == tag, what,
	      "first message has tag %u, expected %u (the earlier one was not dropped)",
	      msg_tag(buf), tag);
}

static void test_family(const struct fam *f)
{
	int a, b, c, x, err, inq;
	union l2tp_addr u, from;
	socklen_t len, fromlen;
	uint8_t m[64], buf[256], buf2[4096];
	char what[160];
	size_t mlen;
	ssize_t n;

#define W(...) (snprintf(what, sizeof(what), __VA_ARGS__), what)

	a = l2tp_socket(f, nsfd_a);
	b = l2tp_socket(f, nsfd_b);
	if (a < 0 || b < 0) {
		fail("%s: socket(%s, SOCK_DGRAM, 115) -- %s", f->name, f->name,
		     strerror(errno));
		return;
	}
	pass("%s: socket(SOCK_DGRAM, IPPROTO_L2TP) in both namespaces",
	     f->name);

	/* Errors of bind() on a fresh socket. */
	x = l2tp_socket(f, nsfd_a);
	mkaddr(f, &u, f->a, CONN_A);
	err = bind(x, &u.sa, f->len - 1) ? errno : 0;
	check(err == EINVAL, W("%s: bind with a short address is EINVAL", f->name),
	      "got %s", strerror(err));
	mkaddr(f, &u, f->a, CONN_A);
	u.sa.sa_family = f->family == AF_INET ? AF_INET6 : AF_INET;
	err = bind(x, &u.sa, f->len) ? errno : 0;
	check(err == EINVAL,
	      W("%s: bind with the other family is EINVAL", f->name),
	      "got %s", strerror(err));
	err = do_bind(f, x, f->b, CONN_A) ? errno : 0;
	check(err == EADDRNOTAVAIL,
	      W("%s: bind to an address not local is EADDRNOTAVAIL", f->name),
	      "got %s", strerror(err));
	err = do_connect(f, x, f->b, CONN_B) ? errno : 0;
	check(err == EINVAL, W("%s: connect before bind is EINVAL", f->name),
	      "got %s", strerror(err));
	len = sizeof(u);
	err = getpeername(x, &u.sa, &len) ? errno : 0;
	check(err == ENOTCONN,
	      W("%s: getpeername of an unconnected socket is ENOTCONN", f->name),
	      "got %s", strerror(err));

	/* Bind and connect a and b to each other. */
	check(!do_bind(f, a, f->a, CONN_A), W("%s: bind a (conn id 0x%x)",
	      f->name, CONN_A), "%s", strerror(errno));
	check(!do_bind(f, b, f->b, CONN_B), W("%s: bind b (conn id 0x%x)",
	      f->name, CONN_B), "%s", strerror(errno));

	err = do_bind(f, x, f->a, CONN_A) ? errno : 0;
	check(err == EADDRINUSE,
	      W("%s: a second bind to the same address and conn id is EADDRINUSE",
		f->name), "got %s", strerror(err));
	close(x);
	x = l2tp_socket(f, nsfd_a);
	err = do_bind(f, x, f->family == AF_INET ? "0.0.0.0" : "::", CONN_A) ?
	      errno : 0;
	check(err == EADDRINUSE,
	      W("%s: a wildcard bind to a bound conn id is EADDRINUSE", f->name),
	      "got %s", strerror(err));
	close(x);

	err = do_bind(f, a, f->a, CONN_C) ? errno : 0;
	check(err == EINVAL, W("%s: binding a bound socket again is EINVAL",
	      f->name), "got %s", strerror(err));

	/* Linux's errnos, which differ between the families. */
	mkaddr(f, &u, f->b, CONN_B);
	u.sa.sa_family = f->family == AF_INET ? AF_INET6 : AF_INET;
	err = connect(a, &u.sa, f->len) ? errno : 0;
	check(err == (f->family == AF_INET ? EAFNOSUPPORT : EINVAL),
	      W("%s: connect with the other family is %s", f->name,
		f->family == AF_INET ? "EAFNOSUPPORT" : "EINVAL"),
	      "got %s", strerror(err));
	mkaddr(f, &u, f->b, CONN_B);
	err = connect(a, &u.sa, f->len - 1) ? errno : 0;
	check(err == EINVAL, W("%s: connect with a short address is EINVAL",
	      f->name), "got %s", strerror(err));
	check(!do_connect(f, a, f->b, CONN_B), W("%s: connect a to b", f->name),
	      "%s", strerror(errno));
	check(!do_connect(f, b, f->a, CONN_A), W("%s: connect b to a", f->name),
	      "%s", strerror(errno));

	len = sizeof(u);
	memset(&u, 0xaa, sizeof(u));
	if (getsockname(a, &u.sa, &len)) {
		fail("%s: getsockname -- %s", f->name, strerror(errno));
	} else {
		check(len == f->len && addr_family(&u) == f->family &&
		      !strcmp(addr_str(f, &u), f->a) &&
		      addr_conn(f, &u) == CONN_A,
		      W("%s: getsockname is a's address and conn id", f->name),
		      "len %u family %d addr %s conn 0x%x", len,
		      addr_family(&u), addr_str(f, &u), addr_conn(f, &u));
	}
	len = sizeof(u);
	memset(&u, 0xaa, sizeof(u));
	if (intree && f->family == AF_INET) {
		skip(W("%s: getpeername is b's address and conn id", f->name),
		     "Linux's l2tp_ip says ENOTCONN to a connected socket");
	} else if (getpeername(a, &u.sa, &len)) {
		fail("%s: getpeername -- %s", f->name, strerror(errno));
	} else {
		check(len == f->len && addr_family(&u) == f->family &&
		      !strcmp(addr_str(f, &u), f->b) &&
		      addr_conn(f, &u) == CONN_B,
		      W("%s: getpeername is b's address and conn id", f->name),
		      "len %u family %d addr %s conn 0x%x", len,
		      addr_family(&u), addr_str(f, &u), addr_conn(f, &u));
	}

	/* a -> b */
	mlen = ctrl_msg(m, CONN_B, 1);
	n = send(a, m, mlen, 0);
	check(n == (ssize_t)mlen, W("%s: send a control message a -> b",
	      f->name), "send returned %zd: %s", n, strerror(errno));
	if (wait_readable(b) == 0) {
		inq = -1;
		err = ioctl(b, SIOCINQ, &inq) ? errno : 0;
		check(!err && inq == (int)mlen,
		      W("%s: SIOCINQ is the queued message's length", f->name),
		      "ioctl: %s, value %d, expected %zu", strerror(err), inq,
		      mlen);
	}
	n = recv_one(b, buf, sizeof(buf), &from, &fromlen, 0);
	check(n == (ssize_t)mlen && !memcmp(buf, m, mlen),
	      W("%s: b receives the message without its session id", f->name),
	      "recv returned %zd (%s), expected %zu bytes", n,
	      n < 0 ? strerror(errno) : "data differs", mlen);
	check(fromlen == f->len && addr_family(&from) == f->family &&
	      !strcmp(addr_str(f, &from), f->a),
	      W("%s: recvfrom reports a's address", f->name),
	      "len %u family %d addr %s", fromlen, addr_family(&from),
	      addr_str(f, &from));
	if (intree)
		skip(W("%s: recvfrom reports the message's conn id", f->name),
		     "Linux's l2tp_ip reports no conn id");
	else
		check(addr_conn(f, &from) == CONN_B,
		      W("%s: recvfrom reports the message's conn id", f->name),
		      "conn 0x%x", addr_conn(f, &from));

	/* b -> a */
	mlen = ctrl_msg(m, CONN_A, 2);
	n = send(b, m, mlen, 0);
	check(n == (ssize_t)mlen, W("%s: send a control message b -> a",
	      f->name), "send returned %zd: %s", n, strerror(errno));
	n = recv_one(a, buf, sizeof(buf), &from, &fromlen, 0);
	check(n == (ssize_t)mlen && !memcmp(buf, m, mlen) &&
	      !strcmp(addr_str(f, &from), f->b),
	      W("%s: a receives b's message from b's address", f->name),
	      "recv returned %zd (%s), from %s", n,
	      n < 0 ? strerror(errno) : "", addr_str(f, &from));

	/* Bigger than the path MTU: IP fragments it, it arrives whole. */
	if (intree && f->family == AF_INET) {
		skip(W("%s: a message bigger than the MTU arrives whole", f->name),
		     "Linux's l2tp_ip refuses it with EMSGSIZE");
	} else {
		uint8_t big[3000];
		int i;

		mlen = ctrl_msg(big, CONN_B, 4);
		for (i = mlen; i < (int)sizeof(big); i++)
			big[i] = i * 7;
		n = send(a, big, sizeof(big), 0);
		check(n == (ssize_t)sizeof(big),
		      W("%s: send a message bigger than the MTU", f->name),
		      "send returned %zd: %s", n, strerror(errno));
		n = recv_one(b, buf2, sizeof(buf2), &from, &fromlen, 0);
		check(n == (ssize_t)sizeof(big) && !memcmp(buf2, big, n),
		      W("%s: it arrives whole (IP fragmented it)", f->name),
		      "recv returned %zd (%s)", n, n < 0 ? strerror(errno) : "");
	}

	/* IP_PKTINFO / IPV6_RECVPKTINFO: where the message came in. */
	{
		int on = 1, lvl = f->family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
		int opt = f->family == AF_INET ? IP_PKTINFO : IPV6_RECVPKTINFO;
		char cbuf[256];
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = cbuf,
				     .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *cm;
		char dst[INET6_ADDRSTRLEN] = "";
		int ifindex = 0;

		setsockopt(b, lvl, opt, &on, sizeof(on));
		send_ctrl(a, CONN_B, 5);
		n = wait_readable(b) ? -1 : recvmsg(b, &mh, MSG_DONTWAIT);
		for (cm = n < 0 ? NULL : CMSG_FIRSTHDR(&mh); cm;
		     cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_level == IPPROTO_IP &&
			    cm->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo pi;

				memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
				ifindex = pi.ipi_ifindex;
				inet_ntop(AF_INET, &pi.ipi_addr, dst,
					  sizeof(dst));
			} else if (cm->cmsg_level == IPPROTO_IPV6 &&
				   cm->cmsg_type == IPV6_PKTINFO) {
				struct in6_pktinfo pi;

				memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
				ifindex = pi.ipi6_ifindex;
				inet_ntop(AF_INET6, &pi.ipi6_addr, dst,
					  sizeof(dst));
			}
		}
		check(n == 14 && ifindex > 0 && !strcmp(dst, f->b),
		      W("%s: packet info names the interface and b's address",
			f->name), "recvmsg %zd, ifindex %d, address '%s'", n,
		      ifindex, dst);
		on = 0;
		setsockopt(b, lvl, opt, &on, sizeof(on));
	}

	/* MSG_TRUNC: a short buffer gets the start, the flag, the length. */
	send_ctrl(a, CONN_B, 3);
	if (wait_readable(b) == 0) {
		struct iovec iov = { .iov_base = buf, .iov_len = 6 };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

		n = recvmsg(b, &mh, MSG_DONTWAIT);
		check(n == 6 && (mh.msg_flags & MSG_TRUNC),
		      W("%s: a short read is truncated with MSG_TRUNC", f->name),
		      "recvmsg returned %zd, flags 0x%x", n, mh.msg_flags);
	} else {
		fail("%s: a short read is truncated with MSG_TRUNC -- nothing arrived",
		     f->name);
	}

	/* The receive path drops what is not for a bound socket. */
	send_ctrl(a, CONN_UNBOUND, 10);
	send_ctrl(a, CONN_B, 11);
	expect_first(b, 11, W("%s: a message for an unbound conn id is dropped",
			      f->name));

	mlen = ctrl_msg(m, CONN_B, 12);
	m[0] &= 0x7f;	/* no T bit: not a control message */
	send(a, m, mlen, 0);
	send_ctrl(a, CONN_B, 13);
	expect_first(b, 13, W("%s: a session-0 message without the T bit is dropped",
			      f->name));

	mlen = ctrl_msg(m, CONN_B, 14);
	send(a, m, 6, 0);	/* too short to hold the conn id */
	send_ctrl(a, CONN_B, 15);
	expect_first(b, 15, W("%s: a control header too short for a conn id is dropped",
			      f->name));

	/*
	 * Raw protocol-115 packets from a, shorter than a session id, or
	 * a session id 0 and a truncated header: all dropped at b.
	 */
	x = raw_socket(f, nsfd_a);
	if (x < 0) {
		fail("%s: raw socket for malformed packets -- %s", f->name,
		     strerror(errno));
	} else {
		static const uint8_t junk[12] = { 0, 0, 0, 0, 0xc0, 0x03 };
		size_t lens[] = { 0, 1, 2, 3, 4, 5, 8, 11 };
		unsigned int i, sent = 0;

		for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
			sent += raw_send(f, x, junk, lens[i], f->b) == 0;
		close(x);
		check(sent == sizeof(lens) / sizeof(lens[0]),
		      W("%s: send runt packets from a raw socket", f->name),
		      "%u of %zu sent: %s", sent,
		      sizeof(lens) / sizeof(lens[0]), strerror(errno));
		send_ctrl(a, CONN_B, 16);
		expect_first(b, 16, W("%s: runt packets (0-11 bytes) are dropped",
				      f->name));
	}

	/* sendto() from an unconnected socket; recvfrom names its address. */
	c = l2tp_socket(f, nsfd_a);
	check(!do_bind(f, c, f->family == AF_INET ? "0.0.0.0" : "::", CONN_C),
	      W("%s: bind c to the wildcard address", f->name), "%s",
	      strerror(errno));
	mlen = ctrl_msg(m, CONN_B, 20);
	mkaddr(f, &u, f->b, 0);
	n = sendto(c, m, mlen, 0, &u.sa, f->len);
	check(n == (ssize_t)mlen, W("%s: sendto from an unconnected socket",
	      f->name), "sendto returned %zd: %s", n, strerror(errno));
	/* b is connected to a's address, which c sends from too. */
	n = recv_one(b, buf, sizeof(buf), &from, &fromlen, 0);
	check(n == (ssize_t)mlen && msg_tag(buf) == 20 &&
	      !strcmp(addr_str(f, &from), f->a),
	      W("%s: b receives the sendto message from a's address", f->name),
	      "recv returned %zd (%s), tag %u, from %s", n,
	      n < 0 ? strerror(errno) : "", n >= 14 ? msg_tag(buf) : 0,
	      addr_str(f, &from));
	mlen = ctrl_msg(m, CONN_C, 21);
	send(b, m, mlen, 0);	/* b is connected to a: same host as c */
	n = recv_one(c, buf, sizeof(buf), &from, &fromlen, 0);
	check(n == (ssize_t)mlen && msg_tag(buf) == 21,
	      W("%s: a wildcard-bound socket receives its conn id's messages",
		f->name), "recv returned %zd (%s)", n,
	      n < 0 ? strerror(errno) : "");

	err = sendto(c, m, mlen, 0, NULL, 0) < 0 ? errno : 0;
	check(err == EDESTADDRREQ,
	      W("%s: send without an address on an unconnected socket is EDESTADDRREQ",
		f->name), "got %s", strerror(err));
	/* IPv6: an RFC 2133 sockaddr_in6 (24 bytes, no scope id) will do. */
	mkaddr(f, &u, f->b, 0);
	err = sendto(c, m, mlen, 0, &u.sa,
		     f->family == AF_INET ? f->len - 1 : 23) < 0 ? errno : 0;
	check(err == EINVAL,
	      W("%s: sendto with a short address is EINVAL", f->name),
	      "got %s", strerror(err));
	u.sa.sa_family = f->family == AF_INET ? AF_INET6 : AF_INET;
	err = sendto(c, m, mlen, 0, &u.sa, f->len) < 0 ? errno : 0;
	check(err == EAFNOSUPPORT,
	      W("%s: sendto with the other family is EAFNOSUPPORT", f->name),
	      "got %s", strerror(err));

	/* Once a closes, its conn id can be bound again. */
	close(a);
	a = l2tp_socket(f, nsfd_a);
	check(!do_bind(f, a, f->a, CONN_A),
	      W("%s: a closed socket's conn id can be bound again", f->name),
	      "%s", strerror(errno));

	close(a);
	close(b);
	close(c);
#undef W
}

/* The error a recv() on @fd reports now: 0 for none (EAGAIN), else errno. */
static int pending_error(int fd)
{
	uint8_t buf[64];

	if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		return -1;	/* a message: not what any caller expects */
	return errno == EAGAIN ? 0 : errno;
}

/* Wait until poll() reports POLLERR on @fd; 0 when it did. */
static int wait_pollerr(int fd)
{
	struct pollfd p = { .fd = fd, .events = 0 };
	int n = poll(&p, 1, RECV_WAIT_MS);

	return n == 1 && (p.revents & POLLERR) ? 0 : -1;
}

/* A socket of @f in a, bound to @local and @conn, maybe connected. */
static int bound_socket(const struct fam *f, const char *local, uint32_t conn,
			const char *peer, uint32_t peer_conn)
{
	int fd = l2tp_socket(f, nsfd_a);

	if (fd < 0 || do_bind(f, fd, local, conn) ||
	    (peer && do_connect(f, fd, peer, peer_conn))) {
		fprintf(stderr, "%s: socket %#x to %s: %s\n", f->name, conn,
			peer ? peer : "-", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Ask for the error queue (IP_RECVERR, IPV6_RECVERR) on @fd. */
static int set_recverr(const struct fam *f, int fd)
{
	int one = 1;

	return f->family == AF_INET ?
	       setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one)) :
	       setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof(one));
}

/* What recvmsg(MSG_ERRQUEUE) gave: the entry, its data and msg_name. */
struct qerr {
	struct sock_extended_err ee;
	union {
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} offender;
	uint8_t data[64];
	ssize_t len;
	union l2tp_addr name;
};

/* Read the oldest error queue entry of @fd; 0, or -1 with errno. */
static int read_errqueue(const struct fam *f, int fd, struct qerr *q)
{
	union {
		struct cmsghdr h;
		uint8_t b[256];
	} cbuf;
	struct iovec iov = { .iov_base = q->data, .iov_len = sizeof(q->data) };
	struct msghdr mh = {
		.msg_name = &q->name, .msg_namelen = sizeof(q->name),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = &cbuf, .msg_controllen = sizeof(cbuf),
	};
	int level = f->family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	int type = f->family == AF_INET ? IP_RECVERR : IPV6_RECVERR;

	memset(q, 0, sizeof(*q));
	q->len = recvmsg(fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT);
	if (q->len < 0)
		return -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		size_t n = c->cmsg_len - CMSG_LEN(0);

		if (c->cmsg_level != level || c->cmsg_type != type)
			continue;
		memcpy(&q->ee, CMSG_DATA(c),
		       n < sizeof(q->ee) ? n : sizeof(q->ee));
		if (n > sizeof(q->ee))
			memcpy(&q->offender, CMSG_DATA(c) + sizeof(q->ee),
			       n - sizeof(q->ee) < sizeof(q->offender) ?
			       n - sizeof(q->ee) : sizeof(q->offender));
		return 0;
	}
	errno = ENOMSG;
	return -1;
}

/* The offender of @q as text. */
static const char *offender_str(const struct fam *f, const struct qerr *q)
{
	static char buf[INET6_ADDRSTRLEN];

	if (f->family == AF_INET)
		inet_ntop(AF_INET, &q->offender.v4.sin_addr, buf, sizeof(buf));
	else
		inet_ntop(AF_INET6, &q->offender.v6.sin6_addr, buf, sizeof(buf));
	return buf;
}

/* Whether @q is b's ICMP error about f->unreach, for message @tag. */
static void check_queued(const struct fam *f, int fd, uint16_t tag,
			 const char *who)
{
	uint8_t origin = f->family == AF_INET ? SO_EE_ORIGIN_ICMP :
						SO_EE_ORIGIN_ICMP6;
	char what[200];
	struct qerr q;

#define W(...) (snprintf(what, sizeof(what), __VA_ARGS__), what)
	if (read_errqueue(f, fd, &q)) {
		fail("%s: %s: the ICMP error is in the error queue -- %s",
		     f->name, who, strerror(errno));
		return;
	}
	check(q.ee.ee_origin == origin && q.ee.ee_type == f->unreach_type &&
	      q.ee.ee_code == f->unreach_code &&
	      (int)q.ee.ee_errno == f->unreach_errno,
	      W("%s: %s: the error queue has the ICMP error (type %d code %d, %s)",
		f->name, who, f->unreach_type, f->unreach_code,
		strerror(f->unreach_errno)),
	      "origin %u type %u code %u errno %u", q.ee.ee_origin,
	      q.ee.ee_type, q.ee.ee_code, q.ee.ee_errno);
	check(!strcmp(offender_str(f, &q), f->b),
	      W("%s: %s: its offender is the router", f->name, who),
	      "offender %s", offender_str(f, &q));
	check(q.len == 14 && msg_tag(q.data) == tag,
	      W("%s: %s: its data is the message as sent", f->name, who),
	      "%zd bytes, tag %u", q.len, q.len >= 14 ? msg_tag(q.data) : 0);
	check(addr_family(&q.name) == f->family &&
	      !strcmp(addr_str(f, &q.name), f->unreach),
	      W("%s: %s: msg_name is the address it was sent to", f->name, who),
	      "family %d address %s", addr_family(&q.name),
	      addr_str(f, &q.name));
#undef W
}

/*
 * ICMP errors about control messages a sent, from b, which answers
 * "administratively prohibited" for f->refused (a hard error: EHOSTUNREACH
 * over IPv4, EACCES over IPv6) and "host unreachable" (IPv6: "no route")
 * for f->unreach (a soft one).  The sockets send in this order: u
 * (unconnected, sendto f->refused for CONN_PEER3, which no connected
 * socket names), s (connected to f->unreach), h (connected to f->refused,
 * conn CONN_PEER); o is connected to f->refused for conn CONN_PEER2 and
 * sends nothing.  Between s and h, two sockets with IP_RECVERR send to
 * f->unreach: e connected (CONN_PEER4), w unconnected (CONN_PEER5, from
 * a's second address); each finds its soft error in its error queue.
 * b's errors come back in that order, so once h's has arrived the others
 * would have too: of the sockets without IP_RECVERR, only h is told, once.
 */
static void test_icmp(const struct fam *f)
{
	int u, s, h, o, e, w, err;
	union l2tp_addr to;
	char what[160];
	uint8_t m[64];
	size_t mlen;

#define W(...) (snprintf(what, sizeof(what), __VA_ARGS__), what)

	if (intree) {
		skip(W("%s: a router's ICMP error reaches the connected socket that sent",
		       f->name), "Linux's l2tp_ip has no ICMP error handler");
		return;
	}
	u = bound_socket(f, f->a, CONN_A + 0x10, NULL, 0);
	s = bound_socket(f, f->a, CONN_A + 0x11, f->unreach, CONN_PEER);
	h = bound_socket(f, f->a, CONN_A + 0x12, f->refused, CONN_PEER);
	o = bound_socket(f, f->a, CONN_A + 0x13, f->refused, CONN_PEER2);
	e = bound_socket(f, f->a, CONN_A + 0x14, f->unreach, CONN_PEER4);
	/* Not on u's address: the quoted packets would not tell them apart. */
	w = bound_socket(f, f->a2, CONN_A + 0x15, NULL, 0);
	if (u < 0 || s < 0 || h < 0 || o < 0 || e < 0 || w < 0 ||
	    set_recverr(f, e) || set_recverr(f, w)) {
		fail("%s: sockets for the ICMP error checks -- see stderr",
		     f->name);
		goto out;
	}

	mlen = ctrl_msg(m, CONN_PEER3, 30);
	mkaddr(f, &to, f->refused, CONN_PEER3);
	if (sendto(u, m, mlen, 0, &to.sa, f->len) != (ssize_t)mlen ||
	    send_ctrl(s, CONN_PEER, 31) || send_ctrl(e, CONN_PEER4, 33)) {
		fail("%s: send towards the refused and unreachable addresses -- %s",
		     f->name, strerror(errno));
		goto out;
	}
	mlen = ctrl_msg(m, CONN_PEER5, 34);
	mkaddr(f, &to, f->unreach, CONN_PEER5);
	if (sendto(w, m, mlen, 0, &to.sa, f->len) != (ssize_t)mlen ||
	    send_ctrl(h, CONN_PEER, 32)) {
		fail("%s: send towards the refused and unreachable addresses -- %s",
		     f->name, strerror(errno));
		goto out;
	}
	check(!wait_pollerr(h),
	      W("%s: a refused control message makes poll() say POLLERR",
		f->name), "no POLLERR within %d ms", RECV_WAIT_MS);
	err = pending_error(h);
	check(err == f->refused_errno,
	      W("%s: recv() on the connected sender returns %s", f->name,
		strerror(f->refused_errno)), "got %s",
	      err < 0 ? "a message" : err ? strerror(err) : "no error");
	err = pending_error(h);
	check(!err, W("%s: the error is reported once", f->name),
	      "a second recv() returned %s",
	      err < 0 ? "a message" : strerror(err));
	err = pending_error(o);
	check(!err,
	      W("%s: a socket connected to another conn id of the same peer is not told",
		f->name), "recv() returned %s",
	      err < 0 ? "a message" : strerror(err));
	err = pending_error(s);
	check(!err,
	      W("%s: a soft error (host unreachable) is not reported",
		f->name), "recv() returned %s",
	      err < 0 ? "a message" : strerror(err));
	err = pending_error(u);
	check(!err,
	      W("%s: an unconnected sender is not told", f->name),
	      "recv() returned %s", err < 0 ? "a message" : strerror(err));

	/* With IP_RECVERR: soft errors too, queued, unconnected or not. */
	/* Pending as well (read first: emptying the queue clears it). */
	err = pending_error(e);
	check(err == f->unreach_errno,
	      W("%s: IP_RECVERR, connected: recv() returns the soft error",
		f->name), "got %s",
	      err < 0 ? "a message" : err ? strerror(err) : "no error");
	check_queued(f, e, 33, "IP_RECVERR, connected, soft error");
	check_queued(f, w, 34, "IP_RECVERR, unconnected");
	check(read_errqueue(f, w, &(struct qerr){ 0 }) && errno == EAGAIN,
	      W("%s: IP_RECVERR: one entry per error", f->name),
	      "a second entry, or %s", strerror(errno));
out:
	for (size_t i = 0; i < 6; i++) {
		int fd = (int[]){ u, s, h, o, e, w }[i];

		if (fd >= 0)
			close(fd);
	}
#undef W
}

/* connect() with AF_UNSPEC: @fd forgets its peer. */
static int do_disconnect(int fd)
{
	struct sockaddr sa = { .sa_family = AF_UNSPEC };

	return connect(fd, &sa, sizeof(sa));
}

/*
 * A socket is told of an ICMP error by the addresses it has when the error
 * comes, whatever it had before: r, bound to the wildcard address, then
 * connected to f->refused (connect() gives it a local address); c,
 * connected to f->unreach, disconnected, then connected to f->refused; d,
 * connected to f->unreach, disconnected, with IP_RECVERR, sending to
 * f->refused unconnected.  Each sends one control message, to a conn id
 * no other socket names, and must be told of its own error.
 */
static void test_icmp_moved(const struct fam *f)
{
	const char *any = f->family == AF_INET ? "0.0.0.0" : "::";
	int r = -1, c = -1, d = -1, err;
	union l2tp_addr to;
	char what[160];
	struct qerr q;
	uint8_t m[64];
	size_t mlen;

#define W(...) (snprintf(what, sizeof(what), __VA_ARGS__), what)

	if (intree) {
		skip(W("%s: a socket whose addresses changed is told of its ICMP errors",
		       f->name), "Linux's l2tp_ip has no ICMP error handler");
		return;
	}
	r = bound_socket(f, any, CONN_A + 0x16, f->refused, CONN_PEER6);
	c = bound_socket(f, f->a, CONN_A + 0x17, f->unreach, CONN_PEER7);
	d = bound_socket(f, f->a, CONN_A + 0x18, f->unreach, CONN_PEER8);
	if (r < 0 || c < 0 || d < 0 || do_disconnect(c) || do_disconnect(d) ||
	    do_connect(f, c, f->refused, CONN_PEER7) || set_recverr(f, d)) {
		fail("%s: sockets for the moved-socket ICMP checks -- %s",
		     f->name, strerror(errno));
		goto out;
	}
	mlen = ctrl_msg(m, CONN_PEER8, 42);
	mkaddr(f, &to, f->refused, CONN_PEER8);
	if (send_ctrl(r, CONN_PEER6, 40) || send_ctrl(c, CONN_PEER7, 41) ||
	    sendto(d, m, mlen, 0, &to.sa, f->len) != (ssize_t)mlen) {
		fail("%s: send towards the refused address -- %s", f->name,
		     strerror(errno));
		goto out;
	}

	err = wait_pollerr(r) ? 0 : pending_error(r);
	check(err == f->refused_errno,
	      W("%s: a wildcard-bound socket is told once connect() gave it an address",
		f->name), "got %s",
	      err < 0 ? "a message" : err ? strerror(err) : "no error");
	err = wait_pollerr(c) ? 0 : pending_error(c);
	check(err == f->refused_errno,
	      W("%s: a socket connected to a new peer is told about that peer",
		f->name), "got %s",
	      err < 0 ? "a message" : err ? strerror(err) : "no error");
	memset(&q, 0, sizeof(q));
	if (!wait_pollerr(d))
		read_errqueue(f, d, &q);
	check((int)q.ee.ee_errno == f->refused_errno && q.len == 14 &&
	      msg_tag(q.data) == 42,
	      W("%s: a disconnected socket with IP_RECVERR is told", f->name),
	      "errno %u, %zd bytes, tag %u", q.ee.ee_errno, q.len,
	      q.len >= 14 ? msg_tag(q.data) : 0);
out:
	for (size_t i = 0; i < 3; i++) {
		int fd = (int[]){ r, c, d }[i];

		if (fd >= 0)
			close(fd);
	}
#undef W
}

int main(int argc, char **argv)
{
	struct fam v4 = { AF_INET, "IPv4", NULL, NULL, NULL,
			  sizeof(struct ol2tp_sockaddr_ip), NULL, NULL,
			  EHOSTUNREACH, EHOSTUNREACH, 3, 1 };
	struct fam v6 = { AF_INET6, "IPv6", NULL, NULL, NULL,
			  sizeof(struct ol2tp_sockaddr_ip6), NULL, NULL,
			  EACCES, ENETUNREACH, 1, 0 };
	const char *impl = getenv("OL2TP_IMPL");

	if (argc != 13) {
		fprintf(stderr,
			"usage: %s NETNS_A NETNS_B A4 B4 A6 B6 REFUSED4 UNREACH4 REFUSED6 UNREACH6 A4_2 A6_2\n",
			argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	intree = impl && !strcmp(impl, "intree");
	nsfd_self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	nsfd_a = open_ns(argv[1]);
	nsfd_b = open_ns(argv[2]);
	v4.a = argv[3];
	v4.b = argv[4];
	v6.a = argv[5];
	v6.b = argv[6];
	v4.refused = argv[7];
	v4.unreach = argv[8];
	v6.refused = argv[9];
	v6.unreach = argv[10];
	v4.a2 = argv[11];
	v6.a2 = argv[12];

	test_family(&v4);
	test_family(&v6);
	test_icmp(&v4);
	test_icmp(&v6);
	test_icmp_moved(&v4);
	test_icmp_moved(&v6);
	return failures ? 1 : 0;
}
