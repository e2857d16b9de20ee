// SPDX-License-Identifier: GPL-2.0
/*
 * Ethernet pseudowire (PW type 5, RFC 4719): one netdev per session.  Frames
 * sent on the netdev go out on the session; frames received on the session
 * come in on the netdev.  VLAN tags are payload and cross untouched.
 *
 * Lifetime: the netdev holds a reference on its session from ndo_init to
 * ndo_uninit.  Deleting the session (netlink, tunnel teardown) unregisters
 * the netdev; unregistering the netdev (ip link del, netns exit) unlinks the
 * session.  Either way ndo_uninit is where the two part.
 */

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/rtnetlink.h>
#include <net/gro_cells.h>
#include <net/rtnetlink.h>

#include "ol2tp.h"
#include "eth.h"
#include "compat.h"

/* Session private data: the session's netdev (RCU, written under RTNL). */
struct ol2tp_eth_pw {
	struct net_device __rcu *dev;
};

/*
 * A netdev's GRO cells (per-CPU NAPI contexts), made when it is first
 * opened, so that a pseudowire never brought up costs none, and freed with
 * the netdev.
 */
struct ol2tp_eth_gro {
	struct gro_cells cells;
	struct rcu_head rcu;
};

/* Netdev private data. */
struct ol2tp_eth_dev {
	struct ol2tp_session *session;
	struct ol2tp_eth_gro __rcu *gro;	/* written under RTNL */
};

static struct rtnl_link_ops ol2tp_eth_link_ops;

static const struct device_type ol2tp_eth_type = {
	.name = "l2tpeth",
};

static int ol2tp_eth_dev_init(struct net_device *dev)
{
	struct ol2tp_eth_dev *priv = netdev_priv(dev);

	eth_hw_addr_random(dev);
	ol2tp_session_hold(priv->session);
	return 0;
}

static void ol2tp_eth_dev_uninit(struct net_device *dev)
{
	struct ol2tp_eth_dev *priv = netdev_priv(dev);
	struct ol2tp_session *s = priv->session;
	struct ol2tp_eth_pw *pw = ol2tp_session_priv(s);
	struct ol2tp_eth_gro *gro;

	ASSERT_RTNL();
	if (rtnl_dereference(pw->dev) == dev)
		RCU_INIT_POINTER(pw->dev, NULL);
	/* ip link del, or the netdev's netns going away: end the session. */
	ol2tp_session_unlink(s);
	gro = rtnl_dereference(priv->gro);
	if (gro) {
		RCU_INIT_POINTER(priv->gro, NULL);
		gro_cells_destroy(&gro->cells);
		kfree_rcu(gro, rcu);
	}
	ol2tp_session_put(s);
}

/* The first open makes the GRO cells; later ones find them. */
static int ol2tp_eth_open(struct net_device *dev)
{
	struct ol2tp_eth_dev *priv = netdev_priv(dev);
	struct ol2tp_eth_gro *gro;
	int err;

	ASSERT_RTNL();
	if (rtnl_dereference(priv->gro))
		return 0;
	gro = kzalloc(sizeof(*gro), GFP_KERNEL);
	if (!gro)
		return -ENOMEM;
	err = gro_cells_init(&gro->cells, dev);
	if (err)
		goto err_free_gro;
	rcu_assign_pointer(priv->gro, gro);
	return 0;

err_free_gro:
	kfree(gro);
	return err;
}

static netdev_tx_t ol2tp_eth_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct ol2tp_eth_dev *priv = netdev_priv(dev);
	unsigned int len = skb->len;

	if (ol2tp_xmit_skb(priv->session, skb) == NET_XMIT_SUCCESS)
		dev_sw_netstats_tx_add(dev, 1, len);
	else
		dev_core_stats_tx_dropped_inc(dev);
	return NETDEV_TX_OK;
}

static const struct net_device_ops ol2tp_eth_netdev_ops = {
	.ndo_init = ol2tp_eth_dev_init,
	.ndo_uninit = ol2tp_eth_dev_uninit,
	.ndo_open = ol2tp_eth_open,
	.ndo_start_xmit = ol2tp_eth_xmit,
	.ndo_get_stats64 = dev_get_tstats64,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

/*
 * Scatter-gather, any checksum and TCP/UDP segmentation: the stack hands
 * the pseudowire large packets, segmented as late as possible (xmit.c).
 */
#define OL2TP_ETH_FEATURES (NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_HIGHDMA | \
			    NETIF_F_ALL_TSO | NETIF_F_GSO_UDP_L4)

