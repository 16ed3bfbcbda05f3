/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_probe.c - "accessfs probe FILE --method M": do exactly one access
 * method on a file and say how many bytes it touched and how long it took,
 * so that a trace of it shows what that method becomes at the storage.
 *
 * It is a workload generator, not a benchmark: one pass, no warm-up, no
 * statistics.  Reads sum the bytes they see so that no compiler can drop
 * the access; random methods draw offsets from a seeded splitmix64 so a
 * run can be repeated exactly.  It knows nothing of accessfs itself: run it
 * on a mount (or under "accessfs run") to see the requests.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "commands.h"
#include "size_arg.h"

#define PROBE_DEFAULT_SIZE	(64ull << 20)
#define PROBE_DEFAULT_BLOCK	4096ull
#define PROBE_DEFAULT_WAIT_S	35.0

struct probe {
	const char *path;
	int fd;
	uint64_t size;		/* bytes of the file the method works on */
	uint64_t block;		/* read()/write() buffer, pread/pwrite unit */
	uint64_t count;		/* random accesses; 0: one eighth of the units */
	uint64_t rng;		/* splitmix64 state */
	double wait_s;		/* mmap-write-flusher: longest wait */
	uint64_t page;
	uint64_t touched;	/* bytes the method accessed */
	uint64_t checksum;	/* sum of bytes read, printed so reads stay */
	char note[96];		/* what else the method has to say */
};

