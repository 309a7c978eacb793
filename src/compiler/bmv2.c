/* bmv2.c - writes the lowered program (ir.h) as BMv2 JSON, format 2.23
 * (behavioral-model docs/JSON_format.md), shaped like p4c's v1model output
 * so that loaders written for either accept it.  Called by compile.c.
 *
 * Conventions where the format leaves freedom: every table key has "name";
 * expressions in primitive arguments are wrapped twice ({"type":
 * "expression","value":{"type":"expression","value":{op...}}}) as p4c does;
 * action parameters are "runtime_data" at the top of an argument and "local"
 * inside expressions; hexstrs are byte-padded to the operand's width.
 *
 * Names the lowering (lower*.c) chooses, as p4c does for v1model: the parser
 * "parser", the deparser "deparser", pipelines "ingress" and "egress";
 * header instances named by their path in the headers struct ("ipv4",
 * "outer.inner", "tags[0]"); user metadata, locals and temporaries are
 * fields of the metadata header "scalars" ("userMetadata.x", "I.v_3",
 * "tmp_0"); standard_metadata is its own metadata header.  Tables and
 * actions carry control-plane names ("MyIngress.ipv4_lpm", "NoAction");
 * what the compiler synthesizes is named "tbl_*", "act*", "node_*",
 * "calc*", "cksum*" and kept out of P4Info.  A sub-control's or
 * sub-parser's objects carry the instance's name ("MyIngress.up.t", parse
 * states "P.a.start"); header union members are header instances
 * ("u.a"); an action profile written in place in a table is named after
 * the table ("MyIngress.ecmp_profile").
 *
 * Other shapes: a varbit field is ["f", "*"] with the header type's
 * "max_length" in bytes; a stack element indexed at run time is
 * {"op": "access_field", "left": {dereference_header_stack}, "right": N};
 * int<W> results are wrapped with "two_comp_mod", |+| and |-| with
 * "sat_cast"/"usat_cast"; a range in a select is several masked hexstr
 * transitions; entry priorities are BMv2's (1 is the highest). */
#include "ir.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct w {
	const struct p4c_ir_program *p;
	bool failed;
};

/* Every builder goes through these: a NULL from jansson (out of memory)
 * marks the writer failed instead of being checked at each call. */
static json_t *chk(struct w *w, json_t *j)
{
	if (!j)
		w->failed = true;
	return j;
}

static void put(struct w *w, json_t *obj, const char *key, json_t *val)
{
	if (!obj || !val || json_object_set_new(obj, key, val))
		w->failed = true;
}

static void add(struct w *w, json_t *arr, json_t *val)
{
	if (!arr || !val || json_array_append_new(arr, val))
		w->failed = true;
}

static json_t *str(struct w *w, const char *s)
{
	return s ? chk(w, json_string(s)) : json_null();
}

static json_t *hexstr(struct w *w, const struct p4c_num *v, int width)
{
	char buf[2 * (P4C_NUM_BITS / 8) + 4];
	struct p4c_num a = *v;
	bool neg = p4c_num_is_neg(v);
	if (neg)
		p4c_num_neg(&a, v);
	int bits = width > 0 ? width : p4c_num_bits(&a);
	int bytes = bits > 0 ? (bits + 7) / 8 : 1;
	if (bytes > P4C_NUM_BITS / 8)
		bytes = P4C_NUM_BITS / 8;
	p4c_num_hex(&a, bytes, neg ? buf + 1 : buf);
	if (neg)
		buf[0] = '-';
	return chk(w, json_string(buf));
}

static json_t *bytes_hex(struct w *w, const uint8_t *b, int n)
{
	char *s = malloc(2 * (size_t)n + 3);
	if (!s) {
		w->failed = true;
		return NULL;
	}
	strcpy(s, "0x");
	for (int i = 0; i < n; i++)
		sprintf(s + 2 + 2 * i, "%02x", b[i]);
	json_t *j = chk(w, json_string(s));
	free(s);
	return j;
}

static json_t *tv(struct w *w, const char *type, json_t *value)
{
	json_t *o = chk(w, json_object());
	put(w, o, "type", str(w, type));
	put(w, o, "value", value ? value : json_null());
	return o;
}

