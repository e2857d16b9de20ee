/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AVP catalog and AVP-level encoding: what every known attribute looks like
 * (length rules, whether it may be hidden), lookup by (vendor, type), and the
 * RFC 2661 4.3 / RFC 3931 5.3 hiding of attribute values.
 */
#ifndef OL2TPD_AVP_H
#define OL2TPD_AVP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

/* How a value is interpreted (for printing and typed accessors). */
enum avp_kind {
	AVP_K_BYTES,		/* opaque octets */
	AVP_K_STRING,		/* printable text, not NUL terminated */
	AVP_K_U16,
	AVP_K_U32,
	AVP_K_U64,
	AVP_K_EMPTY,		/* no value */
	AVP_K_U16_LIST,		/* sequence of 16-bit values */
	AVP_K_RESULT,		/* result code [+ error code [+ message]] */
	AVP_K_DIGEST,		/* digest type + 16 or 20 octets */
	AVP_K_IPV4,		/* 32-bit identifier shown dotted */
};

/* Versions an AVP belongs to (informational; both are accepted). */
#define AVP_V2		0x1
#define AVP_V3		0x2

struct avp_info {
	const char *name;
	uint16_t min_len;	/* attribute value length bounds (cleartext) */
	uint16_t max_len;
	uint8_t kind;		/* enum avp_kind */
	uint8_t versions;
	bool may_hide;
	bool nonzero;		/* a numeric value of zero is out of range */
};

/* The catalog entry of (vendor, type), or NULL if it is not known. */
const struct avp_info *avp_lookup(uint32_t vendor, uint16_t type);

/*
 * Register a vendor-specific AVP so that the parser recognises it (and
 * checks its length) instead of treating it as unknown.  info must stay
 * valid.  Returns 0, or -1 if the table is full or vendor is 0.
 */
int avp_register_vendor(uint32_t vendor, uint16_t type,
			const struct avp_info *info);

/* Name for logs: catalog name or "vendor V attribute T". */
const char *avp_name(uint32_t vendor, uint16_t type, char *buf, size_t len);

/*
 * Check a cleartext value against the catalog.  Returns 0 if acceptable,
 * L2TP_ERR_BAD_LENGTH or L2TP_ERR_BAD_VALUE otherwise.
 */
int avp_check_value(const struct avp_info *info, uint16_t type,
		    const uint8_t *val, size_t len);

/*
 * Hiding (RFC 2661 4.3).  The hidden form of a value is
 * [original length (2)] [value] [padding], XORed with the MD5 chain
 * b1 = MD5(type | secret | RV), bi = MD5(secret | c(i-1)).
 *
 * avp_hide writes 2 + len + pad octets to out (out_cap must allow it) and
 * returns that count, or -1.  avp_unhide decodes in (in_len octets) into out
 * (at least in_len octets) and returns the original value length, or -1 if
 * the embedded length does not fit (wrong secret or corrupt AVP).
 */
int avp_hide(uint16_t type, const uint8_t *secret, size_t secret_len,
	     const uint8_t *rv, size_t rv_len, const uint8_t *val, size_t len,
	     size_t pad, uint8_t *out, size_t out_cap);
int avp_unhide(uint16_t type, const uint8_t *secret, size_t secret_len,
	       const uint8_t *rv, size_t rv_len, const uint8_t *in,
	       size_t in_len, uint8_t *out);

/* Big-endian helpers. */
static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

static inline void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static inline void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, v >> 32);
	put_be32(p + 4, (uint32_t)v);
}

#endif /* OL2TPD_AVP_H */
