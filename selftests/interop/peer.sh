#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One side of the interoperability test that scripts/interop runs: two
# guests on one wire, one with ol2tp's modules, the other with Debian's
# in-tree l2tp, bring up Ethernet pseudowires with iproute2 and move a bulk
# TCP transfer each way across every one of them.  ol2tp's side sends GSO
# packets (segmented by the NIC's driver in software, as a plain NIC
# does) and merges what it receives (GRO).
#
#   guest a (ROLE a)                               guest b (ROLE b)
#  +----------------------+   qemu UDP link   +----------------------+
#  | netns x: eth0        |===================| netns x: eth0        |
#  |   10.99.0.1 fd99::1  |                   |   10.99.0.2 fd99::2  |
#  |   iopN (l2tpeth)     |==== L2TPv3 =======|   iopN (l2tpeth)     |
#  |   192.168.N.1        |                   |   192.168.N.2        |
#  +----------------------+                   +----------------------+
#
# Usage: peer.sh a|b PEER_IMPL
# The guests keep in step with meet(): b listens on 10.99.0.2:7000, a
# connects, both name the point they reached.  The checks of a transfer
# are printed by the side that receives it.
#
# ol2tp-timeout: 900

. "$(dirname "$0")/../lib.sh"

ROLE=$1
PEER_IMPL=$2
scale=${OL2TP_TIME_SCALE:-1}
case $ROLE in
a) me=1 peer=2 ;;
b) me=2 peer=1 ;;
*) skip_all "usage: peer.sh a|b PEER_IMPL" ;;
esac

require_root
require_cmd ip python3 ethtool
modprobe -q virtio_net
[ -e /sys/class/net/eth0 ] || skip_all "no eth0: run by scripts/interop (vm-run --link)"
netns_add x
ip link set eth0 netns "$(ns x)" && ip -n "$(ns x)" link set eth0 up &&
	addr_add x eth0 "10.99.0.$me/24" && addr_add x eth0 "fd99::$me/64" ||
	skip_all "cannot set up the wire"

dir=$(mktemp -d)
cleanup_push "rm -rf $dir"
# The same 4 MiB on both sides: each receiver compares its sha256.
python3 -c 'import random, sys
sys.stdout.buffer.write(random.Random(115).randbytes(4 << 20))' >"$dir/blob"
BLOB_SHA=$(sha256sum <"$dir/blob" | cut -d' ' -f1)

# meet NAME [TIMEOUT_S]: wait until the other guest reaches point NAME.
meet()
{
	ns_exec x python3 - "$ROLE" "$1" "$((${2:-120} * scale))" <<'PY'
import socket, sys, time
role, name, t = sys.argv[1], sys.argv[2].encode(), float(sys.argv[3])
deadline = time.time() + t
if role == "b":
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("10.99.0.2", 7000))
    s.listen(1)
    s.settimeout(t)
    c, _ = s.accept()
else:
    while True:
        try:
            c = socket.create_connection(("10.99.0.2", 7000), timeout=5)
            break
        except OSError:
            if time.time() > deadline:
                sys.exit("the other guest never came")
            time.sleep(0.2)
c.settimeout(t)
c.sendall(name + b"\n")
got = c.makefile("rb").readline().strip()
if got != name:
    sys.exit("the other guest is at %r, this one at %r" % (got, name))
PY
}

# pw_make N ENCAP FAMILY [OPTION VALUE]...: tunnel N, session N and netdev
# iopN with 192.168.N.<me>/24.  "cookie X" is a's cookie (b's peer_cookie),
# "peer_cookie X" b's; other options apply to both sides alike.
pw_make()
{
	local n=$1 encap=$2 fam=$3 l=10.99.0.$me r=10.99.0.$peer o=() ports=()
	shift 3

	[ "$fam" = 6 ] && { l=fd99::$me; r=fd99::$peer; }
	while [ $# -gt 0 ]; do
		case $ROLE$1 in
		acookie|bpeer_cookie) o+=(cookie "$2") ;;
		apeer_cookie|bcookie) o+=(peer_cookie "$2") ;;
		*) o+=("$1" "$2") ;;
		esac
		shift 2
	done
	[ "$encap" = udp ] && ports=(udp_sport "$((5000 + n))" udp_dport "$((5000 + n))")
	ip -n "$(ns x)" l2tp add tunnel tunnel_id "$n" peer_tunnel_id "$n" \
		encap "$encap" local "$l" remote "$r" "${ports[@]}" &&
		ip -n "$(ns x)" l2tp add session name "iop$n" tunnel_id "$n" \
			session_id "$((100 * me + n))" peer_session_id "$((100 * peer + n))" \
			"${o[@]}" &&
		ns_exec x sysctl -qw "net.ipv6.conf.iop$n.disable_ipv6=1" &&
		ip -n "$(ns x)" link set "iop$n" up &&
		addr_add x "iop$n" "192.168.$n.$me/24"
}

