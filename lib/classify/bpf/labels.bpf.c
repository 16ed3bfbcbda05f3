// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * labels.bpf.c - the kernel side of the BPF label source: at each FUSE data
 * request of one connection, say what its requester was doing, in a ring
 * buffer record keyed by the request's unique id (label_record.h).
 *
 * Tracepoints only (this kernel has no fentry, kprobes or BPF LSM):
 *   fuse:fuse_request_send  fs/fuse/dev.c, when a request is queued for the
 *       daemon; req->in.h.unique is assigned and the record is committed
 *       before the daemon can read the request.
 *   readahead:*             mm/readahead.c, in the reading task, before
 *       fuse_readahead builds the READs: the cause of a READ sent later.
 *   writeback:wbc_writepage mm/page-writeback.c writeback_get_folio, per
 *       folio in the task writing back (msync, close, the flusher...): the
 *       cause of a WRITE sent later.
 *   writeback:writeback_start/_written  fs/fs-writeback.c wb_writeback, in
 *       the flusher: why it writes (background, sync, vmscan...).
 *   writeback:writeback_queue  wb_queue_work, in the task that asks the
 *       flusher for sync work (sync_inodes_sb): who that was.
 *
 * A request is not always sent by its requester: fuse_request_queue_background
 * parks background requests (readahead, writeback) when max_background are
 * in flight, and fuse_request_end -> flush_bg_queue sends them from whichever
 * task ends an earlier one, usually a daemon thread.  Those get the cause
 * recorded when their pages were queued, per node (and for writeback per
 * page range, so two triggers on one file are told apart).
 *
 * It decides nothing: the rules are the daemon's (lib/classify/classify.c).
 * It does nothing before the daemon names its connection (target_dev).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "label_record.h"
#include "task_file.bpf.h"

#ifndef __TARGET_ARCH_x86
#error "syscall arguments are read from x86_64 pt_regs; port cause_of() first"
#endif

#define FUSE_SUPER_MAGIC	0x65735546
#define PF_IO_WORKER		0x00000010
#define PF_KTHREAD		0x00200000
#define PAGE_SHIFT		12
#define NR_MMAP			9	/* x86_64: the syscalls whose fd is not args[0] */
#define NR_SENDFILE		40

/* Data requests only: the daemon labels nothing else (enum fuse_opcode). */
#define FUSE_OPEN		14
#define FUSE_READ		15
#define FUSE_WRITE		16
#define FUSE_RELEASE		18
#define FUSE_FSYNC		20
#define FUSE_FLUSH		25
#define FUSE_CREATE		35
#define FUSE_FALLOCATE		43
#define FUSE_COPY_FILE_RANGE	47

/* Set by the daemon after load, through the mmapped .bss. */
__u32 target_dev;	/* the FUSE superblock's s_dev (kernel encoding); 0: idle */

#define X(name, desc) __u64 name;
LABEL_COUNTERS(X)
#undef X

/*
 * Renames of any task on the system: exec (fs/exec.c begin_new_exec) and
 * PR_SET_NAME both set the comm through __set_task_comm, which traces
 * task_rename.  Read by the daemon through the mmapped .bss: while it has
 * not moved since a requester's name was read, that name still holds, and
 * the daemon need not read /proc/<tid>/comm at each OPEN to find out.
 */
__u64 renames;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} records SEC(".maps");

/* What a kernel thread is writing back for. */
struct task_state {
	__u8 wb_reason;		/* enum wb_reason + 1, 0: not in wb_writeback */
	__u32 origin;		/* who queued the work being written back */
	__u64 work;		/* that work item (wb_writeback loops over it) */
};

/* Sync work items queued and not yet started: the process that asked. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, __u32);
} sync_origins SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_state);
} tasks SEC(".maps");

/* The last READ cause per node: plain hash (an LRU costs 6x per update). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct label_cause);
} read_causes SEC(".maps");

/* The READ cause this CPU recorded last (recent_read_of). */
struct recent_read {
	__u64 node;
	struct label_cause cause;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct recent_read);
} recent_reads SEC(".maps");

