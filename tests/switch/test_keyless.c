/* test_keyless.c - tables without a key: a program's own (key = {}) and the
 * compiler's hidden tbl_act* ones.  They run their default action on every
 * packet, refuse entries with a message naming the table, report no slots,
 * and take a new default action.  The program is compiled here by p4lab's
 * compiler and loaded into the switch library.
 *
 * usage: test_keyless */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p4c.h"
#include "switch.h"

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

/* set_out runs from the keyless table's default action; the assignment after
 * it becomes a hidden tbl_act* table. */
static const char prog[] =
	"#include <core.p4>\n"
	"#include <v1model.p4>\n"
	"header h_t { bit<8> a; bit<8> b; }\n"
	"struct hs_t { h_t h; }\n"
	"struct m_t { }\n"
	"parser P(packet_in pk, out hs_t hdr, inout m_t m, inout standard_metadata_t sm) {\n"
	"    state start { pk.extract(hdr.h); transition accept; }\n"
	"}\n"
	"control VC(inout hs_t hdr, inout m_t m) { apply { } }\n"
	"control I(inout hs_t hdr, inout m_t m, inout standard_metadata_t sm) {\n"
	"    action set_out(bit<9> port, bit<8> v) { sm.egress_spec = port; hdr.h.b = v; }\n"
	"    table keyless {\n"
	"        actions = { set_out; NoAction; }\n"
	"        default_action = set_out(2, 0x5a);\n"
	"    }\n"
	"    apply { keyless.apply(); hdr.h.a = hdr.h.a + 1; }\n"
	"}\n"
	"control E(inout hs_t hdr, inout m_t m, inout standard_metadata_t sm) { apply { } }\n"
	"control CC(inout hs_t hdr, inout m_t m) { apply { } }\n"
	"control D(packet_out pk, in hs_t hdr) { apply { pk.emit(hdr.h); } }\n"
	"V1Switch(P(), VC(), I(), E(), CC(), D()) main;\n";

/* Sends {a, 0} in on port 1; returns the egress port and the bytes out. */
static int send(struct sw_switch *sw, uint8_t a, uint8_t out[2])
{
	uint8_t pkt[2] = { a, 0 }, *o = NULL;
	int port = sw_process(sw, 1, pkt, sizeof(pkt));
	if (port < 0)
		return port;
	int n = sw_port_take(sw, (uint32_t)port, &o);
	if (n == 2)
		memcpy(out, o, 2);
	free(o);
	return n == 2 ? port : -EIO;
}

int main(void)
{
	struct p4c_output po = { 0 };
	struct p4c_options popt = { 0 };
	struct p4l_err err;
	struct sw_switch *sw = NULL;
	if (p4c_compile_source("keyless.p4", prog, sizeof(prog) - 1, &popt, &po, stderr) < 0) {
		fprintf(stderr, "keyless.p4 does not compile\n");
		return 1;
	}
	if (sw_create(&sw, po.bmv2_json, po.bmv2_json_len, "keyless.json", &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		p4c_output_free(&po);
		return 1;
	}
	for (uint32_t p = 1; p <= 3; p++)
		CHECK(sw_port_add_mem(sw, p, &err) == 0, "%s", err.msg);

	/* The default action runs on every packet. */
	uint8_t out[2];
	CHECK(send(sw, 7, out) == 2, "keyless default action: out on port 2");
	CHECK(out[0] == 8 && out[1] == 0x5a, "bytes out %02x %02x (want 08 5a)", out[0], out[1]);

	/* Every keyless table, the program's and the hidden ones, refuses entries
	 * and has no slots. */
	int keyless = sw_table_find(sw, "keyless", &err), hidden = 0;
	CHECK(keyless >= 0, "%s", err.msg);
	for (size_t t = 0; t < sw_table_count(sw); t++) {
		const struct sw_table_info *ti = sw_table_get(sw, t);
		struct sw_table_stats st;
		CHECK(sw_table_stats(sw, t, &st) == 0 && st.capacity == 0 && st.entries == 0,
		      "table %s: %llu slots", ti->name, (unsigned long long)st.capacity);
		int a = sw_action_find(sw, t, (int)t == keyless ? "set_out" : "NoAction", &err);
		if (a < 0) {  /* a hidden table allows only its own action */
			CHECK(sw_action_count(sw) > 0, "no actions");
			for (size_t i = 0; i < sw_action_count(sw) && a < 0; i++)
				a = sw_action_find(sw, t, sw_action_get(sw, i)->name, &err);
		}
		CHECK(a >= 0, "table %s: no action to try", ti->name);
		if (a < 0)
			continue;
		uint16_t p9 = 3;
		uint8_t v = 1, pb[2] = { (uint8_t)(p9 >> 8), (uint8_t)p9 };
		struct sw_bytes args[2] = { { pb, 2 }, { &v, 1 } };
		int r = sw_table_add(sw, t, NULL, 0, (size_t)a, args, &err);
		char want[256];
		snprintf(want, sizeof(want), "table %s has no key: it takes no entries, only a "
			 "default action", ti->name);
		CHECK(r == -EINVAL && !strcmp(err.msg, want), "add to %s: %d %s", ti->name, r,
		      r < 0 ? err.msg : "(accepted)");
		CHECK(sw_table_entry_count(sw, t) == 0, "table %s has entries", ti->name);
		if (!strncmp(ti->name, "tbl_", 4))
			hidden++;
	}
	CHECK(hidden >= 1, "the compiler made no hidden keyless table");
	CHECK(send(sw, 7, out) == 2 && out[0] == 8 && out[1] == 0x5a, "unchanged after refusals");

	/* The default action can still change. */
	int a = sw_action_find(sw, (size_t)keyless, "set_out", &err);
	uint8_t pb[2] = { 0, 3 }, v = 0x11;
	struct sw_bytes args[2] = { { pb, 2 }, { &v, 1 } };
	CHECK(a >= 0 && sw_table_set_default(sw, (size_t)keyless, (size_t)a, args, &err) == 0,
	      "%s", err.msg);
	CHECK(send(sw, 40, out) == 3, "new default action: out on port 3");
	CHECK(out[0] == 41 && out[1] == 0x11, "bytes out %02x %02x (want 29 11)", out[0], out[1]);

	sw_destroy(sw);
	p4c_output_free(&po);
	if (failures)
		fprintf(stderr, "%d checks failed\n", failures);
	return failures ? 1 : 0;
}
