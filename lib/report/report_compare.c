/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_compare.c - runs side by side ("--compare A B [C...]"): the same
 * workload under several access methods or mount options, the first run
 * the baseline.  Per file (matched by path) and in total: requests, bytes,
 * re-fetch, readahead, latency and wall time, with each run's ratio to the
 * baseline (B/A, C/A...), and each run's mix of methods.  It compares what
 * the analyses counted; it does not judge which is better.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_writer.h"
#include "report.h"

enum unit { UNIT_COUNT, UNIT_BYTES, UNIT_NS };

/* X(field, label, unit) */
#define COMPARE_METRICS(X)					\
	X(requests, "requests", UNIT_COUNT)			\
	X(bytes, "bytes", UNIT_BYTES)				\
	X(refetch_bytes, "re-fetched bytes", UNIT_BYTES)	\
	X(readahead_bytes, "readahead bytes", UNIT_BYTES)	\
	X(latency_p50_ns, "latency p50", UNIT_NS)		\
	X(latency_p99_ns, "latency p99", UNIT_NS)		\
	X(latency_max_ns, "latency max", UNIT_NS)		\
	X(span_ns, "wall time (span)", UNIT_NS)

struct summary {
#define X(field, label, unit) uint64_t field;
	COMPARE_METRICS(X)
#undef X
	uint64_t method_bytes[REPORT_METHOD_COUNT];
	bool present;
};

static const struct {
	const char *key, *label;
	enum unit unit;
	size_t offset;
} metrics[] = {
#define X(field, label, unit) { #field, label, unit, offsetof(struct summary, field) },
	COMPARE_METRICS(X)
#undef X
};

#define NMETRICS (sizeof(metrics) / sizeof(metrics[0]))

static uint64_t metric(const struct summary *s, size_t i)
{
	return *(const uint64_t *)((const char *)s + metrics[i].offset);
}

static void summarize_stats(struct summary *s, const struct method_stats *t,
			    const struct latency_hist *lat)
{
	s->requests = method_stats_requests(t);
	s->bytes = method_stats_bytes(t);
	s->refetch_bytes = t->c[ACCESSFS_REFETCH_BYTES];
	s->readahead_bytes = t->c[ACCESSFS_READAHEAD_BYTES];
	s->latency_p50_ns = latency_hist_percentile(lat, 50);
	s->latency_p99_ns = latency_hist_percentile(lat, 99);
	s->latency_max_ns = lat->max;
	s->present = true;
}

static void summarize_file(struct summary *s, const struct analysis_file *af)
{
	memset(s, 0, sizeof(*s));
	if (!af)
		return;
	summarize_stats(s, &af->stats.total, &af->stats.total.latency);
	s->span_ns = af->stats.total.last_ns - af->stats.total.first_ns;
	for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++) {
		const struct method_stats *ms = file_stats_method(&af->stats, m);

		s->method_bytes[m] = ms ? method_stats_bytes(ms) : 0;
	}
}

/* The whole run: the sum of its files, latency over all their requests. */
static void summarize_run(struct summary *s, const struct analysis *a)
{
	struct method_stats sum;
	struct latency_hist *lat = calloc(1, sizeof(*lat));

	memset(s, 0, sizeof(*s));
	memset(&sum, 0, sizeof(sum));
	for (size_t i = 0; i < a->nfiles && lat; i++) {
		const struct method_stats *t = &a->files[i]->stats.total;

		for (unsigned int c = 0; c < FILE_STATS_COUNTER_COUNT; c++)
			sum.c[c] += t->c[c];
		latency_hist_merge(lat, &t->latency);
	}
	if (lat)
		summarize_stats(s, &sum, lat);
	free(lat);
	s->span_ns = a->run.last_ns - a->run.first_ns;
	for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++)
		s->method_bytes[m] = run_io_bytes(&a->run.by_method[m]);
}

static const char *format_metric(char buf[REPORT_UNIT_LEN], const struct summary *s, size_t i)
{
	uint64_t v = metric(s, i);

	if (!s->present)
		return "-";
	switch (metrics[i].unit) {
	case UNIT_BYTES:
		return report_bytes(buf, v, true);
	case UNIT_NS:
		return report_duration(buf, v);
	default:
		return report_count(buf, v);
	}
}

