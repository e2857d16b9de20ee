// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of userspace/lib without a kernel: what ol2tp_*_put() encodes,
 * ol2tp_*_parse() decodes to the same struct; malformed attributes are
 * refused; extended ACKs (capped or not) yield the kernel's message and the
 * attribute it blamed.  TAP output.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "ol2tp-nl.h"

#include "../tests/tap.h"


static struct nl_msg *new_msg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, 1, 1, 0x20, 0, 0, cmd, 1)) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	return msg;
}

static void test_tunnel(int family)
{
	struct ol2tp_nl_tunnel t, u;
	struct nl_msg *msg = new_msg(OL2TP_CMD_TUNNEL_GET);
	char what[80];

	memset(&t, 0, sizeof(t));
	t.conn_id = 4000000000u;
	t.peer_conn_id = 7;
	t.proto_version = 3;
	t.encap_type = OL2TP_ENCAPTYPE_UDP;
	t.debug = 0xff;
	t.local.family = t.remote.family = family;
	if (family == AF_INET) {
		inet_pton(AF_INET, "192.0.2.1", &t.local.v4);
		inet_pton(AF_INET, "198.51.100.2", &t.remote.v4);
		ol2tp_nl_set(&t, OL2TP_ATTR_IP_SADDR);
		ol2tp_nl_set(&t, OL2TP_ATTR_IP_DADDR);
	} else {
		inet_pton(AF_INET6, "2001:db8::1", &t.local.v6);
		inet_pton(AF_INET6, "2001:db8::2", &t.remote.v6);
		ol2tp_nl_set(&t, OL2TP_ATTR_IP6_SADDR);
		ol2tp_nl_set(&t, OL2TP_ATTR_IP6_DADDR);
		t.udp_zero_csum6_tx = true;
		ol2tp_nl_set(&t, OL2TP_ATTR_UDP_ZERO_CSUM6_TX);
	}
	t.udp_sport = 1701;
	t.udp_dport = 65535;
	t.udp_csum = 1;
	ol2tp_nl_set(&t, OL2TP_ATTR_CONN_ID);
	ol2tp_nl_set(&t, OL2TP_ATTR_PEER_CONN_ID);
	ol2tp_nl_set(&t, OL2TP_ATTR_PROTO_VERSION);
	ol2tp_nl_set(&t, OL2TP_ATTR_ENCAP_TYPE);
	ol2tp_nl_set(&t, OL2TP_ATTR_DEBUG);
	ol2tp_nl_set(&t, OL2TP_ATTR_UDP_SPORT);
	ol2tp_nl_set(&t, OL2TP_ATTR_UDP_DPORT);
	ol2tp_nl_set(&t, OL2TP_ATTR_UDP_CSUM);

	snprintf(what, sizeof(what), "tunnel (%s) encodes",
		 family == AF_INET ? "IPv4" : "IPv6");
	ok(ol2tp_nl_tunnel_put(msg, &t) == 0, "%s", what);
	snprintf(what, sizeof(what), "tunnel (%s) decodes",
		 family == AF_INET ? "IPv4" : "IPv6");
	ok(ol2tp_nl_tunnel_parse(msg, &u) == 0, "%s", what);
	snprintf(what, sizeof(what), "tunnel (%s) round trip is exact",
		 family == AF_INET ? "IPv4" : "IPv6");
	ok(!memcmp(&t, &u, sizeof(t)), "%s", what);
	nlmsg_free(msg);
}

