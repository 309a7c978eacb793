/* more.p4 - header stacks, local headers and structs, an if inside an
 * action, an action with a directional parameter bound in a table's
 * actions list, a direct call with arguments, user errors and verify,
 * lookahead, stack.last, push/pop and lastIndex, a function. */
#include <core.p4>
#include <v1model.p4>

error { BadTag }

header ethernet_t { bit<48> dst; bit<48> src; bit<16> type; }
header tag_t { bit<8> a; bit<8> b; }

struct headers_t {
    ethernet_t eth;
    tag_t[2] tags;
    tag_t one;
}

struct m_t { bit<8> x; bit<8> y; }

bit<8> clamp(in bit<8> v, in bit<8> hi) {
    bit<8> r = v;
    if (v > hi) {
        r = hi;
    }
    return r;
}

parser P(packet_in pkt, out headers_t hdr, inout m_t meta, inout standard_metadata_t sm) {
    state start {
        pkt.extract(hdr.eth);
        transition select(hdr.eth.type) {
            0x1234: parse_tags;
            default: accept;
        }
    }
    state parse_tags {
        meta.x = pkt.lookahead<bit<8>>();
        pkt.extract(hdr.tags.next);
        pkt.extract(hdr.tags.next);
        verify(hdr.tags[0].a != 0, error.BadTag);
        transition select(hdr.tags.last.b) {
            0: accept;
            default: accept;
        }
    }
}

control VC(inout headers_t hdr, inout m_t meta) { apply { } }

control I(inout headers_t hdr, inout m_t meta, inout standard_metadata_t sm) {
    action set_y(inout bit<8> target, bit<8> v) {
        if (v > 10) {
            target = v;
        } else {
            target = 10;
        }
        sm.egress_spec = 1;
    }
    action copy_first() {
        hdr.one = hdr.tags[0];
        hdr.tags.pop_front(1);
        meta.y = (bit<8>)hdr.tags.lastIndex;
        meta.x = clamp(hdr.tags[0].b, 100);
    }
    action port(bit<9> p) {
        sm.egress_spec = p;
    }
    table t {
        key = { hdr.eth.type : exact; }
        actions = { set_y(meta.y); NoAction; }
        default_action = NoAction();
    }
    apply {
        tag_t tmp;
        tmp.setValid();
        tmp.a = 1;
        tmp.b = hdr.eth.type[7:0];
        hdr.tags[1] = tmp;
        m_t saved = meta;
        t.apply();
        if (hdr.one.isValid()) {
            copy_first();
        }
        port(3);
        meta.x = saved.x;
    }
}

control E(inout headers_t hdr, inout m_t meta, inout standard_metadata_t sm) { apply { } }
control CC(inout headers_t hdr, inout m_t meta) { apply { } }
control D(packet_out pkt, in headers_t hdr) {
    apply { pkt.emit(hdr); }
}

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
