#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ol2tpd for operators, L2TPv3 Ethernet pseudowire over UDP, MD5 digest:
#
#  - reconnect: a's pseudowire has mtu 1400 and an up script that adds
#    its address; b's is a port of bridge br0 (which has b's address) with
#    mtu 1400.  b restarts: a's interface is a new one (new ifindex) and
#    has its MTU and address again; a restarts: b's new interface is in
#    br0 with its MTU again; a ping crosses after each, and the scripts saw
#    the documented environment (up, then down, then up);
#  - auth: a initiates with the wrong secret: one notice line naming the
#    cause, "ol2tp peer show" reports it not established and the last
#    error, and the next SCCRQs come after a growing wait (not every
#    "reconnect");
#    the log lines on stderr carry the time;
#  - tie: both initiate the connection and the pseudowire at once
#    (symmetric configurations), through a router that delays packets so
#    that both SCCRQs cross; one tunnel and one session come up, and a
#    capture on the router shows two SCCRQs, one StopCCN (not
#    retransmitted), one ICRQ and no CDN;
#  - path: a initiates where nothing takes L2TP (UDP: the peer's port
#    unreachable, a router's "host unreachable"; IP: a router's
#    "administratively prohibited"): one warning names the ICMP error, who
#    sent it and what it likely means, and once the connection gives up,
#    "ol2tp peer show" names it in the last error.
#
#    ns a                        ns r                        ns b
#  +----------------+  veth  +-------------+  veth  +-------------------+
#  | ol2tpd (a.conf)|--------| ra       rb |--------| ol2tpd (b.conf)   |
#  | eth0 10.1.1.1  |        | netem, pcap |        | eth0 10.1.2.1     |
#  | pwa 192.168.93.1 ====== L2TPv3 / UDP ========= pwb -- br0         |
#  |  (up script)   |        |             |        |  192.168.93.2     |
#  +----------------+        +-------------+        +-------------------+
#
# ol2tp-timeout: 400

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping tc
[ -x "$OL2TP_BIN/ol2tpd" ] || skip_all "ol2tpd not built (make userspace)"
[ -x "$OL2TP_BIN/ol2tp" ] || skip_all "ol2tp not built (make userspace)"
topo_router || skip_all "cannot build the topology"

dir=$(mktemp -d /tmp/ol2tpd-ops.XXXXXX)
cleanup_push "rm -rf $dir"
SECRET="ops secret"

# conf NS LOCAL PEER INITIATE SECRET PW_LINES...
conf()
{
	local n=$1 local=$2 peer=$3 init=$4 secret=$5
	shift 5
	ol2tpd_conf "$n" "$local" "$peer" \
		"initiate = $init" "reconnect = 1" "secret = \"$secret\"" \
		"digest = md5" "" \
		"[pseudowire pw]" "peer = other" "type = ethernet" \
		"remote-end-id = ops" "initiate = $init" "$@"
}

# hook NS: a script that logs its environment to $dir/NS.hooks (and, in
# a, adds the pseudowire's address when it comes up).
hook()
{
	cat > "$dir/$1-hook" <<EOS
#!/bin/sh
echo "\$1 if=\$OL2TP_INTERFACE arg=\$2 pw=\$OL2TP_PSEUDOWIRE peer=\$OL2TP_PEER host=\$OL2TP_PEER_HOST type=\$OL2TP_TYPE v=\$OL2TP_VERSION encap=\$OL2TP_ENCAP tunnel=\$OL2TP_TUNNEL_ID/\$OL2TP_PEER_TUNNEL_ID session=\$OL2TP_SESSION_ID/\$OL2TP_PEER_SESSION_ID local=\$OL2TP_LOCAL_ADDRESS remote=\$OL2TP_REMOTE_ADDRESS" >> $dir/$1.hooks
if [ "\$1" = up ] && [ "$1" = a ]; then
	ip addr add 192.168.93.1/24 dev "\$OL2TP_INTERFACE"
fi
EOS
	chmod +x "$dir/$1-hook"
}

