/* returns.p4 - `return` anywhere in actions and functions (early returns,
 * returns in both branches of an if, in a switch), a switch on a value
 * inside an action, serializable enum labels against its underlying type,
 * and an action parameter hashed (copied to a field first). */
#include <core.p4>
#include <v1model.p4>
enum bit<8> Op { ADD = 0x2b, SUB = 0x2d, AND = 0x26 }
header h_t { bit<8> op; bit<8> a; bit<8> b; bit<8> res; bit<8> cls; bit<16> h; }
struct H { h_t h; }
struct M { }
parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) {
    state start { p.extract(hdr.h); transition accept; }
}
control C(inout H hdr, inout M m) { apply { } }

/* 0 for zero, 1 for small, 2 for large: returns in every branch */
bit<8> classify(in bit<8> x) {
    if (x == 0) {
        return 0;
    } else if (x < 16) {
        return 1;
    }
    return 2;
}

control I(inout H hdr, inout M m, inout standard_metadata_t sm) {
    action calc() {
        switch (hdr.h.op) {
            Op.ADD: { hdr.h.res = hdr.h.a + hdr.h.b; }
            Op.SUB: { hdr.h.res = hdr.h.a - hdr.h.b; }
            Op.AND: { hdr.h.res = hdr.h.a & hdr.h.b; return; }
            default: { hdr.h.res = 0xff; }
        }
        hdr.h.res = hdr.h.res + 1;   /* skipped by AND's return */
    }
    action guard(bit<8> limit) {
        hdr.h.cls = classify(hdr.h.a);
        if (hdr.h.a > limit) {
            hdr.h.res = 0xee;
            return;
        }
        hash(hdr.h.h, HashAlgorithm.identity, 16w0, { limit, hdr.h.b }, 32w65536);
    }
    apply {
        sm.egress_spec = 1;
        calc();
        guard(0x80);
    }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply { } }
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(P(), C(), I(), E(), C(), D()) main;
