/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_inode_table.c - the daemon's inode table (daemon/inode_table.c) on a
 * real temporary directory: lookup/forget counting, many keys (hash
 * collisions and growth), concurrent lookups, the bound on cached O_PATH
 * descriptors, and descriptors in use never being closed.
 *
 * Reopening by file handle needs CAP_DAC_READ_SEARCH: tests that depend on
 * it are skipped (not passed) when not run as root, and fail as root.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "inode_table.h"

#define NFILES 2000

static char dir[64];
static int dir_fd;

static void file_name(char *buf, size_t len, int i)
{
	snprintf(buf, len, "f%d", i);
}

static int make_tree(void **state)
{
	char name[32];

	(void)state;
	strcpy(dir, "/tmp/test_inode_table.XXXXXX");
	assert_non_null(mkdtemp(dir));
	dir_fd = open(dir, O_PATH | O_DIRECTORY);
	assert_true(dir_fd >= 0);
	for (int i = 0; i < NFILES; i++) {
		int fd;

		file_name(name, sizeof(name), i);
		fd = openat(dir_fd, name, O_CREAT | O_WRONLY, 0644);
		assert_true(fd >= 0);
		close(fd);
	}
	assert_int_equal(linkat(dir_fd, "f0", dir_fd, "hardlink", 0), 0);
	return 0;
}

static int remove_tree(void **state)
{
	char cmd[128];

	(void)state;
	close(dir_fd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static struct inode_table *new_table(unsigned int max_fds)
{
	char err[256];
	struct inode_table *t = inode_table_new(open(dir, O_PATH | O_DIRECTORY), max_fds,
						err, sizeof(err));

	if (!t)
		fail_msg("inode_table_new: %s", err);
	return t;
}

static struct inode_node *lookup(struct inode_table *t, const char *name)
{
	struct inode_node *n = NULL;
	struct stat st;
	int res = inode_table_lookup(t, dir_fd, name, &st, &n);

	if (res)
		fail_msg("lookup %s: %s", name, strerror(-res));
	assert_int_equal(n->ino, st.st_ino);
	return n;
}

static uint64_t node_count(struct inode_table *t)
{
	struct inode_table_stats s;

	inode_table_get_stats(t, &s);
	return s.nodes;
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* Root has CAP_DAC_READ_SEARCH, which open_by_handle_at needs. */
static bool can_open_by_handle(void)
{
	if (geteuid() == 0)
		return true;
	print_message("not root: cannot reopen by file handle\n");
	return false;
}

static void repeated_lookups_return_one_node_counted_per_lookup(void **state)
{
	struct inode_table *t = new_table(64);
	struct inode_node *a, *b;

	(void)state;
	a = lookup(t, "f1");
	b = lookup(t, "f1");
	assert_ptr_equal(a, b);
	assert_int_equal(a->nlookup, 2);
	assert_int_equal(node_count(t), 2);	/* root and f1 */
	inode_table_free(t);
}

static void forget_removes_the_node_only_at_zero_lookups(void **state)
{
	struct inode_table *t = new_table(64);
	struct inode_node *a;

	(void)state;
	lookup(t, "f1");
	a = lookup(t, "f1");
	inode_table_forget(t, a, 1);
	assert_int_equal(node_count(t), 2);
	assert_int_equal(a->nlookup, 1);
	inode_table_forget(t, a, 1);
	assert_int_equal(node_count(t), 1);
	inode_table_free(t);
}

static void forgetting_the_root_keeps_it(void **state)
{
	struct inode_table *t = new_table(64);

	(void)state;
	inode_table_forget(t, inode_table_root(t), 1000);
	assert_int_equal(node_count(t), 1);
	assert_true(inode_fd_get(t, inode_table_root(t)) >= 0);
	inode_fd_put(t, inode_table_root(t));
	inode_table_free(t);
}

static void hard_links_share_one_node(void **state)
{
	struct inode_table *t = new_table(64);

	(void)state;
	assert_ptr_equal(lookup(t, "f0"), lookup(t, "hardlink"));
	inode_table_free(t);
}

static void missing_names_return_enoent(void **state)
{
	struct inode_table *t = new_table(64);
	struct inode_node *n = NULL;
	struct stat st;

	(void)state;
	assert_int_equal(inode_table_lookup(t, dir_fd, "nope", &st, &n), -ENOENT);
	assert_null(n);
	inode_table_free(t);
}

static void many_keys_stay_distinct_and_findable(void **state)
{
	struct inode_table *t = new_table(4096);
	static struct inode_node *nodes[NFILES];
	char name[32];

	(void)state;
	for (int i = 0; i < NFILES; i++) {
		file_name(name, sizeof(name), i);
		nodes[i] = lookup(t, name);
	}
	assert_int_equal(node_count(t), NFILES + 1);
	for (int i = 0; i < NFILES; i++) {
		file_name(name, sizeof(name), i);
		assert_ptr_equal(lookup(t, name), nodes[i]);
		assert_int_equal(nodes[i]->nlookup, 2);
	}
	inode_table_free(t);
}

#define NTHREADS 4
#define NSHARED 300

static void *lookup_shared_names(void *arg)
{
	struct inode_table *t = arg;
	char name[32];

	for (int i = 0; i < NSHARED; i++) {
		struct inode_node *n;
		struct stat st;

		file_name(name, sizeof(name), i);
		if (inode_table_lookup(t, dir_fd, name, &st, &n))
			return (void *)1;
	}
	return NULL;
}

static void concurrent_lookups_count_every_lookup_once(void **state)
{
	struct inode_table *t = new_table(64);
	pthread_t th[NTHREADS];
	char name[32];

	(void)state;
	for (int i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, lookup_shared_names, t), 0);
	for (int i = 0; i < NTHREADS; i++) {
		void *ret;

		pthread_join(th[i], &ret);
		assert_null(ret);
	}
	assert_int_equal(node_count(t), NSHARED + 1);
	for (int i = 0; i < NSHARED; i++) {
		file_name(name, sizeof(name), i);
		assert_int_equal(lookup(t, name)->nlookup, NTHREADS + 1);
	}
	inode_table_free(t);
}

static void cached_descriptors_stay_within_max_fds(void **state)
{
	struct inode_table *t = new_table(16);
	int before = open_fds();
	struct inode_table_stats s;
	char name[32];

	(void)state;
	for (int i = 0; i < NFILES; i++) {
		file_name(name, sizeof(name), i);
		lookup(t, name);
	}
	inode_table_get_stats(t, &s);
	assert_true(s.fds <= 16);
	assert_true(open_fds() - before <= 16);
	assert_true(s.evictions >= NFILES - 16);
	inode_table_free(t);
}

static void descriptors_in_use_are_never_closed(void **state)
{
	struct inode_table *t = new_table(16);
	struct inode_node *a;
	struct stat st;
	char name[32];
	int fd;

	(void)state;
	if (!can_open_by_handle())
		skip();
	a = lookup(t, "f1");
	fd = inode_fd_get(t, a);
	assert_true(fd >= 0);
	for (int i = 2; i < 500; i++) {
		file_name(name, sizeof(name), i);
		lookup(t, name);
	}
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_ino, a->ino);
	assert_int_equal(a->fd, fd);
	inode_fd_put(t, a);
	inode_table_free(t);
}

static void an_evicted_node_is_reopened_by_handle(void **state)
{
	struct inode_table *t = new_table(16);
	struct inode_node *a;
	struct stat st;
	char name[32];
	int fd;

	(void)state;
	if (!can_open_by_handle())
		skip();
	a = lookup(t, "f1");
	for (int i = 2; i < 100; i++) {
		file_name(name, sizeof(name), i);
		lookup(t, name);
	}
	assert_int_equal(a->fd, -1);
	fd = inode_fd_get(t, a);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_ino, a->ino);
	inode_fd_put(t, a);
	inode_table_free(t);
}

