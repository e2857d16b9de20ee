// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp-inject: plays the L2TP peer of a device under test (DUT) by hand, to
 * prove data sequencing (RFC 3931 section 4.6, RFC 2661 section 5.4).
 *
 * It sends hand-built L2TPv3 data packets (over UDP or over IP protocol 115)
 * into one session of the DUT, with a chosen cookie, sublayer S bit and
 * 24-bit sequence number, each carrying an Ethernet frame with a marker; it
 * reads back, on an AF_PACKET socket bound to the DUT's pseudowire netdev,
 * which markers the DUT delivered and in which order.  With --version 2 it
 * sends L2TPv2 data packets (S flag, 16-bit Ns) carrying PPP frames, and
 * reads them back on a PPPoL2TP socket attached to the DUT's PPP session
 * (a socket not bound to a PPP unit receives the frames itself).  It reads the DUT's
 * session counters and settings over generic netlink ("l2tp" family), can
 * change them (SESSION_MODIFY) between two packets, makes the DUT transmit
 * marker frames and captures what the DUT puts on the wire.
 *
 *   peer netns (--peer-ns)                 DUT netns (--dut-ns)
 *   +----------------------+               +---------------------------+
 *   | UDP socket or raw    |  L2TPv3 data  | tunnel socket -> session  |
 *   | IP socket (proto 115)|-------------->|   -> pseudowire netdev    |
 *   |  "s:N" "u:M"         |<--------------|      (AF_PACKET reader:   |
 *   |  "capture:N"         |  what the DUT |       "read:N", "xmit:M") |
 *   +----------------------+  transmits    | genl: "stats" "set:" "get"|
 *                                          +---------------------------+
 *
 * Usage: l2tp-inject OPTIONS COMMAND...
 *
 * Options:
 *   --peer-ns NAME      netns of the injecting socket (default: current)
 *   --dut-ns NAME       netns of the DUT (default: current)
 *   --encap udp|ip      L2TPv3 over UDP (default) or over IP
 *   --local ADDR        source address of injected packets (IPv4 or IPv6)
 *   --remote ADDR       the DUT's tunnel address
 *   --lport N --rport N UDP ports: ours (the DUT's peer port) and the DUT's
 *   --tunnel ID         the DUT's tunnel id (netlink requests)
 *   --session ID        the DUT's session id (put in injected packets)
 *   --cookie HEX        cookie put in injected packets (the DUT's PEER_COOKIE)
 *   --dut-cookie-len N  bytes of cookie in packets the DUT sends (capture)
 *   --l2spec default|none  sublayer of injected and captured packets
 *   --ifname NAME       the DUT's pseudowire netdev
 *   --version 2|3       L2TP version (default 3); 2: UDP only, PPP frames,
 *                       read and transmitted through a PPPoL2TP socket
 *                       attached (fd -1) to the DUT's session
 *   --peer-tunnel ID --peer-session ID  v2: the DUT's peer ids (PPPoL2TP)
 *   --cpu N             the CPU to run on (default 0)
 *
 * Commands, run in order:
 *   s:NS[=MARK]    send a packet with S=1 and sequence number NS (decimal or
 *                  0x hex), carrying marker MARK (default: NS as written)
 *   u:MARK         send a packet without a sequence number (S=0)
 *   read:N[:MS]    wait until N markers were delivered on --ifname (at most
 *                  MS ms, default 5000), then 300 ms more for any extra one;
 *                  print "delivered M1 M2 ..." (what arrived since the last
 *                  read, in arrival order)
 *   stats          print "stats NAME=VALUE ..." (the session's counters)
 *   get            print "session send_seq=.. recv_seq=.. lns_mode=..
 *                  reorder_timeout=.."
 *   set:KEY=VAL    SESSION_MODIFY one setting: recv_seq, send_seq, lns_mode
 *                  (0/1) or reorder_timeout (ms)
 *   xmit:MARK      the DUT transmits a marker frame on its pseudowire netdev
 *   capture:N[:MS] wait for N data packets the DUT sent us (at most MS ms,
 *                  default 5000); print "captured MARK seq=NS" or
 *                  "captured MARK noseq" for each
 *   sleep:MS       pause
 *   stream:FROM:COUNT:US  send COUNT packets in order, S=1, NS from FROM,
 *                  markers = NS in decimal, US microseconds apart
 *   shuffle:FROM:COUNT:WINDOW[:US]  send numbers FROM..FROM+COUNT-1, each
 *                  block of WINDOW shuffled, one in 20 sent twice, US
 *                  microseconds apart; print "sent N"
 *   state          ol2tp only: print the session's line of ol2tp's debugfs
 *                  view (/sys/kernel/debug/ol2tp/seq) as "state NAME=VALUE
 *                  ..." (without tunnel and session), or "state
 *                  unavailable"
 *
 * The process pins itself to one CPU so that the packets it sends are
 * processed in the order it sends them.  Exit status: 0 success, 1 usage or
 * local error, 2 a netlink request failed.
 */

#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_pppox.h>
#include <linux/if_pppol2tp.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "linux/ol2tp.h"
#include "ol2tp-nl.h"

#define MARK_ETHERTYPE	0x88b5		/* IEEE 802 local experimental */
#define MARK_MAGIC	"OL2TPMK"
#define MARK_MAX	31
#define FRAME_LEN	60		/* minimum Ethernet frame, no FCS */
#define GRACE_MS	300
#define SUBLAYER_S	0x40000000u
#define SUBLAYER_NS	0x00ffffffu
#define V2_FLAG_T	0x8000
#define V2_FLAG_L	0x4000
#define V2_FLAG_S	0x0800
#define V2_FLAG_O	0x0200
#define PPP_MARK_PROTO	0x8881		/* an unassigned PPP protocol */

struct opts {
	const char *peer_ns;
	const char *dut_ns;
	bool encap_ip;
	const char *local;
	const char *remote;
	unsigned int lport;
	unsigned int rport;
	uint32_t tunnel_id;
	uint32_t session_id;
	uint8_t cookie[8];
	unsigned int cookie_len;
	unsigned int dut_cookie_len;
	bool l2spec;
	const char *ifname;
	unsigned int version;
	uint32_t peer_tunnel_id;
	uint32_t peer_session_id;
};

static struct opts o = { .l2spec = true, .version = 3 };

static int peer_fd = -1;	/* injecting socket, peer netns */
static int pkt_fd = -1;		/* AF_PACKET on the pseudowire, DUT netns */
static int ifindex;
static int family;		/* of --local/--remote */
static struct sockaddr_storage remote_sa;
static socklen_t remote_len;
static struct nl_sock *nl;	/* generic netlink, DUT netns */
static int genl_family;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "l2tp-inject: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static unsigned long parse_num(const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > max)
		die("bad number '%s' (at most %lu)", s, max);
	return v;
}

static void parse_hex(const char *s, uint8_t *buf, unsigned int *len)
{
	size_t n = strlen(s);
	unsigned int i;

	if (n != 8 && n != 16)
		die("cookie '%s' must be 8 or 16 hex digits", s);
	for (i = 0; i < n / 2; i++) {
		unsigned int byte;
		char b[3] = { s[2 * i], s[2 * i + 1], 0 };

		if (!isxdigit((unsigned char)b[0]) ||
		    !isxdigit((unsigned char)b[1]) ||
		    sscanf(b, "%2x", &byte) != 1)
			die("cookie '%s' is not hexadecimal", s);
		buf[i] = byte;
	}
	*len = n / 2;
}

/* Run the rest in netns @name (NULL: the one we started in). */
static void enter_netns(const char *name)
{
	static int home = -1;
	char path[256];
	int fd;

	if (home < 0) {
		home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (home < 0)
			die("open /proc/self/ns/net: %s", strerror(errno));
	}
	if (!name) {
		if (setns(home, CLONE_NEWNET))
			die("setns back: %s", strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("netns %s: %s", name, strerror(errno));
	if (setns(fd, CLONE_NEWNET))
		die("setns %s: %s", name, strerror(errno));
	close(fd);
}

static void parse_addr(const char *s, struct sockaddr_storage *ss,
		       socklen_t *len, unsigned int port)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*len = sizeof(*s4);
	} else if (inet_pton(AF_INET6, s, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*len = sizeof(*s6);
	} else {
		die("bad address '%s'", s);
	}
}

static void open_peer_socket(void)
{
	struct sockaddr_storage local;
	socklen_t llen;
	int one = 1;

	if (!o.local || !o.remote)
		die("--local and --remote are needed to send");
	/* Raw IP sockets carry no port: the port field must stay zero. */
	parse_addr(o.local, &local, &llen, o.encap_ip ? 0 : o.lport);
	parse_addr(o.remote, &remote_sa, &remote_len, o.encap_ip ? 0 : o.rport);
	family = local.ss_family;
	if (remote_sa.ss_family != family)
		die("--local and --remote must be of the same family");

	enter_netns(o.peer_ns);
	if (o.encap_ip)
		peer_fd = socket(family, SOCK_RAW | SOCK_CLOEXEC,
				 OL2TP_IPPROTO_L2TP);
	else
		peer_fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (peer_fd < 0)
		die("peer socket: %s", strerror(errno));
	setsockopt(peer_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(peer_fd, (struct sockaddr *)&local, llen))
		die("bind %s: %s", o.local, strerror(errno));
	enter_netns(NULL);
}

/* v2: a PPPoL2TP socket attached to the DUT's PPP session (fd -1). */
static void open_ppp_socket(void)
{
	struct sockaddr_pppol2tp sa = {};
	int rcvbuf = 16 << 20;

	enter_netns(o.dut_ns);
	pkt_fd = socket(AF_PPPOX, SOCK_DGRAM | SOCK_CLOEXEC, PX_PROTO_OL2TP);
	if (pkt_fd < 0)
		die("PPPoL2TP socket: %s", strerror(errno));
	sa.sa_family = AF_PPPOX;
	sa.sa_protocol = PX_PROTO_OL2TP;
	sa.pppol2tp.fd = -1;
	sa.pppol2tp.s_tunnel = o.tunnel_id;
	sa.pppol2tp.s_session = o.session_id;
	sa.pppol2tp.d_tunnel = o.peer_tunnel_id;
	sa.pppol2tp.d_session = o.peer_session_id;
	if (connect(pkt_fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("connect PPPoL2TP to tunnel %u session %u: %s",
		    o.tunnel_id, o.session_id, strerror(errno));
	if (setsockopt(pkt_fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		die("SO_RCVBUFFORCE: %s", strerror(errno));
	enter_netns(NULL);
}

static void open_packet_socket(void)
{
	struct sockaddr_ll sll = {};
	int rcvbuf = 16 << 20;

	if (o.version == 2) {
		open_ppp_socket();
		return;
	}
	if (!o.ifname)
		die("--ifname is needed to read or transmit frames");
	enter_netns(o.dut_ns);
	pkt_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC,
			htons(MARK_ETHERTYPE));
	if (pkt_fd < 0)
		die("AF_PACKET socket: %s", strerror(errno));
	ifindex = if_nametoindex(o.ifname);
	if (!ifindex)
		die("no interface %s in the DUT netns", o.ifname);
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(MARK_ETHERTYPE);
	sll.sll_ifindex = ifindex;
	if (bind(pkt_fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind AF_PACKET to %s: %s", o.ifname, strerror(errno));
	/* Room for a whole stream read only after it was sent. */
	if (setsockopt(pkt_fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		die("SO_RCVBUFFORCE: %s", strerror(errno));
	enter_netns(NULL);
}

static void open_genl(void)
{
	enter_netns(o.dut_ns);
	nl = nl_socket_alloc();
	if (!nl || genl_connect(nl))
		die("cannot open a generic netlink socket");
	genl_family = genl_ctrl_resolve(nl, OL2TP_GENL_NAME);
	if (genl_family < 0)
		die("generic netlink family \"l2tp\" is not available");
	enter_netns(NULL);
}

/* --- frames ------------------------------------------------------------- */

/* An Ethernet broadcast frame of FRAME_LEN bytes carrying @mark. */
static void build_frame(uint8_t *f, const char *mark)
{
	static const uint8_t src[ETH_ALEN] = { 0x02, 0, 0, 0, 0x1a, 0x2b };

	if (strlen(mark) > MARK_MAX)
		die("marker '%s' is longer than %d characters", mark, MARK_MAX);
	memset(f, 0, FRAME_LEN);
	memset(f, 0xff, ETH_ALEN);
	memcpy(f + ETH_ALEN, src, ETH_ALEN);
	f[12] = MARK_ETHERTYPE >> 8;
	f[13] = MARK_ETHERTYPE & 0xff;
	memcpy(f + ETH_HLEN, MARK_MAGIC, sizeof(MARK_MAGIC));
	memcpy(f + ETH_HLEN + sizeof(MARK_MAGIC), mark, strlen(mark));
}

/*
 * A PPP frame of FRAME_LEN bytes carrying @mark: address and control (FF 03)
 * when @with_ac, then the protocol and the marker.  Returns its length.
 */
static size_t build_ppp_frame(uint8_t *f, const char *mark, bool with_ac)
{
	uint8_t *p = f;

	if (strlen(mark) > MARK_MAX)
		die("marker '%s' is longer than %d characters", mark, MARK_MAX);
	memset(f, 0, FRAME_LEN);
	if (with_ac) {
		*p++ = 0xff;
		*p++ = 0x03;
	}
	*p++ = PPP_MARK_PROTO >> 8;
	*p++ = PPP_MARK_PROTO & 0xff;
	memcpy(p, MARK_MAGIC, sizeof(MARK_MAGIC));
	memcpy(p + sizeof(MARK_MAGIC), mark, strlen(mark));
	return with_ac ? FRAME_LEN : FRAME_LEN - 2;
}

/* The marker of PPP frame @f (from the protocol field on), or false. */
static bool ppp_frame_mark(const uint8_t *f, size_t len, char *mark)
{
	size_t off = 2 + sizeof(MARK_MAGIC);

	if (len < off + 1 || f[0] != (PPP_MARK_PROTO >> 8) ||
	    f[1] != (PPP_MARK_PROTO & 0xff) ||
	    memcmp(f + 2, MARK_MAGIC, sizeof(MARK_MAGIC)))
		return false;
	snprintf(mark, MARK_MAX + 1, "%.*s", (int)(len - off), f + off);
	return true;
}

/* The marker of frame @f of @len bytes into @mark, or false if none. */
static bool frame_mark(const uint8_t *f, size_t len, char *mark)
{
	size_t off = ETH_HLEN + sizeof(MARK_MAGIC);

	if (len < off + 1 || f[12] != (MARK_ETHERTYPE >> 8) ||
	    f[13] != (MARK_ETHERTYPE & 0xff) ||
	    memcmp(f + ETH_HLEN, MARK_MAGIC, sizeof(MARK_MAGIC)))
		return false;
	snprintf(mark, MARK_MAX + 1, "%.*s", (int)(len - off), f + off);
	return true;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Send one L2TPv3 data packet, with Ns @ns if @seq, carrying @mark. */
static void send_data(bool seq, uint32_t ns, const char *mark)
{
	uint8_t pkt[64 + FRAME_LEN], *p = pkt;

	if (peer_fd < 0)
		open_peer_socket();
	if (o.version == 2) {
		/* T=0, L=0, S, O=0, P=0, Ver=2; tunnel, session [, Ns, Nr] */
		p[0] = (seq ? V2_FLAG_S : 0) >> 8;
		p[1] = 2;
		p[2] = o.tunnel_id >> 8;
		p[3] = o.tunnel_id;
		p[4] = o.session_id >> 8;
		p[5] = o.session_id;
		p += 6;
		if (seq) {
			p[0] = ns >> 8;
			p[1] = ns;
			p[2] = 0;
			p[3] = 0;
			p += 4;
		}
		p += build_ppp_frame(p, mark, true);
		goto send;
	}
	if (!o.encap_ip) {
		/* T=0, L=0, Ver=3, reserved */
		put32(p, 0x00030000);
		p += 4;
	}
	put32(p, o.session_id);
	p += 4;
	memcpy(p, o.cookie, o.cookie_len);
	p += o.cookie_len;
	if (o.l2spec) {
		put32(p, seq ? SUBLAYER_S | (ns & SUBLAYER_NS) : 0);
		p += 4;
	} else if (seq) {
		die("s: needs --l2spec default (the S bit lives in the sublayer)");
	}
	build_frame(p, mark);
	p += FRAME_LEN;
send:
	if (sendto(peer_fd, pkt, p - pkt, 0, (struct sockaddr *)&remote_sa,
		   remote_len) < 0)
		die("send: %s", strerror(errno));
}

/* --- reading what the DUT delivers --------------------------------------- */

/* Collect markers for up to @ms ms or until @want of them; append to @out. */
static unsigned int collect(unsigned int want, long long ms, char *out,
			    size_t outsz)
{
	long long deadline = now_ms() + ms;
	unsigned int got = 0;

	for (;;) {
		long long left = deadline - now_ms();
		struct pollfd pfd = { .fd = pkt_fd, .events = POLLIN };
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		uint8_t f[2048];
		char mark[MARK_MAX + 1];
		ssize_t n;

		if (got >= want || left <= 0)
			break;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		if (o.version == 2) {
			n = recv(pkt_fd, f, sizeof(f), 0);
			if (n < 0)
				die("read from the PPPoL2TP socket: %s",
				    strerror(errno));
			if (!ppp_frame_mark(f, n, mark))
				continue;
			snprintf(out + strlen(out), outsz - strlen(out), " %s",
				 mark);
			got++;
			continue;
		}
		n = recvfrom(pkt_fd, f, sizeof(f), 0, (struct sockaddr *)&from,
			     &fl);
		if (n < 0)
			die("read from %s: %s", o.ifname, strerror(errno));
		/* Our own xmit: frames leaving the netdev are not deliveries. */
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (!frame_mark(f, n, mark))
			continue;
		snprintf(out + strlen(out), outsz - strlen(out), " %s", mark);
		got++;
	}
	return got;
}

static void cmd_read(const char *arg)
{
	static char out[65536];
	unsigned int want;
	long long ms = 5000;
	char *colon;

	out[0] = 0;
	if (pkt_fd < 0)
		open_packet_socket();
	colon = strchr(arg, ':');
	if (colon) {
		ms = parse_num(colon + 1, 600000);
		*colon = 0;
	}
	want = parse_num(arg, 100000);
	collect(want, ms, out, sizeof(out));
	/* Anything beyond what was expected is a finding too. */
	collect(~0u, GRACE_MS, out, sizeof(out));
	printf("delivered%s\n", out);
	fflush(stdout);
}

static void cmd_xmit(const char *mark)
{
	struct sockaddr_ll sll = {};
	uint8_t f[FRAME_LEN];

	if (pkt_fd < 0)
		open_packet_socket();
	if (o.version == 2) {
		/* The kernel puts FF 03 and the L2TP header in front. */
		size_t len = build_ppp_frame(f, mark, false);

		if (send(pkt_fd, f, len, 0) < 0)
			die("send on the PPPoL2TP socket: %s", strerror(errno));
		return;
	}
	build_frame(f, mark);
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = ifindex;
	sll.sll_halen = ETH_ALEN;
	memset(sll.sll_addr, 0xff, ETH_ALEN);
	if (sendto(pkt_fd, f, sizeof(f), 0, (struct sockaddr *)&sll,
		   sizeof(sll)) < 0)
		die("transmit on %s: %s", o.ifname, strerror(errno));
}

/* Parse a data packet the DUT sent us; print it if it carries a marker. */
static bool print_captured(const uint8_t *p, size_t len)
{
	const uint8_t *end = p + len;
	char mark[MARK_MAX + 1];
	uint32_t l2h = 0;

	if (o.version == 2) {
		unsigned int flags;

		if (end - p < 6)
			return false;
		flags = p[0] << 8 | p[1];
		if ((flags & V2_FLAG_T) || (flags & 0x0f) != 2)
			return false;
		p += (flags & V2_FLAG_L) ? 8 : 6;
		if (flags & V2_FLAG_S) {
			if (end - p < 4)
				return false;
			l2h = SUBLAYER_S | (p[0] << 8 | p[1]);
			p += 4;
		}
		if (flags & V2_FLAG_O) {
			if (end - p < 2)
				return false;
			p += 2 + (p[0] << 8 | p[1]);
		}
		/* Address and control are optional. */
		if (end - p >= 2 && p[0] == 0xff && p[1] == 0x03)
			p += 2;
		if (p > end || !ppp_frame_mark(p, end - p, mark))
			return false;
		goto print;
	}
	if (o.encap_ip && family == AF_INET) {
		/* IPv4 raw sockets deliver the IP header. */
		unsigned int ihl;

		if (len < 20)
			return false;
		ihl = (p[0] & 0x0f) * 4;
		if (len < ihl)
			return false;
		p += ihl;
	}
	if (!o.encap_ip) {
		/* Control messages (T bit) are not ours to look at. */
		if (end - p < 4 || (p[0] & 0x80) || (p[1] & 0x0f) != 3)
			return false;
		p += 4;
	}
	if (end - p < 4 || get32(p) == 0)
		return false;
	p += 4 + o.dut_cookie_len;
	if (o.l2spec) {
		if (end - p < 4)
			return false;
		l2h = get32(p);
		p += 4;
	}
	if (p > end || !frame_mark(p, end - p, mark))
		return false;
print:
	if (l2h & SUBLAYER_S)
		printf("captured %s seq=%u\n", mark, l2h & SUBLAYER_NS);
	else
		printf("captured %s noseq\n", mark);
	fflush(stdout);
	return true;
}

static void cmd_capture(const char *arg)
{
	long long ms = 5000, deadline;
	unsigned int want, got = 0;
	char *colon;

	if (peer_fd < 0)
		open_peer_socket();
	colon = strchr(arg, ':');
	if (colon) {
		ms = parse_num(colon + 1, 600000);
		*colon = 0;
	}
	want = parse_num(arg, 100000);
	deadline = now_ms() + ms;
	while (got < want && now_ms() < deadline) {
		struct pollfd pfd = { .fd = peer_fd, .events = POLLIN };
		uint8_t buf[4096];
		ssize_t n;

		if (poll(&pfd, 1, (int)(deadline - now_ms())) <= 0)
			continue;
		n = recv(peer_fd, buf, sizeof(buf), 0);
		if (n < 0)
			die("receive on the peer socket: %s", strerror(errno));
		if (print_captured(buf, n))
			got++;
	}
	if (got < want)
		printf("captured-only %u of %u\n", got, want);
	fflush(stdout);
}

/* --- netlink ------------------------------------------------------------ */

struct reply {
	int err;
	bool done;
	struct nlattr *tb[OL2TP_ATTR_MAX + 1];
	uint64_t stats[OL2TP_ATTR_STATS_MAX + 1];
	bool has_stats;
	uint8_t send_seq, recv_seq, lns_mode;
	uint64_t reorder_timeout;
};

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct reply *r = arg;

	(void)nla;
	r->err = e->error;
	r->done = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct reply *r = arg;

	(void)msg;
	r->done = true;
	return NL_STOP;
}

static int on_session(struct nl_msg *msg, void *arg)
{
	struct nlattr *st[OL2TP_ATTR_STATS_MAX + 1];
	struct nlattr *tb[OL2TP_ATTR_MAX + 1];
	struct reply *r = arg;
	int i;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, OL2TP_ATTR_MAX, NULL))
		return NL_SKIP;
	if (tb[OL2TP_ATTR_SEND_SEQ])
		r->send_seq = nla_get_u8(tb[OL2TP_ATTR_SEND_SEQ]);
	if (tb[OL2TP_ATTR_RECV_SEQ])
		r->recv_seq = nla_get_u8(tb[OL2TP_ATTR_RECV_SEQ]);
	if (tb[OL2TP_ATTR_LNS_MODE])
		r->lns_mode = nla_get_u8(tb[OL2TP_ATTR_LNS_MODE]);
	if (tb[OL2TP_ATTR_RECV_TIMEOUT])
		r->reorder_timeout = nla_get_u64(tb[OL2TP_ATTR_RECV_TIMEOUT]);
	if (tb[OL2TP_ATTR_STATS] &&
	    !nla_parse_nested(st, OL2TP_ATTR_STATS_MAX, tb[OL2TP_ATTR_STATS],
			      NULL)) {
		r->has_stats = true;
		for (i = 1; i <= OL2TP_ATTR_STATS_MAX; i++)
			if (st[i] && nla_len(st[i]) == sizeof(uint64_t))
				r->stats[i] = nla_get_u64(st[i]);
	}
	return NL_OK;
}

/* Send @cmd for the session with @key set to @val (@key 0: none). */
static void session_request(uint8_t cmd, int key, uint64_t val,
			    struct reply *r)
{
	struct nl_msg *msg;
	struct nl_cb *cb;
	int err;

	if (!nl)
		open_genl();
	memset(r, 0, sizeof(*r));
	msg = nlmsg_alloc();
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!msg || !cb)
		die("out of memory");
	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, genl_family, 0, 0, cmd,
		    OL2TP_GENL_VERSION);
	nla_put_u32(msg, OL2TP_ATTR_CONN_ID, o.tunnel_id);
	nla_put_u32(msg, OL2TP_ATTR_SESSION_ID, o.session_id);
	if (key == OL2TP_ATTR_RECV_TIMEOUT)
		nla_put_u64(msg, key, val);
	else if (key)
		nla_put_u8(msg, key, (uint8_t)val);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_session, r);
	err = nl_send_auto(nl, msg);
	if (err < 0)
		die("netlink send: %s", nl_geterror(err));
	while (!r->done) {
		err = nl_recvmsgs(nl, cb);
		if (err < 0 && !r->done)
			die("netlink receive: %s", nl_geterror(err));
	}
	nlmsg_free(msg);
	nl_cb_put(cb);
	if (r->err) {
		fprintf(stderr, "l2tp-inject: the kernel refused the request: %s\n",
			strerror(-r->err));
		exit(2);
	}
}

static void cmd_stats(void)
{
	struct reply r;
	int i;

	session_request(OL2TP_CMD_SESSION_GET, 0, 0, &r);
	if (!r.has_stats)
		die("the session GET reply has no STATS");
	printf("stats");
	for (i = 1; i <= OL2TP_ATTR_STATS_MAX; i++)
		if (ol2tp_stat_name(i))
			printf(" %s=%llu", ol2tp_stat_name(i),
			       (unsigned long long)r.stats[i]);
	printf("\n");
	fflush(stdout);
}

static void cmd_get(void)
{
	struct reply r;

	session_request(OL2TP_CMD_SESSION_GET, 0, 0, &r);
	printf("session send_seq=%u recv_seq=%u lns_mode=%u reorder_timeout=%llu\n",
	       r.send_seq, r.recv_seq, r.lns_mode,
	       (unsigned long long)r.reorder_timeout);
	fflush(stdout);
}

static void cmd_set(char *arg)
{
	static const struct { const char *name; int attr; } keys[] = {
		{ "recv_seq", OL2TP_ATTR_RECV_SEQ },
		{ "send_seq", OL2TP_ATTR_SEND_SEQ },
		{ "lns_mode", OL2TP_ATTR_LNS_MODE },
		{ "reorder_timeout", OL2TP_ATTR_RECV_TIMEOUT },
	};
	char *eq = strchr(arg, '=');
	struct reply r;
	size_t i;

	if (!eq)
		die("set: needs KEY=VALUE, not '%s'", arg);
	*eq = 0;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(arg, keys[i].name))
			continue;
		session_request(OL2TP_CMD_SESSION_MODIFY, keys[i].attr,
				parse_num(eq + 1, keys[i].attr ==
					  OL2TP_ATTR_RECV_TIMEOUT ?
					  3600000 : 1), &r);
		return;
	}
	die("set: unknown key '%s'", arg);
}

/* --- ol2tp's debugfs view ----------------------------------------------- */

#define SEQ_STATE_PATH "/sys/kernel/debug/ol2tp/seq"

/*
 * Print "state NAME=VALUE ..." for the session from ol2tp's debugfs view
 * (read in the DUT netns: it lists the reader's namespace), or
 * "state unavailable".
 */
static void cmd_state(void)
{
	char buf[65536], *names[32], *vals[32], *line, *lsave, *save;
	unsigned int n = 0, i;
	size_t len = 0;
	FILE *f;

	/* The view lists the namespace of the reading task: read it all there. */
	enter_netns(o.dut_ns);
	f = fopen(SEQ_STATE_PATH, "r");
	if (f) {
		len = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	enter_netns(NULL);
	buf[len] = 0;
	line = strtok_r(buf, "\n", &lsave);
	if (!line) {
		printf("state unavailable\n");
		goto out;
	}
	for (names[n] = strtok_r(line, " ", &save); names[n] && n < 31;
	     names[n] = strtok_r(NULL, " ", &save))
		n++;
	while ((line = strtok_r(NULL, "\n", &lsave))) {
		for (i = 0; i < n; i++)
			vals[i] = strtok_r(i ? NULL : line, " ", &save);
		if (n < 2 || !vals[0] || !vals[1] ||
		    strtoul(vals[0], NULL, 10) != o.tunnel_id ||
		    strtoul(vals[1], NULL, 10) != o.session_id)
			continue;
		printf("state");
		for (i = 2; i < n && vals[i]; i++)
			printf(" %s=%s", names[i], vals[i]);
		printf("\n");
		goto out;
	}
	printf("state no-such-session\n");
out:
	fflush(stdout);
}

/* --- main --------------------------------------------------------------- */

static void cmd_stream(char *arg)
{
	unsigned long from, count, us, i;
	char *a = strtok(arg, ":"), *b = strtok(NULL, ":"),
	     *c = strtok(NULL, ":");
	char mark[16];

	if (!a || !b || !c)
		die("stream: needs FROM:COUNT:US");
	from = parse_num(a, SUBLAYER_NS);
	count = parse_num(b, 1000000);
	us = parse_num(c, 1000000);
	for (i = 0; i < count; i++) {
		uint32_t ns = (from + i) & SUBLAYER_NS;

		snprintf(mark, sizeof(mark), "%u", ns);
		send_data(true, ns, mark);
		if (us)
			usleep(us);
	}
}

static void cmd_shuffle(char *arg)
{
	char *a = strtok(arg, ":"), *b = strtok(NULL, ":"),
	     *c = strtok(NULL, ":"), *d = strtok(NULL, ":");
	unsigned long from, count, window, us, i, j, sent = 0;
	uint32_t *block;
	char mark[16];

	if (!a || !b || !c)
		die("shuffle: needs FROM:COUNT:WINDOW");
	from = parse_num(a, SUBLAYER_NS);
	count = parse_num(b, 10000000);
	window = parse_num(c, 4096);
	us = d ? parse_num(d, 1000000) : 0;
	if (!window)
		die("shuffle: WINDOW must be at least 1");
	block = calloc(window, sizeof(*block));
	if (!block)
		die("out of memory");
	srand(getpid());
	for (i = 0; i < count; i += window) {
		unsigned long n = count - i < window ? count - i : window;

		for (j = 0; j < n; j++)
			block[j] = (from + i + j) & SUBLAYER_NS;
		for (j = n; j > 1; j--) {
			unsigned long k = rand() % j;
			uint32_t t = block[j - 1];

			block[j - 1] = block[k];
			block[k] = t;
		}
		for (j = 0; j < n; j++) {
			snprintf(mark, sizeof(mark), "%u", block[j]);
			send_data(true, block[j], mark);
			sent++;
			if (us)
				usleep(us);
			if (rand() % 20 == 0) {
				send_data(true, block[j], mark);
				sent++;
			}
		}
	}
	free(block);
	printf("sent %lu\n", sent);
	fflush(stdout);
}

static void run(char *cmd)
{
	char *arg = strchr(cmd, ':');

	if (arg)
		*arg++ = 0;
	if (!strcmp(cmd, "s") && arg) {
		char *eq = strchr(arg, '=');

		if (eq)
			*eq++ = 0;
		send_data(true, parse_num(arg, SUBLAYER_NS), eq ? eq : arg);
	} else if (!strcmp(cmd, "u") && arg) {
		send_data(false, 0, arg);
	} else if (!strcmp(cmd, "read") && arg) {
		cmd_read(arg);
	} else if (!strcmp(cmd, "stats") && !arg) {
		cmd_stats();
	} else if (!strcmp(cmd, "get") && !arg) {
		cmd_get();
	} else if (!strcmp(cmd, "state") && !arg) {
		cmd_state();
	} else if (!strcmp(cmd, "set") && arg) {
		cmd_set(arg);
	} else if (!strcmp(cmd, "xmit") && arg) {
		cmd_xmit(arg);
	} else if (!strcmp(cmd, "capture") && arg) {
		cmd_capture(arg);
	} else if (!strcmp(cmd, "sleep") && arg) {
		usleep(parse_num(arg, 600000) * 1000);
	} else if (!strcmp(cmd, "stream") && arg) {
		cmd_stream(arg);
	} else if (!strcmp(cmd, "shuffle") && arg) {
		cmd_shuffle(arg);
	} else {
		die("unknown command '%s'", cmd);
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: l2tp-inject [--peer-ns NS] [--dut-ns NS] [--encap udp|ip]\n"
		"         [--local ADDR --remote ADDR] [--lport N --rport N]\n"
		"         [--tunnel ID] --session ID [--cookie HEX]\n"
		"         [--dut-cookie-len N] [--l2spec default|none]\n"
		"         [--ifname NAME] [--version 2|3]\n"
		"         [--peer-tunnel ID --peer-session ID] [--cpu N]\n"
		"         COMMAND...\n"
		"commands: s:NS[=MARK] u:MARK read:N[:MS] stats get set:KEY=VAL\n"
		"          xmit:MARK capture:N[:MS] sleep:MS stream:FROM:COUNT:US\n"
		"          state shuffle:FROM:COUNT:WINDOW\n");
	exit(1);
}

int main(int argc, char **argv)
{
	unsigned int cpu = 0;
	cpu_set_t cpus;
	int i;

	for (i = 1; i < argc && !strncmp(argv[i], "--", 2); i += 2) {
		const char *k = argv[i] + 2, *v = argv[i + 1];

		if (!v)
			usage();
		if (!strcmp(k, "peer-ns"))
			o.peer_ns = v;
		else if (!strcmp(k, "dut-ns"))
			o.dut_ns = v;
		else if (!strcmp(k, "encap"))
			o.encap_ip = !strcmp(v, "ip");
		else if (!strcmp(k, "local"))
			o.local = v;
		else if (!strcmp(k, "remote"))
			o.remote = v;
		else if (!strcmp(k, "lport"))
			o.lport = parse_num(v, 65535);
		else if (!strcmp(k, "rport"))
			o.rport = parse_num(v, 65535);
		else if (!strcmp(k, "tunnel"))
			o.tunnel_id = parse_num(v, UINT32_MAX);
		else if (!strcmp(k, "session"))
			o.session_id = parse_num(v, UINT32_MAX);
		else if (!strcmp(k, "cookie"))
			parse_hex(v, o.cookie, &o.cookie_len);
		else if (!strcmp(k, "dut-cookie-len"))
			o.dut_cookie_len = parse_num(v, 8);
		else if (!strcmp(k, "l2spec"))
			o.l2spec = strcmp(v, "none");
		else if (!strcmp(k, "ifname"))
			o.ifname = v;
		else if (!strcmp(k, "version"))
			o.version = parse_num(v, 3) == 2 ? 2 : 3;
		else if (!strcmp(k, "peer-tunnel"))
			o.peer_tunnel_id = parse_num(v, UINT32_MAX);
		else if (!strcmp(k, "peer-session"))
			o.peer_session_id = parse_num(v, UINT32_MAX);
		else if (!strcmp(k, "cpu"))
			cpu = parse_num(v, CPU_SETSIZE - 1);
		else
			usage();
		if (!strcmp(k, "encap") && strcmp(v, "ip") && strcmp(v, "udp"))
			usage();
	}
	if (i >= argc)
		usage();

	/* One CPU: what we send is processed in the order we send it. */
	CPU_ZERO(&cpus);
	CPU_SET(cpu, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus))
		die("sched_setaffinity: %s", strerror(errno));

	if (o.version == 2 && o.encap_ip)
		die("L2TPv2 runs over UDP only");
	/* Open the reader first: it must see every delivery. */
	if (o.ifname || (o.version == 2 && o.session_id))
		open_packet_socket();
	if (o.local && o.remote)
		open_peer_socket();

	for (; i < argc; i++)
		run(argv[i]);
	return 0;
}
