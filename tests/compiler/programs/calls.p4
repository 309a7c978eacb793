/* calls.p4 - function calls in the apply block: in an if condition, in a
 * switch value, nested in another call's argument, with an out parameter;
 * a function with an early return called from a condition. */
#include <core.p4>
#include <v1model.p4>
header h_t { bit<8> a; bit<8> b; bit<8> r1; bit<8> r2; bit<8> r3; }
struct H { h_t h; }
struct M { bit<8> t; }
parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) {
    state start { p.extract(hdr.h); transition accept; }
}
control C(inout H hdr, inout M m) { apply { } }

bit<8> twice(in bit<8> x) { return x + x; }
bit<8> clamp(in bit<8> x, out bit<8> over) {
    over = 0;
    if (x > 100) {
        over = 1;
        return 100;
    }
    return x;
}

control I(inout H hdr, inout M m, inout standard_metadata_t sm) {
    apply {
        sm.egress_spec = 1;
        if (twice(hdr.h.a) == 8) {
            hdr.h.r1 = 1;
        } else {
            hdr.h.r1 = 2;
        }
        switch (clamp(twice(hdr.h.b), m.t)) {
            100: { hdr.h.r2 = 0xcc; }
            default: { hdr.h.r2 = 0; }
        }
        hdr.h.r3 = m.t;
    }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply { } }
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(P(), C(), I(), E(), C(), D()) main;
