/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_text.c - the report for a terminal: the top files by bytes, each
 * with one row per access method and its requests by size, then the run's
 * totals, the traces' health and the findings.  Every row fits 80 columns; numbers are
 * compact (64.0M) here, exact in JSON and CSV.
 */
#include <stdio.h>
#include <string.h>
#include "report.h"

#define PATH_COLS 44
#define TOP_PROCESSES 10

/* The path, cut from the left to fit width columns ("...dir/file"). */
static void print_path(FILE *out, const char *path, size_t len, int width)
{
	if (len <= (size_t)width)
		fprintf(out, "%-*s", width, path);
	else
		fprintf(out, "...%s", path + len - (size_t)(width - 3));
}

/* lead, then line wrapped at spaces to 80 columns, continued after cont. */
static void print_wrapped(FILE *out, const char *lead, const char *cont, const char *line)
{
	size_t width = 80 - strlen(lead);

	while (strlen(line) > width) {
		size_t cut = width;

		while (cut > 0 && line[cut] != ' ')
			cut--;
		if (cut == 0)
			break;	/* one long word: let it overflow */
		fprintf(out, "%s%.*s\n", lead, (int)cut, line);
		line += cut + 1;
		lead = cont;
		width = 80 - strlen(cont);
	}
	fprintf(out, "%s%s\n", lead, line);
}

static void method_header(FILE *out)
{
	fprintf(out, "  %-17s %6s %6s %6s %6s %6s %4s %6s %6s %6s\n", "method", "reqs",
		"bytes", "unique", "refet", "ahead", "seq%", "size", "p50", "p99");
}

/* Share of requests that were sequential; a direction's first request has no predecessor. */
static unsigned int seq_pct(const struct method_stats *s)
{
	uint64_t seq = s->c[POSIX_SEQ_READS] + s->c[POSIX_SEQ_WRITES];
	uint64_t could = (s->c[POSIX_READS] ? s->c[POSIX_READS] - 1 : 0) +
			 (s->c[POSIX_WRITES] ? s->c[POSIX_WRITES] - 1 : 0);

	return could ? (unsigned int)(seq * 100 / could) : 0;
}

static void method_row(FILE *out, const char *name, const struct method_stats *s)
{
	char b[8][REPORT_UNIT_LEN];
	uint64_t reqs = method_stats_requests(s);

	fprintf(out, "  %-17s %6s %6s %6s %6s %6s %4u %6s %6s %6s\n", name,
		report_count(b[0], reqs),
		report_bytes(b[1], method_stats_bytes(s), true),
		report_bytes(b[2], s->c[ACCESSFS_UNIQUE_BYTES], true),
		report_bytes(b[3], s->c[ACCESSFS_REFETCH_BYTES], true),
		s->c[ACCESSFS_READAHEAD_KNOWN_READS] ?
			report_bytes(b[4], s->c[ACCESSFS_READAHEAD_BYTES], true) : "-",
		seq_pct(s),
		report_bytes(b[5], s->c[POSIX_ACCESS1_ACCESS], true),
		report_duration(b[6], latency_hist_percentile(&s->latency, 50)),
		report_duration(b[7], latency_hist_percentile(&s->latency, 99)));
}

/* "  reads by size: 100 KiB-1 MiB 64, 1-10 KiB 1": the buckets that have requests. */
static void size_line(FILE *out, const char *dir, const struct method_stats *t,
		      unsigned int first_bucket)
{
	char line[512], lead[32];
	size_t used = 0;

	for (unsigned int b = 0; b < FILE_STATS_SIZE_BUCKET_COUNT; b++) {
		uint64_t n = t->c[first_bucket + b];

		if (n && used < sizeof(line))
			used += (size_t)snprintf(line + used, sizeof(line) - used, "%s%s %llu",
						 used ? ", " : "", file_stats_size_bucket_label(b),
						 (unsigned long long)n);
	}
	if (!used)
		return;
	snprintf(lead, sizeof(lead), "  %s by size: ", dir);
	print_wrapped(out, lead, "    ", line);
}

