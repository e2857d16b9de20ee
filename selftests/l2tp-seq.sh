#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# L2TPv3 data sequencing (RFC 3931 section 4.6, issue #4), proven with
# hand-built packets: l2tp-inject plays the peer of one session of the
# device under test (ns d) and sends data packets with chosen sequence
# numbers; it reads, on the session's l2tpeth netdev, which markers d
# delivers in which order, and reads d's session counters over netlink.
# Every case runs on a fresh session, over UDP and over IP encapsulation,
# and asserts the delivered order and every counter:
#
#  - in order; swapped pairs without a reorder timeout (dropped, counted)
#    and with one (put back in order); a gap that times out; duplicates;
#    stale numbers and numbers half the space ahead; the resync after a
#    run of out-of-order packets; wrap-around from 0xFFFFFE;
#  - RECV_SEQ: a packet without a sequence number is dropped and counted;
#  - LNS_MODE off (LAC): the peer starts sending sequence numbers, so do we
#    (captured on the wire, starting at 0); it stops, we stop; LNS_MODE on:
#    our setting stands, and as an LNS that sends them we drop the peer's
#    unsequenced packets;
#  - SESSION_MODIFY between two packets and while a stream flows;
#  - ol2tp only: the reorder queue's bound, RFC 3931's window edge, the
#    debugfs view (/sys/kernel/debug/ol2tp/seq);
#  - L2TPv2 (16-bit Ns in the header, PPP sessions read back on a PPPoL2TP
#    socket): order, reordering, gap, wrap-around, RECV_SEQ, LAC and LNS
#    (the header grows by Ns/Nr while we send them).
#
# Linux's net/l2tp is the reference for every number here; where ol2tp
# differs on purpose the check says why (and is skipped on Linux).
#
#      ns p (the peer: l2tp-inject)            ns d (device under test)
#   +-----------------------------+  veth  +-----------------------------+
#   | UDP socket 10.9.0.1:1701    |--------| tunnel 10 (UDP 1702)        |
#   | raw IP socket, proto 115    |        | tunnel 11 (IP)              |
#   |                             |        | tunnel 30 (L2TPv2, UDP 1703)|
#   +-----------------------------+        |  session N -> l2tpeth "sq"  |
#                                          |   or PPP (PPPoL2TP socket)  |
#         10.9.0.1/24                      |   (AF_PACKET reader)        |
#                                          +-----------------------------+
#                                                10.9.0.2/24
#
# ol2tp-timeout: 600

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip l2tp-inject ol2tp

netns_add p d || skip_all "cannot create network namespaces"
# No IPv6 in d: nothing but the test's own frames crosses the pseudowire.
ns_exec d sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	net.ipv6.conf.default.disable_ipv6=1
veth_add p eth0 d eth0 || skip_all "cannot create a veth pair"
addr_add p eth0 10.9.0.1/24
addr_add d eth0 10.9.0.2/24

UDP_TID=10
IP_TID=11
ol2tp -n "$(ns d)" tunnel add tunnel_id $UDP_TID peer_tunnel_id 20 \
	encap udp local 10.9.0.2 remote 10.9.0.1 udp_sport 1702 udp_dport 1701 ||
	skip_all "cannot create an L2TPv3 UDP tunnel"
ol2tp -n "$(ns d)" tunnel add tunnel_id $IP_TID peer_tunnel_id 21 \
	encap ip local 10.9.0.2 remote 10.9.0.1 ||
	skip_all "cannot create an L2TPv3 IP tunnel"

ENCAP=udp
TID=$UDP_TID
SID=100
# Bytes of one injected packet as the counters see it: the marker frame
# (60) and the L2TP header, as Linux counts them (UDP: 8, IP: 4) with the
# sublayer (4); no cookie.
PKT_BYTES=72
# How long to wait for what only ol2tp delivers (Linux: nothing comes).
if [ "$OL2TP_IMPL" = intree ]; then LATE_MS=300; else LATE_MS=5000; fi

# new_session [SESSION ADD OPTIONS...]: a fresh session, netdev "sq", in
# the tunnel of $ENCAP; the previous one is deleted.  Sets SID.
new_session()
{
	ol2tp -n "$(ns d)" session del tunnel_id "${PREV_TID:-$TID}" \
		session_id "$SID" >/dev/null 2>&1
	PREV_TID=$TID
	SID=$((SID + 1))
	ol2tp -n "$(ns d)" session add name sq tunnel_id "$TID" \
		session_id "$SID" peer_session_id "$((SID + 1000))" \
		l2spec_type default "$@" || return 1
	ip -n "$(ns d)" link set sq up
}

