/* lower_prs.c - parsers, deparsers and the checksum controls of v1model
 * (sema.h).  A parser becomes BMv2 parse states (ops, a transition key and
 * value/mask transitions); a deparser the order of its emits; the checksum
 * controls become calculations and checksums. */
#include "sema.h"

#include <errno.h>
#include <string.h>

/* ---- Parsers ------------------------------------------------------------ */

/* The parser whose states are being lowered: its states are IR states
 * first .. first + n - 1; `accept` goes to `accept` (NULL: the end of
 * parsing; a sub-parser's caller continues in a state of its own). */
struct p4c_pctx {
	struct p4_node *prs;
	int parser;                /* index in ir->parsers */
	int first;
	const char *accept;
};

/* The state named by a transition target: its IR name, NULL for the end. */
static int state_target(struct p4c_sema *s, struct p4_node *prs, struct p4_node *n,
			const char **out)
{
	const struct p4c_pctx *pc = s->pctx;
	if (n->kind != P4_EXPR_NAME)
		return p4c_err(s, n, "expected a state name");
	if (!strcmp(n->name, "accept") || !strcmp(n->name, "reject")) {
		*out = !strcmp(n->name, "accept") && pc ? pc->accept : NULL;
		return 0;
	}
	for (size_t i = 0; i < prs->u.blk.states.n; i++)
		if (prs->u.blk.states.v[i]->name == n->name) {
			*out = pc ? s->ir->parsers.v[pc->parser].states.v[pc->first + (int)i].name :
			       n->name;
			return 0;
		}
	return p4c_err(s, n, "parser %s has no state named '%s'", prs->name, n->name);
}

static void put_bytes(struct p4c_sema *s, p4c_byte_vec *v, const struct p4c_num *n,
		      int width)
{
	int bytes = (width + 7) / 8;
	uint8_t buf[P4C_NUM_BITS / 8];
	struct p4c_num t;
	p4c_num_trunc(&t, n, width, false);
	p4c_num_bytes(&t, bytes, buf);
	for (int i = 0; i < bytes; i++)
		P4L_PUSH(s->a, v, buf[i]);
}

/* [lo, hi] of a bit<w> key as aligned prefix blocks (value, mask), the way
 * a TCAM holds a range. */
static int range_blocks(struct p4c_sema *s, const struct p4c_num *lo, const struct p4c_num *hi,
			int w, p4c_num_vec *vals, p4c_num_vec *masks)
{
	struct p4c_num cur = *lo, one, full;
	p4c_num_from_u64(&one, 1);
	p4c_num_ones(&full, w);
	for (;;) {
		int k = 0;
		/* the largest block 2^k that starts at cur and ends within hi */
		while (k < w) {
			struct p4c_num sz, low, end;
			p4c_num_shl(&sz, &one, (unsigned)k + 1);
			p4c_num_sub(&low, &sz, &one);
			p4c_num_and(&low, &low, &cur);
			if (!p4c_num_is_zero(&low))
				break;
			p4c_num_add(&end, &cur, &sz);
			p4c_num_sub(&end, &end, &one);
			if (p4c_num_cmp(&end, hi) > 0)
				break;
			k++;
		}
		struct p4c_num sz, m, next;
		p4c_num_shl(&sz, &one, (unsigned)k);
		p4c_num_sub(&m, &sz, &one);
		p4c_num_not(&m, &m);
		p4c_num_and(&m, &m, &full);
		P4L_PUSH(s->a, vals, cur);
		P4L_PUSH(s->a, masks, m);
		p4c_num_add(&next, &cur, &sz);
		if (p4l_arena_failed(s->a))
			return -ENOMEM;
		if (p4c_num_cmp(&next, hi) > 0)
			return 0;
		cur = next;
	}
}

