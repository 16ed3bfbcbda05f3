/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * classify.c - placeholder until the classifier lands: every data request
 * is labelled unknown and threads are identified by tid only.
 */
#include <stdlib.h>
#include "classify.h"

struct classifier {
	struct classifier_config cfg;
};

struct classifier *classifier_new(const struct classifier_config *cfg,
				  char *err, size_t errlen)
{
	struct classifier *c = calloc(1, sizeof(*c));

	(void)err;
	(void)errlen;
	if (c)
		c->cfg = *cfg;
	return c;
}

void classifier_free(struct classifier *c)
{
	free(c);
}

bool classifier_identify(struct classifier *c, struct trace_event *ev,
			 struct trace_proc *proc)
{
	(void)c;
	(void)proc;
	ev->pid = ev->tid;
	return false;
}

void classify_request(struct classifier *c, struct trace_event *ev)
{
	(void)c;
	ev->syscall = TRACE_SYSCALL_NONE;
	ev->ahead_bytes = TRACE_AHEAD_UNKNOWN;
	if (trace_op_is_data(ev->op))
		ev->method = TRACE_METHOD_UNKNOWN;
}

void classify_complete(struct classifier *c, const struct trace_event *ev)
{
	(void)c;
	(void)ev;
}

const char *classifier_warning(const struct classifier *c)
{
	(void)c;
	return NULL;
}
