// SPDX-License-Identifier: GPL-2.0
/*
 * How tunnels and sessions are printed: ip-l2tp-style text, one-line
 * keyword form (-o, monitor), and JSON (-j) with the keys documented in
 * ol2tp(8).  Every attribute the kernel returned is shown.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include "ol2tp.h"

const char *encap_name(unsigned int encap)
{
	switch (encap) {
	case OL2TP_ENCAPTYPE_UDP:
		return "udp";
	case OL2TP_ENCAPTYPE_IP:
		return "ip";
	}
	return NULL;
}

const char *pw_name(unsigned int pw)
{
	switch (pw) {
	case OL2TP_PWTYPE_NONE:
		return "none";
	case OL2TP_PWTYPE_ETH_VLAN:
		return "eth_vlan";
	case OL2TP_PWTYPE_ETH:
		return "eth";
	case OL2TP_PWTYPE_PPP:
		return "ppp";
	case OL2TP_PWTYPE_PPP_AC:
		return "ppp_ac";
	case OL2TP_PWTYPE_IP:
		return "ip";
	}
	return NULL;
}

const char *l2spec_name(unsigned int l2spec)
{
	switch (l2spec) {
	case OL2TP_L2SPECTYPE_NONE:
		return "none";
	case OL2TP_L2SPECTYPE_DEFAULT:
		return "default";
	}
	return NULL;
}

const char *seq_name(bool send, bool recv)
{
	if (send && recv)
		return "both";
	if (send)
		return "send";
	if (recv)
		return "recv";
	return "none";
}

void addr_str(const struct ol2tp_nl_addr *a, char *buf, size_t len)
{
	if (a->family == AF_INET)
		inet_ntop(AF_INET, &a->v4, buf, len);
	else if (a->family == AF_INET6)
		inet_ntop(AF_INET6, &a->v6, buf, len);
	else
		snprintf(buf, len, "any");
}

void hex_str(const uint8_t *buf, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", buf[i]);
	out[2 * n] = '\0';
}

/* --- JSON ---------------------------------------------------------------- */

