// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "l2tp": the ABI of Linux's L2TP netlink interface
 * (commands, attributes, multicast group), so that iproute2's "ip l2tp" and
 * other existing clients drive ol2tp unchanged.  See Documentation/netlink.rst.
 *
 * All handlers run under the genetlink mutex (parallel_ops is off), which
 * serialises configuration changes made through netlink; the data path does
 * not depend on it.
 */

#include <linux/module.h>
#include <linux/socket.h>
#include <net/genetlink.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/udp.h>

#include "ol2tp.h"
#include "netlink.h"
#include "net.h"
#include "tunnel.h"
#include "session.h"
#include "params.h"
#include "compat.h"

static struct genl_family ol2tp_nl_family;

/*
 * Integers are checked as binary attributes of their exact size: one that is
 * too short is refused with ERANGE, as Linux's policy refuses it; one that is
 * too long is refused too (Linux takes it).  Their values are checked by the
 * handlers, which say EINVAL for a value out of range, as Linux does.
 */
#define OL2TP_NLA_U8	NLA_POLICY_EXACT_LEN(sizeof(u8))
#define OL2TP_NLA_U16	NLA_POLICY_EXACT_LEN(sizeof(u16))
#define OL2TP_NLA_U32	NLA_POLICY_EXACT_LEN(sizeof(u32))

static const struct nla_policy ol2tp_nl_policy[OL2TP_ATTR_MAX + 1] = {
	[OL2TP_ATTR_PW_TYPE]		= OL2TP_NLA_U16,
	[OL2TP_ATTR_ENCAP_TYPE]		= OL2TP_NLA_U16,
	[OL2TP_ATTR_OFFSET]		= OL2TP_NLA_U16,
	/* Obsolete; older iproute2 sends it as u8, the uapi says u16. */
	[OL2TP_ATTR_DATA_SEQ]		= { .type = NLA_BINARY, .len = 2 },
	[OL2TP_ATTR_L2SPEC_TYPE]	= OL2TP_NLA_U8,
	[OL2TP_ATTR_L2SPEC_LEN]		= OL2TP_NLA_U8,
	[OL2TP_ATTR_PROTO_VERSION]	= OL2TP_NLA_U8,
	[OL2TP_ATTR_IFNAME]		= { .type = NLA_NUL_STRING,
					    .len = IFNAMSIZ - 1 },
	[OL2TP_ATTR_CONN_ID]		= OL2TP_NLA_U32,
	[OL2TP_ATTR_PEER_CONN_ID]	= OL2TP_NLA_U32,
	[OL2TP_ATTR_SESSION_ID]		= OL2TP_NLA_U32,
	[OL2TP_ATTR_PEER_SESSION_ID]	= OL2TP_NLA_U32,
	[OL2TP_ATTR_UDP_CSUM]		= OL2TP_NLA_U8,
	[OL2TP_ATTR_VLAN_ID]		= OL2TP_NLA_U16,
	[OL2TP_ATTR_COOKIE]		= { .type = NLA_BINARY,
					    .len = OL2TP_COOKIE_MAX },
	[OL2TP_ATTR_PEER_COOKIE]	= { .type = NLA_BINARY,
					    .len = OL2TP_COOKIE_MAX },
	[OL2TP_ATTR_DEBUG]		= OL2TP_NLA_U32,
	[OL2TP_ATTR_RECV_SEQ]		= OL2TP_NLA_U8,
	[OL2TP_ATTR_SEND_SEQ]		= OL2TP_NLA_U8,
	[OL2TP_ATTR_LNS_MODE]		= OL2TP_NLA_U8,
	[OL2TP_ATTR_USING_IPSEC]	= { .type = NLA_REJECT,
					    .reject_message = "USING_IPSEC is reported, not set" },
	[OL2TP_ATTR_RECV_TIMEOUT]	= { .type = NLA_MSECS },
	[OL2TP_ATTR_FD]			= OL2TP_NLA_U32,
	[OL2TP_ATTR_IP_SADDR]		= OL2TP_NLA_U32,
	[OL2TP_ATTR_IP_DADDR]		= OL2TP_NLA_U32,
	[OL2TP_ATTR_UDP_SPORT]		= OL2TP_NLA_U16,
	[OL2TP_ATTR_UDP_DPORT]		= OL2TP_NLA_U16,
	[OL2TP_ATTR_MTU]		= OL2TP_NLA_U16,
	[OL2TP_ATTR_MRU]		= OL2TP_NLA_U16,
	/* Output only; a request that carries it (a GET reply sent back as
	 * a MODIFY) is taken, the counters left alone, as in Linux.
	 */
	[OL2TP_ATTR_STATS]		= { .type = NLA_NESTED },
	/* Up to 16 bytes as in Linux; a shorter one is refused by the
	 * handler (ol2tp_nl_in6_addr()).
	 */
	[OL2TP_ATTR_IP6_SADDR]		= { .type = NLA_BINARY,
					    .len = sizeof(struct in6_addr) },
	[OL2TP_ATTR_IP6_DADDR]		= { .type = NLA_BINARY,
					    .len = sizeof(struct in6_addr) },
	[OL2TP_ATTR_UDP_ZERO_CSUM6_TX]	= { .type = NLA_FLAG },
	[OL2TP_ATTR_UDP_ZERO_CSUM6_RX]	= { .type = NLA_FLAG },
	[OL2TP_ATTR_PAD]		= { .type = NLA_REJECT,
					    .reject_message = "PAD is not an attribute to set" },
};

