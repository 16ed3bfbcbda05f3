/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gt_mmap_churn.c - page faults on FILE while other threads of the same
 * process keep taking the mmap lock for writing (mmap/munmap of anonymous
 * memory).  The classifier's mapping lookup must neither hang the mount nor
 * mislabel: every READ is "mmap".
 *
 * usage: gt_mmap_churn -g SIDE [-d SECONDS] [-t CHURNERS] FILE
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "gt_common.h"

static volatile bool stop;
static volatile unsigned char sink;

static void *churn(void *arg)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	(void)arg;
	while (!stop) {
		void *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			gt_die("mmap");
		munmap(p, page);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *side = NULL;
	unsigned int seconds = 2, churners = 2;
	size_t size, pages, page = (size_t)sysconf(_SC_PAGESIZE);
	pthread_t threads[16];
	unsigned char *p;
	uint64_t end;
	int opt, fd;

	while ((opt = getopt(argc, argv, "g:d:t:")) != -1) {
		switch (opt) {
		case 'g': side = optarg; break;
		case 'd': seconds = (unsigned int)atoi(optarg); break;
		case 't': churners = (unsigned int)atoi(optarg); break;
		default: return 2;
		}
	}
	if (optind + 1 != argc || churners > 16)
		return 2;
	gt_open(side);
	gt_expect(argv[optind], "read", "mmap", "-", "-");
	fd = gt_open_file(argv[optind], O_RDONLY);
	size = gt_file_size(fd);
	pages = size / page;
	for (unsigned int i = 0; i < churners; i++)
		pthread_create(&threads[i], NULL, churn, NULL);
	end = gt_now_ns() + (uint64_t)seconds * 1000000000u;
	while (gt_now_ns() < end) {
		/* A fresh mapping each round: the classifier's cache misses. */
		p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			gt_die("mmap");
		madvise(p, size, MADV_RANDOM);
		for (unsigned int i = 0; i < 64; i++)
			sink += p[(gt_random() % pages) * page];
		munmap(p, size);
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	}
	stop = true;
	for (unsigned int i = 0; i < churners; i++)
		pthread_join(threads[i], NULL);
	close(fd);
	gt_close();
	return 0;
}
