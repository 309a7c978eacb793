/* sema_types.c - the middle end's types (sema.h): P4 type nodes resolved to
 * struct p4c_type, typedefs followed, tuples and generic structs, headers
 * and unions made into declarations of their own (one per shape), types
 * that contain themselves refused; equality, printing, widths. */
#include "sema.h"

#include <errno.h>
#include <string.h>

#include "frontend.h"

struct p4c_type *p4c_type_new(struct p4c_sema *s, enum p4c_tk k, int width)
{
	struct p4c_type *t = p4l_arena_alloc(s->a, sizeof(*t));
	if (t) {
		t->k = k;
		t->width = width;
	}
	return t;
}

static int const_width(struct p4c_sema *s, struct p4_node *w, int *out)
{
	struct p4c_num v;
	struct p4c_type *t;
	if (p4c_const_eval(s, w, NULL, &v, &t))
		return -EINVAL;
	if (p4c_num_is_neg(&v) || !p4c_num_fits_u64(&v) || p4c_num_u64(&v) > P4C_NUM_MAX_WIDTH) {
		char buf[200];
		p4c_num_dec(&v, buf, sizeof(buf));
		return p4c_err(s, w, "width %s is out of range (1 to %d)", buf, P4C_NUM_MAX_WIDTH);
	}
	*out = (int)p4c_num_u64(&v);
	return 0;
}

struct p4c_type *p4c_named_type(struct p4c_sema *s, struct p4_node *at, struct p4_node *d)
{
	static const struct { enum p4_kind k; enum p4c_tk t; } map[] = {
		{ P4_DECL_HEADER, P4C_T_HEADER }, { P4_DECL_STRUCT, P4C_T_STRUCT },
		{ P4_DECL_HEADER_UNION, P4C_T_UNION }, { P4_DECL_ENUM, P4C_T_ENUM },
		{ P4_DECL_EXTERN, P4C_T_EXTERN }, { P4_DECL_PARSER, P4C_T_PARSER },
		{ P4_DECL_PARSER_TYPE, P4C_T_PARSER }, { P4_DECL_CONTROL, P4C_T_CONTROL },
		{ P4_DECL_CONTROL_TYPE, P4C_T_CONTROL }, { P4_DECL_PACKAGE, P4C_T_PACKAGE },
		{ P4_TYPE_PARAM, P4C_T_TYPEVAR },
	};
	if (d->kind == P4_DECL_TYPEDEF || d->kind == P4_DECL_NEWTYPE) {
		if (d->sema_flags & 1)
			return (void)p4c_err(s, at, "type '%s' is defined in terms of itself", d->name), NULL;
		d->sema_flags |= 1;
		struct p4c_type *t = p4c_type_of(s, d->u.tdef.type);
		d->sema_flags &= ~(uint64_t)1;
		return t;
	}
	if ((d->kind == P4_DECL_STRUCT || d->kind == P4_DECL_HEADER ||
	     d->kind == P4_DECL_HEADER_UNION) && !d->u.agg.tparams.n &&
	    !(d->sema_flags & P4C_F_TYPE_OK)) {
		/* a type may not contain itself, directly or through others */
		if (d->sema_flags & P4C_F_TYPE_BUSY)
			return (void)p4c_err(s, at, "type '%s' contains itself", d->name), NULL;
		d->sema_flags |= P4C_F_TYPE_BUSY;
		bool ok = true;
		for (size_t i = 0; i < d->u.agg.fields.n && ok; i++)
			ok = p4c_field_type(s, d->u.agg.fields.v[i]) != NULL;
		d->sema_flags &= ~(uint64_t)P4C_F_TYPE_BUSY;
		if (!ok)
			return NULL;
		d->sema_flags |= P4C_F_TYPE_OK;
	}
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].k != d->kind)
			continue;
		struct p4c_type *t = p4c_type_new(s, map[i].t, 0);
		if (!t)
			return NULL;
		t->name = d->name;
		t->decl = d;
		if (d->kind == P4_DECL_ENUM) {
			t->width = 32;
			if (d->u.enm.type) {
				t->elem = p4c_type_of(s, d->u.enm.type);
				if (!t->elem)
					return NULL;
				t->width = t->elem->width;
			}
		}
		return t;
	}
	p4c_err(s, at, "'%s' is not a type", d->name);
	return NULL;
}

