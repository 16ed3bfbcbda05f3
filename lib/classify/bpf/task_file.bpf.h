/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * task_file.bpf.h - the struct file behind a task's descriptor, for the BPF
 * programs that look at the fd a syscall names (labels.bpf.c,
 * app_counters.bpf.c).  The fd table is read with CO-RE probe reads: the
 * verifier does not let an index into fdt->fd be a plain load.
 */
#ifndef ACCESSFS_TASK_FILE_BPF_H
#define ACCESSFS_TASK_FILE_BPF_H

/* task t's file open on fd, or NULL. */
static __always_inline struct file *file_of_fd(struct task_struct *t, __u64 fd)
{
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **fds, *f = NULL;

	if (!fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_core_read(&f, sizeof(f), &fds[fd]))
		return NULL;
	return f;
}

#endif /* ACCESSFS_TASK_FILE_BPF_H */
