/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_report.c - "accessfs report TRACE...": read traces, feed their events
 * to the analysis (lib/analysis/analysis.h) and write one of the report
 * formats (lib/report/report.h).  This file only does the plumbing:
 * options, and handing the events of the event source
 * (lib/trace/event_source.h: clocks aligned, paths and processes resolved,
 * filtered) to the analysis.  It computes no statistic itself.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "analysis.h"
#include "event_pipeline.h"
#include "event_source.h"
#include "report.h"
#include "trace_reader.h"

enum report_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV, FORMAT_HTML };

static const char *const format_names[] = {
	[FORMAT_TEXT] = "text", [FORMAT_JSON] = "json", [FORMAT_CSV] = "csv",
	[FORMAT_HTML] = "html",
};

static uint64_t header_u64(const struct trace_reader *r, unsigned int key, uint64_t dflt)
{
	const char *v = trace_reader_header(r, key);

	return v && *v ? strtoull(v, NULL, 10) : dflt;
}

static int header_flag(const struct trace_reader *r, unsigned int key)
{
	const char *v = trace_reader_header(r, key);

	return v && *v ? atoi(v) : -1;
}

/* Tell the analysis about trace i of src; its index there, or -1. */
static int add_trace(struct analysis *a, const struct event_source *src, size_t i)
{
	const struct trace_reader *r = event_source_reader(src, i);
	struct run_trace h = { 0 };

	h.writeback_cache = header_flag(r, TRACE_HDR_writeback_cache);
	h.classify = header_flag(r, TRACE_HDR_classify);
	h.killpriv_v2 = header_flag(r, TRACE_HDR_killpriv_v2);
	if (trace_reader_header(r, TRACE_HDR_label_source))
		snprintf(h.label_source, sizeof(h.label_source), "%s",
			 trace_reader_header(r, TRACE_HDR_label_source));
	if (trace_reader_header(r, TRACE_HDR_transport))
		snprintf(h.transport, sizeof(h.transport), "%s",
			 trace_reader_header(r, TRACE_HDR_transport));
	h.max_readahead = header_u64(r, TRACE_HDR_max_readahead, 0);
	h.mount_options = (char *)trace_reader_header(r, TRACE_HDR_mount_options);
	return analysis_add_trace(a, event_source_path(src, i),
				  trace_reader_header(r, TRACE_HDR_host), &h);
}

/* What read_events() hands each event to, on the pipeline's second thread. */
struct report_input {
	const int *index;		/* the analysis' index of each trace */
	struct analysis *a;
	int (*account)(struct analysis *, const struct analysis_event *);
};

/*
 * An event_pipeline consumer: hand one event to account (analysis_add,
 * analysis_sample), as the analysis names files: the mount root is "/", a
 * file the trace never named "<inode N>".  Nonzero when memory ran out.
 */
static int account_one(void *ctx, const struct source_event *se)
{
	struct report_input *in = ctx;
	struct analysis_event e = {
		.ev = se->ev, .trace = (unsigned int)in->index[se->trace], .t_ns = se->t_ns,
		.path = se->entry, .path_len = se->entry_len, .path_stable = se->entry_stable,
		.proc = se->proc,
	};
	char unnamed[48];

	if (e.path && e.path_len == 0) {	/* the mount root */
		e.path = "/";
		e.path_len = 1;
	}
	if (se->ev->file_id && !e.path) {
		e.path_len = (size_t)snprintf(unnamed, sizeof(unnamed), "<inode %llu>",
					      (unsigned long long)se->ev->file_id);
		e.path = unnamed;
	}
	return in->account(in->a, &e) < 0;
}

/* Hand every selected event to account, reading on this thread and
 * analysing on a second one (event_pipeline.h); 0 or -1. */
static int read_events(struct event_source *src, const int *index, struct analysis *a,
		       int (*account)(struct analysis *, const struct analysis_event *))
{
	struct report_input in = { index, a, account };
	char err[512];
	int rc = event_pipeline_run(src, account_one, &in, err, sizeof(err));

	if (rc == 1)
		fprintf(stderr, "accessfs report: out of memory\n");
	else if (rc < 0)
		fprintf(stderr, "accessfs report: %s\n", err);
	return rc ? -1 : 0;
}

/* What each trace's reader said about its end, for the run statistics. */
static void end_traces(struct analysis *a, const struct event_source *src, const int *index)
{
	for (size_t i = 0; i < event_source_count(src); i++) {
		const struct trace_reader *r = event_source_reader(src, i);
		struct trace_reader_summary sum;
		struct run_trace end = { 0 };

		if (trace_reader_warning(r))
			fprintf(stderr, "accessfs report: warning: %s\n", trace_reader_warning(r));
		trace_reader_summary(r, &sum);
		end.events = sum.events;
		end.lost = sum.lost;
		end.clean_end = sum.clean_end;
		end.torn_tail = sum.torn_tail;
		end.torn_bytes = sum.torn_bytes;
		end.label_fallbacks = sum.label_late + sum.label_nocause;
		end.transport_known = sum.transport_known;
		end.uring_queues = sum.uring_queues;
		end.ring_requests = sum.ring_requests;
		run_stats_end_trace(&a->run, (unsigned int)index[i], &end);
	}
}

