/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_dump.c - "accessfs dump": print the events of one or more traces as
 * JSON Lines, CSV or Perfetto JSON, optionally filtered.
 *
 * It only wires things together: the reader resolves paths and processes,
 * event_filter selects, the exporters format (lib/export*.c).  All traces
 * are opened before anything is written, so a bad argument never leaves a
 * half-written output behind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "event_filter.h"
#include "export.h"
#include "trace_reader.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: accessfs dump TRACE... [--format jsonl|csv|perfetto] [-o FILE] [filters]\n"
		"\n"
		"Print the requests recorded in TRACE (- for standard input), one per line\n"
		"(jsonl, the default), as CSV with a header row, or as Chrome/Perfetto\n"
		"trace JSON for ui.perfetto.dev.\n"
		"Times (t) are seconds from the start of each trace.  With several traces,\n"
		"each event also carries the host it was recorded on.\n"
		"\n"
		"  --format FMT     jsonl (default), csv or perfetto\n"
		"  -o FILE          write to FILE instead of standard output\n"
		"%s"
		"  -h, --help       show this help\n"
		"\n"
		"perfetto holds the selected events in memory (about 150 bytes each) and\n"
		"stops with an error after %u of them: filter big traces first.\n",
		event_filter_usage, EXPORT_PERFETTO_MAX_EVENTS);
}

struct dump_args {
	const char **traces;
	size_t ntraces;
	enum export_format format;
	const char *output;
	struct event_filter filter;
	uint64_t exported;		/* events given to the exporter, all traces */
	bool too_many;			/* the Perfetto limit was reached */
};

/* "--opt value" or "--opt=value": the value, advancing *i; NULL if missing. */
static const char *option_value(int argc, char **argv, int *i, char *opt, size_t optlen)
{
	const char *eq = strchr(argv[*i], '=');

	if (eq && argv[*i][0] == '-' && argv[*i][1] == '-') {
		snprintf(opt, optlen, "%.*s", (int)(eq - argv[*i]), argv[*i]);
		return eq + 1;
	}
	snprintf(opt, optlen, "%s", argv[*i]);
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static int parse_args(int argc, char **argv, struct dump_args *a)
{
	char err[256], opt[64];
	bool options_done = false;

	event_filter_init(&a->filter);
	a->traces = calloc((size_t)argc, sizeof(*a->traces));
	for (int i = 1; i < argc; i++) {
		const char *v;
		int rc, fmt;

		if (options_done || argv[i][0] != '-' || strcmp(argv[i], "-") == 0) {
			a->traces[a->ntraces++] = argv[i];
			continue;
		}
		if (strcmp(argv[i], "--") == 0) {
			options_done = true;
			continue;
		}
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			exit(0);
		}
		v = option_value(argc, argv, &i, opt, sizeof(opt));
		if (!v) {
			fprintf(stderr, "accessfs dump: %s needs a value (see --help)\n", opt);
			return -1;
		}
		if (strcmp(opt, "--format") == 0) {
			fmt = export_format_from_name(v);
			if (fmt < 0) {
				fprintf(stderr, "accessfs dump: unknown format '%s' "
					"(jsonl, csv or perfetto)\n", v);
				return -1;
			}
			a->format = (enum export_format)fmt;
			continue;
		}
		if (strcmp(opt, "-o") == 0 || strcmp(opt, "--output") == 0) {
			a->output = v;
			continue;
		}
		rc = event_filter_option(&a->filter, opt, v, err, sizeof(err));
		if (rc < 0) {
			fprintf(stderr, "accessfs dump: %s\n", err);
			return -1;
		}
		if (rc == 0) {
			fprintf(stderr, "accessfs dump: unknown option '%s' (see --help)\n", opt);
			return -1;
		}
	}
	if (!a->ntraces) {
		fprintf(stderr, "accessfs dump: no trace given (see --help)\n");
		return -1;
	}
	return 0;
}

/* The time "t" counts from: the header's start, else the first event's. */
static uint64_t trace_start(const char *path, struct trace_reader *r)
{
	const char *s = trace_reader_header(r, TRACE_HDR_start_mono_ns);
	struct trace_reader *again;
	struct trace_event ev;
	char err[256];
	uint64_t start = 0;

	if (s)
		return strtoull(s, NULL, 10);
	again = trace_reader_open(path, err, sizeof(err));
	if (again && trace_reader_next(again, &ev) == 1)
		start = ev.start_ns;
	trace_reader_close(again);
	return start;
}

