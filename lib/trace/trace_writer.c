/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_writer.c - per-thread event buffers, one writer thread, one
 * pwrite() per block.
 *
 * A request thread encodes its event straight into a buffer of its own
 * (struct thread_slot, found through a pthread key), under a mutex that
 * only the writer thread contends for, every sweep.  The writer thread
 * takes full buffers from a queue and aged ones from the slots, writes
 * each as one block, and gives them back to a fixed pool.  When the pool
 * is empty a request thread waits: events are never dropped to keep up.
 *
 * Lock order: slot->lock, then w->lock.  The writer thread never holds
 * w->lock while it waits for a slot's lock (it only tries it).
 *
 * It deliberately does not retry a failed write of the same block: a
 * block that could not be written is counted as lost (its events) and
 * its buffer reused, so request threads never wait on a broken disk.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "crc32c.h"
#include "trace_encode.h"
#include "trace_writer.h"
#include "trace_writer_testing.h"

#define BUF_BYTES	(256u << 10)	/* one block: header + payload */
#define MAX_BUFS	32		/* the pool: 8 MiB of event buffers */
#define SWEEP_MS	(TRACE_FLUSH_INTERVAL_MS / 4)
/* A buffer this old is written at the next sweep: age + sweep < interval. */
#define AGE_NS		((uint64_t)TRACE_FLUSH_INTERVAL_MS / 2 * 1000000u)
#define HDR		sizeof(struct trace_block_header)

struct trace_buf {
	struct trace_buf *next;
	size_t len;		/* bytes used, the block header's included */
	uint32_t nrecords;
	uint32_t tid;
	uint64_t first_ns;	/* coarse clock when the first record went in */
	struct trace_codec codec;
	uint8_t data[BUF_BYTES];
};

struct thread_slot {
	pthread_mutex_t lock;	/* owner thread appending; writer sweeping */
	struct trace_buf *cur;	/* protected by lock */
	/* Full buffers waiting for the writer, oldest first; protected by lock. */
	struct trace_buf *full, **full_tail;
	uint64_t events;	/* written by the owner only, read atomically */
	bool dead;		/* protected by lock: the thread exited */
	uint32_t tid;
	struct thread_slot *next; /* inserted under w->lock, removed by the writer */
};

struct trace_writer {
	int fd;
	char *path;
	pthread_key_t key;
	pthread_t thread;
	ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
	int flush_signal;	/* set by trace_writer_request_flush() */

	pthread_mutex_t lock;	/* protects everything down to the writer-only part */
	pthread_cond_t wake;	/* the writer thread has work */
	pthread_cond_t buf_freed; /* a buffer or meta space became free */
	pthread_cond_t flushed;
	struct thread_slot *slots;
	struct trace_buf *free_bufs;
	unsigned int nbufs;
	struct trace_buf *meta, *meta_spare;
	uint64_t flush_req, flush_done;
	bool stop, kick;
	uint64_t events_retired; /* appended by threads whose slots were freed */
	struct trace_writer_stats stats; /* except events */

	/* Writer thread only (close after joining it). */
	struct trace_buf *one;	/* LOST and END blocks */
	uint64_t offset;	/* end of the last good block */
	uint64_t seq;
	uint64_t written_events;
	uint64_t lost_unreported, lost_meta_unreported;
	bool complained;
};

uint64_t trace_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t coarse_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void buf_reset(struct trace_buf *b, uint32_t tid)
{
	b->len = HDR;
	b->nrecords = 0;
	b->tid = tid;
	trace_codec_reset(&b->codec);
}

/* ---- request threads ---- */

static void slot_exit(void *arg)
{
	struct thread_slot *s = arg;

	pthread_mutex_lock(&s->lock);
	s->dead = true;
	pthread_mutex_unlock(&s->lock);
}

static struct thread_slot *slot_register(struct trace_writer *w)
{
	struct thread_slot *s = calloc(1, sizeof(*s));

	if (!s) {
		fprintf(stderr, "accessfs: trace: out of memory\n");
		abort();
	}
	pthread_mutex_init(&s->lock, NULL);
	s->full_tail = &s->full;
	s->tid = (uint32_t)gettid();
	pthread_setspecific(w->key, s);
	pthread_mutex_lock(&w->lock);
	s->next = w->slots;
	w->slots = s;
	pthread_mutex_unlock(&w->lock);
	return s;
}

/* A free buffer from the pool, waiting for the writer if there is none. */
static struct trace_buf *buf_get(struct trace_writer *w)
{
	struct trace_buf *b;

