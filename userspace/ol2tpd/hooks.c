// SPDX-License-Identifier: GPL-2.0
/*
 * Pseudowire interface settings and up/down scripts (hooks.h).
 *
 * A reconnection gives a pseudowire a new kernel session and so a new
 * network device (same name, new ifindex, none of what was set on the old
 * one): the kernel deletes the device with its session, and a session
 * belongs to its tunnel, which belongs to the control connection.  So the
 * daemon applies the pseudowire's settings to every device it gets, and
 * the up script re-adds what ol2tpd does not manage (addresses, routes).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sockios.h>

#include "hooks.h"
#include "log.h"

#define HOOKS_MAX	64

/* Scripts running, to report how they ended. */
static struct {
	pid_t pid;
	char what[96];
} running[HOOKS_MAX];

int hook_iface_apply(const char *ifname, unsigned int mtu, const char *bridge)
{
	struct ifreq ifr;
	int fd, rc = 0;

	if (!mtu && !bridge[0])
		return 0;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		logmsg(LOG_ERR, "%s: cannot set mtu or bridge: %s", ifname,
		       strerror(errno));
		return -1;
	}
	if (mtu) {
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
		ifr.ifr_mtu = (int)mtu;
		if (ioctl(fd, SIOCSIFMTU, &ifr) < 0) {
			logmsg(LOG_ERR, "%s: cannot set mtu %u: %s%s", ifname,
			       mtu, strerror(errno),
			       errno == EINVAL ? " (out of the device's range: check mtu in ol2tpd.conf)" : "");
			rc = -1;
		}
	}
	if (bridge[0]) {
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", bridge);
		ifr.ifr_ifindex = (int)if_nametoindex(ifname);
		if (!ifr.ifr_ifindex || ioctl(fd, SIOCBRADDIF, &ifr) < 0) {
			logmsg(LOG_ERR, "%s: cannot add it to bridge %s: %s%s",
			       ifname, bridge, strerror(errno),
			       errno == ENODEV ? " (no such bridge: create it, e.g. ip link add NAME type bridge)" :
			       errno == EOPNOTSUPP ? " (not a bridge)" : "");
			rc = -1;
		}
	}
	close(fd);
	return rc;
}

static void put_env(const char *name, const char *value)
{
	if (setenv(name, value ? value : "", 1) < 0)
		_exit(126);
}

static void put_env_u32(const char *name, uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", v);
	put_env(name, buf);
}

void hook_run(const char *script, const char *event,
	      const struct hook_info *h)
{
	unsigned int slot;
	pid_t pid;

	if (!script[0])
		return;
	for (slot = 0; slot < HOOKS_MAX && running[slot].pid; slot++)
		;
	pid = fork();
	if (pid < 0) {
		logmsg(LOG_ERR, "pseudowire %s: cannot run %s script %s: %s",
		       h->pseudowire, event, script, strerror(errno));
		return;
	}
	if (pid == 0) {
		sigset_t all;
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

		/* ol2tpd blocks these for its signalfd: not the script. */
		sigfillset(&all);
		sigprocmask(SIG_UNBLOCK, &all, NULL);
		signal(SIGPIPE, SIG_DFL);
		if (null >= 0)
			dup2(null, STDIN_FILENO);
		put_env("OL2TP_EVENT", event);
		put_env("OL2TP_PSEUDOWIRE", h->pseudowire);
		put_env("OL2TP_PEER", h->peer);
		put_env("OL2TP_PEER_HOST", h->peer_host);
		put_env("OL2TP_TYPE", h->type);
		put_env("OL2TP_INTERFACE", h->ifname);
		put_env_u32("OL2TP_VERSION", h->version);
		put_env("OL2TP_ENCAP", h->encap);
		put_env_u32("OL2TP_TUNNEL_ID", h->tunnel);
		put_env_u32("OL2TP_PEER_TUNNEL_ID", h->peer_tunnel);
		put_env_u32("OL2TP_SESSION_ID", h->session);
		put_env_u32("OL2TP_PEER_SESSION_ID", h->peer_session);
		put_env("OL2TP_LOCAL_ADDRESS", h->local);
		put_env("OL2TP_REMOTE_ADDRESS", h->remote);
		execl(script, script, event, h->ifname, h->pseudowire,
		      (char *)NULL);
		fprintf(stderr, "ol2tpd: cannot execute %s script %s: %s\n",
			event, script, strerror(errno));
		_exit(127);
	}
	logmsg(LOG_INFO, "pseudowire %s: %s script %s started (pid %d)",
	       h->pseudowire, event, script, (int)pid);
	if (slot < HOOKS_MAX) {
		running[slot].pid = pid;
		snprintf(running[slot].what, sizeof(running[slot].what),
			 "pseudowire %s: %s script", h->pseudowire, event);
	}
}

bool hook_reaped(pid_t pid, int status)
{
	for (unsigned int i = 0; i < HOOKS_MAX; i++) {
		if (running[i].pid != pid)
			continue;
		running[i].pid = 0;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			logmsg(LOG_DEBUG, "%s done", running[i].what);
		else if (WIFEXITED(status))
			logmsg(LOG_WARNING, "%s exited with status %d",
			       running[i].what, WEXITSTATUS(status));
		else
			logmsg(LOG_WARNING, "%s killed by signal %d",
			       running[i].what, WTERMSIG(status));
		return true;
	}
	return false;
}