static int lower_select(struct p4c_sema *s, struct p4_node *prs, struct p4c_ir_pstate *st,
			struct p4_node *sel)
{
	int nk = (int)sel->u.select.exprs.n;
	struct p4c_type *kt[nk ? nk : 1];
	for (int i = 0; i < nk; i++) {
		struct p4_node *e = sel->u.select.exprs.v[i];
		struct p4c_val *v = p4c_check(s, e, NULL);
		if (!v)
			return -EINVAL;
		if (v->k != P4C_V_EXPR && v->k != P4C_V_CONST)
			return p4c_err(s, e, "cannot select on a value of type %s",
				       p4c_type_str(s, v->type));
		if (!p4c_type_is_data(v->type) || v->type->k == P4C_T_SIGNED)
			return p4c_err(s, e, "cannot select on a value of type %s",
				       p4c_type_str(s, v->type));
		kt[i] = v->type;
		struct p4c_ir_expr *x = p4c_val_data(s, v);
		if ((x->kind != P4C_IRE_FIELD && x->kind != P4C_IRE_LOOKAHEAD &&
		     x->kind != P4C_IRE_STACK_FIELD) || v->slice_base) {
			/* BMv2 keys are fields: compute the expression into a temporary. */
			struct p4c_val *tmp = p4c_new_scalar(
				s, p4l_arena_printf(s->a, "tmp_%d", s->n_tmp++), v->type);
			if (!tmp || p4c_assign(s, e, tmp, v))
				return -EINVAL;
			x = tmp->e;
		}
		P4L_PUSH(s->a, &st->key, x);
	}
	int kw = 0;
	for (int i = 0; i < nk; i++)
		kw += p4c_type_width(kt[i]);
	for (size_t c = 0; c < sel->u.select.cases.n; c++) {
		struct p4_node *cs = sel->u.select.cases.v[c], *ks = cs->u.selcase.keyset;
		struct p4c_ir_transition t = { 0 };
		if (state_target(s, prs, cs->u.selcase.state, &t.next))
			return -EINVAL;
		int n = ks->kind == P4_EXPR_LIST ? (int)ks->u.list.items.n : 1;
		bool single_dc = ks->kind == P4_EXPR_DEFAULT || ks->kind == P4_EXPR_DONTCARE;
		if (single_dc) {
			t.is_default = true;
			P4L_PUSH(s->a, &st->transitions, t);
			continue;
		}
		if (ks->kind == P4_EXPR_NAME) {
			struct p4c_binding *b = p4c_lookup(s, ks->name, ks->u.ident.global);
			if (b && !b->val && b->decl->kind == P4_DECL_VALUE_SET) {
				const struct p4c_ir_vset *vs = b->decl->sema;
				if (!vs)
					return p4c_err(s, ks, "value set '%s' is not declared in this parser",
						       ks->name);
				if (vs->width != kw)
					return p4c_err(s, ks, "value set '%s' has %d bits, the select key %d",
						       ks->name, vs->width, kw);
				t.vset = vs->name;
				P4L_PUSH(s->a, &st->transitions, t);
				continue;
			}
		}
		if (n != nk)
			return p4c_err(s, ks, "select has %d keys, this case has %d values", nk, n);
		/* Each key component is a list of value/mask pairs (a range is
		 * several prefix blocks); the case is their cartesian product. */
		P4L_VEC(struct p4c_num) vals[nk ? nk : 1], masks[nk ? nk : 1];
		memset(vals, 0, sizeof(vals));
		memset(masks, 0, sizeof(masks));
		bool all_dc = true, masked = false;
		long combos = 1;
		for (int i = 0; i < n; i++) {
			struct p4_node *kv = ks->kind == P4_EXPR_LIST ? ks->u.list.items.v[i] : ks;
			int w = p4c_type_width(kt[i]);
			struct p4c_type *want = kt[i]->k == P4C_T_BOOL ? kt[i] :
						p4c_type_new(s, P4C_T_BIT, w);
			if (kt[i]->k == P4C_T_ENUM || kt[i]->k == P4C_T_ERROR)
				want = kt[i];
			struct p4c_num val, mask;
			p4c_num_ones(&mask, w);
			p4c_num_from_u64(&val, 0);
			if (kv->kind == P4_EXPR_DONTCARE || kv->kind == P4_EXPR_DEFAULT) {
				p4c_num_from_u64(&mask, 0);
				masked = true;
			} else if (kv->kind == P4_EXPR_BINARY && kv->u.binary.op == P4_BIN_MASK) {
				if (p4c_const_eval(s, kv->u.binary.lhs, want, &val, NULL) ||
				    p4c_const_eval(s, kv->u.binary.rhs, want, &mask, NULL))
					return -EINVAL;
				p4c_num_and(&val, &val, &mask);
				masked = true;
				all_dc = false;
			} else if (kv->kind == P4_EXPR_BINARY && kv->u.binary.op == P4_BIN_RANGE) {
				struct p4c_num lo, hi;
				if (kt[i]->k != P4C_T_BIT)
					return p4c_err(s, kv, "a range needs a bit<W> select key, "
						       "found %s", p4c_type_str(s, kt[i]));
				if (p4c_const_eval(s, kv->u.binary.lhs, want, &lo, NULL) ||
				    p4c_const_eval(s, kv->u.binary.rhs, want, &hi, NULL))
					return -EINVAL;
				if (p4c_num_cmp(&lo, &hi) > 0)
					return p4c_err(s, kv, "empty range: its low end is above its high end");
				if (range_blocks(s, &lo, &hi, w, (void *)&vals[i], (void *)&masks[i]))
					return -ENOMEM;
				combos *= vals[i].n;
				if (combos > 4096)
					return p4c_err(s, kv, "this case's ranges expand to more than "
						       "4096 transitions");
				masked = true;
				all_dc = false;
				continue;
			} else {
				if (p4c_const_eval(s, kv, want, &val, NULL))
					return -EINVAL;
				all_dc = false;
			}
			P4L_PUSH(s->a, &vals[i], val);
			P4L_PUSH(s->a, &masks[i], mask);
		}
		if (p4l_arena_failed(s->a))
			return -ENOMEM;
		if (all_dc) {
			t = (struct p4c_ir_transition){ .is_default = true, .next = t.next };
			P4L_PUSH(s->a, &st->transitions, t);
			continue;
		}
		int pick[nk ? nk : 1];
		memset(pick, 0, sizeof(pick));
		for (long k = 0; k < combos; k++) {
			struct p4c_ir_transition tk = { .next = t.next };
			long rest = k;
			for (int i = 0; i < nk; i++) {
				pick[i] = (int)(rest % vals[i].n);
				rest /= vals[i].n;
				int w = p4c_type_width(kt[i]);
				put_bytes(s, &tk.value, &vals[i].v[pick[i]], w);
				if (masked)
					put_bytes(s, &tk.mask, &masks[i].v[pick[i]], w);
			}
			P4L_PUSH(s->a, &st->transitions, tk);
		}
	}
	return 0;
}

