/* fuzz_lab.c - the lab readers (YAML, topology.json) on mutated lab files: whatever the bytes, it
 * returns either a finalized lab or an error whose message starts with the
 * file's name, and never crashes or leaks (run under ASan + UBSan).
 * Deterministic: a fixed seed, so a failure reproduces; argv[1] sets the
 * number of rounds. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab.h"

static const char *const seeds[] = {
	"name: f\n"
	"hosts:\n"
	"  h1: {ip: 10.0.0.1/24, mac: \"00:00:0a:00:00:01\", gateway: 10.0.0.254}\n"
	"  h2:\n"
	"    ip: 10.0.0.2/24\n"
	"    gateway_mac: 00:00:0a:00:00:fe\n"
	"switches:\n"
	"  s1: {program: q.p4, entries: e.json, log: none, device_id: 3}\n"
	"links:\n"
	"  - endpoints: [\"h1\", \"s1:1\"]\n"
	"  - endpoints: [h2, \"s1:2\"]\n",
	"hosts: {a: , b: {ip: 1.2.3.4/8}}\nlinks: [{endpoints: [a, \"b:x\"]}]\n",
	"switches:\n  s: {program: p.json}\n  t: {program: p.json}\nlinks:\n"
	"  - endpoints: [\"s:0\", \"t:510\"]\n",
};

static const char *const json_seeds[] = {
	"{\"hosts\": {\"h1\": {\"ip\": \"10.0.1.1/24\", \"mac\": \"08:00:00:00:01:11\",\n"
	"  \"commands\": [\"route add default gw 10.0.1.10 dev eth0\",\n"
	"               \"arp -i eth0 -s 10.0.1.10 08:00:00:00:01:00\"]},\n"
	"  \"h2\": {\"ip\": \"10.0.2.2/24\"}},\n"
	" \"switches\": {\"s1\": {\"runtime_json\": \"s1-runtime.json\"}, \"s2\": {}},\n"
	" \"links\": [[\"h1\", \"s1-p1\"], [\"s1-p2\", \"s2-p3\", \"0ms\", 0], [\"h2\", \"s2-p1\"]]}\n",
};

/* Characters that matter to YAML, JSON and the lab formats. */
static const char alphabet[] = ":-[]{}\"', \n\t#&*!|>%@`0123456789./habs";

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static size_t mutate(char *buf, size_t len, size_t cap)
{
	int edits = 1 + (int)(next() % 4);
	for (int e = 0; e < edits; e++) {
		size_t at = len ? next() % len : 0;
		switch (next() % 4) {
		case 0:  /* replace */
			if (len)
				buf[at] = alphabet[next() % (sizeof(alphabet) - 1)];
			break;
		case 1:  /* insert */
			if (len + 1 < cap) {
				memmove(buf + at + 1, buf + at, len - at);
				buf[at] = alphabet[next() % (sizeof(alphabet) - 1)];
				len++;
			}
			break;
		case 2: {  /* delete a run */
			size_t n = 1 + next() % 8;
			if (at + n > len)
				n = len - at;
			memmove(buf + at, buf + at + n, len - at - n);
			len -= n;
			break;
		}
		default:  /* any byte */
			if (len)
				buf[at] = (char)(next() & 0xff);
		}
	}
	return len;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 20000;
	char buf[4096];
	long accepted = 0, rejected = 0;

	for (long r = 0; r < rounds; r++) {
		/* Every fourth round is a topology.json for the tutorials reader. */
		bool json = r % 4 == 3;
		const char *seed = json ? json_seeds[r % (sizeof(json_seeds) / sizeof(json_seeds[0]))]
					: seeds[r % (sizeof(seeds) / sizeof(seeds[0]))];
		size_t len = strlen(seed);
		memcpy(buf, seed, len);
		len = mutate(buf, len, sizeof(buf));
		struct p4l_err err = { 0 };
		struct lab *lab = NULL;
		int rc = json ? lab_load_tutorials("f.json", buf, len, NULL, "p.p4", &lab, &err)
			      : lab_load_string("f.yaml", buf, len, NULL, &lab, &err);
		if (rc == 0) {
			if (!lab || !lab->finalized) {
				fprintf(stderr, "FAIL round %ld: success without a finalized lab\n", r);
				return 1;
			}
			accepted++;
		} else {
			if (lab || rc >= 0 || strncmp(err.msg, json ? "f.json" : "f.yaml", 6) ||
			    err.code != rc) {
				fprintf(stderr, "FAIL round %ld: rc %d, message '%s'\n", r, rc, err.msg);
				return 1;
			}
			rejected++;
		}
		lab_free(lab);
	}
	printf("PASS: %ld accepted, %ld rejected\n", accepted, rejected);
	return 0;
}
