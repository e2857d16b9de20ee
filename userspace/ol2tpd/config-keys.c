// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tpd.conf keys: the table that drives parsing, defaults and the
 * equality a reload uses.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "config-int.h"

/*
 * The configuration keys.  One row per key and section kind: its name, the
 * sections it may appear in, the field it sets (which struct, where, how
 * big), how its value is read (type, range or choices, or a function), its
 * default, and the words of its error.  The same rows drive parsing and the
 * equality that decides what a reload keeps (conf_peer_same and friends):
 * a new key is one row here, plus its use.
 */
enum key_type {
	KT_BOOL,		/* yes/no/true/false/on/off/1/0 */
	KT_UINT,		/* decimal in [min, max] */
	KT_DURATION,		/* seconds or NNNms, at least min ms */
	KT_CHOICE,		/* one of choices[], stored as its value */
	KT_STRING,		/* text shorter than the field */
	KT_PATH,		/* an absolute path */
	KT_IFNAME,		/* a network device name */
	KT_CUSTOM,		/* parse(), and same() if a memcmp will not do */
};

/* Where the field lives: which struct the offset is into. */
enum key_base { KB_CONF, KB_PROTO, KB_PEER, KB_PW, KB_STATIC };

#define IN_GLOBAL	(1U << SEC_GLOBAL)
#define IN_PEER		(1U << SEC_PEER)
#define IN_PW		(1U << SEC_PW)
#define IN_STATIC	(1U << SEC_STATIC)

#define KF_EMPTY_OK	1U	/* an empty value is a value */

struct choice {
	const char *name;
	int value;
};

struct conf_key;
/* 0, 1 for "invalid WHAT (HINT)", or -1 with the error already written. */
typedef int key_parse_fn(struct parser *p, const struct conf_key *k,
			 void *base, const char *v);
typedef bool key_same_fn(const struct conf_key *k, const void *a,
			 const void *b);

struct conf_key {
	const char *name;
	unsigned int in;		/* IN_*: the sections it may be in */
	enum key_base base;
	enum key_type type;
	size_t off, size;		/* the field: set, and compared */
	unsigned long min, max;		/* KT_UINT, KT_DURATION (min only) */
	const struct choice *choices;	/* KT_CHOICE, NULL-terminated */
	key_parse_fn *parse;		/* KT_CUSTOM */
	key_same_fn *same;		/* KT_CUSTOM, NULL: memcmp the field */
	const char *def;		/* the value of a new section, or NULL */
	size_t given;			/* bool set when in the file (0: none) */
	unsigned int flags;		/* KF_* */
	const char *what, *hint;	/* "KEY: invalid WHAT \"V\" (HINT)" */
};

static void *key_field(const struct conf_key *k, void *base)
{
	return (char *)base + k->off;
}

static const void *key_cfield(const struct conf_key *k, const void *base)
{
	return (const char *)base + k->off;
}

/* x into a 1, 2 or 4 byte unsigned field (or bool, enum, int). */
static void store_uint(void *f, size_t size, unsigned long x)
{
	uint8_t u8 = (uint8_t)x;
	uint16_t u16 = (uint16_t)x;
	uint32_t u32 = (uint32_t)x;

	memcpy(f, size == 1 ? (void *)&u8 : size == 2 ? (void *)&u16 :
	       (void *)&u32, size);
}

static const struct choice encaps[] = {
	{ "udp", false }, { "ip", true }, { NULL, 0 }
};
static const struct choice log_levels[] = {
	{ "err", LOG_ERR }, { "warning", LOG_WARNING },
	{ "notice", LOG_NOTICE }, { "info", LOG_INFO },
	{ "debug", LOG_DEBUG }, { NULL, 0 }
};
static const struct choice log_targets[] = {
	{ "stderr", false }, { "syslog", true }, { NULL, 0 }
};
static const struct choice pw_types[] = {
	{ "ethernet", L2TP_PW_ETH }, { "ppp", L2TP_PW_PPP }, { NULL, 0 }
};
static const struct choice calls[] = {
	{ "incoming", CONF_CALL_INCOMING }, { "outgoing", CONF_CALL_OUTGOING },
	{ NULL, 0 }
};
static const struct choice l2specs[] = {
	{ "none", L2TP_L2SPEC_NONE }, { "default", L2TP_L2SPEC_DEFAULT },
	{ NULL, 0 }
};

