/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_trace_roundtrip.c - what trace_writer writes, trace_reader returns:
 * every field, names with any byte, paths as of each event's time, process
 * names, many threads' events all present and in each thread's order; the
 * file is 0600 and never overwritten by accident; blocks reach the file
 * within the flush interval without any flush call; a reader opened from
 * an earlier reader's offset returns only the events after it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include "trace_test_util.h"

static const char nasty[] = "new\nline \"quoted\" back\\slash \x01\x7f \xff\xfe tab\t";

static struct trace_event rename_event(void)
{
	struct trace_event ev = {
		.start_ns = 5, .duration_ns = UINT64_MAX, .file_id = UINT64_MAX, .file_id2 = 2,
		.fh = UINT64_MAX, .offset = UINT64_MAX, .size = UINT64_MAX, .result = INT64_MIN,
		.tid = UINT32_MAX, .pid = UINT32_MAX, .uid = 0, .gid = UINT32_MAX,
		.flags = 1, .op = TRACE_OP_RENAME, .syscall = TRACE_SYSCALL_UNREADABLE,
		.ahead_bytes = TRACE_AHEAD_UNKNOWN, .map_start = 1, .map_len = UINT64_MAX,
		.map_offset = 3, .map_flags = TRACE_MAP_SHARED,
		.name = nasty, .name_len = sizeof(nasty) - 1, .name2 = "b", .name2_len = 1,
	};
	return ev;
}

static void every_field_and_nasty_names_survive_the_file(void **state)
{
	char path[256];
	struct trace_writer *w;
	struct trace_reader *r;
	struct trace_event in[2] = { read_event(1), rename_event() }, out;
	char err[256];

	(void)state;
	temp_trace_path(path, sizeof(path));
	w = open_test_writer(path);
	assert_non_null(w);
	trace_writer_append(w, &in[0]);
	trace_writer_append(w, &in[1]);
	assert_int_equal(trace_writer_close(w, NULL), 0);

	r = trace_reader_open(path, err, sizeof(err));
	assert_non_null(r);
	assert_string_equal(trace_reader_header(r, TRACE_HDR_host), "unit-test");
	assert_null(trace_reader_header(r, TRACE_HDR_kernel));
	for (int i = 0; i < 2; i++) {
		assert_int_equal(trace_reader_next(r, &out), 1);
		assert_memory_equal(&out, &in[i], offsetof(struct trace_event, name));
		assert_int_equal(out.name_len, in[i].name_len);
		assert_int_equal(out.name2_len, in[i].name2_len);
		if (in[i].name_len)
			assert_memory_equal(out.name, in[i].name, in[i].name_len);
		if (in[i].name2_len)
			assert_memory_equal(out.name2, in[i].name2, in[i].name2_len);
	}
	assert_int_equal(trace_reader_next(r, &out), 0);
	assert_null(trace_reader_warning(r));
	assert_null(trace_reader_error(r));
	trace_reader_close(r);
	remove_temp_trace(path);
}

static void add_dentry(struct trace_writer *w, uint64_t t, uint64_t id, uint64_t parent,
		       const char *name)
{
	struct trace_dentry d = { .time_ns = t, .file_id = id, .parent_id = parent, .kind = 8,
				  .name = name, .name_len = (uint16_t)strlen(name) };

	trace_writer_dentry(w, &d);
}

/* Names the root, dir (10) and dir/file (11), all from time 100. */
static void add_dir_file(struct trace_writer *w)
{
	add_dentry(w, 100, 1, 0, "");
	add_dentry(w, 100, 10, 1, "dir");
	add_dentry(w, 100, 11, 10, "file");
}

static void assert_path(struct trace_reader *r, uint64_t id, uint64_t t, const char *want)
{
	size_t len;
	const char *p = trace_reader_path(r, id, t, &len);

	assert_non_null(p);
	assert_string_equal(p, want);
	assert_int_equal(len, strlen(want));
}

static void paths_resolve_as_of_the_event_time_across_renames(void **state)
{
	char path[256], err[256];
	struct trace_writer *w;
	struct trace_reader *r;

	(void)state;
	temp_trace_path(path, sizeof(path));
	w = open_test_writer(path);
	/* Written out of time order on purpose: the reader must not care. */
	add_dentry(w, 300, 11, 10, "renamed");
	add_dir_file(w);
	add_dentry(w, 200, 10, 1, "dir2");
	assert_int_equal(trace_writer_close(w, NULL), 0);

	r = trace_reader_open(path, err, sizeof(err));
	assert_non_null(r);
	assert_path(r, 1, 150, "");
	assert_path(r, 11, 50, "dir/file");	/* before any name: the first */
	assert_path(r, 11, 150, "dir/file");
	assert_path(r, 11, 250, "dir2/file");
	assert_path(r, 11, 350, "dir2/renamed");
	assert_path(r, 11, 150, "dir/file");	/* the cache must not stick */
	assert_null(trace_reader_path(r, 99, 150, NULL));
	trace_reader_close(r);
	remove_temp_trace(path);
}

