// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp-ip-stress: L2TP/IP sockets bound and closed in a loop, in two
 * processes, while control messages for their conn ids and data packets
 * for unknown sessions keep arriving -- the receive path's lookups race
 * with bind and close.  Run by l2tp-ip-stress.sh:
 *
 *    netns a                                netns b
 *  +-----------------------+   veth   +-------------------------+
 *  | sender: control msgs  |----------| 2 processes: bind conn  |
 *  | to conn 1..64, data   |          | ids 1..64, recv, close, |
 *  | to unknown sessions   |          | again                   |
 *  +-----------------------+          +-------------------------+
 *
 * Usage: l2tp-ip-stress NETNS_A NETNS_B FAMILY(4|6) ADDR_A ADDR_B ROUNDS
 *
 * Exit 0 when every bind succeeded (a closed socket's conn id is free at
 * once), the sender could send throughout, and afterwards a fresh socket
 * still receives its messages.  Prints what it did.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <linux/ol2tp.h>

#define NCONN	64

static int family;
static const char *addr_a, *addr_b;

union l2tp_addr {
	struct sockaddr sa;
	struct ol2tp_sockaddr_ip v4;
	struct ol2tp_sockaddr_ip6 v6;
};

static void enter(const char *ns)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/var/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "cannot enter netns %s: %s\n", ns,
			strerror(errno));
		exit(2);
	}
	close(fd);
}

static socklen_t mkaddr(union l2tp_addr *u, const char *ip, uint32_t conn)
{
	memset(u, 0, sizeof(*u));
	if (family == AF_INET) {
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

static size_t ctrl_msg(uint8_t *m, uint32_t conn)
{
	uint16_t flags = htons(0xc003), len = htons(12);
	uint32_t id = htonl(conn);

	memset(m, 0, 12);
	memcpy(m, &flags, 2);
	memcpy(m + 2, &len, 2);
	memcpy(m + 4, &id, 4);
	return 12;
}

/* Bind and close sockets for conn ids @first, @first + 2, ... */
static int binder(int rounds, uint32_t first)
{
	int fds[NCONN], r, i, n, bound = 0;
	union l2tp_addr u;
	uint8_t buf[256];
	socklen_t len;

	for (r = 0; r < rounds; r++) {
		n = 0;
		for (i = first; i <= NCONN; i += 2) {
			fds[n] = socket(family, SOCK_DGRAM | SOCK_NONBLOCK,
					OL2TP_IPPROTO_L2TP);
			if (fds[n] < 0) {
				perror("socket");
				return 1;
			}
			/* Wildcard and specific addresses by turns. */
			len = mkaddr(&u, (r + i) % 2 ? addr_b :
				     family == AF_INET ? "0.0.0.0" : "::", i);
			if (bind(fds[n], &u.sa, len)) {
				fprintf(stderr, "round %d: bind conn %d: %s\n",
					r, i, strerror(errno));
				return 1;
			}
			bound++;
			n++;
		}
		for (i = 0; i < n; i++) {
			while (recv(fds[i], buf, sizeof(buf), 0) > 0)
				;
			close(fds[i]);
		}
	}
	printf("binder %u: %d binds and closes\n", first, bound);
	return 0;
}

/* Control messages to every conn id, and data to unknown sessions. */
static int sender(void)
{
	union l2tp_addr u;
	uint8_t m[64];
	socklen_t len;
	unsigned long sent = 0;
	int fd, raw, i;

	fd = socket(family, SOCK_DGRAM, OL2TP_IPPROTO_L2TP);
	raw = socket(family, SOCK_RAW, OL2TP_IPPROTO_L2TP);
	len = mkaddr(&u, addr_a, 1000);
	if (fd < 0 || raw < 0 || bind(fd, &u.sa, len)) {
		perror("sender socket");
		return 1;
	}
	for (;;) {
		for (i = 1; i <= NCONN; i++) {
			len = mkaddr(&u, addr_b, 0);
			if (sendto(fd, m, ctrl_msg(m, i), 0, &u.sa, len) < 0 &&
			    errno != ENOBUFS) {
				perror("sendto");
				return 1;
			}
			sent++;
		}
		/* A data packet: session id 0x00abcdef, nobody's. */
		if (family == AF_INET) {
			struct sockaddr_in s = { .sin_family = AF_INET };

			inet_pton(AF_INET, addr_b, &s.sin_addr);
			memcpy(m, "\0\xab\xcd\xef" "datadata", 12);
			sendto(raw, m, 12, 0, (struct sockaddr *)&s, sizeof(s));
		} else {
			struct sockaddr_in6 s = { .sin6_family = AF_INET6 };

			inet_pton(AF_INET6, addr_b, &s.sin6_addr);
			memcpy(m, "\0\xab\xcd\xef" "datadata", 12);
			sendto(raw, m, 12, 0, (struct sockaddr *)&s, sizeof(s));
		}
		if (sent % 4096 == 0)
			usleep(1000);
	}
}

int main(int argc, char **argv)
{
	pid_t snd, b1, b2;
	int rounds, st1, st2, fd, ok = 1;
	union l2tp_addr u;
	struct pollfd p;
	uint8_t m[64];
	socklen_t len;

	if (argc != 7) {
		fprintf(stderr,
			"usage: %s NETNS_A NETNS_B 4|6 ADDR_A ADDR_B ROUNDS\n",
			argv[0]);
		return 2;
	}
	family = !strcmp(argv[3], "6") ? AF_INET6 : AF_INET;
	addr_a = argv[4];
	addr_b = argv[5];
	rounds = atoi(argv[6]);
	setvbuf(stdout, NULL, _IOLBF, 0);

	snd = fork();
	if (!snd) {
		enter(argv[1]);
		_exit(sender());
	}
	enter(argv[2]);
	b1 = fork();
	if (!b1)
		_exit(binder(rounds, 1));
	b2 = fork();
	if (!b2)
		_exit(binder(rounds, 2));
	waitpid(b1, &st1, 0);
	waitpid(b2, &st2, 0);
	if (!WIFEXITED(st1) || WEXITSTATUS(st1) || !WIFEXITED(st2) ||
	    WEXITSTATUS(st2)) {
		printf("a binder failed\n");
		ok = 0;
	}

	/* The sender still runs: a fresh socket for conn 7 gets its share. */
	fd = socket(family, SOCK_DGRAM, OL2TP_IPPROTO_L2TP);
	len = mkaddr(&u, addr_b, 7);
	if (fd < 0 || bind(fd, &u.sa, len)) {
		printf("final bind failed: %s\n", strerror(errno));
		ok = 0;
	} else {
		p.fd = fd;
		p.events = POLLIN;
		if (poll(&p, 1, 10000) != 1 || recv(fd, m, sizeof(m), 0) != 12) {
			printf("the final socket received nothing\n");
			ok = 0;
		} else {
			printf("the final socket receives its messages\n");
		}
		close(fd);
	}
	if (waitpid(snd, &st1, WNOHANG) != 0) {
		printf("the sender stopped early\n");
		ok = 0;
	}
	kill(snd, SIGKILL);
	waitpid(snd, &st1, 0);
	return ok ? 0 : 1;
}
