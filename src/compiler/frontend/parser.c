/* parser.c - recursive-descent parser of P4_16 (spec v1.2.x) from the
 * preprocessed tokens to the tree of ast.h (fe.h: p4_parse_tokens).
 *
 * Called by fe.c.  The grammar production is written above each function.
 * The ambiguities the spec documents are resolved here:
 * - type names vs. other names: declared type names (types, externs,
 *   parsers, controls, packages, typedefs, type parameters in their scope)
 *   are tracked, so `T x;` is a declaration and `a.b();` a call;
 * - `<` after a name starts type arguments only when it parses as
 *   `<types>(` (a generic call) or follows a type name; else it is less-than;
 * - `>>` is two `>` tokens: adjacent ones make a shift in expressions.
 * Tentative parses (speculate) rewind on failure without reporting.
 * The first syntax error is reported and parsing stops (a longjmp back to
 * p4_parse_tokens; all memory is in the arena).  Nesting is bounded. */
#include "fe.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 1000 };

struct parser {
	struct p4_fe *fe;
	const struct p4_token *t;
	size_t n, i;
	jmp_buf *jb;
	int depth;
	int speculating;
	/* global type names: open-addressing set of interned pointers */
	const char **types;
	size_t ntypes, captypes;
	/* names declared in the scopes being parsed, innermost last: type
	 * parameters (types) and locals, parameters, actions, tables (not
	 * types: they shadow a type of the same name) */
	struct scoped { const char *name; bool is_type; } *scope;
	size_t ntparams, captparams;
};

/* ---- errors and tokens ---- */

static const struct p4_token *tok(struct parser *p)
{
	return &p->t[p->i];
}

static const struct p4_token *peek(struct parser *p, size_t k)
{
	size_t j = p->i + k;
	return &p->t[j < p->n ? j : p->n - 1];
}

static bool is(struct parser *p, int kind)
{
	return p->t[p->i].kind == kind;
}

static void advance(struct parser *p)
{
	if (p->i + 1 < p->n)
		p->i++;
}

