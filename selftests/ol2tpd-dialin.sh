#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ol2tpd as the LNS of road warriors: one [peer] section with "address =
# any" takes control connections from hosts it has never heard of, two of
# them behind the same NAT (same address, translated ports), and gives each
# incoming call its own session, its own pppd and its own address from the
# pseudowire's ppp-address-pool.  max-connections refuses one more (StopCCN
# "no resources") until a connection goes; then the refused client gets in
# and takes the address that was freed.  "ol2tp session down NAME
# tunnel_id T session_id S" clears one call and only it.  SIGHUP keeps the
# calls when nothing changed, and clears them when the pool shrinks (the
# third caller is then refused: pool exhausted).  An SCCRQ flood from 200
# ports costs at most max-pending connections and the calls carry on.  A
# dial-in prefix peer accepts L2TPv3 Ethernet pseudowires from any site in
# it, one site%d interface each.  SIGTERM leaves nothing in the kernel.
#
#                            ns lns                    ns nat
#   ns c1               +---------------+  veth  +------------------+
#  +----------+  veth   | ol2tpd        |--------| pub      in2 in3 |
#  | xl2tpd   |---------| l1       l2   |        | masquerade  |  |  |
#  | 10.1.1.2 |         | 10.1.1.1      |        | 10.1.2.2    |  |  |
#  +----------+         |      10.1.2.1 |        +-------------|--|--+
#                       | pppN 10.9.0.1 |           192.168.2.1|  |192.168.3.1
#                       +---------------+                      |  |
#                                        ns c2 +----------+    |  |
#                                              | xl2tpd   |----+  |
#                                              | .2.2     |       |
#                                              +----------+       |
#                                        ns c3 +----------+       |
#                                              | xl2tpd   |-------+
#                                              | .3.2     |
#                                              +----------+
#
# ol2tp-timeout: 400

. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping pppd xl2tpd nft python3
[ -x "$OL2TP_BIN/ol2tpd" ] || skip_all "ol2tpd not built (make userspace)"
modprobe -q ppp_generic 2>/dev/null
if [ ! -d /sys/module/l2tp_ppp ] && [ ! -d /sys/module/ol2tp_ppp ]; then
	skip_all "no PPPoL2TP in this kernel (ol2tp_ppp.ko or l2tp_ppp)"
fi

LNS_A=10.1.1.1 LNS_B=10.1.2.1 NAT=10.1.2.2

topo_dialin()
{
	netns_add lns c1 nat c2 c3 || return 1
	veth_add c1 eth0 lns l1 || return 1
	veth_add nat pub lns l2 || return 1
	veth_add c2 eth0 nat in2 || return 1
	veth_add c3 eth0 nat in3 || return 1
	addr_add lns l1 $LNS_A/24
	addr_add lns l2 $LNS_B/24
	addr_add c1 eth0 10.1.1.2/24
	addr_add nat pub $NAT/24
	addr_add nat in2 192.168.2.1/24
	addr_add nat in3 192.168.3.1/24
	addr_add c2 eth0 192.168.2.2/24
	addr_add c3 eth0 192.168.3.2/24
	ip -n "$(ns c2)" route add default via 192.168.2.1
	ip -n "$(ns c3)" route add default via 192.168.3.1
	ns_exec nat sysctl -qw net.ipv4.ip_forward=1
	# A home router: everything from inside leaves with the public address.
	ns_exec nat nft -f - <<-EOF || return 1
	table ip nat {
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "pub" masquerade
		}
	}
	EOF
	wait_for 5 ping_ok c3 $LNS_B 1
}
topo_dialin || skip_all "cannot build the topology (nftables NAT)"

dir=$(mktemp -d /tmp/ol2tpd-dialin.XXXXXX)
cleanup_push "rm -rf $dir"

# write_conf NS HOST: ol2tpd's configuration for NS, [global] then stdin.
write_conf()
{
	{
		printf '[global]\nhost-name = %s\n' "$2"
		printf 'control-socket = %s\nlog-level = debug\n\n' "$dir/$1.sock"
		cat
	} > "$dir/$1.conf"
}

# start_client NS LNS_ADDR [PORT]: xl2tpd as a road warrior's OS would be,
# dialling the LNS and retrying every 2 s when refused.
start_client()
{
	local n=$1${3:-}
	printf '%s\n' noauth nodefaultroute noipdefault "lcp-echo-interval 0" \
		> "$dir/$n.ppp"
	cat > "$dir/$n.conf" <<-EOC
	[global]
	port = ${3:-1701}
	[lac lns]
	lns = $2
	pppoptfile = $dir/$n.ppp
	autodial = yes
	require authentication = no
	redial = yes
	redial timeout = 2
	max redials = 1000
	EOC
	ip netns exec "$(ns "$1")" xl2tpd -D -c "$dir/$n.conf" \
		-p "$dir/$n.pid" -C "$dir/$n.ctl" >> "$dir/$n.log" 2>&1 &
	eval "xpid_$n=$!"
	cleanup_push "kill $! 2>/dev/null"
}

