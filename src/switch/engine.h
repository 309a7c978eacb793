/* engine.h - match engines: one ops struct per match kind (DPDK SWX style).
 *
 * A table (plan.h) owns one engine instance, created from the table's key
 * length and size.  Keys are the table's key bytes: every key field byte-padded
 * and concatenated in key order (as BMv2 builds them).  An entry is a
 * (value, mask, priority) -> data pointer; the exact engine ignores masks and
 * priorities.  Higher priority wins (P4Runtime's convention); equal priorities
 * keep insertion order.
 *
 * Thread safety: none yet.  Writers and lookups must not overlap; the switch
 * refuses table writes while its dataplane thread runs (see switch.h).  A later
 * issue replaces these with hardware-model TCAMs and multi-way hash tables
 * published RCU-style; the interface stays. */
#ifndef SW_ENGINE_H
#define SW_ENGINE_H

#include <stddef.h>
#include <stdint.h>

enum sw_engine_kind { SW_ENGINE_EXACT, SW_ENGINE_TCAM, SW_ENGINE_COUNT };

struct sw_engine_ops {
	const char *name;
	/* Returns NULL when out of memory. */
	void *(*create)(uint32_t key_len, uint32_t max_size);
	/* -EEXIST for a duplicate (same value and mask, and same priority for
	 * TCAM), -ENOSPC when the table holds max_size entries, -ENOMEM. */
	int (*add)(void *e, const uint8_t *value, const uint8_t *mask, int32_t prio, void *data);
	/* Replaces the data of an existing entry (*old gets the previous data);
	 * -ENOENT if none. */
	int (*modify)(void *e, const uint8_t *value, const uint8_t *mask, int32_t prio, void *data,
		      void **old);
	/* -ENOENT if none; *data gets the removed entry's data. */
	int (*del)(void *e, const uint8_t *value, const uint8_t *mask, int32_t prio, void **data);
	/* The data of the matching entry, or NULL on a miss. */
	void *(*lookup)(const void *e, const uint8_t *key);
	void (*free)(void *e);
};

extern const struct sw_engine_ops sw_engine_exact;
extern const struct sw_engine_ops sw_engine_tcam;

/* The engine registered for a match kind. */
const struct sw_engine_ops *sw_engine_get(enum sw_engine_kind kind);

#endif
