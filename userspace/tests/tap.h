/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP 13 producer for every userspace unit test in C (lib/ and
 * ol2tpd/tests/): one "ok N - what" line per check, a plan at the end,
 * exit status 1 if anything failed.
 */
#ifndef OL2TP_TAP_H
#define OL2TP_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * The counters: one pair for a whole test program, even when its checks
 * are spread over several files (weak: each file's copy is the same one).
 */
__attribute__((weak)) int tap_n, tap_failed;

static inline void tap_start(void)
{
	printf("TAP version 13\n");
}

static inline bool ok(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline bool ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

static inline void diag(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static inline void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	if (tap_failed)
		diag("%d of %d checks failed", tap_failed, tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* OL2TP_TAP_H */
