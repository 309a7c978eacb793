/* profiles.p4 - an action profile declared as an instance (table by_kind)
 * and an action selector written in place (table ecmp), its members chosen
 * by crc16 over the selector keys h.src and h.dst. */
#include <core.p4>
#include <v1model.p4>
header h_t { bit<8> kind; bit<32> src; bit<32> dst; bit<8> tag; }
struct H { h_t h; }
struct M { }
parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) {
    state start { p.extract(hdr.h); transition accept; }
}
control C(inout H hdr, inout M m) { apply { } }
control Ing(inout H hdr, inout M m, inout standard_metadata_t sm) {
    action set_port(bit<9> port, bit<8> tag) { sm.egress_spec = port; hdr.h.tag = tag; }
    action_profile(32w8) ap;
    table by_kind {
        key = { hdr.h.kind : exact; }
        actions = { set_port; NoAction; }
        implementation = ap;
    }
    table ecmp {
        key = { hdr.h.kind : exact; hdr.h.src : selector; hdr.h.dst : selector; }
        actions = { set_port; NoAction; }
        implementation = action_selector(HashAlgorithm.crc16, 32w8, 32w16);
    }
    apply {
        if (hdr.h.kind < 0x10) {
            by_kind.apply();
        } else {
            ecmp.apply();
        }
    }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply { } }
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(P(), C(), Ing(), E(), C(), D()) main;
