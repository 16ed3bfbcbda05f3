/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * event_filter.h - which events a user asked for: --path GLOB, --pid N,
 * --comm NAME, --op NAME[,NAME], --since S, --until S.
 *
 * Options are parsed into a struct, then each event is matched against
 * it.  Conditions combine with AND; an absent option matches everything.
 * It knows nothing of output formats or of how the caller reads traces.
 */
#ifndef ACCESSFS_EVENT_FILTER_H
#define ACCESSFS_EVENT_FILTER_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "trace_format.h"

struct event_filter {
	const char *path_glob;	/* fnmatch(3), no flags: '*' crosses '/'; NULL: any */
	const char *comm;	/* exact match of the PROC comm; NULL: any */
	bool match_pid;
	uint32_t pid;
	uint64_t ops;		/* bit (1 << op) per wanted op; 0: any */
	uint64_t since_ns, until_ns; /* from trace start, [since, until) */
	uint64_t start_ns;	/* the trace's start: set per trace */
};

/* Everything passes. */
void event_filter_init(struct event_filter *f);

/*
 * If opt ("--pid", ...) is a filter option, store value and return 1;
 * return 0 if opt is not one; -1 with a one-line message in err if value
 * is bad.  value must outlive f.
 */
int event_filter_option(struct event_filter *f, const char *opt, const char *value,
			char *err, size_t errlen);

/* The option list for --help, one "  --x ARG  text" line each. */
extern const char event_filter_usage[];

/*
 * The filter's getopt_long(3) options, for a command's struct option table
 * (dump, report and top take the same ones).  Each returns
 * EVENT_FILTER_GETOPT; hand it to event_filter_getopt().
 */
#define EVENT_FILTER_GETOPT 0x4654
#define EVENT_FILTER_LONG_OPTIONS					\
	{ "path", required_argument, NULL, EVENT_FILTER_GETOPT },	\
	{ "pid", required_argument, NULL, EVENT_FILTER_GETOPT },	\
	{ "comm", required_argument, NULL, EVENT_FILTER_GETOPT },	\
	{ "op", required_argument, NULL, EVENT_FILTER_GETOPT },	\
	{ "since", required_argument, NULL, EVENT_FILTER_GETOPT },	\
	{ "until", required_argument, NULL, EVENT_FILTER_GETOPT }

/* Store filter option opt (its long name, as getopt_long's index gives it); 0, or -1 with err. */
int event_filter_getopt(struct event_filter *f, const struct option *opt, const char *value,
			char *err, size_t errlen);

/* The start time --since and --until count from (per trace). */
void event_filter_set_start(struct event_filter *f, uint64_t start_ns);

/*
 * Does ev match?  path: its file's path relative to the mount root (or
 * NULL if unknown: then --path never matches); proc: its PROC record or NULL.
 */
bool event_filter_match(const struct event_filter *f, const struct trace_event *ev,
			const char *path, const struct trace_proc *proc);

#endif /* ACCESSFS_EVENT_FILTER_H */
