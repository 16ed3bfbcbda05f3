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

static struct analysis a, shards;
static char path[64];

static void add_to(struct analysis *an, const char *file, struct trace_event ev, uint64_t t_ns,
		   const struct trace_proc *p)
{
	struct analysis_event e = {
		.ev = &ev, .trace = 0, .t_ns = t_ns, .path = file, .path_len = strlen(file),
		.proc = p,
	};

	assert_int_equal(analysis_add(an, &e), 0);
}

static void add(const char *file, struct trace_event ev, uint64_t t_ns, const struct trace_proc *p)
{
	add_to(&a, file, ev, t_ns, p);
}

/*
 * One dataset: shard00.bin..shard04.bin, 2 MiB each, all read by mmap
 * faults in 128 KiB requests, 96% readahead except shard03's 93%; and
 * big.bin, 4 MiB read by read(): the largest file, but less than the
 * shards together.
 */
static void add_shards(void)
{
	struct run_trace h = { .writeback_cache = 0, .classify = 1, .mount_options = "" };
	char name[32];

	analysis_init(&shards, true);
	assert_int_equal(analysis_add_trace(&shards, "t.trace", "hostA", &h), 0);
	for (int f = 0; f < 5; f++) {
		snprintf(name, sizeof(name), "shard%02d.bin", f);
		for (uint64_t i = 0; i < 16; i++) {
			struct trace_event ev = test_io(TRACE_OP_READ, TRACE_METHOD_MMAP,
							i * 131072, 131072);

			ev.ahead_bytes = f == 3 ? 121897 : 125830;	/* 93%, 96% */
			add_to(&shards, name, ev, (uint64_t)(f * 16 + i) * 1000000, NULL);
		}
	}
	for (uint64_t i = 0; i < 4; i++)
		add_to(&shards, "big.bin", test_read(i << 20, 1 << 20), 90000000 + i, NULL);
	analysis_finish(&shards);
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
	add_shards();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	analysis_free(&a);
	analysis_free(&shards);
	if (path[0])
		unlink(path);
	return 0;
}

/* Render an with fn into a temporary file; its name is in path. */
static void render(const struct analysis *an,
		   int (*fn)(FILE *, const struct analysis *, const struct report_options *),
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
	assert_int_equal(fn(out, an, &o), 0);
	assert_int_equal(fclose(out), 0);
}

/* What the last render wrote; unwrap: text's continued lines joined into one. */
static const char *rendered(bool unwrap)
{
	static char buf[1 << 20];
	size_t n, w = 0;
	FILE *in = fopen(path, "r");

	assert_non_null(in);
	n = fread(buf, 1, sizeof(buf) - 1, in);
	fclose(in);
	for (size_t r = 0; r < n; r++) {
		if (unwrap && strncmp(buf + r, "\n    ", 5) == 0) {
			buf[w++] = ' ';
			r += 4;
		} else {
			buf[w++] = buf[r];
		}
	}
	buf[w] = '\0';
	return buf;
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
	render(&a, report_json, 20);
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
	render(&a, report_csv, 20);
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
	render(&a, report_text, 20);
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
	render(&a, report_text, 20);
	in = fopen(path, "r");
	assert_non_null(in);
	while (fgets(line, sizeof(line), in))
		found |= strstr(line, want) != NULL;
	fclose(in);
	assert_true(found);
}

static void test_html_is_self_contained(void **state)
{
	const char *html;

	(void)state;
	render(&a, report_html, 20);
	html = rendered(false);
	assert_non_null(strstr(html, "<svg"));
	assert_non_null(strstr(html, "</html>"));
	assert_null(strstr(html, "<script src"));
	assert_null(strstr(html, "http:"));
	assert_null(strstr(html, "https:"));
	assert_null(strstr(html, "url("));
	assert_non_null(strstr(html, "odd,name&quot;x"));
}

static void test_html_overview_has_a_row_per_file_before_the_detail(void **state)
{
	const char *html, *overview, *detail;
	char mmap_fill[32];
	size_t rows = 0;

	(void)state;
	render(&shards, report_html, 20);
	html = rendered(false);
	overview = strstr(html, "<table id=\"overview\">");
	detail = strstr(html, "<h3 id=\"file-0\">");
	assert_non_null(overview);
	assert_non_null(detail);
	assert_true(overview < detail);
	for (const char *r = overview; (r = strstr(r, "<a href=\"#file-")) && r < detail; r++)
		rows++;
	assert_int_equal(rows, shards.nfiles);
	/* bytes moved per distinct byte: each shard read once */
	assert_non_null(strstr(overview, "<td data-v=\"1.0000\">1.00x</td>"));
	snprintf(mmap_fill, sizeof(mmap_fill), "fill=\"%s\"", report_method_colour(REPORT_METHOD_MMAP));
	assert_non_null(strstr(overview, mmap_fill));	/* the shards' strips, as in the plots */
}

