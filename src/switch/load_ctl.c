/* load_ctl.c - the control half of the loader: pipelines (tables, their
 * entries and defaults, conditionals, action calls), calculations and
 * checksums.  Called by sw_plan_load() (load.c) through load.h. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "table.h"

/* ---- pipelines ------------------------------------------------------------ */

static int node_by_name(struct ld *ld, size_t first, json_t *v, const char *where, uint32_t *out)
{
	*out = SW_NONE;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return ld_fail(ld, where, "a next node must be a name or null");
	for (size_t i = first; i < ld->p->n_nodes; i++)
		if (!strcmp(ld->p->nodes[i].name, json_string_value(v))) {
			*out = (uint32_t)i;
			return 0;
		}
	return ld_fail(ld, where, "no table, conditional or action call named \"%s\"",
		    json_string_value(v));
}

/* Hexstr action data into args bytes. */
static int action_data(struct ld *ld, const struct sw_action *a, json_t *data, const char *where,
		       uint8_t *args)
{
	size_t n = data ? json_array_size(data) : 0;
	char w[W_MAX];
	if (data && !json_is_array(data))
		return ld_fail(ld, where, "\"action_data\" must be an array");
	if (n != a->n_params)
		return ld_fail(ld, where, "action \"%s\" takes %zu arguments, %zu given", a->name,
			    a->n_params, n);
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(data, i);
		bool neg;
		uint32_t nb = (a->params[i].width + 7) / 8;
		ld_path(w, "%s[%zu]", where, i);
		if (!json_is_string(v) || ld_hex_bytes(json_string_value(v), args + a->params[i].off,
							nb, &neg) < 0 || neg)
			return ld_fail(ld, w, "argument does not fit in %u bits", a->params[i].width);
	}
	return 0;
}

static int calc_fill(struct ld *ld, struct sw_calc *cl, const char *algo, const char *name,
		     json_t *in, const char *w);

