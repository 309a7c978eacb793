/* AST_STABLE */
/* ast.h - the syntax tree of a P4_16 program, as the front end builds it.
 *
 * Built by parser.c (p4_parse_file in frontend.h); read by the back end in
 * src/compiler (semantic checks, BMv2 JSON, P4Info) and by p4_ast_dump.
 * Everything a tree points to (nodes, lists, strings, source text) lives in
 * the program's arena and is freed by p4_program_free in one call.
 *
 * Conventions:
 * - One node type, `struct p4_node`, tagged by `kind` (P4_NODE_KINDS below).
 *   Per-kind data is in the union `u`; the comment on each union member names
 *   the kinds that use it.  `name` holds the declared / referenced / member
 *   name for kinds that have one, NULL otherwise.
 * - Names are interned: two equal names are the same pointer (see
 *   p4_intern in frontend.h to intern a name of your own for comparison).
 * - Lists are arrays (`struct p4_list`): v[0..n-1], never NULL entries.
 * - Optional children are NULL when absent.
 * - A type used in an expression (E.A, error.NoError, MyParser(),
 *   Counter<bit<8>>(...)) is a P4_EXPR_TYPE node wrapping the type node.
 *   `error.X` is MEMBER(EXPR_TYPE(TYPE_ERROR), "X").
 * - `bit` without width has width NULL (meaning bit<1>); `int` without width
 *   is P4_TYPE_INT with width NULL (infinite precision).
 * - Every node has a location (file, line, column of its first token, or of
 *   its operator for binary/unary/member/index expressions).
 * - The fields after "Room for the back end" are never touched by the front
 *   end (zero after parsing); the back end may use them as it likes.
 *
 * Changes since stable (additions only):
 *   - kinds STMT_FOR, STMT_FOR_IN, STMT_BREAK, STMT_CONTINUE (spec 1.2.5
 *     loops) with u.forloop / u.forin, and EXPR_SLICE_PLUS (e[lsb +: w])
 *     with u.splus, at the end of P4_NODE_KINDS;
 *   - u.assign.op and u.assign.compound: `x += e` is STMT_ASSIGN with
 *     compound set and op P4_BIN_ADD (x = x + e);
 *   - P4_ANNO_KV: `@a(k = e, ...)` as in @pkginfo(name = "x"), kvs set;
 *   - `@pragma name tokens...` to the end of the line is an ANNOTATION
 *     named "pragma", P4_ANNO_UNPARSED, body holding the tokens.
 */
#ifndef P4_AST_H
#define P4_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct p4_node;

/* A source position.  `line_text` points at the first character of the
 * source line in the (NUL-terminated) source buffer, for carets; `line` and
 * `file` are as reported (after #line), `col` is 1-based, in bytes. */
struct p4_loc {
	const char *file;
	const char *line_text;
	uint32_t line;
	uint32_t col;
};

struct p4_list {
	struct p4_node **v;
	size_t n;
};

/* Arbitrary-precision integer literal: |value| = sum limbs[i] * 2^(64 i).
 * Literals are never negative (a minus sign is a unary operator). */
struct p4_int {
	const char *text;    /* as written, e.g. "8w0xFF" */
	uint32_t width;      /* when has_width */
	bool has_width;      /* 8w..., 8s... */
	bool is_signed;      /* 8s... */
	uint8_t base;        /* 2, 8, 10, 16 */
	uint32_t nlimbs;     /* >= 1; limbs[nlimbs-1] != 0 unless the value is 0 */
	uint64_t *limbs;     /* little-endian */
};

enum p4_dir { P4_DIR_NONE, P4_DIR_IN, P4_DIR_OUT, P4_DIR_INOUT };

/* Operators: X(name, spelling). */
#define P4_UNOPS(X) \
	X(NEG, "-")  \
	X(POS, "+")  \
	X(NOT, "!")  \
	X(BNOT, "~")

#define P4_BINOPS(X)      \
	X(MUL, "*")       \
	X(DIV, "/")       \
	X(MOD, "%")       \
	X(ADD, "+")       \
	X(SUB, "-")       \
	X(ADDSAT, "|+|")  \
	X(SUBSAT, "|-|")  \
	X(CONCAT, "++")   \
	X(SHL, "<<")      \
	X(SHR, ">>")      \
	X(BAND, "&")      \
	X(BXOR, "^")      \
	X(BOR, "|")       \
	X(LT, "<")        \
	X(GT, ">")        \
	X(LE, "<=")       \
	X(GE, ">=")       \
	X(EQ, "==")       \
	X(NE, "!=")       \
	X(AND, "&&")      \
	X(OR, "||")       \
	X(MASK, "&&&")    \
	X(RANGE, "..")

