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
for args in "help" "tunnel help" "session help" "monitor help" "-h" "t a help"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	if out=$("$ol2tp" $args 2>&1) && [[ $out == *Usage:* ]]; then
		echo "ok $n - ol2tp $args prints the grammar, exit 0"
	else
		failed=$((failed + 1))
		echo "not ok $n - ol2tp $args prints the grammar, exit 0"
	fi
done
echo "1..$n"
[ $failed -eq 0 ]
