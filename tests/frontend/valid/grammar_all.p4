/* grammar_all.p4 - one of every P4_16 construct the front end parses.
 * Not meant to pass semantic checks: it exercises the grammar only. */
#include <core.p4>
#include <v1model.p4>

#define WIDTH 16
#define MAKE_CONST(name, value) const bit<WIDTH> name = value;
#define STR(x) #x
#define GLUE(a, b) a##b

MAKE_CONST(C1, 0x0800)
const int<8> C2 = -8s5;
const int C3 = 1_000_000;
const bit<128> BIG = 128w0xFFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF;
const bool FLAG = true && !false;
const bit<8> GLUE(C, 4) = 8w0b1010_1010 |+| 8w0o17 |-| 8w0d9;
const string S = STR(hello);

#if defined(WIDTH) && WIDTH > 8 && (WIDTH >> 1) == 8
const bit<1> PP_OK = 1;
#elif WIDTH
#error not taken
#else
#error not taken either
#endif

#ifdef NOT_DEFINED
#error skipped
#endif

typedef bit<48> mac_t;
type bit<32> ip_t;
typedef bit<(WIDTH * 2)> wide_t;

error { MyError1, MyError2 }
match_kind { my_kind }

enum Color { Red, Green, Blue, }
enum bit<8> Proto { TCP = 6, UDP = 17 }

@name("eth") header ethernet_t {
    @name("dst_addr") mac_t dst;
    mac_t src;
    bit<16> type;
}

header opt_t {
    varbit<320> options;
}

header_union ip_u { ethernet_t a; opt_t b; }

struct pair<T> { T first; T second; }

struct meta_t {
    @field_list(1) bit<32> x;
    pair<bit<8>> p;
    tuple<bit<8>, bool> tup;
    ethernet_t[4] stack;
    Color c;
    int<16> s;
    bit b1;
    error e;
    bool flag;
}

struct headers_t { ethernet_t eth; ip_u u; }

extern Checker<T> {
    Checker(bit<32> size);
    Checker();
    T check(in T data);
    void reset<D>(in D d, bit<8> opt = 3);
    abstract bit<16> hook(in bit<16> v);
}

extern void my_extern_fn<T>(in T value);
extern T make<T>();

bit<8> add_one(in bit<8> x) {
    return x + 1;
}

void nothing() {
    return;
}

parser P<H>(packet_in pkt, out H hdr);
control C<H>(inout H hdr);
package Pkg<H>(P<H> p, C<H> c);

@brief("a parser") parser MyParser(packet_in pkt, out headers_t hdr, inout meta_t meta,
                 inout standard_metadata_t sm)(bit<8> ctor_arg) {
    const bit<8> K = 3;
    bit<8> counter = 0;
    value_set<bit<16>>(4) vs;
    Checker<bit<8>>(32) chk;
    state start {
        pkt.extract(hdr.eth);
        bit<16> t = pkt.lookahead<bit<16>>();
        pkt.extract<ethernet_t>(hdr.eth);
        pkt.advance(32w8);
        verify(t != 0, error.MyError1);
        transition select(hdr.eth.type, meta.c) {
            (C1, Color.Red): parse_a;
            (0x0800 &&& 0xFF00, _): parse_a;
            (16w1 .. 16w10, Color.Blue): accept;
            vs: accept;
            (default, default): reject;
        }
    }
    @name("A") state parse_a {
        {
            counter = counter + 1;
        }
        if (counter > 2) {
            counter = 0;
        } else {
            counter = 1;
        }
        transition accept;
    }
    state empty_state { }
}

