/* tutorial_mix.p4 - constructs common in v1model teaching programs, written
 * for these tests: header stacks with next/last/push_front/pop_front,
 * lookahead, setValid, hashing into registers, digests, cloning with a
 * field list, recirculation, value switches on action_run, parser
 * value_sets and typed enums in select. */
#include <core.p4>
#include <v1model.p4>

#define MAX_HOPS 9
#define BLOOM_ENTRIES 4096

typedef bit<9> port_t;
typedef bit<32> ip4_t;

const bit<16> ETH_SR = 0x1234;
const bit<16> ETH_IP = 0x0800;
const bit<8> PROTO_TCP = 6;

enum bit<8> Op { ADD = 0x2b, SUB = 0x2d, AND = 0x26 }

header ethernet_t { bit<48> dst; bit<48> src; bit<16> type; }
header route_t { bit<1> bos; bit<15> port; }
header trace_t { bit<32> switch_id; bit<32> qdepth; }
header count_t { bit<16> count; }
header ipv4_t {
    bit<4> version; bit<4> ihl; bit<6> dscp; bit<2> ecn; bit<16> total_len;
    bit<16> id; bit<3> flags; bit<13> frag; bit<8> ttl; bit<8> protocol;
    bit<16> csum; ip4_t src; ip4_t dst;
}
header tcp_t {
    bit<16> sport; bit<16> dport; bit<32> seq; bit<32> ack;
    bit<4> off; bit<4> res; bit<8> flags; bit<16> window; bit<16> csum; bit<16> urg;
}
header calc_t { bit<8> op; bit<32> a; bit<32> b; bit<32> res; }

struct learn_t { bit<48> src; port_t port; }

struct meta_t {
    @field_list(1) bit<32> session;
    bit<1> seen;
    bit<32> pos1;
    bit<32> pos2;
    bit<8> remaining;
}

struct headers_t {
    ethernet_t ethernet;
    route_t[MAX_HOPS] routes;
    count_t count;
    trace_t[MAX_HOPS] traces;
    ipv4_t ipv4;
    tcp_t tcp;
    calc_t calc;
}

parser TParser(packet_in pkt, out headers_t hdr, inout meta_t meta,
               inout standard_metadata_t sm) {
    value_set<bit<16>>(4) special_types;

    state start {
        pkt.extract(hdr.ethernet);
        transition select(hdr.ethernet.type) {
            ETH_SR: parse_route;
            ETH_IP: parse_ipv4;
            special_types: parse_count;
            default: accept;
        }
    }
    state parse_route {
        pkt.extract(hdr.routes.next);
        transition select(hdr.routes.last.bos) {
            1: parse_ipv4;
            default: parse_route;
        }
    }
    state parse_count {
        pkt.extract(hdr.count);
        meta.remaining = (bit<8>) hdr.count.count;
        transition select(meta.remaining) {
            0: accept;
            default: parse_trace;
        }
    }
    state parse_trace {
        pkt.extract(hdr.traces.next);
        meta.remaining = meta.remaining - 1;
        transition select(meta.remaining) {
            0: accept;
            default: parse_trace;
        }
    }
    state parse_ipv4 {
        pkt.extract(hdr.ipv4);
        transition select(hdr.ipv4.protocol, pkt.lookahead<bit<8>>()) {
            (PROTO_TCP, _): parse_tcp;
            (8w0xFD, (bit<8>) Op.ADD): parse_calc;
            default: accept;
        }
    }
    state parse_tcp { pkt.extract(hdr.tcp); transition accept; }
    state parse_calc { pkt.extract(hdr.calc); transition accept; }
}

control TVerify(inout headers_t hdr, inout meta_t meta) { apply { } }

