/* docs_ids.p4 - P4Info structure: @brief/@description on tables, actions and
 * externs, @id on externs, profiles and value sets, a direct meter bound to
 * its table, a value set over a struct, annotations of the user's own kept in
 * P4Info.  Compiled by test_compile. */
#include <core.p4>
#include <v1model.p4>
header h_t { bit<8> a; bit<16> t; }
struct H { h_t h; }
struct M { bit<32> colour; }
struct pair_t { bit<8> a; bit<16> t; }
parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) {
    @id(0x03000042) value_set<pair_t>(8) pairs;
    state start {
        p.extract(hdr.h);
        transition select(hdr.h.a, hdr.h.t) { pairs: accept; default: accept; }
    }
}
control C(inout H hdr, inout M m) { apply { } }
control I(inout H hdr, inout M m, inout standard_metadata_t sm) {
    @brief("packets per port") @description("indexed by the ingress port")
    @id(0x12000007) counter(512, CounterType.packets) per_port;
    @id(0x16000003) register<bit<16>>(32) last;
    @id(0x14000001) meter(16, MeterType.bytes) rate;
    direct_meter<bit<32>>(MeterType.packets) dm;
    @id(0x11000005) @max_group_size(4)
    action_selector(HashAlgorithm.crc32, 32w64, 32w14) sel;
    @brief("forward")
    action fwd(bit<9> port) { sm.egress_spec = port; dm.read(m.colour); }
    @brief("exact on a") @description("the only table with a meter") @flag @colour(2)
    table metered { key = { hdr.h.a : exact; } actions = { fwd; } meters = dm; }
    table balanced {
        key = { hdr.h.a : exact; hdr.h.t : selector; }
        actions = { fwd; }
        implementation = sel;
    }
    apply {
        per_port.count((bit<32>)sm.ingress_port);
        last.write(0, hdr.h.t);
        rate.execute_meter(8w1, m.colour);
        metered.apply();
        balanced.apply();
    }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply { } }
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(P(), C(), I(), E(), C(), D()) main;
