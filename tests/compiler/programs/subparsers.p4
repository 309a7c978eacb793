/* subparsers.p4 - a parser instantiated twice with a constructor argument
 * and applied from two states: its states are copied under each instance's
 * name, its accept continues the caller's state, its select and its own
 * locals work per instance. */
#include <core.p4>
#include <v1model.p4>
header tag_t { bit<8> kind; bit<8> val; }
header tail_t { bit<8> t; }
struct H { tag_t first; tag_t second; tail_t tail; }
struct M { bit<8> n; }

parser Tag(packet_in p, out tag_t tag, inout M m)(bit<8> bump) {
    bit<8> seen = 0;
    state start {
        p.extract(tag);
        transition select(tag.kind) { 1: one; default: accept; }
    }
    state one {
        seen = bump;
        m.n = m.n + seen;
        transition accept;
    }
}

parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) {
    Tag(8w1) a;
    Tag(8w16) b;
    state start {
        m.n = 0;
        a.apply(p, hdr.first, m);
        transition next;
    }
    state next {
        b.apply(p, hdr.second, m);
        p.extract(hdr.tail);
        transition accept;
    }
}
control C(inout H hdr, inout M m) { apply { } }
control I(inout H hdr, inout M m, inout standard_metadata_t sm) {
    apply { sm.egress_spec = 1; hdr.tail.t = m.n; }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply { } }
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(P(), C(), I(), E(), C(), D()) main;
