/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * runtime_file.c - the daemon's entry in /run/accessfs (runtime_file.h).
 * Written to a temporary name and renamed, so a reader never sees half a
 * line.  Not an interface for anything but finding the trace.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "runtime_file.h"

int runtime_file_create(const char *mountpoint, const char *trace, char *path, size_t len)
{
	char tmp[64];
	FILE *f;
	int fd;

	path[0] = '\0';
	if (mkdir(RUNTIME_FILE_DIR, 0755) && errno != EEXIST)
		return -1;
	snprintf(tmp, sizeof(tmp), RUNTIME_FILE_DIR "/.%d.tmp", (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	fprintf(f, "%s\t%s\n", mountpoint, trace);
	snprintf(path, len, RUNTIME_FILE_DIR "/%d", (int)getpid());
	if (fclose(f) || rename(tmp, path)) {
		unlink(tmp);
		path[0] = '\0';
		return -1;
	}
	return 0;
}

void runtime_file_remove(const char *path)
{
	if (path[0])
		unlink(path);
}