control TIngress(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    register<bit<1>>(BLOOM_ENTRIES) bloom1;
    register<bit<1>>(BLOOM_ENTRIES) bloom2;
    counter(64, CounterType.packets) hits;
    action_selector(HashAlgorithm.crc16, 32w1024, 32w14) ecmp_sel;

    action drop() { mark_to_drop(sm); }
    action route_next() {
        sm.egress_spec = (port_t) hdr.routes[0].port;
        hdr.routes.pop_front(1);
    }
    action learn() {
        digest<learn_t>(1, { hdr.ethernet.src, sm.ingress_port });
    }
    action forward(port_t port) { sm.egress_spec = port; hits.count((bit<32>) port); }
    action mirror(bit<32> session) {
        meta.session = session;
        clone_preserving_field_list(CloneType.I2E, session, 1);
    }
    action compute_hashes(ip4_t a, ip4_t b) {
        hash(meta.pos1, HashAlgorithm.crc16, (bit<32>) 0, { a, b, hdr.tcp.sport }, (bit<32>) BLOOM_ENTRIES);
        hash(meta.pos2, HashAlgorithm.crc32, (bit<32>) 0, { a, b, hdr.tcp.dport }, (bit<32>) BLOOM_ENTRIES);
    }
    action do_calc() {
        bit<32> r;
        switch (hdr.calc.op) {
            Op.ADD: { r = hdr.calc.a + hdr.calc.b; }
            Op.SUB: { r = hdr.calc.a - hdr.calc.b; }
            Op.AND: { r = hdr.calc.a & hdr.calc.b; }
            default: { r = 0; }
        }
        hdr.calc.res = r;
    }

    table macs {
        key = { hdr.ethernet.src: exact; }
        actions = { learn; NoAction; }
        default_action = learn;
        size = 256;
    }
    table ecmp {
        key = {
            hdr.ipv4.dst: lpm;
            hdr.ipv4.src: selector;
            hdr.tcp.sport: selector;
        }
        actions = { forward; drop; }
        implementation = ecmp_sel;
        default_action = drop();
    }
    table acl {
        key = { hdr.ipv4.dst: ternary; hdr.tcp.dport: range; hdr.ipv4.protocol: optional; }
        actions = { drop; NoAction; mirror; }
        const default_action = NoAction();
    }

    apply {
        if (hdr.routes[0].isValid()) {
            if (hdr.routes[0].bos == 1) {
                hdr.ethernet.type = ETH_IP;
            }
            route_next();
            hdr.traces.push_front(1);
            hdr.traces[0].setValid();
            hdr.traces[0].switch_id = 1;
            hdr.traces[0].qdepth = (bit<32>) sm.deq_qdepth;
        } else if (hdr.ipv4.isValid()) {
            macs.apply();
            switch (acl.apply().action_run) {
                drop: { return; }
                default: { }
            }
            if (hdr.tcp.isValid()) {
                compute_hashes(hdr.ipv4.src, hdr.ipv4.dst);
                bit<1> seen1;
                bit<1> seen2;
                bloom1.read(seen1, meta.pos1);
                bloom2.read(seen2, meta.pos2);
                if (hdr.tcp.flags & 0x02 != 0) {
                    bloom1.write(meta.pos1, 1);
                    bloom2.write(meta.pos2, 1);
                } else if (seen1 != 1 || seen2 != 1) {
                    drop();
                    exit;
                }
            }
            if (ecmp.apply().hit) {
                hdr.ipv4.ttl = hdr.ipv4.ttl - 1;
                if (hdr.ipv4.ecn == 1 || hdr.ipv4.ecn == 2) {
                    hdr.ipv4.ecn = sm.enq_qdepth >= 19w10 ? 2w3 : hdr.ipv4.ecn;
                }
            }
            if (hdr.calc.isValid()) {
                do_calc();
                bit<48> tmp = hdr.ethernet.dst;
                hdr.ethernet.dst = hdr.ethernet.src;
                hdr.ethernet.src = tmp;
                sm.egress_spec = sm.ingress_port;
            }
        } else {
            hdr.ethernet.setInvalid();
            recirculate_preserving_field_list(0);
        }
    }
}

control TEgress(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    apply {
        if (sm.instance_type == 1) {
            truncate(64);
        }
        log_msg("egress port {}", { sm.egress_port });
        assert(sm.egress_port != 511);
    }
}

control TCompute(inout headers_t hdr, inout meta_t meta) {
    apply {
        update_checksum(hdr.ipv4.isValid(),
            { hdr.ipv4.version, hdr.ipv4.ihl, hdr.ipv4.dscp, hdr.ipv4.ecn,
              hdr.ipv4.total_len, hdr.ipv4.id, hdr.ipv4.flags, hdr.ipv4.frag,
              hdr.ipv4.ttl, hdr.ipv4.protocol, hdr.ipv4.src, hdr.ipv4.dst },
            hdr.ipv4.csum, HashAlgorithm.csum16);
        update_checksum_with_payload(hdr.tcp.isValid(),
            { hdr.ipv4.src, hdr.ipv4.dst, 8w0, hdr.ipv4.protocol },
            hdr.tcp.csum, HashAlgorithm.csum16);
    }
}

control TDeparser(packet_out pkt, in headers_t hdr) {
    apply {
        pkt.emit(hdr.ethernet);
        pkt.emit(hdr.routes);
        pkt.emit(hdr.count);
        pkt.emit(hdr.traces);
        pkt.emit(hdr.ipv4);
        pkt.emit(hdr.tcp);
        pkt.emit(hdr.calc);
    }
}

V1Switch(TParser(), TVerify(), TIngress(), TEgress(), TCompute(), TDeparser()) main;
