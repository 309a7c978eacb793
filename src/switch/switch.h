/* switch.h - p4lab's software switch, as a library (prefix sw_).
 *
 * Loads a BMv2 JSON program (v1model) into an execution plan, attaches ports
 * and runs packets.  Used by p4lab-switch (main.c), by the STF runner
 * (src/stf) which processes packets synchronously on in-memory ports, and
 * later by the P4Runtime server (tables by index through the typed calls).
 *
 * Threads: sw_process() runs in the caller's thread; sw_start() starts one
 * dataplane thread that polls the interface ports until sw_stop().  Table
 * writes (add, modify, delete, default) may run while packets are processed:
 * they are published RCU-style (docs/match-engines.md), so a packet sees the
 * table before or after a write, never half of one.  Writers must be one
 * thread at a time.  Errors follow src/common/error.h. */
#ifndef SW_SWITCH_H
#define SW_SWITCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

struct sw_switch;

enum sw_match_kind { SW_MATCH_EXACT, SW_MATCH_LPM, SW_MATCH_TERNARY, SW_MATCH_VALID,
		    SW_MATCH_RANGE, SW_MATCH_OPTIONAL };

/* Read-only descriptions of the loaded program, for control planes. */
struct sw_key_info {
	const char *name;          /* the JSON key's "name" (e.g. "hdr.ipv4.dstAddr") */
	enum sw_match_kind kind;
	uint32_t width;            /* bits */
};

struct sw_param_info {
	const char *name;
	uint32_t width;
};

struct sw_action_info {
	const char *name;
	int id;
	size_t n_params;
	const struct sw_param_info *params;
};

struct sw_table_info {
	const char *name;
	int id;
	size_t n_keys;
	const struct sw_key_info *keys;
	size_t n_actions;
	const uint32_t *actions;   /* action indices allowed in this table */
	bool needs_priority;       /* has a ternary, range or optional key */
	bool const_default;
	bool immutable;            /* entries given in the program */
};

/* A value in network byte order, any length: leading bytes beyond the
 * field's width must be zero (a value that does not fit is an error). */
struct sw_bytes {
	const uint8_t *data;
	size_t len;
};

/* One key field of an entry.  exact: value; lpm: value + prefix_len;
 * ternary: value + mask; valid: value (0 or 1); range: value = low bound,
 * mask = high bound (inclusive); optional: value, and mask empty (exact) or
 * all zero (wildcard). */
struct sw_key {
	struct sw_bytes value, mask;
	uint32_t prefix_len;
};

/* Creates a switch from BMv2 JSON text; file names the program in messages. */
int sw_create(struct sw_switch **out, const char *json, size_t len, const char *file,
	      struct p4l_err *err);
int sw_create_from_file(struct sw_switch **out, const char *path, struct p4l_err *err);
void sw_destroy(struct sw_switch *sw);

/* Per-packet trace to f (NULL: off, the default). */
void sw_set_trace(struct sw_switch *sw, FILE *f);

/* A one-paragraph summary of the program (for --check). */
void sw_print_summary(const struct sw_switch *sw, FILE *f);

/* Ports.  An in-memory port collects what the switch sends on it. */
int sw_port_add_mem(struct sw_switch *sw, uint32_t port, struct p4l_err *err);
/* An interface port, opened with AF_PACKET + PACKET_VNET_HDR in the calling
 * thread's network namespace. */
int sw_port_add_iface(struct sw_switch *sw, uint32_t port, const char *ifname,
		      struct p4l_err *err);

/* Runs one packet through the pipeline now, in this thread; what comes out
 * is sent on its port (queued if in-memory).  Returns the egress port or -1
 * when the packet was dropped (a packet on an unattached port is dropped). */
int sw_process(struct sw_switch *sw, uint32_t in_port, const uint8_t *pkt, size_t len);

/* Takes the oldest packet sent on in-memory port `port`: returns its length
 * and sets *pkt (free() it), or returns -EAGAIN when none is queued. */
int sw_port_take(struct sw_switch *sw, uint32_t port, uint8_t **pkt);
/* From now on, each packet queued on in-memory port `port` also adds 1 to
 * the eventfd fd (-1: no more): how a thread waiting for what the pipeline
 * sends to the CPU port (the P4Runtime server) learns of it without polling. */
int sw_port_notify(struct sw_switch *sw, uint32_t port, int fd, struct p4l_err *err);

/* Dataplane thread over the interface ports. */
int sw_start(struct sw_switch *sw, struct p4l_err *err);
void sw_stop(struct sw_switch *sw);

