/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ol2tp internal API: the objects of the L2TP data plane and the calls
 * between its parts (core.c, xmit.c, udp.c, ip.c, ip6.c, eth.c, netlink.c,
 * seq.c and the PPP pseudowire module).
 *
 * Objects (see Documentation/architecture.rst):
 *
 *   struct ol2tp_net      per network namespace: the tunnel table and the
 *                         netns-wide L2TPv3 session table.
 *   struct ol2tp_tunnel   one control connection: a UDP or L2TP/IP socket,
 *                         a version (2 or 3), the tunnel's session table.
 *   struct ol2tp_session  one pseudowire: ids, cookies, sublayer, sequencing
 *                         state and a pseudowire ops table (eth.c, PPP).
 *
 * Lifetimes: every object is reference counted.  A table holds one reference
 * on each object it lists; a session holds one on its tunnel; a pseudowire
 * netdev holds one on its session.  Deleting an object unhashes it (so no new
 * lookup finds it) and drops the table's reference; memory is freed after an
 * RCU grace period once the last reference goes, so the receive and transmit
 * fast paths look objects up under RCU without taking a reference or a lock.
 */
#ifndef _OL2TP_H
#define _OL2TP_H

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
#include <net/netlink.h>
#include <net/sock.h>
#include <net/ipv6.h>
#include <linux/udp.h>
#include <net/dst_cache.h>

#include "uapi/linux/ol2tp.h"
#include "seqnum.h"

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

#define OL2TP_COOKIE_MAX	8

/* --- statistics ------------------------------------------------------ */

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

void ol2tp_stats_fold(struct ol2tp_stats *sum,
		      struct ol2tp_pcpu_stats __percpu *pcpu);
void ol2tp_stats_add(struct ol2tp_stats *sum, const struct ol2tp_stats *v);
struct ol2tp_pcpu_stats __percpu *ol2tp_stats_alloc(void);

/* --- tunnels ----------------------------------------------------------- */

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

#define OL2TP_TUNNEL_SESSION_HBITS	5

enum ol2tp_tunnel_flags {
	OL2TP_TUNNEL_DEAD,	/* being deleted: no new sessions, no lookups */
	OL2TP_TUNNEL_MANAGED,	/* socket came from userspace (FD) */
};

struct ol2tp_net;
struct ol2tp_tunnel;
struct ol2tp_tunnel_cfg;

/**
 * struct ol2tp_encap_ops - an encapsulation of L2TP (udp.c, ip_common.c)
 * @encap_type: enum ol2tp_encap_type
 * @ipproto: the IP protocol of the packets a tunnel sends
 * @hdr_len: bytes of encapsulation header between IP and L2TP (UDP's)
 * @v3_hdr_len: bytes of L2TPv3 data header before the session id (the
 *	flags/version word over UDP, RFC 3931 section 4.1.2.1)
 * @carries_v2: L2TPv2 runs over it
 * @netns_session_ids: a data packet carries only the session id, so its
 *	L2TPv3 session ids are unique in the namespace
 * @sock_check: can a userspace socket (FD) carry a tunnel of this kind?
 * @sock_create: create, bind and connect an unmanaged tunnel's socket
 * @sock_release: release what @sock_create made
 * @attach: make the tunnel's socket deliver to the tunnel (under its lock)
 * @detach: undo @attach; the socket stays the user's if managed
 * @push: put the encapsulation header in front of the L2TP header on
 *	transmit, once the route gave the source address (NULL: none)
 *
 * Receive enters through the socket layer's hooks: UDP's encap_rcv, which
 * @attach sets, and the protocol handler of ip.c/ip6.c.
 */
