/* parser.c - recursive-descent parser of P4_16 (spec v1.2.x) from the
 * preprocessed tokens to the tree of ast.h (fe.h: p4_parse_tokens).
 *
 * Called by fe.c.  This file holds parameters, statements and declarations;
 * parse_expr.c the expressions and types (see parser.h).  The grammar
 * production is written above each function.
 * The ambiguities the spec documents are resolved here:
 * - type names vs. other names: declared type names (types, externs,
 *   parsers, controls, packages, typedefs, type parameters in their scope)
 *   are tracked, so `T x;` is a declaration and `a.b();` a call;
 * - `<` after a name starts type arguments only when it parses as
 *   `<types>(` (a generic call) or follows a type name; else it is less-than;
 * - `>>` is two `>` tokens: adjacent ones make a shift in expressions.
 * Tentative parses (speculate) rewind on failure without reporting.
 * A syntax error is reported and unwinds (a longjmp) to p4_parse_tokens,
 * which skips the rest of that top-level declaration and goes on, so a few
 * independent errors are reported at once; all memory is in the arena.
 * Nesting is bounded. */
#include "parser.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static struct p4_node *block_statement(struct parser *p, struct p4_list annos);

/* ---- parameters ---- */

/* parameter: optAnnotations [IN | OUT | INOUT] typeRef name ['=' expression]
 * parameterList: [parameter (',' parameter)*]   (between parentheses) */
static struct p4_list parameter_list(struct parser *p)
{
	struct vec v = { 0 };
	p4p_expect(p, T_LPAREN, NULL);
	if (!is(p, T_RPAREN)) {
		do {
			struct p4_list annos = p4p_annotations(p);
			const struct p4_token *t = tok(p);
			enum p4_dir dir = P4_DIR_NONE;
			if (accept(p, T_KW_IN))
				dir = P4_DIR_IN;
			else if (accept(p, T_KW_OUT))
				dir = P4_DIR_OUT;
			else if (accept(p, T_KW_INOUT))
				dir = P4_DIR_INOUT;
			struct p4_node *prm = p4p_node(p, P4_PARAM, t);
			prm->annos = annos;
			prm->u.param.dir = dir;
			prm->u.param.type = p4p_type_ref(p);
			prm->name = p4p_name_tok(p, "a parameter name")->name;
			if (accept(p, T_ASSIGN))
				prm->u.param.dflt = p4p_expression(p);
			p4p_vec_push(p, &v, prm);
		} while (accept(p, T_COMMA));
	}
	p4p_expect(p, T_RPAREN, "the parameters");
	return p4p_vec_list(p, &v);
}

/* ---- statements ---- */

static struct p4_node *statement(struct parser *p);
static struct p4_node *for_statement(struct parser *p, struct p4_list annos);
static struct p4_node *variable_rest(struct parser *p, struct p4_list annos, bool is_const,
				     struct p4_node *type, const struct p4_token *start);

/* variableDeclaration: annotations typeRef name ['=' initializer] ';'
 * constantDeclaration: annotations CONST typeRef name '=' initializer ';'
 * instantiation: annotations typeRef '(' argumentList ')' name
 *                ['=' '{' objDeclarations '}'] ';'   (when allow_inst) */
static struct p4_node *local_declaration(struct parser *p, struct p4_list annos, bool allow_inst);
static struct p4_node *function_body_decl(struct parser *p, struct p4_list annos);

/* The compound assignment at the current token: its operator and token
 * count, or 0.  `>>=` arrives as '>' '>=' (see fe.h). */
static int compound_assign_at(struct parser *p, enum p4_binop *op)
{
	switch (tok(p)->kind) {
	case T_MUL_ASSIGN: *op = P4_BIN_MUL; return 1;
	case T_DIV_ASSIGN: *op = P4_BIN_DIV; return 1;
	case T_MOD_ASSIGN: *op = P4_BIN_MOD; return 1;
	case T_ADD_ASSIGN: *op = P4_BIN_ADD; return 1;
	case T_SUB_ASSIGN: *op = P4_BIN_SUB; return 1;
	case T_ADDSAT_ASSIGN: *op = P4_BIN_ADDSAT; return 1;
	case T_SUBSAT_ASSIGN: *op = P4_BIN_SUBSAT; return 1;
	case T_SHL_ASSIGN: *op = P4_BIN_SHL; return 1;
	case T_AND_ASSIGN: *op = P4_BIN_BAND; return 1;
	case T_OR_ASSIGN: *op = P4_BIN_BOR; return 1;
	case T_XOR_ASSIGN: *op = P4_BIN_BXOR; return 1;
	case T_GT:
		if (peek(p, 1)->kind == T_GE && !peek(p, 1)->space) {
			*op = P4_BIN_SHR;
			return 2;
		}
		return 0;
	}
	return 0;
}

/* An assignment or call without its ';' (also the parts of a for loop).
 * assignmentOrMethodCallStatementWithoutSemicolon:
 *     lvalue ('=' | '*=' | '/=' | '%=' | '+=' | '-=' | '|+|=' | '|-|='
 *             | '<<=' | '>>=' | '&=' | '|=' | '^=') expression
 *   | lvalue [typeArgumentList] '(' argumentList ')' */
