/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench_trace_writer.c - how many events per second the trace writer takes
 * from several request threads at once, flushed to the file and closed.
 *
 * Each thread appends the events a FUSE worker would record while a
 * program reads and writes a file: mostly sequential 128 KiB reads, some
 * writes, an occasional getattr, with jittered times, so the delta coding
 * sees realistic values rather than a best case of identical events.  The
 * clock runs from the first append to the return of trace_writer_close(),
 * so the rate includes writing every byte; it does not include the cost
 * of filling in an event in the daemon (classification, /proc reads).
 *
 * Usage: bench_trace_writer PATH EVENTS [THREADS]   (THREADS default 2)
 * Output: one JSON object on stdout.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace_writer.h"

#define BENCH_MAX_THREADS 64

struct bench_thread {
	pthread_t thread;
	struct trace_writer *w;
	unsigned int index;
	unsigned long events;
};

/* xorshift32: cheap deterministic jitter, one state per thread. */
static uint32_t jitter_next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* The i-th event of a thread: what a reading and writing program causes. */
static void event_fill(struct trace_event *ev, unsigned int index, uint32_t *rng,
		       uint64_t *offset)
{
	uint32_t r = jitter_next(rng);

	ev->start_ns = trace_now_ns();
	ev->duration_ns = 20000 + r % 30000;
	ev->file_id = 1000 + index;
	ev->fh = index + 1;
	ev->tid = 5000 + index;
	ev->pid = 5000;
	ev->syscall = 17;	/* pread64 */
	ev->op = TRACE_OP_READ;
	ev->method = TRACE_METHOD_READ;
	ev->size = 131072;
	if (r % 10 == 0) {
		ev->op = TRACE_OP_GETATTR;
		ev->method = TRACE_METHOD_NONE;
		ev->syscall = 5;	/* fstat */
		ev->size = 0;
	} else if (r % 10 < 3) {
		ev->op = TRACE_OP_WRITE;
		ev->method = TRACE_METHOD_WRITE;
		ev->syscall = 18;	/* pwrite64 */
	}
	ev->offset = ev->size ? *offset : 0;
	ev->result = (int64_t)ev->size;
	ev->ahead_bytes = ev->op == TRACE_OP_READ ? 0 : TRACE_AHEAD_UNKNOWN;
	*offset += ev->size;
}

static void *bench_thread_run(void *arg)
{
	struct bench_thread *t = arg;
	uint32_t rng = 2463534242u + t->index;
	uint64_t offset = 0;
	struct trace_proc proc = {
		.time_ns = trace_now_ns(), .tid = 5000 + t->index, .pid = 5000,
		.comm = "bench", .exe = "/usr/bin/bench",
	};
	struct trace_dentry d = {
		.time_ns = proc.time_ns, .file_id = 1000 + t->index, .parent_id = 1,
		.kind = 8, .name = "data.bin", .name_len = 8,
	};

	trace_writer_proc(t->w, &proc);
	trace_writer_dentry(t->w, &d);
	for (unsigned long i = 0; i < t->events; i++) {
		struct trace_event ev = { 0 };

		event_fill(&ev, t->index, &rng, &offset);
		trace_writer_append(t->w, &ev);
	}
	return NULL;
}

static int parse_count(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	*out = strtoul(s, &end, 10);
	return *end || *out == 0 || *out > max ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct bench_thread threads[BENCH_MAX_THREADS];
	struct trace_writer_stats st;
	unsigned long events, nthreads = 2;
	uint64_t t0, t1;
	struct trace_writer *w;
	char err[256];
	int rc;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: bench_trace_writer PATH EVENTS [THREADS]\n");
		return 2;
	}
	if (parse_count(argv[2], 1ul << 40, &events) ||
	    (argc == 4 && parse_count(argv[3], BENCH_MAX_THREADS, &nthreads))) {
		fprintf(stderr, "bench_trace_writer: EVENTS must be > 0 and THREADS 1..%d\n",
			BENCH_MAX_THREADS);
		return 2;
	}
	w = trace_writer_open(argv[1], NULL, 0, true, err, sizeof(err));
	if (!w) {
		fprintf(stderr, "bench_trace_writer: %s\n", err);
		return 1;
	}
	t0 = trace_now_ns();
	for (unsigned int i = 0; i < nthreads; i++) {
		threads[i] = (struct bench_thread){ .w = w, .index = i,
						    .events = events / nthreads };
		if (pthread_create(&threads[i].thread, NULL, bench_thread_run, &threads[i])) {
			fprintf(stderr, "bench_trace_writer: cannot start a thread\n");
			return 1;
		}
	}
	for (unsigned int i = 0; i < nthreads; i++)
		pthread_join(threads[i].thread, NULL);
	rc = trace_writer_close(w, &st);
	t1 = trace_now_ns();
	printf("{\"threads\": %lu, \"events\": %llu, \"seconds\": %.6f, \"events_per_s\": %.0f, "
	       "\"bytes\": %llu, \"bytes_per_event\": %.2f, \"waits\": %llu, \"lost\": %llu}\n",
	       nthreads, (unsigned long long)st.events, (t1 - t0) / 1e9,
	       st.events / ((t1 - t0) / 1e9), (unsigned long long)st.bytes,
	       st.events ? (double)st.bytes / st.events : 0.0,
	       (unsigned long long)st.waits, (unsigned long long)st.lost);
	return rc ? 1 : 0;
}
