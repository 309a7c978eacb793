/* sema.h - internals of the middle end: types, scopes and the lowering of
 * the checked AST (frontend/ast.h) into the BMv2-level program (ir.h).
 *
 * The pass is driven by the package instance (`V1Switch(...) main`): each
 * block is checked and lowered with its parameters bound to the program's
 * objects (headers, user metadata, standard_metadata, the packet).  Types
 * are checked and `int` constants folded while expressions are lowered, so
 * every expression is visited once.  Split by concern:
 *   sema.c      scopes, names, expressions (check + fold + lower)
 *   sema_types.c types (tuples and generic types specialised)
 *   lower_stmt.c statements in actions and parser states
 *   lower_ctl.c controls: actions, tables, the apply block as a graph
 *   lower_prs.c parsers, deparsers, checksum blocks
 *   lower_ext.c v1model externs: counters, meters, registers, hash, random
 *   lower.c     the program: declarations, the v1model package, headers
 * Entry point: p4c_lower (lower.c), called by compile.c. */
#ifndef P4C_SEMA_H
#define P4C_SEMA_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"
#include "ir.h"

struct p4_program;

/* Bits of p4_node.sema_flags: recursion guards and marks of the pass. */
enum {
	P4C_F_TYPEDEF_BUSY = 1,    /* a typedef being resolved */
	P4C_F_CONST_BUSY = 2,      /* a constant being evaluated */
	P4C_F_FN_BUSY = 4,         /* a function or action being inlined */
	P4C_F_APPLIED = 8,         /* a control instance already applied */
	P4C_F_BLOCK_BUSY = 16,     /* a control or parser being lowered as an instance */
	P4C_F_TYPE_BUSY = 32,      /* a struct/header type whose fields are being checked */
	P4C_F_TYPE_OK = 64,        /* ... checked: it does not contain itself */
};

/* ---- Types --------------------------------------------------------------- */

#define P4C_TYPE_KINDS(X) \
	X(BIT, "bit") X(SIGNED, "int<W>") X(INFINT, "int") X(VARBIT, "varbit") \
	X(BOOL, "bool") X(STRING, "string") X(ERROR, "error") X(ENUM, "enum") \
	X(MATCH_KIND, "match_kind") X(HEADER, "header") X(STRUCT, "struct") \
	X(UNION, "header_union") X(STACK, "stack") X(TUPLE, "tuple") \
	X(VOID, "void") X(DONTCARE, "_") X(EXTERN, "extern") X(PARSER, "parser") \
	X(CONTROL, "control") X(PACKAGE, "package") X(TYPEVAR, "type parameter")

enum p4c_tk {
#define X(e, s) P4C_T_##e,
	P4C_TYPE_KINDS(X)
#undef X
};

struct p4c_type {
	enum p4c_tk k;
	int width;                 /* BIT, SIGNED, VARBIT; enum: underlying width */
	const char *name;          /* named types */
	struct p4_node *decl;      /* HEADER, STRUCT, UNION, ENUM, EXTERN, PARSER, ... */
	struct p4c_type *elem;     /* STACK, serializable ENUM */
	int size;                  /* STACK */
};

/* ---- Values --------------------------------------------------------------- */

/* What an expression denotes once checked. */
enum p4c_vk {
	P4C_V_CONST,    /* a compile-time value: num (bool: 0/1; error, enum: code) */
	P4C_V_EXPR,     /* a run-time data or boolean value: e */
	P4C_V_STRUCT,   /* a struct-typed object, flattened (see struct p4c_sref) */
	P4C_V_HEADER,   /* a header instance: inst */
	P4C_V_STACK,    /* a header stack: inst */
	P4C_V_DECL,     /* a name of something that is not a value: decl */
	P4C_V_PACKET,   /* packet_in / packet_out parameter */
	P4C_V_DONTCARE,
};

