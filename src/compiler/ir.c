/* ir.c - constructors and look-ups for the lowered program (ir.h). */
#include "ir.h"

#include <string.h>

const char *p4c_ir_match_name(enum p4c_ir_match m)
{
	static const char *const names[] = {
#define X(e, s) s,
		P4C_IR_MATCH_KINDS(X)
#undef X
	};
	return names[m];
}

struct p4c_ir_expr *p4c_ir_kind(struct p4l_arena *a, enum p4c_ir_ek kind, const char *name)
{
	struct p4c_ir_expr *e = p4l_arena_alloc(a, sizeof(*e));
	if (e) {
		e->kind = kind;
		e->hdr = name;
	}
	return e;
}

struct p4c_ir_expr *p4c_ir_field(struct p4l_arena *a, const char *hdr,
				 const char *field, int width)
{
	struct p4c_ir_expr *e = p4c_ir_kind(a, P4C_IRE_FIELD, hdr);
	if (e) {
		e->field = field;
		e->width = width;
	}
	return e;
}

struct p4c_ir_expr *p4c_ir_const(struct p4l_arena *a, const struct p4c_num *v, int width)
{
	struct p4c_ir_expr *e = p4c_ir_kind(a, P4C_IRE_CONST, NULL);
	if (e) {
		e->num = *v;
		e->width = width;
	}
	return e;
}

struct p4c_ir_expr *p4c_ir_const_u64(struct p4l_arena *a, uint64_t v, int width)
{
	struct p4c_num n;
	p4c_num_from_u64(&n, v);
	return p4c_ir_const(a, &n, width);
}

struct p4c_ir_expr *p4c_ir_bool(struct p4l_arena *a, bool b)
{
	struct p4c_ir_expr *e = p4c_ir_kind(a, P4C_IRE_BOOL, NULL);
	if (e) {
		e->b = b;
		e->is_bool = true;
	}
	return e;
}

struct p4c_ir_expr *p4c_ir_op(struct p4l_arena *a, const char *op,
			      struct p4c_ir_expr *l, struct p4c_ir_expr *r,
			      int width, bool is_bool)
{
	struct p4c_ir_expr *e = p4c_ir_kind(a, P4C_IRE_OP, NULL);
	if (e) {
		e->op = op;
		e->l = l;
		e->r = r;
		e->width = width;
		e->is_bool = is_bool;
	}
	return e;
}

int p4c_ir_find_htype(const struct p4c_ir_program *p, const char *name)
{
	for (int i = 0; i < p->htypes.n; i++)
		if (!strcmp(p->htypes.v[i].name, name))
			return i;
	return -1;
}

int p4c_ir_find_header(const struct p4c_ir_program *p, const char *name)
{
	for (int i = 0; i < p->headers.n; i++)
		if (!strcmp(p->headers.v[i].name, name))
			return i;
	return -1;
}
