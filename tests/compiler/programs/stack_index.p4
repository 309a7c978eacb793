/* stack_index.p4 - header stack elements chosen at run time: a field
 * written and read through hs[i], isValid and setInvalid of hs[i + 1], in
 * an action with the index as its parameter and in the apply block. */
#include <core.p4>
#include <v1model.p4>
header h_t { bit<8> idx; bit<8> got; bit<8> valid; }
header e_t { bit<8> v; }
struct H { h_t h; e_t[4] hs; }
struct M { }
parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) {
    state start {
        p.extract(hdr.h);
        p.extract(hdr.hs.next);
        p.extract(hdr.hs.next);
        p.extract(hdr.hs.next);
        transition accept;
    }
}
control C(inout H hdr, inout M m) { apply { } }
control I(inout H hdr, inout M m, inout standard_metadata_t sm) {
    action poke(bit<8> i) {
        hdr.hs[i].v = 0x77;
        hdr.h.valid = hdr.hs[i + 1].isValid() ? 8w1 : 8w0;
    }
    apply {
        sm.egress_spec = 1;
        hdr.h.got = hdr.hs[hdr.h.idx].v;
        poke(hdr.h.idx);
        hdr.hs[2].setInvalid();
    }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply { } }
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(P(), C(), I(), E(), C(), D()) main;
