// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the protocol engine: whatever a peer sends, in any
 * order and at any time, the engine must not crash, leak, or wedge.
 *
 * Input: a first octet of options, then records
 *     [flags (1)] [length (2, big endian)] [datagram]
 * flags bit 0: the datagram came over L2TP/IP; bits 1-7: milliseconds x 64
 * to let pass before it.  Option bit 0 makes the engine open a connection
 * of its own first (initiator paths), bit 1 sets a shared secret with
 * challenge, bit 2 opens a session on it.  Randomness is a fixed sequence
 * so that ids are stable and the fuzzer can learn them.  After the last
 * record, time runs on for ten minutes: every timer must fire and settle,
 * then everything is freed (LeakSanitizer checks).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../auth.h"
#include "../engine_int.h"

static uint32_t rnd_state;

static int seq_random(void *buf, size_t len)
{
	uint8_t *p = buf;

	for (size_t i = 0; i < len; i++) {
		rnd_state = rnd_state * 1103515245u + 12345u;
		p[i] = (uint8_t)(rnd_state >> 16);
	}
	return 0;
}

static uint8_t opts;

static void f_send(void *ctx, struct engine_cc *cc, const uint8_t *buf,
		   size_t len)
{
	(void)ctx;
	(void)cc;
	(void)buf;
	(void)len;
}

static int f_peer_lookup(void *ctx, const struct engine_addr *addr,
			 uint8_t version, const char *host,
			 struct engine_peer_cfg *cfg)
{
	(void)ctx;
	(void)addr;
	(void)host;
	engine_peer_cfg_default(cfg);
	cfg->version = version;
	cfg->hello_ms = 5000;
	if (opts & 2) {
		memcpy(cfg->secret, "fuzz", 4);
		cfg->secret_len = 4;
		cfg->challenge = true;
	}
	return 0;
}

static int f_sess_lookup(void *ctx, struct engine_cc *cc, uint16_t pw,
			 const uint8_t *end_id, size_t end_len,
			 struct engine_sess_cfg *cfg)
{
	(void)ctx;
	(void)cc;
	(void)end_id;
	(void)end_len;
	memset(cfg, 0, sizeof(*cfg));
	cfg->pw_type = pw;
	cfg->cookie_len = 4;
	cfg->l2spec = L2TP_L2SPEC_DEFAULT;
	return 0;
}

static void f_cc_event(void *ctx, struct engine_cc *cc, enum engine_event ev)
{
	(void)ctx;
	(void)cc;
	(void)ev;
}

static int f_sess_event(void *ctx, struct engine_sess *s, enum engine_event ev)
{
	(void)ctx;
	(void)ev;
	/* Sometimes the data plane cannot be set up. */
	return s->local_id % 7 == 0 ? -1 : 0;
}

static const struct engine_ops f_ops = {
	.send = f_send,
	.peer_lookup = f_peer_lookup,
	.sess_lookup = f_sess_lookup,
	.cc_event = f_cc_event,
	.sess_event = f_sess_event,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct engine_cfg ec = {
		.host_name = "fuzz", .router_id = 1,
		.pw_caps = { L2TP_PW_ETH, L2TP_PW_PPP }, .n_pw_caps = 2,
	};
	struct engine_addr peer = { .len = sizeof(struct sockaddr_in) };
	struct sockaddr_in *sin = (void *)&peer.ss;
	struct engine *eng;
	uint64_t now = 0;
	size_t off = 1;

	if (size < 1)
		return 0;
	opts = data[0];
	rnd_state = 1;
	l2tp_random_hook = seq_random;
	sin->sin_family = AF_INET;
	sin->sin_port = htons(1701);
	sin->sin_addr.s_addr = htonl(0x0a000002);

	eng = engine_new(&ec, &f_ops, NULL);
	if (!eng)
		return 0;
	if (opts & 1) {
		struct engine_peer_cfg pc;
		struct engine_cc *cc;

		f_peer_lookup(NULL, &peer, opts & 8 ? 2 : 3, "", &pc);
		pc.ip_encap = opts & 16;
		cc = engine_connect(eng, now, &pc, NULL, &peer);
		if (cc && (opts & 4)) {
			struct engine_sess_cfg sc = { .pw_type = L2TP_PW_ETH,
						      .cookie_len = 8,
						      .tie_breaker = true,
						      .end_id = "e",
						      .end_id_len = 1 };

			engine_sess_open(cc, now, &sc);
		}
	}
	while (size - off >= 3) {
		uint8_t flags = data[off];
		size_t len = (size_t)data[off + 1] << 8 | data[off + 2];

		off += 3;
		if (len > size - off)
			len = size - off;
		now += (uint64_t)(flags >> 1) * 64;
		engine_tick(eng, now);
		engine_input(eng, now, NULL, flags & 1, &peer, data + off, len);
		off += len;
	}
	/* Let every timer run out: ten minutes in steps. */
	for (int i = 0; i < 600 && engine_next_deadline(eng) != RD_NEVER; i++) {
		uint64_t d = engine_next_deadline(eng);

		now = d > now ? d : now + 1;
		engine_tick(eng, now);
	}
	if (eng->ccs)
		abort();	/* wedged: a connection outlived every timer */
	engine_free(eng);
	l2tp_random_hook = NULL;
	return 0;
}
