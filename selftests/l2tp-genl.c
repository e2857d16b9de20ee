// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp-genl: a small client of the "l2tp" generic netlink family for the
 * selftests, for what iproute2 6.1's "ip l2tp" cannot do: read the STATS
 * nest, send hand-made (also malformed) requests, listen to the multicast
 * group, and run a managed tunnel whose socket userspace keeps.
 *
 *   l2tp-genl stats tunnel TID            counters, one "name value" a line
 *   l2tp-genl stats session TID SID
 *   l2tp-genl get tunnel TID              every attribute, "NAME value"
 *   l2tp-genl get session TID SID
 *   l2tp-genl count tunnels|sessions      number of objects a dump returns
 *   l2tp-genl raw [--dump] CMD [ATTR...]  send one request; print "ok" or
 *                                         "error ERRNO: extack message";
 *                                         exit 0 if the kernel accepted it,
 *                                         3 if it refused it
 *       ATTR is TYPE:NUM=VALUE with TYPE one of u8 u16 u32 u64 str bin (hex)
 *       flag (no =VALUE) nest (a nest holding a u64 of type 1); e.g.
 *       u32:9=1 bin:15=0102030405
 *   l2tp-genl listen N [SECS]             print the first N multicast events
 *                                         ("CMD conn_id=T session_id=S"),
 *                                         give up after SECS (default 30)
 *   l2tp-genl managed udp|ip[-unconnected] LOCAL LPORT REMOTE RPORT TID PTID
 *                     SID PSID IFNAME
 *       open a socket (UDP, or L2TP/IP with LPORT/RPORT as conn ids), bind,
 *       connect (not with -unconnected), create a tunnel on it (FD) and an
 *       Ethernet session, print "ready", then obey stdin lines: "connect
 *       [ADDR]" (connect the socket to REMOTE, or to ADDR with the same
 *       port, now; prints "connected"), "send" (a
 *       control message, T bit set, through the socket), "recv" (wait for
 *       one, print "got LEN"), "df" (IP_MTU_DISCOVER "do": packets keep
 *       DF; prints "df"), "busy"
 *       (a child process keeps the socket locked: it attaches a socket
 *       filter of up to 4096 instructions over and over, and setsockopt
 *       holds lock_sock while it checks and converts it; prints "busy"),
 *       "idle" (stop that child; prints "idle"), "close" (close the
 *       socket), "quit".
 *
 * Exit status: 0 success, 1 usage or local failure, 2 the kernel refused a
 * non-raw request, 3 raw request refused.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <linux/filter.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/udp.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "linux/ol2tp.h"
#include "ol2tp-ctl.h"
#include "ol2tp-nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static struct nl_sock *nl;
static int family;

static void die(const char *what)
{
	fprintf(stderr, "l2tp-genl: %s\n", what);
	exit(1);
}

static void nl_open(void)
{
	int one = 1;

	nl = nl_socket_alloc();
	if (!nl)
		die("out of memory");
	if (genl_connect(nl))
		die("cannot open a generic netlink socket");
	family = genl_ctrl_resolve(nl, OL2TP_GENL_NAME);
	if (family < 0)
		die("generic netlink family \"l2tp\" is not registered (module not loaded?)");
	/* Error messages (extack), without the echoed request. */
	setsockopt(nl_socket_get_fd(nl), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	setsockopt(nl_socket_get_fd(nl), SOL_NETLINK, NETLINK_CAP_ACK, &one,
		   sizeof(one));
}

/* --- replies ------------------------------------------------------------ */

struct reply {
	int err;
	char extack[256];
	int count;
	int print;		/* 1: attributes, 2: stats only */
};

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct reply *r = arg;
	struct nlattr *a;
	int len, rem;

	(void)who;
	r->err = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	len = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		len += e->msg.nlmsg_len - NLMSG_HDRLEN;
	rem = (int)nlh->nlmsg_len - NLMSG_HDRLEN - len;
	nla_for_each_attr(a, (struct nlattr *)((char *)e + len), rem, rem) {
		if (nla_type(a) == NLMSGERR_ATTR_MSG)
			snprintf(r->extack, sizeof(r->extack), "%s",
				 (char *)nla_data(a));
	}
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct reply *)arg)->err = 0;
	return NL_STOP;
}

