/* SPDX-License-Identifier: GPL-2.0 */
/*
 * params.c: the module's parameters (ol2tp_may_reach_others() is in ol2tp.h).
 */
#ifndef _OL2TP_PARAMS_H
#define _OL2TP_PARAMS_H

#include <linux/types.h>

/* The module was loaded with linux_perms=1: Linux's privilege model. */
bool ol2tp_linux_perms(void);

#endif /* _OL2TP_PARAMS_H */