static int router_id_parse(struct parser *p, const struct conf_key *k,
			   void *base, const char *v)
{
	struct conf *c = base;
	struct in_addr ia;
	unsigned long x;

	(void)p;
	(void)k;
	if (inet_pton(AF_INET, v, &ia) == 1)
		c->router_id = ntohl(ia.s_addr);
	else if (parse_uint(v, 0, UINT32_MAX, &x) == 0)
		c->router_id = (uint32_t)x;
	else
		return 1;
	return 0;
}

static int listen_parse(struct parser *p, const struct conf_key *k,
			void *base, const char *v)
{
	struct conf *c = base;
	char buf[128], *tok, *save = NULL;

	(void)k;
	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, ", \t", &save); tok;
	     tok = strtok_r(NULL, ", \t", &save)) {
		if (!strcmp(tok, "ip")) {
			c->listen_ip = true;
			continue;
		}
		if (c->n_listen == CONF_MAX_LISTEN)
			return fail(p, "listen: at most %d addresses",
				    CONF_MAX_LISTEN);
		if (parse_addr(tok, &c->listen[c->n_listen]))
			return fail(p, "listen: invalid address \"%s\" (e.g. 0.0.0.0, [::]:1701, ip)",
				    tok);
		c->n_listen++;
	}
	return 0;
}

static int digest_parse(struct parser *p, const struct conf_key *k,
			void *base, const char *v)
{
	struct engine_peer_cfg *e = base;

	(void)p;
	(void)k;
	if (!strcmp(v, "none")) {
		e->digest = false;
	} else if (!strcmp(v, "md5")) {
		e->digest = true;
		e->digest_type = L2TP_DIGEST_HMAC_MD5;
	} else if (!strcmp(v, "sha1")) {
		e->digest = true;
		e->digest_type = L2TP_DIGEST_HMAC_SHA1;
	} else {
		return 1;
	}
	return 0;
}

static bool digest_same(const struct conf_key *k, const void *a,
			const void *b)
{
	const struct engine_peer_cfg *x = a, *y = b;

	(void)k;
	return x->digest == y->digest && x->digest_type == y->digest_type;
}

static int secret_parse(struct parser *p, const struct conf_key *k,
			void *base, const char *v)
{
	struct engine_peer_cfg *e = base;
	size_t n = strlen(v);

	(void)k;
	if (!n || n > sizeof(e->secret))
		return fail(p, "secret: must be 1 to %zu characters",
			    sizeof(e->secret));
	if (p->sec == SEC_GLOBAL)
		return fail(p, "secret belongs in a [peer] section");
	memcpy(e->secret, v, n);
	e->secret_len = n;
	return 0;
}

static bool secret_same(const struct conf_key *k, const void *a,
			const void *b)
{
	const struct engine_peer_cfg *x = a, *y = b;

	(void)k;
	return x->secret_len == y->secret_len &&
	       !memcmp(x->secret, y->secret, x->secret_len);
}

static bool addr_same(const struct conf_addr *a, const struct conf_addr *b)
{
	return a->len == b->len && !memcmp(&a->ss, &b->ss, a->len);
}

static int peer_addr_parse(struct parser *p, const struct conf_key *k,
			   void *base, const char *v)
{
	(void)p;
	(void)k;
	return parse_peer_addr(base, v) ? 1 : 0;
}

static bool peer_addr_same(const struct conf_key *k, const void *a,
			   const void *b)
{
	const struct conf_peer *x = a, *y = b;

	(void)k;
	return addr_same(&x->addr, &y->addr) && x->any == y->any &&
	       x->prefix_len == y->prefix_len;
}

static int local_addr_parse(struct parser *p, const struct conf_key *k,
			    void *base, const char *v)
{
	struct conf_peer *pe = base;

	(void)p;
	(void)k;
	if (parse_addr(v, &pe->local))
		return 1;
	pe->have_local = true;
	return 0;
}

static bool local_addr_same(const struct conf_key *k, const void *a,
			    const void *b)
{
	const struct conf_peer *x = a, *y = b;

	(void)k;
	return x->have_local == y->have_local &&
	       (!x->have_local || addr_same(&x->local, &y->local));
}

/* A pseudowire's peer: resolved at the end, it may be defined later. */
static int pw_peer_parse(struct parser *p, const struct conf_key *k,
			 void *base, const char *v)
{
	struct conf_pw *w = base;

	(void)k;
	if (strlen(v) >= sizeof(w->peer_name))
		return 1;
	memset(w->peer_name, 0, sizeof(w->peer_name));
	memcpy(w->peer_name, v, strlen(v));
	w->peer = -1;
	w->peer_line = p->line;
	return 0;
}

