// SPDX-License-Identifier: GPL-2.0
/*
 * test_codec: malformed input refused with the scope and Result/Error Code
 * of RFC 3931 5.2 / 7.1; vendor AVPs keyed by (vendor, type).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "test_codec.h"

void test_malformed(void)
{
	uint8_t out[L2TP_MSG_MAX + 64], m[64];
	struct l2tp_builder b;
	struct l2tp_perr err;
	int rc, len;

	static const uint8_t hello[] = {
		0xc8, 0x03, 0x00, 0x14, 0, 0, 0, 1, 0, 0, 0, 0,
		0x80, 0x08, 0, 0, 0, 0, 0, 6,
	};

#define MUT(i, v) do { memcpy(m, hello, sizeof(hello)); m[i] = (v); } while (0)

	rc = parse(hello, 11, false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_DISCARD,
	   "truncated header is discarded");
	MUT(0, 0x48);
	rc = parse(m, sizeof(hello), false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_DISCARD, "T bit clear: discarded");
	MUT(1, 0x01);
	rc = parse(m, sizeof(hello), false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_DISCARD,
	   "version 1 (L2F): discarded");
	MUT(0, 0x88);
	rc = parse(m, sizeof(hello), false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_DISCARD, "L bit clear: discarded");
	MUT(0, 0xc0);
	rc = parse(m, sizeof(hello), false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_DISCARD, "S bit clear: discarded");
	MUT(1, 0x02);
	m[0] = 0xca;
	rc = parse(m, sizeof(hello), false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_DISCARD,
	   "v2 control message with the Offset bit: discarded");
	MUT(0, 0xcc);
	rc = parse(m, sizeof(hello), false, false, &msg, &err);
	ok(rc == 0, "v3 reserved header bits are ignored");
	MUT(3, 0x15);
	rc = parse(m, sizeof(hello), false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_DISCARD,
	   "Length beyond the datagram: discarded");
	MUT(3, 0x0b);
	rc = parse(m, sizeof(hello), false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_DISCARD,
	   "Length smaller than the header: discarded");
	MUT(3, 0x13);
	rc = parse(m, sizeof(hello), false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_CONN && err.error == 2,
	   "AVP running past Length clears the connection (Length is wrong)");
	MUT(13, 0x05);
	rc = parse(m, sizeof(hello), false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_CONN && err.error == 2,
	   "AVP length below 6 clears the connection");
	MUT(17, 0x07);
	rc = parse(m, sizeof(hello), false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_CONN,
	   "first AVP not Message Type clears the connection");
	MUT(19, 99);
	rc = parse(m, sizeof(hello), false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_CONN && err.result == 2,
	   "unknown mandatory message type clears the connection");
	MUT(19, 99);
	m[12] = 0x00;
	rc = parse(m, sizeof(hello), false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_IGNORE,
	   "unknown non-mandatory message type is ignored");
	MUT(19, 20);
	m[1] = 0x02;
	rc = parse(m, sizeof(hello), false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_CONN,
	   "explicit ACK (20) is not an L2TPv2 message");
	MUT(19, 20);
	rc = parse(m, sizeof(hello), false, false, &msg, &err);
	ok(rc == 0 && msg.type == L2TP_MSG_ACK, "explicit ACK in L2TPv3");
	MUT(15, 9);
	rc = parse(m, sizeof(hello), false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_CONN,
	   "vendor-specific mandatory message type clears the connection");

	/* AVP-level problems in connection and session messages. */
	l2tp_build_init(&b, out, sizeof(out), 3, false, 1, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_HELLO);
	l2tp_build_avp(&b, 0, 200, L2TP_AVP_F_M, "x", 1);
	len = l2tp_build_finish(&b);
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_CONN && err.result == 2 &&
	   err.error == L2TP_ERR_UNKNOWN_M_AVP && strstr(err.text, "200"),
	   "unknown mandatory AVP in HELLO: StopCCN 2/8 naming the attribute");

	l2tp_build_init(&b, out, sizeof(out), 3, false, 1, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_ICRP);
	l2tp_build_avp(&b, 0, 200, L2TP_AVP_F_M, "x", 1);
	l2tp_build_u32(&b, L2TP_AVP_LOCAL_SESSION_ID, L2TP_AVP_F_M, 5);
	l2tp_build_u32(&b, L2TP_AVP_REMOTE_SESSION_ID, L2TP_AVP_F_M, 6);
	len = l2tp_build_finish(&b);
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	{
		uint32_t rs = 0;

		ok(rc < 0 && err.scope == L2TP_PERR_SESSION &&
		   err.error == L2TP_ERR_UNKNOWN_M_AVP &&
		   l2tp_msg_u32(&msg, L2TP_AVP_REMOTE_SESSION_ID, &rs) &&
		   rs == 6,
		   "unknown mandatory AVP in ICRP: CDN scope, session still found");
	}

	l2tp_build_init(&b, out, sizeof(out), 3, false, 1, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_HELLO);
	l2tp_build_avp(&b, 0, 200, 0, "x", 1);
	l2tp_build_avp(&b, 0, L2TP_AVP_RECV_WINDOW, 0, "x", 1);
	len = l2tp_build_finish(&b);
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	ok(rc == 0 && msg.nignored == 2 && msg.navps == 3 &&
	   (msg.avp[1].flags & L2TP_AVPF_UNKNOWN) &&
	   (msg.avp[2].flags & L2TP_AVPF_MALFORMED) &&
	   !l2tp_msg_has(&msg, L2TP_AVP_RECV_WINDOW),
	   "unknown and malformed non-mandatory AVPs are ignored (RFC 3931 7.1)");

	l2tp_build_init(&b, out, sizeof(out), 3, false, 1, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_SCCRQ);
	l2tp_build_avp(&b, 0, L2TP_AVP_RECV_WINDOW, L2TP_AVP_F_M, "xyz", 3);
	len = l2tp_build_finish(&b);
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_CONN &&
	   err.error == L2TP_ERR_BAD_LENGTH,
	   "mandatory AVP of the wrong length: StopCCN 2/2");

	l2tp_build_init(&b, out, sizeof(out), 3, false, 1, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_SCCRQ);
	l2tp_build_u16(&b, L2TP_AVP_RECV_WINDOW, L2TP_AVP_F_M, 0);
	len = l2tp_build_finish(&b);
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_CONN &&
	   err.error == L2TP_ERR_BAD_VALUE,
	   "Receive Window Size 0 is out of range: StopCCN 2/3");

	l2tp_build_init(&b, out, sizeof(out), 3, false, 1, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_ICRQ);
	l2tp_build_u16(&b, L2TP_AVP_DATA_SEQUENCING, L2TP_AVP_F_M, 3);
	len = l2tp_build_finish(&b);
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_SESSION &&
	   err.error == L2TP_ERR_BAD_VALUE,
	   "Data Sequencing level 3 in ICRQ: CDN 2/3");

	l2tp_build_init(&b, out, sizeof(out), 3, false, 1, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_ICRQ);
	l2tp_build_avp(&b, 0, L2TP_AVP_ASSIGNED_COOKIE, L2TP_AVP_F_M, "abcdef",
		       6);
	len = l2tp_build_finish(&b);
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	ok(rc < 0 && err.error == L2TP_ERR_BAD_LENGTH,
	   "6-octet Assigned Cookie is malformed");

	/* Reserved AVP header bits: treated as unrecognised. */
	memcpy(m, hello, sizeof(hello));
	m[3] = 0x1a;
	m[20] = 0x84;	/* M + a reserved bit */
	m[21] = 0x06;
	m[22] = m[23] = 0;
	m[24] = 0;
	m[25] = 8;
	rc = parse(m, 26, false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_CONN &&
	   err.error == L2TP_ERR_UNKNOWN_M_AVP,
	   "AVP with a reserved bit set is unrecognised (M set: fatal)");
	m[20] = 0x04;
	rc = parse(m, 26, false, false, &msg, &err);
	ok(rc == 0 && msg.nignored == 1,
	   "AVP with a reserved bit set and M clear is ignored");

	/* Too many AVPs */
	l2tp_build_init(&b, out, sizeof(out), 3, false, 1, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_HELLO);
	for (int i = 0; i < L2TP_MSG_MAX_AVPS; i++)
		l2tp_build_avp(&b, 0, 300, 0, NULL, 0);
	len = l2tp_build_finish(&b);
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	ok(len > 0 && rc < 0 && err.scope == L2TP_PERR_CONN,
	   "more than %d AVPs is refused", L2TP_MSG_MAX_AVPS);

	/* Oversized */
	memset(out, 0, sizeof(out));
	memcpy(out, hello, sizeof(hello));
	put_be16(out + 2, L2TP_MSG_MAX + 1);
	rc = parse(out, L2TP_MSG_MAX + 1, false, false, &msg, &err);
	ok(rc < 0 && err.scope == L2TP_PERR_DISCARD,
	   "message over %d octets is discarded", L2TP_MSG_MAX);
	l2tp_build_init(&b, out, sizeof(out), 3, false, 1, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_HELLO);
	for (int i = 0; i < 5; i++)
		l2tp_build_avp(&b, 0, 300, 0, out, 1000);
	ok(l2tp_build_finish(&b) < 0,
	   "builder refuses to exceed %d octets", L2TP_MSG_MAX);

	/* Required AVPs */
	l2tp_build_init(&b, out, sizeof(out), 3, false, 1, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_SCCRQ);
	l2tp_build_str(&b, L2TP_AVP_HOST_NAME, L2TP_AVP_F_M, "h");
	l2tp_build_u32(&b, L2TP_AVP_ROUTER_ID, L2TP_AVP_F_M, 1);
	l2tp_build_u32(&b, L2TP_AVP_ASSIGNED_CCID, L2TP_AVP_F_M, 1);
	len = l2tp_build_finish(&b);
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	ok(rc == 0 && l2tp_msg_check_required(&msg, 3, &err) < 0 &&
	   err.scope == L2TP_PERR_CONN &&
	   strstr(err.text, "Pseudowire Capabilities List"),
	   "v3 SCCRQ without PW Capabilities List: missing AVP named");
	ok(l2tp_msg_check_required(&msg, 2, &err) < 0 &&
	   strstr(err.text, "Protocol Version"),
	   "same SCCRQ judged as v2: Protocol Version missing");
	l2tp_build_init(&b, out, sizeof(out), 3, false, 1, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_CDN);
	l2tp_build_result(&b, 3, -1, NULL);
	l2tp_build_u32(&b, L2TP_AVP_LOCAL_SESSION_ID, L2TP_AVP_F_M, 1);
	len = l2tp_build_finish(&b);
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	ok(rc == 0 && l2tp_msg_check_required(&msg, 3, &err) < 0 &&
	   err.scope == L2TP_PERR_SESSION,
	   "v3 CDN without Remote Session ID: session-scope error");
