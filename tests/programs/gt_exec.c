/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gt_exec.c - an execve while requests are pending from it: open FILE with
 * O_CLOEXEC, write to it and dirty a shared mapping of it, then exec
 * /bin/true.  The exec sends writeback and FLUSH while it holds the lock
 * that reading its /proc needs; the mount must not hang on it.  The
 * writeback's trigger is "exit" (the old mm goes away) or unknown.
 *
 * usage: gt_exec -g SIDE FILE
 */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "gt_common.h"

int main(int argc, char **argv)
{
	const char *side = NULL;
	size_t size;
	char *p;
	int opt, fd;

	while ((opt = getopt(argc, argv, "g:")) != -1) {
		switch (opt) {
		case 'g': side = optarg; break;
		default: return 2;
		}
	}
	if (optind + 1 != argc)
		return 2;
	gt_open(side);
	gt_expect(argv[optind], "read", "mmap", "-", "-");
	gt_close();
	fd = gt_open_file(argv[optind], O_RDWR | O_CLOEXEC);
	size = gt_file_size(fd);
	if (write(fd, "x", 1) != 1)
		gt_die("write");
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		gt_die("mmap");
	memset(p, 'e', size);
	execl("/bin/true", "true", (char *)NULL);
	gt_die("execl");
}