static void a_forgotten_node_in_use_keeps_its_descriptor_until_put(void **state)
{
	struct inode_table *t = new_table(16);
	struct inode_node *a = lookup(t, "f1");
	struct stat st;
	int fd = inode_fd_get(t, a);

	(void)state;
	assert_true(fd >= 0);
	inode_table_forget(t, a, 1);
	assert_int_equal(node_count(t), 1);
	assert_int_equal(fstat(fd, &st), 0);	/* still open: a user holds it */
	inode_fd_put(t, a);
	inode_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(repeated_lookups_return_one_node_counted_per_lookup),
		cmocka_unit_test(forget_removes_the_node_only_at_zero_lookups),
		cmocka_unit_test(forgetting_the_root_keeps_it),
		cmocka_unit_test(hard_links_share_one_node),
		cmocka_unit_test(missing_names_return_enoent),
		cmocka_unit_test(many_keys_stay_distinct_and_findable),
		cmocka_unit_test(concurrent_lookups_count_every_lookup_once),
		cmocka_unit_test(cached_descriptors_stay_within_max_fds),
		cmocka_unit_test(descriptors_in_use_are_never_closed),
		cmocka_unit_test(an_evicted_node_is_reopened_by_handle),
		cmocka_unit_test(a_forgotten_node_in_use_keeps_its_descriptor_until_put),
	};

	return cmocka_run_group_tests(tests, make_tree, remove_tree);
}
