// SPDX-License-Identifier: GPL-2.0
/*
 * PPPoL2TP sockets and pppd.  Kept apart from daemon.c because
 * <linux/if_pppox.h> and glibc's <net/if.h> cannot share a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/if_pppol2tp.h>
#include <linux/if_pppox.h>

#include "ppp.h"

/*
 * The four PPPoL2TP addresses (L2TPv2 or v3, IPv4 or IPv6) have the same
 * fields, of other sizes: one way to fill and connect any of them.
 */
#define PPPOL2TP_CONNECT(rc, fd, type, ids) do {			\
	type sa;							\
									\
	memset(&sa, 0, sizeof(sa));					\
	sa.sa_family = AF_PPPOX;					\
	sa.sa_protocol = PX_PROTO_OL2TP;				\
	sa.pppol2tp.fd = (ids)->tunnel_fd;				\
	memcpy(&sa.pppol2tp.addr, (ids)->peer, sizeof(sa.pppol2tp.addr)); \
	sa.pppol2tp.s_tunnel = (ids)->tunnel;				\
	sa.pppol2tp.s_session = (ids)->session;				\
	sa.pppol2tp.d_tunnel = (ids)->peer_tunnel;			\
	sa.pppol2tp.d_session = (ids)->peer_session;			\
	(rc) = connect((fd), (struct sockaddr *)&sa, sizeof(sa));	\
} while (0)

int ppp_socket(const struct ppp_ids *ids)
{
	int fd = socket(AF_PPPOX, SOCK_DGRAM | SOCK_CLOEXEC, PX_PROTO_OL2TP);
	bool v6 = ids->peer->sa_family == AF_INET6;
	int rc, saved;

	if (fd < 0)
		return -1;
	/* v2 ids are 16 bits: the daemon never hands out larger ones. */
	if (ids->version == 2 && !v6)
		PPPOL2TP_CONNECT(rc, fd, struct sockaddr_pppol2tp, ids);
	else if (ids->version == 2)
		PPPOL2TP_CONNECT(rc, fd, struct sockaddr_pppol2tpin6, ids);
	else if (!v6)
		PPPOL2TP_CONNECT(rc, fd, struct sockaddr_pppol2tpv3, ids);
	else
		PPPOL2TP_CONNECT(rc, fd, struct sockaddr_pppol2tpv3in6, ids);
	if (rc < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

pid_t ppp_spawn(int pppox_fd, const struct ppp_ids *ids,
		const struct ppp_opts *o)
{
	char *argv[64], *extra = NULL, fdbuf[16], tbuf[16], sbuf[16];
	int argc = 0;
	pid_t pid;

	snprintf(fdbuf, sizeof(fdbuf), "%d", pppox_fd);
	snprintf(tbuf, sizeof(tbuf), "%u", ids->tunnel);
	snprintf(sbuf, sizeof(sbuf), "%u", ids->session);
	argv[argc++] = (char *)o->pppd;
	argv[argc++] = "plugin";
	argv[argc++] = "pppol2tp.so";
	argv[argc++] = "pppol2tp";
	argv[argc++] = fdbuf;
	argv[argc++] = "pppol2tp_tunnel_id";
	argv[argc++] = tbuf;
	argv[argc++] = "pppol2tp_session_id";
	argv[argc++] = sbuf;
	if (o->lns)
		argv[argc++] = "pppol2tp_lns_mode";
	if (o->send_seq)
		argv[argc++] = "pppol2tp_send_seq";
	if (o->recv_seq)
		argv[argc++] = "pppol2tp_recv_seq";
	argv[argc++] = "nodetach";
	if (o->ipparam) {
		argv[argc++] = "ipparam";
		argv[argc++] = (char *)o->ipparam;
	}
	if (o->extra && *o->extra) {
		char *save = NULL;

		extra = strdup(o->extra);
		if (!extra)
			return -1;
		for (char *t = strtok_r(extra, " \t", &save); t && argc < 61;
		     t = strtok_r(NULL, " \t", &save))
			argv[argc++] = t;
	}
	if (o->addresses)
		argv[argc++] = (char *)o->addresses;
	argv[argc] = NULL;

	pid = fork();
	if (pid == 0) {
		sigset_t all;

		/* The socket must survive exec; nothing else of ours. */
		fcntl(pppox_fd, F_SETFD, 0);
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		execv(o->pppd, argv);
		fprintf(stderr, "ol2tpd: cannot run %s: %s\n", o->pppd,
			strerror(errno));
		_exit(127);
	}
	free(extra);
	return pid;
}
