/* test_engine.c - the match engines (src/switch/engine*.c) against brute-force
 * references on random workloads: every lookup compared (entry and hit
 * index), the slot model's invariants checked after every operation; range
 * expansion against enumeration; pinned tables; the refill sequence of the
 * hit-index discussion; and lookups racing a writer that churns the table.
 *
 * Through the switch: a program whose acl table exposes its hit index
 * (p4lab_hit_index), a range entry expanded into prefix slots, each slot
 * the key of a later exact table; pinned entries refusing a move.
 *
 * usage: test_engine PROGS_DIR [ROUNDS]  (default sized to run in seconds) */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "switch.h"
#include "table.h"

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); if (failures > 20) exit(1); } } while (0)

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13, rng_state ^= rng_state >> 7, rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

static uint64_t total_ops;

/* ---- TCAM against a reference ---------------------------------------------
 * Keys are 4 bytes: byte 0 and 1 ternary over a small alphabet, bytes 2-3 a
 * 16-bit range field (or ternary).  The reference keeps entries with their
 * insertion sequence and answers by (priority, sequence). */

enum { L = 4 };

struct tref {
	bool live;
	uint8_t ident[2 * L];     /* value, mask; range part: low, high */
	bool range;
	int32_t prio;
	uint64_t seq;
	int data;                 /* the engine's data points at this */
};

static bool tref_match(const struct tref *r, const uint8_t *k)
{
	for (int j = 0; j < 2; j++)
		if ((k[j] & r->ident[L + j]) != r->ident[j])
			return false;
	uint32_t key = (uint32_t)k[2] << 8 | k[3];
	if (r->range) {
		uint32_t lo = (uint32_t)r->ident[2] << 8 | r->ident[3];
		uint32_t hi = (uint32_t)r->ident[L + 2] << 8 | r->ident[L + 3];
		return key >= lo && key <= hi;
	}
	return (k[2] & r->ident[L + 2]) == r->ident[2] && (k[3] & r->ident[L + 3]) == r->ident[3];
}

/* Sub-rules of a reference entry (the range part expanded). */
static uint32_t tref_rules(const struct tref *r, struct sw_rule_kv *kv, uint8_t *buf)
{
	uint64_t v[128], m[128];
	int n = 1;
	if (r->range) {
		uint32_t lo = (uint32_t)r->ident[2] << 8 | r->ident[3];
		uint32_t hi = (uint32_t)r->ident[L + 2] << 8 | r->ident[L + 3];
		n = sw_range_prefixes(lo, hi, 16, v, m, 128);
	}
	for (int i = 0; i < n; i++) {
		uint8_t *b = buf + i * 2 * L;
		memcpy(b, r->ident, 2 * L);
		if (r->range) {
			b[2] = (uint8_t)(v[i] >> 8), b[3] = (uint8_t)v[i];
			b[L + 2] = (uint8_t)(m[i] >> 8), b[L + 3] = (uint8_t)m[i];
		}
		kv[i] = (struct sw_rule_kv){ b, b + L };
	}
	return (uint32_t)n;
}

static void random_tref(struct tref *r, bool ranges, int nprio)
{
	memset(r->ident, 0, sizeof(r->ident));
	for (int j = 0; j < 2; j++) {
		r->ident[L + j] = rnd() % 3 ? 0x03 : 0;
		r->ident[j] = (uint8_t)(rnd() % 4) & r->ident[L + j];
	}
	r->range = ranges && rnd() % 2;
	if (r->range) {
		uint32_t a = rnd() % 64, b = a + rnd() % 40;
		r->ident[2] = 0, r->ident[3] = (uint8_t)a;
		r->ident[L + 2] = 0, r->ident[L + 3] = (uint8_t)b;
	} else {
		r->ident[L + 2] = 0;
		r->ident[L + 3] = rnd() % 2 ? 0x3f : (uint8_t)(0x3f & (0xff << (rnd() % 6)));
		r->ident[3] = (uint8_t)(rnd() % 64) & r->ident[L + 3];
	}
	r->prio = (int32_t)(rnd() % (uint32_t)nprio);
}