static void file_block(FILE *out, const struct analysis_file *af)
{
	const struct method_stats *t = &af->stats.total;
	char r[REPORT_UNIT_LEN], w[REPORT_UNIT_LEN];
	unsigned int rows = 0;

	print_path(out, af->path, af->path_len, PATH_COLS);
	fprintf(out, " %9s read %9s written\n", report_bytes(r, t->c[POSIX_BYTES_READ], false),
		report_bytes(w, t->c[POSIX_BYTES_WRITTEN], false));
	fprintf(out, "  opens %llu, flushes %llu, fsyncs %llu, releases %llu, metadata %llu, "
		"errors %llu\n",
		(unsigned long long)t->c[POSIX_OPENS], (unsigned long long)t->c[ACCESSFS_FLUSHES],
		(unsigned long long)(t->c[POSIX_FSYNCS] + t->c[POSIX_FDSYNCS]),
		(unsigned long long)t->c[ACCESSFS_RELEASES],
		(unsigned long long)t->c[ACCESSFS_META_OPS],
		(unsigned long long)t->c[ACCESSFS_ERRORS]);
	if (!method_stats_requests(t))
		return;
	method_header(out);
	for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++) {
		const struct method_stats *s = file_stats_method(&af->stats, m);

		if (s) {
			method_row(out, report_method_name(m), s);
			rows++;
		}
	}
	if (rows > 1)
		method_row(out, "all", t);
	size_line(out, "reads", t, POSIX_SIZE_READ_0_100);
	size_line(out, "writes", t, POSIX_SIZE_WRITE_0_100);
}

static void run_methods(FILE *out, const struct run_stats *rs)
{
	double span = (double)(rs->last_ns - rs->first_ns) / 1e9;
	char b[4][REPORT_UNIT_LEN];

	fprintf(out, "\n%-18s %8s %10s %10s %12s\n", "by method", "requests", "read", "written",
		"per second");
	for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++) {
		const struct run_io *io = &rs->by_method[m];

		if (!io->requests)
			continue;
		fprintf(out, "  %-16s %8s %10s %10s %10s/s\n", report_method_name(m),
			report_count(b[0], io->requests), report_bytes(b[1], io->bytes_read, false),
			report_bytes(b[2], io->bytes_written, false),
			report_bytes(b[3], span > 0 ? (uint64_t)((double)run_io_bytes(io) / span)
					   : 0, false));
	}
}

static void run_ops(FILE *out, const struct run_stats *rs)
{
	char b[4][REPORT_UNIT_LEN];

	fprintf(out, "\n%-18s %8s %8s %10s %10s\n", "by operation", "count", "errors", "bytes",
		"time");
	for (unsigned int op = 0; op <= TRACE_OP_COUNT; op++) {
		const struct run_op *o = &rs->by_op[op];

		if (!o->count)
			continue;
		fprintf(out, "  %-16s %8s %8s %10s %10s\n", trace_op_name(op),
			report_count(b[0], o->count), report_count(b[1], o->errors),
			report_bytes(b[2], o->bytes, false), report_duration(b[3], o->time_ns));
	}
}

static void run_processes(FILE *out, const struct run_stats *rs)
{
	char b[3][REPORT_UNIT_LEN];

	if (!rs->nprocs)
		return;
	fprintf(out, "\n%-24s %8s %10s %10s  %s\n", "by process (pid comm)", "requests", "read",
		"written", "mostly");
	for (size_t i = 0; i < rs->nprocs && i < TOP_PROCESSES; i++) {
		const struct run_process *p = &rs->procs[i];
		unsigned int best = 0;
		char who[64];

		for (unsigned int m = 1; m < REPORT_METHOD_COUNT; m++)
			if (p->bytes_by_method[m] > p->bytes_by_method[best])
				best = m;
		snprintf(who, sizeof(who), "%u %s%s%s", p->pid, p->comm,
			 rs->nhosts > 1 ? "@" : "", rs->nhosts > 1 ? rs->hosts[p->host].name : "");
		fprintf(out, "  %-22.22s %8s %10s %10s  %s\n", who, report_count(b[0], p->io.requests),
			report_bytes(b[1], p->io.bytes_read, false),
			report_bytes(b[2], p->io.bytes_written, false), report_method_name(best));
	}
	if (rs->nprocs > TOP_PROCESSES)
		fprintf(out, "  ... %zu more\n", rs->nprocs - TOP_PROCESSES);
}

