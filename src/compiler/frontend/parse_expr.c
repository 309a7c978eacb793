/* parse_expr.c - the parser's types, expressions, keyset expressions and
 * annotations (parser.h); called by parser.c for declarations and
 * statements.  The grammar production is written above each function. */
#include "parser.h"

#include <string.h>

/* ---- integers ---- */

static struct p4_node *int_literal(struct parser *p)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = p4p_node(p, P4_EXPR_INT, t);
	char msg[200];
	if (p4_parse_int(p->fe, t->text, t->len, &n->u.intlit, msg, sizeof(msg)) < 0) {
		if (p->fe->oom)
			longjmp(*p->jb, 1);
		p4p_fail_at(p, &t->loc, "%s", msg);
	}
	advance(p);
	return n;
}

/* ---- types ---- */

/* typeArg: DONTCARE | VOID | typeRef | nonTypeName
 * typeArgumentList: '<' [typeArg (',' typeArg)*] '>' */
static struct p4_list type_args(struct parser *p)
{
	struct vec v = { 0 };
	p4p_expect(p, T_LT, NULL);
	if (accept(p, T_GT))
		return p4p_vec_list(p, &v);   /* <> */
	do {
		const struct p4_token *t = tok(p);
		if (t->kind == T_KW_DONTCARE) {
			advance(p);
			p4p_vec_push(p, &v, p4p_node(p, P4_TYPE_DONTCARE, t));
		} else if (t->kind == T_KW_VOID) {
			advance(p);
			p4p_vec_push(p, &v, p4p_node(p, P4_TYPE_VOID, t));
		} else {
			p4p_vec_push(p, &v, p4p_type_ref(p));
		}
	} while (accept(p, T_COMMA));
	if (!is(p, T_GT))
		p4p_expected(p, "'>'", NULL);
	advance(p);
	return p4p_vec_list(p, &v);
}

/* width: INTEGER | '(' expression ')' */
static struct p4_node *type_width(struct parser *p, const char *type)
{
	struct p4_node *w;
	p4p_expect(p, T_LT, NULL);
	if (is(p, T_NUMBER)) {
		w = int_literal(p);
	} else if (accept(p, T_LPAREN)) {
		w = p4p_expression(p);
		p4p_expect(p, T_RPAREN, "the width expression");
	} else {
		char buf[64];
		p4p_fail_at(p, &tok(p)->loc, "expected a width (an integer or a parenthesized expression) in %s<...> before %s",
			type, p4p_describe(tok(p), buf, sizeof(buf)));
	}
	if (!is(p, T_GT))
		p4p_expected(p, "'>'", "the width");
	advance(p);
	return w;
}

/* baseType: BOOL | MATCH_KIND | ERROR | STRING | BIT ['<' width '>']
 *         | INT ['<' width '>'] | VARBIT '<' width '>'
 * namedType: prefixedType [typeArgumentList]
 * tupleType: TUPLE typeArgumentList   (LIST typeArgumentList likewise)
 * typeRef: baseType | namedType | tupleType | typeRef '[' expression ']' */