static struct p4_node *assign_or_call(struct parser *p)
{
	const struct p4_token *t = tok(p);
	struct p4_node *e = p4p_postfix(p);
	enum p4_binop op;
	int ntok = compound_assign_at(p, &op);
	if (is(p, T_ASSIGN) || ntok) {
		const struct p4_token *eq = tok(p);
		struct p4_node *n = p4p_node(p, P4_STMT_ASSIGN, eq);
		p->i += ntok ? (size_t)ntok : 1;
		n->loc = t->loc;
		n->u.assign.lhs = e;
		n->u.assign.compound = ntok != 0;
		n->u.assign.op = ntok ? op : P4_BIN_ADD;
		n->u.assign.rhs = p4p_expression(p);
		return n;
	}
	if (e->kind != P4_EXPR_CALL) {
		if (is(p, T_SEMI))
			p4p_fail_at(p, &t->loc, "statement is neither an assignment nor a call");
		p4p_expected(p, "'=' or '('", NULL);
	}
	struct p4_node *n = p4p_node(p, P4_STMT_CALL, t);
	n->u.call_stmt.call = e;
	return n;
}

/* assignmentOrMethodCallStatement: assignOrCall ';' */
static struct p4_node *expression_statement(struct parser *p)
{
	struct p4_node *n = assign_or_call(p);
	p4p_expect(p, T_SEMI, n->kind == P4_STMT_ASSIGN ? "the assignment" : "the call");
	return n;
}

/* switchStatement: SWITCH '(' expression ')' '{' switchCase* '}'
 * switchCase: switchLabel ':' [blockStatement]
 * switchLabel: DEFAULT | expression */
static struct p4_node *switch_statement(struct parser *p)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = p4p_node(p, P4_STMT_SWITCH, t);
	struct vec cases = { 0 };
	advance(p);
	p4p_expect(p, T_LPAREN, "'switch'");
	n->u.switch_.expr = p4p_expression(p);
	p4p_expect(p, T_RPAREN, "the switch expression");
	p4p_expect(p, T_LBRACE, "'switch (...)'");
	while (!is(p, T_RBRACE)) {
		const struct p4_token *c = tok(p);
		struct p4_node *sc = p4p_node(p, P4_SWITCH_CASE, c);
		if (c->kind == T_EOF)
			p4p_expected(p, "'}'", "the switch cases");
		if (c->kind == T_KW_DEFAULT) {
			advance(p);
			sc->u.scase.label = p4p_node(p, P4_EXPR_DEFAULT, c);
		} else {
			sc->u.scase.label = p4p_expression(p);
		}
		p4p_expect(p, T_COLON, "the switch label");
		if (is(p, T_LBRACE) || is(p, T_AT))
			sc->u.scase.body = block_statement(p, p4p_annotations(p));
		p4p_vec_push(p, &cases, sc);
	}
	advance(p);
	n->u.switch_.cases = p4p_vec_list(p, &cases);
	return n;
}

/* conditionalStatement: IF '(' expression ')' statement [ELSE statement] */
static struct p4_node *if_statement(struct parser *p)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = p4p_node(p, P4_STMT_IF, t);
	advance(p);
	p4p_expect(p, T_LPAREN, "'if'");
	n->u.if_.cond = p4p_expression(p);
	p4p_expect(p, T_RPAREN, "the condition");
	n->u.if_.then = statement(p);
	if (accept(p, T_KW_ELSE))
		n->u.if_.els = statement(p);
	return n;
}

/* statement: assignmentOrMethodCallStatement | directApplication
 *          | conditionalStatement | emptyStatement | blockStatement
 *          | exitStatement | returnStatement | switchStatement
 *          | forStatement | breakStatement | continueStatement */
static struct p4_node *statement(struct parser *p)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n;

	p4p_enter(p);
	switch (t->kind) {
	case T_SEMI:
		advance(p);
		n = p4p_node(p, P4_STMT_EMPTY, t);
		break;
	case T_LBRACE:
		n = block_statement(p, (struct p4_list){ 0 });
		break;
	case T_AT: {
		struct p4_list annos = p4p_annotations(p);
		n = is(p, T_KW_FOR) ? for_statement(p, annos) : block_statement(p, annos);
		break;
	}
	case T_KW_FOR:
		n = for_statement(p, (struct p4_list){ 0 });
		break;
	case T_KW_BREAK:
	case T_KW_CONTINUE:
		advance(p);
		n = p4p_node(p, t->kind == T_KW_BREAK ? P4_STMT_BREAK : P4_STMT_CONTINUE, t);
		p4p_expect(p, T_SEMI, t->kind == T_KW_BREAK ? "'break'" : "'continue'");
		break;
	case T_KW_IF:
		n = if_statement(p);
		break;
	case T_KW_SWITCH:
		n = switch_statement(p);
		break;
	case T_KW_EXIT:
		advance(p);
		n = p4p_node(p, P4_STMT_EXIT, t);
		p4p_expect(p, T_SEMI, "'exit'");
		break;
	case T_KW_RETURN:
		advance(p);
		n = p4p_node(p, P4_STMT_RETURN, t);
		if (!is(p, T_SEMI))
			n->u.ret.expr = p4p_expression(p);
		p4p_expect(p, T_SEMI, "the return statement");
		break;
	case T_EOF:
		p4p_expected(p, "a statement", NULL);
	default:
		n = expression_statement(p);
		break;
	}
	p4p_leave(p);
	return n;
}

