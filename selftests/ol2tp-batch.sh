#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "ol2tp -batch FILE": one command per line (comments, blank lines and
# quotes allowed, "-" for stdin); the first failing line stops the batch,
# is named as FILE:LINE, and sets the exit status (2 usage, 1 kernel), with
# the lines before it applied and the lines after it not run.  Then scale:
# 10 000 sessions created by one batch and deleted by another; the times are
# printed, not asserted.
#
#   netns a
#  +---------------------------------------------------------+
#  | lo 127.0.0.1                                            |
#  |  tunnel 2 (udp4) -- 10000 sessions (ppp, else eth)      |
#  +---------------------------------------------------------+
# ol2tp-timeout: 3000
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ol2tp python3

netns_add a || skip_all "cannot create a network namespace"
NS=$(ns a)
L2="ol2tp -n $NS"
dir=$(mktemp -d)
cleanup_push "rm -rf $dir"

# count OBJECT: how many the kernel lists (JSON parsed, not grepped)
count()
{
	$L2 -j "$1" show | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'
}

cat >"$dir/ok" <<'EOF'
# a comment, then a blank line

tunnel add tunnel_id 1 peer_tunnel_id 1 local 127.0.0.1 remote 127.0.0.1 udp_sport 1701 udp_dport 1702
	session add tunnel_id 1 session_id 1 peer_session_id 1 name "pwb1"   # trailing comment
s a tid 1 sid 2 psid 2 name 'pwb2'
EOF
check "a batch with comments, blanks, quotes, abbreviations" $L2 -batch "$dir/ok"
check_eq "it created both sessions" 2 "$(count session)"
check "quoted names are unquoted" $L2 session show name pwb2

cat >"$dir/usage" <<'EOF'
session add tunnel_id 1 session_id 3 peer_session_id 3
session add tunnel_id 1 session_id 4 peer_session_id 4

session add tunnel_id 1 session_id 5 peer_session_id five
session add tunnel_id 1 session_id 6 peer_session_id 6
EOF
err=$($L2 -b "$dir/usage" 2>&1)
check_eq "a usage error stops the batch with exit 2" 2 $?
check "the error names file and line 4" grep -q "ol2tp: $dir/usage:4: invalid peer_session_id \"five\"" <<<"$err"
check_eq "lines 1-2 ran, line 5 did not" 4 "$(count session)"

cat >"$dir/kernel" <<'EOF'
session del tunnel_id 1 session_id 3
session del tunnel_id 1 session_id 99
session del tunnel_id 1 session_id 4
EOF
err=$($L2 -b "$dir/kernel" 2>&1)
check_eq "a kernel refusal stops the batch with exit 1" 1 $?
check "the error names line 2 and the errno" \
	grep -q "ol2tp: $dir/kernel:2: cannot delete session 99 in tunnel 1: .*(E[A-Z]*" <<<"$err"
check "line 3 did not run" $L2 session show tunnel_id 1 session_id 4

printf 'session del tunnel_id 1 session_id 4\n' | $L2 -b -
check_eq "-batch - reads stdin" 2 "$(count session)"
err=$($L2 -b "$dir/missing" 2>&1)
check_eq "a missing batch file exits 3" 3 $?
check "and says so" grep -q "cannot open batch file $dir/missing" <<<"$err"

# --- scale ----------------------------------------------------------------
# PPP sessions when a PPP pseudowire module is loaded: no netdev each, so
# the run measures the tool and netlink rather than netdev registration
# (10 000 l2tpeth devices take a quarter of an hour under TCG).
N=10000
# (A new tunnel: Linux deletes tunnels asynchronously, so re-adding tunnel 1
# right after deleting it may find the id still taken.)
$L2 tunnel del tunnel_id 1
check "add the scale tunnel" $L2 tunnel add tunnel_id 2 peer_tunnel_id 2 \
	local 127.0.0.1 remote 127.0.0.1 udp_sport 1703 udp_dport 1704
pw=eth
if $L2 session add tunnel_id 2 session_id 1 peer_session_id 1 pw ppp \
	2>/dev/null; then
	pw=ppp
	$L2 session del tunnel_id 2 session_id 1
fi
diag "sessions of pw $pw"
for ((i = 1; i <= N; i++)); do
	echo "session add tunnel_id 2 session_id $((N + i)) peer_session_id $i pw $pw"
done >"$dir/add"
for ((i = 1; i <= N; i++)); do
	echo "session del tunnel_id 2 session_id $((N + i))"
done >"$dir/del"

t0=$(date +%s.%N)
check "one batch adds $N sessions" $L2 -batch "$dir/add"
t1=$(date +%s.%N)
check_eq "the kernel lists $N sessions" $N "$(count session)"
t2=$(date +%s.%N)
check "one batch deletes them" $L2 -batch "$dir/del"
t3=$(date +%s.%N)
check_eq "none is left" 0 "$(count session)"
check_eq "no pseudowire netdev is left" 0 \
	"$(ip -n "$NS" -o link show | grep -c l2tpeth)"
diag "$(awk -v pw=$pw -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v n=$N 'BEGIN {
	printf "%s: %d sessions (pw %s) added in %.1f s, dumped in %.1f s, deleted in %.1f s",
		ENVIRON["OL2TP_IMPL"], n, pw, b - a, c - b, d - c }')"
tap_done
