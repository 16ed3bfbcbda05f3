#!/bin/bash
# fs_fio_verify.sh - data written through accessfs reads back intact.
#
# Proves: fio writing with crc32c verification headers through the mount,
# sequentially and randomly, by pwrite (psync) and by stores into a shared
# mapping (mmap), verifies its data after writing; the same files, with the
# page cache invalidated, verify when read back through the mount by the
# other engine (mmap-written by pread, psync-written by mmap page faults);
# and they verify again read directly from the backing directory after
# unmount, so the bytes really landed there.  Checks fio's exit status, each
# job's error and byte count, and that fio reported no verify failure.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fs_helpers.sh"

SIZE_MIB=16

# write_jobs DIR / read_jobs DIR: fio job files for the two phases.
write_jobs() {
	cat <<JOBS
[global]
directory=$1
size=${SIZE_MIB}m
verify=crc32c
do_verify=1
verify_fatal=1
fsync_on_close=1
stonewall

[psync-seq]
ioengine=psync
rw=write
bs=64k
filename=psync-seq

[psync-rand]
ioengine=psync
rw=randwrite
bs=4k
filename=psync-rand

[mmap-seq]
ioengine=mmap
rw=write
bs=64k
filename=mmap-seq

[mmap-rand]
ioengine=mmap
rw=randwrite
bs=4k
filename=mmap-rand
JOBS
}

read_jobs() {
	cat <<JOBS
[global]
directory=$1
size=${SIZE_MIB}m
verify=crc32c
verify_fatal=1
invalidate=1
stonewall

[psync-reads-mmap-seq]
ioengine=psync
rw=read
bs=64k
filename=mmap-seq

[psync-randreads-mmap-rand]
ioengine=psync
rw=randread
bs=4k
filename=mmap-rand

[mmap-reads-psync-seq]
ioengine=mmap
rw=read
bs=64k
filename=psync-seq

[mmap-randreads-psync-rand]
ioengine=mmap
rw=randread
bs=4k
filename=psync-rand
JOBS
}

# run_fio WHAT JOBFILE-GENERATOR DIR DIRECTION: run the jobs, fail unless fio
# exits 0, each job has error 0 and moved the whole size in DIRECTION, and
# nothing mentions a verify failure.
run_fio() {
	local what=$1 jobs=$2 dir=$3 direction=$4 rc=0
	$jobs "$dir" >"$T/$what.fio"
	fio --output-format=json --output="$T/$what.json" "$T/$what.fio" 2>"$T/$what.err" || rc=$?
	if [ "$rc" -ne 0 ] || grep -qi 'verify\|bad magic\|crc' "$T/$what.err"; then
		cat "$T/$what.err" >&2
		fail "$what: fio exited $rc or reported a verify failure (stderr above)"
	fi
	"$PY" - "$T/$what.json" "$direction" "$((SIZE_MIB << 20))" "$what" <<'PYEOF' || fail "$what: see above"
import json, sys
path, direction, size, what = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
text = open(path).read()
report = json.loads(text[text.index("{"):])	# fio may print notes before the JSON
bad = []
for job in report["jobs"]:
	moved = job[direction]["io_bytes"]
	verified = job["read"]["io_bytes"]
	line = f"{what}: {job['jobname']}: error={job['error']} {direction}={moved} verified={verified}"
	print(line)
	if job["error"] != 0 or moved != size or verified != size:
		bad.append(line)
if len(report["jobs"]) != 4:
	bad.append(f"{what}: {len(report['jobs'])} jobs reported, expected 4")
for line in bad:
	print(f"FAIL: {line} (expected error=0 and {size} bytes each way)", file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF
}

mount_accessfs -o notrace	# the trace is not the subject here
run_fio write-and-verify write_jobs "$MNT" write
run_fio read-back-through-mount read_jobs "$MNT" read
unmount_accessfs
run_fio read-back-from-backing read_jobs "$SRC" read