# ppp_addr NS: the address the LNS gave the client's ppp interface.
ppp_addr()
{
	ip -n "$(ns "$1")" -4 -o addr show | sed -n 's/.*inet \([0-9.]*\) peer 10\.9\.0\.1\/32.*/\1/p' | head -1
}

ppp_up()	# ppp_up NS: the client's ppp link is up, with a pool address
{
	case $(ppp_addr "$1") in
	10.9.0.1[0-9]) return 0 ;;
	*) return 1 ;;
	esac
}

log_mark()	# log_mark: from now on, logged looks at what comes after
{
	mark=$(stat -c %s "$dir/lns.log")
}
mark=0

logged()	# logged TEXT: the LNS logged TEXT since log_mark
{
	tail -c +$((mark + 1)) "$dir/lns.log" | grep -a -- "$1"
}

ctl()		# ctl COMMAND...: ol2tp talking to the LNS's daemon
{
	ol2tp -S "$dir/lns.sock" "$@"
}

connections()	# connections: established connections of peer road
{
	ctl peer show | grep -c "^peer road .*state established"
}

calls()		# calls: established sessions of pseudowire users
{
	ctl pseudowire show | grep -c "^session users .*state established"
}

lns_pppds()	# lns_pppds: pppds ol2tpd runs for its calls
{
	pgrep -P "$pid_lns" -c pppd
}

