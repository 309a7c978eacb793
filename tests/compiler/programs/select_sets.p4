/* select_sets.p4 - ranges in select (expanded to value/mask transitions), a
 * range in a tuple key with a mask beside it, and a parser value set filled
 * by the control plane.  h.b reports which state the parser reached. */
#include <core.p4>
#include <v1model.p4>

header h_t { bit<8> a; bit<8> b; bit<16> t; }
struct headers_t { h_t h; }
struct meta_t { bit<8> x; }
struct pair_t { bit<8> a; bit<16> t; }

parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    value_set<bit<16>>(4) ports;
    value_set<pair_t>(4) pairs;
    state start {
        pkt.extract(hdr.h);
        transition select(hdr.h.a) {
            0: check_sets;
            1 .. 9: low;
            10 .. 200: mid;
            default: other;
        }
    }
    state check_sets {
        transition select(hdr.h.t) {
            ports: in_set;
            default: tuple_case;
        }
    }
    state tuple_case {
        transition select(hdr.h.a, hdr.h.t) {
            pairs: in_pairs;
            (0, 0x0100 .. 0x01ff): t_range;
            (_, 0x0f00 &&& 0x0f00): t_mask;
            default: accept;
        }
    }
    state low { meta.x = 1; transition accept; }
    state mid { meta.x = 2; transition accept; }
    state other { meta.x = 3; transition accept; }
    state in_set { meta.x = 4; transition accept; }
    state in_pairs { meta.x = 7; transition accept; }
    state t_range { meta.x = 5; transition accept; }
    state t_mask { meta.x = 6; transition accept; }
}

control VC(inout headers_t hdr, inout meta_t meta) { apply { } }
control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    apply {
        sm.egress_spec = 1;
        hdr.h.b = meta.x;
    }
}
control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout headers_t hdr, inout meta_t meta) { apply { } }
control D(packet_out pkt, in headers_t hdr) { apply { pkt.emit(hdr); } }

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
