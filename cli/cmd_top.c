/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_top.c - "accessfs top MOUNTPOINT-or-TRACE": a top-style view of what
 * a mount is doing: per file and per process, requests and megabytes by
 * access method, refreshed every second.  Like filetop, but the columns
 * say how the data was reached (read(), mmap faults, writeback...).
 *
 * It reads only the trace (following it as the daemon appends), never the
 * daemon: for a mountpoint it finds the trace path from the daemon's
 * runtime file /run/accessfs/<pid> if there is one, else from the daemon's
 * command line (-o trace=PATH).  The first frame shows everything so far;
 * each later frame shows the last interval.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "commands.h"
#include "event_source.h"
#include "io_tally.h"
#include "mount_table.h"
#include "runtime_file.h"
#include "size_arg.h"
#include "trace_follow.h"

#define TOP_FILE_ROWS		15
#define TOP_PROC_ROWS		8

struct top {
	struct trace_follow *follow;
	struct event_filter filter;
	bool filter_started;	/* --since and --until count from the trace's start */
	char entry[8192];
	struct io_tally_map files, procs;
	struct io_tally interval;
	bool first;		/* the first frame covers the trace so far */
};

static volatile sig_atomic_t top_quit;

static void top_on_signal(int sig)
{
	(void)sig;
	top_quit = 1;
}

/* From a daemon's runtime file "mountpoint\ttrace\n", if it is for mnt. */
static int trace_from_runtime_file(const char *file, const char *mnt, char *trace, size_t len)
{
	char line[2 * PATH_MAX + 2], *tab;
	FILE *f = fopen(file, "re");
	int found = 0;

	if (!f)
		return 0;
	if (fgets(line, sizeof(line), f) && (tab = strchr(line, '\t'))) {
		*tab++ = '\0';
		tab[strcspn(tab, "\n")] = '\0';
		if (strcmp(line, mnt) == 0 && snprintf(trace, len, "%s", tab) < (int)len)
			found = 1;
	}
	fclose(f);
	return found;
}

/* The value of trace= in an -o option list ("a,trace=/x,b"), or NULL. */
static const char *trace_option(char *opts)
{
	char *save, *o;

	for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save))
		if (strncmp(o, "trace=", 6) == 0)
			return o + 6;
	return NULL;
}

/* p as seen from dir: p itself if absolute.  0 if it does not fit. */
static int path_from(char *out, size_t len, const char *dir, const char *p)
{
	int n = p[0] == '/' ? snprintf(out, len, "%s", p) : snprintf(out, len, "%s/%s", dir, p);

	return n >= 0 && (size_t)n < len;
}

/* Does /proc/<pid> run with mnt (as resolved from its cwd) among its arguments? */
static int trace_from_cmdline(const char *pid, const char *mnt, char *trace, size_t len)
{
	char path[PATH_MAX], args[8192], cwd[PATH_MAX], abs[PATH_MAX], real[PATH_MAX];
	const char *found = NULL;
	bool has_mnt = false;
	ssize_t n, cwd_len;
	FILE *f;

	if (!path_from(path, sizeof(path), "/proc", pid) ||
	    strlen(path) + 8 >= sizeof(path) || !(f = fopen(strcat(path, "/cmdline"), "re")))
		return 0;
	n = (ssize_t)fread(args, 1, sizeof(args) - 1, f);
	fclose(f);
	strcpy(path + strlen(path) - strlen("cmdline"), "cwd");
	cwd_len = readlink(path, cwd, sizeof(cwd) - 1);
	if (n <= 0 || cwd_len < 0)
		return 0;
	args[n] = '\0';
	cwd[cwd_len] = '\0';
	for (char *a = args; a < args + n; a += strlen(a) + 1) {
		const char *t;

		if (path_from(abs, sizeof(abs), cwd, a) && realpath(abs, real) &&
		    strcmp(real, mnt) == 0)
			has_mnt = true;
		else if (!found && (t = trace_option(a)))
			found = t;
	}
	if (!has_mnt || !found)
		return 0;
	return path_from(trace, len, cwd, found);
}

/* Search dir's entries with fn; returns 1 when one matched. */
static int top_search_dir(const char *dir, const char *mnt, char *trace, size_t len,
			  int (*fn)(const char *entry, const char *mnt, char *trace, size_t len))
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d)))
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
			found = fn(e->d_name, mnt, trace, len);
	closedir(d);
	return found;
}

