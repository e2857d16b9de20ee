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

#define BAD(what, hint) fail(p, "%s: invalid %s \"%s\" (%s)", key, what, v, hint)

/* Keys shared by [global] (defaults) and [peer] (protocol settings). */
static int proto_key(struct parser *p, struct engine_peer_cfg *e,
		     const char *key, const char *v, bool *handled)
{
	unsigned long x;
	bool b;

	*handled = true;
	if (!strcmp(key, "hello")) {
		if (parse_duration(v, &e->hello_ms))
			return BAD("duration", "seconds, 0 disables, or e.g. 500ms");
	} else if (!strcmp(key, "retries")) {
		if (parse_uint(v, 0, 100, &x))
			return BAD("count", "0 to 100");
		e->rd.max_retries = (uint32_t)x;
	} else if (!strcmp(key, "retransmit-cap")) {
		if (parse_duration(v, &e->rd.rto_max_ms) ||
		    e->rd.rto_max_ms < RD_RTO_CAP_MIN_MS)
			return BAD("duration", "at least 8 seconds");
	} else if (!strcmp(key, "receive-window")) {
		if (parse_uint(v, 1, RD_RXQ_MAX, &x))
			return BAD("window", "1 to 64");
		e->rd.rwin = (uint16_t)x;
	} else if (!strcmp(key, "version")) {
		if (parse_uint(v, 2, 3, &x))
			return BAD("version", "2 or 3");
		e->version = (uint8_t)x;
	} else if (!strcmp(key, "encap")) {
		if (!strcmp(v, "udp"))
			e->ip_encap = false;
		else if (!strcmp(v, "ip"))
			e->ip_encap = true;
		else
			return BAD("encapsulation", "udp or ip");
	} else if (!strcmp(key, "digest")) {
		if (!strcmp(v, "none")) {
			e->digest = false;
		} else if (!strcmp(v, "md5")) {
			e->digest = true;
			e->digest_type = L2TP_DIGEST_HMAC_MD5;
		} else if (!strcmp(v, "sha1")) {
			e->digest = true;
			e->digest_type = L2TP_DIGEST_HMAC_SHA1;
		} else {
			return BAD("digest", "none, md5 or sha1");
		}
	} else if (!strcmp(key, "challenge") || !strcmp(key, "hide") ||
		   !strcmp(key, "tie-breaker")) {
		if (parse_bool(v, &b))
			return BAD("boolean", "yes or no");
		if (key[0] == 'c')
			e->challenge = b;
		else if (key[0] == 'h')
			e->hide = b;
		else
			e->tie_breaker = b;
	} else if (!strcmp(key, "secret")) {
		size_t n = strlen(v);

		if (!n || n > sizeof(e->secret))
			return fail(p, "secret: must be 1 to %zu characters",
				    sizeof(e->secret));
		memcpy(e->secret, v, n);
		e->secret_len = n;
	} else {
		*handled = false;
	}
	return 0;
}

