/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PPP pseudowires: the PPPoL2TP socket of a session and the pppd that
 * runs over it (pppd's pppol2tp plugin takes the connected socket's fd).
 */
#ifndef OL2TPD_PPP_H
#define OL2TPD_PPP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

struct ppp_ids {
	uint8_t version;		/* 2 or 3 */
	int tunnel_fd;			/* the tunnel's UDP or L2TP/IP socket */
	const struct sockaddr *peer;	/* AF_INET or AF_INET6 */
	uint32_t tunnel, session, peer_tunnel, peer_session;
};

/* A connected PPPoL2TP socket, or -1 with errno. */
int ppp_socket(const struct ppp_ids *ids);

struct ppp_opts {
	const char *pppd;		/* path */
	bool lns;
	bool send_seq, recv_seq;
	const char *ipparam;		/* for ip-up scripts: the peer */
	const char *extra;		/* user options, split at spaces */
	const char *addresses;		/* "LOCAL:REMOTE", after extra */
};

/* Start pppd on a connected PPPoL2TP socket; returns its pid or -1. */
pid_t ppp_spawn(int pppox_fd, const struct ppp_ids *ids,
		const struct ppp_opts *o);

#endif /* OL2TPD_PPP_H */
