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

# The label sources and read modes every label test runs under: BPF in both
# modes, and /proc under sync reads (its async-read figures are
# scripts/accuracy's: they need looser thresholds, and the suite's time).
LABEL_CONFIGS="bpf:async_read bpf:sync_read proc:sync_read"

# label_mount SOURCE:MODE: mount with that label source and read mode; forget
# earlier runs.  Sets LABEL_SOURCE (proc if BPF asked for but not loaded:
# then the test scores /proc) and LABEL_STRICT, the gt_check thresholds
# every case of the mount must meet.
label_mount() {
	LABEL_SOURCE=${1%%:*}
	LABEL_MODE=${1#*:}
	TRACE=$T/trace.$LABEL_SOURCE.$LABEL_MODE
	LABEL_RUNS=()
	mount_accessfs -o "$LABEL_MODE,labels=$LABEL_SOURCE"
	if [ "$LABEL_SOURCE" = bpf ] && grep -q "labels come from /proc" "$T/daemon.err"; then
		note "$(cat "$T/daemon.err")"
		LABEL_SOURCE=proc
	fi
	LABEL_STRICT="-c 99.9 -w 0"
	if [ "$LABEL_SOURCE" = proc ] && [ "$LABEL_MODE" = async_read ]; then
		LABEL_STRICT="-c 90 -w 0"
	fi
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

# bdi_strict_limit 0|1: the mount's bdi holds its dirty pages to its own
# limit (1, FUSE's default) or only to the global one (0).
bdi_strict_limit() {
	echo "$1" > "/sys/class/bdi/$(mountpoint -d "$MNT")/strict_limit" ||
		fail "cannot set strict_limit of $MNT's bdi"
}

# label_check: unmount, then score every run of this mount; fail on the first
# below its thresholds (after printing all).
label_check() {
	local run name side opts failed=
	unmount_accessfs
	for run in "${LABEL_RUNS[@]}"; do
		IFS='|' read -r name side opts <<< "$run"
		echo "== $name ($LABEL_SOURCE, $LABEL_MODE)"
		# shellcheck disable=SC2086
		"$PROGRAMS/gt_check" $opts "$TRACE" "$side" 2> "$T/check.err" || {
			grep -q "not built yet" "$T/check.err" && skip "the trace reader is not merged yet"
			failed="$failed $name"
		}
		cat "$T/check.err" >&2
	done
	[ -z "$failed" ] || fail "labels below expectations ($LABEL_SOURCE, $LABEL_MODE):$failed"
}
