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

static unsigned int digits32(uint32_t v)
{
	if (v < 10000)
		return v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : 4;
	if (v < E8)
		return v < 100000 ? 5 : v < 1000000 ? 6 : v < 10000000 ? 7 : 8;
	return v < 1000000000 ? 9 : 10;
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

char *outbuf_format_u64(char *p, uint64_t v)
{
	unsigned int n;

	if (v < E8) {
		n = digits32((uint32_t)v);
		put_digits32(p + n, (uint32_t)v, n);
		return p + n;
	}
	p = outbuf_format_u64(p, v / E8);
	put_digits32(p + 8, (uint32_t)(v % E8), 8);
	return p + 8;
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
	uint32_t scale = 1;
	char *p;

	for (unsigned int i = 0; i < decimals; i++)
		scale *= 10;
	if (!outbuf_reserve(o, 20 + 1 + decimals))
		return;
	p = outbuf_format_u64(o->buf + o->len, v / scale);
	if (decimals) {
		*p++ = '.';
		put_digits32(p + decimals, (uint32_t)(v % scale), decimals);
		p += decimals;
	}
	o->len = (size_t)(p - o->buf);
}