# inject COMMAND...: run l2tp-inject against the current session.
inject()
{
	l2tp-inject --peer-ns "$(ns p)" --dut-ns "$(ns d)" --encap "$ENCAP" \
		--local 10.9.0.1 --remote 10.9.0.2 --lport 1701 --rport 1702 \
		--tunnel "$TID" --session "$SID" --ifname sq "$@"
}

# The helpers below use bash builtins only: under TCG every fork counts.

# field OUTPUT WORD [N]: the rest of the N-th (default 1st) line of OUTPUT
# that starts with WORD.
field()
{
	local w rest i=0
	while read -r w rest; do
		[ "$w" = "$2" ] || continue
		i=$((i + 1))
		if [ $i -eq "${3:-1}" ]; then
			echo "$rest"
			return
		fi
	done <<<"$1"
}

# The counters, in the order the checks print them.
STAT_FIELDS="rx_packets rx_bytes rx_seq_discards rx_oos_packets rx_errors rx_cookie_discards rx_invalid tx_packets tx_bytes tx_errors"

# expected_stats "NAME=V ...": every counter, zero unless given; rx_bytes
# and tx_bytes default to $PKT_BYTES per packet.
expected_stats()
{
	local -A v=()
	local kv f out=""
	for kv in $1; do
		v[${kv%%=*}]=${kv#*=}
	done
	: "${v[rx_bytes]:=$((PKT_BYTES * ${v[rx_packets]:-0}))}"
	: "${v[tx_bytes]:=$((PKT_BYTES * ${v[tx_packets]:-0}))}"
	for f in $STAT_FIELDS; do
		out+="$f=${v[$f]:-0} "
	done
	echo "${out% }"
}

# actual_stats OUTPUT [N]: the N-th "stats" line in STAT_FIELDS order.
actual_stats()
{
	local -A v=()
	local kv f out=""
	for kv in $(field "$1" stats "${2:-1}"); do
		v[${kv%%=*}]=${kv#*=}
	done
	for f in $STAT_FIELDS; do
		out+="$f=${v[$f]:-} "
	done
	echo "${out% }"
}

# state_of OUTPUT N KEY...: "KEY=VALUE ..." from the N-th "state" line
# (ol2tp's debugfs view of the session, /sys/kernel/debug/ol2tp/seq).
state_of()
{
	local -A v=()
	local kv k out=""
	for kv in $(field "$1" state "$2"); do
		v[${kv%%=*}]=${kv#*=}
	done
	shift 2
	for k; do
		out+="$k=${v[$k]:-} "
	done
	echo "${out% }"
}

# check_stats DESC OUTPUT N OURS [LINUX]: the N-th stats line of OUTPUT
# holds exactly the counters OURS (on ol2tp) or LINUX (on the in-tree
# modules; default: the same).
check_stats()
{
	local want=$4
	[ "$OL2TP_IMPL" = intree ] && [ $# -ge 5 ] && want=$5
	check_eq "$1" "$(expected_stats "$want")" "$(actual_stats "$2" "$3")"
}

# only_ol2tp DESC WHY CMD...: a check of behaviour where ol2tp differs
# from Linux on purpose (WHY); skipped on the in-tree modules.
only_ol2tp()
{
	local desc=$1 why=$2
	shift 2
	if [ "$OL2TP_IMPL" = intree ]; then
		skip "$desc" "Linux differs: $why"
	else
		"$@" "$desc"
	fi
}

# eq EXPECTED ACTUAL DESC: check_eq with the description last (only_ol2tp)
eq()
{
	check_eq "$3" "$1" "$2"
}

# --- the cases ----------------------------------------------------------------

case_in_order()
{
	local out
	new_session seq recv || { not_ok "$ENCAP: create session"; return; }
	out=$(inject s:0 s:1 s:2 s:3 read:4 stats)
	check_eq "$ENCAP in order: all delivered in order" \
		"0 1 2 3" "$(field "$out" delivered)"
	check_stats "$ENCAP in order: counters" "$out" 1 "rx_packets=4"
}

# Without a reorder timeout an out-of-order packet is dropped and counted
# (rx_seq_discards) and the receiver keeps waiting for the number it
# expects: after 0, 2, 1 it expects 2 again and drops 3, 5, 4 too.
case_swapped_no_timeout()
{
	local out
	new_session seq recv || { not_ok "$ENCAP: create session"; return; }
	out=$(inject s:0 s:2 s:1 s:3 s:5 s:4 read:2 stats)
	check_eq "$ENCAP swapped, no reorder timeout: early packets dropped" \
		"0 1" "$(field "$out" delivered)"
	check_stats "$ENCAP swapped, no reorder timeout: counters" "$out" 1 \
		"rx_packets=2 rx_seq_discards=4 rx_errors=4"
}

# After more than 4 consecutive out-of-order packets (numbered one after
# the other) the receiver takes the peer's numbering: the 6th is delivered.
case_resync()
{
	local out
	new_session seq recv || { not_ok "$ENCAP: create session"; return; }
	out=$(inject s:0 read:1 s:10 s:11 s:12 s:13 s:14 read:0 \
		s:15 s:16 s:17 read:3 stats)
	check_eq "$ENCAP resync: 5 consecutive out-of-order packets dropped" \
		"" "$(field "$out" delivered 2)"
	check_eq "$ENCAP resync: the 6th and what follows is delivered" \
		"15 16 17" "$(field "$out" delivered 3)"
	check_stats "$ENCAP resync: counters" "$out" 1 \
		"rx_packets=4 rx_seq_discards=5 rx_errors=5"
}

# With a reorder timeout, packets ahead of the expected one wait for it;
# each packet that arrives behind one already held is "out of sequence".
case_swapped_timeout()
{
	local out
	new_session seq recv reorder_timeout 20000 ||
		{ not_ok "$ENCAP: create session"; return; }
	out=$(inject s:0 s:2 s:1 s:4 s:3 s:5 s:7 s:8 s:6 read:9 stats)
	check_eq "$ENCAP swapped, reorder timeout: delivered in order" \
		"0 1 2 3 4 5 6 7 8" "$(field "$out" delivered)"
	check_stats "$ENCAP swapped, reorder timeout: counters" "$out" 1 \
		"rx_packets=9 rx_oos_packets=3"
}

# A missing packet is waited for at most the reorder timeout.  ol2tp then
# skips the gap and delivers what it held; Linux never delivers a packet
# whose wait expired: it drops it (counted) when the next packet arrives.
case_gap_timeout()
{
	local out why="held packets whose reorder timeout expired are dropped, not delivered, and only when another packet arrives"
	new_session seq recv reorder_timeout 300 ||
		{ not_ok "$ENCAP: create session"; return; }
	out=$(inject s:0 read:1 s:2 s:3 read:2:$LATE_MS s:4 read:1 stats)
	check_eq "$ENCAP gap: the packet before the gap is delivered" \
		"0" "$(field "$out" delivered 1)"
	only_ol2tp "$ENCAP gap: held packets delivered when the gap times out" \
		"$why" eq "2 3" "$(field "$out" delivered 2)"
	check_eq "$ENCAP gap: delivery resumes after the gap" \
		"4" "$(field "$out" delivered 3)"
	check_stats "$ENCAP gap: counters" "$out" 1 \
		"rx_packets=4" "rx_packets=2 rx_seq_discards=2 rx_errors=2"
}

# A duplicate is "less than or equal to" the last number received: it is
# dropped.  ol2tp counts it in rx_seq_discards as well as rx_errors (the
# issue's rule: every packet dropped for its sequence number is a seq
# discard); Linux counts it in rx_errors only.
case_duplicates()
{
	local out
	new_session seq recv || { not_ok "$ENCAP: create session"; return; }
	out=$(inject s:0 s:1 s:1=dup1 s:2 s:0=dup0 s:3 read:4 stats)
	check_eq "$ENCAP duplicates: dropped, originals delivered in order" \
		"0 1 2 3" "$(field "$out" delivered)"
	check_stats "$ENCAP duplicates: counters" "$out" 1 \
		"rx_packets=4 rx_seq_discards=2 rx_errors=2" \
		"rx_packets=4 rx_errors=2"
}

# Duplicates while reordering: a second copy of a held packet is dropped at
# once (and counted).  Linux queues it; once the original is delivered the
# copy sits at the head of the queue, not the expected number, and stalls
# everything behind it until the reorder timeout.
case_duplicates_timeout()
{
	local out why="a duplicate of a held packet stays queued and stalls the queue until the reorder timeout"
	new_session seq recv reorder_timeout 20000 ||
		{ not_ok "$ENCAP: create session"; return; }
	out=$(inject s:0 s:2 s:2=dup2 s:1 s:3 read:4:$LATE_MS stats)
	only_ol2tp "$ENCAP duplicates, reorder timeout: delivered once, in order" \
		"$why" eq "0 1 2 3" "$(field "$out" delivered)"
	check_stats "$ENCAP duplicates, reorder timeout: counters" "$out" 1 \
		"rx_packets=4 rx_oos_packets=1 rx_seq_discards=1 rx_errors=1" \
		"rx_packets=3 rx_oos_packets=1"
}

# Stale: behind the expected number, or half the number space (2^23) or
# more ahead -- both "less than or equal" in RFC 3931's window.
case_stale()
{
	local out
	new_session seq recv || { not_ok "$ENCAP: create session"; return; }
	out=$(inject s:0 s:1 s:2 s:3 s:4 s:1=old1 s:0x800005=far s:5 \
		read:6 stats)
	check_eq "$ENCAP stale numbers: dropped" \
		"0 1 2 3 4 5" "$(field "$out" delivered)"
	check_stats "$ENCAP stale numbers: counters" "$out" 1 \
		"rx_packets=6 rx_seq_discards=2 rx_errors=2" \
		"rx_packets=6 rx_errors=2"
}

# Wrap-around at 2^24: the first packet sets the expected number (it must
# lie in the window ahead of 0, [0, 2^23 - 1)); a resync run takes us to
# 0xFFFFFD;
# 0xFFFFFE, 0xFFFFFF, 0, 1 follow in order.
case_wrap()
{
	local out
	new_session seq recv || { not_ok "$ENCAP: create session"; return; }
	out=$(inject s:0x7ffffe s:0xfffff8 s:0xfffff9 s:0xfffffa s:0xfffffb \
		s:0xfffffc s:0xfffffd s:0xfffffe s:0xffffff s:0 s:1 read:6 \
		s:0xffffff=stale s:3 s:2 read:1 stats)
	check_eq "$ENCAP wrap-around: delivered across 2^24" \
		"0x7ffffe 0xfffffd 0xfffffe 0xffffff 0 1" \
		"$(field "$out" delivered)"
	check_eq "$ENCAP wrap-around: stale across 2^24 and early dropped" \
		"2" "$(field "$out" delivered 2)"
	check_stats "$ENCAP wrap-around: counters" "$out" 1 \
		"rx_packets=7 rx_seq_discards=7 rx_errors=7" \
		"rx_packets=7 rx_seq_discards=6 rx_errors=7"
}

# The first numbered packet sets the expectation, whatever its number:
# a peer already past 2^23 when we start listening is not dropped until its
# counter wraps.  Linux checks the first packet against the window after 0.
case_first()
{
	local out why="the first packet is checked against the window after 0"
	new_session seq recv || { not_ok "$ENCAP: create session"; return; }
	out=$(inject s:0xfffffe s:0xffffff s:0 read:3:$LATE_MS stats)
	only_ol2tp "$ENCAP first packet: any number starts the sequence" \
		"$why" eq "0xfffffe 0xffffff 0" "$(field "$out" delivered)"
	check_stats "$ENCAP first packet: counters" "$out" 1 \
		"rx_packets=3" "rx_packets=1 rx_errors=2"
}

# Reordering across the wrap: 0 arrives before 0xFFFFFE and 0xFFFFFF.
case_wrap_timeout()
{
	local out why="its reorder queue is sorted without wrap-around: 0 sorts before 0xFFFFFE and the queue stalls"
	new_session seq recv || { not_ok "$ENCAP: create session"; return; }
	out=$(inject s:0x7ffffe s:0xfffff8 s:0xfffff9 s:0xfffffa s:0xfffffb \
		s:0xfffffc s:0xfffffd read:2 set:reorder_timeout=20000 \
		s:0 s:0xffffff s:0xfffffe s:2 s:1 read:5:$LATE_MS stats)
	check_eq "$ENCAP wrap-around, reorder timeout: resync to 0xfffffd" \
		"0x7ffffe 0xfffffd" "$(field "$out" delivered)"
	only_ol2tp "$ENCAP wrap-around, reorder timeout: reordered across 2^24" \
		"$why" eq "0xfffffe 0xffffff 0 1 2" "$(field "$out" delivered 2)"
	only_ol2tp "$ENCAP wrap-around, reorder timeout: counters" "$why" \
		eq "$(expected_stats "rx_packets=7 rx_oos_packets=3 rx_seq_discards=5 rx_errors=5")" \
		"$(actual_stats "$out")"
}

# RECV_SEQ on: a packet without a sequence number is dropped and counted.
case_recv_seq()
{
	local out
	new_session seq recv || { not_ok "$ENCAP: create session"; return; }
	out=$(inject s:0 u:noseq s:1 read:2 stats)
	check_eq "$ENCAP RECV_SEQ: unsequenced packet dropped" \
		"0 1" "$(field "$out" delivered)"
	check_stats "$ENCAP RECV_SEQ: counters" "$out" 1 \
		"rx_packets=2 rx_seq_discards=1 rx_errors=1"
	out=$(inject set:recv_seq=0 u:a u:b s:2 u:c read:4 stats)
	check_eq "$ENCAP RECV_SEQ off: unsequenced packets delivered" \
		"a b 2 c" "$(field "$out" delivered)"
	check_stats "$ENCAP RECV_SEQ off: counters" "$out" 1 \
		"rx_packets=6 rx_seq_discards=1 rx_errors=1"
}

# LNS_MODE off: we follow the peer.  We transmit with sequence numbers
# (from 0) once it does, and without once it stops.
case_lac()
{
	local out
	new_session || { not_ok "$ENCAP: create session"; return; }
	out=$(inject xmit:t1 capture:1 u:a read:1 s:0 read:1 get \
		xmit:t2 xmit:t3 capture:2 state u:b read:1 get xmit:t4 capture:1 \
		stats)
	check_eq "$ENCAP LAC: we send no sequence numbers at first" \
		"t1 noseq" "$(field "$out" captured 1)"
	check_eq "$ENCAP LAC: the peer's first sequenced packet turns SEND_SEQ on" \
		"send_seq=1" "$(field "$out" session 1 | cut -d' ' -f1)"
	check_eq "$ENCAP LAC: then we send sequence numbers, from 0" \
		"t2 seq=0, t3 seq=1" \
		"$(field "$out" captured 2), $(field "$out" captured 3)"
	only_ol2tp "$ENCAP LAC: debugfs shows Ns and Nr" "no such view" \
		eq "ns=2 synced=1 nr=1" "$(state_of "$out" 1 ns synced nr)"
	check_eq "$ENCAP LAC: an unsequenced packet from the peer turns it off" \
		"send_seq=0" "$(field "$out" session 2 | cut -d' ' -f1)"
	check_eq "$ENCAP LAC: then we send none again" \
		"t4 noseq" "$(field "$out" captured 4)"
	check_stats "$ENCAP LAC: counters" "$out" 1 \
		"rx_packets=3 tx_packets=4"
}

# LNS_MODE on: our SEND_SEQ stands whatever the peer does; an LNS that
# sends sequence numbers drops the peer's unsequenced packets.
case_lns()
{
	local out
	new_session lns_mode on || { not_ok "$ENCAP: create session"; return; }
	out=$(inject s:0 read:1 get xmit:t1 capture:1 \
		set:send_seq=1 u:a s:1 read:1 get xmit:t2 capture:1 stats)
	check_eq "$ENCAP LNS: the peer's sequence numbers do not turn SEND_SEQ on" \
		"send_seq=0" "$(field "$out" session 1 | cut -d' ' -f1)"
	check_eq "$ENCAP LNS: we keep sending none" \
		"t1 noseq" "$(field "$out" captured 1)"
	check_eq "$ENCAP LNS sending sequence numbers: unsequenced packet dropped" \
		"1" "$(field "$out" delivered 2)"
	check_eq "$ENCAP LNS: the peer's unsequenced packet does not turn it off" \
		"send_seq=1" "$(field "$out" session 2 | cut -d' ' -f1)"
	check_eq "$ENCAP LNS: we send sequence numbers from 0" \
		"t2 seq=0" "$(field "$out" captured 2)"
	check_stats "$ENCAP LNS: counters" "$out" 1 \
		"rx_packets=2 rx_seq_discards=1 rx_errors=1 tx_packets=2"
}

# SESSION_MODIFY between two packets: turning the reorder timeout off while
# packets are held releases them (ol2tp); Linux leaves them queued.
case_modify()
{
	local out why="held packets stay queued when the reorder timeout is turned off"
	new_session seq recv reorder_timeout 20000 ||
		{ not_ok "$ENCAP: create session"; return; }
	out=$(inject s:0 s:2 s:3 read:1 set:reorder_timeout=0 read:2:$LATE_MS \
		s:4 read:1 stats)
	check_eq "$ENCAP modify: packets ahead are held" \
		"0" "$(field "$out" delivered 1)"
	only_ol2tp "$ENCAP modify: turning the reorder timeout off releases them" \
		"$why" eq "2 3" "$(field "$out" delivered 2)"
	only_ol2tp "$ENCAP modify: the next packet follows them" \
		"$why" eq "4" "$(field "$out" delivered 3)"
	only_ol2tp "$ENCAP modify: counters" "$why" \
		eq "$(expected_stats "rx_packets=4")" "$(actual_stats "$out")"
}

# SESSION_MODIFY while a stream flows: settings change under traffic, no
# packet is lost, duplicated or reordered.
case_modify_stream()
{
	local out pid i f=/tmp/l2tp-seq-stream-$SUFFIX
	new_session seq recv || { not_ok "$ENCAP: create session"; return; }
	inject stream:0:300:3000 read:300:60000 stats >"$f" 2>&1 &
	pid=$!
	cleanup_push "kill $pid; rm -f $f"
	for i in 1 2 3 4 5 6; do
		ol2tp -n "$(ns d)" session modify tunnel_id "$TID" session_id "$SID" \
			reorder_timeout $((i % 2 * 100)) seq "$([ $((i % 3)) = 0 ] && echo both || echo recv)"
		sleep 0.1
	done
	wait "$pid"
	out=$(cat "$f")
	check_eq "$ENCAP modify under traffic: 300 packets delivered in order" \
		"$(seq -s ' ' 0 299)" "$(field "$out" delivered)"
	check_stats "$ENCAP modify under traffic: counters" "$out" 1 \
		"rx_packets=300"
}

# The reorder queue is bounded (1024 packets, Documentation/sequencing.rst):
# a flood of packets ahead of a gap makes the receiver give up on the gap
# rather than hold more.
case_bound()
{
	local out why="its reorder queue has no bound: every packet waits for the gap"
	local backlog
	new_session seq recv reorder_timeout 60000 ||
		{ not_ok "$ENCAP: create session"; return; }
	# The 1025 released at once reach the netdev in one softirq: make
	# room for them in its input queue (netdev_max_backlog, global).
	backlog=$(sysctl -n net.core.netdev_max_backlog)
	cleanup_push "sysctl -qw net.core.netdev_max_backlog=$backlog"
	sysctl -qw net.core.netdev_max_backlog=4096
	out=$(inject s:0 stream:2:1024:0 read:1 state s:1026 \
		read:1025:$LATE_MS state stats)
	sysctl -qw net.core.netdev_max_backlog="$backlog"
	check_eq "$ENCAP bound: packet before the gap delivered" \
		"0" "$(field "$out" delivered)"
	only_ol2tp "$ENCAP bound: 1024 packets held behind the gap" "$why" \
		eq "queued=1024 gaps=0" "$(state_of "$out" 1 queued gaps)"
	[ "$OL2TP_IMPL" = ol2tp ] &&
		diag "$ENCAP bound: $(state_of "$out" 1 queued_bytes) held"
	only_ol2tp "$ENCAP bound: one more and the gap is given up on" "$why" \
		eq "$(seq -s ' ' 2 1026)" "$(field "$out" delivered 2)"
	only_ol2tp "$ENCAP bound: debugfs counts the gap and the lost number" \
		"$why" eq "queued=0 gaps=1 lost=1 nr=1027" \
		"$(state_of "$out" 2 queued gaps lost nr)"
	check_stats "$ENCAP bound: counters" "$out" 1 \
		"rx_packets=1026" "rx_packets=1"
}

# RFC 3931's window: 2^23 - 1 numbers past the expected one is still ahead
# (held for reordering); 2^23 is stale.  Linux's window is one narrower and
# drops the first as well (rx_errors only).  The held packet stays: the
# session is deleted with its reorder timer pending.
case_window()
{
	local out
	new_session seq recv reorder_timeout 20000 ||
		{ not_ok "$ENCAP: create session"; return; }
	out=$(inject s:0 read:1 s:0x800000 s:0x800001 read:0 state stats)
	only_ol2tp "$ENCAP window: 2^23 - 1 ahead is held" \
		"its window is 2^23 - 1 wide, one less than RFC 3931's" \
		eq "queued=1" "$(state_of "$out" 1 queued)"
	check_stats "$ENCAP window: counters" "$out" 1 \
		"rx_packets=1 rx_seq_discards=1 rx_errors=1" \
		"rx_packets=1 rx_errors=2"
}

run_cases()
{
	ENCAP=$1
	case $ENCAP in
	udp) TID=$UDP_TID PKT_BYTES=72 ;;
	ip) TID=$IP_TID PKT_BYTES=68 ;;
	esac
	case_in_order
	case_swapped_no_timeout
	case_resync
	case_swapped_timeout
	case_gap_timeout
	case_duplicates
	case_duplicates_timeout
	case_stale
	case_wrap
	case_first
	case_wrap_timeout
	case_recv_seq
	case_lac
	case_lns
	case_modify
	case_modify_stream
	case_bound
	case_window
}

# --- L2TPv2 ------------------------------------------------------------------
#
# The same rules with 16-bit numbers in the L2TPv2 header (S flag), PPP
# sessions, read back on a PPPoL2TP socket attached to the session.
# Closing that socket deletes the session: each case is one l2tp-inject run.
# Counted bytes: header (6, or 10 with Ns/Nr) and the 60-byte PPP frame.

V2_TID=30

# new_v2_session [SESSION ADD OPTIONS...]: a fresh PPP session in the v2
# tunnel.  Sets SID.
new_v2_session()
{
	SID=$((SID + 1))
	ol2tp -n "$(ns d)" session add tunnel_id "$V2_TID" session_id "$SID" \
		peer_session_id "$((SID + 1000))" pw ppp "$@"
}

inject2()
{
	l2tp-inject --peer-ns "$(ns p)" --dut-ns "$(ns d)" --version 2 \
		--local 10.9.0.1 --remote 10.9.0.2 --lport 1701 --rport 1703 \
		--tunnel "$V2_TID" --session "$SID" --peer-tunnel 40 \
		--peer-session "$((SID + 1000))" "$@"
}

run_v2_cases()
{
	local out why

	ENCAP=v2
	new_v2_session seq recv || { not_ok "v2: create session"; return; }
	out=$(inject2 s:0 s:1 s:2 read:3 stats)
	check_eq "v2 in order: all delivered in order" \
		"0 1 2" "$(field "$out" delivered)"
	check_stats "v2 in order: counters" "$out" 1 \
		"rx_packets=3 rx_bytes=210"

	new_v2_session seq recv || { not_ok "v2: create session"; return; }
	out=$(inject2 s:0 s:2 s:1 s:3 read:2 stats)
	check_eq "v2 swapped, no reorder timeout: early packets dropped" \
		"0 1" "$(field "$out" delivered)"
	check_stats "v2 swapped, no reorder timeout: counters" "$out" 1 \
		"rx_packets=2 rx_bytes=140 rx_seq_discards=2 rx_errors=2"

	new_v2_session seq recv reorder_timeout 20000 ||
		{ not_ok "v2: create session"; return; }
	out=$(inject2 s:0 s:2 s:1 s:4 s:3 read:5 stats)
	check_eq "v2 swapped, reorder timeout: delivered in order" \
		"0 1 2 3 4" "$(field "$out" delivered)"
	check_stats "v2 swapped, reorder timeout: counters" "$out" 1 \
		"rx_packets=5 rx_bytes=350 rx_oos_packets=2"

	why="held packets whose reorder timeout expired are dropped, not delivered, and only when another packet arrives"
	new_v2_session seq recv reorder_timeout 300 ||
		{ not_ok "v2: create session"; return; }
	out=$(inject2 s:0 read:1 s:2 s:3 read:2:$LATE_MS s:4 read:1 stats)
	only_ol2tp "v2 gap: held packets delivered when the gap times out" \
		"$why" eq "2 3" "$(field "$out" delivered 2)"
	check_eq "v2 gap: delivery resumes after the gap" \
		"4" "$(field "$out" delivered 3)"

	# Wrap-around at 2^16; the window is 2^15 wide.
	new_v2_session seq recv || { not_ok "v2: create session"; return; }
	out=$(inject2 s:0x7ffe s:0xfff8 s:0xfff9 s:0xfffa s:0xfffb s:0xfffc \
		s:0xfffd s:0xfffe s:0xffff s:0 s:1 read:6 s:0xffff=stale \
		s:0x8001=far s:2 read:1 stats)
	check_eq "v2 wrap-around: resync, then delivered across 2^16" \
		"0x7ffe 0xfffd 0xfffe 0xffff 0 1" "$(field "$out" delivered)"
	check_eq "v2 wrap-around: stale across 2^16 and far ahead dropped" \
		"2" "$(field "$out" delivered 2)"
	check_stats "v2 wrap-around: counters" "$out" 1 \
		"rx_packets=7 rx_bytes=490 rx_seq_discards=7 rx_errors=7" \
		"rx_packets=7 rx_bytes=490 rx_seq_discards=5 rx_errors=7"

	new_v2_session seq recv || { not_ok "v2: create session"; return; }
	out=$(inject2 s:0 u:noseq s:1 read:2 stats)
	check_eq "v2 RECV_SEQ: unsequenced packet dropped" \
		"0 1" "$(field "$out" delivered)"
	check_stats "v2 RECV_SEQ: counters" "$out" 1 \
		"rx_packets=2 rx_bytes=140 rx_seq_discards=1 rx_errors=1"

	# LAC: the header grows by Ns/Nr (4 bytes) while we send them.
	new_v2_session || { not_ok "v2: create session"; return; }
	out=$(inject2 xmit:t1 capture:1 s:0 read:1 get xmit:t2 xmit:t3 \
		capture:2 u:a read:1 get xmit:t4 capture:1 stats)
	check_eq "v2 LAC: no Ns at first" "t1 noseq" "$(field "$out" captured 1)"
	check_eq "v2 LAC: the peer's Ns turns SEND_SEQ on" \
		"send_seq=1" "$(field "$out" session 1 | cut -d' ' -f1)"
	check_eq "v2 LAC: then we send Ns, from 0" "t2 seq=0, t3 seq=1" \
		"$(field "$out" captured 2), $(field "$out" captured 3)"
	check_eq "v2 LAC: the peer's unnumbered packet turns it off" \
		"send_seq=0" "$(field "$out" session 2 | cut -d' ' -f1)"
	check_eq "v2 LAC: then we send none" "t4 noseq" \
		"$(field "$out" captured 4)"
	check_stats "v2 LAC: counters (header length follows SEND_SEQ)" \
		"$out" 1 "rx_packets=2 rx_bytes=136 tx_packets=4 tx_bytes=272"

	# LNS sending Ns: the peer's unnumbered packets are dropped.
	new_v2_session seq send lns_mode on ||
		{ not_ok "v2: create session"; return; }
	out=$(inject2 s:0 read:1 u:a s:1 read:1 xmit:t1 capture:1 get stats)
	check_eq "v2 LNS: unnumbered packet dropped" \
		"1" "$(field "$out" delivered 2)"
	check_eq "v2 LNS: we send Ns from 0" "t1 seq=0" \
		"$(field "$out" captured 1)"
	check_eq "v2 LNS: the peer does not change our SEND_SEQ" \
		"send_seq=1" "$(field "$out" session 1 | cut -d' ' -f1)"
	check_stats "v2 LNS: counters" "$out" 1 \
		"rx_packets=2 rx_bytes=140 rx_seq_discards=1 rx_errors=1 tx_packets=1 tx_bytes=70"
}

# OL2TP_SEQ_CASES picks some of the runs (debugging): "udp ip v2".
for run in ${OL2TP_SEQ_CASES:-udp ip v2}; do
	case $run in
	udp|ip) run_cases "$run" ;;
	v2)
		if ol2tp -n "$(ns d)" tunnel add tunnel_id $V2_TID \
			peer_tunnel_id 40 version 2 encap udp local 10.9.0.2 \
			remote 10.9.0.1 udp_sport 1703 udp_dport 1701; then
			run_v2_cases
		else
			not_ok "v2: create an L2TPv2 tunnel"
		fi
		;;
	esac
done

tap_done
