// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tp session { add | del | modify | show }: the kernel's sessions;
 * session { up | down } NAME: ol2tpd's pseudowires, over its socket.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "ol2tp.h"

void usage_session(FILE *f)
{
	fprintf(f,
		"Usage: ol2tp session add [ name NAME ]\n"
		"          tunnel_id ID session_id ID peer_session_id ID\n"
		"          [ pw { eth | ppp } ]\n"
		"          [ cookie HEXSTR ] [ peer_cookie HEXSTR ]\n"
		"          [ l2spec_type { none | default } ]\n"
		"          [ seq { none | send | recv | both } ]\n"
		"          [ lns_mode { on | off } ] [ reorder_timeout MS ]\n"
		"          [ mtu MTU ] [ debug MASK ]\n"
		"       ol2tp session del { tunnel_id ID session_id ID | name NAME }\n"
		"       ol2tp session modify { tunnel_id ID session_id ID | name NAME }\n"
		"          [ seq { none | send | recv | both } ]\n"
		"          [ lns_mode { on | off } ] [ reorder_timeout MS ]\n"
		"          [ mtu MTU ] [ debug MASK ]\n"
		"       ol2tp session show [ tunnel_id ID ] [ session_id ID ] [ name NAME ]\n"
		"       ol2tp [ -S SOCKET ] session { up | down } PWNAME\n"
		"       ol2tp [ -S SOCKET ] session down PWNAME tunnel_id ID session_id ID\n"
		"\n"
		"Where: NAME   := interface name of an eth pseudowire\n"
		"       ID     := { 1..4294967295 } (1..65535 in a version 2 tunnel)\n"
		"       HEXSTR := { 8 or 16 hex digits (4 / 8 bytes) }\n"
		"       MS     := reorder timeout in milliseconds (0: none)\n"
		"       PWNAME := an ol2tpd pseudowire (\"ol2tp pseudowire show\")\n"
		"Defaults: pw eth, l2spec_type default, seq none, lns_mode off,\n"
		"          no cookies, reorder_timeout 0.\n");
}

/* The keywords, in the order of the table below: bit K of "seen". */
enum {
	K_NAME, K_TID, K_SID, K_PSID, K_PW, K_COOKIE, K_PCOOKIE, K_L2SPEC,
	K_SEQ, K_LNS, K_TIMEOUT, K_MTU, K_DEBUG,
};

struct session_args {
	struct ol2tp_nl_session s;
	uint64_t seen;
	uint32_t mtu;
};

static bool seen(const struct session_args *a, int k)
{
	return a->seen & BIT(k);
}

static const char *const pws[] = {
	"eth", "ppp", "eth_vlan", "ppp_ac", "ip", NULL
};
static const uint16_t pw_types[] = {
	OL2TP_PWTYPE_ETH, OL2TP_PWTYPE_PPP, OL2TP_PWTYPE_ETH_VLAN,
	OL2TP_PWTYPE_PPP_AC, OL2TP_PWTYPE_IP,
};
static const char *const l2specs[] = { "none", "default", NULL };
static const uint16_t l2spec_types[] = {
	OL2TP_L2SPECTYPE_NONE, OL2TP_L2SPECTYPE_DEFAULT,
};

static int parse_seq(void *args, const char *key, const char *val)
{
	static const char *const seqs[] = {
		"none", "send", "recv", "both", NULL
	};
	struct session_args *a = args;
	int k = parse_choice(key, val, seqs, "none, send, recv or both");

	if (k < 0)
		return -1;
	a->s.send_seq = k == 1 || k == 3;
	a->s.recv_seq = k == 2 || k == 3;
	return 0;
}

static int parse_lns(void *args, const char *key, const char *val)
{
	struct session_args *a = args;
	bool on;

	if (parse_on_off(key, val, &on))
		return -1;
	a->s.lns_mode = on;
	return 0;
}

static int parse_mtu(void *args, const char *key, const char *val)
{
	struct session_args *a = args;

	if (parse_u32(key, val, &a->mtu))
		return -1;
	if (a->mtu < 68 || a->mtu > UINT16_MAX) {
		errmsg("invalid mtu \"%s\": expected 68..65535", val);
		return -1;
	}
	return 0;
}

