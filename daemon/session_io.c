// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * session_io.c - the session's custom I/O hooks (session_io.h): every
 * /dev/fuse read, reply and spliced reply of a libfuse 3.14 session passes
 * here.
 *
 * The read hook notes the INIT request's flags and, for every request, the
 * flags libfuse drops (kept per thread: libfuse's workers serve each
 * request on the thread that read it).  The write hook adds to the INIT
 * reply what libfuse cannot ask for, and hands the rest to the io_uring
 * transport when there is one, which routes replies to ring requests into
 * their ring entries.
 */
#include "session_io.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fuse_uring_abi.h"
#include "uring_transport.h"

static struct {
	struct session_io_config cfg;
	bool uring;			/* the transport is prepared */
	uint64_t init_unique;		/* 0: INIT not seen yet */
	uint64_t offered;		/* INIT flags | flags2 << 32 */
	uint64_t asked;			/* what our reply added to libfuse's */
	bool init_done;			/* INIT answered */
} io;

/* The request this thread serves, as far as the daemon needs it. */
static __thread struct {
	uint64_t unique;
	bool kill_suidgid;
} current;

/*
 * Where the request at buf carries the kernel's "clear set-user-ID and
 * set-group-ID" flag (FUSE_HANDLE_KILLPRIV_V2): the flag word's offset in
 * the argument, the argument's size and the flag.  False: it has none.
 */
static bool kill_flag_of(uint32_t opcode, size_t *off, size_t *need, uint32_t *mask)
{
	switch (opcode) {
	case FUSE_WRITE:
		*off = offsetof(struct fuse_write_in, write_flags);
		*need = sizeof(struct fuse_write_in);
		*mask = FUSE_WRITE_KILL_SUIDGID;
		return true;
	case FUSE_SETATTR:
		*off = offsetof(struct fuse_setattr_in, valid);
		*need = sizeof(struct fuse_setattr_in);
		*mask = FATTR_KILL_SUIDGID;
		return true;
	case FUSE_OPEN:
		*off = offsetof(struct fuse_open_in, open_flags);
		*need = sizeof(struct fuse_open_in);
		*mask = FUSE_OPEN_KILL_SUIDGID;
		return true;
	case FUSE_CREATE:
		*off = offsetof(struct fuse_create_in, open_flags);
		*need = sizeof(struct fuse_create_in);
		*mask = FUSE_OPEN_KILL_SUIDGID;
		return true;
	}
	return false;
}

void session_io_note_request(const void *buf, size_t len)
{
	const struct fuse_in_header *in = buf;
	size_t off, need;
	uint32_t mask, word;
	bool kill = false;

	if (len < sizeof(*in))
		return;
	current.unique = in->unique;
	if ((io.asked & FUSE_HANDLE_KILLPRIV_V2) && kill_flag_of(in->opcode, &off, &need, &mask) &&
	    len >= sizeof(*in) + need) {
		memcpy(&word, (const char *)(in + 1) + off, sizeof(word));
		kill = word & mask;
	}
	current.kill_suidgid = kill;
}

bool session_io_kill_suidgid(uint64_t unique)
{
	return current.kill_suidgid && current.unique == unique;
}

bool session_io_asks_killpriv_v2(void)
{
	return io.asked & FUSE_HANDLE_KILLPRIV_V2;
}

bool session_io_asks_uring(void)
{
	return io.asked & FUSE_OVER_IO_URING;
}

static void note_init(const void *buf, size_t len)
{
	const struct fuse_in_header *in = buf;
	const struct fuse_init_in *arg = (const void *)(in + 1);
	uint64_t flags;

	if (len < sizeof(*in) + sizeof(*arg) || in->opcode != FUSE_INIT || io.init_unique)
		return;
	flags = arg->flags;
	if (flags & FUSE_INIT_EXT)
		flags |= (uint64_t)arg->flags2 << 32;
	io.offered = flags;
	io.init_unique = in->unique;
	/* Decided now, so the init callback (which runs before the reply is
	 * written) can say in the trace header what the reply will ask. */
	if (io.cfg.killpriv_v2 && (flags & FUSE_HANDLE_KILLPRIV_V2))
		io.asked |= FUSE_HANDLE_KILLPRIV_V2;
	if (io.uring && (flags & FUSE_OVER_IO_URING))
		io.asked |= FUSE_OVER_IO_URING;
}

static ssize_t hook_read(int fd, void *buf, size_t len, void *userdata)
{
	ssize_t n = read(fd, buf, len);

	(void)userdata;
	if (n > 0) {
		if (!io.init_done)
			note_init(buf, (size_t)n);
		session_io_note_request(buf, (size_t)n);
	}
	return n;
}

/* Add what libfuse cannot ask for to its INIT reply; false: leave it. */
static bool patch_init_reply(struct iovec *iov, int count)
{
	const struct fuse_out_header *out = iov[0].iov_base;
	struct fuse_init_out *arg;

	if (out->error || count < 2 ||
	    iov[1].iov_len < offsetof(struct fuse_init_out, flags2) + sizeof(uint32_t)) {
		io.asked = 0;
		return false;
	}
	arg = iov[1].iov_base;
	if (io.asked & FUSE_HANDLE_KILLPRIV_V2) {
		arg->flags |= FUSE_HANDLE_KILLPRIV_V2;
		arg->flags &= ~FUSE_HANDLE_KILLPRIV;	/* v2 replaces it */
	}
	if (io.asked & FUSE_OVER_IO_URING)
		uring_transport_ask(arg);
	return true;
}

static ssize_t hook_writev(int fd, struct iovec *iov, int count, void *userdata)
{
	const struct fuse_out_header *out = iov[0].iov_base;
	bool init = io.init_unique && out->unique == io.init_unique && !io.init_done;
	ssize_t n;

	(void)userdata;
	if (init)
		patch_init_reply(iov, count);
	n = io.uring ? uring_transport_writev(fd, iov, count) : writev(fd, iov, count);
	if (init && n >= 0) {
		io.init_done = true;
		if (io.asked & FUSE_OVER_IO_URING)
			uring_transport_start();
		else if (io.uring && !(io.offered & FUSE_OVER_IO_URING) && !io.cfg.quiet_unoffered)
			fprintf(stderr, "%s: the kernel does not offer FUSE over io_uring (Linux 6.14+"
				" with the fuse module's enable_uring=Y); serving /dev/fuse only\n",
				io.cfg.prog);
	}
	return n;
}

static ssize_t hook_splice_send(int fdin, off_t *offin, int fdout, off_t *offout, size_t len,
				unsigned int flags, void *userdata)
{
	(void)userdata;
	if (io.uring)
		return uring_transport_splice_send(fdin, offin, fdout, offout, len, flags);
	return splice(fdin, offin, fdout, offout, len, flags);
}

int session_io_attach(struct fuse_session *se, const struct session_io_config *cfg)
{
	static const struct fuse_custom_io hooks = {
		.read = hook_read,
		.writev = hook_writev,
		.splice_send = hook_splice_send,
	};
	int fd = fuse_session_fd(se);

	io.cfg = *cfg;
	if (cfg->uring)
		io.uring = !uring_transport_prepare(se, fd, cfg->prog);
	if (fuse_session_custom_io(se, &hooks, fd)) {
		fprintf(stderr, "%s: fuse_session_custom_io failed; serving as libfuse alone\n",
			cfg->prog);
		io.uring = false;
		return -1;
	}
	return 0;
}
