/* pipeline.c - the packet engine's own speed (issue 4): packets per second
 * and ns per packet through the whole v1model pipeline (parse, verify
 * checksums, ingress, egress, update checksums, deparse) with no port I/O:
 *
 *   l2      exact match on the destination MAC, 1,000 entries
 *   router  the IPv4 router of tests/stf/json/basic.json: LPM over 1,000
 *           routes (/8 to /32), TTL decrement, checksum verify and update
 *   acl     5-tuple ternary ACL, 1,000 entries whose address masks are
 *           prefixes of 0, 8, 16, 24 or 32 bits and whose ports are exact or
 *           wildcards (as ACLs are written), on TCP and UDP; the packets
 *           (SCTP) match only the lowest-priority rule, the worst case
 *   acl-rand the same with masks of any prefix length from 8 to 32 bits on
 *           both addresses and on the source port: a thousand distinct masks
 *
 * Each runs 1,024 distinct packets in a loop on a switch whose output port
 * is not attached (the run ends after the deparser); a twin switch with the
 * ports attached first checks that the packets are forwarded.  Meaningful in
 * a release build without sanitizers (`ninja -C BUILD bench-pipeline`).
 * usage: pipeline_bench L2_JSON ROUTER_JSON ACL_JSON [SECONDS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "switch.h"

#define NPKT 1024
#define PKT_LEN 64
#define N_ENTRIES 1000

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint32_t rnd(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t pkts[NPKT][PKT_LEN];

static void die(const char *what, const struct p4l_err *err)
{
	fprintf(stderr, "pipeline_bench: %s: %s\n", what, err->msg);
	exit(1);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* An Ethernet + IPv4 (+ 4 bytes of ports) packet with a correct checksum. */
static void ipv4_pkt(uint8_t *p, uint32_t src, uint32_t dst, uint8_t proto, uint16_t sp,
		     uint16_t dp)
{
	static const uint8_t eth[] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0x08, 0x00 };
	memset(p, 0, PKT_LEN);
	memcpy(p, eth, sizeof(eth));
	uint8_t *ip = p + 14;
	ip[0] = 0x45, ip[3] = PKT_LEN - 14, ip[8] = 64, ip[9] = proto;
	put32(ip + 12, src);
	put32(ip + 16, dst);
	uint32_t sum = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	ip[10] = (uint8_t)(~sum >> 8), ip[11] = (uint8_t)~sum;
	p[34] = (uint8_t)(sp >> 8), p[35] = (uint8_t)sp, p[36] = (uint8_t)(dp >> 8), p[37] = (uint8_t)dp;
}

/* Loads the program twice (one switch with ports 0-3 attached, one without). */
static void load(const char *path, struct sw_switch **timed, struct sw_switch **checked)
{
	struct p4l_err err = { 0 };
	if (sw_create_from_file(timed, path, &err) < 0 || sw_create_from_file(checked, path, &err) < 0)
		die(path, &err);
	for (uint32_t p = 0; p < 4; p++)
		if (sw_port_add_mem(*checked, p, &err) < 0)
			die(path, &err);
}

static void add(struct sw_switch *sw, const char *table, const struct sw_key *k, int32_t prio,
		const char *action, uint32_t port)
{
	struct p4l_err err = { 0 };
	int t = sw_table_find(sw, table, &err);
	int a = t < 0 ? t : sw_action_find(sw, (size_t)t, action, &err);
	uint8_t pb[2] = { (uint8_t)(port >> 8), (uint8_t)port };
	uint8_t mac[6] = { 0, 0, 0, 0, 0, 9 };
	struct sw_bytes args[2] = { { mac, 6 }, { pb, 2 } };
	/* fwd(port) in l2 and acl, ipv4_forward(dstAddr, port) in the router */
	const struct sw_action_info *ai = a < 0 ? NULL : sw_action_get(sw, (size_t)a);
	if (!ai || sw_table_add(sw, (size_t)t, k, prio, (size_t)a,
				ai->n_params == 1 ? args + 1 : args, &err) < 0)
		die(table, &err);
}

/* The forwarded share of the packets on the checking switch. */
static unsigned forwarded(struct sw_switch *sw)
{
	unsigned n = 0;
	for (int i = 0; i < NPKT; i++)
		sw_process(sw, 0, pkts[i], PKT_LEN);
	for (uint32_t p = 0; p < 4; p++) {
		uint8_t *d;
		while (sw_port_take(sw, p, &d) >= 0) {
			free(d);
			n++;
		}
	}
	return n;
}

static void time_it(const char *name, struct sw_switch *sw, struct sw_switch *chk, double secs)
{
	unsigned fw = forwarded(chk);
	uint64_t n = 0;
	double t0 = now(), t;
	do {
		for (int i = 0; i < NPKT; i++)
			sw_process(sw, 0, pkts[i], PKT_LEN);
		n += NPKT;
	} while ((t = now() - t0) < secs);
	printf("%-7s %10.0f packets/s  %7.1f ns/packet  (%llu packets, %u/%d forwarded)\n", name,
	       (double)n / t, t * 1e9 / (double)n, (unsigned long long)n, fw, NPKT);
}

/* 1,000 ternary rules that deny TCP and UDP, then a lowest-priority rule
 * that allows what is left: SCTP packets, which only it matches. */
