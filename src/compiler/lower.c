/* lower.c - the middle end's entry point (sema.h): binds the program's
 * declarations, finds the v1model package instance and lowers its six
 * blocks with their parameters bound to the flattened program: header
 * instances named after the fields of the headers struct ("ipv4"), the user
 * metadata in the "scalars" header ("userMetadata.x"), standard_metadata as
 * its own metadata header, as p4c does. */
#include "sema.h"

#include <errno.h>
#include <string.h>

/* The blocks of V1Switch, in its parameter order: how many parameters each
 * takes and what they are bound to (P packet, H headers, M metadata, S
 * standard_metadata). */
#define V1_BLOCKS(X) \
	X(PARSER, "parser", "PHMS") X(VERIFY, "verify checksum", "HM") \
	X(INGRESS, "ingress", "HMS") X(EGRESS, "egress", "HMS") \
	X(COMPUTE, "compute checksum", "HM") X(DEPARSER, "deparser", "PH")

enum v1_block {
#define X(e, n, p) V1_##e,
	V1_BLOCKS(X)
#undef X
	V1_N
};

static const struct { const char *what, *params; } v1_blocks[] = {
#define X(e, n, p) { n, p },
	V1_BLOCKS(X)
#undef X
};

/* Standard metadata fields BMv2 knows under older names. */
static const char *const v1_aliases[][2] = {
	{ "queueing_metadata.enq_timestamp", "enq_timestamp" },
	{ "queueing_metadata.enq_qdepth", "enq_qdepth" },
	{ "queueing_metadata.deq_timedelta", "deq_timedelta" },
	{ "queueing_metadata.deq_qdepth", "deq_qdepth" },
	{ "intrinsic_metadata.ingress_global_timestamp", "ingress_global_timestamp" },
	{ "intrinsic_metadata.egress_global_timestamp", "egress_global_timestamp" },
	{ "intrinsic_metadata.mcast_grp", "mcast_grp" },
	{ "intrinsic_metadata.egress_rid", "egress_rid" },
	{ "intrinsic_metadata.priority", "priority" },
};

static bool is_dup_kind(enum p4_kind k)
{
	return k == P4_DECL_HEADER || k == P4_DECL_STRUCT || k == P4_DECL_HEADER_UNION ||
	       k == P4_DECL_TYPEDEF || k == P4_DECL_NEWTYPE || k == P4_DECL_CONST ||
	       k == P4_DECL_CONTROL || k == P4_DECL_PARSER || k == P4_DECL_ACTION ||
	       k == P4_DECL_ENUM || k == P4_DECL_INSTANCE;
}

static int bind_globals(struct p4c_sema *s, struct p4_program *prog)
{
	int rc = 0;
	for (size_t i = 0; i < prog->decls.n; i++) {
		struct p4_node *d = prog->decls.v[i];
		if (d->kind == P4_DECL_ERROR) {
			for (size_t k = 0; k < d->u.enm.members.n; k++) {
				const char *n = d->u.enm.members.v[k]->name;
				bool dup = false;
				for (int j = 0; j < s->ir->errors.n; j++)
					dup |= !strcmp(s->ir->errors.v[j].name, n);
				struct p4c_ir_named_value nv = { n, s->ir->errors.n };
				if (!dup)
					P4L_PUSH(s->a, &s->ir->errors, nv);
			}
			continue;
		}
		if (d->kind == P4_DECL_MATCH_KIND || !d->name)
			continue;
		struct p4c_binding *old = p4c_lookup(s, d->name, true);
		if (old && is_dup_kind(d->kind) && is_dup_kind(old->decl->kind)) {
			rc = p4c_err(s, d, "redeclaration of '%s'", d->name);
			p4_diag_note(s->diag, &old->decl->loc, "previous declaration of '%s' is here", d->name);
			continue;
		}
		if (p4c_is_extern_instance(d)) {
			/* A counter or register outside any control: a global name. */
			if (p4c_extern_decl(s, d))
				rc = -EINVAL;
			continue;
		}
		p4c_bind(s, d->name, d, NULL);
		if (d->kind == P4_DECL_ACTION && !p4c_declare(s, d))
			return -ENOMEM;
		if (d->kind == P4_DECL_ENUM && !d->u.enm.type) {
			struct p4c_ir_enum en = { .name = d->name };
			for (size_t k = 0; k < d->u.enm.members.n; k++) {
				struct p4c_ir_named_value nv = { d->u.enm.members.v[k]->name, (int)k };
				P4L_PUSH(s->a, &en.entries, nv);
			}
			P4L_PUSH(s->a, &s->ir->enums, en);
		}
	}
	/* constants are folded where used; an initializer that is no constant
	 * is reported at its declaration even when nothing uses it */
	for (size_t i = 0; i < prog->decls.n && !rc; i++)
		if (prog->decls.v[i]->kind == P4_DECL_CONST && p4c_const_decl(s, prog->decls.v[i]))
			rc = -EINVAL;
	return rc;
}