static _Noreturn void fail_at(struct parser *p, const struct p4_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static _Noreturn void fail_at(struct parser *p, const struct p4_loc *loc, const char *fmt, ...)
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
static const char *describe(const struct p4_token *t, char *buf, size_t size)
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
static _Noreturn void expected(struct parser *p, const char *x, const char *what)
{
	char buf[64];
	if (what) {
		struct p4_loc loc = after_prev(p);
		fail_at(p, &loc, "expected %s after %s", x, what);
	}
	fail_at(p, &tok(p)->loc, "expected %s before %s", x, describe(tok(p), buf, sizeof(buf)));
}

static void expect(struct parser *p, int kind, const char *what)
{
	if (!is(p, kind))
		expected(p, p4_tok_spelling(kind), what);
	advance(p);
}

static bool accept(struct parser *p, int kind)
{
	if (!is(p, kind))
		return false;
	advance(p);
	return true;
}

static void enter(struct parser *p)
{
	if (++p->depth > MAX_DEPTH)
		fail_at(p, &tok(p)->loc, "nesting is too deep (more than %d levels)", MAX_DEPTH);
}

static void leave(struct parser *p)
{
	p->depth--;
}

/* ---- memory ---- */

static void *alloc(struct parser *p, size_t size)
{
	void *m = p4_arena_alloc(p->fe->arena, size);
	if (!m) {
		p->fe->oom = true;
		p->speculating = 1;   /* the caller reports out of memory */
		longjmp(*p->jb, 1);
	}
	return m;
}

static struct p4_node *node(struct parser *p, enum p4_kind kind, const struct p4_token *at)
{
	struct p4_node *n = alloc(p, sizeof(*n));
	n->kind = kind;
	n->loc = at->loc;
	return n;
}

/* Lists grow in a scratch array, then are copied into the arena. */
struct vec {
	struct p4_node **v;
	size_t n, cap;
	struct p4_node *small[16];
};

static void vec_push(struct parser *p, struct vec *v, struct p4_node *x)
{
	if (!v->v) {
		v->v = v->small;
		v->cap = 16;
	}
	if (v->n == v->cap) {
		struct p4_node **nv = alloc(p, 2 * v->cap * sizeof(*nv));
		memcpy(nv, v->v, v->n * sizeof(*nv));
		v->v = nv;
		v->cap *= 2;
	}
	v->v[v->n++] = x;
}

static struct p4_list vec_list(struct parser *p, struct vec *v)
{
	struct p4_list l = { NULL, v->n };
	if (v->n) {
		l.v = alloc(p, v->n * sizeof(*l.v));
		memcpy(l.v, v->v, v->n * sizeof(*l.v));
	}
	return l;
}

/* ---- type names ---- */

static bool is_type_name(struct parser *p, const char *name)
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

static void declare_type(struct parser *p, const char *name)
{
	if (p->ntypes * 2 >= p->captypes) {
		size_t cap = p->captypes ? p->captypes * 2 : 256;
		const char **v = alloc(p, cap * sizeof(*v));
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

static void push_scoped(struct parser *p, const char *name, bool is_type)
{
	if (p->ntparams == p->captparams) {
		size_t cap = p->captparams ? p->captparams * 2 : 64;
		struct scoped *v = alloc(p, cap * sizeof(*v));
		if (p->ntparams)
			memcpy(v, p->scope, p->ntparams * sizeof(*v));
		p->scope = v;
		p->captparams = cap;
	}
	p->scope[p->ntparams++] = (struct scoped){ name, is_type };
}

static void push_tparams(struct parser *p, const struct p4_list *l)
{
	for (size_t k = 0; k < l->n; k++)
		push_scoped(p, l->v[k]->name, true);
}

/* A local name (variable, parameter, action, ...): hides a type of the
 * same name until its scope ends.  Outside any scope nothing is hidden. */
static void declare_local(struct parser *p, const char *name)
{
	if (is_type_name(p, name))
		push_scoped(p, name, false);
}

static void push_params(struct parser *p, const struct p4_list *l)
{
	for (size_t k = 0; k < l->n; k++)
		declare_local(p, l->v[k]->name);
}

/* ---- names ---- */

/* Keywords the spec lets stand as ordinary names. */
static bool is_contextual(int kind)
{
	switch (kind) {
	case T_KW_APPLY: case T_KW_KEY: case T_KW_ACTIONS: case T_KW_STATE:
	case T_KW_ENTRIES: case T_KW_TYPE: case T_KW_PRIORITY: case T_KW_LIST:
		return true;
	}
	return false;
}

static bool is_name(const struct p4_token *t)
{
	return t->kind == T_IDENT || is_contextual(t->kind);
}

/* name: IDENTIFIER | contextual keyword */
static const struct p4_token *name_tok(struct parser *p, const char *what)
{
	const struct p4_token *t = tok(p);
	if (!is_name(t)) {
		char buf[64];
		fail_at(p, &t->loc, "expected %s before %s", what, describe(t, buf, sizeof(buf)));
	}
	advance(p);
	return t;
}

/* After '.' any word is a member name (methods like `apply`, fields like
 * `priority`, even `type`). */
static const struct p4_token *member_tok(struct parser *p)
{
	const struct p4_token *t = tok(p);
	if (!is_name(t) && !(t->kind > T_KW_FIRST_ && t->kind != T_KW_DONTCARE)) {
		char buf[64];
		fail_at(p, &t->loc, "expected a member name after '.' before %s",
			describe(t, buf, sizeof(buf)));
	}
	advance(p);
	return t;
}

/* ---- speculation ---- */

typedef struct p4_node *(*parse_fn)(struct parser *p, void *arg);

/* Runs fn; on a syntax error rewinds and returns NULL without reporting. */
static struct p4_node *speculate(struct parser *p, parse_fn fn, void *arg)
{
	jmp_buf jb, *saved = p->jb;
	size_t i = p->i, ntp = p->ntparams;
	int depth = p->depth;
	struct p4_node *volatile res = NULL;

	p->speculating++;
	p->jb = &jb;
	if (!setjmp(jb)) {
		res = fn(p, arg);
	} else {
		res = NULL;
		p->i = i;
	}
	p->jb = saved;
	p->speculating--;
	p->ntparams = ntp;
	p->depth = depth;
	if (p->fe->oom)
		longjmp(*p->jb, 1);
	return res;
}

static struct p4_node *expression(struct parser *p);
static struct p4_node *type_ref(struct parser *p);
static struct p4_node *block_statement(struct parser *p, struct p4_list annos);
static struct p4_list annotations(struct parser *p);
static struct p4_list argument_list(struct parser *p);

/* ---- integers ---- */

static struct p4_node *int_literal(struct parser *p)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = node(p, P4_EXPR_INT, t);
	char msg[200];
	if (p4_parse_int(p->fe, t->text, t->len, &n->u.intlit, msg, sizeof(msg)) < 0) {
		if (p->fe->oom)
			longjmp(*p->jb, 1);
		fail_at(p, &t->loc, "%s", msg);
	}
	advance(p);
	return n;
}

/* ---- types ---- */

/* typeArg: DONTCARE | VOID | typeRef | nonTypeName
 * typeArgumentList: '<' typeArg (',' typeArg)* '>' */
static struct p4_list type_args(struct parser *p)
{
	struct vec v = { 0 };
	expect(p, T_LT, NULL);
	do {
		const struct p4_token *t = tok(p);
		if (t->kind == T_KW_DONTCARE) {
			advance(p);
			vec_push(p, &v, node(p, P4_TYPE_DONTCARE, t));
		} else if (t->kind == T_KW_VOID) {
			advance(p);
			vec_push(p, &v, node(p, P4_TYPE_VOID, t));
		} else {
			vec_push(p, &v, type_ref(p));
		}
	} while (accept(p, T_COMMA));
	if (!is(p, T_GT))
		expected(p, "'>'", NULL);
	advance(p);
	return vec_list(p, &v);
}

/* width: INTEGER | '(' expression ')' */
static struct p4_node *type_width(struct parser *p, const char *type)
{
	struct p4_node *w;
	expect(p, T_LT, NULL);
	if (is(p, T_NUMBER)) {
		w = int_literal(p);
	} else if (accept(p, T_LPAREN)) {
		w = expression(p);
		expect(p, T_RPAREN, "the width expression");
	} else {
		char buf[64];
		fail_at(p, &tok(p)->loc, "expected a width (an integer or a parenthesized expression) in %s<...> before %s",
			type, describe(tok(p), buf, sizeof(buf)));
	}
	if (!is(p, T_GT))
		expected(p, "'>'", "the width");
	advance(p);
	return w;
}

/* baseType: BOOL | MATCH_KIND | ERROR | STRING | BIT ['<' width '>']
 *         | INT ['<' width '>'] | VARBIT '<' width '>'
 * namedType: prefixedType [typeArgumentList]
 * tupleType: TUPLE typeArgumentList   (LIST typeArgumentList likewise)
 * typeRef: baseType | namedType | tupleType | typeRef '[' expression ']' */
static struct p4_node *type_ref(struct parser *p)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n;

	enter(p);
	switch (t->kind) {
	case T_KW_BOOL: advance(p); n = node(p, P4_TYPE_BOOL, t); break;
	case T_KW_MATCH_KIND: advance(p); n = node(p, P4_TYPE_MATCH_KIND, t); break;
	case T_KW_ERROR: advance(p); n = node(p, P4_TYPE_ERROR, t); break;
	case T_KW_STRING: advance(p); n = node(p, P4_TYPE_STRING, t); break;
	case T_KW_BIT:
	case T_KW_INT:
	case T_KW_VARBIT:
		advance(p);
		n = node(p, t->kind == T_KW_BIT ? P4_TYPE_BIT :
			    t->kind == T_KW_INT ? P4_TYPE_INT : P4_TYPE_VARBIT, t);
		if (is(p, T_LT))
			n->u.bits.width = type_width(p, t->name);
		else if (t->kind == T_KW_VARBIT)
			expected(p, "'<' and a width", "'varbit'");
		break;
	case T_KW_TUPLE:
		advance(p);
		n = node(p, P4_TYPE_TUPLE, t);
		n->u.tuple.args = type_args(p);
		break;
	case T_KW_LIST:
		if (peek(p, 1)->kind == T_LT) {
			advance(p);
			n = node(p, P4_TYPE_LIST, t);
			n->u.tuple.args = type_args(p);
			break;
		}
		/* `list` as a name */
		__attribute__((fallthrough));
	default: {
		bool global = false;
		if (t->kind == T_DOT) {
			global = true;
			advance(p);
		}
		const struct p4_token *nt = name_tok(p, "a type");
		n = node(p, P4_TYPE_NAME, t);
		n->name = nt->name;
		n->u.ident.global = global;
		if (is(p, T_LT)) {
			struct p4_node *s = node(p, P4_TYPE_SPEC, t);
			s->u.spec.base = n;
			s->u.spec.args = type_args(p);
			n = s;
		}
		break;
	}
	}
	/* header stacks: T[N] */
	while (is(p, T_LBRACK)) {
		const struct p4_token *lb = tok(p);
		advance(p);
		struct p4_node *s = node(p, P4_TYPE_STACK, lb);
		s->loc = n->loc;
		s->u.stack.elem = n;
		s->u.stack.size = expression(p);
		expect(p, T_RBRACK, "the header stack size");
		n = s;
	}
	leave(p);
	return n;
}

/* typeOrVoid: typeRef | VOID */
static struct p4_node *type_or_void(struct parser *p)
{
	if (is(p, T_KW_VOID)) {
		const struct p4_token *t = tok(p);
		advance(p);
		return node(p, P4_TYPE_VOID, t);
	}
	return type_ref(p);
}

/* Does the current token begin a type (for declarations in statements)? */
static bool starts_type(struct parser *p)
{
	const struct p4_token *t = tok(p);
	switch (t->kind) {
	case T_KW_BOOL: case T_KW_MATCH_KIND: case T_KW_STRING: case T_KW_BIT:
	case T_KW_INT: case T_KW_VARBIT: case T_KW_TUPLE:
		return true;
	case T_KW_ERROR:
		return peek(p, 1)->kind != T_DOT;
	case T_KW_LIST:
		if (peek(p, 1)->kind == T_LT)
			return true;
		__attribute__((fallthrough));
	default:
		if (!is_name(t))
			return false;
		if (is_type_name(p, t->name))
			return peek(p, 1)->kind != T_DOT && peek(p, 1)->kind != T_ASSIGN;
		/* an unknown name followed by a name: a declaration of an
		 * undeclared type, which the back end reports */
		return is_name(peek(p, 1));
	}
}

/* optTypeParameters: ['<' name (',' name)* '>'] */
static struct p4_list type_params(struct parser *p)
{
	struct vec v = { 0 };
	if (!accept(p, T_LT))
		return vec_list(p, &v);
	do {
		const struct p4_token *t = name_tok(p, "a type parameter name");
		struct p4_node *n = node(p, P4_TYPE_PARAM, t);
		n->name = t->name;
		vec_push(p, &v, n);
	} while (accept(p, T_COMMA));
	if (!is(p, T_GT))
		expected(p, "'>'", "the type parameters");
	advance(p);
	return vec_list(p, &v);
}

/* ---- expressions ---- */

/* argument: [name '='] (expression | DONTCARE)
 * argumentList: [argument (',' argument)*] ')'   (after the '(') */
static struct p4_list argument_list(struct parser *p)
{
	struct vec v = { 0 };
	if (!is(p, T_RPAREN)) {
		do {
			const struct p4_token *t = tok(p);
			struct p4_node *a = node(p, P4_ARG, t);
			if (is_name(t) && peek(p, 1)->kind == T_ASSIGN) {
				a->name = t->name;
				advance(p);
				advance(p);
			}
			a->u.arg.value = expression(p);
			vec_push(p, &v, a);
		} while (accept(p, T_COMMA));
	}
	expect(p, T_RPAREN, "the arguments");
	return vec_list(p, &v);
}

/* Tentative `typeArgumentList '('` after a name in an expression. */
static struct p4_node *try_generic_call(struct parser *p, void *arg)
{
	struct p4_node *callee = arg;
	const struct p4_token *lt = tok(p);
	struct p4_list targs = type_args(p);
	if (!is(p, T_LPAREN))
		longjmp(*p->jb, 1);
	struct p4_node *c = node(p, P4_EXPR_CALL, lt);
	c->loc = callee->loc;
	c->u.call.callee = callee;
	c->u.call.targs = targs;
	return c;
}

/* '{' ...: invalid header '{#}', struct initializer '{name = e, ...}',
 * list '{e, ...}' */
static struct p4_node *brace_expression(struct parser *p)
{
	const struct p4_token *lb = tok(p);
	struct vec v = { 0 };
	struct p4_node *n;

	advance(p);
	if (is(p, T_HASH) && peek(p, 1)->kind == T_RBRACE) {
		advance(p);
		advance(p);
		return node(p, P4_EXPR_INVALID, lb);
	}
	bool is_struct = is_name(tok(p)) && peek(p, 1)->kind == T_ASSIGN;
	n = node(p, is_struct ? P4_EXPR_STRUCT : P4_EXPR_LIST, lb);
	while (!is(p, T_RBRACE)) {
		if (is_struct && !is(p, T_DOTS)) {
			const struct p4_token *t = name_tok(p, "a field name");
			struct p4_node *a = node(p, P4_ARG, t);
			a->name = t->name;
			expect(p, T_ASSIGN, "the field name in a struct initializer");
			a->u.arg.value = expression(p);
			vec_push(p, &v, a);
		} else {
			vec_push(p, &v, expression(p));
		}
		if (!accept(p, T_COMMA))
			break;
	}
	expect(p, T_RBRACE, is_struct ? "the fields of a struct initializer" : "the list");
	n->u.list.items = vec_list(p, &v);
	return n;
}

/* primary: INTEGER | TRUE | FALSE | STRING_LITERAL | THIS | DONTCARE | '...'
 *        | ['.'] name | typeName | ERROR | '{' ... '}' | '(' expression ')' */
static struct p4_node *primary(struct parser *p)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n;
	char buf[64];

	switch (t->kind) {
	case T_NUMBER:
		return int_literal(p);
	case T_KW_TRUE:
	case T_KW_FALSE:
		advance(p);
		n = node(p, P4_EXPR_BOOL, t);
		n->u.boolean = t->kind == T_KW_TRUE;
		return n;
	case T_STRING: {
		advance(p);
		n = node(p, P4_EXPR_STRING, t);
		char *s = alloc(p, t->len), *d = s;
		for (const char *c = t->text + 1; c < t->text + t->len - 1; c++) {
			if (*c == '\\') {
				c++;
				*d++ = *c == 'n' ? '\n' : *c == 't' ? '\t' : *c == 'r' ? '\r' : *c;
			} else {
				*d++ = *c;
			}
		}
		*d = 0;
		n->u.str.value = s;
		n->u.str.len = (size_t)(d - s);
		return n;
	}
	case T_KW_THIS:
		advance(p);
		return node(p, P4_EXPR_THIS, t);
	case T_KW_DONTCARE:
		advance(p);
		return node(p, P4_EXPR_DONTCARE, t);
	case T_DOTS:
		advance(p);
		return node(p, P4_EXPR_DOTS, t);
	case T_LBRACE:
		return brace_expression(p);
	case T_LPAREN:
		advance(p);
		n = expression(p);
		expect(p, T_RPAREN, "the expression");
		return n;
	case T_DOT:
		advance(p);
		n = node(p, P4_EXPR_NAME, t);
		n->name = name_tok(p, "a name after '.'")->name;
		n->u.ident.global = true;
		return n;
	case T_KW_ERROR:
	case T_KW_BIT:
	case T_KW_INT:
	case T_KW_VARBIT:
	case T_KW_BOOL:
	case T_KW_STRING:
	case T_KW_TUPLE:
		n = node(p, P4_EXPR_TYPE, t);
		n->u.texpr.type = type_ref(p);
		return n;
	default:
		if (is_name(t)) {
			if (is_type_name(p, t->name)) {
				n = node(p, P4_EXPR_TYPE, t);
				n->u.texpr.type = type_ref(p);
				return n;
			}
			advance(p);
			n = node(p, P4_EXPR_NAME, t);
			n->name = t->name;
			return n;
		}
		fail_at(p, &t->loc, "expected an expression before %s", describe(t, buf, sizeof(buf)));
	}
}