struct ol2tp_encap_ops {
	u8 encap_type;
	u8 ipproto;
	u8 hdr_len;
	u8 v3_hdr_len;
	bool carries_v2;
	bool netns_session_ids;
	int (*sock_check)(struct sock *sk, struct netlink_ext_ack *extack);
	int (*sock_create)(struct net *net, const struct ol2tp_tunnel_cfg *cfg,
			   u32 tunnel_id, struct socket **sockp,
			   struct netlink_ext_ack *extack);
	void (*sock_release)(struct socket *sock);
	int (*attach)(struct ol2tp_tunnel *tunnel,
		      struct netlink_ext_ack *extack);
	void (*detach)(struct ol2tp_tunnel *tunnel);
	void (*push)(struct ol2tp_tunnel *tunnel, struct sk_buff *skb,
		     const struct ol2tp_tx_key *key, const __be32 *saddr4,
		     const struct in6_addr *saddr6);
};

/* The encapsulations (main.c registers them before anything can use one). */
extern const struct ol2tp_encap_ops ol2tp_udp_encap_ops;
extern const struct ol2tp_encap_ops ol2tp_ip_encap_ops;
void ol2tp_encap_register(const struct ol2tp_encap_ops *ops);
void ol2tp_encap_unregister(const struct ol2tp_encap_ops *ops);

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
 * struct ol2tp_tunnel_cfg - how to create a tunnel
 * @version: 2 or 3
 * @encap: enum ol2tp_encap_type
 * @fd: managed: userspace socket fd; -1 for an unmanaged tunnel
 * @family: unmanaged: AF_INET or AF_INET6
 * @saddr4, @daddr4, @saddr6, @daddr6: unmanaged: local and peer address
 * @sport, @dport: unmanaged UDP: local and peer port (host order)
 * @udp_csum: unmanaged UDP over IPv4: send checksums
 * @zero_csum6_tx, @zero_csum6_rx: unmanaged UDP over IPv6
 * @debug: DEBUG attribute
 */
struct ol2tp_tunnel_cfg {
	u8 version;
	u8 encap;
	int fd;
	int family;
	__be32 saddr4;
	__be32 daddr4;
	struct in6_addr saddr6;
	struct in6_addr daddr6;
	u16 sport;
	u16 dport;
	bool udp_csum;
	bool zero_csum6_tx;
	bool zero_csum6_rx;
	u32 debug;
};

int ol2tp_tunnel_create(struct net *net, u32 tunnel_id, u32 peer_tunnel_id,
			const struct ol2tp_tunnel_cfg *cfg,
			struct ol2tp_tunnel **tunnelp,
			struct netlink_ext_ack *extack);
/* Returns the tunnel with a reference held, or NULL. */
struct ol2tp_tunnel *ol2tp_tunnel_get(struct net *net, u32 tunnel_id);
/*
 * A dump's position in a table: a hash bucket and the smallest id still to
 * report in it (buckets keep ids in ascending order).  Start from {0, 0}.
 * Whatever is added or deleted meanwhile, a dump that walks a table with
 * ol2tp_tunnel_next()/ol2tp_session_next() and ol2tp_dump_pos_step() reports
 * each object that exists throughout exactly once, and resuming costs one
 * bucket.
 */
struct ol2tp_dump_pos {
	unsigned long bucket;
	u64 id;
};

/*
 * Dumps resume where they stopped from a position (bucket, smallest id still
 * to report there), so every bucket keeps its entries in ascending id order:
 * an object that exists for a whole dump is reported exactly once whatever
 * is added or deleted meanwhile, and resuming costs one bucket, not a walk
 * from the start.
 */
#define ol2tp_hlist_add_sorted(obj, head, member, idfield) do {		\
	struct hlist_node *__prev = NULL, *__n;				\
									\
	for (__n = (head)->first; __n; __n = __n->next) {		\
		if (hlist_entry(__n, typeof(*(obj)), member)->idfield >	\
		    (obj)->idfield)					\
			break;						\
		__prev = __n;						\
	}								\
	if (__prev)							\
		hlist_add_behind_rcu(&(obj)->member, __prev);		\
	else								\
		hlist_add_head_rcu(&(obj)->member, (head));		\
} while (0)

/* Past the object with @id that *_next() returned at @pos. */
void ol2tp_dump_pos_step(struct ol2tp_dump_pos *pos, u32 id);
/*
 * The first tunnel at or after @pos, with a reference held, or NULL; @pos
 * is moved to it (step past it once it is reported).
 */