/* A copy of type node n with the type parameters tp replaced by args. */
static struct p4_node *subst(struct p4c_sema *s, struct p4_node *n, const struct p4_list *tp,
			     const struct p4_list *args)
{
	if (n->kind == P4_TYPE_NAME) {
		for (size_t i = 0; i < tp->n && i < args->n; i++)
			if (tp->v[i]->name == n->name)
				return args->v[i];
		return n;
	}
	struct p4_list *l = n->kind == P4_TYPE_SPEC ? &n->u.spec.args :
			    n->kind == P4_TYPE_TUPLE ? &n->u.tuple.args : NULL;
	if (!l && n->kind != P4_TYPE_STACK)
		return n;
	struct p4_node *c = p4_program_alloc(s->prog, sizeof(*c));
	if (!c)
		return NULL;
	*c = *n;
	if (n->kind == P4_TYPE_STACK) {
		c->u.stack.elem = subst(s, n->u.stack.elem, tp, args);
		return c->u.stack.elem ? c : NULL;
	}
	struct p4_list *cl = n->kind == P4_TYPE_SPEC ? &c->u.spec.args : &c->u.tuple.args;
	cl->v = p4_program_alloc(s->prog, (l->n ? l->n : 1) * sizeof(*cl->v));
	if (!cl->v)
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		if (!(cl->v[i] = subst(s, l->v[i], tp, args)))
			return NULL;
	return c;
}

/* The type of tuple<args> (gen NULL) or of the generic struct, header or
 * union gen<args>: a declaration made for it once (struct p4c_spec). */
static struct p4c_type *specialize(struct p4c_sema *s, struct p4_node *at, struct p4_node *gen,
				   const struct p4_list *args)
{
	const struct p4_list *tp = gen ? &gen->u.agg.tparams : NULL;
	if (gen && tp->n != args->n)
		return (void)p4c_err(s, at, "%s takes %zu type arguments, %zu given", gen->name,
				     tp->n, args->n), NULL;
	const char *key = gen ? p4l_arena_printf(s->a, "%s<", gen->name) : "tuple<";
	for (size_t i = 0; key && i < args->n; i++) {
		struct p4c_type *t = p4c_type_of(s, args->v[i]);
		if (!t)
			return NULL;
		key = p4l_arena_printf(s->a, "%s%s%s", key, i ? ", " : "", p4c_type_str(s, t));
	}
	key = key ? p4l_arena_printf(s->a, "%s>", key) : NULL;
	if (!key)
		return NULL;
	struct p4_node *d = NULL;
	int same_base = 0;
	for (int i = 0; i < s->specs.n && !d; i++) {
		if (!strcmp(s->specs.v[i].key, key))
			d = s->specs.v[i].decl;
		else if (gen && !strncmp(s->specs.v[i].key, gen->name, strlen(gen->name)) &&
			 s->specs.v[i].key[strlen(gen->name)] == '<')
			same_base++;
	}
	if (!d) {
		size_t nf = gen ? gen->u.agg.fields.n : args->n;
		d = p4_program_alloc(s->prog, sizeof(*d));
		struct p4_node **fv = p4_program_alloc(s->prog, (nf ? nf : 1) * sizeof(*fv));
		if (!d || !fv)
			return NULL;
		if (gen) {
			*d = *gen;
			/* a header type needs a name BMv2 can use */
			d->name = p4c_intern(s, p4l_arena_printf(s->a, "%s_%d", gen->name, same_base));
		} else {
			d->kind = P4_DECL_STRUCT;
			d->loc = at->loc;
			d->name = p4c_intern(s, key);
		}
		d->u.agg.tparams.n = 0;
		d->sema = NULL;
		for (size_t i = 0; i < nf; i++) {
			struct p4_node *f = p4_program_alloc(s->prog, sizeof(*f));
			if (!f)
				return NULL;
			if (gen) {
				*f = *gen->u.agg.fields.v[i];
				f->u.field.type = subst(s, f->u.field.type, tp, args);
				if (!f->u.field.type)
					return NULL;
			} else {
				f->kind = P4_FIELD;
				f->loc = args->v[i]->loc;
				f->name = p4c_intern(s, p4l_arena_printf(s->a, "f%zu", i));
				f->u.field.type = args->v[i];
			}
			f->sema = NULL;
			fv[i] = f;
		}
		d->u.agg.fields.v = fv;
		d->u.agg.fields.n = nf;
		struct p4c_spec sp = { key, d };
		P4L_PUSH(s->a, &s->specs, sp);
		if (p4l_arena_failed(s->a))
			return NULL;
	}
	return p4c_named_type(s, at, d);
}

