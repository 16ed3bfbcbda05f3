/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_encode.c - encode and decode trace events and META records
 * (layout in trace_format.h, "Event encoding" and "META records").
 *
 * Deltas are taken modulo 2^64 and zigzag-coded, so every 64-bit value
 * round-trips, extremes included, while the common case (the next read of
 * the same file by the same thread) costs about one byte per field.
 */
#include <string.h>
#include "trace_encode.h"
#include "varint.h"

void trace_codec_reset(struct trace_codec *c)
{
	memset(c, 0, sizeof(*c));
}

static uint8_t *put_delta(uint8_t *p, uint64_t value, uint64_t *prev)
{
	p = varint_put(p, zigzag_encode((int64_t)(value - *prev)));
	*prev = value;
	return p;
}

static uint8_t *put_bytes(uint8_t *p, const char *s, size_t len)
{
	p = varint_put(p, len);
	if (len)
		memcpy(p, s, len);
	return p + len;
}

static unsigned int event_has(const struct trace_event *ev)
{
	unsigned int has = 0;

	if (ev->flags)
		has |= TRACE_EV_HAS_FLAGS;
	if (ev->ahead_bytes != TRACE_AHEAD_UNKNOWN)
		has |= TRACE_EV_HAS_AHEAD;
	if (ev->file_id2)
		has |= TRACE_EV_HAS_FILE2;
	if (ev->map_start || ev->map_len || ev->map_offset || ev->map_flags)
		has |= TRACE_EV_HAS_MAP;
	if (ev->name_len)
		has |= TRACE_EV_HAS_NAME;
	if (ev->name2_len)
		has |= TRACE_EV_HAS_NAME2;
	return has;
}

size_t trace_event_encode(struct trace_codec *c, const struct trace_event *ev, uint8_t *out)
{
	unsigned int has = event_has(ev);
	uint8_t *p = out;

	*p++ = ev->op;
	*p++ = ev->method;
	*p++ = ev->trigger;
	p = varint_put(p, has);
	p = put_delta(p, ev->start_ns, &c->start_ns);
	p = varint_put(p, ev->duration_ns);
	p = put_delta(p, ev->file_id, &c->file_id);
	p = put_delta(p, ev->fh, &c->fh);
	p = varint_put(p, zigzag_encode((int64_t)(ev->offset - c->offset_end)));
	c->offset_end = ev->offset + ev->size;
	p = varint_put(p, ev->size);
	p = varint_put(p, zigzag_encode((int64_t)((uint64_t)ev->result - ev->size)));
	p = put_delta(p, ev->tid, &c->tid);
	p = put_delta(p, ev->pid, &c->pid);
	p = put_delta(p, ev->uid, &c->uid);
	p = put_delta(p, ev->gid, &c->gid);
	p = varint_put(p, zigzag_encode((int64_t)ev->syscall - c->syscall));
	c->syscall = ev->syscall;
	if (has & TRACE_EV_HAS_FLAGS)
		p = varint_put(p, ev->flags);
	if (has & TRACE_EV_HAS_AHEAD)
		p = varint_put(p, ev->ahead_bytes);
	if (has & TRACE_EV_HAS_FILE2)
		p = varint_put(p, zigzag_encode((int64_t)(ev->file_id2 - ev->file_id)));
	if (has & TRACE_EV_HAS_MAP) {
		p = varint_put(p, ev->map_start);
		p = varint_put(p, ev->map_len);
		p = varint_put(p, ev->map_offset);
		p = varint_put(p, ev->map_flags);
	}
	if (has & TRACE_EV_HAS_NAME)
		p = put_bytes(p, ev->name, ev->name_len);
	if (has & TRACE_EV_HAS_NAME2)
		p = put_bytes(p, ev->name2, ev->name2_len);
	return (size_t)(p - out);
}

/* Decoding: each getter returns nonzero on malformed input. */
static int get_delta(const uint8_t **p, const uint8_t *end, uint64_t *prev)
{
	uint64_t z;

	if (varint_get(p, end, &z))
		return -1;
	*prev += (uint64_t)zigzag_decode(z);
	return 0;
}

static int get_delta32(const uint8_t **p, const uint8_t *end, uint64_t *prev, uint32_t *out)
{
	if (get_delta(p, end, prev))
		return -1;
	*prev = (uint32_t)*prev;
	*out = (uint32_t)*prev;
	return 0;
}

