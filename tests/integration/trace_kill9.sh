#!/bin/bash
# trace_kill9: after kill -9 of the daemon, the trace still holds every
# request older than the flush interval: a workload that finished a second
# before the kill is there whole, and dump reads it with a warning, exit 0.
. "$SRCDIR/tests/integration/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"

N=100
for i in $(seq $N); do echo "file $i" >"$SRC/f$i"; done
mount_accessfs
for i in $(seq $N); do cat "$MNT/f$i" >/dev/null; done
sleep 1
kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
DAEMON_PID=
fusermount3 -uz "$MNT" || fail "fusermount3 -uz failed"

"$ACCESSFS" dump "$TRACE" >"$T/events.jsonl" 2>"$T/dump.err" ||
	fail "dump after kill -9 failed: $(cat "$T/dump.err")"
grep -q "no end record\|last block incomplete" "$T/dump.err" ||
	fail "dump did not warn of the missing end: $(cat "$T/dump.err")"
python3 - "$T/events.jsonl" "$N" <<'PY'
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1], 'rb')]
n = int(sys.argv[2])
for i in range(1, n + 1):
    ops = {e['op'] for e in evs if e.get('path') == f'f{i}'}
    missing = {'open', 'read', 'flush', 'release'} - ops
    if missing:
        sys.exit(f"FAIL: f{i}: no {sorted(missing)} in the trace after kill -9")
PY
