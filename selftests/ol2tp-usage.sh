#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Each malformed ol2tp command line in ol2tp-usage.cases exits 2, prints a
# message naming its problem, and leaves the kernel as it was: the JSON dump
# of tunnels and sessions and the list of links, taken before, are the same
# after all of them.  The namespace holds a tunnel and a session with the ids the cases
# use, so a case that slipped through would change them.
#
#   netns a
#  +--------------------------------------------------+
#  | lo 127.0.0.1                                     |
#  |  tunnel 1 (udp4) -- session 2 (eth, pwusage0)    |
#  +--------------------------------------------------+
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ol2tp ip

netns_add a || skip_all "cannot create a network namespace"
NS=$(ns a)

ol2tp -n "$NS" tunnel add tunnel_id 1 peer_tunnel_id 1 local 127.0.0.1 \
	remote 127.0.0.1 udp_sport 1701 udp_dport 1702 ||
	skip_all "cannot add the reference tunnel"
ol2tp -n "$NS" session add tunnel_id 1 session_id 2 peer_session_id 2 \
	name pwusage0 || skip_all "cannot add the reference session"

state()
{
	ol2tp -n "$NS" -j tunnel show
	ol2tp -n "$NS" -j session show
	ip -n "$NS" -o link show | sed 's/^[0-9]*: //'
}

before=$(state)
check "the reference state is readable" test -n "$before"

while IFS= read -r line; do
	case $line in '#'* | '') continue ;; esac
	args=${line%%:::*}
	want=${line#*:::}
	want=${want# }
	eval "set -- $args"
	err=$(ol2tp -n "$NS" "$@" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -eq 2 ] && [[ $err == *"ol2tp: "*"$want"* ]]; then
		ok "ol2tp $args: exit 2, says \"$want\""
	else
		not_ok "ol2tp $args: exit 2, says \"$want\"" \
			"exit $rc; got: $(printf '%s' "$err" | head -n 2)"
	fi
done <"$SELFTESTS_DIR/ol2tp-usage.cases"

# No case could undo another's change: one comparison covers them all.
check_eq "no malformed command changed the kernel state" "$before" "$(state)"

# A refused request is not a usage error: exit 1, state unchanged.
err=$(ol2tp -n "$NS" tunnel add tunnel_id 1 peer_tunnel_id 1 \
	local 127.0.0.1 remote 127.0.0.1 udp_sport 1703 udp_dport 1704 2>&1)
check_eq "a kernel refusal exits 1" 1 $?
check "a kernel refusal names the errno" grep -q '(E[A-Z]*' <<<"$err"
check_eq "a kernel refusal leaves the state" "$before" "$(state)"
tap_done
