/* stack.p4 - a header stack: extract into .next until the bottom of stack,
 * select on .last, lastIndex, pop_front, push_front, overflow. */
#include <core.p4>
#include <v1model.p4>
#include "common.p4h"

header tag_t {
    bit<7> label;
    bit<1> bos;
}

struct headers_t { ethernet_t ethernet; tag_t[3] tags; }
struct meta_t { }

parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    state start {
        pkt.extract(hdr.ethernet);
        transition select(hdr.ethernet.ether_type) {
            0x8847: parse_tag;
            default: accept;
        }
    }
    state parse_tag {
        pkt.extract(hdr.tags.next);
        transition select(hdr.tags.last.bos) {
            0: parse_tag;
            1: accept;
        }
    }
}

control VC(inout headers_t hdr, inout meta_t meta) { apply { } }

control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    apply {
        if (sm.parser_error == error.StackOutOfBounds) {
            sm.egress_spec = 8;
        } else if (hdr.tags[0].isValid()) {
            sm.egress_spec = (bit<9>)(hdr.tags.lastIndex + 1);
            if (hdr.tags[0].label == 0x7f) {
                hdr.tags.push_front(1);
                hdr.tags[0].setValid();
                hdr.tags[0].label = 0x11;
                hdr.tags[0].bos = 0;
            } else {
                hdr.tags.pop_front(1);
            }
        } else {
            sm.egress_spec = 9;
        }
    }
}

control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout headers_t hdr, inout meta_t meta) { apply { } }
control D(packet_out pkt, in headers_t hdr) {
    apply { pkt.emit(hdr.ethernet); pkt.emit(hdr.tags); }
}

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
