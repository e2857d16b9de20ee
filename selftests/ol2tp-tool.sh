#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The ol2tp tool drives every tunnel and session keyword through the kernel:
# what "add" set is what "show -j" reports (parsed with Python's json
# module), "modify" changes what the ABI lets change, "del" removes the
# object (and its netdev), the show filters select the right objects, the
# text and one-line forms carry the same objects, errors exit 1 with the
# errno name.  A managed tunnel (fd) takes its addresses from the socket.
# Runs against ol2tp and Debian's l2tp; the few attributes Linux no longer
# reports (DEBUG, L2SPEC_TYPE) are checked with ol2tp only.
#
#   netns a (every object lives here; the init netns must not see them)
#  +---------------------------------------------------------------+
#  | lo 127.0.0.1, ::1                                             |
#  |  tunnels 101..109: udp4, udp4+csum, udp6, udp6-zero-csum,     |
#  |                    ip4, ip6, v2/udp4, local any, managed (fd) |
#  |  sessions: l2tpeth* netdevs in tunnels 101 and 105            |
#  +---------------------------------------------------------------+
# ol2tp-timeout: 900
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ol2tp python3 ip

netns_add a || skip_all "cannot create a network namespace"
NS=$(ns a)
L2="ol2tp -n $NS"

# Flatten the JSON array on stdin: the object at index $1 (default 0) as
# "key=value" lines, nested keys joined with '.', strings raw, the rest
# in JSON ("true", 5); "#count=N" first.
PYFLAT='
import json, sys
d = json.load(sys.stdin)
assert isinstance(d, list), "not a JSON array"
print("#count=%d" % len(d))
i = int(sys.argv[1]) if len(sys.argv) > 1 else 0
def out(p, o):
    for k, v in o.items():
        if isinstance(v, dict):
            out(p + k + ".", v)
        else:
            print(p + k + "=" + (v if isinstance(v, str) else json.dumps(v)))
if i < len(d):
    out("", d[i])
'
declare -A F

# load CMD...: run CMD (which prints a JSON array) and fill F from object 0.
load()
{
	local out k v
	F=()
	out=$("$@" 2>&1) || { diag "'$*' failed: $out"; return 1; }
	out=$(printf '%s' "$out" | python3 -c "$PYFLAT") || return 1
	while IFS='=' read -r k v; do
		F[$k]=$v
	done <<<"$out"
	[ -n "${F[#count]:-}" ]
}

tunnel_json() { load $L2 -j -s tunnel show tunnel_id "$1"; }
session_json() { load $L2 -j -s session show tunnel_id "$1" session_id "$2"; }

# f KEY: the loaded value of KEY, or <absent>
f() { echo "${F[$1]-<absent>}"; }

intree_skip()
{
	if [ "$OL2TP_IMPL" = intree ]; then
		skip "$1" "Linux's l2tp does not report $2"
		return 0
	fi
	return 1
}

# ---------------------------------------------------------------- tunnels --

check "add a UDP/IPv4 tunnel" $L2 tunnel add tunnel_id 101 \
	peer_tunnel_id 201 encap udp local 127.0.0.1 remote 127.0.0.1 \
	udp_sport 10101 udp_dport 20101
tunnel_json 101
check_eq "udp4: one tunnel reported" 1 "$(f '#count')"
check_eq "udp4: tunnel_id" 101 "$(f tunnel_id)"
check_eq "udp4: peer_tunnel_id" 201 "$(f peer_tunnel_id)"
check_eq "udp4: version defaults to 3" 3 "$(f version)"
check_eq "udp4: encap" udp "$(f encap)"
check_eq "udp4: local" 127.0.0.1 "$(f local)"
check_eq "udp4: remote" 127.0.0.1 "$(f remote)"
check_eq "udp4: udp_sport" 10101 "$(f udp_sport)"
check_eq "udp4: udp_dport" 20101 "$(f udp_dport)"
check_eq "udp4: udp_csum defaults to off" false "$(f udp_csum)"
check_eq "udp4: -s adds counters" 0 "$(f stats.rx_packets)"
check_eq "udp4: using_ipsec is reported" false "$(f using_ipsec)"

# Abbreviated object and command, short keywords, like ip.
check "abbreviated 't a' with tid/ptid adds a tunnel" $L2 t a tid 102 \
	ptid 202 version 3 local 127.0.0.1 remote 127.0.0.1 \
	udp_sport 10102 udp_dport 20102 udp_csum on
