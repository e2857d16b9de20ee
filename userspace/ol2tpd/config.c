// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tpd.conf parser.  See Documentation/ol2tpd.conf.5.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "config.h"

struct parser {
	struct conf *c;
	const char *name;
	int line;
	char *err;
	size_t errlen;
	enum { SEC_NONE, SEC_GLOBAL, SEC_PEER, SEC_PW, SEC_STATIC } sec;
	int idx;			/* current peer / pseudowire */
};

static int fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%d: %s", p->name, p->line, msg);
	return -1;
}

const char *conf_addr_str(const struct sockaddr *sa, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)sa;

		inet_ntop(AF_INET, &s->sin_addr, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, ntohs(s->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)sa;

		inet_ntop(AF_INET6, &s->sin6_addr, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, ntohs(s->sin6_port));
	} else {
		snprintf(buf, len, "(none)");
	}
	return buf;
}

const char *conf_peer_addr_str(const struct conf_peer *pe, char *buf,
			       size_t len)
{
	const struct sockaddr *sa = (const struct sockaddr *)&pe->addr.ss;
	char a[INET6_ADDRSTRLEN] = "?";

	const void *ip = sa->sa_family == AF_INET6 ?
		(const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr :
		(const void *)&((const struct sockaddr_in *)sa)->sin_addr;
	uint16_t port = sa->sa_family == AF_INET6 ?
		((const struct sockaddr_in6 *)sa)->sin6_port :
		((const struct sockaddr_in *)sa)->sin_port;

	if (pe->any) {
		snprintf(buf, len, "any");
		return buf;
	}
	inet_ntop(sa->sa_family, ip, a, sizeof(a));
	if (pe->dialin)
		snprintf(buf, len, "%s/%u", a, pe->prefix_len);
	else if (!port)		/* as written: no port, the default one */
		snprintf(buf, len, "%s", a);
	else
		conf_addr_str(sa, buf, len);
	return buf;
}

/* "1.2.3.4", "1.2.3.4:1701", "[::1]:1701", "::1", "*", "*:1701". */
static int parse_addr(const char *s, struct conf_addr *a)
{
	char host[INET6_ADDRSTRLEN + 2], *port = NULL, *end;
	struct sockaddr_in *sin = (void *)&a->ss;
	struct sockaddr_in6 *sin6 = (void *)&a->ss;
	unsigned long pn = 0;
	const char *colon;

	memset(a, 0, sizeof(*a));
	if (strlen(s) >= sizeof(host) + 6)
		return -1;
	if (s[0] == '[') {
		const char *rb = strchr(s, ']');

		if (!rb || (size_t)(rb - s - 1) >= sizeof(host))
			return -1;
		memcpy(host, s + 1, (size_t)(rb - s - 1));
		host[rb - s - 1] = 0;
		if (rb[1] == ':')
			port = (char *)rb + 2;
		else if (rb[1])
			return -1;
		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			return -1;
		sin6->sin6_family = AF_INET6;
		a->len = sizeof(*sin6);
	} else {
		colon = strchr(s, ':');
		if (colon && strchr(colon + 1, ':')) {
			/* Bare IPv6, no port. */
			if (inet_pton(AF_INET6, s, &sin6->sin6_addr) != 1)
				return -1;
			sin6->sin6_family = AF_INET6;
			a->len = sizeof(*sin6);
			return 0;
		}
		snprintf(host, sizeof(host), "%.*s",
			 colon ? (int)(colon - s) : (int)strlen(s), s);
		if (colon)
			port = (char *)colon + 1;
		sin->sin_family = AF_INET;
		a->len = sizeof(*sin);
		if (strcmp(host, "*") &&
		    inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return -1;
	}
	if (port) {
		errno = 0;
		pn = strtoul(port, &end, 10);
		if (errno || *end || !*port || pn == 0 || pn > 65535)
			return -1;
		if (a->ss.ss_family == AF_INET)
			sin->sin_port = htons((uint16_t)pn);
		else
			sin6->sin6_port = htons((uint16_t)pn);
	}
	return 0;
}

void conf_addr_with_port(const struct conf_addr *a, uint16_t port,
			 struct engine_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->ss = a->ss;
	out->len = a->len;
	if (a->ss.ss_family == AF_INET) {
		struct sockaddr_in *s = (void *)&out->ss;

		if (!s->sin_port)
			s->sin_port = htons(port);
	} else if (a->ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *s = (void *)&out->ss;

		if (!s->sin6_port)
			s->sin6_port = htons(port);
	}
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(v, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* Unsigned integer in [min, max]. */
static int parse_uint(const char *v, unsigned long min, unsigned long max,
		      unsigned long *out)
{
	char *end;

	errno = 0;
	if (!isdigit((unsigned char)v[0]))
		return -1;
	*out = strtoul(v, &end, 10);
	if (errno || *end || *out < min || *out > max)
		return -1;
	return 0;
}

/* Seconds, with an optional "ms" suffix; result in milliseconds. */
static int parse_duration(const char *v, uint32_t *ms)
{
	char num[32];
	size_t n = strlen(v);
	unsigned long x;
	bool milli = n > 2 && !strcmp(v + n - 2, "ms");

	if (n - (milli ? 2 : 0) >= sizeof(num))
		return -1;
	snprintf(num, sizeof(num), "%.*s", (int)(n - (milli ? 2 : 0)), v);
	if (parse_uint(num, 0, milli ? 86400000UL : 86400UL, &x))
		return -1;
	*ms = (uint32_t)(milli ? x : x * 1000);
	return 0;
}

/*
 * A peer's address: one host ("192.0.2.1", "[2001:db8::1]:1701"), or, for
 * a dial-in peer that accepts connections from many hosts, a prefix
 * ("198.51.100.0/24", "2001:db8::/32") or "any".  A prefix has no port and
 * no host bits.
 */
static int parse_peer_addr(struct conf_peer *pe, const char *v)
{
	char host[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(v, '/');
	unsigned long bits, max;
	const uint8_t *b;
	char *end;

	pe->any = pe->dialin = false;
	if (!strcmp(v, "any")) {
		memset(&pe->addr, 0, sizeof(pe->addr));
		pe->any = pe->dialin = true;
		pe->prefix_len = 0;
		return 0;
	}
	if (!slash) {
		if (parse_addr(v, &pe->addr) || !pe->addr.ss.ss_family)
			return -1;
		pe->prefix_len = pe->addr.ss.ss_family == AF_INET6 ? 128 : 32;
		return 0;
	}
	if ((size_t)(slash - v) >= sizeof(host) || v[0] == '[')
		return -1;
	memcpy(host, v, (size_t)(slash - v));
	host[slash - v] = 0;
	if (parse_addr(host, &pe->addr) || !pe->addr.ss.ss_family ||
	    strchr(host, '*'))
		return -1;
	if (pe->addr.ss.ss_family == AF_INET) {
		if (((struct sockaddr_in *)&pe->addr.ss)->sin_port)
			return -1;
		b = (const uint8_t *)&((struct sockaddr_in *)&pe->addr.ss)->sin_addr;
		max = 32;
	} else {
		b = ((struct sockaddr_in6 *)&pe->addr.ss)->sin6_addr.s6_addr;
		max = 128;
	}
	errno = 0;
	bits = strtoul(slash + 1, &end, 10);
	if (errno || *end || !slash[1] || bits > max)
		return -1;
	/* No host bits: 10.0.0.1/8 is a typo for a host or for 10.0.0.0/8. */
	for (unsigned long i = bits; i < max; i++)
		if (b[i / 8] & (0x80 >> (i % 8)))
			return -1;
	pe->prefix_len = (uint8_t)bits;
	pe->dialin = bits < max;
	return 0;
}

/* An IPv4 address in host order, not 0.0.0.0. */
static int parse_ipv4(const char *v, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, v, &a) != 1 || !a.s_addr)
		return -1;
	*out = ntohl(a.s_addr);
	return 0;
}

/* "10.9.0.10-10.9.0.99": a range of IPv4 addresses for the callers. */
static int parse_pool(const char *v, uint32_t *first, uint32_t *last)
{
	char a[INET_ADDRSTRLEN];
	const char *dash = strchr(v, '-');

	if (!dash || (size_t)(dash - v) >= sizeof(a))
		return -1;
	memcpy(a, v, (size_t)(dash - v));
	a[dash - v] = 0;
	if (parse_ipv4(a, first) || parse_ipv4(dash + 1, last) ||
	    *last < *first || *last - *first >= CONF_POOL_MAX)
		return -1;
	return 0;
}

/* A network device name: 1 to 15 characters, no / or space. */
static int parse_ifname(const char *v, char *dst, size_t size)
{
	size_t n = strlen(v);

	if (!n || n >= size || strchr(v, '/') ||
	    strchr(v, ' '))
		return -1;
	memcpy(dst, v, n + 1);
	return 0;
}

/* 8 or 16 hex digits. */
static int parse_cookie(const char *v, uint8_t *out, uint8_t *len)
{
	size_t n = strlen(v);

	if (n != 8 && n != 16)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		unsigned int x;

		if (!isxdigit((unsigned char)v[i]) ||
		    !isxdigit((unsigned char)v[i + 1]) ||
		    sscanf(v + i, "%2x", &x) != 1)
			return -1;
		out[i / 2] = (uint8_t)x;
	}
	*len = (uint8_t)(n / 2);
	return 0;
}

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
typedef bool key_same_fn(const void *a, const void *b);

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

static bool digest_same(const void *a, const void *b)
{
	const struct engine_peer_cfg *x = a, *y = b;

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

static bool secret_same(const void *a, const void *b)
{
	const struct engine_peer_cfg *x = a, *y = b;

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

static bool peer_addr_same(const void *a, const void *b)
{
	const struct conf_peer *x = a, *y = b;

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

static bool local_addr_same(const void *a, const void *b)
{
	const struct conf_peer *x = a, *y = b;

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

static bool pw_peer_same(const void *a, const void *b)
{
	const struct conf_pw *x = a, *y = b;

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

static bool end_id_same(const void *a, const void *b)
{
	const struct conf_pw *x = a, *y = b;

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

static bool pool_same(const void *a, const void *b)
{
	const struct conf_pw *x = a, *y = b;

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

static bool static_local_same(const void *a, const void *b)
{
	return addr_same(&((const struct conf_static *)a)->local,
			 &((const struct conf_static *)b)->local);
}

static bool static_remote_same(const void *a, const void *b)
{
	return addr_same(&((const struct conf_static *)a)->remote,
			 &((const struct conf_static *)b)->remote);
}

static int send_cookie_parse(struct parser *p, const struct conf_key *k,
			     void *base, const char *v)
{
	struct conf_static *st = base;

	(void)p;
	(void)k;
	return parse_cookie(v, st->send_cookie, &st->send_cookie_len) ? 1 : 0;
}

static bool send_cookie_same(const void *a, const void *b)
{
	const struct conf_static *x = a, *y = b;

	return x->send_cookie_len == y->send_cookie_len &&
	       !memcmp(x->send_cookie, y->send_cookie, x->send_cookie_len);
}

static int recv_cookie_parse(struct parser *p, const struct conf_key *k,
			     void *base, const char *v)
{
	struct conf_static *st = base;

	(void)p;
	(void)k;
	return parse_cookie(v, st->recv_cookie, &st->recv_cookie_len) ? 1 : 0;
}

static bool recv_cookie_same(const void *a, const void *b)
{
	const struct conf_static *x = a, *y = b;

	return x->recv_cookie_len == y->recv_cookie_len &&
	       !memcmp(x->recv_cookie, y->recv_cookie, x->recv_cookie_len);
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
	{ "local", STATIC(local), CUSTOM(static_addr_parse, static_local_same),
	  WHAT("address", "e.g. 192.0.2.1 or [2001:db8::1]:1702") },
	{ "remote", STATIC(remote), CUSTOM(static_addr_parse, static_remote_same),
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
	  CUSTOM(send_cookie_parse, send_cookie_same),
	  WHAT("cookie", "8 or 16 hex digits") },
	{ "receive-cookie", STATIC(recv_cookie),
	  CUSTOM(recv_cookie_parse, recv_cookie_same),
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
static void key_defaults(struct parser *p)
{
	for (size_t i = 0; i < N_KEYS; i++) {
		const struct conf_key *k = &keys[i];

		if (k->def && (k->in & (1U << p->sec)) && k->base != KB_PROTO)
			key_set(p, k, key_base(p, k), k->def);
	}
}

static int key_line(struct parser *p, const char *key, const char *v)
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
				if (!k->same(a, b))
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

static bool name_ok(const char *n)
{
	if (!*n || strlen(n) >= CONF_NAME_MAX)
		return false;
	for (; *n; n++)
		if (!isalnum((unsigned char)*n) && !strchr("-_.", *n))
			return false;
	return true;
}

static int section(struct parser *p, char *s)
{
	struct conf *c = p->c;
	char *name;

	name = strchr(s, ' ');
	if (name) {
		*name++ = 0;
		while (*name == ' ')
			name++;
	}
	if (!strcmp(s, "global")) {
		if (name)
			return fail(p, "[global] takes no name");
		p->sec = SEC_GLOBAL;
		return 0;
	}
	if (strcmp(s, "peer") && strcmp(s, "pseudowire") && strcmp(s, "static"))
		return fail(p, "unknown section [%s] (global, peer NAME, pseudowire NAME, static NAME)",
			    s);
	if (!name || !name_ok(name))
		return fail(p, "[%s] needs a name of letters, digits, - _ .", s);
	if (s[1] == 't') {
		struct conf_static *ns;

		for (unsigned int i = 0; i < c->n_statics; i++)
			if (!strcmp(c->statics[i].name, name))
				return fail(p, "static \"%s\" defined twice (line %d)",
					    name, c->statics[i].line);
		ns = realloc(c->statics, (c->n_statics + 1) * sizeof(*ns));
		if (!ns)
			return fail(p, "out of memory");
		c->statics = ns;
		ns = &c->statics[c->n_statics];
		memset(ns, 0, sizeof(*ns));
		snprintf(ns->name, sizeof(ns->name), "%s", name);
		ns->line = p->line;
		p->idx = (int)c->n_statics++;
		p->sec = SEC_STATIC;
	} else if (s[1] == 'e') {
		struct conf_peer *np;

		for (unsigned int i = 0; i < c->n_peers; i++)
			if (!strcmp(c->peers[i].name, name))
				return fail(p, "peer \"%s\" defined twice (line %d)",
					    name, c->peers[i].line);
		np = realloc(c->peers, (c->n_peers + 1) * sizeof(*np));
		if (!np)
			return fail(p, "out of memory");
		c->peers = np;
		np = &c->peers[c->n_peers];
		memset(np, 0, sizeof(*np));
		snprintf(np->name, sizeof(np->name), "%s", name);
		np->line = p->line;
		np->eng = c->defaults;
		snprintf(np->eng.name, sizeof(np->eng.name), "%s", name);
		p->idx = (int)c->n_peers++;
		p->sec = SEC_PEER;
	} else {
		struct conf_pw *nw;

		for (unsigned int i = 0; i < c->n_pws; i++)
			if (!strcmp(c->pws[i].name, name))
				return fail(p, "pseudowire \"%s\" defined twice (line %d)",
					    name, c->pws[i].line);
		nw = realloc(c->pws, (c->n_pws + 1) * sizeof(*nw));
		if (!nw)
			return fail(p, "out of memory");
		c->pws = nw;
		nw = &c->pws[c->n_pws];
		memset(nw, 0, sizeof(*nw));
		snprintf(nw->name, sizeof(nw->name), "%s", name);
		nw->line = p->line;
		nw->peer = -2;		/* not set */
		p->idx = (int)c->n_pws++;
		p->sec = SEC_PW;
	}
	key_defaults(p);
	return 0;
}

/* Value: bare (trimmed) or "quoted" with \" \\ escapes. */
static int value(struct parser *p, char *v, char *out, size_t outlen)
{
	size_t n = 0;

	if (*v != '"') {
		char *hash = strchr(v, '#');
		size_t len;

		if (hash)
			*hash = 0;
		len = strlen(v);
		while (len && isspace((unsigned char)v[len - 1]))
			v[--len] = 0;
		if (len >= outlen)
			return fail(p, "value too long");
		memcpy(out, v, len + 1);
		return 0;
	}
	for (v++; *v && *v != '"'; v++) {
		if (*v == '\\' && (v[1] == '"' || v[1] == '\\'))
			v++;
		if (n + 1 >= outlen)
			return fail(p, "value too long");
		out[n++] = *v;
	}
	if (*v != '"')
		return fail(p, "missing closing quote");
	out[n] = 0;
	for (v++; isspace((unsigned char)*v); v++)
		;
	if (*v && *v != '#')
		return fail(p, "text after the closing quote");
	return 0;
}

static int line(struct parser *p, char *s)
{
	char *eq, *key, val[1024];
	const struct conf_key *k;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		char *rb = strchr(s, ']');
		char *rest;

		if (!rb)
			return fail(p, "missing ]");
		for (rest = rb + 1; isspace((unsigned char)*rest); rest++)
			;
		if (*rest && *rest != '#')
			return fail(p, "text after ]");
		*rb = 0;
		return section(p, s + 1);
	}
	eq = strchr(s, '=');
	if (!eq)
		return fail(p, "expected \"key = value\" or [section]");
	*eq = 0;
	key = s;
	for (size_t n = strlen(key); n && isspace((unsigned char)key[n - 1]);)
		key[--n] = 0;
	if (!*key)
		return fail(p, "missing key before =");
	s = eq + 1;
	while (isspace((unsigned char)*s))
		s++;
	if (value(p, s, val, sizeof(val)))
		return -1;
	k = key_find(key, SEC_NONE);
	if (!*val && !(k && (k->flags & KF_EMPTY_OK)))
		return fail(p, "%s: empty value", key);
	if (p->sec == SEC_NONE)
		return fail(p, "\"%s\" outside of a section (start with [global])",
			    key);
	return key_line(p, key, val);
}

/* The address's port, or the default port when it has none. */
static uint16_t addr_port(const struct conf_addr *a, uint16_t defport)
{
	const struct sockaddr_in *s4 = (const void *)&a->ss;
	const struct sockaddr_in6 *s6 = (const void *)&a->ss;
	uint16_t port = a->ss.ss_family == AF_INET6 ? ntohs(s6->sin6_port) :
						     ntohs(s4->sin_port);

	return port ? port : defport;
}

/* A listening address takes the UDP port of @local: wildcard or the same. */
static bool listen_covers(const struct conf_addr *l, const struct conf_addr *local)
{
	const struct sockaddr_in *l4 = (const void *)&l->ss;
	const struct sockaddr_in *a4 = (const void *)&local->ss;
	const struct sockaddr_in6 *l6 = (const void *)&l->ss;
	const struct sockaddr_in6 *a6 = (const void *)&local->ss;

	if (l->ss.ss_family != local->ss.ss_family)
		return false;
	if (l->ss.ss_family == AF_INET)
		return l4->sin_addr.s_addr == INADDR_ANY ||
		       l4->sin_addr.s_addr == a4->sin_addr.s_addr;
	return IN6_IS_ADDR_UNSPECIFIED(&l6->sin6_addr) ||
	       IN6_ARE_ADDR_EQUAL(&l6->sin6_addr, &a6->sin6_addr);
}

/*
 * ol2tpd listens (for the SCCRQs of [peer]s) only when there is a peer.
 * Then a UDP [static] tunnel cannot have the listener's port on an address
 * the listener covers: the kernel's tunnel socket and the listening socket
 * cannot share it.  Refuse that here rather than fail at run time.
 */
static int static_ports(struct parser *p)
{
	struct conf *c = p->c;
	char lbuf[80], sbuf[80];

	if (!c->n_peers)
		return 0;
	for (unsigned int i = 0; i < c->n_statics; i++) {
		const struct conf_static *st = &c->statics[i];
		uint16_t sport = addr_port(&st->local, c->port);

		if (st->ip_encap)
			continue;
		for (unsigned int k = 0; k < c->n_listen; k++) {
			const struct conf_addr *l = &c->listen[k];
			struct engine_addr la, sa;

			if (addr_port(l, c->port) != sport ||
			    !listen_covers(l, &st->local))
				continue;
			conf_addr_with_port(l, c->port, &la);
			conf_addr_with_port(&st->local, c->port, &sa);
			p->line = st->line;
			return fail(p, "static \"%s\": its UDP port %s is also where ol2tpd listens for its peers (listen = %s); give the static tunnel another port (local = address:port, both ends) or listen elsewhere",
				    st->name,
				    conf_addr_str((struct sockaddr *)&sa.ss, sbuf, sizeof(sbuf)),
				    conf_addr_str((struct sockaddr *)&la.ss, lbuf, sizeof(lbuf)));
		}
	}
	return 0;
}

static int validate(struct parser *p)
{
	struct conf *c = p->c;

	for (unsigned int i = 0; i < c->n_peers; i++) {
		struct conf_peer *pe = &c->peers[i];
		struct engine_peer_cfg *e = &pe->eng;

		p->line = pe->line;
		if (!pe->addr.ss.ss_family && !pe->any)
			return fail(p, "peer \"%s\": no address", pe->name);
		if (pe->dialin) {
			/* Many hosts: they call us, we cannot call them. */
			if (pe->initiate_given && pe->initiate)
				return fail(p, "peer \"%s\": a dial-in peer (address %s) cannot initiate; set initiate = no or give one address",
					    pe->name, pe->any ? "any" : "prefix");
			pe->initiate = false;
		}
		if ((e->digest || e->challenge || e->hide) && !e->secret_len)
			return fail(p, "peer \"%s\": %s needs a secret", pe->name,
				    e->digest ? "digest" : e->challenge ?
				    "challenge" : "hide");
		if (e->version == 2 && (e->ip_encap || e->digest))
			return fail(p, "peer \"%s\": %s is L2TPv3 only",
				    pe->name, e->digest ? "digest" : "encap ip");
		if (pe->have_local && !pe->any &&
		    pe->local.ss.ss_family != pe->addr.ss.ss_family)
			return fail(p, "peer \"%s\": local-address and address are of different families",
				    pe->name);
	}
	for (unsigned int i = 0; i < c->n_pws; i++) {
		struct conf_pw *w = &c->pws[i];
		const char *pname = w->peer_name;
		unsigned int k;

		p->line = w->line;
		if (w->peer == -2)
			return fail(p, "pseudowire \"%s\": no peer", w->name);
		for (k = 0; k < c->n_peers && strcmp(c->peers[k].name, pname);
		     k++)
			;
		if (k == c->n_peers) {
			if (w->peer_line)
				p->line = w->peer_line;
			return fail(p, "pseudowire \"%s\": no peer named \"%s\"",
				    w->name, pname);
		}
		w->peer = (int)k;
		if (c->peers[k].dialin) {
			if (w->initiate_given && w->initiate)
				return fail(p, "pseudowire \"%s\": peer \"%s\" is a dial-in peer: its pseudowires are accepted (initiate = no)",
					    w->name, pname);
			w->initiate = false;
		}
		if (!w->max_sessions) {
			w->max_sessions = 1;
		} else if (w->initiate) {
			return fail(p, "pseudowire \"%s\": sessions is for pseudowires the peer calls in on (initiate = no)",
				    w->name);
		}
		if (w->ifname[0] && !strstr(w->ifname, "%d") &&
		    (c->peers[k].dialin || w->max_sessions > 1))
			return fail(p, "pseudowire \"%s\": it can be up more than once; give interface a %%d (e.g. %.12s%%d) or leave it out",
				    w->name, w->ifname);
		if (c->peers[k].eng.version == 2) {
			if (w->pw_type != L2TP_PW_PPP)
				return fail(p, "pseudowire \"%s\": L2TPv2 carries PPP only (type = ppp)",
					    w->name);
			if (w->cookie_len)
				return fail(p, "pseudowire \"%s\": cookies are L2TPv3 only",
					    w->name);
		}
		if (w->sequencing && w->l2spec == L2TP_L2SPEC_NONE &&
		    c->peers[k].eng.version == 3)
			return fail(p, "pseudowire \"%s\": sequencing needs l2spec = default",
				    w->name);
		if (w->pw_type != L2TP_PW_ETH && (w->mtu || w->bridge[0]))
			return fail(p, "pseudowire \"%s\": mtu and bridge are for ethernet pseudowires (set ppp ones' in pppd-options)",
				    w->name);
		if (w->pw_type != L2TP_PW_ETH && w->ifname[0])
			return fail(p, "pseudowire \"%s\": interface is for ethernet pseudowires (pppd names ppp ones)",
				    w->name);
		if (w->pw_type != L2TP_PW_PPP && (w->pppd_options[0] || w->lns ||
						    w->ppp_local || w->pool_first))
			return fail(p, "pseudowire \"%s\": pppd-options, lns, ppp-local-address and ppp-address-pool are for ppp pseudowires",
				    w->name);
		if (w->ppp_local && w->pool_first && w->ppp_local >= w->pool_first &&
		    w->ppp_local <= w->pool_last)
			return fail(p, "pseudowire \"%s\": ppp-local-address is inside ppp-address-pool",
				    w->name);
	}
	for (unsigned int i = 0; i < c->n_statics; i++) {
		struct conf_static *st = &c->statics[i];

		p->line = st->line;
		if (!st->local.ss.ss_family || !st->remote.ss.ss_family)
			return fail(p, "static \"%s\": needs local and remote",
				    st->name);
		if (st->local.ss.ss_family != st->remote.ss.ss_family)
			return fail(p, "static \"%s\": local and remote are of different families",
				    st->name);
		if (!st->tunnel_id || !st->peer_tunnel_id || !st->session_id ||
		    !st->peer_session_id)
			return fail(p, "static \"%s\": needs tunnel-id, peer-tunnel-id, session-id and peer-session-id",
				    st->name);
		for (unsigned int k = 0; k < i; k++)
			if (c->statics[k].tunnel_id == st->tunnel_id)
				return fail(p, "static \"%s\": tunnel-id %u already used by \"%s\"",
					    st->name, st->tunnel_id,
					    c->statics[k].name);
	}
	if (!c->n_listen) {
		struct sockaddr_in *s = (void *)&c->listen[0].ss;

		s->sin_family = AF_INET;
		c->listen[0].len = sizeof(*s);
		c->n_listen = 1;
	}
	return static_ports(p);
}

/* [global] as if empty: the table's defaults, the engine's protocol. */
static void defaults(struct parser *p)
{
	memset(p->c, 0, sizeof(*p->c));
	p->sec = SEC_GLOBAL;
	key_defaults(p);
	p->sec = SEC_NONE;
	engine_peer_cfg_default(&p->c->defaults);
}

int conf_parse(struct conf *c, const char *name, const char *text, char *err,
	       size_t errlen)
{
	struct parser p = {
		.c = c, .name = name, .err = err, .errlen = errlen,
	};
	const char *s = text;

	defaults(&p);
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char buf[2048];

		p.line++;
		if (n >= sizeof(buf)) {
			fail(&p, "line longer than %zu characters",
			     sizeof(buf) - 1);
			goto fail;
		}
		memcpy(buf, s, n);
		buf[n] = 0;
		if (n && buf[n - 1] == '\r')
			buf[n - 1] = 0;
		if (line(&p, buf))
			goto fail;
		s += n + (nl ? 1 : 0);
	}
	if (validate(&p))
		goto fail;
	return 0;
fail:
	conf_free(c);
	return -1;
}

int conf_load(struct conf *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0, cap = 0;
	int rc;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		memset(c, 0, sizeof(*c));
		return -1;
	}
	for (;;) {
		size_t n;

		if (cap - len < 4096) {
			char *nt;

			if (cap > (1 << 22)) {
				snprintf(err, errlen, "%s: larger than 4 MiB",
					 path);
				free(text);
				fclose(f);
				memset(c, 0, sizeof(*c));
				return -1;
			}
			cap = cap ? cap * 2 : 8192;
			nt = realloc(text, cap);
			if (!nt) {
				free(text);
				fclose(f);
				snprintf(err, errlen, "%s: out of memory", path);
				memset(c, 0, sizeof(*c));
				return -1;
			}
			text = nt;
		}
		n = fread(text + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	text[len] = 0;
	fclose(f);
	if (strlen(text) != len) {
		snprintf(err, errlen, "%s: contains a NUL byte", path);
		free(text);
		memset(c, 0, sizeof(*c));
		return -1;
	}
	rc = conf_parse(c, path, text, err, errlen);
	free(text);
	return rc;
}

void conf_free(struct conf *c)
{
	free(c->peers);
	free(c->pws);
	free(c->statics);
	c->peers = NULL;
	c->pws = NULL;
	c->statics = NULL;
	c->n_peers = c->n_pws = c->n_statics = 0;
}

/* Does addr fall in pe's address (one host) or dial-in prefix? */
static bool peer_matches(const struct conf_peer *pe, const struct sockaddr *addr)
{
	const uint8_t *a, *b;
	unsigned int bits = pe->prefix_len;

	if (pe->any)
		return true;
	if (addr->sa_family != pe->addr.ss.ss_family)
		return false;
	if (addr->sa_family == AF_INET6) {
		a = ((const struct sockaddr_in6 *)addr)->sin6_addr.s6_addr;
		b = ((const struct sockaddr_in6 *)&pe->addr.ss)->sin6_addr.s6_addr;
	} else {
		a = (const uint8_t *)&((const struct sockaddr_in *)addr)->sin_addr;
		b = (const uint8_t *)&((const struct sockaddr_in *)&pe->addr.ss)->sin_addr;
	}
	if (memcmp(a, b, bits / 8))
		return false;
	return !(bits % 8) ||
	       !((a[bits / 8] ^ b[bits / 8]) & (0xff00 >> (bits % 8)));
}

int conf_find_peer(const struct conf *c, const struct sockaddr *addr,
		   uint8_t version)
{
	int best = -1;

	for (unsigned int i = 0; i < c->n_peers; i++) {
		const struct conf_peer *pe = &c->peers[i];

		if (pe->eng.version != version || !peer_matches(pe, addr))
			continue;
		if (best < 0 || pe->prefix_len > c->peers[best].prefix_len)
			best = (int)i;
	}
	return best;
}
