/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_report.c - "accessfs report TRACE...": read traces, feed their events
 * to the analysis (lib/analysis/analysis.h) and write one of the report formats
 * (lib/report/report.h).  This file only does the plumbing: options, opening
 * traces, resolving each event's path and process, aligning the clocks of
 * traces from several hosts on their wall-clock start.  It computes no
 * statistic itself.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "commands.h"
#include "analysis.h"
#include "event_filter.h"
#include "report.h"
#include "trace_reader.h"

enum report_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV, FORMAT_HTML };

static const char *const format_names[] = {
	[FORMAT_TEXT] = "text", [FORMAT_JSON] = "json", [FORMAT_CSV] = "csv",
	[FORMAT_HTML] = "html",
};

/* One open trace and how its clock maps to the run's. */
struct input {
	const char *path;
	struct trace_reader *r;
	int64_t wall_ns;	/* start_wall, ns since the epoch; 0 if absent */
	uint64_t mono_ns;	/* start_mono_ns; 0 if absent */
	int64_t offset_ns;	/* added to (start_ns - mono_ns) to get run time */
	unsigned int index;	/* in the analysis */
};

/* RFC 3339 ("2026-11-28T03:20:07.123456789Z" or "+01:00") to ns since the epoch. */
static int64_t parse_rfc3339(const char *s)
{
	struct tm tm = { 0 };
	int64_t frac = 0, scale = 1000000000;
	int tz_h = 0, tz_m = 0, n = 0;
	char sign = 0;

	if (sscanf(s, "%d-%d-%dT%d:%d:%d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec, &n) != 6)
		return 0;
	s += n;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			if (scale > 1) {
				scale /= 10;
				frac += (*s - '0') * scale;
			}
	if ((*s == '+' || *s == '-') && sscanf(s + 1, "%d:%d", &tz_h, &tz_m) == 2)
		sign = *s;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return ((int64_t)timegm(&tm) - (sign == '-' ? -1 : sign ? 1 : 0) *
		(tz_h * 3600 + tz_m * 60)) * 1000000000 + frac;
}

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

static int open_input(struct input *in, struct analysis *a)
{
	struct run_trace h = { 0 };
	char err[512];
	int i;

	in->r = trace_reader_open(in->path, err, sizeof(err));
	if (!in->r) {
		fprintf(stderr, "accessfs report: %s\n", err);
		return -1;
	}
	h.writeback_cache = header_flag(in->r, TRACE_HDR_writeback_cache);
	h.classify = header_flag(in->r, TRACE_HDR_classify);
	if (trace_reader_header(in->r, TRACE_HDR_label_source))
		snprintf(h.label_source, sizeof(h.label_source), "%s",
			 trace_reader_header(in->r, TRACE_HDR_label_source));
	h.max_readahead = header_u64(in->r, TRACE_HDR_max_readahead, 0);
	h.mount_options = (char *)trace_reader_header(in->r, TRACE_HDR_mount_options);
	in->mono_ns = header_u64(in->r, TRACE_HDR_start_mono_ns, 0);
	if (trace_reader_header(in->r, TRACE_HDR_start_wall))
		in->wall_ns = parse_rfc3339(trace_reader_header(in->r, TRACE_HDR_start_wall));
	i = analysis_add_trace(a, in->path, trace_reader_header(in->r, TRACE_HDR_host), &h);
	if (i < 0) {
		fprintf(stderr, "accessfs report: out of memory\n");
		return -1;
	}
	in->index = (unsigned int)i;
	return 0;
}

/* "dir/name" into buf (parent "" is the root); false if it does not fit. */
static bool entry_path(char *buf, size_t size, const char *parent, size_t parent_len,
		       const struct trace_event *ev, size_t *len)
{
	size_t sep = parent_len ? 1 : 0;

	if (parent_len + sep + ev->name_len + 1 > size)
		return false;
	memcpy(buf, parent, parent_len);
	buf[parent_len] = '/';
	memcpy(buf + parent_len + sep, ev->name, ev->name_len);
	*len = parent_len + sep + ev->name_len;
	buf[*len] = '\0';
	return true;
}

/* Run time of an event: ns since the earliest trace's start. */
static uint64_t run_time(const struct input *in, const struct trace_event *ev)
{
	int64_t t = (int64_t)(ev->start_ns - in->mono_ns) + in->offset_ns;

	return t > 0 ? (uint64_t)t : 0;
}

/* Hand each event of in that passes the filter to account (analysis_add, analysis_sample). */
static int read_events(struct input *in, struct analysis *a, struct event_filter *flt,
		       int (*account)(struct analysis *, const struct analysis_event *))
{
	struct trace_event ev;
	static char entry[8192];
	char unnamed[48];
	int rc;

	event_filter_set_start(flt, in->mono_ns);
	while ((rc = trace_reader_next(in->r, &ev)) == 1) {
		struct analysis_event e = { .ev = &ev, .trace = in->index };

		if (!in->mono_ns) {	/* no start in the header: the first event is 0 */
			in->mono_ns = ev.start_ns;
			event_filter_set_start(flt, in->mono_ns);
		}
		e.t_ns = run_time(in, &ev);
		e.proc = trace_reader_proc_at_time(in->r, ev.tid, ev.start_ns);
		if (ev.file_id)
			e.path = trace_reader_path(in->r, ev.file_id, ev.start_ns, &e.path_len);
		e.path_stable = e.path != NULL;	/* the reader's table, until it is closed */
		if (e.path && ev.name_len && trace_op_names_entry(ev.op) &&
		    entry_path(entry, sizeof(entry), e.path, e.path_len, &ev, &e.path_len)) {
			e.path = entry;
			e.path_stable = false;
		}
		if (!event_filter_match(flt, &ev, e.path, e.proc))
			continue;
		if (e.path && e.path_len == 0) {	/* the mount root */
			e.path = "/";
			e.path_len = 1;
		}
		if (ev.file_id && !e.path) {
			e.path_len = (size_t)snprintf(unnamed, sizeof(unnamed), "<inode %llu>",
						      (unsigned long long)ev.file_id);
			e.path = unnamed;
		}
		if (account(a, &e) < 0) {
			fprintf(stderr, "accessfs report: out of memory\n");
			return -1;
		}
	}
	if (rc < 0) {
		fprintf(stderr, "accessfs report: %s\n", trace_reader_error(in->r));
		return -1;
	}
	return 0;
}

static int read_input(struct input *in, struct analysis *a, struct event_filter *flt)
{
	struct trace_reader_summary sum;
	struct run_trace end = { 0 };

	if (read_events(in, a, flt, analysis_add) < 0)
		return -1;
	if (trace_reader_warning(in->r))
		fprintf(stderr, "accessfs report: warning: %s\n", trace_reader_warning(in->r));
	trace_reader_summary(in->r, &sum);
	end.events = sum.events;
	end.lost = sum.lost;
	end.clean_end = sum.clean_end;
	end.torn_tail = sum.torn_tail;
	end.torn_bytes = sum.torn_bytes;
	end.label_fallbacks = sum.label_late + sum.label_nocause;
	run_stats_end_trace(&a->run, in->index, &end);
	return 0;
}

/*
 * Read the traces again to sample the requests of the files shown, so that
 * memory for samples grows with --top, not with the files in the trace.
 */
static int sample_shown(struct input *in, size_t n, struct analysis *a,
			struct event_filter *flt, size_t shown)
{
	char err[512];

	analysis_sample_first(a, shown);
	for (size_t i = 0; i < n; i++) {
		trace_reader_close(in[i].r);
		in[i].r = trace_reader_open(in[i].path, err, sizeof(err));
		if (!in[i].r) {
			fprintf(stderr, "accessfs report: reading again for plots: %s\n", err);
			return -1;
		}
		if (read_events(&in[i], a, flt, analysis_sample) < 0)
			return -1;
	}
	return 0;
}

/*
 * Analyse traces into a (initialised by the caller); returns 0 or -1.
 * plots: options of an output that plots sampled requests, else NULL.
 */
static int analyse(struct analysis *a, char **paths, size_t n, struct event_filter *flt,
		   const struct report_options *plots)
{
	struct input *in = calloc(n, sizeof(*in));
	int64_t origin = 0;
	int rc = 0;

	if (!in)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		in[i].path = paths[i];
		rc = open_input(&in[i], a);
		if (rc == 0 && in[i].wall_ns && (!origin || in[i].wall_ns < origin))
			origin = in[i].wall_ns;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		in[i].offset_ns = in[i].wall_ns ? in[i].wall_ns - origin : 0;
		rc = read_input(&in[i], a, flt);
	}
	if (rc == 0)
		analysis_finish(a);
	if (rc == 0 && plots)
		rc = sample_shown(in, n, a, flt, report_files_shown(a, plots, true));
	for (size_t i = 0; i < n; i++)
		if (in[i].r)
			trace_reader_close(in[i].r);
	free(in);
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
		{ "path", required_argument, NULL, 'F' },
		{ "pid", required_argument, NULL, 'F' },
		{ "comm", required_argument, NULL, 'F' },
		{ "op", required_argument, NULL, 'F' },
		{ "since", required_argument, NULL, 'F' },
		{ "until", required_argument, NULL, 'F' },
		{ 0 },
	};
	char name[32], err[256];
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
		case 'F':
			snprintf(name, sizeof(name), "--%s", opts[idx].name);
			if (event_filter_option(&ra->filter, name, optarg, err, sizeof(err)) != 1) {
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
