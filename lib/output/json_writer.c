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

static bool write_string(FILE *out, const char *s, size_t len);

/* Comma if this is not the first member, then "key": if there is a key. */
static void member(struct json_writer *w, const char *key)
{
	if (w->nonempty[w->depth])
		fputc(',', w->out);
	w->nonempty[w->depth] = true;
	if (key) {
		write_string(w->out, key, strlen(key));
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

/* Escaping is escape.h's, so dump and report write names the same way. */
static bool write_string(FILE *out, const char *s, size_t len)
{
	struct outbuf o = { .out = out };
	bool valid = json_write_string(&o, s, len);

	outbuf_flush(&o);
	outbuf_free(&o);
	return valid;
}

void jw_string_len(struct json_writer *w, const char *key, const char *s, size_t len)
{
	struct outbuf o = { .out = w->out };
	char b64_key[64];

	member(w, key);
	if (write_string(w->out, s, len) || !key)
		return;
	/* Not UTF-8: the exact bytes too, as "<key>_b64" (the rule of escape.h). */
	snprintf(b64_key, sizeof(b64_key), "%s_b64", key);
	member(w, b64_key);
	fputc('"', w->out);
	base64_write(&o, s, len);
	outbuf_flush(&o);
	outbuf_free(&o);
	fputc('"', w->out);
}

void jw_string(struct json_writer *w, const char *key, const char *s)
{
	jw_string_len(w, key, s, strlen(s));
}
