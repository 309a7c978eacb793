/* lower_ctl.c - controls (sema.h): actions become BMv2 actions, tables
 * BMv2 tables, and the apply block a graph of tables and conditionals.
 *
 * The graph is built forwards (names declared in the apply block must be
 * bound before later statements use them): each statement's first node
 * takes over the "pending exits" of what came before (next-node slots not
 * yet filled), and leaves its own.  Runs of plain statements (assignments,
 * action and extern calls) become one synthesized action applied by a
 * keyless table, as p4c does. */
#include "sema.h"

#include <errno.h>
#include <string.h>

enum exit_kind { EX_INIT, EX_BASE, EX_ACTION, EX_HIT, EX_MISS, EX_TRUE, EX_FALSE };

struct exit {
	enum exit_kind k;
	int idx;      /* table or conditional index */
	int slot;     /* EX_ACTION: which action */
};

typedef P4L_VEC(struct exit) exits_t;

struct ctl {
	struct p4c_sema *s;
	int pipe;                  /* index in ir->pipelines */
	exits_t pending;
	P4L_VEC(struct p4_node *) group;   /* plain statements not lowered yet */
	exits_t *returns;          /* inside a sub-control: where its `return`s go */
};

static struct p4c_ir_pipeline *pipe_of(struct ctl *c)
{
	return &c->s->ir->pipelines.v[c->pipe];
}

static void patch(struct ctl *c, const char *name)
{
	struct p4c_ir_program *ir = c->s->ir;
	for (int i = 0; i < c->pending.n; i++) {
		struct exit *x = &c->pending.v[i];
		struct p4c_ir_table *t = x->k <= EX_MISS && x->k != EX_INIT ? &ir->tables.v[x->idx] : NULL;
		switch (x->k) {
		case EX_INIT: pipe_of(c)->init = name; break;
		case EX_BASE: t->base_next = name; break;
		case EX_ACTION: t->next_by_action.v[x->slot] = name; break;
		case EX_HIT: t->next_hit = name; break;
		case EX_MISS: t->next_miss = name; break;
		case EX_TRUE: pipe_of(c)->conds.v[x->idx].true_next = name; break;
		case EX_FALSE: pipe_of(c)->conds.v[x->idx].false_next = name; break;
		}
	}
	c->pending.n = 0;
}

static void pend(struct ctl *c, enum exit_kind k, int idx, int slot)
{
	struct exit x = { k, idx, slot };
	P4L_PUSH(c->s->a, &c->pending, x);
}

static const char *unique_table_name(struct p4c_sema *s, const char *base)
{
	const char *n = base;
	for (int k = 0;; k++) {
		bool taken = false;
		for (int i = 0; i < s->ir->tables.n && !taken; i++)
			taken = !strcmp(s->ir->tables.v[i].name, n);
		if (!taken)
			return n;
		n = p4l_arena_printf(s->a, "%s_%d", base, k);
	}
}

/* ---- Actions ------------------------------------------------------------ */

int p4c_user_id(struct p4c_sema *s, struct p4_node *n, int *has, uint32_t *id)
{
	struct p4_node *a = p4c_anno(n, "id");
	if (!a)
		return 0;
	struct p4c_num v;
	struct p4c_type *t;
	if (a->u.anno.form != P4_ANNO_EXPRS || a->u.anno.exprs.n != 1)
		return p4c_err(s, a, "@id needs one integer argument");
	if (p4c_const_eval(s, a->u.anno.exprs.v[0], NULL, &v, &t))
		return -EINVAL;
	if ((t->k != P4C_T_INFINT && t->k != P4C_T_BIT) || p4c_num_is_neg(&v) ||
	    p4c_num_is_zero(&v) || p4c_num_bits(&v) > 32)
		return p4c_err(s, a->u.anno.exprs.v[0], "@id needs a positive 32-bit integer, "
			       "found %s", p4c_type_str(s, t));
	*has = 1;
	*id = (uint32_t)p4c_num_u64(&v);
	return 0;
}

/* Records the P4Info @id of a table (prefix 2) or action (prefix 1); two
 * objects with one id is an error at the second. */
static int claim_id(struct p4c_sema *s, struct p4_node *at, uint32_t prefix, uint32_t id,
		    const char *name)
{
	if (!(id >> 24))
		id |= prefix << 24;
	for (int i = 0; i < s->ids.n; i++) {
		if (s->ids.v[i].id != id || !strcmp(s->ids.v[i].name, name))
			continue;
		p4c_err(s, at, "@id 0x%08x of '%s' is already the @id of '%s'", id, name,
			s->ids.v[i].name);
		p4_diag_note(s->diag, &s->ids.v[i].at->loc, "'%s' is declared here",
			     s->ids.v[i].name);
		return -EINVAL;
	}
	struct p4c_id_claim c = { id, name, at };
	P4L_PUSH(s->a, &s->ids, c);
	return 0;
}

int p4c_action_instance(struct p4c_sema *s, struct p4_node *at, struct p4_node *decl,
			struct p4_node **args, int n_args, bool hidden)
{
	struct p4c_declinfo *di = p4c_declare(s, decl);
	if (!di)
		return -ENOMEM;
	const struct p4_list *params = &decl->u.fn.params;
	bool directional = false;
	for (size_t i = 0; i < params->n; i++)
		directional |= params->v[i]->u.param.dir != P4_DIR_NONE;
	if (!directional && di->instance >= 0)
		return di->instance;

	/* Directional parameters take the arguments' values, in the caller's scope. */
	struct p4c_val *bound[params->n ? params->n : 1];
	for (size_t i = 0; i < params->n; i++) {
		struct p4_node *p = params->v[i];
		bound[i] = NULL;
		if (p->u.param.dir == P4_DIR_NONE)
			continue;
		if ((int)i >= n_args || !args[i])
			return p4c_err(s, at, "action '%s': missing argument for %s parameter '%s'",
				       decl->name, p->u.param.dir == P4_DIR_IN ? "in" :
				       p->u.param.dir == P4_DIR_OUT ? "out" : "inout", p->name);
		struct p4_node *an = args[i]->kind == P4_ARG ? args[i]->u.arg.value : args[i];
		struct p4c_type *pt = p4c_type_of(s, p->u.param.type);
		bound[i] = pt ? p4c_check(s, an, pt) : NULL;
		if (!bound[i])
			return -EINVAL;
		if (bound[i]->k == P4C_V_CONST && bound[i]->type->k == P4C_T_INFINT &&
		    (pt->k == P4C_T_BIT || pt->k == P4C_T_SIGNED)) {
			struct p4c_val *cv = p4l_arena_alloc(s->a, sizeof(*cv));
			if (!cv)
				return -ENOMEM;
			*cv = *bound[i];
			cv->type = pt;
			p4c_int_to(s, an, &cv->num, &bound[i]->num, pt);
			bound[i] = cv;
		} else if (!p4c_type_eq(pt, bound[i]->type)) {
			return p4c_err(s, an, "argument for parameter '%s': expected %s, found %s",
				       p->name, p4c_type_str(s, pt), p4c_type_str(s, bound[i]->type));
		}
	}

	const char *saved_block = s->block_name;
	s->block_name = di->block_name;
	struct p4c_ir_action act = { .name = p4c_cp_name(s, decl), .hidden = hidden,
				     .doc = P4C_DOC(decl) };
	s->block_name = saved_block;
	if (p4c_user_id(s, decl, &act.has_user_id, &act.user_id) ||
	    (act.has_user_id && claim_id(s, decl, 1, act.user_id, act.name)))
		return -EINVAL;
	P4L_PUSH(s->a, &s->ir->actions, act);
	int idx = s->ir->actions.n - 1;
	if (p4l_arena_failed(s->a))
		return -ENOMEM;

