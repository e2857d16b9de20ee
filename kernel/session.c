// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions: creation (with the pseudowire's setup), the tunnel's session
 * table and the namespace's L2TPv3 one, lookups and dumps, references, and
 * deletion: unlink at once, then close the pseudowire, netdevs in batches
 * (Documentation/architecture.rst, Lifetimes).
 */

#include <linux/module.h>
#include <linux/hash.h>
#include <linux/rtnetlink.h>
#include <linux/workqueue.h>
#include <linux/netdevice.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <linux/udp.h>

#include "ol2tp.h"
#include "session.h"
#include "net.h"
#include "pw.h"
#include "seq.h"
#include "stats.h"

static struct hlist_head *ol2tp_session_bucket(struct ol2tp_tunnel *t, u32 id)
{
	return &t->sessions[hash_32(id, OL2TP_TUNNEL_SESSION_HBITS)];
}

/* Caller holds RCU or t->lock. */
struct ol2tp_session *ol2tp_session_lookup_rcu(struct ol2tp_tunnel *t,
					       u32 session_id)
{
	struct ol2tp_session *s;

	hlist_for_each_entry_rcu(s, ol2tp_session_bucket(t, session_id), hnode,
				 lockdep_is_held(&t->lock))
		if (s->session_id == session_id)
			return s;
	return NULL;
}

struct ol2tp_session *ol2tp_session_get(struct ol2tp_tunnel *tunnel,
					u32 session_id)
{
	struct ol2tp_session *s;

	rcu_read_lock();
	s = ol2tp_session_lookup_rcu(tunnel, session_id);
	if (s && !refcount_inc_not_zero(&s->refcount))
		s = NULL;
	rcu_read_unlock();
	return s;
}
EXPORT_SYMBOL_GPL(ol2tp_session_get);

struct ol2tp_session *ol2tp_session_next(struct ol2tp_tunnel *tunnel,
					 struct ol2tp_dump_pos *pos)
{
	struct ol2tp_session *s;

	rcu_read_lock();
	for (; pos->bucket < ARRAY_SIZE(tunnel->sessions); pos->bucket++,
							  pos->id = 0) {
		hlist_for_each_entry_rcu(s, &tunnel->sessions[pos->bucket],
					 hnode) {
			if (s->session_id < pos->id)
				continue;
			if (!refcount_inc_not_zero(&s->refcount))
				continue;
			rcu_read_unlock();
			pos->id = s->session_id;
			return s;
		}
	}
	rcu_read_unlock();
	return NULL;
}
EXPORT_SYMBOL_GPL(ol2tp_session_next);

struct ol2tp_session *ol2tp_session_get_by_ifname(struct net *net,
						  const char *ifname)
{
	struct ol2tp_net *pn = ol2tp_pernet(net);
	struct ol2tp_session *s;
	struct ol2tp_tunnel *t;
	unsigned int b, sb;

	rcu_read_lock();
	for (b = 0; b < ARRAY_SIZE(pn->tunnels); b++) {
		hlist_for_each_entry_rcu(t, &pn->tunnels[b], hnode) {
			for (sb = 0; sb < ARRAY_SIZE(t->sessions); sb++) {
				hlist_for_each_entry_rcu(s, &t->sessions[sb],
							 hnode) {
					if (strncmp(s->ifname, ifname,
						    IFNAMSIZ))
						continue;
					if (!refcount_inc_not_zero(&s->refcount))
						continue;
					rcu_read_unlock();
					return s;
				}
			}
		}
	}
	rcu_read_unlock();
	return NULL;
}

static void ol2tp_session_free_rcu(struct rcu_head *head)
{
	struct ol2tp_session *s = container_of(head, struct ol2tp_session, rcu);
	struct ol2tp_tunnel *t = s->tunnel;
	struct ol2tp_stats st = {};

	/* Keep the tunnel's aggregate counters monotonic. */
	ol2tp_stats_fold(&st, s->stats);
	spin_lock_bh(&t->lock);
	ol2tp_stats_add(&t->retired, &st);
	spin_unlock_bh(&t->lock);

	skb_queue_purge(&s->reorder_q);
	module_put(s->pw_ops->owner);
	free_percpu(s->stats);
	kfree(s);
	ol2tp_tunnel_put(t);
}

