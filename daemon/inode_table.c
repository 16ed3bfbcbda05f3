/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * inode_table.c - remembered inodes: a hash table by (st_dev, st_ino), file
 * handles for identity, and a bounded LRU of O_PATH descriptors.
 *
 * The table chains the nodes themselves (not lib/base's hash_index of
 * positions): a node's address is its FUSE node id, so nodes never move.
 *
 * Deliberately not one descriptor per node (as libfuse's passthrough_ll
 * keeps): a million remembered inodes would need a million descriptors.
 * Syscalls (openat, open_by_handle_at, close) are made outside the lock;
 * the lock only guards the table's pointers and counters.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hash_index.h"
#include "inode_table.h"

#define INITIAL_BUCKETS	1024
#define CLOSE_BATCH	64

struct inode_table {
	pthread_mutex_t lock;
	/* protected by lock: */
	struct inode_node **buckets;
	size_t nbuckets;		/* a power of two */
	size_t nnodes;
	struct inode_node lru;		/* sentinel: next is newest, prev oldest */
	unsigned int nfds;		/* O_PATH descriptors open, root's included */
	unsigned int max_fds;
	uint64_t handle_opens;
	uint64_t evictions;
	/* read-only after creation: */
	struct inode_node root;
	int mount_fd;			/* open_by_handle_at refuses O_PATH ones */
};

static size_t key_hash(uint64_t dev, uint64_t ino)
{
	return (size_t)hash_u64(ino ^ (dev << 32 | dev >> 32));
}

static struct inode_node **bucket_of(struct inode_table *t, uint64_t dev, uint64_t ino)
{
	return &t->buckets[key_hash(dev, ino) & (t->nbuckets - 1)];
}

/* Caller holds the lock. */
static struct inode_node *hash_find(struct inode_table *t, uint64_t dev, uint64_t ino)
{
	struct inode_node *n = *bucket_of(t, dev, ino);

	while (n && (n->ino != ino || n->dev != dev))
		n = n->hash_next;
	return n;
}