/* "read 98%, mmap 2%": methods with at least 1% of the bytes. */
static void method_mix(char *buf, size_t len, const struct summary *s)
{
	uint64_t total = 0;
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++)
		total += s->method_bytes[m];
	for (unsigned int m = 0; m < REPORT_METHOD_COUNT && total; m++) {
		unsigned int p = (unsigned int)(s->method_bytes[m] * 100 / total);

		if (p >= 1 && used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s %u%%",
						 used ? ", " : "", report_method_name(m), p);
	}
	if (!buf[0])
		snprintf(buf, len, "-");
}

/* Run i's name: "A", "B"... (upper for text, lower for JSON keys). */
static char run_letter(size_t i, bool upper)
{
	return (char)((upper ? 'A' : 'a') + i);
}

/* v against the baseline's: "1.50", or "-" when either is missing or the baseline 0. */
static const char *ratio_text(char buf[REPORT_UNIT_LEN], const struct summary *base,
			      const struct summary *s, size_t i)
{
	if (base->present && s->present && metric(base, i))
		snprintf(buf, REPORT_UNIT_LEN, "%.2f", (double)metric(s, i) / (double)metric(base, i));
	else
		snprintf(buf, REPORT_UNIT_LEN, "-");
	return buf;
}

/*
 * Column widths: two runs keep the layout --compare always had; more runs
 * get narrower columns so that four still fit 80 columns.
 */
static int value_width(size_t n)
{
	return n == 2 ? 12 : 8;
}

static int ratio_width(size_t n)
{
	return n == 2 ? 8 : 6;
}

static void text_header(FILE *out, const char *title, size_t n)
{
	char name[8];

	fprintf(out, "\n%-22s", title);
	for (size_t r = 0; r < n; r++)
		fprintf(out, " %*c", value_width(n), run_letter(r, true));
	for (size_t r = 1; r < n; r++) {
		snprintf(name, sizeof(name), "%c/A", run_letter(r, true));
		fprintf(out, " %*s", ratio_width(n), name);
	}
	fputc('\n', out);
}

static void text_block(FILE *out, const struct summary *s, size_t n)
{
	char x[REPORT_UNIT_LEN], mix[256];

	for (size_t i = 0; i < NMETRICS; i++) {
		fprintf(out, "  %-20s", metrics[i].label);
		for (size_t r = 0; r < n; r++)
			fprintf(out, " %*s", value_width(n), format_metric(x, &s[r], i));
		for (size_t r = 1; r < n; r++)
			fprintf(out, " %*s", ratio_width(n), ratio_text(x, &s[0], &s[r], i));
		fputc('\n', out);
	}
	for (size_t r = 0; r < n; r++) {
		method_mix(mix, sizeof(mix), &s[r]);
		fprintf(out, "  methods %c: %s\n", run_letter(r, true), mix);
	}
}

static void trace_line(FILE *out, size_t i, const struct analysis *a)
{
	const struct run_trace *t = a->run.ntraces ? &a->run.traces[0] : NULL;

	fprintf(out, "%c: %s", run_letter(i, true), t ? t->path : "?");
	if (t && t->mount_options[0])
		fprintf(out, " (mount options %s)", t->mount_options);
	fputc('\n', out);
}

/* Every run's paths, the baseline's first in its order, then each run's new ones. */
static const char **union_paths(const struct analysis *const *runs, size_t nruns, size_t *n)
{
	size_t total = 1;
	const char **v;

	for (size_t r = 0; r < nruns; r++)
		total += runs[r]->nfiles;
	v = malloc(total * sizeof(*v));
	*n = 0;
	if (!v)
		return NULL;
	for (size_t r = 0; r < nruns; r++) {
		for (size_t i = 0; i < runs[r]->nfiles; i++) {
			const char *path = runs[r]->files[i]->path;
			size_t seen = 0;

			while (seen < r && !analysis_find(runs[seen], path))
				seen++;
			if (seen == r)
				v[(*n)++] = path;
		}
	}
	return v;
}

/* Each run's summary of one path (absent where the run lacks the file). */
static void summarize_path(struct summary *s, const struct analysis *const *runs, size_t n,
			   const char *path)
{
	for (size_t r = 0; r < n; r++)
		summarize_file(&s[r], analysis_find(runs[r], path));
}

