/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The API of ol2tp.ko for pseudowires: exactly what eth.c and the PPP
 * module (ol2tp_ppp.ko) use.  The objects themselves are in types.h; each
 * unit of ol2tp.ko declares the rest of its calls in its own header.
 */
#ifndef _OL2TP_H
#define _OL2TP_H

#include <linux/types.h>
#include <linux/netdevice.h>
#include <linux/udp.h>
#include <linux/ipv6.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "types.h"

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
 * @close_queue: optional, instead of @close when ol2tp tears many
 *	sessions down at once (tunnel delete, netns exit, unload): called
 *	under RTNL, queue the pseudowire's netdev on @unreg
 *	(unregister_netdevice_queue); they are unregistered in one go.
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

/* --- counters (stats.c) ------------------------------------------------ */

void ol2tp_stats_fold(struct ol2tp_stats *sum,
		      struct ol2tp_pcpu_stats __percpu *pcpu);

/* --- tunnels (net.c, tunnel.c) ----------------------------------------- */

int ol2tp_tunnel_create(struct net *net, u32 tunnel_id, u32 peer_tunnel_id,
			const struct ol2tp_tunnel_cfg *cfg,
			struct ol2tp_tunnel **tunnelp,
			struct netlink_ext_ack *extack);
/* Returns the tunnel with a reference held, or NULL. */
struct ol2tp_tunnel *ol2tp_tunnel_get(struct net *net, u32 tunnel_id);
/* Past the object with @id that *_next() returned at @pos. */
void ol2tp_dump_pos_step(struct ol2tp_dump_pos *pos, u32 id);
/*
 * The first tunnel at or after @pos, with a reference held, or NULL; @pos
 * is moved to it (step past it once it is reported).
 */
struct ol2tp_tunnel *ol2tp_tunnel_next(struct net *net,
				       struct ol2tp_dump_pos *pos);
void ol2tp_tunnel_put(struct ol2tp_tunnel *tunnel);
/* Counters of the tunnel: its own drops plus all its sessions'. */
void ol2tp_tunnel_stats(struct ol2tp_tunnel *tunnel, struct ol2tp_stats *st);
/* The path MTU towards the tunnel's peer (1500 when unknown). */
unsigned int ol2tp_tunnel_path_mtu(struct ol2tp_tunnel *tunnel);


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

/* --- sessions (session.c) ----------------------------------------------- */

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
/* Bytes between the start of the tunnel's IP header and the payload. */
unsigned int ol2tp_session_overhead(const struct ol2tp_session *session);

/* --- sequencing (seq.c) -------------------------------------------------- */

/* -EINVAL unless every field @cfg sets is in range. */
int ol2tp_seq_cfg_check(const struct ol2tp_seq_cfg *cfg);
/*
 * Change @session's sequencing (netlink SESSION_MODIFY, the PPPoL2TP
 * socket options): check @cfg, apply what it sets, then let held packets
 * go if reordering is off.  Process context.
 */
int ol2tp_seq_set(struct ol2tp_session *session,
		  const struct ol2tp_seq_cfg *cfg);


/* --- transmit (xmit.c) ----------------------------------------------------- */

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


/*
 * Send @skb (the pseudowire payload, e.g. an Ethernet frame) on @session:
 * pushes the L2TP header, the UDP header when the tunnel is UDP, and the IP
 * header, and sends it towards the tunnel socket's peer (xmit.c).  Takes no
 * lock; @skb may be shared.  Consumes the skb.  Returns NET_XMIT_SUCCESS or
 * NET_XMIT_DROP; counts in the session's stats.  Caller holds a reference
 * on @session (or RCU with the session reachable).
 */
int ol2tp_xmit_skb(struct ol2tp_session *session, struct sk_buff *skb);


/* --- pseudowire types (pw.c) and privileges (params.c) ---------------------- */

int ol2tp_pw_register(struct ol2tp_pw_ops *ops);
void ol2tp_pw_unregister(struct ol2tp_pw_ops *ops);

/*
 * May the current task reach a tunnel or session of @net that it does not
 * own (another owner's PPPoL2TP tunnel or session, a tunnel's L2TP/IP conn
 * id)?  CAP_NET_ADMIN in the user namespace owning @net, or linux_perms.
 */
bool ol2tp_may_reach_others(const struct net *net);

#endif /* _OL2TP_H */
