# shellcheck shell=bash
# tests/integration/fs_helpers.sh - shared by the passthrough tests (fs_*.sh).
#
# Sourced after lib.sh.  Gives the "same as a native directory" tools: the
# system python (readable by unprivileged users, unlike a per-user install),
# running a command as an unprivileged user, and diffing two transcripts
# with a message that says which case differs.  It mounts nothing itself:
# mounting and unmounting stay in lib.sh.

# System python: the tests run parts of it as uid 65534, who cannot reach a
# python installed under /root.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || skip "python3 is not installed"

NOBODY_UID=65534
NOBODY_GID=65534

# as_nobody CMD...: run CMD as uid/gid 65534 with no supplementary groups.
as_nobody() {
	setpriv --reuid=$NOBODY_UID --regid=$NOBODY_GID --clear-groups -- "$@"
}

# assert_same_transcript NATIVE OTHER WHAT: fail showing the diff when the
# transcript of the native directory and that of OTHER differ.
assert_same_transcript() {
	local native=$1 other=$2 what=$3
	[ -s "$native" ] || fail "$what: native transcript $native is empty"
	if ! diff -u "$native" "$other" >"$T/transcript.diff"; then
		cat "$T/transcript.diff" >&2
		fail "$what differs from the native directory (- native, + mount)"
	fi
}

# assert_nothing_mounted_under_T WHAT: fail when any mount is left below $T.
assert_nothing_mounted_under_T() {
	local left
	left=$(awk -v t="$T/" 'index($2, t) == 1 { print $2 }' /proc/mounts)
	[ -z "$left" ] || fail "$1: left mounted: $left"
}

# open_fd_count PID: how many descriptors PID has open now (0 once gone).
open_fd_count() {
	find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l
}

# expect_refusal WHAT NEEDLE CMD...: CMD (an accessfs invocation) must exit
# non-zero within 10 s, write exactly one line to stderr containing NEEDLE,
# and leave nothing mounted below $T.
expect_refusal() {
	local what=$1 needle=$2 rc=0 lines
	shift 2
	(cd "$T" && timeout 10 "$@") >"$T/refusal.out" 2>"$T/refusal.err" </dev/null || rc=$?
	lines=$(wc -l <"$T/refusal.err")
	[ "$rc" -ne 124 ] || fail "$what: still running after 10 s: $*"
	[ "$rc" -ne 0 ] || fail "$what: exited 0, expected a non-zero exit: $*"
	[ "$lines" -eq 1 ] ||
		fail "$what: expected exactly 1 line on stderr, got $lines:$(printf '\n'; cat "$T/refusal.err")"
	grep -qF -- "$needle" "$T/refusal.err" ||
		fail "$what: the error does not name '$needle': $(cat "$T/refusal.err")"
	assert_nothing_mounted_under_T "$what"
	echo "ok: $what (exit $rc): $(cat "$T/refusal.err")"
}

# mode_tree DIR: path, owner, mode and type of everything below DIR, sorted,
# to compare a tree made through the mount with its native twin.
mode_tree() {
	(cd "$1" && find . -printf '%P %u:%g %m %y\n' | sort)
}
