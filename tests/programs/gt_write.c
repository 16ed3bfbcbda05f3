/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gt_write.c - ground truth for the "write" method: write() SIZE bytes to
 * FILE in blocks, then close it (FLUSH from close).
 *
 * usage: gt_write -g SIDE [-b BLOCK] [-s SIZE] FILE
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gt_common.h"

int main(int argc, char **argv)
{
	const char *side = NULL;
	size_t block = 4096, size = 8 << 20;
	char *buf;
	int opt, fd;

	while ((opt = getopt(argc, argv, "g:b:s:")) != -1) {
		switch (opt) {
		case 'g': side = optarg; break;
		case 'b': block = gt_parse_size(optarg); break;
		case 's': size = gt_parse_size(optarg); break;
		default: return 2;
		}
	}
	if (optind + 1 != argc || !block)
		return 2;
	gt_open(side);
	gt_expect(argv[optind], "write", "write", "-", "-");
	gt_expect(argv[optind], "flush", "none", "-", "close");
	fd = gt_open_file(argv[optind], O_WRONLY | O_CREAT | O_TRUNC);
	buf = malloc(block);
	memset(buf, 'w', block);
	for (size_t off = 0; off < size; off += block)
		if (write(fd, buf, block) != (ssize_t)block)
			gt_die("write");
	close(fd);
	free(buf);
	gt_close();
	return 0;
}
