/* lower_stmt.c - statements inside actions and parser states (sema.h):
 * assignments, method and extern calls, local declarations, nested action
 * calls (inlined).  Each becomes primitives of the action being built
 * (s->cur_action) or ops of the parser state (s->cur_state). */
#include "sema.h"

#include <errno.h>
#include <string.h>

struct p4c_declinfo *p4c_declare(struct p4c_sema *s, struct p4_node *decl)
{
	if (!decl->sema) {
		struct p4c_declinfo *di = p4l_arena_alloc(s->a, sizeof(*di));
		if (!di)
			return NULL;
		di->scope = s->scope;
		di->block_name = s->block_name;
		di->instance = -1;
		decl->sema = di;
	}
	return decl->sema;
}

struct p4c_ir_call *p4c_emit(struct p4c_sema *s, struct p4_node *at, const char *op)
{
	struct p4c_ir_call c = { .op = op };
	if (at) {
		c.file = at->loc.file;
		c.line = (int)at->loc.line;
		c.col = (int)at->loc.col;
		if (at->loc.line_text) {
			const char *b = at->loc.line_text, *e = b;
			while (*e && *e != '\n')
				e++;
			while (b < e && (*b == ' ' || *b == '\t'))
				b++;
			c.text = p4l_arena_strndup(s->a, b, (size_t)(e - b));
		}
	}
	if (s->cur_state) {
		P4L_PUSH(s->a, &s->cur_state->ops, c);
		return s->cur_state->ops.n ? &s->cur_state->ops.v[s->cur_state->ops.n - 1] : NULL;
	}
	if (s->cur_action) {
		P4L_PUSH(s->a, &s->cur_action->prims, c);
		return s->cur_action->prims.n ? &s->cur_action->prims.v[s->cur_action->prims.n - 1] : NULL;
	}
	return NULL;
}

void p4c_arg(struct p4c_sema *s, struct p4c_ir_call *c, struct p4c_ir_expr *e)
{
	if (c && e)
		P4L_PUSH(s->a, &c->args, e);
}

static struct p4c_ir_expr *header_expr(struct p4c_sema *s, const char *inst)
{
	return p4c_ir_kind(s->a, P4C_IRE_HEADER, inst);
}

static int assign_data(struct p4c_sema *s, struct p4_node *at, struct p4c_val *dst,
		       struct p4c_ir_expr *x)
{
	if (dst->slice_base) {
		/* f[h:l] = x  =>  f = (f & ~m) | ((x << l) & m), m the slice's bits. */
		struct p4c_val *b = dst->slice_base;
		int w = b->type->width;
		struct p4c_num m, nm;
		p4c_num_ones(&m, dst->hi - dst->lo + 1);
		p4c_num_shl(&m, &m, (unsigned)dst->lo);
		p4c_num_ones(&nm, w);
		p4c_num_xor(&nm, &nm, &m);
		struct p4c_ir_expr *f = p4c_val_data(s, b);
		struct p4c_ir_expr *keep = p4c_ir_op(s->a, "&", f, p4c_ir_const(s->a, &nm, w), w, false);
		struct p4c_ir_expr *sh = dst->lo ? p4c_ir_op(s->a, "<<", x,
			p4c_ir_const_u64(s->a, (uint64_t)dst->lo, 8), w, false) : x;
		struct p4c_ir_expr *put = p4c_ir_op(s->a, "&", sh, p4c_ir_const(s->a, &m, w), w, false);
		x = p4c_ir_op(s->a, "|", keep, put, w, false);
		dst = b;
	}
	struct p4c_ir_call *c = p4c_emit(s, at, s->cur_state ? "set" : "assign");
	p4c_arg(s, c, dst->e);
	p4c_arg(s, c, x);
	return c && x ? 0 : -ENOMEM;
}

int p4c_assign(struct p4c_sema *s, struct p4_node *at, struct p4c_val *dst, struct p4c_val *v)
{
	if (dst->k == P4C_V_DONTCARE)
		return 0;
	if (!dst->lvalue && dst->k == P4C_V_CONST)
		return p4c_err(s, at, "cannot assign to a constant");
	if (!dst->lvalue && (dst->k == P4C_V_EXPR || dst->k == P4C_V_STRUCT ||
			     dst->k == P4C_V_HEADER) && dst->e && dst->e->kind != P4C_IRE_FIELD)
		return p4c_err(s, at, "cannot assign to this expression: it is not a variable "
			       "or a field");
	if (!dst->lvalue)
		return p4c_err(s, at, "cannot assign to a read-only value (an 'in' parameter, "
			       "or a field reached through one)");
	if (dst->k == P4C_V_EXPR) {
		if (v->k == P4C_V_CONST && v->type->k == P4C_T_INFINT &&
		    (dst->type->k == P4C_T_BIT || dst->type->k == P4C_T_SIGNED)) {
			struct p4c_num n;
			p4c_int_to(s, at, &n, &v->num, dst->type);
			return assign_data(s, at, dst, p4c_ir_const(s->a, &n, dst->type->width));
		}
		if (!p4c_type_eq(dst->type, v->type) || (v->k != P4C_V_EXPR && v->k != P4C_V_CONST))
			return p4c_err(s, at, "cannot assign a value of type %s to %s",
				       p4c_type_str(s, v->type), p4c_type_str(s, dst->type));
		if (dst->type->k == P4C_T_VARBIT) {
			/* a varbit's value is its bytes and its length: BMv2's assign_VL */
			if (!v->e || v->e->kind != P4C_IRE_FIELD || !dst->e || dst->e->kind != P4C_IRE_FIELD)
				return p4c_unsupported(s, at, "a varbit assignment other than field = field");
			struct p4c_ir_call *c = p4c_emit(s, at, "assign_VL");
			p4c_arg(s, c, dst->e);
			p4c_arg(s, c, v->e);
			return c ? 0 : -ENOMEM;
		}
		return assign_data(s, at, dst, p4c_val_data(s, v));
	}
	if (!p4c_type_eq(dst->type, v->type))
		return p4c_err(s, at, "cannot assign a value of type %s to %s",
			       p4c_type_str(s, v->type), p4c_type_str(s, dst->type));
	if (v->k == P4C_V_HEADER && v->stack_last)
		return p4c_unsupported(s, at, "copying 'stack.last'");
	if ((v->k == P4C_V_HEADER && v->dyn) || (dst->k == P4C_V_HEADER && dst->dyn))
		return p4c_unsupported(s, at, "copying a whole stack element chosen at run time "
				       "(copy its fields)");
	if (dst->k == P4C_V_HEADER && v->k == P4C_V_HEADER) {
		struct p4c_ir_call *c = p4c_emit(s, at, "assign_header");
		p4c_arg(s, c, header_expr(s, dst->inst));
		p4c_arg(s, c, header_expr(s, v->inst));
		return 0;
	}
	if (dst->k == P4C_V_STACK && v->k == P4C_V_STACK) {
		/* every element, its validity, and the next index */
		struct p4c_ir_call *c = p4c_emit(s, at, "assign_header_stack");
		p4c_arg(s, c, p4c_ir_kind(s->a, P4C_IRE_STACK, dst->inst));
		p4c_arg(s, c, p4c_ir_kind(s->a, P4C_IRE_STACK, v->inst));
		return c ? 0 : -ENOMEM;
	}
	if (dst->k == P4C_V_STRUCT && v->k == P4C_V_STRUCT) {
		struct p4_node *d = dst->type->decl;
		for (size_t i = 0; i < d->u.agg.fields.n; i++) {
			const char *fn = d->u.agg.fields.v[i]->name;
			struct p4c_val *a = p4c_member(s, at, dst, fn), *b = p4c_member(s, at, v, fn);
			if (!a || !b || p4c_assign(s, at, a, b))
				return -EINVAL;
		}
		return 0;
	}
	return p4c_unsupported(s, at, "an assignment of this kind");
}