/* One random TCAM workload: n_ops operations on a table of cap slots. */
static void tcam_workload(uint32_t cap, uint32_t n_refs, int n_ops, bool ranges, int nprio,
			  bool pinned)
{
	const struct sw_engine_ops *ops = &sw_engine_tcam;
	void *t = ops->create(L, cap, pinned);
	struct tref *refs = calloc(n_refs, sizeof(*refs));
	struct sw_rule_kv kv[128];
	static uint8_t buf[128 * 2 * L];
	uint64_t seq = 0, used = 0;
	for (uint32_t i = 0; i < n_refs; i++)
		refs[i].data = (int)i;
	for (int op = 0; op < n_ops; op++, total_ops++) {
		struct tref *r = &refs[rnd() % n_refs];
		uint32_t what = rnd() % 8;
		if (what < 3 && !r->live) {
			struct tref nr = *r;
			random_tref(&nr, ranges, nprio);
			bool dup = false;
			for (uint32_t i = 0; i < n_refs && !dup; i++)
				dup = refs[i].live && refs[i].prio == nr.prio &&
				      !memcmp(refs[i].ident, nr.ident, 2 * L);
			uint32_t n = tref_rules(&nr, kv, buf);
			int e = ops->add(t, nr.ident, nr.prio, kv, n, &r->data);
			if (dup)
				CHECK(e == -EEXIST, "duplicate add gave %d", e);
			else if (used + n > cap)
				CHECK(e == -ENOSPC, "add into a full table gave %d", e);
			else if (pinned)
				CHECK(e == 0 || e == -EBUSY, "pinned add gave %d", e);
			else
				CHECK(e == 0, "add gave %d with %llu of %u slots used", e,
				      (unsigned long long)used, cap);
			if (e == 0) {
				*r = nr;
				r->live = true;
				r->seq = seq++;
				used += n;
			}
		} else if (what < 5 && r->live) {
			void *old;
			int e = ops->del(t, r->ident, r->prio, &old);
			CHECK(e == 0 && old == &r->data, "del gave %d", e);
			uint32_t n = tref_rules(r, kv, buf);
			used -= n;
			r->live = false;
		} else if (what == 5 && r->live) {
			void *old;
			CHECK(ops->modify(t, r->ident, r->prio, &r->data, &old) == 0 && old == &r->data,
			      "modify");
		} else {
			uint8_t k[L] = { (uint8_t)(rnd() % 4), (uint8_t)(rnd() % 4), 0, (uint8_t)(rnd() % 64) };
			const struct tref *best = NULL;
			for (uint32_t i = 0; i < n_refs; i++) {
				const struct tref *x = &refs[i];
				if (x->live && tref_match(x, k) &&
				    (!best || x->prio > best->prio || (x->prio == best->prio && x->seq < best->seq)))
					best = x;
			}
			uint32_t slot = UINT32_MAX, slots[128];
			int *got = ops->lookup(t, k, &slot);
			CHECK(got == (best ? &best->data : NULL), "lookup: got entry %d, want %d",
			      got ? *got : -1, best ? best->data : -1);
			if (got && best) {
				int n = ops->slots(t, best->ident, best->prio, slots, 128);
				bool in = false;
				for (int i = 0; i < n; i++)
					in |= slots[i] == slot;
				CHECK(in, "lookup's hit index %u is not one of the entry's slots", slot);
			}
		}
		CHECK(ops->check(t) == 0, "slot invariant broken after operation %d", op);
		struct sw_engine_stats st;
		ops->stats(t, &st);
		CHECK(st.slots_used == used, "stats: %llu slots used, want %llu",
		      (unsigned long long)st.slots_used, (unsigned long long)used);
	}
	ops->free(t);
	free(refs);
}

/* ---- exact against a reference ------------------------------------------- */

static void exact_workload(uint32_t cap, uint32_t n_keys, int n_ops)
{
	const struct sw_engine_ops *ops = &sw_engine_exact;
	void *t = ops->create(L, cap, false);
	int *live = calloc(n_keys, sizeof(*live));
	uint64_t n = 0;
	struct sw_rule_kv kv;
	for (int op = 0; op < n_ops; op++, total_ops++) {
		uint32_t k = rnd() % n_keys, what = rnd() % 4;
		uint8_t key[2 * L] = { (uint8_t)(k >> 24), (uint8_t)(k >> 16), (uint8_t)(k >> 8),
				       (uint8_t)k, 0xff, 0xff, 0xff, 0xff };
		kv = (struct sw_rule_kv){ key, key + L };
		if (what == 0 || what == 1) {
			int e = ops->add(t, key, 0, &kv, 1, &live[k]);
			if (live[k])
				CHECK(e == -EEXIST, "exact dup add %d", e);
			else
				CHECK(e == 0 || (e == -ENOSPC && n >= cap / 2), "exact add %d at %llu/%u", e,
				      (unsigned long long)n, cap);
			if (!live[k] && e == 0)
				live[k] = 1, n++;
		} else if (what == 2) {
			void *old;
			int e = ops->del(t, key, 0, &old);
			CHECK(live[k] ? e == 0 && old == &live[k] : e == -ENOENT, "exact del %d", e);
			if (live[k] && e == 0)
				live[k] = 0, n--;
		} else {
			uint32_t slot, s2;
			void *got = ops->lookup(t, key, &slot);
			CHECK(got == (live[k] ? &live[k] : NULL), "exact lookup of key %u", k);
			if (got)
				CHECK(ops->slots(t, key, 0, &s2, 1) == 1 && s2 == slot && slot < cap,
				      "exact hit index %u", slot);
		}
		if (op % 64 == 0)
			CHECK(ops->check(t) == 0, "exact invariant after %d", op);
	}
	ops->free(t);
	free(live);
}