static int load_table(struct ld *ld, json_t *t, const char *w, struct sw_table *tb, size_t first)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	char w2[W_MAX];
	const char *name = ld_str(ld, t, "name", w, &r);
	json_t *keys = name ? ld_member(ld, t, "key", JSON_ARRAY, w, &r) : NULL, *k;
	json_t *acts = keys ? ld_member(ld, t, "actions", JSON_ARRAY, w, &r) : NULL, *a;
	json_t *next = acts ? ld_member(ld, t, "next_tables", JSON_OBJECT, w, &r) : NULL;
	size_t i;
	if (!next)
		return r;
	const char *type = json_is_string(json_object_get(t, "type")) ?
		json_string_value(json_object_get(t, "type")) : "simple";
	tb->profile = SW_NONE;
	if (!strcmp(type, "indirect") || !strcmp(type, "indirect_ws")) {
		json_t *ap = json_object_get(t, "action_profile");
		for (size_t q = 0; json_is_string(ap) && q < p->n_profiles; q++)
			if (!strcmp(p->profiles[q].name, json_string_value(ap)))
				tb->profile = (uint32_t)q;
		if (tb->profile == SW_NONE)
			return ld_fail(ld, w, "\"action_profile\" must name one of the pipeline's "
				       "action_profiles");
		if (!strcmp(type, "indirect_ws") && p->profiles[tb->profile].selector == SW_NONE)
			return ld_fail(ld, w, "an indirect_ws table needs a profile with a selector");
	} else if (strcmp(type, "simple")) {
		return ld_fail(ld, w, "table type \"%s\" is not supported", type);
	}
	tb->id = (int)json_integer_value(json_object_get(t, "id"));
	json_t *ms = json_object_get(t, "max_size");
	tb->max_size = json_is_integer(ms) && json_integer_value(ms) > 0 ?
		(uint32_t)json_integer_value(ms) : 1024;
	tb->keys = calloc(json_array_size(keys) + 1, sizeof(*tb->keys));
	tb->kinfo = calloc(json_array_size(keys) + 1, sizeof(*tb->kinfo));
	tb->actions = calloc(json_array_size(acts) + 1, sizeof(*tb->actions));
	tb->action_next = calloc(json_array_size(acts) + 1, sizeof(*tb->action_next));
	if (!tb->keys || !tb->kinfo || !tb->actions || !tb->action_next)
		return ld_oom(ld);
	tb->kind = SW_MATCH_EXACT;
	json_array_foreach(keys, i, k) {
		struct sw_key_part *kp = &tb->keys[tb->n_keys++];
		bool isv;
		ld_path(w2, "%s.key[%zu]", w, i);
		const char *mt = ld_str(ld, k, "match_type", w2, &r);
		if (!mt)
			return r;
		json_t *tg = json_object_get(k, "target");
		if (!strcmp(mt, "valid")) {
			int h = json_is_string(tg) ? ld_find_header(p, json_string_value(tg)) : -1;
			if (h < 0)
				return ld_fail(ld, w2, "\"target\" must name a header instance");
			kp->is_valid = true;
			kp->f = (struct sw_fref){ 0, 1, (uint32_t)h };
			kp->info.kind = SW_MATCH_VALID;
		} else {
			if ((r = ld_field_ref(ld, tg, w2, &kp->f, &isv)))
				return r;
			kp->is_valid = isv;
			if (!strcmp(mt, "exact"))
				kp->info.kind = SW_MATCH_EXACT;
			else if (!strcmp(mt, "lpm"))
				kp->info.kind = SW_MATCH_LPM;
			else if (!strcmp(mt, "ternary"))
				kp->info.kind = SW_MATCH_TERNARY;
			else if (!strcmp(mt, "range"))
				kp->info.kind = SW_MATCH_RANGE;
			else if (!strcmp(mt, "optional"))
				kp->info.kind = SW_MATCH_OPTIONAL;
			else
				return ld_fail(ld, w2, "match_type \"%s\" is not supported", mt);
		}
		if (kp->info.kind == SW_MATCH_RANGE && kp->f.width > 64)
			return ld_fail(ld, w2, "range keys wider than 64 bits are not supported");
		/* Ternary, range and optional keys make a priority table (a TCAM). */
		if (kp->info.kind == SW_MATCH_TERNARY || kp->info.kind == SW_MATCH_RANGE ||
		    kp->info.kind == SW_MATCH_OPTIONAL)
			tb->kind = SW_MATCH_TERNARY;
		else if (kp->info.kind == SW_MATCH_LPM) {
			if (tb->kind == SW_MATCH_LPM)
				return ld_fail(ld, w2, "a table can have only one lpm key");
			if (tb->kind == SW_MATCH_EXACT)
				tb->kind = SW_MATCH_LPM;
		}
		kp->info.width = kp->f.width;
		json_t *nm = json_object_get(k, "name");
		if (json_is_string(nm)) {
			kp->info.name = ld_dup(ld, json_string_value(nm), &r);
		} else if (json_is_array(tg)) {
			char buf[512];
			snprintf(buf, sizeof(buf), "%s.%s", json_string_value(json_array_get(tg, 0)),
				 json_string_value(json_array_get(tg, 1)));
			kp->info.name = ld_dup(ld, buf, &r);
		} else {
			kp->info.name = ld_dup(ld, json_string_value(tg), &r);
		}
		if (r)
			return r;
		kp->nbytes = (kp->f.width + 7) / 8;
		kp->off = tb->key_len;
		tb->key_len += kp->nbytes;
		kp->mask = SW_NONE;
		json_t *m = json_object_get(k, "mask");
		if (json_is_string(m) && (r = ld_pool_hex(ld, json_string_value(m), kp->nbytes, w2, &kp->mask)))
			return r;
		tb->kinfo[i] = kp->info;
	}
	if (tb->key_len > SW_MAX_KEY_BYTES)
		return ld_fail(ld, w, "key of %u bytes is too wide", tb->key_len);
	/* A ternary table with a lpm key is still a priority table (BMv2 rules). */
	json_array_foreach(acts, i, a) {
		ld_path(w2, "%s.actions[%zu]", w, i);
		int x = json_is_string(a) ? ld_action_by_name(p, json_string_value(a)) : -1;
		if (x < 0)
			return ld_fail(ld, w2, "no action named \"%s\"",
				    json_is_string(a) ? json_string_value(a) : "?");
		tb->actions[tb->n_actions++] = (uint32_t)x;
	}
	/* p4lab's extension (docs/match-engines.md): a hit writes the matched
	 * slot into this field before the action runs; entries are pinned. */
	json_t *hx = json_object_get(t, "p4lab_hit_index");
	if (hx && !json_is_null(hx)) {
		bool hv;
		ld_path(w2, "%s.p4lab_hit_index", w);
		if ((r = ld_field_ref(ld, hx, w2, &tb->hit_field, &hv)))
			return r;
		uint32_t need = 1;
		while (need < 32 && (UINT64_C(1) << need) < tb->max_size)
			need++;
		if (hv || tb->hit_field.width < need || tb->hit_field.width > 64)
			return ld_fail(ld, w2, "the hit index field must be a field of %u to 64 bits "
				       "(the table has %u slots)", need, tb->max_size);
		tb->has_hit_index = true;
	}
	tb->name = ld_dup(ld, name, &r);
	if (r)
		return r;
	tb->info = (struct sw_table_info){ tb->name, tb->id, tb->n_keys, tb->kinfo, tb->n_actions,
		tb->actions, tb->kind == SW_MATCH_TERNARY, false, false };
	if (tb->profile != SW_NONE) {
		/* entries hold a member or a group; the control plane does not see
		 * these two actions among the table's (info.n_actions) */
		uint32_t *na = realloc(tb->actions, (tb->n_actions + 2) * sizeof(*na));
		uint32_t *nn = na ? realloc(tb->action_next, (tb->n_actions + 2) * sizeof(*nn)) : NULL;
		if (na)
			tb->actions = na;
		if (!nn)
			return ld_oom(ld);
		tb->action_next = nn;
		na[tb->n_actions] = p->profiles[tb->profile].act_member;
		na[tb->n_actions + 1] = p->profiles[tb->profile].act_group;
		nn[tb->n_actions] = nn[tb->n_actions + 1] = SW_NONE;
		tb->n_actions += 2;
		tb->info.actions = tb->actions;
	}
	(void)first;
	return 0;
}

