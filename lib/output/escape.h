/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * escape.h - names (paths, comm, xattr names) into JSON and CSV without
 * losing a byte.
 *
 * A name is any byte string.  JSON: valid UTF-8 passes through with \" \\
 * and control characters escaped; a string that is not valid UTF-8 is
 * written best-effort (each invalid byte as \u00XX, which is ambiguous)
 * and the caller adds a "<key>_b64" field with the exact bytes (json_name()
 * in json_writer.h, the one JSON emitter, does).  CSV
 * (RFC 4180): bytes as they are, quoted when they hold a comma, a quote,
 * CR or LF, quotes doubled: CSV is bytes, so this is lossless.
 */
#ifndef ACCESSFS_ESCAPE_H
#define ACCESSFS_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include "outbuf.h"

/* True if s[0..len) is valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
bool utf8_valid(const char *s, size_t len);

/* Write s as a quoted JSON string; returns utf8_valid(s, len). */
bool json_write_string(struct outbuf *o, const char *s, size_t len);
/* The same at a cursor (outbuf.h) with JSON_STRING_MAX(len) bytes of room; returns the end. */
#define JSON_STRING_MAX(len) (6 * (size_t)(len) + 2)
char *json_put_string(char *p, const char *s, size_t len, bool *valid);

/* Write the standard base64 (RFC 4648, padded) of s, without quotes. */
void base64_write(struct outbuf *o, const void *s, size_t len);
/* The same at a cursor with BASE64_LEN(len) bytes of room. */
#define BASE64_LEN(len) (((size_t)(len) + 2) / 3 * 4)
char *base64_put(char *p, const void *s, size_t len);

/* Write s as one CSV field, quoted only when it must be. */
void csv_write_field(struct outbuf *o, const char *s, size_t len);

#endif /* ACCESSFS_ESCAPE_H */
