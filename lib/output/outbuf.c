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

const char outbuf_digit_pairs[200] = {
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899"
};

const uint64_t outbuf_pow10[20] = {
	1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
	100000000ull, 1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull,
	10000000000000ull, 100000000000000ull, 1000000000000000ull, 10000000000000000ull,
	100000000000000000ull, 1000000000000000000ull, 10000000000000000000ull,
};

void outbuf_u64(struct outbuf *o, uint64_t v)
{
	if (outbuf_reserve(o, OUTBUF_U64_MAX))
		outbuf_commit(o, outbuf_format_u64(outbuf_cursor(o), v));
}

void outbuf_i64(struct outbuf *o, int64_t v)
{
	if (outbuf_reserve(o, OUTBUF_U64_MAX + 1))
		outbuf_commit(o, outbuf_format_i64(outbuf_cursor(o), v));
}

void outbuf_fixed(struct outbuf *o, uint64_t v, unsigned int decimals)
{
	if (outbuf_reserve(o, OUTBUF_U64_MAX + 1 + 9))
		outbuf_commit(o, outbuf_format_fixed(outbuf_cursor(o), v, decimals));
}