struct ol2tp_tunnel *ol2tp_tunnel_next(struct net *net,
				       struct ol2tp_dump_pos *pos);
void ol2tp_tunnel_put(struct ol2tp_tunnel *tunnel);
struct ol2tp_tunnel *ol2tp_tunnel_alloc(void);
void ol2tp_tunnel_free(struct ol2tp_tunnel *tunnel);
int ol2tp_net_tunnel_add(struct ol2tp_tunnel *tunnel);
void ol2tp_net_tunnel_del(struct ol2tp_tunnel *tunnel);
/* Delete sessions, detach or release the socket, unhash.  May sleep. */
void ol2tp_tunnel_delete(struct ol2tp_tunnel *tunnel);
/* Counters of the tunnel: its own drops plus all its sessions'. */
void ol2tp_tunnel_stats(struct ol2tp_tunnel *tunnel, struct ol2tp_stats *st);

/* Whether the tunnel's packets go out over IPv6 (not v4-mapped). */
static inline bool ol2tp_tunnel_is_ipv6(const struct ol2tp_tunnel *t)
{
#if IS_ENABLED(CONFIG_IPV6)
	return t->sk->sk_family == AF_INET6 &&
	       !ipv6_addr_v4mapped(&t->sk->sk_v6_daddr);
#else
	return false;
#endif
}

/* The tunnel a socket carries (sk_user_data), or NULL.  Caller holds RCU. */
struct ol2tp_tunnel *ol2tp_sk_tunnel(const struct sock *sk);

/*
 * Does @sk have a per-socket IPsec policy (USING_IPSEC, PPPIOCGL2TPSTATS'
 * using_ipsec)?  Reads the policy pointers only: any context.
 */
static inline bool ol2tp_sk_using_ipsec(const struct sock *sk)
{
#ifdef CONFIG_XFRM
	return rcu_access_pointer(sk->sk_policy[0]) ||
	       rcu_access_pointer(sk->sk_policy[1]);
#else
	return false;
#endif
}

/*
 * Called by a tunnel socket's close/destroy path (UDP encap_destroy, the
 * L2TP/IP socket's close): if @sk carries a tunnel, the tunnel and its
 * sessions are deleted.  Process context.
 */
void ol2tp_tunnel_sock_closing(struct sock *sk);

/* --- sequencing (seq.c): session state --------------------------------- */

/*
 * Bounds of a session's reorder queue: a flood of out-of-order packets
 * makes the receiver give up on the oldest gap rather than hold more.
 */
#define OL2TP_SEQ_QUEUE_PACKETS	1024
#define OL2TP_SEQ_QUEUE_BYTES	(4 * 1024 * 1024)	/* of skb truesize */

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

/* --- sessions ---------------------------------------------------------- */

#define OL2TP_SESSION_DEAD	0

struct ol2tp_session;

/**
 * struct ol2tp_pw_ops - a pseudowire type (eth.c, the PPP module)
 * @pw_type: enum ol2tp_pwtype
 * @owner: module implementing it (pinned while sessions of the type exist)
 * @priv_size: bytes of session private data (ol2tp_session_priv())
 * @setup: create the pseudowire of a new session (netdev, channel...), after
 *	the session is hashed.  Process context, no lock held.  On error the
 *	session is deleted.
 * @recv: a data packet for the session: @skb->data is the payload (headers
 *	pulled), the skb is the pseudowire's to consume.  RCU, softirq.
 * @close: the session was unlinked: tear the pseudowire down.  Process
 *	context, may take RTNL.  Optional.
 * @close_queue: optional, instead of @close when the core tears many
 *	sessions down at once (tunnel delete, netns exit, unload): called
 *	under RTNL, queue the pseudowire's netdev on @unreg
 *	(unregister_netdevice_queue); the core unregisters them all in one go.
 * @fill_info: add pseudowire attributes (IFNAME) to a netlink message.
 * @list: in the registered pseudowire list
 */
