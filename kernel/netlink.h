/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netlink.c: the generic netlink family "l2tp".
 */
#ifndef _OL2TP_NETLINK_H
#define _OL2TP_NETLINK_H

#include <linux/init.h>

int ol2tp_netlink_init(void);
void ol2tp_netlink_uninit(void);

#endif /* _OL2TP_NETLINK_H */
