/* SPDX-License-Identifier: GPL-2.0 */
/*
 * L2TP control protocol numbers: message types, AVP attribute types, result
 * and error codes, pseudowire types.  Values from RFC 2661 (L2TPv2), RFC 3931
 * (L2TPv3) and the IANA "Layer Two Tunneling Protocol (L2TP)" registry.
 */
#ifndef OL2TPD_PROTO_H
#define OL2TPD_PROTO_H

#include <stdint.h>

#define L2TP_VENDOR_IETF	0

/* Control message header bits (first 16-bit word). */
#define L2TP_HDR_T		0x8000	/* control message */
#define L2TP_HDR_L		0x4000	/* Length field present */
#define L2TP_HDR_S		0x0800	/* Ns/Nr present */
#define L2TP_HDR_O		0x0200	/* Offset Size present (v2 data only) */
#define L2TP_HDR_P		0x0100	/* priority (v2 data only) */
#define L2TP_HDR_VER_MASK	0x000f

/* Control message header sizes (from the T bit on). */
#define L2TP_CTRL_HDR_LEN	12
/* L2TPv3 over IP: 32 zero bits (session id 0) precede the header. */
#define L2TP_IP_SID_LEN		4

/* Message types (Message Type AVP values). */
enum l2tp_msg_type {
	L2TP_MSG_ZLB = 0,		/* no Message Type AVP at all */
	L2TP_MSG_SCCRQ = 1,
	L2TP_MSG_SCCRP = 2,
	L2TP_MSG_SCCCN = 3,
	L2TP_MSG_STOPCCN = 4,
	L2TP_MSG_HELLO = 6,
	L2TP_MSG_OCRQ = 7,
	L2TP_MSG_OCRP = 8,
	L2TP_MSG_OCCN = 9,
	L2TP_MSG_ICRQ = 10,
	L2TP_MSG_ICRP = 11,
	L2TP_MSG_ICCN = 12,
	L2TP_MSG_CDN = 14,
	L2TP_MSG_WEN = 15,
	L2TP_MSG_SLI = 16,
	L2TP_MSG_ACK = 20,		/* L2TPv3 explicit acknowledgement */
	L2TP_MSG_MAX_KNOWN = 20,
};

