/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * export.h - write trace events as JSON Lines, CSV or Chrome/Perfetto
 * trace JSON.  The keys and columns are documented in doc/trace.md.
 *
 * An exporter is fed events that the caller has already read, resolved
 * (path, process) and filtered; it only formats them.
 */
#ifndef ACCESSFS_EXPORT_H
#define ACCESSFS_EXPORT_H

#include <stdio.h>
#include "json_writer.h"
#include "outbuf.h"
#include "trace_reader.h"

enum export_format {
	EXPORT_JSONL,
	EXPORT_CSV,
	EXPORT_PERFETTO,
};

/* "jsonl", "csv", "perfetto"; -1 if unknown. */
int export_format_from_name(const char *name);

/* One event as the exporters see it. */
struct export_event {
	const struct trace_event *ev;
	const char *path, *path2;	/* NULL if the trace never named the file */
	size_t path_len, path2_len;
	const struct trace_proc *proc;	/* NULL if no PROC record */
	uint64_t trace_start_ns;	/* "t" counts from here */
	const char *host;		/* NULL unless several traces are exported */
	unsigned int trace_index;	/* 0, 1, ... in the order given */
};

struct exporter;

struct export_ops {
	void (*begin)(struct exporter *x);
	void (*trace)(struct exporter *x, const struct trace_reader *r, unsigned int index,
		      const char *host);
	void (*event)(struct exporter *x, const struct export_event *e);
	void (*finish)(struct exporter *x);
	void (*free)(struct exporter *x);
	/*
	 * Each event's text depends on that event alone (no state, no
	 * finish): events may be formatted apart by forks, on other threads,
	 * and their texts joined in order (jsonl, csv; not perfetto).
	 */
	bool independent;
};

struct exporter {
	const struct export_ops *ops;
	struct outbuf out;
	void *state;			/* the format's own */
};

extern const struct export_ops export_jsonl_ops, export_csv_ops, export_perfetto_ops;

/* Start an export to out (writes the CSV header, the Perfetto opening). */
struct exporter *exporter_new(enum export_format fmt, FILE *out);
/* A trace begins: Perfetto names its processes and threads. */
void exporter_begin_trace(struct exporter *x, const struct trace_reader *r, unsigned int index,
			  const char *host);
void exporter_event(struct exporter *x, const struct export_event *e);
/* Finish the output and free x; 0, or -1 if writing failed. */
int exporter_finish(struct exporter *x);

/*
 * An exporter of x's format that writes nothing to x's FILE: events given
 * to it are formatted into its own out buffer (a caller may swap that
 * buffer), to be joined to x's output with exporter_write().  NULL if x's
 * format is not independent, or memory is short.  exporter_free_fork()
 * frees it.
 */
struct exporter *exporter_fork(const struct exporter *x);
void exporter_free_fork(struct exporter *fork);
/* Append text a fork formatted to x's output, after what x has buffered. */
void exporter_write(struct exporter *x, const char *text, size_t len);

/* Helpers the formats share. */
/* Seconds from trace start with 9 decimals (negative if before it). */
void export_write_seconds(struct outbuf *o, uint64_t ns, uint64_t start_ns);
/* The same at a cursor (outbuf.h) with EXPORT_SECONDS_MAX bytes of room. */
#define EXPORT_SECONDS_MAX (OUTBUF_U64_MAX + 11)
static inline char *export_put_seconds(char *p, uint64_t ns, uint64_t start_ns)
{
	if (ns >= start_ns)
		return outbuf_format_fixed(p, ns - start_ns, 9);
	*p = '-';
	return outbuf_format_fixed(p + 1, start_ns - ns, 9);
}
/* The syscall's name, "syscall_N", or NULL for TRACE_SYSCALL_NONE. */
const char *export_syscall_name(int nr, char *buf, size_t len);
/* "rwx"-style protection of map_flags. */
void export_map_prot(uint32_t map_flags, char prot[4]);

#endif /* ACCESSFS_EXPORT_H */