enum p4_unop {
#define X(n, s) P4_UN_##n,
	P4_UNOPS(X)
#undef X
};

enum p4_binop {
#define X(n, s) P4_BIN_##n,
	P4_BINOPS(X)
#undef X
};

/* Annotation body forms. */
enum p4_anno_form {
	P4_ANNO_EMPTY,      /* @a */
	P4_ANNO_EXPRS,      /* @a(e, ...) whose body parses as expressions: u.anno.exprs */
	P4_ANNO_UNPARSED,   /* @a(tokens) that are not an expression list: only body */
	P4_ANNO_STRUCT_EXPRS, /* @a[e, ...]: u.anno.exprs */
	P4_ANNO_STRUCT_KV,  /* @a[k = e, ...]: u.anno.kvs (P4_ARG nodes) */
	P4_ANNO_KV,         /* @a(k = e, ...) (e.g. @pkginfo): u.anno.kvs (added) */
};

/* Node kinds: X(NAME, "dump name").  Grouped: declarations, table parts,
 * statements, expressions, types, other. */
#define P4_NODE_KINDS(X)                                                    \
	/* declarations */                                                  \
	X(DECL_CONST, "const")          /* u.var */                         \
	X(DECL_VAR, "var")              /* u.var (init may be NULL) */      \
	X(DECL_INSTANCE, "instance")    /* u.inst */                        \
	X(DECL_EXTERN, "extern")        /* u.ext: extern object type */     \
	X(DECL_EXTERN_FUNC, "extern_function") /* u.fn (body NULL) */       \
	X(DECL_METHOD, "method")        /* u.fn: extern method/constructor */ \
	X(DECL_FUNCTION, "function")    /* u.fn (body set) */               \
	X(DECL_ACTION, "action")        /* u.fn (ret NULL) */               \
	X(DECL_PARSER_TYPE, "parser_type") /* u.blk: tparams, params */     \
	X(DECL_PARSER, "parser")        /* u.blk */                         \
	X(DECL_CONTROL_TYPE, "control_type") /* u.blk: tparams, params */   \
	X(DECL_CONTROL, "control")      /* u.blk */                         \
	X(DECL_PACKAGE, "package")      /* u.blk: tparams, params */        \
	X(DECL_TABLE, "table")          /* u.table */                       \
	X(DECL_HEADER, "header")        /* u.agg */                         \
	X(DECL_HEADER_UNION, "header_union") /* u.agg */                    \
	X(DECL_STRUCT, "struct")        /* u.agg */                         \
	X(DECL_ENUM, "enum")            /* u.enm (type set: serializable) */ \
	X(DECL_ERROR, "error")          /* u.enm: members (no values) */    \
	X(DECL_MATCH_KIND, "match_kind") /* u.enm: members (no values) */   \
	X(DECL_TYPEDEF, "typedef")      /* u.tdef */                        \
	X(DECL_NEWTYPE, "type")         /* u.tdef: `type T N;` */           \
	X(DECL_VALUE_SET, "value_set")  /* u.vset */                        \
	X(PARSER_STATE, "state")        /* u.state */                       \
	X(FIELD, "field")               /* u.field: struct/header field */  \
	X(ENUM_MEMBER, "member")        /* u.member (value may be NULL) */  \
	X(PARAM, "param")               /* u.param */                       \
	X(TYPE_PARAM, "type_param")     /* name only */                     \
	/* table parts */                                                   \
	X(PROP_KEY, "key")              /* u.prop.items: KEY_ELEM */        \
	X(PROP_ACTIONS, "actions")      /* u.prop.items: ACTION_REF */      \
	X(PROP_ENTRIES, "entries")      /* u.prop.items: ENTRY; is_const */ \
	X(PROP_VALUE, "property")       /* name = u.prop.value; is_const */ \
	X(KEY_ELEM, "key_elem")         /* u.key */                         \
	X(ACTION_REF, "action_ref")     /* u.aref */                        \
	X(ENTRY, "entry")               /* u.entry */                       \
	/* statements */                                                    \
	X(STMT_ASSIGN, "assign")        /* u.assign */                      \
	X(STMT_CALL, "call_stmt")       /* u.call_stmt */                   \
	X(STMT_IF, "if")                /* u.if_ */                         \
	X(STMT_SWITCH, "switch")        /* u.switch_ */                     \
	X(SWITCH_CASE, "case")          /* u.scase */                       \
	X(STMT_BLOCK, "block")          /* u.block */                       \
	X(STMT_RETURN, "return")        /* u.ret (expr may be NULL) */      \
	X(STMT_EXIT, "exit")                                                \
	X(STMT_EMPTY, "empty")                                              \
	X(STMT_TRANSITION, "transition") /* u.trans */                      \
	/* expressions */                                                   \
	X(EXPR_INT, "int")              /* u.intlit */                      \
	X(EXPR_BOOL, "bool")            /* u.boolean */                     \
	X(EXPR_STRING, "string")        /* u.str */                         \
	X(EXPR_NAME, "name")            /* name; u.ident.global for `.x` */ \
	X(EXPR_MEMBER, "member_expr")   /* u.mem.base . name */             \
	X(EXPR_INDEX, "index")          /* u.index */                       \
	X(EXPR_SLICE, "slice")          /* u.slice: base[hi:lo] */          \
	X(EXPR_CALL, "call")            /* u.call */                        \
	X(EXPR_UNARY, "unary")          /* u.unary */                       \
	X(EXPR_BINARY, "binary")        /* u.binary */                      \
	X(EXPR_COND, "cond")            /* u.cond: c ? a : b */             \
	X(EXPR_CAST, "cast")            /* u.cast */                        \
	X(EXPR_LIST, "list")            /* u.list.items: expressions */     \
	X(EXPR_STRUCT, "struct_expr")   /* u.list.items: ARG (name = value) */ \
	X(EXPR_SELECT, "select")        /* u.select */                      \
	X(SELECT_CASE, "select_case")   /* u.selcase */                     \
	X(EXPR_TYPE, "type_expr")       /* u.texpr.type */                  \
	X(EXPR_DONTCARE, "dontcare")    /* _ */                             \
	X(EXPR_DEFAULT, "default")      /* default (keysets, switch labels) */ \
	X(EXPR_THIS, "this")                                                \
	X(EXPR_INVALID, "invalid")      /* {#} */                           \
	X(EXPR_DOTS, "dots")            /* ... in lists and keysets */      \
	X(ARG, "arg")                   /* u.arg: [name =] value */         \
	/* types */                                                         \
	X(TYPE_BIT, "bit")              /* u.bits.width (NULL: 1) */        \
	X(TYPE_INT, "int_type")         /* u.bits.width (NULL: infinite) */ \
	X(TYPE_VARBIT, "varbit")        /* u.bits.width */                  \
	X(TYPE_BOOL, "bool_type")                                           \
	X(TYPE_STRING, "string_type")                                       \
	X(TYPE_ERROR, "error_type")                                         \
	X(TYPE_MATCH_KIND, "match_kind_type")                               \
	X(TYPE_VOID, "void")                                                \
	X(TYPE_DONTCARE, "dontcare_type") /* _ as a type argument */        \
	X(TYPE_NAME, "type_name")       /* name; u.ident.global for `.T` */ \
	X(TYPE_SPEC, "specialized")     /* u.spec: base<args> */            \
	X(TYPE_STACK, "stack")          /* u.stack: elem[size] */           \
	X(TYPE_TUPLE, "tuple")          /* u.tuple.args */                  \
	X(TYPE_LIST, "list_type")       /* u.tuple.args (one element) */    \
	/* other */                                                         \
	X(ANNOTATION, "annotation")     /* u.anno */                        \
	/* added since stable */                                            \
	X(STMT_FOR, "for")              /* u.forloop */                     \
	X(STMT_FOR_IN, "for_in")        /* u.forin */                       \
	X(STMT_BREAK, "break")                                              \
	X(STMT_CONTINUE, "continue")                                        \
	X(EXPR_SLICE_PLUS, "slice_plus") /* u.splus: base[lsb +: width] */

