// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tpd: the L2TP control daemon.
 *
 * One thread, one epoll set: the UDP (and L2TP/IP) listening sockets, one
 * connected socket per control connection (handed to the kernel as the
 * managed tunnel's socket once the connection is up), a signalfd, a timerfd
 * armed at the protocol engine's next deadline, and the Unix control
 * socket.  The protocol itself is the engine (engine.h); daemon.h says which
 * file wires which concern of it to the system.  This one is the main loop:
 * options, setup, the timers of reconnection and retries, signals, stop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/xfrm.h>

#include "daemon.h"
#include "hooks.h"
#include "log.h"
#include "notify.h"

#define DEFAULT_CONF	"/etc/ol2tpd/ol2tpd.conf"
#define STOP_WAIT_MS	3000

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int ep_add(struct daemon *d, struct evsrc *ev)
{
	struct epoll_event e = { .events = EPOLLIN, .data.ptr = ev };

	return epoll_ctl(d->epfd, EPOLL_CTL_ADD, ev->fd, &e);
}

void connect_peer(struct daemon *d, unsigned int i, uint64_t now)
{
	const struct conf_peer *p = &d->conf.peers[i];
	struct engine_addr a;
	struct engine_cc *cc;

	d->peers[i].reconnect_at = RD_NEVER;
	if (d->peers[i].cc)
		return;
	conf_addr_with_port(&p->addr, p->eng.ip_encap ? 0 : d->conf.port, &a);
	cc = engine_connect(d->eng, now, &p->eng, NULL, &a);
	if (!cc) {
		logmsg(LOG_ERR, "%s: cannot start a control connection", p->name);
		if (p->reconnect_ms)
			d->peers[i].reconnect_at = now + p->reconnect_ms;
		return;
	}
	d->peers[i].cc = cc;
}

static void timers(struct daemon *d, uint64_t now)
{
	engine_tick(d->eng, now);
	if (d->stopping)
		return;
	for (unsigned int i = 0; i < d->conf.n_peers; i++)
		if (d->peers[i].reconnect_at <= now)
			connect_peer(d, i, now);
	for (unsigned int i = 0; i < d->conf.n_statics; i++)
		if (d->statics[i].retry_at <= now)
			static_try(d, &d->conf.statics[i], &d->statics[i], now);
	for (unsigned int i = 0; i < d->conf.n_pws; i++) {
		struct pw_rt *r = &d->pws[i];
		struct engine_cc *cc;

		if (r->reopen_at > now || r->s)
			continue;
		r->reopen_at = RD_NEVER;
		cc = d->peers[d->conf.pws[i].peer].cc;
		if (cc && engine_cc_state(cc) == CC_ESTABLISHED)
			open_pseudowires(d, cc, now);
	}
}

static uint64_t next_deadline(const struct daemon *d)
{
	uint64_t t = engine_next_deadline(d->eng);

	for (unsigned int i = 0; i < d->conf.n_peers && !d->stopping; i++)
		if (d->peers[i].reconnect_at < t)
			t = d->peers[i].reconnect_at;
	for (unsigned int i = 0; i < d->conf.n_pws && !d->stopping; i++)
		if (d->pws[i].reopen_at < t)
			t = d->pws[i].reopen_at;
	for (unsigned int i = 0; i < d->conf.n_statics && !d->stopping; i++)
		if (d->statics[i].retry_at < t)
			t = d->statics[i].retry_at;
	if (d->stopping && d->stop_at < t)
		t = d->stop_at;
	return t;
}

static void arm_timer(struct daemon *d, uint64_t now)
{
	uint64_t t = next_deadline(d);
	struct itimerspec its = { 0 };

	if (t != RD_NEVER) {
		uint64_t delta = t > now ? t - now : 1;

		its.it_value.tv_sec = (time_t)(delta / 1000);
		its.it_value.tv_nsec = (long)(delta % 1000) * 1000000;
	}
	timerfd_settime(d->timer.fd, 0, &its, NULL);
}

static void stop(struct daemon *d, uint64_t now)
{
	if (d->stopping)
		return;
	logmsg(LOG_INFO, "stopping: clearing every control connection");
	d->stopping = true;
	d->stop_at = now + STOP_WAIT_MS;
	for (struct engine_cc *cc = engine_cc_first(d->eng); cc;
	     cc = engine_cc_next(cc))
		engine_cc_close(cc, now, L2TP_STOPCCN_RC_SHUTTING_DOWN,
				"ol2tpd is shutting down");
}

/* All StopCCNs acknowledged (or time is up)? */
static bool stopped(const struct daemon *d, uint64_t now)
{
	if (now >= d->stop_at)
		return true;
	for (struct engine_cc *cc = engine_cc_first(d->eng); cc;
	     cc = engine_cc_next(cc))
		if (!engine_cc_quiet(cc))
			return false;
	return true;
}

static void on_signal(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sig.fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			notify_systemd("STOPPING=1");
			stop(d, now_ms());
			break;
		case SIGHUP:
			if (!d->stopping) {
				notify_systemd("RELOADING=1");
				reload(d);
				notify_systemd("READY=1");
			}
			break;
		case SIGCHLD: {
			pid_t pid;
			int status;

			while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
				if (!hook_reaped(pid, status))
					ppp_exited(d, pid, status);
			break;
		}
		default:
			break;
		}
	}
}

