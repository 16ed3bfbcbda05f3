/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_trace_codec.c - the event and META codec round-trips every field,
 * including 64-bit extremes, and rejects truncated input; the on-disk size
 * of realistic streams stays under 48 bytes per event.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "trace_encode.h"
#include "trace_test_util.h"

static void assert_events_equal(const struct trace_event *a, const struct trace_event *b)
{
	assert_int_equal(a->start_ns, b->start_ns);
	assert_int_equal(a->duration_ns, b->duration_ns);
	assert_int_equal(a->file_id, b->file_id);
	assert_int_equal(a->file_id2, b->file_id2);
	assert_int_equal(a->fh, b->fh);
	assert_int_equal(a->offset, b->offset);
	assert_int_equal(a->size, b->size);
	assert_int_equal(a->result, b->result);
	assert_int_equal(a->tid, b->tid);
	assert_int_equal(a->pid, b->pid);
	assert_int_equal(a->uid, b->uid);
	assert_int_equal(a->gid, b->gid);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->op, b->op);
	assert_int_equal(a->method, b->method);
	assert_int_equal(a->trigger, b->trigger);
	assert_int_equal(a->syscall, b->syscall);
	assert_int_equal(a->ahead_bytes, b->ahead_bytes);
	assert_int_equal(a->map_start, b->map_start);
	assert_int_equal(a->map_len, b->map_len);
	assert_int_equal(a->map_offset, b->map_offset);
	assert_int_equal(a->map_flags, b->map_flags);
	assert_int_equal(a->name_len, b->name_len);
	assert_int_equal(a->name2_len, b->name2_len);
	if (a->name_len)
		assert_memory_equal(a->name, b->name, a->name_len);
	if (a->name2_len)
		assert_memory_equal(a->name2, b->name2, a->name2_len);
}

static const struct trace_event extreme_events[] = {
	{ 0 },
	{ .start_ns = UINT64_MAX, .duration_ns = UINT64_MAX, .file_id = UINT64_MAX,
	  .file_id2 = 1, .fh = UINT64_MAX, .offset = UINT64_MAX, .size = UINT64_MAX,
	  .result = INT64_MIN, .tid = UINT32_MAX, .pid = UINT32_MAX, .uid = UINT32_MAX,
	  .gid = UINT32_MAX, .flags = UINT32_MAX, .op = 255, .method = 255, .trigger = 255,
	  .syscall = INT32_MIN, .ahead_bytes = UINT64_MAX - 1, .map_start = UINT64_MAX,
	  .map_len = UINT64_MAX, .map_offset = UINT64_MAX, .map_flags = UINT32_MAX,
	  .name = "a\nb\"c\\\xff\x01", .name_len = 9, .name2 = "", .name2_len = 0 },
	{ .start_ns = 1, .file_id = 0, .file_id2 = UINT64_MAX, .offset = 0, .size = 0,
	  .result = INT64_MAX, .syscall = INT32_MAX, .ahead_bytes = TRACE_AHEAD_UNKNOWN,
	  .op = TRACE_OP_RENAME, .name = "old", .name_len = 3, .name2 = "new\tname",
	  .name2_len = 8 },
	{ .start_ns = 5, .result = -28, .size = 4096, .offset = 8192, .syscall = TRACE_SYSCALL_NONE,
	  .op = TRACE_OP_WRITE, .method = TRACE_METHOD_WRITEBACK,
	  .trigger = TRACE_TRIGGER_FLUSHER, .flags = TRACE_WRITE_CACHE,
	  .map_start = 0x7f0000000000, .map_len = 1 << 20, .map_offset = 4096,
	  .map_flags = TRACE_MAP_SHARED | TRACE_MAP_PROT_WRITE, .ahead_bytes = TRACE_AHEAD_UNKNOWN },
};

static void every_field_round_trips_through_the_event_codec(void **state)
{
	size_t n = sizeof(extreme_events) / sizeof(extreme_events[0]);
	uint8_t *buf = malloc(n * (TRACE_EVENT_FIXED_MAX + 64)), *p = buf;
	struct trace_codec enc, dec;
	const uint8_t *q = buf;
	struct trace_event out;

	(void)state;
	trace_codec_reset(&enc);
	for (size_t i = 0; i < n; i++)
		p += trace_event_encode(&enc, &extreme_events[i], p);
	trace_codec_reset(&dec);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(trace_event_decode(&dec, &q, p, &out), 0);
		assert_events_equal(&extreme_events[i], &out);
	}
	assert_ptr_equal(q, p);
	free(buf);
}

