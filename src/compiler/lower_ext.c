/* lower_ext.c - v1model's externs (sema.h): counter, direct_counter, meter
 * and register instances declared in a control, their methods, and the
 * extern functions hash, random, truncate, log_msg, assert, assume, clone,
 * resubmit and recirculate (with @field_list metadata) and digest.  They become BMv2 arrays
 * (counter_arrays, meter_arrays, register_arrays), primitives ("count",
 * "execute_meter", "register_read", "register_write",
 * "modify_field_with_hash_based_offset", ...) and P4Info counters, meters
 * and registers. */
#include "sema.h"

#include <errno.h>
#include <string.h>

#define P4C_EXTERN_KINDS(X) \
	X(COUNTER, "counter", 2) X(DCOUNTER, "direct_counter", 1) \
	X(METER, "meter", 2) X(REGISTER, "register", 1) X(DMETER, "direct_meter", 1) \
	X(PROFILE, "action_profile", 1) X(SELECTOR, "action_selector", 3)

enum ext_kind {
#define X(e, n, a) EXT_##e,
	P4C_EXTERN_KINDS(X)
#undef X
	EXT_N
};

static const struct { const char *name; size_t n_args; } ext_kinds[] = {
#define X(e, n, a) { n, a },
	P4C_EXTERN_KINDS(X)
#undef X
};

struct ext_info {
	enum ext_kind k;
	int idx;                   /* in the program's counters / meters / registers / profiles */
	const char *name;
	struct p4c_type *value;    /* register: the cell type */
};

static struct p4_node *arg_node(struct p4_node *a)
{
	return a->kind == P4_ARG ? a->u.arg.value : a;
}

/* A CounterType / MeterType argument: the member's name. */
static const char *enum_arg(struct p4c_sema *s, struct p4_node *a, const char *enum_name)
{
	struct p4c_val *v = p4c_check(s, arg_node(a), NULL);
	if (!v)
		return NULL;
	const char *n = p4c_enum_name(v);
	if (!n || strcmp(v->type->name, enum_name)) {
		p4c_err(s, a, "expected a %s, found %s", enum_name, p4c_type_str(s, v->type));
		return NULL;
	}
	return n;
}

static int size_arg(struct p4c_sema *s, struct p4_node *a, int64_t *out)
{
	struct p4c_num n;
	if (p4c_const_eval(s, arg_node(a), NULL, &n, NULL))
		return -EINVAL;
	if (p4c_num_is_neg(&n) || p4c_num_is_zero(&n) || !p4c_num_fits_u64(&n) ||
	    p4c_num_u64(&n) > (1u << 30))
		return p4c_err(s, a, "size is out of range (1 to %u)", 1u << 30);
	*out = (int64_t)p4c_num_u64(&n);
	return 0;
}

static int ext_kind_of(struct p4_node *d)
{
	struct p4_node *tn = d->u.inst.type, *base = tn->kind == P4_TYPE_SPEC ? tn->u.spec.base : tn;
	for (int i = 0; i < EXT_N && base->kind == P4_TYPE_NAME; i++)
		if (!strcmp(base->name, ext_kinds[i].name))
			return i;
	return -1;
}

bool p4c_is_extern_instance(struct p4_node *d)
{
	return d->kind == P4_DECL_INSTANCE && ext_kind_of(d) >= 0;
}

static const char *const hash_algos[] = { "crc32", "crc16", "csum16", "identity", "xor16",
					  "crc32_custom", "crc16_custom", "random" };

static const char *hash_algo(struct p4c_sema *s, struct p4_node *a)
{
	const char *an = enum_arg(s, a, "HashAlgorithm");
	if (!an)
		return NULL;
	for (size_t i = 0; i < sizeof(hash_algos) / sizeof(hash_algos[0]); i++)
		if (!strcmp(an, hash_algos[i]))
			return hash_algos[i];
	p4c_err(s, a, "hash algorithm '%s' is not supported yet", an);
	return NULL;
}