/* Program description.  Indices are stable for the switch's life. */
size_t sw_table_count(const struct sw_switch *sw);
const struct sw_table_info *sw_table_get(const struct sw_switch *sw, size_t idx);
size_t sw_action_count(const struct sw_switch *sw);
const struct sw_action_info *sw_action_get(const struct sw_switch *sw, size_t idx);

/* Whether name is full, or the end of full after a '.' ("ipv4_lpm" of
 * "MyIngress.ipv4_lpm"): the one rule for short names, used by every lookup. */
bool sw_name_matches(const char *full, const char *name);

/* Finds a table by its full name or an unambiguous suffix after a '.'
 * ("MyIngress.t" or "t").  Returns its index or a negative errno with a message. */
int sw_table_find(const struct sw_switch *sw, const char *name, struct p4l_err *err);
/* Same for an action among those table `table` allows. */
int sw_action_find(const struct sw_switch *sw, size_t table, const char *name,
		   struct p4l_err *err);

/* Table writes by index.  keys has the table's n_keys elements in key order;
 * args the action's n_params.  priority: higher wins (ternary tables only). */
int sw_table_add(struct sw_switch *sw, size_t table, const struct sw_key *keys,
		 int32_t priority, size_t action, const struct sw_bytes *args,
		 struct p4l_err *err);
int sw_table_set_default(struct sw_switch *sw, size_t table, size_t action,
			 const struct sw_bytes *args, struct p4l_err *err);
/* Replaces the action of the entry with this key (and priority); removes it. */
int sw_table_modify(struct sw_switch *sw, size_t table, const struct sw_key *keys,
		    int32_t priority, size_t action, const struct sw_bytes *args,
		    struct p4l_err *err);
int sw_table_delete(struct sw_switch *sw, size_t table, const struct sw_key *keys,
		    int32_t priority, struct p4l_err *err);
size_t sw_table_entry_count(const struct sw_switch *sw, size_t table);

/* The table's match engine (docs/match-engines.md): entries, slots used
 * (a range entry may take several), capacity in slots, entries moved to
 * another slot so far, entries that took more than one slot, and for exact
 * tables the load (slots used / capacity) at the first insert that found no
 * free slot (0: none yet).  hit_index: the program reads this table's hit
 * index, so its entries never move. */
struct sw_table_stats {
	uint64_t entries, slots_used, capacity, moves, expansions;
	double fail_load;
	bool hit_index;
};
int sw_table_stats(const struct sw_switch *sw, size_t table, struct sw_table_stats *st);
/* The hit indexes (slots) of the entry with this key, one per slot it takes
 * (several for a range expanded into prefixes): up to cap into out, *n gets
 * how many there are. */
int sw_table_hit_indexes(struct sw_switch *sw, size_t table, const struct sw_key *keys,
			 int32_t priority, uint32_t *out, size_t cap, size_t *n,
			 struct p4l_err *err);

/* An entry read back.  value/mask are the table's key bytes: each key field
 * big-endian, byte-padded, in key order (an lpm prefix is its mask); args are
 * the action's parameters the same way. */
struct sw_entry_view {
	const uint8_t *value, *mask;
	size_t key_len;
	int32_t priority;          /* ternary tables; 0 otherwise */
	size_t action;
	const uint8_t *args;
	size_t args_len;
	uint64_t packets, bytes;   /* the table's direct counter (0 without one) */
};

/* Calls fn for each entry of the table (in no particular order) until fn
 * returns non-zero, which is then returned. */
int sw_table_read(const struct sw_switch *sw, size_t table,
		  int (*fn)(const struct sw_entry_view *e, void *ctx), void *ctx);

/* The direct counter and meter of the entry with this key (and priority),
 * found by a walk over the table's entries (-ENOENT when there is none).
 * Counters set while packets run may lose the packets counted meanwhile. */
/* A meter cell's packets and bytes by the colour it marked them: 0 green,
 * 1 yellow, 2 red (counted whether or not the cell is configured). */
struct sw_meter_counts {
	uint64_t packets[3], bytes[3];
};
struct sw_entry_state {
	uint64_t packets, bytes;
	bool metered;              /* the direct meter was configured */
	double cir, cburst, pir, pburst;
	struct sw_meter_counts colors;
};
int sw_table_entry_state(const struct sw_switch *sw, size_t table, const struct sw_key *keys,
			 int32_t priority, struct sw_entry_state *out, struct p4l_err *err);
int sw_table_counter_set(struct sw_switch *sw, size_t table, const struct sw_key *keys,
			 int32_t priority, uint64_t packets, uint64_t bytes, struct p4l_err *err);
/* Sets the per-colour counts of the entry's direct meter (packets counted
 * while they are written may be lost). */
