# tests/integration/run_lib.sh - sourced (after lib.sh) by the run_* and
# app_* tests: run a command under `accessfs run` over $SRC, then ask the
# trace it wrote what reached the storage.  Not a test itself.

# run_traced TRACE [run options] -- COMMAND...: no report, no live view.
run_traced() {
	local trace=$1
	shift
	"$ACCESSFS" run --quiet --no-report --dir "$SRC" --trace "$trace" "$@"
}

# trace_stats TRACE OP PATH [METHOD]: over the OP events ("read", "write"...)
# on PATH (relative to the mount root), print one line:
#   COUNT DOMINANT-METHOD ITS-SHARE-% COMMON-SIZE DOMINANT-TRIGGER
# ("0 - 0 0 -" when there are none); with METHOD, only how many had it.
trace_stats() {
	"$ACCESSFS" dump "$1" > "$1.jsonl" || fail "accessfs dump $1 failed"
	python3 -c '
import collections, json, sys
jsonl, op, path, only = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
methods, sizes, triggers = collections.Counter(), collections.Counter(), collections.Counter()
for line in open(jsonl):
    ev = json.loads(line)
    if ev.get("op") != op or ev.get("path", "").lstrip("/") != path:
        continue
    methods[ev.get("method", "none")] += 1
    sizes[ev.get("size")] += 1
    triggers[ev.get("trigger", "none")] += 1
n = sum(methods.values())
if only:
    print(methods[only[0]])
elif not n:
    print("0 - 0 0 -")
else:
    m, c = methods.most_common(1)[0]
    print(n, m, c * 100 // n, sizes.most_common(1)[0][0], triggers.most_common(1)[0][0])
' "$1.jsonl" "${@:2}"
}

# expect_stats WHAT "COUNT METHOD SHARE SIZE TRIGGER" MIN-COUNT METHOD MIN-SHARE SIZE [TRIGGER]
# fails unless the stats line shows at least MIN-COUNT events, mostly
# (MIN-SHARE %) METHOD, of most common size SIZE ("-" = any), and TRIGGER.
expect_stats() {
	local what=$1 n m share size trig
	read -r n m share size trig <<< "$2"
	note "$what: $2"
	[ "$n" -ge "$3" ] || fail "$what: $n events, expected at least $3"
	[ "$m" = "$4" ] || fail "$what: mostly labelled '$m', expected '$4'"
	[ "$share" -ge "$5" ] || fail "$what: only $share% labelled $4, expected >= $5%"
	[ "$6" = - ] || [ "$size" = "$6" ] || fail "$what: common size $size, expected $6"
	[ -z "${7:-}" ] || [ "$trig" = "$7" ] || fail "$what: trigger '$trig', expected '$7'"
}

# assert_nothing_mounted_under DIR: no mount at or below DIR in this namespace.
assert_nothing_mounted_under() {
	! grep -q " $1[ /]" /proc/mounts || fail "something is still mounted at $1: $(grep " $1" /proc/mounts)"
}
