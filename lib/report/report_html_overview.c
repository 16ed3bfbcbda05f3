/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_html_overview.c - the first thing the HTML report shows: every
 * file shown, one table row each, with its totals and a strip of its
 * requests on the run's time axis, coloured by method as in the per-file
 * plots.  A person sees the whole run (which files were busy when, and
 * how) before the detail.  The strips are in the table rows so that
 * sorting the table (by bytes, requests, amplification...) also sorts
 * them; the sorting is the report's only script, inline and small, and
 * the page reads the same without it.
 *
 * The strips draw the files' sampled requests (a uniform sample, see
 * file_stats.h), binned into pixel columns: each column takes the colour of
 * the method with most requests there, so the page stays small whatever
 * the number of requests.
 */
#include <stdlib.h>
#include <string.h>
#include "report_html.h"

#define STRIP_W 480	/* pixel columns of the time axis */
#define STRIP_H 12
#define PATH_CHARS 40	/* longer paths are cut from the left, as in text */

/*
 * Sort the table by a column: click its header (again to reverse), or
 * open the page with "#sort=KEY" (a key of a header's data-key).  Numbers
 * sort most first, names A to Z; the table's data-sorted says how it is.
 */
static const char sort_script[] =
	"(function(){"
	"var t=document.getElementById('overview'),h=t.tHead.rows[0].cells;"
	"function sort(i,up){"
	"var b=t.tBodies[0],r=[].slice.call(b.rows);"
	"r.sort(function(x,y){"
	"var p=x.cells[i].getAttribute('data-v'),q=y.cells[i].getAttribute('data-v'),"
	"d=h[i].getAttribute('data-num')?p-q:p<q?-1:p>q?1:0;"
	"return up?d:-d;});"
	"r.forEach(function(e){b.appendChild(e);});"
	"t.setAttribute('data-sorted',h[i].getAttribute('data-key')+(up?' up':' down'));}"
	"function first(i){return !h[i].getAttribute('data-num');}"
	"[].forEach.call(h,function(c,i){if(!c.getAttribute('data-key'))return;"
	"c.onclick=function(){var s=t.getAttribute('data-sorted')||'',"
	"k=c.getAttribute('data-key');"
	"sort(i,s.indexOf(k+' ')===0?s===k+' down':first(i));};});"
	"var m=/#sort=(\\w+)/.exec(location.hash);"
	"if(m)[].forEach.call(h,function(c,i){"
	"if(c.getAttribute('data-key')===m[1])sort(i,first(i));});"
	"})();";

/* The method that moved most of the file's bytes (or made most requests). */
static unsigned int main_method(const struct file_stats *f)
{
	unsigned int best = REPORT_METHOD_COUNT;
	uint64_t most = 0;

	for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++) {
		const struct method_stats *s = file_stats_method(f, m);
		uint64_t v = s ? method_stats_bytes(s) * 2 + (method_stats_requests(s) ? 1 : 0) : 0;

		if (v > most) {
			most = v;
			best = m;
		}
	}
	return best;
}

/* Bytes moved for each distinct byte touched: 1 when nothing moved twice. */
static double amplification(const struct method_stats *t)
{
	return t->c[ACCESSFS_UNIQUE_BYTES] ?
	       (double)method_stats_bytes(t) / (double)t->c[ACCESSFS_UNIQUE_BYTES] : 0;
}

static void header(FILE *out, uint64_t span)
{
	char end[REPORT_UNIT_LEN];

	fputs("<table id=\"overview\"><thead><tr>"
	      "<th data-key=\"path\" title=\"click a column to sort by it\">file</th>"
	      "<th data-key=\"bytes\" data-num=\"1\">bytes</th>"
	      "<th data-key=\"read\" data-num=\"1\">read</th>"
	      "<th data-key=\"written\" data-num=\"1\">written</th>"
	      "<th data-key=\"requests\" data-num=\"1\">requests</th>"
	      "<th data-key=\"amplification\" data-num=\"1\" title=\"bytes moved per distinct "
	      "byte touched\">amplif.</th>"
	      "<th data-key=\"method\">mostly</th>", out);
	fprintf(out, "<th class=\"axis\"><svg width=\"%d\" height=\"14\"><text x=\"0\" y=\"11\">"
		"0</text><text x=\"%d\" y=\"11\" text-anchor=\"middle\">requests over time"
		"</text><text x=\"%d\" y=\"11\" text-anchor=\"end\">%s</text></svg></th>",
		STRIP_W, STRIP_W / 2, STRIP_W, report_duration(end, span));
	fputs("</tr></thead><tbody>\n", out);
}

