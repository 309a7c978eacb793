/* test_hash_algos.c - every hash algorithm v1model names, against known
 * check values over "123456789" (the CRC catalogue's vectors; csum16, xor16
 * and identity worked by hand), both through sw_crc() and through a BMv2
 * program (progs/hash_algos.json) that hashes a 72-bit field with each
 * calculation; then the _custom CRCs reconfigured, and their errors.
 * usage: test_hash_algos PROGS_DIR */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "switch.h"

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

static const uint8_t check[] = "123456789";

static void test_crc_model(void)
{
	static const struct { struct sw_crc k; int w; uint32_t want; const char *name; } v[] = {
		{ { 0x8005, 0, 0, true, true }, 16, 0xbb3d, "CRC-16/ARC (crc16)" },
		{ { 0x1021, 0xffff, 0, false, false }, 16, 0x29b1, "CRC-16/CCITT-FALSE" },
		{ { 0x1021, 0, 0, false, false }, 16, 0x31c3, "CRC-16/XMODEM" },
		{ { 0x1021, 0, 0, true, true }, 16, 0x2189, "CRC-16/KERMIT" },
		{ { 0x04c11db7, 0xffffffff, 0xffffffff, true, true }, 32, 0xcbf43926, "CRC-32 (crc32)" },
		{ { 0x04c11db7, 0xffffffff, 0xffffffff, false, false }, 32, 0xfc891918, "CRC-32/BZIP2" },
		{ { 0x1edc6f41, 0xffffffff, 0xffffffff, true, true }, 32, 0xe3069283, "CRC-32C" },
		{ { 0x04c11db7, 0xffffffff, 0, false, false }, 32, 0x0376e6e7, "CRC-32/MPEG-2" },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint32_t got = sw_crc(&v[i].k, v[i].w, check, 9);
		CHECK(got == v[i].want, "%s: got 0x%x, want 0x%x", v[i].name, got, v[i].want);
	}
}

static uint64_t be(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* Sends "123456789", returns the output's hash fields in order. */
static int run(struct sw_switch *sw, uint64_t *out)
{
	uint8_t *got;
	sw_process(sw, 0, check, 9);
	int len = sw_port_take(sw, 1, &got);
	if (len != 9 + 28) {
		if (len >= 0)
			free(got);
		return -1;
	}
	static const int w[] = { 2, 4, 2, 4, 2, 2, 8, 4 };
	const uint8_t *p = got + 9;
	for (int i = 0; i < 8; p += w[i], i++)
		out[i] = be(p, w[i]);
	free(got);
	return 0;
}

static void test_program(const char *dir)
{
	char path[4096];
	struct p4l_err err = { 0 };
	struct sw_switch *sw;
	uint64_t o[8];
	snprintf(path, sizeof(path), "%s/hash_algos.json", dir);
	if (sw_create_from_file(&sw, path, &err) < 0) {
		CHECK(0, "%s", err.msg);
		return;
	}
	sw_port_add_mem(sw, 0, &err);
	sw_port_add_mem(sw, 1, &err);
	CHECK(run(sw, o) == 0, "no output");
	CHECK(o[0] == 0xbb3d, "crc16 0x%llx", (unsigned long long)o[0]);
	CHECK(o[1] == 0xcbf43926, "crc32 0x%llx", (unsigned long long)o[1]);
	CHECK(o[2] == 0xbb3d, "crc16_custom (as crc16 until configured) 0x%llx", (unsigned long long)o[2]);
	CHECK(o[3] == 0xcbf43926, "crc32_custom (as crc32) 0x%llx", (unsigned long long)o[3]);
	CHECK(o[4] == 0xf62a, "csum16 0x%llx", (unsigned long long)o[4]);
	CHECK(o[5] == 0x3908, "xor16 0x%llx", (unsigned long long)o[5]);
	CHECK(o[6] == 0x3233343536373839ull, "identity 0x%llx", (unsigned long long)o[6]);
	/* random: 32 random bits per packet; 8 packets are not all equal */
	uint64_t first = o[7];
	bool differ = false;
	for (int i = 0; i < 8; i++) {
		CHECK(run(sw, o) == 0, "no output");
		differ |= o[7] != first;
	}
	CHECK(differ, "random gave 0x%llx nine times", (unsigned long long)first);

	CHECK(sw_calc_set_crc(sw, "calc_crc16_custom", 0x1021, 0, 0, false, false, &err) == 0, "%s", err.msg);
	CHECK(sw_calc_set_crc(sw, "calc_crc32_custom", 0x1edc6f41, 0xffffffff, 0xffffffff, true, true,
			      &err) == 0, "%s", err.msg);
	CHECK(run(sw, o) == 0, "no output");
	CHECK(o[2] == 0x31c3, "crc16_custom as XMODEM 0x%llx", (unsigned long long)o[2]);
	CHECK(o[3] == 0xe3069283, "crc32_custom as CRC-32C 0x%llx", (unsigned long long)o[3]);
	CHECK(o[0] == 0xbb3d && o[1] == 0xcbf43926, "crc16/crc32 must not change");

	CHECK(sw_calc_set_crc(sw, "calc_crc16", 1, 0, 0, false, false, &err) == -EINVAL &&
	      !strcmp(err.msg, "calculation calc_crc16 does not use crc16_custom or crc32_custom"),
	      "%s", err.msg);
	CHECK(sw_calc_set_crc(sw, "calc_crc16_custom", 0x11021, 0, 0, false, false, &err) == -ERANGE &&
	      !strcmp(err.msg, "calculation calc_crc16_custom: parameters must fit in 16 bits"),
	      "%s", err.msg);
	CHECK(sw_calc_set_crc(sw, "nope", 1, 0, 0, false, false, &err) == -ENOENT &&
	      !strcmp(err.msg, "no calculation named 'nope'"), "%s", err.msg);
	sw_destroy(sw);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_hash_algos PROGS_DIR\n");
		return 2;
	}
	test_crc_model();
	test_program(argv[1]);
	if (failures)
		fprintf(stderr, "%d failures\n", failures);
	return failures != 0;
}
