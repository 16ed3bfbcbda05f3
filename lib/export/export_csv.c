/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * export_csv.c - RFC 4180 CSV: a header row, then one row per event with
 * a fixed list of columns; a cell that does not apply is empty.  Names are
 * written byte for byte (escape.h), so the file is as exact as the trace.
 */
#include "escape.h"
#include "export.h"

#define CSV_COLUMNS "t,ts_ns,dur_ns,host,op,method,syscall,trigger,path,file_id,fh,offset,size," \
	"result,ahead_bytes,tid,pid,comm,uid,gid,flags,name,name2,file_id2,path2," \
	"map_start,map_len,map_offset,map_prot,map_shared"

static void cell_u64(struct outbuf *o, uint64_t v)
{
	char *p;

	if (!outbuf_reserve(o, 1 + OUTBUF_U64_MAX))
		return;
	p = o->buf + o->len;
	*p = ',';
	o->len = (size_t)(outbuf_format_u64(p + 1, v) - o->buf);
}

static void cell_text(struct outbuf *o, const char *s, size_t len)
{
	outbuf_putc(o, ',');
	if (s)
		csv_write_field(o, s, len);
}

static void cell_cstr(struct outbuf *o, const char *s)
{
	cell_text(o, s, s ? strlen(s) : 0);
}

static void csv_begin(struct exporter *x)
{
	outbuf_puts(&x->out, CSV_COLUMNS "\r\n");
}

static void cells_cause(struct outbuf *o, const struct trace_event *ev)
{
	char buf[32];
	bool data = trace_op_is_data(ev->op) || ev->method != TRACE_METHOD_NONE;
	bool wb = ev->trigger != TRACE_TRIGGER_NONE || ev->method == TRACE_METHOD_WRITEBACK;

	cell_cstr(o, data ? trace_method_name(ev->method) : NULL);
	cell_cstr(o, export_syscall_name(ev->syscall, buf, sizeof(buf)));
	cell_cstr(o, wb ? trace_trigger_name(ev->trigger) : NULL);
}

static void cells_map(struct outbuf *o, const struct trace_event *ev)
{
	char prot[4];

	if (!ev->map_len && !ev->map_start) {
		outbuf_puts(o, ",,,,,");
		return;
	}
	export_map_prot(ev->map_flags, prot);
	cell_u64(o, ev->map_start);
	cell_u64(o, ev->map_len);
	cell_u64(o, ev->map_offset);
	cell_cstr(o, prot);
	cell_u64(o, !!(ev->map_flags & TRACE_MAP_SHARED));
}

static void csv_event(struct exporter *x, const struct export_event *e)
{
	const struct trace_event *ev = e->ev;
	struct outbuf *o = &x->out;

	export_write_seconds(o, ev->start_ns, e->trace_start_ns);
	cell_u64(o, ev->start_ns);
	cell_u64(o, ev->duration_ns);
	cell_cstr(o, e->host);
	cell_cstr(o, trace_op_name(ev->op));
	cells_cause(o, ev);
	cell_text(o, e->path, e->path_len);
	cell_u64(o, ev->file_id);
	cell_u64(o, ev->fh);
	cell_u64(o, ev->offset);
	cell_u64(o, ev->size);
	outbuf_putc(o, ',');
	outbuf_i64(o, ev->result);
	outbuf_putc(o, ',');
	if (ev->ahead_bytes != TRACE_AHEAD_UNKNOWN)
		outbuf_u64(o, ev->ahead_bytes);
	cell_u64(o, ev->tid);
	cell_u64(o, ev->pid);
	cell_cstr(o, e->proc ? e->proc->comm : NULL);
	cell_u64(o, ev->uid);
	cell_u64(o, ev->gid);
	cell_u64(o, ev->flags);
	cell_text(o, ev->name_len ? ev->name : NULL, ev->name_len);
	cell_text(o, ev->name2_len ? ev->name2 : NULL, ev->name2_len);
	outbuf_putc(o, ',');
	if (ev->file_id2)
		outbuf_u64(o, ev->file_id2);
	cell_text(o, e->path2, e->path2_len);
	cells_map(o, ev);
	outbuf_write(o, "\r\n", 2);
}

const struct export_ops export_csv_ops = {
	.begin = csv_begin,
	.event = csv_event,
	.independent = true,
};
