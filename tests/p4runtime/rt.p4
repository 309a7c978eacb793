/* rt.p4 - the P4Runtime tests' program: one table per match kind.
 *   l2     exact on the Ethernet destination, 4 entries (fills up quickly)
 *   routes lpm on the IPv4 destination, default drop
 *   acl    ternary on the IPv4 source and protocol; deny drops
 *   fixed  a const default action
 *   qos    range on the IPv4 TTL, optional on the protocol; marks the TOS
 *   hosts  exact on the IPv4 destination, room for 131,072 entries (a batch
 *          of 100,000 fills it to 76%: the hash engine has no room left
 *          beyond about 96%)
 * The CPU port is 64: a packet from it starts with the packet_out header,
 * whose egress_port it goes to (64 again: back to the controller); l2's
 * to_cpu() sends one there behind a packet_in header.
 * l2's learn() sends a digest learn_t (source MAC, ingress port).
 * Besides: a packet counter per ingress port, a register whose cell 1 is
 * copied into the IPv4 identification, and l2's flood() to a multicast
 * group.  The egress port ends up in egress_spec; a packet no table forwards is
 * dropped. */
#include <core.p4>
#include <v1model.p4>

@controller_header("packet_in") header packet_in_t { bit<9> ingress_port; bit<7> pad; }
@controller_header("packet_out") header packet_out_t { bit<9> egress_port; bit<7> pad; }
header eth_t { bit<48> dst; bit<48> src; bit<16> type; }
header ipv4_t {
    bit<4> version; bit<4> ihl; bit<8> tos; bit<16> len; bit<16> id;
    bit<3> flags; bit<13> frag; bit<8> ttl; bit<8> proto; bit<16> csum;
    bit<32> src; bit<32> dst;
}
struct headers_t { packet_in_t pin; packet_out_t pout; eth_t eth; ipv4_t ipv4; }
struct meta_t { }
struct learn_t { bit<48> src; bit<9> port; }

parser P(packet_in pkt, out headers_t hdr, inout meta_t meta,
         inout standard_metadata_t sm) {
    state start {
        transition select(sm.ingress_port) { 64: from_cpu; default: eth; }
    }
    state from_cpu { pkt.extract(hdr.pout); transition eth; }
    state eth {
        pkt.extract(hdr.eth);
        transition select(hdr.eth.type) { 0x0800: ipv4; default: accept; }
    }
    state ipv4 { pkt.extract(hdr.ipv4); transition accept; }
}

control VC(inout headers_t hdr, inout meta_t meta) { apply { } }

control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    counter(8, CounterType.packets_and_bytes) port_pkts;
    register<bit<16>>(4) ids;

    action drop() { mark_to_drop(sm); }
    action flood(bit<16> grp) { sm.mcast_grp = grp; }
    action learn() { digest<learn_t>(1, { hdr.eth.src, sm.ingress_port }); }
    action to_cpu() {
        sm.egress_spec = 64;
        hdr.pin.setValid();
        hdr.pin.ingress_port = sm.ingress_port;
    }
    action fwd(bit<9> port) { sm.egress_spec = port; }
    action set_port(bit<9> port, bit<48> dmac) { sm.egress_spec = port; hdr.eth.dst = dmac; }
    action deny() { mark_to_drop(sm); }
    action allow() { }
    action mark(bit<8> tos) { hdr.ipv4.tos = tos; }

    table l2 {
        key = { hdr.eth.dst : exact; }
        actions = { fwd; flood; to_cpu; learn; drop; }
        size = 4;
        default_action = drop();
    }
    table routes {
        key = { hdr.ipv4.dst : lpm; }
        actions = { set_port; drop; }
        size = 1024;
        default_action = drop();
    }
    table acl {
        key = { hdr.ipv4.src : ternary; hdr.ipv4.proto : ternary; }
        actions = { deny; allow; }
        size = 64;
        default_action = allow();
    }
    table fixed {
        key = { hdr.ipv4.tos : exact; }
        actions = { mark; }
        const default_action = mark(7);
    }
    table hosts {
        key = { hdr.ipv4.dst : exact; }
        actions = { fwd; NoAction; }
        size = 131072;
        default_action = NoAction();
    }
    table qos {
        key = { hdr.ipv4.ttl : range; hdr.ipv4.proto : optional; }
        actions = { mark; NoAction; }
        size = 64;
        default_action = NoAction();
    }
    apply {
        port_pkts.count((bit<32>)sm.ingress_port);
        if (hdr.pout.isValid()) {
            sm.egress_spec = hdr.pout.egress_port;
            if (hdr.pout.egress_port == 64) {
                hdr.pin.setValid();
                hdr.pin.ingress_port = 64;
            }
            hdr.pout.setInvalid();
        } else if (hdr.ipv4.isValid()) {
            bit<16> id;
            ids.read(id, 1);
            hdr.ipv4.id = id;
            routes.apply();
            acl.apply();
            fixed.apply();
            qos.apply();
            hosts.apply();
        } else {
            l2.apply();
        }
    }
}

control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout headers_t hdr, inout meta_t meta) { apply { } }
control D(packet_out pkt, in headers_t hdr) {
    apply { pkt.emit(hdr.pin); pkt.emit(hdr.eth); pkt.emit(hdr.ipv4); }
}

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