stop()
{
	stop_daemon "$1"
	sed "s/^/$CASE $1: /" "$dir/$1.log" >> "$dir/all.log"
}

session_up()	# session_up NS IFNAME
{
	"$OL2TP_BIN/ol2tpd" -S "$dir/$1.sock" -C "session show" 2>/dev/null |
		grep -q "state established.*interface $2"
}

ifindex()	# ifindex NS IFNAME
{
	ns_exec "$1" cat "/sys/class/net/$2/ifindex"
}

mtu_of()	# mtu_of NS IFNAME
{
	ns_exec "$1" cat "/sys/class/net/$2/mtu"
}

master_of()	# master_of NS IFNAME: the bridge it is a port of
{
	basename "$(ns_exec "$1" readlink "/sys/class/net/$2/master")"
}

has_addr()	# has_addr NS IFNAME ADDR
{
	ip -n "$(ns "$1")" -4 addr show dev "$2" | grep -q "inet $3/"
}

count()		# count NS what
{
	ip -n "$(ns "$1")" l2tp show "$2" | grep -ci "^$2"
}

# --- reconnect: the interfaces come back whole -----------------------------
CASE=reconnect
hook a
hook b
ip -n "$(ns b)" link add br0 type bridge
ip -n "$(ns b)" link set br0 up
addr_add b br0 192.168.93.2/24
conf a "$A4" "$B4" yes "$SECRET" "interface = pwa" "mtu = 1400" \
	"up = $dir/a-hook" "down = $dir/a-hook"
conf b "$B4" "$A4" no "$SECRET" "interface = pwb" "mtu = 1400" \
	"bridge = br0" "up = $dir/b-hook" "down = $dir/b-hook"
start_ol2tpd b
start_ol2tpd a
check "reconnect: pseudowire up" wait_for 30 session_up a pwa
check "reconnect: b's interface up" wait_for 10 session_up b pwb
check_eq "reconnect: a's mtu set" 1400 "$(mtu_of a pwa)"
check_eq "reconnect: b's interface is a port of br0" br0 "$(master_of b pwb)"
check "reconnect: a's up script added its address" \
	wait_for 5 has_addr a pwa 192.168.93.1
check "reconnect: ping across" wait_for 10 ping_ok a 192.168.93.2 1
old_a=$(ifindex a pwa)
old_b=$(ifindex b pwb)

stop b
start_ol2tpd b
check "reconnect: after b restarts, a's pseudowire is back" \
	wait_for 30 session_up a pwa
check "reconnect: ... on a new interface" \
	test "$(ifindex a pwa)" != "$old_a"
check_eq "reconnect: ... with its mtu" 1400 "$(mtu_of a pwa)"
check "reconnect: ... and its address (up script)" \
	wait_for 5 has_addr a pwa 192.168.93.1
check "reconnect: ping across after b restarted" \
	wait_for 10 ping_ok a 192.168.93.2 1

stop a
start_ol2tpd a
check "reconnect: after a restarts, b's pseudowire is back" \
	wait_for 30 session_up b pwb
check "reconnect: ... on a new interface" \
	test "$(ifindex b pwb)" != "$old_b"
check_eq "reconnect: ... in br0 again" br0 "$(master_of b pwb)"
check_eq "reconnect: ... with its mtu" 1400 "$(mtu_of b pwb)"
check "reconnect: ping across after a restarted" \
	wait_for 10 ping_ok a 192.168.93.2 1
# b saw: up (first), down (a went), up (a came back) at least.
check "reconnect: b's scripts ran up, down, up" \
	bash -c "cut -d' ' -f1 '$dir/b.hooks' | tr '\n' ' ' | grep -q '^up down up'"
check "reconnect: the script's arguments and environment" \
	grep -Eq "^up if=pwb arg=pwb pw=pw peer=other host=lcce-a type=ethernet v=3 encap=udp tunnel=[0-9]+/[0-9]+ session=[0-9]+/[0-9]+ local=$B4 remote=$A4\$" "$dir/b.hooks"
check "reconnect: down names the interface that went" \
	grep -q "^down if=pwb " "$dir/b.hooks"
