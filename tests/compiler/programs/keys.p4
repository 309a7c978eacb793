/* keys.p4 - table keys that are expressions (a slice, a sum): computed into
 * scalars by a synthesized action just before the table, matched by const entries. */
#include <core.p4>
#include <v1model.p4>
header h_t { bit<32> dst; bit<8> res; }
struct H { h_t h; }
struct M { }
parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) { state start { p.extract(hdr.h); transition accept; } }
control C(inout H hdr, inout M m) { apply {} }
control I(inout H hdr, inout M m, inout standard_metadata_t sm) {
  action set(bit<8> v) { hdr.h.res = v; sm.egress_spec = 1; }
  table t { key = { hdr.h.dst[31:24] : exact; hdr.h.dst[7:0] + 1 : ternary; } actions = { set; NoAction; }
            const entries = { (10, 0x05 &&& 0xff) : set(0xaa); (10, _) : set(0xbb); } }
  apply { t.apply(); }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply {} }
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(P(), C(), I(), E(), C(), D()) main;