static bool pw_peer_same(const struct conf_key *k, const void *a,
			 const void *b)
{
	const struct conf_pw *x = a, *y = b;

	(void)k;
	return !strcmp(x->peer_name, y->peer_name);
}

static int end_id_parse(struct parser *p, const struct conf_key *k,
			void *base, const char *v)
{
	struct conf_pw *w = base;
	size_t n = strlen(v);

	(void)p;
	(void)k;
	if (n > sizeof(w->end_id))
		return 1;
	memcpy(w->end_id, v, n);
	w->end_id_len = n;
	return 0;
}

static bool end_id_same(const struct conf_key *k, const void *a,
			const void *b)
{
	const struct conf_pw *x = a, *y = b;

	(void)k;
	return x->end_id_len == y->end_id_len &&
	       !memcmp(x->end_id, y->end_id, x->end_id_len);
}

static int cookie_len_parse(struct parser *p, const struct conf_key *k,
			    void *base, const char *v)
{
	unsigned long x;

	(void)p;
	if (parse_uint(v, 0, 8, &x) || (x != 0 && x != 4 && x != 8))
		return 1;
	store_uint(key_field(k, base), k->size, x);
	return 0;
}

static int ipv4_parse(struct parser *p, const struct conf_key *k,
		      void *base, const char *v)
{
	(void)p;
	return parse_ipv4(v, key_field(k, base)) ? 1 : 0;
}

static int pool_parse(struct parser *p, const struct conf_key *k,
		      void *base, const char *v)
{
	struct conf_pw *w = base;

	(void)p;
	(void)k;
	return parse_pool(v, &w->pool_first, &w->pool_last) ? 1 : 0;
}

static bool pool_same(const struct conf_key *k, const void *a,
		      const void *b)
{
	const struct conf_pw *x = a, *y = b;

	(void)k;
	return x->pool_first == y->pool_first && x->pool_last == y->pool_last;
}

/* A [static] end: an address, with a port or not. */
static int static_addr_parse(struct parser *p, const struct conf_key *k,
			     void *base, const char *v)
{
	struct conf_addr *a = key_field(k, base);

	(void)p;
	return parse_addr(v, a) || !a->ss.ss_family ? 1 : 0;
}

static bool addr_field_same(const struct conf_key *k, const void *a,
			    const void *b)
{
	return addr_same(key_cfield(k, a), key_cfield(k, b));
}

static int cookie_parse(struct parser *p, const struct conf_key *k,
			void *base, const char *v)
{
	struct conf_cookie *c = key_field(k, base);

	(void)p;
	return parse_cookie(v, c->b, &c->len) ? 1 : 0;
}

static bool cookie_same(const struct conf_key *k, const void *a,
			const void *b)
{
	const struct conf_cookie *x = key_cfield(k, a), *y = key_cfield(k, b);

	return x->len == y->len && !memcmp(x->b, y->b, x->len);
}

#define F(type, field)	.off = offsetof(type, field), \
			.size = sizeof(((type *)0)->field)
#define GLOBAL(field)	.in = IN_GLOBAL, .base = KB_CONF, F(struct conf, field)
#define PROTO(field)	.in = IN_GLOBAL | IN_PEER, .base = KB_PROTO, \
			F(struct engine_peer_cfg, field)
#define PEER(field)	.in = IN_PEER, .base = KB_PEER, F(struct conf_peer, field)
#define PW(field)	.in = IN_PW, .base = KB_PW, F(struct conf_pw, field)
#define STATIC(field)	.in = IN_STATIC, .base = KB_STATIC, \
			F(struct conf_static, field)
#define BOOL		.type = KT_BOOL, .what = "boolean", .hint = "yes or no"
#define UINT(lo, hi)	.type = KT_UINT, .min = (lo), .max = (hi)
#define CHOICE(c)	.type = KT_CHOICE, .choices = (c)
#define CUSTOM(fn, eq)	.type = KT_CUSTOM, .parse = (fn), .same = (eq)
#define IFNAME		.type = KT_IFNAME, \
			.hint = "1 to 15 characters, no / or space"
#define WHAT(w, h)	.what = (w), .hint = (h)