tunnel_json 102
check_eq "udp4 csum: explicit version 3" 3 "$(f version)"
check_eq "udp4 csum: udp_csum on" true "$(f udp_csum)"

check "add a UDP/IPv6 tunnel" $L2 tunnel add tunnel_id 103 \
	peer_tunnel_id 203 local ::1 remote ::1 udp_sport 10103 udp_dport 20103
tunnel_json 103
check_eq "udp6: local" ::1 "$(f local)"
check_eq "udp6: remote" ::1 "$(f remote)"
check_eq "udp6: udp6_csum_tx defaults to on" true "$(f udp6_csum_tx)"
check_eq "udp6: udp6_csum_rx defaults to on" true "$(f udp6_csum_rx)"

check "add a UDP/IPv6 tunnel with zero checksums" $L2 tunnel add \
	tunnel_id 104 peer_tunnel_id 204 local ::1 remote ::1 \
	udp_sport 10104 udp_dport 20104 udp6_csum_tx off udp6_csum_rx off
tunnel_json 104
check_eq "udp6: udp6_csum_tx off" false "$(f udp6_csum_tx)"
check_eq "udp6: udp6_csum_rx off" false "$(f udp6_csum_rx)"

check "add an IP/IPv4 tunnel" $L2 tunnel add tunnel_id 105 \
	peer_tunnel_id 205 encap ip local 127.0.0.1 remote 127.0.0.1
tunnel_json 105
check_eq "ip4: encap ip" ip "$(f encap)"
check_eq "ip4: no UDP ports" "<absent>" "$(f udp_sport)"

check "add an IP/IPv6 tunnel" $L2 tunnel add tunnel_id 106 \
	peer_tunnel_id 206 encap ip local ::1 remote ::1
tunnel_json 106
check_eq "ip6: encap ip" ip "$(f encap)"
check_eq "ip6: local" ::1 "$(f local)"

check "add an L2TPv2 tunnel" $L2 tunnel add tunnel_id 107 \
	peer_tunnel_id 207 version 2 local 127.0.0.1 remote 127.0.0.1 \
	udp_sport 10107 udp_dport 20107
tunnel_json 107
check_eq "v2: version 2" 2 "$(f version)"

check "add a tunnel with local any" $L2 tunnel add tunnel_id 108 \
	peer_tunnel_id 208 local any remote 127.0.0.1 udp_sport 10108 \
	udp_dport 20108
tunnel_json 108
check_eq "local any: remote" 127.0.0.1 "$(f remote)"

# Managed tunnel: the fd of a bound, connected UDP socket.  Python holds
# the socket, runs ol2tp with it, reports, then closes it on request.
managed_dir=$(mktemp -d)
cleanup_push "rm -rf $managed_dir"
mkfifo "$managed_dir/go"
ns_exec a python3 -c '
import os, socket, subprocess, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 10109))
s.connect(("127.0.0.1", 20109))
fd = s.fileno()
rc = subprocess.call(["ol2tp", "tunnel", "add", "tunnel_id", "109",
                      "peer_tunnel_id", "209", "fd", str(fd)],
                     pass_fds=[fd])
open(sys.argv[1] + "/rc", "w").write(str(rc))
open(sys.argv[1] + "/go").read()      # wait until told to close
s.close()
' "$managed_dir" &
managed_pid=$!
cleanup_push "kill $managed_pid"
wait_for 30 test -s "$managed_dir/rc"
check_eq "managed: add with fd exits 0" 0 "$(cat "$managed_dir/rc" 2>/dev/null)"
tunnel_json 109
check_eq "managed: udp_sport from the socket" 10109 "$(f udp_sport)"
check_eq "managed: udp_dport from the socket" 20109 "$(f udp_dport)"
check_eq "managed: local from the socket" 127.0.0.1 "$(f local)"
echo >"$managed_dir/go"
wait "$managed_pid"
check "managed: the tunnel goes when its socket closes" \
	wait_for 10 bash -c "! $L2 tunnel show tunnel_id 109"

tunnel_debug()
{
	check "add a tunnel with debug" $L2 tunnel add tunnel_id 110 \
		peer_tunnel_id 210 local 127.0.0.1 remote 127.0.0.1 \
		udp_sport 10110 udp_dport 20110 debug 0x5
	intree_skip "debug as added" "DEBUG (always 0)" && return
	tunnel_json 110
	check_eq "debug as added" 5 "$(f debug)"
	check "tunnel modify debug" $L2 tunnel modify tunnel_id 110 debug 12
	tunnel_json 110
	check_eq "debug as modified" 12 "$(f debug)"
}
tunnel_debug

