#!/usr/bin/env bash
# label_exec_name: a thread that execs another program is named after the
# new one for the requests it sends from then on (a second PROC record,
# written when it opens a file under its new name, and readers take the
# record in force at each event's time): bash reading a file, then exec'ing
# python3 on the same thread, shows bash's READs as bash and python3's as
# python3; and python3, once renamed by prctl(PR_SET_NAME), by its new
# name (a rename without exec).  Under both label sources.
. "$SRCDIR/tests/integration/lib.sh"

command -v python3 > /dev/null || skip "no python3"
head -c 65536 /dev/urandom > "$SRC/before"
head -c 65536 /dev/urandom > "$SRC/after"
head -c 65536 /dev/urandom > "$SRC/renamed"
for source in bpf proc; do
	TRACE=$T/trace.$source
	mount_accessfs -o "labels=$source"
	# shellcheck disable=SC2016
	bash -c 'read -r -n 1 _ < "$1"; exec python3 -c "
import ctypes, sys
open(sys.argv[1], \"rb\").read()
ctypes.CDLL(None).prctl(15, b\"pyrenamed\", 0, 0, 0)  # PR_SET_NAME
open(sys.argv[2], \"rb\").read()" "$2" "$3"' sh \
		"$MNT/before" "$MNT/after" "$MNT/renamed" || fail "bash, then python3, failed"
	unmount_accessfs
	comms=$("$ACCESSFS" dump --op read "$TRACE" | python3 -c '
import json, sys
seen = {}
for line in sys.stdin:
    e = json.loads(line)
    seen.setdefault(e.get("path"), set()).add(e.get("comm"))
print(" ".join("%s=%s" % (p, ",".join(sorted(c))) for p, c in sorted(seen.items())))')
	assert_eq "$comms" "after=python3 before=bash renamed=pyrenamed" "comm of each file's READs ($source labels)"
done
