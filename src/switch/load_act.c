/* load_act.c - the actions part of the BMv2 JSON loader (load.h):
 * expressions into the plan's expression pool, primitives into compact
 * instructions, and the "actions" list.  Called by sw_plan_load() (load.c);
 * the parser's operations (load.c) go through ld_primitive, ld_emit_arith
 * and ld_expr as well. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

/* ---- constants ---------------------------------------------------------- */

/* Number of significant bits of a hexstr's magnitude. */
static uint32_t hex_bits(const char *s)
{
	uint8_t buf[256];
	bool neg;
	if (ld_hex_bytes(s, buf, sizeof(buf), &neg) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(buf); i++)
		if (buf[i])
			return (uint32_t)((sizeof(buf) - i) * 8 - (size_t)__builtin_clz(buf[i]) + 24);
	return 1;
}

static int hex_u64(struct ld *ld, const char *s, const char *where, uint64_t *v)
{
	uint8_t b[8];
	bool neg;
	int r = ld_hex_bytes(s, b, 8, &neg);
	if (r == -EINVAL)
		return ld_fail(ld, where, "\"%s\" is not a hex string", s);
	if (r == -ERANGE)
		return ld_fail(ld, where, "constant %s is wider than 64 bits here", s);
	*v = 0;
	for (int i = 0; i < 8; i++)
		*v = (*v << 8) | b[i];
	if (neg)
		*v = -*v;
	return 0;
}

/* ---- expressions -------------------------------------------------------- */

static int param_ref(struct ld *ld, const struct sw_action *act, json_t *v, const char *where,
		     struct sw_fref *f)
{
	if (!act)
		return ld_fail(ld, where, "action data used outside an action");
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (size_t)json_integer_value(v) >= act->n_params)
		return ld_fail(ld, where, "action \"%s\" has no parameter %lld", act->name,
			    (long long)json_integer_value(v));
	const struct sw_param *pa = &act->params[json_integer_value(v)];
	uint32_t nb = (pa->width + 7) / 8;
	*f = (struct sw_fref){ pa->off * 8 + nb * 8 - pa->width, pa->width, 0 };
	return 0;
}

/* Width of a leaf operand, 0 if not a leaf (or unknown). */
static uint32_t leaf_width(struct ld *ld, const struct sw_action *act, json_t *tv)
{
	tv = ld_unwrap(tv);
	const char *t = ld_tv_type(tv);
	json_t *v = json_object_get(tv, "value");
	struct sw_fref f;
	bool isv;
	struct p4l_err *save = ld->err;
	uint32_t w = 0;
	ld->err = NULL;
	if (!strcmp(t, "field") && !ld_field_ref(ld, v, "", &f, &isv))
		w = f.width;
	else if ((!strcmp(t, "runtime_data") || !strcmp(t, "local")) && !param_ref(ld, act, v, "", &f))
		w = f.width;
	else if (!strcmp(t, "hexstr") && json_is_string(v))
		w = hex_bits(json_string_value(v));
	ld->err = save;
	return w;
}

/* A leaf operand of any width as a wide operand. */
static int wide_leaf(struct ld *ld, const struct sw_action *act, json_t *tv, uint32_t width,
		     const char *where, struct sw_wide *w)
{
	tv = ld_unwrap(tv);
	const char *t = ld_tv_type(tv);
	json_t *v = json_object_get(tv, "value");
	struct sw_fref f;
	bool isv;
	int r;
	if (!strcmp(t, "field")) {
		if ((r = ld_field_ref(ld, v, where, &f, &isv)))
			return r;
		if (isv)
			return ld_fail(ld, where, "$valid$ cannot be used here");
		*w = (struct sw_wide){ SW_SRC_PHV, f.bit, f.width };
		return 0;
	}
	if (!strcmp(t, "runtime_data") || !strcmp(t, "local")) {
		if ((r = param_ref(ld, act, v, where, &f)))
			return r;
		*w = (struct sw_wide){ SW_SRC_ARGS, f.bit, f.width };
		return 0;
	}
	if (!strcmp(t, "hexstr") && json_is_string(v)) {
		uint32_t off, nb = (width + 7) / 8;
		if ((r = ld_pool_hex(ld, json_string_value(v), nb, where, &off)))
			return r;
		*w = (struct sw_wide){ SW_SRC_CONST, off * 8 + nb * 8 - width, width };
		return 0;
	}
	return ld_fail(ld, where, "operation on a %u-bit value: values wider than 64 bits "
		    "support only copy, == and !=", width);
}


/* A {"type": "header_stack" or "header_union_stack", "value": NAME}
 * parameter (uni 0 or 1 wants one kind, -1 either): its first member stack
 * in *first, their number (1 for a header stack) in *n. */
static int stack_param(struct ld *ld, json_t *tv, int uni, const char *where, uint32_t *first,
		       uint32_t *n)
{
	json_t *v = json_object_get(tv, "value");
	if (uni != 1 && !strcmp(ld_tv_type(tv), "header_stack")) {
		int st = ld_find_stack(ld->p, v);
		if (st < 0)
			return ld_fail(ld, where, "no header stack named \"%s\"",
				       json_is_string(v) ? json_string_value(v) : "?");
		*first = (uint32_t)st;
		*n = 1;
		return 0;
	}
	if (uni != 0 && !strcmp(ld_tv_type(tv), "header_union_stack")) {
		int u = ld_find_ustack(ld->p, v);
		if (u < 0)
			return ld_fail(ld, where, "no header union stack named \"%s\"",
				       json_is_string(v) ? json_string_value(v) : "?");
		*first = ld->p->ustacks[u].first;
		*n = ld->p->ustacks[u].n;
		return 0;
	}
	return ld_fail(ld, where, "expected a %s", uni < 0 ? "header stack or header union stack" :
		       uni ? "header union stack" : "header stack");
}

