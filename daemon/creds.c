/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * creds.c - per-thread fsuid/fsgid/groups switching for requests that
 * create files (see creds.h).  The caller's groups come from
 * fuse_req_getgroups(), which reads /proc: a few microseconds, paid only by
 * requests that create names (not at all when the caller already is who
 * the daemon is, see creds_become) and by a write the kernel flags for
 * clearing set-ID bits on a set-group-ID file, never by other reads and
 * writes.  The
 * umask costs a umask() call when a creating request's caller has another
 * umask than this thread's last one, and the unshare of CLONE_FS once per
 * worker thread.  creds_kill_suidgid() clears set-ID bits where the
 * kernel leaves that to the daemon (FUSE_HANDLE_KILLPRIV_V2).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "creds.h"
#include "daemon.h"

#define CREDS_MAX_GROUPS 256

static gid_t own_groups[CREDS_MAX_GROUPS];
static int own_ngroups;
static uid_t own_uid;
static gid_t own_gid;

void creds_init(void)
{
	int n = getgroups(CREDS_MAX_GROUPS, own_groups);

	own_ngroups = n > 0 ? n : 0;
	own_uid = geteuid();
	own_gid = getegid();
}

/* req's caller's supplementary groups into groups: how many (0 if unknown). */
static int caller_groups(fuse_req_t req, gid_t groups[CREDS_MAX_GROUPS])
{
	int n = fuse_req_getgroups(req, CREDS_MAX_GROUPS, groups);

	if (n < 0)
		return 0;
	return n < CREDS_MAX_GROUPS ? n : CREDS_MAX_GROUPS;
}

/* glibc's setgroups() changes all threads; the syscall changes only this one. */
static void thread_setgroups(int n, const gid_t *list)
{
	syscall(SYS_setgroups, (size_t)n, list);
}

bool creds_become(fuse_req_t req, bool enabled)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	gid_t groups[CREDS_MAX_GROUPS];
	int n;

	if (!enabled)
		return false;
	/*
	 * A root caller with the daemon's gid: fsuid 0 keeps the daemon's
	 * capabilities (DAC_OVERRIDE, FOWNER, FSETID), so its supplementary
	 * groups decide nothing, and the owner and group come out the same.
	 * Skipping the switch saves a /proc read and six syscalls per create.
	 */
	if (ctx->uid == 0 && own_uid == 0 && ctx->gid == own_gid)
		return false;
	n = caller_groups(req, groups);	/* unknown: none rather than root's */
	thread_setgroups(n, groups);
	setfsgid(ctx->gid);
	setfsuid(ctx->uid);
	return true;
}

void creds_restore(bool switched)
{
	if (!switched)
		return;
	setfsuid(0);
	setfsgid(0);
	thread_setgroups(own_ngroups, own_groups);
}

/*
 * The umask lives in the fs_struct that all threads share: a worker that
 * set it would mask what the others create meanwhile.  Unsharing CLONE_FS
 * gives this thread its own (cwd and root too: the daemon uses absolute
 * paths and descriptors only).  A thread libfuse starts from this one
 * shares this one's again, hence once per thread, not once per process.
 */
static bool thread_has_own_umask(void)
{
	static __thread int state;	/* 0 not tried, 1 own, -1 cannot */

	if (!state) {
		state = unshare(CLONE_FS) ? -1 : 1;
		if (state < 0)
			perror("accessfs: unshare(CLONE_FS), umask applied by the daemon");
	}
	return state > 0;
}

/*
 * The umask this thread's own fs_struct holds, once it has one; -1: not
 * known (unsharing copies whatever the shared one held at that moment).
 * Every request that creates a name sets it (below), so it is left as the
 * last caller's rather than put back: nothing else a worker does depends
 * on it, and callers of one mount nearly always share one umask, so most
 * creates make no umask() call at all.
 */
static __thread int thread_umask = -1;

mode_t creds_umask_become(fuse_req_t req, mode_t mode)
{
	mode_t caller = fuse_req_ctx(req)->umask;

	/*
	 * Until this thread has unshared, it shares the umask of the thread
	 * that started it, which may be in the middle of another caller's
	 * create: unshare first, then set what is not known to be right,
	 * even 0.
	 */
	if (!thread_has_own_umask())
		return mode & ~caller;	/* right but for default ACLs */
	if (thread_umask != (int)caller) {
		umask(caller);
		thread_umask = (int)caller;
	}
	return mode;
}

/* Whether req's caller is in group gid: its fsgid or a supplementary group. */
static bool caller_in_group(fuse_req_t req, gid_t gid)
{
	gid_t groups[CREDS_MAX_GROUPS];
	int n;

	if (fuse_req_ctx(req)->gid == gid)
		return true;
	n = caller_groups(req, groups);
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

int creds_kill_suidgid(fuse_req_t req, int fd)
{
	char path[AFS_PROC_PATH_MAX];
	struct stat st;
	mode_t kill = 0;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode) || !(st.st_mode & (S_ISUID | S_ISGID)))
		return 0;
	if (st.st_mode & S_ISUID)
		kill |= S_ISUID;
	if ((st.st_mode & S_ISGID) &&
	    ((st.st_mode & S_IXGRP) || !caller_in_group(req, st.st_gid)))
		kill |= S_ISGID;
	if (!kill)
		return 0;
	afs_proc_path(path, fd);	/* chmod through the path: fd may be O_PATH */
	if (chmod(path, st.st_mode & 07777 & ~kill))
		return errno == EPERM ? 0 : -errno;
	return 1;
}
