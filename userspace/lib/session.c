// SPDX-License-Identifier: GPL-2.0
/* Sessions: struct ol2tp_session to and from attributes, and the commands. */
#include <errno.h>
#include <string.h>

#include "nl-internal.h"

static struct nla_policy session_policy[OL2TP_ATTR_MAX + 1] = {
	[OL2TP_ATTR_CONN_ID] = { .type = NLA_U32 },
	[OL2TP_ATTR_PEER_CONN_ID] = { .type = NLA_U32 },
	[OL2TP_ATTR_SESSION_ID] = { .type = NLA_U32 },
	[OL2TP_ATTR_PEER_SESSION_ID] = { .type = NLA_U32 },
	[OL2TP_ATTR_PW_TYPE] = { .type = NLA_U16 },
	[OL2TP_ATTR_L2SPEC_TYPE] = { .type = NLA_U8 },
	[OL2TP_ATTR_L2SPEC_LEN] = { .type = NLA_U8 },
	[OL2TP_ATTR_IFNAME] = { .type = NLA_STRING, .maxlen = IFNAMSIZ },
	[OL2TP_ATTR_COOKIE] = { .maxlen = OL2TP_COOKIE_MAX },
	[OL2TP_ATTR_PEER_COOKIE] = { .maxlen = OL2TP_COOKIE_MAX },
	[OL2TP_ATTR_RECV_SEQ] = { .type = NLA_U8 },
	[OL2TP_ATTR_SEND_SEQ] = { .type = NLA_U8 },
	[OL2TP_ATTR_LNS_MODE] = { .type = NLA_U8 },
	[OL2TP_ATTR_RECV_TIMEOUT] = { .type = NLA_U64 },
	[OL2TP_ATTR_DEBUG] = { .type = NLA_U32 },
	[OL2TP_ATTR_MTU] = { .type = NLA_U16 },
	[OL2TP_ATTR_MRU] = { .type = NLA_U16 },
	[OL2TP_ATTR_USING_IPSEC] = { .type = NLA_FLAG },
	[OL2TP_ATTR_STATS] = { .type = NLA_NESTED },
};

/* Attributes a session message may carry (the policy above, with cookies). */
static bool session_attr(int i)
{
	return session_policy[i].type != NLA_UNSPEC ||
	       session_policy[i].maxlen;
}

int ol2tp_session_put(struct nl_msg *msg, const struct ol2tp_session *s)
{
	int rc = 0;

#define PUT(attr, call) \
	do { \
		if (!rc && ol2tp_has(s, attr)) \
			rc = (call); \
	} while (0)
	PUT(OL2TP_ATTR_CONN_ID, nla_put_u32(msg, OL2TP_ATTR_CONN_ID, s->conn_id));
	PUT(OL2TP_ATTR_PEER_CONN_ID,
	    nla_put_u32(msg, OL2TP_ATTR_PEER_CONN_ID, s->peer_conn_id));
	PUT(OL2TP_ATTR_SESSION_ID,
	    nla_put_u32(msg, OL2TP_ATTR_SESSION_ID, s->session_id));
	PUT(OL2TP_ATTR_PEER_SESSION_ID,
	    nla_put_u32(msg, OL2TP_ATTR_PEER_SESSION_ID, s->peer_session_id));
	PUT(OL2TP_ATTR_PW_TYPE, nla_put_u16(msg, OL2TP_ATTR_PW_TYPE, s->pw_type));
	PUT(OL2TP_ATTR_L2SPEC_TYPE,
	    nla_put_u8(msg, OL2TP_ATTR_L2SPEC_TYPE, s->l2spec_type));
	PUT(OL2TP_ATTR_L2SPEC_LEN,
	    nla_put_u8(msg, OL2TP_ATTR_L2SPEC_LEN, s->l2spec_len));
	PUT(OL2TP_ATTR_IFNAME,
	    nla_put_string(msg, OL2TP_ATTR_IFNAME, s->ifname));
	PUT(OL2TP_ATTR_COOKIE,
	    nla_put(msg, OL2TP_ATTR_COOKIE, s->cookie_len, s->cookie));
	PUT(OL2TP_ATTR_PEER_COOKIE,
	    nla_put(msg, OL2TP_ATTR_PEER_COOKIE, s->peer_cookie_len,
		    s->peer_cookie));
	PUT(OL2TP_ATTR_RECV_SEQ,
	    nla_put_u8(msg, OL2TP_ATTR_RECV_SEQ, s->recv_seq));
	PUT(OL2TP_ATTR_SEND_SEQ,
	    nla_put_u8(msg, OL2TP_ATTR_SEND_SEQ, s->send_seq));
	PUT(OL2TP_ATTR_LNS_MODE,
	    nla_put_u8(msg, OL2TP_ATTR_LNS_MODE, s->lns_mode));
	PUT(OL2TP_ATTR_RECV_TIMEOUT,
	    nla_put_u64(msg, OL2TP_ATTR_RECV_TIMEOUT, s->recv_timeout));
	PUT(OL2TP_ATTR_DEBUG, nla_put_u32(msg, OL2TP_ATTR_DEBUG, s->debug));
	PUT(OL2TP_ATTR_MTU, nla_put_u16(msg, OL2TP_ATTR_MTU, s->mtu));
	PUT(OL2TP_ATTR_MRU, nla_put_u16(msg, OL2TP_ATTR_MRU, s->mru));
#undef PUT
	return rc < 0 ? -EMSGSIZE : 0;
}

