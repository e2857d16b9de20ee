#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ol2tpd with go-l2tp (github.com/katalix/go-l2tp, MIT), another control
# plane over the same kernel API, as a user would pair them:
#
#   kl2tpd     go-l2tp's L2TPv2 LAC (kl2tpd) dials ol2tpd as LNS: PPP comes
#              up, pings cross, and the control connection stays up for
#              OL2TP_KL2TPD_SECONDS (default 60; longer for a soak) through
#              bursts of traffic and idle periods of 10 s, longer than
#              ol2tpd's HELLO interval (hello = 2 here) and kl2tpd's
#              (hello_timeout = 7500 ms): the same connection all along,
#              ol2tpd's HELLOs acknowledged, no retransmission exhausted.
#              kl2tpd 0.1.8 fails its own connection whenever it sends a
#              HELLO (it never takes the acknowledgement of one: see
#              "INTEROPERABILITY" in ol2tpd.conf(5)); ol2tpd's shorter
#              HELLO keeps kl2tpd from sending one.
#   kl2tpd-hello  the cause, captured on the router and decoded by tshark:
#              with ol2tpd's default HELLO interval, kl2tpd's HELLO is
#              acknowledged by ol2tpd's ZLB (Nr one past its Ns), and
#              kl2tpd sends it again all the same until it gives up.
#   ql2tpd-*   go-l2tp's static L2TPv3 daemon (ql2tpd) and an ol2tpd
#              [static] section: an Ethernet pseudowire over UDP and over IP
#              (protocol 115), IPv4 and IPv6, pings across.  ol2tpd has no
#              [peer], so it does not listen and the static tunnel may use
#              the default port 1701; the sublayers are set to match
#              (ql2tpd's default is none, ol2tpd's default).
#
#    ns a                        ns r                     ns b
#  +------------------+  veth  +-----------+  veth  +------------------+
#  | kl2tpd | ql2tpd  |--------| ra     rb |--------| ol2tpd           |
#  | pppd             |        |  router   |        | pppd             |
#  | 10.1.1.1         |        |           |        | 10.1.2.1         |
#  | fd00:1::1        |        |           |        | fd00:2::1        |
#  | ppp0 10.9.1.2    ===== L2TPv2 / UDP 1701 ========= 10.9.1.1        |
#  | gla  10.8.N.1    ===== L2TPv3 UDP or IP, static == glb 10.8.N.2    |
#  +------------------+        +-----------+        +------------------+
#
# go-l2tp is built from ../shared/peers/go-l2tp-0.1.8.tar.gz by
# selftests/build-go-l2tp (make -C selftests bin); without that tarball
# the test skips, saying so.
#
# ol2tp-timeout: 600

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping pppd python3
GO=$OL2TP_TESTBIN/go-l2tp
if [ ! -x "$GO/kl2tpd" ] || [ ! -x "$GO/ql2tpd" ]; then
	skip_all "$(cat "$GO/why-missing" 2>/dev/null ||
		echo "go-l2tp not built (make -C selftests bin)")"
fi
[ -x "$OL2TP_BIN/ol2tpd" ] || skip_all "ol2tpd not built (make userspace)"
modprobe -q ppp_generic 2>/dev/null
if [ ! -d /sys/module/l2tp_ppp ] && [ ! -d /sys/module/ol2tp_ppp ]; then
	skip_all "no PPPoL2TP in this kernel (ol2tp_ppp.ko or l2tp_ppp)"
fi
topo_router || skip_all "cannot build the topology"

dir=$(mktemp -d /tmp/ol2tpd-go-l2tp.XXXXXX)
cleanup_push "rm -rf $dir"

: "${OL2TP_KL2TPD_SECONDS:=60}"
HELLO_S=2		# ol2tpd's HELLO interval
IDLE_S=10		# idle periods: longer than both HELLO intervals

ctl()		# ctl NS CMD...: ol2tpd's management command in NS
{
	local n=$1
	shift
	"$OL2TP_BIN/ol2tpd" -S "$dir/$n.sock" -C "$*"
}

# start_go NS PROG: go-l2tp's PROG with $dir/PROG.toml, its pid in $gopid.
start_go()
{
	ip netns exec "$(ns "$1")" "$GO/$2" -config "$dir/$2.toml" -verbose \
		>"$dir/$2.log" 2>&1 &
	gopid=$!
	cleanup_push "kill $gopid 2>/dev/null"
}

stop_go()	# SIGTERM to $gopid and wait
{
	kill -TERM "$gopid" 2>/dev/null
	wait "$gopid" 2>/dev/null
}

keep_logs()	# the case's logs into all.log
{
	local f
	for f in "$dir/b.log" "$dir/kl2tpd.log" "$dir/ql2tpd.log"; do
		[ -f "$f" ] && sed "s/^/$CASE $(basename "$f"): /" "$f" >> "$dir/all.log"
		rm -f "$f"
	done
}

