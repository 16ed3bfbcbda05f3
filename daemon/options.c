/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * options.c - parse accessfs mount options from one table.
 *
 * The table below is the single list of accessfs's own options: the parser
 * walks it, --help prints it, doc/daemon.md describes the same rows.  Options
 * that belong to the kernel or libfuse are not interpreted here, only
 * recognised by name and handed on, because mount.fuse3 and /etc/fstab pass
 * them (rw, nosuid, noatime ...) and refusing them would break mount -t.
 * Anything else is refused: a typo must not silently mount with defaults.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "options.h"

enum option_kind {
	OPT_FLAG,	/* name sets a bool field to value */
	OPT_BOOL01,	/* name=0|1 sets a bool field */
	OPT_UINT,	/* name=N within [min, max] sets an unsigned field */
	OPT_STRING,	/* name=TEXT, non-empty */
	OPT_CHOICE,	/* name=one of arg's words, "a|b|c": sets an enum field to
			 * the word's place in arg, which is the enum's order */
};

struct option_spec {
	const char *name;
	enum option_kind kind;
	size_t field;		/* offsetof in struct mount_options */
	unsigned int value;	/* OPT_FLAG: what the flag sets; OPT_CHOICE: 1 + the
				 * place of the word the bare name means, 0: none */
	unsigned int min, max;	/* OPT_UINT */
	const char *arg;	/* for --help: "N", "PATH" ...; OPT_CHOICE: the words */
	const char *deflt;	/* for --help */
	const char *help;
};

#define FIELD(f) offsetof(struct mount_options, f)

static const struct option_spec specs[] = {
	{ "cache", OPT_CHOICE, FIELD(cache), 0, 0, 0, "never|auto|always", "auto",
	  "kernel caching of names, attributes and data: timeouts 0 s / 1 s / 1 day;"
	  " always also keeps file data cached across opens" },
	{ "writeback", OPT_FLAG, FIELD(writeback), 1, 0, 0, NULL, "off",
	  "kernel writeback cache: write() then only dirties pages and the daemon"
	  " sees pid-0 writeback instead of the writing program" },
	{ "direct_io", OPT_FLAG, FIELD(direct_io), 1, 0, 0, NULL, "off",
	  "bypass the page cache; mmap(MAP_SHARED) then fails with ENODEV" },
	{ "max_readahead", OPT_UINT, FIELD(max_readahead), 0, 0, 64u << 20, "BYTES",
	  "kernel's", "largest readahead the kernel may send" },
	{ "read_ahead_kb", OPT_UINT, FIELD(read_ahead_kb), 0, 4, 1u << 20, "KIB", "the kernel's (128)",
	  "readahead window of the mount (its bdi's read_ahead_kb, set once mounted):"
	  " larger READs, up to 1 MiB each (fs.fuse.max_pages_limit), so fewer of"
	  " them; changes the pattern the trace shows" },
	{ "sync_read", OPT_FLAG, FIELD(async_read), 0, 0, 0, NULL, "when labels come from /proc",
	  "the reading thread waits for every readahead READ (not the kernel's"
	  " normal behaviour), so /proc labels are exact" },
	{ "async_read", OPT_FLAG, FIELD(async_read), 1, 0, 0, NULL, "with BPF labels or none",
	  "the kernel sends readahead in the background, as without accessfs"
	  " (/proc labels may then be unknown; BPF labels stay exact)" },
	{ "max_threads", OPT_UINT, FIELD(max_threads), 0, 1, OPTIONS_MAX_MAX_THREADS, "N",
	  "16", "most worker threads (ignored with -s)" },
	{ "clone_fd", OPT_FLAG, FIELD(clone_fd), 1, 0, 0, NULL, "off",
	  "one /dev/fuse descriptor per worker thread" },
	{ "allow_other", OPT_FLAG, FIELD(allow_other), 1, 0, 0, NULL, "off",
	  "let other users use the mount; implies default_permissions" },
	{ "default_permissions", OPT_FLAG, FIELD(default_permissions), 1, 0, 0, NULL,
	  "with allow_other", "the kernel checks permissions from file modes" },
	{ "nodefault_permissions", OPT_FLAG, FIELD(default_permissions), 0, 0, 0, NULL,
	  "", "do not imply default_permissions with allow_other" },
	{ "ro", OPT_FLAG, FIELD(ro), 1, 0, 0, NULL, "off", "mount read-only" },
	{ "max_fds", OPT_UINT, FIELD(max_fds), 0, 16, 1u << 24, "N",
	  "min(4096, RLIMIT_NOFILE/2)", "O_PATH descriptors kept open for remembered inodes" },
	{ "trace", OPT_STRING, FIELD(trace_path), 0, 0, 0, "PATH",
	  "accessfs-HOST-YYYYmmdd-HHMMSS-PID.trace in the start directory",
	  "where the trace goes (created 0600, never inside the mountpoint)" },
	{ "notrace", OPT_FLAG, FIELD(notrace), 1, 0, 0, NULL, "off",
	  "record nothing (no writer, no classifier): for overhead comparisons" },
	{ "trace_meta", OPT_BOOL01, FIELD(trace_meta), 0, 0, 0, "0|1", "1",
	  "0 leaves metadata operations out of the trace (names are still recorded)" },
	{ "labels", OPT_CHOICE, FIELD(labels), 0, 0, 0, "bpf|proc|off", "bpf",
	  "where access-method labels come from: the kernel (BPF, needs root and"
	  " BTF; falls back to proc with one line on stderr), the requester's"
	  " /proc files, or nowhere" },
	{ "classify", OPT_BOOL01, FIELD(classify), 0, 0, 0, "0|1", "1",
	  "0 is labels=off (the older spelling)" },
	{ "xattr", OPT_BOOL01, FIELD(xattr), 0, 0, 0, "0|1", "1",
	  "0 answers ENOSYS to xattr requests, so the kernel stops asking for"
	  " security.capability before every write" },
	{ "killpriv_v2", OPT_BOOL01, FIELD(killpriv_v2), 0, 0, 0, "0|1", "1",
	  "ask for FUSE_HANDLE_KILLPRIV_V2 where the kernel offers it: the daemon"
	  " clears set-user-ID and set-group-ID on write and truncate as the"
	  " kernel would, so the kernel stops sending GETXATTR security.capability"
	  " before every write(); 0 shows those requests" },
	{ "app_counters", OPT_BOOL01, FIELD(app_counters), 0, 0, 0, "0|1", "1 with BPF labels",
	  "0 leaves out the app-side view (what programs asked of the page cache):"
	  " its BPF program runs on every buffered read and page fault on this"
	  " mount, about 0.16 us each, 5% of a 4K read the page cache serves" },
	{ "uring", OPT_CHOICE, FIELD(uring), 1 + URING_ON, 0, 0, "auto|on|off", "auto",
	  "take requests over FUSE over io_uring, 8 rings per CPU, where the kernel"
	  " offers it (fuse module parameter enable_uring=Y); 'uring' alone is on:"
	  " falling back to /dev/fuse is then said on stderr" },
};

