/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernel APIs ol2tp builds against (Debian 6.1 and
 * 6.12).  Nothing else in kernel/ tests a kernel version.
 */
#ifndef _OL2TP_COMPAT_H
#define _OL2TP_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>

/* <asm/unaligned.h> moved to <linux/unaligned.h> in 6.12. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* Lockless transmit became a netdev bit (dev->lltx) in 6.12. */
static inline void ol2tp_netdev_set_lltx(struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

#endif /* _OL2TP_COMPAT_H */