/* The member / group action of a profile: one 32-bit parameter. */
static int ref_action(struct ld *ld, const char *profile, const char *what, uint32_t *out)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	struct sw_action *na = realloc(p->actions, (p->n_actions + 2) * sizeof(*na));
	if (!na)
		return ld_oom(ld);
	p->actions = na;
	struct sw_action *a = &na[p->n_actions];
	memset(a, 0, sizeof(*a));
	char name[512];
	snprintf(name, sizeof(name), "%s$%s", profile, what);
	a->name = ld_dup(ld, name, &r);
	a->params = calloc(1, sizeof(*a->params));
	a->pinfo = calloc(1, sizeof(*a->pinfo));
	if (r || !a->params || !a->pinfo) {
		free(a->name);
		free(a->params);
		free(a->pinfo);
		return r ? r : ld_oom(ld);
	}
	a->params[0] = (struct sw_param){ ld_dup(ld, what, &r), 32, 0 };
	if (r) {
		free(a->name);
		free(a->params);
		free(a->pinfo);
		return r;
	}
	a->n_params = 1;
	a->args_len = 4;
	a->id = -1 - (int)p->n_actions;
	a->ins = (uint32_t)p->n_ins;
	a->pinfo[0] = (struct sw_param_info){ a->params[0].name, 32 };
	a->info = (struct sw_action_info){ a->name, a->id, 1, a->pinfo };
	*out = (uint32_t)p->n_actions++;
	if (p->max_args < 4)
		p->max_args = 4;
	return 0;
}

/* pipelines[].action_profiles[]: {name, max_size, selector {algo, input}}. */
static int load_profile(struct ld *ld, json_t *j, const char *w)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	char w2[W_MAX];
	const char *name = ld_str(ld, j, "name", w, &r);
	json_t *mx = name ? ld_member(ld, j, "max_size", JSON_INTEGER, w, &r) : NULL;
	if (!mx)
		return r;
	if (json_integer_value(mx) < 1 || json_integer_value(mx) > (1 << 20))
		return ld_fail(ld, w, "max_size must be from 1 to %d", 1 << 20);
	struct sw_profile *np = realloc(p->profiles, (p->n_profiles + 1) * sizeof(*np));
	if (!np)
		return ld_oom(ld);
	p->profiles = np;
	struct sw_profile *pf = &np[p->n_profiles++];
	memset(pf, 0, sizeof(*pf));
	pf->selector = SW_NONE;
	pf->name = ld_dup(ld, name, &r);
	pf->max = (uint32_t)json_integer_value(mx);
	pf->members = calloc(pf->max, sizeof(*pf->members));
	pf->groups = calloc(pf->max, sizeof(*pf->groups));
	/* (entries are published by pre.c) */
	if (r || !pf->members || !pf->groups)
		return r ? r : ld_oom(ld);
	if ((r = ref_action(ld, name, "member", &pf->act_member)) ||
	    (r = ref_action(ld, name, "group", &pf->act_group)))
		return r;
	json_t *sel = json_object_get(j, "selector");
	if (!sel || json_is_null(sel))
		return 0;
	ld_path(w2, "%s.selector", w);
	const char *algo = ld_str(ld, sel, "algo", w2, &r);
	json_t *in = algo ? ld_member(ld, sel, "input", JSON_ARRAY, w2, &r) : NULL;
	if (!in)
		return r;
	struct sw_calc *nc = realloc(p->calcs, (p->n_calcs + 2) * sizeof(*nc));
	if (!nc)
		return ld_oom(ld);
	p->calcs = nc;
	memset(&nc[p->n_calcs], 0, sizeof(*nc));
	char cname[512];
	snprintf(cname, sizeof(cname), "%s$selector", name);
	pf->selector = (uint32_t)p->n_calcs;
	return calc_fill(ld, &p->calcs[p->n_calcs++], algo, cname, in, w2);
}