/* statOrDecl: variableDeclaration | constantDeclaration | statement */
static struct p4_node *stat_or_decl(struct parser *p)
{
	if (is(p, T_AT)) {
		struct p4_list annos = p4p_annotations(p);
		if (is(p, T_LBRACE))
			return block_statement(p, annos);
		if (is(p, T_KW_FOR))
			return for_statement(p, annos);
		return local_declaration(p, annos, false);
	}
	if (is(p, T_KW_CONST) || p4p_starts_type(p)) {
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
	p4p_enter(p);
	p4p_expect(p, T_LBRACE, NULL);
	struct p4_node *n = p4p_node(p, P4_STMT_BLOCK, t);
	n->annos = annos;
	while (!is(p, T_RBRACE)) {
		if (is(p, T_EOF))
			p4p_fail_at(p, &t->loc, "unterminated block: missing '}' for this '{'");
		p4p_vec_push(p, &v, stat_or_decl(p));
	}
	advance(p);
	n->u.block.stmts = p4p_vec_list(p, &v);
	p->ntparams = ntp;
	p4p_leave(p);
	return n;
}

/* ---- declarations ---- */

/* The tail of an instantiation after the type:
 * '(' argumentList ')' name ['=' '{' objDeclaration* '}'] ';' */
static struct p4_node *instantiation_rest(struct parser *p, struct p4_node *type,
					  struct p4_list annos, const struct p4_token *start)
{
	struct p4_node *n = p4p_node(p, P4_DECL_INSTANCE, start);
	n->annos = annos;
	n->u.inst.type = type;
	p4p_expect(p, T_LPAREN, NULL);
	n->u.inst.args = p4p_argument_list(p);
	n->name = p4p_name_tok(p, "an instance name")->name;
	p4p_declare_local(p, n->name);
	if (accept(p, T_ASSIGN)) {
		struct vec v = { 0 };
		p4p_expect(p, T_LBRACE, "'=' in an instantiation");
		while (!is(p, T_RBRACE)) {
			if (is(p, T_EOF))
				p4p_expected(p, "'}'", "the initializer block");
			/* objDeclaration: functionDeclaration | instantiation */
			struct p4_list a = p4p_annotations(p);
			const struct p4_token *s = tok(p);
			size_t start = p->i;
			struct p4_node *type = p4p_type_or_void(p);
			if (is(p, T_LPAREN) && type->kind != P4_TYPE_VOID) {
				p4p_vec_push(p, &v, instantiation_rest(p, type, a, s));
			} else {
				p->i = start;
				p4p_vec_push(p, &v, function_body_decl(p, a));
			}
		}
		advance(p);
		n->u.inst.body = p4p_vec_list(p, &v);
		n->u.inst.has_body = true;
	}
	p4p_expect(p, T_SEMI, "the instantiation");
	return n;
}

static struct p4_node *local_declaration(struct parser *p, struct p4_list annos, bool allow_inst)
{
	const struct p4_token *t = tok(p);
	bool is_const = accept(p, T_KW_CONST);
	struct p4_node *type = p4p_type_ref(p);
	if (is(p, T_LPAREN) && !is_const) {
		if (!allow_inst)
			p4p_fail_at(p, &t->loc, "an instantiation is not allowed here");
		return instantiation_rest(p, type, annos, t);
	}
	struct p4_node *n = variable_rest(p, annos, is_const, type, t);
	char what[160];
	snprintf(what, sizeof(what), "the declaration of '%s'", n->name);
	p4p_expect(p, T_SEMI, what);
	return n;
}

/* The rest of a variable or constant declaration after its type, without
 * the ';': name ['=' initializer] */
static struct p4_node *variable_rest(struct parser *p, struct p4_list annos, bool is_const,
				     struct p4_node *type, const struct p4_token *start)
{
	struct p4_node *n = p4p_node(p, is_const ? P4_DECL_CONST : P4_DECL_VAR, start);
	n->annos = annos;
	n->u.var.type = type;
	n->name = p4p_name_tok(p, is_const ? "a constant name" : "a variable name")->name;
	p4p_declare_local(p, n->name);
	if (accept(p, T_ASSIGN))
		n->u.var.init = p4p_expression(p);
	else if (is_const)
		p4p_expected(p, "'='", "the constant's name");
	return n;
}

/* Tentative head of a for-in loop: optAnnotations typeRef name IN */
static struct p4_node *try_for_in_head(struct parser *p, void *arg)
{
	(void)arg;
	struct p4_list annos = p4p_annotations(p);
	const struct p4_token *t = tok(p);
	struct p4_node *type = p4p_type_ref(p);
	const struct p4_token *nt = p4p_name_tok(p, "a name");
	if (!is(p, T_KW_IN))
		longjmp(*p->jb, 1);
	advance(p);
	struct p4_node *v = p4p_node(p, P4_DECL_VAR, t);
	v->annos = annos;
	v->u.var.type = type;
	v->name = nt->name;
	return v;
}

/* forStatement: optAnnotations FOR '(' [forInit (',' forInit)*] ';' expression ';'
 *                   [assignOrCall (',' assignOrCall)*] ')' statement
 *             | optAnnotations FOR '(' optAnnotations typeRef name IN expression
 *                   ['..' expression] ')' statement
 * forInit: optAnnotations typeRef name ['=' expression] | assignOrCall */
static struct p4_node *for_statement(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	size_t ntp = p->ntparams;
	struct p4_node *n;

	advance(p);
	p4p_expect(p, T_LPAREN, "'for'");
	struct p4_node *var = p4p_speculate(p, try_for_in_head, NULL);
	if (var) {
		n = p4p_node(p, P4_STMT_FOR_IN, t);
		n->u.forin.var = var;
		p4p_declare_local(p, var->name);
		struct p4_node *c = p4p_expression(p);
		if (is(p, T_RANGE)) {
			struct p4_node *r = p4p_node(p, P4_EXPR_BINARY, tok(p));
			advance(p);
			r->u.binary.op = P4_BIN_RANGE;
			r->u.binary.lhs = c;
			r->u.binary.rhs = p4p_expression(p);
			c = r;
		}
		n->u.forin.collection = c;
		p4p_expect(p, T_RPAREN, "the collection of a for loop");
	} else {
		struct vec init = { 0 }, update = { 0 };
		n = p4p_node(p, P4_STMT_FOR, t);
		if (!is(p, T_SEMI)) {
			do {
				if (is(p, T_AT) || p4p_starts_type(p)) {
					struct p4_list a = p4p_annotations(p);
					const struct p4_token *s = tok(p);
					struct p4_node *type = p4p_type_ref(p);
					p4p_vec_push(p, &init, variable_rest(p, a, false, type, s));
				} else {
					p4p_vec_push(p, &init, assign_or_call(p));
				}
			} while (accept(p, T_COMMA));
		}
		p4p_expect(p, T_SEMI, "the initialization of a for loop");
		n->u.forloop.cond = p4p_expression(p);
		p4p_expect(p, T_SEMI, "the condition of a for loop");
		if (!is(p, T_RPAREN)) {
			do
				p4p_vec_push(p, &update, assign_or_call(p));
			while (accept(p, T_COMMA));
		}
		p4p_expect(p, T_RPAREN, "the updates of a for loop");
		n->u.forloop.init = p4p_vec_list(p, &init);
		n->u.forloop.update = p4p_vec_list(p, &update);
	}
	n->annos = annos;
	struct p4_node *body = statement(p);
	if (n->kind == P4_STMT_FOR)
		n->u.forloop.body = body;
	else
		n->u.forin.body = body;
	p->ntparams = ntp;
	return n;
}

/* functionDeclaration: typeOrVoid name optTypeParameters '(' parameterList ')' blockStatement
 * (also the abstract method implementations in an instance's initializer) */
static struct p4_node *function_body_decl(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	size_t ntp = p->ntparams;
	struct p4_node *n = p4p_node(p, P4_DECL_FUNCTION, t);
	n->annos = annos;
	n->u.fn.ret = p4p_type_or_void(p);
	n->name = p4p_name_tok(p, "a function name")->name;
	n->u.fn.tparams = p4p_type_params(p);
	p4p_push_tparams(p, &n->u.fn.tparams);
	n->u.fn.params = parameter_list(p);
	p4p_push_params(p, &n->u.fn.params);
	struct p4_list none = { 0 };
	n->u.fn.body = block_statement(p, none);
	p->ntparams = ntp;
	return n;
}

/* actionDeclaration: optAnnotations ACTION name '(' parameterList ')' blockStatement */
static struct p4_node *action_declaration(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = p4p_node(p, P4_DECL_ACTION, t);
	advance(p);
	n->annos = annos;
	n->name = p4p_name_tok(p, "an action name")->name;
	size_t ntp = p->ntparams;
	n->u.fn.params = parameter_list(p);
	p4p_push_params(p, &n->u.fn.params);
	struct p4_list none = { 0 };
	n->u.fn.body = block_statement(p, none);
	p->ntparams = ntp;
	p4p_declare_local(p, n->name);
	return n;
}

/* actionRef: ['.'] name ['(' argumentList ')'] */
static struct p4_node *action_ref(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = p4p_node(p, P4_ACTION_REF, t);
	struct p4_node *name = p4p_node(p, P4_EXPR_NAME, t);
	n->annos = annos;
	if (accept(p, T_DOT))
		name->u.ident.global = true;
	name->name = p4p_name_tok(p, "an action name")->name;
	n->name = name->name;
	n->u.aref.action = name;
	if (accept(p, T_LPAREN)) {
		n->u.aref.args = p4p_argument_list(p);
		n->u.aref.has_args = true;
	}
	return n;
}

/* entry: [CONST] [PRIORITY '=' expression ':'] keysetExpression ':' actionRef
 *        optAnnotations ';' */
static struct p4_node *table_entry(struct parser *p)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = p4p_node(p, P4_ENTRY, t);
	n->u.entry.is_const = accept(p, T_KW_CONST);
	if (is(p, T_KW_PRIORITY) && peek(p, 1)->kind == T_ASSIGN) {
		advance(p);
		advance(p);
		n->u.entry.priority = p4p_expression(p);
		p4p_expect(p, T_COLON, "the entry priority");
	}
	n->u.entry.keyset = p4p_keyset(p);
	p4p_expect(p, T_COLON, "the entry's keys");
	struct p4_list none = { 0 };
	n->u.entry.action = action_ref(p, none);
	n->annos = p4p_annotations(p);
	p4p_expect(p, T_SEMI, "the entry");
	return n;
}

