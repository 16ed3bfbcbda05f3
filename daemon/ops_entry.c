/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ops_entry.c - FUSE operations on names and inodes: lookup, forget,
 * getattr, setattr, readlink, mknod, mkdir, symlink, link, unlink, rmdir,
 * rename.  Each one does the syscall on the backing directory through the
 * node's O_PATH descriptor and replies; the trace call sits beside it.
 *
 * Creating operations run as the caller (creds.h) so new files get the
 * caller's owner, and with the caller's umask, so they get the mode the
 * caller would get natively.  Permission checks are the kernel's job when
 * default_permissions is on; this file never re-implements them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "creds.h"
#include "daemon.h"
#include "session_io.h"
#include "trace_hook.h"

int afs_lookup_entry(fuse_req_t req, struct inode_node *parent, int parent_fd,
		     const char *name, struct fuse_entry_param *e)
{
	struct accessfs_daemon *d = afs_daemon(req);
	struct inode_node *n;
	int res;

	memset(e, 0, sizeof(*e));
	res = inode_table_lookup(d->inodes, parent_fd, name, &e->attr, &n);
	if (res)
		return res;
	e->ino = afs_ino(req, n);
	e->attr_timeout = d->timeout;
	e->entry_timeout = d->timeout;
	op_trace_dentry(n, parent, name);
	return 0;
}

/* Reply to a lookup: a negative entry is cached like a positive one. */
static void reply_entry(fuse_req_t req, int res, struct fuse_entry_param *e)
{
	double timeout = afs_daemon(req)->timeout;

	if (res == -ENOENT && timeout > 0) {
		memset(e, 0, sizeof(*e));
		e->entry_timeout = timeout;
		res = 0;
	}
	if (res)
		fuse_reply_err(req, -res);
	else
		fuse_reply_entry(req, e);
}

static void afs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct inode_node *dir = afs_node(req, parent);
	struct fuse_entry_param e;
	struct op_trace t;
	int fd, res;

	op_trace_begin_name(&t, req, TRACE_OP_LOOKUP, parent, name, 0, NULL, 0);
	fd = afs_fd_get(req, dir);
	if (fd < 0) {
		res = fd;
	} else {
		res = afs_lookup_entry(req, dir, fd, name, &e);
		afs_fd_put(req, dir);
	}
	reply_entry(req, res, &e);
	op_trace_end(&t, res);
}

static void forget_one(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	struct op_trace t;

	op_trace_begin(&t, req, TRACE_OP_FORGET, ino, 0, 0, nlookup, 0);
	inode_table_forget(afs_daemon(req)->inodes, afs_node(req, ino), nlookup);
	op_trace_end(&t, 0);
}

static void afs_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	forget_one(req, ino, nlookup);
	fuse_reply_none(req);
}

static void afs_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets)
{
	for (size_t i = 0; i < count; i++)
		forget_one(req, forgets[i].ino, forgets[i].nlookup);
	fuse_reply_none(req);
}

