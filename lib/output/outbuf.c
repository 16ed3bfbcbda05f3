/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * outbuf.c - the out-of-line part of outbuf.h: growth, writing, numbers.
 */
#include <stdlib.h>
#include "outbuf.h"

bool outbuf_grow(struct outbuf *o, size_t n)
{
	size_t cap = o->cap ? o->cap : 64;
	char *p;

	while (cap < o->len + n)
		cap *= 2;
	p = realloc(o->buf, cap);
	if (!p) {
		o->failed = true;
		return false;
	}
	o->buf = p;
	o->cap = cap;
	return true;
}

void outbuf_flush(struct outbuf *o)
{
	if (!o->out || !o->len)
		return;
	if (fwrite(o->buf, 1, o->len, o->out) != o->len)
		o->failed = true;
	o->len = 0;
}

void outbuf_free(struct outbuf *o)
{
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}

/*
 * Numbers are most of what a dump writes.  Digits go two at a time from a
 * table, and a 64-bit value is cut into 8-digit pieces that 32-bit
 * arithmetic formats: several times fewer instructions than a division
 * per digit.
 */
static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

#define E8 100000000u

static const uint32_t pow10_32[10] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
};

static unsigned int digits32(uint32_t v)
{
	if (v < 10000)
		return v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : 4;
	if (v < E8)
		return v < 100000 ? 5 : v < 1000000 ? 6 : v < 10000000 ? 7 : 8;
	return v < 1000000000 ? 9 : 10;
}

/* The four digits of v < 10000 at p, zero-padded. */
static inline void put4(char *p, uint32_t v)
{
	memcpy(p, digit_pairs + 2 * (v / 100), 2);
	memcpy(p + 2, digit_pairs + 2 * (v % 100), 2);
}

/* The eight digits of v < 10^8 at p, zero-padded: two independent halves. */
static inline void put8(char *p, uint32_t v)
{
	put4(p, v / 10000);
	put4(p + 4, v % 10000);
}

/* The n lowest decimal digits of v, zero-padded, ending just before end. */
static void put_digits32(char *end, uint32_t v, unsigned int n)
{
	for (; n >= 2; n -= 2) {
		end -= 2;
		memcpy(end, digit_pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (n)
		end[-1] = (char)('0' + v % 10);
}

/* v without leading zeros at p; returns the end. */
static inline char *put_u32(char *p, uint32_t v)
{
	char *end = p + digits32(v), *q = end;

	while (v >= 100) {
		q -= 2;
		memcpy(q, digit_pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10)
		memcpy(q - 2, digit_pairs + 2 * v, 2);
	else
		q[-1] = (char)('0' + v);
	return end;
}

char *outbuf_format_u64(char *p, uint64_t v)
{
	const uint64_t e16 = (uint64_t)E8 * E8;

	if (v < E8)
		return put_u32(p, (uint32_t)v);
	if (v < e16) {
		p = put_u32(p, (uint32_t)(v / E8));
		put8(p, (uint32_t)(v % E8));
		return p + 8;
	}
	p = put_u32(p, (uint32_t)(v / e16));	/* at most 1844 */
	v %= e16;
	put8(p, (uint32_t)(v / E8));
	put8(p + 8, (uint32_t)(v % E8));
	return p + 16;
}

void outbuf_u64(struct outbuf *o, uint64_t v)
{
	if (outbuf_reserve(o, 20))
		o->len = (size_t)(outbuf_format_u64(o->buf + o->len, v) - o->buf);
}

void outbuf_i64(struct outbuf *o, int64_t v)
{
	if (v < 0) {
		outbuf_putc(o, '-');
		outbuf_u64(o, -(uint64_t)v);
	} else {
		outbuf_u64(o, (uint64_t)v);
	}
}

void outbuf_fixed(struct outbuf *o, uint64_t v, unsigned int decimals)
{
	uint32_t scale;
	char *p;

	if (decimals > 9)
		decimals = 9;
	scale = pow10_32[decimals];
	if (!outbuf_reserve(o, 20 + 1 + decimals))
		return;
	p = outbuf_format_u64(o->buf + o->len, v / scale);
	if (decimals) {
		uint32_t frac = (uint32_t)(v % scale);

		*p++ = '.';
		if (decimals == 9) {		/* nanoseconds: what dumps write */
			*p = (char)('0' + frac / E8);
			put8(p + 1, frac % E8);
		} else {
			put_digits32(p + decimals, frac, decimals);
		}
		p += decimals;
	}
	o->len = (size_t)(p - o->buf);
}
