/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_classify.c - the classifier's decision rules, as a table: what the
 * requesting thread was seen doing -> the label.  No /proc, no mount.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <cmocka.h>
#include "classify.h"
#include "requester.h"

#define PAGE 4096u
#define KiB 1024u

static const struct classifier_config sync_cfg = { .labels = true, .page_size = PAGE };
static const struct classifier_config async_cfg = { .labels = true, .async_read = true,
						    .page_size = PAGE };
static const struct classifier_config wbc_cfg = { .labels = true, .writeback_cache = true,
						  .page_size = PAGE };

/* A thread seen in syscall nr with args, its fd checked as fd. */
static struct requester_state in_syscall(int32_t nr, enum fd_identity fd, uint64_t a0,
					 uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct requester_state st = { .readable = true, .nr = nr, .fd = fd };

	st.args[0] = a0;
	st.args[1] = a1;
	st.args[2] = a2;
	st.args[3] = a3;
	return st;
}

static const struct requester_state faulting = { .readable = true, .nr = TRACE_SYSCALL_FAULT };
static const struct requester_state running = { .readable = true, .running = true };
static const struct requester_state unreadable = { .readable = false };

static struct trace_event request(enum trace_op op, uint64_t offset, uint64_t size)
{
	struct trace_event ev = { .op = op, .tid = 100, .pid = 100, .file_id = 7,
				  .offset = offset, .size = size };
	return ev;
}

static struct trace_event label(const struct classifier_config *cfg,
				const struct requester_state *st, struct trace_event ev)
{
	classify_label(cfg, st, &ev);
	return ev;
}

struct method_case {
	const char *what;
	const struct classifier_config *cfg;
	struct requester_state st;
	enum trace_method expect;
};