load $L2 -j tunnel show
check_eq "dump lists every tunnel" 9 "$(f '#count')"
out=$($L2 -o tunnel show | wc -l)
check_eq "-o prints one line per tunnel" 9 "$out"
out=$($L2 tunnel show | grep -c '^Tunnel ')
check_eq "text output has one 'Tunnel N' header per tunnel" 9 "$out"
check "text output has the ip-l2tp lines" bash -c \
	"$L2 tunnel show tunnel_id 101 | grep -qx '  UDP source / dest ports: 10101/20101'"
check "-p (pretty) JSON is the same data" python3 -c '
import json, subprocess, sys
a = json.loads(subprocess.check_output(sys.argv[1:] + ["-j", "tunnel", "show"]))
b = json.loads(subprocess.check_output(sys.argv[1:] + ["-j", "-p", "tunnel", "show"]))
sys.exit(a != b)' ol2tp -n "$NS"
check "the init netns does not see them (-n is honoured)" bash -c \
	"! ol2tp tunnel show tunnel_id 101 2>/dev/null"

out=$($L2 tunnel add tunnel_id 101 peer_tunnel_id 9 local 127.0.0.1 \
	remote 127.0.0.1 udp_sport 10199 udp_dport 20199 2>&1)
rc=$?
check_eq "duplicate tunnel_id: exit 1" 1 "$rc"
check "duplicate tunnel_id: message names EEXIST" \
	grep -q 'EEXIST' <<<"$out"
out=$($L2 tunnel show tunnel_id 999 2>&1)
rc=$?
check_eq "show of a missing tunnel: exit 1" 1 "$rc"
check "show of a missing tunnel: message says which" \
	grep -q 'cannot show tunnel 999: .*(ENODEV\|(ENOENT' <<<"$out"

# --------------------------------------------------------------- sessions --

check "add a session with defaults" $L2 session add tunnel_id 101 \
	session_id 1001 peer_session_id 2001
session_json 101 1001
check_eq "session: tunnel_id" 101 "$(f tunnel_id)"
check_eq "session: session_id" 1001 "$(f session_id)"
check_eq "session: peer_session_id" 2001 "$(f peer_session_id)"
check_eq "session: peer_tunnel_id from its tunnel" 201 "$(f peer_tunnel_id)"
check_eq "session: pw defaults to eth" eth "$(f pw)"
check "session: an l2tpeth netdev is named" grep -q '^l2tpeth' <<<"$(f name)"
check "session: the netdev exists" ip -n "$NS" link show dev "$(f name)"
check_eq "session: seq defaults to none" none "$(f seq)"
check_eq "session: lns_mode defaults to off" false "$(f lns_mode)"
check_eq "session: no cookie" "<absent>" "$(f cookie)"
check_eq "session: -s adds counters" 0 "$(f stats.tx_packets)"
intree_skip "session: l2spec_type defaults to default" L2SPEC_TYPE ||
	check_eq "session: l2spec_type defaults to default" default "$(f l2spec_type)"

check "add a session with every keyword" $L2 session add name pw1002 \
	tunnel_id 101 session_id 1002 peer_session_id 2002 pw eth \
	cookie 0102030405060708 peer_cookie 0a0b0c0d l2spec_type none \
	seq both lns_mode on reorder_timeout 400 mtu 1300
session_json 101 1002
check_eq "session: name" pw1002 "$(f name)"
check_eq "session: cookie (8 bytes)" 0102030405060708 "$(f cookie)"
check_eq "session: peer_cookie (4 bytes)" 0a0b0c0d "$(f peer_cookie)"
check_eq "session: seq both" both "$(f seq)"
check_eq "session: lns_mode on" true "$(f lns_mode)"
check_eq "session: reorder_timeout" 400 "$(f reorder_timeout)"
check_eq "session: mtu" 1300 "$(f mtu)"
check_eq "session: the netdev has that MTU" 1300 \
	"$(ns_exec a cat /sys/class/net/pw1002/mtu)"
intree_skip "session: l2spec_type none" L2SPEC_TYPE ||
	check_eq "session: l2spec_type none" none "$(f l2spec_type)"

check "add a session with seq send" $L2 session add tunnel_id 101 \
	session_id 1003 peer_session_id 2003 seq send
