/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_reader_mem.h - open a trace that is already in memory (the fuzz
 * target; tools that receive a trace over a pipe).
 */
#ifndef ACCESSFS_TRACE_READER_MEM_H
#define ACCESSFS_TRACE_READER_MEM_H

#include "trace_reader.h"

/* Like trace_reader_open(); data must stay valid until the reader is closed. */
struct trace_reader *trace_reader_open_mem(const void *data, size_t size, const char *name,
					   char *err, size_t errlen);

#endif /* ACCESSFS_TRACE_READER_MEM_H */
