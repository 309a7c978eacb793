/* engine_tcam.c - the TCAM model of ternary, lpm, range and optional tables
 * (engine.h), used through sw_engine_tcam by table.c.
 *
 * Two structures hold the same rules:
 *  - the slot model: slots[capacity], rank-ordered with free slots anywhere
 *    (smaller address = higher rank).  Only writers read it.  A rule's slot is
 *    its hit index; moves rewrite rule->slot atomically.
 *  - the lookup structure: tuple-space search.  One tuple per distinct mask,
 *    each an open-addressing hash of the rules' masked values.  A lookup masks
 *    the key per tuple, probes, and keeps the best-ranked match.  Rank is
 *    immutable (priority, sequence, sub-rule), so the answer is the rule in the
 *    lowest matching slot whatever moves happen meanwhile; moves never touch
 *    the lookup structure, so they cause no false miss.
 *
 * Publication: bucket pointers are stored with release order; a tombstone
 * marks a removed rule so probe chains stay whole; a bucket array that fills
 * with tombstones is rebuilt and the new one published; the tuple list is
 * copied on change.  Everything a lookup may hold is retired through RCU.
 *
 * Placement (docs/match-engines.md): a new rule goes between its
 * higher-ranked predecessor P and lower-ranked successor S.  If a free slot
 * lies between them it takes one, with room after it for the rest of its
 * entry's sub-rules (next to S when nothing is above, next to P when nothing
 * is below, so an empty table fills from its end; in the middle of the gap
 * otherwise, and always in pinned tables): no move.  Otherwise, for a rule above (below) everything whose
 * chain is followed by one free run to the end (start) of the table, the
 * chain moves by the whole run, leaving all free slots at the insertion point
 * (monotonic inserts, the refill sequence).  Otherwise the cheaper of two,
 * preferring the first unless it costs REBALANCE_MAX times more moves:
 * spread the entries of the smallest aligned power-of-two window around the
 * insertion point whose free share is at least half the table's (a packed
 * memory array step, which keeps free slots everywhere), or shift the
 * shorter chain between the insertion point and a free slot by one.
 */
#include "engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEY 512
#define TOMB ((struct trule *)(uintptr_t)1)
#ifndef REBALANCE_MAX
#define REBALANCE_MAX 4
#endif

struct tent;
struct tuple;

struct trule {
	uint32_t slot;           /* atomic: the hit index */
	uint32_t sub;
	int32_t prio;
	uint64_t seq;
	uint64_t hash;           /* of the masked value */
	struct tent *ent;
	struct tuple *tu;
	uint8_t vm[];            /* value (masked), then mask */
};

struct tent {
	struct sw_eng_ent ix;    /* first: the index hands these back */
	void *data;              /* atomic */
	uint64_t seq;
	uint32_t n;
	uint8_t *ident;
	struct trule *rules[];
};

/* A bucket keeps its rule's hash so that probes past other rules touch no
 * rule memory. */
struct tbucket {
	uint64_t hash;
	struct trule *r;         /* NULL, TOMB or a rule; atomic, stored after hash */
};

struct tbuckets {
	uint32_t cap;            /* power of two */
	struct tbucket s[];
};

struct tuple {
	uint32_t n_rules, used;  /* used: rules + tombstones */
	int32_t max_prio;        /* atomic; an upper bound: deletes leave it */
	struct tbuckets *b;      /* RCU-published */
	uint8_t mask[];
};

struct tlist {
	uint32_t n;
	struct tuple *t[];
};

struct tcam {
	uint32_t L, cap;
	bool pinned;
	struct tlist *tl;        /* RCU-published */
	struct trule **slots;
	struct trule **scratch;  /* cap + 1: a window's rules while it is spread */
	uint64_t *bits;          /* occupied slots */
	uint32_t used;
	uint64_t next_seq, moves, expansions, entries;
	struct sw_eng_index ix;
};

#define LOAD(p) __atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define STORE(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)

/* a ranks above b (b may be NULL). */
static inline bool beats(const struct trule *a, const struct trule *b)
{
	if (!b || a->prio != b->prio)
		return !b || a->prio > b->prio;
	return a->seq != b->seq ? a->seq < b->seq : a->sub < b->sub;
}

static const uint8_t *ent_ident(const struct sw_eng_ent *x)
{
	return ((const struct tent *)x)->ident;
}

/* ---- bitmap of occupied slots ------------------------------------------- */

