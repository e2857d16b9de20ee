// SPDX-License-Identifier: GPL-2.0
/*
 * Control message building: header, AVPs (hidden where asked), the Message
 * Digest; and signing and verifying a message's digest.  Parsing is in
 * msg.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "msg.h"

static uint8_t *reserve(struct l2tp_builder *b, size_t n)
{
	uint8_t *p;

	if (b->err || n > b->cap - b->len ||
	    b->len + n - b->hdr > L2TP_MSG_MAX) {
		b->err = true;
		return NULL;
	}
	p = b->buf + b->len;
	b->len += n;
	return p;
}

void l2tp_build_init(struct l2tp_builder *b, uint8_t *buf, size_t cap,
		     uint8_t ver, bool ip, uint32_t conn_id, uint16_t sess_id)
{
	uint8_t *h;

	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = cap;
	b->ver = ver;
	b->ip = ip;
	b->hdr = ip ? L2TP_IP_SID_LEN : 0;
	b->digest_off = -1;
	if (cap < b->hdr + L2TP_CTRL_HDR_LEN) {
		b->err = true;
		return;
	}
	memset(buf, 0, b->hdr + L2TP_CTRL_HDR_LEN);
	b->len = b->hdr + L2TP_CTRL_HDR_LEN;
	h = buf + b->hdr;
	put_be16(h, L2TP_HDR_T | L2TP_HDR_L | L2TP_HDR_S | ver);
	if (ver == 2) {
		put_be16(h + 4, (uint16_t)conn_id);
		put_be16(h + 6, sess_id);
	} else {
		put_be32(h + 4, conn_id);
	}
}

void l2tp_build_set_secret(struct l2tp_builder *b, const uint8_t *secret,
			   size_t len, size_t hide_pad)
{
	b->secret = secret;
	b->secret_len = len;
	b->hide_pad = hide_pad;
}

static void put_avp_raw(struct l2tp_builder *b, uint16_t flags,
			uint16_t vendor, uint16_t type, const void *val,
			size_t len)
{
	uint8_t *p;

	if (len > L2TP_AVP_MAX_VALUE) {
		b->err = true;
		return;
	}
	p = reserve(b, L2TP_AVP_HDR_LEN + len);
	if (!p)
		return;
	put_be16(p, (uint16_t)((flags & (L2TP_AVP_F_M | L2TP_AVP_F_H)) |
			       (L2TP_AVP_HDR_LEN + len)));
	put_be16(p + 2, vendor);
	put_be16(p + 4, type);
	if (len)
		memcpy(p + L2TP_AVP_HDR_LEN, val, len);
}

void l2tp_build_msgtype(struct l2tp_builder *b, uint16_t type)
{
	uint8_t v[2];

	put_be16(v, type);
	put_avp_raw(b, L2TP_AVP_F_M, L2TP_VENDOR_IETF, L2TP_AVP_MSG_TYPE, v, 2);
}

void l2tp_build_digest(struct l2tp_builder *b, uint8_t dtype)
{
	uint8_t v[1 + L2TP_MAX_DIGEST_LEN] = { dtype };
	size_t dlen = l2tp_digest_len(dtype);
	size_t off = b->len;

	if (!dlen || b->len != b->hdr + L2TP_CTRL_HDR_LEN + 8) {
		/* Unknown type, or not right after the Message Type. */
		b->err = true;
		return;
	}
	put_avp_raw(b, L2TP_AVP_F_M, L2TP_VENDOR_IETF, L2TP_AVP_MESSAGE_DIGEST,
		    v, 1 + dlen);
	if (!b->err)
		b->digest_off = (int)off;
}

void l2tp_build_avp(struct l2tp_builder *b, uint32_t vendor, uint16_t type,
		    uint16_t flags, const void *val, size_t len)
{
	/*
	 * Wrap in an Extended Vendor ID AVP what a plain AVP header cannot
	 * say: a 32-bit vendor, or IETF type 58 itself (written plainly it
	 * would be read back as a wrapper, not as the AVP it is).
	 */
	bool wrap = vendor > 0xffff || (vendor == L2TP_VENDOR_IETF &&
					type == L2TP_AVP_EXTENDED_VENDOR_ID);
	uint8_t tmp[L2TP_AVP_MAX_VALUE];
	const void *v = val;
	size_t vlen = len;

	if (flags & L2TP_AVP_F_H) {
		int n;

		if (!b->secret) {
			b->err = true;
			return;
		}
		if (!b->rv_set) {
			/* One Random Vector before the first hidden AVP. */
			if (l2tp_random(b->rv, sizeof(b->rv))) {
				b->err = true;
				return;
			}
			put_avp_raw(b, L2TP_AVP_F_M, L2TP_VENDOR_IETF,
				    L2TP_AVP_RANDOM_VECTOR, b->rv,
				    sizeof(b->rv));
			b->rv_set = true;
		}
		n = avp_hide(type, b->secret, b->secret_len, b->rv,
			     sizeof(b->rv), val, len, b->hide_pad, tmp,
			     wrap ? sizeof(tmp) - 6 : sizeof(tmp));
		if (n < 0) {
			b->err = true;
			return;
		}
		v = tmp;
		vlen = (size_t)n;
	}

	if (wrap) {
		uint8_t ext[L2TP_AVP_MAX_VALUE];

		if (vlen > sizeof(ext) - 6) {
			b->err = true;
			return;
		}
		put_be32(ext, vendor);
		put_be16(ext + 4, type);
		if (vlen)
			memcpy(ext + 6, v, vlen);
		put_avp_raw(b, flags, L2TP_VENDOR_IETF,
			    L2TP_AVP_EXTENDED_VENDOR_ID, ext, vlen + 6);
		return;
	}
	put_avp_raw(b, flags, (uint16_t)vendor, type, v, vlen);
}

