/* tcam_bench.c - figures for the match engines (src/switch/engine*.c), the
 * four measurements of issue 5:
 *   1. the refill sequence of the hit-index discussion: priorities 1..16384
 *      into a 16384-slot TCAM, delete 1..8192, insert 16385..24576;
 *   2. random insert/delete at 50, 90 and 99 % occupancy: moves per insert;
 *   3. lookups per second at 100, 10,000 and 100,000 entries for exact, lpm
 *      and ternary tables, against a linear scan of the same rules;
 *   4. the exact table's load at its first failed insert.
 * Build it optimised, without sanitizers (see docs/match-engines.md):
 *   meson setup build-bench --buildtype=debugoptimized
 *   ninja -C build-bench bench/tcam_bench && build-bench/bench/tcam_bench */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "table.h"

static uint64_t rs = 0x853c49e6748fea9bull;

static uint64_t rnd64(void)
{
	rs ^= rs << 13, rs ^= rs >> 7, rs ^= rs << 17;
	return rs;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dummy;

/* An entry with a 4-byte id as its exact key. */
static int add_id(void *t, uint32_t id, int32_t prio)
{
	uint8_t b[8] = { (uint8_t)(id >> 24), (uint8_t)(id >> 16), (uint8_t)(id >> 8), (uint8_t)id,
			 0xff, 0xff, 0xff, 0xff };
	struct sw_rule_kv kv = { b, b + 4 };
	return sw_engine_tcam.add(t, b, prio, &kv, 1, &dummy);
}

static int del_id(void *t, uint32_t id, int32_t prio)
{
	uint8_t b[8] = { (uint8_t)(id >> 24), (uint8_t)(id >> 16), (uint8_t)(id >> 8), (uint8_t)id,
			 0xff, 0xff, 0xff, 0xff };
	void *old;
	return sw_engine_tcam.del(t, b, prio, &old);
}

static uint64_t moves(void *t)
{
	struct sw_engine_stats st;
	sw_engine_tcam.stats(t, &st);
	return st.moves;
}

static void refill(void)
{
	void *t = sw_engine_tcam.create(4, 16384, false);
	int failed = 0;
	double t0 = now();
	for (uint32_t p = 1; p <= 16384; p++)
		failed += add_id(t, p, (int32_t)p) != 0;
	uint64_t m1 = moves(t);
	for (uint32_t p = 1; p <= 8192; p++)
		failed += del_id(t, p, (int32_t)p) != 0;
	for (uint32_t p = 16385; p <= 24576; p++)
		failed += add_id(t, p, (int32_t)p) != 0;
	double dt = now() - t0;
	uint64_t m = moves(t);
	printf("1. refill (16384 slots; +1..16384, -1..8192, +16385..24576): %s, %llu moves "
	       "(%llu filling, %llu refilling), %.3f moves per insert over 24576 inserts, "
	       "%.2f per insert of the refill; %.1f ms\n", failed ? "SOME FAILED" : "every insert succeeded",
	       (unsigned long long)m, (unsigned long long)m1, (unsigned long long)(m - m1),
	       (double)m / 24576, (double)(m - m1) / 8192, dt * 1e3);
	sw_engine_tcam.free(t);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void churn(double occ)
{
	enum { CAP = 16384, OPS = 200000 };
	void *t = sw_engine_tcam.create(4, CAP, false);
	uint32_t n = (uint32_t)(CAP * occ), live = 0, next = 0;
	static uint32_t ids[CAP];
	static int32_t prios[CAP];
	static uint64_t per[OPS];
	while (live < n) {
		int32_t pr = (int32_t)(rnd64() % 1000000);
		if (add_id(t, next, pr) == 0) {
			ids[live] = next;
			prios[live++] = pr;
		}
		next++;
	}
	uint64_t fill = moves(t), total = 0;
	double t0 = now();
	for (int i = 0; i < OPS; i++) {
		uint32_t k = (uint32_t)(rnd64() % live);
		del_id(t, ids[k], prios[k]);
		int32_t pr = (int32_t)(rnd64() % 1000000);
		uint64_t m0 = moves(t);
		if (add_id(t, next, pr) != 0) {
			printf("   insert failed at %u of %u\n", live, CAP);
			break;
		}
		per[i] = moves(t) - m0;
		total += per[i];
		ids[k] = next++;
		prios[k] = pr;
	}
	double dt = now() - t0;
	qsort(per, OPS, sizeof(per[0]), cmp_u64);
	printf("2. churn at %2.0f%% of 16384 slots, random priorities: %.2f moves per insert "
	       "(p99 %llu, max %llu); filling took %.2f per insert; %.2f us per delete+insert\n",
	       occ * 100, (double)total / OPS, (unsigned long long)per[OPS * 99 / 100],
	       (unsigned long long)per[OPS - 1], (double)fill / n, dt / OPS * 1e6);
	sw_engine_tcam.free(t);
}

/* ---- lookups --------------------------------------------------------------- */

enum { KL = 13 };   /* ternary: src ip, dst ip, sport, dport, proto */

struct lin {        /* the linear scan's rules, in rank order */
	uint8_t v[KL], m[KL];
	int32_t prio;
};

static int cmp_lin(const void *a, const void *b)
{
	const struct lin *x = a, *y = b;
	return (x->prio < y->prio) - (x->prio > y->prio);
}

static const struct lin *lin_lookup(const struct lin *r, size_t n, const uint8_t *k, uint32_t L)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t j = 0;
		while (j < L && (k[j] & r[i].m[j]) == r[i].v[j])
			j++;
		if (j == L)
			return &r[i];
	}
	return NULL;
}

