/* SPDX-License-Identifier: GPL-2.0 */
/*
 * udp.c: L2TP over UDP.
 */
#ifndef _OL2TP_UDP_H
#define _OL2TP_UDP_H

#include "tunnel.h"

extern const struct ol2tp_encap_ops ol2tp_udp_encap_ops;

#endif /* _OL2TP_UDP_H */