	struct p4c_scope *saved_scope = s->scope;
	struct p4c_ir_action *saved_act = s->cur_action;
	struct p4c_ir_pstate *saved_state = s->cur_state;
	s->scope = di->scope ? di->scope : s->global;
	s->block_name = di->block_name;
	p4c_scope_push(s);
	int rc = 0, k = 0;
	for (size_t i = 0; i < params->n && !rc; i++) {
		struct p4_node *p = params->v[i];
		if (bound[i]) {
			p4c_bind(s, p->name, p, bound[i]);
			continue;
		}
		struct p4c_type *pt = p4c_type_of(s, p->u.param.type);
		if (!pt) {
			rc = -EINVAL;
			break;
		}
		if (!p4c_type_is_data(pt) || pt->k == P4C_T_ERROR) {
			rc = p4c_err(s, p, "action parameter '%s' of type %s is not supported yet",
				     p->name, p4c_type_str(s, pt));
			break;
		}
		struct p4c_ir_param ip = { .name = p->name, .width = p4c_type_width(pt),
					   .id = (uint32_t)k + 1 };
		int has_id = 0;
		if (p4c_user_id(s, p, &has_id, &ip.id)) {
			rc = -EINVAL;
			break;
		}
		P4L_PUSH(s->a, &s->ir->actions.v[idx].params, ip);
		struct p4c_ir_expr *e = p4c_ir_kind(s->a, P4C_IRE_PARAM, NULL);
		struct p4c_val *v = p4l_arena_alloc(s->a, sizeof(*v));
		if (!e || !v) {
			rc = -ENOMEM;
			break;
		}
		e->index = k++;
		e->width = ip.width;
		v->k = P4C_V_EXPR;
		v->type = pt;
		v->e = e;
		/* action data is unsigned: an int<W> parameter is read back signed */
		if (pt->k == P4C_T_SIGNED)
			v->e = p4c_ir_op(s->a, "two_comp_mod", e,
					 p4c_ir_const_u64(s->a, (uint64_t)pt->width, 8), pt->width, false);
		p4c_bind(s, p->name, p, v);
	}
	s->cur_state = NULL;
	s->cur_action = &s->ir->actions.v[idx];
	for (size_t i = 0; i < params->n && !rc; i++) {
		struct p4_node *p = params->v[i];
		if (bound[i] && p->u.param.dir == P4_DIR_IN && bound[i]->k == P4C_V_EXPR) {
			struct p4c_val *c = p4c_copy_in(s, p, bound[i], true);
			if (!c)
				rc = -EINVAL;
			else
				p4c_bind(s, p->name, p, c);
		}
	}
	struct p4_node *saved_decl = s->cur_action_decl;
	s->cur_action_decl = decl;
	if (!rc && decl->u.fn.body)
		rc = p4c_action_body(s, decl);
	s->cur_action_decl = saved_decl;
	s->cur_action = saved_act;
	s->cur_state = saved_state;
	s->scope = saved_scope;
	s->block_name = saved_block;
	if (rc)
		return rc;
	if (!directional)
		di->instance = idx;
	return idx;
}

/* ---- Tables ------------------------------------------------------------- */


static int table_key(struct p4c_sema *s, struct p4c_ir_table *t, struct p4_node *ke)
{
	struct p4c_ir_key k = { 0 };
	struct p4_node *mk = ke->u.key.match_kind, *e = ke->u.key.expr;
	static const char *const kinds[] = {
#define X(en, str) str,
		P4C_IR_MATCH_KINDS(X)
#undef X
	};
	int m = -1;
	/* a selector key is no match field: it feeds the action selector */
	bool sel = mk->name && !strcmp(mk->name, "selector");
	for (int i = 0; i < (int)(sizeof(kinds) / sizeof(kinds[0])); i++)
		if (mk->name && !strcmp(mk->name, kinds[i]))
			m = i;
	if (sel)
		m = P4C_MATCH_EXACT;
	if (m < 0)
		return p4c_err(s, mk, "match kind '%s' is not supported yet",
			       mk->name ? mk->name : "?");
	k.match = (enum p4c_ir_match)m;
	k.name = p4c_anno_name(ke);
	if (!k.name)
		k.name = p4c_expr_text(s, e);
	if (p4c_user_id(s, ke, &k.has_user_id, &k.user_id))
		return -EINVAL;
	for (int i = 0; i < t->keys.n; i++) {
		uint32_t other = t->keys.v[i].has_user_id ? t->keys.v[i].user_id : (uint32_t)i + 1;
		uint32_t mine = k.has_user_id ? k.user_id : (uint32_t)t->keys.n + 1;
		if (other == mine)
			return p4c_err(s, ke, "key '%s' has the id %u of key '%s'", k.name, mine,
				       t->keys.v[i].name);
	}
	struct p4_node *fe = e;
	if (e->kind == P4_EXPR_BINARY && e->u.binary.op == P4_BIN_BAND) {
		struct p4c_type *mt;
		fe = e->u.binary.lhs;
		struct p4c_val *fv = p4c_check(s, fe, NULL);
		if (!fv)
			return -EINVAL;
		if (p4c_const_eval(s, e->u.binary.rhs, fv->type->k == P4C_T_BIT ? fv->type : NULL,
				   &k.mask, &mt))
			return -EINVAL;
		k.has_mask = true;
	}
	struct p4c_val *v = p4c_check(s, fe, NULL);
	if (!v)
		return -EINVAL;
	if (v->k == P4C_V_EXPR && v->e->kind == P4C_IRE_OP && !strcmp(v->e->op, "valid")) {
		/* BMv2's hidden validity field: a 1-bit key the control plane
		 * matches like any other (P4Runtime has no "valid" match). */
		k.target = p4c_ir_field(s->a, v->e->r->hdr, "$valid$", 1);
		k.is_valid = true;
		k.width = 1;
	} else if (v->k == P4C_V_EXPR && v->e->kind == P4C_IRE_FIELD && !v->slice_base) {
		k.target = v->e;
		k.width = p4c_type_width(v->type);
	} else if ((v->k == P4C_V_EXPR || v->k == P4C_V_CONST) && p4c_type_is_data(v->type) &&
		   v->type->k != P4C_T_SIGNED) {
		/* BMv2 matches fields only: the expression (a slice, say) is
		 * computed into a scalar by an action that runs just before. */
		if (t->key_action < 0) {
			struct p4c_ir_action ka = { .hidden = true };
			ka.name = p4l_arena_printf(s->a, "%s_key", t->name);
			P4L_PUSH(s->a, &s->ir->actions, ka);
			if (p4l_arena_failed(s->a))
				return -ENOMEM;
			t->key_action = s->ir->actions.n - 1;
		}
		struct p4c_val *tmp = p4c_new_scalar(s, p4l_arena_printf(s->a, "%s.key_%d", t->name,
									 t->keys.n), v->type);
		struct p4c_ir_action *saved = s->cur_action;
		s->cur_action = &s->ir->actions.v[t->key_action];
		int rc = tmp ? p4c_assign(s, e, tmp, v) : -ENOMEM;
		s->cur_action = saved;
		if (rc)
			return rc;
		k.target = tmp->e;
		k.width = p4c_type_width(v->type);
	} else {
		return p4c_err(s, e, "a table key of type %s is not supported yet",
			       p4c_type_str(s, v->type));
	}
	if (sel) {
		if (k.is_valid)
			return p4c_err(s, e, "a selector key must be a field or an expression, "
				       "not isValid()");
		P4L_PUSH(s->a, &t->sel_keys, k.target);
		return 0;
	}
	P4L_PUSH(s->a, &t->keys, k);
	return 0;
}

/* Finds decl in the table's actions; -1 if absent. */
static int table_action_slot(struct p4c_sema *s, struct p4c_ir_table *t, struct p4_node *decl)
{
	const char *name = NULL;
	struct p4c_declinfo *di = decl->sema;
	if (di) {
		const char *saved = s->block_name;
		s->block_name = di->block_name;
		name = p4c_cp_name(s, decl);
		s->block_name = saved;
	}
	for (int i = 0; name && i < t->actions.n; i++)
		if (!strcmp(s->ir->actions.v[t->actions.v[i]].name, name))
			return i;
	return -1;
}

static struct p4_node *action_decl(struct p4c_sema *s, struct p4_node *ref)
{
	struct p4c_val *v = p4c_check(s, ref, NULL);
	if (!v)
		return NULL;
	if (v->k != P4C_V_DECL || v->decl->kind != P4_DECL_ACTION) {
		p4c_err(s, ref, "'%s' is not an action", p4c_expr_text(s, ref));
		return NULL;
	}
	p4c_declare(s, v->decl);
	return v->decl;
}

/* Constant action data for the directionless parameters of an action call
 * (default_action, const entries). */