int sw_table_meter_counts_set(struct sw_switch *sw, size_t table, const struct sw_key *keys,
			      int32_t priority, const struct sw_meter_counts *c,
			      struct p4l_err *err);

/* Idle timeouts.  Once a table tracks hits, each hit sets its entry's hit
 * bit (one relaxed store, only when clear); sw_table_take_hits calls fn for
 * each entry whose bit is set and clears it (a modified entry starts
 * clear).  sw_table_ident gives the key bytes (value then mask, key_len
 * each) and priority an entry with these keys shows in sw_entry_view, so
 * that a control plane can tell its entries among the views. */
int sw_table_track_hits(struct sw_switch *sw, size_t table, bool on);
int sw_table_take_hits(struct sw_switch *sw, size_t table,
		       int (*fn)(const struct sw_entry_view *e, void *ctx), void *ctx);
int sw_table_ident(const struct sw_switch *sw, size_t table, const struct sw_key *keys,
		   int32_t priority, uint8_t *out, size_t cap, size_t *len, int32_t *view_prio,
		   struct p4l_err *err);

/* Indexed counters and registers by name (full or unambiguous suffix). */
int sw_counter_read(const struct sw_switch *sw, const char *name, uint32_t index,
		    uint64_t *packets, uint64_t *bytes, struct p4l_err *err);
int sw_register_read(const struct sw_switch *sw, const char *name, uint32_t index,
		     uint64_t *value, struct p4l_err *err);
/* Sets a counter cell (packets counted while it is written may be lost). */
int sw_counter_write(struct sw_switch *sw, const char *name, uint32_t index, uint64_t packets,
		     uint64_t bytes, struct p4l_err *err);

/* Configures meter cell `index` (two-rate three-color): committed and peak
 * rates in units (packets or bytes, as the meter counts) per second, and
 * burst sizes in the same units.  An unconfigured cell marks all green.
 * May run while packets do (the rates are published, then a grace period
 * passes: a write takes a few milliseconds then); the buckets fill up. */
int sw_meter_set(struct sw_switch *sw, const char *name, uint32_t index, double cir,
		 double cburst, double pir, double pburst, struct p4l_err *err);
/* A meter cell's configuration (configured false: never set, all green). */
struct sw_meter_rates {
	bool configured;
	double cir, cburst, pir, pburst;
	struct sw_meter_counts colors;
};
int sw_meter_get(const struct sw_switch *sw, const char *name, uint32_t index,
		 struct sw_meter_rates *out, struct p4l_err *err);
/* Sets a meter cell's per-colour counts (as sw_counter_write). */
int sw_meter_counts_set(struct sw_switch *sw, const char *name, uint32_t index,
			const struct sw_meter_counts *c, struct p4l_err *err);

/* The v1model state below (registers, multicast groups, clone sessions,
 * queues, value sets, action profiles) may be written while packets run,
 * like tables: one writer thread at a time; a packet sees each object before
 * or after a write, never half of one.  CRC parameters alone are refused with
 * -EBUSY while the dataplane thread runs. */

/* Registers: writes cell `index` (the value is cut to the register's width);
 * resets every cell to 0. */
int sw_register_write(struct sw_switch *sw, const char *name, uint32_t index, uint64_t value,
		      struct p4l_err *err);
int sw_register_reset(struct sw_switch *sw, const char *name, struct p4l_err *err);

/* The packet replication engine (v1model's PRE), as BMv2's simple_switch.
 * A multicast group is a list of (port, rid) copies, made in list order; a
 * packet whose ingress left mcast_grp = G gets one copy per replica, each
 * with egress_port and egress_rid set (instance_type REPLICATION).  A group
 * that was never set makes no copies.  n may be 0 (a group with no copies). */
struct sw_replica {
	uint32_t port;
	uint16_t rid;
};
int sw_mc_group_set(struct sw_switch *sw, uint32_t group, const struct sw_replica *r, size_t n,
		    struct p4l_err *err);
int sw_mc_group_delete(struct sw_switch *sw, uint32_t group, struct p4l_err *err);

/* Clone (mirror) session `session` (0..SW_MAX_SESSIONS-1): copies go to port
 * (-1: none) and to each replica of multicast group `group` (0: none). */
#define SW_MAX_SESSIONS 32768
int sw_clone_session_set(struct sw_switch *sw, uint32_t session, int32_t port, uint32_t group,
			 struct p4l_err *err);
int sw_clone_session_delete(struct sw_switch *sw, uint32_t session, struct p4l_err *err);

/* Digests (generate_digest / v1model digest()) wait in a queue of
 * SW_DIGEST_QUEUE messages for the control plane; when it is full, new ones
 * are counted in `dropped` and lost.  data holds the learn list's fields in
 * order, each big-endian in (width + 7) / 8 bytes. */
