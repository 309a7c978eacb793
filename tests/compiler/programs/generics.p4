/* generics.p4 - tuples (variables, list initialisers, t[i], copies, as
 * hash data), a generic struct and a generic header, and a generic function
 * called with its type inferred and given. */
#include <core.p4>
#include <v1model.p4>
header g_t<T> { T v; bit<8> k; }
struct pair_t<T> { T lo; T hi; }
struct H { g_t<bit<16>> g; }
struct M { }

T larger<T>(in T a, in T b) {
    if (a > b) {
        return a;
    }
    return b;
}

parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) {
    state start { p.extract(hdr.g); transition accept; }
}
control C(inout H hdr, inout M m) { apply { } }
control I(inout H hdr, inout M m, inout standard_metadata_t sm) {
    apply {
        sm.egress_spec = 1;
        tuple<bit<8>, bit<16>> t = { hdr.g.k, 16w0x0100 };
        tuple<bit<8>, bit<16>> u = t;
        pair_t<bit<8>> p = { lo = 3, hi = hdr.g.k };
        bit<16> h;
        hash(h, HashAlgorithm.identity, 16w0, u, 32w65536);
        hdr.g.v = larger(h, u[1]) + (bit<16>)larger<bit<8>>(p.lo, p.hi);
        hdr.g.k = u[0] + 1;
    }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply { } }
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(P(), C(), I(), E(), C(), D()) main;