/* postfix: primary ( '.' member | '[' expression [':' expression] ']'
 *                  | [typeArgumentList] '(' argumentList ')' )* */
static struct p4_node *postfix(struct parser *p)
{
	struct p4_node *n = primary(p);
	for (;;) {
		const struct p4_token *t = tok(p);
		if (t->kind == T_DOT) {
			advance(p);
			const struct p4_token *m = member_tok(p);
			struct p4_node *e = node(p, P4_EXPR_MEMBER, t);
			e->loc = n->loc;
			e->name = m->name;
			e->u.mem.base = n;
			n = e;
		} else if (t->kind == T_LBRACK) {
			advance(p);
			struct p4_node *i = expression(p);
			if (accept(p, T_COLON)) {
				struct p4_node *e = node(p, P4_EXPR_SLICE, t);
				e->loc = n->loc;
				e->u.slice.base = n;
				e->u.slice.hi = i;
				e->u.slice.lo = expression(p);
				n = e;
			} else {
				struct p4_node *e = node(p, P4_EXPR_INDEX, t);
				e->loc = n->loc;
				e->u.index.base = n;
				e->u.index.index = i;
				n = e;
			}
			expect(p, T_RBRACK, "the index");
		} else if (t->kind == T_LPAREN) {
			advance(p);
			struct p4_node *c = node(p, P4_EXPR_CALL, t);
			c->loc = n->loc;
			c->u.call.callee = n;
			c->u.call.args = argument_list(p);
			n = c;
		} else if (t->kind == T_LT && (n->kind == P4_EXPR_NAME || n->kind == P4_EXPR_MEMBER)) {
			struct p4_node *c = speculate(p, try_generic_call, n);
			if (!c)
				return n;
			advance(p);   /* the '(' */
			c->u.call.args = argument_list(p);
			n = c;
		} else {
			return n;
		}
	}
}

/* Tentative `'(' typeRef ')'` of a cast. */
static struct p4_node *try_cast_type(struct parser *p, void *arg)
{
	(void)arg;
	advance(p);
	struct p4_node *ty = type_ref(p);
	if (!is(p, T_RPAREN))
		longjmp(*p->jb, 1);
	advance(p);
	return ty;
}

/* unary: ('-' | '+' | '!' | '~') unary | '(' typeRef ')' unary | postfix */
static struct p4_node *unary(struct parser *p)
{
	const struct p4_token *t = tok(p);
	enum p4_unop op;
	struct p4_node *n;

	enter(p);
	switch (t->kind) {
	case T_MINUS: op = P4_UN_NEG; break;
	case T_PLUS: op = P4_UN_POS; break;
	case T_BANG: op = P4_UN_NOT; break;
	case T_TILDE: op = P4_UN_BNOT; break;
	case T_LPAREN: {
		const struct p4_token *u = peek(p, 1);
		bool maybe_type = u->kind == T_KW_BIT || u->kind == T_KW_INT || u->kind == T_KW_VARBIT ||
				  u->kind == T_KW_BOOL || u->kind == T_KW_STRING || u->kind == T_KW_TUPLE ||
				  (u->kind == T_KW_ERROR && peek(p, 2)->kind == T_RPAREN) ||
				  (is_name(u) && is_type_name(p, u->name)) ||
				  (u->kind == T_DOT && is_name(peek(p, 2)) &&
				   is_type_name(p, peek(p, 2)->name));
		struct p4_node *ty = maybe_type ? speculate(p, try_cast_type, NULL) : NULL;
		if (ty) {
			n = node(p, P4_EXPR_CAST, t);
			n->u.cast.type = ty;
			n->u.cast.expr = unary(p);
			leave(p);
			return n;
		}
		n = postfix(p);
		leave(p);
		return n;
	}
	default:
		n = postfix(p);
		leave(p);
		return n;
	}
	advance(p);
	n = node(p, P4_EXPR_UNARY, t);
	n->u.unary.op = op;
	n->u.unary.operand = unary(p);
	leave(p);
	return n;
}

/* Binary operator at the current token: precedence (0: none), operator and
 * token count (2 for '>' '>' as a shift). */
static int binop_at(struct parser *p, enum p4_binop *op, int *ntok)
{
	*ntok = 1;
	switch (tok(p)->kind) {
	case T_OR: *op = P4_BIN_OR; return 1;
	case T_AND: *op = P4_BIN_AND; return 2;
	case T_EQ: *op = P4_BIN_EQ; return 3;
	case T_NE: *op = P4_BIN_NE; return 3;
	case T_LT: *op = P4_BIN_LT; return 4;
	case T_LE: *op = P4_BIN_LE; return 4;
	case T_GE: *op = P4_BIN_GE; return 4;
	case T_GT:
		if (peek(p, 1)->kind == T_GT && !peek(p, 1)->space) {
			*op = P4_BIN_SHR;
			*ntok = 2;
			return 8;
		}
		*op = P4_BIN_GT;
		return 4;
	case T_PIPE: *op = P4_BIN_BOR; return 5;
	case T_CARET: *op = P4_BIN_BXOR; return 6;
	case T_AMP: *op = P4_BIN_BAND; return 7;
	case T_SHL: *op = P4_BIN_SHL; return 8;
	case T_PP: *op = P4_BIN_CONCAT; return 9;
	case T_PLUS: *op = P4_BIN_ADD; return 9;
	case T_MINUS: *op = P4_BIN_SUB; return 9;
	case T_ADDSAT: *op = P4_BIN_ADDSAT; return 9;
	case T_SUBSAT: *op = P4_BIN_SUBSAT; return 9;
	case T_STAR: *op = P4_BIN_MUL; return 10;
	case T_SLASH: *op = P4_BIN_DIV; return 10;
	case T_PERCENT: *op = P4_BIN_MOD; return 10;
	}
	return 0;
}

