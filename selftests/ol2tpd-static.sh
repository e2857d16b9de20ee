#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ol2tpd's [static] pseudowires and its listener:
#
#   port       with no [peer], ol2tpd does not listen: static pseudowires on
#              the default UDP port 1701 come up at both ends and carry
#              pings
#   conflict   with a [peer], a static tunnel on the listening port is a
#              configuration error, at start-up and with ol2tpd -t, which
#              says what to change
#   retry      a static pseudowire the kernel refuses (its UDP port held by
#              another socket) is shown down with the kernel's reason in
#              "ol2tp pseudowire show", and comes up by itself once the
#              port is free
#
#    ns a                      ns r                      ns b
#  +---------------+  veth  +-----------+  veth  +---------------+
#  | ol2tpd        |--------| ra     rb |--------| ol2tpd        |
#  | 10.1.1.1      |        |  router   |        | 10.1.2.1      |
#  | sta 10.7.0.1  ==== L2TPv3 / UDP 1701, static ==== stb 10.7.0.2 |
#  +---------------+        +-----------+        +---------------+
#
# ol2tp-timeout: 300

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping python3
[ -x "$OL2TP_BIN/ol2tpd" ] || skip_all "ol2tpd not built (make userspace)"
topo_router || skip_all "cannot build the topology"

dir=$(mktemp -d /tmp/ol2tpd-static.XXXXXX)
cleanup_push "rm -rf $dir"

# static_conf NS LOCAL REMOTE [EXTRA...]: $dir/NS.conf with [static st],
# ids mirrored between a and b, default port; EXTRA lines go in [global]
# first (e.g. a [peer] section after them).
static_conf()
{
	local n=$1 l=$2 r=$3 t pt s ps
	shift 3
	if [ "$n" = a ]; then t=31 pt=32 s=310 ps=320; else t=32 pt=31 s=320 ps=310; fi
	{
		echo "[global]"
		echo "control-socket = $dir/$n.sock"
		echo "log-level = debug"
		printf '%s\n' "$@"
		echo
		echo "[static st]"
		echo "local = $l"
		echo "remote = $r"
		echo "tunnel-id = $t"
		echo "peer-tunnel-id = $pt"
		echo "session-id = $s"
		echo "peer-session-id = $ps"
		echo "interface = st$n"
	} > "$dir/$n.conf"
}

pw_show()	# pw_show NS: ol2tp pseudowire show, against NS's ol2tpd
{
	ol2tp -S "$dir/$1.sock" pseudowire show
}

static_state()	# static_state NS STATE: the static pseudowire is in STATE
{
	pw_show "$1" | grep -q "^static st .*state $2"
}

no_kernel_objects()
{
	[ -z "$(ip -n "$(ns "$1")" l2tp show tunnel)" ]
}

# --- port: no [peer], no listener, the default port is the static's --------

CASE=port
static_conf a "$A4" "$B4"
static_conf b "$B4" "$A4"
start_ol2tpd a
start_ol2tpd b
check "port: a's static pseudowire is up on UDP 1701" wait_for 10 static_state a static
check "port: b's static pseudowire is up on UDP 1701" wait_for 10 static_state b static
check "port: ol2tpd says it does not listen without a [peer]" \
	grep -q "no \[peer\]: not listening" "$dir/a.log"
addr_add a sta 10.7.0.1/24
addr_add b stb 10.7.0.2/24
check "port: ping across the static pseudowire" wait_for 10 ping_ok a 10.7.0.2 1
stop_daemon a
stop_daemon b
check_eq "port: a stops cleanly" 0 "$rc_a"
check "port: nothing left in a" no_kernel_objects a
check "port: nothing left in b" no_kernel_objects b

# --- conflict: a [peer] makes ol2tpd listen on the static's port ---------------

CASE=conflict
static_conf a "$A4" "$B4" "" "[peer other]" "address = $B4"
out=$("$OL2TP_BIN/ol2tpd" -t -f "$dir/a.conf" 2>&1)
rc=$?
check_eq "conflict: ol2tpd -t refuses the configuration (exit 1)" 1 "$rc"
check "conflict: ol2tpd -t names the static and what to change" \
	grep -q "static \"st\": its UDP port $A4:1701 is also where ol2tpd listens .*give the static tunnel another port" <<<"$out"
out=$(timeout 10 ip netns exec "$(ns a)" "$OL2TP_BIN/ol2tpd" -f "$dir/a.conf" 2>&1)
rc=$?
check_eq "conflict: ol2tpd does not start with it (exit 1)" 1 "$rc"
check "conflict: nothing created in the kernel" no_kernel_objects a
static_conf a "$A4:1702" "$B4:1702" "" "[peer other]" "address = $B4"
check "conflict: another port for the static tunnel is accepted" \
	"$OL2TP_BIN/ol2tpd" -t -f "$dir/a.conf"

# --- retry: the kernel refuses, ol2tpd says why and tries again -----------------

CASE=retry
static_conf a "$A4" "$B4"
static_conf b "$B4" "$A4"
# Another program takes b's port 1701, as soon as the kernel has let go of
# the last case's tunnel socket.
ip netns exec "$(ns b)" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(100):
    try:
        s.bind((sys.argv[1], 1701))
        print("bound", flush=True)
        break
    except OSError:
        time.sleep(0.1)
time.sleep(120)' "$B4" > "$dir/holder.out" 2>&1 &
holder=$!
cleanup_push "kill $holder 2>/dev/null"
check "retry: another program holds b's UDP port 1701" \
	wait_for 15 grep -q bound "$dir/holder.out"
start_ol2tpd a
start_ol2tpd b
check "retry: b's static pseudowire is shown down while the port is taken" \
	wait_for 10 static_state b down
check "retry: with the kernel's reason" \
	sh -c "ol2tp -S '$dir/b.sock' pseudowire show | grep -q 'reason \"kernel refused tunnel 32: Address already in use'"
check "retry: the refusal is logged" \
	grep -q "static st: kernel refused tunnel 32: Address already in use.*trying again in 1 s" "$dir/b.log"
check "retry: and tried again, backing off" \
	wait_for 10 grep -q "trying again in 2 s" "$dir/b.log"
kill "$holder"
wait "$holder" 2>/dev/null
check "retry: up by itself once the port is free" wait_for 20 static_state b static
check_fail "retry: no reason shown once up" \
	sh -c "ol2tp -S '$dir/b.sock' pseudowire show | grep -q reason"
addr_add a sta 10.7.0.1/24
addr_add b stb 10.7.0.2/24
check "retry: ping across the static pseudowire" wait_for 10 ping_ok a 10.7.0.2 1
stop_daemon a
stop_daemon b
check_eq "retry: b stops cleanly" 0 "$rc_b"
check "retry: nothing left in a" no_kernel_objects a
check "retry: nothing left in b" no_kernel_objects b

[ "$OL2TP_VERBOSE" = 1 ] && sed 's/^/# /' "$dir/a.log" "$dir/b.log"
tap_done
