/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * live_view.c - run's status line.  Rates are over the last refresh
 * interval (what is happening now); the file count is since the start.
 * It redraws in place with a carriage return and never scrolls, so it
 * only makes sense on a terminal: the caller decides that (isatty).
 */
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include "io_tally.h"
#include "live_view.h"
#include "trace_follow.h"

struct live_view {
	FILE *out;
	struct trace_follow *follow;
	struct io_tally total, last;	/* now, and at the previous redraw */
	struct io_tally_map files;	/* file ids with data requests */
	double start, last_at;
};

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct live_view *live_view_new(const char *trace_path, FILE *out)
{
	struct live_view *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->out = out;
	v->follow = trace_follow_new(trace_path);
	v->start = v->last_at = mono_s();
	return v;
}

static void live_view_count(void *arg, struct trace_reader *r, const struct trace_event *ev)
{
	struct live_view *v = arg;

	(void)r;
	if (io_tally_add(&v->total, ev) && ev->file_id)
		io_tally_map_get(&v->files, ev->file_id);
}

static double mb_per_s(uint64_t now, uint64_t before, double seconds)
{
	return seconds > 0 ? (double)(now - before) / 1e6 / seconds : 0;
}

void live_view_update(struct live_view *v)
{
	const struct io_tally *t = &v->total, *l = &v->last;
	struct winsize ws;
	char line[256];
	int cols = 79;
	double now, dt;

	if (!v || !v->follow)
		return;
	trace_follow_poll(v->follow, live_view_count, v);
	now = mono_s();
	dt = now - v->last_at;
	snprintf(line, sizeof(line), "%4.0fs %6.0f req/s %4zu files | read MB/s: read %.1f "
		"mmap %.1f other %.1f | write MB/s: write %.1f wback %.1f",
		now - v->start, dt > 0 ? (double)(t->requests - l->requests) / dt : 0,
		v->files.count,
		mb_per_s(t->bytes[IO_READ_SYSCALL], l->bytes[IO_READ_SYSCALL], dt),
		mb_per_s(t->bytes[IO_READ_MMAP], l->bytes[IO_READ_MMAP], dt),
		mb_per_s(t->bytes[IO_READ_OTHER], l->bytes[IO_READ_OTHER], dt),
		mb_per_s(t->bytes[IO_WRITE_SYSCALL], l->bytes[IO_WRITE_SYSCALL], dt),
		mb_per_s(t->bytes[IO_WRITE_BACK], l->bytes[IO_WRITE_BACK], dt));
	/* A wrapped line could not be redrawn in place: cut it to the width. */
	if (ioctl(fileno(v->out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		cols = ws.ws_col - 1;
	fprintf(v->out, "\r\033[K%.*s", cols, line);
	fflush(v->out);
	v->last = v->total;
	v->last_at = now;
}

void live_view_free(struct live_view *v)
{
	if (!v)
		return;
	fprintf(v->out, "\r\033[K");
	fflush(v->out);
	trace_follow_free(v->follow);
	io_tally_map_free(&v->files);
	free(v);
}
