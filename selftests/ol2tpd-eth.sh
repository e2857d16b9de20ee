#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two ol2tpd bring up L2TPv3 Ethernet pseudowires dynamically, each in its
# own network namespace behind a router, once per transport:
#
#   udp4  L2TPv3 over UDP/IPv4, HMAC-MD5 Message Digest, 8-byte cookies
#   udp6  over UDP/IPv6, HMAC-SHA1 digest + Challenge + hidden AVPs, 4-byte
#   ip4   over IP (protocol 115) on IPv4, MD5 digest
#   ip6   over IP on IPv6, no authentication
#
# For each: the control connection and the session come up, the l2tpeth
# netdevs named in the configuration exist and carry a ping both ways,
# "peer show" / "session show" on the control socket report it, and SIGTERM
# sends StopCCN and leaves no tunnel or session in either kernel.  Over
# udp4, the ol2tp tool drives the daemon too: "ol2tp peer show" (text and
# -j, valid JSON with numbers as numbers), "ol2tp pseudowire show",
# "ol2tp session down pw" (the session leaves both kernels),
# "ol2tp session up pw" (it comes back and carries a ping), an unknown name
# (exit 1, the daemon's message) and no daemon (exit 3, names the socket).  A static
# pseudowire (no control protocol) is created at start, carries a ping and
# is removed at stop.  Then a wrong secret is refused (StopCCN 4, logged)
# and nothing comes up.
#
#    ns a                        ns r                        ns b
#  +----------------+  veth  +-----------+  veth  +----------------+
#  | ol2tpd (a.conf)|--------| ra     rb |--------| ol2tpd (b.conf)|
#  | eth0 10.1.1.1  |        |  router   |        | eth0 10.1.2.1  |
#  |   fd00:1::1    |        |           |        |   fd00:2::1    |
#  | pwa 192.168.N.1 ====== L2TPv3 (UDP or IP) ===== pwb 192.168.N.2 |
#  +----------------+        +-----------+        +----------------+
#
# ol2tp-timeout: 500

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping python3
[ -x "$OL2TP_BIN/ol2tpd" ] || skip_all "ol2tpd not built (make userspace)"
topo_router || skip_all "cannot build the topology"

dir=$(mktemp -d /tmp/ol2tpd-eth.XXXXXX)
cleanup_push "rm -rf $dir"

# conf NS LOCAL PEER INITIATE IFNAME EXTRA_PEER_LINES...
conf()
{
	local n=$1 local=$2 peer=$3 init=$4 ifname=$5 rid
	shift 5
	case $n in a) rid=10.0.0.1 ;; *) rid=10.0.0.2 ;; esac
	ol2tpd_conf "$n" "$local, ip" "$peer" "router-id = $rid" "hello = 5" -- \
		"initiate = $init" "reconnect = 2" "$@" "" \
		"[pseudowire pw]" "peer = other" "type = ethernet" \
		"remote-end-id = pw-77" "cookie = ${COOKIE:-0}" \
		"initiate = $init" "interface = $ifname"
}

stop()		# stop NS: stop_daemon, its log kept in all-NS.log
{
	stop_daemon "$1"
	sed "s/^/$CASE: /" "$dir/$1.log" >> "$dir/all-$1.log"
}

ctl()		# ctl NS CMD...
{
	local n=$1
	shift
	"$OL2TP_BIN/ol2tpd" -S "$dir/$n.sock" -C "$*"
}

session_up()	# session_up NS IFNAME
{
	ctl "$1" session show | grep -q "state established.*interface $2"
}

peer_state()	# peer_state NS PATTERN
{
	ctl "$1" peer show | grep -q "$2"
}

no_kernel_session()	# no_kernel_session NS
{
	[ -z "$(ip -n "$(ns "$1")" l2tp show session)" ]
}

