#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ol2tpd under adverse conditions, L2TPv3 Ethernet pseudowire over UDP:
#
#  - tie: both daemons initiate at once; exactly one control connection and
#    one session survive in each kernel, and traffic passes;
#  - loss: the router's link to b starts black for 3 s (so a control message
#    is surely lost), then tc netem drops 20% and reorders, both ways; the
#    pseudowire still comes up, retransmissions are counted, and nothing is
#    duplicated (one tunnel, one session per side);
#  - reload: SIGHUP brings up a pseudowire added to the file, removes one
#    taken out, keeps the unchanged one's session, and refuses a broken file;
#  - renumbering: SIGHUP removes the first of two [peer]s; the remaining
#    peer's running connection follows it to its new index: its session
#    and traffic stay, "ol2tp peer show" names it, and a pseudowire opens
#    on that connection again;
#  - dead peer: one daemon is SIGKILLed; the other detects it through its
#    unanswered HELLO and removes its tunnel and session;
#  - every control message of that last run, captured on the underlay
#    (router), decodes in tshark with no malformed packet and no expert
#    warning, the Message Digests included.
#
#    ns a                        ns r                        ns b
#  +----------------+  veth  +-------------+  veth  +----------------+
#  | ol2tpd (a.conf)|--------| ra       rb |--------| ol2tpd (b.conf)|
#  | eth0 10.1.1.1  |        | netem, pcap |        | eth0 10.1.2.1  |
#  | pwa 192.168.N.1 ========= L2TPv3 / UDP ========= pwb 192.168.N.2 |
#  +----------------+        +-------------+        +----------------+
#
# ol2tp-timeout: 500

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping tc
[ -x "$OL2TP_BIN/ol2tpd" ] || skip_all "ol2tpd not built (make userspace)"
topo_router || skip_all "cannot build the topology"

dir=$(mktemp -d /tmp/ol2tpd-robust.XXXXXX)
cleanup_push "rm -rf $dir"
SECRET="robust secret"

# conf NS LOCAL PEER INITIATE IFNAME EXTRA...
conf()
{
	local n=$1 local=$2 peer=$3 init=$4 ifname=$5
	shift 5
	ol2tpd_conf "$n" "$local" "$peer" \
		"initiate = $init" "reconnect = 2" "secret = \"$SECRET\"" \
		"digest = md5" "$@" "" \
		"[pseudowire pw]" "peer = other" "type = ethernet" \
		"remote-end-id = robust" "cookie = 4" "initiate = $init" \
		"interface = $ifname"
}

start()
{
	: > "$dir/$1.log"
	ip netns exec "$(ns "$1")" "$OL2TP_BIN/ol2tpd" -f "$dir/$1.conf" \
		> "$dir/$1.log" 2>&1 &
	eval "pid_$1=$!"
	cleanup_push "kill $! 2>/dev/null"
}

stop()		# stop NS [SIGNAL]
{
	local p
	eval "p=\$pid_$1"
	kill -"${2:-TERM}" "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	sed "s/^/$CASE $1: /" "$dir/$1.log" >> "$dir/all.log"
}

ctl()
{
	local n=$1
	shift
	"$OL2TP_BIN/ol2tpd" -S "$dir/$n.sock" -C "$*"
}

# retransmitted NS: NS's ol2tpd counts at least one retransmission.
retransmitted()
{
	[ "$(ctl "$1" peer show | sed -n 's/.* retransmits \([0-9]*\).*/\1/p')" -ge 1 ] 2>/dev/null
}

session_up()
{
	ctl "$1" session show 2>/dev/null |
		grep -q "state established.*interface $2"
}

count_tunnels()
{
	ip -n "$(ns "$1")" l2tp show tunnel | grep -c '^Tunnel'
}

count_sessions()
{
	ip -n "$(ns "$1")" l2tp show session | grep -c '^Session'
}

no_kernel_objects()
{
	[ "$(count_tunnels "$1")" = 0 ] && [ "$(count_sessions "$1")" = 0 ]
}

# --- tie ---------------------------------------------------------------------
CASE=tie
conf a "$A4" "$B4" yes pwa
conf b "$B4" "$A4" yes pwb
start a
start b
check "tie: pseudowire up in a" wait_for 40 session_up a pwa
check "tie: pseudowire up in b" wait_for 10 session_up b pwb
check_eq "tie: one tunnel in a" 1 "$(count_tunnels a)"
check_eq "tie: one tunnel in b" 1 "$(count_tunnels b)"
check_eq "tie: one session in a" 1 "$(count_sessions a)"
check_eq "tie: one session in b" 1 "$(count_sessions b)"
addr_add a pwa 192.168.81.1/24
addr_add b pwb 192.168.81.2/24
check "tie: ping across the pseudowire" wait_for 10 ping_ok a 192.168.81.2 1
stop a
stop b
check "tie: nothing left in a" no_kernel_objects a
check "tie: nothing left in b" no_kernel_objects b

