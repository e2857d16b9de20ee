// SPDX-License-Identifier: GPL-2.0
/*
 * test_codec: AVP hiding, Challenge Response, Shared-Key and Message
 * Digest against known answers computed independently (Python hashlib/hmac).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "test_codec.h"

/* Deterministic "random" octets: 0xa0, 0xa1, ... */
static int counting_random(void *buf, size_t len)
{
	uint8_t *p = buf;

	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(0xa0 + i);
	return 0;
}

void test_hiding(void)
{
	static const uint8_t rv[16] = {
		0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
		0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
	};
	static const uint8_t exp1[] = { 0x78, 0xae, 0xe9, 0x24 };
	static const uint8_t exp2[] = {
		0x2a, 0x98, 0xe5, 0xbb, 0xb8, 0xe5, 0x82, 0x42, 0x3a, 0x29, 0x5d,
		0x0f, 0xbb, 0xf6, 0x52, 0xd2, 0x3f, 0x99, 0x15, 0x05, 0xc7, 0xd4,
	};
	uint8_t v[2] = { 0x12, 0x34 }, h[64], u[64], out[512];
	struct l2tp_builder b;
	struct l2tp_perr err;
	const uint8_t *p;
	uint16_t u16 = 0;
	size_t l = 0;
	int n, len, rc;

	n = avp_hide(L2TP_AVP_ASSIGNED_TUNNEL_ID, secret, SECRET_LEN, rv, 16,
		     v, 2, 0, h, sizeof(h));
	ok(n == 4 && !memcmp(h, exp1, 4),
	   "hiding: one-block value matches the RFC 2661 4.3 known answer");
	n = avp_hide(L2TP_AVP_HOST_NAME, secret, SECRET_LEN, rv, 16,
		     (const uint8_t *)"abcdefghijklmnopqrst", 20, 0, h,
		     sizeof(h));
	ok(n == 22 && !memcmp(h, exp2, 22),
	   "hiding: two-block value chains MD5(secret | c1) (known answer)");
	n = avp_unhide(L2TP_AVP_HOST_NAME, secret, SECRET_LEN, rv, 16, h, 22, u);
	ok(n == 20 && !memcmp(u, "abcdefghijklmnopqrst", 20),
	   "hiding: unhide restores the value");
	n = avp_hide(L2TP_AVP_HOST_NAME, secret, SECRET_LEN, rv, 16,
		     (const uint8_t *)"xyz", 3, 13, h, sizeof(h));
	n = n == 18 ? avp_unhide(L2TP_AVP_HOST_NAME, secret, SECRET_LEN, rv,
				 16, h, 18, u) : -1;
	ok(n == 3 && !memcmp(u, "xyz", 3),
	   "hiding: random padding is dropped on unhide");

	/* Whole messages: builder inserts the Random Vector itself. */
	l2tp_random_hook = counting_random;
	l2tp_build_init(&b, out, sizeof(out), 2, false, 1, 0);
	l2tp_build_set_secret(&b, secret, SECRET_LEN, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_SCCRQ);
	l2tp_build_avp(&b, 0, L2TP_AVP_PROTO_VERSION, L2TP_AVP_F_M, "\x01\x00",
		       2);
	l2tp_build_str(&b, L2TP_AVP_HOST_NAME, L2TP_AVP_F_M, "lac");
	l2tp_build_u32(&b, L2TP_AVP_FRAMING_CAPS, L2TP_AVP_F_M,
		       L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC);
	l2tp_build_u16(&b, L2TP_AVP_ASSIGNED_TUNNEL_ID,
		       L2TP_AVP_F_M | L2TP_AVP_F_H, 0x1234);
	len = l2tp_build_finish(&b);
	l2tp_random_hook = NULL;
	ok(len > 0 && !memcmp(out + 12 + 8 + 8 + 9 + 10, "\x80\x16\x00\x00\x00\x24", 6) &&
	   !memcmp(out + 12 + 8 + 8 + 9 + 10 + 6, rv, 16) &&
	   !memcmp(out + len - 4, exp1, 4),
	   "hiding: builder emits Random Vector then the hidden AVP (known answer)");
	rc = parse(out, (size_t)len, false, true, &msg, &err);
	ok(rc == 0 && l2tp_msg_u16(&msg, L2TP_AVP_ASSIGNED_TUNNEL_ID, &u16) &&
	   u16 == 0x1234 &&
	   (l2tp_msg_find(&msg, 0, L2TP_AVP_ASSIGNED_TUNNEL_ID)->flags &
	    L2TP_AVPF_H), "hiding: parser unhides with the shared secret");
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_CONN && err.result == 2 &&
	   err.error == L2TP_ERR_BAD_VALUE,
	   "hiding: mandatory hidden AVP without a secret clears the connection");
	{
		struct l2tp_parse_opts o = { .secret = (const uint8_t *)"nope",
					     .secret_len = 4 };

		rc = l2tp_msg_parse(&msg, out, (size_t)len, &o, &err);
		ok(rc < 0 && err.scope == L2TP_PERR_CONN,
		   "hiding: wrong secret (embedded length does not fit) refused");
	}
	/* A non-mandatory hidden AVP that cannot be read is just ignored. */
	l2tp_build_init(&b, out, sizeof(out), 3, false, 1, 0);
	l2tp_build_set_secret(&b, secret, SECRET_LEN, 7);
	l2tp_build_msgtype(&b, L2TP_MSG_HELLO);
	l2tp_build_str(&b, L2TP_AVP_VENDOR_NAME, L2TP_AVP_F_H, "secret vendor");
	len = l2tp_build_finish(&b);
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	ok(rc == 0 && msg.nignored == 1 &&
	   !l2tp_msg_has(&msg, L2TP_AVP_VENDOR_NAME),
	   "hiding: unreadable non-mandatory hidden AVP is ignored");
	rc = parse(out, (size_t)len, false, true, &msg, &err);
	p = l2tp_msg_bytes(&msg, L2TP_AVP_VENDOR_NAME, &l);
	ok(rc == 0 && p && l == 13 && !memcmp(p, "secret vendor", 13),
	   "hiding: padded hidden string round-trips");
	/* Hidden AVP that must never be hidden. */
	{
		uint8_t bad[] = {
			0xc8, 0x03, 0, 12 + 8 + 22 + 8, 0, 0, 0, 1, 0, 0, 0, 0,
			0x80, 0x08, 0, 0, 0, 0, 0, 6,
			0x80, 22, 0, 0, 0, 36, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
			11, 12, 13, 14, 15, 16,
			0xc0, 8, 0, 0, 0, 10, 0, 4,
		};

		rc = parse(bad, sizeof(bad), false, true, &msg, &err);
		ok(rc < 0 && err.scope == L2TP_PERR_CONN &&
		   err.error == L2TP_ERR_BAD_VALUE,
		   "hiding: hidden Receive Window Size (must not be hidden) refused");
	}
}

