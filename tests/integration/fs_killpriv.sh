#!/bin/bash
# fs_killpriv.sh - FUSE_HANDLE_KILLPRIV_V2 (daemon/session_io.h): with it
# (the default) the kernel sends no GETXATTR security.capability before a
# write(), and what a write does to a file's privileges is still native.
#
# Proves: 33 write() calls of 4 KiB through the mount reach the daemon as
# 33 WRITEs and one GETXATTR (the first write's), and the trace header says killpriv_v2 1; with
# -o killpriv_v2=0 the same writes bring a GETXATTR each (the kernel's own
# check) and the header says 0.  Root, who has CAP_FSETID, keeps a 06755
# file's set-user-ID and set-group-ID when it writes, truncates and opens
# it with O_TRUNC, while a write still removes the file's
# security.capability, as natively; both settings give the native
# outcome.  A write by uid 65534 clears a 06777 file's bits, and the
# kernel shows the new mode at once, even to a statx() for the mode alone
# (the daemon invalidates the inode's attributes).  (More writers without
# CAP_FSETID: fs_credentials, fs_modes_unpriv.)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fs_helpers.sh"

NATIVE=$T/native
mkdir "$NATIVE"
chmod 0755 "$T" "$SRC"	# uid 65534 must reach the mount

# ops TRACE OP: how many OP requests on /data TRACE recorded.
ops() {
	"$ACCESSFS" dump --op "$2" --path /data "$1" | grep -c . || true
}

header_killpriv() {
	"$ACCESSFS" report --format json "$1" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["traces"][0]["killpriv_v2"])'
}

# root_privs DIR: what root's write, truncate and O_TRUNC open leave of a
# 06755 file's bits, and whether a write removes security.capability.
root_privs() {
	"$PY" - "$1" <<'PYEOF'
import errno, os, stat, struct, sys

os.chdir(sys.argv[1])
# struct vfs_cap_data, revision 2: cap_net_bind_service permitted.
CAP = struct.pack("<IIIII", 0x02000000, 1 << 10, 0, 0, 0)

def mode(p):
	return oct(stat.S_IMODE(os.stat(p).st_mode))

for how in ("write", "truncate", "otrunc"):
	p = f"root_{how}"
	with open(p, "wb") as f:
		f.write(b"data")
	os.chmod(p, 0o6755)
	if how == "write":
		fd = os.open(p, os.O_WRONLY)
		os.write(fd, b"x")
		os.close(fd)
	elif how == "truncate":
		os.truncate(p, 1)
	else:
		os.close(os.open(p, os.O_WRONLY | os.O_TRUNC))
	print(f"root {how} 06755: {mode(p)}")

p = "cap_write"
with open(p, "wb") as f:
	f.write(b"data")
os.setxattr(p, "security.capability", CAP)
print(f"capability set: {len(os.getxattr(p, 'security.capability'))} bytes")
fd = os.open(p, os.O_WRONLY)
os.write(fd, b"x")
os.close(fd)
try:
	os.getxattr(p, "security.capability")
	print("capability after write: kept")
except OSError as e:
	print(f"capability after write: {errno.errorcode[e.errno]}")
PYEOF
}

root_privs "$NATIVE" >"$T/native.txt"
grep -qx "root write 06755: 0o6755" "$T/native.txt" || fail "native: root's write cleared bits"
grep -qx "capability after write: ENODATA" "$T/native.txt" ||
	fail "native: a write kept security.capability ($(cat "$T/native.txt"))"

for v2 in 1 0; do
	TRACE=$T/trace-$v2
	rm -rf "${SRC:?}"/*
	mount_accessfs -o allow_other,killpriv_v2=$v2
	dd if=/dev/zero of="$MNT/data" bs=4096 count=1 status=none	# create it first
	dd if=/dev/zero of="$MNT/data" bs=4096 count=32 conv=notrunc status=none
	root_privs "$MNT" >"$T/mount-$v2.txt"
	# A writer without CAP_FSETID: the mode the kernel shows right after,
	# asked for alone (statx STATX_MODE, which a write does not refresh).
	echo data >"$MNT/nobody" && chmod 06777 "$MNT/nobody" && stat -c %a "$MNT/nobody" >/dev/null
	as_nobody sh -c 'echo more >>"$1"' sh "$MNT/nobody" || fail "uid 65534 could not write"
	assert_eq "$(stat -c %a "$MNT/nobody")" 777 "killpriv_v2=$v2: mode through the mount after uid 65534 wrote"
	assert_eq "$(stat -c %a "$SRC/nobody")" 777 "killpriv_v2=$v2: mode in the backing after uid 65534 wrote"
	unmount_accessfs

	assert_eq "$(header_killpriv "$TRACE")" "$v2" "killpriv_v2=$v2: the trace header"
	cmp -s "$T/native.txt" "$T/mount-$v2.txt" ||
		{ diff "$T/native.txt" "$T/mount-$v2.txt" >&2; fail "killpriv_v2=$v2: root's privileges differ from native"; }
	writes=$(ops "$TRACE" write)
	getxattrs=$(ops "$TRACE" getxattr)
	assert_eq "$writes" 33 "killpriv_v2=$v2: WRITEs of /data for 33 write() calls"
	if [ "$v2" = 1 ]; then
		# One: the first write checks, then marks the inode S_NOSEC
		# (inode_has_no_xattr(), since the superblock has SB_NOSEC).
		assert_eq "$getxattrs" 1 "killpriv_v2=1: GETXATTRs of /data"
	else
		[ "$getxattrs" -ge 33 ] ||
			fail "killpriv_v2=0: $getxattrs GETXATTRs for $writes WRITEs: the kernel's check is gone"
	fi
	echo "killpriv_v2=$v2: $writes WRITEs, $getxattrs GETXATTRs; root's privileges as native"
done
