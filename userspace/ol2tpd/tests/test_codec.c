// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the control message / AVP codec (msg.c, msg-build.c, avp.c, auth.c).
 *
 * Proves: the captured vectors decode to exactly the fields in their README
 * and re-encode byte for byte; every AVP kind round-trips; hiding, Challenge
 * Response, Shared-Key and Message Digest match known answers computed
 * independently (Python hashlib/hmac); malformed input is refused with the
 * scope and Result/Error Code of RFC 3931 5.2 / 7.1; vendor AVPs are keyed
 * by (vendor, type).
 *
 * Hiding and authentication are in test_codec_auth.c, malformed input and
 * vendor AVPs in test_codec_malformed.c.
 *
 *   usage: test_codec [VECTOR_DIR]
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "test_codec.h"

static const char *vecdir = "tests/vectors";
const uint8_t secret[7] = "s3cret";

struct l2tp_msg msg;
static struct l2tp_msg msg2;

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (*s && n < cap) {
		unsigned int v;

		while (*s && isspace((unsigned char)*s))
			s++;
		if (!s[0] || !s[1] || sscanf(s, "%2x", &v) != 1)
			break;
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static size_t load_vector(const char *name, uint8_t *out, size_t cap)
{
	char path[512], text[8192];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", vecdir, name);
	f = fopen(path, "r");
	if (!f) {
		diag("cannot open %s: %s", path, strerror(errno));
		return 0;
	}
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = 0;
	return unhex(text, out, cap);
}

static bool avp_is(const struct l2tp_avp *a, uint16_t type, bool m,
		   const void *val, size_t len)
{
	return a->vendor == 0 && a->type == type &&
	       !!(a->flags & L2TP_AVPF_M) == m && a->len == len &&
	       (len == 0 || memcmp(a->val, val, len) == 0);
}

int parse(const uint8_t *buf, size_t len, bool ip, bool with_secret,
	  struct l2tp_msg *m, struct l2tp_perr *err)
{
	struct l2tp_parse_opts o = {
		.ip = ip,
		.secret = with_secret ? secret : NULL,
		.secret_len = with_secret ? SECRET_LEN : 0,
	};

	return l2tp_msg_parse(m, buf, len, &o, err);
}

/* Two parsed messages carry the same header and AVPs. */
static bool same_msg(const struct l2tp_msg *a, const struct l2tp_msg *b)
{
	if (a->ver != b->ver || a->conn_id != b->conn_id ||
	    a->sess_id != b->sess_id || a->ns != b->ns || a->nr != b->nr ||
	    a->type != b->type || a->navps != b->navps || a->zlb != b->zlb)
		return false;
	for (unsigned int i = 0; i < a->navps; i++) {
		const struct l2tp_avp *x = &a->avp[i], *y = &b->avp[i];

		if (x->vendor != y->vendor || x->type != y->type ||
		    x->flags != y->flags || x->len != y->len ||
		    memcmp(x->val, y->val, x->len))
			return false;
	}
	return true;
}

static void test_vectors(void)
{
	static const char vendor[] =
		"prol2tp 1.7.3 Linux-3.13.0-30-generic (x86_64)";
	uint8_t buf[2048], out[2048];
	struct l2tp_builder b;
	struct l2tp_perr err;
	size_t n;
	int rc, len;

	/* L2TPv2 HELLO */
	n = load_vector("l2tpv2-hello.hex", buf, sizeof(buf));
	rc = parse(buf, n, false, false, &msg, &err);
	ok(rc == 0 && msg.ver == 2 && msg.conn_id == 1 && msg.sess_id == 0 &&
	   msg.ns == 1 && msg.nr == 1 && !msg.zlb, "v2 HELLO vector: header");
	ok(rc == 0 && msg.navps == 1 && msg.type == L2TP_MSG_HELLO &&
	   avp_is(&msg.avp[0], L2TP_AVP_MSG_TYPE, true, "\x00\x06", 2),
	   "v2 HELLO vector: exactly one AVP, Message Type 6");
	l2tp_build_init(&b, out, sizeof(out), 2, false, 1, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_HELLO);
	len = l2tp_build_finish(&b);
	l2tp_msg_set_seq(out, false, 1, 1);
	ok(len == (int)n && memcmp(out, buf, n) == 0,
	   "v2 HELLO vector: re-encoded byte for byte");
	rc = parse(out, (size_t)len, false, false, &msg2, &err);
	ok(rc == 0 && same_msg(&msg, &msg2), "v2 HELLO vector: reads back");

	/* L2TPv2 ZLB ACK */
	n = load_vector("l2tpv2-zlb-ack.hex", buf, sizeof(buf));
	rc = parse(buf, n, false, false, &msg, &err);
	ok(rc == 0 && msg.ver == 2 && msg.conn_id == 1 && msg.sess_id == 0 &&
	   msg.ns == 1 && msg.nr == 1 && msg.zlb && msg.navps == 0 &&
	   msg.type == L2TP_MSG_ZLB, "v2 ZLB vector: header, no AVP");
	l2tp_build_init(&b, out, sizeof(out), 2, false, 1, 0);
	len = l2tp_build_finish(&b);
	l2tp_msg_set_seq(out, false, 1, 1);
	ok(len == (int)n && memcmp(out, buf, n) == 0,
	   "v2 ZLB vector: re-encoded byte for byte");
	rc = parse(out, (size_t)len, false, false, &msg2, &err);
	ok(rc == 0 && same_msg(&msg, &msg2), "v2 ZLB vector: reads back");

	/* ProL2TP L2TPv3 SCCRQ */
	n = load_vector("l2tpv3-sccrq-prol2tp-1.7.3.hex", buf, sizeof(buf));
	rc = parse(buf, n, false, false, &msg, &err);
	ok(rc == 0 && msg.ver == 3 && msg.conn_id == 0 && msg.ns == 0 &&
	   msg.nr == 0 && msg.type == L2TP_MSG_SCCRQ && msg.navps == 7,
	   "v3 SCCRQ vector: header, 7 AVPs");
	{
		uint16_t rws = 0;
		uint32_t rid = 1, ccid = 0;
		size_t hl = 0, vl = 0, cl = 0;
		const uint8_t *host, *vn, *caps;

		host = l2tp_msg_bytes(&msg, L2TP_AVP_HOST_NAME, &hl);
		vn = l2tp_msg_bytes(&msg, L2TP_AVP_VENDOR_NAME, &vl);
		caps = l2tp_msg_bytes(&msg, L2TP_AVP_PW_CAPS, &cl);
		ok(host && hl == 6 && !memcmp(host, "openv3", 6),
		   "v3 SCCRQ vector: Host Name \"openv3\"");
		ok(vn && vl == strlen(vendor) && !memcmp(vn, vendor, vl),
		   "v3 SCCRQ vector: Vendor Name");
		ok(l2tp_msg_u16(&msg, L2TP_AVP_RECV_WINDOW, &rws) && rws == 10,
		   "v3 SCCRQ vector: Receive Window Size 10");
		ok(l2tp_msg_u32(&msg, L2TP_AVP_ROUTER_ID, &rid) && rid == 0,
		   "v3 SCCRQ vector: Router ID 0");
		ok(l2tp_msg_u32(&msg, L2TP_AVP_ASSIGNED_CCID, &ccid) &&
		   ccid == 0x2846f181,
		   "v3 SCCRQ vector: Assigned Control Connection ID 0x2846f181");
		ok(caps && cl == 6 && get_be16(caps) == 7 &&
		   get_be16(caps + 2) == 5 && get_be16(caps + 4) == 4,
		   "v3 SCCRQ vector: PW Capabilities {PPP, Ethernet, Ethernet VLAN}");
		ok(l2tp_msg_check_required(&msg, 3, &err) == 0,
		   "v3 SCCRQ vector: every required AVP present");
	}
	{
		static const uint8_t caps[] = { 0, 7, 0, 5, 0, 4 };

		l2tp_build_init(&b, out, sizeof(out), 3, false, 0, 0);
		l2tp_build_msgtype(&b, L2TP_MSG_SCCRQ);
		l2tp_build_str(&b, L2TP_AVP_HOST_NAME, L2TP_AVP_F_M, "openv3");
		l2tp_build_str(&b, L2TP_AVP_VENDOR_NAME, 0, vendor);
		l2tp_build_u16(&b, L2TP_AVP_RECV_WINDOW, L2TP_AVP_F_M, 10);
		l2tp_build_u32(&b, L2TP_AVP_ROUTER_ID, 0, 0);
		l2tp_build_u32(&b, L2TP_AVP_ASSIGNED_CCID, 0, 0x2846f181);
		l2tp_build_avp(&b, 0, L2TP_AVP_PW_CAPS, 0, caps, sizeof(caps));
		len = l2tp_build_finish(&b);
		ok(len == (int)n && memcmp(out, buf, n) == 0,
		   "v3 SCCRQ vector: re-encoded byte for byte");
		rc = parse(out, (size_t)len, false, false, &msg2, &err);
		ok(rc == 0 && same_msg(&msg, &msg2),
		   "v3 SCCRQ vector: reads back identically");
	}
}

static void test_roundtrip_all(void)
{
	uint8_t out[L2TP_MSG_MAX], tb[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t cookie[8] = { 9, 8, 7, 6, 5, 4, 3, 2 };
	struct l2tp_builder b;
	struct l2tp_perr err;
	struct l2tp_result r;
	uint64_t u64 = 0;
	uint32_t u32 = 0;
	uint16_t u16 = 0;
	size_t l = 0;
	const uint8_t *p;
	int len, rc;

	l2tp_build_init(&b, out, sizeof(out), 3, false, 0xdeadbeef, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_ICRQ);
	l2tp_build_u32(&b, L2TP_AVP_LOCAL_SESSION_ID, L2TP_AVP_F_M, 0x11223344);
	l2tp_build_u32(&b, L2TP_AVP_REMOTE_SESSION_ID, L2TP_AVP_F_M, 0);
	l2tp_build_u32(&b, L2TP_AVP_SERIAL_NUMBER, L2TP_AVP_F_M, 42);
	l2tp_build_u16(&b, L2TP_AVP_PW_TYPE, L2TP_AVP_F_M, L2TP_PW_ETH);
	l2tp_build_str(&b, L2TP_AVP_REMOTE_END_ID, 0, "circuit-7");
	l2tp_build_u16(&b, L2TP_AVP_CIRCUIT_STATUS, 0,
		       L2TP_CIRCUIT_ACTIVE | L2TP_CIRCUIT_NEW);
	l2tp_build_avp(&b, 0, L2TP_AVP_ASSIGNED_COOKIE, L2TP_AVP_F_M, cookie, 8);
	l2tp_build_avp(&b, 0, L2TP_AVP_TIE_BREAKER, 0, tb, 8);
	l2tp_build_u16(&b, L2TP_AVP_L2_SUBLAYER, 0, L2TP_L2SPEC_DEFAULT);
	l2tp_build_u16(&b, L2TP_AVP_DATA_SEQUENCING, 0, L2TP_DATA_SEQ_ALL);
	l2tp_build_u64(&b, L2TP_AVP_TX_CONNECT_SPEED_V3, 0, 10000000000ull);
	l2tp_build_u64(&b, L2TP_AVP_RX_CONNECT_SPEED_V3, 0, 1);
	l2tp_build_u32(&b, L2TP_AVP_PHYS_CHANNEL_ID, 0, 77);
	len = l2tp_build_finish(&b);
	l2tp_msg_set_seq(out, false, 65535, 12);
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	ok(rc == 0 && msg.ver == 3 && msg.conn_id == 0xdeadbeef &&
	   msg.ns == 65535 && msg.nr == 12 && msg.navps == 14,
	   "v3 ICRQ round trip: header and AVP count");
	ok(l2tp_msg_u32(&msg, L2TP_AVP_LOCAL_SESSION_ID, &u32) &&
	   u32 == 0x11223344, "v3 ICRQ: Local Session ID");
	ok(l2tp_msg_u32(&msg, L2TP_AVP_REMOTE_SESSION_ID, &u32) && u32 == 0,
	   "v3 ICRQ: Remote Session ID 0");
	ok(l2tp_msg_u16(&msg, L2TP_AVP_PW_TYPE, &u16) && u16 == L2TP_PW_ETH,
	   "v3 ICRQ: Pseudowire Type");
	p = l2tp_msg_bytes(&msg, L2TP_AVP_ASSIGNED_COOKIE, &l);
	ok(p && l == 8 && !memcmp(p, cookie, 8), "v3 ICRQ: 8-octet cookie");
	p = l2tp_msg_bytes(&msg, L2TP_AVP_TIE_BREAKER, &l);
	ok(p && l == 8 && !memcmp(p, tb, 8), "v3 ICRQ: Session Tie Breaker");
	ok(l2tp_msg_u64(&msg, L2TP_AVP_TX_CONNECT_SPEED_V3, &u64) &&
	   u64 == 10000000000ull, "v3 ICRQ: 64-bit Tx Connect Speed");
	ok(l2tp_msg_u16(&msg, L2TP_AVP_DATA_SEQUENCING, &u16) &&
	   u16 == L2TP_DATA_SEQ_ALL, "v3 ICRQ: Data Sequencing");
	ok(l2tp_msg_check_required(&msg, 3, &err) == 0,
	   "v3 ICRQ: every required AVP present");

	/* v2 StopCCN with a full Result Code */
	l2tp_build_init(&b, out, sizeof(out), 2, false, 0x1234, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_STOPCCN);
	l2tp_build_u16(&b, L2TP_AVP_ASSIGNED_TUNNEL_ID, L2TP_AVP_F_M, 77);
	l2tp_build_result(&b, L2TP_STOPCCN_RC_GENERAL_ERROR, L2TP_ERR_BAD_VALUE,
			  "field out of range");
	len = l2tp_build_finish(&b);
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	ok(rc == 0 && l2tp_msg_result(&msg, &r) && r.result == 2 &&
	   r.has_error && r.error == 3 && r.text_len == 18 &&
	   !memcmp(r.text, "field out of range", 18),
	   "v2 StopCCN: Result Code with error code and message");
	ok(l2tp_msg_check_required(&msg, 2, &err) == 0,
	   "v2 StopCCN: every required AVP present");

	/* v2 result code without error code */
	l2tp_build_init(&b, out, sizeof(out), 2, false, 5, 9);
	l2tp_build_msgtype(&b, L2TP_MSG_CDN);
	l2tp_build_u16(&b, L2TP_AVP_ASSIGNED_SESSION_ID, L2TP_AVP_F_M, 3);
	l2tp_build_result(&b, L2TP_CDN_RC_ADMIN, -1, NULL);
	len = l2tp_build_finish(&b);
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	ok(rc == 0 && msg.sess_id == 9 && l2tp_msg_result(&msg, &r) &&
	   r.result == 3 && !r.has_error,
	   "v2 CDN: session id in header, bare Result Code");

	/* v3 over IP */
	l2tp_build_init(&b, out, sizeof(out), 3, true, 7, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_HELLO);
	len = l2tp_build_finish(&b);
	l2tp_msg_set_seq(out, true, 3, 4);
	rc = parse(out, (size_t)len, true, false, &msg, &err);
	ok(rc == 0 && len == 4 + 20 && get_be32(out) == 0 && msg.ip &&
	   msg.conn_id == 7 && msg.ns == 3 && msg.nr == 4 &&
	   msg.type == L2TP_MSG_HELLO,
	   "v3 over IP: 32 zero bits then the control header");
	out[3] = 1;
	rc = parse(out, (size_t)len, true, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_DISCARD,
	   "v3 over IP: non-zero session id is a data message, not ours");
}

int main(int argc, char **argv)
{
	if (argc > 1)
		vecdir = argv[1];
	tap_start();
	test_vectors();
	test_roundtrip_all();
	test_hiding();
	test_auth();
	test_malformed();
	test_vendor();
	return tap_done();
}
