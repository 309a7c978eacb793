/* sema.c - scopes, names and expressions of the middle end (sema.h); the
 * types are in sema_types.c.
 *
 * Expressions are checked, folded and lowered in one visit (p4c_check):
 * the result says what the expression denotes: a constant, a run-time IR
 * expression, a struct or header object of the flattened program, or a
 * declaration.  Type errors name both types. */
#include "sema.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "frontend.h"

int p4c_err(struct p4c_sema *s, const struct p4_node *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	p4_diag_report(s->diag, P4_DIAG_ERROR, n ? &n->loc : NULL, fmt, ap);
	va_end(ap);
	s->errors++;
	return -EINVAL;
}

int p4c_err_whole(struct p4c_sema *s, const struct p4_node *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	p4_diag_report(s->diag, P4_DIAG_ERROR, p4_node_start(e), fmt, ap);
	va_end(ap);
	s->errors++;
	return -EINVAL;
}

int p4c_unsupported(struct p4c_sema *s, const struct p4_node *n, const char *what)
{
	return p4c_err(s, n, "%s is not supported yet", what);
}

const char *p4c_intern(struct p4c_sema *s, const char *str)
{
	return p4_intern(s->prog, str, strlen(str));
}

/* ---- Scopes ------------------------------------------------------------- */

void p4c_scope_push(struct p4c_sema *s)
{
	struct p4c_scope *sc = p4l_arena_alloc(s->a, sizeof(*sc));
	if (!sc)
		return;
	sc->up = s->scope;
	s->scope = sc;
}

void p4c_scope_pop(struct p4c_sema *s)
{
	if (s->scope && s->scope != s->global)
		s->scope = s->scope->up;
}

void p4c_bind(struct p4c_sema *s, const char *name, struct p4_node *decl, struct p4c_val *v)
{
	struct p4c_binding b = { .name = name, .decl = decl, .val = v };
	if (name && s->scope)
		P4L_PUSH(s->a, &s->scope->b, b);
}

struct p4c_binding *p4c_lookup_call(struct p4c_sema *s, const char *name, bool global_only,
				    size_t n_args)
{
	struct p4c_binding *first = NULL;
	for (struct p4c_scope *sc = global_only ? s->global : s->scope; sc; sc = sc->up)
		for (int i = sc->b.n - 1; i >= 0; i--) {
			struct p4c_binding *b = &sc->b.v[i];
			if (b->name != name)
				continue;
			if (!first)
				first = b;
			enum p4_kind k = b->decl->kind;
			if (b->val || (k != P4_DECL_EXTERN_FUNC && k != P4_DECL_FUNCTION &&
				       k != P4_DECL_ACTION))
				return first;
			size_t total = b->decl->u.fn.params.n, required = 0;
			for (size_t p = 0; p < total; p++)
				required += !b->decl->u.fn.params.v[p]->u.param.dflt;
			if (n_args >= required && n_args <= total)
				return b;
		}
	return first;
}

const char *p4c_enum_name(const struct p4c_val *v)
{
	if (v->k != P4C_V_CONST || v->type->k != P4C_T_ENUM || v->type->elem)
		return NULL;
	const struct p4_list *m = &v->type->decl->u.enm.members;
	uint64_t i = p4c_num_u64(&v->num);
	return p4c_num_fits_u64(&v->num) && i < m->n ? m->v[i]->name : NULL;
}

int p4c_bind_new(struct p4c_sema *s, struct p4_node *decl, struct p4c_val *v)
{
	for (int i = 0; s->scope && i < s->scope->b.n; i++)
		if (s->scope->b.v[i].name == decl->name) {
			p4c_err(s, decl, "redeclaration of '%s'", decl->name);
			p4_diag_note(s->diag, &s->scope->b.v[i].decl->loc, "previous declaration of '%s' is here",
				     decl->name);
			return -EINVAL;
		}
	p4c_bind(s, decl->name, decl, v);
	return 0;
}

struct p4c_binding *p4c_lookup(struct p4c_sema *s, const char *name, bool global_only)
{
	for (struct p4c_scope *sc = global_only ? s->global : s->scope; sc; sc = sc->up)
		for (int i = sc->b.n - 1; i >= 0; i--)
			if (sc->b.v[i].name == name)
				return &sc->b.v[i];
	return NULL;
}

struct p4_node *p4c_anno(struct p4_node *n, const char *name)
{
	for (size_t i = 0; i < n->annos.n; i++)
		if (n->annos.v[i]->name && !strcmp(n->annos.v[i]->name, name))
			return n->annos.v[i];
	return NULL;
}

const char *p4c_anno_name(struct p4_node *n)
{
	return p4c_anno_str(n, "name");
}

struct p4c_ir_doc p4c_doc(struct p4c_sema *s, struct p4_node *n)
{
	static const char *const own[] = {
		"name", "id", "brief", "description", "tableonly", "defaultonly", "hidden",
		"field_list", "max_group_size", "controller_header", "noWarn", "pure",
		"noSideEffects", "deprecated", "alias", "pkginfo", "atomic", "optional",
		"match", "priority",
	};
	struct p4c_ir_doc d = { p4c_anno_str(n, "brief"), p4c_anno_str(n, "description"),
				{ 0 } };
	for (size_t i = 0; i < n->annos.n; i++) {
		struct p4_node *a = n->annos.v[i];
		bool skip = !a->name;
		for (size_t k = 0; !skip && k < sizeof(own) / sizeof(own[0]); k++)
			skip = !strcmp(a->name, own[k]);
		if (skip)
			continue;
		bool sq = a->u.anno.form == P4_ANNO_STRUCT_EXPRS || a->u.anno.form == P4_ANNO_STRUCT_KV;
		const char *t = a->u.anno.body ?
			p4l_arena_printf(s->a, "@%s%c%s%c", a->name, sq ? '[' : '(', a->u.anno.body,
					 sq ? ']' : ')') :
			p4l_arena_printf(s->a, "@%s", a->name);
		P4L_PUSH(s->a, &d.annos, t);
	}
	return d;
}

const char *p4c_anno_str(struct p4_node *n, const char *name)
{
	struct p4_node *an = p4c_anno(n, name);
	if (an && an->u.anno.form == P4_ANNO_EXPRS && an->u.anno.exprs.n == 1 &&
	    an->u.anno.exprs.v[0]->kind == P4_EXPR_STRING)
		return an->u.anno.exprs.v[0]->u.str.value;
	return NULL;
}

const char *p4c_cp_name(struct p4c_sema *s, struct p4_node *decl)
{
	const char *n = p4c_anno_name(decl);
	if (n && n[0] == '.')
		return p4l_arena_strdup(s->a, n + 1);
	if (!n)
		n = decl->name;
	if (!s->block_name)
		return n;
	return p4l_arena_printf(s->a, "%s.%s", s->block_name, n);
}

/* ---- Values ------------------------------------------------------------- */

static struct p4c_val *val_new(struct p4c_sema *s, enum p4c_vk k, struct p4c_type *t)
{
	struct p4c_val *v = p4l_arena_alloc(s->a, sizeof(*v));
	if (v) {
		v->k = k;
		v->type = t;
	}
	return v;
}

static struct p4c_val *val_const(struct p4c_sema *s, struct p4c_type *t, const struct p4c_num *n)
{
	struct p4c_val *v = val_new(s, P4C_V_CONST, t);
	if (v)
		v->num = *n;
	return v;
}

static struct p4c_val *val_expr(struct p4c_sema *s, struct p4c_type *t, struct p4c_ir_expr *e)
{
	if (!e)
		return NULL;
	struct p4c_val *v = val_new(s, P4C_V_EXPR, t);
	if (v)
		v->e = e;
	return v;
}

static bool is_num_type(const struct p4c_type *t)
{
	return t->k == P4C_T_BIT || t->k == P4C_T_SIGNED || t->k == P4C_T_INFINT;
}

struct p4c_ir_expr *p4c_val_data(struct p4c_sema *s, struct p4c_val *v)
{
	if (v->k == P4C_V_CONST) {
		int w = v->type->k == P4C_T_INFINT ? 0 : p4c_type_width(v->type);
		struct p4c_num n = v->num;
		/* int<W> constants keep their sign: BMv2 values are unbounded */
		if (w > 0)
			p4c_num_trunc(&n, &v->num, w, v->type->k == P4C_T_SIGNED);
		return p4c_ir_const(s->a, &n, w);
	}
	if (v->k != P4C_V_EXPR)
		return NULL;
	if (v->e->is_bool)
		return p4c_ir_op(s->a, "b2d", NULL, v->e, 1, false);
	return v->e;
}

struct p4c_ir_expr *p4c_val_bool(struct p4c_sema *s, struct p4c_val *v)
{
	if (v->k == P4C_V_CONST)
		return p4c_ir_bool(s->a, !p4c_num_is_zero(&v->num));
	if (v->k != P4C_V_EXPR)
		return NULL;
	if (v->e->is_bool)
		return v->e;
	return p4c_ir_op(s->a, "d2b", NULL, v->e, 0, true);
}