/* value_set<T>(size) name;  T is bit<W> or a struct of bit<W> fields. */
static int value_set_decl(struct p4c_sema *s, struct p4_node *d)
{
	struct p4c_ir_vset vs = { .name = p4c_cp_name(s, d), .doc = P4C_DOC(d) };
	struct p4c_type *t = p4c_type_of(s, d->u.vset.type);
	struct p4c_num size;
	if (!t || p4c_const_eval(s, d->u.vset.size, NULL, &size, NULL))
		return -EINVAL;
	if (p4c_num_is_neg(&size) || p4c_num_is_zero(&size) || !p4c_num_fits_u64(&size) ||
	    p4c_num_u64(&size) > 65536)
		return p4c_err(s, d->u.vset.size, "a value set's size must be from 1 to 65536");
	vs.size = (int64_t)p4c_num_u64(&size);
	if (t->k == P4C_T_BIT) {
		vs.width = t->width;
		struct p4c_ir_field f = { .name = "", .width = t->width };
		P4L_PUSH(s->a, &vs.members, f);
	} else if (t->k == P4C_T_STRUCT) {
		struct p4_list *fl = &t->decl->u.agg.fields;
		for (size_t i = 0; i < fl->n; i++) {
			struct p4c_type *ft = p4c_field_type(s, fl->v[i]);
			if (!ft)
				return -EINVAL;
			if (ft->k != P4C_T_BIT)
				return p4c_err(s, fl->v[i], "a value set's struct may hold only "
					       "bit<W> fields, '%s' is %s", fl->v[i]->name,
					       p4c_type_str(s, ft));
			struct p4c_ir_field f = { .name = fl->v[i]->name, .width = ft->width };
			P4L_PUSH(s->a, &vs.members, f);
			vs.width += ft->width;
		}
	} else {
		return p4c_err(s, d->u.vset.type, "a value set holds bit<W> or a struct of "
			       "bit<W> fields, not %s", p4c_type_str(s, t));
	}
	if (p4c_user_id(s, d, &vs.has_user_id, &vs.user_id) || p4c_bind_new(s, d, NULL))
		return -EINVAL;
	/* the select cases need its name and width; the IR array may move */
	struct p4c_ir_vset *cp = p4l_arena_alloc(s->a, sizeof(*cp));
	P4L_PUSH(s->a, &s->ir->vsets, vs);
	if (!cp || p4l_arena_failed(s->a))
		return -ENOMEM;
	*cp = vs;
	d->sema = cp;
	return 0;
}

/* A new parse state named after `base` (unique in the parser); its index. */
static int split_state(struct p4c_sema *s, struct p4c_ir_parser *irp, const char *base,
		       const char *what)
{
	const char *name;
	for (int k = 0;; k++) {
		bool taken = false;
		name = p4l_arena_printf(s->a, "%s_%s_%d", base, what, k);
		for (int i = 0; name && i < irp->states.n && !taken; i++)
			taken = !strcmp(irp->states.v[i].name, name);
		if (!name || !taken)
			break;
	}
	struct p4c_ir_pstate st = { .name = name };
	P4L_PUSH(s->a, &irp->states, st);
	return p4l_arena_failed(s->a) ? -ENOMEM : irp->states.n - 1;
}

static int state_stmts(struct p4c_sema *s, struct p4c_ir_parser *irp, int cur,
		       struct p4_node *const *stmts, size_t n);
static struct p4_node *sub_parser(struct p4c_sema *s, struct p4_node *call);
static int sub_parser_apply(struct p4c_sema *s, struct p4c_ir_parser *irp, int cur,
			    struct p4_node *call);

/* `if` in a parser state: BMv2 parse states have no branches, so the state
 * is split: the condition goes into a temporary that selects the then or
 * else state, and both continue into a join state that gets the rest.
 * Works on state indices: adding states moves the array. */
static int state_if(struct p4c_sema *s, struct p4c_ir_parser *irp, int cur, struct p4_node *st)
{
	s->cur_state = &irp->states.v[cur];
	struct p4c_val *c = p4c_check(s, st->u.if_.cond, s->t_bool);
	if (!c)
		return -EINVAL;
	if (c->type->k != P4C_T_BOOL || (c->k != P4C_V_CONST && c->k != P4C_V_EXPR))
		return p4c_err_whole(s, st->u.if_.cond, "condition must be a bool, found %s",
			       p4c_type_str(s, c->type));
	if (c->k == P4C_V_CONST) {
		struct p4_node *b = p4c_num_is_zero(&c->num) ? st->u.if_.els : st->u.if_.then;
		return b ? state_stmts(s, irp, cur, &b, 1) : cur;
	}
	struct p4c_val *tmp = p4c_new_scalar(s, p4l_arena_printf(s->a, "tmp_%d", s->n_tmp++),
					     s->t_bool);
	if (!tmp || p4c_assign(s, st, tmp, c))
		return -EINVAL;
	const char *base = irp->states.v[cur].name;
	int then_i = split_state(s, irp, base, "then");
	int else_i = st->u.if_.els ? split_state(s, irp, base, "else") : 0;
	int join_i = split_state(s, irp, base, "join");
	if (then_i < 0 || else_i < 0 || join_i < 0)
		return -ENOMEM;
	struct p4c_ir_transition yes = { .next = irp->states.v[then_i].name };
	struct p4c_ir_transition no = { .is_default = true,
		.next = irp->states.v[st->u.if_.els ? else_i : join_i].name };
	P4L_PUSH(s->a, &yes.value, 1);
	struct p4c_ir_pstate *cs = &irp->states.v[cur];
	P4L_PUSH(s->a, &cs->key, tmp->e);
	P4L_PUSH(s->a, &cs->transitions, yes);
	P4L_PUSH(s->a, &cs->transitions, no);
	struct p4c_ir_transition to_join = { .is_default = true, .next = irp->states.v[join_i].name };
	int end = state_stmts(s, irp, then_i, &st->u.if_.then, 1);
	if (end < 0)
		return end;
	P4L_PUSH(s->a, &irp->states.v[end].transitions, to_join);
	if (st->u.if_.els) {
		end = state_stmts(s, irp, else_i, &st->u.if_.els, 1);
		if (end < 0)
			return end;
		P4L_PUSH(s->a, &irp->states.v[end].transitions, to_join);
	}
	return p4l_arena_failed(s->a) ? -ENOMEM : join_i;
}

