/* ext.p4 - the second P4Runtime test program: what rt.p4 does not have.
 *   by_src   exact on the Ethernet source, through action profile ap
 *   ecmp     exact on the destination, through an action selector hashing
 *            the source (members picked by weight)
 *   counted  a direct counter          metered  a direct meter (colour in
 *   aging    idle timeout                       the EtherType on the way out)
 *   port_m   an indexed meter (cell 0), colour in the EtherType
 *   special  a parse value set of EtherTypes: a hit goes out of port 9
 * The EtherType picks the table: 1 by_src, 2 ecmp, 3 counted, 4 metered,
 * 5 port_m, 6 aging; 7 goes to port 1 and is cloned (session 5).  Every
 * port is 1..9. */
#include <core.p4>
#include <v1model.p4>

header eth_t { bit<48> dst; bit<48> src; bit<16> type; }
struct headers_t { eth_t eth; }
struct meta_t { bit<8> color; bit<1> special; }

parser P(packet_in pkt, out headers_t hdr, inout meta_t meta,
         inout standard_metadata_t sm) {
    value_set<bit<16>>(4) special;
    state start {
        pkt.extract(hdr.eth);
        transition select(hdr.eth.type) { special: mark; default: accept; }
    }
    state mark { meta.special = 1; transition accept; }
}

control VC(inout headers_t hdr, inout meta_t meta) { apply { } }

control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    direct_counter(CounterType.packets_and_bytes) dc;
    direct_meter<bit<8>>(MeterType.packets) dm;
    meter(4, MeterType.packets) port_m;
    action_profile(32w8) ap;

    action fwd(bit<9> port) { sm.egress_spec = port; }
    action fwd_c(bit<9> port) { sm.egress_spec = port; }
    action fwd_m(bit<9> port) { sm.egress_spec = port; dm.read(meta.color); }

    table by_src {
        key = { hdr.eth.src : exact; }
        actions = { fwd; NoAction; }
        implementation = ap;
        size = 8;
    }
    table ecmp {
        key = { hdr.eth.dst : exact; hdr.eth.src : selector; }
        actions = { fwd; NoAction; }
        implementation = action_selector(HashAlgorithm.crc16, 32w8, 32w16);
        size = 8;
    }
    table counted {
        key = { hdr.eth.dst : exact; }
        actions = { fwd_c; NoAction; }
        counters = dc;
        default_action = NoAction();
    }
    table metered {
        key = { hdr.eth.dst : exact; }
        actions = { fwd_m; NoAction; }
        meters = dm;
        default_action = NoAction();
    }
    table aging {
        key = { hdr.eth.dst : exact; }
        actions = { fwd; NoAction; }
        support_timeout = true;
        default_action = NoAction();
    }
    apply {
        if (hdr.eth.type == 1) {
            by_src.apply();
        } else if (hdr.eth.type == 2) {
            ecmp.apply();
        } else if (hdr.eth.type == 3) {
            counted.apply();
        } else if (hdr.eth.type == 4) {
            metered.apply();
            hdr.eth.type = (bit<16>)meta.color;
        } else if (hdr.eth.type == 5) {
            sm.egress_spec = 1;
            port_m.execute_meter((bit<32>)0, meta.color);
            hdr.eth.type = (bit<16>)meta.color;
        } else if (hdr.eth.type == 6) {
            aging.apply();
        } else if (hdr.eth.type == 7) {
            sm.egress_spec = 1;
            clone(CloneType.I2E, 32w5);
        }
        if (meta.special == 1) {
            sm.egress_spec = 9;
        }
    }
}

control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout headers_t hdr, inout meta_t meta) { apply { } }
control D(packet_out pkt, in headers_t hdr) { apply { pkt.emit(hdr.eth); } }

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
