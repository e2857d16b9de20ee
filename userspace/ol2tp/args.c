// SPDX-License-Identifier: GPL-2.0
/* Command-line words: abbreviations, keyword values, their checks. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ol2tp.h"

bool matches(const char *arg, const char *word)
{
	size_t n = strlen(arg);

	return n && n <= strlen(word) && !strncmp(arg, word, n);
}

bool is_help(const char *arg)
{
	return matches(arg, "help") || !strcmp(arg, "-h") ||
	       !strcmp(arg, "--help");
}

int run_object(int argc, char **argv, int (*dispatch)(int, char **),
	       void (*usage)(FILE *))
{
	int rc;

	if ((argc > 0 && is_help(argv[0])) || (argc > 1 && is_help(argv[1]))) {
		usage(stdout);
		return EXIT_OK;
	}
	rc = dispatch(argc, argv);
	if (rc == EXIT_USAGE)
		usage(stderr);
	return rc;
}

int run_subcmd(const char *object, const struct subcmd *cmds, int argc,
	       char **argv)
{
	if (argc < 1)
		return cmds[0].run(0, argv);
	for (const struct subcmd *c = cmds; c->name; c++)
		if (matches(argv[0], c->name))
			return c->run(argc - 1, argv + 1);
	errmsg("%s: unknown command \"%s\"", object, argv[0]);
	return EXIT_USAGE;
}

/* Unsigned decimal or 0x-hex, the whole string, at most MAX. */
static int parse_uint(const char *val, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*val || *val == '-' || *val == '+' || isspace((unsigned char)*val))
		return -1;
	errno = 0;
	v = strtoull(val, &end, !strncmp(val, "0x", 2) ||
			     !strncmp(val, "0X", 2) ? 16 : 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_id(const char *key, const char *val, uint32_t *out)
{
	uint64_t v;

	if (parse_uint(val, UINT32_MAX, &v) < 0 || v == 0) {
		errmsg("invalid %s \"%s\": expected an id 1..4294967295",
		       key, val);
		return -1;
	}
	*out = v;
	return 0;
}

int parse_u32(const char *key, const char *val, uint32_t *out)
{
	uint64_t v;

	if (parse_uint(val, UINT32_MAX, &v) < 0) {
		errmsg("invalid %s \"%s\": expected a number 0..4294967295",
		       key, val);
		return -1;
	}
	*out = v;
	return 0;
}

int parse_u64(const char *key, const char *val, uint64_t *out)
{
	if (parse_uint(val, UINT64_MAX, out) < 0) {
		errmsg("invalid %s \"%s\": expected a number 0..%" PRIu64,
		       key, val, UINT64_MAX);
		return -1;
	}
	return 0;
}

int parse_port(const char *key, const char *val, uint16_t *out)
{
	uint64_t v;

	if (parse_uint(val, UINT16_MAX, &v) < 0) {
		errmsg("invalid %s \"%s\": expected a UDP port 0..65535", key,
		       val);
		return -1;
	}
	*out = v;
	return 0;
}

int parse_on_off(const char *key, const char *val, bool *out)
{
	if (!strcmp(val, "on")) {
		*out = true;
		return 0;
	}
	if (!strcmp(val, "off")) {
		*out = false;
		return 0;
	}
	errmsg("invalid %s \"%s\": expected on or off", key, val);
	return -1;
}

int parse_addr(const char *key, const char *val, struct ol2tp_nl_addr *out,
	       bool any_ok)
{
	memset(out, 0, sizeof(*out));
	if (any_ok && !strcmp(val, "any"))
		return 0;	/* AF_UNSPEC: the caller picks the family */
	if (inet_pton(AF_INET, val, &out->v4) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, val, &out->v6) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	errmsg("invalid %s \"%s\": expected an IPv4 or IPv6 address%s", key,
	       val, any_ok ? " or any" : "");
	return -1;
}

int parse_cookie(const char *key, const char *val, uint8_t *buf,
		 uint8_t *len)
{
	size_t n = strlen(val), i;

	if (!strncmp(val, "0x", 2) || !strncmp(val, "0X", 2)) {
		val += 2;
		n -= 2;
	}
	if (n != 8 && n != 16)
		goto bad;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)val[i]))
			goto bad;
	for (i = 0; i < n / 2; i++) {
		char byte[3] = { val[2 * i], val[2 * i + 1], 0 };

		buf[i] = strtoul(byte, NULL, 16);
	}
	*len = n / 2;
	return 0;
bad:
	errmsg("invalid %s \"%s\": expected 8 or 16 hex digits (4 or 8 bytes)",
	       key, val);
	return -1;
}

int parse_ifname(const char *key, const char *val, char *buf)
{
	size_t n = strlen(val), i;

	if (!n || n >= IFNAMSIZ || !strcmp(val, ".") || !strcmp(val, ".."))
		goto bad;
	for (i = 0; i < n; i++)
		if (val[i] == '/' || val[i] == ':' ||
		    isspace((unsigned char)val[i]))
			goto bad;
	memcpy(buf, val, n + 1);
	return 0;
bad:
	errmsg("invalid %s \"%s\": expected an interface name of 1..%d characters, without '/', ':' or spaces",
	       key, val, IFNAMSIZ - 1);
	return -1;
}

