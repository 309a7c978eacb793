/* signed_params.p4 - int<W> action parameters: given by const entries and
 * the default action (negative values), and by the control plane. */
#include <core.p4>
#include <v1model.p4>
header h_t { bit<8> kind; int<8> v; }
struct H { h_t h; }
struct M { }
parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) {
    state start { p.extract(hdr.h); transition accept; }
}
control C(inout H hdr, inout M m) { apply { } }
control I(inout H hdr, inout M m, inout standard_metadata_t sm) {
    action add(int<8> k) { hdr.h.v = hdr.h.v + k; }
    table t {
        key = { hdr.h.kind : exact; }
        actions = { add; }
        const entries = { 1 : add(-3); 2 : add(5); }
        default_action = add(-128);
    }
    table u {
        key = { hdr.h.kind : exact; }
        actions = { add; NoAction; }
        default_action = NoAction();
    }
    apply { sm.egress_spec = 1; t.apply(); u.apply(); }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply { } }
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(P(), C(), I(), E(), C(), D()) main;