#define SW_DIGEST_QUEUE 1024
#define SW_DIGEST_MAX 256
struct sw_digest {
	uint32_t receiver;
	int list_id;               /* the learn list's JSON id */
	const char *list_name;     /* valid while the switch lives */
	size_t len;
	uint8_t data[SW_DIGEST_MAX];
};
/* Takes the oldest digest (thread-safe against the dataplane): 0, or -EAGAIN
 * when none is queued.  dropped (may be NULL) gets the count of lost ones. */
int sw_digest_take(struct sw_switch *sw, struct sw_digest *d, uint64_t *dropped);

/* The egress queue of a port (BMv2's set_queue_depth / set_queue_rate):
 * depth packets, served at rate packets per second (0: at once).  Queues are
 * modelled in virtual time: a packet's dequeue time, and so enq_timestamp,
 * deq_timedelta and enq_qdepth, are computed from the packets before it (so
 * deq_qdepth, which counts the packets after it, stays 0), and a packet that
 * finds the queue full is dropped; packets are not held back.  Ports without
 * a queue set never drop nor wait. */
int sw_queue_set(struct sw_switch *sw, uint32_t port, uint32_t depth, double rate,
		 struct p4l_err *err);
/* Packets the port's queue dropped. */
uint64_t sw_queue_drops(const struct sw_switch *sw, uint32_t port);

/* Parse value sets (by name, full or suffix): adds a value (big-endian, the
 * set's compressed width; -EEXIST if present, -ENOSPC when full), removes
 * one (-ENOENT), or empties the set. */
int sw_vset_add(struct sw_switch *sw, const char *name, const struct sw_bytes *value,
		struct p4l_err *err);
int sw_vset_remove(struct sw_switch *sw, const char *name, const struct sw_bytes *value,
		   struct p4l_err *err);
int sw_vset_clear(struct sw_switch *sw, const char *name, struct p4l_err *err);

/* Action profiles and selectors (by name, full or suffix).  A member is an
 * action with its arguments; a group (selector profiles only) a list of
 * members, one of which the selector's hash of the packet picks.  Ids go from
 * 0 to the profile's max_size - 1; setting an existing one replaces it.  A
 * member in a group cannot be deleted (-EBUSY). */
int sw_profile_member_set(struct sw_switch *sw, const char *profile, uint32_t member,
			  size_t action, const struct sw_bytes *args, struct p4l_err *err);
int sw_profile_member_delete(struct sw_switch *sw, const char *profile, uint32_t member,
			     struct p4l_err *err);
int sw_profile_group_set(struct sw_switch *sw, const char *profile, uint32_t group,
			 const uint32_t *members, size_t n, struct p4l_err *err);
int sw_profile_group_delete(struct sw_switch *sw, const char *profile, uint32_t group,
			    struct p4l_err *err);
/* The profile of an indirect table, NULL for a direct one. */
const char *sw_table_profile(const struct sw_switch *sw, size_t table);
/* Entries of indirect tables read back (sw_table_read) carry one of two
 * hidden actions: this gives 1 for "member", 2 for "group" (the id is the
 * 4 argument bytes, big-endian), 0 for an ordinary action. */
int sw_action_ref(const struct sw_switch *sw, size_t action);
/* An entry of an indirect table that runs a member (group false) or a group. */
int sw_table_add_ref(struct sw_switch *sw, size_t table, const struct sw_key *keys,
		     int32_t priority, bool group, uint32_t id, struct p4l_err *err);

/* CRC parameters of a crc16_custom / crc32_custom calculation (by name), as
 * BMv2's set_crc16_parameters / set_crc32_parameters. */
int sw_calc_set_crc(struct sw_switch *sw, const char *calc, uint32_t poly, uint32_t init,
		    uint32_t xor_out, bool refin, bool refout, struct p4l_err *err);

/* The direct meter of the entry with this key (and priority), as
 * sw_meter_set. */
int sw_table_meter_set(struct sw_switch *sw, size_t table, const struct sw_key *keys,
		       int32_t priority, double cir, double cburst, double pir, double pburst,
		       struct p4l_err *err);

/* Parses a value written as text: IPv4 "10.0.0.1", MAC "08:00:00:00:01:11",
 * IPv6, "0x..." hex or decimal digits, into big-endian bytes (buf of cap
 * bytes; *len gets the length used).  -EINVAL if malformed, -ERANGE if too big. */
int sw_value_parse(const char *s, uint8_t *buf, size_t cap, size_t *len);

/* Loads entries in the p4lang/tutorials runtime.json form. */
int sw_load_entries(struct sw_switch *sw, const char *path, struct p4l_err *err);

#endif
