// SPDX-License-Identifier: GPL-2.0
/*
 * The AVP catalog and AVP hiding.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "avp.h"

#define ANY	L2TP_AVP_MAX_VALUE
#define V2	AVP_V2
#define V3	AVP_V3
#define V23	(AVP_V2 | AVP_V3)

/* min, max, kind, versions, may_hide, nonzero */
#define E(n, mi, ma, k, v, h, nz) { n, mi, ma, k, v, h, nz }

static const struct avp_info ietf[L2TP_AVP_IETF_MAX + 1] = {
	[L2TP_AVP_MSG_TYPE] =
		E("Message Type", 2, 2, AVP_K_U16, V23, false, false),
	[L2TP_AVP_RESULT_CODE] =
		E("Result Code", 2, ANY, AVP_K_RESULT, V23, false, false),
	[L2TP_AVP_PROTO_VERSION] =
		E("Protocol Version", 2, 2, AVP_K_BYTES, V2, false, false),
	[L2TP_AVP_FRAMING_CAPS] =
		E("Framing Capabilities", 4, 4, AVP_K_U32, V2, true, false),
	[L2TP_AVP_BEARER_CAPS] =
		E("Bearer Capabilities", 4, 4, AVP_K_U32, V2, true, false),
	[L2TP_AVP_TIE_BREAKER] =
		E("Tie Breaker", 8, 8, AVP_K_BYTES, V23, false, false),
	[L2TP_AVP_FIRMWARE_REV] =
		E("Firmware Revision", 2, 2, AVP_K_U16, V23, true, false),
	[L2TP_AVP_HOST_NAME] =
		E("Host Name", 1, ANY, AVP_K_STRING, V23, false, false),
	[L2TP_AVP_VENDOR_NAME] =
		E("Vendor Name", 0, ANY, AVP_K_STRING, V23, true, false),
	[L2TP_AVP_ASSIGNED_TUNNEL_ID] =
		E("Assigned Tunnel ID", 2, 2, AVP_K_U16, V2, true, true),
	[L2TP_AVP_RECV_WINDOW] =
		E("Receive Window Size", 2, 2, AVP_K_U16, V23, false, true),
	[L2TP_AVP_CHALLENGE] =
		E("Challenge", 1, ANY, AVP_K_BYTES, V23, true, false),
	[L2TP_AVP_Q931_CAUSE] =
		E("Q.931 Cause Code", 3, ANY, AVP_K_BYTES, V2, false, false),
	[L2TP_AVP_CHALLENGE_RESP] =
		E("Challenge Response", 16, 16, AVP_K_BYTES, V23, true, false),
	[L2TP_AVP_ASSIGNED_SESSION_ID] =
		E("Assigned Session ID", 2, 2, AVP_K_U16, V2, true, true),
	[L2TP_AVP_SERIAL_NUMBER] =
		E("Serial Number", 4, 4, AVP_K_U32, V23, true, false),
	[L2TP_AVP_MIN_BPS] =
		E("Minimum BPS", 4, 4, AVP_K_U32, V2, true, false),
	[L2TP_AVP_MAX_BPS] =
		E("Maximum BPS", 4, 4, AVP_K_U32, V2, true, false),
	[L2TP_AVP_BEARER_TYPE] =
		E("Bearer Type", 4, 4, AVP_K_U32, V2, true, false),
	[L2TP_AVP_FRAMING_TYPE] =
		E("Framing Type", 4, 4, AVP_K_U32, V2, true, false),
	[L2TP_AVP_CALLED_NUMBER] =
		E("Called Number", 0, ANY, AVP_K_STRING, V2, true, false),
	[L2TP_AVP_CALLING_NUMBER] =
		E("Calling Number", 0, ANY, AVP_K_STRING, V2, true, false),
	[L2TP_AVP_SUB_ADDRESS] =
		E("Sub-Address", 0, ANY, AVP_K_STRING, V2, true, false),
	[L2TP_AVP_TX_CONNECT_SPEED] =
		E("Tx Connect Speed", 4, 4, AVP_K_U32, V2, true, false),
	[L2TP_AVP_PHYS_CHANNEL_ID] =
		E("Physical Channel ID", 4, 4, AVP_K_U32, V23, true, false),
	[L2TP_AVP_INITIAL_RCVD_CONFREQ] =
		E("Initial Received LCP CONFREQ", 0, ANY, AVP_K_BYTES, V2,
		  true, false),
	[L2TP_AVP_LAST_SENT_CONFREQ] =
		E("Last Sent LCP CONFREQ", 0, ANY, AVP_K_BYTES, V2, true,
		  false),
	[L2TP_AVP_LAST_RCVD_CONFREQ] =
		E("Last Received LCP CONFREQ", 0, ANY, AVP_K_BYTES, V2, true,
		  false),
	[L2TP_AVP_PROXY_AUTHEN_TYPE] =
		E("Proxy Authen Type", 2, 2, AVP_K_U16, V2, true, false),
	[L2TP_AVP_PROXY_AUTHEN_NAME] =
		E("Proxy Authen Name", 0, ANY, AVP_K_STRING, V2, true, false),
	[L2TP_AVP_PROXY_AUTHEN_CHAL] =
		E("Proxy Authen Challenge", 1, ANY, AVP_K_BYTES, V2, true,
		  false),
	[L2TP_AVP_PROXY_AUTHEN_ID] =
		E("Proxy Authen ID", 2, 2, AVP_K_U16, V2, true, false),
	[L2TP_AVP_PROXY_AUTHEN_RESP] =
		E("Proxy Authen Response", 0, ANY, AVP_K_BYTES, V2, true,
		  false),
	[L2TP_AVP_CALL_ERRORS] =
		E("Call Errors", 2, ANY, AVP_K_BYTES, V23, true, false),
	[L2TP_AVP_ACCM] =
		E("ACCM", 10, 10, AVP_K_BYTES, V2, true, false),
	[L2TP_AVP_RANDOM_VECTOR] =
		E("Random Vector", 1, ANY, AVP_K_BYTES, V23, false, false),
	[L2TP_AVP_PRIVATE_GROUP_ID] =
		E("Private Group ID", 0, ANY, AVP_K_BYTES, V2, true, false),
	[L2TP_AVP_RX_CONNECT_SPEED] =
		E("Rx Connect Speed", 4, 4, AVP_K_U32, V2, true, false),
	[L2TP_AVP_SEQUENCING_REQUIRED] =
		E("Sequencing Required", 0, 0, AVP_K_EMPTY, V2, false, false),
	[L2TP_AVP_MESSAGE_DIGEST] =
		E("Message Digest", 17, 21, AVP_K_DIGEST, V3, false, false),
	[L2TP_AVP_ROUTER_ID] =
		E("Router ID", 4, 4, AVP_K_IPV4, V3, false, false),
	[L2TP_AVP_ASSIGNED_CCID] =
		E("Assigned Control Connection ID", 4, 4, AVP_K_U32, V3, true,
		  true),
	[L2TP_AVP_PW_CAPS] =
		E("Pseudowire Capabilities List", 2, ANY, AVP_K_U16_LIST, V3,
		  true, false),
	[L2TP_AVP_LOCAL_SESSION_ID] =
		E("Local Session ID", 4, 4, AVP_K_U32, V3, true, true),
	[L2TP_AVP_REMOTE_SESSION_ID] =
		E("Remote Session ID", 4, 4, AVP_K_U32, V3, true, false),
	[L2TP_AVP_ASSIGNED_COOKIE] =
		E("Assigned Cookie", 0, 8, AVP_K_BYTES, V3, true, false),
	[L2TP_AVP_REMOTE_END_ID] =
		E("Remote End ID", 0, ANY, AVP_K_BYTES, V3, true, false),
	[L2TP_AVP_PW_TYPE] =
		E("Pseudowire Type", 2, 2, AVP_K_U16, V3, true, false),
	[L2TP_AVP_L2_SUBLAYER] =
		E("L2-Specific Sublayer", 2, 2, AVP_K_U16, V3, true, false),
	[L2TP_AVP_DATA_SEQUENCING] =
		E("Data Sequencing", 2, 2, AVP_K_U16, V3, true, false),
	[L2TP_AVP_CIRCUIT_STATUS] =
		E("Circuit Status", 2, 2, AVP_K_U16, V3, true, false),
	[L2TP_AVP_PREFERRED_LANGUAGE] =
		E("Preferred Language", 0, ANY, AVP_K_STRING, V3, true, false),
	[L2TP_AVP_NONCE] =
		E("Control Message Authentication Nonce", 1, ANY, AVP_K_BYTES,
		  V3, false, false),
	[L2TP_AVP_TX_CONNECT_SPEED_V3] =
		E("Tx Connect Speed (64 bits)", 8, 8, AVP_K_U64, V3, true,
		  false),
	[L2TP_AVP_RX_CONNECT_SPEED_V3] =
		E("Rx Connect Speed (64 bits)", 8, 8, AVP_K_U64, V3, true,
		  false),
};

