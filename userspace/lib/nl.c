// SPDX-License-Identifier: GPL-2.0
/*
 * The handle: a libnl generic netlink socket bound to the family "l2tp",
 * requests that wait for the kernel's ACK, and the extended ACK decoded
 * into struct ol2tp_nl_err.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <netlink/genl/ctrl.h>

#include "nl-internal.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Big enough for a burst of events or a dump of many sessions. */
#define OL2TP_NL_RCVBUF		(1 << 20)

#define LOAD_HINT \
	"load ol2tp ('make load', or 'insmod build/$(uname -r)/ol2tp.ko') " \
	"or Linux's L2TP ('modprobe l2tp_netlink l2tp_eth')"

int ol2tp_err_set(struct ol2tp_nl_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->code = code;
		err->attr = 0;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

int ol2tp_nl_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case 0:
		return 0;
	case NLE_INTR:
	case NLE_DUMP_INTR:
		return -EINTR;
	case NLE_BAD_SOCK:
		return -EBADF;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_NOMEM:
		/* libnl reports a receive buffer overrun as NLE_NOMEM */
		return errno == ENOBUFS ? -ENOBUFS : -ENOMEM;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:
		return -EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_NODEV:
		return -ENODEV;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_PERM:
		return -EPERM;
	case NLE_PROTO_MISMATCH:
		return -EPROTONOSUPPORT;
	default:
		return -EPROTO;
	}
}

static void copy_str(char *dst, size_t size, const struct nlattr *a)
{
	size_t n = nla_len(a);
	const char *s = nla_data(a);

	if (n >= size)
		n = size - 1;
	n = strnlen(s, n);
	memcpy(dst, s, n);
	dst[n] = '\0';
}

void ol2tp_nl_err_from_nlmsgerr(const void *nlh, const void *req,
				struct ol2tp_nl_err *err)
{
	const struct nlmsghdr *h = nlh;
	const struct nlmsghdr *rq = req;
	const struct nlmsgerr *e;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off, len;
	char *msg;

	if (!err || h->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
		return;
	e = NLMSG_DATA(h);
	err->code = e->error;
	err->attr = 0;
	msg = e->error ? err->msg : err->warning;
	msg[0] = '\0';
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;

	/* The TLVs follow the request's header, or all of it if not capped. */
	off = NLMSG_HDRLEN + sizeof(*e);
	if (!(h->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return;
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	}
	if (off >= h->nlmsg_len)
		return;
	len = h->nlmsg_len - off;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)h + off), len, NULL) < 0)
		return;

	if (tb[NLMSGERR_ATTR_MSG]) {
		copy_str(msg, OL2TP_ERRMSG_MAX, tb[NLMSGERR_ATTR_MSG]);
		/* kernel messages may end in a newline */
		len = strlen(msg);
		if (len && msg[len - 1] == '\n')
			msg[len - 1] = '\0';
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) >= 4)
		err->attr = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) >= 4 &&
	    rq) {
		uint32_t o = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);

		if (o >= NLMSG_HDRLEN + GENL_HDRLEN &&
		    (uint64_t)o + NLA_HDRLEN <= rq->nlmsg_len) {
			const struct nlattr *a = (const void *)((char *)rq + o);

			err->attr = a->nla_type & NLA_TYPE_MASK;
		}
	}
}

struct req_ctx {
	uint32_t seq;
	struct nlmsghdr *req;
	ol2tp_reply_fn fn;
	void *arg;
	int fn_ret;
	bool done;
	int code;
	struct ol2tp_nl_err *err;
	struct ol2tp_nl_err scratch;
};

static int on_seq_check(struct nl_msg *msg, void *arg)
{
	struct req_ctx *ctx = arg;

	/* A late answer to an earlier, abandoned request: not ours. */
	return nlmsg_hdr(msg)->nlmsg_seq == ctx->seq ? NL_OK : NL_SKIP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct req_ctx *ctx = arg;

	if (ctx->fn && !ctx->fn_ret)
		ctx->fn_ret = ctx->fn(msg, ctx->arg);
	return NL_OK;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct req_ctx *ctx = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);

	/* A dump that failed half way ends with the error in NLMSG_DONE. */
	if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		int e = *(int *)nlmsg_data(h);

		if (e < 0)
			ctx->code = e;
	}
	ctx->done = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct req_ctx *ctx = arg;

	ol2tp_nl_err_from_nlmsgerr(nlmsg_hdr(msg), ctx->req, ctx->err);
	ctx->done = true;
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct req_ctx *ctx = arg;
	const struct nlmsghdr *h = (const void *)((char *)e - NLMSG_HDRLEN);

	(void)nla;
	ol2tp_nl_err_from_nlmsgerr(h, ctx->req, ctx->err);
	ctx->code = e->error;
	ctx->done = true;
	return NL_STOP;
}