/* Lowers statements into state cur; returns the state that ends them (cur,
 * or the last join state when an if split it), or a negative errno. */
static int state_stmts(struct p4c_sema *s, struct p4c_ir_parser *irp, int cur,
		       struct p4_node *const *stmts, size_t n)
{
	int rc = 0;
	for (size_t k = 0; k < n && cur >= 0; k++) {
		struct p4_node *st = stmts[k];
		if (st->kind == P4_STMT_BLOCK) {
			p4c_scope_push(s);
			cur = state_stmts(s, irp, cur, st->u.block.stmts.v, st->u.block.stmts.n);
			p4c_scope_pop(s);
		} else if (st->kind == P4_STMT_IF) {
			cur = state_if(s, irp, cur, st);
		} else if (st->kind == P4_STMT_CALL && sub_parser(s, st->u.call_stmt.call)) {
			cur = sub_parser_apply(s, irp, cur, st->u.call_stmt.call);
		} else {
			s->cur_state = &irp->states.v[cur];
			if (p4c_stmt(s, st))
				rc = -EINVAL;
		}
	}
	return rc ? rc : cur;
}

/* Lowers prs's states into IR states first.. (already named). */
static int parser_states(struct p4c_sema *s, struct p4c_ir_parser *irp, struct p4_node *prs,
			 int first)
{
	int rc = 0;
	for (size_t i = 0; i < prs->u.blk.states.n && !rc; i++) {
		struct p4_node *st = prs->u.blk.states.v[i];
		p4c_scope_push(s);
		int last = state_stmts(s, irp, first + (int)i, st->u.state.stmts.v,
				       st->u.state.stmts.n);
		if (last < 0)
			rc = last;
		else
			s->cur_state = &irp->states.v[last];
		struct p4_node *tr = st->u.state.transition;
		struct p4c_ir_transition t = { .is_default = true };
		if (!rc && !tr) {
			P4L_PUSH(s->a, &s->cur_state->transitions, t);
		} else if (!rc && tr->u.trans.target->kind == P4_EXPR_SELECT) {
			rc = lower_select(s, prs, s->cur_state, tr->u.trans.target);
		} else if (!rc) {
			rc = state_target(s, prs, tr->u.trans.target, &t.next);
			P4L_PUSH(s->a, &s->cur_state->transitions, t);
		}
		p4c_scope_pop(s);
	}
	return rc;
}

/* Whether instance d makes a parser. */
static bool parser_instance(struct p4c_sema *s, struct p4_node *d)
{
	struct p4_node *tn = d->u.inst.type;
	if (tn->kind == P4_TYPE_SPEC)
		tn = tn->u.spec.base;
	struct p4c_binding *pb = tn->kind == P4_TYPE_NAME ?
				 p4c_lookup(s, tn->name, tn->u.ident.global) : NULL;
	return pb && pb->decl->kind == P4_DECL_PARSER;
}

/* The parser a statement `inst.apply(...)` applies, when inst is a parser
 * instance; NULL otherwise. */
static struct p4_node *sub_parser(struct p4c_sema *s, struct p4_node *call)
{
	struct p4_node *callee = call->u.call.callee;
	if (callee->kind != P4_EXPR_MEMBER || strcmp(callee->name, "apply") ||
	    callee->u.mem.base->kind != P4_EXPR_NAME)
		return NULL;
	struct p4_node *bn = callee->u.mem.base;
	struct p4c_binding *b = p4c_lookup(s, bn->name, bn->u.ident.global);
	if (!b || b->val || b->decl->kind != P4_DECL_INSTANCE)
		return NULL;
	struct p4_node *tn = b->decl->u.inst.type;
	if (tn->kind == P4_TYPE_SPEC)
		tn = tn->u.spec.base;
	if (tn->kind != P4_TYPE_NAME)
		return NULL;
	struct p4c_binding *pb = p4c_lookup(s, tn->name, tn->u.ident.global);
	return pb && pb->decl->kind == P4_DECL_PARSER ? pb->decl : NULL;
}

/* `sub.apply(pkt, ...)` in state cur: cur goes on into the sub-parser's
 * states (copies named "<instance>.<state>"), whose accept continues in a
 * new state that gets the rest of cur's statements; returns that state. */
