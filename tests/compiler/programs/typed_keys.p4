/* typed_keys.p4 - table keys and action parameters that are not bit<W>:
 * a bool key (const entries with true/false), a serializable enum key and
 * entries written with its members, a bool action parameter. */
#include <core.p4>
#include <v1model.p4>
enum bit<16> EtherType { IPV4 = 0x0800, ARP = 0x0806 }
header h_t { EtherType type; bit<8> flag; bit<8> r; }
struct H { h_t h; }
struct M { bool big; }
parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) {
    state start { p.extract(hdr.h); transition accept; }
}
control C(inout H hdr, inout M m) { apply { } }
control I(inout H hdr, inout M m, inout standard_metadata_t sm) {
    action mark(bool on, bit<8> v) { hdr.h.r = on ? v : 8w0xee; }
    table by_type {
        key = { hdr.h.type : exact; m.big : exact; }
        actions = { mark; NoAction; }
        const entries = {
            (EtherType.IPV4, true) : mark(true, 1);
            (EtherType.IPV4, false) : mark(true, 2);
            (EtherType.ARP, false) : mark(false, 3);
        }
    }
    apply {
        sm.egress_spec = 1;
        m.big = hdr.h.flag > 0x7f;
        by_type.apply();
    }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply { } }
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(P(), C(), I(), E(), C(), D()) main;