/* {"op": "dereference_header_stack", "left": stack, "right": index}, or a
 * member of a union stack's element, {"op": "access_union_header", "left":
 * {"op": "dereference_union_stack", "left": union stack, "right": index},
 * "right": member number}: the (member) stack and the index expression
 * into d->sa. */
static int stack_deref(struct ld *ld, const struct sw_action *act, json_t *e, const char *where,
		       struct sw_expr *d)
{
	char w[W_MAX];
	json_t *op = json_object_get(e, "op"), *L = ld_unwrap(json_object_get(e, "left"));
	const char *o = json_is_string(op) ? json_string_value(op) : "";
	uint32_t member = 0, first, n;
	int r;
	if (!strcmp(o, "access_union_header")) {
		json_t *R = json_object_get(e, "right");
		ld_path(w, "%s.left", where);
		if (strcmp(ld_tv_type(L), "expression"))
			return ld_fail(ld, w, "access_union_header takes a union stack element");
		e = json_object_get(L, "value");
		if (!json_is_integer(R) || json_integer_value(R) < 0)
			return ld_fail(ld, where, "access_union_header needs a member number");
		member = (uint32_t)json_integer_value(R);
		op = json_object_get(e, "op");
		o = json_is_string(op) ? json_string_value(op) : "";
		L = ld_unwrap(json_object_get(e, "left"));
		if (strcmp(o, "dereference_union_stack"))
			return ld_fail(ld, w, "access_union_header takes a union stack element "
				       "(dereference_union_stack)");
	} else if (strcmp(o, "dereference_header_stack")) {
		return ld_fail(ld, where, "expected a header stack element (dereference_header_stack)%s",
			       !strcmp(o, "dereference_union_stack") ?
			       ": a whole union of a union stack cannot be used here" : "");
	}
	ld_path(w, "%s.left", where);
	if ((r = stack_param(ld, L, !strcmp(o, "dereference_union_stack"), w, &first, &n)))
		return r;
	if (member >= n)
		return ld_fail(ld, where, "the union has %u members, not %u", n, member + 1);
	memset(d, 0, sizeof(*d));
	d->sa.stack = first + member;
	ld_path(w, "%s.right", where);
	if ((r = ld_expr(ld, act, json_object_get(e, "right"), w, &d->sa.idx)))
		return r;
	return 0;
}

/* {"op": "access_field", "left": <stack element>, "right": field number}. */
static int stack_access(struct ld *ld, const struct sw_action *act, json_t *e, const char *where,
			struct sw_expr *d)
{
	char w[W_MAX];
	json_t *op = json_object_get(e, "op"), *R = json_object_get(e, "right");
	int r;
	if (!json_is_string(op) || strcmp(json_string_value(op), "access_field"))
		return ld_fail(ld, where, "the destination must be a field");
	ld_path(w, "%s.left", where);
	json_t *L = ld_unwrap(json_object_get(e, "left"));
	if (strcmp(ld_tv_type(L), "expression"))
		return ld_fail(ld, w, "access_field takes a header stack element");
	if ((r = stack_deref(ld, act, json_object_get(L, "value"), w, d)))
		return r;
	const struct sw_header *h = &ld->p->headers[ld->p->stacks[d->sa.stack].hdrs[0]];
	ld_path(w, "%s.right", where);
	if (!json_is_integer(R) || json_integer_value(R) < 0 ||
	    (size_t)json_integer_value(R) >= h->n_fields)
		return ld_fail(ld, w, "access_field needs a field number of %s (0 to %zu)", h->type,
			       h->n_fields - 1);
	const struct sw_field *f = &h->fields[json_integer_value(R)];
	if (f->width > 64)
		return ld_fail(ld, w, "stack fields wider than 64 bits are not supported");
	d->op = SW_E_SACCESS;
	d->sa.bit = f->bit;
	d->sa.width = f->width;
	return 0;
}

/* Whether the field at f is declared signed. */
static bool field_signed(const struct sw_plan *p, const struct sw_fref *f)
{
	const struct sw_header *h = &p->headers[f->hdr];
	for (size_t i = 0; i < h->n_fields; i++)
		if (h->off * 8 + h->fields[i].bit == f->bit)
			return h->fields[i].is_signed;
	return false;
}

/* Whether an expression's value is a signed integer (int<W>): then
 * comparisons and >> are signed, as BMv2 computes on signed fields. */
static bool expr_signed(const struct sw_plan *p, uint32_t i)
{
	const struct sw_expr *e = &p->exprs[i];
	switch (e->op) {
	case SW_E_SFIELD: case SW_E_TCMOD: case SW_E_SCAST:
		return true;
	case SW_E_ADD: case SW_E_SUB: case SW_E_MUL: case SW_E_AND: case SW_E_OR:
	case SW_E_XOR: case SW_E_SHL: case SW_E_SHR: case SW_E_SSHR:
		return expr_signed(p, e->x.a) || (e->op != SW_E_SHL && e->op != SW_E_SHR &&
						  e->op != SW_E_SSHR && expr_signed(p, e->x.b));
	case SW_E_BNOT: case SW_E_NEG:
		return expr_signed(p, e->x.a);
	case SW_E_COND:
		return expr_signed(p, e->x.a) || expr_signed(p, e->x.b);
	default:
		return false;
	}
}

