/* lexer.c - turns one source buffer into tokens (fe.h: p4_lex).
 *
 * Called by the preprocessor for every file it reads (and for -D values and
 * `##` pastes).  Comments and whitespace are dropped, but each token records
 * whether it starts a line (directives) and whether whitespace precedes it
 * (two adjacent `>` make a shift).  A backslash before a newline joins lines. */
#include "fe.h"

#include <errno.h>
#include <string.h>

struct lexer {
	struct p4_fe *fe;
	const char *file, *p, *line_start;
	uint32_t line;
};

static const struct { const char *s; int len, kind; } puncts[] = {
#define X(n, s) { s, sizeof(s) - 1, T_##n },
	P4_PUNCTS(X)
#undef X
};

static struct p4_loc loc_at(struct lexer *lx, const char *p)
{
	return (struct p4_loc){ lx->file, lx->line_start, lx->line,
				(uint32_t)(p - lx->line_start) + 1 };
}

static int lex_error(struct lexer *lx, const char *p, const char *msg)
{
	struct p4_loc loc = loc_at(lx, p);
	p4_diag_error(lx->fe->diag, &loc, "%s", msg);
	return -EINVAL;
}

const char *p4_stray_message(const struct p4_token *t, char *buf, size_t size)
{
	unsigned char c = (unsigned char)t->text[0];
	if (c == '"')
		return "missing terminating '\"' character";
	if (c >= 0x20 && c < 0x7f)
		snprintf(buf, size, "stray '%c' in program", c);
	else
		snprintf(buf, size, "stray byte 0x%02x in program", c);
	return buf;
}

static void newline(struct lexer *lx, const char *after)
{
	lx->line++;
	lx->line_start = after;
}

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* Skips whitespace and comments; sets *bol when a newline was crossed and
 * *space when anything was skipped. */
static int skip_space(struct lexer *lx, bool *bol, bool *space)
{
	for (;;) {
		const char *p = lx->p;
		if (*p == '\n') {
			newline(lx, p + 1);
			lx->p = p + 1;
			*bol = *space = true;
		} else if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v') {
			lx->p++;
			*space = true;
		} else if (p[0] == '\\' && (p[1] == '\n' || (p[1] == '\r' && p[2] == '\n'))) {
			p += p[1] == '\n' ? 2 : 3;
			newline(lx, p);
			lx->p = p;
			*space = true;
		} else if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				p++;
			lx->p = p;
			*space = true;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *start = p, *ls = lx->line_start;
			uint32_t line = lx->line;
			for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
				if (*p == '\n')
					newline(lx, p + 1);
			if (!*p) {
				lx->p = start;
				lx->line = line;
				lx->line_start = ls;
				return -EINVAL;
			}
			lx->p = p + 2;
			*space = true;
		} else {
			return 0;
		}
	}
}