/* The parser or control a package argument names (`P()`, `P(5)` or an
 * instance); *cargs gets its constructor arguments. */
static struct p4_node *block_of(struct p4c_sema *s, struct p4_node *arg,
				const struct p4_list **cargs, struct p4_node **cat)
{
	struct p4_node *e = arg->kind == P4_ARG ? arg->u.arg.value : arg;
	struct p4_node *ref = e;
	static const struct p4_list none;
	*cargs = &none;
	*cat = e;
	if (e->kind == P4_EXPR_CALL) {
		*cargs = &e->u.call.args;
		ref = e->u.call.callee;
	}
	const char *name = NULL;
	bool global = false;
	if (ref->kind == P4_EXPR_TYPE && ref->u.texpr.type->kind == P4_TYPE_NAME) {
		name = ref->u.texpr.type->name;
		global = ref->u.texpr.type->u.ident.global;
	} else if (ref->kind == P4_EXPR_NAME) {
		name = ref->name;
		global = ref->u.ident.global;
	}
	struct p4c_binding *b = name ? p4c_lookup(s, name, global) : NULL;
	if (!b)
		return (void)p4c_err(s, e, "expected a parser or control here"), NULL;
	struct p4_node *d = b->decl;
	if (d->kind == P4_DECL_INSTANCE && e->kind != P4_EXPR_CALL) {
		struct p4_node *t = d->u.inst.type;
		*cargs = &d->u.inst.args;
		*cat = d;
		b = t->kind == P4_TYPE_NAME ? p4c_lookup(s, t->name, t->u.ident.global) : NULL;
		if (!b)
			return (void)p4c_err(s, e, "expected a parser or control here"), NULL;
		d = b->decl;
	}
	if (d->kind != P4_DECL_PARSER && d->kind != P4_DECL_CONTROL)
		return (void)p4c_err(s, e, "'%s' is not a parser or control", name), NULL;
	return d;
}

/* A scope over the global one with d's constructor parameters bound to the
 * constants in args; the caller pops it (s->scope = s->global). */
static int bind_ctor(struct p4c_sema *s, struct p4_node *at, struct p4_node *d,
		     const struct p4_list *args)
{
	size_t n = d->u.blk.ctor_params.n;
	struct p4_node *m[n ? n : 1];
	if (p4c_match_args(s, at, &d->u.blk.ctor_params, args, m))
		return -EINVAL;
	p4c_scope_push(s);
	for (size_t i = 0; i < n; i++) {
		struct p4_node *p = d->u.blk.ctor_params.v[i];
		struct p4c_type *pt = p4c_type_of(s, p->u.param.type);
		if (!pt)
			return -EINVAL;
		if (!m[i])
			return p4c_err(s, at, "missing constructor argument for '%s'", p->name);
		struct p4_node *an = m[i]->kind == P4_ARG ? m[i]->u.arg.value : m[i];
		if (!p4c_type_is_data(pt))
			return p4c_unsupported(s, an, "a constructor argument that is not a "
					       "constant of a data type");
		struct p4c_val *v = p4l_arena_alloc(s->a, sizeof(*v));
		if (!v)
			return -ENOMEM;
		v->k = P4C_V_CONST;
		v->type = pt;
		if (p4c_const_eval(s, an, pt, &v->num, NULL))
			return -EINVAL;
		p4c_bind(s, p->name, p, v);
	}
	return 0;
}

