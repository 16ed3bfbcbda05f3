/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_run.c - "accessfs run [options] -- COMMAND [ARGS...]": mount accessfs
 * over a directory (in place, so the program uses its usual paths), run the
 * command, unmount, report, and exit with the command's status.
 *
 * Everything accessfs does is done by other processes: the daemon is this
 * program again with -f (its own process group, so a Ctrl-C reaches only
 * the command), the report is "accessfs report".  This file only
 * sequences them and guarantees the one promise run makes: whatever
 * happens (mount failure, command not found, signals), nothing is left
 * mounted and the trace is complete when run exits.
 *
 * Where the system allows, the mount lives in a private mount namespace
 * shared by the daemon and the command: no other process sees it, and it
 * could not outlive them.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "child_process.h"
#include "commands.h"
#include "live_view.h"
#include "mount_table.h"

#define RUN_MOUNT_TIMEOUT_S	10.0	/* daemon start to mount visible */
#define RUN_KILL_GRACE_S	5.0	/* forwarded signal to SIGKILL */
#define RUN_DAEMON_EXIT_S	30.0	/* unmount to the trace closed */
#define RUN_UNMOUNT_BUSY_S	3.0	/* retry a busy unmount, then detach */

struct run {
	/* options */
	char source[PATH_MAX];
	char mountpoint[PATH_MAX];
	char trace[PATH_MAX];
	const char *daemon_opts;
	const char *report_file;
	const char *format;
	bool no_report, quiet, no_namespace;
	char **command;
	/* state */
	char cwd[PATH_MAX];
	int mount_id;		/* ours at mountpoint; -1 until mounted */
	pid_t daemon, child;
	int child_status;
	int signals;		/* INT/TERM/HUP received */
	struct timespec kill_at;
};

static void run_usage(FILE *out)
{
	fprintf(out,
		"usage: accessfs run [options] -- COMMAND [ARGS...]\n"
		"Mount accessfs over a directory, run COMMAND, report its I/O, and\n"
		"exit with COMMAND's status.\n\n"
		"  --dir DIR          mount in place over DIR (default: the current directory)\n"
		"  --mount MNT --source SRC   serve SRC at MNT instead\n"
		"  --trace PATH       trace file (default accessfs-HOST-DATE-PID.trace here)\n"
		"  -o OPTS            daemon options (async_read, max_readahead=N, classify=0...)\n"
		"  --report FILE      write the report to FILE instead of stderr\n"
		"  --format FMT       report format: text (default), json, csv, html\n"
		"  --no-report        only write the trace\n"
		"  -q, --quiet        no live view on the terminal\n"
		"  --no-namespace     mount for all processes, not in a private namespace\n");
}

/* One line on stderr, "accessfs run: <what>"; returns -1 for the caller. */
__attribute__((format(printf, 1, 2)))
static int run_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "accessfs run: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* Canonical absolute path of an existing directory. */
static int run_directory(const char *path, char *out)
{
	struct stat st;

	if (!realpath(path, out))
		return run_error("%s: %s", path, strerror(errno));
	if (stat(out, &st) < 0 || !S_ISDIR(st.st_mode))
		return run_error("%s: %s", path, strerror(ENOTDIR));
	return 0;
}

/* Whether path is dir or below it (both canonical and absolute). */
static bool path_is_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0' || n == 1);
}

/*
 * The default trace name, like the daemon's, in the current directory;
 * beside the mountpoint if the current directory is inside it, because
 * the daemon cannot write its trace through itself.
 */