static int action_data(struct p4c_sema *s, struct p4_node *at, struct p4_node *decl,
		       const struct p4_list *args, p4c_num_vec *data)
{
	size_t n = decl->u.fn.params.n;
	struct p4_node *m[n ? n : 1];
	if (p4c_match_args(s, at, &decl->u.fn.params, args, m))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		struct p4_node *p = decl->u.fn.params.v[i];
		if (p->u.param.dir != P4_DIR_NONE)
			continue;
		struct p4c_type *pt = p4c_type_of(s, p->u.param.type);
		struct p4c_num v;
		if (!pt || p4c_const_eval(s, m[i]->kind == P4_ARG ? m[i]->u.arg.value : m[i], pt,
					  &v, NULL))
			return -EINVAL;
		if (pt->k == P4C_T_SIGNED)   /* action data is the bits, unsigned */
			p4c_num_trunc(&v, &v, pt->width, false);
		P4L_PUSH(s->a, data, v);
	}
	return 0;
}

/* A constant in an entry's key: of the key's width, or a bool (a bool key
 * is matched as one bit). */
static int key_const(struct p4c_sema *s, struct p4_node *e, struct p4c_type *t,
		     struct p4c_num *out)
{
	struct p4c_val *v = p4c_check(s, e, t);
	if (v && v->k == P4C_V_CONST && v->type->k == P4C_T_BOOL && t->width == 1) {
		*out = v->num;
		return 0;
	}
	return p4c_const_eval(s, e, t, out, NULL);
}

static int entry_key(struct p4c_sema *s, struct p4c_ir_key *k, struct p4_node *e,
		     struct p4c_ir_mkey *out)
{
	struct p4c_type *t = p4c_type_new(s, P4C_T_BIT, k->width);
	struct p4c_num all;
	p4c_num_ones(&all, k->width);
	out->match = k->match;
	bool dc = e->kind == P4_EXPR_DONTCARE || e->kind == P4_EXPR_DEFAULT;
	if (k->is_valid && e->kind != P4_EXPR_DONTCARE && e->kind != P4_EXPR_DEFAULT &&
	    !(e->kind == P4_EXPR_BINARY && e->u.binary.op == P4_BIN_MASK)) {
		if (p4c_const_eval(s, e, s->t_bool, &out->key, NULL))
			return -EINVAL;
		out->mask = all;
		out->prefix_len = 1;
		return 0;
	}
	if (dc) {
		if (k->match == P4C_MATCH_EXACT)
			return p4c_err(s, e, "'_' cannot match an exact key");
		out->dont_care = true;
		if (k->match == P4C_MATCH_RANGE)
			out->mask = all;
		return 0;
	}
	if (e->kind == P4_EXPR_BINARY && e->u.binary.op == P4_BIN_MASK) {
		if (k->match != P4C_MATCH_TERNARY && k->match != P4C_MATCH_LPM)
			return p4c_err(s, e, "'&&&' is only allowed for ternary and lpm keys");
		if (key_const(s, e->u.binary.lhs, t, &out->key) ||
		    key_const(s, e->u.binary.rhs, t, &out->mask))
			return -EINVAL;
		p4c_num_and(&out->key, &out->key, &out->mask);
		if (k->match == P4C_MATCH_LPM) {
			int len = 0;
			struct p4c_num m;
			while (len < k->width) {
				p4c_num_ones(&m, len + 1);
				p4c_num_shl(&m, &m, (unsigned)(k->width - len - 1));
				struct p4c_num x;
				p4c_num_and(&x, &out->mask, &m);
				if (p4c_num_cmp(&x, &m))
					break;
				len++;
			}
			p4c_num_ones(&m, len);
			p4c_num_shl(&m, &m, (unsigned)(k->width - len));
			if (p4c_num_cmp(&m, &out->mask))
				return p4c_err(s, e->u.binary.rhs, "lpm mask is not a prefix");
			out->prefix_len = len;
		}
		return 0;
	}
	if (e->kind == P4_EXPR_BINARY && e->u.binary.op == P4_BIN_RANGE) {
		if (k->match != P4C_MATCH_RANGE)
			return p4c_err(s, e, "'..' is only allowed for range keys");
		if (key_const(s, e->u.binary.lhs, t, &out->key) ||
		    key_const(s, e->u.binary.rhs, t, &out->mask))
			return -EINVAL;
		return 0;
	}
	if (key_const(s, e, t, &out->key))
		return -EINVAL;
	out->mask = all;
	out->prefix_len = k->width;
	if (k->match == P4C_MATCH_RANGE)
		out->mask = out->key;
	return 0;
}

/* Priorities of a table's entries (spec: entries): an entry without
 * `priority = N` gets the previous entry's one minus priority_delta (plus,
 * when the smallest priority wins); the first, when it has none, gets
 * delta * n so the last keeps a positive one.  BMv2 ranks the other way
 * (1 is the highest), so the values are turned over for the JSON. */
static int entry_priorities(struct p4c_sema *s, struct p4c_ir_table *t, struct p4_node *prop,
			    bool largest_wins, int64_t delta)
{
	int n = t->entries.n;
	int64_t prev = 0, maxp = 0;
	int64_t pr[n ? n : 1];
	for (int i = 0; i < n; i++) {
		struct p4_node *en = prop->u.prop.items.v[i];
		if (en->u.entry.priority) {
			struct p4c_num v;
			if (p4c_const_eval(s, en->u.entry.priority, NULL, &v, NULL))
				return -EINVAL;
			if (p4c_num_is_neg(&v) || p4c_num_is_zero(&v) || !p4c_num_fits_u64(&v) ||
			    p4c_num_u64(&v) > (1u << 30))
				return p4c_err(s, en->u.entry.priority, "an entry priority must be "
					       "from 1 to %u", 1u << 30);
			pr[i] = (int64_t)p4c_num_u64(&v);
		} else if (i == 0) {
			pr[i] = largest_wins ? delta * n : 1;
		} else {
			pr[i] = largest_wins ? prev - delta : prev + delta;
			if (pr[i] < 1)
				return p4c_err(s, en, "this entry would get priority %lld (the "
					       "previous one's minus priority_delta): give it "
					       "one with 'priority = N:'", (long long)pr[i]);
		}
		prev = pr[i];
		if (pr[i] > maxp)
			maxp = pr[i];
	}
	for (int i = 0; i < n; i++)
		t->entries.v[i].priority = (int)(largest_wins ? maxp - pr[i] + 1 : pr[i]);
	return 0;
}

static int table_entries(struct p4c_sema *s, struct p4c_ir_table *t, struct p4_node *prop,
			 bool largest_wins, int64_t delta)
{
	t->is_const = prop->u.prop.is_const;
	for (size_t i = 0; i < prop->u.prop.items.n; i++) {
		struct p4_node *en = prop->u.prop.items.v[i];
		struct p4c_ir_entry e = { .priority = (int)i + 1 };
		struct p4_node *ks = en->u.entry.keyset;
		size_t nk = ks->kind == P4_EXPR_LIST ? ks->u.list.items.n : 1;
		if (nk == 1 && t->keys.n != 1 && (ks->kind == P4_EXPR_DEFAULT ||
						  ks->kind == P4_EXPR_DONTCARE))
			nk = (size_t)t->keys.n;
		if (nk != (size_t)t->keys.n)
			return p4c_err(s, ks, "entry has %zu key values, the table has %d keys",
				       nk, t->keys.n);
		for (size_t k = 0; k < nk; k++) {
			struct p4_node *kv = ks->kind == P4_EXPR_LIST ? ks->u.list.items.v[k] : ks;
			struct p4c_ir_mkey mk = { 0 };
			if (entry_key(s, &t->keys.v[k], kv, &mk))
				return -EINVAL;
			P4L_PUSH(s->a, &e.keys, mk);
		}
		struct p4_node *ar = en->u.entry.action;
		struct p4_node *ad = action_decl(s, ar->u.aref.action);
		if (!ad)
			return -EINVAL;
		int slot = table_action_slot(s, t, ad);
		if (slot < 0)
			return p4c_err(s, ar, "action '%s' is not in the actions of table '%s'",
				       ad->name, t->name);
		if (t->action_scope.v[slot] == 2)
			return p4c_err(s, ar, "action '%s' is marked @defaultonly and cannot be "
				       "used in an entry", ad->name);
		e.action = t->actions.v[slot];
		if (action_data(s, ar, ad, &ar->u.aref.args, &e.data))
			return -EINVAL;
		P4L_PUSH(s->a, &t->entries, e);
	}
	if (p4l_arena_failed(s->a))
		return -ENOMEM;
	return entry_priorities(s, t, prop, largest_wins, delta);
}

