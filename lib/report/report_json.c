/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_json.c - the report as one JSON document (schema_version 1, keys
 * documented in doc/report.md).  Counter keys are the counter names of
 * file_stats.h, so JSON, CSV and text can never disagree on a name.  All
 * numbers are exact (bytes, counts) or seconds as doubles.
 */
#include <stdio.h>
#include <string.h>
#include "json_writer.h"
#include "report.h"

static void counters(struct json_writer *w, const struct method_stats *s)
{
	jw_object(w, "counters");
	for (unsigned int c = 0; c < FILE_STATS_COUNTER_COUNT; c++)
		jw_u64(w, file_stats_counter_name(c), method_stats_counter(s, c));
	jw_end_object(w);
	jw_object(w, "fcounters");
	for (unsigned int c = 0; c < FILE_STATS_FCOUNTER_COUNT; c++)
		jw_double(w, file_stats_fcounter_name(c), method_stats_fcounter(s, c));
	jw_end_object(w);
}

static void file_object(struct json_writer *w, const struct analysis_file *af)
{
	fputc('\n', w->out);
	jw_object(w, NULL);
	jw_string_len(w, "path", af->path, af->path_len);
	counters(w, &af->stats.total);
	jw_object(w, "methods");
	for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++) {
		const struct method_stats *s = file_stats_method(&af->stats, m);

		if (!s)
			continue;
		jw_object(w, report_method_name(m));
		counters(w, s);
		jw_end_object(w);
	}
	jw_end_object(w);
	jw_end_object(w);
}

static void io_object(struct json_writer *w, const char *key, const struct run_io *io)
{
	jw_object(w, key);
	jw_u64(w, "requests", io->requests);
	jw_u64(w, "bytes_read", io->bytes_read);
	jw_u64(w, "bytes_written", io->bytes_written);
	jw_end_object(w);
}

static void traces_array(struct json_writer *w, const struct run_stats *rs)
{
	jw_array(w, "traces");
	for (size_t i = 0; i < rs->ntraces; i++) {
		const struct run_trace *t = &rs->traces[i];

		jw_object(w, NULL);
		jw_string(w, "path", t->path);
		jw_string(w, "host", rs->hosts[t->host].name);
		jw_u64(w, "events", t->events);
		jw_u64(w, "lost", t->lost);
		jw_bool(w, "clean_end", t->clean_end);
		jw_bool(w, "torn_tail", t->torn_tail);
		jw_u64(w, "torn_bytes", t->torn_bytes);
		jw_int_or_null(w, "writeback_cache", t->writeback_cache);
		jw_int_or_null(w, "classify", t->classify);
		jw_int_or_null(w, "killpriv_v2", t->killpriv_v2);
		jw_string(w, "label_source", t->label_source);
		jw_u64(w, "label_fallbacks", t->label_fallbacks);
		jw_string(w, "transport", t->transport);
		if (t->transport_known) {
			jw_u64(w, "uring_queues", t->uring_queues);
			jw_u64(w, "ring_requests", t->ring_requests);
		}
		jw_u64(w, "max_readahead", t->max_readahead);
		jw_string(w, "mount_options", t->mount_options);
		jw_seconds(w, "first_s", t->first_ns);
		jw_seconds(w, "last_s", t->last_ns);
		jw_end_object(w);
	}
	jw_end_array(w);
}

static void hosts_array(struct json_writer *w, const struct run_stats *rs)
{
	jw_array(w, "hosts");
	for (size_t i = 0; i < rs->nhosts; i++) {
		jw_object(w, NULL);
		jw_string(w, "name", rs->hosts[i].name);
		jw_u64(w, "events", rs->hosts[i].events);
		io_object(w, "io", &rs->hosts[i].io);
		jw_end_object(w);
	}
	jw_end_array(w);
}

static void by_method(struct json_writer *w, const struct run_stats *rs)
{
	jw_object(w, "by_method");
	for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++)
		if (rs->by_method[m].requests)
			io_object(w, report_method_name(m), &rs->by_method[m]);
	jw_end_object(w);
}

