/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * io_tally.h - running counts of data requests for the live views (run's
 * status line, top): requests, and bytes by direction and access method,
 * grouped into the few columns a terminal has room for.  Also a small map
 * from a key (file id, pid) to a tally, for top's per-file/per-process rows.
 */
#ifndef ACCESSFS_IO_TALLY_H
#define ACCESSFS_IO_TALLY_H

#include <stddef.h>
#include <stdint.h>
#include "hash_index.h"
#include "trace_format.h"

/* X(enum-suffix, column heading) */
#define IO_COLUMNS(X)			\
	X(READ_SYSCALL, "rd-read")	\
	X(READ_MMAP, "rd-mmap")		\
	X(READ_OTHER, "rd-other")	\
	X(WRITE_SYSCALL, "wr-write")	\
	X(WRITE_BACK, "wr-wback")	\
	X(WRITE_OTHER, "wr-other")

enum io_column {
#define X(e, heading) IO_##e,
	IO_COLUMNS(X)
#undef X
	IO_NCOLUMNS
};

struct io_tally {
	uint64_t requests;	/* data requests (READ, WRITE, COPY_FILE_RANGE...) */
	uint64_t reads, writes;
	uint64_t bytes[IO_NCOLUMNS];
};

const char *io_column_heading(enum io_column c);

/* Count ev if it moves data; returns 1 if it did, 0 if it was not counted. */
int io_tally_add(struct io_tally *t, const struct trace_event *ev);

/* total += delta, column by column. */
void io_tally_sum(struct io_tally *total, const struct io_tally *delta);

uint64_t io_tally_read_bytes(const struct io_tally *t);
uint64_t io_tally_write_bytes(const struct io_tally *t);

struct io_tally_entry {
	uint64_t key;
	char label[64];		/* what to print for the key; set by the user */
	struct io_tally tally;
};

struct io_tally_map {
	struct io_tally_entry *entries;	/* in order of first sight */
	size_t count, capacity;
	struct hash_index index;	/* key -> position in entries */
};

/* The entry for key (created zeroed, label empty), or NULL out of memory;
 * valid until the next get on the same map. */
struct io_tally_entry *io_tally_map_get(struct io_tally_map *m, uint64_t key);
/* Entries with requests, largest bytes first, in a new array of *n (free it). */
struct io_tally_entry **io_tally_map_sorted(const struct io_tally_map *m, size_t *n);
void io_tally_map_clear(struct io_tally_map *m);	/* forget every count */
void io_tally_map_free(struct io_tally_map *m);

#endif /* ACCESSFS_IO_TALLY_H */