static const struct conf_key keys[] = {
	/* [global]: the daemon (a change needs a restart). */
	{ "host-name", GLOBAL(host_name), .type = KT_STRING, .def = "ol2tpd",
	  WHAT("host name", "1 to 63 characters") },
	{ "router-id", GLOBAL(router_id), CUSTOM(router_id_parse, NULL),
	  WHAT("router id", "dotted quad or number") },
	{ "max-pending", GLOBAL(max_pending), UINT(1, 1000000),
	  WHAT("count", "1 to 1000000") },
	{ "port", GLOBAL(port), UINT(1, 65535), .def = "1701",
	  WHAT("port", "1 to 65535") },
	{ "listen", GLOBAL(listen), CUSTOM(listen_parse, NULL) },
	{ "control-socket", GLOBAL(control_socket), .type = KT_STRING,
	  .def = "/run/ol2tpd.sock", WHAT("path", "too long") },
	{ "pppd", GLOBAL(pppd), .type = KT_STRING, .def = "/usr/sbin/pppd",
	  WHAT("path", "too long") },
	{ "log-level", GLOBAL(log_level), CHOICE(log_levels), .def = "info",
	  WHAT("level", "err, warning, notice, info or debug") },
	{ "log", GLOBAL(log_syslog), CHOICE(log_targets),
	  WHAT("log target", "stderr or syslog") },
	/* Protocol: [global] defaults, a [peer]'s own. */
	{ "hello", PROTO(hello_ms), .type = KT_DURATION,
	  WHAT("duration", "seconds, 0 disables, or e.g. 500ms") },
	{ "retries", PROTO(rd.max_retries), UINT(0, 100),
	  WHAT("count", "0 to 100") },
	{ "retransmit-cap", PROTO(rd.rto_max_ms), .type = KT_DURATION,
	  .min = RD_RTO_CAP_MIN_MS, WHAT("duration", "at least 8 seconds") },
	{ "receive-window", PROTO(rd.rwin), UINT(1, RD_RXQ_MAX),
	  WHAT("window", "1 to 64") },
	{ "version", PROTO(version), UINT(2, 3), WHAT("version", "2 or 3") },
	{ "encap", PROTO(ip_encap), CHOICE(encaps),
	  WHAT("encapsulation", "udp or ip") },
	{ "digest", PROTO(digest), CUSTOM(digest_parse, digest_same),
	  WHAT("digest", "none, md5 or sha1") },
	{ "challenge", PROTO(challenge), BOOL },
	{ "hide", PROTO(hide), BOOL },
	{ "tie-breaker", PROTO(tie_breaker), BOOL },
	{ "secret", PROTO(secret), CUSTOM(secret_parse, secret_same) },
	/* [peer] */
	{ "address", PEER(addr), CUSTOM(peer_addr_parse, peer_addr_same),
	  WHAT("address", "e.g. 192.0.2.1, 192.0.2.1:1701, [2001:db8::1], 198.51.100.0/24 or any") },
	{ "max-connections", PEER(max_connections), UINT(0, 1000000),
	  WHAT("count", "0 (no limit) to 1000000") },
	{ "local-address", PEER(local), CUSTOM(local_addr_parse, local_addr_same),
	  WHAT("address", "e.g. 192.0.2.2") },
	{ "initiate", PEER(initiate), BOOL, .def = "yes",
	  .given = offsetof(struct conf_peer, initiate_given) },
	{ "ipsec", PEER(ipsec), BOOL },
	{ "path-mtu-discovery", PEER(pmtud), BOOL },
	{ "reconnect", PEER(reconnect_ms), .type = KT_DURATION, .def = "10",
	  WHAT("duration", "seconds, 0 never") },
	/* [pseudowire] */
	{ "peer", PW(peer_name), CUSTOM(pw_peer_parse, pw_peer_same),
	  WHAT("peer name", "too long") },
	{ "type", PW(pw_type), CHOICE(pw_types), .def = "ethernet",
	  WHAT("pseudowire type", "ethernet or ppp") },
	{ "remote-end-id", PW(end_id), CUSTOM(end_id_parse, end_id_same),
	  .flags = KF_EMPTY_OK,
	  WHAT("remote end id", "at most 64 characters") },
	{ "call", PW(call), CHOICE(calls), WHAT("call", "incoming or outgoing") },
	{ "initiate", PW(initiate), BOOL, .def = "yes",
	  .given = offsetof(struct conf_pw, initiate_given) },
	{ "sessions", PW(max_sessions), UINT(1, 65535),
	  WHAT("count", "1 to 65535") },
	{ "cookie", PW(cookie_len), CUSTOM(cookie_len_parse, NULL),
	  WHAT("cookie length", "0, 4 or 8") },
	{ "l2spec", PW(l2spec), CHOICE(l2specs), .def = "default",
	  WHAT("sublayer", "none or default") },
	{ "sequencing", PW(sequencing), BOOL },
	{ "interface", PW(ifname), IFNAME, .what = "interface name" },
	{ "pppd-options", PW(pppd_options), .type = KT_STRING,
	  .flags = KF_EMPTY_OK, WHAT("options", "too long") },
	{ "lns", PW(lns), BOOL },
	{ "ppp-local-address", PW(ppp_local), CUSTOM(ipv4_parse, NULL),
	  WHAT("address", "an IPv4 address, e.g. 10.9.0.1") },
	{ "ppp-address-pool", PW(pool_first), CUSTOM(pool_parse, pool_same),
	  WHAT("address pool", "FIRST-LAST, e.g. 10.9.0.10-10.9.0.99, at most 65536 addresses") },
	{ "mtu", PW(mtu), UINT(68, 65535), WHAT("MTU", "68 to 65535") },
	{ "bridge", PW(bridge), IFNAME, .what = "bridge name" },
	{ "up", PW(up_script), .type = KT_PATH,
	  WHAT("script", "an absolute path, e.g. /etc/ol2tpd/pw-up") },
	{ "down", PW(down_script), .type = KT_PATH,
	  WHAT("script", "an absolute path, e.g. /etc/ol2tpd/pw-up") },
	/* [static] */
	{ "encap", STATIC(ip_encap), CHOICE(encaps),
	  WHAT("encapsulation", "udp or ip") },
	{ "local", STATIC(local), CUSTOM(static_addr_parse, addr_field_same),
	  WHAT("address", "e.g. 192.0.2.1 or [2001:db8::1]:1702") },
	{ "remote", STATIC(remote), CUSTOM(static_addr_parse, addr_field_same),
	  WHAT("address", "e.g. 192.0.2.1 or [2001:db8::1]:1702") },
	{ "tunnel-id", STATIC(tunnel_id), UINT(1, UINT32_MAX),
	  WHAT("id", "1 to 4294967295") },
	{ "peer-tunnel-id", STATIC(peer_tunnel_id), UINT(1, UINT32_MAX),
	  WHAT("id", "1 to 4294967295") },
	{ "session-id", STATIC(session_id), UINT(1, UINT32_MAX),
	  WHAT("id", "1 to 4294967295") },
	{ "peer-session-id", STATIC(peer_session_id), UINT(1, UINT32_MAX),
	  WHAT("id", "1 to 4294967295") },
	{ "send-cookie", STATIC(send_cookie),
	  CUSTOM(cookie_parse, cookie_same),
	  WHAT("cookie", "8 or 16 hex digits") },
	{ "receive-cookie", STATIC(recv_cookie),
	  CUSTOM(cookie_parse, cookie_same),
	  WHAT("cookie", "8 or 16 hex digits") },
	{ "l2spec", STATIC(l2spec), CHOICE(l2specs), .def = "default",
	  WHAT("sublayer", "none or default") },
	{ "interface", STATIC(ifname), IFNAME, .what = "interface name" },
};

