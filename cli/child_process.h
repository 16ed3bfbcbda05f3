/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * child_process.h - start and wait for the processes "accessfs run" is
 * made of: the daemon, the command, the report.  Children start with an
 * empty signal mask whatever the parent blocked.
 */
#ifndef ACCESSFS_CHILD_PROCESS_H
#define ACCESSFS_CHILD_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

struct child_opts {
	const char *exe;	/* execv() this path; NULL: execvp(argv[0]) */
	int stdout_fd;		/* dup2() onto 1 in the child; -1: inherit */
	bool own_pgrp;		/* setpgid(0, 0): terminal signals miss it */
	bool die_with_parent;	/* SIGTERM when the parent dies, even by SIGKILL */
	const char *chdir;	/* chdir() here first (re-resolves a cwd), or NULL */
};

/*
 * Start argv.  Returns the pid once the exec succeeded, or -1 with errno
 * set to why it did not (ENOENT...), the child already reaped.
 */
pid_t child_spawn(char *const argv[], const struct child_opts *o);

/* This program again (/proc/self/exe); argv[0] should be "accessfs". */
pid_t child_spawn_self(char *const argv[], const struct child_opts *o);

/*
 * Wait up to timeout_s (< 0: forever) for pid.  Returns 1 with *status
 * set when it exited, 0 on timeout.
 */
int child_wait(pid_t pid, int *status, double timeout_s);

/* A wait status as a shell exit status: the code, or 128 + signal. */
int child_exit_code(int status);

#endif /* ACCESSFS_CHILD_PROCESS_H */