/* binary: unary (binop unary)*, left-associative, by precedence
 * (low to high): || && (== !=) (< > <= >=) | ^ & (<< >>) (++ + - |+| |-|)
 * (* / %) */
static struct p4_node *binary(struct parser *p, int min_prec)
{
	struct p4_node *lhs = unary(p);
	for (;;) {
		enum p4_binop op;
		int ntok, prec = binop_at(p, &op, &ntok);
		if (!prec || prec < min_prec)
			return lhs;
		const struct p4_token *t = tok(p);
		p->i += (size_t)ntok;
		enter(p);
		struct p4_node *rhs = binary(p, prec + 1);
		leave(p);
		struct p4_node *n = node(p, P4_EXPR_BINARY, t);
		n->u.binary.op = op;
		n->u.binary.lhs = lhs;
		n->u.binary.rhs = rhs;
		lhs = n;
	}
}

/* expression: binary ['?' expression ':' expression] */
static struct p4_node *expression(struct parser *p)
{
	enter(p);
	struct p4_node *n = binary(p, 1);
	if (is(p, T_QUESTION)) {
		const struct p4_token *q = tok(p);
		advance(p);
		struct p4_node *c = node(p, P4_EXPR_COND, q);
		c->loc = n->loc;
		c->u.cond.cond = n;
		c->u.cond.then = expression(p);
		expect(p, T_COLON, "the first branch of '?:'");
		c->u.cond.els = expression(p);
		n = c;
	}
	leave(p);
	return n;
}

/* simpleKeysetExpression: DEFAULT | DONTCARE | expression
 *                       | expression '&&&' expression | expression '..' expression */
static struct p4_node *simple_keyset(struct parser *p)
{
	const struct p4_token *t = tok(p);
	if (t->kind == T_KW_DEFAULT) {
		advance(p);
		return node(p, P4_EXPR_DEFAULT, t);
	}
	struct p4_node *e = expression(p);
	const struct p4_token *o = tok(p);
	if (o->kind == T_MASK || o->kind == T_RANGE) {
		advance(p);
		struct p4_node *n = node(p, P4_EXPR_BINARY, o);
		n->u.binary.op = o->kind == T_MASK ? P4_BIN_MASK : P4_BIN_RANGE;
		n->u.binary.lhs = e;
		n->u.binary.rhs = expression(p);
		return n;
	}
	return e;
}

/* Tentative tuple keyset `'(' simpleKeyset (',' simpleKeyset)* ')'`
 * followed by ':'. */
static struct p4_node *try_tuple_keyset(struct parser *p, void *arg)
{
	(void)arg;
	const struct p4_token *lp = tok(p);
	struct vec v = { 0 };
	advance(p);
	do
		vec_push(p, &v, simple_keyset(p));
	while (accept(p, T_COMMA));
	if (!accept(p, T_RPAREN) || !is(p, T_COLON))
		longjmp(*p->jb, 1);
	if (v.n == 1)
		return v.v[0];
	struct p4_node *n = node(p, P4_EXPR_LIST, lp);
	n->u.list.items = vec_list(p, &v);
	return n;
}

/* keysetExpression: tupleKeysetExpression | simpleKeysetExpression */
static struct p4_node *keyset(struct parser *p)
{
	if (is(p, T_LPAREN)) {
		struct p4_node *n = speculate(p, try_tuple_keyset, NULL);
		if (n)
			return n;
	}
	return simple_keyset(p);
}

/* ---- annotations ---- */

/* Tentative expression list filling the whole annotation body up to close. */
static struct p4_node *try_anno_exprs(struct parser *p, void *arg)
{
	size_t close = *(size_t *)arg;
	struct vec v = { 0 };
	struct p4_node *holder = node(p, P4_ANNOTATION, tok(p));
	if (p->i != close) {
		do
			vec_push(p, &v, expression(p));
		while (accept(p, T_COMMA));
	}
	if (p->i != close)
		longjmp(*p->jb, 1);
	holder->u.anno.exprs = vec_list(p, &v);
	return holder;
}

/* annotation: '@' name ['(' annotationBody ')' | '[' structuredAnnotationBody ']']
 * annotationBody: any tokens with balanced parentheses */
static struct p4_node *annotation(struct parser *p)
{
	const struct p4_token *at = tok(p);
	advance(p);
	const struct p4_token *nt = tok(p);
	if (!is_name(nt) && !(nt->kind > T_KW_FIRST_))
		fail_at(p, &nt->loc, "expected an annotation name after '@'");
	advance(p);
	struct p4_node *n = node(p, P4_ANNOTATION, at);
	n->name = nt->name;
	n->u.anno.form = P4_ANNO_EMPTY;
	if (is(p, T_LPAREN) && !tok(p)->space) {
		size_t open = p->i, close = p->i + 1, len = 0;
		int depth = 1;
		for (; ; close++) {
			int k = p->t[close].kind;
			if (k == T_EOF)
				fail_at(p, &p->t[open].loc, "unterminated annotation body: missing ')'");
			if (k == T_LPAREN)
				depth++;
			else if (k == T_RPAREN && --depth == 0)
				break;
			len += p->t[close].len + 1;
		}
		char *body = alloc(p, len + 1), *d = body;
		for (size_t k = open + 1; k < close; k++) {
			if (k > open + 1 && p->t[k].space)
				*d++ = ' ';
			memcpy(d, p->t[k].text, p->t[k].len);
			d += p->t[k].len;
		}
		*d = 0;
		n->u.anno.body = body;
		advance(p);
		struct p4_node *h = speculate(p, try_anno_exprs, &close);
		if (h) {
			n->u.anno.form = P4_ANNO_EXPRS;
			n->u.anno.exprs = h->u.anno.exprs;
		} else {
			n->u.anno.form = P4_ANNO_UNPARSED;
		}
		p->i = close;
		advance(p);
	} else if (is(p, T_LBRACK)) {
		struct vec v = { 0 };
		const struct p4_token *lb = tok(p);
		advance(p);
		bool kv = is_name(tok(p)) && peek(p, 1)->kind == T_ASSIGN;
		n->u.anno.form = kv ? P4_ANNO_STRUCT_KV : P4_ANNO_STRUCT_EXPRS;
		while (!is(p, T_RBRACK)) {
			if (kv) {
				const struct p4_token *k = name_tok(p, "a key");
				struct p4_node *a = node(p, P4_ARG, k);
				a->name = k->name;
				expect(p, T_ASSIGN, "the key in a structured annotation");
				a->u.arg.value = expression(p);
				vec_push(p, &v, a);
			} else {
				vec_push(p, &v, expression(p));
			}
			if (!accept(p, T_COMMA))
				break;
		}
		if (!is(p, T_RBRACK))
			expected(p, "']'", "the structured annotation");
		n->u.anno.body = p4_arena_strndup(p->fe->arena, lb->text + 1,
						  lb->loc.line == tok(p)->loc.line &&
						  tok(p)->text > lb->text ?
						  (size_t)(tok(p)->text - lb->text - 1) : 0);
		advance(p);
		if (kv)
			n->u.anno.kvs = vec_list(p, &v);
		else
			n->u.anno.exprs = vec_list(p, &v);
	}
	return n;
}

/* optAnnotations: annotation* */
static struct p4_list annotations(struct parser *p)
{
	struct vec v = { 0 };
	while (is(p, T_AT))
		vec_push(p, &v, annotation(p));
	return vec_list(p, &v);
}

/* ---- parameters ---- */

/* parameter: optAnnotations [IN | OUT | INOUT] typeRef name ['=' expression]
 * parameterList: [parameter (',' parameter)*]   (between parentheses) */