void l2tp_build_u16(struct l2tp_builder *b, uint16_t type, uint16_t flags,
		    uint16_t v)
{
	uint8_t x[2];

	put_be16(x, v);
	l2tp_build_avp(b, L2TP_VENDOR_IETF, type, flags, x, 2);
}

void l2tp_build_u32(struct l2tp_builder *b, uint16_t type, uint16_t flags,
		    uint32_t v)
{
	uint8_t x[4];

	put_be32(x, v);
	l2tp_build_avp(b, L2TP_VENDOR_IETF, type, flags, x, 4);
}

void l2tp_build_u64(struct l2tp_builder *b, uint16_t type, uint16_t flags,
		    uint64_t v)
{
	uint8_t x[8];

	put_be64(x, v);
	l2tp_build_avp(b, L2TP_VENDOR_IETF, type, flags, x, 8);
}

void l2tp_build_str(struct l2tp_builder *b, uint16_t type, uint16_t flags,
		    const char *s)
{
	l2tp_build_avp(b, L2TP_VENDOR_IETF, type, flags, s, strlen(s));
}

void l2tp_build_result(struct l2tp_builder *b, uint16_t result, int error,
		       const char *text)
{
	uint8_t v[L2TP_AVP_MAX_VALUE];
	size_t len = 2, tl;

	put_be16(v, result);
	if (error >= 0) {
		put_be16(v + 2, (uint16_t)error);
		len = 4;
		if (text) {
			tl = strlen(text);
			if (tl > sizeof(v) - 4)
				tl = sizeof(v) - 4;
			memcpy(v + 4, text, tl);
			len += tl;
		}
	}
	l2tp_build_avp(b, L2TP_VENDOR_IETF, L2TP_AVP_RESULT_CODE, L2TP_AVP_F_M,
		       v, len);
}

int l2tp_build_finish(struct l2tp_builder *b)
{
	if (b->err)
		return -1;
	put_be16(b->buf + b->hdr + 2, (uint16_t)(b->len - b->hdr));
	return (int)b->len;
}

void l2tp_msg_set_seq(uint8_t *buf, bool ip, uint16_t ns, uint16_t nr)
{
	uint8_t *h = buf + (ip ? L2TP_IP_SID_LEN : 0);

	put_be16(h + 8, ns);
	put_be16(h + 10, nr);
}

int l2tp_msg_digest(const uint8_t *buf, size_t len, bool ip, size_t digest_off,
		    const uint8_t *key, const uint8_t *n1, size_t n1_len,
		    const uint8_t *n2, size_t n2_len, uint8_t *out)
{
	static const uint8_t zero[L2TP_MAX_DIGEST_LEN];
	size_t start = ip ? L2TP_IP_SID_LEN : 0, dlen, val;
	uint8_t dtype;

	if (digest_off + L2TP_AVP_HDR_LEN + 1 > len || digest_off < start)
		return -1;
	dtype = buf[digest_off + L2TP_AVP_HDR_LEN];
	dlen = l2tp_digest_len(dtype);
	val = digest_off + L2TP_AVP_HDR_LEN + 1;
	if (!dlen || val + dlen > len)
		return -1;
	{
		struct chunk c[5] = {
			{ n1, n1 ? n1_len : 0 },
			{ n2, n2 ? n2_len : 0 },
			{ buf + start, val - start },
			{ zero, dlen },
			{ buf + val + dlen, len - val - dlen },
		};

		return l2tp_hmac(dtype, key, L2TP_SHARED_KEY_LEN, c, 5, out);
	}
}

int l2tp_msg_sign(uint8_t *buf, size_t len, bool ip, int digest_off,
		  const uint8_t *key, const uint8_t *n1, size_t n1_len,
		  const uint8_t *n2, size_t n2_len)
{
	uint8_t d[L2TP_MAX_DIGEST_LEN];
	size_t val;

	if (digest_off < 0)
		return -1;
	if (l2tp_msg_digest(buf, len, ip, (size_t)digest_off, key, n1, n1_len,
			    n2, n2_len, d))
		return -1;
	val = (size_t)digest_off + L2TP_AVP_HDR_LEN + 1;
	memcpy(buf + val, d, l2tp_digest_len(buf[val - 1]));
	return 0;
}

bool l2tp_msg_verify(const struct l2tp_msg *m, const uint8_t *buf, size_t len,
		     const uint8_t *key, const uint8_t *n1, size_t n1_len,
		     const uint8_t *n2, size_t n2_len)
{
	uint8_t d[L2TP_MAX_DIGEST_LEN];
	const struct l2tp_avp *a;
	size_t start = m->ip ? L2TP_IP_SID_LEN : 0;

	if (m->digest_idx != 1)
		return false;
	a = &m->avp[1];
	if (a->flags & (L2TP_AVPF_MALFORMED | L2TP_AVPF_H))
		return false;
	/* Only the message proper (Length octets) is covered. */
	if (start + m->length > len)
		return false;
	if (l2tp_msg_digest(buf, start + m->length, m->ip, start + a->off, key,
			    n1, n1_len, n2, n2_len, d))
		return false;
	return l2tp_mem_equal(d, a->val + 1, a->len - 1u);
}
