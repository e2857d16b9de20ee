// SPDX-License-Identifier: GPL-2.0
/*
 * Control message parsing (header, Message Type, AVPs, unhiding) and the
 * accessors of a parsed message.  Building, signing and verifying are in
 * msg-build.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "msg.h"

static void set_err(struct l2tp_perr *err, uint8_t scope, uint16_t result,
		    uint16_t error, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void set_err(struct l2tp_perr *err, uint8_t scope, uint16_t result,
		    uint16_t error, const char *fmt, ...)
{
	va_list ap;

	err->scope = scope;
	err->result = result;
	err->error = error;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
}

static bool known_msg_type(uint8_t ver, uint16_t type)
{
	switch (type) {
	case L2TP_MSG_SCCRQ:
	case L2TP_MSG_SCCRP:
	case L2TP_MSG_SCCCN:
	case L2TP_MSG_STOPCCN:
	case L2TP_MSG_HELLO:
		return true;
	case L2TP_MSG_ACK:
		return ver == 3;
	default:
		return l2tp_msg_type_is_session(type);
	}
}

/* Scope of an AVP problem: the session for session messages. */
static uint8_t avp_scope(const struct l2tp_msg *m)
{
	return l2tp_msg_type_is_session(m->type) ? L2TP_PERR_SESSION :
						   L2TP_PERR_CONN;
}

/* Record the first fatal AVP problem; parsing goes on. */
static void avp_fatal(struct l2tp_msg *m, struct l2tp_perr *err,
		      uint16_t error, const char *what, uint32_t vendor,
		      uint16_t type)
{
	char nb[48];

	if (err->scope != L2TP_PERR_NONE)
		return;
	set_err(err, avp_scope(m), 2, error, "%s AVP %s (mandatory)", what,
		avp_name(vendor, type, nb, sizeof(nb)));
}

/*
 * The control header (after L2TP/IP's zero session id): version, flags,
 * Length, ids, Ns and Nr.  *hp is set to its first octet.
 */
static int parse_header(struct l2tp_msg *m, const uint8_t *buf, size_t len,
			bool ip, const uint8_t **hp, struct l2tp_perr *err)
{
	const uint8_t *h = buf;
	uint16_t flags;

	if (ip) {
		if (len < L2TP_IP_SID_LEN) {
			set_err(err, L2TP_PERR_DISCARD, 0, 0,
				"datagram of %zu octets is too short", len);
			return -1;
		}
		if (get_be32(buf)) {
			set_err(err, L2TP_PERR_DISCARD, 0, 0,
				"data message (session id %u)", get_be32(buf));
			return -1;
		}
		h = buf + L2TP_IP_SID_LEN;
		len -= L2TP_IP_SID_LEN;
	}
	if (len < 2) {
		set_err(err, L2TP_PERR_DISCARD, 0, 0,
			"datagram of %zu octets is too short", len);
		return -1;
	}
	flags = get_be16(h);
	if (!(flags & L2TP_HDR_T)) {
		set_err(err, L2TP_PERR_DISCARD, 0, 0, "data message");
		return -1;
	}
	m->ver = flags & L2TP_HDR_VER_MASK;
	if (m->ver != 2 && m->ver != 3) {
		set_err(err, L2TP_PERR_DISCARD, 0, 0,
			"unsupported L2TP version %u", m->ver);
		return -1;
	}
	if (!(flags & L2TP_HDR_L) || !(flags & L2TP_HDR_S)) {
		set_err(err, L2TP_PERR_DISCARD, 0, 0,
			"control message without %s field",
			flags & L2TP_HDR_L ? "Ns/Nr" : "Length");
		return -1;
	}
	if (m->ver == 2 && (flags & (L2TP_HDR_O | L2TP_HDR_P))) {
		set_err(err, L2TP_PERR_DISCARD, 0, 0,
			"control message with %s bit set",
			flags & L2TP_HDR_O ? "Offset" : "Priority");
		return -1;
	}
	if (len < L2TP_CTRL_HDR_LEN) {
		set_err(err, L2TP_PERR_DISCARD, 0, 0,
			"control header truncated (%zu octets)", len);
		return -1;
	}
	m->length = get_be16(h + 2);
	if (m->length < L2TP_CTRL_HDR_LEN || m->length > len) {
		set_err(err, L2TP_PERR_DISCARD, 0, 0,
			"Length field %u does not match the %zu octets received",
			m->length, len);
		return -1;
	}
	if (m->length > L2TP_MSG_MAX) {
		set_err(err, L2TP_PERR_DISCARD, 0, 0,
			"message of %u octets is larger than %u", m->length,
			L2TP_MSG_MAX);
		return -1;
	}
	if (m->ver == 2) {
		m->conn_id = get_be16(h + 4);
		m->sess_id = get_be16(h + 6);
	} else {
		m->conn_id = get_be32(h + 4);
	}
	m->ns = get_be16(h + 8);
	m->nr = get_be16(h + 10);
	*hp = h;
	return 0;
}