static int run_default_trace(struct run *r)
{
	char host[64] = "host", date[32], dir[PATH_MAX];
	time_t now = time(NULL);
	struct tm tm;

	snprintf(dir, sizeof(dir), "%s", r->cwd);
	if (path_is_under(dir, r->mountpoint)) {
		snprintf(dir, sizeof(dir), "%s", r->mountpoint);
		*(strrchr(dir, '/') + (strrchr(dir, '/') == dir)) = '\0';
	}
	gethostname(host, sizeof(host) - 1);
	strftime(date, sizeof(date), "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
	if (snprintf(r->trace, sizeof(r->trace), "%s/accessfs-%s-%s-%d.trace",
		     strcmp(dir, "/") ? dir : "", host, date, (int)getpid()) >= (int)sizeof(r->trace))
		return run_error("%s: %s", dir, strerror(ENAMETOOLONG));
	return 0;
}

/* An absolute trace path that the daemon's -o trace= can carry. */
static int run_trace_path(struct run *r, const char *given)
{
	char dir[PATH_MAX], real[PATH_MAX];

	if (!given)
		return run_default_trace(r);
	if (strchr(given, ','))
		return run_error("--trace %s: commas cannot pass through -o", given);
	if (given[0] == '/')
		snprintf(r->trace, sizeof(r->trace), "%s", given);
	else if (snprintf(r->trace, sizeof(r->trace), "%s/%s", r->cwd, given) >=
		 (int)sizeof(r->trace))
		return run_error("%s: %s", given, strerror(ENAMETOOLONG));
	snprintf(dir, sizeof(dir), "%s", r->trace);
	*strrchr(dir, '/') = '\0';
	if (!realpath(dir[0] ? dir : "/", real))
		return run_error("--trace %s: %s", given, strerror(errno));
	if (path_is_under(real, r->mountpoint))
		return run_error("--trace %s: inside the mounted directory %s; the daemon "
				 "cannot write its trace through itself", given, r->mountpoint);
	return 0;
}

/* Like a shell: 127 "command not found", 126 found but not executable. */
static int run_check_command(const char *cmd)
{
	const char *path = getenv("PATH");
	char full[PATH_MAX];

	if (strchr(cmd, '/')) {
		if (access(cmd, X_OK) == 0)
			return 0;
		run_error("%s: %s", cmd, strerror(errno));
		return errno == ENOENT ? 127 : 126;
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		struct stat st;

		snprintf(full, sizeof(full), "%.*s/%s", (int)len, len ? path : ".", cmd);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0)
			return 0;
		path += len + (path[len] == ':');
	}
	run_error("%s: command not found", cmd);
	return 127;
}

enum { OPT_DIR = 256, OPT_MOUNT, OPT_SOURCE, OPT_TRACE, OPT_REPORT, OPT_FORMAT,
       OPT_NO_REPORT, OPT_NO_NAMESPACE };

static int run_parse(int argc, char **argv, struct run *r)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, OPT_DIR },
		{ "mount", required_argument, NULL, OPT_MOUNT },
		{ "source", required_argument, NULL, OPT_SOURCE },
		{ "trace", required_argument, NULL, OPT_TRACE },
		{ "report", required_argument, NULL, OPT_REPORT },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "no-report", no_argument, NULL, OPT_NO_REPORT },
		{ "no-namespace", no_argument, NULL, OPT_NO_NAMESPACE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *dir = NULL, *mnt = NULL, *src = NULL, *trace = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "+o:qh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DIR: dir = optarg; break;
		case OPT_MOUNT: mnt = optarg; break;
		case OPT_SOURCE: src = optarg; break;
		case OPT_TRACE: trace = optarg; break;
		case OPT_REPORT: r->report_file = optarg; break;
		case OPT_FORMAT: r->format = optarg; break;
		case OPT_NO_REPORT: r->no_report = true; break;
		case OPT_NO_NAMESPACE: r->no_namespace = true; break;
		case 'o': r->daemon_opts = optarg; break;
		case 'q': r->quiet = true; break;
		case 'h': run_usage(stdout); exit(0);
		default: return -1;	/* getopt said what */
		}
	}
	if (optind >= argc)
		return run_error("no command to run (accessfs run [options] -- COMMAND)");
	r->command = argv + optind;
	if (dir && (mnt || src))
		return run_error("--dir cannot be combined with --mount/--source");
	if (!mnt != !src)
		return run_error("--mount and --source go together");
	if (r->format && strcmp(r->format, "text") && strcmp(r->format, "json") &&
	    strcmp(r->format, "csv") && strcmp(r->format, "html"))
		return run_error("--format %s: not one of text, json, csv, html", r->format);
	if (!getcwd(r->cwd, sizeof(r->cwd)))
		return run_error("%s: %s", "current directory", strerror(errno));
	if (run_directory(src ? src : dir ? dir : ".", r->source) < 0 ||
	    run_directory(mnt ? mnt : r->source, r->mountpoint) < 0)
		return -1;
	return run_trace_path(r, trace);
}

/*
 * A private mount namespace whose mounts do not propagate back out.
 * Returns NULL, or why the mount will be visible to all processes.
 */
static const char *run_enter_namespace(const struct run *r)
{
	if (r->no_namespace)
		return "--no-namespace";
	if (unshare(CLONE_NEWNS) < 0)
		return strerror(errno);
	/* Slave: mounts made outside still appear inside, ours never leave. */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return strerror(errno);
	return NULL;
}

static void run_say_where(const struct run *r, const char *no_namespace)
{
	if (no_namespace)
		fprintf(stderr, "accessfs run: %s mounted for all processes (no namespace: %s)\n",
			r->mountpoint, no_namespace);
	else
		fprintf(stderr, "accessfs run: %s mounted in a private mount namespace\n",
			r->mountpoint);
}

