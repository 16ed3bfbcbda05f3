/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json_writer.h - a minimal streaming JSON emitter for the report: it
 * places the commas and escapes strings, so the outputs only say what goes
 * where.  It does not check that the caller closes what it opened (the
 * nesting is fixed by the code) and keeps no document in memory.
 */
#ifndef ACCESSFS_JSON_WRITER_H
#define ACCESSFS_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_WRITER_DEPTH 16

struct json_writer {
	FILE *out;
	unsigned int depth;
	bool nonempty[JSON_WRITER_DEPTH];
};

void jw_init(struct json_writer *w, FILE *out);

/*
 * Every value takes a key: the member name inside an object, NULL inside
 * an array or at the top.
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
/*
 * Strings are escaped as escape.h says; a member whose value is not valid
 * UTF-8 is followed by "<key>_b64" with its exact bytes, as in dump.
 */
void jw_string(struct json_writer *w, const char *key, const char *s);
void jw_string_len(struct json_writer *w, const char *key, const char *s, size_t len);

#endif /* ACCESSFS_JSON_WRITER_H */