/* The IR data expression `e & (2^w - 1)`: BMv2 computes on unbounded
 * integers, P4's bit<W> arithmetic wraps. */
static struct p4c_ir_expr *wrap(struct p4c_sema *s, struct p4c_ir_expr *e, int w)
{
	struct p4c_num m;
	p4c_num_ones(&m, w);
	return p4c_ir_op(s->a, "&", e, p4c_ir_const(s->a, &m, w), w, false);
}

/* An unbounded result brought back to type t: masked for bit<W>, wrapped
 * into [-2^(W-1), 2^(W-1)) for int<W> (BMv2's two_comp_mod). */
static struct p4c_ir_expr *wrap_t(struct p4c_sema *s, struct p4c_ir_expr *e,
				  const struct p4c_type *t)
{
	if (t->k != P4C_T_SIGNED)
		return wrap(s, e, t->width);
	return p4c_ir_op(s->a, "two_comp_mod", e,
			 p4c_ir_const_u64(s->a, (uint64_t)t->width, 8), t->width, false);
}

/* Converts v to type t where P4 allows it implicitly (an `int` constant to
 * bit<W>/int<W>, equal types); reports "what: cannot use T1 as T2". */
void p4c_int_to(struct p4c_sema *s, struct p4_node *at, struct p4c_num *out,
		const struct p4c_num *in, const struct p4c_type *t)
{
	bool sg = t->k == P4C_T_SIGNED;
	p4c_num_trunc(out, in, t->width, sg);
	/* Negative values into bit<W> are the usual way to write all-ones; a
	 * positive value that loses bits is almost always a mistake. */
	if (p4c_num_cmp(out, in) && !(p4c_num_is_neg(in) && !sg)) {
		char buf[200];
		p4c_num_dec(in, buf, sizeof(buf));
		if (at)
			p4_diag_warning(s->diag, &at->loc, "value %s does not fit in %s; it is "
					"truncated", buf, p4c_type_str(s, t));
	}
}

static struct p4c_val *coerce(struct p4c_sema *s, struct p4_node *at, struct p4c_val *v,
			      struct p4c_type *t, const char *what)
{
	if (!v || !t)
		return NULL;
	if (p4c_type_eq(v->type, t))
		return v;
	if (v->k == P4C_V_CONST && v->type->k == P4C_T_INFINT &&
	    (t->k == P4C_T_BIT || t->k == P4C_T_SIGNED)) {
		struct p4c_num n;
		p4c_int_to(s, at, &n, &v->num, t);
		return val_const(s, t, &n);
	}
	if (v->k == P4C_V_DONTCARE)
		return v;
	/* a serializable enum's value converts to its underlying type */
	if (v->type->k == P4C_T_ENUM && v->type->elem && p4c_type_eq(v->type->elem, t) &&
	    (v->k == P4C_V_CONST || v->k == P4C_V_EXPR))
		return v->k == P4C_V_CONST ? val_const(s, t, &v->num) : val_expr(s, t, v->e);
	p4c_err(s, at, "%s: expected a value of type %s, found %s", what,
		p4c_type_str(s, t), p4c_type_str(s, v->type));
	return NULL;
}

/* ---- Flattened objects -------------------------------------------------- */

static const char *join(struct p4c_sema *s, const char *pfx, const char *name)
{
	if (!pfx || !*pfx)
		return name;
	return p4l_arena_printf(s->a, "%s.%s", pfx, name);
}

struct p4c_val *p4c_new_scalar(struct p4c_sema *s, const char *name, struct p4c_type *t)
{
	struct p4c_ir_htype *ht = &s->ir->htypes.v[s->scalars_htype];
	struct p4c_ir_field f = { .name = name, .width = p4c_type_width(t),
				  .is_signed = t->k == P4C_T_SIGNED };
	for (int i = 0; i < ht->fields.n; i++)
		if (!strcmp(ht->fields.v[i].name, name))
			goto found;
	P4L_PUSH(s->a, &ht->fields, f);
found:;
	struct p4c_val *v = val_expr(s, t, p4c_ir_field(s->a, s->scalars, name, f.width));
	if (v)
		v->lvalue = true;
	return v;
}

static int add_htype(struct p4c_sema *s, struct p4c_type *t)
{
	int i = p4c_ir_find_htype(s->ir, t->name);
	if (i >= 0 && (i == 0 || !strcmp(t->name, "standard_metadata")))
		return p4c_err(s, t->decl, "header type name '%s' is reserved by the compiler",
			       t->name);
	if (i >= 0)
		return i;
	struct p4c_ir_htype ht = { .name = t->name };
	struct p4_node *d = t->decl;
	int varbits = 0;
	for (size_t k = 0; k < d->u.agg.fields.n; k++) {
		struct p4c_type *ft = p4c_field_type(s, d->u.agg.fields.v[k]);
		if (!ft)
			return -EINVAL;
		if (!p4c_type_is_data(ft) && ft->k != P4C_T_VARBIT)
			return p4c_err(s, d->u.agg.fields.v[k], "a header field of type %s "
				       "is not supported yet", p4c_type_str(s, ft));
		if (ft->k == P4C_T_VARBIT && (t->k != P4C_T_HEADER || varbits++))
			return p4c_err(s, d->u.agg.fields.v[k], "a varbit field is allowed only "
				       "in a header, once");
		struct p4c_ir_field f = { .name = d->u.agg.fields.v[k]->name,
					  .width = p4c_type_width(ft),
					  .is_signed = ft->k == P4C_T_SIGNED,
					  .is_varbit = ft->k == P4C_T_VARBIT };
		P4L_PUSH(s->a, &ht.fields, f);
	}
	P4L_PUSH(s->a, &s->ir->htypes, ht);
	return s->ir->htypes.n - 1;
}

static int add_header(struct p4c_sema *s, struct p4_node *at, const char *name,
		      struct p4c_type *t)
{
	int ht = add_htype(s, t);
	if (ht < 0)
		return ht;
	int old = p4c_ir_find_header(s->ir, name);
	if (old >= 0 && s->ir->headers.v[old].htype == ht && !s->ir->headers.v[old].metadata)
		return 0;
	if (old >= 0)
		return p4c_err(s, at, "header instance name '%s' clashes with one the compiler "
			       "uses", name);
	struct p4c_ir_header h = { .name = name, .htype = ht };
	P4L_PUSH(s->a, &s->ir->headers, h);
	if (at && p4c_anno(t->decl, "controller_header")) {
		struct p4_node *an = p4c_anno(t->decl, "controller_header");
		if (an->u.anno.form == P4_ANNO_EXPRS && an->u.anno.exprs.n == 1 &&
		    an->u.anno.exprs.v[0]->kind == P4_EXPR_STRING) {
			const char *cn = an->u.anno.exprs.v[0]->u.str.value;
			for (int i = 0; i < s->ir->cpms.n; i++)
				if (!strcmp(s->ir->cpms.v[i].name, cn))
					return 0;
			struct p4c_ir_cpm c = { .name = cn, .htype = ht };
			P4L_PUSH(s->a, &s->ir->cpms, c);
		}
	}
	return 0;
}

/* Creates the objects of a struct value (header instances and scalar
 * fields), recursively. */
static int instantiate(struct p4c_sema *s, struct p4_node *at, struct p4c_val *v);

/* A header union instance: its member headers, its type and itself in the IR. */
static int add_union(struct p4c_sema *s, struct p4_node *at, struct p4c_val *v)
{
	struct p4_node *d = v->type->decl;
	struct p4c_ir_union u = { .name = v->s.hdr_pfx, .utype = -1 };
	for (int i = 0; i < s->ir->utypes.n; i++)
		if (!strcmp(s->ir->utypes.v[i].name, v->type->name))
			u.utype = i;
	bool new_type = u.utype < 0;
	struct p4c_ir_utype ut = { .name = v->type->name };
	for (size_t i = 0; i < d->u.agg.fields.n; i++) {
		struct p4_node *f = d->u.agg.fields.v[i];
		struct p4c_type *ft = p4c_field_type(s, f);
		if (!ft)
			return -EINVAL;
		if (ft->k != P4C_T_HEADER)
			return p4c_err(s, f, "a header union holds headers only, '%s' is %s",
				       f->name, p4c_type_str(s, ft));
		struct p4c_val *m = p4c_member(s, at, v, f->name);
		if (!m || add_header(s, f, m->inst, ft))
			return -EINVAL;
		P4L_PUSH(s->a, &u.headers, p4c_ir_find_header(s->ir, m->inst));
		P4L_PUSH(s->a, &ut.members, f->name);
		P4L_PUSH(s->a, &ut.htypes, p4c_ir_find_htype(s->ir, ft->name));
	}
	if (new_type) {
		P4L_PUSH(s->a, &s->ir->utypes, ut);
		u.utype = s->ir->utypes.n - 1;
	}
	for (int i = 0; i < s->ir->unions.n; i++)
		if (!strcmp(s->ir->unions.v[i].name, u.name))
			return 0;
	P4L_PUSH(s->a, &s->ir->unions, u);
	return p4l_arena_failed(s->a) ? -ENOMEM : 0;
}

