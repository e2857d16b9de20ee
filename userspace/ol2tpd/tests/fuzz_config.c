// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the ol2tpd.conf parser.
 *
 * A configuration is the administrator's input, not a peer's, but a bad
 * line must still get an error, never a crash: every input is parsed (as
 * text up to its first NUL); one that parses is looked up against a few
 * addresses of both families and printed back, and its error text, when
 * it has one, must be a terminated string that names the file.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../config.h"

static void lookups(const struct conf *c)
{
	static const char *const v4[] = { "10.1.2.3", "198.51.100.7", "0.0.0.0" };
	static const char *const v6[] = { "2001:db8::1", "::1", "fe80::1" };
	char buf[96];

	for (size_t i = 0; i < 3; i++) {
		struct sockaddr_in s4 = { .sin_family = AF_INET };
		struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };

		inet_pton(AF_INET, v4[i], &s4.sin_addr);
		inet_pton(AF_INET6, v6[i], &s6.sin6_addr);
		for (uint8_t ver = 2; ver <= 3; ver++) {
			int p = conf_find_peer(c, (struct sockaddr *)&s4, ver);

			if (p >= (int)c->n_peers)
				abort();
			p = conf_find_peer(c, (struct sockaddr *)&s6, ver);
			if (p >= (int)c->n_peers)
				abort();
		}
	}
	for (unsigned int i = 0; i < c->n_peers; i++)
		if (strlen(conf_peer_addr_str(&c->peers[i], buf, sizeof(buf))) >=
		    sizeof(buf))
			abort();
	for (unsigned int i = 0; i < c->n_pws; i++)
		if (c->pws[i].peer < 0 || c->pws[i].peer >= (int)c->n_peers ||
		    !c->pws[i].max_sessions)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[512];
	struct conf c;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	memset(err, 0x41, sizeof(err));
	if (conf_parse(&c, "fuzz.conf", text, err, sizeof(err)) == 0) {
		lookups(&c);
		conf_free(&c);
	} else if (!memchr(err, 0, sizeof(err)) ||
		   strncmp(err, "fuzz.conf:", 10)) {
		abort();
	}
	free(text);
	return 0;
}