/* The first AVP: the Message Type, of a type we know (or may ignore). */
static int parse_msg_type(struct l2tp_msg *m, uint16_t ah, uint32_t vendor,
			  uint16_t type, const uint8_t *val, uint16_t vlen,
			  struct l2tp_perr *err)
{
	char nb[48];

	if (type != L2TP_AVP_MSG_TYPE) {
		set_err(err, L2TP_PERR_CONN, 2, L2TP_ERR_BAD_VALUE,
			"first AVP is %s, not Message Type",
			avp_name(vendor, type, nb, sizeof(nb)));
		return -1;
	}
	if ((ah & L2TP_AVP_F_H) || vlen != 2) {
		set_err(err, L2TP_PERR_CONN, 2, L2TP_ERR_BAD_LENGTH,
			"malformed Message Type AVP");
		return -1;
	}
	m->type = get_be16(val);
	m->type_vendor = vendor;
	if (vendor == L2TP_VENDOR_IETF && known_msg_type(m->ver, m->type))
		return 0;
	if (ah & L2TP_AVP_F_M) {
		set_err(err, L2TP_PERR_CONN, 2, L2TP_ERR_BAD_VALUE,
			"unknown mandatory message type %u (vendor %u)",
			m->type, vendor);
		return -1;
	}
	set_err(err, L2TP_PERR_IGNORE, 0, 0,
		"unknown message type %u (vendor %u) ignored", m->type, vendor);
	return -1;
}

/* The last Random Vector seen: the key of the hidden AVPs after it. */
struct random_vector {
	const uint8_t *val;
	size_t len;
};

/*
 * A hidden AVP: unhidden into m->scratch (*val and *vlen then point at the
 * clear value), or flagged malformed, fatal if mandatory.
 */
static void unhide(struct l2tp_msg *m, const struct l2tp_parse_opts *opts,
		   const struct avp_info *info, const struct random_vector *rv,
		   uint16_t ah, uint32_t vendor, uint16_t type,
		   const uint8_t **val, uint16_t *vlen, uint8_t *aflags,
		   struct l2tp_perr *err)
{
	const char *why = NULL;
	int n;

	*aflags |= L2TP_AVPF_H;
	if (!info->may_hide)
		why = "hidden non-hideable";
	else if (!rv->val)
		why = "hidden (no Random Vector before it)";
	else if (!opts || !opts->secret)
		why = "hidden (no shared secret configured)";
	else if (*vlen > sizeof(m->scratch) - m->scratch_used)
		why = "oversized hidden";
	if (!why) {
		uint8_t *out = m->scratch + m->scratch_used;

		n = avp_unhide(type, opts->secret, opts->secret_len, rv->val,
			       rv->len, *val, *vlen, out);
		if (n < 0) {
			why = "undecodable hidden (wrong secret?)";
		} else {
			m->scratch_used += (size_t)n;
			*val = out;
			*vlen = (uint16_t)n;
		}
	}
	if (why) {
		if (ah & L2TP_AVP_F_M)
			avp_fatal(m, err, L2TP_ERR_BAD_VALUE, why, vendor, type);
		*aflags |= L2TP_AVPF_MALFORMED;
		m->nignored++;
	}
}

/*
 * The AVP at offset off of the message at h (end: its Length): appended to
 * m->avp, unless a malformed Extended Vendor ID that may be skipped.
 * Returns its length on the wire, or -1 (err says why).
 */
static int parse_avp(struct l2tp_msg *m, const uint8_t *h, size_t off,
		     size_t end, const struct l2tp_parse_opts *opts,
		     struct random_vector *rv, struct l2tp_perr *err)
{
	const uint8_t *a = h + off, *val;
	uint16_t ah, alen, type, vlen;
	uint32_t vendor;
	const struct avp_info *info;
	struct l2tp_avp *avp;
	uint8_t aflags = 0;
	int rc;

