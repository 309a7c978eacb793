/* parse_base.c - the parser's plumbing (parser.h): error reports that
 * unwind to p4_parse_tokens, arena allocation of nodes and lists, the
 * scopes that tell type names from other names, and tentative parses. */
#include "parser.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- errors ---- */

_Noreturn void p4p_fail_at(struct parser *p, const struct p4_loc *loc, const char *fmt, ...)
{
	if (!p->speculating) {
		va_list ap;
		va_start(ap, fmt);
		p4_diag_report(p->fe->diag, P4_DIAG_ERROR, loc, fmt, ap);
		va_end(ap);
	}
	longjmp(*p->jb, 1);
}

/* "'x'" for a token, for messages. */
const char *p4p_describe(const struct p4_token *t, char *buf, size_t size)
{
	if (t->kind == T_EOF)
		return "end of input";
	snprintf(buf, size, "'%.*s'", t->len > 40 ? 40 : (int)t->len, t->text);
	return buf;
}

/* Location just after the previous token (where a missing ';' belongs). */
static struct p4_loc after_prev(struct parser *p)
{
	if (p->i == 0)
		return tok(p)->loc;
	const struct p4_token *t = &p->t[p->i - 1];
	struct p4_loc loc = t->loc;
	const char *s = t->loc.line_text + t->loc.col - 1;
	/* only when the token really sits there (not produced by a macro) */
	if (s == t->text)
		loc.col += t->len;
	return loc;
}

/* Reports "expected X after WHAT" past the previous token, or "expected X
 * before Y" at the current one when what is NULL. */
_Noreturn void p4p_expected(struct parser *p, const char *x, const char *what)
{
	char buf[64];
	if (what) {
		struct p4_loc loc = after_prev(p);
		p4p_fail_at(p, &loc, "expected %s after %s", x, what);
	}
	p4p_fail_at(p, &tok(p)->loc, "expected %s before %s", x, p4p_describe(tok(p), buf, sizeof(buf)));
}

void p4p_expect(struct parser *p, int kind, const char *what)
{
	if (!is(p, kind))
		p4p_expected(p, p4_tok_spelling(kind), what);
	advance(p);
}


void p4p_enter(struct parser *p)
{
	if (++p->depth > MAX_DEPTH)
		p4p_fail_at(p, &tok(p)->loc, "nesting is too deep (more than %d levels)", MAX_DEPTH);
}

void p4p_leave(struct parser *p)
{
	p->depth--;
}

/* ---- memory ---- */

void *p4p_alloc(struct parser *p, size_t size)
{
	void *m = p4l_arena_alloc(p->fe->arena, size);
	if (!m) {
		p->fe->oom = true;   /* p4_parse_tokens reports it */
		longjmp(*p->jb, 1);
	}
	return m;
}

struct p4_node *p4p_node(struct parser *p, enum p4_kind kind, const struct p4_token *at)
{
	struct p4_node *n = p4p_alloc(p, sizeof(*n));
	n->kind = kind;
	n->loc = at->loc;
	return n;
}


void p4p_vec_push(struct parser *p, struct vec *v, struct p4_node *x)
{
	if (!v->v) {
		v->v = v->small;
		v->cap = 16;
	}
	if (v->n == v->cap) {
		struct p4_node **nv = p4p_alloc(p, 2 * v->cap * sizeof(*nv));
		memcpy(nv, v->v, v->n * sizeof(*nv));
		v->v = nv;
		v->cap *= 2;
	}
	v->v[v->n++] = x;
}

struct p4_list p4p_vec_list(struct parser *p, struct vec *v)
{
	struct p4_list l = { NULL, v->n };
	if (v->n) {
		l.v = p4p_alloc(p, v->n * sizeof(*l.v));
		memcpy(l.v, v->v, v->n * sizeof(*l.v));
	}
	return l;
}

/* ---- type names ---- */

bool p4p_is_type_name(struct parser *p, const char *name)
{
	for (size_t k = p->ntparams; k-- > 0;)
		if (p->scope[k].name == name)
			return p->scope[k].is_type;
	if (!p->captypes)
		return false;
	size_t mask = p->captypes - 1;
	for (size_t k = ((uintptr_t)name >> 4) & mask; p->types[k]; k = (k + 1) & mask)
		if (p->types[k] == name)
			return true;
	return false;
}

