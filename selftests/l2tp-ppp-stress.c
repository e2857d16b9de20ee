// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp-ppp-stress: PPPoL2TP sockets, netlink and the data path racing each
 * other; run by l2tp-ppp-stress.sh in a network namespace of its own.
 *
 *   netns (lo)
 *     thread "sockets":  connect session sockets (creating sessions), send,
 *                        bind some to /dev/ppp (PPPIOCGCHAN, PPPIOCATTCHAN,
 *                        PPPIOCBRIDGECHAN), close in a shuffled order
 *     thread "netlink":  SESSION_CREATE / SESSION_DELETE of the same ids,
 *                        attach with fd -1, TUNNEL_DELETE and re-creation
 *                        through a management socket
 *     thread "peer":     injects L2TPv2 data for every session id and
 *                        drains what the tunnel sends
 *
 * A fixed number of rounds, no timing.  What must hold: the kernel does not
 * complain (vm-run fails the run on any WARNING/BUG), data flows during the
 * churn, and once everything is closed no tunnel is left and the PPP
 * module's reference count is back where it started (nothing leaked).
 *
 * Prints "PASS what", "FAIL what -- why"; the wrapper makes TAP of it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <linux/if_pppox.h>
#include <linux/if_pppol2tp.h>
#include <linux/ppp-ioctl.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include <linux/ol2tp.h>

#define TID		900
#define PTID		901
#define NR_IDS		8
#define ROUNDS		150
#define TPORT		48000
#define PPORT		48001

static atomic_int failures;
static atomic_bool stop;
static atomic_long n_connects, n_nl_creates, n_tunnels, n_sent, n_peer_rx;
static const char *modname = "ol2tp_ppp";

static void result(bool ok, const char *what, const char *why)
{
	if (ok) {
		printf("PASS %s\n", what);
	} else {
		printf("FAIL %s -- %s\n", what, why);
		failures++;
	}
	fflush(stdout);
}

/* --- netlink (one socket per thread) --------------------------------------- */

struct nl {
	struct nl_sock *sk;
	int family;
};

static int nl_on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	(void)who;
	*(int *)arg = e->error;
	return NL_STOP;
}

static int nl_on_ack(struct nl_msg *msg, void *arg)
{
	(void)msg;
	*(int *)arg = 0;
	return NL_STOP;
}

static int nl_on_valid(struct nl_msg *msg, void *arg)
{
	(void)msg;
	*(int *)arg = 0;
	return NL_OK;
}

static void nl_open(struct nl *n)
{
	n->sk = nl_socket_alloc();
	if (!n->sk || genl_connect(n->sk))
		exit(1);
	n->family = genl_ctrl_resolve(n->sk, OL2TP_GENL_NAME);
	if (n->family < 0)
		exit(1);
}

/* One request with u32 attributes (type, value pairs, 0-terminated). */
static int nl_req(struct nl *n, int cmd, ...)
{
	struct nl_msg *m = nlmsg_alloc();
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int err = 1, type;
	va_list ap;

	genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, n->family, 0, 0, cmd,
		    OL2TP_GENL_VERSION);
	va_start(ap, cmd);
	while ((type = va_arg(ap, int))) {
		unsigned int v = va_arg(ap, unsigned int);

		if (type == OL2TP_ATTR_PW_TYPE)
			nla_put_u16(m, type, v);
		else
			nla_put_u32(m, type, v);
	}
	va_end(ap);
	nl_cb_err(cb, NL_CB_CUSTOM, nl_on_error, &err);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, nl_on_ack, &err);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, nl_on_valid, &err);
	if (nl_send_auto(n->sk, m) >= 0)
		while (err > 0 && nl_recvmsgs(n->sk, cb) >= 0)
			;
	nl_cb_put(cb);
	nlmsg_free(m);
	return err;
}

/* --- sockets ------------------------------------------------------------------- */

