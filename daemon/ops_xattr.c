/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ops_xattr.c - extended attributes: setxattr, getxattr, listxattr,
 * removexattr, passed through by the node's /proc/self/fd path (the
 * f*xattr calls do not accept O_PATH descriptors).
 *
 * Values are copied through a buffer allocated per request: xattr sizes
 * are up to 64 KiB and these requests are not on the data path.
 *
 * Except one: the kernel asks for security.capability (GETXATTR) before
 * every write() to a FUSE file, doubling the round trips of small writes.
 * With xattr=0 every xattr request is answered ENOSYS (and recorded), after
 * which the kernel sends no more of that kind.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/xattr.h>
#include "daemon.h"
#include "trace_hook.h"

/*
 * Size query (size 0) replies with the size; otherwise with the bytes.
 * get is getxattr with name, or listxattr when name is NULL.
 */
static void get_or_list(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size,
			enum trace_op op)
{
	struct inode_node *n = afs_node(req, ino);
	char path[AFS_PROC_PATH_MAX];
	char *buf = NULL;
	struct op_trace t;
	ssize_t res;
	int pfd;

	op_trace_begin_name(&t, req, op, ino, name, 0, NULL, 0);
	if (!afs_daemon(req)->opts.xattr) {
		res = -ENOSYS;
		goto out;
	}
	if (size && !(buf = malloc(size))) {
		res = -ENOMEM;
		goto out;
	}
	pfd = afs_fd_get(req, n);
	if (pfd < 0) {
		res = pfd;
		goto out;
	}
	afs_proc_path(path, pfd);
	res = name ? getxattr(path, name, buf, size) : listxattr(path, buf, size);
	if (res < 0)
		res = -errno;
	afs_fd_put(req, n);
out:
	if (res < 0)
		fuse_reply_err(req, (int)-res);
	else if (size)
		fuse_reply_buf(req, buf, (size_t)res);
	else
		fuse_reply_xattr(req, (size_t)res);
	free(buf);
	op_trace_end(&t, res);
}

static void afs_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	get_or_list(req, ino, name, size, TRACE_OP_GETXATTR);
}

static void afs_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	get_or_list(req, ino, NULL, size, TRACE_OP_LISTXATTR);
}

/* setxattr with value, or removexattr when value is NULL. */
static void set_or_remove(fuse_req_t req, fuse_ino_t ino, const char *name, const char *value,
			  size_t size, int flags, enum trace_op op)
{
	struct inode_node *n = afs_node(req, ino);
	char path[AFS_PROC_PATH_MAX];
	struct op_trace t;
	int pfd, res;

	op_trace_begin_name(&t, req, op, ino, name, 0, NULL, (uint32_t)flags);
	if (!afs_daemon(req)->opts.xattr) {
		res = -ENOSYS;
		goto out;
	}
	pfd = afs_fd_get(req, n);
	if (pfd < 0) {
		res = pfd;
		goto out;
	}
	afs_proc_path(path, pfd);
	res = value ? setxattr(path, name, value, size, flags) : removexattr(path, name);
	res = res ? -errno : 0;
	afs_fd_put(req, n);
out:
	fuse_reply_err(req, -res);
	op_trace_end(&t, res);
}

static void afs_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name, const char *value,
			 size_t size, int flags)
{
	set_or_remove(req, ino, name, value ? value : "", size, flags, TRACE_OP_SETXATTR);
}

static void afs_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name)
{
	set_or_remove(req, ino, name, NULL, 0, 0, TRACE_OP_REMOVEXATTR);
}

void ops_xattr_register(struct fuse_lowlevel_ops *ops)
{
	ops->setxattr = afs_setxattr;
	ops->getxattr = afs_getxattr;
	ops->listxattr = afs_listxattr;
	ops->removexattr = afs_removexattr;
}
