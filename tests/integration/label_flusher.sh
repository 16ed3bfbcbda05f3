#!/usr/bin/env bash
# label_flusher: dirty mapped pages left alone are written back by the
# kernel's flusher, and labelled so: the program waits (cachestat, at most
# 40 s) until none of its pages is dirty, so no other trigger can occur.
. "$SRCDIR/tests/integration/label_common.sh"

truncate -s 1M "$SRC/w_flusher"
label_mount bpf:sync_read
label_run mmap_flusher "-c 99.9 -w 0 -n write:writeback:flusher" \
	gt_mmap_write -t flusher -w 40 "$MNT/w_flusher"
label_check
