/* hash.p4 - hash() with each algorithm, random() with one value, truncate(). */
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
    action cut() { truncate(16); }
    apply {
        sm.egress_spec = 1;
        if (hdr.h.op == 1) {
            hash(hdr.h.res, HashAlgorithm.crc16, 16w0, { hdr.h.a, hdr.h.b }, 32w65536);
        } else if (hdr.h.op == 2) {
            hash(hdr.h.res, HashAlgorithm.crc32, 16w0, { hdr.h.a, hdr.h.b }, 32w65536);
        } else if (hdr.h.op == 3) {
            hash(hdr.h.res, HashAlgorithm.identity, 16w0, { hdr.h.a }, 32w65536);
        } else if (hdr.h.op == 4) {
            hash(hdr.h.res, HashAlgorithm.csum16, 16w0, { hdr.h.a, hdr.h.b }, 32w65536);
        } else if (hdr.h.op == 5) {
            hash(hdr.h.res, HashAlgorithm.xor16, 16w0, { hdr.h.a, hdr.h.b }, 32w65536);
        } else if (hdr.h.op == 6) {
            hash(hdr.h.res, HashAlgorithm.crc16, 16w100, { hdr.h.a, hdr.h.b }, 32w10);
        } else if (hdr.h.op == 7) {
            random(hdr.h.flags, 8w5, 8w5);
        } else {
            cut();
        }
    }
}

control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout headers_t hdr, inout meta_t meta) { apply { } }
control D(packet_out pkt, in headers_t hdr) {
    apply { pkt.emit(hdr.ethernet); pkt.emit(hdr.h); }
}

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
