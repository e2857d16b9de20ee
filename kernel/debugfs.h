/* SPDX-License-Identifier: GPL-2.0 */
/*
 * debugfs.c: /sys/kernel/debug/ol2tp.
 */
#ifndef _OL2TP_DEBUGFS_H
#define _OL2TP_DEBUGFS_H

#include <linux/init.h>

void ol2tp_debugfs_init(void);
void ol2tp_debugfs_uninit(void);

#endif /* _OL2TP_DEBUGFS_H */