# --- loss and reordering -----------------------------------------------
CASE=loss
if modprobe -q sch_netem 2>/dev/null || [ -d /sys/module/sch_netem ]; then
	# Towards b the link starts black (100% loss), so a's SCCRQ and its
	# first retransmission are certainly lost: with 20% random loss alone
	# a run without any lost control message (about 1 in 10) would make
	# "retransmissions counted" fail by chance.  Then 20% loss + reorder.
	ip netns exec "$(ns r)" tc qdisc add dev ra root netem \
		loss 20% delay 30ms 20ms reorder 25% 50%
	ip netns exec "$(ns r)" tc qdisc add dev rb root netem loss 100%
	conf a "$A4" "$B4" yes pwa
	conf b "$B4" "$A4" no pwb
	start b
	start a
	# The link comes back once a has resent its SCCRQ (a slow guest can
	# take seconds to start ol2tpd: a fixed sleep was not always enough).
	check "loss: a resends its SCCRQ while b is cut off" \
		wait_for 60 retransmitted a
	ip netns exec "$(ns r)" tc qdisc change dev rb root netem \
		loss 20% delay 30ms 20ms reorder 25% 50%
	check "loss: pseudowire up in a despite 20% loss" \
		wait_for 120 session_up a pwa
	check "loss: pseudowire up in b" wait_for 60 session_up b pwb
	rtx=$(ctl a peer show | sed -n 's/.* retransmits \([0-9]*\).*/\1/p')
	rtx_b=$(ctl b peer show | sed -n 's/.* retransmits \([0-9]*\).*/\1/p')
	diag "retransmissions: a ${rtx:-?}, b ${rtx_b:-?}"
	check_ge "loss: retransmissions counted" 1 "$(( ${rtx:-0} + ${rtx_b:-0} ))"
	check_eq "loss: one tunnel in a" 1 "$(count_tunnels a)"
	check_eq "loss: one tunnel in b" 1 "$(count_tunnels b)"
	check_eq "loss: one session in a" 1 "$(count_sessions a)"
	check_eq "loss: one session in b" 1 "$(count_sessions b)"
	stop a
	stop b
	for dev in ra rb; do
		ip netns exec "$(ns r)" tc qdisc del dev "$dev" root
	done
else
	skip "loss: netem" "sch_netem not available"
fi

# --- reload ---------------------------------------------------------------------
CASE=reload
conf a "$A4" "$B4" yes pwa
conf b "$B4" "$A4" no pwb
start b
start a
check "reload: first pseudowire up" wait_for 40 session_up a pwa
sid=$(ctl a session show | sed -n 's/.* session \([0-9]*\) .*/\1/p')
for n in a b; do
	init=yes
	[ $n = b ] && init=no
	cat >> "$dir/$n.conf" <<EOC

[pseudowire second]
peer = other
type = ethernet
remote-end-id = second
initiate = $init
interface = ${n}2
EOC
	eval "kill -HUP \$pid_$n"
done
check "reload: the new pseudowire comes up in a" wait_for 30 session_up a a2
check "reload: the new pseudowire comes up in b" wait_for 10 session_up b b2
check_eq "reload: the unchanged pseudowire kept its session" "$sid" \
	"$(ctl a session show | sed -n 's/^session pw .* session \([0-9]*\) .*/\1/p')"
echo "[broken" >> "$dir/a.conf"
kill -HUP "$pid_a"
check "reload: a broken file is refused and logged" \
	wait_for 10 grep -q "reload failed, keeping the running configuration" "$dir/a.log"
check "reload: and everything stays up" session_up a a2
for n in a b; do
	sed -i '/^\[broken/d; /^\[pseudowire second\]/,$d' "$dir/$n.conf"
	eval "kill -HUP \$pid_$n"
done
check "reload: the removed pseudowire's kernel session goes" \
	wait_for 15 bash -c "[ \$(ip -n '$(ns a)' l2tp show session | grep -c '^Session') = 1 ]"
check "reload: the other one stays" session_up a pwa
stop a
stop b

