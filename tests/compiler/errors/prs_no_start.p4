// expect: 7:1: error: parser P has no 'start' state
// a parser without a start state
#include <core.p4>
#include <v1model.p4>
struct h_t { }
struct m_t { }
parser P(packet_in pkt, out h_t hdr, inout m_t meta, inout standard_metadata_t sm) {
    state begin { transition accept; }
}
control VC(inout h_t hdr, inout m_t meta) { apply { } }
control I(inout h_t hdr, inout m_t meta, inout standard_metadata_t sm) { apply { } }
control D(packet_out pkt, in h_t hdr) { apply { } }
V1Switch(P(), VC(), I(), I(), VC(), D()) main;