static int do_request(struct nl_sock *sk, struct nl_msg *msg,
		      ol2tp_reply_fn fn, void *arg, struct ol2tp_nl_err *err)
{
	struct req_ctx ctx = { .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int rc;

	ctx.err = err ? err : &ctx.scratch;
	memset(ctx.err, 0, sizeof(*ctx.err));

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return ol2tp_err_set(err, -ENOMEM, "out of memory");
	}
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq_check, &ctx);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &ctx);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &ctx);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &ctx);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &ctx);

	rc = nl_send_auto(sk, msg);
	if (rc < 0) {
		rc = ol2tp_err_set(err, ol2tp_nl_errno(rc),
				   "cannot send to the kernel: %s",
				   nl_geterror(rc));
		goto out;
	}
	ctx.req = nlmsg_hdr(msg);
	ctx.seq = ctx.req->nlmsg_seq;

	while (!ctx.done) {
		rc = nl_recvmsgs(sk, cb);
		if (rc < 0 && !ctx.done) {
			rc = ol2tp_err_set(err, ol2tp_nl_errno(rc),
					   "cannot receive from the kernel: %s",
					   nl_geterror(rc));
			goto out;
		}
	}
	if (ctx.code < 0) {
		rc = ctx.code;
		ctx.err->code = rc;
	} else {
		rc = ctx.fn_ret;
	}
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	return rc;
}

struct nl_msg *ol2tp_nl_msg(struct ol2tp_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 flags | (flags & NLM_F_DUMP ? 0 : NLM_F_ACK), cmd,
			 OL2TP_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int ol2tp_nl_request(struct ol2tp_nl *nl, struct nl_msg *msg,
		     ol2tp_reply_fn fn, void *arg, struct ol2tp_nl_err *err)
{
	return do_request(nl->sk, msg, fn, arg, err);
}

/* --- resolving the family --------------------------------------------- */

static int parse_family(struct nl_msg *msg, void *arg)
{
	struct ol2tp_nl *nl = arg;
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct nlattr *grp, *gtb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	int rem;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTRL_ATTR_MAX, NULL) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_ID] || nla_len(tb[CTRL_ATTR_FAMILY_ID]) < 2)
		return -EPROTO;
	nl->family = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION] && nla_len(tb[CTRL_ATTR_VERSION]) >= 4)
		nl->version = nla_get_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_MAXATTR] && nla_len(tb[CTRL_ATTR_MAXATTR]) >= 4)
		nl->maxattr = nla_get_u32(tb[CTRL_ATTR_MAXATTR]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return 0;
	nla_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS], rem) {
		if (nla_parse_nested(gtb, CTRL_ATTR_MCAST_GRP_MAX, grp,
				     NULL) < 0 ||
		    !gtb[CTRL_ATTR_MCAST_GRP_NAME] ||
		    !gtb[CTRL_ATTR_MCAST_GRP_ID] ||
		    nla_len(gtb[CTRL_ATTR_MCAST_GRP_ID]) < 4)
			continue;
		if (!strncmp(nla_data(gtb[CTRL_ATTR_MCAST_GRP_NAME]),
			     OL2TP_GENL_MCGROUP,
			     nla_len(gtb[CTRL_ATTR_MCAST_GRP_NAME])))
			nl->mcgrp = nla_get_u32(gtb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

static int resolve_family(struct ol2tp_nl *nl, struct ol2tp_nl_err *err)
{
	struct nl_msg *msg = nlmsg_alloc();
	int rc;

	if (!msg ||
	    !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0,
			 NLM_F_ACK, CTRL_CMD_GETFAMILY, 1) ||
	    nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, OL2TP_GENL_NAME) < 0) {
		nlmsg_free(msg);
		return ol2tp_err_set(err, -ENOMEM, "out of memory");
	}
	nl->family = -1;
	rc = do_request(nl->sk, msg, parse_family, nl, err);
	if (rc == -ENOENT || (!rc && nl->family < 0))
		return ol2tp_err_set(err, -ENOENT,
				     "the kernel has no generic netlink family \"%s\": "
				     LOAD_HINT, OL2TP_GENL_NAME);
	if (rc == -EPROTO)
		return ol2tp_err_set(err, rc,
				     "malformed answer from the generic netlink controller");
	if (rc < 0)
		return rc;
	if (nl->version != OL2TP_GENL_VERSION || nl->mcgrp < 0 ||
	    nl->maxattr < OL2TP_ATTR_UDP_ZERO_CSUM6_RX)
		return ol2tp_err_set(err, -EPROTO,
				     "generic netlink family \"%s\" is not the L2TP family this tool speaks (version %u, %u attributes, %s multicast group \"%s\"): another module owns the name; unload it and "
				     LOAD_HINT, OL2TP_GENL_NAME, nl->version,
				     nl->maxattr, nl->mcgrp < 0 ? "no" : "has",
				     OL2TP_GENL_MCGROUP);
	return 0;
}