/* action_profile(size) / action_selector(algorithm, size, outputWidth). */
static int profile_new(struct p4c_sema *s, struct p4_node *at, int k, const char *name,
		       struct p4_node **args)
{
	struct p4c_ir_profile pf = { .name = name, .with_selector = k == EXT_SELECTOR };
	if (pf.with_selector) {
		int64_t ow;
		if (!(pf.algo = hash_algo(s, args[0])) || size_arg(s, args[1], &pf.size) ||
		    size_arg(s, args[2], &ow))
			return -EINVAL;
		if (ow > 64)
			return p4c_err(s, args[2], "an action selector's output width must be "
				       "from 1 to 64 bits");
	} else if (size_arg(s, args[0], &pf.size)) {
		return -EINVAL;
	}
	struct p4_node *mg = p4c_anno(at, "max_group_size");
	if (mg && mg->u.anno.form == P4_ANNO_EXPRS && mg->u.anno.exprs.n == 1) {
		struct p4c_num v;
		if (p4c_const_eval(s, mg->u.anno.exprs.v[0], NULL, &v, NULL))
			return -EINVAL;
		pf.max_group_size = (int)p4c_num_u64(&v);
	}
	for (int i = 0; i < s->ir->profiles.n; i++)
		if (!strcmp(s->ir->profiles.v[i].name, name))
			return p4c_err(s, at, "two action profiles are named '%s'", name);
	P4L_PUSH(s->a, &s->ir->profiles, pf);
	return p4l_arena_failed(s->a) ? -ENOMEM : s->ir->profiles.n - 1;
}

int p4c_table_profile(struct p4c_sema *s, struct p4_node *e, const char *table)
{
	struct p4_node *ct = e->kind == P4_EXPR_CALL && e->u.call.callee->kind == P4_EXPR_TYPE ?
			     e->u.call.callee->u.texpr.type : NULL;
	if (ct && ct->kind == P4_TYPE_SPEC)
		ct = ct->u.spec.base;
	if (ct && ct->kind == P4_TYPE_NAME) {
		const char *tn = ct->name;
		int k = !strcmp(tn, "action_profile") ? EXT_PROFILE :
			!strcmp(tn, "action_selector") ? EXT_SELECTOR : -1;
		if (k < 0)
			return p4c_err(s, e, "'implementation' needs an action_profile or an "
				       "action_selector, found %s", tn);
		if (e->u.call.args.n != ext_kinds[k].n_args)
			return p4c_err(s, e, "%s takes %zu constructor arguments, %zu given", tn,
				       ext_kinds[k].n_args, e->u.call.args.n);
		return profile_new(s, e, k, p4l_arena_printf(s->a, "%s_profile", table),
				   e->u.call.args.v);
	}
	struct p4c_val *v = p4c_check(s, e, NULL);
	if (!v)
		return -EINVAL;
	struct ext_info *x = v->k == P4C_V_DECL && v->decl->kind == P4_DECL_INSTANCE ?
			     v->decl->sema : NULL;
	if (!x || (x->k != EXT_PROFILE && x->k != EXT_SELECTOR))
		return p4c_err(s, e, "'implementation' needs an action_profile or an "
			       "action_selector");
	return x->idx;
}

int p4c_direct_meter(struct p4c_sema *s, struct p4_node *e)
{
	struct p4c_val *v = p4c_check(s, e, NULL);
	if (!v)
		return -EINVAL;
	struct ext_info *x = v->k == P4C_V_DECL && v->decl->kind == P4_DECL_INSTANCE ?
			     v->decl->sema : NULL;
	if (!x || x->k != EXT_DMETER)
		return p4c_err(s, e, "'meters' needs a direct_meter");
	return x->idx;
}

