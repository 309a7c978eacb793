/* p4rt_client.h - libp4lab's P4Runtime client (prefix p4rt_).
 *
 * One struct p4rt_client is one connection to one P4Runtime device (a
 * p4lab-switch, BMv2's simple_switch_grpc, ...).  Typical use:
 *
 *   p4rt_connect(&sw, "127.0.0.1:9559", 0, &err);
 *   p4rt_arbitrate(sw, 0, 1, &err);                    // 1: primary
 *   p4rt_set_pipeline_files(sw, "prog.json", "prog.p4info.txtpb", &err);
 *   p4rt_table_add(sw, "MyIngress.ipv4_lpm", "hdr.ipv4.dstAddr=10.0.1.0/24",
 *                  "MyIngress.forward", "port=1,dmac=00:00:00:00:01:01", &err);
 *
 * The by-name calls use the P4Info of the pipeline this client pushed (or
 * fetched with p4rt_fetch_pipeline).  The typed calls take protobuf-c
 * messages (p4/v1/p4runtime.pb-c.h).  Batches go out with p4rt_write.
 *
 * Errors: functions return 0 (or a count) or a negative errno and fill
 * err.  gRPC status codes map to errnos through P4RT_CLIENT_CODES below;
 * for a Write that failed in part (-EIO, status UNKNOWN), the status of
 * every update is in p4rt_update_errors().
 *
 * Threads and events: nothing runs in the background.  Asynchronous at
 * heart: every request is started and completed by a loop (one per client,
 * or one shared by many clients, see "asynchronous use" below); the calls
 * that wait are wrappers that run the loop until their answer came.  A loop
 * and its clients belong to one thread at a time; stream events
 * (arbitration changes, stream errors, packets, digests, idle timeouts) are
 * collected while the loop runs and handed out by p4rt_poll().  Many clients
 * and loops can live in one process; connect and close as often as wanted.
 * The library never forks. */
#ifndef P4RT_CLIENT_H
#define P4RT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "p4/v1/p4runtime.pb-c.h"

/* gRPC code, its name, and the errno a call returns for it. */
#define P4RT_CLIENT_CODES(X)                                              \
	X(0, OK, 0)                                                       \
	X(1, CANCELLED, ECANCELED)                                        \
	X(2, UNKNOWN, EIO)                                                \
	X(3, INVALID_ARGUMENT, EINVAL)                                    \
	X(4, DEADLINE_EXCEEDED, ETIMEDOUT)                                \
	X(5, NOT_FOUND, ENOENT)                                           \
	X(6, ALREADY_EXISTS, EEXIST)                                      \
	X(7, PERMISSION_DENIED, EACCES)                                   \
	X(8, RESOURCE_EXHAUSTED, ENOSPC)                                  \
	X(9, FAILED_PRECONDITION, ENXIO)                                  \
	X(10, ABORTED, ECONNABORTED)                                      \
	X(11, OUT_OF_RANGE, ERANGE)                                       \
	X(12, UNIMPLEMENTED, ENOSYS)                                      \
	X(13, INTERNAL, EPROTO)                                           \
	X(14, UNAVAILABLE, ECONNREFUSED)                                  \
	X(15, DATA_LOSS, EBADMSG)                                         \
	X(16, UNAUTHENTICATED, EPERM)

/* The negative errno for a gRPC code, and the code's name. */
int p4rt_errno(int grpc_code);
const char *p4rt_code_name(int grpc_code);

struct p4rt_client;

/* Connects (waiting up to 5 s for the server).  device_id is put in every
 * request. */
int p4rt_connect(struct p4rt_client **out, const char *addr, uint64_t device_id,
		 struct p4l_err *err);
void p4rt_close(struct p4rt_client *c);      /* accepts NULL */

/* Opens the StreamChannel (if not yet open) and asks for primary with this
 * election id in role (NULL: the default role).  Waits for the server's
 * answer: returns 1 when this client is the primary, 0 when it is a backup. */
int p4rt_arbitrate(struct p4rt_client *c, uint64_t election_hi, uint64_t election_lo,
		   const char *role, struct p4l_err *err);
bool p4rt_is_primary(const struct p4rt_client *c);
/* The same with the role's configuration, a packed protobuf message of
 * type_url (p4lab-switch reads "type.googleapis.com/stratum.P4RoleConfig":
 * which P4 objects the role writes, whether it gets PacketIns, whether it
 * pushes pipelines). */
int p4rt_arbitrate_config(struct p4rt_client *c, uint64_t election_hi, uint64_t election_lo,
			  const char *role, const char *type_url, const uint8_t *config,
			  size_t config_len, struct p4l_err *err);

/* Controller packet metadata: a field of the packet_in / packet_out header
 * by P4Info id, value as canonical bytes. */
