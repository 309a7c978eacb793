/* preproc.c - the C-style preprocessor of P4 sources (fe.h: p4_preprocess).
 *
 * Called by fe.c before parsing.  Works on tokens: each file is lexed, then
 * its directives are run and its macros expanded into one output stream.
 * Tokens keep the location in the file they were written in (after #line),
 * so diagnostics point at the original file and line, included files too;
 * tokens produced by a macro carry the location of the macro's use.
 *
 * #include "x" searches the including file's folder, then -I folders, then
 * the bundled p4include files (embedded in the binary); #include <x> skips
 * the first.  #pragma once is honoured; other #pragmas are dropped with a
 * warning.  A macro is not expanded again inside its own expansion. */
#include "fe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"

enum { MAX_INCLUDE_DEPTH = 64, MAX_EXPANSION_DEPTH = 256, MAX_IF_DEPTH = 256 };

struct macro {
	struct macro *next;        /* hash chain */
	const char *name;
	bool fn;                   /* function-like */
	bool variadic;             /* its last parameter is `...` (__VA_ARGS__) */
	bool active;               /* being expanded */
	size_t nparams;
	const char **params;       /* interned names */
	struct p4_tokvec body;
};

struct cond {
	bool active;               /* this branch is being included */
	bool taken;                /* some branch of this #if was taken */
	bool seen_else;
	bool outer_active;
	struct p4_loc loc;
};

struct pp {
	struct p4_fe *fe;
	struct p4_tokvec *out;
	struct macro *macros[256];
	const char *once[256];     /* files with #pragma once (interned paths) */
	size_t n_once;
	int include_depth, expand_depth;
	struct p4_token eof;       /* the main file's end */
	const char *file_name, *line_name;   /* "__FILE__", "__LINE__", interned */
};

/* The file being read. */
struct pfile {
	const char *path;          /* as opened (interned) */
	const char *name;          /* as reported: path, or set by #line */
	bool bundled;              /* one of p4_bundled_files */
	long line_delta;           /* added to lexed lines (by #line) */
	struct p4_tokvec toks;     /* ends with T_EOF */
	size_t i;
	struct cond *conds;
	size_t nconds, capconds;
};