static int expr_op(struct ld *ld, const struct sw_action *act, json_t *e, const char *where,
		   uint32_t *idx)
{
	int r = 0;
	const char *op = ld_str(ld, e, "op", where, &r);
	if (!op)
		return r;
	json_t *L = json_object_get(e, "left"), *R = json_object_get(e, "right");
	bool unary = !L || json_is_null(L);
	char wl[W_MAX], wr[W_MAX], wc[W_MAX];
	ld_path(wl, "%s.left", where);
	ld_path(wr, "%s.right", where);
	ld_path(wc, "%s.cond", where);
	int k = -1;
	for (int i = SW_E_VALID; i < SW_E_COUNT; i++)
		if (sw_expr_names[i][0] && !strcmp(sw_expr_names[i], op)) {
			k = i;
			break;
		}
	if (k == SW_E_SUB && unary)
		k = SW_E_NEG;
	if (k < 0)
		return ld_fail(ld, where, "expression operator \"%s\" is not supported", op);
	struct sw_expr n = { .op = (uint8_t)k };
	if (k == SW_E_LASTIDX || k == SW_E_STACKSIZE) {
		uint32_t st, nm;
		/* a union stack's member stacks share its cursor: the first stands for it */
		if ((r = stack_param(ld, ld_unwrap(R), k == SW_E_LASTIDX ? -1 : 0, wr, &st, &nm)))
			return r;
		n.f = (struct sw_fref){ 0, 32, st };
		return ld_new_expr(ld, n, idx);
	}
	if (k == SW_E_SACCESS) {
		if ((r = stack_access(ld, act, e, where, &n)))
			return r;
		return ld_new_expr(ld, n, idx);
	}
	if (k == SW_E_UVALID) {
		int u = ld_find_union(ld->p, ld_unwrap(R));
		if (u < 0)
			return ld_fail(ld, wr, "\"valid_union\" takes a header union");
		n.f = (struct sw_fref){ 0, 1, (uint32_t)u };
		return ld_new_expr(ld, n, idx);
	}
	if (k == SW_E_VALID && !strcmp(ld_tv_type(ld_unwrap(R)), "expression")) {
		if ((r = stack_deref(ld, act, json_object_get(ld_unwrap(R), "value"), wr, &n)))
			return r;
		n.op = SW_E_SVALID;
		return ld_new_expr(ld, n, idx);
	}
	if (k == SW_E_VALID) {
		R = ld_unwrap(R);
		json_t *hv = json_object_get(R, "value");
		if (strcmp(ld_tv_type(R), "header") || !json_is_string(hv))
			return ld_fail(ld, wr, "\"valid\" takes a header");
		int h = ld_find_header(ld->p, json_string_value(hv));
		if (h < 0)
			return ld_fail(ld, wr, "no header instance named \"%s\"", json_string_value(hv));
		n.op = SW_E_VALIDF;
		n.f = (struct sw_fref){ 0, 1, (uint32_t)h };
		return ld_new_expr(ld, n, idx);
	}
	if (k == SW_E_EQ || k == SW_E_NE) {
		uint32_t lw = unary ? 0 : leaf_width(ld, act, L), rw = leaf_width(ld, act, R);
		uint32_t w = lw > rw ? lw : rw;
		if (w > 64) {
			n.op = k == SW_E_EQ ? SW_E_WEQ : SW_E_WNE;
			if ((r = wide_leaf(ld, act, L, w, wl, &n.w.a)) ||
			    (r = wide_leaf(ld, act, R, w, wr, &n.w.b)))
				return r;
			/* Compare at the wider width: extend the narrower side in place. */
			return ld_new_expr(ld, n, idx);
		}
	}
	bool is_unary = k == SW_E_LNOT || k == SW_E_BNOT || k == SW_E_NEG || k == SW_E_D2B ||
			k == SW_E_B2D;
	if (is_unary) {
		if (!R || json_is_null(R))
			return ld_fail(ld, where, "\"%s\" needs a right operand", op);
		if ((r = ld_expr(ld, act, R, wr, &n.x.a)))
			return r;
		return ld_new_expr(ld, n, idx);
	}
	if (unary)
		return ld_fail(ld, where, "\"%s\" needs a left operand", op);
	if ((r = ld_expr(ld, act, L, wl, &n.x.a)) || (r = ld_expr(ld, act, R, wr, &n.x.b)))
		return r;
	if (k == SW_E_TCMOD || k == SW_E_SCAST || k == SW_E_UCAST) {
		/* the width must be a constant from 1 to 64 */
		const struct sw_expr *wd = &ld->p->exprs[n.x.b];
		if (wd->op != SW_E_CONST || wd->k < 1 || wd->k > 64)
			return ld_fail(ld, wr, "\"%s\" takes a constant width from 1 to 64", op);
	}
	if (expr_signed(ld->p, n.x.a) || (k != SW_E_SHR && expr_signed(ld->p, n.x.b))) {
		static const uint8_t sop[][2] = { { SW_E_GT, SW_E_SGT }, { SW_E_GE, SW_E_SGE },
			{ SW_E_LT, SW_E_SLT }, { SW_E_LE, SW_E_SLE }, { SW_E_SHR, SW_E_SSHR } };
		for (size_t i = 0; i < sizeof(sop) / sizeof(sop[0]); i++)
			if (n.op == sop[i][0]) {
				n.op = sop[i][1];
				break;
			}
	}
	if (k == SW_E_COND) {
		json_t *C = json_object_get(e, "cond");
		if (!C)
			return ld_fail(ld, where, "\"?\" needs a \"cond\"");
		if ((r = ld_expr(ld, act, C, wc, &n.x.c)))
			return r;
	}
	return ld_new_expr(ld, n, idx);
}

