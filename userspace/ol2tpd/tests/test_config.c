// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the ol2tpd.conf parser (config.c): a complete file parses
 * to the expected values, [global] protocol settings are inherited by the
 * peers after it, and every kind of mistake is refused with the file, the
 * line and what is wrong.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <syslog.h>

#include "../config.h"
#include "../../tests/tap.h"

static const char full[] =
	"# ol2tpd.conf example\n"
	"[global]\n"
	"host-name = lcce-a\n"
	"router-id = 10.0.0.1\n"
	"listen = 0.0.0.0, [::]:1701, ip\n"
	"control-socket = /run/test.sock\n"
	"log-level = debug\n"
	"log = syslog\n"
	"hello = 30\n"
	"retries = 7\n"
	"receive-window = 8\n"
	"\n"
	"[peer lns1]\n"
	"address = 192.0.2.2\n"
	"secret = \"s3cret with \\\"quotes\\\" # not a comment\"\n"
	"digest = sha1\n"
	"challenge = yes\n"
	"hide = on\n"
	"encap = ip\n"
	"initiate = no\n"
	"reconnect = 5\n"
	"hello = 500ms   # overrides the global one\n"
	"\n"
	"[peer old]\n"
	"address = [2001:db8::2]:1702\n"
	"version = 2\n"
	"secret = v2\n"
	"ipsec = yes\n"
	"path-mtu-discovery = yes\n"
	"\n"
	"[pseudowire vc100]\n"
	"peer = lns1\n"
	"type = ethernet\n"
	"remote-end-id = vc-100\n"
	"cookie = 8\n"
	"sequencing = yes\n"
	"interface = l2tpeth7\n"
	"\n"
	"[pseudowire dial]\n"
	"peer = old\n"
	"type = ppp\n"
	"call = outgoing\n"
	"initiate = no\n"
	"lns = yes\n"
	"pppd-options = \"require-chap name lns\"\n"
	"\n"
	"[static fixed]\n"
	"local = 10.0.0.1:1703\n"
	"remote = 10.0.0.2:1702\n"
	"tunnel-id = 100\n"
	"peer-tunnel-id = 200\n"
	"session-id = 1000\n"
	"peer-session-id = 2000\n"
	"send-cookie = 0123456789abcdef\n"
	"receive-cookie = cafef00d\n"
	"l2spec = none\n"
	"interface = fixed0\n";