#define S(f) offsetof(struct session_args, s.f)

static const struct kw keywords[] = {
	[K_NAME] = { "name", NULL, KW_IFNAME, S(ifname) },
	[K_TID] = { "tunnel_id", "tid", KW_ID, S(conn_id) },
	[K_SID] = { "session_id", "sid", KW_ID, S(session_id) },
	[K_PSID] = { "peer_session_id", "psid", KW_ID, S(peer_session_id) },
	[K_PW] = { "pw", "pw_type", KW_CHOICE16, S(pw_type),
		   .choices = pws, .values = pw_types,
		   .expect = "eth, ppp, eth_vlan, ppp_ac or ip" },
	[K_COOKIE] = { "cookie", NULL, KW_COOKIE, S(cookie), S(cookie_len) },
	[K_PCOOKIE] = { "peer_cookie", NULL, KW_COOKIE, S(peer_cookie),
			S(peer_cookie_len) },
	[K_L2SPEC] = { "l2spec_type", NULL, KW_CHOICE8, S(l2spec_type),
		       .choices = l2specs, .values = l2spec_types,
		       .expect = "none or default" },
	[K_SEQ] = { "seq", .kind = KW_FN, .fn = parse_seq },
	[K_LNS] = { "lns_mode", .kind = KW_FN, .fn = parse_lns },
	[K_TIMEOUT] = { "reorder_timeout", NULL, KW_U64, S(recv_timeout) },
	[K_MTU] = { "mtu", .kind = KW_FN, .fn = parse_mtu },
	[K_DEBUG] = { "debug", NULL, KW_U32, S(debug) },
};

static const struct kw_table table = {
	"session", keywords, sizeof(keywords) / sizeof(keywords[0]),
	sizeof(struct session_args), offsetof(struct session_args, seen),
};

/* tunnel_id + session_id, or name alone: the session to act on. */
static int require_key(const struct session_args *a, const char *cmd)
{
	if (seen(a, K_NAME) && !seen(a, K_TID) && !seen(a, K_SID))
		return 0;
	if (seen(a, K_NAME)) {
		errmsg("session %s: give either name or tunnel_id and session_id, not both",
		       cmd);
		return -1;
	}
	return kw_require(&table, a->seen, K_TID, cmd, "") ||
	       kw_require(&table, a->seen, K_SID, cmd, "") ? -1 : 0;
}

/* Mark the modifiable attributes the user gave. */
static void set_changes(struct session_args *a)
{
	struct ol2tp_nl_session *s = &a->s;

	if (seen(a, K_SEQ)) {
		ol2tp_nl_set(s, OL2TP_ATTR_SEND_SEQ);
		ol2tp_nl_set(s, OL2TP_ATTR_RECV_SEQ);
	}
	if (seen(a, K_LNS))
		ol2tp_nl_set(s, OL2TP_ATTR_LNS_MODE);
	if (seen(a, K_TIMEOUT))
		ol2tp_nl_set(s, OL2TP_ATTR_RECV_TIMEOUT);
	if (seen(a, K_DEBUG))
		ol2tp_nl_set(s, OL2TP_ATTR_DEBUG);
}

/* One socket for the interface ioctls of a whole dump or batch. */
static int ioctl_fd(void)
{
	static int fd = -1;

	if (fd < 0)
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	return fd;
}

int netdev_mtu(const char *ifname)
{
	struct ifreq ifr = { 0 };
	int fd = ioctl_fd();

	if (fd < 0)
		return 0;
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	return ioctl(fd, SIOCGIFMTU, &ifr) < 0 ? 0 : ifr.ifr_mtu;
}

int netdev_set_mtu(const char *ifname, uint32_t mtu)
{
	struct ifreq ifr = { 0 };
	int fd = ioctl_fd();

	if (fd < 0)
		return -errno;
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	ifr.ifr_mtu = mtu;
	return ioctl(fd, SIOCSIFMTU, &ifr) < 0 ? -errno : 0;
}

