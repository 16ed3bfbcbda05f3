#!/bin/bash
# uring_kill9 DAEMON: kill -9 of DAEMON (accessfs, or bench/null_fuse) with
# -o uring while its io_uring queues hold requests leaves a mount that fails
# with ENOTCONN: the daemon dies, every process that was using the mount
# returns, and the mount comes off.  The kernel cancels the ring commands
# (fuse_uring_cancel()) and aborts the connection when /dev/fuse closes;
# this is the test that nothing waits for an answer that will never come.
. "$SRCDIR/tests/integration/lib.sh"
WHO=${1:?usage: uring_kill9.sh accessfs|null_fuse}
[ "$WHO" = accessfs ] || : "${NULL_FUSE:?NULL_FUSE must point at bench/null_fuse}"

need_fuse_uring
echo Y >"$FUSE_URING_PARAM"

# running PID: true while PID exists and is not a zombie waiting for us.
running() {
	local state
	state=$(awk '{print $3}' /proc/"$1"/stat 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ]
}

if [ "$WHO" = accessfs ]; then	# serves read.dat from $SRC, tracing
	truncate -s 64M "$SRC/read.dat"
	"$ACCESSFS" -f -o uring,trace="$TRACE" "$SRC" "$MNT" >/dev/null 2>"$T/daemon.err" &
else
	"$NULL_FUSE" -f -o size=$((64 << 20)),uring "$MNT" >/dev/null 2>"$T/daemon.err" &
fi
DAEMON_PID=$!
for _ in $(seq 1 200); do
	grep -q " $MNT fuse" /proc/mounts && break
	sleep 0.05
done
grep -q " $MNT fuse" /proc/mounts || fail "$WHO did not mount: $(cat "$T/daemon.err")"

wait_for_rings "$DAEMON_PID"
ncpu=$(getconf _NPROCESSORS_CONF)

# Keep requests in flight on every CPU: metadata and reads, for 4 s.
workers=()
for cpu in $(seq 0 $((ncpu - 1))); do
	taskset -c "$cpu" bash -c 'end=$((SECONDS + 4)); i=0
		while [ $SECONDS -lt $end ]; do
			stat "$1/missing$((i++))" "$1/read.dat" >/dev/null 2>&1
			dd if="$1/read.dat" of=/dev/null bs=4k count=64 2>/dev/null
		done' _ "$MNT" &
	workers+=($!)
done
sleep 1
kill -9 "$DAEMON_PID"

# The daemon must die: io_uring teardown may not wait on the FUSE commands.
for _ in $(seq 1 100); do
	running "$DAEMON_PID" || break
	sleep 0.1
done
running "$DAEMON_PID" &&
	fail "$WHO still exists 10 s after kill -9 (wchan $(cat /proc/"$DAEMON_PID"/wchan 2>/dev/null))"
wait "$DAEMON_PID" 2>/dev/null || true
DAEMON_PID=

err=$(timeout 10 stat "$MNT/read.dat" 2>&1 >/dev/null) && fail "stat after kill -9 succeeded"
# ENOTCONN, or ECONNABORTED where the ring teardown ended the request
# (fuse_uring_abort_end_requests()): either is the mount failing cleanly.
case $err in
*"Transport endpoint is not connected"* | *"Software caused connection abort"*) ;;
*) fail "stat after kill -9: want ENOTCONN or ECONNABORTED, got: $err" ;;
esac

# Every worker returns by itself (each runs 4 s); none is stuck in the kernel.
for _ in $(seq 1 100); do
	alive=0
	for w in "${workers[@]}"; do running "$w" && alive=$((alive + 1)); done
	[ "$alive" -eq 0 ] && break
	sleep 0.1
done
[ "$alive" -eq 0 ] || fail "$alive worker(s) still running 10 s after the daemon died"
wait "${workers[@]}" 2>/dev/null || true

timeout 10 fusermount3 -u "$MNT" || timeout 10 fusermount3 -uz "$MNT" ||
	fail "fusermount3 -u after kill -9 failed or hung"
grep -q " $MNT " /proc/mounts && fail "$MNT still mounted"
exit 0