static json_t *pair(struct w *w, const char *a, const char *b)
{
	json_t *arr = chk(w, json_array());
	add(w, arr, str(w, a));
	add(w, arr, str(w, b));
	return arr;
}

/* An operand inside an expression, or (top) a primitive argument. */
static json_t *expr(struct w *w, const struct p4c_ir_expr *e, bool top)
{
	if (!e)
		return json_null();
	switch (e->kind) {
	case P4C_IRE_FIELD:
		return tv(w, "field", pair(w, e->hdr, e->field));
	case P4C_IRE_HEADER:
		return tv(w, "header", str(w, e->hdr));
	case P4C_IRE_STACK_FIELD:
		return tv(w, "stack_field", pair(w, e->hdr, e->field));
	case P4C_IRE_STACK:
		return tv(w, "header_stack", str(w, e->hdr));
	case P4C_IRE_UNION:
		return tv(w, "header_union", str(w, e->hdr));
	case P4C_IRE_INT:
		return chk(w, json_integer(e->index));
	case P4C_IRE_CALC:
		return tv(w, "calculation", str(w, e->hdr));
	case P4C_IRE_REF:
		return tv(w, e->field, str(w, e->hdr));
	case P4C_IRE_VECTOR: {
		json_t *v = chk(w, json_array());
		for (int i = 0; i < e->items.n; i++)
			add(w, v, expr(w, e->items.v[i], false));
		return tv(w, "parameters_vector", v);
	}
	case P4C_IRE_LOOKAHEAD: {
		json_t *v = chk(w, json_array());
		add(w, v, json_integer(e->index));
		add(w, v, json_integer(e->width));
		return tv(w, "lookahead", v);
	}
	case P4C_IRE_STRING:
		return tv(w, "string", str(w, e->hdr));
	case P4C_IRE_CONST:
		return tv(w, "hexstr", hexstr(w, &e->num, e->width));
	case P4C_IRE_BOOL:
		return tv(w, "bool", json_boolean(e->b));
	case P4C_IRE_PARAM:
		return tv(w, top ? "runtime_data" : "local", json_integer(e->index));
	case P4C_IRE_OP: {
		json_t *v = chk(w, json_object());
		put(w, v, "op", str(w, e->op));
		put(w, v, "left", e->l ? expr(w, e->l, false) : json_null());
		put(w, v, "right", expr(w, e->r, false));
		if (e->c)
			put(w, v, "cond", expr(w, e->c, false));
		json_t *inner = tv(w, "expression", v);
		return top ? tv(w, "expression", inner) : inner;
	}
	}
	w->failed = true;
	return NULL;
}

static json_t *call(struct w *w, const struct p4c_ir_call *c)
{
	json_t *o = chk(w, json_object()), *params = chk(w, json_array());
	put(w, o, "op", str(w, c->op));
	for (int i = 0; i < c->args.n; i++)
		add(w, params, expr(w, c->args.v[i], true));
	put(w, o, "parameters", params);
	if (c->file) {
		json_t *si = chk(w, json_object());
		put(w, si, "filename", str(w, c->file));
		put(w, si, "line", json_integer(c->line));
		put(w, si, "column", json_integer(c->col));
		put(w, si, "source_fragment", str(w, c->text ? c->text : ""));
		put(w, o, "source_info", si);
	}
	return o;
}

static json_t *header_types(struct w *w)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < w->p->htypes.n; i++) {
		const struct p4c_ir_htype *t = &w->p->htypes.v[i];
		json_t *fields = chk(w, json_array());
		int bits = 0;
		bool varbit = false;
		for (int f = 0; f < t->fields.n; f++) {
			json_t *fa = chk(w, json_array());
			add(w, fa, str(w, t->fields.v[f].name));
			bits += t->fields.v[f].width;
			if (t->fields.v[f].is_varbit) {
				/* a varbit field is "*"; the header gives its maximum */
				varbit = true;
				add(w, fa, str(w, "*"));
			} else {
				add(w, fa, json_integer(t->fields.v[f].width));
				add(w, fa, json_boolean(t->fields.v[f].is_signed));
			}
			add(w, fields, fa);
		}
		json_t *o = chk(w, json_object());
		put(w, o, "name", str(w, t->name));
		put(w, o, "id", json_integer(i));
		put(w, o, "fields", fields);
		if (varbit)
			put(w, o, "max_length", json_integer((bits + 7) / 8));
		add(w, arr, o);
	}
	return arr;
}

