/* trace.h - the per-packet trace (--log-console), internal to src/switch.
 *
 * exec.c calls these only when c->trace is set, so a switch without a trace
 * pays one branch per event.  One packet prints as one compact block. */
#ifndef SW_TRACE_H
#define SW_TRACE_H

#include "plan.h"

/* exec.c's evaluator, for log_msg's arguments. */
uint64_t sw_eval(struct sw_ctx *c, uint32_t expr);

/* Each ingress pass: itype is its instance_type. */
void sw_trace_in(struct sw_ctx *c, uint32_t port, size_t len, uint32_t itype);
void sw_trace_state(struct sw_ctx *c, const struct sw_state *st);
void sw_trace_header(struct sw_ctx *c, const char *what, uint32_t hdr);
void sw_trace_parser_error(struct sw_ctx *c, uint32_t error);
void sw_trace_checksum(struct sw_ctx *c, const struct sw_checksum *ck, uint64_t have,
		       uint64_t want);
/* slot: the hit index (the engine's slot), SW_NONE when unknown. */
void sw_trace_table(struct sw_ctx *c, const struct sw_table *t, bool hit,
		    const struct sw_entry *e, uint32_t slot);
void sw_trace_action(struct sw_ctx *c, const struct sw_action *a, const uint8_t *args);
void sw_trace_cond(struct sw_ctx *c, const struct sw_node *n, bool v);
void sw_trace_egress(struct sw_ctx *c, uint64_t port);
/* A copy starting egress (port, replication id, instance_type). */
void sw_trace_egress_start(struct sw_ctx *c, uint32_t port, uint32_t rid, uint32_t itype);
/* One line of anything else: clones, replication, digests, loop bounds. */
void sw_trace_note(struct sw_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* log_msg: the message with its arguments. */
void sw_trace_log(struct sw_ctx *c, const struct sw_log *l, const struct sw_ins *in);
/* The v1model parts of --check's summary: stacks, unions, value sets,
 * stateful arrays, calculations, lists, and the primitives that copy. */
void sw_trace_summary(const struct sw_plan *p, FILE *f);
/* port < 0: dropped, why says where. */
void sw_trace_out(struct sw_ctx *c, int port, const char *why);

#endif
