#!/bin/bash
# fs_bad_input.sh - bad command lines are refused with one clear line.
#
# Proves: a missing SOURCE, a SOURCE that is a file, a missing MOUNTPOINT,
# no MOUNTPOINT argument, an unknown -o option, bad option values and a
# trace path inside the mountpoint each make accessfs exit non-zero with
# exactly one line on stderr naming the path or option at fault, and leave
# nothing mounted.  (No /dev/fuse at all: fs_bad_input_nofuse.sh, which may
# have to skip.)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fs_helpers.sh"

touch "$T/a_file"

expect_refusal "missing SOURCE" "$T/no_such_source" \
	"$ACCESSFS" -o notrace "$T/no_such_source" "$MNT"
expect_refusal "SOURCE is a file" "$T/a_file" \
	"$ACCESSFS" -o notrace "$T/a_file" "$MNT"
expect_refusal "missing MOUNTPOINT" "$T/no_such_mnt" \
	"$ACCESSFS" -o notrace "$SRC" "$T/no_such_mnt"
expect_refusal "MOUNTPOINT is a file" "$T/a_file" \
	"$ACCESSFS" -o notrace "$SRC" "$T/a_file"
expect_refusal "no MOUNTPOINT argument" "MOUNTPOINT" \
	"$ACCESSFS" -o notrace "$SRC"
expect_refusal "unknown option" "frobnicate" \
	"$ACCESSFS" -o frobnicate "$SRC" "$MNT"
expect_refusal "bad cache= value" "sometimes" \
	"$ACCESSFS" -o notrace,cache=sometimes "$SRC" "$MNT"
expect_refusal "non-numeric max_fds=" "max_fds" \
	"$ACCESSFS" -o notrace,max_fds=abc "$SRC" "$MNT"
expect_refusal "trace inside the mountpoint" "$MNT/self.trace" \
	"$ACCESSFS" -o "trace=$MNT/self.trace" "$SRC" "$MNT"
expect_refusal "trace inside an in-place mountpoint" "$SRC/self.trace" \
	"$ACCESSFS" -o "trace=$SRC/self.trace" "$SRC" "$SRC"
[ ! -e "$MNT/self.trace" ] && [ ! -e "$SRC/self.trace" ] ||
	fail "a refused trace path inside the mountpoint was created anyway"
