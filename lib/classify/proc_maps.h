/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc_maps.h - find which mapping of a file a process faulted on, with the
 * PROCMAP_QUERY ioctl on /proc/<pid>/maps (no text parsing).
 *
 * A query takes the target's mmap lock for read.  A thread of the target
 * may be blocked in a fault on our file while a writer (mmap, munmap) is
 * queued on that lock; a query behind the writer would then wait for the
 * reply it is supposed to help produce.  So the daemon's workers never
 * query themselves: proc_maps_find() answers from a cache, and on a miss
 * hands the query to a helper thread (proc_helper.h) and waits a bounded time.
 * A stuck helper only costs labels (map unknown), never the mount.
 */
#ifndef ACCESSFS_PROC_MAPS_H
#define ACCESSFS_PROC_MAPS_H

#include <stdbool.h>
#include <stdint.h>

struct proc_mapping {
	uint64_t start, len;	/* addresses of the mapping */
	uint64_t offset;	/* file offset of start */
	uint32_t flags;		/* TRACE_MAP_* */
};

struct proc_maps;

/* wait_us: longest a caller waits for the helper on a cache miss. NULL: no memory. */
struct proc_maps *proc_maps_new(uint32_t wait_us);
void proc_maps_free(struct proc_maps *pm);

/*
 * The mapping of file file_id (inode number) in process pid that covers file
 * offset, into *out: true if found in the cache or by the helper within the
 * wait; false otherwise (not mapped, busy helper, or too slow).  "Not
 * mapped" is cached briefly, so a process faulting through another file's
 * mapping does not cost a lookup per request.
 */
bool proc_maps_find(struct proc_maps *pm, uint32_t pid, uint64_t file_id, uint64_t offset,
		    struct proc_mapping *out);

/*
 * Synchronous lookup on an open /proc/<pid>/maps descriptor, at most
 * max_queries ioctls: 0 and *out if found, -ENOENT if not, -errno on
 * error (-ENOTTY: the kernel predates PROCMAP_QUERY).
 */
int proc_maps_query(int maps_fd, uint64_t file_id, uint64_t offset, unsigned int max_queries,
		    struct proc_mapping *out);

#endif /* ACCESSFS_PROC_MAPS_H */
