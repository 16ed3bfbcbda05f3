/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uring_transport.c - FUSE over io_uring (Linux 6.14+) grafted onto a
 * libfuse 3.14 session that knows nothing of it (uring_transport.h).
 *
 * The session's I/O hooks (session_io.c) sit under every /dev/fuse read,
 * write and splice.  When the kernel offers FUSE over io_uring they ask for
 * it in the INIT reply (uring_transport_ask()), and once that reply is in
 * (the kernel accepts no REGISTER before it) uring_transport_start() starts
 * WORKERS_PER_QUEUE threads per possible CPU, pinned there, each with its
 * own ring and one entry registered on queue qid = cpu.  The kernel puts
 * a request on the queue of the CPU that sent it, so the answer comes
 * from the same CPU: no cross-CPU wakeup, no read() or write() on
 * /dev/fuse.  One entry per thread, because a handler that
 * blocks (an fsync, a slow disk) holds its thread: the kernel hands the
 * CPU's next request to another free entry, which then has a thread of
 * its own to serve it, as /dev/fuse's worker threads would.
 *
 * A ring thread rebuilds each request as /dev/fuse would have delivered it
 * (in header, per-opcode struct, payload; contiguous, without copying the
 * payload) and hands it to fuse_session_process_buf().  The handler's reply
 * comes back through the write (or splice) hook, whose
 * uring_transport_writev() sees the thread's entry and puts the reply
 * into the entry's buffers instead of /dev/fuse; the thread then commits
 * it with COMMIT_AND_FETCH.  A handler that hands its request to another
 * thread says so first (uring_transport_defer()); the entry then waits:
 * the reply, whenever it comes and from whichever thread, is matched to
 * the entry by its unique id, and the entry's thread is woken through an
 * eventfd to commit it.
 *
 * Until every queue has an entry registered the kernel keeps sending on
 * /dev/fuse, so a ring that cannot be set up costs nothing but a line: the
 * session's own loop goes on serving.  Not done: fixed buffers, SQPOLL,
 * a thread count that grows with demand, notifications over the ring (the
 * kernel has none).
 */
#include "uring_transport.h"

#include <errno.h>
#include <liburing.h>
#include <linux/fuse.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/sysinfo.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fuse_uring_abi.h"
#include "session_io.h"

/* Requests one CPU can have served at once: as many as /dev/fuse's 16
 * worker threads on this 2-CPU kind of machine. */
#define WORKERS_PER_QUEUE	8
/* A worker starts with one entry and gets another each time a handler
 * defers its request with no other entry left in the kernel: a request
 * waiting for its reply must not take the CPU's capacity away. */
#define MAX_ENTS_PER_WORKER	32
/* Room before each payload buffer for the in header and the per-opcode
 * struct, so a request can be handed to libfuse in one piece. */
#define URING_LEAD	512
#define STOP_TAG	0	/* user_data of the stop eventfd's poll */
#define WAKE_TAG	1	/* user_data of the queue's wake eventfd's poll */

enum ent_state {
	ENT_FETCHING,		/* the kernel holds it: waiting for a request */
	ENT_SERVING,		/* on its ring thread, in a handler */
	ENT_DEFERRED,		/* the handler returned; the reply comes later */
	ENT_REPLIED,		/* the reply is in its buffers: to be committed */
};

struct ring_ent {
	struct fuse_uring_req_header hdr;
	struct iovec iov[2];		/* what REGISTER hands the kernel */
	char *payload;			/* iov[1]: URING_LEAD into buf */
	char *buf;
	uint32_t in_payload;		/* bytes of the request in payload */
	_Atomic int state;		/* enum ent_state */
};

struct ring_worker {
	unsigned int qid;
	pthread_t thread;
	bool started;
	bool ring_ok;			/* ring set up: to be torn down */
	int wake_fd;			/* eventfd: a deferred reply is in */
	unsigned long served;		/* requests answered on this ring */
	/* Where a reply waits while its handler still runs, when the
	 * request's own payload (a name, a value) is still in the entry:
	 * handlers read their arguments after replying (the trace does).
	 * Grown on demand: such replies are small (an entry, an xattr). */
	char *staging;
	size_t staging_sz;
	uint32_t staged;		/* bytes there, for the serving entry */
	struct io_uring ring;
	struct ring_ent *ents[MAX_ENTS_PER_WORKER];
	unsigned int nents;		/* added under deferred_lock */
	unsigned int live;		/* entries the kernel has not torn down */
};

