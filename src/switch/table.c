/* table.c - table entries on the plan: key normalisation, range expansion
 * into prefix sub-rules, insertion into the table's match engine (engine.h),
 * default entries, stats and teardown.  See table.h.
 *
 * Entries (struct sw_entry) are what lookups hand to the packet engine, so a
 * replaced or removed one is retired through RCU, never freed at once. */
#include "table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PREFIXES 128   /* 2 * 64 - 2 for the widest range field */

int sw_fit_value(uint8_t *dst, uint32_t nbytes, uint32_t width, const struct sw_bytes *v)
{
	size_t skip = 0;
	while (skip < v->len && v->len - skip > nbytes && !v->data[skip])
		skip++;
	size_t n = v->len - skip;
	memset(dst, 0, nbytes);
	if (n > nbytes)
		return -ERANGE;
	memcpy(dst + nbytes - n, v->data + skip, n);
	uint32_t pad = nbytes * 8 - width;
	return pad && dst[0] >> (8 - pad) ? -ERANGE : 0;
}

void sw_prefix_mask(uint8_t *mask, uint32_t nbytes, uint32_t width, uint32_t plen)
{
	uint32_t pad = nbytes * 8 - width;
	memset(mask, 0, nbytes);
	for (uint32_t b = pad; b < pad + plen; b++)
		mask[b / 8] |= (uint8_t)(0x80 >> (b % 8));
}

int sw_range_prefixes(uint64_t lo, uint64_t hi, uint32_t width, uint64_t *vals,
		      uint64_t *masks, int cap)
{
	uint64_t full = width >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << width) - 1;
	int n = 0;
	if (lo > hi)
		return 0;
	for (;;) {
		/* The largest block aligned at lo that ends at or before hi. */
		uint32_t k = lo ? (uint32_t)__builtin_ctzll(lo) : width;
		if (k > width)
			k = width;
		while (k > 0 && (k >= 64 ? lo || hi != ~UINT64_C(0)
					 : hi - lo < (UINT64_C(1) << k) - 1))
			k--;
		uint64_t bm = k >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << k) - 1;
		if (n == cap)
			return -ENOSPC;
		vals[n] = lo;
		masks[n] = full & ~bm;
		n++;
		if ((lo | bm) >= hi)
			return n;
		lo = (lo | bm) + 1;
	}
}

static uint64_t get_be(const uint8_t *b, uint32_t n)
{
	uint64_t v = 0;
	for (uint32_t i = 0; i < n; i++)
		v = v << 8 | b[i];
	return v;
}

static void put_be(uint8_t *b, uint32_t n, uint64_t v)
{
	for (uint32_t i = n; i-- > 0; v >>= 8)
		b[i] = (uint8_t)v;
}

/* A new entry; val/mask (NULL for a default entry) are kept for reading back. */
static struct sw_entry *new_entry(const struct sw_plan *p, const struct sw_table *t,
				  uint32_t action, const uint8_t *args, int32_t prio,
				  const uint8_t *val, const uint8_t *mask, struct p4l_err *err)
{
	size_t slot;
	for (slot = 0; slot < t->n_actions; slot++)
		if (t->actions[slot] == action)
			break;
	if (slot == t->n_actions) {
		p4l_errf(err, -EINVAL, "table %s: action %s is not one of its actions", t->name,
			 p->actions[action].name);
		return NULL;
	}
	uint32_t n = p->actions[action].args_len, kl = val ? t->key_len : 0;
	struct sw_entry *e = calloc(1, sizeof(*e) + n + 2 * (size_t)kl + 1);
	if (!e) {
		p4l_errf(err, -ENOMEM, "table %s: out of memory", t->name);
		return NULL;
	}
	e->action = action;
	e->slot = (uint32_t)slot;
	e->priority = prio;
	if (n)
		memcpy(e->args, args, n);
	e->key = e->args + n;
	if (kl) {
		memcpy(e->key, val, kl);
		memcpy(e->key + kl, mask, kl);
	}
	return e;
}

