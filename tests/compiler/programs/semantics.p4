/* semantics.p4 - what P4 means, checked on packets (semantics.stf): wrapping
 * arithmetic, a function, a slice written, ++ and >> and a narrowing cast,
 * if/else inside an action bound to an inout argument from the actions
 * list, and an `in` argument copied before the action writes its source. */
#include <core.p4>
#include <v1model.p4>

header ethernet_t { bit<48> dst; bit<48> src; bit<16> type; }
header data_t {
    bit<8> a; bit<8> b; bit<16> c;
    bit<8> r1; bit<8> r2; bit<8> r3; bit<8> r4;
}
struct headers_t { ethernet_t eth; data_t d; }
struct meta_t { }

bit<8> max8(in bit<8> x, in bit<8> y) {
    bit<8> r = x;
    if (y > x) {
        r = y;
    }
    return r;
}

parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    state start {
        pkt.extract(hdr.eth);
        transition select(hdr.eth.type) {
            0x88b5: data;
            default: accept;
        }
    }
    state data { pkt.extract(hdr.d); transition accept; }
}

control VC(inout headers_t hdr, inout meta_t meta) { apply { } }

control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    action pick(inout bit<8> dst, bit<8> v) {
        if (v > 10) {
            dst = v;
        } else {
            dst = 10;
        }
    }
    action overwrite(in bit<8> x) {
        hdr.d.a = 0;
        hdr.d.r3 = x;
    }
    action arith() {
        hdr.d.r1 = hdr.d.a + hdr.d.b;
        hdr.d.r2 = max8(hdr.d.a, hdr.d.b);
        hdr.d.c[11:4] = hdr.d.a;
        hdr.d.r4 = (bit<8>)((hdr.d.a ++ hdr.d.b) >> 4);
    }
    table t {
        key = { hdr.d.a : exact; }
        actions = { pick(hdr.d.b); NoAction; }
        default_action = NoAction();
    }
    apply {
        sm.egress_spec = 1;
        if (hdr.d.isValid()) {
            arith();
            t.apply();
            if (hdr.d.a == 0x77) {
                overwrite(hdr.d.a);
            }
        }
    }
}

control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout headers_t hdr, inout meta_t meta) { apply { } }
control D(packet_out pkt, in headers_t hdr) { apply { pkt.emit(hdr); } }

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
