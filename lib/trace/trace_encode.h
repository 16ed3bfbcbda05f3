/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_encode.h - the one codec of trace records: events (delta-coded
 * against the previous event of the same block) and META records, encode
 * and decode side by side so they cannot disagree.
 *
 * It knows nothing of files or threads: the writer encodes into its
 * per-thread buffers, the reader decodes from the mapped file.
 */
#ifndef ACCESSFS_TRACE_ENCODE_H
#define ACCESSFS_TRACE_ENCODE_H

#include <stddef.h>
#include <stdint.h>
#include "trace_format.h"

/* Bytes an event needs at most, besides its two names. */
#define TRACE_EVENT_FIXED_MAX 224

/* The previous event's fields that the next one is coded against. */
struct trace_codec {
	uint64_t start_ns, file_id, fh, offset_end;
	uint64_t tid, pid, uid, gid;
	int64_t syscall;
};

/* Start of a block: every delta is against zero. */
void trace_codec_reset(struct trace_codec *c);

/* Upper bound of trace_event_encode()'s output for ev. */
static inline size_t trace_event_encoded_max(const struct trace_event *ev)
{
	return TRACE_EVENT_FIXED_MAX + ev->name_len + ev->name2_len;
}

/* Encode ev at out (trace_event_encoded_max(ev) bytes); returns bytes used. */
size_t trace_event_encode(struct trace_codec *c, const struct trace_event *ev, uint8_t *out);

/*
 * Decode one event at *pos (not past end), advancing *pos.  Names point
 * into the input.  Returns 0, or -1 if the bytes are not a valid event.
 */
int trace_event_decode(struct trace_codec *c, const uint8_t **pos, const uint8_t *end,
		       struct trace_event *ev);

/*
 * META records.  The encoders write one whole record (type, length,
 * payload) at out and return its length; out needs TRACE_META_RECORD_MAX
 * bytes.  Strings longer than TRACE_META_STR_MAX are cut.
 */
#define TRACE_META_STR_MAX 4096
/* Bytes one META record needs at most. */
#define TRACE_META_RECORD_MAX (2 * TRACE_META_STR_MAX + 128)
size_t trace_meta_encode_dentry(uint8_t *out, const struct trace_dentry *d);
size_t trace_meta_encode_proc(uint8_t *out, const struct trace_proc *p);
/* LOST (time, count), UNLINK (time, file_id): two numbers, given the type. */
size_t trace_meta_encode_app(uint8_t *out, const struct trace_app_sample *a);
size_t trace_meta_encode_pair(uint8_t *out, unsigned int type, uint64_t a, uint64_t b);
size_t trace_meta_encode_end(uint8_t *out, uint64_t time_ns, uint64_t events, uint64_t lost);
/* A record of n (at most 8) unsigned numbers, e.g. LOST with its META count. */
size_t trace_meta_encode_numbers(uint8_t *out, unsigned int type, const uint64_t *v, size_t n);

/* One undecoded META record: its type and payload. */
struct trace_meta_record {
	unsigned int type;
	const uint8_t *payload;
	size_t len;
};

/* Split the next record off *pos; 0, or -1 if it overruns end. */
int trace_meta_next(const uint8_t **pos, const uint8_t *end, struct trace_meta_record *rec);

/* Payload decoders; 0 or -1.  Strings point into the payload (not NUL-terminated). */
int trace_meta_decode_dentry(const struct trace_meta_record *rec, struct trace_dentry *d);
int trace_meta_decode_proc(const struct trace_meta_record *rec, struct trace_proc *p,
			   size_t *comm_len, size_t *exe_len);
/*
 * n unsigned numbers (LOST, END, UNLINK payloads); bytes after them are
 * ignored, so a record may grow numbers at its end.
 */
/* comm points into the record (not NUL-terminated): comm_len bytes. */
int trace_meta_decode_app(const struct trace_meta_record *rec, struct trace_app_sample *a,
			  size_t *comm_len);
int trace_meta_decode_numbers(const struct trace_meta_record *rec, uint64_t *v, size_t n);

#endif /* ACCESSFS_TRACE_ENCODE_H */