static void print_stats(struct nlattr *nest)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		int t = nla_type(a);

		if (ol2tp_stat_name(t))
			printf("%s %llu\n", ol2tp_stat_name(t),
			       (unsigned long long)nla_get_u64(a));
	}
}

static void print_attr(int t, struct nlattr *a)
{
	char buf[INET6_ADDRSTRLEN];
	const unsigned char *p;
	int i;

	switch (t) {
	case OL2TP_ATTR_IFNAME:
		printf("IFNAME %s\n", nla_get_string(a));
		break;
	case OL2TP_ATTR_IP_SADDR:
	case OL2TP_ATTR_IP_DADDR:
		printf("%s %s\n", ol2tp_attr_name(t),
		       inet_ntop(AF_INET, nla_data(a), buf, sizeof(buf)));
		break;
	case OL2TP_ATTR_IP6_SADDR:
	case OL2TP_ATTR_IP6_DADDR:
		printf("%s %s\n", ol2tp_attr_name(t),
		       inet_ntop(AF_INET6, nla_data(a), buf, sizeof(buf)));
		break;
	case OL2TP_ATTR_COOKIE:
	case OL2TP_ATTR_PEER_COOKIE:
		printf("%s ", ol2tp_attr_name(t));
		p = nla_data(a);
		for (i = 0; i < nla_len(a); i++)
			printf("%02x", p[i]);
		printf("\n");
		break;
	default:
		switch (nla_len(a)) {
		case 0:
			printf("%s\n", ol2tp_attr_name(t));
			break;
		case 1:
			printf("%s %u\n", ol2tp_attr_name(t), nla_get_u8(a));
			break;
		case 2:
			printf("%s %u\n", ol2tp_attr_name(t), nla_get_u16(a));
			break;
		case 4:
			printf("%s %u\n", ol2tp_attr_name(t), nla_get_u32(a));
			break;
		case 8:
			printf("%s %llu\n", ol2tp_attr_name(t),
			       (unsigned long long)nla_get_u64(a));
			break;
		default:
			printf("%s (%d bytes)\n", ol2tp_attr_name(t), nla_len(a));
		}
	}
}

static int on_msg(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(msg));
	struct reply *r = arg;
	struct nlattr *a;
	int rem;

	r->count++;
	if (!r->print)
		return NL_OK;
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0),
			  rem) {
		int t = nla_type(a);

		if (t == OL2TP_ATTR_STATS) {
			print_stats(a);
			continue;
		}
		if (r->print == 1 && ol2tp_attr_name(t))
			print_attr(t, a);
	}
	return NL_OK;
}

/* Send @msg and collect the answer into @r.  Returns the kernel's errno. */
static int transact(struct nl_msg *msg, struct reply *r)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int err;

	r->err = 1;
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_ack, r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_msg, r);
	err = nl_send_auto(nl, msg);
	nlmsg_free(msg);
	if (err < 0)
		die("cannot send the request");
	while (r->err == 1) {
		err = nl_recvmsgs(nl, cb);
		if (err < 0 && r->err == 1) {
			r->err = -EIO;
			break;
		}
	}
	nl_cb_put(cb);
	return r->err;
}

static struct nl_msg *request(int cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				 NLM_F_ACK | flags, cmd, OL2TP_GENL_VERSION))
		die("out of memory");
	return msg;
}

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || end == s) {
		fprintf(stderr, "l2tp-genl: '%s' is not a number\n", s);
		exit(1);
	}
	return v;
}

static int refused(const struct reply *r)
{
	fprintf(stderr, "l2tp-genl: %s%s%s\n", strerror(-r->err),
		r->extack[0] ? ": " : "", r->extack);
	return 2;
}

/* --- commands ----------------------------------------------------------- */

static int cmd_get(int argc, char **argv, int print)
{
	struct reply r = { .print = print };
	struct nl_msg *msg;

	if (argc == 2 && !strcmp(argv[0], "tunnel")) {
		msg = request(OL2TP_CMD_TUNNEL_GET, 0);
		nla_put_u32(msg, OL2TP_ATTR_CONN_ID, num(argv[1]));
	} else if (argc == 3 && !strcmp(argv[0], "session")) {
		msg = request(OL2TP_CMD_SESSION_GET, 0);
		nla_put_u32(msg, OL2TP_ATTR_CONN_ID, num(argv[1]));
		nla_put_u32(msg, OL2TP_ATTR_SESSION_ID, num(argv[2]));
	} else {
		die("usage: stats|get tunnel TID | session TID SID");
	}
	if (transact(msg, &r))
		return refused(&r);
	return 0;
}

