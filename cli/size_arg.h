/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * size_arg.h - parse the numbers the subcommands take on the command line,
 * with a one-line error naming the program and the option on bad input.
 */
#ifndef ACCESSFS_SIZE_ARG_H
#define ACCESSFS_SIZE_ARG_H

#include <stdint.h>

/* "4096", "64K", "64M", "1G" (powers of 1024) into *out; -1 after a message. */
int size_arg_parse(const char *prog, const char *opt, const char *text, uint64_t *out);

/* A non-negative number of seconds ("35", "0.5") into *out; -1 after a message. */
int seconds_arg_parse(const char *prog, const char *opt, const char *text, double *out);

#endif /* ACCESSFS_SIZE_ARG_H */