stop a
stop b
ip -n "$(ns b)" link del br0

# --- auth: a refused initiator says so and backs off -------------------------
CASE=auth
conf a "$A4" "$B4" yes "not the secret" "interface = pwa"
conf b "$B4" "$A4" no "$SECRET" "interface = pwb"
start_ol2tpd b
start_ol2tpd a
check "auth: a notice names the likely cause" \
	wait_for 10 grep -q "notice: other: authentication failed: peer rejected us or secrets differ" "$dir/a.log"
out=$("$OL2TP_BIN/ol2tp" -S "$dir/a.sock" peer show 2>&1)
diag "$out"
# Not "state down" only: after the first wait (1 s) the next SCCRQ may be
# out already, as on a slow (debug) kernel.
check "auth: ol2tp peer show: not established, the last error" \
	grep -Eq "state (down|idle|wait-ctl-reply|wait-ctl-conn) (.* )?last-error \"peer rejected us or secrets differ" <<<"$out"
# reconnect = 1: without back-off 1 + ~1 s per attempt; with it 1, 2, 4 s.
sleep 8
n=$(grep -c "SCCRQ sent" "$dir/a.log")
diag "SCCRQs in 8 s: $n"
check "auth: backed off (at most 4 SCCRQs in 8 s, got $n)" test "$n" -le 4
check "auth: and the waits grow" \
	grep -q "trying again in 4 s" "$dir/a.log"
check_eq "auth: nothing in a's kernel" 0 "$(count a tunnel)"
check "log: stderr lines carry the local time, to the millisecond" \
	grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}[+-][0-9]{4} ol2tpd: notice: other: authentication failed' "$dir/a.log"
stop a
stop b

# --- tie: symmetric configurations, both initiate ------------------------------
# The router delays every packet 150 ms each way, so that both SCCRQs are
# in flight at once and each daemon gets the other's while its own is
# outstanding: a real tie on both sides.
CASE=tie
if modprobe -q sch_netem 2>/dev/null || [ -d /sys/module/sch_netem ]; then
	have_netem=1
	for dev in ra rb; do
		ip netns exec "$(ns r)" tc qdisc add dev $dev root netem delay 150ms
	done
else
	have_netem=0
fi
pcap=$dir/tie.pcap
have_pcap=0
if command -v tcpdump >/dev/null && command -v tshark >/dev/null; then
	tcpdump_start r "$dir/tcpdump.log" -q -i ra -U -w "$pcap" udp port 1701 &&
		have_pcap=1
fi
# Both listening first, then both told to initiate by one kill -HUP: the
# SCCRQs leave within milliseconds of each other, well inside the delay.
conf a "$A4" "$B4" no "$SECRET" "interface = pwa"
conf b "$B4" "$A4" no "$SECRET" "interface = pwb"
start_ol2tpd a
start_ol2tpd b
conf a "$A4" "$B4" yes "$SECRET" "interface = pwa"
conf b "$B4" "$A4" yes "$SECRET" "interface = pwb"
kill -HUP "$pid_a" "$pid_b"
check "tie: pseudowire up in a" wait_for 30 session_up a pwa
check "tie: pseudowire up in b" wait_for 10 session_up b pwb
# Long enough for a StopCCN's retransmissions (1, 2, 4, 8 s) to show.
sleep 16
check_eq "tie: one tunnel in a" 1 "$(count a tunnel)"
check_eq "tie: one tunnel in b" 1 "$(count b tunnel)"
check_eq "tie: one session in a" 1 "$(count a session)"
check_eq "tie: one session in b" 1 "$(count b session)"
if [ $have_pcap = 1 ] && [ $have_netem = 1 ]; then
	tcpdump_stop
	# One line per control message: TYPE,SOURCE,NS (ZLBs have no type).
	msgs=$(tshark -r "$pcap" -T fields -E separator=, \
		-e l2tp.avp.message_type -e ip.src -e l2tp.Ns 2>/dev/null |
		grep -v '^,')
	diag "message types on the wire: $(cut -d, -f1 <<<"$msgs" | tr '\n' ' ')"
	n_of()	# n_of TYPE: control messages of that type, each copy once
	{
		grep "^$1," <<<"$msgs" | sort -u | wc -l
	}
	copies_of()	# copies_of TYPE: every copy on the wire
	{
		grep -c "^$1," <<<"$msgs"
	}
	check "tie: both sides saw the tie" \
		bash -c "grep -q 'tie breaker' '$dir/a.log' && grep -q 'tie breaker' '$dir/b.log'"
	check_ge "tie: both SCCRQs on the wire" 2 "$(n_of 1)"
	check_eq "tie: one StopCCN, for the losing connection" 1 "$(n_of 4)"
	# Unacknowledged, it would go 5 times in the 16 s (1, 2, 4, 8 s);
	# once more is an acknowledgement slower than 1 s, which a busy
	# emulated machine may take.
	check "tie: the StopCCN acknowledged, not retransmitted until given up ($(copies_of 4) copies)" \
		test "$(copies_of 4)" -le 2
	check_eq "tie: one ICRQ exchange" 1 "$(n_of 10)"
	check_eq "tie: no CDN (no session tie)" 0 "$(n_of 14)"