/* `dst = { a, b }` or `dst = { f = a, g = b }` for a header or struct. */
int p4c_assign_list(struct p4c_sema *s, struct p4_node *at, struct p4c_val *dst,
		    struct p4_node *list)
{
	if (dst->k != P4C_V_HEADER && dst->k != P4C_V_STRUCT)
		return p4c_err(s, list, "cannot assign a list to %s", p4c_type_str(s, dst->type));
	struct p4_node *d = dst->type->decl;
	size_t n = list->u.list.items.n;
	if (n != d->u.agg.fields.n)
		return p4c_err(s, list, "%s has %zu fields, the initializer has %zu",
			       p4c_type_str(s, dst->type), d->u.agg.fields.n, n);
	if (dst->k == P4C_V_HEADER) {
		struct p4c_ir_call *c = p4c_emit(s, at, "add_header");
		p4c_arg(s, c, header_expr(s, dst->inst));
	}
	for (size_t i = 0; i < n; i++) {
		struct p4_node *it = list->u.list.items.v[i], *f = d->u.agg.fields.v[i];
		if (list->kind == P4_EXPR_STRUCT) {
			f = p4c_agg_field(d, it->name);
			if (!f)
				return p4c_err(s, it, "%s has no field '%s'",
					       p4c_type_str(s, dst->type), it->name);
			it = it->u.arg.value;
		}
		struct p4c_val *m = p4c_member(s, it, dst, f->name);
		if (!m)
			return -EINVAL;
		if (it->kind == P4_EXPR_LIST || it->kind == P4_EXPR_STRUCT) {
			if (p4c_assign_list(s, at, m, it))
				return -EINVAL;
			continue;
		}
		struct p4c_val *v = p4c_check(s, it, m->type);
		if (!v || p4c_assign(s, it, m, v))
			return -EINVAL;
	}
	return 0;
}

static int stmt_assign(struct p4c_sema *s, struct p4_node *st)
{
	struct p4c_val *dst = p4c_check(s, st->u.assign.lhs, NULL);
	if (!dst)
		return -EINVAL;
	struct p4_node *rhs = st->u.assign.rhs;
	if (rhs->kind == P4_EXPR_LIST || rhs->kind == P4_EXPR_STRUCT)
		return p4c_assign_list(s, st, dst, rhs);
	if (rhs->kind == P4_EXPR_INVALID) {
		if (dst->k != P4C_V_HEADER)
			return p4c_unsupported(s, rhs, "'{#}' for anything but a header");
		struct p4c_ir_call *c = p4c_emit(s, st, "remove_header");
		p4c_arg(s, c, header_expr(s, dst->inst));
		return 0;
	}
	struct p4c_val *v = p4c_check(s, rhs, dst->type);
	if (!v)
		return -EINVAL;
	return p4c_assign(s, st, dst, v);
}

struct p4c_val *p4c_copy_in(struct p4c_sema *s, struct p4_node *at, struct p4c_val *v,
			    bool writable)
{
	/* P4 evaluates `in` arguments before the call: copy the value so that
	 * writes in the callee cannot change it. */
	struct p4c_val *tmp = p4c_new_scalar(s, p4l_arena_printf(s->a, "tmp_%d", s->n_tmp++),
					     v->type);
	if (!tmp || p4c_assign(s, at, tmp, v))
		return NULL;
	tmp->lvalue = writable;
	return tmp;
}