/* Fills an exact table until the first failure: the load reached. */
static double exact_fill(uint32_t cap)
{
	void *t = sw_engine_exact.create(L, cap, false);
	static int dummy;
	struct sw_engine_stats st;
	for (uint32_t k = 0;; k++) {
		uint8_t key[2 * L] = { (uint8_t)(k >> 24), (uint8_t)(k >> 16), (uint8_t)(k >> 8),
				       (uint8_t)k, 0xff, 0xff, 0xff, 0xff };
		struct sw_rule_kv kv = { key, key + L };
		total_ops++;
		if (sw_engine_exact.add(t, key, 0, &kv, 1, &dummy) < 0)
			break;
	}
	sw_engine_exact.stats(t, &st);
	sw_engine_exact.free(t);
	return st.fail_load ? st.fail_load : 1.0;
}

/* ---- range expansion --------------------------------------------------------- */

static void test_ranges(void)
{
	uint64_t v[128], m[128];
	for (uint32_t w = 1; w <= 10; w++) {
		uint32_t max = (1u << w) - 1;
		for (int t = 0; t < 300; t++) {
			uint32_t lo = rnd() & max, hi = rnd() & max;
			if (lo > hi) {
				uint32_t x = lo;
				lo = hi, hi = x;
			}
			int n = sw_range_prefixes(lo, hi, w, v, m, 128);
			CHECK(n >= 1 && (w == 1 || n <= (int)(2 * w - 2)), "w %u [%u,%u]: %d prefixes", w, lo,
			      hi, n);
			for (uint32_t x = 0; x <= max; x++) {
				int hits = 0;
				for (int i = 0; i < n; i++)
					hits += (x & m[i]) == v[i];
				CHECK(hits == (x >= lo && x <= hi), "w %u [%u,%u]: %u covered %d times", w,
				      lo, hi, x, hits);
			}
		}
		if (w >= 2)
			CHECK(sw_range_prefixes(1, max - 1, w, v, m, 128) == (int)(2 * w - 2),
			      "worst case of %u bits", w);
	}
	CHECK(sw_range_prefixes(0, UINT64_MAX, 64, v, m, 128) == 1 && m[0] == 0, "full 64-bit range");
	CHECK(sw_range_prefixes(1, UINT64_MAX - 1, 64, v, m, 128) == 126, "worst 64-bit range");
}

/* ---- fills, pinning, the refill sequence ------------------------------------ */

static int add_prio(void *t, uint32_t id, int32_t prio, void *data)
{
	uint8_t b[2 * L] = { (uint8_t)(id >> 24), (uint8_t)(id >> 16), (uint8_t)(id >> 8),
			     (uint8_t)id, 0xff, 0xff, 0xff, 0xff };
	struct sw_rule_kv kv = { b, b + L };
	return sw_engine_tcam.add(t, b, prio, &kv, 1, data);
}

static int del_prio(void *t, uint32_t id, int32_t prio)
{
	uint8_t b[2 * L] = { (uint8_t)(id >> 24), (uint8_t)(id >> 16), (uint8_t)(id >> 8),
			     (uint8_t)id, 0xff, 0xff, 0xff, 0xff };
	void *old;
	return sw_engine_tcam.del(t, b, prio, &old);
}

