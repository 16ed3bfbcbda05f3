/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_escape.c - every name survives JSON and CSV exactly: parsed back,
 * valid UTF-8 gives the same bytes, invalid UTF-8 is recovered from the
 * _b64 field, and CSV fields parse back (RFC 4180) to the same bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "json_writer.h"

struct name {
	const char *s;
	size_t len;
	bool utf8;
};

#define NAME(lit, valid) { lit, sizeof(lit) - 1, valid }
static const struct name names[] = {
	NAME("plain.txt", true),
	NAME("", true),
	NAME("new\nline\r\n", true),
	NAME("quote\" and back\\slash", true),
	NAME("tab\tbell\a nul\0inside del\x7f", true),
	NAME("comma,semicolon;", true),
	NAME("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", true),	/* é € 😀 */
	NAME("\xe2\x80\xa8 line separator", true),
	NAME("latin1 \xe9t\xe9", false),
	NAME("lone continuation \x80", false),
	NAME("overlong \xc0\xaf", false),
	NAME("surrogate \xed\xa0\x80", false),
	NAME("too big \xf4\x90\x80\x80", false),
	NAME("truncated \xe2\x82", false),
	NAME("\xff\xfe\"\\\n", false),
};
#define NNAMES (sizeof(names) / sizeof(names[0]))

/* A minimal JSON string decoder: enough to check what we write. */
static size_t put_utf8(char *out, unsigned int cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	out[0] = (char)(0xe0 | cp >> 12);
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

static const char *json_decode_string(const char *p, char *out, size_t *len)
{
	assert_int_equal(*p++, '"');
	*len = 0;
	while (*p != '"') {
		unsigned int cp;

		assert_true((unsigned char)*p >= 0x20);
		if (*p != '\\') {
			out[(*len)++] = *p++;
			continue;
		}
		p++;
		switch (*p++) {
		case 'n': out[(*len)++] = '\n'; break;
		case 'r': out[(*len)++] = '\r'; break;
		case 't': out[(*len)++] = '\t'; break;
		case 'b': out[(*len)++] = '\b'; break;
		case 'f': out[(*len)++] = '\f'; break;
		case '"': out[(*len)++] = '"'; break;
		case '\\': out[(*len)++] = '\\'; break;
		case 'u':
			assert_int_equal(sscanf(p, "%4x", &cp), 1);
			*len += put_utf8(out + *len, cp);
			p += 4;
			break;
		default:
			fail_msg("bad escape");
		}
	}
	return p + 1;
}

static size_t base64_decode(const char *p, char *out)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = 0;

	for (; *p && *p != '"'; p += 4) {
		uint32_t v = 0;
		int pad = 0;

		for (int i = 0; i < 4; i++) {
			v <<= 6;
			if (p[i] == '=')
				pad++;
			else
				v |= (uint32_t)(strchr(tab, p[i]) - tab);
		}
		out[n++] = (char)(v >> 16);
		if (pad < 2)
			out[n++] = (char)(v >> 8);
		if (pad < 1)
			out[n++] = (char)v;
	}
	return n;
}

static void json_names_round_trip_exactly(void **state)
{
	(void)state;
	for (size_t i = 0; i < NNAMES; i++) {
		struct outbuf o = { 0 };
		char decoded[256];
		const char *p, *b64;
		size_t len;

		json_name(&o, "path", names[i].s, names[i].len);
		outbuf_putc(&o, '\0');
		assert_true(strncmp(o.buf, ",\"path\":", 8) == 0);
		p = json_decode_string(o.buf + 8, decoded, &len);
		b64 = strstr(p, ",\"path_b64\":\"");
		assert_int_equal(utf8_valid(names[i].s, names[i].len), names[i].utf8);
		if (names[i].utf8) {
			assert_null(b64);
			assert_int_equal(len, names[i].len);
			assert_memory_equal(decoded, names[i].s, len);
		} else {
			assert_non_null(b64);
			len = base64_decode(b64 + 13, decoded);
			assert_int_equal(len, names[i].len);
			assert_memory_equal(decoded, names[i].s, len);
		}
		outbuf_free(&o);
	}
}

static void json_output_is_valid_utf8_without_raw_controls(void **state)
{
	(void)state;
	for (size_t i = 0; i < NNAMES; i++) {
		struct outbuf o = { 0 };

		json_write_string(&o, names[i].s, names[i].len);
		assert_true(utf8_valid(o.buf, o.len));
		for (size_t k = 0; k < o.len; k++)
			assert_true((unsigned char)o.buf[k] >= 0x20);
		outbuf_free(&o);
	}
}

/*
 * The plain-run scan tests eight bytes at a time: every byte value at every
 * position of a name longer than two words must be escaped exactly as the
 * byte-at-a-time rule says (plain bytes copied, the rest escaped).
 */
static void json_every_byte_at_every_position(void **state)
{
	(void)state;
	for (unsigned int pos = 0; pos < 17; pos++) {
		for (unsigned int c = 0; c < 256; c++) {
			struct outbuf o = { 0 };
			char name[17], decoded[128];
			bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
			size_t len;

			memset(name, 'a', sizeof(name));
			name[pos] = (char)c;
			/* a lone byte >= 0x80 is not UTF-8: said so, and escaped */
			assert_int_equal(json_write_string(&o, name, sizeof(name)), c < 0x80);
			assert_int_equal(o.len == sizeof(name) + 2, plain);
			outbuf_putc(&o, '\0');
			json_decode_string(o.buf, decoded, &len);
			if (c < 0x80) {
				assert_int_equal(len, sizeof(name));
				assert_memory_equal(decoded, name, len);
			}
			outbuf_free(&o);
		}
	}
}

/* Parse one RFC 4180 field at p; returns what follows it. */
static const char *csv_parse_field(const char *p, const char *end, char *out, size_t *len)
{
	*len = 0;
	if (p < end && *p == '"') {
		for (p++; p < end; p++) {
			if (*p == '"' && (p + 1 == end || p[1] != '"'))
				return p + 1;
			if (*p == '"')
				p++;
			out[(*len)++] = *p;
		}
		fail_msg("unterminated quote");
	}
	while (p < end && *p != ',' && *p != '\n')
		out[(*len)++] = *p++;
	return p;
}

static void csv_fields_round_trip_exactly(void **state)
{
	(void)state;
	for (size_t i = 0; i < NNAMES; i++) {
		struct outbuf o = { 0 };
		char parsed[256];
		const char *rest;
		size_t len;

		csv_write_field(&o, names[i].s, names[i].len);
		outbuf_write(&o, ",next", 5);
		rest = csv_parse_field(o.buf, o.buf + o.len, parsed, &len);
		assert_int_equal(len, names[i].len);
		assert_memory_equal(parsed, names[i].s, len);
		assert_int_equal(rest - o.buf, o.len - 5);
		outbuf_free(&o);
	}
}

static void base64_matches_rfc4648_vectors(void **state)
{
	static const char *const want[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==",
					    "Zm9vYmE=", "Zm9vYmFy" };

	(void)state;
	for (size_t n = 0; n <= 6; n++) {
		struct outbuf o = { 0 };

		base64_write(&o, "foobar", n);
		outbuf_putc(&o, '\0');
		assert_string_equal(o.buf ? o.buf : "", want[n]);
		outbuf_free(&o);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_names_round_trip_exactly),
		cmocka_unit_test(json_output_is_valid_utf8_without_raw_controls),
		cmocka_unit_test(json_every_byte_at_every_position),
		cmocka_unit_test(csv_fields_round_trip_exactly),
		cmocka_unit_test(base64_matches_rfc4648_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