static struct p4_list parameter_list(struct parser *p)
{
	struct vec v = { 0 };
	expect(p, T_LPAREN, NULL);
	if (!is(p, T_RPAREN)) {
		do {
			struct p4_list annos = annotations(p);
			const struct p4_token *t = tok(p);
			enum p4_dir dir = P4_DIR_NONE;
			if (accept(p, T_KW_IN))
				dir = P4_DIR_IN;
			else if (accept(p, T_KW_OUT))
				dir = P4_DIR_OUT;
			else if (accept(p, T_KW_INOUT))
				dir = P4_DIR_INOUT;
			struct p4_node *prm = node(p, P4_PARAM, t);
			prm->annos = annos;
			prm->u.param.dir = dir;
			prm->u.param.type = type_ref(p);
			prm->name = name_tok(p, "a parameter name")->name;
			if (accept(p, T_ASSIGN))
				prm->u.param.dflt = expression(p);
			vec_push(p, &v, prm);
		} while (accept(p, T_COMMA));
	}
	expect(p, T_RPAREN, "the parameters");
	return vec_list(p, &v);
}

/* ---- statements ---- */

static struct p4_node *statement(struct parser *p);

/* variableDeclaration: annotations typeRef name ['=' initializer] ';'
 * constantDeclaration: annotations CONST typeRef name '=' initializer ';'
 * instantiation: annotations typeRef '(' argumentList ')' name
 *                ['=' '{' objDeclarations '}'] ';'   (when allow_inst) */
static struct p4_node *local_declaration(struct parser *p, struct p4_list annos, bool allow_inst);
static struct p4_node *function_body_decl(struct parser *p, struct p4_list annos);

/* An expression statement: assignment or call.
 * assignmentOrMethodCallStatement: lvalue '=' expression ';'
 *                                | lvalue [typeArgumentList] '(' argumentList ')' ';' */
static struct p4_node *expression_statement(struct parser *p)
{
	const struct p4_token *t = tok(p);
	struct p4_node *e = postfix(p);
	if (is(p, T_ASSIGN)) {
		const struct p4_token *eq = tok(p);
		advance(p);
		struct p4_node *n = node(p, P4_STMT_ASSIGN, eq);
		n->loc = t->loc;
		n->u.assign.lhs = e;
		n->u.assign.rhs = expression(p);
		expect(p, T_SEMI, "the assignment");
		return n;
	}
	if (e->kind != P4_EXPR_CALL) {
		if (is(p, T_SEMI))
			fail_at(p, &t->loc, "statement is neither an assignment nor a call");
		expected(p, "'=' or '('", NULL);
	}
	struct p4_node *n = node(p, P4_STMT_CALL, t);
	n->u.call_stmt.call = e;
	expect(p, T_SEMI, "the call");
	return n;
}

/* switchStatement: SWITCH '(' expression ')' '{' switchCase* '}'
 * switchCase: switchLabel ':' [blockStatement]
 * switchLabel: DEFAULT | expression */
static struct p4_node *switch_statement(struct parser *p)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = node(p, P4_STMT_SWITCH, t);
	struct vec cases = { 0 };
	advance(p);
	expect(p, T_LPAREN, "'switch'");
	n->u.switch_.expr = expression(p);
	expect(p, T_RPAREN, "the switch expression");
	expect(p, T_LBRACE, "'switch (...)'");
	while (!is(p, T_RBRACE)) {
		const struct p4_token *c = tok(p);
		struct p4_node *sc = node(p, P4_SWITCH_CASE, c);
		if (c->kind == T_EOF)
			expected(p, "'}'", "the switch cases");
		if (c->kind == T_KW_DEFAULT) {
			advance(p);
			sc->u.scase.label = node(p, P4_EXPR_DEFAULT, c);
		} else {
			sc->u.scase.label = expression(p);
		}
		expect(p, T_COLON, "the switch label");
		if (is(p, T_LBRACE) || is(p, T_AT))
			sc->u.scase.body = block_statement(p, annotations(p));
		vec_push(p, &cases, sc);
	}
	advance(p);
	n->u.switch_.cases = vec_list(p, &cases);
	return n;
}

/* conditionalStatement: IF '(' expression ')' statement [ELSE statement] */
static struct p4_node *if_statement(struct parser *p)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = node(p, P4_STMT_IF, t);
	advance(p);
	expect(p, T_LPAREN, "'if'");
	n->u.if_.cond = expression(p);
	expect(p, T_RPAREN, "the condition");
	n->u.if_.then = statement(p);
	if (accept(p, T_KW_ELSE))
		n->u.if_.els = statement(p);
	return n;
}

/* statement: assignmentOrMethodCallStatement | directApplication
 *          | conditionalStatement | emptyStatement | blockStatement
 *          | exitStatement | returnStatement | switchStatement */
static struct p4_node *statement(struct parser *p)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n;

	enter(p);
	switch (t->kind) {
	case T_SEMI:
		advance(p);
		n = node(p, P4_STMT_EMPTY, t);
		break;
	case T_LBRACE:
	case T_AT:
		n = block_statement(p, annotations(p));
		break;
	case T_KW_IF:
		n = if_statement(p);
		break;
	case T_KW_SWITCH:
		n = switch_statement(p);
		break;
	case T_KW_EXIT:
		advance(p);
		n = node(p, P4_STMT_EXIT, t);
		expect(p, T_SEMI, "'exit'");
		break;
	case T_KW_RETURN:
		advance(p);
		n = node(p, P4_STMT_RETURN, t);
		if (!is(p, T_SEMI))
			n->u.ret.expr = expression(p);
		expect(p, T_SEMI, "the return statement");
		break;
	case T_EOF:
		expected(p, "a statement", NULL);
	default:
		n = expression_statement(p);
		break;
	}
	leave(p);
	return n;
}

/* statOrDecl: variableDeclaration | constantDeclaration | statement */
static struct p4_node *stat_or_decl(struct parser *p)
{
	if (is(p, T_AT)) {
		struct p4_list annos = annotations(p);
		if (is(p, T_LBRACE))
			return block_statement(p, annos);
		return local_declaration(p, annos, false);
	}
	if (is(p, T_KW_CONST) || starts_type(p)) {
		struct p4_list none = { 0 };
		return local_declaration(p, none, false);
	}
	return statement(p);
}

/* blockStatement: optAnnotations '{' statOrDecl* '}' */
static struct p4_node *block_statement(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	struct vec v = { 0 };
	size_t ntp = p->ntparams;
	enter(p);
	expect(p, T_LBRACE, NULL);
	struct p4_node *n = node(p, P4_STMT_BLOCK, t);
	n->annos = annos;
	while (!is(p, T_RBRACE)) {
		if (is(p, T_EOF))
			fail_at(p, &t->loc, "unterminated block: missing '}' for this '{'");
		vec_push(p, &v, stat_or_decl(p));
	}
	advance(p);
	n->u.block.stmts = vec_list(p, &v);
	p->ntparams = ntp;
	leave(p);
	return n;
}

/* ---- declarations ---- */

/* The tail of an instantiation after the type:
 * '(' argumentList ')' name ['=' '{' objDeclaration* '}'] ';' */
static struct p4_node *instantiation_rest(struct parser *p, struct p4_node *type,
					  struct p4_list annos, const struct p4_token *start)
{
	struct p4_node *n = node(p, P4_DECL_INSTANCE, start);
	n->annos = annos;
	n->u.inst.type = type;
	expect(p, T_LPAREN, NULL);
	n->u.inst.args = argument_list(p);
	n->name = name_tok(p, "an instance name")->name;
	declare_local(p, n->name);
	if (accept(p, T_ASSIGN)) {
		struct vec v = { 0 };
		expect(p, T_LBRACE, "'=' in an instantiation");
		while (!is(p, T_RBRACE)) {
			if (is(p, T_EOF))
				expected(p, "'}'", "the initializer block");
			struct p4_list a = annotations(p);
			vec_push(p, &v, function_body_decl(p, a));
		}
		advance(p);
		n->u.inst.body = vec_list(p, &v);
		n->u.inst.has_body = true;
	}
	expect(p, T_SEMI, "the instantiation");
	return n;
}