int ld_expr(struct ld *ld, const struct sw_action *act, json_t *tv, const char *where,
		uint32_t *idx)
{
	char w[W_MAX];
	tv = ld_unwrap(tv);
	if (!json_is_object(tv))
		return ld_fail(ld, where, "an operand must be an object with \"type\" and \"value\"");
	const char *t = ld_tv_type(tv);
	json_t *v = json_object_get(tv, "value");
	struct sw_expr n = { 0 };
	bool isv;
	int r;
	ld_path(w, "%s.value", where);
	if (!strcmp(t, "expression")) {
		if (!json_is_object(v))
			return ld_fail(ld, where, "\"value\" of an expression must be an object");
		return expr_op(ld, act, v, w, idx);
	}
	if (!strcmp(t, "field")) {
		n.op = SW_E_FIELD;
		if ((r = ld_field_ref(ld, v, w, &n.f, &isv)))
			return r;
		if (isv)
			n.op = SW_E_VALIDF;
		else if (n.f.width > 64)
			return ld_fail(ld, w, "operation on a %u-bit value: values wider than 64 bits "
				    "support only copy, == and !=", n.f.width);
		else if (field_signed(ld->p, &n.f))
			n.op = SW_E_SFIELD;
		return ld_new_expr(ld, n, idx);
	}
	if (!strcmp(t, "stack_field")) {
		n.op = SW_E_STACKF;
		if ((r = ld_stack_field(ld, v, w, &n.f)))
			return r;
		return ld_new_expr(ld, n, idx);
	}
	if (!strcmp(t, "runtime_data") || !strcmp(t, "local")) {
		n.op = SW_E_PARAM;
		if ((r = param_ref(ld, act, v, w, &n.f)))
			return r;
		if (n.f.width > 64)
			return ld_fail(ld, w, "operation on a %u-bit value: values wider than 64 bits "
				    "support only copy, == and !=", n.f.width);
		return ld_new_expr(ld, n, idx);
	}
	if (!strcmp(t, "hexstr")) {
		if (!json_is_string(v))
			return ld_fail(ld, w, "a hexstr must be a string");
		n.op = SW_E_CONST;
		if ((r = hex_u64(ld, json_string_value(v), w, &n.k)))
			return r;
		return ld_new_expr(ld, n, idx);
	}
	if (!strcmp(t, "bool")) {
		if (!json_is_boolean(v))
			return ld_fail(ld, w, "a bool must be true or false");
		n.op = SW_E_CONST;
		n.k = json_is_true(v);
		return ld_new_expr(ld, n, idx);
	}
	return ld_fail(ld, where, "operand type \"%s\" is not supported", t);
}

/* ---- instructions -------------------------------------------------------- */

static int header_param(struct ld *ld, json_t *params, size_t i, const char *where, uint32_t *h)
{
	char w[W_MAX];
	ld_path(w, "%s.parameters[%zu]", where, i);
	json_t *tv = json_array_get(params, i), *v = json_object_get(tv, "value");
	if (strcmp(ld_tv_type(tv), "header") || !json_is_string(v))
		return ld_fail(ld, w, "expected a header");
	int x = ld_find_header(ld->p, json_string_value(v));
	if (x < 0)
		return ld_fail(ld, w, "no header instance named \"%s\"", json_string_value(v));
	*h = (uint32_t)x;
	return 0;
}

/* The expression of parameter k of the primitive at where. */
static int param_expr(struct ld *ld, const struct sw_action *act, json_t *params, int k,
		      const char *where, uint32_t *idx)
{
	char w[W_MAX];
	ld_path(w, "%s.parameters[%d]", where, k);
	return ld_expr(ld, act, json_array_get(params, (size_t)k), w, idx);
}

/* Parameter a (op) parameter b into *idx; op < 0: parameter b alone. */
static int arith_value(struct ld *ld, const struct sw_action *act, json_t *params, int a, int b,
		       int op, const char *where, uint32_t *idx)
{
	uint32_t ea, eb;
	int r;
	if ((r = param_expr(ld, act, params, b, where, &eb)))
		return r;
	if (op < 0) {
		*idx = eb;
		return 0;
	}
	if ((r = param_expr(ld, act, params, a, where, &ea)))
		return r;
	struct sw_expr n = { .op = (uint8_t)op };
	n.x.a = ea;
	n.x.b = eb;
	return ld_new_expr(ld, n, idx);
}

/* Parameter di = parameter a (op) parameter b; op < 0: di = b. */
int ld_emit_arith(struct ld *ld, const struct sw_action *act, json_t *params, size_t di,
		  int a, int b, int op, const char *where)
{
	char w[W_MAX];
	struct sw_ins in = { .op = SW_I_ASSIGN };
	bool isv;
	int r;
	ld_path(w, "%s.parameters[%zu]", where, di);
	json_t *dst = ld_unwrap(json_array_get(params, di));
	if (!strcmp(ld_tv_type(dst), "expression")) {
		/* hs[i].f = ... with a run-time index */
		struct sw_expr d;
		json_t *ev = json_object_get(dst, "value");
		if ((r = stack_access(ld, act, ev, w, &d)))
			return r;
		in.op = SW_I_STACK_ASSIGN;
		in.hdr = d.sa.stack;
		in.expr2 = d.sa.idx;
		in.dst = (struct sw_fref){ d.sa.bit, d.sa.width, d.sa.stack };
		if ((r = arith_value(ld, act, params, a, b, op, where, &in.expr)))
			return r;
		return ld_emit(ld, in);
	}
	if (strcmp(ld_tv_type(dst), "field"))
		return ld_fail(ld, w, "the destination must be a field");
	if ((r = ld_field_ref(ld, json_object_get(dst, "value"), w, &in.dst, &isv)))
		return r;
	if (isv)
		return ld_fail(ld, w, "$valid$ is read-only");
	if (op < 0 && in.dst.width > 64) {
		in.op = SW_I_COPY;
		ld_path(w, "%s.parameters[%d]", where, b);
		if ((r = wide_leaf(ld, act, json_array_get(params, (size_t)b), in.dst.width, w, &in.src)))
			return r;
		return ld_emit(ld, in);
	}
	if ((r = arith_value(ld, act, params, a, b, op, where, &in.expr)))
		return r;
	if (in.dst.width > 64)
		return ld_fail(ld, where, "arithmetic on a %u-bit field is not supported", in.dst.width);
	return ld_emit(ld, in);
}

