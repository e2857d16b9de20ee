#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# L2TPv3 Ethernet pseudowires over IP (protocol 115, no UDP), configured with
# iproute2's "ip l2tp ... encap ip", between two hosts behind a router:
#
#  - IPv4 and IPv6 underlay; cookies of 0, 4 and 8 bytes (also different
#    lengths each way); L2-specific sublayer none and default;
#  - ping across each pseudowire, both ways; the l2tpeth netdev counters
#    move; the netdev MTU is the underlay MTU minus IP, session id, cookie,
#    sublayer and Ethernet header;
#  - frames larger than the underlay MTU cross (the underlay fragments);
#  - iperf3 (TCP) runs across an IPv4 and an IPv6 pseudowire;
#  - a session id is unique in the namespace over IP: a second tunnel cannot
#    take it;
#  - a cookie the receiver does not expect: traffic is dropped and counted
#    in RX_COOKIE_DISCARDS;
#  - deleting a tunnel removes its pseudowire netdev.
#
#    ns a                      ns r                      ns b
#  +-------------+  veth  +-------------+  veth  +-------------+
#  | eth0        |--------| ra       rb |--------| eth0        |
#  | ipN (l2tp)  |        |  (router)   |        | ipN (l2tp)  |
#  +-------------+        +-------------+        +-------------+
#   10.1.1.1 fd00:1::1    IP proto 115 only     10.1.2.1 fd00:2::1
#   ipN: 192.168.N.1/24  ====== L2TPv3 ======    ipN: 192.168.N.2/24
#
# ol2tp-timeout: 300

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping
topo_router || skip_all "cannot build the topology"

# pw_create N FAMILY COOKIE_A COOKIE_B L2SPEC: tunnel N (a) / N+100 (b),
# session 3000+N (a) / 4000+N (b), netdev ipN at both ends.  COOKIE_A is
# what a sends and b expects, "-" for none.
pw_create()
{
	local n=$1 fam=$2 ca=$3 cb=$4 l2=$5 la lb
	local ca_opt=() cb_opt=()

	if [ "$fam" = 6 ]; then la=$A6 lb=$B6; else la=$A4 lb=$B4; fi
	# "cookie" is what a session sends, "peer_cookie" what it expects.
	[ "$ca" = - ] || { ca_opt=(cookie "$ca"); cb_opt=(peer_cookie "$ca"); }
	[ "$cb" = - ] || { ca_opt+=(peer_cookie "$cb"); cb_opt+=(cookie "$cb"); }

	ip -n "$(ns a)" l2tp add tunnel tunnel_id "$n" \
		peer_tunnel_id "$((n + 100))" encap ip local "$la" remote "$lb" ||
		return 1
	ip -n "$(ns b)" l2tp add tunnel tunnel_id "$((n + 100))" \
		peer_tunnel_id "$n" encap ip local "$lb" remote "$la" || return 1
	ip -n "$(ns a)" l2tp add session name "ip$n" tunnel_id "$n" \
		session_id "$((n + 3000))" peer_session_id "$((n + 4000))" \
		l2spec_type "$l2" "${ca_opt[@]}" || return 1
	ip -n "$(ns b)" l2tp add session name "ip$n" tunnel_id "$((n + 100))" \
		session_id "$((n + 4000))" peer_session_id "$((n + 3000))" \
		l2spec_type "$l2" "${cb_opt[@]}" || return 1
	ip -n "$(ns a)" link set "ip$n" up
	ip -n "$(ns b)" link set "ip$n" up
	addr_add a "ip$n" "192.168.$n.1/24"
	addr_add b "ip$n" "192.168.$n.2/24"
}

pw_delete()
{
	ip -n "$(ns a)" l2tp del tunnel tunnel_id "$1" &&
	ip -n "$(ns b)" l2tp del tunnel tunnel_id "$(($1 + 100))"
}

