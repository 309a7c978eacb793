/* plan.h - the switch's execution plan, internal to src/switch.
 *
 * load.c builds a plan from BMv2 JSON; exec.c runs packets through it; table.c
 * and trace.c read it.  Every name is resolved once, at load time:
 *
 *  - All header instances (packet headers, metadata, "scalars",
 *    standard_metadata) live in one byte array per packet context, the PHV.
 *    Each instance occupies its wire bytes, fields bit-packed as on the wire,
 *    so extract and deparse are one memcpy each and a field is a
 *    (header, absolute bit offset, width) triple.
 *  - Expressions are trees of sw_expr nodes in one array, evaluated on
 *    uint64_t.  Values wider than 64 bits are supported where p4c emits them
 *    for wide fields (copy, ==, !=, table and select keys) through sw_wide
 *    operands read in 64-bit chunks; any other operation on them is refused at
 *    load time with the JSON path.
 *  - Actions and parser states are ranges of sw_ins instructions.
 *  - Control flow is a graph of nodes (tables, conditionals, action calls)
 *    linked by node index; -1 ends the pipeline.
 *
 * Per packet nothing here is allocated, hashed by name or searched by name. */
#ifndef SW_PLAN_H
#define SW_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine.h"
#include "switch.h"

struct sw_pre;
struct sw_v1m;

#define SW_NONE UINT32_MAX
#define SW_DROP_PORT 511
#define SW_MAX_PKT (65536 + 128)   /* GSO super-packets: 64 KiB of IP plus link headers */
#define SW_HEADROOM 256            /* room for headers the pipeline adds, in place */
#define SW_MAX_KEY_BYTES 512

/* A field (or an action parameter: hdr unused, bit is within the entry's
 * argument bytes). */
struct sw_fref {
	uint32_t bit;     /* absolute bit offset in the PHV */
	uint32_t width;
	uint32_t hdr;     /* header instance index */
};

/* Where a wide operand's bits are. */
enum sw_src { SW_SRC_PHV, SW_SRC_CONST, SW_SRC_ARGS };

struct sw_wide {
	uint8_t src;      /* enum sw_src */
	uint32_t bit;
	uint32_t width;
};

/* Expression operators: enum name, BMv2 JSON spelling ("" = internal). */
#define SW_EXPR_OPS(X) \
	X(FIELD, "") X(CONST, "") X(PARAM, "") X(VALIDF, "") \
	X(VALID, "valid") \
	X(ADD, "+") X(SUB, "-") X(MUL, "*") X(SHL, "<<") X(SHR, ">>") \
	X(EQ, "==") X(NE, "!=") X(GT, ">") X(GE, ">=") X(LT, "<") X(LE, "<=") \
	X(LAND, "and") X(LOR, "or") X(LNOT, "not") \
	X(AND, "&") X(OR, "|") X(XOR, "^") X(BNOT, "~") X(NEG, "") \
	X(D2B, "d2b") X(B2D, "b2d") X(COND, "?") \
	X(WEQ, "") X(WNE, "") \
	X(STACKF, "") X(LASTIDX, "last_stack_index") X(STACKSIZE, "size_stack") \
	X(SFIELD, "") X(TCMOD, "two_comp_mod") X(SCAST, "sat_cast") X(UCAST, "usat_cast") \
	X(SGT, "") X(SGE, "") X(SLT, "") X(SLE, "") X(SSHR, "") \
	X(SACCESS, "access_field") X(SVALID, "") X(UVALID, "valid_union")

enum sw_expr_op {
#define X(e, s) SW_E_##e,
	SW_EXPR_OPS(X)
#undef X
	SW_E_COUNT
};

