/* pipeline.c - one forwarding pipeline of the P4Runtime server: the switch
 * built from its BMv2 JSON, the P4Info IDs mapped onto the switch's indices,
 * and the table entries the controller wrote (kept in canonical form for
 * Read and for telling INSERT from MODIFY).
 *
 * P4Info and BMv2 JSON name tables and actions alike ("MyIngress.t"); key
 * fields and action parameters agree by position.  A table's entries live in
 * a hash map keyed by the entry's identity: every match field at its full
 * width (present flag, value, mask) and the priority.  Called by server.c. */
#include "server_int.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MT(x) P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__##x

struct field {
	uint32_t id;
	int kind;                  /* P4Info match type */
	uint32_t width, nbytes;
	size_t off;                /* in the identity key: flag, value, mask */
};

struct ent {
	uint8_t *key;              /* NULL: free slot */
	uint8_t *entity;           /* packed p4.v1.Entity, canonical */
	size_t len;
	uint32_t hash;
	uint8_t ref;               /* indirect tables: 1 member, 2 group (ref_id) */
	bool oneshot;              /* ref_id is the hidden group of a one-shot set */
	uint32_t ref_id;
	struct aging *aging;       /* tables with idle timeouts */
};

/* An entry's idle timeout: when it was last seen hit, and its key as the
 * switch's views show it (to tell it among the hits). */
struct aging {
	int64_t timeout_ns, last_ns;
	bool notified;
	int32_t vprio;
	size_t len;
	uint8_t ident[];
};

struct ptable {
	const P4__Config__V1__Table *pi;
	size_t sw;
	size_t nf;
	struct field *f;
	size_t key_len;
	bool needs_prio;
	struct ent *slots;
	size_t cap, n;
	uint8_t *def, *init_def;   /* packed Entity of the default entry, now and at load */
	size_t def_len, init_def_len;
	const P4__Config__V1__ActionProfile *prof;   /* indirect tables */
	bool counter, meter;       /* has a direct counter, meter */
	bool aging;                /* supports idle timeouts (NOTIFY_CONTROL) */
	int counter_unit;
	size_t act_ref[2];         /* the switch's hidden member and group actions */
	uint8_t def_ref;           /* the default entry names: 1 member, 2 group, */
	bool def_oneshot;          /* or a one-shot set's hidden group (def_ref_id) */
	uint32_t def_ref_id;
};

struct paction {
	const P4__Config__V1__Action *pi;
	size_t sw;
};

struct p4rts_pipe {
	P4__Config__V1__P4Info *info;
	uint8_t *json;
	size_t json_len;
	bool has_cookie;
	uint64_t cookie;
	struct sw_switch *sw;
	struct ptable *t;
	size_t nt;
	struct paction *a;
	size_t na;
	struct p4rts_pre *pre;
	struct p4rts_digests *digests;
	struct p4rts_profiles *profiles;
};

int p4rts_st(struct p4rts_status *st, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	st->code = code;
	vsnprintf(st->msg, sizeof(st->msg), fmt, ap);
	va_end(ap);
	return -1;
}

struct sw_switch *p4rts_pipe_switch(const struct p4rts_pipe *p) { return p->sw; }
struct p4rts_pre **p4rts_pipe_pre(struct p4rts_pipe *p) { return &p->pre; }
struct p4rts_digests **p4rts_pipe_digests(struct p4rts_pipe *p) { return &p->digests; }
struct p4rts_profiles **p4rts_pipe_profiles(struct p4rts_pipe *p) { return &p->profiles; }
const P4__Config__V1__P4Info *p4rts_pipe_p4info(const struct p4rts_pipe *p) { return p->info; }

void p4rts_pipe_json(const struct p4rts_pipe *p, const uint8_t **json, size_t *len)
{
	*json = p->json;
	*len = p->json_len;
}

void p4rts_pipe_cookie(const struct p4rts_pipe *p, bool *has, uint64_t *cookie)
{
	*has = p->has_cookie;
	*cookie = p->cookie;
}

void p4rts_pipe_set_cookie(struct p4rts_pipe *p, bool has, uint64_t cookie)
{
	p->has_cookie = has;
	p->cookie = cookie;
}

/* ---- the entry map ------------------------------------------------------------ */

static uint32_t hash_key(const uint8_t *k, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ k[i]) * 16777619u;
	return h;
}

static struct ent *map_find(const struct ptable *t, const uint8_t *key, uint32_t h)
{
	if (!t->cap)
		return NULL;
	for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		struct ent *e = &t->slots[i];
		if (!e->key)
			return NULL;
		if (e->hash == h && !memcmp(e->key, key, t->key_len))
			return e;
	}
}

static int map_grow(struct ptable *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64;
	struct ent *s = calloc(cap, sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < t->cap; i++) {
		struct ent *e = &t->slots[i];
		if (!e->key)
			continue;
		size_t j = e->hash & (cap - 1);
		while (s[j].key)
			j = (j + 1) & (cap - 1);
		s[j] = *e;
	}
	free(t->slots);
	t->slots = s;
	t->cap = cap;
	return 0;
}

/* Takes key and entity; the new entry or NULL (out of memory). */
static struct ent *map_put(struct ptable *t, uint8_t *key, uint32_t h, uint8_t *entity,
			   size_t len)
{
	if ((t->n + 1) * 2 > t->cap && map_grow(t) < 0)
		return NULL;
	size_t i = h & (t->cap - 1);
	while (t->slots[i].key)
		i = (i + 1) & (t->cap - 1);
	t->slots[i] = (struct ent){ .key = key, .entity = entity, .len = len, .hash = h };
	t->n++;
	return &t->slots[i];
}

/* Linear probing without tombstones: later entries of the run move back. */
static void map_del(struct ptable *t, struct ent *e)
{
	size_t mask = t->cap - 1, i = (size_t)(e - t->slots);
	free(e->key);
	free(e->entity);
	free(e->aging);
	t->slots[i] = (struct ent){ 0 };
	t->n--;
	for (size_t j = (i + 1) & mask; t->slots[j].key; j = (j + 1) & mask) {
		size_t home = t->slots[j].hash & mask;
		/* j's entry may fill the hole at i when home is not in (i, j]. */
		bool between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!between) {
			t->slots[i] = t->slots[j];
			t->slots[j] = (struct ent){ 0 };
			i = j;
		}
	}
}

/* ---- building ------------------------------------------------------------------- */

static void free_table(struct ptable *t)
{
	for (size_t i = 0; i < t->cap; i++) {
		free(t->slots[i].key);
		free(t->slots[i].entity);
		free(t->slots[i].aging);
	}
	free(t->slots);
	free(t->f);
	free(t->def);
	free(t->init_def);
}

void p4rts_pipe_free(struct p4rts_pipe *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nt; i++)
		free_table(&p->t[i]);
	free(p->t);
	free(p->a);
	p4rts_pre_free(p->pre);
	p4rts_digests_free(p->digests);
	p4rts_profiles_free(p->profiles);
	sw_destroy(p->sw);
	free(p->json);
	if (p->info)
		p4__config__v1__p4_info__free_unpacked(p->info, NULL);
	free(p);
}

static struct ptable *find_table(const struct p4rts_pipe *p, uint32_t id)
{
	for (size_t i = 0; i < p->nt; i++)
		if (p->t[i].pi->preamble->id == id)
			return &p->t[i];
	return NULL;
}

static struct paction *find_action(const struct p4rts_pipe *p, uint32_t id)
{
	for (size_t i = 0; i < p->na; i++)
		if (p->a[i].pi->preamble->id == id)
			return &p->a[i];
	return NULL;
}

static int map_action(struct p4rts_pipe *p, struct paction *a, struct p4rts_status *st)
{
	const char *name = a->pi->preamble ? a->pi->preamble->name : NULL;
	if (!name)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "P4Info: an action has no preamble");
	for (size_t i = 0; i < sw_action_count(p->sw); i++) {
		const struct sw_action_info *ai = sw_action_get(p->sw, i);
		if (strcmp(ai->name, name))
			continue;
		if (ai->n_params != a->pi->n_params)
			return p4rts_st(st, P4RT_INVALID_ARGUMENT,
					"P4Info action %s has %zu parameters, the device config's %zu",
					name, a->pi->n_params, ai->n_params);
		for (size_t k = 0; k < ai->n_params; k++)
			if ((uint32_t)a->pi->params[k]->bitwidth != ai->params[k].width)
				return p4rts_st(st, P4RT_INVALID_ARGUMENT,
						"P4Info action %s parameter %s is %d bits wide, "
						"the device config's %u", name, a->pi->params[k]->name,
						a->pi->params[k]->bitwidth, ai->params[k].width);
		a->sw = i;
		return 0;
	}
	return p4rts_st(st, P4RT_INVALID_ARGUMENT,
			"P4Info action %s is not in the device config", name);
}

