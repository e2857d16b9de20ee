#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# xl2tpd + pppd end to end over L2TPv2: Debian's xl2tpd in kernel mode (it
# must log that it uses the kernel's L2TP support) as LAC in ns a and as
# LNS in ns b; each spawns pppd with the pppol2tp.so plugin on a PPPoL2TP
# socket.  The L2TPv2 tunnel and the PPP session appear in the kernel, PPP
# comes up on ppp0, ping and iperf3 cross it; killing pppd deletes the
# session, stopping xl2tpd deletes the tunnel.  Then again with sequencing
# on (pppd's pppol2tp_send_seq/pppol2tp_recv_seq on both ends): the sessions
# report it, the LNS runs in LNS mode, traffic still flows.
#
#    ns a (LAC)                ns r                  ns b (LNS)
#  +------------+   veth   +-----------+   veth   +------------+
#  | eth0       |----------| ra     rb |----------| eth0       |
#  | xl2tpd     |          +-----------+          | xl2tpd     |
#  | pppd: ppp0 |                                 | pppd: ppp0 |
#  +------------+                                 +------------+
#  10.1.1.1:1701  <======= L2TPv2 over UDP =======>  10.1.2.1:1701
#  10.98.0.2      <=========== PPP =============>    10.98.0.1
#
# ol2tp-timeout: 400

