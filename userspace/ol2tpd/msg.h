/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Control messages: parse a datagram into header fields and AVPs (RFC 2661
 * 3.1 and 4, RFC 3931 3.2.1, 4.1.1 and 5), build one, and compute or check
 * its Message Digest.  Parsing never trusts a length it has not bounded; a
 * message is either decoded or refused with the scope and Result/Error Code
 * that RFC 3931 5.2 and 7.1 prescribe.
 */
#ifndef OL2TPD_MSG_H
#define OL2TPD_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "avp.h"
#include "proto.h"

/* Largest control message we accept or build (header + AVPs). */
#define L2TP_MSG_MAX		4096
/* Most AVPs one message may carry. */
#define L2TP_MSG_MAX_AVPS	128

/* struct l2tp_avp.flags */
#define L2TP_AVPF_M		0x01	/* mandatory bit set */
#define L2TP_AVPF_H		0x02	/* was hidden (value is the cleartext) */
#define L2TP_AVPF_UNKNOWN	0x04	/* not recognised, M clear: ignored */
#define L2TP_AVPF_MALFORMED	0x08	/* bad value, M clear: ignored */
#define L2TP_AVPF_EXTENDED	0x10	/* came in an Extended Vendor ID AVP */

struct l2tp_avp {
	uint32_t vendor;
	uint16_t type;
	uint8_t flags;
	uint16_t len;		/* cleartext value length */
	const uint8_t *val;	/* into the datagram or the unhide scratch */
	uint16_t off;		/* AVP header offset from the L2TP header */
	uint16_t wire_len;	/* length of the AVP on the wire */
};

struct l2tp_msg {
	uint8_t ver;		/* 2 or 3, from the header */
	bool ip;		/* L2TPv3 over IP: 4 zero octets precede */
	uint32_t conn_id;	/* v3 Control Connection ID, v2 Tunnel ID */
	uint16_t sess_id;	/* v2 Session ID (0 in v3) */
	uint16_t ns, nr;
	uint16_t length;	/* header Length field */
	bool zlb;		/* no AVP at all */
	uint16_t type;		/* Message Type value (0 for a ZLB) */
	uint32_t type_vendor;	/* Vendor ID of the Message Type AVP */
	int digest_idx;		/* AVP index of the Message Digest, or -1;
				 * -2 if one is present but misplaced */
	unsigned int navps;
	unsigned int nignored;	/* unknown or malformed non-mandatory AVPs */
	struct l2tp_avp avp[L2TP_MSG_MAX_AVPS];
	size_t scratch_used;
	uint8_t scratch[L2TP_MSG_MAX];
};

/* What to do with a message the parser refused. */
enum l2tp_perr_scope {
	L2TP_PERR_NONE,
	L2TP_PERR_DISCARD,	/* header unusable: drop it, count it */
	L2TP_PERR_IGNORE,	/* unknown non-mandatory message: ack only */
	L2TP_PERR_SESSION,	/* clear the session: CDN result/error */
	L2TP_PERR_CONN,		/* clear the control connection: StopCCN */
};

struct l2tp_perr {
	uint8_t scope;		/* enum l2tp_perr_scope */
	uint16_t result;	/* Result Code to send (StopCCN or CDN) */
	uint16_t error;		/* General Error Code */
	char text[160];		/* Error Message (also for the log) */
};

struct l2tp_parse_opts {
	bool ip;			/* datagram starts with session id 0 */
	const uint8_t *secret;		/* shared secret for hidden AVPs */
	size_t secret_len;
};

/*
 * Parse one datagram.  Returns 0 when the message is usable (ignored AVPs
 * are flagged), or -1 with *err set.  Even on -1 every header field and the
 * AVPs up to the problem are filled in whenever the header was valid
 * (scope > DISCARD), so the caller can find the session or connection to
 * clear and acknowledge the message.
 */
int l2tp_msg_parse(struct l2tp_msg *m, const uint8_t *buf, size_t len,
		   const struct l2tp_parse_opts *opts, struct l2tp_perr *err);

/*
 * Check that every AVP RFC 2661 / RFC 3931 requires in a message of this
 * type for protocol version ver is present.  Returns 0 or -1 with *err.
 */
int l2tp_msg_check_required(const struct l2tp_msg *m, uint8_t ver,
			    struct l2tp_perr *err);

/* First usable (not ignored) AVP (vendor, type), or NULL. */
const struct l2tp_avp *l2tp_msg_find(const struct l2tp_msg *m,
				     uint32_t vendor, uint16_t type);