/* Room for the outer IPv6, UDP and L2TP headers within 64 KiB. */
#define OL2TP_ETH_GSO_MAX_SIZE	(GSO_LEGACY_MAX_SIZE - 1 - 128)

static void ol2tp_eth_dev_setup(struct net_device *dev)
{
	SET_NETDEV_DEVTYPE(dev, &ol2tp_eth_type);
	ether_setup(dev);
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	ol2tp_netdev_set_lltx(dev);
	/* The frame's own route, for path MTU (xmit.c, ol2tp_tx_too_big). */
	netif_keep_dst(dev);
	dev->netdev_ops = &ol2tp_eth_netdev_ops;
	dev->needs_free_netdev = true;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU;
	dev->features |= OL2TP_ETH_FEATURES;
	dev->hw_features |= OL2TP_ETH_FEATURES;
	dev->vlan_features |= OL2TP_ETH_FEATURES;
	netif_set_tso_max_size(dev, OL2TP_ETH_GSO_MAX_SIZE);
}

/* MTU = path MTU - IP - UDP - L2TP header - cookie - sublayer - Ethernet. */
static void ol2tp_eth_set_mtu(struct ol2tp_session *s, struct net_device *dev)
{
	unsigned int overhead = ol2tp_session_overhead(s) + ETH_HLEN;
	unsigned int pmtu = ol2tp_tunnel_path_mtu(s->tunnel);

	dev->mtu = pmtu > overhead + ETH_MIN_MTU ? pmtu - overhead :
						  ETH_MIN_MTU;
	dev->needed_headroom = ol2tp_tx_headroom(s->hdr_len);
}

static void ol2tp_eth_recv(struct ol2tp_session *s, struct sk_buff *skb)
{
	struct ol2tp_eth_pw *pw = ol2tp_session_priv(s);
	struct ol2tp_eth_dev *priv;
	struct ol2tp_eth_gro *gro;
	struct net_device *dev;
	unsigned int len;

	dev = rcu_dereference(pw->dev);
	if (!dev)
		goto drop;
	if (!pskb_may_pull(skb, ETH_HLEN)) {
		DEV_STATS_INC(dev, rx_length_errors);
		DEV_STATS_INC(dev, rx_errors);
		goto drop;
	}
	skb_scrub_packet(skb, !net_eq(s->tunnel->net, dev_net(dev)));
	/*
	 * The outer checksum said nothing about the frame inside; a frame
	 * from this host whose checksum is still to be filled in stays so.
	 */
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		skb->ip_summed = CHECKSUM_NONE;
	skb->protocol = eth_type_trans(skb, dev);
	len = skb->len;

	priv = netdev_priv(dev);
	gro = rcu_dereference(priv->gro);
	if (unlikely(!gro)) {
		/* Never opened: down, which gro_cells_receive() drops too. */
		dev_core_stats_rx_dropped_inc(dev);
		goto drop;
	}
	/* A drop in there (device down, backlog full) counts rx_dropped. */
	if (gro_cells_receive(&gro->cells, skb) == NET_RX_SUCCESS)
		dev_sw_netstats_rx_add(dev, len);
	return;

drop:
	kfree_skb(skb);
}

/*
 * Whether @name is the netdev of a pseudowire whose session was deleted and
 * whose teardown is queued (ol2tp_session_delete()).  Under RTNL.
 */
static bool ol2tp_eth_name_lingers(struct net *net, const char *name)
{
	struct net_device *dev = __dev_get_by_name(net, name);
	struct ol2tp_eth_dev *priv;

	ASSERT_RTNL();
	if (!dev || dev->netdev_ops != &ol2tp_eth_netdev_ops)
		return false;
	priv = netdev_priv(dev);
	return test_bit(OL2TP_SESSION_DEAD, &priv->session->flags);
}

static int ol2tp_eth_pw_setup(struct ol2tp_session *s, const char *ifname,
			      struct netlink_ext_ack *extack)
{
	struct ol2tp_eth_pw *pw = ol2tp_session_priv(s);
	struct net *net = s->tunnel->net;
	unsigned char assign_type;
	struct ol2tp_eth_dev *priv;
	struct net_device *dev;
	const char *name;
	int err;

	if (ifname[0]) {
		if (!dev_valid_name(ifname)) {
			NL_SET_ERR_MSG(extack,
				       "IFNAME is not a valid interface name");
			return -EINVAL;
		}
		name = ifname;
		assign_type = NET_NAME_USER;
	} else {
		name = "l2tpeth%d";
		assign_type = NET_NAME_ENUM;
	}

