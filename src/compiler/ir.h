/* ir.h - the lowered program: what the middle end (lower.c) builds from the
 * checked AST and what the writers (bmv2.c, p4info_gen.c) read.
 *
 * It is BMv2's model of a program, fully resolved: header types and
 * instances, parsers as states with ops and keyed transitions, actions as
 * primitive lists, controls as graphs of tables and conditionals named by
 * string, checksums, and, for P4Info, the control-plane names of tables,
 * actions and packet-metadata headers.  Every object lives in the
 * compilation's arena (arena.h).  Indices (`int`) refer to the program's
 * arrays; ids are the BMv2 JSON ids, equal to the array index. */
#ifndef P4C_IR_H
#define P4C_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "error.h"
#include "num.h"

typedef P4L_VEC(struct p4c_num) p4c_num_vec;
typedef P4L_VEC(uint8_t) p4c_byte_vec;

struct p4c_ir_field {
	const char *name;
	int width;               /* varbit: its maximum */
	bool is_signed;
	bool is_varbit;
};

struct p4c_ir_htype {
	const char *name;
	P4L_VEC(struct p4c_ir_field) fields;
};

struct p4c_ir_header {
	const char *name;        /* instance name in the JSON ("ipv4", "scalars") */
	int htype;
	bool metadata;
};

/* A header union type (its members: names and header types) and an
 * instance: member headers named "u.a", "u.b", one valid at a time. */
struct p4c_ir_utype {
	const char *name;
	P4L_VEC(const char *) members;
	P4L_VEC(int) htypes;
};

struct p4c_ir_union {
	const char *name;
	int utype;
	P4L_VEC(int) headers;    /* instance indices, in member order */
};

struct p4c_ir_stack {
	const char *name;
	int htype;
	P4L_VEC(int) headers;    /* instance indices, [0] first */
};

/* Expressions, as BMv2 evaluates them: on unbounded integers and booleans.
 * The lowering inserts the truncations ("&" masks) and conversions (b2d, d2b)
 * that P4's fixed-width semantics need, so a writer only has to print. */
enum p4c_ir_ek {
	P4C_IRE_FIELD,      /* header instance `hdr`, field `field` */
	P4C_IRE_HEADER,     /* a header instance as a value (emit, setValid, assign_header) */
	P4C_IRE_STACK,      /* a header stack */
	P4C_IRE_CONST,      /* num, printed as a hexstr of `width` bits (0: as needed) */
	P4C_IRE_BOOL,
	P4C_IRE_PARAM,      /* an action's runtime_data number `index` */
	P4C_IRE_OP,         /* op applied to l (NULL when unary), r, and c for "?" */
	P4C_IRE_CALC,       /* a calculation by name (hash, checksum inputs) */
	P4C_IRE_REF,        /* a named object: type `field` ("counter_array", ...), name `hdr` */
	P4C_IRE_LOOKAHEAD,  /* parser only: `width` bits at bit offset `index` ahead */
	P4C_IRE_STACK_FIELD, /* field `field` of the last valid header of stack `hdr` */
	P4C_IRE_VECTOR,     /* a parameters_vector of `items` (log_msg) */
	P4C_IRE_STRING,
	P4C_IRE_UNION,      /* a header union instance `hdr` (valid_union, assign_union) */
	P4C_IRE_INT,        /* a plain JSON integer `index` (access_field's field number) */
};

struct p4c_ir_expr {
	enum p4c_ir_ek kind;
	int width;               /* bits of a data value; 0 for booleans */
	bool is_bool;
	const char *hdr;         /* FIELD, HEADER, STACK, CALC, STRING */
	const char *field;       /* FIELD */
	struct p4c_num num;      /* CONST */
	bool b;                  /* BOOL */
	int index;               /* PARAM */
	const char *op;          /* OP: BMv2 operator ("+", "and", "d2b", "valid", ...) */
	struct p4c_ir_expr *l, *r, *c;
	P4L_VEC(struct p4c_ir_expr *) items;   /* VECTOR */
};

