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

/*
 * ---- members: keys and plain texts are ASCII that needs no escaping ----
 *
 * Each member has a cursor form, json_put_*(p, ...), that writes at p
 * (outbuf.h, "Writing through a cursor") and returns the end, for callers
 * that reserve a whole record at once; and an outbuf form that reserves
 * the member's room itself.  Keys are string literals, so their lengths
 * are known at compile time.
 */

/* Room of one member whose value is a number: ,"key":-12345 */
#define JSON_NUMBER_MAX(klen) ((size_t)(klen) + 4 + OUTBUF_U64_MAX + 1)
/* Room of json_put_name(): the member, and its "_b64" twin. */
#define JSON_NAME_MAX(klen, len) (2 * (size_t)(klen) + JSON_STRING_MAX(len) + \
				  BASE64_LEN(len) + 14)

/* ,"key": */
static inline char *json_put_key(char *p, const char *key)
{
	size_t klen = strlen(key);

	memcpy(p, ",\"", 2);
	memcpy(p + 2, key, klen);
	memcpy(p + 2 + klen, "\":", 2);
	return p + 4 + klen;
}

static inline char *json_put_u64(char *p, const char *key, uint64_t v)
{
	return outbuf_format_u64(json_put_key(p, key), v);
}

static inline char *json_put_i64(char *p, const char *key, int64_t v)
{
	return outbuf_format_i64(json_put_key(p, key), v);
}

/* ,"key":"text" for a text known to need no escaping (op and method names). */
static inline char *json_put_text(char *p, const char *key, const char *text, size_t tlen)
{
	p = json_put_key(p, key);
	*p++ = '"';
	memcpy(p, text, tlen);
	p[tlen] = '"';
	return p + tlen + 1;
}

/* ,"key_b64":"<base64 of s>": json_put_name()'s twin for a name that is not UTF-8. */
char *json_put_b64_twin(char *p, const char *key, const char *s, size_t len);

/*
 * ,"key":"s" and, when s is not valid UTF-8, ,"key_b64":"<base64 of s>".
 * Inline so that the key, a literal, costs a few constant stores instead
 * of calls to strlen and memcpy: a dump writes two names or more a line.
 */
static inline char *json_put_name(char *p, const char *key, const char *s, size_t len)
{
	bool valid;

	p = json_put_string(json_put_key(p, key), s, len, &valid);
	return valid ? p : json_put_b64_twin(p, key, s, len);
}

static inline void json_key(struct outbuf *o, const char *key)
{
	if (outbuf_reserve(o, strlen(key) + 4))
		outbuf_commit(o, json_put_key(outbuf_cursor(o), key));
}

static inline void json_u64(struct outbuf *o, const char *key, uint64_t v)
{
	if (outbuf_reserve(o, JSON_NUMBER_MAX(strlen(key))))
		outbuf_commit(o, json_put_u64(outbuf_cursor(o), key, v));
}

static inline void json_i64(struct outbuf *o, const char *key, int64_t v)
{
	if (outbuf_reserve(o, JSON_NUMBER_MAX(strlen(key))))
		outbuf_commit(o, json_put_i64(outbuf_cursor(o), key, v));
}

static inline void json_text(struct outbuf *o, const char *key, const char *text)
{
	size_t tlen = strlen(text);

	if (outbuf_reserve(o, strlen(key) + tlen + 6))
		outbuf_commit(o, json_put_text(outbuf_cursor(o), key, text, tlen));
}

static inline void json_name(struct outbuf *o, const char *key, const char *s, size_t len)
{
	if (outbuf_reserve(o, JSON_NAME_MAX(strlen(key), len)))
		outbuf_commit(o, json_put_name(outbuf_cursor(o), key, s, len));
}

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
