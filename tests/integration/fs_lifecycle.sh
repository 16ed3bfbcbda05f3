#!/bin/bash
# fs_lifecycle.sh - files and directories go through their whole life cycle
# through accessfs exactly as they do in a native directory.
#
# Proves: the same sequence of operations (create, write, read back,
# truncate, rename incl. RENAME_NOREPLACE/RENAME_EXCHANGE, hard and symbolic
# links, unlink of an open file, user.* xattrs, chmod/chown/utimensat incl.
# UTIME_NOW/UTIME_OMIT, statfs, SEEK_DATA/SEEK_HOLE, fallocate incl. punch
# hole, copy_file_range, flock and POSIX lock contention, mkfifo, mknod)
# gives the same results, errno names, stat fields and data on the mount as
# on a native directory of the same backing file system, and leaves the
# backing directory in the same state as the native one.
# Not covered here: permissions of other users (fs_credentials.sh).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fs_helpers.sh"

NATIVE=$T/native
mkdir "$NATIVE"

# The transcript: every line is "what: result" with only values that must
# not depend on which directory (or file system view) ran it.
cat >"$T/lifecycle.py" <<'PYEOF'
import ctypes, errno, fcntl, hashlib, os, stat, subprocess, sys, time

libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD = -100
RENAME_NOREPLACE, RENAME_EXCHANGE = 1, 2
UTIME_NOW, UTIME_OMIT = (1 << 30) - 1, (1 << 30) - 2
MiB = 1 << 20


class Timespec(ctypes.Structure):
	_fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


def check(rc):
	if rc < 0:
		e = ctypes.get_errno()
		raise OSError(e, os.strerror(e))
	return rc


def renameat2(old, new, flags):
	check(libc.renameat2(AT_FDCWD, old.encode(), AT_FDCWD, new.encode(), flags))


