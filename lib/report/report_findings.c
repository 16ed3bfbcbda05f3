/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_findings.c - plain-language findings: only statements that the
 * counters make clear-cut (one method carries 90% of the bytes, a tenth of
 * the fetches were repeats, the trace lost events).  It does not guess at
 * causes the trace cannot show.
 *
 * Files of one dataset are read alike, and twenty identical sentences hide
 * the one that differs, so findings about files are grouped: files share a
 * finding when it says the same thing about them apart from its
 * percentages (same kind, same method, same request size), and the group
 * states each percentage as the range over its files.  Groups come worst
 * first, by the bytes their files moved; findings about the run follow.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"

#define DOMINANT_PCT 90	/* a method "is" the file's access when it has this share */
#define REFETCH_PCT 10	/* re-fetch worth mentioning */
#define UNKNOWN_PCT 5
#define FINDING_LEN 1024
#define FILE_FINDINGS 3	/* kinds of finding about one file: read, re-fetch, writeback */
#define FIGURES 2	/* percentages in one finding about a file */
#define LISTED_FILES 3	/* a group of more is named by its first and last path */

/* Where a percentage goes in a finding's shape: the figure, or its range. */
#define FIG "\x1f"

/* A finding about one file, before grouping: its shape is the group's key. */
struct file_finding {
	const char *kind;
	char shape[FINDING_LEN / 2];
	unsigned int fig[FIGURES], nfig;
	size_t file;		/* index in analysis.files: its rank by bytes */
};

struct sink {
	void (*emit)(void *ctx, const struct report_finding *f);
	void *ctx;
	size_t n;
	const struct analysis *a;
	struct file_finding *ff;	/* room for FILE_FINDINGS per file considered */
	size_t nff;
	size_t file;			/* the file being looked at */
};

/* A finding about the run: emitted at once, about no file. */
__attribute__((format(printf, 3, 4)))
static void say(struct sink *s, const char *kind, const char *fmt, ...)
{
	char line[FINDING_LEN];
	struct report_finding f = { .text = line, .kind = kind };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	s->emit(s->ctx, &f);
	s->n++;
}

/*
 * A finding about the current file, kept for grouping: fmt has FIG where
 * each of the nfig percentages in fig goes, in order.
 */
__attribute__((format(printf, 5, 6)))
static void say_file(struct sink *s, const char *kind, const unsigned int *fig,
		     unsigned int nfig, const char *fmt, ...)
{
	struct file_finding *f = &s->ff[s->nff++];
	va_list ap;

	f->kind = kind;
	f->file = s->file;
	f->nfig = nfig;
	memcpy(f->fig, fig, nfig * sizeof(*fig));
	va_start(ap, fmt);
	vsnprintf(f->shape, sizeof(f->shape), fmt, ap);
	va_end(ap);
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
	unsigned int m = top_method(f, POSIX_BYTES_READ, &best_bytes), fig[FIGURES], nfig = 0;
	const struct method_stats *s;
	char size[REPORT_UNIT_LEN], how[160] = "";

	if (!read || m == REPORT_METHOD_COUNT || pct(best_bytes, read) < DOMINANT_PCT)
		return;
	s = file_stats_method(f, m);
	fig[nfig++] = pct(best_bytes, read);
	if (pct(s->c[POSIX_ACCESS1_COUNT], s->c[POSIX_READS]) >= 50)
		snprintf(how, sizeof(how), " in %s requests",
			 report_bytes(size, s->c[POSIX_ACCESS1_ACCESS], false));
	if (s->c[ACCESSFS_READAHEAD_KNOWN_READS] && s->c[ACCESSFS_READAHEAD_BYTES]) {
		fig[nfig++] = pct(s->c[ACCESSFS_READAHEAD_BYTES], s->c[POSIX_BYTES_READ]);
		snprintf(how + strlen(how), sizeof(how) - strlen(how),
			 ", " FIG "%% of them readahead beyond what was asked");
	}
	say_file(k, "read_method", fig, nfig, FIG "%% of read bytes came from %s%s",
		 report_method_phrase(m), how);
}

static void refetch_findings(struct sink *k, const struct analysis_file *af)
{
	const struct method_stats *t = &af->stats.total;
	unsigned int p = pct(t->c[ACCESSFS_REFETCH_BYTES], t->c[POSIX_BYTES_READ]);

	if (t->c[ACCESSFS_REFETCH_BYTES] && p >= REFETCH_PCT)
		say_file(k, "refetch", &p, 1,
			 FIG "%% of fetched bytes had been fetched before (re-fetch)");
}

static void writeback_findings(struct sink *k, const struct analysis_file *af)
{
	const struct file_stats *f = &af->stats;
	uint64_t wb = 0, best_bytes = 0;
	unsigned int best = 0, p;

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
	p = pct(best_bytes, wb);
	if (!wb || p < DOMINANT_PCT)
		return;
	say_file(k, "writeback_trigger", &p, 1, "%s reached storage %s (" FIG "%% of writeback bytes)",
		 is_writeback(best) && file_stats_method(f, REPORT_METHOD_MMAP) &&
		 !file_stats_method(f, REPORT_METHOD_WRITE) ? "mmap stores" : "writeback",
		 report_method_phrase(best));
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
			say(k, "lost", "%s: %llu events were lost (the trace could not be written)",
			    t->path, (unsigned long long)t->lost);
		if (t->torn_tail)
			say(k, "torn_tail", "%s: the trace ends in a torn block (%llu bytes cut): the daemon "
			    "was killed", t->path, (unsigned long long)t->torn_bytes);
		else if (!t->clean_end)
			say(k, "no_end", "%s: the trace has no clean end: still being written, or the "
			    "daemon was killed", t->path);
	}
	if (wbc)
		say(k, "writeback_cache", "writeback cache was on: write() calls appear as writeback "
		    "(pid 0, by trigger), not as write");
	if (unlabelled)
		say(k, "classify_off", "access methods were not recorded (classify off): data requests "
		    "show as \"none\"");
	if (data && pct(rs->unknown, data) >= UNKNOWN_PCT)
		say(k, "unknown", "%u%% of data requests have no known cause (method unknown)",
		    pct(rs->unknown, data));
}