static void process_records_are_found_by_thread(void **state)
{
	char path[256], err[256];
	struct trace_writer *w;
	struct trace_reader *r;
	struct trace_proc a = { .time_ns = 1, .tid = 100, .pid = 100, .comm = "dd", .exe = "/bin/dd" };
	struct trace_proc b = { .time_ns = 2, .tid = 101, .pid = 100, .comm = "dd\n\"x", .exe = "" };
	const struct trace_proc *p;

	(void)state;
	temp_trace_path(path, sizeof(path));
	w = open_test_writer(path);
	trace_writer_proc(w, &a);
	trace_writer_proc(w, &b);
	assert_int_equal(trace_writer_close(w, NULL), 0);

	r = trace_reader_open(path, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(trace_reader_proc_count(r), 2);
	p = trace_reader_proc(r, 101);
	assert_non_null(p);
	assert_int_equal(p->pid, 100);
	assert_string_equal(p->comm, "dd\n\"x");
	assert_string_equal(trace_reader_proc(r, 100)->exe, "/bin/dd");
	assert_null(trace_reader_proc(r, 5));
	trace_reader_close(r);
	remove_temp_trace(path);
}

#define NTHREADS 4
#define PER_THREAD 200000

struct thread_arg {
	struct trace_writer *w;
	uint32_t id;
};

static void *append_sequence(void *p)
{
	struct thread_arg *a = p;

	for (uint64_t i = 0; i < PER_THREAD; i++) {
		struct trace_event ev = read_event(i);

		ev.tid = a->id;
		ev.offset = i;		/* the per-thread sequence number */
		trace_writer_append(a->w, &ev);
	}
	return NULL;
}

static void all_threads_events_are_present_in_thread_order(void **state)
{
	char path[256], err[256];
	struct trace_writer *w;
	struct trace_reader *r;
	struct trace_writer_stats st;
	pthread_t th[NTHREADS];
	struct thread_arg args[NTHREADS];
	uint64_t next[NTHREADS] = { 0 };
	struct trace_event ev;
	int rc;

	(void)state;
	temp_trace_path(path, sizeof(path));
	w = open_test_writer(path);
	for (uint32_t i = 0; i < NTHREADS; i++) {
		args[i] = (struct thread_arg){ w, i };
		pthread_create(&th[i], NULL, append_sequence, &args[i]);
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(trace_writer_close(w, &st), 0);
	assert_int_equal(st.events, NTHREADS * PER_THREAD);
	assert_int_equal(st.lost, 0);

	r = trace_reader_open(path, err, sizeof(err));
	assert_non_null(r);
	while ((rc = trace_reader_next(r, &ev)) == 1) {
		assert_true(ev.tid < NTHREADS);
		assert_int_equal(ev.offset, next[ev.tid]);
		next[ev.tid]++;
	}
	assert_int_equal(rc, 0);
	for (int i = 0; i < NTHREADS; i++)
		assert_int_equal(next[i], PER_THREAD);
	trace_reader_close(r);
	remove_temp_trace(path);
}

static void *append_one_and_exit(void *p)
{
	struct trace_event ev = read_event(1);

	trace_writer_append(p, &ev);
	return NULL;
}

static void events_of_exited_threads_are_written(void **state)
{
	char path[256], err[256];
	struct trace_writer *w;
	struct trace_reader *r;
	struct trace_reader_summary s;
	struct trace_event ev;
	pthread_t th;

	(void)state;
	temp_trace_path(path, sizeof(path));
	w = open_test_writer(path);
	for (int i = 0; i < 50; i++) {
		pthread_create(&th, NULL, append_one_and_exit, w);
		pthread_join(th, NULL);
	}
	assert_int_equal(trace_writer_close(w, NULL), 0);
	r = trace_reader_open(path, err, sizeof(err));
	while (trace_reader_next(r, &ev) == 1)
		;
	trace_reader_summary(r, &s);
	assert_int_equal(s.events, 50);
	assert_true(s.clean_end);
	trace_reader_close(r);
	remove_temp_trace(path);
}

static uint64_t count_events(const char *path)
{
	char err[256];
	struct trace_reader *r = trace_reader_open(path, err, sizeof(err));
	struct trace_event ev;
	uint64_t n = 0;

	assert_non_null(r);
	while (trace_reader_next(r, &ev) == 1)
		n++;
	trace_reader_close(r);
	return n;
}

static void events_reach_the_file_within_the_flush_interval(void **state)
{
	char path[256];
	struct trace_writer *w;
	struct trace_event ev = read_event(1);
	struct timespec ts = { 0, (TRACE_FLUSH_INTERVAL_MS + 50) * 1000000L };

	(void)state;
	temp_trace_path(path, sizeof(path));
	w = open_test_writer(path);
	trace_writer_append(w, &ev);
	assert_int_equal(count_events(path), 0);
	nanosleep(&ts, NULL);
	assert_int_equal(count_events(path), 1);
	trace_writer_close(w, NULL);
	remove_temp_trace(path);
}

static void flush_writes_everything_appended_before_it(void **state)
{
	char path[256];
	struct trace_writer *w;
	struct trace_event ev = read_event(1);

	(void)state;
	temp_trace_path(path, sizeof(path));
	w = open_test_writer(path);
	for (int i = 0; i < 1000; i++)
		trace_writer_append(w, &ev);
	trace_writer_flush(w);
	assert_int_equal(count_events(path), 1000);
	trace_writer_close(w, NULL);
	remove_temp_trace(path);
}

/* Read from offset from to the end: the first event's start_ns, the count, the new offset. */
static int read_from(const char *path, uint64_t from, uint64_t *first_ns, uint64_t *offset)
{
	char err[256];
	struct trace_reader *r = trace_reader_open_from(path, from, err, sizeof(err));
	struct trace_event ev;
	int n = 0;

	assert_non_null(r);
	while (trace_reader_next(r, &ev) == 1)
		if (n++ == 0)
			*first_ns = ev.start_ns;
	*offset = trace_reader_offset(r);
	assert_path(r, 11, 150, "dir/file");	/* named before the offset */
	trace_reader_close(r);
	return n;
}

static void reading_from_an_offset_returns_only_the_later_events(void **state)
{
	char path[256], err[256];
	struct trace_writer *w;
	uint64_t first = 0, offset, offset2;

	(void)state;
	temp_trace_path(path, sizeof(path));
	w = open_test_writer(path);
	add_dir_file(w);
	for (uint64_t i = 0; i < 300; i++) {
		struct trace_event ev = read_event(i);

		trace_writer_append(w, &ev);
	}
	trace_writer_flush(w);
	assert_int_equal(read_from(path, 0, &first, &offset), 300);
	assert_int_equal(first, read_event(0).start_ns);

	for (uint64_t i = 300; i < 500; i++) {
		struct trace_event ev = read_event(i);

		trace_writer_append(w, &ev);
	}
	trace_writer_flush(w);
	assert_int_equal(read_from(path, offset, &first, &offset2), 200);
	assert_int_equal(first, read_event(300).start_ns);
	assert_true(offset2 > offset);
	assert_int_equal(read_from(path, offset2, &first, &offset), 0);
	assert_int_equal(offset, offset2);

	assert_null(trace_reader_open_from(path, offset2 - 1, err, sizeof(err)));
	assert_non_null(strstr(err, "the trace changed"));
	trace_writer_close(w, NULL);
	remove_temp_trace(path);
}

static void trace_file_is_0600_and_not_overwritten(void **state)
{
	char path[256], err[256];
	struct trace_writer *w;
	struct stat st;
	mode_t old = umask(0);

	(void)state;
	temp_trace_path(path, sizeof(path));
	w = open_test_writer(path);
	umask(old);
	assert_non_null(w);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_null(trace_writer_open(path, NULL, 0, false, err, sizeof(err)));
	assert_non_null(strstr(err, "File exists"));
	trace_writer_close(w, NULL);
	w = trace_writer_open(path, NULL, 0, true, err, sizeof(err));
	assert_non_null(w);
	trace_writer_close(w, NULL);
	remove_temp_trace(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_field_and_nasty_names_survive_the_file),
		cmocka_unit_test(paths_resolve_as_of_the_event_time_across_renames),
		cmocka_unit_test(process_records_are_found_by_thread),
		cmocka_unit_test(all_threads_events_are_present_in_thread_order),
		cmocka_unit_test(events_of_exited_threads_are_written),
		cmocka_unit_test(events_reach_the_file_within_the_flush_interval),
		cmocka_unit_test(flush_writes_everything_appended_before_it),
		cmocka_unit_test(reading_from_an_offset_returns_only_the_later_events),
		cmocka_unit_test(trace_file_is_0600_and_not_overwritten),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
