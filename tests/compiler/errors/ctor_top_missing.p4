// expect: 15:21: error: missing argument for parameter 'port'
// a V1Switch block missing its constructor argument
#include <core.p4>
#include <v1model.p4>
struct h_t { }
struct m_t { }
parser P(packet_in pkt, out h_t hdr, inout m_t meta, inout standard_metadata_t sm) {
    state start { transition accept; }
}
control VC(inout h_t hdr, inout m_t meta) { apply { } }
control I(inout h_t hdr, inout m_t meta, inout standard_metadata_t sm)(bit<9> port) {
    apply { sm.egress_spec = port; }
}
control D(packet_out pkt, in h_t hdr) { apply { } }
V1Switch(P(), VC(), I(), I(9w1), VC(), D()) main;