static int instantiate(struct p4c_sema *s, struct p4_node *at, struct p4c_val *v)
{
	struct p4_node *d = v->type->decl;
	for (size_t i = 0; i < d->u.agg.fields.n; i++) {
		struct p4_node *f = d->u.agg.fields.v[i];
		struct p4c_type *ft = p4c_field_type(s, f);
		if (!ft)
			return -EINVAL;
		struct p4c_val *m = p4c_member(s, at, v, f->name);
		if (!m)
			return -EINVAL;
		int rc = 0;
		if (m->k == P4C_V_STRUCT && ft->k == P4C_T_UNION)
			rc = add_union(s, at, m);
		else if (m->k == P4C_V_STRUCT)
			rc = instantiate(s, at, m);
		else if (m->k == P4C_V_HEADER)
			rc = add_header(s, f, m->inst, ft);
		else if (m->k == P4C_V_STACK) {
			struct p4c_ir_stack st = { .name = m->inst };
			for (int k = 0; k < ft->size && !rc; k++) {
				const char *hn = p4l_arena_printf(s->a, "%s[%d]", m->inst, k);
				rc = add_header(s, f, hn, ft->elem);
				if (!rc)
					P4L_PUSH(s->a, &st.headers, p4c_ir_find_header(s->ir, hn));
			}
			st.htype = p4c_ir_find_htype(s->ir, ft->elem->name);
			P4L_PUSH(s->a, &s->ir->stacks, st);
		}
		if (rc)
			return rc;
	}
	return 0;
}

struct p4c_val *p4c_new_local(struct p4c_sema *s, struct p4_node *at, const char *name,
			      struct p4c_type *t)
{
	if (p4c_type_is_data(t))
		return p4c_new_scalar(s, name, t);
	if (t->k == P4C_T_HEADER) {
		if (add_header(s, at, name, t))
			return NULL;
		struct p4c_val *v = val_new(s, P4C_V_HEADER, t);
		if (v) {
			v->inst = name;
			v->lvalue = true;
		}
		return v;
	}
	if (t->k == P4C_T_UNION) {
		struct p4c_val *v = val_new(s, P4C_V_STRUCT, t);
		if (!v)
			return NULL;
		v->s.hdr_pfx = name;
		v->s.sc_pfx = name;
		v->lvalue = true;
		return add_union(s, at, v) ? NULL : v;
	}
	if (t->k == P4C_T_STRUCT) {
		struct p4c_val *v = val_new(s, P4C_V_STRUCT, t);
		if (!v)
			return NULL;
		v->s.hdr_pfx = name;
		v->s.sc_pfx = name;
		v->lvalue = true;
		return instantiate(s, at, v) ? NULL : v;
	}
	p4c_err(s, at, "a variable of type %s is not supported yet", p4c_type_str(s, t));
	return NULL;
}

struct p4c_val *p4c_readonly(struct p4c_sema *s, struct p4c_val *v)
{
	if (!v || !v->lvalue)
		return v;
	struct p4c_val *c = p4l_arena_alloc(s->a, sizeof(*c));
	if (c) {
		*c = *v;
		c->lvalue = false;
	}
	return c;
}

int p4c_instantiate(struct p4c_sema *s, struct p4_node *at, struct p4c_val *v)
{
	return instantiate(s, at, v);
}

struct p4c_ir_expr *p4c_header_ref(struct p4c_sema *s, struct p4c_val *h)
{
	if (!h->dyn)
		return p4c_ir_kind(s->a, P4C_IRE_HEADER, h->inst);
	return p4c_ir_op(s->a, "dereference_header_stack", p4c_ir_kind(s->a, P4C_IRE_STACK, h->inst),
			 h->dyn, 0, false);
}

struct p4c_val *p4c_member(struct p4c_sema *s, struct p4_node *at, struct p4c_val *base,
			   const char *name)
{
	struct p4c_type *bt = base->type;
	if (base->k != P4C_V_STRUCT && base->k != P4C_V_HEADER) {
		p4c_err(s, at, "a value of type %s has no member '%s'", p4c_type_str(s, bt), name);
		return NULL;
	}
	struct p4_node *f = p4c_agg_field(bt->decl, name);
	if (!f) {
		p4c_err(s, at, "%s has no field '%s'", p4c_type_str(s, bt), name);
		return NULL;
	}
	struct p4c_type *ft = p4c_field_type(s, f);
	if (!ft)
		return NULL;
	struct p4c_val *v = NULL;
	if (base->k == P4C_V_HEADER && base->dyn) {
		if (!p4c_type_is_data(ft))
			return (void)p4c_unsupported(s, at, "a nested field of this kind"), NULL;
		struct p4_node *hd = bt->decl;
		int k = 0;
		while (hd->u.agg.fields.v[k] != f)
			k++;
		struct p4c_ir_expr *fi = p4c_ir_kind(s->a, P4C_IRE_INT, NULL);
		if (fi)
			fi->index = k;
		v = val_expr(s, ft, p4c_ir_op(s->a, "access_field", p4c_header_ref(s, base), fi,
					      p4c_type_width(ft), false));
		if (v)
			v->lvalue = base->lvalue;
		return v;
	}
	if (base->k == P4C_V_HEADER && base->stack_last) {
		if (!p4c_type_is_data(ft))
			return (void)p4c_unsupported(s, at, "a nested field of this kind"), NULL;
		struct p4c_ir_expr *x = p4c_ir_field(s->a, base->inst, name, p4c_type_width(ft));
		if (x)
			x->kind = P4C_IRE_STACK_FIELD;
		return val_expr(s, ft, x);   /* read only */
	}
	if (base->k == P4C_V_HEADER || base->s.as_inst) {
		const char *inst = base->k == P4C_V_HEADER ? base->inst : base->s.as_inst;
		if (!p4c_type_is_data(ft) && ft->k != P4C_T_VARBIT)
			return (void)p4c_unsupported(s, at, "a nested field of this kind"), NULL;
		v = val_expr(s, ft, p4c_ir_field(s->a, inst, name, p4c_type_width(ft)));
	} else if (ft->k == P4C_T_HEADER || ft->k == P4C_T_STACK) {
		v = val_new(s, ft->k == P4C_T_HEADER ? P4C_V_HEADER : P4C_V_STACK, ft);
		if (v)
			v->inst = join(s, base->s.hdr_pfx, name);
	} else if (ft->k == P4C_T_STRUCT || ft->k == P4C_T_UNION) {
		/* a union is a struct of headers, one valid at a time */
		v = val_new(s, P4C_V_STRUCT, ft);
		if (v) {
			v->s.hdr_pfx = join(s, base->s.hdr_pfx, name);
			v->s.sc_pfx = join(s, base->s.sc_pfx, name);
		}
	} else if (p4c_type_is_data(ft)) {
		v = p4c_new_scalar(s, join(s, base->s.sc_pfx, name), ft);
	} else if (ft->k == P4C_T_VARBIT) {
		p4c_err(s, at, "a varbit field is allowed only in a header, not in %s",
			p4c_type_str(s, bt));
		return NULL;
	} else {
		p4c_err(s, at, "a field of type %s is not supported yet", p4c_type_str(s, ft));
		return NULL;
	}
	if (v)
		v->lvalue = base->lvalue;
	return v;
}

/* ---- Expressions -------------------------------------------------------- */

static int int_literal(struct p4c_sema *s, struct p4_node *e, struct p4c_num *out)
{
	const struct p4_int *li = &e->u.intlit;
	memset(out, 0, sizeof(*out));
	for (uint32_t i = 0; i < li->nlimbs; i++) {
		if (i >= P4C_NUM_WORDS - 1) {
			if (li->limbs[i])
				return p4c_err(s, e, "integer literal '%s' is too large", li->text);
			continue;
		}
		out->w[i] = li->limbs[i];
	}
	if (p4c_num_is_neg(out))
		return p4c_err(s, e, "integer literal '%s' is too large", li->text);
	return 0;
}

static struct p4c_val *check_int(struct p4c_sema *s, struct p4_node *e)
{
	const struct p4_int *li = &e->u.intlit;
	struct p4c_num n;
	if (int_literal(s, e, &n))
		return NULL;
	if (!li->has_width)
		return val_const(s, s->t_infint, &n);
	if (li->width < 1 || li->width > P4C_NUM_MAX_WIDTH)
		return (void)p4c_err(s, e, "width %u of '%s' is out of range (1 to %d)",
				     li->width, li->text, P4C_NUM_MAX_WIDTH), NULL;
	struct p4c_type *t = p4c_type_new(s, li->is_signed ? P4C_T_SIGNED : P4C_T_BIT,
					  (int)li->width);
	if (!t)
		return NULL;
	struct p4c_num mag = n;
	if (li->is_signed && p4c_num_is_neg(&n))
		p4c_num_not(&mag, &n);   /* -x fits in W bits when x - 1 fits in W - 1 */
	if (p4c_num_bits(&mag) > (int)li->width - (li->is_signed ? 1 : 0)) {
		p4c_err(s, e, "value of '%s' does not fit in %s", li->text, p4c_type_str(s, t));
		return NULL;
	}
	struct p4c_num tn;
	p4c_num_trunc(&tn, &n, t->width, li->is_signed);
	return val_const(s, t, &tn);
}