static void pad_htype(struct p4c_sema *s, int ht)
{
	struct p4c_ir_htype *t = &s->ir->htypes.v[ht];
	int bits = 0;
	for (int i = 0; i < t->fields.n; i++)
		bits += t->fields.v[i].width;
	if (bits % 8) {
		struct p4c_ir_field f = { .name = "_padding", .width = 8 - bits % 8 };
		P4L_PUSH(s->a, &t->fields, f);
	}
}

/* standard_metadata: a metadata header whose type is the struct's fields. */
static int std_meta(struct p4c_sema *s, struct p4_node *decl, struct p4c_val **out)
{
	struct p4c_ir_htype ht = { .name = "standard_metadata" };
	for (size_t i = 0; i < decl->u.agg.fields.n; i++) {
		struct p4_node *f = decl->u.agg.fields.v[i];
		struct p4c_type *t = p4c_field_type(s, f);
		if (!t)
			return -EINVAL;
		if (!p4c_type_is_data(t))
			return p4c_err(s, f, "standard_metadata field of type %s",
				       p4c_type_str(s, t));
		struct p4c_ir_field fl = { .name = f->name, .width = p4c_type_width(t) };
		P4L_PUSH(s->a, &ht.fields, fl);
		/* v1model.p4 names BMv2's older field names with @alias; the table
		 * covers an include file without them. */
		struct p4_node *an = p4c_anno(f, "alias");
		if (an && an->u.anno.form == P4_ANNO_EXPRS && an->u.anno.exprs.n == 1 &&
		    an->u.anno.exprs.v[0]->kind == P4_EXPR_STRING) {
			P4L_PUSH(s->a, &s->ir->alias_names, an->u.anno.exprs.v[0]->u.str.value);
			P4L_PUSH(s->a, &s->ir->alias_fields, f->name);
			continue;
		}
		for (size_t k = 0; k < sizeof(v1_aliases) / sizeof(v1_aliases[0]); k++)
			if (!strcmp(f->name, v1_aliases[k][1])) {
				P4L_PUSH(s->a, &s->ir->alias_names, v1_aliases[k][0]);
				P4L_PUSH(s->a, &s->ir->alias_fields, v1_aliases[k][1]);
			}
	}
	P4L_PUSH(s->a, &s->ir->htypes, ht);
	int hti = s->ir->htypes.n - 1;
	pad_htype(s, hti);
	struct p4c_ir_header h = { .name = "standard_metadata", .htype = hti, .metadata = true };
	P4L_PUSH(s->a, &s->ir->headers, h);
	struct p4c_val *v = p4l_arena_alloc(s->a, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->k = P4C_V_STRUCT;
	v->type = p4c_type_new(s, P4C_T_STRUCT, 0);
	if (!v->type)
		return -ENOMEM;
	v->type->name = decl->name;
	v->type->decl = decl;
	v->s.as_inst = "standard_metadata";
	v->lvalue = true;
	*out = v;
	return 0;
}

static struct p4c_val *root(struct p4c_sema *s, struct p4c_type *t, const char *hdr_pfx,
			    const char *sc_pfx)
{
	struct p4c_val *v = p4l_arena_alloc(s->a, sizeof(*v));
	if (!v)
		return NULL;
	v->k = P4C_V_STRUCT;
	v->type = t;
	v->s.hdr_pfx = hdr_pfx;
	v->s.sc_pfx = sc_pfx;
	v->lvalue = true;
	return v;
}

/* Checks that block b (a V1Switch argument) has the parameters the package
 * needs and that they agree with the parser's headers and metadata types. */
static int check_block(struct p4c_sema *s, struct p4_node *at, enum v1_block k,
		       struct p4_node *b, struct p4c_type *h, struct p4c_type *m,
		       struct p4c_val **vals, struct p4c_val *const roots[4])
{
	const char *spec = v1_blocks[k].params;
	size_t n = strlen(spec);
	bool want_parser = k == V1_PARSER;
	if ((b->kind == P4_DECL_PARSER) != want_parser)
		return p4c_err(s, at, "V1Switch's %s must be a %s, '%s' is a %s", v1_blocks[k].what,
			       want_parser ? "parser" : "control", b->name,
			       b->kind == P4_DECL_PARSER ? "parser" : "control");
	if (b->u.blk.params.n != n)
		return p4c_err(s, b, "%s %s is used as V1Switch's %s, which takes %zu parameters, "
			       "not %zu", want_parser ? "parser" : "control", b->name,
			       v1_blocks[k].what, n, b->u.blk.params.n);
	for (size_t i = 0; i < n; i++) {
		struct p4_node *p = b->u.blk.params.v[i];
		struct p4c_type *pt = p4c_type_of(s, p->u.param.type);
		if (!pt)
			return -EINVAL;
		struct p4c_type *want = spec[i] == 'H' ? h : spec[i] == 'M' ? m : NULL;
		if (spec[i] == 'S' && (pt->k != P4C_T_STRUCT || strcmp(pt->name, "standard_metadata_t")))
			want = roots[3]->type;
		if (spec[i] == 'P' && pt->k != P4C_T_EXTERN)
			return p4c_err(s, p, "parameter '%s' of %s must be a %s", p->name, b->name,
				       want_parser ? "packet_in" : "packet_out");
		if (want && !p4c_type_eq(pt, want))
			return p4c_err(s, p, "parameter '%s' of %s has type %s, but V1Switch "
				       "passes %s", p->name, b->name, p4c_type_str(s, pt),
				       p4c_type_str(s, want));
		vals[i] = roots[strchr("PHMS", spec[i]) - "PHMS"];
		if (spec[i] != 'P' && p->u.param.dir != P4_DIR_OUT && p->u.param.dir != P4_DIR_INOUT) {
			/* An `in` parameter cannot be written through. */
			struct p4c_val *ro = p4l_arena_alloc(s->a, sizeof(*ro));
			if (!ro)
				return -ENOMEM;
			*ro = *vals[i];
			ro->lvalue = false;
			vals[i] = ro;
		}
	}
	return 0;
}

/* Parsers and controls that main does not use produce nothing, but an
 * invalid one is still an invalid program: each is lowered into a scratch
 * program with its parameters bound to fresh objects, then dropped. */
static void check_unused_blocks(struct p4c_sema *s, struct p4_program *prog,
				struct p4_node *const *used, struct p4_node *std_decl)
{
	struct p4c_ir_program *real = s->ir, scratch = { .program = real->program };
	/* Global actions cache their instance; the scratch ones must not stick. */
	P4L_VEC(int) saved = { 0 };
	for (size_t i = 0; i < prog->decls.n; i++) {
		struct p4c_declinfo *di = prog->decls.v[i]->kind == P4_DECL_ACTION ?
					  prog->decls.v[i]->sema : NULL;
		P4L_PUSH(s->a, &saved, di ? di->instance : -1);
		if (di)
			di->instance = -1;   /* an index in the real program, not the scratch one */
	}
	s->ir = &scratch;
	s->checking_unused = true;
	struct p4c_ir_htype sc = { .name = "scalars_0" };
	P4L_PUSH(s->a, &scratch.htypes, sc);
	struct p4c_ir_header sch = { .name = "scalars", .htype = 0, .metadata = true };
	P4L_PUSH(s->a, &scratch.headers, sch);
	scratch.errors = real->errors;
	struct p4c_val *std = NULL, *pkt = p4l_arena_alloc(s->a, sizeof(*pkt));
	if (!pkt || std_meta(s, std_decl, &std))
		goto out;
	pkt->k = P4C_V_PACKET;
	for (size_t i = 0; i < prog->decls.n; i++) {
		struct p4_node *d = prog->decls.v[i];
		bool is_used = false;
		for (int k = 0; k < V1_N; k++)
			is_used |= used[k] == d;
		if (is_used || (d->kind != P4_DECL_PARSER && d->kind != P4_DECL_CONTROL) ||
		    d->u.blk.ctor_params.n || d->u.blk.tparams.n)
			continue;
		size_t n = d->u.blk.params.n;
		struct p4c_val *vals[n ? n : 1];
		bool ok = true;
		for (size_t k = 0; k < n && ok; k++) {
			struct p4_node *p = d->u.blk.params.v[k];
			struct p4c_type *t = p4c_type_of(s, p->u.param.type);
			const char *pfx = p4l_arena_printf(s->a, "%s.%s", d->name, p->name);
			vals[k] = NULL;
			if (!t || !pfx)
				ok = false;
			else if (t->k == P4C_T_EXTERN)
				vals[k] = pkt;
			else if (t->k == P4C_T_STRUCT && t->decl == std_decl)
				vals[k] = std;
			else if (t->k == P4C_T_STRUCT && (vals[k] = root(s, t, pfx, pfx)))
				ok = !p4c_instantiate(s, p, vals[k]);
			else if (t->k != P4C_T_STRUCT)
				vals[k] = p4c_new_local(s, p, pfx, t);
			if (p->u.param.dir == P4_DIR_IN && vals[k] != pkt)
				vals[k] = p4c_readonly(s, vals[k]);
			ok = ok && vals[k];
		}
		if (!ok)
			continue;
		if (d->kind == P4_DECL_PARSER)
			p4c_lower_parser(s, d, vals, (int)n);
		else
			p4c_lower_control(s, d, "unused", vals, (int)n);
	}
	/* Top-level actions and functions, inlined into a scratch action. */
	for (size_t i = 0; i < prog->decls.n; i++) {
		struct p4_node *d = prog->decls.v[i];
		if ((d->kind != P4_DECL_ACTION && d->kind != P4_DECL_FUNCTION) ||
		    d->u.fn.tparams.n || !d->u.fn.body)
			continue;
		size_t n = d->u.fn.params.n;
		struct p4c_val *vals[n ? n : 1];
		bool ok = true;
		for (size_t k = 0; k < n && ok; k++) {
			struct p4_node *p = d->u.fn.params.v[k];
			struct p4c_type *t = p4c_type_of(s, p->u.param.type);
			const char *pfx = p4l_arena_printf(s->a, "%s.%s", d->name, p->name);
			vals[k] = NULL;
			if (t && pfx && t->k == P4C_T_STRUCT && t->decl == std_decl)
				vals[k] = std;
			else if (t && pfx && t->k == P4C_T_STRUCT && (vals[k] = root(s, t, pfx, pfx)))
				ok = !p4c_instantiate(s, p, vals[k]);
			else if (t && pfx && t->k != P4C_T_STRUCT)
				vals[k] = p4c_new_local(s, p, pfx, t);
			ok = ok && vals[k];
		}
		if (!ok)
			continue;
		struct p4c_ir_action act = { .name = d->name, .hidden = true };
		P4L_PUSH(s->a, &scratch.actions, act);
		if (p4l_arena_failed(s->a))
			break;
		s->cur_action = &scratch.actions.v[scratch.actions.n - 1];
		p4c_inline_body(s, d, vals, NULL);
		s->cur_action = NULL;
	}
out:
	s->ir = real;
	s->checking_unused = false;
	for (size_t i = 0; i < prog->decls.n && i < (size_t)saved.n; i++) {
		struct p4c_declinfo *di = prog->decls.v[i]->kind == P4_DECL_ACTION ?
					  prog->decls.v[i]->sema : NULL;
		if (di)
			di->instance = saved.v[i];
	}
}

int p4c_lower(struct p4_program *prog, struct p4_diag *diag, struct p4l_arena *a,
	      const char *program_name, struct p4c_ir_program *ir)
{
	struct p4c_sema S = { .prog = prog, .diag = diag, .a = a, .ir = ir }, *s = &S;
	memset(ir, 0, sizeof(*ir));
	ir->program = program_name;
	ir->arch = "v1model";
	S.global = p4l_arena_alloc(a, sizeof(*S.global));
	S.scope = S.global;
	S.t_bool = p4c_type_new(s, P4C_T_BOOL, 1);
	S.t_infint = p4c_type_new(s, P4C_T_INFINT, 0);
	S.t_error = p4c_type_new(s, P4C_T_ERROR, 32);
	S.t_void = p4c_type_new(s, P4C_T_VOID, 0);
	S.t_string = p4c_type_new(s, P4C_T_STRING, 0);
	S.t_dontcare = p4c_type_new(s, P4C_T_DONTCARE, 0);
	S.scalars = "scalars";
	if (p4l_arena_failed(a))
		return -ENOMEM;

	struct p4c_ir_htype sc = { .name = "scalars_0" };
	P4L_PUSH(a, &ir->htypes, sc);
	struct p4c_ir_header sch = { .name = "scalars", .htype = 0, .metadata = true };
	P4L_PUSH(a, &ir->headers, sch);

	if (bind_globals(s, prog))
		return -EINVAL;
	/* Every constant is checked, used or not. */
	for (size_t i = 0; i < prog->decls.n; i++) {
		struct p4_node *d = prog->decls.v[i];
		if (d->kind == P4_DECL_CONST && !d->sema) {
			struct p4_node ref = { .kind = P4_EXPR_NAME, .loc = d->loc, .name = d->name };
			p4c_check(s, &ref, NULL);
		}
	}
	if (S.errors)
		return -EINVAL;

	struct p4_node *main_decl = NULL;
	for (size_t i = 0; i < prog->decls.n; i++)
		if (prog->decls.v[i]->kind == P4_DECL_INSTANCE && prog->decls.v[i]->name &&
		    !strcmp(prog->decls.v[i]->name, "main"))
			main_decl = prog->decls.v[i];
	if (!main_decl) {
		const struct p4_node *last = prog->decls.n ? prog->decls.v[prog->decls.n - 1] : NULL;
		return p4c_err(s, last, "the program declares no package instance named 'main'");
	}
	struct p4c_type *pkg = p4c_type_of(s, main_decl->u.inst.type);
	if (!pkg)
		return -EINVAL;
	if (pkg->k != P4C_T_PACKAGE)
		return p4c_err(s, main_decl, "'main' must be a package instance, found %s",
			       p4c_type_str(s, pkg));
	if (strcmp(pkg->name, "V1Switch"))
		return p4c_err(s, main_decl, "package %s is not supported yet (only V1Switch)",
			       pkg->name);
	if (main_decl->u.inst.args.n != V1_N)
		return p4c_err(s, main_decl, "V1Switch takes %d blocks, %zu given", V1_N,
			       main_decl->u.inst.args.n);
	struct p4_node *blocks[V1_N], *args[V1_N];
	if (pkg->decl->u.blk.params.n != V1_N)
		return p4c_err(s, pkg->decl, "V1Switch is declared with %zu parameters, not %d "
			       "(is this v1model.p4?)", pkg->decl->u.blk.params.n, V1_N);
	/* Arguments may be named (`V1Switch(p = P(), ...)`): match them first. */
	if (p4c_match_args(s, main_decl, &pkg->decl->u.blk.params, &main_decl->u.inst.args, args))
		return -EINVAL;
	const struct p4_list *cargs[V1_N];
	struct p4_node *cat[V1_N];
	for (int i = 0; i < V1_N; i++) {
		blocks[i] = block_of(s, args[i], &cargs[i], &cat[i]);
		if (!blocks[i])
			return -EINVAL;
	}
	struct p4_node *prs = blocks[V1_PARSER];
	if (prs->kind != P4_DECL_PARSER || prs->u.blk.params.n != 4)
		return p4c_err(s, args[0], "V1Switch's first block must be a parser with 4 "
			       "parameters");
	struct p4c_type *h = p4c_type_of(s, prs->u.blk.params.v[1]->u.param.type);
	struct p4c_type *m = p4c_type_of(s, prs->u.blk.params.v[2]->u.param.type);
	if (!h || !m)
		return -EINVAL;
	if (h->k != P4C_T_STRUCT)
		return p4c_err(s, prs->u.blk.params.v[1], "the headers must be a struct, found %s",
			       p4c_type_str(s, h));
	if (m->k != P4C_T_STRUCT)
		return p4c_err(s, prs->u.blk.params.v[2], "the metadata must be a struct, found %s",
			       p4c_type_str(s, m));
	S.headers_decl = h->decl;
	S.meta_decl = m->decl;
	struct p4c_binding *smb = p4c_lookup(s, p4c_intern(s, "standard_metadata_t"), true);
	if (!smb || smb->decl->kind != P4_DECL_STRUCT)
		return p4c_err(s, main_decl, "v1model's standard_metadata_t is not declared "
			       "(is v1model.p4 included?)");

	struct p4c_val *roots[4];
	roots[0] = p4l_arena_alloc(a, sizeof(*roots[0]));
	if (!roots[0])
		return -ENOMEM;
	roots[0]->k = P4C_V_PACKET;
	if (std_meta(s, smb->decl, &roots[3]))
		return -EINVAL;
	roots[1] = root(s, h, "", "headers");
	roots[2] = root(s, m, "userMetadata", "userMetadata");
	if (!roots[1] || !roots[2])
		return -ENOMEM;
	if (p4c_instantiate(s, prs, roots[1]) || p4c_instantiate(s, prs, roots[2]))
		return -EINVAL;

	struct p4c_val *vals[V1_N][4];
	int rc = 0;
	for (int i = 0; i < V1_N; i++)
		if (check_block(s, args[i], (enum v1_block)i, blocks[i], h, m,
				vals[i], roots))
			rc = -EINVAL;
	if (rc)
		return rc;
	for (int i = 0; i < V1_N; i++) {
		/* constructor parameters, visible in the block's scope */
		int r = bind_ctor(s, cat[i], blocks[i], cargs[i]);
		if (!r)
			switch (i) {
			case V1_PARSER: r = p4c_lower_parser(s, prs, vals[i], 4); break;
			case V1_VERIFY: r = p4c_lower_checksum(s, blocks[i], true, vals[i], 2); break;
			case V1_INGRESS:
				r = p4c_lower_control(s, blocks[i], "ingress", vals[i], 3);
				break;
			case V1_EGRESS:
				r = p4c_lower_control(s, blocks[i], "egress", vals[i], 3);
				break;
			case V1_COMPUTE:
				r = p4c_lower_checksum(s, blocks[i], false, vals[i], 2);
				break;
			default: r = p4c_lower_deparser(s, blocks[i], vals[i], 2); break;
			}
		s->scope = s->global;
		if (r)
			rc = -EINVAL;
	}
	if (!rc && !S.errors)
		check_unused_blocks(s, prog, blocks, smb->decl);
	if (rc || S.errors)
		return -EINVAL;
	pad_htype(s, 0);
	for (int i = 0; i < ir->headers.n; i++)
		if (!ir->headers.v[i].metadata) {
			struct p4c_ir_htype *t = &ir->htypes.v[ir->headers.v[i].htype];
			int bits = 0;
			for (int k = 0; k < t->fields.n; k++)
				bits += t->fields.v[k].width;
			if (bits % 8)
				return p4c_err(s, main_decl, "header type %s is %d bits long, not a "
					       "whole number of bytes", t->name, bits);
		}
	return p4l_arena_failed(a) ? -ENOMEM : 0;
}
