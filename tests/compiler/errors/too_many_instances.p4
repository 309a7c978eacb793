// expect: 13:38: error: applying r makes the program too large (over 200000 tables and actions)
// sub-controls doubling 24 times (16 million tables)
#include <core.p4>
#include <v1model.p4>
struct h_t { }
struct m_t { bit<8> x; }
control C0(inout bit<8> x) { action a() { x = x + 1; } table t { actions = { a; } } apply { t.apply(); } }
control C1(inout bit<8> x) { C0() l; C0() r; apply { l.apply(x); r.apply(x); } }
control C2(inout bit<8> x) { C1() l; C1() r; apply { l.apply(x); r.apply(x); } }
control C3(inout bit<8> x) { C2() l; C2() r; apply { l.apply(x); r.apply(x); } }
control C4(inout bit<8> x) { C3() l; C3() r; apply { l.apply(x); r.apply(x); } }
control C5(inout bit<8> x) { C4() l; C4() r; apply { l.apply(x); r.apply(x); } }
control C6(inout bit<8> x) { C5() l; C5() r; apply { l.apply(x); r.apply(x); } }
control C7(inout bit<8> x) { C6() l; C6() r; apply { l.apply(x); r.apply(x); } }
control C8(inout bit<8> x) { C7() l; C7() r; apply { l.apply(x); r.apply(x); } }
control C9(inout bit<8> x) { C8() l; C8() r; apply { l.apply(x); r.apply(x); } }
control C10(inout bit<8> x) { C9() l; C9() r; apply { l.apply(x); r.apply(x); } }
control C11(inout bit<8> x) { C10() l; C10() r; apply { l.apply(x); r.apply(x); } }
control C12(inout bit<8> x) { C11() l; C11() r; apply { l.apply(x); r.apply(x); } }
control C13(inout bit<8> x) { C12() l; C12() r; apply { l.apply(x); r.apply(x); } }
control C14(inout bit<8> x) { C13() l; C13() r; apply { l.apply(x); r.apply(x); } }
control C15(inout bit<8> x) { C14() l; C14() r; apply { l.apply(x); r.apply(x); } }
control C16(inout bit<8> x) { C15() l; C15() r; apply { l.apply(x); r.apply(x); } }
control C17(inout bit<8> x) { C16() l; C16() r; apply { l.apply(x); r.apply(x); } }
control C18(inout bit<8> x) { C17() l; C17() r; apply { l.apply(x); r.apply(x); } }
control C19(inout bit<8> x) { C18() l; C18() r; apply { l.apply(x); r.apply(x); } }
control C20(inout bit<8> x) { C19() l; C19() r; apply { l.apply(x); r.apply(x); } }
control C21(inout bit<8> x) { C20() l; C20() r; apply { l.apply(x); r.apply(x); } }
control C22(inout bit<8> x) { C21() l; C21() r; apply { l.apply(x); r.apply(x); } }
control C23(inout bit<8> x) { C22() l; C22() r; apply { l.apply(x); r.apply(x); } }
control C24(inout bit<8> x) { C23() l; C23() r; apply { l.apply(x); r.apply(x); } }
parser P(packet_in pkt, out h_t hdr, inout m_t meta, inout standard_metadata_t sm) { state start { transition accept; } }
control VC(inout h_t hdr, inout m_t meta) { apply { } }
control I(inout h_t hdr, inout m_t meta, inout standard_metadata_t sm) { C24() top; apply { top.apply(meta.x); } }
control E(inout h_t hdr, inout m_t meta, inout standard_metadata_t sm) { apply { } }
control D(packet_out pkt, in h_t hdr) { apply { } }
V1Switch(P(), VC(), I(), E(), VC(), D()) main;