/* The last two writeback causes per node, each with the pages it queued. */
struct wb_span {
	struct label_cause cause;
	__u64 first, end;	/* page indexes [first, end) */
};

struct wb_causes {
	struct wb_span cur, prev;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, struct wb_causes);
} wb_causes SEC(".maps");

/* Scratch for building a wb_causes without a 200-byte stack frame. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct wb_causes);
} wb_scratch SEC(".maps");

/*
 * The FUSE node id of a page-cache inode of our superblock, else 0.  inode
 * is a BTF pointer (the tracepoint's, or one bpf_rdonly_cast made): plain
 * loads, each a load with an exception-table entry instead of a
 * bpf_probe_read_kernel call, and the fuse_inode around it (fs/fuse/fuse_i.h
 * get_fuse_inode) through bpf_rdonly_cast, since the verifier would not let
 * a struct inode pointer reach past the inode.
 */
static __always_inline __u64 node_of(struct inode *inode)
{
	struct super_block *sb;
	struct fuse_inode *fi;

	if (!inode)
		return 0;
	sb = inode->i_sb;
	if (!sb || sb->s_magic != FUSE_SUPER_MAGIC || sb->s_dev != target_dev)
		return 0;
	fi = bpf_rdonly_cast((void *)inode - bpf_core_field_offset(struct fuse_inode, inode),
			     bpf_core_type_id_kernel(struct fuse_inode));
	return fi->nodeid;
}

/* Whether fd is open on node in task t; its f_pos into *pos, the file into *file. */
static __always_inline bool fd_is_node(struct task_struct *t, __u64 fd, __u64 node, __u64 *pos,
				       __u64 *file)
{
	struct file *f = file_of_fd(t, fd);

	if (!f || node_of(f->f_inode) != node)
		return false;
	*pos = f->f_pos;
	*file = (__u64)f;
	return true;
}

/*
 * Which call of task t this is, among those with syscall number nr: a
 * fault (nr -1) by min_flt + maj_flt, which mm_account_fault raises once
 * the fault is done (not when it retries); a syscall by the read and write
 * syscalls it has finished (ioac.syscr + syscw, raised as vfs_read and
 * vfs_write return).  Two preads of one fd, buffer and size differ here
 * and nowhere else before the offset.  Other syscalls (madvise, fadvise)
 * keep one value: they are told apart by their arguments only.
 */
static __always_inline __u32 call_seq(struct task_struct *t, __s32 nr)
{
	if (nr == -1)
		return (__u32)(t->min_flt + t->maj_flt);
	return (__u32)(t->ioac.syscr + t->ioac.syscw);
}

/*
 * What the current task is doing: its syscall and arguments from the
 * pt_regs of its kernel entry (orig_ax is -1 in a user page fault:
 * arch/x86/entry asm_exc_page_fault), and whether the fd argument the rules
 * look at (classify_fd_arg: args[0], sendfile's in_fd args[1], mmap's
 * args[4]) is this node.  Only that one is looked up: each lookup is a
 * dozen kernel reads, and this runs three times per READ.
 */
