// SPDX-License-Identifier: GPL-2.0
/* Per-CPU counters of tunnels and sessions, and their sums. */

#include <linux/percpu.h>
#include <linux/module.h>

#include "ol2tp.h"
#include "stats.h"

void ol2tp_stats_fold(struct ol2tp_stats *sum,
		      struct ol2tp_pcpu_stats __percpu *pcpu)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct ol2tp_pcpu_stats *s = per_cpu_ptr(pcpu, cpu);
		struct ol2tp_stats v;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			v.tx_packets = u64_stats_read(&s->tx_packets);
			v.tx_bytes = u64_stats_read(&s->tx_bytes);
			v.tx_errors = u64_stats_read(&s->tx_errors);
			v.rx_packets = u64_stats_read(&s->rx_packets);
			v.rx_bytes = u64_stats_read(&s->rx_bytes);
			v.rx_seq_discards = u64_stats_read(&s->rx_seq_discards);
			v.rx_oos_packets = u64_stats_read(&s->rx_oos_packets);
			v.rx_errors = u64_stats_read(&s->rx_errors);
			v.rx_cookie_discards =
				u64_stats_read(&s->rx_cookie_discards);
			v.rx_invalid = u64_stats_read(&s->rx_invalid);
		} while (u64_stats_fetch_retry(&s->syncp, start));

		sum->tx_packets += v.tx_packets;
		sum->tx_bytes += v.tx_bytes;
		sum->tx_errors += v.tx_errors;
		sum->rx_packets += v.rx_packets;
		sum->rx_bytes += v.rx_bytes;
		sum->rx_seq_discards += v.rx_seq_discards;
		sum->rx_oos_packets += v.rx_oos_packets;
		sum->rx_errors += v.rx_errors;
		sum->rx_cookie_discards += v.rx_cookie_discards;
		sum->rx_invalid += v.rx_invalid;
	}
}
EXPORT_SYMBOL_GPL(ol2tp_stats_fold);

void ol2tp_stats_add(struct ol2tp_stats *sum,
			    const struct ol2tp_stats *v)
{
	sum->tx_packets += v->tx_packets;
	sum->tx_bytes += v->tx_bytes;
	sum->tx_errors += v->tx_errors;
	sum->rx_packets += v->rx_packets;
	sum->rx_bytes += v->rx_bytes;
	sum->rx_seq_discards += v->rx_seq_discards;
	sum->rx_oos_packets += v->rx_oos_packets;
	sum->rx_errors += v->rx_errors;
	sum->rx_cookie_discards += v->rx_cookie_discards;
	sum->rx_invalid += v->rx_invalid;
}

struct ol2tp_pcpu_stats __percpu *ol2tp_stats_alloc(void)
{
	struct ol2tp_pcpu_stats __percpu *stats;
	int cpu;

	stats = alloc_percpu(struct ol2tp_pcpu_stats);
	if (!stats)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats, cpu)->syncp);
	return stats;
}
