/* SPDX-License-Identifier: GPL-2.0-or-later */
/* analysis.c - files by path plus run totals (see analysis.h). */
#include <stdlib.h>
#include <string.h>
#include "analysis.h"

void analysis_init(struct analysis *a, bool keep_samples)
{
	memset(a, 0, sizeof(*a));
	a->keep_samples = keep_samples;
	page_cache_view_init(&a->app);
}

void analysis_free(struct analysis *a)
{
	for (size_t i = 0; i < a->nfiles; i++) {
		file_stats_free(&a->files[i]->stats);
		free(a->files[i]->path);
		free(a->files[i]);
	}
	free(a->files);
	hash_index_free(&a->index);
	run_stats_free(&a->run);
	page_cache_view_free(&a->app);
	memset(a, 0, sizeof(*a));
}

int analysis_add_trace(struct analysis *a, const char *path, const char *host,
		       const struct run_trace *header)
{
	return run_stats_add_trace(&a->run, path, host, header);
}

static uint64_t path_hash(const char *p, size_t len)
{
	return hash_bytes(HASH_BYTES_INIT, p, len);
}

struct path_key {
	const struct analysis *a;
	const char *path;
	size_t len;
};

static bool path_is(const void *ctx, uint32_t item)
{
	const struct path_key *k = ctx;
	const struct analysis_file *f = k->a->files[item];

	return f->path_len == k->len && memcmp(f->path, k->path, k->len) == 0;
}

/* The file of path, or NULL. */
static struct analysis_file *find_path(const struct analysis *a, const char *path, size_t len)
{
	struct path_key k = { a, path, len };
	uint32_t i = hash_index_find(&a->index, path_hash(path, len), path_is, &k);

	return i == HASH_INDEX_NONE ? NULL : a->files[i];
}

/* Index every file at its current position. */
static int index_all(struct analysis *a)
{
	hash_index_free(&a->index);
	if (hash_index_reserve(&a->index, a->nfiles) < 0)
		return -1;
	for (size_t i = 0; i < a->nfiles; i++)
		if (hash_index_add(&a->index, path_hash(a->files[i]->path, a->files[i]->path_len),
				   (uint32_t)i) < 0)
			return -1;
	return 0;
}

static struct analysis_file *new_file(struct analysis *a, const char *path, size_t len)
{
	struct analysis_file *f;

	if (a->nfiles == a->files_cap) {
		size_t cap = a->files_cap ? a->files_cap * 2 : 64;
		struct analysis_file **v = realloc(a->files, cap * sizeof(*v));

		if (!v)
			return NULL;
		a->files = v;
		a->files_cap = cap;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->path = malloc(len + 1);
	if (!f->path) {
		free(f);
		return NULL;
	}
	memcpy(f->path, path, len);
	f->path[len] = '\0';
	f->path_len = len;
	file_stats_init(&f->stats, a->keep_samples);
	a->files[a->nfiles++] = f;
	return f;
}

static struct analysis_file *file_of(struct analysis *a, const char *path, size_t len)
{
	struct path_key k = { a, path, len };
	uint64_t h;
	uint32_t i;

	if (a->last_file && len == a->last_file->path_len &&
	    memcmp(a->last_file->path, path, len) == 0)
		return a->last_file;
	h = path_hash(path, len);
	i = hash_index_find(&a->index, h, path_is, &k);
	if (i == HASH_INDEX_NONE) {
		if (!new_file(a, path, len))
			return NULL;
		i = (uint32_t)(a->nfiles - 1);
		if (hash_index_add(&a->index, h, i) < 0)
			return NULL;
	}
	a->last_file = a->files[i];
	return a->last_file;
}

static struct analysis_path_cache *path_cache_slot(struct analysis *a,
						   const struct analysis_event *e)
{
	return &a->path_cache[((uintptr_t)e->path >> 3 ^ e->trace) & (ANALYSIS_PATH_CACHE - 1)];
}

/* The file of a stable path pointer: a cache hit costs no hashing of the string. */
static struct analysis_file *file_of_stable(struct analysis *a, const struct analysis_event *e)
{
	struct analysis_path_cache *c = path_cache_slot(a, e);

