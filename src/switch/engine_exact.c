/* engine_exact.c - the exact-match model (engine.h): a 4-way cuckoo hash,
 * one slot per row, used through sw_engine_exact by table.c.
 *
 * The capacity is split into four sub-tables; a key may live in one row of
 * each, chosen by four hash functions derived from one 64-bit hash.  The hit
 * index is the slot number: sub-table base + row.  An insert whose four rows
 * are taken searches breadth-first for the shortest chain of relocations that
 * ends in a free slot, then performs it from the free end backwards, so each
 * move copies into a free slot before clearing the old one.
 *
 * Lookups take no lock.  A lookup racing a move could check the new slot
 * before the copy and the old one after the clear; a sequence counter (odd
 * while a move is in flight) makes such a lookup retry, and only a miss
 * retries: any hit is an entry the table held. */
#include "engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define WAYS 4
#define BFS_MAX 1024   /* relocation search: nodes visited at most */

struct xrule {
	void *data;            /* atomic */
	uint64_t hash;
	uint8_t key[];
};

struct exact {
	uint32_t L, cap, nways;
	uint32_t rows[WAYS], base[WAYS];
	bool pinned;
	struct xrule **s;      /* atomic pointers */
	uint32_t seq;          /* odd while a move is in flight */
	uint64_t entries, moves;
	double fail_load;
};

#define LOAD(p) __atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define STORE(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)

static void cands(const struct exact *e, uint64_t h, uint32_t *c)
{
	uint32_t a = (uint32_t)h, b = (uint32_t)(h >> 32) | 1;
	for (uint32_t i = 0; i < e->nways; i++) {
		uint32_t x = a + i * b;
		x = (x ^ (x >> 16)) * 0x85ebca6bu;
		x ^= x >> 13;
		c[i] = e->base[i] + (uint32_t)(((uint64_t)x * e->rows[i]) >> 32);
	}
}

static void *exact_create(uint32_t key_len, uint32_t capacity, bool pinned)
{
	struct exact *e = calloc(1, sizeof(*e));
	if (!e || !capacity)
		goto fail;
	e->L = key_len;
	e->cap = capacity;
	e->pinned = pinned;
	e->nways = capacity < WAYS ? capacity : WAYS;
	for (uint32_t i = 0, b = 0; i < e->nways; i++) {
		e->rows[i] = capacity / e->nways + (i < capacity % e->nways);
		e->base[i] = b;
		b += e->rows[i];
	}
	if (!(e->s = calloc(capacity, sizeof(*e->s))))
		goto fail;
	return e;
fail:
	free(e);
	return NULL;
}

/* Slot of key (writer side), or -1. */
static int64_t find(const struct exact *e, const uint8_t *key, uint64_t h)
{
	uint32_t c[WAYS];
	cands(e, h, c);
	for (uint32_t i = 0; i < e->nways; i++)
		if (e->s[c[i]] && !memcmp(e->s[c[i]]->key, key, e->L))
			return c[i];
	return -1;
}

static void *exact_lookup(const void *p, const uint8_t *key, uint32_t *slot)
{
	const struct exact *e = p;
	uint32_t c[WAYS];
	cands(e, sw_eng_hash(key, e->L, 0), c);
	for (;;) {
		uint32_t v = LOAD(e->seq);
		for (uint32_t i = 0; i < e->nways; i++) {
			const struct xrule *r = LOAD(e->s[c[i]]);
			if (r && !memcmp(r->key, key, e->L)) {
				*slot = c[i];
				return LOAD(r->data);
			}
		}
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (!(v & 1) && __atomic_load_n(&e->seq, __ATOMIC_RELAXED) == v)
			return NULL;
	}
}

