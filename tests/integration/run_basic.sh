#!/usr/bin/env bash
# run_basic: `accessfs run` runs the command on the mounted directory, exits
# with its status, leaves nothing mounted, writes a trace of the command's
# reads, and prints the report on stderr.
. "$SRCDIR/tests/integration/lib.sh"
. "$SRCDIR/tests/integration/run_lib.sh"

head -c 1M /dev/urandom > "$SRC/file"
rc=0
(cd "$SRC" && "$ACCESSFS" run --dir "$SRC" --trace "$TRACE" -- \
	sh -c 'cat file > /dev/null; exit 3') 2> "$T/run.err" || rc=$?
cat "$T/run.err" >&2

assert_eq "$rc" 3 "exit status of accessfs run"
assert_nothing_mounted_under "$SRC"
grep -q "mounted in a private mount namespace\|mounted for all processes" "$T/run.err" ||
	fail "run did not say where it mounted"
stats=$(trace_stats "$TRACE" read file)
expect_stats "READs of file" "$stats" 1 read 50 -
"$ACCESSFS" dump "$TRACE" | python3 -c '
import json, sys
comms = {json.loads(l).get("comm") for l in sys.stdin if json.loads(l).get("op") == "read"}
sys.exit(0 if "cat" in comms else "READs were not by cat: %s" % comms)' || fail "no READ by cat"
# The report: something about the file beyond run's own lines.
grep -v '^accessfs run:' "$T/run.err" | grep -q file || fail "no report naming file on stderr"