static int sub_parser_apply(struct p4c_sema *s, struct p4c_ir_parser *irp, int cur,
			    struct p4_node *call)
{
	struct p4_node *bn = call->u.call.callee->u.mem.base;
	struct p4_node *inst = p4c_lookup(s, bn->name, bn->u.ident.global)->decl;
	struct p4_node *prs = sub_parser(s, call);
	if (prs->u.blk.tparams.n)
		return p4c_unsupported(s, inst, "a generic parser");
	if (prs->sema_flags & P4C_F_BLOCK_BUSY)
		return p4c_err(s, inst, "parser %s instantiates itself", prs->name);
	if (irp->states.n > 100000)
		return p4c_err(s, inst, "applying %s makes the parser too large (over 100000 "
			       "states)", inst->name);
	size_t np = prs->u.blk.params.n, nc = prs->u.blk.ctor_params.n;
	struct p4_node *m[np ? np : 1], *mc[nc ? nc : 1];
	struct p4c_val *vals[np ? np : 1], *cvals[nc ? nc : 1];
	s->cur_state = &irp->states.v[cur];
	if (p4c_match_args(s, call, &prs->u.blk.params, &call->u.call.args, m) ||
	    p4c_match_args(s, inst, &prs->u.blk.ctor_params, &inst->u.inst.args, mc))
		return -EINVAL;
	for (size_t i = 0; i < np; i++) {
		if (!m[i] || !(vals[i] = p4c_arg_value(s, m[i], prs->u.blk.params.v[i])))
			return m[i] ? -EINVAL : p4c_err(s, call, "missing argument for parameter "
							  "'%s'", prs->u.blk.params.v[i]->name);
		if (prs->u.blk.params.v[i]->u.param.dir == P4_DIR_IN)
			vals[i] = p4c_readonly(s, vals[i]);
	}
	for (size_t i = 0; i < nc; i++) {
		struct p4_node *p = prs->u.blk.ctor_params.v[i];
		struct p4c_type *pt = p4c_type_of(s, p->u.param.type);
		struct p4c_num n;
		if (!pt)
			return -EINVAL;
		if (!mc[i])
			return p4c_err(s, inst, "missing constructor argument for '%s'", p->name);
		struct p4_node *an = mc[i]->kind == P4_ARG ? mc[i]->u.arg.value : mc[i];
		if (!p4c_type_is_data(pt))
			return p4c_unsupported(s, an, "a constructor argument that is not a "
					       "constant of a data type");
		if (p4c_const_eval(s, an, pt, &n, NULL))
			return -EINVAL;
		cvals[i] = p4l_arena_alloc(s->a, sizeof(*cvals[i]));
		if (!cvals[i])
			return -ENOMEM;
		cvals[i]->k = P4C_V_CONST;
		cvals[i]->type = pt;
		cvals[i]->num = n;
	}
	for (size_t i = 0; i < prs->u.blk.states.n; i++)
		if (prs->u.blk.states.v[i]->name == p4c_intern(s, "start"))
			goto has_start;
	return p4c_err(s, prs, "parser %s has no 'start' state", prs->name);
has_start:;
	/* the sub-parser's states, then the caller's continuation */
	const char *iname = p4c_cp_name(s, inst);
	int first = irp->states.n;
	for (size_t i = 0; i < prs->u.blk.states.n; i++) {
		const char *base = p4l_arena_printf(s->a, "%s.%s", iname,
						    prs->u.blk.states.v[i]->name);
		const char *name = base;
		for (int k = 0; name; k++) {
			bool taken = false;
			for (int j = 0; j < irp->states.n && !taken; j++)
				taken = !strcmp(irp->states.v[j].name, name);
			if (!taken)
				break;
			name = p4l_arena_printf(s->a, "%s_%d", base, k);
		}
		struct p4c_ir_pstate ir_st = { .name = name };
		P4L_PUSH(s->a, &irp->states, ir_st);
	}
	int cont = split_state(s, irp, irp->states.v[cur].name, "after");
	if (cont < 0 || p4l_arena_failed(s->a))
		return -ENOMEM;
	int start = first;
	while (strcmp(prs->u.blk.states.v[start - first]->name, "start"))
		start++;
	struct p4c_ir_transition go = { .is_default = true, .next = irp->states.v[start].name };
	P4L_PUSH(s->a, &irp->states.v[cur].transitions, go);