enum p4_kind {
#define X(n, s) P4_##n,
	P4_NODE_KINDS(X)
#undef X
	P4_KIND_COUNT
};

struct p4_node {
	enum p4_kind kind;
	struct p4_loc loc;
	const char *name;        /* interned; see the kind's comment */
	struct p4_list annos;    /* ANNOTATION nodes written before the node */

	union {
		/* DECL_CONST, DECL_VAR */
		struct { struct p4_node *type, *init; } var;
		/* DECL_INSTANCE: `type(args) name [= { body }];` body holds the
		 * declarations of the initializer block (abstract methods) */
		struct { struct p4_node *type; struct p4_list args, body; bool has_body; } inst;
		/* DECL_EXTERN: methods are DECL_METHOD */
		struct { struct p4_list tparams, methods; } ext;
		/* DECL_FUNCTION, DECL_EXTERN_FUNC, DECL_METHOD, DECL_ACTION.
		 * ret is NULL for actions and constructors; body is a STMT_BLOCK
		 * or NULL (prototypes). */
		struct {
			struct p4_node *ret;
			struct p4_list tparams, params;
			struct p4_node *body;
			bool is_abstract;   /* `abstract` method */
			bool is_ctor;       /* extern constructor: name = extern name */
		} fn;
		/* DECL_PARSER_TYPE, DECL_PARSER, DECL_CONTROL_TYPE, DECL_CONTROL,
		 * DECL_PACKAGE.  locals: declarations before the states / apply
		 * block; states: PARSER_STATE; body: the control's apply block. */
		struct {
			struct p4_list tparams, params, ctor_params;
			struct p4_list locals, states;
			struct p4_node *body;
		} blk;
		/* PARSER_STATE: stmts, then transition (STMT_TRANSITION or NULL when
		 * absent, which the spec defines as `transition reject`) */
		struct { struct p4_list stmts; struct p4_node *transition; } state;
		/* DECL_TABLE: PROP_* nodes in source order */
		struct { struct p4_list props; } table;
		/* PROP_KEY, PROP_ACTIONS, PROP_ENTRIES: items; PROP_VALUE: name and
		 * value (e.g. default_action = a(1), size = 1024) */
		struct { struct p4_list items; struct p4_node *value; bool is_const; } prop;
		/* KEY_ELEM: expr : match_kind (an EXPR_NAME) */
		struct { struct p4_node *expr, *match_kind; } key;
		/* ACTION_REF: action (EXPR_NAME, maybe global) and its arguments */
		struct { struct p4_node *action; struct p4_list args; bool has_args; } aref;
		/* ENTRY: keyset (one keyset expression, or EXPR_LIST for a tuple),
		 * action (ACTION_REF), priority (NULL unless `priority = ...:`) */
		struct { struct p4_node *keyset, *action, *priority; bool is_const; } entry;
		/* DECL_HEADER, DECL_HEADER_UNION, DECL_STRUCT: fields are FIELD */
		struct { struct p4_list tparams, fields; } agg;
		/* FIELD */
		struct { struct p4_node *type; } field;
		/* DECL_ENUM (type: underlying type of a serializable enum, else
		 * NULL), DECL_ERROR, DECL_MATCH_KIND: members are ENUM_MEMBER */
		struct { struct p4_node *type; struct p4_list members; } enm;
		/* ENUM_MEMBER */
		struct { struct p4_node *value; } member;
		/* DECL_TYPEDEF, DECL_NEWTYPE */
		struct { struct p4_node *type; } tdef;
		/* DECL_VALUE_SET: value_set<type>(size) name; */
		struct { struct p4_node *type, *size; } vset;
		/* PARAM */
		struct { enum p4_dir dir; struct p4_node *type, *dflt; } param;

