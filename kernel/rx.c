// SPDX-License-Identifier: GPL-2.0
/*
 * The receive path common to every encapsulation: once udp.c or
 * ip_common.c found a data packet's session, check the cookie, read the
 * sublayer and give the packet to sequencing (seq.c), which delivers it.
 */

#include <linux/module.h>
#include <linux/skbuff.h>

#include "rx.h"
#include "compat.h"

/* --- receive ------------------------------------------------------------ */

int ol2tp_recv_session(struct ol2tp_session *session, struct sk_buff *skb,
		       unsigned int hdr_len)
{
	/* rx_bytes counts the L2TP header too. */
	unsigned int length = skb->len + hdr_len;
	u32 l2h = 0;

	/* The peer's cookie (PEER_COOKIE) must lead the payload. */
	if (session->peer_cookie_len) {
		if (!pskb_may_pull(skb, session->peer_cookie_len))
			goto invalid;
		if (memcmp(skb->data, session->peer_cookie,
			   session->peer_cookie_len)) {
			ol2tp_stat_add(session->stats, rx_cookie_discards, 1);
			goto drop;
		}
		skb_pull_rcsum(skb, session->peer_cookie_len);
	}
	if (session->l2spec_len) {
		if (!pskb_may_pull(skb, session->l2spec_len))
			goto invalid;
		l2h = get_unaligned_be32(skb->data);
		skb_pull_rcsum(skb, session->l2spec_len);
	}

	return ol2tp_seq_recv(session, skb, l2h & OL2TP_SUBLAYER_S,
			      l2h & OL2TP_SUBLAYER_NS_MASK, length);

invalid:
	ol2tp_stat_add(session->stats, rx_invalid, 1);
	ol2tp_stat_add(session->stats, rx_errors, 1);
drop:
	kfree_skb(skb);
	return NET_RX_DROP;
}
