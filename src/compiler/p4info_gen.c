/* p4info_gen.c - builds the P4Info of a lowered program (ir.h) with the
 * p4info module's builder and ID allocator, and serialises it as binary and
 * text protobuf.  Called by compile.c.
 *
 * What is visible to the control plane: tables and actions not synthesized
 * by the compiler, and headers marked @controller_header.  IDs follow p4c's
 * convention (p4info.h); match fields, action parameters and packet
 * metadata are numbered from 1 in declaration order. */
#include "ir.h"

#include <stdlib.h>
#include <string.h>

#include "p4info.h"

static int register_ids(const struct p4c_ir_program *p, struct p4i_ids *ids,
			struct p4l_err *err)
{
	int rc = 0;
	for (int i = 0; i < p->tables.n && !rc; i++)
		if (!p->tables.v[i].hidden)
			rc = p4i_ids_add(ids, P4I_TABLE, p->tables.v[i].name,
					 p->tables.v[i].has_user_id, p->tables.v[i].user_id, err);
	for (int i = 0; i < p->actions.n && !rc; i++)
		if (!p->actions.v[i].hidden)
			rc = p4i_ids_add(ids, P4I_ACTION, p->actions.v[i].name,
					 p->actions.v[i].has_user_id, p->actions.v[i].user_id, err);
	for (int i = 0; i < p->cpms.n && !rc; i++)
		rc = p4i_ids_add(ids, P4I_CONTROLLER_HEADER, p->htypes.v[p->cpms.v[i].htype].name,
				 0, 0, err);
	for (int i = 0; i < p->counters.n && !rc; i++)
		rc = p4i_ids_add(ids, p->counters.v[i].is_direct ? P4I_DIRECT_COUNTER : P4I_COUNTER,
				 p->counters.v[i].name, p->counters.v[i].has_user_id,
				 p->counters.v[i].user_id, err);
	for (int i = 0; i < p->meters.n && !rc; i++)
		rc = p4i_ids_add(ids, p->meters.v[i].is_direct ? P4I_DIRECT_METER : P4I_METER,
				 p->meters.v[i].name, p->meters.v[i].has_user_id,
				 p->meters.v[i].user_id, err);
	for (int i = 0; i < p->profiles.n && !rc; i++)
		rc = p4i_ids_add(ids, P4I_ACTION_PROFILE, p->profiles.v[i].name,
				 p->profiles.v[i].has_user_id, p->profiles.v[i].user_id, err);
	for (int i = 0; i < p->registers.n && !rc; i++)
		rc = p4i_ids_add(ids, P4I_REGISTER, p->registers.v[i].name,
				 p->registers.v[i].has_user_id, p->registers.v[i].user_id, err);
	for (int i = 0; i < p->digests.n && !rc; i++)
		rc = p4i_ids_add(ids, P4I_DIGEST, p->digests.v[i].name, 0, 0, err);
	for (int i = 0; i < p->vsets.n && !rc; i++)
		rc = p4i_ids_add(ids, P4I_VALUE_SET, p->vsets.v[i].name,
				 p->vsets.v[i].has_user_id, p->vsets.v[i].user_id, err);
	if (!rc)
		rc = p4i_ids_assign(ids, err);
	return rc;
}

/* preamble.doc from @brief / @description; 0 or -ENOMEM. */
static int set_doc(struct p4i_builder *b, P4__Config__V1__Preamble *pre,
		   const struct p4c_ir_doc *doc)
{
	if (!pre)
		return -ENOMEM;
	for (int i = 0; i < doc->annos.n; i++)
		if (p4i_preamble_annotate(b, pre, doc->annos.v[i]))
			return -ENOMEM;
	if (!doc->brief && !doc->description)
		return 0;
	P4__Config__V1__Documentation *d = p4i_alloc(b, sizeof(*d));
	if (!d)
		return -ENOMEM;
	p4__config__v1__documentation__init(d);
	if ((doc->brief && !(d->brief = p4i_strdup(b, doc->brief))) ||
	    (doc->description && !(d->description = p4i_strdup(b, doc->description))))
		return -ENOMEM;
	pre->doc = d;
	return 0;
}

