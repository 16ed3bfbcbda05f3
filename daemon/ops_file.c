/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ops_file.c - FUSE operations on open files: open, create, read, write,
 * flush, release, fsync, fallocate, copy_file_range, lseek, flock.
 *
 * The file handle is the backing descriptor itself.  An open file keeps its
 * node's O_PATH descriptor in use until release (so the LRU never closes
 * it and an unlinked open file stays reachable).  Reads up to 64 KiB are
 * copied through a per-thread buffer, larger ones spliced from the backing
 * file to /dev/fuse (fuse_reply_data with a descriptor buffer); writes are
 * copied with fuse_buf_copy, so neither allocates per request.  A read that
 * came over FUSE over io_uring is read straight into the ring entry's
 * buffer, whatever its size (uring_transport.h).
 *
 * POSIX locks (fcntl F_SETLK) are left to the kernel, which keeps them
 * locally per mount (no getlk/setlk here): they are not seen by programs
 * using the backing directory directly.  flock() is passed through.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/magic.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "creds.h"
#include "daemon.h"
#include "session_io.h"
#include "trace_hook.h"
#include "uring_transport.h"

static int file_fd(const struct fuse_file_info *fi)
{
	return (int)fi->fh;
}

/*
 * With the writeback cache the kernel may read through a write-only file
 * and handles O_APPEND itself (as libfuse's passthrough_ll explains).
 */
static int backing_flags(const struct accessfs_daemon *d, int flags)
{
	if (d->opts.writeback && (flags & O_ACCMODE) == O_WRONLY)
		flags = (flags & ~O_ACCMODE) | O_RDWR;
	if (d->opts.writeback)
		flags &= ~O_APPEND;
	return (flags & ~O_NOFOLLOW) | O_CLOEXEC;
}

/*
 * Before a WRITE, after an OPEN or CREATE that truncated: clear the
 * set-user-ID and set-group-ID bits of inode ino (0: no need to tell the
 * kernel) where the kernel asked the daemon to (FUSE_HANDLE_KILLPRIV_V2,
 * session_io.h).  0, or -1 with errno.
 *
 * The kernel does not expect the mode to change under a WRITE or an OPEN:
 * a statx() for the mode alone would show the old bits until the
 * attribute timeout.  So their attributes are invalidated, before the
 * reply (the requester may stat right after).  Only the attributes
 * (offset -1): no page of the file is touched, so this cannot wait on the
 * request being served.
 */
static int kill_suidgid(fuse_req_t req, fuse_ino_t ino, int fd)
{
	int res;

	if (!session_io_kill_suidgid(afs_req_unique(req)))
		return 0;
	res = creds_kill_suidgid(req, fd);
	if (res < 0) {
		errno = -res;
		return -1;
	}
	if (res > 0 && ino)
		fuse_lowlevel_notify_inval_inode(afs_daemon(req)->se, ino, -1, 0);
	return 0;
}

static void set_open_reply(const struct accessfs_daemon *d, struct fuse_file_info *fi, int fd)
{
	fi->fh = (uint64_t)fd;
	fi->direct_io = d->opts.direct_io;
	fi->keep_cache = options_keep_cache(&d->opts);
}

static void afs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct accessfs_daemon *d = afs_daemon(req);
	struct inode_node *n = afs_node(req, ino);
	char path[AFS_PROC_PATH_MAX];
	struct op_trace t;
	int pfd, fd;

	op_trace_begin(&t, req, TRACE_OP_OPEN, ino, 0, 0, 0, (uint32_t)fi->flags);
	pfd = afs_fd_get(req, n);
	if (pfd < 0) {
		fd = pfd;
		goto out_err;
	}
	afs_proc_path(path, pfd);
	fd = open(path, backing_flags(d, fi->flags));
	if (fd < 0) {
		fd = -errno;
		afs_fd_put(req, n);
		goto out_err;
	}
	if (kill_suidgid(req, ino, fd)) {
		int err = -errno;

		close(fd);
		afs_fd_put(req, n);
		fd = err;
		goto out_err;
	}
	set_open_reply(d, fi, fd);
	op_trace_fh(&t, (uint64_t)fd);
	if (fuse_reply_open(req, fi)) {		/* interrupted: no release will come */
		close(fd);
		afs_fd_put(req, n);
	}
	op_trace_end(&t, 0);
	return;