# The ol2tp tool as ol2tpd's client, on a's daemon: run_case udp4 calls it
# with the pseudowire up and pinging.
tool_checks()
{
	local sock=$dir/a.sock out rc n=$1

	out=$(ol2tp -S "$sock" peer show)
	check_eq "ol2tp peer show: exit 0" 0 $?
	check "ol2tp peer show: peer other established" \
		grep -q "^peer other address $B4 .*state established remote $B4:1701 " <<<"$out"
	out=$(ol2tp -S "$sock" -j peer show)
	check "ol2tp -j peer show: valid JSON" python3 -m json.tool <<<"$out"
	check "ol2tp -j peer show: state a string, tunnel and retransmits numbers" \
		python3 -c 'import json, sys
p = json.load(sys.stdin)[0]
assert p["name"] == "other" and p["state"] == "established", p
assert isinstance(p["tunnel"], int) and p["tunnel"] > 0, p
assert isinstance(p["retransmits"], int) and p["peer-host"] == "lcce-b", p' <<<"$out"
	out=$(OL2TPD_SOCKET=$sock ol2tp pseudowire show name pw)
	check "ol2tp pseudowire show name pw (\$OL2TPD_SOCKET): established, pwa" \
		grep -q "^session pw peer other type ethernet state established.*interface pwa" <<<"$out"

	ol2tp -S "$sock" session down pw
	check_eq "ol2tp session down pw: exit 0" 0 $?
	check "session down: the session leaves a's kernel" \
		wait_for 10 no_kernel_session a
	check "session down: and b's (CDN)" wait_for 10 no_kernel_session b
	check "session down: pseudowire show says down" \
		grep -q "state down" <<<"$(ol2tp -S "$sock" pseudowire show name pw)"
	check "session down: the tunnel stays" \
		wait_for 10 peer_state a "state established.*sessions 0"

	ol2tp -S "$sock" session up pw
	check_eq "ol2tp session up pw: exit 0" 0 $?
	check "session up: established again in a" wait_for 15 session_up a pwa
	check "session up: and in b" wait_for 10 session_up b pwb
	addr_add a pwa "192.168.$n.1/24"
	addr_add b pwb "192.168.$n.2/24"
	check "session up: ping across it" wait_for 10 ping_ok a "192.168.$n.2" 1

	out=$(ol2tp -S "$sock" session down nosuch 2>&1)
	rc=$?
	check_eq "ol2tp session down nosuch: exit 1" 1 $rc
	check "ol2tp session down nosuch: the daemon's message" \
		grep -q 'ol2tp: ol2tpd: no pseudowire named "nosuch"' <<<"$out"
	out=$(ol2tp -S "$sock" peer show name nosuch 2>&1)
	check_eq "ol2tp peer show name nosuch: exit 1" 1 $?
}

no_kernel_objects()
{
	[ -z "$(ip -n "$(ns "$1")" l2tp show tunnel)" ] &&
		[ -z "$(ip -n "$(ns "$1")" l2tp show session)" ]
}

