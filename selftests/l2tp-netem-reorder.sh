#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Data sequencing end to end: TCP (iperf3) across an L2TPv3 Ethernet
# pseudowire whose underlay reorders packets (netem on the router), with
# sequence numbers on both ends, first without a reorder timeout, then
# with one.  Proves that traffic flows either way, that without a timeout
# the receiver drops the packets that arrive early (rx_seq_discards) and
# that with one it puts them back in order (rx_oos_packets).  Reports,
# without asserting anything about them, what TCP saw in each run:
# segments the receiver queued out of order and segments the sender
# retransmitted.
#
#    ns a                     ns r                        ns b
#  +-----------+  veth  +------------------+  veth  +-----------+
#  | eth0      |--------| ra           rb  |--------| eth0      |
#  | pw (l2tp) |        |  netem on rb:    |        | pw (l2tp) |
#  +-----------+        |  delay, reorder  |        +-----------+
#   10.1.1.1            +------------------+          10.1.2.1
#   pw: 192.168.50.1/24 ==== L2TPv3/UDP, seq both ==== pw: 192.168.50.2/24
#   iperf3 client  ------------------------------->  iperf3 server
#
# ol2tp-timeout: 300

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip tc iperf3 ol2tp
topo_router || skip_all "cannot build the topology"

# a's traffic towards b leaves r through rb: delay it, except for a quarter
# of the packets, which overtake the ones before them.
ns_exec r tc qdisc add dev rb root netem delay 4ms reorder 25% 50% ||
	skip_all "netem is not available"

ol2tp -n "$(ns a)" tunnel add tunnel_id 1 peer_tunnel_id 2 encap udp \
	local "$A4" remote "$B4" udp_sport 1701 udp_dport 1701 &&
ol2tp -n "$(ns b)" tunnel add tunnel_id 2 peer_tunnel_id 1 encap udp \
	local "$B4" remote "$A4" udp_sport 1701 udp_dport 1701 &&
ol2tp -n "$(ns a)" session add name pw tunnel_id 1 session_id 10 \
	peer_session_id 20 seq both &&
ol2tp -n "$(ns b)" session add name pw tunnel_id 2 session_id 20 \
	peer_session_id 10 seq both ||
	skip_all "cannot create the pseudowire"
ip -n "$(ns a)" link set pw up
ip -n "$(ns b)" link set pw up
addr_add a pw 192.168.50.1/24
addr_add b pw 192.168.50.2/24

check "ping across the pseudowire" wait_for 10 ping_ok a 192.168.50.2 1

# session_stat NAME: counter NAME of b's session (the receiver).
session_stat()
{
	local line kv
	line=$(l2tp-inject --dut-ns "$(ns b)" --tunnel 2 --session 20 stats)
	for kv in $line; do
		[ "${kv%%=*}" = "$1" ] && echo "${kv#*=}"
	done
}

# proc_stat NS FILE GROUP NAME: counter NAME of line pair GROUP ("Tcp:",
# "TcpExt:") of /proc/net/FILE in NS.
proc_stat()
{
	ns_exec "$1" cat "/proc/net/$2" | awk -v g="$3" -v n="$4" '
		$1 == g && !h { for (i = 2; i <= NF; i++) f[i] = $i; h = 1; next }
		$1 == g { for (i = 2; i <= NF; i++) if (f[i] == n) print $i }'
}

# run_iperf LABEL: one iperf3 run a -> b; sets DISCARDS OOS OFO RETRANS
# to what the run added.
run_iperf()
{
	local d0 o0 q0 r0 p0 out
	p0=$(session_stat rx_packets)
	d0=$(session_stat rx_seq_discards)
	o0=$(session_stat rx_oos_packets)
	q0=$(proc_stat b netstat TcpExt: TCPOFOQueue)
	r0=$(proc_stat a snmp Tcp: RetransSegs)

	ns_exec b iperf3 -s -1 -D -B 192.168.50.2 -p 5201 >/dev/null 2>&1
	wait_for 10 sh -c "ip netns exec $(ns b) ss -ltn | grep -q 192.168.50.2:5201"
	out=$(ns_exec a iperf3 -c 192.168.50.2 -p 5201 -t 3 2>&1)
	check "$1: iperf3 TCP across the reordering underlay" \
		test -n "$(printf '%s\n' "$out" | grep receiver)"
	diag "$1: $(printf '%s\n' "$out" | grep receiver | tr -s ' ')"

	PACKETS=$(($(session_stat rx_packets) - p0))
	DISCARDS=$(($(session_stat rx_seq_discards) - d0))
	OOS=$(($(session_stat rx_oos_packets) - o0))
	OFO=$(($(proc_stat b netstat TcpExt: TCPOFOQueue) - q0))
	RETRANS=$(($(proc_stat a snmp Tcp: RetransSegs) - r0))
	diag "$1: L2TP rx_packets +$PACKETS rx_seq_discards +$DISCARDS" \
		"rx_oos_packets +$OOS;" \
		"TCP segments queued out of order at the receiver +$OFO," \
		"retransmitted by the sender +$RETRANS"
}

run_iperf "no reorder timeout"
check_ge "no reorder timeout: packets that arrive early are dropped" 1 "$DISCARDS"
check_eq "no reorder timeout: nothing is held for reordering" 0 "$OOS"
OFO_NONE=$OFO RETRANS_NONE=$RETRANS

check "set a 100 ms reorder timeout on the receiver" \
	ol2tp -n "$(ns b)" session modify tunnel_id 2 session_id 20 \
	reorder_timeout 100
run_iperf "reorder timeout 100 ms"
check_ge "reorder timeout: overtaken packets are put back in order" 1 "$OOS"

# ol2tp's debug view: the gaps given up on (resyncs, timeouts).
state=$(l2tp-inject --dut-ns "$(ns b)" --tunnel 2 --session 20 state)
[ "$OL2TP_IMPL" = ol2tp ] && diag "receiver's sequencing $state"

diag "TCP out-of-order segments at the receiver: $OFO_NONE without a" \
	"reorder timeout, $OFO with one; retransmissions: $RETRANS_NONE and" \
	"$RETRANS"

tap_done