struct p4rt_metadata {
	uint32_t id;
	uint8_t value[16];
	size_t len;
};
#define P4RT_MAX_METADATA 16

/* Something the server said on the stream. */
enum p4rt_event_type {
	P4RT_EV_ARBITRATION,       /* primary: are we it now; code: the status code */
	P4RT_EV_STREAM_ERROR,      /* a StreamError: code and msg */
	P4RT_EV_CLOSED,            /* the stream ended: code and msg */
	P4RT_EV_PACKET_IN,         /* payload and metadata */
	P4RT_EV_DIGEST,            /* digest: a DigestList (ack it: p4rt_digest_ack) */
	P4RT_EV_IDLE_TIMEOUT,      /* idle: entries that were not hit in their timeout */
};
struct p4rt_event {
	enum p4rt_event_type type;
	int code;                  /* gRPC code */
	bool primary;
	uint64_t election_hi, election_lo;   /* the primary's (arbitration) */
	char msg[512];
	uint8_t *payload;          /* PACKET_IN: owned by the event */
	size_t payload_len;
	size_t n_metadata;
	struct p4rt_metadata metadata[P4RT_MAX_METADATA];
	P4__V1__DigestList *digest;          /* DIGEST: owned by the event */
	P4__V1__IdleTimeoutNotification *idle;   /* IDLE_TIMEOUT: owned by the event */
};
/* Waits up to timeout_ms (0: just look, -1: forever) for the next event:
 * returns 1 with *ev filled, 0 when none came, -ENOTCONN with no stream.
 * Release each event with p4rt_event_clear. */
int p4rt_poll(struct p4rt_client *c, struct p4rt_event *ev, int timeout_ms);
void p4rt_event_clear(struct p4rt_event *ev);
/* A PACKET_IN event's packet_in field by P4Info name, as an integer. */
int p4rt_event_metadata(const struct p4rt_client *c, const struct p4rt_event *ev,
			const char *name, uint64_t *value);

/* Sends a PacketOut (the primary only): payload, and the packet_out header's
 * fields as "name=value,..." (fields left out are 0).  Errors the server
 * finds come back as P4RT_EV_STREAM_ERROR events. */
int p4rt_packet_out(struct p4rt_client *c, const uint8_t *payload, size_t len,
		    const char *metadata, struct p4l_err *err);

/* ---- pipelines ---------------------------------------------------------- */

/* SetForwardingPipelineConfig(VERIFY_AND_COMMIT): BMv2 JSON as device config
 * and a packed P4Info; the cookie is stored by the device.  The client keeps
 * the P4Info for the by-name calls. */
int p4rt_set_pipeline(struct p4rt_client *c, const char *json, size_t json_len,
		      const uint8_t *p4info, size_t p4info_len, uint64_t cookie,
		      struct p4l_err *err);
/* The same with any action (P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__
 * ACTION__VERIFY, __VERIFY_AND_SAVE, __COMMIT, ...); json and p4info may be
 * NULL (COMMIT takes none).  The P4Info of a saved config becomes the
 * client's at its COMMIT. */
int p4rt_set_pipeline_action(struct p4rt_client *c, int action, const char *json,
			     size_t json_len, const uint8_t *p4info, size_t p4info_len,
			     uint64_t cookie, struct p4l_err *err);
/* Same from files: PROG.json and a P4Info file, text or binary (as
 * p4i_p4info_load reads them). */
int p4rt_set_pipeline_files(struct p4rt_client *c, const char *json_path,
			    const char *p4info_path, struct p4l_err *err);
/* GetForwardingPipelineConfig(ALL): keeps the device's P4Info for the by-name
 * calls and returns the cookie (0 if none) in *cookie (may be NULL). */
int p4rt_fetch_pipeline(struct p4rt_client *c, uint64_t *cookie, struct p4l_err *err);
/* The P4Info the by-name calls use, or NULL. */
const P4__Config__V1__P4Info *p4rt_p4info(const struct p4rt_client *c);

/* ---- typed writes and reads ------------------------------------------------ */

/* The outcome of one update of the last p4rt_write that failed in part. */
struct p4rt_update_error {
	int code;                  /* gRPC code; 0 for the updates that went through */
	char msg[256];
};
/* One WriteRequest (CONTINUE_ON_ERROR) with n updates, under the client's
 * election id and role. */
int p4rt_write(struct p4rt_client *c, P4__V1__Update *const *updates, size_t n,
	       struct p4l_err *err);
/* The same with another atomicity (P4__V1__WRITE_REQUEST__ATOMICITY__
 * ROLLBACK_ON_ERROR: all or nothing). */
int p4rt_write_atomic(struct p4rt_client *c, P4__V1__Update *const *updates, size_t n,
		      int atomicity, struct p4l_err *err);
