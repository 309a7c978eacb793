/* load.h - what the parts of the loader (load.c, load_act.c, load_ctl.c,
 * load_v1m.c) share: the loading context, the JSON helpers and the plan's
 * builders (prefix ld_).  Internal to src/switch.  Every helper that can fail leaves a message naming the file
 * and the JSON path in ld->err and returns a negative errno. */
#ifndef SW_LOAD_H
#define SW_LOAD_H

#include <jansson.h>
#include <stdbool.h>

#include "plan.h"

struct ld {
	struct sw_plan *p;
	struct p4l_err *err;
};

#define W_MAX 384  /* JSON paths in messages */

/* Builds a JSON path into w (W_MAX bytes); long ones are cut, which only
 * shortens a message. */
void ld_path(char *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int ld_fail(struct ld *ld, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ld_oom(struct ld *ld);

/* Members of a JSON object: NULL and *r set when missing or of another type;
 * an optional array is NULL (and *r untouched) when missing or null. */
json_t *ld_member(struct ld *ld, json_t *o, const char *key, json_type type,
		  const char *where, int *r);
const char *ld_str(struct ld *ld, json_t *o, const char *key, const char *where, int *r);
json_t *ld_opt_array(struct ld *ld, json_t *o, const char *key, const char *where, int *r);
/* The optional top-level list root[key] in *list, and a zeroed array with
 * room for its elements; NULL when absent (*r 0) or on failure (*r set). */
void *ld_top_list(struct ld *ld, json_t *root, const char *key, size_t elem, json_t **list,
		  int *r);
char *ld_dup(struct ld *ld, const char *s, int *r);
const char *ld_tv_type(json_t *tv);
/* Unwraps {"type": "expression", "value": {"type": "expression", ...}}. */
json_t *ld_unwrap(json_t *tv);

/* "0x..", "-0x.." or decimal into nbytes big-endian bytes: -ERANGE if it does
 * not fit, -EINVAL if malformed.  entries.c parses runtime.json values with it. */
int ld_hex_bytes(const char *s, uint8_t *out, size_t nbytes, bool *neg);
/* A hex string of nbytes into the constant pool; *off gets its offset. */
int ld_pool_hex(struct ld *ld, const char *s, size_t nbytes, const char *where, uint32_t *off);

/* Appends to the plan's expressions (*idx gets the index) or instructions. */
int ld_new_expr(struct ld *ld, struct sw_expr e, uint32_t *idx);
int ld_emit(struct ld *ld, struct sw_ins in);

int ld_find_header(const struct sw_plan *p, const char *name);
/* The index of the header stack a JSON string names, -1 if none. */
int ld_find_stack(const struct sw_plan *p, json_t *v);
/* ["stack", "field"]: the field of the stack's last filled element. */
int ld_stack_field(struct ld *ld, json_t *v, const char *where, struct sw_fref *f);
/* A header stack's or union's "name" and "header_ids" at w: the name copied
 * into *name, the ids resolved into *n header indexes in *hdrs. */
int ld_header_ids(struct ld *ld, json_t *o, const char *w, char **name, uint32_t **hdrs,
		  size_t *n);
int ld_field_ref(struct ld *ld, json_t *v, const char *where, struct sw_fref *f, bool *is_valid);

/* load_act.c: expressions (act NULL outside actions: no parameters),
 * primitives, dst = a (op) b assignments, the "actions" list. */
int ld_expr(struct ld *ld, const struct sw_action *act, json_t *tv, const char *where,
	    uint32_t *idx);
int ld_primitive(struct ld *ld, const struct sw_action *act, json_t *prim, const char *where);
int ld_emit_arith(struct ld *ld, const struct sw_action *act, json_t *params, size_t di,
		  int a, int b, int op, const char *where);
int ld_actions(struct ld *ld, json_t *root);
int ld_action_by_id(const struct sw_plan *p, json_int_t id);
int ld_action_by_name(const struct sw_plan *p, const char *name);

/* load_v1m.c: header_unions (sets every header's uni), parse_vsets,
 * field_lists / learn_lists; ld_find_union gives the index of the union a
 * {"type": "header_union", "value": NAME} names, -1 if none. */
int ld_unions(struct ld *ld, json_t *root);
int ld_vsets(struct ld *ld, json_t *root);
int ld_lists(struct ld *ld, json_t *root, const char *key, struct sw_flist **out, size_t *n_out);
int ld_find_union(const struct sw_plan *p, json_t *tv);
/* header_union_stacks (after ld_unions): member stacks appended to
 * plan->stacks.  ld_union_member_stack resolves a union stack's name and a
 * member's name into its member stack's index (a negative errno, message
 * set, if none); ld_find_ustack gives the index of the union stack a JSON
 * string names, -1 if none. */
int ld_union_stacks(struct ld *ld, json_t *root);
int ld_union_member_stack(struct ld *ld, json_t *stack, json_t *member, const char *where);
int ld_find_ustack(const struct sw_plan *p, json_t *v);

/* load_ctl.c */
int ld_stateful(struct ld *ld, json_t *root);       /* before the actions */
int ld_direct_counters(struct ld *ld, json_t *root); /* after the pipelines */
int ld_direct_meters(struct ld *ld, json_t *root);   /* after the pipelines */
int ld_pipelines(struct ld *ld, json_t *root);
int ld_calcs(struct ld *ld, json_t *root);
int ld_checksums(struct ld *ld, json_t *root);

#endif
