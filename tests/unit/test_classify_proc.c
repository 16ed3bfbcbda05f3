/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_classify_proc.c - the classifier's /proc side on this very process:
 * identity, a thread's syscall and fd as the rules see them, the stream
 * memory, and mapping lookup with PROCMAP_QUERY.  No mount needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <cmocka.h>
#include "classify.h"
#include "proc_maps.h"
#include "requester.h"

struct blocked_reader {
	int fds[2];
	pid_t tid;
	pthread_t thread;
};

static void *read_pipe(void *arg)
{
	struct blocked_reader *r = arg;
	char c;

	__atomic_store_n(&r->tid, gettid(), __ATOMIC_RELEASE);
	while (read(r->fds[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/* A thread blocked in read() on a pipe; wait until /proc shows it blocked. */
static void start_reader(struct blocked_reader *r)
{
	char path[64], line[256];

	assert_int_equal(pipe(r->fds), 0);
	r->tid = 0;
	assert_int_equal(pthread_create(&r->thread, NULL, read_pipe, r), 0);
	while (!__atomic_load_n(&r->tid, __ATOMIC_ACQUIRE))
		usleep(100);
	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", r->tid);
	for (int i = 0; i < 1000; i++) {
		FILE *f = fopen(path, "r");

		assert_non_null(f);
		assert_non_null(fgets(line, sizeof(line), f));
		fclose(f);
		if (strncmp(line, "0 ", 2) == 0)
			return;
		usleep(1000);
	}
	fail_msg("reader thread never blocked in read()");
}

static void stop_reader(struct blocked_reader *r)
{
	assert_int_equal(write(r->fds[1], "x", 1), 1);
	pthread_join(r->thread, NULL);
	close(r->fds[0]);
	close(r->fds[1]);
}

static ino_t ino_of(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	return st.st_ino;
}

static void identify_gives_thread_group_once(void **state)
{
	struct classify_scratch scratch = { 0 };
	struct requester_table *t = requester_table_new();
	struct requester_identity id;

	(void)state;
	assert_int_equal(requester_identify(t, (uint32_t)gettid(), REQUESTER_SYSCALL_NOW, false, &id,
					    &scratch), 0);
	assert_int_equal(id.tgid, getpid());
	assert_true(id.is_new);
	assert_true(strlen(id.comm) > 0);
	assert_true(strlen(id.exe) > 0);
	assert_int_equal(requester_identify(t, (uint32_t)gettid(), REQUESTER_SYSCALL_NOW, false, &id,
					    &scratch), 0);
	assert_false(id.is_new);
	/* A new name (as exec gives) is a new identity when asked to look. */
	prctl(PR_SET_NAME, "renamed-thread");
	assert_int_equal(requester_identify(t, (uint32_t)gettid(), REQUESTER_SYSCALL_NOW, false, &id,
					    &scratch), 0);
	assert_false(id.is_new);
	assert_int_equal(requester_identify(t, (uint32_t)gettid(), REQUESTER_SYSCALL_NOW, true, &id,
					    &scratch), 0);
	assert_true(id.is_new);
	assert_string_equal(id.comm, "renamed-thread");
	requester_table_free(t);
}

static void observe_sees_a_read_on_this_file_with_its_position(void **state)
{
	struct classify_scratch scratch = { 0 };
	struct requester_table *t = requester_table_new();
	struct blocked_reader r;
	struct requester_state st = { 0 };
	struct trace_event ev = { .op = TRACE_OP_READ };

	(void)state;
	start_reader(&r);
	ev.tid = (uint32_t)r.tid;
	ev.file_id = ino_of(r.fds[0]);
	assert_int_equal(requester_observe(t, &ev, &scratch, &st), 0);
	assert_true(st.readable);
	assert_int_equal(st.nr, SYS_read);
	assert_int_equal(st.fd, FD_THIS_FILE);
	assert_true(st.pos_known);
	ev.file_id += 1;
	memset(&st, 0, sizeof(st));
	assert_int_equal(requester_observe(t, &ev, &scratch, &st), 0);
	assert_int_equal(st.fd, FD_OTHER_FILE);
	stop_reader(&r);
	requester_table_free(t);
}

static void stream_hit_only_at_or_just_after_where_the_last_request_ended(void **state)
{
	struct classify_scratch scratch = { 0 };
	struct requester_table *t = requester_table_new();
	struct requester_state st = { 0 };
	struct trace_event ev = { .op = TRACE_OP_READ, .tid = (uint32_t)gettid(), .file_id = 9,
				  .offset = 131072, .size = 4096 };

	(void)state;
	assert_int_equal(requester_observe(t, &ev, &scratch, &st), 0);
	assert_false(st.stream_hit);
	requester_learn_stream(t, ev.tid, 9, 131072, TRACE_METHOD_MMAP);
	memset(&st, 0, sizeof(st));
	requester_observe(t, &ev, &scratch, &st);
	assert_true(st.stream_hit);
	assert_int_equal(st.stream_method, TRACE_METHOD_MMAP);
	/* One request may still be in flight in between (async reads). */
	ev.offset += 2 * ev.size;
	memset(&st, 0, sizeof(st));
	requester_observe(t, &ev, &scratch, &st);
	assert_true(st.stream_hit);
	ev.offset += 4096;
	memset(&st, 0, sizeof(st));
	requester_observe(t, &ev, &scratch, &st);
	assert_false(st.stream_hit);
	ev.offset = 131072 - 4096;
	memset(&st, 0, sizeof(st));
	requester_observe(t, &ev, &scratch, &st);
	assert_false(st.stream_hit);
	/* An older request arriving late does not pull the end back. */
	requester_learn_stream(t, ev.tid, 9, 65536, TRACE_METHOD_MMAP);
	ev.offset = 131072;
	memset(&st, 0, sizeof(st));
	requester_observe(t, &ev, &scratch, &st);
	assert_true(st.stream_hit);
	requester_table_free(t);
}

static void a_dead_thread_is_not_identified(void **state)
{
	struct classify_scratch scratch = { 0 };
	struct requester_table *t = requester_table_new();
	struct blocked_reader r;
	struct requester_identity id;
	uint32_t tid;

	(void)state;
	start_reader(&r);
	tid = (uint32_t)r.tid;
	assert_int_equal(requester_identify(t, tid, REQUESTER_SYSCALL_NOW, false, &id, &scratch), 0);
	stop_reader(&r);
	/* Its cached descriptor now says ESRCH and /proc/<tid> is gone. */
	assert_int_not_equal(requester_identify(t, tid, REQUESTER_SYSCALL_NOW, false, &id, &scratch), 0);
	requester_table_free(t);
}

static void procmap_query_finds_the_mapping_of_a_file(void **state)
{
	char path[] = "/tmp/test_classify_proc.XXXXXX";
	int fd = mkstemp(path), maps;
	long page = sysconf(_SC_PAGESIZE);
	struct proc_mapping m;
	char *p;
	int err;

	(void)state;
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(ftruncate(fd, 8 * page), 0);
	p = mmap(NULL, (size_t)(4 * page), PROT_READ, MAP_SHARED, fd, 2 * page);
	assert_true(p != MAP_FAILED);
	maps = open("/proc/self/maps", O_RDONLY);
	err = proc_maps_query(maps, ino_of(fd), (uint64_t)(3 * page), 64, &m);
	if (err == -ENOTTY)
		skip();		/* kernel before 6.11: no PROCMAP_QUERY */
	assert_int_equal(err, 0);
	assert_int_equal(m.start, (uintptr_t)p);
	assert_int_equal(m.len, 4 * page);
	assert_int_equal(m.offset, 2 * page);
	assert_int_equal(m.flags, TRACE_MAP_PROT_READ | TRACE_MAP_SHARED);
	assert_int_equal(proc_maps_query(maps, ino_of(fd), 0, 64, &m), -ENOENT);
	close(maps);
	munmap(p, (size_t)(4 * page));
	close(fd);
}

static void proc_maps_find_answers_through_the_helper_and_cache(void **state)
{
	char path[] = "/tmp/test_classify_proc.XXXXXX";
	int fd = mkstemp(path);
	long page = sysconf(_SC_PAGESIZE);
	struct proc_maps *pm = proc_maps_new(1000000);
	struct proc_mapping m;
	char *p;

	(void)state;
	assert_non_null(pm);
	unlink(path);
	assert_int_equal(ftruncate(fd, 4 * page), 0);
	p = mmap(NULL, (size_t)(4 * page), PROT_READ, MAP_PRIVATE, fd, 0);
	assert_true(p != MAP_FAILED);
	assert_true(proc_maps_find(pm, (uint32_t)getpid(), ino_of(fd), (uint64_t)page, &m));
	assert_int_equal(m.start, (uintptr_t)p);
	munmap(p, (size_t)(4 * page));
	/* The cache still answers for the old mapping; that is its documented limit. */
	assert_true(proc_maps_find(pm, (uint32_t)getpid(), ino_of(fd), 0, &m));
	assert_false(proc_maps_find(pm, (uint32_t)getpid(), ino_of(fd) + 1, 0, &m));
	proc_maps_free(pm);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(identify_gives_thread_group_once),
		cmocka_unit_test(observe_sees_a_read_on_this_file_with_its_position),
		cmocka_unit_test(stream_hit_only_at_or_just_after_where_the_last_request_ended),
		cmocka_unit_test(a_dead_thread_is_not_identified),
		cmocka_unit_test(procmap_query_finds_the_mapping_of_a_file),
		cmocka_unit_test(proc_maps_find_answers_through_the_helper_and_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
