/* table.h - table entries on the plan (internal to src/switch).
 *
 * Used by the loader for the program's own entries and default actions, and
 * by switch.c for the control-plane calls of switch.h. */
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
void sw_tbl_fini(struct sw_table *t);

/* Mask of the top plen bits of a width-bit value held in nbytes big-endian
 * bytes (right-aligned, as fields are in keys). */
void sw_prefix_mask(uint8_t *mask, uint32_t nbytes, uint32_t width, uint32_t plen);

#endif
