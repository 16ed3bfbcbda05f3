/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gt_common.h - what the ground-truth programs share: the side file in which
 * each one states what the classifier must say about the requests it causes.
 *
 * Side file lines (read by gt_check):
 *   pid PID
 *   expect FILE OP METHOD TRIGGER SYSCALL [ENTER_NS LEAVE_NS]
 * FILE is a base name or "*", OP a trace op name (read, write, fsync...),
 * TRIGGER and SYSCALL a name or "-" (not checked).  A line with times
 * covers the requests that arrived in [ENTER_NS, LEAVE_NS] (CLOCK_MONOTONIC,
 * the trace's clock); the line without times is the default.
 */
#ifndef GT_COMMON_H
#define GT_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Open the side file (-g PATH) and write the pid line; exits on error. */
void gt_open(const char *path);

/* A default expectation for FILE (base name taken from path). */
void gt_expect(const char *path, const char *op, const char *method, const char *trigger,
	       const char *syscall);

/* An expectation for requests arriving within [enter_ns, leave_ns]. */
void gt_expect_during(const char *path, const char *op, const char *method,
		      const char *trigger, const char *syscall, uint64_t enter_ns,
		      uint64_t leave_ns);

/* Requests of this process (a child) are the program's too. */
void gt_add_pid(pid_t pid);

void gt_close(void);

uint64_t gt_now_ns(void);

/* Print "PROG: what: strerror" and exit 1. */
void gt_die(const char *what);

/* Open path (flags as open(2)); dies on failure. */
int gt_open_file(const char *path, int flags);

/* Size of an open file; dies on failure. */
size_t gt_file_size(int fd);

/* Deterministic pseudo-random numbers (the same run every time). */
uint64_t gt_random(void);

/* Parse a size with an optional k/m/g suffix; dies on garbage. */
size_t gt_parse_size(const char *s);

#endif /* GT_COMMON_H */
