#!/bin/bash
# run_top: `accessfs top --once MOUNTPOINT` finds a running mount's trace,
# also when its path was defaulted (through the daemon's runtime file in
# /run/accessfs, which exists only while the mount is up), and shows the
# file and the process that read it with their bytes by access method.
. "$SRCDIR/tests/integration/lib.sh"

head -c 4194304 /dev/urandom >"$SRC/topfile"
mkdir "$T/start"
(cd "$T/start" && exec "$ACCESSFS" -f "$SRC" "$MNT" 2>"$T/daemon.err") &
DAEMON_PID=$!
for _ in $(seq 1 100); do mountpoint -q "$MNT" && break; sleep 0.05; done
mountpoint -q "$MNT" || fail "mount did not come up"
runtime=/run/accessfs/$DAEMON_PID
[ -f "$runtime" ] || fail "no runtime file $runtime while mounted"

drop_caches
cat "$MNT/topfile" >/dev/null
sleep 0.5	# the writer writes buffered events within 200 ms
"$ACCESSFS" top --once "$MNT" >"$T/top.out" 2>&1 || { cat "$T/top.out"; fail "top --once failed"; }
cat "$T/top.out" >&2
# The file row: 4.2 MB read by read() syscalls.
awk '$NF == "/topfile" && $4 + 0 >= 4.1 { ok = 1 } END { exit !ok }' "$T/top.out" ||
	fail "top shows no row for /topfile with >= 4.1 MB in rd-read"
grep -Eq "cat\[[0-9]+\]" "$T/top.out" || fail "top shows no row for the cat process"

unmount_accessfs
[ ! -e "$runtime" ] || fail "runtime file $runtime left after unmount"