/* AVP attribute types, vendor 0 (IETF). */
enum l2tp_avp_type {
	L2TP_AVP_MSG_TYPE = 0,
	L2TP_AVP_RESULT_CODE = 1,
	L2TP_AVP_PROTO_VERSION = 2,		/* v2 */
	L2TP_AVP_FRAMING_CAPS = 3,		/* v2 */
	L2TP_AVP_BEARER_CAPS = 4,		/* v2 */
	L2TP_AVP_TIE_BREAKER = 5,		/* control connection and session */
	L2TP_AVP_FIRMWARE_REV = 6,
	L2TP_AVP_HOST_NAME = 7,
	L2TP_AVP_VENDOR_NAME = 8,
	L2TP_AVP_ASSIGNED_TUNNEL_ID = 9,	/* v2 */
	L2TP_AVP_RECV_WINDOW = 10,
	L2TP_AVP_CHALLENGE = 11,
	L2TP_AVP_Q931_CAUSE = 12,		/* v2 */
	L2TP_AVP_CHALLENGE_RESP = 13,
	L2TP_AVP_ASSIGNED_SESSION_ID = 14,	/* v2 */
	L2TP_AVP_SERIAL_NUMBER = 15,		/* v2 Call Serial Number */
	L2TP_AVP_MIN_BPS = 16,			/* v2 */
	L2TP_AVP_MAX_BPS = 17,			/* v2 */
	L2TP_AVP_BEARER_TYPE = 18,		/* v2 */
	L2TP_AVP_FRAMING_TYPE = 19,		/* v2 */
	L2TP_AVP_CALLED_NUMBER = 21,		/* v2 */
	L2TP_AVP_CALLING_NUMBER = 22,		/* v2 */
	L2TP_AVP_SUB_ADDRESS = 23,		/* v2 */
	L2TP_AVP_TX_CONNECT_SPEED = 24,		/* v2, 32 bits */
	L2TP_AVP_PHYS_CHANNEL_ID = 25,
	L2TP_AVP_INITIAL_RCVD_CONFREQ = 26,	/* v2 */
	L2TP_AVP_LAST_SENT_CONFREQ = 27,	/* v2 */
	L2TP_AVP_LAST_RCVD_CONFREQ = 28,	/* v2 */
	L2TP_AVP_PROXY_AUTHEN_TYPE = 29,	/* v2 */
	L2TP_AVP_PROXY_AUTHEN_NAME = 30,	/* v2 */
	L2TP_AVP_PROXY_AUTHEN_CHAL = 31,	/* v2 */
	L2TP_AVP_PROXY_AUTHEN_ID = 32,		/* v2 */
	L2TP_AVP_PROXY_AUTHEN_RESP = 33,	/* v2 */
	L2TP_AVP_CALL_ERRORS = 34,		/* v2 Call / v3 Circuit Errors */
	L2TP_AVP_ACCM = 35,			/* v2 */
	L2TP_AVP_RANDOM_VECTOR = 36,
	L2TP_AVP_PRIVATE_GROUP_ID = 37,		/* v2 */
	L2TP_AVP_RX_CONNECT_SPEED = 38,		/* v2, 32 bits */
	L2TP_AVP_SEQUENCING_REQUIRED = 39,	/* v2 */
	L2TP_AVP_EXTENDED_VENDOR_ID = 58,	/* v3 */
	L2TP_AVP_MESSAGE_DIGEST = 59,		/* v3 */
	L2TP_AVP_ROUTER_ID = 60,		/* v3 */
	L2TP_AVP_ASSIGNED_CCID = 61,		/* v3 */
	L2TP_AVP_PW_CAPS = 62,			/* v3 */
	L2TP_AVP_LOCAL_SESSION_ID = 63,		/* v3 */
	L2TP_AVP_REMOTE_SESSION_ID = 64,	/* v3 */
	L2TP_AVP_ASSIGNED_COOKIE = 65,		/* v3 */
	L2TP_AVP_REMOTE_END_ID = 66,		/* v3 */
	L2TP_AVP_PW_TYPE = 68,			/* v3 */
	L2TP_AVP_L2_SUBLAYER = 69,		/* v3 */
	L2TP_AVP_DATA_SEQUENCING = 70,		/* v3 */
	L2TP_AVP_CIRCUIT_STATUS = 71,		/* v3 */
	L2TP_AVP_PREFERRED_LANGUAGE = 72,	/* v3 */
	L2TP_AVP_NONCE = 73,			/* v3 Ctl Msg Authentication Nonce */
	L2TP_AVP_TX_CONNECT_SPEED_V3 = 74,	/* v3, 64 bits */
	L2TP_AVP_RX_CONNECT_SPEED_V3 = 75,	/* v3, 64 bits */
	L2TP_AVP_IETF_MAX = 75,
};

/* AVP header: |M|H|rsvd(4)|Length(10)|Vendor ID(16)|Attribute Type(16)| */
#define L2TP_AVP_HDR_LEN	6
#define L2TP_AVP_F_M		0x8000
#define L2TP_AVP_F_H		0x4000
#define L2TP_AVP_F_RSVD		0x3c00
#define L2TP_AVP_LEN_MASK	0x03ff
#define L2TP_AVP_MAX_VALUE	(L2TP_AVP_LEN_MASK - L2TP_AVP_HDR_LEN)

/* Result Code values, StopCCN (RFC 2661 4.4.2, RFC 3931 5.4.2). */
enum {
	L2TP_STOPCCN_RC_CLEAR = 1,
	L2TP_STOPCCN_RC_GENERAL_ERROR = 2,
	L2TP_STOPCCN_RC_ALREADY_EXISTS = 3,
	L2TP_STOPCCN_RC_NOT_AUTHORIZED = 4,
	L2TP_STOPCCN_RC_BAD_VERSION = 5,
	L2TP_STOPCCN_RC_SHUTTING_DOWN = 6,
	L2TP_STOPCCN_RC_FSM_ERROR = 7,
};

