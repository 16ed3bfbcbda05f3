/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ops_fs.c - FUSE operations on the whole filesystem: init (what we ask of
 * the kernel, and where tracing starts), destroy, statfs, access.
 *
 * init decides the connection: the caller's umask sent to us unapplied,
 * no writeback cache unless asked (it would turn write() calls into pid-0
 * writeback), synchronous reads unless asked (the reading thread then
 * sends its own readahead, so labels are exact), 1 MiB writes, splice
 * (without SPLICE_MOVE, measured slower) for large read replies.  The
 * trace writer is opened here because only now are the negotiated values
 * for its header known.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "creds.h"
#include "daemon.h"
#include "trace_hook.h"
#include "session_io.h"

#define AFS_MAX_WRITE (1u << 20)

static void want(struct fuse_conn_info *conn, unsigned int cap, bool on)
{
	if (on)
		conn->want |= cap & conn->capable;
	else
		conn->want &= ~cap;
}

/*
 * Async reads are the kernel's normal behaviour, and BPF labels are exact
 * under them; /proc labels are exact only when the reading thread waits for
 * every READ, so they get sync reads unless a mode was asked for.
 */
static bool async_read(const struct accessfs_daemon *d)
{
	if (d->opts.read_mode_set)
		return d->opts.async_read;
	return d->opts.notrace || !trace_hook_labels_from_proc();
}

static void negotiate(const struct accessfs_daemon *d, struct fuse_conn_info *conn)
{
	want(conn, FUSE_CAP_WRITEBACK_CACHE, d->opts.writeback);
	want(conn, FUSE_CAP_ASYNC_READ, async_read(d));
	want(conn, FUSE_CAP_SPLICE_WRITE, true);
	/* v1 would have the daemon clear suid on every write; v2 (session_io.h)
	 * only where the kernel says so, else the kernel clears it */
	want(conn, FUSE_CAP_HANDLE_KILLPRIV, false);
	/*
	 * The caller's umask is left to the backing filesystem (creds.h):
	 * fuse_mknod(), fuse_mkdir() and fuse_create_open() in fs/fuse/dir.c
	 * would otherwise apply it even under a default ACL, because a FUSE
	 * superblock always has SB_POSIXACL and so must mask for itself.
	 */
	want(conn, FUSE_CAP_DONT_MASK, true);
	if (d->opts.writeback && !(conn->want & FUSE_CAP_WRITEBACK_CACHE))
		fprintf(stderr, "accessfs: the kernel offers no writeback cache; mounted without\n");
	if (d->opts.max_readahead_set && d->opts.max_readahead < conn->max_readahead)
		conn->max_readahead = d->opts.max_readahead;
	conn->max_write = AFS_MAX_WRITE;	/* libfuse's buffers hold 1 MiB + header */
}

static void afs_init(void *userdata, struct fuse_conn_info *conn)
{
	struct accessfs_daemon *d = userdata;
	unsigned int page = (unsigned int)sysconf(_SC_PAGESIZE);
	struct trace_hook_conn tc;
	char err[512];

	if (!d->opts.notrace && trace_hook_prepare(d, err, sizeof(err))) {
		fprintf(stderr, "accessfs: %s\n", err);
		d->init_failed = true;
		fuse_session_exit(d->se);
		return;
	}
	negotiate(d, conn);
	if (d->opts.notrace)
		return;
	tc = (struct trace_hook_conn){
		.proto_major = conn->proto_major,
		.proto_minor = conn->proto_minor,
		.max_readahead = conn->max_readahead,
		.max_write = conn->max_write,
		.max_pages = (conn->max_write - 1) / page + 1,	/* as libfuse's do_init */
		.writeback_cache = conn->want & FUSE_CAP_WRITEBACK_CACHE,
		.async_read = conn->want & FUSE_CAP_ASYNC_READ,
		.uring = session_io_asks_uring(),
		.killpriv_v2 = session_io_asks_killpriv_v2(),
	};
	if (trace_hook_start(d, &tc, err, sizeof(err))) {
		fprintf(stderr, "accessfs: %s\n", err);
		d->init_failed = true;
		fuse_session_exit(d->se);
	}
}

static void afs_destroy(void *userdata)
{
	struct accessfs_daemon *d = userdata;

	if (trace_hook_stop())
		d->init_failed = true;
}

static void afs_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct inode_node *n = afs_node(req, ino);
	struct statvfs st;
	struct op_trace t;
	int fd, res;

	op_trace_begin(&t, req, TRACE_OP_STATFS, ino, 0, 0, 0, 0);
	fd = afs_fd_get(req, n);
	if (fd < 0) {
		res = fd;
		goto out_err;
	}
	res = fstatvfs(fd, &st) ? -errno : 0;
	afs_fd_put(req, n);
	if (res)
		goto out_err;
	fuse_reply_statfs(req, &st);
	op_trace_end(&t, 0);
	return;

out_err:
	fuse_reply_err(req, -res);
	op_trace_end(&t, res);
}

/* Only sent without default_permissions: check as the caller would be checked. */
static void afs_access(fuse_req_t req, fuse_ino_t ino, int mask)
{
	struct accessfs_daemon *d = afs_daemon(req);
	struct inode_node *n = afs_node(req, ino);
	char path[AFS_PROC_PATH_MAX];
	struct op_trace t;
	bool switched;
	int fd, res;

	op_trace_begin(&t, req, TRACE_OP_ACCESS, ino, 0, 0, 0, (uint32_t)mask);
	fd = afs_fd_get(req, n);
	if (fd < 0) {
		res = fd;
		goto out;
	}
	afs_proc_path(path, fd);
	switched = creds_become(req, d->switch_creds);
	res = faccessat(AT_FDCWD, path, mask, AT_EACCESS) ? -errno : 0;
	creds_restore(switched);
	afs_fd_put(req, n);
out:
	fuse_reply_err(req, -res);
	op_trace_end(&t, res);
}

void ops_fs_register(struct fuse_lowlevel_ops *ops)
{
	ops->init = afs_init;
	ops->destroy = afs_destroy;
	ops->statfs = afs_statfs;
	ops->access = afs_access;
}
