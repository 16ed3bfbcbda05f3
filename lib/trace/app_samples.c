/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * app_samples.c - the latest APP sample per (file, process, method); see
 * app_samples.h.
 */
#include <stdlib.h>
#include <string.h>
#include "app_samples.h"

static uint64_t key_hash(uint64_t file_id, uint32_t pid, uint8_t method)
{
	const uint64_t key[] = { file_id, (uint64_t)pid << 8 | method };

	return hash_bytes(HASH_BYTES_INIT, key, sizeof(key));
}

struct key_match {
	const struct app_samples *t;
	const struct trace_app_sample *s;
};

static bool same_key(const void *ctx, uint32_t item)
{
	const struct key_match *m = ctx;
	const struct trace_app_sample *o = &m->t->items[item].s;

	return o->file_id == m->s->file_id && o->pid == m->s->pid && o->method == m->s->method;
}

int app_samples_put(struct app_samples *t, const struct trace_app_sample *s, size_t comm_len)
{
	const struct key_match m = { t, s };
	uint64_t h = key_hash(s->file_id, s->pid, s->method);
	uint32_t i = hash_index_find(&t->index, h, same_key, &m);
	struct app_sample_entry *e;

	if (i == HASH_INDEX_NONE) {
		if (t->n == t->cap) {
			size_t ncap = t->cap ? t->cap * 2 : 64;
			void *p = realloc(t->items, ncap * sizeof(*t->items));

			if (!p)
				return -1;
			t->items = p;
			t->cap = ncap;
		}
		if (hash_index_add(&t->index, h, (uint32_t)t->n))
			return -1;
		i = (uint32_t)t->n++;
	} else if (t->items[i].s.time_ns > s->time_ns) {
		return 0;	/* an older sample than the one kept */
	}
	e = &t->items[i];
	e->s = *s;
	if (comm_len >= sizeof(e->comm))
		comm_len = sizeof(e->comm) - 1;
	memcpy(e->comm, s->comm, comm_len);
	e->comm[comm_len] = '\0';
	return 0;
}

bool app_samples_get(const struct app_samples *t, size_t i, struct trace_app_sample *out)
{
	if (i >= t->n)
		return false;
	*out = t->items[i].s;
	out->comm = t->items[i].comm;
	return true;
}

void app_samples_free(struct app_samples *t)
{
	free(t->items);
	hash_index_free(&t->index);
	memset(t, 0, sizeof(*t));
}