/* The signals run handles synchronously: blocked from the start. */
static void run_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGCHLD);
}

/*
 * Wait for the next INT/TERM/HUP/CHLD (blocked since the start) for up to
 * timeout_s; returns the signal or 0.  Interruptions are counted.
 */
static int run_next_signal(struct run *r, double timeout_s, siginfo_t *si)
{
	sigset_t set;
	struct timespec ts = {
		.tv_sec = (time_t)timeout_s,
		.tv_nsec = (long)((timeout_s - (double)(time_t)timeout_s) * 1e9),
	};
	int sig;

	run_signals(&set);
	sig = sigtimedwait(&set, si, &ts);
	if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)
		r->signals++;
	return sig < 0 ? 0 : sig;
}

static int run_start_daemon(struct run *r)
{
	char opt[PATH_MAX + 4096];
	char *argv[] = { "accessfs", "-f", "-o", opt, r->source, r->mountpoint, NULL };
	/* Own group: a Ctrl-C is for the command.  If run is killed, unmount. */
	struct child_opts o = { .stdout_fd = -1, .own_pgrp = true, .die_with_parent = true };

	snprintf(opt, sizeof(opt), "trace=%s%s%s", r->trace, r->daemon_opts ? "," : "",
		 r->daemon_opts ? r->daemon_opts : "");
	r->daemon = child_spawn_self(argv, &o);
	if (r->daemon < 0)
		return run_error("cannot start the daemon: %s", strerror(errno));
	return 0;
}

/* Until the daemon's mount appears over mountpoint, it exits, or a signal. */
static int run_wait_mounted(struct run *r, int before)
{
	char fstype[64];
	siginfo_t si;
	int status;

	for (double t = 0; t < RUN_MOUNT_TIMEOUT_S; t += 0.02) {
		int id = mount_table_top(r->mountpoint, fstype, sizeof(fstype));

		if (id >= 0 && id != before && mount_table_is_fuse(fstype)) {
			r->mount_id = id;
			return 0;
		}
		if (child_wait(r->daemon, &status, 0)) {
			r->daemon = -1;
			return run_error("the daemon could not mount %s (exit status %d)",
					 r->mountpoint, child_exit_code(status));
		}
		if (run_next_signal(r, 0.02, &si) && r->signals)
			return run_error("interrupted while mounting");
	}
	return run_error("%s: the daemon did not mount it in time", r->mountpoint);
}

static int run_start_command(struct run *r)
{
	struct child_opts o = { .stdout_fd = -1, .chdir = r->cwd };
	int e;

	/* chdir(cwd) again: the old cwd is the directory under the mount. */
	r->child = child_spawn(r->command, &o);
	if (r->child >= 0)
		return 0;
	e = errno;
	run_error("%s: %s", r->command[0], e == ENOENT ? "command not found" : strerror(e));
	r->child_status = (e == ENOENT ? 127 : 126) << 8;
	return -1;
}

static void run_forward_signal(struct run *r, int sig, const siginfo_t *si)
{
	/* A terminal's ^C (si_code SI_KERNEL) reached the command already. */
	if (si->si_code != SI_KERNEL)
		kill(r->child, sig);
	if (r->signals > 1) {
		kill(r->child, SIGKILL);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &r->kill_at);
	r->kill_at.tv_sec += (time_t)RUN_KILL_GRACE_S;
}

static bool run_kill_due(const struct run *r)
{
	struct timespec now;

	if (!r->signals)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > r->kill_at.tv_sec ||
	       (now.tv_sec == r->kill_at.tv_sec && now.tv_nsec >= r->kill_at.tv_nsec);
}

/* Wait for the command, forwarding signals and refreshing the live view. */
static void run_supervise(struct run *r, struct live_view *live)
{
	siginfo_t si;

	for (;;) {
		int sig = run_next_signal(r, live ? 1.0 : 0.25, &si);

		if (child_wait(r->child, &r->child_status, 0))
			return;
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)
			run_forward_signal(r, sig, &si);
		else if (run_kill_due(r))
			kill(r->child, SIGKILL);
		if (live && sig != SIGCHLD)
			live_view_update(live);
	}
}

/* Only ever unmount our own mount: never what was at mountpoint before. */
static bool run_still_mounted(const struct run *r)
{
	char fstype[64];

	return r->mount_id >= 0 &&
	       mount_table_top(r->mountpoint, fstype, sizeof(fstype)) == r->mount_id;
}

