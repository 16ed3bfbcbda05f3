/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * outbuf.h - a growable output buffer that is written to a FILE in large
 * pieces, with the number formatting the exporters need.
 *
 * Exists because printf per field is the slowest part of dumping a large
 * trace; this is not a general string library.
 */
#ifndef ACCESSFS_OUTBUF_H
#define ACCESSFS_OUTBUF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define OUTBUF_FLUSH_AT (1u << 16)

struct outbuf {
	char *buf;
	size_t len, cap;
	FILE *out;		/* NULL: only collect (tests, the Perfetto sort) */
	bool failed;		/* a write or allocation failed */
};

bool outbuf_grow(struct outbuf *o, size_t n);

/* Make room for n more bytes; false (and failed set) if out of memory. */
static inline bool outbuf_reserve(struct outbuf *o, size_t n)
{
	return o->len + n <= o->cap || outbuf_grow(o, n);
}
/* Write what is buffered to o->out (no-op without one). */
void outbuf_flush(struct outbuf *o);
void outbuf_free(struct outbuf *o);

static inline void outbuf_write(struct outbuf *o, const void *s, size_t n)
{
	if (!n || !outbuf_reserve(o, n))
		return;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static inline void outbuf_puts(struct outbuf *o, const char *s)
{
	outbuf_write(o, s, strlen(s));
}

static inline void outbuf_putc(struct outbuf *o, char c)
{
	if (outbuf_reserve(o, 1))
		o->buf[o->len++] = c;
}

/* v in decimal at p, which has OUTBUF_U64_MAX bytes of room; returns the end. */
#define OUTBUF_U64_MAX 20
char *outbuf_format_u64(char *p, uint64_t v);
void outbuf_u64(struct outbuf *o, uint64_t v);
void outbuf_i64(struct outbuf *o, int64_t v);
/* v / 10^decimals with exactly that many (at most 9) decimals ("1.500000000"). */
void outbuf_fixed(struct outbuf *o, uint64_t v, unsigned int decimals);

/* Done with a record: write out if the buffer is large. */
static inline void outbuf_end_record(struct outbuf *o)
{
	if (o->out && o->len >= OUTBUF_FLUSH_AT)
		outbuf_flush(o);
}

#endif /* ACCESSFS_OUTBUF_H */