static void test_full(void)
{
	struct conf c;
	char err[512] = "";
	int rc = conf_parse(&c, "test.conf", full, err, sizeof(err));
	const struct sockaddr_in6 *s6;
	const struct sockaddr_in *s4;

	ok(rc == 0, "complete example parses (%s)", err);
	if (rc)
		return;
	ok(!strcmp(c.host_name, "lcce-a") && c.router_id == 0x0a000001 &&
	   !strcmp(c.control_socket, "/run/test.sock") &&
	   c.log_level == LOG_DEBUG && c.log_syslog && c.port == 1701,
	   "[global]: host name, router id, socket, logging, default port");
	s6 = (const void *)&c.listen[1].ss;
	ok(c.n_listen == 2 && c.listen[0].ss.ss_family == AF_INET &&
	   s6->sin6_family == AF_INET6 && ntohs(s6->sin6_port) == 1701 &&
	   c.listen_ip, "listen: IPv4 any, IPv6 any with port, and L2TP/IP");
	ok(c.n_peers == 2 && !strcmp(c.peers[0].name, "lns1") &&
	   c.peers[0].eng.digest &&
	   c.peers[0].eng.digest_type == L2TP_DIGEST_HMAC_SHA1 &&
	   c.peers[0].eng.challenge && c.peers[0].eng.hide &&
	   c.peers[0].eng.ip_encap && !c.peers[0].initiate &&
	   c.peers[0].reconnect_ms == 5000,
	   "[peer lns1]: digest, challenge, hide, encap, initiate, reconnect");
	ok(c.peers[0].eng.secret_len == 36 &&
	   !memcmp(c.peers[0].eng.secret,
		   "s3cret with \"quotes\" # not a comment", 36),
	   "quoted value keeps escaped quotes and a #");
	ok(c.peers[0].eng.hello_ms == 500 && c.peers[1].eng.hello_ms == 30000 &&
	   c.peers[1].eng.rd.max_retries == 7 && c.peers[1].eng.rd.rwin == 8,
	   "peers inherit [global] hello, retries, window; 500ms overrides");
	ok(c.peers[1].ipsec && !c.peers[0].ipsec,
	   "ipsec = yes on one peer, off by default");
	ok(c.peers[1].pmtud && !c.peers[0].pmtud,
	   "path-mtu-discovery = yes on one peer, off by default");
	s6 = (const void *)&c.peers[1].addr.ss;
	s4 = (const void *)&c.peers[0].addr.ss;
	ok(s6->sin6_family == AF_INET6 && ntohs(s6->sin6_port) == 1702 &&
	   s4->sin_family == AF_INET && s4->sin_port == 0 &&
	   c.peers[1].eng.version == 2,
	   "peer addresses: IPv6 with port, IPv4 without (default later)");
	ok(c.n_pws == 2 && c.pws[0].peer == 0 && c.pws[0].pw_type == L2TP_PW_ETH &&
	   c.pws[0].end_id_len == 6 && !memcmp(c.pws[0].end_id, "vc-100", 6) &&
	   c.pws[0].cookie_len == 8 && c.pws[0].sequencing &&
	   !strcmp(c.pws[0].ifname, "l2tpeth7") && c.pws[0].initiate &&
	   c.pws[0].call == CONF_CALL_INCOMING,
	   "[pseudowire vc100]: ethernet, end id, cookie, sequencing, interface");
	ok(c.pws[1].peer == 1 && c.pws[1].pw_type == L2TP_PW_PPP &&
	   c.pws[1].call == CONF_CALL_OUTGOING && !c.pws[1].initiate &&
	   c.pws[1].lns && !strcmp(c.pws[1].pppd_options, "require-chap name lns"),
	   "[pseudowire dial]: ppp, outgoing, accepted only, lns, pppd options");
	{
		const struct conf_static *st = &c.statics[0];
		const struct sockaddr_in *r = (const void *)&st->remote.ss;

		ok(c.n_statics == 1 && !strcmp(st->name, "fixed") &&
		   st->tunnel_id == 100 && st->peer_tunnel_id == 200 &&
		   st->session_id == 1000 && st->peer_session_id == 2000 &&
		   ntohs(r->sin_port) == 1702 && st->send_cookie.len == 8 &&
		   st->send_cookie.b[0] == 0x01 && st->send_cookie.b[7] == 0xef &&
		   st->recv_cookie.len == 4 && st->recv_cookie.b[0] == 0xca &&
		   st->l2spec == L2TP_L2SPEC_NONE &&
		   !strcmp(st->ifname, "fixed0"),
		   "[static fixed]: addresses, ids, hex cookies, sublayer, interface");
	}
	{
		struct sockaddr_in6 from = { .sin6_family = AF_INET6 };

		inet_pton(AF_INET6, "2001:db8::2", &from.sin6_addr);
		from.sin6_port = htons(4000);
		ok(conf_find_peer(&c, (void *)&from, 2) == 1 &&
		   conf_find_peer(&c, (void *)&from, 3) == -1,
		   "peer found by address (any port) and version");
	}
	conf_free(&c);
}