static __always_inline void cause_of(struct task_struct *t, __u64 node, struct label_cause *c)
{
	__u64 id = bpf_get_current_pid_tgid();
	unsigned int flags = BPF_CORE_READ(t, flags);
	struct pt_regs *regs;

	__builtin_memset(c, 0, sizeof(*c));
	c->tid = (__u32)id;
	c->pid = id >> 32;
	if (flags & PF_KTHREAD) {
		struct task_state *ts = bpf_task_storage_get(&tasks, t, 0, 0);

		c->nr = LABEL_NR_KTHREAD;
		c->flags = LABEL_F_KTHREAD;
		c->wb_reason = ts ? ts->wb_reason : 0;
		c->origin = ts && ts->wb_reason ? ts->origin : 0;
		return;
	}
	if (flags & PF_IO_WORKER)
		c->flags |= LABEL_F_IO_WORKER;
	/* A BTF pointer (libbpf 1.1 declares long): plain loads, no helper calls. */
	regs = (struct pt_regs *)bpf_task_pt_regs(t);
	c->nr = (__s32)regs->orig_ax;
	c->seq = call_seq(t, c->nr);
	if (c->nr < 0)
		return;
	c->args[0] = regs->di;
	c->args[1] = regs->si;
	c->args[2] = regs->dx;
	c->args[3] = regs->r10;
	c->args[4] = regs->r8;
	c->args[5] = regs->r9;
	if (c->nr == NR_SENDFILE) {
		if (fd_is_node(t, c->args[1], node, &c->pos[1], &c->file))
			c->fd_this |= 2;
	} else if (c->nr == NR_MMAP) {
		if (fd_is_node(t, c->args[4], node, &c->pos[0], &c->file))
			c->fd_this |= 16;
	} else if (fd_is_node(t, c->args[0], node, &c->pos[0], &c->file)) {
		c->fd_this |= 1;
	}
}

/*
 * Cause c of the task's previous call with the same syscall and first
 * three arguments (same_call CALL_NEXT), made this call's: the arguments
 * after them, call_seq and the position of the fd found to be this file.
 * Its fd lookups are kept: the same fd of the same thread, a call later,
 * is taken to be the same file (it is, but for a close and an open onto
 * the same number in between), which saves the fd walk, most of cause_of.
 */
static __always_inline void refresh_cause(struct label_cause *c, struct task_struct *t)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(t);
	struct file *f;

	c->seq = call_seq(t, c->nr);
	if (c->nr < 0)
		return;
	c->args[3] = regs->r10;
	c->args[4] = regs->r8;
	c->args[5] = regs->r9;
	if (!c->file)
		return;
	f = bpf_rdonly_cast((void *)c->file, bpf_core_type_id_kernel(struct file));
	if (c->fd_this & 2)
		c->pos[1] = f->f_pos;
	else
		c->pos[0] = f->f_pos;
}

/*
 * Whether cause q was recorded by the current task in the call it is in now
 * (CALL_SAME: the same syscall number, first three arguments and
 * call_seq), in its previous call of that syscall with those arguments
 * (CALL_NEXT: refresh_cause makes it this call's), or neither.
 */
enum call_match { CALL_OTHER, CALL_NEXT, CALL_SAME };

static __always_inline enum call_match same_call(const struct label_cause *q,
						 struct task_struct *t)
{
	struct pt_regs *regs;
	__s32 nr;

	if (q->tid != (__u32)bpf_get_current_pid_tgid())
		return CALL_OTHER;
	regs = (struct pt_regs *)bpf_task_pt_regs(t);
	nr = (__s32)regs->orig_ax;
	if (q->nr != nr || nr < -1)
		return CALL_OTHER;
	if (nr >= 0 && (q->args[0] != regs->di || q->args[1] != regs->si ||
			q->args[2] != regs->dx))
		return CALL_OTHER;
	return q->seq == call_seq(t, nr) ? CALL_SAME : CALL_NEXT;
}

static __always_inline bool same_syscall(const struct label_cause *q, struct task_struct *t)
{
	return same_call(q, t) == CALL_SAME;
}

static __always_inline bool same_cause(const struct label_cause *a, const struct label_cause *b)
{
	return a->tid == b->tid && a->nr == b->nr && a->wb_reason == b->wb_reason;
}

/* ---------------------------------------------------------------------- */
/* Queue time: readahead and writeback in the requester's context          */