static void set_prefix(uint8_t *m, uint32_t bytes, uint32_t plen)
{
	memset(m, 0, bytes);
	for (uint32_t b = 0; b < plen; b++)
		m[b / 8] |= (uint8_t)(0x80 >> (b % 8));
}

/* kind 0 exact (4-byte keys), 1 lpm (IPv4), 2 ternary (5-tuple, 24 masks) */
static void lookups(int kind, uint32_t n)
{
	static const char *const names[] = { "exact", "lpm", "ternary" };
	uint32_t L = kind == 2 ? KL : 4;
	const struct sw_engine_ops *ops = kind ? &sw_engine_tcam : &sw_engine_exact;
	uint32_t cap = kind ? n : n + n / 4 + 8;
	void *t = ops->create(L, cap, false);
	struct lin *lr = calloc(n, sizeof(*lr));
	size_t nl = 0;
	while (nl < n) {
		struct lin *r = &lr[nl];
		uint8_t id[2 * KL];
		uint64_t x = rnd64();
		memset(r, 0, sizeof(*r));
		if (kind == 0) {
			memset(r->m, 0xff, L);
			memcpy(r->v, &x, 4);
		} else if (kind == 1) {
			/* prefix lengths as in a routing table: mostly 16..24 */
			static const uint8_t pl[] = { 8, 12, 16, 16, 18, 20, 22, 22, 23, 24, 24, 24, 24, 28, 32 };
			uint32_t plen = pl[rnd64() % sizeof(pl)];
			set_prefix(r->m, 4, plen);
			r->prio = (int32_t)plen;
		} else {
			static const uint8_t ipl[] = { 0, 8, 16, 24, 32, 32 };
			set_prefix(r->m, 4, ipl[x % 6]);
			set_prefix(r->m + 4, 4, ipl[(x >> 3) % 6] < 16 ? 32 : ipl[(x >> 3) % 6]);
			if ((x >> 6) & 1)
				r->m[8] = r->m[9] = 0xff;
			if ((x >> 7) & 1)
				r->m[10] = r->m[11] = 0xff;
			r->m[12] = (x >> 8) & 1 ? 0xff : 0;
			r->prio = (int32_t)(rnd64() % 100000);
		}
		uint64_t y = rnd64(), z = rnd64();
		if (kind)
			memcpy(r->v, &y, 8), memcpy(r->v + 8, &z, 5);
		for (uint32_t j = 0; j < L; j++)
			r->v[j] &= r->m[j];
		memcpy(id, r->v, L);
		memcpy(id + L, r->m, L);
		struct sw_rule_kv kv = { r->v, r->m };
		if (ops->add(t, id, r->prio, &kv, 1, r) == 0)
			nl++;
	}
	struct lin *sorted = malloc(nl * sizeof(*sorted));
	memcpy(sorted, lr, nl * sizeof(*sorted));
	if (kind)
		qsort(sorted, nl, sizeof(*sorted), cmp_lin);  /* ties may reorder: counted below */
	/* Keys: half from entries (hits), half random. */
	enum { NK = 4096 };
	static uint8_t keys[NK][KL];
	for (int i = 0; i < NK; i++) {
		uint64_t a = rnd64(), b = rnd64();
		memcpy(keys[i], &a, 8);
		memcpy(keys[i] + 8, &b, 5);
		if (i % 2) {
			const struct lin *r = &lr[rnd64() % nl];
			for (uint32_t j = 0; j < L; j++)
				keys[i][j] = (uint8_t)(r->v[j] | (keys[i][j] & ~r->m[j]));
		}
	}
	uint64_t hits = 0, cnt = 0, lcnt = 0, differ = 0;
	uint32_t slot;
	double t0 = now(), dt;
	do {
		for (int i = 0; i < NK; i++)
			hits += ops->lookup(t, keys[i], &slot) != NULL;
		cnt += NK;
		dt = now() - t0;
	} while (dt < 0.3);
	double eng = (double)cnt / dt;
	t0 = now();
	do {
		for (int i = 0; i < NK && (lcnt < 64 || now() - t0 < 0.3); i++, lcnt++) {
			const struct lin *a = lin_lookup(sorted, nl, keys[i], L);
			const struct lin *b = ops->lookup(t, keys[i], &slot);
			/* equal priorities may rank differently in qsort's order */
			if ((a == NULL) != (b == NULL) || (a && a->prio != b->prio))
				differ++;
		}
		dt = now() - t0;
	} while (dt < 0.3);
	double lin = (double)lcnt / dt;
	printf("3. %-7s %6u entries: %10.0f lookups/s (linear scan %10.0f/s, x%.0f); %.0f%% hits, "
	       "%llu answers differ from the scan\n", names[kind], n, eng, lin, eng / lin,
	       100.0 * (double)hits / (double)cnt, (unsigned long long)differ);
	ops->free(t);
	free(lr);
	free(sorted);
}

