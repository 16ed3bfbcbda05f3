/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_follow.c - follow a growing trace through the ordinary reader.
 *
 * The writer only appends whole blocks, so the order in which the reader
 * returns events never changes as the file grows: a poll re-opens the
 * trace, skips the events already delivered and hands over the rest.  A
 * block still being written looks like a torn tail and is read next time.
 * This costs a re-read of the file per poll (once a second, and only when
 * the file grew); an incremental reader in lib/ would make it O(new).  We
 * deliberately do not decode blocks here: the reader owns the format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "trace_follow.h"

struct trace_follow {
	char *path;
	uint64_t delivered;	/* events handed over so far */
	off_t size;		/* file size at the last poll */
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
	uint64_t seen = 0;
	long n = 0;
	int got;

	if (stat(f->path, &st) < 0 || st.st_size == f->size)
		return 0;	/* not there yet, or nothing new */
	r = trace_reader_open(f->path, f->err, sizeof(f->err));
	if (!r)
		return 0;	/* the header may not be written yet: try later */
	while ((got = trace_reader_next(r, &ev)) == 1) {
		if (seen++ < f->delivered)
			continue;
		fn(arg, r, &ev);
		n++;
	}
	if (got < 0)
		snprintf(f->err, sizeof(f->err), "%s", trace_reader_error(r));
	trace_reader_summary(r, &sum);
	f->ended = sum.clean_end;
	f->delivered = seen;
	f->size = st.st_size;
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