/* When a static tunnel and the listener do not collide. */
static void test_static_ports(void)
{
	static const char *const fine[] = {
		/* No peer: ol2tpd does not listen, the port is free. */
		"[static s]\nlocal = 10.0.0.1\nremote = 10.0.0.2\ntunnel-id = 5\n"
		"peer-tunnel-id = 1\nsession-id = 1\npeer-session-id = 1\n",
		/* Another port. */
		"[peer a]\naddress = 1.2.3.4\n"
		"[static s]\nlocal = 10.0.0.1:1702\nremote = 10.0.0.2\ntunnel-id = 5\n"
		"peer-tunnel-id = 1\nsession-id = 1\npeer-session-id = 1\n",
		/* Listening on another address. */
		"[global]\nlisten = 10.0.0.9\n[peer a]\naddress = 1.2.3.4\n"
		"[static s]\nlocal = 10.0.0.1\nremote = 10.0.0.2\ntunnel-id = 5\n"
		"peer-tunnel-id = 1\nsession-id = 1\npeer-session-id = 1\n",
		/* The other family (the default listener is IPv4 only). */
		"[peer a]\naddress = 1.2.3.4\n"
		"[static s]\nlocal = ::1\nremote = ::2\ntunnel-id = 5\n"
		"peer-tunnel-id = 1\nsession-id = 1\npeer-session-id = 1\n",
		/* IP encapsulation has no port. */
		"[peer a]\naddress = 1.2.3.4\n"
		"[static s]\nencap = ip\nlocal = 10.0.0.1\nremote = 10.0.0.2\ntunnel-id = 5\n"
		"peer-tunnel-id = 1\nsession-id = 1\npeer-session-id = 1\n",
	};
	static const char *const what[] = {
		"no peer: a static tunnel may have the default port",
		"a static tunnel on another port than the listener's",
		"a static tunnel on an address the listener does not take",
		"an IPv6 static tunnel beside the IPv4 listener",
		"an IP-encapsulated static tunnel beside the listener",
	};
	char err[512];
	struct conf c;

	for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
		int rc;

		err[0] = 0;
		rc = conf_parse(&c, "test.conf", fine[i], err, sizeof(err));
		ok(rc == 0, "accepted: %s", what[i]);
		if (rc)
			diag("got: %s", err);
		else
			conf_free(&c);
	}
}

struct bad {
	const char *text;
	const char *want;	/* substring of the error */
};

