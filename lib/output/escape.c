/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * escape.c - JSON, base64 and CSV encodings of byte strings (rules in
 * escape.h).  Plain ASCII takes a fast path: most names are.
 */
#include "escape.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t cp, min;

	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) {
		n = 2, cp = c & 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3, cp = c & 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4, cp = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len(p + i, len - i);

		if (!n)
			return false;
		i += n;
	}
	return true;
}

/* The two-character escapes JSON has; every other control byte is \u00XX. */
static const char *const json_short_escapes[0x60] = {
	['"'] = "\\\"", ['\\'] = "\\\\", ['\n'] = "\\n", ['\r'] = "\\r",
	['\t'] = "\\t", ['\b'] = "\\b", ['\f'] = "\\f",
};

static char *json_escape_byte(char *p, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

	if (c < 0x60 && json_short_escapes[c]) {
		memcpy(p, json_short_escapes[c], 2);
		return p + 2;
	}
	memcpy(p, esc, 6);
	return p + 6;
}

static bool json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/*
 * Does any byte of the word w fail json_plain()?  Eight bytes per test
 * (the classic "has a byte less than n" trick): a name is scanned in a
 * few steps instead of a test per byte, which a dump does for every path.
 */
static bool word_has_special(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	uint64_t quote = w ^ (ones * '"'), bslash = w ^ (ones * '\\');
	uint64_t control = w - ones * 0x20;		/* byte < 0x20 borrows */
	uint64_t del = (w ^ (ones * 0x7f)) - ones;	/* byte == 0x7f */

	return ((control | del | (quote - ones) | (bslash - ones)) & ~w & highs) ||
	       (w & highs);				/* byte >= 0x80 */
}

/* Length of the run of plain bytes at s: most names are one run. */
static size_t json_plain_run(const unsigned char *s, size_t len)
{
	size_t i = 0;

	for (uint64_t w; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		if (word_has_special(w))
			break;
	}
	while (i < len && json_plain(s[i]))
		i++;
	return i;
}

char *json_put_string(char *out, const char *s, size_t len, bool *valid)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	*valid = true;
	*out++ = '"';
	while (i < len) {
		size_t start = i, n;

		i += json_plain_run(p + i, len - i);
		memcpy(out, s + start, i - start);
		out += i - start;
		if (i == len)
			break;
		n = p[i] >= 0x80 ? utf8_seq_len(p + i, len - i) : 0;
		if (n) {
			memcpy(out, s + i, n);
			out += n;
			i += n;
			continue;
		}
		if (p[i] >= 0x80)
			*valid = false;
		out = json_escape_byte(out, p[i++]);
	}
	*out++ = '"';
	return out;
}

bool json_write_string(struct outbuf *o, const char *s, size_t len)
{
	bool valid = true;

	if (outbuf_reserve(o, JSON_STRING_MAX(len)))
		outbuf_commit(o, json_put_string(outbuf_cursor(o), s, len, &valid));
	return valid;
}

char *base64_put(char *out, const void *s, size_t len)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = s;

	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		*out++ = tab[(v >> 18) & 63];
		*out++ = tab[(v >> 12) & 63];
		*out++ = i + 1 < len ? tab[(v >> 6) & 63] : '=';
		*out++ = i + 2 < len ? tab[v & 63] : '=';
	}
	return out;
}

void base64_write(struct outbuf *o, const void *s, size_t len)
{
	if (outbuf_reserve(o, BASE64_LEN(len)))
		outbuf_commit(o, base64_put(outbuf_cursor(o), s, len));
}

/* Must a CSV field holding c be quoted?  Letters, digits, '/', '.' take one test. */
static bool csv_special(unsigned char c)
{
	return c <= ',' && (c == ',' || c == '"' || c == '\r' || c == '\n');
}

void csv_write_field(struct outbuf *o, const char *s, size_t len)
{
	bool quote = false;

	for (size_t i = 0; i < len && !quote; i++)
		quote = csv_special((unsigned char)s[i]);
	if (!quote) {
		outbuf_write(o, s, len);
		return;
	}
	outbuf_putc(o, '"');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			outbuf_putc(o, '"');
		outbuf_putc(o, s[i]);
	}
	outbuf_putc(o, '"');
}