static void json_escaped(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_key(struct json *j, const char *key)
{
	if (j->need_comma)
		fputc(',', j->f);
	if (j->pretty && j->depth) {
		fputc('\n', j->f);
		fprintf(j->f, "%*s", 4 * j->depth, "");
	}
	if (key) {
		json_escaped(j->f, key);
		fputs(j->pretty ? ": " : ":", j->f);
	}
	j->need_comma = true;
}

static void json_open(struct json *j, const char *key, char c)
{
	json_key(j, key);
	fputc(c, j->f);
	j->depth++;
	j->need_comma = false;
}

static void json_close(struct json *j, char c)
{
	j->depth--;
	if (j->pretty && j->need_comma) {
		fputc('\n', j->f);
		fprintf(j->f, "%*s", 4 * j->depth, "");
	}
	fputc(c, j->f);
	j->need_comma = true;
	if (!j->depth) {
		fputc('\n', j->f);
		j->need_comma = false;
	}
}

void json_begin_array(struct json *j, const char *key)
{
	json_open(j, key, '[');
}

void json_end_array(struct json *j)
{
	json_close(j, ']');
}

void json_begin_object(struct json *j, const char *key)
{
	json_open(j, key, '{');
}

void json_end_object(struct json *j)
{
	json_close(j, '}');
}

void json_str(struct json *j, const char *key, const char *val)
{
	json_key(j, key);
	json_escaped(j->f, val);
}

void json_uint(struct json *j, const char *key, uint64_t val)
{
	json_key(j, key);
	fprintf(j->f, "%" PRIu64, val);
}

void json_bool(struct json *j, const char *key, bool val)
{
	json_key(j, key);
	fputs(val ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
	json_key(j, key);
	fputs("null", j->f);
}

/* A name when we know the value, else the number. */
static void json_enum(struct json *j, const char *key, const char *name,
		      unsigned int val)
{
	if (name)
		json_str(j, key, name);
	else
		json_uint(j, key, val);
}

void stats_json(struct json *j, const struct ol2tp_nl_stats *st)
{
	int i;

	json_begin_object(j, "stats");
	for (i = 1; i <= OL2TP_ATTR_STATS_MAX; i++)
		if (st->has & OL2TP_BIT(i) && ol2tp_stat_name(i))
			json_uint(j, ol2tp_stat_name(i), st->v[i]);
	json_end_object(j);
}

static bool udp6(const struct ol2tp_nl_tunnel *t)
{
	return ol2tp_nl_has(t, OL2TP_ATTR_ENCAP_TYPE) &&
	       t->encap_type == OL2TP_ENCAPTYPE_UDP &&
	       t->local.family == AF_INET6;
}

void tunnel_json(struct json *j, const struct ol2tp_nl_tunnel *t)
{
	json_begin_object(j, NULL);
	tunnel_json_fields(j, t);
	json_end_object(j);
}

void tunnel_json_fields(struct json *j, const struct ol2tp_nl_tunnel *t)
{
	char buf[INET6_ADDRSTRLEN];

	if (ol2tp_nl_has(t, OL2TP_ATTR_CONN_ID))
		json_uint(j, "tunnel_id", t->conn_id);
	if (ol2tp_nl_has(t, OL2TP_ATTR_PEER_CONN_ID))
		json_uint(j, "peer_tunnel_id", t->peer_conn_id);
	if (ol2tp_nl_has(t, OL2TP_ATTR_PROTO_VERSION))
		json_uint(j, "version", t->proto_version);
	if (ol2tp_nl_has(t, OL2TP_ATTR_ENCAP_TYPE))
		json_enum(j, "encap", encap_name(t->encap_type),
			  t->encap_type);
	if (t->local.family) {
		addr_str(&t->local, buf, sizeof(buf));
		json_str(j, "local", buf);
	}
	if (t->remote.family) {
		addr_str(&t->remote, buf, sizeof(buf));
		json_str(j, "remote", buf);
	}
	if (ol2tp_nl_has(t, OL2TP_ATTR_UDP_SPORT))
		json_uint(j, "udp_sport", t->udp_sport);
	if (ol2tp_nl_has(t, OL2TP_ATTR_UDP_DPORT))
		json_uint(j, "udp_dport", t->udp_dport);
	if (ol2tp_nl_has(t, OL2TP_ATTR_UDP_CSUM))
		json_bool(j, "udp_csum", t->udp_csum);
	if (udp6(t)) {
		json_bool(j, "udp6_csum_tx", !t->udp_zero_csum6_tx);
		json_bool(j, "udp6_csum_rx", !t->udp_zero_csum6_rx);
	}
	if (ol2tp_nl_has(t, OL2TP_ATTR_DEBUG))
		json_uint(j, "debug", t->debug);
	json_bool(j, "using_ipsec", t->using_ipsec);
	if (opt.stats && ol2tp_nl_has(t, OL2TP_ATTR_STATS))
		stats_json(j, &t->stats);
}

/* --- text ---------------------------------------------------------------- */

static void stats_line(FILE *f, const char *label,
		       const struct ol2tp_nl_stats *st,
		       const int *which)
{
	bool any = false;
	int i;

	for (i = 0; which[i]; i++) {
		const char *name = ol2tp_stat_name(which[i]);

		if (!(st->has & OL2TP_BIT(which[i])))
			continue;
		if (!any)
			fprintf(f, "    %s:", label);
		any = true;
		/* "rx_packets" prints as "packets" on the RX line */
		fprintf(f, " %s %" PRIu64, name + 3, st->v[which[i]]);
	}
	if (any)
		fputc('\n', f);
}

void stats_text(FILE *f, const struct ol2tp_nl_stats *st)
{
	static const int rx[] = {
		OL2TP_ATTR_RX_PACKETS, OL2TP_ATTR_RX_BYTES,
		OL2TP_ATTR_RX_ERRORS, OL2TP_ATTR_RX_SEQ_DISCARDS,
		OL2TP_ATTR_RX_OOS_PACKETS, OL2TP_ATTR_RX_COOKIE_DISCARDS,
		OL2TP_ATTR_RX_INVALID, 0
	};
	static const int tx[] = {
		OL2TP_ATTR_TX_PACKETS, OL2TP_ATTR_TX_BYTES,
		OL2TP_ATTR_TX_ERRORS, 0
	};

	stats_line(f, "RX", st, rx);
	stats_line(f, "TX", st, tx);
}

void tunnel_text(FILE *f, const struct ol2tp_nl_tunnel *t)
{
	char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN];
	const char *encap = encap_name(t->encap_type);

	fprintf(f, "Tunnel %" PRIu32, t->conn_id);
	if (ol2tp_nl_has(t, OL2TP_ATTR_ENCAP_TYPE)) {
		if (encap)
			fprintf(f, ", encap %s", t->encap_type ==
				OL2TP_ENCAPTYPE_UDP ? "UDP" : "IP");
		else
			fprintf(f, ", encap %u", t->encap_type);
	}
	if (ol2tp_nl_has(t, OL2TP_ATTR_PROTO_VERSION))
		fprintf(f, ", version %u", t->proto_version);
	fputc('\n', f);
	if (t->local.family || t->remote.family) {
		addr_str(&t->local, l, sizeof(l));
		addr_str(&t->remote, r, sizeof(r));
		fprintf(f, "  From %s to %s\n", l, r);
	}
	if (ol2tp_nl_has(t, OL2TP_ATTR_PEER_CONN_ID))
		fprintf(f, "  Peer tunnel %" PRIu32 "\n", t->peer_conn_id);
	if (ol2tp_nl_has(t, OL2TP_ATTR_UDP_SPORT) ||
	    ol2tp_nl_has(t, OL2TP_ATTR_UDP_DPORT))
		fprintf(f, "  UDP source / dest ports: %u/%u\n", t->udp_sport,
			t->udp_dport);
	if (ol2tp_nl_has(t, OL2TP_ATTR_UDP_CSUM))
		fprintf(f, "  UDP checksum: %s\n",
			t->udp_csum ? "enabled" : "disabled");
	if (udp6(t))
		fprintf(f, "  UDP checksum over IPv6: tx %s, rx %s\n",
			t->udp_zero_csum6_tx ? "off" : "on",
			t->udp_zero_csum6_rx ? "off" : "on");
	if (ol2tp_nl_has(t, OL2TP_ATTR_DEBUG))
		fprintf(f, "  debug 0x%" PRIx32 "\n", t->debug);
	if (t->using_ipsec)
		fprintf(f, "  using IPsec\n");
	if (opt.stats && ol2tp_nl_has(t, OL2TP_ATTR_STATS))
		stats_text(f, &t->stats);
}

void tunnel_oneline(FILE *f, const struct ol2tp_nl_tunnel *t)
{
	char buf[INET6_ADDRSTRLEN];
	int i;

	fprintf(f, "tunnel_id %" PRIu32, t->conn_id);
	if (ol2tp_nl_has(t, OL2TP_ATTR_PEER_CONN_ID))
		fprintf(f, " peer_tunnel_id %" PRIu32, t->peer_conn_id);
	if (ol2tp_nl_has(t, OL2TP_ATTR_PROTO_VERSION))
		fprintf(f, " version %u", t->proto_version);
	if (ol2tp_nl_has(t, OL2TP_ATTR_ENCAP_TYPE)) {
		if (encap_name(t->encap_type))
			fprintf(f, " encap %s", encap_name(t->encap_type));
		else
			fprintf(f, " encap %u", t->encap_type);
	}
	if (t->local.family) {
		addr_str(&t->local, buf, sizeof(buf));
		fprintf(f, " local %s", buf);
	}
	if (t->remote.family) {
		addr_str(&t->remote, buf, sizeof(buf));
		fprintf(f, " remote %s", buf);
	}
	if (ol2tp_nl_has(t, OL2TP_ATTR_UDP_SPORT))
		fprintf(f, " udp_sport %u", t->udp_sport);
	if (ol2tp_nl_has(t, OL2TP_ATTR_UDP_DPORT))
		fprintf(f, " udp_dport %u", t->udp_dport);
	if (ol2tp_nl_has(t, OL2TP_ATTR_UDP_CSUM))
		fprintf(f, " udp_csum %s", t->udp_csum ? "on" : "off");
	if (udp6(t))
		fprintf(f, " udp6_csum_tx %s udp6_csum_rx %s",
			t->udp_zero_csum6_tx ? "off" : "on",
			t->udp_zero_csum6_rx ? "off" : "on");
	if (ol2tp_nl_has(t, OL2TP_ATTR_DEBUG))
		fprintf(f, " debug 0x%" PRIx32, t->debug);
	if (t->using_ipsec)
		fprintf(f, " using_ipsec");
	if (opt.stats && ol2tp_nl_has(t, OL2TP_ATTR_STATS))
		for (i = 1; i <= OL2TP_ATTR_STATS_MAX; i++)
			if (t->stats.has & OL2TP_BIT(i) && ol2tp_stat_name(i))
				fprintf(f, " %s %" PRIu64, ol2tp_stat_name(i),
					t->stats.v[i]);
	fputc('\n', f);
}

/* --- sessions -------------------------------------------------------------- */

static bool has_seq(const struct ol2tp_nl_session *s)
{
	return ol2tp_nl_has(s, OL2TP_ATTR_SEND_SEQ) ||
	       ol2tp_nl_has(s, OL2TP_ATTR_RECV_SEQ);
}

/* The MTU to show: the pseudowire netdev's, else what the kernel said. */
static int session_mtu(const struct ol2tp_nl_session *s)
{
	int mtu = 0;

	if (ol2tp_nl_has(s, OL2TP_ATTR_IFNAME))
		mtu = netdev_mtu(s->ifname);
	if (!mtu && ol2tp_nl_has(s, OL2TP_ATTR_MTU))
		mtu = s->mtu;
	return mtu;
}

void session_json(struct json *j, const struct ol2tp_nl_session *s)
{
	json_begin_object(j, NULL);
	session_json_fields(j, s);
	json_end_object(j);
}

void session_json_fields(struct json *j, const struct ol2tp_nl_session *s)
{
	char hex[2 * OL2TP_COOKIE_MAX + 1];
	int mtu = session_mtu(s);

	if (ol2tp_nl_has(s, OL2TP_ATTR_CONN_ID))
		json_uint(j, "tunnel_id", s->conn_id);
	if (ol2tp_nl_has(s, OL2TP_ATTR_SESSION_ID))
		json_uint(j, "session_id", s->session_id);
	if (ol2tp_nl_has(s, OL2TP_ATTR_PEER_CONN_ID))
		json_uint(j, "peer_tunnel_id", s->peer_conn_id);
	if (ol2tp_nl_has(s, OL2TP_ATTR_PEER_SESSION_ID))
		json_uint(j, "peer_session_id", s->peer_session_id);
	if (ol2tp_nl_has(s, OL2TP_ATTR_PW_TYPE))
		json_enum(j, "pw", pw_name(s->pw_type), s->pw_type);
	if (ol2tp_nl_has(s, OL2TP_ATTR_IFNAME))
		json_str(j, "name", s->ifname);
	if (ol2tp_nl_has(s, OL2TP_ATTR_COOKIE)) {
		hex_str(s->cookie, s->cookie_len, hex);
		json_str(j, "cookie", hex);
	}
	if (ol2tp_nl_has(s, OL2TP_ATTR_PEER_COOKIE)) {
		hex_str(s->peer_cookie, s->peer_cookie_len, hex);
		json_str(j, "peer_cookie", hex);
	}
	if (ol2tp_nl_has(s, OL2TP_ATTR_L2SPEC_TYPE))
		json_enum(j, "l2spec_type", l2spec_name(s->l2spec_type),
			  s->l2spec_type);
	if (ol2tp_nl_has(s, OL2TP_ATTR_L2SPEC_LEN))
		json_uint(j, "l2spec_len", s->l2spec_len);
	if (has_seq(s))
		json_str(j, "seq", seq_name(s->send_seq, s->recv_seq));
	if (ol2tp_nl_has(s, OL2TP_ATTR_LNS_MODE))
		json_bool(j, "lns_mode", s->lns_mode);
	if (ol2tp_nl_has(s, OL2TP_ATTR_RECV_TIMEOUT))
		json_uint(j, "reorder_timeout", s->recv_timeout);
	if (ol2tp_nl_has(s, OL2TP_ATTR_DEBUG))
		json_uint(j, "debug", s->debug);
	if (mtu)
		json_uint(j, "mtu", mtu);
	if (ol2tp_nl_has(s, OL2TP_ATTR_MRU))
		json_uint(j, "mru", s->mru);
	json_bool(j, "using_ipsec", s->using_ipsec);
	if (opt.stats && ol2tp_nl_has(s, OL2TP_ATTR_STATS))
		stats_json(j, &s->stats);
}

void session_text(FILE *f, const struct ol2tp_nl_session *s)
{
	char hex[2 * OL2TP_COOKIE_MAX + 1];
	const char *sep = "  ";
	int mtu = session_mtu(s);

	fprintf(f, "Session %" PRIu32 " in tunnel %" PRIu32 "\n",
		s->session_id, s->conn_id);
	fprintf(f, "  Peer session %" PRIu32 ", tunnel %" PRIu32 "\n",
		s->peer_session_id, s->peer_conn_id);
	if (ol2tp_nl_has(s, OL2TP_ATTR_IFNAME))
		fprintf(f, "  interface name: %s\n", s->ifname);
	if (ol2tp_nl_has(s, OL2TP_ATTR_PW_TYPE)) {
		if (pw_name(s->pw_type))
			fprintf(f, "  pw %s", pw_name(s->pw_type));
		else
			fprintf(f, "  pw %u", s->pw_type);
		sep = ", ";
	}
	if (ol2tp_nl_has(s, OL2TP_ATTR_L2SPEC_TYPE)) {
		if (l2spec_name(s->l2spec_type))
			fprintf(f, "%sl2spec_type %s", sep,
				l2spec_name(s->l2spec_type));
		else
			fprintf(f, "%sl2spec_type %u", sep, s->l2spec_type);
		sep = ", ";
	}
	if (ol2tp_nl_has(s, OL2TP_ATTR_L2SPEC_LEN)) {
		fprintf(f, "%sl2spec_len %u", sep, s->l2spec_len);
		sep = ", ";
	}
	if (mtu) {
		fprintf(f, "%smtu %d", sep, mtu);
		sep = ", ";
	}
	if (ol2tp_nl_has(s, OL2TP_ATTR_MRU)) {
		fprintf(f, "%smru %u", sep, s->mru);
		sep = ", ";
	}
	if (sep[0] == ',')
		fputc('\n', f);
	if (ol2tp_nl_has(s, OL2TP_ATTR_COOKIE) ||
	    ol2tp_nl_has(s, OL2TP_ATTR_PEER_COOKIE)) {
		hex_str(s->cookie, s->cookie_len, hex);
		fprintf(f, "  cookie %s", s->cookie_len ? hex : "none");
		hex_str(s->peer_cookie, s->peer_cookie_len, hex);
		fprintf(f, "  peer cookie %s\n",
			s->peer_cookie_len ? hex : "none");
	}
	sep = "  ";
	if (has_seq(s)) {
		fprintf(f, "  seq %s", seq_name(s->send_seq, s->recv_seq));
		sep = ", ";
	}
	if (ol2tp_nl_has(s, OL2TP_ATTR_LNS_MODE)) {
		fprintf(f, "%slns_mode %s", sep, s->lns_mode ? "on" : "off");
		sep = ", ";
	}
	if (ol2tp_nl_has(s, OL2TP_ATTR_RECV_TIMEOUT)) {
		fprintf(f, "%sreorder_timeout %" PRIu64 " ms", sep,
			s->recv_timeout);
		sep = ", ";
	}
	if (ol2tp_nl_has(s, OL2TP_ATTR_DEBUG)) {
		fprintf(f, "%sdebug 0x%" PRIx32, sep, s->debug);
		sep = ", ";
	}
	if (sep[0] == ',')
		fputc('\n', f);
	if (s->using_ipsec)
		fprintf(f, "  using IPsec\n");
	if (opt.stats && ol2tp_nl_has(s, OL2TP_ATTR_STATS))
		stats_text(f, &s->stats);
}

void session_oneline(FILE *f, const struct ol2tp_nl_session *s)
{
	char hex[2 * OL2TP_COOKIE_MAX + 1];
	int mtu = session_mtu(s), i;

	fprintf(f, "tunnel_id %" PRIu32 " session_id %" PRIu32, s->conn_id,
		s->session_id);
	if (ol2tp_nl_has(s, OL2TP_ATTR_PEER_CONN_ID))
		fprintf(f, " peer_tunnel_id %" PRIu32, s->peer_conn_id);
	if (ol2tp_nl_has(s, OL2TP_ATTR_PEER_SESSION_ID))
		fprintf(f, " peer_session_id %" PRIu32, s->peer_session_id);
	if (ol2tp_nl_has(s, OL2TP_ATTR_PW_TYPE)) {
		if (pw_name(s->pw_type))
			fprintf(f, " pw %s", pw_name(s->pw_type));
		else
			fprintf(f, " pw %u", s->pw_type);
	}
	if (ol2tp_nl_has(s, OL2TP_ATTR_IFNAME))
		fprintf(f, " name %s", s->ifname);
	if (ol2tp_nl_has(s, OL2TP_ATTR_COOKIE)) {
		hex_str(s->cookie, s->cookie_len, hex);
		fprintf(f, " cookie %s", hex);
	}
	if (ol2tp_nl_has(s, OL2TP_ATTR_PEER_COOKIE)) {
		hex_str(s->peer_cookie, s->peer_cookie_len, hex);
		fprintf(f, " peer_cookie %s", hex);
	}
	if (ol2tp_nl_has(s, OL2TP_ATTR_L2SPEC_TYPE)) {
		if (l2spec_name(s->l2spec_type))
			fprintf(f, " l2spec_type %s",
				l2spec_name(s->l2spec_type));
		else
			fprintf(f, " l2spec_type %u", s->l2spec_type);
	}
	if (ol2tp_nl_has(s, OL2TP_ATTR_L2SPEC_LEN))
		fprintf(f, " l2spec_len %u", s->l2spec_len);
	if (has_seq(s))
		fprintf(f, " seq %s", seq_name(s->send_seq, s->recv_seq));
	if (ol2tp_nl_has(s, OL2TP_ATTR_LNS_MODE))
		fprintf(f, " lns_mode %s", s->lns_mode ? "on" : "off");
	if (ol2tp_nl_has(s, OL2TP_ATTR_RECV_TIMEOUT))
		fprintf(f, " reorder_timeout %" PRIu64, s->recv_timeout);
	if (ol2tp_nl_has(s, OL2TP_ATTR_DEBUG))
		fprintf(f, " debug 0x%" PRIx32, s->debug);
	if (mtu)
		fprintf(f, " mtu %d", mtu);
	if (ol2tp_nl_has(s, OL2TP_ATTR_MRU))
		fprintf(f, " mru %u", s->mru);
	if (s->using_ipsec)
		fprintf(f, " using_ipsec");
	if (opt.stats && ol2tp_nl_has(s, OL2TP_ATTR_STATS))
		for (i = 1; i <= OL2TP_ATTR_STATS_MAX; i++)
			if (s->stats.has & OL2TP_BIT(i) && ol2tp_stat_name(i))
				fprintf(f, " %s %" PRIu64, ol2tp_stat_name(i),
					s->stats.v[i]);
	fputc('\n', f);
}
