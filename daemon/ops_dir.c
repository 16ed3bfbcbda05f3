/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ops_dir.c - FUSE operations on open directories: opendir, readdir,
 * readdirplus, releasedir, fsyncdir.
 *
 * A directory handle is a DIR stream plus the entry that did not fit in
 * the last reply, so no entry is skipped or repeated between replies.
 * readdirplus looks each name up (raising its lookup count, as the kernel
 * expects) relative to the stream's own descriptor, so it needs no O_PATH
 * descriptor of the directory.  The reply buffer lives in the handle: no
 * allocation per request.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "daemon.h"
#include "trace_hook.h"

struct dir_handle {
	DIR *dp;
	off_t offset;		/* of the next entry readdir() returns */
	struct dirent *entry;	/* read but not yet replied, or NULL */
	char *buf;
	size_t buf_size;
};

static struct dir_handle *dir_handle(const struct fuse_file_info *fi)
{
	return (struct dir_handle *)(uintptr_t)fi->fh;
}

static void afs_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct accessfs_daemon *d = afs_daemon(req);
	struct inode_node *n = afs_node(req, ino);
	struct dir_handle *dh = calloc(1, sizeof(*dh));
	struct op_trace t;
	int pfd, fd, res;

	op_trace_begin(&t, req, TRACE_OP_OPENDIR, ino, 0, 0, 0, (uint32_t)fi->flags);
	if (!dh) {
		res = -ENOMEM;
		goto out_err;
	}
	pfd = afs_fd_get(req, n);
	if (pfd < 0) {
		res = pfd;
		goto out_err;
	}
	fd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	res = fd < 0 ? -errno : 0;
	afs_fd_put(req, n);
	if (res)
		goto out_err;
	dh->dp = fdopendir(fd);
	if (!dh->dp) {
		res = -errno;
		close(fd);
		goto out_err;
	}
	fi->fh = (uint64_t)(uintptr_t)dh;
	fi->keep_cache = options_keep_cache(&d->opts);
	fi->cache_readdir = options_keep_cache(&d->opts);
	op_trace_fh(&t, fi->fh);
	if (fuse_reply_open(req, fi)) {
		closedir(dh->dp);
		free(dh);
	}
	op_trace_end(&t, 0);
	return;

out_err:
	free(dh);
	fuse_reply_err(req, -res);
	op_trace_end(&t, res);
}

static bool is_dot_or_dotdot(const char *name)
{
	return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

/* The reply buffer of at least size bytes, or NULL. */
static char *reply_buffer(struct dir_handle *dh, size_t size)
{
	char *buf;

	if (size <= dh->buf_size)
		return dh->buf;
	buf = realloc(dh->buf, size);
	if (!buf)
		return NULL;
	dh->buf = buf;
	dh->buf_size = size;
	return buf;
}

/*
 * Add dh->entry to buf (at most room bytes); returns bytes added, 0 if it
 * did not fit, or -errno.  readdirplus entries are looked up.
 */
static ssize_t add_entry(fuse_req_t req, struct inode_node *dir, struct dir_handle *dh,
			 char *buf, size_t room, bool plus)
{
	struct dirent *de = dh->entry;
	struct fuse_entry_param e = { 0 };
	size_t added;
	int res;

	if (!plus || is_dot_or_dotdot(de->d_name)) {
		e.attr.st_ino = de->d_ino;
		e.attr.st_mode = (mode_t)de->d_type << 12;
		if (!plus)
			added = fuse_add_direntry(req, buf, room, de->d_name, &e.attr, de->d_off);
		else
			added = fuse_add_direntry_plus(req, buf, room, de->d_name, &e, de->d_off);
		return added > room ? 0 : (ssize_t)added;
	}
	res = afs_lookup_entry(req, dir, dirfd(dh->dp), de->d_name, &e);
	if (res)
		return res;
	added = fuse_add_direntry_plus(req, buf, room, de->d_name, &e, de->d_off);
	if (added <= room)
		return (ssize_t)added;
	inode_table_forget(afs_daemon(req)->inodes, afs_node(req, e.ino), 1);
	return 0;
}

/* Fill buf with entries from off on; bytes filled, or -errno if none. */
static ssize_t fill_dir(fuse_req_t req, fuse_ino_t ino, struct dir_handle *dh, char *buf,
			size_t size, off_t off, bool plus)
{
	struct inode_node *dir = afs_node(req, ino);
	size_t pos = 0;
	ssize_t added;

	if (off != dh->offset) {
		seekdir(dh->dp, off);
		dh->entry = NULL;
		dh->offset = off;
	}
	for (;;) {
		if (!dh->entry) {
			errno = 0;
			dh->entry = readdir(dh->dp);
			if (!dh->entry)
				return errno && pos == 0 ? -errno : (ssize_t)pos;
		}
		added = add_entry(req, dir, dh, buf + pos, size - pos, plus);
		if (added == 0)
			return (ssize_t)pos;
		if (added < 0 && added != -ENOENT)	/* ENOENT: gone since readdir */
			return pos ? (ssize_t)pos : added;
		if (added > 0)
			pos += (size_t)added;
		dh->offset = dh->entry->d_off;
		dh->entry = NULL;
	}
}

static void do_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi, enum trace_op op)
{
	struct dir_handle *dh = dir_handle(fi);
	char *buf = reply_buffer(dh, size);
	struct op_trace t;
	ssize_t res;

	op_trace_begin(&t, req, op, ino, fi->fh, (uint64_t)off, size, 0);
	res = buf ? fill_dir(req, ino, dh, buf, size, off, op == TRACE_OP_READDIRPLUS) : -ENOMEM;
	if (res < 0)
		fuse_reply_err(req, (int)-res);
	else
		fuse_reply_buf(req, buf, (size_t)res);
	op_trace_end(&t, res);
}

static void afs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
			struct fuse_file_info *fi)
{
	do_readdir(req, ino, size, off, fi, TRACE_OP_READDIR);
}

static void afs_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
			    struct fuse_file_info *fi)
{
	do_readdir(req, ino, size, off, fi, TRACE_OP_READDIRPLUS);
}

static void afs_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct dir_handle *dh = dir_handle(fi);
	struct op_trace t;

	op_trace_begin(&t, req, TRACE_OP_RELEASEDIR, ino, fi->fh, 0, 0, 0);
	closedir(dh->dp);
	free(dh->buf);
	free(dh);
	fuse_reply_err(req, 0);
	op_trace_end(&t, 0);
}

static void afs_fsyncdir(fuse_req_t req, fuse_ino_t ino, int datasync,
			 struct fuse_file_info *fi)
{
	int fd = dirfd(dir_handle(fi)->dp);
	struct op_trace t;
	int res;

	op_trace_begin(&t, req, TRACE_OP_FSYNCDIR, ino, fi->fh, 0, 0,
		       datasync ? TRACE_FSYNC_DATASYNC : 0);
	res = (datasync ? fdatasync(fd) : fsync(fd)) ? -errno : 0;
	fuse_reply_err(req, -res);
	op_trace_end(&t, res);
}

void ops_dir_register(struct fuse_lowlevel_ops *ops)
{
	ops->opendir = afs_opendir;
	ops->readdir = afs_readdir;
	ops->readdirplus = afs_readdirplus;
	ops->releasedir = afs_releasedir;
	ops->fsyncdir = afs_fsyncdir;
}