static inline bool bit_get(const uint64_t *w, uint32_t i) { return w[i >> 6] >> (i & 63) & 1; }
static inline void bit_set(uint64_t *w, uint32_t i) { w[i >> 6] |= UINT64_C(1) << (i & 63); }
static inline void bit_clr(uint64_t *w, uint32_t i) { w[i >> 6] &= ~(UINT64_C(1) << (i & 63)); }

/* First i >= x whose bit equals set, or cap. */
static uint32_t next_bit(const struct tcam *t, uint32_t x, bool set)
{
	if (x >= t->cap)
		return t->cap;
	uint32_t wi = x >> 6;
	uint64_t w = (set ? t->bits[wi] : ~t->bits[wi]) & (~UINT64_C(0) << (x & 63));
	for (;;) {
		if (w) {
			uint32_t i = (wi << 6) + (uint32_t)__builtin_ctzll(w);
			return i < t->cap ? i : t->cap;
		}
		if (++wi >= (t->cap + 63) >> 6)
			return t->cap;
		w = set ? t->bits[wi] : ~t->bits[wi];
	}
}

/* Last i <= x whose bit equals set, or -1. */
static int64_t prev_bit(const struct tcam *t, int64_t x, bool set)
{
	if (x < 0)
		return -1;
	int64_t wi = x >> 6;
	uint64_t keep = (x & 63) == 63 ? ~UINT64_C(0) : (UINT64_C(1) << ((x & 63) + 1)) - 1;
	uint64_t w = (set ? t->bits[wi] : ~t->bits[wi]) & keep;
	for (;;) {
		if (w)
			return (wi << 6) + 63 - __builtin_clzll(w);
		if (--wi < 0)
			return -1;
		w = set ? t->bits[wi] : ~t->bits[wi];
	}
}

/* ---- tuples (writer side) ------------------------------------------------ */

static struct tbuckets *buckets_new(uint32_t cap)
{
	struct tbuckets *b = calloc(1, sizeof(*b) + cap * sizeof(b->s[0]));
	if (b)
		b->cap = cap;
	return b;
}

static void bucket_put(struct tbuckets *b, struct trule *r, uint32_t *used)
{
	uint32_t m = b->cap - 1;
	for (uint32_t k = (uint32_t)r->hash & m;; k = (k + 1) & m) {
		struct trule *x = b->s[k].r;
		if (!x || x == TOMB) {
			if (!x)
				(*used)++;
			__atomic_store_n(&b->s[k].hash, r->hash, __ATOMIC_RELAXED);
			STORE(b->s[k].r, r);
			return;
		}
	}
}

/* Rebuilds the tuple's buckets without tombstones (and bigger if needed). */
static int tuple_rebuild(struct tuple *tu, uint32_t want)
{
	uint32_t cap = 8;
	while (cap < 4 * want)
		cap *= 2;
	struct tbuckets *nb = buckets_new(cap), *ob = tu->b;
	if (!nb)
		return -ENOMEM;
	uint32_t used = 0;
	int32_t max = INT32_MIN;
	for (uint32_t i = 0; i < ob->cap; i++)
		if (ob->s[i].r && ob->s[i].r != TOMB) {
			bucket_put(nb, ob->s[i].r, &used);
			max = ob->s[i].r->prio > max ? ob->s[i].r->prio : max;
		}
	STORE(tu->b, nb);
	/* Lowered only once the old buckets (which may hold higher rules no
	 * longer in the tuple) are unpublished; the caller may raise it again. */
	if (used)
		__atomic_store_n(&tu->max_prio, max, __ATOMIC_RELEASE);
	tu->used = used;
	sw_rcu_retire(ob);
	return 0;
}

static int tlist_publish(struct tcam *t, struct tuple *add, struct tuple *drop)
{
	struct tlist *ol = t->tl;
	uint32_t n = ol->n + (add != NULL) - (drop != NULL);
	struct tlist *nl = malloc(sizeof(*nl) + (n + 1) * sizeof(nl->t[0]));
	if (!nl)
		return -ENOMEM;
	nl->n = 0;
	for (uint32_t i = 0; i < ol->n; i++)
		if (ol->t[i] != drop)
			nl->t[nl->n++] = ol->t[i];
	if (add)
		nl->t[nl->n++] = add;
	/* Highest priorities first, so lookups can skip tuples that cannot beat
	 * what they found (insertion sort: the list is nearly sorted). */
	for (uint32_t i = 1; i < nl->n; i++)
		for (uint32_t j = i; j > 0 && nl->t[j - 1]->max_prio < nl->t[j]->max_prio; j--) {
			struct tuple *x = nl->t[j];
			nl->t[j] = nl->t[j - 1];
			nl->t[j - 1] = x;
		}
	STORE(t->tl, nl);
	sw_rcu_retire(ol);
	return 0;
}

