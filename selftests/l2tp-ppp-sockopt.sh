#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The PPPoL2TP socket ABI (AF_PPPOX, PX_PROTO_OL2TP) as pppd and xl2tpd use
# it: the four sockaddr variants, connect() and its errors, management and
# session sockets, attaching to netlink-created sessions, every SOL_PPPOL2TP
# option, the PPP ioctls and PPPIOCGL2TPSTATS, getsockname, poll, the data
# path (FF 03, L2TPv2 L/O bits, control messages to the tunnel socket),
# PPPIOCBRIDGECHAN and release semantics.  The checks are in
# l2tp-ppp-sockopt.c; this wrapper gives it a network namespace of its own
# and turns its PASS/FAIL/SKIP lines into TAP.
#
#   netns a (lo: 127.0.0.1, ::1)
#   +-----------------------------------------------------------+
#   | tunnel sockets (UDP / L2TP-IP) <-- lo --> peer sockets     |
#   |   PPPoL2TP management + session sockets, /dev/ppp channels |
#   +-----------------------------------------------------------+
. "$(dirname "$0")/lib.sh"
require_root
prog=$OL2TP_TESTBIN/l2tp-ppp-sockopt
[ -x "$prog" ] || skip_all "$prog not built (make -C selftests bin)"

netns_add a || skip_all "cannot create a network namespace"

out=$(mktemp)
cleanup_push "rm -f $out"
ns_exec a "$prog" >"$out" 2>&1
echo "EXIT $?" >>"$out"
while IFS= read -r line; do
	case $line in
	"PASS "*) ok "${line#PASS }" ;;
	"FAIL "*) rest=${line#FAIL }; not_ok "${rest%% -- *}" "${rest#* -- }" ;;
	"SKIP "*) rest=${line#SKIP }; skip "${rest%% -- *}" "${rest#* -- }" ;;
	"EXIT "*)
		rc=${line#EXIT }
		[ "$rc" = 0 ] || [ "$rc" = 1 ] ||
			not_ok "l2tp-ppp-sockopt ran to its end" "exit status $rc" ;;
	*) diag "$line" ;;
	esac
done <"$out"

# PPPoL2TP sockets autoload whatever module claims PX_PROTO_OL2TP: make sure
# the implementation under test served them.
if [ "$OL2TP_IMPL" = ol2tp ]; then
	check "ol2tp_ppp served the sockets (Linux's l2tp_ppp is not loaded)" \
		test -d /sys/module/ol2tp_ppp -a ! -d /sys/module/l2tp_ppp
fi
tap_done
