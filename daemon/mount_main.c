/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_mount.c - "accessfs [options] SOURCE MOUNTPOINT": check the
 * arguments, open SOURCE before mounting (so a mount over SOURCE itself
 * serves the files underneath), mount, answer the kernel's INIT, detach
 * from the terminal unless -f, and serve until unmounted or signalled.
 *
 * Every problem found before serving is one line on stderr and a non-zero
 * exit with nothing left mounted.  Without -f the process forks first and
 * the parent waits until the child has mounted and opened the trace (or
 * failed), so "accessfs SRC MNT" (and mount -t fuse.accessfs) returns with
 * the mount usable, or with the child's error and exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "creds.h"
#include "daemon.h"
#include "mount_main.h"
#include "runtime_file.h"
#include "trace_hook.h"
#include "session_io.h"
#include "uring_transport.h"

#define AUTO_MAX_FDS	4096u
#define FD_HEADROOM	128u

struct mount_cmd {
	struct mount_options opts;
	bool foreground, debug, single_thread;
	const char *source_arg, *mountpoint_arg;
	char source[PATH_MAX], mountpoint[PATH_MAX];
	char trace[2 * PATH_MAX + 2];
	bool trace_reserved;	/* we created the (still empty) trace file */
	void (*print_commands)(FILE *out);	/* the rest of --help */
};

static void usage(const struct mount_cmd *c, FILE *out)
{
	fprintf(out, "usage: accessfs [options] SOURCE MOUNTPOINT\n"
		"       accessfs <command> [args]\n"
		"Serve SOURCE at MOUNTPOINT and record every request in a trace.\n\n"
		"    -f             stay in the foreground\n"
		"    -d             debug output of every request (implies -f)\n"
		"    -s             single-threaded\n"
		"    -o OPT[,OPT]   mount options, below\n"
		"    -h, --help     this help\n"
		"    -V, --version  versions of accessfs and libfuse\n\n");
	options_print_help(out);
	fprintf(out, "\nUnmount with fusermount3 -u MOUNTPOINT, or SIGINT/SIGTERM; "
		"SIGUSR1 flushes the trace.\n\n");
	if (c->print_commands)
		c->print_commands(out);
}

/* 0 to go on, else 1 + exit status. */
static int parse_args(int argc, char **argv, struct mount_cmd *c)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char err[512];
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "fdso:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			c->foreground = true;
			break;
		case 'd':
			c->debug = c->foreground = true;
			break;
		case 's':
			c->single_thread = true;
			break;
		case 'o':
			if (options_parse(&c->opts, optarg, err, sizeof(err))) {
				fprintf(stderr, "accessfs: %s\n", err);
				return 1 + 2;
			}
			break;
		case 'h':
			usage(c, stdout);
			return 1 + 0;
		case 'V':
			printf("accessfs %s (libfuse %s)\n", ACCESSFS_VERSION, fuse_pkgversion());
			return 1 + 0;
		default:
			fprintf(stderr, "accessfs: see accessfs --help\n");
			return 1 + 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "accessfs: %s (usage: accessfs [options] SOURCE MOUNTPOINT)\n",
			argc - optind < 1 ? "missing SOURCE and MOUNTPOINT" :
			argc - optind < 2 ? "missing MOUNTPOINT" : "too many arguments");
		return 1 + 2;
	}
	c->source_arg = argv[optind];
	c->mountpoint_arg = argv[optind + 1];
	return 0;
}

/* Resolve path to an absolute directory; -1 with the error said. */
static int resolve_dir(const char *path, char *out, const char *role)
{
	struct stat st;

	if (!realpath(path, out) || stat(out, &st)) {
		fprintf(stderr, "accessfs: %s: %s (%s)\n", path, strerror(errno), role);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "accessfs: %s: %s (%s)\n", path, strerror(ENOTDIR), role);
		return -1;
	}
	return 0;
}

static bool path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static void default_trace_name(char *buf, size_t len)
{
	char host[256] = "localhost", stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	gethostname(host, sizeof(host) - 1);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, len, "accessfs-%s-%s-%d.trace", host, stamp, (int)getpid());
}

/*
 * Create the trace file before mounting, so that a trace that exists or
 * cannot be created is refused before anything is mounted (the writer
 * only opens it in the INIT callback, when the mount is already up).
 */
static int reserve_trace(struct mount_cmd *c)
{
	int fd = open(c->trace, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0) {
		fprintf(stderr, "accessfs: %s: %s (trace)\n", c->trace, strerror(errno));
		return -1;
	}
	close(fd);
	c->trace_reserved = true;
	return 0;
}