#undef MUT
}

void test_vendor(void)
{
	static const struct avp_info acme = {
		.name = "ACME Widget", .min_len = 4, .max_len = 4,
		.kind = AVP_K_U32, .versions = AVP_V3,
	};
	uint8_t out[512];
	struct l2tp_builder b;
	struct l2tp_perr err;
	const struct l2tp_avp *a;
	int len, rc;

	ok(avp_register_vendor(9999, 1, &acme) == 0 &&
	   avp_register_vendor(0, 1, &acme) < 0,
	   "vendor AVPs register under a non-zero vendor only");
	l2tp_build_init(&b, out, sizeof(out), 3, false, 1, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_HELLO);
	l2tp_build_avp(&b, 9999, 1, L2TP_AVP_F_M, "\0\0\0\x2a", 4);
	l2tp_build_avp(&b, 8888, 1, 0, "\0\0\0\x2b", 4);
	l2tp_build_avp(&b, 70000, 5, 0, "ext", 3);
	len = l2tp_build_finish(&b);
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	a = l2tp_msg_find(&msg, 9999, 1);
	ok(rc == 0 && a && a->len == 4 && get_be32(a->val) == 42,
	   "registered (vendor 9999, type 1) is recognised");
	ok(l2tp_msg_find(&msg, 8888, 1) == NULL &&
	   (msg.avp[2].flags & L2TP_AVPF_UNKNOWN),
	   "same type under another vendor is a different, unknown AVP");
	ok(msg.avp[3].vendor == 70000 && msg.avp[3].type == 5 &&
	   (msg.avp[3].flags & L2TP_AVPF_EXTENDED) && msg.avp[3].len == 3 &&
	   !memcmp(msg.avp[3].val, "ext", 3),
	   "32-bit vendor id travels in an Extended Vendor ID AVP");
	l2tp_build_init(&b, out, sizeof(out), 3, false, 1, 0);
	l2tp_build_msgtype(&b, L2TP_MSG_HELLO);
	l2tp_build_avp(&b, 9999, 1, L2TP_AVP_F_M, "\0\0\x2a", 3);
	len = l2tp_build_finish(&b);
	rc = parse(out, (size_t)len, false, false, &msg, &err);
	ok(rc < 0 && err.error == L2TP_ERR_BAD_LENGTH,
	   "registered vendor AVP is length-checked");
}