static struct tuple *tuple_get(struct tcam *t, const uint8_t *mask, int32_t prio)
{
	for (uint32_t i = 0; i < t->tl->n; i++)
		if (!memcmp(t->tl->t[i]->mask, mask, t->L))
			return t->tl->t[i];
	struct tuple *tu = calloc(1, sizeof(*tu) + t->L + 1);
	if (!tu)
		return NULL;
	memcpy(tu->mask, mask, t->L);
	tu->max_prio = prio;
	if (!(tu->b = buckets_new(8)) || tlist_publish(t, tu, NULL) < 0) {
		free(tu->b);
		free(tu);
		return NULL;
	}
	return tu;
}

static int tuple_insert(struct tuple *tu, struct trule *r)
{
	if (2 * (tu->used + 1) > tu->b->cap) {
		int e = tuple_rebuild(tu, tu->n_rules + 1);
		if (e < 0)
			return e;
	}
	/* The bound rises before the rule is visible. */
	if (r->prio > tu->max_prio)
		__atomic_store_n(&tu->max_prio, r->prio, __ATOMIC_RELEASE);
	bucket_put(tu->b, r, &tu->used);
	tu->n_rules++;
	return 0;
}

static void tuple_remove(struct tcam *t, struct tuple *tu, struct trule *r)
{
	struct tbuckets *b = tu->b;
	uint32_t m = b->cap - 1;
	for (uint32_t k = (uint32_t)r->hash & m; b->s[k].r; k = (k + 1) & m)
		if (b->s[k].r == r) {
			STORE(b->s[k].r, TOMB);
			break;
		}
	if (--tu->n_rules)
		return;
	/* An empty tuple leaves the list; if the list cannot be copied now it
	 * stays, empty and harmless, until the table is freed. */
	if (tlist_publish(t, NULL, tu) == 0) {
		sw_rcu_retire(tu->b);
		sw_rcu_retire(tu);
	}
}

/* ---- lookup -------------------------------------------------------------- */

static void *tcam_lookup(const void *p, const uint8_t *key, uint32_t *slot)
{
	const struct tcam *t = p;
	const struct tlist *tl = LOAD(t->tl);
	const struct trule *best = NULL;
	uint8_t mk[MAX_KEY];
	uint32_t L = t->L;
	for (uint32_t i = 0; i < tl->n; i++) {
		const struct tuple *tu = tl->t[i];
		if (best && __atomic_load_n(&tu->max_prio, __ATOMIC_ACQUIRE) < best->prio)
			continue;  /* nothing in it can outrank best */
		for (uint32_t j = 0; j < L; j++)
			mk[j] = key[j] & tu->mask[j];
		uint64_t h = sw_eng_hash(mk, L, 0);
		const struct tbuckets *b = LOAD(tu->b);
		uint32_t m = b->cap - 1;
		for (uint32_t k = (uint32_t)h & m;; k = (k + 1) & m) {
			const struct trule *r = LOAD(b->s[k].r);
			if (!r)
				break;
			if (r == TOMB || __atomic_load_n(&b->s[k].hash, __ATOMIC_RELAXED) != h)
				continue;
			if (r->hash == h && beats(r, best) && !memcmp(r->vm, mk, L))
				best = r;
		}
	}
	if (!best)
		return NULL;
	*slot = __atomic_load_n(&best->slot, __ATOMIC_RELAXED);
	return LOAD(best->ent->data);
}

/* ---- slot model ------------------------------------------------------------ */

/* The smallest occupied slot whose rule r outranks, or cap. */
static uint32_t boundary(const struct tcam *t, const struct trule *r)
{
	uint32_t lo = 0, hi = t->cap, ans = t->cap;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2, nx = next_bit(t, mid, true);
		if (nx >= hi) {
			hi = mid;
		} else if (beats(r, t->slots[nx])) {
			ans = nx;
			hi = mid;
		} else {
			lo = nx + 1;
		}
	}
	return ans;
}