/* An argument's value, checked against a parameter's type. */
struct p4c_val *p4c_arg_value(struct p4c_sema *s, struct p4_node *arg, struct p4_node *param)
{
	struct p4c_type *pt = p4c_type_of(s, param->u.param.type);
	if (!pt)
		return NULL;
	struct p4c_val *v = p4c_check(s, arg->kind == P4_ARG ? arg->u.arg.value : arg, pt);
	if (!v)
		return NULL;
	if ((param->u.param.dir == P4_DIR_OUT || param->u.param.dir == P4_DIR_INOUT) &&
	    !v->lvalue && v->k != P4C_V_DONTCARE) {
		p4c_err(s, arg, "argument for %s parameter '%s' must be a variable or a field",
			param->u.param.dir == P4_DIR_OUT ? "out" : "inout", param->name);
		return NULL;
	}
	if (pt->k == P4C_T_TYPEVAR)
		return v;
	/* the packet passed on to a sub-parser */
	if (v->k == P4C_V_PACKET && pt->k == P4C_T_EXTERN &&
	    (!strcmp(pt->name, "packet_in") || !strcmp(pt->name, "packet_out")))
		return v;
	if (v->k == P4C_V_PACKET || pt->k == P4C_T_EXTERN) {
		p4c_err(s, arg, "argument for parameter '%s': expected %s", param->name,
			p4c_type_str(s, pt));
		return NULL;
	}
	if (v->k == P4C_V_CONST && v->type->k == P4C_T_INFINT &&
	    (pt->k == P4C_T_BIT || pt->k == P4C_T_SIGNED)) {
		struct p4c_val *c = p4l_arena_alloc(s->a, sizeof(*c));
		if (!c)
			return NULL;
		*c = *v;
		c->type = pt;
		p4c_int_to(s, arg, &c->num, &v->num, pt);
		return c;
	}
	if (!p4c_type_eq(pt, v->type) && v->k != P4C_V_DONTCARE) {
		p4c_err(s, arg, "argument for parameter '%s': expected %s, found %s", param->name,
			p4c_type_str(s, pt), p4c_type_str(s, v->type));
		return NULL;
	}
	return v;
}

/* Matches the call's arguments (positional or named) to params; fills
 * out[i] with the argument node for params[i] (NULL when absent). */
int p4c_match_args(struct p4c_sema *s, struct p4_node *at, const struct p4_list *params,
		   const struct p4_list *args, struct p4_node **out)
{
	for (size_t i = 0; i < params->n; i++)
		out[i] = NULL;
	for (size_t i = 0; i < args->n; i++) {
		struct p4_node *a = args->v[i];
		size_t k = i;
		if (a->kind == P4_ARG && a->name) {
			for (k = 0; k < params->n && params->v[k]->name != a->name; k++)
				;
			if (k == params->n)
				return p4c_err(s, a, "no parameter named '%s'", a->name);
		}
		if (k >= params->n)
			return p4c_err(s, at, "too many arguments: %zu given, %zu expected",
				       args->n, params->n);
		out[k] = a;
	}
	for (size_t i = 0; i < params->n; i++) {
		if (!out[i])
			out[i] = params->v[i]->u.param.dflt;
		if (!out[i])
			return p4c_err(s, at, "missing argument for parameter '%s'",
				       params->v[i]->name);
	}
	return 0;
}

/* An action called from an action, or a function: its body is inlined with
 * every parameter bound to its argument (in-arguments copied first).  A
 * function's value is its final `return`, copied into a temporary; *ret
 * gets it (NULL for void). */
static int inline_call(struct p4c_sema *s, struct p4_node *at, struct p4_node *decl,
		       const struct p4_list *args, struct p4c_val **ret)
{
	size_t n = decl->u.fn.params.n;
	bool fn = decl->kind == P4_DECL_FUNCTION;
	struct p4_node *m[n ? n : 1];
	if (ret)
		*ret = NULL;
	if (decl->sema_flags & 4)
		return p4c_err(s, at, "'%s' calls itself", decl->name);
	/* calls inlined into calls multiply: keep a pathological program finite */
	if ((s->cur_action && s->cur_action->prims.n > 200000) ||
	    (s->cur_state && s->cur_state->ops.n > 200000))
		return p4c_err(s, at, "inlining '%s' makes the code here too large (over 200000 "
			       "operations)", decl->name);
	if (p4c_match_args(s, at, &decl->u.fn.params, args, m))
		return -EINVAL;
	/* a generic function: its type parameters bound for the arguments and
	 * the body, from the call's type arguments or the arguments' types */
	size_t nt = fn ? decl->u.fn.tparams.n : 0;
	struct p4c_type *targ[nt ? nt : 1];
	struct p4c_scope *caller = s->scope;
	if (nt) {
		const struct p4_list *ta = at->kind == P4_EXPR_CALL ? &at->u.call.targs :
					   at->kind == P4_STMT_CALL ?
					   &at->u.call_stmt.call->u.call.targs : NULL;
		if (ta && ta->n && ta->n != nt)
			return p4c_err(s, at, "%s takes %zu type arguments, %zu given", decl->name,
				       nt, ta->n);
		for (size_t k = 0; k < nt; k++) {
			struct p4_node *tp = decl->u.fn.tparams.v[k];
			targ[k] = ta && ta->n ? p4c_type_of(s, ta->v[k]) : NULL;
			for (size_t i = 0; i < n && !targ[k] && !(ta && ta->n); i++) {
				struct p4_node *pt = decl->u.fn.params.v[i]->u.param.type;
				if (pt->kind != P4_TYPE_NAME || pt->name != tp->name || !m[i])
					continue;
				struct p4c_val *v = p4c_check(s, m[i]->kind == P4_ARG ?
							      m[i]->u.arg.value : m[i], NULL);
				if (!v)
					return -EINVAL;
				if (v->type && v->type->k != P4C_T_INFINT)
					targ[k] = v->type;
			}
			if (!targ[k])
				return p4c_err(s, at, "cannot tell the type '%s' of this call to %s: "
					       "give it as %s<...>(...)", tp->name, decl->name,
					       decl->name);
		}
		p4c_scope_push(s);
		for (size_t k = 0; k < nt; k++) {
			struct p4c_val *tv = p4l_arena_alloc(s->a, sizeof(*tv));
			if (!tv)
				return -ENOMEM;
			tv->k = P4C_V_DECL;
			tv->type = targ[k];
			tv->decl = decl->u.fn.tparams.v[k];
			p4c_bind(s, decl->u.fn.tparams.v[k]->name, decl->u.fn.tparams.v[k], tv);
		}
	}
	struct p4c_val *vals[n ? n : 1];
	for (size_t i = 0; i < n; i++) {
		vals[i] = p4c_arg_value(s, m[i], decl->u.fn.params.v[i]);
		if (!vals[i]) {
			s->scope = caller;
			return -EINVAL;
		}
	}
	struct p4c_scope *tscope = nt ? s->scope : NULL;
	s->scope = caller;
	for (size_t i = 0; i < n; i++) {
		enum p4_dir d = decl->u.fn.params.v[i]->u.param.dir;
		if ((d == P4_DIR_IN || d == P4_DIR_NONE) && vals[i]->k == P4C_V_EXPR) {
			vals[i] = p4c_copy_in(s, at, vals[i], true);
			if (!vals[i])
				return -EINVAL;
		}
	}
	struct p4c_scope *saved_tbind = s->tbind;
	s->tbind = tscope;
	int rc = p4c_inline_body(s, decl, vals, ret);
	s->tbind = saved_tbind;
	return rc;
}

