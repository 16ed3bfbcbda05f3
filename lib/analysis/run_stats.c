/* SPDX-License-Identifier: GPL-2.0-or-later */
/* run_stats.c - whole-run totals (see run_stats.h). */
#include <stdlib.h>
#include <string.h>
#include "run_stats.h"

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

void run_stats_free(struct run_stats *rs)
{
	for (size_t i = 0; i < rs->nprocs; i++) {
		free(rs->procs[i].comm);
		free(rs->procs[i].exe);
	}
	for (size_t i = 0; i < rs->ntraces; i++) {
		free(rs->traces[i].path);
		free(rs->traces[i].mount_options);
	}
	for (size_t i = 0; i < rs->nhosts; i++)
		free(rs->hosts[i].name);
	free(rs->procs);
	hash_index_free(&rs->proc_index);
	free(rs->traces);
	free(rs->hosts);
	free(rs->timeline);
	memset(rs, 0, sizeof(*rs));
}

static int host_index(struct run_stats *rs, const char *name)
{
	struct run_host *v;

	for (size_t i = 0; i < rs->nhosts; i++)
		if (strcmp(rs->hosts[i].name, name) == 0)
			return (int)i;
	v = realloc(rs->hosts, (rs->nhosts + 1) * sizeof(*v));
	if (!v)
		return -1;
	rs->hosts = v;
	memset(&v[rs->nhosts], 0, sizeof(*v));
	v[rs->nhosts].name = strdup(name);
	if (!v[rs->nhosts].name)
		return -1;
	return (int)rs->nhosts++;
}

int run_stats_add_trace(struct run_stats *rs, const char *path, const char *host,
			const struct run_trace *header)
{
	struct run_trace *v, *t;
	int h = host_index(rs, host && *host ? host : "?");

	if (h < 0)
		return -1;
	v = realloc(rs->traces, (rs->ntraces + 1) * sizeof(*v));
	if (!v)
		return -1;
	rs->traces = v;
	t = &v[rs->ntraces];
	*t = *header;
	t->host = (unsigned int)h;
	t->path = dup_or_empty(path);
	t->mount_options = dup_or_empty(header->mount_options);
	if (!t->path || !t->mount_options)
		return -1;
	return (int)rs->ntraces++;
}

void run_stats_end_trace(struct run_stats *rs, unsigned int i, const struct run_trace *end)
{
	struct run_trace *t = &rs->traces[i];

	t->events = end->events;
	t->lost = end->lost;
	t->torn_bytes = end->torn_bytes;
	t->clean_end = end->clean_end;
	t->torn_tail = end->torn_tail;
	t->label_fallbacks = end->label_fallbacks;
	t->transport_known = end->transport_known;
	t->uring_queues = end->uring_queues;
	t->ring_requests = end->ring_requests;
}

/* A bijection of (host, pid): equal hashes are equal keys. */
static uint64_t proc_hash(unsigned int host, uint32_t pid)
{
	return hash_u64((uint64_t)host << 32 | pid);
}

static struct run_process *process_of(struct run_stats *rs, unsigned int host, uint32_t pid,
				      const struct trace_proc *proc)
{
	struct run_process *p;
	uint64_t h;
	uint32_t i;

	if (rs->last_proc) {
		p = &rs->procs[rs->last_proc - 1];
		if (p->host == host && p->pid == pid)
			return p;
	}
	h = proc_hash(host, pid);
	i = hash_index_find(&rs->proc_index, h, NULL, NULL);
	if (i != HASH_INDEX_NONE) {
		rs->last_proc = i + 1;
		return &rs->procs[i];
	}
	if (rs->nprocs == rs->procs_cap) {
		size_t cap = rs->procs_cap ? rs->procs_cap * 2 : 16;
		struct run_process *v = realloc(rs->procs, cap * sizeof(*v));

		if (!v)
			return NULL;
		rs->procs = v;
		rs->procs_cap = cap;
	}
	p = &rs->procs[rs->nprocs];
	memset(p, 0, sizeof(*p));
	p->host = host;
	p->pid = pid;
	p->comm = dup_or_empty(pid == 0 ? "[kernel]" : proc ? proc->comm : NULL);
	p->exe = dup_or_empty(proc ? proc->exe : NULL);
	if (!p->comm || !p->exe || hash_index_add(&rs->proc_index, h, (uint32_t)rs->nprocs) < 0)
		return NULL;
	rs->last_proc = ++rs->nprocs;
	return p;
}

