#!/bin/bash
# fs_modes.sh - files that root creates through a traced allow_other mount
# get exactly the modes they get in a native directory, whatever the umask
# of the shell that started the daemon.
#
# Proves: create, mknod (regular and character device), mkfifo, mkdir and
# symlink with modes 0777, 0642, 04777 and 02775 under caller umasks 000,
# 022 and 077 give the same mode, type and owner through the mount as
# natively, in a plain directory, in a setgid directory of another group
# and in a directory with a default ACL (where the umask is not applied),
# both in what stat shows through the mount and in the backing tree, with
# the daemon started under umask 022 and under umask 077.  O_TMPFILE, which
# the native directory supports, fails with EOPNOTSUPP through the mount
# (libfuse 3.14 does not know FUSE_TMPFILE) and the mount goes on working.
# Callers creating at the same time under different umasks each get their
# own (the daemon sets the umask per worker thread).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fs_helpers.sh"

FS_MODES=$PROGRAMS/fs_modes
[ -x "$FS_MODES" ] || fail "$FS_MODES is not built"
NATIVE=$T/native
CASES=$((3 * 4))	# umasks x modes, per call and directory

# make_dirs DIR: the three directories the matrix runs in, made with exact
# modes (umask 000) through whatever DIR is; prints what was made.
make_dirs() {
	(cd "$1" && umask 000 &&
		"$FS_MODES" mkdir 0777 plain acl && "$FS_MODES" mkdir 02777 sgid &&
		chgrp "$NOBODY_GID" sgid && "$FS_MODES" create 0666 probe)
}

# run_matrix DIR: every creating call in each directory under DIR.
run_matrix() {
	local sub
	for sub in plain sgid acl; do
		echo "== $sub"
		"$FS_MODES" matrix "$1/$sub"
	done
}

# concurrent_creates DIR: two callers creating at once, under umask 000
# and 077; each prints how many of its files got which mode.  Many creates,
# so that a umask shared between worker threads would show.
concurrent_creates() {
	local u pids=()
	for u in 000 077; do
		mkdir "$1/concurrent-$u"
		(umask "$u" && "$FS_MODES" many 3000 "$1/concurrent-$u" >"$T/many-$u") &
		pids+=($!)
	done
	wait "${pids[@]}"	# not the daemon, also a child of this shell
	for u in 000 077; do
		echo "umask $u: $(xargs <"$T/many-$u")"
	done
}

mkdir -m 0755 "$NATIVE"
for daemon_umask in 022 077; do
	run=run-$daemon_umask
	mkdir -m 0755 "$NATIVE/$run" "$SRC/$run"
	make_dirs "$NATIVE/$run" >"$T/native.txt"
	"$FS_MODES" acl "$NATIVE/$run/acl"
	run_matrix "$NATIVE/$run" >>"$T/native.txt"
	concurrent_creates "$NATIVE/$run" >>"$T/native.txt"

	TRACE=$T/trace-$daemon_umask
	umask "$daemon_umask"
	mount_accessfs -o allow_other
	umask 022
	make_dirs "$MNT/$run" >"$T/mount.txt"
	"$FS_MODES" acl "$SRC/$run/acl"	# on the backing directory, as natively
	run_matrix "$MNT/$run" >>"$T/mount.txt"
	concurrent_creates "$MNT/$run" >>"$T/mount.txt"
	"$FS_MODES" create 0600 "$MNT/$run/after-tmpfile" >/dev/null ||
		fail "daemon umask $daemon_umask: the mount stopped working after O_TMPFILE"
	rm "$MNT/$run/after-tmpfile"
	unmount_accessfs

	# Every native O_TMPFILE worked; through the mount each is EOPNOTSUPP.
	assert_eq "$(grep -c '^tmpfile .*: ok ' "$T/native.txt")" $((3 * CASES)) \
		"native O_TMPFILE successes"
	assert_eq "$(grep '^umask ' "$T/native.txt" | xargs)" \
		"umask 000: 3000 0666 umask 077: 3000 0600" "native concurrent creates"
	sed -E 's/^(tmpfile [^:]*): .*/\1: EOPNOTSUPP/' "$T/native.txt" >"$T/expected.txt"
	assert_same_transcript "$T/expected.txt" "$T/mount.txt" \
		"modes of new files through the mount (daemon umask $daemon_umask)"
	mode_tree "$NATIVE/$run" >"$T/native.tree"
	mode_tree "$SRC/$run" >"$T/backing.tree"
	assert_same_transcript "$T/native.tree" "$T/backing.tree" \
		"the backing tree (daemon umask $daemon_umask)"
done
echo "modes: $(grep -c ': ' "$T/native.txt") creating calls per daemon umask match native"
