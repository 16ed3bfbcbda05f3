/* SPDX-License-Identifier: GPL-2.0-or-later */
/* trace_writer.c - placeholder until the writer lands: refuses to open. */
#include <stdio.h>
#include <time.h>
#include "trace_writer.h"

struct trace_writer *trace_writer_open(const char *path,
				       const struct trace_header_field *fields,
				       size_t nfields, bool overwrite,
				       char *err, size_t errlen)
{
	(void)fields;
	(void)nfields;
	(void)overwrite;
	snprintf(err, errlen, "%s: trace writer not built yet", path);
	return NULL;
}

void trace_writer_append(struct trace_writer *w, const struct trace_event *ev)
{
	(void)w;
	(void)ev;
}

void trace_writer_dentry(struct trace_writer *w, const struct trace_dentry *d)
{
	(void)w;
	(void)d;
}

void trace_writer_proc(struct trace_writer *w, const struct trace_proc *p)
{
	(void)w;
	(void)p;
}

void trace_writer_unlink(struct trace_writer *w, uint64_t time_ns,
			 uint64_t file_id)
{
	(void)w;
	(void)time_ns;
	(void)file_id;
}

void trace_writer_flush(struct trace_writer *w)
{
	(void)w;
}

void trace_writer_request_flush(struct trace_writer *w)
{
	(void)w;
}

int trace_writer_close(struct trace_writer *w, struct trace_writer_stats *stats)
{
	(void)w;
	(void)stats;
	return 0;
}

void trace_writer_get_stats(struct trace_writer *w, struct trace_writer_stats *stats)
{
	(void)w;
	(void)stats;
}

uint64_t trace_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