int p4c_extern_decl(struct p4c_sema *s, struct p4_node *d)
{
	struct p4_node *tn = d->u.inst.type, *base = tn->kind == P4_TYPE_SPEC ? tn->u.spec.base : tn;
	int k = ext_kind_of(d);
	if (k < 0)
		return p4c_err(s, d, "extern instance '%s' is not supported yet", d->name);
	struct p4c_binding *b = p4c_lookup(s, base->name, true);
	if (!b || b->decl->kind != P4_DECL_EXTERN)
		return p4c_err(s, d, "'%s' is not v1model's extern %s", base->name, base->name);
	if (d->u.inst.args.n != ext_kinds[k].n_args)
		return p4c_err(s, d, "%s takes %zu constructor arguments, %zu given", base->name,
			       ext_kinds[k].n_args, d->u.inst.args.n);
	if (d->u.inst.has_body)
		return p4c_unsupported(s, d, "an extern instance with an initializer block");
	struct ext_info *x = p4l_arena_alloc(s->a, sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->k = (enum ext_kind)k;
	x->name = p4c_cp_name(s, d);
	struct p4_node **args = d->u.inst.args.v;
	if (k == EXT_COUNTER || k == EXT_DCOUNTER) {
		struct p4c_ir_counter c = { .name = x->name, .is_direct = k == EXT_DCOUNTER,
					    .table = -1 };
		if (k == EXT_COUNTER && size_arg(s, args[0], &c.size))
			return -EINVAL;
		const char *u = enum_arg(s, args[k == EXT_COUNTER ? 1 : 0], "CounterType");
		if (!u)
			return -EINVAL;
		c.unit = !strcmp(u, "packets") ? P4C_UNIT_PACKETS : !strcmp(u, "bytes") ?
			 P4C_UNIT_BYTES : P4C_UNIT_BOTH;
		P4L_PUSH(s->a, &s->ir->counters, c);
		x->idx = s->ir->counters.n - 1;
	} else if (k == EXT_METER) {
		struct p4c_ir_meter m = { .name = x->name };
		if (size_arg(s, args[0], &m.size))
			return -EINVAL;
		const char *u = enum_arg(s, args[1], "MeterType");
		if (!u)
			return -EINVAL;
		m.unit = !strcmp(u, "bytes") ? P4C_UNIT_BYTES : P4C_UNIT_PACKETS;
		P4L_PUSH(s->a, &s->ir->meters, m);
		x->idx = s->ir->meters.n - 1;
	} else if (k == EXT_DMETER) {
		struct p4c_ir_meter m = { .name = x->name, .is_direct = true, .table = -1 };
		const char *u = enum_arg(s, args[0], "MeterType");
		if (!u)
			return -EINVAL;
		m.unit = !strcmp(u, "bytes") ? P4C_UNIT_BYTES : P4C_UNIT_PACKETS;
		P4L_PUSH(s->a, &s->ir->meters, m);
		x->idx = s->ir->meters.n - 1;
	} else if (k == EXT_PROFILE || k == EXT_SELECTOR) {
		if ((x->idx = profile_new(s, d, k, x->name, args)) < 0)
			return -EINVAL;
	} else {
		struct p4c_ir_register r = { .name = x->name };
		if (tn->kind != P4_TYPE_SPEC || tn->u.spec.args.n < 1)
			return p4c_err(s, d, "register needs its cell type: register<bit<W>>");
		x->value = p4c_type_of(s, tn->u.spec.args.v[0]);
		if (!x->value)
			return -EINVAL;
		if (x->value->k != P4C_T_BIT)
			return p4c_err(s, tn, "register cells of type %s are not supported yet",
				       p4c_type_str(s, x->value));
		r.width = x->value->width;
		if (size_arg(s, args[0], &r.size))
			return -EINVAL;
		P4L_PUSH(s->a, &s->ir->registers, r);
		x->idx = s->ir->registers.n - 1;
	}
	d->sema = x;
	int has_id = 0;
	uint32_t id = 0;
	if (p4c_user_id(s, d, &has_id, &id) || p4c_bind_new(s, d, NULL))
		return -EINVAL;
	struct p4c_ir_doc doc = P4C_DOC(d);
	/* the IR object just made gets the instance's @id and docs */
#define P4C_SET_IDDOC(o) ((o)->has_user_id = has_id, (o)->user_id = id, (o)->doc = doc)
	if (k == EXT_COUNTER || k == EXT_DCOUNTER)
		P4C_SET_IDDOC(&s->ir->counters.v[x->idx]);
	else if (k == EXT_METER || k == EXT_DMETER)
		P4C_SET_IDDOC(&s->ir->meters.v[x->idx]);
	else if (k == EXT_REGISTER)
		P4C_SET_IDDOC(&s->ir->registers.v[x->idx]);
	else if (k == EXT_PROFILE || k == EXT_SELECTOR)
		P4C_SET_IDDOC(&s->ir->profiles.v[x->idx]);
#undef P4C_SET_IDDOC
	return p4l_arena_failed(s->a) ? -ENOMEM : 0;
}

int p4c_direct_counter(struct p4c_sema *s, struct p4_node *e)
{
	struct p4c_val *v = p4c_check(s, e, NULL);
	if (!v)
		return -EINVAL;
	struct ext_info *x = v->k == P4C_V_DECL && v->decl->kind == P4_DECL_INSTANCE ?
			     v->decl->sema : NULL;
	if (!x || x->k != EXT_DCOUNTER)
		return p4c_err(s, e, "'counters' needs a direct_counter");
	return x->idx;
}

static struct p4c_ir_expr *ref(struct p4c_sema *s, const char *type, const char *name)
{
	struct p4c_ir_expr *e = p4c_ir_kind(s->a, P4C_IRE_REF, name);
	if (e)
		e->field = type;
	return e;
}

/* A run-time or constant data argument (an index, a value). */
static struct p4c_ir_expr *data_arg(struct p4c_sema *s, struct p4_node *a, struct p4c_type *want)
{
	struct p4c_val *v = p4c_check(s, arg_node(a), want);
	if (!v)
		return NULL;
	if ((v->k != P4C_V_CONST && v->k != P4C_V_EXPR) || !(p4c_type_is_data(v->type) ||
							       v->type->k == P4C_T_INFINT)) {
		p4c_err(s, a, "expected a number, found %s", p4c_type_str(s, v->type));
		return NULL;
	}
	if (v->k == P4C_V_CONST && v->type->k == P4C_T_INFINT) {
		/* v1model indexes and sizes are bit<32> when nothing else says. */
		struct p4c_type *t = want ? want : p4c_type_new(s, P4C_T_BIT, 32);
		struct p4c_num n;
		if (!t)
			return NULL;
		p4c_int_to(s, a, &n, &v->num, t);
		return p4c_ir_const(s->a, &n, t->width);
	}
	if (want && !p4c_type_eq(want, v->type)) {
		p4c_err(s, a, "expected %s, found %s", p4c_type_str(s, want),
			p4c_type_str(s, v->type));
		return NULL;
	}
	return p4c_val_data(s, v);
}

/* An `out` argument: a writable field. */
static struct p4c_ir_expr *out_arg(struct p4c_sema *s, struct p4_node *a, struct p4c_type *want,
				   struct p4c_type **type)
{
	struct p4c_val *v = p4c_check(s, arg_node(a), NULL);
	if (!v)
		return NULL;
	if (v->k != P4C_V_EXPR || v->e->kind != P4C_IRE_FIELD || !v->lvalue || v->slice_base ||
	    v->type->k != P4C_T_BIT) {
		p4c_err(s, a, "expected a bit<W> field to write the result to");
		return NULL;
	}
	if (want && !p4c_type_eq(want, v->type)) {
		p4c_err(s, a, "expected %s, found %s", p4c_type_str(s, want),
			p4c_type_str(s, v->type));
		return NULL;
	}
	if (type)
		*type = v->type;
	return v->e;
}

int p4c_extern_method(struct p4c_sema *s, struct p4_node *st, struct p4_node *inst,
		      struct p4_node *call)
{
	struct ext_info *x = inst->sema;
	const char *m = call->u.call.callee->name;
	const struct p4_list *args = &call->u.call.args;
	if (!x)
		return p4c_err(s, call, "extern instance '%s' is not supported yet", inst->name);
	if (!s->cur_action)
		return p4c_err(s, call, "%s.%s() can only be called in a control", inst->name, m);
	struct p4c_ir_call *c;
	struct p4c_ir_expr *a0, *a1;
#define ARGS(cnt) do { if (args->n != (cnt)) \
		return p4c_err(s, call, "%s.%s() takes %d arguments, %zu given", inst->name, m, \
			       (cnt), args->n); } while (0)
	switch (x->k) {
	case EXT_COUNTER:
		if (strcmp(m, "count"))
			break;
		ARGS(1);
		if (!(a0 = data_arg(s, args->v[0], NULL)))
			return -EINVAL;
		c = p4c_emit(s, st, "count");
		p4c_arg(s, c, ref(s, "counter_array", x->name));
		p4c_arg(s, c, a0);
		return 0;
	case EXT_DCOUNTER:
		if (strcmp(m, "count"))
			break;
		ARGS(0);
		return 0;   /* BMv2 counts a direct counter whenever its table hits */
	case EXT_DMETER: {
		if (strcmp(m, "read"))
			break;
		ARGS(1);
		/* BMv2 writes a direct meter's colour into one field whenever
		 * its table hits; read() only says which field. */
		if (!(a0 = out_arg(s, args->v[0], NULL, NULL)))
			return -EINVAL;
		if (a0->kind != P4C_IRE_FIELD)
			return p4c_err(s, args->v[0], "%s.read() needs a field", inst->name);
		struct p4c_ir_meter *dm = &s->ir->meters.v[x->idx];
		if (dm->result && (strcmp(dm->result->hdr, a0->hdr) ||
				   strcmp(dm->result->field, a0->field)))
			return p4c_err(s, args->v[0], "direct meter %s is read into two "
				       "different fields", inst->name);
		dm->result = a0;
		return 0;
	}
	case EXT_PROFILE:
	case EXT_SELECTOR:
		break;
	case EXT_METER:
		if (strcmp(m, "execute_meter"))
			break;
		ARGS(2);
		if (!(a0 = data_arg(s, args->v[0], NULL)) || !(a1 = out_arg(s, args->v[1], NULL, NULL)))
			return -EINVAL;
		c = p4c_emit(s, st, "execute_meter");
		p4c_arg(s, c, ref(s, "meter_array", x->name));
		p4c_arg(s, c, a0);
		p4c_arg(s, c, a1);
		return 0;
	case EXT_REGISTER:
		if (!strcmp(m, "read")) {
			ARGS(2);
			if (!(a0 = out_arg(s, args->v[0], x->value, NULL)) ||
			    !(a1 = data_arg(s, args->v[1], NULL)))
				return -EINVAL;
			c = p4c_emit(s, st, "register_read");
			p4c_arg(s, c, a0);
			p4c_arg(s, c, ref(s, "register_array", x->name));
			p4c_arg(s, c, a1);
			return 0;
		}
		if (!strcmp(m, "write")) {
			ARGS(2);
			if (!(a0 = data_arg(s, args->v[0], NULL)) ||
			    !(a1 = data_arg(s, args->v[1], x->value)))
				return -EINVAL;
			c = p4c_emit(s, st, "register_write");
			p4c_arg(s, c, ref(s, "register_array", x->name));
			p4c_arg(s, c, a0);
			p4c_arg(s, c, a1);
			return 0;
		}
		break;
	default:
		break;
	}
#undef ARGS
	return p4c_err(s, call, "%s has no method '%s'", ext_kinds[x->k].name, m);
}

