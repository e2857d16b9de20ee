/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stats.c: counters of the objects (the API's ol2tp_stats_fold() is in ol2tp.h).
 */
#ifndef _OL2TP_STATS_H
#define _OL2TP_STATS_H

#include "ol2tp.h"

void ol2tp_stats_add(struct ol2tp_stats *sum, const struct ol2tp_stats *v);
struct ol2tp_pcpu_stats __percpu *ol2tp_stats_alloc(void);

#endif /* _OL2TP_STATS_H */
