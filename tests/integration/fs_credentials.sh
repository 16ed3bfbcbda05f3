#!/bin/bash
# fs_credentials.sh - with allow_other, an unprivileged caller acts through
# accessfs with its own credentials, exactly as in a native directory.
#
# Proves: uid 65534 creating files, directories, symlinks, fifos and hard
# links through a root-run allow_other mount gets them owned by 65534:65534
# in the backing directory (and inherits the group of a setgid directory),
# and every operation it attempts on root's files and directories (write,
# truncate, unlink, chmod, chown, utimensat, rename, rmdir, mkdir, link under
# protected_hardlinks, sticky-directory delete, xattrs, search permission)
# succeeds or fails with the same errno as on a native copy of the tree;
# writing, truncating or opening with O_TRUNC a setuid file clears the
# setuid bits as natively, and set-group-ID without group execute too.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fs_helpers.sh"

NATIVE=$T/native
chmod 0755 "$T"	# uid 65534 must reach both trees and the runner

# make_tree DIR: root's files and directories the caller will try to touch.
make_tree() {
	local d=$1
	mkdir -p "$d"
	chmod 0755 "$d"
	mkdir -m 0777 "$d/open"
	echo "root data" >"$d/open/rootfile"
	chmod 0644 "$d/open/rootfile"
	echo "setuid data" >"$d/open/suid_write"
	echo "setuid data" >"$d/open/suid_trunc"
	echo "setuid data" >"$d/open/suid_otrunc"
	echo "setgid data" >"$d/open/sgid_nogx"
	chmod 06777 "$d/open/suid_write" "$d/open/suid_trunc" "$d/open/suid_otrunc"
	chmod 02767 "$d/open/sgid_nogx"
	mkdir -m 0700 "$d/open/private"
	echo "secret" >"$d/open/private/x"
	mkdir -m 0755 "$d/rootdir" "$d/rootdir/sub"
	echo "root data" >"$d/rootdir/f"
	chmod 0644 "$d/rootdir/f"
	mkdir -m 1777 "$d/sticky"
	echo "root data" >"$d/sticky/rootfile"
	chmod 0666 "$d/sticky/rootfile"
	mkdir "$d/sgid"
	chmod 2777 "$d/sgid"
}

cat >"$T/creds.py" <<'PYEOF'
import errno, os, stat, sys

os.chdir(sys.argv[1])
os.umask(0o022)


def attempt(what, fn, *args, **kwargs):
	try:
		r = fn(*args, **kwargs)
	except OSError as e:
		print(f"{what}: {errno.errorcode.get(e.errno, e.errno)}")
		return
	print(f"{what}: ok" + ("" if r is None else f" {r}"))


def owner(path):
	s = os.lstat(path)
	return f"{s.st_uid}:{s.st_gid} {stat.filemode(s.st_mode)}"


def create(path, mode=0o644):
	os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
	return owner(path)


def write(path, data=b"x"):
	fd = os.open(path, os.O_WRONLY)
	try:
		os.write(fd, data)
	finally:
		os.close(fd)
	return owner(path)


def read(path):
	with open(path, "rb") as f:
		return len(f.read())


def then(fn, path, *args):
	fn(path, *args)
	return owner(path)


# Creation by the caller.
attempt("create open/n_file", create, "open/n_file")
attempt("mkdir open/n_dir", lambda: then(os.mkdir, "open/n_dir"))
attempt("symlink open/n_link", lambda: (os.symlink("n_file", "open/n_link"), owner("open/n_link"))[1])
attempt("mkfifo open/n_fifo", lambda: then(os.mkfifo, "open/n_fifo"))
attempt("mknod chr open/n_chr", os.mknod, "open/n_chr", 0o644 | stat.S_IFCHR, os.makedev(1, 3))
attempt("link open/n_file open/n_hard", lambda: (os.link("open/n_file", "open/n_hard"),
	owner("open/n_hard"))[1])
attempt("create sgid/n_file", create, "sgid/n_file")
attempt("mkdir sgid/n_dir", lambda: then(os.mkdir, "sgid/n_dir"))
attempt("create open/n_file again O_EXCL", create, "open/n_file")

# Root's files and directories.
attempt("read open/rootfile", read, "open/rootfile")
attempt("write open/rootfile (0644 root)", write, "open/rootfile")
attempt("access W_OK open/rootfile", lambda: os.access("open/rootfile", os.W_OK))
attempt("access R_OK open/rootfile", lambda: os.access("open/rootfile", os.R_OK))
attempt("truncate rootdir/f", os.truncate, "rootdir/f", 0)
attempt("truncate open/rootfile", os.truncate, "open/rootfile", 0)
attempt("unlink rootdir/f (0755 root dir)", os.unlink, "rootdir/f")
attempt("chmod rootdir/f", os.chmod, "rootdir/f", 0o666)
attempt("chown rootdir/f to caller", os.chown, "rootdir/f", 65534, 65534)
attempt("utimensat rootdir/f explicit", os.utime, "rootdir/f", ns=(1, 2))
attempt("utimensat rootdir/f now", os.utime, "rootdir/f")
attempt("utimensat open/suid_write now (world-writable)", os.utime, "open/suid_write")
attempt("utimensat open/suid_write explicit", os.utime, "open/suid_write", ns=(1, 2))
attempt("rename open/n_hard into rootdir", os.rename, "open/n_hard", "rootdir/n_hard")
attempt("rename rootdir/f out of rootdir", os.rename, "rootdir/f", "open/f")
attempt("rmdir rootdir/sub", os.rmdir, "rootdir/sub")
attempt("mkdir rootdir/new", os.mkdir, "rootdir/new")
attempt("create rootdir/new", create, "rootdir/new")
attempt("symlink rootdir/new", os.symlink, "x", "rootdir/new")
attempt("link rootdir/f open/hl (protected_hardlinks)", os.link, "rootdir/f", "open/hl")
attempt("link open/rootfile open/hl2 (protected_hardlinks)", os.link, "open/rootfile", "open/hl2")
attempt("setxattr user.x rootdir/f", os.setxattr, "rootdir/f", "user.x", b"1")
attempt("listdir open/private (0700 root)", os.listdir, "open/private")
attempt("stat open/private/x", lambda: owner("open/private/x"))
attempt("read open/private/x", read, "open/private/x")