static int hash_call(struct p4c_sema *s, struct p4_node *st, struct p4_node **m)
{
	struct p4c_type *rt;
	struct p4c_ir_expr *dst = out_arg(s, m[0], NULL, &rt);
	if (!dst)
		return -EINVAL;
	const char *an = enum_arg(s, m[1], "HashAlgorithm");
	if (!an)
		return -EINVAL;
	struct p4c_ir_calc calc = { 0 };
	for (size_t i = 0; i < sizeof(hash_algos) / sizeof(hash_algos[0]); i++)
		if (!strcmp(an, hash_algos[i]))
			calc.algo = hash_algos[i];
	if (!calc.algo)
		return p4c_err(s, m[1], "hash algorithm '%s' is not supported yet", an);
	struct p4c_ir_expr *base = data_arg(s, m[2], NULL), *max = data_arg(s, m[4], NULL);
	if (!base || !max)
		return -EINVAL;
	struct p4_node *data = arg_node(m[3]);
	if (data->kind == P4_EXPR_LIST) {
		for (size_t i = 0; i < data->u.list.items.n; i++) {
			struct p4_node *it = data->u.list.items.v[i];
			struct p4c_val *v = p4c_check(s, it, NULL);
			if (!v || p4c_calc_inputs(s, it, &calc, v))
				return -EINVAL;
		}
	} else {
		struct p4c_val *v = p4c_check(s, data, NULL);
		if (!v || p4c_calc_inputs(s, data, &calc, v))
			return -EINVAL;
	}
	calc.name = p4c_calc_name(s);
	P4L_PUSH(s->a, &s->ir->calcs, calc);
	struct p4c_ir_call *c = p4c_emit(s, st, "modify_field_with_hash_based_offset");
	p4c_arg(s, c, dst);
	p4c_arg(s, c, base);
	p4c_arg(s, c, p4c_ir_kind(s->a, P4C_IRE_CALC, calc.name));
	p4c_arg(s, c, max);
	return p4l_arena_failed(s->a) ? -ENOMEM : 0;
}

