/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemon.h - what every FUSE operation of the accessfs daemon shares: the
 * mount's state (one struct, the session's userdata) and the helpers that
 * turn a request's inode number into a node and a descriptor.
 *
 * The operations live one family per file (ops_entry.c, ops_file.c,
 * ops_dir.c, ops_xattr.c, ops_fs.c); each file fills its part of the
 * fuse_lowlevel_ops table.  Nothing here records traces: see trace_hook.h.
 */
#ifndef ACCESSFS_DAEMON_H
#define ACCESSFS_DAEMON_H

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
#include <stdbool.h>
#include <stdint.h>
#include "inode_table.h"
#include "options.h"

struct accessfs_daemon {
	struct mount_options opts;
	struct inode_table *inodes;
	struct fuse_session *se;
	const char *source;		/* absolute */
	const char *mountpoint;		/* absolute */
	const char *trace_path;		/* absolute; NULL with notrace */
	uint64_t mount_dev;		/* st_dev of the mount, 0 if unknown */
	uint64_t flush_noop_dev;	/* backing st_dev where FLUSH has nothing to
					 * pass on (afs_flush_passes_on), 0: none */
	double timeout;			/* entry and attribute timeout, seconds */
	bool switch_creds;		/* root: create as the caller */
	bool init_failed;		/* the init callback could not start tracing */
	bool uring_attached;		/* FUSE over io_uring hooks under the session */
};

static inline struct accessfs_daemon *afs_daemon(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

static inline struct inode_node *afs_node(fuse_req_t req, fuse_ino_t ino)
{
	if (ino == FUSE_ROOT_ID)
		return inode_table_root(afs_daemon(req)->inodes);
	return (struct inode_node *)(uintptr_t)ino;
}

#ifdef HAVE_FUSE_REQ_UNIQUE
uint64_t fuse_req_unique(fuse_req_t req);	/* libfuse >= 3.17 */
#endif

/*
 * The kernel's unique id of req (fuse_in_header.unique), which the BPF label
 * source keys its records by.  libfuse 3.17 exports fuse_req_unique();
 * before, struct fuse_req (libfuse lib/fuse_i.h) has begun with the session
 * pointer and the unique id since 3.0.  That is checked against our session:
 * 0 if it does not hold, and the request is labelled from /proc.
 */
static inline uint64_t afs_req_unique(fuse_req_t req)
{
#ifdef HAVE_FUSE_REQ_UNIQUE
	return fuse_req_unique(req);
#else
	const struct {
		struct fuse_session *se;
		uint64_t unique;
	} *head = (const void *)req;

	return head->se == afs_daemon(req)->se ? head->unique : 0;
#endif
}

/* The FUSE inode number of n: the root is FUSE_ROOT_ID, others their address. */
static inline fuse_ino_t afs_ino(fuse_req_t req, struct inode_node *n)
{
	if (n == inode_table_root(afs_daemon(req)->inodes))
		return FUSE_ROOT_ID;
	return (fuse_ino_t)inode_node_id(n);
}

/* The node's O_PATH descriptor until afs_fd_put(); >= 0 or -errno. */
static inline int afs_fd_get(fuse_req_t req, struct inode_node *n)
{
	return inode_fd_get(afs_daemon(req)->inodes, n);
}

static inline void afs_fd_put(fuse_req_t req, struct inode_node *n)
{
	inode_fd_put(afs_daemon(req)->inodes, n);
}

/* "/proc/self/fd/N": how a path-only descriptor is opened for real. */
#define AFS_PROC_PATH_MAX 32
static inline void afs_proc_path(char *buf, int fd)
{
	snprintf(buf, AFS_PROC_PATH_MAX, "/proc/self/fd/%d", fd);
}

/*
 * Look name up in the directory parent_fd (parent is its node) and fill e
 * for a reply, raising the node's lookup count; records the name for the
 * trace.  0 or -errno.  (ops_entry.c; used by create and readdirplus too.)
 */
int afs_lookup_entry(fuse_req_t req, struct inode_node *parent, int parent_fd,
		     const char *name, struct fuse_entry_param *e);

/*
 * Whether closing a duplicate of a descriptor on fd's filesystem reaches
 * it (ops_file.c afs_flush): false for those known to have no ->flush.
 */
bool afs_flush_passes_on(int fd);

void ops_entry_register(struct fuse_lowlevel_ops *ops);
void ops_file_register(struct fuse_lowlevel_ops *ops);
void ops_dir_register(struct fuse_lowlevel_ops *ops);
void ops_xattr_register(struct fuse_lowlevel_ops *ops);
void ops_fs_register(struct fuse_lowlevel_ops *ops);

#endif /* ACCESSFS_DAEMON_H */