static void get_cookie(const struct nlattr *a, uint8_t *buf, uint8_t *len)
{
	*len = nla_len(a);
	memcpy(buf, nla_data(a), *len);
}

int ol2tp_session_parse(struct nl_msg *msg, struct ol2tp_session *s)
{
	struct nlattr *tb[OL2TP_ATTR_MAX + 1];
	int i;

	memset(s, 0, sizeof(*s));
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, OL2TP_ATTR_MAX,
			  session_policy) < 0)
		return -EPROTO;
	for (i = 1; i <= OL2TP_ATTR_MAX; i++)
		if (tb[i] && session_attr(i))
			s->has |= OL2TP_BIT(i);

	if (tb[OL2TP_ATTR_CONN_ID])
		s->conn_id = nla_get_u32(tb[OL2TP_ATTR_CONN_ID]);
	if (tb[OL2TP_ATTR_PEER_CONN_ID])
		s->peer_conn_id = nla_get_u32(tb[OL2TP_ATTR_PEER_CONN_ID]);
	if (tb[OL2TP_ATTR_SESSION_ID])
		s->session_id = nla_get_u32(tb[OL2TP_ATTR_SESSION_ID]);
	if (tb[OL2TP_ATTR_PEER_SESSION_ID])
		s->peer_session_id = nla_get_u32(tb[OL2TP_ATTR_PEER_SESSION_ID]);
	if (tb[OL2TP_ATTR_PW_TYPE])
		s->pw_type = nla_get_u16(tb[OL2TP_ATTR_PW_TYPE]);
	if (tb[OL2TP_ATTR_L2SPEC_TYPE])
		s->l2spec_type = nla_get_u8(tb[OL2TP_ATTR_L2SPEC_TYPE]);
	if (tb[OL2TP_ATTR_L2SPEC_LEN])
		s->l2spec_len = nla_get_u8(tb[OL2TP_ATTR_L2SPEC_LEN]);
	if (tb[OL2TP_ATTR_IFNAME])
		nla_strlcpy(s->ifname, tb[OL2TP_ATTR_IFNAME],
			    sizeof(s->ifname));
	if (tb[OL2TP_ATTR_COOKIE])
		get_cookie(tb[OL2TP_ATTR_COOKIE], s->cookie, &s->cookie_len);
	if (tb[OL2TP_ATTR_PEER_COOKIE])
		get_cookie(tb[OL2TP_ATTR_PEER_COOKIE], s->peer_cookie,
			   &s->peer_cookie_len);
	if (tb[OL2TP_ATTR_RECV_SEQ])
		s->recv_seq = nla_get_u8(tb[OL2TP_ATTR_RECV_SEQ]);
	if (tb[OL2TP_ATTR_SEND_SEQ])
		s->send_seq = nla_get_u8(tb[OL2TP_ATTR_SEND_SEQ]);
	if (tb[OL2TP_ATTR_LNS_MODE])
		s->lns_mode = nla_get_u8(tb[OL2TP_ATTR_LNS_MODE]);
	if (tb[OL2TP_ATTR_RECV_TIMEOUT])
		s->recv_timeout = nla_get_u64(tb[OL2TP_ATTR_RECV_TIMEOUT]);
	if (tb[OL2TP_ATTR_DEBUG])
		s->debug = nla_get_u32(tb[OL2TP_ATTR_DEBUG]);
	if (tb[OL2TP_ATTR_MTU])
		s->mtu = nla_get_u16(tb[OL2TP_ATTR_MTU]);
	if (tb[OL2TP_ATTR_MRU])
		s->mru = nla_get_u16(tb[OL2TP_ATTR_MRU]);
	s->using_ipsec = tb[OL2TP_ATTR_USING_IPSEC];
	if (tb[OL2TP_ATTR_STATS] &&
	    ol2tp_stats_parse(tb[OL2TP_ATTR_STATS], &s->stats) < 0)
		return -EPROTO;
	return 0;
}