static struct {
	const char *prog;		/* prefix of the stderr lines */
	struct fuse_session *se;
	int fd;				/* /dev/fuse */
	int stop_fd;			/* eventfd: written once, to stop */
	size_t payload_sz;		/* the kernel's max_payload_sz */
	unsigned int nr_queues;		/* possible CPUs */
	unsigned int nr_workers;	/* WORKERS_PER_QUEUE for each */
	struct ring_worker *workers;
	pthread_once_t start_once;
	int reported;			/* one stderr line, whichever queue fails */

	/* Workers that have not said whether their entries registered. */
	pthread_mutex_t ready_lock;
	pthread_cond_t ready_cond;
	unsigned int unsettled, registered;

	/* Entries whose reply comes from another thread (ENT_DEFERRED). */
	pthread_mutex_t deferred_lock;
	_Atomic unsigned int deferred;
} ut = {
	.fd = -1, .stop_fd = -1, .start_once = PTHREAD_ONCE_INIT,
	.ready_lock = PTHREAD_MUTEX_INITIALIZER, .ready_cond = PTHREAD_COND_INITIALIZER,
	.deferred_lock = PTHREAD_MUTEX_INITIALIZER,
};

/* The entry the current ring thread is serving, and its queue; NULL on
 * other threads. */
static __thread struct ring_ent *serving;
static __thread struct ring_worker *serving_w;

/* One line, whichever worker fails first: what failed, and why. */
static void report_fallback(const char *what, int err)
{
	if (atomic_exchange(&ut.reported, 1))
		return;
	fprintf(stderr, "%s: %s: %s; serving /dev/fuse only\n", ut.prog, what, strerror(err));
}

/* A queue's word on its registration: ok, or not (said on stderr). */
static void settle(bool ok)
{
	pthread_mutex_lock(&ut.ready_lock);
	ut.registered += ok;
	if (ut.unsettled && !--ut.unsettled)
		pthread_cond_broadcast(&ut.ready_cond);
	pthread_mutex_unlock(&ut.ready_lock);
}

/* ---------------------------------------------------------------- rings */

/* Queue one command for e; the ring has an SQE for every entry and poll,
 * and each has at most one in flight, so there is always room. */
static void prep_cmd(struct ring_worker *w, struct ring_ent *e, uint32_t op)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&w->ring);
	struct fuse_uring_cmd_req *req;

	if (!sqe)
		abort();
	req = (struct fuse_uring_cmd_req *)sqe->cmd;
	memset(sqe, 0, 2 * sizeof(*sqe));	/* SQE128: the command area too */
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->flags = IOSQE_FIXED_FILE;
	sqe->fd = 0;				/* index of /dev/fuse in the ring's files */
	sqe->cmd_op = op;
	sqe->user_data = (uint64_t)(uintptr_t)e;
	req->qid = (uint16_t)w->qid;
	if (op == FUSE_IO_URING_CMD_REGISTER) {
		sqe->addr = (uint64_t)(uintptr_t)e->iov;
		sqe->len = 2;
	} else {
		req->commit_id = e->hdr.ring_ent_in_out.commit_id;
	}
	atomic_store(&e->state, ENT_FETCHING);
}

static void prep_poll(struct ring_worker *w, int fd, uint64_t tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&w->ring);

	if (!sqe)
		abort();
	io_uring_prep_poll_add(sqe, fd, POLLIN);
	io_uring_sqe_set_data64(sqe, tag);
}

/* Answer e with an error of our own: never left unanswered. */
static void ent_fail(struct ring_ent *e, uint64_t unique, int err)
{
	struct fuse_out_header *out = (struct fuse_out_header *)e->hdr.in_out;

	memset(out, 0, sizeof(*out));
	out->unique = unique;
	out->error = -err;
	out->len = sizeof(*out);
	e->hdr.ring_ent_in_out.payload_sz = 0;
	atomic_store(&e->state, ENT_REPLIED);
}