/* Result Code values, CDN. */
enum {
	L2TP_CDN_RC_LOST_CARRIER = 1,
	L2TP_CDN_RC_GENERAL_ERROR = 2,
	L2TP_CDN_RC_ADMIN = 3,
	L2TP_CDN_RC_NO_RESOURCES_TEMP = 4,
	L2TP_CDN_RC_NO_RESOURCES_PERM = 5,
	L2TP_CDN_RC_INVALID_DEST = 6,		/* v2 */
	L2TP_CDN_RC_NO_CARRIER = 7,		/* v2 */
	L2TP_CDN_RC_BUSY = 8,			/* v2 */
	L2TP_CDN_RC_NO_DIALTONE = 9,		/* v2 */
	L2TP_CDN_RC_TIMEOUT = 10,		/* v2 */
	L2TP_CDN_RC_NO_FRAMING = 11,		/* v2 */
	L2TP_CDN_RC_LOST_TIE = 13,		/* v3 */
	L2TP_CDN_RC_BAD_PW_TYPE = 14,		/* v3 */
	L2TP_CDN_RC_SEQ_NO_SUBLAYER = 15,	/* v3 */
	L2TP_CDN_RC_FSM_ERROR = 16,		/* v3 */
};

/* General Error Codes (second field of the Result Code AVP). */
enum {
	L2TP_ERR_NONE = 0,
	L2TP_ERR_NO_CONTROL_CONN = 1,
	L2TP_ERR_BAD_LENGTH = 2,
	L2TP_ERR_BAD_VALUE = 3,
	L2TP_ERR_NO_RESOURCES = 4,
	L2TP_ERR_BAD_SESSION_ID = 5,
	L2TP_ERR_VENDOR = 6,
	L2TP_ERR_TRY_ANOTHER = 7,
	L2TP_ERR_UNKNOWN_M_AVP = 8,
	L2TP_ERR_TRY_ANOTHER_DIRECTED = 9,
};

/* Pseudowire types (IANA), the ones ol2tpd carries. */
enum {
	L2TP_PW_ETH_VLAN = 0x0004,
	L2TP_PW_ETH = 0x0005,
	L2TP_PW_PPP = 0x0007,
};

/* L2-Specific Sublayer types (RFC 3931 5.4.4). */
enum {
	L2TP_L2SPEC_NONE = 0,
	L2TP_L2SPEC_DEFAULT = 1,
};

/* Data Sequencing levels. */
enum {
	L2TP_DATA_SEQ_NONE = 0,
	L2TP_DATA_SEQ_NON_IP = 1,
	L2TP_DATA_SEQ_ALL = 2,
};

/* Circuit Status bits. */
#define L2TP_CIRCUIT_ACTIVE	0x0001
#define L2TP_CIRCUIT_NEW	0x0002

/* v2 Framing / Bearer capability and type bits. */
#define L2TP_FRAMING_SYNC	0x00000001
#define L2TP_FRAMING_ASYNC	0x00000002
#define L2TP_BEARER_DIGITAL	0x00000001
#define L2TP_BEARER_ANALOG	0x00000002

/* Message Digest types (RFC 3931 5.4.1). */
enum {
	L2TP_DIGEST_HMAC_MD5 = 0,
	L2TP_DIGEST_HMAC_SHA1 = 1,
};
#define L2TP_DIGEST_MD5_LEN	16
#define L2TP_DIGEST_SHA1_LEN	20

const char *l2tp_msg_type_name(uint16_t type);
/* A session-level message (v2 and v3): carries or names a session. */
int l2tp_msg_type_is_session(uint16_t type);
const char *l2tp_result_name(uint16_t msg_type, uint16_t result);

#endif /* OL2TPD_PROTO_H */
