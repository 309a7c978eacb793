/* ambiguity.p4 - the grammar's documented ambiguities: '<' as less-than or
 * type arguments, '>>' closing two lists or shifting, type names vs. other
 * names (with shadowing), casts vs. parenthesized expressions. */
#include <core.p4>
#include <v1model.p4>

enum E { A, B }
typedef bit<8> byte_t;
header h_t { byte_t v; }
extern bit<8> get<T>(in T x);
extern T pick<T>(in T a, in T b);

struct tt_t { tuple<tuple<bit<8>>> deep; }

control C(inout h_t h, packet_in pkt) {
    bit<8> a = 1;
    bit<8> b = 2;
    bit<8> counter = 3;            // shadows the extern type `counter`
    apply {
        bool lt = a < b;
        bool gt = a > b;
        bool mix = a < b && b > a;
        bit<8> sh = a >> 2;
        bit<8> sh2 = (a << 1) >> 1;
        bit<8> g = get<bit<8>>(a);
        bit<8> g2 = get(a) + pick<byte_t>(a, b);
        bool cmp = get<bit<8>>(a) < b;
        counter = counter + 1;     // a name, not a type, here
        bit<16> la = pkt.lookahead<bit<16>>();
        E e = E.A;
        bool same = (E.A == e);
        bit<8> c1 = (byte_t) a;
        bit<8> c2 = (a) + b;
        bit<8> c3 = (bit<8>) (a + b);
        byte_t bt = (byte_t) (bit<8>) 8w1;
        tuple<tuple<bit<8>>> nested = { { 8w1 } };
        if (a < b) { a = b; }
        if (a > b) { b = a; }
        h.v = a < 2 ? a : b;
    }
}
