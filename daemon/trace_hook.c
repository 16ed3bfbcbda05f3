/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_hook.c - fill a trace_event from a FUSE request, ask the classifier
 * what caused it, hand it to the writer (see trace_hook.h).
 *
 * No locks and no allocation here: the event lives on the worker's stack,
 * the writer copies it, and the classifier keeps per-thread state itself.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "app_sampler.h"
#include "classify.h"
#include "hash_index.h"
#include "trace_hook.h"
#include "trace_writer.h"

static struct {
	struct trace_writer *volatile writer;	/* NULL: nothing is recorded */
	struct classifier *classifier;
	struct app_sampler *app;	/* NULL: no app-side view */
	bool meta;			/* record metadata operations */
	bool labels;			/* label data requests */
	bool uring;			/* header says transport io_uring */
	struct trace_transport_stats transport;	/* how it went, at the end */
} hook;

static uint64_t file_id_of(fuse_req_t req, fuse_ino_t ino)
{
	return ino ? afs_node(req, ino)->ino : 0;
}

static void begin(struct op_trace *t, fuse_req_t req, enum trace_op op, fuse_ino_t ino)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);

	memset(&t->ev, 0, sizeof(t->ev));
	t->ev.start_ns = trace_now_ns();
	t->ev.op = op;
	t->ev.file_id = file_id_of(req, ino);
	t->ev.tid = ctx->pid;
	t->ev.uid = ctx->uid;
	t->ev.gid = ctx->gid;
	t->ev.syscall = TRACE_SYSCALL_NONE;
	t->ev.ahead_bytes = TRACE_AHEAD_UNKNOWN;
}

/* Who asked, and (for data requests) by which access method. */
static void identify(struct op_trace *t, fuse_req_t req)
{
	struct classify_scratch scratch;
	struct trace_proc proc;

	scratch.unique = afs_req_unique(req);
	if (classifier_identify(hook.classifier, &t->ev, &scratch, &proc))
		trace_writer_proc(hook.writer, &proc);
	if (hook.labels && trace_op_is_data(t->ev.op))
		classify_request(hook.classifier, &t->ev, &scratch);
}

static bool wanted(enum trace_op op)
{
	return hook.writer && (hook.meta || trace_op_is_data(op));
}

void op_trace_begin(struct op_trace *t, fuse_req_t req, enum trace_op op, fuse_ino_t ino,
		    uint64_t fh, uint64_t offset, uint64_t size, uint32_t flags)
{
	t->unlinks = false;
	t->on = wanted(op);
	if (!t->on)
		return;
	begin(t, req, op, ino);
	t->ev.fh = fh;
	t->ev.offset = offset;
	t->ev.size = size;
	t->ev.flags = flags;
	identify(t, req);
}

static uint16_t name_len(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	return len > UINT16_MAX ? UINT16_MAX : (uint16_t)len;
}

void op_trace_begin_name(struct op_trace *t, fuse_req_t req, enum trace_op op,
			 fuse_ino_t parent, const char *name, fuse_ino_t parent2,
			 const char *name2, uint32_t flags)
{
	t->unlinks = false;
	t->on = wanted(op);
	if (!t->on)
		return;
	begin(t, req, op, parent);
	t->ev.file_id2 = file_id_of(req, parent2);
	t->ev.flags = flags;
	t->ev.name = name;
	t->ev.name_len = name_len(name);
	t->ev.name2 = name2;
	t->ev.name2_len = name_len(name2);
	identify(t, req);
}

void op_trace_unlink_victim(struct op_trace *t, int parent_fd, const char *name)
{
	struct stat st;

	if (!hook.writer || fstatat(parent_fd, name, &st, AT_SYMLINK_NOFOLLOW))
		return;
	t->unlinks = true;
	t->victim_id = st.st_ino;
	t->last_name = S_ISDIR(st.st_mode) || st.st_nlink <= 1;
}

void op_trace_end(struct op_trace *t, int64_t result)
{
	if (t->unlinks && result == 0 && t->last_name)
		trace_writer_unlink(hook.writer, trace_now_ns(), t->victim_id);
	if (!t->on)
		return;
	t->ev.result = result;
	t->ev.duration_ns = trace_now_ns() - t->ev.start_ns;
	if (hook.labels)
		classify_complete(hook.classifier, &t->ev);
	trace_writer_append(hook.writer, &t->ev);
}

/* A hash of (parent, name): 0 is never returned, so a new node always records. */
static uint64_t dentry_hash(uint64_t parent, const char *name)
{
	uint64_t h = hash_bytes(HASH_BYTES_INIT, &parent, sizeof(parent));

	h = hash_bytes(h, name, strlen(name));
	return h ? h : 1;
}