/* Serve the request in e: replied, or deferred to another thread. */
static void ent_serve(struct ring_worker *w, struct ring_ent *e)
{
	struct fuse_in_header *in = (struct fuse_in_header *)e->hdr.in_out;
	size_t payload = e->hdr.ring_ent_in_out.payload_sz;
	struct fuse_buf fb = { .size = in->len };
	size_t op_len;
	char *start;

	/* The in header's len counts every argument: what the payload does
	 * not hold is the per-opcode struct in op_in. */
	if (in->len < sizeof(*in) + payload ||
	    in->len - sizeof(*in) - payload > FUSE_URING_OP_IN_OUT_SZ) {
		ent_fail(e, in->unique, EIO);
		return;
	}
	op_len = in->len - sizeof(*in) - payload;
	start = e->payload - op_len - sizeof(*in);
	memcpy(start + sizeof(*in), e->hdr.op_in, op_len);
	memcpy(start, in, sizeof(*in));
	fb.mem = start;

	e->in_payload = (uint32_t)payload;
	w->staged = 0;
	atomic_store(&e->state, ENT_SERVING);
	serving = e;
	serving_w = w;
	session_io_note_request(start, in->len);
	fuse_session_process_buf(ut.se, &fb);
	serving = NULL;
	if (w->staged)
		memcpy(e->payload, w->staging, w->staged);
	/* Neither replied nor deferred: a handler bug, which would otherwise
	 * leave the requester waiting forever. */
	if (atomic_load(&e->state) == ENT_SERVING)
		ent_fail(e, in->unique, EIO);
}

/* Commit every entry whose deferred reply has come in. */
static void commit_replied(struct ring_worker *w)
{
	uint64_t n;

	if (read(w->wake_fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		perror("uring_transport: eventfd");
	for (unsigned int i = 0; i < w->nents; i++)
		if (atomic_load(&w->ents[i]->state) == ENT_REPLIED)
			prep_cmd(w, w->ents[i], FUSE_IO_URING_CMD_COMMIT_AND_FETCH);
	prep_poll(w, w->wake_fd, WAKE_TAG);
}

/* Whether any REGISTER came straight back as an error (the kernel refuses
 * a bad one at once; a good one completes only with a request). */
static int first_refusal(struct ring_worker *w)
{
	struct io_uring_cqe *cqe;
	unsigned int head;

	io_uring_for_each_cqe(&w->ring, head, cqe)
		if (cqe->user_data > WAKE_TAG && cqe->res < 0)
			return -cqe->res;
	return 0;
}

/* A new entry for w, its REGISTER queued; on w's own thread. */
static int ent_add(struct ring_worker *w)
{
	struct ring_ent *e;

	if (w->nents == MAX_ENTS_PER_WORKER)
		return -ENOSPC;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->buf = aligned_alloc(4096, URING_LEAD + ut.payload_sz);
	if (!e->buf) {
		free(e);
		return -ENOMEM;
	}
	e->payload = e->buf + URING_LEAD;
	e->iov[0] = (struct iovec){ &e->hdr, sizeof(e->hdr) };
	e->iov[1] = (struct iovec){ e->payload, ut.payload_sz };
	prep_cmd(w, e, FUSE_IO_URING_CMD_REGISTER);
	pthread_mutex_lock(&ut.deferred_lock);
	w->ents[w->nents++] = e;
	pthread_mutex_unlock(&ut.deferred_lock);
	w->live++;
	return 0;
}

static int worker_setup(struct ring_worker *w)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQE128 };
	int res;

	w->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->wake_fd < 0)
		return -errno;
	res = io_uring_queue_init_params(MAX_ENTS_PER_WORKER + 2, &w->ring, &p);
	if (res < 0)
		return res;
	w->ring_ok = true;
	res = io_uring_register_files(&w->ring, &ut.fd, 1);
	if (res < 0)
		return res;
	res = ent_add(w);
	if (res < 0)
		return res;
	prep_poll(w, ut.stop_fd, STOP_TAG);
	prep_poll(w, w->wake_fd, WAKE_TAG);
	res = io_uring_submit(&w->ring);
	return res < 0 ? res : 0;
}