struct sw_expr {
	uint8_t op;
	union {
		struct sw_fref f;                 /* FIELD, PARAM, VALIDF (hdr);
						   * STACKF: hdr = stack, bit within
						   * the element; LASTIDX, STACKSIZE:
						   * hdr = stack */
		uint64_t k;                       /* CONST */
		struct { uint32_t a, b, c; } x;   /* children (c: COND's condition) */
		struct { struct sw_wide a, b; } w;/* WEQ, WNE */
		struct { uint32_t idx, stack, bit, width; } sa;  /* SACCESS (a field
						   * of stack element [idx expr]),
						   * SVALID (its validity) */
	};
};

/* Instructions of actions and parser states: enum name, trace spelling. */
#define SW_INS_OPS(X) \
	X(ASSIGN, "assign") X(COPY, "assign") X(SET_VALID, "setValid") \
	X(SET_INVALID, "setInvalid") X(DROP, "mark_to_drop") X(EXIT, "exit") \
	X(HDR_COPY, "assign_header") X(JUMP, "_jump") X(JUMPZ, "_jump_if_zero") \
	X(EXTRACT, "extract") X(VERIFY, "verify") X(NOP, "no_op") \
	X(ASSIGN_LA, "lookahead") X(COUNTER, "count") X(REG_READ, "register_read") \
	X(REG_WRITE, "register_write") X(EXTRACT_STACK, "extract") X(POP, "pop_front") \
	X(PUSH, "push_front") X(HASH, "hash") X(RANDOM, "random") X(TRUNCATE, "truncate") \
	X(METER, "execute_meter") X(CLONE, "clone") X(RESUBMIT, "resubmit") \
	X(RECIRC, "recirculate") X(DIGEST, "digest") X(LOG, "log_msg") \
	X(STACK_ASSIGN, "assign") X(STACK_VALID, "setValid") X(ASSERT, "assert") \
	X(UNION_COPY, "assign_union") X(EXTRACT_VL, "extract") \
	X(STACK_COPY, "assign_header_stack") X(ASSIGN_VL, "assign_VL")

enum sw_ins_op {
#define X(e, s) SW_I_##e,
	SW_INS_OPS(X)
#undef X
	SW_I_COUNT
};

struct sw_ins {
	uint8_t op;
	struct sw_fref dst;    /* ASSIGN, COPY, ASSIGN_LA (width) */
	struct sw_wide src;    /* COPY; ASSIGN_LA: bit = lookahead offset */
	uint32_t expr;         /* ASSIGN value, JUMPZ/VERIFY condition */
	uint32_t expr2;        /* VERIFY error value */
	uint32_t hdr, hdr2;    /* SET_*, EXTRACT, HDR_COPY (dst, src); COUNTER,
				* REG_*, METER: the array (index in expr, value in
				* expr2); EXTRACT_STACK, POP, PUSH: the stack; HASH:
				* the calculation (base in expr, size in expr2);
				* RANDOM: bounds in expr, expr2; TRUNCATE: expr;
				* CLONE: hdr 0 = I2E, 1 = E2E, session in expr;
				* DIGEST: receiver in expr; LOG: the message (index
				* in plan->logs); STACK_ASSIGN: stack element
				* [expr2] (dst.bit within it) = expr; STACK_VALID:
				* element [expr2] valid = target; ASSERT: expr;
				* STACK_COPY: stacks hdr (dst), hdr2 (src), each
				* the first of target member stacks; POP, PUSH: the
				* first of hdr2 member stacks (1 for a header
				* stack); ASSIGN_VL: dst (varbit field) = src */
	uint32_t target;       /* JUMP*: instruction index within the action;
				* POP, PUSH: how many; CLONE, RESUBMIT, RECIRC: the
				* field list (SW_NONE: none); DIGEST: the learn list */
};

struct sw_field {
	char *name;
	uint32_t bit;      /* relative to the header's first bit */
	uint32_t width;
	bool is_signed;    /* read sign-extended (int<W>) */
};

