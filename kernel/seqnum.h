/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data plane's number arithmetic: sequence-number windows and wrap,
 * resynchronisation after a run of out-of-order packets, and the length of
 * the L2TP header in front of a payload.  Pure functions of plain values,
 * so that kernel/tests/ can check them on the host.
 */
#ifndef _OL2TP_SEQNUM_H
#define _OL2TP_SEQNUM_H

#include <linux/types.h>

/* Number spaces: 16 bits in L2TPv2, 24 bits in L2TPv3's default sublayer. */
#define OL2TP_SEQNUM_MASK_V2	0xffff
#define OL2TP_SEQNUM_MASK_V3	0x00ffffff

/* Fixed parts of the data headers (RFC 2661 3.1, RFC 3931 4.1.2). */
#define OL2TP_FLAGS_LEN		2	/* T, L, S, O, P bits and version */
#define OL2TP_V2_LENGTH_LEN	2	/* Length, when L is set */
#define OL2TP_V2_ID_LEN		2	/* a tunnel or session id */
#define OL2TP_V2_DATA_HLEN	6	/* flags/version, tunnel id, session id */
#define OL2TP_V2_NS_LEN		2	/* Ns; Nr follows */
#define OL2TP_V2_SEQ_LEN	4	/* Ns, Nr */
#define OL2TP_V2_OFFSET_LEN	2	/* Offset Size, when O is set */
#define OL2TP_V3_SESSION_ID_LEN	4
#define OL2TP_V3_UDP_HLEN	4	/* flags/version + reserved, over UDP */
#define OL2TP_V3_UDP_DATA_HLEN	(OL2TP_V3_UDP_HLEN + OL2TP_V3_SESSION_ID_LEN)
#define OL2TP_L2SPEC_DEFAULT_LEN 4	/* the default sublayer (RFC 3931 4.6) */

/* L2TP header bits (RFC 2661 section 3.1, RFC 3931 section 4.1.2.1). */
#define OL2TP_HDRFLAG_T		0x8000	/* control message */
#define OL2TP_HDRFLAG_L		0x4000	/* v2: length present */
#define OL2TP_HDRFLAG_S		0x0800	/* v2: Ns, Nr present */
#define OL2TP_HDRFLAG_O		0x0200	/* v2: offset size present */
#define OL2TP_HDRFLAG_P		0x0100	/* v2: priority */
#define OL2TP_HDR_VER_MASK	0x000f

/* Default L2-specific sublayer (RFC 3931 section 4.6). */
#define OL2TP_SUBLAYER_S	0x40000000
#define OL2TP_SUBLAYER_NS_MASK	OL2TP_SEQNUM_MASK_V3

static inline u32 ol2tp_seqnum_mask(unsigned int version)
{
	return version == 2 ? OL2TP_SEQNUM_MASK_V2 : OL2TP_SEQNUM_MASK_V3;
}

/* How far @ns is past the expected number @nr, modulo the number space. */
static inline u32 ol2tp_seqnum_dist(u32 nr, u32 ns, u32 mask)
{
	return (ns - nr) & mask;
}

/*
 * RFC 3931 4.6 / RFC 2661 5.4: a number is "less than or equal to" the last
 * one received when it lies in the half of the space ending with it.  Those
 * are stale; the other half, @nr included, is ahead.
 */
static inline bool ol2tp_seqnum_is_ahead(u32 nr, u32 ns, u32 mask)
{
	return ol2tp_seqnum_dist(nr, ns, mask) <= mask >> 1;
}

/**
 * struct ol2tp_seqnum_oos - a run of out-of-order numbers
 * @last: the last out-of-order number seen
 * @run: how many numbers in a row followed one another
 */
struct ol2tp_seqnum_oos {
	u32 last;
	u32 run;
};

/*
 * Account out-of-order number @ns.  True when more than @max of them in a
 * row were consecutive: the peer has moved on and the receiver should take
 * its numbering.  The run starts over afterwards.
 */
static inline bool ol2tp_seqnum_oos_resync(struct ol2tp_seqnum_oos *oos,
					   u32 ns, u32 mask, u32 max)
{
	if (ns == ((oos->last + 1) & mask))
		oos->run++;
	else
		oos->run = 0;
	oos->last = ns;
	if (oos->run <= max)
		return false;
	oos->run = 0;
	return true;
}

/*
 * Bytes of L2TP data header in front of a payload: v2 with or without Ns/Nr;
 * v3 with its cookie and sublayer, and the UDP encapsulation's 4 bytes.
 */
static inline unsigned int ol2tp_data_hdr_len(unsigned int version, bool udp,
					      bool send_seq,
					      unsigned int cookie_len,
					      unsigned int l2spec_len)
{
	if (version == 2)
		return OL2TP_V2_DATA_HLEN + (send_seq ? OL2TP_V2_SEQ_LEN : 0);
	return OL2TP_V3_SESSION_ID_LEN + cookie_len + l2spec_len +
	       (udp ? OL2TP_V3_UDP_HLEN : 0);
}

#endif /* _OL2TP_SEQNUM_H */