static void by_op(struct json_writer *w, const struct run_stats *rs)
{
	jw_object(w, "by_op");
	for (unsigned int op = 0; op <= TRACE_OP_COUNT; op++) {
		const struct run_op *o = &rs->by_op[op];

		if (!o->count)
			continue;
		jw_object(w, trace_op_name(op));
		jw_u64(w, "count", o->count);
		jw_u64(w, "errors", o->errors);
		jw_u64(w, "bytes", o->bytes);
		jw_seconds(w, "time_s", o->time_ns);
		jw_end_object(w);
	}
	jw_end_object(w);
}

static void by_process(struct json_writer *w, const struct run_stats *rs)
{
	jw_array(w, "by_process");
	for (size_t i = 0; i < rs->nprocs; i++) {
		const struct run_process *p = &rs->procs[i];

		jw_object(w, NULL);
		jw_string(w, "host", rs->hosts[p->host].name);
		jw_u64(w, "pid", p->pid);
		jw_string(w, "comm", p->comm);
		jw_string(w, "exe", p->exe);
		io_object(w, "io", &p->io);
		jw_object(w, "bytes_by_method");
		for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++)
			if (p->bytes_by_method[m])
				jw_u64(w, report_method_name(m), p->bytes_by_method[m]);
		jw_end_object(w);
		jw_end_object(w);
	}
	jw_end_array(w);
}

static void timeline(struct json_writer *w, const struct run_stats *rs)
{
	jw_object(w, "timeline");
	jw_seconds(w, "bin_s", rs->bin_ns);
	jw_object(w, "bytes");
	for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++) {
		if (!rs->by_method[m].requests)
			continue;
		jw_array(w, report_method_name(m));
		for (size_t b = 0; b < rs->nbins; b++)
			jw_u64(w, NULL, rs->timeline[b][m]);
		jw_end_array(w);
	}
	jw_end_object(w);
	jw_end_object(w);
}

static void json_finding(void *ctx, const struct report_finding *f)
{
	jw_string(ctx, NULL, f->text);
}

/* The same findings with what they are about, for programs. */
static void json_finding_detail(void *ctx, const struct report_finding *f)
{
	struct json_writer *w = ctx;

	jw_object(w, NULL);
	jw_string(w, "kind", f->kind);
	jw_string(w, "text", f->text);
	jw_u64(w, "bytes", f->bytes);
	jw_array(w, "files");
	for (size_t i = 0; i < f->nfiles; i++)
		jw_string_len(w, NULL, f->files[i]->path, f->files[i]->path_len);
	jw_end_array(w);
	jw_end_object(w);
}

int report_json(FILE *out, const struct analysis *a, const struct report_options *o)
{
	const struct run_stats *rs = &a->run;
	size_t shown = report_files_shown(a, o, false);
	struct json_writer w;

	jw_init(&w, out);
	jw_object(&w, NULL);
	jw_u64(&w, "schema_version", REPORT_SCHEMA_VERSION);
	jw_string(&w, "generator", "accessfs " ACCESSFS_VERSION);
	traces_array(&w, rs);
	hosts_array(&w, rs);
	jw_object(&w, "run");
	jw_u64(&w, "events", rs->events);
	jw_seconds(&w, "span_s", rs->last_ns - rs->first_ns);
	jw_u64(&w, "unlabelled_requests", rs->unlabelled);
	jw_u64(&w, "unknown_requests", rs->unknown);
	by_method(&w, rs);
	by_op(&w, rs);
	by_process(&w, rs);
	timeline(&w, rs);
	jw_end_object(&w);
	jw_u64(&w, "files_total", a->nfiles);
	jw_array(&w, "files");
	for (size_t i = 0; i < shown; i++)
		file_object(&w, a->files[i]);
	jw_end_array(&w);
	report_page_cache_json(&w, a, o->top_given ? o->top : SIZE_MAX);
	/* Findings are about the files text would show, so that both say the same. */
	jw_array(&w, "findings");
	report_findings(a, shown < o->top ? shown : o->top, json_finding, &w);
	jw_end_array(&w);
	jw_array(&w, "findings_detail");
	report_findings(a, shown < o->top ? shown : o->top, json_finding_detail, &w);
	jw_end_array(&w);
	jw_end_object(&w);
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}
