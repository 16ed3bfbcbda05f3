/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gt_populate.c - ground truth for the "populate" method: fill a mapping of
 * FILE with MAP_POPULATE, madvise(MADV_POPULATE_READ) or mlock.
 *
 * usage: gt_populate -g SIDE [-m map_populate|populate_read|mlock] FILE
 */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "gt_common.h"

static volatile unsigned char sink;	/* keeps the loads */

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

int main(int argc, char **argv)
{
	const char *side = NULL, *mode = "map_populate";
	size_t size, page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned char *p;
	uint64_t enter;
	int opt, fd, flags = MAP_SHARED;

	while ((opt = getopt(argc, argv, "g:m:")) != -1) {
		switch (opt) {
		case 'g': side = optarg; break;
		case 'm': mode = optarg; break;
		default: return 2;
		}
	}
	if (optind + 1 != argc)
		return 2;
	gt_open(side);
	gt_expect(argv[optind], "read", "mmap", "-", "-");
	fd = gt_open_file(argv[optind], O_RDONLY);
	size = gt_file_size(fd);
	if (strcmp(mode, "map_populate") == 0)
		flags |= MAP_POPULATE;
	enter = gt_now_ns();
	p = mmap(NULL, size, PROT_READ, flags, fd, 0);
	if (p == MAP_FAILED)
		gt_die("mmap");
	if (strcmp(mode, "populate_read") == 0 && madvise(p, size, MADV_POPULATE_READ))
		gt_die("madvise");
	if (strcmp(mode, "mlock") == 0 && mlock(p, size))
		gt_die("mlock");
	gt_expect_during(argv[optind], "read", "populate", "-", "-", enter, gt_now_ns());
	for (size_t off = 0; off < size; off += page)
		sink += p[off];
	munmap(p, size);
	close(fd);
	gt_close();
	return 0;
}
