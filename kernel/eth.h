/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eth.c: the Ethernet pseudowire type (main.c registers it).
 */
#ifndef _OL2TP_ETH_H
#define _OL2TP_ETH_H

#include <linux/init.h>

int ol2tp_eth_init(void);
void ol2tp_eth_uninit(void);

#endif /* _OL2TP_ETH_H */
