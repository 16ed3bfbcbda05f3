/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fs_modes.c - create files with exact modes under exact umasks and print
 * what came of it, one line per case, so that a run in a native directory
 * and one through accessfs can be compared line by line
 * (tests/integration/fs_modes*.sh).  Shell tools cannot do this: mkdir -m
 * and install -m chmod after creating, which hides how the mode was masked.
 *
 * usage: fs_modes matrix DIR          every creating call x mode x umask
 *        fs_modes mkdir MODE PATH...  mkdir under the inherited umask
 *        fs_modes create MODE PATH... open(O_CREAT | O_EXCL) likewise
 *        fs_modes write PATH...       write one byte, then the mode
 *        fs_modes rename FROM TO      rename, then the result
 *        fs_modes acl DIR             default ACL u::rwx,g::rwx,o::r-x
 *        fs_modes many COUNT DIR      create COUNT files 0666, print how
 *                                     many got which mode
 *
 * Results are "ok MODE UID:GID" (MODE in octal with the file type) or
 * the errno name; the tool itself fails only on misuse.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

static const mode_t modes[] = { 0777, 0642, 04777, 02775 };
static const mode_t umasks[] = { 0, 022, 077 };

enum create_call { CALL_CREATE, CALL_MKNOD_REG, CALL_MKNOD_CHR, CALL_MKFIFO, CALL_MKDIR,
		   CALL_SYMLINK, CALL_TMPFILE, CALL_COUNT };

static const char *const call_names[CALL_COUNT] = {
	"create", "mknod_reg", "mknod_chr", "mkfifo", "mkdir", "symlink", "tmpfile",
};

static void print_stat(const struct stat *st)
{
	printf("ok %06o %u:%u\n", (unsigned int)st->st_mode, (unsigned int)st->st_uid,
	       (unsigned int)st->st_gid);
}

static void print_errno(int err)
{
	const char *name = strerrorname_np(err);

	if (name)
		printf("%s\n", name);
	else
		printf("errno %d\n", err);
}

static void print_path(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		print_errno(errno);
	else
		print_stat(&st);
}

/* fd >= 0: report the open file's mode and close it; else errno. */
static void print_fd(int fd)
{
	struct stat st;

	if (fd < 0) {
		print_errno(errno);
		return;
	}
	if (fstat(fd, &st))
		print_errno(errno);
	else
		print_stat(&st);
	close(fd);
}

static int do_create(const char *path, mode_t mode)
{
	return open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
}

/* One creating call; prints its outcome. */
static void run_call(enum create_call c, const char *dir, const char *path, mode_t mode)
{
	int res = 0;

	switch (c) {
	case CALL_CREATE:
		print_fd(do_create(path, mode));
		return;
	case CALL_TMPFILE:
		print_fd(open(dir, O_RDWR | O_TMPFILE | O_CLOEXEC, mode));
		return;
	case CALL_MKNOD_REG:
		res = mknod(path, S_IFREG | mode, 0);
		break;
	case CALL_MKNOD_CHR:
		res = mknod(path, S_IFCHR | mode, makedev(1, 3));
		break;
	case CALL_MKFIFO:
		res = mkfifo(path, mode);
		break;
	case CALL_MKDIR:
		res = mkdir(path, mode);
		break;
	default:
		res = symlink("target", path);
		break;
	}
	if (res)
		print_errno(errno);
	else
		print_path(path);
}

static int matrix(const char *dir)
{
	char path[4096];

	for (size_t u = 0; u < sizeof(umasks) / sizeof(umasks[0]); u++) {
		for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
			for (int c = 0; c < CALL_COUNT; c++) {
				snprintf(path, sizeof(path), "%s/%s-%04o-%03o", dir, call_names[c],
					 (unsigned int)modes[m], (unsigned int)umasks[u]);
				printf("%s %04o umask %03o: ", call_names[c],
				       (unsigned int)modes[m], (unsigned int)umasks[u]);
				fflush(stdout);
				umask(umasks[u]);
				run_call((enum create_call)c, dir, path, modes[m]);
			}
		}
	}
	return 0;
}