static int cmd_count(int argc, char **argv)
{
	struct reply r = {};
	struct nl_msg *msg;

	if (argc != 1)
		die("usage: count tunnels|sessions");
	if (!strcmp(argv[0], "tunnels"))
		msg = request(OL2TP_CMD_TUNNEL_GET, NLM_F_DUMP);
	else if (!strcmp(argv[0], "sessions"))
		msg = request(OL2TP_CMD_SESSION_GET, NLM_F_DUMP);
	else
		die("usage: count tunnels|sessions");
	if (transact(msg, &r))
		return refused(&r);
	printf("%d\n", r.count);
	return 0;
}

static void put_raw_attr(struct nl_msg *msg, const char *spec)
{
	char type[8];
	unsigned char bin[256];
	const char *val;
	int n, i, len;

	if (sscanf(spec, "%7[a-z0-9]:%d%n", type, &n, &i) != 2)
		goto bad;
	val = spec + i;
	if (*val == '=')
		val++;
	else if (*val)
		goto bad;

	if (!strcmp(type, "u8"))
		nla_put_u8(msg, n, num(val));
	else if (!strcmp(type, "u16"))
		nla_put_u16(msg, n, num(val));
	else if (!strcmp(type, "u32"))
		nla_put_u32(msg, n, num(val));
	else if (!strcmp(type, "u64"))
		nla_put_u64(msg, n, strtoull(val, NULL, 0));
	else if (!strcmp(type, "str"))
		nla_put_string(msg, n, val);
	else if (!strcmp(type, "flag"))
		nla_put_flag(msg, n);
	else if (!strcmp(type, "nest")) {
		/* libnl drops empty nests: put one u64 (type 1) inside. */
		struct nlattr *nest = nla_nest_start(msg, n);

		nla_put_u64(msg, 1, 0);
		nla_nest_end(msg, nest);
	}
	else if (!strcmp(type, "bin")) {
		len = strlen(val) / 2;
		if ((size_t)len > sizeof(bin) || strlen(val) % 2)
			goto bad;
		for (i = 0; i < len; i++) {
			int h = ol2tp_hexval(val[2 * i]);
			int l = ol2tp_hexval(val[2 * i + 1]);

			if (h < 0 || l < 0)
				goto bad;
			bin[i] = h << 4 | l;
		}
		nla_put(msg, n, len, bin);
	} else {
		goto bad;
	}
	return;
bad:
	fprintf(stderr, "l2tp-genl: bad attribute '%s'\n", spec);
	exit(1);
}

