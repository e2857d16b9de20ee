// SPDX-License-Identifier: GPL-2.0
/*
 * Data sequencing (RFC 3931 section 4.6, RFC 2661 section 5.4): sequence
 * numbers on transmit, and on receive the window check, the LAC/LNS rules,
 * the reorder queue with its timeout, and the resynchronisation after a
 * run of out-of-order packets.  Documentation/sequencing.rst has the rules
 * and the counters; Linux's net/l2tp is the compatibility reference and the
 * places where we differ on purpose are listed there.
 *
 * Receive state (nr, the reorder queue, struct ol2tp_seq) is under the
 * session's reorder_q.lock.  A session that neither sends nor requires
 * sequence numbers, receiving packets without them, never takes it (see
 * ol2tp_seq_recv() in rx.h).  Packets are delivered to the pseudowire
 * after the lock is dropped, in the order they left the queue.
 *
 * The reorder timer (session.c's, calling ol2tp_seq_timeout()) holds a
 * session reference while it is pending; the session's unlink closes the
 * sequencing state (no more holding, no more arming) and cancels it.
 */

#include <linux/module.h>
#include <linux/jiffies.h>
#include <net/netfilter/nf_conntrack.h>

#include "seq.h"
#include "rx.h"
#include "session.h"
#include "compat.h"

/*
 * Without a reorder timeout: after more than this many out-of-order packets
 * in a row, numbered one after another, the receiver takes the peer's
 * numbering instead of dropping everything (as Linux does).
 */
#define OL2TP_SEQ_RESYNC_RUN	4

/* Per-packet state while a packet is on its way through seq.c. */
struct ol2tp_seq_cb {
	unsigned long expires;	/* when its wait for a gap ends */
	u32 ns;
	u32 length;		/* L2TP bytes, for rx_bytes */
};

static struct ol2tp_seq_cb *ol2tp_seq_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct ol2tp_seq_cb) > sizeof(skb->cb));
	return (struct ol2tp_seq_cb *)skb->cb;
}

static u32 ol2tp_seq_mask(const struct ol2tp_session *s)
{
	return ol2tp_seqnum_mask(s->tunnel->version);
}

static u32 ol2tp_seq_dist(const struct ol2tp_session *s, u32 ns)
{
	return ol2tp_seqnum_dist(s->nr, ns, ol2tp_seq_mask(s));
}

/* Drop a packet for its sequence number (or for the lack of one). */
static int ol2tp_seq_discard(struct ol2tp_session *s, struct sk_buff *skb)
{
	ol2tp_stat_add(s->stats, rx_seq_discards, 1);
	ol2tp_stat_add(s->stats, rx_errors, 1);
	kfree_skb(skb);
	return NET_RX_DROP;
}

/* Our SEND_SEQ follows the peer (LNS_MODE off): the header length too. */
static void ol2tp_seq_set_send(struct ol2tp_session *s, bool on)
{
	WRITE_ONCE(s->send_seq, on);
	ol2tp_session_set_header_len(s);
}

static void ol2tp_seq_deliver_list(struct ol2tp_session *s,
				   struct sk_buff_head *list)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(list)))
		ol2tp_seq_deliver(s, skb, ol2tp_seq_cb(skb)->length);
}

/*
 * Move what can be delivered from the head of the reorder queue to @out:
 * the packet with the expected number and every one following it.  A gap
 * before the head is given up on when the head's wait expired or, up to
 * @give_up times, regardless.
 */
static void ol2tp_seq_release(struct ol2tp_session *s,
			      struct sk_buff_head *out, unsigned int give_up)
{
	u32 mask = ol2tp_seq_mask(s);
	struct sk_buff *skb;

	lockdep_assert_held(&s->reorder_q.lock);
	while ((skb = skb_peek(&s->reorder_q))) {
		struct ol2tp_seq_cb *cb = ol2tp_seq_cb(skb);

		if (cb->ns != s->nr) {
			if (time_before(jiffies, cb->expires)) {
				if (!give_up)
					break;
				give_up--;
			}
			s->seq.gaps++;
			s->seq.lost += ol2tp_seq_dist(s, cb->ns);
			s->nr = cb->ns;
		}
		__skb_unlink(skb, &s->reorder_q);
		s->seq.qbytes -= skb->truesize;
		__skb_queue_tail(out, skb);
		s->nr = (s->nr + 1) & mask;
	}
}

/* Have the timer fire when the head of the queue has waited long enough. */
static void ol2tp_seq_arm(struct ol2tp_session *s)
{
	struct sk_buff *head = skb_peek(&s->reorder_q);

	lockdep_assert_held(&s->reorder_q.lock);
	if (!head || s->seq.closed)
		return;
	/* An inactive timer becomes pending: it takes a reference. */
	if (!mod_timer(&s->seq.timer, ol2tp_seq_cb(head)->expires))
		ol2tp_session_hold(s);
}

