/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gt_mixed.c - ground truth for two methods at once: read() FILE_A while
 * touching the pages of a mapping of FILE_B, interleaved in one thread or
 * (-t) in two threads.  A's READs are "read", B's are "mmap".
 *
 * usage: gt_mixed -g SIDE [-t] [-b BLOCK] FILE_A FILE_B
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "gt_common.h"

struct work {
	int fd;
	size_t block, size, page;
	const unsigned char *map;
	size_t map_size;
	volatile unsigned char sum;
};

/* Step i of reading A: one block; false when A is done. */
static bool read_step(struct work *w, char *buf, size_t i)
{
	if (i * w->block >= w->size)
		return false;
	if (read(w->fd, buf, w->block) < 0)
		gt_die("read");
	return true;
}

/* Step i of touching B: one page; false when B is done. */
static bool touch_step(struct work *w, size_t i)
{
	if (i * w->page >= w->map_size)
		return false;
	w->sum += w->map[i * w->page];
	return true;
}

static void *reader(void *arg)
{
	struct work *w = arg;
	char *buf = malloc(w->block);

	for (size_t i = 0; read_step(w, buf, i); i++)
		;
	free(buf);
	return NULL;
}

static void *toucher(void *arg)
{
	struct work *w = arg;

	for (size_t i = 0; touch_step(w, i); i++)
		;
	return NULL;
}

int main(int argc, char **argv)
{
	const char *side = NULL;
	struct work w = { .block = 4096, .page = (size_t)sysconf(_SC_PAGESIZE) };
	bool threads = false;
	int opt, fd_b;

	while ((opt = getopt(argc, argv, "g:tb:")) != -1) {
		switch (opt) {
		case 'g': side = optarg; break;
		case 't': threads = true; break;
		case 'b': w.block = gt_parse_size(optarg); break;
		default: return 2;
		}
	}
	if (optind + 2 != argc || !w.block)
		return 2;
	gt_open(side);
	gt_expect(argv[optind], "read", "read", "-", "-");
	gt_expect(argv[optind + 1], "read", "mmap", "-", "-");
	w.fd = gt_open_file(argv[optind], O_RDONLY);
	w.size = gt_file_size(w.fd);
	fd_b = gt_open_file(argv[optind + 1], O_RDONLY);
	w.map_size = gt_file_size(fd_b);
	w.map = mmap(NULL, w.map_size, PROT_READ, MAP_SHARED, fd_b, 0);
	if (w.map == MAP_FAILED)
		gt_die("mmap");
	if (threads) {
		pthread_t a, b;

		pthread_create(&a, NULL, reader, &w);
		pthread_create(&b, NULL, toucher, &w);
		pthread_join(a, NULL);
		pthread_join(b, NULL);
	} else {
		char *buf = malloc(w.block);
		bool more = true;

		for (size_t i = 0; more; i++) {
			bool a = read_step(&w, buf, i), b = touch_step(&w, i);

			more = a || b;
		}
		free(buf);
	}
	close(w.fd);
	close(fd_b);
	gt_close();
	return 0;
}
