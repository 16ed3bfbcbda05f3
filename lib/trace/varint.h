/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * varint.h - unsigned LEB128 and zigzag, the integer coding of the trace.
 *
 * Inline because the writer's hot path and the reader's decode loop spend
 * most of their time here.  Decoding is bounds-checked and rejects encodings
 * longer than 10 bytes; it does not reject non-canonical (padded) ones,
 * which decode to the same value and do no harm.
 */
#ifndef ACCESSFS_VARINT_H
#define ACCESSFS_VARINT_H

#include <stdint.h>

#define VARINT_MAX_LEN 10	/* bytes for a 64-bit value */

/* Write v at p; returns the byte after it.  p needs VARINT_MAX_LEN bytes. */
static inline uint8_t *varint_put(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

/* Read one varint at *p (not past end) into *v; advances *p.  0 or -1. */
static inline int varint_get(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	const uint8_t *q = *p;
	uint64_t x = 0;
	unsigned int shift = 0;

	if (q < end && *q < 0x80) {	/* the common one-byte case */
		*v = *q;
		*p = q + 1;
		return 0;
	}
	while (q < end && shift < 64) {
		uint8_t b = *q++;

		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			*p = q;
			return 0;
		}
		shift += 7;
	}
	return -1;
}

/* Signed to unsigned so that small magnitudes of either sign stay short. */
static inline uint64_t zigzag_encode(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t zigzag_decode(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

#endif /* ACCESSFS_VARINT_H */