static void read_methods_follow_the_requesters_syscall(void **state)
{
	struct requester_state stream_mmap = running, stream_fault = faulting;
	struct requester_state read_other_stream =
		in_syscall(SYS_read, FD_OTHER_FILE, 3, 0, 4096, 0);
	struct requester_state io_worker = in_syscall(SYS_read, FD_UNCHECKED, 0, 0, 0, 0);

	stream_mmap.stream_hit = true;
	stream_mmap.stream_method = TRACE_METHOD_MMAP;
	stream_fault.stream_hit = true;
	stream_fault.stream_method = TRACE_METHOD_READ;
	read_other_stream.stream_hit = true;
	read_other_stream.stream_method = TRACE_METHOD_READ;
	io_worker.io_worker = true;
	const struct method_case cases[] = {
		{ "read on this fd", &sync_cfg, in_syscall(SYS_read, FD_THIS_FILE, 3, 0, 4096, 0),
		  TRACE_METHOD_READ },
		{ "pread64 on this fd", &sync_cfg,
		  in_syscall(SYS_pread64, FD_THIS_FILE, 3, 0, 4096, 0), TRACE_METHOD_READ },
		{ "readv on this fd", &sync_cfg, in_syscall(SYS_readv, FD_THIS_FILE, 3, 0, 2, 0),
		  TRACE_METHOD_READ },
		{ "preadv on this fd", &sync_cfg,
		  in_syscall(SYS_preadv, FD_THIS_FILE, 3, 0, 2, 0), TRACE_METHOD_READ },
		{ "preadv2 on this fd", &sync_cfg,
		  in_syscall(SYS_preadv2, FD_THIS_FILE, 3, 0, 2, 0), TRACE_METHOD_READ },
		{ "read, fd unchecked", &sync_cfg,
		  in_syscall(SYS_read, FD_UNCHECKED, 3, 0, 4096, 0), TRACE_METHOD_READ },
		{ "read on another fd faults on its buffer", &sync_cfg,
		  in_syscall(SYS_read, FD_OTHER_FILE, 3, 0, 4096, 0), TRACE_METHOD_MMAP },
		{ "fault outside a syscall", &sync_cfg, faulting, TRACE_METHOD_MMAP },
		{ "write to another file faults on its buffer", &sync_cfg,
		  in_syscall(SYS_write, FD_OTHER_FILE, 4, 0, 4096, 0), TRACE_METHOD_MMAP },
		{ "pwritev2 without writeback cache faults on its buffer", &sync_cfg,
		  in_syscall(SYS_pwritev2, FD_THIS_FILE, 4, 0, 1, 0), TRACE_METHOD_MMAP },
		{ "write on this fd with writeback cache reads a partial page", &wbc_cfg,
		  in_syscall(SYS_write, FD_THIS_FILE, 4, 0, 100, 0), TRACE_METHOD_WRITE },
		{ "mmap MAP_POPULATE of this fd", &sync_cfg,
		  in_syscall(SYS_mmap, FD_THIS_FILE, 0, 1 << 20, PROT_READ,
			     MAP_SHARED | MAP_POPULATE), TRACE_METHOD_POPULATE },
		{ "mmap without MAP_POPULATE reads nothing", &sync_cfg,
		  in_syscall(SYS_mmap, FD_THIS_FILE, 0, 1 << 20, PROT_READ, MAP_SHARED),
		  TRACE_METHOD_UNKNOWN },
		{ "madvise MADV_POPULATE_READ", &sync_cfg,
		  in_syscall(SYS_madvise, FD_UNCHECKED, 0x1000, 4096, 22, 0),
		  TRACE_METHOD_POPULATE },
		{ "madvise MADV_POPULATE_WRITE", &sync_cfg,
		  in_syscall(SYS_madvise, FD_UNCHECKED, 0x1000, 4096, 23, 0),
		  TRACE_METHOD_POPULATE },
		{ "mlock", &sync_cfg, in_syscall(SYS_mlock, FD_UNCHECKED, 0x1000, 4096, 0, 0),
		  TRACE_METHOD_POPULATE },
		{ "mlock2", &sync_cfg, in_syscall(SYS_mlock2, FD_UNCHECKED, 0x1000, 4096, 0, 0),
		  TRACE_METHOD_POPULATE },
		{ "mlockall", &sync_cfg, in_syscall(SYS_mlockall, FD_UNCHECKED, 3, 0, 0, 0),
		  TRACE_METHOD_POPULATE },
		{ "madvise MADV_WILLNEED", &sync_cfg,
		  in_syscall(SYS_madvise, FD_UNCHECKED, 0x1000, 4096, MADV_WILLNEED, 0),
		  TRACE_METHOD_ADVISE },
		{ "madvise MADV_RANDOM reads nothing", &sync_cfg,
		  in_syscall(SYS_madvise, FD_UNCHECKED, 0x1000, 4096, MADV_RANDOM, 0),
		  TRACE_METHOD_UNKNOWN },
		{ "fadvise64 WILLNEED on this fd", &sync_cfg,
		  in_syscall(SYS_fadvise64, FD_THIS_FILE, 3, 0, 4096, POSIX_FADV_WILLNEED),
		  TRACE_METHOD_ADVISE },
		{ "readahead(2) on this fd", &sync_cfg,
		  in_syscall(SYS_readahead, FD_THIS_FILE, 3, 0, 4096, 0), TRACE_METHOD_ADVISE },
		{ "sendfile from this fd", &sync_cfg,
		  in_syscall(SYS_sendfile, FD_THIS_FILE, 1, 3, 0, 4096), TRACE_METHOD_COPY },
		{ "splice from this fd", &sync_cfg,
		  in_syscall(SYS_splice, FD_THIS_FILE, 3, 0, 5, 0), TRACE_METHOD_COPY },
		{ "copy_file_range from this fd", &sync_cfg,
		  in_syscall(SYS_copy_file_range, FD_THIS_FILE, 3, 0, 5, 0),
		  TRACE_METHOD_COPY },
		{ "running thread without a stream", &sync_cfg, running, TRACE_METHOD_UNKNOWN },
		{ "unreadable thread", &sync_cfg, unreadable, TRACE_METHOD_UNKNOWN },
		{ "unrelated syscall", &sync_cfg,
		  in_syscall(SYS_nanosleep, FD_UNCHECKED, 0, 0, 0, 0), TRACE_METHOD_UNKNOWN },
		{ "an io_uring worker's READ is io_uring's", &sync_cfg, io_worker, TRACE_METHOD_IO_URING },
		{ "a READ inside io_uring_enter is io_uring's", &sync_cfg,
		  in_syscall(SYS_io_uring_enter, FD_UNCHECKED, 0, 0, 0, 0), TRACE_METHOD_IO_URING },
		{ "running thread continuing a stream inherits it", &sync_cfg, stream_mmap,
		  TRACE_METHOD_MMAP },
		{ "sync reads: a fault beats the stream", &sync_cfg, stream_fault,
		  TRACE_METHOD_MMAP },
		{ "async reads: the stream beats a fault", &async_cfg, stream_fault,
		  TRACE_METHOD_READ },
		{ "async reads: the stream beats a read on another fd", &async_cfg,
		  read_other_stream, TRACE_METHOD_READ },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct trace_event ev = label(cases[i].cfg, &cases[i].st,
					      request(TRACE_OP_READ, 0, 128 * KiB));

		if (ev.method != cases[i].expect)
			fail_msg("%s: expected %s, got %s", cases[i].what,
				 trace_method_name(cases[i].expect), trace_method_name(ev.method));
	}
}

