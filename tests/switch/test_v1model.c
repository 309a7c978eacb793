/* test_v1model.c - the v1model state a control plane drives, through the
 * switch.h calls: digests queued by packets and taken back (with their
 * bytes), multicast groups and clone sessions set, replaced and deleted
 * (and their errors), register writes and resets, log_msg in the trace, and
 * multicast groups rewritten while packets run.
 * The programs are the STF tests' tests/stf/json/v1model.json,
 * profile.json (action profiles and selectors: their errors) and union.json
 * (a parse value set's values and their errors).
 * usage: test_v1model V1MODEL_JSON PROFILE_JSON UNION_JSON */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switch.h"

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

static const uint8_t learn_pkt[] = { 0, 0, 0, 0, 0, 1, 0x02, 0x11, 0x22, 0x33, 0x44, 0x55,
				     0x00, 0x40, 0xab };

static void drain(struct sw_switch *sw, uint32_t port)
{
	uint8_t *p;
	while (sw_port_take(sw, port, &p) >= 0)
		free(p);
}

static void test_digests(struct sw_switch *sw)
{
	struct sw_digest d;
	uint64_t dropped = 99;
	CHECK(sw_digest_take(sw, &d, &dropped) == -EAGAIN && dropped == 0, "empty queue");
	CHECK(sw_process(sw, 7, learn_pkt, sizeof(learn_pkt)) == 1, "the learn packet goes to port 1");
	CHECK(sw_digest_take(sw, &d, &dropped) == 0, "a digest");
	/* eth.src (6 bytes) then ingress_port (9 bits in 2 bytes) */
	static const uint8_t want[] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x07 };
	CHECK(d.receiver == 1 && d.list_id == 1 && !strcmp(d.list_name, "mac_learn_digest") &&
	      d.len == sizeof(want) && !memcmp(d.data, want, sizeof(want)),
	      "receiver %u list %d %s len %zu", d.receiver, d.list_id, d.list_name, d.len);
	CHECK(sw_digest_take(sw, &d, NULL) == -EAGAIN, "one digest per packet");
	/* a full queue loses the newest and counts them */
	for (int i = 0; i < SW_DIGEST_QUEUE + 5; i++)
		sw_process(sw, 3, learn_pkt, sizeof(learn_pkt));
	drain(sw, 1);
	int n = 0;
	while (sw_digest_take(sw, &d, &dropped) == 0)
		n++;
	CHECK(n == SW_DIGEST_QUEUE && dropped == 5, "%d taken, %llu dropped", n,
	      (unsigned long long)dropped);
}