/* A mount that failed leaves no empty trace file behind. */
static void unreserve_trace(const struct mount_cmd *c)
{
	struct stat st;

	if (c->trace_reserved && stat(c->trace, &st) == 0 && st.st_size == 0)
		unlink(c->trace);
}

/* Absolute trace path, refused inside the mountpoint (it would trace itself). */
static int resolve_trace(struct mount_cmd *c)
{
	char name[PATH_MAX], dir[PATH_MAX], rdir[PATH_MAX];
	const char *given = c->opts.trace_path, *slash, *base;

	if (!given) {
		default_trace_name(name, sizeof(name));
		given = name;
	}
	slash = strrchr(given, '/');
	base = slash ? slash + 1 : given;
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - given) + 1 : 1,
		 slash ? given : ".");
	if (!*base) {
		fprintf(stderr, "accessfs: %s: trace path names a directory\n", given);
		return -1;
	}
	if (!realpath(dir, rdir)) {
		fprintf(stderr, "accessfs: %s: %s (trace directory)\n", dir, strerror(errno));
		return -1;
	}
	snprintf(c->trace, sizeof(c->trace), "%s%s%s", rdir, strcmp(rdir, "/") ? "/" : "", base);
	if (path_within(c->trace, c->mountpoint)) {
		fprintf(stderr, "accessfs: trace %s is inside the mountpoint %s, so it would trace"
			" itself: give -o trace=PATH outside it\n", c->trace, c->mountpoint);
		return -1;
	}
	return reserve_trace(c);
}

static int check_dev_fuse(void)
{
	int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "accessfs: /dev/fuse: %s (is the fuse module loaded?)\n",
			strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

/* Raise the soft descriptor limit to the hard one; bound the O_PATH cache by it. */
static unsigned int fd_budget(const struct mount_options *o)
{
	struct rlimit rl;
	rlim_t n;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return o->max_fds ? o->max_fds : 256;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	n = rl.rlim_cur;
	if (!o->max_fds)
		return (unsigned int)(n / 2 < AUTO_MAX_FDS ? n / 2 : AUTO_MAX_FDS);
	if (n > 2 * FD_HEADROOM && o->max_fds > n - FD_HEADROOM)
		return (unsigned int)(n - FD_HEADROOM);
	return o->max_fds;
}

/* ',' and '\' in an option value must be escaped for libfuse. */
static void append_escaped(char *buf, size_t len, const char *s)
{
	size_t pos = strlen(buf);

	for (; *s && pos + 2 < len; s++) {
		if (*s == ',' || *s == '\\')
			buf[pos++] = '\\';
		buf[pos++] = *s;
	}
	buf[pos] = '\0';
}

static struct fuse_session *new_session(struct mount_cmd *c, struct accessfs_daemon *d)
{
	static struct fuse_lowlevel_ops ops;
	char o[3 * PATH_MAX];
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct fuse_session *se;

	ops_entry_register(&ops);
	ops_file_register(&ops);
	ops_dir_register(&ops);
	ops_xattr_register(&ops);
	ops_fs_register(&ops);
	snprintf(o, sizeof(o), "subtype=accessfs,fsname=");
	append_escaped(o, sizeof(o), c->source);
	snprintf(o + strlen(o), sizeof(o) - strlen(o), "%s%s%s%s%s",
		 c->opts.allow_other ? ",allow_other" : "",
		 options_default_permissions(&c->opts) ? ",default_permissions" : "",
		 c->opts.ro ? ",ro" : "", c->opts.fuse_opts ? "," : "",
		 c->opts.fuse_opts ? c->opts.fuse_opts : "");
	if (fuse_opt_add_arg(&args, "accessfs") || (c->debug && fuse_opt_add_arg(&args, "-d")) ||
	    fuse_opt_add_arg(&args, "-o") || fuse_opt_add_arg(&args, o)) {
		fprintf(stderr, "accessfs: out of memory\n");
		return NULL;
	}
	se = fuse_session_new(&args, &ops, sizeof(ops), d);
	fuse_opt_free_args(&args);
	return se;
}

/* st_dev of the FUSE mount, from mountinfo (a stat would ask ourselves). */
static uint64_t mount_dev_of(const char *mountpoint)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4 * PATH_MAX], mp[2 * PATH_MAX];
	unsigned int maj, min;
	uint64_t dev = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *in, *out;

		if (sscanf(line, "%*u %*u %u:%u %*s %8191s", &maj, &min, mp) != 3)
			continue;
		for (in = out = mp; *in; out++) {	/* undo \040-style escapes */
			if (in[0] == '\\' && in[1] && in[2] && in[3]) {
				*out = (char)strtol((char[]){ in[1], in[2], in[3], 0 }, NULL, 8);
				in += 4;
			} else {
				*out = *in++;
			}
		}
		*out = '\0';
		if (strcmp(mp, mountpoint) == 0)
			dev = makedev(maj, min);	/* the last one is on top */
	}
	fclose(f);
	return dev;
}

