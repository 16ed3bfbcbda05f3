/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * app_counters.c - load app_counters.bpf.c, tell it our connection, and
 * walk its map for the counters that changed (see app_counters.h).
 *
 * The walk is bpf_map_get_next_key + lookup per entry, two syscalls per
 * file in use each second, plus one lookup of every CPU's pending counts
 * (the key each CPU counted last, not yet in the map), which are added to
 * their key.  A CPU that moves its pending counts into the map while the
 * walk runs can make that one sample miss or repeat them; the last sample,
 * taken when nothing counts any more, is exact, and it is handed out
 * whenever it differs from what was.  What was handed out last is kept
 * here, by key, to tell the changed ones; the kernel never deletes an
 * entry, so neither does this.
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
	int map_fd, pending_fd;
	int ncpus;
	struct app_pending *pending;	/* ncpus of them */
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
	ac->pending_fd = bpf_map__fd(ac->skel->maps.app_pending);
	ac->ncpus = libbpf_num_possible_cpus();
	ac->pending = ac->ncpus > 0 ? calloc((size_t)ac->ncpus, sizeof(*ac->pending)) : NULL;
	if (!ac->pending) {
		snprintf(why, whylen, "app-side counters: no CPU count");
		goto out_free;
	}
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
	free(ac->pending);
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

static void add_value(struct app_value *to, const struct app_value *v)
{
	to->bytes += v->bytes;
	to->calls += v->calls;
	to->faults += v->faults;
	to->major += v->major;
	to->mapped += v->mapped;
}

/* The CPUs' pending counts of key into *val; whether any CPU had them. */
static bool add_pending(const struct app_counters *ac, const struct app_key *key,
			struct app_value *val)
{
	bool any = false;

	for (int c = 0; c < ac->ncpus; c++) {
		if (!ac->pending[c].key.ino || memcmp(&ac->pending[c].key, key, sizeof(*key)))
			continue;
		add_value(val, &ac->pending[c].val);
		any = true;
	}
	return any;
}

static void emit_changed(struct app_counters *ac, const struct app_key *key,
			 const struct app_value *val, uint64_t time_ns,
			 void (*emit)(void *ctx, const struct trace_app_sample *s), void *ctx,
			 size_t *n)
{
	struct seen *s = seen_of(ac, key);
	char comm[sizeof(val->comm) + 1];

	if (!s || !changed(&s->val, val))
		return;
	s->val = *val;
	memcpy(comm, val->comm, sizeof(val->comm));
	comm[sizeof(val->comm)] = '\0';
	emit(ctx, &(struct trace_app_sample){
		.time_ns = time_ns, .file_id = key->ino, .pid = key->tgid,
		.method = (uint8_t)key->method, .bytes = val->bytes, .calls = val->calls,
		.faults = val->faults, .major = val->major, .mapped = val->mapped,
		.comm = comm,
	});
	(*n)++;
}

size_t app_counters_sample(struct app_counters *ac, uint64_t time_ns,
			   void (*emit)(void *ctx, const struct trace_app_sample *s), void *ctx)
{
	struct app_key key, *prev = NULL;
	struct app_value val;
	__u32 zero = 0;
	size_t n = 0;

	if (bpf_map_lookup_elem(ac->pending_fd, &zero, ac->pending))
		memset(ac->pending, 0, (size_t)ac->ncpus * sizeof(*ac->pending));
	while (!bpf_map_get_next_key(ac->map_fd, prev, &key)) {
		prev = &key;
		if (bpf_map_lookup_elem(ac->map_fd, &key, &val))
			continue;
		add_pending(ac, &key, &val);
		emit_changed(ac, &key, &val, time_ns, emit, ctx, &n);
	}
	/* Keys only a CPU has counted yet: once each (their first CPU). */
	for (int c = 0; c < ac->ncpus; c++) {
		const struct app_key *k = &ac->pending[c].key;
		bool first = true;

		if (!k->ino || !bpf_map_lookup_elem(ac->map_fd, k, &val))
			continue;
		for (int d = 0; d < c; d++)
			first = first && memcmp(&ac->pending[d].key, k, sizeof(*k));
		if (!first)
			continue;
		memset(&val, 0, sizeof(val));
		memcpy(val.comm, ac->pending[c].val.comm, sizeof(val.comm));
		add_pending(ac, k, &val);
		emit_changed(ac, k, &val, time_ns, emit, ctx, &n);
	}
	return n;
}

uint64_t app_counters_lost(const struct app_counters *ac)
{
	return ac->skel->bss->app_full;
}