static int set_mtu(const struct ol2tp_nl_session *s, uint32_t mtu)
{
	int rc;

	if (!ol2tp_nl_has(s, OL2TP_ATTR_IFNAME) || !s->ifname[0]) {
		errmsg("session %" PRIu32 "/%" PRIu32 " has no network device: mtu applies to eth pseudowires (set a PPP link's MTU through pppd)",
		       s->conn_id, s->session_id);
		return EXIT_KERNEL;
	}
	rc = netdev_set_mtu(s->ifname, mtu);
	if (rc < 0) {
		errmsg("cannot set the MTU of %s to %" PRIu32 ": %s (%s)",
		       s->ifname, mtu, strerror(-rc), strerrorname_np(-rc));
		return EXIT_KERNEL;
	}
	return EXIT_OK;
}

static int session_add(int argc, char **argv)
{
	struct session_args a;
	struct ol2tp_nl_session *s = &a.s, now;
	struct ol2tp_nl_err err;
	bool eth;
	int rc;

	if (kw_parse(&table, argc, argv, &a) < 0 ||
	    kw_require(&table, a.seen, K_TID, "add", "") ||
	    kw_require(&table, a.seen, K_SID, "add", "") ||
	    kw_require(&table, a.seen, K_PSID, "add", ""))
		return EXIT_USAGE;
	if (!seen(&a, K_PW))
		s->pw_type = OL2TP_PWTYPE_ETH;
	eth = s->pw_type == OL2TP_PWTYPE_ETH ||
	      s->pw_type == OL2TP_PWTYPE_ETH_VLAN;
	if (!eth && (seen(&a, K_NAME) || seen(&a, K_MTU))) {
		errmsg("session add: %s applies to eth pseudowires only (a PPP session's interface belongs to pppd)",
		       seen(&a, K_NAME) ? "name" : "mtu");
		return EXIT_USAGE;
	}
	if (!seen(&a, K_L2SPEC))
		s->l2spec_type = OL2TP_L2SPECTYPE_DEFAULT;

	ol2tp_nl_set(s, OL2TP_ATTR_CONN_ID);
	ol2tp_nl_set(s, OL2TP_ATTR_SESSION_ID);
	ol2tp_nl_set(s, OL2TP_ATTR_PEER_SESSION_ID);
	ol2tp_nl_set(s, OL2TP_ATTR_PW_TYPE);
	ol2tp_nl_set(s, OL2TP_ATTR_L2SPEC_TYPE);
	if (s->l2spec_type == OL2TP_L2SPECTYPE_DEFAULT) {
		s->l2spec_len = 4;
		ol2tp_nl_set(s, OL2TP_ATTR_L2SPEC_LEN);
	}
	if (seen(&a, K_NAME))
		ol2tp_nl_set(s, OL2TP_ATTR_IFNAME);
	if (seen(&a, K_COOKIE))
		ol2tp_nl_set(s, OL2TP_ATTR_COOKIE);
	if (seen(&a, K_PCOOKIE))
		ol2tp_nl_set(s, OL2TP_ATTR_PEER_COOKIE);
	set_changes(&a);

	if (ol2tp_nl_session_create(nl(), s, &err) < 0)
		return kernel_error(&err, "cannot add session %" PRIu32
				    " in tunnel %" PRIu32, s->session_id,
				    s->conn_id);
	kernel_warning(&err);
	if (!seen(&a, K_MTU))
		return EXIT_OK;

	/* The MTU is the netdev's: set it, or undo the add. */
	rc = ol2tp_nl_session_get(nl(), s->conn_id, s->session_id, &now, &err);
	if (rc < 0)
		rc = kernel_error(&err, "cannot find the new session %" PRIu32
				  " in tunnel %" PRIu32, s->session_id,
				  s->conn_id);
	else
		rc = set_mtu(&now, a.mtu);
	if (rc != EXIT_OK) {
		if (ol2tp_nl_session_delete(nl(), s->conn_id, s->session_id,
					    &err) < 0)
			kernel_error(&err, "cannot remove the session again");
		else
			errmsg("session %" PRIu32 " in tunnel %" PRIu32 " removed again",
			       s->session_id, s->conn_id);
	}
	return rc;
}

