/* sizes.p4 - minSizeInBits/maxSizeInBytes and friends of headers, structs
 * and a header with a varbit field; `type` and typedef'd values. */
#include <core.p4>
#include <v1model.p4>
type bit<16> Port_t;
typedef bit<8> Byte;
header h_t { bit<16> a; bit<16> b; bit<16> c; bit<16> d; }
header opt_t { bit<8> len; varbit<64> data; }
struct H { h_t h; opt_t opt; }
struct M { Port_t p; }
parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) {
    state start { p.extract(hdr.h); transition accept; }
}
control C(inout H hdr, inout M m) { apply { } }
control I(inout H hdr, inout M m, inout standard_metadata_t sm) {
    apply {
        sm.egress_spec = 1;
        m.p = (Port_t)16w0x1234;
        Byte k = 9;
        hdr.h.a = (bit<16>)hdr.opt.minSizeInBits();    /* 8 */
        hdr.h.b = (bit<16>)hdr.opt.maxSizeInBytes();   /* 9 */
        hdr.h.c = (bit<16>)hdr.h.minSizeInBytes() + (bit<16>)k;   /* 8 + 9 */
        hdr.h.d = (bit<16>)m.p;
    }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply { } }
control D(packet_out p, in H hdr) { apply { p.emit(hdr.h); } }
V1Switch(P(), C(), I(), E(), C(), D()) main;
