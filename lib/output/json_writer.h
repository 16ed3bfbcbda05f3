/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json_writer.h - the one JSON emitter: every JSON accessfs writes (dump's
 * JSON Lines and Perfetto export, the report) goes through it, so keys,
 * numbers and names are written one way.
 *
 * Two layers on an outbuf.  The member writers (json_u64() ...) append
 * ,"key":value and are inline: they are most of a dump's output, which
 * must stay fast; the caller places the braces.  The document writer
 * (jw_*) adds the commas and nesting for code that builds a document
 * piece by piece (the report); it keeps no document in memory and does
 * not check that the caller closes what it opened (the code fixes it).
 * Names (paths, comm, ...) follow escape.h's rule everywhere: escaped,
 * and when not valid UTF-8 followed by "<key>_b64" with the exact bytes.
 */
#ifndef ACCESSFS_JSON_WRITER_H
#define ACCESSFS_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "escape.h"
#include "outbuf.h"

/* ---- members: keys and plain texts are ASCII that needs no escaping ---- */

/* ,"key": */
static inline void json_key(struct outbuf *o, const char *key)
{
	outbuf_write(o, ",\"", 2);
	outbuf_puts(o, key);
	outbuf_write(o, "\":", 2);
}

/* ,"key":v with one room check for key and number. */
static inline void json_u64(struct outbuf *o, const char *key, uint64_t v)
{
	size_t klen = strlen(key);
	char *p;

	if (!outbuf_reserve(o, klen + 4 + OUTBUF_U64_MAX))
		return;
	p = o->buf + o->len;
	memcpy(p, ",\"", 2);
	memcpy(p + 2, key, klen);
	memcpy(p + 2 + klen, "\":", 2);
	o->len = (size_t)(outbuf_format_u64(p + 4 + klen, v) - o->buf);
}

static inline void json_i64(struct outbuf *o, const char *key, int64_t v)
{
	json_key(o, key);
	outbuf_i64(o, v);
}

/* ,"key":"text" for a text known to need no escaping (op and method names). */
static inline void json_text(struct outbuf *o, const char *key, const char *text)
{
	size_t klen = strlen(key), tlen = strlen(text);
	char *p;

	if (!outbuf_reserve(o, klen + tlen + 6))
		return;
	p = o->buf + o->len;
	memcpy(p, ",\"", 2);
	memcpy(p + 2, key, klen);
	memcpy(p + 2 + klen, "\":\"", 3);
	memcpy(p + 5 + klen, text, tlen);
	p[5 + klen + tlen] = '"';
	o->len += klen + tlen + 6;
}

/* ,"key":"s" and, when s is not valid UTF-8, ,"key_b64":"<base64 of s>". */
void json_name(struct outbuf *o, const char *key, const char *s, size_t len);

/* ---- documents ---- */

#define JSON_WRITER_DEPTH 16

struct json_writer {
	FILE *out;		/* each jw_ call leaves everything written here */
	struct outbuf o;
	unsigned int depth;
	bool nonempty[JSON_WRITER_DEPTH];
};

void jw_init(struct json_writer *w, FILE *out);

/*
 * Every value takes a key: the member name inside an object, NULL inside
 * an array or at the top.  Closing the outermost value frees the buffer.
 */
void jw_object(struct json_writer *w, const char *key);
void jw_array(struct json_writer *w, const char *key);
void jw_end_object(struct json_writer *w);
void jw_end_array(struct json_writer *w);
void jw_u64(struct json_writer *w, const char *key, uint64_t v);
void jw_double(struct json_writer *w, const char *key, double v);
void jw_seconds(struct json_writer *w, const char *key, uint64_t ns);
void jw_bool(struct json_writer *w, const char *key, bool v);
/* v < 0 is written as null (a header field that was absent). */
void jw_int_or_null(struct json_writer *w, const char *key, int v);
/* A name: escaped, and a member that is not UTF-8 gets "<key>_b64" too. */
void jw_string(struct json_writer *w, const char *key, const char *s);
void jw_string_len(struct json_writer *w, const char *key, const char *s, size_t len);

#endif /* ACCESSFS_JSON_WRITER_H */