static int find_error_code(struct p4c_sema *s, const char *name)
{
	for (int i = 0; i < s->ir->errors.n; i++)
		if (!strcmp(s->ir->errors.v[i].name, name))
			return s->ir->errors.v[i].value;
	return -1;
}

static struct p4c_val *enum_member(struct p4c_sema *s, struct p4_node *at,
				   struct p4_node *decl, const char *name)
{
	struct p4c_type *t = p4c_named_type(s, at, decl);
	if (!t)
		return NULL;
	for (size_t i = 0; i < decl->u.enm.members.n; i++) {
		struct p4_node *m = decl->u.enm.members.v[i];
		if (m->name != name)
			continue;
		struct p4c_num n;
		if (m->u.member.value) {
			if (p4c_const_eval(s, m->u.member.value, t->elem, &n, NULL))
				return NULL;
		} else {
			p4c_num_from_u64(&n, i);
		}
		return val_const(s, t, &n);
	}
	p4c_err(s, at, "enum %s has no member '%s'", decl->name, name);
	return NULL;
}

static struct p4c_val *check_name(struct p4c_sema *s, struct p4_node *e)
{
	struct p4c_binding *b = p4c_lookup(s, e->name, e->u.ident.global);
	if (!b)
		return (void)p4c_err(s, e, "undeclared name '%s'", e->name), NULL;
	if (b->val)
		return b->val;
	struct p4_node *d = b->decl;
	switch (d->kind) {
	case P4_DECL_CONST: {
		if (d->sema)
			return d->sema;
		if (d->sema_flags & 2)
			return (void)p4c_err(s, e, "constant '%s' is defined in terms of itself",
					     d->name), NULL;
		d->sema_flags |= 2;
		struct p4c_type *t = p4c_type_of(s, d->u.var.type);
		struct p4c_val *v = t ? p4c_check(s, d->u.var.init, t) : NULL;
		d->sema_flags &= ~(uint64_t)2;
		if (v && v->k != P4C_V_CONST)
			return (void)p4c_err(s, d->u.var.init, "the value of constant '%s' "
					     "is not known at compile time", d->name), NULL;
		v = coerce(s, d->u.var.init, v, t, "constant initializer");
		d->sema = v;
		return v;
	}
	case P4_DECL_VAR:
	case P4_PARAM:
		p4c_err(s, e, "'%s' cannot be used here", e->name);
		return NULL;
	default: {
		struct p4c_val *v = val_new(s, P4C_V_DECL, NULL);
		if (v)
			v->decl = d;
		return v;
	}
	}
}

static struct p4c_val *check_member(struct p4c_sema *s, struct p4_node *e)
{
	struct p4_node *bn = e->u.mem.base;
	if (bn->kind == P4_EXPR_TYPE && bn->u.texpr.type->kind == P4_TYPE_ERROR) {
		int code = find_error_code(s, e->name);
		if (code < 0)
			return (void)p4c_err(s, e, "no error named '%s'", e->name), NULL;
		struct p4c_num n;
		p4c_num_from_u64(&n, (uint64_t)code);
		return val_const(s, s->t_error, &n);
	}
	struct p4c_val *b;
	if (bn->kind == P4_EXPR_TYPE && bn->u.texpr.type->kind == P4_TYPE_NAME) {
		struct p4c_binding *bd = p4c_lookup(s, bn->u.texpr.type->name,
						    bn->u.texpr.type->u.ident.global);
		if (!bd)
			return (void)p4c_err(s, bn, "unknown type '%s'",
					     bn->u.texpr.type->name), NULL;
		b = val_new(s, P4C_V_DECL, NULL);
		if (b)
			b->decl = bd->decl;
	} else {
		b = p4c_check(s, bn, NULL);
	}
	if (!b)
		return NULL;
	if (b->k == P4C_V_DECL) {
		struct p4_node *d = b->decl;
		while (d->kind == P4_DECL_TYPEDEF && d->u.tdef.type->kind == P4_TYPE_NAME) {
			struct p4c_binding *bd = p4c_lookup(s, d->u.tdef.type->name, false);
			if (!bd)
				break;
			d = bd->decl;
		}
		if (d->kind == P4_DECL_ENUM)
			return enum_member(s, e, d, e->name);
		p4c_err(s, e, "'%s' has no member '%s' usable here", d->name ? d->name : "?",
			e->name);
		return NULL;
	}
	if (b->k == P4C_V_STACK) {
		if (!strcmp(e->name, "size")) {
			struct p4c_num n;
			p4c_num_from_u64(&n, (uint64_t)b->type->size);
			return val_const(s, p4c_type_new(s, P4C_T_BIT, 32), &n);
		}
		if (!strcmp(e->name, "last")) {
			struct p4c_val *v = val_new(s, P4C_V_HEADER, b->type->elem);
			if (v) {
				v->inst = b->inst;
				v->stack_last = true;
			}
			return v;
		}
		if (!strcmp(e->name, "lastIndex")) {
			struct p4c_ir_expr *st = p4c_ir_kind(s->a, P4C_IRE_STACK, b->inst);
			return val_expr(s, p4c_type_new(s, P4C_T_BIT, 32),
					p4c_ir_op(s->a, "last_stack_index", NULL, st, 32, false));
		}
		p4c_err(s, e, "header stack operation '.%s' is not supported yet", e->name);
		return NULL;
	}
	return p4c_member(s, e, b, e->name);
}

static struct p4c_val *check_index(struct p4c_sema *s, struct p4_node *e)
{
	struct p4c_val *b = p4c_check(s, e->u.index.base, NULL);
	if (!b)
		return NULL;
	if (b->k == P4C_V_STRUCT && !strncmp(b->type->name, "tuple<", 6)) {
		struct p4c_num i;
		if (p4c_const_eval(s, e->u.index.index, NULL, &i, NULL))
			return NULL;
		if (p4c_num_is_neg(&i) || !p4c_num_fits_u64(&i) ||
		    p4c_num_u64(&i) >= b->type->decl->u.agg.fields.n)
			return (void)p4c_err(s, e->u.index.index, "index out of bounds for %s",
					     p4c_type_str(s, b->type)), NULL;
		return p4c_member(s, e, b, p4c_intern(s, p4l_arena_printf(s->a, "f%d",
							  (int)p4c_num_u64(&i))));
	}
	if (b->k != P4C_V_STACK)
		return (void)p4c_err(s, e, "a value of type %s cannot be indexed",
				     p4c_type_str(s, b->type)), NULL;
	struct p4c_num n;
	struct p4c_val *iv = p4c_check(s, e->u.index.index, NULL);
	if (!iv)
		return NULL;
	if (iv->k == P4C_V_EXPR) {
		/* an element chosen at run time: fields through access_field */
		if (!s->cur_action)
			return (void)p4c_unsupported(s, e->u.index.index, "a header stack index "
						     "that is not a constant outside actions"), NULL;
		if (iv->type->k != P4C_T_BIT)
			return (void)p4c_err(s, e->u.index.index, "a stack index must be bit<W>, "
					     "found %s", p4c_type_str(s, iv->type)), NULL;
		struct p4c_val *v = val_new(s, P4C_V_HEADER, b->type->elem);
		if (v) {
			v->inst = b->inst;
			v->dyn = p4c_val_data(s, iv);
			v->lvalue = b->lvalue;
		}
		return v;
	}
	if (p4c_const_eval(s, e->u.index.index, NULL, &n, NULL))
		return NULL;
	if (p4c_num_is_neg(&n) || !p4c_num_fits_u64(&n) || p4c_num_u64(&n) >= (uint64_t)b->type->size)
		return (void)p4c_err(s, e->u.index.index, "index out of bounds for %s",
				     p4c_type_str(s, b->type)), NULL;
	struct p4c_val *v = val_new(s, P4C_V_HEADER, b->type->elem);
	if (v) {
		v->inst = p4l_arena_printf(s->a, "%s[%d]", b->inst, (int)p4c_num_u64(&n));
		v->lvalue = b->lvalue;
	}
	return v;
}

