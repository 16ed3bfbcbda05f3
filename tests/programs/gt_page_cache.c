/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gt_page_cache.c - ground truth for the app-side view: each mode does a
 * known amount of page-cache traffic on one file, so the report's
 * page_cache numbers can be checked exactly (tests/integration/app_side.sh).
 *
 *   reread FILE BS       read() FILE to EOF in BS-byte calls, twice on one
 *                        descriptor: asked 2x its size, the second pass all
 *                        page-cache hits (the page cache stays: no reopen)
 *   touch FILE N STRIDE [cold]
 *                        map FILE at a 2 MiB-aligned address and read one
 *                        byte of every STRIDE-th page, N of them: N faults,
 *                        each with a fault-around window of STRIDE pages
 *                        when STRIDE is the kernel's fault_around_bytes.
 *                        Unless cold, the file is read into the cache
 *                        first (with pread), so every fault is minor.
 *   write FILE N BS      N write() then N pwrite() calls of BS bytes
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define ALIGN (2ul << 20)	/* a PMD: fault-around windows stay whole */

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void read_to_eof(int fd, char *buf, size_t bs)
{
	ssize_t n;

	while ((n = read(fd, buf, bs)) > 0)
		;
	if (n < 0)
		die("read");
}

static int reread(const char *path, size_t bs)
{
	int fd = open(path, O_RDONLY);
	char *buf = malloc(bs);

	if (fd < 0 || !buf)
		die(path);
	read_to_eof(fd, buf, bs);
	if (lseek(fd, 0, SEEK_SET) != 0)
		die("lseek");
	read_to_eof(fd, buf, bs);
	close(fd);
	free(buf);
	return 0;
}

static void warm(int fd, off_t size)
{
	char buf[65536];

	for (off_t off = 0; off < size; off += (off_t)sizeof(buf))
		if (pread(fd, buf, sizeof(buf), off) < 0)
			die("pread");
}

static int touch(const char *path, long n, long stride, bool cold)
{
	long page = sysconf(_SC_PAGESIZE);
	int fd = open(path, O_RDONLY);
	struct stat st;
	uint8_t *area, *map;
	volatile uint8_t sum = 0;

	if (fd < 0 || fstat(fd, &st))
		die(path);
	if (!cold)
		warm(fd, st.st_size);
	/* Reserve, then map the file at the aligned start inside. */
	area = mmap(NULL, (size_t)st.st_size + ALIGN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		die("mmap reserve");
	map = (uint8_t *)(((uintptr_t)area + ALIGN - 1) & ~(ALIGN - 1));
	map = mmap(map, (size_t)st.st_size, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0);
	if (map == MAP_FAILED)
		die("mmap");
	for (long i = 0; i < n; i++)
		sum += map[i * stride * page];
	(void)sum;
	munmap(area, (size_t)st.st_size + ALIGN);
	close(fd);
	return 0;
}

static int write_calls(const char *path, long n, size_t bs)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	char *buf = calloc(1, bs);

	if (fd < 0 || !buf)
		die(path);
	for (long i = 0; i < n; i++)
		if (write(fd, buf, bs) != (ssize_t)bs)
			die("write");
	for (long i = 0; i < n; i++)
		if (pwrite(fd, buf, bs, (off_t)(n + i) * (off_t)bs) != (ssize_t)bs)
			die("pwrite");
	close(fd);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "reread"))
		return reread(argv[2], strtoul(argv[3], NULL, 0));
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "touch"))
		return touch(argv[2], atol(argv[3]), atol(argv[4]), argc == 6);
	if (argc == 5 && !strcmp(argv[1], "write"))
		return write_calls(argv[2], atol(argv[3]), strtoul(argv[4], NULL, 0));
	fprintf(stderr, "usage: gt_page_cache reread FILE BS | touch FILE N STRIDE [cold] |"
		" write FILE N BS\n");
	return 2;
}
