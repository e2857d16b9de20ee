// SPDX-License-Identifier: GPL-2.0
/*
 * Hashes, HMACs and random numbers for the control protocol (libcrypto).
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "auth.h"

int (*l2tp_random_hook)(void *buf, size_t len);

int l2tp_random(void *buf, size_t len)
{
	uint8_t *p = buf;

	if (l2tp_random_hook)
		return l2tp_random_hook(buf, len);
	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int l2tp_md5(const struct chunk *c, unsigned int n, uint8_t out[L2TP_MD5_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int olen = 0;
	int ret = -1;

	if (!ctx)
		return -1;
	if (EVP_DigestInit_ex(ctx, EVP_md5(), NULL) != 1)
		goto out;
	for (unsigned int i = 0; i < n; i++)
		if (c[i].len && EVP_DigestUpdate(ctx, c[i].p, c[i].len) != 1)
			goto out;
	if (EVP_DigestFinal_ex(ctx, out, &olen) != 1 || olen != L2TP_MD5_LEN)
		goto out;
	ret = 0;
out:
	EVP_MD_CTX_free(ctx);
	return ret;
}

int l2tp_chap_response(uint8_t id, const uint8_t *secret, size_t secret_len,
		       const uint8_t *chal, size_t chal_len,
		       uint8_t out[L2TP_MD5_LEN])
{
	struct chunk c[3] = {
		{ &id, 1 }, { secret, secret_len }, { chal, chal_len },
	};

	return l2tp_md5(c, 3, out);
}

size_t l2tp_digest_len(uint8_t dtype)
{
	switch (dtype) {
	case 0:
		return 16;
	case 1:
		return 20;
	default:
		return 0;
	}
}

int l2tp_hmac(uint8_t dtype, const uint8_t *key, size_t key_len,
	      const struct chunk *c, unsigned int n, uint8_t *out)
{
	static EVP_MAC *mac;
	EVP_MAC_CTX *ctx;
	OSSL_PARAM params[2];
	char md5[] = "MD5", sha1[] = "SHA1";
	size_t want = l2tp_digest_len(dtype), olen = 0;
	int ret = -1;

	if (!want)
		return -1;
	if (!mac)
		mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		return -1;
	ctx = EVP_MAC_CTX_new(mac);
	if (!ctx)
		return -1;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     dtype ? sha1 : md5, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_MAC_init(ctx, key, key_len, params) != 1)
		goto out;
	for (unsigned int i = 0; i < n; i++)
		if (c[i].len && EVP_MAC_update(ctx, c[i].p, c[i].len) != 1)
			goto out;
	if (EVP_MAC_final(ctx, out, &olen, want) != 1 || olen != want)
		goto out;
	ret = 0;
out:
	EVP_MAC_CTX_free(ctx);
	return ret;
}

int l2tp_shared_key(const uint8_t *secret, size_t secret_len,
		    uint8_t key[L2TP_SHARED_KEY_LEN])
{
	static const uint8_t two = 2;
	struct chunk c = { &two, 1 };

	return l2tp_hmac(0, secret, secret_len, &c, 1, key);
}

bool l2tp_mem_equal(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t d = 0;

	for (size_t i = 0; i < len; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}
