// SPDX-License-Identifier: GPL-2.0
/*
 * Creating and deleting tunnels: the socket (a managed tunnel's from
 * userspace, an unmanaged tunnel's made by its encapsulation), the
 * namespace's table, the sessions; and the flush of every tunnel at
 * netns exit and unload.
 */

#include <linux/module.h>
#include <linux/file.h>
#include <linux/net.h>
#include <net/sock.h>

#include "ol2tp.h"
#include "tunnel.h"
#include "net.h"
#include "session.h"

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
		goto err_put_fd;
	}
	err = -EPROTONOSUPPORT;
	if ((sk->sk_family != AF_INET && sk->sk_family != AF_INET6) ||
	    sk->sk_type != SOCK_DGRAM) {
		NL_SET_ERR_MSG(extack,
			       "FD must be an AF_INET or AF_INET6 datagram socket");
		goto err_put_fd;
	}
	err = ops->sock_check(sk, extack);
	if (err)
		goto err_put_fd;
	/*
	 * An unconnected socket is taken, as in Linux: data is received from
	 * any peer and nothing is sent until the socket is connected
	 * (ol2tp_xmit_skb()).
	 */
	return sock;

err_put_fd:
	sockfd_put(sock);
	*errp = err;
	return NULL;
}

int ol2tp_tunnel_create(struct net *net, u32 tunnel_id, u32 peer_tunnel_id,
			const struct ol2tp_tunnel_cfg *cfg,
			struct ol2tp_tunnel **tunnelp,
			struct netlink_ext_ack *extack)
{
	const struct ol2tp_encap_ops *ops;
	struct socket *fdsock = NULL;
	struct ol2tp_tunnel *t;
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

	t = ol2tp_tunnel_alloc();
	if (!t)
		return -ENOMEM;
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
			goto err_free;
		t->sk = fdsock->sk;
		__set_bit(OL2TP_TUNNEL_MANAGED, &t->flags);
	} else {
		err = ops->sock_create(net, cfg, tunnel_id, &t->sock, extack);
		if (err)
			goto err_free;
		t->sk = t->sock->sk;
	}
	sock_hold(t->sk);

	err = ol2tp_net_tunnel_add(t);
	if (err) {
		NL_SET_ERR_MSG(extack, "a tunnel with this CONN_ID exists");
		goto err_release_sock;
	}

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

err_release_sock:
	if (fdsock)
		sockfd_put(fdsock);
	if (t->sock)
		ops->sock_release(t->sock);
err_free:
	/* Never visible: free it now (with the socket reference, if taken). */
	ol2tp_tunnel_free(t);
	return err;
}
EXPORT_SYMBOL_GPL(ol2tp_tunnel_create);


void ol2tp_tunnel_delete(struct ol2tp_tunnel *tunnel)
{
	might_sleep();
	spin_lock_bh(&tunnel->lock);
	if (test_and_set_bit(OL2TP_TUNNEL_DEAD, &tunnel->flags)) {
		spin_unlock_bh(&tunnel->lock);
		return;
	}
	spin_unlock_bh(&tunnel->lock);

	ol2tp_net_tunnel_del(tunnel);

	/* No more packets reach the tunnel from its socket. */
	tunnel->encap_ops->detach(tunnel);

	/* DEAD is set: no session can be added any more. */
	ol2tp_session_delete_all(tunnel);

	if (tunnel->sock) {
		kernel_sock_shutdown(tunnel->sock, SHUT_RDWR);
		tunnel->encap_ops->sock_release(tunnel->sock);
		tunnel->sock = NULL;
	}
	ol2tp_tunnel_put(tunnel);
}

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

/* Delete every tunnel of @net. */
static void __net_exit ol2tp_flush_net(struct net *net)
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

/* A pernet *device* op: it runs before the namespace's netdevs and sockets go. */
static struct pernet_operations ol2tp_flush_ops = {
	.exit = ol2tp_flush_net,
};

/*
 * The "flush every tunnel" phase.  Once registered, every namespace's
 * tunnels are deleted when the namespace goes; unregistering it at unload
 * deletes those of every namespace and waits until nothing of them is left:
 * their netdevs, RCU callbacks and kernel sockets.  What was set up before
 * it (encapsulations, protocols, link ops) is torn down after it.
 */
int __init ol2tp_flush_init(void)
{
	return register_pernet_device(&ol2tp_flush_ops);
}

void ol2tp_flush_uninit(void)
{
	unregister_pernet_device(&ol2tp_flush_ops);
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

