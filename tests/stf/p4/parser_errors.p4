/* parser_errors.p4 - parser error paths: verify() with a program's own
 * error, a packet too short for a header, a select with no matching case.
 * In v1model the packet is not dropped: ingress sees standard_metadata
 * .parser_error and, here, writes it into an out header. */
#include <core.p4>
#include <v1model.p4>

error { BadKind }

header h_t {
    bit<8> kind;
    bit<8> len;
}

header x_t {
    bit<16> v;
}

header out_t {
    bit<32> err;
}

struct headers {
    h_t h;
    x_t x;
    out_t o;
}

struct meta_t { }

parser P(packet_in pk, out headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    state start {
        pk.extract(hdr.h);
        verify(hdr.h.kind != 0xff, error.BadKind);
        transition select(hdr.h.kind) {
            1: parse_x;
            2: accept;
        }
    }
    state parse_x {
        pk.extract(hdr.x);
        transition accept;
    }
}

control VC(inout headers hdr, inout meta_t m) { apply { } }

control I(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    apply {
        hdr.o.setValid();
        if (sm.parser_error == error.NoError) {
            hdr.o.err = 0;
        } else if (sm.parser_error == error.PacketTooShort) {
            hdr.o.err = 1;
        } else if (sm.parser_error == error.NoMatch) {
            hdr.o.err = 2;
        } else if (sm.parser_error == error.BadKind) {
            hdr.o.err = 3;
        } else {
            hdr.o.err = 4;
        }
        sm.egress_spec = 1;
    }
}

control E(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) { apply { } }

control C(inout headers hdr, inout meta_t m) { apply { } }

control D(packet_out pk, in headers hdr) {
    apply {
        pk.emit(hdr.h);
        pk.emit(hdr.x);
        pk.emit(hdr.o);
    }
}

V1Switch(P(), VC(), I(), E(), C(), D()) main;
