/* direct_meter.p4 - a direct meter attached to a table (meters = dm), its
 * colour read into metadata by the table's action, and support_timeout. */
#include <core.p4>
#include <v1model.p4>
header h_t { bit<8> a; bit<8> colour; }
struct H { h_t h; }
struct M { bit<32> colour; }
parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) {
    state start { p.extract(hdr.h); transition accept; }
}
control C(inout H hdr, inout M m) { apply { } }
control I(inout H hdr, inout M m, inout standard_metadata_t sm) {
    direct_meter<bit<32>>(MeterType.packets) dm;
    action fwd(bit<9> port) { sm.egress_spec = port; dm.read(m.colour); }
    table t {
        key = { hdr.h.a : exact; }
        actions = { fwd; NoAction; }
        meters = dm;
        support_timeout = true;
    }
    apply {
        t.apply();
        hdr.h.colour = (bit<8>)m.colour;
    }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply { } }
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(P(), C(), I(), E(), C(), D()) main;
