/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offload.c: what a GSO packet stands for on the wire; GRO for L2TPv3 over
 * UDP (the tunnel socket's gro_receive/gro_complete, udp.c sets them).
 */
#ifndef _OL2TP_OFFLOAD_H
#define _OL2TP_OFFLOAD_H

#include <linux/skbuff.h>
#include <net/sock.h>

/*
 * The L2TP data packets and bytes @skb, a GSO packet whose data starts at
 * the Ethernet frame, is on the wire: one per segment, each with
 * @l2tp_hlen bytes of L2TP header and its own copy of the frame's headers.
 * Bytes count the L2TP header and what follows it.
 */
void ol2tp_gso_wire(const struct sk_buff *skb, unsigned int l2tp_hlen,
		    unsigned int *pkts, unsigned int *bytes);

struct sk_buff *ol2tp_udp_gro_receive(struct sock *sk, struct list_head *head,
				      struct sk_buff *skb);
int ol2tp_udp_gro_complete(struct sock *sk, struct sk_buff *skb, int nhoff);

#endif /* _OL2TP_OFFLOAD_H */
