/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hash_index.c - growing the index (hash_index.h): linear probing at a
 * load of at most one half, rehashed from the stored hashes.
 */
#include <stdlib.h>
#include "hash_index.h"

static void place(struct hash_slot *slots, size_t mask, uint64_t hash, uint32_t item)
{
	size_t i = hash & mask;

	while (slots[i].item)
		i = (i + 1) & mask;
	slots[i].hash = hash;
	slots[i].item = item;
}

int hash_index_reserve(struct hash_index *h, size_t n)
{
	size_t cap = 16;
	struct hash_slot *slots;

	while (cap < 2 * n)
		cap *= 2;
	if (h->slots && cap <= h->mask + 1)
		return 0;
	slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -1;
	for (size_t i = 0; h->slots && i <= h->mask; i++)
		if (h->slots[i].item)
			place(slots, cap - 1, h->slots[i].hash, h->slots[i].item);
	free(h->slots);
	h->slots = slots;
	h->mask = cap - 1;
	return 0;
}

int hash_index_add(struct hash_index *h, uint64_t hash, uint32_t item)
{
	if (hash_index_reserve(h, h->count + 1) < 0)
		return -1;
	place(h->slots, h->mask, hash, item + 1);
	h->count++;
	return 0;
}

bool hash_index_replace(struct hash_index *h, uint64_t hash, uint32_t item)
{
	if (!h->slots)
		return false;
	for (size_t i = hash & h->mask; h->slots[i].item; i = (i + 1) & h->mask) {
		if (h->slots[i].hash == hash) {
			h->slots[i].item = item + 1;
			return true;
		}
	}
	return false;
}

void hash_index_free(struct hash_index *h)
{
	free(h->slots);
	h->slots = NULL;
	h->mask = 0;
	h->count = 0;
}