static void acl(const char *path, const char *name, bool rnd_masks, double secs)
{
	static const int plen[] = { 0, 8, 16, 24, 32 };
	struct sw_switch *sw, *chk;
	load(path, &sw, &chk);
	for (int i = 0; i < N_ENTRIES; i++) {
		uint8_t v[5][4], m[5][4];
		int sl = rnd_masks ? 8 + (int)(rnd() % 25) : plen[rnd() % 5];
		int dl = rnd_masks ? 8 + (int)(rnd() % 25) : plen[rnd() % 5];
		uint32_t sm = sl ? ~0u << (32 - sl) : 0, dm = dl ? ~0u << (32 - dl) : 0;
		put32(v[0], rnd() & sm), put32(m[0], sm);
		put32(v[1], rnd() & dm), put32(m[1], dm);
		v[2][0] = rnd() % 2 ? 6 : 17, m[2][0] = 0xff;
		uint16_t pm = rnd_masks ? (rnd() % 2 ? 0xffff : 0xff00) : rnd() % 2 ? 0xffff : 0;
		uint16_t sp = (uint16_t)(rnd() & pm), dp = (uint16_t)(rnd() & pm);
		v[3][0] = (uint8_t)(sp >> 8), v[3][1] = (uint8_t)sp, m[3][0] = (uint8_t)(pm >> 8), m[3][1] = (uint8_t)pm;
		v[4][0] = (uint8_t)(dp >> 8), v[4][1] = (uint8_t)dp, m[4][0] = m[4][1] = rnd_masks || rnd() % 2 ? 0xff : 0;
		v[4][0] &= m[4][0], v[4][1] &= m[4][1];
		struct sw_key k[5] = {
			{ { v[0], 4 }, { m[0], 4 }, 0 }, { { v[1], 4 }, { m[1], 4 }, 0 },
			{ { v[2], 1 }, { m[2], 1 }, 0 }, { { v[3], 2 }, { m[3], 2 }, 0 },
			{ { v[4], 2 }, { m[4], 2 }, 0 },
		};
		add(sw, "acl", k, 10 + i, "drop", 0);
		add(chk, "acl", k, 10 + i, "drop", 0);
	}
	{
		uint8_t z[4] = { 0 };
		struct sw_key k[5] = { { { z, 4 }, { z, 4 }, 0 }, { { z, 4 }, { z, 4 }, 0 },
			{ { z, 1 }, { z, 1 }, 0 }, { { z, 2 }, { z, 2 }, 0 }, { { z, 2 }, { z, 2 }, 0 } };
		add(sw, "acl", k, 1, "fwd", 2);
		add(chk, "acl", k, 1, "fwd", 2);
	}
	for (int i = 0; i < NPKT; i++)
		ipv4_pkt(pkts[i], rnd(), rnd(), 132, (uint16_t)rnd(), (uint16_t)rnd());
	time_it(name, sw, chk, secs);
	sw_destroy(sw);
	sw_destroy(chk);
}

int main(int argc, char **argv)
{
	struct sw_switch *sw, *chk;
	if (argc < 4) {
		fprintf(stderr, "usage: pipeline_bench L2_JSON ROUTER_JSON ACL_JSON [SECONDS]\n");
		return 2;
	}
	double secs = argc > 4 ? atof(argv[4]) : 2.0;

	/* l2: 1,000 MACs, each packet to one of them */
	load(argv[1], &sw, &chk);
	uint8_t macs[N_ENTRIES][6];
	for (int i = 0; i < N_ENTRIES; i++) {
		uint32_t r = rnd();
		uint8_t m[6] = { 0x02, 0, (uint8_t)(i >> 8), (uint8_t)i, (uint8_t)(r >> 8), (uint8_t)r };
		memcpy(macs[i], m, 6);
		struct sw_key k = { { macs[i], 6 }, { NULL, 0 }, 0 };
		add(sw, "l2", &k, 0, "fwd", (uint32_t)(i % 3) + 1);
		add(chk, "l2", &k, 0, "fwd", (uint32_t)(i % 3) + 1);
	}
	for (int i = 0; i < NPKT; i++) {
		memset(pkts[i], 0, PKT_LEN);
		memcpy(pkts[i], macs[rnd() % N_ENTRIES], 6);
		pkts[i][12] = 0x08;
	}
	time_it("l2", sw, chk, secs);
	sw_destroy(sw);
	sw_destroy(chk);

	/* router: 1,000 routes of random lengths; destinations inside them */
	load(argv[2], &sw, &chk);
	uint32_t nets[N_ENTRIES];
	uint8_t lens[N_ENTRIES];
	for (int i = 0; i < N_ENTRIES; i++) {
		lens[i] = (uint8_t)(8 + rnd() % 25);
		nets[i] = (rnd() | 0x01000000u) & (lens[i] == 32 ? ~0u : ~(~0u >> lens[i]));
		uint8_t v[4];
		put32(v, nets[i]);
		struct sw_key k = { { v, 4 }, { NULL, 0 }, lens[i] };
		struct p4l_err err = { 0 };
		int dup = 0;
		for (int j = 0; j < i && !dup; j++)
			dup = nets[j] == nets[i] && lens[j] == lens[i];
		if (dup)
			continue;
		int t = sw_table_find(sw, "ipv4_lpm", &err);
		if (t < 0)
			die("ipv4_lpm", &err);
		add(sw, "ipv4_lpm", &k, 0, "ipv4_forward", (uint32_t)(i % 3) + 1);
		add(chk, "ipv4_lpm", &k, 0, "ipv4_forward", (uint32_t)(i % 3) + 1);
	}
	for (int i = 0; i < NPKT; i++) {
		int r = (int)(rnd() % N_ENTRIES);
		uint32_t host = lens[r] == 32 ? 0 : rnd() & (~0u >> lens[r]);
		ipv4_pkt(pkts[i], 0x0a000001, nets[r] | host, 17, 1000, 2000);
	}
	time_it("router", sw, chk, secs);
	sw_destroy(sw);
	sw_destroy(chk);

	acl(argv[3], "acl", false, secs);
	acl(argv[3], "acl-rand", true, secs);
	return 0;
}

