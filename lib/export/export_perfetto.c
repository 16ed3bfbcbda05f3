/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * export_perfetto.c - Chrome trace event JSON, which ui.perfetto.dev and
 * chrome://tracing open: one complete event ("ph":"X") per request on the
 * track of the thread that asked for it, and process/thread names ("ph":
 * "M") from the PROC records.
 *
 * A track must hold no overlapping slices, but one thread can have several
 * requests in flight (readahead, async reads, writeback).  So events are
 * kept in memory, sorted by start, and each goes to the first "lane" of
 * its thread that is free; lane 1 is the thread itself, lane N > 1 a
 * synthetic thread named "comm [tid] lane N".  Holding every selected
 * event (about 150 bytes each) is the price: the UI cannot open traces of
 * more than a few million events anyway, so filter big traces first.
 *
 * With several traces, pids and tids of trace i are offset by i << 22
 * (above Linux's largest pid) so that hosts do not mix.
 */
#include <stdlib.h>
#include "escape.h"
#include "export.h"

#define PID_SPACE	(1u << 22)
#define LANE_TID_BASE	0x40000000u

#define NO_COMM		SIZE_MAX

struct pf_event {
	uint64_t ts, dur;		/* ns from the trace start */
	size_t args;			/* offset of its args JSON in the arena */
	size_t comm;			/* offset of its thread's comm, or NO_COMM */
	uint32_t pid, tid;		/* offset by trace */
	uint32_t lane_tid;		/* the track it is drawn on */
	uint8_t op, method;
};

struct pf_state {
	struct pf_event *ev;
	size_t n, cap;
	struct outbuf arena;		/* args JSON and comms, NUL-terminated */
	uint32_t next_lane_tid;
	bool first_record;
};

static struct pf_state *state(struct exporter *x)
{
	return x->state;
}

static void pf_begin(struct exporter *x)
{
	struct pf_state *s = calloc(1, sizeof(*s));

	x->state = s;
	if (!s) {
		x->out.failed = true;
		return;
	}
	s->next_lane_tid = LANE_TID_BASE;
	s->first_record = true;
	outbuf_puts(&x->out, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
}

static void record_start(struct exporter *x)
{
	struct pf_state *s = state(x);

	if (!s->first_record)
		outbuf_write(&x->out, ",\n", 2);
	s->first_record = false;
}

/* {"ph":"M","name":"process_name"|"thread_name",...,"args":{"name":NAME}} */
static void write_name_record(struct exporter *x, const char *what, uint32_t pid, uint32_t tid,
			      const char *name)
{
	struct outbuf *o = &x->out;

	record_start(x);
	outbuf_puts(o, "{\"ph\":\"M\"");
	export_json_text(o, "name", what);
	export_json_u64(o, "pid", pid);
	export_json_u64(o, "tid", tid);
	outbuf_puts(o, ",\"args\":{\"name\":");
	json_write_string(o, name, strlen(name));
	outbuf_puts(o, "}}");
}

/*
 * Is PROC record i the one to name its process by?  The main thread's, or,
 * if the main thread never asked for anything, the first thread's.
 */
static bool names_process(const struct trace_reader *r, size_t i)
{
	const struct trace_proc *p = trace_reader_proc_at(r, i);
	const struct trace_proc *main_thread = trace_reader_proc(r, p->pid);

	if (main_thread)
		return p == main_thread;
	for (size_t k = 0; k < i; k++)
		if (trace_reader_proc_at(r, k)->pid == p->pid)
			return false;
	return true;
}

static void pf_trace(struct exporter *x, const struct trace_reader *r, unsigned int index,
		     const char *host)
{
	uint32_t base = index * PID_SPACE;
	char name[600];

	if (!state(x))
		return;
	snprintf(name, sizeof(name), "kernel (writeback, release)%s%s", host ? " @" : "",
		 host ? host : "");
	write_name_record(x, "process_name", base, base, name);
	for (size_t i = 0; i < trace_reader_proc_count(r); i++) {
		const struct trace_proc *p = trace_reader_proc_at(r, i);

		if (names_process(r, i)) {
			snprintf(name, sizeof(name), "%s [%u]%s%s", p->comm, p->pid,
				 host ? " @" : "", host ? host : "");
			write_name_record(x, "process_name", base + p->pid, base + p->tid, name);
		}
	}
}

/* The args object of one event, kept until the sort is done. */
static void write_args(struct outbuf *o, const struct export_event *e)
{
	const struct trace_event *ev = e->ev;
	char buf[32];
	const char *sc = export_syscall_name(ev->syscall, buf, sizeof(buf));

	outbuf_puts(o, "{\"file_id\":");
	outbuf_u64(o, ev->file_id);
	if (e->path)
		json_write_name_field(o, "path", e->path, e->path_len);
	export_json_u64(o, "offset", ev->offset);
	export_json_u64(o, "size", ev->size);
	export_json_i64(o, "result", ev->result);
	if (sc)
		export_json_text(o, "syscall", sc);
	if (ev->trigger != TRACE_TRIGGER_NONE)
		export_json_text(o, "trigger", trace_trigger_name(ev->trigger));
	if (ev->name_len)
		json_write_name_field(o, "name", ev->name, ev->name_len);
	outbuf_putc(o, '}');
	outbuf_putc(o, '\0');
}

static void pf_event(struct exporter *x, const struct export_event *e)
{
	struct pf_state *s = state(x);
	uint32_t base = e->trace_index * PID_SPACE;
	struct pf_event *p;

	if (!s || s->arena.failed)
		return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4096;
		struct pf_event *nev = realloc(s->ev, cap * sizeof(*nev));

		if (!nev) {
			x->out.failed = true;
			return;
		}
		s->ev = nev;
		s->cap = cap;
	}
	p = &s->ev[s->n++];
	p->ts = e->ev->start_ns - e->trace_start_ns;
	if (e->ev->start_ns < e->trace_start_ns)
		p->ts = 0;
	p->dur = e->ev->duration_ns;
	p->pid = base + e->ev->pid;
	p->tid = base + e->ev->tid;
	p->op = e->ev->op;
	p->method = e->ev->method;
	p->args = s->arena.len;
	write_args(&s->arena, e);
	p->comm = e->proc ? s->arena.len : NO_COMM;
	if (e->proc)
		outbuf_write(&s->arena, e->proc->comm, strlen(e->proc->comm) + 1);
}

static int by_thread_then_start(const void *a, const void *b)
{
	const struct pf_event *x = a, *y = b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return 0;
}

static void name_lane(struct exporter *x, const struct pf_event *p, uint32_t lane,
		      uint32_t lane_tid)
{
	struct pf_state *s = state(x);
	uint32_t real = p->tid % PID_SPACE;
	const char *comm = p->comm != NO_COMM ? s->arena.buf + p->comm : real ? "?" : "kernel";
	char name[600];

	if (lane == 0)
		snprintf(name, sizeof(name), "%s [%u]", comm, real);
	else
		snprintf(name, sizeof(name), "%s [%u] lane %u", comm, real, lane + 1);
	write_name_record(x, "thread_name", p->pid, lane_tid, name);
}

/*
 * Give each of one thread's n events (sorted by start) the first lane
 * whose last slice has ended, naming lanes as they appear.
 */
static void assign_lanes(struct exporter *x, struct pf_event *ev, size_t n)
{
	struct pf_state *s = state(x);
	uint64_t *lane_end = NULL;
	uint32_t *lane_tid = NULL;
	size_t nlanes = 0;

	for (size_t i = 0; i < n; i++) {
		size_t l;

		for (l = 0; l < nlanes && lane_end[l] > ev[i].ts; l++)
			;
		if (l == nlanes) {
			uint64_t *ne = realloc(lane_end, (nlanes + 1) * sizeof(*ne));
			uint32_t *nt = realloc(lane_tid, (nlanes + 1) * sizeof(*nt));

			if (ne)
				lane_end = ne;
			if (nt)
				lane_tid = nt;
			if (!ne || !nt) {
				x->out.failed = true;
				break;
			}
			lane_tid[l] = l == 0 ? ev[i].tid : s->next_lane_tid++;
			nlanes++;
			name_lane(x, &ev[i], (uint32_t)l, lane_tid[l]);
		}
		lane_end[l] = ev[i].ts + ev[i].dur;
		ev[i].lane_tid = lane_tid[l];
	}
	free(lane_end);
	free(lane_tid);
}

static void write_slice(struct exporter *x, const struct pf_event *p)
{
	struct outbuf *o = &x->out;

	record_start(x);
	outbuf_puts(o, "{\"ph\":\"X\"");
	export_json_text(o, "name", trace_op_name(p->op));
	export_json_text(o, "cat", trace_method_name(p->method));
	export_json_key(o, "ts");
	outbuf_fixed(o, p->ts, 3);
	export_json_key(o, "dur");
	outbuf_fixed(o, p->dur, 3);
	export_json_u64(o, "pid", p->pid);
	export_json_u64(o, "tid", p->lane_tid);
	outbuf_puts(o, ",\"args\":");
	outbuf_puts(o, state(x)->arena.buf + p->args);
	outbuf_putc(o, '}');
	outbuf_end_record(o);
}

static void pf_finish(struct exporter *x)
{
	struct pf_state *s = state(x);
	size_t i, j;

	if (!s)
		return;
	if (s->arena.failed)
		x->out.failed = true;
	if (s->n)
		qsort(s->ev, s->n, sizeof(*s->ev), by_thread_then_start);
	for (i = 0; i < s->n; i = j) {
		for (j = i; j < s->n && s->ev[j].tid == s->ev[i].tid; j++)
			;
		assign_lanes(x, s->ev + i, j - i);
	}
	for (i = 0; i < s->n; i++)
		write_slice(x, &s->ev[i]);
	outbuf_puts(&x->out, "\n]}\n");
}

static void pf_free(struct exporter *x)
{
	struct pf_state *s = state(x);

	if (!s)
		return;
	free(s->ev);
	outbuf_free(&s->arena);
	free(s);
}

const struct export_ops export_perfetto_ops = {
	.begin = pf_begin,
	.trace = pf_trace,
	.event = pf_event,
	.finish = pf_finish,
	.free = pf_free,
};
