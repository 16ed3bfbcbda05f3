/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * null_fuse.c - the ceiling for scripts/bench: a FUSE daemon that does no
 * work, so what it reaches is what the FUSE round trip alone allows on this
 * machine.
 *
 *   null_fuse [-f] -o size=BYTES[,uring] MOUNTPOINT
 *
 * It serves, from memory, a root directory holding read.dat and write.dat
 * of BYTES each, plus whatever directories and empty files are created (the
 * metadata job).  READs are answered from a static zeroed buffer, WRITEs by
 * their size with the data dropped.  It negotiates the connection as
 * accessfs does by default (no writeback cache, asynchronous reads as
 * under BPF labels or without labels, 1 MiB writes, the same 1 s entry
 * and attribute timeouts, 16 worker threads), answers xattr requests
 * (ENODATA) and asks for FUSE_HANDLE_KILLPRIV_V2 (daemon/session_io.c)
 * as accessfs does, so a write() costs one round trip as on accessfs (the
 * kernel checks security.capability once per file, not before every
 * write; there is no set-user-ID to clear here).
 *
 * With -o uring it asks for FUSE over io_uring (Linux 6.14+, fuse module
 * parameter enable_uring=Y): the same handlers, answering from one ring per
 * CPU (daemon/uring_transport.c).  Where the kernel or the build cannot, it says
 * so on one stderr line and serves /dev/fuse as without the option.
 *
 * It deliberately stores nothing, traces nothing and checks no permission:
 * it is a measuring stick, not a filesystem.
 */
#define FUSE_USE_VERSION 314
#include <errno.h>
#include <fuse_lowlevel.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "session_io.h"
#include "uring_transport.h"

#define NULL_MAX_WRITE	(1u << 20)
#define NULL_TIMEOUT	1.0		/* accessfs's default (cache=auto) */
#define NODES_MAX	(1u << 20)	/* inodes ever created (never reused): the bench
					 * creates 20000 per rep of its metadata job */
#define NAME_MAX_LEN	64

struct node {
	fuse_ino_t parent;
	mode_t mode;
	off_t size;
	char name[NAME_MAX_LEN];
	struct node *hash_next;
	bool linked;
};

static struct {
	pthread_mutex_t lock;
	struct node nodes[NODES_MAX];	/* index = inode number; 1 is the root */
	struct node *hash[NODES_MAX];
	fuse_ino_t next_ino;
} ns = { .lock = PTHREAD_MUTEX_INITIALIZER };

static const char zeros[NULL_MAX_WRITE];

static unsigned int name_hash(fuse_ino_t parent, const char *name)
{
	unsigned int h = (unsigned int)parent * 2654435761u;

	while (*name)
		h = h * 31 + (unsigned char)*name++;
	return h % NODES_MAX;
}

/* Called with ns.lock held. */
static fuse_ino_t find(fuse_ino_t parent, const char *name)
{
	for (struct node *n = ns.hash[name_hash(parent, name)]; n; n = n->hash_next)
		if (n->parent == parent && strcmp(n->name, name) == 0)
			return (fuse_ino_t)(n - ns.nodes);
	return 0;
}

/* Called with ns.lock held, name shorter than NAME_MAX_LEN; 0 if the table is full. */
static fuse_ino_t link_new(fuse_ino_t parent, const char *name, mode_t mode, off_t size)
{
	unsigned int h = name_hash(parent, name);
	struct node *n;

	if (ns.next_ino >= NODES_MAX)
		return 0;
	n = &ns.nodes[ns.next_ino];
	n->parent = parent;
	n->mode = mode;
	n->size = size;
	strcpy(n->name, name);
	n->linked = true;
	n->hash_next = ns.hash[h];
	ns.hash[h] = n;
	return ns.next_ino++;
}

/* Called with ns.lock held. */
static void unlink_node(fuse_ino_t parent, const char *name)
{
	struct node **pp = &ns.hash[name_hash(parent, name)];

	for (; *pp; pp = &(*pp)->hash_next) {
		if ((*pp)->parent == parent && strcmp((*pp)->name, name) == 0) {
			(*pp)->linked = false;
			*pp = (*pp)->hash_next;
			return;
		}
	}
}

