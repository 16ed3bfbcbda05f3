/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gen_trace.c - write a synthetic trace of N events that looks like a real
 * workload, for benchmarks of the reader, dump and report at sizes no test
 * workload reaches (100 million events).
 *
 *   gen_trace [--threads T] [--files F] [--seed S] [--nasty 1] N OUT
 *
 * Several programs (dd, cp, python3, sqlite3, fio, cc1, rsync, kworker)
 * open files in a tree of directories and, per open: read them whole in
 * 128 KiB requests, read 4 KiB pages at random, fault pages of a mapping
 * in, write them sequentially with writeback later, or only look them up
 * and stat them; every open ends in FLUSH and RELEASE.  Some files are
 * renamed halfway.  It is deterministic for a given seed; the FUSE worker
 * threads of a real daemon are T threads appending concurrently.  With
 * --nasty 1, names hold newlines, quotes, backslashes, control characters
 * and bytes that are not UTF-8, for the exporters' tests.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "trace_writer.h"

#define ROOT_ID		1
#define DIR_ID0		10
#define FILE_ID0	100000
#define NDIRS		64
#define T0		1000000000ull

static const char *const comms[] = { "dd", "cp", "python3", "sqlite3", "fio", "cc1", "rsync" };
#define NCOMMS (sizeof(comms) / sizeof(comms[0]))

struct gen {
	struct trace_writer *w;
	uint64_t n, nfiles, rng, now;
	uint32_t worker;
};

static uint64_t rnd(struct gen *g)
{
	g->rng ^= g->rng << 13;
	g->rng ^= g->rng >> 7;
	g->rng ^= g->rng << 17;
	return g->rng;
}

static uint64_t file_size(uint64_t file)
{
	return ((file * 2654435761u) % 64 + 1) << 20;	/* 1..64 MiB */
}

/* Emit one event and advance this worker's clock past it. */
static void emit(struct gen *g, struct trace_event *ev, uint64_t dur)
{
	g->now += 2000 + rnd(g) % 4000;
	ev->start_ns = g->now;
	ev->duration_ns = dur;
	g->now += dur;
	trace_writer_append(g->w, ev);
	g->n--;
}

static void emit_op(struct gen *g, struct trace_event *ev, unsigned int op, uint64_t dur)
{
	struct trace_event e = *ev;

	e.op = (uint8_t)op;
	e.method = TRACE_METHOD_NONE;
	e.syscall = TRACE_SYSCALL_NONE;
	e.offset = e.size = 0;
	e.result = 0;
	emit(g, &e, dur);
}

static void data_requests(struct gen *g, struct trace_event *ev, unsigned int kind)
{
	uint64_t size = file_size(ev->file_id), count = kind == 0 ? size / 131072 : 64;

	for (uint64_t i = 0; i < count && g->n > 2; i++) {
		ev->op = TRACE_OP_READ;
		ev->method = TRACE_METHOD_READ;
		ev->syscall = 17;
		ev->size = 4096;
		ev->offset = (rnd(g) % (size / 4096)) * 4096;
		ev->ahead_bytes = 0;
		if (kind == 0) {
			ev->size = 131072;
			ev->offset = i * 131072;
			ev->syscall = 0;
		} else if (kind == 2) {
			ev->method = TRACE_METHOD_MMAP;
			ev->syscall = TRACE_SYSCALL_FAULT;
			ev->map_start = 0x7f0000000000ull + (ev->file_id << 32);
			ev->map_len = size;
			ev->map_flags = TRACE_MAP_PROT_READ;
		} else if (kind == 3) {
			ev->op = TRACE_OP_WRITE;
			ev->method = i % 8 == 7 ? TRACE_METHOD_WRITEBACK : TRACE_METHOD_WRITE;
			ev->trigger = i % 8 == 7 ? TRACE_TRIGGER_FLUSHER : TRACE_TRIGGER_NONE;
			ev->size = 131072;
			ev->offset = i * 131072;
			ev->syscall = 1;
			ev->ahead_bytes = TRACE_AHEAD_UNKNOWN;
		}
		ev->result = (int64_t)ev->size;
		emit(g, ev, 5000 + rnd(g) % 40000);
	}
	ev->map_start = ev->map_len = 0;
	ev->map_flags = 0;
	ev->trigger = TRACE_TRIGGER_NONE;
	ev->ahead_bytes = TRACE_AHEAD_UNKNOWN;
}

/* One program opening one file and doing one kind of access to it. */
static void session(struct gen *g)
{
	uint64_t r = rnd(g);
	uint32_t p = (uint32_t)(r % NCOMMS);
	struct trace_event ev = {
		.file_id = FILE_ID0 + (r >> 8) % g->nfiles, .fh = 1 + (r >> 40) % 512,
		.tid = 2000 + p, .pid = 2000 + p, .uid = 1000, .gid = 1000,
		.ahead_bytes = TRACE_AHEAD_UNKNOWN,
	};
	unsigned int kind = (unsigned int)((r >> 20) % 10);

	if (g->n < 8) {		/* the last few: nothing that needs a pair */
		emit_op(g, &ev, TRACE_OP_GETATTR, 2000);
		return;
	}
	ev.name = "f";
	ev.name_len = 1;
	emit_op(g, &ev, TRACE_OP_LOOKUP, 3000);
	ev.name = NULL;
	ev.name_len = 0;
	emit_op(g, &ev, TRACE_OP_GETATTR, 2000);
	if (kind >= 8)
		return;
	ev.flags = kind == 7 ? 01 : 0;
	emit_op(g, &ev, TRACE_OP_OPEN, 8000);
	ev.flags = 0;
	data_requests(g, &ev, kind < 4 ? 0 : kind < 6 ? 1 : kind < 7 ? 2 : 3);
	emit_op(g, &ev, TRACE_OP_FLUSH, 4000);
	emit_op(g, &ev, TRACE_OP_RELEASE, 3000);
}

