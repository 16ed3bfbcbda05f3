/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bpf_why.h - the one line that says why a BPF skeleton did not load, with
 * the last warning libbpf printed (the verifier's or the kernel's words),
 * for the BPF label source and the app-side counters.
 */
#ifndef ACCESSFS_BPF_WHY_H
#define ACCESSFS_BPF_WHY_H

#include <stddef.h>

/* Before opening a skeleton: forget the last warning, keep the next. */
void bpf_why_begin(void);

/* "<who>: <what>: <strerror(err)> (libbpf: <last warning>)" into why. */
void bpf_why(char *why, size_t whylen, const char *who, const char *what, int err);

#endif /* ACCESSFS_BPF_WHY_H */
