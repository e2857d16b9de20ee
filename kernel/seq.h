/* SPDX-License-Identifier: GPL-2.0 */
/*
 * seq.c: a session's data sequencing (the change of settings is in ol2tp.h).
 */
#ifndef _OL2TP_SEQ_H
#define _OL2TP_SEQ_H

#include "ol2tp.h"

/*
 * Bounds of a session's reorder queue: a flood of out-of-order packets
 * makes the receiver give up on the oldest gap rather than hold more.
 */
#define OL2TP_SEQ_QUEUE_PACKETS	1024
#define OL2TP_SEQ_QUEUE_BYTES	(4 * 1024 * 1024)	/* of skb truesize */

/* Set up / end a session's sequencing state (create / unlink). */
void ol2tp_seq_session_init(struct ol2tp_session *session,
			    void (*timeout)(struct timer_list *));
/* True if it cancelled a pending timer, whose reference is the caller's. */
bool ol2tp_seq_session_close(struct ol2tp_session *session);
/* The reorder timer expired: release what waited long enough. */
void ol2tp_seq_timeout(struct ol2tp_session *session);

int ol2tp_seq_recv_slow(struct ol2tp_session *session, struct sk_buff *skb,
			bool has_seq, u32 ns, unsigned int length);

#endif /* _OL2TP_SEQ_H */