/* Second pass over a table, once every node of the pipeline has an index. */
static int link_table(struct ld *ld, json_t *t, const char *w, struct sw_table *tb, size_t first)
{
	struct sw_plan *p = ld->p;
	int r;
	char w2[W_MAX];
	json_t *next = json_object_get(t, "next_tables");
	tb->hit_next = tb->miss_next = SW_NONE;
	if ((r = node_by_name(ld, first, json_object_get(t, "base_default_next"),
			      w, &tb->base_next)))
		return r;
	json_t *hit = json_object_get(next, "__HIT__"), *miss = json_object_get(next, "__MISS__");
	if (hit || miss) {
		tb->hit_miss = true;
		ld_path(w2, "%s.next_tables.__HIT__", w);
		if ((r = node_by_name(ld, first, hit, w2, &tb->hit_next)))
			return r;
		ld_path(w2, "%s.next_tables.__MISS__", w);
		if ((r = node_by_name(ld, first, miss, w2, &tb->miss_next)))
			return r;
	}
	for (size_t i = 0; i < tb->n_actions; i++) {
		const char *an = p->actions[tb->actions[i]].name;
		json_t *nx = json_object_get(next, an);
		tb->action_next[i] = tb->base_next;
		ld_path(w2, "%s.next_tables.%s", w, an);
		if (nx && (r = node_by_name(ld, first, nx, w2, &tb->action_next[i])))
			return r;
	}
	json_t *de = json_object_get(t, "default_entry");
	if (de && !json_is_null(de)) {
		ld_path(w2, "%s.default_entry", w);
		json_t *aid = ld_member(ld, de, "action_id", JSON_INTEGER, w2, &r);
		if (!aid)
			return r;
		int a = ld_action_by_id(p, json_integer_value(aid));
		if (a < 0)
			return ld_fail(ld, w2, "no action with id %lld", (long long)json_integer_value(aid));
		uint8_t args[4096 / 8 * 64];
		const struct sw_action *ac = &p->actions[a];
		if (ac->args_len > sizeof(args))
			return ld_fail(ld, w2, "action data too wide");
		memset(args, 0, ac->args_len);
		json_t *ad = json_object_get(de, "action_data");
		char w3[W_MAX];
		ld_path(w3, "%s.action_data", w2);
		if ((r = action_data(ld, ac, ad, w3, args)))
			return r;
		if ((r = sw_tbl_set_default(p, tb, (uint32_t)a, args, ld->err)))
			return p4l_err_prefix(ld->err, "%s: %s", p->file, w2);
		tb->def_const = json_is_true(json_object_get(de, "action_const"));
		tb->info.const_default = tb->def_const;
	}
	json_t *ents = json_object_get(t, "entries"), *e;
	size_t i;
	if (ents && !json_is_array(ents))
		return ld_fail(ld, w, "\"entries\" must be an array");
	if (ents) json_array_foreach(ents, i, e) {
		ld_path(w2, "%s.entries[%zu]", w, i);
		json_t *mk = ld_member(ld, e, "match_key", JSON_ARRAY, w2, &r);
		json_t *ae = mk ? ld_member(ld, e, "action_entry", JSON_OBJECT, w2, &r) : NULL;
		json_t *aid = ae ? ld_member(ld, ae, "action_id", JSON_INTEGER, w2, &r) : NULL;
		if (!aid)
			return r;
		if (json_array_size(mk) != tb->n_keys)
			return ld_fail(ld, w2, "%zu match keys for a table with %zu keys",
				    json_array_size(mk), tb->n_keys);
		uint8_t val[SW_MAX_KEY_BYTES] = { 0 }, mask[SW_MAX_KEY_BYTES];
		memset(mask, 0xff, sizeof(mask));
		int32_t prio = 0;
		for (size_t j = 0; j < tb->n_keys; j++) {
			const struct sw_key_part *kp = &tb->keys[j];
			json_t *m = json_array_get(mk, j), *kv = json_object_get(m, "key");
			char w3[W_MAX];
			bool neg;
			ld_path(w3, "%s.match_key[%zu]", w2, j);
			if (kp->info.kind == SW_MATCH_VALID) {
				val[kp->off] = json_is_true(kv);
				continue;
			}
			if (kp->info.kind == SW_MATCH_RANGE) {
				/* low bound in the value bytes, high bound in the mask bytes */
				json_t *st = json_object_get(m, "start"), *en = json_object_get(m, "end");
				if (!json_is_string(st) || !json_is_string(en) ||
				    ld_hex_bytes(json_string_value(st), val + kp->off, kp->nbytes, &neg) < 0 ||
				    neg || ld_hex_bytes(json_string_value(en), mask + kp->off, kp->nbytes,
							&neg) < 0 || neg)
					return ld_fail(ld, w3, "a range needs \"start\" and \"end\", hex "
						    "strings of %u bytes", kp->nbytes);
				continue;
			}
			if (!json_is_string(kv) || ld_hex_bytes(json_string_value(kv), val + kp->off,
								 kp->nbytes, &neg) < 0 || neg)
				return ld_fail(ld, w3, "\"key\" must be a hex string of %u bytes", kp->nbytes);
			if (kp->info.kind == SW_MATCH_LPM) {
				json_t *pl = json_object_get(m, "prefix_length");
				if (!json_is_integer(pl) || json_integer_value(pl) < 0 ||
				    json_integer_value(pl) > kp->f.width)
					return ld_fail(ld, w3, "\"prefix_length\" must be 0..%u", kp->f.width);
				sw_prefix_mask(mask + kp->off, kp->nbytes, kp->f.width,
					       (uint32_t)json_integer_value(pl));
				if (tb->kind == SW_MATCH_LPM)
					prio = (int32_t)json_integer_value(pl);
			} else if (kp->info.kind == SW_MATCH_OPTIONAL) {
				json_t *mv = json_object_get(m, "mask");
				if (mv && (!json_is_string(mv) || ld_hex_bytes(json_string_value(mv),
						mask + kp->off, kp->nbytes, &neg) < 0 || neg))
					return ld_fail(ld, w3, "\"mask\" must be a hex string of %u bytes",
						    kp->nbytes);
			} else if (kp->info.kind == SW_MATCH_TERNARY) {
				json_t *mv = json_object_get(m, "mask");
				if (!json_is_string(mv) || ld_hex_bytes(json_string_value(mv), mask + kp->off,
									 kp->nbytes, &neg) < 0 || neg)
					return ld_fail(ld, w3, "\"mask\" must be a hex string of %u bytes",
						    kp->nbytes);
			}
		}
		if (tb->kind == SW_MATCH_TERNARY) {
			json_t *pr = json_object_get(e, "priority");
			/* BMv2: a lower number is a higher priority; ours is the reverse. */
			prio = json_is_integer(pr) ? -(int32_t)json_integer_value(pr) : -(int32_t)i;
		}
		int a = ld_action_by_id(p, json_integer_value(aid));
		if (a < 0)
			return ld_fail(ld, w2, "no action with id %lld", (long long)json_integer_value(aid));
		uint8_t args[4096];
		if (p->actions[a].args_len > sizeof(args))
			return ld_fail(ld, w2, "action data too wide");
		memset(args, 0, p->actions[a].args_len);
		char w3[W_MAX];
		ld_path(w3, "%s.action_entry.action_data", w2);
		if ((r = action_data(ld, &p->actions[a], json_object_get(ae, "action_data"), w3, args)))
			return r;
		if ((r = sw_tbl_insert(p, tb, val, mask, prio, (uint32_t)a, args, ld->err)))
			return p4l_err_prefix(ld->err, "%s: %s", p->file, w2);
	}
	if (ents && json_array_size(ents)) {
		tb->immutable = true;
		tb->info.immutable = true;
	}
	return 0;
}