struct sw_header {
	char *name;
	char *type;
	int id;            /* the JSON id (header stacks list elements by id) */
	uint32_t off;      /* byte offset in the PHV */
	uint32_t nbits, nbytes;
	bool metadata;
	struct sw_field *fields;
	size_t n_fields;
	uint32_t uni;      /* the header union it is a member of, SW_NONE if none */
	bool varbit;       /* its last field is a varbit: nbits is the most it holds,
			    * the packet's length is in sw_ctx.vlen */
	uint32_t fixed;    /* varbit: bits before the varbit field */
};

/* A header union: making one member valid makes the others invalid. */
struct sw_union {
	char *name;
	uint32_t *hdrs;
	size_t n;
};

/* An action profile (and selector): tables that use it hold a member or a
 * group in each entry, through the two actions act_member / act_group the
 * loader adds (one 32-bit parameter: the id).  A group picks one of its
 * members by the selector's hash of the packet. */
struct sw_member {
	uint32_t action;
	uint8_t args[];
};

struct sw_group {
	size_t n;
	uint32_t members[];
};

/* members[id] and groups[id] (NULL: none) are published whole and never
 * changed after (pre.c replaces them, RCU style), so packets read them
 * while the control plane writes. */
struct sw_profile {
	char *name;
	uint32_t max;              /* member and group ids go from 0 to max - 1 */
	struct sw_member **members;
	struct sw_group **groups;
	uint32_t selector;         /* the hash calculation, SW_NONE without a selector */
	uint32_t act_member, act_group;
};

/* A parse value set: a transition of the set matches a key equal to one of
 * its values.  Values are the select key's fields bit-packed (width bits,
 * big-endian, in (width + 7) / 8 bytes); the control plane fills them. */
struct sw_vals {
	uint32_t n;
	uint8_t v[];
};

struct sw_vset {
	char *name;
	uint32_t width, max;
	struct sw_vals *vals;      /* published whole (RCU style), NULL: empty */
};

struct sw_param {
	char *name;
	uint32_t width;
	uint32_t off;      /* byte offset in the argument bytes, big-endian, byte-padded */
};

struct sw_action {
	char *name;
	int id;
	struct sw_param *params;
	size_t n_params;
	uint32_t args_len;
	uint32_t ins, n_ins;
	struct sw_action_info info;
	struct sw_param_info *pinfo;
};

enum sw_tkey_kind { SW_TK_FIELD, SW_TK_LOOKAHEAD, SW_TK_VALID, SW_TK_STACKF };

struct sw_select_key {
	uint8_t kind;
	struct sw_fref f;          /* LOOKAHEAD: bit = offset from the cursor;
				    * STACKF: as in sw_expr */
	uint32_t nbytes;
};

struct sw_transition {
	bool is_default;
	uint32_t vset;             /* a parse value set, SW_NONE if none */
	uint32_t value, mask;      /* offsets in the const pool (mask SW_NONE: none) */
	uint32_t next;             /* state index, SW_NONE = accept */
};

struct sw_state {
	char *name;
	uint32_t ins, n_ins;
	struct sw_select_key *keys;
	size_t n_keys;
	uint32_t key_len;
	struct sw_transition *trans;
	size_t n_trans;
};

struct sw_key_part {
	struct sw_key_info info;
	struct sw_fref f;          /* VALIDF keys use f.hdr */
	bool is_valid;             /* the header's validity ($valid$ or match "valid") */
	uint32_t off, nbytes;      /* in the table's key bytes */
	uint32_t mask;             /* static mask in the const pool, SW_NONE if none */
};

/* One two-rate three-colour meter (RFC 2698, colour-blind): a cell of a
 * meter array, or an entry's direct meter.  Its rates may be written while
 * packets run (sw_meter_cell_set): the writer fills the buffer packets do
 * not read, rate[cur ^ 1], publishes it by flipping cur (a release store)
 * and lets a grace period pass before it writes again; a new gen tells the
 * dataplane, which alone keeps the tokens, to fill them for the new rates. */
