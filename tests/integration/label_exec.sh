#!/usr/bin/env bash
# label_exec: a program that execs with a dirty mapping and an O_CLOEXEC
# descriptor of a file on the mount (writeback and FLUSH sent from inside
# execve, which holds the lock /proc reads need) finishes, and the mount
# stays usable: the classifier's /proc reads there give up instead of hanging.
. "$SRCDIR/tests/integration/label_common.sh"

truncate -s 1M "$SRC/exec"
label_mount sync_read
for i in 1 2 3; do
	drop_caches
	timeout 20 "$PROGRAMS/gt_exec" -g "$T/exec.gt" "$MNT/exec" ||
		fail "gt_exec run $i failed or hung (exit $?)"
done
timeout 10 cat "$MNT/exec" > /dev/null || fail "the mount hangs after the execs"
LABEL_RUNS+=("exec|$T/exec.gt|-c 99.9 -w 0")
label_check