static void read_from_pid_0_is_kernel(void **state)
{
	struct trace_event ev = request(TRACE_OP_READ, 0, 4096);

	(void)state;
	ev.tid = ev.pid = 0;
	ev = label(&sync_cfg, &unreadable, ev);
	assert_int_equal(ev.method, TRACE_METHOD_KERNEL);
	assert_int_equal(ev.syscall, TRACE_SYSCALL_NONE);
}

static void syscall_field_records_what_was_seen(void **state)
{
	struct requester_state st = in_syscall(SYS_pread64, FD_THIS_FILE, 3, 0, 4096, 0);

	(void)state;
	assert_int_equal(label(&sync_cfg, &st, request(TRACE_OP_READ, 0, 4096)).syscall,
			 SYS_pread64);
	assert_int_equal(label(&sync_cfg, &faulting, request(TRACE_OP_READ, 0, 4096)).syscall,
			 TRACE_SYSCALL_FAULT);
	assert_int_equal(label(&sync_cfg, &running, request(TRACE_OP_READ, 0, 4096)).syscall,
			 TRACE_SYSCALL_UNREADABLE);
}

/* read(fd, buf, 10000) at pos 5000: demand is pages [4096, 16384). */
static void read_ahead_is_the_request_beyond_pos_plus_count(void **state)
{
	struct requester_state st = in_syscall(SYS_read, FD_THIS_FILE, 3, 0, 10000, 0);

	(void)state;
	st.pos_known = true;
	st.pos = 5000;
	assert_int_equal(label(&sync_cfg, &st, request(TRACE_OP_READ, 4096, 128 * KiB)).ahead_bytes,
			 4096 + 128 * KiB - 16384);
	/* A request wholly inside the demand has nothing ahead. */
	assert_int_equal(label(&sync_cfg, &st, request(TRACE_OP_READ, 4096, 8192)).ahead_bytes, 0);
	/* A request wholly beyond it is all ahead. */
	assert_int_equal(label(&sync_cfg, &st, request(TRACE_OP_READ, 65536, 4096)).ahead_bytes,
			 4096);
}

static void pread_ahead_uses_offset_and_count_args(void **state)
{
	struct requester_state st = in_syscall(SYS_pread64, FD_THIS_FILE, 3, 0, 4096, 1 << 20);

	(void)state;
	assert_int_equal(
		label(&sync_cfg, &st, request(TRACE_OP_READ, 1 << 20, 128 * KiB)).ahead_bytes,
		128 * KiB - 4096);
}

static void read_without_pos_or_readv_has_unknown_ahead(void **state)
{
	struct requester_state rd = in_syscall(SYS_read, FD_THIS_FILE, 3, 0, 4096, 0);
	struct requester_state rv = in_syscall(SYS_readv, FD_THIS_FILE, 3, 0, 2, 0);

	(void)state;
	assert_true(label(&sync_cfg, &rd, request(TRACE_OP_READ, 0, 8192)).ahead_bytes ==
		    TRACE_AHEAD_UNKNOWN);
	assert_true(label(&sync_cfg, &rv, request(TRACE_OP_READ, 0, 8192)).ahead_bytes ==
		    TRACE_AHEAD_UNKNOWN);
}

static void fault_ahead_is_all_but_the_faulting_page(void **state)
{
	struct requester_state cont = faulting;

	(void)state;
	assert_int_equal(label(&sync_cfg, &faulting, request(TRACE_OP_READ, 0, 128 * KiB)).ahead_bytes,
			 128 * KiB - PAGE);
	assert_int_equal(label(&sync_cfg, &faulting, request(TRACE_OP_READ, 0, PAGE)).ahead_bytes, 0);
	/* Continuing the stream: async readahead from a cached page, all ahead. */
	cont.stream_hit = true;
	cont.stream_method = TRACE_METHOD_MMAP;
	assert_int_equal(label(&sync_cfg, &cont, request(TRACE_OP_READ, 0, 128 * KiB)).ahead_bytes,
			 128 * KiB);
}

