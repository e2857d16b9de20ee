// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of kernel/seqnum.h: the data plane's sequence-number and
 * header-length arithmetic, compiled as the kernel compiles it but run here,
 * in every 'make check', in milliseconds.  Prints TAP.
 *
 * Why on the host and not KUnit: Debian's kernels have no KUnit, so a KUnit
 * suite would run only in the debug kernel; these functions are pure, and
 * the same header is what seq.c and core.c include.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* What <linux/types.h> gives the kernel and not userspace. */
typedef uint32_t u32;

#include "../seqnum.h"

static int n, failed;

static void check(bool ok, const char *what)
{
	n++;
	if (!ok)
		failed++;
	printf("%sok %d - %s\n", ok ? "" : "not ", n, what);
}

static void check_eq(unsigned long long got, unsigned long long want,
		     const char *what)
{
	check(got == want, what);
	if (got != want)
		printf("# got %llu, want %llu\n", got, want);
}

static void test_window(void)
{
	const u32 v2 = OL2TP_SEQNUM_MASK_V2, v3 = OL2TP_SEQNUM_MASK_V3;

	check_eq(ol2tp_seqnum_mask(2), 0xffff, "v2 numbers are 16 bits");
	check_eq(ol2tp_seqnum_mask(3), 0xffffff, "v3 numbers are 24 bits");
	check(ol2tp_seqnum_is_ahead(10, 10, v3), "the expected number is ahead");
	check(ol2tp_seqnum_is_ahead(10, 11, v3), "the next number is ahead");
	check(!ol2tp_seqnum_is_ahead(10, 9, v3), "the last number is stale");
	check(ol2tp_seqnum_is_ahead(0, 0x7fffff, v3),
	      "v3: 2^23 - 1 past the expected number is ahead");
	check(!ol2tp_seqnum_is_ahead(0, 0x800000, v3),
	      "v3: 2^23 past the expected number is stale");
	check(ol2tp_seqnum_is_ahead(0, 0x7fff, v2),
	      "v2: 2^15 - 1 past the expected number is ahead");
	check(!ol2tp_seqnum_is_ahead(0, 0x8000, v2),
	      "v2: 2^15 past the expected number is stale");
}

static void test_wrap(void)
{
	const u32 v2 = OL2TP_SEQNUM_MASK_V2, v3 = OL2TP_SEQNUM_MASK_V3;

	check_eq(ol2tp_seqnum_dist(0xffffff, 0, v3), 1,
		 "v3: 0 follows 2^24 - 1");
	check_eq(ol2tp_seqnum_dist(0xffff, 0, v2), 1, "v2: 0 follows 2^16 - 1");
	check(ol2tp_seqnum_is_ahead(0xfffffe, 2, v3),
	      "v3: a number past the wrap is ahead");
	check(!ol2tp_seqnum_is_ahead(2, 0xfffffe, v3),
	      "v3: a number before the wrap is stale");
	check(!ol2tp_seqnum_is_ahead(1, 0xffff, v2),
	      "v2: the number before 0 is stale after the wrap");
	check_eq(ol2tp_seqnum_dist(5, 0x1000005, v3), 0,
		 "v3: bits above the number space are ignored");
}

static void test_resync(void)
{
	const u32 v3 = OL2TP_SEQNUM_MASK_V3;
	struct ol2tp_seqnum_oos oos = { 0 };
	bool any = false;
	u32 ns;

	/* With max 4: the 5th number following the first resyncs. */
	for (ns = 100; ns < 105; ns++)
		any |= ol2tp_seqnum_oos_resync(&oos, ns, v3, 4);
	check(!any, "five consecutive out-of-order numbers do not resync");
	check(ol2tp_seqnum_oos_resync(&oos, 105, v3, 4),
	      "the sixth consecutive one resyncs");
	check_eq(oos.run, 0, "a resync starts the run over");

	oos = (struct ol2tp_seqnum_oos){ 0 };
	for (ns = 200; ns < 204; ns++)
		ol2tp_seqnum_oos_resync(&oos, ns, v3, 4);
	ol2tp_seqnum_oos_resync(&oos, 300, v3, 4);
	check_eq(oos.run, 0, "a number out of the run starts it over");

	oos = (struct ol2tp_seqnum_oos){ .last = 0xfffffd };
	any = false;
	for (ns = 0xfffffe; ns != 4; ns = (ns + 1) & v3)
		any |= ol2tp_seqnum_oos_resync(&oos, ns, v3, 4);
	check(any, "a run counts across the wrap");
}

static void test_hdr_len(void)
{
	check_eq(ol2tp_data_hdr_len(2, true, false, 0, 0), 6,
		 "v2: flags, tunnel id, session id");
	check_eq(ol2tp_data_hdr_len(2, true, true, 0, 0), 10,
		 "v2 with sequencing: Ns and Nr too");
	check_eq(ol2tp_data_hdr_len(3, false, false, 0, 0), 4,
		 "v3 over IP: the session id alone");
	check_eq(ol2tp_data_hdr_len(3, true, false, 0, 0), 8,
		 "v3 over UDP: flags and reserved too");
	check_eq(ol2tp_data_hdr_len(3, true, true, 8, 4), 20,
		 "v3 over UDP, 8-byte cookie, default sublayer");
	check_eq(ol2tp_data_hdr_len(3, false, false, 4, 4), 12,
		 "v3 over IP, 4-byte cookie, default sublayer");
}

int main(void)
{
	printf("TAP version 13\n");
	test_window();
	test_wrap();
	test_resync();
	test_hdr_len();
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
