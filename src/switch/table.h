/* table.h - table entries on the plan (internal to src/switch).
 *
 * Used by the loader for the program's own entries and default actions, and
 * by switch.c for the control-plane calls of switch.h.  Keys come as the
 * table's key bytes, value and mask; for a range key part the value bytes
 * hold the low bound and the mask bytes the high bound.  Writes may run while
 * other threads look up (engine.h): one writer at a time. */
#ifndef SW_TABLE_H
#define SW_TABLE_H

#include "plan.h"

/* Adds an entry: val/mask are the table's key bytes (mask ignored by exact
 * tables), args the action's argument bytes.  Errors name the table. */
int sw_tbl_insert(struct sw_plan *p, struct sw_table *t, const uint8_t *val,
		  const uint8_t *mask, int32_t prio, uint32_t action, const uint8_t *args,
		  struct p4l_err *err);
/* Removes or replaces (action and arguments) the entry with this key;
 * -ENOENT if there is none. */
int sw_tbl_delete(struct sw_plan *p, struct sw_table *t, const uint8_t *val,
		  const uint8_t *mask, int32_t prio, struct p4l_err *err);
int sw_tbl_modify(struct sw_plan *p, struct sw_table *t, const uint8_t *val,
		  const uint8_t *mask, int32_t prio, uint32_t action, const uint8_t *args,
		  struct p4l_err *err);
int sw_tbl_set_default(struct sw_plan *p, struct sw_table *t, uint32_t action,
		       const uint8_t *args, struct p4l_err *err);
/* The slots of an entry (see sw_table_hit_indexes). */
int sw_tbl_slots(struct sw_plan *p, struct sw_table *t, const uint8_t *val, const uint8_t *mask,
		 int32_t prio, uint32_t *out, size_t cap, size_t *n, struct p4l_err *err);
void sw_tbl_stats(const struct sw_table *t, struct sw_engine_stats *st);
void sw_tbl_fini(struct sw_table *t);

struct sw_bytes;

/* v right-aligned in nbytes (= (width + 7) / 8) big-endian bytes, leading
 * zero bytes of v dropped; -ERANGE if it does not fit in width bits. */
int sw_fit_value(uint8_t *dst, uint32_t nbytes, uint32_t width, const struct sw_bytes *v);

/* Mask of the top plen bits of a width-bit value held in nbytes big-endian
 * bytes (right-aligned, as fields are in keys). */
void sw_prefix_mask(uint8_t *mask, uint32_t nbytes, uint32_t width, uint32_t plen);

/* Splits [lo, hi] of a width-bit field (width <= 64) into aligned prefix
 * blocks: at most 2 * width - 2 of them, written to vals/masks (cap each);
 * returns how many, or -ENOSPC beyond cap. */
int sw_range_prefixes(uint64_t lo, uint64_t hi, uint32_t width, uint64_t *vals,
		      uint64_t *masks, int cap);

#endif