static json_t *headers(struct w *w)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < w->p->headers.n; i++) {
		const struct p4c_ir_header *h = &w->p->headers.v[i];
		json_t *o = chk(w, json_object());
		put(w, o, "name", str(w, h->name));
		put(w, o, "id", json_integer(i));
		put(w, o, "header_type", str(w, w->p->htypes.v[h->htype].name));
		put(w, o, "metadata", json_boolean(h->metadata));
		put(w, o, "pi_omit", json_true());
		add(w, arr, o);
	}
	return arr;
}

static json_t *stacks(struct w *w)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < w->p->stacks.n; i++) {
		const struct p4c_ir_stack *s = &w->p->stacks.v[i];
		json_t *o = chk(w, json_object()), *ids = chk(w, json_array());
		for (int k = 0; k < s->headers.n; k++)
			add(w, ids, json_integer(s->headers.v[k]));
		put(w, o, "name", str(w, s->name));
		put(w, o, "id", json_integer(i));
		put(w, o, "header_type", str(w, w->p->htypes.v[s->htype].name));
		put(w, o, "size", json_integer(s->headers.n));
		put(w, o, "header_ids", ids);
		add(w, arr, o);
	}
	return arr;
}

static json_t *union_types(struct w *w)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < w->p->utypes.n; i++) {
		const struct p4c_ir_utype *u = &w->p->utypes.v[i];
		json_t *o = chk(w, json_object()), *hs = chk(w, json_array());
		for (int k = 0; k < u->members.n; k++) {
			json_t *m = chk(w, json_array());
			add(w, m, str(w, u->members.v[k]));
			add(w, m, str(w, w->p->htypes.v[u->htypes.v[k]].name));
			add(w, hs, m);
		}
		put(w, o, "name", str(w, u->name));
		put(w, o, "id", json_integer(i));
		put(w, o, "headers", hs);
		add(w, arr, o);
	}
	return arr;
}

static json_t *unions(struct w *w)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < w->p->unions.n; i++) {
		const struct p4c_ir_union *u = &w->p->unions.v[i];
		json_t *o = chk(w, json_object()), *ids = chk(w, json_array());
		for (int k = 0; k < u->headers.n; k++)
			add(w, ids, json_integer(u->headers.v[k]));
		put(w, o, "name", str(w, u->name));
		put(w, o, "id", json_integer(i));
		put(w, o, "union_type", str(w, w->p->utypes.v[u->utype].name));
		put(w, o, "header_ids", ids);
		put(w, o, "pi_omit", json_true());
		add(w, arr, o);
	}
	return arr;
}

static json_t *named_values(struct w *w, const struct p4c_ir_named_value *v, int n)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < n; i++) {
		json_t *e = chk(w, json_array());
		add(w, e, str(w, v[i].name));
		add(w, e, json_integer(v[i].value));
		add(w, arr, e);
	}
	return arr;
}

static json_t *enums(struct w *w)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < w->p->enums.n; i++) {
		const struct p4c_ir_enum *e = &w->p->enums.v[i];
		json_t *o = chk(w, json_object());
		put(w, o, "name", str(w, e->name));
		put(w, o, "entries", named_values(w, e->entries.v, e->entries.n));
		add(w, arr, o);
	}
	return arr;
}

static bool parser_native_op(const char *op)
{
	static const char *const ops[] = { "extract", "extract_VL", "set", "verify",
					   "shift", "advance" };
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(op, ops[i]))
			return true;
	return false;
}

