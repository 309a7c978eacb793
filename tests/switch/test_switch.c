/* test_switch.c - unit tests of the switch library: the loader's error
 * messages on broken programs, the match engines against a brute-force
 * oracle, runtime.json entries (good and bad), text values, and packets
 * through the pipeline on in-memory ports.
 *
 * usage: test_switch PROGS_DIR (the folder holding basic.json) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "file.h"
#include "switch.h"

static int failures;
static const char *dir;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

static char *read_prog(const char *name, size_t *len)
{
	char path[4096], *text;
	struct p4l_err err;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (p4l_read_file(path, &text, len, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		exit(1);
	}
	return text;
}

/* basic.json with the first occurrence of from replaced by to. */
static char *mutate(const char *base, const char *from, const char *to)
{
	const char *at = strstr(base, from);
	if (!at) {
		fprintf(stderr, "mutation source not found: %s\n", from);
		exit(1);
	}
	size_t a = (size_t)(at - base), fl = strlen(from), tl = strlen(to), bl = strlen(base);
	char *out = malloc(bl - fl + tl + 1);
	memcpy(out, base, a);
	memcpy(out + a, to, tl);
	memcpy(out + a + tl, at + fl, bl - a - fl + 1);
	return out;
}

static void test_loader_errors(void)
{
	static const struct { const char *from, *to, *want; } cases[] = {
		{ "{\n  \"__meta__\"", "{\n  \"__meta__\" 1,",
		  "prog.json:2:14: ':' expected near '1'" },
		{ "\"match_type\": \"lpm\", \"name\"", "\"match_type\": \"lpm_plus\", \"name\"",
		  "prog.json: pipelines[0].tables[0].key[0]: match_type \"lpm_plus\" is not supported" },
		{ "\"target\": [\"ipv4\", \"dstAddr\"]", "\"target\": [\"ipv4\", \"dst\"]",
		  "prog.json: pipelines[0].tables[0].key[0]: header \"ipv4\" has no field \"dst\"" },
		{ "{\"op\": \"mark_to_drop\"", "{\"op\": \"bit_xor\"",
		  "prog.json: actions[1].primitives[0]: primitive \"bit_xor\" is not supported" },
		{ "\"next_state\": \"parse_ipv4\"", "\"next_state\": \"parse_ip\"",
		  "prog.json: parsers[0].parse_states[0].transitions[0]: no parse state named \"parse_ip\"" },
		{ "\"algo\": \"csum16\"", "\"algo\": \"crc8\"",
		  "prog.json: calculations[0]: algorithm \"crc8\" is not supported (csum16, crc16, "
		  "crc32, identity, xor16, crc16_custom, crc32_custom and random are)" },
		{ "\"pipelines\"", "\"pipelinez\"",
		  "prog.json: (top): \"pipelines\" must be an array" },
		{ "\"header_unions\": []", "\"header_unions\": [{\"name\": \"u\"}]",
		  "prog.json: header_unions[0]: \"header_ids\" must be an array" },
		{ "\"header_stacks\": []", "\"header_stacks\": [{\"name\": \"s\", \"header_ids\": [9]}]",
		  "prog.json: header_stacks[0]: header_ids[0]: no header instance with that id" },
		{ "\"header_stacks\": []", "\"header_stacks\": [{\"name\": \"s\", \"header_ids\": []}]",
		  "prog.json: header_stacks[0]: a header stack needs at least one element" },
		{ "\"header_stacks\": []", "\"header_stacks\": [{\"name\": \"s\", \"header_ids\": [2, 3]}]",
		  "prog.json: header_stacks[0]: header_ids[1]: elements of one stack differ in type" },
		{ "\"header_unions\": []", "\"header_unions\": [{\"name\": \"u\", \"header_ids\": [2, 2]}]",
		  "prog.json: header_unions[0]: header_ids[1]: header \"ethernet\" is in two unions" },
		{ "\"counter_arrays\": []", "\"counter_arrays\": [{\"name\": \"c\", \"size\": 0}]",
		  "prog.json: counter_arrays[0]: size must be between 1 and 16777216" },
		{ "\"register_arrays\": []",
		  "\"register_arrays\": [{\"name\": \"r\", \"size\": 4, \"bitwidth\": 65}]",
		  "prog.json: register_arrays[0]: registers wider than 64 bits are not supported" },
		{ "\"meter_arrays\": []",
		  "\"meter_arrays\": [{\"name\": \"m\", \"size\": 16777217, \"type\": \"bytes\"}]",
		  "prog.json: meter_arrays[0]: size must be between 1 and 16777216" },
		{ "\"counter_arrays\": []", "\"counter_arrays\": [{\"name\": \"c\", \"is_direct\": true, "
		  "\"binding\": \"MyIngress.nope\"}]",
		  "prog.json: counter_arrays[0]: direct counter bound to \"MyIngress.nope\", which is no table" },
		{ "\"meter_arrays\": []", "\"meter_arrays\": [{\"name\": \"m\", \"size\": 1, \"type\": "
		  "\"packets\", \"is_direct\": true, \"binding\": \"t\", \"result_target\": [\"m\", \"c\"]}]",
		  "prog.json: meter_arrays[0]: direct meter bound to \"t\", which is no table" },
		{ "[\"ttl\", 8, false]", "[\"ttl\", 80, true]",
		  "prog.json: header_types[3].fields[7]: signed field \"ttl\" is wider than 64 bits" },
		{ "{\"op\": \"&\", \"left\"", "{\"op\": \"%\", \"left\"",
		  "prog.json: actions[2].primitives[3].parameters[1].value: expression operator \"%\" is not supported" },
		{ "\"true_next\": \"MyIngress.ipv4_lpm\"", "\"true_next\": \"MyIngress.nope\"",
		  "prog.json: pipelines[0].conditionals[0].true_next: no table, conditional or action call named \"MyIngress.nope\"" },
		{ "\"action_ids\": [2, 1, 0], \"actions\": [\"MyIngress.ipv4_forward\"",
		  "\"action_ids\": [2, 1, 0], \"actions\": [\"MyIngress.fwd\"",
		  "prog.json: pipelines[0].tables[0].actions[0]: no action named \"MyIngress.fwd\"" },
		{ "\"default_entry\": {\"action_id\": 1", "\"default_entry\": {\"action_id\": 7",
		  "prog.json: pipelines[0].tables[0].default_entry: no action with id 7" },
		{ "\"type\": \"simple\"", "\"type\": \"indirect\"",
		  "prog.json: pipelines[0].tables[0]: \"action_profile\" must name one of the "
		  "pipeline's action_profiles" },
		{ "\"type\": \"simple\"", "\"type\": \"direct_ws\"",
		  "prog.json: pipelines[0].tables[0]: table type \"direct_ws\" is not supported" },
		{ "[\"srcAddr\", 48, false]", "[\"srcAddr\", \"*\"]",
		  "prog.json: header_types[2].fields[1]: a varbit field (\"*\") must be the header's last" },
		{ "{\"type\": \"regular\", \"value\": \"ipv4\"}", "{\"type\": \"union_stack\", \"value\": \"ipv4\"}",
		  "prog.json: parsers[0].parse_states[1].parser_ops[0].parameters[0]: extract of type \"union_stack\" takes [\"union stack\", \"member\"]" },
		{ "{\"type\": \"regular\", \"value\": \"ipv4\"}", "{\"type\": \"stack\", \"value\": \"ipv4\"}",
		  "prog.json: parsers[0].parse_states[1].parser_ops[0].parameters[0]: no header stack named \"ipv4\"" },
	};
	size_t len;
	char *base = read_prog("basic.json", &len);
	struct sw_switch *sw;
	struct p4l_err err;
	CHECK(sw_create(&sw, base, len, "prog.json", &err) == 0, "%s", err.msg);
	sw_destroy(sw);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *bad = mutate(base, cases[i].from, cases[i].to);
		memset(&err, 0, sizeof(err));
		int r = sw_create(&sw, bad, strlen(bad), "prog.json", &err);
		CHECK(r < 0 && !sw, "case %zu loaded", i);
		if (r == 0)
			sw_destroy(sw);
		CHECK(strstr(err.msg, cases[i].want) != NULL, "case %zu: got '%s', want '%s'", i,
		      err.msg, cases[i].want);
		free(bad);
	}
	/* 128-bit arithmetic is refused, with its path. */
	char *wide = mutate(base, "[\"ttl\", 8, false]", "[\"ttl\", 128, false]");
	CHECK(sw_create(&sw, wide, strlen(wide), "prog.json", &err) < 0 &&
	      strstr(err.msg, "prog.json: actions[2].primitives[3].parameters[1]: "
		     "operation on a 128-bit value"), "%s", err.msg);
	free(wide);
	free(base);
}