static void *worker_main(void *arg)
{
	struct gen *g = arg;

	while (g->n)
		session(g);
	return NULL;
}

static bool nasty;

static uint16_t file_name(char *buf, size_t len, uint64_t i, const char *ext)
{
	if (nasty && i % 3 == 0)
		return (uint16_t)snprintf(buf, len, "f%llu\n\"q\\b\x01\xff%s",
					  (unsigned long long)i, ext);
	if (nasty && i % 3 == 1)
		return (uint16_t)snprintf(buf, len, "caf\xc3\xa9,%llu\t%s", (unsigned long long)i,
					  ext);
	return (uint16_t)snprintf(buf, len, "file%06llu%s", (unsigned long long)i, ext);
}

static void write_names(struct trace_writer *w, uint64_t nfiles, uint64_t end_ns)
{
	char name[64];
	struct trace_dentry d = { .time_ns = T0, .file_id = ROOT_ID, .kind = 4, .name = "" };

	trace_writer_dentry(w, &d);
	for (uint64_t i = 0; i < NDIRS; i++) {
		d = (struct trace_dentry){ .time_ns = T0, .file_id = DIR_ID0 + i,
					   .parent_id = ROOT_ID, .kind = 4, .name = name };
		d.name_len = (uint16_t)snprintf(name, sizeof(name), "dir%02llu",
						(unsigned long long)i);
		trace_writer_dentry(w, &d);
	}
	for (uint64_t i = 0; i < nfiles; i++) {
		d = (struct trace_dentry){ .time_ns = T0, .file_id = FILE_ID0 + i,
					   .parent_id = DIR_ID0 + i % NDIRS, .kind = 8,
					   .name = name };
		d.name_len = file_name(name, sizeof(name), i, ".dat");
		trace_writer_dentry(w, &d);
		if (i % 97 == 0) {	/* renamed halfway through */
			d.time_ns = T0 + (end_ns - T0) / 2;
			d.name_len = file_name(name, sizeof(name), i, ".old");
			trace_writer_dentry(w, &d);
		}
	}
	for (uint32_t p = 0; p < NCOMMS; p++) {
		struct trace_proc pr = { .time_ns = T0, .tid = 2000 + p, .pid = 2000 + p,
					 .comm = nasty && p == 0 ? "d\"d\n\xfe" : comms[p],
					 .exe = "" };

		trace_writer_proc(w, &pr);
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: gen_trace [--threads T] [--files F] [--seed S] [--nasty 1] N OUT\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const struct trace_header_field header[] = {
		{ TRACE_HDR_accessfs_version, ACCESSFS_VERSION },
		{ TRACE_HDR_host, "gen_trace" },
		{ TRACE_HDR_page_size, "4096" },
		{ TRACE_HDR_start_mono_ns, "1000000000" },
		{ TRACE_HDR_flush_interval_ms, "200" },
	};
	uint64_t threads = 4, files = 10000, seed = 1, n;
	char err[256];
	struct trace_writer *w;
	struct trace_writer_stats st;
	struct gen *g;
	pthread_t *th;
	int i;

	for (i = 1; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		uint64_t v = strtoull(argv[i + 1], NULL, 10);

		if (strcmp(argv[i], "--threads") == 0 && v > 0 && v <= 64)
			threads = v;
		else if (strcmp(argv[i], "--files") == 0 && v > 0)
			files = v;
		else if (strcmp(argv[i], "--seed") == 0)
			seed = v;
		else if (strcmp(argv[i], "--nasty") == 0)
			nasty = v != 0;
		else
			return usage();
	}
	if (argc - i != 2)
		return usage();
	n = strtoull(argv[i], NULL, 10);
	w = trace_writer_open(argv[i + 1], header, sizeof(header) / sizeof(header[0]), true,
			      err, sizeof(err));
	if (!w) {
		fprintf(stderr, "gen_trace: %s\n", err);
		return 1;
	}
	/* About 30 us per event and worker: the end time is known up front. */
	write_names(w, files, T0 + n / threads * 30000);
	g = calloc(threads, sizeof(*g));
	th = calloc(threads, sizeof(*th));
	for (uint64_t t = 0; t < threads; t++) {
		g[t] = (struct gen){ .w = w, .n = n / threads + (t < n % threads),
				     .nfiles = files, .rng = seed * 0x9e3779b97f4a7c15ull + t + 1,
				     .now = T0, .worker = (uint32_t)t };
		pthread_create(&th[t], NULL, worker_main, &g[t]);
	}
	for (uint64_t t = 0; t < threads; t++)
		pthread_join(th[t], NULL);
	if (trace_writer_close(w, &st) < 0) {
		fprintf(stderr, "gen_trace: %s: %llu events lost\n", argv[i + 1],
			(unsigned long long)st.lost);
		return 1;
	}
	printf("%llu events, %llu bytes (%.2f bytes/event)\n", (unsigned long long)st.events,
	       (unsigned long long)st.bytes, (double)st.bytes / (double)(st.events ? st.events : 1));
	free(g);
	free(th);
	return 0;
}