static void test_errors(void)
{
	static const struct bad cases[] = {
		{ "hello = 3\n", "test.conf:1: \"hello\" outside of a section" },
		{ "[global]\nfoo = 1\n", "test.conf:2: unknown key \"foo\" in [global]" },
		{ "[globl]\n", "unknown section [globl]" },
		{ "[peer]\n", "[peer] needs a name" },
		{ "[peer a b]\n", "needs a name" },
		{ "[peer x]\naddress = 1.2.3.4\n[peer x]\naddress=1.1.1.1\n",
		  "test.conf:3: peer \"x\" defined twice (line 1)" },
		{ "[peer x]\naddress = 1.2.3\n", "test.conf:2: address: invalid address \"1.2.3\"" },
		{ "[peer x]\naddress = 1.2.3.4:70000\n", "invalid address" },
		{ "[peer x]\n", "test.conf:1: peer \"x\": no address" },
		{ "[peer x]\naddress = 1.2.3.4\ndigest = md5\n", "digest needs a secret" },
		{ "[peer x]\naddress = 1.2.3.4\ndigest = md4\n", "digest: invalid digest \"md4\" (none, md5 or sha1)" },
		{ "[peer x]\naddress = 1.2.3.4\nversion = 2\nencap = ip\n", "encap ip is L2TPv3 only" },
		{ "[peer x]\naddress = 1.2.3.4\nversion = 4\n", "version: invalid version \"4\" (2 or 3)" },
		{ "[peer x]\naddress = 1.2.3.4\nretransmit-cap = 4\n", "at least 8 seconds" },
		{ "[peer x]\naddress = 1.2.3.4\nreceive-window = 0\n", "1 to 64" },
		{ "[peer x]\naddress = 1.2.3.4\nhello = -1\n", "invalid duration" },
		{ "[peer x]\naddress = 1.2.3.4\nsecret = \"abc\n", "missing closing quote" },
		{ "[peer x]\naddress = 1.2.3.4\nsecret = \"abc\" def\n", "text after the closing quote" },
		{ "[global]\nsecret = x\n", "secret belongs in a [peer] section" },
		{ "[pseudowire p]\ntype = ethernet\n", "pseudowire \"p\": no peer" },
		{ "[pseudowire p]\npeer = nobody\n", "no peer named \"nobody\"" },
		{ "[peer a]\naddress = 1.2.3.4\n[pseudowire p]\ntype = ethernet\n"
		  "peer = nobody\n", "test.conf:5: pseudowire \"p\": no peer named \"nobody\"" },
		{ "[peer a]\naddress = 1.2.3.4\n[pseudowire p]\npeer = a\nmtu = 20\n",
		  "test.conf:5: mtu: invalid MTU \"20\" (68 to 65535)" },
		{ "[peer a]\naddress = 1.2.3.4\n[pseudowire p]\npeer = a\nup = pw-up\n",
		  "an absolute path" },
		{ "[peer a]\naddress = 1.2.3.4\n[pseudowire p]\npeer = a\n"
		  "type = ppp\nbridge = br0\n", "mtu and bridge are for ethernet pseudowires" },
		{ "[peer v2]\naddress = 1.2.3.4\nversion = 2\n[pseudowire p]\npeer = v2\n",
		  "test.conf:4: pseudowire \"p\": L2TPv2 carries PPP only" },
		{ "[peer a]\naddress = 1.2.3.4\n[pseudowire p]\npeer = a\ncookie = 6\n",
		  "cookie length" },
		{ "[peer a]\naddress = 1.2.3.4\n[pseudowire p]\npeer = a\nsequencing = yes\nl2spec = none\n",
		  "sequencing needs l2spec = default" },
		{ "[peer a]\naddress = 1.2.3.4\n[pseudowire p]\npeer = a\ntype = ppp\ninterface = x\n",
		  "interface is for ethernet" },
		{ "[peer a]\naddress = 1.2.3.4\n[pseudowire p]\npeer = a\ninterface = a/b\n",
		  "interface name" },
		{ "[global]\nlog-level = loud\n", "err, warning, notice, info or debug" },
		{ "[global]\nrouter-id = 1.2.3.4.5\n", "invalid router id" },
		{ "[global]\nhost-name =\n", "host-name: empty value" },
		{ "[global]\njust words\n", "expected \"key = value\" or [section]" },
		{ "[global] extra\n", "text after ]" },
		{ "[static s]\nlocal = 1.2.3.4\n", "needs local and remote" },
		{ "[static s]\nlocal = 1.2.3.4\nremote = ::1\n", "different families" },
		{ "[static s]\nlocal = 1.2.3.4\nremote = 1.2.3.5\ntunnel-id = 1\n",
		  "needs tunnel-id, peer-tunnel-id, session-id and peer-session-id" },
		{ "[static s]\nsend-cookie = abc\n", "8 or 16 hex digits" },
		{ "[static s]\nsession-id = 0\n", "1 to 4294967295" },
		{ "[static s]\nlocal = 1.1.1.1\nremote = 1.1.1.2\ntunnel-id = 5\n"
		  "peer-tunnel-id = 1\nsession-id = 1\npeer-session-id = 1\n"
		  "[static t]\nlocal = 1.1.1.1\nremote = 1.1.1.2\ntunnel-id = 5\n"
		  "peer-tunnel-id = 1\nsession-id = 1\npeer-session-id = 1\n",
		  "tunnel-id 5 already used by \"s\"" },
		{ "[peer rw]\naddress = 10.0.0.1/8\n", "invalid address \"10.0.0.1/8\"" },
		{ "[peer rw]\naddress = 10.0.0.0/33\n", "invalid address" },
		{ "[peer rw]\naddress = 10.0.0.0:1701/8\n", "invalid address" },
		{ "[peer rw]\naddress = any\ninitiate = yes\n",
		  "a dial-in peer (address any) cannot initiate" },
		{ "[peer rw]\naddress = 10.0.0.0/8\n[pseudowire p]\npeer = rw\ninitiate = yes\n",
		  "dial-in peer: its pseudowires are accepted" },
		{ "[peer rw]\naddress = any\n[pseudowire p]\npeer = rw\ninterface = rw0\n",
		  "give interface a %d (e.g. rw0%d)" },
		{ "[peer a]\naddress = 1.2.3.4\n[pseudowire p]\npeer = a\nsessions = 4\n",
		  "sessions is for pseudowires the peer calls in on" },
		{ "[peer a]\naddress = 1.2.3.4\n[pseudowire p]\npeer = a\nppp-address-pool = 10.0.0.9-10.0.0.1\n",
		  "invalid address pool" },
		{ "[peer a]\naddress = 1.2.3.4\n[pseudowire p]\npeer = a\nppp-address-pool = 10.0.0.0-10.1.0.0\n",
		  "at most 65536 addresses" },
		{ "[peer a]\naddress = 1.2.3.4\n[pseudowire p]\npeer = a\nppp-local-address = 10.0.0.1\n",
		  "ppp-local-address and ppp-address-pool are for ppp" },
		{ "[peer a]\naddress = 1.2.3.4\n[pseudowire p]\npeer = a\ntype = ppp\n"
		  "ppp-local-address = 10.0.0.5\nppp-address-pool = 10.0.0.2-10.0.0.9\n",
		  "ppp-local-address is inside ppp-address-pool" },
		{ "[peer a]\naddress = 1.2.3.4\nmax-connections = -1\n", "0 (no limit) to 1000000" },
		/* With a peer ol2tpd listens: a UDP static tunnel cannot
		 * have the listening port on an address the listener takes. */
		{ "[peer a]\naddress = 1.2.3.4\n"
		  "[static s]\nlocal = 10.0.0.1\nremote = 10.0.0.2\ntunnel-id = 5\n"
		  "peer-tunnel-id = 1\nsession-id = 1\npeer-session-id = 1\n",
		  "test.conf:3: static \"s\": its UDP port 10.0.0.1:1701 is also where ol2tpd listens for its peers (listen = 0.0.0.0:1701)" },
		{ "[global]\nlisten = [::]\nport = 1702\n[peer a]\naddress = ::2\n"
		  "[static s]\nlocal = ::1\nremote = ::3\ntunnel-id = 5\n"
		  "peer-tunnel-id = 1\nsession-id = 1\npeer-session-id = 1\n",
		  "its UDP port [::1]:1702 is also where ol2tpd listens" },
		{ "[global]\nlisten = 10.0.0.1:1800\n[peer a]\naddress = 1.2.3.4\n"
		  "[static s]\nlocal = 10.0.0.1:1800\nremote = 10.0.0.2\ntunnel-id = 5\n"
		  "peer-tunnel-id = 1\nsession-id = 1\npeer-session-id = 1\n",
		  "give the static tunnel another port" },
	};
	char err[512];
	struct conf c;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc;

		err[0] = 0;
		rc = conf_parse(&c, "test.conf", cases[i].text, err, sizeof(err));
		ok(rc < 0 && strstr(err, cases[i].want),
		   "refused: %s", cases[i].want);
		if (rc == 0 || !strstr(err, cases[i].want))
			diag("got: %s", rc ? err : "(accepted)");
	}

	err[0] = 0;
	ok(conf_load(&c, "/nonexistent/ol2tpd.conf", err, sizeof(err)) < 0 &&
	   strstr(err, "/nonexistent/ol2tpd.conf: No such file"),
	   "missing file: the path and the reason");
	ok(conf_parse(&c, "x", "", err, sizeof(err)) == 0 && c.n_peers == 0 &&
	   c.n_listen == 1 && c.port == 1701,
	   "empty file: defaults (listen on 0.0.0.0:1701)");
	conf_free(&c);
}

