/* SPDX-License-Identifier: GPL-2.0 */
/* Private to userspace/lib: the handle and the request machinery. */
#ifndef OL2TP_NL_INTERNAL_H
#define OL2TP_NL_INTERNAL_H

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "ol2tp-nl.h"

struct ol2tp_nl {
	struct nl_sock *sk;
	int family;		/* generic netlink id of "l2tp" */
	unsigned int version;
	unsigned int maxattr;
	int mcgrp;		/* id of multicast group "l2tp", or -1 */
};

/* Called per reply message of a request or dump; non-zero stops. */
typedef int (*ol2tp_reply_fn)(struct nl_msg *msg, void *arg);

/* A new request of @cmd with @flags (NLM_F_DUMP or 0); NULL on ENOMEM. */
struct nl_msg *ol2tp_nl_msg(struct ol2tp_nl *nl, uint8_t cmd, int flags);

/*
 * Send @msg (consumed), call @fn for each reply, wait for the ACK (or the
 * end of a dump).  Returns 0, the first non-zero @fn result, or -errno.
 */
int ol2tp_nl_request(struct ol2tp_nl *nl, struct nl_msg *msg,
		     ol2tp_reply_fn fn, void *arg, struct ol2tp_nl_err *err);

/* Set @err to @code with a printf-style message of our own. */
int ol2tp_err_set(struct ol2tp_nl_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* -errno for a libnl error code (nl_recvmsgs and friends). */
int ol2tp_nl_errno(int nlerr);

int ol2tp_stats_parse(struct nlattr *nest, struct ol2tp_nl_stats *st);

/*
 * An integer attribute (u8 to u64, host order) of a struct ol2tp_nl_tunnel or
 * ol2tp_nl_session: its type, and where and how wide its field is.
 */
struct ol2tp_field {
	int attr;
	size_t off;
	size_t size;
};

#define OL2TP_FIELD(type, member, attr) \
	{ (attr), offsetof(type, member), sizeof(((type *)0)->member) }

/* Put each field of @obj whose attribute's bit is in @has; 0 or libnl's < 0. */
int ol2tp_fields_put(struct nl_msg *msg, const void *obj, uint64_t has,
		     const struct ol2tp_field *f, size_t n);
/* Read each field present in @tb (validated by a policy) into @obj. */
void ol2tp_fields_get(struct nlattr *const *tb, void *obj,
		      const struct ol2tp_field *f, size_t n);

#endif /* OL2TP_NL_INTERNAL_H */
