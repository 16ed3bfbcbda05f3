/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_trace_damage.c - damaged traces: a torn last block is a warning
 * with every complete block's events returned; a corrupt block in the
 * middle, a foreign file, a newer version and random bit flips are clear
 * errors, never a crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include "trace_reader_mem.h"
#include "trace_test_util.h"

#define HDR sizeof(struct trace_block_header)

static char path[256];
static uint8_t *image;		/* the whole file */
static size_t image_len;
static size_t block_off[64];	/* offset of each block */
static size_t nblocks;

static void append_block_of(struct trace_writer *w, uint64_t first, uint64_t n)
{
	for (uint64_t i = first; i < first + n; i++) {
		struct trace_event ev = read_event(i);

		trace_writer_append(w, &ev);
	}
	trace_writer_flush(w);
}

/* A trace of EVENTS blocks of 100, 200, 300 events, then the END block. */
static int setup(void **state)
{
	struct trace_writer *w;
	struct trace_file_header fh;
	FILE *f;
	size_t off;

	(void)state;
	temp_trace_path(path, sizeof(path));
	w = open_test_writer(path);
	append_block_of(w, 0, 100);
	append_block_of(w, 100, 200);
	append_block_of(w, 300, 300);
	trace_writer_close(w, NULL);
	f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	image_len = (size_t)ftell(f);
	rewind(f);
	image = malloc(image_len);
	if (fread(image, 1, image_len, f) != image_len)
		return -1;
	fclose(f);
	memcpy(&fh, image, sizeof(fh));
	nblocks = 0;
	for (off = sizeof(fh) + fh.header_len; off < image_len;) {
		struct trace_block_header h;

		memcpy(&h, image + off, HDR);
		block_off[nblocks++] = off;
		off += HDR + h.payload_len;
	}
	return nblocks == 4 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(image);
	remove_temp_trace(path);
	return 0;
}

struct outcome {
	int open_ok, rc;
	uint64_t events;
	char msg[512];
};

static struct outcome read_image(const uint8_t *data, size_t len)
{
	char err[256];
	struct trace_reader *r = trace_reader_open_mem(data, len, "t", err, sizeof(err));
	struct outcome o = { 0 };
	struct trace_event ev;

	if (!r) {
		snprintf(o.msg, sizeof(o.msg), "%s", err);
		return o;
	}
	o.open_ok = 1;
	while ((o.rc = trace_reader_next(r, &ev)) == 1) {
		size_t plen;

		o.events++;
		trace_reader_path(r, ev.file_id, ev.start_ns, &plen);
		trace_reader_proc(r, ev.tid);
	}
	if (trace_reader_error(r))
		snprintf(o.msg, sizeof(o.msg), "%s", trace_reader_error(r));
	else if (trace_reader_warning(r))
		snprintf(o.msg, sizeof(o.msg), "%s", trace_reader_warning(r));
	trace_reader_close(r);
	return o;
}

static void torn_last_block_is_a_warning_keeping_complete_blocks(void **state)
{
	/* Cut the file inside the last events block (block 2) and the END block. */
	size_t cuts[] = { block_off[2] + 1, block_off[2] + HDR - 1, block_off[2] + HDR,
			  block_off[2] + HDR + 7, block_off[3] - 1, block_off[3] + 3 };

	(void)state;
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		struct outcome o = read_image(image, cuts[i]);
		uint64_t want = cuts[i] > block_off[3] ? 600 : 300;

		assert_true(o.open_ok);
		assert_int_equal(o.rc, 0);
		assert_int_equal(o.events, want);
		assert_non_null(strstr(o.msg, "last block incomplete"));
	}
}

static void trace_cut_at_a_block_boundary_warns_of_a_missing_end(void **state)
{
	struct outcome o = read_image(image, block_off[3]);

	(void)state;
	assert_int_equal(o.rc, 0);
	assert_int_equal(o.events, 600);
	assert_non_null(strstr(o.msg, "no end record"));
}

static void corrupt_middle_block_is_an_error_after_the_events_before_it(void **state)
{
	uint8_t *copy = malloc(image_len);
	struct outcome o;

	(void)state;
	memcpy(copy, image, image_len);
	copy[block_off[1] + HDR + 5] ^= 0x10;
	o = read_image(copy, image_len);
	assert_int_equal(o.rc, -1);
	assert_int_equal(o.events, 100);
	assert_non_null(strstr(o.msg, "is corrupt"));
	free(copy);
}

static void foreign_file_is_not_a_trace(void **state)
{
	struct outcome o = read_image((const uint8_t *)"#!/bin/sh\necho hello\n", 21);
	struct outcome empty = read_image((const uint8_t *)"", 0);

	(void)state;
	assert_false(o.open_ok);
	assert_string_equal(o.msg, "t: not an accessfs trace");
	assert_false(empty.open_ok);
	assert_string_equal(empty.msg, "t: not an accessfs trace");
}

static void newer_version_is_refused_with_both_versions(void **state)
{
	uint8_t *copy = malloc(image_len);
	uint32_t v = TRACE_VERSION + 1;
	char want[128];
	struct outcome o;

	(void)state;
	memcpy(copy, image, image_len);
	memcpy(copy + 8, &v, 4);
	o = read_image(copy, image_len);
	snprintf(want, sizeof(want), "t: trace version %u is newer than this accessfs reads (max %u)",
		 v, TRACE_VERSION);
	assert_false(o.open_ok);
	assert_string_equal(o.msg, want);
	free(copy);
}

static void huge_lengths_are_refused_without_allocating(void **state)
{
	uint8_t *copy = malloc(image_len);
	uint32_t huge = UINT32_MAX;
	struct outcome o;

	(void)state;
	memcpy(copy, image, image_len);
	memcpy(copy + 12, &huge, 4);		/* header_len */
	o = read_image(copy, image_len);
	assert_false(o.open_ok);
	assert_string_equal(o.msg, "t: corrupt trace header");

	memcpy(copy, image, image_len);
	memcpy(copy + block_off[1] + 8, &huge, 4);	/* a block's payload_len */
	o = read_image(copy, image_len);
	assert_int_equal(o.rc, -1);
	assert_int_equal(o.events, 100);
	free(copy);
}

static void every_single_bit_flip_is_survived(void **state)
{
	uint8_t *copy = malloc(image_len);
	uint64_t errors = 0;

	(void)state;
	/* Flip each bit of everything but the big payloads' middles: no crash. */
	for (size_t i = 0; i < image_len; i++) {
		if (i > block_off[2] + HDR + 64 && i < block_off[3] - 64)
			continue;
		for (int bit = 0; bit < 8; bit++) {
			struct outcome o;

			memcpy(copy, image, image_len);
			copy[i] ^= (uint8_t)(1u << bit);
			o = read_image(copy, image_len);
			errors += !o.open_ok || o.rc < 0 || o.msg[0];
			assert_true(o.events <= 600);
		}
	}
	assert_true(errors > 0);
	free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(torn_last_block_is_a_warning_keeping_complete_blocks),
		cmocka_unit_test(trace_cut_at_a_block_boundary_warns_of_a_missing_end),
		cmocka_unit_test(corrupt_middle_block_is_an_error_after_the_events_before_it),
		cmocka_unit_test(foreign_file_is_not_a_trace),
		cmocka_unit_test(newer_version_is_refused_with_both_versions),
		cmocka_unit_test(huge_lengths_are_refused_without_allocating),
		cmocka_unit_test(every_single_bit_flip_is_survived),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