. "$(dirname "$0")/lib.sh"
require_root
require_cmd xl2tpd pppd ip ping iperf3 python3
[ -x "$OL2TP_BIN/ol2tp" ] || skip_all "ol2tp not built (make userspace)"
ls /usr/lib/pppd/*/pppol2tp.so >/dev/null 2>&1 ||
	skip_all "pppd's pppol2tp.so plugin is not installed"

topo_router || skip_all "cannot build the topology"
dir=$(mktemp -d)
cleanup_push "rm -rf $dir"
: >"$dir/l2tp-secrets"
chmod 600 "$dir/l2tp-secrets"
LNS_PPP=10.98.0.1 LAC_PPP=10.98.0.2

# jfield NS FIELD ol2tp-ARGS...: FIELD of the first object "ol2tp -j"
# shows.  Sessions with id 0 are left out: Linux lists the tunnel
# management socket of xl2tpd as a session 0, ol2tp does not.
jfield()
{
	local n=$1 f=$2
	shift 2
	ol2tp -n "$(ns "$n")" -j "$@" 2>/dev/null | python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
except ValueError:
    sys.exit(1)
if isinstance(d, dict):
    d = [d]
d = [o for o in d if o.get("session_id", 1) != 0]
if sys.argv[1] == "count":
    print(len(d))
    sys.exit(0)
if not d:
    sys.exit(1)
v = d[0].get(sys.argv[1])
if isinstance(v, bool):
    v = str(v).lower()
if sys.argv[1] == "stats":
    v = v.get(sys.argv[2]) if v else None
print(v)' "$f" "${STAT:-}"
}

count_objs()
{
	local n=$1 c
	shift
	c=$(jfield "$n" count "$@") || c=0
	echo "${c:-0}"
}

no_tunnels() { [ "$(count_objs "$1" tunnel show)" = 0 ]; }
no_sessions() { [ "$(count_objs "$1" session show)" = 0 ]; }
has_tunnel() { [ "$(jfield "$1" version tunnel show)" = 2 ]; }
has_session() { [ "$(jfield "$1" pw session show)" = ppp ]; }

# pid_in NS COMM: the PID of the process named COMM in NS.
pid_in()
{
	local p
	for p in $(ip netns pids "$(ns "$1")"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$2" ] && echo "$p" && return 0
	done
	return 1
}

ppp_up()
{
	ns_exec "$1" ip -4 addr show dev ppp0 2>/dev/null |
		grep -q "inet $2 peer $3/"
}

# write_configs SEQ: xl2tpd and pppd configuration of both ends.
write_configs()
{
	local seq_opts=
	[ "$1" = seq ] && seq_opts=$'pppol2tp_send_seq\npppol2tp_recv_seq'
	cat >"$dir/lns.conf" <<-EOC
	[global]
	port = 1701
	listen-addr = $B4
	auth file = $dir/l2tp-secrets
	[lns default]
	ip range = $LAC_PPP-10.98.0.9
	local ip = $LNS_PPP
	require authentication = no
	length bit = yes
	pppoptfile = $dir/lns.options
	EOC
	cat >"$dir/lac.conf" <<-EOC
	[global]
	port = 1701
	listen-addr = $A4
	auth file = $dir/l2tp-secrets
	[lac test]
	lns = $B4
	autodial = yes
	redial = no
	require authentication = no
	length bit = yes
	pppoptfile = $dir/lac.options
	EOC
	cat >"$dir/lns.options" <<-EOC
	noauth
	nodefaultroute
	noccp
	novj
	lcp-echo-interval 0
	logfile $dir/pppd-lns.log
	$seq_opts
	EOC
	cat >"$dir/lac.options" <<-EOC
	noauth
	noipdefault
	nodefaultroute
	noccp
	novj
	lcp-echo-interval 0
	logfile $dir/pppd-lac.log
	$seq_opts
	EOC
}

# start_xl2tpd NS ROLE: xl2tpd in the foreground, in the background.
start_xl2tpd()
{
	ip netns exec "$(ns "$1")" xl2tpd -D -c "$dir/$2.conf" \
		-s "$dir/l2tp-secrets" -p "$dir/$2.pid" -C "$dir/$2.control" \
		>"$dir/xl2tpd-$2.log" 2>&1 &
	eval "XL2TPD_$2=$!"
	cleanup_push "kill $!"
}

show_logs()
{
	local f
	for f in "$dir"/xl2tpd-*.log "$dir"/pppd-*.log; do
		[ -f "$f" ] && diag "$(basename "$f"): $(tail -n 8 "$f")"
	done
}

# iperf_across: iperf3 -t 2 from the LAC to the LNS over PPP.
iperf_across()
{
	local out
	ip netns exec "$(ns b)" iperf3 -s -1 -B $LNS_PPP >/dev/null 2>&1 &
	cleanup_push "kill $!"
	wait_for 10 eval "ns_exec b ss -ltn | grep -q ':5201'"
	out=$(ns_exec a iperf3 -c $LNS_PPP -t 2 -f m 2>&1) || {
		echo "$out"
		return 1
	}
	diag "iperf3: $(echo "$out" | grep receiver)"
}

# --- without sequencing ------------------------------------------------------
write_configs plain
start_xl2tpd b lns
start_xl2tpd a lac

check "LNS xl2tpd uses the kernel's L2TP support" \
	wait_for 10 grep -q "Using l2tp kernel support" "$dir/xl2tpd-lns.log"
check "LAC xl2tpd uses the kernel's L2TP support" \
	wait_for 10 grep -q "Using l2tp kernel support" "$dir/xl2tpd-lac.log"
check "LAC: an L2TPv2 tunnel appears in the kernel" wait_for 30 has_tunnel a
check "LNS: an L2TPv2 tunnel appears in the kernel" wait_for 30 has_tunnel b
if ! check "PPP comes up on ppp0 at both ends" \
	wait_for 60 eval "ppp_up a $LAC_PPP $LNS_PPP && ppp_up b $LNS_PPP $LAC_PPP"; then
	show_logs
fi
check "LAC: the kernel has the PPP session" has_session a
check "LNS: the kernel has the PPP session" has_session b
check "ping LAC -> LNS across ppp0" ping_ok a $LNS_PPP
check "ping LNS -> LAC across ppp0" ping_ok b $LAC_PPP
check "iperf3 across ppp0" iperf_across

pid=$(pid_in a pppd)
check "LAC pppd is running" test -n "$pid"
[ -n "$pid" ] && kill "$pid"
check "killing the LAC's pppd deletes its session" wait_for 30 no_sessions a
check "... and the LNS's (call disconnected)" wait_for 30 no_sessions b

kill "$XL2TPD_lac" "$XL2TPD_lns"
wait "$XL2TPD_lac" "$XL2TPD_lns" 2>/dev/null
check "stopping xl2tpd deletes the LAC's tunnel" wait_for 30 no_tunnels a
check "stopping xl2tpd deletes the LNS's tunnel" wait_for 30 no_tunnels b

# --- with sequencing -----------------------------------------------------------
write_configs seq
start_xl2tpd b lns
start_xl2tpd a lac
if ! check "sequencing: PPP comes up on ppp0 at both ends" \
	wait_for 60 eval "ppp_up a $LAC_PPP $LNS_PPP && ppp_up b $LNS_PPP $LAC_PPP"; then
	show_logs
fi
check_eq "sequencing: the LAC session sends and requires sequence numbers" \
	both "$(jfield a seq session show)"
check_eq "sequencing: the LNS session sends and requires sequence numbers" \
	both "$(jfield b seq session show)"
check_eq "sequencing: the LNS session is in LNS mode" \
	true "$(jfield b lns_mode session show)"
check_eq "sequencing: the LAC session is not in LNS mode" \
	false "$(jfield a lns_mode session show)"
check "sequencing: ping LAC -> LNS across ppp0" ping_ok a $LNS_PPP
check "sequencing: iperf3 across ppp0" iperf_across
for n in a b; do
	diag "sequencing: session in ns $n: rx_packets $(STAT=rx_packets jfield $n stats -s session show)," \
		"rx_seq_discards $(STAT=rx_seq_discards jfield $n stats -s session show)," \
		"rx_oos_packets $(STAT=rx_oos_packets jfield $n stats -s session show)"
done

kill "$XL2TPD_lac" "$XL2TPD_lns"
wait "$XL2TPD_lac" "$XL2TPD_lns" 2>/dev/null
check "sequencing: stopping xl2tpd deletes the tunnels" \
	wait_for 30 eval "no_tunnels a && no_tunnels b"
tap_done
