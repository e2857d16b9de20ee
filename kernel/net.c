// SPDX-License-Identifier: GPL-2.0
/*
 * The per-netns tables of tunnels and L2TPv3 sessions, and the tunnel object
 * they list: allocation, references, lookups, dumps, counters.
 *
 * ol2tp_net.lock serialises writers of the tables, tunnel.lock the writers
 * of a tunnel's session table (session.c); tunnel.lock comes first.  Both
 * are taken with BH disabled and never across anything that sleeps.
 * Readers walk the tables under RCU and take a reference only to keep an
 * object past the read section.
 */

#include <linux/module.h>
#include <linux/hash.h>
#include <net/netns/generic.h>
#include <net/dst_cache.h>

#include "ol2tp.h"
#include "net.h"
#include "stats.h"
#include "xmit.h"

static unsigned int ol2tp_net_id __read_mostly;

struct ol2tp_net *ol2tp_pernet(const struct net *net)
{
	return net_generic(net, ol2tp_net_id);
}

struct hlist_head *ol2tp_net_session_bucket(struct ol2tp_net *pn, u32 id)
{
	return &pn->sessions[hash_32(id, OL2TP_NET_HBITS)];
}

static struct hlist_head *ol2tp_tunnel_bucket(struct ol2tp_net *pn, u32 id)
{
	return &pn->tunnels[hash_32(id, OL2TP_NET_HBITS)];
}

/* Caller holds RCU or pn->lock. */
static struct ol2tp_tunnel *__ol2tp_tunnel_lookup(struct ol2tp_net *pn,
						  u32 tunnel_id)
{
	struct ol2tp_tunnel *t;

	hlist_for_each_entry_rcu(t, ol2tp_tunnel_bucket(pn, tunnel_id), hnode,
				 lockdep_is_held(&pn->lock))
		if (t->tunnel_id == tunnel_id)
			return t;
	return NULL;
}

/*
 * Hash @t by its id in its namespace's table, which takes over the
 * reference alloc gave; -EEXIST if the id is taken.
 */
int ol2tp_net_tunnel_add(struct ol2tp_tunnel *t)
{
	struct ol2tp_net *pn = ol2tp_pernet(t->net);

	spin_lock_bh(&pn->lock);
	if (__ol2tp_tunnel_lookup(pn, t->tunnel_id)) {
		spin_unlock_bh(&pn->lock);
		return -EEXIST;
	}
	ol2tp_hlist_add_sorted(t, ol2tp_tunnel_bucket(pn, t->tunnel_id), hnode,
			       tunnel_id);
	pn->nr_tunnels++;
	spin_unlock_bh(&pn->lock);
	return 0;
}

/* Unhash @t (once: its DEAD bit is set). */
void ol2tp_net_tunnel_del(struct ol2tp_tunnel *t)
{
	struct ol2tp_net *pn = ol2tp_pernet(t->net);

	spin_lock_bh(&pn->lock);
	hlist_del_init_rcu(&t->hnode);
	pn->nr_tunnels--;
	spin_unlock_bh(&pn->lock);
}

struct ol2tp_tunnel *ol2tp_tunnel_get(struct net *net, u32 tunnel_id)
{
	struct ol2tp_tunnel *t;

	rcu_read_lock();
	t = __ol2tp_tunnel_lookup(ol2tp_pernet(net), tunnel_id);
	if (t && !refcount_inc_not_zero(&t->refcount))
		t = NULL;
	rcu_read_unlock();
	return t;
}
EXPORT_SYMBOL_GPL(ol2tp_tunnel_get);

void ol2tp_dump_pos_step(struct ol2tp_dump_pos *pos, u32 id)
{
	pos->id = (u64)id + 1;
}
EXPORT_SYMBOL_GPL(ol2tp_dump_pos_step);

struct ol2tp_tunnel *ol2tp_tunnel_next(struct net *net,
				       struct ol2tp_dump_pos *pos)
{
	struct ol2tp_net *pn = ol2tp_pernet(net);
	struct ol2tp_tunnel *t;

	rcu_read_lock();
	for (; pos->bucket < ARRAY_SIZE(pn->tunnels); pos->bucket++,
						      pos->id = 0) {
		hlist_for_each_entry_rcu(t, &pn->tunnels[pos->bucket], hnode) {
			if (t->tunnel_id < pos->id)
				continue;
			if (!refcount_inc_not_zero(&t->refcount))
				continue;
			rcu_read_unlock();
			pos->id = t->tunnel_id;
			return t;
		}
	}
	rcu_read_unlock();
	return NULL;
}
EXPORT_SYMBOL_GPL(ol2tp_tunnel_next);

