// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * app_counters.bpf.c - the app-side view: what programs asked of the page
 * cache of one FUSE mount, per file, process and access method, summed in
 * a hash map (app_counter.h).  The daemon samples the map into the trace;
 * what reached storage is the trace's own READ and WRITE requests.
 *
 * Tracepoints only (this kernel has no fentry or kprobes), chosen so that
 * nothing runs per syscall system-wide:
 *   filemap:mm_filemap_get_pages  mm/filemap.c filemap_get_pages, in the
 *       reading task, per batch of folios filemap_read (every buffered
 *       read of every filesystem) is about to copy; first of all a
 *       superblock compare.  A read of more than one batch traces once per
 *       batch: only the one that starts at the syscall's position counts.
 *   filemap:mm_filemap_fault, mm_filemap_map_pages  filemap_fault and the
 *       fault-around of do_read_fault (mm/memory.c), in the faulting task.
 *       One fault can trace both, and twice when it retries after I/O: a
 *       fault is told from the next by the task's min_flt + maj_flt, which
 *       mm_account_fault raises once the fault is done (not on a retry).
 *   filemap:mm_filemap_add_to_page_cache  a fault that puts pages into the
 *       cache of its file is major.
 *   fuse:fuse_request_send  a WRITE its requester sends from a write-family
 *       syscall: without the writeback cache (-o writeback) every byte a
 *       write() takes leaves this way, in that syscall (fuse_perform_write).
 *
 * It does nothing before the daemon names its connection (target_dev).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "app_counter.h"
#include "task_file.bpf.h"

#ifndef __TARGET_ARCH_x86
#error "syscall arguments are read from x86_64 pt_regs"
#endif

#define PAGE_SHIFT	12
#define PF_IO_WORKER	0x00000010
#define PF_KTHREAD	0x00200000
#define FUSE_WRITE	16
#define IOV_MAX_SUMMED	16	/* readv iovecs summed; more are not counted */

/* x86_64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl). */
#define NR_READ		0
#define NR_WRITE	1
#define NR_MMAP		9
#define NR_PREAD64	17
#define NR_PWRITE64	18
#define NR_READV	19
#define NR_WRITEV	20
#define NR_MADVISE	28
#define NR_MLOCK	149
#define NR_MLOCKALL	151
#define NR_PREADV	295
#define NR_PWRITEV	296
#define NR_MLOCK2	325
#define NR_PREADV2	327
#define NR_PWRITEV2	328

/* Set by the daemon after load, through the mmapped .bss. */
__u32 target_dev;	/* the FUSE superblock's s_dev (kernel encoding); 0: idle */
__u64 app_full;		/* counts lost: the map was full */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct app_key);
	__type(value, struct app_value);
} app_counts SEC(".maps");

/* Per CPU: the counts of the key it counted last, not yet in app_counts. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct app_pending);
} app_pending SEC(".maps");

/* The fault and the write syscall a task is in, as last counted. */
struct app_task {
	__u64 fault_seq;	/* min_flt + maj_flt + 1 of the fault counted */
	__u64 write_seq;	/* syscw + 1 of the write syscall counted */
	__u32 fault_method;
	__u8 fault_window;	/* its fault-around window was counted */
	__u8 fault_major;	/* it added pages to the cache */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct app_task);
} app_tasks SEC(".maps");

/* The i_ino of a page-cache inode of our mount (a BTF pointer: plain loads), else 0. */
static __always_inline __u64 ino_of(struct inode *host)
{
	struct super_block *sb;

	if (!host)
		return 0;
	sb = host->i_sb;
	return sb && sb->s_dev == target_dev ? host->i_ino : 0;
}

/* Add this CPU's pending counts into app_counts (counts_of then starts afresh). */
static __always_inline void flush_pending(struct app_pending *p)
{
	struct app_value *v;

	if (!p->key.ino)
		return;
	v = bpf_map_lookup_elem(&app_counts, &p->key);
	if (!v) {
		if (!bpf_map_update_elem(&app_counts, &p->key, &p->val, BPF_NOEXIST))
			return;		/* ours is the entry */
		v = bpf_map_lookup_elem(&app_counts, &p->key);	/* another CPU's went first */
		if (!v) {
			__sync_fetch_and_add(&app_full, 1);
			return;
		}
	}
	__sync_fetch_and_add(&v->bytes, p->val.bytes);
	__sync_fetch_and_add(&v->calls, p->val.calls);
	__sync_fetch_and_add(&v->faults, p->val.faults);
	__sync_fetch_and_add(&v->major, p->val.major);
	__sync_fetch_and_add(&v->mapped, p->val.mapped);
}

