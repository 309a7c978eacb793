/* ctor_args.p4 - V1Switch's blocks given constructor arguments: the
 * ingress control's port and tag, the parser's expected type. */
#include <core.p4>
#include <v1model.p4>
header h_t { bit<8> kind; bit<8> tag; }
struct H { h_t h; }
struct M { }
parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm)(bit<8> want) {
    state start {
        p.extract(hdr.h);
        transition select(hdr.h.kind) { want: accept; default: reject; }
    }
}
control C(inout H hdr, inout M m) { apply { } }
control I(inout H hdr, inout M m, inout standard_metadata_t sm)(bit<9> port, bit<8> tag) {
    apply { sm.egress_spec = port; hdr.h.tag = tag; }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply { } }
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(P(8w7), C(), I(9w3, 8w0xaa), E(), C(), D()) main;
