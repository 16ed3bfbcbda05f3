#!/bin/bash
# fs_modes_unpriv.sh - what root makes through an allow_other mount with
# exact modes is usable by an unprivileged caller exactly as natively, and
# what that caller makes gets the native modes.
#
# Proves, with the daemon started under umask 022 and under umask 077, and
# root's tree made through the mount (native: in the native directory):
# uid 65534 creating with every mode and umask of fs_modes matrix in a
# 0777, a sticky 01777 and a root-group setgid 02777 directory gets the
# native modes (set-group-ID dropped where it is not a member); its writes
# to root's 06777 file clear set-user-ID and set-group-ID, to a 06767 file
# set-user-ID and set-group-ID natively but only set-user-ID through the
# mount (below), to a 02777 file set-group-ID; its renames of
# directories between 0777 and sticky directories, its own and root's,
# succeed or fail with the native errno; and the backing tree ends up as
# the native one.
#
# Done with the daemon clearing set-user-ID/set-group-ID itself
# (FUSE_HANDLE_KILLPRIV_V2, the default), where every outcome is native,
# and once more with killpriv_v2=0, where the kernel clears them and one
# outcome is the kernel's own: FUSE without FUSE_CAP_HANDLE_KILLPRIV
# clears set-group-ID on write only with group execute (fuse_setattr() in
# fs/fuse/dir.c, the pre-6.2 rule), while setattr_should_drop_sgid() also
# clears it for a writer outside the file's group.  The daemon then sees
# a plain chmod and cannot tell; the test pins that outcome so that a
# change in it shows.  The header says whether v2 was negotiated.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fs_helpers.sh"

FS_MODES=$PROGRAMS/fs_modes
[ -x "$FS_MODES" ] || fail "$FS_MODES is not built"
NATIVE=$T/native
chmod 0755 "$T"	# uid 65534 must reach both trees and the helper

# make_tree DIR: root's directories and files, exact modes (umask 000).
make_tree() {
	(cd "$1" && umask 000 &&
		"$FS_MODES" mkdir 0777 open && "$FS_MODES" mkdir 01777 sticky &&
		"$FS_MODES" mkdir 02777 sgid &&
		"$FS_MODES" mkdir 0777 open/root_d open/root_empty sticky/root_d \
			sticky/root_d2 sticky/root_target &&
		"$FS_MODES" mkdir 0755 open/root_d755 &&
		"$FS_MODES" create 06777 open/suid && "$FS_MODES" create 06767 open/suid_nogx &&
		"$FS_MODES" create 02777 open/sgid_only)
}

# as_caller DIR: what uid 65534 does in root's tree, one line per call.
as_caller() {
	(cd "$1" && umask 022 && as_nobody sh -c '
		p=$1
		for d in open sticky sgid; do echo "== $d"; "$p" matrix "$d"; done
		"$p" write open/suid open/suid_nogx open/sgid_only
		"$p" mkdir 0777 open/mine_d open/mine_d2 open/mine_d4 sticky/mine_d sticky/mine_d3
		"$p" rename open/root_d sticky/root_d_in	# into sticky: allowed
		"$p" rename sticky/root_d open/from_sticky	# root'"'"'s, out of sticky
		"$p" rename sticky/mine_d open/mine_out		# own, out of sticky
		"$p" rename open/mine_d2 sticky/mine_in		# own, into sticky
		"$p" rename sticky/mine_in sticky/mine_in2	# own, within sticky
		"$p" rename open/root_d755 sticky/r755		# its ".." not writable
		"$p" rename sticky/mine_d3 sticky/root_target	# over root'"'"'s in sticky
		"$p" rename open/mine_d4 open/root_empty	# over root'"'"'s in 0777
		"$p" rename sticky/root_d2 sticky/renamed	# root'"'"'s, within sticky
	' sh "$FS_MODES")
}

mkdir -m 0755 "$NATIVE"
for setting in 022:1 077:1 022:0; do
	daemon_umask=${setting%:*} v2=${setting#*:}
	run=run-$daemon_umask-$v2
	mkdir -m 0755 "$NATIVE/$run" "$SRC/$run"
	make_tree "$NATIVE/$run" >"$T/native.txt"
	as_caller "$NATIVE/$run" >>"$T/native.txt" 2>&1

	TRACE=$T/trace-$run
	umask "$daemon_umask"
	mount_accessfs -o allow_other,killpriv_v2=$v2
	umask 022
	make_tree "$MNT/$run" >"$T/mount.txt"
	as_caller "$MNT/$run" >>"$T/mount.txt" 2>&1
	unmount_accessfs
	said=$("$ACCESSFS" report --format json "$TRACE" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["traces"][0]["killpriv_v2"])')
	[ "$said" = "$v2" ] || fail "the trace header says killpriv_v2 $said, not $v2"

	kernel_rule=(cat)	# the kernel's difference above, without v2
	[ "$v2" = 1 ] || kernel_rule=(sed 's|^open/suid_nogx root:root 2767 f$|open/suid_nogx root:root 767 f|')
	if [ "$v2" = 1 ]; then
		sed -E 's/^(tmpfile [^:]*): .*/\1: EOPNOTSUPP/' "$T/native.txt" >"$T/expected.txt"
	else
		sed -E -e 's/^(tmpfile [^:]*): .*/\1: EOPNOTSUPP/' \
			-e 's|^(write open/suid_nogx): ok 100767 0:0$|\1: ok 102767 0:0|' \
			"$T/native.txt" >"$T/expected.txt"
	fi
	assert_same_transcript "$T/expected.txt" "$T/mount.txt" \
		"uid 65534 on root's tree (daemon umask $daemon_umask, killpriv_v2=$v2)"
	mode_tree "$NATIVE/$run" >"$T/native.tree"
	mode_tree "$SRC/$run" | "${kernel_rule[@]}" >"$T/backing.tree"
	assert_same_transcript "$T/native.tree" "$T/backing.tree" \
		"the backing tree (daemon umask $daemon_umask, killpriv_v2=$v2)"
done

# The outcomes the comparison rests on, spelled out.
grep -qxF 'write open/suid: ok 100777 0:0' "$T/native.txt" || fail "native: 06777 write"
grep -qxF 'write open/suid_nogx: ok 100767 0:0' "$T/native.txt" || fail "native: 06767 write"
grep -qxF 'write open/sgid_only: ok 100777 0:0' "$T/native.txt" || fail "native: 02777 write"
grep -qxF 'rename sticky/root_d open/from_sticky: EPERM' "$T/native.txt" ||
	fail "native: root's directory left a sticky directory"
grep -qxF 'rename open/root_d755 sticky/r755: EACCES' "$T/native.txt" ||
	fail "native: a directory whose .. the caller cannot write moved"
echo "unprivileged: $(grep -c ': ' "$T/native.txt") calls as uid 65534 match native"