static json_t *parser_op(struct w *w, const struct p4c_ir_call *c)
{
	if (!parser_native_op(c->op)) {
		json_t *o = chk(w, json_object()), *params = chk(w, json_array());
		put(w, o, "op", str(w, "primitive"));
		add(w, params, call(w, c));
		put(w, o, "parameters", params);
		return o;
	}
	json_t *o = chk(w, json_object()), *params = chk(w, json_array());
	put(w, o, "op", str(w, c->op));
	for (int i = 0; i < c->args.n; i++) {
		const struct p4c_ir_expr *e = c->args.v[i];
		bool extract = !strncmp(c->op, "extract", 7) && i == 0;
		if (extract && e->kind == P4C_IRE_HEADER)
			add(w, params, tv(w, "regular", str(w, e->hdr)));
		else if (extract && e->kind == P4C_IRE_STACK)
			add(w, params, tv(w, "stack", str(w, e->hdr)));
		else
			add(w, params, expr(w, e, true));
	}
	put(w, o, "parameters", params);
	return o;
}

static json_t *parsers(struct w *w, int *state_id)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < w->p->parsers.n; i++) {
		const struct p4c_ir_parser *ps = &w->p->parsers.v[i];
		json_t *o = chk(w, json_object()), *states = chk(w, json_array());
		put(w, o, "name", str(w, ps->name));
		put(w, o, "id", json_integer(i));
		put(w, o, "init_state", str(w, ps->init_state));
		for (int s = 0; s < ps->states.n; s++) {
			const struct p4c_ir_pstate *st = &ps->states.v[s];
			json_t *so = chk(w, json_object()), *ops = chk(w, json_array());
			json_t *trs = chk(w, json_array()), *key = chk(w, json_array());
			put(w, so, "name", str(w, st->name));
			put(w, so, "id", json_integer((*state_id)++));
			for (int k = 0; k < st->ops.n; k++)
				add(w, ops, parser_op(w, &st->ops.v[k]));
			put(w, so, "parser_ops", ops);
			for (int k = 0; k < st->transitions.n; k++) {
				const struct p4c_ir_transition *t = &st->transitions.v[k];
				json_t *to = chk(w, json_object());
				if (t->vset) {
					put(w, to, "type", str(w, "parse_vset"));
					put(w, to, "value", str(w, t->vset));
					put(w, to, "mask", json_null());
				} else if (t->is_default) {
					put(w, to, "type", str(w, "default"));
					put(w, to, "value", json_null());
					put(w, to, "mask", json_null());
				} else {
					put(w, to, "type", str(w, "hexstr"));
					put(w, to, "value", bytes_hex(w, t->value.v, t->value.n));
					put(w, to, "mask", t->mask.n ?
					    bytes_hex(w, t->mask.v, t->mask.n) : json_null());
				}
				put(w, to, "next_state", str(w, t->next));
				add(w, trs, to);
			}
			put(w, so, "transitions", trs);
			for (int k = 0; k < st->key.n; k++)
				add(w, key, expr(w, st->key.v[k], true));
			put(w, so, "transition_key", key);
			add(w, states, so);
		}
		put(w, o, "parse_states", states);
		add(w, arr, o);
	}
	return arr;
}

static json_t *parse_vsets(struct w *w)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < w->p->vsets.n; i++) {
		const struct p4c_ir_vset *v = &w->p->vsets.v[i];
		json_t *o = chk(w, json_object());
		put(w, o, "name", str(w, v->name));
		put(w, o, "id", json_integer(i));
		put(w, o, "compressed_bitwidth", json_integer(v->width));
		put(w, o, "max_size", json_integer(v->size));
		add(w, arr, o);
	}
	return arr;
}

static json_t *deparsers(struct w *w)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < w->p->deparsers.n; i++) {
		const struct p4c_ir_deparser *d = &w->p->deparsers.v[i];
		json_t *o = chk(w, json_object()), *order = chk(w, json_array());
		for (int k = 0; k < d->order.n; k++)
			add(w, order, str(w, d->order.v[k]));
		put(w, o, "name", str(w, d->name));
		put(w, o, "id", json_integer(i));
		put(w, o, "order", order);
		put(w, o, "primitives", chk(w, json_array()));
		add(w, arr, o);
	}
	return arr;
}

