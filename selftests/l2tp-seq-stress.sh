#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Data sequencing under stress (issue #4): the reorder queue, its timer and
# the session's lifetime while packets arrive on several CPUs at once.
#
#  1. Two injectors, each pinned to its own CPU, send overlapping ranges of
#     numbers, shuffled in blocks and with duplicates, into one session
#     with a short reorder timeout, while SESSION_MODIFY keeps changing the
#     timeout and RECV_SEQ.  Afterwards every packet is accounted for:
#     delivered (rx_packets) or dropped (rx_errors), nothing left held.
#  2. Sessions are deleted (netlink, ip link del on ol2tp, tunnel delete)
#     while packets are held and their reorder timer is pending.
#  3. A session is deleted and created again, over and over, while packets
#     keep coming for it; the last one still delivers in order.
# The kernel must not complain (scripts/vm-run fails on any WARNING, BUG,
# refcount report); the network namespaces are deleted with packets held.
#
#      ns p (l2tp-inject x2)                    ns d (device under test)
#   +---------------------------+   veth   +-----------------------------+
#   | UDP 10.9.0.1:1701 (CPU 0) |----------| tunnel 10, UDP 1702         |
#   | UDP 10.9.0.1:1701 (CPU 1) |          |  session N -> l2tpeth "sN"  |
#   +---------------------------+          +-----------------------------+
#
# ol2tp-timeout: 600

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip l2tp-inject ol2tp

netns_add p d || skip_all "cannot create network namespaces"
ns_exec d sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	net.ipv6.conf.default.disable_ipv6=1
veth_add p eth0 d eth0 || skip_all "cannot create a veth pair"
addr_add p eth0 10.9.0.1/24
addr_add d eth0 10.9.0.2/24

TID=10
ol2tp -n "$(ns d)" tunnel add tunnel_id $TID peer_tunnel_id 20 \
	encap udp local 10.9.0.2 remote 10.9.0.1 udp_sport 1702 udp_dport 1701 ||
	skip_all "cannot create an L2TPv3 UDP tunnel"

SID=100
CPUS=$(nproc)

# session_add [OPTIONS]: session $SID, netdev "s$SID".  Linux deletes
# sessions and their netdevs asynchronously: retry while the id or the name
# is still taken.
session_add()
{
	wait_for 10 ol2tp -n "$(ns d)" session add name "s$SID" \
		tunnel_id "$TID" session_id "$SID" \
		peer_session_id "$((SID + 1000))" "$@" &&
	ip -n "$(ns d)" link set "s$SID" up
}

session_del()
{
	ol2tp -n "$(ns d)" session del tunnel_id "$TID" session_id "$SID"
}

# inject [--cpu N] COMMAND...
inject()
{
	l2tp-inject --peer-ns "$(ns p)" --dut-ns "$(ns d)" \
		--local 10.9.0.1 --remote 10.9.0.2 --lport 1701 --rport 1702 \
		--tunnel "$TID" --session "$SID" "$@"
}

# kv LINE KEY: the value of KEY=VALUE in LINE
kv()
{
	local w
	for w in $1; do
		[ "${w%%=*}" = "$2" ] && echo "${w#*=}"
	done
}

# --- 1. concurrent receive, settings changing ---------------------------------

SID=101
session_add seq recv reorder_timeout 20 ||
	skip_all "cannot create a sequenced session"
f0=/tmp/l2tp-seq-stress-0-$SUFFIX
f1=/tmp/l2tp-seq-stress-1-$SUFFIX
cleanup_push "rm -f $f0 $f1"
inject --cpu 0 shuffle:0:3000:16:300 >"$f0" 2>&1 &
p0=$!
inject --cpu $((CPUS > 1 ? 1 : 0)) shuffle:1500:3000:16:300 >"$f1" 2>&1 &
p1=$!
for t in 50 5 0 20 1 100 0 20; do
	ol2tp -n "$(ns d)" session modify tunnel_id "$TID" session_id "$SID" \
		reorder_timeout "$t" seq "$([ "$t" = 0 ] && echo both || echo recv)"
	sleep 0.2
done
wait $p0
wait $p1
# Nothing may wait any more: turning reordering off releases the queue.
ol2tp -n "$(ns d)" session modify tunnel_id "$TID" session_id "$SID" \
	reorder_timeout 0
