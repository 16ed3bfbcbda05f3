#!/bin/bash
# fs_bad_input_nofuse.sh - without /dev/fuse accessfs says so in one line.
#
# Proves: in a mount namespace whose /dev has no fuse device (as in a
# container without it), accessfs exits non-zero with exactly one line on
# stderr naming /dev/fuse, and nothing is mounted.  Skips (77) when this
# machine cannot make such a namespace.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fs_helpers.sh"

# A private /dev with only /dev/null, which daemonizing needs.
NOFUSE='mount -t tmpfs -o mode=0755 nofuse /dev && mknod -m 0666 /dev/null c 1 3 && exec "$@"'
unshare --mount --propagation private sh -c "$NOFUSE" sh test ! -e /dev/fuse 2>/dev/null ||
	skip "cannot make a mount namespace without /dev/fuse (unshare --mount, tmpfs on /dev)"

expect_refusal "no /dev/fuse" "/dev/fuse" \
	unshare --mount --propagation private sh -c "$NOFUSE" sh "$ACCESSFS" -o notrace "$SRC" "$MNT"
expect_refusal "no /dev/fuse, foreground" "/dev/fuse" \
	unshare --mount --propagation private sh -c "$NOFUSE" sh "$ACCESSFS" -f -o notrace "$SRC" "$MNT"
