#!/bin/bash
# trace_options: the tracing options do what --help says.
#   - the trace is created 0600, and the default name is
#     accessfs-HOST-YYYYmmdd-HHMMSS-PID.trace in the start directory;
#   - SIGUSR1 flushes the trace without stopping the mount;
#   - SIGTERM unmounts, exits 0 and closes the trace cleanly;
#   - trace_meta=0 leaves metadata operations out but keeps the names;
#   - classify=0 records data requests without access-method labels.
. "$SRCDIR/tests/integration/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"

head -c 1048576 /dev/urandom >"$SRC/data"
mkdir "$SRC/dir"
echo x >"$SRC/dir/small"

# count TRACE PYTHON-EXPR: how many dumped events e satisfy the expression.
count() {
	"$ACCESSFS" dump "$1" | python3 -c '
import json, sys
print(sum(1 for l in sys.stdin if (lambda e: '"$2"')(json.loads(l))))'
}

# Default name and mode; SIGUSR1 flush; SIGTERM.
mkdir "$T/start"
(cd "$T/start" && exec "$ACCESSFS" -f "$SRC" "$MNT" 2>"$T/daemon.err") &
DAEMON_PID=$!
for _ in $(seq 1 100); do mountpoint -q "$MNT" && break; sleep 0.05; done
mountpoint -q "$MNT" || fail "default-trace mount did not come up"
trace=$(ls "$T/start")
[[ $trace =~ ^accessfs-$(hostname)-[0-9]{8}-[0-9]{6}-$DAEMON_PID\.trace$ ]] ||
	fail "default trace name '$trace' is not accessfs-HOST-YYYYmmdd-HHMMSS-PID.trace"
grep -q "tracing to $T/start/$trace" "$T/daemon.err" || fail "the trace path was not printed at start"
assert_eq "$(stat -c %a "$T/start/$trace")" 600 "trace file mode"

cat "$MNT/data" >/dev/null
kill -USR1 "$DAEMON_PID"
reads=0
for _ in $(seq 1 40); do
	reads=$(count "$T/start/$trace" 'e["op"] == "read" and e["path"] == "data"')
	[ "$reads" -gt 0 ] && break
	sleep 0.05
done
[ "$reads" -gt 0 ] || fail "after SIGUSR1 the trace holds no READ of data"
mountpoint -q "$MNT" || fail "SIGUSR1 stopped the mount"

kill -TERM "$DAEMON_PID"
rc=0
wait "$DAEMON_PID" || rc=$?
DAEMON_PID=
assert_eq "$rc" 0 "exit status after SIGTERM"
mountpoint -q "$MNT" && fail "SIGTERM left the mount in place"
"$ACCESSFS" dump "$T/start/$trace" 2>"$T/dump.err" >/dev/null || fail "dump of the SIGTERM trace failed"
[ ! -s "$T/dump.err" ] || fail "the SIGTERM trace was not closed cleanly: $(cat "$T/dump.err")"

# trace_meta=0: no metadata events, but paths still resolve.
mount_accessfs -o trace_meta=0
stat "$MNT/dir/small" >/dev/null
ls "$MNT/dir" >/dev/null
cat "$MNT/dir/small" >/dev/null
unmount_accessfs
meta=$(count "$TRACE" 'e["op"] in ("lookup", "getattr", "opendir", "readdir", "readdirplus", "releasedir")')
assert_eq "$meta" 0 "metadata events with trace_meta=0"
small=$(count "$TRACE" 'e["op"] == "read" and e["path"] == "dir/small"')
[ "$small" -gt 0 ] || fail "with trace_meta=0 the READ of dir/small has no path"

# classify=0: data requests recorded, none labelled.
rm -f "$TRACE"
mount_accessfs -o classify=0
drop_caches
cat "$MNT/data" >/dev/null
unmount_accessfs
reads=$(count "$TRACE" 'e["op"] == "read"')
[ "$reads" -gt 0 ] || fail "classify=0 recorded no READ"
labelled=$(count "$TRACE" 'e["op"] == "read" and e.get("method") not in (None, "none")')
assert_eq "$labelled" 0 "labelled READs with classify=0"