static int get_u32(const uint8_t **p, const uint8_t *end, uint32_t *out)
{
	uint64_t v;

	if (varint_get(p, end, &v) || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int get_bytes(const uint8_t **p, const uint8_t *end, const char **s, uint16_t *len)
{
	uint64_t n;

	if (varint_get(p, end, &n) || n > UINT16_MAX || n > (uint64_t)(end - *p))
		return -1;
	*s = (const char *)*p;
	*len = (uint16_t)n;
	*p += n;
	return 0;
}

/*
 * Each optional group is either read or set to what its absence means:
 * every field of ev is written exactly once, as clearing the whole event
 * first (a memset of 168 bytes, rep stos) was most of the decoder's time.
 */
static int decode_optional(const uint8_t **p, const uint8_t *end, unsigned int has,
			   struct trace_event *ev)
{
	uint64_t v = 0;

	ev->flags = 0;
	if ((has & TRACE_EV_HAS_FLAGS) && get_u32(p, end, &ev->flags))
		return -1;
	ev->ahead_bytes = TRACE_AHEAD_UNKNOWN;
	if ((has & TRACE_EV_HAS_AHEAD) && varint_get(p, end, &ev->ahead_bytes))
		return -1;
	if ((has & TRACE_EV_HAS_FILE2) && varint_get(p, end, &v))
		return -1;
	ev->file_id2 = has & TRACE_EV_HAS_FILE2 ? ev->file_id + (uint64_t)zigzag_decode(v) : 0;
	ev->map_start = ev->map_len = ev->map_offset = 0;
	ev->map_flags = 0;
	if ((has & TRACE_EV_HAS_MAP) &&
	    (varint_get(p, end, &ev->map_start) || varint_get(p, end, &ev->map_len) ||
	     varint_get(p, end, &ev->map_offset) || get_u32(p, end, &ev->map_flags)))
		return -1;
	ev->name = ev->name2 = NULL;
	ev->name_len = ev->name2_len = 0;
	if ((has & TRACE_EV_HAS_NAME) && get_bytes(p, end, &ev->name, &ev->name_len))
		return -1;
	if ((has & TRACE_EV_HAS_NAME2) && get_bytes(p, end, &ev->name2, &ev->name2_len))
		return -1;
	return 0;
}

int trace_event_decode(struct trace_codec *c, const uint8_t **pos, const uint8_t *end,
		       struct trace_event *ev)
{
	const uint8_t *p = *pos;
	uint64_t has, z;

	if (end - p < 4)
		return -1;
	ev->op = p[0];
	ev->method = p[1];
	ev->trigger = p[2];
	p += 3;
	if (varint_get(&p, end, &has) || get_delta(&p, end, &c->start_ns) ||
	    varint_get(&p, end, &ev->duration_ns) || get_delta(&p, end, &c->file_id) ||
	    get_delta(&p, end, &c->fh) || varint_get(&p, end, &z) ||
	    varint_get(&p, end, &ev->size))
		return -1;
	ev->start_ns = c->start_ns;
	ev->file_id = c->file_id;
	ev->fh = c->fh;
	ev->offset = c->offset_end + (uint64_t)zigzag_decode(z);
	c->offset_end = ev->offset + ev->size;
	if (varint_get(&p, end, &z))
		return -1;
	ev->result = (int64_t)(ev->size + (uint64_t)zigzag_decode(z));
	if (get_delta32(&p, end, &c->tid, &ev->tid) || get_delta32(&p, end, &c->pid, &ev->pid) ||
	    get_delta32(&p, end, &c->uid, &ev->uid) || get_delta32(&p, end, &c->gid, &ev->gid) ||
	    varint_get(&p, end, &z))
		return -1;
	c->syscall = (int32_t)(uint32_t)((uint64_t)c->syscall + (uint64_t)zigzag_decode(z));
	ev->syscall = (int32_t)c->syscall;
	if (decode_optional(&p, end, (unsigned int)has, ev))
		return -1;
	*pos = p;
	return 0;
}

/* META records: type byte, payload length, payload. */
static size_t meta_finish(uint8_t *out, unsigned int type, const uint8_t *payload, size_t len)
{
	uint8_t *p = out;

	*p++ = (uint8_t)type;
	p = varint_put(p, len);
	memmove(p, payload, len);
	return (size_t)(p - out) + len;
}

/* Payloads are built VARINT_MAX_LEN + 1 bytes in, then slid into place. */
#define META_PAYLOAD_GAP (1 + VARINT_MAX_LEN)

static size_t str_cut(size_t len)
{
	return len > TRACE_META_STR_MAX ? TRACE_META_STR_MAX : len;
}

size_t trace_meta_encode_dentry(uint8_t *out, const struct trace_dentry *d)
{
	uint8_t *start = out + META_PAYLOAD_GAP, *p = start;

	p = varint_put(p, d->time_ns);
	p = varint_put(p, d->file_id);
	p = varint_put(p, d->parent_id);
	p = varint_put(p, d->kind);
	p = put_bytes(p, d->name, str_cut(d->name_len));
	return meta_finish(out, TRACE_META_DENTRY, start, (size_t)(p - start));
}

size_t trace_meta_encode_proc(uint8_t *out, const struct trace_proc *pr)
{
	uint8_t *start = out + META_PAYLOAD_GAP, *p = start;
	const char *exe = pr->exe ? pr->exe : "";

	p = varint_put(p, pr->time_ns);
	p = varint_put(p, pr->tid);
	p = varint_put(p, pr->pid);
	p = put_bytes(p, pr->comm, str_cut(strlen(pr->comm)));
	p = put_bytes(p, exe, str_cut(strlen(exe)));
	return meta_finish(out, TRACE_META_PROC, start, (size_t)(p - start));
}

size_t trace_meta_encode_app(uint8_t *out, const struct trace_app_sample *a)
{
	uint8_t *start = out + META_PAYLOAD_GAP, *p = start;
	const uint64_t v[] = { a->time_ns, a->file_id, a->pid, a->method, a->bytes, a->calls,
			       a->faults, a->major, a->mapped };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		p = varint_put(p, v[i]);
	p = put_bytes(p, a->comm, str_cut(strlen(a->comm)));
	return meta_finish(out, TRACE_META_APP, start, (size_t)(p - start));
}

size_t trace_meta_encode_numbers(uint8_t *out, unsigned int type, const uint64_t *v, size_t n)
{
	uint8_t *start = out + META_PAYLOAD_GAP, *p = start;

	for (size_t i = 0; i < n; i++)
		p = varint_put(p, v[i]);
	return meta_finish(out, type, start, (size_t)(p - start));
}

size_t trace_meta_encode_pair(uint8_t *out, unsigned int type, uint64_t a, uint64_t b)
{
	const uint64_t v[] = { a, b };

	return trace_meta_encode_numbers(out, type, v, 2);
}

size_t trace_meta_encode_end(uint8_t *out, uint64_t time_ns, uint64_t events, uint64_t lost)
{
	const uint64_t v[] = { time_ns, events, lost };

	return trace_meta_encode_numbers(out, TRACE_META_END, v, 3);
}

int trace_meta_next(const uint8_t **pos, const uint8_t *end, struct trace_meta_record *rec)
{
	const uint8_t *p = *pos;
	uint64_t len;

	if (p >= end)
		return -1;
	rec->type = *p++;
	if (varint_get(&p, end, &len) || len > (uint64_t)(end - p))
		return -1;
	rec->payload = p;
	rec->len = (size_t)len;
	*pos = p + len;
	return 0;
}

int trace_meta_decode_numbers(const struct trace_meta_record *rec, uint64_t *v, size_t n)
{
	const uint8_t *p = rec->payload, *end = p + rec->len;

	for (size_t i = 0; i < n; i++)
		if (varint_get(&p, end, &v[i]))
			return -1;
	return 0;
}

int trace_meta_decode_dentry(const struct trace_meta_record *rec, struct trace_dentry *d)
{
	const uint8_t *p = rec->payload, *end = p + rec->len;
	uint64_t kind;

	if (varint_get(&p, end, &d->time_ns) || varint_get(&p, end, &d->file_id) ||
	    varint_get(&p, end, &d->parent_id) || varint_get(&p, end, &kind) ||
	    get_bytes(&p, end, &d->name, &d->name_len))
		return -1;
	d->kind = (uint32_t)kind;
	return 0;
}

int trace_meta_decode_proc(const struct trace_meta_record *rec, struct trace_proc *pr,
			   size_t *comm_len, size_t *exe_len)
{
	const uint8_t *p = rec->payload, *end = p + rec->len;
	uint64_t time_ns;
	uint16_t clen, elen;

	if (varint_get(&p, end, &time_ns) || get_u32(&p, end, &pr->tid) ||
	    get_u32(&p, end, &pr->pid) ||
	    get_bytes(&p, end, &pr->comm, &clen) || get_bytes(&p, end, &pr->exe, &elen))
		return -1;
	pr->time_ns = time_ns;
	*comm_len = clen;
	*exe_len = elen;
	return 0;
}

int trace_meta_decode_app(const struct trace_meta_record *rec, struct trace_app_sample *a,
			  size_t *comm_len)
{
	const uint8_t *p = rec->payload, *end = p + rec->len;
	uint64_t pid, method;
	uint16_t clen;

	if (varint_get(&p, end, &a->time_ns) || varint_get(&p, end, &a->file_id) ||
	    varint_get(&p, end, &pid) || varint_get(&p, end, &method) ||
	    varint_get(&p, end, &a->bytes) || varint_get(&p, end, &a->calls) ||
	    varint_get(&p, end, &a->faults) || varint_get(&p, end, &a->major) ||
	    varint_get(&p, end, &a->mapped) || get_bytes(&p, end, &a->comm, &clen) ||
	    pid > UINT32_MAX || method >= TRACE_METHOD_COUNT)
		return -1;
	a->pid = (uint32_t)pid;
	a->method = (uint8_t)method;
	*comm_len = clen;
	return 0;
}