static int udp_socket(uint16_t lport, uint16_t rport)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(lport);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)))
		exit(1);
	a.sin_port = htons(rport);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
		exit(1);
	return fd;
}

static int ppp_open(int fd, uint16_t sid, uint16_t psid)
{
	struct sockaddr_pppol2tp a = {
		.sa_family = AF_PPPOX,
		.sa_protocol = PX_PROTO_OL2TP,
	};
	int s = socket(AF_PPPOX, SOCK_DGRAM, PX_PROTO_OL2TP);

	if (s < 0)
		return -1;
	a.pppol2tp.fd = fd;
	a.pppol2tp.addr.sin_family = AF_INET;
	a.pppol2tp.s_tunnel = TID;
	a.pppol2tp.d_tunnel = PTID;
	a.pppol2tp.s_session = sid;
	a.pppol2tp.d_session = psid;
	if (connect(s, (struct sockaddr *)&a, sizeof(a))) {
		close(s);
		return -1;
	}
	return s;
}

/* The tunnel: a UDP socket and a management socket that created it. */
static pthread_mutex_t tunnel_lock = PTHREAD_MUTEX_INITIALIZER;
static int tunnel_fd = -1, mgmt_fd = -1;

static void tunnel_up(void)
{
	pthread_mutex_lock(&tunnel_lock);
	if (tunnel_fd >= 0)
		close(tunnel_fd);
	if (mgmt_fd >= 0)
		close(mgmt_fd);
	tunnel_fd = udp_socket(TPORT, PPORT);
	mgmt_fd = ppp_open(tunnel_fd, 0, 0);
	if (mgmt_fd >= 0)
		n_tunnels++;
	pthread_mutex_unlock(&tunnel_lock);
}

/* --- threads ---------------------------------------------------------------------- */

static void *sockets_thread(void *arg)
{
	unsigned int seed = 1;
	int round, i;

	(void)arg;
	for (round = 0; round < ROUNDS; round++) {
		int s[NR_IDS], ch[NR_IDS], idx[NR_IDS];

		for (i = 0; i < NR_IDS; i++) {
			s[i] = ppp_open(-1, i + 1, i + 101);
			ch[i] = -1;
			if (s[i] < 0)
				continue;
			n_connects++;
			if (send(s[i], "\x80\x21stress", 8, MSG_DONTWAIT) > 0)
				n_sent++;
			if (rand_r(&seed) % 2 &&
			    !ioctl(s[i], PPPIOCGCHAN, &idx[i])) {
				ch[i] = open("/dev/ppp", O_RDWR);
				if (ch[i] >= 0)
					ioctl(ch[i], PPPIOCATTCHAN, &idx[i]);
				if (i && ch[i - 1] >= 0 && ch[i] >= 0)
					ioctl(ch[i - 1], PPPIOCBRIDGECHAN,
					      &idx[i]);
			}
		}
		/* Close in a shuffled order, channels before or after. */
		for (i = 0; i < NR_IDS; i++) {
			int j = (i * 5 + round) % NR_IDS;

			if (rand_r(&seed) % 2) {
				if (ch[j] >= 0)
					close(ch[j]);
				if (s[j] >= 0)
					close(s[j]);
			} else {
				if (s[j] >= 0)
					close(s[j]);
				if (ch[j] >= 0)
					close(ch[j]);
			}
		}
	}
	return NULL;
}