int p4_lex(struct p4_fe *fe, const char *file, const char *buf, struct p4_tokvec *out)
{
	struct lexer lx = { fe, file, buf, buf, 1 };
	bool bol = true;

	/* a UTF-8 byte order mark is not part of the program */
	if (!strncmp(buf, "\xEF\xBB\xBF", 3))
		lx.p += 3;

	for (;;) {
		bool space = false;
		if (skip_space(&lx, &bol, &space) < 0)
			return lex_error(&lx, lx.p, "unterminated comment");
		const char *p = lx.p;
		struct p4_token t = { .bol = bol, .space = space, .text = p };
		t.loc = loc_at(&lx, p);
		if (!*p) {
			t.kind = T_EOF;
			t.bol = 1;
			if (p > buf && p[-1] == '\n' && lx.line > 1) {
				/* at the end of the last line, not on a line after it */
				const char *ls = p - 1;
				while (ls > buf && ls[-1] != '\n')
					ls--;
				t.loc = (struct p4_loc){ file, ls, lx.line - 1, (uint32_t)(p - 1 - ls) + 1 };
			}
			return p4_tokvec_push(out, &t) < 0 ? -ENOMEM : 0;
		}
		if (is_ident_start(*p)) {
			int kind;
			while (is_ident_char(*p))
				p++;
			t.name = p4_fe_intern(fe, t.text, p - t.text, &kind);
			if (!t.name)
				return -ENOMEM;
			t.kind = kind;
		} else if (*p >= '0' && *p <= '9') {
			while (is_ident_char(*p))
				p++;
			t.kind = T_NUMBER;
		} else if (*p == '"') {
			t.kind = T_STRING;
			for (p++; *p != '"'; p++) {
				if (*p == '\\' && p[1] && p[1] != '\n') {
					p++;
				} else if (!*p || *p == '\n') {
					t.kind = T_STRAY;
					break;
				}
			}
			if (t.kind == T_STRING)
				p++;
		} else {
			size_t i;
			for (i = 0; i < sizeof(puncts) / sizeof(*puncts); i++)
				if (!strncmp(p, puncts[i].s, puncts[i].len))
					break;
			if (i == sizeof(puncts) / sizeof(*puncts)) {
				p++;
				t.kind = T_STRAY;
			} else {
				p += puncts[i].len;
				t.kind = puncts[i].kind;
			}
		}
		t.len = (uint32_t)(p - t.text);
		lx.p = p;
		bol = false;
		if (p4_tokvec_push(out, &t) < 0)
			return -ENOMEM;
	}
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* Integer literal: [width ('w' | 's')] [0x | 0o | 0b | 0d] digits, with '_'
 * allowed between digits.  The value is kept exactly (limbs). */
int p4_parse_int(struct p4_fe *fe, const char *text, size_t len, struct p4_int *lit,
		 char *msg, size_t msg_size)
{
	const char *p = text, *end = text + len;
	static const char *const base_names[17] = {
		[2] = "binary", [8] = "octal", [10] = "decimal", [16] = "hexadecimal" };

	memset(lit, 0, sizeof(*lit));
	lit->text = p4l_arena_strndup(fe->arena, text, len);
	const char *q = p;
	while (q < end && *q >= '0' && *q <= '9')
		q++;
	if (q < end && q > p && (*q == 'w' || *q == 's')) {
		uint64_t w = 0;
		for (const char *d = p; d < q; d++) {
			w = w * 10 + (uint64_t)(*d - '0');
			if (w > 1u << 20) {
				snprintf(msg, msg_size, "width of '%.*s' is too large", (int)len, text);
				return -EINVAL;
			}
		}
		if (w == 0) {
			snprintf(msg, msg_size, "width of '%.*s' must be positive", (int)len, text);
			return -EINVAL;
		}
		lit->has_width = true;
		lit->width = (uint32_t)w;
		lit->is_signed = *q == 's';
		p = q + 1;
	}
	lit->base = 10;
	if (end - p >= 2 && p[0] == '0') {
		switch (p[1]) {
		case 'x': case 'X': lit->base = 16; p += 2; break;
		case 'o': case 'O': lit->base = 8; p += 2; break;
		case 'b': case 'B': lit->base = 2; p += 2; break;
		case 'd': case 'D': lit->base = 10; p += 2; break;
		}
	}
	size_t ndigits = 0;
	for (const char *d = p; d < end; d++) {
		if (*d == '_')
			continue;
		if (digit_value(*d) >= lit->base) {
			snprintf(msg, msg_size, "invalid digit '%c' in %s constant '%.*s'", *d,
				 base_names[lit->base], (int)len, text);
			return -EINVAL;
		}
		ndigits++;
	}
	if (!ndigits) {
		snprintf(msg, msg_size, "constant '%.*s' has no digits", (int)len, text);
		return -EINVAL;
	}
	size_t cap = ndigits * 4 / 64 + 1;
	lit->limbs = p4l_arena_alloc(fe->arena, cap * sizeof(uint64_t));
	if (!lit->limbs || !lit->text) {
		fe->oom = true;
		snprintf(msg, msg_size, "out of memory");
		return -ENOMEM;
	}
	lit->nlimbs = 1;
	for (; p < end; p++) {
		if (*p == '_')
			continue;
		/* value = value * base + digit, limb by limb */
		unsigned __int128 carry = (unsigned)digit_value(*p);
		for (uint32_t k = 0; k < lit->nlimbs; k++) {
			unsigned __int128 v = (unsigned __int128)lit->limbs[k] * lit->base + carry;
			lit->limbs[k] = (uint64_t)v;
			carry = v >> 64;
		}
		if (carry)
			lit->limbs[lit->nlimbs++] = (uint64_t)carry;
	}
	return 0;
}
