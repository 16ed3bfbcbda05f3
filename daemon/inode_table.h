/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * inode_table.h - the inodes the kernel remembers, and how to reach them.
 *
 * A node is keyed by the backing (st_dev, st_ino) and counted by the
 * kernel's lookups (nlookup, dropped by forget).  A node is identified by a
 * file handle (name_to_handle_at), not by an open descriptor: O_PATH fds are
 * opened on demand with open_by_handle_at and kept in a bounded LRU, so a
 * tree of millions of files is served with at most max_fds cached
 * descriptors.  A descriptor someone is using (inode_fd_get without the
 * matching put, e.g. by an open file) is never closed.  Nodes on a
 * filesystem without file handles, or on another filesystem than the
 * source root, keep their descriptor for life (one warning on stderr).
 *
 * The FUSE inode number of a node is its address (inode_node_id()).
 * Knows nothing of FUSE sessions, so it is unit-tested alone.
 */
#ifndef ACCESSFS_INODE_TABLE_H
#define ACCESSFS_INODE_TABLE_H

#include <stdint.h>
#include <sys/stat.h>

struct file_handle;

struct inode_node {
	/* Set at creation, then read-only. */
	uint64_t dev;
	uint64_t ino;
	uint32_t type;			/* S_IFMT bits */
	struct file_handle *handle;	/* NULL: the fd is pinned for life */

	/* Protected by the table's lock. */
	uint64_t nlookup;
	int fd;				/* O_PATH, or -1 */
	unsigned int fd_users;		/* gets without puts */
	struct inode_node *hash_next;
	struct inode_node *lru_prev, *lru_next;	/* in the LRU iff fd >= 0, unused, not pinned */

	/* For the trace hook: hash of the (parent, name) last recorded. Racy by design. */
	uint64_t dentry_hash;
};

struct inode_table;

struct inode_table_stats {
	uint64_t nodes;
	uint64_t fds;		/* O_PATH descriptors open now */
	uint64_t max_fds;
	uint64_t handle_opens;	/* open_by_handle_at calls */
	uint64_t evictions;	/* descriptors closed to stay within max_fds */
};

/*
 * Take ownership of root_fd (an O_PATH directory) and remember it as the
 * root node.  max_fds bounds the cached descriptors (at least 1).
 * NULL with a message in err on failure.
 */
struct inode_table *inode_table_new(int root_fd, unsigned int max_fds, char *err, size_t errlen);

/* Close every descriptor and free every node. */
void inode_table_free(struct inode_table *t);

struct inode_node *inode_table_root(struct inode_table *t);

/*
 * Find name in directory parent_fd (not following a final symlink), stat it
 * into *st, and return its node with nlookup raised by one.
 * 0, or -errno (the name does not exist, descriptors ran out ...).
 */
int inode_table_lookup(struct inode_table *t, int parent_fd, const char *name,
		       struct stat *st, struct inode_node **out);

/* Drop n of the node's lookups; the node goes away at zero (the root never). */
void inode_table_forget(struct inode_table *t, struct inode_node *n, uint64_t count);

/*
 * An O_PATH descriptor of the node, kept open until the matching
 * inode_fd_put().  >= 0, or -errno (ESTALE: the file is gone).
 */
int inode_fd_get(struct inode_table *t, struct inode_node *n);
void inode_fd_put(struct inode_table *t, struct inode_node *n);

void inode_table_get_stats(struct inode_table *t, struct inode_table_stats *s);

static inline uint64_t inode_node_id(const struct inode_node *n)
{
	return (uint64_t)(uintptr_t)n;
}

#endif /* ACCESSFS_INODE_TABLE_H */