	if (c->path == e->path && c->trace == e->trace && c->file)
		return c->file;
	c->file = file_of(a, e->path, e->path_len);
	c->path = e->path;
	c->trace = e->trace;
	return c->file;
}

int analysis_add(struct analysis *a, const struct analysis_event *e)
{
	struct analysis_file *f;

	if (run_stats_add(&a->run, e->trace, e->ev, e->t_ns, e->proc) < 0)
		return -1;
	if (!e->path)
		return 0;
	f = e->path_stable ? file_of_stable(a, e) : file_of(a, e->path, e->path_len);
	if (!f)
		return -1;
	return file_stats_add(&f->stats, e->ev, e->t_ns);
}

void analysis_sample_first(struct analysis *a, size_t n)
{
	for (size_t i = 0; i < n && i < a->nfiles; i++)
		a->files[i]->stats.keep_sample = true;
}

/* A finished analysis' file of e, or NULL; after analysis_finish() the cache may hold NULL. */
static struct analysis_file *known_file(struct analysis *a, const struct analysis_event *e)
{
	struct analysis_path_cache *c = path_cache_slot(a, e);
	struct analysis_file *f;

	if (e->path_stable && c->path == e->path && c->trace == e->trace)
		return c->file;
	f = find_path(a, e->path, e->path_len);
	if (e->path_stable)
		*c = (struct analysis_path_cache){ e->path, e->trace, f };
	return f;
}

int analysis_sample(struct analysis *a, const struct analysis_event *e)
{
	struct analysis_file *f;

	if (!e->path)
		return 0;
	f = known_file(a, e);
	return f ? file_stats_sample(&f->stats, e->ev, e->t_ns) : 0;
}

static int by_bytes_then_path(const void *pa, const void *pb)
{
	const struct analysis_file *a = *(const struct analysis_file *const *)pa;
	const struct analysis_file *b = *(const struct analysis_file *const *)pb;
	uint64_t x = method_stats_bytes(&a->stats.total);
	uint64_t y = method_stats_bytes(&b->stats.total);

	if (x != y)
		return x < y ? 1 : -1;
	return strcmp(a->path, b->path);
}

/* What of a file's requests of one method reached storage: its READ
 * bytes, or for write its WRITE bytes. */
static uint64_t storage_bytes(const void *ctx, const char *path, unsigned int method)
{
	const struct analysis_file *af = analysis_find(ctx, path);
	const struct method_stats *s = af ? file_stats_method(&af->stats, method) : NULL;

	if (!s)
		return 0;
	return method_stats_counter(s, method == TRACE_METHOD_WRITE ? POSIX_BYTES_WRITTEN :
							   POSIX_BYTES_READ);
}

void analysis_finish(struct analysis *a)
{
	for (size_t i = 0; i < a->nfiles; i++)
		file_stats_finish(&a->files[i]->stats);
	qsort(a->files, a->nfiles, sizeof(a->files[0]), by_bytes_then_path);
	run_stats_sort_processes(&a->run);
	/* Positions moved: index them again for analysis_find(). */
	a->last_file = NULL;
	memset(a->path_cache, 0, sizeof(a->path_cache));
	if (index_all(a) < 0)	/* then analysis_find() finds nothing */
		hash_index_free(&a->index);
	a->sorted = true;
	page_cache_view_finish(&a->app, storage_bytes, a);
}

int analysis_add_app(struct analysis *a, const char *path, size_t path_len,
		     const struct trace_app_sample *s)
{
	return page_cache_view_add(&a->app, path, path_len, s);
}

const struct analysis_file *analysis_find(const struct analysis *a, const char *path)
{
	return find_path(a, path, strlen(path));
}
