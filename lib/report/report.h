/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.h - the outputs of "accessfs report": text for a terminal, JSON
 * (schema_version 1, see doc/report.md), CSV (one row per file and
 * method), one self-contained HTML page, and the side-by-side comparison
 * of runs.  Each reads a finished analysis and writes to a stdio
 * stream; none of them computes a statistic the analysis does not have.
 */
#ifndef ACCESSFS_REPORT_H
#define ACCESSFS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "analysis.h"

#define REPORT_SCHEMA_VERSION 1
#define REPORT_DEFAULT_TOP 20

struct report_options {
	size_t top;		/* files shown in text and HTML */
	bool top_given;		/* --top was given: JSON and CSV obey it too */
	const char *title;	/* for HTML; NULL: the first trace's path */
};

/* Each returns 0, or -1 if writing failed (errno set by stdio). */
int report_text(FILE *out, const struct analysis *a, const struct report_options *o);
int report_json(FILE *out, const struct analysis *a, const struct report_options *o);
int report_csv(FILE *out, const struct analysis *a, const struct report_options *o);
int report_html(FILE *out, const struct analysis *a, const struct report_options *o);

/*
 * Runs side by side: runs[0] is the baseline A, the others B, C... (at most
 * REPORT_COMPARE_MAX), matched by path, with each one's ratio to A.
 */
#define REPORT_COMPARE_MAX 26	/* one letter each */
int report_compare_text(FILE *out, const struct analysis *const *runs, size_t n,
			const struct report_options *o);
int report_compare_json(FILE *out, const struct analysis *const *runs, size_t n,
			const struct report_options *o);

/* One finding: a sentence, and the files it is about (none: about the run). */
struct report_finding {
	const char *text;	/* one line, no newline: "20 files (a ... t): ..." */
	const char *kind;	/* "read_method", "refetch", "writeback_trigger", "lost"... */
	const struct analysis_file *const *files;	/* most bytes first */
	size_t nfiles;
	uint64_t bytes;		/* moved by those files, which orders the findings */
};

/*
 * Plain-language findings where they are clear-cut: about the top files
 * (grouped over files that share one, worst first), then about the run.
 * emit() is called once per finding; f is valid only during the call.
 * Returns how many there were.
 */
size_t report_findings(const struct analysis *a, size_t top,
		       void (*emit)(void *ctx, const struct report_finding *f), void *ctx);

/* Helpers shared by the outputs (lib/report_units.c). */
#define REPORT_UNIT_LEN 24
/* "0 B", "512 B", "1.5 KiB", "64.0 MiB"; compact: "1.5K", "64.0M". */
const char *report_bytes(char buf[REPORT_UNIT_LEN], uint64_t bytes, bool compact);
/* "12", "1.2k", "3.4M": fits 6 columns. */
const char *report_count(char buf[REPORT_UNIT_LEN], uint64_t n);
/* "850ns", "12us", "1.2ms", "3.40s". */
const char *report_duration(char buf[REPORT_UNIT_LEN], uint64_t ns);
/* The number of files an output shows: all, or --top. */
size_t report_files_shown(const struct analysis *a, const struct report_options *o,
			  bool always_limit);

/*
 * The app-side view (lib/report/report_page_cache.c), at most top rows:
 * the sentence of one row, and its section in each output.
 */
struct json_writer;
void report_page_cache_sentence(char *buf, size_t len, const struct page_cache_view *v,
				const struct pcv_row *r);
void report_page_cache_text(FILE *out, const struct analysis *a, size_t top);
void report_page_cache_json(struct json_writer *w, const struct analysis *a, size_t top);
void report_page_cache_html(FILE *out, const struct analysis *a, size_t top);

#endif /* ACCESSFS_REPORT_H */
