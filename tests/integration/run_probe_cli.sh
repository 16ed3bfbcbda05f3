#!/usr/bin/env bash
# run_probe_cli: `accessfs probe` without a mount: --help lists every
# method, write methods create FILE of --size, a read method touches what
# it says, and bad input gets one line and a non-zero exit.
. "$SRCDIR/tests/integration/lib.sh"

help=$("$ACCESSFS" probe --help)
for m in read pread-random mmap-seq mmap-random mmap-madv-random mmap-madv-sequential \
	mmap-populate write pwrite-random mmap-write-msync mmap-write-close mmap-write-munmap \
	mmap-write-flusher; do
	grep -q "^    $m " <<< "$help" || fail "--help does not list $m"
done

for m in write pwrite-random mmap-write-msync mmap-write-close mmap-write-munmap; do
	"$ACCESSFS" probe "$SRC/$m" --method "$m" --size 3M > /dev/null || fail "probe $m failed"
	assert_eq "$(stat -c %s "$SRC/$m")" 3145728 "size of the file probe $m created"
done
out=$("$ACCESSFS" probe "$SRC/write" --method mmap-random --count 10)
grep -q "^mmap-random: 40960 bytes touched in [0-9.]* s" <<< "$out" ||
	fail "unexpected probe line: $out"

# expect_error PATTERN ARGS...: probe fails with one line matching PATTERN.
expect_error() {
	local pattern=$1 rc=0
	shift
	"$ACCESSFS" probe "$@" > /dev/null 2> "$T/err" || rc=$?
	[ "$rc" -ne 0 ] || fail "probe $* succeeded"
	assert_eq "$(wc -l < "$T/err")" 1 "lines on stderr for probe $*"
	grep -q -- "$pattern" "$T/err" || fail "probe $*: stderr '$(cat "$T/err")' lacks '$pattern'"
}
expect_error "$SRC/missing: No such file or directory" "$SRC/missing" --method read
expect_error "unknown method 'frob'" "$SRC/write" --method frob
expect_error "'12X' is not a valid number" "$SRC/write" --method read --size 12X
expect_error "need one FILE and --method" "$SRC/write"
