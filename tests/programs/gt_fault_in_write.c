/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gt_fault_in_write.c - ground truth for a page fault inside another
 * syscall: write() a mapping of FILE (on the mount) to OUT (elsewhere), so
 * the kernel faults FILE's pages in while copying from the buffer.  Every
 * READ of FILE is "mmap" although the thread is in write().
 *
 * usage: gt_fault_in_write -g SIDE [-b BLOCK] FILE OUT
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "gt_common.h"

int main(int argc, char **argv)
{
	const char *side = NULL;
	size_t block = 65536, size;
	unsigned char *p;
	int opt, fd, out;

	while ((opt = getopt(argc, argv, "g:b:")) != -1) {
		switch (opt) {
		case 'g': side = optarg; break;
		case 'b': block = gt_parse_size(optarg); break;
		default: return 2;
		}
	}
	if (optind + 2 != argc || !block)
		return 2;
	gt_open(side);
	gt_expect(argv[optind], "read", "mmap", "-", "-");
	fd = gt_open_file(argv[optind], O_RDONLY);
	out = gt_open_file(argv[optind + 1], O_WRONLY | O_CREAT | O_TRUNC);
	size = gt_file_size(fd);
	p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		gt_die("mmap");
	for (size_t off = 0; off < size; off += block) {
		size_t n = size - off < block ? size - off : block;

		if (write(out, p + off, n) != (ssize_t)n)
			gt_die("write");
	}
	munmap(p, size);
	close(out);
	close(fd);
	gt_close();
	return 0;
}
