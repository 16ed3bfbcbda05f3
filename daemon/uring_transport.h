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
 * (HAVE_LIBURING unset) attach says so and the session serves /dev/fuse.
 */
#ifndef ACCESSFS_URING_TRANSPORT_H
#define ACCESSFS_URING_TRANSPORT_H

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
#include <stdbool.h>
#include <stddef.h>

struct uring_transport_config {
	const char *prog;	/* prefix of the stderr lines: "accessfs" */
	/* Say nothing when the kernel does not offer FUSE over io_uring (the
	 * fuse module's enable_uring=N): the transport was not asked for by
	 * name, so /dev/fuse is no fallback worth a line. */
	bool quiet_unoffered;
};

#ifdef HAVE_LIBURING
#define URING_BUILT	1

/*
 * Called on a mounted session before INIT is read: routes the session's
 * /dev/fuse I/O through hooks that offer io_uring in the INIT reply and
 * start one ring per possible CPU after it.  Returns 0, or -1 with one
 * stderr line (the session then serves /dev/fuse alone).
 */
int uring_transport_attach(struct fuse_session *se, const struct uring_transport_config *cfg);

/* In the INIT handler (init callback) or after: whether the kernel offered
 * FUSE over io_uring, so that the INIT reply asks for it. */
bool uring_transport_offered(void);

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

static inline int uring_transport_attach(struct fuse_session *se,
					 const struct uring_transport_config *cfg)
{
	(void)se;
	fprintf(stderr, "%s: built without liburing; serving /dev/fuse only\n", cfg->prog);
	return -1;
}

static inline bool uring_transport_offered(void) { return false; }
static inline unsigned int uring_transport_wait_ready(void) { return 0; }
static inline void *uring_transport_reply_buffer(size_t size) { (void)size; return NULL; }
static inline bool uring_transport_on_ring(void) { return false; }
static inline void uring_transport_defer(void) { }
static inline unsigned long uring_transport_detach(void) { return 0; }
#endif	/* HAVE_LIBURING */

#endif /* ACCESSFS_URING_TRANSPORT_H */