#define N_KEYS	(sizeof(keys) / sizeof(keys[0]))

/* The row of KEY in section kind SEC (any section if SEC_NONE), or NULL. */
static const struct conf_key *key_find(const char *key, int sec)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (!strcmp(keys[i].name, key) &&
		    (sec == SEC_NONE || (keys[i].in & (1U << sec))))
			return &keys[i];
	return NULL;
}

/* The struct a row's offset is into, in the current section. */
static void *key_base(struct parser *p, const struct conf_key *k)
{
	struct conf *c = p->c;

	switch (k->base) {
	case KB_CONF:
		return c;
	case KB_PROTO:
		return p->sec == SEC_GLOBAL ? &c->defaults :
					      &c->peers[p->idx].eng;
	case KB_PEER:
		return &c->peers[p->idx];
	case KB_PW:
		return &c->pws[p->idx];
	case KB_STATIC:
		return &c->statics[p->idx];
	}
	return NULL;
}

/* Read V into k's field: 0, 1 (invalid), or -1 (error written). */
static int key_set(struct parser *p, const struct conf_key *k, void *base,
		   const char *v)
{
	void *f = key_field(k, base);
	size_t n = strlen(v);
	unsigned long x;
	uint32_t ms;
	bool b;

	switch (k->type) {
	case KT_BOOL:
		if (parse_bool(v, &b))
			return 1;
		*(bool *)f = b;
		return 0;
	case KT_UINT:
		if (parse_uint(v, k->min, k->max, &x))
			return 1;
		store_uint(f, k->size, x);
		return 0;
	case KT_DURATION:
		if (parse_duration(v, &ms) || ms < k->min)
			return 1;
		*(uint32_t *)f = ms;
		return 0;
	case KT_CHOICE:
		for (const struct choice *c = k->choices; c->name; c++) {
			if (!strcmp(v, c->name)) {
				store_uint(f, k->size, (unsigned long)c->value);
				return 0;
			}
		}
		return 1;
	case KT_PATH:
		if (v[0] != '/')
			return 1;
		/* fall through */
	case KT_STRING:
		if ((!n && !(k->flags & KF_EMPTY_OK)) || n >= k->size)
			return 1;
		memset(f, 0, k->size);
		memcpy(f, v, n);
		return 0;
	case KT_IFNAME:
		return parse_ifname(v, f, k->size) ? 1 : 0;
	case KT_CUSTOM:
		return k->parse(p, k, base, v);
	}
	return 1;
}

