/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * export_jsonl.c - one JSON object per event and line.  Keys that do not
 * apply to an event are left out rather than written as null, so that
 * each line says only what was recorded (doc/trace.md lists every key).
 *
 * A line is most of a dump's work, so it is written through one cursor
 * into room reserved once for the whole line (outbuf.h).
 */
#include "escape.h"
#include "export.h"

/*
 * Room for a line without its names: fewer than 24 members of at most
 * JSON_NUMBER_MAX(11) bytes, or a key and a table name of under 32.
 */
#define JSONL_FIXED_MAX 2048

static char *put_map(char *p, const struct trace_event *ev)
{
	char prot[4];

	export_map_prot(ev->map_flags, prot);
	p = json_put_key(p, "map");
	memcpy(p, "{\"start\":", 9);
	p = outbuf_format_u64(p + 9, ev->map_start);
	p = json_put_u64(p, "len", ev->map_len);
	p = json_put_u64(p, "offset", ev->map_offset);
	p = json_put_text(p, "prot", prot, 3);
	if (ev->map_flags & TRACE_MAP_SHARED) {
		memcpy(p, ",\"shared\":true}", 15);
		return p + 15;
	}
	memcpy(p, ",\"shared\":false}", 16);
	return p + 16;
}

static char *put_table_name(char *p, const char *key, const char *name)
{
	return json_put_text(p, key, name, strlen(name));
}

/* method, syscall, trigger, ahead_bytes, map: how the request came about. */
static char *put_cause(char *p, const struct trace_event *ev)
{
	char buf[32];
	const char *sc = export_syscall_name(ev->syscall, buf, sizeof(buf));

	if (trace_op_is_data(ev->op) || ev->method != TRACE_METHOD_NONE)
		p = put_table_name(p, "method", trace_method_name(ev->method));
	if (sc)
		p = put_table_name(p, "syscall", sc);
	if (ev->trigger != TRACE_TRIGGER_NONE || ev->method == TRACE_METHOD_WRITEBACK)
		p = put_table_name(p, "trigger", trace_trigger_name(ev->trigger));
	if (ev->ahead_bytes != TRACE_AHEAD_UNKNOWN)
		p = json_put_u64(p, "ahead_bytes", ev->ahead_bytes);
	if (ev->map_len || ev->map_start)
		p = put_map(p, ev);
	return p;
}

/* The room of the line's names; keys are at most 5 bytes. */
static size_t names_room(const struct export_event *e, size_t comm_len, size_t host_len)
{
	const struct trace_event *ev = e->ev;

	return JSON_NAME_MAX(5, e->path_len) + JSON_NAME_MAX(5, comm_len) +
	       JSON_NAME_MAX(5, ev->name_len) + JSON_NAME_MAX(5, ev->name2_len) +
	       JSON_NAME_MAX(5, e->path2_len) + JSON_NAME_MAX(5, host_len);
}

static void jsonl_event(struct exporter *x, const struct export_event *e)
{
	const struct trace_event *ev = e->ev;
	size_t comm_len = e->proc ? strlen(e->proc->comm) : 0;
	size_t host_len = e->host ? strlen(e->host) : 0;
	struct outbuf *o = &x->out;
	char *p;

	if (!outbuf_reserve(o, JSONL_FIXED_MAX + names_room(e, comm_len, host_len)))
		return;
	p = outbuf_cursor(o);
	memcpy(p, "{\"t\":", 5);
	p = export_put_seconds(p + 5, ev->start_ns, e->trace_start_ns);
	p = json_put_u64(p, "ts_ns", ev->start_ns);
	p = json_put_u64(p, "dur_ns", ev->duration_ns);
	p = put_table_name(p, "op", trace_op_name(ev->op));
	if (e->path)
		p = json_put_name(p, "path", e->path, e->path_len);
	p = json_put_u64(p, "file_id", ev->file_id);
	p = json_put_u64(p, "fh", ev->fh);
	p = json_put_u64(p, "offset", ev->offset);
	p = json_put_u64(p, "size", ev->size);
	p = json_put_i64(p, "result", ev->result);
	p = json_put_u64(p, "tid", ev->tid);
	p = json_put_u64(p, "pid", ev->pid);
	if (e->proc)
		p = json_put_name(p, "comm", e->proc->comm, comm_len);
	p = json_put_u64(p, "uid", ev->uid);
	p = json_put_u64(p, "gid", ev->gid);
	p = put_cause(p, ev);
	if (ev->flags)
		p = json_put_u64(p, "flags", ev->flags);
	if (ev->name_len)
		p = json_put_name(p, "name", ev->name, ev->name_len);
	if (ev->name2_len)
		p = json_put_name(p, "name2", ev->name2, ev->name2_len);
	if (ev->file_id2)
		p = json_put_u64(p, "file_id2", ev->file_id2);
	if (e->path2)
		p = json_put_name(p, "path2", e->path2, e->path2_len);
	if (e->host)
		p = json_put_name(p, "host", e->host, host_len);
	memcpy(p, "}\n", 2);
	outbuf_commit(o, p + 2);
}

const struct export_ops export_jsonl_ops = {
	.event = jsonl_event,
	.independent = true,
};
