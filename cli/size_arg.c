/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * size_arg.c - numbers from the command line.  Strict: trailing garbage,
 * negative values and overflow are errors, never silently truncated.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "size_arg.h"

static int bad_number(const char *prog, const char *opt, const char *text)
{
	fprintf(stderr, "%s: %s: '%s' is not a valid number\n", prog, opt, text);
	return -1;
}

int size_arg_parse(const char *prog, const char *opt, const char *text, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned int shift = 0;

	errno = 0;
	if (text[0] == '-' || text[0] == '\0')
		return bad_number(prog, opt, text);
	v = strtoull(text, &end, 0);
	if (errno)
		return bad_number(prog, opt, text);
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (*end != '\0' || (v << shift) >> shift != v)
		return bad_number(prog, opt, text);
	*out = v << shift;
	return 0;
}

int seconds_arg_parse(const char *prog, const char *opt, const char *text, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (errno || end == text || *end != '\0' || !(v >= 0))
		return bad_number(prog, opt, text);
	*out = v;
	return 0;
}