int ol2tp_nl_open(struct ol2tp_nl **nlp, struct ol2tp_nl_err *err)
{
	struct ol2tp_nl *nl;
	int one = 1, rc;

	*nlp = NULL;
	if (err)
		memset(err, 0, sizeof(*err));
	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return ol2tp_err_set(err, -ENOMEM, "out of memory");
	nl->mcgrp = -1;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		rc = ol2tp_err_set(err, -ENOMEM, "out of memory");
		goto free_nl;
	}
	rc = genl_connect(nl->sk);
	if (rc < 0) {
		rc = ol2tp_err_set(err, ol2tp_nl_errno(rc),
				   "cannot open a generic netlink socket: %s",
				   nl_geterror(rc));
		goto free_sock;
	}
	nl_socket_disable_auto_ack(nl->sk);
	nl_socket_disable_seq_check(nl->sk);
	nl_socket_enable_msg_peek(nl->sk);
	nl_socket_set_buffer_size(nl->sk, OL2TP_NL_RCVBUF, 0);
	/* Best effort: old kernels have no extended ACK. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));

	rc = resolve_family(nl, err);
	if (rc < 0)
		goto free_sock;
	*nlp = nl;
	return 0;

free_sock:
	nl_socket_free(nl->sk);
free_nl:
	free(nl);
	return rc;
}

void ol2tp_nl_close(struct ol2tp_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

/* --- integer fields ---------------------------------------------------- */