static struct p4_node *local_declaration(struct parser *p, struct p4_list annos, bool allow_inst)
{
	const struct p4_token *t = tok(p);
	bool is_const = accept(p, T_KW_CONST);
	struct p4_node *type = type_ref(p);
	if (is(p, T_LPAREN) && !is_const) {
		if (!allow_inst)
			fail_at(p, &t->loc, "an instantiation is not allowed here");
		return instantiation_rest(p, type, annos, t);
	}
	struct p4_node *n = node(p, is_const ? P4_DECL_CONST : P4_DECL_VAR, t);
	n->annos = annos;
	n->u.var.type = type;
	n->name = name_tok(p, is_const ? "a constant name" : "a variable name")->name;
	declare_local(p, n->name);
	if (accept(p, T_ASSIGN))
		n->u.var.init = expression(p);
	else if (is_const)
		expected(p, "'='", "the constant's name");
	char what[160];
	snprintf(what, sizeof(what), "the declaration of '%s'", n->name);
	expect(p, T_SEMI, what);
	return n;
}

/* functionDeclaration: typeOrVoid name optTypeParameters '(' parameterList ')' blockStatement
 * (also the abstract method implementations in an instance's initializer) */
static struct p4_node *function_body_decl(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	size_t ntp = p->ntparams;
	struct p4_node *n = node(p, P4_DECL_FUNCTION, t);
	n->annos = annos;
	n->u.fn.ret = type_or_void(p);
	n->name = name_tok(p, "a function name")->name;
	n->u.fn.tparams = type_params(p);
	push_tparams(p, &n->u.fn.tparams);
	n->u.fn.params = parameter_list(p);
	push_params(p, &n->u.fn.params);
	struct p4_list none = { 0 };
	n->u.fn.body = block_statement(p, none);
	p->ntparams = ntp;
	return n;
}

/* actionDeclaration: optAnnotations ACTION name '(' parameterList ')' blockStatement */
static struct p4_node *action_declaration(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = node(p, P4_DECL_ACTION, t);
	advance(p);
	n->annos = annos;
	n->name = name_tok(p, "an action name")->name;
	size_t ntp = p->ntparams;
	n->u.fn.params = parameter_list(p);
	push_params(p, &n->u.fn.params);
	struct p4_list none = { 0 };
	n->u.fn.body = block_statement(p, none);
	p->ntparams = ntp;
	declare_local(p, n->name);
	return n;
}

/* actionRef: ['.'] name ['(' argumentList ')'] */
static struct p4_node *action_ref(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = node(p, P4_ACTION_REF, t);
	struct p4_node *name = node(p, P4_EXPR_NAME, t);
	n->annos = annos;
	if (accept(p, T_DOT))
		name->u.ident.global = true;
	name->name = name_tok(p, "an action name")->name;
	n->name = name->name;
	n->u.aref.action = name;
	if (accept(p, T_LPAREN)) {
		n->u.aref.args = argument_list(p);
		n->u.aref.has_args = true;
	}
	return n;
}

/* entry: [CONST] [PRIORITY '=' expression ':'] keysetExpression ':' actionRef
 *        optAnnotations ';' */
static struct p4_node *table_entry(struct parser *p)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = node(p, P4_ENTRY, t);
	n->u.entry.is_const = accept(p, T_KW_CONST);
	if (is(p, T_KW_PRIORITY) && peek(p, 1)->kind == T_ASSIGN) {
		advance(p);
		advance(p);
		n->u.entry.priority = expression(p);
		expect(p, T_COLON, "the entry priority");
	}
	n->u.entry.keyset = keyset(p);
	expect(p, T_COLON, "the entry's keys");
	struct p4_list none = { 0 };
	n->u.entry.action = action_ref(p, none);
	n->annos = annotations(p);
	expect(p, T_SEMI, "the entry");
	return n;
}

/* tableProperty: KEY '=' '{' (expression ':' name optAnnotations ';')* '}'
 *              | ACTIONS '=' '{' (optAnnotations actionRef ';')* '}'
 *              | optAnnotations [CONST] ENTRIES '=' '{' entry* '}'
 *              | optAnnotations [CONST] name '=' initializer ';' */
static struct p4_node *table_property(struct parser *p)
{
	struct p4_list annos = annotations(p);
	const struct p4_token *t = tok(p);
	bool is_const = accept(p, T_KW_CONST);
	const struct p4_token *nt = tok(p);
	struct vec v = { 0 };
	struct p4_node *n;

	if (nt->kind == T_KW_KEY || nt->kind == T_KW_ACTIONS || nt->kind == T_KW_ENTRIES) {
		n = node(p, nt->kind == T_KW_KEY ? P4_PROP_KEY :
			    nt->kind == T_KW_ACTIONS ? P4_PROP_ACTIONS : P4_PROP_ENTRIES, t);
		n->name = nt->name;
		advance(p);
		char what[64];
		snprintf(what, sizeof(what), "'%s'", nt->name);
		expect(p, T_ASSIGN, what);
		snprintf(what, sizeof(what), "'%s ='", nt->name);
		expect(p, T_LBRACE, what);
		while (!is(p, T_RBRACE)) {
			if (is(p, T_EOF))
				expected(p, "'}'", what);
			if (nt->kind == T_KW_KEY) {
				const struct p4_token *k = tok(p);
				struct p4_node *ke = node(p, P4_KEY_ELEM, k);
				ke->u.key.expr = expression(p);
				expect(p, T_COLON, "the key expression");
				const struct p4_token *mk = name_tok(p, "a match kind");
				ke->u.key.match_kind = node(p, P4_EXPR_NAME, mk);
				ke->u.key.match_kind->name = mk->name;
				ke->annos = annotations(p);
				expect(p, T_SEMI, "the key element");
				vec_push(p, &v, ke);
			} else if (nt->kind == T_KW_ACTIONS) {
				struct p4_list a = annotations(p);
				vec_push(p, &v, action_ref(p, a));
				expect(p, T_SEMI, "the action reference");
			} else {
				vec_push(p, &v, table_entry(p));
			}
		}
		advance(p);
		n->u.prop.items = vec_list(p, &v);
	} else {
		n = node(p, P4_PROP_VALUE, t);
		n->name = name_tok(p, "a table property name")->name;
		char what[160];
		snprintf(what, sizeof(what), "the table property '%s'", n->name);
		expect(p, T_ASSIGN, what);
		n->u.prop.value = expression(p);
		expect(p, T_SEMI, what);
	}
	n->annos = annos;
	n->u.prop.is_const = is_const;
	return n;
}

/* tableDeclaration: optAnnotations TABLE name '{' tableProperty* '}' */
static struct p4_node *table_declaration(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = node(p, P4_DECL_TABLE, t);
	struct vec v = { 0 };
	advance(p);
	n->annos = annos;
	n->name = name_tok(p, "a table name")->name;
	declare_local(p, n->name);
	expect(p, T_LBRACE, "the table name");
	while (!is(p, T_RBRACE)) {
		if (is(p, T_EOF))
			expected(p, "'}'", "the table properties");
		vec_push(p, &v, table_property(p));
	}
	advance(p);
	n->u.table.props = vec_list(p, &v);
	return n;
}

/* valueSetDeclaration: optAnnotations VALUE_SET '<' typeArg '>' '(' expression ')' name ';' */
static struct p4_node *value_set_declaration(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = node(p, P4_DECL_VALUE_SET, t);
	advance(p);
	n->annos = annos;
	expect(p, T_LT, "'value_set'");
	n->u.vset.type = type_ref(p);
	expect(p, T_GT, "the value_set element type");
	expect(p, T_LPAREN, "'value_set<...>'");
	n->u.vset.size = expression(p);
	expect(p, T_RPAREN, "the value_set size");
	n->name = name_tok(p, "a value_set name")->name;
	declare_local(p, n->name);
	expect(p, T_SEMI, "the value_set declaration");
	return n;
}

/* selectExpression: SELECT '(' expressionList ')' '{' selectCase* '}'
 * selectCase: keysetExpression ':' name ';' */
static struct p4_node *select_expression(struct parser *p)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = node(p, P4_EXPR_SELECT, t);
	struct vec ex = { 0 }, cases = { 0 };
	advance(p);
	expect(p, T_LPAREN, "'select'");
	if (!is(p, T_RPAREN))
		do
			vec_push(p, &ex, expression(p));
		while (accept(p, T_COMMA));
	expect(p, T_RPAREN, "the select expressions");
	expect(p, T_LBRACE, "'select (...)'");
	while (!is(p, T_RBRACE)) {
		if (is(p, T_EOF))
			expected(p, "'}'", "the select cases");
		const struct p4_token *c = tok(p);
		struct p4_node *sc = node(p, P4_SELECT_CASE, c);
		sc->annos = annotations(p);
		sc->u.selcase.keyset = keyset(p);
		expect(p, T_COLON, "the keyset");
		const struct p4_token *st = name_tok(p, "a state name");
		sc->u.selcase.state = node(p, P4_EXPR_NAME, st);
		sc->u.selcase.state->name = st->name;
		expect(p, T_SEMI, "the select case");
		vec_push(p, &cases, sc);
	}
	advance(p);
	n->u.select.exprs = vec_list(p, &ex);
	n->u.select.cases = vec_list(p, &cases);
	return n;
}