static void test_session(void)
{
	struct ol2tp_nl_session s, u;
	struct nl_msg *msg = new_msg(OL2TP_CMD_SESSION_GET);
	struct nlattr *nest;
	int i;

	memset(&s, 0, sizeof(s));
	s.conn_id = 1;
	s.peer_conn_id = 2;
	s.session_id = 0xffffffff;
	s.peer_session_id = 4;
	s.pw_type = OL2TP_PWTYPE_ETH;
	s.l2spec_type = OL2TP_L2SPECTYPE_DEFAULT;
	s.l2spec_len = 4;
	strcpy(s.ifname, "l2tpeth12345678");
	s.cookie_len = 4;
	memcpy(s.cookie, "\x01\x02\x03\x04", 4);
	s.peer_cookie_len = 8;
	memcpy(s.peer_cookie, "\xde\xad\xbe\xef\x00\x11\x22\x33", 8);
	s.recv_seq = 1;
	s.send_seq = 1;
	s.lns_mode = 1;
	s.recv_timeout = 123456789012ull;
	s.debug = 3;
	s.mtu = 1400;
	s.mru = 1400;
	for (i = 1; i <= OL2TP_ATTR_MAX; i++)
		if (i != OL2TP_ATTR_USING_IPSEC && i != OL2TP_ATTR_STATS &&
		    (i <= OL2TP_ATTR_PEER_SESSION_ID || i == OL2TP_ATTR_COOKIE ||
		     i == OL2TP_ATTR_PEER_COOKIE || i == OL2TP_ATTR_RECV_SEQ ||
		     i == OL2TP_ATTR_SEND_SEQ || i == OL2TP_ATTR_LNS_MODE ||
		     i == OL2TP_ATTR_RECV_TIMEOUT || i == OL2TP_ATTR_DEBUG ||
		     i == OL2TP_ATTR_MTU || i == OL2TP_ATTR_MRU) &&
		    i != OL2TP_ATTR_OFFSET && i != OL2TP_ATTR_DATA_SEQ &&
		    i != OL2TP_ATTR_ENCAP_TYPE && i != OL2TP_ATTR_PROTO_VERSION &&
		    i != OL2TP_ATTR_UDP_CSUM && i != OL2TP_ATTR_VLAN_ID)
			ol2tp_nl_set(&s, i);

	ok(ol2tp_nl_session_put(msg, &s) == 0, "session encodes");
	/* what a GET reply adds: the flag and the counters */
	nla_put_flag(msg, OL2TP_ATTR_USING_IPSEC);
	nest = nla_nest_start(msg, OL2TP_ATTR_STATS);
	nla_put_u64(msg, OL2TP_ATTR_TX_PACKETS, 10);
	nla_put_u64(msg, OL2TP_ATTR_RX_COOKIE_DISCARDS, 1ull << 40);
	nla_nest_end(msg, nest);
	s.using_ipsec = true;
	ol2tp_nl_set(&s, OL2TP_ATTR_USING_IPSEC);
	ol2tp_nl_set(&s, OL2TP_ATTR_STATS);
	s.stats.has = OL2TP_BIT(OL2TP_ATTR_TX_PACKETS) |
		      OL2TP_BIT(OL2TP_ATTR_RX_COOKIE_DISCARDS);
	s.stats.v[OL2TP_ATTR_TX_PACKETS] = 10;
	s.stats.v[OL2TP_ATTR_RX_COOKIE_DISCARDS] = 1ull << 40;

	ok(ol2tp_nl_session_parse(msg, &u) == 0, "session decodes");
	ok(!memcmp(&s, &u, sizeof(s)), "session round trip is exact");
	ok(u.stats.v[OL2TP_ATTR_RX_COOKIE_DISCARDS] == 1ull << 40,
	   "64-bit counters survive");
	nlmsg_free(msg);
}

static void test_malformed(void)
{
	struct ol2tp_nl_session s;
	struct ol2tp_nl_tunnel t;
	struct nl_msg *msg;
	uint8_t nine[9] = { 0 };

	msg = new_msg(OL2TP_CMD_SESSION_GET);
	nla_put_u16(msg, OL2TP_ATTR_SESSION_ID, 5);
	ok(ol2tp_nl_session_parse(msg, &s) < 0, "a 2-byte SESSION_ID is refused");
	nlmsg_free(msg);

	msg = new_msg(OL2TP_CMD_SESSION_GET);
	nla_put(msg, OL2TP_ATTR_COOKIE, sizeof(nine), nine);
	ok(ol2tp_nl_session_parse(msg, &s) < 0, "a 9-byte COOKIE is refused");
	nlmsg_free(msg);

	msg = new_msg(OL2TP_CMD_SESSION_GET);
	nla_put(msg, OL2TP_ATTR_IFNAME, 3, "abc");
	ok(ol2tp_nl_session_parse(msg, &s) < 0,
	   "an unterminated IFNAME is refused");
	nlmsg_free(msg);

	msg = new_msg(OL2TP_CMD_TUNNEL_GET);
	nla_put(msg, OL2TP_ATTR_IP6_SADDR, 4, nine);
	ok(ol2tp_nl_tunnel_parse(msg, &t) < 0, "a 4-byte IP6_SADDR is refused");
	nlmsg_free(msg);

	msg = new_msg(OL2TP_CMD_TUNNEL_GET);
	nla_put_u32(msg, OL2TP_ATTR_CONN_ID, 9);
	nla_put_u32(msg, OL2TP_ATTR_MAX + 5, 1);
	ok(ol2tp_nl_tunnel_parse(msg, &t) == 0 && t.conn_id == 9,
	   "an attribute newer than ours is ignored");
	nlmsg_free(msg);
}

