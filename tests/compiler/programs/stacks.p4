/* stacks.p4 - header stacks: extract into .next until .last.bos is set,
 * pop_front and push_front, a pushed element made valid and written. */
#include <core.p4>
#include <v1model.p4>

header tag_t { bit<8> v; bit<8> bos; }
struct headers_t { tag_t[3] tags; }
struct meta_t { }

parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    state start {
        pkt.extract(hdr.tags.next);
        transition select(hdr.tags.last.bos) {
            1: accept;
            default: start;
        }
    }
}

control VC(inout headers_t hdr, inout meta_t meta) { apply { } }

control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    action pop() { hdr.tags.pop_front(1); }
    action push() {
        hdr.tags.push_front(1);
        hdr.tags[0].setValid();
        hdr.tags[0] = { 0x11, 0 };
    }
    apply {
        sm.egress_spec = 1;
        if (hdr.tags[0].v == 0xaa) {
            pop();
        } else if (hdr.tags[0].v == 0xbb) {
            push();
        }
    }
}

control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout headers_t hdr, inout meta_t meta) { apply { } }
control D(packet_out pkt, in headers_t hdr) { apply { pkt.emit(hdr); } }

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
