/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * export_jsonl.c - one JSON object per event and line.  Keys that do not
 * apply to an event are left out rather than written as null, so that
 * each line says only what was recorded (doc/trace.md lists every key).
 */
#include "escape.h"
#include "export.h"

static void write_map(struct outbuf *o, const struct trace_event *ev)
{
	char prot[4];

	export_map_prot(ev->map_flags, prot);
	json_key(o, "map");
	outbuf_puts(o, "{\"start\":");
	outbuf_u64(o, ev->map_start);
	json_u64(o, "len", ev->map_len);
	json_u64(o, "offset", ev->map_offset);
	json_text(o, "prot", prot);
	outbuf_puts(o, ev->map_flags & TRACE_MAP_SHARED ? ",\"shared\":true}" : ",\"shared\":false}");
}

/* method, syscall, trigger, ahead_bytes, map: how the request came about. */
static void write_cause(struct outbuf *o, const struct trace_event *ev)
{
	char buf[32];
	const char *sc = export_syscall_name(ev->syscall, buf, sizeof(buf));

	if (trace_op_is_data(ev->op) || ev->method != TRACE_METHOD_NONE)
		json_text(o, "method", trace_method_name(ev->method));
	if (sc)
		json_text(o, "syscall", sc);
	if (ev->trigger != TRACE_TRIGGER_NONE || ev->method == TRACE_METHOD_WRITEBACK)
		json_text(o, "trigger", trace_trigger_name(ev->trigger));
	if (ev->ahead_bytes != TRACE_AHEAD_UNKNOWN)
		json_u64(o, "ahead_bytes", ev->ahead_bytes);
	if (ev->map_len || ev->map_start)
		write_map(o, ev);
}

static void jsonl_event(struct exporter *x, const struct export_event *e)
{
	const struct trace_event *ev = e->ev;
	struct outbuf *o = &x->out;

	outbuf_puts(o, "{\"t\":");
	export_write_seconds(o, ev->start_ns, e->trace_start_ns);
	json_u64(o, "ts_ns", ev->start_ns);
	json_u64(o, "dur_ns", ev->duration_ns);
	json_text(o, "op", trace_op_name(ev->op));
	if (e->path)
		json_name(o, "path", e->path, e->path_len);
	json_u64(o, "file_id", ev->file_id);
	json_u64(o, "fh", ev->fh);
	json_u64(o, "offset", ev->offset);
	json_u64(o, "size", ev->size);
	json_i64(o, "result", ev->result);
	json_u64(o, "tid", ev->tid);
	json_u64(o, "pid", ev->pid);
	if (e->proc)
		json_name(o, "comm", e->proc->comm, strlen(e->proc->comm));
	json_u64(o, "uid", ev->uid);
	json_u64(o, "gid", ev->gid);
	write_cause(o, ev);
	if (ev->flags)
		json_u64(o, "flags", ev->flags);
	if (ev->name_len)
		json_name(o, "name", ev->name, ev->name_len);
	if (ev->name2_len)
		json_name(o, "name2", ev->name2, ev->name2_len);
	if (ev->file_id2)
		json_u64(o, "file_id2", ev->file_id2);
	if (e->path2)
		json_name(o, "path2", e->path2, e->path2_len);
	if (e->host)
		json_name(o, "host", e->host, strlen(e->host));
	outbuf_write(o, "}\n", 2);
}

const struct export_ops export_jsonl_ops = {
	.event = jsonl_event,
};
