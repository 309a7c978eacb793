/* registers.p4 - state across packets: a register cell per index counts the
 * packets that named it and the count is written back into the packet. */
#include <core.p4>
#include <v1model.p4>

header h_t { bit<32> count; bit<8> idx; }
struct headers_t { h_t h; }
struct meta_t { }

parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    state start { pkt.extract(hdr.h); transition accept; }
}

control VC(inout headers_t hdr, inout meta_t meta) { apply { } }

control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    register<bit<32>>(4) seen;
    action bump() {
        bit<32> v;
        seen.read(v, (bit<32>)hdr.h.idx);
        v = v + 1;
        seen.write((bit<32>)hdr.h.idx, v);
        hdr.h.count = v;
    }
    apply {
        sm.egress_spec = 1;
        bump();
    }
}

control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout headers_t hdr, inout meta_t meta) { apply { } }
control D(packet_out pkt, in headers_t hdr) { apply { pkt.emit(hdr); } }

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