/* Is @attr present?  If not, say which and why in extack. */
#define ol2tp_nl_require(info, attr, msg) ({				\
	struct genl_info *__info = (info);				\
	bool __present = !!__info->attrs[attr];			\
									\
	if (!__present) {						\
		NL_SET_ERR_MSG(__info->extack, msg);			\
		NL_SET_ERR_ATTR_MISS(__info->extack, NULL, attr);	\
	}								\
	__present;							\
})

/* No object has the value of attribute @attr: say so in extack; -ENODEV. */
#define ol2tp_nl_none(info, attr, msg) ({				\
	struct genl_info *__info = (info);				\
									\
	NL_SET_ERR_MSG_ATTR(__info->extack, __info->attrs[attr], msg);	\
	-ENODEV;							\
})

/* --- messages ---------------------------------------------------------- */

static int ol2tp_nl_put_stats(struct sk_buff *msg, const struct ol2tp_stats *st)
{
	struct nlattr *nest = nla_nest_start(msg, OL2TP_ATTR_STATS);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(msg, OL2TP_ATTR_TX_PACKETS, st->tx_packets,
			      OL2TP_ATTR_STATS_PAD) ||
	    nla_put_u64_64bit(msg, OL2TP_ATTR_TX_BYTES, st->tx_bytes,
			      OL2TP_ATTR_STATS_PAD) ||
	    nla_put_u64_64bit(msg, OL2TP_ATTR_TX_ERRORS, st->tx_errors,
			      OL2TP_ATTR_STATS_PAD) ||
	    nla_put_u64_64bit(msg, OL2TP_ATTR_RX_PACKETS, st->rx_packets,
			      OL2TP_ATTR_STATS_PAD) ||
	    nla_put_u64_64bit(msg, OL2TP_ATTR_RX_BYTES, st->rx_bytes,
			      OL2TP_ATTR_STATS_PAD) ||
	    nla_put_u64_64bit(msg, OL2TP_ATTR_RX_SEQ_DISCARDS,
			      st->rx_seq_discards, OL2TP_ATTR_STATS_PAD) ||
	    nla_put_u64_64bit(msg, OL2TP_ATTR_RX_OOS_PACKETS,
			      st->rx_oos_packets, OL2TP_ATTR_STATS_PAD) ||
	    nla_put_u64_64bit(msg, OL2TP_ATTR_RX_ERRORS, st->rx_errors,
			      OL2TP_ATTR_STATS_PAD) ||
	    nla_put_u64_64bit(msg, OL2TP_ATTR_RX_COOKIE_DISCARDS,
			      st->rx_cookie_discards, OL2TP_ATTR_STATS_PAD) ||
	    nla_put_u64_64bit(msg, OL2TP_ATTR_RX_INVALID, st->rx_invalid,
			      OL2TP_ATTR_STATS_PAD)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* The tunnel socket's addresses and UDP settings. */
static int ol2tp_nl_put_sock(struct sk_buff *msg, struct ol2tp_tunnel *t)
{
	struct sock *sk = t->sk;
	struct inet_sock *inet = inet_sk(sk);

	if (ol2tp_sk_using_ipsec(sk) &&
	    nla_put_u8(msg, OL2TP_ATTR_USING_IPSEC, 1))
		return -EMSGSIZE;
	if (t->encap == OL2TP_ENCAPTYPE_UDP &&
	    (nla_put_u16(msg, OL2TP_ATTR_UDP_SPORT,
			 ntohs(READ_ONCE(inet->inet_sport))) ||
	     nla_put_u16(msg, OL2TP_ATTR_UDP_DPORT,
			 ntohs(READ_ONCE(inet->inet_dport)))))
		return -EMSGSIZE;
#if IS_ENABLED(CONFIG_IPV6)
	if (ol2tp_tunnel_is_ipv6(t)) {
		if (nla_put_in6_addr(msg, OL2TP_ATTR_IP6_SADDR,
				     &inet6_sk(sk)->saddr) ||
		    nla_put_in6_addr(msg, OL2TP_ATTR_IP6_DADDR,
				     &sk->sk_v6_daddr))
			return -EMSGSIZE;
		if (t->encap == OL2TP_ENCAPTYPE_UDP &&
		    ((udp_get_no_check6_tx(sk) &&
		      nla_put_flag(msg, OL2TP_ATTR_UDP_ZERO_CSUM6_TX)) ||
		     (udp_get_no_check6_rx(sk) &&
		      nla_put_flag(msg, OL2TP_ATTR_UDP_ZERO_CSUM6_RX))))
			return -EMSGSIZE;
		return 0;
	}
#endif
	if (nla_put_in_addr(msg, OL2TP_ATTR_IP_SADDR,
			    READ_ONCE(inet->inet_saddr)) ||
	    nla_put_in_addr(msg, OL2TP_ATTR_IP_DADDR,
			    READ_ONCE(inet->inet_daddr)))
		return -EMSGSIZE;
	if (t->encap == OL2TP_ENCAPTYPE_UDP &&
	    nla_put_u8(msg, OL2TP_ATTR_UDP_CSUM, !sk->sk_no_check_tx))
		return -EMSGSIZE;
	return 0;
}

/* The attributes of a tunnel's message. */
static int ol2tp_nl_put_tunnel(struct sk_buff *msg, struct ol2tp_tunnel *t)
{
	struct ol2tp_stats st;

	ol2tp_tunnel_stats(t, &st);
	if (nla_put_u8(msg, OL2TP_ATTR_PROTO_VERSION, t->version) ||
	    nla_put_u32(msg, OL2TP_ATTR_CONN_ID, t->tunnel_id) ||
	    nla_put_u32(msg, OL2TP_ATTR_PEER_CONN_ID, t->peer_tunnel_id) ||
	    nla_put_u32(msg, OL2TP_ATTR_DEBUG, READ_ONCE(t->debug)) ||
	    nla_put_u16(msg, OL2TP_ATTR_ENCAP_TYPE, t->encap) ||
	    ol2tp_nl_put_stats(msg, &st) ||
	    ol2tp_nl_put_sock(msg, t))
		return -EMSGSIZE;
	return 0;
}

/* The attributes of a session's message, the pseudowire's last. */
static int ol2tp_nl_put_session(struct sk_buff *msg, struct ol2tp_session *s)
{
	struct ol2tp_tunnel *t = s->tunnel;
	struct ol2tp_stats st = {};

	ol2tp_stats_fold(&st, s->stats);
	if (nla_put_u32(msg, OL2TP_ATTR_CONN_ID, t->tunnel_id) ||
	    nla_put_u32(msg, OL2TP_ATTR_SESSION_ID, s->session_id) ||
	    nla_put_u32(msg, OL2TP_ATTR_PEER_CONN_ID, t->peer_tunnel_id) ||
	    nla_put_u32(msg, OL2TP_ATTR_PEER_SESSION_ID, s->peer_session_id) ||
	    nla_put_u32(msg, OL2TP_ATTR_DEBUG, READ_ONCE(s->debug)) ||
	    nla_put_u16(msg, OL2TP_ATTR_PW_TYPE, s->pw_type) ||
	    (t->version == 3 &&
	     nla_put_u8(msg, OL2TP_ATTR_L2SPEC_TYPE, s->l2spec_type)) ||
	    (s->cookie_len &&
	     nla_put(msg, OL2TP_ATTR_COOKIE, s->cookie_len, s->cookie)) ||
	    (s->peer_cookie_len &&
	     nla_put(msg, OL2TP_ATTR_PEER_COOKIE, s->peer_cookie_len,
		     s->peer_cookie)) ||
	    nla_put_u8(msg, OL2TP_ATTR_RECV_SEQ, READ_ONCE(s->recv_seq)) ||
	    nla_put_u8(msg, OL2TP_ATTR_SEND_SEQ, READ_ONCE(s->send_seq)) ||
	    nla_put_u8(msg, OL2TP_ATTR_LNS_MODE, READ_ONCE(s->lns_mode)) ||
	    (READ_ONCE(s->reorder_timeout) &&
	     nla_put_msecs(msg, OL2TP_ATTR_RECV_TIMEOUT,
			   READ_ONCE(s->reorder_timeout), OL2TP_ATTR_PAD)) ||
	    (ol2tp_sk_using_ipsec(t->sk) &&
	     nla_put_u8(msg, OL2TP_ATTR_USING_IPSEC, 1)) ||
	    ol2tp_nl_put_stats(msg, &st))
		return -EMSGSIZE;
	if (s->pw_ops->fill_info && s->pw_ops->fill_info(msg, s))
		return -EMSGSIZE;
	return 0;
}

/* One message about session @s, or about tunnel @t when @s is NULL. */
static int ol2tp_nl_fill(struct sk_buff *msg, u32 portid, u32 seq, int flags,
			 struct ol2tp_tunnel *t, struct ol2tp_session *s,
			 u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &ol2tp_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (s ? ol2tp_nl_put_session(msg, s) : ol2tp_nl_put_tunnel(msg, t)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

/*
 * A new message about session @s, or about tunnel @t when @s is NULL, or
 * an ERR_PTR (no memory, or it does not fit).
 */
static struct sk_buff *ol2tp_nl_new_msg(struct ol2tp_tunnel *t,
					struct ol2tp_session *s,
					u32 portid, u32 seq, u8 cmd)
{
	struct sk_buff *msg;
	int err;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	err = ol2tp_nl_fill(msg, portid, seq, 0, t, s, cmd);
	if (err) {
		nlmsg_free(msg);
		return ERR_PTR(err);
	}
	return msg;
}

/* Answer a GET doit about session @s, or tunnel @t when @s is NULL. */
static int ol2tp_nl_reply(struct genl_info *info, struct ol2tp_tunnel *t,
			  struct ol2tp_session *s, u8 cmd)
{
	struct sk_buff *msg;

	msg = ol2tp_nl_new_msg(t, s, info->snd_portid, info->snd_seq, cmd);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	return genlmsg_unicast(genl_info_net(info), msg, info->snd_portid);
}

/* Tell the multicast group about an event of session @s, or tunnel @t. */
static void ol2tp_nl_notify(struct ol2tp_tunnel *t, struct ol2tp_session *s,
			    u8 cmd)
{
	struct sk_buff *msg;

	msg = ol2tp_nl_new_msg(t, s, 0, 0, cmd);
	if (IS_ERR(msg))
		return;
	genlmsg_multicast_netns(&ol2tp_nl_family, t->net, msg, 0, 0,
				GFP_KERNEL);
}

/* --- commands ---------------------------------------------------------- */

static int ol2tp_nl_noop(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ol2tp_nl_family, 0,
				OL2TP_CMD_NOOP);
	if (!hdr) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* The tunnel named by CONN_ID, with a reference, or NULL and extack set. */
static struct ol2tp_tunnel *ol2tp_nl_tunnel_get(struct genl_info *info,
						int *errp)
{
	struct ol2tp_tunnel *t;

	*errp = -EINVAL;
	if (!ol2tp_nl_require(info, OL2TP_ATTR_CONN_ID, "CONN_ID is required"))
		return NULL;
	t = ol2tp_tunnel_get(genl_info_net(info),
			     nla_get_u32(info->attrs[OL2TP_ATTR_CONN_ID]));
	if (!t)
		*errp = ol2tp_nl_none(info, OL2TP_ATTR_CONN_ID,
				      "no tunnel with this CONN_ID");
	return t;
}

/*
 * Copy the IPv6 address attribute @type to @addr; false, with extack set,
 * if it is shorter than an address.  Linux reads 16 bytes whatever the
 * attribute's length and fails the bind with EADDRNOTAVAIL; we say the same
 * without reading past the attribute.
 */
static bool ol2tp_nl_in6_addr(struct genl_info *info, int type,
			      struct in6_addr *addr)
{
	const struct nlattr *a = info->attrs[type];

	if (nla_len(a) != sizeof(*addr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "an IPv6 address is 16 bytes");
		return false;
	}
	*addr = nla_get_in6_addr(a);
	return true;
}

static int ol2tp_nl_tunnel_cfg(struct genl_info *info,
			       struct ol2tp_tunnel_cfg *cfg)
{
	struct nlattr **attrs = info->attrs;

	cfg->version = nla_get_u8(attrs[OL2TP_ATTR_PROTO_VERSION]);
	cfg->encap = nla_get_u16(attrs[OL2TP_ATTR_ENCAP_TYPE]);
	cfg->fd = -1;
	if (attrs[OL2TP_ATTR_DEBUG])
		cfg->debug = nla_get_u32(attrs[OL2TP_ATTR_DEBUG]);

	/* An FD above INT_MAX (-1 as an int) means none, as in Linux. */
	if (attrs[OL2TP_ATTR_FD] &&
	    nla_get_u32(attrs[OL2TP_ATTR_FD]) <= INT_MAX) {
		cfg->fd = nla_get_u32(attrs[OL2TP_ATTR_FD]);
		return 0;
	}

	/* Unmanaged: the kernel opens the socket from these addresses. */
	if (attrs[OL2TP_ATTR_IP6_SADDR] || attrs[OL2TP_ATTR_IP6_DADDR]) {
		if (!ol2tp_nl_require(info, OL2TP_ATTR_IP6_SADDR,
				      "IP6_SADDR is required with IP6_DADDR") ||
		    !ol2tp_nl_require(info, OL2TP_ATTR_IP6_DADDR,
				      "IP6_DADDR is required with IP6_SADDR"))
			return -EINVAL;
		if (attrs[OL2TP_ATTR_IP_SADDR] || attrs[OL2TP_ATTR_IP_DADDR]) {
			NL_SET_ERR_MSG(info->extack,
				       "give either IPv4 or IPv6 addresses, not both");
			return -EINVAL;
		}
		if (!ol2tp_nl_in6_addr(info, OL2TP_ATTR_IP6_SADDR,
				       &cfg->saddr6) ||
		    !ol2tp_nl_in6_addr(info, OL2TP_ATTR_IP6_DADDR,
				       &cfg->daddr6))
			return -EADDRNOTAVAIL;
		cfg->family = AF_INET6;
	} else {
		if (!ol2tp_nl_require(info, OL2TP_ATTR_IP_SADDR,
				      "IP_SADDR (or IP6_SADDR) is required without FD") ||
		    !ol2tp_nl_require(info, OL2TP_ATTR_IP_DADDR,
				      "IP_DADDR (or IP6_DADDR) is required without FD"))
			return -EINVAL;
		cfg->family = AF_INET;
		cfg->saddr4 = nla_get_in_addr(attrs[OL2TP_ATTR_IP_SADDR]);
		cfg->daddr4 = nla_get_in_addr(attrs[OL2TP_ATTR_IP_DADDR]);
	}
	if (attrs[OL2TP_ATTR_UDP_SPORT])
		cfg->sport = nla_get_u16(attrs[OL2TP_ATTR_UDP_SPORT]);
	if (attrs[OL2TP_ATTR_UDP_DPORT])
		cfg->dport = nla_get_u16(attrs[OL2TP_ATTR_UDP_DPORT]);
	if (attrs[OL2TP_ATTR_UDP_CSUM])
		cfg->udp_csum = nla_get_u8(attrs[OL2TP_ATTR_UDP_CSUM]);
	cfg->zero_csum6_tx = nla_get_flag(attrs[OL2TP_ATTR_UDP_ZERO_CSUM6_TX]);
	cfg->zero_csum6_rx = nla_get_flag(attrs[OL2TP_ATTR_UDP_ZERO_CSUM6_RX]);
	return 0;
}

static int ol2tp_nl_tunnel_create(struct sk_buff *skb, struct genl_info *info)
{
	struct ol2tp_tunnel_cfg cfg = {};
	struct ol2tp_tunnel *t;
	int err;

	if (!ol2tp_nl_require(info, OL2TP_ATTR_CONN_ID, "CONN_ID is required") ||
	    !ol2tp_nl_require(info, OL2TP_ATTR_PEER_CONN_ID,
			      "PEER_CONN_ID is required") ||
	    !ol2tp_nl_require(info, OL2TP_ATTR_PROTO_VERSION,
			      "PROTO_VERSION is required") ||
	    !ol2tp_nl_require(info, OL2TP_ATTR_ENCAP_TYPE,
			      "ENCAP_TYPE is required"))
		return -EINVAL;

	err = ol2tp_nl_tunnel_cfg(info, &cfg);
	if (err)
		return err;
	err = ol2tp_tunnel_create(genl_info_net(info),
				  nla_get_u32(info->attrs[OL2TP_ATTR_CONN_ID]),
				  nla_get_u32(info->attrs[OL2TP_ATTR_PEER_CONN_ID]),
				  &cfg, &t, info->extack);
	if (err)
		return err;
	ol2tp_nl_notify(t, NULL, OL2TP_CMD_TUNNEL_CREATE);
	ol2tp_tunnel_put(t);
	return 0;
}

/*
 * One GET dump entry: session @s, or tunnel @t when @s is NULL.  If it
 * fitted, @pos steps past it.
 */
static int ol2tp_nl_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
			     struct ol2tp_tunnel *t, struct ol2tp_session *s,
			     struct ol2tp_dump_pos *pos)
{
	int err;

	err = ol2tp_nl_fill(skb, NETLINK_CB(cb->skb).portid,
			    cb->nlh->nlmsg_seq, NLM_F_MULTI, t, s,
			    s ? OL2TP_CMD_SESSION_GET : OL2TP_CMD_TUNNEL_GET);
	if (!err)
		ol2tp_dump_pos_step(pos, s ? s->session_id : t->tunnel_id);
	return err;
}

/* cb->args[0], [1]: where the dump stopped (struct ol2tp_dump_pos). */
static int ol2tp_nl_tunnel_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ol2tp_dump_pos pos = { cb->args[0], cb->args[1] };
	struct net *net = sock_net(skb->sk);
	struct ol2tp_tunnel *t;

	while ((t = ol2tp_tunnel_next(net, &pos))) {
		int err = ol2tp_nl_dump_one(skb, cb, t, NULL, &pos);

		ol2tp_tunnel_put(t);
		if (err)
			break;
	}
	cb->args[0] = pos.bucket;
	cb->args[1] = pos.id;
	return skb->len;
}

/*
 * The session a request names: by IFNAME, or by CONN_ID and SESSION_ID.
 * With a reference, or NULL and extack set.
 */
static struct ol2tp_session *ol2tp_nl_session_get(struct genl_info *info,
						  int *errp)
{
	struct net *net = genl_info_net(info);
	struct ol2tp_session *s;
	struct ol2tp_tunnel *t;

	if (info->attrs[OL2TP_ATTR_IFNAME]) {
		s = ol2tp_session_get_by_ifname(net,
				nla_data(info->attrs[OL2TP_ATTR_IFNAME]));
		if (!s)
			*errp = ol2tp_nl_none(info, OL2TP_ATTR_IFNAME,
					      "no session has this IFNAME");
		return s;
	}
	*errp = -EINVAL;
	if (!ol2tp_nl_require(info, OL2TP_ATTR_SESSION_ID,
			      "SESSION_ID (with CONN_ID) or IFNAME is required"))
		return NULL;
	t = ol2tp_nl_tunnel_get(info, errp);
	if (!t)
		return NULL;
	s = ol2tp_session_get(t, nla_get_u32(info->attrs[OL2TP_ATTR_SESSION_ID]));
	ol2tp_tunnel_put(t);
	if (!s)
		*errp = ol2tp_nl_none(info, OL2TP_ATTR_SESSION_ID,
				      "no session with this SESSION_ID in the tunnel");
	return s;
}

static int ol2tp_nl_session_create(struct sk_buff *skb, struct genl_info *info)
{
	struct ol2tp_session_cfg cfg = {};
	struct nlattr **attrs = info->attrs;
	struct ol2tp_session *s;
	struct ol2tp_tunnel *t;
	int err;

	if (!ol2tp_nl_require(info, OL2TP_ATTR_CONN_ID, "CONN_ID is required") ||
	    !ol2tp_nl_require(info, OL2TP_ATTR_SESSION_ID,
			      "SESSION_ID is required") ||
	    !ol2tp_nl_require(info, OL2TP_ATTR_PEER_SESSION_ID,
			      "PEER_SESSION_ID is required") ||
	    !ol2tp_nl_require(info, OL2TP_ATTR_PW_TYPE, "PW_TYPE is required"))
		return -EINVAL;

	cfg.pw_type = nla_get_u16(attrs[OL2TP_ATTR_PW_TYPE]);
	/* Without L2SPEC_TYPE an L2TPv3 session gets the default sublayer, as
	 * in Linux: clients that leave it out expect that framing.
	 */
	cfg.l2spec_type = OL2TP_L2SPECTYPE_DEFAULT;
	if (attrs[OL2TP_ATTR_L2SPEC_TYPE])
		cfg.l2spec_type = nla_get_u8(attrs[OL2TP_ATTR_L2SPEC_TYPE]);
	if (attrs[OL2TP_ATTR_COOKIE]) {
		cfg.cookie_len = nla_len(attrs[OL2TP_ATTR_COOKIE]);
		memcpy(cfg.cookie, nla_data(attrs[OL2TP_ATTR_COOKIE]),
		       cfg.cookie_len);
	}
	if (attrs[OL2TP_ATTR_PEER_COOKIE]) {
		cfg.peer_cookie_len = nla_len(attrs[OL2TP_ATTR_PEER_COOKIE]);
		memcpy(cfg.peer_cookie, nla_data(attrs[OL2TP_ATTR_PEER_COOKIE]),
		       cfg.peer_cookie_len);
	}
	if (attrs[OL2TP_ATTR_RECV_SEQ])
		cfg.recv_seq = nla_get_u8(attrs[OL2TP_ATTR_RECV_SEQ]);
	if (attrs[OL2TP_ATTR_SEND_SEQ])
		cfg.send_seq = nla_get_u8(attrs[OL2TP_ATTR_SEND_SEQ]);
	if (attrs[OL2TP_ATTR_LNS_MODE])
		cfg.lns_mode = nla_get_u8(attrs[OL2TP_ATTR_LNS_MODE]);
	if (attrs[OL2TP_ATTR_RECV_TIMEOUT])
		cfg.reorder_timeout = nla_get_msecs(attrs[OL2TP_ATTR_RECV_TIMEOUT]);
	if (attrs[OL2TP_ATTR_DEBUG])
		cfg.debug = nla_get_u32(attrs[OL2TP_ATTR_DEBUG]);
	if (attrs[OL2TP_ATTR_IFNAME])
		nla_strscpy(cfg.ifname, attrs[OL2TP_ATTR_IFNAME], IFNAMSIZ);

	t = ol2tp_nl_tunnel_get(info, &err);
	if (!t)
		return err;
	err = ol2tp_session_create(t, nla_get_u32(attrs[OL2TP_ATTR_SESSION_ID]),
				   nla_get_u32(attrs[OL2TP_ATTR_PEER_SESSION_ID]),
				   &cfg, &s, info->extack);
	ol2tp_tunnel_put(t);
	if (err)
		return err;
	ol2tp_nl_notify(s->tunnel, s, OL2TP_CMD_SESSION_CREATE);
	ol2tp_session_put(s);
	return 0;
}

/*
 * The object a DELETE, MODIFY or GET request names: a session for the
 * SESSION_ commands, in *@sp with its tunnel in *@tp; else a tunnel, in *@tp
 * with *@sp NULL.  0 with a reference on the object (ol2tp_nl_target_put()),
 * or an error with extack set.
 */
static int ol2tp_nl_target_get(struct genl_info *info,
			       struct ol2tp_tunnel **tp,
			       struct ol2tp_session **sp)
{
	int err;

	*sp = NULL;
	switch (info->genlhdr->cmd) {
	case OL2TP_CMD_SESSION_DELETE:
	case OL2TP_CMD_SESSION_MODIFY:
	case OL2TP_CMD_SESSION_GET:
		*sp = ol2tp_nl_session_get(info, &err);
		*tp = *sp ? (*sp)->tunnel : NULL;
		break;
	default:
		*tp = ol2tp_nl_tunnel_get(info, &err);
	}
	return *tp ? 0 : err;
}

static void ol2tp_nl_target_put(struct ol2tp_tunnel *t,
				struct ol2tp_session *s)
{
	if (s)
		ol2tp_session_put(s);
	else
		ol2tp_tunnel_put(t);
}

/* A SESSION_MODIFY's sequencing attributes, applied to @s. */
static int ol2tp_nl_session_seq_set(struct genl_info *info,
				    struct ol2tp_session *s)
{
	struct nlattr **attrs = info->attrs;
	struct ol2tp_seq_cfg seq = {};

	/* Any non-zero flag is on, as in Linux; msecs as msecs_to_jiffies() takes them. */
	if (attrs[OL2TP_ATTR_RECV_SEQ]) {
		seq.set |= OL2TP_SEQ_SET_RECV;
		seq.recv_seq = !!nla_get_u8(attrs[OL2TP_ATTR_RECV_SEQ]);
	}
	if (attrs[OL2TP_ATTR_SEND_SEQ]) {
		seq.set |= OL2TP_SEQ_SET_SEND;
		seq.send_seq = !!nla_get_u8(attrs[OL2TP_ATTR_SEND_SEQ]);
	}
	if (attrs[OL2TP_ATTR_LNS_MODE]) {
		seq.set |= OL2TP_SEQ_SET_LNS;
		seq.lns_mode = !!nla_get_u8(attrs[OL2TP_ATTR_LNS_MODE]);
	}
	if (attrs[OL2TP_ATTR_RECV_TIMEOUT]) {
		seq.set |= OL2TP_SEQ_SET_TIMEOUT;
		seq.reorder_ms = (u32)nla_get_u64(attrs[OL2TP_ATTR_RECV_TIMEOUT]);
	}
	return ol2tp_seq_set(s, &seq);
}

/* TUNNEL_MODIFY sets DEBUG only; SESSION_MODIFY also sequencing. */
static int ol2tp_nl_modify(struct genl_info *info, struct ol2tp_tunnel *t,
			   struct ol2tp_session *s)
{
	struct nlattr *debug = info->attrs[OL2TP_ATTR_DEBUG];

	if (debug)
		WRITE_ONCE(*(s ? &s->debug : &t->debug), nla_get_u32(debug));
	return s ? ol2tp_nl_session_seq_set(info, s) : 0;
}

/*
 * DELETE, MODIFY and GET (without DUMP) of a tunnel or a session: the
 * object the request names, then the command.  A DELETE's event goes out
 * before the object goes; a MODIFY's when the whole request took.
 */
static int ol2tp_nl_object_doit(struct sk_buff *skb, struct genl_info *info)
{
	u8 cmd = info->genlhdr->cmd;
	struct ol2tp_session *s;
	struct ol2tp_tunnel *t;
	int err;

	err = ol2tp_nl_target_get(info, &t, &s);
	if (err)
		return err;
	switch (cmd) {
	case OL2TP_CMD_TUNNEL_DELETE:
	case OL2TP_CMD_SESSION_DELETE:
		ol2tp_nl_notify(t, s, cmd);
		if (s)
			ol2tp_session_delete(s);
		else
			ol2tp_tunnel_delete(t);
		break;
	case OL2TP_CMD_TUNNEL_MODIFY:
	case OL2TP_CMD_SESSION_MODIFY:
		err = ol2tp_nl_modify(info, t, s);
		if (!err)
			ol2tp_nl_notify(t, s, cmd);
		break;
	default:
		err = ol2tp_nl_reply(info, t, s, cmd);
	}
	ol2tp_nl_target_put(t, s);
	return err;
}

/*
 * cb->args[0], [1]: the tunnel the dump is in, [2], [3]: where it stopped in
 * that tunnel's sessions (struct ol2tp_dump_pos each).
 */
static int ol2tp_nl_session_dump(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct ol2tp_dump_pos tpos = { cb->args[0], cb->args[1] };
	struct ol2tp_dump_pos spos = { cb->args[2], cb->args[3] };
	struct net *net = sock_net(skb->sk);
	struct ol2tp_session *s;
	struct ol2tp_tunnel *t;
	int err = 0;

	while (!err && (t = ol2tp_tunnel_next(net, &tpos))) {
		/* The tunnel the dump stopped in is gone: start this one. */
		if (tpos.bucket != cb->args[0] || tpos.id != cb->args[1])
			spos = (struct ol2tp_dump_pos){};
		while ((s = ol2tp_session_next(t, &spos))) {
			err = ol2tp_nl_dump_one(skb, cb, t, s, &spos);
			ol2tp_session_put(s);
			if (err)
				break;
		}
		if (!err) {
			ol2tp_dump_pos_step(&tpos, t->tunnel_id);
			spos = (struct ol2tp_dump_pos){};
		}
		ol2tp_tunnel_put(t);
	}
	cb->args[0] = tpos.bucket;
	cb->args[1] = tpos.id;
	cb->args[2] = spos.bucket;
	cb->args[3] = spos.id;
	return skb->len;
}

static const struct genl_small_ops ol2tp_nl_ops[] = {
	{
		.cmd = OL2TP_CMD_NOOP,
		.doit = ol2tp_nl_noop,
		/* Anyone may check that the family is alive. */
	},
	{
		.cmd = OL2TP_CMD_TUNNEL_CREATE,
		.doit = ol2tp_nl_tunnel_create,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OL2TP_CMD_TUNNEL_DELETE,
		.doit = ol2tp_nl_object_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OL2TP_CMD_TUNNEL_MODIFY,
		.doit = ol2tp_nl_object_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OL2TP_CMD_TUNNEL_GET,
		.doit = ol2tp_nl_object_doit,
		.dumpit = ol2tp_nl_tunnel_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OL2TP_CMD_SESSION_CREATE,
		.doit = ol2tp_nl_session_create,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OL2TP_CMD_SESSION_DELETE,
		.doit = ol2tp_nl_object_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OL2TP_CMD_SESSION_MODIFY,
		.doit = ol2tp_nl_object_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = OL2TP_CMD_SESSION_GET,
		.doit = ol2tp_nl_object_doit,
		.dumpit = ol2tp_nl_session_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

/*
 * Events carry what GET does (cookies, ids, addresses): listening needs
 * CAP_NET_ADMIN in the user namespace owning the netns, as GET does, unless
 * the module was loaded with linux_perms=1 (ol2tp_netlink_init()).
 */
static struct genl_multicast_group ol2tp_nl_mcgrps[] __ro_after_init = {
	{ .name = OL2TP_GENL_MCGROUP, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static struct genl_family ol2tp_nl_family __ro_after_init = {
	.name = OL2TP_GENL_NAME,
	.version = OL2TP_GENL_VERSION,
	.hdrsize = 0,
	.maxattr = OL2TP_ATTR_MAX,
	.policy = ol2tp_nl_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = ol2tp_nl_ops,
	.n_small_ops = ARRAY_SIZE(ol2tp_nl_ops),
	/* Strict validation of the header's reserved field for new ops. */
	.resv_start_op = OL2TP_CMD_SESSION_GET + 1,
	.mcgrps = ol2tp_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(ol2tp_nl_mcgrps),
};

int __init ol2tp_netlink_init(void)
{
	if (ol2tp_linux_perms())
		ol2tp_nl_mcgrps[0].flags &= ~GENL_MCAST_CAP_NET_ADMIN;
	return genl_register_family(&ol2tp_nl_family);
}

void ol2tp_netlink_uninit(void)
{
	genl_unregister_family(&ol2tp_nl_family);
}

MODULE_ALIAS_GENL_FAMILY(OL2TP_GENL_NAME);