/* log_msg("format {}", {values}): BMv2's log_msg primitive. */
static int log_call(struct p4c_sema *s, struct p4_node *st, struct p4_node **m, size_t np)
{
	struct p4c_val *fmt = p4c_check(s, arg_node(m[0]), NULL);
	if (!fmt)
		return -EINVAL;
	if (fmt->k != P4C_V_CONST || fmt->type->k != P4C_T_STRING)
		return p4c_err(s, m[0], "log_msg needs a string literal");
	struct p4c_ir_expr *vec = p4c_ir_kind(s->a, P4C_IRE_VECTOR, NULL);
	if (!vec)
		return -ENOMEM;
	if (np == 2) {
		struct p4_node *d = arg_node(m[1]);
		size_t n = d->kind == P4_EXPR_LIST ? d->u.list.items.n : 1;
		for (size_t i = 0; i < n; i++) {
			struct p4_node *it = d->kind == P4_EXPR_LIST ? d->u.list.items.v[i] : d;
			struct p4c_ir_expr *x = data_arg(s, it, NULL);
			if (!x)
				return -EINVAL;
			P4L_PUSH(s->a, &vec->items, x);
		}
	}
	struct p4c_ir_call *c = p4c_emit(s, st, "log_msg");
	p4c_arg(s, c, p4c_ir_kind(s->a, P4C_IRE_STRING, fmt->inst));
	p4c_arg(s, c, vec);
	return p4l_arena_failed(s->a) ? -ENOMEM : 0;
}

