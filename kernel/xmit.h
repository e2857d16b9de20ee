/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xmit.c: the route cache's flow key, which an encapsulation's header
 * follows (ol2tp_xmit_skb() is in ol2tp.h).
 */
#ifndef _OL2TP_XMIT_H
#define _OL2TP_XMIT_H

#include <linux/types.h>
#include <linux/in6.h>

/**
 * struct ol2tp_tx_key - what a tunnel's route depends on (xmit.c)
 * @saddr, @daddr: the socket's connected addresses (IPv4 in the last word)
 * @policy: the socket's outbound xfrm policy, compared only
 * @oif: sk_bound_dev_if
 * @mark: sk_mark
 * @sport, @dport: UDP ports (0 over IP)
 * @tos: IPv4 routing TOS or IPv6 traffic class
 * @ipv6: the tunnel sends over IPv6
 * @pad: zero, so that keys compare with memcmp()
 */
struct ol2tp_tx_key {
	struct in6_addr saddr;
	struct in6_addr daddr;
	const void *policy;
	int oif;
	u32 mark;
	__be16 sport;
	__be16 dport;
	u8 tos;
	bool ipv6;
	u8 pad[2];
};

#endif /* _OL2TP_XMIT_H */