static int runtime_entry(const char *entry, const char *mnt, char *trace, size_t len)
{
	char path[PATH_MAX];

	return path_from(path, sizeof(path), RUNTIME_FILE_DIR, entry) &&
	       trace_from_runtime_file(path, mnt, trace, len);
}

/* The trace a mount at mnt is writing; -1 after a one-line message. */
static int top_find_trace(const char *arg, char *trace, size_t len)
{
	char mnt[PATH_MAX], fstype[64];

	if (!realpath(arg, mnt)) {
		fprintf(stderr, "accessfs top: %s: %s\n", arg, strerror(errno));
		return -1;
	}
	if (mount_table_top(mnt, fstype, sizeof(fstype)) < 0 || !mount_table_is_fuse(fstype)) {
		fprintf(stderr, "accessfs top: %s: not a FUSE mount point\n", arg);
		return -1;
	}
	if (top_search_dir(RUNTIME_FILE_DIR, mnt, trace, len, runtime_entry) ||
	    top_search_dir("/proc", mnt, trace, len, trace_from_cmdline))
		return 0;
	fprintf(stderr, "accessfs top: %s: cannot find its trace (no accessfs daemon "
		"with -o trace=PATH for it)\n", arg);
	return -1;
}

static void top_count(void *arg, struct trace_reader *r, const struct trace_event *ev)
{
	struct top *t = arg;
	struct io_tally_entry *file, *proc;
	struct source_event e;

	if (!t->filter_started) {
		uint64_t start = event_source_header_start(r);

		event_filter_set_start(&t->filter, start ? start : ev->start_ns);
		t->filter_started = true;
	}
	if (!event_source_resolve(r, ev, &t->filter, t->entry, sizeof(t->entry), &e))
		return;
	if (!io_tally_add(&t->interval, ev))
		return;
	file = io_tally_map_get(&t->files, ev->file_id);
	proc = io_tally_map_get(&t->procs, ev->pid);
	if (!file || !proc)
		return;
	io_tally_add(&file->tally, ev);
	io_tally_add(&proc->tally, ev);
	if (!file->label[0] && e.path)
		snprintf(file->label, sizeof(file->label), "/%.*s", (int)e.path_len, e.path);
	if (!proc->label[0] && ev->pid == 0)
		snprintf(proc->label, sizeof(proc->label), "(kernel)");
	else if (!proc->label[0] && e.proc)
		snprintf(proc->label, sizeof(proc->label), "%s[%u]", e.proc->comm, ev->pid);
}

static void top_print_table(const char *what, struct io_tally_map *m, size_t rows)
{
	size_t n;
	struct io_tally_entry **v = io_tally_map_sorted(m, &n);

	printf("%8s %8s %8s", "REQS", "READS", "WRITES");
	for (int c = 0; c < IO_NCOLUMNS; c++)
		printf(" %9s", io_column_heading(c));
	printf("  %s (MB)\n", what);
	for (size_t i = 0; v && i < n && i < rows; i++) {
		const struct io_tally *t = &v[i]->tally;

		printf("%8" PRIu64 " %8" PRIu64 " %8" PRIu64, t->requests, t->reads, t->writes);
		for (int c = 0; c < IO_NCOLUMNS; c++)
			printf(" %9.1f", (double)t->bytes[c] / 1e6);
		if (v[i]->label[0])
			printf("  %s\n", v[i]->label);
		else
			printf("  #%" PRIu64 "\n", v[i]->key);
	}
	if (n > rows)
		printf("%8s ... %zu more\n", "", n - rows);
	free(v);
}

static void top_frame(struct top *t, const char *trace, bool clear, double seconds)
{
	const struct io_tally *s = &t->interval;

	if (clear)
		printf("\033[H\033[2J");
	printf("accessfs top - %s - %s: %" PRIu64 " requests, %.1f MB read, %.1f MB written%s\n\n",
	       trace, t->first ? "so far" : "last interval", s->requests,
	       (double)io_tally_read_bytes(s) / 1e6, (double)io_tally_write_bytes(s) / 1e6,
	       trace_follow_ended(t->follow) ? " (trace ended)" : "");
	top_print_table("FILE", &t->files, TOP_FILE_ROWS);
	printf("\n");
	top_print_table("PROCESS", &t->procs, TOP_PROC_ROWS);
	if (clear)
		printf("\n%.0f s refresh; q or Ctrl-C quits\n", seconds);
	fflush(stdout);
	memset(&t->interval, 0, sizeof(t->interval));
	io_tally_map_clear(&t->files);
	io_tally_map_clear(&t->procs);
	t->first = false;
}