static int jump_target(struct ld *ld, json_t *tv, const char *where, uint32_t *t)
{
	uint64_t v;
	json_t *x = json_object_get(tv, "value");
	int r;
	if (strcmp(ld_tv_type(tv), "hexstr") || !json_is_string(x))
		return ld_fail(ld, where, "a jump offset must be a hexstr");
	if ((r = hex_u64(ld, json_string_value(x), where, &v)))
		return r;
	*t = (uint32_t)v;
	return 0;
}

/* A field or learn list id (a hexstr) into its index; 0 is none. */
static int list_param(struct ld *ld, json_t *tv, const char *where, bool learn, uint32_t *out)
{
	uint64_t id;
	json_t *v = json_object_get(tv, "value");
	int r;
	if (strcmp(ld_tv_type(tv), "hexstr") || !json_is_string(v))
		return ld_fail(ld, where, "a %s list id must be a hexstr", learn ? "learn" : "field");
	if ((r = hex_u64(ld, json_string_value(v), where, &id)))
		return r;
	*out = SW_NONE;
	if (!id)
		return 0;
	const struct sw_flist *l = learn ? ld->p->learns : ld->p->flists;
	size_t n = learn ? ld->p->n_learns : ld->p->n_flists;
	for (size_t i = 0; i < n; i++)
		if ((uint64_t)l[i].id == id) {
			*out = (uint32_t)i;
			return 0;
		}
	return ld_fail(ld, where, "no %s with id %llu", learn ? "learn_lists entry" :
		       "field_lists entry", (unsigned long long)id);
}

/* log_msg(format, parameters_vector) */
static int log_msg(struct ld *ld, const struct sw_action *act, json_t *params, const char *where)
{
	struct sw_plan *p = ld->p;
	size_t np = json_array_size(params);
	json_t *f = json_array_get(params, 0), *fv = json_object_get(f, "value");
	json_t *vec = np > 1 ? json_object_get(json_array_get(params, 1), "value") : NULL;
	char w[W_MAX];
	int r = 0;
	if (np < 1 || np > 2 || strcmp(ld_tv_type(f), "string") || !json_is_string(fv) ||
	    (np == 2 && (strcmp(ld_tv_type(json_array_get(params, 1)), "parameters_vector") ||
			 !json_is_array(vec))))
		return ld_fail(ld, where, "log_msg takes a string and a parameters_vector");
	struct sw_log *nl = realloc(p->logs, (p->n_logs + 1) * sizeof(*nl));
	if (!nl)
		return ld_oom(ld);
	p->logs = nl;
	struct sw_log *l = &nl[p->n_logs++];
	memset(l, 0, sizeof(*l));
	l->fmt = ld_dup(ld, json_string_value(fv), &r);
	l->args = calloc(json_array_size(vec) + 1, sizeof(*l->args));
	if (r || !l->args)
		return r ? r : ld_oom(ld);
	json_t *x;
	size_t i;
	if (vec) json_array_foreach(vec, i, x) {
		ld_path(w, "%s.parameters[1].value[%zu]", where, i);
		if ((r = ld_expr(ld, act, x, w, &l->args[l->n_args])))
			return r;
		l->n_args++;
	}
	struct sw_ins in = { .op = SW_I_LOG, .hdr = (uint32_t)(p->n_logs - 1) };
	return ld_emit(ld, in);
}

