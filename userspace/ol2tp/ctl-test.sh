#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side check of ol2tp's ol2tpd client (make -C userspace check): a
# stand-in daemon on a Unix socket answers canned lines in ol2tpd's format,
# and ol2tp peer/pseudowire show, -j, name filters, session up|down, the
# "error:" answer, -S / $OL2TPD_SOCKET and a missing daemon are checked
# against it.  The real daemon is driven in the VM by selftests/ol2tpd-eth.sh.
# TAP output.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
ol2tp=${OL2TP:-$top/build/bin/ol2tp}
dir=$(mktemp -d /tmp/ol2tp-ctl-test.XXXXXX)
n=0
failed=0
trap 'kill $fake 2>/dev/null; rm -rf "$dir"' EXIT

echo "TAP version 13"
if ! command -v python3 >/dev/null; then
	echo "1..0 # SKIP python3 not found"
	exit 0
fi

ok()
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/# /'
	fi
}

# The stand-in: answers by command, logs each command it got.
cat >"$dir/fake.py" <<'PY'
import os, socket, sys
path, log = sys.argv[1], sys.argv[2]
answers = {
    "peer show":
        'peer other address 10.1.2.1 version 3 encap udp state established '
        'tunnel 4242 peer-tunnel 77 peer-host "lcce \\"b\\" \\\\ \\xc3\\xa9" '
        'sessions 1 tx 18446744073709551615 rx 0 retransmits 3 rtt-ms 12 '
        'auth-failures 0\n'
        'peer idle address fd00:2::1 version 2 encap udp state down\n',
    "session show":
        'session pw peer other type ethernet state established tunnel 4242 '
        'session 9 peer-session 10 interface pwa\n'
        'static st type ethernet state static tunnel 1 session 2 '
        'peer-session 3 interface st0\n',
}
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(8)
while True:
    c, _ = s.accept()
    cmd = b""
    while not cmd.endswith(b"\n"):
        b = c.recv(256)
        if not b:
            break
        cmd += b
    cmd = cmd.decode().strip()
    open(log, "a").write(cmd + "\n")
    if cmd in answers:
        c.sendall(answers[cmd].encode())
    elif cmd in ("session up pw", "session down pw"):
        c.sendall(b"ok\n")
    else:
        c.sendall(('error: no pseudowire named "%s"\n' % cmd.split()[-1]).encode())
    c.close()
PY
sock=$dir/ol2tpd.sock
python3 "$dir/fake.py" "$sock" "$dir/log" &
fake=$!
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done

out=$("$ol2tp" -S "$sock" peer show 2>&1)
ok $? "peer show: exit 0" "$out"
[[ $out == "peer other address 10.1.2.1 "*$'\n'"peer idle "* ]]
ok $? "peer show: the daemon's lines as text" "$out"