/* The canonical form of a key: static masks applied, the value masked
 * (exact tables: all ones); range parts keep their bounds as given. */
static void normalize(const struct sw_plan *p, const struct sw_table *t, const uint8_t *val,
		      const uint8_t *mask, uint8_t *v, uint8_t *m)
{
	memcpy(v, val, t->key_len);
	memcpy(m, mask, t->key_len);
	if (t->kind == SW_MATCH_EXACT)
		memset(m, 0xff, t->key_len);
	for (size_t i = 0; i < t->n_keys; i++) {
		const struct sw_key_part *k = &t->keys[i];
		if (k->info.kind == SW_MATCH_RANGE)
			continue;
		if (k->mask != SW_NONE)
			for (uint32_t j = 0; j < k->nbytes; j++)
				m[k->off + j] &= p->pool[k->mask + j];
		for (uint32_t j = 0; j < k->nbytes; j++)
			v[k->off + j] &= m[k->off + j];
	}
}

static int engine_error(const struct sw_table *t, int r, struct p4l_err *err)
{
	struct sw_engine_stats st = { 0 };
	if (r == -EEXIST)
		return p4l_errf(err, r, "table %s: an entry with this key already exists", t->name);
	if (r == -ENOENT)
		return p4l_errf(err, r, "table %s: no entry with this key", t->name);
	if (t->engine)
		t->ops->stats(t->engine, &st);
	if (r == -ENOSPC && t->kind == SW_MATCH_EXACT && st.entries < st.capacity)
		return p4l_errf(err, r, "table %s is full: no free slot among the key's hash "
				"choices (%llu of %llu slots used)", t->name,
				(unsigned long long)st.slots_used, (unsigned long long)st.capacity);
	if (r == -ENOSPC)
		return p4l_errf(err, r, "table %s is full (%llu of %llu slots used)", t->name,
				(unsigned long long)st.slots_used, (unsigned long long)st.capacity);
	if (r == -EBUSY)
		return p4l_errf(err, r, "table %s: room for this entry needs entries to move, but "
				"the program reads the table's hit index, so its entries are pinned",
				t->name);
	if (r == -EINVAL)
		return p4l_errf(err, r, "table %s: invalid entry", t->name);
	return p4l_errf(err, r, "table %s: out of memory", t->name);
}

static void unlink_entry(struct sw_table *t, struct sw_entry *e)
{
	for (struct sw_entry **pp = &t->all; *pp; pp = &(*pp)->next_all)
		if (*pp == e) {
			*pp = e->next_all;
			return;
		}
}

static int ensure_engine(struct sw_table *t, struct p4l_err *err)
{
	if (t->engine)
		return 0;
	const struct sw_engine_ops *ops =
		sw_engine_get(t->kind == SW_MATCH_EXACT ? SW_ENGINE_EXACT : SW_ENGINE_TCAM);
	void *e = ops->create(t->key_len, t->max_size, t->has_hit_index);
	if (!e)
		return p4l_errf(err, -ENOMEM, "table %s: out of memory", t->name);
	t->ops = ops;
	/* Lookups test t->engine first: publish it after ops. */
	__atomic_store_n(&t->engine, e, __ATOMIC_RELEASE);
	return 0;
}

/* The sub-rules of a normalised key: the cross product of every range part's
 * prefixes.  *kv gets n (value, mask) pairs backed by *buf (free both). */
