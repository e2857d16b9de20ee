#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side check that ol2tp's and ol2tpd's command lines follow the
# conventions (make -C userspace check): help and version go to standard
# output with exit 0; a bad option, a missing option argument or a stray
# argument prints its problem and the usage on standard error and exits 2;
# a configuration error is not a usage error (ol2tpd: exit 1).  No kernel
# needed: nothing here gets as far as netlink.  TAP output.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${OL2TP_BIN:-$top/build/bin}
dir=$(mktemp -d /tmp/ol2tp-help-test.XXXXXX)
trap 'rm -rf "$dir"' EXIT
n=0
failed=0

echo "TAP version 13"

# result DESC COND_STATUS [WHY]
result()
{
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $n - $1"
	else
		failed=$((failed + 1))
		echo "not ok $n - $1"
		[ -z "${3:-}" ] || printf '%s\n' "$3" | head -n 4 | sed 's/^/# /'
	fi
}

# run PROG ARGS...: sets rc, out (stdout) and err (stderr).
run()
{
	local prog=$1
	shift
	"$bin/$prog" "$@" >"$dir/out" 2>"$dir/err"
	rc=$?
	out=$(cat "$dir/out")
	err=$(cat "$dir/err")
}

# helps PROG ARGS...: the usage on stdout, nothing on stderr, exit 0.
helps()
{
	run "$@"
	[ $rc -eq 0 ] && [ -z "$err" ] && grep -qi "^usage: $1 " <<<"$out"
	result "$* prints the usage on stdout, exit 0" $? \
		"exit $rc; stdout: ${out:0:80}; stderr: ${err:0:80}"
}

# versions PROG ARGS...: "PROG N.N" on stdout, nothing on stderr, exit 0.
versions()
{
	run "$@"
	[ $rc -eq 0 ] && [ -z "$err" ] && grep -qx "$1 [0-9][0-9.]*" <<<"$out"
	result "$* prints \"$1 VERSION\" on stdout, exit 0" $? \
		"exit $rc; stdout: $out; stderr: ${err:0:80}"
}

# refuses PROG WORD ARGS...: exit 2, nothing on stdout, the usage and WORD
# (what is wrong) on stderr.
refuses()
{
	local prog=$1 word=$2
	shift 2
	run "$prog" "$@"
	[ $rc -eq 2 ] && [ -z "$out" ] && grep -qi "^usage: $prog " <<<"$err" &&
		grep -qF -- "$word" <<<"$err"
	result "$prog $* is a usage error: exit 2, the usage and $word on stderr" $? \
		"exit $rc; stdout: ${out:0:80}; stderr: $err"
}

helps ol2tp -h
helps ol2tp --help
helps ol2tp -help
helps ol2tp help
versions ol2tp -V
versions ol2tp --version
versions ol2tp -Version
refuses ol2tp '"--bogus"' --bogus
refuses ol2tp '"-x"' -x tunnel show
refuses ol2tp "-n needs an argument" -n
refuses ol2tp '"frobnicate"' frobnicate

helps ol2tpd -h
helps ol2tpd --help
versions ol2tpd -V
versions ol2tpd --version
refuses ol2tpd "'--bogus'" --bogus
refuses ol2tpd "'x'" -x
refuses ol2tpd "'f'" -f
refuses ol2tpd '"stray"' -t stray

# A bad option value: exit 2 too, with a message that names the choices.
run ol2tpd -l loud -t -f /nonexistent
[ $rc -eq 2 ] && [ -z "$out" ] && grep -q "use err, warning" <<<"$err"
result "ol2tpd -l loud: exit 2, names the levels" $? "exit $rc; stderr: $err"

printf '[peer p]\naddress = 192.0.2.1\n' >"$dir/good.conf"
run ol2tpd -t -f "$dir/good.conf"
[ $rc -eq 0 ] && grep -q ": OK, 1 peers" <<<"$out"
result "ol2tpd -t on a good configuration: exit 0, says OK" $? \
	"exit $rc; stdout: $out; stderr: $err"
printf '[peer p]\naddress = 192.0.2.1\nfrobnicate = yes\n' >"$dir/bad.conf"
run ol2tpd -t -f "$dir/bad.conf"
[ $rc -eq 1 ] && grep -q "bad.conf:3:" <<<"$err"
result "ol2tpd -t on a bad configuration: exit 1 (not 2), names file:line" $? \
	"exit $rc; stderr: $err"

echo "1..$n"
[ $failed -eq 0 ]
