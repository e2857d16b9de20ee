// SPDX-License-Identifier: GPL-2.0
/* Tunnels: struct ol2tp_nl_tunnel to and from attributes, and the commands. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "nl-internal.h"

static struct nla_policy stats_policy[OL2TP_ATTR_STATS_MAX + 1] = {
	[OL2TP_ATTR_TX_PACKETS] = { .type = NLA_U64 },
	[OL2TP_ATTR_TX_BYTES] = { .type = NLA_U64 },
	[OL2TP_ATTR_TX_ERRORS] = { .type = NLA_U64 },
	[OL2TP_ATTR_RX_PACKETS] = { .type = NLA_U64 },
	[OL2TP_ATTR_RX_BYTES] = { .type = NLA_U64 },
	[OL2TP_ATTR_RX_SEQ_DISCARDS] = { .type = NLA_U64 },
	[OL2TP_ATTR_RX_OOS_PACKETS] = { .type = NLA_U64 },
	[OL2TP_ATTR_RX_ERRORS] = { .type = NLA_U64 },
	[OL2TP_ATTR_RX_COOKIE_DISCARDS] = { .type = NLA_U64 },
	[OL2TP_ATTR_RX_INVALID] = { .type = NLA_U64 },
};

int ol2tp_stats_parse(struct nlattr *nest, struct ol2tp_nl_stats *st)
{
	struct nlattr *tb[OL2TP_ATTR_STATS_MAX + 1];
	int i;

	if (nla_parse_nested(tb, OL2TP_ATTR_STATS_MAX, nest, stats_policy) < 0)
		return -EPROTO;
	for (i = 1; i <= OL2TP_ATTR_STATS_MAX; i++) {
		if (i == OL2TP_ATTR_STATS_PAD || !tb[i])
			continue;
		st->v[i] = nla_get_u64(tb[i]);
		st->has |= OL2TP_BIT(i);
	}
	return 0;
}

/* The attributes a tunnel can carry; lengths checked before any read. */
static struct nla_policy tunnel_policy[OL2TP_ATTR_MAX + 1] = {
	[OL2TP_ATTR_CONN_ID] = { .type = NLA_U32 },
	[OL2TP_ATTR_PEER_CONN_ID] = { .type = NLA_U32 },
	[OL2TP_ATTR_PROTO_VERSION] = { .type = NLA_U8 },
	[OL2TP_ATTR_ENCAP_TYPE] = { .type = NLA_U16 },
	[OL2TP_ATTR_FD] = { .type = NLA_U32 },
	[OL2TP_ATTR_DEBUG] = { .type = NLA_U32 },
	[OL2TP_ATTR_IP_SADDR] = { .type = NLA_U32 },
	[OL2TP_ATTR_IP_DADDR] = { .type = NLA_U32 },
	[OL2TP_ATTR_IP6_SADDR] = { .minlen = sizeof(struct in6_addr) },
	[OL2TP_ATTR_IP6_DADDR] = { .minlen = sizeof(struct in6_addr) },
	[OL2TP_ATTR_UDP_SPORT] = { .type = NLA_U16 },
	[OL2TP_ATTR_UDP_DPORT] = { .type = NLA_U16 },
	[OL2TP_ATTR_UDP_CSUM] = { .type = NLA_U8 },
	[OL2TP_ATTR_UDP_ZERO_CSUM6_TX] = { .type = NLA_FLAG },
	[OL2TP_ATTR_UDP_ZERO_CSUM6_RX] = { .type = NLA_FLAG },
	[OL2TP_ATTR_USING_IPSEC] = { .type = NLA_FLAG },
	[OL2TP_ATTR_STATS] = { .type = NLA_NESTED },
};

static int put_addr(struct nl_msg *msg, int attr4, int attr6,
		    const struct ol2tp_nl_addr *a)
{
	if (a->family == AF_INET)
		return nla_put(msg, attr4, sizeof(a->v4), &a->v4);
	if (a->family == AF_INET6)
		return nla_put(msg, attr6, sizeof(a->v6), &a->v6);
	return -NLE_INVAL;
}