	size_t nl = prs->u.blk.locals.n;
	void *saved_sema[nl ? nl : 1];
	for (size_t i = 0; i < nl; i++) {
		saved_sema[i] = prs->u.blk.locals.v[i]->sema;
		prs->u.blk.locals.v[i]->sema = NULL;
	}
	struct p4c_pctx pc = { .prs = prs, .parser = (int)(irp - s->ir->parsers.v), .first = first,
			       .accept = irp->states.v[cont].name };
	void *saved_pc = s->pctx;
	const char *saved_name = s->block_name;
	struct p4_node *saved_block = s->block;
	struct p4c_scope *saved_scope = s->scope;
	s->pctx = &pc;
	s->block_name = iname;
	s->block = prs;
	s->scope = s->global;
	p4c_scope_push(s);
	for (size_t i = 0; i < nc; i++)
		p4c_bind(s, prs->u.blk.ctor_params.v[i]->name, prs->u.blk.ctor_params.v[i], cvals[i]);
	for (size_t i = 0; i < np; i++)
		p4c_bind(s, prs->u.blk.params.v[i]->name, prs->u.blk.params.v[i], vals[i]);
	int rc = 0;
	s->cur_state = &irp->states.v[start];
	for (size_t i = 0; i < nl && !rc; i++) {
		struct p4_node *d = prs->u.blk.locals.v[i];
		if (d->kind == P4_DECL_VAR || d->kind == P4_DECL_CONST)
			rc = p4c_local_decl(s, d);
		else if (d->kind == P4_DECL_VALUE_SET)
			rc = value_set_decl(s, d);
		else if (d->kind == P4_DECL_INSTANCE && parser_instance(s, d))
			rc = p4c_bind_new(s, d, NULL);
		else
			rc = p4c_err(s, d, "%s '%s' in a parser is not supported yet",
				     p4_kind_name(d->kind), d->name ? d->name : "");
	}
	prs->sema_flags |= P4C_F_BLOCK_BUSY;
	if (!rc)
		rc = parser_states(s, irp, prs, first);
	prs->sema_flags &= ~(uint64_t)P4C_F_BLOCK_BUSY;
	s->pctx = saved_pc;
	s->block_name = saved_name;
	s->block = saved_block;
	s->scope = saved_scope;
	for (size_t i = 0; i < nl; i++)
		prs->u.blk.locals.v[i]->sema = saved_sema[i];
	return rc ? -EINVAL : cont;
}

int p4c_lower_parser(struct p4c_sema *s, struct p4_node *prs, struct p4c_val **params,
		     int n_params)
{
	struct p4c_ir_parser ps = { .name = "parser", .init_state = "start" };
	struct p4c_scope *saved = s->scope;
	int rc = 0;
	bool has_start = false;

	s->block = prs;
	s->block_name = p4c_anno_name(prs) ? p4c_anno_name(prs) : prs->name;
	for (size_t i = 0; i < prs->u.blk.states.n; i++) {
		struct p4_node *st = prs->u.blk.states.v[i];
		for (size_t k = 0; k < i; k++)
			if (prs->u.blk.states.v[k]->name == st->name)
				return p4c_err(s, st, "state '%s' is declared twice", st->name);
		if (!strcmp(st->name, "accept") || !strcmp(st->name, "reject"))
			return p4c_err(s, st, "state '%s' is predefined and cannot be declared",
				       st->name);
		has_start |= !strcmp(st->name, "start");
		struct p4c_ir_pstate ir_st = { .name = st->name };
		P4L_PUSH(s->a, &ps.states, ir_st);
	}
	if (!has_start)
		return p4c_err(s, prs, "parser %s has no 'start' state", prs->name);
	P4L_PUSH(s->a, &s->ir->parsers, ps);
	struct p4c_ir_parser *irp = &s->ir->parsers.v[s->ir->parsers.n - 1];
	if (p4l_arena_failed(s->a))
		return -ENOMEM;

	p4c_scope_push(s);
	for (int i = 0; i < n_params && i < (int)prs->u.blk.params.n; i++)
		p4c_bind(s, prs->u.blk.params.v[i]->name, prs->u.blk.params.v[i], params[i]);
	int start = 0;
	while (strcmp(irp->states.v[start].name, "start"))
		start++;
	s->cur_state = &irp->states.v[start];
	for (size_t i = 0; i < prs->u.blk.locals.n && !rc; i++) {
		struct p4_node *d = prs->u.blk.locals.v[i];
		if (d->kind == P4_DECL_VAR || d->kind == P4_DECL_CONST)
			rc = p4c_local_decl(s, d);
		else if (d->kind == P4_DECL_VALUE_SET)
			rc = value_set_decl(s, d);
		else if (d->kind == P4_DECL_INSTANCE && parser_instance(s, d))
			rc = p4c_bind_new(s, d, NULL);
		else
			rc = p4c_err(s, d, "%s '%s' in a parser is not supported yet",
				     p4_kind_name(d->kind), d->name ? d->name : "");
	}
	struct p4c_pctx pc = { .prs = prs, .parser = s->ir->parsers.n - 1, .first = 0 };
	void *saved_pc = s->pctx;
	s->pctx = &pc;
	if (!rc)
		rc = parser_states(s, irp, prs, 0);
	s->pctx = saved_pc;
	s->cur_state = NULL;
	s->scope = saved;
	s->block = NULL;
	s->block_name = NULL;
	return rc;
}

/* ---- Deparsers ---------------------------------------------------------- */

static int emit_order(struct p4c_sema *s, struct p4_node *at, struct p4c_ir_deparser *d,
		      struct p4c_val *v)
{
	if (v->k == P4C_V_HEADER && !v->stack_last && !v->dyn) {
		P4L_PUSH(s->a, &d->order, v->inst);
		return 0;
	}
	if (v->k == P4C_V_STACK) {
		for (int i = 0; i < v->type->size; i++)
			P4L_PUSH(s->a, &d->order, p4l_arena_printf(s->a, "%s[%d]", v->inst, i));
		return 0;
	}
	if (v->k == P4C_V_STRUCT && !v->s.as_inst) {
		struct p4_node *decl = v->type->decl;
		for (size_t i = 0; i < decl->u.agg.fields.n; i++) {
			struct p4c_type *ft = p4c_field_type(s, decl->u.agg.fields.v[i]);
			if (!ft)
				return -EINVAL;
			if (ft->k != P4C_T_HEADER && ft->k != P4C_T_STACK && ft->k != P4C_T_STRUCT &&
			    ft->k != P4C_T_UNION)
				continue;
			struct p4c_val *m = p4c_member(s, at, v, decl->u.agg.fields.v[i]->name);
			if (!m || emit_order(s, at, d, m))
				return -EINVAL;
		}
		return 0;
	}
	return p4c_err(s, at, "emit needs a header, a header stack or a struct of headers, "
		       "found %s", p4c_type_str(s, v->type));
}

