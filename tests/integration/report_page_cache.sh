#!/usr/bin/env bash
# report_page_cache: the app-side view's numbers are exact for programs
# whose page-cache traffic is known (tests/programs/gt_page_cache.c):
# read() of a file twice on one descriptor asks for 2x its size and
# storage sees 1x; N mmap faults at fault-around strides count N faults
# and N windows of pages; write() and pwrite() bytes and calls are what
# the program did.  Under labels=proc the report says the view is
# unavailable instead of showing zeros.
. "$SRCDIR/tests/integration/label_bpf_common.sh"

GT=$PROGRAMS/gt_page_cache
page=$(getconf PAGESIZE)
around=$(cat /sys/kernel/debug/fault_around_bytes 2>/dev/null || echo 65536)
stride=$((around / page))
faults=8

head -c 1048576 /dev/urandom > "$SRC/twice"
head -c $((faults * stride * page)) /dev/urandom > "$SRC/mapped"
head -c $((faults * stride * page)) /dev/urandom > "$SRC/cold"

mount_accessfs
require_bpf_labels
"$GT" reread "$MNT/twice" 65536
"$GT" touch "$MNT/mapped" "$faults" "$stride"
"$GT" touch "$MNT/cold" "$faults" "$stride" cold
"$GT" write "$MNT/written" 5 10000
unmount_accessfs

"$ACCESSFS" report --format json "$TRACE" > "$T/report.json"
python3 - "$T/report.json" "$faults" "$stride" <<'PY' || fail "page_cache numbers (above)"
import json, sys
pc = json.load(open(sys.argv[1]))["page_cache"]
faults, stride = int(sys.argv[2]), int(sys.argv[3])
rows = {(r["path"], r["method"]): r for r in pc["files"]}
bad = []
def want(key, field, value):
    r = rows.get(key)
    got = r and r[field]
    if got != value:
        bad.append(f"{key} {field}: {got}, want {value}")
    else:
        print(f"ok {key} {field} = {got}")
assert pc["available"] is True, pc
want(("twice", "read"), "asked_bytes", 2 * 1048576)
want(("twice", "read"), "calls", 2 * 16)
want(("twice", "read"), "storage_bytes", 1048576)
want(("mapped", "mmap"), "faults", faults)
want(("mapped", "mmap"), "major_faults", 0)
want(("mapped", "mmap"), "mapped_pages", faults * stride)
want(("cold", "mmap"), "faults", faults)
want(("written", "write"), "bytes", 100000)
want(("written", "write"), "calls", 10)
want(("written", "write"), "storage_bytes", 100000)
cold = rows.get(("cold", "mmap"))
if not cold or cold["major_faults"] < 1:
    bad.append(f"cold mmap: no major fault: {cold}")
if rows.get(("twice", "read"), {}).get("processes", [{}])[0].get("comm") != "gt_page_cache":
    bad.append("twice: not named after its process")
for b in bad:
    print("FAIL", b)
sys.exit(1 if bad else 0)
PY
"$ACCESSFS" report --format json "$TRACE" | python3 -c '
import json, sys
rows = json.load(sys.stdin)["page_cache"]["files"]
want = ("gt_page_cache asked for 2.0 MiB of twice by read(); 1.0 MiB reached "
        "storage (50% page-cache hits)")
sys.exit(not any(r["text"] == want for r in rows))' || fail "the sentence for twice"
"$ACCESSFS" report "$TRACE" | tr -s " \n" " " | grep "asked for 2.0 MiB of twice by read(); 1.0 MiB reached storage (50% page-cache hits)" >/dev/null ||
	fail "the text report's sentence for twice"

# labels=proc: no BPF, so no app-side view, and the report says so.
rm -f "$TRACE"
mount_accessfs -o labels=proc
"$GT" reread "$MNT/twice" 65536
unmount_accessfs
"$ACCESSFS" report --format json "$TRACE" |
	python3 -c 'import json, sys; pc = json.load(sys.stdin)["page_cache"]; sys.exit(pc["available"] is not False)' ||
	fail "labels=proc: page_cache not reported unavailable"
"$ACCESSFS" report "$TRACE" | tr -s " \n" " " | grep "unavailable: no trace had the app-side counters" >/dev/null ||
	fail "labels=proc: the text report does not say the view is unavailable"

# app_counters=0: BPF labels, but the view left out as asked.
rm -f "$TRACE"
mount_accessfs -o app_counters=0
"$GT" reread "$MNT/twice" 65536
unmount_accessfs
"$ACCESSFS" report --format json "$TRACE" |
	python3 -c 'import json, sys; r = json.load(sys.stdin); sys.exit(r["page_cache"]["available"] is not False or "bpf" not in json.dumps(r))' ||
	fail "app_counters=0: page_cache not reported unavailable (or labels not from bpf)"
echo "report_page_cache: ok"
