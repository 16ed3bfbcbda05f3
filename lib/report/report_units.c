/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_units.c - how numbers read in every output: binary byte units,
 * compact counts and durations.  Kept apart so that the
 * text, HTML and compare outputs print the same number the same way.
 */
#include <stdio.h>
#include "report.h"

const char *report_bytes(char buf[REPORT_UNIT_LEN], uint64_t bytes, bool compact)
{
	static const char units[] = "BKMGTPE";
	double v = (double)bytes;
	unsigned int u = 0;

	while (v >= 1024 && u < sizeof(units) - 2) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, REPORT_UNIT_LEN, compact ? "%lluB" : "%llu B",
			 (unsigned long long)bytes);
	else
		snprintf(buf, REPORT_UNIT_LEN, compact ? "%.*f%c" : "%.*f %ciB",
			 v < 10 ? 1 : 0, v, units[u]);
	return buf;
}

const char *report_count(char buf[REPORT_UNIT_LEN], uint64_t n)
{
	if (n < 100000)
		snprintf(buf, REPORT_UNIT_LEN, "%llu", (unsigned long long)n);
	else if (n < 100000000)
		snprintf(buf, REPORT_UNIT_LEN, "%.1fk", (double)n / 1e3);
	else
		snprintf(buf, REPORT_UNIT_LEN, "%.1fM", (double)n / 1e6);
	return buf;
}

const char *report_duration(char buf[REPORT_UNIT_LEN], uint64_t ns)
{
	if (ns < 1000)
		snprintf(buf, REPORT_UNIT_LEN, "%lluns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, REPORT_UNIT_LEN, "%.*fus", ns < 10000 ? 1 : 0, (double)ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, REPORT_UNIT_LEN, "%.*fms", ns < 10000000 ? 1 : 0, (double)ns / 1e6);
	else
		snprintf(buf, REPORT_UNIT_LEN, "%.2fs", (double)ns / 1e9);
	return buf;
}

size_t report_files_shown(const struct analysis *a, const struct report_options *o,
			  bool always_limit)
{
	if ((always_limit || o->top_given) && o->top < a->nfiles)
		return o->top;
	return a->nfiles;
}