struct ol2tp_pw_ops {
	u16 pw_type;
	struct module *owner;
	size_t priv_size;
	int (*setup)(struct ol2tp_session *session, const char *ifname,
		     struct netlink_ext_ack *extack);
	void (*recv)(struct ol2tp_session *session, struct sk_buff *skb);
	void (*close)(struct ol2tp_session *session);
	void (*close_queue)(struct ol2tp_session *session,
			    struct list_head *unreg);
	int (*fill_info)(struct sk_buff *msg, struct ol2tp_session *session);
	struct list_head list;
};

int ol2tp_pw_register(struct ol2tp_pw_ops *ops);
void ol2tp_pw_unregister(struct ol2tp_pw_ops *ops);
const struct ol2tp_pw_ops *ol2tp_pw_get(u16 pw_type);

/**
 * struct ol2tp_session_cfg - how to create a session
 * @pw_type: enum ol2tp_pwtype
 * @cookie, @cookie_len: the cookie we send (COOKIE), 0, 4 or 8 bytes
 * @peer_cookie, @peer_cookie_len: the cookie the peer sends (PEER_COOKIE),
 *	checked on receive
 * @l2spec_type: enum ol2tp_l2spec_type (v3)
 * @recv_seq, @send_seq, @lns_mode: sequencing settings
 * @reorder_timeout: reorder timeout, jiffies (0: no reordering)
 * @debug: DEBUG attribute
 * @ifname: requested interface name or "" (pseudowires with a netdev)
 */
struct ol2tp_session_cfg {
	u16 pw_type;
	u8 cookie[OL2TP_COOKIE_MAX];
	u8 cookie_len;
	u8 peer_cookie[OL2TP_COOKIE_MAX];
	u8 peer_cookie_len;
	u8 l2spec_type;
	bool recv_seq;
	bool send_seq;
	bool lns_mode;
	unsigned long reorder_timeout;
	u32 debug;
	char ifname[IFNAMSIZ];
};

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

static inline void *ol2tp_session_priv(struct ol2tp_session *session)
{
	return session->priv;
}

int ol2tp_session_create(struct ol2tp_tunnel *tunnel, u32 session_id,
			 u32 peer_session_id,
			 const struct ol2tp_session_cfg *cfg,
			 struct ol2tp_session **sessionp,
			 struct netlink_ext_ack *extack);
/* Session @session_id of @tunnel, with a reference held, or NULL. */
struct ol2tp_session *ol2tp_session_get(struct ol2tp_tunnel *tunnel,
					u32 session_id);
/* The session whose pseudowire netdev is @ifname in @net, or NULL. */
struct ol2tp_session *ol2tp_session_get_by_ifname(struct net *net,
						  const char *ifname);
/* Like ol2tp_tunnel_next(), for the sessions of @tunnel. */
struct ol2tp_session *ol2tp_session_next(struct ol2tp_tunnel *tunnel,
					 struct ol2tp_dump_pos *pos);
static inline void ol2tp_session_hold(struct ol2tp_session *session)
{
	refcount_inc(&session->refcount);
}

void ol2tp_session_put(struct ol2tp_session *session);
/*
 * Unhash the session (no lookup finds it any more) and drop the table's
 * reference.  Returns false if it was already unlinked.  Never sleeps: a
 * pseudowire tearing itself down (netdev uninit under RTNL) calls this.
 */
bool ol2tp_session_unlink(struct ol2tp_session *session);
/*
 * Unlink, then close the pseudowire.  Process context; may take RTNL.  A
 * pseudowire with close_queue (a netdev) is closed later by a work item that
 * batches the netdevs of many deletes; ol2tp_session_close_flush() waits
 * for it.
 */
void ol2tp_session_delete(struct ol2tp_session *session);
void ol2tp_session_close_flush(void);
/* Delete every session of @tunnel, which is being deleted. */
void ol2tp_session_delete_all(struct ol2tp_tunnel *tunnel);

