/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * requester.c - the per-thread cache behind the classifier (requester.h).
 *
 * On the hot path a request costs one pread of /proc/<tid>/syscall (shared
 * between classifier_identify and classify_request through the request's
 * classify_scratch) and, for syscalls naming an fd, at most one pread of that fd's
 * fdinfo.  Descriptors are opened once per thread (or per thread and fd).
 * It never stats /proc/<pid>/fd/N: that would send GETATTR to ourselves.
 * It does not decide anything: that is classify.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "proc_helper.h"
#include "requester.h"

#define BUCKETS		128
#define PER_BUCKET	(REQUESTER_MAX / BUCKETS)
/*
 * How often a thread is checked for death when nothing else reads its /proc
 * syscall (labels off, metadata requests).  A tid is reused only after the
 * kernel has handed out every other pid (pid_max, >= 32768), which takes
 * seconds of forking at the very least.
 */
#define REVERIFY_NS	100000000

struct fdinfo_slot {
	int fd;			/* the thread's fd number; -1: slot free */
	int info_fd;		/* our descriptor on /proc/<tid>/fdinfo/<fd> */
	uint64_t ino;		/* inode seen at the last read */
};

struct stream_slot {
	uint64_t file_id;	/* 0: slot free */
	uint64_t end;		/* where the last labelled request ended */
	uint8_t method;
};

struct requester {
	struct requester *next;
	uint32_t tid, tgid;
	int syscall_fd;
	int statm_fd;		/* opened on the first request that needs it */
	int comm_fd;		/* opened with the entry's identity */
	uint64_t last_use;
	uint64_t verified_ns;	/* when the syscall fd last said the thread lives */
	bool io_worker;
	unsigned int fd_next, stream_next;	/* round-robin replacement */
	struct fdinfo_slot fds[REQUESTER_FDS];
	struct stream_slot streams[REQUESTER_STREAMS];
	uint64_t renames_seen;	/* the table's renames when comm was read */
	char comm[16];
	char exe[256];
};

struct bucket {
	pthread_mutex_t lock;	/* protects the list and its entries */
	struct requester *head;
	unsigned int n;
};

struct requester_table {
	struct bucket buckets[BUCKETS];
	atomic_uint_fast64_t clock;	/* last_use stamps */
	const uint64_t *renames;	/* task renames on the system; NULL: unknown */
};

struct requester_table *requester_table_new(void)
{
	struct requester_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	for (int i = 0; i < BUCKETS; i++)
		pthread_mutex_init(&t->buckets[i].lock, NULL);
	return t;
}

void requester_table_watch_renames(struct requester_table *t, const uint64_t *renames)
{
	t->renames = renames;
}

static uint64_t renames_now(const struct requester_table *t)
{
	return t->renames ? __atomic_load_n(t->renames, __ATOMIC_ACQUIRE) : 0;
}

static void requester_free(struct requester *e)
{
	for (int i = 0; i < REQUESTER_FDS; i++)
		if (e->fds[i].fd >= 0)
			close(e->fds[i].info_fd);
	if (e->syscall_fd >= 0)
		close(e->syscall_fd);
	if (e->statm_fd >= 0)
		close(e->statm_fd);
	if (e->comm_fd >= 0)
		close(e->comm_fd);
	free(e);
}

void requester_table_free(struct requester_table *t)
{
	if (!t)
		return;
	for (int i = 0; i < BUCKETS; i++) {
		struct requester *e = t->buckets[i].head, *next;

		for (; e; e = next) {
			next = e->next;
			requester_free(e);
		}
		pthread_mutex_destroy(&t->buckets[i].lock);
	}
	free(t);
}

/* ---------------------------------------------------------------------- */
/* Parsing                                                                 */

static const char *parse_u64(const char *p, const char *end, uint64_t *v)
{
	int base = 10;
	uint64_t x = 0;
	const char *start;

	while (p < end && *p == ' ')
		p++;
	if (end - p > 2 && p[0] == '0' && p[1] == 'x') {
		base = 16;
		p += 2;
	}
	for (start = p; p < end; p++) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else
			break;
		x = x * (uint64_t)base + (uint64_t)d;
	}
	*v = x;
	return p > start ? p : NULL;
}

