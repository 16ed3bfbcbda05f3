#!/usr/bin/env bash
# label_bpf_two_mounts: two accessfs mounts with BPF labels at once, each
# read by its own program at the same time, each label exactly its own
# requests.  Both connections number their requests from the same start, so
# a program that recorded the other mount's requests would hand a worker
# the other's record for the same unique id: read() labelled mmap.  Their
# app-side views are apart too: each has its own file, by its own method.
. "$SRCDIR/tests/integration/label_bpf_common.sh"

SRC2=$T/src2 MNT2=$T/mnt2
mkdir -p "$SRC2" "$MNT2"
truncate -s 8M "$SRC/a" "$SRC2/b"

TRACE=$T/trace.a
mount_accessfs -o async_read
require_bpf_labels
pid_a=$DAEMON_PID
TRACE=$T/trace.b MOUNT_SRC=$SRC2 MOUNT_MNT=$MNT2 mount_accessfs -o async_read
pid_b=$DAEMON_PID

drop_caches
"$PROGRAMS/gt_read" -g "$T/a.gt" -m read "$MNT/a" & reader=$!
"$PROGRAMS/gt_mmap" -g "$T/b.gt" "$MNT2/b" || fail "gt_mmap failed"
wait "$reader" || fail "gt_read failed"

DAEMON_PID=$pid_b MOUNT_MNT=$MNT2 unmount_accessfs
DAEMON_PID=$pid_a
unmount_accessfs
"$PROGRAMS/gt_check" -c 99.9 -w 0 "$T/trace.a" "$T/a.gt" || fail "mount a's labels"
"$PROGRAMS/gt_check" -c 99.9 -w 0 "$T/trace.b" "$T/b.gt" || fail "mount b's labels"
for t in a b; do
	"$ACCESSFS" report "$T/trace.$t" | grep "labels from bpf$" >/dev/null ||
		fail "mount $t: some requests were not labelled by BPF"
done
# page_cache_of TRACE: "path method" of each row of its app-side view.
page_cache_of() {
	"$ACCESSFS" report --format json "$1" | python3 -c '
import json, sys
for r in json.load(sys.stdin)["page_cache"]["files"]:
    print(r["path"], r["method"])'
}
[ "$(page_cache_of "$T/trace.a")" = "a read" ] ||
	fail "mount a's app-side view: $(page_cache_of "$T/trace.a" | tr '\n' ' ')"
[ "$(page_cache_of "$T/trace.b")" = "b mmap" ] ||
	fail "mount b's app-side view: $(page_cache_of "$T/trace.b" | tr '\n' ' ')"