/* How many `return` statements st holds. */
static int count_returns(const struct p4_node *st)
{
	if (!st)
		return 0;
	switch (st->kind) {
	case P4_STMT_RETURN:
		return 1;
	case P4_STMT_BLOCK: {
		int n = 0;
		for (size_t i = 0; i < st->u.block.stmts.n; i++)
			n += count_returns(st->u.block.stmts.v[i]);
		return n;
	}
	case P4_STMT_IF:
		return count_returns(st->u.if_.then) + count_returns(st->u.if_.els);
	case P4_STMT_SWITCH: {
		int n = 0;
		for (size_t i = 0; i < st->u.switch_.cases.n; i++)
			n += count_returns(st->u.switch_.cases.v[i]->u.scase.body);
		return n;
	}
	default:
		return 0;
	}
}

/* Whether every path through st ends in return or exit. */
static bool always_returns(const struct p4_node *st)
{
	if (!st)
		return false;
	switch (st->kind) {
	case P4_STMT_RETURN:
	case P4_STMT_EXIT:
		return true;
	case P4_STMT_BLOCK:
		for (size_t i = 0; i < st->u.block.stmts.n; i++)
			if (always_returns(st->u.block.stmts.v[i]))
				return true;
		return false;
	case P4_STMT_IF:
		return always_returns(st->u.if_.then) && always_returns(st->u.if_.els);
	case P4_STMT_SWITCH: {
		bool dflt = false;
		for (size_t i = 0; i < st->u.switch_.cases.n; i++) {
			struct p4_node *c = st->u.switch_.cases.v[i];
			dflt |= c->u.scase.label->kind == P4_EXPR_DEFAULT;
			if (c->u.scase.body && !always_returns(c->u.scase.body))
				return false;
		}
		return dflt;
	}
	default:
		return false;
	}
}

/* The value of `return e` in a function returning rt, converted to rt;
 * NULL after reporting. */
static struct p4c_val *return_value(struct p4c_sema *s, struct p4_node *decl,
				    struct p4c_type *rt, struct p4_node *ret)
{
	struct p4c_val *v = p4c_check(s, ret->u.ret.expr, rt);
	if (v && v->k == P4C_V_CONST && v->type->k == P4C_T_INFINT &&
	    (rt->k == P4C_T_BIT || rt->k == P4C_T_SIGNED)) {
		struct p4c_val *c = p4l_arena_alloc(s->a, sizeof(*c));
		if (c) {
			*c = *v;
			c->type = rt;
			p4c_int_to(s, ret, &c->num, &v->num, rt);
		}
		v = c;
	} else if (v && !p4c_type_eq(v->type, rt)) {
		p4c_err(s, ret->u.ret.expr, "function '%s' returns %s, not %s",
			decl->name, p4c_type_str(s, rt), p4c_type_str(s, v->type));
		v = NULL;
	}
	return v;
}

/* A body with `return` before its end (only where jumps exist: actions). */
static int body_with_returns(struct p4c_sema *s, struct p4_node *decl, struct p4c_type *rt,
			     struct p4c_val **ret)
{
	struct p4c_ret_ctx ctx = { .up = s->ret, .rt = rt, .decl = decl };
	bool is_void = !rt || rt->k == P4C_T_VOID;
	struct p4_node *body = decl->u.fn.body;
	if (!is_void) {
		if (!always_returns(body))
			return p4c_err(s, body, "not every path through function '%s' ends "
				       "with 'return' and its value", decl->name);
		ctx.result = p4c_new_local(s, decl, p4l_arena_printf(s->a, "tmp_%d", s->n_tmp++),
					   rt);
		if (!ctx.result)
			return -EINVAL;
	}
	s->ret = &ctx;
	int rc = p4c_stmt(s, body);
	s->ret = ctx.up;
	struct p4c_ir_action *a = s->cur_action;
	for (int i = 0; i < ctx.jumps.n; i++)
		p4c_num_from_u64(&a->prims.v[ctx.jumps.v[i]].args.v[0]->num, (uint64_t)a->prims.n);
	if (!rc && ret)
		*ret = ctx.result;
	return rc;
}

/* `return [e];` inside body_with_returns. */
static int stmt_return(struct p4c_sema *s, struct p4_node *st)
{
	struct p4c_ret_ctx *ctx = s->ret;
	if (!ctx && s->cur_action && st->u.ret.expr)
		return p4c_err(s, st->u.ret.expr, "an action cannot return a value");
	if (!ctx || !s->cur_action)
		return p4c_unsupported(s, st, "return before the end of a function called in a "
				       "parser state");
	if (ctx->result) {
		if (!st->u.ret.expr)
			return p4c_err(s, st, "function '%s' must return a value", ctx->decl->name);
		struct p4c_val *v = return_value(s, ctx->decl, ctx->rt, st);
		if (!v || p4c_assign(s, st, ctx->result, v))
			return -EINVAL;
	} else if (st->u.ret.expr) {
		return p4c_err(s, st->u.ret.expr, "'%s' returns no value", ctx->decl->name);
	}
	struct p4c_ir_call *c = p4c_emit(s, st, "_jump");
	p4c_arg(s, c, p4c_ir_const_u64(s->a, 0, 32));
	P4L_PUSH(s->a, &ctx->jumps, s->cur_action->prims.n - 1);
	return p4l_arena_failed(s->a) ? -ENOMEM : 0;
}