void ol2tp_session_put(struct ol2tp_session *session)
{
	if (refcount_dec_and_test(&session->refcount))
		call_rcu(&session->rcu, ol2tp_session_free_rcu);
}
EXPORT_SYMBOL_GPL(ol2tp_session_put);

unsigned int ol2tp_session_overhead(const struct ol2tp_session *session)
{
	const struct ol2tp_tunnel *t = session->tunnel;
	unsigned int len = session->hdr_len;

	len += t->encap_ops->hdr_len;
	if (ol2tp_tunnel_is_ipv6(t))
		len += sizeof(struct ipv6hdr);
	else
		len += sizeof(struct iphdr);
	return len;
}
EXPORT_SYMBOL_GPL(ol2tp_session_overhead);

/* Insert @s in its tunnel's table and, for v3, in the netns table. */
static int ol2tp_session_hash(struct ol2tp_session *s,
			      struct netlink_ext_ack *extack)
{
	struct ol2tp_tunnel *t = s->tunnel;
	struct ol2tp_net *pn = ol2tp_pernet(t->net);
	struct ol2tp_session *o;
	int err = 0;

	spin_lock_bh(&t->lock);
	if (test_bit(OL2TP_TUNNEL_DEAD, &t->flags)) {
		NL_SET_ERR_MSG(extack, "the tunnel is being deleted");
		err = -ENODEV;
		goto out_unlock;
	}
	if (ol2tp_session_lookup_rcu(t, s->session_id)) {
		NL_SET_ERR_MSG(extack,
			       "a session with this SESSION_ID exists in the tunnel");
		err = -EEXIST;
		goto out_unlock;
	}
	if (t->version == 3) {
		spin_lock(&pn->lock);
		/*
		 * Over IP the session id alone finds the session, so it must be
		 * unique in the namespace; over UDP the tunnel socket finds
		 * the tunnel first, so UDP tunnels may reuse each other's ids.
		 */
		hlist_for_each_entry(o, ol2tp_net_session_bucket(pn,
								 s->session_id),
				     net_hnode) {
			if (o->session_id != s->session_id)
				continue;
			if (t->encap_ops->netns_session_ids ||
			    o->tunnel->encap_ops->netns_session_ids) {
				spin_unlock(&pn->lock);
				NL_SET_ERR_MSG(extack,
					       "SESSION_ID is used by another tunnel (L2TPv3 over IP needs ids unique in the namespace)");
				err = -EEXIST;
				goto out_unlock;
			}
		}
		hlist_add_head_rcu(&s->net_hnode,
				   ol2tp_net_session_bucket(pn, s->session_id));
		spin_unlock(&pn->lock);
	}
	ol2tp_hlist_add_sorted(s, ol2tp_session_bucket(t, s->session_id), hnode,
			       session_id);
	t->nr_sessions++;
out_unlock:
	spin_unlock_bh(&t->lock);
	return err;
}

bool ol2tp_session_unlink(struct ol2tp_session *session)
{
	struct ol2tp_tunnel *t = session->tunnel;
	struct ol2tp_net *pn = ol2tp_pernet(t->net);

	spin_lock_bh(&t->lock);
	if (test_and_set_bit(OL2TP_SESSION_DEAD, &session->flags)) {
		spin_unlock_bh(&t->lock);
		return false;
	}
	hlist_del_init_rcu(&session->hnode);
	t->nr_sessions--;
	if (t->version == 3) {
		spin_lock(&pn->lock);
		hlist_del_init_rcu(&session->net_hnode);
		spin_unlock(&pn->lock);
	}
	spin_unlock_bh(&t->lock);
	if (ol2tp_seq_session_close(session))
		ol2tp_session_put(session);
	ol2tp_session_put(session);
	return true;
}

/*
 * The netdevs (close_queue) of sessions deleted one at a time go in batches,
 * from a work item: each unregister waits for RCU, once per batch this way.
 * The session is unlinked at once; only its netdev lingers until the work.
 */
