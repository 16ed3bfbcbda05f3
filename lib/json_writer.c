/* SPDX-License-Identifier: GPL-2.0-or-later */
/* json_writer.c - commas, keys and string escapes (see json_writer.h). */
#include <string.h>
#include "json_writer.h"

void jw_init(struct json_writer *w, FILE *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

/* Comma if this is not the first member, then "key": if there is a key. */
static void member(struct json_writer *w, const char *key)
{
	if (w->nonempty[w->depth])
		fputc(',', w->out);
	w->nonempty[w->depth] = true;
	if (key) {
		json_write_string(w->out, key, strlen(key));
		fputc(':', w->out);
	}
}

static void open_scope(struct json_writer *w, const char *key, char c)
{
	member(w, key);
	fputc(c, w->out);
	if (w->depth + 1 < JSON_WRITER_DEPTH)
		w->depth++;
	w->nonempty[w->depth] = false;
}

void jw_object(struct json_writer *w, const char *key)
{
	open_scope(w, key, '{');
}

void jw_array(struct json_writer *w, const char *key)
{
	open_scope(w, key, '[');
}

static void close_scope(struct json_writer *w, char c)
{
	fputc(c, w->out);
	if (w->depth)
		w->depth--;
}

void jw_end_object(struct json_writer *w)
{
	close_scope(w, '}');
}

void jw_end_array(struct json_writer *w)
{
	close_scope(w, ']');
}

void jw_u64(struct json_writer *w, const char *key, uint64_t v)
{
	member(w, key);
	fprintf(w->out, "%llu", (unsigned long long)v);
}

void jw_double(struct json_writer *w, const char *key, double v)
{
	member(w, key);
	fprintf(w->out, "%.9g", v);
}

void jw_seconds(struct json_writer *w, const char *key, uint64_t ns)
{
	member(w, key);
	fprintf(w->out, "%.9f", (double)ns / 1e9);
}

void jw_bool(struct json_writer *w, const char *key, bool v)
{
	member(w, key);
	fputs(v ? "true" : "false", w->out);
}

void jw_int_or_null(struct json_writer *w, const char *key, int v)
{
	member(w, key);
	if (v < 0)
		fputs("null", w->out);
	else
		fprintf(w->out, "%d", v);
}

void jw_string_len(struct json_writer *w, const char *key, const char *s, size_t len)
{
	member(w, key);
	json_write_string(w->out, s, len);
}

void jw_string(struct json_writer *w, const char *key, const char *s)
{
	jw_string_len(w, key, s, strlen(s));
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if it is not one. */
static size_t utf8_sequence(const unsigned char *s, size_t left)
{
	size_t n = s[0] < 0x80 ? 1 : s[0] < 0xc2 ? 0 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 :
		   s[0] < 0xf5 ? 4 : 0;

	if (n == 0 || n > left)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

void json_write_string(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', out);
	for (size_t i = 0; i < len;) {
		size_t n = utf8_sequence(p + i, len - i);

		if (n == 0) {
			fputs("\\ufffd", out);
			i++;
		} else if (n > 1) {
			fwrite(p + i, 1, n, out);
			i += n;
		} else if (p[i] == '"' || p[i] == '\\') {
			fprintf(out, "\\%c", p[i++]);
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			fprintf(out, "\\u%04x", p[i++]);
		} else {
			fputc(p[i++], out);
		}
	}
	fputc('"', out);
}