/* Whether a body needs body_with_returns: a return other than its last statement. */
static bool early_returns(const struct p4_node *body)
{
	int n = count_returns(body);
	size_t ns = body->kind == P4_STMT_BLOCK ? body->u.block.stmts.n : 0;
	bool last = ns && body->u.block.stmts.v[ns - 1]->kind == P4_STMT_RETURN;
	return n > 1 || (n == 1 && !last);
}

int p4c_action_body(struct p4c_sema *s, struct p4_node *decl)
{
	if (early_returns(decl->u.fn.body))
		return body_with_returns(s, decl, NULL, NULL);
	struct p4c_ret_ctx *saved = s->ret;
	s->ret = NULL;
	int rc = p4c_stmt(s, decl->u.fn.body);
	s->ret = saved;
	return rc;
}

int p4c_inline_body(struct p4c_sema *s, struct p4_node *decl, struct p4c_val **vals,
		    struct p4c_val **ret)
{
	size_t n = decl->u.fn.params.n;
	bool fn = decl->kind == P4_DECL_FUNCTION;
	if (decl->sema_flags & 4)
		return p4c_err(s, decl, "'%s' calls itself", decl->name);
	struct p4c_declinfo *di = p4c_declare(s, decl);
	struct p4c_scope *saved = s->scope;
	struct p4c_ret_ctx *saved_ret = s->ret;
	s->scope = di && di->scope ? di->scope : s->global;
	s->ret = NULL;
	p4c_scope_push(s);
	for (size_t i = 0; i < n; i++)
		p4c_bind(s, decl->u.fn.params.v[i]->name, decl->u.fn.params.v[i], vals[i]);
	/* a generic function's type parameters, as inline_call bound them */
	for (int k = 0; s->tbind && k < s->tbind->b.n; k++)
		p4c_bind(s, s->tbind->b.v[k].name, s->tbind->b.v[k].decl, s->tbind->b.v[k].val);
	s->tbind = NULL;
	/* the return type, once a generic function's parameters are bound */
	struct p4c_type *rt = fn && decl->u.fn.ret ? p4c_type_of(s, decl->u.fn.ret) : NULL;
	if (fn && decl->u.fn.ret && !rt) {
		s->scope = saved;
		s->ret = saved_ret;
		return -EINVAL;
	}
	decl->sema_flags |= 4;
	int rc = 0;
	struct p4_node *body = decl->u.fn.body;
	if (s->cur_action && early_returns(body)) {
		rc = body_with_returns(s, decl, rt, ret);
	} else if (!fn) {
		rc = p4c_stmt(s, body);
	} else {
		size_t ns = body->u.block.stmts.n;
		struct p4_node *last = ns ? body->u.block.stmts.v[ns - 1] : NULL;
		bool has_ret = last && last->kind == P4_STMT_RETURN;
		for (size_t i = 0; i + has_ret < ns && !rc; i++)
			rc = p4c_stmt(s, body->u.block.stmts.v[i]);
		bool is_void = !rt || rt->k == P4C_T_VOID;
		if (!rc && !is_void && !(has_ret && last->u.ret.expr))
			rc = p4c_err(s, last ? last : body, "function '%s' must end with "
				     "'return' and its value", decl->name);
		if (!rc && is_void && has_ret && last->u.ret.expr)
			rc = p4c_err(s, last, "function '%s' returns void", decl->name);
		if (!rc && !is_void) {
			struct p4c_val *v = return_value(s, decl, rt, last);
			if (v && v->k == P4C_V_EXPR) {
				v = p4c_copy_in(s, last, v, false);
			} else if (v && v->k != P4C_V_CONST) {
				p4c_unsupported(s, last, "returning a value of this kind");
				v = NULL;
			}
			if (!v)
				rc = -EINVAL;
			else if (ret)
				*ret = v;
		}
	}
	decl->sema_flags &= ~(uint64_t)4;
	s->scope = saved;
	s->ret = saved_ret;
	return rc;
}

struct p4c_val *p4c_call_function(struct p4c_sema *s, struct p4_node *call, struct p4_node *decl)
{
	struct p4c_val *v = NULL;
	if (!s->cur_action && !s->cur_state) {
		p4c_unsupported(s, call, "a function call outside an action or a parser state");
		return NULL;
	}
	if (!decl->u.fn.ret || decl->u.fn.ret->kind == P4_TYPE_VOID) {
		p4c_err(s, call, "function '%s' returns no value", decl->name);
		return NULL;
	}
	return inline_call(s, call, decl, &call->u.call.args, &v) ? NULL : v;
}

static int call_extern(struct p4c_sema *s, struct p4_node *st, struct p4_node *decl,
		       struct p4_node *call)
{
	const char *n = decl->name;
	const struct p4_list *args = &call->u.call.args;
	size_t np = decl->u.fn.params.n;
	struct p4_node *m[np ? np : 1];
	if (p4c_match_args(s, call, &decl->u.fn.params, args, m))
		return -EINVAL;
	if (!strcmp(n, "mark_to_drop")) {
		if (s->cur_state)
			return p4c_err(s, st, "mark_to_drop cannot be called in a parser");
		struct p4c_ir_call *c = p4c_emit(s, st, "mark_to_drop");
		if (np) {
			struct p4c_val *v = p4c_arg_value(s, m[0], decl->u.fn.params.v[0]);
			if (!v)
				return -EINVAL;
			if (v->k != P4C_V_STRUCT || !v->s.as_inst)
				return p4c_err(s, m[0], "mark_to_drop needs the standard_metadata "
					       "parameter");
			p4c_arg(s, c, header_expr(s, v->s.as_inst));
		}
		return 0;
	}
	if (!strcmp(n, "verify") && np == 2) {
		if (!s->cur_state)
			return p4c_err(s, st, "verify can only be called in a parser");
		struct p4c_val *c0 = p4c_arg_value(s, m[0], decl->u.fn.params.v[0]);
		struct p4c_val *c1 = p4c_arg_value(s, m[1], decl->u.fn.params.v[1]);
		if (!c0 || !c1)
			return -EINVAL;
		struct p4c_ir_call *c = p4c_emit(s, st, "verify");
		p4c_arg(s, c, p4c_val_bool(s, c0));
		p4c_arg(s, c, p4c_val_data(s, c1));
		return 0;
	}
	bool vck = !strncmp(n, "verify_checksum", 15), uck = !strncmp(n, "update_checksum", 15);
	if (vck || uck) {
		/* A block main does not use may be a checksum control: check the call. */
		if (s->checking_unused)
			return p4c_checksum_call(s, st, vck);
		return p4c_err(s, call, "%s can only be called in V1Switch's %s checksum control", n,
			       vck ? "verify" : "compute");
	}
	int r = p4c_extern_func(s, st, decl, m);
	if (r <= 0)
		return r;
	return p4c_err(s, call, "extern function '%s' is not supported yet", n);
}