static int lower_table(struct p4c_sema *s, struct p4_node *decl)
{
	struct p4c_ir_table t = { .default_action = -1, .size = 1024, .direct_counter = -1,
				  .direct_meter = -1, .profile = -1,
				  .key_action = -1 };
	t.name = p4c_cp_name(s, decl);
	t.doc = P4C_DOC(decl);
	if (p4c_user_id(s, decl, &t.has_user_id, &t.user_id) ||
	    (t.has_user_id && claim_id(s, decl, 2, t.user_id, t.name)))
		return -EINVAL;
	struct p4_node *dflt = NULL, *entries = NULL;
	struct p4_node *impl = NULL;
	bool dflt_const = false, largest_wins = true;
	int64_t delta = 1;
	for (size_t i = 0; i < decl->u.table.props.n; i++) {
		struct p4_node *p = decl->u.table.props.v[i];
		if (p->kind == P4_PROP_KEY) {
			for (size_t k = 0; k < p->u.prop.items.n; k++)
				if (table_key(s, &t, p->u.prop.items.v[k]))
					return -EINVAL;
		} else if (p->kind == P4_PROP_ACTIONS) {
			for (size_t k = 0; k < p->u.prop.items.n; k++) {
				struct p4_node *ar = p->u.prop.items.v[k];
				struct p4_node *ad = action_decl(s, ar->u.aref.action);
				if (!ad)
					return -EINVAL;
				int n = (int)ar->u.aref.args.n;
				struct p4_node *args[n ? n : 1];
				for (int j = 0; j < n; j++)
					args[j] = ar->u.aref.args.v[j];
				struct p4_node *saved_table = s->cur_table;
				s->cur_table = decl;  /* for T.hit_index() in the action */
				int ai = p4c_action_instance(s, ar, ad, args, n, false);
				s->cur_table = saved_table;
				if (ai < 0)
					return ai;
				struct p4c_declinfo *adi = ad->sema;
				if (adi && adi->hit_index_of && adi->hit_index_of != decl)
					return p4c_err(s, ar, "action '%s' reads %s.hit_index(), so it can "
						       "only be an action of table '%s'", ad->name,
						       adi->hit_index_of->name, adi->hit_index_of->name);
				int scope = p4c_anno(ar, "tableonly") ? 1 :
					    p4c_anno(ar, "defaultonly") ? 2 : 0;
				P4L_PUSH(s->a, &t.actions, ai);
				P4L_PUSH(s->a, &t.action_scope, scope);
				P4L_PUSH(s->a, &t.next_by_action, (const char *)NULL);
			}
		} else if (p->kind == P4_PROP_ENTRIES) {
			entries = p;
		} else if (p->kind == P4_PROP_VALUE && !strcmp(p->name, "default_action")) {
			dflt = p->u.prop.value;
			dflt_const = p->u.prop.is_const;
		} else if (p->kind == P4_PROP_VALUE && !strcmp(p->name, "size")) {
			struct p4c_num v;
			if (p4c_const_eval(s, p->u.prop.value, NULL, &v, NULL))
				return -EINVAL;
			if (p4c_num_is_neg(&v) || !p4c_num_fits_u64(&v) || p4c_num_u64(&v) > (1u << 30))
				return p4c_err(s, p->u.prop.value, "table size is out of range");
			t.size = (int64_t)p4c_num_u64(&v);
			t.size_given = true;
		} else if (p->kind == P4_PROP_VALUE && !strcmp(p->name, "largest_priority_wins")) {
			struct p4c_num v;
			if (p4c_const_eval(s, p->u.prop.value, s->t_bool, &v, NULL))
				return -EINVAL;
			largest_wins = !p4c_num_is_zero(&v);
		} else if (p->kind == P4_PROP_VALUE && !strcmp(p->name, "priority_delta")) {
			struct p4c_num v;
			if (p4c_const_eval(s, p->u.prop.value, NULL, &v, NULL))
				return -EINVAL;
			if (p4c_num_is_neg(&v) || p4c_num_is_zero(&v) || !p4c_num_fits_u64(&v) ||
			    p4c_num_u64(&v) > (1u << 20))
				return p4c_err(s, p->u.prop.value, "priority_delta must be from 1 to %u",
					       1u << 20);
			delta = (int64_t)p4c_num_u64(&v);
		} else if (p->kind == P4_PROP_VALUE && !strcmp(p->name, "counters")) {
			t.direct_counter = p4c_direct_counter(s, p->u.prop.value);
			if (t.direct_counter < 0)
				return -EINVAL;
		} else if (p->kind == P4_PROP_VALUE && !strcmp(p->name, "meters")) {
			t.direct_meter = p4c_direct_meter(s, p->u.prop.value);
			if (t.direct_meter < 0)
				return -EINVAL;
		} else if (p->kind == P4_PROP_VALUE && !strcmp(p->name, "implementation")) {
			t.profile = p4c_table_profile(s, p->u.prop.value, t.name);
			if (t.profile < 0)
				return -EINVAL;
			impl = p;
		} else if (p->kind == P4_PROP_VALUE && !strcmp(p->name, "support_timeout")) {
			struct p4c_num v;
			if (p4c_const_eval(s, p->u.prop.value, s->t_bool, &v, NULL))
				return -EINVAL;
			t.support_timeout = !p4c_num_is_zero(&v);
		} else {
			return p4c_err(s, p, "table property '%s' is not supported yet",
				       p->name ? p->name : p4_kind_name(p->kind));
		}
	}
	if (dflt) {
		struct p4_node *callee = dflt->kind == P4_EXPR_CALL ? dflt->u.call.callee : dflt;
		struct p4_node *ad = action_decl(s, callee);
		if (!ad)
			return -EINVAL;
		int slot = table_action_slot(s, &t, ad);
		if (slot < 0)
			return p4c_err(s, dflt, "default action '%s' is not in the actions of "
				       "table '%s'", ad->name, decl->name);
		if (t.action_scope.v[slot] == 1)
			return p4c_err(s, dflt, "default action '%s' is marked @tableonly", ad->name);
		t.default_action = t.actions.v[slot];
		t.default_const = dflt_const;
		static const struct p4_list none;
		if (action_data(s, dflt, ad, dflt->kind == P4_EXPR_CALL ? &dflt->u.call.args : &none,
				&t.default_data))
			return -EINVAL;
	} else {
		/* The language's default default action is NoAction. */
		struct p4c_binding *b = p4c_lookup(s, p4c_intern(s, "NoAction"), true);
		if (b && b->decl->kind == P4_DECL_ACTION) {
			int ai = p4c_action_instance(s, decl, b->decl, NULL, 0, false);
			if (ai < 0)
				return ai;
			t.default_action = ai;
			if (table_action_slot(s, &t, b->decl) < 0) {
				P4L_PUSH(s->a, &t.actions, ai);
				P4L_PUSH(s->a, &t.action_scope, 2);
				P4L_PUSH(s->a, &t.next_by_action, (const char *)NULL);
			}
		}
	}
	struct p4c_declinfo *tdi = decl->sema;
	if (tdi && tdi->hit_index)
		t.hit_index_field = tdi->hit_index->e->field;
	if (entries && table_entries(s, &t, entries, largest_wins, delta))
		return -EINVAL;
	if (t.profile >= 0) {
		struct p4c_ir_profile *pf = &s->ir->profiles.v[t.profile];
		if (pf->with_selector && !t.sel_keys.n)
			return p4c_err(s, impl, "table '%s' uses action selector %s but has no "
				       "'selector' key", decl->name, pf->name);
		if (entries)
			return p4c_err(s, entries, "a table implemented by an action profile "
				       "cannot have entries");
		if (pf->with_selector && pf->inputs_set && pf->inputs.n != t.sel_keys.n)
			return p4c_err(s, impl, "action selector %s is shared by tables with "
				       "different selector keys", pf->name);
		if (pf->with_selector && !pf->inputs_set) {
			for (int i = 0; i < t.sel_keys.n; i++)
				P4L_PUSH(s->a, &pf->inputs, t.sel_keys.v[i]);
			pf->inputs_set = true;
		}
		P4L_PUSH(s->a, &pf->tables, s->ir->tables.n);
	}
	if (t.sel_keys.n && (t.profile < 0 || !s->ir->profiles.v[t.profile].with_selector))
		return p4c_err(s, decl, "table '%s' has 'selector' keys but no "
			       "'implementation = action_selector(...)'", decl->name);
	if (t.direct_meter >= 0) {
		struct p4c_ir_meter *m = &s->ir->meters.v[t.direct_meter];
		if (m->table >= 0)
			return p4c_err(s, decl, "direct meter %s is already attached to table %s",
				       m->name, s->ir->tables.v[m->table].name);
		m->table = s->ir->tables.n;
	}
	P4L_PUSH(s->a, &s->ir->tables, t);
	if (t.direct_counter >= 0) {
		struct p4c_ir_counter *c = &s->ir->counters.v[t.direct_counter];
		if (c->table >= 0)
			return p4c_err(s, decl, "direct counter %s is already attached to table %s",
				       c->name, s->ir->tables.v[c->table].name);
		c->table = s->ir->tables.n - 1;
	}
	return s->ir->tables.n - 1;
}

