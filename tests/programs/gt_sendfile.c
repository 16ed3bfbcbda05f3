/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gt_sendfile.c - ground truth for the "copy" method: sendfile() FILE to
 * /dev/null in chunks, from the file position.
 *
 * usage: gt_sendfile -g SIDE [-b CHUNK] FILE
 */
#include <fcntl.h>
#include <sys/sendfile.h>
#include <unistd.h>
#include "gt_common.h"

int main(int argc, char **argv)
{
	const char *side = NULL;
	size_t chunk = 1 << 20;
	ssize_t n;
	int opt, fd, out;

	while ((opt = getopt(argc, argv, "g:b:")) != -1) {
		switch (opt) {
		case 'g': side = optarg; break;
		case 'b': chunk = gt_parse_size(optarg); break;
		default: return 2;
		}
	}
	if (optind + 1 != argc || !chunk)
		return 2;
	gt_open(side);
	gt_expect(argv[optind], "read", "copy", "-", "-");
	fd = gt_open_file(argv[optind], O_RDONLY);
	out = gt_open_file("/dev/null", O_WRONLY);
	while ((n = sendfile(out, fd, NULL, chunk)) > 0)
		;
	if (n < 0)
		gt_die("sendfile");
	close(out);
	close(fd);
	gt_close();
	return 0;
}
