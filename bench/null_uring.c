/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * null_uring.c - FUSE over io_uring (Linux 6.14+) for bench/null_fuse,
 * grafted onto a libfuse 3.14 session that knows nothing of it.
 *
 * libfuse's custom I/O hooks (fuse_session_custom_io) sit under every
 * /dev/fuse read and write.  The read hook notes the INIT request; the
 * write hook adds FUSE_OVER_IO_URING to the INIT reply when the kernel
 * offered it, and once that reply is in (the kernel accepts no REGISTER
 * before it) starts one thread per possible CPU, pinned there, each with
 * its own ring of NULL_URING_DEPTH entries registered on queue qid = cpu.
 * The kernel puts a request on the queue of the CPU that sent it, so the
 * daemon's answer comes from the same CPU: no cross-CPU wakeup.
 *
 * A ring thread rebuilds each request as /dev/fuse would have delivered
 * it (in header, per-opcode struct, payload; contiguous, without copying
 * the payload) and hands it to fuse_session_process_buf(); the handler's
 * reply comes back through the write hook, which sees the thread's entry
 * and copies the reply into the entry's buffers instead of writing
 * /dev/fuse; the thread then commits it with COMMIT_AND_FETCH.  This needs
 * every handler to reply before it returns, which the null daemon's do.
 *
 * Until every queue has an entry registered the kernel keeps sending on
 * /dev/fuse, so a ring that cannot be set up costs nothing but a message:
 * the session's own loop goes on serving.  Not done: fixed buffers, SQPOLL,
 * replies from other threads, notifications over the ring (the kernel has
 * none).
 */
#include "null_uring.h"

#include <errno.h>
#include <liburing.h>
#include <linux/fuse.h>
#include <pthread.h>
#include <stddef.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/sysinfo.h>
#include <sys/uio.h>
#include <poll.h>
#include <unistd.h>

#include "fuse_uring_abi.h"

#define NULL_URING_DEPTH	8	/* entries per queue: fio runs one job */
/* Room before each payload buffer for the in header and the per-opcode
 * struct, so a request can be handed to libfuse in one piece. */
#define NULL_URING_LEAD		512
#define STOP_TAG		0	/* user_data of the eventfd poll */

struct ring_ent {
	struct fuse_uring_req_header hdr;
	struct iovec iov[2];		/* what REGISTER hands the kernel */
	char *payload;			/* iov[1]: NULL_URING_LEAD into buf */
	char *buf;
	bool replied;			/* set by the write hook */
};

struct ring_queue {
	unsigned int qid;
	pthread_t thread;
	bool started;
	bool ring_ok;			/* ring set up: to be torn down */
	unsigned long served;		/* requests answered on this ring */
	struct io_uring ring;
	struct ring_ent ents[NULL_URING_DEPTH];
};

static struct {
	struct fuse_session *se;
	int fd;				/* /dev/fuse */
	int stop_fd;			/* eventfd: written once, to stop */
	size_t payload_sz;		/* the kernel's max_payload_sz */
	unsigned int nr_queues;
	struct ring_queue *queues;
	uint64_t init_unique;		/* 0: INIT not seen yet */
	bool init_offered;		/* the kernel offered FUSE_OVER_IO_URING */
	pthread_once_t start_once;
	int reported;			/* one stderr line, whichever queue fails */
} nu = { .fd = -1, .stop_fd = -1, .start_once = PTHREAD_ONCE_INIT };

/* The entry the current ring thread is serving; NULL on libfuse's threads. */
static __thread struct ring_ent *serving;

static void report_fallback(const char *what, int err)
{
	if (__atomic_exchange_n(&nu.reported, 1, __ATOMIC_RELAXED))
		return;
	fprintf(stderr, "null_fuse: %s: %s; serving /dev/fuse only\n", what, strerror(err));
}

/* ---------------------------------------------------------------- rings */

/* Queue one command for e; the ring has an SQE for every entry, and an
 * entry has at most one command in flight, so there is always room. */
static void prep_cmd(struct ring_queue *q, struct ring_ent *e, uint32_t op)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&q->ring);
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
	req->qid = (uint16_t)q->qid;
	if (op == FUSE_IO_URING_CMD_REGISTER) {
		sqe->addr = (uint64_t)(uintptr_t)e->iov;
		sqe->len = 2;
	} else {
		req->commit_id = e->hdr.ring_ent_in_out.commit_id;
	}
}