/* The engines' own tests (against brute-force oracles, concurrency) are in
 * test_engine.c. */

static uint32_t rnd(void)
{
	static uint64_t s = 88172645463325252ull;
	s ^= s << 13, s ^= s >> 7, s ^= s << 17;
	return (uint32_t)s;
}

/* ---- values and runtime.json entries ----------------------------------------- */

static void test_values(void)
{
	uint8_t b[16];
	size_t n;
	CHECK(sw_value_parse("10.0.1.1", b, 16, &n) == 0 && n == 4 && b[0] == 10 && b[3] == 1, "ipv4");
	CHECK(sw_value_parse("08:00:00:00:01:11", b, 16, &n) == 0 && n == 6 && b[5] == 0x11, "mac");
	CHECK(sw_value_parse("0x0a0b", b, 16, &n) == 0 && n == 2 && b[1] == 0x0b, "hex");
	CHECK(sw_value_parse("511", b, 16, &n) == 0 && n == 2 && b[0] == 1 && b[1] == 0xff, "dec");
	CHECK(sw_value_parse("2001:db8::1", b, 16, &n) == 0 && n == 16 && b[15] == 1, "ipv6");
	CHECK(sw_value_parse("12x", b, 16, &n) == -EINVAL, "junk");
	CHECK(sw_value_parse("0x", b, 16, &n) == -EINVAL, "empty hex");
	CHECK(sw_value_parse("0x112233", b, 2, &n) == -ERANGE, "too big");
	CHECK(sw_value_parse("0x001", b, 16, &n) == 0 && n == 2 && b[0] == 0 && b[1] == 1, "odd hex");
	CHECK(sw_value_parse("0x0g", b, 16, &n) == -EINVAL, "bad hex digit");
	CHECK(sw_value_parse("-1", b, 16, &n) == -EINVAL, "negative");
	CHECK(sw_value_parse("65536", b, 2, &n) == -ERANGE, "decimal too big");
	CHECK(sw_value_parse("0", b, 4, &n) == 0 && n == 1 && b[0] == 0, "zero");
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void test_entries(void)
{
	static const struct { const char *entry, *want; } bad[] = {
		{ "{\"table\": \"MyIngress.nope\", \"action_name\": \"x\"}",
		  "entries.json: entry 0: no table named 'MyIngress.nope'" },
		{ "{\"table\": \"MyIngress.ipv4_lpm\", \"action_name\": \"MyIngress.fly\"}",
		  "entries.json: entry 0: table MyIngress.ipv4_lpm has no action named 'MyIngress.fly'" },
		{ "{\"table\": \"MyIngress.ipv4_lpm\", \"match\": {\"hdr.ipv4.src\": [\"10.0.0.1\", 32]},"
		  " \"action_name\": \"MyIngress.drop\", \"action_params\": {}}",
		  "entries.json: entry 0: table MyIngress.ipv4_lpm has no key field 'hdr.ipv4.src'" },
		{ "{\"table\": \"MyIngress.ipv4_lpm\", \"match\": {\"hdr.ipv4.dstAddr\": [\"10.0.0.1\", 32]},"
		  " \"action_name\": \"MyIngress.ipv4_forward\", \"action_params\": {\"dstAddr\": 1, \"prt\": 1}}",
		  "entries.json: entry 0: action MyIngress.ipv4_forward has no parameter 'prt'" },
		{ "{\"table\": \"MyIngress.ipv4_lpm\", \"match\": {\"hdr.ipv4.dstAddr\": [\"10.0.0.1\", 32]},"
		  " \"action_name\": \"MyIngress.ipv4_forward\", \"action_params\": {\"dstAddr\": 1, \"port\": 600}}",
		  "entries.json: entry 0: action MyIngress.ipv4_forward parameter port: value does not fit in 9 bits" },
		{ "{\"table\": \"MyIngress.ipv4_lpm\", \"match\": {\"hdr.ipv4.dstAddr\": [\"10.0.0.1\", 33]},"
		  " \"action_name\": \"MyIngress.drop\"}",
		  "entries.json: entry 0: key hdr.ipv4.dstAddr: prefix length 33 is longer than 32 bits" },
		{ "{\"table\": \"MyIngress.ipv4_lpm\", \"match\": {\"hdr.ipv4.dstAddr\": \"10.0.0.1\"},"
		  " \"action_name\": \"MyIngress.drop\"}",
		  "entries.json: entry 0: key hdr.ipv4.dstAddr: an lpm match is [value, prefix_length]" },
		{ "{\"table\": \"MyIngress.ipv4_lpm\", \"match\": {\"hdr.ipv4.dstAddr\": [\"10.0.0.1\", 8]},"
		  " \"action_name\": \"MyIngress.drop\", \"priority\": 3}",
		  "entries.json: entry 0: table MyIngress.ipv4_lpm takes no \"priority\"" },
		{ "{\"table\": \"MyIngress.ipv4_lpm\", \"match\": {\"hdr.ipv4.dstAddr\": [\"10.0.0.x\", 8]},"
		  " \"action_name\": \"MyIngress.drop\"}",
		  "entries.json: entry 0: key hdr.ipv4.dstAddr: '10.0.0.x' is not a valid value" },
	};
	char path[4096], prog[4096];
	struct p4l_err err;
	struct sw_switch *sw;
	snprintf(prog, sizeof(prog), "%s/basic.json", dir);
	snprintf(path, sizeof(path), "%s/basic-entries.json", dir);
	CHECK(sw_create_from_file(&sw, prog, &err) == 0, "%s", err.msg);
	CHECK(sw_load_entries(sw, path, &err) == 0, "%s", err.msg);
	CHECK(sw_table_entry_count(sw, 0) == 2, "2 entries");
	/* the same entries again are duplicates */
	CHECK(sw_load_entries(sw, path, &err) < 0 &&
	      strstr(err.msg, "entry 1: table MyIngress.ipv4_lpm: an entry with this key already exists"),
	      "%s", err.msg);
	sw_destroy(sw);
	char tdir[] = "/tmp/p4lab-sw-XXXXXX", tmp[64];
	if (!mkdtemp(tdir)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(tmp, sizeof(tmp), "%s/entries.json", tdir);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[2048];
		snprintf(text, sizeof(text), "{\"table_entries\": [%s]}", bad[i].entry);
		write_text(tmp, text);
		CHECK(sw_create_from_file(&sw, prog, &err) == 0, "%s", err.msg);
		memset(&err, 0, sizeof(err));
		CHECK(sw_load_entries(sw, tmp, &err) < 0 && strstr(err.msg, bad[i].want),
		      "case %zu: got '%s', want '%s'", i, err.msg, bad[i].want);
		sw_destroy(sw);
	}
	write_text(tmp, "{\"multicast_group_entries\": [{\"multicast_group_id\": 1}]}");
	CHECK(sw_create_from_file(&sw, prog, &err) == 0, "%s", err.msg);
	CHECK(sw_load_entries(sw, tmp, &err) == -ENOTSUP &&
	      strstr(err.msg, "multicast_group_entries are not supported yet"), "%s", err.msg);
	sw_destroy(sw);
	remove(tmp);
	rmdir(tdir);
}

/* ---- packets through the pipeline ---------------------------------------------- */

/* Writes text to a temporary file and loads it as entries into sw. */
static int load_text(struct sw_switch *sw, const char *text, struct p4l_err *err)
{
	char tdir[] = "/tmp/p4lab-sw-XXXXXX", tmp[64];
	if (!mkdtemp(tdir)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(tmp, sizeof(tmp), "%s/entries.json", tdir);
	write_text(tmp, text);
	memset(err, 0, sizeof(*err));
	int r = sw_load_entries(sw, tmp, err);
	remove(tmp);
	rmdir(tdir);
	return r;
}

/* range_optional.json (tests/stf/p4/range_optional.p4 compiled): I.l2
 * (exact, default set_port(1)), I.acl (a: range, op: optional; a hit sets
 * flags), I.by_port (ingress_port: range, b: exact; sets res).  Omitted
 * range and optional keys are wildcards, omitted exact keys errors, and the
 * priority error names the kinds the table has. */
static void test_entries_wildcards(void)
{
	static const struct { const char *prog, *entry, *want; } bad[] = {
		{ "range", "{\"table\": \"I.acl\", \"match\": {\"hdr.h.a\": [1, 2]}, "
		  "\"action_name\": \"set_cls\", \"action_params\": {\"c\": 1}}",
		  "entries.json: entry 0: table I.acl has range and optional keys: \"priority\" is "
		  "required" },
		{ "range", "{\"table\": \"I.by_port\", \"match\": {\"hdr.h.b\": 1}, "
		  "\"action_name\": \"NoAction\"}",
		  "entries.json: entry 0: table I.by_port has range keys: \"priority\" is required" },
		{ "range", "{\"table\": \"I.by_port\", \"match\": {\"sm.ingress_port\": [1, 2]}, "
		  "\"action_name\": \"NoAction\", \"priority\": 1}",
		  "entries.json: entry 0: key hdr.h.b is missing" },
		{ "range", "{\"table\": \"I.l2\", \"action_name\": \"set_port\", "
		  "\"action_params\": {\"port\": 1}}", "entries.json: entry 0: key hdr.ethernet.dst is missing" },
		{ "range", "{\"table\": \"I.acl\", \"match\": {\"hdr.h.a\": [9, 2]}, "
		  "\"action_name\": \"NoAction\", \"priority\": 1}",
		  "entries.json: entry 0: table I.acl: key hdr.h.a: range low bound 9 is above the high "
		  "bound 2" },
		{ "hit", "{\"table\": \"MyIngress.acl\", \"action_name\": \"MyIngress.drop\"}",
		  "entries.json: entry 0: table MyIngress.acl has ternary and range keys: \"priority\" "
		  "is required" },
	};
	char range[4096], hit[4096];
	struct p4l_err err;
	struct sw_switch *sw;
	snprintf(range, sizeof(range), "%s/../../stf/json/range_optional.json", dir);
	snprintf(hit, sizeof(hit), "%s/hit_index.json", dir);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[2048];
		snprintf(text, sizeof(text), "{\"table_entries\": [%s]}", bad[i].entry);
		CHECK(sw_create_from_file(&sw, bad[i].prog[0] == 'r' ? range : hit, &err) == 0, "%s",
		      err.msg);
		CHECK(load_text(sw, text, &err) < 0 && strstr(err.msg, bad[i].want),
		      "case %zu: got '%s', want '%s'", i, err.msg, bad[i].want);
		sw_destroy(sw);
	}
	/* a larger priority wins: op left out (any), then a left out (0..0xffff),
	 * ingress_port left out (0..511) */
	const char *good = "{\"table_entries\": ["
		"{\"table\": \"I.acl\", \"match\": {\"hdr.h.a\": [256, \"0x01ff\"]}, \"priority\": 10,"
		" \"action_name\": \"set_cls\", \"action_params\": {\"c\": 17}},"
		"{\"table\": \"I.acl\", \"match\": {\"hdr.h.op\": 7}, \"priority\": 5,"
		" \"action_name\": \"set_cls\", \"action_params\": {\"c\": 51}},"
		"{\"table\": \"I.by_port\", \"match\": {\"hdr.h.b\": 1}, \"priority\": 1,"
		" \"action_name\": \"set_res\", \"action_params\": {\"v\": \"0xaaaa\"}}]}";
	static const struct { uint32_t port; uint8_t op, a0, a1, b1, flags, res0; } pk[] = {
		{ 0, 6, 0x01, 0x50, 0, 0x11, 0 },       /* a in range, op any */
		{ 0, 7, 0x01, 0x50, 0, 0x11, 0 },       /* both match: 10 beats 5 */
		{ 0, 7, 0xff, 0xff, 0, 0x33, 0 },       /* a: any value */
		{ 0, 7, 0x00, 0x00, 0, 0x33, 0 },
		{ 0, 6, 0x02, 0x00, 0, 0xee, 0 },       /* neither */
		{ 0, 6, 0x00, 0xff, 1, 0xee, 0xaa },    /* by_port: port 0 */
		{ 510, 6, 0x00, 0xff, 1, 0xee, 0xaa },  /* and port 510 */
		{ 510, 6, 0x00, 0xff, 2, 0xee, 0 },     /* b differs */
	};
	CHECK(sw_create_from_file(&sw, range, &err) == 0, "%s", err.msg);
	CHECK(load_text(sw, good, &err) == 0, "%s", err.msg);
	CHECK(sw_port_add_mem(sw, 1, &err) == 0, "%s", err.msg);
	for (size_t i = 0; i < sizeof(pk) / sizeof(pk[0]); i++) {
		uint8_t in[22] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 9, 0, 0,
				   pk[i].op, pk[i].a0, pk[i].a1, 0, pk[i].b1, 0, 0, 0 }, *out;
		CHECK(sw_process(sw, pk[i].port, in, sizeof(in)) == 1, "packet %zu: out port 1", i);
		int n = sw_port_take(sw, 1, &out);
		CHECK(n == (int)sizeof(in) && out[21] == pk[i].flags && out[19] == pk[i].res0,
		      "packet %zu: %d bytes, flags %#x res %#x, want %#x %#x", i, n, n > 21 ? out[21] : 0,
		      n > 21 ? out[19] : 0, pk[i].flags, pk[i].res0);
		if (n >= 0)
			free(out);
	}
	sw_destroy(sw);
}