static int pp_error(struct pp *pp, const struct p4_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int pp_error(struct pp *pp, const struct p4_loc *loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	p4_diag_report(pp->fe->diag, P4_DIAG_ERROR, loc, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool is_name_tok(const struct p4_token *t)
{
	return t->kind == T_IDENT || (t->kind > T_KW_FIRST_ && t->kind != T_KW_DONTCARE);
}

static struct macro **macro_slot(struct pp *pp, const char *name)
{
	struct macro **m = &pp->macros[((uintptr_t)name >> 4) & 255];
	while (*m && (*m)->name != name)
		m = &(*m)->next;
	return m;
}

static struct macro *find_macro(struct pp *pp, const struct p4_token *t)
{
	return is_name_tok(t) ? *macro_slot(pp, t->name) : NULL;
}

static void free_macro(struct macro *m)
{
	if (!m)
		return;
	free(m->params);
	p4_tokvec_free(&m->body);
	free(m);
}

static void undef_macro(struct pp *pp, const char *name)
{
	struct macro **slot = macro_slot(pp, name), *m = *slot;
	if (m) {
		*slot = m->next;
		free_macro(m);
	}
}

/* The tokens of the directive line that starts at f->i (after the '#' and
 * the directive name): [*start, *end). Moves f->i to the next line. */
static void line_tokens(struct pfile *f, size_t *start, size_t *end)
{
	size_t i = f->i;
	*start = i;
	while (f->toks.v[i].kind != T_EOF && !f->toks.v[i].bol)
		i++;
	*end = i;
	f->i = i;
}

static int emit(struct pp *pp, const struct p4_token *t)
{
	return p4_tokvec_push(pp->out, t) < 0 ? -ENOMEM : 0;
}

/* ---- macro expansion ---- */

static int expand_tokens(struct pp *pp, const struct p4_token *toks, size_t n,
			 struct p4_tokvec *out);

/* Makes `##` from two spellings: relexes the joined text, which must give
 * exactly one token. */
static int paste(struct pp *pp, struct p4_token *left, const struct p4_token *right,
		 const struct p4_loc *loc)
{
	size_t len = left->len + right->len;
	char *buf = p4l_arena_alloc(pp->fe->arena, len + 1);
	struct p4_tokvec tv = { 0 };
	int err;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, left->text, left->len);
	memcpy(buf + left->len, right->text, right->len);
	struct p4_diag quiet = { 0 }, *saved = pp->fe->diag;
	pp->fe->diag = &quiet;
	err = p4_lex(pp->fe, loc->file, buf, &tv);
	pp->fe->diag = saved;
	if (err == -ENOMEM) {
		p4_tokvec_free(&tv);
		return err;
	}
	if (err < 0 || tv.n != 2) {
		p4_tokvec_free(&tv);
		return pp_error(pp, loc, "pasting \"%.*s\" and \"%.*s\" does not give a valid token",
				(int)left->len, left->text, (int)right->len, right->text);
	}
	uint8_t space = left->space;
	*left = tv.v[0];
	left->space = space;
	left->loc = *loc;
	p4_tokvec_free(&tv);
	return 0;
}

/* Makes a string token of the spelling of toks (for #param). */
static int stringize(struct pp *pp, const struct p4_token *toks, size_t n,
		     const struct p4_loc *loc, struct p4_token *res)
{
	size_t len = 2;
	for (size_t i = 0; i < n; i++)
		len += 2 * toks[i].len + 1;
	char *buf = p4l_arena_alloc(pp->fe->arena, len + 1), *p = buf;
	if (!buf)
		return -ENOMEM;
	*p++ = '"';
	for (size_t i = 0; i < n; i++) {
		if (i && toks[i].space)
			*p++ = ' ';
		for (uint32_t k = 0; k < toks[i].len; k++) {
			char c = toks[i].text[k];
			if (c == '"' || c == '\\')
				*p++ = '\\';
			*p++ = c;
		}
	}
	*p++ = '"';
	*res = (struct p4_token){ .kind = T_STRING, .text = buf, .len = (uint32_t)(p - buf),
				  .loc = *loc, .space = 1 };
	return 0;
}

/* Expands the macro m used at toks[*i] (a function-like macro's arguments
 * follow it in toks[.. n)).  Returns 1 when toks[*i] is not an invocation
 * after all (a function-like macro name without '('). */
static int expand_macro(struct pp *pp, struct macro *m, const struct p4_token *toks,
			size_t n, size_t *i, struct p4_tokvec *out)
{
	const struct p4_token *use = &toks[*i];
	struct p4_loc loc = use->loc;
	struct p4_tokvec body = { 0 };
	size_t *arg_start = NULL, *arg_end = NULL, nargs = 0;
	int err = 0;

	if (pp->expand_depth >= MAX_EXPANSION_DEPTH)
		return pp_error(pp, &loc, "macro '%s' expands too deeply", m->name);
	if (m->fn) {
		size_t j = *i + 1, depth = 0;
		if (j >= n || toks[j].kind != T_LPAREN)
			return 1;
		arg_start = calloc(m->nparams + 1, sizeof(size_t));
		arg_end = calloc(m->nparams + 1, sizeof(size_t));
		if (!arg_start || !arg_end) {
			err = -ENOMEM;
			goto out;
		}
		arg_start[0] = ++j;
		for (;; j++) {
			if (j >= n || toks[j].kind == T_EOF) {
				err = pp_error(pp, &loc, "unterminated argument list invoking macro '%s'",
					       m->name);
				goto out;
			}
			int k = toks[j].kind;
			if (k == T_LPAREN) {
				depth++;
			} else if (k == T_RPAREN && depth) {
				depth--;
			} else if (k == T_COMMA && !depth && m->variadic && nargs + 1 == m->nparams) {
				continue;   /* __VA_ARGS__ takes the rest, commas included */
			} else if ((k == T_COMMA && !depth) || k == T_RPAREN) {
				bool empty_call = k == T_RPAREN && m->nparams == 0 && j == arg_start[0];
				if (nargs == m->nparams && !empty_call) {
					err = pp_error(pp, &loc, "macro '%s' takes %zu argument%s, but more were given",
						       m->name, m->nparams, m->nparams == 1 ? "" : "s");
					goto out;
				}
				arg_end[nargs++] = j;
				if (k == T_RPAREN)
					break;
				arg_start[nargs] = j + 1;
			}
		}
		/* M() for a macro without parameters passes one empty argument */
		if (m->nparams == 0 && nargs == 1 && arg_start[0] == arg_end[0])
			nargs = 0;
		/* M(a) for M(x, ...): __VA_ARGS__ is empty */
		if (m->variadic && nargs + 1 == m->nparams) {
			arg_start[nargs] = arg_end[nargs] = j;
			nargs++;
		}
		if (nargs != m->nparams) {
			err = pp_error(pp, &loc, "macro '%s' takes %zu argument%s, but %zu given",
				       m->name, m->nparams, m->nparams == 1 ? "" : "s", nargs);
			goto out;
		}
		*i = j;
	}

	/* substitute the parameters */
	for (size_t b = 0; b < m->body.n && !err; b++) {
		const struct p4_token *t = &m->body.v[b];
		size_t p = m->nparams;
		if (t->kind == T_HASH && m->fn && b + 1 < m->body.n) {
			for (p = 0; p < m->nparams && m->body.v[b + 1].name != m->params[p]; p++)
				;
			if (p < m->nparams) {
				struct p4_token s;
				err = stringize(pp, &toks[arg_start[p]], arg_end[p] - arg_start[p], &loc, &s);
				if (!err)
					err = p4_tokvec_push(&body, &s);
				b++;
				continue;
			}
		}
		if (t->kind == T_HASHHASH && body.n && b + 1 < m->body.n) {
			const struct p4_token *r = &m->body.v[++b];
			for (p = 0; p < m->nparams && r->name != m->params[p]; p++)
				;
			if (p < m->nparams) {
				size_t s = arg_start[p], e = arg_end[p];
				if (s < e) {
					err = paste(pp, &body.v[body.n - 1], &toks[s], &loc);
					for (s++; s < e && !err; s++)
						err = p4_tokvec_push(&body, &toks[s]);
				}
			} else {
				err = paste(pp, &body.v[body.n - 1], r, &loc);
			}
			continue;
		}
		if (is_name_tok(t))
			for (p = 0; p < m->nparams && t->name != m->params[p]; p++)
				;
		if (p < m->nparams) {
			/* an argument is expanded fully before it is substituted */
			size_t from = body.n;
			err = expand_tokens(pp, &toks[arg_start[p]], arg_end[p] - arg_start[p], &body);
			for (size_t q = from; q < body.n; q++)
				body.v[q].loc = loc;
			if (from < body.n)
				body.v[from].space = t->space;
		} else {
			struct p4_token c = *t;
			c.loc = loc;
			err = p4_tokvec_push(&body, &c);
		}
	}
	if (err)
		goto out;
	if (body.n)
		body.v[0].space = use->space;
	m->active = true;
	pp->expand_depth++;
	err = expand_tokens(pp, body.v, body.n, out);
	pp->expand_depth--;
	m->active = false;
out:
	free(arg_start);
	free(arg_end);
	p4_tokvec_free(&body);
	return err;
}

static int stray_error(struct pp *pp, const struct p4_token *t)
{
	char buf[64];
	return pp_error(pp, &t->loc, "%s", p4_stray_message(t, buf, sizeof(buf)));
}

/* __FILE__ (a string) or __LINE__ (a number) where t is used. */
static int file_or_line(struct pp *pp, const struct p4_token *t, struct p4_tokvec *out)
{
	struct p4_token r = *t;
	char *buf;
	if (t->name == pp->line_name) {
		buf = p4l_arena_printf(pp->fe->arena, "%u", (unsigned)t->loc.line);
		r.kind = T_NUMBER;
	} else {
		const char *f = t->loc.file ? t->loc.file : "";
		buf = p4l_arena_alloc(pp->fe->arena, 2 * strlen(f) + 3);
		if (buf) {
			char *p = buf;
			*p++ = '"';
			for (; *f; f++) {
				if (*f == '"' || *f == '\\')
					*p++ = '\\';
				*p++ = *f;
			}
			*p++ = '"';
			*p = '\0';
		}
		r.kind = T_STRING;
	}
	if (!buf)
		return -ENOMEM;
	r.text = buf;
	r.len = (uint32_t)strlen(buf);
	r.name = NULL;
	return p4_tokvec_push(out, &r) < 0 ? -ENOMEM : 0;
}

/* Expands toks[0..n) into out. */
static int expand_tokens(struct pp *pp, const struct p4_token *toks, size_t n,
			 struct p4_tokvec *out)
{
	for (size_t i = 0; i < n; i++) {
		struct macro *m = find_macro(pp, &toks[i]);
		int err;
		if (toks[i].kind == T_STRAY)
			return stray_error(pp, &toks[i]);
		if (is_name_tok(&toks[i]) && (toks[i].name == pp->file_name ||
					      toks[i].name == pp->line_name)) {
			if ((err = file_or_line(pp, &toks[i], out)))
				return err;
			continue;
		}
		if (m && !m->active) {
			err = expand_macro(pp, m, toks, n, &i, out);
			if (err <= 0) {
				if (err < 0)
					return err;
				continue;
			}
		}
		if (p4_tokvec_push(out, &toks[i]) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* ---- #if expressions ---- */

struct cexpr {
	struct pp *pp;
	const struct p4_token *t;
	size_t i, n;
	struct p4_loc loc;
	int err;
};

static long long cx_cond(struct cexpr *c);

static bool cx_is(struct cexpr *c, int kind)
{
	return c->i < c->n && c->t[c->i].kind == kind;
}

static long long cx_fail(struct cexpr *c, const char *msg)
{
	if (!c->err) {
		const struct p4_loc *loc = c->i < c->n ? &c->t[c->i].loc : &c->loc;
		c->err = pp_error(c->pp, loc, "%s", msg);
	}
	return 0;
}

static long long cx_primary(struct cexpr *c)
{
	if (c->err)
		return 0;
	if (c->i >= c->n)
		return cx_fail(c, "expected a value in #if expression");
	const struct p4_token *t = &c->t[c->i++];
	switch (t->kind) {
	case T_LPAREN: {
		long long v = cx_cond(c);
		if (!cx_is(c, T_RPAREN))
			return cx_fail(c, "expected ')' in #if expression");
		c->i++;
		return v;
	}
	case T_BANG: return !cx_primary(c);
	case T_TILDE: return ~cx_primary(c);
	case T_MINUS: return -cx_primary(c);
	case T_PLUS: return cx_primary(c);
	case T_KW_TRUE: return 1;
	case T_KW_FALSE: return 0;
	case T_NUMBER: {
		struct p4_int lit;
		char msg[128];
		if (p4_parse_int(c->pp->fe, t->text, t->len, &lit, msg, sizeof(msg)) < 0) {
			c->i--;
			return cx_fail(c, msg);
		}
		return (long long)lit.limbs[0];
	}
	default:
		if (is_name_tok(t))
			return 0;   /* an undefined name is 0, as in C */
		c->i--;
		return cx_fail(c, "unexpected token in #if expression");
	}
}

/* Binary operators by precedence level, C's order. */
static int cx_binop(struct cexpr *c, int level, int *len)
{
	if (c->i >= c->n)
		return 0;
	int k = c->t[c->i].kind;
	*len = 1;
	switch (level) {
	case 0: return k == T_OR;
	case 1: return k == T_AND;
	case 2: return k == T_PIPE;
	case 3: return k == T_CARET;
	case 4: return k == T_AMP;
	case 5: return k == T_EQ || k == T_NE;
	case 6:
		if (k == T_GT && c->i + 1 < c->n && c->t[c->i + 1].kind == T_GT &&
		    !c->t[c->i + 1].space)
			return 0;
		return k == T_LT || k == T_GT || k == T_LE || k == T_GE;
	case 7:
		if (k == T_GT && c->i + 1 < c->n && c->t[c->i + 1].kind == T_GT &&
		    !c->t[c->i + 1].space) {
			*len = 2;
			return 1;
		}
		return k == T_SHL;
	case 8: return k == T_PLUS || k == T_MINUS;
	case 9: return k == T_STAR || k == T_SLASH || k == T_PERCENT;
	}
	return 0;
}

static long long cx_level(struct cexpr *c, int level)
{
	if (level == 10)
		return cx_primary(c);
	long long v = cx_level(c, level + 1);
	int len;
	while (!c->err && cx_binop(c, level, &len)) {
		int k = c->t[c->i].kind;
		c->i += len;
		long long r = cx_level(c, level + 1);
		switch (k) {
		case T_OR: v = v || r; break;
		case T_AND: v = v && r; break;
		case T_PIPE: v |= r; break;
		case T_CARET: v ^= r; break;
		case T_AMP: v &= r; break;
		case T_EQ: v = v == r; break;
		case T_NE: v = v != r; break;
		case T_LT: v = v < r; break;
		case T_LE: v = v <= r; break;
		case T_GE: v = v >= r; break;
		case T_GT: v = len == 2 ? (r >= 0 && r < 64 ? v >> r : 0) : v > r; break;
		case T_SHL: v = r >= 0 && r < 64 ? (long long)((unsigned long long)v << r) : 0; break;
		case T_PLUS: v = (long long)((unsigned long long)v + (unsigned long long)r); break;
		case T_MINUS: v = (long long)((unsigned long long)v - (unsigned long long)r); break;
		case T_STAR: v = (long long)((unsigned long long)v * (unsigned long long)r); break;
		case T_SLASH:
		case T_PERCENT:
			if (r == 0)
				return cx_fail(c, "division by zero in #if expression");
			if (r == -1)
				v = k == T_SLASH ? (long long)(0ULL - (unsigned long long)v) : 0;
			else
				v = k == T_SLASH ? v / r : v % r;
			break;
		}
	}
	return v;
}

static long long cx_cond(struct cexpr *c)
{
	long long v = cx_level(c, 0);
	if (!c->err && cx_is(c, T_QUESTION)) {
		c->i++;
		long long a = cx_cond(c);
		if (!cx_is(c, T_COLON))
			return cx_fail(c, "expected ':' in #if expression");
		c->i++;
		long long b = cx_cond(c);
		v = v ? a : b;
	}
	return v;
}

/* Evaluates the #if/#elif line toks[s..e). */
static int eval_if(struct pp *pp, const struct p4_token *dir, const struct p4_token *toks,
		   size_t s, size_t e, bool *result)
{
	struct p4_tokvec pre = { 0 }, ex = { 0 };
	int err = 0;

	/* defined X / defined(X) first, so their names are not expanded */
	for (size_t i = s; i < e && !err; i++) {
		const struct p4_token *t = &toks[i];
		if (t->kind == T_IDENT && !strcmp(t->name, "defined")) {
			size_t j = i + 1;
			bool paren = j < e && toks[j].kind == T_LPAREN;
			if (paren)
				j++;
			if (j >= e || !is_name_tok(&toks[j])) {
				err = pp_error(pp, &t->loc, "'defined' needs a macro name");
				break;
			}
			bool def = *macro_slot(pp, toks[j].name) != NULL;
			if (paren && (++j >= e || toks[j].kind != T_RPAREN)) {
				err = pp_error(pp, &t->loc, "expected ')' after 'defined(%s'", toks[j - 1].name);
				break;
			}
			struct p4_token v = *t;
			v.kind = T_NUMBER;
			v.text = def ? "1" : "0";
			v.len = 1;
			v.name = NULL;
			err = p4_tokvec_push(&pre, &v);
			i = j;
		} else {
			err = p4_tokvec_push(&pre, t);
		}
	}
	if (!err)
		err = expand_tokens(pp, pre.v, pre.n, &ex);
	if (!err) {
		if (!ex.n) {
			err = pp_error(pp, &dir->loc, "#%s with no expression", dir->name);
		} else {
			struct cexpr c = { pp, ex.v, 0, ex.n, dir->loc, 0 };
			long long v = cx_cond(&c);
			if (!c.err && c.i < c.n)
				cx_fail(&c, "unexpected token in #if expression");
			err = c.err;
			*result = v != 0;
		}
	}
	p4_tokvec_free(&pre);
	p4_tokvec_free(&ex);
	return err;
}

/* ---- directives ---- */

static int define_macro(struct pp *pp, const struct p4_token *toks, size_t s, size_t e,
			const struct p4_loc *dloc)
{
	if (s >= e || !is_name_tok(&toks[s]))
		return pp_error(pp, s < e ? &toks[s].loc : dloc, "macro name missing after #define");
	struct macro *m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->name = toks[s].name;
	size_t i = s + 1;
	if (i < e && toks[i].kind == T_LPAREN && !toks[i].space) {
		size_t cap = 0;
		m->fn = true;
		i++;
		if (i < e && toks[i].kind == T_RPAREN) {
			i++;
		} else {
			for (;;) {
				bool dots = i < e && toks[i].kind == T_DOTS;
				if (i >= e || (!is_name_tok(&toks[i]) && !dots)) {
					free_macro(m);
					return pp_error(pp, i < e ? &toks[i].loc : &toks[s].loc,
							"expected a parameter name in macro '%s'", toks[s].name);
				}
				if (m->nparams == cap) {
					cap = cap ? cap * 2 : 4;
					const char **p = realloc(m->params, cap * sizeof(*p));
					if (!p) {
						free_macro(m);
						return -ENOMEM;
					}
					m->params = p;
				}
				m->params[m->nparams++] = dots ? p4_fe_intern(pp->fe, "__VA_ARGS__", 11, NULL) :
								 toks[i].name;
				i++;
				if (dots && !(i < e && toks[i].kind == T_RPAREN)) {
					free_macro(m);
					return pp_error(pp, i < e ? &toks[i].loc : &toks[s].loc,
							"'...' must be the last parameter of macro '%s'",
							toks[s].name);
				}
				m->variadic |= dots;
				if (i < e && toks[i].kind == T_COMMA) {
					i++;
					continue;
				}
				if (i < e && toks[i].kind == T_RPAREN) {
					i++;
					break;
				}
				free_macro(m);
				return pp_error(pp, i < e ? &toks[i].loc : &toks[s].loc,
						"expected ',' or ')' in the parameters of macro '%s'",
						toks[s].name);
			}
		}
	}
	for (; i < e; i++)
		if (p4_tokvec_push(&m->body, &toks[i]) < 0) {
			free_macro(m);
			return -ENOMEM;
		}
	undef_macro(pp, m->name);
	struct macro **slot = macro_slot(pp, m->name);
	*slot = m;
	return 0;
}

static int process_file(struct pp *pp, const char *path, const char *buf, bool bundled);

/* The folder part of path with its '/', or "" for a bare file name. */
static int dir_len(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? (int)(slash - path + 1) : 0;
}

static bool readable(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f)
		fclose(f);
	return f != NULL;
}

static int do_include(struct pp *pp, struct pfile *f, const struct p4_token *dir,
		      size_t s, size_t e)
{
	const struct p4_token *toks = f->toks.v;
	char name[1024], path[2048];
	bool quoted, ok = true;
	struct p4_tokvec ex = { 0 };

	if (s < e && is_name_tok(&toks[s])) {
		/* #include MACRO: the expansion must give "FILE" or <FILE> */
		int err = expand_tokens(pp, &toks[s], e - s, &ex);
		if (err) {
			p4_tokvec_free(&ex);
			return err;
		}
		toks = ex.v;
		s = 0;
		e = ex.n;
	}
	if (s < e && toks[s].kind == T_STRING && s + 1 == e) {
		snprintf(name, sizeof(name), "%.*s", (int)toks[s].len - 2, toks[s].text + 1);
		quoted = true;
	} else if (s < e && toks[s].kind == T_LT && toks[e - 1].kind == T_GT && s + 1 < e - 1) {
		quoted = false;
		if (!ex.v) {
			/* as written between the brackets */
			const char *a = toks[s].text + 1, *b = toks[e - 1].text;
			snprintf(name, sizeof(name), "%.*s", (int)(b - a), a);
		} else {
			size_t len = 0;
			for (size_t k = s + 1; k < e - 1 && len + toks[k].len + 2 < sizeof(name); k++) {
				if (k > s + 1 && toks[k].space)
					name[len++] = ' ';
				memcpy(name + len, toks[k].text, toks[k].len);
				len += toks[k].len;
			}
			name[len] = 0;
		}
	} else {
		ok = false;
	}
	struct p4_loc name_loc = s < e ? toks[s].loc : dir->loc;
	p4_tokvec_free(&ex);
	if (!ok)
		return pp_error(pp, &dir->loc, "#include expects \"FILE\" or <FILE>");
	if (pp->include_depth >= MAX_INCLUDE_DEPTH)
		return pp_error(pp, &dir->loc, "#include nested too deeply (more than %d levels)",
				MAX_INCLUDE_DEPTH);

	const char *found = NULL;
	if (name[0] == '/') {
		if (readable(name))
			found = name;
	} else {
		/* a bundled file's own includes never look at the disk
		 * relative to its made-up path */
		if (quoted && !f->bundled) {
			snprintf(path, sizeof(path), "%.*s%s", dir_len(f->path), f->path, name);
			if (readable(path))
				found = path;
		}
		const struct p4c_options *opt = pp->fe->opt;
		for (size_t k = 0; !found && opt && k < opt->n_include_dirs; k++) {
			snprintf(path, sizeof(path), "%s/%s", opt->include_dirs[k], name);
			if (readable(path))
				found = path;
		}
	}
	if (found) {
		const char *ipath = p4_fe_intern(pp->fe, found, strlen(found), NULL);
		char *src;
		size_t len;
		struct p4l_err err;
		if (!ipath)
			return -ENOMEM;
		for (size_t k = 0; k < pp->n_once; k++)
			if (pp->once[k] == ipath)
				return 0;
		if (p4l_read_file(found, &src, &len, &err) < 0)
			return pp_error(pp, &dir->loc, "%s", err.msg);
		char *copy = p4l_arena_strndup(pp->fe->arena, src, len);
		free(src);
		if (!copy)
			return -ENOMEM;
		if (strlen(copy) != len)
			return pp_error(pp, &dir->loc, "%s: file contains a NUL byte", found);
		return process_file(pp, ipath, copy, false);
	}
	for (size_t k = 0; k < p4_n_bundled_files; k++) {
		if (strcmp(p4_bundled_files[k].name, name))
			continue;
		snprintf(path, sizeof(path), "p4include/%s", name);
		const char *ipath = p4_fe_intern(pp->fe, path, strlen(path), NULL);
		if (!ipath)
			return -ENOMEM;
		for (size_t j = 0; j < pp->n_once; j++)
			if (pp->once[j] == ipath)
				return 0;
		return process_file(pp, ipath, p4_bundled_files[k].text, true);
	}
	return pp_error(pp, &name_loc, "cannot find include file '%s'", name);
}

static int push_cond(struct pp *pp, struct pfile *f, bool outer, bool value,
		     const struct p4_loc *loc)
{
	if (f->nconds >= MAX_IF_DEPTH)
		return pp_error(pp, loc, "#if nested too deeply");
	if (f->nconds == f->capconds) {
		size_t cap = f->capconds ? f->capconds * 2 : 8;
		struct cond *c = realloc(f->conds, cap * sizeof(*c));
		if (!c)
			return -ENOMEM;
		f->conds = c;
		f->capconds = cap;
	}
	f->conds[f->nconds++] = (struct cond){ outer && value, value, false, outer, *loc };
	return 0;
}

/* Runs the directive whose '#' is at f->i. */
static int directive(struct pp *pp, struct pfile *f, bool active)
{
	const struct p4_token *hash = &f->toks.v[f->i++];
	const struct p4_token *dir = &f->toks.v[f->i];
	size_t s, e;
	int err = 0;

	if (dir->kind == T_EOF || dir->bol)
		return 0;   /* the null directive */
	if (!is_name_tok(dir)) {
		line_tokens(f, &s, &e);
		return active ? pp_error(pp, &hash->loc, "expected a directive name after '#'") : 0;
	}
	f->i++;
	line_tokens(f, &s, &e);
	const struct p4_token *toks = f->toks.v;
	const char *d = dir->name;
	struct cond *top = f->nconds ? &f->conds[f->nconds - 1] : NULL;

	if (!strcmp(d, "if") || !strcmp(d, "ifdef") || !strcmp(d, "ifndef")) {
		bool v = false;
		if (active) {
			if (d[2] == 0) {
				err = eval_if(pp, dir, toks, s, e, &v);
			} else if (s == e || !is_name_tok(&toks[s]) || s + 1 != e) {
				err = pp_error(pp, &dir->loc, "#%s expects one macro name", d);
			} else {
				v = (*macro_slot(pp, toks[s].name) != NULL) == (d[2] == 'd');
			}
		}
		return err ? err : push_cond(pp, f, active, v, &dir->loc);
	}
	if (!strcmp(d, "elif") || !strcmp(d, "else") || !strcmp(d, "endif")) {
		if (!top)
			return pp_error(pp, &dir->loc, "#%s without #if", d);
		if (d[1] == 'n') {
			f->nconds--;
			return 0;
		}
		if (top->seen_else)
			return pp_error(pp, &dir->loc, "#%s after #else", d);
		if (d[2] == 's') {
			top->seen_else = true;
			top->active = top->outer_active && !top->taken;
			top->taken = true;
			return 0;
		}
		bool v = false;
		if (top->outer_active && !top->taken)
			err = eval_if(pp, dir, toks, s, e, &v);
		top->active = top->outer_active && !top->taken && v;
		top->taken |= v;
		return err;
	}
	if (!active)
		return 0;
	if (!strcmp(d, "define"))
		return define_macro(pp, toks, s, e, &dir->loc);
	if (!strcmp(d, "undef")) {
		if (s == e || !is_name_tok(&toks[s]))
			return pp_error(pp, &dir->loc, "macro name missing after #undef");
		undef_macro(pp, toks[s].name);
		return 0;
	}
	if (!strcmp(d, "include"))
		return do_include(pp, f, dir, s, e);
	if (!strcmp(d, "error") || !strcmp(d, "warning")) {
		const char *a = s < e ? toks[s].text : "", *b = a;
		if (s < e)
			b = toks[e - 1].text + toks[e - 1].len;
		/* the text of the line as written, when it is all in one buffer */
		if (s < e && toks[s].loc.line != toks[e - 1].loc.line)
			b = a + toks[s].len;
		if (d[0] == 'e')
			return pp_error(pp, &dir->loc, "#error %.*s", (int)(b - a), a);
		p4_diag_warning(pp->fe->diag, &dir->loc, "#warning %.*s", (int)(b - a), a);
		return 0;
	}
	if (!strcmp(d, "line")) {
		struct p4_int lit;
		char msg[128];
		if (s == e || toks[s].kind != T_NUMBER ||
		    p4_parse_int(pp->fe, toks[s].text, toks[s].len, &lit, msg, sizeof(msg)) < 0 ||
		    lit.nlimbs > 1 || lit.limbs[0] == 0 || lit.limbs[0] > 0x7fffffff)
			return pp_error(pp, &dir->loc, "#line expects a positive line number");
		if (s + 1 < e) {
			if (toks[s + 1].kind != T_STRING || s + 2 != e)
				return pp_error(pp, &toks[s + 1].loc, "#line expects a file name in quotes");
			f->name = p4_fe_intern(pp->fe, toks[s + 1].text + 1, toks[s + 1].len - 2, NULL);
			if (!f->name)
				return -ENOMEM;
		}
		/* the next line gets the number given */
		f->line_delta = (long)lit.limbs[0] - (long)(dir->loc.line + 1);
		return 0;
	}
	if (!strcmp(d, "pragma")) {
		if (s + 1 == e && is_name_tok(&toks[s]) && !strcmp(toks[s].name, "once")) {
			if (pp->n_once < sizeof(pp->once) / sizeof(*pp->once))
				pp->once[pp->n_once++] = f->path;
			return 0;
		}
		p4_diag_warning(pp->fe->diag, &dir->loc, "ignoring #pragma (use @pragma annotations in P4)");
		return 0;
	}
	return pp_error(pp, &dir->loc, "unknown preprocessor directive '#%s'", d);
}

/* Sets the reported file and line of a token read from f. */
static void relocate(const struct pfile *f, struct p4_token *t)
{
	t->loc.file = f->name;
	t->loc.line = (uint32_t)((long)t->loc.line + f->line_delta);
}

static int process_file(struct pp *pp, const char *path, const char *buf, bool bundled)
{
	struct pfile f = { .path = path, .name = path, .bundled = bundled };
	int err;

	pp->include_depth++;
	err = p4_lex(pp->fe, path, buf, &f.toks);
	while (!err && f.toks.v[f.i].kind != T_EOF) {
		struct p4_token t = f.toks.v[f.i];
		bool active = !f.nconds || f.conds[f.nconds - 1].active;
		if (t.kind == T_HASH && t.bol) {
			err = directive(pp, &f, active);
			continue;
		}
		if (!active) {
			f.i++;
			continue;
		}
		relocate(&f, &t);
		if (t.kind == T_STRAY) {
			err = stray_error(pp, &t);
			break;
		}
		if (t.kind == T_HASHHASH) {
			err = pp_error(pp, &t.loc, "'##' outside of a macro definition");
			break;
		}
		struct macro *m = find_macro(pp, &t);
		if (m && !m->active) {
			/* the invocation and its arguments, relocated */
			size_t j = f.i + 1, depth = 0;
			if (m->fn && f.toks.v[j].kind == T_LPAREN) {
				for (; f.toks.v[j].kind != T_EOF; j++) {
					int k = f.toks.v[j].kind;
					if (k == T_LPAREN)
						depth++;
					else if (k == T_RPAREN && --depth == 0)
						break;
				}
				if (f.toks.v[j].kind != T_EOF)
					j++;
			}
			f.toks.v[f.i].loc = t.loc;
			size_t k = 0;
			err = expand_macro(pp, m, &f.toks.v[f.i], j - f.i, &k, pp->out);
			if (err < 0)
				break;
			if (err == 0) {
				f.i += k + 1;
				continue;
			}
			err = 0;
		}
		if (is_name_tok(&t) && (t.name == pp->file_name || t.name == pp->line_name))
			err = file_or_line(pp, &t, pp->out);
		else
			err = emit(pp, &t);
		f.i++;
	}
	if (!err && f.nconds)
		err = pp_error(pp, &f.conds[f.nconds - 1].loc, "unterminated #if");
	if (!err && pp->include_depth == 1) {
		pp->eof = f.toks.v[f.i];
		relocate(&f, &pp->eof);
	}
	free(f.conds);
	p4_tokvec_free(&f.toks);
	pp->include_depth--;
	return err;
}

static int predefine(struct pp *pp, const char *def)
{
	const char *eq = strchr(def, '=');
	size_t nlen = eq ? (size_t)(eq - def) : strlen(def);
	size_t len = nlen + 1 + (eq ? strlen(eq + 1) : 1);
	char *buf = p4l_arena_alloc(pp->fe->arena, len + 1);
	struct p4_tokvec tv = { 0 };
	int err;

	if (!buf)
		return -ENOMEM;
	snprintf(buf, len + 1, "%.*s %s", (int)nlen, def, eq ? eq + 1 : "1");
	err = p4_lex(pp->fe, "<command line>", buf, &tv);
	if (!err) {
		struct p4_loc loc = { "<command line>", buf, 1, 1 };
		err = define_macro(pp, tv.v, 0, tv.n - 1, &loc);
	}
	p4_tokvec_free(&tv);
	return err;
}

int p4_preprocess(struct p4_fe *fe, const char *file, const char *buf, struct p4_tokvec *out)
{
	struct pp pp = { .fe = fe, .out = out };
	int err = 0;

	pp.file_name = p4_fe_intern(fe, "__FILE__", 8, NULL);
	pp.line_name = p4_fe_intern(fe, "__LINE__", 8, NULL);
	if (!pp.file_name || !pp.line_name)
		return -ENOMEM;

	for (size_t k = 0; fe->opt && k < fe->opt->n_defines && !err; k++)
		err = predefine(&pp, fe->opt->defines[k]);
	if (!err)
		err = process_file(&pp, file, buf, false);
	if (!err)
		err = p4_tokvec_push(out, &pp.eof);
	for (size_t i = 0; i < 256; i++)
		for (struct macro *m = pp.macros[i], *next; m; m = next) {
			next = m->next;
			free_macro(m);
		}
	return err;
}