/* Resolve "name NAME" to the session's ids. */
static int lookup_name(struct session_args *a, struct ol2tp_nl_session *out)
{
	struct ol2tp_nl_err err;

	if (ol2tp_nl_session_get_by_ifname(nl(), a->s.ifname, out, &err) < 0)
		return kernel_error(&err, "no session with interface %s",
				    a->s.ifname);
	a->s.conn_id = out->conn_id;
	a->s.session_id = out->session_id;
	return EXIT_OK;
}

static int session_del(int argc, char **argv)
{
	struct session_args a;
	struct ol2tp_nl_session found;
	struct ol2tp_nl_err err;
	int rc;

	if (kw_parse(&table, argc, argv, &a) < 0 ||
	    kw_only(&table, a.seen, BIT(K_TID) | BIT(K_SID) | BIT(K_NAME),
		    "del") < 0 ||
	    require_key(&a, "del") < 0)
		return EXIT_USAGE;
	if (seen(&a, K_NAME)) {
		rc = lookup_name(&a, &found);
		if (rc)
			return rc;
	}
	if (ol2tp_nl_session_delete(nl(), a.s.conn_id, a.s.session_id,
				    &err) < 0)
		return kernel_error(&err, "cannot delete session %" PRIu32
				    " in tunnel %" PRIu32, a.s.session_id,
				    a.s.conn_id);
	kernel_warning(&err);
	return EXIT_OK;
}

static int session_modify(int argc, char **argv)
{
	struct session_args a;
	struct ol2tp_nl_session *s = &a.s, now;
	struct ol2tp_nl_err err;
	int rc;

	if (kw_parse(&table, argc, argv, &a) < 0 ||
	    kw_only(&table, a.seen,
		    BIT(K_TID) | BIT(K_SID) | BIT(K_NAME) | BIT(K_SEQ) |
		    BIT(K_LNS) | BIT(K_TIMEOUT) | BIT(K_MTU) | BIT(K_DEBUG),
		    "modify") < 0 ||
	    require_key(&a, "modify") < 0)
		return EXIT_USAGE;
	if (!(a.seen & (BIT(K_SEQ) | BIT(K_LNS) | BIT(K_TIMEOUT) |
			BIT(K_MTU) | BIT(K_DEBUG)))) {
		errmsg("session modify: nothing to change (seq, lns_mode, reorder_timeout, mtu or debug)");
		return EXIT_USAGE;
	}
	if (seen(&a, K_NAME)) {
		rc = lookup_name(&a, &now);
		if (rc)
			return rc;
	}
	ol2tp_nl_set(s, OL2TP_ATTR_CONN_ID);
	ol2tp_nl_set(s, OL2TP_ATTR_SESSION_ID);
	set_changes(&a);
	if (a.seen & ~(BIT(K_TID) | BIT(K_SID) | BIT(K_NAME) | BIT(K_MTU))) {
		if (ol2tp_nl_session_modify(nl(), s, &err) < 0)
			return kernel_error(&err, "cannot modify session %" PRIu32
					    " in tunnel %" PRIu32,
					    s->session_id, s->conn_id);
		kernel_warning(&err);
	}
	if (!seen(&a, K_MTU))
		return EXIT_OK;
	if (!seen(&a, K_NAME)) {
		rc = ol2tp_nl_session_get(nl(), s->conn_id, s->session_id, &now,
					  &err);
		if (rc < 0)
			return kernel_error(&err, "cannot find session %" PRIu32
					    " in tunnel %" PRIu32,
					    s->session_id, s->conn_id);
	}
	return set_mtu(&now, a.mtu);
}

struct show_state {
	struct json j;
	const struct session_args *filter;
};

static int show_one(const struct ol2tp_nl_session *s, void *arg)
{
	struct show_state *st = arg;

	if (st->filter) {
		if (seen(st->filter, K_TID) && s->conn_id != st->filter->s.conn_id)
			return 0;
		if (seen(st->filter, K_SID) &&
		    s->session_id != st->filter->s.session_id)
			return 0;
	}
	if (opt.json)
		session_json(&st->j, s);
	else if (opt.oneline)
		session_oneline(stdout, s);
	else
		session_text(stdout, s);
	return 0;
}