static json_t *actions(struct w *w)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < w->p->actions.n; i++) {
		const struct p4c_ir_action *a = &w->p->actions.v[i];
		json_t *o = chk(w, json_object()), *rd = chk(w, json_array());
		json_t *prims = chk(w, json_array());
		put(w, o, "name", str(w, a->name));
		put(w, o, "id", json_integer(i));
		for (int k = 0; k < a->params.n; k++) {
			json_t *po = chk(w, json_object());
			put(w, po, "name", str(w, a->params.v[k].name));
			put(w, po, "bitwidth", json_integer(a->params.v[k].width));
			add(w, rd, po);
		}
		put(w, o, "runtime_data", rd);
		for (int k = 0; k < a->prims.n; k++)
			add(w, prims, call(w, &a->prims.v[k]));
		put(w, o, "primitives", prims);
		add(w, arr, o);
	}
	return arr;
}

static const char *table_match_type(const struct p4c_ir_table *t)
{
	bool lpm = false, ternary = false, range = false;
	for (int i = 0; i < t->keys.n; i++) {
		switch (t->keys.v[i].match) {
		case P4C_MATCH_LPM: lpm = true; break;
		case P4C_MATCH_TERNARY: case P4C_MATCH_OPTIONAL: ternary = true; break;
		case P4C_MATCH_RANGE: range = true; break;
		default: break;
		}
	}
	return range ? "range" : ternary ? "ternary" : lpm ? "lpm" : "exact";
}

static json_t *action_data(struct w *w, const struct p4c_ir_action *a,
			   const struct p4c_num *data, int n)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < n && i < a->params.n; i++)
		add(w, arr, hexstr(w, &data[i], a->params.v[i].width));
	return arr;
}

static json_t *entry(struct w *w, const struct p4c_ir_table *t, const struct p4c_ir_entry *e)
{
	json_t *o = chk(w, json_object()), *mk = chk(w, json_array());
	for (int i = 0; i < e->keys.n && i < t->keys.n; i++) {
		const struct p4c_ir_mkey *k = &e->keys.v[i];
		int width = t->keys.v[i].width;
		json_t *ko = chk(w, json_object());
		put(w, ko, "match_type", str(w, p4c_ir_match_name(k->match)));
		switch (k->match) {
		case P4C_MATCH_RANGE:
			put(w, ko, "start", hexstr(w, &k->key, width));
			put(w, ko, "end", hexstr(w, &k->mask, width));
			break;
		case P4C_MATCH_LPM:
			put(w, ko, "key", hexstr(w, &k->key, width));
			put(w, ko, "prefix_length", json_integer(k->prefix_len));
			break;
		case P4C_MATCH_TERNARY:
			put(w, ko, "key", hexstr(w, &k->key, width));
			put(w, ko, "mask", hexstr(w, &k->mask, width));
			break;
		case P4C_MATCH_OPTIONAL:
			put(w, ko, "key", hexstr(w, &k->key, width));
			put(w, ko, "mask", hexstr(w, &k->mask, width));
			break;
		case P4C_MATCH_EXACT:
			put(w, ko, "key", hexstr(w, &k->key, width));
			break;
		}
		add(w, mk, ko);
	}
	put(w, o, "match_key", mk);
	json_t *ae = chk(w, json_object());
	put(w, ae, "action_id", json_integer(e->action));
	put(w, ae, "action_data", action_data(w, &w->p->actions.v[e->action], e->data.v, e->data.n));
	put(w, o, "action_entry", ae);
	put(w, o, "priority", json_integer(e->priority));
	return o;
}