static void *netlink_thread(void *arg)
{
	struct nl n;
	int round, s;

	(void)arg;
	nl_open(&n);
	for (round = 0; round < ROUNDS; round++) {
		unsigned int sid = round % NR_IDS + 1;

		if (!nl_req(&n, OL2TP_CMD_SESSION_CREATE,
			    OL2TP_ATTR_CONN_ID, TID, OL2TP_ATTR_SESSION_ID, sid,
			    OL2TP_ATTR_PEER_SESSION_ID, sid + 100,
			    OL2TP_ATTR_PW_TYPE, OL2TP_PWTYPE_PPP, 0))
			n_nl_creates++;
		s = ppp_open(-1, sid, sid + 100);
		nl_req(&n, OL2TP_CMD_SESSION_DELETE, OL2TP_ATTR_CONN_ID, TID,
		       OL2TP_ATTR_SESSION_ID, (sid * 3) % NR_IDS + 1, 0);
		if (s >= 0)
			close(s);
		if (round % 25 == 24) {
			nl_req(&n, OL2TP_CMD_TUNNEL_DELETE, OL2TP_ATTR_CONN_ID,
			       TID, 0);
			/* Linux deletes tunnels asynchronously: retry. */
			for (s = 0; s < 50; s++) {
				tunnel_up();
				if (mgmt_fd >= 0)
					break;
				usleep(20000);
			}
		}
	}
	nl_socket_free(n.sk);
	return NULL;
}

static void *peer_thread(void *arg)
{
	int peer = udp_socket(PPORT, TPORT);
	unsigned char p[32];
	unsigned int i = 0;
	char buf[2048];

	(void)arg;
	while (!stop) {
		uint16_t sid = i++ % NR_IDS + 1;

		/* v2 data header, FF 03, a PPP frame (14+ bytes for Linux) */
		memcpy(p, "\x00\x02", 2);
		p[2] = TID >> 8;
		p[3] = TID & 0xff;
		p[4] = sid >> 8;
		p[5] = sid;
		memcpy(p + 6, "\xff\x03\x80\x21" "peer-data", 13);
		send(peer, p, 19, MSG_DONTWAIT);
		while (recv(peer, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			n_peer_rx++;
		if (i % 64 == 0)
			usleep(1000);
	}
	close(peer);
	return NULL;
}

static long module_refcnt(void)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", modname);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

int main(void)
{
	const char *impl = getenv("OL2TP_IMPL");
	pthread_t th[3];
	long base, now = -1;
	char why[160];
	struct nl n;
	int i;

	if (impl && !strcmp(impl, "intree"))
		modname = "l2tp_ppp";
	setvbuf(stdout, NULL, _IOLBF, 0);
	base = module_refcnt();
	tunnel_up();
	if (mgmt_fd < 0) {
		result(false, "stress: setup", strerror(errno));
		return 1;
	}

	pthread_create(&th[2], NULL, peer_thread, NULL);
	pthread_create(&th[0], NULL, sockets_thread, NULL);
	pthread_create(&th[1], NULL, netlink_thread, NULL);
	pthread_join(th[0], NULL);
	pthread_join(th[1], NULL);
	stop = true;
	pthread_join(th[2], NULL);

	printf("# connects %ld, netlink creates %ld, tunnels %ld, frames sent %ld, peer received %ld\n",
	       n_connects, n_nl_creates, n_tunnels, n_sent, n_peer_rx);
	result(n_connects > 0 && n_nl_creates > 0 && n_tunnels > 1,
	       "stress: connects, netlink creates and tunnel re-creations all happened",
	       "one kind of operation never succeeded");
	result(n_peer_rx > 0, "stress: data reached the peer during the churn",
	       "the peer received nothing");

	/* Clean up: the tunnel goes with its UDP socket. */
	close(mgmt_fd);
	close(tunnel_fd);
	nl_open(&n);
	for (i = 0; i < 100; i++) {
		now = module_refcnt();
		if (nl_req(&n, OL2TP_CMD_TUNNEL_GET, OL2TP_ATTR_CONN_ID, TID,
			   0) && now == base)
			break;
		usleep(50000);
	}
	result(nl_req(&n, OL2TP_CMD_TUNNEL_GET, OL2TP_ATTR_CONN_ID, TID, 0) != 0,
	       "stress: no tunnel is left once its socket is closed",
	       "the tunnel still exists");
	snprintf(why, sizeof(why), "%s refcnt %ld before, %ld after", modname,
		 base, now);
	result(now == base, "stress: no socket or session leaked (module refcount)",
	       why);
	return failures ? 1 : 0;
}