void p4p_declare_type(struct parser *p, const char *name)
{
	if (p->ntypes * 2 >= p->captypes) {
		size_t cap = p->captypes ? p->captypes * 2 : 256;
		const char **v = p4p_alloc(p, cap * sizeof(*v));
		for (size_t k = 0; k < p->captypes; k++) {
			if (!p->types[k])
				continue;
			size_t j = ((uintptr_t)p->types[k] >> 4) & (cap - 1);
			while (v[j])
				j = (j + 1) & (cap - 1);
			v[j] = p->types[k];
		}
		p->types = v;
		p->captypes = cap;
	}
	size_t mask = p->captypes - 1, k = ((uintptr_t)name >> 4) & mask;
	for (; p->types[k]; k = (k + 1) & mask)
		if (p->types[k] == name)
			return;
	p->types[k] = name;
	p->ntypes++;
}

void p4p_push_scoped(struct parser *p, const char *name, bool is_type)
{
	if (p->ntparams == p->captparams) {
		size_t cap = p->captparams ? p->captparams * 2 : 64;
		struct scoped *v = p4p_alloc(p, cap * sizeof(*v));
		if (p->ntparams)
			memcpy(v, p->scope, p->ntparams * sizeof(*v));
		p->scope = v;
		p->captparams = cap;
	}
	p->scope[p->ntparams++] = (struct scoped){ name, is_type };
}

void p4p_push_tparams(struct parser *p, const struct p4_list *l)
{
	for (size_t k = 0; k < l->n; k++)
		p4p_push_scoped(p, l->v[k]->name, true);
}

/* A local name (variable, parameter, action, ...): hides a type of the
 * same name until its scope ends.  Outside any scope nothing is hidden. */
void p4p_declare_local(struct parser *p, const char *name)
{
	if (p4p_is_type_name(p, name))
		p4p_push_scoped(p, name, false);
}

void p4p_push_params(struct parser *p, const struct p4_list *l)
{
	for (size_t k = 0; k < l->n; k++)
		p4p_declare_local(p, l->v[k]->name);
}

/* ---- names ---- */



/* name: IDENTIFIER | contextual keyword */
const struct p4_token *p4p_name_tok(struct parser *p, const char *what)
{
	const struct p4_token *t = tok(p);
	if (!is_name(t)) {
		char buf[64];
		p4p_fail_at(p, &t->loc, "expected %s before %s", what, p4p_describe(t, buf, sizeof(buf)));
	}
	advance(p);
	return t;
}

/* After '.' any word is a member name (methods like `apply`, fields like
 * `priority`, even `type`). */
const struct p4_token *p4p_member_tok(struct parser *p)
{
	const struct p4_token *t = tok(p);
	if (!is_name(t) && !(t->kind > T_KW_FIRST_ && t->kind != T_KW_DONTCARE)) {
		char buf[64];
		p4p_fail_at(p, &t->loc, "expected a member name after '.' before %s",
			p4p_describe(t, buf, sizeof(buf)));
	}
	advance(p);
	return t;
}

/* ---- speculation ---- */

/* Runs fn; on a syntax error rewinds and returns NULL without reporting. */
struct p4_node *p4p_speculate(struct parser *p, parse_fn fn, void *arg)
{
	jmp_buf jb, *saved = p->jb;
	size_t i = p->i, ntp = p->ntparams, cap = p->captparams;
	struct scoped *scope = p->scope;
	int depth = p->depth;
	struct p4l_arena_mark mark = p4l_arena_mark(p->fe->arena);
	struct p4_node *volatile res = NULL;

	p->speculating++;
	p->jb = &jb;
	if (!setjmp(jb)) {
		res = fn(p, arg);
	} else {
		res = NULL;
		p->i = i;
		/* what the failed attempt allocated goes too (a chain like
		 * a < b < c < ... would otherwise pile up discarded trees) */
		p->scope = scope;
		p->captparams = cap;
		p4l_arena_release(p->fe->arena, mark);
	}
	p->jb = saved;
	p->speculating--;
	p->ntparams = ntp;
	p->depth = depth;
	if (p->fe->oom)
		longjmp(*p->jb, 1);
	return res;
}