/* User metadata fields annotated @field_list(..., index, ...), in order. */
static int collect_field_list(struct p4c_sema *s, struct p4_node *agg, const char *pfx,
			      uint64_t index, struct p4c_ir_field_list *fl)
{
	for (size_t i = 0; i < agg->u.agg.fields.n; i++) {
		struct p4_node *f = agg->u.agg.fields.v[i];
		struct p4c_type *t = p4c_field_type(s, f);
		const char *path = p4l_arena_printf(s->a, "%s.%s", pfx, f->name);
		if (!t || !path)
			return -EINVAL;
		if (t->k == P4C_T_STRUCT) {
			if (collect_field_list(s, t->decl, path, index, fl))
				return -EINVAL;
			continue;
		}
		struct p4_node *an = p4c_anno(f, "field_list");
		bool in = false;
		for (size_t k = 0; an && an->u.anno.form == P4_ANNO_EXPRS && k < an->u.anno.exprs.n; k++) {
			struct p4c_num v;
			if (p4c_const_eval(s, an->u.anno.exprs.v[k], NULL, &v, NULL))
				return -EINVAL;
			in |= p4c_num_fits_u64(&v) && p4c_num_u64(&v) == index;
		}
		if (!in)
			continue;
		if (!p4c_type_is_data(t))
			return p4c_err(s, f, "a @field_list field of type %s is not supported yet",
				       p4c_type_str(s, t));
		P4L_PUSH(s->a, &fl->fields, p4c_ir_field(s->a, s->scalars, path, p4c_type_width(t)));
	}
	return 0;
}