static int find(const struct conf *c, const char *addr, uint8_t version)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	if (strchr(addr, ':')) {
		struct sockaddr_in6 *s6 = (void *)&ss;

		s6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, addr, &s6->sin6_addr);
	} else {
		struct sockaddr_in *s4 = (void *)&ss;

		s4->sin_family = AF_INET;
		inet_pton(AF_INET, addr, &s4->sin_addr);
	}
	return conf_find_peer(c, (struct sockaddr *)&ss, version);
}

/* Dial-in peers: prefixes and "any", the longest match wins. */
static void test_dialin(void)
{
	static const char text[] =
		"[peer road]\naddress = any\nversion = 2\nmax-connections = 50\n"
		"[peer office]\naddress = 198.51.100.0/24\nversion = 2\n"
		"[peer lac]\naddress = 198.51.100.7\nversion = 2\n"
		"[peer v6]\naddress = 2001:db8:40::/42\n"
		"[pseudowire users]\npeer = road\ntype = ppp\nlns = yes\n"
		"ppp-local-address = 10.9.0.1\nppp-address-pool = 10.9.0.10-10.9.0.20\n"
		"[pseudowire many]\npeer = lac\ntype = ppp\ninitiate = no\nsessions = 100\n"
		"[pseudowire sites]\npeer = v6\ninterface = site%d\n";
	char err[512] = "", buf[80];
	struct conf c;

	ok(conf_parse(&c, "t", text, err, sizeof(err)) == 0, "dial-in configuration parses");
	if (err[0])
		diag("%s", err);
	ok(c.peers[0].any && c.peers[0].dialin && !c.peers[0].initiate &&
	   c.peers[0].max_connections == 50,
	   "address = any: dial-in, accepts only, max-connections");
	ok(c.peers[1].dialin && c.peers[1].prefix_len == 24 &&
	   !c.peers[2].dialin && c.peers[2].prefix_len == 32 && c.peers[2].initiate,
	   "a prefix is dial-in; one address is not");
	ok(!c.pws[0].initiate && c.pws[0].max_sessions == 1 &&
	   c.pws[0].ppp_local == 0x0a090001 && c.pws[0].pool_first == 0x0a09000a &&
	   c.pws[0].pool_last == 0x0a090014,
	   "dial-in pseudowire: accepted, one call a connection, address pool");
	ok(c.pws[1].max_sessions == 100 && c.pws[2].max_sessions == 1 &&
	   !c.pws[2].initiate && !strcmp(c.pws[2].ifname, "site%d"),
	   "sessions = 100; interface with %%d");
	ok(find(&c, "198.51.100.7", 2) == 2, "host beats prefix beats any");
	ok(find(&c, "198.51.100.8", 2) == 1, "prefix beats any");
	ok(find(&c, "203.0.113.1", 2) == 0 && find(&c, "2001:db8::1", 2) == 0,
	   "any takes both families");
	ok(find(&c, "2001:db8:7f::1", 3) == 3 && find(&c, "2001:db8:80::1", 3) == -1,
	   "IPv6 prefix /42: in and just out");
	ok(!strcmp(conf_peer_addr_str(&c.peers[0], buf, sizeof(buf)), "any") &&
	   !strcmp(conf_peer_addr_str(&c.peers[3], buf, sizeof(buf)), "2001:db8:40::/42"),
	   "dial-in addresses print as any and as a prefix");
	ok(!strcmp(conf_peer_addr_str(&c.peers[2], buf, sizeof(buf)), "198.51.100.7"),
	   "a host without a port prints as written");
	conf_free(&c);
}