static void move_rule(struct tcam *t, uint32_t from, uint32_t to)
{
	struct trule *r = t->slots[from];
	t->slots[to] = r;
	bit_set(t->bits, to);
	__atomic_store_n(&r->slot, to, __ATOMIC_RELEASE);
	t->slots[from] = NULL;
	bit_clr(t->bits, from);
	t->moves++;
}

/* Occupied slots in [a, b). */
static uint32_t count_used(const struct tcam *t, uint32_t a, uint32_t b)
{
	uint32_t n = 0;
	for (; a < b && (a & 63); a++)
		n += bit_get(t->bits, a);
	for (; a + 64 <= b; a += 64)
		n += (uint32_t)__builtin_popcountll(t->bits[a >> 6]);
	for (; a < b; a++)
		n += bit_get(t->bits, a);
	return n;
}

/* Packed-memory-array step: the smallest aligned window around slot x whose
 * free share, after r goes in, is at least half the table's, gets its
 * entries and r spread evenly (rank order kept).  Moves: at most the window's
 * entries; windows double, so dense regions are spread before they grow. */
static uint32_t rebalance(struct tcam *t, struct trule *r, uint32_t x, bool apply)
{
	double share = (double)(t->cap - t->used - 1) / t->cap / 2;
	uint32_t a = 0, b = t->cap, used = 0;
	for (uint64_t w = 2;; w *= 2) {
		a = (uint32_t)(x & ~(w - 1));
		b = a + w > t->cap ? t->cap : (uint32_t)(a + w);
		used = count_used(t, a, b);
		if ((used < b - a && (double)(b - a - used - 1) >= (b - a) * share) ||
		    (a == 0 && b == t->cap))
			break;
	}
	struct trule **it = t->scratch;
	uint32_t n = 0, N = b - a, cost = 0;
	bool in = false;
	for (uint32_t s = next_bit(t, a, true); s < b; s = next_bit(t, s + 1, true)) {
		if (!in && beats(r, t->slots[s]))
			it[n++] = r, in = true;
		it[n++] = t->slots[s];
	}
	if (!in)
		it[n++] = r;
	/* Entries moving towards lower slots go first, lowest first; then those
	 * moving up, highest first: every destination is free when used. */
#define TARGET(i) (a + (uint32_t)(((2 * (uint64_t)(i) + 1) * N) / (2 * (uint64_t)n)))
	for (uint32_t i = 0; i < n; i++)
		cost += it[i] != r && TARGET(i) != it[i]->slot;
	if (!apply)
		return cost;
	for (uint32_t i = 0; i < n; i++)
		if (it[i] != r && TARGET(i) < it[i]->slot)
			move_rule(t, it[i]->slot, TARGET(i));
	for (uint32_t i = n; i-- > 0;)
		if (it[i] != r && TARGET(i) > it[i]->slot)
			move_rule(t, it[i]->slot, TARGET(i));
	for (uint32_t i = 0; i < n; i++)
		if (it[i] == r) {
			t->slots[TARGET(i)] = r;
			bit_set(t->bits, TARGET(i));
			r->slot = TARGET(i);
			t->used++;
		}
#undef TARGET
	return cost;
}

