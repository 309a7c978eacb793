/* p4info.h - P4Info and P4Runtime messages: text format, IDs, building.
 *
 * The messages themselves are protobuf-c structs generated from proto/ (the
 * P4Runtime v1.5.0 schemas): include "p4/config/v1/p4info.pb-c.h" or
 * "p4/v1/p4runtime.pb-c.h", both reachable through p4info_dep.  This module
 * adds what protobuf-c lacks:
 *
 *   - a generic protobuf TEXT FORMAT printer and parser that work from
 *     protobuf-c descriptors, so any message (P4Info, WriteRequest, ...) can be
 *     written as PROG.p4info.txtpb and read back; the output is what
 *     `protoc --decode` prints and `protoc --encode` accepts;
 *   - the P4Info ID ALLOCATOR, assigning ids exactly as p4c does (type prefix
 *     in the top byte, Jenkins one-at-a-time hash of the fully qualified name in
 *     the low 24 bits, linear probing in sorted-name order, user @id first);
 *   - a small arena-backed BUILDER for P4Info, so that the compiler never has
 *     to manage protobuf-c's repeated-field arrays by hand.
 *
 * Callers: the compiler's back end (src/compiler) builds and writes P4Info;
 * the switch reads P4Info (binary or text) and speaks P4Runtime.
 * All functions follow src/common/error.h: 0 or a negative errno, message in
 * err.  Nothing here prints or exits. */
#ifndef P4I_P4INFO_H
#define P4I_P4INFO_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <protobuf-c/protobuf-c.h>
#include "error.h"
#include "p4/config/v1/p4info.pb-c.h"

/* ---- Text format ------------------------------------------------------ */

/* Prints msg in protobuf text format into a fresh NUL-terminated buffer
 * (*out, free() it; *len may be NULL).  Fields come in field-number order,
 * nested messages as `name {` ... `}` indented by two spaces, enums by name,
 * strings and bytes C-escaped (octal for non-printables), proto3 zero scalars
 * and empty strings omitted, map entries sorted by key, unknown fields
 * dropped. */
int p4i_text_print(const ProtobufCMessage *msg, char **out, size_t *len,
		   struct p4l_err *err);

/* Parses text (len bytes, need not be NUL-terminated) as a message of type
 * desc.  name is used in error messages ("name:LINE:COL: expected ...").
 * On success *out is a message allocated like protobuf_c_message_unpack's,
 * freed with protobuf_c_message_free_unpacked(*out, NULL).  Accepts what
 * protoc's text parser accepts in practice: `#` comments, `:` optional before
 * `{`, `<` `>` as braces, `,` or `;` between fields, adjacent string literals
 * concatenated, enums by name or number, repeated scalars as `[a, b]`, hex and
 * octal integers, `true`/`false`/`t`/`f`/1/0 for bools, `inf`/`nan` floats. */
int p4i_text_parse(const ProtobufCMessageDescriptor *desc, const char *text,
		   size_t len, const char *name, ProtobufCMessage **out,
		   struct p4l_err *err);

/* The same parse, producing the binary wire encoding instead (*out: free()).
 * p4i_text_parse is this followed by protobuf_c_message_unpack. */
int p4i_text_to_binary(const ProtobufCMessageDescriptor *desc, const char *text,
		       size_t len, const char *name, uint8_t **out, size_t *out_len,
		       struct p4l_err *err);

/* Convenience for P4Info files: reads path as text if its name ends in
 * ".txt", ".txtpb", ".textproto", ".textpb" or ".pbtxt", as binary otherwise.  Free the
 * result with p4__config__v1__p4_info__free_unpacked(*out, NULL). */
int p4i_p4info_load(const char *path, P4__Config__V1__P4Info **out,
		    struct p4l_err *err);

/* The descriptor of a message by its full protobuf name ("p4.v1.WriteRequest"),
 * for tools that convert between text and binary; NULL if not one of the
 * messages listed in P4I_MESSAGES (load.c): P4Info and the P4Runtime
 * requests, responses and stream messages. */
const ProtobufCMessageDescriptor *p4i_message_descriptor(const char *full_name);

/* ---- P4Info IDs ------------------------------------------------------- */

/* Resource type prefixes (p4.config.v1.P4Ids.Prefix), top byte of an id. */
enum p4i_prefix {
	P4I_ACTION = 0x01,
	P4I_TABLE = 0x02,
	P4I_VALUE_SET = 0x03,
	P4I_CONTROLLER_HEADER = 0x04,
	P4I_ACTION_PROFILE = 0x11,
	P4I_COUNTER = 0x12,
	P4I_DIRECT_COUNTER = 0x13,
	P4I_METER = 0x14,
	P4I_DIRECT_METER = 0x15,
	P4I_REGISTER = 0x16,
	P4I_DIGEST = 0x17,
};