static int setup(struct daemon *d)
{
	struct engine_cfg ec;
	struct ol2tp_nl_err err;
	sigset_t mask;
	int rc;

	rc = ol2tp_nl_open(&d->nl, &err);
	if (rc < 0) {
		logmsg(LOG_ERR, "cannot reach the kernel's l2tp family: %s%s%s",
		       strerror(-rc), err.msg[0] ? ": " : "", err.msg);
		return -1;
	}
	memset(&ec, 0, sizeof(ec));
	snprintf(ec.host_name, sizeof(ec.host_name), "%s", d->conf.host_name);
	snprintf(ec.vendor_name, sizeof(ec.vendor_name), "ol2tpd");
	ec.router_id = d->conf.router_id;
	ec.pw_caps[0] = L2TP_PW_ETH;
	ec.pw_caps[1] = L2TP_PW_PPP;
	ec.n_pw_caps = 2;
	ec.max_pending = d->conf.max_pending;
	d->eng = engine_new(&ec, &daemon_engine_ops, d);
	d->peers = calloc(d->conf.n_peers + 1, sizeof(*d->peers));
	d->pws = calloc(d->conf.n_pws + 1, sizeof(*d->pws));
	d->statics = calloc(d->conf.n_statics + 1, sizeof(*d->statics));
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!d->eng || !d->peers || !d->pws || !d->statics || d->epfd < 0) {
		logmsg(LOG_ERR, "out of resources: %s", strerror(errno));
		return -1;
	}
	for (unsigned int i = 0; i < d->conf.n_peers; i++)
		d->peers[i].reconnect_at = RD_NEVER;
	for (unsigned int i = 0; i < d->conf.n_statics; i++)
		d->statics[i].retry_at = RD_NEVER;
	for (unsigned int i = 0; i < d->conf.n_pws; i++) {
		d->pws[i].reopen_at = RD_NEVER;
		d->pws[i].pw = (int)i;
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sig.kind = EV_SIGNAL;
	d->sig.fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	d->timer.kind = EV_TIMER;
	d->timer.fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (d->sig.fd < 0 || d->timer.fd < 0 || ep_add(d, &d->sig) < 0 ||
	    ep_add(d, &d->timer) < 0) {
		logmsg(LOG_ERR, "cannot set up signals and timers: %s",
		       strerror(errno));
		return -1;
	}
	if (open_listeners(d) < 0)
		return -1;
	if (ctl_open(d) < 0)
		return -1;
	return 0;
}

