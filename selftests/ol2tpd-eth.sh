#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two ol2tpd bring up L2TPv3 Ethernet pseudowires dynamically, each in its
# own network namespace behind a router:
#
#  - over UDP/IPv4 with HMAC-MD5 Message Digest and 8-byte cookies: the
#    control connection and the session come up, the l2tpeth netdevs named
#    in the configuration exist and carry a ping both ways;
#  - "peer show" / "session show" on the control socket report the state and
#    the counters;
#  - a wrong secret is refused and nothing comes up;
#  - SIGTERM sends StopCCN and leaves no tunnel or session in either kernel.
#
#    ns a                        ns r                        ns b
#  +----------------+  veth  +-----------+  veth  +----------------+
#  | ol2tpd (a.conf)|--------| ra     rb |--------| ol2tpd (b.conf)|
#  | eth0 10.1.1.1  |        |  router   |        | eth0 10.1.2.1  |
#  | pwa 192.168.77.1 ====== L2TPv3 / UDP 1701 ===== pwb 192.168.77.2 |
#  +----------------+        +-----------+        +----------------+
#
# ol2tp-timeout: 240

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping
[ -x "$OL2TP_BIN/ol2tpd" ] || skip_all "ol2tpd not built (make userspace)"
topo_router || skip_all "cannot build the topology"

dir=$(mktemp -d /tmp/ol2tpd-eth.XXXXXX)
cleanup_push "rm -rf $dir"

# conf NAME ADDR PEER_ADDR SECRET INITIATE IFNAME
conf()
{
	cat > "$dir/$1.conf" <<EOC
[global]
host-name = lcce-$1
router-id = $2
listen = $2
control-socket = $dir/$1.sock
log-level = debug
hello = 5

[peer other]
address = $3
secret = "$4"
digest = md5
initiate = $5
reconnect = 2

[pseudowire pw]
peer = other
type = ethernet
remote-end-id = pw-77
cookie = 8
initiate = $5
interface = $6
EOC
}

start()		# start NS: ol2tpd in namespace NS, pid in $pid_NS
{
	# Not through a function: $! must be ol2tpd itself.
	ip netns exec "$(ns "$1")" "$OL2TP_BIN/ol2tpd" -f "$dir/$1.conf" \
		> "$dir/$1.log" 2>&1 &
	eval "pid_$1=$!"
	cleanup_push "kill $! 2>/dev/null"
}

stop()		# stop NS: SIGTERM, wait, exit status in $rc_NS
{
	local p rc
	eval "p=\$pid_$1"
	kill -TERM "$p"
	wait "$p"
	rc=$?
	eval "rc_$1=$rc"
	cat "$dir/$1.log" >> "$dir/all-$1.log"
}

ctl()		# ctl NS CMD...
{
	local n=$1
	shift
	"$OL2TP_BIN/ol2tpd" -S "$dir/$n.sock" -C "$*"
}

session_up()
{
	ctl "$1" session show | grep -q "state established.*interface $2"
}

no_kernel_objects()
{
	[ -z "$(ip -n "$(ns "$1")" l2tp show tunnel)" ] &&
		[ -z "$(ip -n "$(ns "$1")" l2tp show session)" ]
}

conf a 10.1.1.1 10.1.2.1 "correct horse" yes pwa
conf b 10.1.2.1 10.1.1.1 "correct horse" no pwb
check "configuration a is valid" "$OL2TP_BIN/ol2tpd" -t -f "$dir/a.conf"
start b
wait_for 5 test -S "$dir/b.sock"
start a

check "session up in a (pwa)" wait_for 30 session_up a pwa
check "session up in b (pwb)" wait_for 10 session_up b pwb
peer_state()	# peer_state NS PATTERN
{
	ctl "$1" peer show | grep -q "$2"
}
check "peer shows established in a" peer_state a "state established"
check "kernel tunnel exists in a" \
	bash -c "ip -n '$(ns a)' l2tp show tunnel | grep -q Tunnel"
addr_add a pwa 192.168.77.1/24
addr_add b pwb 192.168.77.2/24
check "ping across the pseudowire (a -> b)" wait_for 10 ping_ok a 192.168.77.2 1
check "ping across the pseudowire (b -> a)" ping_ok b 192.168.77.1
check "no authentication failure counted" peer_state a "auth-failures 0"

stop a
stop b
check_eq "SIGTERM: a exits with status 0" 0 "$rc_a"
check_eq "SIGTERM: b exits with status 0" 0 "$rc_b"
check "no kernel tunnel or session left in a" no_kernel_objects a
check "no kernel tunnel or session left in b" no_kernel_objects b
check "b heard the StopCCN" grep -q "peer sent StopCCN" "$dir/b.log"

# Wrong secret: refused, nothing in either kernel.
conf a 10.1.1.1 10.1.2.1 "correct horse" yes pwa
conf b 10.1.2.1 10.1.1.1 "battery staple" no pwb
start b
wait_for 5 test -S "$dir/b.sock"
start a
check "wrong secret: responder refuses (StopCCN 4, logged)" \
	wait_for 15 grep -q "shared secret mismatch" "$dir/b.log"
check_fail "wrong secret: no session in a" session_up a pwa
check "wrong secret: no kernel tunnel in b" no_kernel_objects b
stop a
stop b
if [ "$OL2TP_VERBOSE" = 1 ]; then
	sed 's/^/# a: /' "$dir/all-a.log"
	sed 's/^/# b: /' "$dir/all-b.log"
fi
tap_done