		/* STMT_ASSIGN; compound: `lhs op= rhs` */
		struct {
			struct p4_node *lhs, *rhs;
			bool compound;
			enum p4_binop op;     /* when compound */
		} assign;
		/* STMT_CALL: call is an EXPR_CALL */
		struct { struct p4_node *call; } call_stmt;
		/* STMT_IF: els may be NULL */
		struct { struct p4_node *cond, *then, *els; } if_;
		/* STMT_SWITCH: cases are SWITCH_CASE */
		struct { struct p4_node *expr; struct p4_list cases; } switch_;
		/* SWITCH_CASE: label is an expression (an action name for
		 * `switch (t.apply().action_run)`) or EXPR_DEFAULT; body is a
		 * STMT_BLOCK, NULL for a label that falls through to the next */
		struct { struct p4_node *label, *body; } scase;
		/* STMT_BLOCK: statements and local declarations in order */
		struct { struct p4_list stmts; } block;
		/* STMT_RETURN */
		struct { struct p4_node *expr; } ret;
		/* STMT_TRANSITION: target is EXPR_NAME (a state) or EXPR_SELECT */
		struct { struct p4_node *target; } trans;
		/* STMT_FOR: for (init; cond; update) body.  init holds DECL_VAR,
		 * STMT_ASSIGN and STMT_CALL nodes; update STMT_ASSIGN/STMT_CALL */
		struct {
			struct p4_list init, update;
			struct p4_node *cond, *body;
		} forloop;
		/* STMT_FOR_IN: for (T x in collection) body.  var is a DECL_VAR
		 * without init; collection an expression or a RANGE binary */
		struct { struct p4_node *var, *collection, *body; } forin;

