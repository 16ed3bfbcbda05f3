#!/usr/bin/env bash
# label_write: write() is labelled "write"; dirty mapped pages written back
# (pid 0) get the trigger the program was inside when each WRITE arrived:
# msync, fsync, close, munmap or exit, and "flusher" for writeback started
# earlier (dirty throttling while the program stores); FSYNC and FLUSH carry
# the syscall that sent them.  1 MiB dirty, and 64 MiB for msync and close,
# where a thread caught running with no telling kernel stack makes a few
# WRITEs "unknown" (never a wrong trigger): those need only 80% correct.
. "$SRCDIR/tests/integration/label_common.sh"

for t in msync fsync close munmap exit; do truncate -s 1M "$SRC/w_$t"; done
truncate -s 64M "$SRC/w64_msync" "$SRC/w64_close"
for mode in sync_read async_read; do
	strict="-c 99.9 -w 0"
	[ $mode = async_read ] && strict="-c 90 -w 0"
	label_mount $mode
	label_run write_4k "$strict" gt_write -s 8m "$MNT/wr_$mode"
	label_run mmap_msync "$strict -n write:writeback:msync -n fsync:none" \
		gt_mmap_write -t msync "$MNT/w_msync"
	label_run mmap_fsync "$strict -n write:writeback:fsync -n fsync:none" \
		gt_mmap_write -t fsync "$MNT/w_fsync"
	label_run mmap_close "$strict -n write:writeback:close" gt_mmap_write -t close "$MNT/w_close"
	label_run mmap_munmap "$strict -n write:writeback:munmap" \
		gt_mmap_write -t munmap "$MNT/w_munmap"
	label_run mmap_exit "$strict -n write:writeback:exit" gt_mmap_write -t exit "$MNT/w_exit"
	label_run mmap_msync_64m "-c 80 -w 0" gt_mmap_write -t msync "$MNT/w64_msync"
	label_run mmap_close_64m "-c 80 -w 0" gt_mmap_write -t close "$MNT/w64_close"
	label_check
	for t in msync fsync close munmap exit; do truncate -s 0 "$SRC/w_$t"; truncate -s 1M "$SRC/w_$t"; done
done