bool l2tp_msg_has(const struct l2tp_msg *m, uint16_t type);
/* Whether any AVP of m is hidden (what a parse with a secret may change). */
bool l2tp_msg_has_hidden(const struct l2tp_msg *m);
/* Typed IETF attribute values; false if absent. */
bool l2tp_msg_u16(const struct l2tp_msg *m, uint16_t type, uint16_t *v);
bool l2tp_msg_u32(const struct l2tp_msg *m, uint16_t type, uint32_t *v);
bool l2tp_msg_u64(const struct l2tp_msg *m, uint16_t type, uint64_t *v);
/* Value octets and length; NULL if absent. */
const uint8_t *l2tp_msg_bytes(const struct l2tp_msg *m, uint16_t type,
			      size_t *len);

struct l2tp_result {
	uint16_t result;
	bool has_error;
	uint16_t error;
	const uint8_t *text;	/* not NUL terminated */
	size_t text_len;
};

bool l2tp_msg_result(const struct l2tp_msg *m, struct l2tp_result *r);

/* Builder. */
struct l2tp_builder {
	uint8_t *buf;
	size_t cap;
	size_t len;		/* bytes written, from buf[0] */
	size_t hdr;		/* offset of the L2TP header (4 over IP) */
	uint8_t ver;
	bool ip;
	bool err;		/* something did not fit: finish fails */
	const uint8_t *secret;	/* for hidden AVPs */
	size_t secret_len;
	bool rv_set;		/* a Random Vector AVP is in the message */
	uint8_t rv[16];
	size_t hide_pad;	/* padding octets added to hidden values */
	int digest_off;		/* offset in buf of the digest AVP, or -1 */
};

void l2tp_build_init(struct l2tp_builder *b, uint8_t *buf, size_t cap,
		     uint8_t ver, bool ip, uint32_t conn_id, uint16_t sess_id);
/* Secret for hidden AVPs (and how much random padding to add). */
void l2tp_build_set_secret(struct l2tp_builder *b, const uint8_t *secret,
			   size_t len, size_t hide_pad);
void l2tp_build_msgtype(struct l2tp_builder *b, uint16_t type);
/* Message Digest placeholder; must directly follow the Message Type. */
void l2tp_build_digest(struct l2tp_builder *b, uint8_t dtype);
/* flags: L2TP_AVP_F_M, L2TP_AVP_F_H (hides the value). Vendors above
 * 65535 are sent in an Extended Vendor ID AVP. */
void l2tp_build_avp(struct l2tp_builder *b, uint32_t vendor, uint16_t type,
		    uint16_t flags, const void *val, size_t len);
void l2tp_build_u16(struct l2tp_builder *b, uint16_t type, uint16_t flags,
		    uint16_t v);
void l2tp_build_u32(struct l2tp_builder *b, uint16_t type, uint16_t flags,
		    uint32_t v);
void l2tp_build_u64(struct l2tp_builder *b, uint16_t type, uint16_t flags,
		    uint64_t v);
void l2tp_build_str(struct l2tp_builder *b, uint16_t type, uint16_t flags,
		    const char *s);
/* Result Code AVP; error < 0 leaves out Error Code and message. */
void l2tp_build_result(struct l2tp_builder *b, uint16_t result, int error,
		       const char *text);
/* Writes the Length field; returns the datagram length or -1. */
int l2tp_build_finish(struct l2tp_builder *b);

/* Stamp Ns and Nr into a built datagram. */
void l2tp_msg_set_seq(uint8_t *buf, bool ip, uint16_t ns, uint16_t nr);

/*
 * Message Digest over a datagram whose digest AVP header sits at
 * digest_off (from buf[0]): HMAC(Shared-Key, n1 | n2 | message with the
 * digest field zeroed).  n1 is the sender's nonce, n2 the receiver's; both
 * NULL for an SCCRQ or when nonces are not in use.
 */
int l2tp_msg_digest(const uint8_t *buf, size_t len, bool ip, size_t digest_off,
		    const uint8_t *key, const uint8_t *n1, size_t n1_len,
		    const uint8_t *n2, size_t n2_len, uint8_t *out);
/* Fill in the digest of a built datagram. */
int l2tp_msg_sign(uint8_t *buf, size_t len, bool ip, int digest_off,
		  const uint8_t *key, const uint8_t *n1, size_t n1_len,
		  const uint8_t *n2, size_t n2_len);
/* Check the digest of a parsed message (buf as given to the parser). */
bool l2tp_msg_verify(const struct l2tp_msg *m, const uint8_t *buf, size_t len,
		     const uint8_t *key, const uint8_t *n1, size_t n1_len,
		     const uint8_t *n2, size_t n2_len);

#endif /* OL2TPD_MSG_H */
