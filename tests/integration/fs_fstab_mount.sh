#!/bin/bash
# fs_fstab_mount.sh - accessfs mounts the way every FUSE filesystem does:
# `mount -t fuse.accessfs SOURCE MNT -o opts` and a line in /etc/fstab
# (mount.fuse3 runs `accessfs SOURCE MNT -o opts`, passing generic options
# such as rw and noatime along), and `fusermount3 -u` unmounts.
#
# It runs in a private mount namespace where accessfs is bind-mounted into
# /usr/local/bin (on mount's PATH) and a test fstab over /etc/fstab, so the
# machine's own files are never touched.
source "$(dirname "$0")/lib.sh"

command -v unshare >/dev/null || skip "unshare (util-linux) is not installed"
echo "served" >"$SRC/file"
mkdir "$T/bin"
: >"$T/bin/accessfs"
printf '%s %s fuse.accessfs rw,noatime,allow_other,trace=%s 0 0\n' \
	"$SRC" "$MNT" "$T/fstab.trace" >"$T/fstab"

unshare --mount --propagation private bash -euo pipefail -c '
	# A mount left in this namespace would keep its daemon alive unseen.
	trap "fusermount3 -uz \"\$4\" 2>/dev/null || true" EXIT
	mount --bind "$2/bin" /usr/local/bin
	mount --bind "$1" /usr/local/bin/accessfs
	mount --bind "$2/fstab" /etc/fstab

	mount -t fuse.accessfs "$3" "$4" -o "trace=$2/type.trace"
	grep -q " $4 fuse.accessfs " /proc/mounts || { echo "mount -t: no fuse.accessfs mount at $4"; exit 1; }
	[ "$(cat "$4/file")" = served ] || { echo "mount -t: file not served"; exit 1; }
	fusermount3 -u "$4"

	mount "$4"
	grep " $4 fuse.accessfs " /proc/mounts | grep -q allow_other || { echo "fstab: mount without allow_other"; exit 1; }
	[ "$(cat "$4/file")" = served ] || { echo "fstab: file not served"; exit 1; }
	fusermount3 -u "$4"
' _ "$ACCESSFS" "$T" "$SRC" "$MNT" || fail "mounting through mount(8) did not work (see above)"

# The daemons exit after fusermount3 -u; their traces must be complete.
for tr in "$T/type.trace" "$T/fstab.trace"; do
	for _ in $(seq 1 50); do
		"$ACCESSFS" dump --op read "$tr" 2>/dev/null | grep '"path":"file"' >/dev/null && break
		sleep 0.1
	done
	"$ACCESSFS" dump --op read "$tr" | grep '"path":"file"' >/dev/null || fail "$tr has no READ of file"
done
