/* resubmit.p4 - metadata kept across a resubmit with @field_list: the
 * first pass marks the packet and resubmits it, the second pass sees the
 * mark (and not the unlisted field) and rewrites the EtherType. */
#include <core.p4>
#include <v1model.p4>

header eth_t { bit<48> dst; bit<48> src; bit<16> type; }
struct headers_t { eth_t eth; }
struct meta_t {
    @field_list(1) bit<8> mark;
    bit<8> scratch;
}

parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    state start { pkt.extract(hdr.eth); transition accept; }
}

control VC(inout headers_t hdr, inout meta_t meta) { apply { } }

control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    action again() {
        meta.mark = 5;
        meta.scratch = 7;
        resubmit_preserving_field_list(1);
    }
    apply {
        sm.egress_spec = 1;
        if (meta.mark == 5) {
            hdr.eth.type = 0x5500 | (bit<16>)meta.scratch;
        } else if (hdr.eth.type == 0x1234) {
            again();
        }
    }
}

control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout headers_t hdr, inout meta_t meta) { apply { } }
control D(packet_out pkt, in headers_t hdr) { apply { pkt.emit(hdr); } }

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
