#!/bin/bash
# fs_stress.sh - stress-ng's file and mmap stressors run clean on accessfs.
#
# Proves: two bounded stress-ng runs on the mount, one of data stressors
# (hdd, mmap on a file, msync, seek, fallocate, fpunch, copy-file, readahead,
# iomix, sync-file) and one of metadata stressors (dir, rename, link,
# symlink, lockf, flock, utime, chmod, xattr, dentry, filename), all with
# --verify, exit 0, print no failure, and every stressor completed at least
# one bogo operation (a stressor that did nothing would prove nothing).
# Left out as unfair for a FUSE passthrough: ioctl-based stressors (fiemap,
# file-ioctl, inode-flags) and those that exercise other file systems.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fs_helpers.sh"

SECONDS_EACH=5
DATA_STRESSORS="--hdd 1 --hdd-bytes 16m --mmap 1 --mmap-file --mmap-bytes 4m
	--msync 1 --msync-bytes 16m --seek 1 --seek-size 16m --fallocate 1 --fallocate-bytes 16m
	--fpunch 1 --copy-file 1 --readahead 1 --readahead-bytes 16m --iomix 1 --iomix-bytes 16m
	--sync-file 1 --sync-file-bytes 16m"
META_STRESSORS="--dir 1 --rename 1 --link 1 --symlink 1 --lockf 1 --flock 1 --utime 1
	--chmod 1 --xattr 1 --dentry 1 --filename 1"

# stress WHAT STRESSORS: run them on the mount and check the outcome.
stress() {
	local what=$1 rc=0 names name ops
	# shellcheck disable=SC2086 # the option lists are meant to split
	stress-ng --temp-path "$MNT" $2 -t "${SECONDS_EACH}s" --verify --metrics-brief \
		>"$T/$what.out" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ] || grep -qiE 'fail' "$T/$what.out"; then
		grep -iE 'fail|error|expired' "$T/$what.out" >&2 || tail -20 "$T/$what.out" >&2
		fail "stress-ng $what stressors on the mount: exit $rc (expected 0) or a failure reported"
	fi
	# The stressors are the options given an instance count of 1.
	# shellcheck disable=SC2086 # split the option list into words
	names=$(printf '%s\n' $2 | awk 'prev ~ /^--/ && $0 == "1" { print substr(prev, 3) } { prev = $0 }')
	for name in $names; do
		ops=$(awk -v n="$name" '$2 == "metrc:" && $4 == n && $5 ~ /^[0-9]+$/ { print $5; exit }' \
			"$T/$what.out")
		if [ -z "$ops" ] || [ "$ops" -eq 0 ]; then
			tail -30 "$T/$what.out" >&2
			fail "stress-ng $what: stressor $name completed ${ops:-no} bogo ops, expected at least 1"
		fi
		printf '%s=%s ' "$name" "$ops"
	done
	echo "($what, ${SECONDS_EACH}s, verified)"
}

mount_accessfs -o notrace	# the trace is not the subject here
stress data "$DATA_STRESSORS"
stress metadata "$META_STRESSORS"
unmount_accessfs