/*
 * Put @skb, @dist numbers past the expected one, in the reorder queue,
 * ordered by sequence number.  A packet that arrives behind one already
 * held is out of sequence (rx_oos_packets); it waits no longer than the
 * packets behind it, so the head always carries the earliest deadline of
 * the queue.  Returns -EEXIST for a duplicate of a held packet.
 */
static int ol2tp_seq_enqueue(struct ol2tp_session *s, struct sk_buff *skb,
			     u32 dist)
{
	struct ol2tp_seq_cb *cb = ol2tp_seq_cb(skb);
	struct sk_buff_head *q = &s->reorder_q;
	struct sk_buff *p, *next = NULL;

	/* From the tail: a packet usually comes after everything held. */
	skb_queue_reverse_walk(q, p) {
		u32 d = ol2tp_seq_dist(s, ol2tp_seq_cb(p)->ns);

		if (d == dist)
			return -EEXIST;
		if (d < dist)
			break;
		next = p;
	}
	if (next) {
		if (time_before(ol2tp_seq_cb(next)->expires, cb->expires))
			cb->expires = ol2tp_seq_cb(next)->expires;
		__skb_queue_before(q, next, skb);
		ol2tp_stat_add(s->stats, rx_oos_packets, 1);
	} else {
		__skb_queue_tail(q, skb);
	}
	s->seq.qbytes += skb->truesize;
	return 0;
}

/* Detach what a held packet must not pin: its socket, route, conntrack. */
static void ol2tp_seq_detach(struct sk_buff *skb)
{
	skb_orphan(skb);
	skb_dst_drop(skb);
	nf_reset_ct(skb);
}

/* @skb carries @ns: window, reordering or resync.  Under the queue lock. */
static int ol2tp_seq_recv_numbered(struct ol2tp_session *s,
				   struct sk_buff *skb, u32 ns,
				   struct sk_buff_head *out)
{
	unsigned long timeout = READ_ONCE(s->reorder_timeout);
	u32 mask = ol2tp_seq_mask(s);
	u32 dist;

	/* The first numbered packet, whatever its number, sets nr. */
	if (s->seq.resync) {
		s->seq.resync = false;
		s->nr = ns;
	}
	if (!ol2tp_seqnum_is_ahead(s->nr, ns, mask))
		return -ERANGE;
	dist = ol2tp_seq_dist(s, ns);

	if (timeout) {
		if (!dist && skb_queue_empty(&s->reorder_q)) {
			s->nr = (ns + 1) & mask;
			__skb_queue_tail(out, skb);
			return 0;
		}
		ol2tp_seq_detach(skb);
		ol2tp_seq_cb(skb)->expires = jiffies + timeout;
		if (ol2tp_seq_enqueue(s, skb, dist))
			return -EEXIST;
		/* Full: give up on the oldest gap rather than hold more. */
		while (skb_queue_len(&s->reorder_q) > OL2TP_SEQ_QUEUE_PACKETS ||
		       s->seq.qbytes > OL2TP_SEQ_QUEUE_BYTES)
			ol2tp_seq_release(s, out, 1);
		ol2tp_seq_release(s, out, 0);
		ol2tp_seq_arm(s);
		return 0;
	}

	if (!dist) {
		s->nr = (ns + 1) & mask;
		__skb_queue_tail(out, skb);
		return 0;
	}
	/* Out of sequence without reordering: drop, unless the peer moved on. */
	if (!ol2tp_seqnum_oos_resync(&s->seq.oos, ns, mask,
				     OL2TP_SEQ_RESYNC_RUN))
		return -EAGAIN;
	s->seq.gaps++;
	s->seq.lost += dist;
	s->nr = (ns + 1) & mask;
	__skb_queue_tail(out, skb);
	return 0;
}

