/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc_maps.c - mapping lookup for mmap/populate requests (proc_maps.h):
 * a small cache of mappings per (pid, file) in front of one helper thread
 * that does the PROCMAP_QUERY ioctls, so no daemon worker ever waits on
 * another process's mmap lock for more than the configured bound.
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
	pthread_mutex_t lock;	/* protects everything below */
	pthread_cond_t wake;	/* a job for the helper, or stop */
	pthread_cond_t done;	/* the helper finished a job */
	pthread_t helper;
	bool stop;
	uint32_t wait_us;
	uint64_t clock;
	struct map_slot cache[CACHE_SLOTS];
	/* the one job: pending while the helper has not taken it */
	bool job_pending, job_busy;
	uint64_t job_seq, done_seq;
	uint32_t job_pid;
	uint64_t job_file, job_offset;
	int job_err;
	struct proc_mapping job_result;
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

static void *helper_main(void *arg)
{
	struct proc_maps *pm = arg;

	pthread_mutex_lock(&pm->lock);
	for (;;) {
		struct proc_mapping m;
		uint32_t pid;
		uint64_t file_id, offset, seq;
		int err;

		while (!pm->stop && !pm->job_pending)
			pthread_cond_wait(&pm->wake, &pm->lock);
		if (pm->stop)
			break;
		pm->job_pending = false;
		pid = pm->job_pid;
		file_id = pm->job_file;
		offset = pm->job_offset;
		seq = pm->job_seq;
		pthread_mutex_unlock(&pm->lock);
		err = query_pid(pid, file_id, offset, &m);	/* may block: unlocked */
		pthread_mutex_lock(&pm->lock);
		if (err == -ENOENT)
			memset(&m, 0, sizeof(m));
		if (!err || err == -ENOENT)
			cache_put(pm, pid, file_id, &m);
		pm->job_err = err;
		pm->job_result = m;
		pm->done_seq = seq;
		pm->job_busy = false;
		pthread_cond_broadcast(&pm->done);
	}
	pthread_mutex_unlock(&pm->lock);
	return NULL;
}

struct proc_maps *proc_maps_new(uint32_t wait_us)
{
	struct proc_maps *pm = calloc(1, sizeof(*pm));
	pthread_condattr_t ca;

	if (!pm)
		return NULL;
	pm->wait_us = wait_us;
	pthread_mutex_init(&pm->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&pm->wake, NULL);
	pthread_cond_init(&pm->done, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&pm->helper, NULL, helper_main, pm)) {
		free(pm);
		return NULL;
	}
	return pm;
}

/*
 * A helper stuck on a mmap lock is released when the request it waits for
 * is answered, which the daemon does without it; the join then returns.
 */
void proc_maps_free(struct proc_maps *pm)
{
	if (!pm)
		return;
	pthread_mutex_lock(&pm->lock);
	pm->stop = true;
	pthread_cond_signal(&pm->wake);
	pthread_mutex_unlock(&pm->lock);
	pthread_join(pm->helper, NULL);
	pthread_cond_destroy(&pm->wake);
	pthread_cond_destroy(&pm->done);
	pthread_mutex_destroy(&pm->lock);
	free(pm);
}

static struct timespec deadline_after(uint32_t us)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += (long)us * 1000;
	ts.tv_sec += ts.tv_nsec / 1000000000;
	ts.tv_nsec %= 1000000000;
	return ts;
}

bool proc_maps_find(struct proc_maps *pm, uint32_t pid, uint64_t file_id, uint64_t offset,
		    struct proc_mapping *out)
{
	struct map_slot *s;
	struct timespec deadline;
	uint64_t seq;
	bool found = false;

	pthread_mutex_lock(&pm->lock);
	s = cache_find(pm, pid, file_id, offset);
	if (s) {
		s->last_use = ++pm->clock;
		*out = s->m;
		found = s->m.len != 0;
		goto out;
	}
	if (pm->job_busy)	/* the helper is on another lookup: skip this one */
		goto out;
	pm->job_busy = pm->job_pending = true;
	seq = ++pm->job_seq;
	pm->job_pid = pid;
	pm->job_file = file_id;
	pm->job_offset = offset;
	pthread_cond_signal(&pm->wake);
	deadline = deadline_after(pm->wait_us);
	while (pm->done_seq != seq)
		if (pthread_cond_timedwait(&pm->done, &pm->lock, &deadline))
			break;
	if (pm->done_seq == seq && !pm->job_err) {
		*out = pm->job_result;
		found = true;
	}
out:
	pthread_mutex_unlock(&pm->lock);
	return found;
}