/*
 * Where to count for (ino, current process, method): this CPU's pending
 * counts, which stay with one key while the CPU keeps counting for it (a
 * program reading one file), so the common count is two adds to per-CPU
 * memory, no hash lookup and no atomic.  Tracepoints run with preemption
 * off and a program does not nest on its CPU, so plain adds are safe.
 * Another key flushes them into app_counts; the daemon adds what is still
 * pending when it samples (app_counters.c).
 */
static __always_inline struct app_value *counts_of(__u64 ino, __u32 method)
{
	__u32 zero = 0, tgid = bpf_get_current_pid_tgid() >> 32;
	struct app_pending *p = bpf_map_lookup_elem(&app_pending, &zero);

	if (!p)
		return NULL;
	if (p->key.ino == ino && p->key.tgid == tgid && p->key.method == method)
		return &p->val;
	flush_pending(p);
	__builtin_memset(&p->val, 0, sizeof(p->val));
	p->key.ino = ino;
	p->key.tgid = tgid;
	p->key.method = method;
	bpf_get_current_comm(p->val.comm, sizeof(p->val.comm));
	return &p->val;
}

/* ---------------------------------------------------------------------- */
/* read-family syscalls                                                    */

/* What readv's iovecs ask for (the kernel has just copied them in). */
static __always_inline __u64 iov_bytes(const struct iovec *vec, __u64 n)
{
	struct iovec iov;
	__u64 sum = 0;

	for (int i = 0; i < IOV_MAX_SUMMED; i++) {
		if (i >= n || bpf_probe_read_user(&iov, sizeof(iov), &vec[i]))
			break;
		sum += iov.iov_len;
	}
	return sum;
}

/*
 * Where read syscall nr starts (its offset argument, else the fd's f_pos,
 * which ksys_read only moves after vfs_read) and how much it asks for.
 * False for a syscall that is not read-family (sendfile, splice, execve's
 * kernel_read, io_uring_enter...).
 */
static __always_inline bool read_args(struct task_struct *t, struct pt_regs *regs, long nr,
				      __u64 *pos, __u64 *count)
{
	struct file *f;
	bool positioned;

	switch (nr) {
	case NR_READ:
		*count = regs->dx;
		positioned = false;
		break;
	case NR_PREAD64:
		*count = regs->dx;
		*pos = regs->r10;
		positioned = true;
		break;
	case NR_READV:
		*count = iov_bytes((const struct iovec *)regs->si, regs->dx);
		positioned = false;
		break;
	case NR_PREADV:
	case NR_PREADV2:
		*count = iov_bytes((const struct iovec *)regs->si, regs->dx);
		*pos = regs->r10;
		positioned = (long)regs->r10 != -1;	/* preadv2(-1): f_pos */
		break;
	default:
		return false;
	}
	if (positioned)
		return true;
	f = file_of_fd(t, regs->di);
	if (!f)
		return false;
	*pos = f->f_pos;
	return true;
}