/* Whether header instance h has a varbit field. */
static int varbit_of(struct p4c_sema *s, const char *h)
{
	int hi = p4c_ir_find_header(s->ir, h);
	if (hi < 0)
		return 0;
	const struct p4c_ir_htype *t = &s->ir->htypes.v[s->ir->headers.v[hi].htype];
	for (int i = 0; i < t->fields.n; i++)
		if (t->fields.v[i].is_varbit)
			return 1;
	return 0;
}

static int stmt_call(struct p4c_sema *s, struct p4_node *st, struct p4_node *call)
{
	struct p4_node *callee = call->u.call.callee;
	if (callee->kind == P4_EXPR_MEMBER) {
		const char *m = callee->name;
		struct p4_node *bn = callee->u.mem.base;
		struct p4c_val *b = p4c_check(s, bn, NULL);
		if (!b)
			return -EINVAL;
		if (b->k == P4C_V_STACK && (!strcmp(m, "push_front") || !strcmp(m, "pop_front"))) {
			struct p4c_num n;
			if (!s->cur_action)
				return p4c_err(s, call, "%s can only be called in a control", m);
			if (call->u.call.args.n != 1)
				return p4c_err(s, call, "%s takes one argument", m);
			struct p4_node *an = call->u.call.args.v[0];
			if (p4c_const_eval(s, an->kind == P4_ARG ? an->u.arg.value : an, NULL, &n, NULL))
				return -EINVAL;
			if (p4c_num_is_neg(&n) || !p4c_num_fits_u64(&n) ||
			    p4c_num_u64(&n) > (uint64_t)b->type->size)
				return p4c_err(s, an, "%s count is out of range for %s", m,
					       p4c_type_str(s, b->type));
			if (!b->lvalue)
				return p4c_err(s, call, "%s needs a stack that can be written", m);
			struct p4c_ir_call *c = p4c_emit(s, st, m[0] == 'p' && m[1] == 'u' ? "push" : "pop");
			p4c_arg(s, c, p4c_ir_kind(s->a, P4C_IRE_STACK, b->inst));
			p4c_arg(s, c, p4c_ir_const(s->a, &n, 32));
			return 0;
		}
		if (b->k == P4C_V_HEADER && b->stack_last)
			return p4c_unsupported(s, call, "a method call on 'stack.last'");
		if (b->k == P4C_V_HEADER && (!strcmp(m, "setValid") || !strcmp(m, "setInvalid"))) {
			if (call->u.call.args.n)
				return p4c_err(s, call, "%s() takes no arguments", m);
			if (!b->lvalue)
				return p4c_err(s, call, "%s() needs a header that can be written", m);
			struct p4c_ir_call *c = p4c_emit(s, st, m[3] == 'V' ? "add_header" :
							 "remove_header");
			p4c_arg(s, c, p4c_header_ref(s, b));
			return 0;
		}
		if (b->k == P4C_V_PACKET && !strcmp(m, "extract")) {
			if (!s->cur_state)
				return p4c_err(s, call, "extract can only be called in a parser");
			if (call->u.call.args.n != 1 && call->u.call.args.n != 2)
				return p4c_err(s, call, "extract takes a header, and for a header "
					       "with a varbit field its length in bits");
			struct p4_node *an = call->u.call.args.v[0];
			an = an->kind == P4_ARG ? an->u.arg.value : an;
			struct p4c_ir_expr *target;
			if (an->kind == P4_EXPR_MEMBER && !strcmp(an->name, "next")) {
				struct p4c_val *st_v = p4c_check(s, an->u.mem.base, NULL);
				if (!st_v)
					return -EINVAL;
				if (st_v->k != P4C_V_STACK)
					return p4c_err(s, an, "'.next' needs a header stack");
				target = p4c_ir_kind(s->a, P4C_IRE_STACK, st_v->inst);
			} else {
				struct p4c_val *h = p4c_check(s, an, NULL);
				if (!h)
					return -EINVAL;
				if (h->k != P4C_V_HEADER || h->stack_last || h->dyn || !h->lvalue)
					return p4c_err_whole(s, an, "extract needs a header that can be "
						       "written, found %s", p4c_type_str(s, h->type));
				target = header_expr(s, h->inst);
			}
			int vb = target->kind == P4C_IRE_HEADER ? varbit_of(s, target->hdr) : 0;
			if (vb && call->u.call.args.n != 2)
				return p4c_err(s, call, "header %s has a varbit field: extract it with "
					       "its length, pkt.extract(hdr, bits)", target->hdr);
			if (!vb && call->u.call.args.n == 2)
				return p4c_err(s, call, "extract with a length needs a header with a "
					       "varbit field");
			struct p4c_ir_expr *len = NULL;
			if (vb) {
				struct p4_node *ln = call->u.call.args.v[1];
				ln = ln->kind == P4_ARG ? ln->u.arg.value : ln;
				struct p4c_val *lv = p4c_check(s, ln, p4c_type_new(s, P4C_T_BIT, 32));
				if (!lv)
					return -EINVAL;
				if ((lv->k != P4C_V_CONST && lv->k != P4C_V_EXPR) ||
				    !(lv->type->k == P4C_T_BIT || lv->type->k == P4C_T_INFINT))
					return p4c_err(s, ln, "the length of a varbit field must be "
						       "bit<32>, found %s", p4c_type_str(s, lv->type));
				len = p4c_val_data(s, lv);
			}
			struct p4c_ir_call *c = p4c_emit(s, st, vb ? "extract_VL" : "extract");
			p4c_arg(s, c, target);
			if (len)
				p4c_arg(s, c, len);
			return 0;
		}
		if (b->k == P4C_V_PACKET && !strcmp(m, "advance")) {
			if (!s->cur_state || call->u.call.args.n != 1)
				return p4c_err(s, call, "advance takes one argument, in a parser");
			struct p4_node *an = call->u.call.args.v[0];
			struct p4c_val *v = p4c_check(s, an->kind == P4_ARG ? an->u.arg.value : an,
						      NULL);
			if (!v)
				return -EINVAL;
			if ((v->k != P4C_V_CONST && v->k != P4C_V_EXPR) ||
			    (v->type->k != P4C_T_BIT && v->type->k != P4C_T_INFINT))
				return p4c_err(s, an, "advance needs a number of bits (bit<32>), "
					       "found %s", p4c_type_str(s, v->type));
			struct p4c_ir_call *c = p4c_emit(s, st, "advance");
			p4c_arg(s, c, p4c_val_data(s, v));
			return 0;
		}
		if (b->k == P4C_V_DECL && b->decl->kind == P4_DECL_TABLE)
			return p4c_err(s, call, "table '%s' cannot be applied here (only in a "
				       "control's apply block)", b->decl->name);
		if (b->k == P4C_V_DECL && b->decl->kind == P4_DECL_INSTANCE)
			return p4c_extern_method(s, st, b->decl, call);
		return p4c_err(s, call, "method '%s' is not supported yet on %s", m,
			       b->type ? p4c_type_str(s, b->type) : "this object");
	}
	struct p4c_val *f;
	struct p4c_binding *ov = callee->kind == P4_EXPR_NAME ?
		p4c_lookup_call(s, callee->name, callee->u.ident.global, call->u.call.args.n) : NULL;
	if (ov && !ov->val) {
		f = p4l_arena_alloc(s->a, sizeof(*f));
		if (!f)
			return -ENOMEM;
		f->k = P4C_V_DECL;
		f->decl = ov->decl;
	} else {
		f = p4c_check(s, callee, NULL);
	}
	if (!f)
		return -EINVAL;
	if (f->k != P4C_V_DECL)
		return p4c_err(s, callee, "this is not something that can be called");
	switch (f->decl->kind) {
	case P4_DECL_ACTION:
		return inline_call(s, st, f->decl, &call->u.call.args, NULL);
	case P4_DECL_EXTERN_FUNC:
		return call_extern(s, st, f->decl, call);
	case P4_DECL_FUNCTION:
		return inline_call(s, st, f->decl, &call->u.call.args, NULL);
	default:
		return p4c_err(s, callee, "'%s' cannot be called", f->decl->name);
	}
}