out_err:
	fuse_reply_err(req, -fd);
	op_trace_end(&t, fd);
}

/* Keep the new node's descriptor in use while the file is open; 0 or -errno. */
static int pin_created(fuse_req_t req, fuse_ino_t ino)
{
	int fd = afs_fd_get(req, afs_node(req, ino));

	return fd < 0 ? fd : 0;
}

static void afs_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
		       struct fuse_file_info *fi)
{
	struct accessfs_daemon *d = afs_daemon(req);
	struct inode_node *dir = afs_node(req, parent);
	struct fuse_entry_param e;
	struct op_trace t;
	int dfd, fd, res;
	bool switched;

	op_trace_begin_name(&t, req, TRACE_OP_CREATE, parent, name, 0, NULL, (uint32_t)fi->flags);
	dfd = afs_fd_get(req, dir);
	if (dfd < 0) {
		res = dfd;
		goto out_err;
	}
	switched = creds_become(req, d->switch_creds);
	fd = openat(dfd, name, backing_flags(d, fi->flags) | O_CREAT, creds_umask_become(req, mode));
	res = fd < 0 ? -errno : 0;
	creds_restore(switched);
	/* O_TRUNC on one that was there: the entry replied is looked up after */
	if (!res && kill_suidgid(req, 0, fd))
		res = -errno;
	if (!res)
		res = afs_lookup_entry(req, dir, dfd, name, &e);
	afs_fd_put(req, dir);
	if (!res && (res = pin_created(req, e.ino)))
		inode_table_forget(d->inodes, afs_node(req, e.ino), 1);
	if (res) {
		if (fd >= 0)
			close(fd);
		goto out_err;
	}
	set_open_reply(d, fi, fd);
	op_trace_fh(&t, (uint64_t)fd);
	op_trace_created(&t, req, e.ino);
	if (fuse_reply_create(req, &e, fi)) {	/* interrupted: forget it ourselves */
		close(fd);
		afs_fd_put(req, afs_node(req, e.ino));
		inode_table_forget(d->inodes, afs_node(req, e.ino), 1);
	}
	op_trace_end(&t, 0);
	return;

out_err:
	fuse_reply_err(req, -res);
	op_trace_end(&t, res);
}

/* What a read at off will return, for the trace: the reply is spliced unseen. */
static int64_t readable_bytes(int fd, off_t off, size_t size)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return (int64_t)size;
	if (st.st_size <= off)
		return 0;
	return st.st_size - off < (off_t)size ? st.st_size - off : (int64_t)size;
}

/*
 * Reads up to this size are copied through a per-thread buffer: pread and
 * one writev, and the trace gets the exact byte count.  fuse_reply_data
 * would copy them too (libfuse does not splice small replies) but through
 * a malloc per request, and the trace would need an fstat for the result.
 */
#define SMALL_READ_MAX (64u << 10)

/* pread into buf and reply from it: a per-thread buffer, or on a ring
 * thread the entry's own buffer, which the reply then already is. */
static void reply_copied(fuse_req_t req, struct op_trace *t, char *buf, int fd, size_t size,
			 off_t off)
{
	ssize_t n = pread(fd, buf, size, off);
	int res;

	if (n < 0) {
		n = -errno;
		fuse_reply_err(req, (int)-n);
		op_trace_end(t, n);
		return;
	}
	res = fuse_reply_buf(req, buf, (size_t)n);
	op_trace_end(t, res < 0 ? res : n);
}

static void reply_spliced(fuse_req_t req, struct op_trace *t, int fd, size_t size, off_t off)
{
	struct fuse_bufvec buf = FUSE_BUFVEC_INIT(size);
	int64_t expect = 0;
	int res;

	buf.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK;
	buf.buf[0].fd = fd;
	buf.buf[0].pos = off;
	if (op_trace_on(t))
		expect = readable_bytes(fd, off, size);
	res = fuse_reply_data(req, &buf, 0);
	op_trace_end(t, res < 0 ? res : expect);
}