static void record_dentry(uint64_t file_id, uint64_t parent_id, uint32_t type, const char *name)
{
	struct trace_dentry d = {
		.time_ns = trace_now_ns(),
		.file_id = file_id,
		.parent_id = parent_id,
		.kind = type >> 12,
		.name = name,
		.name_len = name_len(name),
	};

	trace_writer_dentry(hook.writer, &d);
}

void op_trace_dentry(struct inode_node *n, const struct inode_node *parent, const char *name)
{
	uint64_t h;

	if (!hook.writer)
		return;
	h = dentry_hash(parent->ino, name);
	if (__atomic_exchange_n(&n->dentry_hash, h, __ATOMIC_RELAXED) == h)
		return;
	record_dentry(n->ino, parent->ino, n->type, name);
}

void op_trace_file2(struct op_trace *t, fuse_req_t req, fuse_ino_t ino2)
{
	if (t->on)
		t->ev.file_id2 = file_id_of(req, ino2);
}

void op_trace_created(struct op_trace *t, fuse_req_t req, fuse_ino_t ino)
{
	if (!t->on)
		return;
	t->ev.file_id2 = t->ev.file_id;
	t->ev.file_id = file_id_of(req, ino);
}

void op_trace_dentry_at(int dirfd, const struct inode_node *dir, const char *name)
{
	struct stat st;

	if (hook.writer && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		record_dentry(st.st_ino, dir->ino, st.st_mode & S_IFMT, name);
}

/* Wall clock as RFC 3339 UTC with nanoseconds. */
static void format_wall(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char sec[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(sec, sizeof(sec), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%09ldZ", sec, ts.tv_nsec);
}

#define NUM_LEN 24

static struct trace_writer *open_writer(const struct accessfs_daemon *d,
					const struct trace_hook_conn *conn,
					char *err, size_t errlen)
{
	struct utsname u;
	char wall[64], proto[NUM_LEN], pagesz[NUM_LEN], ra[NUM_LEN], mw[NUM_LEN];
	char mp[NUM_LEN], mono[NUM_LEN], pid[NUM_LEN], interval[NUM_LEN];
	const char *yes_no[] = { "0", "1" };

	uname(&u);
	format_wall(wall, sizeof(wall));
	snprintf(mono, sizeof(mono), "%llu", (unsigned long long)trace_now_ns());
	snprintf(proto, sizeof(proto), "%u.%u", conn->proto_major, conn->proto_minor);
	snprintf(pagesz, sizeof(pagesz), "%ld", sysconf(_SC_PAGESIZE));
	snprintf(ra, sizeof(ra), "%u", conn->max_readahead);
	snprintf(mw, sizeof(mw), "%u", conn->max_write);
	snprintf(mp, sizeof(mp), "%u", conn->max_pages);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	snprintf(interval, sizeof(interval), "%d", TRACE_FLUSH_INTERVAL_MS);

	const struct trace_header_field fields[] = {
		{ TRACE_HDR_accessfs_version, ACCESSFS_VERSION },
		{ TRACE_HDR_host, u.nodename },
		{ TRACE_HDR_kernel, u.release },
		{ TRACE_HDR_arch, u.machine },
		{ TRACE_HDR_page_size, pagesz },
		{ TRACE_HDR_source, d->source },
		{ TRACE_HDR_mountpoint, d->mountpoint },
		{ TRACE_HDR_mount_options, d->opts.given ? d->opts.given : "" },
		{ TRACE_HDR_max_readahead, ra },
		{ TRACE_HDR_max_write, mw },
		{ TRACE_HDR_max_pages, mp },
		{ TRACE_HDR_writeback_cache, yes_no[conn->writeback_cache] },
		{ TRACE_HDR_async_read, yes_no[conn->async_read] },
		{ TRACE_HDR_direct_io, yes_no[d->opts.direct_io] },
		{ TRACE_HDR_start_wall, wall },
		{ TRACE_HDR_start_mono_ns, mono },
		{ TRACE_HDR_classify, yes_no[options_label_source(&d->opts) != LABELS_OFF] },
		{ TRACE_HDR_label_source, classifier_label_source(hook.classifier) },
		{ TRACE_HDR_trace_meta, yes_no[d->opts.trace_meta] },
		{ TRACE_HDR_daemon_pid, pid },
		{ TRACE_HDR_proto, proto },
		{ TRACE_HDR_flush_interval_ms, interval },
		{ TRACE_HDR_app_counters, yes_no[hook.app != NULL] },
		{ TRACE_HDR_transport, hook.uring ? "io_uring" : "dev_fuse" },
		{ TRACE_HDR_killpriv_v2, yes_no[conn->killpriv_v2] },
	};

	/* cmd_mount.c created the file, empty, before mounting. */
	return trace_writer_open(d->trace_path, fields, sizeof(fields) / sizeof(fields[0]),
				 true, err, errlen);
}

int trace_hook_prepare(const struct accessfs_daemon *d, char *err, size_t errlen)
{
	struct classifier_config cc = {
		.labels = options_label_source(&d->opts) != LABELS_OFF,
		.bpf = options_label_source(&d->opts) == LABELS_BPF,
		.writeback_cache = d->opts.writeback,
		.page_size = (uint32_t)sysconf(_SC_PAGESIZE),
		.mount_dev = d->mount_dev,
	};

	hook.classifier = classifier_new(&cc, err, errlen);
	return hook.classifier ? 0 : -1;
}

bool trace_hook_labels_from_proc(void)
{
	return hook.classifier && !strcmp(classifier_label_source(hook.classifier), "proc");
}

/*
 * The app-side view comes with BPF labels: where those loaded, the kernel
 * can count for us too; under labels=proc or off the report says it has no
 * such view rather than showing zeros.
 */
static void open_app_sampler(const struct accessfs_daemon *d)
{
	char why[256];

	if (!d->opts.app_counters || strcmp(classifier_label_source(hook.classifier), "bpf"))
		return;
	hook.app = app_sampler_open(d->mount_dev, why, sizeof(why));
	if (!hook.app)
		fprintf(stderr, "accessfs: %s; no app-side view\n", why);
}

int trace_hook_start(const struct accessfs_daemon *d, const struct trace_hook_conn *conn,
		     char *err, size_t errlen)
{
	struct trace_writer *w;
	const char *warning;

	hook.uring = conn->uring;
	classifier_set_conn(hook.classifier, conn->async_read, conn->writeback_cache);
	open_app_sampler(d);
	w = open_writer(d, conn, err, errlen);
	if (!w) {
		app_sampler_close(hook.app);
		hook.app = NULL;
		classifier_free(hook.classifier);
		hook.classifier = NULL;
		return -1;
	}
	/* The header (written above) says there is a view: without a thread
	 * it is still sampled, once, at unmount. */
	if (hook.app && app_sampler_start(hook.app, w))
		fprintf(stderr, "accessfs: app-side counters: no sampler thread; "
			"sampled once, at unmount\n");
	warning = classifier_warning(hook.classifier);
	if (warning)
		fprintf(stderr, "accessfs: %s\n", warning);
	hook.meta = d->opts.trace_meta;
	hook.labels = options_label_source(&d->opts) != LABELS_OFF;
	hook.writer = w;
	record_dentry(inode_table_root(d->inodes)->ino, 0, S_IFDIR, "");
	return 0;
}

/* How many requests the BPF source could not label (doc/trace.md LABELS). */
static void record_label_stats(struct trace_writer *w)
{
	struct classifier_stats cs;
	struct trace_label_stats ls;

	if (!hook.labels || strcmp(classifier_label_source(hook.classifier), "bpf"))
		return;
	classifier_stats(hook.classifier, &cs);
	ls = (struct trace_label_stats){
		.time_ns = trace_now_ns(),
		.late = cs.bpf_late,
		.nocause = cs.bpf_nocause,
		.dropped = cs.bpf_dropped,
		.overlaps = cs.bpf_overlaps,
	};
	trace_writer_labels(w, &ls);
}

int trace_hook_stop(void)
{
	struct trace_writer *w = hook.writer;
	struct trace_writer_stats st = { 0 };
	int ret;

	if (!w)
		return 0;
	hook.writer = NULL;
	app_sampler_close(hook.app);
	hook.app = NULL;
	record_label_stats(w);
	if (hook.uring) {
		hook.transport.time_ns = trace_now_ns();
		trace_writer_transport(w, &hook.transport);
	}
	ret = trace_writer_close(w, &st);
	classifier_free(hook.classifier);
	hook.classifier = NULL;
	if (ret)
		fprintf(stderr, "accessfs: %llu events could not be written to the trace\n",
			(unsigned long long)st.lost);
	return ret;
}

void trace_hook_transport(unsigned int queues, unsigned long ring_requests)
{
	hook.transport.queues = queues;
	hook.transport.ring_requests = ring_requests;
}

void trace_hook_request_flush(void)
{
	struct trace_writer *w = hook.writer;

	if (w)
		trace_writer_request_flush(w);
}
