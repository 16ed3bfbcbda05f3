#!/bin/bash
# uring_suite: the conformance and label tests again, every mount taking
# its requests over FUSE over io_uring (accessfs -o uring).  The transport
# must change nothing a program or the trace can see: file modes and
# ownership as on the native directory, fio's verified data, stress-ng,
# real programs, and labels as exact as over /dev/fuse.  Each mount must
# hold all its rings (lib.sh wait_for_rings) and its trace must show
# requests over them, or the test fails: a silent fallback to /dev/fuse
# would make this suite a second run of the first.
. "$SRCDIR/tests/integration/lib.sh"

need_fuse_uring
echo Y >"$FUSE_URING_PARAM"

tests=(fs_lifecycle fs_credentials fs_modes fs_modes_unpriv fs_fio_verify fs_stress
	trace_source_agree label_read label_mmap label_write label_mmap_churn
	label_exec app_sqlite app_tools)
failed=()
for t in "${tests[@]}"; do
	start=$SECONDS
	rc=0
	URING_REQUIRED=1 bash "$SRCDIR/tests/integration/$t.sh" >"$T/$t.log" 2>&1 || rc=$?
	# A skip is a failure here: each runs on this machine over /dev/fuse.
	if [ "$rc" -ne 0 ]; then
		failed+=("$t")
		echo "--- $t over io_uring: exit $rc" >&2
		tail -n 20 "$T/$t.log" >&2
	else
		note "$t over io_uring: ok ($((SECONDS - start)) s)"
	fi
done
[ ${#failed[@]} -eq 0 ] || fail "over io_uring: ${failed[*]}"
exit 0