/* fs/proc/base.c proc_pid_syscall: "running", "nr sp pc" for nr < 0 (a
 * thread outside a syscall), else "nr a0 .. a5 sp pc". */
void requester_parse_syscall(const char *line, size_t len, struct requester_state *st)
{
	const char *p = line, *end = line + len;
	bool negative = false;
	uint64_t nr;

	st->readable = false;
	st->running = false;
	if (len >= 7 && memcmp(line, "running", 7) == 0) {
		st->readable = true;
		st->running = true;
		return;
	}
	if (p < end && *p == '-') {
		negative = true;
		p++;
	}
	p = parse_u64(p, end, &nr);
	if (!p)
		return;
	st->readable = true;
	st->nr = negative ? TRACE_SYSCALL_FAULT : (int32_t)nr;
	if (negative)
		return;
	for (int i = 0; i < 6 && p; i++)
		p = parse_u64(p, end, &st->args[i]);
}

static bool find_field(const char *text, size_t len, const char *key, uint64_t *v)
{
	size_t klen = strlen(key);

	for (const char *p = text; p && p + klen < text + len;) {
		if (memcmp(p, key, klen) == 0) {
			p += klen;
			while (p < text + len && (*p == ' ' || *p == '\t'))
				p++;
			return parse_u64(p, text + len, v) != NULL;
		}
		p = memchr(p, '\n', (size_t)(text + len - p));
		if (p)
			p++;
	}
	return false;
}

bool requester_parse_fdinfo(const char *text, size_t len, uint64_t *pos, uint64_t *ino)
{
	return find_field(text, len, "pos:", pos) && find_field(text, len, "ino:", ino);
}

/* ---------------------------------------------------------------------- */
/* Reading /proc                                                           */

static int open_proc(uint32_t tid, const char *what)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/%s", tid, what);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

static ssize_t read_proc(uint32_t tid, const char *what, char *buf, size_t size)
{
	int fd = open_proc(tid, what);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	else
		buf[n] = '\0';
	close(fd);
	return n;
}