static int cmd_raw(int argc, char **argv)
{
	struct reply r = {};
	struct nl_msg *msg;
	int flags = 0, i;

	if (argc && !strcmp(argv[0], "--dump")) {
		flags = NLM_F_DUMP;
		argc--;
		argv++;
	}
	if (argc < 1)
		die("usage: raw [--dump] CMD [ATTR...]");
	msg = request(num(argv[0]), flags);
	for (i = 1; i < argc; i++)
		put_raw_attr(msg, argv[i]);
	if (transact(msg, &r)) {
		printf("error %d: %s\n", -r.err, r.extack);
		return 3;
	}
	printf("ok\n");
	return 0;
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *tb[OL2TP_ATTR_MAX + 1];
	int *left = arg;

	if (nlh->nlmsg_type != family)
		return NL_OK;
	if (genlmsg_parse(nlh, 0, tb, OL2TP_ATTR_MAX, NULL))
		return NL_OK;
	printf("%s", ol2tp_cmd_name(g->cmd) ? ol2tp_cmd_name(g->cmd) : "?");
	if (tb[OL2TP_ATTR_CONN_ID])
		printf(" conn_id=%u", nla_get_u32(tb[OL2TP_ATTR_CONN_ID]));
	if (tb[OL2TP_ATTR_SESSION_ID])
		printf(" session_id=%u", nla_get_u32(tb[OL2TP_ATTR_SESSION_ID]));
	printf("\n");
	fflush(stdout);
	(*left)--;
	return NL_OK;
}

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static int cmd_listen(int argc, char **argv)
{
	int left, secs = 30, grp;
	struct nl_cb *cb;
	struct pollfd p;

	if (argc < 1 || argc > 2)
		die("usage: listen N [SECS]");
	left = num(argv[0]);
	if (argc == 2)
		secs = num(argv[1]);
	grp = genl_ctrl_resolve_grp(nl, OL2TP_GENL_NAME, OL2TP_GENL_MCGROUP);
	if (grp < 0)
		die("the family has no multicast group \"l2tp\"");
	nl_socket_disable_seq_check(nl);
	if (nl_socket_add_membership(nl, grp))
		die("cannot join the multicast group");
	/* Tell the caller it may start generating events. */
	printf("listening\n");
	fflush(stdout);

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	/* Events carry the sequence number of whatever request caused them. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &left);
	p.fd = nl_socket_get_fd(nl);
	p.events = POLLIN;
	while (left > 0) {
		int n = poll(&p, 1, secs * 1000);

		if (n <= 0) {
			fprintf(stderr, "l2tp-genl: %d event(s) missing\n",
				left);
			return 1;
		}
		nl_recvmsgs(nl, cb);
	}
	nl_cb_put(cb);
	return 0;
}

/* --- managed tunnel ------------------------------------------------------ */

static int parse_addr(const char *s, struct sockaddr_storage *ss, int port,
		      int ip_encap)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &s4->sin_addr) == 1) {
		if (ip_encap) {
			struct ol2tp_sockaddr_ip *a = (void *)ss;

			a->l2tp_family = AF_INET;
			a->l2tp_conn_id = port;
			return sizeof(*a);
		}
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		return sizeof(*s4);
	}
	if (inet_pton(AF_INET6, s, &s6->sin6_addr) == 1) {
		if (ip_encap) {
			struct ol2tp_sockaddr_ip6 *a = (void *)ss;
			struct in6_addr addr = s6->sin6_addr;

			memset(a, 0, sizeof(*a));
			a->l2tp_family = AF_INET6;
			a->l2tp_addr = addr;
			a->l2tp_conn_id = port;
			return sizeof(*a);
		}
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		return sizeof(*s6);
	}
	fprintf(stderr, "l2tp-genl: '%s' is not an IP address\n", s);
	exit(1);
}

/*
 * Keep @fd's socket owned by userspace (sock_owned_by_user) most of the
 * time, from a child process, until it is killed.  Returns the child's pid.
 */
static pid_t sock_busy(int fd)
{
	static struct sock_filter insns[BPF_MAXINSNS];
	struct sock_fprog prog = { .filter = insns };
	unsigned int len;
	pid_t pid;

	/*
	 * A = 0, len - 1 times, then accept the whole packet.  As long as
	 * replacing one filter by another fits in the socket's option memory
	 * (net.core.optmem_max: 20 KiB on 6.1, 128 KiB on 6.12).
	 */
	for (len = BPF_MAXINSNS; len >= 64; len /= 2) {
		unsigned int i;

		for (i = 0; i < len - 1; i++)
			insns[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_IMM, 0);
		insns[i] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffffffff);
		prog.len = len;
		if (!setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
				sizeof(prog)) &&
		    !setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
				sizeof(prog)))
			break;
	}
	if (len < 64)
		die("cannot attach a socket filter");
	pid = fork();
	if (pid < 0)
		die("cannot fork");
	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;)
		setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
			   sizeof(prog));
}

