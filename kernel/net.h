/* SPDX-License-Identifier: GPL-2.0 */
/*
 * net.c: the per-netns tables and the tunnel object.
 */
#ifndef _OL2TP_NET_H
#define _OL2TP_NET_H

#include <linux/hash.h>
#include "ol2tp.h"

#define OL2TP_NET_HBITS		8

/**
 * struct ol2tp_net - per network namespace state
 * @lock: serialises writers of the tables
 * @tunnels: tunnels keyed by tunnel id (RCU)
 * @sessions: L2TPv3 sessions keyed by session id (RCU); a UDP tunnel's
 *	session may share its id with sessions of other UDP tunnels, an IP
 *	tunnel's session id is unique in the namespace
 * @ip_socks: the sockets IP-encapsulated tunnels ride on, keyed by their
 *	local and peer addresses (ip_encap.c; RCU): where a data packet for no
 *	session is counted
 * @nr_tunnels: entries in @tunnels
 */
struct ol2tp_net {
	spinlock_t lock;
	struct hlist_head tunnels[1 << OL2TP_NET_HBITS];
	struct hlist_head sessions[1 << OL2TP_NET_HBITS];
	struct hlist_head ip_socks[1 << OL2TP_NET_HBITS];
	unsigned int nr_tunnels;
};

struct ol2tp_net *ol2tp_pernet(const struct net *net);
/* The netns table's bucket of L2TPv3 session id @id. */
struct hlist_head *ol2tp_net_session_bucket(struct ol2tp_net *pn, u32 id);

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

/* A new tunnel with one reference, its counters and route cache. */
struct ol2tp_tunnel *ol2tp_tunnel_alloc(void);
/* Free a tunnel never made visible (or from its RCU callback). */
void ol2tp_tunnel_free(struct ol2tp_tunnel *tunnel);
int ol2tp_net_tunnel_add(struct ol2tp_tunnel *tunnel);
void ol2tp_net_tunnel_del(struct ol2tp_tunnel *tunnel);
/* The tunnel a socket carries (sk_user_data), or NULL.  Caller holds RCU. */
struct ol2tp_tunnel *ol2tp_sk_tunnel(const struct sock *sk);


/* The tables, registered first and unregistered last (main.c). */
int ol2tp_net_init(void);
void ol2tp_net_uninit(void);

#endif /* _OL2TP_NET_H */