/* One primitive call (act NULL: a parser operation). */
int ld_primitive(struct ld *ld, const struct sw_action *act, json_t *prim, const char *where)
{
	int r = 0;
	const char *op = ld_str(ld, prim, "op", where, &r);
	json_t *params = op ? ld_member(ld, prim, "parameters", JSON_ARRAY, where, &r) : NULL;
	size_t np = params ? json_array_size(params) : 0;
	struct sw_ins in = { 0 };
	char w[W_MAX];
	if (!params)
		return r;
#define NEED(n) do { if (np != (n)) return ld_fail(ld, where, "\"%s\" takes %d parameters, not %zu", op, (n), np); } while (0)
	if (!strcmp(op, "assign") || !strcmp(op, "modify_field")) {
		NEED(2);
		return ld_emit_arith(ld, act, params, 0, -1, 1, -1, where);
	}
	if (!strcmp(op, "add_to_field") || !strcmp(op, "subtract_from_field")) {
		NEED(2);
		return ld_emit_arith(ld, act, params, 0, 0, 1, op[0] == 'a' ? SW_E_ADD : SW_E_SUB, where);
	}
	if (!strcmp(op, "add") || !strcmp(op, "subtract")) {
		NEED(3);
		return ld_emit_arith(ld, act, params, 0, 1, 2, op[0] == 'a' ? SW_E_ADD : SW_E_SUB, where);
	}
	if (!strcmp(op, "add_header") || !strcmp(op, "remove_header")) {
		NEED(1);
		in.op = op[0] == 'a' ? SW_I_SET_VALID : SW_I_SET_INVALID;
		json_t *hp = ld_unwrap(json_array_get(params, 0));
		if (!strcmp(ld_tv_type(hp), "expression")) {
			/* hs[i].setValid() with a run-time index */
			struct sw_expr d;
			ld_path(w, "%s.parameters[0]", where);
			if ((r = stack_deref(ld, act, json_object_get(hp, "value"), w, &d)))
				return r;
			in.op = SW_I_STACK_VALID;
			in.hdr = d.sa.stack;
			in.expr2 = d.sa.idx;
			in.target = op[0] == 'a';
			return ld_emit(ld, in);
		}
		if ((r = header_param(ld, params, 0, where, &in.hdr)))
			return r;
		return ld_emit(ld, in);
	}
	if (!strcmp(op, "assign_union")) {
		NEED(2);
		int d = ld_find_union(ld->p, json_array_get(params, 0));
		int s = ld_find_union(ld->p, json_array_get(params, 1));
		if (d < 0 || s < 0)
			return ld_fail(ld, where, "assign_union takes two header unions");
		const struct sw_union *ud = &ld->p->unions[d], *us = &ld->p->unions[s];
		bool same = ud->n == us->n;
		for (size_t i = 0; same && i < ud->n; i++)
			same = !strcmp(ld->p->headers[ud->hdrs[i]].type, ld->p->headers[us->hdrs[i]].type);
		if (!same)
			return ld_fail(ld, where, "assign_union between unions of different types");
		in.op = SW_I_UNION_COPY;
		in.hdr = (uint32_t)d;
		in.hdr2 = (uint32_t)s;
		return ld_emit(ld, in);
	}
	if (!strcmp(op, "assert") || !strcmp(op, "assume")) {
		NEED(1);
		in.op = SW_I_ASSERT;
		in.hdr = op[1] == 'u';
		if ((r = param_expr(ld, act, params, 0, where, &in.expr)))
			return r;
		return ld_emit(ld, in);
	}
	if (!strcmp(op, "mark_to_drop") || !strcmp(op, "drop")) {
		if (np > 1)
			return ld_fail(ld, where, "\"%s\" takes at most 1 parameter", op);
		if (!ld->p->std.has_egress_spec)
			return ld_fail(ld, where, "\"%s\" needs standard_metadata.egress_spec", op);
		in.op = SW_I_DROP;
		return ld_emit(ld, in);
	}
	if (!strcmp(op, "exit")) {
		in.op = SW_I_EXIT;
		return ld_emit(ld, in);
	}
	if (!strcmp(op, "no_op")) {
		in.op = SW_I_NOP;
		return ld_emit(ld, in);
	}
	if (!strcmp(op, "log_msg"))
		return log_msg(ld, act, params, where);
	if (!strcmp(op, "clone_ingress_pkt_to_egress") || !strcmp(op, "clone_egress_pkt_to_egress")) {
		NEED(2);
		in.op = SW_I_CLONE;
		in.hdr = op[6] == 'e';
		if ((r = param_expr(ld, act, params, 0, where, &in.expr)))
			return r;
		ld_path(w, "%s.parameters[1]", where);
		if ((r = list_param(ld, json_array_get(params, 1), w, false, &in.target)))
			return r;
		return ld_emit(ld, in);
	}
	if (!strcmp(op, "resubmit") || !strcmp(op, "resubmit_preserving_field_list") ||
	    !strcmp(op, "recirculate") || !strcmp(op, "recirculate_preserving_field_list")) {
		if (np > 1)
			return ld_fail(ld, where, "\"%s\" takes at most 1 parameter", op);
		in.op = op[1] == 'e' && op[2] == 's' ? SW_I_RESUBMIT : SW_I_RECIRC;
		in.target = SW_NONE;
		ld_path(w, "%s.parameters[0]", where);
		if (np && (r = list_param(ld, json_array_get(params, 0), w, false, &in.target)))
			return r;
		return ld_emit(ld, in);
	}
	if (!strcmp(op, "generate_digest")) {
		NEED(2);
		in.op = SW_I_DIGEST;
		if ((r = param_expr(ld, act, params, 0, where, &in.expr)))
			return r;
		ld_path(w, "%s.parameters[1]", where);
		if ((r = list_param(ld, json_array_get(params, 1), w, true, &in.target)))
			return r;
		if (in.target == SW_NONE)
			return ld_fail(ld, w, "a digest needs a learn list");
		return ld_emit(ld, in);
	}
	if (!strcmp(op, "assign_header")) {
		NEED(2);
		in.op = SW_I_HDR_COPY;
		if ((r = header_param(ld, params, 0, where, &in.hdr)) ||
		    (r = header_param(ld, params, 1, where, &in.hdr2)))
			return r;
		if (strcmp(ld->p->headers[in.hdr].type, ld->p->headers[in.hdr2].type))
			return ld_fail(ld, where, "assign_header between different header types");
		return ld_emit(ld, in);
	}
	if (!strcmp(op, "assign_header_stack") || !strcmp(op, "assign_union_stack")) {
		/* every element (data, validity, varbit length) and the cursor */
		uint32_t d, s, nd, ns;
		int uni = op[7] == 'u';
		NEED(2);
		ld_path(w, "%s.parameters[0]", where);
		if ((r = stack_param(ld, json_array_get(params, 0), uni, w, &d, &nd)))
			return r;
		ld_path(w, "%s.parameters[1]", where);
		if ((r = stack_param(ld, json_array_get(params, 1), uni, w, &s, &ns)))
			return r;
		bool same = nd == ns && ld->p->stacks[d].size == ld->p->stacks[s].size;
		for (uint32_t m = 0; same && m < nd; m++)
			same = !strcmp(ld->p->headers[ld->p->stacks[d + m].hdrs[0]].type,
				       ld->p->headers[ld->p->stacks[s + m].hdrs[0]].type);
		if (!same)
			return ld_fail(ld, where, "%s between stacks of different types or sizes", op);
		in.op = SW_I_STACK_COPY;
		in.hdr = d;
		in.hdr2 = s;
		in.target = nd;
		return ld_emit(ld, in);
	}
	if (!strcmp(op, "assign_VL")) {
		bool isv;
		struct sw_fref fs;
		NEED(2);
		for (int k = 0; k < 2; k++) {
			json_t *tv = ld_unwrap(json_array_get(params, (size_t)k));
			struct sw_fref *f = k ? &fs : &in.dst;
			ld_path(w, "%s.parameters[%d]", where, k);
			if (strcmp(ld_tv_type(tv), "field"))
				return ld_fail(ld, w, "assign_VL takes two varbit fields");
			if ((r = ld_field_ref(ld, json_object_get(tv, "value"), w, f, &isv)))
				return r;
			const struct sw_header *h = &ld->p->headers[f->hdr];
			if (isv || !h->varbit || f->bit != h->off * 8 + h->fixed)
				return ld_fail(ld, w, "assign_VL takes two varbit fields");
		}
		if (in.dst.width != fs.width)
			return ld_fail(ld, where, "assign_VL between varbit fields of %u and %u bits at most",
				       in.dst.width, fs.width);
		in.op = SW_I_ASSIGN_VL;
		in.hdr = in.dst.hdr;
		in.hdr2 = fs.hdr;
		in.src = (struct sw_wide){ SW_SRC_PHV, fs.bit, fs.width };
		return ld_emit(ld, in);
	}
	if (!strcmp(op, "_jump") || !strcmp(op, "_jump_if_zero")) {
		bool z = op[5] == '_';
		NEED(z ? 2 : 1);
		in.op = z ? SW_I_JUMPZ : SW_I_JUMP;
		ld_path(w, "%s.parameters[%d]", where, z);
		if ((r = jump_target(ld, json_array_get(params, z), w, &in.target)))
			return r;
		if (z) {
			if ((r = param_expr(ld, act, params, 0, where, &in.expr)))
				return r;
		}
		return ld_emit(ld, in);
	}
	if (!strcmp(op, "count") || !strcmp(op, "register_read") || !strcmp(op, "register_write")) {
		bool cnt = !strcmp(op, "count"), rd = !strcmp(op, "register_read");
		NEED(cnt ? 2 : 3);
		size_t ai = rd ? 1 : 0;
		json_t *tv = json_array_get(params, ai), *v = json_object_get(tv, "value");
		const char *want = cnt ? "counter_array" : "register_array";
		ld_path(w, "%s.parameters[%zu]", where, ai);
		if (strcmp(ld_tv_type(tv), want) || !json_is_string(v))
			return ld_fail(ld, w, "expected a %s", want);
		in.op = cnt ? SW_I_COUNTER : rd ? SW_I_REG_READ : SW_I_REG_WRITE;
		in.hdr = SW_NONE;
		size_t n = cnt ? ld->p->n_counters : ld->p->n_registers;
		for (size_t k = 0; k < n; k++)
			if (!strcmp(cnt ? ld->p->counters[k].name : ld->p->registers[k].name,
				    json_string_value(v)))
				in.hdr = (uint32_t)k;
		if (in.hdr == SW_NONE)
			return ld_fail(ld, w, "no %s named \"%s\"%s", want, json_string_value(v),
				       cnt ? " (or it is a direct counter)" : "");
		if ((r = param_expr(ld, act, params, rd ? 2 : 1, where, &in.expr)))
			return r;
		if (rd) {
			json_t *dst = ld_unwrap(json_array_get(params, 0));
			bool isv;
			ld_path(w, "%s.parameters[0]", where);
			if (strcmp(ld_tv_type(dst), "field"))
				return ld_fail(ld, w, "the destination must be a field");
			if ((r = ld_field_ref(ld, json_object_get(dst, "value"), w, &in.dst, &isv)))
				return r;
			if (isv || in.dst.width > 64)
				return ld_fail(ld, w, "the destination must be a field of at most 64 bits");
		} else if (!cnt) {
			if ((r = param_expr(ld, act, params, 2, where, &in.expr2)))
				return r;
		}
		return ld_emit(ld, in);
	}
	if (!strcmp(op, "pop") || !strcmp(op, "push")) {
		NEED(2);
		json_t *tv = json_array_get(params, 0);
		uint32_t first, nm;
		ld_path(w, "%s.parameters[0]", where);
		if ((r = stack_param(ld, tv, -1, w, &first, &nm)))
			return r;
		uint32_t nx;
		ld_path(w, "%s.parameters[1]", where);
		json_t *cnt = json_array_get(params, 1), *cv = json_object_get(cnt, "value");
		uint64_t v;
		if (strcmp(ld_tv_type(cnt), "hexstr") || !json_is_string(cv) ||
		    (r = hex_u64(ld, json_string_value(cv), w, &v)) || v > 1024)
			return r ? r : ld_fail(ld, w, "the count must be a constant up to 1024");
		nx = (uint32_t)v;
		in.op = op[1] == 'o' ? SW_I_POP : SW_I_PUSH;
		in.hdr = first;
		in.hdr2 = nm;
		in.target = nx;
		return ld_emit(ld, in);
	}
	if (!strcmp(op, "modify_field_with_hash_based_offset") ||
	    !strcmp(op, "modify_field_rng_uniform") || !strcmp(op, "truncate") ||
	    !strcmp(op, "execute_meter")) {
		int kind = !strcmp(op, "truncate") ? SW_I_TRUNCATE :
			   !strcmp(op, "execute_meter") ? SW_I_METER :
			   !strcmp(op, "modify_field_rng_uniform") ? SW_I_RANDOM : SW_I_HASH;
		NEED(kind == SW_I_HASH ? 4 : kind == SW_I_TRUNCATE ? 1 : 3);
		in.op = (uint8_t)kind;
		size_t di = kind == SW_I_METER ? 2 : 0;
		if (kind != SW_I_TRUNCATE) {
			json_t *dst = ld_unwrap(json_array_get(params, di));
			bool isv;
			ld_path(w, "%s.parameters[%zu]", where, di);
			if (strcmp(ld_tv_type(dst), "field"))
				return ld_fail(ld, w, "the destination must be a field");
			if ((r = ld_field_ref(ld, json_object_get(dst, "value"), w, &in.dst, &isv)))
				return r;
			if (isv || in.dst.width > 64)
				return ld_fail(ld, w, "the destination must be a field of at most 64 bits");
		}
		/* operand positions: hash (dst, base, calc, size), random (dst, lo, hi),
		 * truncate (len), meter (meter, index, dst) */
		int e1 = kind == SW_I_HASH ? 1 : kind == SW_I_RANDOM ? 1 : kind == SW_I_TRUNCATE ? 0 : 1;
		int e2 = kind == SW_I_HASH ? 3 : kind == SW_I_RANDOM ? 2 : -1;
		if ((r = param_expr(ld, act, params, e1, where, &in.expr)))
			return r;
		if (e2 >= 0) {
			if ((r = param_expr(ld, act, params, e2, where, &in.expr2)))
				return r;
		}
		if (kind == SW_I_HASH || kind == SW_I_METER) {
			size_t ai = kind == SW_I_HASH ? 2 : 0, n;
			const char *want = kind == SW_I_HASH ? "calculation" : "meter_array";
			json_t *tv = json_array_get(params, ai), *v = json_object_get(tv, "value");
			ld_path(w, "%s.parameters[%zu]", where, ai);
			if (strcmp(ld_tv_type(tv), want) || !json_is_string(v))
				return ld_fail(ld, w, "expected a %s", want);
			n = kind == SW_I_HASH ? ld->p->n_calcs : ld->p->n_meters;
			in.hdr = SW_NONE;
			for (size_t k = 0; k < n; k++)
				if (!strcmp(kind == SW_I_HASH ? ld->p->calcs[k].name : ld->p->meters[k].name,
					    json_string_value(v)))
					in.hdr = (uint32_t)k;
			if (in.hdr == SW_NONE)
				return ld_fail(ld, w, "no %s named \"%s\"", want, json_string_value(v));
		}
		return ld_emit(ld, in);
	}
	return ld_fail(ld, where, "primitive \"%s\" is not supported", op);
#undef NEED
}

