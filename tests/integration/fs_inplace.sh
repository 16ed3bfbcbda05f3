#!/bin/bash
# fs_inplace.sh - accessfs can be mounted over its own source directory.
#
# Proves: with SOURCE = MOUNTPOINT = $SRC, the mount is a FUSE mount that
# hides nothing: files that were in $SRC are served through it with their
# contents, and what is written through it (new files, changed files,
# removals) lands in the underlying directory, visible after unmount.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fs_helpers.sh"

mkdir "$SRC/dir"
head -c 300000 /dev/urandom >"$SRC/big"
echo "small file" >"$SRC/small"
echo "nested" >"$SRC/dir/nested"
echo "to be removed" >"$SRC/gone"
(cd "$SRC" && find . -type f -exec sha256sum {} + | sort -k2) >"$T/before.sums"
dev_before=$(stat -c %d "$SRC/big")

MOUNT_SRC=$SRC MOUNT_MNT=$SRC mount_accessfs -o notrace	# the trace is not the subject here

fstype=$(awk -v m="$SRC" '$2 == m { t = $3 } END { print t }' /proc/mounts)
case $fstype in
fuse | fuse.*) ;;
*) fail "in-place mount: $SRC has file system type '$fstype' in /proc/mounts, expected fuse" ;;
esac
[ "$(stat -c %d "$SRC/big")" != "$dev_before" ] ||
	fail "in-place mount: $SRC/big is still on the underlying device $dev_before (not served)"

(cd "$SRC" && find . -type f -exec sha256sum {} + | sort -k2) >"$T/served.sums"
assert_same_transcript "$T/before.sums" "$T/served.sums" "contents served in place"

head -c 200000 /dev/urandom >"$SRC/written"
echo "appended" >>"$SRC/small"
mkdir "$SRC/newdir"
echo "new nested" >"$SRC/newdir/file"
rm "$SRC/gone"
(cd "$SRC" && find . -type f -exec sha256sum {} + | sort -k2) >"$T/expected.sums"

MOUNT_MNT=$SRC unmount_accessfs
! mountpoint -q "$SRC" || fail "in-place mount: $SRC is still a mountpoint after unmount"
[ "$(stat -c %d "$SRC/big")" = "$dev_before" ] || fail "in-place mount: $SRC/big not back on its device"
(cd "$SRC" && find . -type f -exec sha256sum {} + | sort -k2) >"$T/after.sums"
assert_same_transcript "$T/expected.sums" "$T/after.sums" "writes through the in-place mount in the underlying dir"
echo "in place: $(wc -l <"$T/after.sums") files served and written through to the underlying directory"