int p4c_local_decl(struct p4c_sema *s, struct p4_node *d)
{
	if (d->kind == P4_DECL_CONST)
		return p4c_bind_new(s, d, NULL) || p4c_const_decl(s, d) ? -EINVAL : 0;
	for (int i = 0; s->scope && i < s->scope->b.n; i++)
		if (s->scope->b.v[i].name == d->name)
			return p4c_bind_new(s, d, NULL);   /* reports the redeclaration */
	struct p4c_type *t = p4c_type_of(s, d->u.var.type);
	if (!t)
		return -EINVAL;
	const char *name = p4l_arena_printf(s->a, "%s.%s", s->block_name ? s->block_name : "",
					    d->name);
	/* Distinct variables with one name (in two actions, say) get distinct storage. */
	name = p4l_arena_printf(s->a, "%s_%d", name, s->n_tmp++);
	struct p4c_val *v = p4c_new_local(s, d, name, t);
	if (!v)
		return -EINVAL;
	if (d->u.var.init) {
		struct p4_node *in = d->u.var.init;
		int rc;
		if (in->kind == P4_EXPR_LIST || in->kind == P4_EXPR_STRUCT) {
			rc = p4c_assign_list(s, d, v, in);
		} else {
			struct p4c_val *iv = p4c_check(s, in, t);
			rc = iv ? p4c_assign(s, d, v, iv) : -EINVAL;
		}
		if (rc)
			return rc;
	}
	return p4c_bind_new(s, d, v);
}

/* `if` inside an action: BMv2's core jumps, offsets counted in primitives.
 *     _jump_if_zero(cond, ELSE); then...; _jump(END); ELSE: else...; END: */
static int action_if(struct p4c_sema *s, struct p4_node *st, struct p4c_val *cond)
{
	struct p4c_ir_action *a = s->cur_action;
	int jz = a->prims.n, j = -1, rc;
	struct p4c_ir_call *c = p4c_emit(s, st, "_jump_if_zero");
	p4c_arg(s, c, p4c_val_data(s, cond));
	p4c_arg(s, c, p4c_ir_const_u64(s->a, 0, 32));
	if (p4l_arena_failed(s->a))
		return -ENOMEM;
	rc = p4c_stmt(s, st->u.if_.then);
	if (st->u.if_.els) {
		j = a->prims.n;
		c = p4c_emit(s, st, "_jump");
		p4c_arg(s, c, p4c_ir_const_u64(s->a, 0, 32));
		if (p4l_arena_failed(s->a))
			return -ENOMEM;
	}
	p4c_num_from_u64(&a->prims.v[jz].args.v[1]->num, (uint64_t)a->prims.n);
	if (st->u.if_.els) {
		if (p4c_stmt(s, st->u.if_.els))
			rc = -EINVAL;
		p4c_num_from_u64(&a->prims.v[j].args.v[0]->num, (uint64_t)a->prims.n);
	}
	return rc;
}