/* The address attribute of either family, into @a (AF_UNSPEC if absent). */
static void get_addr(struct nlattr *const *tb, int attr4, int attr6,
		     struct ol2tp_nl_addr *a)
{
	if (tb[attr4]) {
		a->family = AF_INET;
		memcpy(&a->v4, nla_data(tb[attr4]), sizeof(a->v4));
	} else if (tb[attr6]) {
		a->family = AF_INET6;
		memcpy(&a->v6, nla_data(tb[attr6]), sizeof(a->v6));
	}
}

#define TFIELD(member, attr) OL2TP_FIELD(struct ol2tp_nl_tunnel, member, attr)
static const struct ol2tp_field tunnel_fields[] = {
	TFIELD(conn_id, OL2TP_ATTR_CONN_ID),
	TFIELD(peer_conn_id, OL2TP_ATTR_PEER_CONN_ID),
	TFIELD(proto_version, OL2TP_ATTR_PROTO_VERSION),
	TFIELD(encap_type, OL2TP_ATTR_ENCAP_TYPE),
	TFIELD(fd, OL2TP_ATTR_FD),
	TFIELD(debug, OL2TP_ATTR_DEBUG),
	TFIELD(udp_sport, OL2TP_ATTR_UDP_SPORT),
	TFIELD(udp_dport, OL2TP_ATTR_UDP_DPORT),
	TFIELD(udp_csum, OL2TP_ATTR_UDP_CSUM),
};
#undef TFIELD

#define N_TUNNEL_FIELDS (sizeof(tunnel_fields) / sizeof(tunnel_fields[0]))

int ol2tp_nl_tunnel_put(struct nl_msg *msg, const struct ol2tp_nl_tunnel *t)
{
	int rc;

	rc = ol2tp_fields_put(msg, t, t->has, tunnel_fields, N_TUNNEL_FIELDS);
	if (!rc && (ol2tp_nl_has(t, OL2TP_ATTR_IP_SADDR) ||
		    ol2tp_nl_has(t, OL2TP_ATTR_IP6_SADDR)))
		rc = put_addr(msg, OL2TP_ATTR_IP_SADDR, OL2TP_ATTR_IP6_SADDR,
			      &t->local);
	if (!rc && (ol2tp_nl_has(t, OL2TP_ATTR_IP_DADDR) ||
		    ol2tp_nl_has(t, OL2TP_ATTR_IP6_DADDR)))
		rc = put_addr(msg, OL2TP_ATTR_IP_DADDR, OL2TP_ATTR_IP6_DADDR,
			      &t->remote);
	if (!rc && ol2tp_nl_has(t, OL2TP_ATTR_UDP_ZERO_CSUM6_TX) &&
	    t->udp_zero_csum6_tx)
		rc = nla_put_flag(msg, OL2TP_ATTR_UDP_ZERO_CSUM6_TX);
	if (!rc && ol2tp_nl_has(t, OL2TP_ATTR_UDP_ZERO_CSUM6_RX) &&
	    t->udp_zero_csum6_rx)
		rc = nla_put_flag(msg, OL2TP_ATTR_UDP_ZERO_CSUM6_RX);
	return rc < 0 ? -EMSGSIZE : 0;
}

int ol2tp_nl_tunnel_parse(struct nl_msg *msg, struct ol2tp_nl_tunnel *t)
{
	struct nlattr *tb[OL2TP_ATTR_MAX + 1];
	int i;

	memset(t, 0, sizeof(*t));
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, OL2TP_ATTR_MAX,
			  tunnel_policy) < 0)
		return -EPROTO;
	for (i = 1; i <= OL2TP_ATTR_MAX; i++)
		if (tb[i] && (tunnel_policy[i].type != NLA_UNSPEC ||
			      tunnel_policy[i].minlen))
			t->has |= OL2TP_BIT(i);

	ol2tp_fields_get(tb, t, tunnel_fields, N_TUNNEL_FIELDS);
	get_addr(tb, OL2TP_ATTR_IP_SADDR, OL2TP_ATTR_IP6_SADDR, &t->local);
	get_addr(tb, OL2TP_ATTR_IP_DADDR, OL2TP_ATTR_IP6_DADDR, &t->remote);
	t->udp_zero_csum6_tx = tb[OL2TP_ATTR_UDP_ZERO_CSUM6_TX];
	t->udp_zero_csum6_rx = tb[OL2TP_ATTR_UDP_ZERO_CSUM6_RX];
	t->using_ipsec = tb[OL2TP_ATTR_USING_IPSEC];
	if (tb[OL2TP_ATTR_STATS] &&
	    ol2tp_stats_parse(tb[OL2TP_ATTR_STATS], &t->stats) < 0)
		return -EPROTO;
	return 0;
}