/* parserState: optAnnotations STATE name '{' parserStatement* [transitionStatement] '}'
 * transitionStatement: TRANSITION (name ';' | selectExpression) */
static struct p4_node *parser_state(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = node(p, P4_PARSER_STATE, t);
	struct vec v = { 0 };
	size_t ntp = p->ntparams;
	advance(p);
	n->annos = annos;
	n->name = name_tok(p, "a state name")->name;
	expect(p, T_LBRACE, "the state name");
	while (!is(p, T_RBRACE)) {
		const struct p4_token *s = tok(p);
		if (s->kind == T_EOF)
			fail_at(p, &t->loc, "unterminated state '%s': missing '}'", n->name);
		if (s->kind == T_KW_TRANSITION) {
			struct p4_node *tr = node(p, P4_STMT_TRANSITION, s);
			advance(p);
			if (is(p, T_KW_SELECT)) {
				tr->u.trans.target = select_expression(p);
			} else {
				const struct p4_token *st = name_tok(p, "a state name or 'select'");
				tr->u.trans.target = node(p, P4_EXPR_NAME, st);
				tr->u.trans.target->name = st->name;
				expect(p, T_SEMI, "the transition");
			}
			n->u.state.transition = tr;
			if (!is(p, T_RBRACE))
				expected(p, "'}'", "the transition (it must be the last statement of a state)");
			break;
		}
		vec_push(p, &v, stat_or_decl(p));
	}
	advance(p);
	n->u.state.stmts = vec_list(p, &v);
	p->ntparams = ntp;
	return n;
}

/* parserTypeDeclaration / controlTypeDeclaration:
 *     optAnnotations (PARSER | CONTROL) name optTypeParameters '(' parameterList ')'
 * followed by ';' (a type) or by
 *     optConstructorParameters '{' locals (states | APPLY controlBody) '}' */
static struct p4_node *parser_or_control(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	bool is_parser = t->kind == T_KW_PARSER;
	struct p4_node *n = node(p, is_parser ? P4_DECL_PARSER_TYPE : P4_DECL_CONTROL_TYPE, t);
	size_t ntp = p->ntparams;
	advance(p);
	n->annos = annos;
	n->name = name_tok(p, is_parser ? "a parser name" : "a control name")->name;
	declare_type(p, n->name);
	n->u.blk.tparams = type_params(p);
	push_tparams(p, &n->u.blk.tparams);
	n->u.blk.params = parameter_list(p);
	if (accept(p, T_SEMI)) {
		p->ntparams = ntp;
		return n;
	}
	n->kind = is_parser ? P4_DECL_PARSER : P4_DECL_CONTROL;
	if (is(p, T_LPAREN))
		n->u.blk.ctor_params = parameter_list(p);
	push_params(p, &n->u.blk.params);
	push_params(p, &n->u.blk.ctor_params);
	if (!is(p, T_LBRACE))
		expected(p, "';' or '{'", is_parser ? "the parser's parameters" : "the control's parameters");
	advance(p);
	struct vec locals = { 0 }, states = { 0 };
	for (;;) {
		if (is(p, T_EOF))
			fail_at(p, &t->loc, "unterminated %s '%s': missing '}'",
				is_parser ? "parser" : "control", n->name);
		if (is(p, T_RBRACE) && is_parser)
			break;
		if (is(p, T_RBRACE))
			fail_at(p, &tok(p)->loc, "control '%s' has no apply block", n->name);
		struct p4_list a = annotations(p);
		const struct p4_token *s = tok(p);
		if (is_parser && s->kind == T_KW_STATE) {
			vec_push(p, &states, parser_state(p, a));
		} else if (is_parser && states.n) {
			char buf[64];
			fail_at(p, &s->loc, "expected 'state' or '}' before %s", describe(s, buf, sizeof(buf)));
		} else if (!is_parser && s->kind == T_KW_APPLY && peek(p, 1)->kind == T_LBRACE) {
			advance(p);
			struct p4_list none = { 0 };
			n->u.blk.body = block_statement(p, none);
			n->u.blk.body->annos = a;
			if (!is(p, T_RBRACE))
				expected(p, "'}'", "the apply block (it must come last in a control)");
			break;
		} else if (!is_parser && s->kind == T_KW_ACTION) {
			vec_push(p, &locals, action_declaration(p, a));
		} else if (!is_parser && s->kind == T_KW_TABLE) {
			vec_push(p, &locals, table_declaration(p, a));
		} else if (is_parser && s->kind == T_KW_VALUE_SET) {
			vec_push(p, &locals, value_set_declaration(p, a));
		} else {
			vec_push(p, &locals, local_declaration(p, a, true));
		}
	}
	advance(p);
	n->u.blk.locals = vec_list(p, &locals);
	n->u.blk.states = vec_list(p, &states);
	p->ntparams = ntp;
	return n;
}

/* packageTypeDeclaration: optAnnotations PACKAGE name optTypeParameters
 *                         '(' parameterList ')' ';' */
static struct p4_node *package_declaration(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = node(p, P4_DECL_PACKAGE, t);
	size_t ntp = p->ntparams;
	advance(p);
	n->annos = annos;
	n->name = name_tok(p, "a package name")->name;
	declare_type(p, n->name);
	n->u.blk.tparams = type_params(p);
	push_tparams(p, &n->u.blk.tparams);
	n->u.blk.params = parameter_list(p);
	expect(p, T_SEMI, "the package declaration");
	p->ntparams = ntp;
	return n;
}

/* functionPrototype: typeOrVoid name optTypeParameters '(' parameterList ')' */
static struct p4_node *function_prototype(struct parser *p, enum p4_kind kind,
					  struct p4_list annos, const struct p4_token *start)
{
	struct p4_node *n = node(p, kind, start);
	size_t ntp = p->ntparams;
	n->annos = annos;
	n->u.fn.ret = type_or_void(p);
	n->name = name_tok(p, "a function name")->name;
	n->u.fn.tparams = type_params(p);
	push_tparams(p, &n->u.fn.tparams);
	n->u.fn.params = parameter_list(p);
	p->ntparams = ntp;
	return n;
}

/* Tentative `name optTypeParameters '{'` of an extern object. */
static struct p4_node *try_extern_object(struct parser *p, void *arg)
{
	(void)arg;
	const struct p4_token *t = name_tok(p, "a name");
	struct p4_node *n = node(p, P4_DECL_EXTERN, t);
	n->name = t->name;
	n->u.ext.tparams = type_params(p);
	if (!is(p, T_LBRACE))
		longjmp(*p->jb, 1);
	return n;
}

/* externDeclaration: optAnnotations EXTERN name optTypeParameters '{' methodPrototype* '}'
 *                  | optAnnotations EXTERN functionPrototype ';'
 * methodPrototype: optAnnotations [ABSTRACT] functionPrototype ';'
 *                | optAnnotations name '(' parameterList ')' ';'   (constructor) */
static struct p4_node *extern_declaration(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	advance(p);
	struct p4_node *n = is_name(tok(p)) ? speculate(p, try_extern_object, NULL) : NULL;
	if (!n) {
		n = function_prototype(p, P4_DECL_EXTERN_FUNC, annos, t);
		char what[160];
		snprintf(what, sizeof(what), "the declaration of extern function '%s'", n->name);
		expect(p, T_SEMI, what);
		return n;
	}
	size_t ntp = p->ntparams;
	struct vec v = { 0 };
	n->loc = t->loc;
	n->annos = annos;
	declare_type(p, n->name);
	push_tparams(p, &n->u.ext.tparams);
	advance(p);   /* '{' */
	while (!is(p, T_RBRACE)) {
		if (is(p, T_EOF))
			fail_at(p, &t->loc, "unterminated extern '%s': missing '}'", n->name);
		struct p4_list a = annotations(p);
		const struct p4_token *m = tok(p);
		struct p4_node *meth;
		if (m->name == n->name && peek(p, 1)->kind == T_LPAREN) {
			advance(p);
			meth = node(p, P4_DECL_METHOD, m);
			meth->annos = a;
			meth->name = m->name;
			meth->u.fn.is_ctor = true;
			meth->u.fn.params = parameter_list(p);
		} else {
			bool abstract = accept(p, T_KW_ABSTRACT);
			meth = function_prototype(p, P4_DECL_METHOD, a, m);
			meth->u.fn.is_abstract = abstract;
		}
		char what[160];
		snprintf(what, sizeof(what), "the declaration of method '%s'", meth->name);
		expect(p, T_SEMI, what);
		vec_push(p, &v, meth);
	}
	advance(p);
	n->u.ext.methods = vec_list(p, &v);
	p->ntparams = ntp;
	return n;
}