static int send_session(struct ol2tp_nl *nl, uint8_t cmd,
			const struct ol2tp_session *s, struct ol2tp_err *err)
{
	struct nl_msg *msg = ol2tp_nl_msg(nl, cmd, 0);

	if (!msg || ol2tp_session_put(msg, s) < 0) {
		nlmsg_free(msg);
		return ol2tp_err_set(err, -ENOMEM,
				     "cannot build the request (out of memory)");
	}
	return ol2tp_nl_request(nl, msg, NULL, NULL, err);
}

int ol2tp_session_create(struct ol2tp_nl *nl, const struct ol2tp_session *s,
			 struct ol2tp_err *err)
{
	return send_session(nl, OL2TP_CMD_SESSION_CREATE, s, err);
}

int ol2tp_session_modify(struct ol2tp_nl *nl, const struct ol2tp_session *s,
			 struct ol2tp_err *err)
{
	return send_session(nl, OL2TP_CMD_SESSION_MODIFY, s, err);
}

int ol2tp_session_delete(struct ol2tp_nl *nl, uint32_t conn_id,
			 uint32_t session_id, struct ol2tp_err *err)
{
	struct ol2tp_session s = { .conn_id = conn_id,
				   .session_id = session_id };

	ol2tp_set(&s, OL2TP_ATTR_CONN_ID);
	ol2tp_set(&s, OL2TP_ATTR_SESSION_ID);
	return send_session(nl, OL2TP_CMD_SESSION_DELETE, &s, err);
}

struct session_walk {
	ol2tp_session_fn fn;
	void *arg;
	struct ol2tp_session *out;
	int found;
};

static int session_reply(struct nl_msg *msg, void *arg)
{
	struct session_walk *w = arg;
	struct ol2tp_session s;

	if (ol2tp_session_parse(msg, &s) < 0)
		return -EPROTO;
	w->found++;
	if (w->out) {
		*w->out = s;
		return 0;
	}
	return w->fn(&s, w->arg);
}

static int get_session(struct ol2tp_nl *nl, const struct ol2tp_session *key,
		       struct ol2tp_session *out, struct ol2tp_err *err)
{
	struct session_walk w = { .out = out };
	struct nl_msg *msg = ol2tp_nl_msg(nl, OL2TP_CMD_SESSION_GET, 0);
	int rc;

	if (!msg || ol2tp_session_put(msg, key) < 0) {
		nlmsg_free(msg);
		return ol2tp_err_set(err, -ENOMEM, "out of memory");
	}
	rc = ol2tp_nl_request(nl, msg, session_reply, &w, err);
	if (rc == -EPROTO)
		return ol2tp_err_set(err, rc,
				     "the kernel's answer did not parse as a session");
	if (!rc && !w.found)
		return ol2tp_err_set(err, -ENOENT,
				     "the kernel acknowledged but sent no session");
	return rc;
}

int ol2tp_session_get(struct ol2tp_nl *nl, uint32_t conn_id,
		      uint32_t session_id, struct ol2tp_session *out,
		      struct ol2tp_err *err)
{
	struct ol2tp_session key = { .conn_id = conn_id,
				     .session_id = session_id };

	ol2tp_set(&key, OL2TP_ATTR_CONN_ID);
	ol2tp_set(&key, OL2TP_ATTR_SESSION_ID);
	return get_session(nl, &key, out, err);
}

int ol2tp_session_get_by_ifname(struct ol2tp_nl *nl, const char *ifname,
				struct ol2tp_session *out,
				struct ol2tp_err *err)
{
	struct ol2tp_session key = { 0 };

	if (strlen(ifname) >= sizeof(key.ifname))
		return ol2tp_err_set(err, -EINVAL,
				     "interface name \"%s\" is too long", ifname);
	strcpy(key.ifname, ifname);
	ol2tp_set(&key, OL2TP_ATTR_IFNAME);
	return get_session(nl, &key, out, err);
}

int ol2tp_session_dump(struct ol2tp_nl *nl, ol2tp_session_fn fn, void *arg,
		       struct ol2tp_err *err)
{
	struct session_walk w = { .fn = fn, .arg = arg };
	struct nl_msg *msg = ol2tp_nl_msg(nl, OL2TP_CMD_SESSION_GET,
					  NLM_F_DUMP);
	int rc;

	if (!msg)
		return ol2tp_err_set(err, -ENOMEM, "out of memory");
	rc = ol2tp_nl_request(nl, msg, session_reply, &w, err);
	if (rc == -EPROTO)
		return ol2tp_err_set(err, rc,
				     "the kernel's answer did not parse as a session");
	return rc;
}