control Ing(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    bit<32> x = 0;
    const bit<8> K2 = 8w3;
    direct_counter(CounterType.packets) dc;
    register<bit<32>, bit<10>>(1024) reg;
    Checker<bit<16>>() impl = {
        bit<16> hook(in bit<16> v) {
            return v + 1;
        }
        Checker<bit<8>>(4) inner;
    };

    action a1(in bit<9> port, bit<8> val) {
        sm.egress_spec = port;
        meta.x = (bit<32>) val;
        meta.s = (int<16>) -16s3;
        meta.x[7:0] = val;
        meta.x = meta.x << 2 >> 1;
        meta.x = meta.x ++ 8w1 ++ 8w2 > 0 ? 32w1 : 32w2;
        meta.stack[0].src = 0;
        meta.stack.push_front(1);
        meta.p = { first = 1, second = 2 };
        meta.tup = { 8w1, true };
        hdr.eth = {#};
        meta.flag = meta.x >= 2 || meta.x <= 1 && meta.x != 5 || meta.x < 3;
        meta.x = ~meta.x & 0xFF ^ 0x0F | 0xF0;
        meta.x = meta.x * 2 / 2 % 7 - 1;
        meta.b1 = meta.x[0:0];
        meta.e = error.NoError;
        my_extern_fn<bit<8>>(val);
        my_extern_fn(.K2);
        reg.read(meta.x, 10w1);
        exit;
    }
    @hidden action a2() { }

    table t1 {
        key = {
            hdr.eth.dst : exact @name("dst");
            hdr.eth.type : ternary;
            meta.x : lpm;
            meta.s : range;
        }
        actions = {
            a1;
            @defaultonly a2();
            .NoAction;
        }
        const default_action = a2();
        size = 1024;
        @my_anno[a = 1, b = "x"] counters = dc;
        largest_priority_wins = false;
        const entries = {
            (48w1, 0x0800 &&& 0xFFFF, 32w10 &&& 32w0xFF, 1..5) : a1(9w1, 8w2);
            (_, _, _, _) : a2();
            priority = 10 : (1, 2, 3, 4) : a1(1, 2) @name("e");
        }
    }

    table t2 {
        key = { meta.x : exact; }
        actions = { a2; }
        entries = {
            const 1 : a2();
            priority = (5 + 1): 2 : a2();
        }
    }

    apply {
        bit<8> local = 8w1;
        const bit<8> lc = 2;
        tuple<bit<8>, bit<8>> tp = { 1, 2 };
        if (t1.apply().hit) {
            a2();
        } else if (!t2.apply().miss) {
            ;
        }
        switch (t1.apply().action_run) {
            a1:
            a2: { local = 2; }
            default: { }
        }
        switch (local) {
            1: { local = 3; }
            2:
            default: { local = 4; }
        }
        @atomic {
            x = x + 1;
        }
        meta.x = add_one(local) ++ 24w0;
        impl.hook(16w1);
        hash(meta.x, HashAlgorithm.crc16, 32w0, { hdr.eth.src, hdr.eth.dst }, 32w65536);
        a1(port = 9w1, val = 8w3);
        Color c = Color.Green;
        Proto pr = (Proto) 8w6;
        int<8> neg = -(8s1 + 8s2);
        bit<8> ccc = (bit<8>)(local + 1);
        this.x = 1;
        // spec 1.2.5: loops, compound assignments, indexed slices
        for (bit<8> i = 0, j = 1; i < 4; i = i + 1, j += 2) {
            if (i == 2) { continue; }
            meta.x[7:0] = meta.x[i +: 8];
        }
        for (; local < 10; ) { local |+|= 1; break; }
        @unroll for (bit<8> k in 1 .. 4) { local -= k; }
        for (ethernet_t h in meta.stack) { local ^= 1; }
        meta.x *= 2; meta.x /= 2; meta.x %= 3; meta.x <<= 1; meta.x >>= 1;
        meta.x &= 0xFF; meta.x |= 1; meta.s |-|= 1;
        my_extern_fn<>(local);
        return;
    }
}

control Dep(packet_out pkt, in headers_t hdr) {
    apply {
        pkt.emit(hdr);
    }
}

control MyVerify(inout headers_t hdr, inout meta_t meta) { apply { } }
control MyEgress(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply { } }
control MyCompute(inout headers_t hdr, inout meta_t meta) { apply { } }

@pragma stage 1 of the pipeline
@pkginfo(name = "test", version = "1.0")
V1Switch(MyParser(8w1), MyVerify(), Ing(), MyEgress(), MyCompute(), Dep()) main;
