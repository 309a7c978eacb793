/* stack_copy.p4 - whole-value copies the switch runs as one primitive:
 * a header stack assigned to another (assign_header_stack: every element,
 * its validity and the next index) and a varbit field assigned to another
 * (assign_VL: its bytes and its length).  hs is extracted while x == 1; v is
 * a length byte and that many bytes of varbit data. */
#include <core.p4>
#include <v1model.p4>
header eth_t { bit<8> dst; bit<8> src; bit<16> type; }
header h_t { bit<8> x; }
header vv_t { bit<8> len; varbit<32> data; }
struct H { eth_t eth; h_t[2] hs; h_t[2] hc; vv_t v; vv_t vc; }
struct M { }
parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) {
    state start {
        p.extract(hdr.eth);
        transition select(hdr.eth.type) { 1: parse_hs; 2: parse_v; default: accept; }
    }
    state parse_hs { p.extract(hdr.hs.next); transition select(hdr.hs.last.x) { 1: parse_hs; default: accept; } }
    state parse_v { bit<8> l = p.lookahead<bit<8>>(); p.extract(hdr.v, (bit<32>)l << 3); transition accept; }
}
control C(inout H hdr, inout M m) { apply { } }
control I(inout H hdr, inout M m, inout standard_metadata_t sm) {
    apply {
        sm.egress_spec = 1;
        if (hdr.hs[0].isValid()) { hdr.hc = hdr.hs; hdr.hs.pop_front(1); }
        if (hdr.v.isValid()) { hdr.vc.setValid(); hdr.vc.len = hdr.v.len; hdr.vc.data = hdr.v.data; }
    }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply { } }
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(P(), C(), I(), E(), C(), D()) main;