/*
 * The app-side view of each trace that has one: its latest APP samples,
 * with the files named as read_events() names them.
 */
static int add_app_samples(struct analysis *a, const struct event_source *src)
{
	for (size_t i = 0; i < event_source_count(src); i++) {
		struct trace_reader *r = event_source_reader(src, i);
		struct trace_app_sample s;
		char unnamed[48];

		if (!trace_reader_app_available(r))
			continue;
		page_cache_view_trace(&a->app, (uint32_t)header_u64(r, TRACE_HDR_page_size, 4096));
		for (size_t j = 0; trace_reader_app_get(r, j, &s); j++) {
			size_t len;
			const char *path = trace_reader_path(r, s.file_id, s.time_ns, &len);

			if (path && len == 0) {
				path = "/";
				len = 1;
			} else if (!path) {
				len = (size_t)snprintf(unnamed, sizeof(unnamed), "<inode %llu>",
						       (unsigned long long)s.file_id);
				path = unnamed;
			}
			if (analysis_add_app(a, path, len, &s) < 0) {
				fprintf(stderr, "accessfs report: out of memory\n");
				return -1;
			}
		}
	}
	return 0;
}

static struct event_source *open_source(char **paths, size_t n, const struct event_filter *flt)
{
	struct event_source *src;
	char err[512];

	/* File order: what the analysis has always been fed. */
	src = event_source_open((const char *const *)paths, n, flt, EVENT_ORDER_FILE, err,
				sizeof(err));
	if (!src)
		fprintf(stderr, "accessfs report: %s\n", err);
	return src;
}

/*
 * Read the traces again to sample the requests of the files shown, so that
 * memory for samples grows with --top, not with the files in the trace.
 */
static int sample_shown(char **paths, size_t n, const int *index, struct analysis *a,
			struct event_filter *flt, size_t shown)
{
	struct event_source *src;
	int rc;

	analysis_sample_first(a, shown);
	src = open_source(paths, n, flt);
	if (!src)
		return -1;
	rc = read_events(src, index, a, analysis_sample);
	event_source_close(src);
	return rc;
}

/*
 * Analyse traces into a (initialised by the caller); returns 0 or -1.
 * plots: options of an output that plots sampled requests, else NULL.
 */
static int analyse(struct analysis *a, char **paths, size_t n, struct event_filter *flt,
		   const struct report_options *plots)
{
	struct event_source *src = open_source(paths, n, flt);
	int *index = calloc(n ? n : 1, sizeof(*index));
	int rc = src && index ? 0 : -1;

	for (size_t i = 0; i < n && rc == 0; i++) {
		index[i] = add_trace(a, src, i);
		if (index[i] < 0) {
			fprintf(stderr, "accessfs report: out of memory\n");
			rc = -1;
		}
	}
	if (rc == 0)
		rc = read_events(src, index, a, analysis_add);
	if (rc == 0)
		end_traces(a, src, index);
	if (rc == 0)
		rc = add_app_samples(a, src);
	event_source_close(src);
	if (rc == 0)
		analysis_finish(a);
	if (rc == 0 && plots)
		rc = sample_shown(paths, n, index, a, flt, report_files_shown(a, plots, true));
	free(index);
	return rc;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: accessfs report TRACE... [--format text|json|csv|html] [-o FILE] [--top N]\n"
		"       accessfs report --compare A.trace B.trace [C.trace...] [--format text|json]"
		" [-o FILE]\n"
		"filters (as in dump):\n%s", event_filter_usage);
}

struct report_args {
	enum report_format format;
	const char *output;
	struct report_options ropt;
	char **compare;		/* --compare: the baseline, then the other runs */
	size_t ncompare;
	struct event_filter filter;
};

static int parse_format(const char *arg, enum report_format *fmt)
{
	for (unsigned int i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
		if (strcmp(arg, format_names[i]) == 0) {
			*fmt = (enum report_format)i;
			return 0;
		}
	}
	fprintf(stderr, "accessfs report: --format: unknown format '%s' (text, json, csv, html)\n",
		arg);
	return -1;
}

static int parse_top(const char *arg, size_t *top)
{
	char *end;
	long long v = strtoll(arg, &end, 10);

	if (*end || end == arg || v < 1) {
		fprintf(stderr, "accessfs report: --top: expected a positive number, got '%s'\n", arg);
		return -1;
	}
	*top = (size_t)v;
	return 0;
}