/* Recompute @hdr_len (after a change of sublayer or sequencing). */
static inline void ol2tp_session_set_header_len(struct ol2tp_session *session)
{
	struct ol2tp_tunnel *t = session->tunnel;

	WRITE_ONCE(session->hdr_len,
		   ol2tp_data_hdr_len(t->version,
				      t->encap_ops->v3_hdr_len != 0,
				      session->send_seq, session->cookie_len,
				      session->l2spec_len));
}
/*
 * Headroom the transmit path needs in front of a payload with @hdr_len bytes
 * of L2TP header: the header, UDP, the larger IP header and a link-layer
 * header for the underlay.  A pseudowire netdev asks the stack for this
 * much (needed_headroom) so that its frames never need a new head.
 */
#define OL2TP_LL_HEADROOM	32
static inline unsigned int ol2tp_tx_headroom(unsigned int hdr_len)
{
	return hdr_len + sizeof(struct udphdr) + sizeof(struct ipv6hdr) +
	       OL2TP_LL_HEADROOM;
}

/* Bytes between the start of the tunnel's IP header and the payload. */
unsigned int ol2tp_session_overhead(const struct ol2tp_session *session);
/* The path MTU towards the tunnel's peer (1500 when unknown). */
unsigned int ol2tp_tunnel_path_mtu(struct ol2tp_tunnel *tunnel);

/* --- data path --------------------------------------------------------- */

/*
 * Receive a data packet of @session: @skb->data is at the cookie (after the
 * session id), @hdr_len bytes of L2TP header before it were pulled.  Checks
 * cookie and sublayer, counts, strips the headers and hands the payload to
 * the pseudowire.  Consumes the skb.  RCU held.
 */
int ol2tp_recv_session(struct ol2tp_session *session, struct sk_buff *skb,
		       unsigned int hdr_len);
/* Session @session_id of @tunnel, or NULL.  Caller holds RCU. */
struct ol2tp_session *ol2tp_session_lookup_rcu(struct ol2tp_tunnel *tunnel,
					       u32 session_id);
/* The netns table's bucket of L2TPv3 session id @id. */
struct hlist_head *ol2tp_net_session_bucket(struct ol2tp_net *pn, u32 id);

/*
 * Send @skb (the pseudowire payload, e.g. an Ethernet frame) on @session:
 * pushes the L2TP header, the UDP header when the tunnel is UDP, and the IP
 * header, and sends it towards the tunnel socket's peer (xmit.c).  Takes no
 * lock; @skb may be shared.  Consumes the skb.  Returns NET_XMIT_SUCCESS or
 * NET_XMIT_DROP; counts in the session's stats.  Caller holds a reference
 * on @session (or RCU with the session reachable).
 */
int ol2tp_xmit_skb(struct ol2tp_session *session, struct sk_buff *skb);

/* --- sequencing (seq.c): calls ------------------------------------------ */

/* Set up / end a session's sequencing state (create / unlink). */
void ol2tp_seq_session_init(struct ol2tp_session *session,
			    void (*timeout)(struct timer_list *));
/* True if it cancelled a pending timer, whose reference is the caller's. */
bool ol2tp_seq_session_close(struct ol2tp_session *session);
/* The reorder timer expired: release what waited long enough. */
void ol2tp_seq_timeout(struct ol2tp_session *session);

/**
 * struct ol2tp_seq_cfg - a change of a session's sequencing settings
 * @set: OL2TP_SEQ_SET_* bits, the fields to apply
 * @recv_seq: RECV_SEQ, 0 or 1
 * @send_seq: SEND_SEQ, 0 or 1
 * @lns_mode: LNS_MODE, 0 or 1
 * @reorder_ms: the reorder timeout in milliseconds (0: no reordering)
 */
struct ol2tp_seq_cfg {
	unsigned int set;
	int recv_seq;
	int send_seq;
	int lns_mode;
	s64 reorder_ms;
};

#define OL2TP_SEQ_SET_RECV	0x1
#define OL2TP_SEQ_SET_SEND	0x2
#define OL2TP_SEQ_SET_LNS	0x4
#define OL2TP_SEQ_SET_TIMEOUT	0x8