/* Build the NLMSG_ERROR a kernel sends for @req with extended ACK TLVs. */
static size_t make_ack(char *buf, size_t size, const struct nlmsghdr *req,
		       int error, int capped, const char *text, int offs,
		       int miss)
{
	struct nlmsghdr *h = (void *)buf;
	struct nlmsgerr *e;
	struct nlattr *a;
	size_t off, reqlen = capped ? NLMSG_HDRLEN : req->nlmsg_len;

	memset(buf, 0, size);
	h->nlmsg_type = NLMSG_ERROR;
	h->nlmsg_flags = NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0);
	e = NLMSG_DATA(h);
	e->error = error;
	memcpy(&e->msg, req, reqlen);
	off = NLMSG_HDRLEN + sizeof(*e) - NLMSG_HDRLEN + NLMSG_ALIGN(reqlen);
	a = (void *)(buf + off);
	a->nla_type = NLMSGERR_ATTR_MSG;
	a->nla_len = NLA_HDRLEN + strlen(text) + 1;
	strcpy((char *)a + NLA_HDRLEN, text);
	off += NLA_ALIGN(a->nla_len);
	if (offs >= 0) {
		a = (void *)(buf + off);
		a->nla_type = NLMSGERR_ATTR_OFFS;
		a->nla_len = NLA_HDRLEN + 4;
		memcpy((char *)a + NLA_HDRLEN, &offs, 4);
		off += NLA_ALIGN(a->nla_len);
	}
	if (miss >= 0) {
		a = (void *)(buf + off);
		a->nla_type = NLMSGERR_ATTR_MISS_TYPE;
		a->nla_len = NLA_HDRLEN + 4;
		memcpy((char *)a + NLA_HDRLEN, &miss, 4);
		off += NLA_ALIGN(a->nla_len);
	}
	h->nlmsg_len = off;
	return off;
}

static void test_extack(void)
{
	struct ol2tp_nl_session s = { .conn_id = 1, .session_id = 2,
				   .cookie_len = 4 };
	struct nl_msg *msg = new_msg(OL2TP_CMD_SESSION_CREATE);
	struct nlmsghdr *req;
	struct ol2tp_nl_err err;
	struct nlattr *cookie;
	char buf[1024];
	int offs;

	ol2tp_nl_set(&s, OL2TP_ATTR_CONN_ID);
	ol2tp_nl_set(&s, OL2TP_ATTR_SESSION_ID);
	ol2tp_nl_set(&s, OL2TP_ATTR_COOKIE);
	ol2tp_nl_session_put(msg, &s);
	req = nlmsg_hdr(msg);
	cookie = nlmsg_find_attr(req, GENL_HDRLEN, OL2TP_ATTR_COOKIE);
	offs = (char *)cookie - (char *)req;

	make_ack(buf, sizeof(buf), req, -22, 1, "bad cookie\n", offs, -1);
	memset(&err, 0, sizeof(err));
	ol2tp_nl_err_from_nlmsgerr(buf, req, &err);
	ok(err.code == -22, "capped ack: errno");
	ok(!strcmp(err.msg, "bad cookie"), "capped ack: message, newline cut");
	ok(err.attr == OL2TP_ATTR_COOKIE, "capped ack: offset names COOKIE");

	make_ack(buf, sizeof(buf), req, -17, 0, "exists", -1,
		 OL2TP_ATTR_PEER_SESSION_ID);
	memset(&err, 0, sizeof(err));
	ol2tp_nl_err_from_nlmsgerr(buf, req, &err);
	ok(err.code == -17 && !strcmp(err.msg, "exists"),
	   "uncapped ack: message after the echoed request");
	ok(err.attr == OL2TP_ATTR_PEER_SESSION_ID,
	   "uncapped ack: missing attribute type");

	make_ack(buf, sizeof(buf), req, -22, 1, "x", 100000, -1);
	memset(&err, 0, sizeof(err));
	ol2tp_nl_err_from_nlmsgerr(buf, req, &err);
	ok(err.attr == 0, "an offset past the request names nothing");

	make_ack(buf, sizeof(buf), req, 0, 1, "deprecated", -1, -1);
	memset(&err, 0, sizeof(err));
	ol2tp_nl_err_from_nlmsgerr(buf, req, &err);
	ok(err.code == 0 && !strcmp(err.warning, "deprecated") && !err.msg[0],
	   "a message on a successful ack is a warning");
	nlmsg_free(msg);
}

static void test_names(void)
{
	ok(!strcmp(ol2tp_attr_name(OL2TP_ATTR_PEER_COOKIE), "PEER_COOKIE"),
	   "attribute names");
	ok(!strcmp(ol2tp_stat_name(OL2TP_ATTR_RX_INVALID), "rx_invalid"),
	   "counter names");
	ok(ol2tp_attr_name(OL2TP_ATTR_MAX + 1) == NULL &&
	   ol2tp_attr_name(-1) == NULL, "unknown attributes have no name");
}

int main(void)
{
	tap_start();
	test_tunnel(AF_INET);
	test_tunnel(AF_INET6);
	test_session();
	test_malformed();
	test_extack();
	test_names();
	return tap_done();
}
