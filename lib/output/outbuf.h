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

/*
 * Writing through a cursor: reserve room for a whole record once, write at
 * outbuf_cursor() with the outbuf_format_*() functions below, then
 * outbuf_commit() the end.  Hot writers (a dump's events) do this because
 * every store through the buffer may alias o->len, so writers that update
 * o after each field make the compiler reload it after every byte.
 */
static inline char *outbuf_cursor(struct outbuf *o)
{
	return o->buf + o->len;
}

static inline void outbuf_commit(struct outbuf *o, char *end)
{
	o->len = (size_t)(end - o->buf);
}

/*
 * Numbers are most of what a dump writes, so they are formatted inline:
 * the digit count from the bit length, then digits two at a time from a
 * table, in 32-bit arithmetic while the value fits.
 */
extern const char outbuf_digit_pairs[200];
extern const uint64_t outbuf_pow10[20];

static inline unsigned int outbuf_digits_u64(uint64_t v)
{
	/* log10(2) ~ 1233 / 4096; v | 1 keeps 0 one digit and crosses no power of ten. */
	uint64_t w = v | 1;
	unsigned int t = (unsigned int)((64 - __builtin_clzll(w)) * 1233) >> 12;

	return t + 1 - (w < outbuf_pow10[t]);
}

/* The n lowest decimal digits of v, zero-padded, ending just before end. */
static inline void outbuf_format_digits(char *end, uint64_t v, unsigned int n)
{
	uint32_t w;

	for (; n >= 2 && v > UINT32_MAX; n -= 2) {
		end -= 2;
		memcpy(end, outbuf_digit_pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	for (w = (uint32_t)v; n >= 2; n -= 2) {
		end -= 2;
		memcpy(end, outbuf_digit_pairs + 2 * (w % 100), 2);
		w /= 100;
	}
	if (n)
		end[-1] = (char)('0' + w % 10);
}

/* v in decimal at p, which has OUTBUF_U64_MAX bytes of room; returns the end. */
#define OUTBUF_U64_MAX 20
static inline char *outbuf_format_u64(char *p, uint64_t v)
{
	unsigned int n = outbuf_digits_u64(v);

	outbuf_format_digits(p + n, v, n);
	return p + n;
}

/* The same with a '-' for negative values: OUTBUF_U64_MAX + 1 bytes. */
static inline char *outbuf_format_i64(char *p, int64_t v)
{
	if (v >= 0)
		return outbuf_format_u64(p, (uint64_t)v);
	*p = '-';
	return outbuf_format_u64(p + 1, -(uint64_t)v);
}

/*
 * v / 10^decimals with exactly that many (at most 9) decimals
 * ("1.500000000"): OUTBUF_U64_MAX + 1 + decimals bytes.
 */
static inline char *outbuf_format_fixed(char *p, uint64_t v, unsigned int decimals)
{
	uint64_t scale;

	if (decimals > 9)
		decimals = 9;
	scale = outbuf_pow10[decimals];
	p = outbuf_format_u64(p, v / scale);
	if (!decimals)
		return p;
	*p++ = '.';
	outbuf_format_digits(p + decimals, v % scale, decimals);
	return p + decimals;
}

void outbuf_u64(struct outbuf *o, uint64_t v);
void outbuf_i64(struct outbuf *o, int64_t v);
void outbuf_fixed(struct outbuf *o, uint64_t v, unsigned int decimals);

/* Done with a record: write out if the buffer is large. */
static inline void outbuf_end_record(struct outbuf *o)
{
	if (o->out && o->len >= OUTBUF_FLUSH_AT)
		outbuf_flush(o);
}

#endif /* ACCESSFS_OUTBUF_H */
