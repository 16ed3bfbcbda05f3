/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc_maps.c - mapping lookup for mmap/populate requests (proc_maps.h):
 * a small cache of mappings per (pid, file) in front of helper threads
 * (proc_helper.h) that do the PROCMAP_QUERY ioctls, so no daemon worker ever
 * waits on another process's mmap lock for more than the configured bound.
 *
 * It does not read /proc/<pid>/maps as text, and it gives up after
 * MAX_QUERIES ioctls (a process with thousands of file mappings).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include "proc_helper.h"
#include "proc_maps.h"
#include "trace_format.h"

/*
 * PROCMAP_QUERY is Linux 6.11 (include/uapi/linux/fs.h); Debian 12's
 * linux-libc-dev predates it, so the ABI is spelled out here.  The struct
 * is versioned by its size field, so this layout stays valid on newer
 * kernels.
 */
#ifndef PROCMAP_QUERY
struct procmap_query {
	uint64_t size;
	uint64_t query_flags;
	uint64_t query_addr;
	uint64_t vma_start;
	uint64_t vma_end;
	uint64_t vma_flags;
	uint64_t vma_page_size;
	uint64_t vma_offset;
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t vma_name_size;
	uint32_t build_id_size;
	uint64_t vma_name_addr;
	uint64_t build_id_addr;
};

#define PROCMAP_QUERY _IOWR('f', 17, struct procmap_query)
#define PROCMAP_QUERY_VMA_READABLE		0x01
#define PROCMAP_QUERY_VMA_WRITABLE		0x02
#define PROCMAP_QUERY_VMA_EXECUTABLE		0x04
#define PROCMAP_QUERY_VMA_SHARED		0x08
#define PROCMAP_QUERY_COVERING_OR_NEXT_VMA	0x10
#define PROCMAP_QUERY_FILE_BACKED_VMA		0x20
#endif

#define MAX_QUERIES	64	/* ioctls per lookup */
#define CACHE_SLOTS	64
#define MISS_TTL_NS	50000000	/* how long "not mapped" is believed */

struct map_slot {
	uint32_t pid;		/* 0: free */
	uint64_t file_id;
	struct proc_mapping m;	/* len 0: a miss, believed until miss_until */
	uint64_t miss_until;
	uint64_t last_use;
};

struct proc_maps {
	pthread_mutex_t lock;	/* protects clock and cache */
	struct proc_helper *helper;	/* runs the queries (see proc_maps.h) */
	uint32_t wait_us;
	uint64_t clock;
	struct map_slot cache[CACHE_SLOTS];
};

static uint32_t map_flags_of(uint64_t vma_flags)
{
	return (vma_flags & PROCMAP_QUERY_VMA_READABLE ? TRACE_MAP_PROT_READ : 0) |
	       (vma_flags & PROCMAP_QUERY_VMA_WRITABLE ? TRACE_MAP_PROT_WRITE : 0) |
	       (vma_flags & PROCMAP_QUERY_VMA_EXECUTABLE ? TRACE_MAP_PROT_EXEC : 0) |
	       (vma_flags & PROCMAP_QUERY_VMA_SHARED ? TRACE_MAP_SHARED : 0);
}

static bool covers(const struct proc_mapping *m, uint64_t offset)
{
	return offset >= m->offset && offset - m->offset < m->len;
}

int proc_maps_query(int maps_fd, uint64_t file_id, uint64_t offset, unsigned int max_queries,
		    struct proc_mapping *out)
{
	struct procmap_query q;
	uint64_t addr = 0;

	for (unsigned int i = 0; i < max_queries; i++) {
		memset(&q, 0, sizeof(q));
		q.size = sizeof(q);
		q.query_flags = PROCMAP_QUERY_COVERING_OR_NEXT_VMA | PROCMAP_QUERY_FILE_BACKED_VMA;
		q.query_addr = addr;
		if (ioctl(maps_fd, PROCMAP_QUERY, &q))
			return -errno;	/* ENOENT: no file mapping at or after addr */
		addr = q.vma_end;
		if (q.inode != file_id)
			continue;
		out->start = q.vma_start;
		out->len = q.vma_end - q.vma_start;
		out->offset = q.vma_offset;
		out->flags = map_flags_of(q.vma_flags);
		if (covers(out, offset))
			return 0;
	}
	return -ENOENT;
}