/* Serve the request in e and leave the reply in its buffers. */
static void ent_serve(struct ring_ent *e)
{
	struct fuse_in_header *in = (struct fuse_in_header *)e->hdr.in_out;
	struct fuse_out_header *out = (struct fuse_out_header *)e->hdr.in_out;
	size_t payload = e->hdr.ring_ent_in_out.payload_sz;
	struct fuse_buf fb = { .size = in->len };
	uint64_t unique = in->unique;
	size_t op_len;
	char *start;

	/* The in header's len counts every argument: what the payload does
	 * not hold is the per-opcode struct in op_in. */
	if (in->len < sizeof(*in) + payload ||
	    in->len - sizeof(*in) - payload > FUSE_URING_OP_IN_OUT_SZ)
		goto bad;
	op_len = in->len - sizeof(*in) - payload;
	start = e->payload - op_len - sizeof(*in);
	memcpy(start + sizeof(*in), e->hdr.op_in, op_len);
	memcpy(start, in, sizeof(*in));
	fb.mem = start;

	e->replied = false;
	serving = e;
	fuse_session_process_buf(nu.se, &fb);
	serving = NULL;
	if (e->replied)
		return;
bad:
	/* Never left unanswered: the kernel would wait for it forever. */
	memset(out, 0, sizeof(*out));
	out->unique = unique;
	out->error = -EIO;
	out->len = sizeof(*out);
	e->hdr.ring_ent_in_out.payload_sz = 0;
}

static int queue_setup(struct ring_queue *q)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQE128 };
	struct io_uring_sqe *sqe;
	int res;

	res = io_uring_queue_init_params(NULL_URING_DEPTH + 1, &q->ring, &p);
	if (res < 0)
		return res;
	q->ring_ok = true;
	res = io_uring_register_files(&q->ring, &nu.fd, 1);
	if (res < 0)
		return res;
	for (int i = 0; i < NULL_URING_DEPTH; i++) {
		struct ring_ent *e = &q->ents[i];

		e->buf = aligned_alloc(4096, NULL_URING_LEAD + nu.payload_sz);
		if (!e->buf)
			return -ENOMEM;
		e->payload = e->buf + NULL_URING_LEAD;
		e->iov[0] = (struct iovec){ &e->hdr, sizeof(e->hdr) };
		e->iov[1] = (struct iovec){ e->payload, nu.payload_sz };
		prep_cmd(q, e, FUSE_IO_URING_CMD_REGISTER);
	}
	sqe = io_uring_get_sqe(&q->ring);
	if (!sqe)
		return -EBUSY;
	io_uring_prep_poll_add(sqe, nu.stop_fd, POLLIN);
	io_uring_sqe_set_data64(sqe, STOP_TAG);
	res = io_uring_submit(&q->ring);
	return res < 0 ? res : 0;
}

/* One queue: wait for requests, serve them, commit them all at once. */
static void *queue_run(void *arg)
{
	struct ring_queue *q = arg;
	unsigned int live = NULL_URING_DEPTH;
	cpu_set_t cpus;
	int res;

	CPU_ZERO(&cpus);
	CPU_SET(q->qid, &cpus);
	pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);	/* offline CPU: unpinned */
	res = queue_setup(q);
	if (res < 0) {
		report_fallback("io_uring setup", -res);
		return NULL;
	}
	while (live) {
		struct io_uring_cqe *cqe;
		unsigned int head, seen = 0;

		res = io_uring_submit_and_wait(&q->ring, 1);
		if (res < 0 && res != -EINTR && res != -EAGAIN && res != -EBUSY) {
			/* Requests sent from this CPU would wait on this ring
			 * forever: better the connection aborted (ENOTCONN). */
			fprintf(stderr, "null_fuse: queue %u: io_uring_enter: %s\n", q->qid,
				strerror(-res));
			abort();
		}
		io_uring_for_each_cqe(&q->ring, head, cqe) {
			struct ring_ent *e = io_uring_cqe_get_data(cqe);

			seen++;
			if (cqe->user_data == STOP_TAG) {
				live = 0;
				break;
			}
			if (cqe->res < 0) {
				/* ENOTCONN is the kernel tearing the ring down
				 * (fuse_uring_entry_teardown()); anything else
				 * before a first request is the kernel refusing
				 * the ring. */
				if (!q->served && cqe->res != -ENOTCONN)
					report_fallback("io_uring REGISTER", -cqe->res);
				else if (cqe->res != -ENOTCONN)
					fprintf(stderr, "null_fuse: queue %u lost an entry: %s\n",
						q->qid, strerror(-cqe->res));
				live--;
				continue;
			}
			q->served++;
			ent_serve(e);
			prep_cmd(q, e, FUSE_IO_URING_CMD_COMMIT_AND_FETCH);
		}
		io_uring_cq_advance(&q->ring, seen);
	}
	return NULL;
}

static void rings_start(void)
{
	unsigned int n = (unsigned int)get_nprocs_conf();

	nu.stop_fd = eventfd(0, EFD_CLOEXEC);
	nu.queues = calloc(n, sizeof(*nu.queues));
	if (nu.stop_fd < 0 || !nu.queues) {
		report_fallback("io_uring setup", errno ? errno : ENOMEM);
		return;
	}
	nu.nr_queues = n;
	for (unsigned int i = 0; i < n; i++) {
		int err;

		nu.queues[i].qid = i;
		err = pthread_create(&nu.queues[i].thread, NULL, queue_run, &nu.queues[i]);
		if (err)
			report_fallback("ring thread", err);
		nu.queues[i].started = !err;
	}
}