static void run_hosts(FILE *out, const struct run_stats *rs)
{
	char b[2][REPORT_UNIT_LEN];

	if (rs->nhosts < 2)
		return;
	fprintf(out, "\n%-24s %8s %10s %10s\n", "by host", "events", "read", "written");
	for (size_t i = 0; i < rs->nhosts; i++)
		fprintf(out, "  %-22.22s %8llu %10s %10s\n", rs->hosts[i].name,
			(unsigned long long)rs->hosts[i].events,
			report_bytes(b[0], rs->hosts[i].io.bytes_read, false),
			report_bytes(b[1], rs->hosts[i].io.bytes_written, false));
}

/* How the requests came: said only for io_uring (older traces and /dev/fuse
 * say nothing, as before the transport existed). */
static void transport_line(FILE *out, const struct run_trace *t)
{
	if (strcmp(t->transport, "io_uring"))
		return;
	if (!t->transport_known)
		fprintf(out, "    transport io_uring asked for (no record of how it went)\n");
	else if (!t->uring_queues)
		fprintf(out, "    transport /dev/fuse (io_uring asked for, its rings not set up)\n");
	else
		fprintf(out, "    transport io_uring: %llu queues, %llu requests over the rings\n",
			(unsigned long long)t->uring_queues,
			(unsigned long long)t->ring_requests);
}

static void traces_health(FILE *out, const struct run_stats *rs)
{
	fprintf(out, "\ntraces\n");
	for (size_t i = 0; i < rs->ntraces; i++) {
		const struct run_trace *t = &rs->traces[i];

		fprintf(out, "  %s: host %s, %llu events, %llu lost, %s\n", t->path,
			rs->hosts[t->host].name, (unsigned long long)t->events,
			(unsigned long long)t->lost,
			t->torn_tail ? "torn tail" : t->clean_end ? "clean end" : "no end record");
		if (t->label_fallbacks)
			fprintf(out, "    labels from %s (%llu requests labelled from /proc: no BPF record or no cause)\n",
				t->label_source, (unsigned long long)t->label_fallbacks);
		else if (t->label_source[0])
			fprintf(out, "    labels from %s\n", t->label_source);
		transport_line(out, t);
	}
	if (rs->unknown || rs->unlabelled)
		fprintf(out, "  data requests of unknown cause: %llu, unlabelled: %llu\n",
			(unsigned long long)rs->unknown, (unsigned long long)rs->unlabelled);
}

static void print_finding(void *ctx, const struct report_finding *f)
{
	print_wrapped(ctx, "  - ", "    ", f->text);
}

int report_text(FILE *out, const struct analysis *a, const struct report_options *o)
{
	const struct run_stats *rs = &a->run;
	size_t shown = report_files_shown(a, o, true);
	char dur[REPORT_UNIT_LEN];

	fprintf(out, "accessfs report: %zu trace%s, %llu events over %s, %zu files\n",
		rs->ntraces, rs->ntraces == 1 ? "" : "s", (unsigned long long)rs->events,
		report_duration(dur, rs->last_ns - rs->first_ns), a->nfiles);
	if (a->nfiles)
		fprintf(out, "\nfiles by bytes (top %zu of %zu)\n\n", shown, a->nfiles);
	for (size_t i = 0; i < shown; i++) {
		file_block(out, a->files[i]);
		fputc('\n', out);
	}
	run_methods(out, rs);
	run_ops(out, rs);
	run_processes(out, rs);
	run_hosts(out, rs);
	traces_health(out, rs);
	report_page_cache_text(out, a, shown);
	fprintf(out, "\nfindings\n");
	if (!report_findings(a, shown, print_finding, out))
		fprintf(out, "  (none clear-cut)\n");
	return ferror(out) ? -1 : 0;
}
