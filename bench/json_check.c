/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json_check.c - check that a JSON document of any size is well formed
 * (RFC 8259: the grammar, string escapes, UTF-8 sequence shape; not
 * overlongs or surrogates), reading it in chunks
 * with memory bounded by its nesting depth, and count the elements of the
 * top-level object's arrays (a Perfetto export's "traceEvents").
 *
 *   json_check [FILE]      (standard input without FILE)
 *
 * Exists because a 50M-event Perfetto export is larger than what
 * python3's json.load or trace_processor can be given on a test machine;
 * it checks syntax and shape, not what a viewer makes of the events.
 * Exit 0 and "ok: N bytes, M elements in top-level arrays, depth D", or 1
 * and the byte offset of the first error.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH	64

struct checker {
	FILE *in;
	unsigned char buf[1 << 16];
	size_t len, pos;
	uint64_t offset;		/* of buf[0] */
	unsigned int depth, max_depth;
	uint64_t elements;		/* values directly in arrays at depth 2 */
	const char *error;
};

static int peek(struct checker *c)
{
	if (c->pos == c->len) {
		c->offset += c->len;
		c->len = fread(c->buf, 1, sizeof(c->buf), c->in);
		c->pos = 0;
		if (!c->len)
			return EOF;
	}
	return c->buf[c->pos];
}

static int get(struct checker *c)
{
	int ch = peek(c);

	if (ch != EOF)
		c->pos++;
	return ch;
}

static bool fail(struct checker *c, const char *why)
{
	if (!c->error)
		c->error = why;
	return false;
}

static void skip_ws(struct checker *c)
{
	int ch;

	while ((ch = peek(c)) == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
		c->pos++;
}

static bool expect(struct checker *c, const char *word)
{
	for (; *word; word++)
		if (get(c) != *word)
			return fail(c, "bad literal");
	return true;
}

/* One UTF-8 sequence whose first byte is ch (>= 0x80). */
static bool utf8_tail(struct checker *c, int ch)
{
	int n = ch >= 0xf0 && ch <= 0xf4 ? 3 : ch >= 0xe0 ? 2 : ch >= 0xc2 && ch < 0xe0 ? 1 : -1;

	if (n < 0 || ch > 0xf4)
		return fail(c, "invalid UTF-8");
	while (n--)
		if ((get(c) & 0xc0) != 0x80)
			return fail(c, "invalid UTF-8");
	return true;
}

static bool string(struct checker *c)
{
	int ch;

	if (get(c) != '"')
		return fail(c, "expected a string");
	while ((ch = get(c)) != '"') {
		if (ch == EOF || ch < 0x20)
			return fail(c, "unterminated string or control character in it");
		if (ch == '\\') {
			ch = get(c);
			if (ch == 'u') {
				for (int i = 0; i < 4; i++) {
					int h = get(c);

					if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') ||
					      (h >= 'A' && h <= 'F')))
						return fail(c, "bad \\u escape");
				}
			} else if (!ch || !strchr("\"\\/bfnrt", ch)) {
				return fail(c, "bad escape");
			}
		} else if (ch >= 0x80 && !utf8_tail(c, ch)) {
			return false;
		}
	}
	return true;
}

static bool digits(struct checker *c)
{
	int n = 0;

	while (peek(c) >= '0' && peek(c) <= '9') {
		c->pos++;
		n++;
	}
	return n ? true : fail(c, "expected digits");
}

static bool number(struct checker *c)
{
	if (peek(c) == '-')
		c->pos++;
	if (peek(c) == '0')
		c->pos++;
	else if (!digits(c))
		return false;
	if (peek(c) == '.') {
		c->pos++;
		if (!digits(c))
			return false;
	}
	if (peek(c) == 'e' || peek(c) == 'E') {
		c->pos++;
		if (peek(c) == '+' || peek(c) == '-')
			c->pos++;
		if (!digits(c))
			return false;
	}
	return true;
}

static bool value(struct checker *c);

/* The members of an object or elements of an array, after its opening. */
static bool container(struct checker *c, int close)
{
	bool first = true;

	if (++c->depth > MAX_DEPTH)
		return fail(c, "nested too deep");
	if (c->depth > c->max_depth)
		c->max_depth = c->depth;
	for (;;) {
		skip_ws(c);
		if (peek(c) == close && first) {
			c->pos++;
			break;
		}
		if (close == '}') {
			if (!string(c))
				return false;
			skip_ws(c);
			if (get(c) != ':')
				return fail(c, "expected ':'");
		}
		if (!value(c))
			return false;
		if (close == ']' && c->depth == 2)
			c->elements++;
		skip_ws(c);
		first = false;
		if (peek(c) == ',') {
			c->pos++;
			continue;
		}
		if (get(c) != close)
			return fail(c, "expected ',' or the closing bracket");
		break;
	}
	c->depth--;
	return true;
}

static bool value(struct checker *c)
{
	int ch;

	skip_ws(c);
	ch = peek(c);
	switch (ch) {
	case '{':
		c->pos++;
		return container(c, '}');
	case '[':
		c->pos++;
		return container(c, ']');
	case '"':
		return string(c);
	case 't':
		return expect(c, "true");
	case 'f':
		return expect(c, "false");
	case 'n':
		return expect(c, "null");
	default:
		if (ch == '-' || (ch >= '0' && ch <= '9'))
			return number(c);
		return fail(c, "expected a value");
	}
}

int main(int argc, char **argv)
{
	static struct checker c;
	bool ok;

	c.in = argc > 1 ? fopen(argv[1], "rb") : stdin;
	if (!c.in) {
		perror(argv[1]);
		return 1;
	}
	ok = value(&c);
	skip_ws(&c);
	if (ok && peek(&c) != EOF)
		ok = fail(&c, "data after the document");
	if (!ok) {
		fprintf(stderr, "json_check: error at byte %llu: %s\n",
			(unsigned long long)(c.offset + c.pos), c.error);
		return 1;
	}
	printf("ok: %llu bytes, %llu elements in top-level arrays, depth %u\n",
	       (unsigned long long)(c.offset + c.pos), (unsigned long long)c.elements,
	       c.max_depth);
	return 0;
}
