/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_html.c - the report as ONE self-contained HTML page: inline SVG,
 * CSS and one small inline script (sorting the overview), no font, nothing
 * fetched from the network, so it opens anywhere, offline, years later.
 * First the overview of every file shown (report_html_overview.c), then
 * per top file: offset against
 * time (circles are reads, squares writes, coloured by method), a heat
 * strip of how often each region was fetched, the request-size
 * histogram; for the run: bytes per second per method.  Its size is
 * bounded: at most FILE_STATS_SAMPLE_MAX sampled points per file.
 */
#include <stdio.h>
#include <string.h>
#include "report_html.h"

#define PLOT_W 960
#define PLOT_H 240
#define MARGIN_L 70
#define MARGIN_B 28
#define HEAT_H 22
#define HIST_H 150

static const char *colour(unsigned int m)
{
	return report_method_colour(m);
}

void html_text(FILE *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(s[i], out);
		}
	}
}

void html_str(FILE *out, const char *s)
{
	html_text(out, s, strlen(s));
}

static const char style[] =
	"body{font:14px/1.4 sans-serif;margin:24px;color:#222;max-width:1040px}"
	"h1{font-size:20px}h2{font-size:17px;margin-top:32px;border-bottom:1px solid #ccc}"
	"h3{font-size:15px;margin:24px 0 4px;word-break:break-all}"
	"table{border-collapse:collapse;font-size:12px}td,th{padding:2px 8px;text-align:right}"
	"th{background:#eee}td:first-child,th:first-child{text-align:left}"
	".legend span{display:inline-block;margin-right:14px}"
	".sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}"
	"svg{display:block;margin:4px 0}svg text{font:11px sans-serif;fill:#444}"
	"#overview{margin-top:8px}#overview td{padding:1px 6px;white-space:nowrap}"
	"#overview th[data-key]{cursor:pointer}#overview th[data-key]:hover{background:#ddd}"
	"#overview td.strip,#overview th.axis{padding:0 0 0 8px}#overview svg{margin:0}"
	"#overview a{color:inherit;text-decoration:none}#overview tbody tr:hover{background:#f6f6f6}"
	".track{fill:#e9eef2}"
	".note{color:#666;font-size:12px}";

/* Methods that appear anywhere in the run, for the legend. */
static void legend(FILE *out, const struct run_stats *rs)
{
	fputs("<p class=\"legend\">", out);
	for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++) {
		if (!rs->by_method[m].requests)
			continue;
		fprintf(out, "<span><i class=\"sw\" style=\"background:%s\"></i>%s</span>", colour(m),
			report_method_name(m));
	}
	fputs("<span>&#9679; read &nbsp; &#9632; write</span></p>\n", out);
}

static void axis_labels(FILE *out, int x0, int y0, int w, int h, const char *xmax,
			const char *ymax, const char *xname, const char *yname)
{
	fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", x0, y0 + h,
		x0 + w, y0 + h);
	fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", x0, y0, x0,
		y0 + h);
	fprintf(out, "<text x=\"%d\" y=\"%d\">0</text>", x0, y0 + h + 14);
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", x0 + w, y0 + h + 14,
		xmax);
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>", x0 + w / 2,
		y0 + h + 14, xname);
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", x0 - 4, y0 + 10, ymax);
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>", x0 - 4, y0 + h);
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", x0 - 4,
		y0 + h / 2, yname);
}