struct p4_node *p4p_type_ref(struct parser *p)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n;

	p4p_enter(p);
	switch (t->kind) {
	case T_KW_BOOL: advance(p); n = p4p_node(p, P4_TYPE_BOOL, t); break;
	case T_KW_MATCH_KIND: advance(p); n = p4p_node(p, P4_TYPE_MATCH_KIND, t); break;
	case T_KW_ERROR: advance(p); n = p4p_node(p, P4_TYPE_ERROR, t); break;
	case T_KW_STRING: advance(p); n = p4p_node(p, P4_TYPE_STRING, t); break;
	case T_KW_BIT:
	case T_KW_INT:
	case T_KW_VARBIT:
		advance(p);
		n = p4p_node(p, t->kind == T_KW_BIT ? P4_TYPE_BIT :
			    t->kind == T_KW_INT ? P4_TYPE_INT : P4_TYPE_VARBIT, t);
		if (is(p, T_LT))
			n->u.bits.width = type_width(p, t->name);
		else if (t->kind == T_KW_VARBIT)
			p4p_expected(p, "'<' and a width", "'varbit'");
		break;
	case T_KW_TUPLE:
		advance(p);
		n = p4p_node(p, P4_TYPE_TUPLE, t);
		n->u.tuple.args = type_args(p);
		break;
	case T_KW_LIST:
		if (peek(p, 1)->kind == T_LT) {
			advance(p);
			n = p4p_node(p, P4_TYPE_LIST, t);
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
		const struct p4_token *nt = p4p_name_tok(p, "a type");
		n = p4p_node(p, P4_TYPE_NAME, t);
		n->name = nt->name;
		n->u.ident.global = global;
		if (is(p, T_LT)) {
			struct p4_node *s = p4p_node(p, P4_TYPE_SPEC, t);
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
		struct p4_node *s = p4p_node(p, P4_TYPE_STACK, lb);
		s->loc = n->loc;
		s->u.stack.elem = n;
		s->u.stack.size = p4p_expression(p);
		p4p_expect(p, T_RBRACK, "the header stack size");
		n = s;
	}
	p4p_leave(p);
	return n;
}

/* typeOrVoid: typeRef | VOID */
struct p4_node *p4p_type_or_void(struct parser *p)
{
	if (is(p, T_KW_VOID)) {
		const struct p4_token *t = tok(p);
		advance(p);
		return p4p_node(p, P4_TYPE_VOID, t);
	}
	return p4p_type_ref(p);
}

/* Does the current token begin a type (for declarations in statements)? */
bool p4p_starts_type(struct parser *p)
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
		if (p4p_is_type_name(p, t->name))
			return peek(p, 1)->kind != T_DOT && peek(p, 1)->kind != T_ASSIGN;
		/* an unknown name followed by a name: a declaration of an
		 * undeclared type, which the back end reports */
		return is_name(peek(p, 1));
	}
}

/* optTypeParameters: ['<' name (',' name)* '>'] */
struct p4_list p4p_type_params(struct parser *p)
{
	struct vec v = { 0 };
	if (!accept(p, T_LT))
		return p4p_vec_list(p, &v);
	do {
		const struct p4_token *t = p4p_name_tok(p, "a type parameter name");
		struct p4_node *n = p4p_node(p, P4_TYPE_PARAM, t);
		n->name = t->name;
		p4p_vec_push(p, &v, n);
	} while (accept(p, T_COMMA));
	if (!is(p, T_GT))
		p4p_expected(p, "'>'", "the type parameters");
	advance(p);
	return p4p_vec_list(p, &v);
}

/* ---- expressions ---- */

/* argument: [name '='] (expression | DONTCARE)
 * argumentList: [argument (',' argument)*] ')'   (after the '(') */
struct p4_list p4p_argument_list(struct parser *p)
{
	struct vec v = { 0 };
	if (!is(p, T_RPAREN)) {
		do {
			const struct p4_token *t = tok(p);
			struct p4_node *a = p4p_node(p, P4_ARG, t);
			if (is_name(t) && peek(p, 1)->kind == T_ASSIGN) {
				a->name = t->name;
				advance(p);
				advance(p);
			}
			a->u.arg.value = p4p_expression(p);
			p4p_vec_push(p, &v, a);
		} while (accept(p, T_COMMA));
	}
	p4p_expect(p, T_RPAREN, "the arguments");
	return p4p_vec_list(p, &v);
}