/* ---------------------------------------------------------------- hooks */

static ssize_t hook_read(int fd, void *buf, size_t len, void *userdata)
{
	ssize_t n = read(fd, buf, len);
	const struct fuse_in_header *in = buf;

	(void)userdata;
	if (n >= (ssize_t)(sizeof(*in) + sizeof(struct fuse_init_in)) &&
	    in->opcode == FUSE_INIT && !nu.init_unique) {
		const struct fuse_init_in *arg = (const void *)(in + 1);
		uint64_t flags = arg->flags;

		if (flags & FUSE_INIT_EXT)
			flags |= (uint64_t)arg->flags2 << 32;
		nu.init_offered = flags & FUSE_OVER_IO_URING;
		nu.init_unique = in->unique;
	}
	return n;
}

/* A reply from a ring thread: into its entry, not onto /dev/fuse. */
static ssize_t reply_to_ent(struct ring_ent *e, const struct iovec *iov, int count)
{
	size_t used = 0;

	for (int i = 1; i < count; i++) {
		if (iov[i].iov_len > nu.payload_sz - used) {
			errno = EINVAL;
			return -1;
		}
		memcpy(e->payload + used, iov[i].iov_base, iov[i].iov_len);
		used += iov[i].iov_len;
	}
	memcpy(e->hdr.in_out, iov[0].iov_base, sizeof(struct fuse_out_header));
	e->hdr.ring_ent_in_out.payload_sz = (uint32_t)used;
	e->replied = true;
	return (ssize_t)(used + sizeof(struct fuse_out_header));
}

static ssize_t hook_writev(int fd, struct iovec *iov, int count, void *userdata)
{
	const struct fuse_out_header *out = iov[0].iov_base;
	bool init = nu.init_unique && out->unique == nu.init_unique;
	bool ask;
	ssize_t n;

	(void)userdata;
	if (serving)
		return reply_to_ent(serving, iov, count);
	ask = init && nu.init_offered && !out->error && count > 1 &&
	      iov[1].iov_len >= offsetof(struct fuse_init_out, flags2) + sizeof(uint32_t);
	if (ask) {
		struct fuse_init_out *arg = iov[1].iov_base;
		size_t pages = arg->max_pages > 256 ? arg->max_pages : 256;

		arg->flags |= FUSE_INIT_EXT;
		arg->flags2 |= (uint32_t)(FUSE_OVER_IO_URING >> 32);
		/* REGISTER wants payload buffers of the kernel's max_payload_sz
		 * (fuse_uring_create()): the larger of max_write and max_pages
		 * pages, where max_pages is at least the default limit of 256
		 * when the reply does not set it. */
		pages *= (size_t)sysconf(_SC_PAGESIZE);
		nu.payload_sz = arg->max_write > pages ? arg->max_write : pages;
	}
	n = writev(fd, iov, count);
	if (init && n >= 0) {
		if (ask)
			pthread_once(&nu.start_once, rings_start);
		else	/* enable_uring=N, or a kernel before 6.14 */
			report_fallback("the kernel does not offer FUSE over io_uring",
					EOPNOTSUPP);
	}
	return n;
}

int null_uring_attach(struct fuse_session *se)
{
	static const struct fuse_custom_io io = { .read = hook_read, .writev = hook_writev };

	nu.se = se;
	nu.fd = fuse_session_fd(se);
	if (fuse_session_custom_io(se, &io, nu.fd)) {
		report_fallback("fuse_session_custom_io", EINVAL);
		return -1;
	}
	return 0;
}

void null_uring_detach(void)
{
	unsigned long served = 0;
	uint64_t one = 1;

	if (!nu.queues)
		return;
	if (write(nu.stop_fd, &one, sizeof(one)) != sizeof(one))
		perror("null_fuse: eventfd");
	for (unsigned int i = 0; i < nu.nr_queues; i++) {
		struct ring_queue *q = &nu.queues[i];

		if (!q->started)
			continue;
		pthread_join(q->thread, NULL);
		if (q->ring_ok)
			io_uring_queue_exit(&q->ring);
		for (int j = 0; j < NULL_URING_DEPTH; j++)
			free(q->ents[j].buf);
		served += q->served;
	}
	/* What the test and a curious reader check: did the rings carry it? */
	fprintf(stderr, "null_fuse: %lu requests served over io_uring on %u queues\n",
		served, nu.nr_queues);
	free(nu.queues);
	nu.queues = NULL;
	close(nu.stop_fd);
}
