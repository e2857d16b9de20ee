// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tp.ko: the L2TP data plane.  Module init brings the subsystems up in
 * dependency order and uninit takes them down in reverse: netlink goes
 * first so no new configuration arrives while the rest is torn down.
 */

#include <linux/module.h>
#include <linux/init.h>
#include <linux/capability.h>
#include <linux/moduleparam.h>

#include "ol2tp.h"

/*
 * The privilege model (Documentation/security.rst).  Read-only once
 * loaded: the multicast group's capability flag is set from it at init.
 */
static bool linux_perms;
module_param(linux_perms, bool, 0444);
MODULE_PARM_DESC(linux_perms,
		 "Allow what Linux's l2tp allows without CAP_NET_ADMIN: PPPoL2TP connect to another owner's tunnel or session, L2TP/IP bind to a tunnel's conn id, joining the l2tp multicast group (default: N, refuse; see Documentation/security.rst)");

bool ol2tp_linux_perms(void)
{
	return linux_perms;
}
EXPORT_SYMBOL_GPL(ol2tp_linux_perms);

bool ol2tp_may_reach_others(const struct net *net)
{
	return linux_perms || ns_capable(net->user_ns, CAP_NET_ADMIN);
}
EXPORT_SYMBOL_GPL(ol2tp_may_reach_others);

static int __init ol2tp_init(void)
{
	int err;

	ol2tp_encap_register(&ol2tp_udp_encap_ops);
	ol2tp_encap_register(&ol2tp_ip_encap_ops);
	err = ol2tp_core_init();
	if (err)
		goto err_encaps;
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
err_encaps:
	ol2tp_encap_unregister(&ol2tp_ip_encap_ops);
	ol2tp_encap_unregister(&ol2tp_udp_encap_ops);
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
	ol2tp_encap_unregister(&ol2tp_ip_encap_ops);
	ol2tp_encap_unregister(&ol2tp_udp_encap_ops);
}

module_init(ol2tp_init);
module_exit(ol2tp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ol2tp: L2TPv3 and L2TPv2 data plane (UDP and IP encapsulation, Ethernet pseudowires)");
MODULE_AUTHOR("ol2tp developers");
