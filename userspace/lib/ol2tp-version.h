/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The version of ol2tp's userspace, printed by "ol2tp -V" and
 * "ol2tpd -V": one number for the programs built from one tree.
 */
#ifndef OL2TP_VERSION_H
#define OL2TP_VERSION_H

#define OL2TP_VERSION "0.1"

#endif
