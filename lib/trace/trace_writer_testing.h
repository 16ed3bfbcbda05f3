/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_writer_testing.h - hooks for tests only: make the writer's writes
 * fail on demand, to check loss accounting without filling a disk.
 */
#ifndef ACCESSFS_TRACE_WRITER_TESTING_H
#define ACCESSFS_TRACE_WRITER_TESTING_H

#include <sys/types.h>
#include "trace_writer.h"

/* Replace pwrite(2) for w's block writes (NULL restores it). */
void trace_writer_set_pwrite(struct trace_writer *w,
			     ssize_t (*fn)(int fd, const void *buf, size_t len, off_t off));

#endif /* ACCESSFS_TRACE_WRITER_TESTING_H */
