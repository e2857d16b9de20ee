// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp-ppp-pppd: attach a PPPoL2TP socket to an existing session and run a
 * command (pppd) that inherits it; helper of l2tp-ppp-pppd.sh.
 *
 *   l2tp-ppp-pppd {2|3} {4|6} TID SID PEER_TID PEER_SID CMD [ARG...]
 *
 * Opens socket(AF_PPPOX, SOCK_DGRAM, PX_PROTO_OL2TP), connects it with fd -1
 * (the tunnel and the session exist: created over netlink) using the
 * sockaddr variant of the L2TP version and address family given, then
 * executes CMD with every argument "%fd" replaced by the socket's number,
 * e.g. "pppd plugin pppol2tp.so pppol2tp %fd ...".
 *
 * Exit status: CMD's, or 1 when the socket cannot be set up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <linux/if_pppox.h>
#include <linux/if_pppol2tp.h>

union pppol2tp_any {
	struct sockaddr sa;
	struct sockaddr_pppol2tp v2in4;
	struct sockaddr_pppol2tpin6 v2in6;
	struct sockaddr_pppol2tpv3 v3in4;
	struct sockaddr_pppol2tpv3in6 v3in6;
};

static unsigned long id_arg(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || !*s || v > max) {
		fprintf(stderr, "l2tp-ppp-pppd: bad id '%s'\n", s);
		exit(1);
	}
	return v;
}

int main(int argc, char **argv)
{
	union pppol2tp_any a;
	unsigned long max;
	char fdstr[16];
	socklen_t len;
	int version, family, s, i;

	if (argc < 8) {
		fprintf(stderr,
			"usage: l2tp-ppp-pppd {2|3} {4|6} TID SID PEER_TID PEER_SID CMD [ARG...]\n");
		return 1;
	}
	version = atoi(argv[1]);
	family = atoi(argv[2]);
	if ((version != 2 && version != 3) || (family != 4 && family != 6)) {
		fprintf(stderr, "l2tp-ppp-pppd: version is 2 or 3, family 4 or 6\n");
		return 1;
	}
	max = version == 2 ? 0xffff : 0xffffffff;

	memset(&a, 0, sizeof(a));
	a.v2in4.sa_family = AF_PPPOX;
	a.v2in4.sa_protocol = PX_PROTO_OL2TP;
#define FILL(v) do {							\
	a.v.pppol2tp.fd = -1;						\
	a.v.pppol2tp.s_tunnel = id_arg(argv[3], max);			\
	a.v.pppol2tp.s_session = id_arg(argv[4], max);			\
	a.v.pppol2tp.d_tunnel = id_arg(argv[5], max);			\
	a.v.pppol2tp.d_session = id_arg(argv[6], max);			\
	len = sizeof(a.v);						\
} while (0)
	if (version == 2 && family == 4)
		FILL(v2in4);
	else if (version == 2)
		FILL(v2in6);
	else if (family == 4)
		FILL(v3in4);
	else
		FILL(v3in6);
#undef FILL

	s = socket(AF_PPPOX, SOCK_DGRAM, PX_PROTO_OL2TP);
	if (s < 0) {
		perror("l2tp-ppp-pppd: socket(AF_PPPOX, PX_PROTO_OL2TP)");
		return 1;
	}
	if (connect(s, &a.sa, len)) {
		perror("l2tp-ppp-pppd: connect");
		return 1;
	}
	snprintf(fdstr, sizeof(fdstr), "%d", s);
	for (i = 7; i < argc; i++)
		if (!strcmp(argv[i], "%fd"))
			argv[i] = fdstr;
	execvp(argv[7], argv + 7);
	fprintf(stderr, "l2tp-ppp-pppd: cannot run %s: %s\n", argv[7],
		strerror(errno));
	return 1;
}
