/* engine.h - match engines that model hardware tables (prefix sw_eng).
 *
 * A table (plan.h) owns one engine instance, picked by match kind through one
 * ops struct (DPDK SWX style).  Keys are the table's key bytes: every key field
 * byte-padded and concatenated in key order.  Two engines, both with a slot
 * model whose slot number is the hit index:
 *
 *  - tcam (engine_tcam.c): ternary, lpm, range and optional tables.  As many
 *    slots as the table's size; slot order is rank order (smaller address =
 *    higher rank), where rank is (priority, higher wins; then the entry added
 *    first; then the sub-rule's index).  An entry is one or more sub-rules
 *    (value, mask), one slot each: a range key is expanded into prefixes by
 *    table.c.  Lookups go through a tuple-space search beside the slots and
 *    return exactly the entry in the lowest matching slot.
 *  - exact (engine_exact.c): multi-choice (4-way) cuckoo hash; the slot is
 *    way * rows + row.
 *
 * An entry is named by its ident (2 * key_len bytes: the canonical value and
 * mask the control plane gave, ranges as low/high) and its priority.
 *
 * Concurrency: writers (add, modify, del) are serialised by the caller; any
 * number of threads may look up at the same time without a lock, inside an
 * RCU read-side critical section (urcu-bp: sw_rcu_read_lock()).  A lookup sees
 * the table before or after each write, never a torn entry, and never a false
 * miss while entries move (copy to the new slot, then clear the old one).
 * Memory a lookup may still hold (rules, replaced data, old arrays) is retired
 * through sw_rcu_retire() and freed after a grace period.  See
 * docs/match-engines.md for the algorithms and their bounds. */
#ifndef SW_ENGINE_H
#define SW_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sw_engine_kind { SW_ENGINE_EXACT, SW_ENGINE_TCAM, SW_ENGINE_COUNT };

struct sw_engine_stats {
	uint64_t entries;       /* logical entries */
	uint64_t slots_used;
	uint64_t capacity;      /* slots */
	uint64_t moves;         /* entries moved to another slot, ever */
	uint64_t expansions;    /* entries that took more than one slot */
	double fail_load;       /* exact: slots_used / capacity at the first insert that
				 * found no free slot (0: none has failed) */
};

/* A sub-rule: value (pre-masked) and mask, key_len bytes each. */
struct sw_rule_kv {
	const uint8_t *value, *mask;
};

struct sw_engine_ops {
	const char *name;
	/* capacity: slots.  pinned: entries never move (inserts that would need a
	 * move fail with -EBUSY).  NULL when out of memory. */
	void *(*create)(uint32_t key_len, uint32_t capacity, bool pinned);
	/* Adds an entry of n sub-rules (n == 1 for exact).  -EEXIST for the same
	 * ident and priority, -ENOSPC when no room (the table says how full),
	 * -EBUSY when room needs a pinned entry to move, -ENOMEM. */
	int (*add)(void *e, const uint8_t *ident, int32_t prio, const struct sw_rule_kv *rules,
		   uint32_t n, void *data);
	/* Replaces the data of an entry (*old gets the previous, to retire). */
	int (*modify)(void *e, const uint8_t *ident, int32_t prio, void *data, void **old);
	/* -ENOENT if none; *data gets the removed entry's data (to retire). */
	int (*del)(void *e, const uint8_t *ident, int32_t prio, void **data);
	/* The data of the matching entry (NULL on a miss) and its slot. */
	void *(*lookup)(const void *e, const uint8_t *key, uint32_t *slot);
	/* The slots of an entry's sub-rules (up to cap; returns how many it has,
	 * or -ENOENT). */
	int (*slots)(const void *e, const uint8_t *ident, int32_t prio, uint32_t *out, uint32_t cap);
	void (*stats)(const void *e, struct sw_engine_stats *st);
	/* Checks the slot model's invariants (tests); 0 or -EPROTO. */
	int (*check)(const void *e);
	void (*free)(void *e);
};

extern const struct sw_engine_ops sw_engine_exact;
extern const struct sw_engine_ops sw_engine_tcam;

/* The engine registered for a match kind. */
const struct sw_engine_ops *sw_engine_get(enum sw_engine_kind kind);

/* RCU (urcu-bp: threads register themselves on first use). */
void sw_rcu_read_lock(void);
void sw_rcu_read_unlock(void);
/* Frees p (malloc'd) once no lookup can hold it; NULL is ignored. */
void sw_rcu_retire(void *p);
/* Waits for a grace period and frees everything retired (never call inside a
 * read-side critical section). */
void sw_rcu_flush(void);

/* A 64-bit hash of n bytes (engines, tests). */
uint64_t sw_eng_hash(const uint8_t *k, uint32_t n, uint64_t seed);

/* Writer-side index of entries by (ident, priority), shared by the engines. */
struct sw_eng_ent {
	struct sw_eng_ent *hnext;
	uint64_t hash;
	int32_t prio;
};

struct sw_eng_index {
	struct sw_eng_ent **b;
	uint32_t cap, n;
	uint32_t ident_len;
	/* where the ident bytes of an entry are */
	const uint8_t *(*ident)(const struct sw_eng_ent *x);
};

int sw_eng_index_init(struct sw_eng_index *ix, uint32_t ident_len,
		      const uint8_t *(*ident)(const struct sw_eng_ent *x));
void sw_eng_index_fini(struct sw_eng_index *ix);
struct sw_eng_ent *sw_eng_index_find(const struct sw_eng_index *ix, const uint8_t *ident,
				     int32_t prio);
int sw_eng_index_add(struct sw_eng_index *ix, struct sw_eng_ent *x, const uint8_t *ident);
void sw_eng_index_del(struct sw_eng_index *ix, struct sw_eng_ent *x);

#endif