int parse_choice(const char *key, const char *val,
		 const char *const *names, const char *expect)
{
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(val, names[i]))
			return i;
	errmsg("invalid %s \"%s\": expected %s", key, val, expect);
	return -1;
}

const char *next_kv(struct kv_iter *it, const char **val)
{
	const char *key;

	key = it->argv[it->i++];
	if (it->i >= it->argc) {
		errmsg("keyword \"%s\" needs a value", key);
		return NULL;
	}
	*val = it->argv[it->i++];
	return key;
}

int once(uint64_t *seen, int bit, const char *key)
{
	if (*seen & BIT(bit)) {
		errmsg("%s given twice", key);
		return -1;
	}
	*seen |= BIT(bit);
	return 0;
}

static const struct kw *kw_find(const struct kw_table *table,
				 const char *key)
{
	for (size_t k = 0; k < table->n; k++) {
		const struct kw *w = &table->kw[k];

		if (!strcmp(key, w->name) || (w->alias && !strcmp(key, w->alias)))
			return w;
	}
	return NULL;
}

static int kw_store(const struct kw *w, const char *key, const char *val,
		    void *args)
{
	char *at = (char *)args + w->off;
	int k;

	switch (w->kind) {
	case KW_ID:
		return parse_id(key, val, (uint32_t *)at);
	case KW_U32:
		return parse_u32(key, val, (uint32_t *)at);
	case KW_U64:
		return parse_u64(key, val, (uint64_t *)at);
	case KW_PORT:
		return parse_port(key, val, (uint16_t *)at);
	case KW_ON_OFF:
		return parse_on_off(key, val, (bool *)at);
	case KW_ADDR:
	case KW_ADDR_ANY:
		return parse_addr(key, val, (struct ol2tp_nl_addr *)at,
				  w->kind == KW_ADDR_ANY);
	case KW_COOKIE:
		return parse_cookie(key, val, (uint8_t *)at,
				    (uint8_t *)args + w->len_off);
	case KW_IFNAME:
		return parse_ifname(key, val, at);
	case KW_CHOICE8:
	case KW_CHOICE16:
		k = parse_choice(key, val, w->choices, w->expect);
		if (k < 0)
			return -1;
		if (w->kind == KW_CHOICE8)
			*(uint8_t *)at = w->values[k];
		else
			*(uint16_t *)at = w->values[k];
		return 0;
	case KW_FN:
		return w->fn(args, key, val);
	}
	return -1;
}

int kw_parse(const struct kw_table *table, int argc, char **argv, void *args)
{
	uint64_t *seen = (uint64_t *)((char *)args + table->seen_off);
	struct kv_iter it = { .argc = argc, .argv = argv };
	const char *key, *val;
	const struct kw *w;

	memset(args, 0, table->args_size);
	while (it.i < argc) {
		/* An unknown keyword is named as such, even as the last word. */
		w = kw_find(table, argv[it.i]);
		if (!w) {
			errmsg("unknown keyword \"%s\"", argv[it.i]);
			return -1;
		}
		key = next_kv(&it, &val);
		if (!key || once(seen, w - table->kw, w->name) < 0 ||
		    kw_store(w, key, val, args) < 0)
			return -1;
	}
	return 0;
}

int kw_only(const struct kw_table *table, uint64_t seen, uint64_t allowed,
	    const char *cmd)
{
	const char *obj = table->object;
	size_t k;

	for (k = 0; k < table->n; k++) {
		if (!(seen & BIT(k)) || (allowed & BIT(k)))
			continue;
		if (!strcmp(cmd, "modify"))
			errmsg("%s modify: %s cannot be changed on an existing %s; delete the %s and add it again",
			       obj, table->kw[k].name, obj, obj);
		else
			errmsg("%s %s: keyword %s does not apply", obj, cmd,
			       table->kw[k].name);
		return -1;
	}
	return 0;
}

int kw_require(const struct kw_table *table, uint64_t seen, int k,
	       const char *cmd, const char *why)
{
	if (seen & BIT(k))
		return 0;
	errmsg("%s %s: %s is required%s", table->object, cmd,
	       table->kw[k].name, why);
	return -1;
}

/* [ name NAME ]: 0 and *NAME (NULL if absent), or -1 reported. */
int parse_name_filter(int argc, char **argv, const char **name)
{
	struct kv_iter it = { .argc = argc, .argv = argv };
	const char *key, *val;
	uint64_t seen = 0;

	*name = NULL;
	while (it.i < argc) {
		if (!matches(argv[it.i], "name")) {
			errmsg("unknown keyword \"%s\"", argv[it.i]);
			return -1;
		}
		key = next_kv(&it, &val);
		if (!key || once(&seen, 0, "name") < 0)
			return -1;
		*name = val;
	}
	return 0;
}

int parse_daemon_name(const char *what, const char *val)
{
	size_t n = strlen(val);

	if (!n || n > 63 || strspn(val, "abcdefghijklmnopqrstuvwxyz"
				   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != n) {
		errmsg("invalid %s name \"%s\": 1 to 63 letters, digits, '-', '_' or '.', as in ol2tpd.conf",
		       what, val);
		return -1;
	}
	return 0;
}
