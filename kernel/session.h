/* SPDX-License-Identifier: GPL-2.0 */
/*
 * session.c: what the rest of ol2tp.ko calls besides the API (ol2tp.h).
 */
#ifndef _OL2TP_SESSION_H
#define _OL2TP_SESSION_H

#include "ol2tp.h"
#include "tunnel.h"

/* Session @session_id of @tunnel, or NULL.  Caller holds RCU. */
struct ol2tp_session *ol2tp_session_lookup_rcu(struct ol2tp_tunnel *tunnel,
					       u32 session_id);
/* The session whose pseudowire netdev is @ifname in @net, or NULL. */
struct ol2tp_session *ol2tp_session_get_by_ifname(struct net *net,
						  const char *ifname);
/* Delete every session of @tunnel, which is being deleted. */
void ol2tp_session_delete_all(struct ol2tp_tunnel *tunnel);

/* Recompute @hdr_len (after a change of sublayer or sequencing). */
static inline void ol2tp_session_set_header_len(struct ol2tp_session *session)
{
	struct ol2tp_tunnel *t = session->tunnel;

	WRITE_ONCE(session->hdr_len,
		   ol2tp_data_hdr_len(t->version,
				      t->encap_ops->v3_hdr_len != 0,
				      session->send_seq, session->cookie_len,
				      session->l2spec_len));
}

#endif /* _OL2TP_SESSION_H */
