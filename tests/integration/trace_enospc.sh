#!/bin/bash
# trace_enospc: when the trace's filesystem fills up, the mount keeps
# serving correct data, the daemon says so once on stderr, and once space
# is back the trace records how many events were lost (LOST/END records).
. "$SRCDIR/tests/integration/lib.sh"

mkdir "$T/small"
mount -t tmpfs -o size=64k tmpfs "$T/small" || skip "cannot mount a tmpfs"
TRACE=$T/small/trace
mount_accessfs

for i in $(seq 400); do
	head -c 4096 /dev/urandom >"$T/data$i"
	cp "$T/data$i" "$MNT/f$i"
done
drop_caches
for i in $(seq 400); do
	cmp -s "$T/data$i" "$MNT/f$i" || fail "f$i read back differs through the mount"
done
[ "$(stat -c %s "$TRACE")" -le 65536 ] || fail "trace larger than its filesystem?"

mount -o remount,size=4m "$T/small" || fail "cannot grow the tmpfs back"
fusermount3 -u "$MNT" || fail "fusermount3 -u failed"
wait "$DAEMON_PID" || true	# the daemon reports the loss with its exit status
DAEMON_PID=

notices=$(grep -c "events are being counted, not recorded" "$T/daemon.err" || true)
[ "$notices" -eq 1 ] || fail "expected one notice, got $notices: $(cat "$T/daemon.err")"
grep -q "No space left on device" "$T/daemon.err" || fail "notice does not say ENOSPC"
"$ACCESSFS" dump "$TRACE" >/dev/null 2>"$T/dump.err" || fail "dump failed: $(cat "$T/dump.err")"
grep -q "events were lost while recording" "$T/dump.err" ||
	fail "dump does not report the loss: $(cat "$T/dump.err")"
grep -q "no end record\|incomplete\|corrupt" "$T/dump.err" &&
	fail "trace not cleanly ended: $(cat "$T/dump.err")"
exit 0
