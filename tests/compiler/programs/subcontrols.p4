/* subcontrols.p4 - a control instantiated twice with different constructor
 * arguments, each instance with its own table (I.up.t, I.down.t) and
 * action; parameters bound to the caller's arguments; `return` leaving only
 * the sub-control; a sub-control applying another one; one without
 * constructor parameters whose table defaults to NoAction (also checked on
 * its own as a control main does not use). */
#include <core.p4>
#include <v1model.p4>
header h_t { bit<8> k; bit<8> r1; bit<8> r2; bit<8> r3; }
struct H { h_t h; }
struct M { bit<8> seen; }
parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) {
    state start { p.extract(hdr.h); transition accept; }
}
control C(inout H hdr, inout M m) { apply { } }

control Mark(inout bit<8> f)(bit<8> v) {
    apply { f = v; }
}

control Lookup(in bit<8> key, inout bit<8> res, inout M m)(bit<8> miss_value) {
    Mark(0x77) mark;
    action set(bit<8> v) { res = v; }
    table t {
        key = { key : exact; }
        actions = { set; NoAction; }
    }
    apply {
        if (key == 0xff) {
            return;
        }
        if (!t.apply().hit) {
            res = miss_value;
        }
        mark.apply(m.seen);
    }
}

control Stamp(inout M m) {
    action stamp() { m.seen = m.seen + 0; }
    table ts { actions = { stamp; NoAction; } }
    apply { ts.apply(); }
}

control I(inout H hdr, inout M m, inout standard_metadata_t sm) {
    Stamp() st;
    Lookup(0xa1) up;
    Lookup(0xb2) down;
    apply {
        sm.egress_spec = 1;
        m.seen = 0;
        up.apply(hdr.h.k, hdr.h.r1, m);
        down.apply(hdr.h.k | 0, hdr.h.r2, m);   /* a computed `in` argument */
        st.apply(m);
        hdr.h.r3 = m.seen;
    }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply { } }
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(P(), C(), I(), E(), C(), D()) main;