/* Tentative `typeArgumentList '('` after a name in an expression. */
static struct p4_node *try_generic_call(struct parser *p, void *arg)
{
	struct p4_node *callee = arg;
	const struct p4_token *lt = tok(p);
	struct p4_list targs = type_args(p);
	if (!is(p, T_LPAREN))
		longjmp(*p->jb, 1);
	struct p4_node *c = p4p_node(p, P4_EXPR_CALL, lt);
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
		return p4p_node(p, P4_EXPR_INVALID, lb);
	}
	bool is_struct = is_name(tok(p)) && peek(p, 1)->kind == T_ASSIGN;
	n = p4p_node(p, is_struct ? P4_EXPR_STRUCT : P4_EXPR_LIST, lb);
	while (!is(p, T_RBRACE)) {
		if (is_struct && !is(p, T_DOTS)) {
			const struct p4_token *t = p4p_name_tok(p, "a field name");
			struct p4_node *a = p4p_node(p, P4_ARG, t);
			a->name = t->name;
			p4p_expect(p, T_ASSIGN, "the field name in a struct initializer");
			a->u.arg.value = p4p_expression(p);
			p4p_vec_push(p, &v, a);
		} else {
			p4p_vec_push(p, &v, p4p_expression(p));
		}
		if (!accept(p, T_COMMA))
			break;
	}
	p4p_expect(p, T_RBRACE, is_struct ? "the fields of a struct initializer" : "the list");
	n->u.list.items = p4p_vec_list(p, &v);
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
		n = p4p_node(p, P4_EXPR_BOOL, t);
		n->u.boolean = t->kind == T_KW_TRUE;
		return n;
	case T_STRING: {
		advance(p);
		n = p4p_node(p, P4_EXPR_STRING, t);
		char *s = p4p_alloc(p, t->len), *d = s;
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
		return p4p_node(p, P4_EXPR_THIS, t);
	case T_KW_DONTCARE:
		advance(p);
		return p4p_node(p, P4_EXPR_DONTCARE, t);
	case T_DOTS:
		advance(p);
		return p4p_node(p, P4_EXPR_DOTS, t);
	case T_LBRACE:
		return brace_expression(p);
	case T_LPAREN:
		advance(p);
		n = p4p_expression(p);
		p4p_expect(p, T_RPAREN, "the expression");
		return n;
	case T_DOT:
		advance(p);
		n = p4p_node(p, P4_EXPR_NAME, t);
		n->name = p4p_name_tok(p, "a name after '.'")->name;
		n->u.ident.global = true;
		return n;
	case T_KW_ERROR:
	case T_KW_BIT:
	case T_KW_INT:
	case T_KW_VARBIT:
	case T_KW_BOOL:
	case T_KW_STRING:
	case T_KW_TUPLE:
		n = p4p_node(p, P4_EXPR_TYPE, t);
		n->u.texpr.type = p4p_type_ref(p);
		return n;
	default:
		if (is_name(t)) {
			if (p4p_is_type_name(p, t->name)) {
				n = p4p_node(p, P4_EXPR_TYPE, t);
				n->u.texpr.type = p4p_type_ref(p);
				return n;
			}
			advance(p);
			n = p4p_node(p, P4_EXPR_NAME, t);
			n->name = t->name;
			return n;
		}
		p4p_fail_at(p, &t->loc, "expected an expression before %s", p4p_describe(t, buf, sizeof(buf)));
	}
}

/* postfix: primary ( '.' member | '[' expression [(':' | '+' ':') expression] ']'
 *                  | [typeArgumentList] '(' argumentList ')' )* */
struct p4_node *p4p_postfix(struct parser *p)
{
	struct p4_node *n = primary(p);
	for (;;) {
		const struct p4_token *t = tok(p);
		if (t->kind == T_DOT) {
			advance(p);
			const struct p4_token *m = p4p_member_tok(p);
			struct p4_node *e = p4p_node(p, P4_EXPR_MEMBER, t);
			e->name = m->name;
			e->u.mem.base = n;
			n = e;
		} else if (t->kind == T_LBRACK) {
			advance(p);
			struct p4_node *i = p4p_expression(p);
			if (is(p, T_PLUS) && peek(p, 1)->kind == T_COLON) {
				advance(p);
				advance(p);
				struct p4_node *e = p4p_node(p, P4_EXPR_SLICE_PLUS, t);
				e->u.splus.base = n;
				e->u.splus.lsb = i;
				e->u.splus.width = p4p_expression(p);
				n = e;
			} else if (accept(p, T_COLON)) {
				struct p4_node *e = p4p_node(p, P4_EXPR_SLICE, t);
				e->u.slice.base = n;
				e->u.slice.hi = i;
				e->u.slice.lo = p4p_expression(p);
				n = e;
			} else {
				struct p4_node *e = p4p_node(p, P4_EXPR_INDEX, t);
				e->u.index.base = n;
				e->u.index.index = i;
				n = e;
			}
			p4p_expect(p, T_RBRACK, "the index");
		} else if (t->kind == T_LPAREN) {
			advance(p);
			struct p4_node *c = p4p_node(p, P4_EXPR_CALL, t);
			c->loc = n->loc;
			c->u.call.callee = n;
			c->u.call.args = p4p_argument_list(p);
			n = c;
		} else if (t->kind == T_LT && (n->kind == P4_EXPR_NAME || n->kind == P4_EXPR_MEMBER)) {
			struct p4_node *c = p4p_speculate(p, try_generic_call, n);
			if (!c)
				return n;
			advance(p);   /* the '(' */
			c->u.call.args = p4p_argument_list(p);
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
	struct p4_node *ty = p4p_type_ref(p);
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

	p4p_enter(p);
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
				  (is_name(u) && p4p_is_type_name(p, u->name)) ||
				  (u->kind == T_DOT && is_name(peek(p, 2)) &&
				   p4p_is_type_name(p, peek(p, 2)->name));
		struct p4_node *ty = maybe_type ? p4p_speculate(p, try_cast_type, NULL) : NULL;
		if (ty) {
			n = p4p_node(p, P4_EXPR_CAST, t);
			n->u.cast.type = ty;
			n->u.cast.expr = unary(p);
			p4p_leave(p);
			return n;
		}
		n = p4p_postfix(p);
		p4p_leave(p);
		return n;
	}
	default:
		n = p4p_postfix(p);
		p4p_leave(p);
		return n;
	}
	advance(p);
	n = p4p_node(p, P4_EXPR_UNARY, t);
	n->u.unary.op = op;
	n->u.unary.operand = unary(p);
	p4p_leave(p);
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
	case T_PLUS:
		if (peek(p, 1)->kind == T_COLON)
			return 0;   /* e[lsb +: width] */
		*op = P4_BIN_ADD;
		return 9;
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
		p4p_enter(p);
		struct p4_node *rhs = binary(p, prec + 1);
		p4p_leave(p);
		struct p4_node *n = p4p_node(p, P4_EXPR_BINARY, t);
		n->u.binary.op = op;
		n->u.binary.lhs = lhs;
		n->u.binary.rhs = rhs;
		lhs = n;
	}
}