static int load_pipeline(struct ld *ld, json_t *pl, size_t pi, uint32_t *init)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	char w[W_MAX], w2[W_MAX];
	ld_path(w, "pipelines[%zu]", pi);
	json_t *tables = ld_member(ld, pl, "tables", JSON_ARRAY, w, &r), *t;
	json_t *conds = tables ? ld_opt_array(ld, pl, "conditionals", w, &r) : NULL, *c;
	json_t *calls = r ? NULL : ld_opt_array(ld, pl, "action_calls", w, &r);
	json_t *profiles = r ? NULL : ld_opt_array(ld, pl, "action_profiles", w, &r);
	size_t i, first = p->n_nodes, ft = p->n_tables;
	if (r || !tables)
		return r;
	if (profiles) json_array_foreach(profiles, i, t) {
		ld_path(w2, "%s.action_profiles[%zu]", w, i);
		if ((r = load_profile(ld, t, w2)))
			return r;
	}
	json_array_foreach(tables, i, t) {
		ld_path(w2, "%s.tables[%zu]", w, i);
		struct sw_table *tb = &p->tables[p->n_tables++];
		if ((r = load_table(ld, t, w2, tb, first)))
			return r;
		p->nodes[p->n_nodes++] = (struct sw_node){ .kind = SW_N_TABLE,
			.idx = (uint32_t)(p->n_tables - 1), .name = tb->name };
	}
	if (conds) json_array_foreach(conds, i, c) {
		ld_path(w2, "%s.conditionals[%zu]", w, i);
		const char *name = ld_str(ld, c, "name", w2, &r);
		if (!name)
			return r;
		struct sw_node *n = &p->nodes[p->n_nodes++];
		n->kind = SW_N_COND;
		n->name = ld_dup(ld, name, &r);
		if (r)
			return r;
	}
	if (calls) json_array_foreach(calls, i, c) {
		ld_path(w2, "%s.action_calls[%zu]", w, i);
		const char *name = ld_str(ld, c, "name", w2, &r);
		json_t *aid = name ? ld_member(ld, c, "action_id", JSON_INTEGER, w2, &r) : NULL;
		if (!aid)
			return r;
		int a = ld_action_by_id(p, json_integer_value(aid));
		if (a < 0)
			return ld_fail(ld, w2, "no action with id %lld", (long long)json_integer_value(aid));
		if (p->actions[a].n_params)
			return ld_fail(ld, w2, "an action call cannot take parameters");
		struct sw_node *n = &p->nodes[p->n_nodes++];
		n->kind = SW_N_CALL;
		n->idx = (uint32_t)a;
		n->name = ld_dup(ld, name, &r);
		if (r)
			return r;
	}
	json_array_foreach(tables, i, t) {
		ld_path(w2, "%s.tables[%zu]", w, i);
		if ((r = link_table(ld, t, w2, &p->tables[ft + i], first)))
			return r;
	}
	size_t base = first + json_array_size(tables);
	if (conds) json_array_foreach(conds, i, c) {
		struct sw_node *n = &p->nodes[base + i];
		char w3[W_MAX];
		ld_path(w2, "%s.conditionals[%zu]", w, i);
		ld_path(w3, "%s.expression", w2);
		json_t *e = json_object_get(c, "expression");
		if (!e)
			return ld_fail(ld, w2, "\"expression\" is missing");
		uint32_t x;
		if ((r = ld_expr(ld, NULL, e, w3, &x)))
			return r;
		p->nodes[base + i].expr = x;
		ld_path(w3, "%s.true_next", w2);
		if ((r = node_by_name(ld, first, json_object_get(c, "true_next"), w3, &n->next_t)))
			return r;
		ld_path(w3, "%s.false_next", w2);
		if ((r = node_by_name(ld, first, json_object_get(c, "false_next"), w3, &n->next_f)))
			return r;
	}
	base += conds ? json_array_size(conds) : 0;
	if (calls) json_array_foreach(calls, i, c) {
		ld_path(w2, "%s.action_calls[%zu].next_node", w, i);
		if ((r = node_by_name(ld, first, json_object_get(c, "next_node"), w2,
				      &p->nodes[base + i].next_t)))
			return r;
	}
	ld_path(w2, "%s.init_table", w);
	return node_by_name(ld, first, json_object_get(pl, "init_table"), w2, init);
}

