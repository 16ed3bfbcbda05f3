/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gt_common.c - the side file and small helpers of the ground-truth programs. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "gt_common.h"

static FILE *side;

void gt_die(const char *what)
{
	fprintf(stderr, "%s: %s\n", what, strerror(errno));
	exit(1);
}

void gt_open(const char *path)
{
	if (!path) {
		fprintf(stderr, "ground truth: -g SIDE_FILE is required\n");
		exit(2);
	}
	side = fopen(path, "w");
	if (!side)
		gt_die(path);
	fprintf(side, "pid %d\n", (int)getpid());
	fflush(side);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

void gt_expect(const char *path, const char *op, const char *method, const char *trigger,
	       const char *syscall)
{
	fprintf(side, "expect %s %s %s %s %s\n", base_name(path), op, method, trigger, syscall);
	fflush(side);
}

void gt_expect_during(const char *path, const char *op, const char *method,
		      const char *trigger, const char *syscall, uint64_t enter_ns,
		      uint64_t leave_ns)
{
	fprintf(side, "expect %s %s %s %s %s %llu %llu\n", base_name(path), op, method, trigger,
		syscall, (unsigned long long)enter_ns, (unsigned long long)leave_ns);
	fflush(side);
}

void gt_add_pid(pid_t pid)
{
	fprintf(side, "pid %d\n", (int)pid);
	fflush(side);
}

void gt_close(void)
{
	if (fclose(side))
		gt_die("side file");
}

uint64_t gt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int gt_open_file(const char *path, int flags)
{
	int fd = open(path, flags, 0644);

	if (fd < 0)
		gt_die(path);
	return fd;
}

size_t gt_file_size(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		gt_die("fstat");
	return (size_t)st.st_size;
}

uint64_t gt_random(void)
{
	static uint64_t x = 88172645463325252ull;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

size_t gt_parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	switch (*end) {
	case 'g': case 'G': v <<= 10; /* fall through */
	case 'm': case 'M': v <<= 10; /* fall through */
	case 'k': case 'K': v <<= 10; end++; break;
	default: break;
	}
	if (end == s || *end) {
		fprintf(stderr, "bad size '%s'\n", s);
		exit(2);
	}
	return (size_t)v;
}
