/* SPDX-License-Identifier: GPL-2.0-or-later */
/* json_writer.c - commas, keys and string escapes (see json_writer.h). */
#include <string.h>
#include "escape.h"
#include "json_writer.h"

void jw_init(struct json_writer *w, FILE *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

/*
 * Strings follow the one escaping rule of every export (escape.h): when
 * the bytes are not valid UTF-8, a "<key>_b64" member carries them exactly.
 */
static bool write_escaped(FILE *out, const char *s, size_t len)
{
	struct outbuf o = { .out = out };
	bool valid = json_write_string(&o, s, len);

	outbuf_flush(&o);
	outbuf_free(&o);
	return valid;
}

/* Comma if this is not the first member, then "key": if there is a key. */
static void member(struct json_writer *w, const char *key)
{
	if (w->nonempty[w->depth])
		fputc(',', w->out);
	w->nonempty[w->depth] = true;
	if (key) {
		write_escaped(w->out, key, strlen(key));
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
	char b64_key[128];
	struct outbuf o = { .out = w->out };

	member(w, key);
	if (write_escaped(w->out, s, len) || !key)
		return;
	snprintf(b64_key, sizeof(b64_key), "%s_b64", key);
	member(w, b64_key);
	outbuf_putc(&o, '"');
	base64_write(&o, s, len);
	outbuf_putc(&o, '"');
	outbuf_flush(&o);
	outbuf_free(&o);
}

void jw_string(struct json_writer *w, const char *key, const char *s)
{
	jw_string_len(w, key, s, strlen(s));
}
