/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * app_counters_none.c - the app-side counters of a build without BPF: they
 * never load, and the report says the view is unavailable.
 */
#include <stdio.h>
#include "app_counters.h"

struct app_counters *app_counters_open(uint64_t mount_dev, char *why, size_t whylen)
{
	(void)mount_dev;
	snprintf(why, whylen, "app-side counters: this accessfs was built without BPF (meson -Dbpf)");
	return NULL;
}

void app_counters_close(struct app_counters *ac)
{
	(void)ac;
}

size_t app_counters_sample(struct app_counters *ac, uint64_t time_ns,
			   void (*emit)(void *ctx, const struct trace_app_sample *s), void *ctx)
{
	(void)ac, (void)time_ns, (void)emit, (void)ctx;
	return 0;
}

uint64_t app_counters_lost(const struct app_counters *ac)
{
	(void)ac;
	return 0;
}
