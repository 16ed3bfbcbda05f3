/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench_trace_writer.c - how many events per second trace_writer_append()
 * takes from T threads, and what they cost on disk.  A build target, not a
 * test: timings on a shared machine are not pass/fail material.
 *
 *   bench_trace_writer [THREADS [EVENTS_PER_THREAD [FILE]]]   (2, 5000000)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "trace_writer.h"

struct worker {
	struct trace_writer *w;
	uint32_t tid;
	uint64_t n;
};

static void *append_reads(void *arg)
{
	struct worker *k = arg;
	struct trace_event ev = {
		.fh = 3, .size = 131072, .result = 131072, .tid = k->tid, .pid = k->tid,
		.uid = 1000, .gid = 1000, .op = TRACE_OP_READ, .method = TRACE_METHOD_READ,
		.syscall = 0, .ahead_bytes = 0,
	};

	for (uint64_t i = 0; i < k->n; i++) {
		ev.start_ns = trace_now_ns();
		ev.duration_ns = 12000 + (i & 1023);
		ev.file_id = 100 + i / 4096;
		ev.offset = (i % 4096) * 131072;
		trace_writer_append(k->w, &ev);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned int nthreads = argc > 1 ? (unsigned int)atoi(argv[1]) : 2;
	uint64_t per = argc > 2 ? strtoull(argv[2], NULL, 10) : 5000000;
	char tmp[] = "/tmp/bench-trace.XXXXXX", path[64], err[256];
	const char *file = argc > 3 ? argv[3] : path;
	struct trace_writer_stats st;
	struct trace_writer *w;
	struct worker *k;
	pthread_t *th;
	uint64_t t0, t1, t2;

	if (nthreads == 0 || per == 0) {
		fprintf(stderr, "usage: bench_trace_writer [THREADS [EVENTS_PER_THREAD [FILE]]]\n");
		return 2;
	}
	if (argc <= 3) {
		if (!mkdtemp(tmp))
			return 1;
		snprintf(path, sizeof(path), "%s/trace", tmp);
	}
	w = trace_writer_open(file, NULL, 0, true, err, sizeof(err));
	if (!w) {
		fprintf(stderr, "bench_trace_writer: %s\n", err);
		return 1;
	}
	k = calloc(nthreads, sizeof(*k));
	th = calloc(nthreads, sizeof(*th));
	t0 = trace_now_ns();
	for (unsigned int i = 0; i < nthreads; i++) {
		k[i] = (struct worker){ w, 1000 + i, per };
		pthread_create(&th[i], NULL, append_reads, &k[i]);
	}
	for (unsigned int i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	t1 = trace_now_ns();
	trace_writer_close(w, &st);
	t2 = trace_now_ns();
	printf("%u threads x %llu events: appended in %.3f s = %.2f M events/s; "
	       "written and closed at %.3f s = %.2f M events/s\n",
	       nthreads, (unsigned long long)per, (double)(t1 - t0) / 1e9,
	       (double)st.events / ((double)(t1 - t0) / 1e3), (double)(t2 - t0) / 1e9,
	       (double)st.events / ((double)(t2 - t0) / 1e3));
	printf("%.2f bytes/event on disk, %llu blocks, %llu waits for a free buffer, %llu lost\n",
	       (double)st.bytes / (double)st.events, (unsigned long long)st.blocks,
	       (unsigned long long)st.waits, (unsigned long long)st.lost);
	if (argc <= 3) {
		unlink(path);
		rmdir(tmp);
	}
	free(k);
	free(th);
	return 0;
}
