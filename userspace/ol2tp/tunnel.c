// SPDX-License-Identifier: GPL-2.0
/* ol2tp tunnel { add | del | modify | show } */
#include <inttypes.h>
#include <stddef.h>
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

/* The keywords, in the order of the table below: bit K of "seen". */
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

static int parse_version(void *args, const char *key, const char *val)
{
	struct tunnel_args *a = args;
	uint32_t u;

	if (parse_u32(key, val, &u))
		return -1;
	if (u != 2 && u != 3) {
		errmsg("invalid version \"%s\": expected 2 or 3", val);
		return -1;
	}
	a->t.proto_version = u;
	return 0;
}

static const char *const encaps[] = { "udp", "ip", NULL };
static const uint16_t encap_types[] = {
	OL2TP_ENCAPTYPE_UDP, OL2TP_ENCAPTYPE_IP,
};

static int parse_fd(void *args, const char *key, const char *val)
{
	struct tunnel_args *a = args;

	if (parse_u32(key, val, &a->t.fd))
		return -1;
	if (a->t.fd > INT32_MAX) {
		errmsg("invalid fd \"%s\"", val);
		return -1;
	}
	return 0;
}

#define T(f) offsetof(struct tunnel_args, t.f)
#define A(f) offsetof(struct tunnel_args, f)

static const struct kw keywords[] = {
	[K_TID] = { "tunnel_id", "tid", KW_ID, T(conn_id) },
	[K_PTID] = { "peer_tunnel_id", "ptid", KW_ID, T(peer_conn_id) },
	[K_VERSION] = { "version", .kind = KW_FN, .fn = parse_version },
	[K_ENCAP] = { "encap", .kind = KW_CHOICE16, .off = T(encap_type),
		      .choices = encaps, .values = encap_types,
		      .expect = "udp or ip" },
	[K_LOCAL] = { "local", NULL, KW_ADDR_ANY, T(local) },
	[K_REMOTE] = { "remote", NULL, KW_ADDR, T(remote) },
	[K_SPORT] = { "udp_sport", "sport", KW_PORT, T(udp_sport) },
	[K_DPORT] = { "udp_dport", "dport", KW_PORT, T(udp_dport) },
	[K_CSUM] = { "udp_csum", NULL, KW_ON_OFF, A(csum) },
	[K_CSUM6_TX] = { "udp6_csum_tx", NULL, KW_ON_OFF, A(csum6_tx) },
	[K_CSUM6_RX] = { "udp6_csum_rx", NULL, KW_ON_OFF, A(csum6_rx) },
	[K_FD] = { "fd", .kind = KW_FN, .fn = parse_fd },
	[K_DEBUG] = { "debug", NULL, KW_U32, T(debug) },
};

static const struct kw_table table = {
	"tunnel", keywords, sizeof(keywords) / sizeof(keywords[0]),
	sizeof(struct tunnel_args), offsetof(struct tunnel_args, seen),
};

static int check_add(struct tunnel_args *a)
{
	struct ol2tp_nl_tunnel *t = &a->t;
	bool udp, managed = seen(a, K_FD);
	int family;

	if (kw_require(&table, a->seen, K_TID, "add", "") ||
	    kw_require(&table, a->seen, K_PTID, "add", ""))
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
		if (kw_only(&table, a->seen,
			    BIT(K_TID) | BIT(K_PTID) | BIT(K_VERSION) |
			    BIT(K_ENCAP) | BIT(K_FD) | BIT(K_DEBUG),
			    "add") < 0) {
			errmsg("(a managed tunnel takes its addresses, ports and checksum settings from the socket given by fd)");
			return -1;
		}
		ol2tp_nl_set(t, OL2TP_ATTR_FD);
		return 0;
	}

	if (kw_require(&table, a->seen, K_REMOTE, "add",
		    " (or fd for a managed tunnel)") ||
	    kw_require(&table, a->seen, K_LOCAL, "add",
		    " (or fd for a managed tunnel)"))
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
		return kw_only(&table, a->seen,
			       ~(BIT(K_SPORT) | BIT(K_DPORT) | BIT(K_CSUM) |
				 BIT(K_CSUM6_TX) | BIT(K_CSUM6_RX)),
			       "add (encap ip)");
	}
	if (kw_require(&table, a->seen, K_SPORT, "add", " with encap udp") ||
	    kw_require(&table, a->seen, K_DPORT, "add", " with encap udp"))
		return -1;
	ol2tp_nl_set(t, OL2TP_ATTR_UDP_SPORT);
	ol2tp_nl_set(t, OL2TP_ATTR_UDP_DPORT);
	if (family == AF_INET) {
		if (kw_only(&table, a->seen,
			    ~(BIT(K_CSUM6_TX) | BIT(K_CSUM6_RX)),
			    "add (IPv4)") < 0)
			return -1;
		/* Linux reads UDP_CSUM as a flag: send it only for "on". */
		if (a->csum) {
			t->udp_csum = 1;
			ol2tp_nl_set(t, OL2TP_ATTR_UDP_CSUM);
		}
		return 0;
	}
	if (kw_only(&table, a->seen, ~BIT(K_CSUM), "add (IPv6)") < 0)
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

	if (kw_parse(&table, argc, argv, &a) < 0 || check_add(&a) < 0)
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

	if (kw_parse(&table, argc, argv, &a) < 0 ||
	    kw_only(&table, a.seen, BIT(K_TID), "del") < 0 ||
	    kw_require(&table, a.seen, K_TID, "del", ""))
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

	if (kw_parse(&table, argc, argv, &a) < 0 ||
	    kw_only(&table, a.seen, BIT(K_TID) | BIT(K_DEBUG), "modify") < 0 ||
	    kw_require(&table, a.seen, K_TID, "modify", ""))
		return EXIT_USAGE;
	if (!seen(&a, K_DEBUG)) {
		errmsg("tunnel modify: nothing to change (debug MASK)");
		return EXIT_USAGE;
	}
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

	if (kw_parse(&table, argc, argv, &a) < 0 ||
	    kw_only(&table, a.seen, BIT(K_TID), "show") < 0)
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
