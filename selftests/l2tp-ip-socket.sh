#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The L2TP/IP socket API over IPv4 and IPv6 (socket, bind, connect,
# getsockname/getpeername, send/recv of control messages both ways, errors,
# SIOCINQ, MSG_TRUNC) and the drops of the control receive path (unbound conn
# id, no T bit, short header), and the ICMP errors a router sends back
# about a socket's messages.  The checks are in l2tp-ip-socket.c; this
# wrapper builds the topology and turns its PASS/FAIL/SKIP lines into TAP.
#
#    netns a                               netns b
#  +--------------------+   veth    +--------------------+
#  | eth0 10.9.0.1/24   |-----------| eth0 10.9.0.2/24   |
#  |      fd00:9::1/64  |           |      fd00:9::2/64  |
#  |      10.9.0.3/24   |           |                    |
#  |      fd00:9::3/64  |           |                    |
#  +--------------------+           +--------------------+
#   10.9.8.0/24, 10.9.7.0/24,         forwards, without ICMP rate limit:
#   fd00:98::/64, fd00:97::/64        prohibit 10.9.8.0/24, fd00:98::/64
#   via b                             unreachable 10.9.7.0/24, fd00:97::/64
. "$(dirname "$0")/lib.sh"
require_root
prog=$OL2TP_TESTBIN/l2tp-ip-socket
[ -x "$prog" ] || skip_all "$prog not built (make -C selftests bin)"

netns_add a b || skip_all "cannot create network namespaces"
veth_add a eth0 b eth0
addr_add a eth0 10.9.0.1/24
addr_add b eth0 10.9.0.2/24
addr_add a eth0 fd00:9::1/64
# a's second addresses, never a source unless bound: secondary (IPv4),
# deprecated (IPv6).
addr_add a eth0 10.9.0.3/24
ns_exec a ip addr add fd00:9::3/64 dev eth0 nodad preferred_lft 0
addr_add b eth0 fd00:9::2/64
wait_for 5 ping_ok a fd00:9::2 1
# Behind b: routes of type "prohibit" (ICMP "administratively prohibited",
# a hard error) and "unreachable" (ICMP "host unreachable", IPv6 "no
# route", a soft one).  nftables' reject is no use: it answers only packets
# whose checksum it can verify, and L2TP/IP has none.  IPv4 spaces these
# errors a second apart (net.ipv4.route.error_cost, global): lifted for the
# test, put back after.
refuse_behind_b()
{
	local cost=/proc/sys/net/ipv4/route/error_cost net via
	local old
	old=$(cat "$cost") || return 1
	cleanup_push "echo $old >$cost"
	echo 0 >"$cost" &&
	ns_exec b sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 \
		net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 || return 1
	for net in prohibit:10.9.8.0/24 unreachable:10.9.7.0/24 \
		   prohibit:fd00:98::/64 unreachable:fd00:97::/64; do
		case $net in
		*:*:*) via=fd00:9::2 ;;
		*) via=10.9.0.2 ;;
		esac
		ns_exec b ip route add "${net%%:*}" "${net#*:}" &&
		ns_exec a ip route add "${net#*:}" via "$via" || return 1
	done
}
refuse_behind_b || not_ok "b refuses what a sends behind it" \
	"cannot set up the forwarding, routes or sysctls"

out=$(mktemp)
cleanup_push "rm -f $out"
"$prog" "$(ns a)" "$(ns b)" 10.9.0.1 10.9.0.2 fd00:9::1 fd00:9::2 \
	10.9.8.1 10.9.7.1 fd00:98::1 fd00:97::1 10.9.0.3 fd00:9::3 >"$out" 2>&1
echo "EXIT $?" >>"$out"
while IFS= read -r line; do
	case $line in
	"PASS "*) ok "${line#PASS }" ;;
	"FAIL "*) rest=${line#FAIL }; not_ok "${rest%% -- *}" "${rest#* -- }" ;;
	"SKIP "*) rest=${line#SKIP }; skip "${rest%% -- *}" "${rest#* -- }" ;;
	"EXIT "*)
		rc=${line#EXIT }
		[ "$rc" = 0 ] || [ "$rc" = 1 ] ||
			not_ok "l2tp-ip-socket ran to its end" "exit status $rc" ;;
	*) diag "$line" ;;
	esac
done <"$out"

# Sockets of protocol 115 autoload whatever module claims it: make sure the
# implementation under test served them.
if [ "$OL2TP_IMPL" = ol2tp ]; then
	check "ol2tp served the sockets (Linux's l2tp_ip is not loaded)" \
		test ! -d /sys/module/l2tp_ip -a ! -d /sys/module/l2tp_ip6
	check "ol2tp's protocols are registered" \
		grep -q '^OL2TP/IPv6 ' /proc/net/protocols
fi
tap_done