sent0=$(sed -n 's/^sent //p' "$f0")
sent1=$(sed -n 's/^sent //p' "$f1")
sent=$((${sent0:-0} + ${sent1:-0}))
out=$(inject stats state)
rx=$(kv "$(printf '%s\n' "$out" | grep ^stats)" rx_packets)
err=$(kv "$(printf '%s\n' "$out" | grep ^stats)" rx_errors)
diag "sent $sent; $(printf '%s\n' "$out" | grep ^stats)"
[ "$OL2TP_IMPL" = ol2tp ] && diag "$(printf '%s\n' "$out" | grep ^state)"
check_ge "concurrent receive: packets were sent" 6000 "$sent"
check_ge "concurrent receive: packets delivered" 100 "$rx"
if [ "$OL2TP_IMPL" = ol2tp ]; then
	check_eq "concurrent receive: every packet delivered or dropped" \
		"$sent" "$((rx + err))"
	check_eq "concurrent receive: nothing left held" "0" \
		"$(kv "$(printf '%s\n' "$out" | grep ^state)" queued)"
else
	skip "concurrent receive: every packet delivered or dropped" \
		"Linux drops expired packets only when another one arrives, and keeps duplicates of held packets queued"
	skip "concurrent receive: nothing left held" "Linux has no debug view of it"
fi
session_del

# --- 2. deleting sessions that hold packets ------------------------------------

# hold_packets: the session holds 3 packets behind a gap, timer pending.
hold_packets()
{
	inject s:0 s:5 s:3 s:9 >/dev/null
}

ok_count=0
for i in $(seq 1 12); do
	SID=$((200 + i))
	session_add seq recv reorder_timeout 60000 || break
	hold_packets || break
	case $((i % 3)) in
	0) session_del ;;
	1)	# Linux's l2tpeth cannot be deleted with ip link del.
		if [ "$OL2TP_IMPL" = ol2tp ]; then
			ip -n "$(ns d)" link del "s$SID"
		else
			session_del
		fi ;;
	2) ol2tp -n "$(ns d)" session del tunnel_id "$TID" session_id "$SID" &
	   hold_packets
	   wait ;;
	esac
	ok_count=$((ok_count + 1))
done
check_eq "sessions deleted while holding packets (netlink, ip link del, under traffic)" \
	12 "$ok_count"
no_sessions()
{
	[ -z "$(ol2tp -n "$(ns d)" session show tunnel_id "$TID" 2>&1)" ]
}
check "no session left behind" wait_for 10 no_sessions

# A tunnel deleted with a session holding packets.
check "tunnel with a session holding packets is deleted" sh -c "
	ip netns exec $(ns d) ol2tp tunnel add tunnel_id 11 peer_tunnel_id 21 \
		encap udp local 10.9.0.2 remote 10.9.0.1 udp_sport 1703 \
		udp_dport 1701 &&
	ip netns exec $(ns d) ol2tp session add name sq11 tunnel_id 11 \
		session_id 300 peer_session_id 301 seq recv reorder_timeout 60000 &&
	l2tp-inject --peer-ns $(ns p) --local 10.9.0.1 --remote 10.9.0.2 \
		--lport 1701 --rport 1703 --session 300 s:0 s:4 s:2 &&
	ip netns exec $(ns d) ol2tp tunnel del tunnel_id 11"

# --- 3. delete and create again while packets come -----------------------------

SID=400
session_add seq recv reorder_timeout 10 || not_ok "create session $SID"
inject --cpu $((CPUS > 1 ? 1 : 0)) shuffle:0:20000:8:100 >/dev/null 2>&1 &
pi=$!
cleanup_push "kill $pi"
for i in $(seq 1 10); do
	session_del
	session_add seq recv reorder_timeout $((i % 2 * 10))
done
wait $pi
session_del
session_add seq recv reorder_timeout 20000
out=$(inject --ifname "s$SID" s:7 s:9 s:8 s:10 read:4 stats)
check_eq "after the churn a new session delivers in order" "7 8 9 10" \
	"$(printf '%s\n' "$out" | sed -n 's/^delivered //p')"

# Left holding packets: the namespaces go away with the timer pending.
inject s:20 s:25 s:23 >/dev/null

tap_done
