/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * export.c - pick the format, drive it, and the small helpers the formats
 * share (times, syscall and protection names).
 */
#include <stdlib.h>
#include <string.h>
#include "export.h"

/* Two lines: adjacent-line prefetch pulls cache lines in pairs. */
#define EXPORT_CACHE_LINE 128

static const struct {
	const char *name;
	const struct export_ops *ops;
} formats[] = {
	[EXPORT_JSONL] = { "jsonl", &export_jsonl_ops },
	[EXPORT_CSV] = { "csv", &export_csv_ops },
	[EXPORT_PERFETTO] = { "perfetto", &export_perfetto_ops },
};

int export_format_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i].name, name) == 0)
			return (int)i;
	return -1;
}

static struct exporter *exporter_alloc(const struct export_ops *ops)
{
	/*
	 * Cache lines of its own: an exporter is written for every event,
	 * on a thread of its own in a dump (cli/dump_pipeline.c), and a
	 * neighbour on the heap written by the reading thread (a trace run's
	 * cursor) made both threads twice as slow.
	 */
	size_t size = (sizeof(struct exporter) + EXPORT_CACHE_LINE - 1) &
		      ~(size_t)(EXPORT_CACHE_LINE - 1);
	struct exporter *x = aligned_alloc(EXPORT_CACHE_LINE, size);

	if (!x)
		return NULL;
	memset(x, 0, size);
	x->ops = ops;
	return x;
}

struct exporter *exporter_new(enum export_format fmt, FILE *out)
{
	struct exporter *x = exporter_alloc(formats[fmt].ops);

	if (!x)
		return NULL;
	x->out.out = out;
	if (x->ops->begin)
		x->ops->begin(x);
	return x;
}

struct exporter *exporter_fork(const struct exporter *x)
{
	return x->ops->independent ? exporter_alloc(x->ops) : NULL;
}

void exporter_free_fork(struct exporter *fork)
{
	if (!fork)
		return;
	outbuf_free(&fork->out);
	free(fork);
}

void exporter_write(struct exporter *x, const char *text, size_t len)
{
	if (!x->out.out) {
		outbuf_write(&x->out, text, len);
		return;
	}
	outbuf_flush(&x->out);
	if (len && fwrite(text, 1, len, x->out.out) != len)
		x->out.failed = true;
}

void exporter_begin_trace(struct exporter *x, const struct trace_reader *r, unsigned int index,
			  const char *host)
{
	if (x->ops->trace)
		x->ops->trace(x, r, index, host);
}

void exporter_event(struct exporter *x, const struct export_event *e)
{
	x->ops->event(x, e);
	outbuf_end_record(&x->out);
}

int exporter_finish(struct exporter *x)
{
	int rc;

	if (x->ops->finish)
		x->ops->finish(x);
	outbuf_flush(&x->out);
	if (x->out.out && fflush(x->out.out) != 0)
		x->out.failed = true;
	rc = x->out.failed ? -1 : 0;
	if (x->ops->free)
		x->ops->free(x);
	outbuf_free(&x->out);
	free(x);
	return rc;
}

void export_write_seconds(struct outbuf *o, uint64_t ns, uint64_t start_ns)
{
	if (outbuf_reserve(o, EXPORT_SECONDS_MAX))
		outbuf_commit(o, export_put_seconds(outbuf_cursor(o), ns, start_ns));
}

const char *export_syscall_name(int nr, char *buf, size_t len)
{
	const char *name = trace_syscall_name(nr);

	if (name)
		return name;
	if (nr == TRACE_SYSCALL_NONE)
		return NULL;
	snprintf(buf, len, "syscall_%d", nr);
	return buf;
}

void export_map_prot(uint32_t map_flags, char prot[4])
{
	prot[0] = map_flags & TRACE_MAP_PROT_READ ? 'r' : '-';
	prot[1] = map_flags & TRACE_MAP_PROT_WRITE ? 'w' : '-';
	prot[2] = map_flags & TRACE_MAP_PROT_EXEC ? 'x' : '-';
	prot[3] = '\0';
}