static void test_config_errors(struct sw_switch *sw)
{
	struct p4l_err err = { 0 };
	struct sw_replica r[2] = { { 1, 5 }, { 600, 6 } };
	CHECK(sw_mc_group_set(sw, 0, r, 1, &err) == -EINVAL &&
	      !strcmp(err.msg, "multicast group 0: groups go from 1 to 65535"), "%s", err.msg);
	CHECK(sw_mc_group_set(sw, 3, r, 2, &err) == -EINVAL &&
	      !strcmp(err.msg, "multicast group 3: replica 1: port 600 is not a port (0-510)"),
	      "%s", err.msg);
	CHECK(sw_mc_group_delete(sw, 3, &err) == -ENOENT && !strcmp(err.msg, "no multicast group 3"),
	      "%s", err.msg);
	CHECK(sw_mc_group_set(sw, 3, r, 1, &err) == 0, "%s", err.msg);
	CHECK(sw_mc_group_set(sw, 2, r, 0, &err) == 0, "%s", err.msg);
	CHECK(sw_mc_group_delete(sw, 3, &err) == 0, "%s", err.msg);
	CHECK(sw_mc_group_delete(sw, 2, &err) == 0, "%s", err.msg);
	CHECK(sw_clone_session_set(sw, SW_MAX_SESSIONS, 1, 0, &err) == -EINVAL &&
	      !strcmp(err.msg, "clone session 32768: sessions go from 0 to 32767"), "%s", err.msg);
	CHECK(sw_clone_session_set(sw, 4, 511, 0, &err) == -EINVAL &&
	      !strcmp(err.msg, "clone session 4: port 511 is not a port (0-510)"), "%s", err.msg);
	CHECK(sw_clone_session_delete(sw, 4, &err) == -ENOENT && !strcmp(err.msg, "no clone session 4"),
	      "%s", err.msg);
	CHECK(sw_clone_session_set(sw, 4, 2, 0, &err) == 0, "%s", err.msg);
	CHECK(sw_clone_session_delete(sw, 4, &err) == 0, "%s", err.msg);
	CHECK(sw_queue_set(sw, 511, 4, 1, &err) == -EINVAL &&
	      !strcmp(err.msg, "queue of port 511: ports go from 0 to 510"), "%s", err.msg);
	CHECK(sw_queue_set(sw, 3, 0, 1, &err) == -EINVAL &&
	      !strcmp(err.msg, "queue of port 3: the depth goes from 1 to 65536 packets and the rate "
		      "is >= 0 packets/s"), "%s", err.msg);
	/* a one-packet queue served every 1000 s: the first packet goes at once,
	 * the second waits in the queue, the third finds it full */
	CHECK(sw_queue_set(sw, 1, 1, 0.001, &err) == 0, "%s", err.msg);
	for (int i = 0; i < 3; i++)
		sw_process(sw, 2, learn_pkt, sizeof(learn_pkt));
	drain(sw, 1);
	CHECK(sw_queue_drops(sw, 1) == 1, "drops %llu", (unsigned long long)sw_queue_drops(sw, 1));
	CHECK(sw_queue_set(sw, 1, 64, 0, &err) == 0, "%s", err.msg);
	CHECK(sw_register_write(sw, "r", 4, 1, &err) == -ERANGE &&
	      !strcmp(err.msg, "register r has 4 cells, not 5"), "%s", err.msg);
	CHECK(sw_register_write(sw, "r", 0, 0x100, &err) == -ERANGE &&
	      !strcmp(err.msg, "register r: value 256 does not fit in 8 bits"), "%s", err.msg);
	CHECK(sw_register_write(sw, "q", 0, 1, &err) == -ENOENT && !strcmp(err.msg, "no register named 'q'"),
	      "%s", err.msg);
	uint64_t v = 0;
	CHECK(sw_register_write(sw, "r", 3, 0xfe, &err) == 0, "%s", err.msg);
	CHECK(sw_register_read(sw, "r", 3, &v, &err) == 0 && v == 0xfe, "read back %llu",
	      (unsigned long long)v);
	CHECK(sw_register_reset(sw, "r", &err) == 0, "%s", err.msg);
	CHECK(sw_register_read(sw, "r", 3, &v, &err) == 0 && v == 0, "after reset %llu",
	      (unsigned long long)v);
}

static void test_trace(struct sw_switch *sw)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	uint8_t pkt[sizeof(learn_pkt)];
	memcpy(pkt, learn_pkt, sizeof(pkt));
	pkt[13] = 0x10;  /* resubmit */
	sw_set_trace(sw, f);
	CHECK(sw_process(sw, 0, pkt, sizeof(pkt)) == 1, "resubmitted packet to port 1");
	sw_set_trace(sw, NULL);
	fclose(f);
	CHECK(strstr(buf, "    log: resubmitting, count 7 tag 9\n"), "trace:\n%s", buf);
	CHECK(strstr(buf, "  resubmitted\n[packet ") &&
	      strstr(buf, "] ingress again (resubmitted), port 0, 15 bytes\n"), "trace:\n%s", buf);
	free(buf);
	drain(sw, 1);
}