/* The P4Info match type of a switch key kind served here (-1: none). */
static int p4info_kind(enum sw_match_kind k)
{
	switch (k) {
	case SW_MATCH_EXACT: return MT(EXACT);
	case SW_MATCH_LPM: return MT(LPM);
	case SW_MATCH_TERNARY: return MT(TERNARY);
	case SW_MATCH_RANGE: return MT(RANGE);
	case SW_MATCH_OPTIONAL: return MT(OPTIONAL);
	default: return -1;
	}
}

static int map_table(struct p4rts_pipe *p, struct ptable *t, struct p4rts_status *st)
{
	const P4__Config__V1__Table *pi = t->pi;
	const char *name = pi->preamble ? pi->preamble->name : NULL;
	struct p4l_err err = { 0 };
	if (!name)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "P4Info: a table has no preamble");
	int idx = sw_table_find(p->sw, name, &err);
	if (idx < 0 || strcmp(sw_table_get(p->sw, (size_t)idx)->name, name))
		return p4rts_st(st, P4RT_INVALID_ARGUMENT,
				"P4Info table %s is not in the device config", name);
	const struct sw_table_info *si = sw_table_get(p->sw, (size_t)idx);
	t->sw = (size_t)idx;
	if (si->n_keys != pi->n_match_fields)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT,
				"P4Info table %s has %zu match fields, the device config's %zu",
				name, pi->n_match_fields, si->n_keys);
	t->nf = pi->n_match_fields;
	if (t->nf && !(t->f = calloc(t->nf, sizeof(*t->f))))
		return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	size_t off = 0;
	for (size_t i = 0; i < t->nf; i++) {
		const P4__Config__V1__MatchField *mf = pi->match_fields[i];
		struct field *f = &t->f[i];
		f->id = mf->id;
		f->kind = mf->match_case == P4__CONFIG__V1__MATCH_FIELD__MATCH_MATCH_TYPE
			? (int)mf->match_type : -1;
		f->width = (uint32_t)mf->bitwidth;
		f->nbytes = (f->width + 7) / 8;
		f->off = off;
		off += 1 + 2 * (size_t)f->nbytes;
		if (f->kind != p4info_kind(si->keys[i].kind) || f->width != si->keys[i].width)
			return p4rts_st(st, P4RT_INVALID_ARGUMENT,
					"P4Info table %s match field %s does not agree with the "
					"device config's key %s (kind or width)", name, mf->name,
					si->keys[i].name);
		if (f->kind == MT(TERNARY) || f->kind == MT(RANGE) || f->kind == MT(OPTIONAL))
			t->needs_prio = true;
	}
	t->key_len = off + 4;
	for (size_t i = 0; i < p->info->n_direct_counters; i++)
		if (p->info->direct_counters[i]->direct_table_id == pi->preamble->id) {
			t->counter = true;
			t->counter_unit = p->info->direct_counters[i]->spec
				? (int)p->info->direct_counters[i]->spec->unit : 0;
		}
	for (size_t i = 0; i < p->info->n_direct_meters; i++)
		if (p->info->direct_meters[i]->direct_table_id == pi->preamble->id)
			t->meter = true;
	if (pi->idle_timeout_behavior == P4__CONFIG__V1__TABLE__IDLE_TIMEOUT_BEHAVIOR__NOTIFY_CONTROL) {
		t->aging = true;
		sw_table_track_hits(p->sw, t->sw, true);
	}
	if (pi->implementation_id) {
		const char *prof = sw_table_profile(p->sw, t->sw);
		for (size_t i = 0; i < p->info->n_action_profiles; i++)
			if (p->info->action_profiles[i]->preamble &&
			    p->info->action_profiles[i]->preamble->id == pi->implementation_id)
				t->prof = p->info->action_profiles[i];
		if (!t->prof || !prof)
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "P4Info table %s: its "
					"implementation %u is not an action profile of %s", name,
					pi->implementation_id, t->prof ? "the device config" :
					"the P4Info");
		for (size_t i = 0; i < sw_action_count(p->sw); i++) {
			const char *an = sw_action_get(p->sw, i)->name;
			int ref = sw_action_ref(p->sw, i);
			size_t pl = strlen(prof);
			if (ref && !strncmp(an, prof, pl) && an[pl] == '$')
				t->act_ref[ref - 1] = i;
		}
	}
	return 0;
}

/* The initial default entry from the JSON's default_entry, as a packed Entity. */
static int json_defaults(struct p4rts_pipe *p, struct p4rts_status *st)
{
	json_error_t je;
	json_t *root = json_loadb((const char *)p->json, p->json_len, 0, &je), *pl, *tb;
	size_t i, j;
	if (!root)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "device config: line %d: %s", je.line,
				je.text);
	json_array_foreach(json_object_get(root, "pipelines"), i, pl) {
		json_array_foreach(json_object_get(pl, "tables"), j, tb) {
			const char *name = json_string_value(json_object_get(tb, "name"));
			json_t *de = json_object_get(tb, "default_entry");
			struct ptable *t = NULL;
			for (size_t k = 0; name && k < p->nt; k++)
				if (!strcmp(p->t[k].pi->preamble->name, name))
					t = &p->t[k];
			if (!t || !de)
				continue;
			json_int_t bid = json_integer_value(json_object_get(de, "action_id"));
			json_t *data = json_object_get(de, "action_data");
			struct paction *a = NULL;
			for (size_t k = 0; k < p->na; k++)
				if (sw_action_get(p->sw, p->a[k].sw)->id == bid)
					a = &p->a[k];
			if (!a || json_array_size(data) != a->pi->n_params)
				continue;   /* an action P4Info does not show: nothing to read back */
			size_t np = a->pi->n_params;
			P4__V1__Action__Param pv[np ? np : 1], *pp[np ? np : 1];
			uint8_t buf[np ? np : 1][64];
			for (size_t k = 0; k < np; k++) {
				const char *hex = json_string_value(json_array_get(data, k));
				size_t sl = hex ? strlen(hex) : 0, n = 0;
				if (hex && sl > 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
					hex += 2, sl -= 2;
				uint8_t v[64] = { 0 };
				for (size_t c = 0; c < sl && c < 128; c++) {
					unsigned d;
					if (sscanf(hex + sl - 1 - c, "%1x", &d) != 1)
						break;
					v[63 - c / 2] |= (uint8_t)(d << (c % 2 ? 4 : 0));
				}
				while (n < 63 && !v[n])
					n++;
				memcpy(buf[k], v + n, 64 - n);
				p4__v1__action__param__init(&pv[k]);
				pv[k].param_id = a->pi->params[k]->id;
				pv[k].value = (ProtobufCBinaryData){ 64 - n, buf[k] };
				pp[k] = &pv[k];
			}
			P4__V1__Action act;
			P4__V1__TableAction ta;
			P4__V1__TableEntry te;
			P4__V1__Entity ent;
			p4__v1__action__init(&act);
			p4__v1__table_action__init(&ta);
			p4__v1__table_entry__init(&te);
			p4__v1__entity__init(&ent);
			act.action_id = a->pi->preamble->id;
			act.n_params = np;
			act.params = pp;
			ta.type_case = P4__V1__TABLE_ACTION__TYPE_ACTION;
			ta.action = &act;
			te.table_id = t->pi->preamble->id;
			te.action = &ta;
			te.is_default_action = 1;
			ent.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
			ent.table_entry = &te;
			size_t len = p4__v1__entity__get_packed_size(&ent);
			t->def = malloc(len);
			t->init_def = malloc(len);
			if (!t->def || !t->init_def) {
				json_decref(root);
				return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
			}
			p4__v1__entity__pack(&ent, t->def);
			memcpy(t->init_def, t->def, len);
			t->def_len = t->init_def_len = len;
		}
	}
	json_decref(root);
	return 0;
}