int ol2tp_fields_put(struct nl_msg *msg, const void *obj, uint64_t has,
		     const struct ol2tp_field *f, size_t n)
{
	const char *p = obj;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (!(has & OL2TP_BIT(f[i].attr)))
			continue;
		rc = nla_put(msg, f[i].attr, f[i].size, p + f[i].off);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void ol2tp_fields_get(struct nlattr *const *tb, void *obj,
		      const struct ol2tp_field *f, size_t n)
{
	char *p = obj;
	size_t i;

	for (i = 0; i < n; i++)
		if (tb[f[i].attr])
			memcpy(p + f[i].off, nla_data(tb[f[i].attr]),
			       f[i].size);
}

/* --- names ------------------------------------------------------------- */

static const char *const attr_names[] = {
	[OL2TP_ATTR_PW_TYPE] = "PW_TYPE",
	[OL2TP_ATTR_ENCAP_TYPE] = "ENCAP_TYPE",
	[OL2TP_ATTR_OFFSET] = "OFFSET",
	[OL2TP_ATTR_DATA_SEQ] = "DATA_SEQ",
	[OL2TP_ATTR_L2SPEC_TYPE] = "L2SPEC_TYPE",
	[OL2TP_ATTR_L2SPEC_LEN] = "L2SPEC_LEN",
	[OL2TP_ATTR_PROTO_VERSION] = "PROTO_VERSION",
	[OL2TP_ATTR_IFNAME] = "IFNAME",
	[OL2TP_ATTR_CONN_ID] = "CONN_ID",
	[OL2TP_ATTR_PEER_CONN_ID] = "PEER_CONN_ID",
	[OL2TP_ATTR_SESSION_ID] = "SESSION_ID",
	[OL2TP_ATTR_PEER_SESSION_ID] = "PEER_SESSION_ID",
	[OL2TP_ATTR_UDP_CSUM] = "UDP_CSUM",
	[OL2TP_ATTR_VLAN_ID] = "VLAN_ID",
	[OL2TP_ATTR_COOKIE] = "COOKIE",
	[OL2TP_ATTR_PEER_COOKIE] = "PEER_COOKIE",
	[OL2TP_ATTR_DEBUG] = "DEBUG",
	[OL2TP_ATTR_RECV_SEQ] = "RECV_SEQ",
	[OL2TP_ATTR_SEND_SEQ] = "SEND_SEQ",
	[OL2TP_ATTR_LNS_MODE] = "LNS_MODE",
	[OL2TP_ATTR_USING_IPSEC] = "USING_IPSEC",
	[OL2TP_ATTR_RECV_TIMEOUT] = "RECV_TIMEOUT",
	[OL2TP_ATTR_FD] = "FD",
	[OL2TP_ATTR_IP_SADDR] = "IP_SADDR",
	[OL2TP_ATTR_IP_DADDR] = "IP_DADDR",
	[OL2TP_ATTR_UDP_SPORT] = "UDP_SPORT",
	[OL2TP_ATTR_UDP_DPORT] = "UDP_DPORT",
	[OL2TP_ATTR_MTU] = "MTU",
	[OL2TP_ATTR_MRU] = "MRU",
	[OL2TP_ATTR_STATS] = "STATS",
	[OL2TP_ATTR_IP6_SADDR] = "IP6_SADDR",
	[OL2TP_ATTR_IP6_DADDR] = "IP6_DADDR",
	[OL2TP_ATTR_UDP_ZERO_CSUM6_TX] = "UDP_ZERO_CSUM6_TX",
	[OL2TP_ATTR_UDP_ZERO_CSUM6_RX] = "UDP_ZERO_CSUM6_RX",
	[OL2TP_ATTR_PAD] = "PAD",
};

static const char *const stat_names[] = {
	[OL2TP_ATTR_TX_PACKETS] = "tx_packets",
	[OL2TP_ATTR_TX_BYTES] = "tx_bytes",
	[OL2TP_ATTR_TX_ERRORS] = "tx_errors",
	[OL2TP_ATTR_RX_PACKETS] = "rx_packets",
	[OL2TP_ATTR_RX_BYTES] = "rx_bytes",
	[OL2TP_ATTR_RX_SEQ_DISCARDS] = "rx_seq_discards",
	[OL2TP_ATTR_RX_OOS_PACKETS] = "rx_oos_packets",
	[OL2TP_ATTR_RX_ERRORS] = "rx_errors",
	[OL2TP_ATTR_RX_COOKIE_DISCARDS] = "rx_cookie_discards",
	[OL2TP_ATTR_RX_INVALID] = "rx_invalid",
};

static const char *const cmd_names[] = {
	[OL2TP_CMD_NOOP] = "NOOP",
	[OL2TP_CMD_TUNNEL_CREATE] = "TUNNEL_CREATE",
	[OL2TP_CMD_TUNNEL_DELETE] = "TUNNEL_DELETE",
	[OL2TP_CMD_TUNNEL_MODIFY] = "TUNNEL_MODIFY",
	[OL2TP_CMD_TUNNEL_GET] = "TUNNEL_GET",
	[OL2TP_CMD_SESSION_CREATE] = "SESSION_CREATE",
	[OL2TP_CMD_SESSION_DELETE] = "SESSION_DELETE",
	[OL2TP_CMD_SESSION_MODIFY] = "SESSION_MODIFY",
	[OL2TP_CMD_SESSION_GET] = "SESSION_GET",
};

#define NAME_OF(table, i) \
	((i) >= 0 && (size_t)(i) < sizeof(table) / sizeof(table[0]) ? \
	 table[i] : NULL)

const char *ol2tp_attr_name(int attr)
{
	return NAME_OF(attr_names, attr);
}

const char *ol2tp_stat_name(int stat)
{
	return NAME_OF(stat_names, stat);
}

const char *ol2tp_cmd_name(int cmd)
{
	return NAME_OF(cmd_names, cmd);
}