/* Answer the kernel's INIT here, so tracing starts (or fails) before we detach. */
static int serve_init(struct fuse_session *se)
{
	struct fuse_buf buf = { .mem = NULL };
	int res;

	do {
		res = fuse_session_receive_buf(se, &buf);
	} while (res == -EINTR && !fuse_session_exited(se));
	if (res > 0)
		fuse_session_process_buf(se, &buf);
	free(buf.mem);
	return res > 0 && !fuse_session_exited(se) ? 0 : -1;
}

/*
 * read_ahead_kb=: the mount's readahead window is its bdi's, which only
 * root may set, and only after the INIT reply (which can lower it, never
 * raise it), so here, once INIT has been answered.  A failure costs the
 * option, not the mount: one line says so.
 */
static void set_read_ahead(const struct accessfs_daemon *d)
{
	char path[64], val[16];
	int fd, len, err = 0;

	if (!d->opts.read_ahead_kb)
		return;
	if (!d->mount_dev) {
		fprintf(stderr, "accessfs: read_ahead_kb: the mount's device is unknown;"
			" the kernel's readahead stays\n");
		return;
	}
	snprintf(path, sizeof(path), "/sys/class/bdi/%u:%u/read_ahead_kb",
		 major(d->mount_dev), minor(d->mount_dev));
	len = snprintf(val, sizeof(val), "%u\n", d->opts.read_ahead_kb);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, val, (size_t)len) != len)
		err = errno;
	if (fd >= 0)
		close(fd);
	if (err)
		fprintf(stderr, "accessfs: read_ahead_kb: cannot set %s: %s; the kernel's readahead stays\n",
			path, strerror(err));
}

/*
 * The session's I/O hooks (session_io.h), for FUSE_HANDLE_KILLPRIV_V2 and
 * FUSE over io_uring: under the session before INIT is read, since the
 * INIT reply is where they are asked for.  Neither wanted: libfuse alone.
 */
static void attach_session_io(struct accessfs_daemon *d)
{
	struct session_io_config cfg = {
		.prog = "accessfs",
		.killpriv_v2 = d->opts.killpriv_v2,
		.uring = d->opts.uring == URING_ON || (d->opts.uring == URING_AUTO && URING_BUILT),
		.quiet_unoffered = d->opts.uring == URING_AUTO,
	};

	if (cfg.killpriv_v2 || cfg.uring)
		d->uring_attached = !session_io_attach(d->se, &cfg) && cfg.uring;
}

static int serve(struct mount_cmd *c, struct fuse_session *se)
{
	struct fuse_loop_config *cfg;
	int res;

	if (c->single_thread)
		return fuse_session_loop(se);
	cfg = fuse_loop_cfg_create();
	if (!cfg)
		return -ENOMEM;
	fuse_loop_cfg_set_max_threads(cfg, c->opts.max_threads);
	fuse_loop_cfg_set_clone_fd(cfg, c->opts.clone_fd);
	res = fuse_session_loop_mt(se, cfg);
	fuse_loop_cfg_destroy(cfg);
	return res;
}

/*
 * libfuse installs its unmount handlers only over default dispositions, but
 * a daemon started with & from a script inherits SIGINT ignored: restore
 * the defaults so SIGINT, SIGTERM and SIGHUP always unmount cleanly.
 */
static void default_exit_signals(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
}

static void on_sigusr1(int sig)
{
	(void)sig;
	trace_hook_request_flush();
}

/*
 * Fork; the parent waits for the child's word (one byte: its exit status
 * if it failed before serving) and exits with it.  Returns the pipe end the
 * child reports on, or -1.
 */
