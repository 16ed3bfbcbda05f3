/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_dump.c - "accessfs dump": print the events of one or more traces as
 * JSON Lines, CSV or Perfetto JSON, optionally filtered.
 *
 * It only wires things together: the event source reads, resolves and
 * selects (lib/trace/event_source.h), the exporters format (lib/export/),
 * on two threads (dump_pipeline.c, or event_pipeline.c for formats whose
 * events must be formatted in turn).  All traces
 * are opened before anything is written, so a bad argument never leaves a
 * half-written output behind.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "dump_pipeline.h"
#include "event_pipeline.h"
#include "event_source.h"
#include "export.h"
#include "trace_reader.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: accessfs dump TRACE... [--format jsonl|csv|perfetto] [-o FILE]\n"
		"                     [--order time|file] [filters]\n"
		"\n"
		"Print the requests recorded in TRACE (- for standard input), one per line\n"
		"(jsonl, the default), as CSV with a header row, or as Chrome/Perfetto\n"
		"trace JSON for ui.perfetto.dev.\n"
		"Times (t) are seconds from the start of each trace.  With several traces,\n"
		"each event also carries the host it was recorded on.\n"
		"\n"
		"  --format FMT     jsonl (default), csv or perfetto\n"
		"  -o FILE          write to FILE instead of standard output\n"
		"  --order time     (default) by start time, ties by tid; several traces\n"
		"                   merged on their wall-clock start.  A merge of each\n"
		"                   writer thread's events, which the daemon records in\n"
		"                   order: memory is one block (at most 4 MiB, 256 KiB as\n"
		"                   written) and one event per writer thread, plus four\n"
		"                   batches of 4096 events and their text (about 10 MiB;\n"
		"                   perfetto: two, 2 MiB) on their way to the output,\n"
		"                   whatever the trace's length;\n"
		"                   an event out of its thread's order is printed when\n"
		"                   met and counted on standard error\n"
		"  --order file     as the blocks lie in the file (each thread's events in\n"
		"                   order, threads interleaved roughly by time)\n"
		"%s"
		"  -h, --help       show this help\n"
		"\n"
		"perfetto streams, as the others do: it keeps only each thread's tracks.\n",
		event_filter_usage);
}

struct dump_args {
	const char **traces;
	size_t ntraces;
	enum export_format format;
	enum event_order order;
	const char *output;
	struct event_filter filter;
};

static int parse_format(const char *v, struct dump_args *a)
{
	int fmt = export_format_from_name(v);

	if (fmt < 0) {
		fprintf(stderr, "accessfs dump: unknown format '%s' (jsonl, csv or perfetto)\n", v);
		return -1;
	}
	a->format = (enum export_format)fmt;
	return 0;
}

static int parse_order(const char *v, struct dump_args *a)
{
	if (strcmp(v, "time") == 0)
		a->order = EVENT_ORDER_TIME;
	else if (strcmp(v, "file") == 0)
		a->order = EVENT_ORDER_FILE;
	else {
		fprintf(stderr, "accessfs dump: --order: '%s' is not time or file\n", v);
		return -1;
	}
	return 0;
}

/* 0, 1 after --help, -1 after a one-line message. */
static int parse_args(int argc, char **argv, struct dump_args *a)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "order", required_argument, NULL, 'O' },
		{ "help", no_argument, NULL, 'h' },
		EVENT_FILTER_LONG_OPTIONS,
		{ 0 },
	};
	char err[256];
	int c, idx;

	event_filter_init(&a->filter);
	a->order = EVENT_ORDER_TIME;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:h", opts, &idx)) != -1) {
		switch (c) {
		case 'f':
			if (parse_format(optarg, a) < 0)
				return -1;
			break;
		case 'o':
			a->output = optarg;
			break;
		case 'O':
			if (parse_order(optarg, a) < 0)
				return -1;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case EVENT_FILTER_GETOPT:
			if (event_filter_getopt(&a->filter, &opts[idx], optarg, err,
						sizeof(err)) < 0) {
				fprintf(stderr, "accessfs dump: %s\n", err);
				return -1;
			}
			break;
		case ':':
			fprintf(stderr, "accessfs dump: %s needs a value (see --help)\n",
				argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "accessfs dump: unknown option '%s' (see --help)\n",
				argv[optind - 1]);
			return -1;
		}
	}
	a->traces = (const char **)argv + optind;
	a->ntraces = (size_t)(argc - optind);
	if (!a->ntraces) {
		fprintf(stderr, "accessfs dump: no trace given (see --help)\n");
		return -1;
	}
	return 0;
}