#define MAX_VENDOR_AVPS 32

static struct {
	uint32_t vendor;
	uint16_t type;
	const struct avp_info *info;
} vendor_avps[MAX_VENDOR_AVPS];
static unsigned int n_vendor_avps;

const struct avp_info *avp_lookup(uint32_t vendor, uint16_t type)
{
	if (vendor == L2TP_VENDOR_IETF) {
		if (type > L2TP_AVP_IETF_MAX || !ietf[type].name)
			return NULL;
		return &ietf[type];
	}
	for (unsigned int i = 0; i < n_vendor_avps; i++)
		if (vendor_avps[i].vendor == vendor &&
		    vendor_avps[i].type == type)
			return vendor_avps[i].info;
	return NULL;
}

int avp_register_vendor(uint32_t vendor, uint16_t type,
			const struct avp_info *info)
{
	if (vendor == L2TP_VENDOR_IETF || !info || !info->name)
		return -1;
	for (unsigned int i = 0; i < n_vendor_avps; i++) {
		if (vendor_avps[i].vendor == vendor &&
		    vendor_avps[i].type == type) {
			vendor_avps[i].info = info;
			return 0;
		}
	}
	if (n_vendor_avps == MAX_VENDOR_AVPS)
		return -1;
	vendor_avps[n_vendor_avps].vendor = vendor;
	vendor_avps[n_vendor_avps].type = type;
	vendor_avps[n_vendor_avps].info = info;
	n_vendor_avps++;
	return 0;
}