int ol2tp_seq_recv_slow(struct ol2tp_session *s, struct sk_buff *skb,
			bool has_seq, u32 ns, unsigned int length)
{
	struct ol2tp_seq_cb *cb = ol2tp_seq_cb(skb);
	struct sk_buff_head out;
	int err = 0;

	/*
	 * Who numbers: with LNS_MODE off we follow the peer; with it on our
	 * SEND_SEQ stands, and an unnumbered packet while we number is the
	 * peer's fault.  RECV_SEQ makes numbers mandatory.
	 */
	if (has_seq) {
		if (!READ_ONCE(s->lns_mode) && !READ_ONCE(s->send_seq))
			ol2tp_seq_set_send(s, true);
	} else {
		if (READ_ONCE(s->recv_seq))
			return ol2tp_seq_discard(s, skb);
		if (READ_ONCE(s->send_seq)) {
			if (READ_ONCE(s->lns_mode))
				return ol2tp_seq_discard(s, skb);
			ol2tp_seq_set_send(s, false);
		}
	}

	memset(cb, 0, sizeof(*cb));
	cb->ns = ns & ol2tp_seq_mask(s);
	cb->length = length;
	__skb_queue_head_init(&out);

	spin_lock_bh(&s->reorder_q.lock);
	if (unlikely(s->seq.closed)) {
		err = -ENODEV;
		goto unlock;
	}
	/* Reordering was turned off: nothing waits any more. */
	if (!READ_ONCE(s->reorder_timeout))
		ol2tp_seq_release(s, &out, UINT_MAX);
	if (has_seq) {
		err = ol2tp_seq_recv_numbered(s, skb, cb->ns, &out);
	} else {
		/* Unnumbered: what was held goes first, without waiting. */
		ol2tp_seq_release(s, &out, UINT_MAX);
		__skb_queue_tail(&out, skb);
	}
unlock:
	spin_unlock_bh(&s->reorder_q.lock);

	ol2tp_seq_deliver_list(s, &out);
	if (err == -ENODEV) {
		ol2tp_stat_add(s->stats, rx_errors, 1);
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	if (err)
		return ol2tp_seq_discard(s, skb);
	return NET_RX_SUCCESS;
}

void ol2tp_seq_timeout(struct ol2tp_session *s)
{
	struct sk_buff_head out;

	__skb_queue_head_init(&out);
	spin_lock_bh(&s->reorder_q.lock);
	if (!s->seq.closed) {
		ol2tp_seq_release(s, &out, 0);
		ol2tp_seq_arm(s);
	}
	spin_unlock_bh(&s->reorder_q.lock);

	rcu_read_lock();
	ol2tp_seq_deliver_list(s, &out);
	rcu_read_unlock();
}

void ol2tp_seq_session_init(struct ol2tp_session *s,
			    void (*timeout)(struct timer_list *))
{
	skb_queue_head_init(&s->reorder_q);
	timer_setup(&s->seq.timer, timeout, 0);
	s->seq.resync = true;
}

bool ol2tp_seq_session_close(struct ol2tp_session *s)
{
	spin_lock_bh(&s->reorder_q.lock);
	s->seq.closed = true;
	__skb_queue_purge(&s->reorder_q);
	s->seq.qbytes = 0;
	spin_unlock_bh(&s->reorder_q.lock);
	/* A running callback sees @closed and drops its own reference. */
	return timer_delete(&s->seq.timer);
}

/* Apply changed settings to held packets: reordering off releases them. */
static void ol2tp_seq_settings_changed(struct ol2tp_session *s)
{
	struct sk_buff_head out;

	__skb_queue_head_init(&out);
	spin_lock_bh(&s->reorder_q.lock);
	if (!READ_ONCE(s->reorder_timeout))
		ol2tp_seq_release(s, &out, UINT_MAX);
	spin_unlock_bh(&s->reorder_q.lock);

	local_bh_disable();
	rcu_read_lock();
	ol2tp_seq_deliver_list(s, &out);
	rcu_read_unlock();
	local_bh_enable();
}
int ol2tp_seq_cfg_check(const struct ol2tp_seq_cfg *cfg)
{
	if ((cfg->set & OL2TP_SEQ_SET_RECV) &&
	    cfg->recv_seq != 0 && cfg->recv_seq != 1)
		return -EINVAL;
	if ((cfg->set & OL2TP_SEQ_SET_SEND) &&
	    cfg->send_seq != 0 && cfg->send_seq != 1)
		return -EINVAL;
	if ((cfg->set & OL2TP_SEQ_SET_LNS) &&
	    cfg->lns_mode != 0 && cfg->lns_mode != 1)
		return -EINVAL;
	if ((cfg->set & OL2TP_SEQ_SET_TIMEOUT) && cfg->reorder_ms < 0)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_GPL(ol2tp_seq_cfg_check);

int ol2tp_seq_set(struct ol2tp_session *s, const struct ol2tp_seq_cfg *cfg)
{
	int err = ol2tp_seq_cfg_check(cfg);

	if (err)
		return err;
	if (cfg->set & OL2TP_SEQ_SET_RECV)
		WRITE_ONCE(s->recv_seq, cfg->recv_seq);
	if (cfg->set & OL2TP_SEQ_SET_SEND) {
		WRITE_ONCE(s->send_seq, cfg->send_seq);
		ol2tp_session_set_header_len(s);
	}
	if (cfg->set & OL2TP_SEQ_SET_LNS)
		WRITE_ONCE(s->lns_mode, cfg->lns_mode);
	/* msecs_to_jiffies() takes an unsigned int, as netlink's msecs do. */
	if (cfg->set & OL2TP_SEQ_SET_TIMEOUT)
		WRITE_ONCE(s->reorder_timeout,
			   msecs_to_jiffies((unsigned int)cfg->reorder_ms));
	ol2tp_seq_settings_changed(s);
	return 0;
}
EXPORT_SYMBOL_GPL(ol2tp_seq_set);
