// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tpd.conf value readers: addresses, prefixes, numbers, durations, names,
 * cookies; and which peer an address belongs to.
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

const char *conf_host_str(const struct sockaddr *sa, char *buf, size_t len)
{
	const void *ip = sa->sa_family == AF_INET6 ?
		(const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr :
		(const void *)&((const struct sockaddr_in *)sa)->sin_addr;

	if ((sa->sa_family != AF_INET && sa->sa_family != AF_INET6) ||
	    !inet_ntop(sa->sa_family, ip, buf, (socklen_t)len))
		snprintf(buf, len, "?");
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
int parse_addr(const char *s, struct conf_addr *a)
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

int parse_bool(const char *v, bool *out)
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
int parse_uint(const char *v, unsigned long min, unsigned long max,
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
int parse_duration(const char *v, uint32_t *ms)
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
int parse_peer_addr(struct conf_peer *pe, const char *v)
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
int parse_ipv4(const char *v, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, v, &a) != 1 || !a.s_addr)
		return -1;
	*out = ntohl(a.s_addr);
	return 0;
}

/* "10.9.0.10-10.9.0.99": a range of IPv4 addresses for the callers. */
int parse_pool(const char *v, uint32_t *first, uint32_t *last)
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
int parse_ifname(const char *v, char *dst, size_t size)
{
	size_t n = strlen(v);

	if (!n || n >= size || strchr(v, '/') ||
	    strchr(v, ' '))
		return -1;
	memcpy(dst, v, n + 1);
	return 0;
}

/* 8 or 16 hex digits. */
int parse_cookie(const char *v, uint8_t *out, uint8_t *len)
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