SEC("tp_btf/mm_filemap_get_pages")
int BPF_PROG(on_get_pages, struct address_space *mapping, unsigned long index,
	     unsigned long last_index)
{
	struct inode *host = mapping->host;
	struct task_struct *t;
	struct pt_regs *regs;
	struct app_value *v;
	__u64 ino, pos = 0, count = 0, size;

	if (!target_dev)
		return 0;
	ino = ino_of(host);
	if (!ino)
		return 0;
	t = bpf_get_current_task_btf();
	if (t->flags & (PF_KTHREAD | PF_IO_WORKER))
		return 0;
	regs = (struct pt_regs *)bpf_task_pt_regs(t);
	if (!read_args(t, regs, (long)regs->orig_ax, &pos, &count))
		return 0;
	/* A later batch of the same syscall starts past its first page. */
	if (index != pos >> PAGE_SHIFT)
		return 0;
	size = host->i_size;
	if (pos >= size)
		return 0;
	if (count > size - pos)
		count = size - pos;
	v = counts_of(ino, APP_METHOD_READ);
	if (v) {
		v->bytes += count;
		v->calls += 1;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Page faults on mappings                                                 */

/* A fault taken in a syscall that populates (GUP): else a program's access. */
static __always_inline __u32 fault_method(struct task_struct *t)
{
	long nr = ((struct pt_regs *)bpf_task_pt_regs(t))->orig_ax;

	switch (nr) {
	case NR_MMAP: case NR_MADVISE: case NR_MLOCK: case NR_MLOCKALL: case NR_MLOCK2:
		return APP_METHOD_POPULATE;
	default:
		return APP_METHOD_MMAP;
	}
}

/*
 * One event of a fault on our file: window is the pages of its
 * fault-around (0 from filemap_fault).  The fault is counted at its first
 * event, its window at the first window.
 */
static __always_inline void note_fault(struct address_space *mapping, __u64 window)
{
	struct task_struct *t;
	struct app_task *ts;
	struct app_value *v;
	__u64 ino, seq;

	if (!target_dev)
		return;
	ino = ino_of(mapping->host);
	if (!ino)
		return;
	t = bpf_get_current_task_btf();
	if (t->flags & PF_KTHREAD)
		return;
	ts = bpf_task_storage_get(&app_tasks, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!ts)
		return;
	seq = t->min_flt + t->maj_flt + 1;
	if (ts->fault_seq == seq && (!window || ts->fault_window))
		return;
	if (ts->fault_seq != seq) {
		ts->fault_seq = seq;
		ts->fault_method = fault_method(t);
		ts->fault_window = 0;
		ts->fault_major = 0;
		v = counts_of(ino, ts->fault_method);
		if (!v)
			return;
		v->faults++;
		v->mapped++;	/* the faulting page */
	} else {
		v = counts_of(ino, ts->fault_method);
		if (!v)
			return;
	}
	if (window) {
		ts->fault_window = 1;
		v->mapped += window - 1;
	}
}

SEC("tp_btf/mm_filemap_fault")
int BPF_PROG(on_filemap_fault, struct address_space *mapping, unsigned long index)
{
	note_fault(mapping, 0);
	return 0;
}

/* [start, end]: the window clipped to the VMA, its PMD and the file's end. */
SEC("tp_btf/mm_filemap_map_pages")
int BPF_PROG(on_map_pages, struct address_space *mapping, unsigned long start,
	     unsigned long end)
{
	if (end >= start)
		note_fault(mapping, end - start + 1);
	return 0;
}

SEC("tp_btf/mm_filemap_add_to_page_cache")
int BPF_PROG(on_add_to_page_cache, struct folio *folio)
{
	struct task_struct *t;
	struct app_task *ts;
	struct app_value *v;
	__u64 ino;

	if (!target_dev)
		return 0;
	ino = ino_of(folio->mapping ? folio->mapping->host : NULL);
	if (!ino)
		return 0;
	t = bpf_get_current_task_btf();
	/* Most pages come in by read() readahead: no fault to mark. */
	if ((long)((struct pt_regs *)bpf_task_pt_regs(t))->orig_ax >= 0 &&
	    fault_method(t) != APP_METHOD_POPULATE)
		return 0;
	ts = bpf_task_storage_get(&app_tasks, t, 0, 0);
	if (!ts || ts->fault_major || ts->fault_seq != t->min_flt + t->maj_flt + 1)
		return 0;
	ts->fault_major = 1;
	v = counts_of(ino, ts->fault_method);
	if (v)
		v->major += 1;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* write-family syscalls                                                   */

static __always_inline bool is_write_family(long nr)
{
	return nr == NR_WRITE || nr == NR_PWRITE64 || nr == NR_WRITEV || nr == NR_PWRITEV ||
	       nr == NR_PWRITEV2;
}

SEC("tp_btf/fuse_request_send")
int BPF_PROG(on_write_send, const struct fuse_req *req)
{
	struct fuse_write_in *in;
	struct task_struct *t;
	struct pt_regs *regs;
	struct app_task *ts;
	struct app_value *v;
	struct file *f;
	__u64 ino, seq;

	if (!target_dev || req->in.h.opcode != FUSE_WRITE || req->fm->fc->dev != target_dev ||
	    req->in.h.pid != (__u32)bpf_get_current_pid_tgid())
		return 0;
	t = bpf_get_current_task_btf();
	regs = (struct pt_regs *)bpf_task_pt_regs(t);
	if (!is_write_family((long)regs->orig_ax))
		return 0;
	f = file_of_fd(t, regs->di);
	ino = f ? ino_of(f->f_inode) : 0;
	in = (void *)BPF_CORE_READ(req, args, in_args[0].value);
	if (!ino || !in)
		return 0;
	v = counts_of(ino, APP_METHOD_WRITE);
	if (!v)
		return 0;
	v->bytes += BPF_CORE_READ(in, size);
	/* A write() larger than max_write sends several WRITEs: one call. */
	ts = bpf_task_storage_get(&app_tasks, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	seq = t->ioac.syscw + 1;
	if (ts && ts->write_seq != seq) {
		ts->write_seq = seq;
		v->calls += 1;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
