// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libkhoreg: a small, bounded JSON reader (RFC 8259) for author
 * descriptions. Integers keep full 64-bit precision.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct jp {
	const char *s;
	size_t len;
	size_t pos;
	unsigned int line;
	size_t line_start;
	size_t nodes;
};

static int jerr(struct jp *p, const char *what)
{
	return kr_err(-EINVAL, "%u:%zu: %s", p->line,
		      p->pos - p->line_start + 1, what);
}

static void skip_ws(struct jp *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];

		if (c == '\n') {
			p->line++;
			p->line_start = p->pos + 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			break;
		}
		p->pos++;
	}
}

static int peek(struct jp *p)
{
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static bool literal(struct jp *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n))
		return false;
	p->pos += n;
	return true;
}

static int hex4(struct jp *p, unsigned int *v)
{
	unsigned int i;

	*v = 0;
	if (p->len - p->pos < 4)
		return jerr(p, "truncated \\u escape");
	for (i = 0; i < 4; i++) {
		char c = p->s[p->pos++];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*v |= c - 'A' + 10;
		else
			return jerr(p, "bad \\u escape");
	}
	return 0;
}

static void put_utf8(struct kr_buf *b, unsigned int cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = 0xc0 | (cp >> 6);
		u[1] = 0x80 | (cp & 0x3f);
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = 0xe0 | (cp >> 12);
		u[1] = 0x80 | ((cp >> 6) & 0x3f);
		u[2] = 0x80 | (cp & 0x3f);
		n = 3;
	} else {
		u[0] = 0xf0 | (cp >> 18);
		u[1] = 0x80 | ((cp >> 12) & 0x3f);
		u[2] = 0x80 | ((cp >> 6) & 0x3f);
		u[3] = 0x80 | (cp & 0x3f);
		n = 4;
	}
	kr_buf_put(b, u, n);
}

static int parse_escape(struct jp *p, struct kr_buf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	unsigned int cp, lo;
	const char *e;
	int c, err;

	c = peek(p);
	if (c < 0)
		return jerr(p, "unterminated string");
	p->pos++;
	e = c ? strchr(from, c) : NULL;
	if (e) {
		kr_buf_put(b, &to[e - from], 1);
		return 0;
	}
	if (c != 'u')
		return jerr(p, "bad escape");
	err = hex4(p, &cp);
	if (err)
		return err;
	if (cp >= 0xd800 && cp < 0xdc00) {
		if (!literal(p, "\\u"))
			return jerr(p, "lone surrogate");
		err = hex4(p, &lo);
		if (err)
			return err;
		if (lo < 0xdc00 || lo >= 0xe000)
			return jerr(p, "bad surrogate pair");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	} else if (cp >= 0xdc00 && cp < 0xe000) {
		return jerr(p, "lone surrogate");
	}
	if (!cp)
		return jerr(p, "\\u0000 is not allowed");
	put_utf8(b, cp);
	return 0;
}

static int parse_string(struct jp *p, char **out, size_t *olen)
{
	struct kr_buf b = { 0 };
	int c, err;

	p->pos++;
	kr_buf_put(&b, "", 0);
	for (;;) {
		c = peek(p);
		if (c < 0) {
			err = jerr(p, "unterminated string");
			goto fail;
		}
		if (c == '"')
			break;
		if (c < 0x20) {
			err = jerr(p, "control character in string");
			goto fail;
		}
		if (c == '\\') {
			p->pos++;
			err = parse_escape(p, &b);
			if (err)
				goto fail;
			continue;
		}
		kr_buf_put(&b, p->s + p->pos, 1);
		p->pos++;
	}
	p->pos++;
	if (b.oom) {
		err = kr_err(-ENOMEM, "out of memory");
		goto fail;
	}
	*out = b.s;
	*olen = b.len;
	return 0;
fail:
	kr_buf_free(&b);
	return err;
}

/* Skip a run of digits; returns how many there were. */
static size_t digits(struct jp *p)
{
	size_t n = 0;
	int c;

	for (c = peek(p); c >= '0' && c <= '9'; c = peek(p)) {
		p->pos++;
		n++;
	}
	return n;
}

