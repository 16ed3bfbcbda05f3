#!/usr/bin/env bash
# run_probe_methods: each `accessfs probe` method, run on the mount, shows
# in the trace as the requests and labels that method should become:
# read() in 4 KiB still reaches storage in 128 KiB readahead requests,
# MADV_RANDOM faults fetch 4 KiB each, mmap writes reach storage as
# writeback at msync, close or munmap.
. "$SRCDIR/tests/integration/lib.sh"
. "$SRCDIR/tests/integration/run_lib.sh"

head -c 8M /dev/urandom > "$SRC/data"

# probe_stats METHOD OP FILE [probe options]: run the probe, print trace_stats.
probe_stats() {
	local method=$1 op=$2 file=$3
	shift 3
	drop_caches
	run_traced "$T/$method.trace" -- "$ACCESSFS" probe "$SRC/$file" --method "$method" "$@" \
		>&2 || fail "probe $method failed"
	trace_stats "$T/$method.trace" "$op" "$file"
}

expect_stats "read, 4K buffer: READs" "$(probe_stats read read data --block 4096)" \
	32 read 90 131072
expect_stats "pread-random: READs" "$(probe_stats pread-random read data --count 200)" \
	150 read 90 4096
expect_stats "mmap-seq: READs" "$(probe_stats mmap-seq read data)" 32 mmap 90 131072
expect_stats "mmap-madv-random: READs" "$(probe_stats mmap-madv-random read data --count 256)" \
	200 mmap 95 4096
expect_stats "mmap-populate: READs" "$(probe_stats mmap-populate read data)" 32 populate 90 131072
expect_stats "write, 4K buffer: WRITEs" "$(probe_stats write write out-write --size 2M)" \
	256 write 95 4096
for trigger in msync close munmap; do
	expect_stats "mmap-write-$trigger: WRITEs" \
		"$(probe_stats mmap-write-$trigger write out-$trigger --size 1M)" 1 writeback 90 - \
		"$trigger"
done