static int add_table(struct p4i_builder *b, const struct p4i_ids *ids,
		     const struct p4c_ir_program *p, const struct p4c_ir_table *t)
{
	P4__Config__V1__Table *pt = p4i_add_table(b, p4i_ids_get(ids, P4I_TABLE, t->name),
						  t->name, p4i_ids_alias(ids, t->name), t->size);
	if (!pt || set_doc(b, pt->preamble, &t->doc))
		return -ENOMEM;
	for (int i = 0; i < t->keys.n; i++) {
		static const P4__Config__V1__MatchField__MatchType mt[] = {
			[P4C_MATCH_EXACT] = P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__EXACT,
			[P4C_MATCH_LPM] = P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__LPM,
			[P4C_MATCH_TERNARY] = P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__TERNARY,
			[P4C_MATCH_RANGE] = P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__RANGE,
			[P4C_MATCH_OPTIONAL] = P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__OPTIONAL,
		};
		const struct p4c_ir_key *k = &t->keys.v[i];
		uint32_t id = k->has_user_id ? k->user_id : (uint32_t)i + 1;
		if (!p4i_table_add_match(b, pt, id, k->name, k->width, mt[k->match]))
			return -ENOMEM;
	}
	for (int i = 0; i < t->actions.n; i++) {
		const struct p4c_ir_action *a = &p->actions.v[t->actions.v[i]];
		if (a->hidden)
			continue;
		P4__Config__V1__ActionRef__Scope scope =
			t->action_scope.v[i] == 1 ? P4__CONFIG__V1__ACTION_REF__SCOPE__TABLE_ONLY :
			t->action_scope.v[i] == 2 ? P4__CONFIG__V1__ACTION_REF__SCOPE__DEFAULT_ONLY :
			P4__CONFIG__V1__ACTION_REF__SCOPE__TABLE_AND_DEFAULT;
		P4__Config__V1__ActionRef *ref =
			p4i_table_add_action_ref(b, pt, p4i_ids_get(ids, P4I_ACTION, a->name), scope);
		if (!ref)
			return -ENOMEM;
		/* p4c also spells the scope as an annotation; P4Runtime tools read either. */
		const char *an = t->action_scope.v[i] == 1 ? "@tableonly" :
				 t->action_scope.v[i] == 2 ? "@defaultonly" : NULL;
		if (an && P4I_APPEND(b, ref->annotations, ref->n_annotations, p4i_strdup(b, an)))
			return -ENOMEM;
	}
	if (t->default_const && t->default_action >= 0)
		pt->const_default_action_id =
			p4i_ids_get(ids, P4I_ACTION, p->actions.v[t->default_action].name);
	if (t->direct_counter >= 0 &&
	    p4i_table_add_direct_resource(b, pt, p4i_ids_get(ids, P4I_DIRECT_COUNTER,
							     p->counters.v[t->direct_counter].name)))
		return -ENOMEM;
	if (t->direct_meter >= 0 &&
	    p4i_table_add_direct_resource(b, pt, p4i_ids_get(ids, P4I_DIRECT_METER,
							     p->meters.v[t->direct_meter].name)))
		return -ENOMEM;
	if (t->profile >= 0)
		pt->implementation_id = p4i_ids_get(ids, P4I_ACTION_PROFILE,
						    p->profiles.v[t->profile].name);
	if (t->support_timeout)
		pt->idle_timeout_behavior = P4__CONFIG__V1__TABLE__IDLE_TIMEOUT_BEHAVIOR__NOTIFY_CONTROL;
	pt->is_const_table = t->is_const;
	pt->has_initial_entries = t->entries.n > 0;
	/* The program reads the table's hit index: its entries never move. */
	if (t->hit_index_field && P4I_APPEND(b, pt->preamble->annotations,
					     pt->preamble->n_annotations,
					     p4i_strdup(b, "@p4lab_hit_index")))
		return -ENOMEM;
	return 0;
}

/* The type of a digest member: bit<W> or bool. */
static P4__Config__V1__P4DataTypeSpec *member_type(struct p4i_builder *b, int width, bool is_bool)
{
	P4__Config__V1__P4DataTypeSpec *t = p4i_alloc(b, sizeof(*t));
	if (!t)
		return NULL;
	p4__config__v1__p4_data_type_spec__init(t);
	if (is_bool) {
		P4__Config__V1__P4BoolType *bt = p4i_alloc(b, sizeof(*bt));
		if (!bt)
			return NULL;
		p4__config__v1__p4_bool_type__init(bt);
		t->type_spec_case = P4__CONFIG__V1__P4_DATA_TYPE_SPEC__TYPE_SPEC_BOOL;
		t->bool_ = bt;
		return t;
	}
	P4__Config__V1__P4BitstringLikeTypeSpec *bs = p4i_alloc(b, sizeof(*bs));
	P4__Config__V1__P4BitTypeSpec *bit = p4i_alloc(b, sizeof(*bit));
	if (!bs || !bit)
		return NULL;
	p4__config__v1__p4_bitstring_like_type_spec__init(bs);
	p4__config__v1__p4_bit_type_spec__init(bit);
	bit->bitwidth = width;
	bs->type_spec_case = P4__CONFIG__V1__P4_BITSTRING_LIKE_TYPE_SPEC__TYPE_SPEC_BIT;
	bs->bit = bit;
	t->type_spec_case = P4__CONFIG__V1__P4_DATA_TYPE_SPEC__TYPE_SPEC_BITSTRING;
	t->bitstring = bs;
	return t;
}

