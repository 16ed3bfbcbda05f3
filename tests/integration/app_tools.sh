#!/usr/bin/env bash
# app_tools: everyday tools on the mount show the access method they use:
# tar and sha256sum read() (read-labelled READs), cp copies (see below),
# and Python's mmap module faults pages in (mmap-labelled READs).
. "$SRCDIR/tests/integration/lib.sh"
. "$SRCDIR/tests/integration/run_lib.sh"

mkdir "$SRC/tree"
for f in a b c d; do head -c 2M /dev/urandom > "$SRC/tree/$f"; done

run_traced "$T/tar.trace" -- tar cf "$T/tree.tar" -C "$SRC" tree
expect_stats "tar: READs of tree/a" "$(trace_stats "$T/tar.trace" read tree/a)" 4 read 90 -

run_traced "$T/sha.trace" -- sha256sum "$SRC/tree/b" >&2
expect_stats "sha256sum: READs of tree/b" "$(trace_stats "$T/sha.trace" read tree/b)" 4 read 90 -

run_traced "$T/py.trace" -- python3 -c '
import mmap, sys
with open(sys.argv[1], "rb") as f, mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ) as m:
    print(sum(m[i] for i in range(0, len(m), 4096)))' "$SRC/tree/c" >&2
expect_stats "python3 mmap: READs of tree/c" "$(trace_stats "$T/py.trace" read tree/c)" 4 mmap 90 -

# cp (coreutils 9) first tries copy_file_range(2).  FUSE passes it to the
# daemon as COPY_FILE_RANGE when the daemon implements it; otherwise the
# kernel falls back to splicing through the page cache, which reaches the
# daemon as READs of the source labelled copy (or read, if cp itself
# fell back to read/write).  Either way the source must be fetched once.
run_traced "$T/cp.trace" -- cp "$SRC/tree/d" "$SRC/copy-d"
cmp "$SRC/tree/d" "$SRC/copy-d" || fail "cp did not copy tree/d"
copies=$(trace_stats "$T/cp.trace" copy_file_range tree/d)
reads=$(trace_stats "$T/cp.trace" read tree/d)
note "cp: copy_file_range of tree/d: $copies; READs of tree/d: $reads"
if [ "${copies%% *}" -eq 0 ]; then
	read -r _ method _ <<< "$reads"
	case $method in
	copy|read) ;;
	*) fail "cp: READs of tree/d labelled '$method', expected copy or read" ;;
	esac
fi
