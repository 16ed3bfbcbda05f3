/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * analysis.h - the streaming core of "accessfs report": it routes each
 * event to its file's file_stats (files are matched by path, so the same
 * file seen by several traces or hosts is one file) and to the run's
 * run_stats.  It reads no trace file: the caller resolves each event's
 * path and process and aligns the traces' clocks, which keeps this
 * testable with hand-built events.
 */
#ifndef ACCESSFS_ANALYSIS_H
#define ACCESSFS_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "trace_format.h"
#include "file_stats.h"
#include "hash_index.h"
#include "page_cache_view.h"
#include "run_stats.h"

/* Direct-mapped cache of stable path pointers: a power of two. */
#define ANALYSIS_PATH_CACHE 1024

struct analysis_file {
	char *path;		/* relative to the mount root; NUL-terminated */
	size_t path_len;
	struct file_stats stats;
};

struct analysis {
	struct run_stats run;
	struct page_cache_view app;	/* the app-side view (APP samples) */
	struct analysis_file **files;
	size_t nfiles, files_cap;
	struct hash_index index;	/* path -> position in files */
	bool keep_samples;
	bool sorted;
	struct analysis_file *last_file;	/* consecutive events mostly share a file */
	struct analysis_path_cache {
		const char *path;	/* a stable path pointer (see analysis_event) */
		unsigned int trace;
		struct analysis_file *file;
	} path_cache[ANALYSIS_PATH_CACHE];
};

/* One event and what the caller resolved for it. */
struct analysis_event {
	const struct trace_event *ev;
	unsigned int trace;	/* from analysis_add_trace() */
	uint64_t t_ns;		/* ns since the run's start */
	const char *path;	/* NULL: not a file event (statfs...) */
	size_t path_len;
	/*
	 * path points to a string that neither moves nor changes until this
	 * trace's events end (the reader's path table), so the file can be
	 * found by the pointer instead of by hashing the string.
	 */
	bool path_stable;
	const struct trace_proc *proc;	/* NULL if unknown */
};

/* keep_samples: keep sampled requests per file for plots (HTML). */
void analysis_init(struct analysis *a, bool keep_samples);
void analysis_free(struct analysis *a);

/* See run_stats_add_trace(). */
int analysis_add_trace(struct analysis *a, const char *path, const char *host,
		       const struct run_trace *header);

/* Account one event.  Returns 0, or -1 if memory ran out. */
int analysis_add(struct analysis *a, const struct analysis_event *e);

/* One trace's latest APP sample of the file at path (analysis_finish()
 * then adds what reached storage).  0, or -1 if memory ran out. */
int analysis_add_app(struct analysis *a, const char *path, size_t path_len,
		     const struct trace_app_sample *s);

/*
 * Finish every file's counters and sort files by bytes moved (descending,
 * then by path).  Call once after the last event; then read a->files.
 */
void analysis_finish(struct analysis *a);

/*
 * Sampling in a second pass, so that only the files shown keep samples:
 * after analysis_finish(), choose the first n files, then hand every event
 * again, as to analysis_add(), to analysis_sample().  The samples are the
 * ones a single pass with keep_samples would have kept.  analysis_sample()
 * returns 0, or -1 if memory ran out.
 */
void analysis_sample_first(struct analysis *a, size_t n);
int analysis_sample(struct analysis *a, const struct analysis_event *e);

/* The file with this path, or NULL. */
const struct analysis_file *analysis_find(const struct analysis *a, const char *path);

#endif /* ACCESSFS_ANALYSIS_H */
