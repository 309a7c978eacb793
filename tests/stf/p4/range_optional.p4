/* range_optional.p4 - range and optional keys written from STF: LOW..HIGH,
 * a single value as LOW..LOW, omitted keys as wildcards (the full range, any
 * value), a range on a 9-bit field; an exact table beside them. */
#include <core.p4>
#include <v1model.p4>
#include "common.p4h"

struct headers_t { ethernet_t ethernet; h_t h; }
struct meta_t { bit<8> cls; }

parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    state start {
        pkt.extract(hdr.ethernet);
        pkt.extract(hdr.h);
        transition accept;
    }
}

control VC(inout headers_t hdr, inout meta_t meta) { apply { } }

control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    action set_port(bit<9> port) { sm.egress_spec = port; }
    action set_cls(bit<8> c) { meta.cls = c; }
    action set_res(bit<16> v) { hdr.h.res = v; }
    table l2 {
        key = { hdr.ethernet.dst: exact; }
        actions = { set_port; }
        default_action = set_port(1);
    }
    table acl {
        key = { hdr.h.a: range; hdr.h.op: optional; }
        actions = { set_cls; NoAction; }
        default_action = NoAction();
    }
    table by_port {
        key = { sm.ingress_port: range; hdr.h.b: exact; }
        actions = { set_res; NoAction; }
        default_action = NoAction();
    }
    apply {
        l2.apply();
        by_port.apply();
        if (acl.apply().hit) {
            hdr.h.flags = meta.cls;
        } else {
            hdr.h.flags = 0xee;
        }
    }
}

control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout headers_t hdr, inout meta_t meta) { apply { } }
control D(packet_out pkt, in headers_t hdr) {
    apply { pkt.emit(hdr.ethernet); pkt.emit(hdr.h); }
}

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