no_kernel_objects()
{
	[ -z "$(ip -n "$(ns "$1")" l2tp show tunnel)" ]
}

ppp_up()	# ppp_up NS LOCAL_ADDR: a ppp interface with that address
{
	ip -n "$(ns "$1")" -4 addr show | grep -q "inet $2 peer"
}

# peer_field NAME: a field of ol2tpd's one "peer show" line in ns b.
peer_field()
{
	ctl b peer show | awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }'
}

# --- kl2tpd (LAC) -> ol2tpd (LNS), L2TPv2 + PPP ------------------------------

CASE=kl2tpd
cat > "$dir/b.conf" <<EOC
[global]
listen = $B4
control-socket = $dir/b.sock
log-level = debug

[peer kl2tpd]
address = $A4
version = 2
initiate = no
hello = $HELLO_S

[pseudowire ppp]
peer = kl2tpd
type = ppp
initiate = no
lns = yes
pppd-options = "noauth nodefaultroute noipdefault lcp-echo-interval 0 10.9.1.1:10.9.1.2"
EOC
printf '%s\n' noauth nodefaultroute noipdefault "lcp-echo-interval 0" \
	> "$dir/kl2tpd.ppp"
cat > "$dir/kl2tpd.toml" <<EOC
[tunnel.t1]
peer = "$B4:1701"
local = "$A4:1701"
version = "l2tpv2"
encap = "udp"
hello_timeout = 7500

[tunnel.t1.session.s1]
pseudowire = "ppp"
pppd_args = "$dir/kl2tpd.ppp"
EOC
start_ol2tpd b
start_go a kl2tpd
check "kl2tpd: PPP up in the LAC (10.9.1.2)" wait_for 40 ppp_up a 10.9.1.2
check "kl2tpd: PPP up in the LNS (10.9.1.1)" wait_for 10 ppp_up b 10.9.1.1
check "kl2tpd: ping across PPP" ping_ok a 10.9.1.1
check_eq "kl2tpd: ol2tpd has the connection established" established \
	"$(peer_field state)"
tunnel0=$(peer_field tunnel)
tx0=$(peer_field tx)

# Bursts of pings, then silence several HELLO intervals long, until the
# time is up.  Every ping must come back.
lost=0 rounds=0 end=$((SECONDS + OL2TP_KL2TPD_SECONDS))
while [ $SECONDS -lt "$end" ]; do
	ns_exec a ping -q -c 10 -i 0.2 -W 2 10.9.1.1 >"$dir/ping.out" 2>&1
	lost=$((lost + 10 - $(pings_received "$dir/ping.out")))
	rounds=$((rounds + 1))
	sleep "$IDLE_S"
done
diag "kl2tpd: $rounds rounds of 10 pings and $IDLE_S s idle in ${OL2TP_KL2TPD_SECONDS} s"
check_eq "kl2tpd: no ping lost over ${OL2TP_KL2TPD_SECONDS} s of traffic and idle periods" \
	0 "$lost"
check_eq "kl2tpd: still established after ${OL2TP_KL2TPD_SECONDS} s" established \
	"$(peer_field state)"
check_eq "kl2tpd: the same control connection all along (tunnel $tunnel0)" \
	"$tunnel0" "$(peer_field tunnel)"
check_ge "kl2tpd: ol2tpd sent HELLOs in the idle periods" \
	$((tx0 + rounds)) "$(peer_field tx)"
check_fail "kl2tpd: no retransmission ran out in ol2tpd" \
	grep -q "retransmissions exhausted" "$dir/b.log"
check_fail "kl2tpd: kl2tpd never had to send a HELLO" \
	grep -q "message=send message_type=avpMsgTypeHello" "$dir/kl2tpd.log"
check "kl2tpd: kl2tpd still runs" kill -0 "$gopid"
check "kl2tpd: ping across PPP at the end" ping_ok a 10.9.1.1
stop_go
check "kl2tpd: ol2tpd hears kl2tpd's StopCCN" \
	wait_for 10 grep -q "peer sent StopCCN" "$dir/b.log"
check "kl2tpd: no kernel tunnel left in ol2tpd's namespace" \
	wait_for 10 no_kernel_objects b
stop_daemon b
check_eq "kl2tpd: ol2tpd stops cleanly" 0 "$rc_b"
keep_logs

# --- kl2tpd's own HELLO, captured ---------------------------------------------

