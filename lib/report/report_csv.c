/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_csv.c - one CSV row per (file, method), plus a row with method
 * "all" for the file's total (its coverage and sequential counts are over
 * all methods together, so they are not the sum of the method rows).
 * Columns: path, method, then every counter and fcounter by name.  RFC
 * 4180 quoting; no run totals (those are in JSON).
 */
#include <stdio.h>
#include "report.h"

static void csv_field(FILE *out, const char *s, size_t len)
{
	bool quote = false;

	for (size_t i = 0; i < len; i++)
		quote |= s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!quote) {
		fwrite(s, 1, len, out);
		return;
	}
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			fputc('"', out);
		fputc(s[i], out);
	}
	fputc('"', out);
}

static void csv_row(FILE *out, const struct analysis_file *af, const char *method,
		    const struct method_stats *s)
{
	csv_field(out, af->path, af->path_len);
	fprintf(out, ",%s", method);
	for (unsigned int c = 0; c < FILE_STATS_COUNTER_COUNT; c++)
		fprintf(out, ",%llu", (unsigned long long)method_stats_counter(s, c));
	for (unsigned int c = 0; c < FILE_STATS_FCOUNTER_COUNT; c++)
		fprintf(out, ",%.9f", method_stats_fcounter(s, c));
	fputs("\r\n", out);
}

int report_csv(FILE *out, const struct analysis *a, const struct report_options *o)
{
	size_t shown = report_files_shown(a, o, false);

	fputs("path,method", out);
	for (unsigned int c = 0; c < FILE_STATS_COUNTER_COUNT; c++)
		fprintf(out, ",%s", file_stats_counter_name(c));
	for (unsigned int c = 0; c < FILE_STATS_FCOUNTER_COUNT; c++)
		fprintf(out, ",%s", file_stats_fcounter_name(c));
	fputs("\r\n", out);
	for (size_t i = 0; i < shown; i++) {
		const struct analysis_file *af = a->files[i];

		for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++) {
			const struct method_stats *s = file_stats_method(&af->stats, m);

			if (s)
				csv_row(out, af, report_method_name(m), s);
		}
		csv_row(out, af, "all", &af->stats.total);
	}
	return ferror(out) ? -1 : 0;
}
