/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_test_util.h - what the trace tests share: a temporary trace path,
 * a realistic event, and reading a whole trace back.
 */
#ifndef ACCESSFS_TRACE_TEST_UTIL_H
#define ACCESSFS_TRACE_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "trace_reader.h"
#include "trace_writer.h"

/* A fresh path in a fresh temporary directory (path itself does not exist). */
static inline void temp_trace_path(char *buf, size_t len)
{
	char dir[] = "/tmp/accessfs-unit.XXXXXX";

	if (!mkdtemp(dir))
		abort();
	snprintf(buf, len, "%s/trace", dir);
}

static inline void remove_temp_trace(const char *path)
{
	char dir[4096];

	unlink(path);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	rmdir(dir);
}

static inline struct trace_writer *open_test_writer(const char *path)
{
	static const struct trace_header_field fields[] = {
		{ TRACE_HDR_host, "unit-test" },
		{ TRACE_HDR_page_size, "4096" },
	};
	char err[256];
	struct trace_writer *w = trace_writer_open(path, fields, 2, false, err, sizeof(err));

	if (!w)
		fprintf(stderr, "%s\n", err);
	return w;
}

/* A READ by a read() syscall, sequential within a file. */
static inline struct trace_event read_event(uint64_t i)
{
	struct trace_event ev = {
		.start_ns = 1000000000ull + i * 20000,
		.duration_ns = 15000 + (i % 7) * 100,
		.file_id = 1000 + i / 1024,
		.fh = 7,
		.offset = (i % 1024) * 131072,
		.size = 131072,
		.result = 131072,
		.tid = 4242,
		.pid = 4242,
		.uid = 1000,
		.gid = 1000,
		.op = TRACE_OP_READ,
		.method = TRACE_METHOD_READ,
		.syscall = 0,
		.ahead_bytes = 0,
	};
	return ev;
}

#endif /* ACCESSFS_TRACE_TEST_UTIL_H */
