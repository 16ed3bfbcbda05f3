/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_reader.c - read a trace: header, a pre-pass over all blocks that
 * checks every block and learns the META records (names, processes,
 * losses), then the EVENTS blocks decoded one event at a time.
 *
 * The file is mapped (or, for pipes, read whole) and events are decoded
 * in place: no allocation per event.  Every length read from the file is
 * checked against the bytes that are really there, and no block may be
 * larger than TRACE_BLOCK_MAX, so no input can make it crash or allocate
 * without bound.
 *
 * Damage policy: a bad block that is the last thing in the file is a torn
 * tail (the daemon died while writing): a warning, every block before it
 * is read.  A bad block with a valid block after it is corruption: the
 * events before it are returned, then an error.  Only crc32c protects the
 * payload, so a bit flip in the very last block reads as a torn tail.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "app_samples.h"
#include "crc32c.h"
#include "hash_index.h"
#include "trace_encode.h"
#include "trace_reader.h"
#include "trace_reader_mem.h"

#define HDR			sizeof(struct trace_block_header)
#define HEADER_FIELDS_MAX	(1u << 20)
#define PATH_DEPTH_MAX		1024
#define ARENA_CHUNK		(64u << 10)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	char data[];
};

/* One name a file had from time_ns on; its resolved path is cached. */
struct dentry_ent {
	uint64_t file_id, time_ns, parent_id;
	const char *name;
	uint16_t name_len;
	char *path;			/* cache, valid for at_ns in [lo, hi) */
	size_t path_len;
	uint64_t lo, hi;
	uint32_t run;			/* on the first of a file_id's entries: how many */
};

/*
 * A path recently resolved, valid for at_ns in [lo, hi).  Only a handful
 * of files are in use at any moment, so a small direct-mapped memo
 * answers most lookups from a few cache lines, where the hash index and
 * the dentry table of a trace with 10,000 files (about 1 MB) miss in L2.
 */
#define PATH_MEMO		64

struct path_memo {
	uint64_t file_id, lo, hi;
	const char *path;		/* NULL: empty */
	size_t len;
};

struct header_field {
	uint16_t key;
	char *value;
};

/* Where decoding stands in one EVENTS block (the events pass's, or a run's). */
struct block_cursor {
	const uint8_t *p, *end;
	uint32_t left;			/* events its header still promises */
	struct trace_codec codec;
};

/* An EVENTS block of the events pass, linked to the next one of its writer thread. */
struct ev_block {
	uint64_t off;
	uint32_t next;			/* index of the writer's next block; NO_BLOCK */
};
#define NO_BLOCK		UINT32_MAX

/* One writer thread's blocks: a run (see trace_reader.h). */
struct run_head {
	uint32_t writer_tid;
	uint32_t first, last;		/* indexes into blocks */
};

struct trace_run {
	struct trace_reader *r;
	uint32_t block;			/* the current one, or NO_BLOCK before the first */
	uint32_t next;			/* the one after it */
	struct block_cursor cur;
	bool done;
};

struct trace_reader {
	char *name;
	const uint8_t *data;
	size_t size;
	void *map;			/* what to munmap, or NULL */
	size_t released;		/* map pages below this were dropped */
	void *owned;			/* what to free, or NULL */
	uint32_t version;
	struct header_field *fields;
	size_t nfields;
	struct arena_chunk *arena;

	struct dentry_ent *dentries;
	size_t ndentries, dentries_cap;
	struct hash_index files;	/* file_id -> its first dentry (sorted by id) */
	struct path_memo path_memo[PATH_MEMO];
	struct trace_proc *procs;
	size_t nprocs, procs_cap;
	struct hash_index tids;		/* tid -> its latest PROC record */
	struct app_samples app;		/* the latest APP record of each key */

	uint64_t data_start;		/* the first block */
	uint64_t events_from;		/* the events pass starts here (open_from) */
	bool events_from_found;		/* ... and it is a block boundary */
	uint64_t good_end;		/* blocks before this offset are valid */
	char stop_error[256];		/* why reading stops at good_end, if not torn */
	uint64_t end_events;

	uint64_t pos;			/* next block of the events pass */
	uint64_t block_off;
	struct block_cursor cur;

