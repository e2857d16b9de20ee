// SPDX-License-Identifier: GPL-2.0
/* ol2tp tunnel { add | del | modify | show } */
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include "ol2tp.h"

void usage_tunnel(FILE *f)
{
	fprintf(f,
		"Usage: ol2tp tunnel add tunnel_id ID peer_tunnel_id ID\n"
		"          [ version { 2 | 3 } ] [ encap { ip | udp } ]\n"
		"          { remote ADDR local ADDR | fd FD }\n"
		"          [ udp_sport PORT ] [ udp_dport PORT ]\n"
		"          [ udp_csum { on | off } ]\n"
		"          [ udp6_csum_tx { on | off } ]\n"
		"          [ udp6_csum_rx { on | off } ]\n"
		"          [ debug MASK ]\n"
		"       ol2tp tunnel del tunnel_id ID\n"
		"       ol2tp tunnel modify tunnel_id ID debug MASK\n"
		"       ol2tp tunnel show [ tunnel_id ID ]\n"
		"\n"
		"Where: ID   := { 1..4294967295 } (1..65535 for version 2)\n"
		"       ADDR := { IPv4 or IPv6 address } (local may be any)\n"
		"       PORT := { 0..65535 }\n"
		"       FD   := an open, bound and connected UDP or L2TP/IP\n"
		"               socket of this process (managed tunnel)\n"
		"Defaults: version 3, encap udp, udp_csum off,\n"
		"          udp6_csum_tx on, udp6_csum_rx on.\n");
}

/* Keywords, for the "given twice" check. */
enum {
	K_TID, K_PTID, K_VERSION, K_ENCAP, K_LOCAL, K_REMOTE, K_SPORT,
	K_DPORT, K_CSUM, K_CSUM6_TX, K_CSUM6_RX, K_FD, K_DEBUG,
};

struct tunnel_args {
	struct ol2tp_nl_tunnel t;
	uint64_t seen;
	bool csum, csum6_tx, csum6_rx;
};

static bool seen(const struct tunnel_args *a, int k)
{
	return a->seen & BIT(k);
}

static const char *const encaps[] = { "udp", "ip", NULL };

