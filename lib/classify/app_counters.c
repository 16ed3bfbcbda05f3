/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * app_counters.c - load app_counters.bpf.c, tell it our connection, and
 * walk its map for the counters that changed (see app_counters.h).
 *
 * The walk is bpf_map_get_next_key + lookup per entry, two syscalls per
 * file in use each second.  What was handed out last is kept here, by key,
 * to tell the changed ones; the kernel never deletes an entry, so neither
 * does this.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <linux/types.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "app_counters.h"
#include "bpf/app_counter.h"
#include "bpf_why.h"
#include "hash_index.h"
#include "app_counters.skel.h"

_Static_assert(APP_METHOD_READ == TRACE_METHOD_READ, "app_counter.h method ids");
_Static_assert(APP_METHOD_MMAP == TRACE_METHOD_MMAP, "app_counter.h method ids");
_Static_assert(APP_METHOD_POPULATE == TRACE_METHOD_POPULATE, "app_counter.h method ids");
_Static_assert(APP_METHOD_WRITE == TRACE_METHOD_WRITE, "app_counter.h method ids");

struct seen {
	struct app_key key;
	struct app_value val;	/* as last handed out */
};

struct app_counters {
	struct app_counters_bpf *skel;
	int map_fd;
	struct seen *seen;
	size_t nseen, seen_cap;
	struct hash_index index;	/* key -> seen */
};

struct app_counters *app_counters_open(uint64_t mount_dev, char *why, size_t whylen)
{
	struct app_counters *ac;
	int err;

	if (getenv("ACCESSFS_BPF_FAIL")) {
		snprintf(why, whylen, "app-side counters: not loaded (ACCESSFS_BPF_FAIL is set)");
		return NULL;
	}
	ac = calloc(1, sizeof(*ac));
	if (!ac) {
		snprintf(why, whylen, "app-side counters: out of memory");
		return NULL;
	}
	bpf_why_begin();
	ac->skel = app_counters_bpf__open_and_load();
	if (!ac->skel) {
		bpf_why(why, whylen, "app-side counters", "load", errno);
		goto out_free;
	}
	err = app_counters_bpf__attach(ac->skel);
	if (err) {
		bpf_why(why, whylen, "app-side counters", "attach", err);
		goto out_free;
	}
	ac->map_fd = bpf_map__fd(ac->skel->maps.app_counts);
	/* The kernel's dev_t is major << 20 | minor (include/linux/kdev_t.h). */
	ac->skel->bss->target_dev = (uint32_t)(major(mount_dev) << 20 | minor(mount_dev));
	return ac;

out_free:
	app_counters_close(ac);
	return NULL;
}

void app_counters_close(struct app_counters *ac)
{
	if (!ac)
		return;
	app_counters_bpf__destroy(ac->skel);
	free(ac->seen);
	hash_index_free(&ac->index);
	free(ac);
}

static uint64_t key_hash(const struct app_key *k)
{
	return hash_bytes(HASH_BYTES_INIT, k, sizeof(*k));
}

struct key_match {
	const struct app_counters *ac;
	const struct app_key *key;
};

static bool same_key(const void *ctx, uint32_t item)
{
	const struct key_match *m = ctx;

	return !memcmp(&m->ac->seen[item].key, m->key, sizeof(*m->key));
}

/* What was handed out for key, a zero entry for a new key; NULL if out of memory. */
static struct seen *seen_of(struct app_counters *ac, const struct app_key *key)
{
	const struct key_match m = { ac, key };
	uint64_t h = key_hash(key);
	uint32_t i = hash_index_find(&ac->index, h, same_key, &m);

	if (i != HASH_INDEX_NONE)
		return &ac->seen[i];
	if (ac->nseen == ac->seen_cap) {
		size_t ncap = ac->seen_cap ? ac->seen_cap * 2 : 64;
		void *p = realloc(ac->seen, ncap * sizeof(*ac->seen));

		if (!p)
			return NULL;
		ac->seen = p;
		ac->seen_cap = ncap;
	}
	if (hash_index_add(&ac->index, h, (uint32_t)ac->nseen))
		return NULL;
	memset(&ac->seen[ac->nseen], 0, sizeof(ac->seen[0]));
	ac->seen[ac->nseen].key = *key;
	return &ac->seen[ac->nseen++];
}

static bool changed(const struct app_value *a, const struct app_value *b)
{
	return a->bytes != b->bytes || a->calls != b->calls || a->faults != b->faults ||
	       a->major != b->major || a->mapped != b->mapped;
}

size_t app_counters_sample(struct app_counters *ac, uint64_t time_ns,
			   void (*emit)(void *ctx, const struct trace_app_sample *s), void *ctx)
{
	struct app_key key, *prev = NULL;
	struct app_value val;
	size_t n = 0;

	while (!bpf_map_get_next_key(ac->map_fd, prev, &key)) {
		struct seen *s;
		char comm[sizeof(val.comm) + 1];

		prev = &key;
		if (bpf_map_lookup_elem(ac->map_fd, &key, &val))
			continue;
		s = seen_of(ac, &key);
		if (!s || !changed(&s->val, &val))
			continue;
		s->val = val;
		memcpy(comm, val.comm, sizeof(val.comm));
		comm[sizeof(val.comm)] = '\0';
		emit(ctx, &(struct trace_app_sample){
			.time_ns = time_ns, .file_id = key.ino, .pid = key.tgid,
			.method = (uint8_t)key.method, .bytes = val.bytes, .calls = val.calls,
			.faults = val.faults, .major = val.major, .mapped = val.mapped,
			.comm = comm,
		});
		n++;
	}
	return n;
}

uint64_t app_counters_lost(const struct app_counters *ac)
{
	return ac->skel->bss->app_full;
}
