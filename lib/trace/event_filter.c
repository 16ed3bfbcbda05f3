/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * event_filter.c - parse the event selection options and match events.
 *
 * --path patterns may be written with a leading '/' (as seen from the
 * mount point); trace paths are relative to the mount root, so the slash
 * is dropped before matching.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "event_filter.h"

const char event_filter_usage[] =
	"  --path GLOB      only events on files whose path (from the mount root) matches\n"
	"                   GLOB (fnmatch; '*' also matches '/'; a leading '/' is ignored)\n"
	"  --pid N          only events requested by process N\n"
	"  --comm NAME      only events requested by programs named NAME (as in ps)\n"
	"  --op NAME[,NAME] only these operations (read, write, flush, ...)\n"
	"  --since S        only events starting S seconds or more after the trace start\n"
	"  --until S        only events starting before S seconds after the trace start\n";

void event_filter_init(struct event_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->until_ns = UINT64_MAX;
}

void event_filter_set_start(struct event_filter *f, uint64_t start_ns)
{
	f->start_ns = start_ns;
}

static int parse_seconds(const char *s, uint64_t *ns)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0) || v > 1e9)
		return -1;
	*ns = (uint64_t)(v * 1e9 + 0.5);
	return 0;
}

static int parse_ops(const char *list, uint64_t *mask, char *err, size_t errlen)
{
	const char *p = list;

	*mask = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		char name[32];
		int op;

		if (n == 0 || n >= sizeof(name)) {
			snprintf(err, errlen, "--op: bad operation list '%s'", list);
			return -1;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		op = trace_op_from_name(name);
		if (op < 0) {
			snprintf(err, errlen, "--op: unknown operation '%s'", name);
			return -1;
		}
		*mask |= 1ull << op;
		p += n + (p[n] == ',');
	}
	if (!*mask) {
		snprintf(err, errlen, "--op: empty operation list");
		return -1;
	}
	return 0;
}

int event_filter_option(struct event_filter *f, const char *opt, const char *value,
			char *err, size_t errlen)
{
	char *end;
	unsigned long v;

	if (strcmp(opt, "--path") == 0) {
		while (*value == '/')
			value++;
		f->path_glob = value;
	} else if (strcmp(opt, "--comm") == 0) {
		f->comm = value;
	} else if (strcmp(opt, "--pid") == 0) {
		errno = 0;
		v = strtoul(value, &end, 10);
		if (errno || end == value || *end || v > UINT32_MAX || *value == '-') {
			snprintf(err, errlen, "--pid: '%s' is not a process id", value);
			return -1;
		}
		f->match_pid = true;
		f->pid = (uint32_t)v;
	} else if (strcmp(opt, "--op") == 0) {
		return parse_ops(value, &f->ops, err, errlen) ? -1 : 1;
	} else if (strcmp(opt, "--since") == 0 || strcmp(opt, "--until") == 0) {
		uint64_t *t = opt[2] == 's' ? &f->since_ns : &f->until_ns;

		if (parse_seconds(value, t)) {
			snprintf(err, errlen, "%s: '%s' is not a number of seconds", opt, value);
			return -1;
		}
	} else {
		return 0;
	}
	return 1;
}

bool event_filter_match(const struct event_filter *f, const struct trace_event *ev,
			const char *path, const struct trace_proc *proc)
{
	uint64_t t = ev->start_ns - f->start_ns;

	if (f->ops && (ev->op >= 64 || !(f->ops & (1ull << ev->op))))
		return false;
	if (f->match_pid && ev->pid != f->pid)
		return false;
	if (ev->start_ns < f->start_ns)
		t = 0;
	if (t < f->since_ns || t >= f->until_ns)
		return false;
	if (f->comm && (!proc || strcmp(proc->comm, f->comm) != 0))
		return false;
	if (f->path_glob && (!path || fnmatch(f->path_glob, path, 0) != 0))
		return false;
	return true;
}

int event_filter_getopt(struct event_filter *f, const struct option *opt, const char *value,
			char *err, size_t errlen)
{
	char name[32];
	int rc;

	snprintf(name, sizeof(name), "--%s", opt->name);
	rc = event_filter_option(f, name, value, err, errlen);
	if (rc == 0)
		snprintf(err, errlen, "%s: not a filter option", name);
	return rc == 1 ? 0 : -1;
}
