/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an operator attaches to a pseudowire's interface, applied each time
 * the kernel creates it (every reconnection makes a new one): its MTU, its
 * bridge, and the up and down scripts (ol2tpd.conf(5), HOOK SCRIPTS).
 */
#ifndef OL2TPD_HOOKS_H
#define OL2TPD_HOOKS_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* What a script is told, in its environment. */
struct hook_info {
	char pseudowire[64];		/* [pseudowire NAME] */
	char peer[64];			/* [peer NAME] */
	char peer_host[64];		/* the peer's Host Name AVP */
	const char *type;		/* "ethernet" or "ppp" */
	char ifname[IF_NAMESIZE];	/* "" for ppp: pppd names it */
	uint32_t tunnel, peer_tunnel, session, peer_session;
	uint8_t version;		/* 2 or 3 */
	const char *encap;		/* "udp" or "ip" */
	char local[INET6_ADDRSTRLEN];	/* our address, the peer's */
	char remote[INET6_ADDRSTRLEN];
};

/*
 * The interface's MTU and bridge, if set: 0 when applied (or nothing to
 * do), -1 with the reason logged.
 */
int hook_iface_apply(const char *ifname, unsigned int mtu, const char *bridge);

/*
 * Start script (absolute path) with event "up" or "down"; it runs on its
 * own, ol2tpd does not wait.  Its exit is reported through hook_reaped.
 */
void hook_run(const char *script, const char *event,
	      const struct hook_info *h);

/* A child ended: true (and logged if it failed) when it was a script. */
bool hook_reaped(pid_t pid, int status);

#endif /* OL2TPD_HOOKS_H */
