#!/usr/bin/env bash
# label_reclaim: dirty mapped pages that a memory cgroup smaller than the
# mapping cannot hold are written back for memory reclaim (mm/vmscan.c wakes
# the flusher with WB_REASON_VMSCAN), and BPF labels that writeback
# "reclaim".  The bdi's strict_limit is off, so the flusher does not start
# on its own first (doc/labels.md "64 MiB writeback").  BPF labels only:
# /proc cannot tell reclaim's writeback from the flusher's.
. "$SRCDIR/tests/integration/label_common.sh"

# A memory cgroup of 16 MiB: v2 (memory.max) where the memory controller
# is there, else v1 (memory.limit_in_bytes).
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
	CG=/sys/fs/cgroup/accessfs-reclaim.$$ LIMIT=memory.max
elif [ -d /sys/fs/cgroup/memory ]; then
	CG=/sys/fs/cgroup/memory/accessfs-reclaim.$$ LIMIT=memory.limit_in_bytes
else
	skip "no memory cgroup controller"
fi
mkdir "$CG" || skip "cannot create a memory cgroup"
# Remove the cgroup too on any exit, then lib.sh's cleanup (with our status).
reclaim_cleanup() {
	local rc=$?
	rmdir "$CG" 2>/dev/null || true
	(exit $rc)
	cleanup
}
trap reclaim_cleanup EXIT
echo $((16 << 20)) > "$CG/$LIMIT"

truncate -s 64M "$SRC/reclaim"
label_mount bpf:async_read
[ "$LABEL_SOURCE" = bpf ] || skip "BPF labels did not load"
bdi_strict_limit 0
drop_caches
sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$CG" \
	"$PROGRAMS/gt_mmap_write" -r -g "$T/reclaim.gt" -t msync "$MNT/reclaim" ||
	fail "gt_mmap_write in a 16 MiB cgroup failed"
LABEL_RUNS+=("reclaim|$T/reclaim.gt|$LABEL_STRICT -n write:writeback:reclaim")
label_check