	pthread_mutex_lock(&w->lock);
	while (!w->free_bufs && w->nbufs >= MAX_BUFS) {
		w->stats.waits++;
		w->kick = true;
		pthread_cond_signal(&w->wake);
		pthread_cond_wait(&w->buf_freed, &w->lock);
	}
	b = w->free_bufs;
	if (b) {
		w->free_bufs = b->next;
	} else {
		b = malloc(sizeof(*b));
		if (!b) {
			fprintf(stderr, "accessfs: trace: out of memory\n");
			abort();
		}
		w->nbufs++;
	}
	pthread_mutex_unlock(&w->lock);
	return b;
}

/* Called with s->lock held; returns with it held and room in s->cur. */
static struct trace_buf *slot_refill(struct trace_writer *w, struct thread_slot *s)
{
	struct trace_buf *b = s->cur;

	if (b) {
		s->cur = NULL;
		b->next = NULL;
		*s->full_tail = b;
		s->full_tail = &b->next;
		pthread_mutex_lock(&w->lock);
		w->kick = true;
		pthread_cond_signal(&w->wake);
		pthread_mutex_unlock(&w->lock);
	}
	pthread_mutex_unlock(&s->lock);
	b = buf_get(w);
	buf_reset(b, s->tid);
	pthread_mutex_lock(&s->lock);
	s->cur = b;
	return b;
}

void trace_writer_append(struct trace_writer *w, const struct trace_event *ev)
{
	struct thread_slot *s = pthread_getspecific(w->key);
	struct trace_buf *b;

	if (!s)
		s = slot_register(w);
	pthread_mutex_lock(&s->lock);
	b = s->cur;
	if (!b || b->len + trace_event_encoded_max(ev) > BUF_BYTES)
		b = slot_refill(w, s);
	if (!b->nrecords)
		b->first_ns = coarse_now_ns();
	b->len += trace_event_encode(&b->codec, ev, b->data + b->len);
	b->nrecords++;
	__atomic_store_n(&s->events, s->events + 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&s->lock);
}

/* ---- META records: rare, one shared buffer under w->lock ---- */

static uint8_t *meta_reserve(struct trace_writer *w)
{
	pthread_mutex_lock(&w->lock);
	while (w->meta->len + TRACE_META_RECORD_MAX > BUF_BYTES) {
		w->stats.waits++;
		w->kick = true;
		pthread_cond_signal(&w->wake);
		pthread_cond_wait(&w->buf_freed, &w->lock);
	}
	return w->meta->data + w->meta->len;
}

static void meta_commit(struct trace_writer *w, size_t len)
{
	w->meta->len += len;
	w->meta->nrecords++;
	w->stats.meta_records++;
	pthread_mutex_unlock(&w->lock);
}

void trace_writer_dentry(struct trace_writer *w, const struct trace_dentry *d)
{
	uint8_t *p = meta_reserve(w);

	meta_commit(w, trace_meta_encode_dentry(p, d));
}

void trace_writer_proc(struct trace_writer *w, const struct trace_proc *pr)
{
	uint8_t *p = meta_reserve(w);

	meta_commit(w, trace_meta_encode_proc(p, pr));
}

void trace_writer_unlink(struct trace_writer *w, uint64_t time_ns, uint64_t file_id)
{
	uint8_t *p = meta_reserve(w);

	meta_commit(w, trace_meta_encode_pair(p, TRACE_META_UNLINK, time_ns, file_id));
}

void trace_writer_labels(struct trace_writer *w, const struct trace_label_stats *st)
{
	const uint64_t v[] = { st->time_ns, st->late, st->nocause, st->dropped, st->overlaps };
	uint8_t *p = meta_reserve(w);

	meta_commit(w, trace_meta_encode_numbers(p, TRACE_META_LABELS, v, 5));
}

void trace_writer_transport(struct trace_writer *w, const struct trace_transport_stats *st)
{
	const uint64_t v[] = { st->time_ns, st->queues, st->ring_requests };
	uint8_t *p = meta_reserve(w);

	meta_commit(w, trace_meta_encode_numbers(p, TRACE_META_TRANSPORT, v, 3));
}

void trace_writer_app(struct trace_writer *w, const struct trace_app_sample *a)
{
	uint8_t *p = meta_reserve(w);

	meta_commit(w, trace_meta_encode_app(p, a));
}

/* ---- the writer thread ---- */