/* A struct object lives in the flattened program as header instances named
 * hdr_pfx.f and scalar fields sc_pfx.f of header `sc_inst`; or, for
 * standard_metadata, as one metadata header instance `as_inst` whose fields
 * are the struct's fields. */
struct p4c_sref {
	const char *hdr_pfx;       /* "" for the headers struct */
	const char *sc_pfx;
	const char *as_inst;       /* non-NULL: the struct is this instance */
};

struct p4c_val {
	enum p4c_vk k;
	struct p4c_type *type;
	struct p4c_num num;
	struct p4c_ir_expr *e;
	const char *inst;
	struct p4c_sref s;
	struct p4_node *decl;
	bool lvalue;
	bool stack_last;           /* HEADER: `stack.last`, inst is the stack */
	struct p4c_ir_expr *dyn;   /* HEADER: `stack[i]` with i known at run time (inst is
				    * the stack, dyn is i) */
	/* A slice used as an lvalue (x[7:4] = ...): slice_base is x. */
	struct p4c_val *slice_base;
	int hi, lo;
};

/* ---- Scopes --------------------------------------------------------------- */

struct p4c_binding {
	const char *name;          /* interned */
	struct p4_node *decl;      /* the declaration */
	struct p4c_val *val;       /* non-NULL: the name stands for this value */
};

struct p4c_scope {
	struct p4c_scope *up;
	P4L_VEC(struct p4c_binding) b;
};

/* What the pass keeps on an action or table declaration (node->sema): where
 * it was declared, so that its body resolves names there, and its instance. */
struct p4c_declinfo {
	struct p4c_scope *scope;
	const char *block_name;
	int instance;              /* action without directional params / table: index, or -1 */
	bool applied;
	struct p4_node *hit_index_of;  /* action: the table whose T.hit_index() it reads */
	struct p4c_val *hit_index;     /* table: the scalar its hit index is written to */
};

/* A P4Info @id taken by a table or action (names differ: instances share). */
struct p4c_id_claim {
	uint32_t id;
	const char *name;
	struct p4_node *at;
};

/* A function or action body lowered with `return` anywhere: each return
 * (after storing its value in `result`) is a _jump patched to the body's end. */
struct p4c_ret_ctx {
	struct p4c_ret_ctx *up;
	P4L_VEC(int) jumps;
	struct p4c_val *result;    /* value-returning functions */
	struct p4c_type *rt;
	struct p4_node *decl;
};

/* ---- The pass ------------------------------------------------------------- */

/* A struct or header declaration the pass makes: a tuple type's (fields
 * f0, f1, ...) or a generic type's instance (the type arguments in place of
 * the parameters), once per shape so that equal types share it. */
struct p4c_spec {
	const char *key;           /* "tuple<bit<8>, bool>", "pair_t<bit<8>>" */
	struct p4_node *decl;
};

struct p4c_sema {
	struct p4_program *prog;
	P4L_VEC(struct p4c_spec) specs;
	struct p4_diag *diag;
	struct p4l_arena *a;
	struct p4c_ir_program *ir;
	struct p4c_scope *global;
	struct p4c_scope *scope;   /* innermost */
	int errors;                /* semantic errors reported */

	/* Well-known types and declarations (NULL when the program lacks them). */
	struct p4c_type *t_bool, *t_infint, *t_error, *t_void, *t_string, *t_dontcare;
	struct p4_node *std_meta_decl;   /* struct standard_metadata_t */
	struct p4_node *headers_decl, *meta_decl;

	/* Where lowered statements go: the action being built, or the parser
	 * state (ops); exactly one is set while lowering statements. */
	struct p4c_ir_action *cur_action;
	struct p4c_ir_pstate *cur_state;
	const char *block_name;    /* the block's control-plane name ("MyIngress") */
	struct p4_node *block;     /* the block being lowered */
	/* The action being lowered, and the table whose actions list asked for
	 * it (NULL: none), for T.hit_index(). */
	struct p4_node *cur_action_decl, *cur_table;
	struct p4c_ret_ctx *ret;   /* the body being inlined whose `return`s jump to its end */
	void *pctx;                /* lower_prs.c: the parser whose states are being lowered */
	struct p4c_scope *tbind;   /* a generic function's type parameters, for its body */

