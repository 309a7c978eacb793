/* trace.h - the per-packet trace (--log-console), internal to src/switch.
 *
 * exec.c calls these only when c->trace is set, so a switch without a trace
 * pays one branch per event.  One packet prints as one compact block. */
#ifndef SW_TRACE_H
#define SW_TRACE_H

#include "plan.h"

void sw_trace_in(struct sw_ctx *c, uint32_t port, size_t len);
void sw_trace_state(struct sw_ctx *c, const struct sw_state *st);
void sw_trace_header(struct sw_ctx *c, const char *what, uint32_t hdr);
void sw_trace_parser_error(struct sw_ctx *c, uint32_t error);
void sw_trace_checksum(struct sw_ctx *c, const struct sw_checksum *ck, uint64_t have,
		       uint64_t want);
void sw_trace_table(struct sw_ctx *c, const struct sw_table *t, bool hit,
		    const struct sw_entry *e);
void sw_trace_action(struct sw_ctx *c, const struct sw_action *a, const uint8_t *args);
void sw_trace_cond(struct sw_ctx *c, const struct sw_node *n, bool v);
void sw_trace_egress(struct sw_ctx *c, uint64_t port);
/* port < 0: dropped, why says where. */
void sw_trace_out(struct sw_ctx *c, int port, const char *why);

#endif
