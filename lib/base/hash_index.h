/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hash_index.h - an open-addressing index over an array its user owns: it
 * maps a 64-bit hash to the positions of the items that have it, nothing
 * more.  The items stay where they are (so pointers and positions into the
 * array stay valid); the index stores each item's position and hash, so it
 * grows without asking its user to hash anything again.
 *
 * For integer keys, hash them with hash_u64(), a bijection: equal hashes
 * then mean equal keys and a lookup needs no comparison (match NULL).  For
 * other keys (paths), hash_bytes() and a match function.
 *
 * The read side's one table (the trace reader's ids, the analysis' paths
 * and processes, the live views' tallies).  Not thread-safe: the daemon's
 * concurrent tables (inode_table.c, requester.c) lock their own chains.
 */
#ifndef ACCESSFS_HASH_INDEX_H
#define ACCESSFS_HASH_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HASH_INDEX_NONE UINT32_MAX

struct hash_slot {
	uint64_t hash;
	uint32_t item;		/* position + 1; 0: empty */
};

struct hash_index {
	struct hash_slot *slots;	/* NULL until the first add or reserve */
	size_t mask;			/* slots - 1, a power of two minus one */
	size_t count;
};

/* A bijective mix of a 64-bit key (half of the murmur3 finalizer: enough
 * for linear probing on the low bits, one multiply). */
static inline uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

/* FNV-1a of len bytes, continuing from h (start with HASH_BYTES_INIT). */
#define HASH_BYTES_INIT 0xcbf29ce484222325ull
static inline uint64_t hash_bytes(uint64_t h, const void *p, size_t len)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < len; i++)
		h = (h ^ c[i]) * 0x100000001b3ull;
	return h;
}

/* Room for n items without growing.  0, or -1 out of memory. */
int hash_index_reserve(struct hash_index *h, size_t n);

/* Index item (a position in the user's array) under hash.  0, or -1. */
int hash_index_add(struct hash_index *h, uint64_t hash, uint32_t item);

void hash_index_free(struct hash_index *h);

/*
 * The first item with this hash for which match(ctx, item) is true (match
 * NULL: the first with this hash), or HASH_INDEX_NONE.
 */
static inline uint32_t hash_index_find(const struct hash_index *h, uint64_t hash,
				       bool (*match)(const void *ctx, uint32_t item),
				       const void *ctx)
{
	if (!h->slots)
		return HASH_INDEX_NONE;
	for (size_t i = hash & h->mask; h->slots[i].item; i = (i + 1) & h->mask)
		if (h->slots[i].hash == hash && (!match || match(ctx, h->slots[i].item - 1)))
			return h->slots[i].item - 1;
	return HASH_INDEX_NONE;
}

/* Point the entry found for hash (match NULL) at another item; false if none. */
bool hash_index_replace(struct hash_index *h, uint64_t hash, uint32_t item);

#endif /* ACCESSFS_HASH_INDEX_H */