static struct p4c_val *check_slice(struct p4c_sema *s, struct p4_node *e)
{
	struct p4c_val *b = p4c_check(s, e->u.slice.base, NULL);
	struct p4c_num hi, lo;
	if (!b)
		return NULL;
	if (b->type->k != P4C_T_BIT && !(b->type->k == P4C_T_INFINT && b->k == P4C_V_CONST))
		return (void)p4c_err(s, e, "cannot slice a value of type %s",
				     p4c_type_str(s, b->type)), NULL;
	if (p4c_const_eval(s, e->u.slice.hi, NULL, &hi, NULL) ||
	    p4c_const_eval(s, e->u.slice.lo, NULL, &lo, NULL))
		return NULL;
	int w = b->type->k == P4C_T_BIT ? b->type->width : P4C_NUM_MAX_WIDTH;
	if (p4c_num_is_neg(&lo) || p4c_num_cmp(&hi, &lo) < 0 || !p4c_num_fits_u64(&hi) ||
	    p4c_num_u64(&hi) >= (uint64_t)w)
		return (void)p4c_err(s, e, "slice bounds out of range for %s",
				     p4c_type_str(s, b->type)), NULL;
	int h = (int)p4c_num_u64(&hi), l = (int)p4c_num_u64(&lo);
	struct p4c_type *t = p4c_type_new(s, P4C_T_BIT, h - l + 1);
	if (!t)
		return NULL;
	if (b->k == P4C_V_CONST) {
		struct p4c_num r;
		p4c_num_slice(&r, &b->num, h, l);
		return val_const(s, t, &r);
	}
	struct p4c_ir_expr *x = p4c_val_data(s, b);
	if (l)
		x = p4c_ir_op(s->a, ">>", x, p4c_ir_const_u64(s->a, (uint64_t)l, 8), w, false);
	if (h - l + 1 < w)
		x = wrap(s, x, h - l + 1);
	struct p4c_val *v = val_expr(s, t, x);
	if (v && b->lvalue) {
		v->lvalue = true;
		v->slice_base = b;
		v->hi = h;
		v->lo = l;
	}
	return v;
}

/* Brings the two operands of a binary operator to one type: an `int`
 * constant takes the other side's type. */
static bool unify(struct p4c_sema *s, struct p4_node *at, const char *op,
		  struct p4c_val **l, struct p4c_val **r)
{
	if ((*l)->type->k == P4C_T_INFINT && (*r)->type->k != P4C_T_INFINT)
		*l = coerce(s, at, *l, (*r)->type, "left operand");
	else if ((*r)->type->k == P4C_T_INFINT && (*l)->type->k != P4C_T_INFINT)
		*r = coerce(s, at, *r, (*l)->type, "right operand");
	else if ((*l)->type->k == P4C_T_ENUM && (*l)->type->elem &&
		 p4c_type_eq((*l)->type->elem, (*r)->type))
		*l = coerce(s, at, *l, (*r)->type, "left operand");
	else if ((*r)->type->k == P4C_T_ENUM && (*r)->type->elem &&
		 p4c_type_eq((*r)->type->elem, (*l)->type))
		*r = coerce(s, at, *r, (*l)->type, "right operand");
	else if (!p4c_type_eq((*l)->type, (*r)->type)) {
		p4c_err(s, at, "cannot apply '%s' to %s and %s", op,
			p4c_type_str(s, (*l)->type), p4c_type_str(s, (*r)->type));
		return false;
	}
	return *l && *r;
}

static void fold_binop(enum p4_binop op, struct p4c_num *r, const struct p4c_num *a,
		       const struct p4c_num *b)
{
	switch (op) {
	case P4_BIN_ADD: p4c_num_add(r, a, b); break;
	case P4_BIN_SUB: p4c_num_sub(r, a, b); break;
	case P4_BIN_MUL: p4c_num_mul(r, a, b); break;
	case P4_BIN_DIV: p4c_num_divmod(r, NULL, a, b); break;
	case P4_BIN_MOD: p4c_num_divmod(NULL, r, a, b); break;
	case P4_BIN_BAND: p4c_num_and(r, a, b); break;
	case P4_BIN_BOR: p4c_num_or(r, a, b); break;
	case P4_BIN_BXOR: p4c_num_xor(r, a, b); break;
	default: *r = *a; break;
	}
}

static struct p4c_val *check_binary(struct p4c_sema *s, struct p4_node *e, struct p4c_type *want)
{
	enum p4_binop op = e->u.binary.op;
	const char *ops = p4_binop_str(op);
	if (op == P4_BIN_MASK || op == P4_BIN_RANGE)
		return (void)p4c_err(s, e, "'%s' is only allowed in select cases and table "
				     "entries", ops), NULL;
	bool logical = op == P4_BIN_AND || op == P4_BIN_OR;
	bool shift = op == P4_BIN_SHL || op == P4_BIN_SHR;
	bool cmp = op >= P4_BIN_LT && op <= P4_BIN_NE;
	struct p4c_type *lw = logical ? s->t_bool : (cmp || op == P4_BIN_CONCAT) ? NULL : want;
	struct p4c_val *l = p4c_check(s, e->u.binary.lhs, lw);
	struct p4c_val *r = p4c_check(s, e->u.binary.rhs, logical ? s->t_bool : NULL);
	if (!l || !r)
		return NULL;
	if (l->k != P4C_V_CONST && l->k != P4C_V_EXPR)
		return (void)p4c_err(s, e->u.binary.lhs, "operand of '%s' is not a value", ops), NULL;
	if (r->k != P4C_V_CONST && r->k != P4C_V_EXPR)
		return (void)p4c_err(s, e->u.binary.rhs, "operand of '%s' is not a value", ops), NULL;

