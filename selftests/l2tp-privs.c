// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp-privs: one operation of the privilege matrix (l2tp-privs.sh), done
 * with the caller's own credentials.  Prints one word: "ok", or the errno
 * name of the step the operation is about (EPERM, EEXIST, ...).  A failing
 * preparatory step prints "STEP:ERRNO" instead, so that a broken set-up is
 * never taken for a refusal.  Exit status 0 when a word was printed, 1 on a
 * usage error.
 *
 *   l2tp-privs mcast-join                 join the "l2tp" genl multicast group
 *   l2tp-privs ip-create 4|6              socket(AF_INET[6], DGRAM, L2TP)
 *   l2tp-privs ip-bind 4|6 CONN           bind to loopback, CONN
 *   l2tp-privs ip-connect 4|6 CONN PEER   bind, then connect to loopback PEER
 *   l2tp-privs ip-send 4|6 CONN PEER      bind, connect, send a control message
 *   l2tp-privs ppp-own-tunnel 2|3 TID     own UDP socket (127.0.0.1), PPPoL2TP
 *                                         connect with its fd, session 0:
 *                                         creates tunnel TID
 *   l2tp-privs ppp-own-session 2|3 TID SID  ... then a session socket (fd
 *                                         passed again): creates SID
 *   l2tp-privs ppp-own-session-again 2|3 TID SID  ... then a third socket
 *                                         connects to that (existing) SID
 *   l2tp-privs ppp-foreign-tunnel 2|3 TID management socket on someone
 *                                         else's tunnel TID (own UDP fd)
 *   l2tp-privs ppp-foreign-new-session 2|3 TID SID  create SID in it
 *   l2tp-privs ppp-foreign-session 2|3 TID SID  attach to its existing SID
 *   l2tp-privs managed-fd-other-netns TID a connected UDP socket here, then
 *                                         a new network namespace (and user
 *                                         namespace if need be): TUNNEL_CREATE
 *                                         there with FD = that socket
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/if_pppox.h>
#include <linux/if_pppol2tp.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "linux/ol2tp.h"

#ifndef IPPROTO_L2TP
#define IPPROTO_L2TP 115
#endif

/* struct sockaddr_l2tpip and _l2tpip6 (linux/l2tp.h), as the ABI has them. */
struct l2tpip_addr {
	sa_family_t family;
	unsigned short unused;
	struct in_addr addr;
	uint32_t conn_id;
	unsigned char pad[16 - sizeof(sa_family_t) - 2 - 4 - 4];
};

struct l2tpip6_addr {
	sa_family_t family;
	unsigned short unused;
	uint32_t flowinfo;
	struct in6_addr addr;
	uint32_t scope_id;
	uint32_t conn_id;
};

static int result(const char *step, int err)
{
	const char *name = err ? strerrorname_np(err) : "ok";

	if (step)
		printf("%s:%s\n", step, name ? name : "?");
	else
		printf("%s\n", name ? name : "?");
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: l2tp-privs OP ARGS... (see the source's header)\n");
	return 1;
}

/* --- multicast ------------------------------------------------------------- */

static int op_mcast_join(void)
{
	struct nl_sock *nl = nl_socket_alloc();
	int grp, err;

	if (!nl || genl_connect(nl))
		return result("genl-socket", errno ? errno : ENOMEM);
	grp = genl_ctrl_resolve_grp(nl, OL2TP_GENL_NAME, OL2TP_GENL_MCGROUP);
	if (grp < 0)
		return result("resolve-group", ENOENT);
	err = setsockopt(nl_socket_get_fd(nl), SOL_NETLINK,
			 NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp));
	result(NULL, err ? errno : 0);
	nl_socket_free(nl);
	return 0;
}

/* --- L2TP/IP sockets --------------------------------------------------------- */

static int ip_socket(int family)
{
	return socket(family == 6 ? AF_INET6 : AF_INET, SOCK_DGRAM, IPPROTO_L2TP);
}

/* bind (@peer 0) or connect to loopback, conn id @conn. */
static int ip_addr(int fd, int family, uint32_t conn, int do_connect)
{
	struct l2tpip6_addr a6 = { .family = AF_INET6, .conn_id = conn,
				   .addr = IN6ADDR_LOOPBACK_INIT };
	struct l2tpip_addr a4 = { .family = AF_INET, .conn_id = conn,
				  .addr.s_addr = htonl(INADDR_LOOPBACK) };
	const struct sockaddr *sa = family == 6 ? (void *)&a6 : (void *)&a4;
	socklen_t len = family == 6 ? sizeof(a6) : sizeof(a4);

	return do_connect ? connect(fd, sa, len) : bind(fd, sa, len);
}