/* Parse the keywords of add/modify/del/show into @a; -1 on a usage error. */
static int parse_tunnel(int argc, char **argv, struct tunnel_args *a)
{
	struct kv_iter it = { argc, argv, 0, false };
	struct ol2tp_nl_tunnel *t = &a->t;
	const char *key, *val;
	uint32_t u;
	int k;

	memset(a, 0, sizeof(*a));
	while ((key = next_kv(&it, &val))) {
		if (!strcmp(key, "tunnel_id") || !strcmp(key, "tid")) {
			if (once(&a->seen, K_TID, "tunnel_id") ||
			    parse_id(key, val, &t->conn_id))
				return -1;
		} else if (!strcmp(key, "peer_tunnel_id") ||
			   !strcmp(key, "ptid")) {
			if (once(&a->seen, K_PTID, "peer_tunnel_id") ||
			    parse_id(key, val, &t->peer_conn_id))
				return -1;
		} else if (!strcmp(key, "version")) {
			if (once(&a->seen, K_VERSION, key) ||
			    parse_u32(key, val, &u))
				return -1;
			if (u != 2 && u != 3) {
				errmsg("invalid version \"%s\": expected 2 or 3",
				       val);
				return -1;
			}
			t->proto_version = u;
		} else if (!strcmp(key, "encap")) {
			if (once(&a->seen, K_ENCAP, key))
				return -1;
			k = parse_choice(key, val, encaps, "udp or ip");
			if (k < 0)
				return -1;
			t->encap_type = k ? OL2TP_ENCAPTYPE_IP :
					    OL2TP_ENCAPTYPE_UDP;
		} else if (!strcmp(key, "local")) {
			if (once(&a->seen, K_LOCAL, key) ||
			    parse_addr(key, val, &t->local, true))
				return -1;
		} else if (!strcmp(key, "remote")) {
			if (once(&a->seen, K_REMOTE, key) ||
			    parse_addr(key, val, &t->remote, false))
				return -1;
		} else if (!strcmp(key, "udp_sport") || !strcmp(key, "sport")) {
			if (once(&a->seen, K_SPORT, "udp_sport") ||
			    parse_port(key, val, &t->udp_sport))
				return -1;
		} else if (!strcmp(key, "udp_dport") || !strcmp(key, "dport")) {
			if (once(&a->seen, K_DPORT, "udp_dport") ||
			    parse_port(key, val, &t->udp_dport))
				return -1;
		} else if (!strcmp(key, "udp_csum")) {
			if (once(&a->seen, K_CSUM, key) ||
			    parse_on_off(key, val, &a->csum))
				return -1;
		} else if (!strcmp(key, "udp6_csum_tx")) {
			if (once(&a->seen, K_CSUM6_TX, key) ||
			    parse_on_off(key, val, &a->csum6_tx))
				return -1;
		} else if (!strcmp(key, "udp6_csum_rx")) {
			if (once(&a->seen, K_CSUM6_RX, key) ||
			    parse_on_off(key, val, &a->csum6_rx))
				return -1;
		} else if (!strcmp(key, "fd")) {
			if (once(&a->seen, K_FD, key) ||
			    parse_u32(key, val, &t->fd))
				return -1;
			if (t->fd > INT32_MAX) {
				errmsg("invalid fd \"%s\"", val);
				return -1;
			}
		} else if (!strcmp(key, "debug")) {
			if (once(&a->seen, K_DEBUG, key) ||
			    parse_u32(key, val, &t->debug))
				return -1;
		} else {
			errmsg("unknown keyword \"%s\"", key);
			return -1;
		}
	}
	if (it.bad)
		return -1;
	if (it.i < argc) {
		errmsg("keyword \"%s\" needs a value", argv[it.i]);
		return -1;
	}
	return 0;
}

/* Only the keywords in ALLOWED (bitmap of K_*) may appear. */
static int only(const struct tunnel_args *a, uint64_t allowed,
		const char *cmd)
{
	static const char *const names[] = {
		[K_TID] = "tunnel_id", [K_PTID] = "peer_tunnel_id",
		[K_VERSION] = "version", [K_ENCAP] = "encap",
		[K_LOCAL] = "local", [K_REMOTE] = "remote",
		[K_SPORT] = "udp_sport", [K_DPORT] = "udp_dport",
		[K_CSUM] = "udp_csum", [K_CSUM6_TX] = "udp6_csum_tx",
		[K_CSUM6_RX] = "udp6_csum_rx", [K_FD] = "fd",
		[K_DEBUG] = "debug",
	};

	return only_keywords(a->seen, allowed, names,
			     sizeof(names) / sizeof(names[0]), "tunnel", cmd);
}

static int require(const struct tunnel_args *a, int k, const char *what)
{
	if (seen(a, k))
		return 0;
	errmsg("%s", what);
	return -1;
}

