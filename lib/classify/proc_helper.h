/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc_helper.h - run a /proc read that might block for a long time on one
 * helper thread, waiting for it a bounded time.
 *
 * Reading /proc/<tid>/syscall or /stack takes the target's exec_update_lock
 * (fs/proc/base.c lock_trace).  A thread in execve holds it for writing
 * from begin_new_exec to setup_new_exec, and in that window it closes its
 * O_CLOEXEC descriptors (FLUSH, with writeback) and drops its old mm
 * (writeback of shared mappings): requests it waits on while holding the
 * lock.  A worker reading its /proc then would wait for itself.  So those
 * reads go through here: the worker gives up after the wait, answers the
 * request, the exec goes on and the helper is released.
 */
#ifndef ACCESSFS_PROC_HELPER_H
#define ACCESSFS_PROC_HELPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROC_HELPER_MAX_IO	256	/* bytes of input and of output per job */

struct proc_helper;

/* fn reads in (in_len bytes) and writes out (PROC_HELPER_MAX_IO bytes at most). */
typedef void proc_helper_fn(void *ctx, const void *in, void *out);

struct proc_helper *proc_helper_new(void);
void proc_helper_free(struct proc_helper *o);

/*
 * Run fn(ctx, in, out) on the helper; copies in before and out after, so
 * nothing of the caller's is touched after a timeout.  Waits its turn
 * while earlier jobs run within their own waits.  true if fn finished
 * within wait_us; false if it did not, or an earlier job is stuck (then fn
 * does not run at all).  The wait counts from when the helper starts fn,
 * so a loaded machine's scheduling delay (up to 200 ms) is not taken for
 * a stuck read.
 */
bool proc_helper_run(struct proc_helper *o, proc_helper_fn *fn, void *ctx,
		     const void *in, size_t in_len, void *out, size_t out_len,
		     uint32_t wait_us);

#endif /* ACCESSFS_PROC_HELPER_H */
