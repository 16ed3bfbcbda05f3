#!/usr/bin/env bash
# fs_flush: a close() through the mount reaches a backing filesystem that
# has a flush of its own.  accessfs over accessfs: each FLUSH the outer
# mount gets is passed to the inner one (a close of a duplicate), so the
# inner mount sees one FLUSH per close through the outer, beside the one
# the outer's own RELEASE makes.  On a backing without ->flush (tmpfs,
# ext4) FLUSH is answered without that close; programs see no difference.
. "$SRCDIR/tests/integration/lib.sh"

command -v python3 > /dev/null || skip "no python3"
CLOSES=5
echo data > "$SRC/file"
close_n_times() {
	python3 - "$1" "$CLOSES" <<'PY'
import os, sys
for _ in range(int(sys.argv[2])):
    fd = os.open(sys.argv[1], os.O_RDONLY)
    os.close(fd)
PY
}
op_count() {	# op_count TRACE OP: how many events of OP the trace holds
	"$ACCESSFS" dump --op "$2" "$1" | wc -l
}

# A FUSE backing: the outer mount's FLUSHes must reach it.
INNER=$T/inner
mkdir "$INNER"
TRACE=$T/inner.trace MOUNT_MNT=$INNER mount_accessfs
"$ACCESSFS" -f -o "trace=$T/outer.trace" "$INNER" "$MNT" > /dev/null 2> "$T/outer.err" &
OUTER_PID=$!
for _ in $(seq 1 200); do
	grep -q " $MNT fuse" /proc/mounts && break
	kill -0 "$OUTER_PID" 2> /dev/null || { cat "$T/outer.err" >&2; fail "outer mount failed"; }
	sleep 0.05
done
close_n_times "$MNT/file" || fail "open and close through the outer mount failed"
fusermount3 -u "$MNT" || fail "fusermount3 -u $MNT failed"
wait "$OUTER_PID" || fail "outer daemon exited with $?"
MOUNT_MNT=$INNER unmount_accessfs
outer_flush=$(op_count "$T/outer.trace" flush)
outer_release=$(op_count "$T/outer.trace" release)
assert_eq "$outer_flush" "$CLOSES" "FLUSHes the outer mount got"
assert_eq "$(op_count "$T/inner.trace" flush)" "$((outer_flush + outer_release))" \
	"FLUSHes reaching the inner mount (outer's flushes + its releases)"

# A backing without ->flush: close() still succeeds and is traced.
rm -f "$TRACE"
mount_accessfs
close_n_times "$MNT/file" || fail "open and close on a local backing failed"
unmount_accessfs
assert_eq "$("$ACCESSFS" dump --op flush "$TRACE" | grep -c '"result":0')" "$CLOSES" \
	"FLUSHes on a local backing, each answered 0"
