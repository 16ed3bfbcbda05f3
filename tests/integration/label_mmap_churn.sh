#!/usr/bin/env bash
# label_mmap_churn: page faults on a file while other threads of the process
# hammer its mmap lock (mmap/munmap) neither hang the mount (the mapping
# lookup never blocks a worker on another process's mmap lock) nor get
# mislabelled, with 16 workers and with a single one (and with BPF labels,
# which still look mappings up the same way).
. "$SRCDIR/tests/integration/label_common.sh"

truncate -s 8M "$SRC/churn"
for run in proc:16 proc:1 bpf:16; do
	threads=${run#*:}
	TRACE=$T/trace.${run/:/_}
	LABEL_SOURCE=${run%:*}
	LABEL_MODE=sync_read
	LABEL_RUNS=()
	mount_accessfs -o "sync_read,max_threads=$threads,labels=$LABEL_SOURCE"
	drop_caches
	timeout 30 "$PROGRAMS/gt_mmap_churn" -g "$T/churn.$threads.gt" -d 2 -t 3 "$MNT/churn" ||
		fail "gt_mmap_churn with max_threads=$threads failed or hung (exit $?)"
	LABEL_RUNS+=("mmap_churn_${run/:/_}|$T/churn.$threads.gt|-c 99.9 -w 0")
	label_check
done