static json_t *table(struct w *w, int ti)
{
	const struct p4c_ir_table *t = &w->p->tables.v[ti];
	json_t *o = chk(w, json_object()), *key = chk(w, json_array());
	put(w, o, "name", str(w, t->name));
	put(w, o, "id", json_integer(ti));
	for (int i = 0; i < t->keys.n; i++) {
		const struct p4c_ir_key *k = &t->keys.v[i];
		json_t *ko = chk(w, json_object());
		put(w, ko, "match_type", str(w, p4c_ir_match_name(k->match)));
		put(w, ko, "name", str(w, k->name));
		put(w, ko, "target", pair(w, k->target->hdr, k->target->field));
		put(w, ko, "mask", k->has_mask ? hexstr(w, &k->mask, k->width) : json_null());
		add(w, key, ko);
	}
	put(w, o, "key", key);
	put(w, o, "match_type", str(w, table_match_type(t)));
	const struct p4c_ir_profile *pf = t->profile >= 0 ? &w->p->profiles.v[t->profile] : NULL;
	put(w, o, "type", str(w, !pf ? "simple" : pf->with_selector ? "indirect_ws" : "indirect"));
	if (pf)
		put(w, o, "action_profile", str(w, pf->name));
	put(w, o, "max_size", json_integer(t->size));
	put(w, o, "with_counters", json_boolean(t->direct_counter >= 0));
	put(w, o, "support_timeout", json_boolean(t->support_timeout));
	put(w, o, "direct_meters", t->direct_meter >= 0 ?
	    str(w, w->p->meters.v[t->direct_meter].name) : json_null());
	/* p4lab's extension (docs/match-engines.md): where a hit writes its slot */
	if (t->hit_index_field)
		put(w, o, "p4lab_hit_index", pair(w, "scalars", t->hit_index_field));
	json_t *ids = chk(w, json_array()), *names = chk(w, json_array());
	for (int i = 0; i < t->actions.n; i++) {
		add(w, ids, json_integer(t->actions.v[i]));
		add(w, names, str(w, w->p->actions.v[t->actions.v[i]].name));
	}
	put(w, o, "action_ids", ids);
	put(w, o, "actions", names);
	put(w, o, "base_default_next", str(w, t->base_next));
	json_t *next = chk(w, json_object());
	if (t->by_hit) {
		put(w, next, "__HIT__", str(w, t->next_hit));
		put(w, next, "__MISS__", str(w, t->next_miss));
	} else {
		for (int i = 0; i < t->actions.n; i++)
			put(w, next, w->p->actions.v[t->actions.v[i]].name,
			    str(w, i < t->next_by_action.n ? t->next_by_action.v[i] : t->base_next));
	}
	put(w, o, "next_tables", next);
	if (t->default_action >= 0) {
		const struct p4c_ir_action *a = &w->p->actions.v[t->default_action];
		json_t *de = chk(w, json_object());
		put(w, de, "action_id", json_integer(t->default_action));
		put(w, de, "action_const", json_boolean(t->default_const));
		put(w, de, "action_data", action_data(w, a, t->default_data.v, t->default_data.n));
		put(w, de, "action_entry_const", json_boolean(t->default_const));
		put(w, o, "default_entry", de);
	}
	if (t->entries.n) {
		json_t *es = chk(w, json_array());
		for (int i = 0; i < t->entries.n; i++)
			add(w, es, entry(w, t, &t->entries.v[i]));
		put(w, o, "entries", es);
	}
	return o;
}

/* The profiles whose tables are in pipeline pl. */
static json_t *action_profiles(struct w *w, const struct p4c_ir_pipeline *pl)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < w->p->profiles.n; i++) {
		const struct p4c_ir_profile *pf = &w->p->profiles.v[i];
		bool here = false;
		for (int k = 0; k < pl->tables.n && !here; k++)
			for (int j = 0; j < pf->tables.n && !here; j++)
				here = pl->tables.v[k] == pf->tables.v[j];
		if (!here)
			continue;
		json_t *o = chk(w, json_object());
		put(w, o, "name", str(w, pf->name));
		put(w, o, "id", json_integer(i));
		put(w, o, "max_size", json_integer(pf->size));
		if (pf->with_selector) {
			json_t *sel = chk(w, json_object()), *in = chk(w, json_array());
			put(w, sel, "algo", str(w, pf->algo));
			for (int k = 0; k < pf->inputs.n; k++)
				add(w, in, expr(w, pf->inputs.v[k], true));
			put(w, sel, "input", in);
			put(w, o, "selector", sel);
		}
		add(w, arr, o);
	}
	return arr;
}

