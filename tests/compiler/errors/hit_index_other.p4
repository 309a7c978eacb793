// expect: 13:53: error: action 'a' reads t.hit_index(), so it can only be an action of table 't'
#include <core.p4>
#include <v1model.p4>
header h_t { bit<16> a; bit<16> b; }
struct hs_t { h_t h; }
struct m_t { }
parser P(packet_in pkt, out hs_t hdr, inout m_t meta, inout standard_metadata_t sm) {
    state start { pkt.extract(hdr.h); transition accept; } }
control VC(inout hs_t hdr, inout m_t meta) { apply { } }
control I(inout hs_t hdr, inout m_t meta, inout standard_metadata_t sm) {
    action a() { hdr.h.b = (bit<16>)t.hit_index(); }
    table t { key = { hdr.h.a: ternary; } actions = { a; } }
    table u { key = { hdr.h.b: exact; } actions = { a; } }
    apply { t.apply(); u.apply(); }
}
control E(inout hs_t hdr, inout m_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout hs_t hdr, inout m_t meta) { apply { } }
control D(packet_out pkt, in hs_t hdr) { apply { pkt.emit(hdr); } }
V1Switch(P(), VC(), I(), E(), CC(), D()) main;