static int pwrite_all(struct trace_writer *w, const uint8_t *p, size_t len, uint64_t off)
{
	while (len) {
		ssize_t n = w->pwrite_fn(w->fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static void seal_block(struct trace_writer *w, struct trace_buf *b, uint32_t kind)
{
	struct trace_block_header h = {
		.magic = TRACE_BLOCK_MAGIC,
		.kind = kind,
		.payload_len = (uint32_t)(b->len - HDR),
		.crc32c = crc32c(0, b->data + HDR, b->len - HDR),
		.seq = w->seq,
		.nrecords = b->nrecords,
		.writer_tid = kind == TRACE_BLOCK_EVENTS ? b->tid : 0,
	};

	memcpy(b->data, &h, HDR);
}

static void write_failed(struct trace_writer *w, int err)
{
	if (!w->complained) {
		fprintf(stderr, "accessfs: trace %s: %s; events are being counted, not recorded\n",
			w->path, strerror(err));
		w->complained = true;
	}
	/* No partial block may stay behind: the next good one goes here. */
	if (ftruncate(w->fd, (off_t)w->offset) < 0) {
		/* Nothing more to do: the reader treats a torn tail as a cut. */
	}
}

/* Write b as one block at the end; 0, or -1 (counted, file truncated back). */
static int write_block(struct trace_writer *w, struct trace_buf *b, uint32_t kind)
{
	seal_block(w, b, kind);
	if (pwrite_all(w, b->data, b->len, w->offset) < 0) {
		write_failed(w, errno);
		return -1;
	}
	w->offset += b->len;
	w->seq++;
	pthread_mutex_lock(&w->lock);
	w->stats.bytes += b->len;
	w->stats.blocks++;
	pthread_mutex_unlock(&w->lock);
	return 0;
}

/* A META block of one record (LOST or END), from a small buffer of its own. */
static int write_meta_numbers(struct trace_writer *w, unsigned int type, const uint64_t *v,
			      size_t n)
{
	struct trace_buf *one = w->one;

	buf_reset(one, 0);
	one->len += trace_meta_encode_numbers(one->data + HDR, type, v, n);
	one->nrecords = 1;
	return write_block(w, one, TRACE_BLOCK_META);
}

/* The LOST record of what could not be written since the last one; 0 if none is due. */
static int report_lost(struct trace_writer *w)
{
	const uint64_t v[] = { trace_now_ns(), w->lost_unreported, w->lost_meta_unreported };

	if (!w->lost_unreported && !w->lost_meta_unreported)
		return 0;
	if (write_meta_numbers(w, TRACE_META_LOST, v, 3) < 0)
		return -1;
	w->lost_unreported = w->lost_meta_unreported = 0;
	return 0;
}

/* The END record: events written, and the totals of what was lost. */
static int write_end(struct trace_writer *w, const struct trace_writer_stats *st)
{
	const uint64_t v[] = { trace_now_ns(), w->written_events, st->lost, st->lost_meta };

	return write_meta_numbers(w, TRACE_META_END, v, 4);
}

static void count_lost(struct trace_writer *w, uint64_t events, uint64_t meta)
{
	w->lost_unreported += events;
	w->lost_meta_unreported += meta;
	pthread_mutex_lock(&w->lock);
	w->stats.lost += events;
	w->stats.lost_meta += meta;
	pthread_mutex_unlock(&w->lock);
}

/* Write one buffer; after a failure, first say how much was lost. */
static void write_buffer(struct trace_writer *w, struct trace_buf *b, uint32_t kind)
{
	bool events = kind == TRACE_BLOCK_EVENTS;

	if (report_lost(w) < 0 || write_block(w, b, kind) < 0) {
		count_lost(w, events ? b->nrecords : 0, events ? 0 : b->nrecords);
		return;
	}
	if (events)
		w->written_events += b->nrecords;
}

/*
 * Take the buffers due for writing: full ones and aged (or, if force, all)
 * current ones, each thread's in the order it filled them.
 */
static struct trace_buf *collect(struct trace_writer *w, bool force, struct trace_buf **meta)
{
	struct trace_buf *list = NULL, **tail = &list;
	uint64_t now = coarse_now_ns();
	struct thread_slot *s;

	pthread_mutex_lock(&w->lock);
	s = w->slots;
	pthread_mutex_unlock(&w->lock);
	for (; s; s = s->next) {
		pthread_mutex_lock(&s->lock);
		if (s->full) {
			*tail = s->full;
			tail = s->full_tail;
			s->full = NULL;
			s->full_tail = &s->full;
		}
		if (s->cur && s->cur->nrecords &&
		    (force || s->dead || now - s->cur->first_ns >= AGE_NS)) {
			*tail = s->cur;
			tail = &s->cur->next;
			s->cur = NULL;
		}
		pthread_mutex_unlock(&s->lock);
	}
	*tail = NULL;
	pthread_mutex_lock(&w->lock);
	*meta = NULL;
	if (w->meta->nrecords && w->meta_spare) {
		*meta = w->meta;
		w->meta = w->meta_spare;
		w->meta_spare = NULL;
	}
	pthread_mutex_unlock(&w->lock);
	return list;
}

/* Is s a slot of an exited thread with nothing left to write? */
static bool slot_is_done(struct thread_slot *s)
{
	bool done;

	/* Under w->lock: a try, since the lock order is slot->lock first. */
	if (pthread_mutex_trylock(&s->lock) != 0)
		return false;
	done = s->dead && !s->cur && !s->full;
	pthread_mutex_unlock(&s->lock);
	return done;
}

/* Free the slots of exited threads once their buffers are written.  Under w->lock. */
static void reap_slots(struct trace_writer *w)
{
	struct thread_slot **pp = &w->slots, *s;

	while ((s = *pp)) {
		if (slot_is_done(s)) {
			*pp = s->next;
			w->events_retired += __atomic_load_n(&s->events, __ATOMIC_RELAXED);
			pthread_mutex_destroy(&s->lock);
			free(s);
		} else {
			pp = &s->next;
		}
	}
}

static void writer_cycle(struct trace_writer *w, bool force)
{
	struct trace_buf *meta, *list = collect(w, force, &meta), *b, *next;

	if (meta)
		write_buffer(w, meta, TRACE_BLOCK_META);
	for (b = list; b; b = b->next)
		write_buffer(w, b, TRACE_BLOCK_EVENTS);
	pthread_mutex_lock(&w->lock);
	for (b = list; b; b = next) {
		next = b->next;
		b->next = w->free_bufs;
		w->free_bufs = b;
	}
	if (meta) {
		buf_reset(meta, 0);
		w->meta_spare = meta;
	}
	reap_slots(w);
	pthread_cond_broadcast(&w->buf_freed);
	pthread_mutex_unlock(&w->lock);
}

static void deadline_after_ms(struct timespec *ts, unsigned int ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	ts->tv_sec += ms / 1000 + ts->tv_nsec / 1000000000L;
	ts->tv_nsec %= 1000000000L;
}

static void *writer_main(void *arg)
{
	struct trace_writer *w = arg;
	struct timespec ts;

	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		uint64_t req;
		bool force;

		if (!w->kick && w->flush_req == w->flush_done) {
			deadline_after_ms(&ts, SWEEP_MS);
			pthread_cond_timedwait(&w->wake, &w->lock, &ts);
		}
		w->kick = false;
		req = w->flush_req;
		force = req != w->flush_done || __atomic_exchange_n(&w->flush_signal, 0,
								     __ATOMIC_SEQ_CST);
		pthread_mutex_unlock(&w->lock);
		writer_cycle(w, force);
		if (force)
			fdatasync(w->fd);
		pthread_mutex_lock(&w->lock);
		if (req > w->flush_done) {
			w->flush_done = req;
			pthread_cond_broadcast(&w->flushed);
		}
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

void trace_writer_flush(struct trace_writer *w)
{
	uint64_t req;

	pthread_mutex_lock(&w->lock);
	req = ++w->flush_req;
	pthread_cond_signal(&w->wake);
	while (w->flush_done < req && !w->stop)
		pthread_cond_wait(&w->flushed, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

void trace_writer_request_flush(struct trace_writer *w)
{
	__atomic_store_n(&w->flush_signal, 1, __ATOMIC_SEQ_CST);
}

/* ---- open and close ---- */

static size_t header_encode(uint8_t *out, const struct trace_header_field *fields, size_t n)
{
	uint8_t *p = out;

	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(fields[i].value);
		uint16_t key = fields[i].key, l16;

		if (len > UINT16_MAX)
			len = UINT16_MAX;
		l16 = (uint16_t)len;
		if (out) {
			memcpy(p, &key, 2);
			memcpy(p + 2, &l16, 2);
			memcpy(p + 4, fields[i].value, len);
		}
		p += 4 + len;
	}
	return (size_t)(p - out);
}

static int write_file_header(struct trace_writer *w, const struct trace_header_field *fields,
			     size_t nfields)
{
	size_t hlen = header_encode(NULL, fields, nfields);
	struct trace_file_header fh = { .version = TRACE_VERSION, .header_len = (uint32_t)hlen };
	uint8_t *buf = malloc(sizeof(fh) + hlen);
	int rc;

	if (!buf)
		return -1;
	memcpy(fh.magic, TRACE_MAGIC, TRACE_MAGIC_LEN);
	memcpy(buf, &fh, sizeof(fh));
	header_encode(buf + sizeof(fh), fields, nfields);
	rc = pwrite_all(w, buf, sizeof(fh) + hlen, 0);
	free(buf);
	w->offset = sizeof(fh) + hlen;
	return rc;
}

static struct trace_writer *writer_alloc(void)
{
	struct trace_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->meta = malloc(sizeof(*w->meta));
	w->meta_spare = malloc(sizeof(*w->meta_spare));
	w->one = malloc(sizeof(*w->one));
	if (!w->meta || !w->meta_spare || !w->one) {
		free(w->meta);
		free(w->meta_spare);
		free(w->one);
		free(w);
		return NULL;
	}
	buf_reset(w->meta, 0);
	buf_reset(w->meta_spare, 0);
	w->pwrite_fn = pwrite;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->buf_freed, NULL);
	pthread_cond_init(&w->flushed, NULL);
	return w;
}

static void writer_free(struct trace_writer *w)
{
	struct trace_buf *b, *next;
	struct thread_slot *s, *snext;

	for (s = w->slots; s; s = snext) {
		snext = s->next;
		free(s->cur);
		for (b = s->full; b; b = next) {
			next = b->next;
			free(b);
		}
		pthread_mutex_destroy(&s->lock);
		free(s);
	}
	for (b = w->free_bufs; b; b = next) {
		next = b->next;
		free(b);
	}
	free(w->meta);
	free(w->meta_spare);
	free(w->one);
	free(w->path);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->buf_freed);
	pthread_cond_destroy(&w->flushed);
	free(w);
}

static int start_thread(struct trace_writer *w)
{
	pthread_condattr_t ca;
	sigset_t all, old;
	int rc;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &ca);
	pthread_condattr_destroy(&ca);
	/* The writer thread takes no signals: the daemon handles them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&w->thread, NULL, writer_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

struct trace_writer *trace_writer_open(const char *path,
				       const struct trace_header_field *fields,
				       size_t nfields, bool overwrite,
				       char *err, size_t errlen)
{
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL);
	struct trace_writer *w = writer_alloc();
	int rc;

	if (!w || !(w->path = strdup(path))) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out_free;
	}
	w->fd = open(path, flags, 0600);
	if (w->fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out_free;
	}
	if (fchmod(w->fd, 0600) < 0 || write_file_header(w, fields, nfields) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out_close;
	}
	if (pthread_key_create(&w->key, slot_exit) != 0) {
		snprintf(err, errlen, "%s: no thread key left", path);
		goto out_close;
	}
	rc = start_thread(w);
	if (rc) {
		snprintf(err, errlen, "%s: cannot start writer thread: %s", path, strerror(rc));
		pthread_key_delete(w->key);
		goto out_close;
	}
	return w;

out_close:
	close(w->fd);
	unlink(path);
out_free:
	if (w)
		writer_free(w);
	return NULL;
}

void trace_writer_get_stats(struct trace_writer *w, struct trace_writer_stats *stats)
{
	pthread_mutex_lock(&w->lock);
	*stats = w->stats;
	stats->events = w->events_retired;
	for (struct thread_slot *s = w->slots; s; s = s->next)
		stats->events += __atomic_load_n(&s->events, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&w->lock);
}

int trace_writer_close(struct trace_writer *w, struct trace_writer_stats *stats)
{
	struct trace_writer_stats st;
	bool end_written;
	int rc;

	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_key_delete(w->key);

	writer_cycle(w, true);
	report_lost(w);
	trace_writer_get_stats(w, &st);
	end_written = write_end(w, &st) == 0;
	trace_writer_get_stats(w, &st);
	if (!end_written)
		fprintf(stderr, "accessfs: trace %s: the end record could not be written; "
			"%llu events lost\n", w->path, (unsigned long long)st.lost);
	rc = end_written && !st.lost ? 0 : -1;
	if (fdatasync(w->fd) < 0)
		rc = -1;
	if (close(w->fd) < 0)
		rc = -1;
	if (stats)
		*stats = st;
	writer_free(w);
	return rc;
}

void trace_writer_set_pwrite(struct trace_writer *w,
			     ssize_t (*fn)(int fd, const void *buf, size_t len, off_t off))
{
	w->pwrite_fn = fn ? fn : pwrite;
}