static json_t *pipelines(struct w *w, int *cond_id)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < w->p->pipelines.n; i++) {
		const struct p4c_ir_pipeline *pl = &w->p->pipelines.v[i];
		json_t *o = chk(w, json_object()), *tables = chk(w, json_array());
		json_t *conds = chk(w, json_array());
		put(w, o, "name", str(w, pl->name));
		put(w, o, "id", json_integer(i));
		put(w, o, "init_table", str(w, pl->init));
		for (int k = 0; k < pl->tables.n; k++)
			add(w, tables, table(w, pl->tables.v[k]));
		put(w, o, "tables", tables);
		put(w, o, "action_profiles", action_profiles(w, pl));
		for (int k = 0; k < pl->conds.n; k++) {
			const struct p4c_ir_cond *c = &pl->conds.v[k];
			json_t *co = chk(w, json_object());
			put(w, co, "name", str(w, c->name));
			put(w, co, "id", json_integer((*cond_id)++));
			put(w, co, "expression", expr(w, c->expr, false));
			put(w, co, "true_next", str(w, c->true_next));
			put(w, co, "false_next", str(w, c->false_next));
			add(w, conds, co);
		}
		put(w, o, "conditionals", conds);
		add(w, arr, o);
	}
	return arr;
}

static json_t *calculations(struct w *w)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < w->p->calcs.n; i++) {
		const struct p4c_ir_calc *c = &w->p->calcs.v[i];
		json_t *o = chk(w, json_object()), *in = chk(w, json_array());
		put(w, o, "name", str(w, c->name));
		put(w, o, "id", json_integer(i));
		put(w, o, "algo", str(w, c->algo));
		for (int k = 0; k < c->inputs.n; k++) {
			const struct p4c_ir_expr *e = c->inputs.v[k];
			json_t *io = expr(w, e, false);
			if (e->kind == P4C_IRE_CONST)
				put(w, io, "bitwidth", json_integer(e->width));
			add(w, in, io);
		}
		put(w, o, "input", in);
		add(w, arr, o);
	}
	return arr;
}

static json_t *checksums(struct w *w)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < w->p->checksums.n; i++) {
		const struct p4c_ir_checksum *c = &w->p->checksums.v[i];
		json_t *o = chk(w, json_object());
		put(w, o, "name", str(w, c->name));
		put(w, o, "id", json_integer(i));
		put(w, o, "target", pair(w, c->target->hdr, c->target->field));
		put(w, o, "type", str(w, "generic"));
		put(w, o, "calculation", str(w, w->p->calcs.v[c->calc].name));
		put(w, o, "verify", json_boolean(c->verify));
		put(w, o, "update", json_boolean(c->update));
		put(w, o, "if_cond", c->if_cond ? expr(w, c->if_cond, false) : json_null());
		add(w, arr, o);
	}
	return arr;
}

static json_t *field_lists(struct w *w, const struct p4c_ir_field_list *lists, int n)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < n; i++) {
		const struct p4c_ir_field_list *fl = &lists[i];
		json_t *o = chk(w, json_object()), *el = chk(w, json_array());
		put(w, o, "id", json_integer(fl->id));
		put(w, o, "name", str(w, fl->name));
		for (int k = 0; k < fl->fields.n; k++)
			add(w, el, expr(w, fl->fields.v[k], false));
		put(w, o, "elements", el);
		add(w, arr, o);
	}
	return arr;
}

static json_t *counter_arrays(struct w *w)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < w->p->counters.n; i++) {
		const struct p4c_ir_counter *c = &w->p->counters.v[i];
		json_t *o = chk(w, json_object());
		put(w, o, "name", str(w, c->name));
		put(w, o, "id", json_integer(i));
		put(w, o, "is_direct", json_boolean(c->is_direct));
		if (c->is_direct && c->table >= 0)
			put(w, o, "binding", str(w, w->p->tables.v[c->table].name));
		else
			put(w, o, "size", json_integer(c->size));
		add(w, arr, o);
	}
	return arr;
}