# receive_start N: listen on 192.168.N.<me>:6000 for one TCP stream; its
# sha256 goes to $dir/got.N, the listener's pid to rx_pid.  receive_ok N:
# that stream was the blob.
receive_start()
{
	tcp_sink x "192.168.$1.$me" 6000 >"$dir/got.$1" &
	rx_pid=$!
	wait_for 30 tcp_listening x 6000
}

receive_ok()
{
	[ "$(cat "$dir/got.$1" 2>/dev/null)" = "$BLOB_SHA" ]
}

# send N: the blob by TCP to the other side's 192.168.N.<peer>:6000.
send()
{
	tcp_send x "192.168.$1.$peer" 6000 "$dir/blob" || diag "sending on iop$1 failed"
}

# transfer N FROM: the blob crosses pseudowire N from guest FROM to the
# other; the receiver checks it.
transfer()
{
	local n=$1 from=$2 name=$3

	[ "$ROLE" = "$from" ] || receive_start "$n"
	meet "transfer $n from $from"
	if [ "$ROLE" = "$from" ]; then
		send "$n"
	else
		wait "$rx_pid"
		check "$name: 4 MiB of TCP from $PEER_IMPL arrive intact at $OL2TP_IMPL" \
			receive_ok "$n"
	fi
}

offloads_on()
{
	ns_exec x ethtool -k "iop$1" | grep -q '^tcp-segmentation-offload: on'
}

# fewer_skbs N tx|rx: iopN's netdev counted fewer packets that way than
# its session did: the stack handed it GSO packets (tx), or GRO merged what
# arrived before decapsulation (rx).
fewer_skbs()
{
	local dev sess

	dev=$(netdev_stat x "iop$1" "$2_packets")
	sess=$(genl_session_stat x "$1" "$((100 * me + $1))" "$2_packets")
	diag "iop$1: netdev $2_packets $dev, session $2_packets $sess"
	[ -n "$sess" ] && [ "$dev" -lt "$sess" ]
}

meet hello 600 || skip_all "the other guest never came"
diag "this guest: $OL2TP_IMPL on $(uname -r); the other: $PEER_IMPL"

# One pseudowire per case: N ENCAP FAMILY OPTIONS... : name.
cases=(
	"1 udp 4 :UDP, IPv4"
	"2 udp 6 cookie 0102030405060708 peer_cookie 0a0b0c0d l2spec_type default :UDP, IPv6, cookies and sublayer"
	"3 ip 4 cookie 01020304 :IP, IPv4, cookie"
	"4 ip 6 l2spec_type default :IP, IPv6, sublayer"
	"5 udp 4 l2spec_type default seq both :UDP, IPv4, sequencing"
	"6 ip 4 l2spec_type default seq both :IP, IPv4, sequencing"
)
for c in "${cases[@]}"; do
	name=${c#*:}
	set -- ${c%%:*}
	n=$1
	pw_make "$@" || diag "$name: cannot create the pseudowire"
	meet "up $n"
	check "$name: pings cross" wait_for 10 ping_ok x "192.168.$n.$peer" 1
	transfer "$n" a "$name"
	transfer "$n" b "$name"
	meet "done $n"
	[ "$OL2TP_IMPL" = ol2tp ] || continue
	check "$name: the pseudowire offers TCP segmentation" offloads_on "$n"
	check "$name: the stack handed it GSO packets" fewer_skbs "$n" tx
	case $name in
	UDP*sequencing) ;;
	UDP*) check "$name: GRO merged what $PEER_IMPL sent" fewer_skbs "$n" rx ;;
	esac
done
meet bye

tap_done