int ld_pipelines(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *pls = ld_member(ld, root, "pipelines", JSON_ARRAY, "(top)", &r), *pl;
	size_t i, nt = 0, nn = 0;
	p->ingress = p->egress = SW_NONE;
	if (!pls)
		return r;
	json_array_foreach(pls, i, pl) {
		json_t *a;
		nt += (a = json_object_get(pl, "tables")) ? json_array_size(a) : 0;
		nn += (a = json_object_get(pl, "conditionals")) ? json_array_size(a) : 0;
		nn += (a = json_object_get(pl, "action_calls")) ? json_array_size(a) : 0;
	}
	p->tables = calloc(nt + 1, sizeof(*p->tables));
	p->nodes = calloc(nt + nn + 1, sizeof(*p->nodes));
	if (!p->tables || !p->nodes)
		return ld_oom(ld);
	bool seen_in = false, seen_eg = false;
	json_array_foreach(pls, i, pl) {
		char w[W_MAX];
		ld_path(w, "pipelines[%zu]", i);
		const char *name = ld_str(ld, pl, "name", w, &r);
		if (!name)
			return r;
		uint32_t init;
		if ((r = load_pipeline(ld, pl, i, &init)))
			return r;
		if (!strcmp(name, "ingress") && !seen_in) {
			p->ingress = init, seen_in = true;
		} else if (!strcmp(name, "egress") && !seen_eg) {
			p->egress = init, seen_eg = true;
		} else if (!seen_in && i == 0) {
			p->ingress = init, seen_in = true;
		} else if (!seen_eg && i == 1) {
			p->egress = init, seen_eg = true;
		} else {
			return ld_fail(ld, w, "pipeline \"%s\" is neither ingress nor egress", name);
		}
	}
	return 0;
}

/* ---- checksums ----------------------------------------------------------- */

/* The SW_ALGO_ of an algorithm's name, or a negative errno. */
static int algo_index(struct ld *ld, const char *algo, const char *w)
{
	static const char *const algos[SW_ALGO_COUNT] = {
#define X(e, s) s,
		SW_ALGOS(X)
#undef X
	};
	for (int a = 0; a < SW_ALGO_COUNT; a++)
		if (!strcmp(algos[a], algo))
			return a;
	return ld_fail(ld, w, "algorithm \"%s\" is not supported (csum16, crc16, crc32, "
		       "identity, xor16, crc16_custom, crc32_custom and random are)", algo);
}

/* Fills cl from a calculation's algorithm name and "input" list at w. */
static int calc_fill(struct ld *ld, struct sw_calc *cl, const char *algo, const char *name,
		     json_t *in, const char *w)
{
	struct sw_plan *p = ld->p;
	char w2[W_MAX];
	json_t *x;
	int r = 0, a = algo_index(ld, algo, w);
	if (a < 0)
		return a;
	cl->algo = (uint8_t)a;
	/* the _custom CRCs start as crc16 / crc32, as in BMv2 */
	cl->crc = a == SW_ALGO_CRC16_CUSTOM ? (struct sw_crc){ 0x8005, 0, 0, true, true } :
		  (struct sw_crc){ 0x04c11db7, 0xffffffff, 0xffffffff, true, true };
	cl->name = ld_dup(ld, name, &r);
	cl->in = calloc(json_array_size(in) + 1, sizeof(*cl->in));
	if (r || !cl->in)
		return r ? r : ld_oom(ld);
	uint32_t bits = 0;
	size_t j;
	json_array_foreach(in, j, x) {
		struct sw_calc_in *ci = &cl->in[cl->n_in++];
		const char *t = ld_tv_type(x);
		json_t *v = json_object_get(x, "value");
		bool isv;
		ld_path(w2, "%s.input[%zu]", w, j);
		if (!strcmp(t, "field")) {
			struct sw_fref f;
			if ((r = ld_field_ref(ld, v, w2, &f, &isv)))
				return r;
			if (isv)
				return ld_fail(ld, w2, "$valid$ cannot be a checksum input");
			ci->kind = SW_CI_BITS;
			ci->w = (struct sw_wide){ SW_SRC_PHV, f.bit, f.width };
			ci->hdr = f.hdr;
		} else if (!strcmp(t, "header")) {
			int h = json_is_string(v) ? ld_find_header(p, json_string_value(v)) : -1;
			if (h < 0)
				return ld_fail(ld, w2, "no header instance named \"%s\"",
					    json_is_string(v) ? json_string_value(v) : "?");
			ci->kind = SW_CI_BITS;
			ci->w = (struct sw_wide){ SW_SRC_PHV, p->headers[h].off * 8,
						  p->headers[h].nbits };
			ci->hdr = (uint32_t)h;
		} else if (!strcmp(t, "hexstr")) {
			json_t *bw = json_object_get(x, "bitwidth");
			if (!json_is_string(v) || !json_is_integer(bw) || json_integer_value(bw) <= 0)
				return ld_fail(ld, w2, "a hexstr input needs \"value\" and \"bitwidth\"");
			uint32_t width = (uint32_t)json_integer_value(bw), nb = (width + 7) / 8, off;
			if ((r = ld_pool_hex(ld, json_string_value(v), nb, w2, &off)))
				return r;
			ci->kind = SW_CI_BITS;
			ci->w = (struct sw_wide){ SW_SRC_CONST, off * 8 + nb * 8 - width, width };
			ci->hdr = SW_NONE;
		} else if (!strcmp(t, "payload")) {
			if (j + 1 != json_array_size(in))
				return ld_fail(ld, w2, "\"payload\" must be the last input");
			ci->kind = SW_CI_PAYLOAD;
			ci->hdr = SW_NONE;
			/* Headers after the last one the other inputs use, then the payload. */
			uint32_t last = 0;
			bool any = false;
			for (size_t q = 0; q + 1 < cl->n_in; q++)
				for (size_t d = 0; d < p->n_deparse; d++)
					if (cl->in[q].hdr != SW_NONE && p->deparse[d] == cl->in[q].hdr &&
					    (!any || d >= last))
						last = (uint32_t)d, any = true;
			ci->w = (struct sw_wide){ 0, any ? last + 1 : 0, 0 };
			for (size_t d = ci->w.bit; d < p->n_deparse; d++)
				bits += p->headers[p->deparse[d]].nbytes * 8;
			bits += SW_MAX_PKT * 8;
		} else {
			return ld_fail(ld, w2, "input type \"%s\" is not supported", t);
		}
		bits += ci->w.width;
		/* Fields that follow each other in one header are one copy
		 * (the IPv4 checksum's inputs become two). */
		if (cl->n_in >= 2 && ci->kind == SW_CI_BITS) {
			struct sw_calc_in *prev = &cl->in[cl->n_in - 2];
			if (prev->kind == SW_CI_BITS && prev->hdr == ci->hdr && prev->hdr != SW_NONE &&
			    prev->w.src == ci->w.src && prev->w.bit + prev->w.width == ci->w.bit) {
				prev->w.width += ci->w.width;
				cl->n_in--;
			}
		}
	}
	cl->max_bytes = (bits + 7) / 8;
	if (cl->max_bytes > p->max_calc)
		p->max_calc = cl->max_bytes;
	return 0;
}