/* Per-update statuses of the last p4rt_write that returned -EIO (n of them),
 * else NULL and 0. */
const struct p4rt_update_error *p4rt_update_errors(const struct p4rt_client *c, size_t *n);

/* One ReadRequest: calls fn for every entity read (fn returning < 0 stops
 * the read and is returned).  Returns the number of entities read. */
int p4rt_read(struct p4rt_client *c, P4__V1__Entity *const *entities, size_t n,
	      int (*fn)(void *ctx, const P4__V1__Entity *e), void *ctx, struct p4l_err *err);

/* Capabilities: the server's P4Runtime API version ("1.5.0") into buf. */
int p4rt_capabilities(struct p4rt_client *c, char *buf, size_t cap, struct p4l_err *err);

/* ---- by name ------------------------------------------------------------- */

/* Table entries by P4Info names.  match is "field=value,..." where a value is
 * an IPv4 or IPv6 address, a MAC, a decimal or 0x-hex integer, optionally
 * "/LEN" (lpm) or "&&&MASK" (ternary), or "LOW..HIGH" (range); fields left
 * out are don't-care (exact fields must be given).  Names may be full or an unambiguous
 * suffix ("ipv4_lpm").  params is "name=value,..." (all of the action's).
 * priority: for tables with ternary fields (0 otherwise). */
int p4rt_table_add(struct p4rt_client *c, const char *table, const char *match,
		   const char *action, const char *params, struct p4l_err *err);
int p4rt_table_add_prio(struct p4rt_client *c, const char *table, const char *match,
			int32_t priority, const char *action, const char *params,
			struct p4l_err *err);
int p4rt_table_modify(struct p4rt_client *c, const char *table, const char *match,
		      int32_t priority, const char *action, const char *params,
		      struct p4l_err *err);
int p4rt_table_delete(struct p4rt_client *c, const char *table, const char *match,
		      int32_t priority, struct p4l_err *err);
int p4rt_table_set_default(struct p4rt_client *c, const char *table, const char *action,
			   const char *params, struct p4l_err *err);

/* Builds (without sending) the Update for such an entry: for batches.  Free
 * it with p4rt_update_free. */
int p4rt_table_update(struct p4rt_client *c, P4__V1__Update__Type type, const char *table,
		      const char *match, int32_t priority, const char *action,
		      const char *params, P4__V1__Update **out, struct p4l_err *err);
void p4rt_update_free(P4__V1__Update *u);    /* accepts NULL */
/* The same for a table's default action (a MODIFY). */
int p4rt_table_default_update(struct p4rt_client *c, const char *table, const char *action,
			      const char *params, P4__V1__Update **out, struct p4l_err *err);

/* Action profiles by P4Info name: a member (INSERT, MODIFY: its action and
 * "name=value,..." parameters; DELETE: action NULL), a group of n members
 * (weight 0 counts as 1; watch_port 0: none), and an entry of an indirect
 * table that runs a member or a group (priority as p4rt_table_add_prio). */
int p4rt_member_write(struct p4rt_client *c, P4__V1__Update__Type type, const char *profile,
		      uint32_t member, const char *action, const char *params, struct p4l_err *err);
struct p4rt_group_member {
	uint32_t member;
	int32_t weight;
	uint32_t watch_port;
};
int p4rt_group_write(struct p4rt_client *c, P4__V1__Update__Type type, const char *profile,
		     uint32_t group, const struct p4rt_group_member *members, size_t n,
		     struct p4l_err *err);
int p4rt_table_add_ref(struct p4rt_client *c, const char *table, const char *match,
		       int32_t priority, bool group, uint32_t id, struct p4l_err *err);

/* Writes the entries of a p4lang/tutorials runtime.json file (table_entries,
 * multicast_group_entries, clone_session_entries) in one Write, by the
 * P4Info's names.  An error names the file and the entry. */
int p4rt_load_entries(struct p4rt_client *c, const char *path, struct p4l_err *err);
/* The same file turned into updates for a P4Info, without a connection (a
 * switch loading its own entries file does this).  p4rt_entries_where
 * names update i ("FILE: table_entries[3]"). */
struct p4rt_entries;
int p4rt_entries_parse(const P4__Config__V1__P4Info *info, const char *path,
		       struct p4rt_entries **out, struct p4l_err *err);
P4__V1__Update *const *p4rt_entries_updates(const struct p4rt_entries *es, size_t *n);
void p4rt_entries_where(const struct p4rt_entries *es, size_t i, char *buf, size_t cap);
void p4rt_entries_free(struct p4rt_entries *es);     /* accepts NULL */

/* ---- counters, registers, replication ------------------------------------- */

/* Cell index of an indexed counter or a register, by P4Info name (full,
 * alias or unambiguous suffix).  Register cells up to 64 bits. */