/* Export the selected events of one trace; 0, or -1 if reading failed. */
static int dump_trace(struct exporter *x, struct dump_args *a, const char *path,
		      struct trace_reader *r, unsigned int index)
{
	const char *host = trace_reader_header(r, TRACE_HDR_host);
	struct export_event e = { .trace_index = index };
	struct trace_reader_summary sum;
	struct trace_event ev;
	int rc;

	e.host = a->ntraces > 1 ? (host ? host : path) : NULL;
	e.trace_start_ns = trace_start(path, r);
	event_filter_set_start(&a->filter, e.trace_start_ns);
	exporter_begin_trace(x, r, index, e.host);
	e.ev = &ev;
	while ((rc = trace_reader_next(r, &ev)) == 1) {
		e.path = ev.file_id ? trace_reader_path(r, ev.file_id, ev.start_ns, &e.path_len)
				    : NULL;
		e.proc = trace_reader_proc_at_time(r, ev.tid, ev.start_ns);
		if (!event_filter_match(&a->filter, &ev, e.path, e.proc))
			continue;
		e.path2 = ev.file_id2 ? trace_reader_path(r, ev.file_id2, ev.start_ns,
							  &e.path2_len) : NULL;
		if (a->format == EXPORT_PERFETTO && a->exported == EXPORT_PERFETTO_MAX_EVENTS) {
			fprintf(stderr, "accessfs dump: perfetto output stops after %u events (they "
				"are held in memory); select fewer with --since, --until, --path, "
				"--comm, --pid or --op\n", EXPORT_PERFETTO_MAX_EVENTS);
			a->too_many = true;
			return -1;
		}
		a->exported++;
		exporter_event(x, &e);
	}
	if (rc < 0) {
		fprintf(stderr, "accessfs dump: %s\n", trace_reader_error(r));
		return -1;
	}
	if (trace_reader_warning(r))
		fprintf(stderr, "accessfs dump: warning: %s\n", trace_reader_warning(r));
	trace_reader_summary(r, &sum);
	if (sum.lost)
		fprintf(stderr, "accessfs dump: warning: %s: %llu events were lost while "
			"recording (the trace could not be written)\n", path,
			(unsigned long long)sum.lost);
	if (sum.lost_meta)
		fprintf(stderr, "accessfs dump: warning: %s: %llu name and process records were "
			"lost while recording (some paths or comms are missing)\n", path,
			(unsigned long long)sum.lost_meta);
	return 0;
}

static int open_traces(struct dump_args *a, struct trace_reader **readers)
{
	char err[512];

	for (size_t i = 0; i < a->ntraces; i++) {
		if (strcmp(a->traces[i], "-") == 0)
			a->traces[i] = "/dev/stdin";
		readers[i] = trace_reader_open(a->traces[i], err, sizeof(err));
		if (!readers[i]) {
			fprintf(stderr, "accessfs dump: %s\n", err);
			return -1;
		}
	}
	return 0;
}

int cmd_dump(int argc, char **argv)
{
	struct dump_args a = { 0 };
	struct trace_reader **readers = NULL;
	struct exporter *x = NULL;
	FILE *out = stdout;
	int status = 1;

	if (parse_args(argc, argv, &a) < 0)
		goto out;
	readers = calloc(a.ntraces, sizeof(*readers));
	if (!readers || open_traces(&a, readers) < 0)
		goto out;
	if (a.output && !(out = fopen(a.output, "w"))) {
		fprintf(stderr, "accessfs dump: %s: %s\n", a.output, strerror(errno));
		out = stdout;
		goto out;
	}
	x = exporter_new(a.format, out);
	if (!x)
		goto out;
	status = 0;
	for (size_t i = 0; i < a.ntraces && !a.too_many; i++)
		if (dump_trace(x, &a, a.traces[i], readers[i], (unsigned int)i) < 0)
			status = 1;
	if (exporter_finish(x) < 0) {
		fprintf(stderr, "accessfs dump: %s: %s\n", a.output ? a.output : "standard output",
			strerror(errno ? errno : EIO));
		status = 1;
	}
	if (out != stdout && fclose(out) != 0)
		status = 1;
	out = stdout;
out:
	for (size_t i = 0; readers && i < a.ntraces; i++)
		trace_reader_close(readers[i]);
	free(readers);
	free(a.traces);
	if (out != stdout)
		fclose(out);
	return status;
}
