/* tables.p4 - exact and ternary tables, const entries, a default action with
 * a parameter, hit/miss in the control flow, action selection by switch. */
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
    action to_cpu() { sm.egress_spec = 64; }
    table fwd {
        key = { hdr.ethernet.dst: exact; }
        actions = { set_port; to_cpu; }
        default_action = set_port(7);
    }
    table classify {
        key = { hdr.h.a: ternary; hdr.h.op: exact; }
        actions = { set_cls; NoAction; }
        default_action = NoAction();
    }
    table consts {
        key = { hdr.h.b: exact; }
        actions = { set_cls; NoAction; }
        const entries = {
            0x0001: set_cls(0x11);
            0x0002: set_cls(0x22);
        }
        default_action = NoAction();
    }
    apply {
        fwd.apply();
        if (classify.apply().hit) {
            hdr.h.flags = meta.cls;
        } else {
            if (consts.apply().hit) {
                hdr.h.flags = meta.cls + 1;
            } else {
                hdr.h.flags = 0xee;
            }
        }
    }
}

control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout headers_t hdr, inout meta_t meta) { apply { } }
control D(packet_out pkt, in headers_t hdr) {
    apply { pkt.emit(hdr.ethernet); pkt.emit(hdr.h); }
}

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