/* tableProperty: KEY '=' '{' (expression ':' name optAnnotations ';')* '}'
 *              | ACTIONS '=' '{' (optAnnotations actionRef ';')* '}'
 *              | optAnnotations [CONST] ENTRIES '=' '{' entry* '}'
 *              | optAnnotations [CONST] name '=' initializer ';' */
static struct p4_node *table_property(struct parser *p)
{
	struct p4_list annos = p4p_annotations(p);
	const struct p4_token *t = tok(p);
	bool is_const = accept(p, T_KW_CONST);
	const struct p4_token *nt = tok(p);
	struct vec v = { 0 };
	struct p4_node *n;

	if (nt->kind == T_KW_KEY || nt->kind == T_KW_ACTIONS || nt->kind == T_KW_ENTRIES) {
		n = p4p_node(p, nt->kind == T_KW_KEY ? P4_PROP_KEY :
			    nt->kind == T_KW_ACTIONS ? P4_PROP_ACTIONS : P4_PROP_ENTRIES, t);
		n->name = nt->name;
		advance(p);
		char what[64];
		snprintf(what, sizeof(what), "'%s'", nt->name);
		p4p_expect(p, T_ASSIGN, what);
		snprintf(what, sizeof(what), "'%s ='", nt->name);
		p4p_expect(p, T_LBRACE, what);
		while (!is(p, T_RBRACE)) {
			if (is(p, T_EOF))
				p4p_expected(p, "'}'", what);
			if (nt->kind == T_KW_KEY) {
				const struct p4_token *k = tok(p);
				struct p4_node *ke = p4p_node(p, P4_KEY_ELEM, k);
				ke->u.key.expr = p4p_expression(p);
				p4p_expect(p, T_COLON, "the key expression");
				const struct p4_token *mk = p4p_name_tok(p, "a match kind");
				ke->u.key.match_kind = p4p_node(p, P4_EXPR_NAME, mk);
				ke->u.key.match_kind->name = mk->name;
				ke->annos = p4p_annotations(p);
				p4p_expect(p, T_SEMI, "the key element");
				p4p_vec_push(p, &v, ke);
			} else if (nt->kind == T_KW_ACTIONS) {
				struct p4_list a = p4p_annotations(p);
				p4p_vec_push(p, &v, action_ref(p, a));
				p4p_expect(p, T_SEMI, "the action reference");
			} else {
				p4p_vec_push(p, &v, table_entry(p));
			}
		}
		advance(p);
		n->u.prop.items = p4p_vec_list(p, &v);
	} else {
		n = p4p_node(p, P4_PROP_VALUE, t);
		n->name = p4p_name_tok(p, "a table property name")->name;
		char what[160];
		snprintf(what, sizeof(what), "the table property '%s'", n->name);
		p4p_expect(p, T_ASSIGN, what);
		n->u.prop.value = p4p_expression(p);
		p4p_expect(p, T_SEMI, what);
	}
	n->annos = annos;
	n->u.prop.is_const = is_const;
	return n;
}