static void test_findings_group_files_that_share_one_with_a_range(void **state)
{
	const char *text;

	(void)state;
	render(&shards, report_text, 20);
	text = rendered(true);
	assert_non_null(strstr(text, "  - 5 files (shard00.bin ... shard04.bin): 100% of read "
				"bytes came from mmap faults in 128 KiB requests, 93-96% of them "
				"readahead beyond what was asked\n"));
	assert_null(strstr(text, "shard01.bin:"));
}

static void test_findings_come_worst_first_by_the_bytes_of_their_files(void **state)
{
	const char *text, *group, *single;

	(void)state;
	render(&shards, report_text, 20);
	text = rendered(true);
	group = strstr(text, "  - 5 files (");
	single = strstr(text, "  - big.bin: 100% of read bytes came from read() calls in 1.0 MiB "
			      "requests\n");
	assert_non_null(group);
	assert_non_null(single);
	assert_true(group < single);	/* 10 MiB over five files before one of 4 MiB */
}

static void test_findings_name_two_or_three_files_in_full(void **state)
{
	struct analysis two;
	struct run_trace h = { .classify = 1, .mount_options = "" };
	const char *text;

	(void)state;
	analysis_init(&two, false);
	assert_int_equal(analysis_add_trace(&two, "t.trace", "hostA", &h), 0);
	add_to(&two, "b.bin", test_read(0, 4096), 0, NULL);
	add_to(&two, "a.bin", test_read(0, 4096), 1, NULL);
	analysis_finish(&two);
	render(&two, report_text, 20);
	analysis_free(&two);
	text = rendered(true);
	assert_non_null(strstr(text, "  - 2 files (a.bin, b.bin): 100% of read bytes came from "
				"read() calls in 4.0 KiB requests\n"));
}

static void test_json_findings_stay_sentences_and_detail_names_every_file(void **state)
{
	(void)state;
	if (!have_python3())
		skip();
	render(&shards, report_json, 20);
	assert_int_equal(python_check(
		"import json,sys\n"
		"d = json.load(open(sys.argv[1]))\n"
		"assert all(isinstance(x, str) for x in d[\"findings\"]), d[\"findings\"]\n"
		"det = d[\"findings_detail\"]\n"
		"assert [x[\"text\"] for x in det] == d[\"findings\"], det\n"
		"g = det[0]\n"
		"assert g[\"kind\"] == \"read_method\", g\n"
		"assert g[\"text\"].startswith(\"5 files (shard00.bin ... shard04.bin): \"), g\n"
		"assert \"93-96%\" in g[\"text\"], g\n"
		"assert sorted(g[\"files\"]) == [\"shard%02d.bin\" % i for i in range(5)], g\n"
		"assert g[\"bytes\"] == 5 * 2 * 1048576, g\n"
		"assert det[1][\"files\"] == [\"big.bin\"], det[1]\n"), 0);
}

static void test_size_ranges_read_as_sizes_in_text_and_html_keys_stay_in_json(void **state)
{
	(void)state;
	render(&a, report_text, 20);
	assert_non_null(strstr(rendered(true), "  reads by size: 1-10 KiB 1, 100 KiB-1 MiB 64\n"));
	render(&a, report_html, 20);
	assert_non_null(strstr(rendered(false), ">100 KiB-1 MiB</text>"));
	assert_non_null(strstr(rendered(false), ">&gt;= 1 GiB</text>"));
	assert_null(strstr(rendered(false), "100K_1M"));
	render(&a, report_json, 20);
	assert_non_null(strstr(rendered(false), "\"POSIX_SIZE_READ_100K_1M\":64"));
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
		T(test_html_overview_has_a_row_per_file_before_the_detail),
		T(test_findings_group_files_that_share_one_with_a_range),
		T(test_findings_come_worst_first_by_the_bytes_of_their_files),
		T(test_findings_name_two_or_three_files_in_full),
		T(test_json_findings_stay_sentences_and_detail_names_every_file),
		T(test_size_ranges_read_as_sizes_in_text_and_html_keys_stay_in_json),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