static int expand(const struct sw_table *t, const uint8_t *v, const uint8_t *m,
		  struct sw_rule_kv **kv, uint8_t **buf, uint32_t *n, struct p4l_err *err)
{
	static __thread uint64_t pv[8][MAX_PREFIXES], pm[8][MAX_PREFIXES];
	int cnt[8];
	size_t nr = 0, idx[8];
	uint64_t total = 1;
	uint32_t L = t->key_len;
	for (size_t i = 0; i < t->n_keys; i++) {
		const struct sw_key_part *k = &t->keys[i];
		if (k->info.kind != SW_MATCH_RANGE)
			continue;
		if (nr == 8)
			return p4l_errf(err, -EINVAL, "table %s: more than 8 range keys", t->name);
		uint64_t lo = get_be(v + k->off, k->nbytes), hi = get_be(m + k->off, k->nbytes);
		if (lo > hi)
			return p4l_errf(err, -EINVAL, "table %s: key %s: range low bound %llu is above "
					"the high bound %llu", t->name, k->info.name,
					(unsigned long long)lo, (unsigned long long)hi);
		cnt[nr] = sw_range_prefixes(lo, hi, k->f.width, pv[nr], pm[nr], MAX_PREFIXES);
		total *= (uint64_t)cnt[nr];
		idx[nr++] = i;
	}
	if (total > t->max_size)
		return p4l_errf(err, -ENOSPC, "table %s: this entry's ranges need %llu slots, the "
				"table has %u", t->name, (unsigned long long)total, t->max_size);
	*kv = calloc(total, sizeof(**kv));
	*buf = malloc(total * 2 * L + 1);
	if (!*kv || !*buf) {
		free(*kv);
		free(*buf);
		return p4l_errf(err, -ENOMEM, "table %s: out of memory", t->name);
	}
	for (uint64_t s = 0; s < total; s++) {
		uint8_t *sv = *buf + s * 2 * L, *sm = sv + L;
		uint64_t rest = s;
		memcpy(sv, v, L);
		memcpy(sm, m, L);
		for (size_t j = nr; j-- > 0;) {  /* mixed radix: the last range varies fastest */
			const struct sw_key_part *k = &t->keys[idx[j]];
			uint64_t d = rest % (uint64_t)cnt[j];
			rest /= (uint64_t)cnt[j];
			put_be(sv + k->off, k->nbytes, pv[j][d]);
			put_be(sm + k->off, k->nbytes, pm[j][d]);
		}
		(*kv)[s] = (struct sw_rule_kv){ sv, sm };
	}
	*n = (uint32_t)total;
	return 0;
}

/* A table whose entries the program gives (const entries) takes no writes. */
static int refuse_fixed(const struct sw_table *t, struct p4l_err *err)
{
	return p4l_errf(err, -EPERM, "table %s: its entries are fixed by the program", t->name);
}

int sw_tbl_insert(struct sw_plan *p, struct sw_table *t, const uint8_t *val,
		  const uint8_t *mask, int32_t prio, uint32_t action, const uint8_t *args,
		  struct p4l_err *err)
{
	uint8_t vm[2 * SW_MAX_KEY_BYTES], *buf = NULL;
	struct sw_rule_kv *kv = NULL;
	uint32_t n = 0;
	int r;
	if (t->immutable)
		return refuse_fixed(t, err);
	/* An empty key's lookup table is always the empty map (P4_16, tables):
	 * such a table never gets an engine, and a miss runs its default action. */
	if (!t->n_keys)
		return p4l_errf(err, -EINVAL, "table %s has no key: it takes no entries, only a "
				"default action", t->name);
	if ((r = ensure_engine(t, err)) < 0)
		return r;
	normalize(p, t, val, mask, vm, vm + t->key_len);
	if ((r = expand(t, vm, vm + t->key_len, &kv, &buf, &n, err)) < 0)
		return r;
	struct sw_entry *e = new_entry(p, t, action, args, prio, vm, vm + t->key_len, err);
	if (!e) {
		r = err ? err->code : -ENOMEM;
	} else if ((r = t->ops->add(t->engine, vm, prio, kv, n, e)) < 0) {
		free(e);
		r = engine_error(t, r, err);
	} else {
		e->next_all = t->all;
		t->all = e;
		t->n_entries++;
	}
	free(kv);
	free(buf);
	return r;
}