struct p4c_type *p4c_type_of(struct p4c_sema *s, struct p4_node *n)
{
	int w = 1;
	switch (n->kind) {
	case P4_TYPE_BIT:
		if (n->u.bits.width && const_width(s, n->u.bits.width, &w))
			return NULL;
		if (w < 1)
			return (void)p4c_err(s, n, "bit<0> is not supported yet"), NULL;
		return p4c_type_new(s, P4C_T_BIT, w);
	case P4_TYPE_INT:
		if (!n->u.bits.width)
			return s->t_infint;
		if (const_width(s, n->u.bits.width, &w))
			return NULL;
		if (w < 1)
			return (void)p4c_err(s, n, "int<%d> must be at least 1 bit wide", w), NULL;
		return p4c_type_new(s, P4C_T_SIGNED, w);
	case P4_TYPE_VARBIT:
		if (const_width(s, n->u.bits.width, &w))
			return NULL;
		return p4c_type_new(s, P4C_T_VARBIT, w);
	case P4_TYPE_BOOL: return s->t_bool;
	case P4_TYPE_STRING: return s->t_string;
	case P4_TYPE_ERROR: return s->t_error;
	case P4_TYPE_MATCH_KIND: return p4c_type_new(s, P4C_T_MATCH_KIND, 0);
	case P4_TYPE_VOID: return s->t_void;
	case P4_TYPE_DONTCARE: return s->t_dontcare;
	case P4_TYPE_NAME: {
		struct p4c_binding *b = p4c_lookup(s, n->name, n->u.ident.global);
		if (!b)
			return (void)p4c_err(s, n, "unknown type '%s'", n->name), NULL;
		if (b->decl->kind == P4_TYPE_PARAM && b->val && b->val->type)
			return b->val->type;   /* bound for a generic function's call */
		return p4c_named_type(s, n, b->decl);
	}
	case P4_TYPE_SPEC: {
		struct p4c_type *t = p4c_type_of(s, n->u.spec.base);
		if (t && (t->k == P4C_T_STRUCT || t->k == P4C_T_HEADER || t->k == P4C_T_UNION))
			return specialize(s, n, t->decl, &n->u.spec.args);
		return t;
	}
	case P4_TYPE_STACK: {
		struct p4c_type *e = p4c_type_of(s, n->u.stack.elem);
		if (!e || const_width(s, n->u.stack.size, &w))
			return NULL;
		if (e->k != P4C_T_HEADER)
			return (void)p4c_unsupported(s, n, "a stack of non-header elements"), NULL;
		struct p4c_type *t = p4c_type_new(s, P4C_T_STACK, 0);
		if (t) {
			t->elem = e;
			t->size = w;
		}
		return t;
	}
	case P4_TYPE_TUPLE:
		return specialize(s, n, NULL, &n->u.tuple.args);
	case P4_TYPE_LIST:
		return p4c_type_new(s, P4C_T_TUPLE, 0);
	default:
		p4c_err(s, n, "expected a type, found %s", p4_kind_name(n->kind));
		return NULL;
	}
}

