/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_findings.c - plain-language findings: only statements that the
 * counters make clear-cut (one method carries 90% of the bytes, a tenth of
 * the fetches were repeats, the trace lost events).  It does not guess at
 * causes the trace cannot show.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "report.h"

#define DOMINANT_PCT 90	/* a method "is" the file's access when it has this share */
#define REFETCH_PCT 10	/* re-fetch worth mentioning */
#define UNKNOWN_PCT 5
#define FINDING_FILES 5	/* per-file findings for at most this many top files */

/* How a finding names the cause of requests of a method. */
static const char *const method_phrase[REPORT_METHOD_COUNT] = {
	[REPORT_METHOD_NONE] = "unlabelled requests",
	[REPORT_METHOD_READ] = "read() calls",
	[REPORT_METHOD_MMAP] = "mmap faults",
	[REPORT_METHOD_POPULATE] = "populate (MAP_POPULATE, madvise, mlock)",
	[REPORT_METHOD_ADVISE] = "readahead advice (fadvise, madvise, readahead)",
	[REPORT_METHOD_COPY] = "copies (sendfile, splice, copy_file_range)",
	[REPORT_METHOD_KERNEL] = "the kernel itself",
	[REPORT_METHOD_WRITE] = "write() calls",
	[REPORT_METHOD_UNKNOWN] = "requests of unknown cause",
	[REPORT_METHOD_IO_URING] = "io_uring requests",
};

/* What a writeback trigger means for when data reached storage. */
static const char *const trigger_phrase[TRACE_TRIGGER_COUNT] = {
	[TRACE_TRIGGER_MSYNC] = "at msync",
	[TRACE_TRIGGER_FSYNC] = "at fsync",
	[TRACE_TRIGGER_CLOSE] = "at close",
	[TRACE_TRIGGER_MUNMAP] = "only at munmap",
	[TRACE_TRIGGER_EXIT] = "only at process exit",
	[TRACE_TRIGGER_SYNC] = "at sync",
	[TRACE_TRIGGER_FLUSHER] = "through the kernel's background flusher",
	[TRACE_TRIGGER_UNKNOWN] = "by writeback of unknown trigger",
	[TRACE_TRIGGER_RECLAIM] = "when memory reclaim forced it out",
};

struct sink {
	void (*emit)(void *ctx, const char *line);
	void *ctx;
	size_t n;
};

__attribute__((format(printf, 2, 3)))
static void say(struct sink *s, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	s->emit(s->ctx, line);
	s->n++;
}

static unsigned int pct(uint64_t part, uint64_t whole)
{
	return whole ? (unsigned int)(part * 100 / whole) : 0;
}

static bool is_writeback(unsigned int m)
{
	return m >= REPORT_METHOD_WRITEBACK_NONE && m < REPORT_METHOD_COUNT;
}

/* The method with the most bytes in one direction; its bytes in *best_bytes. */
static unsigned int top_method(const struct file_stats *f, unsigned int counter,
			       uint64_t *best_bytes)
{
	unsigned int best = REPORT_METHOD_COUNT;

	*best_bytes = 0;
	for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++) {
		const struct method_stats *s = file_stats_method(f, m);

		if (s && s->c[counter] > *best_bytes) {
			*best_bytes = s->c[counter];
			best = m;
		}
	}
	return best;
}

static void read_findings(struct sink *k, const struct analysis_file *af)
{
	const struct file_stats *f = &af->stats;
	uint64_t read = f->total.c[POSIX_BYTES_READ], best_bytes;
	unsigned int m = top_method(f, POSIX_BYTES_READ, &best_bytes);
	const struct method_stats *s;
	char size[REPORT_UNIT_LEN], how[160] = "";

	if (!read || m == REPORT_METHOD_COUNT || pct(best_bytes, read) < DOMINANT_PCT)
		return;
	s = file_stats_method(f, m);
	if (pct(s->c[POSIX_ACCESS1_COUNT], s->c[POSIX_READS]) >= 50)
		snprintf(how, sizeof(how), " in %s requests",
			 report_bytes(size, s->c[POSIX_ACCESS1_ACCESS], false));
	if (s->c[ACCESSFS_READAHEAD_KNOWN_READS] && s->c[ACCESSFS_READAHEAD_BYTES])
		snprintf(how + strlen(how), sizeof(how) - strlen(how),
			 ", %u%% of them readahead beyond what was asked",
			 pct(s->c[ACCESSFS_READAHEAD_BYTES], s->c[POSIX_BYTES_READ]));
	say(k, "%s: %u%% of read bytes came from %s%s", af->path, pct(best_bytes, read),
	    method_phrase[m] ? method_phrase[m] : report_method_name(m), how);
}