/*
 * The cause this CPU recorded last, if it is node's in the current task's
 * syscall or fault: the readahead tracepoints of one read follow each other
 * and the READ it sends comes next, mostly on the same CPU, so this saves a
 * hash lookup each (tracepoints run with preemption off: no other program
 * run takes the slot meanwhile).  NULL: look in read_causes.
 */
static __always_inline struct recent_read *recent_read_of(__u64 node, struct task_struct *t)
{
	__u32 zero = 0;
	struct recent_read *r = bpf_map_lookup_elem(&recent_reads, &zero);

	return r && r->node == node && same_syscall(&r->cause, t) ? r : NULL;
}

/*
 * At a readahead of node, in the reading task: the cause of the READs it
 * is about to queue.  page_cache_ra_order and _unbounded follow sync_ra and
 * async_ra in the same call, and run alone for mmap read-around and
 * fadvise: a call's first readahead records the cause, async_ra marks it
 * async, and the others find it recorded.  The cause is built in this
 * CPU's recent_reads slot, from the task's previous call where it can be
 * (refresh_cause), and copied to read_causes for a sender that is not the
 * reader.
 */
static __always_inline void note_read(struct inode *inode, enum label_ra ra)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct recent_read *r;
	struct label_cause *q;
	enum call_match m = CALL_OTHER;
	__u64 node = node_of(inode);
	__u32 zero = 0;

	if (!node)
		return;
	r = bpf_map_lookup_elem(&recent_reads, &zero);
	if (!r)
		return;
	if (r->node == node)
		m = same_call(&r->cause, t);
	if (m == CALL_SAME) {	/* the call's second readahead: no hash lookup */
		if (ra == LABEL_RA_ASYNC && r->cause.ra != ra) {
			r->cause.ra = ra;
			q = bpf_map_lookup_elem(&read_causes, &node);
			if (q && same_syscall(q, t))
				q->ra = ra;
		}
		return;
	}
	q = bpf_map_lookup_elem(&read_causes, &node);
	if (m == CALL_OTHER && q) {
		m = same_call(q, t);
		if (m != CALL_OTHER)
			r->cause = *q;
	}
	if (m == CALL_SAME) {
		if (ra == LABEL_RA_ASYNC)
			r->cause.ra = q->ra = ra;
		r->node = node;
		return;
	}
	if (m == CALL_NEXT)
		refresh_cause(&r->cause, t);
	else
		cause_of(t, node, &r->cause);
	r->cause.ra = ra;
	r->node = node;
	/*
	 * Overwrite in place: an update allocates an element and takes the
	 * bucket lock.  A sender copying it at the same moment may see a torn
	 * cause; one with another tid is no cause (labelled from /proc,
	 * counted in LABELS nocause).
	 */
	if (q)
		*q = r->cause;
	else
		bpf_map_update_elem(&read_causes, &node, &r->cause, BPF_NOEXIST);
}

SEC("tp_btf/page_cache_sync_ra")
int BPF_PROG(on_sync_ra, struct inode *inode)
{
	if (target_dev)
		note_read(inode, LABEL_RA_SYNC);
	return 0;
}

SEC("tp_btf/page_cache_async_ra")
int BPF_PROG(on_async_ra, struct inode *inode)
{
	if (target_dev)
		note_read(inode, LABEL_RA_ASYNC);
	return 0;
}

SEC("tp_btf/page_cache_ra_order")
int BPF_PROG(on_ra_order, struct inode *inode)
{
	if (target_dev)
		note_read(inode, LABEL_RA_SYNC);
	return 0;
}

SEC("tp_btf/page_cache_ra_unbounded")
int BPF_PROG(on_ra_unbounded, struct inode *inode)
{
	if (target_dev)
		note_read(inode, LABEL_RA_SYNC);
	return 0;
}

/*
 * writeback_get_folio traces each folio it hands to ->writepages just after
 * folio_batch_next took it: the folio is fbatch.folios[fbatch.i - 1].
 */
