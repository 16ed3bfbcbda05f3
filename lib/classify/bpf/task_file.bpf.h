/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * task_file.bpf.h - the struct file behind a task's descriptor, for the BPF
 * programs that look at the fd a syscall names (labels.bpf.c,
 * app_counters.bpf.c).  Plain loads from the task (a trusted BTF pointer)
 * to the fd array's slot (see file_of_fd), and the file comes back as a
 * BTF pointer, so callers read it with plain loads too.
 */
#ifndef ACCESSFS_TASK_FILE_BPF_H
#define ACCESSFS_TASK_FILE_BPF_H

/* kernel/bpf/helpers.c: read a trusted pointer as another BTF type. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

/* task t's file open on fd (a read-only BTF pointer), or NULL. */
static __always_inline struct file *file_of_fd(struct task_struct *t, __u64 fd)
{
	struct files_struct *files = t->files;
	struct fdtable *fdt;
	struct kiocb *slot;

	if (!files)
		return NULL;
	fdt = files->fdt;
	if (!fdt || fd >= fdt->max_fds)
		return NULL;
	/*
	 * The slot, read as the first member of a struct that starts with a
	 * struct file * (kiocb.ki_filp), so it is a plain load too: a
	 * bpf_probe_read_kernel of it cost 0.25 us here, most of a lookup.
	 */
	slot = bpf_rdonly_cast((void *)fdt->fd + fd * sizeof(struct file *),
			       bpf_core_type_id_kernel(struct kiocb));
	return slot->ki_filp;
}

#endif /* ACCESSFS_TASK_FILE_BPF_H */
