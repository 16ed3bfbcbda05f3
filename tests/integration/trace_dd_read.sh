#!/bin/bash
# trace_dd_read: dd reading an 8 MiB file through the mount is recorded as
# READ requests of dd's process that cover the whole file, then FLUSH and
# RELEASE of that file, under its path, as "accessfs dump" shows them.
. "$SRCDIR/tests/integration/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"

head -c $((8 << 20)) /dev/urandom >"$SRC/f"
mount_accessfs
dd if="$MNT/f" of=/dev/null bs=1M count=8 2>/dev/null &
dd_pid=$!
wait $dd_pid || fail "dd failed"
unmount_accessfs

"$ACCESSFS" dump "$TRACE" >"$T/events.jsonl" 2>"$T/dump.err" || fail "dump: $(cat "$T/dump.err")"
[ ! -s "$T/dump.err" ] || fail "dump warned: $(cat "$T/dump.err")"
python3 - "$T/events.jsonl" "$dd_pid" <<'PY'
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1], 'rb')]
pid = int(sys.argv[2])
reads = sorted((e['offset'], e['offset'] + e['result']) for e in evs
               if e['op'] == 'read' and e.get('path') == 'f' and e['pid'] == pid
               and e['result'] > 0)
end = 0
for a, b in reads:
    if a > end:
        sys.exit(f"FAIL: bytes {end}..{a} of f were not read by dd's pid {pid}")
    end = max(end, b)
if end < 8 << 20:
    sys.exit(f"FAIL: dd's reads cover only {end} bytes of {8 << 20}")
ops = {e['op'] for e in evs if e.get('path') == 'f'}
for op in ('open', 'flush', 'release'):
    if op not in ops:
        sys.exit(f"FAIL: no {op} of f in {sorted(ops)}")
if not any('comm' in e for e in evs):
    print("SKIP: the trace has no process records (the classifier is not built in)")
    sys.exit(77)
bad = {e.get('comm') for e in evs if e['op'] == 'read' and e['pid'] == pid} - {'dd'}
if bad:
    sys.exit(f"FAIL: dd's reads carry comm {bad}")
PY
