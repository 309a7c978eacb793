/* engine.c - what the match engines share (see engine.h): the registry by
 * match kind, RCU read-side wrappers and deferred frees, the key hash, and the
 * writer-side index of entries by (ident, priority).  The engines themselves
 * are engine_tcam.c and engine_exact.c. */
#include "engine.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <urcu-bp.h>

const struct sw_engine_ops *sw_engine_get(enum sw_engine_kind kind)
{
	static const struct sw_engine_ops *const reg[SW_ENGINE_COUNT] = {
		[SW_ENGINE_EXACT] = &sw_engine_exact,
		[SW_ENGINE_TCAM] = &sw_engine_tcam,
	};
	return (unsigned)kind < SW_ENGINE_COUNT ? reg[kind] : NULL;
}

/* ---- RCU ------------------------------------------------------------------ */

void sw_rcu_read_lock(void) { urcu_bp_read_lock(); }
void sw_rcu_read_unlock(void) { urcu_bp_read_unlock(); }

/* Retired blocks wait here; a full batch costs one grace period, so churn
 * pays a synchronize per RETIRE_BATCH frees, not per write. */
#define RETIRE_BATCH 1024

static pthread_mutex_t retire_lock = PTHREAD_MUTEX_INITIALIZER;
static void **retired;
static size_t n_retired, cap_retired;

void sw_rcu_flush(void)
{
	pthread_mutex_lock(&retire_lock);
	void **list = retired;
	size_t n = n_retired;
	retired = NULL;
	n_retired = cap_retired = 0;
	pthread_mutex_unlock(&retire_lock);
	if (!list)
		return;
	urcu_bp_synchronize_rcu();
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void sw_rcu_retire(void *p)
{
	bool flush = false;
	if (!p)
		return;
	pthread_mutex_lock(&retire_lock);
	if (n_retired == cap_retired) {
		size_t nc = cap_retired ? 2 * cap_retired : 64;
		void **nl = realloc(retired, nc * sizeof(*nl));
		if (!nl) {
			/* No room to defer: wait for readers now, then free. */
			pthread_mutex_unlock(&retire_lock);
			urcu_bp_synchronize_rcu();
			free(p);
			return;
		}
		retired = nl;
		cap_retired = nc;
	}
	retired[n_retired++] = p;
	flush = n_retired >= RETIRE_BATCH;
	pthread_mutex_unlock(&retire_lock);
	if (flush)
		sw_rcu_flush();
}

/* ---- hash ------------------------------------------------------------------ */

static inline uint64_t mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

uint64_t sw_eng_hash(const uint8_t *k, uint32_t n, uint64_t seed)
{
	uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
	uint32_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, k + i, 8);
		h = (h ^ mix64(w)) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	if (i < n) {
		uint64_t w = 0;
		memcpy(&w, k + i, n - i);
		h = (h ^ mix64(w ^ 0x5bd1e995)) * 0x9e3779b97f4a7c15ULL;
	}
	return mix64(h);
}

/* ---- writer-side entry index -------------------------------------------- */

int sw_eng_index_init(struct sw_eng_index *ix, uint32_t ident_len,
		      const uint8_t *(*ident)(const struct sw_eng_ent *x))
{
	memset(ix, 0, sizeof(*ix));
	ix->ident_len = ident_len;
	ix->ident = ident;
	ix->cap = 16;
	ix->b = calloc(ix->cap, sizeof(*ix->b));
	return ix->b ? 0 : -ENOMEM;
}

void sw_eng_index_fini(struct sw_eng_index *ix)
{
	free(ix->b);
	ix->b = NULL;
}

static uint64_t ent_hash(const struct sw_eng_index *ix, const uint8_t *ident, int32_t prio)
{
	return sw_eng_hash(ident, ix->ident_len, (uint64_t)(uint32_t)prio * 0x100000001b3ULL);
}

struct sw_eng_ent *sw_eng_index_find(const struct sw_eng_index *ix, const uint8_t *ident,
				     int32_t prio)
{
	uint64_t h = ent_hash(ix, ident, prio);
	for (struct sw_eng_ent *x = ix->b[h & (ix->cap - 1)]; x; x = x->hnext)
		if (x->hash == h && x->prio == prio && !memcmp(ix->ident(x), ident, ix->ident_len))
			return x;
	return NULL;
}

int sw_eng_index_add(struct sw_eng_index *ix, struct sw_eng_ent *x, const uint8_t *ident)
{
	if (2 * (ix->n + 1) > ix->cap) {
		uint32_t nc = 2 * ix->cap;
		struct sw_eng_ent **nb = calloc(nc, sizeof(*nb));
		if (!nb)
			return -ENOMEM;
		for (uint32_t i = 0; i < ix->cap; i++)
			for (struct sw_eng_ent *y = ix->b[i], *nx; y; y = nx) {
				nx = y->hnext;
				y->hnext = nb[y->hash & (nc - 1)];
				nb[y->hash & (nc - 1)] = y;
			}
		free(ix->b);
		ix->b = nb;
		ix->cap = nc;
	}
	x->hash = ent_hash(ix, ident, x->prio);
	x->hnext = ix->b[x->hash & (ix->cap - 1)];
	ix->b[x->hash & (ix->cap - 1)] = x;
	ix->n++;
	return 0;
}

void sw_eng_index_del(struct sw_eng_index *ix, struct sw_eng_ent *x)
{
	for (struct sw_eng_ent **pp = &ix->b[x->hash & (ix->cap - 1)]; *pp; pp = &(*pp)->hnext)
		if (*pp == x) {
			*pp = x->hnext;
			ix->n--;
			return;
		}
}
