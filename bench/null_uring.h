/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * null_uring.h - FUSE over io_uring under a libfuse 3.14 session, for
 * bench/null_fuse (-o uring).  The session keeps its /dev/fuse loop (INIT,
 * FORGET and INTERRUPT always travel there); once the kernel accepts the
 * rings, every other request arrives on a per-CPU ring and goes through
 * the same libfuse handlers.  Built only with liburing (HAVE_LIBURING).
 */
#ifndef NULL_URING_H
#define NULL_URING_H

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>

/* Called on a mounted session before its loop runs: routes the session's
 * /dev/fuse I/O through hooks that offer io_uring in the INIT reply and
 * start one ring per CPU after it.  Returns 0, or -1 with one stderr line
 * (the session then serves /dev/fuse alone, as without -o uring). */
int null_uring_attach(struct fuse_session *se);

/* Called after the session loop returns, before unmounting: stops the
 * ring threads and frees the rings. */
void null_uring_detach(void);

#endif /* NULL_URING_H */
