// expect: 10:9: error: value set 'vs' has 8 bits, the select key 16
#include <core.p4>
#include <v1model.p4>
header h_t { bit<16> t; }
struct hs_t { h_t h; }
struct m_t { }
parser P(packet_in pkt, out hs_t hdr, inout m_t meta, inout standard_metadata_t sm) {
    value_set<bit<8>>(4) vs;
    state start { pkt.extract(hdr.h); transition select(hdr.h.t) {
        vs: accept; default: reject; } }
}
control VC(inout hs_t hdr, inout m_t meta) { apply { } }
control I(inout hs_t hdr, inout m_t meta, inout standard_metadata_t sm) { apply { } }
control E(inout hs_t hdr, inout m_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout hs_t hdr, inout m_t meta) { apply { } }
control D(packet_out pkt, in hs_t hdr) { apply { pkt.emit(hdr); } }
V1Switch(P(), VC(), I(), E(), CC(), D()) main;
