/* parser.h - internals shared by the parser's files (not for the back end).
 *
 * parser.c: parameters, statements, declarations, the entry point;
 * parse_expr.c: types, expressions, keysets, annotations;
 * parse_base.c: errors, memory, scopes of type names, speculation.
 * All of them work on one struct parser; every function may longjmp out on
 * a syntax error (see parser.c). */
#ifndef P4_PARSER_H
#define P4_PARSER_H

#include "fe.h"

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

/* Lists grow in a scratch array, then are copied into the arena. */
struct vec {
	struct p4_node **v;
	size_t n, cap;
	struct p4_node *small[16];
};


typedef struct p4_node *(*parse_fn)(struct parser *p, void *arg);

static inline const struct p4_token *tok(struct parser *p)
{
	return &p->t[p->i];
}

static inline const struct p4_token *peek(struct parser *p, size_t k)
{
	size_t j = p->i + k;
	return &p->t[j < p->n ? j : p->n - 1];
}

static inline bool is(struct parser *p, int kind)
{
	return p->t[p->i].kind == kind;
}

static inline void advance(struct parser *p)
{
	if (p->i + 1 < p->n)
		p->i++;
}

static inline bool accept(struct parser *p, int kind)
{
	if (!is(p, kind))
		return false;
	advance(p);
	return true;
}

/* Keywords the spec lets stand as ordinary names. */
static inline bool is_contextual(int kind)
{
	switch (kind) {
	case T_KW_APPLY: case T_KW_KEY: case T_KW_ACTIONS: case T_KW_STATE:
	case T_KW_ENTRIES: case T_KW_TYPE: case T_KW_PRIORITY: case T_KW_LIST:
		return true;
	}
	return false;
}

static inline bool is_name(const struct p4_token *t)
{
	return t->kind == T_IDENT || is_contextual(t->kind);
}


/* parse_base.c */
_Noreturn void p4p_fail_at(struct parser *p, const struct p4_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *p4p_describe(const struct p4_token *t, char *buf, size_t size);
_Noreturn void p4p_expected(struct parser *p, const char *x, const char *what);
void p4p_expect(struct parser *p, int kind, const char *what);
void p4p_enter(struct parser *p);
void p4p_leave(struct parser *p);
void *p4p_alloc(struct parser *p, size_t size);
struct p4_node *p4p_node(struct parser *p, enum p4_kind kind, const struct p4_token *at);
void p4p_vec_push(struct parser *p, struct vec *v, struct p4_node *x);
struct p4_list p4p_vec_list(struct parser *p, struct vec *v);
bool p4p_is_type_name(struct parser *p, const char *name);
void p4p_declare_type(struct parser *p, const char *name);
void p4p_push_scoped(struct parser *p, const char *name, bool is_type);
void p4p_push_tparams(struct parser *p, const struct p4_list *l);
void p4p_declare_local(struct parser *p, const char *name);
void p4p_push_params(struct parser *p, const struct p4_list *l);
const struct p4_token *p4p_name_tok(struct parser *p, const char *what);
const struct p4_token *p4p_member_tok(struct parser *p);
struct p4_node *p4p_speculate(struct parser *p, parse_fn fn, void *arg);

/* parse_expr.c */
struct p4_node *p4p_type_ref(struct parser *p);
struct p4_node *p4p_type_or_void(struct parser *p);
bool p4p_starts_type(struct parser *p);
struct p4_list p4p_type_params(struct parser *p);
struct p4_list p4p_argument_list(struct parser *p);
struct p4_node *p4p_expression(struct parser *p);
struct p4_node *p4p_postfix(struct parser *p);   /* an lvalue or a call */
struct p4_node *p4p_keyset(struct parser *p);
struct p4_list p4p_annotations(struct parser *p);

#endif
