// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tpd.conf parser: lines, sections and validation.  The keys are
 * config-keys.c's table, the values config-values.c's readers.  See
 * Documentation/ol2tpd.conf.5.
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

int fail(struct parser *p, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%d: %s", p->name, p->line, msg);
	return -1;
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
		np->eng.index = (int)c->n_peers;
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
	if (!*val && !key_empty_ok(key))
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