static int session_show(int argc, char **argv)
{
	struct session_args a;
	struct show_state st = { .j = { .f = stdout, .pretty = opt.pretty } };
	struct ol2tp_nl_session s;
	struct ol2tp_nl_err err;
	bool one;
	int rc;

	if (kw_parse(&table, argc, argv, &a) < 0 ||
	    kw_only(&table, a.seen, BIT(K_TID) | BIT(K_SID) | BIT(K_NAME),
		    "show") < 0)
		return EXIT_USAGE;
	if (seen(&a, K_NAME) && (seen(&a, K_TID) || seen(&a, K_SID))) {
		errmsg("session show: give either name or tunnel_id and session_id, not both");
		return EXIT_USAGE;
	}
	one = seen(&a, K_NAME) || (seen(&a, K_TID) && seen(&a, K_SID));
	if (seen(&a, K_NAME)) {
		rc = ol2tp_nl_session_get_by_ifname(nl(), a.s.ifname, &s, &err);
		if (rc < 0)
			return kernel_error(&err, "cannot show the session of interface %s",
					    a.s.ifname);
	} else if (one) {
		rc = ol2tp_nl_session_get(nl(), a.s.conn_id, a.s.session_id, &s,
					  &err);
		if (rc < 0)
			return kernel_error(&err, "cannot show session %" PRIu32
					    " in tunnel %" PRIu32,
					    a.s.session_id, a.s.conn_id);
	}
	if (opt.json)
		json_begin_array(&st.j, NULL);
	if (one) {
		show_one(&s, &st);
	} else {
		st.filter = &a;
		rc = ol2tp_nl_session_dump(nl(), show_one, &st, &err);
		if (rc < 0) {
			if (opt.json)
				json_end_array(&st.j);
			return kernel_error(&err, "cannot list sessions");
		}
	}
	if (opt.json)
		json_end_array(&st.j);
	return EXIT_OK;
}

/*
 * session { up | down } PWNAME: ask ol2tpd, which owns the session.
 * session down PWNAME tunnel_id ID session_id ID: one call of it (one
 * road warrior of a dial-in pseudowire, say).
 */
static int session_updown(const char *how, int argc, char **argv)
{
	char cmd[128], *answer;
	struct session_args a;
	int rc;

	if (argc < 1) {
		errmsg("session %s: the pseudowire name is required", how);
		return EXIT_USAGE;
	}
	if (parse_daemon_name("pseudowire", argv[0]) < 0)
		return EXIT_USAGE;
	if (argc > 1 && !strcmp(how, "up")) {
		errmsg("session up: one pseudowire name, then nothing (\"%s\")",
		       argv[1]);
		return EXIT_USAGE;
	}
	if (argc > 1) {
		if (kw_parse(&table, argc - 1, argv + 1, &a) < 0 ||
		    kw_only(&table, a.seen, BIT(K_TID) | BIT(K_SID), "down") < 0 ||
		    kw_require(&table, a.seen, K_TID, "down", "") < 0 ||
		    kw_require(&table, a.seen, K_SID, "down", "") < 0)
			return EXIT_USAGE;
		snprintf(cmd, sizeof(cmd), "session down %s %" PRIu32 " %" PRIu32,
			 argv[0], a.s.conn_id, a.s.session_id);
	} else {
		snprintf(cmd, sizeof(cmd), "session %s %s", how, argv[0]);
	}
	rc = ctl_call(cmd, &answer);
	if (rc == EXIT_OK)
		free(answer);
	return rc;
}

static int dispatch(int argc, char **argv)
{
	static const struct subcmd cmds[] = {
		{ "show", session_show },
		{ "add", session_add },
		{ "delete", session_del },
		{ "list", session_show },
		{ "modify", session_modify },
		{ NULL, NULL },
	};

	/* Not abbreviated: "d" is delete. */
	if (argc > 0 && (!strcmp(argv[0], "up") || !strcmp(argv[0], "down")))
		return session_updown(argv[0], argc - 1, argv + 1);
	return run_subcmd("session", cmds, argc, argv);
}

int do_session(int argc, char **argv)
{
	return run_object(argc, argv, dispatch, usage_session);
}
