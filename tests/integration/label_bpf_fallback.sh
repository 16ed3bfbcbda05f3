#!/usr/bin/env bash
# label_bpf_fallback: when the BPF label source cannot load (forced here with
# ACCESSFS_BPF_FAIL), the mount still serves, says so in exactly one stderr
# line, records label_source proc and labels from /proc as before; labels=proc
# and labels=off (and classify=0, its old spelling) are recorded as such.
# The read mode follows: async reads (the kernel's own) with BPF labels,
# sync reads when labels come from /proc, unless one was asked for.
. "$SRCDIR/tests/integration/label_bpf_common.sh"

truncate -s 1M "$SRC/f"

# The default where BPF loads.
TRACE=$T/trace.default
mount_accessfs
require_bpf_labels
cat "$MNT/f" > /dev/null
unmount_accessfs
assert_eq "$(label_source_of "$TRACE")" bpf "label source by default"
assert_eq "$(header_field_of "$TRACE" 13)" 1 "async_read with BPF labels by default"

# Forced failure: one line, then /proc labels.
TRACE=$T/trace.forced
ACCESSFS_BPF_FAIL=1 mount_accessfs -o labels=bpf
drop_caches
"$PROGRAMS/gt_read" -g "$T/read.gt" -m pread -r -n 50 "$MNT/f" || fail "gt_read failed"
unmount_accessfs
assert_eq "$(grep -c "BPF labels" "$T/daemon.err")" 1 "stderr lines about BPF labels"
grep -q "labels come from /proc" "$T/daemon.err" || fail "the fallback line does not say where labels come from"
assert_eq "$(label_source_of "$TRACE")" proc "label source after a failed load"
assert_eq "$(header_field_of "$TRACE" 13)" 0 "async_read when labels come from /proc"
"$PROGRAMS/gt_check" -c 99.9 -w 0 "$TRACE" "$T/read.gt" || fail "/proc labels after the fallback"

for opt in labels=proc labels=off classify=0; do
	TRACE=$T/trace.$opt
	mount_accessfs -o "$opt"
	cat "$MNT/f" > /dev/null
	unmount_accessfs
	want=${opt#labels=}
	[ "$opt" = classify=0 ] && want=off
	assert_eq "$(label_source_of "$TRACE")" "$want" "label source with -o $opt"
	! grep -q "BPF labels" "$T/daemon.err" || fail "-o $opt talks about BPF"
done
