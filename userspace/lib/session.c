// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions: struct ol2tp_nl_session to and from attributes, and the
 * commands.
 */
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

#define SFIELD(member, attr) OL2TP_FIELD(struct ol2tp_nl_session, member, attr)
static const struct ol2tp_field session_fields[] = {
	SFIELD(conn_id, OL2TP_ATTR_CONN_ID),
	SFIELD(peer_conn_id, OL2TP_ATTR_PEER_CONN_ID),
	SFIELD(session_id, OL2TP_ATTR_SESSION_ID),
	SFIELD(peer_session_id, OL2TP_ATTR_PEER_SESSION_ID),
	SFIELD(pw_type, OL2TP_ATTR_PW_TYPE),
	SFIELD(l2spec_type, OL2TP_ATTR_L2SPEC_TYPE),
	SFIELD(l2spec_len, OL2TP_ATTR_L2SPEC_LEN),
	SFIELD(recv_seq, OL2TP_ATTR_RECV_SEQ),
	SFIELD(send_seq, OL2TP_ATTR_SEND_SEQ),
	SFIELD(lns_mode, OL2TP_ATTR_LNS_MODE),
	SFIELD(recv_timeout, OL2TP_ATTR_RECV_TIMEOUT),
	SFIELD(debug, OL2TP_ATTR_DEBUG),
	SFIELD(mtu, OL2TP_ATTR_MTU),
	SFIELD(mru, OL2TP_ATTR_MRU),
};
#undef SFIELD

#define N_SESSION_FIELDS (sizeof(session_fields) / sizeof(session_fields[0]))

int ol2tp_nl_session_put(struct nl_msg *msg, const struct ol2tp_nl_session *s)
{
	int rc;

	rc = ol2tp_fields_put(msg, s, s->has, session_fields, N_SESSION_FIELDS);
	if (!rc && ol2tp_nl_has(s, OL2TP_ATTR_IFNAME))
		rc = nla_put_string(msg, OL2TP_ATTR_IFNAME, s->ifname);
	if (!rc && ol2tp_nl_has(s, OL2TP_ATTR_COOKIE))
		rc = nla_put(msg, OL2TP_ATTR_COOKIE, s->cookie_len, s->cookie);
	if (!rc && ol2tp_nl_has(s, OL2TP_ATTR_PEER_COOKIE))
		rc = nla_put(msg, OL2TP_ATTR_PEER_COOKIE, s->peer_cookie_len,
			     s->peer_cookie);
	return rc < 0 ? -EMSGSIZE : 0;
}

static void get_cookie(const struct nlattr *a, uint8_t *buf, uint8_t *len)
{
	*len = nla_len(a);
	memcpy(buf, nla_data(a), *len);
}

int ol2tp_nl_session_parse(struct nl_msg *msg, struct ol2tp_nl_session *s)
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

	ol2tp_fields_get(tb, s, session_fields, N_SESSION_FIELDS);
	if (tb[OL2TP_ATTR_IFNAME])
		nla_strlcpy(s->ifname, tb[OL2TP_ATTR_IFNAME],
			    sizeof(s->ifname));
	if (tb[OL2TP_ATTR_COOKIE])
		get_cookie(tb[OL2TP_ATTR_COOKIE], s->cookie, &s->cookie_len);
	if (tb[OL2TP_ATTR_PEER_COOKIE])
		get_cookie(tb[OL2TP_ATTR_PEER_COOKIE], s->peer_cookie,
			   &s->peer_cookie_len);
	s->using_ipsec = tb[OL2TP_ATTR_USING_IPSEC];
	if (tb[OL2TP_ATTR_STATS] &&
	    ol2tp_stats_parse(tb[OL2TP_ATTR_STATS], &s->stats) < 0)
		return -EPROTO;
	return 0;
}

static int send_session(struct ol2tp_nl *nl, uint8_t cmd,
			const struct ol2tp_nl_session *s,
			struct ol2tp_nl_err *err)
{
	struct nl_msg *msg = ol2tp_nl_msg(nl, cmd, 0);

	if (!msg || ol2tp_nl_session_put(msg, s) < 0) {
		nlmsg_free(msg);
		return ol2tp_err_set(err, -ENOMEM,
				     "cannot build the request (out of memory)");
	}
	return ol2tp_nl_request(nl, msg, NULL, NULL, err);
}

int ol2tp_nl_session_create(struct ol2tp_nl *nl,
			    const struct ol2tp_nl_session *s,
			 struct ol2tp_nl_err *err)
{
	return send_session(nl, OL2TP_CMD_SESSION_CREATE, s, err);
}

int ol2tp_nl_session_modify(struct ol2tp_nl *nl,
			    const struct ol2tp_nl_session *s,
			 struct ol2tp_nl_err *err)
{
	return send_session(nl, OL2TP_CMD_SESSION_MODIFY, s, err);
}

int ol2tp_nl_session_delete(struct ol2tp_nl *nl, uint32_t conn_id,
			    uint32_t session_id, struct ol2tp_nl_err *err)
{
	struct ol2tp_nl_session s = { .conn_id = conn_id,
				   .session_id = session_id };

	ol2tp_nl_set(&s, OL2TP_ATTR_CONN_ID);
	ol2tp_nl_set(&s, OL2TP_ATTR_SESSION_ID);
	return send_session(nl, OL2TP_CMD_SESSION_DELETE, &s, err);
}

struct session_walk {
	ol2tp_nl_session_fn fn;
	void *arg;
	struct ol2tp_nl_session *out;
	int found;
};

static int session_reply(struct nl_msg *msg, void *arg)
{
	struct session_walk *w = arg;
	struct ol2tp_nl_session s;

	if (ol2tp_nl_session_parse(msg, &s) < 0)
		return -EPROTO;
	w->found++;
	if (w->out) {
		*w->out = s;
		return 0;
	}
	return w->fn(&s, w->arg);
}

static int get_session(struct ol2tp_nl *nl, const struct ol2tp_nl_session *key,
		       struct ol2tp_nl_session *out, struct ol2tp_nl_err *err)
{
	struct session_walk w = { .out = out };
	struct nl_msg *msg = ol2tp_nl_msg(nl, OL2TP_CMD_SESSION_GET, 0);
	int rc;

	if (!msg || ol2tp_nl_session_put(msg, key) < 0) {
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

int ol2tp_nl_session_get(struct ol2tp_nl *nl, uint32_t conn_id,
			 uint32_t session_id, struct ol2tp_nl_session *out,
			 struct ol2tp_nl_err *err)
{
	struct ol2tp_nl_session key = { .conn_id = conn_id,
				     .session_id = session_id };

	ol2tp_nl_set(&key, OL2TP_ATTR_CONN_ID);
	ol2tp_nl_set(&key, OL2TP_ATTR_SESSION_ID);
	return get_session(nl, &key, out, err);
}

int ol2tp_nl_session_get_by_ifname(struct ol2tp_nl *nl, const char *ifname,
				   struct ol2tp_nl_session *out,
				   struct ol2tp_nl_err *err)
{
	struct ol2tp_nl_session key = { 0 };

	if (strlen(ifname) >= sizeof(key.ifname))
		return ol2tp_err_set(err, -EINVAL,
				     "interface name \"%s\" is too long", ifname);
	strcpy(key.ifname, ifname);
	ol2tp_nl_set(&key, OL2TP_ATTR_IFNAME);
	return get_session(nl, &key, out, err);
}

int ol2tp_nl_session_dump(struct ol2tp_nl *nl, ol2tp_nl_session_fn fn,
			  void *arg,
		       struct ol2tp_nl_err *err)
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