int p4rts_pipe_new(struct p4rts_pipe **out, const uint8_t *p4info, size_t p4info_len,
		   const uint8_t *json, size_t json_len, struct p4rts_status *st)
{
	struct p4rts_pipe *p = calloc(1, sizeof(*p));
	struct p4l_err err = { 0 };
	if (!p)
		return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	p->info = p4__config__v1__p4_info__unpack(NULL, p4info_len, p4info);
	if (!p->info) {
		p4rts_st(st, P4RT_INVALID_ARGUMENT, "the P4Info is not a valid p4.config.v1.P4Info");
		goto fail;
	}
	if (!json_len) {
		p4rts_st(st, P4RT_INVALID_ARGUMENT, "p4_device_config is empty (expected BMv2 JSON)");
		goto fail;
	}
	if (!(p->json = malloc(json_len + 1))) {
		p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		goto fail;
	}
	memcpy(p->json, json, json_len);
	p->json[json_len] = 0;
	p->json_len = json_len;
	if (sw_create(&p->sw, (const char *)p->json, json_len, "p4_device_config", &err) < 0) {
		p4rts_st(st, P4RT_INVALID_ARGUMENT, "%s", err.msg);
		goto fail;
	}
	p->na = p->info->n_actions;
	p->nt = p->info->n_tables;
	if ((p->na && !(p->a = calloc(p->na, sizeof(*p->a)))) ||
	    (p->nt && !(p->t = calloc(p->nt, sizeof(*p->t))))) {
		p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < p->na; i++) {
		p->a[i].pi = p->info->actions[i];
		if (map_action(p, &p->a[i], st) < 0)
			goto fail;
	}
	for (size_t i = 0; i < p->nt; i++) {
		p->t[i].pi = p->info->tables[i];
		if (map_table(p, &p->t[i], st) < 0)
			goto fail;
	}
	if (json_defaults(p, st) < 0 || p4rts_profiles_new(p, st) < 0)
		goto fail;
	*out = p;
	return 0;
fail:
	p4rts_pipe_free(p);
	return -1;
}

/* ---- values ------------------------------------------------------------------- */

/* b into nbytes right-aligned bytes; it must fit in width bits. */
static int put(const ProtobufCBinaryData *b, uint32_t width, uint32_t nbytes, uint8_t *out,
	       const char *what, struct p4rts_status *st)
{
	size_t skip = 0;
	if (!b->len)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%s: empty bytestring", what);
	while (skip < b->len && !b->data[skip])
		skip++;
	size_t n = b->len - skip;
	memset(out, 0, nbytes);
	if (n > nbytes || (n == nbytes && nbytes * 8 > width &&
			   (b->data[skip] >> (8 - (nbytes * 8 - width)))))
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%s: value does not fit in %u bits",
				what, width);
	memcpy(out + nbytes - n, b->data + skip, n);
	return 0;
}

/* The canonical bytestring of a right-aligned value: no leading zero bytes,
 * one byte for zero. */
static ProtobufCBinaryData canon(const uint8_t *v, uint32_t nbytes)
{
	uint32_t skip = 0;
	while (skip + 1 < nbytes && !v[skip])
		skip++;
	return (ProtobufCBinaryData){ nbytes - skip, (uint8_t *)v + skip };
}

/* The largest width-bit value, right-aligned in nbytes. */
static void full_range(uint8_t *m, uint32_t nbytes, uint32_t width)
{
	memset(m, 0xff, nbytes);
	if (nbytes * 8 > width)
		m[0] = (uint8_t)(0xff >> (nbytes * 8 - width));
}

static void prefix_mask(uint8_t *m, uint32_t nbytes, uint32_t width, uint32_t plen)
{
	uint32_t pad = nbytes * 8 - width;
	memset(m, 0, nbytes);
	for (uint32_t b = 0; b < plen; b++) {
		uint32_t bit = pad + b;
		m[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
	}
}

/* ---- writes ------------------------------------------------------------------- */

/* A parsed entry: identity key, switch keys, action and arguments, and the
 * canonical message to store. */
struct parsed {
	uint8_t *key;
	struct sw_key *swk;
	P4__V1__FieldMatch *fm, **fmp;
	P4__V1__FieldMatch__Exact *ex;
	P4__V1__FieldMatch__LPM *lpm;
	P4__V1__FieldMatch__Ternary *ter;
	P4__V1__FieldMatch__Range *rng;
	P4__V1__FieldMatch__Optional *opt;
	size_t n_fm;
	struct paction *act;       /* NULL when the entry names a member or group: */
	int ref;                   /* 1 member, 2 group */
	bool member;               /* parsing an action profile member's action */
	uint32_t ref_id, ref_slot;
	uint8_t *oneshot;          /* one-shot: the canonical action set, packed; */
	size_t oneshot_len;
	bool oneshot_kept;         /* its hidden group now belongs to an entry */
	uint8_t *argbuf;
	struct sw_bytes *args;
	P4__V1__Action__Param *pv, **pp;
};

static void parsed_free(struct parsed *q)
{
	free(q->oneshot);
	free(q->key);
	free(q->swk);
	free(q->fm);
	free(q->fmp);
	free(q->ex);
	free(q->lpm);
	free(q->ter);
	free(q->rng);
	free(q->opt);
	free(q->argbuf);
	free(q->args);
	free(q->pv);
	free(q->pp);
}

static int parse_match(const struct ptable *t, const P4__V1__TableEntry *te, struct parsed *q,
		       struct p4rts_status *st)
{
	const char *tn = t->pi->preamble->name;
	size_t nf = t->nf ? t->nf : 1;
	q->key = calloc(1, t->key_len);
	q->swk = calloc(nf, sizeof(*q->swk));
	q->fm = calloc(nf, sizeof(*q->fm));
	q->fmp = calloc(nf, sizeof(*q->fmp));
	q->ex = calloc(nf, sizeof(*q->ex));
	q->lpm = calloc(nf, sizeof(*q->lpm));
	q->ter = calloc(nf, sizeof(*q->ter));
	q->rng = calloc(nf, sizeof(*q->rng));
	q->opt = calloc(nf, sizeof(*q->opt));
	if (!q->key || !q->swk || !q->fm || !q->fmp || !q->ex || !q->lpm || !q->ter || !q->rng ||
	    !q->opt)
		return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < te->n_match; i++) {
		const P4__V1__FieldMatch *m = te->match[i];
		size_t k = 0;
		while (k < t->nf && t->f[k].id != m->field_id)
			k++;
		if (k == t->nf)
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s has no match field %u",
					tn, m->field_id);
		const struct field *f = &t->f[k];
		uint8_t *flag = q->key + f->off, *val = flag + 1, *mask = val + f->nbytes;
		const char *fname = t->pi->match_fields[k]->name;
		char what[300];
		snprintf(what, sizeof(what), "table %s field %s", tn, fname);
		if (*flag)
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%s: given twice", what);
		*flag = 1;
		switch (m->field_match_type_case) {
		case P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_EXACT:
			if (f->kind != MT(EXACT))
				goto kind;
			if (put(&m->exact->value, f->width, f->nbytes, val, what, st) < 0)
				return -1;
			memset(mask, 0xff, f->nbytes);
			break;
		case P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_LPM: {
			if (f->kind != MT(LPM))
				goto kind;
			int32_t pl = m->lpm->prefix_len;
			if (pl <= 0 || (uint32_t)pl > f->width)
				return p4rts_st(st, P4RT_INVALID_ARGUMENT,
						"%s: prefix length %d is not in 1..%u (a don't-care "
						"match is written by leaving the field out)", what, pl,
						f->width);
			if (put(&m->lpm->value, f->width, f->nbytes, val, what, st) < 0)
				return -1;
			prefix_mask(mask, f->nbytes, f->width, (uint32_t)pl);
			for (uint32_t b = 0; b < f->nbytes; b++)
				if (val[b] & ~mask[b])
					return p4rts_st(st, P4RT_INVALID_ARGUMENT,
							"%s: bits set beyond the /%d prefix", what, pl);
			q->swk[k].prefix_len = (uint32_t)pl;
			break;
		}
		case P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_TERNARY: {
			if (f->kind != MT(TERNARY))
				goto kind;
			if (put(&m->ternary->value, f->width, f->nbytes, val, what, st) < 0 ||
			    put(&m->ternary->mask, f->width, f->nbytes, mask, what, st) < 0)
				return -1;
			bool any = false;
			for (uint32_t b = 0; b < f->nbytes; b++) {
				any |= mask[b] != 0;
				if (val[b] & ~mask[b])
					return p4rts_st(st, P4RT_INVALID_ARGUMENT,
							"%s: value has bits outside the mask", what);
			}
			if (!any)
				return p4rts_st(st, P4RT_INVALID_ARGUMENT,
						"%s: an all-zero mask is written by leaving the "
						"field out", what);
			break;
		}
		case P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_RANGE: {
			if (f->kind != MT(RANGE))
				goto kind;
			if (put(&m->range->low, f->width, f->nbytes, val, what, st) < 0 ||
			    put(&m->range->high, f->width, f->nbytes, mask, what, st) < 0)
				return -1;
			if (memcmp(val, mask, f->nbytes) > 0)
				return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%s: low bound above the "
						"high bound", what);
			uint8_t max[f->nbytes];
			full_range(max, f->nbytes, f->width);
			bool zero = true;
			for (uint32_t b = 0; b < f->nbytes; b++)
				zero &= !val[b];
			if (zero && !memcmp(mask, max, f->nbytes))
				return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%s: the whole range is "
						"written by leaving the field out", what);
			break;
		}
		case P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_OPTIONAL:
			if (f->kind != MT(OPTIONAL))
				goto kind;
			if (put(&m->optional->value, f->width, f->nbytes, val, what, st) < 0)
				return -1;
			memset(mask, 0xff, f->nbytes);
			break;
		case P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_OTHER:
		default:
			goto kind;
		}
		continue;
