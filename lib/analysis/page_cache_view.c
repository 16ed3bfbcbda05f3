/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_cache_view.c - the app-side view per file and method (see
 * page_cache_view.h).
 */
#include <stdlib.h>
#include <string.h>
#include "page_cache_view.h"

void page_cache_view_init(struct page_cache_view *v)
{
	memset(v, 0, sizeof(*v));
	v->page_size = 4096;
}

void page_cache_view_free(struct page_cache_view *v)
{
	for (size_t i = 0; i < v->nrows; i++) {
		free(v->rows[i].path);
		free(v->rows[i].procs);
	}
	free(v->rows);
	hash_index_free(&v->index);
	page_cache_view_init(v);
}

void page_cache_view_trace(struct page_cache_view *v, uint32_t page_size)
{
	v->available = true;
	if (page_size)
		v->page_size = page_size;
}

struct row_key {
	const struct page_cache_view *v;
	const char *path;
	size_t path_len;
	unsigned int method;
};

static uint64_t row_hash(const char *path, size_t len, unsigned int method)
{
	return hash_bytes(hash_bytes(HASH_BYTES_INIT, path, len), &method, sizeof(method));
}

static bool same_row(const void *ctx, uint32_t item)
{
	const struct row_key *k = ctx;
	const struct pcv_row *r = &k->v->rows[item];

	return r->method == k->method && r->path_len == k->path_len &&
	       !memcmp(r->path, k->path, k->path_len);
}

static struct pcv_row *row_of(struct page_cache_view *v, const char *path, size_t len,
			      unsigned int method)
{
	const struct row_key k = { v, path, len, method };
	uint64_t h = row_hash(path, len, method);
	uint32_t i = hash_index_find(&v->index, h, same_row, &k);
	struct pcv_row *r;

	if (i != HASH_INDEX_NONE)
		return &v->rows[i];
	if (v->nrows == v->cap) {
		size_t ncap = v->cap ? v->cap * 2 : 16;
		void *p = realloc(v->rows, ncap * sizeof(*v->rows));

		if (!p)
			return NULL;
		v->rows = p;
		v->cap = ncap;
	}
	r = &v->rows[v->nrows];
	memset(r, 0, sizeof(*r));
	r->path = malloc(len + 1);
	if (!r->path || hash_index_add(&v->index, h, (uint32_t)v->nrows)) {
		free(r->path);
		return NULL;
	}
	memcpy(r->path, path, len);
	r->path[len] = '\0';
	r->path_len = len;
	r->method = method;
	v->nrows++;
	return r;
}

static void add_counts(struct pcv_counts *to, const struct trace_app_sample *s)
{
	to->bytes += s->bytes;
	to->calls += s->calls;
	to->faults += s->faults;
	to->major += s->major;
	to->mapped += s->mapped;
}

int page_cache_view_add(struct page_cache_view *v, const char *path, size_t path_len,
			const struct trace_app_sample *s)
{
	struct pcv_row *r = row_of(v, path, path_len, s->method);
	struct pcv_proc *p;

	if (!r)
		return -1;
	p = realloc(r->procs, (r->nprocs + 1) * sizeof(*p));
	if (!p)
		return -1;
	r->procs = p;
	p = &r->procs[r->nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = s->pid;
	strncpy(p->comm, s->comm, sizeof(p->comm) - 1);
	add_counts(&p->n, s);
	add_counts(&r->n, s);
	return 0;
}

uint64_t pcv_asked_bytes(const struct page_cache_view *v, unsigned int method,
			 const struct pcv_counts *n)
{
	if (method == TRACE_METHOD_MMAP || method == TRACE_METHOD_POPULATE)
		return n->mapped * v->page_size;
	return n->bytes;
}

/* qsort has no context: the view being sorted (one sort at a time). */
static const struct page_cache_view *sorting;
static unsigned int sorting_method;

static uint64_t row_weight(const struct pcv_row *r)
{
	uint64_t asked = pcv_asked_bytes(sorting, r->method, &r->n);

	return asked > r->storage_bytes ? asked : r->storage_bytes;
}

static int by_weight(const void *a, const void *b)
{
	const struct pcv_row *x = a, *y = b;
	uint64_t wx = row_weight(x), wy = row_weight(y);
	int c;

	if (wx != wy)
		return wx > wy ? -1 : 1;
	c = strcmp(x->path, y->path);
	return c ? c : (int)x->method - (int)y->method;
}

static int by_asked(const void *a, const void *b)
{
	const struct pcv_proc *x = a, *y = b;
	uint64_t ax = pcv_asked_bytes(sorting, sorting_method, &x->n);
	uint64_t ay = pcv_asked_bytes(sorting, sorting_method, &y->n);

	if (ax != ay)
		return ax > ay ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

void page_cache_view_finish(struct page_cache_view *v,
			    uint64_t (*storage_bytes)(const void *ctx, const char *path,
						      unsigned int method),
			    const void *ctx)
{
	sorting = v;
	for (size_t i = 0; i < v->nrows; i++) {
		struct pcv_row *r = &v->rows[i];

		r->storage_bytes = storage_bytes(ctx, r->path, r->method);
		sorting_method = r->method;
		qsort(r->procs, r->nprocs, sizeof(r->procs[0]), by_asked);
	}
	qsort(v->rows, v->nrows, sizeof(v->rows[0]), by_weight);
	sorting = NULL;
	/* Positions moved: the index is of no more use. */
	hash_index_free(&v->index);
}