# --- renumbering on reload -----------------------------------------------------
# reload.c gives every kept peer its new index in the new file, and the
# connection of each its peer's new index.  Here the peer in use is the
# second of two, then the first is removed: "other" becomes peer 0.
CASE=renumber
conf a "$A4" "$B4" yes pwa
sed -i 's/^\[peer other\]$/[peer gone]\naddress = 10.1.9.9\ninitiate = no\n\n&/' \
	"$dir/a.conf"
conf b "$B4" "$A4" no pwb
start b
start a
check "renumber: pseudowire up, its peer the second of two" \
	wait_for 40 session_up a pwa
addr_add a pwa 192.168.82.1/24
addr_add b pwb 192.168.82.2/24
check "renumber: ping across the pseudowire" \
	wait_for 10 ping_ok a 192.168.82.2 1
pw_sid()
{
	ctl a session show | sed -n 's/^session pw .* session \([0-9]*\) .*/\1/p'
}
sid=$(pw_sid)
sed -i '/^\[peer gone\]$/,/^$/d' "$dir/a.conf"
kill -HUP "$pid_a"
check "renumber: the file without the first peer is loaded" \
	wait_for 10 grep -q "configuration reloaded: 1 peers" "$dir/a.log"
check_eq "renumber: the pseudowire kept its session" "$sid" "$(pw_sid)"
check "renumber: ping still crosses" ping_ok a 192.168.82.2 1
peers=$("$OL2TP_BIN/ol2tp" -S "$dir/a.sock" peer show 2>&1)
diag "$peers"
check_eq "renumber: ol2tp peer show lists one peer" 1 \
	"$(grep -c '^peer ' <<< "$peers")"
check "renumber: it is \"other\", established, with its session" \
	grep -q '^peer other .* state established .* sessions 1 ' <<< "$peers"
# open_pseudowires() finds a connection's pseudowires by its peer index.
ctl a session down pw > /dev/null
check "renumber: pseudowire taken down" \
	wait_for 15 bash -c "[ \$(ip -n '$(ns a)' l2tp show session | grep -c '^Session') = 0 ]"
ctl a session up pw > /dev/null
check "renumber: it opens again on the renumbered connection" \
	wait_for 20 session_up a pwa
stop a
stop b

# --- dead peer, with a capture on the router ----------------------------------
CASE=dead
conf a "$A4" "$B4" yes pwa "hello = 2" "retries = 2" "reconnect = 0"
conf b "$B4" "$A4" no pwb
pcap=$dir/dead.pcap
have_pcap=0
if command -v tcpdump >/dev/null; then
	ip netns exec "$(ns r)" tcpdump -q -i ra -U -w "$pcap" udp port 1701 \
		> "$dir/tcpdump.log" 2>&1 &
	tcpdump_pid=$!
	cleanup_push "kill $tcpdump_pid 2>/dev/null"
	wait_for 5 grep -q listening "$dir/tcpdump.log" && have_pcap=1
fi
start b
start a
check "dead: pseudowire up" wait_for 40 session_up a pwa
sleep 1
stop b KILL
check "dead: a clears the connection after unanswered HELLOs" \
	wait_for 40 bash -c "'$OL2TP_BIN/ol2tpd' -S '$dir/a.sock' -C 'peer show' | grep -q 'state down'"
check "dead: the loss was logged" grep -q "peer not responding" "$dir/a.log"
check "dead: a's kernel tunnel and session removed" no_kernel_objects a
check "dead: the killed daemon's kernel objects went with its socket" \
	no_kernel_objects b
stop a

if [ $have_pcap = 1 ] && command -v tshark >/dev/null; then
	kill "$tcpdump_pid" 2>/dev/null
	wait "$tcpdump_pid" 2>/dev/null
	n=$(tshark -r "$pcap" -Y "l2tp.type == 1" 2>/dev/null | wc -l)
	check_ge "capture: control messages seen on the underlay ($n)" 8 "$n"
	expert=$(tshark -o "l2tp.shared_secret:$SECRET" -r "$pcap" -q \
		-z expert 2>/dev/null | grep -E '^ +[0-9]+ ')
	check_eq "capture: tshark: no expert warning (digests verify)" "" "$expert"
	check_eq "capture: tshark: no malformed packet" 0 \
		"$(tshark -r "$pcap" -V 2>/dev/null | grep -ci malformed)"
else
	skip "capture decoded by tshark" "tcpdump or tshark missing"
fi

[ "$OL2TP_VERBOSE" = 1 ] && sed 's/^/# /' "$dir/all.log"
tap_done
