/* server_int.h - what the P4Runtime server's files share (internal).
 *
 * server.c speaks gRPC (through transport.h), arbitrates and installs
 * pipelines; pipeline.c turns a P4Info + BMv2 JSON pair into a switch and
 * the ID maps between them, and serves table entries (Write and Read, direct
 * counters and meters, idle timeouts) on it; entities.c serves counters,
 * meters, registers, value sets and the replication engine; profiles.c
 * action profiles; digests.c digests; updates.c batches and reconciling.
 * Everything here runs on the transport thread under its lock. */
#ifndef P4RTS_SERVER_INT_H
#define P4RTS_SERVER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "p4/v1/p4runtime.pb-c.h"
#include "p4info.h"
#include "switch.h"
#include "transport.h"

enum {
#define X(name, num) P4RT_##name = num,
	P4RT_CODES(X)
#undef X
};

/* A status for one RPC or one update: gRPC code and a one-line message. */
struct p4rts_status {
	int code;
	char msg[512];
};

/* Sets st and returns -1, so checks read `return st_set(st, ...);`. */
int p4rts_st(struct p4rts_status *st, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct p4rts_pipe;

/* Builds a pipeline: P4Info (packed; unpacked and kept) and BMv2 JSON text
 * (copied), the switch created from it and every ID checked against it.
 * INVALID_ARGUMENT in st when they do not agree. */
int p4rts_pipe_new(struct p4rts_pipe **out, const uint8_t *p4info, size_t p4info_len,
		   const uint8_t *json, size_t json_len, struct p4rts_status *st);
void p4rts_pipe_free(struct p4rts_pipe *p);     /* accepts NULL; destroys the switch */
struct sw_switch *p4rts_pipe_switch(const struct p4rts_pipe *p);
const P4__Config__V1__P4Info *p4rts_pipe_p4info(const struct p4rts_pipe *p);
void p4rts_pipe_json(const struct p4rts_pipe *p, const uint8_t **json, size_t *len);
/* The cookie (has = false when the controller sent none). */
void p4rts_pipe_cookie(const struct p4rts_pipe *p, bool *has, uint64_t *cookie);
void p4rts_pipe_set_cookie(struct p4rts_pipe *p, bool has, uint64_t cookie);

/* One table-entry update (INSERT, MODIFY, DELETE). */
int p4rts_table_write(struct p4rts_pipe *p, P4__V1__Update__Type type,
		      const P4__V1__TableEntry *te, struct p4rts_status *st);

/* Emits the packed p4.v1.Entity of every entry te selects: table_id 0 means
 * every table; a match given selects that one entry; is_default_action the
 * default entry. */
typedef int (*p4rts_emit_fn)(void *ctx, const uint8_t *entity, size_t len);
int p4rts_table_read(struct p4rts_pipe *p, const P4__V1__TableEntry *te, p4rts_emit_fn emit,
		     void *ctx, struct p4rts_status *st);
/* The one entry with te's identity (match and priority, or the default
 * entry), if there is one: even an entry whose fields are all don't-care. */
int p4rts_table_get(struct p4rts_pipe *p, const P4__V1__TableEntry *te, p4rts_emit_fn emit,
		    void *ctx, struct p4rts_status *st);

/* DirectCounterEntry and DirectMeterEntry: read (a table entry with no
 * match: every entry of the table) and MODIFY. */
int p4rts_direct_read(struct p4rts_pipe *p, const P4__V1__Entity *e, p4rts_emit_fn emit,
		      void *ctx, struct p4rts_status *st);
int p4rts_direct_write(struct p4rts_pipe *p, P4__V1__Update__Type type, const P4__V1__Entity *e,
		       struct p4rts_status *st);

/* The replication engine's entries as written (entities.c), owned by the
 * pipeline. */
struct p4rts_pre;
struct p4rts_pre **p4rts_pipe_pre(struct p4rts_pipe *p);
void p4rts_pre_free(struct p4rts_pre *pre);     /* accepts NULL */

/* A meter cell's per-colour counts as a MeterCounterData (storage in cd,
 * three of them) and back; p4rts_colors_get is INVALID_ARGUMENT for a
 * negative count (what names the meter or table). */
void p4rts_colors_put(const struct sw_meter_counts *c, P4__V1__MeterCounterData *out,
		      P4__V1__CounterData cd[3]);
int p4rts_colors_get(const P4__V1__MeterCounterData *in, struct sw_meter_counts *c,
		     const char *what, struct p4rts_status *st);

/* Counters, registers, multicast groups and clone sessions. */
int p4rts_entity_write(struct p4rts_pipe *p, P4__V1__Update__Type type, const P4__V1__Entity *e,
		       struct p4rts_status *st);
int p4rts_entity_read(struct p4rts_pipe *p, const P4__V1__Entity *e, p4rts_emit_fn emit,
		      void *ctx, struct p4rts_status *st);

/* Action profile members and groups (profiles.c), owned by the pipeline:
 * P4Runtime's member and group ids map onto the switch's slots.
 * p4rts_profile_ref finds member or group id of profile prof (its slot in
 * *slot; NOT_FOUND) and adds delta to the count of table entries naming it
 * (one that is named cannot be deleted). */
struct p4rts_profiles;
struct p4rts_profiles **p4rts_pipe_profiles(struct p4rts_pipe *p);
int p4rts_profiles_new(struct p4rts_pipe *p, struct p4rts_status *st);
void p4rts_profiles_free(struct p4rts_profiles *ps);     /* accepts NULL */
int p4rts_profile_ref(struct p4rts_profiles *ps, uint32_t prof, bool group, uint32_t id,
		      int delta, uint32_t *slot, struct p4rts_status *st);
int p4rts_profile_write(struct p4rts_pipe *p, P4__V1__Update__Type type, const P4__V1__Entity *e,
			struct p4rts_status *st);
int p4rts_profile_read(struct p4rts_pipe *p, const P4__V1__Entity *e, p4rts_emit_fn emit,
		       void *ctx, struct p4rts_status *st);
/* A one-shot action set of table (named in messages) on profile prof: a
 * hidden group (*gid, its switch slot in *slot) of hidden members, and the
 * canonical set packed in *canon (the caller frees it).  INVALID_ARGUMENT
 * when the profile has members or groups of the controller.
 * p4rts_oneshot_free deletes the group and its members. */
int p4rts_oneshot_new(struct p4rts_pipe *p, const char *table, uint32_t prof,
		      const P4__V1__ActionProfileActionSet *set, uint32_t *gid, uint32_t *slot,
		      uint8_t **canon, size_t *canon_len, struct p4rts_status *st);
void p4rts_oneshot_free(struct p4rts_pipe *p, uint32_t prof, uint32_t gid);
/* A member's action checked against its profile's tables (pipeline.c): the
 * switch's action and arguments, and the canonical member, packed.  The
 * caller frees *argbuf, *args and *entity. */
int p4rts_member_parse(struct p4rts_pipe *p, const P4__V1__ActionProfileMember *m,
		       size_t *action, uint8_t **argbuf, struct sw_bytes **args,
		       uint8_t **entity, size_t *len, struct p4rts_status *st);

/* Digests (digests.c), owned by the pipeline.  p4rts_digest_poll moves what
 * the switch queued into pending lists and sends (through send, when
 * can_send) the lists that are due; it returns the milliseconds until it
 * wants to run again, -1 for never (no digest configured). */
struct p4rts_digests;
struct p4rts_digests **p4rts_pipe_digests(struct p4rts_pipe *p);
void p4rts_digests_free(struct p4rts_digests *ds);     /* accepts NULL */
int p4rts_digest_write(struct p4rts_pipe *p, P4__V1__Update__Type type,
		       const P4__V1__DigestEntry *de, struct p4rts_status *st);
int p4rts_digest_read(struct p4rts_pipe *p, const P4__V1__DigestEntry *de, p4rts_emit_fn emit,
		      void *ctx, struct p4rts_status *st);
int p4rts_digest_ack(struct p4rts_pipe *p, const P4__V1__DigestListAck *ack);
int p4rts_digest_poll(struct p4rts_pipe *p, int64_t now_ns, bool can_send,
		      void (*send)(void *ctx, const uint8_t *msg, size_t len), void *ctx);

/* Idle timeouts (pipeline.c): reads the hits of tables that track them
 * and sends (when can_send) one IdleTimeoutNotification per table for the
 * entries whose idle_timeout_ns passed without a hit; an entry is told
 * once, and again only after a new hit.  Returns the milliseconds until it
 * wants to run again, -1 for never. */
int p4rts_idle_poll(struct p4rts_pipe *p, bool can_send,
		    void (*send)(void *ctx, const uint8_t *msg, size_t len), void *ctx);

/* PacketIn/PacketOut (packetio.c).  The waker thread calls fn each time its
 * eventfd is signalled (by the dataplane, when a packet reaches the CPU
 * port, or by p4rts_waker_kick) and when the milliseconds fn last returned
 * have passed (-1: no timeout). */
struct p4rts_waker;
int p4rts_waker_start(struct p4rts_waker **out, int (*fn)(void *ctx), void *ctx,
		      struct p4l_err *err);
int p4rts_waker_fd(const struct p4rts_waker *w);
void p4rts_waker_kick(struct p4rts_waker *w);
void p4rts_waker_stop(struct p4rts_waker *w);     /* accepts NULL */
/* A packet the pipeline sent to the CPU port as a packed
 * StreamMessageResponse with a PacketIn (*out: free()); -EINVAL when it is
 * shorter than the packet_in header. */
int p4rts_packet_in(const P4__Config__V1__P4Info *info, const uint8_t *pkt, size_t len,
		    uint8_t **out, size_t *out_len);
/* The packet a PacketOut puts into the CPU port (*pkt: free()). */
int p4rts_packet_out(const P4__Config__V1__P4Info *info, const P4__V1__PacketOut *po,
		     uint8_t **pkt, size_t *len, struct p4rts_status *st);

/* A Write's updates in order (updates.c), their statuses in sts.  With
 * rollback, the first failure undoes the updates before it (the others
 * then answer ABORTED).  Returns how many failed; *digests is set when a
 * digest configuration changed. */
size_t p4rts_apply(struct p4rts_pipe *p, P4__V1__Update *const *u, size_t n, bool rollback,
		   struct p4rts_status *sts, bool *digests);
/* RECONCILE_AND_COMMIT: writes the forwarding state of old (what a Read
 * returns: members, groups, entries with their direct counters and meters,
 * default entries, replication, value sets, registers, meters, digest
 * configurations, counters) into the new pipeline p, by P4Info id.
 * INVALID_ARGUMENT naming what p cannot take. */
int p4rts_reconcile(struct p4rts_pipe *old, struct p4rts_pipe *p, struct p4rts_status *st);

#endif
