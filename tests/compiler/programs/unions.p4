/* unions.p4 - a header union (u: a or b) extracted by the parser, a value
 * set on the EtherType, union validity, setValid on one member making the
 * other invalid, a union emitted by the deparser (its valid member only),
 * and a union as a local variable.  o records isValid() of u.a, u.b and u. */
#include <core.p4>
#include <v1model.p4>
header eth_t { bit<8> dst; bit<8> src; bit<16> type; }
header a_t { bit<8> x; bit<8> y; }
header b_t { bit<16> z; }
header o_t { bit<8> ua; bit<8> ub; bit<8> u; }
header_union u_t { a_t a; b_t b; }
struct H { eth_t eth; u_t u; o_t o; }
struct M { }
parser MyParser(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) {
    value_set<bit<16>>(2) pvs;
    state start {
        p.extract(hdr.eth);
        transition select(hdr.eth.type) { pvs: parse_a; 0x0b00: parse_b; default: accept; }
    }
    state parse_a { p.extract(hdr.u.a); transition accept; }
    state parse_b { p.extract(hdr.u.b); transition accept; }
}
control C(inout H hdr, inout M m) { apply { } }
control I(inout H hdr, inout M m, inout standard_metadata_t sm) {
    apply {
        sm.egress_spec = 1;
        if (hdr.eth.src == 2) {
            hdr.u.b.setValid();
            hdr.u.b.z = 0;
        }
        u_t tmp;
        tmp.a.setValid();
        tmp.a.x = 7;
        if (hdr.eth.src == 3 && tmp.isValid() && tmp.a.isValid() && !tmp.b.isValid()) {
            hdr.u = tmp;
            hdr.u.a.y = tmp.a.x;
        }
        hdr.o.setValid();
        hdr.o.ua = hdr.u.a.isValid() ? 8w1 : 8w0;
        hdr.o.ub = hdr.u.b.isValid() ? 8w1 : 8w0;
        hdr.o.u = hdr.u.isValid() ? 8w1 : 8w0;
    }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply { } }
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(MyParser(), C(), I(), E(), C(), D()) main;
