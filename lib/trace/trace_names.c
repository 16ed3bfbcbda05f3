/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_names.c - the names every export prints, generated from the
 * X-macro tables in trace_format.h so they can never drift apart.
 */
#include <stdio.h>
#include <string.h>
#include "trace_format.h"

static const char *const op_names[] = {
#define X(e, id, name, is_data, names_entry) [TRACE_OP_##e] = #name,
	TRACE_OPS(X)
#undef X
};

static const unsigned char op_is_data[] = {
#define X(e, id, name, is_data, names_entry) [TRACE_OP_##e] = is_data,
	TRACE_OPS(X)
#undef X
};

static const unsigned char op_names_entry[] = {
#define X(e, id, name, is_data, names_entry) [TRACE_OP_##e] = names_entry,
	TRACE_OPS(X)
#undef X
};

static const char *const method_names[] = {
#define X(e, id, name, desc, colour, phrase, live) [TRACE_METHOD_##e] = #name,
	TRACE_METHODS(X)
#undef X
};

static const char *const method_colours[] = {
#define X(e, id, name, desc, colour, phrase, live) [TRACE_METHOD_##e] = colour,
	TRACE_METHODS(X)
#undef X
};

static const char *const method_phrases[] = {
#define X(e, id, name, desc, colour, phrase, live) [TRACE_METHOD_##e] = phrase,
	TRACE_METHODS(X)
#undef X
};

static const char *const trigger_names[] = {
#define X(e, id, name, desc, colour, phrase) [TRACE_TRIGGER_##e] = #name,
	TRACE_TRIGGERS(X)
#undef X
};

static const char *const trigger_colours[] = {
#define X(e, id, name, desc, colour, phrase) [TRACE_TRIGGER_##e] = colour,
	TRACE_TRIGGERS(X)
#undef X
};

static const char *const trigger_phrases[] = {
#define X(e, id, name, desc, colour, phrase) [TRACE_TRIGGER_##e] = phrase,
	TRACE_TRIGGERS(X)
#undef X
};

static const char *const header_key_names[] = {
#define X(id, name, desc) [id] = #name,
	TRACE_HEADER_KEYS(X)
#undef X
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *trace_op_name(unsigned int op)
{
	return op < ARRAY_SIZE(op_names) ? op_names[op] : "op_unknown";
}

int trace_op_is_data(unsigned int op)
{
	return op < ARRAY_SIZE(op_is_data) ? op_is_data[op] : 0;
}

int trace_op_names_entry(unsigned int op)
{
	return op < ARRAY_SIZE(op_names_entry) ? op_names_entry[op] : 0;
}

int trace_op_from_name(const char *name)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(op_names); i++)
		if (strcmp(op_names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *trace_method_name(unsigned int method)
{
	return method < ARRAY_SIZE(method_names) ? method_names[method]
						 : "unknown";
}

const char *trace_trigger_name(unsigned int trigger)
{
	return trigger < ARRAY_SIZE(trigger_names) ? trigger_names[trigger]
						   : "unknown";
}

const char *trace_method_colour(unsigned int method)
{
	return method_colours[method < TRACE_METHOD_COUNT ? method : TRACE_METHOD_UNKNOWN];
}

const char *trace_method_phrase(unsigned int method)
{
	return method_phrases[method < TRACE_METHOD_COUNT ? method : TRACE_METHOD_UNKNOWN];
}

const char *trace_trigger_colour(unsigned int trigger)
{
	return trigger_colours[trigger < TRACE_TRIGGER_COUNT ? trigger : TRACE_TRIGGER_UNKNOWN];
}

const char *trace_trigger_phrase(unsigned int trigger)
{
	return trigger_phrases[trigger < TRACE_TRIGGER_COUNT ? trigger : TRACE_TRIGGER_UNKNOWN];
}

const char *trace_header_key_name(unsigned int key)
{
	return key < ARRAY_SIZE(header_key_names) ? header_key_names[key]
						  : NULL;
}

/*
 * The x86_64 syscalls the classifier and its readers care about: the ones
 * that read or write file data, map it, or flush it.  Others print as
 * "syscall_<nr>" in exports.
 */
#define TRACE_SYSCALLS_X86_64(X)					\
	X(0, read) X(1, write) X(3, close) X(9, mmap) X(11, munmap)	\
	X(17, pread64) X(18, pwrite64) X(19, readv) X(20, writev)	\
	X(26, msync) X(28, madvise) X(40, sendfile) X(59, execve)	\
	X(60, exit) X(74, fsync) X(75, fdatasync) X(76, truncate)	\
	X(77, ftruncate) X(149, mlock) X(151, mlockall)			\
	X(162, sync) X(187, readahead) X(221, fadvise64)		\
	X(231, exit_group) X(275, splice) X(276, tee) X(277, sync_file_range) \
	X(285, fallocate) X(295, preadv) X(296, pwritev)		\
	X(306, syncfs) X(322, execveat) X(325, mlock2)			\
	X(326, copy_file_range) X(327, preadv2) X(328, pwritev2)	\
	X(33, dup2) X(292, dup3) X(436, close_range) X(2, open) X(257, openat) \
	X(437, openat2) X(425, io_uring_setup) X(426, io_uring_enter)

const char *trace_syscall_name(int nr)
{
	switch (nr) {
#define X(n, name) case n: return #name;
	TRACE_SYSCALLS_X86_64(X)
#undef X
	case TRACE_SYSCALL_FAULT:
		return "fault";
	case TRACE_SYSCALL_UNREADABLE:
		return "running";
	default:
		return NULL;
	}
}