/* Returns the index of the first trace argument, -1 on error, -2 for --help. */
static int parse_args(int argc, char **argv, struct report_args *ra)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "top", required_argument, NULL, 't' },
		{ "compare", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		EVENT_FILTER_LONG_OPTIONS,
		{ 0 },
	};
	char err[256];
	int c, idx;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, &idx)) != -1) {
		switch (c) {
		case 'f':
			if (parse_format(optarg, &ra->format) < 0)
				return -1;
			break;
		case 'o':
			ra->output = optarg;
			break;
		case 't':
			if (parse_top(optarg, &ra->ropt.top) < 0)
				return -1;
			ra->ropt.top_given = true;
			break;
		case 'c':
			/* --compare A B C...: the traces up to the next option. */
			if (!ra->compare)
				ra->compare = calloc((size_t)argc, sizeof(*ra->compare));
			if (!ra->compare) {
				fprintf(stderr, "accessfs report: out of memory\n");
				return -1;
			}
			ra->compare[ra->ncompare++] = optarg;
			while (optind < argc && argv[optind][0] != '-')
				ra->compare[ra->ncompare++] = argv[optind++];
			break;
		case EVENT_FILTER_GETOPT:
			if (event_filter_getopt(&ra->filter, &opts[idx], optarg, err,
						sizeof(err)) < 0) {
				fprintf(stderr, "accessfs report: %s\n", err);
				return -1;
			}
			break;
		case 'h':
			return -2;
		default:
			usage(stderr);
			return -1;
		}
	}
	return optind;
}

static int write_report(FILE *out, const struct report_args *ra, const struct analysis *a,
			const struct analysis *const *runs)
{
	if (runs)
		return ra->format == FORMAT_JSON ?
		       report_compare_json(out, runs, ra->ncompare, &ra->ropt) :
		       report_compare_text(out, runs, ra->ncompare, &ra->ropt);
	switch (ra->format) {
	case FORMAT_JSON:
		return report_json(out, a, &ra->ropt);
	case FORMAT_CSV:
		return report_csv(out, a, &ra->ropt);
	case FORMAT_HTML:
		return report_html(out, a, &ra->ropt);
	default:
		return report_text(out, a, &ra->ropt);
	}
}

/* Write the report of a, or the comparison of runs (when not NULL). */
static int output(const struct report_args *ra, const struct analysis *a,
		  const struct analysis *const *runs)
{
	FILE *out = ra->output ? fopen(ra->output, "w") : stdout;
	int rc;

	if (!out) {
		fprintf(stderr, "accessfs report: %s: %s\n", ra->output, strerror(errno));
		return 1;
	}
	rc = write_report(out, ra, a, runs);
	if (fflush(out) != 0)
		rc = -1;
	if (rc < 0)
		fprintf(stderr, "accessfs report: writing %s: %s\n",
			ra->output ? ra->output : "stdout", strerror(errno));
	if (ra->output && fclose(out) != 0 && rc == 0) {
		fprintf(stderr, "accessfs report: %s: %s\n", ra->output, strerror(errno));
		rc = -1;
	}
	return rc < 0 ? 1 : 0;
}

/*
 * --compare: the traces after --compare and any other trace arguments
 * (more), each analysed on its own, then written side by side.  Returns
 * the exit status.
 */
static int compare(struct report_args *ra, char **more, int nmore)
{
	struct analysis *runs;
	const struct analysis **view;
	size_t done = 0;
	int rc = 1;

	while (nmore-- > 0)
		ra->compare[ra->ncompare++] = *more++;
	if (ra->ncompare < 2 || ra->ncompare > REPORT_COMPARE_MAX) {
		fprintf(stderr, "accessfs report: --compare takes 2 to %d traces, got %zu\n",
			REPORT_COMPARE_MAX, ra->ncompare);
		return 2;
	}
	if (ra->format == FORMAT_CSV || ra->format == FORMAT_HTML) {
		fprintf(stderr, "accessfs report: --compare writes text or json, not %s\n",
			format_names[ra->format]);
		return 2;
	}
	runs = calloc(ra->ncompare, sizeof(*runs));
	view = calloc(ra->ncompare, sizeof(*view));
	if (!runs || !view) {
		fprintf(stderr, "accessfs report: out of memory\n");
		goto out;
	}
	for (; done < ra->ncompare; done++) {
		analysis_init(&runs[done], false);
		view[done] = &runs[done];
		if (analyse(&runs[done], &ra->compare[done], 1, &ra->filter, NULL) != 0) {
			done++;
			goto out;
		}
	}
	rc = output(ra, NULL, view);
out:
	for (size_t i = 0; i < done; i++)
		analysis_free(&runs[i]);
	free(runs);
	free(view);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	struct report_args ra = { .ropt = { .top = REPORT_DEFAULT_TOP } };
	struct analysis a;
	int first, rc = 1;

	event_filter_init(&ra.filter);
	first = parse_args(argc, argv, &ra);
	if (first == -2) {
		usage(stdout);
		return 0;
	}
	if (first < 0) {
		free(ra.compare);
		return 2;
	}
	if (ra.compare) {
		rc = compare(&ra, argv + first, argc - first);
		free(ra.compare);
		return rc;
	}
	if (first >= argc) {
		usage(stderr);
		return 2;
	}
	analysis_init(&a, false);
	if (analyse(&a, argv + first, (size_t)(argc - first), &ra.filter,
		    ra.format == FORMAT_HTML ? &ra.ropt : NULL) == 0)
		rc = output(&ra, &a, NULL);
	analysis_free(&a);
	return rc;
}
