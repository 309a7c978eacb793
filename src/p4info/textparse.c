/* textparse.c - protobuf text format parser, for any protobuf-c message.
 *
 * Reads what protoc's text printer writes (and what people write by hand:
 * p4lang/tutorials ship P4Info this way) and encodes it straight to the binary
 * wire format; protobuf-c's own unpacker then builds the message, so the
 * result is allocated and freed exactly like any unpacked message.  Called by
 * the switch (PROG.p4info.txtpb) and by p4i_p4info_load().  Errors carry
 * name:line:col and what was expected.  See p4info.h. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "p4info.h"

#define MAX_DEPTH 100  /* protoc's recursion limit too */

enum tok { T_EOF, T_IDENT, T_NUMBER, T_STRING, T_PUNCT };

struct parser {
	const char *name;
	const char *p, *end;
	int line, col;            /* position of p */
	enum tok kind;            /* current token */
	const char *t;            /* its text */
	size_t tlen;
	int tline, tcol;
	int depth;
	struct p4l_err *err;
};

static int fail(struct parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct parser *ps, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return p4l_errf(ps->err, -EINVAL, "%s:%d:%d: %s", ps->name, ps->tline, ps->tcol, msg);
}

/* The current token as it should appear in a message. */
static const char *tok_desc(const struct parser *ps, char *buf, size_t size)
{
	if (ps->kind == T_EOF)
		return "end of input";
	int n = ps->tlen > 40 ? 40 : (int)ps->tlen;
	snprintf(buf, size, "\"%.*s%s\"", n, ps->t, ps->tlen > 40 ? "..." : "");
	return buf;
}

static void advance_char(struct parser *ps)
{
	if (*ps->p == '\n') {
		ps->line++;
		ps->col = 1;
	} else {
		ps->col++;
	}
	ps->p++;
}

static int is_ident_start(int c) { return isalpha(c) || c == '_'; }
static int is_ident_char(int c) { return isalnum(c) || c == '_'; }

/* Moves to the next token.  Returns 0 or -EINVAL for a character or string
 * that cannot start or end a token. */
static int next(struct parser *ps)
{
	for (;;) {
		while (ps->p < ps->end && isspace((unsigned char)*ps->p))
			advance_char(ps);
		if (ps->p < ps->end && *ps->p == '#') {
			while (ps->p < ps->end && *ps->p != '\n')
				advance_char(ps);
			continue;
		}
		break;
	}
	ps->t = ps->p;
	ps->tline = ps->line;
	ps->tcol = ps->col;
	if (ps->p >= ps->end) {
		ps->kind = T_EOF;
		ps->tlen = 0;
		return 0;
	}

	unsigned char c = (unsigned char)*ps->p;
	if (is_ident_start(c)) {
		while (ps->p < ps->end && is_ident_char((unsigned char)*ps->p))
			advance_char(ps);
		ps->kind = T_IDENT;
	} else if (isdigit(c) || (c == '.' && ps->p + 1 < ps->end && isdigit((unsigned char)ps->p[1]))) {
		/* Digits, letters (hex, exponent, suffix), dots, and a sign right
		 * after a decimal exponent; the value is checked when used. */
		int hex = c == '0' && ps->p + 1 < ps->end && (ps->p[1] == 'x' || ps->p[1] == 'X');
		while (ps->p < ps->end) {
			unsigned char d = (unsigned char)*ps->p;
			if (isalnum(d) || d == '.' || d == '_') {
				advance_char(ps);
			} else if ((d == '+' || d == '-') && !hex &&
				   (ps->p[-1] == 'e' || ps->p[-1] == 'E')) {
				advance_char(ps);
			} else {
				break;
			}
		}
		ps->kind = T_NUMBER;
	} else if (c == '"' || c == '\'') {
		advance_char(ps);
		while (ps->p < ps->end && (unsigned char)*ps->p != c) {
			if (*ps->p == '\n')
				break;
			if (*ps->p == '\\' && ps->p + 1 < ps->end && ps->p[1] != '\n')
				advance_char(ps);
			advance_char(ps);
		}
		if (ps->p >= ps->end || *ps->p != (char)c) {
			ps->tlen = (size_t)(ps->p - ps->t);
			return fail(ps, "string literal not terminated on its line");
		}
		advance_char(ps);
		ps->kind = T_STRING;
	} else if (strchr("{}<>[]:,;-/", c)) {
		advance_char(ps);
		ps->kind = T_PUNCT;
	} else {
		ps->tlen = 1;
		if (isprint(c))
			return fail(ps, "unexpected character '%c'", c);
		return fail(ps, "unexpected byte 0x%02x", c);
	}
	ps->tlen = (size_t)(ps->p - ps->t);
	return 0;
}

