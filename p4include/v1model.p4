/* v1model.p4 - the v1model architecture (simple_switch / BMv2), as p4lab
 * bundles it.
 *
 * Written for p4lab with the standard names and signatures of the v1model
 * architecture (standard_metadata_t, the stateful externs, hashing,
 * checksums, cloning and recirculation, and the V1Switch package with its
 * six blocks), so programs written for BMv2 compile unchanged.  Embedded
 * in the compiler at build time; `#include <v1model.p4>` finds it. */
#ifndef _V1MODEL_P4_
#define _V1MODEL_P4_

#include "core.p4"

/* The version of the architecture these declarations follow.  A program may
 * define V1MODEL_VERSION itself before including this file. */
#ifndef V1MODEL_VERSION
#define V1MODEL_VERSION 20200408
#endif

const bit<32> __v1model_version = V1MODEL_VERSION;

/* Match kinds added by v1model. */
match_kind {
    range,     /* lo <= key <= hi */
    optional,  /* exact, or a wildcard */
    selector   /* the key feeds an action selector's hash */
}

typedef bit<9> PortId_t;   /* port numbers */

/* Metadata the switch fills in and reads back.  Field names and widths are
 * the standard ones; the @alias names are BMv2's internal field names. */
@metadata @name("standard_metadata")
struct standard_metadata_t {
    PortId_t ingress_port;   /* where the packet came in */
    PortId_t egress_spec;    /* set in ingress: the output port (511 drops) */
    PortId_t egress_port;    /* in egress: the port being sent to */
    bit<32> instance_type;   /* normal, clone, resubmit, recirculate, ... */
    bit<32> packet_length;   /* bytes, as received */
    @alias("queueing_metadata.enq_timestamp")
    bit<32> enq_timestamp;   /* microseconds, when queued */
    @alias("queueing_metadata.enq_qdepth")
    bit<19> enq_qdepth;      /* queue depth when queued */
    @alias("queueing_metadata.deq_timedelta")
    bit<32> deq_timedelta;   /* microseconds spent in the queue */
    @alias("queueing_metadata.deq_qdepth")
    bit<19> deq_qdepth;      /* queue depth when dequeued */
    @alias("intrinsic_metadata.ingress_global_timestamp")
    bit<48> ingress_global_timestamp;  /* microseconds */
    @alias("intrinsic_metadata.egress_global_timestamp")
    bit<48> egress_global_timestamp;
    @alias("intrinsic_metadata.mcast_grp")
    bit<16> mcast_grp;       /* set in ingress: multicast group, 0 for none */
    @alias("intrinsic_metadata.egress_rid")
    bit<16> egress_rid;      /* replication id of a multicast copy */
    bit<1> checksum_error;   /* set when verify_checksum failed */
    error parser_error;      /* the error the parser ended with */
    @alias("intrinsic_metadata.priority")
    bit<3> priority;         /* queue priority */
}

enum CounterType {
    packets,
    bytes,
    packets_and_bytes
}

enum MeterType {
    packets,
    bytes
}

/* Colors a meter returns. */
#define V1MODEL_METER_COLOR_GREEN  0
#define V1MODEL_METER_COLOR_YELLOW 1
#define V1MODEL_METER_COLOR_RED    2

/* An array of `size` counters, indexed by I. */
extern counter<I> {
    counter(bit<32> size, CounterType type);
    void count(in I index);
}

/* One counter per entry of the table it is attached to. */
extern direct_counter {
    direct_counter(CounterType type);
    void count();
}

/* An array of `size` two-rate three-color meters. */
extern meter<I> {
    meter(bit<32> size, MeterType type);
    void execute_meter<T>(in I index, out T result);
}

/* One meter per entry of the table it is attached to. */
extern direct_meter<T> {
    direct_meter(MeterType type);
    void read(out T result);
}

/* An array of `size` values of type T, indexed by I, kept across packets. */
extern register<T, I> {
    register(bit<32> size);
    @noSideEffects
    void read(out T result, in I index);
    void write(in I index, in T value);
}

/* Action data shared by the entries of the tables it is attached to. */
extern action_profile {
    action_profile(bit<32> size);
}

/* A random number in [lo, hi]. */
extern void random<T>(out T result, in T lo, in T hi);

