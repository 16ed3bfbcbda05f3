#!/bin/bash
# trace_dump_formats: "accessfs dump" writes what standard parsers read back
# exactly: JSONL (json.loads, names exact via path_b64 when not UTF-8), CSV
# (RFC 4180, fixed columns), Perfetto JSON (a slice per selected event, no
# overlapping slices on a track); several traces carry host; bad inputs fail with one clear line;
# a torn trace is a warning with exit 0.  No mount needed.
. "$SRCDIR/tests/integration/lib.sh"

GEN=${PROGRAMS%/tests/programs}/bench/gen_trace
[ -x "$GEN" ] || skip "gen_trace not built ($GEN)"
command -v python3 >/dev/null || skip "python3 not installed"

"$GEN" --nasty 1 --files 50 --seed 3 20000 "$T/a.trace" >/dev/null
"$GEN" --files 20 --seed 4 3000 "$T/b.trace" >/dev/null

"$ACCESSFS" dump "$T/a.trace" >"$T/a.jsonl" || fail "dump jsonl failed"
python3 - "$T/a.jsonl" <<'PY' || fail "JSONL check failed"
import base64, json, sys
n = 0
nasty = 0
for line in open(sys.argv[1], 'rb'):
    ev = json.loads(line)
    n += 1
    for k in ('t', 'ts_ns', 'dur_ns', 'op', 'file_id', 'fh', 'offset', 'size', 'result',
              'tid', 'pid', 'uid', 'gid'):
        assert k in ev, (k, ev)
    if 'path_b64' in ev:
        raw = base64.b64decode(ev['path_b64'])
        assert b'\n' in raw or b'\xff' in raw, raw
        nasty += 1
    elif 'path' in ev:
        assert '\ufffd' not in ev['path']
    if ev['op'] == 'read':
        assert ev['method'] in ('read', 'mmap'), ev
        assert ev['syscall'] in ('read', 'pread64', 'fault'), ev
assert n == 20000, n
assert nasty > 0
PY

"$ACCESSFS" dump --format csv -o "$T/a.csv" "$T/a.trace" || fail "dump csv failed"
python3 - "$T/a.csv" <<'PY' || fail "CSV check failed"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8', errors='surrogateescape',
                            newline='')))
head = rows[0]
assert head[:5] == ['t', 'ts_ns', 'dur_ns', 'host', 'op'], head
assert len(rows) == 20001, len(rows)
assert all(len(r) == len(head) for r in rows), 'ragged rows'
paths = [r[head.index('path')] for r in rows[1:]]
assert any('\n' in p for p in paths), 'no multi-line path survived'
PY

"$ACCESSFS" dump --format=perfetto --comm rsync "$T/a.trace" -o "$T/a.json" ||
	fail "dump perfetto failed"
"$ACCESSFS" dump --comm rsync "$T/a.trace" >"$T/rsync.jsonl" || fail "dump --comm rsync failed"
python3 - "$T/a.json" "$(wc -l <"$T/rsync.jsonl")" <<'PY' || fail "Perfetto check failed"
import json, sys
from collections import defaultdict
d = json.load(open(sys.argv[1]))
evs = d['traceEvents']
slices = [e for e in evs if e['ph'] == 'X']
names = {(e['pid'], e['tid']): e['args']['name'] for e in evs
         if e['ph'] == 'M' and e['name'] == 'thread_name'}
procs = [e['args']['name'] for e in evs if e['ph'] == 'M' and e['name'] == 'process_name']
assert len(slices) == int(sys.argv[2]), ('a slice per selected event', len(slices), sys.argv[2])
assert any(p.startswith('kernel (writeback, release)') for p in procs), procs
tracks = defaultdict(list)
for e in slices:
    assert e['cat'] and e['name'] and e['dur'] >= 0
    tracks[(e['pid'], e['tid'])].append((e['ts'], e['ts'] + e['dur']))
    assert (e['pid'], e['tid']) in names, e
for k, spans in tracks.items():
    spans.sort()
    for (a0, a1), (b0, b1) in zip(spans, spans[1:]):
        assert b0 >= a1 - 1e-9, (k, a0, a1, b0, b1)
PY

"$ACCESSFS" dump "$T/a.trace" "$T/b.trace" --op read --since 0.001 >"$T/ab.jsonl" ||
	fail "dump of two traces failed"
python3 - "$T/ab.jsonl" <<'PY' || fail "two-trace check failed"
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1], 'rb')]
assert evs and all(e['op'] == 'read' and e['t'] >= 0.001 and e['host'] for e in evs)
PY

# Errors: one line naming the problem, non-zero exit.
out=$("$ACCESSFS" dump "$T/missing" 2>&1) && fail "dump of a missing file succeeded"
[ "$out" = "accessfs dump: $T/missing: No such file or directory" ] || fail "got: $out"
out=$("$ACCESSFS" dump /etc/hostname 2>&1) && fail "dump of a foreign file succeeded"
[ "$out" = "accessfs dump: /etc/hostname: not an accessfs trace" ] || fail "got: $out"
out=$("$ACCESSFS" dump --format xml "$T/a.trace" 2>&1) && fail "unknown format accepted"
[ "$(echo "$out" | wc -l)" -eq 1 ] || fail "more than one line: $out"

# A torn trace: the events of complete blocks, a warning, exit 0.
size=$(stat -c %s "$T/b.trace")
head -c $((size - 100)) "$T/b.trace" >"$T/torn.trace"
"$ACCESSFS" dump "$T/torn.trace" >"$T/torn.jsonl" 2>"$T/torn.err" || fail "torn trace: exit $?"
grep -q "last block incomplete" "$T/torn.err" || fail "no torn warning: $(cat "$T/torn.err")"
[ -s "$T/torn.jsonl" ] || fail "torn trace gave no events"
exit 0
