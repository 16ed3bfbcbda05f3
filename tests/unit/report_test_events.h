/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_test_events.h - hand-built events for the report's unit tests:
 * one call per request, naming only what the test is about.
 */
#ifndef ACCESSFS_REPORT_TEST_EVENTS_H
#define ACCESSFS_REPORT_TEST_EVENTS_H

#include <string.h>
#include "trace_format.h"

static inline struct trace_event test_io(unsigned int op, unsigned int method, uint64_t offset,
					 uint64_t size)
{
	struct trace_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.op = (uint8_t)op;
	ev.method = (uint8_t)method;
	ev.offset = offset;
	ev.size = size;
	ev.result = (int64_t)size;
	ev.duration_ns = 1000;
	ev.ahead_bytes = TRACE_AHEAD_UNKNOWN;
	ev.pid = 100;
	ev.tid = 100;
	ev.file_id = 7;
	return ev;
}

static inline struct trace_event test_read(uint64_t offset, uint64_t size)
{
	return test_io(TRACE_OP_READ, TRACE_METHOD_READ, offset, size);
}

static inline struct trace_event test_op(unsigned int op)
{
	return test_io(op, TRACE_METHOD_NONE, 0, 0);
}

#endif /* ACCESSFS_REPORT_TEST_EVENTS_H */
