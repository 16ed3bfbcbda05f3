#!/bin/bash
# trace_source_agree: dump and report select the same events for the same
# filter, because both read through the one event source: per operation,
# the events dump prints are the requests report counts (run.by_op), for
# no filter, --comm, --since/--until, a --path glob, and --path naming the
# entry of a lookup ("dir/name", not the directory).  dump's default time
# order is sorted by (ts_ns, tid), holds exactly the events of --order
# file, and merges two traces on one clock.  No mount needed.
. "$SRCDIR/tests/integration/lib.sh"

GEN=${PROGRAMS%/tests/programs}/bench/gen_trace
[ -x "$GEN" ] || skip "gen_trace not built ($GEN)"
command -v python3 >/dev/null || skip "python3 not installed"

"$GEN" --files 40 --seed 5 20000 "$T/a.trace" >/dev/null

# The entry of one lookup: its directory's path and the name looked up.
"$ACCESSFS" dump --op lookup "$T/a.trace" >"$T/lookups.jsonl" || fail "dump --op lookup failed"
entry=$(python3 -c 'import json,sys; e=json.loads(open(sys.argv[1]).readline()); print(e["path"]+"/"+e["name"])' "$T/lookups.jsonl")
[ -n "$entry" ] || fail "no lookup in the trace"

check() {
	"$ACCESSFS" dump "$@" "$T/a.trace" >"$T/d.jsonl" || fail "dump $*: exit $?"
	"$ACCESSFS" report --format json "$@" "$T/a.trace" >"$T/r.json" ||
		fail "report $*: exit $?"
	python3 - "$T/d.jsonl" "$T/r.json" "$*" <<'PY' || fail "dump and report disagree on: $*"
import collections, json, sys
dump = collections.Counter(json.loads(l)['op'] for l in open(sys.argv[1], 'rb'))
report = {op: v['count'] for op, v in json.load(open(sys.argv[2]))['run']['by_op'].items()
          if v['count']}
assert sum(dump.values()) > 0, 'filter %s selected nothing' % sys.argv[3]
assert dict(dump) == report, (sys.argv[3], dict(dump), report)
PY
}

check
check --comm dd
check --since 0.01 --until 0.05
check --path 'dir1*'
check --op lookup --path "$entry"

"$ACCESSFS" dump --order file "$T/a.trace" >"$T/file.jsonl" || fail "dump --order file failed"
"$ACCESSFS" dump "$T/a.trace" >"$T/time.jsonl" 2>"$T/time.err" || fail "dump failed"
[ ! -s "$T/time.err" ] || fail "time order complained: $(cat "$T/time.err")"
"$GEN" --files 10 --seed 6 --threads 3 5000 "$T/b.trace" >/dev/null
"$ACCESSFS" dump "$T/a.trace" "$T/b.trace" >"$T/ab.jsonl" || fail "dump of two traces failed"
python3 - "$T/file.jsonl" "$T/time.jsonl" "$T/ab.jsonl" <<'PY' || fail "time order check failed"
import json, sys
def load(p):
    return [l for l in open(p, 'rb')]
f, t, ab = load(sys.argv[1]), load(sys.argv[2]), load(sys.argv[3])
assert sorted(f) == sorted(t), 'time order and file order hold different events'
keys = [(e['ts_ns'], e['tid']) for e in map(json.loads, t)]
assert keys == sorted(keys), 'not in time order'
assert f != t, 'file order was already time order: the test proves nothing'
evs = [json.loads(l) for l in ab]
assert len(evs) == 25000 and {e['host'] for e in evs} == {'gen_trace'}
# Same start (no start_wall): one clock, ts_ns order across both traces.
keys = [(e['ts_ns'], e['tid']) for e in evs]
assert keys == sorted(keys), 'two traces not merged in time order'
PY
exit 0