# run_case NAME SUBNET_N A_ADDR B_ADDR PEER_LINES...
run_case()
{
	local n=$2 aa=$3 ba=$4
	CASE=$1
	shift 4
	conf a "$aa" "$ba" yes pwa "$@"
	conf b "$ba" "$aa" no pwb "$@"
	start_ol2tpd b
	start_ol2tpd a
	check "$CASE: session up in a (pwa)" wait_for 30 session_up a pwa
	check "$CASE: session up in b (pwb)" wait_for 10 session_up b pwb
	check "$CASE: peer show: established, no authentication failure" \
		peer_state a "state established.*auth-failures 0"
	case $CASE in
	ip*)	check "$CASE: peer show: remote is the address alone (IP has no ports)" \
			peer_state a "state established remote $ba tunnel " ;;
	esac
	addr_add a pwa "192.168.$n.1/24"
	addr_add b pwb "192.168.$n.2/24"
	check "$CASE: ping across the pseudowire (a -> b)" \
		wait_for 10 ping_ok a "192.168.$n.2" 1
	check "$CASE: ping across the pseudowire (b -> a)" \
		ping_ok b "192.168.$n.1"
	[ "$CASE" = udp4 ] && tool_checks "$n"
	stop a
	stop b
	check_eq "$CASE: SIGTERM: a exits with status 0" 0 "$rc_a"
	check_eq "$CASE: SIGTERM: b exits with status 0" 0 "$rc_b"
	check "$CASE: b heard the StopCCN" grep -q "peer sent StopCCN" "$dir/b.log"
	check "$CASE: no kernel tunnel or session left in a" no_kernel_objects a
	check "$CASE: no kernel tunnel or session left in b" no_kernel_objects b
	if [ "$CASE" = udp4 ]; then
		out=$(ol2tp -S "$dir/a.sock" peer show 2>&1)
		check_eq "ol2tp peer show, no daemon: exit 3" 3 $?
		check "ol2tp peer show, no daemon: names the socket, says start ol2tpd" \
			grep -q "ol2tpd is not running on $dir/a.sock.*start ol2tpd" <<<"$out"
	fi
}

COOKIE=8 run_case udp4 71 "$A4" "$B4" 'secret = "correct horse"' 'digest = md5'
COOKIE=4 run_case udp6 72 "$A6" "$B6" 'secret = "correct horse"' \
	'digest = sha1' 'challenge = yes' 'hide = yes'
run_case ip4 73 "$A4" "$B4" 'encap = ip' 'secret = s3' 'digest = md5'
run_case ip6 74 "$A6" "$B6" 'encap = ip'

# Static pseudowire: no control protocol, created at start, gone at stop.
CASE=static
for n in a b; do
	if [ $n = a ]; then l=$A4 r=$B4 t=11 pt=22 s=111 ps=222 sc=0011223344556677 rc=8899aabb
	else l=$B4 r=$A4 t=22 pt=11 s=222 ps=111 sc=8899aabb rc=0011223344556677; fi
	ol2tpd_conf $n "$l" "" "[static fixed]" "local = $l:1750" \
		"remote = $r:1750" "tunnel-id = $t" "peer-tunnel-id = $pt" \
		"session-id = $s" "peer-session-id = $ps" "send-cookie = $sc" \
		"receive-cookie = $rc" "interface = st$n"
done
static_up()
{
	ctl "$1" session show | grep -q "static fixed .*state static.*interface st$1"
}
start_ol2tpd a
start_ol2tpd b
check "static: pseudowire in a" wait_for 10 static_up a
check "static: pseudowire in b" wait_for 10 static_up b
addr_add a sta 192.168.75.1/24
addr_add b stb 192.168.75.2/24
check "static: ping across it (cookies of 8 and 4 bytes)" \
	wait_for 10 ping_ok a 192.168.75.2 1
stop a
stop b
check_eq "static: a exits with status 0" 0 "$rc_a"
check "static: nothing left in a" no_kernel_objects a
check "static: nothing left in b" no_kernel_objects b

CASE=wrong-secret
conf a "$A4" "$B4" yes pwa 'secret = "correct horse"' 'digest = md5'
conf b "$B4" "$A4" no pwb 'secret = "battery staple"' 'digest = md5'
start_ol2tpd b
start_ol2tpd a
check "wrong secret: responder refuses (StopCCN 4, logged)" \
	wait_for 15 grep -q "shared secret mismatch" "$dir/b.log"
check_fail "wrong secret: no session in a" session_up a pwa
check "wrong secret: no kernel tunnel in a" no_kernel_objects a
check "wrong secret: no kernel tunnel in b" no_kernel_objects b
stop a
stop b

if [ "$OL2TP_VERBOSE" = 1 ]; then
	sed 's/^/# a: /' "$dir/all-a.log"
	sed 's/^/# b: /' "$dir/all-b.log"
fi
tap_done