/* The normalised ident of an existing entry, or an error. */
static int find_prep(struct sw_plan *p, struct sw_table *t, const uint8_t *val,
		     const uint8_t *mask, uint8_t *vm, struct p4l_err *err)
{
	if (!t->engine)
		return engine_error(t, -ENOENT, err);
	normalize(p, t, val, mask, vm, vm + t->key_len);
	return 0;
}

int sw_tbl_delete(struct sw_plan *p, struct sw_table *t, const uint8_t *val,
		  const uint8_t *mask, int32_t prio, struct p4l_err *err)
{
	uint8_t vm[2 * SW_MAX_KEY_BYTES];
	void *old;
	if (t->immutable)
		return refuse_fixed(t, err);
	int r = find_prep(p, t, val, mask, vm, err);
	if (r < 0)
		return r;
	if ((r = t->ops->del(t->engine, vm, prio, &old)) < 0)
		return engine_error(t, r, err);
	unlink_entry(t, old);
	sw_rcu_retire(old);
	t->n_entries--;
	return 0;
}

int sw_tbl_modify(struct sw_plan *p, struct sw_table *t, const uint8_t *val,
		  const uint8_t *mask, int32_t prio, uint32_t action, const uint8_t *args,
		  struct p4l_err *err)
{
	uint8_t vm[2 * SW_MAX_KEY_BYTES];
	void *old;
	if (t->immutable)
		return refuse_fixed(t, err);
	int r = find_prep(p, t, val, mask, vm, err);
	if (r < 0)
		return r;
	struct sw_entry *e = new_entry(p, t, action, args, prio, vm, vm + t->key_len, err);
	if (!e)
		return err ? err->code : -ENOMEM;
	if ((r = t->ops->modify(t->engine, vm, prio, e, &old)) < 0) {
		free(e);
		return engine_error(t, r, err);
	}
	struct sw_entry *o = old;
	/* The direct counter and meter follow the entry, not its action. */
	e->packets = o->packets;
	e->bytes = o->bytes;
	e->meter = o->meter;
	unlink_entry(t, o);
	sw_rcu_retire(o);
	e->next_all = t->all;
	t->all = e;
	return 0;
}

int sw_tbl_set_default(struct sw_plan *p, struct sw_table *t, uint32_t action,
		       const uint8_t *args, struct p4l_err *err)
{
	if (t->def_const)
		return p4l_errf(err, -EPERM, "table %s: its default action is fixed by the program",
				t->name);
	struct sw_entry *e = new_entry(p, t, action, args, 0, NULL, NULL, err);
	if (!e)
		return err ? err->code : -ENOMEM;
	sw_rcu_retire(__atomic_exchange_n(&t->def, e, __ATOMIC_ACQ_REL));
	return 0;
}

int sw_tbl_slots(struct sw_plan *p, struct sw_table *t, const uint8_t *val, const uint8_t *mask,
		 int32_t prio, uint32_t *out, size_t cap, size_t *n, struct p4l_err *err)
{
	uint8_t vm[2 * SW_MAX_KEY_BYTES];
	int r = find_prep(p, t, val, mask, vm, err);
	if (r < 0)
		return r;
	r = t->ops->slots(t->engine, vm, prio, out, cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap);
	if (r < 0)
		return engine_error(t, r, err);
	*n = (size_t)r;
	return 0;
}

void sw_tbl_stats(const struct sw_table *t, struct sw_engine_stats *st)
{
	if (t->engine) {
		t->ops->stats(t->engine, st);
		return;
	}
	*st = (struct sw_engine_stats){ .capacity = t->n_keys ? t->max_size : 0 };
}

void sw_tbl_fini(struct sw_table *t)
{
	if (t->ops)
		t->ops->free(t->engine);
	sw_rcu_flush();
	for (struct sw_entry *e = t->all, *n; e; e = n) {
		n = e->next_all;
		free(e);
	}
	free(t->def);
	for (size_t i = 0; i < t->n_keys; i++)
		free((char *)t->keys[i].info.name);
	free(t->keys);
	free(t->kinfo);
	free(t->actions);
	free(t->action_next);
	free(t->name);
}