static void populate_and_advise_ahead_is_beyond_their_range(void **state)
{
	struct requester_state pop = in_syscall(SYS_mmap, FD_THIS_FILE, 0, 64 * KiB, PROT_READ,
						MAP_SHARED | MAP_POPULATE);
	struct requester_state fad = in_syscall(SYS_fadvise64, FD_THIS_FILE, 3, 0, 64 * KiB,
						POSIX_FADV_WILLNEED);
	struct requester_state fad_eof = in_syscall(SYS_fadvise64, FD_THIS_FILE, 3, 0, 0,
						    POSIX_FADV_WILLNEED);

	(void)state;
	pop.args[5] = 0;
	assert_int_equal(label(&sync_cfg, &pop, request(TRACE_OP_READ, 0, 128 * KiB)).ahead_bytes,
			 64 * KiB);
	assert_int_equal(label(&sync_cfg, &fad, request(TRACE_OP_READ, 0, 128 * KiB)).ahead_bytes,
			 64 * KiB);
	assert_int_equal(label(&sync_cfg, &fad_eof, request(TRACE_OP_READ, 0, 128 * KiB)).ahead_bytes,
			 0);
}

static void writes_are_write_or_writeback(void **state)
{
	struct requester_state w = in_syscall(SYS_pwrite64, FD_THIS_FILE, 3, 0, 4096, 0);
	struct trace_event wb = request(TRACE_OP_WRITE, 0, 1 << 20);
	struct trace_event ev;

	(void)state;
	ev = label(&sync_cfg, &w, request(TRACE_OP_WRITE, 0, 4096));
	assert_int_equal(ev.method, TRACE_METHOD_WRITE);
	assert_int_equal(ev.trigger, TRACE_TRIGGER_NONE);
	wb.flags = TRACE_WRITE_CACHE;
	wb.tid = wb.pid = 0;
	ev = label(&sync_cfg, &unreadable, wb);
	assert_int_equal(ev.method, TRACE_METHOD_WRITEBACK);
	assert_int_equal(ev.trigger, TRACE_TRIGGER_UNKNOWN);	/* until the scan fills it */
	assert_int_equal(ev.syscall, TRACE_SYSCALL_NONE);
	assert_int_equal(label(&sync_cfg, &running, request(TRACE_OP_WRITE, 0, 4096)).method,
			 TRACE_METHOD_UNKNOWN);
}

static void flush_and_fsync_carry_their_syscall_and_no_method(void **state)
{
	const int32_t causes[] = { SYS_close, SYS_fsync, SYS_fdatasync, SYS_msync,
				   SYS_exit_group, SYS_dup2, SYS_dup3, SYS_close_range };

	(void)state;
	for (size_t i = 0; i < sizeof(causes) / sizeof(causes[0]); i++) {
		struct requester_state st = in_syscall(causes[i], FD_UNCHECKED, 3, 0, 0, 0);
		struct trace_event fl = label(&sync_cfg, &st, request(TRACE_OP_FLUSH, 0, 0));
		struct trace_event fs = label(&sync_cfg, &st, request(TRACE_OP_FSYNC, 0, 0));

		assert_int_equal(fl.method, TRACE_METHOD_NONE);
		assert_int_equal(fl.syscall, causes[i]);
		assert_int_equal(fs.method, TRACE_METHOD_NONE);
		assert_int_equal(fs.syscall, causes[i]);
	}
}

struct trigger_case {
	int32_t nr;
	enum trace_trigger expect;
};