static int cmd_managed(int argc, char **argv)
{
	pid_t busy = 0;
	struct sockaddr_storage la, ra;
	struct reply r = {};
	struct nl_msg *msg;
	int ip_encap, fd, llen, rlen, conn;
	uint32_t tid, sid;
	char line[64];

	if (argc != 10)
		die("usage: managed udp|ip[-unconnected] LOCAL LPORT REMOTE RPORT TID PTID SID PSID IFNAME");
	ip_encap = !strncmp(argv[0], "ip", 2);
	conn = !strstr(argv[0], "-unconnected");
	llen = parse_addr(argv[1], &la, num(argv[2]), ip_encap);
	rlen = parse_addr(argv[3], &ra, num(argv[4]), ip_encap);
	tid = num(argv[5]);
	sid = num(argv[7]);

	fd = socket(la.ss_family, SOCK_DGRAM,
		    ip_encap ? OL2TP_IPPROTO_L2TP : IPPROTO_UDP);
	if (fd < 0)
		die("cannot open the tunnel socket");
	if (bind(fd, (struct sockaddr *)&la, llen))
		die("cannot bind the tunnel socket");
	if (conn && connect(fd, (struct sockaddr *)&ra, rlen))
		die("cannot connect the tunnel socket");

	msg = request(OL2TP_CMD_TUNNEL_CREATE, 0);
	nla_put_u32(msg, OL2TP_ATTR_CONN_ID, tid);
	nla_put_u32(msg, OL2TP_ATTR_PEER_CONN_ID, num(argv[6]));
	nla_put_u8(msg, OL2TP_ATTR_PROTO_VERSION, 3);
	nla_put_u16(msg, OL2TP_ATTR_ENCAP_TYPE,
		    ip_encap ? OL2TP_ENCAPTYPE_IP : OL2TP_ENCAPTYPE_UDP);
	nla_put_u32(msg, OL2TP_ATTR_FD, fd);
	if (transact(msg, &r))
		return refused(&r);

	msg = request(OL2TP_CMD_SESSION_CREATE, 0);
	nla_put_u32(msg, OL2TP_ATTR_CONN_ID, tid);
	nla_put_u32(msg, OL2TP_ATTR_SESSION_ID, sid);
	nla_put_u32(msg, OL2TP_ATTR_PEER_SESSION_ID, num(argv[8]));
	nla_put_u16(msg, OL2TP_ATTR_PW_TYPE, OL2TP_PWTYPE_ETH);
	nla_put_u8(msg, OL2TP_ATTR_L2SPEC_TYPE, OL2TP_L2SPECTYPE_NONE);
	nla_put_string(msg, OL2TP_ATTR_IFNAME, argv[9]);
	r.err = 0;
	if (transact(msg, &r))
		return refused(&r);

	printf("ready\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		/*
		 * A control message: over UDP the v3 header with T, L, S set
		 * (RFC 3931 section 3.2.1), over IP a zero session id first
		 * (the L2TP/IP socket adds it).  Contents are a ZLB-like stub.
		 */
		unsigned char ctl[12] = { 0xc8, 0x03, 0x00, 0x0c };
		unsigned char buf[2048];
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (!strncmp(line, "connect", 7)) {
			char *addr = strtok(line + 7, " \n");

			if (addr)
				rlen = parse_addr(addr, &ra, num(argv[4]),
						  ip_encap);
			if (connect(fd, (struct sockaddr *)&ra, rlen))
				die("cannot connect the tunnel socket");
			printf("connected\n");
		} else if (!strncmp(line, "send", 4)) {
			uint32_t peer = htonl(num(argv[6]));

			memcpy(ctl + 4, &peer, 4);
			if (send(fd, ctl, sizeof(ctl), 0) != sizeof(ctl))
				die("cannot send the control message");
			printf("sent\n");
		} else if (!strncmp(line, "recv", 4)) {
			if (poll(&p, 1, 20000) != 1)
				die("no control message arrived");
			n = recv(fd, buf, sizeof(buf), 0);
			if (n < 0)
				die("recv failed");
			printf("got %zd %s\n", n,
			       n >= 1 && (buf[0] & 0x80) ? "T" : "-");
		} else if (!strncmp(line, "df", 2)) {
			int v4 = IP_PMTUDISC_DO, v6 = IPV6_PMTUDISC_DO;

			if (setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &v4,
				       sizeof(v4)) &&
			    setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER,
				       &v6, sizeof(v6)))
				die("cannot set path MTU discovery to \"do\"");
			printf("df\n");
		} else if (!strncmp(line, "busy", 4)) {
			if (!busy)
				busy = sock_busy(fd);
			printf("busy\n");
		} else if (!strncmp(line, "idle", 4)) {
			if (busy) {
				kill(busy, SIGKILL);
				waitpid(busy, NULL, 0);
				busy = 0;
				setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER,
					   NULL, 0);
			}
			printf("idle\n");
		} else if (!strncmp(line, "close", 5)) {
			if (busy) {
				kill(busy, SIGKILL);
				waitpid(busy, NULL, 0);
				busy = 0;
			}
			close(fd);
			printf("closed\n");
		} else if (!strncmp(line, "quit", 4)) {
			break;
		}
		fflush(stdout);
	}
	return 0;
}

