/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * io_tally.c - counts for the live views.  Only data requests count:
 * metadata requests would drown the figures a live view is for.  Bytes
 * are what the request moved (its result), not what was asked for.
 */
#include <stdlib.h>
#include <string.h>
#include "io_tally.h"

static const char *const headings[] = {
#define X(e, heading) [IO_##e] = heading,
	IO_COLUMNS(X)
#undef X
};

const char *io_column_heading(enum io_column c)
{
	return headings[c];
}

/*
 * A method's column, from trace_format.h's table ("live"); a request whose
 * direction is not its method's (a READ labelled write, with the writeback
 * cache) counts as that direction's other.
 */
enum io_live { IO_LIVE_OTHER, IO_LIVE_READ_SYSCALL, IO_LIVE_READ_MMAP,
	       IO_LIVE_WRITE_SYSCALL, IO_LIVE_WRITE_BACK };

static const unsigned char method_live[TRACE_METHOD_COUNT] = {
#define X(e, id, name, desc, colour, phrase, live) [TRACE_METHOD_##e] = IO_LIVE_##live,
	TRACE_METHODS(X)
#undef X
};

static enum io_live live_of(unsigned int method)
{
	return method < TRACE_METHOD_COUNT ? method_live[method] : IO_LIVE_OTHER;
}

static enum io_column read_column(unsigned int method)
{
	switch (live_of(method)) {
	case IO_LIVE_READ_SYSCALL:
		return IO_READ_SYSCALL;
	case IO_LIVE_READ_MMAP:
		return IO_READ_MMAP;
	default:
		return IO_READ_OTHER;
	}
}

static enum io_column write_column(unsigned int method)
{
	switch (live_of(method)) {
	case IO_LIVE_WRITE_SYSCALL:
		return IO_WRITE_SYSCALL;
	case IO_LIVE_WRITE_BACK:
		return IO_WRITE_BACK;
	default:
		return IO_WRITE_OTHER;
	}
}

int io_tally_add(struct io_tally *t, const struct trace_event *ev)
{
	uint64_t bytes = ev->result > 0 ? (uint64_t)ev->result : 0;

	if (ev->op >= TRACE_OP_COUNT || !trace_op_is_data(ev->op))
		return 0;
	t->requests++;
	if (ev->op == TRACE_OP_READ) {
		t->reads++;
		t->bytes[read_column(ev->method)] += bytes;
	} else if (ev->op == TRACE_OP_WRITE) {
		t->writes++;
		t->bytes[write_column(ev->method)] += bytes;
	} else if (ev->op == TRACE_OP_COPY_FILE_RANGE) {
		t->bytes[IO_READ_OTHER] += bytes;
	}
	return 1;
}

void io_tally_sum(struct io_tally *total, const struct io_tally *delta)
{
	total->requests += delta->requests;
	total->reads += delta->reads;
	total->writes += delta->writes;
	for (int c = 0; c < IO_NCOLUMNS; c++)
		total->bytes[c] += delta->bytes[c];
}

uint64_t io_tally_read_bytes(const struct io_tally *t)
{
	return t->bytes[IO_READ_SYSCALL] + t->bytes[IO_READ_MMAP] + t->bytes[IO_READ_OTHER];
}

uint64_t io_tally_write_bytes(const struct io_tally *t)
{
	return t->bytes[IO_WRITE_SYSCALL] + t->bytes[IO_WRITE_BACK] + t->bytes[IO_WRITE_OTHER];
}

struct io_tally_entry *io_tally_map_get(struct io_tally_map *m, uint64_t key)
{
	uint64_t h = hash_u64(key);	/* a bijection: no key compare needed */
	uint32_t i = hash_index_find(&m->index, h, NULL, NULL);

	if (i != HASH_INDEX_NONE)
		return &m->entries[i];
	if (m->count == m->capacity) {
		size_t cap = m->capacity ? m->capacity * 2 : 64;
		struct io_tally_entry *e = realloc(m->entries, cap * sizeof(*e));

		if (!e)
			return NULL;
		m->entries = e;
		m->capacity = cap;
	}
	if (hash_index_add(&m->index, h, (uint32_t)m->count) < 0)
		return NULL;
	memset(&m->entries[m->count], 0, sizeof(m->entries[0]));
	m->entries[m->count].key = key;
	return &m->entries[m->count++];
}

static uint64_t entry_bytes(const struct io_tally_entry *e)
{
	return io_tally_read_bytes(&e->tally) + io_tally_write_bytes(&e->tally);
}

static int by_bytes_desc(const void *a, const void *b)
{
	uint64_t x = entry_bytes(*(struct io_tally_entry *const *)a);
	uint64_t y = entry_bytes(*(struct io_tally_entry *const *)b);

	return x < y ? 1 : x > y ? -1 : 0;
}

struct io_tally_entry **io_tally_map_sorted(const struct io_tally_map *m, size_t *n)
{
	struct io_tally_entry **v = calloc(m->count + 1, sizeof(*v));

	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < m->count; i++)
		if (m->entries[i].tally.requests)
			v[(*n)++] = &m->entries[i];
	qsort(v, *n, sizeof(*v), by_bytes_desc);
	return v;
}

void io_tally_map_clear(struct io_tally_map *m)
{
	for (size_t i = 0; i < m->count; i++)
		memset(&m->entries[i].tally, 0, sizeof(m->entries[i].tally));
}

void io_tally_map_free(struct io_tally_map *m)
{
	free(m->entries);
	hash_index_free(&m->index);
	memset(m, 0, sizeof(*m));
}
