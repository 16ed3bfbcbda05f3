#!/usr/bin/env bash
# label_bpf_cleanup: the BPF programs (and with them their maps and links) a
# daemon loads are its own file descriptors, never pinned: after an unmount,
# and after a SIGKILL of the daemon, none of them is left in the kernel.
. "$SRCDIR/tests/integration/label_bpf_common.sh"

# gone IDS...: fail if any of these program ids still exists once the kernel
# has had time to free them (a program goes after an RCU grace period and
# a work item: up to 10 s are allowed for that, never asserted shorter).
gone() {
	local id
	for id in "$@"; do
		for _ in $(seq 1 100); do
			bpftool prog show id "$id" > /dev/null 2>&1 || continue 2
			sleep 0.1
		done
		fail "BPF program $id is still loaded 10 s after $how"
	done
}

truncate -s 1M "$SRC/f"
for how in unmount SIGKILL; do
	mount_accessfs
	require_bpf_labels
	cat "$MNT/f" > /dev/null
	mapfile -t ids < <(bpf_progs_of "$DAEMON_PID")
	[ "${#ids[@]}" -gt 0 ] || fail "the daemon holds no BPF program"
	if [ $how = unmount ]; then
		unmount_accessfs
	else
		kill -KILL "$DAEMON_PID"
		wait "$DAEMON_PID" 2> /dev/null || true
		DAEMON_PID=
		fusermount3 -uz "$MNT"
	fi
	gone "${ids[@]}"
	rm -f "$TRACE"
done