static void test_fill_and_pin(void)
{
	static int d;
	struct sw_engine_stats st;
	/* Any order of priorities fills the table to the last slot. */
	for (int round = 0; round < 20; round++) {
		uint32_t cap = 1 + rnd() % 300;
		void *t = sw_engine_tcam.create(L, cap, false);
		for (uint32_t i = 0; i < cap; i++) {
			int32_t prio = round % 3 == 0 ? (int32_t)i : round % 3 == 1 ? -(int32_t)i :
				       (int32_t)(rnd() % 50);
			CHECK(add_prio(t, i, prio, &d) == 0, "fill %u of %u", i, cap);
			total_ops++;
		}
		CHECK(add_prio(t, cap, 0, &d) == -ENOSPC, "a full table says so");
		CHECK(sw_engine_tcam.check(t) == 0, "invariant after fill");
		sw_engine_tcam.free(t);
	}
	/* Pinned: an insert that needs a move fails, and nothing moved.  Pinned
	 * tables centre each entry in its gap. */
	void *t = sw_engine_tcam.create(L, 8, true);
	static const struct { int32_t prio; int want; } pin[] = {
		{ 10, 0 }, { 5, 0 }, { 7, 0 }, { 6, -EBUSY }, { 20, 0 }, { 30, 0 }, { 40, -EBUSY },
		{ 1, 0 }, { 0, 0 }, { -1, -EBUSY }, { 15, 0 }, { -1, -ENOSPC },
	};
	for (uint32_t i = 0; i < sizeof(pin) / sizeof(pin[0]); i++)
		CHECK(add_prio(t, i, pin[i].prio, &d) == pin[i].want, "pinned insert %u (priority %d)", i,
		      pin[i].prio);
	sw_engine_tcam.stats(t, &st);
	CHECK(st.moves == 0 && st.slots_used == 8 && sw_engine_tcam.check(t) == 0,
	      "pinned: %llu moves", (unsigned long long)st.moves);
	sw_engine_tcam.free(t);
	/* Exact pinned: a full choice of rows fails with -EBUSY, never moves. */
	void *x = sw_engine_exact.create(L, 64, true);
	int busy = 0;
	for (uint32_t i = 0; i < 64; i++) {
		uint8_t b[2 * L] = { 0, 0, 0, (uint8_t)i, 0xff, 0xff, 0xff, 0xff };
		struct sw_rule_kv kv = { b, b + L };
		int e = sw_engine_exact.add(x, b, 0, &kv, 1, &d);
		CHECK(e == 0 || e == -EBUSY || e == -ENOSPC, "exact pinned %d", e);
		busy += e == -EBUSY;
	}
	sw_engine_exact.stats(x, &st);
	CHECK(st.moves == 0 && busy > 0, "exact pinned: %llu moves, %d refused",
	      (unsigned long long)st.moves, busy);
	sw_engine_exact.free(x);
}

/* The sequence of the hit-index discussion, scaled: priorities 1..n into n
 * slots, delete 1..n/2, insert n+1..3n/2.  Every insert succeeds, and the
 * moves stay at one per insert of the last phase at most. */
static void test_refill(uint32_t n)
{
	static int d;
	struct sw_engine_stats st;
	void *t = sw_engine_tcam.create(L, n, false);
	int bad = 0;
	for (uint32_t p = 1; p <= n; p++)
		bad += add_prio(t, p, (int32_t)p, &d) != 0;
	for (uint32_t p = 1; p <= n / 2; p++)
		bad += del_prio(t, p, (int32_t)p) != 0;
	for (uint32_t p = n + 1; p <= n + n / 2; p++)
		bad += add_prio(t, p, (int32_t)p, &d) != 0;
	total_ops += 2 * n;
	sw_engine_tcam.stats(t, &st);
	CHECK(!bad && sw_engine_tcam.check(t) == 0, "refill: %d operations failed", bad);
	CHECK(st.moves <= n / 2, "refill of %u: %llu moves", n, (unsigned long long)st.moves);
	sw_engine_tcam.free(t);
}

/* ---- concurrency ------------------------------------------------------------
 * A writer churns a table while a reader looks up.  Permanent entries (keys
 * 0..NP-1, middle priority, matched by nothing else of higher priority) must
 * always be found, whatever moves.  Churn entries record when they went in
 * and out, in writer steps; a lookup that returns one must have run while it
 * was in. */

enum { NP = 16, NC = 200 };

struct hist {
	int id;
	uint64_t in, out;         /* writer steps; out = UINT64_MAX while live */
};

struct race {
	const struct sw_engine_ops *ops;
	void *t;
	bool exact;
	uint64_t step;            /* atomic: writer steps done */
	int stop;                 /* atomic */
	struct hist perm[NP], churn[NC];
	uint64_t lookups, bad;
};

