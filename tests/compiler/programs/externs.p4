/* externs.p4 - v1model's stateful externs and extern functions: an
 * indirect counter, a direct counter on a table, a meter, a register read
 * and written, hash over a field list, random, truncate, log_msg, assert, clone, digest. */
#include <core.p4>
#include <v1model.p4>

header ethernet_t { bit<48> dst; bit<48> src; bit<16> type; }
header ipv4_t {
    bit<8> ver_ihl; bit<8> tos; bit<16> len; bit<16> id; bit<16> frag;
    bit<8> ttl; bit<8> proto; bit<16> csum; bit<32> src; bit<32> dst;
}
struct headers_t { ethernet_t eth; ipv4_t ipv4; }
struct meta_t { bit<14> ecmp; bit<32> seen; bit<2> color; bit<8> r; }
struct learn_t { bit<32> src; bit<9> port; bool fresh; }

parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    state start {
        pkt.extract(hdr.eth);
        transition select(hdr.eth.type) { 0x800: ipv4; default: accept; }
    }
    state ipv4 { pkt.extract(hdr.ipv4); transition accept; }
}

control VC(inout headers_t hdr, inout meta_t meta) { apply { } }

control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    counter(64, CounterType.packets_and_bytes) per_port;
    direct_counter(CounterType.packets) acl_hits;
    meter(16, MeterType.bytes) policer;
    register<bit<32>>(128) last_seen;

    action count_and_police() {
        per_port.count((bit<32>)sm.ingress_port);
        policer.execute_meter((bit<32>)hdr.ipv4.tos, meta.color);
        last_seen.read(meta.seen, (bit<32>)sm.ingress_port);
        last_seen.write((bit<32>)sm.ingress_port, meta.seen + 1);
    }
    action pick(bit<16> base, bit<32> count) {
        hash(meta.ecmp, HashAlgorithm.crc16, base,
             { hdr.ipv4.src, hdr.ipv4.dst, hdr.ipv4.proto }, count);
        random(meta.r, 8w0, 8w15);
        acl_hits.count();
        digest<learn_t>(1, { hdr.ipv4.src, sm.ingress_port, true });
    }
    action cut() {
        truncate(64);
        log_msg("cut on port {}", {sm.ingress_port});
        assert(hdr.ipv4.isValid());
        clone(CloneType.I2E, 5);
    }
    table acl {
        key = { hdr.ipv4.dst : ternary; }
        actions = { pick; cut; NoAction; }
        counters = acl_hits;
    }
    apply {
        count_and_police();
        acl.apply();
    }
}

control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout headers_t hdr, inout meta_t meta) { apply { } }
control D(packet_out pkt, in headers_t hdr) { apply { pkt.emit(hdr); } }

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