CASE=kl2tpd-hello
if command -v tcpdump >/dev/null && command -v tshark >/dev/null; then
	sed -i -e "s/^hello = .*/hello = 60/" "$dir/b.conf"
	sed -i -e "s/^hello_timeout = .*/hello_timeout = 2000/" "$dir/kl2tpd.toml"
	pcap=$dir/hello.pcap
	tcpdump_start r "$dir/tcpdump.log" -q -i ra -U -w "$pcap" udp port 1701
	start_ol2tpd b
	start_go a kl2tpd
	check "kl2tpd-hello: PPP up in the LAC" wait_for 40 ppp_up a 10.9.1.2
	check "kl2tpd-hello: kl2tpd gives up on its own HELLO" \
		wait_for 30 grep -q "transmit of avpMsgTypeHello failed" "$dir/kl2tpd.log"
	stop_go
	stop_daemon b
	tcpdump_stop
	# Control messages: source, Ns, Nr, Message Type (none: ZLB).
	tshark -r "$pcap" -Y "l2tp.type == 1" -T fields -e ip.src -e l2tp.Ns \
		-e l2tp.Nr -e l2tp.avp.message_type 2>/dev/null > "$dir/hello.txt"
	hello_ns=$(awk -v a="$A4" '$1 == a && $4 == 6 { print $2; exit }' "$dir/hello.txt")
	check "kl2tpd-hello: kl2tpd sends a HELLO (Ns ${hello_ns:-none})" \
		test -n "$hello_ns"
	check "kl2tpd-hello: ol2tpd acknowledges it with a ZLB, Nr $((${hello_ns:-0} + 1))" \
		awk -v b="$B4" -v nr=$((${hello_ns:-0} + 1)) \
		'$1 == b && $3 == nr && $4 == "" { f = 1 } END { exit !f }' "$dir/hello.txt"
	check_ge "kl2tpd-hello: kl2tpd sends the same HELLO again regardless (go-l2tp 0.1.8)" \
		2 "$(awk -v a="$A4" -v ns="$hello_ns" '$1 == a && $4 == 6 && $2 == ns' "$dir/hello.txt" | wc -l)"
	[ "$OL2TP_VERBOSE" = 1 ] && sed "s/^/# /" "$dir/hello.txt"
	keep_logs
else
	skip "kl2tpd-hello: kl2tpd's HELLO captured" "tcpdump or tshark missing"
fi

# --- ql2tpd <-> ol2tpd [static], L2TPv3 Ethernet -----------------------------

# static_case NAME N ENCAP LOCAL REMOTE: ql2tpd in a, ol2tpd in b, tunnel
# ids 100+N / 200+N, sessions 1000+N / 2000+N, 10.8.N.1 <-> 10.8.N.2.
static_case()
{
	local n=$2 encap=$3 la=$4 lb=$5 qa qb ga gb
	CASE=$1
	case $la in *:*) qa="[$la]" qb="[$lb]" ;; *) qa=$la qb=$lb ;; esac
	# ql2tpd reads every address as host:port, the port ignored for IP.
	if [ "$encap" = udp ]; then
		qa="$qa:1701" qb="$qb:1701" ga=$qa gb=$qb
	else
		ga="$qa:0" gb="$qb:0"
	fi
	cat > "$dir/ql2tpd.toml" <<EOC
[tunnel.t$n]
version = "l2tpv3"
encap = "$encap"
local = "$ga"
peer = "$gb"
tid = $((100 + n))
ptid = $((200 + n))

[tunnel.t$n.session.s$n]
pseudowire = "eth"
sid = $((1000 + n))
psid = $((2000 + n))
interface_name = "gla"
EOC
	cat > "$dir/b.conf" <<EOC
[global]
control-socket = $dir/b.sock

[static go]
encap = $encap
local = $qb
remote = $qa
tunnel-id = $((200 + n))
peer-tunnel-id = $((100 + n))
session-id = $((2000 + n))
peer-session-id = $((1000 + n))
# ql2tpd sends no L2-Specific Sublayer unless told (l2spec_type).
l2spec = none
interface = glb
EOC
	start_go a ql2tpd
	start_ol2tpd b
	check "$CASE: ql2tpd's interface is there" \
		wait_for 10 ip -n "$(ns a)" link show gla
	check "$CASE: ol2tpd shows the static pseudowire up" \
		wait_for 10 sh -c "'$OL2TP_BIN/ol2tpd' -S '$dir/b.sock' -C 'session show' | grep -q 'static go .*state static'"
	ip -n "$(ns a)" link set gla up
	addr_add a gla "10.8.$n.1/24"
	addr_add b glb "10.8.$n.2/24"
	check "$CASE: ping across the pseudowire" wait_for 10 ping_ok a "10.8.$n.2" 1
	stop_daemon b
	check_eq "$CASE: ol2tpd stops cleanly" 0 "$rc_b"
	check "$CASE: nothing left in ol2tpd's namespace" no_kernel_objects b
	stop_go
	check "$CASE: nothing left in ql2tpd's namespace" \
		wait_for 5 no_kernel_objects a
	keep_logs
}

static_case ql2tpd-udp4 1 udp "$A4" "$B4"
static_case ql2tpd-udp6 2 udp "$A6" "$B6"
static_case ql2tpd-ip4 3 ip "$A4" "$B4"
static_case ql2tpd-ip6 4 ip "$A6" "$B6"

[ "$OL2TP_VERBOSE" = 1 ] && sed 's/^/# /' "$dir/all.log"
tap_done