SEC("tp_btf/wbc_writepage")
int BPF_PROG(on_wbc_writepage, struct writeback_control *wbc)
{
	struct task_struct *t;
	struct wb_causes *w, *old;
	struct folio *folio = NULL;
	unsigned int i;
	__u64 node, index, end;
	__u32 zero = 0;

	if (!target_dev)
		return 0;
	i = BPF_CORE_READ(wbc, fbatch.i);
	if (i == 0 || i > 31)
		return 0;
	bpf_core_read(&folio, sizeof(folio), &wbc->fbatch.folios[i - 1]);
	if (!folio)
		return 0;
	folio = bpf_rdonly_cast(folio, bpf_core_type_id_kernel(struct folio));
	node = folio->mapping ? node_of(folio->mapping->host) : 0;
	if (!node)
		return 0;
	index = folio->index;
	end = index + 1;	/* large folios: the range grows as pages come */
	w = bpf_map_lookup_elem(&wb_scratch, &zero);
	if (!w)
		return 0;
	t = bpf_get_current_task_btf();
	cause_of(t, node, &w->cur.cause);
	old = bpf_map_lookup_elem(&wb_causes, &node);
	if (old && same_cause(&old->cur.cause, &w->cur.cause)) {
		if (index < old->cur.first)
			old->cur.first = index;
		if (end > old->cur.end)
			old->cur.end = end;
		return 0;
	}
	if (old)
		w->prev = old->cur;
	else
		__builtin_memset(&w->prev, 0, sizeof(w->prev));
	w->cur.first = index;
	w->cur.end = end;
	bpf_map_update_elem(&wb_causes, &node, w, BPF_ANY);
	return 0;
}

#define WB_REASON_SYNC_WORK 2	/* enum wb_reason WB_REASON_SYNC */

SEC("tp_btf/writeback_queue")
int BPF_PROG(on_writeback_queue, struct bdi_writeback *wb, struct wb_writeback_work *work)
{
	__u64 key = (__u64)work;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (target_dev && BPF_CORE_READ(work, reason) == WB_REASON_SYNC_WORK)
		bpf_map_update_elem(&sync_origins, &key, &tgid, BPF_ANY);
	return 0;
}

SEC("tp_btf/writeback_start")
int BPF_PROG(on_writeback_start, struct bdi_writeback *wb, struct wb_writeback_work *work)
{
	struct task_state *ts;
	__u64 key = (__u64)work;
	__u32 *origin;

	if (!target_dev)
		return 0;
	ts = bpf_task_storage_get(&tasks, bpf_get_current_task_btf(), 0,
				  BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!ts)
		return 0;
	ts->wb_reason = BPF_CORE_READ(work, reason) + 1;
	origin = bpf_map_lookup_elem(&sync_origins, &key);
	if (origin) {
		ts->origin = *origin;
		bpf_map_delete_elem(&sync_origins, &key);
	} else if (ts->work != key) {
		ts->origin = 0;
	}
	ts->work = key;
	return 0;
}

