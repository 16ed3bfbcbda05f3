#!/usr/bin/env bash
# label_exec: a program that execs with a dirty mapping and an O_CLOEXEC
# descriptor of a file on the mount (writeback and FLUSH sent from inside
# execve, which holds the lock /proc reads need) finishes, and the mount
# stays usable: the classifier's /proc reads there give up instead of hanging.
# Under both label sources (BPF still reads /proc for names and mappings).
. "$SRCDIR/tests/integration/label_common.sh"

truncate -s 1M "$SRC/exec"
for cfg in bpf:sync_read proc:sync_read; do
	label_mount "$cfg"
	for i in 1 2 3; do
		drop_caches
		timeout 20 "$PROGRAMS/gt_exec" -g "$T/exec.gt" "$MNT/exec" ||
			fail "gt_exec run $i failed or hung (exit $?)"
	done
	timeout 10 cat "$MNT/exec" > /dev/null || fail "the mount hangs after the execs"
	LABEL_RUNS+=("exec|$T/exec.gt|$LABEL_STRICT")
	label_check
done
