/* v1model.p4 - the packet replication engine through p4lab's compiler:
 * multicast with replication ids, ingress-to-egress clones (also of a dropped
 * packet), egress-to-egress clones, an unconfigured group.  The egress writes
 * what it saw (instance_type, egress_rid, egress_port) into an info header.
 * The EtherType picks the case; v1model.stf drives it. */
#include <core.p4>
#include <v1model.p4>

header eth_t {
    bit<48> dst;
    bit<48> src;
    bit<16> type;
}

header info_t {
    bit<32> itype;
    bit<16> rid;
    bit<16> port;
}

struct headers {
    eth_t eth;
    info_t info;
}

struct meta_t { }

parser P(packet_in pk, out headers h, inout meta_t m, inout standard_metadata_t sm) {
    state start {
        pk.extract(h.eth);
        transition accept;
    }
}

control VC(inout headers h, inout meta_t m) { apply { } }

control I(inout headers h, inout meta_t m, inout standard_metadata_t sm) {
    apply {
        if (h.eth.type == 1) {
            sm.mcast_grp = 1;
        } else if (h.eth.type == 2) {
            sm.egress_spec = 2;
            clone(CloneType.I2E, 5);
        } else if (h.eth.type == 3) {
            mark_to_drop(sm);
            clone(CloneType.I2E, 5);
        } else if (h.eth.type == 5) {
            sm.mcast_grp = 9;
        } else if (h.eth.type == 6) {
            clone(CloneType.I2E, 7);
            sm.egress_spec = 1;
        } else {
            sm.egress_spec = 1;
        }
    }
}

control E(inout headers h, inout meta_t m, inout standard_metadata_t sm) {
    apply {
        h.info.setValid();
        h.info.itype = sm.instance_type;
        h.info.rid = sm.egress_rid;
        h.info.port = (bit<16>)sm.egress_port;
        if (h.eth.type == 4 && sm.instance_type == 0) {
            clone(CloneType.E2E, 6);
        }
    }
}

control C(inout headers h, inout meta_t m) { apply { } }

control D(packet_out pk, in headers h) {
    apply {
        pk.emit(h.eth);
        pk.emit(h.info);
    }
}

V1Switch(P(), VC(), I(), E(), C(), D()) main;