/* structField: optAnnotations typeRef name ';'
 * headerTypeDeclaration / structTypeDeclaration / headerUnionDeclaration:
 *     optAnnotations (HEADER | STRUCT | HEADER_UNION) name optTypeParameters
 *     '{' structField* '}' */
static struct p4_node *aggregate_declaration(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	enum p4_kind kind = t->kind == T_KW_HEADER ? P4_DECL_HEADER :
			    t->kind == T_KW_STRUCT ? P4_DECL_STRUCT : P4_DECL_HEADER_UNION;
	struct p4_node *n = node(p, kind, t);
	size_t ntp = p->ntparams;
	struct vec v = { 0 };
	advance(p);
	n->annos = annos;
	n->name = name_tok(p, "a type name")->name;
	declare_type(p, n->name);
	n->u.agg.tparams = type_params(p);
	push_tparams(p, &n->u.agg.tparams);
	expect(p, T_LBRACE, "the type name");
	while (!is(p, T_RBRACE)) {
		if (is(p, T_EOF))
			fail_at(p, &t->loc, "unterminated declaration of '%s': missing '}'", n->name);
		struct p4_list a = annotations(p);
		const struct p4_token *f = tok(p);
		struct p4_node *fld = node(p, P4_FIELD, f);
		fld->annos = a;
		fld->u.field.type = type_ref(p);
		fld->name = name_tok(p, "a field name")->name;
		char what[160];
		snprintf(what, sizeof(what), "the field '%s'", fld->name);
		expect(p, T_SEMI, what);
		vec_push(p, &v, fld);
	}
	advance(p);
	n->u.agg.fields = vec_list(p, &v);
	p->ntparams = ntp;
	return n;
}

/* enumDeclaration: optAnnotations ENUM [typeRef] name '{' member (',' member)* [','] '}'
 * errorDeclaration: ERROR '{' name (',' name)* '}'
 * matchKindDeclaration: MATCH_KIND '{' name (',' name)* '}'
 * member: optAnnotations name ['=' expression]   (values: serializable enums) */
static struct p4_node *enum_like_declaration(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	enum p4_kind kind = t->kind == T_KW_ENUM ? P4_DECL_ENUM :
			    t->kind == T_KW_ERROR ? P4_DECL_ERROR : P4_DECL_MATCH_KIND;
	struct p4_node *n = node(p, kind, t);
	struct vec v = { 0 };
	advance(p);
	n->annos = annos;
	if (kind == P4_DECL_ENUM) {
		if (!(is_name(tok(p)) && peek(p, 1)->kind == T_LBRACE))
			n->u.enm.type = type_ref(p);
		n->name = name_tok(p, "an enum name")->name;
		declare_type(p, n->name);
	}
	char what[64];
	snprintf(what, sizeof(what), "'%s'", kind == P4_DECL_ENUM ? n->name : t->name);
	expect(p, T_LBRACE, what);
	do {
		if (is(p, T_RBRACE) && v.n)
			break;   /* a trailing comma */
		struct p4_list a = annotations(p);
		const struct p4_token *m = name_tok(p, "a member name");
		struct p4_node *mem = node(p, P4_ENUM_MEMBER, m);
		mem->annos = a;
		mem->name = m->name;
		if (is(p, T_ASSIGN)) {
			if (!n->u.enm.type)
				fail_at(p, &tok(p)->loc, "only an enum with an underlying type (enum bit<N> E) may give its members values");
			advance(p);
			mem->u.member.value = expression(p);
		} else if (n->u.enm.type) {
			expected(p, "'='", "the member of an enum with an underlying type");
		}
		vec_push(p, &v, mem);
	} while (accept(p, T_COMMA));
	expect(p, T_RBRACE, "the members");
	n->u.enm.members = vec_list(p, &v);
	return n;
}

/* typedefDeclaration: optAnnotations TYPEDEF (typeRef | derivedTypeDeclaration) name ';'
 *                   | optAnnotations TYPE typeRef name ';' */
static struct p4_node *typedef_declaration(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = node(p, t->kind == T_KW_TYPEDEF ? P4_DECL_TYPEDEF : P4_DECL_NEWTYPE, t);
	advance(p);
	n->annos = annos;
	int k = tok(p)->kind;
	struct p4_list none = { 0 };
	if (t->kind == T_KW_TYPEDEF && (k == T_KW_HEADER || k == T_KW_STRUCT || k == T_KW_HEADER_UNION))
		n->u.tdef.type = aggregate_declaration(p, none);
	else if (t->kind == T_KW_TYPEDEF && k == T_KW_ENUM)
		n->u.tdef.type = enum_like_declaration(p, none);
	else
		n->u.tdef.type = type_ref(p);
	n->name = name_tok(p, "a type name")->name;
	declare_type(p, n->name);
	char what[160];
	snprintf(what, sizeof(what), "the declaration of '%s'", n->name);
	expect(p, T_SEMI, what);
	return n;
}

/* declaration: constantDeclaration | externDeclaration | actionDeclaration
 *            | parserDeclaration | controlDeclaration | typeDeclaration
 *            | errorDeclaration | matchKindDeclaration | instantiation
 *            | functionDeclaration */
static struct p4_node *declaration(struct parser *p)
{
	struct p4_list annos = annotations(p);
	const struct p4_token *t = tok(p);
	char buf[64];

	switch (t->kind) {
	case T_KW_CONST: return local_declaration(p, annos, false);
	case T_KW_EXTERN: return extern_declaration(p, annos);
	case T_KW_ACTION: return action_declaration(p, annos);
	case T_KW_PARSER:
	case T_KW_CONTROL: return parser_or_control(p, annos);
	case T_KW_PACKAGE: return package_declaration(p, annos);
	case T_KW_HEADER:
	case T_KW_STRUCT:
	case T_KW_HEADER_UNION: return aggregate_declaration(p, annos);
	case T_KW_ENUM:
	case T_KW_MATCH_KIND: return enum_like_declaration(p, annos);
	case T_KW_ERROR:
		if (peek(p, 1)->kind == T_LBRACE)
			return enum_like_declaration(p, annos);
		break;
	case T_KW_TYPEDEF:
	case T_KW_TYPE: return typedef_declaration(p, annos);
	case T_KW_TABLE:
		fail_at(p, &t->loc, "a table must be declared inside a control");
	case T_KW_STATE:
		fail_at(p, &t->loc, "a parser state must be declared inside a parser");
	case T_KW_VALUE_SET:
		fail_at(p, &t->loc, "a value_set must be declared inside a parser");
	default:
		break;
	}
	if (!starts_type(p) && t->kind != T_KW_VOID && !is_name(t) && t->kind != T_DOT)
		fail_at(p, &t->loc, "expected a declaration before %s", describe(t, buf, sizeof(buf)));
	/* instantiation or function: both begin with a type */
	size_t start = p->i;
	struct p4_node *type = type_or_void(p);
	if (is(p, T_LPAREN) && type->kind != P4_TYPE_VOID)
		return instantiation_rest(p, type, annos, t);
	if (is_name(tok(p)) && peek(p, 1)->kind != T_SEMI && peek(p, 1)->kind != T_ASSIGN) {
		p->i = start;
		return function_body_decl(p, annos);
	}
	if (is_name(tok(p)))
		fail_at(p, &t->loc, "a variable cannot be declared at the top level; use 'const'");
	expected(p, "'(' (an instantiation) or a name (a function)", NULL);
}

int p4_parse_tokens(struct p4_fe *fe, const struct p4_token *toks, size_t n,
		    struct p4_list *decls)
{
	struct parser p = { .fe = fe, .t = toks, .n = n };
	jmp_buf jb;
	struct vec v = { 0 };
	struct vec *volatile vp = &v;

	p.jb = &jb;
	if (setjmp(jb))
		return fe->oom ? -ENOMEM : -EINVAL;
	while (!is(&p, T_EOF)) {
		if (accept(&p, T_SEMI))
			continue;   /* an empty declaration */
		vec_push(&p, vp, declaration(&p));
	}
	*decls = vec_list(&p, vp);
	return 0;
}