static void truncated_event_is_rejected_at_every_length(void **state)
{
	uint8_t buf[TRACE_EVENT_FIXED_MAX + 64];
	struct trace_codec c;
	struct trace_event out;
	size_t len;

	(void)state;
	trace_codec_reset(&c);
	len = trace_event_encode(&c, &extreme_events[1], buf);
	for (size_t cut = 0; cut < len; cut++) {
		const uint8_t *q = buf;

		trace_codec_reset(&c);
		assert_int_equal(trace_event_decode(&c, &q, buf + cut, &out), -1);
	}
}

static void meta_records_round_trip(void **state)
{
	uint8_t buf[3 * TRACE_META_RECORD_MAX], *p = buf;
	struct trace_dentry d = { .time_ns = UINT64_MAX, .file_id = 77, .parent_id = 1,
				  .kind = 8, .name = "x\ny", .name_len = 3 }, d2;
	struct trace_proc pr = { .time_ns = 9, .tid = UINT32_MAX, .pid = 3, .comm = "dd",
				 .exe = "/usr/bin/dd" }, pr2;
	const uint8_t *q = buf;
	struct trace_meta_record rec;
	uint64_t v[3];
	size_t clen, elen;

	(void)state;
	p += trace_meta_encode_dentry(p, &d);
	p += trace_meta_encode_proc(p, &pr);
	p += trace_meta_encode_end(p, 1, UINT64_MAX, 5);
	assert_int_equal(trace_meta_next(&q, p, &rec), 0);
	assert_int_equal(rec.type, TRACE_META_DENTRY);
	assert_int_equal(trace_meta_decode_dentry(&rec, &d2), 0);
	assert_int_equal(d2.time_ns, d.time_ns);
	assert_int_equal(d2.file_id, 77);
	assert_int_equal(d2.parent_id, 1);
	assert_int_equal(d2.kind, 8);
	assert_int_equal(d2.name_len, 3);
	assert_memory_equal(d2.name, "x\ny", 3);
	assert_int_equal(trace_meta_next(&q, p, &rec), 0);
	assert_int_equal(rec.type, TRACE_META_PROC);
	assert_int_equal(trace_meta_decode_proc(&rec, &pr2, &clen, &elen), 0);
	assert_int_equal(pr2.tid, UINT32_MAX);
	assert_int_equal(pr2.pid, 3);
	assert_int_equal(clen, 2);
	assert_memory_equal(pr2.comm, "dd", 2);
	assert_int_equal(elen, 11);
	assert_int_equal(trace_meta_next(&q, p, &rec), 0);
	assert_int_equal(rec.type, TRACE_META_END);
	assert_int_equal(trace_meta_decode_numbers(&rec, v, 3), 0);
	assert_int_equal(v[1], UINT64_MAX);
	assert_int_equal(v[2], 5);
	assert_ptr_equal(q, p);
}

/* Average encoded bytes of n events from gen, in blocks of 10000 as the writer does. */
static double bytes_per_event(struct trace_event (*gen)(uint64_t i), uint64_t n)
{
	uint8_t buf[TRACE_EVENT_FIXED_MAX];
	struct trace_codec c;
	uint64_t total = 0;

	for (uint64_t i = 0; i < n; i++) {
		struct trace_event ev = gen(i);

		if (i % 10000 == 0) {
			trace_codec_reset(&c);
			total += sizeof(struct trace_block_header);
		}
		total += trace_event_encode(&c, &ev, buf);
	}
	return (double)total / (double)n;
}

static struct trace_event random_4k_event(uint64_t i)
{
	struct trace_event ev = read_event(i);
	uint64_t r = (i * 0x9e3779b97f4a7c15ull) >> 20;

	ev.offset = (r % 262144) * 4096;	/* anywhere in a 1 GiB file */
	ev.size = ev.result = 4096;
	ev.start_ns = 1000000000ull + i * 9000 + (r % 3000);
	ev.duration_ns = 8000 + r % 20000;
	ev.method = (r & 1) ? TRACE_METHOD_MMAP : TRACE_METHOD_READ;
	ev.syscall = (r & 1) ? TRACE_SYSCALL_FAULT : 17;
	if (r & 1) {
		ev.map_start = 0x7f1234500000ull;
		ev.map_len = 1ull << 30;
		ev.map_flags = TRACE_MAP_PROT_READ;
	}
	return ev;
}

static void realistic_streams_cost_at_most_48_bytes_per_event(void **state)
{
	double seq = bytes_per_event(read_event, 1000000);
	double rnd = bytes_per_event(random_4k_event, 1000000);

	(void)state;
	print_message("bytes/event: sequential 128k reads %.2f, random 4k reads/faults %.2f\n",
		      seq, rnd);
	assert_true(seq <= 48.0);
	assert_true(rnd <= 48.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_field_round_trips_through_the_event_codec),
		cmocka_unit_test(truncated_event_is_rejected_at_every_length),
		cmocka_unit_test(meta_records_round_trip),
		cmocka_unit_test(realistic_streams_cost_at_most_48_bytes_per_event),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