/* Caller holds the lock.  A failed grow only makes chains longer. */
static void hash_grow(struct inode_table *t)
{
	size_t nb = t->nbuckets * 2;
	struct inode_node **b = calloc(nb, sizeof(*b));

	if (!b)
		return;
	for (size_t i = 0; i < t->nbuckets; i++) {
		struct inode_node *n = t->buckets[i], *next;

		for (; n; n = next) {
			size_t j = key_hash(n->dev, n->ino) & (nb - 1);

			next = n->hash_next;
			n->hash_next = b[j];
			b[j] = n;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = nb;
}

static void hash_insert(struct inode_table *t, struct inode_node *n)
{
	struct inode_node **b;

	if (t->nnodes >= t->nbuckets * 2)
		hash_grow(t);
	b = bucket_of(t, n->dev, n->ino);
	n->hash_next = *b;
	*b = n;
	t->nnodes++;
}

static void hash_remove(struct inode_table *t, struct inode_node *n)
{
	struct inode_node **p = bucket_of(t, n->dev, n->ino);

	while (*p != n)
		p = &(*p)->hash_next;
	*p = n->hash_next;
	t->nnodes--;
}

static bool lru_listed(const struct inode_node *n)
{
	return n->lru_next != NULL;
}

static void lru_remove(struct inode_node *n)
{
	if (!lru_listed(n))
		return;
	n->lru_prev->lru_next = n->lru_next;
	n->lru_next->lru_prev = n->lru_prev;
	n->lru_next = n->lru_prev = NULL;
}

/* An unused descriptor that can be reopened by handle may be evicted. */
static void lru_add_if_idle(struct inode_table *t, struct inode_node *n)
{
	if (n->fd < 0 || n->fd_users || !n->handle || lru_listed(n))
		return;
	n->lru_next = t->lru.lru_next;
	n->lru_prev = &t->lru;
	t->lru.lru_next->lru_prev = n;
	t->lru.lru_next = n;
}

/*
 * Take descriptors beyond the bound (or want more, when the process ran
 * out) off the LRU's old end; the caller closes them outside the lock.
 */
static size_t lru_take_excess(struct inode_table *t, unsigned int want_free, int *fds)
{
	size_t k = 0;

	while (k < CLOSE_BATCH && t->lru.lru_prev != &t->lru &&
	       (t->nfds > t->max_fds || k < want_free)) {
		struct inode_node *n = t->lru.lru_prev;

		lru_remove(n);
		fds[k++] = n->fd;
		n->fd = -1;
		t->nfds--;
		t->evictions++;
	}
	return k;
}

static void close_all(const int *fds, size_t k)
{
	for (size_t i = 0; i < k; i++)
		close(fds[i]);
}

/* Close descriptors until within the bound; want_free extra if we ran out. */
static void evict(struct inode_table *t, unsigned int want_free)
{
	int fds[CLOSE_BATCH];
	size_t k;

	do {
		pthread_mutex_lock(&t->lock);
		k = lru_take_excess(t, want_free, fds);
		pthread_mutex_unlock(&t->lock);
		close_all(fds, k);
		want_free = want_free > k ? want_free - (unsigned int)k : 0;
	} while (k == CLOSE_BATCH);
}

static bool out_of_fds(int err)
{
	return err == EMFILE || err == ENFILE;
}

/* open_by_handle_at or openat that, when descriptors run out, evicts and retries once. */
static int open_path_fd(struct inode_table *t, int dirfd, const char *name,
			struct file_handle *h)
{
	for (int attempt = 0; ; attempt++) {
		int fd = h ? open_by_handle_at(dirfd, h, O_PATH | O_CLOEXEC) :
			openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);

		if (fd >= 0 || !out_of_fds(errno) || attempt)
			return fd < 0 ? -errno : fd;
		evict(t, t->max_fds / 4 + 1);
	}
}

static void warn_no_handles(int err)
{
	static int warned;

	if (__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		return;
	fprintf(stderr, "accessfs: the backing filesystem gives no file handles (%s): "
		"keeping one descriptor open per remembered inode there\n", strerror(err));
}

/* The handle of fd's inode, or NULL if it has none usable with the root. */
static struct file_handle *handle_of(struct inode_table *t, int fd, const struct stat *st)
{
	union {
		struct file_handle fh;
		char buf[sizeof(struct file_handle) + MAX_HANDLE_SZ];
	} u;
	struct file_handle *h;
	int mount_id;

	if (st->st_dev != t->root.dev)
		return NULL;	/* open_by_handle_at(root) cannot reach another fs */
	u.fh.handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(fd, "", &u.fh, &mount_id, AT_EMPTY_PATH)) {
		warn_no_handles(errno);
		return NULL;
	}
	h = malloc(sizeof(*h) + u.fh.handle_bytes);
	if (h)
		memcpy(h, &u.fh, sizeof(*h) + u.fh.handle_bytes);
	return h;
}

static struct inode_node *node_new(const struct stat *st, struct file_handle *h)
{
	struct inode_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->dev = st->st_dev;
	n->ino = st->st_ino;
	n->type = st->st_mode & S_IFMT;
	n->handle = h;
	n->fd = -1;
	return n;
}

static void node_free(struct inode_node *n)
{
	free(n->handle);
	free(n);
}

/*
 * Caller holds the lock: count one more lookup of n and give it fd if it
 * has none.  Returns fd if n did not need it (the caller closes it).
 */
static int node_looked_up(struct inode_table *t, struct inode_node *n, int fd)
{
	n->nlookup++;
	if (n->fd >= 0)
		return fd;
	n->fd = fd;
	t->nfds++;
	lru_add_if_idle(t, n);
	return -1;
}

int inode_table_lookup(struct inode_table *t, int parent_fd, const char *name,
		       struct stat *st, struct inode_node **out)
{
	struct inode_node *n, *fresh = NULL;
	struct file_handle *h;
	int fd, unused;

	fd = open_path_fd(t, parent_fd, name, NULL);
	if (fd < 0)
		return fd;
	if (fstatat(fd, "", st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		goto out_err;

	pthread_mutex_lock(&t->lock);
	n = hash_find(t, st->st_dev, st->st_ino);
	if (n)
		unused = node_looked_up(t, n, fd);
	pthread_mutex_unlock(&t->lock);
	if (n)
		goto out;

	h = handle_of(t, fd, st);
	fresh = node_new(st, h);
	if (!fresh) {
		free(h);
		errno = ENOMEM;
		goto out_err;
	}
	pthread_mutex_lock(&t->lock);
	n = hash_find(t, st->st_dev, st->st_ino);	/* another thread may have won */
	if (!n) {
		n = fresh;
		fresh = NULL;
		hash_insert(t, n);
	}
	unused = node_looked_up(t, n, fd);
	pthread_mutex_unlock(&t->lock);
	if (fresh)
		node_free(fresh);
out:
	if (unused >= 0)
		close(unused);
	evict(t, 0);
	*out = n;
	return 0;

out_err:
	unused = errno;
	close(fd);
	return -unused;
}

/* Caller holds the lock; n has no lookups and no users left. */
static int node_drop(struct inode_table *t, struct inode_node *n)
{
	int fd = n->fd;

	lru_remove(n);
	if (fd >= 0)
		t->nfds--;
	node_free(n);
	return fd;
}

void inode_table_forget(struct inode_table *t, struct inode_node *n, uint64_t count)
{
	int fd = -1;

	if (n == &t->root)
		return;
	pthread_mutex_lock(&t->lock);
	n->nlookup = n->nlookup > count ? n->nlookup - count : 0;
	if (n->nlookup == 0) {
		hash_remove(t, n);
		if (n->fd_users == 0)
			fd = node_drop(t, n);
	}
	pthread_mutex_unlock(&t->lock);
	if (fd >= 0)
		close(fd);
}

int inode_fd_get(struct inode_table *t, struct inode_node *n)
{
	int fd, unused = -1;

	pthread_mutex_lock(&t->lock);
	if (n->fd >= 0) {
		lru_remove(n);
		n->fd_users++;
		fd = n->fd;
		pthread_mutex_unlock(&t->lock);
		return fd;
	}
	t->handle_opens++;
	pthread_mutex_unlock(&t->lock);

	fd = open_path_fd(t, t->mount_fd, NULL, n->handle);
	if (fd < 0)
		return fd;
	pthread_mutex_lock(&t->lock);
	if (n->fd >= 0) {
		unused = fd;	/* another thread reopened it meanwhile */
		lru_remove(n);
	} else {
		n->fd = fd;
		t->nfds++;
	}
	n->fd_users++;
	fd = n->fd;
	pthread_mutex_unlock(&t->lock);
	if (unused >= 0)
		close(unused);
	evict(t, 0);
	return fd;
}

void inode_fd_put(struct inode_table *t, struct inode_node *n)
{
	int fd = -1;

	pthread_mutex_lock(&t->lock);
	if (--n->fd_users == 0) {
		if (n->nlookup == 0 && n != &t->root)
			fd = node_drop(t, n);
		else
			lru_add_if_idle(t, n);
	}
	pthread_mutex_unlock(&t->lock);
	if (fd >= 0)
		close(fd);
	evict(t, 0);
}

struct inode_table *inode_table_new(int root_fd, unsigned int max_fds, char *err, size_t errlen)
{
	struct inode_table *t = calloc(1, sizeof(*t));
	struct stat st;

	if (!t || !(t->buckets = calloc(INITIAL_BUCKETS, sizeof(*t->buckets)))) {
		free(t);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->mount_fd = openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->mount_fd < 0 || fstat(root_fd, &st)) {
		snprintf(err, errlen, "cannot open the source: %s", strerror(errno));
		if (t->mount_fd >= 0)
			close(t->mount_fd);
		free(t->buckets);
		free(t);
		return NULL;
	}
	pthread_mutex_init(&t->lock, NULL);
	t->nbuckets = INITIAL_BUCKETS;
	t->lru.lru_next = t->lru.lru_prev = &t->lru;
	t->max_fds = max_fds ? max_fds : 1;
	t->root.dev = st.st_dev;
	t->root.ino = st.st_ino;
	t->root.type = st.st_mode & S_IFMT;
	t->root.fd = root_fd;
	t->root.nlookup = 1;
	t->nfds = 1;
	hash_insert(t, &t->root);
	return t;
}

void inode_table_free(struct inode_table *t)
{
	for (size_t i = 0; i < t->nbuckets; i++) {
		struct inode_node *n = t->buckets[i], *next;

		for (; n; n = next) {
			next = n->hash_next;
			if (n->fd >= 0)
				close(n->fd);
			if (n != &t->root)
				node_free(n);
		}
	}
	close(t->mount_fd);
	pthread_mutex_destroy(&t->lock);
	free(t->buckets);
	free(t);
}

struct inode_node *inode_table_root(struct inode_table *t)
{
	return &t->root;
}

void inode_table_get_stats(struct inode_table *t, struct inode_table_stats *s)
{
	pthread_mutex_lock(&t->lock);
	s->nodes = t->nnodes;
	s->fds = t->nfds;
	s->max_fds = t->max_fds;
	s->handle_opens = t->handle_opens;
	s->evictions = t->evictions;
	pthread_mutex_unlock(&t->lock);
}