static LIST_HEAD(ol2tp_close_list);
static DEFINE_SPINLOCK(ol2tp_close_lock);

static void ol2tp_close_work_fn(struct work_struct *work)
{
	struct ol2tp_session *s, *tmp;
	LIST_HEAD(unreg);
	LIST_HEAD(list);

	spin_lock_bh(&ol2tp_close_lock);
	list_splice_init(&ol2tp_close_list, &list);
	spin_unlock_bh(&ol2tp_close_lock);
	if (list_empty(&list))
		return;

	rtnl_lock();
	list_for_each_entry(s, &list, close_node)
		s->pw_ops->close_queue(s, &unreg);
	unregister_netdevice_many(&unreg);
	rtnl_unlock();

	list_for_each_entry_safe(s, tmp, &list, close_node)
		ol2tp_session_put(s);
}

static DECLARE_WORK(ol2tp_close_work, ol2tp_close_work_fn);

void ol2tp_session_close_flush(void)
{
	flush_work(&ol2tp_close_work);
}

void ol2tp_session_delete(struct ol2tp_session *session)
{
	might_sleep();
	if (!ol2tp_session_unlink(session))
		return;
	if (session->pw_ops->close_queue) {
		/* The caller's reference keeps it alive until this one. */
		ol2tp_session_hold(session);
		spin_lock_bh(&ol2tp_close_lock);
		list_add_tail(&session->close_node, &ol2tp_close_list);
		spin_unlock_bh(&ol2tp_close_lock);
		schedule_work(&ol2tp_close_work);
		return;
	}
	if (session->pw_ops->close)
		session->pw_ops->close(session);
}
EXPORT_SYMBOL_GPL(ol2tp_session_delete);

/* The reorder timer of a session (seq.c arms it with a reference held). */
static void ol2tp_session_seq_timer(struct timer_list *timer)
{
	struct ol2tp_session *s = from_timer(s, timer, seq.timer);

	ol2tp_seq_timeout(s);
	/* The reference this activation of the timer held. */
	ol2tp_session_put(s);
}

int ol2tp_session_create(struct ol2tp_tunnel *tunnel, u32 session_id,
			 u32 peer_session_id,
			 const struct ol2tp_session_cfg *cfg,
			 struct ol2tp_session **sessionp,
			 struct netlink_ext_ack *extack)
{
	const struct ol2tp_pw_ops *ops;
	struct ol2tp_session *s;
	int err;

	if (!session_id) {
		NL_SET_ERR_MSG(extack, "SESSION_ID 0 is reserved");
		return -EINVAL;
	}
	if (tunnel->version == 2 &&
	    (session_id > 0xffff || peer_session_id > 0xffff)) {
		NL_SET_ERR_MSG(extack, "L2TPv2 session ids are 16 bits");
		return -EINVAL;
	}
	/* RFC 3931 section 4.1: of variable length, at most 64 bits. */
	if (cfg->cookie_len > OL2TP_COOKIE_MAX ||
	    cfg->peer_cookie_len > OL2TP_COOKIE_MAX) {
		NL_SET_ERR_MSG(extack, "a cookie is at most 8 bytes");
		return -EINVAL;
	}
	if (tunnel->version == 2 &&
	    (cfg->cookie_len || cfg->peer_cookie_len)) {
		NL_SET_ERR_MSG(extack, "L2TPv2 sessions have no cookies");
		return -EINVAL;
	}
	if (cfg->l2spec_type != OL2TP_L2SPECTYPE_NONE &&
	    cfg->l2spec_type != OL2TP_L2SPECTYPE_DEFAULT) {
		NL_SET_ERR_MSG(extack, "L2SPEC_TYPE must be none (0) or default (1)");
		return -EINVAL;
	}

	if (cfg->pw_type >= __OL2TP_PWTYPE_MAX) {
		NL_SET_ERR_MSG(extack, "PW_TYPE is not a pseudowire type");
		return -EINVAL;
	}
	ops = ol2tp_pw_get(cfg->pw_type);
	if (!ops) {
		NL_SET_ERR_MSG(extack,
			       "PW_TYPE is not supported (is its module available?)");
		return -EPROTONOSUPPORT;
	}