/* One primitive call (action body), or parser op ("extract", "set",
 * "verify", "primitive").  For parser "primitive" ops, `op` is the primitive
 * and the writer wraps it. */
struct p4c_ir_call {
	const char *op;
	P4L_VEC(struct p4c_ir_expr *) args;
	const char *file;        /* source_info, may be NULL */
	int line, col;
	const char *text;        /* source fragment for source_info */
};

/* @brief / @description of a control-plane object (P4Info preamble doc). */
struct p4c_ir_doc {
	const char *brief, *description;
	P4L_VEC(const char *) annos;   /* other annotations, as written: "@my_anno(1)" */
};

struct p4c_ir_param {
	const char *name;
	int width;
	uint32_t id;                 /* P4Info id: @id, else its position from 1 */
};

struct p4c_ir_action {
	const char *name;        /* fully qualified control-plane name */
	P4L_VEC(struct p4c_ir_param) params;
	P4L_VEC(struct p4c_ir_call) prims;
	bool hidden;             /* synthesized: not in P4Info */
	bool table_only, default_only;  /* @tableonly / @defaultonly, per table below */
	int has_user_id;
	uint32_t user_id;
	struct p4c_ir_doc doc;
};

/* A parser transition: BMv2 `type` hexstr (value/mask over the byte-padded
 * concatenation of the key) or default. */
struct p4c_ir_transition {
	bool is_default;
	const char *vset;        /* non-NULL: matches the members of this value set */
	p4c_byte_vec value;
	p4c_byte_vec mask;   /* empty: no mask */
	const char *next;        /* state name, NULL for accept/reject */
};

struct p4c_ir_pstate {
	const char *name;
	P4L_VEC(struct p4c_ir_call) ops;
	P4L_VEC(struct p4c_ir_expr *) key;   /* FIELD expressions */
	P4L_VEC(struct p4c_ir_transition) transitions;
};

struct p4c_ir_parser {
	const char *name;        /* "parser" for v1model */
	const char *init_state;
	P4L_VEC(struct p4c_ir_pstate) states;
};

/* A parser value set (value_set<T>(size)): the control plane fills it. */
struct p4c_ir_vset {
	const char *name;        /* control-plane name ("MyParser.pvs") */
	int width;               /* bits of T (the select key it is matched on) */
	int64_t size;
	P4L_VEC(struct p4c_ir_field) members;   /* T's fields, for P4Info matches */
	int has_user_id;
	uint32_t user_id;
	struct p4c_ir_doc doc;
};

struct p4c_ir_deparser {
	const char *name;
	P4L_VEC(const char *) order;   /* header instance names */
};

enum p4c_ir_match {
#define P4C_IR_MATCH_KINDS(X) \
	X(EXACT, "exact") X(LPM, "lpm") X(TERNARY, "ternary") X(RANGE, "range") \
	X(OPTIONAL, "optional")
#define X(e, s) P4C_MATCH_##e,
	P4C_IR_MATCH_KINDS(X)
#undef X
};
const char *p4c_ir_match_name(enum p4c_ir_match m);

struct p4c_ir_key {
	const char *name;            /* control-plane name, e.g. "hdr.ipv4.dstAddr" */
	enum p4c_ir_match match;
	struct p4c_ir_expr *target;  /* FIELD */
	bool is_valid;               /* h.isValid(): target is h's "$valid$" field */
	int width;
	bool has_mask;
	struct p4c_num mask;         /* a static mask (`f & 0xff`) */
	int has_user_id;
	uint32_t user_id;
};

/* A const entry's key component. */
struct p4c_ir_mkey {
	enum p4c_ir_match match;
	struct p4c_num key, mask;    /* mask: ternary; end: range in mask */
	int prefix_len;              /* lpm */
	bool dont_care;              /* ternary/lpm/optional `_` */
};

struct p4c_ir_entry {
	P4L_VEC(struct p4c_ir_mkey) keys;
	int action;
	p4c_num_vec data;
	int priority;
};

