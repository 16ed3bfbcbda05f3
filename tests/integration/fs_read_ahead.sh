#!/bin/bash
# fs_read_ahead: read_ahead_kb=1024 sets the mount's bdi readahead window
# once mounted (the INIT reply cannot raise it), and a cold sequential read
# of 64 MiB then comes in READs of up to 1 MiB: far fewer than with the
# kernel's default window, which must stay untouched without the option.
. "$SRCDIR/tests/integration/lib.sh"

truncate -s 64M "$SRC/f"
reads() {	# reads: READ count and largest size in $TRACE
	"$ACCESSFS" dump --format csv "$TRACE" | python3 -c '
import csv, sys
s = [int(r["size"]) for r in csv.DictReader(sys.stdin) if r["op"] == "read"]
print(len(s), max(s))'
}
bdi() { cat /sys/class/bdi/"$(mountpoint -d "$MNT")"/read_ahead_kb; }

mount_accessfs
default_kb=$(bdi)
drop_caches
cat "$MNT/f" >/dev/null
unmount_accessfs
read -r n_default max_default < <(reads)

rm -f "$TRACE"
mount_accessfs -o read_ahead_kb=1024
assert_eq "$(bdi)" 1024 "the mount's read_ahead_kb"
drop_caches
cat "$MNT/f" >/dev/null
unmount_accessfs
read -r n_big max_big < <(reads)

note "default window ${default_kb} KiB: $n_default READs, largest $max_default; 1024 KiB: $n_big READs, largest $max_big"
[ "$default_kb" -lt 1024 ] || fail "the default window is already $default_kb KiB: nothing to compare"
assert_eq "$max_big" $((1 << 20)) "largest READ with read_ahead_kb=1024"
[ "$n_big" -le 80 ] || fail "$n_big READs for 64 MiB with a 1 MiB window (want about 64)"
[ "$n_default" -ge $((2 * n_big)) ] || fail "the default window gave $n_default READs, not far more than $n_big"
exit 0
