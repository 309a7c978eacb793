/* test_stf.c - the STF runner's errors on malformed tests, each with its
 * file:line message, and its report on passing and failing tests; with
 * RANGE_JSON (range_optional.p4 compiled), the errors of range and optional
 * keys and of priorities.
 * usage: test_stf BASIC_JSON [RANGE_JSON] */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stf.h"

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

/* Runs text as t.stf on a fresh switch; returns stf_run's result, the
 * error message in err and the report in *report (free it). */
static int run(const char *prog, const char *text, struct p4l_err *err, char **report)
{
	struct sw_switch *sw;
	size_t rl = 0;
	FILE *rep = open_memstream(report, &rl);
	if (sw_create_from_file(&sw, prog, err) < 0) {
		fprintf(stderr, "%s\n", err->msg);
		exit(1);
	}
	memset(err, 0, sizeof(*err));
	int r = stf_run(sw, "t.stf", text, strlen(text), rep, err);
	fclose(rep);
	sw_destroy(sw);
	return r;
}

int main(int argc, char **argv)
{
	static const struct { const char *text, *want; } bad[] = {
		{ "packet 0 00\nfly 1 2\n", "t.stf:2: command 'fly' is not supported" },
		{ "packet x 00\n", "t.stf:1: expected a port number (0-511)" },
		{ "packet 0 0g\n", "t.stf:1: 'g' is not a hex digit" },
		{ "expect 0 0x\n", "t.stf:1: 'x' is not a hex digit or '*'" },
		{ "packet 0 abc\n", "t.stf:1: odd number of hex digits" },
		{ "expect 1 00 $ 11\n", "t.stf:1: '$' must end the line" },
		{ "add nope k:1 a()\n", "t.stf:1: no table named 'nope'" },
		{ "add ipv4_lpm dst:1 drop()\n", "t.stf:1: table MyIngress.ipv4_lpm has no key named 'dst'" },
		{ "add ipv4_lpm hdr.ipv4.dstAddr:1/8 fly()\n",
		  "t.stf:1: table MyIngress.ipv4_lpm has no action named 'fly'" },
		{ "add ipv4_lpm hdr.ipv4.dstAddr:1/8 ipv4_forward(port:1)\n",
		  "t.stf:1: action MyIngress.ipv4_forward needs parameter 'dstAddr'" },
		{ "add ipv4_lpm hdr.ipv4.dstAddr:1/8 ipv4_forward(port:1, dstAddr:2, x:3)\n",
		  "t.stf:1: action MyIngress.ipv4_forward has no parameter 'x'" },
		{ "add ipv4_lpm hdr.ipv4.dstAddr:1/8 ipv4_forward(port:0x200, dstAddr:2)\n",
		  "t.stf:1: action MyIngress.ipv4_forward parameter port: value does not fit in 9 bits" },
		{ "add ipv4_lpm hdr.ipv4.dstAddr:1/40 drop()\n",
		  "t.stf:1: key hdr.ipv4.dstAddr: prefix length 40 is longer than 32 bits" },
		{ "add ipv4_lpm hdr.ipv4.dstAddr:zz drop()\n", "t.stf:1: 'zz' is not a valid key value" },
		{ "add ipv4_lpm hdr.ipv4.dstAddr:0b102 drop()\n", "t.stf:1: '0b102' is not a valid key value" },
		{ "add ipv4_lpm hdr.ipv4.dstAddr:0x1*g drop()\n", "t.stf:1: '0x1*g' is not a valid key value" },
		{ "add ipv4_lpm hdr.ipv4.dstAddr:0b drop()\n", "t.stf:1: '0b' is not a valid key value" },
		{ "add ipv4_lpm hdr.ipv4.dstAddr:1/8 drop\n", "t.stf:1: expected ACTION(ARG:VALUE, ...)" },
		{ "setdefault ipv4_lpm ipv4_forward(port:1)\n",
		  "t.stf:1: action MyIngress.ipv4_forward needs parameter 'dstAddr'" },
		{ "mirroring_add 1\n", "t.stf:1: usage: mirroring_add SESSION PORT" },
		{ "mirroring_add 1 600\n", "t.stf:1: clone session 1: port 600 is not a port (0-510)" },
		{ "mc_mgrp_create 0\n", "t.stf:1: usage: mc_mgrp_create GROUP" },
		{ "mc_mgrp_create 2\nmc_mgrp_create 2\n", "t.stf:2: multicast group 2 exists already" },
		{ "mc_node_create 1 2\nmc_node_associate 4 0\n",
		  "t.stf:2: no multicast group 4 (mc_mgrp_create it first)" },
		{ "mc_mgrp_create 4\nmc_node_associate 4 0\n", "t.stf:2: no multicast node 0 (0 made so far)" },
		{ "mc_node_create 1 511\n", "t.stf:1: '511' is not a port (0-510)" },
		{ "check_counter nope(1) packets == 1\n", "t.stf:1: no counter named 'nope'" },
		{ "check_counter c\n", "t.stf:1: usage: check_counter NAME(INDEX) [packets|bytes OP VALUE]" },
		{ "register_write nope 0 1\n", "t.stf:1: no register named 'nope'" },
		{ "meter_set_rates m 0 1:2\n", "t.stf:1: usage: meter_set_rates NAME INDEX RATE:BURST RATE:BURST" },
		{ "pvs_add pvs 1\n", "t.stf:1: no parse value set named 'pvs'" },
		{ "direct_meter_set ipv4_lpm hdr.ipv4.dstAddr:1/8 rates(1:1, 2:2)\n",
		  "t.stf:1: table MyIngress.ipv4_lpm has no direct meter" },
		{ "direct_meter_set ipv4_lpm hdr.ipv4.dstAddr:1/8 rates(1:1 2:2)\n",
		  "t.stf:1: expected rates(RATE:BURST, RATE:BURST)" },
		{ "no_packet 1\n", "t.stf:1: usage: no_packet " },
		{ "add ipv4_lpm 5 hdr.ipv4.dstAddr:1/8 drop()\n",
		  "t.stf:1: table MyIngress.ipv4_lpm takes no priority (its keys are exact or lpm), "
		  "'5' given" },
		{ "direct_meter_set ipv4_lpm 2 hdr.ipv4.dstAddr:1/8 rates(1:1, 2:2)\n",
		  "t.stf:1: table MyIngress.ipv4_lpm takes no priority" },
		{ "add ipv4_lpm hdr.ipv4.dstAddr:10.0.0.1..10.0.0.9 drop()\n",
		  "t.stf:1: key hdr.ipv4.dstAddr is not a range key (its match kind is lpm): LOW..HIGH "
		  "is for range keys" },
		{ "add ipv4_lpm hdr.ipv4.dstAddr:1..x drop()\n", "t.stf:1: '1..x' is not a valid key value" },
	};
	/* range_optional.json: I.l2 (exact), I.acl (a: range, op: optional),
	 * I.by_port (ingress_port: range, b: exact) */
	static const struct { const char *text, *want; } bad_keys[] = {
		{ "add acl 1 hdr.h.a:0x10&&&0xf0 set_cls(c:1)\n",
		  "t.stf:1: key hdr.h.a is a range match: write LOW..HIGH or a single value" },
		{ "add acl 1 hdr.h.a:0x1* set_cls(c:1)\n",
		  "t.stf:1: key hdr.h.a is a range match: write LOW..HIGH or a single value" },
		{ "add acl 1 hdr.h.op:5&&&0xf set_cls(c:1)\n",
		  "t.stf:1: key hdr.h.op is an optional match: give a value, or leave the key out for "
		  "a wildcard" },
		{ "add acl 1 hdr.h.op:1..2 set_cls(c:1)\n",
		  "t.stf:1: key hdr.h.op is not a range key (its match kind is optional)" },
		{ "add acl 1 hdr.h.a:20..10 set_cls(c:1)\n",
		  "t.stf:1: table I.acl: key hdr.h.a: range low bound 20 is above the high bound 10" },
		{ "add acl 1 hdr.h.a:0..0x10000 set_cls(c:1)\n",
		  "t.stf:1: key hdr.h.a: value does not fit in 16 bits" },
		{ "add by_port ingress_port:0..511 set_res(v:1)\n", "t.stf:1: key hdr.h.b is missing" },
		{ "add by_port ingress_port:0..512 hdr.h.b:1 set_res(v:1)\n",
		  "t.stf:1: key sm.ingress_port: value does not fit in 9 bits" },
		{ "add l2 4 hdr.ethernet.dst:1 set_port(port:1)\n",
		  "t.stf:1: table I.l2 takes no priority (its keys are exact or lpm), '4' given" },
		{ "add l2 set_port(port:1)\n", "t.stf:1: key hdr.ethernet.dst is missing" },
	};
	struct p4l_err err;
	char *rep;
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: test_stf BASIC_JSON [RANGE_JSON]\n");
		return 2;
	}
	for (size_t i = 0; argc == 3 && i < sizeof(bad_keys) / sizeof(bad_keys[0]); i++) {
		int r = run(argv[2], bad_keys[i].text, &err, &rep);
		CHECK(r < 0 && strstr(err.msg, bad_keys[i].want), "keys case %zu: %d '%s', want '%s'", i,
		      r, err.msg, bad_keys[i].want);
		free(rep);
	}
	if (argc == 3) {
		/* every key left out: both wildcards; the entry then matches any packet */
		const char *any = "add acl 1 set_cls(c:0x5a)\n"
			"packet 0 000000000001 000000000009 0000 42 4242 0000 0000 00\n"
			"expect 1 000000000001 000000000009 0000 42 4242 0000 0000 5a $\n";
		CHECK(run(argv[2], any, &err, &rep) == 0 && strstr(rep, "t.stf: passed"), "any: %s / %s",
		      err.msg, rep);
		free(rep);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = run(argv[1], bad[i].text, &err, &rep);
		CHECK(r < 0 && strstr(err.msg, bad[i].want), "case %zu: %d '%s', want '%s'", i, r,
		      err.msg, bad[i].want);
		free(rep);
	}
	/* comments, blank lines, wait, CRLF, spaces inside hex, short names */
	const char *good =
		"# comment\r\n\r\nadd ipv4_lpm ipv4.dstAddr:10.0.0.0/8 ipv4_forward(dstAddr : 0x0a0b0c0d0e0f, port:3)\r\n"
		"wait\npacket 0 ffffffffffff 000000000001 0800 4500 0014 0000 0000 4006 0000 0a000001 0a000101 # tail\n"
		"expect 3 0a0b0c0d0e0f ffff ffff ffff 0800 45\n";
	CHECK(run(argv[1], good, &err, &rep) == 0 && strstr(rep, "t.stf: passed (1 packets, 1 expectations)"),
	      "good: %s / %s", err.msg, rep);
	free(rep);
	/* a failing expectation: the report shows both packets and the first bad byte */
	const char *wrong =
		"packet 1 ffffffffffff 000000000001 86dd 01\nexpect 0 ffffffffffff 000000000001 86dd 02 $\n";
	CHECK(run(argv[1], wrong, &err, &rep) == 1 &&
	      strstr(rep, "t.stf:2: port 0: packet 1 differs at byte 14\n"
		     "  expected: ffffffff ffff0000 00000001 86dd02 $\n"
		     "  got:      ffffffff ffff0000 00000001 86dd01\n") &&
	      strstr(rep, "t.stf: FAILED (1 packets, 1 expectations)"), "report:\n%s", rep);
	free(rep);
	/* no_packet after a packet that came out, and a counter check that fails */
	const char *np =
		"packet 1 ffffffffffff 000000000001 86dd 01\nno_packet\n"
		"expect 0 ffffffffffff 000000000001 86dd 01\n";
	CHECK(run(argv[1], np, &err, &rep) == 1 &&
	      strstr(rep, "t.stf:2: no_packet: the last packet made 1 packet\n"), "report:\n%s", rep);
	free(rep);
	if (failures)
		fprintf(stderr, "%d checks failed\n", failures);
	return failures ? 1 : 0;
}
