/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_cache_view.h - the app-side view beside the storage side: per file
 * and access method, what programs asked of the page cache (the traces'
 * APP samples, summed over processes and kept per process too) and what
 * of that method reached storage (the file's READ or WRITE bytes of that
 * method).  Read and write rows compare bytes; mmap and populate rows
 * compare the pages the faults mapped (fault-around included).
 *
 * Knows nothing of trace files: the caller hands it each trace's latest
 * samples with their paths (analysis.h does, through analysis_add_app).
 */
#ifndef ACCESSFS_PAGE_CACHE_VIEW_H
#define ACCESSFS_PAGE_CACHE_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hash_index.h"
#include "trace_format.h"

struct pcv_counts {
	uint64_t bytes;		/* read: asked for (to EOF); write: written */
	uint64_t calls;		/* syscalls */
	uint64_t faults;	/* mmap, populate: page faults */
	uint64_t major;		/* of them, faults that added pages to the cache */
	uint64_t mapped;	/* pages the faults mapped, fault-around included */
};

struct pcv_proc {
	uint32_t pid;
	char comm[16];
	struct pcv_counts n;
};

struct pcv_row {
	char *path;		/* as the analysis names files */
	size_t path_len;
	unsigned int method;	/* TRACE_METHOD_READ, MMAP, POPULATE or WRITE */
	struct pcv_counts n;	/* over all processes */
	uint64_t storage_bytes;	/* of this file and method, that reached storage */
	struct pcv_proc *procs;	/* most asked first, after page_cache_view_finish */
	size_t nprocs;
};

struct page_cache_view {
	bool available;		/* a trace had the counters (header app_counters 1) */
	uint32_t page_size;
	struct pcv_row *rows;	/* most bytes first, after page_cache_view_finish */
	size_t nrows, cap;
	struct hash_index index;	/* (path, method) -> row */
};

void page_cache_view_init(struct page_cache_view *v);
void page_cache_view_free(struct page_cache_view *v);

/* A trace that had the counters, with its page size (0: 4096). */
void page_cache_view_trace(struct page_cache_view *v, uint32_t page_size);

/* One process's latest sample of the file at path.  0, or -1 out of memory. */
int page_cache_view_add(struct page_cache_view *v, const char *path, size_t path_len,
			const struct trace_app_sample *s);

/*
 * What reached storage per row, from storage_bytes(ctx, path, method)
 * (the analysis' file stats), then sort rows and their processes.
 */
void page_cache_view_finish(struct page_cache_view *v,
			    uint64_t (*storage_bytes)(const void *ctx, const char *path,
						      unsigned int method),
			    const void *ctx);

/* What a row (or process) asked for, in bytes: read and write bytes, or
 * the mapped pages of mmap and populate faults. */
uint64_t pcv_asked_bytes(const struct page_cache_view *v, unsigned int method,
			 const struct pcv_counts *n);

#endif /* ACCESSFS_PAGE_CACHE_VIEW_H */
