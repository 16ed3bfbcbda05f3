/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_report_formats.c - the report outputs, read back: JSON parsed by
 * python3's json module and CSV by its csv module (both must agree with
 * the counters the analysis holds), text within 80 columns, HTML
 * self-contained.  Checks that need python3 skip when it is missing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "analysis.h"
#include "report.h"
#include "report_test_events.h"

static struct analysis a;
static char path[64];

static void add(const char *file, struct trace_event ev, uint64_t t_ns, const struct trace_proc *p)
{
	struct analysis_event e = {
		.ev = &ev, .trace = 0, .t_ns = t_ns, .path = file, .path_len = strlen(file),
		.proc = p,
	};

	assert_int_equal(analysis_add(&a, &e), 0);
}

/* data.bin read by mmap (and once by read), "odd,name\"x" written and written back. */
static int setup(void **state)
{
	struct trace_proc cat = { .pid = 100, .tid = 100, .comm = "cat", .exe = "/bin/cat" };
	struct run_trace h = { .writeback_cache = 0, .classify = 1, .mount_options = "" };
	struct trace_event ev;

	(void)state;
	analysis_init(&a, true);
	assert_int_equal(analysis_add_trace(&a, "t.trace", "hostA", &h), 0);
	for (uint64_t i = 0; i < 64; i++) {
		ev = test_io(TRACE_OP_READ, TRACE_METHOD_MMAP, i * 131072, 131072);
		ev.ahead_bytes = 126976;
		add("data.bin", ev, i * 1000000, &cat);
	}
	add("data.bin", test_read(0, 4096), 70000000, &cat);
	add("data.bin", test_op(TRACE_OP_OPEN), 0, &cat);
	for (uint64_t i = 0; i < 4; i++)
		add("odd,name\"x", test_io(TRACE_OP_WRITE, TRACE_METHOD_WRITE, i * 4096, 4096),
		    80000000 + i, &cat);
	ev = test_io(TRACE_OP_WRITE, TRACE_METHOD_WRITEBACK, 0, 16384);
	ev.trigger = TRACE_TRIGGER_CLOSE;
	ev.pid = 0;
	add("odd,name\"x", ev, 90000000, NULL);
	analysis_finish(&a);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	analysis_free(&a);
	if (path[0])
		unlink(path);
	return 0;
}

/* Render with fn into a temporary file; its name is in path. */
static void render(int (*fn)(FILE *, const struct analysis *, const struct report_options *),
		   size_t top)
{
	struct report_options o = { .top = top, .top_given = false };
	int fd;
	FILE *out;

	if (path[0])
		unlink(path);	/* the previous render's */
	strcpy(path, "/tmp/accessfs-report-test.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	out = fdopen(fd, "w");
	assert_non_null(out);
	assert_int_equal(fn(out, &a, &o), 0);
	assert_int_equal(fclose(out), 0);
}

static bool have_python3(void)
{
	return system("python3 -c pass >/dev/null 2>&1") == 0;
}

/* Run a python3 check on path; returns its exit status. */
static int python_check(const char *program)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), "python3 -c '%s' '%s'", program, path);
	return system(cmd);
}

static void test_json_parses_and_carries_the_counters(void **state)
{
	const struct analysis_file *f = analysis_find(&a, "data.bin");
	const struct method_stats *mm = file_stats_method(&f->stats, REPORT_METHOD_MMAP);
	char program[2048];

	(void)state;
	if (!have_python3())
		skip();
	render(report_json, 20);
	snprintf(program, sizeof(program),
		 "import json,sys\n"
		 "d = json.load(open(sys.argv[1]))\n"
		 "assert d[\"schema_version\"] == %d\n"
		 "f = [x for x in d[\"files\"] if x[\"path\"] == \"data.bin\"][0]\n"
		 "m = f[\"methods\"][\"mmap\"][\"counters\"]\n"
		 "assert m[\"POSIX_READS\"] == %llu, m\n"
		 "assert m[\"ACCESSFS_READAHEAD_BYTES\"] == %llu\n"
		 "assert f[\"counters\"][\"POSIX_OPENS\"] == 1\n"
		 "assert d[\"run\"][\"by_method\"][\"writeback_close\"][\"bytes_written\"] == 16384\n"
		 "assert d[\"traces\"][0][\"host\"] == \"hostA\"\n"
		 "assert any(x[\"path\"] == \"odd,name\\\"x\" for x in d[\"files\"])\n",
		 REPORT_SCHEMA_VERSION, (unsigned long long)mm->c[POSIX_READS],
		 (unsigned long long)mm->c[ACCESSFS_READAHEAD_BYTES]);
	assert_int_equal(python_check(program), 0);
}