struct sw_meter_rate {
	uint32_t gen;              /* 0: never configured, all green */
	double cir, pir;           /* units (packets or bytes) per second */
	double cbs, pbs;           /* bucket sizes */
};
struct sw_meter_cell {
	struct sw_meter_rate rate[2];
	uint32_t cur;              /* the buffer in force */
	uint32_t seen;             /* the gen the tokens are for (dataplane) */
	double tc, tp;             /* tokens */
	uint64_t last_ns;
	uint64_t packets[3], bytes[3];   /* marked green, yellow, red (dataplane) */
};
/* The rates in force of a cell (control plane). */
static inline const struct sw_meter_rate *sw_meter_rates_of(const struct sw_meter_cell *mc)
{
	return &mc->rate[__atomic_load_n(&mc->cur, __ATOMIC_ACQUIRE) & 1];
}
struct sw_switch;
void sw_meter_cell_set(struct sw_switch *sw, struct sw_meter_cell *mc, double cir, double cbs,
		       double pir, double pbs);

/* A table entry's result; engines hold pointers to these. */
struct sw_entry {
	uint32_t action;
	uint32_t slot;              /* index of the action in the table's list */
	int32_t priority;
	uint8_t hit;                /* set by hits when the table tracks them (idle
				     * timeouts); the control plane clears it */
	uint64_t packets, bytes;    /* the table's direct counter, if it has one */
	struct sw_entry *next_all;  /* every entry of the table, for freeing and reading */
	uint8_t *key;               /* value then mask (key_len bytes each), for reading back */
	struct sw_meter_cell meter; /* the table's direct meter, if it has one */
	uint8_t args[];             /* then the key bytes */
};

struct sw_table {
	char *name;
	int id;
	struct sw_key_part *keys;
	size_t n_keys;
	uint32_t key_len;
	enum sw_match_kind kind;    /* EXACT, LPM or TERNARY: picks the engine */
	uint32_t max_size;
	uint32_t *actions;          /* allowed action indices */
	uint32_t *action_next;      /* next node per allowed action (parallel to actions) */
	size_t n_actions;
	bool hit_miss;
	uint32_t hit_next, miss_next, base_next;
	struct sw_entry *def;       /* default entry (NULL: NoAction-like miss, nothing runs) */
	bool def_const;
	bool immutable;             /* entries came from the JSON */
	const struct sw_engine_ops *ops;
	void *engine;
	struct sw_entry *all;
	size_t n_entries;
	bool counted;               /* has a direct counter */
	bool track_hits;            /* hits set their entry's hit bit */
	uint32_t profile;           /* action profile of an indirect table, SW_NONE if direct */
	bool metered;               /* has a direct meter: a hit writes its colour */
	bool meter_bytes;           /* it counts bytes, not packets */
	struct sw_fref meter_target;
	bool has_hit_index;         /* p4lab_hit_index: entries are pinned, and a hit
				     * writes its slot into hit_field first */
	struct sw_fref hit_field;
	struct sw_table_info info;
	struct sw_key_info *kinfo;
};

enum sw_node_kind { SW_N_TABLE, SW_N_COND, SW_N_CALL };

struct sw_node {
	uint8_t kind;
	uint32_t idx;              /* table index, or action index for CALL */
	uint32_t expr;             /* COND */
	uint32_t next_t, next_f;   /* COND true/false; CALL next in next_t */
	char *name;
};

enum sw_calc_kind { SW_CI_BITS, SW_CI_PAYLOAD };

struct sw_calc_in {
	uint8_t kind;
	struct sw_wide w;          /* BITS: a field, a constant or a whole header;
				    * PAYLOAD: w.bit = first deparser position taken */
	uint32_t hdr;              /* SW_NONE for constants; skipped when invalid */
};

/* Hash algorithms of calculations: enum name, BMv2 spelling. */
#define SW_ALGOS(X) \
	X(CSUM16, "csum16") X(CRC16, "crc16") X(CRC32, "crc32") X(IDENTITY, "identity") \
	X(XOR16, "xor16") X(CRC16_CUSTOM, "crc16_custom") X(CRC32_CUSTOM, "crc32_custom") \
	X(RANDOM, "random")