static uint16_t ip_csum(const uint8_t *h)
{
	uint32_t s = 0;
	for (int i = 0; i < 20; i += 2)
		s += (uint32_t)h[i] << 8 | h[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void test_pipeline(void)
{
	char prog[4096], ents[4096];
	struct p4l_err err;
	struct sw_switch *sw;
	uint8_t *out;
	snprintf(prog, sizeof(prog), "%s/basic.json", dir);
	snprintf(ents, sizeof(ents), "%s/basic-entries.json", dir);
	CHECK(sw_create_from_file(&sw, prog, &err) == 0, "%s", err.msg);
	CHECK(sw_load_entries(sw, ents, &err) == 0, "%s", err.msg);
	for (uint32_t p = 0; p < 3; p++)
		CHECK(sw_port_add_mem(sw, p, &err) == 0, "%s", err.msg);
	CHECK(sw_port_add_mem(sw, 1, &err) == -EEXIST, "port attached twice");
	CHECK(sw_port_add_mem(sw, 511, &err) < 0, "port 511");
	uint8_t pkt[14 + 20 + 4] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0, 0, 24, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 2, 77,
		1, 2, 3, 4 };
	uint16_t c = ip_csum(pkt + 14);
	pkt[24] = (uint8_t)(c >> 8), pkt[25] = (uint8_t)c;
	CHECK(sw_process(sw, 1, pkt, sizeof(pkt)) == 2, "routed to 2");
	int n = sw_port_take(sw, 2, &out);
	CHECK(n == (int)sizeof(pkt), "length %d", n);
	if (n == (int)sizeof(pkt)) {
		static const uint8_t mac[6] = { 8, 0, 0, 0, 2, 0x22 };
		CHECK(!memcmp(out, mac, 6), "dst mac");
		CHECK(!memcmp(out + 6, pkt, 6), "src mac = old dst");
		CHECK(out[14 + 8] == 63, "ttl");
		CHECK(ip_csum(out + 14) == 0, "checksum of the output");
		CHECK(!memcmp(out + 34, pkt + 34, 4), "payload");
		free(out);
	}
	CHECK(sw_port_take(sw, 2, &out) == -EAGAIN, "one packet only");
	/* default action drop */
	pkt[33] = 9, pkt[32] = 9;
	CHECK(sw_process(sw, 1, pkt, sizeof(pkt)) == -1, "dropped");
	/* a truncated IPv4 header: parser error, no table, out on port 0 unchanged */
	CHECK(sw_process(sw, 1, pkt, 20) == 0, "short packet to port 0");
	n = sw_port_take(sw, 0, &out);
	CHECK(n == 20 && !memcmp(out, pkt, 20), "short packet unchanged");
	free(out);
	/* by-name table writes and their errors */
	CHECK(sw_table_find(sw, "ipv4_lpm", &err) == 0, "short name");
	CHECK(sw_table_find(sw, "nope", &err) == -ENOENT && strstr(err.msg, "no table named 'nope'"),
	      "%s", err.msg);
	CHECK(sw_action_find(sw, 0, "drop", &err) >= 0, "short action name");
	sw_destroy(sw);
	/* tracing goes to a stream and names what happened */
	char *buf = NULL;
	size_t blen = 0;
	FILE *tr = open_memstream(&buf, &blen);
	CHECK(sw_create_from_file(&sw, prog, &err) == 0, "%s", err.msg);
	sw_set_trace(sw, tr);
	sw_process(sw, 4, pkt, sizeof(pkt));
	sw_destroy(sw);
	fclose(tr);
	CHECK(strstr(buf, "[packet 1] in port 4, 38 bytes") && strstr(buf, "parser state parse_ipv4") &&
	      strstr(buf, "table MyIngress.ipv4_lpm key {hdr.ipv4.dstAddr=0xa000909} -> miss, default") &&
	      strstr(buf, "action MyIngress.drop()") && strstr(buf, "dropped in ingress"),
	      "trace:\n%s", buf);
	free(buf);
	/* a multicast group without groups configured gives no copies */
	size_t len;
	char *base = read_prog("basic.json", &len);
	char *mc = mutate(base, "[\"standard_metadata\", \"egress_spec\"]}, {\"type\": \"runtime_data\"",
			  "[\"standard_metadata\", \"mcast_grp\"]}, {\"type\": \"runtime_data\"");
	buf = NULL;
	tr = open_memstream(&buf, &blen);
	CHECK(sw_create(&sw, mc, strlen(mc), "mc.json", &err) == 0, "%s", err.msg);
	CHECK(sw_load_entries(sw, ents, &err) == 0, "%s", err.msg);
	sw_port_add_mem(sw, 2, &err);
	sw_set_trace(sw, tr);
	pkt[32] = 2, pkt[33] = 77;
	CHECK(sw_process(sw, 1, pkt, sizeof(pkt)) == -1, "multicast: no copies");
	sw_destroy(sw);
	fclose(tr);
	CHECK(strstr(buf, "is not configured: no copies"), "trace:\n%s", buf);
	free(buf);
	free(mc);
	free(base);
}

/* Random damage to good programs must give an error or a switch, never a
 * crash or a leak (ASan watches): a small deterministic fuzz. */
static void test_loader_mutations(void)
{
	static const char *const progs[] = { "basic.json", "stateful.json",
		"../../stf/json/features.json" };
	static const char *const junk[] = { "0", "\"x\"", "null", "[]", "{}", "-1", "1e9",
		"\"0xzz\"", "true", "\"$valid$\"", "[\"ipv4\", \"ttl\"]", "99999999999" };
	int loaded = 0, refused = 0;
	for (size_t p = 0; p < sizeof(progs) / sizeof(progs[0]); p++) {
		size_t len;
		char *base = read_prog(progs[p], &len);
		for (int i = 0; i < 1500; i++) {
			char *m = malloc(len + 64);
			size_t at = rnd() % len;
			if (i % 2) {
				/* replace a token after a ':' or ',' with junk */
				while (at < len && base[at] != ':' && base[at] != ',')
					at++;
				if (at >= len)
					at = len / 2;
				size_t end = at + 1;
				while (end < len && !strchr(",}]", base[end]))
					end++;
				const char *j = junk[rnd() % (sizeof(junk) / sizeof(junk[0]))];
				size_t jl = strlen(j);
				memcpy(m, base, at + 1);
				memcpy(m + at + 1, j, jl);
				memcpy(m + at + 1 + jl, base + end, len - end);
				m[at + 1 + jl + len - end] = '\0';
			} else {
				/* delete a byte */
				memcpy(m, base, at);
				memcpy(m + at, base + at + 1, len - at);
			}
			struct sw_switch *sw = NULL;
			struct p4l_err err = { 0 };
			if (sw_create(&sw, m, strlen(m), "fuzz.json", &err) == 0) {
				uint8_t pkt[64] = { 0 };
				pkt[12] = 0x08, pkt[14] = 0x45;
				sw_port_add_mem(sw, 1, &err);
				sw_process(sw, 0, pkt, sizeof(pkt));
				sw_destroy(sw);
				loaded++;
			} else {
				CHECK(err.msg[0] && !strchr(err.msg, '\n') && !strncmp(err.msg, "fuzz.json", 9),
				      "bad message '%s'", err.msg);
				refused++;
			}
			free(m);
		}
		free(base);
	}
	CHECK(refused > 100 && loaded > 100, "fuzz: %d loaded, %d refused", loaded, refused);
}

/* Indexed counters, registers and a direct counter (stateful.json). */
static void test_stateful(void)
{
	char prog[4096];
	struct p4l_err err;
	struct sw_switch *sw;
	uint64_t pk = 0, by = 0, v = 0;
	uint8_t *out;
	snprintf(prog, sizeof(prog), "%s/stateful.json", dir);
	CHECK(sw_create_from_file(&sw, prog, &err) == 0, "%s", err.msg);
	if (!sw)
		return;
	uint8_t one = 1, port = 1;
	struct sw_key k = { { &one, 1 }, { NULL, 0 }, 0 };
	struct sw_bytes arg = { &port, 1 };
	CHECK(sw_table_add(sw, 0, &k, 0, (size_t)sw_action_find(sw, 0, "record", &err), &arg, &err) == 0,
	      "%s", err.msg);
	CHECK(sw_port_add_mem(sw, 1, &err) == 0, "%s", err.msg);
	/* op idx val prev */
	uint8_t p1[] = { 1, 2, 0, 0, 0, 0x11, 0, 0, 0, 0 }, p2[] = { 1, 2, 0, 0, 0, 0x22, 0, 0, 0, 0 };
	uint8_t p3[] = { 1, 9, 0, 0, 0, 0x33, 0, 0, 0, 0, 0xee }, p4[] = { 5, 2, 0, 0, 0, 0x44, 0, 0, 0, 0 };
	CHECK(sw_process(sw, 0, p1, sizeof(p1)) == 1, "p1");
	CHECK(sw_process(sw, 0, p2, sizeof(p2)) == 1, "p2");
	CHECK(sw_process(sw, 0, p3, sizeof(p3)) == 1, "p3 (index out of range: no count, no write)");
	CHECK(sw_process(sw, 0, p4, sizeof(p4)) == -1, "p4 misses: port 0, not attached");
	CHECK(sw_port_take(sw, 1, &out) == 10 && out[9] == 0, "first read 0");
	free(out);
	CHECK(sw_port_take(sw, 1, &out) == 10 && out[9] == 0x11, "second read the first value");
	free(out);
	CHECK(sw_port_take(sw, 1, &out) == 11 && out[9] == 0, "out of range reads 0");
	free(out);
	CHECK(sw_counter_read(sw, "Ing.pkts", 2, &pk, &by, &err) == 0 && pk == 2 && by == 20,
	      "pkts[2] = %llu/%llu", (unsigned long long)pk, (unsigned long long)by);
	CHECK(sw_counter_read(sw, "pkts", 9, &pk, &by, &err) == -ERANGE &&
	      strstr(err.msg, "counter pkts has 4 cells, not 10"), "%s", err.msg);
	CHECK(sw_register_read(sw, "last", 2, &v, &err) == 0 && v == 0x22, "last[2] = %llx",
	      (unsigned long long)v);
	CHECK(sw_register_read(sw, "Ing.nope", 0, &v, &err) == -ENOENT &&
	      strstr(err.msg, "no register named 'Ing.nope'"), "%s", err.msg);
	/* meters: cell 0 with rates 0 (no refill, so the colors do not depend
	 * on time): 2 green, 1 yellow, then red; cell 1 unconfigured: green */
	uint8_t two = 2;
	struct sw_key k2 = { { &two, 1 }, { NULL, 0 }, 0 };
	CHECK(sw_table_add(sw, 0, &k2, 0, (size_t)sw_action_find(sw, 0, "police", &err), NULL, &err) == 0,
	      "%s", err.msg);
	CHECK(sw_meter_set(sw, "m", 0, 0, 2, 0, 3, &err) == 0, "%s", err.msg);
	CHECK(sw_meter_set(sw, "m", 2, 0, 2, 0, 3, &err) == -ERANGE, "meter index");
	CHECK(sw_meter_set(sw, "m", 0, 5, 2, 1, 3, &err) == -EINVAL, "pir < cir");
	static const uint8_t colors[] = { 0, 0, 1, 2, 2 };
	for (int i = 0; i < 6; i++) {
		uint8_t pm[] = { 2, i == 5, 0, 0, 0, 0, 0, 0, 0, 9 };
		CHECK(sw_process(sw, 0, pm, sizeof(pm)) == 1, "meter packet %d", i);
		CHECK(sw_port_take(sw, 1, &out) == 10 && out[9] == (i < 5 ? colors[i] : 0),
		      "meter packet %d: color %d", i, out ? out[9] : -1);
		free(out);
	}
	sw_destroy(sw);
	/* errors: a count on an unknown array, a too wide register */
	size_t len;
	char *base = read_prog("stateful.json", &len);
	char *bad = mutate(base, "\"value\": \"Ing.pkts\"", "\"value\": \"Ing.pktz\"");
	CHECK(sw_create(&sw, bad, strlen(bad), "s.json", &err) < 0 &&
	      strstr(err.msg, "s.json: actions[1].primitives[0].parameters[0]: no counter_array named \"Ing.pktz\""),
	      "%s", err.msg);
	free(bad);
	bad = mutate(base, "\"bitwidth\": 32", "\"bitwidth\": 128");
	CHECK(sw_create(&sw, bad, strlen(bad), "s.json", &err) < 0 &&
	      strstr(err.msg, "s.json: register_arrays[0]: registers wider than 64 bits are not supported"),
	      "%s", err.msg);
	free(bad);
	free(base);
}

struct seen { int n; uint32_t prefix_bits; uint8_t port; uint64_t packets; };

static int count_entry(const struct sw_entry_view *e, void *ctx)
{
	struct seen *s = ctx;
	s->n++;
	for (size_t i = 0; i < e->key_len; i++)
		s->prefix_bits += (uint32_t)__builtin_popcount(e->mask[i]);
	if (e->args_len >= 2)
		s->port = e->args[e->args_len - 1];
	s->packets += e->packets;
	return 0;
}

/* Entries written, read back, modified and deleted by the typed calls. */
static void test_entry_rw(void)
{
	char prog[4096];
	struct p4l_err err;
	struct sw_switch *sw;
	snprintf(prog, sizeof(prog), "%s/basic.json", dir);
	CHECK(sw_create_from_file(&sw, prog, &err) == 0, "%s", err.msg);
	if (!sw)
		return;
	int fwd = sw_action_find(sw, 0, "ipv4_forward", &err), drop = sw_action_find(sw, 0, "drop", &err);
	uint8_t ip[4] = { 10, 0, 2, 0 }, mac[6] = { 8, 0, 0, 0, 2, 0x22 }, port = 2, port3 = 3;
	struct sw_key k = { { ip, 4 }, { NULL, 0 }, 24 };
	struct sw_bytes args[2] = { { mac, 6 }, { &port, 1 } };
	CHECK(sw_table_add(sw, 0, &k, 0, (size_t)fwd, args, &err) == 0, "%s", err.msg);
	struct seen s = { 0 };
	CHECK(sw_table_read(sw, 0, count_entry, &s) == 0 && s.n == 1 && s.prefix_bits == 24 && s.port == 2,
	      "read back: %d entries, %u prefix bits, port %u", s.n, s.prefix_bits, s.port);
	CHECK(sw_port_add_mem(sw, 2, &err) == 0 && sw_port_add_mem(sw, 3, &err) == 0, "%s", err.msg);
	uint8_t pkt[34] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0x08, 0x00,
		0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 2, 5 };
	CHECK(sw_process(sw, 1, pkt, sizeof(pkt)) == 2, "to 2");
	args[1].data = &port3;
	CHECK(sw_table_modify(sw, 0, &k, 0, (size_t)fwd, args, &err) == 0, "%s", err.msg);
	memset(&s, 0, sizeof(s));
	CHECK(sw_table_read(sw, 0, count_entry, &s) == 0 && s.n == 1 && s.port == 3, "modified");
	CHECK(sw_process(sw, 1, pkt, sizeof(pkt)) == 3, "to 3 after modify");
	CHECK(sw_table_modify(sw, 0, &k, 0, (size_t)drop, NULL, &err) == 0, "%s", err.msg);
	CHECK(sw_process(sw, 1, pkt, sizeof(pkt)) == -1, "dropped after modify");
	CHECK(sw_table_delete(sw, 0, &k, 0, &err) == 0 && sw_table_entry_count(sw, 0) == 0, "%s", err.msg);
	CHECK(sw_table_delete(sw, 0, &k, 0, &err) == -ENOENT &&
	      strstr(err.msg, "table MyIngress.ipv4_lpm: no entry with this key"), "%s", err.msg);
	k.prefix_len = 16;  /* another prefix is another key */
	CHECK(sw_table_modify(sw, 0, &k, 0, (size_t)drop, NULL, &err) == -ENOENT, "modify missing");
	sw_destroy(sw);

	/* entries given in the program cannot change */
	snprintf(prog, sizeof(prog), "%s/../../stf/json/features.json", dir);
	CHECK(sw_create_from_file(&sw, prog, &err) == 0, "%s", err.msg);
	uint8_t op = 1;
	struct sw_key ko = { { &op, 1 }, { NULL, 0 }, 0 };
	int t = sw_table_find(sw, "t_op", &err), a = sw_action_find(sw, (size_t)t, "act_sub", &err);
	CHECK(sw_table_delete(sw, (size_t)t, &ko, 0, &err) == -EPERM &&
	      strstr(err.msg, "table Ing.t_op: its entries are fixed by the program"), "%s", err.msg);
	CHECK(sw_table_modify(sw, (size_t)t, &ko, 0, (size_t)a, NULL, &err) == -EPERM, "modify const");
	CHECK(sw_table_set_default(sw, (size_t)t, (size_t)a, NULL, &err) == -EPERM &&
	      strstr(err.msg, "its default action is fixed by the program"), "%s", err.msg);
	memset(&s, 0, sizeof(s));
	CHECK(sw_table_read(sw, (size_t)t, count_entry, &s) == 0 && s.n == 4, "4 const entries");
	sw_destroy(sw);

	/* the direct counter of stateful.json's table counts hits per entry */
	snprintf(prog, sizeof(prog), "%s/stateful.json", dir);
	CHECK(sw_create_from_file(&sw, prog, &err) == 0, "%s", err.msg);
	uint8_t one = 1, p1 = 1;
	struct sw_key k1 = { { &one, 1 }, { NULL, 0 }, 0 };
	struct sw_bytes a1 = { &p1, 1 };
	CHECK(sw_table_add(sw, 0, &k1, 0, (size_t)sw_action_find(sw, 0, "record", &err), &a1, &err) == 0,
	      "%s", err.msg);
	uint8_t hp[10] = { 1, 0 };
	for (int i = 0; i < 3; i++)
		sw_process(sw, 0, hp, sizeof(hp));
	hp[0] = 7;
	sw_process(sw, 0, hp, sizeof(hp));
	memset(&s, 0, sizeof(s));
	CHECK(sw_table_read(sw, 0, count_entry, &s) == 0 && s.packets == 3, "direct counter %llu",
	      (unsigned long long)s.packets);
	sw_destroy(sw);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_switch PROGS_DIR\n");
		return 2;
	}
	dir = argv[1];
	test_loader_errors();
	test_loader_mutations();
	test_values();
	test_entries();
	test_entries_wildcards();
	test_pipeline();
	test_stateful();
	test_entry_rw();
	if (failures)
		fprintf(stderr, "%d checks failed\n", failures);
	return failures ? 1 : 0;
}