/* ---- The apply block ---------------------------------------------------- */

/* A table node applied here: all its exits pending. */
static int keyless_table(struct ctl *c, const char *base, int action,
			 const p4c_num_vec *data);

static int place_table(struct ctl *c, int ti, bool by_hit)
{
	struct p4c_ir_table *t = &c->s->ir->tables.v[ti];
	if (t->key_action >= 0) {
		const char *n = p4l_arena_printf(c->s->a, "tbl_%s", c->s->ir->actions.v[t->key_action].name);
		if (keyless_table(c, n, t->key_action, NULL))
			return -EINVAL;
		t = &c->s->ir->tables.v[ti];
	}
	patch(c, t->name);
	t = &c->s->ir->tables.v[ti];
	t->by_hit = by_hit;
	P4L_PUSH(c->s->a, &pipe_of(c)->tables, ti);
	return 0;
}

static int keyless_table(struct ctl *c, const char *base, int action,
			 const p4c_num_vec *data)
{
	struct p4c_sema *s = c->s;
	struct p4c_ir_table t = { .default_action = action, .default_const = true,
				  .size = 1024, .hidden = true, .direct_counter = -1,
				  .direct_meter = -1, .profile = -1,
				  .key_action = -1 };
	t.name = unique_table_name(s, base);
	P4L_PUSH(s->a, &t.actions, action);
	P4L_PUSH(s->a, &t.action_scope, 0);
	P4L_PUSH(s->a, &t.next_by_action, (const char *)NULL);
	if (data)
		for (int i = 0; i < data->n; i++)
			P4L_PUSH(s->a, &t.default_data, data->v[i]);
	P4L_PUSH(s->a, &s->ir->tables, t);
	int ti = s->ir->tables.n - 1;
	place_table(c, ti, false);
	pend(c, EX_BASE, ti, 0);
	pend(c, EX_ACTION, ti, 0);
	return 0;
}

static bool is_direct_action_call(struct p4c_sema *s, struct p4_node *st, struct p4_node **decl)
{
	if (st->kind != P4_STMT_CALL)
		return false;
	struct p4_node *callee = st->u.call_stmt.call->u.call.callee;
	if (callee->kind != P4_EXPR_NAME)
		return false;
	struct p4c_binding *b = p4c_lookup(s, callee->name, callee->u.ident.global);
	if (!b || b->val || b->decl->kind != P4_DECL_ACTION)
		return false;
	for (size_t i = 0; i < b->decl->u.fn.params.n; i++)
		if (b->decl->u.fn.params.v[i]->u.param.dir != P4_DIR_NONE)
			return false;
	/* Only constant arguments can be the keyless table's action data;
	 * anything else is inlined like any other statement. */
	const struct p4_list *args = &st->u.call_stmt.call->u.call.args;
	for (size_t i = 0; i < args->n; i++) {
		struct p4_node *a = args->v[i]->kind == P4_ARG ? args->v[i]->u.arg.value : args->v[i];
		while (a->kind == P4_EXPR_CAST)
			a = a->u.cast.expr;
		struct p4c_binding *ab = a->kind == P4_EXPR_NAME ?
			p4c_lookup(s, a->name, a->u.ident.global) : NULL;
		if (a->kind != P4_EXPR_INT && a->kind != P4_EXPR_BOOL &&
		    !(ab && !ab->val && ab->decl->kind == P4_DECL_CONST))
			return false;
	}
	*decl = b->decl;
	return true;
}

/* Lowers the run of plain statements collected so far. */
static int flush(struct ctl *c)
{
	struct p4c_sema *s = c->s;
	int n = c->group.n;
	if (!n)
		return 0;
	c->group.n = 0;
	struct p4_node *decl;
	if (n == 1 && is_direct_action_call(s, c->group.v[0], &decl)) {
		struct p4_node *call = c->group.v[0]->u.call_stmt.call;
		p4c_num_vec data = { 0 };
		int ai = p4c_action_instance(s, call, decl, NULL, 0, false);
		if (ai < 0 || action_data(s, call, decl, &call->u.call.args, &data))
			return -EINVAL;
		struct p4c_declinfo *adi = decl->sema;
		if (adi && adi->hit_index_of)
			return p4c_err(s, call, "action '%s' reads %s.hit_index(): it can only run "
				       "as an action of table '%s', not be called directly", decl->name,
				       adi->hit_index_of->name, adi->hit_index_of->name);
		const char *an = p4c_anno_name(decl);
		if (an && an[0] == '.')
			an++;
		return keyless_table(c, p4l_arena_printf(s->a, "tbl_%s", an ? an : decl->name),
				     ai, &data);
	}
	struct p4c_ir_action act = { .hidden = true };
	act.name = s->n_act ? p4l_arena_printf(s->a, "act_%d", s->n_act - 1) : "act";
	s->n_act++;
	P4L_PUSH(s->a, &s->ir->actions, act);
	int ai = s->ir->actions.n - 1, rc = 0;
	struct p4c_ir_action *saved = s->cur_action;
	s->cur_action = &s->ir->actions.v[ai];
	for (int i = 0; i < n; i++)
		if (p4c_stmt(s, c->group.v[i]))
			rc = -EINVAL;
	s->cur_action = saved;
	if (rc)
		return rc;
	if (!s->ir->actions.v[ai].prims.n) {
		/* Declarations without initializers: nothing to run. */
		s->ir->actions.n--;
		s->n_act--;
		return 0;
	}
	return keyless_table(c, p4l_arena_printf(s->a, "tbl_%s", s->ir->actions.v[ai].name),
			     ai, NULL);
}

static int lower_apply_stmt(struct ctl *c, struct p4_node *st);

static int lower_list(struct ctl *c, struct p4_node *block)
{
	int rc = 0;
	if (block->kind != P4_STMT_BLOCK)
		return lower_apply_stmt(c, block);
	p4c_scope_push(c->s);
	for (size_t i = 0; i < block->u.block.stmts.n && !rc; i++)
		rc = lower_apply_stmt(c, block->u.block.stmts.v[i]);
	if (!rc)
		rc = flush(c);
	p4c_scope_pop(c->s);
	return rc;
}

/* `t.apply()` as the expression e: the table's index, or -1 if e is not one. */
static int applied_table(struct ctl *c, struct p4_node *e, int *ti)
{
	struct p4c_sema *s = c->s;
	if (e->kind != P4_EXPR_CALL || e->u.call.callee->kind != P4_EXPR_MEMBER ||
	    strcmp(e->u.call.callee->name, "apply"))
		return 1;
	struct p4_node *tn = e->u.call.callee->u.mem.base;
	if (tn->kind != P4_EXPR_NAME)
		return 1;
	struct p4c_binding *b = p4c_lookup(s, tn->name, tn->u.ident.global);
	if (!b || b->val || b->decl->kind != P4_DECL_TABLE)
		return 1;
	if (e->u.call.args.n)
		return p4c_err(s, e, "apply() takes no arguments");
	struct p4c_declinfo *di = p4c_declare(s, b->decl);
	if (!di)
		return -ENOMEM;
	if (di->applied)
		return p4c_unsupported(s, e, "applying a table more than once");
	di->applied = true;
	const char *saved = s->block_name;
	struct p4c_scope *saved_scope = s->scope;
	s->block_name = di->block_name;
	s->scope = di->scope;   /* keys and actions resolve where the table is declared */
	int r = lower_table(s, b->decl);
	s->block_name = saved;
	s->scope = saved_scope;
	if (r < 0)
		return r;
	*ti = r;
	return 0;
}

/* Checks expression e of the apply block (a condition, a switch value).
 * What it needs computed first (inlined function calls) goes into an action
 * placed just before the node that reads e. */