int ld_calcs(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *cs, *c;
	size_t i;
	if (!(p->calcs = ld_top_list(ld, root, "calculations", sizeof(*p->calcs), &cs, &r)))
		return r;
	json_array_foreach(cs, i, c) {
		char w[W_MAX];
		ld_path(w, "calculations[%zu]", i);
		const char *name = ld_str(ld, c, "name", w, &r);
		const char *algo = name ? ld_str(ld, c, "algo", w, &r) : NULL;
		json_t *in = algo ? ld_member(ld, c, "input", JSON_ARRAY, w, &r) : NULL;
		if (!in)
			return r;
		if ((r = calc_fill(ld, &p->calcs[p->n_calcs++], algo, name, in, w)))
			return r;
	}
	return 0;
}

int ld_checksums(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *cs, *c;
	size_t i;
	if (!(p->checksums = ld_top_list(ld, root, "checksums", sizeof(*p->checksums), &cs, &r)))
		return r;
	json_array_foreach(cs, i, c) {
		char w[W_MAX], w2[W_MAX];
		bool isv;
		ld_path(w, "checksums[%zu]", i);
		const char *name = ld_str(ld, c, "name", w, &r);
		const char *calc = name ? ld_str(ld, c, "calculation", w, &r) : NULL;
		if (!calc)
			return r;
		struct sw_checksum *ck = &p->checksums[p->n_checksums++];
		ck->name = ld_dup(ld, name, &r);
		if (r)
			return r;
		ld_path(w2, "%s.target", w);
		if ((r = ld_field_ref(ld, json_object_get(c, "target"), w2, &ck->target, &isv)))
			return r;
		if (isv || ck->target.width > 64)
			return ld_fail(ld, w2, "a checksum target must be a field of at most 64 bits");
		size_t j;
		for (j = 0; j < p->n_calcs; j++)
			if (!strcmp(p->calcs[j].name, calc))
				break;
		if (j == p->n_calcs)
			return ld_fail(ld, w, "no calculation named \"%s\"", calc);
		ck->calc = (uint32_t)j;
		json_t *v = json_object_get(c, "verify"), *u = json_object_get(c, "update");
		ck->verify = !v || json_is_true(v);
		ck->update = !u || json_is_true(u);
		ck->cond = SW_NONE;
		json_t *cond = json_object_get(c, "if_cond");
		ld_path(w2, "%s.if_cond", w);
		if (cond && !json_is_null(cond) && (r = ld_expr(ld, NULL, cond, w2, &ck->cond)))
			return r;
		if (ck->verify && !p->std.has_checksum_error)
			return ld_fail(ld, w, "verifying needs standard_metadata.checksum_error");
	}
	return 0;
}

/* ---- counters and registers ---------------------------------------------- */

/* A counter, register or meter array's "size": 1 to 2^24 cells. */
static int cells(struct ld *ld, json_t *c, const char *w, uint32_t *size)
{
	int r = 0;
	json_t *sz = ld_member(ld, c, "size", JSON_INTEGER, w, &r);
	if (!sz)
		return r;
	if (json_integer_value(sz) <= 0 || json_integer_value(sz) > (1 << 24))
		return ld_fail(ld, w, "size must be between 1 and %d", 1 << 24);
	*size = (uint32_t)json_integer_value(sz);
	return 0;
}

