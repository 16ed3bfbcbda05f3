/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * writeback_scan.h - find what started a writeback WRITE.  Writeback comes
 * with pid 0, so the only witnesses are the programs that have the file
 * open or mapped: the ones we saw open it or send a request on it.  A thread of theirs
 * blocked in msync, fsync, close, munmap, exit or sync is waiting for this
 * very writeback (those syscalls write and then wait); if none is, the
 * kernel's flusher started it.
 *
 * Bounded work: at most WB_TGIDS processes per file, WB_THREADS threads
 * each, and a short retry budget for threads caught running.  It does not
 * see programs that inherited the file without opening it (fork) or that
 * call sync(1) without having it open: those read as flusher.
 */
#ifndef ACCESSFS_WRITEBACK_SCAN_H
#define ACCESSFS_WRITEBACK_SCAN_H

#include <stdint.h>
#include "classify.h"

#define WB_FILES	256	/* files whose openers are remembered */
#define WB_TGIDS	8	/* openers remembered per file */
#define WB_THREADS	64	/* threads looked at per opener */

struct writeback_scan;

struct writeback_scan *writeback_scan_new(const struct classifier_config *cfg);
void writeback_scan_free(struct writeback_scan *ws);

/* tgid opened (or created) file_id. */
void writeback_note_opener(struct writeback_scan *ws, uint64_t file_id, uint32_t tgid);

/*
 * The trigger of a writeback WRITE on file_id; *nr is the syscall of the
 * thread that showed it (TRACE_SYSCALL_NONE if none did).
 */
enum trace_trigger writeback_find_trigger(struct writeback_scan *ws, uint64_t file_id,
					  int32_t *nr);

#endif /* ACCESSFS_WRITEBACK_SCAN_H */