kind:
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%s: match kind does not agree with "
				"the P4Info (%d)", what, f->kind);
	}
	for (size_t k = 0; k < t->nf; k++) {
		const struct field *f = &t->f[k];
		uint8_t *flag = q->key + f->off, *val = flag + 1, *mask = val + f->nbytes;
		if (!*flag && f->kind == MT(EXACT))
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s: exact field %s is "
					"missing", tn, t->pi->match_fields[k]->name);
		if (!*flag && f->kind == MT(RANGE))
			full_range(mask, f->nbytes, f->width);  /* don't care: low 0, high max */
		q->swk[k].value = (struct sw_bytes){ val, f->nbytes };
		q->swk[k].mask = (struct sw_bytes){ mask, f->nbytes };
		if (*flag && f->kind == MT(OPTIONAL))
			q->swk[k].mask.len = 0;   /* the switch's "exact" optional */
		if (!*flag)
			continue;
		P4__V1__FieldMatch *fm = &q->fm[q->n_fm];
		p4__v1__field_match__init(fm);
		fm->field_id = f->id;
		if (f->kind == MT(EXACT)) {
			p4__v1__field_match__exact__init(&q->ex[k]);
			q->ex[k].value = canon(val, f->nbytes);
			fm->field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_EXACT;
			fm->exact = &q->ex[k];
		} else if (f->kind == MT(LPM)) {
			p4__v1__field_match__lpm__init(&q->lpm[k]);
			q->lpm[k].value = canon(val, f->nbytes);
			q->lpm[k].prefix_len = (int32_t)q->swk[k].prefix_len;
			fm->field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_LPM;
			fm->lpm = &q->lpm[k];
		} else if (f->kind == MT(RANGE)) {
			p4__v1__field_match__range__init(&q->rng[k]);
			q->rng[k].low = canon(val, f->nbytes);
			q->rng[k].high = canon(mask, f->nbytes);
			fm->field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_RANGE;
			fm->range = &q->rng[k];
		} else if (f->kind == MT(OPTIONAL)) {
			p4__v1__field_match__optional__init(&q->opt[k]);
			q->opt[k].value = canon(val, f->nbytes);
			fm->field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_OPTIONAL;
			fm->optional = &q->opt[k];
		} else {
			p4__v1__field_match__ternary__init(&q->ter[k]);
			q->ter[k].value = canon(val, f->nbytes);
			q->ter[k].mask = canon(mask, f->nbytes);
			fm->field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_TERNARY;
			fm->ternary = &q->ter[k];
		}
		q->fmp[q->n_fm++] = fm;
	}
	if (t->needs_prio && te->priority <= 0)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s needs a priority > 0 "
				"(it has ternary, range or optional fields)", tn);
	if (!t->needs_prio && te->priority)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s takes no priority (it has "
				"no ternary, range or optional fields); got %d", tn, te->priority);
	uint8_t *pr = q->key + t->key_len - 4;
	uint32_t prio = (uint32_t)te->priority;
	pr[0] = (uint8_t)(prio >> 24), pr[1] = (uint8_t)(prio >> 16);
	pr[2] = (uint8_t)(prio >> 8), pr[3] = (uint8_t)prio;
	return 0;
}

static int parse_action(struct p4rts_pipe *p, const struct ptable *t,
			const P4__V1__TableEntry *te, bool deflt, struct parsed *q,
			struct p4rts_status *st)
{
	const char *tn = t->pi->preamble->name;
	const P4__V1__TableAction *ta = te->action;
	if (!ta || ta->type_case == P4__V1__TABLE_ACTION__TYPE__NOT_SET)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s: the entry has no action", tn);
	if (ta->type_case == P4__V1__TABLE_ACTION__TYPE_ACTION_PROFILE_ACTION_SET) {
		if (!t->prof)
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s has no action profile: "
					"its entries give an action, not an action set", tn);
		q->ref = 2;
		if (p4rts_oneshot_new(p, tn, t->prof->preamble->id,
				      ta->action_profile_action_set, &q->ref_id, &q->ref_slot,
				      &q->oneshot, &q->oneshot_len, st) < 0)
			return -1;
		return 0;
	}
	if (ta->type_case != P4__V1__TABLE_ACTION__TYPE_ACTION) {
		bool group = ta->type_case == P4__V1__TABLE_ACTION__TYPE_ACTION_PROFILE_GROUP_ID;
		if (!t->prof)
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s has no action profile: "
					"its entries give an action, not a member or group", tn);
		if (group && !t->prof->with_selector)
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s: action profile %s "
					"has no selector: it has members only, no groups", tn,
					t->prof->preamble->name);
		q->ref = group ? 2 : 1;
		q->ref_id = group ? ta->action_profile_group_id : ta->action_profile_member_id;
		return p4rts_profile_ref(p->profiles, t->prof->preamble->id, group, q->ref_id, 0,
					 &q->ref_slot, st);
	}
	if (t->prof && !deflt && !q->member)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s is indirect (action profile "
				"%s): its entries name a member or a group, not an action", tn,
				t->prof->preamble->name);
	const P4__V1__Action *a = ta->action;
	if (a->action_id >> 24 != P4I_ACTION)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s: %u is not an action id", tn,
				a->action_id);
	struct paction *pa = find_action(p, a->action_id);
	if (!pa)
		return p4rts_st(st, P4RT_NOT_FOUND, "no action with id %u", a->action_id);
	const char *an = pa->pi->preamble->name;
	const P4__Config__V1__ActionRef *ref = NULL;
	for (size_t i = 0; i < t->pi->n_action_refs; i++)
		if (t->pi->action_refs[i]->id == a->action_id)
			ref = t->pi->action_refs[i];
	if (!ref)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "action %s is not an action of table %s",
				an, tn);
	if (!deflt && ref->scope == P4__CONFIG__V1__ACTION_REF__SCOPE__DEFAULT_ONLY)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "action %s is @defaultonly in table %s",
				an, tn);
	if (deflt && ref->scope == P4__CONFIG__V1__ACTION_REF__SCOPE__TABLE_ONLY)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "action %s is @tableonly in table %s",
				an, tn);
	size_t np = pa->pi->n_params, total = 0;
	for (size_t i = 0; i < np; i++)
		total += ((size_t)pa->pi->params[i]->bitwidth + 7) / 8;
	q->act = pa;
	q->argbuf = calloc(1, total + 1);
	q->args = calloc(np + 1, sizeof(*q->args));
	q->pv = calloc(np + 1, sizeof(*q->pv));
	q->pp = calloc(np + 1, sizeof(*q->pp));
	bool *seen = calloc(np + 1, 1);
	if (!q->argbuf || !q->args || !q->pv || !q->pp || !seen) {
		free(seen);
		return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	}
	int r = 0;
	for (size_t i = 0; i < a->n_params && !r; i++) {
		size_t k = 0, off = 0;
		while (k < np && pa->pi->params[k]->id != a->params[i]->param_id)
			off += ((size_t)pa->pi->params[k++]->bitwidth + 7) / 8;
		if (k == np) {
			r = p4rts_st(st, P4RT_INVALID_ARGUMENT, "action %s has no parameter %u", an,
				     a->params[i]->param_id);
			break;
		}
		const P4__Config__V1__Action__Param *pi = pa->pi->params[k];
		uint32_t nb = ((uint32_t)pi->bitwidth + 7) / 8;
		char what[300];
		snprintf(what, sizeof(what), "action %s parameter %s", an, pi->name);
		if (seen[k]) {
			r = p4rts_st(st, P4RT_INVALID_ARGUMENT, "%s: given twice", what);
			break;
		}
		seen[k] = true;
		r = put(&a->params[i]->value, (uint32_t)pi->bitwidth, nb, q->argbuf + off, what, st);
		q->args[k] = (struct sw_bytes){ q->argbuf + off, nb };
		p4__v1__action__param__init(&q->pv[k]);
		q->pv[k].param_id = pi->id;
		q->pv[k].value = canon(q->argbuf + off, nb);
		q->pp[k] = &q->pv[k];
	}
	for (size_t k = 0; k < np && !r; k++)
		if (!seen[k])
			r = p4rts_st(st, P4RT_INVALID_ARGUMENT, "action %s: parameter %s is missing",
				     an, pa->pi->params[k]->name);
	free(seen);
	return r;
}

