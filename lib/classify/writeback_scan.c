/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * writeback_scan.c - the trigger of a writeback WRITE (writeback_scan.h).
 *
 * msync(MS_SYNC), fsync, close (fuse_flush -> write_inode_now), munmap
 * (fuse_vma_close -> filemap_write_and_wait) and exit all start writeback
 * and then wait for it in the calling thread, so while we hold one of its
 * WRITEs that thread is blocked inside the syscall and /proc shows it.  The
 * threads looked at are those of the processes that opened the file.  A
 * thread caught "running" (still queueing WRITEs, or just woken by one that
 * completed) is identified by its kernel stack, else read again a few
 * times within RETRY_BUDGET_US.
 *
 * Results are not cached: the scan is a handful of preads, and writeback
 * WRITEs are large, so its cost is small next to theirs, while a cached
 * answer would be wrong exactly at the edges (a msync that just began).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "requester.h"
#include "writeback_scan.h"

#define RETRY_BUDGET_US	1000
#define RETRY_SLEEP_US	50

struct opener_set {
	uint64_t file_id;	/* 0: free */
	uint64_t last_use;
	uint32_t tgids[WB_TGIDS];	/* 0: free */
};

struct writeback_scan {
	struct classifier_config cfg;
	pthread_mutex_t lock;	/* protects files and clock */
	uint64_t clock;
	struct opener_set files[WB_FILES];
};

struct writeback_scan *writeback_scan_new(const struct classifier_config *cfg)
{
	struct writeback_scan *ws = calloc(1, sizeof(*ws));

	if (!ws)
		return NULL;
	ws->cfg = *cfg;
	pthread_mutex_init(&ws->lock, NULL);
	return ws;
}

void writeback_scan_free(struct writeback_scan *ws)
{
	if (!ws)
		return;
	pthread_mutex_destroy(&ws->lock);
	free(ws);
}

/* The set for file_id; with create, a new (or the least recently used) one. */
static struct opener_set *set_of(struct writeback_scan *ws, uint64_t file_id, bool create)
{
	struct opener_set *victim = &ws->files[0];

	for (int i = 0; i < WB_FILES; i++) {
		struct opener_set *s = &ws->files[i];

		if (s->file_id == file_id) {
			s->last_use = ++ws->clock;
			return s;
		}
		if (s->last_use < victim->last_use)
			victim = s;
	}
	if (!create)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	victim->file_id = file_id;
	victim->last_use = ++ws->clock;
	return victim;
}

static bool tgid_alive(uint32_t tgid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%u", tgid);
	return access(path, F_OK) == 0;
}

void writeback_note_opener(struct writeback_scan *ws, uint64_t file_id, uint32_t tgid)
{
	struct opener_set *s;
	int free_slot = -1;

	pthread_mutex_lock(&ws->lock);
	s = set_of(ws, file_id, true);
	for (int i = 0; i < WB_TGIDS; i++) {
		if (s->tgids[i] == tgid)
			goto out;
		if (free_slot < 0 && !s->tgids[i])
			free_slot = i;
	}
	/* Full: make room by dropping the dead (bounded, at most WB_TGIDS access()). */
	for (int i = 0; i < WB_TGIDS && free_slot < 0; i++)
		if (!tgid_alive(s->tgids[i]))
			free_slot = i;
	s->tgids[free_slot < 0 ? 0 : free_slot] = tgid;
out:
	pthread_mutex_unlock(&ws->lock);
}

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/*
 * Entry points that show on a kernel stack (fs/proc/base.c proc_pid_stack)
 * while a thread is inside these syscalls, matched as "sys_<name>+" so that
 * __x64_sys_, __do_sys_ and __arm64_sys_ variants all match.
 */
static const struct {
	const char *symbol;
	int32_t nr;
} stack_syscalls[] = {
	{ "sys_msync+", SYS_msync },
	{ "sys_fsync+", SYS_fsync },
	{ "sys_fdatasync+", SYS_fdatasync },
	{ "sys_sync_file_range+", SYS_sync_file_range },
	{ "sys_close+", SYS_close },
	{ "sys_close_range+", SYS_close_range },
	{ "sys_dup3+", SYS_dup3 },
#ifdef SYS_dup2
	{ "sys_dup2+", SYS_dup2 },
#endif
	{ "sys_munmap+", SYS_munmap },
	{ "do_exit+", SYS_exit_group },
	{ "sys_execve+", SYS_execve },
	{ "sys_sync+", SYS_sync },
	{ "sys_syncfs+", SYS_syncfs },
	{ "exc_page_fault+", TRACE_SYSCALL_FAULT },
};