static void race_key(uint8_t *b, uint32_t id, bool perm)
{
	/* permanent: byte 0 = 1; churn: byte 0 = 0 (higher) or 1 with wildcards (lower) */
	memset(b, 0, 2 * L);
	b[0] = perm ? 1 : 0;
	b[3] = (uint8_t)id, b[2] = (uint8_t)(id >> 8);
	memset(b + L, 0xff, L);
}

static void *race_reader(void *arg)
{
	struct race *r = arg;
	uint64_t n = 0, bad = 0;
	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		/* mostly permanent keys: the ones that must never miss */
		uint32_t id = rnd() % 4 ? rnd() % NP : rnd() % (NP + NC), slot;
		uint8_t k[2 * L];
		bool perm = id < NP;
		race_key(k, perm ? id : id - NP, perm);
		if (!perm && !r->exact && rnd() % 2)
			k[0] = 1;  /* a churn key looked up where wildcard churn entries match too */
		uint64_t before = __atomic_load_n(&r->step, __ATOMIC_ACQUIRE);
		sw_rcu_read_lock();
		const struct hist *h = r->ops->lookup(r->t, k, &slot);
		int hid = h ? h->id : -1;
		uint64_t hin = h ? __atomic_load_n(&h->in, __ATOMIC_ACQUIRE) : 0;
		uint64_t hout = h ? __atomic_load_n(&h->out, __ATOMIC_ACQUIRE) : 0;
		sw_rcu_read_unlock();
		uint64_t after = __atomic_load_n(&r->step, __ATOMIC_ACQUIRE);
		n++;
		if (perm && hid != (int)id)
			bad++;  /* a permanent entry was missed or shadowed */
		else if (h && hid >= NP && (hin > after || hout < before))
			bad++;  /* an entry that was not in the table during the lookup */
	}
	r->lookups = n;
	r->bad = bad;
	return NULL;
}

static int race_add(struct race *r, struct hist *h, bool perm, uint32_t id)
{
	uint8_t b[2 * L];
	race_key(b, id, perm);
	int32_t prio = 100;
	if (!perm && !r->exact) {
		/* Odd churn ranks above the permanent entries but cannot match their
		 * keys (byte 0 = 0); even churn is 1.*.*.*, ranks below and matches
		 * every permanent key; its entries differ by priority. */
		if (id % 2) {
			prio = 101 + (int32_t)(id % 50);
		} else {
			b[0] = 1;
			memset(b + 1, 0, L - 1);
			memset(b + L + 1, 0, L - 1);
			prio = -(int32_t)id - 1;
		}
	}
	struct sw_rule_kv kv = { b, b + L };
	return r->ops->add(r->t, b, prio, &kv, 1, h) == 0 ? prio : INT32_MIN;
}

