#!/usr/bin/env bash
# label_mmap: page faults on mappings of a file are labelled "mmap" (shared,
# private, sequential, random, under each madvise), including faults inside
# a write() whose buffer is the mapping; MADV_WILLNEED's own READs "advise";
# MAP_POPULATE, MADV_POPULATE_READ and mlock "populate"; read() of one file
# mixed with faults on another keeps each file's label, in one thread or two.
# All of them, under BPF labels in both read modes and /proc with sync reads.
. "$SRCDIR/tests/integration/label_common.sh"

files=(sh pr rnd arnd aseq awill pop popr mlk fw mixa mixb tha thb)
for f in "${files[@]}"; do truncate -s 8M "$SRC/$f"; done
for cfg in $LABEL_CONFIGS; do
	label_mount "$cfg"
	strict=$LABEL_STRICT
	label_run mmap_shared "$strict" gt_mmap "$MNT/sh"
	label_run mmap_private "$strict" gt_mmap -p "$MNT/pr"
	label_run mmap_random "$strict" gt_mmap -r -n 300 "$MNT/rnd"
	label_run mmap_madv_random "$strict" gt_mmap -a random -r -n 300 "$MNT/arnd"
	label_run mmap_madv_sequential "$strict" gt_mmap -a sequential "$MNT/aseq"
	label_run mmap_madv_willneed "$strict" gt_mmap -a willneed "$MNT/awill"
	label_run map_populate "$strict" gt_populate -m map_populate "$MNT/pop"
	label_run madv_populate_read "$strict" gt_populate -m populate_read "$MNT/popr"
	label_run mlock "$strict" gt_populate -m mlock "$MNT/mlk"
	label_run fault_in_write "$strict" gt_fault_in_write "$MNT/fw" "$T/out"
	label_run mixed_one_thread "$strict" gt_mixed "$MNT/mixa" "$MNT/mixb"
	label_run mixed_two_threads "$strict" gt_mixed -t "$MNT/tha" "$MNT/thb"
	label_check
done