static int query_pid(uint32_t pid, uint64_t file_id, uint64_t offset, struct proc_mapping *out)
{
	char path[64];
	int fd, err;

	snprintf(path, sizeof(path), "/proc/%u/maps", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = proc_maps_query(fd, file_id, offset, MAX_QUERIES, out);
	close(fd);
	return err;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The slot whose mapping covers offset, else a fresh miss for the file. */
static struct map_slot *cache_find(struct proc_maps *pm, uint32_t pid, uint64_t file_id,
				   uint64_t offset)
{
	struct map_slot *miss = NULL;

	for (int i = 0; i < CACHE_SLOTS; i++) {
		struct map_slot *s = &pm->cache[i];

		if (s->pid != pid || s->file_id != file_id)
			continue;
		if (covers(&s->m, offset))
			return s;
		if (!s->m.len && s->miss_until > now_ns())
			miss = s;
	}
	return miss;
}

/* Remember m (len 0: that the file was not mapped there). */
static void cache_put(struct proc_maps *pm, uint32_t pid, uint64_t file_id,
		      const struct proc_mapping *m)
{
	struct map_slot *victim = &pm->cache[0];

	for (int i = 0; i < CACHE_SLOTS; i++) {
		struct map_slot *s = &pm->cache[i];

		if (s->pid == pid && s->file_id == file_id && s->m.start == m->start) {
			victim = s;
			break;
		}
		if (s->last_use < victim->last_use)
			victim = s;
	}
	victim->pid = pid;
	victim->file_id = file_id;
	victim->m = *m;
	victim->miss_until = m->len ? 0 : now_ns() + MISS_TTL_NS;
	victim->last_use = ++pm->clock;
}

struct query {
	uint32_t pid;
	uint64_t file_id, offset;
};

/* On the helper: query, and cache the answer even if the caller gave up. */
static void query_job(void *ctx, const void *in, void *out)
{
	struct proc_maps *pm = ctx;
	const struct query *q = in;
	struct proc_mapping m = { 0 };
	int err = query_pid(q->pid, q->file_id, q->offset, &m);

	if (err && err != -ENOENT)
		return;
	if (err)
		memset(&m, 0, sizeof(m));	/* remembered as "not mapped" */
	pthread_mutex_lock(&pm->lock);
	cache_put(pm, q->pid, q->file_id, &m);
	pthread_mutex_unlock(&pm->lock);
	memcpy(out, &m, sizeof(m));
}

struct proc_maps *proc_maps_new(uint32_t wait_us)
{
	struct proc_maps *pm = calloc(1, sizeof(*pm));

	if (!pm)
		return NULL;
	pm->wait_us = wait_us;
	pthread_mutex_init(&pm->lock, NULL);
	pm->helper = proc_helper_new();
	if (!pm->helper) {
		pthread_mutex_destroy(&pm->lock);
		free(pm);
		return NULL;
	}
	return pm;
}

void proc_maps_free(struct proc_maps *pm)
{
	if (!pm)
		return;
	proc_helper_free(pm->helper);
	pthread_mutex_destroy(&pm->lock);
	free(pm);
}

bool proc_maps_find(struct proc_maps *pm, uint32_t pid, uint64_t file_id, uint64_t offset,
		    struct proc_mapping *out)
{
	struct query q = { pid, file_id, offset };
	struct map_slot *s;

	pthread_mutex_lock(&pm->lock);
	s = cache_find(pm, pid, file_id, offset);
	if (s) {
		s->last_use = ++pm->clock;
		*out = s->m;
	}
	pthread_mutex_unlock(&pm->lock);
	if (s)
		return out->len != 0;
	memset(out, 0, sizeof(*out));
	if (!proc_helper_run(pm->helper, query_job, pm, &q, sizeof(q), out, sizeof(*out), pm->wait_us))
		return false;
	return out->len != 0 && covers(out, offset);
}
