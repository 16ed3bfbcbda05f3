/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * outbuf.c - the out-of-line part of outbuf.h: growth, writing, numbers.
 */
#include <stdlib.h>
#include "outbuf.h"

bool outbuf_grow(struct outbuf *o, size_t n)
{
	size_t cap = o->cap ? o->cap : OUTBUF_FLUSH_AT * 2;
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

void outbuf_u64(struct outbuf *o, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[sizeof(tmp) - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	outbuf_write(o, tmp + sizeof(tmp) - n, n);
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
	uint64_t scale = 1;
	char frac[20];

	for (unsigned int i = 0; i < decimals; i++)
		scale *= 10;
	outbuf_u64(o, v / scale);
	if (!decimals)
		return;
	v %= scale;
	for (unsigned int i = decimals; i > 0; i--) {
		frac[i - 1] = (char)('0' + v % 10);
		v /= 10;
	}
	outbuf_putc(o, '.');
	outbuf_write(o, frac, decimals);
}