	err = -ENOMEM;
	s = kzalloc(sizeof(*s) + ops->priv_size, GFP_KERNEL);
	if (!s)
		goto err_put_module;
	s->stats = ol2tp_stats_alloc();
	if (!s->stats)
		goto err_free;
	refcount_set(&s->refcount, 1);
	INIT_HLIST_NODE(&s->hnode);
	INIT_HLIST_NODE(&s->net_hnode);
	s->tunnel = tunnel;
	s->session_id = session_id;
	s->peer_session_id = peer_session_id;
	s->pw_type = cfg->pw_type;
	s->pw_ops = ops;
	memcpy(s->cookie, cfg->cookie, cfg->cookie_len);
	s->cookie_len = cfg->cookie_len;
	memcpy(s->peer_cookie, cfg->peer_cookie, cfg->peer_cookie_len);
	s->peer_cookie_len = cfg->peer_cookie_len;
	if (tunnel->version == 3) {
		s->l2spec_type = cfg->l2spec_type;
		s->l2spec_len = cfg->l2spec_type == OL2TP_L2SPECTYPE_DEFAULT ?
				OL2TP_L2SPEC_DEFAULT_LEN : 0;
	}
	s->recv_seq = cfg->recv_seq;
	s->send_seq = cfg->send_seq;
	s->lns_mode = cfg->lns_mode;
	s->reorder_timeout = cfg->reorder_timeout;
	s->debug = cfg->debug;
	ol2tp_seq_session_init(s, ol2tp_session_seq_timer);
	ol2tp_session_set_header_len(s);

	refcount_inc(&tunnel->refcount);
	err = ol2tp_session_hash(s, extack);
	if (err) {
		/* Never visible: free it now. */
		ol2tp_tunnel_put(tunnel);
		goto err_free;
	}

	/* The caller's reference; the table holds the first one. */
	ol2tp_session_hold(s);
	if (ops->setup) {
		err = ops->setup(s, cfg->ifname, extack);
		if (err) {
			ol2tp_session_unlink(s);
			ol2tp_session_put(s);
			return err;
		}
	}
	*sessionp = s;
	return 0;

err_free:
	free_percpu(s->stats);
	kfree(s);
err_put_module:
	module_put(ops->owner);
	return err;
}
EXPORT_SYMBOL_GPL(ol2tp_session_create);

/* Take the first remaining session of @t, with a reference, or NULL. */
static struct ol2tp_session *ol2tp_session_first(struct ol2tp_tunnel *t)
{
	struct ol2tp_session *s;
	unsigned int b;

	spin_lock_bh(&t->lock);
	for (b = 0; b < ARRAY_SIZE(t->sessions); b++) {
		hlist_for_each_entry(s, &t->sessions[b], hnode) {
			ol2tp_session_hold(s);
			spin_unlock_bh(&t->lock);
			return s;
		}
	}
	spin_unlock_bh(&t->lock);
	return NULL;
}

/*
 * Unlink every session of @tunnel, whose DEAD bit is set (no session can be
 * added any more), then close their pseudowires, netdevs in one batch.
 * Process context.
 */
void ol2tp_session_delete_all(struct ol2tp_tunnel *tunnel)
{
	struct ol2tp_session *s, *tmp;
	LIST_HEAD(unreg);
	LIST_HEAD(dead);

	while ((s = ol2tp_session_first(tunnel))) {
		if (ol2tp_session_unlink(s))
			list_add_tail(&s->close_node, &dead);
		else
			ol2tp_session_put(s);
	}
	if (!list_empty(&dead)) {
		rtnl_lock();
		list_for_each_entry(s, &dead, close_node)
			if (s->pw_ops->close_queue)
				s->pw_ops->close_queue(s, &unreg);
		unregister_netdevice_many(&unreg);
		rtnl_unlock();
	}
	list_for_each_entry_safe(s, tmp, &dead, close_node) {
		if (!s->pw_ops->close_queue && s->pw_ops->close)
			s->pw_ops->close(s);
		ol2tp_session_put(s);
	}
}
