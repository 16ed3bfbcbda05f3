#!/usr/bin/env bash
# app_sqlite: Debian's sqlite3 running the same query on the same database
# fetches it with read() when mmap is off (PRAGMA mmap_size=0: no
# mmap-labelled READ) and through page faults when mmap is on (mmap-labelled
# READs).
. "$SRCDIR/tests/integration/lib.sh"
. "$SRCDIR/tests/integration/run_lib.sh"
command -v sqlite3 > /dev/null || skip "sqlite3 is not installed"

sqlite3 "$SRC/db.sqlite" "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB);
	WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000)
	INSERT INTO t SELECT x, randomblob(2000) FROM c;"
query="SELECT count(*), sum(length(b)) FROM t;"

run_traced "$T/nommap.trace" -- sqlite3 "$SRC/db.sqlite" "PRAGMA mmap_size=0; $query" >&2
run_traced "$T/mmap.trace" -- sqlite3 "$SRC/db.sqlite" "PRAGMA mmap_size=268435456; $query" >&2

note "mmap_size=0: $(trace_stats "$T/nommap.trace" read db.sqlite)"
note "mmap_size=256M: $(trace_stats "$T/mmap.trace" read db.sqlite)"
[ "$(trace_stats "$T/nommap.trace" read db.sqlite read)" -gt 0 ] ||
	fail "mmap_size=0: no read()-labelled READ of the database"
assert_eq "$(trace_stats "$T/nommap.trace" read db.sqlite mmap)" 0 "mmap-labelled READs with mmap_size=0"
[ "$(trace_stats "$T/mmap.trace" read db.sqlite mmap)" -gt 0 ] ||
	fail "mmap_size=256M: no mmap-labelled READ of the database"