cookie_len()
{
	if [ "$1" = - ]; then echo 0; else echo $((${#1} / 2)); fi
}

# run_case N FAMILY COOKIE_A COOKIE_B L2SPEC
run_case()
{
	local n=$1 fam=$2 ca=$3 cb=$4 l2=$5 what mtu
	what="IPv$fam encap ip, cookies $(cookie_len "$ca")/$(cookie_len "$cb"), l2spec $l2"

	check "$what: create tunnels and sessions" pw_create "$@" || return
	check "$what: ping across the pseudowire" \
		wait_for 10 ping_ok a "192.168.$n.2" 1
	check "$what: ping from the other end" ping_ok b "192.168.$n.1" 3
	check_ge "$what: a's pseudowire counted tx packets" 4 \
		"$(netdev_stat a "ip$n" tx_packets)"
	check_ge "$what: b's pseudowire counted rx packets" 4 \
		"$(netdev_stat b "ip$n" rx_packets)"

	# Underlay 1500 - IP header - session id 4 - a's cookie - sublayer -
	# Ethernet 14.
	if [ "$fam" = 6 ]; then mtu=$((1500 - 40)); else mtu=$((1500 - 20)); fi
	mtu=$((mtu - 4 - $(cookie_len "$ca") - 14))
	[ "$l2" = default ] && mtu=$((mtu - 4))
	check_eq "$what: a's pseudowire MTU is the path MTU minus headers" \
		"$mtu" "$(ns_exec a cat "/sys/class/net/ip$n/mtu")"
}

run_case 1 4 - - default
run_case 2 4 a1b2c3d4 0badcafe none
run_case 3 6 0102030405060708 1112131415161718 default
run_case 4 6 a1b2c3d4e5f60718 - none

# With the pseudowire MTU raised to the underlay's, a full-size frame is
# bigger than the underlay MTU once encapsulated: the underlay fragments it.
big_frame_crosses()
{
	ns_exec a ip link set "ip$1" mtu 1500 &&
	ns_exec b ip link set "ip$1" mtu 1500 &&
	ns_exec a ping -q -c 2 -i 0.2 -W 2 -M dont -s 1472 "192.168.$1.2"
}
check "IPv4 encap ip: a 1500-byte frame crosses (underlay fragments)" \
	big_frame_crosses 1
check "IPv6 encap ip: a 1500-byte frame crosses (underlay fragments)" \
	big_frame_crosses 3

# iperf3 (TCP) across pseudowire N; the server exits after one test.
iperf_across()
{
	local n=$1
	ns_exec b iperf3 -s -1 -D -B "192.168.$n.2" -p 5201 >/dev/null 2>&1 ||
		return 1
	wait_for 10 sh -c "ip netns exec $(ns b) ss -ltn | grep -q 192.168.$n.2:5201" ||
		return 1
	ns_exec a iperf3 -c "192.168.$n.2" -p 5201 -t 2 >/dev/null
}
if command -v iperf3 >/dev/null 2>&1; then
	check "iperf3 TCP across an IPv4 encap ip pseudowire" iperf_across 2
	check "iperf3 TCP across an IPv6 encap ip pseudowire" iperf_across 3
else
	skip "iperf3 across encap ip pseudowires" "iperf3 is not installed"
fi

# Over IP a session id names the session in the whole namespace.
check_fail "a second IP tunnel cannot reuse a session id of the namespace" \
	sh -c "ip -n $(ns a) l2tp add tunnel tunnel_id 9 peer_tunnel_id 109 \
		encap ip local $A4 remote $B4 &&
	       ip -n $(ns a) l2tp add session name ip9 tunnel_id 9 \
		session_id 3001 peer_session_id 4001"
ip -n "$(ns a)" l2tp del tunnel tunnel_id 9 2>/dev/null

# A cookie b does not expect: b drops and counts what a sends.
cookie_mismatch()
{
	ip -n "$(ns a)" l2tp add tunnel tunnel_id 5 peer_tunnel_id 105 \
		encap ip local "$A4" remote "$B4" &&
	ip -n "$(ns b)" l2tp add tunnel tunnel_id 105 peer_tunnel_id 5 \
		encap ip local "$B4" remote "$A4" &&
	ip -n "$(ns a)" l2tp add session name ip5 tunnel_id 5 session_id 3005 \
		peer_session_id 4005 cookie 11223344 &&
	ip -n "$(ns b)" l2tp add session name ip5 tunnel_id 105 \
		session_id 4005 peer_session_id 3005 peer_cookie 55667788 &&
	ip -n "$(ns a)" link set ip5 up &&
	ip -n "$(ns b)" link set ip5 up &&
	addr_add a ip5 192.168.5.1/24 &&
	addr_add b ip5 192.168.5.2/24
}
# session_stat NS TID SID NAME: a counter of the STATS nest
session_stat()
{
	ns_exec "$1" l2tp-genl stats session "$2" "$3" |
		awk -v k="$4" '$1 == k { print $2 }'
}
if check "cookie mismatch: create the sessions" cookie_mismatch; then
	check_fail "cookie mismatch: ping does not cross" \
		ns_exec a ping -q -c 3 -i 0.2 -W 1 192.168.5.2
	if [ -x "$OL2TP_TESTBIN/l2tp-genl" ]; then
		check_ge "cookie mismatch: b counts RX_COOKIE_DISCARDS" 3 \
			"$(session_stat b 105 4005 rx_cookie_discards)"
	else
		skip "cookie mismatch: b counts RX_COOKIE_DISCARDS" \
			"l2tp-genl not built (make -C selftests bin)"
	fi
	check_eq "cookie mismatch: b's pseudowire received nothing" 0 \
		"$(netdev_stat b ip5 rx_packets)"
fi

for n in 1 2 3 4 5; do
	check "delete tunnel $n at both ends" pw_delete "$n"
done
check_fail "the pseudowire netdevs are gone with their tunnels" \
	ns_exec b ip link show ip1

tap_done