static void test_profiles(const char *path)
{
	struct p4l_err err = { 0 };
	struct sw_switch *sw;
	if (sw_create_from_file(&sw, path, &err) < 0) {
		CHECK(0, "%s", err.msg);
		return;
	}
	int t = sw_table_find(sw, "by_kind", &err), e = sw_table_find(sw, "ecmp", &err);
	int a = sw_action_find(sw, (size_t)t, "set_port", &err);
	CHECK(t >= 0 && e >= 0 && a >= 0, "%s", err.msg);
	CHECK(!strcmp(sw_table_profile(sw, (size_t)t), "Ing.ap") &&
	      !strcmp(sw_table_profile(sw, (size_t)e), "Ing.as"), "profiles of the tables");
	CHECK(sw_table_get(sw, (size_t)t)->n_actions == 3, "the member/group actions are hidden");
	CHECK(sw_action_ref(sw, (size_t)a) == 0 && sw_action_ref(sw, sw_action_count(sw) - 1) == 2 &&
	      sw_action_ref(sw, sw_action_count(sw) - 2) == 1, "member and group actions");
	uint8_t p1[] = { 1 }, tag[] = { 7 }, big[] = { 2, 0 };
	struct sw_bytes args[2] = { { p1, 1 }, { tag, 1 } }, bad[2] = { { big, 2 }, { tag, 1 } };
	uint8_t kv[] = { 1 };
	struct sw_key k = { { kv, 1 }, { NULL, 0 }, 0 };
	uint32_t mem[] = { 0, 5 };
	CHECK(sw_profile_member_set(sw, "ap", 8, (size_t)a, args, &err) == -ERANGE &&
	      !strcmp(err.msg, "action profile Ing.ap: member ids go from 0 to 7"), "%s", err.msg);
	CHECK(sw_profile_member_set(sw, "ap", 0, (size_t)a, bad, &err) == -ERANGE &&
	      !strcmp(err.msg, "action Ing.set_port parameter port: value does not fit in 9 bits"),
	      "%s", err.msg);
	CHECK(sw_profile_member_set(sw, "nope", 0, (size_t)a, args, &err) == -ENOENT &&
	      !strcmp(err.msg, "no action profile named 'nope'"), "%s", err.msg);
	CHECK(sw_profile_group_set(sw, "ap", 0, mem, 1, &err) == -EINVAL &&
	      !strcmp(err.msg, "action profile Ing.ap has no selector: no groups"), "%s", err.msg);
	CHECK(sw_table_add_ref(sw, (size_t)t, &k, 0, false, 0, &err) == -ENOENT &&
	      !strcmp(err.msg, "action profile Ing.ap has no member 0"), "%s", err.msg);
	CHECK(sw_profile_member_set(sw, "as", 0, (size_t)a, args, &err) == 0, "%s", err.msg);
	CHECK(sw_profile_group_set(sw, "as", 1, mem, 2, &err) == -ENOENT &&
	      !strcmp(err.msg, "action profile Ing.as has no member 5"), "%s", err.msg);
	CHECK(sw_profile_group_set(sw, "as", 1, mem, 1, &err) == 0, "%s", err.msg);
	CHECK(sw_profile_member_delete(sw, "as", 0, &err) == -EBUSY &&
	      !strcmp(err.msg, "action profile Ing.as: member 0 is in group 1"), "%s", err.msg);
	CHECK(sw_profile_group_delete(sw, "as", 1, &err) == 0, "%s", err.msg);
	CHECK(sw_profile_member_delete(sw, "as", 0, &err) == 0, "%s", err.msg);
	CHECK(sw_profile_group_delete(sw, "as", 1, &err) == -ENOENT &&
	      !strcmp(err.msg, "action profile Ing.as has no group 1"), "%s", err.msg);
	sw_destroy(sw);
}

static void test_vsets(const char *path)
{
	struct p4l_err err = { 0 };
	struct sw_switch *sw;
	if (sw_create_from_file(&sw, path, &err) < 0) {
		CHECK(0, "%s", err.msg);
		return;
	}
	uint8_t v[] = { 0x0a, 0x00 }, padded[] = { 0, 0x0a, 0x00 }, wide[] = { 1, 0, 0 };
	struct sw_bytes bv = { v, 2 }, bp = { padded, 3 }, bw = { wide, 3 };
	CHECK(sw_vset_add(sw, "pvs", &bv, &err) == 0, "%s", err.msg);
	CHECK(sw_vset_add(sw, "pvs", &bp, &err) == -EEXIST, "leading zero bytes are the same value: %s",
	      err.msg);
	CHECK(sw_vset_add(sw, "pvs", &bw, &err) == -ERANGE &&
	      !strcmp(err.msg, "value set MyParser.pvs: value does not fit in 16 bits"), "%s", err.msg);
	sw_destroy(sw);
}

