/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_page_cache.c - the app-side view in every output: one sentence
 * per file and method ("python3 asked for 5.0 MiB of shard03.bin by read();
 * 38.0 MiB reached storage (7.6x, readahead)"), a text section, a JSON
 * object and an HTML table.  Where no trace had the counters the view is
 * said to be unavailable, never shown as zeros.
 */
#include <stdio.h>
#include <string.h>
#include "report_html.h"
#include "json_writer.h"
#include "report.h"

#define UNAVAILABLE "unavailable: no trace had the app-side counters (they need " \
		    "labels=bpf with the BPF programs loaded)"

static const char *how(unsigned int method)
{
	switch (method) {
	case TRACE_METHOD_READ:		return "by read()";
	case TRACE_METHOD_MMAP:		return "by mmap";
	case TRACE_METHOD_POPULATE:	return "by populate (MAP_POPULATE, madvise, mlock)";
	case TRACE_METHOD_WRITE:	return "by write()";
	default:			return "by another method";
	}
}

/* "python3", "cat (2 processes)", "python3 and 2 others" */
static void who(char *buf, size_t len, const struct pcv_row *r)
{
	const char *first = r->nprocs ? r->procs[0].comm : "?";
	size_t same = 0;

	for (size_t i = 0; i < r->nprocs; i++)
		same += !strcmp(r->procs[i].comm, first);
	if (r->nprocs > 1 && same == r->nprocs)
		snprintf(buf, len, "%s (%zu processes)", first, r->nprocs);
	else if (r->nprocs > 1)
		snprintf(buf, len, "%s and %zu other%s", first, r->nprocs - 1,
			 r->nprocs == 2 ? "" : "s");
	else
		snprintf(buf, len, "%s", first);
}

/* What came of it at storage, against what was asked. */
static void outcome(char *buf, size_t len, const struct pcv_row *r, uint64_t asked)
{
	char s[REPORT_UNIT_LEN];

	report_bytes(s, r->storage_bytes, false);
	if (r->method == TRACE_METHOD_WRITE || !asked)
		snprintf(buf, len, "%s reached storage", s);
	else if (r->storage_bytes > asked)
		snprintf(buf, len, "%s reached storage (%.1fx, readahead)", s,
			 (double)r->storage_bytes / (double)asked);
	else
		snprintf(buf, len, "%s reached storage (%.0f%% page-cache hits)", s,
			 100.0 * (1.0 - (double)r->storage_bytes / (double)asked));
}

void report_page_cache_sentence(char *buf, size_t len, const struct page_cache_view *v,
				const struct pcv_row *r)
{
	char name[64], asked_s[REPORT_UNIT_LEN], end[96];
	uint64_t asked = pcv_asked_bytes(v, r->method, &r->n);

	who(name, sizeof(name), r);
	report_bytes(asked_s, asked, false);
	outcome(end, sizeof(end), r, asked);
	if (r->method == TRACE_METHOD_MMAP || r->method == TRACE_METHOD_POPULATE)
		snprintf(buf, len, "%s faulted %llu times (%llu major) on %s %s, mapping %s; %s",
			 name, (unsigned long long)r->n.faults, (unsigned long long)r->n.major,
			 r->path, how(r->method), asked_s, end);
	else if (r->method == TRACE_METHOD_WRITE)
		snprintf(buf, len, "%s wrote %s to %s %s; %s", name, asked_s, r->path,
			 how(r->method), end);
	else
		snprintf(buf, len, "%s asked for %s of %s %s; %s", name, asked_s, r->path,
			 how(r->method), end);
}

#define TEXT_COLUMNS 80

/* s as "  " lines of at most TEXT_COLUMNS, broken at spaces, continued
 * with "    " (a word longer than a line, a long path, stays whole). */
static void print_wrapped(FILE *out, const char *s)
{
	const char *indent = "  ";

	while (*s) {
		size_t room = TEXT_COLUMNS - strlen(indent), len = strlen(s), cut = len;

		if (len > room) {
			cut = room;
			while (cut > 0 && s[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = strcspn(s, " ");
		}
		fprintf(out, "%s%.*s\n", indent, (int)cut, s);
		s += cut;
		while (*s == ' ')
			s++;
		indent = "    ";
	}
}

void report_page_cache_text(FILE *out, const struct analysis *a, size_t top)
{
	const struct page_cache_view *v = &a->app;
	char line[1024];

	fprintf(out, "\npage cache: what programs asked for, what reached storage\n");
	if (!v->available) {
		print_wrapped(out, UNAVAILABLE);
		return;
	}
	if (!v->nrows)
		fprintf(out, "  (nothing counted)\n");
	for (size_t i = 0; i < v->nrows && i < top; i++) {
		report_page_cache_sentence(line, sizeof(line), v, &v->rows[i]);
		print_wrapped(out, line);
	}
}

static void json_counts(struct json_writer *w, const struct page_cache_view *v,
			unsigned int method, const struct pcv_counts *n)
{
	jw_u64(w, "asked_bytes", pcv_asked_bytes(v, method, n));
	jw_u64(w, "bytes", n->bytes);
	jw_u64(w, "calls", n->calls);
	jw_u64(w, "faults", n->faults);
	jw_u64(w, "major_faults", n->major);
	jw_u64(w, "minor_faults", n->faults - n->major);
	jw_u64(w, "mapped_pages", n->mapped);
}

void report_page_cache_json(struct json_writer *w, const struct analysis *a, size_t top)
{
	const struct page_cache_view *v = &a->app;
	char line[1024];

	jw_object(w, "page_cache");
	jw_bool(w, "available", v->available);
	if (!v->available) {
		jw_string(w, "reason", UNAVAILABLE);
		jw_end_object(w);
		return;
	}
	jw_u64(w, "page_size", v->page_size);
	jw_array(w, "files");
	for (size_t i = 0; i < v->nrows && i < top; i++) {
		const struct pcv_row *r = &v->rows[i];
		uint64_t asked = pcv_asked_bytes(v, r->method, &r->n);

		jw_object(w, NULL);
		jw_string_len(w, "path", r->path, r->path_len);
		jw_string(w, "method", trace_method_name(r->method));
		json_counts(w, v, r->method, &r->n);
		jw_u64(w, "storage_bytes", r->storage_bytes);
		if (asked)
			jw_double(w, "storage_per_asked", (double)r->storage_bytes / (double)asked);
		report_page_cache_sentence(line, sizeof(line), v, r);
		jw_string(w, "text", line);
		jw_array(w, "processes");
		for (size_t p = 0; p < r->nprocs; p++) {
			jw_object(w, NULL);
			jw_u64(w, "pid", r->procs[p].pid);
			jw_string(w, "comm", r->procs[p].comm);
			json_counts(w, v, r->method, &r->procs[p].n);
			jw_end_object(w);
		}
		jw_end_array(w);
		jw_end_object(w);
	}
	jw_end_array(w);
	jw_end_object(w);
}

void report_page_cache_html(FILE *out, const struct analysis *a, size_t top)
{
	const struct page_cache_view *v = &a->app;
	char line[1024], asked[REPORT_UNIT_LEN], stored[REPORT_UNIT_LEN];

	fputs("<h2>Page cache: asked for and reached storage</h2>\n", out);
	if (!v->available) {
		fputs("<p>", out);
		html_str(out, UNAVAILABLE);
		fputs("</p>\n", out);
		return;
	}
	fputs("<table><tr><th>file</th><th>method</th><th>asked</th><th>reached storage</th>"
	      "<th>faults (major)</th><th></th></tr>\n", out);
	for (size_t i = 0; i < v->nrows && i < top; i++) {
		const struct pcv_row *r = &v->rows[i];

		report_page_cache_sentence(line, sizeof(line), v, r);
		fputs("<tr><td>", out);
		html_text(out, r->path, r->path_len);
		fprintf(out, "</td><td>%s</td><td>%s</td><td>%s</td><td>%llu (%llu)</td><td>",
			trace_method_name(r->method),
			report_bytes(asked, pcv_asked_bytes(v, r->method, &r->n), false),
			report_bytes(stored, r->storage_bytes, false),
			(unsigned long long)r->n.faults, (unsigned long long)r->n.major);
		html_str(out, line);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}
