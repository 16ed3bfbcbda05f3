/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gt_mmap_write.c - ground truth for writeback triggers: store to every page
 * of a shared mapping of FILE, then make the dirty pages go out by one
 * trigger, recording when the program entered and left it.  Writeback
 * WRITEs that arrive inside that window have that trigger; all others
 * (dirty throttling while storing, or the flusher) are "flusher".
 *
 *   msync    msync(MS_SYNC), then munmap and close
 *   fsync    fsync, then munmap and close
 *   close    close with the mapping still there, then munmap
 *   munmap   munmap, then close
 *   exit     a child stores and exits without unmapping or closing
 *   flusher  wait (cachestat) until the kernel has written everything
 *
 * Storing more than the FUSE bdi lets stay dirty makes the flusher write
 * part of the mapping by itself while the program stores (see
 * background_limit()).  Those WRITEs are the flusher's, even the ones that
 * reach the daemon after the trigger started; so, when the mapping is that
 * large, the program waits until the flusher has stopped (nothing under
 * writeback, the dirty count steady) before it enters the trigger.
 *
 * -c SIZE creates FILE (O_CREAT, ftruncate) instead of using an existing one.
 * -r: the program runs in a memory cgroup smaller than the mapping, so the
 *     writeback while it stores is memory reclaim's (trigger "reclaim"),
 *     not the flusher's own; the caller arranges the cgroup (and a bdi
 *     without strict_limit, so the flusher does not start first).
 *
 * usage: gt_mmap_write -g SIDE -t TRIGGER [-r] [-w MAX_WAIT_SECONDS] [-c SIZE] FILE
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "gt_common.h"

#ifndef SYS_cachestat
#define SYS_cachestat 451	/* Linux 6.5 */
#endif

struct cachestat_range {
	uint64_t off, len;
};

struct cachestat {
	uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
};

struct mapped {
	const char *path;
	size_t create_size;	/* 0: FILE exists */
	int fd;
	unsigned char *p;
	size_t size;
};

static void map_and_dirty(struct mapped *m)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	m->fd = gt_open_file(m->path, O_RDWR | (m->create_size ? O_CREAT | O_EXCL : 0));
	if (m->create_size && ftruncate(m->fd, (off_t)m->create_size))
		gt_die("ftruncate");
	m->size = gt_file_size(m->fd);
	m->p = mmap(NULL, m->size, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, 0);
	if (m->p == MAP_FAILED)
		gt_die("mmap");
	for (size_t off = 0; off < m->size; off += page)
		m->p[off]++;
}

/* Until nothing of the file is dirty or under writeback; false on timeout. */
static bool wait_written(int fd, unsigned int max_s)
{
	struct cachestat_range r = { 0, 0 };
	struct cachestat cs;

	for (unsigned int i = 0; i < max_s * 10; i++) {
		if (syscall(SYS_cachestat, fd, &r, &cs, 0)) {
			sleep(max_s);	/* no cachestat: wait the whole time */
			return true;
		}
		if (!cs.nr_dirty && !cs.nr_writeback)
			return true;
		usleep(100000);
	}
	return false;
}

