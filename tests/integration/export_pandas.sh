#!/bin/bash
# export_pandas: what dump exports is what people load: after a small real
# workload on a mounted accessfs (write(), read(), mmap faults, metadata),
# pandas reads dump's CSV and JSON Lines into the same table, and its
# event counts per operation and requests and bytes per access method are
# exactly what `accessfs report --format json` counts (run.by_op,
# run.by_method; doc/report.md).
. "$SRCDIR/tests/integration/lib.sh"

# Debian's python3-pandas is for /usr/bin/python3, which may not be first in PATH.
PANDAS_PY=
for py in python3 /usr/bin/python3; do
	if "$py" -c 'import pandas' 2>/dev/null; then
		PANDAS_PY=$py
		break
	fi
done
[ -n "$PANDAS_PY" ] || skip "python3-pandas not installed"

mount_accessfs
dd if=/dev/urandom of="$MNT/w.bin" bs=64k count=16 status=none
head -c 2M /dev/urandom >"$SRC/r.bin"
mkdir "$MNT/d" && touch "$MNT/d/a" && ls -l "$MNT/d" >/dev/null
sync
drop_caches
cat "$MNT/r.bin" >/dev/null
python3 - "$MNT/w.bin" <<'PY'
import mmap, sys
with open(sys.argv[1], 'rb') as f, mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ) as m:
    sum(m[i] for i in range(0, len(m), 4096))
PY
unmount_accessfs

"$ACCESSFS" dump --format csv -o "$T/d.csv" "$TRACE" || fail "dump csv failed"
"$ACCESSFS" dump -o "$T/d.jsonl" "$TRACE" || fail "dump jsonl failed"
"$ACCESSFS" report --format json -o "$T/r.json" "$TRACE" || fail "report json failed"

"$PANDAS_PY" - "$T/d.csv" "$T/d.jsonl" "$T/r.json" <<'PY' || fail "pandas and report disagree"
import json, sys
import pandas as pd

csv = pd.read_csv(sys.argv[1], keep_default_na=False, na_values=[''],
                  dtype={'method': str, 'trigger': str, 'op': str})
jsonl = pd.read_json(sys.argv[2], lines=True, dtype={'method': str, 'trigger': str})
run = json.load(open(sys.argv[3]))['run']
# JSONL leaves out keys that apply to no event; CSV always has every column.
for col in ('method', 'trigger'):
    if col not in jsonl:
        jsonl[col] = None

assert len(csv) == len(jsonl) > 0, (len(csv), len(jsonl))
for col in ('ts_ns', 'dur_ns', 'offset', 'size', 'result', 'tid', 'pid'):
    assert (csv[col].to_numpy() == jsonl[col].to_numpy()).all(), col
assert (csv['op'] == jsonl['op']).all()

def by_method(df):
    io = df[df['op'].isin(['read', 'write', 'copy_file_range']) & (df['result'] >= 0)].copy()
    # The report splits writeback by what triggered it (doc/report.md).
    wb = io['method'] == 'writeback'
    io.loc[wb, 'method'] = 'writeback_' + io.loc[wb, 'trigger']
    io['bytes_read'] = io['result'].where(io['op'] != 'write', 0)
    io['bytes_written'] = io['result'].where(io['op'] == 'write', 0)
    g = io.groupby('method').agg(requests=('result', 'size'), bytes_read=('bytes_read', 'sum'),
                                 bytes_written=('bytes_written', 'sum'))
    return {m: {k: int(v) for k, v in row.items()} for m, row in g.iterrows()}

want_ops = {op: v['count'] for op, v in run['by_op'].items() if v['count']}
want_methods = run['by_method']
for name, df in (('csv', csv), ('jsonl', jsonl)):
    ops = {k: int(v) for k, v in df['op'].value_counts().items()}
    assert ops == want_ops, (name, ops, want_ops)
    methods = by_method(df)
    assert methods == want_methods, (name, methods, want_methods)
for m in ('read', 'mmap', 'write'):
    assert want_methods.get(m, {}).get('requests'), ('workload made no %s requests' % m,
                                                      want_methods)
print(len(csv), 'events;', want_methods)
PY
exit 0