static void race_run(const struct sw_engine_ops *ops, uint32_t cap, int steps)
{
	static struct race r;
	memset(&r, 0, sizeof(r));
	r.ops = ops;
	r.exact = ops == &sw_engine_exact;
	r.t = ops->create(L, cap, false);
	int32_t prios[NC];
	for (int i = 0; i < NP; i++) {
		r.perm[i] = (struct hist){ i, 0, UINT64_MAX };
		CHECK(race_add(&r, &r.perm[i], true, (uint32_t)i) != INT32_MIN, "permanent add");
	}
	for (int i = 0; i < NC; i++)
		r.churn[i] = (struct hist){ NP + i, UINT64_MAX, 0 };
	pthread_t th;
	pthread_create(&th, NULL, race_reader, &r);
	uint64_t moves0 = 0;
	for (int s = 0; s < steps; s++) {
		int i = (int)(rnd() % NC);
		struct hist *h = &r.churn[i];
		uint64_t now = __atomic_load_n(&r.step, __ATOMIC_RELAXED);
		if (h->out == UINT64_MAX) {  /* live: remove it */
			uint8_t b[2 * L];
			void *old;
			race_key(b, (uint32_t)i, false);
			if (!r.exact && i % 2 == 0) {
				b[0] = 1;
				memset(b + 1, 0, L - 1);
				memset(b + L + 1, 0, L - 1);
			}
			CHECK(ops->del(r.t, b, r.exact ? 0 : prios[i], &old) == 0 && old == h, "race del");
			__atomic_store_n(&h->out, now, __ATOMIC_RELEASE);
		} else {
			/* out first: a reader that sees the new in sees it live */
			__atomic_store_n(&h->out, UINT64_MAX, __ATOMIC_RELEASE);
			__atomic_store_n(&h->in, now, __ATOMIC_RELEASE);
			prios[i] = race_add(&r, h, false, (uint32_t)i);
			if (prios[i] == INT32_MIN)  /* full: stays out */
				__atomic_store_n(&h->out, now, __ATOMIC_RELEASE);
		}
		__atomic_store_n(&r.step, now + 1, __ATOMIC_RELEASE);
		total_ops++;
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	struct sw_engine_stats st;
	ops->stats(r.t, &st);
	moves0 = st.moves;
	CHECK(r.bad == 0, "%s race: %llu bad lookups of %llu", ops->name,
	      (unsigned long long)r.bad, (unsigned long long)r.lookups);
	CHECK(moves0 > 0, "%s race: the writer never moved an entry", ops->name);
	printf("race %s: %d writes, %llu lookups, %llu moves, 0 bad\n", ops->name, steps,
	       (unsigned long long)r.lookups, (unsigned long long)moves0);
	ops->free(r.t);
}

/* ---- the hit index through the switch ---------------------------------------- */

static void packet(uint8_t *p, uint8_t ttl)
{
	static const uint8_t base[34] = {
		0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0x08, 0x00,
		0x45, 0, 0, 20, 0, 0, 0, 0, 0, 6, 0, 0, 10, 0, 0, 1, 10, 0, 1, 2 };
	memcpy(p, base, sizeof(base));
	p[22] = ttl;
}

static void test_hit_index(const char *dir)
{
	char path[4096];
	struct p4l_err err = { 0 };
	struct sw_switch *sw;
	struct sw_table_stats st;
	snprintf(path, sizeof(path), "%s/hit_index.json", dir);
	if (sw_create_from_file(&sw, path, &err) < 0) {
		CHECK(0, "%s", err.msg);
		return;
	}
	for (uint32_t port = 1; port <= 8; port++)
		sw_port_add_mem(sw, port, &err);
	int acl = sw_table_find(sw, "acl", &err), l2 = sw_table_find(sw, "l2", &err);
	int set = sw_action_find(sw, (size_t)acl, "set_l2ptr", &err);
	int fwd = sw_action_find(sw, (size_t)l2, "ipv4_forward", &err);
	CHECK(acl >= 0 && l2 >= 0 && set >= 0 && fwd >= 0, "%s", err.msg);
	uint8_t dst[4] = { 10, 0, 0, 0 }, dmask[4] = { 0xff, 0, 0, 0 }, lo = 1, hi = 14;
	struct sw_key k[2] = { { { dst, 4 }, { dmask, 4 }, 0 }, { { &lo, 1 }, { &hi, 1 }, 0 } };
	CHECK(sw_table_add(sw, (size_t)acl, k, 10, (size_t)set, NULL, &err) == 0, "%s", err.msg);
	uint32_t hix[16];
	size_t n = 0;
	CHECK(sw_table_hit_indexes(sw, (size_t)acl, k, 10, hix, 16, &n, &err) == 0 && n == 6,
	      "range [1, 14] as %zu slots: %s", n, err.msg);
	CHECK(sw_table_stats(sw, (size_t)acl, &st) == 0 && st.entries == 1 && st.slots_used == 6 &&
	      st.expansions == 1 && st.capacity == 64 && st.hit_index, "acl stats");
	/* Each slot of the range, a key of the l2 table: port = sub-range + 1. */
	for (size_t i = 0; i < n; i++) {
		uint8_t ptr[2] = { (uint8_t)(hix[i] >> 8), (uint8_t)hix[i] }, mac[6] = { 0, 0, 0, 0, 0, 9 };
		uint8_t port[2] = { 0, (uint8_t)(i + 1) };
		struct sw_key lk = { { ptr, 2 }, { NULL, 0 }, 0 };
		struct sw_bytes args[2] = { { mac, 6 }, { port, 2 } };
		CHECK(sw_table_add(sw, (size_t)l2, &lk, 0, (size_t)fwd, args, &err) == 0, "%s", err.msg);
	}
	/* Prefixes of [1, 14]: 1, 2-3, 4-7, 8-11, 12-13, 14 */
	static const struct { uint8_t ttl; int port; } cases[] = {
		{ 1, 1 }, { 2, 2 }, { 3, 2 }, { 4, 3 }, { 7, 3 }, { 8, 4 }, { 11, 4 }, { 12, 5 },
		{ 13, 5 }, { 14, 6 }, { 15, -1 }, { 0, -1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t pkt[34], *out;
		packet(pkt, cases[i].ttl);
		int port = sw_process(sw, 1, pkt, sizeof(pkt));
		CHECK(port == cases[i].port, "ttl %u went to port %d, want %d", cases[i].ttl, port,
		      cases[i].port);
		if (port > 0 && sw_port_take(sw, (uint32_t)port, &out) > 0) {
			CHECK(out[22] == cases[i].ttl - 1 && out[5] == 9, "ttl %u: forwarded packet",
			      cases[i].ttl);
			free(out);
		}
	}
	/* Pinned: entries go in the middle of their gap; one that needs room
	 * where there is none is refused, whatever is free elsewhere. */
	uint8_t zero = 0, all = 255, top = 254;
	struct sw_key any[2] = { { { dst, 4 }, { dmask, 4 }, 0 }, { { &zero, 1 }, { &all, 1 }, 0 } };
	struct sw_key wide[2] = { { { dst, 4 }, { dmask, 4 }, 0 }, { { &lo, 1 }, { &top, 1 }, 0 } };
	CHECK(sw_table_add(sw, (size_t)acl, any, 20, (size_t)set, NULL, &err) == 0 &&
	      sw_table_add(sw, (size_t)acl, any, 15, (size_t)set, NULL, &err) == 0, "%s", err.msg);
	memset(&err, 0, sizeof(err));
	CHECK(sw_table_add(sw, (size_t)acl, wide, 17, (size_t)set, NULL, &err) == -EBUSY &&
	      strstr(err.msg, "MyIngress.acl") && strstr(err.msg, "pinned"), "got '%s'", err.msg);
	CHECK(sw_table_stats(sw, (size_t)acl, &st) == 0 && st.moves == 0 && st.entries == 3 &&
	      st.slots_used == 8, "pinned acl: %llu moves", (unsigned long long)st.moves);
	/* A range whose bounds are reversed is refused with its key's name. */
	struct sw_key bad[2] = { { { dst, 4 }, { dmask, 4 }, 0 }, { { &hi, 1 }, { &lo, 1 }, 0 } };
	CHECK(sw_table_add(sw, (size_t)acl, bad, 30, (size_t)set, NULL, &err) == -EINVAL &&
	      strstr(err.msg, "hdr.ipv4.ttl: range low bound 14 is above the high bound 1"),
	      "got '%s'", err.msg);
	/* Deleting the range entry frees its six slots. */
	CHECK(sw_table_delete(sw, (size_t)acl, k, 10, &err) == 0 &&
	      sw_table_stats(sw, (size_t)acl, &st) == 0 && st.slots_used == 2 && st.expansions == 0,
	      "delete: %s", err.msg);
	sw_destroy(sw);
}

/* Packets through sw_process in one thread while another churns the lpm
 * table of basic.json.  10.0.2.77 is always covered by the permanent
 * 10.0.2.0/24 (port 2); churn routes are shorter prefixes that cover it
 * (port 5, they never win), /32s of it (port 7, they win while they live)
 * and routes elsewhere.  Every packet must leave on 2 or 7: never dropped
 * (a false miss), never on 5. */
struct sw_race {
	struct sw_switch *sw;
	int stop;
	uint64_t sent, bad;
};

static void *sw_race_reader(void *arg)
{
	struct sw_race *r = arg;
	uint8_t pkt[34];
	packet(pkt, 64);
	pkt[30] = 10, pkt[31] = 0, pkt[32] = 2, pkt[33] = 77;
	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		uint8_t *out;
		int port = sw_process(r->sw, 1, pkt, sizeof(pkt));
		if (port != 2 && port != 7)
			r->bad++;
		if (port >= 0 && sw_port_take(r->sw, (uint32_t)port, &out) > 0)
			free(out);
		r->sent++;
	}
	return NULL;
}

static int route(struct sw_switch *sw, int t, int a, bool add, uint32_t dst, uint32_t plen,
		 uint16_t port)
{
	uint8_t d[4] = { (uint8_t)(dst >> 24), (uint8_t)(dst >> 16), (uint8_t)(dst >> 8),
			 (uint8_t)dst }, mac[6] = { 0, 0, 0, 0, 0, 1 }, pb[2] = { 0, (uint8_t)port };
	struct sw_key k = { { d, 4 }, { NULL, 0 }, plen };
	struct sw_bytes args[2] = { { mac, 6 }, { pb, 2 } };
	struct p4l_err err;
	return add ? sw_table_add(sw, (size_t)t, &k, 0, (size_t)a, args, &err) :
		     sw_table_delete(sw, (size_t)t, &k, 0, &err);
}

static void test_switch_race(const char *dir, int steps)
{
	char path[4096];
	struct p4l_err err = { 0 };
	static struct sw_race r;
	snprintf(path, sizeof(path), "%s/basic.json", dir);
	memset(&r, 0, sizeof(r));
	if (sw_create_from_file(&r.sw, path, &err) < 0) {
		CHECK(0, "%s", err.msg);
		return;
	}
	for (uint32_t port = 1; port <= 8; port++)
		sw_port_add_mem(r.sw, port, &err);
	int t = sw_table_find(r.sw, "ipv4_lpm", &err), a = sw_action_find(r.sw, (size_t)t,
									 "ipv4_forward", &err);
	CHECK(route(r.sw, t, a, true, 0x0a000200, 24, 2) == 0, "permanent route");
	enum { NR = 800 };
	static struct { uint32_t dst, plen; uint16_t port; bool live; } rt[NR];
	for (int i = 0; i < NR; i++) {
		uint32_t kind = i % 4;
		rt[i].plen = kind == 0 ? 8 + (uint32_t)i % 16 : kind == 1 ? 32 : 8 + rnd() % 25;
		rt[i].dst = kind == 0 ? 0x0a000200 : kind == 1 ? 0x0a00024d : 0x0b000000 + (uint32_t)i * 256;
		rt[i].port = kind == 0 ? 5 : kind == 1 ? 7 : 3;
		if (kind == 1 && i != 1)
			rt[i].plen = 32, rt[i].dst = 0x0a00024d, rt[i].port = 7;
		rt[i].dst &= rt[i].plen ? ~0u << (32 - rt[i].plen) : 0;
	}
	pthread_t th;
	pthread_create(&th, NULL, sw_race_reader, &r);
	int done = 0;
	for (int s = 0; s < steps; s++) {
		int i = (int)(rnd() % NR);
		if (i % 4 == 1 && i != 1)
			continue;  /* one /32 of the address only */
		int e = route(r.sw, t, a, !rt[i].live, rt[i].dst, rt[i].plen, rt[i].port);
		if (e == 0)
			rt[i].live = !rt[i].live, done++;
		total_ops++;
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	struct sw_table_stats st;
	sw_table_stats(r.sw, (size_t)t, &st);
	printf("race through the switch: %d table writes, %llu packets, %llu moves, %llu bad\n",
	       done, (unsigned long long)r.sent, (unsigned long long)st.moves,
	       (unsigned long long)r.bad);
	CHECK(r.bad == 0 && r.sent > 0 && done > steps / 4, "switch race: %llu bad of %llu",
	      (unsigned long long)r.bad, (unsigned long long)r.sent);
	sw_destroy(r.sw);
}

int main(int argc, char **argv)
{
	int scale = argc > 2 ? atoi(argv[2]) : 1;
	if (argc < 2) {
		fprintf(stderr, "usage: test_engine PROGS_DIR [ROUNDS]\n");
		return 2;
	}
	test_hit_index(argv[1]);
	test_ranges();
	test_fill_and_pin();
	test_refill(2048);
	for (int s = 0; s < scale; s++) {
		tcam_workload(64, 96, 60000, false, 4, false);      /* crowded, many ties */
		tcam_workload(200, 150, 60000, true, 16, false);    /* ranges */
		tcam_workload(500, 400, 60000, true, 1000, false);
		tcam_workload(96, 120, 30000, true, 8, true);       /* pinned */
		tcam_workload(1000, 1100, 120000, false, 1 << 20, false);  /* nearly full */
		exact_workload(256, 300, 200000);
		exact_workload(1000, 1000, 200000);
		exact_workload(5, 8, 20000);
	}
	double lf = exact_fill(4096);
	printf("exact 4-way load at first failure: %.3f\n", lf);
	CHECK(lf > 0.9, "exact load at first failure %.3f", lf);
	race_run(&sw_engine_tcam, NP + NC / 2 + 4, 60000);
	race_run(&sw_engine_exact, (NP + NC) * 100 / 95, 200000);
	test_switch_race(argv[1], 40000);
	sw_rcu_flush();
	printf("%llu engine operations\n", (unsigned long long)total_ops);
	if (failures)
		fprintf(stderr, "%d checks failed\n", failures);
	return failures ? 1 : 0;
}
