/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dump_pipeline.h - export every event a source selects, reading on the
 * calling thread and formatting on a second one (see dump_pipeline.c).
 */
#ifndef ACCESSFS_DUMP_PIPELINE_H
#define ACCESSFS_DUMP_PIPELINE_H

#include <stddef.h>
#include "event_source.h"
#include "export.h"

/*
 * hosts[i] is passed with trace i's events (NULL: none).  0 when every
 * event went to the exporter (whose own failure exporter_finish() reports),
 * -1 with a one-line message in err when reading failed.  Memory: two
 * batches of 4096 events and their names, besides the source's own.
 */
int dump_pipeline_run(struct exporter *x, struct event_source *src, const char *const *hosts,
		      char *err, size_t errlen);

#endif /* ACCESSFS_DUMP_PIPELINE_H */