static void summarize_runs(struct summary *s, const struct analysis *const *runs, size_t n)
{
	for (size_t r = 0; r < n; r++)
		summarize_run(&s[r], runs[r]);
}

int report_compare_text(FILE *out, const struct analysis *const *runs, size_t n,
			const struct report_options *o)
{
	struct summary *s = calloc(n, sizeof(*s));
	const char **paths = NULL;
	size_t npaths = 0;

	if (s)
		paths = union_paths(runs, n, &npaths);
	if (!paths) {
		free(s);
		return -1;
	}
	fprintf(out, "accessfs report --compare\n");
	for (size_t r = 0; r < n; r++)
		trace_line(out, r, runs[r]);
	text_header(out, "total", n);
	summarize_runs(s, runs, n);
	text_block(out, s, n);
	for (size_t i = 0; i < npaths && i < o->top; i++) {
		summarize_path(s, runs, n, paths[i]);
		fprintf(out, "\n%s\n", paths[i]);
		text_block(out, s, n);
	}
	if (npaths > o->top)
		fprintf(out, "\n(%zu more files; --top N shows more)\n", npaths - o->top);
	free(paths);
	free(s);
	return ferror(out) ? -1 : 0;
}

static void json_side(struct json_writer *w, const char *name, const struct summary *s)
{
	if (!s->present) {
		jw_int_or_null(w, name, -1);
		return;
	}
	jw_object(w, name);
	for (size_t i = 0; i < NMETRICS; i++)
		jw_u64(w, metrics[i].key, metric(s, i));
	jw_object(w, "method_bytes");
	for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++)
		if (s->method_bytes[m])
			jw_u64(w, report_method_name(m), s->method_bytes[m]);
	jw_end_object(w);
	jw_end_object(w);
}

/* "a": SIDE, "b": SIDE, ..., then "ratio_b_a": {...}, "ratio_c_a": {...}... */
static void json_sides(struct json_writer *w, const struct summary *s, size_t n)
{
	char key[16];

	for (size_t r = 0; r < n; r++) {
		snprintf(key, sizeof(key), "%c", run_letter(r, false));
		json_side(w, key, &s[r]);
	}
	for (size_t r = 1; r < n; r++) {
		snprintf(key, sizeof(key), "ratio_%c_a", run_letter(r, false));
		jw_object(w, key);
		for (size_t i = 0; i < NMETRICS; i++) {
			uint64_t base = metric(&s[0], i);

			if (s[0].present && s[r].present && base)
				jw_double(w, metrics[i].key, (double)metric(&s[r], i) / (double)base);
			else
				jw_int_or_null(w, metrics[i].key, -1);
		}
		jw_end_object(w);
	}
}

static const char *first_trace(const struct analysis *a)
{
	return a->run.ntraces ? a->run.traces[0].path : "";
}

int report_compare_json(FILE *out, const struct analysis *const *runs, size_t n,
			const struct report_options *o)
{
	size_t shown = o->top_given ? o->top : SIZE_MAX, npaths = 0;
	struct summary *s = calloc(n, sizeof(*s));
	const char **paths = NULL;
	struct json_writer w;
	char key[4];

	if (s)
		paths = union_paths(runs, n, &npaths);
	if (!paths) {
		free(s);
		return -1;
	}
	jw_init(&w, out);
	jw_object(&w, NULL);
	jw_u64(&w, "schema_version", REPORT_SCHEMA_VERSION);
	jw_object(&w, "compare");
	for (size_t r = 0; r < n; r++) {
		snprintf(key, sizeof(key), "%c", run_letter(r, false));
		jw_string(&w, key, first_trace(runs[r]));
	}
	jw_end_object(&w);
	summarize_runs(s, runs, n);
	jw_object(&w, "total");
	json_sides(&w, s, n);
	jw_end_object(&w);
	jw_array(&w, "files");
	for (size_t i = 0; i < npaths && i < shown; i++) {
		summarize_path(s, runs, n, paths[i]);
		fputc('\n', out);
		jw_object(&w, NULL);
		jw_string(&w, "path", paths[i]);
		json_sides(&w, s, n);
		jw_end_object(&w);
	}
	jw_end_array(&w);
	jw_end_object(&w);
	fputc('\n', out);
	free(paths);
	free(s);
	return ferror(out) ? -1 : 0;
}
