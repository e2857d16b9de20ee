// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tp.ko: the L2TP data plane.  Init brings the parts up from the bottom
 * (tables, sockets and protocols, encapsulations, pseudowires, the flush
 * of every tunnel, debugfs, netlink) and exit takes them down in exactly
 * the reverse order: netlink first, so that no new configuration arrives.
 */

#include <linux/module.h>
#include <linux/init.h>

#include "ol2tp.h"
#include "net.h"
#include "tunnel.h"
#include "udp.h"
#include "ip_common.h"
#include "eth.h"
#include "debugfs.h"
#include "netlink.h"

static void ol2tp_encaps_init(void)
{
	ol2tp_encap_register(&ol2tp_udp_encap_ops);
	ol2tp_encap_register(&ol2tp_ip_encap_ops);
}

static void ol2tp_encaps_uninit(void)
{
	ol2tp_encap_unregister(&ol2tp_ip_encap_ops);
	ol2tp_encap_unregister(&ol2tp_udp_encap_ops);
}

static int __init ol2tp_init(void)
{
	int err;

	err = ol2tp_net_init();
	if (err)
		return err;
	err = ol2tp_ip_init();
	if (err)
		goto err_net;
	err = ol2tp_ip6_init();
	if (err)
		goto err_ip;
	ol2tp_encaps_init();
	err = ol2tp_eth_init();
	if (err)
		goto err_encaps;
	/* From here on tunnels exist: each namespace's go when it goes. */
	err = ol2tp_flush_init();
	if (err)
		goto err_eth;
	ol2tp_debugfs_init();
	err = ol2tp_netlink_init();
	if (err)
		goto err_debugfs;
	pr_info("L2TPv3/v2 data plane loaded\n");
	return 0;

err_debugfs:
	ol2tp_debugfs_uninit();
	ol2tp_flush_uninit();
err_eth:
	ol2tp_eth_uninit();
err_encaps:
	ol2tp_encaps_uninit();
	ol2tp_ip6_uninit();
err_ip:
	ol2tp_ip_uninit();
err_net:
	ol2tp_net_uninit();
	return err;
}

/* The reverse of init, step by step. */
static void __exit ol2tp_exit(void)
{
	ol2tp_netlink_uninit();
	ol2tp_debugfs_uninit();
	/* Every tunnel of every namespace, and all that hangs off them. */
	ol2tp_flush_uninit();
	ol2tp_eth_uninit();
	ol2tp_encaps_uninit();
	ol2tp_ip6_uninit();
	ol2tp_ip_uninit();
	ol2tp_net_uninit();
}

module_init(ol2tp_init);
module_exit(ol2tp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ol2tp: L2TPv3 and L2TPv2 data plane (UDP and IP encapsulation, Ethernet pseudowires)");
MODULE_AUTHOR("ol2tp developers");