static int fork_daemon(void)
{
	int p[2];
	pid_t pid;
	char st = 1;

	if (pipe2(p, O_CLOEXEC) || (pid = fork()) < 0) {
		fprintf(stderr, "accessfs: cannot fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		setsid();
		return p[1];
	}
	close(p[1]);
	if (read(p[0], &st, 1) != 1) {
		int status;

		waitpid(pid, &status, 0);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
	}
	_exit(st);
}

/* The child is serving: leave the terminal and let the parent exit 0. */
static void detach(int report_fd)
{
	int null = open("/dev/null", O_RDWR);
	char ok = 0;

	if (chdir("/")) {
		/* nothing depends on the cwd: every path is absolute */
	}
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	if (write(report_fd, &ok, 1) != 1) {
		/* the parent is gone; nothing to tell */
	}
	close(report_fd);
}

static int prepare(struct mount_cmd *c, struct accessfs_daemon *d)
{
	char err[256];
	int root_fd;

	if (resolve_dir(c->source_arg, c->source, "SOURCE") ||
	    resolve_dir(c->mountpoint_arg, c->mountpoint, "MOUNTPOINT") ||
	    (!c->opts.notrace && resolve_trace(c)) || check_dev_fuse())
		return -1;
	root_fd = open(c->source, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0) {
		fprintf(stderr, "accessfs: %s: %s (SOURCE)\n", c->source, strerror(errno));
		return -1;
	}
	d->inodes = inode_table_new(root_fd, fd_budget(&c->opts), err, sizeof(err));
	if (!d->inodes) {
		fprintf(stderr, "accessfs: %s: %s\n", c->source, err);
		close(root_fd);
		return -1;
	}
	if (!afs_flush_passes_on(root_fd))
		d->flush_noop_dev = inode_table_root(d->inodes)->dev;
	d->opts = c->opts;
	d->source = c->source;
	d->mountpoint = c->mountpoint;
	d->trace_path = c->opts.notrace ? NULL : c->trace;
	d->timeout = options_cache_timeout(&c->opts);
	d->switch_creds = geteuid() == 0;
	/*
	 * The umask of whoever started us must not mask what callers create
	 * (the kernel already gave their umask, see creds.h), nor the trace
	 * and runtime files, whose modes are given exactly.
	 */
	umask(0);
	creds_init();
	return 0;
}

static int run(struct mount_cmd *c, struct accessfs_daemon *d, int report_fd)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	char runtime[64] = "";
	unsigned int uring_queues = 0;
	int res, status = 1;

	d->se = new_session(c, d);
	if (!d->se)
		return 1;
	default_exit_signals();
	if (fuse_set_signal_handlers(d->se) || sigaction(SIGUSR1, &sa, NULL))
		goto out_destroy;
	if (fuse_session_mount(d->se, c->mountpoint))
		goto out_signals;
	d->mount_dev = mount_dev_of(c->mountpoint);
	if (d->trace_path)
		fprintf(stderr, "accessfs: tracing to %s\n", d->trace_path);
	attach_session_io(d);
	if (serve_init(d->se))
		goto out_unmount;
	if (d->uring_attached)	/* so a fallback is said before stderr goes */
		uring_queues = uring_transport_wait_ready();
	set_read_ahead(d);
	if (report_fd >= 0)
		detach(report_fd);
	if (d->trace_path)
		runtime_file_create(c->mountpoint, d->trace_path, runtime, sizeof(runtime));
	res = serve(c, d->se);
	if (d->uring_attached)
		trace_hook_transport(uring_queues, uring_transport_detach());
	runtime_file_remove(runtime);
	status = res < 0 ? 1 : 0;	/* > 0: ended by a signal, cleanly */
	if (res < 0)
		fprintf(stderr, "accessfs: %s\n", strerror(-res));
out_unmount:
	fuse_session_unmount(d->se);
out_signals:
	fuse_remove_signal_handlers(d->se);
out_destroy:
	fuse_session_destroy(d->se);	/* calls destroy: the trace is closed */
	return d->init_failed ? 1 : status;
}

int mount_main(int argc, char **argv, void (*print_commands)(FILE *out))
{
	struct mount_cmd c = { .print_commands = print_commands };
	struct accessfs_daemon d = { 0 };
	int report_fd = -1, res;

	options_init(&c.opts);
	res = parse_args(argc, argv, &c);
	if (res)
		return res - 1;
	if (!c.foreground && (report_fd = fork_daemon()) < 0)
		return 1;
	if (prepare(&c, &d)) {
		unreserve_trace(&c);
		return 1;
	}
	res = run(&c, &d, report_fd);
	if (res)
		unreserve_trace(&c);
	inode_table_free(d.inodes);
	options_free(&c.opts);
	return res;
}