/* Puts r into a slot keeping rank order, moving entries if needed. */
static int place(struct tcam *t, struct trule *r, uint32_t need)
{
	for (int round = 0; round < 2; round++) {
		uint32_t S = boundary(t, r);
		int64_t P = S ? prev_bit(t, (int64_t)S - 1, true) : -1;
		if ((int64_t)S - P > 1) {
			/* need: this rule and the sub-rules of its entry still to come,
			 * which rank right after it: keep room for them as a block. */
			uint32_t pos, lo = (uint32_t)(P + 1), g = S - lo;
			uint32_t pad = g > need ? g - need : 0;
			if (r->sub)
				pos = lo;                /* right after its entry's previous rule */
			else if (t->pinned)
				pos = lo + pad / 2;      /* nothing moves later: centre it */
			else if (P < 0)
				pos = lo + pad;          /* block against S: room above stays */
			else if (S == t->cap)
				pos = lo;
			else
				pos = lo + pad / 2;
			t->slots[pos] = r;
			bit_set(t->bits, pos);
			r->slot = pos;
			t->used++;
			return 0;
		}
		if (t->pinned)
			return -EBUSY;
		/* Above everything (below everything) with one free run from the
		 * chain to the end (start) of the table: the whole run goes to the
		 * insertion point, for the monotonic inserts that usually follow
		 * (the refill sequence: one move per entry). */
		uint32_t f = next_bit(t, S, false);
		if (P < 0 && f < t->cap && next_bit(t, f, true) == t->cap) {
			uint32_t L = t->cap - f;
			for (uint32_t x = f; x-- > S;)
				move_rule(t, x, x + L);
			continue;
		}
		int64_t g = P >= 0 ? prev_bit(t, P, false) : -1;
		if (S == t->cap && g >= 0 && prev_bit(t, g, true) < 0) {
			uint32_t L = (uint32_t)g + 1;
			for (int64_t x = g + 1; x <= P; x++)
				move_rule(t, (uint32_t)x, (uint32_t)x - L);
			continue;
		}
		/* Otherwise the cheaper of: spreading a window (which keeps free
		 * slots everywhere, so later inserts move little), or shifting the
		 * shorter chain between the insertion point and a free slot by one
		 * (the fewest moves now) when spreading would cost REBALANCE_MAX
		 * times more. */
		uint32_t x = S < t->cap ? S : (uint32_t)P;
		uint64_t down = f < t->cap ? f - S : UINT64_MAX;
		uint64_t up = g >= 0 ? (uint64_t)(P - g) : UINT64_MAX;
		uint64_t chain = down < up ? down : up;
		if (rebalance(t, r, x, false) <= REBALANCE_MAX * chain) {
			rebalance(t, r, x, true);
			return 0;
		}
		if (down <= up)
			for (uint32_t y = f; y-- > S;)
				move_rule(t, y, y + 1);
		else
			for (int64_t y = g + 1; y <= P; y++)
				move_rule(t, (uint32_t)y, (uint32_t)y - 1);
	}
	return -ENOSPC;  /* not reached: a shift always opens a gap */
}

static void unplace(struct tcam *t, struct trule *r)
{
	t->slots[r->slot] = NULL;
	bit_clr(t->bits, r->slot);
	t->used--;
}

/* ---- ops ------------------------------------------------------------------- */

static void *tcam_create(uint32_t key_len, uint32_t capacity, bool pinned)
{
	struct tcam *t = calloc(1, sizeof(*t));
	if (!t || key_len > MAX_KEY || !capacity)
		goto fail;
	t->L = key_len;
	t->cap = capacity;
	t->pinned = pinned;
	t->slots = calloc(capacity, sizeof(*t->slots));
	t->scratch = calloc(capacity + 1, sizeof(*t->scratch));
	t->bits = calloc((capacity + 63) / 64, sizeof(*t->bits));
	t->tl = calloc(1, sizeof(*t->tl));
	if (!t->slots || !t->scratch || !t->bits || !t->tl || sw_eng_index_init(&t->ix, 2 * key_len, ent_ident) < 0)
		goto fail;
	return t;
fail:
	if (t) {
		free(t->slots);
		free(t->scratch);
		free(t->bits);
		free(t->tl);
		sw_eng_index_fini(&t->ix);
	}
	free(t);
	return NULL;
}

/* Takes rule i of x out of both structures (writer side). */
static void drop_rule(struct tcam *t, struct trule *r)
{
	tuple_remove(t, r->tu, r);
	unplace(t, r);
	sw_rcu_retire(r);
}

static int tcam_add(void *p, const uint8_t *ident, int32_t prio, const struct sw_rule_kv *rules,
		    uint32_t n, void *data)
{
	struct tcam *t = p;
	uint32_t L = t->L, done = 0;
	int e = 0;
	if (!n)
		return -EINVAL;
	if (sw_eng_index_find(&t->ix, ident, prio))
		return -EEXIST;
	if (t->used + (uint64_t)n > t->cap)
		return -ENOSPC;
	struct tent *x = calloc(1, sizeof(*x) + n * sizeof(x->rules[0]) + 2 * (size_t)L + 1);
	if (!x)
		return -ENOMEM;
	x->ix.prio = prio;
	x->data = data;
	x->seq = t->next_seq++;
	x->n = n;
	x->ident = (uint8_t *)(x->rules + n);
	memcpy(x->ident, ident, 2 * (size_t)L);
	for (; done < n; done++) {
		struct trule *r = calloc(1, sizeof(*r) + 2 * (size_t)L + 1);
		if (!r) {
			e = -ENOMEM;
			break;
		}
		for (uint32_t j = 0; j < L; j++) {
			r->vm[L + j] = rules[done].mask[j];
			r->vm[j] = rules[done].value[j] & rules[done].mask[j];
		}
		r->prio = prio;
		r->seq = x->seq;
		r->sub = done;
		r->ent = x;
		r->hash = sw_eng_hash(r->vm, L, 0);
		if ((e = place(t, r, n - done)) < 0) {
			free(r);
			break;
		}
		if (!(r->tu = tuple_get(t, r->vm + L, prio)) || (e = tuple_insert(r->tu, r)) < 0) {
			e = e ? e : -ENOMEM;
			unplace(t, r);
			free(r);
			break;
		}
		x->rules[done] = r;
	}
	if (!e)
		e = sw_eng_index_add(&t->ix, &x->ix, ident);
	if (e < 0) {
		/* Undo what was placed: readers may have seen these rules, so they
		 * are retired, not freed. */
		for (uint32_t i = 0; i < done; i++)
			drop_rule(t, x->rules[i]);
		sw_rcu_retire(x);
		return e;
	}
	t->entries++;
	if (n > 1)
		t->expansions++;
	return 0;
}

