/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_follow.c - follow a growing trace through the ordinary reader.
 *
 * The writer only appends whole blocks, so a block, once complete, never
 * changes: a poll re-opens the trace from the offset where the previous
 * poll's reader stopped (trace_reader_open_from) and hands over the events
 * after it.  A block still being written looks like a torn tail and is
 * read next time.  A poll decodes only the new events; it still walks the
 * block headers and re-reads the META blocks of the whole file, because
 * names and processes come from anywhere in it.  A new trace under the
 * same name (the writer never truncates: it is a new file) is followed
 * from its start.  We deliberately do not decode blocks here: the reader
 * owns the format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "trace_follow.h"

struct trace_follow {
	char *path;
	uint64_t offset;	/* where the last poll's reader stopped; 0: start */
	off_t size;		/* file size at the last poll */
	dev_t dev;		/* the file the offset is in */
	ino_t ino;
	int ended;
	char err[256];
};

struct trace_follow *trace_follow_new(const char *path)
{
	struct trace_follow *f = calloc(1, sizeof(*f));

	if (f && !(f->path = strdup(path))) {
		free(f);
		f = NULL;
	}
	return f;
}

void trace_follow_free(struct trace_follow *f)
{
	if (!f)
		return;
	free(f->path);
	free(f);
}

long trace_follow_poll(struct trace_follow *f, trace_follow_fn fn, void *arg)
{
	struct trace_reader_summary sum;
	struct trace_event ev;
	struct trace_reader *r;
	struct stat st;
	long n = 0;
	int got;

	if (stat(f->path, &st) < 0 || st.st_size == f->size)
		return 0;	/* not there yet, or nothing new */
	if (st.st_dev != f->dev || st.st_ino != f->ino)
		f->offset = 0;	/* a new trace */
	r = trace_reader_open_from(f->path, f->offset, f->err, sizeof(f->err));
	if (!r)		/* at the start the header may not be written yet: try later */
		return f->offset ? -1 : 0;
	f->err[0] = '\0';
	while ((got = trace_reader_next(r, &ev)) == 1) {
		fn(arg, r, &ev);
		n++;
	}
	if (got < 0)
		snprintf(f->err, sizeof(f->err), "%s", trace_reader_error(r));
	trace_reader_summary(r, &sum);
	f->ended = sum.clean_end;
	f->offset = trace_reader_offset(r);
	f->size = st.st_size;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	trace_reader_close(r);
	return got < 0 ? -1 : n;
}

const char *trace_follow_error(const struct trace_follow *f)
{
	return f->err[0] ? f->err : NULL;
}

int trace_follow_ended(const struct trace_follow *f)
{
	return f->ended;
}
