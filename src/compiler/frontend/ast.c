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
