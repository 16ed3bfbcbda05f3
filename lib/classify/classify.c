/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * classify.c - the access-method classifier: the rules that turn what a
 * requesting thread was doing when its request arrived into a label.
 *
 * All rules are here, each citing the kernel path it relies on (fs/fuse/
 * file.c unless said).  Observing the thread (/proc reads) is requester.c,
 * finding mappings is proc_maps.c, finding writeback triggers is
 * writeback_scan.c; this file only decides.  It does not guess: a request
 * whose cause was not seen is labelled unknown (doc/labels.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "bpf_source.h"
#include "classify.h"
#include "classify_rules.h"
#include "proc_helper.h"
#include "proc_maps.h"
#include "requester.h"
#include "writeback_scan.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22	/* Linux 5.14; glibc 2.36 lacks it */
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define MAP_WAIT_US	500	/* longest a worker waits for a mapping lookup */
#define FLUSH_WAIT_US	10000	/* ... for a FLUSH requester's /proc syscall */
#define SCAN_WAIT_US	20000	/* ... for a writeback trigger scan */
#define BPF_WAIT_US	2000	/* ... for its request's BPF record */

/* ---------------------------------------------------------------------- */
/* Syscall families                                                        */

static bool is_read_family(int32_t nr)
{
	return nr == SYS_read || nr == SYS_pread64 || nr == SYS_readv || nr == SYS_preadv ||
	       nr == SYS_preadv2;
}

static bool is_write_family(int32_t nr)
{
	return nr == SYS_write || nr == SYS_pwrite64 || nr == SYS_writev || nr == SYS_pwritev ||
	       nr == SYS_pwritev2;
}

static bool is_copy(int32_t nr)
{
	return nr == SYS_sendfile || nr == SYS_splice || nr == SYS_copy_file_range;
}

/*
 * io_uring/rw.c io_read/io_write run the request inline in io_uring_enter,
 * or (when it would block, or IOSQE_ASYNC) in an iou-wrk worker thread of
 * the submitting process (io_uring/io-wq.c): either way it is io_uring's.
 */
static bool is_io_uring(const struct requester_state *st)
{
	return st->io_worker || st->nr == SYS_io_uring_enter;
}

/*
 * mm/gup.c populate_vma_page_range() faults every page of the range in: for
 * mmap(MAP_POPULATE) (mm/util.c vm_mmap_pgoff -> mm_populate),
 * madvise(MADV_POPULATE_READ/WRITE) and mlock*.
 */
static bool is_populate(const struct requester_state *st)
{
	switch (st->nr) {
	case SYS_mmap:
		return st->args[3] & MAP_POPULATE;
	case SYS_madvise:
		return st->args[2] == MADV_POPULATE_READ || st->args[2] == MADV_POPULATE_WRITE;
	case SYS_mlock:
	case SYS_mlock2:
	case SYS_mlockall:
		return true;
	default:
		return false;
	}
}

/*
 * mm/madvise.c madvise_willneed -> vfs_fadvise; mm/fadvise.c
 * generic_fadvise(POSIX_FADV_WILLNEED) and mm/readahead.c ksys_readahead
 * both end in force_page_cache_readahead in the calling thread.
 */
static bool is_advise(const struct requester_state *st)
{
	switch (st->nr) {
	case SYS_madvise:
		return st->args[2] == MADV_WILLNEED;
	case SYS_fadvise64:
		return st->args[3] == POSIX_FADV_WILLNEED;
	case SYS_readahead:
		return true;
	default:
		return false;
	}
}

int classify_fd_arg(unsigned int op, int32_t nr)
{
	if (op != TRACE_OP_READ && op != TRACE_OP_WRITE)
		return -1;
	if (is_read_family(nr) || is_write_family(nr) || nr == SYS_splice ||
	    nr == SYS_copy_file_range || nr == SYS_fadvise64 || nr == SYS_readahead)
		return 0;
	if (nr == SYS_sendfile)
		return op == TRACE_OP_READ ? 1 : 0;	/* sendfile(out_fd, in_fd, ...) */
	if (nr == SYS_mmap)
		return 4;
	return -1;
}

bool classify_needs_pos(int32_t nr)
{
	return nr == SYS_read || nr == SYS_sendfile;
}

/* ---------------------------------------------------------------------- */
/* READ                                                                    */

/*
 * How sure a rule is.  STRONG: the thread is in a syscall on this very file
 * that reads it.  WEAK: the thread is somewhere that reads it only through
 * memory (a fault, a syscall copying to or from a mapped buffer, an
 * address-range madvise/mlock).  NONE: nothing seen.
 */
enum evidence { EVIDENCE_NONE, EVIDENCE_WEAK, EVIDENCE_STRONG };

struct read_cause {
	enum trace_method method;
	enum evidence evidence;
};

/* A syscall naming an fd: STRONG if the fd is this file, WEAK if unchecked. */
static struct read_cause by_fd(const struct requester_state *st, enum trace_method m)
{
	if (st->fd == FD_THIS_FILE)
		return (struct read_cause){ m, EVIDENCE_STRONG };
	if (st->fd == FD_UNCHECKED)
		return (struct read_cause){ m, EVIDENCE_WEAK };
	return (struct read_cause){ TRACE_METHOD_UNKNOWN, EVIDENCE_NONE };
}

static struct read_cause read_cause_of(const struct classifier_config *cfg,
				       const struct requester_state *st)
{
	const struct read_cause fault = { TRACE_METHOD_MMAP, EVIDENCE_WEAK };

	if (st->readable && !st->running && is_io_uring(st))
		return (struct read_cause){ TRACE_METHOD_IO_URING, EVIDENCE_STRONG };
	if (!st->readable || st->running || st->io_worker)
		return (struct read_cause){ TRACE_METHOD_UNKNOWN, EVIDENCE_NONE };
	/* mm/filemap.c filemap_fault: "-1 sp pc" is a thread outside a syscall. */
	if (st->nr == TRACE_SYSCALL_FAULT)
		return fault;
	/*
	 * filemap_read -> page_cache_sync_ra -> fuse_readahead ->
	 * fuse_send_readpages.  A read on another fd can only reach our file
	 * by faulting on the buffer it copies into (copy_to_user).
	 */
	if (is_read_family(st->nr))
		return st->fd == FD_OTHER_FILE ? fault : by_fd(st, TRACE_METHOD_READ);
	/*
	 * Without the writeback cache, fuse_perform_write sends WRITEs and
	 * reads nothing, so a READ during a write is a fault on the source
	 * buffer (copy_from_user), even on the same fd.  With it,
	 * fuse_write_begin reads a partial page first: the write caused it.
	 */
	if (is_write_family(st->nr)) {
		if (cfg->writeback_cache && st->fd == FD_THIS_FILE)
			return (struct read_cause){ TRACE_METHOD_WRITE, EVIDENCE_STRONG };
		return fault;
	}
	if (is_populate(st))
		return st->nr == SYS_mmap ? by_fd(st, TRACE_METHOD_POPULATE)
					  : (struct read_cause){ TRACE_METHOD_POPULATE,
								 EVIDENCE_WEAK };
	if (is_advise(st))
		return st->nr == SYS_madvise ? (struct read_cause){ TRACE_METHOD_ADVISE,
								    EVIDENCE_WEAK }
					     : by_fd(st, TRACE_METHOD_ADVISE);
	/* fs/splice.c: sendfile, splice and the generic copy_file_range fallback
	 * read the source through filemap_splice_read. */
	if (is_copy(st->nr))
		return by_fd(st, TRACE_METHOD_COPY);
	return (struct read_cause){ TRACE_METHOD_UNKNOWN, EVIDENCE_NONE };
}

/*
 * With async reads (fuse_send_readpages -> fuse_simple_background) a
 * readahead READ can arrive after its thread moved on, so what the thread
 * does now is weaker evidence than a request continuing the thread's last
 * stream on this file.  With sync reads /proc is exact and the stream only
 * fills in when nothing was seen.
 */
static enum trace_method read_method(const struct classifier_config *cfg,
				     const struct requester_state *st, bool *from_stream)
{
	struct read_cause cause = read_cause_of(cfg, st);

	*from_stream = false;
	if (cause.evidence == EVIDENCE_STRONG)
		return cause.method;
	if (st->stream_hit && (cfg->async_read || cause.evidence == EVIDENCE_NONE)) {
		*from_stream = true;
		return st->stream_method;
	}
	return cause.evidence == EVIDENCE_WEAK ? cause.method : TRACE_METHOD_UNKNOWN;
}

static uint64_t round_up(uint64_t x, uint64_t to)
{
	return (x + to - 1) / to * to;
}

/* Bytes of the request beyond the demanded range [start, start + len),
 * which the kernel rounds to whole pages. */
static uint64_t beyond(const struct classifier_config *cfg, const struct trace_event *ev,
		       uint64_t start, uint64_t len)
{
	uint64_t demand_end = round_up(start + len, cfg->page_size);
	uint64_t req_end = ev->offset + ev->size;
	uint64_t from = ev->offset > demand_end ? ev->offset : demand_end;

	return req_end > from ? req_end - from : 0;
}

/*
 * A fault needs one page; the rest of its READ is readahead
 * (mm/filemap.c do_sync_mmap_readahead: read-around that contains the
 * page).  A READ continuing the thread's stream was started by a fault on
 * an already cached page (do_async_mmap_readahead): all of it is ahead.
 */
static uint64_t fault_ahead(const struct classifier_config *cfg, const struct requester_state *st,
			    const struct trace_event *ev)
{
	if (st->stream_hit)
		return ev->size;
	return ev->size > cfg->page_size ? ev->size - cfg->page_size : 0;
}

static uint64_t read_ahead_bytes(const struct classifier_config *cfg,
				 const struct requester_state *st, const struct trace_event *ev,
				 enum trace_method m, bool from_stream)
{
	if (from_stream || st->async_ra)
		return ev->size;	/* continuing a stream, async readahead */
	switch (m) {
	case TRACE_METHOD_READ:
		if (st->nr == SYS_read && st->pos_known)
			return beyond(cfg, ev, st->pos, st->args[2]);
		if (st->nr == SYS_pread64)
			return beyond(cfg, ev, st->args[3], st->args[2]);
		return TRACE_AHEAD_UNKNOWN;	/* readv: the iovecs are not read */
	case TRACE_METHOD_MMAP:
		return fault_ahead(cfg, st, ev);
	case TRACE_METHOD_POPULATE:
		if (st->nr == SYS_mmap)
			return beyond(cfg, ev, st->args[5], st->args[1]);
		return TRACE_AHEAD_UNKNOWN;
	case TRACE_METHOD_ADVISE:
		if (st->nr == SYS_fadvise64 || st->nr == SYS_readahead)
			return st->args[2] ? beyond(cfg, ev, st->args[1], st->args[2]) : 0;
		return TRACE_AHEAD_UNKNOWN;
	case TRACE_METHOD_COPY:
		if (st->nr == SYS_sendfile && st->args[2] == 0 && st->pos_known)
			return beyond(cfg, ev, st->pos, st->args[3]);
		return TRACE_AHEAD_UNKNOWN;
	default:
		return TRACE_AHEAD_UNKNOWN;
	}
}

/* ---------------------------------------------------------------------- */
/* WRITE                                                                   */

/*
 * fuse_writepages (and fuse_writepage_locked before folios) send dirty
 * page-cache pages with FUSE_WRITE_CACHE set and args.nocreds, so pid 0.
 * Everything else is fuse_perform_write / fuse_direct_write_iter in the
 * writing thread.
 */
static enum trace_method write_method(const struct trace_event *ev,
				      const struct requester_state *st)
{
	if ((ev->flags & TRACE_WRITE_CACHE) || ev->tid == 0)
		return TRACE_METHOD_WRITEBACK;
	if (st->readable && !st->running && is_io_uring(st))
		return TRACE_METHOD_IO_URING;
	if (!st->readable || st->running || st->io_worker)
		return TRACE_METHOD_UNKNOWN;
	if (is_write_family(st->nr) && st->fd != FD_OTHER_FILE)
		return TRACE_METHOD_WRITE;
	if (is_copy(st->nr) && st->fd != FD_OTHER_FILE)
		return TRACE_METHOD_COPY;
	return TRACE_METHOD_UNKNOWN;
}

/* ---------------------------------------------------------------------- */

static int32_t seen_syscall(const struct trace_event *ev, const struct requester_state *st)
{
	if (ev->tid == 0)
		return TRACE_SYSCALL_NONE;
	if (!st->readable || st->running)
		return TRACE_SYSCALL_UNREADABLE;
	return st->nr;
}

void classify_label(const struct classifier_config *cfg, const struct requester_state *st,
		    struct trace_event *ev)
{
	bool from_stream;

	ev->syscall = seen_syscall(ev, st);
	ev->ahead_bytes = TRACE_AHEAD_UNKNOWN;
	ev->trigger = TRACE_TRIGGER_NONE;
	switch (ev->op) {
	case TRACE_OP_READ:
		if (ev->tid == 0) {
			ev->method = TRACE_METHOD_KERNEL;
			return;
		}
		ev->method = read_method(cfg, st, &from_stream);
		ev->ahead_bytes = read_ahead_bytes(cfg, st, ev, ev->method, from_stream);
		return;
	case TRACE_OP_WRITE:
		ev->method = write_method(ev, st);
		if (ev->method == TRACE_METHOD_WRITEBACK) {
			ev->trigger = TRACE_TRIGGER_UNKNOWN;
			ev->syscall = TRACE_SYSCALL_NONE;
		}
		return;
	case TRACE_OP_COPY_FILE_RANGE:
		ev->method = TRACE_METHOD_COPY;
		return;
	default:
		/*
		 * FLUSH (fuse_flush from filp_flush: close, dup2, exit), FSYNC
		 * (fuse_fsync: fsync, fdatasync, msync MS_SYNC), OPEN, RELEASE,
		 * FALLOCATE: no method, the cause is ev->syscall.
		 */
		ev->method = TRACE_METHOD_NONE;
		return;
	}
}

enum trace_trigger classify_trigger_of(const struct classifier_config *cfg, int32_t nr)
{
	switch (nr) {
	/* mm/msync.c: MS_SYNC -> vfs_fsync_range -> fuse_fsync ->
	 * file_write_and_wait_range, then FSYNC. */
	case SYS_msync:
		return TRACE_TRIGGER_MSYNC;
	case SYS_fsync:
	case SYS_fdatasync:
	case SYS_sync_file_range:
		return TRACE_TRIGGER_FSYNC;
	/* filp_flush -> fuse_flush -> write_inode_now, then FLUSH. */
	case SYS_close:
	case SYS_dup3:
	case SYS_close_range:
#ifdef SYS_dup2
	case SYS_dup2:
#endif
		return TRACE_TRIGGER_CLOSE;
	/* mm/vma.c remove_vma -> fuse_vma_close -> filemap_write_and_wait. */
	case SYS_munmap:
		return TRACE_TRIGGER_MUNMAP;
	/* kernel/exit.c exit_mm -> exit_mmap -> fuse_vma_close; exit_files ->
	 * fuse_flush.  execve drops the old mm the same way (exec_mmap). */
	case SYS_exit:
	case SYS_exit_group:
	case SYS_execve:
	case SYS_execveat:
		return TRACE_TRIGGER_EXIT;
	case SYS_sync:
	case SYS_syncfs:
		return TRACE_TRIGGER_SYNC;
	/*
	 * A thread dirtying pages: mm/memory.c fault_dirty_shared_page and
	 * mm/filemap.c generic_perform_write call
	 * balance_dirty_pages_ratelimited, which on FUSE's strictlimit bdi
	 * starts background writeback early: the flusher's work.
	 */
	case TRACE_SYSCALL_FAULT:
		return TRACE_TRIGGER_FLUSHER;
	default:
		if (cfg->writeback_cache && is_write_family(nr))
			return TRACE_TRIGGER_FLUSHER;
		return TRACE_TRIGGER_NONE;
	}
}

/*
 * fs/fs-writeback.c wb_writeback runs each work item for a reason
 * (include/linux/backing-dev-defs.h enum wb_reason): sync_inodes_sb queues
 * WB_REASON_SYNC work for sync(2) and syncfs(2) and waits for it; the rest
 * (background, periodic, vmscan, ...) is the flusher's own.
 */
#define WB_REASON_VMSCAN 1
#define WB_REASON_SYNC 2

/*
 * WB_REASON_VMSCAN: mm/vmscan.c shrink_inactive_list found the dirty pages
 * it took all unqueued for writeback and woke the flusher
 * (wakeup_flusher_threads): memory reclaim's writeback.
 */
enum trace_trigger classify_trigger_of_flusher(unsigned int wb_reason)
{
	if (wb_reason == WB_REASON_SYNC)
		return TRACE_TRIGGER_SYNC;
	if (wb_reason == WB_REASON_VMSCAN)
		return TRACE_TRIGGER_RECLAIM;
	return TRACE_TRIGGER_FLUSHER;
}

/* A syscall that waits for writeback beats a dirtying thread beats nothing. */
static int trigger_rank(enum trace_trigger t)
{
	if (t == TRACE_TRIGGER_NONE || t == TRACE_TRIGGER_UNKNOWN)
		return 0;
	return t == TRACE_TRIGGER_FLUSHER ? 1 : 2;
}

enum trace_trigger classify_trigger_pick(enum trace_trigger a, enum trace_trigger b)
{
	return trigger_rank(b) > trigger_rank(a) ? b : a;
}

/* ---------------------------------------------------------------------- */
/* The classifier: observe, decide, remember                               */

struct classifier {
	struct classifier_config cfg;
	struct requester_table *threads;
	struct proc_maps *maps;
	struct writeback_scan *writeback;
	struct proc_helper *risky;	/* /proc reads that an execve can block */
	struct bpf_source *bpf;		/* NULL: labels from /proc */
	const char *warning;
	char bpf_why[256];		/* why BPF was asked for but not loaded */
	atomic_bool warned_runtime;
	atomic_bool warned_bpf;
	atomic_uint_fast64_t bpf_late, bpf_nocause;
};

/* CAP_SYS_PTRACE (bit 19) in our effective set: needed to read other users'
 * /proc/<tid>/syscall (fs/proc/base.c lock_trace, ptrace_may_access). */
static bool have_cap_sys_ptrace(void)
{
	char buf[4096];
	unsigned long long eff = 0;
	const char *p;
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strstr(buf, "\nCapEff:");
	if (!p || sscanf(p + 8, "%llx", &eff) != 1)
		return false;
	return eff & (1ull << 19);
}

static const char *probe_warning(void)
{
	if (access("/proc/self/syscall", R_OK))
		return "classifier: /proc/<pid>/syscall is unreadable (no /proc, or a kernel "
		       "without CONFIG_HAVE_ARCH_TRACEHOOK): access methods are labelled unknown";
	if (!have_cap_sys_ptrace())
		return "classifier: no CAP_SYS_PTRACE: requests of other users' programs are "
		       "labelled unknown";
	return NULL;
}

struct classifier *classifier_new(const struct classifier_config *cfg, char *err, size_t errlen)
{
	struct classifier *c = calloc(1, sizeof(*c));

	if (!c)
		goto out_nomem;
	c->cfg = *cfg;
	if (!c->cfg.page_size)
		c->cfg.page_size = (uint32_t)sysconf(_SC_PAGESIZE);
	c->threads = requester_table_new();
	if (!c->threads)
		goto out_nomem;
	if (!cfg->labels)
		return c;
	c->maps = proc_maps_new(MAP_WAIT_US);
	c->writeback = writeback_scan_new(&c->cfg);
	c->risky = proc_helper_new();
	if (!c->maps || !c->writeback || !c->risky)
		goto out_nomem;
	c->warning = probe_warning();
	if (cfg->bpf) {
		c->bpf = bpf_source_open(cfg->mount_dev, c->bpf_why, sizeof(c->bpf_why));
		if (!c->bpf) {
			snprintf(c->bpf_why + strlen(c->bpf_why),
				 sizeof(c->bpf_why) - strlen(c->bpf_why), "; labels come from /proc");
			c->warning = c->bpf_why;
		} else {
			requester_table_watch_renames(c->threads, bpf_source_renames(c->bpf));
		}
	}
	return c;

out_nomem:
	snprintf(err, errlen, "classifier: out of memory");
	classifier_free(c);
	return NULL;
}

void classifier_set_conn(struct classifier *c, bool async_read, bool writeback_cache)
{
	c->cfg.async_read = async_read;
	c->cfg.writeback_cache = writeback_cache;
}

void classifier_free(struct classifier *c)
{
	if (!c)
		return;
	bpf_source_close(c->bpf);
	proc_helper_free(c->risky);
	writeback_scan_free(c->writeback);
	proc_maps_free(c->maps);
	requester_table_free(c->threads);
	free(c);
}

/*
 * Whether the thread that sent a data request sleeps until our reply, so
 * that its /proc state, once it has gone to sleep, is the state that sent
 * it.  Not for RELEASE (fuse_file_release sends it in the background), nor
 * for READs with async_read (readahead sent in the background).
 */
static bool sender_waits(const struct classifier_config *cfg, unsigned int op)
{
	if (op == TRACE_OP_RELEASE)
		return false;
	return op != TRACE_OP_READ || !cfg->async_read;
}

bool classifier_identify(struct classifier *c, struct trace_event *ev,
			 struct classify_scratch *s, struct trace_proc *proc)
{
	enum requester_syscall_read how = REQUESTER_SYSCALL_RECHECK;
	struct requester_identity id;

	if (ev->op == TRACE_OP_FLUSH)	/* maybe from an execve: see proc_helper.h */
		how = c->cfg.labels && !c->bpf ? REQUESTER_SYSCALL_UNLESS_EXEC :
						 REQUESTER_SYSCALL_NEVER;
	else if (c->cfg.labels && !c->bpf && trace_op_is_data(ev->op))
		how = sender_waits(&c->cfg, ev->op) ? REQUESTER_SYSCALL_SETTLED :
						      REQUESTER_SYSCALL_NOW;
	ev->pid = 0;
	s->syscall.fresh = false;
	if (ev->tid == 0 ||
	    requester_identify(c->threads, ev->tid, how,
			       ev->op == TRACE_OP_OPEN || ev->op == TRACE_OP_CREATE, &id, s))
		return false;
	ev->pid = id.tgid;
	if (!id.is_new)
		return false;
	memcpy(s->comm, id.comm, sizeof(s->comm));
	memcpy(s->exe, id.exe, sizeof(s->exe));
	proc->time_ns = ev->start_ns;
	proc->tid = ev->tid;
	proc->pid = id.tgid;
	proc->comm = s->comm;
	proc->exe = s->exe;
	return true;
}

static void warn_once_unreadable(struct classifier *c)
{
	if (c->warning || atomic_exchange(&c->warned_runtime, true))
		return;
	fprintf(stderr, "accessfs: classifier: a requester's /proc files are unreadable; "
			"its requests are labelled unknown\n");
}

static void map_into_event(struct classifier *c, struct trace_event *ev)
{
	struct proc_mapping m;

	if (!ev->pid || !proc_maps_find(c->maps, ev->pid, ev->file_id, ev->offset, &m))
		return;
	ev->map_start = m.start;
	ev->map_len = m.len;
	ev->map_offset = m.offset;
	ev->map_flags = m.flags;
}

/*
 * fs/exec.c begin_new_exec closes O_CLOEXEC files (FLUSH) holding the
 * exec_update_lock that reading its /proc syscall needs.  identify read it
 * already (settled) unless the thread may be in an execve; then read it on
 * the helper, within a bounded wait.
 */
static void observe_flush(struct classifier *c, const struct trace_event *ev,
			  struct classify_scratch *s, struct requester_state *st)
{
	char line[PROC_HELPER_MAX_IO];

	if (requester_has_snapshot(s, ev->tid)) {
		requester_observe(c->threads, ev, s, st);
		return;
	}
	if (proc_helper_run(c->risky, requester_syscall_line_job, NULL, &ev->tid, sizeof(ev->tid),
			line, sizeof(line), FLUSH_WAIT_US))
		requester_parse_syscall(line, strnlen(line, sizeof(line)), st);
}

struct scan_in {
	uint64_t file_id;
};

struct scan_out {
	uint8_t trigger;
	int32_t nr;
};

static void scan_job(void *ctx, const void *in, void *out)
{
	const struct scan_in *si = in;
	struct scan_out *so = out;

	so->trigger = (uint8_t)writeback_find_trigger(ctx, si->file_id, &so->nr);
}

/* The scan reads the /proc of threads that may be in execve: on the helper. */
static void find_trigger(struct classifier *c, struct trace_event *ev)
{
	struct scan_in si = { ev->file_id };
	struct scan_out so;

	if (!proc_helper_run(c->risky, scan_job, c->writeback, &si, sizeof(si), &so, sizeof(so),
			 SCAN_WAIT_US))
		return;		/* trigger stays unknown */
	ev->trigger = so.trigger;
	ev->syscall = so.nr;
}

/*
 * Whether ev shows its process using the file, for the writeback scan: an
 * OPEN, but also a request on a descriptor it inherited (fork) or a mapping.
 * READs only when they start a new stream, to keep the shared opener table
 * off the hot path.  A CREATE carries the parent directory: see
 * classify_complete.
 */
static bool uses_file(const struct trace_event *ev, const struct requester_state *st)
{
	if (!ev->pid || ev->op == TRACE_OP_CREATE)
		return false;
	return ev->op != TRACE_OP_READ || !st->stream_hit;
}

static void warn_once_bpf(struct classifier *c)
{
	if (atomic_exchange(&c->warned_bpf, true))
		return;
	fprintf(stderr, "accessfs: BPF labels: a request had no BPF record; it and any like it "
			"are labelled from /proc (counted in the trace)\n");
}

/*
 * The BPF source's observation of ev's requester (or, for a request sent by
 * another task, of the task that queued it), into *st; false if there is
 * none, and ev is labelled from /proc (counted).
 */
static bool observe_bpf(struct classifier *c, const struct trace_event *ev,
			const struct classify_scratch *s, struct requester_state *st,
			struct label_record *r)
{
	if (!bpf_source_take(c->bpf, s->unique, BPF_WAIT_US, r)) {
		atomic_fetch_add(&c->bpf_late, 1);
		warn_once_bpf(c);
		return false;
	}
	if (r->ctx == LABEL_CTX_NONE) {
		atomic_fetch_add(&c->bpf_nocause, 1);
		return false;
	}
	bpf_source_state(r, ev->op, st);
	return true;
}

/*
 * A writeback WRITE: who wrote its pages back (msync, the flusher ...), and
 * the process that did (pid; tid stays 0, the kernel sent it without creds).
 */
static void bpf_trigger(const struct classifier *c, const struct label_record *r,
			struct trace_event *ev)
{
	const struct label_cause *cause = &r->cause;

	if (cause->flags & LABEL_F_KTHREAD) {
		ev->trigger = cause->wb_reason ? classify_trigger_of_flusher(cause->wb_reason - 1u)
					       : TRACE_TRIGGER_UNKNOWN;
		ev->pid = cause->origin;	/* who called sync; 0 for the flusher's own */
		return;
	}
	ev->trigger = classify_trigger_of(&c->cfg, cause->nr);
	if (ev->trigger == TRACE_TRIGGER_NONE)
		ev->trigger = TRACE_TRIGGER_UNKNOWN;
	ev->syscall = cause->nr;
	ev->pid = cause->pid;		/* the process whose syscall wrote it back */
}

/* Labels from the BPF source: what the kernel saw, through the same rules. */
static bool classify_from_bpf(struct classifier *c, struct trace_event *ev,
			      const struct classify_scratch *s)
{
	struct requester_state st;
	struct label_record r;

	if (!observe_bpf(c, ev, s, &st, &r))
		return false;
	classify_label(&c->cfg, &st, ev);
	if (ev->method == TRACE_METHOD_WRITEBACK)
		bpf_trigger(c, &r, ev);
	if (ev->op != TRACE_OP_READ && uses_file(ev, &st))
		writeback_note_opener(c->writeback, ev->file_id, ev->pid);
	if (ev->method == TRACE_METHOD_MMAP || ev->method == TRACE_METHOD_POPULATE)
		map_into_event(c, ev);
	return true;
}

void classify_request(struct classifier *c, struct trace_event *ev, struct classify_scratch *s)
{
	struct requester_state st = { 0 };

	if (!c->cfg.labels)
		return;
	if (c->bpf && classify_from_bpf(c, ev, s))
		return;
	if (ev->tid && ev->op == TRACE_OP_FLUSH) {
		observe_flush(c, ev, s, &st);
	} else if (ev->tid) {
		int err = requester_observe(c->threads, ev, s, &st);

		if (err == -EACCES || err == -EPERM)
			warn_once_unreadable(c);
	}
	classify_label(&c->cfg, &st, ev);
	if (uses_file(ev, &st))
		writeback_note_opener(c->writeback, ev->file_id, ev->pid);
	if (ev->method == TRACE_METHOD_WRITEBACK)
		find_trigger(c, ev);
	if (ev->method == TRACE_METHOD_MMAP || ev->method == TRACE_METHOD_POPULATE)
		map_into_event(c, ev);
	if (ev->op == TRACE_OP_READ && ev->tid && ev->method != TRACE_METHOD_UNKNOWN)
		requester_learn_stream(c->threads, ev->tid, ev->file_id, ev->offset + ev->size,
				       ev->method);
}

/*
 * The stream rule learns at arrival (classify_request), not here: with
 * async reads the next readahead READ of a stream is often sent before the
 * previous one is answered.  A short reply only shortens the stream.
 */
void classify_complete(struct classifier *c, const struct trace_event *ev)
{
	/* A CREATE names its new file only once it exists (op_trace_created). */
	if (c->cfg.labels && ev->op == TRACE_OP_CREATE && ev->result == 0 && ev->pid)
		writeback_note_opener(c->writeback, ev->file_id, ev->pid);
	if (!c->cfg.labels || c->bpf || ev->op != TRACE_OP_READ || !ev->tid ||
	    ev->method == TRACE_METHOD_UNKNOWN || ev->result < 0 ||
	    (uint64_t)ev->result >= ev->size)
		return;
	requester_learn_stream(c->threads, ev->tid, ev->file_id, ev->offset + (uint64_t)ev->result,
			       ev->method);
}

const char *classifier_warning(const struct classifier *c)
{
	return c->warning;
}

const char *classifier_label_source(const struct classifier *c)
{
	if (!c->cfg.labels)
		return "off";
	return c->bpf ? "bpf" : "proc";
}

void classifier_stats(const struct classifier *c, struct classifier_stats *out)
{
	struct bpf_source_counters bc = { 0 };

	if (c->bpf)
		bpf_source_counters(c->bpf, &bc);
	out->bpf_late = atomic_load(&c->bpf_late);
	out->bpf_nocause = atomic_load(&c->bpf_nocause);
	out->bpf_dropped = bc.dropped;
	out->bpf_overlaps = bc.overlaps;
}
