// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tpd control server: the Unix control socket.  A client writes one
 * line, split by the quoted-word grammar of lib/ctl (ol2tp-ctl.h), looked up
 * in a table of commands; the answer is written back and the connection
 * closed (ol2tpd(8), CONTROL COMMANDS).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ol2tp-ctl.h"

#include "daemon.h"
#include "log.h"

/* The peer's address, without a port over IP (there is none). */
static const char *info_remote_str(const struct engine_cc_info *i, char *buf,
				   size_t len)
{
	const struct sockaddr *sa = (const struct sockaddr *)&i->addr.ss;

	return i->ip ? conf_host_str(sa, buf, len) :
		       conf_addr_str(sa, buf, len);
}

static const char *cc_remote_str(const struct engine_cc *cc, char *buf,
				 size_t len)
{
	struct engine_cc_info i;

	engine_cc_get_info(cc, &i);
	return info_remote_str(&i, buf, len);
}

/* One line of "peer show": a peer and its control connection (or none). */
static void show_peer(FILE *f, const struct conf_peer *p,
		      const struct peer_rt *pr, const struct engine_cc *cc)
{
	struct engine_cc_info i;
	char addr[80];
	int mtu;

	if (cc)
		engine_cc_get_info(cc, &i);
	fprintf(f, "peer %s address %s version %u encap %s state %s", p->name,
		conf_peer_addr_str(p, addr, sizeof(addr)), p->eng.version,
		p->eng.ip_encap ? "ip" : "udp",
		cc ? engine_cc_state_name(i.state) :
		p->dialin ? "listening" : "down");
	if (cc) {
		fprintf(f, " remote %s tunnel %u peer-tunnel %u peer-host ",
			info_remote_str(&i, addr, sizeof(addr)),
			i.local_id, i.peer_id);
		/* The peer chose it: quoted, so it cannot forge a line. */
		ol2tp_ctl_quote(f, i.peer_host);
		fprintf(f, " sessions %u "
			"tx %llu rx %llu retransmits %llu rtt-ms %u "
			"auth-failures %llu",
			i.sessions, (unsigned long long)i.tx_msgs,
			(unsigned long long)i.rx_msgs,
			(unsigned long long)i.retransmits, i.srtt_ms,
			(unsigned long long)i.rx_auth_failures);
		/* What path MTU discovery has learned so far. */
		mtu = p->pmtud ? tunnel_path_mtu(engine_cc_user(cc)) : -1;
		if (mtu > 0)
			fprintf(f, " path-mtu %d", mtu);
	}
	if (pr && pr->last_error[0] && (!cc || i.state != CC_ESTABLISHED)) {
		/* Why the last connection went: our words or the peer's. */
		fprintf(f, " last-error ");
		ol2tp_ctl_quote(f, pr->last_error);
	}
	if (pr && !cc && pr->reconnect_at != RD_NEVER) {
		uint64_t now = now_ms();

		fprintf(f, " reconnect-in %llu",
			(unsigned long long)(pr->reconnect_at > now ?
					     (pr->reconnect_at - now + 999) / 1000 : 0));
	}
	fprintf(f, "\n");
}

static void show_peers(FILE *f, struct daemon *d)
{
	for (unsigned int i = 0; i < d->conf.n_peers; i++) {
		const struct conf_peer *p = &d->conf.peers[i];
		unsigned int n = 0;

		if (!p->dialin) {
			show_peer(f, p, &d->peers[i], d->peers[i].cc);
			continue;
		}
		/* A dial-in peer: a line per connection. */
		for (struct engine_cc *cc = engine_cc_first(d->eng); cc;
		     cc = engine_cc_next(cc)) {
			struct engine_cc_info ci;

			engine_cc_get_info(cc, &ci);
			if (ci.state == CC_DEAD || ci.busy || ci.index != (int)i)
				continue;
			show_peer(f, p, NULL, cc);
			n++;
		}
		if (!n)
			show_peer(f, p, NULL, NULL);
	}
}

/* One line of "session show": a pseudowire's session (or none). */
static void show_session(FILE *f, struct daemon *d, const struct conf_pw *w,
			 const struct pw_rt *r)
{
	const struct engine_sess *s = r ? r->s : NULL;
	struct engine_sess_info si;
	char buf[80];

	if (s)
		engine_sess_get_info(s, &si);
	fprintf(f, "session %s peer %s type %s state %s", w->name,
		d->conf.peers[w->peer].name,
		w->pw_type == L2TP_PW_PPP ? "ppp" : "ethernet",
		s ? engine_sess_state_name(si.state) : "down");
	if (s)
		fprintf(f, " tunnel %u session %u peer-session %u remote %s",
			si.tunnel, si.session, si.peer_session,
			cc_remote_str(engine_sess_cc(s), buf, sizeof(buf)));
	if (r && r->ifname[0] && s && si.state == SESS_ESTABLISHED)
		fprintf(f, " interface %s", r->ifname);
	if (r && r->ppp_addr) {
		struct in_addr a = { .s_addr = htonl(r->ppp_addr) };

		fprintf(f, " ppp-remote %s",
			inet_ntop(AF_INET, &a, buf, sizeof(buf)));
	}
	fprintf(f, "\n");
}