static int send_tunnel(struct ol2tp_nl *nl, uint8_t cmd,
		       const struct ol2tp_nl_tunnel *t,
		       struct ol2tp_nl_err *err)
{
	struct nl_msg *msg = ol2tp_nl_msg(nl, cmd, 0);

	if (!msg || ol2tp_nl_tunnel_put(msg, t) < 0) {
		nlmsg_free(msg);
		return ol2tp_err_set(err, -ENOMEM,
				     "cannot build the request (out of memory)");
	}
	return ol2tp_nl_request(nl, msg, NULL, NULL, err);
}

int ol2tp_nl_tunnel_create(struct ol2tp_nl *nl, const struct ol2tp_nl_tunnel *t,
			   struct ol2tp_nl_err *err)
{
	return send_tunnel(nl, OL2TP_CMD_TUNNEL_CREATE, t, err);
}

int ol2tp_nl_tunnel_modify(struct ol2tp_nl *nl, const struct ol2tp_nl_tunnel *t,
			   struct ol2tp_nl_err *err)
{
	return send_tunnel(nl, OL2TP_CMD_TUNNEL_MODIFY, t, err);
}

int ol2tp_nl_tunnel_delete(struct ol2tp_nl *nl, uint32_t conn_id,
			   struct ol2tp_nl_err *err)
{
	struct ol2tp_nl_tunnel t = { .conn_id = conn_id };

	ol2tp_nl_set(&t, OL2TP_ATTR_CONN_ID);
	return send_tunnel(nl, OL2TP_CMD_TUNNEL_DELETE, &t, err);
}

struct tunnel_walk {
	ol2tp_nl_tunnel_fn fn;
	void *arg;
	struct ol2tp_nl_tunnel *out;
	int found;
};

static int tunnel_reply(struct nl_msg *msg, void *arg)
{
	struct tunnel_walk *w = arg;
	struct ol2tp_nl_tunnel t;

	if (ol2tp_nl_tunnel_parse(msg, &t) < 0)
		return -EPROTO;
	w->found++;
	if (w->out) {
		*w->out = t;
		return 0;
	}
	return w->fn(&t, w->arg);
}

int ol2tp_nl_tunnel_get(struct ol2tp_nl *nl, uint32_t conn_id,
			struct ol2tp_nl_tunnel *out, struct ol2tp_nl_err *err)
{
	struct tunnel_walk w = { .out = out };
	struct nl_msg *msg = ol2tp_nl_msg(nl, OL2TP_CMD_TUNNEL_GET, 0);
	int rc;

	if (!msg || nla_put_u32(msg, OL2TP_ATTR_CONN_ID, conn_id) < 0) {
		nlmsg_free(msg);
		return ol2tp_err_set(err, -ENOMEM, "out of memory");
	}
	rc = ol2tp_nl_request(nl, msg, tunnel_reply, &w, err);
	if (rc == -EPROTO)
		return ol2tp_err_set(err, rc,
				     "the kernel's answer did not parse as a tunnel");
	if (!rc && !w.found)
		return ol2tp_err_set(err, -ENOENT,
				     "the kernel acknowledged but sent no tunnel");
	return rc;
}

int ol2tp_nl_tunnel_dump(struct ol2tp_nl *nl, ol2tp_nl_tunnel_fn fn, void *arg,
			 struct ol2tp_nl_err *err)
{
	struct tunnel_walk w = { .fn = fn, .arg = arg };
	struct nl_msg *msg = ol2tp_nl_msg(nl, OL2TP_CMD_TUNNEL_GET, NLM_F_DUMP);
	int rc;

	if (!msg)
		return ol2tp_err_set(err, -ENOMEM, "out of memory");
	rc = ol2tp_nl_request(nl, msg, tunnel_reply, &w, err);
	if (rc == -EPROTO)
		return ol2tp_err_set(err, rc,
				     "the kernel's answer did not parse as a tunnel");
	return rc;
}