int p4rt_counter_read(struct p4rt_client *c, const char *name, uint32_t index,
		      uint64_t *packets, uint64_t *bytes, struct p4l_err *err);
int p4rt_register_read(struct p4rt_client *c, const char *name, uint32_t index, uint64_t *value,
		       struct p4l_err *err);
int p4rt_register_write(struct p4rt_client *c, const char *name, uint32_t index, uint64_t value,
			struct p4l_err *err);

/* Multicast groups (INSERT, MODIFY with the new list, DELETE with none) and
 * clone sessions (to one port, or replica NULL). */
struct p4rt_replica {
	uint32_t port;
	uint16_t instance;
};
int p4rt_mcast_group_write(struct p4rt_client *c, P4__V1__Update__Type type, uint32_t group,
			   const struct p4rt_replica *replicas, size_t n, struct p4l_err *err);
int p4rt_clone_session_write(struct p4rt_client *c, P4__V1__Update__Type type, uint32_t session,
			     const struct p4rt_replica *replica, struct p4l_err *err);

/* Digests by P4Info name: turns one on (INSERT) with its DigestEntry config
 * (max_list_size 0: no limit; ack_timeout_ns 0: lists do not wait for acks),
 * and acknowledges a list received as a P4RT_EV_DIGEST event. */
int p4rt_digest_enable(struct p4rt_client *c, const char *name, int64_t max_timeout_ns,
		       int32_t max_list_size, int64_t ack_timeout_ns, struct p4l_err *err);
int p4rt_digest_ack(struct p4rt_client *c, uint32_t digest_id, uint64_t list_id,
		    struct p4l_err *err);

/* ---- asynchronous use ------------------------------------------------------
 *
 * The calls above wait for their answer.  The _async calls below start a
 * request and return at once; its done callback runs from a later run of
 * the client's loop (p4rt_run, p4rt_loop_run, or any waiting call on a
 * client of that loop), with the outcome.  Clients connected on one loop
 * (p4rt_connect_on) are driven together: one thread keeps requests to many
 * switches in flight and runs one loop.  Stream events are filed per client
 * by any run of the loop and taken with p4rt_poll(c, &ev, 0).  Requests
 * still in flight when their client closes end with ECANCELED. */
struct p4rt_loop;
int p4rt_loop_new(struct p4rt_loop **out, struct p4l_err *err);
/* After or before its clients close (the queue lives until the last goes). */
void p4rt_loop_free(struct p4rt_loop *l);     /* accepts NULL */
/* p4rt_connect on a shared loop (NULL: a loop of its own, as p4rt_connect). */
int p4rt_connect_on(struct p4rt_client **out, struct p4rt_loop *loop, const char *addr,
		    uint64_t device_id, struct p4l_err *err);
/* Waits up to timeout_ms (0: just look, -1: forever) for completions, then
 * handles all that are ready: callbacks run, events are filed.  Returns how
 * many completions it handled.  p4rt_run runs the loop of client c. */
int p4rt_loop_run(struct p4rt_loop *l, int timeout_ms);
int p4rt_run(struct p4rt_client *c, int timeout_ms);
/* Requests of c still in flight. */
size_t p4rt_in_flight(const struct p4rt_client *c);

/* The outcome of an asynchronous request: r is 0 (Read: the number of
 * entities read) or a negative errno with err; for a Write that failed in
 * part (-EIO), each update's status (valid during the callback). */
struct p4rt_result {
	int r;
	struct p4l_err err;
	const struct p4rt_update_error *updates;
	size_t n_updates;
};
typedef void (*p4rt_done_fn)(void *ctx, const struct p4rt_result *res);
/* A WriteRequest with this atomicity (P4__V1__WRITE_REQUEST__ATOMICITY__...);
 * the updates are packed before this returns (free them at once if you
 * like). */
int p4rt_write_async(struct p4rt_client *c, P4__V1__Update *const *updates, size_t n,
		     int atomicity, p4rt_done_fn done, void *ctx, struct p4l_err *err);
/* A ReadRequest: fn (may be NULL) for each entity as responses arrive, then
 * done; fn and done get the same ctx. */
int p4rt_read_async(struct p4rt_client *c, P4__V1__Entity *const *entities, size_t n,
		    int (*fn)(void *ctx, const P4__V1__Entity *e), p4rt_done_fn done, void *ctx,
		    struct p4l_err *err);

/* Parses a value as text (IPv4, IPv6, MAC, decimal, 0x-hex) into the
 * canonical bytes of a width-bit field (buf of at least (width+7)/8 bytes).
 * Returns the length, or -EINVAL / -ERANGE. */
int p4rt_parse_value(const char *s, uint32_t width, uint8_t *buf);

#endif