static int deparse_stmt(struct p4c_sema *s, struct p4c_ir_deparser *d, struct p4_node *st)
{
	if (st->kind == P4_STMT_BLOCK) {
		for (size_t i = 0; i < st->u.block.stmts.n; i++)
			if (deparse_stmt(s, d, st->u.block.stmts.v[i]))
				return -EINVAL;
		return 0;
	}
	if (st->kind == P4_STMT_EMPTY)
		return 0;
	if (st->kind == P4_STMT_CALL) {
		struct p4_node *call = st->u.call_stmt.call, *callee = call->u.call.callee;
		if (callee->kind == P4_EXPR_MEMBER && !strcmp(callee->name, "emit")) {
			struct p4c_val *b = p4c_check(s, callee->u.mem.base, NULL);
			if (!b)
				return -EINVAL;
			if (b->k == P4C_V_PACKET) {
				if (call->u.call.args.n != 1)
					return p4c_err(s, call, "emit takes one argument");
				struct p4_node *a = call->u.call.args.v[0];
				struct p4c_val *v = p4c_check(s, a->kind == P4_ARG ? a->u.arg.value : a,
							      NULL);
				return v ? emit_order(s, a, d, v) : -EINVAL;
			}
		}
	}
	return p4c_unsupported(s, st, "a deparser statement other than emit");
}

int p4c_lower_deparser(struct p4c_sema *s, struct p4_node *ctl, struct p4c_val **params,
		       int n_params)
{
	struct p4c_ir_deparser d = { .name = "deparser" };
	struct p4c_scope *saved = s->scope;
	int rc = 0;
	s->block_name = p4c_anno_name(ctl) ? p4c_anno_name(ctl) : ctl->name;
	p4c_scope_push(s);
	for (int i = 0; i < n_params && i < (int)ctl->u.blk.params.n; i++)
		p4c_bind(s, ctl->u.blk.params.v[i]->name, ctl->u.blk.params.v[i], params[i]);
	for (size_t i = 0; i < ctl->u.blk.locals.n && !rc; i++)
		rc = p4c_unsupported(s, ctl->u.blk.locals.v[i], "a declaration in a deparser");
	if (!rc && ctl->u.blk.body)
		rc = deparse_stmt(s, &d, ctl->u.blk.body);
	if (!rc)
		P4L_PUSH(s->a, &s->ir->deparsers, d);
	s->scope = saved;
	s->block_name = NULL;
	return rc;
}

/* ---- Checksums ---------------------------------------------------------- */

const char *p4c_calc_name(struct p4c_sema *s)
{
	int n = s->n_calc_names++;
	return n ? p4l_arena_printf(s->a, "calc_%d", n - 1) : "calc";
}

int p4c_calc_inputs(struct p4c_sema *s, struct p4_node *at, struct p4c_ir_calc *calc,
		       struct p4c_val *v)
{
	if (v->k == P4C_V_EXPR) {
		if ((v->e->kind != P4C_IRE_FIELD || v->slice_base) && s->cur_action &&
		    p4c_type_is_data(v->type)) {
			/* BMv2 hashes fields: compute the value (an action
			 * parameter, a slice, a sum) into a temporary first */
			v = p4c_copy_in(s, at, v, false);
			if (!v)
				return -EINVAL;
		}
		if (v->e->kind != P4C_IRE_FIELD || v->slice_base)
			return p4c_unsupported(s, at, "a checksum input that is not a field");
		P4L_PUSH(s->a, &calc->inputs, v->e);
		return 0;
	}
	if (v->k == P4C_V_CONST) {
		if (v->type->k != P4C_T_BIT)
			return p4c_err(s, at, "a constant checksum input needs a bit<W> type, "
				       "found %s", p4c_type_str(s, v->type));
		P4L_PUSH(s->a, &calc->inputs, p4c_val_data(s, v));
		return 0;
	}
	if (v->k == P4C_V_HEADER || v->k == P4C_V_STRUCT) {
		struct p4_node *decl = v->type->decl;
		for (size_t i = 0; i < decl->u.agg.fields.n; i++) {
			struct p4c_val *m = p4c_member(s, at, v, decl->u.agg.fields.v[i]->name);
			if (!m || p4c_calc_inputs(s, at, calc, m))
				return -EINVAL;
		}
		return 0;
	}
	return p4c_err(s, at, "a checksum input of type %s is not supported",
		       p4c_type_str(s, v->type));
}

