/* stateful.p4 - a register read back by the next packet, and a counter. */
#include <core.p4>
#include <v1model.p4>
#include "common.p4h"

struct headers_t { ethernet_t ethernet; h_t h; }
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
    register<bit<16>>(4) last;
    counter(4, CounterType.packets) seen;
    apply {
        bit<16> prev;
        last.read(prev, (bit<32>)hdr.h.op);
        last.write((bit<32>)hdr.h.op, hdr.h.a);
        seen.count((bit<32>)hdr.h.op);
        hdr.h.res = prev;
        sm.egress_spec = 1;
    }
}

control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout headers_t hdr, inout meta_t meta) { apply { } }
control D(packet_out pkt, in headers_t hdr) {
    apply { pkt.emit(hdr.ethernet); pkt.emit(hdr.h); }
}

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
