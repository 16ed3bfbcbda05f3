/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_hash_index.c - the read side's hash index (lib/base/hash_index.h):
 * finds what was added across growth, tells colliding keys apart by the
 * match function, and finds nothing in an empty index.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "hash_index.h"

static void an_empty_index_finds_nothing(void **state)
{
	struct hash_index h = { 0 };

	(void)state;
	assert_int_equal(hash_index_find(&h, hash_u64(7), NULL, NULL), HASH_INDEX_NONE);
	assert_false(hash_index_replace(&h, hash_u64(7), 1));
	hash_index_free(&h);
}

static void integer_keys_are_found_after_the_index_grew(void **state)
{
	struct hash_index h = { 0 };
	const uint32_t n = 100000;

	(void)state;
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(hash_index_add(&h, hash_u64((uint64_t)i * 4096), i), 0);
	assert_int_equal(h.count, n);
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(hash_index_find(&h, hash_u64((uint64_t)i * 4096), NULL, NULL), i);
	assert_int_equal(hash_index_find(&h, hash_u64(4096ull * n), NULL, NULL), HASH_INDEX_NONE);
	hash_index_free(&h);
}

static void replace_points_a_key_at_another_item(void **state)
{
	struct hash_index h = { 0 };

	(void)state;
	assert_int_equal(hash_index_add(&h, hash_u64(42), 3), 0);
	assert_true(hash_index_replace(&h, hash_u64(42), 9));
	assert_int_equal(hash_index_find(&h, hash_u64(42), NULL, NULL), 9);
	hash_index_free(&h);
}

static const char *const names[] = { "a", "b", "c" };

static bool name_is(const void *ctx, uint32_t item)
{
	return strcmp(names[item], ctx) == 0;
}

static void equal_hashes_are_told_apart_by_match(void **state)
{
	struct hash_index h = { 0 };

	(void)state;
	for (uint32_t i = 0; i < 3; i++)	/* all under one hash: worst case */
		assert_int_equal(hash_index_add(&h, 5, i), 0);
	assert_int_equal(hash_index_find(&h, 5, name_is, "c"), 2);
	assert_int_equal(hash_index_find(&h, 5, name_is, "a"), 0);
	assert_int_equal(hash_index_find(&h, 5, name_is, "z"), HASH_INDEX_NONE);
	hash_index_free(&h);
}

static void hash_bytes_is_fnv1a(void **state)
{
	(void)state;
	/* FNV-1a 64 of "a", the published test vector. */
	assert_true(hash_bytes(HASH_BYTES_INIT, "a", 1) == 0xaf63dc4c8601ec8cull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_empty_index_finds_nothing),
		cmocka_unit_test(integer_keys_are_found_after_the_index_grew),
		cmocka_unit_test(replace_points_a_key_at_another_item),
		cmocka_unit_test(equal_hashes_are_told_apart_by_match),
		cmocka_unit_test(hash_bytes_is_fnv1a),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
