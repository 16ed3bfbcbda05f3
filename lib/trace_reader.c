/* SPDX-License-Identifier: GPL-2.0-or-later */
/* trace_reader.c - placeholder until the reader lands: refuses to open. */
#include <stdio.h>
#include "trace_reader.h"

struct trace_reader *trace_reader_open(const char *path, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: trace reader not built yet", path);
	return NULL;
}

void trace_reader_close(struct trace_reader *r)
{
	(void)r;
}

const char *trace_reader_header(const struct trace_reader *r, unsigned int key)
{
	(void)r;
	(void)key;
	return NULL;
}

uint32_t trace_reader_version(const struct trace_reader *r)
{
	(void)r;
	return 0;
}

int trace_reader_next(struct trace_reader *r, struct trace_event *ev)
{
	(void)r;
	(void)ev;
	return -1;
}

const char *trace_reader_path(struct trace_reader *r, uint64_t file_id,
			      uint64_t at_ns, size_t *len)
{
	(void)r;
	(void)file_id;
	(void)at_ns;
	(void)len;
	return NULL;
}

const struct trace_proc *trace_reader_proc(const struct trace_reader *r, uint32_t tid)
{
	(void)r;
	(void)tid;
	return NULL;
}

size_t trace_reader_proc_count(const struct trace_reader *r)
{
	(void)r;
	return 0;
}

const struct trace_proc *trace_reader_proc_at(const struct trace_reader *r, size_t i)
{
	(void)r;
	(void)i;
	return NULL;
}

void trace_reader_summary(const struct trace_reader *r, struct trace_reader_summary *s)
{
	(void)r;
	(void)s;
}

const char *trace_reader_error(const struct trace_reader *r)
{
	(void)r;
	return "trace reader not built yet";
}

const char *trace_reader_warning(const struct trace_reader *r)
{
	(void)r;
	return NULL;
}
