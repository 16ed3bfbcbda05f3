/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * live_view.h - the one-line status "accessfs run" keeps on the terminal:
 * elapsed time, requests/s, MB/s read and written by access method, files
 * touched.  It learns them by following the growing trace file.
 */
#ifndef ACCESSFS_LIVE_VIEW_H
#define ACCESSFS_LIVE_VIEW_H

#include <stdio.h>

struct live_view;

/* A view of the trace at path (it may not exist yet), drawn on out. */
struct live_view *live_view_new(const char *trace_path, FILE *out);

/* Read what the trace gained since the last call and redraw the line. */
void live_view_update(struct live_view *v);

/* Clear the line and free v (NULL is fine). */
void live_view_free(struct live_view *v);

#endif /* ACCESSFS_LIVE_VIEW_H */
