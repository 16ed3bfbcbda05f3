#!/usr/bin/env bash
# label_read: READs caused by read(), pread(), readv() (sequential and random)
# are labelled "read", by sendfile() "copy", and io_uring reads and writes
# (inline and by iou-wrk workers) "io_uring": all of them under BPF labels
# in both read modes (async readahead included) and under /proc labels with
# sync reads.
. "$SRCDIR/tests/integration/label_common.sh"

truncate -s 8M "$SRC/seq" "$SRC/rand" "$SRC/prand" "$SRC/vec" "$SRC/big" "$SRC/sf" "$SRC/ur"
for cfg in $LABEL_CONFIGS; do
	label_mount "$cfg"
	strict=$LABEL_STRICT
	label_run read_seq "$strict" gt_read -m read "$MNT/seq"
	label_run read_rand "$strict" gt_read -m read -r -n 300 "$MNT/rand"
	label_run pread_rand "$strict" gt_read -m pread -r -n 300 "$MNT/prand"
	label_run readv_seq "$strict" gt_read -m readv -b 64k "$MNT/vec"
	label_run read_1m "$strict" gt_read -m read -b 1m "$MNT/big"
	label_run sendfile "$strict" gt_sendfile "$MNT/sf"
	if [ -x "$PROGRAMS/gt_uring" ]; then	# built with liburing
		label_run io_uring_read "$strict" gt_uring "$MNT/ur"
		label_run io_uring_write "$strict" gt_uring -w -s 2m "$MNT/uw_${cfg/:/_}"
	fi
	label_check
done
