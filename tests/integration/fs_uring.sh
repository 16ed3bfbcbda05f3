#!/bin/bash
# fs_uring: accessfs's FUSE-over-io_uring transport (daemon/uring_transport.c)
# where it differs from /dev/fuse.
#   - uring=auto (the default) with the fuse module not offering it
#     (enable_uring=N) serves /dev/fuse and says nothing; uring=on says so
#     in one line; both serve files and record transport dev_fuse.
#   - With enable_uring=Y: the rings carry the requests (the trace's
#     TRANSPORT record counts them), data read by read() and by mmap and
#     data written come back byte-exact, and READs are labelled read and
#     mmap as over /dev/fuse.
#   - Blocking flock() waits on a thread of its own: 12 waiters on one CPU,
#     more than the 8 ring threads that CPU has, all get the lock once its
#     holder (on the same CPU) lets go.  Without that hand-off the holder's
#     unlock would queue behind the waiters and nothing would return.
#   - SIGTERM unmounts cleanly: ring threads take no signals.
. "$SRCDIR/tests/integration/lib.sh"

need_fuse_uring

head -c $((8 << 20)) /dev/urandom >"$SRC/data"
report_json() { "$ACCESSFS" report --format json "$TRACE"; }
json_trace() {	# json_trace KEY: the first trace's KEY in report --format json
	report_json | python3 -c 'import json,sys; t=json.load(sys.stdin)["traces"][0]; print(t.get(sys.argv[1], "-"))' "$1"
}

# --- not offered: auto is silent, on says it once ---
echo N >"$FUSE_URING_PARAM"
remount() { rm -f "$TRACE"; mount_accessfs "$@"; }
remount
cmp "$MNT/data" "$SRC/data" || fail "auto, not offered: data differs"
unmount_accessfs
grep -qv "tracing to" "$T/daemon.err" &&
	fail "uring=auto without the kernel's offer printed: $(cat "$T/daemon.err")"
assert_eq "$(json_trace transport)" dev_fuse "auto, not offered: transport"
remount -o uring
cmp "$MNT/data" "$SRC/data" || fail "on, not offered: data differs"
unmount_accessfs
assert_eq "$(grep -c "serving /dev/fuse only" "$T/daemon.err")" 1 "uring=on, not offered: fallback lines"

# --- offered: the rings carry everything ---
echo Y >"$FUSE_URING_PARAM"
remount -o uring
wait_for_rings "$DAEMON_PID"
cmp "$MNT/data" "$SRC/data" || fail "read() over io_uring: data differs"
python3 - "$MNT/data" "$SRC/data" <<'PY' || fail "mmap over io_uring: data differs"
import mmap, sys
with open(sys.argv[1], "rb") as f, open(sys.argv[2], "rb") as g:
    m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
    sys.exit(0 if m[:] == g.read() else 1)
PY
head -c $((3 << 20)) /dev/urandom >"$T/w"
cp "$T/w" "$MNT/w" && cmp "$MNT/w" "$T/w" && cmp "$SRC/w" "$T/w" || fail "write over io_uring: data differs"
mkdir "$MNT/d" && mv "$MNT/w" "$MNT/d/w2" && [ -f "$SRC/d/w2" ] || fail "mkdir/rename over io_uring"
rm -r "$MNT/d" && [ ! -e "$SRC/d" ] || fail "rm -r over io_uring"

# flock: the holder and 12 blocking waiters, all on CPU 0.
: >"$MNT/lock"
taskset -c 0 timeout 20 flock "$MNT/lock" sleep 1 &
holder=$!
sleep 0.3
waiters=()
for i in $(seq 1 12); do
	taskset -c 0 timeout 20 flock "$MNT/lock" true &
	waiters+=($!)
done
wait "$holder" || fail "the flock holder failed"
for w in "${waiters[@]}"; do
	wait "$w" || fail "a blocked flock() waiter did not get the lock (exit $?)"
done
unmount_accessfs
grep -q "serving /dev/fuse only" "$T/daemon.err" && fail "fell back: $(cat "$T/daemon.err")"
assert_eq "$(json_trace transport)" io_uring "offered: transport"
queues=$(json_trace uring_queues)
assert_eq "$queues" "$(getconf _NPROCESSORS_CONF)" "io_uring queues"
requests=$(json_trace ring_requests)
[ "$requests" -gt 100 ] || fail "only $requests requests over the rings"
"$ACCESSFS" report "$TRACE" >"$T/report.txt"
grep -q "transport io_uring: $queues queues, $requests requests" "$T/report.txt" ||
	fail "the text report does not say how requests came: $(grep -A3 "^traces" "$T/report.txt")"
# Labels: cmp's READs are read(), python's mmap READs faults.
"$ACCESSFS" dump --format csv "$TRACE" | python3 -c '
import csv, sys
rows = [r for r in csv.DictReader(sys.stdin) if r["op"] == "read" and r["path"] == "data"]
by = {}
for r in rows:
    by.setdefault(r["comm"], {}).setdefault(r["method"], 0)
    by[r["comm"]][r["method"]] += 1
ok = set(by.get("cmp", {})) == {"read"} and set(by.get("python3", {})) == {"mmap"}
print(by)
sys.exit(0 if ok else 1)' >"$T/labels" || fail "labels over io_uring: $(cat "$T/labels")"

# --- SIGTERM: a clean unmount with the rings up ---
remount -o uring
wait_for_rings "$DAEMON_PID"
cat "$MNT/data" >/dev/null
kill -TERM "$DAEMON_PID"
rc=0
timeout 10 tail --pid="$DAEMON_PID" -f /dev/null || fail "the daemon did not exit on SIGTERM"
wait "$DAEMON_PID" || rc=$?
DAEMON_PID=
assert_eq "$rc" 0 "exit status after SIGTERM"
grep -q " $MNT " /proc/mounts && fail "still mounted after SIGTERM"
exit 0