static void timeline(FILE *out, const struct run_stats *rs)
{
	uint64_t peak = 1;
	double bin_s = (double)rs->bin_ns / 1e9;
	char xmax[REPORT_UNIT_LEN], ymax[REPORT_UNIT_LEN + 2];

	if (!rs->nbins)
		return;
	for (size_t b = 0; b < rs->nbins; b++)
		for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++)
			if (rs->timeline[b][m] > peak)
				peak = rs->timeline[b][m];
	report_bytes(ymax, (uint64_t)((double)peak / bin_s), true);
	strcat(ymax, "/s");
	fprintf(out, "<h2>Bytes per second by method</h2>\n<svg width=\"%d\" height=\"%d\" "
		"role=\"img\">", PLOT_W, PLOT_H + MARGIN_B);
	axis_labels(out, MARGIN_L, 0, PLOT_W - MARGIN_L - 10, PLOT_H,
		    report_duration(xmax, (uint64_t)rs->nbins * rs->bin_ns), ymax, "time", "");
	for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++) {
		if (!rs->by_method[m].requests)
			continue;
		fprintf(out, "<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"%s\" points=\"",
			colour(m));
		for (size_t b = 0; b < rs->nbins; b++)
			fprintf(out, "%.1f,%.1f ", MARGIN_L + (b + 0.5) * (PLOT_W - MARGIN_L - 10) /
				(double)rs->nbins, PLOT_H - (double)rs->timeline[b][m] * PLOT_H /
				(double)peak);
		fputs("\"/>", out);
	}
	fputs("</svg>\n", out);
}

static void scatter(FILE *out, const struct file_stats *f, const struct run_stats *rs)
{
	uint64_t span = rs->last_ns > 0 ? rs->last_ns : 1, top = 1;
	int w = PLOT_W - MARGIN_L - 10;
	char xmax[REPORT_UNIT_LEN], ymax[REPORT_UNIT_LEN];

	for (size_t i = 0; i < f->nsample; i++)
		if (f->sample[i].offset + f->sample[i].size > top)
			top = f->sample[i].offset + f->sample[i].size;
	fprintf(out, "<svg width=\"%d\" height=\"%d\" role=\"img\">", PLOT_W, PLOT_H + MARGIN_B);
	axis_labels(out, MARGIN_L, 0, w, PLOT_H, report_duration(xmax, span),
		    report_bytes(ymax, top, true), "time", "offset");
	for (size_t i = 0; i < f->nsample; i++) {
		const struct file_stats_point *p = &f->sample[i];
		double x = MARGIN_L + (double)p->t_ns * w / (double)span;
		double y = PLOT_H - (double)p->offset * PLOT_H / (double)top;

		if (p->is_write)
			fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"5\" height=\"5\" "
				"fill=\"%s\" fill-opacity=\".6\"/>", x - 2.5, y - 2.5,
				colour(p->method));
		else
			fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\" "
				"fill-opacity=\".6\"/>", x, y, colour(p->method));
	}
	fputs("</svg>\n", out);
}

/* Heat: white never fetched, blue fetched once, through orange to red at 4+. */
static void heat_colour(char *buf, size_t len, double times)
{
	static const unsigned char stops[][3] = {
		{ 0xf4, 0xf4, 0xf4 }, { 0x6b, 0xae, 0xd6 }, { 0xfd, 0xae, 0x61 },
		{ 0xf4, 0x6d, 0x43 }, { 0xa5, 0x00, 0x26 },
	};
	unsigned int i = times >= 4 ? 3 : (unsigned int)times;
	double frac = times >= 4 ? 1 : times - i;
	unsigned char c[3];

	for (int k = 0; k < 3; k++)
		c[k] = (unsigned char)(stops[i][k] + (stops[i + 1][k] - stops[i][k]) * frac);
	snprintf(buf, len, "#%02x%02x%02x", c[0], c[1], c[2]);
}