	if (logical) {
		if (l->type->k != P4C_T_BOOL || r->type->k != P4C_T_BOOL)
			return (void)p4c_err(s, e, "cannot apply '%s' to %s and %s", ops,
					     p4c_type_str(s, l->type), p4c_type_str(s, r->type)), NULL;
		if (l->k == P4C_V_CONST) {
			bool lv = !p4c_num_is_zero(&l->num);
			if (op == P4_BIN_AND ? !lv : lv)
				return l;
			return r;
		}
		return val_expr(s, s->t_bool, p4c_ir_op(s->a, op == P4_BIN_AND ? "and" : "or",
							p4c_val_bool(s, l), p4c_val_bool(s, r), 0, true));
	}
	if (shift) {
		if (!is_num_type(l->type) || !(r->type->k == P4C_T_BIT || r->type->k == P4C_T_INFINT))
			return (void)p4c_err(s, e, "cannot apply '%s' to %s and %s", ops,
					     p4c_type_str(s, l->type), p4c_type_str(s, r->type)), NULL;
		if (r->k == P4C_V_CONST && p4c_num_is_neg(&r->num))
			return (void)p4c_err(s, e->u.binary.rhs, "shift amount is negative"), NULL;
		if (l->type->k == P4C_T_INFINT && l->k == P4C_V_CONST && want && is_num_type(want) &&
		    want->k != P4C_T_INFINT && r->k != P4C_V_CONST)
			l = coerce(s, e, l, want, "left operand");
		if (!l)
			return NULL;
		if (l->type->k == P4C_T_INFINT && r->k != P4C_V_CONST)
			return (void)p4c_err(s, e, "the width of the left operand of '%s' must be "
					     "known when the shift amount is not a constant", ops), NULL;
		if (l->k == P4C_V_CONST && r->k == P4C_V_CONST) {
			uint64_t n = p4c_num_fits_u64(&r->num) ? p4c_num_u64(&r->num) : P4C_NUM_BITS;
			unsigned sh = n > P4C_NUM_BITS ? P4C_NUM_BITS : (unsigned)n;
			struct p4c_num res;
			if (op == P4_BIN_SHL)
				p4c_num_shl(&res, &l->num, sh);
			else
				p4c_num_shr(&res, &l->num, sh);
			if (l->type->k != P4C_T_INFINT)
				p4c_num_trunc(&res, &res, l->type->width, l->type->k == P4C_T_SIGNED);
			return val_const(s, l->type, &res);
		}
		int w = l->type->width;
		struct p4c_ir_expr *x = p4c_ir_op(s->a, op == P4_BIN_SHL ? "<<" : ">>",
						  p4c_val_data(s, l), p4c_val_data(s, r), w, false);
		return val_expr(s, l->type, op == P4_BIN_SHL ? wrap_t(s, x, l->type) : x);
	}
	if (op == P4_BIN_CONCAT) {
		if (l->type->k != P4C_T_BIT || r->type->k != P4C_T_BIT)
			return (void)p4c_err(s, e, "cannot apply '++' to %s and %s (both need a "
					     "fixed width)", p4c_type_str(s, l->type),
					     p4c_type_str(s, r->type)), NULL;
		int w = l->type->width + r->type->width;
		if (w > P4C_NUM_MAX_WIDTH)
			return (void)p4c_err(s, e, "result of '++' is wider than %d bits",
					     P4C_NUM_MAX_WIDTH), NULL;
		struct p4c_type *t = p4c_type_new(s, P4C_T_BIT, w);
		if (l->k == P4C_V_CONST && r->k == P4C_V_CONST) {
			struct p4c_num res;
			p4c_num_shl(&res, &l->num, (unsigned)r->type->width);
			p4c_num_or(&res, &res, &r->num);
			return val_const(s, t, &res);
		}
		struct p4c_ir_expr *x = p4c_ir_op(s->a, "<<", p4c_val_data(s, l),
			p4c_ir_const_u64(s->a, (uint64_t)r->type->width, 16), w, false);
		return val_expr(s, t, p4c_ir_op(s->a, "|", x, p4c_val_data(s, r), w, false));
	}
	if (!unify(s, e, ops, &l, &r))
		return NULL;
	struct p4c_type *t = l->type;
	if (cmp) {
		bool eq = op == P4_BIN_EQ || op == P4_BIN_NE;
		if (!p4c_type_is_data(t) && t->k != P4C_T_INFINT)
			return (void)p4c_err(s, e, "cannot compare values of type %s with '%s'",
					     p4c_type_str(s, t), ops), NULL;
		if (!eq && !is_num_type(t))
			return (void)p4c_err(s, e, "cannot apply '%s' to %s and %s", ops,
					     p4c_type_str(s, t), p4c_type_str(s, t)), NULL;
		if (l->k == P4C_V_CONST && r->k == P4C_V_CONST) {
			int c = p4c_num_cmp(&l->num, &r->num);
			bool res = op == P4_BIN_EQ ? c == 0 : op == P4_BIN_NE ? c != 0 :
				   op == P4_BIN_LT ? c < 0 : op == P4_BIN_GT ? c > 0 :
				   op == P4_BIN_LE ? c <= 0 : c >= 0;
			struct p4c_num n;
			p4c_num_from_u64(&n, res);
			return val_const(s, s->t_bool, &n);
		}
		return val_expr(s, s->t_bool, p4c_ir_op(s->a, ops, p4c_val_data(s, l),
							p4c_val_data(s, r), 0, true));
	}
	/* Arithmetic and bitwise operators. */
	if (!is_num_type(t))
		return (void)p4c_err(s, e, "cannot apply '%s' to %s and %s", ops,
				     p4c_type_str(s, t), p4c_type_str(s, t)), NULL;
	bool sat = op == P4_BIN_ADDSAT || op == P4_BIN_SUBSAT;
	if (sat && t->k == P4C_T_INFINT)
		return (void)p4c_err(s, e, "'%s' needs a fixed width: cast an operand to bit<W> "
				     "or int<W>", ops), NULL;
	if (l->k == P4C_V_CONST && r->k == P4C_V_CONST && sat) {
		struct p4c_num res, lo, hi;
		if (op == P4_BIN_ADDSAT)
			p4c_num_add(&res, &l->num, &r->num);
		else
			p4c_num_sub(&res, &l->num, &r->num);
		if (t->k == P4C_T_SIGNED) {
			p4c_num_ones(&hi, t->width - 1);
			p4c_num_not(&lo, &hi);
		} else {
			p4c_num_ones(&hi, t->width);
			p4c_num_from_u64(&lo, 0);
		}
		if (p4c_num_cmp(&res, &hi) > 0)
			res = hi;
		if (p4c_num_cmp(&res, &lo) < 0)
			res = lo;
		return val_const(s, t, &res);
	}
	if (l->k == P4C_V_CONST && r->k == P4C_V_CONST) {
		if ((op == P4_BIN_DIV || op == P4_BIN_MOD) && p4c_num_is_zero(&r->num))
			return (void)p4c_err(s, e, "division by zero"), NULL;
		if ((op == P4_BIN_DIV || op == P4_BIN_MOD) &&
		    (p4c_num_is_neg(&l->num) || p4c_num_is_neg(&r->num)))
			return (void)p4c_err(s, e, "'%s' on negative values is not defined", ops), NULL;
		struct p4c_num res;
		fold_binop(op, &res, &l->num, &r->num);
		if (t->k != P4C_T_INFINT)
			p4c_num_trunc(&res, &res, t->width, t->k == P4C_T_SIGNED);
		return val_const(s, t, &res);
	}
	if (op == P4_BIN_DIV || op == P4_BIN_MOD)
		return (void)p4c_unsupported(s, e, "division of values not known at compile time"), NULL;
	if (sat) {
		/* the exact sum or difference, clamped to the type's range */
		struct p4c_ir_expr *x = p4c_ir_op(s->a, op == P4_BIN_ADDSAT ? "+" : "-",
						  p4c_val_data(s, l), p4c_val_data(s, r),
						  t->width, false);
		return val_expr(s, t, p4c_ir_op(s->a, t->k == P4C_T_SIGNED ? "sat_cast" :
						"usat_cast", x,
						p4c_ir_const_u64(s->a, (uint64_t)t->width, 8),
						t->width, false));
	}
	struct p4c_ir_expr *x = p4c_ir_op(s->a, ops, p4c_val_data(s, l), p4c_val_data(s, r),
					  t->width, false);
	if (op == P4_BIN_ADD || op == P4_BIN_SUB || op == P4_BIN_MUL)
		x = wrap_t(s, x, t);
	return val_expr(s, t, x);
}

static struct p4c_val *check_unary(struct p4c_sema *s, struct p4_node *e, struct p4c_type *want)
{
	enum p4_unop op = e->u.unary.op;
	struct p4c_val *v = p4c_check(s, e->u.unary.operand, op == P4_UN_NOT ? s->t_bool : want);
	if (!v)
		return NULL;
	if (v->k != P4C_V_CONST && v->k != P4C_V_EXPR)
		return (void)p4c_err(s, e, "operand of '%s' is not a value", p4_unop_str(op)), NULL;
	struct p4c_type *t = v->type;
	if (op == P4_UN_NOT) {
		if (t->k != P4C_T_BOOL)
			return (void)p4c_err(s, e, "cannot apply '!' to %s", p4c_type_str(s, t)), NULL;
		if (v->k == P4C_V_CONST) {
			struct p4c_num n;
			p4c_num_from_u64(&n, p4c_num_is_zero(&v->num));
			return val_const(s, t, &n);
		}
		return val_expr(s, t, p4c_ir_op(s->a, "not", NULL, p4c_val_bool(s, v), 0, true));
	}
	if (!is_num_type(t) || (op == P4_UN_BNOT && t->k == P4C_T_INFINT))
		return (void)p4c_err(s, e, "cannot apply '%s' to %s", p4_unop_str(op),
				     p4c_type_str(s, t)), NULL;
	if (op == P4_UN_POS)
		return v;
	if (v->k == P4C_V_CONST) {
		struct p4c_num n;
		if (op == P4_UN_NEG)
			p4c_num_neg(&n, &v->num);
		else
			p4c_num_not(&n, &v->num);
		if (t->k != P4C_T_INFINT)
			p4c_num_trunc(&n, &n, t->width, t->k == P4C_T_SIGNED);
		return val_const(s, t, &n);
	}
	struct p4c_ir_expr *x = op == P4_UN_NEG ?
		p4c_ir_op(s->a, "-", p4c_ir_const_u64(s->a, 0, t->width), p4c_val_data(s, v),
			  t->width, false) :
		p4c_ir_op(s->a, "~", NULL, p4c_val_data(s, v), t->width, false);
	return val_expr(s, t, wrap_t(s, x, t));
}

static struct p4c_val *check_cast(struct p4c_sema *s, struct p4_node *e)
{
	struct p4c_type *t = p4c_type_of(s, e->u.cast.type);
	if (!t)
		return NULL;
	struct p4c_val *v = p4c_check(s, e->u.cast.expr, t);
	if (!v)
		return NULL;
	struct p4c_type *f = v->type;
	if (v->k != P4C_V_CONST && v->k != P4C_V_EXPR)
		goto bad;
	if (p4c_type_eq(f, t))
		return v;
	if (v->k == P4C_V_CONST) {
		bool ok = (is_num_type(f) && (t->k == P4C_T_BIT || t->k == P4C_T_SIGNED)) ||
			  (f->k == P4C_T_BOOL && t->k == P4C_T_BIT && t->width == 1) ||
			  (f->k == P4C_T_BIT && f->width == 1 && t->k == P4C_T_BOOL) ||
			  (f->k == P4C_T_ENUM && f->elem && is_num_type(t)) ||
			  (t->k == P4C_T_ENUM && t->elem && is_num_type(f));
		if (!ok)
			goto bad;
		struct p4c_num n = v->num;
		if (t->k == P4C_T_BIT || t->k == P4C_T_SIGNED)
			p4c_num_trunc(&n, &v->num, t->width, t->k == P4C_T_SIGNED);
		return val_const(s, t, &n);
	}
	if (f->k == P4C_T_BIT && t->k == P4C_T_BIT) {
		struct p4c_ir_expr *x = p4c_val_data(s, v);
		/* Widening needs nothing: BMv2 values are unbounded. */
		return val_expr(s, t, t->width < f->width ? wrap(s, x, t->width) : x);
	}
	if (f->k == P4C_T_BOOL && t->k == P4C_T_BIT && t->width == 1)
		return val_expr(s, t, p4c_val_data(s, v));
	if (f->k == P4C_T_BIT && f->width == 1 && t->k == P4C_T_BOOL)
		return val_expr(s, t, p4c_ir_op(s->a, "d2b", NULL, p4c_val_data(s, v), 0, true));
	if ((f->k == P4C_T_ENUM && f->elem && p4c_type_eq(f->elem, t)) ||
	    (t->k == P4C_T_ENUM && t->elem && p4c_type_eq(t->elem, f)))
		return val_expr(s, t, v->e);
	if (f->k == P4C_T_SIGNED && t->k == P4C_T_SIGNED) {
		struct p4c_ir_expr *x = p4c_val_data(s, v);
		return val_expr(s, t, t->width < f->width ? wrap_t(s, x, t) : x);
	}
	/* the spec's casts change the sign or the width, not both at once */
	if ((f->k == P4C_T_SIGNED && t->k == P4C_T_BIT) || (f->k == P4C_T_BIT && t->k == P4C_T_SIGNED)) {
		if (f->width != t->width)
			return (void)p4c_err(s, e, "cannot cast %s to %s: a cast changes the sign "
					     "or the width, not both (cast twice)",
					     p4c_type_str(s, f), p4c_type_str(s, t)), NULL;
		return val_expr(s, t, wrap_t(s, p4c_val_data(s, v), t));
	}
bad:
	p4c_err(s, e, "cannot cast %s to %s", p4c_type_str(s, f), p4c_type_str(s, t));
	return NULL;
}