/* `switch (e) { a: b: {...} default: {...} }` inside an action: e is
 * computed once, then each group of labels sharing a body is tested in turn:
 *     _jump_if_zero(e == a || e == b, NEXT); body; _jump(END); NEXT: ... */
static int action_switch(struct p4c_sema *s, struct p4_node *st)
{
	struct p4c_val *v = p4c_check(s, st->u.switch_.expr, NULL);
	if (!v)
		return -EINVAL;
	if ((v->k != P4C_V_EXPR && v->k != P4C_V_CONST) || !p4c_type_is_data(v->type) ||
	    v->type->k == P4C_T_BOOL)
		return p4c_err_whole(s, st->u.switch_.expr, "cannot switch on a value of type %s",
				     p4c_type_str(s, v->type));
	if (v->k == P4C_V_EXPR && v->e->kind != P4C_IRE_FIELD)
		v = p4c_copy_in(s, st, v, false);
	if (!v)
		return -EINVAL;
	struct p4c_ir_action *a = s->cur_action;
	P4L_VEC(int) ends = { 0 };
	struct p4_node *dflt = NULL;
	struct p4c_ir_expr *cond = NULL;
	bool group_hit = false, taken = false;
	int rc = 0;
	for (size_t i = 0; i < st->u.switch_.cases.n && !rc; i++) {
		struct p4_node *cs = st->u.switch_.cases.v[i];
		if (cs->u.scase.label->kind == P4_EXPR_DEFAULT) {
			if (i + 1 != st->u.switch_.cases.n)
				return p4c_err(s, cs->u.scase.label, "'default' must be the last "
					       "label of a switch");
			dflt = cs;
			continue;
		}
		struct p4c_num lv;
		if (p4c_const_eval(s, cs->u.scase.label, v->type, &lv, NULL))
			return -EINVAL;
		if (v->k == P4C_V_CONST) {
			group_hit |= !p4c_num_cmp(&lv, &v->num);
		} else {
			struct p4c_ir_expr *eq = p4c_ir_op(s->a, "==", p4c_val_data(s, v),
				p4c_ir_const(s->a, &lv, p4c_type_width(v->type)), 0, true);
			cond = cond ? p4c_ir_op(s->a, "or", cond, eq, 0, true) : eq;
		}
		if (!cs->u.scase.body)
			continue;   /* shares the next label's body */
		if (v->k == P4C_V_CONST) {
			if (group_hit && !taken) {
				taken = true;
				rc = p4c_stmt(s, cs->u.scase.body);
			}
			group_hit = false;
			continue;
		}
		int jz = a->prims.n;
		struct p4c_ir_call *c = p4c_emit(s, cs, "_jump_if_zero");
		p4c_arg(s, c, p4c_ir_op(s->a, "b2d", NULL, cond, 1, false));
		p4c_arg(s, c, p4c_ir_const_u64(s->a, 0, 32));
		cond = NULL;
		rc = p4c_stmt(s, cs->u.scase.body);
		a = s->cur_action;
		P4L_PUSH(s->a, &ends, a->prims.n);
		c = p4c_emit(s, cs, "_jump");
		p4c_arg(s, c, p4c_ir_const_u64(s->a, 0, 32));
		if (p4l_arena_failed(s->a))
			return -ENOMEM;
		p4c_num_from_u64(&a->prims.v[jz].args.v[1]->num, (uint64_t)a->prims.n);
	}
	if (!rc && dflt && dflt->u.scase.body && !taken)
		rc = p4c_stmt(s, dflt->u.scase.body);
	a = s->cur_action;
	for (int i = 0; i < ends.n; i++)
		p4c_num_from_u64(&a->prims.v[ends.v[i]].args.v[0]->num, (uint64_t)a->prims.n);
	return rc;
}

int p4c_stmt(struct p4c_sema *s, struct p4_node *st)
{
	switch (st->kind) {
	case P4_STMT_ASSIGN:
		return stmt_assign(s, st);
	case P4_STMT_CALL:
		return stmt_call(s, st, st->u.call_stmt.call);
	case P4_STMT_BLOCK: {
		int rc = 0;
		p4c_scope_push(s);
		for (size_t i = 0; i < st->u.block.stmts.n; i++) {
			struct p4_node *x = st->u.block.stmts.v[i];
			if (x->kind == P4_STMT_RETURN && i + 1 == st->u.block.stmts.n &&
			    !x->u.ret.expr && s->cur_action && !s->ret)
				break;
			if (p4c_stmt(s, x))
				rc = -EINVAL;
		}
		p4c_scope_pop(s);
		return rc;
	}
	case P4_DECL_VAR:
	case P4_DECL_CONST:
		return p4c_local_decl(s, st);
	case P4_STMT_EMPTY:
		return 0;
	case P4_STMT_EXIT:
		if (s->cur_state)
			return p4c_err(s, st, "exit cannot be used in a parser");
		p4c_emit(s, st, "exit");
		return 0;
	case P4_STMT_IF: {
		struct p4c_val *c = p4c_check(s, st->u.if_.cond, s->t_bool);
		if (!c)
			return -EINVAL;
		if (c->type->k != P4C_T_BOOL)
			return p4c_err_whole(s, st->u.if_.cond, "condition must be a bool, found %s",
				       p4c_type_str(s, c->type));
		if (c->k == P4C_V_CONST) {
			struct p4_node *b = p4c_num_is_zero(&c->num) ? st->u.if_.els : st->u.if_.then;
			return b ? p4c_stmt(s, b) : 0;
		}
		if (s->cur_state)
			return p4c_unsupported(s, st, "an if statement in a parser state");
		return action_if(s, st, c);
	}
	case P4_STMT_RETURN:
		return stmt_return(s, st);
	case P4_STMT_SWITCH:
		if (!s->cur_action)
			return p4c_unsupported(s, st, "a switch statement in a parser state");
		return action_switch(s, st);
	default:
		return p4c_err(s, st, "%s is not allowed here", p4_kind_name(st->kind));
	}
}