static void writeback_triggers_follow_the_waiting_syscall(void **state)
{
	const struct trigger_case cases[] = {
		{ SYS_msync, TRACE_TRIGGER_MSYNC },
		{ SYS_fsync, TRACE_TRIGGER_FSYNC },
		{ SYS_fdatasync, TRACE_TRIGGER_FSYNC },
		{ SYS_close, TRACE_TRIGGER_CLOSE },
		{ SYS_dup2, TRACE_TRIGGER_CLOSE },
		{ SYS_dup3, TRACE_TRIGGER_CLOSE },
		{ SYS_close_range, TRACE_TRIGGER_CLOSE },
		{ SYS_munmap, TRACE_TRIGGER_MUNMAP },
		{ SYS_exit, TRACE_TRIGGER_EXIT },
		{ SYS_exit_group, TRACE_TRIGGER_EXIT },
		{ SYS_sync, TRACE_TRIGGER_SYNC },
		{ SYS_syncfs, TRACE_TRIGGER_SYNC },
		{ TRACE_SYSCALL_FAULT, TRACE_TRIGGER_FLUSHER },
		{ SYS_nanosleep, TRACE_TRIGGER_NONE },
		{ SYS_write, TRACE_TRIGGER_NONE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (classify_trigger_of(&sync_cfg, cases[i].nr) != cases[i].expect)
			fail_msg("syscall %d: expected %s, got %s", cases[i].nr,
				 trace_trigger_name(cases[i].expect),
				 trace_trigger_name(classify_trigger_of(&sync_cfg, cases[i].nr)));
	/* With the writeback cache, write() dirties pages: the flusher's work. */
	assert_int_equal(classify_trigger_of(&wbc_cfg, SYS_write), TRACE_TRIGGER_FLUSHER);
}

static void a_waiting_syscall_beats_a_dirtying_thread(void **state)
{
	(void)state;
	assert_int_equal(classify_trigger_pick(TRACE_TRIGGER_FLUSHER, TRACE_TRIGGER_MSYNC),
			 TRACE_TRIGGER_MSYNC);
	assert_int_equal(classify_trigger_pick(TRACE_TRIGGER_CLOSE, TRACE_TRIGGER_FLUSHER),
			 TRACE_TRIGGER_CLOSE);
	assert_int_equal(classify_trigger_pick(TRACE_TRIGGER_NONE, TRACE_TRIGGER_FLUSHER),
			 TRACE_TRIGGER_FLUSHER);
	assert_int_equal(classify_trigger_pick(TRACE_TRIGGER_MUNMAP, TRACE_TRIGGER_NONE),
			 TRACE_TRIGGER_MUNMAP);
}

static void fd_argument_is_the_file_the_syscall_reads(void **state)
{
	(void)state;
	assert_int_equal(classify_fd_arg(TRACE_OP_READ, SYS_pread64), 0);
	assert_int_equal(classify_fd_arg(TRACE_OP_READ, SYS_sendfile), 1);
	assert_int_equal(classify_fd_arg(TRACE_OP_WRITE, SYS_sendfile), 0);
	assert_int_equal(classify_fd_arg(TRACE_OP_READ, SYS_mmap), 4);
	assert_int_equal(classify_fd_arg(TRACE_OP_READ, SYS_madvise), -1);
	assert_int_equal(classify_fd_arg(TRACE_OP_FLUSH, SYS_close), -1);
}

static void syscall_lines_parse_as_proc_prints_them(void **state)
{
	const char call[] = "17 0x3 0x7f0000001000 0x1000 0x200000 0x0 0x0 0x7ffc 0x7f12\n";
	const char fault[] = "-1 0x7ffd1000 0x401234\n";
	const char run[] = "running\n";
	struct requester_state st = { 0 };

	(void)state;
	requester_parse_syscall(call, sizeof(call) - 1, &st);
	assert_true(st.readable && !st.running);
	assert_int_equal(st.nr, 17);
	assert_int_equal(st.args[0], 3);
	assert_int_equal(st.args[1], 0x7f0000001000ull);
	assert_int_equal(st.args[2], 0x1000);
	assert_int_equal(st.args[3], 0x200000);
	requester_parse_syscall(fault, sizeof(fault) - 1, &st);
	assert_int_equal(st.nr, TRACE_SYSCALL_FAULT);
	requester_parse_syscall(run, sizeof(run) - 1, &st);
	assert_true(st.running);
	requester_parse_syscall("", 0, &st);
	assert_false(st.readable);
}

static void fdinfo_gives_pos_and_ino(void **state)
{
	const char text[] = "pos:\t12345\nflags:\t0100002\nmnt_id:\t45\nino:\t987654\n";
	uint64_t pos, ino;

	(void)state;
	assert_true(requester_parse_fdinfo(text, sizeof(text) - 1, &pos, &ino));
	assert_int_equal(pos, 12345);
	assert_int_equal(ino, 987654);
	assert_false(requester_parse_fdinfo("flags:\t0\n", 9, &pos, &ino));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(read_methods_follow_the_requesters_syscall),
		cmocka_unit_test(read_from_pid_0_is_kernel),
		cmocka_unit_test(syscall_field_records_what_was_seen),
		cmocka_unit_test(read_ahead_is_the_request_beyond_pos_plus_count),
		cmocka_unit_test(pread_ahead_uses_offset_and_count_args),
		cmocka_unit_test(read_without_pos_or_readv_has_unknown_ahead),
		cmocka_unit_test(fault_ahead_is_all_but_the_faulting_page),
		cmocka_unit_test(populate_and_advise_ahead_is_beyond_their_range),
		cmocka_unit_test(writes_are_write_or_writeback),
		cmocka_unit_test(flush_and_fsync_carry_their_syscall_and_no_method),
		cmocka_unit_test(writeback_triggers_follow_the_waiting_syscall),
		cmocka_unit_test(a_waiting_syscall_beats_a_dirtying_thread),
		cmocka_unit_test(fd_argument_is_the_file_the_syscall_reads),
		cmocka_unit_test(syscall_lines_parse_as_proc_prints_them),
		cmocka_unit_test(fdinfo_gives_pos_and_ino),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
