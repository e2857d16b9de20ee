// SPDX-License-Identifier: GPL-2.0
/*
 * Offloads: counting a GSO packet as the segments the wire carries.
 * Documentation/architecture.rst, "Offloads", says which packets go down
 * whole and which ol2tp segments itself.
 */

#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include "offload.h"

/* Bytes of each segment's headers, from the frame's start; 0 if unknown. */
static unsigned int ol2tp_gso_hdrs(const struct sk_buff *skb,
				   bool decapsulated)
{
	unsigned int gso_type = skb_shinfo(skb)->gso_type;
	int off;

	if (decapsulated) {
		if (!skb->inner_transport_header)
			return 0;
		off = skb_inner_transport_offset(skb);
	} else {
		if (!skb_transport_header_was_set(skb))
			return 0;
		off = skb_transport_offset(skb);
	}
	if (off < 0)
		return 0;
	if (gso_type & SKB_GSO_UDP_L4)
		return off + sizeof(struct udphdr);
	if (!(gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)) ||
	    off + sizeof(struct tcphdr) > skb_headlen(skb))
		return 0;
	return off + (decapsulated ? inner_tcp_hdrlen(skb) : tcp_hdrlen(skb));
}

void ol2tp_gso_wire(const struct sk_buff *skb, unsigned int l2tp_hlen,
		    bool decapsulated, unsigned int *pkts,
		    unsigned int *bytes)
{
	unsigned int gso_size = skb_shinfo(skb)->gso_size;
	unsigned int hdrs = ol2tp_gso_hdrs(skb, decapsulated);
	unsigned int segs = 1;

	if (hdrs && gso_size && skb->len > hdrs)
		segs = DIV_ROUND_UP(skb->len - hdrs, gso_size);
	else
		hdrs = 0;
	*pkts = segs;
	*bytes = skb->len + segs * l2tp_hlen + (segs - 1) * hdrs;
}