/* pread at 0 regenerates a seq_file: no reopen per request. */
static ssize_t pread_line(int fd, char *buf, size_t size)
{
	ssize_t n = pread(fd, buf, size - 1, 0);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

/*
 * A thread that sent a request it waits for reads as "running" until it
 * has gone to sleep (or while preempted on its way there): look again, a
 * few times, SETTLE_WAIT_NS apart.
 */
#define SETTLE_TRIES	4
#define SETTLE_WAIT_NS	50000

static bool is_running(const char *line, ssize_t n)
{
	return n >= 7 && memcmp(line, "running", 7) == 0;
}

static void settle_wait(void)
{
	nanosleep(&(struct timespec){ .tv_nsec = SETTLE_WAIT_NS }, NULL);
}

void requester_syscall_line_job(void *ctx, const void *in, void *out)
{
	uint32_t tid;
	ssize_t n = -1;

	(void)ctx;
	memcpy(&tid, in, sizeof(tid));
	for (int i = 0; i < SETTLE_TRIES; i++) {
		if (i)
			settle_wait();
		n = read_proc(tid, "syscall", out, PROC_HELPER_MAX_IO);
		if (!is_running(out, n))
			break;
	}
	if (n < 0)
		*(char *)out = '\0';
}

/*
 * e's comm as /proc has it now, without the newline, NUL-terminated in
 * comm: its length, or -errno.  The file stays open: OPENs look again
 * (renamed()).
 */
static ssize_t read_comm(struct requester *e, char *comm, size_t size)
{
	ssize_t n;

	if (e->comm_fd < 0)
		e->comm_fd = open_proc(e->tid, "comm");
	if (e->comm_fd < 0)
		return e->comm_fd;
	n = pread_line(e->comm_fd, comm, size);
	if (n > 0 && comm[n - 1] == '\n')
		comm[--n] = '\0';
	return n;
}

/* Thread group, name and executable, read once per thread. */
static int read_identity(struct requester *e)
{
	char buf[2048], path[64];
	uint64_t tgid;
	ssize_t n = read_proc(e->tid, "status", buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	if (!find_field(buf, (size_t)n, "Tgid:", &tgid))
		return -EINVAL;
	e->tgid = (uint32_t)tgid;
	read_comm(e, e->comm, sizeof(e->comm));
	e->io_worker = strncmp(e->comm, "iou-wrk-", 8) == 0 || strncmp(e->comm, "iou-sqp-", 8) == 0;
	snprintf(path, sizeof(path), "/proc/%u/exe", e->tgid);
	n = readlink(path, e->exe, sizeof(e->exe) - 1);
	e->exe[n > 0 ? n : 0] = '\0';
	return 0;
}

static struct requester *requester_create(uint32_t tid, int *err)
{
	struct requester *e = calloc(1, sizeof(*e));

	if (!e) {
		*err = -ENOMEM;
		return NULL;
	}
	e->tid = tid;
	for (int i = 0; i < REQUESTER_FDS; i++)
		e->fds[i].fd = -1;
	e->statm_fd = -1;
	e->comm_fd = -1;
	e->syscall_fd = open_proc(tid, "syscall");
	*err = read_identity(e);
	if (*err) {
		requester_free(e);
		return NULL;
	}
	return e;
}

/* ---------------------------------------------------------------------- */
/* The table                                                               */

static struct bucket *bucket_of(struct requester_table *t, uint32_t tid)
{
	return &t->buckets[tid % BUCKETS];
}

static struct requester *bucket_find(struct bucket *b, uint32_t tid)
{
	for (struct requester *e = b->head; e; e = e->next)
		if (e->tid == tid)
			return e;
	return NULL;
}

static void bucket_remove(struct bucket *b, struct requester *victim)
{
	for (struct requester **pp = &b->head; *pp; pp = &(*pp)->next) {
		if (*pp == victim) {
			*pp = victim->next;
			b->n--;
			requester_free(victim);
			return;
		}
	}
}

static void bucket_insert(struct bucket *b, struct requester *e)
{
	if (b->n >= PER_BUCKET) {
		struct requester *oldest = b->head;

		for (struct requester *x = b->head; x; x = x->next)
			if (x->last_use < oldest->last_use)
				oldest = x;
		bucket_remove(b, oldest);
	}
	e->next = b->head;
	b->head = e;
	b->n++;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Read e's syscall line into *snap; settle: e waits for our reply. */
static void snap_read(struct requester *e, bool settle, struct classify_scratch *snap)
{
	ssize_t n = e->syscall_fd;

	for (int i = 0; e->syscall_fd >= 0 && i < SETTLE_TRIES; i++) {
		if (i)
			settle_wait();
		n = pread_line(e->syscall_fd, snap->syscall.line, sizeof(snap->syscall.line));
		if (!settle || !is_running(snap->syscall.line, n))
			break;
	}
	snap->syscall.tid = e->tid;
	snap->syscall.fresh = true;
	snap->syscall.err = n < 0 ? (int)n : 0;
	snap->syscall.len = n < 0 ? 0 : (size_t)n;
	e->verified_ns = now_ns();
}

/*
 * Whether e may be inside an execve, where reading its /proc syscall would
 * block.  fs/exec.c takes exec_update_lock in exec_mmap, which gives the
 * thread its new mm, and releases it before the binary loader sets that
 * mm's code range; everything in between that reaches us (the close of
 * O_CLOEXEC files: FLUSH) sees a text size of 0 in /proc/<tid>/statm, which
 * reads the mm without that lock.  A program that has run has text.  When
 * statm is unreadable, assume the worst.
 */
static bool maybe_in_exec(struct requester *e)
{
	char buf[128];
	uint64_t text = 0;
	const char *p;
	ssize_t n;

	if (e->statm_fd < 0)
		e->statm_fd = open_proc(e->tid, "statm");
	if (e->statm_fd < 0)
		return true;
	n = pread_line(e->statm_fd, buf, sizeof(buf));
	if (n <= 0)
		return true;
	/* "size resident shared text lib data dt" */
	p = buf;
	for (int i = 0; i < 4 && p; i++)
		p = parse_u64(p, buf + n, &text);
	return !p || text == 0;
}

static bool wants_syscall(struct requester *e, enum requester_syscall_read how)
{
	switch (how) {
	case REQUESTER_SYSCALL_NOW:
	case REQUESTER_SYSCALL_SETTLED:
		return true;
	case REQUESTER_SYSCALL_RECHECK:
		return now_ns() - e->verified_ns >= REVERIFY_NS;
	case REQUESTER_SYSCALL_UNLESS_EXEC:
		return !maybe_in_exec(e);
	case REQUESTER_SYSCALL_NEVER:
		break;
	}
	return false;
}

/*
 * The entry for tid, with a fresh snapshot of its syscall if how wants one,
 * rebuilt if the cached descriptor says the thread died (ESRCH: the tid may
 * be reused).  Called with the bucket locked.
 */
static struct requester *lookup(struct requester_table *t, struct bucket *b, uint32_t tid,
				enum requester_syscall_read how, struct classify_scratch *snap,
				bool *is_new, int *err)
{
	struct requester *e = bucket_find(b, tid);
	bool settle = how == REQUESTER_SYSCALL_SETTLED || how == REQUESTER_SYSCALL_UNLESS_EXEC;
	uint64_t gen;

	*is_new = false;
	*err = 0;
	if (e) {
		if (!wants_syscall(e, how))
			goto out;
		snap_read(e, settle, snap);
		if (snap->syscall.err != -ESRCH)
			goto out;
		bucket_remove(b, e);
	}
	gen = renames_now(t);	/* before the name is read: a rename after it shows */
	e = requester_create(tid, err);
	if (!e)
		return NULL;
	e->renames_seen = gen;
	bucket_insert(b, e);
	*is_new = true;
	if (wants_syscall(e, how))	/* never verified: RECHECK reads too */
		snap_read(e, settle, snap);
out:
	e->last_use = atomic_fetch_add(&t->clock, 1);
	return e;
}

/*
 * Whether e's name changed since it was read (fs/exec.c begin_new_exec sets
 * the new program's comm; prctl PR_SET_NAME too): then read its identity
 * again, exe included.  A program that exec'd opens its files afresh, so
 * the caller asks at OPEN and CREATE: one read of comm per open, unless
 * the table's rename count says no task was renamed since the last one.
 */
static bool renamed(const struct requester_table *t, struct requester *e)
{
	char comm[sizeof(e->comm)];
	uint64_t gen = renames_now(t);
	ssize_t n;

	if (t->renames && gen == e->renames_seen)
		return false;
	e->renames_seen = gen;
	n = read_comm(e, comm, sizeof(comm));
	if (n <= 0 || strncmp(comm, e->comm, sizeof(comm)) == 0)
		return false;
	return read_identity(e) == 0;
}

bool requester_has_snapshot(const struct classify_scratch *snap, uint32_t tid)
{
	return snap->syscall.fresh && snap->syscall.tid == tid;
}

int requester_identify(struct requester_table *t, uint32_t tid, enum requester_syscall_read how,
		       bool check_name, struct requester_identity *id,
		       struct classify_scratch *snap)
{
	struct bucket *b = bucket_of(t, tid);
	struct requester *e;
	int err;

	pthread_mutex_lock(&b->lock);
	snap->syscall.fresh = false;
	e = lookup(t, b, tid, how, snap, &id->is_new, &err);
	if (e && !id->is_new && check_name)
		id->is_new = renamed(t, e);
	if (e) {
		id->tgid = e->tgid;
		id->io_worker = e->io_worker;
		if (id->is_new) {
			memcpy(id->comm, e->comm, sizeof(id->comm));
			memcpy(id->exe, e->exe, sizeof(id->exe));
		}
	}
	pthread_mutex_unlock(&b->lock);
	return e ? 0 : err;
}

static struct fdinfo_slot *fd_slot(struct requester *e, int fd)
{
	struct fdinfo_slot *s;
	int info_fd;
	char what[48];

	for (int i = 0; i < REQUESTER_FDS; i++)
		if (e->fds[i].fd == fd)
			return &e->fds[i];
	snprintf(what, sizeof(what), "fdinfo/%d", fd);
	info_fd = open_proc(e->tid, what);
	if (info_fd < 0)
		return NULL;
	s = &e->fds[e->fd_next++ % REQUESTER_FDS];
	if (s->fd >= 0)
		close(s->info_fd);
	s->fd = fd;
	s->info_fd = info_fd;
	s->ino = 0;
	return s;
}

static void fd_slot_drop(struct fdinfo_slot *s)
{
	close(s->info_fd);
	s->fd = -1;
}

/* fdinfo is resolved at read time (fs/proc/fd.c seq_show), so it is current. */
static void check_fd(struct requester *e, int fd, uint64_t file_id, bool need_pos,
		     struct requester_state *st)
{
	struct fdinfo_slot *s = fd_slot(e, fd);
	char buf[512];
	ssize_t n;

	st->fd = FD_UNCHECKED;
	if (!s)
		return;
	if (s->ino == file_id && !need_pos) {
		st->fd = FD_THIS_FILE;
		return;
	}
	n = pread_line(s->info_fd, buf, sizeof(buf));
	if (n < 0 || !requester_parse_fdinfo(buf, (size_t)n, &st->pos, &s->ino)) {
		fd_slot_drop(s);
		return;
	}
	st->pos_known = true;
	st->fd = s->ino == file_id ? FD_THIS_FILE : FD_OTHER_FILE;
}

/*
 * A request continues the stream if it starts where the last one ended, or
 * up to two of its own sizes further: with async reads the kernel queues
 * several readahead READs at once and our workers may take them out of
 * order, so the one just before may not have been learned yet.
 */
static void check_stream(const struct requester *e, const struct trace_event *ev,
			 struct requester_state *st)
{
	for (int i = 0; i < REQUESTER_STREAMS; i++) {
		const struct stream_slot *s = &e->streams[i];

		if (s->file_id == ev->file_id && ev->offset >= s->end &&
		    ev->offset - s->end <= 2 * ev->size) {
			st->stream_hit = true;
			st->stream_method = s->method;
			return;
		}
	}
}

int requester_observe(struct requester_table *t, const struct trace_event *ev,
		      struct classify_scratch *snap, struct requester_state *st)
{
	struct bucket *b = bucket_of(t, ev->tid);
	struct requester *e = NULL;
	bool is_new;
	int err = 0, fd_arg;

	pthread_mutex_lock(&b->lock);
	if (requester_has_snapshot(snap, ev->tid))
		e = bucket_find(b, ev->tid);
	if (!e)
		e = lookup(t, b, ev->tid, REQUESTER_SYSCALL_NOW, snap, &is_new, &err);
	snap->syscall.fresh = false;
	if (!e || snap->syscall.err) {
		err = e ? snap->syscall.err : err;
		goto out;
	}
	st->io_worker = e->io_worker;
	requester_parse_syscall(snap->syscall.line, snap->syscall.len, st);
	check_stream(e, ev, st);
	fd_arg = st->readable && !st->running ? classify_fd_arg(ev->op, st->nr) : -1;
	if (fd_arg >= 0)
		check_fd(e, (int)st->args[fd_arg], ev->file_id, classify_needs_pos(st->nr), st);
out:
	pthread_mutex_unlock(&b->lock);
	return err;
}

void requester_learn_stream(struct requester_table *t, uint32_t tid, uint64_t file_id,
			    uint64_t end, uint8_t method)
{
	struct bucket *b = bucket_of(t, tid);
	struct requester *e;
	struct stream_slot *s = NULL;

	pthread_mutex_lock(&b->lock);
	e = bucket_find(b, tid);
	if (!e)
		goto out;
	for (int i = 0; i < REQUESTER_STREAMS && !s; i++)
		if (e->streams[i].file_id == file_id)
			s = &e->streams[i];
	if (!s)
		s = &e->streams[e->stream_next++ % REQUESTER_STREAMS];
	/* Out of order: an earlier request of the same stream keeps the end. */
	if (s->file_id == file_id && s->method == method && s->end > end)
		end = s->end;
	s->file_id = file_id;
	s->end = end;
	s->method = method;
out:
	pthread_mutex_unlock(&b->lock);
}
