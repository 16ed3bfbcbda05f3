#!/usr/bin/env bash
# run_signal: SIGINT or SIGTERM to `accessfs run` stops the command
# promptly, and run still finishes the trace and unmounts: with a private
# namespace (SIGINT) and mounted for all processes (SIGTERM).
. "$SRCDIR/tests/integration/lib.sh"
. "$SRCDIR/tests/integration/run_lib.sh"
set -m	# background jobs keep SIGINT (a non-interactive shell ignores it for them)

# stop_run SIGNAL EXPECTED-STATUS [run options]: run sleep 100, signal run.
stop_run() {
	local sig=$1 want=$2 trace=$T/$1.trace rc=0 start
	shift 2
	"$ACCESSFS" run --quiet --no-report --dir "$SRC" --trace "$trace" "$@" -- sleep 100 \
		2> "$T/$sig.err" &
	local pid=$!
	for _ in $(seq 1 100); do
		grep -q "mounted" "$T/$sig.err" && break
		sleep 0.05
	done
	grep -q "mounted" "$T/$sig.err" || fail "run did not mount: $(cat "$T/$sig.err")"
	if [ $# -gt 0 ]; then	# --no-namespace: the mount is visible here
		grep -q " $SRC " /proc/mounts || fail "--no-namespace mount not visible"
	fi
	start=$(date +%s%N)
	kill -"$sig" "$pid"
	wait "$pid" || rc=$?
	cat "$T/$sig.err" >&2
	assert_eq "$rc" "$want" "exit status after SIG$sig"
	[ $(( ($(date +%s%N) - start) / 1000000 )) -lt 3000 ] || fail "run took over 3 s to stop"
	assert_nothing_mounted_under "$SRC"
	"$ACCESSFS" dump "$trace" > /dev/null || fail "trace after SIG$sig unreadable"
}

stop_run INT 130
stop_run TERM 143 --no-namespace
