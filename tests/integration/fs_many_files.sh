#!/bin/bash
# fs_many_files.sh - a tree of 100,000 files is served with a 4096-fd limit.
#
# Proves: with `ulimit -n 4096` for the daemon, walking 100,000 files (100
# directories of 1,000) through the mount, stat-ing and reading every one,
# succeeds with every file and every byte delivered (count, total bytes and a
# hash of all contents equal the backing tree's), and the daemon's open
# descriptors, sampled throughout, stay below 4096: it does not keep one
# descriptor per inode the kernel remembers.  Runs with -o notrace: the
# trace is not the subject here, and it keeps the run short.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fs_helpers.sh"

DIRS=100
PER_DIR=1000
FD_LIMIT=4096

# A tmpfs backing keeps creating and removing 100,000 files to a second or
# two; the daemon serves it like any other directory (it has file handles).
if mount -t tmpfs -o size=1g,mode=0755 accessfs-many-files "$SRC" 2>/dev/null; then
	BACKING_TMPFS=1
else
	BACKING_TMPFS=
	note "cannot mount a tmpfs at $SRC: the 100,000 files go on $(stat -f -c %T "$T")"
fi
release_backing() {
	[ -z "$BACKING_TMPFS" ] || umount "$SRC"
	BACKING_TMPFS=
}

# tree.py make DIR: create the tree; tree.py walk DIR: stat and read every
# file below DIR in name order.  Both print "N files, B bytes, sha S".
cat >"$T/tree.py" <<'PYEOF'
import hashlib, os, sys

mode, top = sys.argv[1], sys.argv[2]
count = total = 0
digest = hashlib.sha256()


def account(data):
	global count, total
	count += 1
	total += len(data)
	digest.update(data)


if mode == "make":
	dirs, per_dir = int(sys.argv[3]), int(sys.argv[4])
	for d in range(dirs):
		path = os.path.join(top, f"d{d:03}")
		os.mkdir(path)
		for i in range(per_dir):
			data = f"{d}/{i}\n".encode() * (1 + i % 3)
			fd = os.open(os.path.join(path, f"f{i:04}"), os.O_WRONLY | os.O_CREAT, 0o644)
			os.write(fd, data)
			os.close(fd)
			account(data)
else:
	errors = 0
	for root, dirs, files in os.walk(top, onerror=lambda e: sys.exit(f"walk: {e}")):
		dirs.sort()
		for name in sorted(files):
			path = os.path.join(root, name)
			try:
				fd = os.open(path, os.O_RDONLY)
				size = os.fstat(fd).st_size
				data = os.read(fd, size + 1)
				os.close(fd)
			except OSError as e:
				errors += 1
				if errors <= 5:
					print(f"{path}: {e.strerror}", file=sys.stderr)
				continue
			if len(data) != size:
				sys.exit(f"{path}: read {len(data)} bytes, fstat says {size}")
			account(data)
	if errors:
		sys.exit(f"{errors} files could not be read")
print(f"{count} files, {total} bytes, sha {digest.hexdigest()[:16]}")
PYEOF

expected=$("$PY" "$T/tree.py" make "$SRC" "$DIRS" "$PER_DIR")
assert_eq "${expected%% *}" "$((DIRS * PER_DIR))" "files created in the backing tree"

ulimit -n $FD_LIMIT	# inherited by the daemon
mount_accessfs -o notrace
limit=$(awk '/^Max open files/ { print $4 }' "/proc/$DAEMON_PID/limits")
assert_eq "$limit" "$FD_LIMIT" "the daemon's open-file limit"

# Sample the daemon's descriptors until told to stop; keep the largest.
(
	max=0 samples=0
	while [ ! -e "$T/stop_sampling" ]; do
		n=$(open_fd_count "$DAEMON_PID")
		[ "$n" -gt "$max" ] && max=$n
		samples=$((samples + 1))
		sleep 0.05
	done
	echo "$max $samples" >"$T/fd_max"
) &
SAMPLER=$!

start=$SECONDS
walk_rc=0
got=$("$PY" "$T/tree.py" walk "$MNT") || walk_rc=$?
touch "$T/stop_sampling"
wait "$SAMPLER"
read -r fd_max samples <"$T/fd_max"
unmount_accessfs
release_backing

echo "created:        $expected"
echo "read via mount: $got ($((SECONDS - start)) s)"
echo "daemon:         at most $fd_max open descriptors in $samples samples (limit $FD_LIMIT)"
[ "$walk_rc" -eq 0 ] || fail "stat-and-read walk of the mount failed (exit $walk_rc, errors above)"
assert_eq "$got" "$expected" "files, bytes and contents read through the mount"
[ "$samples" -ge 5 ] || fail "only $samples samples of the daemon's descriptors"
[ "$fd_max" -lt "$FD_LIMIT" ] ||
	fail "the daemon held $fd_max descriptors, not below the limit $FD_LIMIT"