static void afs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	static __thread char small[SMALL_READ_MAX];
	char *ring_buf = uring_transport_reply_buffer(size);
	struct op_trace t;

	op_trace_begin(&t, req, TRACE_OP_READ, ino, fi->fh, (uint64_t)off, size, 0);
	if (ring_buf)
		reply_copied(req, &t, ring_buf, file_fd(fi), size, off);
	else if (size <= SMALL_READ_MAX)
		reply_copied(req, &t, small, file_fd(fi), size, off);
	else
		reply_spliced(req, &t, file_fd(fi), size, off);
}

static void afs_write_buf(fuse_req_t req, fuse_ino_t ino, struct fuse_bufvec *in_buf,
			  off_t off, struct fuse_file_info *fi)
{
	struct fuse_bufvec out = FUSE_BUFVEC_INIT(fuse_buf_size(in_buf));
	struct op_trace t;
	ssize_t res;

	op_trace_begin(&t, req, TRACE_OP_WRITE, ino, fi->fh, (uint64_t)off, out.buf[0].size,
		       fi->writepage ? TRACE_WRITE_CACHE : 0);
	out.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK;
	out.buf[0].fd = file_fd(fi);
	out.buf[0].pos = off;
	res = kill_suidgid(req, ino, file_fd(fi)) ? -errno : fuse_buf_copy(&out, in_buf, 0);
	if (res < 0)
		fuse_reply_err(req, (int)-res);
	else
		fuse_reply_write(req, (size_t)res);
	op_trace_end(&t, res);
}

/* Reply with the result of a syscall that returns 0 or -1 with errno. */
static int reply_status(fuse_req_t req, int ret)
{
	int res = ret ? -errno : 0;

	fuse_reply_err(req, -res);
	return res;
}

/*
 * Closing a duplicate runs filp_flush() (fs/open.c): f_op->flush, then it
 * drops the closer's POSIX locks and dnotify marks, of which the daemon
 * holds none.  tmpfs (shmem_file_operations) and ext2/3/4
 * (ext4_file_operations) have no ->flush, so there it passes nothing on;
 * NFS, CIFS, FUSE and others flush there.  Unknown: assume it does.
 */
bool afs_flush_passes_on(int fd)
{
	struct statfs sfs;

	if (fstatfs(fd, &sfs))
		return true;
	return sfs.f_type != TMPFS_MAGIC && sfs.f_type != EXT4_SUPER_MAGIC;
}

/* Close a duplicate, so the backing fs sees the close (NFS flushes there). */
static void afs_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct op_trace t;
	int dup_fd;

	op_trace_begin(&t, req, TRACE_OP_FLUSH, ino, fi->fh, 0, 0, 0);
	if (afs_node(req, ino)->dev == afs_daemon(req)->flush_noop_dev) {
		fuse_reply_err(req, 0);	/* two syscalls that would do nothing */
		op_trace_end(&t, 0);
		return;
	}
	dup_fd = dup(file_fd(fi));
	op_trace_end(&t, reply_status(req, dup_fd < 0 ? -1 : close(dup_fd)));
}

static void afs_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct op_trace t;

	op_trace_begin(&t, req, TRACE_OP_RELEASE, ino, fi->fh, 0, 0, 0);
	close(file_fd(fi));
	afs_fd_put(req, afs_node(req, ino));
	fuse_reply_err(req, 0);
	op_trace_end(&t, 0);
}

static void afs_fsync(fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi)
{
	struct op_trace t;
	int fd = file_fd(fi);

	op_trace_begin(&t, req, TRACE_OP_FSYNC, ino, fi->fh, 0, 0,
		       datasync ? TRACE_FSYNC_DATASYNC : 0);
	op_trace_end(&t, reply_status(req, datasync ? fdatasync(fd) : fsync(fd)));
}

static void afs_fallocate(fuse_req_t req, fuse_ino_t ino, int mode, off_t off, off_t len,
			  struct fuse_file_info *fi)
{
	struct op_trace t;

