/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mount_table.c - look up mounts in /proc/self/mountinfo.  Only what run
 * and top need: the topmost mount at a path, and its type.  Not a general
 * parser: optional fields and super options are skipped unread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mount_table.h"

/* mountinfo escapes space, tab, newline and backslash as \ooo (octal). */
static void unescape_octal(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/* Split one mountinfo line into id, mountpoint and fstype; -1 if malformed. */
static int parse_mountinfo_line(char *line, int *id, char **mnt, char **fstype)
{
	char *save, *field;
	int i = 0;

	*mnt = *fstype = NULL;
	for (field = strtok_r(line, " \n", &save); field; field = strtok_r(NULL, " \n", &save)) {
		if (i == 0)
			*id = atoi(field);
		else if (i == 4)
			*mnt = field;
		else if (i > 4 && strcmp(field, "-") == 0) {
			*fstype = strtok_r(NULL, " \n", &save);
			break;
		}
		i++;
	}
	if (!*mnt || !*fstype)
		return -1;
	unescape_octal(*mnt);
	return 0;
}

int mount_table_top(const char *mountpoint, char *fstype, size_t fstype_len)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, *mnt, *type;
	size_t cap = 0;
	int id, top = -1;

	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		if (parse_mountinfo_line(line, &id, &mnt, &type) < 0)
			continue;
		if (strcmp(mnt, mountpoint) != 0)
			continue;
		top = id;
		snprintf(fstype, fstype_len, "%s", type);
	}
	free(line);
	fclose(f);
	return top;
}

int mount_table_is_fuse(const char *fstype)
{
	return strcmp(fstype, "fuse") == 0 || strncmp(fstype, "fuse.", 5) == 0;
}
