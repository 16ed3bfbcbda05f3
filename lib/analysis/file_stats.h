/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * file_stats.h - the streaming analysis of one file: per access method,
 * Darshan-style counters (requests, bytes, sequential and consecutive
 * requests, the size histogram, the most common sizes and strides),
 * coverage and re-fetch from an interval set, readahead, latency
 * percentiles, plus a heat strip and a bounded sample of requests for
 * plots.  Memory grows with the regions of the file touched, never with
 * the number of events.
 *
 * It knows nothing of trace files, paths or output formats: the caller
 * hands it events of this file, one at a time, in time order per thread.
 * The counter names are Darshan's (darshan-posix-log-format.h) where the
 * counter means the same, and ACCESSFS_* in the same style where it does
 * not; one X-macro table generates the enum and every printed name.
 */
#ifndef ACCESSFS_FILE_STATS_H
#define ACCESSFS_FILE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "trace_format.h"
#include "interval_set.h"
#include "latency_hist.h"

/*
 * Report methods: the trace's access methods, with writeback split by what
 * triggered it ("writeback_msync").  Plain "writeback" and
 * "writeback_none" never receive events: a writeback request lands in the
 * slot of its trigger, one without a trigger in writeback_unknown.
 */
enum report_method {
#define X(e, id, name, desc, colour, phrase, live) REPORT_METHOD_##e,
	TRACE_METHODS(X)
#undef X
#define X(e, id, name, desc, colour, phrase) REPORT_METHOD_WRITEBACK_##e,
	TRACE_TRIGGERS(X)
#undef X
	REPORT_METHOD_COUNT
};

/* "mmap", "writeback_munmap"; "?" if out of range. */
const char *report_method_name(unsigned int m);
/* -1 if unknown. */
int report_method_from_name(const char *name);
/* Its HTML colour and its phrase in findings, from trace_format.h's tables. */
const char *report_method_colour(unsigned int m);
const char *report_method_phrase(unsigned int m);
/* The report method of an event (its method, or writeback by trigger). */
unsigned int report_method_of(const struct trace_event *ev);

/*
 * Darshan's request-size buckets: X(suffix, largest size in the bucket,
 * label).  As in Darshan, the upper edge belongs to the bucket: 100 is
 * "0_100", 101 is "100_1K", 1024 is "100_1K".  The suffix is part of the
 * counter names (a schema); the label is how text and HTML show it, and
 * Darshan's "K" is 1024, so it reads KiB.
 */
#define FILE_STATS_SIZE_BUCKETS(X)			\
	X(0_100, 100, "0-100 B")			\
	X(100_1K, 1024, "100 B-1 KiB")			\
	X(1K_10K, 10240, "1-10 KiB")			\
	X(10K_100K, 102400, "10-100 KiB")		\
	X(100K_1M, 1048576, "100 KiB-1 MiB")		\
	X(1M_4M, 4194304, "1-4 MiB")			\
	X(4M_10M, 10485760, "4-10 MiB")			\
	X(10M_100M, 104857600, "10-100 MiB")		\
	X(100M_1G, 1073741824, "100 MiB-1 GiB")		\
	X(1G_PLUS, UINT64_MAX, ">= 1 GiB")

#define FILE_STATS_TOP 4	/* ACCESS1..4, STRIDE1..4 */