json=$("$ol2tp" -S "$sock" -j peer show)
ok $? "-j peer show: exit 0"
check_json()
{
	python3 -c '
import json, sys
v = json.loads(sys.stdin.read())
exec(sys.argv[1])' "$1" <<<"$json" 2>&1
}
out=$(check_json 'assert isinstance(v, list) and len(v) == 2, v')
ok $? "-j peer show: a JSON array of both peers" "$out"
out=$(check_json 'p = v[0]
assert p["name"] == "other" and p["address"] == "10.1.2.1", p
assert p["version"] == 3 and p["tunnel"] == 4242 and p["rtt-ms"] == 12, p
assert p["tx"] == 18446744073709551615 and p["rx"] == 0, p
assert p["state"] == "established" and p["encap"] == "udp", p')
ok $? "-j peer show: numbers are numbers, words are strings" "$out"
out=$(check_json 'assert v[0]["peer-host"] == "lcce \"b\" \\ \u00e9", v[0]["peer-host"]')
ok $? "-j peer show: the quoted peer host name unescaped" "$out"
out=$(check_json 'assert v[1] == {"name": "idle", "address": "fd00:2::1", "version": 2, "encap": "udp", "state": "down"}, v[1]')
ok $? "-j peer show: a peer that is down has only its configuration" "$out"
json=$("$ol2tp" -S "$sock" -j -p peer show)
out=$(check_json 'assert len(v) == 2')
ok $? "-j -p peer show: pretty JSON parses" "$out"

out=$("$ol2tp" -S "$sock" peer show name idle)
ok $? "peer show name idle: exit 0"
[ "$out" = "peer idle address fd00:2::1 version 2 encap udp state down" ]
ok $? "peer show name idle: only that peer" "$out"
err=$("$ol2tp" -S "$sock" peer show name nosuch 2>&1)
rc=$?
[ $rc = 1 ] && [[ $err == *'ol2tpd has no peer named "nosuch"'* ]]
ok $? "peer show name nosuch: exit 1, says so" "exit $rc: $err"

json=$(OL2TPD_SOCKET=$sock "$ol2tp" -j pseudowire show)
ok $? "\$OL2TPD_SOCKET picks the socket"
out=$(check_json 'assert v == [
 {"kind": "session", "name": "pw", "peer": "other", "type": "ethernet", "state": "established", "tunnel": 4242, "session": 9, "peer-session": 10, "interface": "pwa"},
 {"kind": "static", "name": "st", "type": "ethernet", "state": "static", "tunnel": 1, "session": 2, "peer-session": 3, "interface": "st0"}], v')
ok $? "-j pseudowire show: dynamic and static, kind and name first" "$out"
json=$("$ol2tp" -S "$sock" -j pw show name st)
out=$(check_json 'assert [p["name"] for p in v] == ["st"], v')
ok $? "-j pw show name st: only that one" "$out"

: >"$dir/log"
out=$("$ol2tp" -S "$sock" session down pw 2>&1)
ok $? "session down pw: exit 0, silent" "$out"
[ -z "$out" ] && grep -qx "session down pw" "$dir/log"
ok $? "session down pw: sent \"session down pw\"" "$(cat "$dir/log")"
"$ol2tp" -S "$sock" session up pw && grep -qx "session up pw" "$dir/log"
ok $? "session up pw: sent \"session up pw\", exit 0"
err=$("$ol2tp" -S "$sock" session up nosuch 2>&1 >/dev/null)
rc=$?
[ $rc = 1 ] && [ "$err" = 'ol2tp: ol2tpd: no pseudowire named "nosuch"' ]
ok $? "an error: answer: on stderr without the prefix, exit 1" "exit $rc: $err"

kill $fake
wait $fake 2>/dev/null
err=$("$ol2tp" -S "$sock" peer show 2>&1)
rc=$?
[ $rc = 3 ] && [[ $err == *"ol2tpd is not running on $sock"*"start ol2tpd, or pass -S"* ]]
ok $? "socket left, nobody listening: exit 3, names the socket, says what to do" "exit $rc: $err"
err=$("$ol2tp" -S "$dir/none" session down pw 2>&1)
rc=$?
[ $rc = 3 ] && [[ $err == *"ol2tpd is not running on $dir/none (No such file or directory)"* ]]
ok $? "no socket: exit 3, names the socket" "exit $rc: $err"
err=$(OL2TPD_SOCKET=$dir/env "$ol2tp" peer show 2>&1)
[[ $err == *"$dir/env"* ]]
ok $? "\$OL2TPD_SOCKET is the socket named in the error" "$err"
if [ ! -e /run/ol2tpd.sock ]; then
	err=$(env -u OL2TPD_SOCKET "$ol2tp" peer show 2>&1)
	[[ $err == *"/run/ol2tpd.sock"* ]]
	ok $? "default socket: /run/ol2tpd.sock" "$err"
fi
if [ "$(id -u)" != 0 ]; then
	python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$dir/priv.sock"
	chmod 000 "$dir/priv.sock"
	err=$("$ol2tp" -S "$dir/priv.sock" peer show 2>&1)
	rc=$?
	[ $rc = 3 ] && [[ $err == *"permission denied"* ]]
	ok $? "socket not ours: exit 3, says permission denied" "exit $rc: $err"
fi
echo "1..$n"
[ $failed -eq 0 ]