static struct p4c_val *check_cond(struct p4c_sema *s, struct p4_node *e, struct p4c_type *want)
{
	struct p4c_val *c = p4c_check(s, e->u.cond.cond, s->t_bool);
	if (!c)
		return NULL;
	if (c->type->k != P4C_T_BOOL || (c->k != P4C_V_CONST && c->k != P4C_V_EXPR))
		return (void)p4c_err_whole(s, e->u.cond.cond, "condition must be a bool, found %s",
				     p4c_type_str(s, c->type)), NULL;
	struct p4c_val *a = p4c_check(s, e->u.cond.then, want);
	struct p4c_val *b = p4c_check(s, e->u.cond.els, want);
	if (!a || !b || !unify(s, e, "?:", &a, &b))
		return NULL;
	if (c->k == P4C_V_CONST)
		return p4c_num_is_zero(&c->num) ? b : a;
	if (a->type->k == P4C_T_INFINT)
		return (void)p4c_err(s, e, "the width of '?:' must be known when the "
				     "condition is not a constant"), NULL;
	if (!p4c_type_is_data(a->type) || (a->k != P4C_V_CONST && a->k != P4C_V_EXPR) ||
	    (b->k != P4C_V_CONST && b->k != P4C_V_EXPR))
		return (void)p4c_unsupported(s, e, "'?:' on values of this type"), NULL;
	bool isb = a->type->k == P4C_T_BOOL;
	struct p4c_ir_expr *x = p4c_ir_op(s->a, "?", isb ? p4c_val_bool(s, a) : p4c_val_data(s, a),
					  isb ? p4c_val_bool(s, b) : p4c_val_data(s, b),
					  isb ? 0 : p4c_type_width(a->type), isb);
	if (x)
		x->c = p4c_val_bool(s, c);
	return val_expr(s, a->type, x);
}

/* T.hit_index() (p4lab's extension, docs/match-engines.md): the slot of T
 * that matched, in an action of T.  T gets a scalar the switch writes on a
 * hit before the action runs ("p4lab_hit_index" in the JSON), of the width
 * that holds T's largest slot number. */
static struct p4c_val *check_hit_index(struct p4c_sema *s, struct p4_node *e, struct p4_node *t)
{
	if (e->u.call.args.n || e->u.call.targs.n)
		return (void)p4c_err(s, e, "%s.hit_index() takes no arguments", t->name), NULL;
	if (!s->cur_action || !s->cur_action_decl || s->cur_table != t)
		return (void)p4c_err(s, e, "%s.hit_index() can only be used in an action of table "
				     "'%s' (one in its actions list, run by the table)", t->name,
				     t->name), NULL;
	struct p4c_declinfo *ai = p4c_declare(s, s->cur_action_decl), *ti = p4c_declare(s, t);
	if (!ai || !ti)
		return NULL;
	ai->hit_index_of = t;
	if (!ti->hit_index) {
		int64_t size = 1024;
		for (size_t i = 0; i < t->u.table.props.n; i++) {
			struct p4_node *p = t->u.table.props.v[i];
			struct p4c_num v;
			if (p->kind == P4_PROP_VALUE && !strcmp(p->name, "size") &&
			    !p4c_const_eval(s, p->u.prop.value, NULL, &v, NULL) && p4c_num_fits_u64(&v))
				size = (int64_t)p4c_num_u64(&v);
		}
		int w = 1;
		while (w < 32 && (INT64_C(1) << w) < size)
			w++;
		const char *saved = s->block_name;
		s->block_name = ti->block_name ? ti->block_name : saved;
		const char *name = p4l_arena_printf(s->a, "%s.hit_index", p4c_cp_name(s, t));
		s->block_name = saved;
		ti->hit_index = p4c_new_scalar(s, name, p4c_type_new(s, P4C_T_BIT, w));
		if (!ti->hit_index)
			return NULL;
	}
	struct p4c_val *v = p4l_arena_alloc(s->a, sizeof(*v));
	if (!v)
		return NULL;
	*v = *ti->hit_index;
	v->lvalue = false;
	return v;
}

/* Bits of a header or struct type: without varbit fields (min) or with
 * them at their maximum. */
static int type_bits(struct p4c_sema *s, struct p4c_type *t, bool max, int *out)
{
	*out = 0;
	if (t->k == P4C_T_STACK) {
		int e;
		if (type_bits(s, t->elem, max, &e))
			return -EINVAL;
		*out = e * t->size;
		return 0;
	}
	if (t->k != P4C_T_HEADER && t->k != P4C_T_STRUCT && t->k != P4C_T_UNION) {
		if (t->k == P4C_T_VARBIT)
			*out = max ? t->width : 0;
		else if (p4c_type_is_data(t))
			*out = p4c_type_width(t);
		else
			return p4c_err(s, t->decl, "%s has no size in bits", p4c_type_str(s, t));
		return 0;
	}
	for (size_t i = 0; i < t->decl->u.agg.fields.n; i++) {
		struct p4c_type *ft = p4c_field_type(s, t->decl->u.agg.fields.v[i]);
		int b;
		if (!ft || type_bits(s, ft, max, &b))
			return -EINVAL;
		/* a union is as large as its largest member */
		*out = t->k == P4C_T_UNION ? (b > *out ? b : *out) : *out + b;
	}
	return 0;
}

/* h.minSizeInBits() and friends: an int constant. */
static struct p4c_val *size_in(struct p4c_sema *s, struct p4_node *e, struct p4c_type *t,
			       const char *m)
{
	if (e->u.call.args.n)
		return (void)p4c_err(s, e, "%s() takes no arguments", m), NULL;
	int bits;
	if (type_bits(s, t, !strncmp(m, "max", 3), &bits))
		return NULL;
	struct p4c_num n;
	p4c_num_from_u64(&n, (uint64_t)(strstr(m, "Bytes") ? (bits + 7) / 8 : bits));
	return val_const(s, s->t_infint, &n);
}

/* pkt.lookahead<H>() of a header type: a temporary header, made valid, whose
 * fields are set from the bits ahead, one lookahead per field. */
static struct p4c_val *lookahead_header(struct p4c_sema *s, struct p4_node *e,
					struct p4c_type *t)
{
	struct p4c_val *h = p4c_new_local(s, e, p4l_arena_printf(s->a, "tmp_%d", s->n_tmp++), t);
	if (!h)
		return NULL;
	/* valid first: making a header valid may clear its fields */
	struct p4c_ir_call *v = p4c_emit(s, e, "add_header");
	p4c_arg(s, v, p4c_ir_kind(s->a, P4C_IRE_HEADER, h->inst));
	int off = 0;
	for (size_t i = 0; i < t->decl->u.agg.fields.n; i++) {
		struct p4_node *f = t->decl->u.agg.fields.v[i];
		struct p4c_type *ft = p4c_field_type(s, f);
		if (!ft)
			return NULL;
		if (ft->k != P4C_T_BIT && ft->k != P4C_T_SIGNED)
			return (void)p4c_err(s, e, "lookahead of header %s: its field '%s' of type %s "
					     "is not supported", t->name, f->name,
					     p4c_type_str(s, ft)), NULL;
		if (ft->width > 64)
			return (void)p4c_err(s, e, "lookahead of header %s: its field '%s' is wider "
					     "than 64 bits", t->name, f->name), NULL;
		struct p4c_val *fv = p4c_member(s, e, h, f->name);
		struct p4c_ir_expr *la = p4c_ir_kind(s->a, P4C_IRE_LOOKAHEAD, NULL);
		if (!fv || !la)
			return NULL;
		la->index = off;
		la->width = ft->width;
		struct p4c_ir_call *c = p4c_emit(s, e, "set");
		p4c_arg(s, c, fv->e);
		p4c_arg(s, c, la);
		off += ft->width;
	}
	h->lvalue = false;
	return p4l_arena_failed(s->a) ? NULL : h;
}

