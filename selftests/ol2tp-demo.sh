#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 'make demo' cannot break unnoticed: its guest part, scripts/demo-guest,
# runs here as it does in the demo.  Both of its forms must reach their
# verdict line and exit 0, and leave no namespace or file behind:
#
#   (default)  ol2tpd in two sites, an L2TPv3 control connection with MD5
#              digest, an Ethernet and a PPP pseudowire (pppd, an address
#              from the LNS's pool) pinged, ol2tp showing both daemons'
#              and the kernel's state with counters that moved, and SIGTERM
#              leaving no tunnel, session or netdev;
#   --static   a static Ethernet pseudowire made with ol2tp alone.
#
# On failure the demo's own output, which names the step, is in the TAP.
#
#    netns site-a              netns router               netns site-b
#  +-----------------+  veth  +------------+  veth  +-----------------+
#  | ol2tpd  (LAC)   |--------| ra      rb |--------| ol2tpd  (LNS)   |
#  | eth0 10.1.1.1   |        |            |        | eth0 10.1.2.1   |
#  | l2tpeth0 .100.1 ===== L2TPv3, MD5 digest ====== l2tpeth0 .100.2 |
#  | ppp0 (pool)     ==== same control connection === ppp0 10.9.0.1  |
#  +-----------------+        +------------+        +-----------------+
#
# ol2tp-timeout: 300

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping pppd python3
[ -x "$OL2TP_BIN/ol2tpd" ] || skip_all "ol2tpd not built (make userspace)"
modprobe -q ppp_generic 2>/dev/null
if [ ! -d /sys/module/l2tp_ppp ] && [ ! -d /sys/module/ol2tp_ppp ]; then
	skip_all "no PPPoL2TP in this kernel (ol2tp_ppp.ko or l2tp_ppp)"
fi
for n in site-a router site-b; do
	[ ! -e "/run/netns/$n" ] || skip_all "network namespace $n exists already"
done

demo="$TOP_DIR/scripts/demo-guest"
out=$(mktemp /tmp/ol2tp-demo.XXXXXX)
cleanup_push "rm -f $out"

demo_leaves_nothing()
{
	local f
	for f in /run/netns/site-a /run/netns/router /run/netns/site-b \
		/run/ol2tpd-demo; do
		[ ! -e "$f" ] || { echo "$f is left"; return 1; }
	done
}

# run_demo NAME ARGS...: scripts/demo-guest ARGS, once: its exit status (its
# output goes to the TAP when it fails), its last line, what it leaves.
run_demo()
{
	local name=$1 rc
	shift
	OL2TP_COLOR=0 "$demo" "$@" >"$out" 2>&1
	rc=$?
	check_eq "$name: scripts/demo-guest${*:+ $*} exits 0" 0 "$rc" ||
		diag "$(cat "$out")"
	check "$name: its last line is the verdict \"demo passed: ...\"" \
		grep -q "^demo passed: " <<<"$(tail -n 1 "$out")"
	check "$name: no network namespace or run directory left" \
		demo_leaves_nothing
}

run_demo "ol2tpd in two sites"
run_demo "static pseudowire" --static
tap_done
