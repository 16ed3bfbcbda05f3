# tests/integration/label_bpf_common.sh - sourced by the label_bpf_*.sh tests:
# what they need to look at the BPF label source from outside.
. "$SRCDIR/tests/integration/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root (BPF, drop_caches)"
command -v bpftool > /dev/null || skip "no bpftool"

# label_source_of TRACE: the label source its header records.
label_source_of() {
	"$ACCESSFS" report --format json "$1" |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["traces"][0]["label_source"])'
}

# header_field_of TRACE ID: the value of header key ID (trace_format.h
# TRACE_HEADER_KEYS), read from the file header itself.
header_field_of() {
	python3 - "$1" "$2" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
end, p = 16 + struct.unpack_from("<I", data, 12)[0], 16
while p < end:
    key, n = struct.unpack_from("<HH", data, p)
    if key == int(sys.argv[2]):
        print(data[p + 4:p + 4 + n].decode())
    p += 4 + n
PY
}

# bpf_progs_of PID: ids of the BPF programs process PID holds (its program
# and link descriptors say, in fdinfo), one a line.
bpf_progs_of() {
	cat /proc/"$1"/fdinfo/* 2>/dev/null | awk '$1 == "prog_id:" { print $2 }' | sort -u
}

# require_bpf_labels: skip unless this build loads BPF labels here (the
# daemon just mounted says nothing about falling back).
require_bpf_labels() {
	if grep -q "labels come from /proc" "$T/daemon.err"; then
		skip "$(grep "labels come from /proc" "$T/daemon.err")"
	fi
}