/* The canonical Entity of q for table t, packed into a fresh buffer. */
static uint8_t *pack_entry(const struct ptable *t, const P4__V1__TableEntry *te,
			   const struct parsed *q, size_t *len)
{
	P4__V1__Action act;
	P4__V1__TableAction ta;
	P4__V1__TableEntry ce;
	P4__V1__Entity ent;
	p4__v1__action__init(&act);
	p4__v1__table_action__init(&ta);
	p4__v1__table_entry__init(&ce);
	p4__v1__entity__init(&ent);
	P4__V1__ActionProfileActionSet *set = NULL;
	if (q->oneshot) {
		if (!(set = p4__v1__action_profile_action_set__unpack(NULL, q->oneshot_len,
								      q->oneshot)))
			return NULL;
		ta.type_case = P4__V1__TABLE_ACTION__TYPE_ACTION_PROFILE_ACTION_SET;
		ta.action_profile_action_set = set;
	} else if (q->ref == 1) {
		ta.type_case = P4__V1__TABLE_ACTION__TYPE_ACTION_PROFILE_MEMBER_ID;
		ta.action_profile_member_id = q->ref_id;
	} else if (q->ref == 2) {
		ta.type_case = P4__V1__TABLE_ACTION__TYPE_ACTION_PROFILE_GROUP_ID;
		ta.action_profile_group_id = q->ref_id;
	} else {
		act.action_id = q->act->pi->preamble->id;
		act.n_params = q->act->pi->n_params;
		act.params = q->pp;
		ta.type_case = P4__V1__TABLE_ACTION__TYPE_ACTION;
		ta.action = &act;
	}
	ce.table_id = t->pi->preamble->id;
	ce.n_match = q->n_fm;
	ce.match = q->fmp;
	ce.action = &ta;
	ce.priority = te->priority;
	ce.is_default_action = te->is_default_action;
	ce.idle_timeout_ns = te->is_default_action ? 0 : te->idle_timeout_ns;
	ce.metadata = te->metadata;
	ent.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	ent.table_entry = &ce;
	*len = p4__v1__entity__get_packed_size(&ent);
	uint8_t *buf = malloc(*len ? *len : 1);
	if (buf)
		p4__v1__entity__pack(&ent, buf);
	if (set)
		p4__v1__action_profile_action_set__free_unpacked(set, NULL);
	return buf;
}

static int sw_status(int r, const struct p4l_err *err, struct p4rts_status *st)
{
	switch (r) {
	case -ENOSPC:
		return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "%s", err->msg);
	case -EEXIST:
		return p4rts_st(st, P4RT_ALREADY_EXISTS, "%s", err->msg);
	case -ENOENT:
		return p4rts_st(st, P4RT_NOT_FOUND, "%s", err->msg);
	case -ERANGE:
	case -EINVAL:
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%s", err->msg);
	case -ENOMEM:
		return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "%s", err->msg);
	default:
		return p4rts_st(st, P4RT_INTERNAL, "%s", err->msg);
	}
}

static int write_default(struct p4rts_pipe *p, struct ptable *t, P4__V1__Update__Type type,
			 const P4__V1__TableEntry *te, struct p4rts_status *st)
{
	const char *tn = t->pi->preamble->name;
	struct parsed q = { 0 };
	struct p4l_err err = { 0 };
	int r;
	if (type != P4__V1__UPDATE__TYPE__MODIFY)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s: the default entry can only "
				"be modified (not inserted or deleted)", tn);
	if (te->n_match || te->priority)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s: the default entry has no "
				"match and no priority", tn);
	if (t->pi->const_default_action_id)
		return p4rts_st(st, P4RT_PERMISSION_DENIED, "table %s: the default action is "
				"const", tn);
	if (!te->action) {
		/* No action: back to the program's default. */
		if (!t->init_def)
			return p4rts_st(st, P4RT_UNIMPLEMENTED, "table %s: its initial default "
					"action is not known to P4Info; set one explicitly", tn);
		P4__V1__Entity *e = p4__v1__entity__unpack(NULL, t->init_def_len, t->init_def);
		if (!e)
			return p4rts_st(st, P4RT_INTERNAL, "table %s: bad initial default", tn);
		r = write_default(p, t, type, e->table_entry, st);
		p4__v1__entity__free_unpacked(e, NULL);
		return r;
	}
	if (parse_action(p, t, te, true, &q, st) < 0)
		goto out;
	size_t len;
	uint8_t *buf = pack_entry(t, te, &q, &len);
	if (!buf) {
		p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		goto out;
	}
	if (q.ref) {
		/* the switch runs a default naming a member or group as an entry would */
		uint8_t b[4] = { (uint8_t)(q.ref_slot >> 24), (uint8_t)(q.ref_slot >> 16),
				 (uint8_t)(q.ref_slot >> 8), (uint8_t)q.ref_slot };
		struct sw_bytes arg = { b, 4 };
		r = sw_table_set_default(p->sw, t->sw, t->act_ref[q.ref - 1], &arg, &err);
	} else {
		r = sw_table_set_default(p->sw, t->sw, q.act->sw, q.args, &err);
	}
	if (r < 0) {
		free(buf);
		sw_status(r, &err, st);
		goto out;
	}
	uint32_t slot;
	struct p4rts_status ignore;
	if (t->def_oneshot)
		p4rts_oneshot_free(p, t->prof->preamble->id, t->def_ref_id);
	else if (t->def_ref)
		p4rts_profile_ref(p->profiles, t->prof->preamble->id, t->def_ref == 2,
				  t->def_ref_id, -1, &slot, &ignore);
	if (q.ref && !q.oneshot)
		p4rts_profile_ref(p->profiles, t->prof->preamble->id, q.ref == 2, q.ref_id, 1,
				  &slot, &ignore);
	t->def_ref = (uint8_t)q.ref;
	t->def_ref_id = q.ref_id;
	t->def_oneshot = q.oneshot != NULL;
	q.oneshot_kept = true;
	free(t->def);
	t->def = buf;
	t->def_len = len;
	parsed_free(&q);
	return 0;
out:
	if (q.oneshot && !q.oneshot_kept)
		p4rts_oneshot_free(p, t->prof->preamble->id, q.ref_id);
	parsed_free(&q);
	return -1;
}

static int set_direct(struct p4rts_pipe *p, const struct ptable *t, const struct sw_key *swk,
		      int32_t prio, const P4__V1__CounterData *cd, const P4__V1__MeterConfig *mc,
		      const P4__V1__MeterCounterData *mcd, struct p4rts_status *st);
static void take_hits(struct p4rts_pipe *p, struct ptable *t, int64_t now);

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* An entry of an aging table was written: its clock starts now. */
static int set_aging(struct p4rts_pipe *p, const struct ptable *t, struct ent *e,
		     const struct parsed *q, const P4__V1__TableEntry *te, struct p4rts_status *st)
{
	uint8_t id[2 * 512];
	size_t len;
	int32_t vprio;
	struct p4l_err err = { 0 };
	if (!e->aging) {
		if (sw_table_ident(p->sw, t->sw, q->swk, te->priority, id, sizeof(id), &len, &vprio,
				   &err) < 0)
			return p4rts_st(st, P4RT_INTERNAL, "%s", err.msg);
		if (!(e->aging = malloc(sizeof(*e->aging) + len)))
			return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		e->aging->vprio = vprio;
		e->aging->len = len;
		memcpy(e->aging->ident, id, len);
	}
	e->aging->timeout_ns = te->idle_timeout_ns;
	e->aging->last_ns = now_ns();
	e->aging->notified = false;
	return 0;
}

/* Counts (delta 1) or uncounts the member or group entry e names. */
static void hold(struct p4rts_pipe *p, const struct ptable *t, const struct ent *e, int delta)
{
	struct p4rts_status st;
	uint32_t slot;
	if (e->ref && !e->oneshot)
		p4rts_profile_ref(p->profiles, t->prof->preamble->id, e->ref == 2, e->ref_id, delta,
				  &slot, &st);
}

static struct ptable *check_table(const struct p4rts_pipe *p, uint32_t id, struct p4rts_status *st)
{
	if (id >> 24 != P4I_TABLE) {
		p4rts_st(st, P4RT_INVALID_ARGUMENT, "%u is not a table id", id);
		return NULL;
	}
	struct ptable *t = find_table(p, id);
	if (!t)
		p4rts_st(st, P4RT_NOT_FOUND, "no table with id %u", id);
	return t;
}