static void move_slot(struct exact *e, uint32_t from, uint32_t to)
{
	__atomic_store_n(&e->seq, e->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	STORE(e->s[to], e->s[from]);
	STORE(e->s[from], NULL);
	__atomic_store_n(&e->seq, e->seq + 1, __ATOMIC_RELEASE);
	e->moves++;
}

struct bnode {
	uint32_t slot;
	int32_t parent;
};

/* Breadth-first search for a relocation chain from the rows of hash h to a
 * free slot.  Returns the free slot and sets *last to the node whose entry
 * moves into it, or returns -1. */
static int64_t bfs(const struct exact *e, uint64_t h, struct bnode *q, int32_t *last)
{
	uint32_t seen[2 * BFS_MAX], nseen = 0, head = 0, tail = 0, c[WAYS];
	cands(e, h, c);
	for (uint32_t i = 0; i < e->nways; i++) {
		q[tail++] = (struct bnode){ c[i], -1 };
		seen[nseen++] = c[i];
	}
	while (head < tail) {
		int32_t ni = (int32_t)head++;
		const struct xrule *r = e->s[q[ni].slot];
		cands(e, r->hash, c);
		for (uint32_t i = 0; i < e->nways; i++) {
			if (c[i] == q[ni].slot)
				continue;
			if (!e->s[c[i]]) {
				*last = ni;
				return c[i];
			}
			bool dup = false;
			for (uint32_t k = 0; k < nseen && !dup; k++)
				dup = seen[k] == c[i];
			if (dup || tail >= BFS_MAX)
				continue;
			seen[nseen++] = c[i];
			q[tail++] = (struct bnode){ c[i], ni };
		}
	}
	return -1;
}

static int exact_add(void *p, const uint8_t *ident, int32_t prio, const struct sw_rule_kv *rules,
		     uint32_t n, void *data)
{
	struct exact *e = p;
	uint64_t h = sw_eng_hash(ident, e->L, 0);
	uint32_t c[WAYS];
	(void)prio, (void)rules;
	if (n != 1)
		return -EINVAL;
	if (find(e, ident, h) >= 0)
		return -EEXIST;
	if (e->entries >= e->cap)
		return -ENOSPC;
	struct xrule *r = malloc(sizeof(*r) + e->L + 1);
	if (!r)
		return -ENOMEM;
	r->data = data;
	r->hash = h;
	memcpy(r->key, ident, e->L);
	cands(e, h, c);
	for (uint32_t i = 0; i < e->nways; i++)
		if (!e->s[c[i]]) {
			STORE(e->s[c[i]], r);
			e->entries++;
			return 0;
		}
	static __thread struct bnode q[BFS_MAX];
	int32_t ni;
	int64_t to = bfs(e, h, q, &ni);
	if (to < 0 || e->pinned) {
		free(r);
		if (to >= 0)
			return -EBUSY;
		if (!e->fail_load)
			e->fail_load = (double)e->entries / e->cap;
		return -ENOSPC;
	}
	for (; ni >= 0; ni = q[ni].parent) {
		move_slot(e, q[ni].slot, (uint32_t)to);
		to = q[ni].slot;
	}
	STORE(e->s[to], r);
	e->entries++;
	return 0;
}

static int exact_modify(void *p, const uint8_t *ident, int32_t prio, void *data, void **old)
{
	struct exact *e = p;
	(void)prio;
	int64_t s = find(e, ident, sw_eng_hash(ident, e->L, 0));
	if (s < 0)
		return -ENOENT;
	*old = e->s[s]->data;
	STORE(e->s[s]->data, data);
	return 0;
}

static int exact_del(void *p, const uint8_t *ident, int32_t prio, void **data)
{
	struct exact *e = p;
	(void)prio;
	int64_t s = find(e, ident, sw_eng_hash(ident, e->L, 0));
	if (s < 0)
		return -ENOENT;
	struct xrule *r = e->s[s];
	*data = r->data;
	STORE(e->s[s], NULL);
	sw_rcu_retire(r);
	e->entries--;
	return 0;
}

static int exact_slots(const void *p, const uint8_t *ident, int32_t prio, uint32_t *out,
		       uint32_t cap)
{
	const struct exact *e = p;
	(void)prio;
	int64_t s = find(e, ident, sw_eng_hash(ident, e->L, 0));
	if (s < 0)
		return -ENOENT;
	if (cap)
		out[0] = (uint32_t)s;
	return 1;
}

static void exact_stats(const void *p, struct sw_engine_stats *st)
{
	const struct exact *e = p;
	*st = (struct sw_engine_stats){ e->entries, e->entries, e->cap, e->moves, 0, e->fail_load };
}

static int exact_check(const void *p)
{
	const struct exact *e = p;
	uint64_t n = 0;
	for (uint32_t i = 0; i < e->cap; i++) {
		const struct xrule *r = e->s[i];
		if (!r)
			continue;
		n++;
		if (find(e, r->key, r->hash) != i)
			return -EPROTO;
	}
	return n == e->entries ? 0 : -EPROTO;
}

static void exact_free(void *p)
{
	struct exact *e = p;
	if (!e)
		return;
	sw_rcu_flush();
	for (uint32_t i = 0; i < e->cap; i++)
		free(e->s[i]);
	free(e->s);
	free(e);
}

const struct sw_engine_ops sw_engine_exact = {
	.name = "exact", .create = exact_create, .add = exact_add, .modify = exact_modify,
	.del = exact_del, .lookup = exact_lookup, .slots = exact_slots, .stats = exact_stats,
	.check = exact_check, .free = exact_free,
};
