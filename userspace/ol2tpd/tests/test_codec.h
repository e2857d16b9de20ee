/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of test_codec share: test_codec.c (helpers, captured
 * vectors, round trips, main), test_codec_auth.c (hiding, challenge,
 * digests) and test_codec_malformed.c (malformed input, vendor AVPs).
 */
#ifndef OL2TP_TEST_CODEC_H
#define OL2TP_TEST_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../auth.h"
#include "../msg.h"
#include "../../tests/tap.h"

/* The shared secret of every test with one. */
extern const uint8_t secret[7];
#define SECRET_LEN (sizeof(secret) - 1)

/* The message most checks parse into. */
extern struct l2tp_msg msg;

/* Parse BUF (over IP if IP, with SECRET if WITH_SECRET) into M. */
int parse(const uint8_t *buf, size_t len, bool ip, bool with_secret,
	  struct l2tp_msg *m, struct l2tp_perr *err);

void test_hiding(void);
void test_auth(void);
void test_malformed(void);
void test_vendor(void);

#endif /* OL2TP_TEST_CODEC_H */