static struct p4c_val *check_in_apply(struct ctl *c, struct p4_node *e, struct p4c_type *want)
{
	struct p4c_sema *s = c->s;
	struct p4c_ir_action act = { .hidden = true };
	act.name = s->n_act ? p4l_arena_printf(s->a, "act_%d", s->n_act - 1) : "act";
	s->n_act++;
	P4L_PUSH(s->a, &s->ir->actions, act);
	if (p4l_arena_failed(s->a))
		return NULL;
	int ai = s->ir->actions.n - 1;
	struct p4c_ir_action *saved = s->cur_action;
	s->cur_action = &s->ir->actions.v[ai];
	struct p4c_val *v = p4c_check(s, e, want);
	s->cur_action = saved;
	if (!v)
		return NULL;
	if (!s->ir->actions.v[ai].prims.n) {
		if (ai == s->ir->actions.n - 1) {
			s->ir->actions.n--;
			s->n_act--;
		}
		return v;
	}
	if (keyless_table(c, p4l_arena_printf(s->a, "tbl_%s", s->ir->actions.v[ai].name), ai,
			  NULL))
		return NULL;
	return v;
}

static int lower_if(struct ctl *c, struct p4_node *st)
{
	struct p4c_sema *s = c->s;
	struct p4_node *cond = st->u.if_.cond;
	bool neg = false;
	while (cond->kind == P4_EXPR_UNARY && cond->u.unary.op == P4_UN_NOT) {
		neg = !neg;
		cond = cond->u.unary.operand;
	}
	int ti, r;
	exits_t then_x = { 0 }, else_x = { 0 };
	if (cond->kind == P4_EXPR_MEMBER && (!strcmp(cond->name, "hit") ||
					     !strcmp(cond->name, "miss")) &&
	    (r = applied_table(c, cond->u.mem.base, &ti)) <= 0) {
		if (r < 0)
			return r;
		if (flush(c))
			return -EINVAL;
		if (place_table(c, ti, true))
			return -EINVAL;
		bool hit = !strcmp(cond->name, "hit") != neg;
		pend(c, EX_BASE, ti, 0);
		exits_t base = c->pending;
		c->pending = (exits_t){ 0 };
		pend(c, hit ? EX_HIT : EX_MISS, ti, 0);
		if (lower_list(c, st->u.if_.then))
			return -EINVAL;
		then_x = c->pending;
		c->pending = (exits_t){ 0 };
		pend(c, hit ? EX_MISS : EX_HIT, ti, 0);
		if (st->u.if_.els && lower_list(c, st->u.if_.els))
			return -EINVAL;
		for (int i = 0; i < then_x.n; i++)
			P4L_PUSH(s->a, &c->pending, then_x.v[i]);
		for (int i = 0; i < base.n; i++)
			P4L_PUSH(s->a, &c->pending, base.v[i]);
		return 0;
	}
	if (flush(c))
		return -EINVAL;
	struct p4c_val *v = check_in_apply(c, st->u.if_.cond, s->t_bool);
	if (!v)
		return -EINVAL;
	if (v->type->k != P4C_T_BOOL || (v->k != P4C_V_CONST && v->k != P4C_V_EXPR))
		return p4c_err_whole(s, st->u.if_.cond, "condition must be a bool, found %s",
			       p4c_type_str(s, v->type));
	if (v->k == P4C_V_CONST) {
		struct p4_node *b = p4c_num_is_zero(&v->num) ? st->u.if_.els : st->u.if_.then;
		return b ? lower_list(c, b) : 0;
	}
	struct p4c_ir_cond cn = { .expr = p4c_val_bool(s, v) };
	cn.name = p4l_arena_printf(s->a, "node_%d", s->n_cond++);
	P4L_PUSH(s->a, &pipe_of(c)->conds, cn);
	int ci = pipe_of(c)->conds.n - 1;
	patch(c, cn.name);
	pend(c, EX_TRUE, ci, 0);
	if (lower_list(c, st->u.if_.then))
		return -EINVAL;
	then_x = c->pending;
	c->pending = (exits_t){ 0 };
	pend(c, EX_FALSE, ci, 0);
	if (st->u.if_.els && lower_list(c, st->u.if_.els))
		return -EINVAL;
	else_x = c->pending;
	c->pending = then_x;
	for (int i = 0; i < else_x.n; i++)
		P4L_PUSH(s->a, &c->pending, else_x.v[i]);
	return 0;
}

/* `switch (expr) { a: b: {...} default: {...} }` on a value: a chain of
 * conditionals, one per group of labels that share a body. */
static int value_switch(struct ctl *c, struct p4_node *st)
{
	struct p4c_sema *s = c->s;
	if (flush(c))
		return -EINVAL;
	struct p4c_val *v = check_in_apply(c, st->u.switch_.expr, NULL);
	if (!v)
		return -EINVAL;
	if ((v->k != P4C_V_EXPR && v->k != P4C_V_CONST) || !p4c_type_is_data(v->type) ||
	    v->type->k == P4C_T_BOOL)
		return p4c_err_whole(s, st->u.switch_.expr, "cannot switch on a value of type %s",
			       p4c_type_str(s, v->type));
	exits_t after = { 0 };
	struct p4_node *dflt = NULL;
	struct p4c_ir_expr *cond = NULL;
	bool const_hit = false;
	for (size_t i = 0; i < st->u.switch_.cases.n; i++) {
		struct p4_node *cs = st->u.switch_.cases.v[i];
		if (cs->u.scase.label->kind == P4_EXPR_DEFAULT) {
			dflt = cs;
			continue;
		}
		struct p4c_num lv;
		if (p4c_const_eval(s, cs->u.scase.label, v->type, &lv, NULL))
			return -EINVAL;
		struct p4c_ir_expr *eq;
		if (v->k == P4C_V_CONST) {
			const_hit |= !p4c_num_cmp(&lv, &v->num);
			eq = NULL;
		} else {
			eq = p4c_ir_op(s->a, "==", p4c_val_data(s, v),
				       p4c_ir_const(s->a, &lv, p4c_type_width(v->type)), 0, true);
			cond = cond ? p4c_ir_op(s->a, "or", cond, eq, 0, true) : eq;
		}
		if (!cs->u.scase.body)
			continue;   /* shares the next label's body */
		if (v->k == P4C_V_CONST) {
			if (const_hit)
				return lower_list(c, cs->u.scase.body);
			continue;
		}
		struct p4c_ir_cond cn = { .expr = cond };
		cn.name = p4l_arena_printf(s->a, "node_%d", s->n_cond++);
		P4L_PUSH(s->a, &pipe_of(c)->conds, cn);
		int ci = pipe_of(c)->conds.n - 1;
		patch(c, cn.name);
		pend(c, EX_TRUE, ci, 0);
		if (lower_list(c, cs->u.scase.body))
			return -EINVAL;
		for (int k = 0; k < c->pending.n; k++)
			P4L_PUSH(s->a, &after, c->pending.v[k]);
		c->pending = (exits_t){ 0 };
		pend(c, EX_FALSE, ci, 0);
		cond = NULL;
	}
	if (cond)
		return p4c_err(s, st, "the last switch label has no statement");
	if (dflt && dflt->u.scase.body && lower_list(c, dflt->u.scase.body))
		return -EINVAL;
	for (int k = 0; k < after.n; k++)
		P4L_PUSH(s->a, &c->pending, after.v[k]);
	return 0;
}