static json_t *meter_arrays(struct w *w)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < w->p->meters.n; i++) {
		const struct p4c_ir_meter *m = &w->p->meters.v[i];
		json_t *o = chk(w, json_object());
		put(w, o, "name", str(w, m->name));
		put(w, o, "id", json_integer(i));
		put(w, o, "is_direct", json_boolean(m->is_direct));
		put(w, o, "rate_count", json_integer(2));
		put(w, o, "type", str(w, m->unit == P4C_UNIT_BYTES ? "bytes" : "packets"));
		if (m->is_direct) {
			const struct p4c_ir_table *t = m->table >= 0 ? &w->p->tables.v[m->table] : NULL;
			put(w, o, "size", json_integer(t ? t->size : 0));
			put(w, o, "binding", t ? str(w, t->name) : json_null());
			put(w, o, "result_target", m->result ?
			    pair(w, m->result->hdr, m->result->field) : json_null());
		} else {
			put(w, o, "size", json_integer(m->size));
		}
		add(w, arr, o);
	}
	return arr;
}

static json_t *register_arrays(struct w *w)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < w->p->registers.n; i++) {
		const struct p4c_ir_register *r = &w->p->registers.v[i];
		json_t *o = chk(w, json_object());
		put(w, o, "name", str(w, r->name));
		put(w, o, "id", json_integer(i));
		put(w, o, "size", json_integer(r->size));
		put(w, o, "bitwidth", json_integer(r->width));
		add(w, arr, o);
	}
	return arr;
}

static json_t *field_aliases(struct w *w)
{
	json_t *arr = chk(w, json_array());
	for (int i = 0; i < w->p->alias_names.n; i++) {
		json_t *e = chk(w, json_array());
		add(w, e, str(w, w->p->alias_names.v[i]));
		add(w, e, pair(w, "standard_metadata", w->p->alias_fields.v[i]));
		add(w, arr, e);
	}
	return arr;
}

int p4c_bmv2_write(const struct p4c_ir_program *p, char **out, size_t *len)
{
	struct w w = { .p = p };
	int state_id = 0, cond_id = 0;
	json_t *root = chk(&w, json_object());

	*out = NULL;
	put(&w, root, "header_types", header_types(&w));
	put(&w, root, "headers", headers(&w));
	put(&w, root, "header_stacks", stacks(&w));
	put(&w, root, "header_union_types", union_types(&w));
	put(&w, root, "header_unions", unions(&w));
	put(&w, root, "header_union_stacks", chk(&w, json_array()));
	put(&w, root, "field_lists", field_lists(&w, p->field_lists.v, p->field_lists.n));
	put(&w, root, "errors", named_values(&w, p->errors.v, p->errors.n));
	put(&w, root, "enums", enums(&w));
	put(&w, root, "parsers", parsers(&w, &state_id));
	put(&w, root, "parse_vsets", parse_vsets(&w));
	put(&w, root, "deparsers", deparsers(&w));
	put(&w, root, "meter_arrays", meter_arrays(&w));
	put(&w, root, "counter_arrays", counter_arrays(&w));
	put(&w, root, "register_arrays", register_arrays(&w));
	put(&w, root, "calculations", calculations(&w));
	put(&w, root, "learn_lists", field_lists(&w, p->learn_lists.v, p->learn_lists.n));
	put(&w, root, "actions", actions(&w));
	put(&w, root, "pipelines", pipelines(&w, &cond_id));
	put(&w, root, "checksums", checksums(&w));
	put(&w, root, "force_arith", chk(&w, json_array()));
	put(&w, root, "extern_instances", chk(&w, json_array()));
	put(&w, root, "field_aliases", field_aliases(&w));
	put(&w, root, "program", str(&w, p->program));
	json_t *meta = chk(&w, json_object()), *ver = chk(&w, json_array());
	add(&w, ver, json_integer(2));
	add(&w, ver, json_integer(23));
	put(&w, meta, "version", ver);
	put(&w, meta, "compiler", str(&w, "p4lab"));
	put(&w, root, "__meta__", meta);

	if (!w.failed)
		*out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!*out)
		return -ENOMEM;
	*len = strlen(*out);
	return 0;
}