/* The id of the field list for a *_preserving_field_list(index) call. */
static struct p4c_ir_expr *field_list_id(struct p4c_sema *s, struct p4_node *a)
{
	struct p4c_num n;
	if (p4c_const_eval(s, arg_node(a), p4c_type_new(s, P4C_T_BIT, 8), &n, NULL))
		return NULL;
	uint64_t index = p4c_num_u64(&n);
	/* Field list ids are index + 1: 0 means "none" to BMv2. */
	for (int i = 0; i < s->ir->field_lists.n; i++)
		if (s->ir->field_lists.v[i].id == (int)index + 1)
			return p4c_ir_const_u64(s->a, index + 1, 32);
	struct p4c_ir_field_list fl = { .id = (int)index + 1 };
	fl.name = p4l_arena_printf(s->a, "field_list%d", (int)index);
	if (s->meta_decl && collect_field_list(s, s->meta_decl, "userMetadata", index, &fl))
		return NULL;
	P4L_PUSH(s->a, &s->ir->field_lists, fl);
	return p4c_ir_const_u64(s->a, index + 1, 32);
}

/* digest<T>(receiver, data): data is copied into scalars "T.f" (P4 passes
 * it `in`, BMv2 reads a learn list at the end of ingress), one learn list
 * and one P4Info digest per T. */
static int digest_call(struct p4c_sema *s, struct p4_node *st, struct p4_node **m)
{
	struct p4_node *call = st->u.call_stmt.call, *data = arg_node(m[1]);
	struct p4c_ir_expr *recv = data_arg(s, m[0], p4c_type_new(s, P4C_T_BIT, 32));
	if (!recv)
		return -EINVAL;
	struct p4c_type *t = NULL;
	struct p4c_val *dv = NULL;
	if (call->u.call.targs.n == 1) {
		t = p4c_type_of(s, call->u.call.targs.v[0]);
	} else if (data->kind != P4_EXPR_LIST && data->kind != P4_EXPR_STRUCT) {
		dv = p4c_check(s, data, NULL);
		t = dv ? dv->type : NULL;
	} else {
		return p4c_err(s, call, "digest needs its type here: digest<T>(receiver, data)");
	}
	if (!t)
		return -EINVAL;
	if (t->k != P4C_T_STRUCT)
		return p4c_err(s, data, "digest data must be a struct, found %s", p4c_type_str(s, t));
	struct p4c_val *dst = p4l_arena_alloc(s->a, sizeof(*dst));
	if (!dst)
		return -ENOMEM;
	dst->k = P4C_V_STRUCT;
	dst->type = t;
	dst->s.hdr_pfx = dst->s.sc_pfx = t->name;
	dst->lvalue = true;
	if (p4c_instantiate(s, data, dst))
		return -EINVAL;
	int rc;
	if (data->kind == P4_EXPR_LIST || data->kind == P4_EXPR_STRUCT) {
		rc = p4c_assign_list(s, st, dst, data);
	} else {
		if (!dv)
			dv = p4c_check(s, data, t);
		rc = dv ? p4c_assign(s, st, dst, dv) : -EINVAL;
	}
	if (rc)
		return rc;
	int li = -1;
	for (int i = 0; i < s->ir->digests.n; i++)
		if (!strcmp(s->ir->digests.v[i].name, t->name))
			li = s->ir->digests.v[i].learn_list;
	if (li < 0) {
		struct p4c_ir_field_list ll = { .name = t->name, .id = s->ir->learn_lists.n + 1 };
		struct p4c_ir_digest dg = { .name = t->name, .learn_list = s->ir->learn_lists.n };
		struct p4_node *d = t->decl;
		for (size_t i = 0; i < d->u.agg.fields.n; i++) {
			struct p4c_val *f = p4c_member(s, data, dst, d->u.agg.fields.v[i]->name);
			if (!f)
				return -EINVAL;
			if (f->k != P4C_V_EXPR)
				return p4c_err(s, data, "digest struct %s must hold only bit<W> and bool "
					       "fields", t->name);
			struct p4c_ir_field mf = { .name = d->u.agg.fields.v[i]->name,
						   .width = p4c_type_width(f->type) };
			P4L_PUSH(s->a, &ll.fields, f->e);
			P4L_PUSH(s->a, &dg.members, mf);
			P4L_PUSH(s->a, &dg.member_is_bool, f->type->k == P4C_T_BOOL);
		}
		li = s->ir->learn_lists.n;
		P4L_PUSH(s->a, &s->ir->learn_lists, ll);
		P4L_PUSH(s->a, &s->ir->digests, dg);
	}
	struct p4c_ir_call *c = p4c_emit(s, st, "generate_digest");
	p4c_arg(s, c, recv);
	p4c_arg(s, c, p4c_ir_const_u64(s->a, (uint64_t)li + 1, 32));
	return p4l_arena_failed(s->a) ? -ENOMEM : 0;
}

