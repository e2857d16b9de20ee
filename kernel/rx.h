/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rx.c and the inline first steps of sequencing: the receive path that
 * udp.c and ip_common.c hand data packets to.
 */
#ifndef _OL2TP_RX_H
#define _OL2TP_RX_H

#include "ol2tp.h"
#include "seq.h"
#include "offload.h"

/*
 * Receive a data packet of @session: @skb->data is at the cookie (after the
 * session id), @hdr_len bytes of L2TP header before it were pulled.  Checks
 * cookie and sublayer, counts, strips the headers and hands the payload to
 * the pseudowire.  Consumes the skb.  RCU held.
 */
int ol2tp_recv_session(struct ol2tp_session *session, struct sk_buff *skb,
		       unsigned int hdr_len);
/* Count a packet of @length L2TP bytes and give it to the pseudowire. */
static inline void ol2tp_seq_deliver(struct ol2tp_session *session,
				     struct sk_buff *skb, unsigned int length)
{
	unsigned int pkts = 1;

	/* A GSO packet counts as the segments it was (offload.c). */
	if (unlikely(skb_is_gso(skb)))
		ol2tp_gso_wire(skb, length - skb->len, &pkts, &length);
	ol2tp_stat_add(session->stats, rx_packets, pkts);
	ol2tp_stat_add(session->stats, rx_bytes, length);
	session->pw_ops->recv(session, skb);
}

/**
 * ol2tp_seq_recv - a data packet of @session, headers pulled
 * @has_seq: the packet carries a sequence number (v3 sublayer S bit, v2 S
 *	flag), @ns
 * @length: bytes of L2TP header and payload, for rx_bytes
 *
 * Applies RECV_SEQ, LNS_MODE, the receive window and the reorder queue,
 * then delivers what is in order.  Consumes @skb.  RCU held, BH disabled.
 * A session that does not sequence takes no lock here.
 */
static inline int ol2tp_seq_recv(struct ol2tp_session *session,
				 struct sk_buff *skb, bool has_seq, u32 ns,
				 unsigned int length)
{
	if (likely(!has_seq && !READ_ONCE(session->recv_seq) &&
		   !READ_ONCE(session->send_seq) &&
		   skb_queue_empty_lockless(&session->reorder_q))) {
		ol2tp_seq_deliver(session, skb, length);
		return NET_RX_SUCCESS;
	}
	return ol2tp_seq_recv_slow(session, skb, has_seq, ns, length);
}

#endif /* _OL2TP_RX_H */
