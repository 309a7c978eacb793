/* ast.c - names of node kinds and operators (ast.h). */
#include "ast.h"

static const char *const kind_names[] = {
#define X(n, s) s,
	P4_NODE_KINDS(X)
#undef X
};

static const char *const unop_strs[] = {
#define X(n, s) s,
	P4_UNOPS(X)
#undef X
};

static const char *const binop_strs[] = {
#define X(n, s) s,
	P4_BINOPS(X)
#undef X
};

const char *p4_kind_name(enum p4_kind k)
{
	return (unsigned)k < P4_KIND_COUNT ? kind_names[k] : "?";
}

const char *p4_unop_str(enum p4_unop op)
{
	return (unsigned)op < sizeof(unop_strs) / sizeof(*unop_strs) ? unop_strs[op] : "?";
}

const char *p4_binop_str(enum p4_binop op)
{
	return (unsigned)op < sizeof(binop_strs) / sizeof(*binop_strs) ? binop_strs[op] : "?";
}

const struct p4_loc *p4_node_start(const struct p4_node *n)
{
	for (;;) {
		const struct p4_node *in = NULL;
		switch (n->kind) {
		case P4_EXPR_MEMBER: in = n->u.mem.base; break;
		case P4_EXPR_INDEX: in = n->u.index.base; break;
		case P4_EXPR_SLICE: in = n->u.slice.base; break;
		case P4_EXPR_SLICE_PLUS: in = n->u.splus.base; break;
		case P4_EXPR_CALL: in = n->u.call.callee; break;
		case P4_EXPR_BINARY: in = n->u.binary.lhs; break;
		case P4_EXPR_COND: in = n->u.cond.cond; break;
		default: break;
		}
		/* a parenthesised operand starts before its own first token */
		if (!in || in->loc.file != n->loc.file || in->loc.line > n->loc.line ||
		    (in->loc.line == n->loc.line && in->loc.col > n->loc.col))
			return &n->loc;
		n = in;
	}
}