static int op_ip(const char *op, int argc, char **argv)
{
	int family, fd, last;
	uint32_t conn = 0, peer = 0;

	if (argc < 1)
		return usage();
	family = atoi(argv[0]);
	if (family != 4 && family != 6)
		return usage();
	last = !strcmp(op, "ip-create") ? 0 : !strcmp(op, "ip-bind") ? 1 :
	       !strcmp(op, "ip-connect") ? 2 : 3;
	if ((last == 1 && argc < 2) || (last >= 2 && argc < 3))
		return usage();
	if (last >= 1)
		conn = strtoul(argv[1], NULL, 0);
	if (last >= 2)
		peer = strtoul(argv[2], NULL, 0);

	fd = ip_socket(family);
	if (fd < 0)
		return result(last == 0 ? NULL : "socket", errno);
	if (last == 0)
		return result(NULL, 0);
	if (ip_addr(fd, family, conn, 0))
		return result(last == 1 ? NULL : "bind", errno);
	if (last == 1)
		return result(NULL, 0);
	if (ip_addr(fd, family, peer, 1))
		return result(last == 2 ? NULL : "connect", errno);
	if (last == 2)
		return result(NULL, 0);
	{
		/* A control message header: T, L, S bits, version 3. */
		unsigned char msg[12] = { 0xc8, 0x03, 0x00, 0x0c };
		uint32_t id = htonl(peer);

		memcpy(msg + 4, &id, sizeof(id));
		if (send(fd, msg, sizeof(msg), 0) != sizeof(msg))
			return result(NULL, errno);
	}
	return result(NULL, 0);
}

/* --- PPPoL2TP ---------------------------------------------------------------- */

/* A UDP socket on 127.0.0.1 connected to 127.0.0.1:1701, or -1. */
static int udp_socket(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		return -1;
	if (bind(fd, (void *)&sin, sizeof(sin)))
		return -1;
	sin.sin_port = htons(1701);
	if (connect(fd, (void *)&sin, sizeof(sin)))
		return -1;
	return fd;
}

/* Connect a new PPPoL2TP socket; returns 0 or errno; *@sk the socket. */
static int ppp_connect(int version, int udp_fd, uint32_t tid, uint32_t sid,
		       int *sk)
{
	struct sockaddr_in peer = { .sin_family = AF_INET,
				    .sin_port = htons(1701),
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_PPPOX, SOCK_DGRAM, PX_PROTO_OL2TP);
	int err;

	*sk = fd;
	if (fd < 0)
		return errno;
	if (version == 2) {
		struct sockaddr_pppol2tp sa = {
			.sa_family = AF_PPPOX, .sa_protocol = PX_PROTO_OL2TP,
		};

		sa.pppol2tp.fd = udp_fd;
		sa.pppol2tp.addr = peer;
		sa.pppol2tp.s_tunnel = tid;
		sa.pppol2tp.d_tunnel = tid;
		sa.pppol2tp.s_session = sid;
		sa.pppol2tp.d_session = sid;
		err = connect(fd, (void *)&sa, sizeof(sa));
	} else {
		struct sockaddr_pppol2tpv3 sa = {
			.sa_family = AF_PPPOX, .sa_protocol = PX_PROTO_OL2TP,
		};

		sa.pppol2tp.fd = udp_fd;
		sa.pppol2tp.addr = peer;
		sa.pppol2tp.s_tunnel = tid;
		sa.pppol2tp.d_tunnel = tid;
		sa.pppol2tp.s_session = sid;
		sa.pppol2tp.d_session = sid;
		err = connect(fd, (void *)&sa, sizeof(sa));
	}
	return err ? errno : 0;
}