static uint64_t read_number(const char *path)
{
	unsigned long long v = 0;	/* 0 if unreadable */
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	if (fscanf(f, "%llu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

/*
 * Dirty bytes of this file's bdi above which the flusher may start writing
 * by itself (mm/page-writeback.c wb_over_bg_thresh).  FUSE's bdi has
 * strict_limit (fs/fuse/inode.c fuse_bdi_init: BDI_CAP_STRICTLIMIT, max_ratio
 * 1): it is held to its own share of the dirty limit, which for a bdi with
 * little writeout history is a small part of max_bytes
 * (/sys/class/bdi/<dev>/), so count that as 0: the flusher starts at once.
 * Without strict_limit only the global background limit counts,
 * dirty_background_bytes or dirty_background_ratio of available memory.
 */
static uint64_t background_limit(int fd)
{
	char path[128];
	struct stat st;
	uint64_t bytes;
	unsigned long avail_kb = 0;
	char line[128];
	FILE *f;

	if (fstat(fd, &st))
		return 0;
	snprintf(path, sizeof(path), "/sys/class/bdi/%u:%u/strict_limit", major(st.st_dev),
		 minor(st.st_dev));
	if (access(path, R_OK) || read_number(path))
		return 0;
	bytes = read_number("/proc/sys/vm/dirty_background_bytes");
	if (bytes)
		return bytes;
	f = fopen("/proc/meminfo", "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %lu kB", &avail_kb) == 1)
			break;
	if (f)
		fclose(f);
	return avail_kb * 1024 / 100 * read_number("/proc/sys/vm/dirty_background_ratio");
}

/* Until the flusher has stopped: nothing under writeback and the dirty count
 * the same for 5 looks in a row (it only stops below background_limit). */
static void wait_flusher_idle(int fd)
{
	struct cachestat_range r = { 0, 0 };
	struct cachestat cs;
	uint64_t last = UINT64_MAX;
	unsigned int steady = 0;

	for (unsigned int i = 0; i < 1000 && steady < 5; i++) {
		if (syscall(SYS_cachestat, fd, &r, &cs, 0))
			return;
		steady = !cs.nr_writeback && cs.nr_dirty == last ? steady + 1 : 0;
		last = cs.nr_dirty;
		usleep(20000);
	}
}

/* The exit case: a child dirties and exits; we time its exit. */
static void dirty_in_child_and_exit(struct mapped *m)
{
	int pipefd[2], status;
	uint64_t enter = 0;
	pid_t child;

	if (pipe(pipefd))
		gt_die("pipe");
	child = fork();
	if (child < 0)
		gt_die("fork");
	if (child == 0) {
		map_and_dirty(m);
		if (m->size > background_limit(m->fd))
			wait_flusher_idle(m->fd);
		enter = gt_now_ns();
		if (write(pipefd[1], &enter, sizeof(enter)) != sizeof(enter))
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	gt_add_pid(child);
	if (read(pipefd[0], &enter, sizeof(enter)) != sizeof(enter) ||
	    waitpid(child, &status, 0) != child || status != 0) {
		fprintf(stderr, "gt_mmap_write: child failed\n");
		exit(1);
	}
	gt_expect_during(m->path, "write", "writeback", "exit", "-", enter, gt_now_ns());
	gt_expect(m->path, "flush", "none", "-", "exit_group");
}

int main(int argc, char **argv)
{
	const char *side = NULL, *trigger = NULL;
	unsigned int max_wait = 40;
	struct mapped m = { 0 };
	uint64_t enter;
	const char *before = "flusher";
	int opt, err = 0;

	while ((opt = getopt(argc, argv, "g:t:w:c:r")) != -1) {
		switch (opt) {
		case 'r': before = "reclaim"; break;
		case 'c': m.create_size = gt_parse_size(optarg); break;
		case 'g': side = optarg; break;
		case 't': trigger = optarg; break;
		case 'w': max_wait = (unsigned int)atoi(optarg); break;
		default: return 2;
		}
	}
	if (optind + 1 != argc || !trigger)
		return 2;
	m.path = argv[optind];
	gt_open(side);
	gt_expect(m.path, "read", "mmap", "-", "-");
	gt_expect(m.path, "write", "writeback", before, "-");
	if (strcmp(trigger, "exit") == 0) {
		dirty_in_child_and_exit(&m);
		gt_close();
		return 0;
	}
	map_and_dirty(&m);
	if (strcmp(trigger, "flusher") && m.size > background_limit(m.fd))
		wait_flusher_idle(m.fd);
	enter = gt_now_ns();
	if (strcmp(trigger, "msync") == 0) {
		err = msync(m.p, m.size, MS_SYNC);
		gt_expect(m.path, "fsync", "none", "-", "msync");
	} else if (strcmp(trigger, "fsync") == 0) {
		err = fsync(m.fd);
		gt_expect(m.path, "fsync", "none", "-", "fsync");
	} else if (strcmp(trigger, "close") == 0) {
		err = close(m.fd);
		m.fd = -1;
	} else if (strcmp(trigger, "munmap") == 0) {
		err = munmap(m.p, m.size);
		m.p = NULL;
	} else if (strcmp(trigger, "flusher") == 0) {
		if (!wait_written(m.fd, max_wait)) {
			fprintf(stderr, "gt_mmap_write: not written back within %u s\n", max_wait);
			return 3;
		}
	} else {
		fprintf(stderr, "gt_mmap_write: unknown trigger '%s'\n", trigger);
		return 2;
	}
	if (err)
		gt_die(trigger);
	if (strcmp(trigger, "flusher") != 0)
		gt_expect_during(m.path, "write", "writeback", trigger, "-", enter, gt_now_ns());
	gt_expect(m.path, "flush", "none", "-", "close");
	if (m.p && munmap(m.p, m.size))
		gt_die("munmap");
	if (m.fd >= 0)
		close(m.fd);
	gt_close();
	return 0;
}