int p4c_checksum_call(struct p4c_sema *s, struct p4_node *st, bool verify)
{
	struct p4_node *call = st->u.call_stmt.call, *callee = call->u.call.callee;
	const char *want = verify ? "verify_checksum" : "update_checksum";
	size_t wl = strlen(want);
	if (callee->kind != P4_EXPR_NAME)
		return p4c_unsupported(s, st, "a statement other than a checksum call here");
	/* The _with_payload forms add the headers after the last input and the
	 * payload (TCP and UDP checksums). */
	bool payload = !strncmp(callee->name, want, wl) &&
		       !strcmp(callee->name + wl, "_with_payload");
	if (strcmp(callee->name, want) && !payload)
		return p4c_err(s, callee, "only %s and %s_with_payload can be called in this "
			       "control", want, want);
	struct p4c_binding *b = p4c_lookup(s, callee->name, callee->u.ident.global);
	if (!b || b->decl->kind != P4_DECL_EXTERN_FUNC || b->decl->u.fn.params.n != 4)
		return p4c_err(s, callee, "'%s' is not the v1model extern", callee->name);
	struct p4_node *m[4];
	if (p4c_match_args(s, call, &b->decl->u.fn.params, &call->u.call.args, m))
		return -EINVAL;
	for (int i = 0; i < 4; i++)
		if (m[i]->kind == P4_ARG)
			m[i] = m[i]->u.arg.value;
	struct p4c_val *cond = p4c_check(s, m[0], s->t_bool);
	if (!cond)
		return -EINVAL;
	if (cond->type->k != P4C_T_BOOL)
		return p4c_err_whole(s, m[0], "condition must be a bool, found %s",
			       p4c_type_str(s, cond->type));
	struct p4c_ir_calc calc = { 0 };
	calc.name = p4c_calc_name(s);
	if (m[1]->kind == P4_EXPR_LIST) {
		for (size_t i = 0; i < m[1]->u.list.items.n; i++) {
			struct p4_node *it = m[1]->u.list.items.v[i];
			struct p4c_val *v = p4c_check(s, it, NULL);
			if (!v || p4c_calc_inputs(s, it, &calc, v))
				return -EINVAL;
		}
	} else {
		struct p4c_val *v = p4c_check(s, m[1], NULL);
		if (!v || p4c_calc_inputs(s, m[1], &calc, v))
			return -EINVAL;
	}
	struct p4c_val *target = p4c_check(s, m[2], NULL);
	if (!target)
		return -EINVAL;
	if (target->k != P4C_V_EXPR || target->e->kind != P4C_IRE_FIELD || target->slice_base)
		return p4c_err(s, m[2], "the checksum must be a field");
	struct p4c_val *algo = p4c_check(s, m[3], NULL);
	if (!algo)
		return -EINVAL;
	const char *an = p4c_enum_name(algo);
	if (!an || strcmp(algo->type->name, "HashAlgorithm"))
		return p4c_err(s, m[3], "expected a HashAlgorithm, found %s",
			       p4c_type_str(s, algo->type));
	static const char *const known[] = { "csum16", "crc32", "crc16", "identity", "xor16" };
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(an, known[i]))
			calc.algo = known[i];
	if (!calc.algo)
		return p4c_err(s, m[3], "hash algorithm '%s' is not supported yet", an);
	if (payload) {
		struct p4c_ir_expr *pl = p4c_ir_kind(s->a, P4C_IRE_REF, NULL);
		if (!pl)
			return -ENOMEM;
		pl->field = "payload";
		P4L_PUSH(s->a, &calc.inputs, pl);
	}
	if (cond->k == P4C_V_CONST && p4c_num_is_zero(&cond->num))
		return 0;   /* never computed */
	P4L_PUSH(s->a, &s->ir->calcs, calc);
	struct p4c_ir_checksum ck = {
		.target = target->e, .calc = s->ir->calcs.n - 1, .verify = verify, .update = !verify,
		.if_cond = cond->k == P4C_V_CONST ? NULL : p4c_val_bool(s, cond),
	};
	ck.name = s->n_calc ? p4l_arena_printf(s->a, "cksum_%d", s->n_calc - 1) : "cksum";
	s->n_calc++;
	P4L_PUSH(s->a, &s->ir->checksums, ck);
	return 0;
}

static int checksum_stmt(struct p4c_sema *s, struct p4_node *st, bool verify)
{
	if (st->kind == P4_STMT_BLOCK) {
		int rc = 0;
		for (size_t i = 0; i < st->u.block.stmts.n; i++)
			if (checksum_stmt(s, st->u.block.stmts.v[i], verify))
				rc = -EINVAL;
		return rc;
	}
	if (st->kind == P4_STMT_EMPTY)
		return 0;
	if (st->kind == P4_STMT_CALL)
		return p4c_checksum_call(s, st, verify);
	return p4c_unsupported(s, st, verify ? "a statement other than verify_checksum here" :
			       "a statement other than update_checksum here");
}

int p4c_lower_checksum(struct p4c_sema *s, struct p4_node *ctl, bool verify,
		       struct p4c_val **params, int n_params)
{
	struct p4c_scope *saved = s->scope;
	int rc = 0;
	s->block_name = p4c_anno_name(ctl) ? p4c_anno_name(ctl) : ctl->name;
	p4c_scope_push(s);
	for (int i = 0; i < n_params && i < (int)ctl->u.blk.params.n; i++)
		p4c_bind(s, ctl->u.blk.params.v[i]->name, ctl->u.blk.params.v[i], params[i]);
	for (size_t i = 0; i < ctl->u.blk.locals.n && !rc; i++)
		rc = p4c_unsupported(s, ctl->u.blk.locals.v[i], "a declaration in a checksum control");
	if (!rc && ctl->u.blk.body)
		rc = checksum_stmt(s, ctl->u.blk.body, verify);
	s->scope = saved;
	s->block_name = NULL;
	return rc;
}
