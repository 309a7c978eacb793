/* hit_index.p4 - p4lab's T.hit_index() (docs/match-engines.md): the slot of
 * table acl that matched, used as the key of table l2 instead of an action
 * parameter, the linking field of the hit-index discussion. */
#include <core.p4>
#include <v1model.p4>
#include "common.p4h"

struct headers_t { ethernet_t ethernet; ipv4_t ipv4; }
struct meta_t { bit<4> l2ptr; }

parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    state start {
        pkt.extract(hdr.ethernet);
        transition select(hdr.ethernet.ether_type) {
            0x0800: parse_ipv4;
            default: accept;
        }
    }
    state parse_ipv4 {
        pkt.extract(hdr.ipv4);
        transition accept;
    }
}

control VC(inout headers_t hdr, inout meta_t meta) { apply { } }

control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    action drop() { mark_to_drop(sm); }
    action set_l2ptr() {
        meta.l2ptr = acl.hit_index();
        hdr.ipv4.identification = (bit<16>)acl.hit_index();
    }
    table acl {
        key = { hdr.ipv4.dst: ternary; }
        actions = { set_l2ptr; drop; }
        default_action = drop();
        size = 16;
    }
    action forward(bit<48> mac, bit<9> port) {
        sm.egress_spec = port;
        hdr.ethernet.dst = mac;
    }
    table l2 {
        key = { meta.l2ptr: exact; }
        actions = { forward; drop; }
        default_action = drop();
    }
    apply {
        if (hdr.ipv4.isValid()) {
            acl.apply();
            l2.apply();
        }
    }
}

control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout headers_t hdr, inout meta_t meta) { apply { } }

control D(packet_out pkt, in headers_t hdr) {
    apply {
        pkt.emit(hdr.ethernet);
        pkt.emit(hdr.ipv4);
    }
}

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