static struct p4c_val *check_call(struct p4c_sema *s, struct p4_node *e)
{
	struct p4_node *callee = e->u.call.callee;
	if (callee->kind == P4_EXPR_MEMBER) {
		const char *m = callee->name;
		struct p4c_val *b = p4c_check(s, callee->u.mem.base, NULL);
		if (!b)
			return NULL;
		if (b->k == P4C_V_HEADER && b->stack_last)
			return (void)p4c_unsupported(s, e, "a method call on 'stack.last'"), NULL;
		if (b->k == P4C_V_STRUCT && b->type->k == P4C_T_UNION && !strcmp(m, "isValid")) {
			if (e->u.call.args.n)
				return (void)p4c_err(s, e, "isValid() takes no arguments"), NULL;
			struct p4c_ir_expr *u = p4c_ir_kind(s->a, P4C_IRE_UNION, b->s.hdr_pfx);
			return val_expr(s, s->t_bool, p4c_ir_op(s->a, "valid_union", NULL, u, 0, true));
		}
		if (b->k == P4C_V_HEADER && !strcmp(m, "isValid")) {
			if (e->u.call.args.n)
				return (void)p4c_err(s, e, "isValid() takes no arguments"), NULL;
			struct p4c_ir_expr *h = p4c_header_ref(s, b);
			return val_expr(s, s->t_bool, p4c_ir_op(s->a, "valid", NULL, h, 0, true));
		}
		if (b->k == P4C_V_PACKET && !strcmp(m, "lookahead")) {
			if (!s->cur_state)
				return (void)p4c_err(s, e, "lookahead can only be used in a parser"), NULL;
			if (e->u.call.targs.n != 1 || e->u.call.args.n)
				return (void)p4c_err(s, e, "lookahead takes one type argument and no "
						     "arguments: pkt.lookahead<bit<W>>()"), NULL;
			struct p4c_type *t = p4c_type_of(s, e->u.call.targs.v[0]);
			if (!t)
				return NULL;
			if (t->k == P4C_T_HEADER)
				return lookahead_header(s, e, t);
			if (t->k != P4C_T_BIT)
				return (void)p4c_err(s, e, "lookahead of %s is not supported yet",
						     p4c_type_str(s, t)), NULL;
			struct p4c_ir_expr *x = p4c_ir_kind(s->a, P4C_IRE_LOOKAHEAD, NULL);
			if (x)
				x->width = t->width;
			return val_expr(s, t, x);
		}
		if (b->k == P4C_V_DECL && b->decl->kind == P4_DECL_TABLE && !strcmp(m, "hit_index"))
			return check_hit_index(s, e, b->decl);
		if (b->k == P4C_V_DECL && b->decl->kind == P4_DECL_TABLE)
			return (void)p4c_err(s, e, "'%s.%s()' can only be used as a statement, in "
					     "'if (t.apply().hit)' or in 'switch (t.apply().action_run)'",
					     b->decl->name, m), NULL;
		if ((b->k == P4C_V_HEADER || b->k == P4C_V_STRUCT) &&
		    (!strcmp(m, "minSizeInBits") || !strcmp(m, "minSizeInBytes") ||
		     !strcmp(m, "maxSizeInBits") || !strcmp(m, "maxSizeInBytes")))
			return size_in(s, e, b->type, m);
		if (!strncmp(m, "minSizeIn", 9) || !strncmp(m, "maxSizeIn", 9))
			return (void)p4c_err(s, e, "%s() needs a header, a header union or a "
					     "struct, found %s", m, b->type ? p4c_type_str(s, b->type) :
					     "something else"), NULL;
		if (!strcmp(m, "isValid"))
			return (void)p4c_err(s, e, "isValid() needs a header or a header union, "
					     "found %s", b->type ? p4c_type_str(s, b->type) :
					     "something else"), NULL;
		return (void)p4c_err(s, e, "method call '%s' is not supported in an expression yet",
				     m), NULL;
	}
	struct p4c_val *f = p4c_check(s, callee, NULL);
	if (!f)
		return NULL;
	if (f->k == P4C_V_DECL && f->decl->kind == P4_DECL_FUNCTION)
		return p4c_call_function(s, e, f->decl);
	if (f->k == P4C_V_DECL && f->decl->kind == P4_DECL_ACTION)
		return (void)p4c_err(s, e, "action '%s' has no value: call it as a statement",
				     f->decl->name), NULL;
	p4c_unsupported(s, e, "this call in an expression");
	return NULL;
}

struct p4c_val *p4c_check(struct p4c_sema *s, struct p4_node *e, struct p4c_type *want)
{
	switch (e->kind) {
	case P4_EXPR_INT: return check_int(s, e);
	case P4_EXPR_BOOL: {
		struct p4c_num n;
		p4c_num_from_u64(&n, e->u.boolean);
		return val_const(s, s->t_bool, &n);
	}
	case P4_EXPR_STRING: {
		struct p4c_val *v = val_new(s, P4C_V_CONST, s->t_string);
		if (v)
			v->inst = e->u.str.value;
		return v;
	}
	case P4_EXPR_NAME: return check_name(s, e);
	case P4_EXPR_MEMBER: return check_member(s, e);
	case P4_EXPR_INDEX: return check_index(s, e);
	case P4_EXPR_SLICE: return check_slice(s, e);
	case P4_EXPR_CALL: return check_call(s, e);
	case P4_EXPR_UNARY: return check_unary(s, e, want);
	case P4_EXPR_BINARY: return check_binary(s, e, want);
	case P4_EXPR_COND: return check_cond(s, e, want);
	case P4_EXPR_CAST: return check_cast(s, e);
	case P4_EXPR_DONTCARE: return val_new(s, P4C_V_DONTCARE, s->t_dontcare);
	case P4_EXPR_TYPE: {
		struct p4c_val *v = val_new(s, P4C_V_DECL, NULL);
		if (v && e->u.texpr.type->kind == P4_TYPE_NAME) {
			struct p4c_binding *b = p4c_lookup(s, e->u.texpr.type->name,
							   e->u.texpr.type->u.ident.global);
			if (!b)
				return (void)p4c_err(s, e, "unknown type '%s'",
						     e->u.texpr.type->name), NULL;
			v->decl = b->decl;
			return v;
		}
		p4c_err(s, e, "a type cannot be used as a value here");
		return NULL;
	}
	case P4_EXPR_LIST: case P4_EXPR_STRUCT:
		p4c_unsupported(s, e, "a list or struct expression in this position");
		return NULL;
	case P4_EXPR_INVALID:
		p4c_unsupported(s, e, "'{#}' in this position");
		return NULL;
	default:
		p4c_err(s, e, "%s cannot be used as an expression here", p4_kind_name(e->kind));
		return NULL;
	}
}

int p4c_const_decl(struct p4c_sema *s, struct p4_node *d)
{
	struct p4c_type *t = p4c_type_of(s, d->u.var.type);
	struct p4c_num n;
	if (!t)
		return -EINVAL;
	if (!p4c_type_is_data(t) && t->k != P4C_T_INFINT)
		return 0;
	return p4c_const_eval(s, d->u.var.init, t, &n, NULL);
}

int p4c_const_eval(struct p4c_sema *s, struct p4_node *e, struct p4c_type *want,
		   struct p4c_num *out, struct p4c_type **type)
{
	struct p4c_val *v = p4c_check(s, e, want);
	if (!v)
		return -EINVAL;
	if (v->k != P4C_V_CONST)
		return p4c_err_whole(s, e, "expected a compile-time constant");
	if (want)
		v = coerce(s, e, v, want, "constant");
	if (!v)
		return -EINVAL;
	*out = v->num;
	if (type)
		*type = v->type;
	return 0;
}

const char *p4c_expr_text(struct p4c_sema *s, struct p4_node *e)
{
	switch (e->kind) {
	case P4_EXPR_NAME:
		return e->name;
	case P4_EXPR_MEMBER:
		return p4l_arena_printf(s->a, "%s.%s", p4c_expr_text(s, e->u.mem.base), e->name);
	case P4_EXPR_INDEX:
		return p4l_arena_printf(s->a, "%s[%s]", p4c_expr_text(s, e->u.index.base),
					p4c_expr_text(s, e->u.index.index));
	case P4_EXPR_SLICE:
		return p4l_arena_printf(s->a, "%s[%s:%s]", p4c_expr_text(s, e->u.slice.base),
					p4c_expr_text(s, e->u.slice.hi),
					p4c_expr_text(s, e->u.slice.lo));
	case P4_EXPR_INT:
		return e->u.intlit.text;
	case P4_EXPR_CALL:
		return p4l_arena_printf(s->a, "%s()", p4c_expr_text(s, e->u.call.callee));
	case P4_EXPR_BINARY:
		return p4l_arena_printf(s->a, "%s %s %s", p4c_expr_text(s, e->u.binary.lhs),
					p4_binop_str(e->u.binary.op),
					p4c_expr_text(s, e->u.binary.rhs));
	default:
		return p4_kind_name(e->kind);
	}
}
