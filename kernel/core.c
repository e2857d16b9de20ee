// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tp core: per-netns tables, tunnels, sessions, pseudowire types, the
 * receive path common to UDP and IP encapsulation (transmit: xmit.c).
 *
 * Locking (see Documentation/architecture.rst):
 *  - ol2tp_net.lock serialises writers of the netns tables, tunnel.lock the
 *    writers of a tunnel's session table.  Order: tunnel.lock, then
 *    ol2tp_net.lock.  Both are taken with BH disabled and never held across
 *    anything that sleeps.
 *  - Readers (receive, transmit, netlink GET) walk the tables under RCU and
 *    take a reference only when they keep the object past the read section.
 */

#include <linux/module.h>
#include <linux/hash.h>
#include <linux/file.h>
#include <linux/net.h>
#include <linux/kmod.h>
#include <linux/rtnetlink.h>
#include <linux/workqueue.h>
#include <net/netns/generic.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/inet_sock.h>
#include <net/inet6_connection_sock.h>
#include <net/udp.h>
#include <net/ip6_checksum.h>
#include <net/xfrm.h>

#include "ol2tp.h"
#include "compat.h"

static unsigned int ol2tp_net_id __read_mostly;

static LIST_HEAD(ol2tp_pw_list);
static DEFINE_MUTEX(ol2tp_pw_mutex);

struct ol2tp_net *ol2tp_pernet(const struct net *net)
{
	return net_generic(net, ol2tp_net_id);
}

/* --- statistics ------------------------------------------------------ */

void ol2tp_stats_fold(struct ol2tp_stats *sum,
		      struct ol2tp_pcpu_stats __percpu *pcpu)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct ol2tp_pcpu_stats *s = per_cpu_ptr(pcpu, cpu);
		struct ol2tp_stats v;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			v.tx_packets = u64_stats_read(&s->tx_packets);
			v.tx_bytes = u64_stats_read(&s->tx_bytes);
			v.tx_errors = u64_stats_read(&s->tx_errors);
			v.rx_packets = u64_stats_read(&s->rx_packets);
			v.rx_bytes = u64_stats_read(&s->rx_bytes);
			v.rx_seq_discards = u64_stats_read(&s->rx_seq_discards);
			v.rx_oos_packets = u64_stats_read(&s->rx_oos_packets);
			v.rx_errors = u64_stats_read(&s->rx_errors);
			v.rx_cookie_discards =
				u64_stats_read(&s->rx_cookie_discards);
			v.rx_invalid = u64_stats_read(&s->rx_invalid);
		} while (u64_stats_fetch_retry(&s->syncp, start));

		sum->tx_packets += v.tx_packets;
		sum->tx_bytes += v.tx_bytes;
		sum->tx_errors += v.tx_errors;
		sum->rx_packets += v.rx_packets;
		sum->rx_bytes += v.rx_bytes;
		sum->rx_seq_discards += v.rx_seq_discards;
		sum->rx_oos_packets += v.rx_oos_packets;
		sum->rx_errors += v.rx_errors;
		sum->rx_cookie_discards += v.rx_cookie_discards;
		sum->rx_invalid += v.rx_invalid;
	}
}
EXPORT_SYMBOL_GPL(ol2tp_stats_fold);

static void ol2tp_stats_add(struct ol2tp_stats *sum,
			    const struct ol2tp_stats *v)
{
	sum->tx_packets += v->tx_packets;
	sum->tx_bytes += v->tx_bytes;
	sum->tx_errors += v->tx_errors;
	sum->rx_packets += v->rx_packets;
	sum->rx_bytes += v->rx_bytes;
	sum->rx_seq_discards += v->rx_seq_discards;
	sum->rx_oos_packets += v->rx_oos_packets;
	sum->rx_errors += v->rx_errors;
	sum->rx_cookie_discards += v->rx_cookie_discards;
	sum->rx_invalid += v->rx_invalid;
}