static void exact_load(uint32_t cap)
{
	void *t = sw_engine_exact.create(8, cap, false);
	struct sw_engine_stats st;
	double t0 = now();
	for (;;) {
		uint64_t k = rnd64();
		uint8_t b[16];
		memcpy(b, &k, 8);
		memset(b + 8, 0xff, 8);
		struct sw_rule_kv kv = { b, b + 8 };
		int e = sw_engine_exact.add(t, b, 0, &kv, 1, &dummy);
		if (e == -ENOSPC)
			break;
	}
	sw_engine_exact.stats(t, &st);
	printf("4. exact, %7u slots (4-way cuckoo): load %.4f at the first failed insert, "
	       "%llu moves, %.1f ms\n", cap, st.fail_load ? st.fail_load : 1.0,
	       (unsigned long long)st.moves, (now() - t0) * 1e3);
	sw_engine_exact.free(t);
}

int main(void)
{
	refill();
	churn(0.50);
	churn(0.90);
	churn(0.99);
	static const uint32_t sizes[] = { 100, 10000, 100000 };
	for (int k = 0; k < 3; k++)
		for (int s = 0; s < 3; s++)
			lookups(k, sizes[s]);
	exact_load(1024);
	exact_load(16384);
	exact_load(262144);
	sw_rcu_flush();
	return 0;
}
