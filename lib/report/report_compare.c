/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_compare.c - two runs side by side ("--compare A B"): the same
 * workload under two access methods or mount options.  Per file (matched
 * by path) and in total: requests, bytes, re-fetch, readahead, latency and
 * wall time, with the ratio B/A, and each side's mix of methods.  It
 * compares what the analyses counted; it does not judge which is better.
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

static void text_block(FILE *out, const struct summary *a, const struct summary *b)
{
	char x[3][REPORT_UNIT_LEN], mix[2][256];

	for (size_t i = 0; i < NMETRICS; i++) {
		uint64_t va = metric(a, i), vb = metric(b, i);

		if (a->present && b->present && va)
			snprintf(x[2], sizeof(x[2]), "%.2f", (double)vb / (double)va);
		else
			snprintf(x[2], sizeof(x[2]), "-");
		fprintf(out, "  %-20s %12s %12s %8s\n", metrics[i].label, format_metric(x[0], a, i),
			format_metric(x[1], b, i), x[2]);
	}
	method_mix(mix[0], sizeof(mix[0]), a);
	method_mix(mix[1], sizeof(mix[1]), b);
	fprintf(out, "  methods A: %s\n  methods B: %s\n", mix[0], mix[1]);
}

static void trace_line(FILE *out, const char *side, const struct analysis *a)
{
	const struct run_trace *t = a->run.ntraces ? &a->run.traces[0] : NULL;

	fprintf(out, "%s: %s", side, t ? t->path : "?");
	if (t && t->mount_options[0])
		fprintf(out, " (mount options %s)", t->mount_options);
	fputc('\n', out);
}

/* Paths of A and B, A's first in A's order, then B's that A lacks. */
static const char **union_paths(const struct analysis *a, const struct analysis *b, size_t *n)
{
	const char **v = malloc((a->nfiles + b->nfiles + 1) * sizeof(*v));

	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < a->nfiles; i++)
		v[(*n)++] = a->files[i]->path;
	for (size_t i = 0; i < b->nfiles; i++)
		if (!analysis_find(a, b->files[i]->path))
			v[(*n)++] = b->files[i]->path;
	return v;
}

int report_compare_text(FILE *out, const struct analysis *a, const struct analysis *b,
			const struct report_options *o)
{
	struct summary sa, sb;
	const char **paths;
	size_t n;

	fprintf(out, "accessfs report --compare\n");
	trace_line(out, "A", a);
	trace_line(out, "B", b);
	fprintf(out, "\n%-22s %12s %12s %8s\n", "total", "A", "B", "B/A");
	summarize_run(&sa, a);
	summarize_run(&sb, b);
	text_block(out, &sa, &sb);
	paths = union_paths(a, b, &n);
	if (!paths)
		return -1;
	for (size_t i = 0; i < n && i < o->top; i++) {
		summarize_file(&sa, analysis_find(a, paths[i]));
		summarize_file(&sb, analysis_find(b, paths[i]));
		fprintf(out, "\n%s\n", paths[i]);
		text_block(out, &sa, &sb);
	}
	if (n > o->top)
		fprintf(out, "\n(%zu more files; --top N shows more)\n", n - o->top);
	free(paths);
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

static void json_pair(struct json_writer *w, const struct summary *a, const struct summary *b)
{
	json_side(w, "a", a);
	json_side(w, "b", b);
	jw_object(w, "ratio_b_a");
	for (size_t i = 0; i < NMETRICS; i++) {
		uint64_t va = metric(a, i), vb = metric(b, i);

		if (a->present && b->present && va)
			jw_double(w, metrics[i].key, (double)vb / (double)va);
		else
			jw_int_or_null(w, metrics[i].key, -1);
	}
	jw_end_object(w);
}

static const char *first_trace(const struct analysis *a)
{
	return a->run.ntraces ? a->run.traces[0].path : "";
}

int report_compare_json(FILE *out, const struct analysis *a, const struct analysis *b,
			const struct report_options *o)
{
	size_t shown = o->top_given ? o->top : SIZE_MAX;
	struct summary sa, sb;
	struct json_writer w;
	const char **paths;
	size_t n;

	paths = union_paths(a, b, &n);
	if (!paths)
		return -1;
	jw_init(&w, out);
	jw_object(&w, NULL);
	jw_u64(&w, "schema_version", REPORT_SCHEMA_VERSION);
	jw_object(&w, "compare");
	jw_string(&w, "a", first_trace(a));
	jw_string(&w, "b", first_trace(b));
	jw_end_object(&w);
	summarize_run(&sa, a);
	summarize_run(&sb, b);
	jw_object(&w, "total");
	json_pair(&w, &sa, &sb);
	jw_end_object(&w);
	jw_array(&w, "files");
	for (size_t i = 0; i < n && i < shown; i++) {
		summarize_file(&sa, analysis_find(a, paths[i]));
		summarize_file(&sb, analysis_find(b, paths[i]));
		fputc('\n', out);
		jw_object(&w, NULL);
		jw_string(&w, "path", paths[i]);
		json_pair(&w, &sa, &sb);
		jw_end_object(&w);
	}
	jw_end_array(&w);
	jw_end_object(&w);
	fputc('\n', out);
	free(paths);
	return ferror(out) ? -1 : 0;
}