sessions_up()	# sessions_up ID...: each an established call of users
{
	local id out
	[ $# -gt 0 ] || return 1
	out=$(ctl pseudowire show)
	for id in "$@"; do
		grep -q "^session users .*state established .* session $id " <<<"$out" ||
			return 1
	done
}

no_kernel_objects()
{
	[ -z "$(ip -n "$(ns lns)" l2tp show tunnel)" ]
}

# --- road warriors over L2TPv2, two behind one NAT --------------------------

road_conf()	# road_conf MAX_CONNECTIONS POOL
{
	write_conf lns lns <<-EOC
	max-pending = 20
	[peer road]
	address = any
	version = 2
	max-connections = $1

	[pseudowire users]
	peer = road
	type = ppp
	lns = yes
	ppp-local-address = 10.9.0.1
	ppp-address-pool = $2
	pppd-options = "noauth nodefaultroute lcp-echo-interval 0"
	EOC
}

road_conf 3 10.9.0.10-10.9.0.19
start_ol2tpd lns
check "ol2tpd: peer road is listening" \
	bash -c "ol2tp -S '$dir/lns.sock' peer show | grep -q '^peer road address any .*state listening'"

start_client c1 $LNS_A
start_client c2 $LNS_B
start_client c3 $LNS_B
check "c1 (direct): PPP up with a pool address" wait_for 60 ppp_up c1
check "c2 (behind the NAT): PPP up with a pool address" wait_for 30 ppp_up c2
check "c3 (behind the same NAT): PPP up with a pool address" wait_for 30 ppp_up c3
a1=$(ppp_addr c1) a2=$(ppp_addr c2) a3=$(ppp_addr c3)
diag "pool addresses: c1 $a1, c2 $a2, c3 $a3"
check "every client has its own address" \
	test "$(printf '%s\n' "$a1" "$a2" "$a3" | sort -u | wc -l)" = 3
check "c1: ping the LNS across PPP" ping_ok c1 10.9.0.1
check "c2: ping the LNS across PPP" ping_ok c2 10.9.0.1
check "c3: ping the LNS across PPP" ping_ok c3 10.9.0.1
check "LNS: ping c3 across its own PPP link" ping_ok lns "$a3"
check_eq "peer show: three connections of peer road" 3 "$(connections)"
nat_ports=$(ctl peer show | sed -n "s/^peer road .* remote $NAT:\([0-9]*\) .*/\1/p" | sort -u | wc -l)
check_eq "peer show: two of them from the NAT's address, on two ports" 2 "$nat_ports"
check_eq "pseudowire show: three calls of pseudowire users" 3 "$(calls)"
check "pseudowire show: each call with its pool address" \
	bash -c "ol2tp -S '$dir/lns.sock' pseudowire show | grep -q 'ppp-remote $a2'"
check_eq "LNS: one pppd per call" 3 "$(lns_pppds)"
check "ol2tp -j pseudowire show: valid JSON, a list of three calls" python3 -c '
import json, subprocess, sys
j = json.loads(subprocess.check_output(sys.argv[1:]))
assert len([s for s in j if s["state"] == "established"]) == 3, j' \
	ol2tp -S "$dir/lns.sock" -j pseudowire show

# SIGHUP with nothing changed: every call stays, with its pppd.
pppds=$(pgrep -P "$pid_lns" pppd | sort | tr '\n' ' ')
kill -HUP "$pid_lns"
check "SIGHUP: configuration reloaded" \
	wait_for 10 logged "configuration reloaded"
check_eq "SIGHUP, nothing changed: the same three pppds" "$pppds" \
	"$(pgrep -P "$pid_lns" pppd | sort | tr '\n' ' ')"
check "... and the calls still carry traffic" ping_ok c2 10.9.0.1

# A fourth connection: over max-connections, refused with "no resources".
start_client c1 $LNS_A 1702
check "a fourth connection is refused: max-connections" \
	wait_for 20 logged "max-connections (3) reached"
check "the refused client was told: StopCCN result 2 error 4" \
	wait_for 10 logged "too many control connections"
check_eq "still three connections" 3 "$(connections)"

# c2 leaves: its address goes back to the pool, the refused client gets in
# and takes it (the lowest free address).
port2=$(ctl pseudowire show | sed -n "s/.* remote $NAT:\([0-9]*\) .*ppp-remote $a2\$/\1/p")
check "c2's call is found at the NAT (port ${port2:-none})" test -n "$port2"
kill "$xpid_c2"
wait "$xpid_c2" 2>/dev/null
check "c2 leaves: its connection goes (StopCCN)" wait_for 30 bash -c \
	"! ol2tp -S '$dir/lns.sock' peer show | grep -q 'state established remote $NAT:$port2 '"
check "the refused client gets in, with the address c2 had ($a2)" \
	wait_for 40 bash -c "ol2tp -S '$dir/lns.sock' pseudowire show | grep -q 'state established .* remote 10.1.1.2:1702 .*ppp-remote $a2\$'"
check_eq "three connections again" 3 "$(connections)"

# One road warrior is shown the door: its call alone goes.
read -r t3 s3 < <(ctl pseudowire show | sed -n "s/.* tunnel \([0-9]*\) session \([0-9]*\) .*ppp-remote $a3\$/\1 \2/p")
others=$(ctl pseudowire show | grep -v "ppp-remote $a3\$" | sed -n 's/.* session \([0-9]*\) peer-session.*/\1/p')
ctl session down users tunnel_id "$t3" session_id "$s3"
check_eq "session down users tunnel_id $t3 session_id $s3: exit 0" 0 $?
check "... that call goes" wait_for 20 bash -c \
	"! ol2tp -S '$dir/lns.sock' pseudowire show | grep -q ' tunnel $t3 session $s3 '"
check "... and only that one: the other two calls are still up" \
	sessions_up $others
out=$(ctl session down users tunnel_id 1 session_id 1 2>&1)
check_eq "session down of a call that does not exist: exit 1" 1 $?
check "... and says so" grep -q "has no session 1 in tunnel 1" <<<"$out"

# SIGHUP with a pool of two: the calls are cleared (CDN), the clients call
# again, two get an address and the third is refused (pool exhausted).
log_mark
road_conf 4 10.9.0.10-10.9.0.11
kill -HUP "$pid_lns"
check "SIGHUP, pool changed: the calls are cleared" \
	wait_for 10 logged "configuration changed"
check "the clients call again: two calls, with the two addresses" \
	wait_for 60 bash -c "[ \"\$(ol2tp -S '$dir/lns.sock' pseudowire show | sed -n 's/.*state established.* ppp-remote \([0-9.]*\)\$/\1/p' | sort | tr '\n' ' ')\" = '10.9.0.10 10.9.0.11 ' ]"
check "the third is refused: pool exhausted" \
	wait_for 30 logged "ppp-address-pool is exhausted"

# An SCCRQ flood from 200 ports: at most max-pending (20) connections are
# set up at once, the rest dropped unanswered; the calls carry on.
sccrq_flood()	# sccrq_flood NS ADDR COUNT: SCCRQs from COUNT source ports
{
	ns_exec "$1" python3 - "$2" "$3" <<-'EOF'
	import socket, struct, sys
	def avp(t, v):
	    return struct.pack("!HHH", 0x8000 | (6 + len(v)), 0, t) + v
	socks = []
	for i in range(int(sys.argv[2])):
	    body = (avp(0, struct.pack("!H", 1)) +            # SCCRQ
	            avp(2, struct.pack("!H", 0x0100)) +       # version 1.0
	            avp(7, b"flood") +                       # Host Name
	            avp(3, struct.pack("!I", 3)) +            # framing
	            avp(9, struct.pack("!H", 1 + i)))         # tunnel id
	    hdr = struct.pack("!HHHHHH", 0xc802, 12 + len(body), 0, 0, 0, 0)
	    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	    s.sendto(hdr + body, (sys.argv[1], 1701))
	    socks.append(s)
	EOF
}
pending_capped_at()	# pending_capped_at N: every drop logged N pending
{
	local lines
	lines=$(logged "control connections pending (max-pending)")
	[ -n "$lines" ] && ! grep -qv ": $1 control connections pending" <<<"$lines"
}
calls_before=$(calls)
sccrq_flood c1 $LNS_A 200
check "SCCRQ flood: dropped beyond max-pending, and logged" \
	wait_for 20 logged "control connections pending (max-pending): SCCRQ dropped"
check "SCCRQ flood: 20 connections pending (refused or set up), never more" \
	pending_capped_at 20
check_eq "SCCRQ flood: the calls are still up" "$calls_before" "$(calls)"
check "SCCRQ flood: traffic still crosses a call" ping_ok c1 10.9.0.1

pppds=$(pgrep -P "$pid_lns" pppd | tr '\n' ' ')
stop_daemon lns
check_eq "ol2tpd stops cleanly" 0 "$rc_lns"
check "no kernel tunnel left" no_kernel_objects
check "the pppds of every call are gone" \
	wait_for 10 bash -c "! ps -p '${pppds% }' >/dev/null"
for x in c1 c11702 c3; do
	eval "kill \$xpid_$x 2>/dev/null; wait \$xpid_$x 2>/dev/null"
done

# --- sites over L2TPv3 Ethernet: a dial-in prefix, one interface each ------
#
# The hub bridges site0 and site1; each site's ol2tpd calls in (c2 through
# the NAT) and pings the hub's bridge address across its pseudowire.

write_conf lns hub <<EOC
[peer sites]
address = 10.1.0.0/16
secret = sites-secret
digest = md5

[pseudowire sites]
peer = sites
type = ethernet
remote-end-id = site
interface = site%d
cookie = 8
EOC
site_conf()	# site_conf NS LNS_ADDR
{
	write_conf "$1" "site-$1" <<-EOC
	[peer hub]
	address = $2
	secret = sites-secret
	digest = md5
	reconnect = 2
	[pseudowire hub]
	peer = hub
	type = ethernet
	remote-end-id = site
	interface = hub
	cookie = 4
	EOC
}
join_bridge()	# join_bridge IF: a site interface of the hub, up, in br0
{
	ip -n "$(ns lns)" link set "$1" master br0 &&
		ip -n "$(ns lns)" link set "$1" up
}

ip -n "$(ns lns)" link add br0 type bridge
ip -n "$(ns lns)" link set br0 up
addr_add lns br0 192.0.2.254/24
start_ol2tpd lns
site_conf c1 $LNS_A
site_conf c2 $LNS_B
start_ol2tpd c1
start_ol2tpd c2
check "hub: two site interfaces from one [pseudowire sites]" \
	wait_for 40 bash -c "[ \$(ip -n '$(ns lns)' -o link show | grep -c ': site[0-9]*:') = 2 ]"
check "hub: site0 joins the bridge" join_bridge site0
check "hub: site1 joins the bridge" join_bridge site1
for c in c1 c2; do
	wait_for 10 ip -n "$(ns $c)" link show hub >/dev/null
	ip -n "$(ns $c)" link set hub up
done
addr_add c1 hub 192.0.2.1/24
addr_add c2 hub 192.0.2.2/24
check "site c1: ping the hub across its pseudowire" wait_for 20 ping_ok c1 192.0.2.254 1
check "site c2 (behind the NAT): ping the hub" wait_for 20 ping_ok c2 192.0.2.254 1
check "site c1 reaches site c2 through the hub's bridge" ping_ok c1 192.0.2.2
check_eq "peer show: two connections of the prefix peer" 2 \
	"$(ctl peer show | grep -c '^peer sites address 10.1.0.0/16 .*state established')"
check_eq "pseudowire show: two sessions, interfaces site0 and site1" "site0 site1" \
	"$(ctl pseudowire show | sed -n 's/.* interface \(site[0-9]*\).*/\1/p' | sort | tr '\n' ' ' | sed 's/ $//')"
stop_daemon c1
stop_daemon c2
stop_daemon lns
check_eq "hub: ol2tpd stops cleanly" 0 "$rc_lns"
check "hub: no kernel tunnel left" no_kernel_objects
check "hub: no site interface left" \
	bash -c "! ip -n '$(ns lns)' -o link show | grep -q ': site[0-9]*:'"

[ "$OL2TP_VERBOSE" = 1 ] && sed 's/^/# /' "$dir/lns.log"
tap_done