/* The name hash p4c uses (Jenkins one-at-a-time over the bytes of name). */
uint32_t p4i_name_hash(const char *name, size_t len);

/* The ID allocator.  Use it in two phases, as p4c does, because the final
 * ids depend on the whole set of names:
 *   1. p4i_ids_add() every P4Runtime-visible object (prefix, fully qualified
 *      control-plane name such as "MyIngress.ipv4_lpm", optional @id);
 *   2. p4i_ids_assign() once; then p4i_ids_get() / p4i_ids_alias().
 * User @ids are honoured first.  The others get (prefix << 24) | (hash & 0xffffff),
 * names taken in byte order (strcmp) per prefix, a taken id resolved by
 * incrementing the hash value (linear probing). */
struct p4i_ids;

struct p4i_ids *p4i_ids_new(void);
void p4i_ids_free(struct p4i_ids *ids);   /* accepts NULL */

/* Adds an object.  has_user_id/user_id carry the @id annotation: a value
 * without a top byte gets the prefix put in; a top byte that is not prefix, or
 * an @id another object already has, is an error (-EINVAL, message names
 * both objects).  Adding the same (prefix, name) twice is a no-op, returning 0
 * (p4c does the same); adding it with a different @id is an error.  -ENOMEM
 * on allocation failure; -EBUSY after p4i_ids_assign().
 * Which name p4c hashes: the control-plane name for tables, actions and
 * externs ("MyIngress.ipv4_lpm", "NoAction"); for P4I_CONTROLLER_HEADER the
 * header TYPE's name ("packet_in_header_t" -> 81826293), while the preamble's
 * name and alias are the @controller_header value ("packet_in"). */
int p4i_ids_add(struct p4i_ids *ids, enum p4i_prefix prefix, const char *name,
		int has_user_id, uint32_t user_id, struct p4l_err *err);

/* Computes every missing id.  -ENOSPC if a prefix's 2^24 ids are exhausted. */
int p4i_ids_assign(struct p4i_ids *ids, struct p4l_err *err);

/* The id of (prefix, name) after assign, or 0 if unknown (0 is never a valid id). */
uint32_t p4i_ids_get(const struct p4i_ids *ids, enum p4i_prefix prefix,
		     const char *name);

/* The default alias of a name added (under any prefix): its shortest suffix
 * of '.'-separated components that no other added name shares, as p4c
 * computes it.  Returns a string owned by ids, or NULL if name was never
 * added. */
const char *p4i_ids_alias(const struct p4i_ids *ids, const char *name);

/* ---- Building P4Info -------------------------------------------------- */

/* A builder owns one P4Info message and an arena holding every part of it:
 * strings, submessages, repeated arrays.  Nothing is freed piecemeal; the
 * whole lot goes with p4i_builder_free().  Pointers returned stay valid until
 * then.  Every function returns NULL (or -ENOMEM) only when memory runs out;
 * after that the builder stays usable for freeing. */
struct p4i_builder;

struct p4i_builder *p4i_builder_new(void);
void p4i_builder_free(struct p4i_builder *b);     /* accepts NULL */

/* The message being built; pack it with p4__config__v1__p4_info__pack(). */
P4__Config__V1__P4Info *p4i_builder_p4info(struct p4i_builder *b);

/* Arena allocation, zeroed.  p4i_strdup(b, NULL) returns NULL. */
void *p4i_alloc(struct p4i_builder *b, size_t size);
char *p4i_strdup(struct p4i_builder *b, const char *s);

/* Returns arr (an array of n elements of elem_size bytes in the arena, or
 * NULL when n is 0) grown to hold at least n + 1; capacity doubles, so a
 * sequence of appends costs amortised O(1).  arr must have been grown only
 * by p4i_grow (its capacity is implied by n).  Use through P4I_APPEND. */
void *p4i_grow(struct p4i_builder *b, void *arr, size_t n, size_t elem_size);

/* Appends elem to the protobuf-c repeated field (arr, n):
 *   P4I_APPEND(b, table->direct_resource_ids, table->n_direct_resource_ids, id);
 * Evaluates to 0, or -ENOMEM (and leaves the field unchanged). */
