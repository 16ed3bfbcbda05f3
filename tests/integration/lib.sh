# tests/integration/lib.sh - sourced by every integration test.
#
# Gives each test a private temporary tree ($T) with a backing directory
# ($SRC) and a mountpoint ($MNT), mounts accessfs in the foreground in the
# background (so the test knows the daemon's pid and exit status), and
# always unmounts and cleans up on exit, whether the test passed or not.
#
# Environment from meson: ACCESSFS (the binary), PROGRAMS (ground-truth
# programs), SRCDIR (source tree).  Exit 0 = pass, 77 = skipped (meson shows
# it as SKIP, never as a pass), anything else = fail.
set -euo pipefail

: "${ACCESSFS:?ACCESSFS must point at the accessfs binary}"
T=$(mktemp -d /tmp/accessfs-test.XXXXXX)
SRC=$T/src
MNT=$T/mnt
TRACE=$T/trace
mkdir -p "$SRC" "$MNT"
DAEMON_PID=

cleanup() {
	local rc=$?
	# Bounded: a test that failed must not hang on its way out.
	if mountpoint -q "$MNT" 2>/dev/null; then
		timeout 10 fusermount3 -u "$MNT" 2>/dev/null || timeout 10 fusermount3 -uz "$MNT" 2>/dev/null ||
			timeout 10 umount -l "$MNT" 2>/dev/null || true
	fi
	if [ -n "$DAEMON_PID" ]; then
		kill "$DAEMON_PID" 2>/dev/null || true
		for _ in $(seq 1 100); do	# 10 s, then SIGKILL: never hang here
			case $(awk '{print $3}' /proc/"$DAEMON_PID"/stat 2>/dev/null) in
			"" | Z) break ;;	# gone, or exited and waiting for us
			esac
			sleep 0.1
		done
		kill -9 "$DAEMON_PID" 2>/dev/null || true
		wait "$DAEMON_PID" 2>/dev/null || true
	fi
	# Anything else a test mounted under $T.
	{ grep " $T/" /proc/mounts 2>/dev/null || true; } | awk '{print $2}' | while read -r m; do
		timeout 10 fusermount3 -uz "$m" 2>/dev/null || timeout 10 umount -l "$m" 2>/dev/null || true
	done
	rm -rf "$T"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

note() {
	echo "# $*" >&2
}

# mount_accessfs [accessfs options...]: mount $SRC at $MNT, tracing to $TRACE
# unless the options say otherwise; waits until the mount is up.  Under
# URING_REQUIRED=1 (uring_suite.sh) the mount must take its requests over
# FUSE over io_uring: -o uring, and the daemon's rings must all be set up.
mount_accessfs() {
	local src=${MOUNT_SRC:-$SRC} mnt=${MOUNT_MNT:-$MNT} uring=()
	[ "${URING_REQUIRED:-0}" = 1 ] && uring=(-o uring)
	# stdout to /dev/null: a daemon that outlives the test must not hold
	# the test's stdout, or meson waits for it and shows nothing.
	"$ACCESSFS" -f -o "trace=$TRACE" "${uring[@]}" "$@" "$src" "$mnt" >/dev/null 2>"$T/daemon.err" &
	DAEMON_PID=$!
	for _ in $(seq 1 200); do
		if mountpoint -q "$mnt" 2>/dev/null && grep -q " $mnt fuse" /proc/mounts; then
			[ "${URING_REQUIRED:-0}" = 1 ] && wait_for_rings "$DAEMON_PID"
			return 0
		fi
		kill -0 "$DAEMON_PID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$T/daemon.err" >&2 || true
	fail "accessfs did not mount $src at $mnt"
}

# need_fuse_uring: skip unless this kernel has FUSE over io_uring; the fuse
# module's enable_uring is then put back as it was when the test exits.
# Leaves it as it was: set it with "echo Y >$FUSE_URING_PARAM".
FUSE_URING_PARAM=/sys/module/fuse/parameters/enable_uring
need_fuse_uring() {
	modprobe fuse 2>/dev/null || true
	[ -e "$FUSE_URING_PARAM" ] ||
		skip "this kernel has no FUSE over io_uring ($FUSE_URING_PARAM missing: before 6.14 or CONFIG_FUSE_IO_URING=n)"
	[ "$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)" = 0 ] ||
		skip "io_uring is disabled (kernel.io_uring_disabled)"
	FUSE_URING_OLD=$(cat "$FUSE_URING_PARAM")
	trap 'rc=$?; echo "$FUSE_URING_OLD" >"$FUSE_URING_PARAM"; (exit $rc); cleanup' EXIT
}

# wait_for_rings PID: until the daemon holds its io_uring rings (8 per
# possible CPU, daemon/uring_transport.c, WORKERS_PER_QUEUE), or fail
# saying why not.  The fallback line is checked first: a ring whose
# REGISTER the kernel refused keeps its fd.
wait_for_rings() {
	local want=$(($(getconf _NPROCESSORS_CONF) * 8)) rings=0
	for _ in $(seq 1 100); do
		grep -q "serving /dev/fuse only" "$T/daemon.err" 2>/dev/null &&
			fail "the daemon fell back (enable_uring now $(cat "$FUSE_URING_PARAM")): $(cat "$T/daemon.err")"
		rings=$(find /proc/"$1"/fd -lname 'anon_inode:\[io_uring\]' 2>/dev/null | wc -l)
		[ "$rings" -ge "$want" ] && return 0
		sleep 0.05
	done
	fail "the daemon has $rings io_uring rings, want $want: $(cat "$T/daemon.err" 2>/dev/null)"
}

# unmount_accessfs: unmount and wait for the daemon to exit (trace complete).
unmount_accessfs() {
	local mnt=${MOUNT_MNT:-$MNT} rc=0
	fusermount3 -u "$mnt" || fail "fusermount3 -u $mnt failed"
	wait "$DAEMON_PID" || rc=$?
	DAEMON_PID=
	[ "$rc" -eq 0 ] || { cat "$T/daemon.err" >&2; fail "daemon exited with $rc"; }
	if [ "${URING_REQUIRED:-0}" = 1 ] && [ -s "$TRACE" ]; then
		local report
		report=$("$ACCESSFS" report "$TRACE" 2>/dev/null) || true
		[[ $report =~ queues,\ [1-9][0-9]*\ requests\ over\ the\ rings ]] ||
			fail "the trace does not show requests over the io_uring rings"
	fi
}

# drop_caches: the page cache cold.  Writes back only this test's mount
# (syncfs), not every file system: a sync(2) would also write the dirty
# pages of tests running beside this one, as a trigger they cannot foresee.
drop_caches() {
	if mountpoint -q "${MOUNT_MNT:-$MNT}" 2>/dev/null; then
		sync -f "${MOUNT_MNT:-$MNT}"
	fi
	echo 3 > /proc/sys/vm/drop_caches
}

assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-values differ}: expected '$2', got '$1'"
}