/*
 * Reload keeps what is unchanged: for each key of a [peer], [pseudowire] or
 * [static], a configuration that differs in that key alone must not be the
 * same.  Every key of the table must have a row here or be a [global] one
 * (those need a restart), so that a new key cannot be left out of reload.
 */
static const struct reload_case {
	char sec;		/* 'e' peer b, 'w' pseudowire w, 's' static s */
	const char *key, *base, *changed;
} reload_cases[] = {
	{ 'e', "hello", "", "hello = 30" },
	{ 'e', "retries", "", "retries = 7" },
	{ 'e', "retransmit-cap", "", "retransmit-cap = 20" },
	{ 'e', "receive-window", "", "receive-window = 8" },
	{ 'e', "version", "version = 3", "version = 2" },
	{ 'e', "encap", "", "encap = ip" },
	{ 'e', "digest", "secret = x", "secret = x\ndigest = md5" },
	{ 'e', "challenge", "secret = x", "secret = x\nchallenge = yes" },
	{ 'e', "hide", "secret = x", "secret = x\nhide = yes" },
	{ 'e', "tie-breaker", "tie-breaker = yes", "tie-breaker = no" },
	{ 'e', "secret", "secret = x", "secret = y" },
	{ 'e', "address", "", "address = 192.0.2.3" },
	{ 'e', "max-connections", "", "max-connections = 5" },
	{ 'e', "local-address", "", "local-address = 192.0.2.9" },
	{ 'e', "initiate", "", "initiate = no" },
	{ 'e', "ipsec", "", "ipsec = yes" },
	{ 'e', "path-mtu-discovery", "", "path-mtu-discovery = yes" },
	{ 'e', "reconnect", "", "reconnect = 3" },
	{ 'w', "peer", "", "peer = b" },
	{ 'w', "type", "", "type = ppp" },
	{ 'w', "remote-end-id", "", "remote-end-id = x" },
	{ 'w', "call", "", "call = outgoing" },
	{ 'w', "initiate", "", "initiate = no" },
	{ 'w', "sessions", "initiate = no", "initiate = no\nsessions = 5" },
	{ 'w', "cookie", "", "cookie = 4" },
	{ 'w', "l2spec", "", "l2spec = none" },
	{ 'w', "sequencing", "", "sequencing = yes" },
	{ 'w', "interface", "", "interface = l2tpeth9" },
	{ 'w', "pppd-options", "type = ppp", "type = ppp\npppd-options = debug" },
	{ 'w', "lns", "type = ppp", "type = ppp\nlns = yes" },
	{ 'w', "ppp-local-address", "type = ppp",
	  "type = ppp\nppp-local-address = 10.0.0.1" },
	{ 'w', "ppp-address-pool", "type = ppp",
	  "type = ppp\nppp-address-pool = 10.0.0.10-10.0.0.20" },
	{ 'w', "mtu", "", "mtu = 1400" },
	{ 'w', "bridge", "", "bridge = br0" },
	{ 'w', "up", "", "up = /bin/true" },
	{ 'w', "down", "", "down = /bin/true" },
	{ 's', "encap", "", "encap = ip" },
	{ 's', "local", "", "local = 192.0.2.12:1800" },
	{ 's', "remote", "", "remote = 192.0.2.13:1800" },
	{ 's', "tunnel-id", "", "tunnel-id = 9" },
	{ 's', "peer-tunnel-id", "", "peer-tunnel-id = 9" },
	{ 's', "session-id", "", "session-id = 9" },
	{ 's', "peer-session-id", "", "peer-session-id = 9" },
	{ 's', "send-cookie", "", "send-cookie = 01020304" },
	{ 's', "receive-cookie", "", "receive-cookie = 01020304" },
	{ 's', "l2spec", "", "l2spec = none" },
	{ 's', "interface", "", "interface = st0" },
};