enum sw_algo {
#define X(e, s) SW_ALGO_##e,
	SW_ALGOS(X)
#undef X
	SW_ALGO_COUNT
};

/* A CRC's parameters (the Rocksoft model); the _custom algorithms start
 * with those of crc16 / crc32 and the control plane may change them. */
struct sw_crc {
	uint32_t poly, init, xor_out;
	bool refin, refout;
};

struct sw_calc {
	char *name;
	uint8_t algo;
	struct sw_crc crc;         /* CRC16_CUSTOM, CRC32_CUSTOM */
	struct sw_calc_in *in;
	size_t n_in;
	uint32_t max_bytes;
};

struct sw_checksum {
	char *name;
	struct sw_fref target;
	uint32_t calc;
	bool verify, update;
	uint32_t cond;             /* expression or SW_NONE */
};

/* Indexed counters and registers.  Their cells are the only part of a plan
 * that packets write; one thread runs packets at a time. */
struct sw_counter {
	char *name;
	uint32_t size;
	uint64_t *packets, *bytes;
};

struct sw_register {
	char *name;
	uint32_t size, width;      /* width <= 64 */
	uint64_t *cells;
};

/* Meters: two-rate three-color (RFC 2698, color-blind) per cell.  A cell the
 * control plane has not configured marks every packet green, as in BMv2. */

struct sw_meter {
	char *name;
	uint32_t size;
	bool bytes;                /* counts bytes, not packets */
	struct sw_meter_cell *cells;
};

/* A header stack: its elements are ordinary header instances.  A stack of
 * header unions is held as one member stack per union member (element i of
 * member stack m: member m of union i), consecutive in plan->stacks and
 * sharing one cursor, so that every stack instruction and expression
 * serves both. */
struct sw_stack {
	char *name;
	uint32_t *hdrs;
	uint32_t size;
	uint32_t cur;      /* its cursor: index in sw_ctx.next (its own index,
			    * or its union stack's first member stack) */
};

/* A header union stack (header_union_stacks): member stacks first .. first + n. */
struct sw_ustack {
	char *name;
	uint32_t *unions;  /* the elements, indexes in plan->unions */
	uint32_t size;
	uint32_t first, n;
	char **members;    /* member names, n of them */
};

/* standard_metadata fields the v1model run reads and writes. */
#define SW_STD_FIELDS(X) \
	X(ingress_port) X(egress_spec) X(egress_port) X(packet_length) \
	X(instance_type) X(parser_error) X(checksum_error) X(mcast_grp) \
	X(egress_rid) X(enq_timestamp) X(enq_qdepth) X(deq_timedelta) X(deq_qdepth) \
	X(ingress_global_timestamp) X(egress_global_timestamp) X(priority)

/* standard_metadata.instance_type values, as BMv2's simple_switch. */
enum sw_instance {
	SW_PKT_NORMAL = 0, SW_PKT_INGRESS_CLONE = 1, SW_PKT_EGRESS_CLONE = 2,
	SW_PKT_COALESCED = 3, SW_PKT_RECIRC = 4, SW_PKT_REPLICATION = 5, SW_PKT_RESUBMIT = 6,
};

/* A field list (clone, resubmit and recirculate preserve one) or a learn
 * list (a digest's fields). */
struct sw_flist {
	int id;
	char *name;
	struct sw_fref *f;
	size_t n;
	uint32_t bits;             /* sum of the widths */
	uint32_t bytes;            /* each field byte-padded: a digest's size */
};

struct sw_std {
#define X(n) struct sw_fref n; bool has_##n;
	SW_STD_FIELDS(X)
#undef X
};

/* A log_msg call: "{}" in fmt takes the next argument. */
struct sw_log {
	char *fmt;
	uint32_t *args;            /* expressions */
	size_t n_args;
};