# The caller's own files.
attempt("chmod open/n_file 0600", lambda: then(os.chmod, "open/n_file", 0o600))
attempt("chmod open/n_file 02600 (own group)", lambda: then(os.chmod, "open/n_file", 0o2600))
attempt("chown open/n_file to root", os.chown, "open/n_file", 0, -1)
attempt("chgrp open/n_file to group 0 (not a member)", os.chown, "open/n_file", -1, 0)
attempt("chown open/n_file to itself", lambda: then(os.chown, "open/n_file", 65534, 65534))
attempt("utimensat open/n_file explicit", lambda: (os.utime("open/n_file", ns=(1000000007,
	2000000009)), os.stat("open/n_file").st_mtime_ns)[1])
attempt("setxattr user.x open/n_file", os.setxattr, "open/n_file", "user.x", b"1")
attempt("getxattr user.x open/n_file", os.getxattr, "open/n_file", "user.x")

# Writes by a non-owner clear setuid/setgid.
attempt("write open/suid_write (06777 root)", write, "open/suid_write")
attempt("truncate open/suid_trunc (06777 root)", lambda: then(os.truncate, "open/suid_trunc", 3))
attempt("open O_TRUNC open/suid_otrunc (06777 root)", lambda: then(lambda p: os.close(
	os.open(p, os.O_WRONLY | os.O_TRUNC)), "open/suid_otrunc"))
# Set-group-ID without group execute: cleared too, the writer is not in group 0.
attempt("write open/sgid_nogx (02767 root)", write, "open/sgid_nogx")

# Sticky directory: only the owner may remove.
attempt("unlink sticky/rootfile", os.unlink, "sticky/rootfile")
attempt("rename sticky/rootfile", os.rename, "sticky/rootfile", "sticky/mine")
attempt("write sticky/rootfile (0666)", write, "sticky/rootfile")
attempt("create sticky/n_own", create, "sticky/n_own")
attempt("unlink sticky/n_own", os.unlink, "sticky/n_own")

# Allowed destruction in a world-writable directory.
attempt("unlink open/rootfile (0777 dir)", os.unlink, "open/rootfile")
attempt("rmdir open/n_dir", os.rmdir, "open/n_dir")
attempt("rename open/n_hard open/n_moved", os.rename, "open/n_hard", "open/n_moved")
PYEOF
chmod 0644 "$T/creds.py"

make_tree "$NATIVE"
make_tree "$SRC"
as_nobody "$PY" "$T/creds.py" "$NATIVE" >"$T/native.txt" 2>&1 ||
	{ cat "$T/native.txt" >&2; fail "the caller's script failed on the native directory"; }

mount_accessfs -o notrace,allow_other	# the trace is not the subject here
as_nobody "$PY" "$T/creds.py" "$MNT" >"$T/mount.txt" 2>&1 ||
	{ cat "$T/mount.txt" >&2; fail "the caller's script crashed on the mount"; }
unmount_accessfs

# A table of the cases that differ, then the verdict.
if ! cmp -s "$T/native.txt" "$T/mount.txt"; then
	printf '%-55s | %-30s | %s\n' "operation as uid 65534" "native" "through accessfs" >&2
	paste -d '\n' "$T/native.txt" "$T/mount.txt" | paste -d '\t' - - |
	while IFS=$'\t' read -r n m; do
		[ "$n" = "$m" ] && continue
		printf '%-55s | %-30s | %s\n' "${n%%: *}" "${n#*: }" "${m#*: }" >&2
	done
	fail "uid 65534 got different outcomes through the mount than natively"
fi

# The backing files carry the caller's ownership, as the native ones do.
for f in open/n_file open/n_moved open/n_link open/n_fifo; do
	assert_eq "$(stat -c %u:%g "$SRC/$f")" "$NOBODY_UID:$NOBODY_GID" "owner of backing $f"
done
for f in sgid/n_file sgid/n_dir; do
	assert_eq "$(stat -c %u:%g "$SRC/$f")" "$NOBODY_UID:0" "owner of backing $f (setgid dir)"
done
(cd "$NATIVE" && find . -printf '%P %u:%g %m %y %s\n' | sort) >"$T/native.tree"
(cd "$SRC" && find . -printf '%P %u:%g %m %y %s\n' | sort) >"$T/backing.tree"
assert_same_transcript "$T/native.tree" "$T/backing.tree" "ownership and modes in the backing tree"
echo "credentials: $(wc -l <"$T/native.txt") operations as uid 65534 match native"