static void show_sessions(FILE *f, struct daemon *d)
{
	for (unsigned int i = 0; i < d->conf.n_pws; i++) {
		const struct conf_pw *w = &d->conf.pws[i];
		unsigned int n = 0;

		if (w->initiate) {
			show_session(f, d, w, &d->pws[i]);
			continue;
		}
		for (const struct pw_rt *c = d->calls; c; c = c->next) {
			if (c->pw != (int)i)
				continue;
			show_session(f, d, w, c);
			n++;
		}
		if (!n)
			show_session(f, d, w, NULL);
	}
}

static void show_statics(FILE *f, struct daemon *d)
{
	for (unsigned int i = 0; i < d->conf.n_statics; i++) {
		const struct conf_static *st = &d->conf.statics[i];
		const struct static_rt *r = &d->statics[i];

		fprintf(f, "static %s type ethernet state %s tunnel %u session %u peer-session %u",
			st->name, r->session ? "static" : "down", st->tunnel_id,
			st->session_id, st->peer_session_id);
		if (r->ifname[0])
			fprintf(f, " interface %s", r->ifname);
		if (!r->session && r->reason[0]) {
			/* The kernel's words: quoted, one value. */
			fprintf(f, " reason ");
			ol2tp_ctl_quote(f, r->reason);
		}
		fprintf(f, "\n");
	}
}

static int pw_by_name(const struct daemon *d, const char *name)
{
	for (unsigned int i = 0; i < d->conf.n_pws; i++)
		if (!strcmp(d->conf.pws[i].name, name))
			return (int)i;
	return -1;
}

/* The pseudowire named by a command, or -1 with the error answered. */
static int pw_arg(FILE *f, const struct daemon *d, const char *name)
{
	int i = pw_by_name(d, name);

	if (i < 0)
		fprintf(f, "error: no pseudowire named \"%s\"\n", name);
	return i;
}

static void admin_close(struct engine_sess *s)
{
	engine_sess_close(s, now_ms(), L2TP_CDN_RC_ADMIN,
			  "administrative close");
}

/* peer show */
static void cmd_peer_show(FILE *f, struct daemon *d, const char *const *argv)
{
	(void)argv;
	show_peers(f, d);
}

/* session show: the pseudowires' sessions, then the static ones. */
static void cmd_session_show(FILE *f, struct daemon *d, const char *const *argv)
{
	(void)argv;
	show_sessions(f, d);
	show_statics(f, d);
}

/* session up NAME: open a pseudowire we initiate now. */
static void cmd_session_up(FILE *f, struct daemon *d, const char *const *argv)
{
	int i = pw_arg(f, d, argv[0]);

	if (i < 0)
		return;
	if (!d->conf.pws[i].initiate) {
		fprintf(f, "error: pseudowire \"%s\" has initiate = no: the peer calls in, ol2tpd cannot bring it up\n",
			argv[0]);
		return;
	}
	d->pws[i].reopen_at = now_ms();
	fprintf(f, "ok\n");
}

/* session down NAME: its session and every call of it, not reopened. */
static void cmd_session_down(FILE *f, struct daemon *d, const char *const *argv)
{
	int i = pw_arg(f, d, argv[0]);
	struct pw_rt *c, *next;

	if (i < 0)
		return;
	if (d->pws[i].s)
		admin_close(d->pws[i].s);
	d->pws[i].reopen_at = RD_NEVER;
	/* Every call of it; each is freed as it goes. */
	for (c = d->calls; c; c = next) {
		next = c->next;
		if (c->pw == i && c->s)
			admin_close(c->s);
	}
	fprintf(f, "ok\n");
}

/* Whether s is session SID of tunnel TID (our ids). */
static bool sess_is(const struct engine_sess *s, unsigned long tid,
		    unsigned long sid)
{
	struct engine_sess_info si;

	engine_sess_get_info(s, &si);
	return si.tunnel == tid && si.session == sid;
}