/* tableDeclaration: optAnnotations TABLE name '{' tableProperty* '}' */
static struct p4_node *table_declaration(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = p4p_node(p, P4_DECL_TABLE, t);
	struct vec v = { 0 };
	advance(p);
	n->annos = annos;
	n->name = p4p_name_tok(p, "a table name")->name;
	p4p_declare_local(p, n->name);
	p4p_expect(p, T_LBRACE, "the table name");
	while (!is(p, T_RBRACE)) {
		if (is(p, T_EOF))
			p4p_expected(p, "'}'", "the table properties");
		p4p_vec_push(p, &v, table_property(p));
	}
	advance(p);
	n->u.table.props = p4p_vec_list(p, &v);
	return n;
}

/* valueSetDeclaration: optAnnotations VALUE_SET '<' typeArg '>' '(' expression ')' name ';' */
static struct p4_node *value_set_declaration(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = p4p_node(p, P4_DECL_VALUE_SET, t);
	advance(p);
	n->annos = annos;
	p4p_expect(p, T_LT, "'value_set'");
	n->u.vset.type = p4p_type_ref(p);
	p4p_expect(p, T_GT, "the value_set element type");
	p4p_expect(p, T_LPAREN, "'value_set<...>'");
	n->u.vset.size = p4p_expression(p);
	p4p_expect(p, T_RPAREN, "the value_set size");
	n->name = p4p_name_tok(p, "a value_set name")->name;
	p4p_declare_local(p, n->name);
	p4p_expect(p, T_SEMI, "the value_set declaration");
	return n;
}

/* selectExpression: SELECT '(' expressionList ')' '{' selectCase* '}'
 * selectCase: keysetExpression ':' name ';' */
static struct p4_node *select_expression(struct parser *p)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = p4p_node(p, P4_EXPR_SELECT, t);
	struct vec ex = { 0 }, cases = { 0 };
	advance(p);
	p4p_expect(p, T_LPAREN, "'select'");
	if (!is(p, T_RPAREN))
		do
			p4p_vec_push(p, &ex, p4p_expression(p));
		while (accept(p, T_COMMA));
	p4p_expect(p, T_RPAREN, "the select expressions");
	p4p_expect(p, T_LBRACE, "'select (...)'");
	while (!is(p, T_RBRACE)) {
		if (is(p, T_EOF))
			p4p_expected(p, "'}'", "the select cases");
		const struct p4_token *c = tok(p);
		struct p4_node *sc = p4p_node(p, P4_SELECT_CASE, c);
		sc->annos = p4p_annotations(p);
		sc->u.selcase.keyset = p4p_keyset(p);
		p4p_expect(p, T_COLON, "the keyset");
		const struct p4_token *st = p4p_name_tok(p, "a state name");
		sc->u.selcase.state = p4p_node(p, P4_EXPR_NAME, st);
		sc->u.selcase.state->name = st->name;
		p4p_expect(p, T_SEMI, "the select case");
		p4p_vec_push(p, &cases, sc);
	}
	advance(p);
	n->u.select.exprs = p4p_vec_list(p, &ex);
	n->u.select.cases = p4p_vec_list(p, &cases);
	return n;
}

