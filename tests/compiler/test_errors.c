/* test_errors.c - semantic errors: each case is a small invalid program
 * (a v1model skeleton with one piece changed) and the one diagnostic it must
 * produce, "err.p4:LINE:COL: error: MESSAGE".  Also checks that an invalid
 * program yields no output at all. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p4c.h"

/* The skeleton: @G@ top-level declarations, @L@ ingress locals, @A@ the
 * ingress apply body, @P@ the parse_ipv4 state's statements and transition. */
static const char skeleton[] =
	"#include <core.p4>\n"
	"#include <v1model.p4>\n"
	"header ethernet_t { bit<48> dst; bit<48> src; bit<16> type; }\n"
	"header ipv4_t { bit<8> ttl; bit<8> proto; bit<32> dst; }\n"
	"struct headers_t { ethernet_t eth; ipv4_t ipv4; }\n"
	"struct meta_t { bit<16> a; bool b; }\n"
	"@G@\n"
	"parser P(packet_in pkt, out headers_t hdr, inout meta_t meta,\n"
	"         inout standard_metadata_t sm) {\n"
	"    state start { pkt.extract(hdr.eth);\n"
	"        transition select(hdr.eth.type) { 0x800: parse_ipv4; default: accept; } }\n"
	"    state parse_ipv4 {\n"
	"@P@\n"
	"    }\n"
	"}\n"
	"control VC(inout headers_t hdr, inout meta_t meta) { apply { } }\n"
	"control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {\n"
	"    action drop() { mark_to_drop(sm); }\n"
	"    action fwd(bit<9> port) { sm.egress_spec = port; }\n"
	"@L@\n"
	"    apply {\n"
	"@A@\n"
	"    }\n"
	"}\n"
	"control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {\n"
	"    apply { }\n"
	"}\n"
	"control CC(inout headers_t hdr, inout meta_t meta) { apply { } }\n"
	"control D(packet_out pkt, in headers_t hdr) { apply { pkt.emit(hdr); } }\n"
	"V1Switch(P(), VC(), I(), E(), CC(), D()) main;\n";

struct tcase {
	const char *where;    /* "@G@", "@L@", "@A@", "@P@" */
	const char *text;     /* what goes there */
	int line, col;        /* of the error, line counted within text (1 = first) */
	const char *msg;
	const char *apply;    /* with where "@L@": the apply body too (else empty) */
	bool in_apply;        /* line counted within apply, not text */
};

#define PARSE_OK "        pkt.extract(hdr.ipv4); transition accept;"