static void heat_strip(FILE *out, const struct file_stats *f)
{
	uint64_t bin = (uint64_t)1 << f->heat_shift;
	int w = PLOT_W - MARGIN_L - 10;
	double cell = (double)w / FILE_STATS_HEAT_BINS, most = 0;
	char c[REPORT_UNIT_LEN], sz[REPORT_UNIT_LEN];

	fprintf(out, "<svg width=\"%d\" height=\"%d\" role=\"img\">", PLOT_W, HEAT_H + 16);
	fprintf(out, "<text x=\"%d\" y=\"15\" text-anchor=\"end\">fetched</text>", MARGIN_L - 4);
	for (unsigned int i = 0; i < FILE_STATS_HEAT_BINS; i++) {
		double times = (double)f->heat[i] / (double)bin;

		most = times > most ? times : most;
		heat_colour(c, sizeof(c), times);
		fprintf(out, "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
			"<title>%.2fx</title></rect>", MARGIN_L + i * cell, cell + 0.5, HEAT_H, c,
			times);
	}
	fprintf(out, "<text x=\"%d\" y=\"%d\">0</text><text x=\"%d\" y=\"%d\" "
		"text-anchor=\"end\">%s (each cell %s; most fetched %.1fx)</text></svg>\n",
		MARGIN_L, HEAT_H + 13, PLOT_W - 10, HEAT_H + 13,
		report_bytes(sz, bin * FILE_STATS_HEAT_BINS, true), report_bytes(c, bin, true),
		most);
}

static void size_histogram(FILE *out, const struct method_stats *t)
{
	int slot = (PLOT_W - MARGIN_L - 10) / FILE_STATS_SIZE_BUCKET_COUNT;
	uint64_t peak = 1;

	for (unsigned int b = 0; b < FILE_STATS_SIZE_BUCKET_COUNT; b++) {
		peak = t->c[POSIX_SIZE_READ_0_100 + b] > peak ? t->c[POSIX_SIZE_READ_0_100 + b] : peak;
		peak = t->c[POSIX_SIZE_WRITE_0_100 + b] > peak ? t->c[POSIX_SIZE_WRITE_0_100 + b] : peak;
	}
	fprintf(out, "<svg width=\"%d\" height=\"%d\" role=\"img\">", PLOT_W, HIST_H + 30);
	fprintf(out, "<text x=\"%d\" y=\"12\" text-anchor=\"end\">requests</text>", MARGIN_L - 4);
	for (unsigned int b = 0; b < FILE_STATS_SIZE_BUCKET_COUNT; b++) {
		uint64_t r = t->c[POSIX_SIZE_READ_0_100 + b], w = t->c[POSIX_SIZE_WRITE_0_100 + b];
		int x = MARGIN_L + (int)b * slot;
		double hr = (double)r * HIST_H / (double)peak, hw = (double)w * HIST_H / (double)peak;

		fprintf(out, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#0072b2\">"
			"<title>reads %llu</title></rect>", x + 4, HIST_H - hr, slot / 2 - 6, hr,
			(unsigned long long)r);
		fprintf(out, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#009e73\">"
			"<title>writes %llu</title></rect>", x + slot / 2, HIST_H - hw, slot / 2 - 6,
			hw, (unsigned long long)w);
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", x + slot / 2,
			HIST_H + 14);
		html_str(out, file_stats_size_bucket_label(b));	/* ">= 1 GiB" */
		fputs("</text>", out);
		if (r || w)
			fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%llu/%llu</text>",
				x + slot / 2, HIST_H + 27, (unsigned long long)r,
				(unsigned long long)w);
	}
	fputs("</svg>\n<p class=\"note\">request sizes: reads (blue) / writes (green), "
	      "counts under each size range (upper edge included)</p>\n", out);
}

