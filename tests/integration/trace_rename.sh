#!/bin/bash
# trace_rename: a file renamed while it is being read appears in the trace
# under its old name before the rename and its new name after, with the
# same file_id throughout.
. "$SRCDIR/tests/integration/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"

mkdir "$SRC/dir"
head -c 65536 /dev/urandom >"$SRC/dir/old"
mount_accessfs
cat "$MNT/dir/old" >/dev/null
mv "$MNT/dir/old" "$MNT/dir/new"
drop_caches
cat "$MNT/dir/new" >/dev/null
unmount_accessfs

"$ACCESSFS" dump "$TRACE" >"$T/events.jsonl" || fail "dump failed"
python3 - "$T/events.jsonl" <<'PY'
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1], 'rb')]
ids = {}
for e in evs:
    if e['op'] in ('open', 'read') and 'path' in e:
        ids.setdefault(e['path'], set()).add(e['file_id'])
old, new = ids.get('dir/old'), ids.get('dir/new')
if not old or not new:
    sys.exit(f"FAIL: expected reads of dir/old and dir/new, got paths {sorted(ids)}")
if old != new or len(old) != 1:
    sys.exit(f"FAIL: file ids differ: dir/old {old}, dir/new {new}")
t_old = max(e['t'] for e in evs if e.get('path') == 'dir/old' and e['op'] == 'read')
t_new = min(e['t'] for e in evs if e.get('path') == 'dir/new' and e['op'] == 'read')
if t_old > t_new:
    sys.exit("FAIL: a read under the new name precedes one under the old name")
PY
