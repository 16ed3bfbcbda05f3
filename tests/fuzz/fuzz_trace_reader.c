/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_trace_reader.c - libFuzzer target: any bytes given to the trace
 * reader are read to the end (events, paths, processes, summary) without
 * a crash, a leak or an out-of-bounds access.
 *
 *   CC=clang meson setup build-fuzz -Dfuzz=true && ninja -C build-fuzz
 *   build-fuzz/tests/fuzz/fuzz_trace_reader CORPUS_DIR
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "trace_reader_mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	struct trace_reader *r = trace_reader_open_mem(data, size, "fuzz", err, sizeof(err));
	struct trace_reader_summary sum;
	struct trace_event ev;
	volatile size_t sink = 0;

	if (!r)
		return 0;
	while (trace_reader_next(r, &ev) == 1) {
		size_t len = 0;
		const char *p = trace_reader_path(r, ev.file_id, ev.start_ns, &len);
		const struct trace_proc *proc = trace_reader_proc(r, ev.tid);

		if (p)
			sink += strlen(p) + len;
		if (ev.name_len)
			sink += (unsigned char)ev.name[ev.name_len - 1];
		if (ev.name2_len)
			sink += (unsigned char)ev.name2[ev.name2_len - 1];
		if (proc)
			sink += strlen(proc->comm) + strlen(proc->exe);
	}
	for (size_t i = 0; i < trace_reader_proc_count(r); i++)
		sink += strlen(trace_reader_proc_at(r, i)->comm);
	trace_reader_summary(r, &sum);
	if (trace_reader_error(r))
		sink += strlen(trace_reader_error(r));
	if (trace_reader_warning(r))
		sink += strlen(trace_reader_warning(r));
	trace_reader_close(r);
	(void)sink;
	return 0;
}
