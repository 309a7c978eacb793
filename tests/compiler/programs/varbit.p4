/* varbit.p4 - IPv4 options as a varbit field extracted with a length
 * computed from ihl, emitted again, and covered by the updated checksum;
 * o.err is the parser's error (PacketTooShort 1, HeaderTooShort 4). */
#include <core.p4>
#include <v1model.p4>
header ipv4_t {
    bit<4> version; bit<4> ihl; bit<8> tos; bit<16> len; bit<16> id;
    bit<3> flags; bit<13> frag; bit<8> ttl; bit<8> proto; bit<16> csum;
    bit<32> src; bit<32> dst;
}
header opt_t { varbit<320> options; }
header o_t { bit<8> err; }
struct H { ipv4_t ipv4; opt_t opt; o_t o; }
struct M { }
parser P(packet_in p, out H hdr, inout M m, inout standard_metadata_t sm) {
    state start {
        p.extract(hdr.ipv4);
        p.extract(hdr.opt, ((bit<32>)hdr.ipv4.ihl - 5) * 32);
        transition accept;
    }
}
control VC(inout H hdr, inout M m) { apply { } }
control I(inout H hdr, inout M m, inout standard_metadata_t sm) {
    apply {
        sm.egress_spec = 1;
        hdr.ipv4.ttl = hdr.ipv4.ttl - 1;
        hdr.o.setValid();
        hdr.o.err = sm.parser_error == error.PacketTooShort ? 8w1 :
                    sm.parser_error == error.HeaderTooShort ? 8w4 : 8w0;
    }
}
control E(inout H hdr, inout M m, inout standard_metadata_t sm) { apply { } }
control CC(inout H hdr, inout M m) {
    apply {
        update_checksum(hdr.ipv4.isValid(),
            { hdr.ipv4.version, hdr.ipv4.ihl, hdr.ipv4.tos, hdr.ipv4.len, hdr.ipv4.id,
              hdr.ipv4.flags, hdr.ipv4.frag, hdr.ipv4.ttl, hdr.ipv4.proto,
              hdr.ipv4.src, hdr.ipv4.dst, hdr.opt.options },
            hdr.ipv4.csum, HashAlgorithm.csum16);
    }
}
control D(packet_out p, in H hdr) { apply { p.emit(hdr); } }
V1Switch(P(), VC(), I(), E(), CC(), D()) main;