static void method_table(FILE *out, const struct file_stats *f)
{
	char b[7][REPORT_UNIT_LEN];

	fputs("<table><tr><th>method</th><th>requests</th><th>read</th><th>written</th>"
	      "<th>unique</th><th>re-fetch</th><th>readahead</th><th>p50</th><th>p99</th></tr>\n",
	      out);
	for (unsigned int m = 0; m <= REPORT_METHOD_COUNT; m++) {
		const struct method_stats *s = file_stats_method(f, m);

		if (!s || (m == FILE_STATS_ALL && !method_stats_requests(s)))
			continue;
		fprintf(out, "<tr><td><i class=\"sw\" style=\"background:%s\"></i>%s</td>"
			"<td>%llu</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
			"<td>%s</td><td>%s</td></tr>\n",
			m == FILE_STATS_ALL ? "#fff" : colour(m),
			m == FILE_STATS_ALL ? "all" : report_method_name(m),
			(unsigned long long)method_stats_requests(s),
			report_bytes(b[0], s->c[POSIX_BYTES_READ], true),
			report_bytes(b[1], s->c[POSIX_BYTES_WRITTEN], true),
			report_bytes(b[2], s->c[ACCESSFS_UNIQUE_BYTES], true),
			report_bytes(b[3], s->c[ACCESSFS_REFETCH_BYTES], true),
			report_bytes(b[4], s->c[ACCESSFS_READAHEAD_BYTES], true),
			report_duration(b[5], latency_hist_percentile(&s->latency, 50)),
			report_duration(b[6], latency_hist_percentile(&s->latency, 99)));
	}
	fputs("</table>\n", out);
}

static void file_section(FILE *out, const struct analysis_file *af, size_t i,
			 const struct run_stats *rs)
{
	const struct method_stats *t = &af->stats.total;

	fprintf(out, "<h3 id=\"" HTML_FILE_ID "\">", i);
	html_text(out, af->path, af->path_len);
	fputs("</h3>\n", out);
	method_table(out, &af->stats);
	if (!method_stats_requests(t))
		return;
	fprintf(out, "<p class=\"note\">offset against time: %zu of %llu requests shown</p>\n",
		af->stats.nsample, (unsigned long long)af->stats.seen_for_sample);
	scatter(out, &af->stats, rs);
	if (t->c[POSIX_BYTES_READ])	/* only reads fetch */
		heat_strip(out, &af->stats);
	size_histogram(out, t);
}

static void html_finding(void *ctx, const struct report_finding *f)
{
	fputs("<li>", ctx);
	html_str(ctx, f->text);
	fputs("</li>\n", ctx);
}

static void traces_list(FILE *out, const struct run_stats *rs)
{
	fputs("<ul>\n", out);
	for (size_t i = 0; i < rs->ntraces; i++) {
		const struct run_trace *t = &rs->traces[i];

		fputs("<li>", out);
		html_str(out, t->path);
		fputs(": host ", out);
		html_str(out, rs->hosts[t->host].name);
		fprintf(out, ", %llu events, %llu lost, %s</li>\n", (unsigned long long)t->events,
			(unsigned long long)t->lost,
			t->torn_tail ? "torn tail" : t->clean_end ? "clean end" : "no end record");
	}
	fputs("</ul>\n", out);
}

int report_html(FILE *out, const struct analysis *a, const struct report_options *o)
{
	const struct run_stats *rs = &a->run;
	size_t shown = report_files_shown(a, o, true);
	const char *title = o->title ? o->title : rs->ntraces ? rs->traces[0].path : "";
	char dur[REPORT_UNIT_LEN];

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<title>accessfs report: ", out);
	html_str(out, title);
	fprintf(out, "</title><style>%s</style></head><body>\n<h1>accessfs report: ", style);
	html_str(out, title);
	fprintf(out, "</h1>\n<p>%llu events over %s, %zu files (top %zu shown by bytes)</p>\n",
		(unsigned long long)rs->events, report_duration(dur, rs->last_ns - rs->first_ns),
		a->nfiles, shown);
	traces_list(out, rs);
	legend(out, rs);
	html_overview(out, a, shown);
	fputs("<h2>Findings</h2>\n<ul>\n", out);
	if (!report_findings(a, shown, html_finding, out))
		fputs("<li>none clear-cut</li>\n", out);
	fputs("</ul>\n", out);
	timeline(out, rs);
	report_page_cache_html(out, a, shown);
	fputs("<h2>Files</h2>\n", out);
	for (size_t i = 0; i < shown; i++)
		file_section(out, a->files[i], i, rs);
	fputs("</body></html>\n", out);
	return ferror(out) ? -1 : 0;
}