int p4c_extern_func(struct p4c_sema *s, struct p4_node *st, struct p4_node *decl,
		    struct p4_node **m)
{
	const char *n = decl->name;
	size_t np = decl->u.fn.params.n;
	bool hash = !strcmp(n, "hash") && np == 5, random = !strcmp(n, "random") && np == 3;
	bool trunc = !strcmp(n, "truncate") && np == 1;
	bool log = !strcmp(n, "log_msg") && (np == 1 || np == 2);
	bool check = (!strcmp(n, "assert") || !strcmp(n, "assume")) && np == 1;
	bool clone = (!strcmp(n, "clone") && np == 2) ||
		     (!strcmp(n, "clone_preserving_field_list") && np == 3);
	bool resub = !strcmp(n, "resubmit_preserving_field_list") && np == 1;
	bool recirc = !strcmp(n, "recirculate_preserving_field_list") && np == 1;
	bool digest = !strcmp(n, "digest") && np == 2;
	if (!hash && !random && !trunc && !log && !check && !clone && !resub && !recirc && !digest)
		return 1;
	if (check) {
		struct p4c_val *c = p4c_check(s, arg_node(m[0]), s->t_bool);
		if (!c)
			return -EINVAL;
		if (c->type->k != P4C_T_BOOL)
			return p4c_err(s, m[0], "%s needs a bool, found %s", n, p4c_type_str(s, c->type));
		p4c_arg(s, p4c_emit(s, st, n), p4c_val_bool(s, c));
		return 0;
	}
	if (log)
		return log_call(s, st, m, np);
	if (!s->cur_action)
		return p4c_err(s, st, "%s() can only be called in a control", n);
	if (clone) {
		/* BMv2's clone primitives take the session and a field list id
		 * (0: no metadata preserved). */
		const char *kind = enum_arg(s, m[0], "CloneType");
		struct p4c_ir_expr *session = kind ? data_arg(s, m[1], p4c_type_new(s, P4C_T_BIT, 32))
						   : NULL;
		if (!session)
			return -EINVAL;
		struct p4c_ir_call *c = p4c_emit(s, st, !strcmp(kind, "I2E") ?
						 "clone_ingress_pkt_to_egress" :
						 "clone_egress_pkt_to_egress");
		struct p4c_ir_expr *list = np == 3 ? field_list_id(s, m[2]) :
					   p4c_ir_const_u64(s->a, 0, 32);
		if (!list)
			return -EINVAL;
		p4c_arg(s, c, session);
		p4c_arg(s, c, list);
		return 0;
	}
	if (digest)
		return digest_call(s, st, m);
	if (resub || recirc) {
		struct p4c_ir_expr *id = field_list_id(s, m[0]);
		if (!id)
			return -EINVAL;
		p4c_arg(s, p4c_emit(s, st, n), id);
		return 0;
	}
	if (hash)
		return hash_call(s, st, m);
	if (random) {
		struct p4c_type *rt;
		struct p4c_ir_expr *dst = out_arg(s, m[0], NULL, &rt), *lo, *hi;
		if (!dst || !(lo = data_arg(s, m[1], rt)) || !(hi = data_arg(s, m[2], rt)))
			return -EINVAL;
		struct p4c_ir_call *c = p4c_emit(s, st, "modify_field_rng_uniform");
		p4c_arg(s, c, dst);
		p4c_arg(s, c, lo);
		p4c_arg(s, c, hi);
		return 0;
	}
	struct p4c_ir_expr *len = data_arg(s, m[0], p4c_type_new(s, P4C_T_BIT, 32));
	if (!len)
		return -EINVAL;
	p4c_arg(s, p4c_emit(s, st, "truncate"), len);
	return 0;
}