static int op_ppp(const char *op, int argc, char **argv)
{
	int version, udp, tsk, ssk, sk2, err;
	uint32_t tid, sid = 0;
	int own = !strncmp(op, "ppp-own-", 8);

	if (argc < 2)
		return usage();
	version = atoi(argv[0]);
	tid = strtoul(argv[1], NULL, 0);
	if ((version != 2 && version != 3) || !tid)
		return usage();
	if (strcmp(op, "ppp-own-tunnel") && strcmp(op, "ppp-foreign-tunnel")) {
		if (argc < 3)
			return usage();
		sid = strtoul(argv[2], NULL, 0);
	}

	udp = udp_socket();
	if (udp < 0)
		return result("udp-socket", errno);
	if (!own) {
		/* The tunnel is someone else's: our socket is not its socket. */
		err = ppp_connect(version, udp, tid, sid, &tsk);
		return result(NULL, err);
	}

	err = ppp_connect(version, udp, tid, 0, &tsk);
	if (!strcmp(op, "ppp-own-tunnel"))
		return result(NULL, err);
	if (err)
		return result("own-tunnel", err);
	err = ppp_connect(version, udp, tid, sid, &ssk);
	if (!strcmp(op, "ppp-own-session"))
		return result(NULL, err);
	if (err)
		return result("own-session", err);
	err = ppp_connect(version, udp, tid, sid, &sk2);
	return result(NULL, err);
}

/* --- managed tunnel, FD of another network namespace ------------------------- */

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* A new netns; a new user namespace too when we may not make one alone. */
static int enter_new_netns(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (!unshare(CLONE_NEWNET))
		return 0;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		return -1;
	snprintf(map, sizeof(map), "0 %u 1", uid);
	if (write_file("/proc/self/uid_map", map))
		return -1;
	if (write_file("/proc/self/setgroups", "deny"))
		return -1;
	snprintf(map, sizeof(map), "0 %u 1", gid);
	return write_file("/proc/self/gid_map", map);
}

static int op_managed_fd(int argc, char **argv)
{
	struct nl_sock *nl;
	struct nl_msg *msg;
	int udp, family, err;
	uint32_t tid;

	if (argc < 1)
		return usage();
	tid = strtoul(argv[0], NULL, 0);
	udp = udp_socket();
	if (udp < 0)
		return result("udp-socket", errno);
	if (enter_new_netns())
		return result("new-netns", errno);

	nl = nl_socket_alloc();
	if (!nl || genl_connect(nl))
		return result("genl-socket", errno ? errno : ENOMEM);
	family = genl_ctrl_resolve(nl, OL2TP_GENL_NAME);
	if (family < 0)
		return result("resolve-family", ENOENT);
	msg = nlmsg_alloc();
	if (!msg ||
	    !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			 NLM_F_ACK, OL2TP_CMD_TUNNEL_CREATE,
			 OL2TP_GENL_VERSION) ||
	    nla_put_u32(msg, OL2TP_ATTR_CONN_ID, tid) ||
	    nla_put_u32(msg, OL2TP_ATTR_PEER_CONN_ID, tid) ||
	    nla_put_u8(msg, OL2TP_ATTR_PROTO_VERSION, 3) ||
	    nla_put_u16(msg, OL2TP_ATTR_ENCAP_TYPE, OL2TP_ENCAPTYPE_UDP) ||
	    nla_put_u32(msg, OL2TP_ATTR_FD, udp))
		return result("message", ENOMEM);
	err = nl_send_auto(nl, msg);
	if (err >= 0)
		err = nl_wait_for_ack(nl);
	nlmsg_free(msg);
	/* libnl turns the kernel's errno into its own codes. */
	switch (err >= 0 ? 0 : -err) {
	case 0:
		return result(NULL, 0);
	case NLE_PERM:
		return result(NULL, EPERM);
	case NLE_INVAL:
		return result(NULL, EINVAL);
	case NLE_OBJ_NOTFOUND:
		return result(NULL, ENOENT);
	case NLE_EXIST:
		return result(NULL, EEXIST);
	default:
		printf("nl:%s\n", nl_geterror(err));
		return 0;
	}
}

int main(int argc, char **argv)
{
	const char *op;

	if (argc < 2)
		return usage();
	op = argv[1];
	if (!strcmp(op, "mcast-join"))
		return op_mcast_join();
	if (!strncmp(op, "ip-", 3))
		return op_ip(op, argc - 2, argv + 2);
	if (!strncmp(op, "ppp-", 4))
		return op_ppp(op, argc - 2, argv + 2);
	if (!strcmp(op, "managed-fd-other-netns"))
		return op_managed_fd(argc - 2, argv + 2);
	return usage();
}