static int shape_cmp(const struct file_finding *a, const struct file_finding *b)
{
	int c = strcmp(a->kind, b->kind);

	return c ? c : strcmp(a->shape, b->shape);
}

/* Same kind and shape together, and within them the files by rank. */
static int by_shape(const void *x, const void *y)
{
	const struct file_finding *a = x, *b = y;
	int c = shape_cmp(a, b);

	return c ? c : (a->file > b->file) - (a->file < b->file);
}

/* A run of findings of one shape in the sorted array: the files sharing it. */
struct group {
	const struct file_finding *f;
	size_t n;
	uint64_t bytes;		/* moved by its files */
};

/* Worst first: most bytes, then the group of the highest-ranked file. */
static int by_bytes(const void *x, const void *y)
{
	const struct group *a = x, *b = y;

	if (a->bytes != b->bytes)
		return a->bytes < b->bytes ? 1 : -1;
	return (a->f->file > b->f->file) - (a->f->file < b->f->file);
}

/* The one path, "3 files (a, b, c)" by bytes, or "20 files (first ... last)" by name. */
static size_t group_name(char *buf, size_t len, const struct analysis_file **files, size_t n)
{
	const char *first = files[0]->path, *last = files[0]->path;
	size_t used;

	if (n == 1)
		return (size_t)snprintf(buf, len, "%s", first);
	for (size_t i = 1; i < n; i++) {
		first = strcmp(files[i]->path, first) < 0 ? files[i]->path : first;
		last = strcmp(files[i]->path, last) > 0 ? files[i]->path : last;
	}
	if (n > LISTED_FILES)
		return (size_t)snprintf(buf, len, "%zu files (%s ... %s)", n, first, last);
	used = (size_t)snprintf(buf, len, "%zu files (", n);
	for (size_t i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 files[i]->path);
	if (used < len)
		used += (size_t)snprintf(buf + used, len - used, ")");
	return used;
}

/* The group's sentence: its name, then the shape with each figure as a range. */
static void group_text(char *buf, size_t len, const struct group *g,
		       const struct analysis_file **files)
{
	size_t used = group_name(buf, len, files, g->n);
	unsigned int fig = 0;

	if (used < len)
		used += (size_t)snprintf(buf + used, len - used, ": ");
	for (const char *c = g->f->shape; *c && used < len; c++) {
		unsigned int lo = UINT32_MAX, hi = 0;

		if (*c != FIG[0]) {
			buf[used++] = *c;
			continue;
		}
		for (size_t i = 0; i < g->n; i++) {
			lo = g->f[i].fig[fig] < lo ? g->f[i].fig[fig] : lo;
			hi = g->f[i].fig[fig] > hi ? g->f[i].fig[fig] : hi;
		}
		fig++;
		used += (size_t)snprintf(buf + used, len - used, lo == hi ? "%u" : "%u-%u", lo, hi);
	}
	buf[used < len ? used : len - 1] = '\0';
}

static void emit_groups(struct sink *k)
{
	struct group *g = calloc(k->nff ? k->nff : 1, sizeof(*g));
	const struct analysis_file **files = calloc(k->nff ? k->nff : 1, sizeof(*files));
	char line[FINDING_LEN];
	size_t ng = 0;

	if (!g || !files)
		goto out;
	qsort(k->ff, k->nff, sizeof(*k->ff), by_shape);
	for (size_t i = 0; i < k->nff; i++) {
		if (!ng || shape_cmp(&k->ff[i], g[ng - 1].f))
			g[ng++].f = &k->ff[i];
		g[ng - 1].n++;
		g[ng - 1].bytes += method_stats_bytes(&k->a->files[k->ff[i].file]->stats.total);
	}
	qsort(g, ng, sizeof(*g), by_bytes);
	for (size_t i = 0; i < ng; i++) {
		struct report_finding f = { .text = line, .kind = g[i].f->kind, .files = files,
					    .nfiles = g[i].n, .bytes = g[i].bytes };

		for (size_t j = 0; j < g[i].n; j++)
			files[j] = k->a->files[g[i].f[j].file];
		group_text(line, sizeof(line), &g[i], files);
		k->emit(k->ctx, &f);
		k->n++;
	}
out:
	free(g);
	free(files);
}

size_t report_findings(const struct analysis *a, size_t top,
		       void (*emit)(void *ctx, const struct report_finding *f), void *ctx)
{
	size_t nfiles = a->nfiles < top ? a->nfiles : top;
	struct sink k = { .emit = emit, .ctx = ctx, .a = a };

	k.ff = calloc(nfiles ? nfiles * FILE_FINDINGS : 1, sizeof(*k.ff));
	for (size_t i = 0; i < nfiles && k.ff; i++) {
		k.file = i;
		read_findings(&k, a->files[i]);
		refetch_findings(&k, a->files[i]);
		writeback_findings(&k, a->files[i]);
	}
	if (k.ff)
		emit_groups(&k);
	free(k.ff);
	run_findings(&k, &a->run);
	return k.n;
}
