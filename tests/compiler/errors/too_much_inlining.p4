// expect: 8:34: error: inlining 'f0' makes the code here too large (over 200000 operations)
// functions doubling their calls 24 times
#include <core.p4>
#include <v1model.p4>
struct h_t { }
struct m_t { bit<8> x; }
void f0(inout bit<8> x) { x = x + 1; }
void f1(inout bit<8> x) { f0(x); f0(x); }
void f2(inout bit<8> x) { f1(x); f1(x); }
void f3(inout bit<8> x) { f2(x); f2(x); }
void f4(inout bit<8> x) { f3(x); f3(x); }
void f5(inout bit<8> x) { f4(x); f4(x); }
void f6(inout bit<8> x) { f5(x); f5(x); }
void f7(inout bit<8> x) { f6(x); f6(x); }
void f8(inout bit<8> x) { f7(x); f7(x); }
void f9(inout bit<8> x) { f8(x); f8(x); }
void f10(inout bit<8> x) { f9(x); f9(x); }
void f11(inout bit<8> x) { f10(x); f10(x); }
void f12(inout bit<8> x) { f11(x); f11(x); }
void f13(inout bit<8> x) { f12(x); f12(x); }
void f14(inout bit<8> x) { f13(x); f13(x); }
void f15(inout bit<8> x) { f14(x); f14(x); }
void f16(inout bit<8> x) { f15(x); f15(x); }
void f17(inout bit<8> x) { f16(x); f16(x); }
void f18(inout bit<8> x) { f17(x); f17(x); }
void f19(inout bit<8> x) { f18(x); f18(x); }
void f20(inout bit<8> x) { f19(x); f19(x); }
void f21(inout bit<8> x) { f20(x); f20(x); }
void f22(inout bit<8> x) { f21(x); f21(x); }
void f23(inout bit<8> x) { f22(x); f22(x); }
void f24(inout bit<8> x) { f23(x); f23(x); }
parser P(packet_in pkt, out h_t hdr, inout m_t meta, inout standard_metadata_t sm) { state start { transition accept; } }
control VC(inout h_t hdr, inout m_t meta) { apply { } }
control I(inout h_t hdr, inout m_t meta, inout standard_metadata_t sm) { apply { f24(meta.x); } }
control E(inout h_t hdr, inout m_t meta, inout standard_metadata_t sm) { apply { } }
control D(packet_out pkt, in h_t hdr) { apply { } }
V1Switch(P(), VC(), I(), E(), VC(), D()) main;
