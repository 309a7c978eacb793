/* features.p4 - one program using most of what the compiler supports:
 * multi-field select with masks, const entries (exact, ternary, lpm),
 * default actions with arguments, hit/miss, switch on action_run, slices,
 * casts, concatenation, locals, @name, controller headers, checksums. */
#include <core.p4>
#include <v1model.p4>

const bit<16> TYPE_IPV4 = 0x800;
const bit<16> TYPE_VLAN = 0x8100;
const int BASE = 10;
const bit<8> DOUBLE = (bit<8>)(BASE * 2 + 1);

typedef bit<48> mac_t;

@controller_header("packet_in")
header packet_in_t {
    bit<9> ingress_port;
    bit<7> pad;
}

@controller_header("packet_out")
header packet_out_t {
    bit<9> egress_port;
    bit<7> pad;
}

header ethernet_t {
    mac_t dst;
    mac_t src;
    bit<16> type;
}

header vlan_t {
    bit<3> pcp;
    bit<1> dei;
    bit<12> vid;
    bit<16> type;
}

header ipv4_t {
    bit<4> version;
    bit<4> ihl;
    bit<8> tos;
    bit<16> len;
    bit<16> id;
    bit<3> flags;
    bit<13> frag;
    bit<8> ttl;
    bit<8> proto;
    bit<16> csum;
    bit<32> src;
    bit<32> dst;
}

struct headers_t {
    packet_in_t pin;
    packet_out_t pout;
    ethernet_t eth;
    vlan_t vlan;
    ipv4_t ipv4;
}

struct inner_t {
    bit<8> x;
    bool flag;
}

struct meta_t {
    bit<16> l4;
    inner_t inner;
}

parser P(packet_in pkt, out headers_t hdr, inout meta_t meta,
         inout standard_metadata_t sm) {
    state start {
        pkt.extract(hdr.eth);
        transition select(hdr.eth.type) {
            TYPE_VLAN: parse_vlan;
            TYPE_IPV4: parse_ipv4;
            default: accept;
        }
    }
    state parse_vlan {
        pkt.extract(hdr.vlan);
        transition select(hdr.vlan.vid, hdr.vlan.type) {
            (12w0 &&& 12w0xf00, TYPE_IPV4): parse_ipv4;
            (_, _): accept;
        }
    }
    state parse_ipv4 {
        pkt.extract(hdr.ipv4);
        meta.l4 = hdr.ipv4.len - 20;
        transition select(hdr.ipv4.version ++ hdr.ipv4.ihl) {
            0x45: accept;
            default: reject;
        }
    }
}

control VC(inout headers_t hdr, inout meta_t meta) {
    apply {
        verify_checksum(hdr.ipv4.isValid(),
            { hdr.ipv4.version, hdr.ipv4.ihl, hdr.ipv4.tos, hdr.ipv4.len,
              hdr.ipv4.id, hdr.ipv4.flags, hdr.ipv4.frag, hdr.ipv4.ttl,
              hdr.ipv4.proto, hdr.ipv4.src, hdr.ipv4.dst },
            hdr.ipv4.csum, HashAlgorithm.csum16);
    }
}

control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    bit<8> count = 0;

    action drop() {
        mark_to_drop(sm);
    }
    @name("fwd")
    action forward(mac_t dmac, bit<9> port) {
        sm.egress_spec = port;
        hdr.eth.dst = dmac;
        hdr.ipv4.ttl = hdr.ipv4.ttl - 1;
    }
    action set_tos(bit<6> dscp) {
        hdr.ipv4.tos[7:2] = dscp;
        meta.inner.flag = true;
    }
    action to_cpu() {
        hdr.pin.setValid();
        hdr.pin.ingress_port = sm.ingress_port;
        sm.egress_spec = 510;
    }

    table routes {
        key = { hdr.ipv4.dst : lpm @name("dst"); }
        actions = { forward; drop; to_cpu; }
        size = 512;
        default_action = drop();
    }

    table classify {
        key = {
            hdr.ipv4.proto : exact;
            hdr.ipv4.src   : ternary;
        }
        actions = { set_tos; NoAction; }
        const default_action = set_tos(7);
        const entries = {
            (6, 0x0a000000 &&& 0xff000000) : set_tos(1);
            (17, _) : set_tos(2);
            (1, 0x0b000001) : NoAction();
        }
    }

    @name("vlan_table") @id(0x0200abcd)
    table vlans {
        key = { hdr.vlan.vid : exact; hdr.vlan.isValid() : exact; }
        actions = { NoAction; drop; }
    }

    apply {
        count = count + DOUBLE;
        meta.inner.x = (bit<8>)hdr.ipv4.len ^ 8w0x0f;
        if (hdr.ipv4.isValid()) {
            if (routes.apply().hit) {
                switch (classify.apply().action_run) {
                    set_tos: { meta.l4 = 0; }
                    default: { vlans.apply(); }
                }
            } else {
                drop();
            }
        } else if (!meta.inner.flag) {
            exit;
        }
        sm.egress_spec = sm.egress_spec | (bit<9>)(bit<1>)meta.inner.flag;
    }
}

control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
    apply {
        if (sm.egress_port == 2 && hdr.vlan.isValid()) {
            hdr.vlan.setInvalid();
            hdr.eth.type = TYPE_IPV4;
        }
    }
}

control CC(inout headers_t hdr, inout meta_t meta) {
    apply {
        update_checksum(hdr.ipv4.isValid(),
            { hdr.ipv4.version, hdr.ipv4.ihl, hdr.ipv4.tos, hdr.ipv4.len,
              hdr.ipv4.id, hdr.ipv4.flags, hdr.ipv4.frag, hdr.ipv4.ttl,
              hdr.ipv4.proto, hdr.ipv4.src, hdr.ipv4.dst },
            hdr.ipv4.csum, HashAlgorithm.csum16);
    }
}

control D(packet_out pkt, in headers_t hdr) {
    apply {
        pkt.emit(hdr.pin);
        pkt.emit(hdr.eth);
        pkt.emit(hdr.vlan);
        pkt.emit(hdr.ipv4);
    }
}

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