/* stat of the node itself (never following a symlink); 0 or -errno. */
static int node_stat(fuse_req_t req, struct inode_node *n, struct stat *st)
{
	int fd = afs_fd_get(req, n), res = 0;

	if (fd < 0)
		return fd;
	if (fstatat(fd, "", st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		res = -errno;
	afs_fd_put(req, n);
	return res;
}

static void reply_attr(fuse_req_t req, int res, const struct stat *st)
{
	if (res)
		fuse_reply_err(req, -res);
	else
		fuse_reply_attr(req, st, afs_daemon(req)->timeout);
}

static void afs_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct op_trace t;
	struct stat st;
	int res;

	op_trace_begin(&t, req, TRACE_OP_GETATTR, ino, fi ? fi->fh : 0, 0, 0, 0);
	if (fi)
		res = fstat((int)fi->fh, &st) ? -errno : 0;
	else
		res = node_stat(req, afs_node(req, ino), &st);
	reply_attr(req, res, &st);
	op_trace_end(&t, res);
}

static struct timespec set_time(int valid, int set_bit, int now_bit, struct timespec ts)
{
	if (valid & now_bit)
		ts.tv_nsec = UTIME_NOW;
	else if (!(valid & set_bit))
		ts.tv_nsec = UTIME_OMIT;
	return ts;
}

/*
 * Apply the attributes in valid to the file at path-only fd pfd, or to the
 * open descriptor ffd when the kernel gave a file handle (-1 if not).
 */
static int apply_setattr(int pfd, int ffd, const struct stat *attr, int valid)
{
	char path[AFS_PROC_PATH_MAX];

	afs_proc_path(path, pfd);
	if ((valid & FUSE_SET_ATTR_MODE) &&
	    (ffd >= 0 ? fchmod(ffd, attr->st_mode) : chmod(path, attr->st_mode)))
		return -errno;
	if ((valid & (FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)) &&
	    fchownat(pfd, "", (valid & FUSE_SET_ATTR_UID) ? attr->st_uid : (uid_t)-1,
		     (valid & FUSE_SET_ATTR_GID) ? attr->st_gid : (gid_t)-1,
		     AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -errno;
	if ((valid & FUSE_SET_ATTR_SIZE) &&
	    (ffd >= 0 ? ftruncate(ffd, attr->st_size) : truncate(path, attr->st_size)))
		return -errno;
	if (valid & (FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME |
		     FUSE_SET_ATTR_ATIME_NOW | FUSE_SET_ATTR_MTIME_NOW)) {
		struct timespec tv[2] = {
			set_time(valid, FUSE_SET_ATTR_ATIME, FUSE_SET_ATTR_ATIME_NOW, attr->st_atim),
			set_time(valid, FUSE_SET_ATTR_MTIME, FUSE_SET_ATTR_MTIME_NOW, attr->st_mtim),
		};

		if (ffd >= 0 ? futimens(ffd, tv) : utimensat(AT_FDCWD, path, tv, 0))
			return -errno;
	}
	return 0;
}

static void afs_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int valid,
			struct fuse_file_info *fi)
{
	struct inode_node *n = afs_node(req, ino);
	struct op_trace t;
	struct stat st;
	int pfd, res = 0;

	op_trace_begin(&t, req, TRACE_OP_SETATTR, ino, fi ? fi->fh : 0, 0, 0, (uint32_t)valid);
	pfd = afs_fd_get(req, n);
	if (pfd < 0) {
		res = pfd;
		goto out;
	}
	/* A truncate by a caller without CAP_FSETID (FUSE_HANDLE_KILLPRIV_V2);
	 * a chown clears them in the backing filesystem itself. */
	if ((valid & FUSE_SET_ATTR_SIZE) && session_io_kill_suidgid(afs_req_unique(req)))
		res = creds_kill_suidgid(req, pfd);	/* the reply carries the new mode */
	if (res >= 0)
		res = apply_setattr(pfd, fi ? (int)fi->fh : -1, attr, valid);
	if (!res && fstatat(pfd, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		res = -errno;
	afs_fd_put(req, n);
out:
	reply_attr(req, res, &st);
	op_trace_end(&t, res);
}

static void afs_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct inode_node *n = afs_node(req, ino);
	char buf[PATH_MAX + 1];
	struct op_trace t;
	ssize_t res;
	int fd;

	op_trace_begin(&t, req, TRACE_OP_READLINK, ino, 0, 0, 0, 0);
	fd = afs_fd_get(req, n);
	if (fd < 0) {
		res = fd;
		goto out_err;
	}
	res = readlinkat(fd, "", buf, sizeof(buf));
	if (res < 0)
		res = -errno;
	else if (res == sizeof(buf))
		res = -ENAMETOOLONG;
	afs_fd_put(req, n);
	if (res < 0)
		goto out_err;
	buf[res] = '\0';
	fuse_reply_readlink(req, buf);
	op_trace_end(&t, res);
	return;

out_err:
	fuse_reply_err(req, (int)-res);
	op_trace_end(&t, res);
}

/* Reply to a request that made a name: its entry, or the error. */
static void reply_created(fuse_req_t req, int res, const struct fuse_entry_param *e)
{
	if (res)
		fuse_reply_err(req, -res);
	else
		fuse_reply_entry(req, e);
}

/* What a creating request makes: mknod/mkdir/symlink differ only in this. */
struct new_object {
	enum trace_op op;
	mode_t mode;
	dev_t rdev;
	const char *target;	/* symlink */
};

/* mode is o->mode as creds_umask_become() returned it. */
static int make_object(int dirfd, const char *name, const struct new_object *o, mode_t mode)
{
	int res;

	switch (o->op) {
	case TRACE_OP_MKDIR:
		res = mkdirat(dirfd, name, mode);
		break;
	case TRACE_OP_SYMLINK:
		res = symlinkat(o->target, dirfd, name);
		break;
	default:
		res = mknodat(dirfd, name, mode, o->rdev);
		break;
	}
	return res ? -errno : 0;
}

static void afs_make(fuse_req_t req, fuse_ino_t parent, const char *name,
		     const struct new_object *o)
{
	struct accessfs_daemon *d = afs_daemon(req);
	struct inode_node *dir = afs_node(req, parent);
	struct fuse_entry_param e;
	struct op_trace t;
	bool switched;
	int fd, res;

	op_trace_begin_name(&t, req, o->op, parent, name, 0, o->target, 0);
	fd = afs_fd_get(req, dir);
	if (fd < 0) {
		res = fd;
		goto out;
	}
	switched = creds_become(req, d->switch_creds);
	res = make_object(fd, name, o, creds_umask_become(req, o->mode));
	creds_restore(switched);
	if (!res)
		res = afs_lookup_entry(req, dir, fd, name, &e);
	afs_fd_put(req, dir);
out:
	reply_created(req, res, &e);
	op_trace_end(&t, res);
}

static void afs_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
		      dev_t rdev)
{
	struct new_object o = { .op = TRACE_OP_MKNOD, .mode = mode, .rdev = rdev };

	afs_make(req, parent, name, &o);
}

static void afs_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	struct new_object o = { .op = TRACE_OP_MKDIR, .mode = mode };

	afs_make(req, parent, name, &o);
}

static void afs_symlink(fuse_req_t req, const char *target, fuse_ino_t parent,
			const char *name)
{
	struct new_object o = { .op = TRACE_OP_SYMLINK, .target = target };

	afs_make(req, parent, name, &o);
}

static void afs_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname)
{
	struct accessfs_daemon *d = afs_daemon(req);
	struct inode_node *n = afs_node(req, ino), *dir = afs_node(req, newparent);
	char path[AFS_PROC_PATH_MAX];
	struct fuse_entry_param e;
	struct op_trace t;
	int fd, dfd, res;
	bool switched;

	op_trace_begin_name(&t, req, TRACE_OP_LINK, ino, newname, newparent, NULL, 0);
	fd = afs_fd_get(req, n);
	if (fd < 0) {
		res = fd;
		goto out;
	}
	dfd = afs_fd_get(req, dir);
	if (dfd < 0) {
		afs_fd_put(req, n);
		res = dfd;
		goto out;
	}
	afs_proc_path(path, fd);
	switched = creds_become(req, d->switch_creds);
	res = linkat(AT_FDCWD, path, dfd, newname, AT_SYMLINK_FOLLOW) ? -errno : 0;
	creds_restore(switched);
	if (!res)
		res = afs_lookup_entry(req, dir, dfd, newname, &e);
	afs_fd_put(req, dir);
	afs_fd_put(req, n);
out:
	reply_created(req, res, &e);
	op_trace_end(&t, res);
}