static void fill_stat(fuse_ino_t ino, struct stat *st)
{
	const struct node *n = &ns.nodes[ino];

	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_mode = n->mode;
	st->st_nlink = S_ISDIR(n->mode) ? 2 : n->linked;
	st->st_size = n->size;
	st->st_blksize = 4096;
	st->st_blocks = (n->size + 511) / 512;
}

static struct fuse_entry_param entry_of(fuse_ino_t ino)
{
	struct fuse_entry_param e = {
		.ino = ino, .attr_timeout = NULL_TIMEOUT, .entry_timeout = NULL_TIMEOUT,
	};

	fill_stat(ino, &e.attr);
	return e;
}

static void reply_entry(fuse_req_t req, fuse_ino_t ino)
{
	struct fuse_entry_param e = entry_of(ino);

	fuse_reply_entry(req, &e);
}

static void null_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	conn->want &= ~(FUSE_CAP_WRITEBACK_CACHE | FUSE_CAP_HANDLE_KILLPRIV);
	conn->want |= (FUSE_CAP_SPLICE_WRITE | FUSE_CAP_ASYNC_READ) & conn->capable;
	conn->max_write = NULL_MAX_WRITE;
}

static void null_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	fuse_ino_t ino;

	pthread_mutex_lock(&ns.lock);
	ino = find(parent, name);
	pthread_mutex_unlock(&ns.lock);
	if (!ino)
		fuse_reply_err(req, ENOENT);
	else
		reply_entry(req, ino);
}

static void null_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	(void)ino;
	(void)nlookup;
	fuse_reply_none(req);
}

static void null_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets)
{
	(void)count;
	(void)forgets;
	fuse_reply_none(req);
}

static void null_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat st;

	(void)fi;
	fill_stat(ino, &st);
	fuse_reply_attr(req, &st, NULL_TIMEOUT);
}

static void null_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
			 struct fuse_file_info *fi)
{
	if (to_set & FUSE_SET_ATTR_SIZE) {
		pthread_mutex_lock(&ns.lock);
		ns.nodes[ino].size = attr->st_size;
		pthread_mutex_unlock(&ns.lock);
	}
	null_getattr(req, ino, fi);
}

static void make(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
		 struct fuse_file_info *fi)
{
	fuse_ino_t ino = 0;
	int err = EEXIST;

	if (strlen(name) >= NAME_MAX_LEN) {
		fuse_reply_err(req, ENAMETOOLONG);
		return;
	}
	pthread_mutex_lock(&ns.lock);
	if (!find(parent, name)) {
		ino = link_new(parent, name, mode, 0);
		err = ENOSPC;
	}
	pthread_mutex_unlock(&ns.lock);
	if (!ino) {
		fuse_reply_err(req, err);
		return;
	}
	if (fi) {
		struct fuse_entry_param e = entry_of(ino);

		fuse_reply_create(req, &e, fi);
	} else {
		reply_entry(req, ino);
	}
}

static void null_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	make(req, parent, name, S_IFDIR | (mode & 07777), NULL);
}

static void null_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
			struct fuse_file_info *fi)
{
	make(req, parent, name, S_IFREG | (mode & 07777), fi);
}

static void remove_name(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	pthread_mutex_lock(&ns.lock);
	unlink_node(parent, name);
	pthread_mutex_unlock(&ns.lock);
	fuse_reply_err(req, 0);
}

static void null_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	fuse_reply_open(req, fi);
}

static void null_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		      struct fuse_file_info *fi)
{
	off_t end = ns.nodes[ino].size;

	(void)fi;
	if (off >= end)
		size = 0;
	else if ((off_t)size > end - off)
		size = (size_t)(end - off);
	fuse_reply_buf(req, zeros, size < sizeof(zeros) ? size : sizeof(zeros));
}

static void null_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	(void)ino;
	(void)buf;
	(void)off;
	(void)fi;
	fuse_reply_write(req, size);
}

static void null_ok(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	(void)fi;
	fuse_reply_err(req, 0);
}

static void null_fsync(fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi)
{
	(void)datasync;
	null_ok(req, ino, fi);
}

static void null_fallocate(fuse_req_t req, fuse_ino_t ino, int mode, off_t off, off_t len,
			   struct fuse_file_info *fi)
{
	(void)mode;
	(void)off;
	(void)len;
	null_ok(req, ino, fi);
}

/* Only "." and "..": nothing in the bench lists a directory.  The kernel
 * asks for a page at least, so both always fit. */