static int create_on_fd(int fd, uint32_t tid, int encap, struct reply *r)
{
	struct nl_msg *msg = request(OL2TP_CMD_TUNNEL_CREATE, 0);

	nla_put_u32(msg, OL2TP_ATTR_CONN_ID, tid);
	nla_put_u32(msg, OL2TP_ATTR_PEER_CONN_ID, tid);
	nla_put_u8(msg, OL2TP_ATTR_PROTO_VERSION, 3);
	nla_put_u16(msg, OL2TP_ATTR_ENCAP_TYPE, encap);
	nla_put_u32(msg, OL2TP_ATTR_FD, fd);
	memset(r, 0, sizeof(*r));
	return transact(msg, r);
}

/*
 * fdcheck KIND TID: offer a socket of KIND to TUNNEL_CREATE (FD):
 *   tcp           a bound TCP socket
 *   unconnected   a UDP socket bound to 127.0.0.1, not connected
 *   unconnected6  the same over IPv6 (::1)
 *   esp           a connected UDP socket with UDP_ENCAP_ESPINUDP set
 *   encap-ip      a connected UDP socket, offered as ENCAP_TYPE IP
 *   twice         a connected UDP socket, offered for TID then TID + 1
 */
static int cmd_fdcheck(int argc, char **argv)
{
	static const char usage[] =
		"usage: fdcheck tcp|unconnected|unconnected6|esp|encap-ip|twice TID";
	struct sockaddr_storage la, ra;
	int encap = OL2TP_ENCAPTYPE_UDP, fd, len, v6, conn = 1;
	struct reply r;
	uint32_t tid;

	if (argc != 2)
		die(usage);
	tid = num(argv[1]);
	v6 = !strcmp(argv[0], "unconnected6");
	len = parse_addr(v6 ? "::1" : "127.0.0.1", &la, 0, 0);
	parse_addr(v6 ? "::1" : "127.0.0.1", &ra, 9, 0);
	if (!strcmp(argv[0], "encap-ip"))
		encap = OL2TP_ENCAPTYPE_IP;
	else if (!strcmp(argv[0], "tcp") || !strcmp(argv[0], "unconnected") || v6)
		conn = 0;
	else if (strcmp(argv[0], "esp") && strcmp(argv[0], "twice"))
		die(usage);
	fd = socket(la.ss_family,
		    !strcmp(argv[0], "tcp") ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&la, len))
		die("cannot open and bind a socket");
	if (conn && connect(fd, (struct sockaddr *)&ra, len))
		die("cannot connect");
	if (!strcmp(argv[0], "esp")) {
		int type = UDP_ENCAP_ESPINUDP;

		if (setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &type, sizeof(type)))
			die("cannot set UDP_ENCAP_ESPINUDP");
	}
	if (!strcmp(argv[0], "twice")) {
		if (create_on_fd(fd, tid, encap, &r))
			return refused(&r);
		printf("first ok\n");
		tid++;
	}
	if (create_on_fd(fd, tid, encap, &r)) {
		printf("error %d: %s\n", -r.err, r.extack);
		return 3;
	}
	printf("ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		die("usage: stats|get|count|raw|listen|managed ...");
	nl_open();
	if (!strcmp(argv[1], "stats"))
		return cmd_get(argc - 2, argv + 2, 2);
	if (!strcmp(argv[1], "get"))
		return cmd_get(argc - 2, argv + 2, 1);
	if (!strcmp(argv[1], "count"))
		return cmd_count(argc - 2, argv + 2);
	if (!strcmp(argv[1], "raw"))
		return cmd_raw(argc - 2, argv + 2);
	if (!strcmp(argv[1], "listen"))
		return cmd_listen(argc - 2, argv + 2);
	if (!strcmp(argv[1], "managed"))
		return cmd_managed(argc - 2, argv + 2);
	if (!strcmp(argv[1], "fdcheck"))
		return cmd_fdcheck(argc - 2, argv + 2);
	die("unknown command");
	return 1;
}