	dev = alloc_netdev(sizeof(*priv), name, assign_type,
			   ol2tp_eth_dev_setup);
	if (!dev)
		return -ENOMEM;
	dev_net_set(dev, net);
	dev->rtnl_link_ops = &ol2tp_eth_link_ops;
	priv = netdev_priv(dev);
	priv->session = s;
	ol2tp_eth_set_mtu(s, dev);

	rtnl_lock();
	if (ifname[0] && ol2tp_eth_name_lingers(net, ifname)) {
		/* The netdev of a deleted session: wait for it to go. */
		rtnl_unlock();
		ol2tp_session_close_flush();
		rtnl_lock();
	}
	if (ifname[0] && __dev_get_by_name(net, ifname)) {
		rtnl_unlock();
		free_netdev(dev);
		NL_SET_ERR_MSG(extack, "a network device named IFNAME exists");
		return -EEXIST;
	}
	err = register_netdevice(dev);
	if (err) {
		rtnl_unlock();
		free_netdev(dev);
		NL_SET_ERR_MSG(extack,
			       "cannot register the pseudowire network device");
		return err;
	}
	rcu_assign_pointer(pw->dev, dev);
	strscpy(s->ifname, dev->name, IFNAMSIZ);
	netif_carrier_on(dev);
	rtnl_unlock();
	return 0;
}

static void ol2tp_eth_pw_close(struct ol2tp_session *s)
{
	struct ol2tp_eth_pw *pw = ol2tp_session_priv(s);
	struct net_device *dev;

	rtnl_lock();
	dev = rtnl_dereference(pw->dev);
	if (dev) {
		netif_carrier_off(dev);
		/* ndo_uninit clears pw->dev and drops the session. */
		unregister_netdevice(dev);
	}
	rtnl_unlock();
}

static void ol2tp_eth_pw_close_queue(struct ol2tp_session *s,
				     struct list_head *unreg)
{
	struct ol2tp_eth_pw *pw = ol2tp_session_priv(s);
	struct net_device *dev;

	ASSERT_RTNL();
	dev = rtnl_dereference(pw->dev);
	if (dev) {
		netif_carrier_off(dev);
		unregister_netdevice_queue(dev, unreg);
	}
}

static int ol2tp_eth_pw_fill_info(struct sk_buff *msg, struct ol2tp_session *s)
{
	struct ol2tp_eth_pw *pw = ol2tp_session_priv(s);
	struct net_device *dev;
	int err = 0;

	rcu_read_lock();
	dev = rcu_dereference(pw->dev);
	if (dev)
		err = nla_put_string(msg, OL2TP_ATTR_IFNAME, dev->name);
	rcu_read_unlock();
	return err;
}

static struct ol2tp_pw_ops ol2tp_eth_pw_ops = {
	.pw_type = OL2TP_PWTYPE_ETH,
	/* Built into ol2tp.ko: unloading the module deletes the sessions. */
	.owner = NULL,
	.priv_size = sizeof(struct ol2tp_eth_pw),
	.setup = ol2tp_eth_pw_setup,
	.recv = ol2tp_eth_recv,
	.close = ol2tp_eth_pw_close,
	.close_queue = ol2tp_eth_pw_close_queue,
	.fill_info = ol2tp_eth_pw_fill_info,
};

static int ol2tp_eth_newlink(struct net *src_net, struct net_device *dev,
			     struct nlattr *tb[], struct nlattr *data[],
			     struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack,
		       "l2tpeth devices are created with an L2TP session (ip l2tp add session)");
	return -EOPNOTSUPP;
}

static struct rtnl_link_ops ol2tp_eth_link_ops = {
	.kind = "l2tpeth",
	.priv_size = sizeof(struct ol2tp_eth_dev),
	.setup = ol2tp_eth_dev_setup,
	.newlink = ol2tp_eth_newlink,
};

int __init ol2tp_eth_init(void)
{
	int err;

	err = rtnl_link_register(&ol2tp_eth_link_ops);
	if (err)
		return err;
	err = ol2tp_pw_register(&ol2tp_eth_pw_ops);
	if (err)
		goto err_unregister_link;
	return 0;

err_unregister_link:
	rtnl_link_unregister(&ol2tp_eth_link_ops);
	return err;
}

void ol2tp_eth_uninit(void)
{
	ol2tp_pw_unregister(&ol2tp_eth_pw_ops);
	rtnl_link_unregister(&ol2tp_eth_link_ops);
}