static int tcam_modify(void *p, const uint8_t *ident, int32_t prio, void *data, void **old)
{
	struct tcam *t = p;
	struct tent *x = (struct tent *)sw_eng_index_find(&t->ix, ident, prio);
	if (!x)
		return -ENOENT;
	*old = x->data;
	STORE(x->data, data);
	return 0;
}

static int tcam_del(void *p, const uint8_t *ident, int32_t prio, void **data)
{
	struct tcam *t = p;
	struct tent *x = (struct tent *)sw_eng_index_find(&t->ix, ident, prio);
	if (!x)
		return -ENOENT;
	*data = x->data;
	for (uint32_t i = 0; i < x->n; i++)
		drop_rule(t, x->rules[i]);
	sw_eng_index_del(&t->ix, &x->ix);
	t->entries--;
	if (x->n > 1)
		t->expansions--;
	sw_rcu_retire(x);
	return 0;
}

static int tcam_slots(const void *p, const uint8_t *ident, int32_t prio, uint32_t *out,
		      uint32_t cap)
{
	const struct tcam *t = p;
	const struct tent *x = (const struct tent *)sw_eng_index_find(&t->ix, ident, prio);
	if (!x)
		return -ENOENT;
	for (uint32_t i = 0; i < x->n && i < cap; i++)
		out[i] = x->rules[i]->slot;
	return (int)x->n;
}

static void tcam_stats(const void *p, struct sw_engine_stats *st)
{
	const struct tcam *t = p;
	*st = (struct sw_engine_stats){ t->entries, t->used, t->cap, t->moves, t->expansions, 0 };
}

static int tcam_check(const void *p)
{
	const struct tcam *t = p;
	const struct trule *prev = NULL;
	uint32_t used = 0;
	for (uint32_t i = 0; i < t->cap; i++) {
		const struct trule *r = t->slots[i];
		if ((r != NULL) != bit_get(t->bits, i))
			return -EPROTO;
		if (!r)
			continue;
		if (r->slot != i || (prev && !beats(prev, r)))
			return -EPROTO;
		prev = r;
		used++;
	}
	return used == t->used ? 0 : -EPROTO;
}

static void tcam_free(void *p)
{
	struct tcam *t = p;
	if (!t)
		return;
	/* No lookup runs on a table being freed; still, drain what was retired
	 * before freeing what it may point to. */
	sw_rcu_flush();
	for (uint32_t i = 0; i < t->cap; i++)
		free(t->slots[i]);
	for (uint32_t i = 0; i < t->ix.cap; i++)
		for (struct sw_eng_ent *x = t->ix.b[i], *n; x; x = n) {
			n = x->hnext;
			free(x);
		}
	for (uint32_t i = 0; i < t->tl->n; i++) {
		free(t->tl->t[i]->b);
		free(t->tl->t[i]);
	}
	free(t->tl);
	sw_eng_index_fini(&t->ix);
	free(t->slots);
	free(t->scratch);
	free(t->bits);
	free(t);
}

const struct sw_engine_ops sw_engine_tcam = {
	.name = "tcam", .create = tcam_create, .add = tcam_add, .modify = tcam_modify,
	.del = tcam_del, .lookup = tcam_lookup, .slots = tcam_slots, .stats = tcam_stats,
	.check = tcam_check, .free = tcam_free,
};