	op_trace_begin(&t, req, TRACE_OP_FALLOCATE, ino, fi->fh, (uint64_t)off, (uint64_t)len,
		       (uint32_t)mode);
	op_trace_end(&t, reply_status(req, fallocate(file_fd(fi), mode, off, len)));
}

static void afs_copy_file_range(fuse_req_t req, fuse_ino_t ino_in, off_t off_in,
				struct fuse_file_info *fi_in, fuse_ino_t ino_out, off_t off_out,
				struct fuse_file_info *fi_out, size_t len, int flags)
{
	struct op_trace t;
	ssize_t res;

	op_trace_begin(&t, req, TRACE_OP_COPY_FILE_RANGE, ino_in, fi_in->fh, (uint64_t)off_in,
		       len, (uint32_t)flags);
	op_trace_file2(&t, req, ino_out);
	res = copy_file_range(file_fd(fi_in), &off_in, file_fd(fi_out), &off_out, len,
			      (unsigned int)flags);
	if (res < 0) {
		res = -errno;
		fuse_reply_err(req, (int)-res);
	} else {
		fuse_reply_write(req, (size_t)res);
	}
	op_trace_end(&t, res);
}

static void afs_lseek(fuse_req_t req, fuse_ino_t ino, off_t off, int whence,
		      struct fuse_file_info *fi)
{
	struct op_trace t;
	off_t res;

	op_trace_begin(&t, req, TRACE_OP_LSEEK, ino, fi->fh, (uint64_t)off, 0, 0);
	res = lseek(file_fd(fi), off, whence);
	if (res < 0) {
		res = -errno;
		fuse_reply_err(req, (int)-res);
	} else {
		fuse_reply_lseek(req, res);
	}
	op_trace_end(&t, res);
}

struct flock_wait {
	fuse_req_t req;
	struct op_trace t;
	int fd, op;
};

static void *flock_wait_run(void *arg)
{
	struct flock_wait *w = arg;

	pthread_setname_np(pthread_self(), "flock-wait");
	op_trace_end(&w->t, reply_status(w->req, flock(w->fd, w->op)));
	free(w);
	return NULL;
}

/*
 * A flock() that has to wait, asked over a ring: waited for on a thread of
 * its own, since every request from the ring's CPU waits behind its thread,
 * the unlock that would end the wait perhaps among them.  0 if handed over.
 */
static int flock_wait_start(fuse_req_t req, const struct op_trace *t, int fd, int op)
{
	struct flock_wait *w = malloc(sizeof(*w));
	pthread_attr_t attr;
	pthread_t thread;
	int err;

	if (!w)
		return -1;
	*w = (struct flock_wait){ .req = req, .t = *t, .fd = fd, .op = op };
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	uring_transport_defer();	/* before the reply can come */
	err = pthread_create(&thread, &attr, flock_wait_run, w);
	pthread_attr_destroy(&attr);
	if (err)
		flock_wait_run(w);	/* waits here: the reply finds the entry all the same */
	return 0;
}

static void afs_flock(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi, int op)
{
	struct op_trace t;

	op_trace_begin(&t, req, TRACE_OP_FLOCK, ino, fi->fh, 0, 0, (uint32_t)op);
	if (uring_transport_on_ring() && !(op & (LOCK_NB | LOCK_UN))) {
		int res = flock(file_fd(fi), op | LOCK_NB);

		if (res == 0 || errno != EWOULDBLOCK) {
			op_trace_end(&t, reply_status(req, res));
			return;
		}
		if (!flock_wait_start(req, &t, file_fd(fi), op))
			return;
	}
	op_trace_end(&t, reply_status(req, flock(file_fd(fi), op)));
}

void ops_file_register(struct fuse_lowlevel_ops *ops)
{
	ops->open = afs_open;
	ops->create = afs_create;
	ops->read = afs_read;
	ops->write_buf = afs_write_buf;
	ops->flush = afs_flush;
	ops->release = afs_release;
	ops->fsync = afs_fsync;
	ops->fallocate = afs_fallocate;
	ops->copy_file_range = afs_copy_file_range;
	ops->lseek = afs_lseek;
	ops->flock = afs_flock;
}
