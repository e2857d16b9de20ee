/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The objects of the L2TP data plane and their counters (see
 * Documentation/architecture.rst): what eth.c, the PPP module and every part
 * of ol2tp.ko read in them.  Their functions are declared in ol2tp.h (the
 * API for pseudowires) and in each unit's own header.
 */
#ifndef _OL2TP_TYPES_H
#define _OL2TP_TYPES_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/refcount.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <linux/timer.h>
#include <linux/if.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/dst_cache.h>

#include "uapi/linux/ol2tp.h"
#include "seqnum.h"

/* Per-CPU counters of a tunnel or a session (the STATS nest). */
struct ol2tp_pcpu_stats {
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	u64_stats_t tx_errors;
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t rx_seq_discards;
	u64_stats_t rx_oos_packets;
	u64_stats_t rx_errors;
	u64_stats_t rx_cookie_discards;
	u64_stats_t rx_invalid;
	struct u64_stats_sync syncp;
};

/* A snapshot of the counters, summed over CPUs. */
struct ol2tp_stats {
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_errors;
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_seq_discards;
	u64 rx_oos_packets;
	u64 rx_errors;
	u64 rx_cookie_discards;
	u64 rx_invalid;
};

/*
 * ol2tp_stat_add - add @val to counter @field of @stats on this CPU.
 * Callable from any context that cannot be preempted by another writer of
 * the same per-CPU counters (softirq, or BH disabled).
 */
#define ol2tp_stat_add(stats, field, val) do {				\
	struct ol2tp_pcpu_stats *__s = this_cpu_ptr(stats);		\
	unsigned long __flags;						\
									\
	__flags = u64_stats_update_begin_irqsave(&__s->syncp);		\
	u64_stats_add(&__s->field, (val));				\
	u64_stats_update_end_irqrestore(&__s->syncp, __flags);		\
} while (0)

struct ol2tp_encap_ops;
struct ol2tp_pw_ops;
struct ol2tp_tx_key;

#define OL2TP_TUNNEL_SESSION_HBITS	5

enum ol2tp_tunnel_flags {
	OL2TP_TUNNEL_DEAD,	/* being deleted: no new sessions, no lookups */
	OL2TP_TUNNEL_MANAGED,	/* socket came from userspace (FD) */
};

/**
 * struct ol2tp_tunnel - an L2TP control connection's data plane
 * @hnode: in ol2tp_net.tunnels, keyed by @tunnel_id (RCU)
 * @refcount: table reference + one per session + transient holders
 * @rcu: deferred free
 * @net: namespace of the tunnel (and of its socket)
 * @sk: the tunnel socket; the tunnel holds a reference (sock_hold) on it
 * @sock: the kernel socket of an unmanaged tunnel, released on delete
 * @fd: the userspace socket fd a managed tunnel was created from, -1 for
 *	an unmanaged one (PPPoL2TP getsockname reports it)
 * @tunnel_id: our id (CONN_ID)
 * @peer_tunnel_id: the peer's id (PEER_CONN_ID)
 * @version: L2TP version, 2 or 3
 * @encap: enum ol2tp_encap_type
 * @encap_ops: the encapsulation's operations
 * @flags: enum ol2tp_tunnel_flags
 * @debug: DEBUG attribute, reported only
 * @lock: protects @sessions against writers, @flags DEAD transition
 * @sessions: sessions of this tunnel keyed by session id (RCU)
 * @nr_sessions: number of entries in @sessions (under @lock)
 * @stats: packets the tunnel dropped before finding a session
 * @retired: counters of deleted sessions, so the aggregate never goes back
 *	(under @lock)
 * @dst_cache: per-CPU route towards the peer (xmit.c), freed with the tunnel
 * @tx_key: per CPU, the flow the CPU's @dst_cache entry was looked up for
 */
struct ol2tp_tunnel {
	struct hlist_node hnode;
	refcount_t refcount;
	struct rcu_head rcu;
	struct net *net;
	struct sock *sk;
	struct socket *sock;
	int fd;
	u32 tunnel_id;
	u32 peer_tunnel_id;
	u8 version;
	u8 encap;
	const struct ol2tp_encap_ops *encap_ops;
	unsigned long flags;
	u32 debug;
	spinlock_t lock;
	struct hlist_head sessions[1 << OL2TP_TUNNEL_SESSION_HBITS];
	unsigned int nr_sessions;
	struct ol2tp_pcpu_stats __percpu *stats;
	struct ol2tp_stats retired;
	struct dst_cache dst_cache;
	struct ol2tp_tx_key __percpu *tx_key;
};