static int lower_switch(struct ctl *c, struct p4_node *st)
{
	struct p4c_sema *s = c->s;
	struct p4_node *e = st->u.switch_.expr;
	int ti;
	if (e->kind != P4_EXPR_MEMBER || strcmp(e->name, "action_run"))
		return value_switch(c, st);
	int r = applied_table(c, e->u.mem.base, &ti);
	if (r)
		return r < 0 ? r : p4c_err(s, e, "'action_run' needs 't.apply()'");
	if (flush(c))
		return -EINVAL;
	if (place_table(c, ti, false))
		return -EINVAL;
	int na = s->ir->tables.v[ti].actions.n;
	bool covered[na ? na : 1];
	memset(covered, 0, sizeof(covered));
	exits_t after = { 0 }, todo = { 0 };
	struct p4_node *dflt = NULL;
	for (size_t i = 0; i < st->u.switch_.cases.n; i++) {
		struct p4_node *cs = st->u.switch_.cases.v[i];
		if (cs->u.scase.label->kind == P4_EXPR_DEFAULT) {
			dflt = cs;
			continue;
		}
		struct p4_node *ad = action_decl(s, cs->u.scase.label);
		if (!ad)
			return -EINVAL;
		int slot = table_action_slot(s, &s->ir->tables.v[ti], ad);
		if (slot < 0)
			return p4c_err(s, cs->u.scase.label, "action '%s' is not in the actions "
				       "of table '%s'", ad->name, s->ir->tables.v[ti].name);
		if (covered[slot])
			return p4c_err(s, cs->u.scase.label, "action '%s' appears twice in "
				       "this switch", ad->name);
		covered[slot] = true;
		struct exit x = { EX_ACTION, ti, slot };
		P4L_PUSH(s->a, &todo, x);
		if (!cs->u.scase.body)
			continue;   /* falls through to the next label's body */
		c->pending = todo;
		todo = (exits_t){ 0 };
		if (lower_list(c, cs->u.scase.body))
			return -EINVAL;
		for (int k = 0; k < c->pending.n; k++)
			P4L_PUSH(s->a, &after, c->pending.v[k]);
	}
	if (todo.n)
		return p4c_err(s, st, "the last switch label has no statement");
	for (int k = 0; k < na; k++) {
		if (covered[k])
			continue;
		struct exit x = { EX_ACTION, ti, k };
		P4L_PUSH(s->a, &todo, x);
	}
	c->pending = todo;
	if (dflt && dflt->u.scase.body && lower_list(c, dflt->u.scase.body))
		return -EINVAL;
	for (int k = 0; k < after.n; k++)
		P4L_PUSH(s->a, &c->pending, after.v[k]);
	pend(c, EX_BASE, ti, 0);
	return 0;
}

/* The control a `Ctl(args) name;` instance makes, or NULL. */
static struct p4_node *control_of(struct p4c_sema *s, struct p4_node *inst)
{
	if (inst->kind != P4_DECL_INSTANCE)
		return NULL;
	struct p4_node *tn = inst->u.inst.type;
	if (tn->kind == P4_TYPE_SPEC)
		tn = tn->u.spec.base;
	if (tn->kind != P4_TYPE_NAME)
		return NULL;
	struct p4c_binding *b = p4c_lookup(s, tn->name, tn->u.ident.global);
	return b && b->decl->kind == P4_DECL_CONTROL ? b->decl : NULL;
}

static int control_locals(struct ctl *c, struct p4_node *ctl);
static int check_unused(struct p4c_sema *s, struct p4_node *ctl);

/* `sub.apply(args)` of a control instance: the sub-control's declarations
 * and apply block are lowered in place, its names prefixed by the instance's
 * ("MyIngress.sub.t"), its parameters bound to the arguments (in-place, as
 * for actions) and its constructor parameters to the instance's constants.
 * Returns 1 when call is no such apply. */
static int sub_apply(struct ctl *c, struct p4_node *call)
{
	struct p4c_sema *s = c->s;
	struct p4_node *callee = call->u.call.callee;
	if (callee->kind != P4_EXPR_MEMBER || strcmp(callee->name, "apply") ||
	    callee->u.mem.base->kind != P4_EXPR_NAME)
		return 1;
	struct p4_node *bn = callee->u.mem.base;
	struct p4c_binding *b = p4c_lookup(s, bn->name, bn->u.ident.global);
	struct p4_node *inst = b && !b->val ? b->decl : NULL;
	struct p4_node *ctl = inst ? control_of(s, inst) : NULL;
	if (!ctl)
		return 1;
	if (ctl->u.blk.tparams.n)
		return p4c_unsupported(s, inst, "a generic control");
	if (inst->sema_flags & P4C_F_APPLIED)
		return p4c_err(s, call, "control instance '%s' is applied twice; declare a "
			       "second instance", inst->name);
	if (ctl->sema_flags & P4C_F_BLOCK_BUSY)
		return p4c_err(s, inst, "control %s instantiates itself", ctl->name);
	/* instances of instances multiply: keep a pathological program finite */
	if (s->ir->tables.n + s->ir->actions.n > 200000)
		return p4c_err(s, inst, "applying %s makes the program too large (over 200000 "
			       "tables and actions)", inst->name);
	if (flush(c))
		return -EINVAL;
	/* arguments are evaluated in the caller's scope */
	size_t np = ctl->u.blk.params.n, nc = ctl->u.blk.ctor_params.n;
	struct p4_node *m[np ? np : 1], *mc[nc ? nc : 1];
	struct p4c_val *vals[np ? np : 1], *cvals[nc ? nc : 1];
	if (p4c_match_args(s, call, &ctl->u.blk.params, &call->u.call.args, m) ||
	    p4c_match_args(s, inst, &ctl->u.blk.ctor_params, &inst->u.inst.args, mc))
		return -EINVAL;
	/* `in` arguments are values taken at the call: what they compute (not
	 * a plain field) goes into temporaries, set by an action placed before
	 * the sub-control */
	struct p4c_ir_action act = { .hidden = true };
	act.name = s->n_act ? p4l_arena_printf(s->a, "act_%d", s->n_act - 1) : "act";
	s->n_act++;
	P4L_PUSH(s->a, &s->ir->actions, act);
	if (p4l_arena_failed(s->a))
		return -ENOMEM;
	int ai = s->ir->actions.n - 1, rc = 0;
	struct p4c_ir_action *saved_act = s->cur_action;
	s->cur_action = &s->ir->actions.v[ai];
	for (size_t i = 0; i < np && !rc; i++) {
		if (!m[i] || !(vals[i] = p4c_arg_value(s, m[i], ctl->u.blk.params.v[i]))) {
			rc = m[i] ? -EINVAL : p4c_err(s, call, "missing argument for parameter "
						      "'%s'", ctl->u.blk.params.v[i]->name);
			break;
		}
		enum p4_dir d = ctl->u.blk.params.v[i]->u.param.dir;
		if ((d == P4_DIR_IN || d == P4_DIR_NONE) && vals[i]->k == P4C_V_EXPR &&
		    (vals[i]->e->kind != P4C_IRE_FIELD || vals[i]->slice_base) &&
		    !(vals[i] = p4c_copy_in(s, m[i], vals[i], false)))
			rc = -EINVAL;
		else if (d == P4_DIR_IN || d == P4_DIR_NONE)
			vals[i] = p4c_readonly(s, vals[i]);
	}
	s->cur_action = saved_act;
	if (rc)
		return rc;
	if (!s->ir->actions.v[ai].prims.n) {
		if (ai == s->ir->actions.n - 1) {
			s->ir->actions.n--;
			s->n_act--;
		}
	} else if (keyless_table(c, p4l_arena_printf(s->a, "tbl_%s", s->ir->actions.v[ai].name),
				 ai, NULL)) {
		return -EINVAL;
	}
	for (size_t i = 0; i < nc; i++) {
		struct p4_node *p = ctl->u.blk.ctor_params.v[i];
		struct p4c_type *pt = p4c_type_of(s, p->u.param.type);
		if (!pt)
			return -EINVAL;
		if (!mc[i])
			return p4c_err(s, inst, "missing constructor argument for '%s'", p->name);
		struct p4c_val *v = p4c_check(s, mc[i]->kind == P4_ARG ? mc[i]->u.arg.value : mc[i],
					      pt);
		if (!v)
			return -EINVAL;
		if (v->k != P4C_V_CONST || !p4c_type_is_data(pt))
			return p4c_unsupported(s, mc[i], "a constructor argument that is not a "
					       "constant of a data type");
		struct p4c_num n;
		if (p4c_const_eval(s, mc[i]->kind == P4_ARG ? mc[i]->u.arg.value : mc[i], pt,
				   &n, NULL))
			return -EINVAL;
		cvals[i] = p4l_arena_alloc(s->a, sizeof(*cvals[i]));
		if (!cvals[i])
			return -ENOMEM;
		*cvals[i] = *v;
		cvals[i]->type = pt;
		cvals[i]->num = n;
	}
	/* the declarations keep per-instance state in ->sema: fresh for this one */
	size_t nl = ctl->u.blk.locals.n;
	void *saved_sema[nl ? nl : 1];
	for (size_t i = 0; i < nl; i++) {
		saved_sema[i] = ctl->u.blk.locals.v[i]->sema;
		ctl->u.blk.locals.v[i]->sema = NULL;
	}
	const char *saved_name = s->block_name;
	struct p4_node *saved_block = s->block;
	struct p4c_scope *saved_scope = s->scope;
	exits_t *saved_ret = c->returns, rets = { 0 };
	s->block_name = p4c_cp_name(s, inst);
	s->block = ctl;
	s->scope = s->global;
	p4c_scope_push(s);
	for (size_t i = 0; i < nc; i++)
		p4c_bind(s, ctl->u.blk.ctor_params.v[i]->name, ctl->u.blk.ctor_params.v[i],
			 cvals[i]);
	for (size_t i = 0; i < np; i++)
		p4c_bind(s, ctl->u.blk.params.v[i]->name, ctl->u.blk.params.v[i], vals[i]);
	c->returns = &rets;
	ctl->sema_flags |= P4C_F_BLOCK_BUSY;
	rc = control_locals(c, ctl);
	if (!rc && ctl->u.blk.body)
		rc = lower_list(c, ctl->u.blk.body);
	ctl->sema_flags &= ~(uint64_t)P4C_F_BLOCK_BUSY;
	c->returns = saved_ret;
	for (int i = 0; i < rets.n; i++)
		P4L_PUSH(s->a, &c->pending, rets.v[i]);
	if (!rc)
		rc = check_unused(s, ctl);
	s->scope = saved_scope;
	s->block = saved_block;
	s->block_name = saved_name;
	for (size_t i = 0; i < nl; i++)
		ctl->u.blk.locals.v[i]->sema = saved_sema[i];
	inst->sema_flags |= P4C_F_APPLIED;
	return rc ? -EINVAL : 0;
}