static int make_each(int argc, char **argv, bool is_dir)
{
	mode_t mode = (mode_t)strtoul(argv[2], NULL, 8);

	for (int i = 3; i < argc; i++) {
		printf("%s %s %s: ", is_dir ? "mkdir" : "create", argv[2], argv[i]);
		if (is_dir) {
			if (mkdir(argv[i], mode))
				print_errno(errno);
			else
				print_path(argv[i]);
		} else {
			print_fd(do_create(argv[i], mode));
		}
	}
	return 0;
}

/* The kernel clears set-user-ID (and set-group-ID) when a non-owner writes. */
static int write_each(int argc, char **argv)
{
	for (int i = 2; i < argc; i++) {
		int fd = open(argv[i], O_WRONLY | O_CLOEXEC);

		printf("write %s: ", argv[i]);
		if (fd < 0) {
			print_errno(errno);
			continue;
		}
		if (write(fd, "x", 1) != 1) {
			print_errno(errno);
			close(fd);
			continue;
		}
		close(fd);
		print_path(argv[i]);
	}
	return 0;
}

static int do_rename(const char *from, const char *to)
{
	printf("rename %s %s: ", from, to);
	if (rename(from, to))
		print_errno(errno);
	else
		print_path(to);
	return 0;
}

/* system.posix_acl_default in the kernel's xattr format (posix_acl_xattr.h). */
static int set_default_acl(const char *dir)
{
	struct { uint16_t tag, perm; uint32_t id; } entry[3] = {
		{ 0x01, 7, UINT32_MAX },	/* ACL_USER_OBJ rwx */
		{ 0x04, 7, UINT32_MAX },	/* ACL_GROUP_OBJ rwx */
		{ 0x20, 5, UINT32_MAX },	/* ACL_OTHER r-x */
	};
	char buf[sizeof(uint32_t) + sizeof(entry)];
	uint32_t version = 2;

	memcpy(buf, &version, sizeof(version));
	memcpy(buf + sizeof(version), entry, sizeof(entry));
	if (setxattr(dir, "system.posix_acl_default", buf, sizeof(buf), 0)) {
		fprintf(stderr, "fs_modes: %s: default ACL: %s\n", dir, strerror(errno));
		return 1;
	}
	return 0;
}

/* Many creates in a row, for callers racing with other umasks. */
static int create_many(unsigned long count, const char *dir)
{
	unsigned long seen[07777 + 1] = { 0 };
	char path[4096];
	struct stat st;

	for (unsigned long n = 0; n < count; n++) {
		int fd;

		snprintf(path, sizeof(path), "%s/%lu", dir, n);
		fd = do_create(path, 0666);
		if (fd < 0 || fstat(fd, &st)) {
			fprintf(stderr, "fs_modes: %s: %s\n", path, strerror(errno));
			return 1;
		}
		close(fd);
		seen[st.st_mode & 07777]++;
	}
	for (unsigned int m = 0; m <= 07777; m++)
		if (seen[m])
			printf("%lu %04o\n", seen[m], m);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "matrix") == 0)
		return matrix(argv[2]);
	if (argc >= 4 && strcmp(argv[1], "mkdir") == 0)
		return make_each(argc, argv, true);
	if (argc >= 4 && strcmp(argv[1], "create") == 0)
		return make_each(argc, argv, false);
	if (argc >= 3 && strcmp(argv[1], "write") == 0)
		return write_each(argc, argv);
	if (argc == 4 && strcmp(argv[1], "rename") == 0)
		return do_rename(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "acl") == 0)
		return set_default_acl(argv[2]);
	if (argc == 4 && strcmp(argv[1], "many") == 0)
		return create_many(strtoul(argv[2], NULL, 10), argv[3]);
	fprintf(stderr, "usage: fs_modes matrix DIR | mkdir MODE PATH... | create MODE PATH...\n"
		"       | write PATH... | rename FROM TO | acl DIR | many COUNT DIR\n");
	return 2;
}