static int run(struct daemon *d)
{
	uint64_t now = now_ms();

	for (unsigned int i = 0; i < d->conf.n_statics; i++)
		static_try(d, &d->conf.statics[i], &d->statics[i], now);
	for (unsigned int i = 0; i < d->conf.n_peers; i++)
		if (d->conf.peers[i].initiate)
			connect_peer(d, i, now);
	logmsg(LOG_INFO, "ol2tpd started: %u peers, %u pseudowires, %u static",
	       d->conf.n_peers, d->conf.n_pws, d->conf.n_statics);
	/* Listening and the control socket open: ready (Type=notify). */
	notify_systemd("READY=1");

	for (;;) {
		struct epoll_event evs[16];
		int n;

		now = now_ms();
		if (d->stopping && stopped(d, now))
			break;
		arm_timer(d, now);
		n = epoll_wait(d->epfd, evs, 16, -1);
		if (n < 0 && errno != EINTR) {
			logmsg(LOG_ERR, "epoll_wait: %s", strerror(errno));
			return 2;
		}
		for (int i = 0; i < n; i++) {
			struct evsrc *ev = evs[i].data.ptr;

			switch (ev->kind) {
			case EV_LISTENER: {
				struct listener *l = (struct listener *)ev;

				rx(d, ev->fd, l, NULL);
				break;
			}
			case EV_TUNNEL: {
				struct tunnel *t = (struct tunnel *)ev;

				rx(d, ev->fd, NULL, t);
				break;
			}
			case EV_SIGNAL:
				on_signal(d);
				break;
			case EV_TIMER: {
				uint64_t x;
				ssize_t r = read(ev->fd, &x, sizeof(x));

				(void)r;	/* expirations count: unused */
				break;
			}
			case EV_CTL:
				ctl_accept(d);
				break;
			case EV_CLIENT:
				client_input(d, (struct client *)ev);
				break;
			}
			/* Anything freed by the engine was freed at its end. */
		}
		timers(d, now_ms());
	}
	/* Whatever is left: no kernel object may outlive us. */
	for (struct engine_cc *cc = engine_cc_first(d->eng); cc;
	     cc = engine_cc_next(cc))
		if (engine_cc_user(cc))
			kernel_tunnel_down(d, engine_cc_user(cc));
	for (unsigned int i = 0; i < d->conf.n_statics; i++)
		static_down(d, &d->conf.statics[i], &d->statics[i]);
	return d->exit_code;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ol2tpd [-f CONFIG] [-l LEVEL] [-t]\n"
		"       ol2tpd [-f CONFIG] [-S SOCKET] -C \"COMMAND\"\n"
		"       ol2tpd -h | -V\n"
		"  -f FILE   configuration (default " DEFAULT_CONF ")\n"
		"  -l LEVEL  log level: err, warning, notice, info, debug\n"
		"  -t        check the configuration and exit\n"
		"  -C CMD    send CMD to the running daemon: \"peer show\",\n"
		"            \"session show\", \"session up|down NAME\",\n"
		"            \"session down NAME TUNNEL SESSION\"\n"
		"  -S PATH   control socket (default: from the configuration)\n"
		"  -h, --help     print this help and exit\n"
		"  -V, --version  print the version and exit\n"
		"See ol2tpd(8) and ol2tpd.conf(5).\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct daemon d;
	const char *cmd = NULL, *sock = NULL;
	char err[512];
	bool test = false;
	int opt, rc, level = -1;

	memset(&d, 0, sizeof(d));
	d.conf_path = DEFAULT_CONF;
	/* Usage errors exit 2, with getopt's message and the usage. */
	while ((opt = getopt_long(argc, argv, "f:l:tC:S:hV", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'f':
			d.conf_path = optarg;
			break;
		case 'l':
			level = conf_log_level(optarg);
			if (level < 0) {
				fprintf(stderr, "ol2tpd: -l %s: use err, warning, notice, info or debug\n",
					optarg);
				return 2;
			}
			break;
		case 't':
			test = true;
			break;
		case 'C':
			cmd = optarg;
			break;
		case 'S':
			sock = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("ol2tpd %s\n", OL2TP_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "ol2tpd: unexpected argument \"%s\" (options only; a command for -C goes in one quoted word)\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}
	if (cmd && sock)
		return ctl_client(sock, cmd);
	if (conf_load(&d.conf, d.conf_path, err, sizeof(err)) < 0) {
		fprintf(stderr, "ol2tpd: %s\n", err);
		return 1;
	}
	if (cmd) {
		rc = ctl_client(d.conf.control_socket, cmd);
		conf_free(&d.conf);
		return rc;
	}
	if (level >= 0)
		d.conf.log_level = level;
	if (test) {
		printf("%s: OK, %u peers, %u pseudowires\n", d.conf_path,
		       d.conf.n_peers, d.conf.n_pws);
		conf_free(&d.conf);
		return 0;
	}
	log_setup(d.conf.log_level, d.conf.log_syslog);
	if (setup(&d) < 0)
		return 2;
	rc = run(&d);
	unlink(d.conf.control_socket);
	while (d.calls)
		call_free(&d, d.calls);
	engine_free(d.eng);
	ol2tp_nl_close(d.nl);
	for (unsigned int i = 0; i < d.conf.n_pws; i++)
		free(d.pws[i].pool_used);
	conf_free(&d.conf);
	free(d.peers);
	free(d.pws);
	logmsg(LOG_INFO, "stopped");
	return rc;
}