/* What the reader said about each trace's end, and what the merge saw. */
static void warn_traces(const struct event_source *src)
{
	for (size_t i = 0; i < event_source_count(src); i++) {
		const struct trace_reader *r = event_source_reader(src, i);
		const char *path = event_source_path(src, i);
		struct trace_reader_summary sum;

		if (trace_reader_warning(r))
			fprintf(stderr, "accessfs dump: warning: %s\n", trace_reader_warning(r));
		trace_reader_summary(r, &sum);
		if (sum.lost)
			fprintf(stderr, "accessfs dump: warning: %s: %llu events were lost while "
				"recording (the trace could not be written)\n", path,
				(unsigned long long)sum.lost);
		if (sum.lost_meta)
			fprintf(stderr, "accessfs dump: warning: %s: %llu name and process records "
				"were lost while recording (some paths or comms are missing)\n",
				path, (unsigned long long)sum.lost_meta);
	}
	if (event_source_late(src))
		fprintf(stderr, "accessfs dump: warning: %llu events came later than their "
			"writer thread's previous event and are printed out of time order\n",
			(unsigned long long)event_source_late(src));
}

/* Host of each trace when there are several: the header's, else the path. */
static const char *trace_host(const struct event_source *src, size_t i)
{
	const char *host = trace_reader_header(event_source_reader(src, i), TRACE_HDR_host);

	if (event_source_count(src) < 2)
		return NULL;
	return host ? host : event_source_path(src, i);
}

struct dump_output {
	struct exporter *x;
	const char *const *hosts;	/* of each trace, looked up once, not per event */
};

/* An event_pipeline consumer: export one event; stop once the output failed. */
static int export_one(void *ctx, const struct source_event *se)
{
	struct dump_output *d = ctx;
	struct export_event e = {
		.ev = se->ev, .path = se->path, .path_len = se->path_len,
		.path2 = se->path2, .path2_len = se->path2_len, .proc = se->proc,
		.trace_start_ns = se->trace_start_ns, .host = d->hosts[se->trace],
		.trace_index = se->trace,
	};

	exporter_event(d->x, &e);
	return d->x->out.failed;
}

/*
 * Export every selected event; 0, or -1 if reading failed.  A failed
 * output is not reported here: exporter_finish() says so.
 */
static int dump_events(struct exporter *x, struct event_source *src)
{
	size_t n = event_source_count(src);
	const char **hosts = calloc(n, sizeof(*hosts));
	struct dump_output d = { x, hosts };
	char err[512];
	int rc;

	if (!hosts) {
		fprintf(stderr, "accessfs dump: out of memory\n");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		hosts[i] = trace_host(src, i);
		exporter_begin_trace(x, event_source_reader(src, i), (unsigned int)i, hosts[i]);
	}
	if (x->ops->independent)
		rc = dump_pipeline_run(x, src, hosts, err, sizeof(err));
	else
		rc = event_pipeline_run(src, export_one, &d, err, sizeof(err));
	free(hosts);
	if (rc < 0) {
		fprintf(stderr, "accessfs dump: %s\n", err);
		return -1;
	}
	warn_traces(src);
	return 0;
}

int cmd_dump(int argc, char **argv)
{
	struct dump_args a = { 0 };
	struct event_source *src = NULL;
	struct exporter *x = NULL;
	FILE *out = stdout;
	char err[512];
	int status = 1, rc;

	rc = parse_args(argc, argv, &a);
	if (rc != 0)
		return rc > 0 ? 0 : 1;
	src = event_source_open(a.traces, a.ntraces, &a.filter, a.order, err, sizeof(err));
	if (!src) {
		fprintf(stderr, "accessfs dump: %s\n", err);
		goto out;
	}
	if (a.output && !(out = fopen(a.output, "w"))) {
		fprintf(stderr, "accessfs dump: %s: %s\n", a.output, strerror(errno));
		out = stdout;
		goto out;
	}
	x = exporter_new(a.format, out);
	if (!x)
		goto out;
	status = dump_events(x, src) < 0;
	if (exporter_finish(x) < 0) {
		fprintf(stderr, "accessfs dump: %s: %s\n", a.output ? a.output : "standard output",
			strerror(errno ? errno : EIO));
		status = 1;
	}
	if (out != stdout && fclose(out) != 0)
		status = 1;
	out = stdout;
out:
	event_source_close(src);
	if (out != stdout)
		fclose(out);
	return status;
}
