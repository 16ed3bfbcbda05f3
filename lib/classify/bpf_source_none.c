/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bpf_source_none.c - the BPF label source of a build without BPF (meson
 * -Dbpf=disabled, or no clang, bpftool, libbpf or /sys/kernel/btf/vmlinux
 * on the build host): it never loads, so labels come from /proc.
 */
#include <stdio.h>
#include "bpf_source.h"

struct bpf_source *bpf_source_open(uint64_t mount_dev, char *why, size_t whylen)
{
	(void)mount_dev;
	snprintf(why, whylen, "BPF labels: this accessfs was built without them (meson -Dbpf)");
	return NULL;
}

void bpf_source_close(struct bpf_source *b)
{
	(void)b;
}

bool bpf_source_take(struct bpf_source *b, uint64_t unique, unsigned int wait_us,
		     struct label_record *out)
{
	(void)b, (void)unique, (void)wait_us, (void)out;
	return false;
}

void bpf_source_state(const struct label_record *r, unsigned int op, struct requester_state *st)
{
	(void)r, (void)op, (void)st;
}

void bpf_source_counters(const struct bpf_source *b, struct bpf_source_counters *out)
{
	(void)b;
	*out = (struct bpf_source_counters){ 0 };
}

const uint64_t *bpf_source_renames(const struct bpf_source *b)
{
	(void)b;
	return NULL;
}