static void null_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
			 struct fuse_file_info *fi)
{
	char buf[256];
	size_t used = 0;
	struct stat st = { .st_ino = ino, .st_mode = S_IFDIR };

	(void)fi;
	(void)size;
	if (off < 1)
		used += fuse_add_direntry(req, buf + used, sizeof(buf) - used, ".", &st, 1);
	if (off < 2)
		used += fuse_add_direntry(req, buf + used, sizeof(buf) - used, "..", &st, 2);
	fuse_reply_buf(req, buf, used);
}

static void null_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct statvfs sv = { .f_bsize = 4096, .f_frsize = 4096, .f_blocks = 1u << 24,
			      .f_bfree = 1u << 23, .f_bavail = 1u << 23, .f_files = NODES_MAX,
			      .f_ffree = NODES_MAX, .f_namemax = NAME_MAX_LEN - 1 };

	(void)ino;
	fuse_reply_statfs(req, &sv);
}

static void null_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	(void)ino;
	(void)name;
	(void)size;
	fuse_reply_err(req, ENODATA);
}

static void null_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	(void)ino;
	if (size)
		fuse_reply_buf(req, NULL, 0);
	else
		fuse_reply_xattr(req, 0);
}

static const struct fuse_lowlevel_ops null_ops = {
	.init = null_init,
	.lookup = null_lookup,
	.forget = null_forget,
	.forget_multi = null_forget_multi,
	.getattr = null_getattr,
	.setattr = null_setattr,
	.mkdir = null_mkdir,
	.create = null_create,
	.unlink = remove_name,
	.rmdir = remove_name,
	.open = null_open,
	.read = null_read,
	.write = null_write,
	.flush = null_ok,
	.release = null_ok,
	.fsync = null_fsync,
	.fallocate = null_fallocate,
	.opendir = null_open,
	.readdir = null_readdir,
	.releasedir = null_ok,
	.statfs = null_statfs,
	.getxattr = null_getxattr,
	.listxattr = null_listxattr,
};

struct null_options {
	long long size;
	int uring;
};

/* Takes "size=BYTES" and "uring" out of the -o options; libfuse gets the rest. */
static const struct fuse_opt null_opts[] = {
	{ "size=%lld", offsetof(struct null_options, size), 0 },
	{ "uring", offsetof(struct null_options, uring), 1 },
	FUSE_OPT_END
};

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts opts;
	struct fuse_loop_config *cfg;
	struct fuse_session *se;
	struct null_options no = { .size = -1 };
	int res = 1;

	if (fuse_opt_parse(&args, &no, null_opts, NULL) || fuse_parse_cmdline(&args, &opts))
		return 1;
	if (no.size < 0 || !opts.mountpoint) {
		fprintf(stderr, "usage: null_fuse [-f] -o size=BYTES[,uring] MOUNTPOINT\n");
		return 1;
	}
	ns.nodes[FUSE_ROOT_ID] = (struct node){ .mode = S_IFDIR | 0755, .linked = true };
	ns.next_ino = FUSE_ROOT_ID + 1;
	link_new(FUSE_ROOT_ID, "read.dat", S_IFREG | 0644, no.size);
	link_new(FUSE_ROOT_ID, "write.dat", S_IFREG | 0644, no.size);

	se = fuse_session_new(&args, &null_ops, sizeof(null_ops), NULL);
	if (!se || fuse_session_mount(se, opts.mountpoint))
		goto out;
	if (fuse_daemonize(opts.foreground) || fuse_set_signal_handlers(se))
		goto out_unmount;
	/* On failure the session is as without it. */
	session_io_attach(se, &(struct session_io_config){
		.prog = "null_fuse", .killpriv_v2 = true, .uring = no.uring });
	cfg = fuse_loop_cfg_create();
	fuse_loop_cfg_set_max_threads(cfg, 16);
	res = fuse_session_loop_mt(se, cfg) ? 1 : 0;
	fuse_loop_cfg_destroy(cfg);
	if (no.uring)	/* what the test and a curious reader check */
		fprintf(stderr, "null_fuse: %lu requests served over io_uring\n",
			uring_transport_detach());
	fuse_remove_signal_handlers(se);
out_unmount:
	fuse_session_unmount(se);
out:
	if (se)
		fuse_session_destroy(se);
	free(opts.mountpoint);
	fuse_opt_free_args(&args);
	return res;
}
