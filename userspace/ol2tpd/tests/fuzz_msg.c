// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the control message parser.
 *
 * Every input is parsed as it would arrive over UDP and over IP, with and
 * without a shared secret; ASan/UBSan catch any out-of-bounds read.  For a
 * message that parses, the accessors and the digest check run over it, and
 * its AVPs are re-encoded with the builder and parsed again: the second
 * parse must yield the same AVPs (a parser/encoder disagreement aborts).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../auth.h"
#include "../msg.h"

static struct l2tp_msg m1, m2;
static uint8_t out[L2TP_MSG_MAX + 8];
static const uint8_t secret[] = "fuzz";

static int fixed_random(void *buf, size_t len)
{
	memset(buf, 0x5a, len);
	return 0;
}

static void reencode(const struct l2tp_msg *m)
{
	struct l2tp_parse_opts o = { .ip = m->ip };
	struct l2tp_builder b;
	struct l2tp_perr err;
	int len;

	l2tp_build_init(&b, out, sizeof(out), m->ver, m->ip, m->conn_id,
			m->sess_id);
	for (unsigned int i = 0; i < m->navps; i++) {
		const struct l2tp_avp *a = &m->avp[i];

		l2tp_build_avp(&b, a->vendor, a->type,
			       a->flags & L2TP_AVPF_M ? L2TP_AVP_F_M : 0,
			       a->val, a->len);
	}
	len = l2tp_build_finish(&b);
	if (len < 0)
		return;	/* e.g. a value that only fitted hidden */
	l2tp_msg_set_seq(out, m->ip, m->ns, m->nr);
	if (l2tp_msg_parse(&m2, out, (size_t)len, &o, &err))
		abort();
	if (m2.ver != m->ver || m2.conn_id != m->conn_id ||
	    m2.sess_id != m->sess_id || m2.ns != m->ns || m2.nr != m->nr ||
	    m2.type != m->type || m2.navps != m->navps)
		abort();
	for (unsigned int i = 0; i < m->navps; i++) {
		const struct l2tp_avp *x = &m->avp[i], *y = &m2.avp[i];

		if (x->vendor != y->vendor || x->type != y->type ||
		    x->len != y->len || memcmp(x->val, y->val, x->len) ||
		    (x->flags & L2TP_AVPF_M) != (y->flags & L2TP_AVPF_M))
			abort();
	}
}

static void exercise(const uint8_t *data, size_t size, bool ip, bool sec)
{
	struct l2tp_parse_opts o = {
		.ip = ip,
		.secret = sec ? secret : NULL,
		.secret_len = sec ? sizeof(secret) - 1 : 0,
	};
	struct l2tp_perr err;
	struct l2tp_result r;
	uint8_t key[L2TP_SHARED_KEY_LEN] = { 1 };
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;
	size_t l;
	int rc;

	rc = l2tp_msg_parse(&m1, data, size, &o, &err);
	if (rc < 0 && err.scope <= L2TP_PERR_IGNORE)
		return;
	l2tp_msg_check_required(&m1, 2, &err);
	l2tp_msg_check_required(&m1, 3, &err);
	l2tp_msg_result(&m1, &r);
	l2tp_msg_u16(&m1, L2TP_AVP_RECV_WINDOW, &v16);
	l2tp_msg_u32(&m1, L2TP_AVP_REMOTE_SESSION_ID, &v32);
	l2tp_msg_u64(&m1, L2TP_AVP_TX_CONNECT_SPEED_V3, &v64);
	l2tp_msg_bytes(&m1, L2TP_AVP_HOST_NAME, &l);
	l2tp_msg_verify(&m1, data, size, key, data, size > 8 ? 8 : size,
			NULL, 0);
	if (rc == 0)
		reencode(&m1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	l2tp_random_hook = fixed_random;
	exercise(data, size, false, false);
	exercise(data, size, false, true);
	exercise(data, size, true, true);
	return 0;
}
