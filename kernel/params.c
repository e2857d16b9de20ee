// SPDX-License-Identifier: GPL-2.0
/* The module's parameters: the privilege model (Documentation/security.rst). */

#include <linux/module.h>
#include <linux/capability.h>
#include <linux/moduleparam.h>

#include "ol2tp.h"
#include "params.h"

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

bool ol2tp_may_reach_others(const struct net *net)
{
	return linux_perms || ns_capable(net->user_ns, CAP_NET_ADMIN);
}
EXPORT_SYMBOL_GPL(ol2tp_may_reach_others);
