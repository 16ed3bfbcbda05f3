/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench_metadata.c - the metadata benchmark of scripts/bench: create N
 * empty files in a directory, stat each, unlink each, and print the rate.
 *
 * It is C because the point is the filesystem's cost per operation: an
 * interpreter's own cost per file would be as large as a native tmpfs
 * create.  It runs the three phases over all files (not file by file) so
 * that stat and unlink look names up in a directory holding N entries, as
 * fio's filecreate/filestat/filedelete engines do.  It does not fsync:
 * durability is not what it measures.
 *
 * Usage: bench_metadata DIR NFILES
 * Output: one JSON object on stdout, rates in files per second.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum phase { PHASE_CREATE, PHASE_STAT, PHASE_UNLINK, PHASE_COUNT };

static const char *const phase_names[PHASE_COUNT] = { "create", "stat", "unlink" };

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One operation of phase on name, relative to dirfd; 0 or -1 with errno. */
static int phase_do(enum phase p, int dirfd, const char *name)
{
	struct stat st;
	int fd;

	switch (p) {
	case PHASE_CREATE:
		fd = openat(dirfd, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
		if (fd < 0)
			return -1;
		return close(fd);
	case PHASE_STAT:
		return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW);
	default:
		return unlinkat(dirfd, name, 0);
	}
}

/* Run phase over files 0..n-1; returns its duration in seconds, or -1. */
static double phase_run(enum phase p, int dirfd, long n)
{
	char name[32];
	double t0 = now_s();

	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "f%07ld", i);
		if (phase_do(p, dirfd, name) < 0) {
			fprintf(stderr, "bench_metadata: %s %s: %s\n", phase_names[p], name,
				strerror(errno));
			return -1;
		}
	}
	return now_s() - t0;
}

int main(int argc, char **argv)
{
	double secs[PHASE_COUNT], total = 0;
	char *end;
	long n;
	int dirfd;

	if (argc != 3) {
		fprintf(stderr, "usage: bench_metadata DIR NFILES\n");
		return 2;
	}
	n = strtol(argv[2], &end, 10);
	if (*end || n <= 0 || n > 9999999) {
		fprintf(stderr, "bench_metadata: NFILES must be 1..9999999, not '%s'\n", argv[2]);
		return 2;
	}
	dirfd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		fprintf(stderr, "bench_metadata: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (int p = 0; p < PHASE_COUNT; p++) {
		secs[p] = phase_run(p, dirfd, n);
		if (secs[p] < 0)
			return 1;
		total += secs[p];
	}
	printf("{\"files\": %ld, \"seconds\": %.6f, \"files_per_s\": %.1f", n, total, n / total);
	for (int p = 0; p < PHASE_COUNT; p++)
		printf(", \"%s_per_s\": %.1f", phase_names[p], n / secs[p]);
	printf("}\n");
	return 0;
}
