/* arith.p4 - arithmetic, shifts, slices, casts, comparisons, if/else,
 * setValid/setInvalid. */
#include <core.p4>
#include <v1model.p4>
#include "common.p4h"

header tag_t { bit<16> v; }
struct headers_t { ethernet_t ethernet; tag_t tag; h_t h; }
struct meta_t { }

parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    state start {
        pkt.extract(hdr.ethernet);
        pkt.extract(hdr.h);
        transition accept;
    }
}

control VC(inout headers_t hdr, inout meta_t meta) { apply { } }

control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    apply {
        sm.egress_spec = 1;
        if (hdr.h.op == 1) {
            hdr.h.res = hdr.h.a + hdr.h.b;
        } else if (hdr.h.op == 2) {
            hdr.h.res = hdr.h.a - hdr.h.b;
        } else if (hdr.h.op == 3) {
            hdr.h.res = (hdr.h.a << 4) | (hdr.h.b >> 12);
            hdr.h.flags = hdr.h.a[15:8];
        } else if (hdr.h.op == 4) {
            hdr.h.res = hdr.h.a[3:0] ++ hdr.h.b[11:0];
            hdr.h.flags = (bit<8>)(hdr.h.a & 0xff) ^ 0x0f;
        } else if (hdr.h.op == 5) {
            hdr.tag.setValid();
            hdr.tag.v = hdr.h.a > hdr.h.b ? hdr.h.a : hdr.h.b;
        } else if (hdr.h.op == 6) {
            hdr.ethernet.setInvalid();
        } else if (hdr.h.op == 7) {
            hdr.h.res = ~hdr.h.a;
            hdr.h.flags = (bit<8>)(hdr.h.a * 3);
        } else {
            mark_to_drop(sm);
        }
    }
}

control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout headers_t hdr, inout meta_t meta) { apply { } }
control D(packet_out pkt, in headers_t hdr) {
    apply { pkt.emit(hdr.ethernet); pkt.emit(hdr.tag); pkt.emit(hdr.h); }
}

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