/* Sends data to the control plane, tagged with receiver. */
extern void digest<T>(in bit<32> receiver, in T data);

enum HashAlgorithm {
    crc32,
    crc32_custom,
    crc16,
    crc16_custom,
    random,
    identity,
    csum16,
    xor16
}

/* Drops the packet at the end of ingress (sets egress_spec to the drop
 * port).  The form without arguments is the old one. */
@deprecated("Please use mark_to_drop(standard_metadata) instead.")
extern void mark_to_drop();
extern void mark_to_drop(inout standard_metadata_t standard_metadata);

/* result = base + (hash of data) mod max; max 0 means no reduction. */
extern void hash<O, T, D, M>(out O result, in HashAlgorithm algo, in T base, in D data, in M max);

/* An action profile whose member is chosen by a hash of the selector keys. */
extern action_selector {
    action_selector(HashAlgorithm algorithm, bit<32> size, bit<32> outputWidth);
}

enum CloneType {
    I2E,   /* clone from ingress to egress */
    E2E    /* clone from egress to egress */
}

/* Old 16-bit checksum object. */
@deprecated("Please use verify_checksum/update_checksum instead.")
extern Checksum16 {
    Checksum16();
    bit<16> get<D>(in D data);
}

/* Checks that checksum equals the checksum of data (when condition holds);
 * a mismatch sets standard_metadata.checksum_error. */
extern void verify_checksum<T, O>(in bool condition, in T data, in O checksum, HashAlgorithm algo);
/* Writes the checksum of data into checksum (when condition holds). */
extern void update_checksum<T, O>(in bool condition, in T data, inout O checksum, HashAlgorithm algo);
/* The same, with the packet's payload appended to data. */
extern void verify_checksum_with_payload<T, O>(in bool condition, in T data, in O checksum, HashAlgorithm algo);
extern void update_checksum_with_payload<T, O>(in bool condition, in T data, inout O checksum, HashAlgorithm algo);

/* Sends the packet through ingress again, with the metadata fields
 * annotated @field_list(index) kept. */
extern void resubmit_preserving_field_list(bit<8> index);
/* Sends the deparsed packet back to ingress, keeping @field_list(index). */
extern void recirculate_preserving_field_list(bit<8> index);
/* Makes a copy of the packet for the clone session. */
extern void clone(in CloneType type, in bit<32> session);
/* The same, keeping the metadata fields annotated @field_list(index). */
extern void clone_preserving_field_list(in CloneType type, in bit<32> session, bit<8> index);

/* Older forms, kept so existing programs compile. */
@deprecated("Please use 'resubmit_preserving_field_list' instead")
extern void resubmit<T>(in T data);
@deprecated("Please use 'recirculate_preserving_field_list' instead")
extern void recirculate<T>(in T data);
@deprecated("Please use 'clone_preserving_field_list' instead")
extern void clone3<T>(in CloneType type, in bit<32> session, in T data);

/* Cuts the outgoing packet to length bytes. */
extern void truncate(in bit<32> length);

/* Debugging aids of BMv2: assert stops the switch when check is false;
 * assume is the same for formal tools; log_msg writes to the switch log
 * ("{}" in msg takes the next field of data). */
extern void assert(in bool check);
extern void assume(in bool check);
extern void log_msg(string msg);
extern void log_msg<T>(string msg, in T data);

/* The six blocks of a v1model program. */
parser Parser<H, M>(packet_in b,
                    out H parsedHdr,
                    inout M meta,
                    inout standard_metadata_t standard_metadata);

control VerifyChecksum<H, M>(inout H hdr, inout M meta);

@pipeline
control Ingress<H, M>(inout H hdr,
                      inout M meta,
                      inout standard_metadata_t standard_metadata);

@pipeline
control Egress<H, M>(inout H hdr,
                     inout M meta,
                     inout standard_metadata_t standard_metadata);

control ComputeChecksum<H, M>(inout H hdr, inout M meta);

@deparser
control Deparser<H>(packet_out b, in H hdr);

package V1Switch<H, M>(Parser<H, M> p,
                       VerifyChecksum<H, M> vr,
                       Ingress<H, M> ig,
                       Egress<H, M> eg,
                       ComputeChecksum<H, M> ck,
                       Deparser<H> dep);

#endif