/*
 * A thread that is runnable but not blocked shows "running" in /proc
 * syscall: typically one inside msync/close still queueing WRITEs
 * (writeback_iter) or just woken by a completed WRITE.  Its kernel stack
 * still says where it is.  Root only (CAP_SYS_ADMIN); empty for a thread
 * on a CPU right now.
 */
static void syscall_from_stack(int task_dir, const char *tid, struct requester_state *st)
{
	char path[300], text[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/stack", tid);
	fd = openat(task_dir, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return;
	text[n] = '\0';
	for (size_t i = 0; i < sizeof(stack_syscalls) / sizeof(stack_syscalls[0]); i++) {
		if (strstr(text, stack_syscalls[i].symbol)) {
			st->running = false;
			st->nr = stack_syscalls[i].nr;
			return;
		}
	}
}

/* One thread's syscall; a running one is looked up on its kernel stack
 * and re-read while budget remains. */
static void read_thread(int task_dir, const char *tid, int64_t deadline,
			struct requester_state *st)
{
	char path[300], line[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/syscall", tid);
	fd = openat(task_dir, path, O_RDONLY | O_CLOEXEC);
	st->readable = false;
	if (fd < 0)
		return;
	for (;;) {
		n = pread(fd, line, sizeof(line) - 1, 0);
		if (n <= 0)
			break;
		requester_parse_syscall(line, (size_t)n, st);
		if (st->running)
			syscall_from_stack(task_dir, tid, st);
		if (!st->running || now_us() >= deadline)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = RETRY_SLEEP_US * 1000 }, NULL);
	}
	close(fd);
}

struct scan {
	enum trace_trigger trigger;
	int32_t nr;
	bool unseen;		/* some thread could not be read, or stayed running
				 * without a telling kernel stack */
	int64_t deadline;
};

/* Look at the threads of tgid (none if it is gone: its exit is over). */
static void scan_process(struct writeback_scan *ws, uint32_t tgid, struct scan *sc)
{
	char path[32];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%u/task", tgid);
	dir = opendir(path);
	if (!dir) {
		sc->unseen |= errno != ENOENT;
		return;
	}
	while ((d = readdir(dir)) && n < WB_THREADS) {
		struct requester_state st = { 0 };
		enum trace_trigger t;

		if (d->d_name[0] == '.')
			continue;
		n++;
		read_thread(dirfd(dir), d->d_name, sc->deadline, &st);
		if (!st.readable || st.running) {
			sc->unseen = true;
			continue;
		}
		t = classify_trigger_of(&ws->cfg, st.nr);
		if (classify_trigger_pick(sc->trigger, t) != sc->trigger) {
			sc->trigger = t;
			sc->nr = st.nr;
		}
	}
	closedir(dir);
}

enum trace_trigger writeback_find_trigger(struct writeback_scan *ws, uint64_t file_id,
					  int32_t *nr)
{
	struct scan sc = { TRACE_TRIGGER_NONE, TRACE_SYSCALL_NONE, false,
			   now_us() + RETRY_BUDGET_US };
	uint32_t tgids[WB_TGIDS] = { 0 };
	struct opener_set *s;

	pthread_mutex_lock(&ws->lock);
	s = set_of(ws, file_id, false);
	if (s)
		memcpy(tgids, s->tgids, sizeof(tgids));
	pthread_mutex_unlock(&ws->lock);

	for (int i = 0; i < WB_TGIDS; i++)
		if (tgids[i])
			scan_process(ws, tgids[i], &sc);
	*nr = sc.nr;
	if (sc.trigger != TRACE_TRIGGER_NONE)
		return sc.trigger;
	/* Nobody that has the file is flushing it: the kernel started it.
	 * Unless a thread could not be seen: then we do not know. */
	return sc.unseen ? TRACE_TRIGGER_UNKNOWN : TRACE_TRIGGER_FLUSHER;
}
