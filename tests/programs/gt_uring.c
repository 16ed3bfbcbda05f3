/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gt_uring.c - ground truth for the "io_uring" method: read FILE (or, with
 * -w, write SIZE bytes to it) through io_uring in BLOCK-sized requests,
 * one in flight at a time, alternately submitted inline and with
 * IOSQE_ASYNC (an iou-wrk worker thread does those), then close it.
 * Every READ or WRITE it causes is io_uring's, whichever thread sent it.
 *
 * usage: gt_uring -g SIDE [-w] [-b BLOCK] [-s SIZE] FILE
 */
#include <fcntl.h>
#include <liburing.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gt_common.h"

/* One read or write of len bytes at off, and its completion. */
static void one(struct io_uring *ring, int fd, bool write, char *buf, size_t len, off_t off,
		bool async)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;

	if (!sqe)
		gt_die("io_uring_get_sqe");
	if (write)
		io_uring_prep_write(sqe, fd, buf, (unsigned int)len, (__u64)off);
	else
		io_uring_prep_read(sqe, fd, buf, (unsigned int)len, (__u64)off);
	if (async)
		sqe->flags |= IOSQE_ASYNC;
	if (io_uring_submit(ring) != 1 || io_uring_wait_cqe(ring, &cqe))
		gt_die("io_uring_submit");
	if (cqe->res < 0)
		gt_die(write ? "io_uring write" : "io_uring read");
	io_uring_cqe_seen(ring, cqe);
}

int main(int argc, char **argv)
{
	const char *side = NULL;
	size_t block = 64 << 10, size = 0;
	bool write = false;
	struct io_uring ring;
	char *buf;
	int opt, fd;

	while ((opt = getopt(argc, argv, "g:wb:s:")) != -1) {
		switch (opt) {
		case 'g': side = optarg; break;
		case 'w': write = true; break;
		case 'b': block = gt_parse_size(optarg); break;
		case 's': size = gt_parse_size(optarg); break;
		default: return 2;
		}
	}
	if (optind + 1 != argc || !block || (write && !size))
		return 2;
	gt_open(side);
	gt_expect(argv[optind], write ? "write" : "read", "io_uring", "-", "-");
	gt_expect(argv[optind], "flush", "none", "-", "close");
	fd = gt_open_file(argv[optind], write ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY);
	if (!write)
		size = gt_file_size(fd);
	if (io_uring_queue_init(4, &ring, 0))
		gt_die("io_uring_queue_init");
	buf = malloc(block);
	memset(buf, 'u', block);
	for (size_t off = 0, i = 0; off < size; off += block, i++)
		one(&ring, fd, write, buf, block, (off_t)off, i % 2);
	io_uring_queue_exit(&ring);
	close(fd);
	free(buf);
	gt_close();
	return 0;
}
