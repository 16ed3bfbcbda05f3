/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * export_perfetto.c - Chrome trace event JSON, which ui.perfetto.dev and
 * chrome://tracing open: one complete event ("ph":"X") per request on the
 * track of the thread that asked for it, and process/thread names ("ph":
 * "M") from the PROC records.
 *
 * A track must hold no overlapping slices, but one thread can have several
 * requests in flight (readahead, async reads, writeback).  So each event
 * goes to the first "lane" of its thread that is free; lane 1 is the
 * thread itself, lane N > 1 a synthetic thread named "comm [tid] lane N".
 * Fed in start order (dump's default), that is the fewest lanes, and the
 * export streams: it keeps only each thread's lanes (an end time each),
 * so memory grows with threads, not events.  Metadata records may come
 * anywhere in the array, so a lane is named when it first appears.
 *
 * With several traces, pids and tids of trace i are offset by i << 22
 * (above Linux's largest pid) so that hosts do not mix.
 */
#include <stdlib.h>
#include "escape.h"
#include "export.h"

#define PID_SPACE	(1u << 22)
#define LANE_TID_BASE	0x40000000u

/* One thread's tracks: lane l's last slice ends at lane_end[l]. */
struct pf_thread {
	uint32_t tid;			/* offset by trace; 0 slot: empty unless used */
	bool used;
	uint32_t nlanes;
	uint64_t *lane_end;
	uint32_t *lane_tid;
};

struct pf_state {
	struct pf_thread *threads;	/* open addressing by tid */
	size_t mask, nthreads;
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
	if (s)
		s->threads = calloc(64, sizeof(*s->threads));
	if (!s || !s->threads) {
		x->out.failed = true;
		return;
	}
	s->mask = 63;
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
	json_text(o, "name", what);
	json_u64(o, "pid", pid);
	json_u64(o, "tid", tid);
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

static size_t tid_hash(uint32_t tid)
{
	return (size_t)((tid * 0x9e3779b97f4a7c15ull) >> 32);
}

static struct pf_thread *thread_slot(struct pf_thread *tab, size_t mask, uint32_t tid)
{
	size_t i = tid_hash(tid) & mask;

	while (tab[i].used && tab[i].tid != tid)
		i = (i + 1) & mask;
	return &tab[i];
}

/* Double the thread table when half full; false if memory is short. */
static bool threads_grow(struct pf_state *s)
{
	size_t mask = s->mask * 2 + 1;
	struct pf_thread *tab;

	if (2 * (s->nthreads + 1) <= s->mask + 1)
		return true;
	tab = calloc(mask + 1, sizeof(*tab));
	if (!tab)
		return false;
	for (size_t i = 0; i <= s->mask; i++)
		if (s->threads[i].used)
			*thread_slot(tab, mask, s->threads[i].tid) = s->threads[i];
	free(s->threads);
	s->threads = tab;
	s->mask = mask;
	return true;
}

static struct pf_thread *thread_of(struct exporter *x, uint32_t tid)
{
	struct pf_state *s = state(x);
	struct pf_thread *t = thread_slot(s->threads, s->mask, tid);

	if (t->used)
		return t;
	if (!threads_grow(s)) {
		x->out.failed = true;
		return NULL;
	}
	t = thread_slot(s->threads, s->mask, tid);
	t->used = true;
	t->tid = tid;
	s->nthreads++;
	return t;
}

static void name_lane(struct exporter *x, const struct export_event *e, uint32_t pid,
		      uint32_t lane, uint32_t lane_tid)
{
	uint32_t real = e->ev->tid;
	const char *comm = e->proc ? e->proc->comm : real ? "?" : "kernel";
	char name[600];

	if (lane == 0)
		snprintf(name, sizeof(name), "%s [%u]", comm, real);
	else
		snprintf(name, sizeof(name), "%s [%u] lane %u", comm, real, lane + 1);
	write_name_record(x, "thread_name", pid, lane_tid, name);
}

/*
 * The track of a slice [ts, end) of thread tid: its first lane whose
 * slices have all ended, naming lanes as they appear.  In start order
 * this is the fewest lanes; in any order no lane's slices overlap, as a
 * lane's end only grows.  0 if memory is short.
 */
static uint32_t lane_for(struct exporter *x, const struct export_event *e, uint32_t pid,
			 uint32_t tid, uint64_t ts, uint64_t end)
{
	struct pf_thread *t = thread_of(x, tid);
	uint32_t l;

	if (!t)
		return 0;
	for (l = 0; l < t->nlanes && t->lane_end[l] > ts; l++)
		;
	if (l == t->nlanes) {
		uint64_t *ne = realloc(t->lane_end, (l + 1) * sizeof(*ne));
		uint32_t *nt = ne ? realloc(t->lane_tid, (l + 1) * sizeof(*nt)) : NULL;

		if (ne)
			t->lane_end = ne;
		if (!nt) {
			x->out.failed = true;
			return 0;
		}
		t->lane_tid = nt;
		t->lane_tid[l] = l == 0 ? tid : state(x)->next_lane_tid++;
		t->lane_end[l] = 0;
		t->nlanes++;
		name_lane(x, e, pid, l, t->lane_tid[l]);
	}
	if (end > t->lane_end[l])
		t->lane_end[l] = end;
	return t->lane_tid[l];
}

static void write_args(struct outbuf *o, const struct export_event *e)
{
	const struct trace_event *ev = e->ev;
	char buf[32];
	const char *sc = export_syscall_name(ev->syscall, buf, sizeof(buf));

	outbuf_puts(o, "{\"file_id\":");
	outbuf_u64(o, ev->file_id);
	if (e->path)
		json_name(o, "path", e->path, e->path_len);
	json_u64(o, "offset", ev->offset);
	json_u64(o, "size", ev->size);
	json_i64(o, "result", ev->result);
	if (sc)
		json_text(o, "syscall", sc);
	if (ev->trigger != TRACE_TRIGGER_NONE)
		json_text(o, "trigger", trace_trigger_name(ev->trigger));
	if (ev->name_len)
		json_name(o, "name", ev->name, ev->name_len);
	outbuf_putc(o, '}');
}

/* One slice, written at once: only the threads' lanes are kept. */
static void pf_event(struct exporter *x, const struct export_event *e)
{
	const struct trace_event *ev = e->ev;
	uint32_t base = e->trace_index * PID_SPACE, pid = base + ev->pid;
	uint64_t ts = ev->start_ns < e->trace_start_ns ? 0 : ev->start_ns - e->trace_start_ns;
	struct outbuf *o = &x->out;
	uint32_t lane;

	if (!state(x))
		return;
	lane = lane_for(x, e, pid, base + ev->tid, ts, ts + ev->duration_ns);
	if (x->out.failed)
		return;
	record_start(x);
	outbuf_puts(o, "{\"ph\":\"X\"");
	json_text(o, "name", trace_op_name(ev->op));
	json_text(o, "cat", trace_method_name(ev->method));
	json_key(o, "ts");
	outbuf_fixed(o, ts, 3);
	json_key(o, "dur");
	outbuf_fixed(o, ev->duration_ns, 3);
	json_u64(o, "pid", pid);
	json_u64(o, "tid", lane);
	outbuf_puts(o, ",\"args\":");
	write_args(o, e);
	outbuf_putc(o, '}');
}

static void pf_finish(struct exporter *x)
{
	if (state(x))
		outbuf_puts(&x->out, "\n]}\n");
}

static void pf_free(struct exporter *x)
{
	struct pf_state *s = state(x);

	if (!s)
		return;
	for (size_t i = 0; s->threads && i <= s->mask; i++) {
		free(s->threads[i].lane_end);
		free(s->threads[i].lane_tid);
	}
	free(s->threads);
	free(s);
}

const struct export_ops export_perfetto_ops = {
	.begin = pf_begin,
	.trace = pf_trace,
	.event = pf_event,
	.finish = pf_finish,
	.free = pf_free,
};
