#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PPPoL2TP sockets, netlink session/tunnel create/delete, /dev/ppp channels
# (bound, bridged) and the L2TPv2 data path racing each other for a fixed
# number of rounds: no kernel complaint, data flows meanwhile, nothing leaks.
# The checks are in l2tp-ppp-stress.c; this wrapper gives it a network
# namespace and turns its PASS/FAIL lines into TAP.
#
#   netns a (lo 127.0.0.1)
#   +-------------------------------------------------------------+
#   | tunnel 900 (UDP :48000) <--- lo ---> peer (:48001) injecting |
#   |   sessions 1..8: PPPoL2TP sockets, netlink, /dev/ppp          |
#   +-------------------------------------------------------------+
#
# ol2tp-timeout: 300
. "$(dirname "$0")/lib.sh"
require_root
prog=$OL2TP_TESTBIN/l2tp-ppp-stress
[ -x "$prog" ] || skip_all "$prog not built (make -C selftests bin)"
[ -e /dev/ppp ] || skip_all "no /dev/ppp"

netns_add a || skip_all "cannot create a network namespace"
out=$(mktemp)
cleanup_push "rm -f $out"
ns_exec a "$prog" >"$out" 2>&1
echo "EXIT $?" >>"$out"
while IFS= read -r line; do
	case $line in
	"PASS "*) ok "${line#PASS }" ;;
	"FAIL "*) rest=${line#FAIL }; not_ok "${rest%% -- *}" "${rest#* -- }" ;;
	"EXIT "*)
		rc=${line#EXIT }
		[ "$rc" = 0 ] || [ "$rc" = 1 ] ||
			not_ok "l2tp-ppp-stress ran to its end" "exit status $rc" ;;
	"# "*) diag "${line#\# }" ;;
	*) diag "$line" ;;
	esac
done <"$out"
tap_done