int p4rts_table_write(struct p4rts_pipe *p, P4__V1__Update__Type type,
		      const P4__V1__TableEntry *te, struct p4rts_status *st)
{
	struct ptable *t = check_table(p, te->table_id, st);
	struct parsed q = { 0 };
	struct p4l_err err = { 0 };
	if (!t)
		return -1;
	const char *tn = t->pi->preamble->name;
	if (te->is_default_action)
		return write_default(p, t, type, te, st);
	if (t->pi->is_const_table)
		return p4rts_st(st, P4RT_PERMISSION_DENIED, "table %s is const (its entries come "
				"from the program)", tn);
	if (te->idle_timeout_ns && !t->aging)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s does not support idle "
				"timeouts (no support_timeout): no idle_timeout_ns", tn);
	if (te->idle_timeout_ns < 0)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s: negative idle_timeout_ns", tn);
	if (te->counter_data && !t->counter)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s has no direct counter: no "
				"counter_data", tn);
	if (te->meter_config && !t->meter)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s has no direct meter: no "
				"meter_config", tn);
	if (te->meter_counter_data && !t->meter)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s has no direct meter: no "
				"meter_counter_data", tn);
	if (parse_match(t, te, &q, st) < 0)
		goto fail;
	uint32_t h = hash_key(q.key, t->key_len);
	struct ent *e = map_find(t, q.key, h);
	int r = 0;
	size_t len;
	uint8_t *buf;
	switch (type) {
	case P4__V1__UPDATE__TYPE__INSERT:
	case P4__V1__UPDATE__TYPE__MODIFY:
		if (type == P4__V1__UPDATE__TYPE__INSERT && e) {
			p4rts_st(st, P4RT_ALREADY_EXISTS, "table %s: the entry exists already", tn);
			goto fail;
		}
		if (type == P4__V1__UPDATE__TYPE__MODIFY && !e) {
			p4rts_st(st, P4RT_NOT_FOUND, "table %s: no such entry to modify", tn);
			goto fail;
		}
		if (parse_action(p, t, te, false, &q, st) < 0)
			goto fail;
		if (!(buf = pack_entry(t, te, &q, &len))) {
			p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
			goto fail;
		}
		if (q.ref) {
			uint8_t b[4] = { (uint8_t)(q.ref_slot >> 24), (uint8_t)(q.ref_slot >> 16),
					 (uint8_t)(q.ref_slot >> 8), (uint8_t)q.ref_slot };
			struct sw_bytes arg = { b, 4 };
			r = e ? sw_table_modify(p->sw, t->sw, q.swk, te->priority,
						t->act_ref[q.ref - 1], &arg, &err)
			      : sw_table_add_ref(p->sw, t->sw, q.swk, te->priority, q.ref == 2,
						 q.ref_slot, &err);
		} else if (e) {
			r = sw_table_modify(p->sw, t->sw, q.swk, te->priority, q.act->sw, q.args, &err);
		} else {
			r = sw_table_add(p->sw, t->sw, q.swk, te->priority, q.act->sw, q.args, &err);
		}
		if (r < 0) {
			free(buf);
			sw_status(r, &err, st);
			goto fail;
		}
		if (e) {
			free(e->entity);
			e->entity = buf;
			e->len = len;
			hold(p, t, e, -1);
			if (e->oneshot)
				p4rts_oneshot_free(p, t->prof->preamble->id, e->ref_id);
		} else if (!(e = map_put(t, q.key, h, buf, len))) {
			/* keep the switch and the map in step */
			sw_table_delete(p->sw, t->sw, q.swk, te->priority, &err);
			free(buf);
			p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
			goto fail;
		} else {
			q.key = NULL;
		}
		e->ref = (uint8_t)q.ref;
		e->ref_id = q.ref_id;
		e->oneshot = q.oneshot != NULL;
		q.oneshot_kept = true;
		hold(p, t, e, 1);
		if (t->aging && set_aging(p, t, e, &q, te, st) < 0) {
			if (type == P4__V1__UPDATE__TYPE__INSERT) {
				q.oneshot_kept = false;
				hold(p, t, e, -1);
				sw_table_delete(p->sw, t->sw, q.swk, te->priority, &err);
				map_del(t, e);
			}
			goto fail;
		}
		if (set_direct(p, t, q.swk, te->priority, te->counter_data, te->meter_config,
			       te->meter_counter_data, st) < 0) {
			/* a new entry goes again; a modified one keeps its new action */
			if (type == P4__V1__UPDATE__TYPE__INSERT) {
				q.oneshot_kept = false;
				hold(p, t, e, -1);
				sw_table_delete(p->sw, t->sw, q.swk, te->priority, &err);
				map_del(t, e);
			}
			goto fail;
		}
		break;
	case P4__V1__UPDATE__TYPE__DELETE:
		if (!e) {
			p4rts_st(st, P4RT_NOT_FOUND, "table %s: no such entry to delete", tn);
			goto fail;
		}
		r = sw_table_delete(p->sw, t->sw, q.swk, te->priority, &err);
		if (r < 0) {
			sw_status(r, &err, st);
			goto fail;
		}
		hold(p, t, e, -1);
		if (e->oneshot)
			p4rts_oneshot_free(p, t->prof->preamble->id, e->ref_id);
		map_del(t, e);
		break;
	default:
		p4rts_st(st, P4RT_INVALID_ARGUMENT, "update type %d is not INSERT, MODIFY or DELETE",
			 (int)type);
		goto fail;
	}
	parsed_free(&q);
	return 0;
fail:
	if (q.oneshot && !q.oneshot_kept)
		p4rts_oneshot_free(p, t->prof->preamble->id, q.ref_id);
	parsed_free(&q);
	return -1;
}

/* A member's action, checked as an action of the profile's tables: the
 * switch's action and arguments, and the canonical member as a packed
 * Entity.  The caller frees *argbuf, *args and *entity. */
int p4rts_member_parse(struct p4rts_pipe *p, const P4__V1__ActionProfileMember *m,
		       size_t *action, uint8_t **argbuf, struct sw_bytes **args,
		       uint8_t **entity, size_t *len, struct p4rts_status *st)
{
	const struct ptable *t = NULL;
	for (size_t i = 0; i < p->nt && !t; i++)
		if (p->t[i].prof && p->t[i].prof->preamble->id == m->action_profile_id)
			t = &p->t[i];
	if (!t)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "action profile %u has no table",
				m->action_profile_id);
	if (!m->action)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "action profile %s: member %u has no "
				"action", t->prof->preamble->name, m->member_id);
	P4__V1__TableAction ta;
	P4__V1__TableEntry te;
	p4__v1__table_action__init(&ta);
	p4__v1__table_entry__init(&te);
	ta.type_case = P4__V1__TABLE_ACTION__TYPE_ACTION;
	ta.action = m->action;
	te.table_id = t->pi->preamble->id;
	te.action = &ta;
	struct parsed q = { .member = true };
	if (parse_action(p, t, &te, false, &q, st) < 0) {
		parsed_free(&q);
		return -1;
	}
	P4__V1__Action act;
	P4__V1__ActionProfileMember cm;
	P4__V1__Entity ent;
	p4__v1__action__init(&act);
	p4__v1__action_profile_member__init(&cm);
	p4__v1__entity__init(&ent);
	act.action_id = q.act->pi->preamble->id;
	act.n_params = q.act->pi->n_params;
	act.params = q.pp;
	cm.action_profile_id = m->action_profile_id;
	cm.member_id = m->member_id;
	cm.action = &act;
	ent.entity_case = P4__V1__ENTITY__ENTITY_ACTION_PROFILE_MEMBER;
	ent.action_profile_member = &cm;
	*len = p4__v1__entity__get_packed_size(&ent);
	if (!(*entity = malloc(*len ? *len : 1))) {
		parsed_free(&q);
		return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	}
	p4__v1__entity__pack(&ent, *entity);
	*action = q.act->sw;
	*argbuf = q.argbuf;
	*args = q.args;
	q.argbuf = NULL;
	q.args = NULL;
	parsed_free(&q);
	return 0;
}

/* ---- reads -------------------------------------------------------------------- */

/* What a read emits for each entry: the entry (with its direct counter or
 * meter when asked for), or a DirectCounterEntry / DirectMeterEntry. */
enum rd_kind { RD_ENTRY, RD_COUNTER, RD_METER };

struct rd {
	struct p4rts_pipe *p;
	enum rd_kind kind;
	bool counters, meters;     /* RD_ENTRY: add counter_data, meter_config, */
	bool colors;               /* meter_counter_data, */
	bool since;                /* time_since_last_hit */
	p4rts_emit_fn emit;
	void *ctx;
	struct p4rts_status *st;
};