/* expression: binary ['?' expression ':' expression] */
struct p4_node *p4p_expression(struct parser *p)
{
	p4p_enter(p);
	struct p4_node *n = binary(p, 1);
	if (is(p, T_QUESTION)) {
		const struct p4_token *q = tok(p);
		advance(p);
		struct p4_node *c = p4p_node(p, P4_EXPR_COND, q);
		c->loc = n->loc;
		c->u.cond.cond = n;
		c->u.cond.then = p4p_expression(p);
		p4p_expect(p, T_COLON, "the first branch of '?:'");
		c->u.cond.els = p4p_expression(p);
		n = c;
	}
	p4p_leave(p);
	return n;
}

/* simpleKeysetExpression: DEFAULT | DONTCARE | expression
 *                       | expression '&&&' expression | expression '..' expression */
static struct p4_node *simple_keyset(struct parser *p)
{
	const struct p4_token *t = tok(p);
	if (t->kind == T_KW_DEFAULT) {
		advance(p);
		return p4p_node(p, P4_EXPR_DEFAULT, t);
	}
	struct p4_node *e = p4p_expression(p);
	const struct p4_token *o = tok(p);
	if (o->kind == T_MASK || o->kind == T_RANGE) {
		advance(p);
		struct p4_node *n = p4p_node(p, P4_EXPR_BINARY, o);
		n->u.binary.op = o->kind == T_MASK ? P4_BIN_MASK : P4_BIN_RANGE;
		n->u.binary.lhs = e;
		n->u.binary.rhs = p4p_expression(p);
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
		p4p_vec_push(p, &v, simple_keyset(p));
	while (accept(p, T_COMMA));
	if (!accept(p, T_RPAREN) || !is(p, T_COLON))
		longjmp(*p->jb, 1);
	if (v.n == 1)
		return v.v[0];
	struct p4_node *n = p4p_node(p, P4_EXPR_LIST, lp);
	n->u.list.items = p4p_vec_list(p, &v);
	return n;
}

/* keysetExpression: tupleKeysetExpression | simpleKeysetExpression */
struct p4_node *p4p_keyset(struct parser *p)
{
	if (is(p, T_LPAREN)) {
		struct p4_node *n = p4p_speculate(p, try_tuple_keyset, NULL);
		if (n)
			return n;
	}
	return simple_keyset(p);
}

/* ---- annotations ---- */

/* Tentative expression list, or key = value list, filling the whole
 * annotation body up to close. */
static struct p4_node *try_anno_exprs(struct parser *p, void *arg)
{
	size_t close = *(size_t *)arg;
	struct vec v = { 0 };
	struct p4_node *holder = p4p_node(p, P4_ANNOTATION, tok(p));
	bool kv = is_name(tok(p)) && peek(p, 1)->kind == T_ASSIGN;
	if (p->i != close) {
		do {
			if (kv) {
				const struct p4_token *k = p4p_name_tok(p, "a key");
				struct p4_node *a = p4p_node(p, P4_ARG, k);
				a->name = k->name;
				p4p_expect(p, T_ASSIGN, NULL);
				a->u.arg.value = p4p_expression(p);
				p4p_vec_push(p, &v, a);
			} else {
				p4p_vec_push(p, &v, p4p_expression(p));
			}
		} while (accept(p, T_COMMA));
	}
	if (p->i != close)
		longjmp(*p->jb, 1);
	holder->u.anno.form = kv ? P4_ANNO_KV : P4_ANNO_EXPRS;
	if (kv)
		holder->u.anno.kvs = p4p_vec_list(p, &v);
	else
		holder->u.anno.exprs = p4p_vec_list(p, &v);
	return holder;
}

/* annotation: '@' name ['(' annotationBody ')' | '[' structuredAnnotationBody ']']
 *           | '@' PRAGMA tokens up to the end of the line
 * annotationBody: any tokens with balanced parentheses */
static struct p4_node *annotation(struct parser *p)
{
	const struct p4_token *at = tok(p);
	advance(p);
	const struct p4_token *nt = tok(p);
	if (!is_name(nt) && !(nt->kind > T_KW_FIRST_))
		p4p_fail_at(p, &nt->loc, "expected an annotation name after '@'");
	advance(p);
	struct p4_node *n = p4p_node(p, P4_ANNOTATION, at);
	n->name = nt->name;
	n->u.anno.form = P4_ANNO_EMPTY;
	if (!strcmp(nt->name, "pragma") && !tok(p)->bol && !is(p, T_EOF)) {
		/* @pragma NAME TOKENS...: the rest of the line */
		size_t s = p->i, e = s, len = 0;
		for (; p->t[e].kind != T_EOF && (e == s || !p->t[e].bol); e++)
			len += p->t[e].len + 1;
		char *body = p4p_alloc(p, len + 1), *d = body;
		for (size_t k = s; k < e; k++) {
			if (k > s && p->t[k].space)
				*d++ = ' ';
			memcpy(d, p->t[k].text, p->t[k].len);
			d += p->t[k].len;
		}
		*d = 0;
		n->u.anno.body = body;
		n->u.anno.form = P4_ANNO_UNPARSED;
		p->i = e;
	} else if (is(p, T_LPAREN)) {
		size_t open = p->i, close = p->i + 1, len = 0;
		int depth = 1;
		for (; ; close++) {
			int k = p->t[close].kind;
			if (k == T_EOF)
				p4p_fail_at(p, &p->t[open].loc, "unterminated annotation body: missing ')'");
			if (k == T_LPAREN)
				depth++;
			else if (k == T_RPAREN && --depth == 0)
				break;
			len += p->t[close].len + 1;
		}
		char *body = p4p_alloc(p, len + 1), *d = body;
		for (size_t k = open + 1; k < close; k++) {
			if (k > open + 1 && p->t[k].space)
				*d++ = ' ';
			memcpy(d, p->t[k].text, p->t[k].len);
			d += p->t[k].len;
		}
		*d = 0;
		n->u.anno.body = body;
		advance(p);
		struct p4_node *h = p4p_speculate(p, try_anno_exprs, &close);
		if (h) {
			n->u.anno.form = h->u.anno.form;
			n->u.anno.exprs = h->u.anno.exprs;
			n->u.anno.kvs = h->u.anno.kvs;
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
				const struct p4_token *k = p4p_name_tok(p, "a key");
				struct p4_node *a = p4p_node(p, P4_ARG, k);
				a->name = k->name;
				p4p_expect(p, T_ASSIGN, "the key in a structured annotation");
				a->u.arg.value = p4p_expression(p);
				p4p_vec_push(p, &v, a);
			} else {
				p4p_vec_push(p, &v, p4p_expression(p));
			}
			if (!accept(p, T_COMMA))
				break;
		}
		if (!is(p, T_RBRACK))
			p4p_expected(p, "']'", "the structured annotation");
		n->u.anno.body = p4l_arena_strndup(p->fe->arena, lb->text + 1,
						  lb->loc.line == tok(p)->loc.line &&
						  tok(p)->text > lb->text ?
						  (size_t)(tok(p)->text - lb->text - 1) : 0);
		advance(p);
		if (kv)
			n->u.anno.kvs = p4p_vec_list(p, &v);
		else
			n->u.anno.exprs = p4p_vec_list(p, &v);
	}
	return n;
}

/* optAnnotations: annotation* */
struct p4_list p4p_annotations(struct parser *p)
{
	struct vec v = { 0 };
	while (is(p, T_AT))
		p4p_vec_push(p, &v, annotation(p));
	return p4p_vec_list(p, &v);
}