/* Understood by the kernel or libfuse: passed on untouched. */
static const char *const fuse_flags[] = {
	"rw", "suid", "nosuid", "dev", "nodev", "exec", "noexec", "async", "sync",
	"atime", "noatime", "diratime", "nodiratime", "lazytime", "nolazytime",
	"relatime", "norelatime", "strictatime", "nostrictatime", "dirsync",
	"allow_root", "auto_unmount", "blkdev", "debug",
};
static const char *const fuse_valued[] = {
	"fsname", "subtype", "blksize", "max_read", "context", "fscontext",
	"defcontext", "rootcontext",
};
/* Meaningful to mount(8) or fstab only: accepted and dropped. */
static const char *const ignored[] = {
	"defaults", "auto", "noauto", "user", "nouser", "users", "_netdev", "nofail",
};

void options_init(struct mount_options *o)
{
	memset(o, 0, sizeof(*o));
	o->cache = CACHE_AUTO;
	o->max_threads = OPTIONS_DEFAULT_MAX_THREADS;
	o->default_permissions = -1;
	o->trace_meta = true;
	o->classify = true;
	o->xattr = true;
	o->killpriv_v2 = true;
	o->app_counters = true;
}

void options_free(struct mount_options *o)
{
	free(o->trace_path);
	free(o->fuse_opts);
	free(o->given);
	o->trace_path = o->fuse_opts = o->given = NULL;
}

static bool in_list(const char *const *list, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && memcmp(list[i], name, len) == 0)
			return true;
	return false;
}

/* Append ",item" (or "item") to a malloc'ed comma list. */
static int list_append(char **list, const char *item, size_t len)
{
	size_t old = *list ? strlen(*list) : 0;
	char *s = realloc(*list, old + len + 2);

	if (!s)
		return -1;
	if (old)
		s[old++] = ',';
	memcpy(s + old, item, len);
	s[old + len] = '\0';
	*list = s;
	return 0;
}