		/* EXPR_INT */
		struct p4_int intlit;
		/* EXPR_BOOL */
		bool boolean;
		/* EXPR_STRING: value has escapes resolved, NUL-terminated */
		struct { const char *value; size_t len; } str;
		/* EXPR_NAME, TYPE_NAME */
		struct { bool global; } ident;
		/* EXPR_MEMBER */
		struct { struct p4_node *base; } mem;
		/* EXPR_INDEX */
		struct { struct p4_node *base, *index; } index;
		/* EXPR_SLICE */
		struct { struct p4_node *base, *hi, *lo; } slice;
		/* EXPR_SLICE_PLUS: width bits starting at bit lsb */
		struct { struct p4_node *base, *lsb, *width; } splus;
		/* EXPR_CALL: args are ARG nodes; targs are type nodes */
		struct { struct p4_node *callee; struct p4_list targs, args; } call;
		/* EXPR_UNARY */
		struct { enum p4_unop op; struct p4_node *operand; } unary;
		/* EXPR_BINARY */
		struct { enum p4_binop op; struct p4_node *lhs, *rhs; } binary;
		/* EXPR_COND */
		struct { struct p4_node *cond, *then, *els; } cond;
		/* EXPR_CAST */
		struct { struct p4_node *type, *expr; } cast;
		/* EXPR_LIST, EXPR_STRUCT */
		struct { struct p4_list items; } list;
		/* EXPR_SELECT: select(exprs) { cases } */
		struct { struct p4_list exprs, cases; } select;
		/* SELECT_CASE: keyset (EXPR_LIST for a tuple keyset) : state (EXPR_NAME) */
		struct { struct p4_node *keyset, *state; } selcase;
		/* EXPR_TYPE */
		struct { struct p4_node *type; } texpr;
		/* ARG: name is the parameter / field name or NULL; value is an
		 * expression (EXPR_DONTCARE for `_`) */
		struct { struct p4_node *value; } arg;

		/* TYPE_BIT, TYPE_INT, TYPE_VARBIT */
		struct { struct p4_node *width; } bits;
		/* TYPE_SPEC: base is a TYPE_NAME */
		struct { struct p4_node *base; struct p4_list args; } spec;
		/* TYPE_STACK */
		struct { struct p4_node *elem, *size; } stack;
		/* TYPE_TUPLE, TYPE_LIST */
		struct { struct p4_list args; } tuple;

		/* ANNOTATION: name is the annotation's name; body is the text
		 * between the brackets (tokens joined by single spaces), or NULL */
		struct {
			enum p4_anno_form form;
			struct p4_list exprs, kvs;
			const char *body;
		} anno;
	} u;

	/* Room for the back end: never set by the front end. */
	void *sema;                 /* anything */
	struct p4_node *ref_decl;   /* e.g. the declaration a name resolves to */
	struct p4_node *ref_type;   /* e.g. the type of an expression */
	uint64_t sema_flags;
};

/* A parsed program: top-level declarations in source order, includes
 * expanded in place (so core.p4 / v1model.p4 declarations come first). */
struct p4_program {
	struct p4_list decls;
	struct p4l_arena *arena;     /* owns everything; internal */
	void *internal;             /* front end's own data (intern table, sources) */
};

/* Names of kinds and operators, for dumps and messages. */
const char *p4_kind_name(enum p4_kind k);
const char *p4_unop_str(enum p4_unop op);
const char *p4_binop_str(enum p4_binop op);
/* Where an expression's text begins (its leftmost operand's first token), for
 * reports about the whole expression rather than its operator. */
const struct p4_loc *p4_node_start(const struct p4_node *n);

#endif