/* digests { preamble type_spec { struct { name } } } and the struct in
 * type_info, as p4c describes v1model digests. */
static int build_digest(struct p4i_builder *b, const struct p4i_ids *ids,
			const struct p4c_ir_digest *dg)
{
	P4__Config__V1__P4Info *pi = p4i_builder_p4info(b);
	P4__Config__V1__Digest *d = p4i_alloc(b, sizeof(*d));
	P4__Config__V1__P4DataTypeSpec *ts = p4i_alloc(b, sizeof(*ts));
	P4__Config__V1__P4NamedType *nt = p4i_alloc(b, sizeof(*nt));
	if (!d || !ts || !nt)
		return -ENOMEM;
	p4__config__v1__digest__init(d);
	p4__config__v1__p4_data_type_spec__init(ts);
	p4__config__v1__p4_named_type__init(nt);
	nt->name = p4i_strdup(b, dg->name);
	ts->type_spec_case = P4__CONFIG__V1__P4_DATA_TYPE_SPEC__TYPE_SPEC_STRUCT;
	ts->struct_ = nt;
	d->type_spec = ts;
	d->preamble = p4i_preamble(b, p4i_ids_get(ids, P4I_DIGEST, dg->name), dg->name,
				   p4i_ids_alias(ids, dg->name));
	if (!nt->name || !d->preamble || P4I_APPEND(b, pi->digests, pi->n_digests, d))
		return -ENOMEM;

	if (!pi->type_info) {
		pi->type_info = p4i_alloc(b, sizeof(*pi->type_info));
		if (!pi->type_info)
			return -ENOMEM;
		p4__config__v1__p4_type_info__init(pi->type_info);
	}
	P4__Config__V1__P4TypeInfo__StructsEntry *e = p4i_alloc(b, sizeof(*e));
	P4__Config__V1__P4StructTypeSpec *st = p4i_alloc(b, sizeof(*st));
	if (!e || !st)
		return -ENOMEM;
	p4__config__v1__p4_type_info__structs_entry__init(e);
	p4__config__v1__p4_struct_type_spec__init(st);
	e->key = p4i_strdup(b, dg->name);
	e->value = st;
	for (int i = 0; i < dg->members.n; i++) {
		P4__Config__V1__P4StructTypeSpec__Member *m = p4i_alloc(b, sizeof(*m));
		if (!m)
			return -ENOMEM;
		p4__config__v1__p4_struct_type_spec__member__init(m);
		m->name = p4i_strdup(b, dg->members.v[i].name);
		m->type_spec = member_type(b, dg->members.v[i].width, dg->member_is_bool.v[i]);
		if (!m->name || !m->type_spec || P4I_APPEND(b, st->members, st->n_members, m))
			return -ENOMEM;
	}
	if (!e->key || P4I_APPEND(b, pi->type_info->structs, pi->type_info->n_structs, e))
		return -ENOMEM;
	return 0;
}

/* value_sets { preamble match { id name bitwidth match_type: EXACT } size } */
static int build_vset(struct p4i_builder *b, const struct p4i_ids *ids,
		      const struct p4c_ir_vset *v)
{
	P4__Config__V1__P4Info *pi = p4i_builder_p4info(b);
	P4__Config__V1__ValueSet *vs = p4i_alloc(b, sizeof(*vs));
	if (!vs)
		return -ENOMEM;
	p4__config__v1__value_set__init(vs);
	vs->preamble = p4i_preamble(b, p4i_ids_get(ids, P4I_VALUE_SET, v->name), v->name,
				    p4i_ids_alias(ids, v->name));
	vs->size = (int32_t)v->size;
	if (set_doc(b, vs->preamble, &v->doc))
		return -ENOMEM;
	for (int i = 0; i < v->members.n; i++) {
		P4__Config__V1__MatchField *m = p4i_alloc(b, sizeof(*m));
		if (!m)
			return -ENOMEM;
		p4__config__v1__match_field__init(m);
		m->id = (uint32_t)i + 1;
		m->name = p4i_strdup(b, v->members.v[i].name);
		m->bitwidth = v->members.v[i].width;
		m->match_case = P4__CONFIG__V1__MATCH_FIELD__MATCH_MATCH_TYPE;
		m->match_type = P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__EXACT;
		if (!m->name || P4I_APPEND(b, vs->match, vs->n_match, m))
			return -ENOMEM;
	}
	return P4I_APPEND(b, pi->value_sets, pi->n_value_sets, vs);
}