static int global_key(struct parser *p, const char *key, const char *v)
{
	struct conf *c = p->c;
	bool handled;
	struct in_addr ia;
	unsigned long x;

	if (proto_key(p, &c->defaults, key, v, &handled))
		return -1;
	if (handled) {
		if (!strcmp(key, "secret"))
			return fail(p, "secret belongs in a [peer] section");
		return 0;
	}
	if (!strcmp(key, "host-name")) {
		if (!*v || strlen(v) >= sizeof(c->host_name))
			return BAD("host name", "1 to 63 characters");
		snprintf(c->host_name, sizeof(c->host_name), "%s", v);
	} else if (!strcmp(key, "router-id")) {
		if (inet_pton(AF_INET, v, &ia) == 1)
			c->router_id = ntohl(ia.s_addr);
		else if (parse_uint(v, 0, UINT32_MAX, &x) == 0)
			c->router_id = (uint32_t)x;
		else
			return BAD("router id", "dotted quad or number");
	} else if (!strcmp(key, "max-pending")) {
		if (parse_uint(v, 1, 1000000, &x))
			return BAD("count", "1 to 1000000");
		c->max_pending = (unsigned int)x;
	} else if (!strcmp(key, "port")) {
		if (parse_uint(v, 1, 65535, &x))
			return BAD("port", "1 to 65535");
		c->port = (uint16_t)x;
	} else if (!strcmp(key, "listen")) {
		char buf[128], *tok, *save = NULL;

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
	} else if (!strcmp(key, "control-socket")) {
		if (!*v || strlen(v) >= sizeof(c->control_socket))
			return BAD("path", "too long");
		snprintf(c->control_socket, sizeof(c->control_socket), "%s", v);
	} else if (!strcmp(key, "pppd")) {
		if (!*v || strlen(v) >= sizeof(c->pppd))
			return BAD("path", "too long");
		snprintf(c->pppd, sizeof(c->pppd), "%s", v);
	} else if (!strcmp(key, "log-level")) {
		static const char *const lv[] = { "err", "warning", "notice",
						  "info", "debug" };
		static const int num[] = { LOG_ERR, LOG_WARNING, LOG_NOTICE,
					   LOG_INFO, LOG_DEBUG };
		size_t i;

		for (i = 0; i < 5 && strcmp(v, lv[i]); i++)
			;
		if (i == 5)
			return BAD("level", "err, warning, notice, info or debug");
		c->log_level = num[i];
	} else if (!strcmp(key, "log")) {
		if (!strcmp(v, "syslog"))
			c->log_syslog = true;
		else if (!strcmp(v, "stderr"))
			c->log_syslog = false;
		else
			return BAD("log target", "stderr or syslog");
	} else {
		return fail(p, "unknown key \"%s\" in [global]", key);
	}
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

static int peer_key(struct parser *p, const char *key, const char *v)
{
	struct conf_peer *pe = &p->c->peers[p->idx];
	unsigned long x;
	bool handled;

	if (proto_key(p, &pe->eng, key, v, &handled))
		return -1;
	if (handled)
		return 0;
	if (!strcmp(key, "address")) {
		if (parse_peer_addr(pe, v))
			return BAD("address", "e.g. 192.0.2.1, 192.0.2.1:1701, [2001:db8::1], 198.51.100.0/24 or any");
	} else if (!strcmp(key, "max-connections")) {
		if (parse_uint(v, 0, 1000000, &x))
			return BAD("count", "0 (no limit) to 1000000");
		pe->max_connections = (unsigned int)x;
	} else if (!strcmp(key, "local-address")) {
		if (parse_addr(v, &pe->local))
			return BAD("address", "e.g. 192.0.2.2");
		pe->have_local = true;
	} else if (!strcmp(key, "initiate")) {
		if (parse_bool(v, &pe->initiate))
			return BAD("boolean", "yes or no");
		pe->initiate_given = true;
	} else if (!strcmp(key, "ipsec")) {
		if (parse_bool(v, &pe->ipsec))
			return BAD("boolean", "yes or no");
	} else if (!strcmp(key, "reconnect")) {
		if (parse_duration(v, &pe->reconnect_ms))
			return BAD("duration", "seconds, 0 never");
	} else {
		return fail(p, "unknown key \"%s\" in [peer %s]", key, pe->name);
	}
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

static int pw_key(struct parser *p, const char *key, const char *v)
{
	struct conf_pw *w = &p->c->pws[p->idx];
	unsigned long x;

	if (!strcmp(key, "peer")) {
		/* Resolved at the end: the peer may be defined later. */
		if (strlen(v) >= sizeof(w->peer_name))
			return BAD("peer name", "too long");
		snprintf(w->peer_name, sizeof(w->peer_name), "%s", v);
		w->peer = -1;
		w->peer_line = p->line;
	} else if (!strcmp(key, "type")) {
		if (!strcmp(v, "ethernet"))
			w->pw_type = L2TP_PW_ETH;
		else if (!strcmp(v, "ppp"))
			w->pw_type = L2TP_PW_PPP;
		else
			return BAD("pseudowire type", "ethernet or ppp");
	} else if (!strcmp(key, "remote-end-id")) {
		size_t n = strlen(v);

		if (n > sizeof(w->end_id))
			return BAD("remote end id", "at most 64 characters");
		memcpy(w->end_id, v, n);
		w->end_id_len = n;
	} else if (!strcmp(key, "call")) {
		if (!strcmp(v, "incoming"))
			w->call = CONF_CALL_INCOMING;
		else if (!strcmp(v, "outgoing"))
			w->call = CONF_CALL_OUTGOING;
		else
			return BAD("call", "incoming or outgoing");
	} else if (!strcmp(key, "initiate")) {
		if (parse_bool(v, &w->initiate))
			return BAD("boolean", "yes or no");
		w->initiate_given = true;
	} else if (!strcmp(key, "sessions")) {
		if (parse_uint(v, 1, 65535, &x))
			return BAD("count", "1 to 65535");
		w->max_sessions = (unsigned int)x;
	} else if (!strcmp(key, "cookie")) {
		if (parse_uint(v, 0, 8, &x) || (x != 0 && x != 4 && x != 8))
			return BAD("cookie length", "0, 4 or 8");
		w->cookie_len = (uint8_t)x;
	} else if (!strcmp(key, "l2spec")) {
		if (!strcmp(v, "none"))
			w->l2spec = L2TP_L2SPEC_NONE;
		else if (!strcmp(v, "default"))
			w->l2spec = L2TP_L2SPEC_DEFAULT;
		else
			return BAD("sublayer", "none or default");
	} else if (!strcmp(key, "sequencing")) {
		if (parse_bool(v, &w->sequencing))
			return BAD("boolean", "yes or no");
	} else if (!strcmp(key, "interface")) {
		if (parse_ifname(v, w->ifname, sizeof(w->ifname)))
			return BAD("interface name", "1 to 15 characters, no / or space");
	} else if (!strcmp(key, "pppd-options")) {
		if (strlen(v) >= sizeof(w->pppd_options))
			return BAD("options", "too long");
		snprintf(w->pppd_options, sizeof(w->pppd_options), "%s", v);
	} else if (!strcmp(key, "lns")) {
		if (parse_bool(v, &w->lns))
			return BAD("boolean", "yes or no");
	} else if (!strcmp(key, "ppp-local-address")) {
		if (parse_ipv4(v, &w->ppp_local))
			return BAD("address", "an IPv4 address, e.g. 10.9.0.1");
	} else if (!strcmp(key, "ppp-address-pool")) {
		if (parse_pool(v, &w->pool_first, &w->pool_last))
			return BAD("address pool", "FIRST-LAST, e.g. 10.9.0.10-10.9.0.99, at most 65536 addresses");
	} else if (!strcmp(key, "mtu")) {
		if (parse_uint(v, 68, 65535, &x))
			return BAD("MTU", "68 to 65535");
		w->mtu = (unsigned int)x;
	} else if (!strcmp(key, "bridge")) {
		if (parse_ifname(v, w->bridge, sizeof(w->bridge)))
			return BAD("bridge name", "1 to 15 characters, no / or space");
	} else if (!strcmp(key, "up") || !strcmp(key, "down")) {
		char *dst = key[0] == 'u' ? w->up_script : w->down_script;

		if (v[0] != '/' || strlen(v) >= CONF_PATH_MAX)
			return BAD("script", "an absolute path, e.g. /etc/ol2tpd/pw-up");
		snprintf(dst, CONF_PATH_MAX, "%s", v);
	} else {
		return fail(p, "unknown key \"%s\" in [pseudowire %s]", key,
			    w->name);
	}
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

static int static_key(struct parser *p, const char *key, const char *v)
{
	struct conf_static *st = &p->c->statics[p->idx];
	unsigned long x;
	uint32_t *id = NULL;

	if (!strcmp(key, "encap")) {
		if (!strcmp(v, "udp"))
			st->ip_encap = false;
		else if (!strcmp(v, "ip"))
			st->ip_encap = true;
		else
			return BAD("encapsulation", "udp or ip");
	} else if (!strcmp(key, "local") || !strcmp(key, "remote")) {
		struct conf_addr *a = key[0] == 'l' ? &st->local : &st->remote;

		if (parse_addr(v, a) || !a->ss.ss_family)
			return BAD("address", "e.g. 192.0.2.1 or [2001:db8::1]:1702");
	} else if (!strcmp(key, "tunnel-id")) {
		id = &st->tunnel_id;
	} else if (!strcmp(key, "peer-tunnel-id")) {
		id = &st->peer_tunnel_id;
	} else if (!strcmp(key, "session-id")) {
		id = &st->session_id;
	} else if (!strcmp(key, "peer-session-id")) {
		id = &st->peer_session_id;
	} else if (!strcmp(key, "send-cookie")) {
		if (parse_cookie(v, st->send_cookie, &st->send_cookie_len))
			return BAD("cookie", "8 or 16 hex digits");
	} else if (!strcmp(key, "receive-cookie")) {
		if (parse_cookie(v, st->recv_cookie, &st->recv_cookie_len))
			return BAD("cookie", "8 or 16 hex digits");
	} else if (!strcmp(key, "l2spec")) {
		if (!strcmp(v, "none"))
			st->l2spec = L2TP_L2SPEC_NONE;
		else if (!strcmp(v, "default"))
			st->l2spec = L2TP_L2SPEC_DEFAULT;
		else
			return BAD("sublayer", "none or default");
	} else if (!strcmp(key, "interface")) {
		if (parse_ifname(v, st->ifname, sizeof(st->ifname)))
			return BAD("interface name", "1 to 15 characters, no / or space");
	} else {
		return fail(p, "unknown key \"%s\" in [static %s]", key,
			    st->name);
	}
	if (id) {
		if (parse_uint(v, 1, UINT32_MAX, &x))
			return BAD("id", "1 to 4294967295");
		*id = (uint32_t)x;
	}
	return 0;
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
		ns->l2spec = L2TP_L2SPEC_DEFAULT;
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
		np->initiate = true;
		np->reconnect_ms = 10000;
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
		nw->pw_type = L2TP_PW_ETH;
		nw->initiate = true;
		nw->l2spec = L2TP_L2SPEC_DEFAULT;
		p->idx = (int)c->n_pws++;
		p->sec = SEC_PW;
	}
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
	if (!*val && strcmp(key, "remote-end-id") && strcmp(key, "pppd-options"))
		return fail(p, "%s: empty value", key);
	switch (p->sec) {
	case SEC_GLOBAL:
		return global_key(p, key, val);
	case SEC_PEER:
		return peer_key(p, key, val);
	case SEC_PW:
		return pw_key(p, key, val);
	case SEC_STATIC:
		return static_key(p, key, val);
	default:
		return fail(p, "\"%s\" outside of a section (start with [global])",
			    key);
	}
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

static void defaults(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->host_name, sizeof(c->host_name), "ol2tpd");
	c->port = 1701;
	snprintf(c->control_socket, sizeof(c->control_socket),
		 "/run/ol2tpd.sock");
	snprintf(c->pppd, sizeof(c->pppd), "/usr/sbin/pppd");
	c->log_level = LOG_INFO;
	engine_peer_cfg_default(&c->defaults);
}

int conf_parse(struct conf *c, const char *name, const char *text, char *err,
	       size_t errlen)
{
	struct parser p = {
		.c = c, .name = name, .err = err, .errlen = errlen,
	};
	const char *s = text;

	defaults(c);
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
