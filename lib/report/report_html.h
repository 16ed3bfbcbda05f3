/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_html.h - private to the HTML report: the escaping its parts share
 * and the overview that report_html.c puts before the per-file detail.
 */
#ifndef ACCESSFS_REPORT_HTML_H
#define ACCESSFS_REPORT_HTML_H

#include <stdio.h>
#include "report.h"

/* s as HTML text or attribute value (& < > " escaped). */
void html_text(FILE *out, const char *s, size_t len);
void html_str(FILE *out, const char *s);

/* The id of file i's detail section, for links: "file-3". */
#define HTML_FILE_ID "file-%zu"

/*
 * The overview of the first n files: one table row per file, with its
 * totals and its requests on the run's time axis, sortable by column.
 */
void html_overview(FILE *out, const struct analysis *a, size_t n);

#endif /* ACCESSFS_REPORT_HTML_H */
