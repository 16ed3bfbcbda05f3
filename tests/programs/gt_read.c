/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gt_read.c - ground truth for the "read" method: read FILE with read(),
 * pread() or readv(), sequentially or at random block offsets.
 *
 * usage: gt_read -g SIDE [-m read|pread|readv] [-r] [-b BLOCK] [-n COUNT] FILE
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#include "gt_common.h"

static ssize_t read_block(int fd, const char *mode, char *buf, size_t block, off_t off)
{
	struct iovec iov[2] = { { buf, block / 2 }, { buf + block / 2, block - block / 2 } };

	if (strcmp(mode, "pread") == 0)
		return pread(fd, buf, block, off);
	if (lseek(fd, off, SEEK_SET) < 0)
		gt_die("lseek");
	if (strcmp(mode, "readv") == 0)
		return readv(fd, iov, 2);
	return read(fd, buf, block);
}

int main(int argc, char **argv)
{
	const char *side = NULL, *mode = "read";
	size_t block = 4096, count = 0, size, nblocks;
	bool random_order = false;
	char *buf;
	int opt, fd;

	while ((opt = getopt(argc, argv, "g:m:rb:n:")) != -1) {
		switch (opt) {
		case 'g': side = optarg; break;
		case 'm': mode = optarg; break;
		case 'r': random_order = true; break;
		case 'b': block = gt_parse_size(optarg); break;
		case 'n': count = gt_parse_size(optarg); break;
		default: return 2;
		}
	}
	if (optind + 1 != argc || !block)
		return 2;
	gt_open(side);
	gt_expect(argv[optind], "read", "read", "-", "-");
	gt_expect(argv[optind], "flush", "none", "-", "close");
	fd = gt_open_file(argv[optind], O_RDONLY);
	size = gt_file_size(fd);
	nblocks = size / block;
	if (!count || count > nblocks)
		count = nblocks;
	buf = malloc(block);
	for (size_t i = 0; i < count; i++) {
		size_t b = random_order ? gt_random() % nblocks : i;

		if (read_block(fd, mode, buf, block, (off_t)(b * block)) < 0)
			gt_die("read");
	}
	close(fd);
	free(buf);
	gt_close();
	return 0;
}