struct sw_plan {
	char *file;                /* for messages */
	struct sw_header *headers;
	size_t n_headers;
	uint32_t phv_size;
	struct sw_expr *exprs;
	size_t n_exprs, cap_exprs;
	struct sw_ins *ins;
	size_t n_ins, cap_ins;
	uint8_t *pool;             /* constants (select values, masks, wide literals) */
	size_t pool_len, pool_cap;
	struct sw_action *actions;
	size_t n_actions;
	struct sw_state *states;
	size_t n_states;
	uint32_t parser_init;      /* SW_NONE: empty parser, everything is payload */
	uint32_t *deparse;         /* header indices in emit order */
	size_t n_deparse;
	struct sw_table *tables;
	size_t n_tables;
	struct sw_node *nodes;
	size_t n_nodes;
	uint32_t ingress, egress;  /* first node or SW_NONE */
	struct sw_calc *calcs;
	size_t n_calcs;
	struct sw_checksum *checksums;
	size_t n_checksums;
	struct sw_counter *counters;
	size_t n_counters;
	struct sw_register *registers;
	size_t n_registers;
	struct sw_meter *meters;
	size_t n_meters;
	struct sw_stack *stacks;
	size_t n_stacks;
	uint32_t err_stack_oob;
	char **error_names;        /* by value, for traces */
	size_t n_errors;
	uint32_t err_too_short, err_no_match;
	struct sw_std std;
	uint32_t max_args;         /* largest args_len */
	uint32_t max_calc;         /* largest calculation buffer */
	struct sw_union *unions;
	size_t n_unions;
	struct sw_ustack *ustacks;
	size_t n_ustacks;
	struct sw_profile *profiles;
	size_t n_profiles;
	struct sw_vset *vsets;
	size_t n_vsets;
	struct sw_flist *flists;   /* field_lists */
	size_t n_flists;
	struct sw_flist *learns;   /* learn_lists */
	size_t n_learns;
	uint32_t max_flist;        /* bytes of the largest field or learn list */
	bool has_varbit;
	uint32_t err_header_too_short, err_invalid_arg;
	struct sw_log *logs;       /* log_msg calls */
	size_t n_logs;
	struct sw_pre *pre;        /* replication, clone sessions, digests (pre.h) */
};

/* One packet context per thread running packets (no per-packet allocation). */
struct sw_ctx {
	const struct sw_plan *plan;
	uint8_t *phv;
	uint8_t *valid;
	const uint8_t *pkt;        /* the packet as received */
	size_t len, pos;           /* pos: parser cursor in bytes */
	const uint8_t *args;       /* running action's argument bytes */
	bool exit;
	uint8_t *key;              /* table / select key scratch */
	uint8_t *calc;             /* checksum input scratch */
	uint8_t *out;              /* deparsed headers */
	size_t out_len;
	const uint8_t *payload;    /* what follows them: the unparsed rest of pkt */
	size_t payload_len;
	FILE *trace;
	uint64_t count;            /* packets seen, for traces */
	size_t out_cap;
	uint32_t *next;            /* per stack: elements filled from the front */
	size_t trunc;              /* truncate() length, SIZE_MAX if none */
	uint64_t rng;              /* random() state */
	/* Every packet a run sends except the last is handed to emit (while it is
	 * in out/payload); the last one is sw_exec's result.  NULL: those copies
	 * are dropped (traced). */
	void (*emit)(struct sw_ctx *c, uint32_t port, void *arg);
	void *emit_arg;
	struct sw_v1m *v1m;        /* exec.c's per-run v1model state */
	uint32_t *vlen;            /* per header: bits in its varbit field */
};

/* The bytes a header takes on the wire now (a varbit header: its length). */
static inline uint32_t sw_hdr_bytes(const struct sw_ctx *c, uint32_t hdr)
{
	const struct sw_header *h = &c->plan->headers[hdr];
	return h->varbit ? (h->fixed + c->vlen[hdr]) / 8 : h->nbytes;
}

