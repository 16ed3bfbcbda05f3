/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bpf_why.c - keep libbpf's last warning for the line that says why a
 * skeleton did not load (see bpf_why.h).  libbpf prints through one global
 * callback; the daemon loads its skeletons one after the other, at start.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "bpf_why.h"

static char libbpf_last[160];

static int keep_last_warning(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN) {
		vsnprintf(libbpf_last, sizeof(libbpf_last), fmt, ap);
		libbpf_last[strcspn(libbpf_last, "\n")] = '\0';
	}
	return 0;
}

void bpf_why_begin(void)
{
	libbpf_last[0] = '\0';
	libbpf_set_print(keep_last_warning);
}

void bpf_why(char *why, size_t whylen, const char *who, const char *what, int err)
{
	const char *msg = strerror(err < 0 ? -err : err);

	if (libbpf_last[0])
		snprintf(why, whylen, "%s: %s: %s (libbpf: %s)", who, what, msg, libbpf_last);
	else
		snprintf(why, whylen, "%s: %s: %s", who, what, msg);
}