void test_auth(void)
{
	static const uint8_t chal[16] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	};
	static const uint8_t chap_exp[16] = {
		0xd7, 0xcd, 0xc5, 0x8a, 0xe8, 0xfe, 0xc2, 0xb9,
		0x94, 0xe7, 0xed, 0xd0, 0xb9, 0x4b, 0xd8, 0xa1,
	};
	static const uint8_t key_exp[16] = {
		0x01, 0x39, 0x05, 0x79, 0x1d, 0x8a, 0x6f, 0x7a,
		0x63, 0xe2, 0x2d, 0x7b, 0xa3, 0x8d, 0x80, 0x31,
	};
	static const uint8_t md5_exp[16] = {
		0xc3, 0x37, 0x08, 0x4a, 0xf3, 0x75, 0xac, 0x05,
		0x51, 0xa8, 0xe7, 0x0b, 0xc8, 0xf8, 0xc0, 0x28,
	};
	static const uint8_t md5_nononce_exp[16] = {
		0xce, 0x4c, 0xa9, 0xac, 0x0d, 0x4d, 0xcc, 0xd6,
		0x8a, 0x28, 0x1e, 0x91, 0x32, 0x5b, 0x0d, 0x31,
	};
	static const uint8_t sha1_exp[20] = {
		0xdc, 0x3c, 0xf5, 0xc5, 0x6b, 0x5e, 0x43, 0xac, 0xde, 0xf5,
		0xdf, 0x0a, 0x8f, 0xa8, 0xa6, 0xd1, 0x1f, 0x11, 0x00, 0x05,
	};
	uint8_t resp[16], key[16], n1[16], n2[16], out[256], ipout[256];
	struct l2tp_builder b;
	struct l2tp_perr err;
	int len, rc;

	memset(n1, 0x11, 16);
	memset(n2, 0x22, 16);
	ok(l2tp_chap_response(2, secret, SECRET_LEN, chal, 16, resp) == 0 &&
	   !memcmp(resp, chap_exp, 16),
	   "Challenge Response = MD5(type | secret | challenge) (known answer)");
	ok(l2tp_shared_key(secret, SECRET_LEN, key) == 0 &&
	   !memcmp(key, key_exp, 16),
	   "Shared-Key = HMAC-MD5(secret, 2) (known answer)");

	l2tp_build_init(&b, out, sizeof(out), 3, false, 0x01020304, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_HELLO);
	l2tp_build_digest(&b, L2TP_DIGEST_HMAC_MD5);
	len = l2tp_build_finish(&b);
	l2tp_msg_set_seq(out, false, 5, 7);
	ok(len == 43 && b.digest_off == 20 &&
	   l2tp_msg_sign(out, (size_t)len, false, b.digest_off, key, n1, 16,
			 n2, 16) == 0 && !memcmp(out + 27, md5_exp, 16),
	   "HMAC-MD5 Message Digest over nonces and message (known answer)");
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	ok(rc == 0 && msg.digest_idx == 1 &&
	   l2tp_msg_verify(&msg, out, (size_t)len, key, n1, 16, n2, 16),
	   "HMAC-MD5 digest verifies");
	ok(!l2tp_msg_verify(&msg, out, (size_t)len, key, n2, 16, n1, 16),
	   "digest with the nonces swapped does not verify");
	out[11] ^= 1;	/* Nr changed in flight */
	ok(!l2tp_msg_verify(&msg, out, (size_t)len, key, n1, 16, n2, 16),
	   "digest covers the header: altered Nr does not verify");
	out[11] ^= 1;
	{
		uint8_t key2[16];

		l2tp_shared_key((const uint8_t *)"other", 5, key2);
		ok(!l2tp_msg_verify(&msg, out, (size_t)len, key2, n1, 16, n2,
				    16), "digest with another secret fails");
	}
	l2tp_msg_sign(out, (size_t)len, false, b.digest_off, key, NULL, 0,
		      NULL, 0);
	ok(!memcmp(out + 27, md5_nononce_exp, 16),
	   "HMAC-MD5 digest without nonces (SCCRQ) (known answer)");

	l2tp_build_init(&b, out, sizeof(out), 3, false, 0x01020304, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_HELLO);
	l2tp_build_digest(&b, L2TP_DIGEST_HMAC_SHA1);
	len = l2tp_build_finish(&b);
	l2tp_msg_set_seq(out, false, 5, 7);
	ok(len == 47 && l2tp_msg_sign(out, (size_t)len, false, b.digest_off,
				      key, n1, 16, n2, 16) == 0 &&
	   !memcmp(out + 27, sha1_exp, 20),
	   "HMAC-SHA1 Message Digest (known answer)");
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	ok(rc == 0 && l2tp_msg_verify(&msg, out, (size_t)len, key, n1, 16,
				      n2, 16), "HMAC-SHA1 digest verifies");

	/* Over IP the leading session id is not part of the digest. */
	l2tp_build_init(&b, ipout, sizeof(ipout), 3, true, 0x01020304, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_HELLO);
	l2tp_build_digest(&b, L2TP_DIGEST_HMAC_MD5);
	len = l2tp_build_finish(&b);
	l2tp_msg_set_seq(ipout, true, 5, 7);
	l2tp_msg_sign(ipout, (size_t)len, true, b.digest_off, key, n1, 16, n2,
		      16);
	ok(len == 47 && !memcmp(ipout + 31, md5_exp, 16),
	   "digest over IP equals the digest over UDP (session id excluded)");
	rc = parse(ipout, (size_t)len, true, false, &msg, &err);
	ok(rc == 0 && l2tp_msg_verify(&msg, ipout, (size_t)len, key, n1, 16,
				      n2, 16), "digest over IP verifies");

	/* Digest placement */
	l2tp_build_init(&b, out, sizeof(out), 3, false, 1, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_HELLO);
	l2tp_build_str(&b, L2TP_AVP_VENDOR_NAME, 0, "x");
	l2tp_build_digest(&b, L2TP_DIGEST_HMAC_MD5);
	ok(l2tp_build_finish(&b) < 0,
	   "builder refuses a Message Digest not right after Message Type");
	{
		uint8_t m[] = {
			0xc8, 0x03, 0, 12 + 8 + 7 + 23, 0, 0, 0, 1, 0, 0, 0, 0,
			0x80, 0x08, 0, 0, 0, 0, 0, 6,
			0x00, 0x07, 0, 0, 0, 8, 'x',
			0x80, 23, 0, 0, 0, 59, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
			10, 11, 12, 13, 14, 15, 16,
		};

		rc = parse(m, sizeof(m), false, false, &msg, &err);
		ok(rc == 0 && msg.digest_idx == -2 &&
		   !l2tp_msg_verify(&msg, m, sizeof(m), key, NULL, 0, NULL, 0),
		   "parser flags a misplaced Message Digest; it never verifies");
	}
}
