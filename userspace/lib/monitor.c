// SPDX-License-Identifier: GPL-2.0
/* Events: a socket in the multicast group "l2tp", one callback per change. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nl-internal.h"

/* Events come in bursts (a batch of 10 000 sessions): a deep queue. */
#define OL2TP_MON_RCVBUF	(8 << 20)

struct ol2tp_nl_monitor {
	struct ol2tp_nl *nl;
	struct nl_cb *cb;
	ol2tp_nl_event_fn fn;
	void *arg;
	int fn_ret;
	bool bad;
};

/* Events carry sequence number 0: take them all. */
static int accept_any_seq(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct ol2tp_nl_monitor *mon = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct ol2tp_nl_event ev;
	int rc;

	if (h->nlmsg_type != mon->nl->family || !genlmsg_valid_hdr(h, 0))
		return NL_SKIP;
	memset(&ev, 0, sizeof(ev));
	ev.cmd = genlmsg_hdr(h)->cmd;
	switch (ev.cmd) {
	case OL2TP_CMD_TUNNEL_CREATE:
	case OL2TP_CMD_TUNNEL_DELETE:
	case OL2TP_CMD_TUNNEL_MODIFY:
		rc = ol2tp_nl_tunnel_parse(msg, &ev.tunnel);
		break;
	case OL2TP_CMD_SESSION_CREATE:
	case OL2TP_CMD_SESSION_DELETE:
	case OL2TP_CMD_SESSION_MODIFY:
		ev.is_session = true;
		rc = ol2tp_nl_session_parse(msg, &ev.session);
		break;
	default:
		return NL_SKIP;
	}
	if (rc < 0) {
		mon->bad = true;
		return NL_SKIP;
	}
	if (!mon->fn_ret)
		mon->fn_ret = mon->fn(&ev, mon->arg);
	return NL_OK;
}

int ol2tp_nl_monitor_open(struct ol2tp_nl_monitor **monp,
			  struct ol2tp_nl_err *err)
{
	struct ol2tp_nl_monitor *mon;
	int rc;

	*monp = NULL;
	mon = calloc(1, sizeof(*mon));
	if (!mon)
		return ol2tp_err_set(err, -ENOMEM, "out of memory");
	rc = ol2tp_nl_open(&mon->nl, err);
	if (rc < 0)
		goto free_mon;
	mon->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!mon->cb) {
		rc = ol2tp_err_set(err, -ENOMEM, "out of memory");
		goto close_nl;
	}
	nl_cb_set(mon->cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, accept_any_seq, NULL);
	nl_cb_set(mon->cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, mon);
	nl_socket_set_buffer_size(mon->nl->sk, OL2TP_MON_RCVBUF, 0);
	rc = nl_socket_add_membership(mon->nl->sk, mon->nl->mcgrp);
	if (rc < 0) {
		rc = ol2tp_err_set(err, ol2tp_nl_errno(rc),
				   "cannot join the multicast group \"%s\": %s",
				   OL2TP_GENL_MCGROUP, nl_geterror(rc));
		goto put_cb;
	}
	*monp = mon;
	return 0;

put_cb:
	nl_cb_put(mon->cb);
close_nl:
	ol2tp_nl_close(mon->nl);
free_mon:
	free(mon);
	return rc;
}

void ol2tp_nl_monitor_close(struct ol2tp_nl_monitor *mon)
{
	if (!mon)
		return;
	nl_cb_put(mon->cb);
	ol2tp_nl_close(mon->nl);
	free(mon);
}

int ol2tp_nl_monitor_fd(const struct ol2tp_nl_monitor *mon)
{
	return nl_socket_get_fd(mon->nl->sk);
}

int ol2tp_nl_monitor_set_nonblocking(struct ol2tp_nl_monitor *mon)
{
	return ol2tp_nl_errno(nl_socket_set_nonblocking(mon->nl->sk));
}

int ol2tp_nl_monitor_recv(struct ol2tp_nl_monitor *mon, ol2tp_nl_event_fn fn,
			  void *arg, struct ol2tp_nl_err *err)
{
	int rc;

	mon->fn = fn;
	mon->arg = arg;
	mon->fn_ret = 0;
	mon->bad = false;
	rc = nl_recvmsgs(mon->nl->sk, mon->cb);
	if (rc < 0) {
		rc = ol2tp_nl_errno(rc);
		if (rc == -ENOBUFS)
			return ol2tp_err_set(err, rc,
					     "events were lost: the receive buffer overflowed");
		if (rc == -EAGAIN)
			return rc;
		return ol2tp_err_set(err, rc, "cannot receive events: %s",
				     strerror(-rc));
	}
	if (mon->bad && !mon->fn_ret)
		return ol2tp_err_set(err, -EPROTO,
				     "an event did not parse as a tunnel or session");
	return mon->fn_ret;
}