static void test_csv_has_one_row_per_file_and_method_plus_all(void **state)
{
	char program[2048];

	(void)state;
	if (!have_python3())
		skip();
	render(report_csv, 20);
	snprintf(program, sizeof(program),
		 "import csv,sys\n"
		 "rows = list(csv.reader(open(sys.argv[1], newline=\"\")))\n"
		 "assert len(rows[0]) == 2 + %d + %d, len(rows[0])\n"
		 "keys = [(r[0], r[1]) for r in rows[1:]]\n"
		 "assert sorted(keys) == sorted([(\"data.bin\", \"read\"), (\"data.bin\", \"mmap\"),"
		 " (\"data.bin\", \"all\"), (\"odd,name\\\"x\", \"write\"),"
		 " (\"odd,name\\\"x\", \"writeback_close\"), (\"odd,name\\\"x\", \"all\")]), keys\n"
		 "assert all(len(r) == len(rows[0]) for r in rows)\n",
		 FILE_STATS_COUNTER_COUNT, FILE_STATS_FCOUNTER_COUNT);
	assert_int_equal(python_check(program), 0);
}

static void test_text_fits_80_columns_and_names_each_method(void **state)
{
	char line[1024];
	bool mmap_row = false, wb_row = false;
	FILE *in;

	(void)state;
	render(report_text, 20);
	in = fopen(path, "r");
	assert_non_null(in);
	while (fgets(line, sizeof(line), in)) {
		assert_true(strlen(line) <= 81);	/* 80 + newline */
		mmap_row |= strncmp(line, "  mmap ", 7) == 0;
		wb_row |= strncmp(line, "  writeback_close ", 18) == 0;
	}
	fclose(in);
	assert_true(mmap_row);
	assert_true(wb_row);
}

static void test_text_states_the_dominant_method_as_a_finding(void **state)
{
	const struct file_stats *f = &analysis_find(&a, "data.bin")->stats;
	uint64_t mmap_bytes = file_stats_method(f, REPORT_METHOD_MMAP)->c[POSIX_BYTES_READ];
	char line[1024], want[128];
	bool found = false;
	FILE *in;

	(void)state;
	snprintf(want, sizeof(want), "data.bin: %llu%% of read bytes came from mmap faults in",
		 (unsigned long long)(mmap_bytes * 100 / f->total.c[POSIX_BYTES_READ]));
	render(report_text, 20);
	in = fopen(path, "r");
	assert_non_null(in);
	while (fgets(line, sizeof(line), in))
		found |= strstr(line, want) != NULL;
	fclose(in);
	assert_true(found);
}

static void test_html_is_self_contained(void **state)
{
	static char buf[1 << 20];
	size_t n;
	FILE *in;

	(void)state;
	render(report_html, 20);
	in = fopen(path, "r");
	assert_non_null(in);
	n = fread(buf, 1, sizeof(buf) - 1, in);
	fclose(in);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "<svg"));
	assert_non_null(strstr(buf, "</html>"));
	assert_null(strstr(buf, "<script"));
	assert_null(strstr(buf, "http:"));
	assert_null(strstr(buf, "https:"));
	assert_null(strstr(buf, "url("));
	assert_non_null(strstr(buf, "odd,name&quot;x"));
}

#define T(name) cmocka_unit_test(name)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_json_parses_and_carries_the_counters),
		T(test_csv_has_one_row_per_file_and_method_plus_all),
		T(test_text_fits_80_columns_and_names_each_method),
		T(test_text_states_the_dominant_method_as_a_finding),
		T(test_html_is_self_contained),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
