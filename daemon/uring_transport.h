/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uring_transport.h - FUSE over io_uring (Linux 6.14+) under a libfuse 3.14
 * session that knows nothing of it; used by accessfs (-o uring) and by
 * bench/null_fuse (-o uring).
 *
 * The session keeps its /dev/fuse loop: INIT, FORGET and INTERRUPT always
 * travel there, and so does everything until the kernel has an entry on
 * every queue.  From then on every other request arrives on the ring of
 * the CPU that sent it and goes through the session's own handlers.  A
 * handler may reply later from another thread (a blocking flock does):
 * the entry then waits for that reply.  Without liburing at build time
 * (HAVE_LIBURING unset) prepare says so and the session serves /dev/fuse.
 * The session's I/O hooks are session_io.c's; it calls the first five
 * functions below.
 */
#ifndef ACCESSFS_URING_TRANSPORT_H
#define ACCESSFS_URING_TRANSPORT_H

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/uio.h>

struct fuse_init_out;	/* <linux/fuse.h> */

#ifdef HAVE_LIBURING
#define URING_BUILT	1

/*
 * For session_io.c.  prepare: before INIT is read, on the session's
 * /dev/fuse fd; 0, or -1 with one stderr line.  ask: add FUSE over io_uring to the INIT reply arg (the kernel
 * offered it).  start: once that reply is written, start the rings.
 * writev and splice_send: a reply, into the ring entry it answers, else
 * onto /dev/fuse as without the transport.
 */
int uring_transport_prepare(struct fuse_session *se, int fd, const char *prog);
void uring_transport_ask(struct fuse_init_out *arg);
void uring_transport_start(void);
ssize_t uring_transport_writev(int fd, struct iovec *iov, int count);
ssize_t uring_transport_splice_send(int fdin, off_t *offin, int fdout, off_t *offout, size_t len,
				   unsigned int flags);

/*
 * After INIT has been answered: wait until every ring has registered its
 * entries or failed.  Returns the number of queues serving (0: /dev/fuse
 * alone, the reason said on stderr once).
 */
unsigned int uring_transport_wait_ready(void);

/*
 * On a ring thread serving a request whose reply fits size bytes: the
 * entry's payload buffer, so a READ can pread straight into it and reply
 * with fuse_reply_buf() on that very buffer (no copy).  NULL elsewhere.
 */
void *uring_transport_reply_buffer(size_t size);

/* Whether the calling thread is serving a request that came over a ring
 * (its handler must not block for long: it holds the ring's thread). */
bool uring_transport_on_ring(void);

/*
 * On a ring thread, before a handler hands its request to another thread
 * that will reply to it: the entry then waits for that reply (matched by
 * the request's unique id) while the ring serves on.  No-op elsewhere.
 */
void uring_transport_defer(void);

/*
 * After the session loop returns, before unmounting: stop the ring threads
 * and free the rings.  Returns the number of requests they served.
 */
unsigned long uring_transport_detach(void);

#else	/* built without liburing: /dev/fuse only, said by attach */
#include <stdio.h>

#define URING_BUILT	0

static inline int uring_transport_prepare(struct fuse_session *se, int fd, const char *prog)
{
	(void)se;
	(void)fd;
	fprintf(stderr, "%s: built without liburing; serving /dev/fuse only\n", prog);
	return -1;
}

/* Never called when prepare failed. */
static inline void uring_transport_ask(struct fuse_init_out *arg) { (void)arg; }
static inline void uring_transport_start(void) { }
static inline ssize_t uring_transport_writev(int fd, struct iovec *iov, int count)
{
	return writev(fd, iov, count);
}
static inline ssize_t uring_transport_splice_send(int fdin, off_t *offin, int fdout,
						  off_t *offout, size_t len, unsigned int flags)
{
	return splice(fdin, offin, fdout, offout, len, flags);
}
static inline unsigned int uring_transport_wait_ready(void) { return 0; }
static inline void *uring_transport_reply_buffer(size_t size) { (void)size; return NULL; }
static inline bool uring_transport_on_ring(void) { return false; }
static inline void uring_transport_defer(void) { }
static inline unsigned long uring_transport_detach(void) { return 0; }
#endif	/* HAVE_LIBURING */

#endif /* ACCESSFS_URING_TRANSPORT_H */
