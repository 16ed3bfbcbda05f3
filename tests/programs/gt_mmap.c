/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gt_mmap.c - ground truth for the "mmap" method: map FILE and touch one
 * byte per page, sequentially or at random, shared or private, after an
 * optional madvise (MADV_WILLNEED's own reads are "advise").
 *
 * usage: gt_mmap -g SIDE [-p] [-r] [-a normal|random|sequential|willneed] [-n COUNT] FILE
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "gt_common.h"

static volatile unsigned char sink;	/* keeps the loads */

static int advice_of(const char *name)
{
	if (strcmp(name, "random") == 0)
		return MADV_RANDOM;
	if (strcmp(name, "sequential") == 0)
		return MADV_SEQUENTIAL;
	if (strcmp(name, "willneed") == 0)
		return MADV_WILLNEED;
	return MADV_NORMAL;
}

/*
 * With async reads the READs MADV_WILLNEED queues (mm/readahead.c
 * force_page_cache_ra, sent in the background) can reach the daemon after
 * madvise returned: their window lasts until the range is in the page
 * cache (mincore), at most 2 s.
 */
static void wait_resident(void *p, size_t size, size_t page)
{
	size_t n = (size + page - 1) / page;
	unsigned char *vec = malloc(n);
	bool all = false;

	for (int i = 0; vec && i < 2000 && !all; i++) {
		if (mincore(p, size, vec))
			break;
		all = true;
		for (size_t j = 0; j < n && all; j++)
			all = vec[j] & 1;
		if (!all)
			usleep(1000);
	}
	free(vec);
}

int main(int argc, char **argv)
{
	const char *side = NULL, *advice = "normal";
	size_t count = 0, size, pages, page = (size_t)sysconf(_SC_PAGESIZE);
	bool random_order = false, private_map = false;
	unsigned char *p;
	uint64_t enter;
	int opt, fd;

	while ((opt = getopt(argc, argv, "g:pra:n:")) != -1) {
		switch (opt) {
		case 'g': side = optarg; break;
		case 'p': private_map = true; break;
		case 'r': random_order = true; break;
		case 'a': advice = optarg; break;
		case 'n': count = gt_parse_size(optarg); break;
		default: return 2;
		}
	}
	if (optind + 1 != argc)
		return 2;
	gt_open(side);
	gt_expect(argv[optind], "read", "mmap", "-", "-");
	fd = gt_open_file(argv[optind], O_RDONLY);
	size = gt_file_size(fd);
	pages = size / page;
	if (!count || count > pages)
		count = pages;
	p = mmap(NULL, size, PROT_READ, private_map ? MAP_PRIVATE : MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		gt_die("mmap");
	enter = gt_now_ns();
	if (madvise(p, size, advice_of(advice)))
		gt_die("madvise");
	if (advice_of(advice) == MADV_WILLNEED) {
		wait_resident(p, size, page);
		gt_expect_during(argv[optind], "read", "advise", "-", "madvise", enter, gt_now_ns());
	}
	for (size_t i = 0; i < count; i++)
		sink += p[(random_order ? gt_random() % pages : i) * page];
	munmap(p, size);
	close(fd);
	gt_close();
	return 0;
}