static int parse_uint(const char *val, unsigned int min, unsigned int max, unsigned int *out)
{
	char *end;
	unsigned long long v;

	if (*val < '0' || *val > '9')
		return -1;
	errno = 0;
	v = strtoull(val, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

/* The enum fields OPT_CHOICE sets through an int. */
_Static_assert(sizeof(enum cache_mode) == sizeof(int), "cache_mode is int-sized");
_Static_assert(sizeof(enum label_source) == sizeof(int), "label_source is int-sized");
_Static_assert(sizeof(enum uring_mode) == sizeof(int), "uring_mode is int-sized");

/* Where word is among choices ("a|b|c"), or -1. */
static int choice_index(const char *choices, const char *word)
{
	size_t len = strlen(word);
	int i = 0;

	for (const char *p = choices;; i++) {
		const char *end = strchr(p, '|');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == len && memcmp(p, word, len) == 0)
			return i;
		if (!end)
			return -1;
		p = end + 1;
	}
}

static int set_option(struct mount_options *o, const struct option_spec *s, const char *val,
		      char *err, size_t errlen)
{
	char *base = (char *)o + s->field;

	if (s->kind == OPT_FLAG && val) {
		snprintf(err, errlen, "option '%s' takes no value", s->name);
		return -1;
	}
	if (s->kind == OPT_CHOICE && !val && s->value) {
		*(int *)base = (int)s->value - 1;
		return 0;
	}
	if (s->kind != OPT_FLAG && !val) {
		snprintf(err, errlen, "option '%s' needs a value (%s=%s)", s->name, s->name,
			 s->arg);
		return -1;
	}
	switch (s->kind) {
	case OPT_FLAG:
		if (s->field == FIELD(default_permissions))
			*(int *)base = (int)s->value;
		else
			*(bool *)base = s->value;
		if (s->field == FIELD(async_read))
			o->read_mode_set = true;
		return 0;
	case OPT_BOOL01:
		if (strcmp(val, "0") && strcmp(val, "1"))
			goto bad;
		*(bool *)base = val[0] == '1';
		return 0;
	case OPT_UINT:
		if (parse_uint(val, s->min, s->max, (unsigned int *)base))
			goto bad;
		if (s->field == FIELD(max_readahead))
			o->max_readahead_set = true;
		return 0;
	case OPT_STRING:
		if (!*val)
			goto bad;
		free(*(char **)base);
		*(char **)base = strdup(val);
		return *(char **)base ? 0 : -1;
	case OPT_CHOICE: {
		int i = choice_index(s->arg, val);

		if (i < 0)
			goto bad;
		*(int *)base = i;
		return 0;
	}
	}
bad:
	if (s->kind == OPT_UINT)
		snprintf(err, errlen, "option %s: expected a number from %u to %u, got '%s'",
			 s->name, s->min, s->max, val);
	else
		snprintf(err, errlen, "option %s: expected %s, got '%s'", s->name, s->arg, val);
	return -1;
}

static int parse_one(struct mount_options *o, const char *opt, size_t len,
		     char *err, size_t errlen)
{
	const char *eq = memchr(opt, '=', len);
	size_t namelen = eq ? (size_t)(eq - opt) : len;
	char val[4096];

	if (len == 0)
		return 0;
	if (in_list(ignored, sizeof(ignored) / sizeof(ignored[0]), opt, len) ||
	    (namelen >= 2 && memcmp(opt, "x-", 2) == 0))
		return 0;
	if ((!eq && in_list(fuse_flags, sizeof(fuse_flags) / sizeof(fuse_flags[0]), opt, len)) ||
	    (eq && in_list(fuse_valued, sizeof(fuse_valued) / sizeof(fuse_valued[0]),
			   opt, namelen)))
		return list_append(&o->fuse_opts, opt, len);
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		if (strlen(specs[i].name) != namelen || memcmp(specs[i].name, opt, namelen))
			continue;
		if (eq && len - namelen - 1 >= sizeof(val)) {
			snprintf(err, errlen, "option %s: value too long", specs[i].name);
			return -1;
		}
		if (eq) {
			memcpy(val, eq + 1, len - namelen - 1);
			val[len - namelen - 1] = '\0';
		}
		return set_option(o, &specs[i], eq ? val : NULL, err, errlen);
	}
	snprintf(err, errlen, "unknown option '%.*s' (see accessfs --help)", (int)len, opt);
	return -1;
}

int options_parse(struct mount_options *o, const char *list, char *err, size_t errlen)
{
	const char *p = list;

	if (list_append(&o->given, list, strlen(list))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (parse_one(o, p, len, err, errlen))
			return -1;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

enum label_source options_label_source(const struct mount_options *o)
{
	return o->classify ? o->labels : LABELS_OFF;
}

bool options_default_permissions(const struct mount_options *o)
{
	if (o->default_permissions >= 0)
		return o->default_permissions;
	return o->allow_other;
}

double options_cache_timeout(const struct mount_options *o)
{
	static const double timeout[] = {
		[CACHE_NEVER] = 0.0, [CACHE_AUTO] = 1.0, [CACHE_ALWAYS] = 86400.0,
	};
	return timeout[o->cache];
}

bool options_keep_cache(const struct mount_options *o)
{
	return o->cache == CACHE_ALWAYS;
}

void options_print_help(FILE *out)
{
	fprintf(out, "mount options (-o opt,opt=value,...):\n");
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		const struct option_spec *s = &specs[i];
		char head[64];

		snprintf(head, sizeof(head), "%s%s%s", s->name, s->arg ? "=" : "",
			 s->arg ? s->arg : "");
		fprintf(out, "    %-26s %s", head, s->help);
		if (*s->deflt)
			fprintf(out, " (default: %s)", s->deflt);
		fprintf(out, "\n");
	}
	fprintf(out, "    generic mount options (rw, nosuid, nodev, noexec, noatime, fsname=,"
		" subtype=, ...) are passed to the kernel; defaults, auto, noauto, user,"
		" users, _netdev, nofail and x-* are ignored.\n");
}
