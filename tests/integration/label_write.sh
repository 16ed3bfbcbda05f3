#!/usr/bin/env bash
# label_write: write() is labelled "write"; dirty mapped pages written back
# (pid 0) get the trigger the program was inside when each WRITE arrived:
# msync, fsync, close, munmap or exit, and "flusher" for writeback started
# earlier (dirty throttling while the program stores); FSYNC and FLUSH carry
# the syscall that sent them (also for a file the program created).  1 MiB
# dirty, and 64 MiB for msync and close: with the bdi's strict_limit (the
# flusher writes most of it first) and without (64 MiB stay dirty for the
# trigger, and most WRITEs are sent later by daemon threads: BPF labels them
# by who queued them).  Under /proc, a thread caught running with no telling
# kernel stack makes some 64 MiB WRITEs "unknown", and a scan that runs late
# can see the trigger begin (measured 72-100% correct, 0-6% wrong): those
# need 50% correct, <= 10% wrong there.
. "$SRCDIR/tests/integration/label_common.sh"

for t in msync fsync close munmap exit; do truncate -s 1M "$SRC/w_$t"; done
truncate -s 64M "$SRC/w64_msync" "$SRC/w64_close" "$SRC/w64_nostrict"
for cfg in $LABEL_CONFIGS; do
	label_mount "$cfg"
	strict=$LABEL_STRICT
	label_run write_4k "$strict" gt_write -s 8m "$MNT/wr_${cfg/:/_}"
	label_run mmap_msync "$strict -n write:writeback:msync -n fsync:none" \
		gt_mmap_write -t msync "$MNT/w_msync"
	label_run mmap_fsync "$strict -n write:writeback:fsync -n fsync:none" \
		gt_mmap_write -t fsync "$MNT/w_fsync"
	label_run mmap_close "$strict -n write:writeback:close" gt_mmap_write -t close "$MNT/w_close"
	label_run mmap_munmap "$strict -n write:writeback:munmap" \
		gt_mmap_write -t munmap "$MNT/w_munmap"
	label_run mmap_exit "$strict -n write:writeback:exit" gt_mmap_write -t exit "$MNT/w_exit"
	label_run mmap_msync_created "$strict -n write:writeback:msync" \
		gt_mmap_write -t msync -c 1m "$MNT/w_created_${cfg/:/_}"
	big="-c 50 -w 10"
	[ "$LABEL_SOURCE" = bpf ] && big=$strict
	label_run mmap_msync_64m "$big" gt_mmap_write -t msync "$MNT/w64_msync"
	label_run mmap_close_64m "$big" gt_mmap_write -t close "$MNT/w64_close"
	bdi_strict_limit 0
	label_run mmap_msync_64m_nostrict "$big -n write:writeback:msync" \
		gt_mmap_write -t msync "$MNT/w64_nostrict"
	bdi_strict_limit 1
	label_check
	for t in msync fsync close munmap exit; do truncate -s 0 "$SRC/w_$t"; truncate -s 1M "$SRC/w_$t"; done
done