static void refetch_findings(struct sink *k, const struct analysis_file *af)
{
	const struct method_stats *t = &af->stats.total;
	unsigned int p = pct(t->c[ACCESSFS_REFETCH_BYTES], t->c[POSIX_BYTES_READ]);

	if (t->c[ACCESSFS_REFETCH_BYTES] && p >= REFETCH_PCT)
		say(k, "%s: %u%% of fetched bytes had been fetched before (re-fetch)",
		    af->path, p);
}

static void writeback_findings(struct sink *k, const struct analysis_file *af)
{
	const struct file_stats *f = &af->stats;
	uint64_t wb = 0, best_bytes = 0;
	unsigned int best = 0;

	for (unsigned int m = REPORT_METHOD_WRITEBACK_NONE; m < REPORT_METHOD_COUNT; m++) {
		const struct method_stats *s = file_stats_method(f, m);

		if (!s)
			continue;
		wb += s->c[POSIX_BYTES_WRITTEN];
		if (s->c[POSIX_BYTES_WRITTEN] > best_bytes) {
			best_bytes = s->c[POSIX_BYTES_WRITTEN];
			best = m;
		}
	}
	if (!wb || pct(best_bytes, wb) < DOMINANT_PCT)
		return;
	if (is_writeback(best) && file_stats_method(f, REPORT_METHOD_MMAP) &&
	    !file_stats_method(f, REPORT_METHOD_WRITE))
		say(k, "%s: mmap stores reached storage %s (%u%% of writeback bytes)", af->path,
		    trigger_phrase[best - REPORT_METHOD_WRITEBACK_NONE], pct(best_bytes, wb));
	else
		say(k, "%s: writeback reached storage %s (%u%% of writeback bytes)", af->path,
		    trigger_phrase[best - REPORT_METHOD_WRITEBACK_NONE], pct(best_bytes, wb));
}

static void run_findings(struct sink *k, const struct run_stats *rs)
{
	uint64_t data = 0;
	bool wbc = false, unlabelled = false;

	for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++)
		data += rs->by_method[m].requests;
	for (size_t i = 0; i < rs->ntraces; i++) {
		const struct run_trace *t = &rs->traces[i];

		wbc |= t->writeback_cache == 1;
		unlabelled |= t->classify == 0;
		if (t->lost)
			say(k, "%s: %llu events were lost (the trace could not be written)",
			    t->path, (unsigned long long)t->lost);
		if (t->torn_tail)
			say(k, "%s: the trace ends in a torn block (%llu bytes cut): the daemon "
			    "was killed", t->path, (unsigned long long)t->torn_bytes);
		else if (!t->clean_end)
			say(k, "%s: the trace has no clean end: still being written, or the "
			    "daemon was killed", t->path);
	}
	if (wbc)
		say(k, "writeback cache was on: write() calls appear as writeback "
		    "(pid 0, by trigger), not as write");
	if (unlabelled)
		say(k, "access methods were not recorded (classify off): data requests "
		    "show as \"none\"");
	if (data && pct(rs->unknown, data) >= UNKNOWN_PCT)
		say(k, "%u%% of data requests have no known cause (method unknown)",
		    pct(rs->unknown, data));
}

size_t report_findings(const struct analysis *a, size_t top,
		       void (*emit)(void *ctx, const char *line), void *ctx)
{
	struct sink k = { emit, ctx, 0 };

	for (size_t i = 0; i < a->nfiles && i < top && i < FINDING_FILES; i++) {
		read_findings(&k, a->files[i]);
		refetch_findings(&k, a->files[i]);
		writeback_findings(&k, a->files[i]);
	}
	run_findings(&k, &a->run);
	return k.n;
}
