#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "ol2tp monitor" sees every event of the multicast group "l2tp", in order:
# tunnel add, session add, session modify, tunnel modify, session del,
# tunnel del -- as JSON objects (-j, parsed with Python), as text lines, and
# filtered to sessions only; each monitor exits 0 when interrupted.
#
#   netns a
#  +----------------------------------------------------------+
#  | lo 127.0.0.1                                             |
#  |  ol2tp -j monitor      > json    (all events)            |
#  |  ol2tp monitor         > text    (all events)            |
#  |  ol2tp monitor session > sess    (session events only)   |
#  |  ol2tp tunnel/session add/modify/del  (the events)       |
#  +----------------------------------------------------------+
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ol2tp python3

netns_add a || skip_all "cannot create a network namespace"
NS=$(ns a)
L2="ol2tp -n $NS"
dir=$(mktemp -d)
cleanup_push "rm -rf $dir"

$L2 -j monitor >"$dir/json" 2>"$dir/json.err" &
pid_json=$!
cleanup_push "kill $pid_json"
$L2 monitor >"$dir/text" 2>"$dir/text.err" &
pid_text=$!
cleanup_push "kill $pid_text"
$L2 monitor session >"$dir/sess" 2>"$dir/sess.err" &
pid_sess=$!
cleanup_push "kill $pid_sess"

# The monitors are listening once a probe's events reach all three.
probe()
{
	$L2 tunnel add tunnel_id 900 peer_tunnel_id 900 local 127.0.0.1 \
		remote 127.0.0.1 udp_sport 1900 udp_dport 1901 &&
	$L2 session add tunnel_id 900 session_id 900 peer_session_id 900 &&
	$L2 tunnel del tunnel_id 900 || return 1
	grep -q '"tunnel_id":900' "$dir/json" &&
		grep -q 'tunnel_id 900' "$dir/text" &&
		grep -q 'tunnel_id 900' "$dir/sess"
}
check "the monitors are listening" wait_for 30 probe

check "add tunnel" $L2 tunnel add tunnel_id 10 peer_tunnel_id 20 \
	local 127.0.0.1 remote 127.0.0.1 udp_sport 1710 udp_dport 1720
check "add session" $L2 session add tunnel_id 10 session_id 100 \
	peer_session_id 200 name pwmon0
check "modify session" $L2 session modify tunnel_id 10 session_id 100 \
	seq both
check "modify tunnel" $L2 tunnel modify tunnel_id 10 debug 1
check "del session" $L2 session del tunnel_id 10 session_id 100
check "del tunnel" $L2 tunnel del tunnel_id 10

last_seen()
{
	grep -q '"event":"del","object":"tunnel","tunnel_id":10,' "$dir/json" &&
		grep -q '^del tunnel tunnel_id 10 ' "$dir/text" &&
		grep -q '^del session tunnel_id 10 ' "$dir/sess"
}
check "the last event arrives" wait_for 30 last_seen

# Events of tunnel 10 as "event object tunnel_id[/session_id] extra".
events=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("tunnel_id") != 10:
        continue
    who = str(e["tunnel_id"])
    extra = ""
    if e["object"] == "session":
        who += "/%d" % e["session_id"]
        extra = "name=%s seq=%s" % (e.get("name"), e.get("seq"))
    else:
        extra = "peer=%s sport=%s" % (e.get("peer_tunnel_id"), e.get("udp_sport"))
    print(e["event"], e["object"], who, extra)
' "$dir/json")
check "the JSON events parse" test $? -eq 0
mapfile -t ev <<<"$events"
check_eq "json event 1" "add tunnel 10 peer=20 sport=1710" "${ev[0]-}"
check_eq "json event 2" "add session 10/100 name=pwmon0 seq=none" "${ev[1]-}"
check_eq "json event 3" "modify session 10/100 name=pwmon0 seq=both" "${ev[2]-}"
check_eq "json event 4" "modify tunnel 10 peer=20 sport=1710" "${ev[3]-}"
check_eq "json event 5" "del session 10/100 name=pwmon0 seq=both" "${ev[4]-}"
check_eq "json event 6" "del tunnel 10 peer=20 sport=1710" "${ev[5]-}"
check_eq "no other json event" 6 "${#ev[@]}"

mapfile -t tx <<<"$(grep 'tunnel_id 10 ' "$dir/text" | cut -d' ' -f1-6)"
check_eq "text event 1" "add tunnel tunnel_id 10 peer_tunnel_id 20" "${tx[0]-}"
check_eq "text event 2" "add session tunnel_id 10 session_id 100" "${tx[1]-}"
check_eq "text event 3" "modify session tunnel_id 10 session_id 100" "${tx[2]-}"
check_eq "text event 4" "modify tunnel tunnel_id 10 peer_tunnel_id 20" "${tx[3]-}"
check_eq "text event 5" "del session tunnel_id 10 session_id 100" "${tx[4]-}"
check_eq "text event 6" "del tunnel tunnel_id 10 peer_tunnel_id 20" "${tx[5]-}"
check_eq "no other text event" 6 "${#tx[@]}"

mapfile -t sx <<<"$(grep 'tunnel_id 10 ' "$dir/sess" | cut -d' ' -f1-2)"
check_eq "session filter: add, modify, del only" \
	"add session|modify session|del session" "$(IFS='|'; echo "${sx[*]}")"
check "session filter: no tunnel event at all" bash -c \
	"! grep -q '^[a-z]* tunnel ' '$dir/sess'"

for m in json text sess; do
	eval "p=\$pid_$m"
	kill -INT "$p"
	wait "$p"
	check_eq "monitor ($m) exits 0 when interrupted" 0 $?
	check_eq "monitor ($m) printed no error" "" "$(cat "$dir/$m.err")"
done
tap_done
