/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gt_check.c - compare a trace's labels with a ground-truth side file
 * (gt_common.h) and print one line per operation:
 *
 *   OP events=N bytes=B correct=P% unknown=P% wrong=P%
 *
 * (percentages of bytes for read/write, of events otherwise), then up to
 * five wrong events.  Exit 1 if an operation has less than -c PCT correct or
 * more than -w PCT wrong, or if a required label (-n OP:METHOD[:TRIGGER])
 * never appears; 0 otherwise.
 *
 * -v prints every event of the program first.
 *
 * usage: gt_check [-v] [-c MIN_CORRECT] [-w MAX_WRONG] [-n OP:METHOD[:TRIGGER]]... TRACE SIDE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "trace_reader.h"

#define MAX_LINES 64
#define MAX_PIDS 8
#define MAX_NEEDS 8

struct expect {
	char file[256], op[32], method[32], trigger[32], syscall[32];
	uint64_t enter, leave;	/* leave 0: the default */
};

struct tally {
	uint64_t events, units, correct, unknown, wrong;
	unsigned int shown;
};

static struct expect lines[MAX_LINES];
static unsigned int nlines;
static uint32_t pids[MAX_PIDS];
static unsigned int npids;

static void read_side(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[1024];

	if (!f) {
		perror(path);
		exit(2);
	}
	while (fgets(buf, sizeof(buf), f)) {
		struct expect *e = &lines[nlines];
		unsigned long long enter = 0, leave = 0;
		unsigned int pid;

		if (sscanf(buf, "pid %u", &pid) == 1 && npids < MAX_PIDS) {
			pids[npids++] = pid;
			continue;
		}
		if (nlines < MAX_LINES &&
		    sscanf(buf, "expect %255s %31s %31s %31s %31s %llu %llu", e->file, e->op,
			   e->method, e->trigger, e->syscall, &enter, &leave) >= 5) {
			e->enter = enter;
			e->leave = leave;
			nlines++;
		}
	}
	fclose(f);
}

/* Writeback (tid 0) is ours unless it names another process as its cause
 * (BPF labels do: another program's sync(2) writes our pages too). */
static bool ours(const struct trace_event *ev)
{
	if (ev->tid == 0 && ev->pid == 0)
		return true;
	for (unsigned int i = 0; i < npids; i++)
		if (ev->pid == pids[i])
			return true;
	return false;
}

