/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * child_process.c - fork and exec with the exec's failure reported to the
 * parent through a close-on-exec pipe, so "command not found" is known
 * before anything waits on the child.  No shell is ever involved.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "child_process.h"

/*
 * The parent blocks the signals it waits for; dispositions it never
 * changes, so an ignored SIGHUP (nohup) stays ignored in the command.
 */
static void child_unblock_signals(void)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void child_exec(char *const argv[], const struct child_opts *o, pid_t parent,
		       int err_fd)
{
	int e;

	child_unblock_signals();
	if (o->die_with_parent &&
	    (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent))
		_exit(127);	/* the parent is already gone */
	if (o->own_pgrp)
		setpgid(0, 0);
	if (o->stdout_fd >= 0 && dup2(o->stdout_fd, 1) < 0)
		goto fail;
	if (o->chdir && chdir(o->chdir) < 0)
		goto fail;
	if (o->exe)
		execv(o->exe, argv);
	else
		execvp(argv[0], argv);
fail:
	e = errno;
	if (write(err_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

pid_t child_spawn(char *const argv[], const struct child_opts *o)
{
	int fds[2], e = 0, status;
	pid_t pid, parent = getpid();
	ssize_t n;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0)
		child_exec(argv, o, parent, fds[1]);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return -1;
	}
	do
		n = read(fds[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(fds[0]);
	if (n == (ssize_t)sizeof(e)) {
		waitpid(pid, &status, 0);
		errno = e;
		return -1;
	}
	return pid;
}

pid_t child_spawn_self(char *const argv[], const struct child_opts *o)
{
	struct child_opts self = *o;

	self.exe = "/proc/self/exe";
	return child_spawn(argv, &self);
}

int child_wait(pid_t pid, int *status, double timeout_s)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	double waited = 0;

	*status = 0;
	for (;;) {
		pid_t r = waitpid(pid, status, timeout_s < 0 ? 0 : WNOHANG);

		if (r == pid)
			return 1;
		if (r < 0 && errno != EINTR)
			return 1;	/* not our child any more: nothing to wait for */
		if (timeout_s >= 0 && waited >= timeout_s)
			return 0;
		nanosleep(&tick, NULL);
		waited += 0.02;
	}
}

int child_exit_code(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
