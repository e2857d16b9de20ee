#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pppd alone over L2TPv3 PPP sessions created over netlink: the tunnel and
# the PPP session (pseudowire type 7) come from "ol2tp tunnel/session add",
# a PPPoL2TP socket connected with fd -1 attaches to the session
# (l2tp-ppp-pppd, the helper built from l2tp-ppp-pppd.c) and pppd runs on it
# with "plugin pppol2tp.so pppol2tp FD".  For UDP and IP encapsulation, over
# IPv4 and IPv6: LCP/IPCP come up, pings cross ppp in both directions, the
# session counts them, and killing pppd (closing its socket) deletes the
# session.
#
#    ns a                     ns r                    ns b
#  +---------+   veth   +-------------+   veth   +---------+
#  |  eth0   |----------| ra       rb |----------|  eth0   |
#  | pppl2tp |          +-------------+          | pppl2tp |
#  +---------+                                   +---------+
#  10.1.1.1, fd00:1::1 (underlay)   10.1.2.1, fd00:2::1 (underlay)
#  10.99.N.1 <=========== PPP over L2TPv3 ===========> 10.99.N.2
#
# ol2tp-timeout: 300

. "$(dirname "$0")/lib.sh"
require_root
require_cmd pppd ip ping
helper=$OL2TP_TESTBIN/l2tp-ppp-pppd
[ -x "$helper" ] || skip_all "$helper not built (make -C selftests bin)"
[ -x "$OL2TP_BIN/ol2tp" ] || skip_all "ol2tp not built (make userspace)"
plugin=$(ls /usr/lib/pppd/*/pppol2tp.so 2>/dev/null | head -n 1)
[ -n "$plugin" ] || skip_all "pppd's pppol2tp.so plugin is not installed"

topo_router || skip_all "cannot build the topology"
logdir=$(mktemp -d)
cleanup_push "rm -rf $logdir"

ol2tp_ns() { local n=$1; shift; ol2tp -n "$(ns "$n")" "$@"; }

# start_pppd NS TID SID PTID PSID FAMILY LOCAL:REMOTE LOG: pppd in the
# background on a socket attached to session SID; sets PPPD_PID.
start_pppd()
{
	# Not through ns_exec (a function): $! must be pppd itself.
	ip netns exec "$(ns "$1")" "$helper" 3 "$6" "$2" "$3" "$4" "$5" \
		pppd plugin "$plugin" pppol2tp %fd \
		nodetach noauth nodefaultroute noccp novj nopcomp noaccomp \
		lcp-echo-interval 0 maxfail 1 ifname pppl2tp "$7" \
		logfile "$8" >>"$8" 2>&1 &
	PPPD_PID=$!
	cleanup_push "kill $PPPD_PID"
}

# ppp_up NS LOCAL REMOTE: pppl2tp in NS has LOCAL with peer REMOTE.
ppp_up()
{
	ns_exec "$1" ip -4 addr show dev pppl2tp 2>/dev/null |
		grep -q "inet $2 peer $3/"
}

# session_gone NS TID SID
session_gone()
{
	! ol2tp_ns "$1" session show tunnel_id "$2" session_id "$3" 2>/dev/null |
		grep -q .
}

# session_stat NS TID SID FIELD
session_stat()
{
	ol2tp_ns "$1" -s -j session show tunnel_id "$2" session_id "$3" \
		2>/dev/null | python3 -c 'import json,sys
try:
    d = json.load(sys.stdin)
    d = d[0] if isinstance(d, list) else d
    print(d.get("stats", d).get(sys.argv[1], -1))
except ValueError:
    print(-1)' "$4"
}

n=0
for encap in udp ip; do
	for fam in 4 6; do
		n=$((n + 1))
		name="$encap/IPv$fam"
		ta=$((100 + n)) tb=$((200 + n)) sa=$((1000 + n)) sb=$((2000 + n))
		if [ $fam = 4 ]; then la=$A4 lb=$B4; else la=$A6 lb=$B6; fi
		ports=()
		[ $encap = udp ] && ports=(udp_sport 1701 udp_dport 1701)
		check "$name: tunnels and PPP sessions created over netlink" \
			eval "ol2tp_ns a tunnel add tunnel_id $ta peer_tunnel_id $tb encap $encap local $la remote $lb ${ports[*]} &&
			      ol2tp_ns b tunnel add tunnel_id $tb peer_tunnel_id $ta encap $encap local $lb remote $la ${ports[*]} &&
			      ol2tp_ns a session add tunnel_id $ta session_id $sa peer_session_id $sb pw ppp &&
			      ol2tp_ns b session add tunnel_id $tb session_id $sb peer_session_id $sa pw ppp" ||
			continue

		ip_a=10.99.$n.1 ip_b=10.99.$n.2
		start_pppd a $ta $sa $tb $sb $fam $ip_a:$ip_b "$logdir/a$n.log"
		pid_a=$PPPD_PID
		start_pppd b $tb $sb $ta $sa $fam $ip_b:$ip_a "$logdir/b$n.log"
		pid_b=$PPPD_PID
		if ! check "$name: PPP comes up on both ends (LCP, IPCP)" \
			wait_for 60 eval "ppp_up a $ip_a $ip_b && ppp_up b $ip_b $ip_a"; then
			diag "pppd a: $(tail -n 5 "$logdir/a$n.log")"
			diag "pppd b: $(tail -n 5 "$logdir/b$n.log")"
		fi
		check "$name: ping a -> b across PPP" ping_ok a $ip_b
		check "$name: ping b -> a across PPP" ping_ok b $ip_a
		check_ge "$name: the session counted received packets" 3 \
			"$(session_stat a $ta $sa rx_packets)"
		check_ge "$name: the session counted sent packets" 3 \
			"$(session_stat a $ta $sa tx_packets)"

		kill $pid_a 2>/dev/null
		check "$name: killing pppd deletes its session" \
			wait_for 20 session_gone a $ta $sa
		kill $pid_b 2>/dev/null
		wait $pid_a $pid_b 2>/dev/null
		check "$name: pppd on the other end exits and deletes its session" \
			wait_for 20 session_gone b $tb $sb
		ol2tp_ns a tunnel del tunnel_id $ta
		ol2tp_ns b tunnel del tunnel_id $tb
	done
done
tap_done
