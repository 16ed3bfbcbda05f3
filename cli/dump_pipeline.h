/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dump_pipeline.h - export every event a source selects in a format whose
 * events can be formatted apart (export_ops.independent): read on the
 * calling thread, format on both, write in order (see dump_pipeline.c).
 */
#ifndef ACCESSFS_DUMP_PIPELINE_H
#define ACCESSFS_DUMP_PIPELINE_H

#include <stddef.h>
#include "event_source.h"
#include "export.h"

/*
 * hosts[i] is passed with trace i's events (NULL: none).  0 when every
 * event went to the exporter (whose own failure exporter_finish()
 * reports), -1 with a one-line message in err when reading failed or
 * memory ran out.  x's format must be independent.  Memory: four batches
 * of 4096 events with their names and their text, besides the source's.
 */
int dump_pipeline_run(struct exporter *x, struct event_source *src, const char *const *hosts,
		      char *err, size_t errlen);

#endif /* ACCESSFS_DUMP_PIPELINE_H */