const char *avp_name(uint32_t vendor, uint16_t type, char *buf, size_t len)
{
	const struct avp_info *info = avp_lookup(vendor, type);

	if (info)
		return info->name;
	if (vendor == L2TP_VENDOR_IETF)
		snprintf(buf, len, "attribute %u", type);
	else
		snprintf(buf, len, "vendor %u attribute %u", vendor, type);
	return buf;
}

int avp_check_value(const struct avp_info *info, uint16_t type,
		    const uint8_t *val, size_t len)
{
	if (len < info->min_len || len > info->max_len)
		return L2TP_ERR_BAD_LENGTH;

	switch (info->kind) {
	case AVP_K_U16_LIST:
		if (len % 2)
			return L2TP_ERR_BAD_LENGTH;
		break;
	case AVP_K_RESULT:
		/* Result Code alone, or followed by an Error Code. */
		if (len == 3)
			return L2TP_ERR_BAD_LENGTH;
		break;
	case AVP_K_DIGEST:
		if (l2tp_digest_len(val[0]) + 1 != len)
			return val[0] > 1 ? L2TP_ERR_BAD_VALUE :
					    L2TP_ERR_BAD_LENGTH;
		break;
	default:
		break;
	}

	if (info->nonzero) {
		int zero = 1;

		for (size_t i = 0; i < len; i++)
			zero &= val[i] == 0;
		if (zero)
			return L2TP_ERR_BAD_VALUE;
	}

	/* Per-attribute range checks of IETF values. */
	if (info >= ietf && info <= &ietf[L2TP_AVP_IETF_MAX]) {
		switch (type) {
		case L2TP_AVP_ASSIGNED_COOKIE:
			if (len != 0 && len != 4 && len != 8)
				return L2TP_ERR_BAD_LENGTH;
			break;
		case L2TP_AVP_DATA_SEQUENCING:
			if (get_be16(val) > L2TP_DATA_SEQ_ALL)
				return L2TP_ERR_BAD_VALUE;
			break;
		case L2TP_AVP_PROTO_VERSION:
			/* Version 1 revision 0 is the only one defined. */
			break;
		default:
			break;
		}
	}
	return 0;
}

/* XOR the MD5 chain over buf (in place).  decrypt selects which side of
 * the XOR feeds the next block. */
static int hide_chain(uint16_t type, const uint8_t *secret, size_t secret_len,
		      const uint8_t *rv, size_t rv_len, uint8_t *buf,
		      size_t len, int decrypt)
{
	uint8_t tbuf[2], b[L2TP_MD5_LEN], prev[L2TP_MD5_LEN];
	size_t off = 0;

	put_be16(tbuf, type);
	{
		struct chunk c[3] = {
			{ tbuf, 2 }, { secret, secret_len }, { rv, rv_len },
		};

		if (l2tp_md5(c, 3, b))
			return -1;
	}
	while (off < len) {
		size_t n = len - off < L2TP_MD5_LEN ? len - off : L2TP_MD5_LEN;

		/* The next block hashes the ciphertext of this one. */
		if (decrypt)
			memcpy(prev, buf + off, n);
		for (size_t i = 0; i < n; i++)
			buf[off + i] ^= b[i];
		if (!decrypt)
			memcpy(prev, buf + off, n);
		off += n;
		if (off < len) {
			struct chunk c[2] = {
				{ secret, secret_len }, { prev, L2TP_MD5_LEN },
			};

			if (l2tp_md5(c, 2, b))
				return -1;
		}
	}
	return 0;
}

int avp_hide(uint16_t type, const uint8_t *secret, size_t secret_len,
	     const uint8_t *rv, size_t rv_len, const uint8_t *val, size_t len,
	     size_t pad, uint8_t *out, size_t out_cap)
{
	size_t total = 2 + len + pad;

	if (len > 0xffff || total > out_cap)
		return -1;
	put_be16(out, (uint16_t)len);
	if (len)
		memcpy(out + 2, val, len);
	if (pad && l2tp_random(out + 2 + len, pad))
		return -1;
	if (hide_chain(type, secret, secret_len, rv, rv_len, out, total, 0))
		return -1;
	return (int)total;
}

int avp_unhide(uint16_t type, const uint8_t *secret, size_t secret_len,
	       const uint8_t *rv, size_t rv_len, const uint8_t *in,
	       size_t in_len, uint8_t *out)
{
	size_t orig;

	if (in_len < 2)
		return -1;
	memcpy(out, in, in_len);
	if (hide_chain(type, secret, secret_len, rv, rv_len, out, in_len, 1))
		return -1;
	orig = get_be16(out);
	if (orig > in_len - 2)
		return -1;
	memmove(out, out + 2, orig);
	return (int)orig;
}