/* parserState: optAnnotations STATE name '{' parserStatement* [transitionStatement] '}'
 * transitionStatement: TRANSITION (name ';' | selectExpression) */
static struct p4_node *parser_state(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = p4p_node(p, P4_PARSER_STATE, t);
	struct vec v = { 0 };
	size_t ntp = p->ntparams;
	advance(p);
	n->annos = annos;
	n->name = p4p_name_tok(p, "a state name")->name;
	p4p_expect(p, T_LBRACE, "the state name");
	while (!is(p, T_RBRACE)) {
		const struct p4_token *s = tok(p);
		if (s->kind == T_EOF)
			p4p_fail_at(p, &t->loc, "unterminated state '%s': missing '}'", n->name);
		if (s->kind == T_KW_TRANSITION) {
			struct p4_node *tr = p4p_node(p, P4_STMT_TRANSITION, s);
			advance(p);
			if (is(p, T_KW_SELECT)) {
				tr->u.trans.target = select_expression(p);
			} else {
				const struct p4_token *st = p4p_name_tok(p, "a state name or 'select'");
				tr->u.trans.target = p4p_node(p, P4_EXPR_NAME, st);
				tr->u.trans.target->name = st->name;
				p4p_expect(p, T_SEMI, "the transition");
			}
			n->u.state.transition = tr;
			if (!is(p, T_RBRACE))
				p4p_expected(p, "'}'", "the transition (it must be the last statement of a state)");
			break;
		}
		p4p_vec_push(p, &v, stat_or_decl(p));
	}
	advance(p);
	n->u.state.stmts = p4p_vec_list(p, &v);
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
	struct p4_node *n = p4p_node(p, is_parser ? P4_DECL_PARSER_TYPE : P4_DECL_CONTROL_TYPE, t);
	size_t ntp = p->ntparams;
	advance(p);
	n->annos = annos;
	n->name = p4p_name_tok(p, is_parser ? "a parser name" : "a control name")->name;
	p4p_declare_type(p, n->name);
	n->u.blk.tparams = p4p_type_params(p);
	p4p_push_tparams(p, &n->u.blk.tparams);
	n->u.blk.params = parameter_list(p);
	if (accept(p, T_SEMI)) {
		p->ntparams = ntp;
		return n;
	}
	n->kind = is_parser ? P4_DECL_PARSER : P4_DECL_CONTROL;
	if (is(p, T_LPAREN))
		n->u.blk.ctor_params = parameter_list(p);
	p4p_push_params(p, &n->u.blk.params);
	p4p_push_params(p, &n->u.blk.ctor_params);
	if (!is(p, T_LBRACE))
		p4p_expected(p, "';' or '{'", is_parser ? "the parser's parameters" : "the control's parameters");
	advance(p);
	struct vec locals = { 0 }, states = { 0 };
	for (;;) {
		if (is(p, T_EOF))
			p4p_fail_at(p, &t->loc, "unterminated %s '%s': missing '}'",
				is_parser ? "parser" : "control", n->name);
		if (is(p, T_RBRACE) && is_parser)
			break;
		if (is(p, T_RBRACE))
			p4p_fail_at(p, &tok(p)->loc, "control '%s' has no apply block", n->name);
		struct p4_list a = p4p_annotations(p);
		const struct p4_token *s = tok(p);
		if (is_parser && s->kind == T_KW_STATE) {
			p4p_vec_push(p, &states, parser_state(p, a));
		} else if (is_parser && states.n) {
			char buf[64];
			p4p_fail_at(p, &s->loc, "expected 'state' or '}' before %s", p4p_describe(s, buf, sizeof(buf)));
		} else if (!is_parser && s->kind == T_KW_APPLY && peek(p, 1)->kind == T_LBRACE) {
			advance(p);
			struct p4_list none = { 0 };
			n->u.blk.body = block_statement(p, none);
			n->u.blk.body->annos = a;
			if (!is(p, T_RBRACE))
				p4p_expected(p, "'}'", "the apply block (it must come last in a control)");
			break;
		} else if (!is_parser && s->kind == T_KW_ACTION) {
			p4p_vec_push(p, &locals, action_declaration(p, a));
		} else if (!is_parser && s->kind == T_KW_TABLE) {
			p4p_vec_push(p, &locals, table_declaration(p, a));
		} else if (is_parser && s->kind == T_KW_VALUE_SET) {
			p4p_vec_push(p, &locals, value_set_declaration(p, a));
		} else {
			p4p_vec_push(p, &locals, local_declaration(p, a, true));
		}
	}
	advance(p);
	n->u.blk.locals = p4p_vec_list(p, &locals);
	n->u.blk.states = p4p_vec_list(p, &states);
	p->ntparams = ntp;
	return n;
}

/* packageTypeDeclaration: optAnnotations PACKAGE name optTypeParameters
 *                         '(' parameterList ')' ';' */