static int lower_apply_stmt(struct ctl *c, struct p4_node *st)
{
	struct p4c_sema *s = c->s;
	int ti, r;
	switch (st->kind) {
	case P4_STMT_CALL:
		r = sub_apply(c, st->u.call_stmt.call);
		if (r <= 0)
			return r;
		r = applied_table(c, st->u.call_stmt.call, &ti);
		if (r < 0)
			return r;
		if (r == 0) {
			if (flush(c))
				return -EINVAL;
			if (place_table(c, ti, false))
				return -EINVAL;
			pend(c, EX_BASE, ti, 0);
			for (int k = 0; k < s->ir->tables.v[ti].actions.n; k++)
				pend(c, EX_ACTION, ti, k);
			return 0;
		}
		P4L_PUSH(s->a, &c->group, st);
		return 0;
	case P4_STMT_ASSIGN:
	case P4_STMT_EMPTY:
	case P4_DECL_CONST:
		P4L_PUSH(s->a, &c->group, st);
		return 0;
	case P4_DECL_VAR:
		/* Declared now so later statements see the name; its initializer
		 * runs with the statements around it. */
		if (flush(c))
			return -EINVAL;
		P4L_PUSH(s->a, &c->group, st);
		return flush(c);
	case P4_STMT_BLOCK:
		if (flush(c))
			return -EINVAL;
		return lower_list(c, st);
	case P4_STMT_IF:
		return lower_if(c, st);
	case P4_STMT_SWITCH:
		return lower_switch(c, st);
	case P4_STMT_RETURN:
		if (st->u.ret.expr)
			return p4c_err(s, st, "return with a value in a control");
		if (flush(c))
			return -EINVAL;
		/* the rest of the control is skipped; a sub-control's caller goes on */
		for (int i = 0; c->returns && i < c->pending.n; i++)
			P4L_PUSH(s->a, c->returns, c->pending.v[i]);
		c->pending.n = 0;
		return 0;
	case P4_STMT_EXIT:
		P4L_PUSH(s->a, &c->group, st);
		if (flush(c))
			return -EINVAL;
		c->pending.n = 0;
		return 0;
	default:
		return p4c_err(s, st, "%s is not allowed in an apply block", p4_kind_name(st->kind));
	}
}

/* Tables never applied and actions never used produce nothing, but an
 * error in them is still an error: lower them, then drop what came out. */
static int check_unused(struct p4c_sema *s, struct p4_node *ctl)
{
	int n_tables = s->ir->tables.n, n_actions = s->ir->actions.n, rc = 0;
	for (size_t i = 0; i < ctl->u.blk.locals.n; i++) {
		struct p4_node *d = ctl->u.blk.locals.v[i];
		struct p4c_declinfo *di = d->sema;
		if (d->kind == P4_DECL_TABLE && di && !di->applied && lower_table(s, d) < 0)
			rc = -EINVAL;
	}
	for (size_t i = 0; i < ctl->u.blk.locals.n; i++) {
		struct p4_node *d = ctl->u.blk.locals.v[i];
		struct p4c_declinfo *di = d->sema;
		bool directional = false;
		if (d->kind != P4_DECL_ACTION || !di || di->instance >= 0)
			continue;
		for (size_t k = 0; k < d->u.fn.params.n; k++)
			directional |= d->u.fn.params.v[k]->u.param.dir != P4_DIR_NONE;
		if (!directional && p4c_action_instance(s, d, d, NULL, 0, false) < 0)
			rc = -EINVAL;
	}
	for (size_t i = 0; i < ctl->u.blk.locals.n; i++) {
		struct p4c_declinfo *di = ctl->u.blk.locals.v[i]->sema;
		if (ctl->u.blk.locals.v[i]->kind == P4_DECL_ACTION && di &&
		    di->instance >= n_actions)
			di->instance = -1;
	}
	/* NoAction and other global actions may have been instantiated too. */
	for (int i = n_actions; i < s->ir->actions.n; i++) {
		struct p4c_binding *b = p4c_lookup(s, p4c_intern(s, s->ir->actions.v[i].name), true);
		if (b && b->decl->kind == P4_DECL_ACTION && b->decl->sema &&
		    ((struct p4c_declinfo *)b->decl->sema)->instance >= n_actions)
			((struct p4c_declinfo *)b->decl->sema)->instance = -1;
	}
	s->ir->tables.n = n_tables;
	s->ir->actions.n = n_actions;
	return rc;
}

/* A control's declarations, before its apply block. */
static int control_locals(struct ctl *c, struct p4_node *ctl)
{
	struct p4c_sema *s = c->s;
	int rc = 0;
	for (size_t i = 0; i < ctl->u.blk.locals.n && !rc; i++) {
		struct p4_node *d = ctl->u.blk.locals.v[i];
		switch (d->kind) {
		case P4_DECL_ACTION:
		case P4_DECL_TABLE:
			rc = p4c_bind_new(s, d, NULL);
			if (!rc && !p4c_declare(s, d))
				rc = -ENOMEM;
			break;
		case P4_DECL_CONST:
			rc = p4c_bind_new(s, d, NULL);
			if (!rc)
				rc = p4c_const_decl(s, d);
			break;
		case P4_DECL_VAR:
			rc = lower_apply_stmt(c, d);
			break;
		case P4_DECL_INSTANCE:
			d->sema_flags &= ~(uint64_t)P4C_F_APPLIED;
			rc = control_of(s, d) ? p4c_bind_new(s, d, NULL) : p4c_extern_decl(s, d);
			break;
		default:
			rc = p4c_err(s, d, "%s declarations in a control are not supported yet",
				     p4_kind_name(d->kind));
		}
	}
	return rc;
}

int p4c_lower_control(struct p4c_sema *s, struct p4_node *ctl, const char *pipeline,
		      struct p4c_val **params, int n_params)
{
	struct p4c_ir_pipeline pl = { .name = pipeline };
	P4L_PUSH(s->a, &s->ir->pipelines, pl);
	struct ctl c = { .s = s, .pipe = s->ir->pipelines.n - 1 };
	struct p4c_scope *saved = s->scope;
	int rc = 0;

	s->block = ctl;
	s->block_name = p4c_anno_name(ctl) ? p4c_anno_name(ctl) : ctl->name;
	p4c_scope_push(s);
	for (int i = 0; i < n_params && i < (int)ctl->u.blk.params.n; i++)
		p4c_bind(s, ctl->u.blk.params.v[i]->name, ctl->u.blk.params.v[i], params[i]);
	pend(&c, EX_INIT, 0, 0);
	rc = control_locals(&c, ctl);
	if (!rc && ctl->u.blk.body)
		rc = lower_list(&c, ctl->u.blk.body);
	if (!rc)
		rc = check_unused(s, ctl);
	s->scope = saved;
	s->block_name = NULL;
	s->block = NULL;
	return rc;
}