static int parse_number(struct jp *p, struct kr_json *j)
{
	bool overflow = false;
	uint64_t v = 0;
	int c;

	j->is_int = true;
	if (peek(p) == '-') {
		j->neg = true;
		p->pos++;
	}
	c = peek(p);
	if (c < '0' || c > '9')
		return jerr(p, "bad number");
	if (c == '0' && p->pos + 1 < p->len && p->s[p->pos + 1] >= '0' &&
	    p->s[p->pos + 1] <= '9')
		return jerr(p, "leading zero in number");
	while ((c = peek(p)) >= '0' && c <= '9') {
		if (v > (UINT64_MAX - (c - '0')) / 10)
			overflow = true;
		v = v * 10 + (c - '0');
		p->pos++;
	}
	if (c == '.') {
		j->is_int = false;
		p->pos++;
		if (!digits(p))
			return jerr(p, "bad number");
		c = peek(p);
	}
	if (c == 'e' || c == 'E') {
		j->is_int = false;
		p->pos++;
		if (peek(p) == '+' || peek(p) == '-')
			p->pos++;
		if (!digits(p))
			return jerr(p, "bad number");
	}
	if (overflow || (j->neg && v > (uint64_t)INT64_MAX + 1))
		j->is_int = false;
	j->u = v;
	return 0;
}

static int value(struct jp *p, struct kr_json **out, unsigned int depth);

static int container(struct jp *p, struct kr_json *j, unsigned int depth)
{
	bool obj = j->kind == KR_JSON_OBJECT;
	char close = obj ? '}' : ']';
	struct kr_json **tail = &j->child;
	int err;

	p->pos++;
	skip_ws(p);
	if (peek(p) == close) {
		p->pos++;
		return 0;
	}
	for (;;) {
		struct kr_json *c;
		char *key = NULL;
		size_t klen;

		skip_ws(p);
		if (obj) {
			if (peek(p) != '"')
				return jerr(p, "expected a member name");
			err = parse_string(p, &key, &klen);
			if (err)
				return err;
			skip_ws(p);
			if (peek(p) != ':') {
				free(key);
				return jerr(p, "expected ':'");
			}
			p->pos++;
		}
		err = value(p, &c, depth + 1);
		if (err) {
			free(key);
			return err;
		}
		c->key = key;
		*tail = c;
		tail = &c->next;
		j->n++;
		skip_ws(p);
		if (peek(p) == ',') {
			p->pos++;
			continue;
		}
		if (peek(p) == close) {
			p->pos++;
			return 0;
		}
		return jerr(p, obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int value(struct jp *p, struct kr_json **out, unsigned int depth)
{
	struct kr_json *j;
	int c, err = 0;

	*out = NULL;
	if (depth > KR_JSON_MAX_DEPTH)
		return jerr(p, "nested too deeply");
	if (++p->nodes > KR_JSON_MAX_NODES)
		return jerr(p, "too many values");
	skip_ws(p);
	j = kr_calloc(1, sizeof(*j));
	if (!j)
		return kr_err(-ENOMEM, "out of memory");
	j->line = p->line;
	j->col = p->pos - p->line_start + 1;
	*out = j;
	c = peek(p);
	if (c == '{' || c == '[') {
		j->kind = c == '{' ? KR_JSON_OBJECT : KR_JSON_ARRAY;
		err = container(p, j, depth);
	} else if (c == '"') {
		j->kind = KR_JSON_STRING;
		err = parse_string(p, &j->s, &j->slen);
	} else if (c == '-' || (c >= '0' && c <= '9')) {
		j->kind = KR_JSON_NUMBER;
		err = parse_number(p, j);
	} else if (literal(p, "true")) {
		j->kind = KR_JSON_BOOL;
		j->b = true;
	} else if (literal(p, "false")) {
		j->kind = KR_JSON_BOOL;
	} else if (literal(p, "null")) {
		j->kind = KR_JSON_NULL;
	} else {
		err = jerr(p, c < 0 ? "unexpected end of input" :
			   "unexpected character");
	}
	if (err) {
		kr_json_free(j);
		*out = NULL;
	}
	return err;
}

int kr_json_parse(const char *text, size_t len, struct kr_json **out)
{
	struct jp p = { .s = text, .len = len, .line = 1 };
	int err;

	err = value(&p, out, 0);
	if (!err) {
		skip_ws(&p);
		if (p.pos != p.len)
			err = jerr(&p, "trailing characters");
	}
	if (err) {
		kr_json_free(*out);
		*out = NULL;
	}
	return err;
}

void kr_json_free(struct kr_json *j)
{
	while (j) {
		struct kr_json *next = j->next;

		kr_json_free(j->child);
		free(j->s);
		free(j->key);
		free(j);
		j = next;
	}
}

const struct kr_json *kr_json_get(const struct kr_json *obj, const char *key)
{
	const struct kr_json *c;

	if (!obj || obj->kind != KR_JSON_OBJECT)
		return NULL;
	for (c = obj->child; c; c = c->next)
		if (!strcmp(c->key, key))
			return c;
	return NULL;
}
