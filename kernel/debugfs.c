// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/ol2tp/seq: every session's sequencing state in the
 * reader's namespace, one line each (Documentation/sequencing.rst).
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/nsproxy.h>

#include "debugfs.h"
#include "net.h"
#include "seq.h"

static struct dentry *ol2tp_debugfs_dir;

static void ol2tp_seq_show_session(struct seq_file *m, struct ol2tp_session *s)
{
	unsigned int queued, qbytes;
	u64 gaps, lost;
	bool synced;
	u32 nr;

	spin_lock_bh(&s->reorder_q.lock);
	synced = !s->seq.resync;
	nr = s->nr;
	queued = skb_queue_len(&s->reorder_q);
	qbytes = s->seq.qbytes;
	gaps = s->seq.gaps;
	lost = s->seq.lost;
	spin_unlock_bh(&s->reorder_q.lock);

	seq_printf(m, "%u %u %u %u %u %u %u %u %u ", s->tunnel->tunnel_id,
		   s->session_id, s->tunnel->version, READ_ONCE(s->send_seq),
		   READ_ONCE(s->recv_seq), READ_ONCE(s->lns_mode),
		   jiffies_to_msecs(READ_ONCE(s->reorder_timeout)),
		   (u32)atomic_read(&s->ns) & ol2tp_seqnum_mask(s->tunnel->version), synced);
	if (synced)
		seq_printf(m, "%u", nr);
	else
		seq_puts(m, "-");
	seq_printf(m, " %u %u %llu %llu\n", queued, qbytes, gaps, lost);
}

/* Every session of the reader's network namespace, one per line. */
static int ol2tp_seq_state_show(struct seq_file *m, void *v)
{
	struct net *net = current->nsproxy->net_ns;
	struct ol2tp_dump_pos tpos = {}, spos;
	struct ol2tp_session *s;
	struct ol2tp_tunnel *t;

	seq_puts(m, "tunnel session version send_seq recv_seq lns_mode reorder_timeout_ms ns synced nr queued queued_bytes gaps lost\n");
	while ((t = ol2tp_tunnel_next(net, &tpos))) {
		spos = (struct ol2tp_dump_pos){};
		while ((s = ol2tp_session_next(t, &spos))) {
			ol2tp_seq_show_session(m, s);
			ol2tp_dump_pos_step(&spos, s->session_id);
			ol2tp_session_put(s);
		}
		ol2tp_dump_pos_step(&tpos, t->tunnel_id);
		ol2tp_tunnel_put(t);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ol2tp_seq_state);

void __init ol2tp_debugfs_init(void)
{
	/* debugfs is a debugging aid: its failures are not ours to report. */
	ol2tp_debugfs_dir = debugfs_create_dir("ol2tp", NULL);
	debugfs_create_file("seq", 0444, ol2tp_debugfs_dir, NULL,
			    &ol2tp_seq_state_fops);
}

void ol2tp_debugfs_uninit(void)
{
	debugfs_remove(ol2tp_debugfs_dir);
}