static int is_punct(const struct parser *ps, char c)
{
	return ps->kind == T_PUNCT && ps->t[0] == c;
}

static int is_ident(const struct parser *ps, const char *s)
{
	return ps->kind == T_IDENT && ps->tlen == strlen(s) && memcmp(ps->t, s, ps->tlen) == 0;
}

/* ---- wire encoding ---- */

static void put_varint(struct p4i_buf *b, uint64_t v)
{
	uint8_t tmp[10];
	size_t n = 0;
	do {
		tmp[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	p4i_buf_put(b, tmp, n);
}

static void put_le(struct p4i_buf *b, uint64_t v, int bytes)
{
	uint8_t tmp[8];
	for (int i = 0; i < bytes; i++)
		tmp[i] = (uint8_t)(v >> (8 * i));
	p4i_buf_put(b, tmp, (size_t)bytes);
}

static int wire_type(ProtobufCType t)
{
	switch (t) {
	case PROTOBUF_C_TYPE_FIXED64: case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		return 1;
	case PROTOBUF_C_TYPE_STRING: case PROTOBUF_C_TYPE_BYTES:
	case PROTOBUF_C_TYPE_MESSAGE:
		return 2;
	case PROTOBUF_C_TYPE_FIXED32: case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_FLOAT:
		return 5;
	default:
		return 0;
	}
}

static void put_tag(struct p4i_buf *b, const ProtobufCFieldDescriptor *f)
{
	put_varint(b, ((uint64_t)f->id << 3) | (uint64_t)wire_type(f->type));
}

/* ---- scalar values ---- */

static const char *type_name(ProtobufCType t)
{
	static const char *const names[] = {
		[PROTOBUF_C_TYPE_INT32] = "int32", [PROTOBUF_C_TYPE_SINT32] = "sint32",
		[PROTOBUF_C_TYPE_SFIXED32] = "sfixed32", [PROTOBUF_C_TYPE_INT64] = "int64",
		[PROTOBUF_C_TYPE_SINT64] = "sint64", [PROTOBUF_C_TYPE_SFIXED64] = "sfixed64",
		[PROTOBUF_C_TYPE_UINT32] = "uint32", [PROTOBUF_C_TYPE_FIXED32] = "fixed32",
		[PROTOBUF_C_TYPE_UINT64] = "uint64", [PROTOBUF_C_TYPE_FIXED64] = "fixed64",
		[PROTOBUF_C_TYPE_FLOAT] = "float", [PROTOBUF_C_TYPE_DOUBLE] = "double",
		[PROTOBUF_C_TYPE_BOOL] = "bool", [PROTOBUF_C_TYPE_ENUM] = "enum",
		[PROTOBUF_C_TYPE_STRING] = "string", [PROTOBUF_C_TYPE_BYTES] = "bytes",
		[PROTOBUF_C_TYPE_MESSAGE] = "message",
	};
	return (unsigned)t < sizeof names / sizeof names[0] && names[t] ? names[t] : "?";
}

/* what is "an integer" or "a number". */
static int not_a(struct parser *ps, const ProtobufCFieldDescriptor *f, const char *what)
{
	char tb[48];
	return fail(ps, "expected %s for %s field \"%s\", got %s", what, type_name(f->type),
		    f->name, tok_desc(ps, tb, sizeof tb));
}

#define NUM_MAX 80

/* The current number token, NUL-terminated in num (NUM_MAX bytes). */
static int number_text(struct parser *ps, const ProtobufCFieldDescriptor *f, const char *what,
		       char *num)
{
	char tb[48];
	if (ps->kind != T_NUMBER)
		return not_a(ps, f, what);
	if (ps->tlen >= NUM_MAX)
		return fail(ps, "%s is too long for %s field \"%s\"", tok_desc(ps, tb, sizeof tb),
			    type_name(f->type), f->name);
	memcpy(num, ps->t, ps->tlen);
	num[ps->tlen] = 0;
	return 0;
}

/* An optionally negative integer literal: decimal, 0x hex or 0 octal. */
static int parse_integer(struct parser *ps, const ProtobufCFieldDescriptor *f,
			 int *neg, uint64_t *mag)
{
	char num[NUM_MAX];
	int r;
	*neg = 0;
	if (is_punct(ps, '-')) {
		*neg = 1;
		if ((r = next(ps)) < 0)
			return r;
	}
	if ((r = number_text(ps, f, "an integer", num)) < 0)
		return r;
	errno = 0;
	char *endp;
	unsigned long long v = strtoull(num, &endp, 0);
	if (*endp || num[0] == '+' || num[0] == '-')
		return not_a(ps, f, "an integer");
	if (errno == ERANGE)
		return fail(ps, "integer %s%s is out of range for %s field \"%s\"",
			    *neg ? "-" : "", num, type_name(f->type), f->name);
	*mag = v;
	return 0;
}

/* Checks (neg, mag) fits the field's type; returns the value as it goes on
 * the wire before zigzag: two's complement in 64 bits. */
static int check_range(struct parser *ps, const ProtobufCFieldDescriptor *f,
		       int neg, uint64_t mag, uint64_t *out)
{
	uint64_t max_pos, max_neg;  /* largest magnitudes allowed */

	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32: case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32: case PROTOBUF_C_TYPE_ENUM:
		max_pos = INT32_MAX; max_neg = (uint64_t)INT32_MAX + 1;
		break;
	case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		max_pos = INT64_MAX; max_neg = (uint64_t)INT64_MAX + 1;
		break;
	case PROTOBUF_C_TYPE_UINT32: case PROTOBUF_C_TYPE_FIXED32:
		max_pos = UINT32_MAX; max_neg = 0;
		break;
	default:
		max_pos = UINT64_MAX; max_neg = 0;
		break;
	}
	if ((neg && mag > max_neg) || (!neg && mag > max_pos))
		return fail(ps, "integer %s%llu is out of range for %s field \"%s\"",
			    neg ? "-" : "", (unsigned long long)mag, type_name(f->type), f->name);
	*out = neg ? (uint64_t)0 - mag : mag;
	return 0;
}

/* A float or double literal (inf, nan too); *out is 0 on failure. */
static int parse_float(struct parser *ps, const ProtobufCFieldDescriptor *f, double *out)
{
	char num[NUM_MAX];
	int neg = 0, r;
	*out = 0;
	if (is_punct(ps, '-')) {
		neg = 1;
		if ((r = next(ps)) < 0)
			return r;
	}
	if (ps->kind == T_IDENT) {
		char w[16];
		size_t n = ps->tlen < sizeof w - 1 ? ps->tlen : sizeof w - 1;
		for (size_t i = 0; i < n; i++)
			w[i] = (char)tolower((unsigned char)ps->t[i]);
		w[n] = 0;
		if (ps->tlen == n && (!strcmp(w, "inf") || !strcmp(w, "infinity"))) {
			*out = neg ? -INFINITY : INFINITY;
			return 0;
		}
		if (ps->tlen == n && !strcmp(w, "nan")) {
			*out = NAN;
			return 0;
		}
	}
	if ((r = number_text(ps, f, "a number", num)) < 0)
		return r;
	size_t n = ps->tlen;
	if (n > 1 && (num[n - 1] == 'f' || num[n - 1] == 'F') &&
	    !(num[0] == '0' && (num[1] == 'x' || num[1] == 'X')))
		num[--n] = 0;
	char *endp;
	double v = strtod(num, &endp);
	if (*endp)
		return not_a(ps, f, "a number");
	*out = neg ? -v : v;
	return 0;
}

static void put_utf8(struct p4i_buf *b, uint32_t cp)
{
	if (cp < 0x80) {
		p4i_buf_putc(b, (int)cp);
	} else if (cp < 0x800) {
		p4i_buf_putc(b, 0xc0 | (int)(cp >> 6));
		p4i_buf_putc(b, 0x80 | (int)(cp & 0x3f));
	} else if (cp < 0x10000) {
		p4i_buf_putc(b, 0xe0 | (int)(cp >> 12));
		p4i_buf_putc(b, 0x80 | (int)((cp >> 6) & 0x3f));
		p4i_buf_putc(b, 0x80 | (int)(cp & 0x3f));
	} else {
		p4i_buf_putc(b, 0xf0 | (int)(cp >> 18));
		p4i_buf_putc(b, 0x80 | (int)((cp >> 12) & 0x3f));
		p4i_buf_putc(b, 0x80 | (int)((cp >> 6) & 0x3f));
		p4i_buf_putc(b, 0x80 | (int)(cp & 0x3f));
	}
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Appends the unescaped contents of the current string token to out. */
static int unescape(struct parser *ps, struct p4i_buf *out)
{
	const char *s = ps->t + 1, *e = ps->t + ps->tlen - 1;
	while (s < e) {
		if (*s != '\\') {
			p4i_buf_putc(out, *s++);
			continue;
		}
		s++;
		char c = *s++;
		switch (c) {
		case 'a': p4i_buf_putc(out, '\a'); break;
		case 'b': p4i_buf_putc(out, '\b'); break;
		case 'f': p4i_buf_putc(out, '\f'); break;
		case 'n': p4i_buf_putc(out, '\n'); break;
		case 'r': p4i_buf_putc(out, '\r'); break;
		case 't': p4i_buf_putc(out, '\t'); break;
		case 'v': p4i_buf_putc(out, '\v'); break;
		case '\\': case '\'': case '"': case '?': p4i_buf_putc(out, c); break;
		case '0': case '1': case '2': case '3':
		case '4': case '5': case '6': case '7': {
			int v = c - '0';
			for (int i = 0; i < 2 && s < e && *s >= '0' && *s <= '7'; i++)
				v = v * 8 + (*s++ - '0');
			if (v > 0xff)
				return fail(ps, "octal escape \\%o is more than a byte", v);
			p4i_buf_putc(out, v);
			break;
		}
		case 'x': case 'X': {
			int v = 0, n = 0;
			while (n < 2 && s < e && hexval((unsigned char)*s) >= 0)
				v = v * 16 + hexval((unsigned char)*s++), n++;
			if (n == 0)
				return fail(ps, "\\x escape without hex digits");
			p4i_buf_putc(out, v);
			break;
		}
		case 'u': case 'U': {
			int want = c == 'u' ? 4 : 8;
			uint32_t cp = 0;
			for (int i = 0; i < want; i++) {
				if (s >= e || hexval((unsigned char)*s) < 0)
					return fail(ps, "\\%c escape needs %d hex digits", c, want);
				cp = cp * 16 + (uint32_t)hexval((unsigned char)*s++);
			}
			if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
				return fail(ps, "\\%c%0*X is not a Unicode scalar value", c, want, cp);
			put_utf8(out, cp);
			break;
		}
		default:
			return fail(ps, "unknown escape sequence \\%c", c);
		}
	}
	return 0;
}

/* One scalar value of field f, encoded with its tag into out; leaves the
 * parser on the token after the value. */
static int parse_scalar(struct parser *ps, const ProtobufCFieldDescriptor *f,
			struct p4i_buf *out)
{
	char tb[48];
	int neg, r;
	uint64_t mag, v;
	double d;

	switch (f->type) {
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_BYTES: {
		if (ps->kind != T_STRING)
			return fail(ps, "expected a string for %s field \"%s\", got %s",
				    type_name(f->type), f->name, tok_desc(ps, tb, sizeof tb));
		struct p4i_buf s = {0};
		while (ps->kind == T_STRING) {  /* "a" "b" is "ab" */
			if ((r = unescape(ps, &s)) < 0 || (r = next(ps)) < 0) {
				p4i_buf_free(&s);
				return r;
			}
		}
		put_tag(out, f);
		put_varint(out, s.len);
		p4i_buf_put(out, s.data, s.len);
		out->oom |= s.oom;
		p4i_buf_free(&s);
		return 0;
	}
	case PROTOBUF_C_TYPE_BOOL:
		if (is_ident(ps, "true") || is_ident(ps, "True") || is_ident(ps, "t"))
			v = 1;
		else if (is_ident(ps, "false") || is_ident(ps, "False") || is_ident(ps, "f"))
			v = 0;
		else if (ps->kind == T_NUMBER && ps->tlen == 1 && (ps->t[0] == '0' || ps->t[0] == '1'))
			v = (uint64_t)(ps->t[0] - '0');
		else
			return fail(ps, "expected true or false for bool field \"%s\", got %s",
				    f->name, tok_desc(ps, tb, sizeof tb));
		put_tag(out, f);
		put_varint(out, v);
		return next(ps);
	case PROTOBUF_C_TYPE_ENUM:
		if (ps->kind == T_IDENT) {
			char name[128];
			if (ps->tlen >= sizeof name)
				return fail(ps, "enum value name %s is too long", tok_desc(ps, tb, sizeof tb));
			memcpy(name, ps->t, ps->tlen);
			name[ps->tlen] = 0;
			const ProtobufCEnumDescriptor *ed = f->descriptor;
			const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value_by_name(ed, name);
			if (!ev)
				return fail(ps, "enum %s has no value named \"%s\" (field \"%s\")",
					    ed->name, name, f->name);
			put_tag(out, f);
			put_varint(out, (uint64_t)(int64_t)ev->value);
			return next(ps);
		}
		if ((r = parse_integer(ps, f, &neg, &mag)) < 0 || (r = check_range(ps, f, neg, mag, &v)) < 0)
			return r;
		put_tag(out, f);
		put_varint(out, v);
		return next(ps);
	case PROTOBUF_C_TYPE_FLOAT:
	case PROTOBUF_C_TYPE_DOUBLE:
		if ((r = parse_float(ps, f, &d)) < 0)
			return r;
		put_tag(out, f);
		if (f->type == PROTOBUF_C_TYPE_FLOAT) {
			float fl = (float)d;
			uint32_t bits;
			memcpy(&bits, &fl, 4);
			put_le(out, bits, 4);
		} else {
			uint64_t bits;
			memcpy(&bits, &d, 8);
			put_le(out, bits, 8);
		}
		return next(ps);
	default:
		break;
	}

	if ((r = parse_integer(ps, f, &neg, &mag)) < 0 || (r = check_range(ps, f, neg, mag, &v)) < 0)
		return r;
	put_tag(out, f);
	switch (f->type) {
	case PROTOBUF_C_TYPE_SINT32:
		put_varint(out, (uint32_t)(((uint32_t)v << 1) ^ (uint32_t)((int32_t)v >> 31)));
		break;
	case PROTOBUF_C_TYPE_SINT64:
		put_varint(out, (v << 1) ^ (uint64_t)((int64_t)v >> 63));
		break;
	case PROTOBUF_C_TYPE_FIXED32: case PROTOBUF_C_TYPE_SFIXED32:
		put_le(out, v, 4);
		break;
	case PROTOBUF_C_TYPE_FIXED64: case PROTOBUF_C_TYPE_SFIXED64:
		put_le(out, v, 8);
		break;
	default:  /* int32 negatives are sign-extended to ten bytes, as protoc does */
		put_varint(out, v);
		break;
	}
	return next(ps);
}

static int parse_fields(struct parser *ps, const ProtobufCMessageDescriptor *desc,
			struct p4i_buf *out, char close);

/* A nested message value: `{ ... }` or `< ... >`, encoded with its tag. */
static int parse_submessage(struct parser *ps, const ProtobufCFieldDescriptor *f,
			    struct p4i_buf *out)
{
	char tb[48];
	char close;
	if (is_punct(ps, '{'))
		close = '}';
	else if (is_punct(ps, '<'))
		close = '>';
	else
		return fail(ps, "expected \"{\" to open message field \"%s\", got %s",
			    f->name, tok_desc(ps, tb, sizeof tb));
	if (++ps->depth > MAX_DEPTH)
		return fail(ps, "messages nested more than %d deep", MAX_DEPTH);
	struct p4i_buf sub = {0};
	int r = next(ps);
	if (r == 0)
		r = parse_fields(ps, f->descriptor, &sub, close);
	if (r == 0) {
		put_tag(out, f);
		put_varint(out, sub.len);
		p4i_buf_put(out, sub.data, sub.len);
		out->oom |= sub.oom;
		r = next(ps);  /* past the closing brace */
	}
	p4i_buf_free(&sub);
	ps->depth--;
	return r;
}

static int parse_value(struct parser *ps, const ProtobufCFieldDescriptor *f,
		       struct p4i_buf *out)
{
	if (f->type == PROTOBUF_C_TYPE_MESSAGE)
		return parse_submessage(ps, f, out);
	return parse_scalar(ps, f, out);
}

/* field := name [":"] value | name [":"] "[" [value {"," value}] "]" */
static int parse_field(struct parser *ps, const ProtobufCMessageDescriptor *desc,
		       struct p4i_buf *out, unsigned char *seen)
{
	char tb[48];
	int r;

	if (is_punct(ps, '['))
		return fail(ps, "extensions and expanded Any fields ([...]) are not supported");
	if (ps->kind != T_IDENT)
		return fail(ps, "expected a field name of %s, got %s",
			    desc->name, tok_desc(ps, tb, sizeof tb));
	char name[128];
	if (ps->tlen >= sizeof name)
		return fail(ps, "field name %s is too long", tok_desc(ps, tb, sizeof tb));
	memcpy(name, ps->t, ps->tlen);
	name[ps->tlen] = 0;
	const ProtobufCFieldDescriptor *f =
		protobuf_c_message_descriptor_get_field_by_name(desc, name);
	if (!f)
		return fail(ps, "message %s has no field named \"%s\"", desc->name, name);

	/* Non-repeated fields once; one member per oneof. */
	unsigned idx = (unsigned)(f - desc->fields);
	if (f->label != PROTOBUF_C_LABEL_REPEATED) {
		if (seen[idx])
			return fail(ps, "non-repeated field \"%s\" is given more than once", name);
		if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
			for (unsigned i = 0; i < desc->n_fields; i++) {
				const ProtobufCFieldDescriptor *g = &desc->fields[i];
				if (seen[i] && (g->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
				    g->quantifier_offset == f->quantifier_offset)
					return fail(ps, "field \"%s\" is given along with \"%s\", "
						    "another member of the same oneof", name, g->name);
			}
		}
		seen[idx] = 1;
	}

	if ((r = next(ps)) < 0)
		return r;
	if (is_punct(ps, ':')) {
		if ((r = next(ps)) < 0)
			return r;
	} else if (f->type != PROTOBUF_C_TYPE_MESSAGE) {
		return fail(ps, "expected \":\" after field name \"%s\", got %s",
			    name, tok_desc(ps, tb, sizeof tb));
	}

	if (!is_punct(ps, '['))
		return parse_value(ps, f, out);
	if (f->label != PROTOBUF_C_LABEL_REPEATED)
		return fail(ps, "field \"%s\" is not repeated; a list [...] is not allowed", name);
	if ((r = next(ps)) < 0)
		return r;
	if (is_punct(ps, ']'))
		return next(ps);
	for (;;) {
		if ((r = parse_value(ps, f, out)) < 0)
			return r;
		if (is_punct(ps, ']'))
			return next(ps);
		if (!is_punct(ps, ','))
			return fail(ps, "expected \",\" or \"]\" in the list of field \"%s\", got %s",
				    name, tok_desc(ps, tb, sizeof tb));
		if ((r = next(ps)) < 0)
			return r;
	}
}

/* Fields up to close (0: end of input); leaves the parser on close. */
static int parse_fields(struct parser *ps, const ProtobufCMessageDescriptor *desc,
			struct p4i_buf *out, char close)
{
	char tb[48];
	unsigned char *seen = calloc(desc->n_fields + 1, 1);
	int r = 0;

	if (!seen)
		return p4l_errf(ps->err, -ENOMEM, "%s: out of memory", ps->name);
	for (;;) {
		if (close ? is_punct(ps, close) : ps->kind == T_EOF)
			break;
		if (ps->kind == T_EOF) {
			r = fail(ps, "expected \"%c\" to close a %s, got end of input",
				 close, desc->name);
			break;
		}
		if (ps->kind == T_PUNCT && strchr("}>", ps->t[0])) {
			r = close ? fail(ps, "expected \"%c\" to close a %s, got %s", close,
					 desc->name, tok_desc(ps, tb, sizeof tb))
				  : fail(ps, "unmatched %s", tok_desc(ps, tb, sizeof tb));
			break;
		}
		if ((r = parse_field(ps, desc, out, seen)) < 0)
			break;
		if (is_punct(ps, ',') || is_punct(ps, ';')) {
			if ((r = next(ps)) < 0)
				break;
		}
	}
	free(seen);
	return r;
}

/* Text to (not necessarily canonical) wire bytes in *wire. */
static int text_to_wire(const ProtobufCMessageDescriptor *desc, const char *text,
			size_t len, const char *name, struct p4i_buf *wire,
			struct p4l_err *err)
{
	struct parser ps = {
		.name = name ? name : "<text>", .p = text, .end = text + len,
		.line = 1, .col = 1, .err = err,
	};
	int r = next(&ps);
	if (r == 0)
		r = parse_fields(&ps, desc, wire, 0);
	if (r == 0 && wire->oom)
		r = p4l_errf(err, -ENOMEM, "%s: out of memory", ps.name);
	return r;
}

int p4i_text_parse(const ProtobufCMessageDescriptor *desc, const char *text,
		   size_t len, const char *name, ProtobufCMessage **out,
		   struct p4l_err *err)
{
	struct p4i_buf wire = {0};
	*out = NULL;
	int r = text_to_wire(desc, text, len, name, &wire, err);
	if (r < 0)
		goto out;
	*out = protobuf_c_message_unpack(desc, NULL, wire.len, wire.data ? wire.data : (const uint8_t *)"");
	if (!*out)  /* only a proto2 required field can be missing here */
		r = p4l_errf(err, -EINVAL, "%s: not a complete %s (a required field is missing?)",
			     name ? name : "<text>", desc->name);
out:
	p4i_buf_free(&wire);
	return r;
}

int p4i_text_to_binary(const ProtobufCMessageDescriptor *desc, const char *text,
		       size_t len, const char *name, uint8_t **out, size_t *out_len,
		       struct p4l_err *err)
{
	ProtobufCMessage *msg;
	*out = NULL;
	*out_len = 0;
	int r = p4i_text_parse(desc, text, len, name, &msg, err);
	if (r < 0)
		return r;
	/* Re-pack for the canonical encoding: field order, packed repeats. */
	size_t n = protobuf_c_message_get_packed_size(msg);
	uint8_t *buf = malloc(n ? n : 1);
	if (!buf) {
		protobuf_c_message_free_unpacked(msg, NULL);
		return p4l_errf(err, -ENOMEM, "%s: out of memory", name ? name : "<text>");
	}
	protobuf_c_message_pack(msg, buf);
	protobuf_c_message_free_unpacked(msg, NULL);
	*out = buf;
	*out_len = n;
	return 0;
}