static void run_fusermount(const struct run *r, const char *flag)
{
	char *argv[] = { "fusermount3", (char *)flag, (char *)r->mountpoint, NULL };
	struct child_opts o = { .stdout_fd = -1 };
	pid_t pid = child_spawn(argv, &o);
	int status;

	if (pid > 0)
		child_wait(pid, &status, -1);
}

/*
 * Unmount; if something still uses the mount (a background process of the
 * command), retry for a while, then detach it lazily: it disappears from
 * the namespace now and the daemon exits when the last file is closed.
 */
static void run_unmount(struct run *r)
{
	for (double t = 0; run_still_mounted(r); t += 0.1) {
		bool lazy = t >= RUN_UNMOUNT_BUSY_S;

		if (umount2(r->mountpoint, lazy ? MNT_DETACH : 0) == 0)
			break;
		if (errno == EPERM)
			run_fusermount(r, lazy ? "-uz" : "-u");
		else if (lazy)
			break;
		if (lazy)
			fprintf(stderr, "accessfs run: %s was busy; detached it\n", r->mountpoint);
		usleep(100 * 1000);
	}
	if (run_still_mounted(r))
		fprintf(stderr, "accessfs run: could not unmount %s\n", r->mountpoint);
}

/* The daemon closes the trace after the unmount; then the trace is complete. */
static int run_stop_daemon(struct run *r)
{
	int status = 0;

	if (r->daemon < 0)
		return 0;
	if (!child_wait(r->daemon, &status, RUN_DAEMON_EXIT_S)) {
		fprintf(stderr, "accessfs run: the daemon did not exit; stopping it\n");
		kill(r->daemon, SIGTERM);
		if (!child_wait(r->daemon, &status, RUN_KILL_GRACE_S)) {
			kill(r->daemon, SIGKILL);
			child_wait(r->daemon, &status, -1);
		}
	}
	r->daemon = -1;
	if (status)
		fprintf(stderr, "accessfs run: the daemon exited with status %d\n",
			child_exit_code(status));
	return status ? -1 : 0;
}

static int run_report(const struct run *r)
{
	char *argv[9] = { "accessfs", "report", "--format",
			  (char *)(r->format ? r->format : "text") };
	/* Without --report the report is for the person at the terminal. */
	struct child_opts o = { .stdout_fd = r->report_file ? -1 : 2 };
	int n = 4, status;
	pid_t pid;

	if (r->report_file) {
		argv[n++] = "-o";
		argv[n++] = (char *)r->report_file;
	}
	argv[n++] = (char *)r->trace;
	argv[n] = NULL;
	pid = child_spawn_self(argv, &o);
	if (pid < 0 || !child_wait(pid, &status, -1) || status) {
		fprintf(stderr, "accessfs run: the report failed; the trace is %s\n", r->trace);
		return -1;
	}
	return 0;
}

/* After the mount: run the command under the live view, then unmount. */
static void run_command_mounted(struct run *r)
{
	struct live_view *live = NULL;

	if (!r->quiet && isatty(2))
		live = live_view_new(r->trace, stderr);
	if (run_start_command(r) == 0)
		run_supervise(r, live);
	live_view_free(live);
}

int cmd_run(int argc, char **argv)
{
	struct run r = { .mount_id = -1, .daemon = -1, .child = -1 };
	sigset_t block;
	const char *no_namespace;
	char fstype[64];
	int before, failed, rc;

	argv[0] = "accessfs run";	/* for getopt's messages */
	if (run_parse(argc, argv, &r) < 0)
		return 2;
	rc = run_check_command(r.command[0]);
	if (rc)
		return rc;
	run_signals(&block);
	sigprocmask(SIG_BLOCK, &block, NULL);

	no_namespace = run_enter_namespace(&r);
	before = mount_table_top(r.mountpoint, fstype, sizeof(fstype));
	failed = run_start_daemon(&r) < 0 || run_wait_mounted(&r, before) < 0;
	if (!failed) {
		run_say_where(&r, no_namespace);
		run_command_mounted(&r);
	} else if (r.daemon > 0) {
		kill(r.daemon, SIGTERM);	/* it may yet mount: it unmounts on TERM */
	}
	run_unmount(&r);
	run_stop_daemon(&r);
	if (failed)
		return 1;
	rc = child_exit_code(r.child_status);
	if (r.child < 0 || access(r.trace, F_OK) < 0)
		return rc;	/* the command never ran, or -o notrace */
	if (!r.no_report)
		run_report(&r);
	fprintf(stderr, "accessfs run: trace %s\n", r.trace);
	return rc;
}
