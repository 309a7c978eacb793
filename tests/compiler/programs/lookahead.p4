/* lookahead.p4 - pkt.lookahead<H>() of a header type (a temporary header
 * filled from the bits ahead) and of bit<W>, in a select and in an
 * assignment; nothing is consumed until extract. */
#include <core.p4>
#include <v1model.p4>
header tag_t { bit<4> ver; bit<4> kind; bit<8> len; }
header a_t { bit<8> x; }
header o_t { bit<8> peek; bit<8> len; }
struct H { o_t o; tag_t tag; a_t a; }
struct M { }
parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) {
    state start {
        hdr.o.setValid();
        hdr.o.peek = p.lookahead<bit<8>>();
        tag_t t = p.lookahead<tag_t>();
        hdr.o.len = t.len;
        transition select(p.lookahead<tag_t>().kind) {
            2: with_a;
            default: only_tag;
        }
    }
    state with_a { p.extract(hdr.tag); p.extract(hdr.a); transition accept; }
    state only_tag { p.extract(hdr.tag); transition accept; }
}
control C(inout H hdr, inout M m) { apply { } }
control I(inout H hdr, inout M m, inout standard_metadata_t sm) {
    apply { sm.egress_spec = 1; if (hdr.a.isValid()) { hdr.a.x = hdr.a.x + 1; } }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply { } }
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(P(), C(), I(), E(), C(), D()) main;