#define P4I_APPEND(b, arr, n, elem)                                             \
	({                                                                      \
		__typeof__(arr) p4i_a_ = p4i_grow((b), (arr), (n), sizeof *(arr)); \
		int p4i_r_ = -ENOMEM;                                           \
		if (p4i_a_) {                                                   \
			p4i_a_[(n)] = (elem);                                   \
			(arr) = p4i_a_;                                         \
			(n)++;                                                  \
			p4i_r_ = 0;                                             \
		}                                                               \
		p4i_r_;                                                         \
	})

/* pkg_info { name arch }; either may be NULL (left empty). */
int p4i_set_pkg_info(struct p4i_builder *b, const char *name, const char *arch);

/* A Preamble with id, name and alias (alias NULL: same as name). */
P4__Config__V1__Preamble *p4i_preamble(struct p4i_builder *b, uint32_t id,
				       const char *name, const char *alias);
/* Appends one annotation string, e.g. "@brief(\"...\")", to a preamble. */
int p4i_preamble_annotate(struct p4i_builder *b, P4__Config__V1__Preamble *pre,
			  const char *annotation);

/* Each adder appends a new object to the P4Info (or to its parent) and
 * returns it, already filled with what the arguments say; set other fields
 * directly on the returned struct (strings through p4i_strdup). */
P4__Config__V1__Table *p4i_add_table(struct p4i_builder *b, uint32_t id,
				     const char *name, const char *alias,
				     int64_t size);
/* match_type: P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__EXACT etc. */
P4__Config__V1__MatchField *p4i_table_add_match(struct p4i_builder *b,
						P4__Config__V1__Table *t,
						uint32_t id, const char *name,
						int32_t bitwidth,
						P4__Config__V1__MatchField__MatchType match_type);
/* scope: P4__CONFIG__V1__ACTION_REF__SCOPE__TABLE_AND_DEFAULT etc. */
P4__Config__V1__ActionRef *p4i_table_add_action_ref(struct p4i_builder *b,
						    P4__Config__V1__Table *t,
						    uint32_t action_id,
						    P4__Config__V1__ActionRef__Scope scope);
int p4i_table_add_direct_resource(struct p4i_builder *b, P4__Config__V1__Table *t,
				  uint32_t resource_id);

P4__Config__V1__Action *p4i_add_action(struct p4i_builder *b, uint32_t id,
				       const char *name, const char *alias);
P4__Config__V1__Action__Param *p4i_action_add_param(struct p4i_builder *b,
						    P4__Config__V1__Action *a,
						    uint32_t id, const char *name,
						    int32_t bitwidth);

/* name is "packet_in" or "packet_out"; metadata are added in header order. */
P4__Config__V1__ControllerPacketMetadata *
p4i_add_controller_packet_metadata(struct p4i_builder *b, uint32_t id,
				   const char *name, const char *alias);
P4__Config__V1__ControllerPacketMetadata__Metadata *
p4i_cpm_add_metadata(struct p4i_builder *b,
		     P4__Config__V1__ControllerPacketMetadata *cpm, uint32_t id,
		     const char *name, int32_t bitwidth);

/* unit: P4__CONFIG__V1__COUNTER_SPEC__UNIT__PACKETS etc. */
P4__Config__V1__Counter *p4i_add_counter(struct p4i_builder *b, uint32_t id,
					 const char *name, const char *alias,
					 P4__Config__V1__CounterSpec__Unit unit,
					 int64_t size);
P4__Config__V1__DirectCounter *p4i_add_direct_counter(struct p4i_builder *b,
						      uint32_t id, const char *name,
						      const char *alias,
						      P4__Config__V1__CounterSpec__Unit unit,
						      uint32_t table_id);
P4__Config__V1__Meter *p4i_add_meter(struct p4i_builder *b, uint32_t id,
				     const char *name, const char *alias,
				     P4__Config__V1__MeterSpec__Unit unit,
				     int64_t size);
P4__Config__V1__DirectMeter *p4i_add_direct_meter(struct p4i_builder *b,
						  uint32_t id, const char *name,
						  const char *alias,
						  P4__Config__V1__MeterSpec__Unit unit,
						  uint32_t table_id);
/* A register of size cells, each a bit<bitwidth> (type_spec { bitstring { bit
 * { bitwidth } } }, which is what p4c emits for v1model registers). */
P4__Config__V1__Register *p4i_add_register(struct p4i_builder *b, uint32_t id,
					   const char *name, const char *alias,
					   int32_t size, int32_t bitwidth);

/* The builder's P4Info packed to binary and printed as text. */
int p4i_builder_pack(struct p4i_builder *b, uint8_t **bin, size_t *bin_len,
		     struct p4l_err *err);
int p4i_builder_text(struct p4i_builder *b, char **txt, size_t *txt_len,
		     struct p4l_err *err);

#endif