static int emit_ent(const struct rd *r, const struct ptable *t, const struct ent *e)
{
	bool cnt = t->counter && (r->kind == RD_COUNTER || (r->kind == RD_ENTRY && r->counters));
	bool met = t->meter && (r->kind == RD_METER || (r->kind == RD_ENTRY && r->meters));
	bool col = t->meter && r->kind == RD_ENTRY && r->colors;
	bool since = r->since && r->kind == RD_ENTRY && e->aging;
	if (r->kind == RD_ENTRY && !cnt && !met && !col && !since) {
		if (r->emit(r->ctx, e->entity, e->len) < 0)
			return p4rts_st(r->st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		return 0;
	}
	if ((r->kind == RD_COUNTER && !t->counter) || (r->kind == RD_METER && !t->meter))
		return 0;
	P4__V1__Entity *ent = p4__v1__entity__unpack(NULL, e->len, e->entity);
	if (!ent)
		return p4rts_st(r->st, P4RT_INTERNAL, "an entry kept unreadable");
	P4__V1__TableEntry *te = ent->table_entry;
	struct parsed q = { 0 };
	struct sw_entry_state es;
	struct p4l_err err = { 0 };
	int rc = parse_match(t, te, &q, r->st);
	if (!rc && sw_table_entry_state(r->p->sw, t->sw, q.swk, te->priority, &es, &err) < 0)
		rc = p4rts_st(r->st, P4RT_INTERNAL, "table %s: %s", t->pi->preamble->name, err.msg);
	parsed_free(&q);
	P4__V1__CounterData cd;
	P4__V1__MeterConfig mc;
	P4__V1__MeterCounterData mcd;
	P4__V1__CounterData colors[3];
	P4__V1__TableEntry__IdleTimeout it;
	P4__V1__DirectCounterEntry dce;
	P4__V1__DirectMeterEntry dme;
	P4__V1__Entity out;
	p4__v1__counter_data__init(&cd);
	p4__v1__meter_config__init(&mc);
	p4__v1__table_entry__idle_timeout__init(&it);
	p4__v1__direct_counter_entry__init(&dce);
	p4__v1__direct_meter_entry__init(&dme);
	p4__v1__entity__init(&out);
	if (since)
		it.elapsed_ns = now_ns() - e->aging->last_ns;
	if (!rc) {
		if (t->counter_unit != P4__CONFIG__V1__COUNTER_SPEC__UNIT__PACKETS)
			cd.byte_count = (int64_t)es.bytes;
		if (t->counter_unit != P4__CONFIG__V1__COUNTER_SPEC__UNIT__BYTES)
			cd.packet_count = (int64_t)es.packets;
		mc.cir = (int64_t)es.cir;
		mc.cburst = (int64_t)es.cburst;
		mc.pir = (int64_t)es.pir;
		mc.pburst = (int64_t)es.pburst;
		p4rts_colors_put(&es.colors, &mcd, colors);
		const P4__V1__Entity *em = ent;
		if (r->kind == RD_ENTRY) {
			if (cnt)
				te->counter_data = &cd;
			if (met && es.metered)
				te->meter_config = &mc;
			if (col)
				te->meter_counter_data = &mcd;
			if (since)
				te->time_since_last_hit = &it;
		} else if (r->kind == RD_COUNTER) {
			dce.table_entry = te;
			dce.data = &cd;
			out.entity_case = P4__V1__ENTITY__ENTITY_DIRECT_COUNTER_ENTRY;
			out.direct_counter_entry = &dce;
			em = &out;
		} else {
			dme.table_entry = te;
			if (es.metered)
				dme.config = &mc;
			dme.counter_data = &mcd;
			out.entity_case = P4__V1__ENTITY__ENTITY_DIRECT_METER_ENTRY;
			out.direct_meter_entry = &dme;
			em = &out;
		}
		size_t len = p4__v1__entity__get_packed_size(em);
		uint8_t *buf = malloc(len ? len : 1);
		if (!buf) {
			rc = p4rts_st(r->st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		} else {
			p4__v1__entity__pack(em, buf);
			if (r->emit(r->ctx, buf, len) < 0)
				rc = p4rts_st(r->st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
			free(buf);
		}
		te->counter_data = NULL;   /* on the stack: not for free_unpacked */
		te->meter_config = NULL;
		te->meter_counter_data = NULL;
		te->time_since_last_hit = NULL;
	}
	p4__v1__entity__free_unpacked(ent, NULL);
	return rc;
}

static int read_one_table(const struct rd *r, struct ptable *t)
{
	if (r->since && t->aging)
		take_hits(r->p, t, now_ns());
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i].key && emit_ent(r, t, &t->slots[i]) < 0)
			return -1;
	return 0;
}

/* The entries te selects (see p4rts_table_read). */
static int read_entries(const struct rd *r, const P4__V1__TableEntry *te)
{
	struct p4rts_pipe *p = r->p;
	if (!te->table_id) {
		if (te->n_match || te->is_default_action)
			return p4rts_st(r->st, P4RT_INVALID_ARGUMENT, "a read of every table "
					"(table_id 0) takes no match and no is_default_action");
		for (size_t i = 0; i < p->nt; i++)
			if (read_one_table(r, &p->t[i]) < 0)
				return -1;
		return 0;
	}
	struct ptable *t = check_table(p, te->table_id, r->st);
	if (!t)
		return -1;
	if (r->kind == RD_COUNTER && !t->counter)
		return p4rts_st(r->st, P4RT_INVALID_ARGUMENT, "table %s has no direct counter",
				t->pi->preamble->name);
	if (r->kind == RD_METER && !t->meter)
		return p4rts_st(r->st, P4RT_INVALID_ARGUMENT, "table %s has no direct meter",
				t->pi->preamble->name);
	if (te->is_default_action) {
		if (r->kind != RD_ENTRY)
			return p4rts_st(r->st, P4RT_UNIMPLEMENTED, "table %s: the default entry's "
					"direct resources are not kept by p4lab",
					t->pi->preamble->name);
		if (t->def && r->emit(r->ctx, t->def, t->def_len) < 0)
			return p4rts_st(r->st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		return 0;
	}
	if (!te->n_match)
		return read_one_table(r, t);
	struct parsed q = { 0 };
	int rc = parse_match(t, te, &q, r->st);
	if (!rc && r->since && t->aging)
		take_hits(p, t, now_ns());
	if (!rc) {
		struct ent *e = map_find(t, q.key, hash_key(q.key, t->key_len));
		if (e)
			rc = emit_ent(r, t, e);
	}
	parsed_free(&q);
	return rc;
}

int p4rts_table_read(struct p4rts_pipe *p, const P4__V1__TableEntry *te, p4rts_emit_fn emit,
		     void *ctx, struct p4rts_status *st)
{
	struct rd r = { p, RD_ENTRY, te->counter_data != NULL, te->meter_config != NULL,
			te->meter_counter_data != NULL, te->time_since_last_hit != NULL, emit, ctx,
			st };
	return read_entries(&r, te);
}

int p4rts_table_get(struct p4rts_pipe *p, const P4__V1__TableEntry *te, p4rts_emit_fn emit,
		    void *ctx, struct p4rts_status *st)
{
	struct ptable *t = check_table(p, te->table_id, st);
	if (!t)
		return -1;
	if (te->is_default_action) {
		if (t->def && emit(ctx, t->def, t->def_len) < 0)
			return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		return 0;
	}
	struct parsed q = { 0 };
	int r = parse_match(t, te, &q, st);
	if (!r) {
		struct ent *e = map_find(t, q.key, hash_key(q.key, t->key_len));
		if (e && emit(ctx, e->entity, e->len) < 0)
			r = p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	}
	parsed_free(&q);
	return r;
}

/* ---- direct counters and meters ------------------------------------------------ */

int p4rts_direct_read(struct p4rts_pipe *p, const P4__V1__Entity *e, p4rts_emit_fn emit,
		      void *ctx, struct p4rts_status *st)
{
	bool counter = e->entity_case == P4__V1__ENTITY__ENTITY_DIRECT_COUNTER_ENTRY;
	const P4__V1__TableEntry *te = counter ? e->direct_counter_entry->table_entry
		: e->direct_meter_entry->table_entry;
	P4__V1__TableEntry all;
	p4__v1__table_entry__init(&all);
	struct rd r = { p, counter ? RD_COUNTER : RD_METER, false, false, false, false, emit, ctx,
			st };
	return read_entries(&r, te ? te : &all);
}

/* Sets an entry's direct counter or meter from te's counter_data and
 * meter_config (either may be NULL). */
static int set_direct(struct p4rts_pipe *p, const struct ptable *t, const struct sw_key *swk,
		      int32_t prio, const P4__V1__CounterData *cd, const P4__V1__MeterConfig *mc,
		      const P4__V1__MeterCounterData *mcd, struct p4rts_status *st)
{
	const char *tn = t->pi->preamble->name;
	struct p4l_err err = { 0 };
	int r;
	if (cd && (cd->packet_count < 0 || cd->byte_count < 0))
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s: negative counter data", tn);
	if (cd && (r = sw_table_counter_set(p->sw, t->sw, swk, prio, (uint64_t)cd->packet_count,
					    (uint64_t)cd->byte_count, &err)) < 0)
		return sw_status(r, &err, st);
	if (mc && (mc->cir < 0 || mc->pir < mc->cir || mc->cburst < 0 || mc->pburst < 0))
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s: meter rates and bursts must be "
				">= 0, and the peak rate at least the committed one", tn);
	if (mc && mc->eburst)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s: its direct meter is two-rate "
				"(eburst is for single-rate meters)", tn);
	if (mc && (r = sw_table_meter_set(p->sw, t->sw, swk, prio, (double)mc->cir,
					  (double)mc->cburst, (double)mc->pir, (double)mc->pburst,
					  &err)) < 0)
		return r == -EBUSY ? p4rts_st(st, P4RT_UNAVAILABLE, "table %s: %s", tn, err.msg)
			: sw_status(r, &err, st);
	struct sw_meter_counts colors;
	if (mcd && p4rts_colors_get(mcd, &colors, tn, st) < 0)
		return -1;
	if (mcd && (r = sw_table_meter_counts_set(p->sw, t->sw, swk, prio, &colors, &err)) < 0)
		return sw_status(r, &err, st);
	return 0;
}