/**
 * struct ol2tp_seq - receive sequencing state of a session (seq.c)
 * @timer: releases held packets whose gap timed out; holds a session
 *	reference while pending
 * @qbytes: truesize of the packets in the reorder queue
 * @oos: the run of out-of-sequence packets dropped, for resynchronising
 * @resync: take the next sequenced packet's number as the expected one
 * @closed: the session was unlinked: hold and arm nothing any more
 * @gaps: gaps given up on (timeout, full queue, reordering turned off)
 * @lost: sequence numbers those gaps skipped
 *
 * All fields, and the session's @nr and @reorder_q, are under
 * reorder_q.lock.  The session's @ns is an atomic counter: several CPUs
 * may transmit on a session at once (ol2tp_seq_next_ns()).
 */
struct ol2tp_seq {
	struct timer_list timer;
	unsigned int qbytes;
	struct ol2tp_seqnum_oos oos;
	bool resync;
	bool closed;
	u64 gaps;
	u64 lost;
};

#define OL2TP_SESSION_DEAD	0

/**
 * struct ol2tp_session - a pseudowire's data plane
 * @hnode: in the tunnel's session table, keyed by @session_id (RCU)
 * @close_node: in the list of sessions whose pseudowires are torn down
 *	together (a tunnel delete, or the queued deletes of single sessions)
 * @net_hnode: v3: in ol2tp_net.sessions, keyed by @session_id (RCU)
 * @refcount: table reference + pseudowire (netdev) + transient holders
 * @rcu: deferred free
 * @tunnel: the tunnel (reference held)
 * @session_id, @peer_session_id: ids (32 bit in v3, 16 bit in v2)
 * @pw_type: enum ol2tp_pwtype
 * @pw_ops: the pseudowire type
 * @flags: OL2TP_SESSION_DEAD
 * @cookie, @cookie_len: the cookie we put in every packet we send
 * @peer_cookie, @peer_cookie_len: the cookie every received packet must carry
 * @l2spec_type: enum ol2tp_l2spec_type
 * @l2spec_len: bytes of the sublayer on the wire (0 or 4)
 * @hdr_len: bytes of L2TP header we put in front of the payload on transmit
 *	(session id, cookie, sublayer; v3 over UDP adds 4 more, v2 its own)
 * @recv_seq, @send_seq, @lns_mode: sequencing settings (seq.c)
 * @reorder_timeout: jiffies
 * @ns: next sequence number to send, modulo 2^32 (ol2tp_seq_next_ns())
 * @nr: next sequence number expected (seq.c)
 * @reorder_q: packets held for reordering (seq.c)
 * @seq: the rest of the receive sequencing state (seq.c)
 * @debug: DEBUG attribute
 * @ifname: name of the pseudowire netdev, for GET replies (under RTNL)
 * @stats: per-CPU counters
 * @priv: pseudowire private data (pw_ops->priv_size bytes)
 */
struct ol2tp_session {
	struct hlist_node hnode;
	struct list_head close_node;
	struct hlist_node net_hnode;
	refcount_t refcount;
	struct rcu_head rcu;
	struct ol2tp_tunnel *tunnel;
	u32 session_id;
	u32 peer_session_id;
	u16 pw_type;
	const struct ol2tp_pw_ops *pw_ops;
	unsigned long flags;
	u8 cookie[OL2TP_COOKIE_MAX];
	u8 cookie_len;
	u8 peer_cookie[OL2TP_COOKIE_MAX];
	u8 peer_cookie_len;
	u8 l2spec_type;
	u8 l2spec_len;
	u16 hdr_len;
	bool recv_seq;
	bool send_seq;
	bool lns_mode;
	unsigned long reorder_timeout;
	atomic_t ns;
	u32 nr;
	struct sk_buff_head reorder_q;
	struct ol2tp_seq seq;
	u32 debug;
	char ifname[IFNAMSIZ];
	struct ol2tp_pcpu_stats __percpu *stats;
	unsigned long priv[] __aligned(NETDEV_ALIGN);
};

#endif /* _OL2TP_TYPES_H */