static struct p4_node *package_declaration(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = p4p_node(p, P4_DECL_PACKAGE, t);
	size_t ntp = p->ntparams;
	advance(p);
	n->annos = annos;
	n->name = p4p_name_tok(p, "a package name")->name;
	p4p_declare_type(p, n->name);
	n->u.blk.tparams = p4p_type_params(p);
	p4p_push_tparams(p, &n->u.blk.tparams);
	n->u.blk.params = parameter_list(p);
	p4p_expect(p, T_SEMI, "the package declaration");
	p->ntparams = ntp;
	return n;
}

/* functionPrototype: typeOrVoid name optTypeParameters '(' parameterList ')' */
static struct p4_node *function_prototype(struct parser *p, enum p4_kind kind,
					  struct p4_list annos, const struct p4_token *start)
{
	struct p4_node *n = p4p_node(p, kind, start);
	size_t ntp = p->ntparams;
	n->annos = annos;
	n->u.fn.ret = p4p_type_or_void(p);
	n->name = p4p_name_tok(p, "a function name")->name;
	n->u.fn.tparams = p4p_type_params(p);
	p4p_push_tparams(p, &n->u.fn.tparams);
	n->u.fn.params = parameter_list(p);
	p->ntparams = ntp;
	return n;
}

/* Tentative `name optTypeParameters '{'` of an extern object. */
static struct p4_node *try_extern_object(struct parser *p, void *arg)
{
	(void)arg;
	const struct p4_token *t = p4p_name_tok(p, "a name");
	struct p4_node *n = p4p_node(p, P4_DECL_EXTERN, t);
	n->name = t->name;
	n->u.ext.tparams = p4p_type_params(p);
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
	struct p4_node *n = is_name(tok(p)) ? p4p_speculate(p, try_extern_object, NULL) : NULL;
	if (!n) {
		n = function_prototype(p, P4_DECL_EXTERN_FUNC, annos, t);
		char what[160];
		snprintf(what, sizeof(what), "the declaration of extern function '%s'", n->name);
		p4p_expect(p, T_SEMI, what);
		return n;
	}
	size_t ntp = p->ntparams;
	struct vec v = { 0 };
	n->loc = t->loc;
	n->annos = annos;
	p4p_declare_type(p, n->name);
	p4p_push_tparams(p, &n->u.ext.tparams);
	advance(p);   /* '{' */
	while (!is(p, T_RBRACE)) {
		if (is(p, T_EOF))
			p4p_fail_at(p, &t->loc, "unterminated extern '%s': missing '}'", n->name);
		struct p4_list a = p4p_annotations(p);
		const struct p4_token *m = tok(p);
		struct p4_node *meth;
		if (m->name == n->name && peek(p, 1)->kind == T_LPAREN) {
			advance(p);
			meth = p4p_node(p, P4_DECL_METHOD, m);
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
		p4p_expect(p, T_SEMI, what);
		p4p_vec_push(p, &v, meth);
	}
	advance(p);
	n->u.ext.methods = p4p_vec_list(p, &v);
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
	struct p4_node *n = p4p_node(p, kind, t);
	size_t ntp = p->ntparams;
	struct vec v = { 0 };
	advance(p);
	n->annos = annos;
	n->name = p4p_name_tok(p, "a type name")->name;
	p4p_declare_type(p, n->name);
	n->u.agg.tparams = p4p_type_params(p);
	p4p_push_tparams(p, &n->u.agg.tparams);
	p4p_expect(p, T_LBRACE, "the type name");
	while (!is(p, T_RBRACE)) {
		if (is(p, T_EOF))
			p4p_fail_at(p, &t->loc, "unterminated declaration of '%s': missing '}'", n->name);
		struct p4_list a = p4p_annotations(p);
		const struct p4_token *f = tok(p);
		struct p4_node *fld = p4p_node(p, P4_FIELD, f);
		fld->annos = a;
		fld->u.field.type = p4p_type_ref(p);
		fld->name = p4p_name_tok(p, "a field name")->name;
		char what[160];
		snprintf(what, sizeof(what), "the field '%s'", fld->name);
		p4p_expect(p, T_SEMI, what);
		p4p_vec_push(p, &v, fld);
	}
	advance(p);
	n->u.agg.fields = p4p_vec_list(p, &v);
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
	struct p4_node *n = p4p_node(p, kind, t);
	struct vec v = { 0 };
	advance(p);
	n->annos = annos;
	if (kind == P4_DECL_ENUM) {
		if (!(is_name(tok(p)) && peek(p, 1)->kind == T_LBRACE))
			n->u.enm.type = p4p_type_ref(p);
		n->name = p4p_name_tok(p, "an enum name")->name;
		p4p_declare_type(p, n->name);
	}
	char what[64];
	snprintf(what, sizeof(what), "'%s'", kind == P4_DECL_ENUM ? n->name : t->name);
	p4p_expect(p, T_LBRACE, what);
	do {
		if (is(p, T_RBRACE) && v.n)
			break;   /* a trailing comma */
		struct p4_list a = p4p_annotations(p);
		const struct p4_token *m = p4p_name_tok(p, "a member name");
		struct p4_node *mem = p4p_node(p, P4_ENUM_MEMBER, m);
		mem->annos = a;
		mem->name = m->name;
		if (is(p, T_ASSIGN)) {
			if (!n->u.enm.type)
				p4p_fail_at(p, &tok(p)->loc, "only an enum with an underlying type (enum bit<N> E) may give its members values");
			advance(p);
			mem->u.member.value = p4p_expression(p);
		} else if (n->u.enm.type) {
			p4p_expected(p, "'='", "the member of an enum with an underlying type");
		}
		p4p_vec_push(p, &v, mem);
	} while (accept(p, T_COMMA));
	p4p_expect(p, T_RBRACE, "the members");
	n->u.enm.members = p4p_vec_list(p, &v);
	return n;
}

/* typedefDeclaration: optAnnotations TYPEDEF (typeRef | derivedTypeDeclaration) name ';'
 *                   | optAnnotations TYPE typeRef name ';' */
static struct p4_node *typedef_declaration(struct parser *p, struct p4_list annos)
{
	const struct p4_token *t = tok(p);
	struct p4_node *n = p4p_node(p, t->kind == T_KW_TYPEDEF ? P4_DECL_TYPEDEF : P4_DECL_NEWTYPE, t);
	advance(p);
	n->annos = annos;
	int k = tok(p)->kind;
	struct p4_list none = { 0 };
	if (t->kind == T_KW_TYPEDEF && (k == T_KW_HEADER || k == T_KW_STRUCT || k == T_KW_HEADER_UNION))
		n->u.tdef.type = aggregate_declaration(p, none);
	else if (t->kind == T_KW_TYPEDEF && k == T_KW_ENUM)
		n->u.tdef.type = enum_like_declaration(p, none);
	else
		n->u.tdef.type = p4p_type_ref(p);
	n->name = p4p_name_tok(p, "a type name")->name;
	p4p_declare_type(p, n->name);
	char what[160];
	snprintf(what, sizeof(what), "the declaration of '%s'", n->name);
	p4p_expect(p, T_SEMI, what);
	return n;
}

/* declaration: constantDeclaration | externDeclaration | actionDeclaration
 *            | parserDeclaration | controlDeclaration | typeDeclaration
 *            | errorDeclaration | matchKindDeclaration | instantiation
 *            | functionDeclaration */
static struct p4_node *declaration(struct parser *p)
{
	struct p4_list annos = p4p_annotations(p);
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
		p4p_fail_at(p, &t->loc, "a table must be declared inside a control");
	case T_KW_STATE:
		p4p_fail_at(p, &t->loc, "a parser state must be declared inside a parser");
	case T_KW_VALUE_SET:
		p4p_fail_at(p, &t->loc, "a value_set must be declared inside a parser");
	default:
		break;
	}
	if (!p4p_starts_type(p) && t->kind != T_KW_VOID && !is_name(t) && t->kind != T_DOT)
		p4p_fail_at(p, &t->loc, "expected a declaration before %s", p4p_describe(t, buf, sizeof(buf)));
	/* instantiation or function: both begin with a type */
	size_t start = p->i;
	struct p4_node *type = p4p_type_or_void(p);
	if (is(p, T_LPAREN) && type->kind != P4_TYPE_VOID)
		return instantiation_rest(p, type, annos, t);
	if (is_name(tok(p)) && peek(p, 1)->kind != T_SEMI && peek(p, 1)->kind != T_ASSIGN) {
		p->i = start;
		return function_body_decl(p, annos);
	}
	if (is_name(tok(p)))
		p4p_fail_at(p, &t->loc, "a variable cannot be declared at the top level; use 'const'");
	p4p_expected(p, "'(' (an instantiation) or a name (a function)", NULL);
}