/* The method with most requests in one column, or REPORT_METHOD_COUNT for none. */
static unsigned int column_method(const uint32_t *col)
{
	unsigned int best = REPORT_METHOD_COUNT;

	for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++)
		if (col[m] && (best == REPORT_METHOD_COUNT || col[m] > col[best]))
			best = m;
	return best;
}

/* The file's sampled requests on the run's axis, a rect per run of like columns. */
static void strip(FILE *out, const struct file_stats *f, uint64_t span,
		  uint32_t (*cols)[REPORT_METHOD_COUNT])
{
	memset(cols, 0, STRIP_W * sizeof(*cols));
	for (size_t i = 0; i < f->nsample; i++) {
		size_t x = (size_t)((double)f->sample[i].t_ns * (STRIP_W - 1) / (double)span);

		cols[x < STRIP_W ? x : STRIP_W - 1][f->sample[i].method]++;
	}
	fprintf(out, "<td class=\"strip\"><svg width=\"%d\" height=\"%d\"><rect class=\"track\" "
		"width=\"%d\" height=\"%d\"/>", STRIP_W, STRIP_H, STRIP_W, STRIP_H);
	for (size_t x = 0, end; x < STRIP_W; x = end) {
		unsigned int m = column_method(cols[x]);

		for (end = x + 1; end < STRIP_W && column_method(cols[end]) == m; end++)
			;
		if (m == REPORT_METHOD_COUNT)
			continue;
		/* two pixels at least, so that a lone request is seen */
		fprintf(out, "<rect x=\"%zu\" width=\"%zu\" height=\"%d\" fill=\"%s\"/>", x,
			end - x > 1 ? end - x : 2, STRIP_H, report_method_colour(m));
	}
	fputs("</svg></td>", out);
}

static void bytes_cell(FILE *out, uint64_t v)
{
	char b[REPORT_UNIT_LEN];

	fprintf(out, "<td data-v=\"%llu\">%s</td>", (unsigned long long)v,
		report_bytes(b, v, true));
}

static void row(FILE *out, const struct analysis_file *af, size_t i, uint64_t span,
		uint32_t (*cols)[REPORT_METHOD_COUNT])
{
	const struct method_stats *t = &af->stats.total;
	unsigned int m = main_method(&af->stats);
	const char *name = m < REPORT_METHOD_COUNT ? report_method_name(m) : "-";
	double amp = amplification(t);
	size_t cut = af->path_len > PATH_CHARS ? af->path_len - (PATH_CHARS - 3) : 0;
	char n[REPORT_UNIT_LEN];

	fputs("<tr><td data-v=\"", out);
	html_text(out, af->path, af->path_len);
	fputs("\" title=\"", out);
	html_text(out, af->path, af->path_len);
	fprintf(out, "\"><a href=\"#" HTML_FILE_ID "\">%s", i, cut ? "..." : "");
	html_text(out, af->path + cut, af->path_len - cut);
	fputs("</a></td>", out);
	bytes_cell(out, method_stats_bytes(t));
	bytes_cell(out, t->c[POSIX_BYTES_READ]);
	bytes_cell(out, t->c[POSIX_BYTES_WRITTEN]);
	fprintf(out, "<td data-v=\"%llu\">%s</td>",
		(unsigned long long)method_stats_requests(t),
		report_count(n, method_stats_requests(t)));
	fprintf(out, amp ? "<td data-v=\"%.4f\">%.2fx</td>" : "<td data-v=\"0\">-</td>", amp, amp);
	fprintf(out, "<td data-v=\"%s\"><i class=\"sw\" style=\"background:%s\"></i>%s</td>", name,
		m < REPORT_METHOD_COUNT ? report_method_colour(m) : "#fff", name);
	strip(out, &af->stats, span, cols);
	fputs("</tr>\n", out);
}

void html_overview(FILE *out, const struct analysis *a, size_t n)
{
	uint64_t span = a->run.last_ns > 0 ? a->run.last_ns : 1;	/* as the file plots */
	uint32_t (*cols)[REPORT_METHOD_COUNT] = calloc(STRIP_W, sizeof(*cols));

	if (!cols || !n) {
		free(cols);
		return;
	}
	fputs("<h2>Overview</h2>\n<p class=\"note\">Every file shown, on the run's time axis "
	      "(coloured by the method with most requests at that time; a sample of at most "
	      "2048 requests per file). Click a column header to sort.</p>\n", out);
	header(out, span);
	for (size_t i = 0; i < n; i++)
		row(out, a->files[i], i, span, cols);
	fprintf(out, "</tbody></table>\n<script>%s</script>\n", sort_script);
	free(cols);
}