int sw_plan_load(struct sw_plan **out, const char *json, size_t len, const char *file,
		 struct p4l_err *err);
void sw_plan_free(struct sw_plan *plan);

int sw_ctx_init(struct sw_ctx *c, const struct sw_plan *plan);
void sw_ctx_fini(struct sw_ctx *c);

/* Runs the v1model pipeline on one packet.  Returns the egress port, or -1 when
 * dropped; the packet to send is the headers c->out[0..c->out_len) followed
 * by c->payload[0..c->payload_len) (which points into pkt: the payload is
 * never copied here, so the dataplane can send it from where it arrived --
 * except after a recirculation, when it points into c's own buffer).
 * Copies (multicast, clones) before the last go to c->emit. */
int sw_exec(struct sw_ctx *c, uint32_t in_port, const uint8_t *pkt, size_t len);

/* Bits [bit, bit+width) of buf, width <= 64, big-endian bit order. */
static inline uint64_t sw_get_bits(const uint8_t *buf, uint32_t bit, uint32_t width)
{
	const uint8_t *p = buf + (bit >> 3);
	uint32_t first = bit & 7, total = first + width, n = (total + 7) >> 3;
	uint64_t mask = width >= 64 ? UINT64_MAX : (UINT64_C(1) << width) - 1;
	if (n <= 8) {  /* the common case: no 128-bit arithmetic */
		uint64_t acc = 0;
		for (uint32_t i = 0; i < n; i++)
			acc = (acc << 8) | p[i];
		return (acc >> (n * 8 - total)) & mask;
	}
	unsigned __int128 acc = 0;
	for (uint32_t i = 0; i < n; i++)
		acc = (acc << 8) | p[i];
	return (uint64_t)(acc >> (n * 8 - total)) & mask;
}

static inline void sw_set_bits(uint8_t *buf, uint32_t bit, uint32_t width, uint64_t v)
{
	uint8_t *p = buf + (bit >> 3);
	uint32_t first = bit & 7, total = first + width, n = (total + 7) >> 3;
	uint32_t sh = n * 8 - total;
	if (!first && !sh) {  /* whole bytes: store them */
		for (uint32_t i = n; i-- > 0; v >>= 8)
			p[i] = (uint8_t)v;
		return;
	}
	if (n <= 8) {
		uint64_t acc = 0, m = (width >= 64 ? UINT64_MAX : (UINT64_C(1) << width) - 1) << sh;
		for (uint32_t i = 0; i < n; i++)
			acc = (acc << 8) | p[i];
		acc = (acc & ~m) | ((v << sh) & m);
		for (uint32_t i = n; i-- > 0; acc >>= 8)
			p[i] = (uint8_t)acc;
		return;
	}
	unsigned __int128 acc = 0, m;
	for (uint32_t i = 0; i < n; i++)
		acc = (acc << 8) | p[i];
	m = (width >= 64 ? (unsigned __int128)UINT64_MAX : ((unsigned __int128)1 << width) - 1) << sh;
	acc = (acc & ~m) | (((unsigned __int128)v << sh) & m);
	for (uint32_t i = n; i-- > 0; acc >>= 8)
		p[i] = (uint8_t)acc;
}

/* For the control-plane modules beside switch.c (pre.c): the plan, and
 * whether the dataplane thread runs (writes are refused then). */
struct sw_plan *sw_plan_of(const struct sw_switch *sw);
bool sw_is_running(const struct sw_switch *sw);

/* A CRC-16 or CRC-32 with parameters k over n bytes (exec.c; tests). */
uint32_t sw_crc(const struct sw_crc *k, int width, const uint8_t *d, size_t n);

/* Names for traces. */
extern const char *const sw_expr_names[SW_E_COUNT];
extern const char *const sw_ins_names[SW_I_COUNT];

#endif