/* Integer counters: X(NAME, description).  The name is printed as is. */
#define FILE_STATS_COUNTERS(X)						\
	X(POSIX_OPENS, "open and create requests")			\
	X(POSIX_READS, "read requests")					\
	X(POSIX_WRITES, "write requests")				\
	X(POSIX_BYTES_READ, "bytes read (the reply sizes)")		\
	X(POSIX_BYTES_WRITTEN, "bytes written (as acknowledged)")	\
	X(POSIX_MAX_BYTE_READ, "highest byte offset read")		\
	X(POSIX_MAX_BYTE_WRITTEN, "highest byte offset written")	\
	X(POSIX_CONSEC_READS, "reads starting exactly where the previous read ended") \
	X(POSIX_CONSEC_WRITES, "writes starting exactly where the previous write ended") \
	X(POSIX_SEQ_READS, "reads starting at or after the previous read's end") \
	X(POSIX_SEQ_WRITES, "writes starting at or after the previous write's end") \
	X(POSIX_RW_SWITCHES, "times the direction changed between read and write") \
	X(POSIX_FSYNCS, "fsync requests")				\
	X(POSIX_FDSYNCS, "fdatasync requests")				\
	FILE_STATS_SIZE_BUCKETS(FILE_STATS_SIZE_READ)			\
	FILE_STATS_SIZE_BUCKETS(FILE_STATS_SIZE_WRITE)			\
	X(POSIX_ACCESS1_ACCESS, "most common request size")		\
	X(POSIX_ACCESS2_ACCESS, "second most common request size")	\
	X(POSIX_ACCESS3_ACCESS, "third most common request size")	\
	X(POSIX_ACCESS4_ACCESS, "fourth most common request size")	\
	X(POSIX_ACCESS1_COUNT, "requests of size ACCESS1")		\
	X(POSIX_ACCESS2_COUNT, "requests of size ACCESS2")		\
	X(POSIX_ACCESS3_COUNT, "requests of size ACCESS3")		\
	X(POSIX_ACCESS4_COUNT, "requests of size ACCESS4")		\
	X(POSIX_STRIDE1_STRIDE, "most common stride (gap after the previous request's end)") \
	X(POSIX_STRIDE2_STRIDE, "second most common stride")		\
	X(POSIX_STRIDE3_STRIDE, "third most common stride")		\
	X(POSIX_STRIDE4_STRIDE, "fourth most common stride")		\
	X(POSIX_STRIDE1_COUNT, "requests with stride STRIDE1")		\
	X(POSIX_STRIDE2_COUNT, "requests with stride STRIDE2")		\
	X(POSIX_STRIDE3_COUNT, "requests with stride STRIDE3")		\
	X(POSIX_STRIDE4_COUNT, "requests with stride STRIDE4")		\
	X(ACCESSFS_FLUSHES, "flush requests (one per close of a descriptor)") \
	X(ACCESSFS_RELEASES, "release requests (last close of an open file)") \
	X(ACCESSFS_META_OPS, "metadata requests naming this file (lookup, getattr ...)") \
	X(ACCESSFS_ERRORS, "data requests (read, write, open, flush, fsync ...) answered with an error")		\
	X(ACCESSFS_UNIQUE_BYTES, "distinct bytes of the file read or written (coverage)") \
	X(ACCESSFS_REFETCH_BYTES, "bytes read that an earlier read of the file had already fetched") \
	X(ACCESSFS_READAHEAD_BYTES, "bytes read beyond what the program asked for, where known") \
	X(ACCESSFS_READAHEAD_KNOWN_READS, "reads whose readahead share is known")