struct p4c_ir_table {
	const char *name;
	P4L_VEC(struct p4c_ir_key) keys;
	P4L_VEC(int) actions;        /* action indices */
	P4L_VEC(int) action_scope;   /* 0 table+default, 1 table only, 2 default only */
	int default_action;          /* -1: none given (NoAction is the BMv2 default) */
	p4c_num_vec default_data;
	bool default_const;
	int64_t size;
	bool size_given;
	bool is_const;               /* `const entries` */
	P4L_VEC(struct p4c_ir_entry) entries;
	bool hidden;                 /* synthesized for a direct action call */
	/* Control flow: either per action (next_by_action[i] for actions[i]) or
	 * by hit/miss; base_next is the node after the table in any case. */
	bool by_hit;
	const char *next_hit, *next_miss;
	P4L_VEC(const char *) next_by_action;
	const char *base_next;
	int has_user_id;
	uint32_t user_id;
	struct p4c_ir_doc doc;
	int direct_counter;          /* index in counters, -1: none */
	int direct_meter;            /* index in meters, -1: none */
	int profile;                 /* index in profiles, -1: none */
	P4L_VEC(struct p4c_ir_expr *) sel_keys;   /* `selector` keys: the profile's inputs */
	bool support_timeout;
	int key_action;              /* computes key expressions into scalars first, -1: none */
	const char *hit_index_field; /* scalars field T.hit_index() reads (p4lab_hit_index), or NULL */
};

struct p4c_ir_cond {
	const char *name;
	struct p4c_ir_expr *expr;
	const char *true_next, *false_next;
};

struct p4c_ir_pipeline {
	const char *name;            /* "ingress" / "egress" */
	const char *init;            /* first node, NULL if empty */
	P4L_VEC(int) tables;         /* indices into program tables */
	P4L_VEC(struct p4c_ir_cond) conds;
};

struct p4c_ir_calc {
	const char *name;
	const char *algo;
	P4L_VEC(struct p4c_ir_expr *) inputs;   /* FIELD or CONST (with width) */
};

struct p4c_ir_checksum {
	const char *name;
	struct p4c_ir_expr *target;   /* FIELD */
	int calc;
	bool verify, update;
	struct p4c_ir_expr *if_cond;  /* NULL: unconditional */
};


struct p4c_ir_named_value {
	const char *name;
	int value;
};

struct p4c_ir_enum {
	const char *name;
	P4L_VEC(struct p4c_ir_named_value) entries;
};

/* A field list (metadata kept across resubmit, recirculate, clone) or a
 * learn list (the fields a digest carries). */
struct p4c_ir_field_list {
	const char *name;
	int id;                      /* > 0; primitives name lists by id */
	P4L_VEC(struct p4c_ir_expr *) fields;
};

/* A digest type for P4Info: its struct's fields, carried by learn list
 * `learn_list` (an index). */
struct p4c_ir_digest {
	const char *name;
	int learn_list;
	P4L_VEC(struct p4c_ir_field) members;
	P4L_VEC(bool) member_is_bool;
};

/* Stateful externs: counter / direct_counter, meter, register arrays. */
enum p4c_ir_unit { P4C_UNIT_PACKETS, P4C_UNIT_BYTES, P4C_UNIT_BOTH };

struct p4c_ir_counter {
	const char *name;
	int64_t size;
	enum p4c_ir_unit unit;
	bool is_direct;
	int table;                   /* direct: the table it is attached to, -1 until then */
	int has_user_id;
	uint32_t user_id;
	struct p4c_ir_doc doc;
};

struct p4c_ir_meter {
	const char *name;
	int64_t size;
	enum p4c_ir_unit unit;       /* packets or bytes */
	bool is_direct;
	int table;                   /* direct: the table it is attached to, -1 until then */
	struct p4c_ir_expr *result;  /* direct: the FIELD its read() writes, NULL if never read */
	int has_user_id;
	uint32_t user_id;
	struct p4c_ir_doc doc;
};

/* An action profile, or an action selector (with_selector: members chosen
 * by `algo` over `inputs`, the table's selector keys). */
