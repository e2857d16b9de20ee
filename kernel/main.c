// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tp.ko: the L2TP data plane.  Module init brings the subsystems up in
 * dependency order and uninit takes them down in reverse: netlink goes
 * first so no new configuration arrives while the rest is torn down.
 */

#include <linux/module.h>
#include <linux/init.h>

#include "ol2tp.h"

static int __init ol2tp_init(void)
{
	int err;

	err = ol2tp_core_init();
	if (err)
		return err;
	ol2tp_seq_init();
	err = ol2tp_ip_init();
	if (err)
		goto err_seq;
	err = ol2tp_ip6_init();
	if (err)
		goto err_ip;
	err = ol2tp_eth_init();
	if (err)
		goto err_ip6;
	err = ol2tp_netlink_init();
	if (err)
		goto err_eth;
	pr_info("ol2tp: L2TPv3/v2 data plane loaded\n");
	return 0;

err_eth:
	ol2tp_eth_uninit();
err_ip6:
	ol2tp_ip6_uninit();
err_ip:
	ol2tp_ip_uninit();
err_seq:
	ol2tp_seq_uninit();
	ol2tp_core_uninit();
	return err;
}

static void __exit ol2tp_exit(void)
{
	ol2tp_netlink_uninit();
	ol2tp_seq_uninit();
	/* Deletes every tunnel and session of every netns, and the netdevs. */
	ol2tp_core_uninit();
	/* After the core: unmanaged tunnels' sockets are unbound by now. */
	ol2tp_ip6_uninit();
	ol2tp_ip_uninit();
	ol2tp_eth_uninit();
}

module_init(ol2tp_init);
module_exit(ol2tp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ol2tp: L2TPv3 and L2TPv2 data plane (UDP and IP encapsulation, Ethernet pseudowires)");
MODULE_AUTHOR("ol2tp developers");
