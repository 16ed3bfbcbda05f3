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
 * usage: gt_mmap_write -g SIDE -t TRIGGER [-w MAX_WAIT_SECONDS] FILE
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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
	int fd;
	unsigned char *p;
	size_t size;
};

static void map_and_dirty(struct mapped *m)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	m->fd = gt_open_file(m->path, O_RDWR);
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
	struct mapped m;
	uint64_t enter;
	int opt, err = 0;

	while ((opt = getopt(argc, argv, "g:t:w:")) != -1) {
		switch (opt) {
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
	gt_expect(m.path, "write", "writeback", "flusher", "-");
	if (strcmp(trigger, "exit") == 0) {
		dirty_in_child_and_exit(&m);
		gt_close();
		return 0;
	}
	map_and_dirty(&m);
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
