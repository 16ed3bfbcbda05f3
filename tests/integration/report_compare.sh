#!/usr/bin/env bash
# report_compare: the same file read whole with read() on one mount and
# through an mmap on another; "accessfs report --compare A B" must say A
# was read by read() and B by mmap faults, and the single-trace JSON and
# CSV outputs must parse and agree on the bytes read.
. "$SRCDIR/tests/integration/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root (drop_caches)"
command -v python3 >/dev/null || skip "python3 is not installed (it parses the outputs)"

size=$((8 << 20))
head -c "$size" /dev/urandom > "$SRC/data.bin"

# A: read() through cat; ls gives the mount root events of its own.
TRACE=$T/a.trace
mount_accessfs -o sync_read
drop_caches
ls "$MNT" > /dev/null
cat "$MNT/data.bin" > /dev/null
unmount_accessfs

# B: page faults on a shared mapping, touching every page.
TRACE=$T/b.trace
mount_accessfs -o sync_read
drop_caches
python3 - "$MNT/data.bin" <<'PY'
import mmap, sys
with open(sys.argv[1], "rb") as f:
    m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
    total = sum(m[i] for i in range(0, len(m), 4096))
    m.close()
PY
unmount_accessfs

"$ACCESSFS" report --compare "$T/a.trace" "$T/b.trace" > "$T/cmp.txt" || fail "report --compare failed"
cat "$T/cmp.txt" >&2
grep -q "methods A: read" "$T/cmp.txt" || fail "text compare does not say A was mostly read"
grep -q "methods B: mmap" "$T/cmp.txt" || fail "text compare does not say B was mostly mmap"

"$ACCESSFS" report --compare "$T/a.trace" "$T/b.trace" --format json > "$T/cmp.json" ||
	fail "report --compare --format json failed"
python3 - "$T/cmp.json" "$size" <<'PY' || fail "compare JSON does not show read vs mmap"
import json, sys
d = json.load(open(sys.argv[1]))
size = int(sys.argv[2])
f = [x for x in d["files"] if x["path"] == "data.bin"][0]
a, b = f["a"]["method_bytes"], f["b"]["method_bytes"]
def share(mb, m):
    return mb.get(m, 0) / max(1, sum(mb.values()))
assert share(a, "read") >= 0.9, ("A not mostly read", a)
assert share(b, "mmap") >= 0.9, ("B not mostly mmap", b)
assert f["a"]["bytes"] >= size and f["b"]["bytes"] >= size, f
assert f["ratio_b_a"]["requests"] is not None
PY

"$ACCESSFS" report "$T/a.trace" --format json -o "$T/a.json" || fail "report --format json failed"
"$ACCESSFS" report "$T/a.trace" --format csv -o "$T/a.csv" || fail "report --format csv failed"
python3 - "$T/a.json" "$T/a.csv" "$size" <<'PY' || fail "JSON and CSV disagree or do not parse"
import csv, json, sys
d = json.load(open(sys.argv[1]))
assert d["schema_version"] == 1
f = [x for x in d["files"] if x["path"] == "data.bin"][0]
read = f["counters"]["POSIX_BYTES_READ"]
assert read >= int(sys.argv[3]), read
assert f["counters"]["ACCESSFS_UNIQUE_BYTES"] == int(sys.argv[3]), f["counters"]
assert f["counters"]["POSIX_OPENS"] >= 1
rows = list(csv.DictReader(open(sys.argv[2], newline="")))
row = [r for r in rows if r["path"] == "data.bin" and r["method"] == "all"][0]
assert int(row["POSIX_BYTES_READ"]) == read, (row["POSIX_BYTES_READ"], read)
assert d["traces"][0]["clean_end"] is True
# The mount root is "/" in every format, never an empty path.
assert [x for x in d["files"] if x["path"] == "/"], "no mount root in JSON"
assert not [x for x in d["files"] if x["path"] in ("", ".")], "root printed as '' or '.'"
assert [r for r in rows if r["path"] == "/"], "no mount root in CSV"
PY
"$ACCESSFS" report "$T/a.trace" --top 1000 > "$T/a.txt" || fail "report (text) failed"
grep -q '^/ ' "$T/a.txt" || fail 'the text report does not show the mount root as "/"'