static int build_profile(struct p4i_builder *b, const struct p4i_ids *ids,
			 const struct p4c_ir_program *p, const struct p4c_ir_profile *pf)
{
	P4__Config__V1__P4Info *pi = p4i_builder_p4info(b);
	P4__Config__V1__ActionProfile *ap = p4i_alloc(b, sizeof(*ap));
	if (!ap)
		return -ENOMEM;
	p4__config__v1__action_profile__init(ap);
	ap->preamble = p4i_preamble(b, p4i_ids_get(ids, P4I_ACTION_PROFILE, pf->name), pf->name,
				    p4i_ids_alias(ids, pf->name));
	if (!ap->preamble)
		return -ENOMEM;
	if (set_doc(b, ap->preamble, &pf->doc))
		return -ENOMEM;
	ap->with_selector = pf->with_selector;
	ap->size = pf->size;
	ap->max_group_size = pf->max_group_size;
	for (int i = 0; i < pf->tables.n; i++)
		if (P4I_APPEND(b, ap->table_ids, ap->n_table_ids,
			       p4i_ids_get(ids, P4I_TABLE, p->tables.v[pf->tables.v[i]].name)))
			return -ENOMEM;
	return P4I_APPEND(b, pi->action_profiles, pi->n_action_profiles, ap);
}

static int build_externs(const struct p4c_ir_program *p, struct p4i_builder *b,
			 const struct p4i_ids *ids)
{
	static const P4__Config__V1__CounterSpec__Unit cunit[] = {
		[P4C_UNIT_PACKETS] = P4__CONFIG__V1__COUNTER_SPEC__UNIT__PACKETS,
		[P4C_UNIT_BYTES] = P4__CONFIG__V1__COUNTER_SPEC__UNIT__BYTES,
		[P4C_UNIT_BOTH] = P4__CONFIG__V1__COUNTER_SPEC__UNIT__BOTH,
	};
	for (int i = 0; i < p->counters.n; i++) {
		const struct p4c_ir_counter *c = &p->counters.v[i];
		P4__Config__V1__Preamble *pre;
		if (c->is_direct) {
			/* Never attached to a table: nothing the control plane can read. */
			if (c->table < 0)
				continue;
			uint32_t tid = p4i_ids_get(ids, P4I_TABLE, p->tables.v[c->table].name);
			P4__Config__V1__DirectCounter *dc = p4i_add_direct_counter(
				b, p4i_ids_get(ids, P4I_DIRECT_COUNTER, c->name), c->name,
				p4i_ids_alias(ids, c->name), cunit[c->unit], tid);
			pre = dc ? dc->preamble : NULL;
		} else {
			P4__Config__V1__Counter *cn = p4i_add_counter(
				b, p4i_ids_get(ids, P4I_COUNTER, c->name), c->name,
				p4i_ids_alias(ids, c->name), cunit[c->unit], c->size);
			pre = cn ? cn->preamble : NULL;
		}
		if (set_doc(b, pre, &c->doc))
			return -ENOMEM;
	}
	for (int i = 0; i < p->meters.n; i++) {
		const struct p4c_ir_meter *m = &p->meters.v[i];
		P4__Config__V1__MeterSpec__Unit mu = m->unit == P4C_UNIT_BYTES ?
			P4__CONFIG__V1__METER_SPEC__UNIT__BYTES :
			P4__CONFIG__V1__METER_SPEC__UNIT__PACKETS;
		P4__Config__V1__Preamble *pre;
		if (m->is_direct) {
			if (m->table < 0)
				continue;
			P4__Config__V1__DirectMeter *dm = p4i_add_direct_meter(
				b, p4i_ids_get(ids, P4I_DIRECT_METER, m->name), m->name,
				p4i_ids_alias(ids, m->name), mu,
				p4i_ids_get(ids, P4I_TABLE, p->tables.v[m->table].name));
			pre = dm ? dm->preamble : NULL;
		} else {
			P4__Config__V1__Meter *mt = p4i_add_meter(
				b, p4i_ids_get(ids, P4I_METER, m->name), m->name,
				p4i_ids_alias(ids, m->name), mu, m->size);
			pre = mt ? mt->preamble : NULL;
		}
		if (set_doc(b, pre, &m->doc))
			return -ENOMEM;
	}
	for (int i = 0; i < p->registers.n; i++) {
		const struct p4c_ir_register *r = &p->registers.v[i];
		P4__Config__V1__Register *pr = p4i_add_register(
			b, p4i_ids_get(ids, P4I_REGISTER, r->name), r->name,
			p4i_ids_alias(ids, r->name), (int32_t)r->size, r->width);
		if (set_doc(b, pr ? pr->preamble : NULL, &r->doc))
			return -ENOMEM;
	}
	for (int i = 0; i < p->digests.n; i++)
		if (build_digest(b, ids, &p->digests.v[i]))
			return -ENOMEM;
	for (int i = 0; i < p->vsets.n; i++)
		if (build_vset(b, ids, &p->vsets.v[i]))
			return -ENOMEM;
	for (int i = 0; i < p->profiles.n; i++)
		if (build_profile(b, ids, p, &p->profiles.v[i]))
			return -ENOMEM;
	return 0;
}