/* unlink and rmdir: unlinkat with or without AT_REMOVEDIR. */
static void afs_remove(fuse_req_t req, fuse_ino_t parent, const char *name, enum trace_op op)
{
	struct inode_node *dir = afs_node(req, parent);
	struct op_trace t;
	int fd, res;

	op_trace_begin_name(&t, req, op, parent, name, 0, NULL, 0);
	fd = afs_fd_get(req, dir);
	if (fd < 0) {
		res = fd;
		goto out;
	}
	op_trace_unlink_victim(&t, fd, name);
	res = unlinkat(fd, name, op == TRACE_OP_RMDIR ? AT_REMOVEDIR : 0) ? -errno : 0;
	afs_fd_put(req, dir);
out:
	fuse_reply_err(req, -res);
	op_trace_end(&t, res);
}

static void afs_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	afs_remove(req, parent, name, TRACE_OP_UNLINK);
}

static void afs_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	afs_remove(req, parent, name, TRACE_OP_RMDIR);
}

static void afs_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
		       fuse_ino_t newparent, const char *newname, unsigned int flags)
{
	struct inode_node *dir = afs_node(req, parent), *newdir = afs_node(req, newparent);
	struct op_trace t;
	int fd, newfd, res;

	op_trace_begin_name(&t, req, TRACE_OP_RENAME, parent, name, newparent, newname, flags);
	fd = afs_fd_get(req, dir);
	if (fd < 0) {
		res = fd;
		goto out;
	}
	newfd = afs_fd_get(req, newdir);
	if (newfd < 0) {
		res = newfd;
		afs_fd_put(req, dir);
		goto out;
	}
	res = renameat2(fd, name, newfd, newname, flags) ? -errno : 0;
	if (!res)
		op_trace_dentry_at(newfd, newdir, newname);
	if (!res && (flags & RENAME_EXCHANGE))
		op_trace_dentry_at(fd, dir, name);
	afs_fd_put(req, newdir);
	afs_fd_put(req, dir);
out:
	fuse_reply_err(req, -res);
	op_trace_end(&t, res);
}

void ops_entry_register(struct fuse_lowlevel_ops *ops)
{
	ops->lookup = afs_lookup;
	ops->forget = afs_forget;
	ops->forget_multi = afs_forget_multi;
	ops->getattr = afs_getattr;
	ops->setattr = afs_setattr;
	ops->readlink = afs_readlink;
	ops->mknod = afs_mknod;
	ops->mkdir = afs_mkdir;
	ops->symlink = afs_symlink;
	ops->link = afs_link;
	ops->unlink = afs_unlink;
	ops->rmdir = afs_rmdir;
	ops->rename = afs_rename;
}
