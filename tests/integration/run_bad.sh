#!/usr/bin/env bash
# run_bad: bad input to `accessfs run` gets one line on stderr naming the
# problem, a non-zero exit, and nothing mounted.
. "$SRCDIR/tests/integration/lib.sh"
. "$SRCDIR/tests/integration/run_lib.sh"

# expect_error STATUS PATTERN ARGS...: run fails with STATUS and one line.
expect_error() {
	local want=$1 pattern=$2 rc=0
	shift 2
	"$ACCESSFS" run --quiet --no-report "$@" 2> "$T/err" || rc=$?
	note "accessfs run $*: exit $rc: $(cat "$T/err")"
	assert_eq "$rc" "$want" "exit status of accessfs run $*"
	assert_eq "$(wc -l < "$T/err")" 1 "lines on stderr"
	grep -q -- "$pattern" "$T/err" || fail "stderr does not say '$pattern'"
	assert_nothing_mounted_under "$T"
}

expect_error 127 "accessfs run: frob-no-such: command not found" --dir "$SRC" -- frob-no-such
expect_error 126 "Permission denied" --dir "$SRC" -- /etc/passwd
expect_error 2 "unrecognized option '--frobnicate'" --frobnicate -- true
expect_error 2 "$T/nonexistent: No such file or directory" --dir "$T/nonexistent" -- true
expect_error 2 "no command to run" --dir "$SRC"
expect_error 2 "inside the mounted directory" --dir "$SRC" --trace "$SRC/t.trace" -- true

# The daemon refuses to mount: its own error line, then run's, non-zero.
rc=0
"$ACCESSFS" run --quiet --no-report --dir "$SRC" -o no_such_option -- true 2> "$T/err" || rc=$?
note "daemon refusal: exit $rc: $(cat "$T/err")"
[ "$rc" -ne 0 ] || fail "run succeeded with a mount option the daemon refuses"
grep -q no_such_option "$T/err" || fail "the daemon's error line is missing"
grep -q "accessfs run: the daemon could not mount" "$T/err" || fail "run did not say the mount failed"
assert_nothing_mounted_under "$T"