bool p4c_type_eq(const struct p4c_type *a, const struct p4c_type *b)
{
	if (a == b)
		return true;
	if (!a || !b || a->k != b->k)
		return false;
	switch (a->k) {
	case P4C_T_BIT: case P4C_T_SIGNED: case P4C_T_VARBIT:
		return a->width == b->width;
	case P4C_T_STACK:
		return a->size == b->size && p4c_type_eq(a->elem, b->elem);
	case P4C_T_HEADER: case P4C_T_STRUCT: case P4C_T_UNION: case P4C_T_ENUM:
	case P4C_T_EXTERN: case P4C_T_PARSER: case P4C_T_CONTROL: case P4C_T_PACKAGE:
	case P4C_T_TYPEVAR:
		return a->decl == b->decl;
	default:
		return true;
	}
}

const char *p4c_type_str(struct p4c_sema *s, const struct p4c_type *t)
{
	if (!t)
		return "?";
	switch (t->k) {
	case P4C_T_BIT: return p4l_arena_printf(s->a, "bit<%d>", t->width);
	case P4C_T_SIGNED: return p4l_arena_printf(s->a, "int<%d>", t->width);
	case P4C_T_VARBIT: return p4l_arena_printf(s->a, "varbit<%d>", t->width);
	case P4C_T_STACK:
		return p4l_arena_printf(s->a, "%s[%d]", p4c_type_str(s, t->elem), t->size);
	case P4C_T_HEADER: case P4C_T_STRUCT: case P4C_T_UNION: case P4C_T_ENUM:
	case P4C_T_EXTERN: case P4C_T_PARSER: case P4C_T_CONTROL: case P4C_T_PACKAGE:
		if (t->k == P4C_T_STRUCT && !strncmp(t->name, "tuple<", 6))
			return t->name;
		return p4l_arena_printf(s->a, "%s %s", t->k == P4C_T_UNION ? "header_union" :
					t->k == P4C_T_HEADER ? "header" : t->k == P4C_T_STRUCT ?
					"struct" : t->k == P4C_T_ENUM ? "enum" : t->k == P4C_T_EXTERN ?
					"extern" : t->k == P4C_T_PARSER ? "parser" : t->k ==
					P4C_T_CONTROL ? "control" : "package", t->name);
	case P4C_T_TYPEVAR: return t->name;
	default: {
		static const char *const names[] = {
#define X(e, str) str,
			P4C_TYPE_KINDS(X)
#undef X
		};
		return names[t->k];
	}
	}
}

bool p4c_type_is_data(const struct p4c_type *t)
{
	return t && (t->k == P4C_T_BIT || t->k == P4C_T_SIGNED || t->k == P4C_T_BOOL ||
		     t->k == P4C_T_ENUM || t->k == P4C_T_ERROR);
}

int p4c_type_width(const struct p4c_type *t)
{
	switch (t->k) {
	case P4C_T_BIT: case P4C_T_SIGNED: case P4C_T_VARBIT: case P4C_T_ENUM:
		return t->width;
	case P4C_T_BOOL: return 1;
	case P4C_T_ERROR: return 32;
	default: return 0;
	}
}

struct p4_node *p4c_agg_field(struct p4_node *agg, const char *name)
{
	for (size_t i = 0; i < agg->u.agg.fields.n; i++)
		if (agg->u.agg.fields.v[i]->name == name)
			return agg->u.agg.fields.v[i];
	return NULL;
}

struct p4c_type *p4c_field_type(struct p4c_sema *s, struct p4_node *f)
{
	if (!f->sema)
		f->sema = p4c_type_of(s, f->u.field.type);
	return f->sema;
}
