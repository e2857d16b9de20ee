#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side check of ol2tp's command-line parsing (make -C userspace check):
# every malformed command line in selftests/ol2tp-usage.cases exits 2 and
# names its problem, before any netlink request, so no kernel is needed.
# The same cases run in a VM, with kernel state compared, in
# selftests/ol2tp-usage.sh.  TAP output.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
ol2tp=${OL2TP:-$top/build/bin/ol2tp}
cases=$top/selftests/ol2tp-usage.cases

echo "TAP version 13"
n=0
failed=0
while IFS= read -r line; do
	case $line in '#'* | '') continue ;; esac
	args=${line%%:::*}
	want=${line#*:::}
	want=${want# }
	eval "set -- $args"
	err=$("$ol2tp" "$@" 2>&1 >/dev/null)
	rc=$?
	n=$((n + 1))
	if [ $rc -eq 2 ] && [[ $err == *"ol2tp: "* ]] && [[ $err == *"$want"* ]]; then
		echo "ok $n - ol2tp $args"
	else
		failed=$((failed + 1))
		echo "not ok $n - ol2tp $args"
		echo "# exit $rc (want 2), want message: $want"
		printf '%s\n' "$err" | head -n 3 | sed 's/^/# got: /'
	fi
done <"$cases"

# Help is not an error.
for args in "help" "tunnel help" "session help" "monitor help" "-h" "t a help" \
	"peer help" "pseudowire help" "pw show help"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	if out=$("$ol2tp" $args 2>&1) && [[ $out == *Usage:* ]]; then
		echo "ok $n - ol2tp $args prints the grammar, exit 0"
	else
		failed=$((failed + 1))
		echo "not ok $n - ol2tp $args prints the grammar, exit 0"
	fi
done
# Bash completion offers the grammar's words.
complete() { :; }
# shellcheck source=completion/ol2tp
. "$here/completion/ol2tp"
comp()
{
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_ol2tp
	echo "${COMPREPLY[*]}"
}
while IFS='|' read -r words want; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	got=$(comp $words "")
	if [ "$got" = "$want" ]; then
		echo "ok $n - completion of '$words'"
	else
		failed=$((failed + 1))
		echo "not ok $n - completion of '$words'"
		echo "# want: $want"
		echo "# got:  $got"
	fi
done <<'CASES'
ol2tp|tunnel session monitor peer pseudowire help
ol2tp -S /x peer|show help
ol2tp pseudowire show|name
ol2tp session|add del modify show up down help
ol2tp -j tunnel|add del modify show help
ol2tp session add tunnel_id 1 session_id 2 peer_session_id 3 pw|eth ppp
ol2tp t a encap|udp ip
ol2tp t modify|tunnel_id debug
ol2tp monitor|all tunnel session help
CASES
echo "1..$n"
[ $failed -eq 0 ]