	int n_tmp, n_cond, n_act, n_calc, n_calc_names;
	bool checking_unused;      /* lowering blocks main does not use, for errors only */
	P4L_VEC(struct p4c_id_claim) ids;
	const char *scalars;       /* "scalars" */
	int scalars_htype;
};

/* Reports an error at n (NULL: no position) and counts it.  Returns -EINVAL. */
int p4c_err(struct p4c_sema *s, const struct p4_node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same at the start of expression e (not at its operator). */
int p4c_err_whole(struct p4c_sema *s, const struct p4_node *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int p4c_unsupported(struct p4c_sema *s, const struct p4_node *n, const char *what);

/* sema_types.c: types */
struct p4c_type *p4c_type_new(struct p4c_sema *s, enum p4c_tk k, int width);
struct p4c_type *p4c_type_of(struct p4c_sema *s, struct p4_node *type_node);
/* The type a declaration (struct, header, enum, extern, typedef, ...) names. */
struct p4c_type *p4c_named_type(struct p4c_sema *s, struct p4_node *at, struct p4_node *d);
bool p4c_type_eq(const struct p4c_type *a, const struct p4c_type *b);
const char *p4c_type_str(struct p4c_sema *s, const struct p4c_type *t);
bool p4c_type_is_data(const struct p4c_type *t);   /* bit, int<W>, bool, enum, error */
int p4c_type_width(const struct p4c_type *t);      /* of a data type (bool: 1, error: 32) */
struct p4c_type *p4c_field_type(struct p4c_sema *s, struct p4_node *fieldnode);
struct p4_node *p4c_agg_field(struct p4_node *agg_decl, const char *name);

/* sema.c: constants */
/* An `int` constant converted to bit<W>/int<W> (t), with a warning at `at`
 * when a non-negative value loses bits. */
void p4c_int_to(struct p4c_sema *s, struct p4_node *at, struct p4c_num *out,
		const struct p4c_num *in, const struct p4c_type *t);
/* Checks that a `const` declaration of a data type has a compile-time value. */
int p4c_const_decl(struct p4c_sema *s, struct p4_node *d);
/* Constant value of an expression (folded), with its type: 0 or -EINVAL. */
int p4c_const_eval(struct p4c_sema *s, struct p4_node *e, struct p4c_type *want,
		   struct p4c_num *out, struct p4c_type **type);

/* sema.c: scopes and names */
void p4c_scope_push(struct p4c_sema *s);
void p4c_scope_pop(struct p4c_sema *s);
void p4c_bind(struct p4c_sema *s, const char *name, struct p4_node *decl, struct p4c_val *v);
struct p4c_binding *p4c_lookup(struct p4c_sema *s, const char *name, bool global_only);
/* The declaration a call of `name` with n_args arguments means: among
 * overloads (log_msg), the one whose parameter count fits. */
struct p4c_binding *p4c_lookup_call(struct p4c_sema *s, const char *name, bool global_only,
				    size_t n_args);
/* The member name of a constant of a plain (not serializable) enum, or NULL. */
const char *p4c_enum_name(const struct p4c_val *v);
/* Binds decl->name in the innermost scope; a second declaration of the same
 * name there is an error (-EINVAL, reported with a note). */
int p4c_bind_new(struct p4c_sema *s, struct p4_node *decl, struct p4c_val *v);
const char *p4c_intern(struct p4c_sema *s, const char *str);
/* The @name annotation of n, or NULL. */
const char *p4c_anno_name(struct p4_node *n);
struct p4_node *p4c_anno(struct p4_node *n, const char *name);
/* The string argument of annotation `name` on n (@brief("...")), or NULL. */
const char *p4c_anno_str(struct p4_node *n, const char *name);
/* n's @brief, @description and the annotations the compiler does not
 * interpret itself, for P4Info. */
struct p4c_ir_doc p4c_doc(struct p4c_sema *s, struct p4_node *n);
#define P4C_DOC(n) p4c_doc(s, (n))
/* The control-plane name of a declaration in the current block. */
const char *p4c_cp_name(struct p4c_sema *s, struct p4_node *decl);

/* sema.c: expressions.  want is the expected type (NULL: none), used to
 * give `int` constants a width.  Returns NULL after reporting an error. */
struct p4c_val *p4c_check(struct p4c_sema *s, struct p4_node *e, struct p4c_type *want);
/* The value as an IR data expression (constant: a hexstr of the type's width). */
struct p4c_ir_expr *p4c_val_data(struct p4c_sema *s, struct p4c_val *v);
/* The value as an IR boolean expression (for conditions, && ...). */
struct p4c_ir_expr *p4c_val_bool(struct p4c_sema *s, struct p4c_val *v);
/* The header a HEADER value names, as an IR expression: the instance, or
 * BMv2's dereference_header_stack for a run-time index. */
struct p4c_ir_expr *p4c_header_ref(struct p4c_sema *s, struct p4c_val *h);
/* A member of a struct/header value; NULL after reporting. */
struct p4c_val *p4c_member(struct p4c_sema *s, struct p4_node *at, struct p4c_val *base,
			   const char *name);
/* A new scalar field (locals, temporaries) of a data type; returns the field value. */
struct p4c_val *p4c_new_scalar(struct p4c_sema *s, const char *name, struct p4c_type *t);
/* The same value, not writable (a block's `in` parameter). */
struct p4c_val *p4c_readonly(struct p4c_sema *s, struct p4c_val *v);
/* A fresh object (scalars / header instances) for a local variable of type t. */
struct p4c_val *p4c_new_local(struct p4c_sema *s, struct p4_node *at, const char *name,
			      struct p4c_type *t);
/* Text of an expression as written ("hdr.ipv4.dstAddr"), for key names. */
const char *p4c_expr_text(struct p4c_sema *s, struct p4_node *e);

/* Appends a call to the current action / parser state. */
struct p4c_ir_call *p4c_emit(struct p4c_sema *s, struct p4_node *at, const char *op);
void p4c_arg(struct p4c_sema *s, struct p4c_ir_call *c, struct p4c_ir_expr *e);
/* Assigns v to the lvalue dst (fields, headers, structs), emitting primitives. */
int p4c_assign(struct p4c_sema *s, struct p4_node *at, struct p4c_val *dst, struct p4c_val *v);
/* `dst = { ... }` for a header or struct (positional or named). */
int p4c_assign_list(struct p4c_sema *s, struct p4_node *at, struct p4c_val *dst,
		    struct p4_node *list);
/* Lowers one statement inside an action or parser state (assignments, calls,
 * blocks, locals).  Returns 0 or -EINVAL. */
int p4c_stmt(struct p4c_sema *s, struct p4_node *st);

/* lower_stmt.c: helpers shared with the control lowering */
int p4c_match_args(struct p4c_sema *s, struct p4_node *at, const struct p4_list *params,
		   const struct p4_list *args, struct p4_node **out);
int p4c_local_decl(struct p4c_sema *s, struct p4_node *d);
/* A run-time data value copied into a fresh temporary (emitted at the
 * current point), for `in` arguments (writable: the callee's own copy) and
 * function results. */
struct p4c_val *p4c_copy_in(struct p4c_sema *s, struct p4_node *at, struct p4c_val *v,
			    bool writable);
/* Records where decl (an action or table) is declared; returns its info. */
struct p4c_declinfo *p4c_declare(struct p4c_sema *s, struct p4_node *decl);
int p4c_instantiate(struct p4c_sema *s, struct p4_node *at, struct p4c_val *v);

/* lower_ctl.c */
/* The @id annotation of n: *has = 1 and *id set when there is one. */
int p4c_user_id(struct p4c_sema *s, struct p4_node *n, int *has, uint32_t *id);
int p4c_lower_control(struct p4c_sema *s, struct p4_node *ctl, const char *pipeline,
		      struct p4c_val **params, int n_params);
/* An action instance: decl with directional parameters bound to args (may be
 * NULL when it has none).  Returns the action index or -EINVAL. */
int p4c_action_instance(struct p4c_sema *s, struct p4_node *at, struct p4_node *decl,
			struct p4_node **args, int n_args, bool hidden);

/* lower_stmt.c */
/* The body of an action being instantiated, lowered into s->cur_action. */
int p4c_action_body(struct p4c_sema *s, struct p4_node *decl);
/* The body of an action or function with its parameters bound to vals,
 * lowered where statements go now; *ret (may be NULL) gets a function's value. */
int p4c_inline_body(struct p4c_sema *s, struct p4_node *decl, struct p4c_val **vals,
		    struct p4c_val **ret);
/* A function called in an expression, inlined where statements can go. */
struct p4c_val *p4c_call_function(struct p4c_sema *s, struct p4_node *call, struct p4_node *decl);
struct p4c_val *p4c_arg_value(struct p4c_sema *s, struct p4_node *arg, struct p4_node *param);
/* lower_prs.c: calculation inputs from a value (field, constant, header, struct) */
int p4c_calc_inputs(struct p4c_sema *s, struct p4_node *at, struct p4c_ir_calc *calc,
		    struct p4c_val *v);
/* A fresh calculation name: "calc", "calc_0", ... */
const char *p4c_calc_name(struct p4c_sema *s);

/* lower_ext.c: v1model's externs */
int p4c_extern_decl(struct p4c_sema *s, struct p4_node *d);
/* Whether d instantiates one of the externs p4c_extern_decl knows. */
bool p4c_is_extern_instance(struct p4_node *d);
int p4c_extern_method(struct p4c_sema *s, struct p4_node *st, struct p4_node *inst,
		      struct p4_node *call);
/* Extern functions other than mark_to_drop and verify (hash, random, ...);
 * m: the arguments matched to decl's parameters.  1 if name is not one. */
int p4c_extern_func(struct p4c_sema *s, struct p4_node *st, struct p4_node *decl,
		    struct p4_node **m);
/* The direct counter a `counters = c` table property names: its index. */
int p4c_direct_counter(struct p4c_sema *s, struct p4_node *e);
/* The direct meter of `meters = m`: its index in the program's meters. */
int p4c_direct_meter(struct p4c_sema *s, struct p4_node *e);
/* The action profile or selector of `implementation = ...` (an instance's
 * name, or `action_profile(N)` written in place, named after the table):
 * its index in the program's profiles. */
int p4c_table_profile(struct p4c_sema *s, struct p4_node *e, const char *table);

/* lower_prs.c */
int p4c_lower_parser(struct p4c_sema *s, struct p4_node *prs, struct p4c_val **params,
		     int n_params);
int p4c_lower_deparser(struct p4c_sema *s, struct p4_node *ctl, struct p4c_val **params,
		       int n_params);
int p4c_lower_checksum(struct p4c_sema *s, struct p4_node *ctl, bool verify,
		       struct p4c_val **params, int n_params);
/* One verify_checksum / update_checksum (_with_payload) call statement. */
int p4c_checksum_call(struct p4c_sema *s, struct p4_node *st, bool verify);

/* lower.c */
int p4c_lower(struct p4_program *prog, struct p4_diag *diag, struct p4l_arena *a,
	      const char *program_name, struct p4c_ir_program *out);

#endif