	if (end - off < L2TP_AVP_HDR_LEN) {
		set_err(err, L2TP_PERR_CONN, 2, L2TP_ERR_BAD_LENGTH,
			"AVP header truncated at offset %zu", off);
		return -1;
	}
	ah = get_be16(a);
	alen = ah & L2TP_AVP_LEN_MASK;
	if (alen < L2TP_AVP_HDR_LEN || alen > end - off) {
		set_err(err, L2TP_PERR_CONN, 2, L2TP_ERR_BAD_LENGTH,
			"AVP at offset %zu has length %u, %zu octets left",
			off, alen, end - off);
		return -1;
	}
	vendor = get_be16(a + 2);
	type = get_be16(a + 4);
	val = a + L2TP_AVP_HDR_LEN;
	vlen = alen - L2TP_AVP_HDR_LEN;
	if (ah & L2TP_AVP_F_M)
		aflags |= L2TP_AVPF_M;

	/* The Message Type AVP leads every message. */
	if (m->navps == 0 &&
	    parse_msg_type(m, ah, vendor, type, val, vlen, err) < 0)
		return -1;
	if (m->navps == L2TP_MSG_MAX_AVPS) {
		set_err(err, avp_scope(m), 2, L2TP_ERR_NO_RESOURCES,
			"more than %u AVPs", L2TP_MSG_MAX_AVPS);
		return -1;
	}

	if (vendor == L2TP_VENDOR_IETF && type == L2TP_AVP_EXTENDED_VENDOR_ID) {
		if (vlen < 6) {
			if (ah & L2TP_AVP_F_M)
				avp_fatal(m, err, L2TP_ERR_BAD_LENGTH,
					  "malformed", vendor, type);
			m->nignored++;
			return alen;
		}
		vendor = get_be32(val);
		type = get_be16(val + 4);
		val += 6;
		vlen -= 6;
		aflags |= L2TP_AVPF_EXTENDED;
	}

	info = (ah & L2TP_AVP_F_RSVD) ? NULL : avp_lookup(vendor, type);
	if (!info) {
		if (ah & L2TP_AVP_F_M)
			avp_fatal(m, err, L2TP_ERR_UNKNOWN_M_AVP, "unknown",
				  vendor, type);
		aflags |= L2TP_AVPF_UNKNOWN;
		m->nignored++;
	} else if (ah & L2TP_AVP_F_H) {
		unhide(m, opts, info, rv, ah, vendor, type, &val, &vlen,
		       &aflags, err);
	}

	if (info && !(aflags & L2TP_AVPF_MALFORMED)) {
		rc = avp_check_value(info, type, val, vlen);
		if (rc) {
			if (ah & L2TP_AVP_F_M)
				avp_fatal(m, err, (uint16_t)rc,
					  rc == L2TP_ERR_BAD_LENGTH ?
					  "wrong length of" :
					  "out-of-range value in",
					  vendor, type);
			aflags |= L2TP_AVPF_MALFORMED;
			m->nignored++;
		}
	}

	if (!(aflags & (L2TP_AVPF_UNKNOWN | L2TP_AVPF_MALFORMED)) &&
	    vendor == L2TP_VENDOR_IETF) {
		if (type == L2TP_AVP_RANDOM_VECTOR) {
			rv->val = val;
			rv->len = vlen;
		} else if (type == L2TP_AVP_MESSAGE_DIGEST &&
			   m->digest_idx == -1) {
			m->digest_idx = m->navps == 1 ? 1 : -2;
		}
	}

	avp = &m->avp[m->navps++];
	avp->vendor = vendor;
	avp->type = type;
	avp->flags = aflags;
	avp->len = vlen;
	avp->val = val;
	avp->off = (uint16_t)off;
	avp->wire_len = alen;
	return alen;
}

int l2tp_msg_parse(struct l2tp_msg *m, const uint8_t *buf, size_t len,
		   const struct l2tp_parse_opts *opts, struct l2tp_perr *err)
{
	struct random_vector rv = { NULL, 0 };
	const uint8_t *h;
	size_t off;
	int n;

	m->ver = 0;
	m->ip = opts && opts->ip;
	m->conn_id = 0;
	m->sess_id = 0;
	m->ns = m->nr = 0;
	m->length = 0;
	m->zlb = false;
	m->type = 0;
	m->type_vendor = 0;
	m->digest_idx = -1;
	m->navps = 0;
	m->nignored = 0;
	m->scratch_used = 0;
	memset(err, 0, sizeof(*err));

	if (parse_header(m, buf, len, m->ip, &h, err) < 0)
		return -1;
	if (m->length == L2TP_CTRL_HDR_LEN) {
		m->zlb = true;
		return 0;
	}
	for (off = L2TP_CTRL_HDR_LEN; off < m->length; off += (size_t)n) {
		n = parse_avp(m, h, off, m->length, opts, &rv, err);
		if (n < 0)
			return -1;
	}
	return err->scope == L2TP_PERR_NONE ? 0 : -1;
}