	struct ev_block *blocks;	/* EVENTS blocks from events_from on */
	size_t nblocks, blocks_cap;
	struct run_head *runs;		/* in the order of their first block */
	size_t nruns, runs_cap, runs_ended;

	struct trace_reader_summary sum;
	char error[512], warning[512];
	bool failed, done;
};

/* ---- small helpers ---- */

static void *arena_alloc(struct trace_reader *r, size_t n)
{
	struct arena_chunk *c = r->arena;

	if (!c || c->size - c->used < n) {
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;

		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = r->arena;
		r->arena = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

static char *arena_strndup(struct trace_reader *r, const char *s, size_t n)
{
	char *p = arena_alloc(r, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static void read_block_header(const uint8_t *p, struct trace_block_header *h)
{
	memcpy(h, p, HDR);
}

static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	void *p;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

/* ---- header ---- */

static int parse_header(struct trace_reader *r, char *err, size_t errlen)
{
	struct trace_file_header fh;
	const uint8_t *p, *end;

	if (r->size < sizeof(fh) || memcmp(r->data, TRACE_MAGIC, TRACE_MAGIC_LEN) != 0) {
		snprintf(err, errlen, "%s: not an accessfs trace", r->name);
		return -1;
	}
	memcpy(&fh, r->data, sizeof(fh));
	if (fh.version > TRACE_VERSION) {
		snprintf(err, errlen, "%s: trace version %u is newer than this accessfs reads (max %u)",
			 r->name, fh.version, TRACE_VERSION);
		return -1;
	}
	if (fh.version == 0 || fh.header_len > HEADER_FIELDS_MAX ||
	    fh.header_len > r->size - sizeof(fh)) {
		snprintf(err, errlen, "%s: corrupt trace header", r->name);
		return -1;
	}
	r->version = fh.version;
	p = r->data + sizeof(fh);
	end = p + fh.header_len;
	while (p < end) {
		uint16_t key, len;
		struct header_field *f;

		if (end - p < 4)
			goto corrupt;
		memcpy(&key, p, 2);
		memcpy(&len, p + 2, 2);
		p += 4;
		if (len > end - p)
			goto corrupt;
		f = realloc(r->fields, (r->nfields + 1) * sizeof(*f));
		if (!f)
			goto corrupt;
		r->fields = f;
		f[r->nfields].key = key;
		f[r->nfields].value = arena_strndup(r, (const char *)p, len);
		if (!f[r->nfields].value)
			goto corrupt;
		r->nfields++;
		p += len;
	}
	r->data_start = (uint64_t)(end - r->data);
	return 0;
corrupt:
	snprintf(err, errlen, "%s: corrupt trace header", r->name);
	return -1;
}

/* ---- the pre-pass: check blocks, learn META records ---- */

/*
 * The fuzz build accepts any checksum, so that mutated payloads reach the
 * decoders instead of all stopping at the crc (the libFuzzer convention).
 */
static bool crc_ok(const uint8_t *payload, uint32_t len, uint32_t crc)
{
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	(void)payload;
	(void)len;
	(void)crc;
	return true;
#else
	return crc32c(0, payload, len) == crc;
#endif
}

static bool block_is_valid(const struct trace_reader *r, uint64_t off, uint64_t seq_expected,
			   bool check_seq)
{
	struct trace_block_header h;

	if (r->size - off < HDR)
		return false;
	read_block_header(r->data + off, &h);
	if (h.magic != TRACE_BLOCK_MAGIC || h.payload_len > TRACE_BLOCK_MAX - HDR ||
	    h.payload_len > r->size - off - HDR)
		return false;
	if (h.kind != TRACE_BLOCK_EVENTS && h.kind != TRACE_BLOCK_META)
		return false;
	if (check_seq && h.seq != seq_expected)
		return false;
	return crc_ok(r->data + off + HDR, h.payload_len, h.crc32c);
}

/*
 * Is there any valid block after off?  Tells corruption from a torn tail.
 * Checksumming candidates is bounded, so that a file full of fake block
 * magics cannot make this quadratic; past the budget, assume corruption.
 */
#define SCAN_CRC_BUDGET (64u << 20)

static bool valid_block_after(const struct trace_reader *r, uint64_t off)
{
	static const uint32_t magic = TRACE_BLOCK_MAGIC;
	const uint8_t *p = r->data + off + 1, *end = r->data + r->size;
	uint64_t budget = SCAN_CRC_BUDGET;

	while (p < end && (p = memmem(p, (size_t)(end - p), &magic, 4))) {
		struct trace_block_header h;

		if ((size_t)(end - p) >= HDR) {
			read_block_header(p, &h);
			if (h.payload_len > budget)
				return true;
			budget -= h.payload_len;
		}
		if (block_is_valid(r, (uint64_t)(p - r->data), 0, false))
			return true;
		p++;
	}
	return false;
}

static int add_dentry(struct trace_reader *r, const struct trace_meta_record *rec)
{
	struct trace_dentry d;
	struct dentry_ent *e;

	if (trace_meta_decode_dentry(rec, &d))
		return -1;
	if (grow((void **)&r->dentries, &r->dentries_cap, r->ndentries, sizeof(*e)))
		return -1;
	e = &r->dentries[r->ndentries++];
	memset(e, 0, sizeof(*e));
	e->file_id = d.file_id;
	e->time_ns = d.time_ns;
	e->parent_id = d.parent_id;
	e->name = d.name;
	e->name_len = d.name_len;
	return 0;
}

static int add_proc(struct trace_reader *r, const struct trace_meta_record *rec)
{
	struct trace_proc p;
	size_t clen, elen;

	if (trace_meta_decode_proc(rec, &p, &clen, &elen))
		return -1;
	p.comm = arena_strndup(r, p.comm, clen);
	p.exe = arena_strndup(r, p.exe, elen);
	if (!p.comm || !p.exe ||
	    grow((void **)&r->procs, &r->procs_cap, r->nprocs, sizeof(p)))
		return -1;
	r->procs[r->nprocs++] = p;
	return 0;
}

static int add_app(struct trace_reader *r, const struct trace_meta_record *rec)
{
	struct trace_app_sample a;
	size_t clen;

	if (trace_meta_decode_app(rec, &a, &clen))
		return -1;
	return app_samples_put(&r->app, &a, clen);
}

/* n numbers, of which the last is optional (newer writers add it): 0 if absent. */
static int decode_numbers_last_optional(const struct trace_meta_record *rec, uint64_t *v,
					size_t n)
{
	v[n - 1] = 0;
	if (trace_meta_decode_numbers(rec, v, n) == 0)
		return 0;
	v[n - 1] = 0;
	return trace_meta_decode_numbers(rec, v, n - 1);
}

static int read_meta_block(struct trace_reader *r, const uint8_t *p, const uint8_t *end)
{
	struct trace_meta_record rec;
	uint64_t v[5];

	while (p < end) {
		if (trace_meta_next(&p, end, &rec))
			return -1;
		switch (rec.type) {
		case TRACE_META_DENTRY:
			if (add_dentry(r, &rec))
				return -1;
			break;
		case TRACE_META_PROC:
			if (add_proc(r, &rec))
				return -1;
			break;
		case TRACE_META_LOST:
			if (decode_numbers_last_optional(&rec, v, 3))
				return -1;
			r->sum.lost += v[1];
			r->sum.lost_meta += v[2];
			break;
		case TRACE_META_END:
			if (decode_numbers_last_optional(&rec, v, 4))
				return -1;
			r->sum.clean_end = true;
			r->end_events = v[1];
			r->sum.lost = v[2];	/* the totals, LOST records included */
			r->sum.lost_meta = v[3];
			break;
		case TRACE_META_LABELS:
			if (decode_numbers_last_optional(&rec, v, 5))
				return -1;
			r->sum.label_late = v[1];
			r->sum.label_nocause = v[2];
			break;
		case TRACE_META_TRANSPORT:
			if (trace_meta_decode_numbers(&rec, v, 3))
				return -1;
			r->sum.transport_known = true;
			r->sum.uring_queues = v[1];
			r->sum.ring_requests = v[2];
			break;
		case TRACE_META_APP:
			if (add_app(r, &rec))
				return -1;
			break;
		default:		/* UNLINK and records newer than us */
			break;
		}
	}
	return 0;
}

/*
 * What is wrong with the block at off, or NULL.  EVENTS blocks before
 * events_from are not checksummed: a reader of the same file checked them
 * before handing out the offset (trace_reader_open_from), and doing it
 * again on every poll of a growing trace would make following it O(file).
 */
static const char *block_problem(const struct trace_reader *r, uint64_t off, uint64_t seq)
{
	struct trace_block_header h;

	if (r->size - off < HDR)
		return "incomplete block header";
	read_block_header(r->data + off, &h);
	if (h.magic != TRACE_BLOCK_MAGIC)
		return "bad block magic";
	if (h.payload_len > TRACE_BLOCK_MAX - HDR)
		return "block too large";
	if (h.payload_len > r->size - off - HDR)
		return "block extends past the end of the file";
	if (h.kind != TRACE_BLOCK_EVENTS && h.kind != TRACE_BLOCK_META)
		return "unknown block kind";
	if (h.seq != seq)
		return "block out of sequence";
	if ((h.kind == TRACE_BLOCK_META || off >= r->events_from) &&
	    !crc_ok(r->data + off + HDR, h.payload_len, h.crc32c))
		return "block checksum mismatch";
	return NULL;
}

/*
 * Let go of mapped pages well behind a pass's position, so the reader's
 * resident size stays bounded however large the trace.  The mapping is
 * private and read-only: a page read again (names point into it) faults
 * back in from the page cache, unchanged.
 */
#define RELEASE_BEHIND	(64u << 20)

static void release_behind(struct trace_reader *r, size_t pos)
{
	size_t end = pos & ~(size_t)(RELEASE_BEHIND - 1);

	if (!r->map || end < r->released + RELEASE_BEHIND)
		return;
	madvise((char *)r->map + r->released, end - r->released, MADV_DONTNEED);
	r->released = end;
}

/* Index an EVENTS block under its writer thread's run; 0 or -1 (no memory). */
static int add_run_block(struct trace_reader *r, uint64_t off, uint32_t writer_tid)
{
	uint32_t i = (uint32_t)r->nblocks;
	size_t k;

	if (r->nblocks >= NO_BLOCK ||
	    grow((void **)&r->blocks, &r->blocks_cap, r->nblocks, sizeof(*r->blocks)))
		return -1;
	r->blocks[r->nblocks++] = (struct ev_block){ .off = off, .next = NO_BLOCK };
	/* Few threads, and one usually writes several blocks in a row: search back. */
	for (k = r->nruns; k-- > 0;)
		if (r->runs[k].writer_tid == writer_tid)
			break;
	if (k != SIZE_MAX) {
		r->blocks[r->runs[k].last].next = i;
		r->runs[k].last = i;
		return 0;
	}
	if (grow((void **)&r->runs, &r->runs_cap, r->nruns, sizeof(*r->runs)))
		return -1;
	r->runs[r->nruns++] = (struct run_head){ .writer_tid = writer_tid, .first = i, .last = i };
	return 0;
}

static void prepass(struct trace_reader *r)
{
	uint64_t off = r->data_start, seq = 0;
	struct trace_block_header h;
	const char *why;

	while (off < r->size) {
		release_behind(r, off);
		if (off == r->events_from)
			r->events_from_found = true;
		why = block_problem(r, off, seq);
		if (why) {
			if (valid_block_after(r, off))
				snprintf(r->stop_error, sizeof(r->stop_error),
					 "%s: block %llu at offset %llu is corrupt (%s)", r->name,
					 (unsigned long long)seq, (unsigned long long)off, why);
			else
				r->sum.torn_tail = true;
			break;
		}
		read_block_header(r->data + off, &h);
		if (h.kind == TRACE_BLOCK_EVENTS && off >= r->events_from &&
		    add_run_block(r, off, h.writer_tid)) {
			snprintf(r->stop_error, sizeof(r->stop_error), "%s: out of memory", r->name);
			break;
		}
		if (h.kind == TRACE_BLOCK_META &&
		    read_meta_block(r, r->data + off + HDR, r->data + off + HDR + h.payload_len)) {
			snprintf(r->stop_error, sizeof(r->stop_error),
				 "%s: block %llu at offset %llu is corrupt (bad META record)",
				 r->name, (unsigned long long)seq, (unsigned long long)off);
			break;
		}
		off += HDR + h.payload_len;
		seq++;
	}
	if (off == r->events_from)
		r->events_from_found = true;
	r->sum.torn_bytes = r->size - off;
	r->good_end = off;
	r->released = 0;	/* the event pass starts again at the top */
}

/* ---- indexes over META ---- */

static int dentry_cmp(const void *a, const void *b)
{
	const struct dentry_ent *x = a, *y = b;

	if (x->file_id != y->file_id)
		return x->file_id < y->file_id ? -1 : 1;
	if (x->time_ns != y->time_ns)
		return x->time_ns < y->time_ns ? -1 : 1;
	return x->name < y->name ? -1 : x->name > y->name;	/* file order */
}

static int proc_cmp(const void *a, const void *b)
{
	const struct trace_proc *x = a, *y = b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return x->time_ns < y->time_ns ? -1 : x->time_ns > y->time_ns;
}

static int build_indexes(struct trace_reader *r)
{
	if (r->ndentries)
		qsort(r->dentries, r->ndentries, sizeof(*r->dentries), dentry_cmp);
	if (hash_index_reserve(&r->files, r->ndentries) < 0 ||
	    hash_index_reserve(&r->tids, r->nprocs) < 0)
		return -1;
	for (size_t i = 0, first = 0; i < r->ndentries; i++) {
		if (i && r->dentries[i].file_id == r->dentries[first].file_id) {
			r->dentries[first].run++;
			continue;
		}
		first = i;
		r->dentries[i].run = 1;
		if (hash_index_add(&r->files, hash_u64(r->dentries[i].file_id), (uint32_t)i) < 0)
			return -1;
	}
	/* A tid has a PROC record per identity (exec changes comm and exe):
	 * sorted by (tid, time), the index points at each tid's first. */
	if (r->nprocs)
		qsort(r->procs, r->nprocs, sizeof(*r->procs), proc_cmp);
	for (size_t i = 0; i < r->nprocs; i++)
		if ((i == 0 || r->procs[i - 1].tid != r->procs[i].tid) &&
		    hash_index_add(&r->tids, hash_u64(r->procs[i].tid), (uint32_t)i) < 0)
			return -1;
	return 0;
}

/* ---- open / close ---- */

static struct trace_reader *reader_new(const char *name)
{
	struct trace_reader *r = calloc(1, sizeof(*r));

	if (r && !(r->name = strdup(name))) {
		free(r);
		return NULL;
	}
	return r;
}

static struct trace_reader *reader_start(struct trace_reader *r, char *err, size_t errlen)
{
	if (parse_header(r, err, errlen)) {
		trace_reader_close(r);
		return NULL;
	}
	if (!r->events_from)
		r->events_from = r->data_start;
	prepass(r);
	if (!r->events_from_found) {
		snprintf(err, errlen, "%s: the trace changed: offset %llu is not a block boundary "
			 "of it any more", r->name, (unsigned long long)r->events_from);
		trace_reader_close(r);
		return NULL;
	}
	if (build_indexes(r)) {
		snprintf(err, errlen, "%s: out of memory", r->name);
		trace_reader_close(r);
		return NULL;
	}
	r->pos = r->events_from;
	r->sum.first_ns = UINT64_MAX;
	return r;
}

struct trace_reader *trace_reader_open_mem(const void *data, size_t size, const char *name,
					   char *err, size_t errlen)
{
	struct trace_reader *r = reader_new(name);

	if (!r) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	r->data = data;
	r->size = size;
	return reader_start(r, err, errlen);
}

/* Pipes and other unmappable files are read whole. */
static int read_whole(int fd, struct trace_reader *r)
{
	size_t cap = 1 << 20, len = 0;
	uint8_t *buf = malloc(cap);
	ssize_t n;

	while (buf && (n = read(fd, buf + len, cap - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		len += (size_t)n;
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);

			if (!nb)
				break;
			buf = nb;
		}
	}
	if (!buf || n != 0) {
		free(buf);
		return -1;
	}
	r->owned = buf;
	r->data = buf;
	r->size = len;
	return 0;
}

struct trace_reader *trace_reader_open(const char *path, char *err, size_t errlen)
{
	return trace_reader_open_from(path, 0, err, errlen);
}

struct trace_reader *trace_reader_open_from(const char *path, uint64_t from, char *err,
					    size_t errlen)
{
	struct trace_reader *r = reader_new(path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (!r || fd < 0 || fstat(fd, &st) < 0)
		goto out_err;
	r->events_from = from;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto out_err;
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		r->map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (r->map == MAP_FAILED) {
			r->map = NULL;
			goto out_err;
		}
		madvise(r->map, (size_t)st.st_size, MADV_SEQUENTIAL);
		r->data = r->map;
		r->size = (size_t)st.st_size;
	} else if (S_ISREG(st.st_mode)) {
		r->data = (const uint8_t *)"";
		r->size = 0;
	} else if (read_whole(fd, r) < 0) {
		goto out_err;
	}
	close(fd);
	return reader_start(r, err, errlen);

out_err:
	snprintf(err, errlen, "%s: %s", path, strerror(errno ? errno : ENOMEM));
	if (fd >= 0)
		close(fd);
	trace_reader_close(r);
	return NULL;
}

void trace_reader_close(struct trace_reader *r)
{
	struct arena_chunk *c, *next;

	if (!r)
		return;
	if (r->map)
		munmap(r->map, r->size);
	free(r->owned);
	for (c = r->arena; c; c = next) {
		next = c->next;
		free(c);
	}
	free(r->fields);
	free(r->dentries);
	hash_index_free(&r->files);
	free(r->procs);
	hash_index_free(&r->tids);
	app_samples_free(&r->app);
	free(r->blocks);
	free(r->runs);
	free(r->name);
	free(r);
}

/* ---- accessors ---- */

const char *trace_reader_header(const struct trace_reader *r, unsigned int key)
{
	const char *v = NULL;

	for (size_t i = 0; i < r->nfields; i++)
		if (r->fields[i].key == key)
			v = r->fields[i].value;	/* the last one wins */
	return v;
}

uint32_t trace_reader_version(const struct trace_reader *r)
{
	return r->version;
}

const struct trace_proc *trace_reader_proc_at_time(const struct trace_reader *r, uint32_t tid,
						  uint64_t at_ns)
{
	uint32_t first = hash_index_find(&r->tids, hash_u64(tid), NULL, NULL);
	size_t i;

	if (first == HASH_INDEX_NONE)
		return NULL;
	/* The last record from at_ns or before; the first if all are later
	 * (the PROC record of a thread may be stamped after its first event). */
	for (i = first; i + 1 < r->nprocs && r->procs[i + 1].tid == tid &&
			r->procs[i + 1].time_ns <= at_ns; i++)
		;
	return &r->procs[i];
}

const struct trace_proc *trace_reader_proc(const struct trace_reader *r, uint32_t tid)
{
	return trace_reader_proc_at_time(r, tid, UINT64_MAX);
}

size_t trace_reader_proc_count(const struct trace_reader *r)
{
	return r->nprocs;
}

const struct trace_proc *trace_reader_proc_at(const struct trace_reader *r, size_t i)
{
	return i < r->nprocs ? &r->procs[i] : NULL;
}

void trace_reader_summary(const struct trace_reader *r, struct trace_reader_summary *s)
{
	*s = r->sum;
	if (s->first_ns == UINT64_MAX)
		s->first_ns = 0;
}

uint64_t trace_reader_offset(const struct trace_reader *r)
{
	return r->cur.p < r->cur.end ? r->block_off : r->pos;
}

const char *trace_reader_error(const struct trace_reader *r)
{
	return r->failed ? r->error : NULL;
}

const char *trace_reader_warning(const struct trace_reader *r)
{
	return r->warning[0] ? r->warning : NULL;
}

/* ---- events ---- */

static int fail(struct trace_reader *r, const char *msg)
{
	snprintf(r->error, sizeof(r->error), "%s", msg);
	r->failed = true;
	return -1;
}

static int fail_block(struct trace_reader *r, const char *why)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s: block at offset %llu is corrupt (%s)", r->name,
		 (unsigned long long)r->block_off, why);
	return fail(r, msg);
}

static int finish(struct trace_reader *r)
{
	if (r->done)
		return r->failed ? -1 : 0;
	unsigned long long n = (unsigned long long)r->sum.events;

	r->done = true;
	if (r->stop_error[0]) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s; %llu events before it were read", r->stop_error, n);
		return fail(r, msg);
	}
	if (r->sum.torn_tail)
		snprintf(r->warning, sizeof(r->warning),
			 "%s: trace cut after %llu events: last block incomplete (killed?)",
			 r->name, n);
	else if (!r->sum.clean_end)
		snprintf(r->warning, sizeof(r->warning),
			 "%s: trace has no end record (daemon killed or still running); "
			 "%llu events read", r->name, n);
	return 0;
}

/* Start decoding the EVENTS block at off (block_off names it in errors). */
static void cursor_load(struct trace_reader *r, struct block_cursor *c, uint64_t off)
{
	struct trace_block_header h;

	read_block_header(r->data + off, &h);
	c->p = r->data + off + HDR;
	c->end = c->p + h.payload_len;
	c->left = h.nrecords;
	trace_codec_reset(&c->codec);
	r->block_off = off;
}

/* The cursor's block has no more bytes: is that what its header said? */
static int cursor_check_end(struct trace_reader *r, const struct block_cursor *c)
{
	return c->left ? fail_block(r, "fewer events than its header says") : 0;
}

/* Decode the next event of a block that has bytes left; 1 or -1. */
static int cursor_decode(struct trace_reader *r, struct block_cursor *c, struct trace_event *ev)
{
	if (!c->left)
		return fail_block(r, "more events than its header says");
	if (trace_event_decode(&c->codec, &c->p, c->end, ev))
		return fail_block(r, "bad event encoding");
	c->left--;
	r->sum.events++;
	if (ev->start_ns < r->sum.first_ns)
		r->sum.first_ns = ev->start_ns;
	if (ev->start_ns > r->sum.last_ns)
		r->sum.last_ns = ev->start_ns;
	return 1;
}

/* Move to the next EVENTS block; false at the end of the good blocks. */
static bool next_events_block(struct trace_reader *r)
{
	struct trace_block_header h;

	while (r->pos < r->good_end) {
		release_behind(r, r->pos);
		read_block_header(r->data + r->pos, &h);
		r->block_off = r->pos;
		r->pos += HDR + h.payload_len;
		if (h.kind == TRACE_BLOCK_EVENTS) {
			cursor_load(r, &r->cur, r->block_off);
			return true;
		}
	}
	return false;
}

int trace_reader_next(struct trace_reader *r, struct trace_event *ev)
{
	if (r->failed)
		return -1;
	if (r->done)
		return 0;
	while (r->cur.p >= r->cur.end) {
		if (cursor_check_end(r, &r->cur) < 0)
			return -1;
		if (!next_events_block(r))
			return finish(r);
	}
	return cursor_decode(r, &r->cur, ev);
}

/* ---- runs: one writer thread's events ---- */

size_t trace_reader_run_count(const struct trace_reader *r)
{
	return r->nruns;
}

struct trace_run *trace_run_open(struct trace_reader *r, size_t i)
{
	struct trace_run *run;

	if (i >= r->nruns || !(run = calloc(1, sizeof(*run))))
		return NULL;
	run->r = r;
	run->block = NO_BLOCK;
	run->next = r->runs[i].first;
	return run;
}

void trace_run_close(struct trace_run *run)
{
	free(run);
}

/*
 * Drop the pages that only the finished block covers: no other run reads
 * them, so resident memory stays one block per run however long the trace.
 * (The events pass's release_behind() cannot: runs stand far apart.)
 */
static void release_block(struct trace_run *run)
{
	struct trace_reader *r = run->r;
	const struct ev_block *b = &r->blocks[run->block];
	size_t page = (size_t)sysconf(_SC_PAGESIZE), lo, hi;
	struct trace_block_header h;

	if (!r->map)
		return;
	read_block_header(r->data + b->off, &h);
	lo = (b->off + page - 1) & ~(page - 1);
	hi = (b->off + HDR + h.payload_len) & ~(page - 1);
	if (hi > lo)
		madvise((char *)r->map + lo, hi - lo, MADV_DONTNEED);
}

/* Move run to its writer's next block; false at its end. */
static bool run_next_block(struct trace_run *run)
{
	struct trace_reader *r = run->r;

	if (run->block != NO_BLOCK)
		release_block(run);
	if (run->next == NO_BLOCK)
		return false;
	run->block = run->next;
	run->next = r->blocks[run->block].next;
	cursor_load(r, &run->cur, r->blocks[run->block].off);
	return true;
}

/* The end of a run; the end of the last one is the end of the trace. */
static int run_end(struct trace_run *run)
{
	struct trace_reader *r = run->r;

	run->done = true;
	if (++r->runs_ended < r->nruns)
		return 0;
	return finish(r);
}

int trace_run_next(struct trace_run *run, struct trace_event *ev)
{
	struct trace_reader *r = run->r;

	if (r->failed)
		return -1;
	if (run->done)
		return 0;
	while (run->cur.p >= run->cur.end) {
		if (cursor_check_end(r, &run->cur) < 0)
			return -1;
		if (!run_next_block(run))
			return run_end(run);
	}
	return cursor_decode(r, &run->cur, ev);
}

/* ---- paths ---- */

/* The dentry of file_id in force at at_ns, and the interval it covers. */
static struct dentry_ent *dentry_at(struct trace_reader *r, uint64_t file_id, uint64_t at_ns,
				    uint64_t *lo, uint64_t *hi)
{
	uint32_t first = hash_index_find(&r->files, hash_u64(file_id), NULL, NULL);
	size_t a, b, end;

	if (first == HASH_INDEX_NONE)
		return NULL;
	/* The last entry with time_ns <= at_ns, else the first. */
	a = first;
	b = end = first + r->dentries[first].run;
	while (b - a > 1) {
		size_t mid = a + (b - a) / 2;

		if (r->dentries[mid].time_ns <= at_ns)
			a = mid;
		else
			b = mid;
	}
	*lo = a == first ? 0 : r->dentries[a].time_ns;
	*hi = a + 1 < end ? r->dentries[a + 1].time_ns : UINT64_MAX;
	return &r->dentries[a];
}

static const char *resolve(struct trace_reader *r, uint64_t file_id, uint64_t at_ns,
			   size_t *len, uint64_t *lo, uint64_t *hi, unsigned int depth)
{
	struct dentry_ent *e = dentry_at(r, file_id, at_ns, lo, hi);
	const char *parent = "";
	size_t plen = 0;
	char unknown[32];
	char *path;

	if (!e)
		return NULL;
	if (e->path && e->lo <= at_ns && at_ns < e->hi) {
		*lo = e->lo;
		*hi = e->hi;
		*len = e->path_len;
		return e->path;
	}
	if (e->parent_id && depth < PATH_DEPTH_MAX) {
		uint64_t plo, phi;

		parent = resolve(r, e->parent_id, at_ns, &plen, &plo, &phi, depth + 1);
		if (plo > *lo)
			*lo = plo;
		if (phi < *hi)
			*hi = phi;
	}
	if (e->parent_id && (!parent || depth >= PATH_DEPTH_MAX)) {
		/* A parent the trace never named (or a loop): say which. */
		plen = (size_t)snprintf(unknown, sizeof(unknown), "#%llu",
					(unsigned long long)e->parent_id);
		parent = unknown;
	}
	path = arena_alloc(r, plen + 1 + e->name_len + 1);
	if (!path)
		return NULL;
	memcpy(path, parent, plen);
	*len = plen;
	if (plen && e->name_len)
		path[(*len)++] = '/';
	memcpy(path + *len, e->name, e->name_len);
	*len += e->name_len;
	path[*len] = '\0';
	e->path = path;
	e->path_len = *len;
	e->lo = *lo;
	e->hi = *hi;
	return path;
}

const char *trace_reader_path(struct trace_reader *r, uint64_t file_id, uint64_t at_ns,
			      size_t *len)
{
	struct path_memo *m = &r->path_memo[hash_u64(file_id) & (PATH_MEMO - 1)];
	uint64_t lo, hi;
	size_t n = 0;
	const char *p;

	if (m->path && m->file_id == file_id && m->lo <= at_ns && at_ns < m->hi) {
		p = m->path;
		n = m->len;
	} else {
		p = resolve(r, file_id, at_ns, &n, &lo, &hi, 0);
		if (p)
			*m = (struct path_memo){ file_id, lo, hi, p, n };
	}
	if (len)
		*len = n;
	return p;
}

bool trace_reader_app_available(const struct trace_reader *r)
{
	const char *v = trace_reader_header(r, TRACE_HDR_app_counters);

	return v && !strcmp(v, "1");
}

size_t trace_reader_app_count(const struct trace_reader *r)
{
	return r->app.n;
}

bool trace_reader_app_get(const struct trace_reader *r, size_t i, struct trace_app_sample *out)
{
	return app_samples_get(&r->app, i, out);
}