/* Most cases leave the last two fields out. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct tcase cases[] = {
	{ "@A@", "        hdr.eth.type = hdr.eth.dst;", 1, 9,
	  "cannot assign a value of type bit<48> to bit<16>" },
	{ "@A@", "        meta.a = hdr.eth.type + hdr.eth.dst;", 1, 31,
	  "cannot apply '+' to bit<16> and bit<48>" },
	{ "@A@", "        foo = 1;", 1, 9, "undeclared name 'foo'" },
	{ "@A@", "        hdr.eth.nope = 1;", 1, 16, "header ethernet_t has no field 'nope'" },
	{ "@A@", "        if (hdr.eth.type) { drop(); }", 1, 13,
	  "condition must be a bool, found bit<16>" },
	{ "@A@", "        hdr.eth.type = 16w70000;", 1, 24,
	  "value of '16w70000' does not fit in bit<16>" },
	{ "@A@", "        meta.b = (bool)hdr.eth.type;", 1, 18, "cannot cast bit<16> to bool" },
	{ "@A@", "        meta.a = meta.a / 0;", 1, 25,
	  "division of values not known at compile time is not supported yet" },
	{ "@A@", "        meta.a = 16w4 / 0;", 1, 23, "division by zero" },
	{ "@A@", "        meta.a = meta.b;", 1, 9, "cannot assign a value of type bool to bit<16>" },
	{ "@A@", "        meta.b = meta.b && meta.a;", 1, 25, "cannot apply '&&' to bool and bit<16>" },
	{ "@A@", "        verify_checksum_with_payload(true, { hdr.eth.type }, hdr.eth.type, "
		 "HashAlgorithm.csum16);", 1, 9,
	  "verify_checksum_with_payload can only be called in V1Switch's verify checksum control" },
	{ "@G@", "control VC2(inout headers_t hdr, inout meta_t meta) {\n"
		 "    apply { update_checksum(true, { hdr.eth.type }, 8w1, HashAlgorithm.csum16); } }",
	  2, 53, "the checksum must be a field" },
	{ "@A@", "        digest(1, { hdr.eth.type });", 1, 9,
	  "digest needs its type here: digest<T>(receiver, data)" },
	{ "@A@", "        fwd(1, 2);", 1, 9, "too many arguments: 2 given, 1 expected" },
	{ "@A@", "        meta.a = hdr.eth.type[16:0];", 1, 30,
	  "slice bounds out of range for bit<16>" },
	{ "@P@", "        pkt.extract(hdr.ipv4); if (hdr.ipv4.ttl) { meta.a = 1; }\n"
		 "        transition accept;", 1, 36, "condition must be a bool, found bit<8>" },
	{ "@L@", "    table t { key = { hdr.eth.type : exact; } actions = { drop; }\n"
		 "              default_action = fwd(1); }", 2, 32,
	  "default action 'fwd' is not in the actions of table 't'" },
	{ "@L@", "    table t { key = { hdr.eth.type : fuzzy; } actions = { drop; } }", 1, 38,
	  "match kind 'fuzzy' is not supported yet" },
	{ "@L@", "    table t { key = { hdr.eth.type : exact; } actions = { drop; fwd; }\n"
		 "              const entries = { 0x800 : fwd(1, 2); } }", 2, 41,
	  "too many arguments: 2 given, 1 expected" },
	{ "@L@", "    table t { key = { hdr.eth.type : exact; } actions = { drop; }\n"
		 "              const entries = { (1, 2) : drop(); } }", 2, 33,
	  "entry has 2 key values, the table has 1 keys" },
	{ "@L@", "    action_profile(128) ap;\n"
		 "    table t { key = { hdr.eth.type : exact; hdr.eth.dst : selector; }\n"
		 "              actions = { drop; } implementation = ap; }", 2, 5,
	  "table 't' has 'selector' keys but no 'implementation = action_selector(...)'",
	  "        t.apply();" },
	{ "@G@", "counter(4, CounterType.packets) gc;\ncounter(4, CounterType.packets) gc;", 2, 1,
	  "redeclaration of 'gc'" },
	{ "@L@", "    @id(7) table t1 { key = { hdr.eth.type : exact; } actions = { drop; } }\n"
		 "    @id(7) table t2 { key = { hdr.eth.dst : exact; } actions = { drop; } }", 2, 12,
	  "@id 0x02000007 of 'I.t2' is already the @id of 'I.t1'",
	  "        t1.apply();\n        t2.apply();" },
	{ "@L@", "    table t { key = { hdr.eth.type : exact; hdr.eth.dst : exact @id(1); }\n"
		 "              actions = { drop; } }", 1, 45,
	  "key 'hdr.eth.dst' has the id 1 of key 'hdr.eth.type'" },
	{ "@L@", "    register<bit<8>>(4) r;\n    action a() { r.write(0, 16w1); }", 2, 29,
	  "expected bit<8>, found bit<16>", "        a();" },
	{ "@L@", "    counter(4, MeterType.bytes) c;", 1, 16,
	  "expected a CounterType, found enum MeterType" },
	{ "@L@", "    counter(4, CounterType.bytes) c;\n    action a() { c.count(); }", 2, 19,
	  "c.count() takes 1 arguments, 0 given", "        a();" },
	{ "@P@", "        pkt.extract(hdr.ipv4); transition parse_tcp;", 1, 43,
	  "parser P has no state named 'parse_tcp'" },
	{ "@P@", "        pkt.extract(meta.a); transition accept;", 1, 21,
	  "extract needs a header that can be written, found bit<16>" },
	{ "@G@", "const bit<8> C = C + 1;", 1, 18, "constant 'C' is defined in terms of itself" },
	{ "@G@", "header bad_t { bit<8> a; int<8> b; }", 1, 51,
	  "cannot cast bit<8> to int<16>: a cast changes the sign or the width, not both "
	  "(cast twice)", "        bad_t x; x.b = (int<8>)x.a; x.a = (bit<8>)(int<16>)x.a;", true },
	{ "@L@", "    table t { key = { hdr.eth.type : exact; } actions = { drop; } }", 2, 10,
	  "applying a table more than once is not supported yet",
	  "        t.apply();\n        t.apply();", true },
	{ "@L@", "    table t { key = { hdr.eth.type : exact; } actions = { drop; } }", 1, 14,
	  "'t.apply()' can only be used as a statement, in 'if (t.apply().hit)' or in "
	  "'switch (t.apply().action_run)'",
	  "        if (t.apply().hit && meta.b) { drop(); }", true },
	{ "@A@", "        switch (meta.b) { default: { } }", 1, 17,
	  "cannot switch on a value of type bool" },
	{ "@L@", "    table t { key = { hdr.eth.type : exact; } actions = { drop; fwd; } }", 3, 13,
	  "action 'drop' appears twice in this switch",
	  "        switch (t.apply().action_run) {\n            drop: { }\n"
	  "            drop: { }\n        }", true },
	{ "@L@", "    counter(4, CounterType.packets) m;\n"
		 "    table t { key = { hdr.eth.type : exact; } actions = { drop; }\n"
		 "              meters = m; }", 3, 24, "'meters' needs a direct_meter",
	  "        t.apply();" },
	{ "@A@", "        hdr.eth.setValid(1);", 1, 16, "setValid() takes no arguments" },
	{ "@A@", "        hdr.eth.type = (bit<16>)meta.b;", 1, 24, "cannot cast bool to bit<16>" },
	{ "@A@", "        meta.a = (bit<16>)(5 |+| 1);", 1, 30,
	  "'|+|' needs a fixed width: cast an operand to bit<W> or int<W>" },
	{ "@A@", "        meta.a = error.NoSuchError;", 1, 23, "no error named 'NoSuchError'" },
	{ "@A@", "        meta.b = hdr.eth.type == error.NoMatch;", 1, 31,
	  "cannot apply '==' to bit<16> and error" },
	{ "@A@", "        hdr.eth.isValid();", 1, 16, "method 'isValid' is not supported yet on "
	  "header ethernet_t" },
	{ "@P@", "        pkt.extract(hdr.ipv4); transition select(hdr.ipv4.ttl) { 9 .. 5: accept; }",
	  1, 68, "empty range: its low end is above its high end" },
	{ "@P@", "        pkt.extract(hdr.ipv4);\n"
		 "        transition select(hdr.ipv4.ttl, hdr.ipv4.proto) { 1: accept; }", 2, 59,
	  "select has 2 keys, this case has 1 values" },
	{ "@G@", "struct headers_t { bit<8> x; }", 1, 1, "redeclaration of 'headers_t'" },
	{ "@L@", "    action drop() { }", 1, 5, "redeclaration of 'drop'" },
	{ "@G@", "control Unused(inout headers_t hdr) { apply { hdr.eth.type = true; } }", 1, 47,
	  "cannot assign a value of type bool to bit<16>" },
	{ "@G@", "bit<8> f(in bit<8> x) { if (x == 0) { return 1; } x = 2; }", 1, 23,
	  "not every path through function 'f' ends with 'return' and its value",
	  "        meta.a = (bit<16>)f((bit<8>)meta.a);" },
	{ "@G@", "bit<8> f(in bit<8> x) { bit<8> y = x; }", 1, 25,
	  "function 'f' must end with 'return' and its value",
	  "        meta.a = (bit<16>)f(1);" },
	{ "@G@", "bit<8> f(out bit<8> x) { x = 1; return x; }", 1, 15,
	  "argument for out parameter 'x' must be a variable or a field",
	  "        if (f(1) == 2) { drop(); }", true },
	{ "@A@", "        bit<8> x = 1; bit<8> x = 2;", 1, 23, "redeclaration of 'x'" },
};

static char *instantiate(const struct tcase *c, int *line)
{
	size_t cap = sizeof(skeleton) + strlen(c->text) + (c->apply ? strlen(c->apply) : 0) + 64;
	char *out = malloc(cap), *o = out;
	const char *p = skeleton;
	int l = 1;
	*line = 0;
	while (*p) {
		if (p[0] == '@' && p[2] == '@' && strchr("GLAP", p[1])) {
			const char *text = "";
			if (!strncmp(p, c->where, 3)) {
				text = c->text;
				if (!c->in_apply)
					*line = l;
			} else if (p[1] == 'A' && c->apply) {
				text = c->apply;
				if (c->in_apply)
					*line = l;
			} else if (p[1] == 'P') {
				text = PARSE_OK;
			}
			o += sprintf(o, "%s", text);
			for (const char *q = text; *q; q++)
				l += *q == '\n';
			p += 3;
			continue;
		}
		l += *p == '\n';
		*o++ = *p++;
	}
	*o = '\0';
	return out;
}

int main(void)
{
	int failed = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *c = &cases[i];
		int base;
		char *src = instantiate(c, &base);
		char *diag = NULL;
		size_t dlen = 0;
		FILE *f = open_memstream(&diag, &dlen);
		struct p4c_output out;
		int rc = p4c_compile_source("err.p4", src, strlen(src), NULL, &out, f);
		fclose(f);
		char want[512];
		snprintf(want, sizeof(want), "err.p4:%d:%d: error: %s\n", base + c->line - 1,
			 c->col, c->msg);
		if (rc == 0 || out.bmv2_json || out.p4info_bin || out.p4info_txt) {
			printf("FAIL case %zu: compiled, expected '%s'\n", i, c->msg);
			failed++;
		} else if (!strstr(diag, want)) {
			printf("FAIL case %zu: expected\n  %s got\n%s\n", i, want, diag);
			failed++;
		} else {
			printf("ok   case %zu: %s", i, want);
		}
		free(diag);
		free(src);
		p4c_output_free(&out);
	}
	return failed ? 1 : 0;
}