/* Required AVPs per message type, 0-terminated (Message Type implied). */
static const uint16_t *required(uint8_t ver, uint16_t type)
{
	static const uint16_t v3_sccrq[] = {
		L2TP_AVP_HOST_NAME, L2TP_AVP_ROUTER_ID, L2TP_AVP_ASSIGNED_CCID,
		L2TP_AVP_PW_CAPS, 0
	};
	static const uint16_t v3_stopccn[] = { L2TP_AVP_RESULT_CODE, 0 };
	static const uint16_t v3_icrq[] = {
		L2TP_AVP_LOCAL_SESSION_ID, L2TP_AVP_REMOTE_SESSION_ID,
		L2TP_AVP_SERIAL_NUMBER, L2TP_AVP_PW_TYPE,
		L2TP_AVP_REMOTE_END_ID, L2TP_AVP_CIRCUIT_STATUS, 0
	};
	static const uint16_t v3_icrp[] = {
		L2TP_AVP_LOCAL_SESSION_ID, L2TP_AVP_REMOTE_SESSION_ID,
		L2TP_AVP_CIRCUIT_STATUS, 0
	};
	static const uint16_t v3_iccn[] = {
		L2TP_AVP_LOCAL_SESSION_ID, L2TP_AVP_REMOTE_SESSION_ID, 0
	};
	static const uint16_t v3_cdn[] = {
		L2TP_AVP_RESULT_CODE, L2TP_AVP_LOCAL_SESSION_ID,
		L2TP_AVP_REMOTE_SESSION_ID, 0
	};
	static const uint16_t v3_wen[] = {
		L2TP_AVP_LOCAL_SESSION_ID, L2TP_AVP_REMOTE_SESSION_ID,
		L2TP_AVP_CALL_ERRORS, 0
	};
	static const uint16_t v2_sccrq[] = {
		L2TP_AVP_PROTO_VERSION, L2TP_AVP_HOST_NAME,
		L2TP_AVP_FRAMING_CAPS, L2TP_AVP_ASSIGNED_TUNNEL_ID, 0
	};
	static const uint16_t v2_stopccn[] = {
		L2TP_AVP_ASSIGNED_TUNNEL_ID, L2TP_AVP_RESULT_CODE, 0
	};
	static const uint16_t v2_icrq[] = {
		L2TP_AVP_ASSIGNED_SESSION_ID, L2TP_AVP_SERIAL_NUMBER, 0
	};
	static const uint16_t v2_icrp[] = { L2TP_AVP_ASSIGNED_SESSION_ID, 0 };
	static const uint16_t v2_iccn[] = {
		L2TP_AVP_TX_CONNECT_SPEED, L2TP_AVP_FRAMING_TYPE, 0
	};
	static const uint16_t v2_ocrq[] = {
		L2TP_AVP_ASSIGNED_SESSION_ID, L2TP_AVP_SERIAL_NUMBER,
		L2TP_AVP_MIN_BPS, L2TP_AVP_MAX_BPS, L2TP_AVP_BEARER_TYPE,
		L2TP_AVP_FRAMING_TYPE, L2TP_AVP_CALLED_NUMBER, 0
	};
	static const uint16_t v2_cdn[] = {
		L2TP_AVP_RESULT_CODE, L2TP_AVP_ASSIGNED_SESSION_ID, 0
	};
	static const uint16_t v2_wen[] = { L2TP_AVP_CALL_ERRORS, 0 };
	static const uint16_t v2_sli[] = { L2TP_AVP_ACCM, 0 };
	static const uint16_t none[] = { 0 };

	if (ver == 3) {
		switch (type) {
		case L2TP_MSG_SCCRQ:
		case L2TP_MSG_SCCRP:
			return v3_sccrq;
		case L2TP_MSG_STOPCCN:
			return v3_stopccn;
		case L2TP_MSG_ICRQ:
		case L2TP_MSG_OCRQ:
			return v3_icrq;
		case L2TP_MSG_ICRP:
		case L2TP_MSG_OCRP:
			return v3_icrp;
		case L2TP_MSG_ICCN:
		case L2TP_MSG_OCCN:
		case L2TP_MSG_SLI:
			return v3_iccn;
		case L2TP_MSG_CDN:
			return v3_cdn;
		case L2TP_MSG_WEN:
			return v3_wen;
		default:
			return none;
		}
	}
	switch (type) {
	case L2TP_MSG_SCCRQ:
	case L2TP_MSG_SCCRP:
		return v2_sccrq;
	case L2TP_MSG_STOPCCN:
		return v2_stopccn;
	case L2TP_MSG_ICRQ:
		return v2_icrq;
	case L2TP_MSG_ICRP:
	case L2TP_MSG_OCRP:
		return v2_icrp;
	case L2TP_MSG_ICCN:
	case L2TP_MSG_OCCN:
		return v2_iccn;
	case L2TP_MSG_OCRQ:
		return v2_ocrq;
	case L2TP_MSG_CDN:
		return v2_cdn;
	case L2TP_MSG_WEN:
		return v2_wen;
	case L2TP_MSG_SLI:
		return v2_sli;
	default:
		return none;
	}
}