/* ---- actions ------------------------------------------------------------ */

int ld_actions(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *acts = ld_member(ld, root, "actions", JSON_ARRAY, "(top)", &r), *a;
	size_t i;
	if (!acts)
		return r;
	p->actions = calloc(json_array_size(acts) + 1, sizeof(*p->actions));
	if (!p->actions)
		return ld_oom(ld);
	json_array_foreach(acts, i, a) {
		char w[W_MAX];
		ld_path(w, "actions[%zu]", i);
		struct sw_action *ac = &p->actions[p->n_actions++];
		const char *name = ld_str(ld, a, "name", w, &r);
		json_t *id = name ? ld_member(ld, a, "id", JSON_INTEGER, w, &r) : NULL;
		json_t *rd = id ? ld_opt_array(ld, a, "runtime_data", w, &r) : NULL, *d;
		json_t *prims = r ? NULL : ld_member(ld, a, "primitives", JSON_ARRAY, w, &r);
		if (!prims)
			return r;
		ac->name = ld_dup(ld, name, &r);
		ac->id = (int)json_integer_value(id);
		for (size_t j = 0; j + 1 < p->n_actions; j++)
			if (p->actions[j].id == ac->id)
				return ld_fail(ld, w, "action id %d is used twice", ac->id);
		size_t n = rd ? json_array_size(rd) : 0, j;
		ac->params = calloc(n + 1, sizeof(*ac->params));
		ac->pinfo = calloc(n + 1, sizeof(*ac->pinfo));
		if (r || !ac->params || !ac->pinfo)
			return r ? r : ld_oom(ld);
		if (rd) json_array_foreach(rd, j, d) {
			char pw[W_MAX];
			ld_path(pw, "%s.runtime_data[%zu]", w, j);
			const char *pn = ld_str(ld, d, "name", pw, &r);
			json_t *bw = pn ? ld_member(ld, d, "bitwidth", JSON_INTEGER, pw, &r) : NULL;
			if (!bw)
				return r;
			if (json_integer_value(bw) <= 0 || json_integer_value(bw) > 4096)
				return ld_fail(ld, pw, "bitwidth must be between 1 and 4096");
			struct sw_param *pa = &ac->params[ac->n_params++];
			pa->name = ld_dup(ld, pn, &r);
			if (r)
				return r;
			pa->width = (uint32_t)json_integer_value(bw);
			pa->off = ac->args_len;
			ac->args_len += (pa->width + 7) / 8;
			ac->pinfo[j] = (struct sw_param_info){ pa->name, pa->width };
		}
		if (ac->args_len > p->max_args)
			p->max_args = ac->args_len;
		ac->info = (struct sw_action_info){ ac->name, ac->id, ac->n_params, ac->pinfo };
		ac->ins = (uint32_t)p->n_ins;
		json_array_foreach(prims, j, d) {
			char pw[W_MAX];
			ld_path(pw, "%s.primitives[%zu]", w, j);
			if ((r = ld_primitive(ld, ac, d, pw)))
				return r;
		}
		ac->n_ins = (uint32_t)p->n_ins - ac->ins;
		for (uint32_t k = ac->ins; k < ac->ins + ac->n_ins; k++)
			if ((p->ins[k].op == SW_I_JUMP || p->ins[k].op == SW_I_JUMPZ) &&
			    p->ins[k].target > ac->n_ins)
				return ld_fail(ld, w, "jump to %u is outside the action", p->ins[k].target);
	}
	return 0;
}

int ld_action_by_id(const struct sw_plan *p, json_int_t id)
{
	for (size_t i = 0; i < p->n_actions; i++)
		if (p->actions[i].id == id)
			return (int)i;
	return -1;
}

int ld_action_by_name(const struct sw_plan *p, const char *name)
{
	for (size_t i = 0; i < p->n_actions; i++)
		if (!strcmp(p->actions[i].name, name))
			return (int)i;
	return -1;
}