SEC("tp_btf/writeback_written")
int BPF_PROG(on_writeback_written, struct bdi_writeback *wb, struct wb_writeback_work *work)
{
	struct task_state *ts;

	if (!target_dev)
		return 0;
	ts = bpf_task_storage_get(&tasks, bpf_get_current_task_btf(), 0, 0);
	if (ts)
		ts->wb_reason = 0;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Send time                                                               */

static __always_inline bool is_data(__u32 opcode)
{
	switch (opcode) {
	case FUSE_OPEN: case FUSE_READ: case FUSE_WRITE: case FUSE_RELEASE:
	case FUSE_FSYNC: case FUSE_FLUSH: case FUSE_CREATE: case FUSE_FALLOCATE:
	case FUSE_COPY_FILE_RANGE:
		return true;
	default:
		return false;
	}
}

/* The first page a writeback WRITE carries: its fuse_write_in offset. */
static __always_inline __u64 write_page(const struct fuse_req *req)
{
	struct fuse_write_in *in = (void *)BPF_CORE_READ(req, args, in_args[0].value);

	return in ? BPF_CORE_READ(in, offset) >> PAGE_SHIFT : 0;
}

/* A writeback WRITE (pid 0, nocreds): the cause that queued its pages. */
static __always_inline __u8 writeback_cause(const struct fuse_req *req, __u64 node,
					    struct label_cause *c)
{
	struct wb_causes *w = bpf_map_lookup_elem(&wb_causes, &node);
	__u64 page;

	if (!w)
		return LABEL_CTX_NONE;
	page = write_page(req);
	if (page >= w->cur.first && page < w->cur.end) {
		*c = w->cur.cause;
	} else if (page >= w->prev.first && page < w->prev.end) {
		*c = w->prev.cause;
	} else {
		*c = w->cur.cause;
		__sync_fetch_and_add(&overlaps, 1);
	}
	return c->tid == (__u32)bpf_get_current_pid_tgid() ? LABEL_CTX_SELF : LABEL_CTX_QUEUED;
}

/* A READ its requester did not send: the readahead that queued it. */
static __always_inline __u8 read_cause(__u32 requester, __u64 node, struct label_cause *c)
{
	struct label_cause *q = bpf_map_lookup_elem(&read_causes, &node);

	if (!q)
		return LABEL_CTX_NONE;
	if (q->tid != requester) {
		__sync_fetch_and_add(&overlaps, 1);
		return LABEL_CTX_NONE;
	}
	*c = *q;
	return LABEL_CTX_QUEUED;
}

SEC("tp_btf/fuse_request_send")
int BPF_PROG(on_request_send, const struct fuse_req *req)
{
	struct task_struct *t;
	struct label_record *r;
	struct label_cause *q;
	__u32 opcode, requester, self;
	__u64 node;

	/* req is the tracepoint's (trusted): plain loads throughout. */
	if (!target_dev || req->fm->fc->dev != target_dev)
		return 0;
	opcode = req->in.h.opcode;
	if (!is_data(opcode))
		return 0;
	r = bpf_ringbuf_reserve(&records, sizeof(*r), 0);
	if (!r) {
		__sync_fetch_and_add(&dropped, 1);
		return 0;
	}
	t = bpf_get_current_task_btf();
	self = (__u32)bpf_get_current_pid_tgid();
	node = req->in.h.nodeid;
	requester = req->in.h.pid;
	r->unique = req->in.h.unique;
	r->nodeid = node;
	r->opcode = opcode;
	r->sender_tid = self;
	if (opcode == FUSE_WRITE && requester == 0) {
		r->ctx = writeback_cause(req, node, &r->cause);
	} else if (requester != self && requester != 0) {
		r->ctx = read_cause(requester, node, &r->cause);
	} else {
		/* The requester itself, or a request without creds (RELEASE
		 * from fuse_file_release: args->nocreds): the sender's state. */
		r->ctx = LABEL_CTX_SELF;
		/* The readahead that built this READ, if this syscall's: its
		 * cause, fd lookups and all (and whether it was async). */
		q = NULL;
		if (opcode == FUSE_READ) {
			struct recent_read *rr = recent_read_of(node, t);

			q = rr ? &rr->cause : bpf_map_lookup_elem(&read_causes, &node);
		}
		if (q && same_syscall(q, t))
			r->cause = *q;
		else
			cause_of(t, node, &r->cause);
	}
	/*
	 * No wakeup: the daemon never sleeps on the ring (it reads the mmap
	 * when a request comes), and a wakeup is an irq_work per record
	 * (kernel/bpf/ringbuf.c bpf_ringbuf_commit), a VM exit on this VM:
	 * measured 0.6x the 4K random read rate with it.
	 */
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	return 0;
}

SEC("tp_btf/task_rename")
int BPF_PROG(on_task_rename)
{
	__sync_fetch_and_add(&renames, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