static const char *const global_only[] = {
	"host-name", "router-id", "max-pending", "port", "listen",
	"control-socket", "pppd", "log-level", "log",
};

/* Peer a with pseudowire w, peer b, static s; EXTRA in section SEC. */
static int reload_conf(struct conf *c, char sec, const char *extra)
{
	char text[1024], err[512];

	snprintf(text, sizeof(text),
		 "[peer a]\naddress = 192.0.2.1\n"
		 "[peer b]\naddress = 192.0.2.2\n%s\n"
		 "[pseudowire w]\npeer = a\n%s\n"
		 "[static s]\nlocal = 192.0.2.10:1800\nremote = 192.0.2.11:1800\n"
		 "tunnel-id = 1\npeer-tunnel-id = 2\nsession-id = 3\n"
		 "peer-session-id = 4\n%s\n",
		 sec == 'e' ? extra : "", sec == 'w' ? extra : "",
		 sec == 's' ? extra : "");
	if (conf_parse(c, "t", text, err, sizeof(err)) < 0) {
		diag("%s", err);
		return -1;
	}
	return 0;
}

static bool reload_same(const struct conf *a, const struct conf *b)
{
	return conf_peer_same(&a->peers[1], &b->peers[1]) &&
	       conf_pw_same(&a->pws[0], &b->pws[0]) &&
	       conf_static_same(&a->statics[0], &b->statics[0]);
}