/* Sleep seconds, or less if q is typed on the terminal or a signal comes. */
static void top_wait(double seconds, bool keys)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	char c;

	if (!keys) {
		struct timespec ts = { (time_t)seconds, 0 };

		nanosleep(&ts, NULL);
		return;
	}
	if (poll(&p, 1, (int)(seconds * 1000)) == 1 && read(0, &c, 1) == 1 &&
	    (c == 'q' || c == 'Q'))
		top_quit = 1;
}

static int top_parse(int argc, char **argv, struct top *t, uint64_t *iterations,
		     const char **target)
{
	static const struct option opts[] = {
		{ "once", no_argument, NULL, '1' },
		{ "help", no_argument, NULL, 'h' },
		EVENT_FILTER_LONG_OPTIONS,
		{ 0 }
	};
	char err[256];
	int c, idx;

	event_filter_init(&t->filter);
	while ((c = getopt_long(argc, argv, "n:h", opts, &idx)) != -1) {
		switch (c) {
		case 'n':
			if (size_arg_parse("accessfs top", "-n", optarg, iterations) < 0)
				return -1;
			break;
		case '1':
			*iterations = 1;
			break;
		case EVENT_FILTER_GETOPT:
			if (event_filter_getopt(&t->filter, &opts[idx], optarg, err,
						sizeof(err)) < 0) {
				fprintf(stderr, "accessfs top: %s\n", err);
				return -1;
			}
			break;
		case 'h':
			printf("usage: accessfs top [-n N | --once] [filters] MOUNTPOINT-or-TRACE\n"
			       "Per file and per process: reads, writes and MB by access method,\n"
			       "refreshed every second (the first frame: the trace so far).\n"
			       "filters (as in dump):\n%s", event_filter_usage);
			exit(0);
		default:
			return -1;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "accessfs top: need one MOUNTPOINT or TRACE\n");
		return -1;
	}
	*target = argv[optind];
	return 0;
}

/* The trace to follow: the argument itself, or the one its mount writes. */
static int top_trace_path(const char *target, char *trace, size_t len)
{
	struct stat st;
	struct trace_reader *r;
	char err[256];

	if (stat(target, &st) < 0) {
		fprintf(stderr, "accessfs top: %s: %s\n", target, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return top_find_trace(target, trace, len);
	r = trace_reader_open(target, err, sizeof(err));
	if (!r) {
		fprintf(stderr, "accessfs top: %s\n", err);
		return -1;
	}
	trace_reader_close(r);
	snprintf(trace, len, "%s", target);
	return 0;
}

int cmd_top(int argc, char **argv)
{
	struct top t = { .first = true };
	struct termios saved, raw;
	uint64_t iterations = 0;	/* 0: until q */
	const char *target;
	char trace[PATH_MAX];
	bool keys, clear = isatty(1);

	argv[0] = "accessfs top";
	if (top_parse(argc, argv, &t, &iterations, &target) < 0 ||
	    top_trace_path(target, trace, sizeof(trace)) < 0)
		return 2;
	t.follow = trace_follow_new(trace);
	keys = isatty(0) && tcgetattr(0, &saved) == 0;
	if (keys) {
		raw = saved;
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		tcsetattr(0, TCSANOW, &raw);
	}
	signal(SIGINT, top_on_signal);
	signal(SIGTERM, top_on_signal);
	for (uint64_t i = 0; !top_quit && (!iterations || i < iterations); i++) {
		if (i)
			top_wait(1.0, keys);
		if (trace_follow_poll(t.follow, top_count, &t) < 0) {
			fprintf(stderr, "accessfs top: %s\n", trace_follow_error(t.follow));
			break;
		}
		if (!top_quit)
			top_frame(&t, trace, clear && iterations != 1, 1.0);
	}
	if (keys)
		tcsetattr(0, TCSANOW, &saved);
	trace_follow_free(t.follow);
	io_tally_map_free(&t.files);
	io_tally_map_free(&t.procs);
	return 0;
}