static int build(const struct p4c_ir_program *p, struct p4i_builder *b,
		 const struct p4i_ids *ids)
{
	int rc = p4i_set_pkg_info(b, NULL, p->arch);
	for (int i = 0; i < p->tables.n && !rc; i++)
		if (!p->tables.v[i].hidden)
			rc = add_table(b, ids, p, &p->tables.v[i]);
	for (int i = 0; i < p->actions.n && !rc; i++) {
		const struct p4c_ir_action *a = &p->actions.v[i];
		bool seen = false;
		for (int k = 0; k < i && !seen; k++)
			seen = !p->actions.v[k].hidden && !strcmp(p->actions.v[k].name, a->name);
		if (a->hidden || seen)
			continue;
		P4__Config__V1__Action *pa = p4i_add_action(b, p4i_ids_get(ids, P4I_ACTION, a->name),
							    a->name, p4i_ids_alias(ids, a->name));
		if (!pa || set_doc(b, pa->preamble, &a->doc))
			return -ENOMEM;
		for (int k = 0; k < a->params.n; k++)
			if (!p4i_action_add_param(b, pa, a->params.v[k].id, a->params.v[k].name,
						  a->params.v[k].width))
				return -ENOMEM;
	}
	for (int i = 0; i < p->cpms.n && !rc; i++) {
		const struct p4c_ir_cpm *c = &p->cpms.v[i];
		const struct p4c_ir_htype *t = &p->htypes.v[c->htype];
		/* p4c hashes the header type's name; the preamble says packet_in/out. */
		P4__Config__V1__ControllerPacketMetadata *pc = p4i_add_controller_packet_metadata(
			b, p4i_ids_get(ids, P4I_CONTROLLER_HEADER, t->name), c->name, c->name);
		if (!pc)
			return -ENOMEM;
		for (int k = 0; k < t->fields.n; k++) {
			/* Padding the compiler added is not the user's metadata. */
			if (!strncmp(t->fields.v[k].name, "_padding", 8))
				continue;
			if (!p4i_cpm_add_metadata(b, pc, (uint32_t)k + 1, t->fields.v[k].name,
						  t->fields.v[k].width))
				return -ENOMEM;
		}
	}
	if (rc)
		return rc;
	return build_externs(p, b, ids);
}

int p4c_p4info_write(const struct p4c_ir_program *p, uint8_t **bin, size_t *bin_len,
		     char **txt, size_t *txt_len, struct p4l_err *err)
{
	struct p4i_ids *ids = p4i_ids_new();
	struct p4i_builder *b = p4i_builder_new();
	int rc = -ENOMEM;

	*bin = NULL;
	*txt = NULL;
	if (!ids || !b) {
		p4l_errf(err, rc, "out of memory building P4Info");
		goto out;
	}
	rc = register_ids(p, ids, err);
	if (rc)
		goto out;
	rc = build(p, b, ids);
	if (rc) {
		p4l_errf(err, rc, "out of memory building P4Info");
		goto out;
	}
	rc = p4i_builder_pack(b, bin, bin_len, err);
	if (!rc)
		rc = p4i_builder_text(b, txt, txt_len, err);
	if (rc) {
		free(*bin);
		*bin = NULL;
	}
out:
	p4i_builder_free(b);
	p4i_ids_free(ids);
	return rc;
}
