#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Races of the L2TP/IP receive path against bind, close and namespace
# teardown:
#
#  - two processes bind and close L2TP/IP sockets on conn ids 1..64 in a
#    loop while a third keeps sending control messages to those ids and data
#    packets for unknown sessions (l2tp-ip-stress.c), IPv4 and IPv6: every
#    bind succeeds, a fresh socket still receives afterwards;
#  - namespaces holding unmanaged IP tunnels (IPv4 and IPv6), their sessions
#    and L2TP/IP sockets are deleted while a ping runs through the
#    pseudowires; the same ids work again in new namespaces.
# The VM harness fails the run on any kernel warning.
#
#    netns a                               netns b
#  +--------------------+   veth    +--------------------+
#  | eth0 10.9.0.1/24   |-----------| eth0 10.9.0.2/24   |
#  |      fd00:9::1/64  |           |      fd00:9::2/64  |
#  +--------------------+           +--------------------+
#
# ol2tp-timeout: 400
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip ping
prog=$OL2TP_TESTBIN/l2tp-ip-stress
[ -x "$prog" ] || skip_all "$prog not built (make -C selftests bin)"

# pair: namespaces a and b joined by a veth pair, dual stack
pair()
{
	netns_add a b || return 1
	veth_add a eth0 b eth0 || return 1
	addr_add a eth0 10.9.0.1/24
	addr_add b eth0 10.9.0.2/24
	addr_add a eth0 fd00:9::1/64
	addr_add b eth0 fd00:9::2/64
	wait_for 5 ping_ok a fd00:9::2 1
}
pair || skip_all "cannot create network namespaces"

out=$(mktemp)
cleanup_push "rm -f $out"
for fam in 4 6; do
	if [ $fam = 4 ]; then la=10.9.0.1 lb=10.9.0.2; else la=fd00:9::1 lb=fd00:9::2; fi
	if "$prog" "$(ns a)" "$(ns b)" $fam $la $lb 40 >"$out" 2>&1; then
		ok "IPv$fam: bind/close races with control and data receive"
	else
		not_ok "IPv$fam: bind/close races with control and data receive" \
			"$(cat "$out")"
	fi
	diag "$(cat "$out")"
done

# tunnels N: an unmanaged IP tunnel + Ethernet session per family between
# a and b (ids N, N+1), addresses on the pseudowires, pings started.
tunnels()
{
	local n=$1 fam la lb t
	for fam in 4 6; do
		if [ $fam = 4 ]; then la=10.9.0.1 lb=10.9.0.2 t=$n; else la=fd00:9::1 lb=fd00:9::2 t=$((n + 1)); fi
		ip -n "$(ns a)" l2tp add tunnel tunnel_id $t peer_tunnel_id $t \
			encap ip local $la remote $lb || return 1
		ip -n "$(ns b)" l2tp add tunnel tunnel_id $t peer_tunnel_id $t \
			encap ip local $lb remote $la || return 1
		ip -n "$(ns a)" l2tp add session name st$t tunnel_id $t \
			session_id $((t + 100)) peer_session_id $((t + 100)) || return 1
		ip -n "$(ns b)" l2tp add session name st$t tunnel_id $t \
			session_id $((t + 100)) peer_session_id $((t + 100)) || return 1
		ip -n "$(ns a)" link set st$t up
		ip -n "$(ns b)" link set st$t up
		addr_add a st$t 192.168.$t.1/24
		addr_add b st$t 192.168.$t.2/24
	done
}

if check "unmanaged IP tunnels over IPv4 and IPv6" tunnels 40; then
	check "ping across the IPv4 one" wait_for 10 ping_ok a 192.168.40.2 1
	check "ping across the IPv6 one" wait_for 10 ping_ok a 192.168.41.2 1
	ns_exec a ping -q -f -w 30 192.168.40.2 >/dev/null 2>&1 &
	ns_exec b ping -q -f -w 30 192.168.41.1 >/dev/null 2>&1 &
	sleep 1
	check "delete both namespaces with live tunnels and traffic" \
		sh -c "ip netns del $(ns a) && ip netns del $(ns b)"
	wait
	# New namespaces (a new suffix), the same tunnel and session ids.
	SUFFIX=${SUFFIX}x
	# Not through check: its subshell would lose pair's cleanups.
	if pair; then
		ok "new namespaces"
		check "the same ids work in new namespaces" tunnels 40 &&
			check "ping across them" wait_for 10 ping_ok a 192.168.41.2 1
	else
		not_ok "new namespaces"
	fi
fi
tap_done