/* One worker: wait for requests, serve them, commit them all at once. */
static void *worker_run(void *arg)
{
	struct ring_worker *w = arg;
	char name[16];
	cpu_set_t cpus;
	int res;

	snprintf(name, sizeof(name), "uring-q%u", w->qid);	/* ps -L: which CPU it serves */
	pthread_setname_np(pthread_self(), name);
	CPU_ZERO(&cpus);
	CPU_SET(w->qid, &cpus);
	pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);	/* offline CPU: unpinned */
	res = worker_setup(w);
	if (res == 0 && (res = -first_refusal(w)) != 0)
		report_fallback("io_uring REGISTER", -res);
	else if (res < 0)
		report_fallback("io_uring setup", -res);
	settle(res == 0);
	if (res < 0)
		return NULL;
	while (w->live) {
		struct io_uring_cqe *cqe;
		unsigned int head, seen = 0;

		res = io_uring_submit_and_wait(&w->ring, 1);
		if (res < 0 && res != -EINTR && res != -EAGAIN && res != -EBUSY) {
			/* Requests sent from this CPU would wait on this ring
			 * forever: better the connection aborted (ENOTCONN). */
			fprintf(stderr, "%s: queue %u: io_uring_enter: %s\n", ut.prog,
				w->qid, strerror(-res));
			abort();
		}
		io_uring_for_each_cqe(&w->ring, head, cqe) {
			struct ring_ent *e = io_uring_cqe_get_data(cqe);

			seen++;
			if (cqe->user_data == STOP_TAG) {
				w->live = 0;
				break;
			}
			if (cqe->user_data == WAKE_TAG) {
				commit_replied(w);
				continue;
			}
			if (cqe->res < 0) {
				/* ENOTCONN is the kernel tearing the ring down
				 * (fuse_uring_entry_teardown()). */
				if (cqe->res != -ENOTCONN)
					fprintf(stderr, "%s: queue %u lost an entry: %s\n",
						ut.prog, w->qid, strerror(-cqe->res));
				w->live--;
				continue;
			}
			w->served++;
			ent_serve(w, e);
			if (atomic_load(&e->state) == ENT_REPLIED)
				prep_cmd(w, e, FUSE_IO_URING_CMD_COMMIT_AND_FETCH);
		}
		io_uring_cq_advance(&w->ring, seen);
	}
	return NULL;
}

