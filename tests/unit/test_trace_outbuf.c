/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_trace_outbuf.c - the exporters' number formatting writes exactly
 * what printf would, at every digit count and at the edges of 64 bits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <inttypes.h>
#include <stdio.h>
#include "outbuf.h"

/* Every power of ten, one less and one more, and the 64-bit edges. */
static size_t interesting_values(uint64_t *v)
{
	size_t n = 0;
	uint64_t p = 1;

	for (int i = 0; i < 20; i++, p *= 10) {
		v[n++] = p;
		v[n++] = p - 1;
		v[n++] = p + 1;
	}
	v[n++] = UINT64_MAX;
	v[n++] = UINT64_MAX / 2;
	v[n++] = 1234567890123456789ull;
	return n;
}

static void assert_written(struct outbuf *o, const char *want)
{
	assert_int_equal(o->len, strlen(want));
	assert_memory_equal(o->buf, want, o->len);
	o->len = 0;
}

static void u64_and_i64_match_printf(void **state)
{
	uint64_t v[64];
	size_t n = interesting_values(v);
	struct outbuf o = { 0 };
	char want[64];

	(void)state;
	for (size_t i = 0; i < n; i++) {
		outbuf_u64(&o, v[i]);
		snprintf(want, sizeof(want), "%" PRIu64, v[i]);
		assert_written(&o, want);
		outbuf_i64(&o, (int64_t)v[i]);
		snprintf(want, sizeof(want), "%" PRId64, (int64_t)v[i]);
		assert_written(&o, want);
	}
	outbuf_i64(&o, INT64_MIN);
	snprintf(want, sizeof(want), "%" PRId64, INT64_MIN);
	assert_written(&o, want);
	outbuf_free(&o);
}

static void fixed_has_exactly_the_decimals_asked(void **state)
{
	uint64_t v[64];
	size_t n = interesting_values(v);
	struct outbuf o = { 0 };
	char want[64];

	(void)state;
	for (size_t i = 0; i < n; i++) {
		outbuf_fixed(&o, v[i], 9);
		snprintf(want, sizeof(want), "%" PRIu64 ".%09" PRIu64, v[i] / 1000000000u,
			 v[i] % 1000000000u);
		assert_written(&o, want);
		outbuf_fixed(&o, v[i], 3);
		snprintf(want, sizeof(want), "%" PRIu64 ".%03" PRIu64, v[i] / 1000, v[i] % 1000);
		assert_written(&o, want);
		outbuf_fixed(&o, v[i], 0);
		snprintf(want, sizeof(want), "%" PRIu64, v[i]);
		assert_written(&o, want);
	}
	outbuf_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(u64_and_i64_match_printf),
		cmocka_unit_test(fixed_has_exactly_the_decimals_asked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