static int check_add(struct tunnel_args *a)
{
	struct ol2tp_nl_tunnel *t = &a->t;
	bool udp, managed = seen(a, K_FD);
	int family;

	if (require(a, K_TID, "tunnel add: tunnel_id is required") ||
	    require(a, K_PTID, "tunnel add: peer_tunnel_id is required"))
		return -1;
	ol2tp_nl_set(t, OL2TP_ATTR_CONN_ID);
	ol2tp_nl_set(t, OL2TP_ATTR_PEER_CONN_ID);
	if (!seen(a, K_VERSION))
		t->proto_version = 3;
	ol2tp_nl_set(t, OL2TP_ATTR_PROTO_VERSION);
	ol2tp_nl_set(t, OL2TP_ATTR_ENCAP_TYPE);
	udp = t->encap_type == OL2TP_ENCAPTYPE_UDP;
	if (seen(a, K_DEBUG))
		ol2tp_nl_set(t, OL2TP_ATTR_DEBUG);

	if (t->proto_version == 2) {
		if (!udp) {
			errmsg("tunnel add: L2TPv2 runs over UDP only (RFC 2661); drop \"encap ip\"");
			return -1;
		}
		if (t->conn_id > UINT16_MAX || t->peer_conn_id > UINT16_MAX) {
			errmsg("tunnel add: L2TPv2 tunnel ids are 16 bits: tunnel_id and peer_tunnel_id must be 1..65535");
			return -1;
		}
	}

	if (managed) {
		if (only(a, BIT(K_TID) | BIT(K_PTID) | BIT(K_VERSION) |
			    BIT(K_ENCAP) | BIT(K_FD) | BIT(K_DEBUG), "add") < 0) {
			errmsg("(a managed tunnel takes its addresses, ports and checksum settings from the socket given by fd)");
			return -1;
		}
		ol2tp_nl_set(t, OL2TP_ATTR_FD);
		return 0;
	}

	if (require(a, K_REMOTE,
		    "tunnel add: remote is required (or fd for a managed tunnel)") ||
	    require(a, K_LOCAL,
		    "tunnel add: local is required (or fd for a managed tunnel)"))
		return -1;
	family = t->remote.family;
	if (t->local.family == AF_UNSPEC) {	/* local any */
		t->local.family = family;
	} else if (t->local.family != family) {
		errmsg("tunnel add: local and remote must be of the same address family");
		return -1;
	}
	ol2tp_nl_set(t, family == AF_INET ? OL2TP_ATTR_IP_SADDR :
					 OL2TP_ATTR_IP6_SADDR);
	ol2tp_nl_set(t, family == AF_INET ? OL2TP_ATTR_IP_DADDR :
					 OL2TP_ATTR_IP6_DADDR);

	if (!udp) {
		return only(a, ~(BIT(K_SPORT) | BIT(K_DPORT) | BIT(K_CSUM) |
				 BIT(K_CSUM6_TX) | BIT(K_CSUM6_RX)),
			    "add (encap ip)");
	}
	if (require(a, K_SPORT, "tunnel add: udp_sport is required with encap udp") ||
	    require(a, K_DPORT, "tunnel add: udp_dport is required with encap udp"))
		return -1;
	ol2tp_nl_set(t, OL2TP_ATTR_UDP_SPORT);
	ol2tp_nl_set(t, OL2TP_ATTR_UDP_DPORT);
	if (family == AF_INET) {
		if (only(a, ~(BIT(K_CSUM6_TX) | BIT(K_CSUM6_RX)),
			 "add (IPv4)") < 0)
			return -1;
		/* Linux reads UDP_CSUM as a flag: send it only for "on". */
		if (a->csum) {
			t->udp_csum = 1;
			ol2tp_nl_set(t, OL2TP_ATTR_UDP_CSUM);
		}
		return 0;
	}
	if (only(a, ~BIT(K_CSUM), "add (IPv6)") < 0)
		return -1;
	if (seen(a, K_CSUM6_TX) && !a->csum6_tx) {
		t->udp_zero_csum6_tx = true;
		ol2tp_nl_set(t, OL2TP_ATTR_UDP_ZERO_CSUM6_TX);
	}
	if (seen(a, K_CSUM6_RX) && !a->csum6_rx) {
		t->udp_zero_csum6_rx = true;
		ol2tp_nl_set(t, OL2TP_ATTR_UDP_ZERO_CSUM6_RX);
	}
	return 0;
}

static int tunnel_add(int argc, char **argv)
{
	struct tunnel_args a;
	struct ol2tp_nl_err err;

	if (parse_tunnel(argc, argv, &a) < 0 || check_add(&a) < 0)
		return EXIT_USAGE;
	if (ol2tp_nl_tunnel_create(nl(), &a.t, &err) < 0)
		return kernel_error(&err, "cannot add tunnel %" PRIu32,
				    a.t.conn_id);
	kernel_warning(&err);
	return EXIT_OK;
}