static void rings_start(void)
{
	unsigned int n = (unsigned int)get_nprocs_conf();
	sigset_t all, old;

	ut.stop_fd = eventfd(0, EFD_CLOEXEC);
	ut.workers = calloc((size_t)n * WORKERS_PER_QUEUE, sizeof(*ut.workers));
	if (ut.stop_fd < 0 || !ut.workers) {
		report_fallback("io_uring setup", errno ? errno : ENOMEM);
		return;
	}
	ut.nr_queues = n;
	ut.nr_workers = n * WORKERS_PER_QUEUE;
	ut.unsettled = ut.nr_workers;
	/*
	 * Ring threads take no signals: libfuse's exit handler must run where
	 * the session loop waits (it wakes on EINTR), and a ring thread cannot
	 * pass the word on.  The threads inherit the mask.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (unsigned int i = 0; i < ut.nr_workers; i++) {
		struct ring_worker *w = &ut.workers[i];
		int err;

		w->qid = i / WORKERS_PER_QUEUE;
		w->wake_fd = -1;
		err = pthread_create(&w->thread, NULL, worker_run, w);
		if (err) {
			report_fallback("ring thread", err);
			settle(false);
		}
		w->started = !err;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* ---------------------------------------------------------------- replies */

/*
 * Where the reply to e goes: its payload buffer, unless its handler is
 * still running with arguments there, then the queue's staging buffer
 * (moved into the entry when the handler returns).
 */
static char *reply_dst(struct ring_ent *e, size_t size)
{
	struct ring_worker *w = serving_w;

	if (e != serving || !e->in_payload || !size)
		return e->payload;
	if (w->staging_sz < size) {
		char *p = realloc(w->staging, size);

		if (!p)
			return NULL;
		w->staging = p;
		w->staging_sz = size;
	}
	return w->staging;
}

static void reply_placed(struct ring_ent *e, size_t payload)
{
	e->hdr.ring_ent_in_out.payload_sz = (uint32_t)payload;
	if (e == serving && e->in_payload)
		serving_w->staged = (uint32_t)payload;
}

/* Put a reply (iov[0] the out header, the rest its payload) into e. */
static ssize_t reply_to_ent(struct ring_ent *e, const struct iovec *iov, int count)
{
	size_t used = 0, total = 0;
	char *dst;

	for (int i = 1; i < count; i++)
		total += iov[i].iov_len;
	dst = reply_dst(e, total);
	if (!dst) {
		errno = ENOMEM;
		return -1;
	}
	for (int i = 1; i < count; i++) {
		if (iov[i].iov_len > ut.payload_sz - used) {
			errno = EINVAL;
			return -1;
		}
		/* A READ that went into uring_transport_reply_buffer() is there. */
		if (iov[i].iov_base != dst + used)
			memcpy(dst + used, iov[i].iov_base, iov[i].iov_len);
		used += iov[i].iov_len;
	}
	memcpy(e->hdr.in_out, iov[0].iov_base, sizeof(struct fuse_out_header));
	reply_placed(e, used);
	return (ssize_t)(used + sizeof(struct fuse_out_header));
}

/*
 * A reply from a thread other than the entry's: if it answers a deferred
 * entry, fill it and wake the entry's thread; returns the bytes taken, or
 * 0 when no entry waits for this unique (it is a /dev/fuse request).
 */
static ssize_t reply_deferred(const struct iovec *iov, int count)
{
	const struct fuse_out_header *out = iov[0].iov_base;
	ssize_t n = 0;

	if (!atomic_load(&ut.deferred))
		return 0;
	pthread_mutex_lock(&ut.deferred_lock);
	for (unsigned int i = 0; i < ut.nr_workers && !n; i++) {
		struct ring_worker *w = &ut.workers[i];

		for (unsigned int j = 0; j < w->nents; j++) {
			struct ring_ent *e = w->ents[j];
			uint64_t one = 1;

			if (atomic_load(&e->state) != ENT_DEFERRED ||
			    e->hdr.ring_ent_in_out.commit_id != out->unique)
				continue;
			n = reply_to_ent(e, iov, count);
			if (n < 0)	/* too large: answer it with the error */
				ent_fail(e, out->unique, EIO);
			atomic_store(&e->state, ENT_REPLIED);
			atomic_fetch_sub(&ut.deferred, 1);
			if (write(w->wake_fd, &one, sizeof(one)) != sizeof(one))
				perror("uring_transport: eventfd");
			break;
		}
	}
	pthread_mutex_unlock(&ut.deferred_lock);
	return n;
}

/* --------------------------------------------------------------- session_io */

void uring_transport_ask(struct fuse_init_out *arg)
{
	size_t pages = arg->max_pages > 256 ? arg->max_pages : 256;

	arg->flags |= FUSE_INIT_EXT;
	arg->flags2 |= (uint32_t)(FUSE_OVER_IO_URING >> 32);
	/* REGISTER wants payload buffers of the kernel's max_payload_sz
	 * (fuse_uring_create()): the larger of max_write and max_pages
	 * pages, where max_pages is at least the default limit of 256
	 * when the reply does not set it. */
	pages *= (size_t)sysconf(_SC_PAGESIZE);
	ut.payload_sz = arg->max_write > pages ? arg->max_write : pages;
}

void uring_transport_start(void)
{
	pthread_once(&ut.start_once, rings_start);
}

ssize_t uring_transport_writev(int fd, struct iovec *iov, int count)
{
	const struct fuse_out_header *out = iov[0].iov_base;
	ssize_t n;

	if (serving && out->unique) {	/* unique 0: a notification, for /dev/fuse */
		n = reply_to_ent(serving, iov, count);
		if (n >= 0)
			atomic_store(&serving->state, ENT_REPLIED);
		return n;
	}
	n = reply_deferred(iov, count);
	return n ? n : writev(fd, iov, count);
}

/* Read exactly len bytes from a pipe libfuse filled. */
static int pipe_read(int fd, struct iovec *iov, int count, size_t len)
{
	while (len) {
		ssize_t n = readv(fd, iov, count);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		len -= (size_t)n;
		while (n > 0) {
			size_t step = (size_t)n < iov->iov_len ? (size_t)n : iov->iov_len;

			iov->iov_base = (char *)iov->iov_base + step;
			iov->iov_len -= step;
			n -= (ssize_t)step;
			if (!iov->iov_len) {
				iov++;
				count--;
			}
		}
	}
	return 0;
}

/*
 * A spliced reply (fuse_reply_data() of a descriptor): the whole message,
 * out header first, is in the pipe.  For a ring entry it is read into the
 * entry's buffers; for /dev/fuse it is spliced on, as without the hooks.
 */
ssize_t uring_transport_splice_send(int fdin, off_t *offin, int fdout, off_t *offout, size_t len,
				   unsigned int flags)
{
	struct fuse_out_header out;
	struct iovec iov[2];
	ssize_t n;
	char *msg;

	if (serving) {
		if (len < sizeof(out) || len - sizeof(out) > ut.payload_sz) {
			errno = EINVAL;
			return -1;
		}
		iov[0] = (struct iovec){ serving->hdr.in_out, sizeof(out) };
		iov[1] = (struct iovec){ reply_dst(serving, len - sizeof(out)), len - sizeof(out) };
		if (!iov[1].iov_base) {
			errno = ENOMEM;
			return -1;
		}
		if (pipe_read(fdin, iov, 2, len))
			return -1;
		reply_placed(serving, len - sizeof(out));
		atomic_store(&serving->state, ENT_REPLIED);
		return (ssize_t)len;
	}
	if (!atomic_load(&ut.deferred))
		return splice(fdin, offin, fdout, offout, len, flags);
	/* Some entry waits for a reply from another thread: this may be it. */
	msg = malloc(len);
	if (!msg)
		return -1;
	iov[0] = (struct iovec){ msg, len };
	if (len < sizeof(out) || pipe_read(fdin, iov, 1, len)) {
		free(msg);
		errno = EIO;
		return -1;
	}
	iov[0] = (struct iovec){ msg, sizeof(out) };
	iov[1] = (struct iovec){ msg + sizeof(out), len - sizeof(out) };
	n = reply_deferred(iov, 2);
	if (!n)
		n = writev(fdout, iov, 2);
	free(msg);
	return n;
}

/* ---------------------------------------------------------------- API */

int uring_transport_prepare(struct fuse_session *se, int fd, const char *prog)
{
	ut.prog = prog;
	ut.se = se;
	ut.fd = fd;
	return 0;
}

unsigned int uring_transport_wait_ready(void)
{
	unsigned int n;

	pthread_mutex_lock(&ut.ready_lock);
	while (ut.unsettled)
		pthread_cond_wait(&ut.ready_cond, &ut.ready_lock);
	n = ut.nr_workers && ut.registered == ut.nr_workers ? ut.nr_queues : 0;
	pthread_mutex_unlock(&ut.ready_lock);
	return n;
}

void *uring_transport_reply_buffer(size_t size)
{
	return serving && size <= ut.payload_sz ? reply_dst(serving, size) : NULL;
}

bool uring_transport_on_ring(void)
{
	return serving != NULL;
}

/* Whether w has an entry the kernel can give a request to. */
static bool worker_has_free_ent(const struct ring_worker *w)
{
	for (unsigned int i = 0; i < w->nents; i++)
		if (atomic_load(&w->ents[i]->state) == ENT_FETCHING)
			return true;
	return false;
}

void uring_transport_defer(void)
{
	struct ring_worker *w = serving_w;

	if (!serving)
		return;
	pthread_mutex_lock(&ut.deferred_lock);
	atomic_store(&serving->state, ENT_DEFERRED);
	atomic_fetch_add(&ut.deferred, 1);
	pthread_mutex_unlock(&ut.deferred_lock);
	serving = NULL;	/* what this thread writes now is not that reply */
	/*
	 * Its CPU's requests must still find an entry here, or the one that
	 * ends the wait (an unlock) might queue behind the waiters for ever.
	 * Past MAX_ENTS_PER_WORKER the other workers of the queue serve.
	 */
	if (!worker_has_free_ent(w) && ent_add(w) == -ENOMEM)
		fprintf(stderr, "%s: queue %u: no memory for another ring entry\n",
			ut.prog, w->qid);
}

unsigned long uring_transport_detach(void)
{
	unsigned long served = 0;
	uint64_t one = 1;

	if (!ut.workers)
		return 0;
	if (write(ut.stop_fd, &one, sizeof(one)) != sizeof(one))
		perror("uring_transport: eventfd");
	for (unsigned int i = 0; i < ut.nr_workers; i++) {
		struct ring_worker *w = &ut.workers[i];

		if (!w->started)
			continue;
		pthread_join(w->thread, NULL);
		if (w->ring_ok)
			io_uring_queue_exit(&w->ring);
		for (unsigned int j = 0; j < w->nents; j++) {
			free(w->ents[j]->buf);
			free(w->ents[j]);
		}
		free(w->staging);
		if (w->wake_fd >= 0)
			close(w->wake_fd);
		served += w->served;
	}
	free(ut.workers);
	ut.workers = NULL;
	close(ut.stop_fd);
	return served;
}
