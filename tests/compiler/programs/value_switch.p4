/* value_switch.p4 - switch on values (with a label sharing the next body,
 * a default, a switch on a slice without default) as chains of conditionals. */
#include <core.p4>
#include <v1model.p4>
header h_t { bit<8> a; bit<8> b; }
struct H { h_t h; }
struct M { }
parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) { state start { p.extract(hdr.h); transition accept; } }
control C(inout H hdr, inout M m) { apply {} }
control I(inout H hdr, inout M m, inout standard_metadata_t sm) {
  apply {
    sm.egress_spec = 1;
    switch (hdr.h.a) {
      1: { hdr.h.b = 0x11; }
      2:
      3: { hdr.h.b = 0x23; }
      default: { hdr.h.b = 0xdd; }
    }
    switch (hdr.h.a[3:0]) {
      4: { hdr.h.a = 0x44; }
    }
  }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply {} }
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(P(), C(), I(), E(), C(), D()) main;
