// SPDX-License-Identifier: GPL-2.0
/* ol2tp monitor [ all | tunnel | session ]: one line per kernel event. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

#include "ol2tp.h"

void usage_monitor(FILE *f)
{
	fprintf(f,
		"Usage: ol2tp monitor [ all | tunnel | session ]\n"
		"\n"
		"Prints one line per tunnel or session added, modified or deleted\n"
		"(one JSON object per line with -j) until interrupted.\n");
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct mon_state {
	bool tunnels, sessions;
};

static const char *event_name(uint8_t cmd)
{
	switch (cmd) {
	case OL2TP_CMD_TUNNEL_CREATE:
	case OL2TP_CMD_SESSION_CREATE:
		return "add";
	case OL2TP_CMD_TUNNEL_DELETE:
	case OL2TP_CMD_SESSION_DELETE:
		return "del";
	case OL2TP_CMD_TUNNEL_MODIFY:
	case OL2TP_CMD_SESSION_MODIFY:
		return "modify";
	}
	return "unknown";
}

static int on_event(const struct ol2tp_nl_event *ev, void *arg)
{
	struct mon_state *st = arg;

	if (ev->is_session ? !st->sessions : !st->tunnels)
		return 0;
	printf("%s %s ", event_name(ev->cmd),
	       ev->is_session ? "session" : "tunnel");
	if (ev->is_session)
		session_oneline(stdout, &ev->session);
	else
		tunnel_oneline(stdout, &ev->tunnel);
	fflush(stdout);
	return 0;
}

/* JSON events: "event" and "object", then the object's own keys. */
static int on_event_json(const struct ol2tp_nl_event *ev, void *arg)
{
	struct mon_state *st = arg;
	struct json j = { .f = stdout, .pretty = opt.pretty };

	if (ev->is_session ? !st->sessions : !st->tunnels)
		return 0;
	json_begin_object(&j, NULL);
	json_str(&j, "event", event_name(ev->cmd));
	json_str(&j, "object", ev->is_session ? "session" : "tunnel");
	if (ev->is_session)
		session_json_fields(&j, &ev->session);
	else
		tunnel_json_fields(&j, &ev->tunnel);
	json_end_object(&j);
	fflush(stdout);
	return 0;
}

int do_monitor(int argc, char **argv)
{
	struct mon_state st = { true, true };
	struct ol2tp_nl_monitor *mon;
	struct ol2tp_nl_err err;
	struct sigaction sa;
	struct pollfd pfd;
	int rc;

	if (argc > 0 && is_help(argv[0])) {
		usage_monitor(stdout);
		return EXIT_OK;
	}
	if (argc > 1) {
		errmsg("monitor: unexpected \"%s\"", argv[1]);
		usage_monitor(stderr);
		return EXIT_USAGE;
	}
	if (argc == 1) {
		if (matches(argv[0], "tunnel")) {
			st.sessions = false;
		} else if (matches(argv[0], "session")) {
			st.tunnels = false;
		} else if (!matches(argv[0], "all")) {
			errmsg("monitor: unknown object \"%s\"", argv[0]);
			usage_monitor(stderr);
			return EXIT_USAGE;
		}
	}
	if (opt.batch) {
		errmsg("monitor does not end: it cannot run in a batch");
		return EXIT_USAGE;
	}

	rc = ol2tp_nl_monitor_open(&mon, &err);
	if (rc < 0) {
		errmsg("%s", err.msg[0] ? err.msg : strerror(-rc));
		return EXIT_ENV;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ol2tp_nl_monitor_set_nonblocking(mon);
	pfd.fd = ol2tp_nl_monitor_fd(mon);
	pfd.events = POLLIN;

	rc = EXIT_OK;
	while (!stop) {
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			errmsg("monitor: poll: %s", strerror(errno));
			rc = EXIT_ENV;
			break;
		}
		for (;;) {
			int r = ol2tp_nl_monitor_recv(mon, opt.json ?
						      on_event_json : on_event,
						      &st, &err);

			if (r == -EAGAIN || r == -EINTR)
				break;
			if (r == -ENOBUFS) {
				/* Say so and go on: the monitor survives. */
				errmsg("monitor: %s", err.msg);
				continue;
			}
			if (r < 0) {
				errmsg("monitor: %s", err.msg);
				if (r != -EPROTO) {
					rc = EXIT_ENV;
					stop = 1;
				}
				break;
			}
		}
	}
	ol2tp_nl_monitor_close(mon);
	return rc;
}