def utimensat(path, atime_ns, mtime_ns):
	def ts(v):
		if v in (UTIME_NOW, UTIME_OMIT):
			return Timespec(0, v)
		return Timespec(v // 10**9, v % 10**9)
	times = (Timespec * 2)(ts(atime_ns), ts(mtime_ns))
	check(libc.utimensat(AT_FDCWD, path.encode(), times, 0))


def errname(e):
	return errno.errorcode.get(e.errno, str(e.errno))


def attempt(what, fn, *args, show=lambda r: r, **kwargs):
	"""Print what happened: 'ok [result]' or the errno name."""
	try:
		r = fn(*args, **kwargs)
	except OSError as e:
		print(f"{what}: {errname(e)}")
		return None
	shown = show(r)
	print(f"{what}: ok" + ("" if shown is None else f" {shown}"))
	return r


def sha(data):
	return hashlib.sha256(data).hexdigest()[:16]


def pattern(n, seed):
	out = bytearray()
	i = 0
	while len(out) < n:
		out += hashlib.sha256(f"{seed}:{i}".encode()).digest()
		i += 1
	return bytes(out[:n])


def stat_line(s):
	kind = stat.S_IFMT(s.st_mode)
	line = (f"mode={s.st_mode:o} nlink={s.st_nlink} uid={s.st_uid} gid={s.st_gid}"
		f" size={s.st_size} blocks={s.st_blocks}")
	if kind in (stat.S_IFCHR, stat.S_IFBLK):
		line += f" rdev={os.major(s.st_rdev)}:{os.minor(s.st_rdev)}"
	return line


def show_stat(path, follow=True):
	attempt(f"stat {path}" + ("" if follow else " (nofollow)"),
		lambda: stat_line(os.stat(path, follow_symlinks=follow)))


def uncached_content(path):
	"""Data as the file system holds it, not as this page cache remembers it."""
	fd = os.open(path, os.O_RDONLY)
	try:
		os.fsync(fd)
		os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
		out = bytearray()
		while True:
			chunk = os.read(fd, MiB)
			if not chunk:
				return bytes(out)
			out += chunk
	finally:
		os.close(fd)


def show_content(path):
	attempt(f"content {path}", lambda: (lambda d: f"len={len(d)} sha={sha(d)}")(
		uncached_content(path)))


def write_file(path, data, mode=0o644):
	fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
	try:
		return os.write(fd, data)
	finally:
		os.close(fd)


def listing(top):
	"""Every entry below top: type, stat fields, data hash, user xattrs."""
	for root, dirs, files in os.walk(top):
		dirs.sort()
		for name in sorted(dirs + files):
			path = os.path.join(root, name)
			rel = os.path.relpath(path, top)
			s = os.lstat(path)
			line = f"{rel}: {stat_line(s)}"
			if stat.S_ISREG(s.st_mode):
				d = uncached_content(path)
				line += f" sha={sha(d)}"
			elif stat.S_ISLNK(s.st_mode):
				target = os.readlink(path)
				line += f" -> {target if len(target) < 64 else sha(target.encode())}"
			if stat.S_ISREG(s.st_mode) or stat.S_ISDIR(s.st_mode):
				xs = sorted(x for x in os.listxattr(path) if x.startswith("user."))
				line += " xattrs=" + ",".join(
					f"{x}={sha(os.getxattr(path, x))}" for x in xs)
			print(line)


def life_of_a_file():
	fd = attempt("create f O_EXCL", os.open, "f",
		os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o640, show=lambda r: None)
	attempt("create f O_EXCL again", os.open, "f", os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o640)
	data = pattern(100000, "f")
	attempt("write f", os.write, fd, data)
	attempt("pwrite f @5000", os.pwrite, fd, b"XYZ", 5000)
	attempt("pread f @4998", os.pread, fd, 8, 4998, show=lambda r: r.hex())
	attempt("fstat f", lambda: stat_line(os.fstat(fd)))
	os.close(fd)
	show_content("f")
	fd = os.open("f", os.O_WRONLY | os.O_APPEND)
	attempt("append f", os.write, fd, b"tail\n")
	os.close(fd)
	show_stat("f")
	attempt("truncate f 100", os.truncate, "f", 100)
	show_content("f")
	attempt("truncate f 70000 (extend)", os.truncate, "f", 70000)
	show_stat("f")
	show_content("f")
	fd = os.open("f", os.O_RDWR)
	attempt("ftruncate f 0", os.ftruncate, fd, 0)
	attempt("read f after ftruncate", os.read, fd, 10)
	os.close(fd)
	attempt("rewrite f", write_file, "f", pattern(12345, "f2"))
	attempt("open missing", os.open, "missing", os.O_RDONLY)
	attempt("open f/x (file as dir)", os.open, "f/x", os.O_RDONLY)
	attempt("open f O_DIRECTORY", os.open, "f", os.O_RDONLY | os.O_DIRECTORY)


def life_of_a_directory():
	attempt("mkdir d 0750", os.mkdir, "d", 0o750)
	attempt("mkdir d again", os.mkdir, "d")
	show_stat("d")
	attempt("create d/x", write_file, "d/x", b"x\n")
	attempt("mkdir d/sub", os.mkdir, "d/sub")
	show_stat("d")
	attempt("rmdir d (not empty)", os.rmdir, "d")
	attempt("unlink d (a dir)", os.unlink, "d")
	attempt("rmdir f (a file)", os.rmdir, "f")
	attempt("readdir d", lambda: sorted(
		(e.name, e.is_dir(follow_symlinks=False)) for e in os.scandir("d")))
	attempt("rmdir d/sub", os.rmdir, "d/sub")
	show_stat("d")


def renames():
	attempt("rename f g", os.rename, "f", "g")
	attempt("stat f after rename", os.stat, "f")
	show_content("g")
	attempt("create h", write_file, "h", b"h data\n")
	attempt("rename g h NOREPLACE (exists)", renameat2, "g", "h", RENAME_NOREPLACE)
	attempt("rename g g2 NOREPLACE", renameat2, "g", "g2", RENAME_NOREPLACE)
	attempt("rename g2 d EXCHANGE (file<->dir)", renameat2, "g2", "d", RENAME_EXCHANGE)
	show_stat("g2")
	show_stat("d")
	attempt("readdir g2 (was d)", lambda: sorted(os.listdir("g2")))
	show_content("d")
	attempt("rename d missing EXCHANGE", renameat2, "d", "missing", RENAME_EXCHANGE)
	attempt("rename with both flags", renameat2, "d", "h", RENAME_EXCHANGE | RENAME_NOREPLACE)
	attempt("mkdir e", os.mkdir, "e")
	attempt("rename e g2 (dir over non-empty dir)", os.rename, "e", "g2")
	attempt("rename h g2 (file over dir)", os.rename, "h", "g2")
	attempt("rename e h (dir over file)", os.rename, "e", "h")
	attempt("rename g2 g2/inside (into itself)", os.rename, "g2", "g2/inside")
	attempt("rename h g2/h (into subdir)", os.rename, "h", "g2/h")
	attempt("rename g2/h h (back)", os.rename, "g2/h", "h")
	attempt("rename e e2 (dir)", os.rename, "e", "e2")
	attempt("rename d e2 (file over empty dir)", os.rename, "d", "e2")
	attempt("rename d h (file over file)", os.rename, "d", "h")
	show_content("h")


def links():
	attempt("link h h2", os.link, "h", "h2")
	show_stat("h")
	show_stat("h2")
	attempt("link h h2 again", os.link, "h", "h2")
	attempt("link g2 (a dir)", os.link, "g2", "g2link")
	attempt("link h g2/h3 (other dir)", os.link, "h", "g2/h3")
	show_stat("h")
	attempt("symlink s -> h", os.symlink, "h", "s")
	attempt("readlink s", os.readlink, "s")
	show_stat("s", follow=False)
	show_stat("s")
	long_target = "t" * 1000
	attempt("symlink long", os.symlink, long_target, "slong")
	attempt("readlink long", lambda: sha(os.readlink("slong").encode()))
	attempt("symlink dangling", os.symlink, "nowhere", "sdang")
	attempt("open dangling", os.open, "sdang", os.O_RDONLY)
	attempt("readlink h (not a link)", os.readlink, "h")
	attempt("symlink s again", os.symlink, "x", "s")
	attempt("unlink h2", os.unlink, "h2")
	attempt("unlink g2/h3", os.unlink, "g2/h3")
	show_stat("h")


def unlink_while_open():
	fd = os.open("u", os.O_CREAT | os.O_RDWR, 0o600)
	data = pattern(50000, "u")
	os.write(fd, data)
	attempt("unlink u (open)", os.unlink, "u")
	attempt("stat u after unlink", os.stat, "u")
	attempt("fstat open unlinked u", lambda: stat_line(os.fstat(fd)))
	attempt("pread open unlinked u", lambda: sha(os.pread(fd, 100000, 0)))
	attempt("pwrite open unlinked u", os.pwrite, fd, b"more", 50000)
	attempt("fstat open unlinked u", lambda: stat_line(os.fstat(fd)))
	attempt("fchmod open unlinked u", os.fchmod, fd, 0o640)
	attempt("fstat open unlinked u", lambda: stat_line(os.fstat(fd)))
	os.close(fd)


def xattrs():
	attempt("setxattr h user.a", os.setxattr, "h", "user.a", b"1")
	attempt("setxattr h user.b", os.setxattr, "h", "user.b", b"two")
	attempt("setxattr h user.big", os.setxattr, "h", "user.big", pattern(3000, "x"))
	attempt("listxattr h", lambda: sorted(x for x in os.listxattr("h") if x.startswith("user.")))
	attempt("getxattr h user.b", os.getxattr, "h", "user.b")
	attempt("getxattr h user.big", lambda: sha(os.getxattr("h", "user.big")))
	attempt("setxattr CREATE existing", os.setxattr, "h", "user.a", b"x", os.XATTR_CREATE)
	attempt("setxattr REPLACE missing", os.setxattr, "h", "user.zz", b"x", os.XATTR_REPLACE)
	attempt("setxattr REPLACE existing", os.setxattr, "h", "user.a", b"one", os.XATTR_REPLACE)
	attempt("getxattr h user.a", os.getxattr, "h", "user.a")
	attempt("removexattr h user.a", os.removexattr, "h", "user.a")
	attempt("getxattr removed", os.getxattr, "h", "user.a")
	attempt("removexattr missing", os.removexattr, "h", "user.a")
	attempt("listxattr h", lambda: sorted(x for x in os.listxattr("h") if x.startswith("user.")))
	attempt("setxattr dir g2", os.setxattr, "g2", "user.d", b"dir")
	attempt("getxattr dir g2", os.getxattr, "g2", "user.d")
	attempt("setxattr user.* on symlink", os.setxattr, "s", "user.l", b"l", follow_symlinks=False)
	attempt("setxattr unknown namespace", os.setxattr, "h", "bogus.x", b"1")


def modes_owners_times():
	before = os.stat("h").st_ctime_ns
	time.sleep(0.02)
	attempt("chmod h 600", os.chmod, "h", 0o600)
	show_stat("h")
	attempt("ctime advanced by chmod", lambda: os.stat("h").st_ctime_ns > before)
	attempt("chmod h 4755", os.chmod, "h", 0o4755)
	show_stat("h")
	attempt("chown h 65534:65534", os.chown, "h", 65534, 65534)
	show_stat("h")
	attempt("chown h -1:0", os.chown, "h", -1, 0)
	show_stat("h")
	attempt("lchown s 65534:65534", os.chown, "s", 65534, 65534, follow_symlinks=False)
	show_stat("s", follow=False)
	show_stat("h")
	attempt("chown h 0:0", os.chown, "h", 0, 0)
	attempt("chmod h 644", os.chmod, "h", 0o644)
	attempt("utimensat h explicit", os.utime, "h", ns=(1000000123, 2000000456))
	attempt("times h", lambda: (os.stat("h").st_atime_ns, os.stat("h").st_mtime_ns))
	attempt("utimensat h OMIT,explicit", utimensat, "h", UTIME_OMIT, 3000000789)
	attempt("times h", lambda: (os.stat("h").st_atime_ns, os.stat("h").st_mtime_ns))
	t0 = time.time_ns() - 50000000
	attempt("utimensat h OMIT,NOW", utimensat, "h", UTIME_OMIT, UTIME_NOW)
	t1 = time.time_ns() + 50000000
	st = os.stat("h")
	print(f"times h: atime kept={st.st_atime_ns == 1000000123} mtime now={t0 <= st.st_mtime_ns <= t1}")
	mtime = st.st_mtime_ns
	t0 = time.time_ns() - 50000000
	attempt("utimensat h NOW,OMIT", utimensat, "h", UTIME_NOW, UTIME_OMIT)
	t1 = time.time_ns() + 50000000
	st = os.stat("h")
	print(f"times h: atime now={t0 <= st.st_atime_ns <= t1} mtime kept={st.st_mtime_ns == mtime}")
	attempt("utimensat s nofollow explicit", os.utime, "s", ns=(5000000001, 6000000002),
		follow_symlinks=False)
	attempt("times s (nofollow)", lambda: os.lstat("s").st_mtime_ns)
	attempt("utimensat missing", os.utime, "missing", ns=(1, 2))


def statfs(reference):
	s = os.statvfs(".")
	r = os.statvfs(reference)
	print(f"statfs: bsize={s.f_bsize} frsize={s.f_frsize} blocks={s.f_blocks}"
		f" files={s.f_files} namemax={s.f_namemax}")
	same = (s.f_bsize, s.f_frsize, s.f_blocks, s.f_files, s.f_namemax) == \
		(r.f_bsize, r.f_frsize, r.f_blocks, r.f_files, r.f_namemax)
	# Free counts move with everything else on the machine: close is enough.
	close = abs(s.f_bfree - r.f_bfree) <= s.f_blocks // 100 and \
		abs(s.f_bavail - r.f_bavail) <= s.f_blocks // 100 and \
		abs(s.f_ffree - r.f_ffree) <= max(s.f_files // 100, 100)
	print(f"statfs equals backing: {same} free counts close to backing: {close}")


def sparse_files():
	fd = os.open("sp", os.O_CREAT | os.O_RDWR, 0o644)
	os.pwrite(fd, pattern(4096, "a"), 0)
	os.pwrite(fd, pattern(4096, "b"), MiB)
	os.ftruncate(fd, 2 * MiB)
	os.fsync(fd)
	for what, off, whence in (("DATA", 0, os.SEEK_DATA), ("HOLE", 0, os.SEEK_HOLE),
			("DATA", 4096, os.SEEK_DATA), ("HOLE", MiB, os.SEEK_HOLE),
			("DATA", MiB + 4096, os.SEEK_DATA), ("HOLE", 2 * MiB, os.SEEK_HOLE),
			("DATA", 3 * MiB, os.SEEK_DATA)):
		attempt(f"lseek sp SEEK_{what} {off}", os.lseek, fd, off, whence)
	attempt("fstat sp", lambda: stat_line(os.fstat(fd)))
	os.close(fd)
	show_content("sp")


def fallocate(*args):
	"""fallocate(1) with its exit status; its messages would name the directory."""
	return subprocess.run(["fallocate", *args], stderr=subprocess.DEVNULL).returncode


def preallocation():
	attempt("fallocate -l 1MiB fa", fallocate, "-l", "1MiB", "fa")
	show_stat("fa")
	attempt("fill fa", write_file, "fa", b"\xaa" * (256 * 1024))
	attempt("fallocate punch 64k@64k", fallocate, "-p", "-o", "65536", "-l", "65536", "fa")
	show_stat("fa")
	show_content("fa")
	fd = os.open("fa", os.O_RDONLY)
	attempt("lseek fa SEEK_HOLE 0", os.lseek, fd, 0, os.SEEK_HOLE)
	attempt("lseek fa SEEK_DATA 65536", os.lseek, fd, 65536, os.SEEK_DATA)
	os.close(fd)
	attempt("fallocate zero 4k@0", fallocate, "-z", "-o", "0", "-l", "4096", "fa")
	show_content("fa")
	attempt("fallocate keep-size 1MiB", fallocate, "-n", "-l", "1MiB", "fa")
	show_stat("fa")
	fd = os.open("fa", os.O_WRONLY)
	attempt("posix_fallocate grows fa", os.posix_fallocate, fd, 0, 3 * MiB)
	os.close(fd)
	show_stat("fa")


def copy_range():
	write_file("cs", pattern(300000, "cs"))
	src = os.open("cs", os.O_RDONLY)
	dst = os.open("cd", os.O_CREAT | os.O_RDWR, 0o644)
	total = 0
	while total < 200000:
		n = os.copy_file_range(src, dst, 200000 - total, 1000 + total, 50 + total)
		if n == 0:
			break
		total += n
	print(f"copy_file_range cs->cd: copied {total}")
	attempt("copy_file_range past EOF", os.copy_file_range, src, dst, 10, 400000, 0)
	attempt("copy_file_range overlapping same file", os.copy_file_range,
		dst, dst, 100, 0, 50)
	os.close(src)
	os.close(dst)
	show_stat("cd")
	show_content("cd")


def run_status(*argv):
	return subprocess.run(list(argv)).returncode


def lock_contention():
	write_file("lk", b"lock\n")
	fd = os.open("lk", os.O_RDWR)
	fcntl.flock(fd, fcntl.LOCK_EX)
	attempt("flock(1) -n while held LOCK_EX", run_status, "flock", "-n", "-E", "99", "lk", "true")
	fcntl.flock(fd, fcntl.LOCK_SH)
	attempt("flock(1) -s -n while held LOCK_SH", run_status,
		"flock", "-s", "-n", "-E", "99", "lk", "true")
	attempt("flock(1) -x -n while held LOCK_SH", run_status,
		"flock", "-x", "-n", "-E", "99", "lk", "true")
	fcntl.flock(fd, fcntl.LOCK_UN)
	attempt("flock(1) -n after unlock", run_status, "flock", "-n", "-E", "99", "lk", "true")
	fcntl.lockf(fd, fcntl.LOCK_EX, 10, 0)
	pid = os.fork()
	if pid == 0:
		cfd = os.open("lk", os.O_RDWR)
		code = 0
		try:
			fcntl.lockf(cfd, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 0)
		except OSError as e:
			code = 10
		try:
			fcntl.lockf(cfd, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 20)
		except OSError:
			code += 1
		os._exit(code)
	_, status = os.waitpid(pid, 0)
	print(f"lockf in child: overlapping refused={os.waitstatus_to_exitcode(status) // 10 == 1}"
		f" disjoint refused={os.waitstatus_to_exitcode(status) % 10 == 1}")
	os.close(fd)


def special_files():
	attempt("mkfifo ff 0640", os.mkfifo, "ff", 0o640)
	attempt("mkfifo ff again", os.mkfifo, "ff")
	show_stat("ff", follow=False)
	r = os.open("ff", os.O_RDONLY | os.O_NONBLOCK)
	w = os.open("ff", os.O_WRONLY | os.O_NONBLOCK)
	os.write(w, b"ping")
	attempt("fifo round trip", os.read, r, 10)
	os.close(w)
	os.close(r)
	attempt("mknod chr 1:3", os.mknod, "nchr", 0o644 | stat.S_IFCHR, os.makedev(1, 3))
	attempt("mknod blk 7:0", os.mknod, "nblk", 0o600 | stat.S_IFBLK, os.makedev(7, 0))
	attempt("mknod reg", os.mknod, "nreg", 0o640 | stat.S_IFREG)
	attempt("mknod fifo", os.mknod, "nfifo", 0o600 | stat.S_IFIFO)
	attempt("mknod sock", os.mknod, "nsock", 0o600 | stat.S_IFSOCK)
	attempt("mknod existing", os.mknod, "nreg", 0o640 | stat.S_IFREG)
	for n in ("nchr", "nblk", "nreg", "nfifo", "nsock"):
		show_stat(n, follow=False)


def main():
	if sys.argv[1] == "list":
		listing(sys.argv[2])
		return
	os.chdir(sys.argv[2])
	os.umask(0o022)
	for step in (life_of_a_file, life_of_a_directory, renames, links, unlink_while_open,
			xattrs, modes_owners_times, lambda: statfs(sys.argv[3]), sparse_files,
			preallocation, copy_range, lock_contention, special_files):
		step()
	print("--- final tree")
	listing(".")


main()
PYEOF

"$PY" "$T/lifecycle.py" run "$NATIVE" "$NATIVE" >"$T/native.txt" 2>&1 ||
	{ cat "$T/native.txt" >&2; fail "the transcript failed on the native directory"; }

mount_accessfs -o notrace  # the trace is not the subject here
"$PY" "$T/lifecycle.py" run "$MNT" "$SRC" >"$T/mount.txt" 2>&1 ||
	{ cat "$T/mount.txt" >&2; fail "the transcript script crashed on the mount"; }
unmount_accessfs

assert_same_transcript "$T/native.txt" "$T/mount.txt" "life cycle through the mount"

# What the mount did must have landed in the backing directory.
"$PY" "$T/lifecycle.py" list "$NATIVE" >"$T/native.list"
"$PY" "$T/lifecycle.py" list "$SRC" >"$T/backing.list"
assert_same_transcript "$T/native.list" "$T/backing.list" "backing directory after unmount"
echo "life cycle: $(wc -l <"$T/native.txt") transcript lines identical to native"
