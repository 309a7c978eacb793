/* signed.p4 - int<W>: header fields and locals, wrapping + - * and unary
 * minus, ordering comparisons, arithmetic >>, casts between bit<W> and
 * int<W>, and saturating |+| |-| on both. */
#include <core.p4>
#include <v1model.p4>

header h_t {
    int<8> a; int<8> b;
    int<8> sum; int<8> diff; int<8> prod; int<8> neg; int<8> shr;
    int<8> ssat; int<8> dsat; bit<8> usat; bit<8> udsat;
    bit<8> lt; bit<8> as_bit; int<16> wide;
}
struct headers_t { h_t h; }
struct meta_t { int<8> m; }

parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    state start { pkt.extract(hdr.h); transition accept; }
}

control VC(inout headers_t hdr, inout meta_t meta) { apply { } }
control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    apply {
        sm.egress_spec = 1;
        int<8> t = hdr.h.a;
        meta.m = hdr.h.b;
        hdr.h.sum = t + meta.m;
        hdr.h.diff = hdr.h.a - hdr.h.b;
        hdr.h.prod = hdr.h.a * 3;
        hdr.h.neg = -hdr.h.a;
        hdr.h.shr = hdr.h.a >> 2;
        hdr.h.ssat = hdr.h.a |+| hdr.h.b;
        hdr.h.dsat = hdr.h.a |-| hdr.h.b;
        hdr.h.usat = (bit<8>)hdr.h.a |+| (bit<8>)hdr.h.b;
        hdr.h.udsat = (bit<8>)hdr.h.a |-| (bit<8>)hdr.h.b;
        hdr.h.lt = 0;
        if (hdr.h.a < hdr.h.b) {
            hdr.h.lt = 1;
        }
        if (hdr.h.a < -8s100) {
            hdr.h.lt = hdr.h.lt + 2;
        }
        hdr.h.as_bit = (bit<8>)hdr.h.a;
        hdr.h.wide = (int<16>)hdr.h.a;
    }
}
control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout headers_t hdr, inout meta_t meta) { apply { } }
control D(packet_out pkt, in headers_t hdr) { apply { pkt.emit(hdr); } }

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