session_json 101 1003
check_eq "session: seq send" send "$(f seq)"
check "add a session with seq recv" $L2 session add tunnel_id 101 \
	session_id 1004 peer_session_id 2004 seq recv l2spec_type default
session_json 101 1004
check_eq "session: seq recv" recv "$(f seq)"
intree_skip "session: l2spec_type default" L2SPEC_TYPE ||
	check_eq "session: l2spec_type default" default "$(f l2spec_type)"

check "add a session in an IP tunnel with a 4-byte cookie" $L2 session add \
	tunnel_id 105 session_id 1005 peer_session_id 2005 cookie 11223344 \
	peer_cookie 5566778899aabbcc
session_json 105 1005
check_eq "ip session: cookie" 11223344 "$(f cookie)"
check_eq "ip session: peer_cookie" 5566778899aabbcc "$(f peer_cookie)"
check_eq "ip session: peer_tunnel_id" 205 "$(f peer_tunnel_id)"

check "modify seq, lns_mode, reorder_timeout, mtu" $L2 session modify \
	tunnel_id 101 session_id 1002 seq recv lns_mode off \
	reorder_timeout 800 mtu 1280
session_json 101 1002
check_eq "modified: seq recv" recv "$(f seq)"
check_eq "modified: lns_mode off" false "$(f lns_mode)"
check_eq "modified: reorder_timeout" 800 "$(f reorder_timeout)"
check_eq "modified: mtu" 1280 "$(f mtu)"
check_eq "modified: cookie untouched" 0102030405060708 "$(f cookie)"
check "modify by name (abbreviated 's m')" $L2 s m name pw1002 seq send
session_json 101 1002
check_eq "modified by name: seq send" send "$(f seq)"
check "modify seq none" $L2 session modify tunnel_id 101 session_id 1002 \
	seq none
session_json 101 1002
check_eq "modified: seq none" none "$(f seq)"

session_debug()
{
	check "add a session with debug" $L2 session add tunnel_id 101 \
		session_id 1006 peer_session_id 2006 debug 3
	intree_skip "session debug as added" "DEBUG (always 0)" && return
	session_json 101 1006
	check_eq "session debug as added" 3 "$(f debug)"
	check "session modify debug" $L2 session modify tunnel_id 101 \
		session_id 1006 debug 0
	session_json 101 1006
	check_eq "session debug as modified" 0 "$(f debug)"
}
session_debug

load $L2 -j session show tunnel_id 101
check_eq "show tunnel_id filters by tunnel" 5 "$(f '#count')"
load $L2 -j session show tunnel_id 105
check_eq "show tunnel_id 105: one session" 1005 "$(f session_id)"
load $L2 -j session show session_id 1003
check_eq "show session_id filters by session" 1003 "$(f session_id)"
load $L2 -j session show name pw1002
check_eq "show name finds the session" 1002 "$(f session_id)"
load $L2 -j session show
check_eq "dump lists every session" 6 "$(f '#count')"
out=$($L2 -o session show | wc -l)
check_eq "-o prints one line per session" 6 "$out"
out=$($L2 session show | grep -c '^Session ')
check_eq "text output has one 'Session N in tunnel T' per session" 6 "$out"

# (A duplicate session id is no test of the tool: Debian's 6.12 accepts it.)
out=$($L2 session add tunnel_id 999 session_id 1 peer_session_id 1 2>&1)
rc=$?
check_eq "session in a missing tunnel: exit 1" 1 "$rc"
check "session in a missing tunnel: message names the errno" \
	grep -q 'cannot add session 1 in tunnel 999: .*(E[A-Z]*' <<<"$out"

check "del a session by ids" $L2 session del tunnel_id 101 session_id 1003
check_fail "it is gone" $L2 session show tunnel_id 101 session_id 1003
check "del a session by name" $L2 session del name pw1002
check_fail "it is gone, by name" $L2 session show name pw1002
check_fail "its netdev is gone" ip -n "$NS" link show dev pw1002

for t in 101 102 103 104 105 106 107 108 110; do
	$L2 tunnel del tunnel_id $t || not_ok "del tunnel $t"
done
load $L2 -j tunnel show
check_eq "del removed every tunnel" 0 "$(f '#count')"
load $L2 -j session show
check_eq "and their sessions" 0 "$(f '#count')"
check_fail "del of a missing tunnel fails" $L2 tunnel del tunnel_id 101
tap_done