int l2tp_msg_check_required(const struct l2tp_msg *m, uint8_t ver,
			    struct l2tp_perr *err)
{
	const uint16_t *r;

	if (m->zlb)
		return 0;
	for (r = required(ver, m->type); *r; r++) {
		if (!l2tp_msg_find(m, L2TP_VENDOR_IETF, *r)) {
			char nb[48];

			set_err(err, avp_scope(m), 2, L2TP_ERR_BAD_VALUE,
				"%s without the required %s AVP",
				l2tp_msg_type_name(m->type),
				avp_name(L2TP_VENDOR_IETF, *r, nb, sizeof(nb)));
			return -1;
		}
	}
	return 0;
}

const struct l2tp_avp *l2tp_msg_find(const struct l2tp_msg *m,
				     uint32_t vendor, uint16_t type)
{
	for (unsigned int i = 0; i < m->navps; i++) {
		const struct l2tp_avp *a = &m->avp[i];

		if (a->vendor == vendor && a->type == type &&
		    !(a->flags & (L2TP_AVPF_UNKNOWN | L2TP_AVPF_MALFORMED)))
			return a;
	}
	return NULL;
}

bool l2tp_msg_has(const struct l2tp_msg *m, uint16_t type)
{
	return l2tp_msg_find(m, L2TP_VENDOR_IETF, type) != NULL;
}

bool l2tp_msg_has_hidden(const struct l2tp_msg *m)
{
	for (unsigned int i = 0; i < m->navps; i++)
		if (m->avp[i].flags & L2TP_AVPF_H)
			return true;
	return false;
}

bool l2tp_msg_u16(const struct l2tp_msg *m, uint16_t type, uint16_t *v)
{
	const struct l2tp_avp *a = l2tp_msg_find(m, L2TP_VENDOR_IETF, type);

	if (!a || a->len != 2)
		return false;
	*v = get_be16(a->val);
	return true;
}

bool l2tp_msg_u32(const struct l2tp_msg *m, uint16_t type, uint32_t *v)
{
	const struct l2tp_avp *a = l2tp_msg_find(m, L2TP_VENDOR_IETF, type);

	if (!a || a->len != 4)
		return false;
	*v = get_be32(a->val);
	return true;
}

bool l2tp_msg_u64(const struct l2tp_msg *m, uint16_t type, uint64_t *v)
{
	const struct l2tp_avp *a = l2tp_msg_find(m, L2TP_VENDOR_IETF, type);

	if (!a || a->len != 8)
		return false;
	*v = get_be64(a->val);
	return true;
}

const uint8_t *l2tp_msg_bytes(const struct l2tp_msg *m, uint16_t type,
			      size_t *len)
{
	const struct l2tp_avp *a = l2tp_msg_find(m, L2TP_VENDOR_IETF, type);

	if (!a)
		return NULL;
	*len = a->len;
	/* An empty value still has a non-NULL address. */
	return a->len ? a->val : (const uint8_t *)"";
}

bool l2tp_msg_result(const struct l2tp_msg *m, struct l2tp_result *r)
{
	const struct l2tp_avp *a;

	a = l2tp_msg_find(m, L2TP_VENDOR_IETF, L2TP_AVP_RESULT_CODE);
	if (!a || a->len < 2)
		return false;
	memset(r, 0, sizeof(*r));
	r->result = get_be16(a->val);
	if (a->len >= 4) {
		r->has_error = true;
		r->error = get_be16(a->val + 2);
		r->text = a->val + 4;
		r->text_len = a->len - 4u;
	}
	return true;
}