struct p4c_ir_profile {
	const char *name;
	int64_t size;
	bool with_selector;
	const char *algo;
	P4L_VEC(struct p4c_ir_expr *) inputs;   /* FIELD */
	bool inputs_set;
	P4L_VEC(int) tables;         /* the tables it implements */
	int max_group_size;          /* @max_group_size, 0 if none */
	int has_user_id;
	uint32_t user_id;
	struct p4c_ir_doc doc;
};

struct p4c_ir_register {
	const char *name;
	int64_t size;
	int width;
	int has_user_id;
	uint32_t user_id;
	struct p4c_ir_doc doc;
};

/* A header with @controller_header("packet_in"/"packet_out"). */
struct p4c_ir_cpm {
	const char *name;            /* "packet_in" / "packet_out" */
	int htype;
};

struct p4c_ir_program {
	const char *program;         /* the source file name */
	const char *arch;            /* "v1model" */
	P4L_VEC(struct p4c_ir_htype) htypes;
	P4L_VEC(struct p4c_ir_header) headers;
	P4L_VEC(struct p4c_ir_stack) stacks;
	P4L_VEC(struct p4c_ir_utype) utypes;
	P4L_VEC(struct p4c_ir_union) unions;
	P4L_VEC(struct p4c_ir_named_value) errors;
	P4L_VEC(struct p4c_ir_enum) enums;
	P4L_VEC(struct p4c_ir_parser) parsers;
	P4L_VEC(struct p4c_ir_vset) vsets;
	P4L_VEC(struct p4c_ir_deparser) deparsers;
	P4L_VEC(struct p4c_ir_action) actions;
	P4L_VEC(struct p4c_ir_table) tables;
	P4L_VEC(struct p4c_ir_pipeline) pipelines;
	P4L_VEC(struct p4c_ir_calc) calcs;
	P4L_VEC(struct p4c_ir_checksum) checksums;
	P4L_VEC(struct p4c_ir_field_list) field_lists;
	P4L_VEC(struct p4c_ir_field_list) learn_lists;
	P4L_VEC(struct p4c_ir_digest) digests;
	P4L_VEC(struct p4c_ir_cpm) cpms;
	P4L_VEC(struct p4c_ir_counter) counters;
	P4L_VEC(struct p4c_ir_meter) meters;
	P4L_VEC(struct p4c_ir_profile) profiles;
	P4L_VEC(struct p4c_ir_register) registers;
	/* v1model field aliases: BMv2's expected name -> standard_metadata field. */
	P4L_VEC(const char *) alias_names;
	P4L_VEC(const char *) alias_fields;
};

/* Constructors for the lowering and tests; NULL only when the arena failed. */
struct p4c_ir_expr *p4c_ir_field(struct p4l_arena *a, const char *hdr,
				 const char *field, int width);
struct p4c_ir_expr *p4c_ir_const(struct p4l_arena *a, const struct p4c_num *v, int width);
struct p4c_ir_expr *p4c_ir_const_u64(struct p4l_arena *a, uint64_t v, int width);
struct p4c_ir_expr *p4c_ir_bool(struct p4l_arena *a, bool b);
struct p4c_ir_expr *p4c_ir_op(struct p4l_arena *a, const char *op,
			      struct p4c_ir_expr *l, struct p4c_ir_expr *r,
			      int width, bool is_bool);
struct p4c_ir_expr *p4c_ir_kind(struct p4l_arena *a, enum p4c_ir_ek kind, const char *name);

/* The index of a header type / header instance by name, -1 if none. */
int p4c_ir_find_htype(const struct p4c_ir_program *p, const char *name);
int p4c_ir_find_header(const struct p4c_ir_program *p, const char *name);

/* Serialises the program as BMv2 JSON (bmv2.c); *out is malloc'ed text. */
int p4c_bmv2_write(const struct p4c_ir_program *p, char **out, size_t *len);

/* Builds the P4Info (p4info_gen.c): binary and text, malloc'ed.  Returns 0 or
 * a negative errno with the message in err (e.g. an @id clash). */
int p4c_p4info_write(const struct p4c_ir_program *p, uint8_t **bin, size_t *bin_len,
		     char **txt, size_t *txt_len, struct p4l_err *err);

#endif
