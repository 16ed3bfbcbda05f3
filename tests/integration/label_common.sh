# tests/integration/label_common.sh - sourced by the label_*.sh tests.
#
# Ground-truth programs ($PROGRAMS/gt_*) run on a mount, each writing a side
# file that states the label every request it causes must get; gt_check
# then scores the trace against it.  Programs share one mount per read mode
# (they are told apart by pid) and run with the page cache dropped.
. "$SRCDIR/tests/integration/lib.sh"

for p in gt_check gt_read gt_mmap gt_mmap_write; do
	[ -x "$PROGRAMS/$p" ] || fail "$PROGRAMS/$p is not built"
done
[ "$(id -u)" -eq 0 ] || skip "needs root (drop_caches, reading other programs' /proc)"

LABEL_RUNS=()	# "name|side file|gt_check options" per program run

# label_mount MODE: mount with sync_read or async_read; forget earlier runs.
label_mount() {
	TRACE=$T/trace.$1
	LABEL_MODE=$1
	LABEL_RUNS=()
	mount_accessfs -o "$1"
}

# label_run NAME "GT_CHECK OPTIONS" PROGRAM ARGS...: run PROGRAM -g SIDE ARGS
# on the mount with a cold page cache.
label_run() {
	local name=$1 opts=$2 prog=$3 side=$T/$1.$LABEL_MODE.gt
	shift 3
	drop_caches
	"$PROGRAMS/$prog" -g "$side" "$@" || fail "$name: $prog exited with $?"
	LABEL_RUNS+=("$name|$side|$opts")
}

# label_check: unmount, then score every run of this mount; fail on the first
# below its thresholds (after printing all).
label_check() {
	local run name side opts failed=
	unmount_accessfs
	for run in "${LABEL_RUNS[@]}"; do
		IFS='|' read -r name side opts <<< "$run"
		echo "== $name ($LABEL_MODE)"
		# shellcheck disable=SC2086
		"$PROGRAMS/gt_check" $opts "$TRACE" "$side" 2> "$T/check.err" || {
			grep -q "not built yet" "$T/check.err" && skip "the trace reader is not merged yet"
			failed="$failed $name"
		}
		cat "$T/check.err" >&2
	done
	[ -z "$failed" ] || fail "labels below expectations ($LABEL_MODE):$failed"
}
