/* wire.p4 - a two-port wire with things a controller reads and writes: the
 * p4lab example for the lab shell's P4Runtime verbs (docs/labs.md).
 *
 * Port 1 and port 2 forward to each other through the `wires` table (exact
 * on the ingress port).  Every packet counts in `rx` and leaves its length
 * in `last_len`, both indexed by the ingress port.  EtherType 0x88b5 goes to
 * the controller (CPU port 255) as a PacketIn carrying the ingress port;
 * a PacketOut leaves by the port its header names.  EtherType 0x88b6 sends
 * a digest of the source MAC and the ingress port. */
#include <core.p4>
#include <v1model.p4>

const bit<9> CPU_PORT = 255;

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
    bit<48> dst;
    bit<48> src;
    bit<16> ether_type;
}

struct headers_t {
    packet_out_t packet_out;
    packet_in_t  packet_in;
    ethernet_t   ethernet;
}

struct metadata_t { }

struct seen_t {
    bit<48> src;
    bit<9>  port;
}

parser WireParser(packet_in pkt, out headers_t hdr, inout metadata_t meta,
                  inout standard_metadata_t std_meta) {
    state start {
        transition select(std_meta.ingress_port) {
            CPU_PORT: parse_packet_out;
            default: parse_ethernet;
        }
    }
    state parse_packet_out {
        pkt.extract(hdr.packet_out);
        transition parse_ethernet;
    }
    state parse_ethernet {
        pkt.extract(hdr.ethernet);
        transition accept;
    }
}

control WireVerify(inout headers_t hdr, inout metadata_t meta) {
    apply { }
}

control WireIngress(inout headers_t hdr, inout metadata_t meta,
                    inout standard_metadata_t std_meta) {
    counter(512, CounterType.packets_and_bytes) rx;
    register<bit<32>>(512) last_len;

    action drop() {
        mark_to_drop(std_meta);
    }
    action forward(bit<9> port) {
        std_meta.egress_spec = port;
    }
    table wires {
        key = { std_meta.ingress_port: exact; }
        actions = { forward; drop; }
        default_action = drop();
        size = 64;
    }

    apply {
        if (hdr.packet_out.isValid()) {
            std_meta.egress_spec = hdr.packet_out.egress_port;
            hdr.packet_out.setInvalid();
            return;
        }
        rx.count((bit<32>)std_meta.ingress_port);
        last_len.write((bit<32>)std_meta.ingress_port, std_meta.packet_length);
        if (hdr.ethernet.ether_type == 0x88b5) {
            std_meta.egress_spec = CPU_PORT;
            hdr.packet_in.setValid();
            hdr.packet_in.ingress_port = std_meta.ingress_port;
            hdr.packet_in.pad = 0;
            return;
        }
        if (hdr.ethernet.ether_type == 0x88b6) {
            digest<seen_t>(1, { hdr.ethernet.src, std_meta.ingress_port });
        }
        wires.apply();
    }
}

control WireEgress(inout headers_t hdr, inout metadata_t meta,
                   inout standard_metadata_t std_meta) {
    apply { }
}

control WireCompute(inout headers_t hdr, inout metadata_t meta) {
    apply { }
}

control WireDeparser(packet_out pkt, in headers_t hdr) {
    apply {
        pkt.emit(hdr.packet_in);
        pkt.emit(hdr.ethernet);
    }
}

V1Switch(WireParser(), WireVerify(), WireIngress(), WireEgress(), WireCompute(),
         WireDeparser()) main;