/* The defaults of the keys of a new section (SEC_GLOBAL: of struct conf). */
void key_defaults(struct parser *p)
{
	for (size_t i = 0; i < N_KEYS; i++) {
		const struct conf_key *k = &keys[i];

		if (k->def && (k->in & (1U << p->sec)) && k->base != KB_PROTO)
			key_set(p, k, key_base(p, k), k->def);
	}
}

int key_line(struct parser *p, const char *key, const char *v)
{
	const struct conf_key *k = key_find(key, p->sec);
	void *base;
	int rc;

	if (!k) {
		switch (p->sec) {
		case SEC_GLOBAL:
			return fail(p, "unknown key \"%s\" in [global]", key);
		case SEC_PEER:
			return fail(p, "unknown key \"%s\" in [peer %s]", key,
				    p->c->peers[p->idx].name);
		case SEC_PW:
			return fail(p, "unknown key \"%s\" in [pseudowire %s]",
				    key, p->c->pws[p->idx].name);
		default:
			return fail(p, "unknown key \"%s\" in [static %s]", key,
				    p->c->statics[p->idx].name);
		}
	}
	base = key_base(p, k);
	rc = key_set(p, k, base, v);
	if (rc > 0)
		return fail(p, "%s: invalid %s \"%s\" (%s)", key, k->what, v,
			    k->hint);
	if (rc < 0)
		return -1;
	if (k->given)
		*(bool *)((char *)base + k->given) = true;
	return 0;
}

/* Whether the keys of section kind SEC have the same values in a and b. */
static bool keys_same(int sec, enum key_base base, const void *a,
		      const void *b)
{
	for (size_t i = 0; i < N_KEYS; i++) {
		const struct conf_key *k = &keys[i];
		const void *x = key_cfield(k, a), *y = key_cfield(k, b);

		if (!(k->in & (1U << sec)) || k->base != base)
			continue;
		switch (k->type) {
		case KT_STRING:
		case KT_PATH:
		case KT_IFNAME:
			if (strncmp(x, y, k->size))
				return false;
			break;
		case KT_CUSTOM:
			if (k->same) {
				if (!k->same(k, a, b))
					return false;
				break;
			}
			/* fall through */
		default:
			if (memcmp(x, y, k->size))
				return false;
		}
	}
	return true;
}

bool conf_peer_same(const struct conf_peer *a, const struct conf_peer *b)
{
	return !strcmp(a->name, b->name) &&
	       keys_same(SEC_PEER, KB_PEER, a, b) &&
	       keys_same(SEC_PEER, KB_PROTO, &a->eng, &b->eng);
}

bool conf_pw_same(const struct conf_pw *a, const struct conf_pw *b)
{
	return !strcmp(a->name, b->name) && keys_same(SEC_PW, KB_PW, a, b);
}

bool conf_static_same(const struct conf_static *a, const struct conf_static *b)
{
	return !strcmp(a->name, b->name) &&
	       keys_same(SEC_STATIC, KB_STATIC, a, b);
}

int conf_log_level(const char *name)
{
	for (const struct choice *c = log_levels; c->name; c++)
		if (!strcmp(c->name, name))
			return c->value;
	return -1;
}

const char *conf_key_name(size_t i)
{
	return i < N_KEYS ? keys[i].name : NULL;
}

/* An empty value is a value for KEY (in whichever section). */
bool key_empty_ok(const char *key)
{
	const struct conf_key *k = key_find(key, SEC_NONE);

	return k && (k->flags & KF_EMPTY_OK);
}