else
	skip "tie: capture" "tcpdump, tshark or sch_netem missing"
fi
stop a
stop b
if [ $have_netem = 1 ]; then
	for dev in ra rb; do
		ip netns exec "$(ns r)" tc qdisc del dev $dev root
	done
fi

# --- path: an ICMP error about the SCCRQ is named ----------------------------
# a initiates to r, where nothing listens on UDP 1701 (ICMP "port
# unreachable" from the peer itself), then over UDP to an address r has
# no way to ("host unreachable", a soft error, from r), then over IP to an
# address r refuses (a "prohibit" route: "administratively prohibited").
# A warning names each once, with who sent it; the first connection gives
# up (retries = 1) and "peer show" names the error too.
CASE=path
path_conf()	# path_conf PEER ENCAP
{
	ol2tpd_conf a "$A4" "$1" "initiate = yes" "reconnect = 0" \
		"retries = 1" "encap = $2"
}

peer_show_has()	# peer_show_has NS TEXT
{
	"$OL2TP_BIN/ol2tp" -S "$dir/$1.sock" peer show 2>/dev/null |
		grep -qF "$2"
}

path_conf 10.1.1.254 udp
start_ol2tpd a
check "path: UDP port unreachable at the peer: a warning says what it means" \
	wait_for 10 grep -q "warning: other: the path to 10.1.1.254:1701 reports: Connection refused, from the peer (nothing takes L2TP on that UDP port there" "$dir/a.log"
check "path: once given up, peer show's last error names it" \
	wait_for 15 peer_show_has a 'last-error "peer not responding (retransmissions exhausted) (the path reported: Connection refused)"'
check_eq "path: one warning, though the retransmission was refused too" 1 \
	"$(grep -c 'the path to' "$dir/a.log")"
stop a
ns_exec r ip route add unreachable 10.1.8.0/24
path_conf 10.1.8.1 udp
start_ol2tpd a
check "path: a router's host unreachable (a soft error) is named, with the router" \
	wait_for 10 grep -q "warning: other: the path to 10.1.8.1:1701 reports: No route to host, from 10.1.1.254 (the peer is down or unreachable" "$dir/a.log"
stop a
if [ "$OL2TP_IMPL" = ol2tp ]; then
	ns_exec r ip route add prohibit 10.1.9.0/24
	path_conf 10.1.9.1 ip
	start_ol2tpd a
	check "path: over IP, a router's refusal reaches the daemon and is named" \
		wait_for 10 grep -q "warning: other: the path to 10.1.9.1 reports: No route to host, from 10.1.1.254 (" "$dir/a.log"
	stop a
else
	skip "path: over IP, a router's refusal reaches the daemon and is named" \
		"Linux's l2tp_ip has no ICMP error handler"
fi

[ "$OL2TP_VERBOSE" = 1 ] && sed 's/^/# /' "$dir/all.log"
tap_done