static int tunnel_del(int argc, char **argv)
{
	struct tunnel_args a;
	struct ol2tp_nl_err err;

	if (parse_tunnel(argc, argv, &a) < 0 ||
	    only(&a, BIT(K_TID), "del") < 0 ||
	    require(&a, K_TID, "tunnel del: tunnel_id is required"))
		return EXIT_USAGE;
	if (ol2tp_nl_tunnel_delete(nl(), a.t.conn_id, &err) < 0)
		return kernel_error(&err, "cannot delete tunnel %" PRIu32,
				    a.t.conn_id);
	kernel_warning(&err);
	return EXIT_OK;
}

static int tunnel_modify(int argc, char **argv)
{
	struct tunnel_args a;
	struct ol2tp_nl_err err;

	if (parse_tunnel(argc, argv, &a) < 0 ||
	    only(&a, BIT(K_TID) | BIT(K_DEBUG), "modify") < 0 ||
	    require(&a, K_TID, "tunnel modify: tunnel_id is required") ||
	    require(&a, K_DEBUG, "tunnel modify: nothing to change (debug MASK)"))
		return EXIT_USAGE;
	ol2tp_nl_set(&a.t, OL2TP_ATTR_CONN_ID);
	ol2tp_nl_set(&a.t, OL2TP_ATTR_DEBUG);
	if (ol2tp_nl_tunnel_modify(nl(), &a.t, &err) < 0)
		return kernel_error(&err, "cannot modify tunnel %" PRIu32,
				    a.t.conn_id);
	kernel_warning(&err);
	return EXIT_OK;
}

struct show_state {
	struct json j;
	unsigned long count;
};

static int show_one(const struct ol2tp_nl_tunnel *t, void *arg)
{
	struct show_state *st = arg;

	if (opt.json)
		tunnel_json(&st->j, t);
	else if (opt.oneline)
		tunnel_oneline(stdout, t);
	else
		tunnel_text(stdout, t);
	st->count++;
	return 0;
}

static int tunnel_show(int argc, char **argv)
{
	struct tunnel_args a;
	struct show_state st = { .j = { .f = stdout, .pretty = opt.pretty } };
	struct ol2tp_nl_tunnel t;
	struct ol2tp_nl_err err;
	int rc;

	if (parse_tunnel(argc, argv, &a) < 0 ||
	    only(&a, BIT(K_TID), "show") < 0)
		return EXIT_USAGE;
	if (seen(&a, K_TID)) {
		rc = ol2tp_nl_tunnel_get(nl(), a.t.conn_id, &t, &err);
		if (rc < 0)
			return kernel_error(&err, "cannot show tunnel %" PRIu32,
					    a.t.conn_id);
	}
	if (opt.json)
		json_begin_array(&st.j, NULL);
	if (seen(&a, K_TID)) {
		show_one(&t, &st);
	} else {
		rc = ol2tp_nl_tunnel_dump(nl(), show_one, &st, &err);
		if (rc < 0) {
			if (opt.json)
				json_end_array(&st.j);
			return kernel_error(&err, "cannot list tunnels");
		}
	}
	if (opt.json)
		json_end_array(&st.j);
	return EXIT_OK;
}

static int dispatch(int argc, char **argv)
{
	static const struct subcmd cmds[] = {
		{ "show", tunnel_show },
		{ "add", tunnel_add },
		{ "delete", tunnel_del },
		{ "list", tunnel_show },
		{ "modify", tunnel_modify },
		{ NULL, NULL },
	};

	return run_subcmd("tunnel", cmds, argc, argv);
}

int do_tunnel(int argc, char **argv)
{
	return run_object(argc, argv, dispatch, usage_tunnel);
}