static void test_reload_keys(void)
{
	const size_t n = sizeof(reload_cases) / sizeof(reload_cases[0]);
	bool missing = false;

	for (size_t i = 0; i < n; i++) {
		const struct reload_case *rc = &reload_cases[i];
		struct conf a, a2, b;
		bool parsed;

		parsed = reload_conf(&a, rc->sec, rc->base) == 0;
		parsed = reload_conf(&a2, rc->sec, rc->base) == 0 && parsed;
		parsed = reload_conf(&b, rc->sec, rc->changed) == 0 && parsed;
		ok(parsed && reload_same(&a, &a2) && !reload_same(&a, &b),
		   "reload: [%s] %s changed is not the running one, unchanged is",
		   rc->sec == 'e' ? "peer" : rc->sec == 'w' ? "pseudowire" :
		   "static", rc->key);
		conf_free(&a);
		conf_free(&a2);
		conf_free(&b);
	}
	for (size_t k = 0; conf_key_name(k); k++) {
		const char *name = conf_key_name(k);
		bool found = false;

		for (size_t i = 0; i < n && !found; i++)
			found = !strcmp(reload_cases[i].key, name);
		for (size_t i = 0; i < sizeof(global_only) / sizeof(global_only[0]) &&
		     !found; i++)
			found = !strcmp(global_only[i], name);
		if (!found) {
			diag("key %s: no reload case and not [global] only", name);
			missing = true;
		}
	}
	ok(!missing, "reload: every key has a case or is [global] only");
}

/* Every key of the table is documented in ol2tpd.conf(5). */
static void test_man_keys(const char *man)
{
	FILE *f = fopen(man, "r");
	char *text = NULL;
	size_t len = 0;
	bool all = true;

	if (!f) {
		ok(false, "ol2tpd.conf(5) at %s readable", man);
		return;
	}
	if (getdelim(&text, &len, '\0', f) < 0) {
		fclose(f);
		ok(false, "ol2tpd.conf(5) at %s readable", man);
		return;
	}
	fclose(f);
	for (size_t k = 0; conf_key_name(k); k++) {
		char pat[4][80];
		const char *name = conf_key_name(k);

		/* As a .TP entry: ".B key", ".BI key " or ".BR key ", or
		 * one more of an entry's keys: "\fPkey" ".
		 */
		snprintf(pat[0], sizeof(pat[0]), "\n.B %s\n", name);
		snprintf(pat[1], sizeof(pat[1]), "\n.BI %s ", name);
		snprintf(pat[2], sizeof(pat[2]), "\n.BR %s ", name);
		snprintf(pat[3], sizeof(pat[3]), "\\fP%s\" ", name);
		if (!strstr(text, pat[0]) && !strstr(text, pat[1]) &&
		    !strstr(text, pat[2]) && !strstr(text, pat[3])) {
			diag("key %s is not in %s", name, man);
			all = false;
		}
	}
	ok(all, "every configuration key is documented in ol2tpd.conf(5)");
	free(text);
}

int main(int argc, char **argv)
{
	tap_start();
	test_full();
	test_errors();
	test_static_ports();
	test_dialin();
	test_reload_keys();
	if (argc > 1)
		test_man_keys(argv[1]);
	return tap_done();
}