/* Halve the timeline's resolution: bin i takes bins 2i and 2i+1. */
static void timeline_coarsen(struct run_stats *rs)
{
	size_t n = (rs->nbins + 1) / 2;

	for (size_t i = 0; i < n; i++)
		for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++)
			rs->timeline[i][m] = rs->timeline[2 * i][m] +
				(2 * i + 1 < rs->nbins ? rs->timeline[2 * i + 1][m] : 0);
	memset(&rs->timeline[n], 0, (RUN_TIMELINE_BINS - n) * sizeof(rs->timeline[0]));
	rs->nbins = n;
	rs->bin_ns *= 2;
	rs->cur_end_ns = 0;	/* forget the last bin: its span changed */
}

static int timeline_add(struct run_stats *rs, uint64_t t_ns, unsigned int method, uint64_t bytes)
{
	size_t bin;

	if (!rs->timeline) {
		rs->timeline = calloc(RUN_TIMELINE_BINS, sizeof(rs->timeline[0]));
		if (!rs->timeline)
			return -1;
		rs->bin_ns = RUN_TIMELINE_MIN_BIN_NS;
	}
	if (t_ns < rs->cur_start_ns || t_ns >= rs->cur_end_ns) {
		while (t_ns / rs->bin_ns >= RUN_TIMELINE_BINS)
			timeline_coarsen(rs);
		rs->cur_bin = (size_t)(t_ns / rs->bin_ns);
		rs->cur_start_ns = rs->cur_bin * rs->bin_ns;
		rs->cur_end_ns = rs->cur_start_ns + rs->bin_ns;
	}
	bin = rs->cur_bin;
	rs->timeline[bin][method] += bytes;
	if (bin + 1 > rs->nbins)
		rs->nbins = bin + 1;
	return 0;
}

static void io_add(struct run_io *io, bool is_write, uint64_t bytes)
{
	io->requests++;
	if (is_write)
		io->bytes_written += bytes;
	else
		io->bytes_read += bytes;
}

int run_stats_add(struct run_stats *rs, unsigned int trace, const struct trace_event *ev,
		  uint64_t t_ns, const struct trace_proc *proc)
{
	unsigned int host = rs->traces[trace].host;
	unsigned int op = ev->op < TRACE_OP_COUNT ? ev->op : TRACE_OP_COUNT;
	uint64_t bytes = ev->result > 0 ? (uint64_t)ev->result : 0;
	bool is_write = ev->op == TRACE_OP_WRITE;
	unsigned int method = report_method_of(ev);
	struct run_trace *t = &rs->traces[trace];
	struct run_process *p;

	if (!t->any_event || t_ns < t->first_ns)
		t->first_ns = t_ns;
	if (!t->any_event || t_ns + ev->duration_ns > t->last_ns)
		t->last_ns = t_ns + ev->duration_ns;
	if (!rs->events || t_ns < rs->first_ns)
		rs->first_ns = t_ns;
	if (t_ns + ev->duration_ns > rs->last_ns)
		rs->last_ns = t_ns + ev->duration_ns;
	t->any_event = true;
	rs->events++;
	rs->hosts[host].events++;
	rs->by_op[op].count++;
	rs->by_op[op].time_ns += ev->duration_ns;
	if (ev->result < 0) {
		rs->by_op[op].errors++;
		return 0;
	}
	rs->by_op[op].bytes += bytes;
	if (op != TRACE_OP_READ && op != TRACE_OP_WRITE && op != TRACE_OP_COPY_FILE_RANGE)
		return 0;
	rs->unlabelled += ev->method == TRACE_METHOD_NONE;
	rs->unknown += method == REPORT_METHOD_UNKNOWN;
	io_add(&rs->by_method[method], is_write, bytes);
	io_add(&rs->hosts[host].io, is_write, bytes);
	p = process_of(rs, host, ev->pid, proc);
	if (!p)
		return -1;
	io_add(&p->io, is_write, bytes);
	p->bytes_by_method[method] += bytes;
	return timeline_add(rs, t_ns, method, bytes);
}

static int by_bytes_desc(const void *a, const void *b)
{
	uint64_t x = run_io_bytes(&((const struct run_process *)a)->io);
	uint64_t y = run_io_bytes(&((const struct run_process *)b)->io);

	return x < y ? 1 : x > y ? -1 : 0;
}

void run_stats_sort_processes(struct run_stats *rs)
{
	qsort(rs->procs, rs->nprocs, sizeof(rs->procs[0]), by_bytes_desc);
	/* Positions moved: index them again (on failure, later lookups add anew). */
	hash_index_free(&rs->proc_index);
	for (size_t i = 0; i < rs->nprocs; i++)
		if (hash_index_add(&rs->proc_index, proc_hash(rs->procs[i].host, rs->procs[i].pid),
				   (uint32_t)i) < 0)
			break;
	rs->last_proc = 0;
}