static struct ol2tp_pcpu_stats __percpu *ol2tp_stats_alloc(void)
{
	struct ol2tp_pcpu_stats __percpu *stats;
	int cpu;

	stats = alloc_percpu(struct ol2tp_pcpu_stats);
	if (!stats)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats, cpu)->syncp);
	return stats;
}

/* --- pseudowire types ------------------------------------------------ */

int ol2tp_pw_register(struct ol2tp_pw_ops *ops)
{
	struct ol2tp_pw_ops *o;
	int err = 0;

	mutex_lock(&ol2tp_pw_mutex);
	list_for_each_entry(o, &ol2tp_pw_list, list) {
		if (o->pw_type == ops->pw_type) {
			err = -EEXIST;
			goto out_unlock;
		}
	}
	list_add_tail(&ops->list, &ol2tp_pw_list);
out_unlock:
	mutex_unlock(&ol2tp_pw_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(ol2tp_pw_register);

void ol2tp_pw_unregister(struct ol2tp_pw_ops *ops)
{
	mutex_lock(&ol2tp_pw_mutex);
	list_del(&ops->list);
	mutex_unlock(&ol2tp_pw_mutex);
}
EXPORT_SYMBOL_GPL(ol2tp_pw_unregister);

/* The ops of @pw_type with a reference on their module, or NULL. */
static const struct ol2tp_pw_ops *ol2tp_pw_find(u16 pw_type)
{
	const struct ol2tp_pw_ops *o, *found = NULL;

	mutex_lock(&ol2tp_pw_mutex);
	list_for_each_entry(o, &ol2tp_pw_list, list) {
		if (o->pw_type == pw_type && try_module_get(o->owner)) {
			found = o;
			break;
		}
	}
	mutex_unlock(&ol2tp_pw_mutex);
	return found;
}

static const struct ol2tp_pw_ops *ol2tp_pw_get(u16 pw_type)
{
	const struct ol2tp_pw_ops *ops = ol2tp_pw_find(pw_type);

	if (!ops) {
		request_module("net-ol2tp-pw-%u", pw_type);
		ops = ol2tp_pw_find(pw_type);
	}
	return ops;
}

/* --- encapsulations ----------------------------------------------------- */

static const struct ol2tp_encap_ops *ol2tp_encaps[OL2TP_ENCAPTYPE_IP + 1];

void ol2tp_encap_register(const struct ol2tp_encap_ops *ops)
{
	ol2tp_encaps[ops->encap_type] = ops;
}

void ol2tp_encap_unregister(const struct ol2tp_encap_ops *ops)
{
	ol2tp_encaps[ops->encap_type] = NULL;
}

/* --- tunnels ------------------------------------------------------------ */

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
EXPORT_SYMBOL_GPL(ol2tp_sk_tunnel);

static void ol2tp_tunnel_free_rcu(struct rcu_head *head)
{
	struct ol2tp_tunnel *t = container_of(head, struct ol2tp_tunnel, rcu);

	if (t->sk)
		sock_put(t->sk);
	ol2tp_tx_tunnel_uninit(t);
	free_percpu(t->stats);
	kfree(t);
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

/*
 * Look up a managed tunnel's socket and check that it can carry @cfg.  The
 * caller keeps the file reference (sockfd_put) until the socket is attached,
 * so that userspace cannot close it under our feet.
 */
static struct socket *ol2tp_tunnel_sock_lookup(struct net *net,
					       const struct ol2tp_tunnel_cfg *cfg,
					       const struct ol2tp_encap_ops *ops,
					       struct netlink_ext_ack *extack,
					       int *errp)
{
	struct socket *sock;
	struct sock *sk;
	int err;

	sock = sockfd_lookup(cfg->fd, &err);
	if (!sock) {
		NL_SET_ERR_MSG(extack, "FD is not an open socket");
		*errp = err;
		return NULL;
	}
	sk = sock->sk;
	err = -EINVAL;
	if (!net_eq(sock_net(sk), net)) {
		NL_SET_ERR_MSG(extack,
			       "FD socket belongs to another network namespace");
		goto out_put;
	}
	err = -EPROTONOSUPPORT;
	if ((sk->sk_family != AF_INET && sk->sk_family != AF_INET6) ||
	    sk->sk_type != SOCK_DGRAM) {
		NL_SET_ERR_MSG(extack,
			       "FD must be an AF_INET or AF_INET6 datagram socket");
		goto out_put;
	}
	err = ops->sock_check(sk, extack);
	if (err)
		goto out_put;
	/*
	 * An unconnected socket is taken, as in Linux: data is received from
	 * any peer and nothing is sent until the socket is connected
	 * (ol2tp_xmit_skb()).
	 */
	return sock;

out_put:
	sockfd_put(sock);
	*errp = err;
	return NULL;
}

int ol2tp_tunnel_create(struct net *net, u32 tunnel_id, u32 peer_tunnel_id,
			const struct ol2tp_tunnel_cfg *cfg,
			struct ol2tp_tunnel **tunnelp,
			struct netlink_ext_ack *extack)
{
	struct ol2tp_net *pn = ol2tp_pernet(net);
	const struct ol2tp_encap_ops *ops;
	struct socket *fdsock = NULL;
	struct ol2tp_tunnel *t;
	unsigned int b;
	int err;

	/* Linux takes any version and runs every one but 2 as 3. */
	if (cfg->version != 2 && cfg->version != 3) {
		NL_SET_ERR_MSG(extack, "PROTO_VERSION must be 2 or 3");
		return -EINVAL;
	}
	ops = cfg->encap < ARRAY_SIZE(ol2tp_encaps) ?
	      ol2tp_encaps[cfg->encap] : NULL;
	if (!ops) {
		NL_SET_ERR_MSG(extack, "ENCAP_TYPE must be UDP (0) or IP (1)");
		return -EINVAL;
	}
	if (cfg->version == 2 && !ops->carries_v2) {
		NL_SET_ERR_MSG(extack, "L2TPv2 runs over UDP only");
		return -EPROTONOSUPPORT;
	}
	if (!tunnel_id) {
		NL_SET_ERR_MSG(extack, "CONN_ID 0 is reserved");
		return -EINVAL;
	}
	if (cfg->version == 2 &&
	    (tunnel_id > 0xffff || peer_tunnel_id > 0xffff)) {
		NL_SET_ERR_MSG(extack, "L2TPv2 tunnel ids are 16 bits");
		return -EINVAL;
	}

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->stats = ol2tp_stats_alloc();
	if (!t->stats) {
		err = -ENOMEM;
		goto err_free;
	}
	err = ol2tp_tx_tunnel_init(t);
	if (err)
		goto err_free_stats;
	refcount_set(&t->refcount, 1);
	spin_lock_init(&t->lock);
	for (b = 0; b < ARRAY_SIZE(t->sessions); b++)
		INIT_HLIST_HEAD(&t->sessions[b]);
	t->net = net;
	t->tunnel_id = tunnel_id;
	t->peer_tunnel_id = peer_tunnel_id;
	t->version = cfg->version;
	t->encap = cfg->encap;
	t->encap_ops = ops;
	t->fd = cfg->fd;
	t->debug = cfg->debug;

	if (cfg->fd >= 0) {
		fdsock = ol2tp_tunnel_sock_lookup(net, cfg, ops, extack, &err);
		if (!fdsock)
			goto err_free_tx;
		t->sk = fdsock->sk;
		__set_bit(OL2TP_TUNNEL_MANAGED, &t->flags);
	} else {
		err = ops->sock_create(net, cfg, tunnel_id, &t->sock, extack);
		if (err)
			goto err_free_tx;
		t->sk = t->sock->sk;
	}
	sock_hold(t->sk);

	spin_lock_bh(&pn->lock);
	if (__ol2tp_tunnel_lookup(pn, tunnel_id)) {
		spin_unlock_bh(&pn->lock);
		NL_SET_ERR_MSG(extack, "a tunnel with this CONN_ID exists");
		err = -EEXIST;
		goto err_sock;
	}
	ol2tp_hlist_add_sorted(t, ol2tp_tunnel_bucket(pn, tunnel_id), hnode,
			       tunnel_id);
	pn->nr_tunnels++;
	spin_unlock_bh(&pn->lock);

	err = ops->attach(t, extack);
	if (fdsock)
		sockfd_put(fdsock);
	if (err) {
		/*
		 * It was visible: whoever found it meanwhile holds a reference
		 * and may even have added a session.  The ordinary delete
		 * takes care of all that.
		 */
		ol2tp_tunnel_delete(t);
		return err;
	}

	refcount_inc(&t->refcount);
	*tunnelp = t;
	return 0;

err_sock:
	if (fdsock)
		sockfd_put(fdsock);
	if (t->sock)
		ops->sock_release(t->sock);
	sock_put(t->sk);
err_free_tx:
	ol2tp_tx_tunnel_uninit(t);
err_free_stats:
	free_percpu(t->stats);
err_free:
	kfree(t);
	return err;
}
EXPORT_SYMBOL_GPL(ol2tp_tunnel_create);

/* Take the first remaining session of @t, with a reference, or NULL. */
static struct ol2tp_session *ol2tp_tunnel_first_session(struct ol2tp_tunnel *t)
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

void ol2tp_tunnel_delete(struct ol2tp_tunnel *tunnel)
{
	struct ol2tp_net *pn = ol2tp_pernet(tunnel->net);
	struct ol2tp_session *s, *tmp;
	LIST_HEAD(unreg);
	LIST_HEAD(dead);

	might_sleep();
	spin_lock_bh(&tunnel->lock);
	if (test_and_set_bit(OL2TP_TUNNEL_DEAD, &tunnel->flags)) {
		spin_unlock_bh(&tunnel->lock);
		return;
	}
	spin_unlock_bh(&tunnel->lock);

	spin_lock_bh(&pn->lock);
	hlist_del_init_rcu(&tunnel->hnode);
	pn->nr_tunnels--;
	spin_unlock_bh(&pn->lock);

	/* No more packets reach the tunnel from its socket. */
	tunnel->encap_ops->detach(tunnel);

	/*
	 * DEAD is set: no session can be added any more.  Unlink them all,
	 * then close their pseudowires; netdevs go in one batch, so that
	 * tearing down many sessions costs one round of RCU waits, not one
	 * per netdev.
	 */
	while ((s = ol2tp_tunnel_first_session(tunnel))) {
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

	if (tunnel->sock) {
		kernel_sock_shutdown(tunnel->sock, SHUT_RDWR);
		tunnel->encap_ops->sock_release(tunnel->sock);
		tunnel->sock = NULL;
	}
	ol2tp_tunnel_put(tunnel);
}
EXPORT_SYMBOL_GPL(ol2tp_tunnel_delete);

void ol2tp_tunnel_sock_closing(struct sock *sk)
{
	struct ol2tp_tunnel *t;

	rcu_read_lock();
	t = ol2tp_sk_tunnel(sk);
	if (t && !refcount_inc_not_zero(&t->refcount))
		t = NULL;
	rcu_read_unlock();
	if (!t)
		return;
	ol2tp_tunnel_delete(t);
	ol2tp_tunnel_put(t);
}
EXPORT_SYMBOL_GPL(ol2tp_tunnel_sock_closing);

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

/* --- sessions ----------------------------------------------------------- */

static struct hlist_head *ol2tp_session_bucket(struct ol2tp_tunnel *t, u32 id)
{
	return &t->sessions[hash_32(id, OL2TP_TUNNEL_SESSION_HBITS)];
}

struct hlist_head *ol2tp_net_session_bucket(struct ol2tp_net *pn, u32 id)
{
	return &pn->sessions[hash_32(id, OL2TP_NET_HBITS)];
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

void ol2tp_session_hold(struct ol2tp_session *session)
{
	refcount_inc(&session->refcount);
}
EXPORT_SYMBOL_GPL(ol2tp_session_hold);

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

void ol2tp_session_set_header_len(struct ol2tp_session *session)
{
	struct ol2tp_tunnel *t = session->tunnel;

	WRITE_ONCE(session->hdr_len,
		   ol2tp_data_hdr_len(t->version,
				      t->encap_ops->v3_hdr_len != 0,
				      session->send_seq, session->cookie_len,
				      session->l2spec_len));
}
EXPORT_SYMBOL_GPL(ol2tp_session_set_header_len);

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
	ol2tp_seq_session_close(session);
	ol2tp_session_put(session);
	return true;
}
EXPORT_SYMBOL_GPL(ol2tp_session_unlink);

/*
 * Pseudowires with a netdev (close_queue) of sessions deleted one at a time
 * are torn down by a work item, in batches: unregistering a netdev waits for
 * RCU (synchronize_net, rcu_barrier in netdev_run_todo), and paying that once
 * per session made a stream of deletes ten times slower than creates.  The
 * session itself is unlinked at once: its ids are free and no lookup finds
 * it when the delete returns; only its netdev lingers until the work ran.
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
EXPORT_SYMBOL_GPL(ol2tp_session_close_flush);

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
		goto err_module;
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
				4 : 0;
	}
	s->recv_seq = cfg->recv_seq;
	s->send_seq = cfg->send_seq;
	s->lns_mode = cfg->lns_mode;
	s->reorder_timeout = cfg->reorder_timeout;
	s->debug = cfg->debug;
	ol2tp_seq_session_init(s);
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
err_module:
	module_put(ops->owner);
	return err;
}
EXPORT_SYMBOL_GPL(ol2tp_session_create);

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
EXPORT_SYMBOL_GPL(ol2tp_recv_session);

/* --- per-netns ---------------------------------------------------------- */

static int __net_init ol2tp_net_init(struct net *net)
{
	struct ol2tp_net *pn = ol2tp_pernet(net);
	unsigned int b;

	spin_lock_init(&pn->lock);
	for (b = 0; b < ARRAY_SIZE(pn->tunnels); b++)
		INIT_HLIST_HEAD(&pn->tunnels[b]);
	for (b = 0; b < ARRAY_SIZE(pn->sessions); b++)
		INIT_HLIST_HEAD(&pn->sessions[b]);
	return 0;
}

static void __net_exit ol2tp_net_exit(struct net *net)
{
	struct ol2tp_dump_pos pos = {};
	struct ol2tp_tunnel *t;

	while ((t = ol2tp_tunnel_next(net, &pos))) {
		ol2tp_tunnel_delete(t);
		ol2tp_dump_pos_step(&pos, t->tunnel_id);
		ol2tp_tunnel_put(t);
	}
	/*
	 * The objects' RCU callbacks never touch struct ol2tp_net, and the
	 * netns core runs rcu_barrier() before it frees the namespace.
	 */
}

static struct pernet_operations ol2tp_net_ops = {
	.init = ol2tp_net_init,
	.exit = ol2tp_net_exit,
	.id = &ol2tp_net_id,
	.size = sizeof(struct ol2tp_net),
};

int __init ol2tp_core_init(void)
{
	return register_pernet_device(&ol2tp_net_ops);
}

void ol2tp_core_uninit(void)
{
	unregister_pernet_device(&ol2tp_net_ops);
	/* Netdevs of sessions deleted one by one are gone. */
	ol2tp_session_close_flush();
	/*
	 * No CPU is still in one of our socket callbacks (they were detached
	 * before each tunnel went), and every object is freed.
	 */
	synchronize_rcu();
	rcu_barrier();
	/*
	 * Freeing the tunnels dropped the last reference on the L2TP/IP
	 * sockets of unmanaged tunnels, which free themselves after a grace
	 * period (SOCK_RCU_FREE): wait for that before ip.c and ip6.c
	 * unregister their protos.
	 */
	rcu_barrier();
}