#define FILE_STATS_SIZE_READ(suffix, max, label) \
	X(POSIX_SIZE_READ_##suffix, "reads of this size range (bytes)")
#define FILE_STATS_SIZE_WRITE(suffix, max, label) \
	X(POSIX_SIZE_WRITE_##suffix, "writes of this size range (bytes)")

enum file_stats_counter {
#define X(name, desc) name,
	FILE_STATS_COUNTERS(X)
#undef X
	FILE_STATS_COUNTER_COUNT
};

/* Floating-point counters, in seconds: X(NAME, description). */
#define FILE_STATS_FCOUNTERS(X)						\
	X(POSIX_F_READ_START_TIMESTAMP, "start of the first read, s after the run's start") \
	X(POSIX_F_READ_END_TIMESTAMP, "end of the last read")		\
	X(POSIX_F_WRITE_START_TIMESTAMP, "start of the first write")	\
	X(POSIX_F_WRITE_END_TIMESTAMP, "end of the last write")		\
	X(POSIX_F_READ_TIME, "time spent serving reads, s")		\
	X(POSIX_F_WRITE_TIME, "time spent serving writes, s")		\
	X(POSIX_F_META_TIME, "time spent serving opens, flushes, fsyncs, metadata, s") \
	X(POSIX_F_MAX_READ_TIME, "slowest read, s")			\
	X(POSIX_F_MAX_WRITE_TIME, "slowest write, s")			\
	X(ACCESSFS_F_FIRST_ACCESS_TIMESTAMP, "start of the first request of any kind") \
	X(ACCESSFS_F_LAST_ACCESS_TIMESTAMP, "end of the last request of any kind") \
	X(ACCESSFS_F_LATENCY_P50, "median read/write latency, s (within 12.5%)") \
	X(ACCESSFS_F_LATENCY_P99, "99th percentile read/write latency, s (within 12.5%)") \
	X(ACCESSFS_F_LATENCY_MAX, "slowest read/write, s")

enum file_stats_fcounter {
#define X(name, desc) name,
	FILE_STATS_FCOUNTERS(X)
#undef X
	FILE_STATS_FCOUNTER_COUNT
};

const char *file_stats_counter_name(unsigned int c);
const char *file_stats_counter_desc(unsigned int c);
const char *file_stats_fcounter_name(unsigned int c);
const char *file_stats_fcounter_desc(unsigned int c);
/* The smallest size in size bucket b (0..9), its suffix ("100_1K") and label ("100 B-1 KiB"). */
uint64_t file_stats_size_bucket_min(unsigned int b);
const char *file_stats_size_bucket_name(unsigned int b);
const char *file_stats_size_bucket_label(unsigned int b);
#define FILE_STATS_SIZE_BUCKET_COUNT 10

/* Bounded candidates for the most common values (space-saving counting). */
#define FILE_STATS_COMMON_SLOTS 16
struct common_values {
	uint64_t value[FILE_STATS_COMMON_SLOTS];
	uint64_t count[FILE_STATS_COMMON_SLOTS];
	unsigned int n, last;
};

/* A sampled request, for plots. t_ns is since the run's start. */
struct file_stats_point {
	uint64_t t_ns;
	uint64_t offset;
	uint32_t size;		/* saturated at 4 GiB - 1 */
	uint8_t method;		/* enum report_method */
	uint8_t is_write;
};

#define FILE_STATS_SAMPLE_MAX 2048	/* points kept per file */
#define FILE_STATS_HEAT_BINS 128	/* heat strip resolution */

/* When a direction's requests ran: first start, last end, sum, slowest. */
struct io_times {
	uint64_t first_ns, last_ns, time_ns, max_ns;
};

/* One method's share of a file, or the file's total. */
struct method_stats {
	uint64_t c[FILE_STATS_COUNTER_COUNT];
	uint64_t read_end, write_end;	/* end of the previous read/write */
	uint8_t last_dir;		/* 0 none yet, 1 read, 2 write */
	struct common_values sizes, strides;
	struct interval_set touched;	/* bytes read or written */
	struct latency_hist latency;	/* reads and writes */
	uint64_t first_ns, last_ns;	/* any request: start, end */
	struct io_times rd, wr;
	uint64_t meta_time_ns;
	bool any;
};

/*
 * Every update costs time per event, so stats that would be copies of the
 * total's are not kept: while a file has seen one method, that method's
 * stats are the total's without the requests that move no data, and its
 * coverage is the total's; while it has seen no write, the bytes fetched
 * are the total's coverage.  Each is copied from the total's at the moment
 * it starts to differ (and the only method's when the file is finished).
 */
struct file_stats {
	struct method_stats total;
	struct method_stats *method[REPORT_METHOD_COUNT];	/* NULL: unused */
	struct interval_set fetched;	/* bytes read from storage; see above */
	unsigned int nmethods;		/* 0, 1 (only_method) or 2: several */
	unsigned int only_method;
	bool any_write;
	/* Heat strip: bytes fetched per bin of 2^heat_shift bytes. */
	uint64_t heat[FILE_STATS_HEAT_BINS];
	unsigned int heat_shift;
	/* Reservoir sample of data requests. */
	struct file_stats_point *sample;
	size_t nsample;
	uint64_t seen_for_sample;
	uint64_t rng;
	bool keep_sample;
	bool finished;
};

/* Start an empty file; keep_sample: keep the sampled points (HTML plots). */
void file_stats_init(struct file_stats *f, bool keep_sample);
void file_stats_free(struct file_stats *f);

/*
 * Account one event of this file.  t_ns is the event's start in ns since
 * the run's start (the caller aligns several traces).  Returns 0, or -1 if
 * memory ran out (the event is then partly counted).
 */
int file_stats_add(struct file_stats *f, const struct trace_event *ev, uint64_t t_ns);

/*
 * Only sample ev, as file_stats_add() would if the file kept samples: for
 * a second pass over the trace that samples the files chosen in the first
 * (set keep_sample).  Returns 0, or -1 if memory ran out.
 */
int file_stats_sample(struct file_stats *f, const struct trace_event *ev, uint64_t t_ns);

/* Fill the derived counters (ACCESS/STRIDE top 4).  Call before reading. */
void file_stats_finish(struct file_stats *f);

/* A method's stats (NULL if the file saw none), or the total for ALL. */
#define FILE_STATS_ALL REPORT_METHOD_COUNT
const struct method_stats *file_stats_method(const struct file_stats *f, unsigned int m);

/* Counter values of a finished method_stats. */
uint64_t method_stats_counter(const struct method_stats *s, unsigned int c);
double method_stats_fcounter(const struct method_stats *s, unsigned int c);
/* Bytes read plus written. */
uint64_t method_stats_bytes(const struct method_stats *s);
uint64_t method_stats_requests(const struct method_stats *s);

#endif /* ACCESSFS_FILE_STATS_H */