/* A writer replaces multicast group 1 (one copy, then two) while this
 * thread runs multicast packets: each packet sees one version or the other,
 * and nothing a packet may hold is freed under it (ASan would say). */
struct churn {
	struct sw_switch *sw;
	volatile int stop;
	int writes, errors;
};

static void *mc_writer(void *arg)
{
	struct churn *ch = arg;
	struct p4l_err err = { 0 };
	struct sw_replica r[2] = { { 1, 1 }, { 2, 2 } };
	while (!ch->stop) {
		if (sw_mc_group_set(ch->sw, 1, r, 1 + ch->writes % 2, &err) < 0)
			ch->errors++;
		ch->writes++;
	}
	return NULL;
}

static void test_concurrent(struct sw_switch *sw)
{
	uint8_t pkt[sizeof(learn_pkt)];
	memcpy(pkt, learn_pkt, sizeof(pkt));
	pkt[13] = 0x60;  /* mcast_grp = 1 */
	struct churn ch = { sw, 0, 0, 0 };
	struct sw_replica r = { 1, 1 };
	struct p4l_err err = { 0 };
	pthread_t th;
	CHECK(sw_mc_group_set(sw, 1, &r, 1, &err) == 0, "%s", err.msg);
	CHECK(pthread_create(&th, NULL, mc_writer, &ch) == 0, "thread");
	int n = 0, out = 0;
	while (n < 20000 && (n < 200 || ch.writes < 200)) {
		sw_process(sw, 0, pkt, sizeof(pkt));
		n++;
		uint8_t *p;
		int k = 0;
		for (uint32_t port = 1; port <= 2; port++)
			while (sw_port_take(sw, port, &p) >= 0) {
				free(p);
				k++;
			}
		CHECK(k == 1 || k == 2, "packet %d made %d copies", n, k);
		out += k;
	}
	ch.stop = 1;
	pthread_join(th, NULL);
	CHECK(ch.errors == 0 && out >= n, "%d errors, %d packets, %d copies, %d writes", ch.errors, n,
	      out, ch.writes);
}

/* --check's summary names the v1model parts. */
static void test_summary(struct sw_switch *sw)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	sw_print_summary(sw, f);
	fclose(f);
	CHECK(strstr(buf, "  counter c[8]\n  register r[4] of 8 bits\n") &&
	      strstr(buf, "  field list 1 (keep): 1 fields, 8 bits\n"
		     "  learn list 1 (mac_learn_digest): 2 fields, 57 bits\n") &&
	      strstr(buf, "  uses: 0 clone, 1 resubmit, 2 recirculate, 1 digest, 1 log_msg, "
		     "0 assert/assume\n"), "summary:\n%s", buf);
	free(buf);
}

int main(int argc, char **argv)
{
	struct p4l_err err = { 0 };
	struct sw_switch *sw;
	if (argc != 4) {
		fprintf(stderr, "usage: test_v1model V1MODEL_JSON PROFILE_JSON UNION_JSON\n");
		return 2;
	}
	if (sw_create_from_file(&sw, argv[1], &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	sw_port_add_mem(sw, 1, &err);
	sw_port_add_mem(sw, 2, &err);
	test_summary(sw);
	test_digests(sw);
	test_config_errors(sw);
	test_trace(sw);
	test_concurrent(sw);
	sw_destroy(sw);
	test_profiles(argv[2]);
	test_vsets(argv[3]);
	if (failures)
		fprintf(stderr, "%d failures\n", failures);
	return failures != 0;
}
