/* SPDX-License-Identifier: GPL-2.0-or-later */
/* json_writer.c - names, and the document layer's commas and nesting (see json_writer.h). */
#include "json_writer.h"

char *json_put_b64_twin(char *p, const char *key, const char *s, size_t len)
{
	size_t klen = strlen(key);

	memcpy(p, ",\"", 2);
	memcpy(p + 2, key, klen);
	memcpy(p + 2 + klen, "_b64\":\"", 7);
	p = base64_put(p + 9 + klen, s, len);
	*p++ = '"';
	return p;
}

void jw_init(struct json_writer *w, FILE *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->o.out = out;
}

/*
 * Hand what a call wrote to the FILE: callers may write to w->out between
 * calls (the report puts newlines between files).
 */
static void done(struct json_writer *w)
{
	outbuf_flush(&w->o);
	if (w->depth == 0)
		outbuf_free(&w->o);
}

/* Comma if this is not the first member, then "key": if there is a key. */
static void member(struct json_writer *w, const char *key)
{
	if (w->nonempty[w->depth])
		outbuf_putc(&w->o, ',');
	w->nonempty[w->depth] = true;
	if (key) {
		json_write_string(&w->o, key, strlen(key));
		outbuf_putc(&w->o, ':');
	}
}

static void open_scope(struct json_writer *w, const char *key, char c)
{
	member(w, key);
	outbuf_putc(&w->o, c);
	if (w->depth + 1 < JSON_WRITER_DEPTH)
		w->depth++;
	w->nonempty[w->depth] = false;
	done(w);
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
	outbuf_putc(&w->o, c);
	if (w->depth)
		w->depth--;
	done(w);
}

void jw_end_object(struct json_writer *w)
{
	close_scope(w, '}');
}

void jw_end_array(struct json_writer *w)
{
	close_scope(w, ']');
}

/* A member whose value is printf-formatted (doubles, small ints). */
static void member_printf(struct json_writer *w, const char *key, const char *fmt, double v)
{
	char num[64];
	int n = snprintf(num, sizeof(num), fmt, v);

	member(w, key);
	outbuf_write(&w->o, num, n > 0 ? (size_t)n : 0);
	done(w);
}

void jw_u64(struct json_writer *w, const char *key, uint64_t v)
{
	member(w, key);
	outbuf_u64(&w->o, v);
	done(w);
}

void jw_double(struct json_writer *w, const char *key, double v)
{
	member_printf(w, key, "%.9g", v);
}

void jw_seconds(struct json_writer *w, const char *key, uint64_t ns)
{
	member_printf(w, key, "%.9f", (double)ns / 1e9);
}

void jw_bool(struct json_writer *w, const char *key, bool v)
{
	member(w, key);
	outbuf_puts(&w->o, v ? "true" : "false");
	done(w);
}

void jw_int_or_null(struct json_writer *w, const char *key, int v)
{
	member(w, key);
	if (v < 0)
		outbuf_puts(&w->o, "null");
	else
		outbuf_i64(&w->o, v);
	done(w);
}

void jw_string_len(struct json_writer *w, const char *key, const char *s, size_t len)
{
	char b64_key[64];

	member(w, key);
	if (!json_write_string(&w->o, s, len) && key) {
		/* Not UTF-8: the exact bytes too (the rule of escape.h). */
		snprintf(b64_key, sizeof(b64_key), "%s_b64", key);
		member(w, b64_key);
		outbuf_putc(&w->o, '"');
		base64_write(&w->o, s, len);
		outbuf_putc(&w->o, '"');
	}
	done(w);
}

void jw_string(struct json_writer *w, const char *key, const char *s)
{
	jw_string_len(w, key, s, strlen(s));
}
