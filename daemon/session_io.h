/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * session_io.h - what libfuse 3.14 cannot negotiate or pass on, done under
 * the session through its custom I/O hooks (fuse_session_custom_io): the
 * INIT flags it does not know, the per-request flags it drops, and FUSE
 * over io_uring (uring_transport.h) below them.  Used by accessfs and by
 * bench/null_fuse.
 *
 * FUSE_HANDLE_KILLPRIV_V2: asked for in the INIT reply when the kernel
 * offers it.  The kernel then stops sending GETXATTR security.capability
 * before every write() (it sets SB_NOSEC), and tells the daemon instead,
 * per request, when the writer lacks CAP_FSETID: FUSE_WRITE_KILL_SUIDGID
 * on a WRITE, FATTR_KILL_SUIDGID on a truncating SETATTR,
 * FUSE_OPEN_KILL_SUIDGID on an OPEN or CREATE with O_TRUNC.  libfuse 3.14
 * drops all three; the read hook keeps them for the thread that serves the
 * request (session_io_kill_suidgid()), and the daemon clears the bits.
 *
 * With hooks under it libfuse reads requests with read() instead of
 * splice() (it offers splice reads only to a hook that has one).
 */
#ifndef ACCESSFS_SESSION_IO_H
#define ACCESSFS_SESSION_IO_H

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct session_io_config {
	const char *prog;	/* prefix of the stderr lines: "accessfs" */
	bool killpriv_v2;	/* ask for FUSE_HANDLE_KILLPRIV_V2 if offered */
	bool uring;		/* ask for FUSE over io_uring if offered */
	/* Say nothing when the kernel does not offer FUSE over io_uring (the
	 * fuse module's enable_uring=N): the transport was not asked for by
	 * name, so /dev/fuse is no fallback worth a line. */
	bool quiet_unoffered;
};

/*
 * On a mounted session, before INIT is read.  Returns 0, or -1 with one
 * stderr line (the session then serves /dev/fuse as libfuse alone would).
 */
int session_io_attach(struct fuse_session *se, const struct session_io_config *cfg);

/* From the INIT handler (init callback) on: whether the INIT reply asks
 * for FUSE_HANDLE_KILLPRIV_V2, and for FUSE over io_uring. */
bool session_io_asks_killpriv_v2(void);
bool session_io_asks_uring(void);

/*
 * The thread's request as it arrived, before libfuse parses it: called by
 * the read hook and by the io_uring transport, with the in header first.
 */
void session_io_note_request(const void *buf, size_t len);

/* In the handler of request unique: whether the kernel asked the daemon to
 * clear set-user-ID and set-group-ID (FUSE_HANDLE_KILLPRIV_V2, above). */
bool session_io_kill_suidgid(uint64_t unique);

#endif /* ACCESSFS_SESSION_IO_H */
