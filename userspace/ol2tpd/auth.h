/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cryptography of the control protocol, all through libcrypto:
 *   - MD5 for AVP hiding and the CHAP-like Challenge Response
 *     (RFC 2661 4.3 and 4.4.3, RFC 3931 5.4.3);
 *   - the L2TPv3 Message Digest AVP (RFC 3931 4.3, 5.4.1): HMAC-MD5 or
 *     HMAC-SHA1 keyed by Shared-Key = HMAC-MD5(secret, 0x02), over the
 *     sender's nonce, the receiver's nonce and the message with the digest
 *     field zeroed.
 * And the random numbers (getrandom), with a hook for deterministic tests.
 */
#ifndef OL2TPD_AUTH_H
#define OL2TPD_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define L2TP_MD5_LEN		16
#define L2TP_SHARED_KEY_LEN	16
#define L2TP_MAX_DIGEST_LEN	20

/* A piece of data fed to a hash. */
struct chunk {
	const void *p;
	size_t len;
};

/* MD5 over the concatenation of n chunks.  Returns 0 or -1. */
int l2tp_md5(const struct chunk *c, unsigned int n, uint8_t out[L2TP_MD5_LEN]);

/* Challenge Response = MD5(id | secret | challenge), id = message type. */
int l2tp_chap_response(uint8_t id, const uint8_t *secret, size_t secret_len,
		       const uint8_t *chal, size_t chal_len,
		       uint8_t out[L2TP_MD5_LEN]);

/* Shared-Key = HMAC-MD5(key = secret, data = 0x02). */
int l2tp_shared_key(const uint8_t *secret, size_t secret_len,
		    uint8_t key[L2TP_SHARED_KEY_LEN]);

/* Octets of a digest of the given type, or 0 if the type is unknown. */
size_t l2tp_digest_len(uint8_t dtype);

/* HMAC of the given digest type over n chunks; out gets digest_len bytes. */
int l2tp_hmac(uint8_t dtype, const uint8_t *key, size_t key_len,
	      const struct chunk *c, unsigned int n, uint8_t *out);

/* Constant-time comparison. */
bool l2tp_mem_equal(const void *a, const void *b, size_t len);

/* Fill buf with random octets.  Returns 0 or -1. */
int l2tp_random(void *buf, size_t len);

/* Tests may replace the source of randomness (NULL restores getrandom). */
extern int (*l2tp_random_hook)(void *buf, size_t len);

#endif /* OL2TPD_AUTH_H */