/* session down NAME TUNNEL SESSION: one session of a pseudowire. */
static void cmd_session_down_one(FILE *f, struct daemon *d, const char *const *argv)
{
	int i = pw_arg(f, d, argv[0]);
	unsigned long t, s;
	char *e1, *e2;

	if (i < 0)
		return;
	errno = 0;
	t = strtoul(argv[1], &e1, 10);
	s = strtoul(argv[2], &e2, 10);
	if (errno || *e1 || *e2 || t > UINT32_MAX || s > UINT32_MAX) {
		fprintf(f, "error: tunnel and session ids are numbers\n");
		return;
	}
	if (d->pws[i].s && sess_is(d->pws[i].s, t, s)) {
		admin_close(d->pws[i].s);
		d->pws[i].reopen_at = RD_NEVER;
		fprintf(f, "ok\n");
		return;
	}
	for (struct pw_rt *c = d->calls; c; c = c->next) {
		if (c->pw != i || !c->s || !sess_is(c->s, t, s))
			continue;
		admin_close(c->s);	/* frees c */
		fprintf(f, "ok\n");
		return;
	}
	fprintf(f, "error: pseudowire \"%s\" has no session %lu in tunnel %lu\n",
		argv[0], s, t);
}

/*
 * The commands: two words that name one, then exactly nargs arguments
 * (ol2tpd(8), CONTROL COMMANDS; the usage of ol2tpd -C says the same).
 */
#define CTL_MAX_ARGS	3

static const struct ctl_cmd {
	const char *object, *verb;
	int nargs;
	void (*run)(FILE *f, struct daemon *d, const char *const *argv);
} ctl_cmds[] = {
	{ "peer", "show", 0, cmd_peer_show },
	{ "session", "show", 0, cmd_session_show },
	{ "session", "up", 1, cmd_session_up },
	{ "session", "down", 1, cmd_session_down },
	{ "session", "down", 3, cmd_session_down_one },
};

/* Answer one command line (the quoted-word grammar of ol2tp-ctl.h). */
static void reply(FILE *f, struct daemon *d, char *line)
{
	struct ol2tp_ctl_word w[2 + CTL_MAX_ARGS];
	const char *argv[CTL_MAX_ARGS];
	int n = ol2tp_ctl_split(line, w, 2 + CTL_MAX_ARGS);

	for (size_t i = 0; n >= 2 && i < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]);
	     i++) {
		const struct ctl_cmd *c = &ctl_cmds[i];

		if (n != 2 + c->nargs || strcmp(w[0].s, c->object) ||
		    strcmp(w[1].s, c->verb))
			continue;
		for (int k = 0; k < c->nargs; k++)
			argv[k] = w[2 + k].s;
		c->run(f, d, argv);
		return;
	}
	fprintf(f, "error: unknown command (peer show, session show, session up|down NAME, session down NAME TUNNEL SESSION)\n");
}

static void client_close(struct daemon *d, struct client *c)
{
	epoll_ctl(d->epfd, EPOLL_CTL_DEL, c->ev.fd, NULL);
	close(c->ev.fd);
	free(c);
}

void client_input(struct daemon *d, struct client *c)
{
	ssize_t n = read(c->ev.fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
	char *nl;
	FILE *f;

	if (n <= 0) {
		client_close(d, c);
		return;
	}
	c->len += (size_t)n;
	c->buf[c->len] = 0;
	nl = strchr(c->buf, '\n');
	if (!nl) {
		if (c->len == sizeof(c->buf) - 1)
			client_close(d, c);
		return;
	}
	*nl = 0;
	f = fdopen(dup(c->ev.fd), "w");
	if (f) {
		reply(f, d, c->buf);
		fclose(f);
	}
	client_close(d, c);
}

void ctl_accept(struct daemon *d)
{
	int fd = accept4(d->ctl.fd, NULL, NULL, SOCK_CLOEXEC);
	struct client *c;

	if (fd < 0)
		return;
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->ev.kind = EV_CLIENT;
	c->ev.fd = fd;
	if (ep_add(d, &c->ev) < 0)
		client_close(d, c);
}

int ctl_open(struct daemon *d)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *path = d->conf.control_socket;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		logmsg(LOG_ERR, "control socket path too long: %s", path);
		return -1;
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    chmod(path, 0600) < 0 || listen(fd, 8) < 0) {
		logmsg(LOG_ERR, "cannot open the control socket %s: %s", path,
		       strerror(errno));
		close(fd);
		return -1;
	}
	d->ctl.kind = EV_CTL;
	d->ctl.fd = fd;
	return ep_add(d, &d->ctl);
}

/* Client side: ol2tpd -C "peer show" (the answer on stdout as it came). */
int ctl_client(const char *path, const char *cmd)
{
	char err[512], *answer;
	int rc;

	if (ol2tp_ctl_request(path, cmd, &answer, err, sizeof(err)) < 0) {
		fprintf(stderr, "ol2tpd: %s\n", err);
		return 3;
	}
	fputs(answer, stdout);
	rc = ol2tp_ctl_is_error(answer) ? 1 : 0;
	free(answer);
	return rc;
}
