/* entries.p4 - initial (non-const) entries with explicit priorities, entries
 * whose priority follows the previous one by priority_delta, a table where
 * the smallest priority wins, and a range key. */
#include <core.p4>
#include <v1model.p4>
header h_t { bit<8> a; bit<8> b; bit<8> r1; bit<8> r2; }
struct H { h_t h; }
struct M { }
parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) {
    state start { p.extract(hdr.h); transition accept; }
}
control C(inout H hdr, inout M m) { apply { } }
control I(inout H hdr, inout M m, inout standard_metadata_t sm) {
    action set1(bit<8> v) { hdr.h.r1 = v; }
    action set2(bit<8> v) { hdr.h.r2 = v; }
    /* largest wins: the entry written last (priority 30) beats the others */
    table t1 {
        key = { hdr.h.a : ternary; hdr.h.b : range; }
        actions = { set1; NoAction; }
        priority_delta = 5;
        entries = {
            priority = 20: (0x10 &&& 0xf0, 0 .. 255) : set1(1);
                           (0x11, 10 .. 20) : set1(2);      /* 15 */
            priority = 30: (_, 15 .. 15) : set1(3);
        }
    }
    /* smallest wins: entries in order get 1, 2, 3 */
    table t2 {
        key = { hdr.h.a : ternary; }
        actions = { set2; }
        largest_priority_wins = false;
        const entries = {
            0x20 &&& 0xf0 : set2(1);
            0x22 : set2(2);
            priority = 0x8: _ : set2(3);
        }
    }
    apply {
        sm.egress_spec = 1;
        t1.apply();
        t2.apply();
    }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply { } }
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(P(), C(), I(), E(), C(), D()) main;
