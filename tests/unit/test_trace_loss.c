/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_trace_loss.c - when the trace cannot be written, request threads
 * keep going, the loss is counted, recorded in a LOST record once writes
 * work again and in the END record, and close reports it.  Lost names and
 * processes (META records) are counted the same way, apart from events.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include "trace_writer_testing.h"
#include "trace_test_util.h"

static int failing;

static ssize_t pwrite_unless_failing(int fd, const void *buf, size_t len, off_t off)
{
	if (__atomic_load_n(&failing, __ATOMIC_SEQ_CST)) {
		/* Half a block, as a disk filling up mid-write would. */
		if (pwrite(fd, buf, len / 2, off) < 0)
			return -1;
		errno = ENOSPC;
		return -1;
	}
	return pwrite(fd, buf, len, off);
}

static void append_n(struct trace_writer *w, uint64_t first, uint64_t n)
{
	for (uint64_t i = first; i < first + n; i++) {
		struct trace_event ev = read_event(i);

		trace_writer_append(w, &ev);
	}
}

static struct trace_reader_summary read_all(const char *path, uint64_t *offsets_ok)
{
	char err[256];
	struct trace_reader *r = trace_reader_open(path, err, sizeof(err));
	struct trace_reader_summary s;
	struct trace_event ev;

	assert_non_null(r);
	*offsets_ok = 1;
	while (trace_reader_next(r, &ev) == 1)
		*offsets_ok &= ev.size == 131072;
	assert_null(trace_reader_error(r));
	trace_reader_summary(r, &s);
	trace_reader_close(r);
	return s;
}

/* A writer at a fresh path whose writes fail after good_events are written. */
static struct trace_writer *writer_failing_after(char *path, size_t len, uint64_t good_events)
{
	struct trace_writer *w;

	temp_trace_path(path, len);
	w = open_test_writer(path);
	assert_non_null(w);
	trace_writer_set_pwrite(w, pwrite_unless_failing);
	append_n(w, 0, good_events);
	trace_writer_flush(w);
	failing = 1;
	return w;
}

static void failed_writes_are_counted_and_recorded_as_lost(void **state)
{
	char path[256];
	struct trace_writer *w = writer_failing_after(path, sizeof(path), 1000);
	struct trace_writer_stats st;
	struct trace_reader_summary s;
	uint64_t ok;

	(void)state;
	/* Far more than the buffer pool holds: appending must never block for good. */
	append_n(w, 1000, 2000000);
	trace_writer_flush(w);
	failing = 0;
	append_n(w, 0, 500);
	assert_int_equal(trace_writer_close(w, &st), -1);
	assert_int_equal(st.events, 2001500);
	assert_int_equal(st.lost, 2000000);

	s = read_all(path, &ok);
	assert_true(ok);
	assert_int_equal(s.events, 1500);
	assert_int_equal(s.lost, 2000000);
	assert_true(s.clean_end);
	assert_false(s.torn_tail);
	remove_temp_trace(path);
}

static void loss_is_reported_at_close_when_writes_never_recover(void **state)
{
	char path[256];
	struct trace_writer *w = writer_failing_after(path, sizeof(path), 100);
	struct trace_writer_stats st;
	struct trace_reader_summary s;
	uint64_t ok;

	(void)state;
	append_n(w, 100, 300);
	assert_int_equal(trace_writer_close(w, &st), -1);
	failing = 0;
	assert_int_equal(st.lost, 300);

	/* No END record could be written, and no partial block was left. */
	s = read_all(path, &ok);
	assert_int_equal(s.events, 100);
	assert_false(s.clean_end);
	assert_false(s.torn_tail);
	remove_temp_trace(path);
}

static void name_dentry(struct trace_writer *w, uint64_t file_id)
{
	const struct trace_dentry d = {
		.time_ns = 1, .file_id = file_id, .parent_id = 1, .kind = 8,
		.name = "f", .name_len = 1,
	};

	trace_writer_dentry(w, &d);
}

static void lost_names_are_counted_apart_from_events(void **state)
{
	char path[256];
	struct trace_writer *w = writer_failing_after(path, sizeof(path), 10);
	struct trace_writer_stats st;
	struct trace_reader_summary s;
	uint64_t ok;

	(void)state;
	for (uint64_t id = 100; id < 150; id++)
		name_dentry(w, id);
	trace_writer_flush(w);
	failing = 0;
	name_dentry(w, 150);
	trace_writer_close(w, &st);
	assert_int_equal(st.lost, 0);
	assert_int_equal(st.lost_meta, 50);

	s = read_all(path, &ok);
	assert_int_equal(s.events, 10);
	assert_int_equal(s.lost, 0);
	assert_int_equal(s.lost_meta, 50);
	assert_true(s.clean_end);
	remove_temp_trace(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(failed_writes_are_counted_and_recorded_as_lost),
		cmocka_unit_test(loss_is_reported_at_close_when_writes_never_recover),
		cmocka_unit_test(lost_names_are_counted_apart_from_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