struct ol2tp_tunnel *ol2tp_sk_tunnel(const struct sock *sk)
{
	return rcu_dereference_sk_user_data(sk);
}

/*
 * A new tunnel, with one reference and its counters and route cache, in
 * no table yet.
 */
struct ol2tp_tunnel *ol2tp_tunnel_alloc(void)
{
	struct ol2tp_tunnel *t;
	unsigned int b;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	t->stats = ol2tp_stats_alloc();
	if (!t->stats)
		goto err_free;
	if (dst_cache_init(&t->dst_cache, GFP_KERNEL))
		goto err_free_stats;
	t->tx_key = alloc_percpu(struct ol2tp_tx_key);
	if (!t->tx_key)
		goto err_destroy_dst_cache;
	refcount_set(&t->refcount, 1);
	spin_lock_init(&t->lock);
	for (b = 0; b < ARRAY_SIZE(t->sessions); b++)
		INIT_HLIST_HEAD(&t->sessions[b]);
	return t;

err_destroy_dst_cache:
	dst_cache_destroy(&t->dst_cache);
err_free_stats:
	free_percpu(t->stats);
err_free:
	kfree(t);
	return NULL;
}

/*
 * Free @t and drop its socket: from its RCU callback, or at once if it was
 * never visible.  No transmit can be using its route cache any more.
 */
void ol2tp_tunnel_free(struct ol2tp_tunnel *t)
{
	if (t->sk)
		sock_put(t->sk);
	free_percpu(t->tx_key);
	dst_cache_destroy(&t->dst_cache);
	free_percpu(t->stats);
	kfree(t);
}

static void ol2tp_tunnel_free_rcu(struct rcu_head *head)
{
	ol2tp_tunnel_free(container_of(head, struct ol2tp_tunnel, rcu));
}

void ol2tp_tunnel_put(struct ol2tp_tunnel *tunnel)
{
	if (refcount_dec_and_test(&tunnel->refcount))
		call_rcu(&tunnel->rcu, ol2tp_tunnel_free_rcu);
}
EXPORT_SYMBOL_GPL(ol2tp_tunnel_put);

void ol2tp_tunnel_stats(struct ol2tp_tunnel *tunnel, struct ol2tp_stats *st)
{
	struct ol2tp_session *s;
	unsigned int b;

	memset(st, 0, sizeof(*st));
	ol2tp_stats_fold(st, tunnel->stats);
	spin_lock_bh(&tunnel->lock);
	ol2tp_stats_add(st, &tunnel->retired);
	for (b = 0; b < ARRAY_SIZE(tunnel->sessions); b++)
		hlist_for_each_entry(s, &tunnel->sessions[b], hnode)
			ol2tp_stats_fold(st, s->stats);
	spin_unlock_bh(&tunnel->lock);
}
EXPORT_SYMBOL_GPL(ol2tp_tunnel_stats);

unsigned int ol2tp_tunnel_path_mtu(struct ol2tp_tunnel *tunnel)
{
	struct dst_entry *dst = sk_dst_get(tunnel->sk);
	unsigned int mtu = ETH_DATA_LEN;

	if (dst) {
		mtu = dst_mtu(dst);
		dst_release(dst);
	}
	return mtu;
}
EXPORT_SYMBOL_GPL(ol2tp_tunnel_path_mtu);

/* --- per-netns ---------------------------------------------------------- */

static int __net_init ol2tp_net_init_ns(struct net *net)
{
	struct ol2tp_net *pn = ol2tp_pernet(net);
	unsigned int b;

	spin_lock_init(&pn->lock);
	for (b = 0; b < ARRAY_SIZE(pn->tunnels); b++)
		INIT_HLIST_HEAD(&pn->tunnels[b]);
	for (b = 0; b < ARRAY_SIZE(pn->sessions); b++)
		INIT_HLIST_HEAD(&pn->sessions[b]);
	for (b = 0; b < ARRAY_SIZE(pn->ip_socks); b++)
		INIT_HLIST_HEAD(&pn->ip_socks[b]);
	return 0;
}

/*
 * The tables only: tunnels are deleted at netns exit by tunnel.c's flush,
 * a pernet device op registered later, which exits first.
 */
static struct pernet_operations ol2tp_net_ops = {
	.init = ol2tp_net_init_ns,
	.id = &ol2tp_net_id,
	.size = sizeof(struct ol2tp_net),
};

int __init ol2tp_net_init(void)
{
	return register_pernet_subsys(&ol2tp_net_ops);
}

void ol2tp_net_uninit(void)
{
	unregister_pernet_subsys(&ol2tp_net_ops);
}