static uint64_t probe_random(struct probe *p, uint64_t bound)
{
	uint64_t z = (p->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (z ^ (z >> 31)) % bound;
}

/* How many random accesses of unit bytes: --count, or one in eight units. */
static uint64_t probe_count(const struct probe *p, uint64_t unit)
{
	uint64_t units = p->size / unit;

	if (p->count)
		return p->count;
	return units / 8 ? units / 8 : 1;
}

static uint64_t sum_bytes(const unsigned char *buf, uint64_t len)
{
	uint64_t s = 0;

	for (uint64_t i = 0; i < len; i++)
		s += buf[i];
	return s;
}

static int probe_read_seq(struct probe *p)
{
	unsigned char *buf = malloc(p->block);
	uint64_t done = 0;

	if (!buf)
		return -1;
	while (done < p->size) {
		uint64_t want = p->size - done < p->block ? p->size - done : p->block;
		ssize_t n = read(p->fd, buf, want);

		if (n <= 0) {
			free(buf);
			return n < 0 ? -1 : 0;
		}
		p->checksum += sum_bytes(buf, (uint64_t)n);
		done += (uint64_t)n;
		p->touched += (uint64_t)n;
	}
	free(buf);
	return 0;
}

static int probe_pread_random(struct probe *p)
{
	unsigned char *buf = malloc(p->block);
	uint64_t n = probe_count(p, p->block);

	if (!buf)
		return -1;
	for (uint64_t i = 0; i < n; i++) {
		off_t off = (off_t)(probe_random(p, p->size / p->block) * p->block);
		ssize_t got = pread(p->fd, buf, p->block, off);

		if (got < 0) {
			free(buf);
			return -1;
		}
		p->checksum += sum_bytes(buf, (uint64_t)got);
		p->touched += (uint64_t)got;
	}
	free(buf);
	return 0;
}

/* Map the whole file; advice is an madvise() value or -1 for none. */
static unsigned char *probe_map(struct probe *p, int prot, int flags, int advice)
{
	void *m = mmap(NULL, p->size, prot, MAP_SHARED | flags, p->fd, 0);

	if (m == MAP_FAILED)
		return NULL;
	if (advice >= 0 && madvise(m, p->size, advice) < 0) {
		munmap(m, p->size);
		return NULL;
	}
	return m;
}

/* Read one byte of every page in order (the fault brings the page in). */
static void touch_pages_seq(struct probe *p, const volatile unsigned char *m)
{
	for (uint64_t off = 0; off < p->size; off += p->page)
		p->checksum += m[off];
	p->touched += (p->size + p->page - 1) / p->page * p->page;
}

static void touch_pages_random(struct probe *p, const volatile unsigned char *m)
{
	uint64_t n = probe_count(p, p->page);

	for (uint64_t i = 0; i < n; i++)
		p->checksum += m[probe_random(p, p->size / p->page) * p->page];
	p->touched += n * p->page;
}

static int probe_mmap(struct probe *p, int flags, int advice, bool random)
{
	unsigned char *m = probe_map(p, PROT_READ, flags, advice);

	if (!m)
		return -1;
	if (random)
		touch_pages_random(p, m);
	else
		touch_pages_seq(p, m);
	return munmap(m, p->size);
}

static int probe_mmap_seq(struct probe *p)
{
	return probe_mmap(p, 0, -1, false);
}

static int probe_mmap_random(struct probe *p)
{
	return probe_mmap(p, 0, -1, true);
}

static int probe_mmap_madv_random(struct probe *p)
{
	return probe_mmap(p, 0, MADV_RANDOM, true);
}

static int probe_mmap_madv_sequential(struct probe *p)
{
	return probe_mmap(p, 0, MADV_SEQUENTIAL, false);
}

static int probe_mmap_populate(struct probe *p)
{
	return probe_mmap(p, MAP_POPULATE, -1, false);
}

static int probe_write_seq(struct probe *p)
{
	unsigned char *buf = malloc(p->block);
	uint64_t done = 0;

	if (!buf)
		return -1;
	memset(buf, 'w', p->block);
	while (done < p->size) {
		uint64_t want = p->size - done < p->block ? p->size - done : p->block;
		ssize_t n = write(p->fd, buf, want);

		if (n < 0) {
			free(buf);
			return -1;
		}
		done += (uint64_t)n;
	}
	p->touched = done;
	free(buf);
	return 0;
}

static int probe_pwrite_random(struct probe *p)
{
	unsigned char *buf = malloc(p->block);
	uint64_t n = probe_count(p, p->block);

	if (!buf)
		return -1;
	memset(buf, 'p', p->block);
	for (uint64_t i = 0; i < n; i++) {
		off_t off = (off_t)(probe_random(p, p->size / p->block) * p->block);

		if (pwrite(p->fd, buf, p->block, off) < 0) {
			free(buf);
			return -1;
		}
		p->touched += p->block;
	}
	free(buf);
	return 0;
}

/* Map the file writable and dirty every page. */
static unsigned char *probe_dirty_map(struct probe *p)
{
	unsigned char *m = probe_map(p, PROT_READ | PROT_WRITE, 0, -1);

	if (!m)
		return NULL;
	for (uint64_t off = 0; off < p->size; off += p->page)
		memset(m + off, 'm', p->size - off < p->page ? p->size - off : p->page);
	p->touched = p->size;
	return m;
}

static int probe_mmap_write_msync(struct probe *p)
{
	unsigned char *m = probe_dirty_map(p);

	if (!m || msync(m, p->size, MS_SYNC) < 0)
		return -1;
	return munmap(m, p->size);
}

/* close(2) while mapped: FUSE writes dirty pages back on the flush. */
static int probe_mmap_write_close(struct probe *p)
{
	unsigned char *m = probe_dirty_map(p);

	if (!m || close(p->fd) < 0)
		return -1;
	p->fd = -1;
	return munmap(m, p->size);
}

/* munmap with the file still open: FUSE writes back when the vma closes. */
static int probe_mmap_write_munmap(struct probe *p)
{
	unsigned char *m = probe_dirty_map(p);

	if (!m)
		return -1;
	return munmap(m, p->size);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Whether the page at addr is dirty in the page cache, from its frame's
 * KPF_DIRTY bit (/proc/self/pagemap, /proc/kpageflags: root only).
 * Returns 1 dirty, 0 clean, -1 cannot tell.
 */
static int page_is_dirty(const void *addr, uint64_t page)
{
	uint64_t entry, flags;
	int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	int kf = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	int dirty = -1;

	if (pm < 0 || kf < 0)
		goto out;
	if (pread(pm, &entry, 8, (off_t)((uintptr_t)addr / page * 8)) != 8)
		goto out;
	if (!(entry >> 63) || !(entry & ((1ull << 55) - 1)))
		goto out;	/* not present, or the frame number is hidden */
	if (pread(kf, &flags, 8, (off_t)((entry & ((1ull << 55) - 1)) * 8)) != 8)
		goto out;
	dirty = (flags >> 4) & 1;	/* KPF_DIRTY */
out:
	if (pm >= 0)
		close(pm);
	if (kf >= 0)
		close(kf);
	return dirty;
}

/*
 * Leave the dirty pages to the kernel's flusher (dirty_expire_centisecs,
 * 30 s by default) and wait until it has written them, then unmap.
 */
static int probe_mmap_write_flusher(struct probe *p)
{
	unsigned char *m = probe_dirty_map(p);
	double start = now_s();
	const char *how = "waited";

	if (!m)
		return -1;
	while (now_s() - start < p->wait_s) {
		int first = page_is_dirty(m, p->page);
		int last = page_is_dirty(m + (p->size - 1) / p->page * p->page, p->page);

		if (first == 0 && last == 0) {
			how = "writeback seen after";
			break;
		}
		usleep(250 * 1000);
	}
	snprintf(p->note, sizeof(p->note), " (%s %.1f s)", how, now_s() - start);
	return munmap(m, p->size);
}

enum probe_file {
	PROBE_EXISTING,		/* read methods: FILE must exist */
	PROBE_CREATE_EMPTY,	/* write(2) methods extend an empty FILE */
	PROBE_CREATE_SIZED,	/* pwrite and mmap need FILE at its --size */
};

static const struct probe_method {
	const char *name;
	int (*fn)(struct probe *p);
	enum probe_file file;	/* what FILE must be before the method runs */
	const char *help;
} probe_methods[] = {
	{ "read", probe_read_seq, PROBE_EXISTING, "read() the file in order, --block bytes each" },
	{ "pread-random", probe_pread_random, PROBE_EXISTING, "pread() --count random blocks" },
	{ "mmap-seq", probe_mmap_seq, PROBE_EXISTING, "map, touch every page in order" },
	{ "mmap-random", probe_mmap_random, PROBE_EXISTING, "map, touch --count random pages" },
	{ "mmap-madv-random", probe_mmap_madv_random, PROBE_EXISTING,
	  "map, madvise(MADV_RANDOM), touch --count random pages" },
	{ "mmap-madv-sequential", probe_mmap_madv_sequential, PROBE_EXISTING,
	  "map, madvise(MADV_SEQUENTIAL), touch every page in order" },
	{ "mmap-populate", probe_mmap_populate, PROBE_EXISTING,
	  "map with MAP_POPULATE, then touch every page" },
	{ "write", probe_write_seq, PROBE_CREATE_EMPTY, "write() the file in order, --block bytes each" },
	{ "pwrite-random", probe_pwrite_random, PROBE_CREATE_SIZED, "pwrite() --count random blocks" },
	{ "mmap-write-msync", probe_mmap_write_msync, PROBE_CREATE_SIZED,
	  "map shared, dirty every page, msync(MS_SYNC), munmap" },
	{ "mmap-write-close", probe_mmap_write_close, PROBE_CREATE_SIZED,
	  "map shared, dirty every page, close the fd, then munmap" },
	{ "mmap-write-munmap", probe_mmap_write_munmap, PROBE_CREATE_SIZED,
	  "map shared, dirty every page, munmap, then close the fd" },
	{ "mmap-write-flusher", probe_mmap_write_flusher, PROBE_CREATE_SIZED,
	  "map shared, dirty every page, wait for the flusher (--wait S)" },
};

#define PROBE_NMETHODS (sizeof(probe_methods) / sizeof(probe_methods[0]))

static void probe_usage(FILE *out)
{
	fprintf(out,
		"usage: accessfs probe FILE --method M [--size BYTES] [--block BYTES]\n"
		"                      [--count N] [--seed S] [--wait SECONDS]\n"
		"Do one access method on FILE and print: method, bytes touched, time.\n"
		"Read methods need an existing FILE (up to --size of it is used);\n"
		"write methods create FILE of --size (default 64M).  Random methods\n"
		"make --count accesses (default: one per eight blocks or pages).\n"
		"Sizes take K, M, G suffixes (powers of 1024).\n\nmethods:\n");
	for (size_t i = 0; i < PROBE_NMETHODS; i++)
		fprintf(out, "    %-22s %s\n", probe_methods[i].name, probe_methods[i].help);
}

static const struct probe_method *probe_method_find(const char *name)
{
	for (size_t i = 0; i < PROBE_NMETHODS; i++)
		if (strcmp(probe_methods[i].name, name) == 0)
			return &probe_methods[i];
	return NULL;
}

/* Open FILE as the method needs; on failure, say why on stderr. */
static int probe_open(struct probe *p, const struct probe_method *m, bool size_given)
{
	struct stat st;

	if (m->file != PROBE_EXISTING) {
		p->fd = open(p->path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (p->fd < 0)
			goto fail;
		if (m->file == PROBE_CREATE_SIZED && ftruncate(p->fd, (off_t)p->size) < 0)
			goto fail;
		return 0;
	}
	p->fd = open(p->path, O_RDONLY | O_CLOEXEC);
	if (p->fd < 0 || fstat(p->fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		fprintf(stderr, "accessfs probe: %s: not a non-empty regular file\n", p->path);
		return -1;
	}
	if (!size_given || (uint64_t)st.st_size < p->size)
		p->size = (uint64_t)st.st_size;
	return 0;
fail:
	fprintf(stderr, "accessfs probe: %s: %s\n", p->path, strerror(errno));
	return -1;
}

static int probe_parse(int argc, char **argv, struct probe *p,
		       const struct probe_method **method, bool *size_given)
{
	static const struct option opts[] = {
		{ "method", required_argument, NULL, 'm' },
		{ "size", required_argument, NULL, 's' },
		{ "block", required_argument, NULL, 'b' },
		{ "count", required_argument, NULL, 'c' },
		{ "seed", required_argument, NULL, 'S' },
		{ "wait", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "m:s:b:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			*method = probe_method_find(optarg);
			if (!*method) {
				fprintf(stderr, "accessfs probe: unknown method '%s' "
					"(see accessfs probe --help)\n", optarg);
				return -1;
			}
			break;
		case 's':
			*size_given = true;
			if (size_arg_parse("accessfs probe", "--size", optarg, &p->size) < 0)
				return -1;
			break;
		case 'b':
			if (size_arg_parse("accessfs probe", "--block", optarg, &p->block) < 0)
				return -1;
			break;
		case 'c':
			if (size_arg_parse("accessfs probe", "--count", optarg, &p->count) < 0)
				return -1;
			break;
		case 'S':
			if (size_arg_parse("accessfs probe", "--seed", optarg, &p->rng) < 0)
				return -1;
			break;
		case 'w':
			if (seconds_arg_parse("accessfs probe", "--wait", optarg, &p->wait_s) < 0)
				return -1;
			break;
		case 'h':
			probe_usage(stdout);
			exit(0);
		default:
			return -1;
		}
	}
	if (optind != argc - 1 || !*method) {
		fprintf(stderr, "accessfs probe: need one FILE and --method "
			"(see accessfs probe --help)\n");
		return -1;
	}
	p->path = argv[optind];
	return 0;
}

int cmd_probe(int argc, char **argv)
{
	struct probe p = {
		.fd = -1, .size = PROBE_DEFAULT_SIZE, .block = PROBE_DEFAULT_BLOCK,
		.rng = 1, .wait_s = PROBE_DEFAULT_WAIT_S,
		.page = (uint64_t)sysconf(_SC_PAGESIZE),
	};
	const struct probe_method *m = NULL;
	bool size_given = false;
	double start;

	argv[0] = "accessfs probe";	/* for getopt's messages */
	if (probe_parse(argc, argv, &p, &m, &size_given) < 0)
		return 2;
	if (p.block == 0 || p.size == 0) {
		fprintf(stderr, "accessfs probe: --size and --block must be > 0\n");
		return 2;
	}
	start = now_s();
	if (probe_open(&p, m, size_given) < 0)
		return 1;
	if (m->fn(&p) < 0 || (p.fd >= 0 && close(p.fd) < 0)) {
		fprintf(stderr, "accessfs probe: %s: %s: %s\n", m->name, p.path, strerror(errno));
		return 1;
	}
	printf("%s: %" PRIu64 " bytes touched in %.3f s", m->name, p.touched, now_s() - start);
	if (m->file == PROBE_EXISTING)
		printf(" (checksum %" PRIu64 ")", p.checksum);
	printf("%s\n", p.note);
	return 0;
}