/* -EINVAL unless every field @cfg sets is in range. */
int ol2tp_seq_cfg_check(const struct ol2tp_seq_cfg *cfg);
/*
 * Change @session's sequencing (netlink SESSION_MODIFY, the PPPoL2TP
 * socket options): check @cfg, apply what it sets, then let held packets
 * go if reordering is off.  Process context.
 */
int ol2tp_seq_set(struct ol2tp_session *session,
		  const struct ol2tp_seq_cfg *cfg);

int ol2tp_seq_recv_slow(struct ol2tp_session *session, struct sk_buff *skb,
			bool has_seq, u32 ns, unsigned int length);

/* Count a packet of @length L2TP bytes and give it to the pseudowire. */
static inline void ol2tp_seq_deliver(struct ol2tp_session *session,
				     struct sk_buff *skb, unsigned int length)
{
	ol2tp_stat_add(session->stats, rx_packets, 1);
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

/*
 * The sequence number of the next data packet sent on @session, in the
 * number space @mask (0xffff for v2, 24 bits for v3): a wrapping 32-bit
 * counter taken atomically, so concurrent transmits never share a number.
 */
static inline u32 ol2tp_seq_next_ns(struct ol2tp_session *session, u32 mask)
{
	return (u32)atomic_fetch_inc(&session->ns) & mask;
}

/*
 * The default sublayer word of the next L2TPv3 data packet: S bit and Ns
 * when SEND_SEQ is on, else 0.  Lockless.
 */
static inline u32 ol2tp_seq_next_l2spec(struct ol2tp_session *session)
{
	if (!READ_ONCE(session->send_seq))
		return 0;
	return OL2TP_SUBLAYER_S |
	       ol2tp_seq_next_ns(session, OL2TP_SUBLAYER_NS_MASK);
}

/* debugfs view of every session's sequencing state (init/uninit). */
void ol2tp_debugfs_init(void);
void ol2tp_debugfs_uninit(void);

/* --- per-netns state --------------------------------------------------- */

#define OL2TP_NET_HBITS		8

/**
 * struct ol2tp_net - per network namespace state
 * @lock: serialises writers of both tables
 * @tunnels: tunnels keyed by tunnel id (RCU)
 * @sessions: L2TPv3 sessions keyed by session id (RCU); a UDP tunnel's
 *	session may share its id with sessions of other UDP tunnels, an IP
 *	tunnel's session id is unique in the namespace
 * @nr_tunnels: entries in @tunnels
 */
struct ol2tp_net {
	spinlock_t lock;
	struct hlist_head tunnels[1 << OL2TP_NET_HBITS];
	struct hlist_head sessions[1 << OL2TP_NET_HBITS];
	unsigned int nr_tunnels;
};

struct ol2tp_net *ol2tp_pernet(const struct net *net);

/* --- privileges (main.c, Documentation/security.rst) -------------------- */

/* The module was loaded with linux_perms=1: Linux's privilege model. */
bool ol2tp_linux_perms(void);
/*
 * May the current task reach a tunnel or session of @net that it does not
 * own (another owner's PPPoL2TP tunnel or session, a tunnel's L2TP/IP conn
 * id)?  CAP_NET_ADMIN in the user namespace owning @net, or linux_perms.
 */
bool ol2tp_may_reach_others(const struct net *net);

/* --- subsystems (main.c calls each init/uninit pair) ------------------- */

int ol2tp_net_init(void);
void ol2tp_net_uninit(void);
int ol2tp_flush_init(void);
void ol2tp_flush_uninit(void);
int ol2tp_eth_init(void);
void ol2tp_eth_uninit(void);
int ol2tp_netlink_init(void);
void ol2tp_netlink_uninit(void);
/* ip.c, ip6.c (L2TP/IP sockets and IP protocol 115 receive) */
int ol2tp_ip_init(void);
void ol2tp_ip_uninit(void);
int ol2tp_ip6_init(void);
void ol2tp_ip6_uninit(void);

#endif /* _OL2TP_H */
