/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the ol2tpd.conf parser, shared by its three files:
 *   config.c         lines, sections, validation, loading
 *   config-keys.c    the key table: parsing, defaults, reload equality
 *   config-values.c  value readers (addresses, numbers, names) and the
 *                    peer an address belongs to
 */
#ifndef OL2TPD_CONFIG_INT_H
#define OL2TPD_CONFIG_INT_H

#include "config.h"

struct parser {
	struct conf *c;
	const char *name;
	int line;
	char *err;
	size_t errlen;
	enum { SEC_NONE, SEC_GLOBAL, SEC_PEER, SEC_PW, SEC_STATIC } sec;
	int idx;			/* current peer / pseudowire */
};

/* Write "FILE:LINE: message" to p->err; returns -1. */
int fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* config-values.c: each 0, or -1 for an invalid value. */
int parse_addr(const char *s, struct conf_addr *a);
int parse_bool(const char *v, bool *out);
int parse_uint(const char *v, unsigned long min, unsigned long max,
	       unsigned long *out);
int parse_duration(const char *v, uint32_t *ms);
int parse_peer_addr(struct conf_peer *pe, const char *v);
int parse_ipv4(const char *v, uint32_t *out);
int parse_pool(const char *v, uint32_t *first, uint32_t *last);
int parse_ifname(const char *v, char *dst, size_t size);
int parse_cookie(const char *v, uint8_t *out, uint8_t *len);

/* config-keys.c */
/* Set the table's defaults of the section p->sec just opened. */
void key_defaults(struct parser *p);
/* "KEY = V" in the current section: 0, or -1 with the error written. */
int key_line(struct parser *p, const char *key, const char *v);
bool key_empty_ok(const char *key);

#endif /* OL2TPD_CONFIG_INT_H */