/* After a syntax error in the top-level declaration that began at token
 * start: skip to its end, the ';' or closing '}' at brace depth 0 past the
 * token where the error was found, so the next declaration gets parsed. */
static void skip_declaration(struct parser *p, size_t start)
{
	size_t err_at = p->i, i = start;
	int depth = 0;

	for (; p->t[i].kind != T_EOF; i++) {
		int k = p->t[i].kind;
		if (k == T_LBRACE) {
			depth++;
		} else if (k == T_RBRACE) {
			if (depth > 0)
				depth--;
			if (depth == 0 && i >= err_at) {
				i++;
				break;
			}
		} else if (k == T_SEMI && depth == 0 && i >= err_at) {
			i++;
			break;
		}
	}
	p->i = i;
}

enum { MAX_ERRORS = 20 };

/* p4program: (declaration | ';')* EOF
 * Reports up to MAX_ERRORS syntax errors, one per declaration. */
int p4_parse_tokens(struct p4_fe *fe, const struct p4_token *toks, size_t n,
		    struct p4_list *decls)
{
	struct parser p = { .fe = fe, .t = toks, .n = n };
	struct parser *volatile pp = &p;
	jmp_buf jb;
	struct vec v = { 0 };
	struct vec *volatile vp = &v;
	volatile size_t start = 0;
	volatile int errors = 0;

	p.jb = &jb;
	if (setjmp(jb)) {
		if (fe->oom)
			return -ENOMEM;
		if (++errors >= MAX_ERRORS)
			return -EINVAL;
		skip_declaration(pp, start);
		pp->depth = 0;
		pp->ntparams = 0;
		pp->speculating = 0;
	}
	while (!is(pp, T_EOF)) {
		start = pp->i;
		if (accept(pp, T_SEMI))
			continue;   /* an empty declaration */
		p4p_vec_push(pp, vp, declaration(pp));
	}
	if (errors)
		return -EINVAL;
	*decls = p4p_vec_list(pp, vp);
	return 0;
}