static const char *base_of(struct trace_reader *r, const struct trace_event *ev)
{
	const char *path = trace_reader_path(r, ev->file_id, ev->start_ns, NULL);
	const char *slash;

	if (!path)
		return "";
	slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* The window line covering the event, else the default line, else NULL. */
static const struct expect *expected(const char *file, const struct trace_event *ev)
{
	const struct expect *dflt = NULL;
	const char *op = trace_op_name(ev->op);

	for (unsigned int i = 0; i < nlines; i++) {
		const struct expect *e = &lines[i];

		if (strcmp(e->op, op) || (strcmp(e->file, "*") && strcmp(e->file, file)))
			continue;
		if (!e->leave)
			dflt = e;
		else if (ev->start_ns >= e->enter && ev->start_ns <= e->leave)
			return e;
	}
	return dflt;
}

static const char *syscall_of(const struct trace_event *ev, char *buf, size_t len)
{
	const char *name = trace_syscall_name(ev->syscall);

	if (name)
		return name;
	snprintf(buf, len, "syscall_%d", ev->syscall);
	return buf;
}

static bool matches(const struct expect *e, const struct trace_event *ev)
{
	char buf[32];

	return strcmp(e->method, trace_method_name(ev->method)) == 0 &&
	       (e->trigger[0] == '-' || strcmp(e->trigger, trace_trigger_name(ev->trigger)) == 0) &&
	       (e->syscall[0] == '-' || strcmp(e->syscall, syscall_of(ev, buf, sizeof(buf))) == 0);
}

/* Unknown, not wrong: no method, no trigger, or the right method with the
 * requester's syscall unreadable. */
static bool is_unknown(const struct expect *e, const struct trace_event *ev)
{
	bool method_ok = strcmp(e->method, trace_method_name(ev->method)) == 0;

	return ev->method == TRACE_METHOD_UNKNOWN ||
	       (method_ok && ev->syscall == TRACE_SYSCALL_UNREADABLE) ||
	       (ev->method == TRACE_METHOD_WRITEBACK && ev->trigger == TRACE_TRIGGER_UNKNOWN);
}

static void count(struct tally *t, const struct expect *e, const struct trace_event *ev)
{
	uint64_t units = (ev->op == TRACE_OP_READ || ev->op == TRACE_OP_WRITE) ? ev->size : 1;
	char buf[32];

	t->events++;
	t->units += units;
	if (matches(e, ev)) {
		t->correct += units;
		return;
	}
	if (is_unknown(e, ev))
		t->unknown += units;
	else
		t->wrong += units;
	if (t->shown++ < 5)
		fprintf(stderr, "  %s off=%llu size=%llu at=%llu: expected %s/%s/%s, got %s/%s/%s\n",
			trace_op_name(ev->op), (unsigned long long)ev->offset,
			(unsigned long long)ev->size, (unsigned long long)ev->start_ns, e->method,
			e->trigger, e->syscall, trace_method_name(ev->method),
			trace_trigger_name(ev->trigger), syscall_of(ev, buf, sizeof(buf)));
}

static void print_event(const char *file, const struct trace_event *ev)
{
	char buf[32];

	printf("%llu %s %s off=%llu size=%llu tid=%u %s/%s/%s ahead=%lld map=%llx+%llx@%llu/%x\n",
	       (unsigned long long)ev->start_ns, file, trace_op_name(ev->op),
	       (unsigned long long)ev->offset, (unsigned long long)ev->size, ev->tid,
	       trace_method_name(ev->method), trace_trigger_name(ev->trigger),
	       syscall_of(ev, buf, sizeof(buf)),
	       ev->ahead_bytes == TRACE_AHEAD_UNKNOWN ? -1LL : (long long)ev->ahead_bytes,
	       (unsigned long long)ev->map_start, (unsigned long long)ev->map_len,
	       (unsigned long long)ev->map_offset, ev->map_flags);
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

int main(int argc, char **argv)
{
	double min_correct = 99.9, max_wrong = 0;
	const char *needs[MAX_NEEDS];
	bool seen[MAX_NEEDS] = { false };
	unsigned int nneeds = 0;
	struct tally tally[TRACE_OP_COUNT] = { 0 };
	struct trace_reader *r;
	struct trace_event ev;
	char err[512];
	int opt, rc = 0, got;
	bool verbose = false;

	while ((opt = getopt(argc, argv, "vc:w:n:")) != -1) {
		switch (opt) {
		case 'v': verbose = true; break;
		case 'c': min_correct = atof(optarg); break;
		case 'w': max_wrong = atof(optarg); break;
		case 'n':
			if (nneeds < MAX_NEEDS)
				needs[nneeds++] = optarg;
			break;
		default: return 2;
		}
	}
	if (optind + 2 != argc) {
		fprintf(stderr, "usage: gt_check [-v] [-c PCT] [-w PCT] [-n OP:METHOD[:TRIGGER]] TRACE SIDE\n");
		return 2;
	}
	read_side(argv[optind + 1]);
	r = trace_reader_open(argv[optind], err, sizeof(err));
	if (!r) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	while ((got = trace_reader_next(r, &ev)) == 1) {
		const char *file = base_of(r, &ev);
		const struct expect *e;
		char label[128];

		if (!ours(&ev))
			continue;
		if (verbose)
			print_event(file, &ev);
		e = expected(file, &ev);
		if (!e)
			continue;
		count(&tally[ev.op], e, &ev);
		snprintf(label, sizeof(label), "%s:%s", trace_op_name(ev.op),
			 trace_method_name(ev.method));
		for (unsigned int i = 0; i < nneeds; i++) {
			size_t n = strlen(label);

			if (strcmp(needs[i], label) == 0 ||
			    (strncmp(needs[i], label, n) == 0 && needs[i][n] == ':' &&
			     strcmp(needs[i] + n + 1, trace_trigger_name(ev.trigger)) == 0))
				seen[i] = true;
		}
	}
	if (got < 0) {
		fprintf(stderr, "%s\n", trace_reader_error(r));
		return 2;
	}
	for (unsigned int op = 0; op < TRACE_OP_COUNT; op++) {
		const struct tally *t = &tally[op];

		if (!t->events)
			continue;
		printf("%s events=%llu units=%llu correct=%.2f%% unknown=%.2f%% wrong=%.2f%%\n",
		       trace_op_name(op), (unsigned long long)t->events,
		       (unsigned long long)t->units, pct(t->correct, t->units),
		       pct(t->unknown, t->units), pct(t->wrong, t->units));
		if (pct(t->correct, t->units) < min_correct || pct(t->wrong, t->units) > max_wrong)
			rc = 1;
	}
	for (unsigned int i = 0; i < nneeds; i++) {
		if (!seen[i]) {
			printf("missing %s\n", needs[i]);
			rc = 1;
		}
	}
	trace_reader_close(r);
	return rc;
}