int p4rts_direct_write(struct p4rts_pipe *p, P4__V1__Update__Type type, const P4__V1__Entity *e,
		       struct p4rts_status *st)
{
	bool counter = e->entity_case == P4__V1__ENTITY__ENTITY_DIRECT_COUNTER_ENTRY;
	const P4__V1__TableEntry *te = counter ? e->direct_counter_entry->table_entry
		: e->direct_meter_entry->table_entry;
	const char *what = counter ? "direct counter" : "direct meter";
	if (type != P4__V1__UPDATE__TYPE__MODIFY)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "a %s entry is only modified", what);
	if (!te)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "the %s entry names no table entry", what);
	struct ptable *t = check_table(p, te->table_id, st);
	if (!t)
		return -1;
	if (counter ? !t->counter : !t->meter)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s has no %s",
				t->pi->preamble->name, what);
	if (te->is_default_action)
		return p4rts_st(st, P4RT_UNIMPLEMENTED, "table %s: the default entry's %s is not "
				"kept by p4lab", t->pi->preamble->name, what);
	if (!counter && !e->direct_meter_entry->config && !e->direct_meter_entry->counter_data)
		return p4rts_st(st, P4RT_UNIMPLEMENTED, "table %s: resetting a direct meter to "
				"its default (no config) is not supported by p4lab yet",
				t->pi->preamble->name);
	struct parsed q = { 0 };
	int r = parse_match(t, te, &q, st);
	if (!r && !map_find(t, q.key, hash_key(q.key, t->key_len)))
		r = p4rts_st(st, P4RT_NOT_FOUND, "table %s: no such entry", t->pi->preamble->name);
	if (!r) {
		P4__V1__CounterData zero;
		p4__v1__counter_data__init(&zero);
		const P4__V1__CounterData *cd = counter ? e->direct_counter_entry->data : NULL;
		r = set_direct(p, t, q.swk, te->priority, counter && !cd ? &zero : cd,
			       counter ? NULL : e->direct_meter_entry->config,
			       counter ? NULL : e->direct_meter_entry->counter_data, st);
	}
	parsed_free(&q);
	return r;
}

/* ---- idle timeouts ------------------------------------------------------------- */

/* The hits of one table since the last poll: their idents in a small
 * open-addressing set. */
struct hitset {
	uint8_t **v;
	size_t cap, n, len;
};

static int hit_add(const struct sw_entry_view *v, void *ctx)
{
	struct hitset *hs = ctx;
	if ((hs->n + 1) * 2 > hs->cap) {
		size_t cap = hs->cap ? hs->cap * 2 : 64;
		uint8_t **nv = calloc(cap, sizeof(*nv));
		if (!nv)
			return -1;
		for (size_t i = 0; i < hs->cap; i++)
			if (hs->v[i]) {
				size_t j = hash_key(hs->v[i], hs->len) & (cap - 1);
				while (nv[j])
					j = (j + 1) & (cap - 1);
				nv[j] = hs->v[i];
			}
		free(hs->v);
		hs->v = nv;
		hs->cap = cap;
	}
	uint8_t *k = malloc(hs->len);
	if (!k)
		return -1;
	memcpy(k, v->value, v->key_len);
	memcpy(k + v->key_len, v->mask, v->key_len);
	uint32_t pr = (uint32_t)v->priority;
	memcpy(k + 2 * v->key_len, &pr, 4);
	size_t j = hash_key(k, hs->len) & (hs->cap - 1);
	while (hs->v[j])
		j = (j + 1) & (hs->cap - 1);
	hs->v[j] = k;
	hs->n++;
	return 0;
}

static bool hit_has(const struct hitset *hs, const uint8_t *k)
{
	if (!hs->cap)
		return false;
	for (size_t j = hash_key(k, hs->len) & (hs->cap - 1); hs->v[j]; j = (j + 1) & (hs->cap - 1))
		if (!memcmp(hs->v[j], k, hs->len))
			return true;
	return false;
}

/* The entries of t hit since the last look were last hit now. */
static void take_hits(struct p4rts_pipe *p, struct ptable *t, int64_t now)
{
	const struct sw_table_info *si = sw_table_get(p->sw, t->sw);
	size_t key_len = 0;
	for (size_t k = 0; k < si->n_keys; k++)
		key_len += (si->keys[k].width + 7) / 8;
	struct hitset hs = { .len = 2 * key_len + 4 };
	sw_table_take_hits(p->sw, t->sw, hit_add, &hs);
	for (size_t i = 0; hs.n && i < t->cap; i++) {
		struct aging *a = t->slots[i].key ? t->slots[i].aging : NULL;
		uint8_t k[2 * 512 + 4];
		if (!a || a->len + 4 != hs.len)
			continue;
		uint32_t pr = (uint32_t)a->vprio;
		memcpy(k, a->ident, a->len);
		memcpy(k + a->len, &pr, 4);
		if (hit_has(&hs, k)) {
			a->last_ns = now;
			a->notified = false;
		}
	}
	for (size_t i = 0; i < hs.cap; i++)
		free(hs.v[i]);
	free(hs.v);
}

int p4rts_idle_poll(struct p4rts_pipe *p, bool can_send,
		    void (*send)(void *ctx, const uint8_t *msg, size_t len), void *ctx)
{
	int64_t now = now_ns(), next = -1;
	for (size_t ti = 0; ti < p->nt; ti++) {
		struct ptable *t = &p->t[ti];
		if (!t->aging || !t->n)
			continue;
		take_hits(p, t, now);
		P4__V1__TableEntry **due = NULL;
		P4__V1__Entity **unp = NULL;
		size_t n_due = 0;
		for (size_t i = 0; i < t->cap; i++) {
			struct ent *e = &t->slots[i];
			struct aging *a = e->key ? e->aging : NULL;
			if (!a || !a->timeout_ns)
				continue;
			int64_t left = a->last_ns + a->timeout_ns - now;
			if (left <= 0 && !a->notified && can_send) {
				P4__V1__Entity *x = p4__v1__entity__unpack(NULL, e->len, e->entity);
				void *nd = x ? realloc(due, (n_due + 1) * sizeof(*due)) : NULL;
				void *nu = nd ? realloc(unp, (n_due + 1) * sizeof(*unp)) : NULL;
				if (nd)
					due = nd;
				if (nu)
					unp = nu;
				if (!nd || !nu) {
					if (x)
						p4__v1__entity__free_unpacked(x, NULL);
					continue;   /* told at the next poll */
				}
				unp[n_due] = x;
				due[n_due++] = x->table_entry;
				a->notified = true;
			}
			/* notified entries are looked at again for a hit, once a second */
			int64_t wait = a->notified ? 1000000000 : left > 0 ? left : 1000000;
			if (next < 0 || wait < next)
				next = wait;
		}
		if (n_due) {
			P4__V1__IdleTimeoutNotification itn;
			P4__V1__StreamMessageResponse resp;
			p4__v1__idle_timeout_notification__init(&itn);
			p4__v1__stream_message_response__init(&resp);
			itn.n_table_entry = n_due;
			itn.table_entry = due;
			itn.timestamp = now;
			resp.update_case = P4__V1__STREAM_MESSAGE_RESPONSE__UPDATE_IDLE_TIMEOUT_NOTIFICATION;
			resp.idle_timeout_notification = &itn;
			size_t len = p4__v1__stream_message_response__get_packed_size(&resp);
			uint8_t *buf = malloc(len ? len : 1);
			if (buf) {
				p4__v1__stream_message_response__pack(&resp, buf);
				send(ctx, buf, len);
				free(buf);
			}
		}
		for (size_t i = 0; i < n_due; i++)
			p4__v1__entity__free_unpacked(unp[i], NULL);
		free(due);
		free(unp);
	}
	if (next < 0)
		return -1;
	return next / 1000000 < 1 ? 1 : next / 1000000 > 1000 ? 1000 : (int)(next / 1000000);
}
