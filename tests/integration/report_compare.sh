#!/usr/bin/env bash
# report_compare: the same file read whole with read() on one mount,
# through an mmap on another, and twice with read() on a third;
# "accessfs report --compare A B" must say A was read by read() and B by
# mmap faults, in the layout two runs always had; "--compare A B C" must
# put the three side by side with B/A and C/A (C moved twice A's bytes);
# and the single-trace JSON and CSV outputs must parse and agree on the
# bytes read.
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

# C: read() twice, so twice A's bytes.
TRACE=$T/c.trace
mount_accessfs -o sync_read
drop_caches
cat "$MNT/data.bin" > /dev/null
cat "$MNT/data.bin" > /dev/null
unmount_accessfs

"$ACCESSFS" report --compare "$T/a.trace" "$T/b.trace" > "$T/cmp.txt" || fail "report --compare failed"
cat "$T/cmp.txt" >&2
grep -q "methods A: read" "$T/cmp.txt" || fail "text compare does not say A was mostly read"
grep -q "methods B: mmap" "$T/cmp.txt" || fail "text compare does not say B was mostly mmap"
# Two runs keep their columns: A and B 12 wide, B/A 8.
grep -qx "total                             A            B      B/A" "$T/cmp.txt" ||
	fail "the two-run layout changed"
grep -q "methods C:" "$T/cmp.txt" && fail "a two-run compare shows a third run"

"$ACCESSFS" report --compare "$T/a.trace" "$T/b.trace" "$T/c.trace" > "$T/cmp3.txt" ||
	fail "report --compare with three traces failed"
cat "$T/cmp3.txt" >&2
grep -q "^C: $T/c.trace" "$T/cmp3.txt" || fail "three-run compare does not name C"
grep -qE '^total +A +B +C +B/A +C/A$' "$T/cmp3.txt" || fail "three-run compare lacks its columns"
grep -q "methods C: read" "$T/cmp3.txt" || fail "three-run compare does not say C was mostly read"
# The table fits 80 columns (the trace lines name paths and options as they are).
awk '!/^[A-Z]: / && length > 80 { bad = 1 } END { exit bad }' "$T/cmp3.txt" ||
	fail "three-run compare table is wider than 80"

"$ACCESSFS" report --compare "$T/a.trace" > /dev/null 2>&1 && fail "--compare with one trace succeeded"
[ $? -eq 2 ] || fail "--compare with one trace is not a usage error (exit 2)"

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
assert sorted(d["compare"]) == ["a", "b"], d["compare"]
assert "c" not in f and "ratio_c_a" not in f, f
PY

"$ACCESSFS" report --compare "$T/a.trace" "$T/b.trace" "$T/c.trace" --format json > "$T/cmp3.json" ||
	fail "report --compare A B C --format json failed"
python3 - "$T/cmp3.json" "$T" "$size" <<'PY' || fail "three-run compare JSON is wrong"
import json, sys
d = json.load(open(sys.argv[1]))
t, size = sys.argv[2], int(sys.argv[3])
assert d["compare"] == {"a": t + "/a.trace", "b": t + "/b.trace", "c": t + "/c.trace"}, d["compare"]
assert set(d["total"]) == {"a", "b", "c", "ratio_b_a", "ratio_c_a"}, d["total"].keys()
f = [x for x in d["files"] if x["path"] == "data.bin"][0]
c = f["c"]["method_bytes"]
assert c.get("read", 0) / max(1, sum(c.values())) >= 0.9, ("C not mostly read", c)
assert f["c"]["bytes"] >= 2 * size, f["c"]
# C read the file twice, A once: about twice the bytes.
assert 1.8 <= f["ratio_c_a"]["bytes"] <= 2.2, f["ratio_c_a"]
assert f["ratio_c_a"]["bytes"] == f["c"]["bytes"] / f["a"]["bytes"], f
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