int ld_stateful(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *cs = ld_opt_array(ld, root, "counter_arrays", "(top)", &r), *c;
	json_t *rs = r ? NULL : ld_opt_array(ld, root, "register_arrays", "(top)", &r);
	json_t *ms = r ? NULL : ld_opt_array(ld, root, "meter_arrays", "(top)", &r);
	size_t i;
	if (r)
		return r;
	p->counters = calloc((cs ? json_array_size(cs) : 0) + 1, sizeof(*p->counters));
	p->registers = calloc((rs ? json_array_size(rs) : 0) + 1, sizeof(*p->registers));
	p->meters = calloc((ms ? json_array_size(ms) : 0) + 1, sizeof(*p->meters));
	if (!p->counters || !p->registers || !p->meters)
		return ld_oom(ld);
	if (ms) json_array_foreach(ms, i, c) {
		char w[W_MAX];
		ld_path(w, "meter_arrays[%zu]", i);
		const char *name = ld_str(ld, c, "name", w, &r);
		uint32_t size = 0;
		if (!name || (r = cells(ld, c, w, &size)))
			return r;
		const char *type = ld_str(ld, c, "type", w, &r);
		if (!type)
			return r;
		json_t *rc = json_object_get(c, "rate_count");
		if (rc && json_integer_value(rc) != 2)
			return ld_fail(ld, w, "only two-rate meters are supported");
		if (strcmp(type, "bytes") && strcmp(type, "packets"))
			return ld_fail(ld, w, "type must be \"bytes\" or \"packets\"");
		if (json_is_true(json_object_get(c, "is_direct")))
			continue;  /* bound to its table by ld_direct_meters */
		struct sw_meter *m = &p->meters[p->n_meters++];
		m->name = ld_dup(ld, name, &r);
		m->size = size;
		m->bytes = !strcmp(type, "bytes");
		m->cells = calloc(m->size, sizeof(*m->cells));
		if (r || !m->cells)
			return r ? r : ld_oom(ld);
	}
	if (cs) json_array_foreach(cs, i, c) {
		char w[W_MAX];
		ld_path(w, "counter_arrays[%zu]", i);
		const char *name = ld_str(ld, c, "name", w, &r);
		if (!name)
			return r;
		if (json_is_true(json_object_get(c, "is_direct")))
			continue;  /* bound to its table by ld_direct_counters */
		uint32_t size = 0;
		if ((r = cells(ld, c, w, &size)))
			return r;
		struct sw_counter *ct = &p->counters[p->n_counters++];
		ct->name = ld_dup(ld, name, &r);
		ct->size = size;
		ct->packets = calloc(ct->size, sizeof(uint64_t));
		ct->bytes = calloc(ct->size, sizeof(uint64_t));
		if (r || !ct->packets || !ct->bytes)
			return r ? r : ld_oom(ld);
	}
	if (rs) json_array_foreach(rs, i, c) {
		char w[W_MAX];
		ld_path(w, "register_arrays[%zu]", i);
		const char *name = ld_str(ld, c, "name", w, &r);
		uint32_t size = 0;
		if (!name || (r = cells(ld, c, w, &size)))
			return r;
		json_t *bw = ld_member(ld, c, "bitwidth", JSON_INTEGER, w, &r);
		if (!bw)
			return r;
		if (json_integer_value(bw) <= 0 || json_integer_value(bw) > 64)
			return ld_fail(ld, w, "registers wider than 64 bits are not supported");
		struct sw_register *rg = &p->registers[p->n_registers++];
		rg->name = ld_dup(ld, name, &r);
		rg->size = size;
		rg->width = (uint32_t)json_integer_value(bw);
		rg->cells = calloc(rg->size, sizeof(uint64_t));
		if (r || !rg->cells)
			return r ? r : ld_oom(ld);
	}
	return 0;
}

/* The table a direct counter's or meter's "binding" names; NULL with *r set. */
static struct sw_table *binding(struct ld *ld, json_t *c, const char *w, const char *what, int *r)
{
	const char *b = ld_str(ld, c, "binding", w, r);
	for (size_t t = 0; b && t < ld->p->n_tables; t++)
		if (!strcmp(ld->p->tables[t].name, b))
			return &ld->p->tables[t];
	if (b)
		*r = ld_fail(ld, w, "direct %s bound to \"%s\", which is no table", what, b);
	return NULL;
}

/* Direct meters: {"is_direct": true, "binding": TABLE, "result_target":
 * FIELD}; the table's "direct_meters" names it. */
int ld_direct_meters(struct ld *ld, json_t *root)
{
	json_t *ms = json_object_get(root, "meter_arrays"), *c;
	size_t i;
	if (!json_is_array(ms))
		return 0;
	json_array_foreach(ms, i, c) {
		if (!json_is_true(json_object_get(c, "is_direct")))
			continue;
		char w[W_MAX], w2[W_MAX];
		int r = 0;
		bool isv;
		ld_path(w, "meter_arrays[%zu]", i);
		struct sw_table *tb = binding(ld, c, w, "meter", &r);
		json_t *rt = tb ? ld_member(ld, c, "result_target", JSON_ARRAY, w, &r) : NULL;
		if (!rt)
			return r;
		if (tb->metered)
			return ld_fail(ld, w, "table %s has two direct meters", tb->name);
		ld_path(w2, "%s.result_target", w);
		if ((r = ld_field_ref(ld, rt, w2, &tb->meter_target, &isv)))
			return r;
		if (isv || tb->meter_target.width < 2 || tb->meter_target.width > 64)
			return ld_fail(ld, w2, "the colour goes in a field of 2 to 64 bits");
		tb->metered = true;
		tb->meter_bytes = !strcmp(json_string_value(json_object_get(c, "type")), "bytes");
	}
	return 0;
}

int ld_direct_counters(struct ld *ld, json_t *root)
{
	json_t *cs = json_object_get(root, "counter_arrays"), *c;
	size_t i;
	if (!json_is_array(cs))
		return 0;
	json_array_foreach(cs, i, c) {
		if (!json_is_true(json_object_get(c, "is_direct")))
			continue;
		char w[W_MAX];
		int r = 0;
		ld_path(w, "counter_arrays[%zu]", i);
		struct sw_table *tb = binding(ld, c, w, "counter", &r);
		if (!tb)
			return r;
		tb->counted = true;
	}
	return 0;
}
