/* test_ids.c - P4Info ids and aliases as p4c assigns them.
 *
 * The expected ids are the ones published in P4Info files that p4c produced
 * for the p4lang tutorials' programs (basic.p4, basic_tunnel.p4); collisions,
 * @id rules and aliases are checked against p4c's documented algorithm. */
#include <errno.h>
#include <stdlib.h>
#include "check.h"
#include "p4info.h"

static void published_ids(void)
{
	static const struct { enum p4i_prefix p; const char *name; uint32_t id; } known[] = {
		{ P4I_TABLE, "MyIngress.ipv4_lpm", 37375156 },
		{ P4I_TABLE, "MyIngress.myTunnel_exact", 35862311 },
		{ P4I_ACTION, "NoAction", 21257015 },
		{ P4I_ACTION, "MyIngress.drop", 25652968 },
		{ P4I_ACTION, "MyIngress.ipv4_forward", 28792405 },
		{ P4I_ACTION, "MyIngress.myTunnel_ingress", 24181246 },
		{ P4I_ACTION, "MyIngress.myTunnel_forward", 27454791 },
		{ P4I_ACTION, "MyIngress.myTunnel_egress", 33029817 },
		{ P4I_COUNTER, "MyIngress.ingressTunnelCounter", 315557958 },
		{ P4I_COUNTER, "MyIngress.egressTunnelCounter", 312374841 },
		/* p4c hashes a controller header's type name (published for
		 * fabric-tna's and Stratum's packet_in) */
		{ P4I_CONTROLLER_HEADER, "packet_in_header_t", 81826293 },
	};
	size_t n = sizeof known / sizeof known[0];
	struct p4i_ids *ids = p4i_ids_new();
	struct p4l_err err = {0};

	CHECK(ids != NULL);
	for (size_t i = 0; i < n; i++)
		CHECK(p4i_ids_add(ids, known[i].p, known[i].name, 0, 0, &err) == 0);
	CHECK(p4i_ids_assign(ids, &err) == 0);
	for (size_t i = 0; i < n; i++) {
		CHECK_EQ_U(p4i_ids_get(ids, known[i].p, known[i].name), known[i].id);
		CHECK_EQ_U(p4i_name_hash(known[i].name, strlen(known[i].name)) & 0xffffff,
			   known[i].id & 0xffffff);
	}
	CHECK_STR(p4i_ids_alias(ids, "MyIngress.ipv4_lpm"), "ipv4_lpm");
	CHECK_STR(p4i_ids_alias(ids, "NoAction"), "NoAction");
	CHECK_EQ_U(p4i_ids_get(ids, P4I_TABLE, "MyIngress.nope"), 0);
	CHECK_EQ_U(p4i_ids_get(ids, P4I_ACTION, "MyIngress.ipv4_lpm"), 0);  /* wrong kind */
	CHECK(p4i_ids_alias(ids, "MyIngress.nope") == NULL);

	/* The set is frozen once assigned. */
	CHECK(p4i_ids_add(ids, P4I_TABLE, "late", 0, 0, &err) == -EBUSY);
	CHECK_STR(err.msg, "table 'late': ids are already assigned");
	p4i_ids_free(ids);
	p4i_ids_free(NULL);
}

/* Two names whose hashes agree in the low 24 bits, found by search (the hash
 * is fixed, so the pair is too). */
static int find_collision(char *a, char *b, size_t size)
{
	enum { N = 1 << 16, SLOTS = 1 << 18 };
	uint32_t *slot_hash = calloc(SLOTS, sizeof *slot_hash);
	int *slot_name = calloc(SLOTS, sizeof *slot_name);
	int found = 0;
	if (!slot_hash || !slot_name)
		goto out;
	for (int i = 1; i <= N && !found; i++) {
		char name[32];
		snprintf(name, sizeof name, "c.t%d", i);
		uint32_t h = p4i_name_hash(name, strlen(name)) & 0xffffff;
		size_t s = (h * 2654435761u) & (SLOTS - 1);
		while (slot_name[s] && slot_hash[s] != h)
			s = (s + 1) & (SLOTS - 1);
		if (slot_name[s]) {
			snprintf(a, size, "c.t%d", slot_name[s]);
			snprintf(b, size, "%s", name);
			found = 1;
		} else {
			slot_name[s] = i;
			slot_hash[s] = h;
		}
	}
out:
	free(slot_hash);
	free(slot_name);
	return found;
}

static void collisions(void)
{
	char a[32], b[32];
	struct p4l_err err = {0};
	CHECK(find_collision(a, b, sizeof a));
	uint32_t natural = (0x02u << 24) | (p4i_name_hash(a, strlen(a)) & 0xffffff);
	const char *first = strcmp(a, b) < 0 ? a : b, *second = first == a ? b : a;

	/* Sorted order decides: the smaller name keeps the hash, the other
	 * probes to the next value. Adding order must not matter. */
	for (int order = 0; order < 2; order++) {
		struct p4i_ids *ids = p4i_ids_new();
		CHECK(p4i_ids_add(ids, P4I_TABLE, order ? second : first, 0, 0, &err) == 0);
		CHECK(p4i_ids_add(ids, P4I_TABLE, order ? first : second, 0, 0, &err) == 0);
		CHECK(p4i_ids_add(ids, P4I_ACTION, second, 0, 0, &err) == 0);  /* other prefix */
		CHECK(p4i_ids_assign(ids, &err) == 0);
		CHECK_EQ_U(p4i_ids_get(ids, P4I_TABLE, first), natural);
		CHECK_EQ_U(p4i_ids_get(ids, P4I_TABLE, second), natural + 1);
		CHECK_EQ_U(p4i_ids_get(ids, P4I_ACTION, second), (natural & 0xffffff) | 0x01000000u);
		p4i_ids_free(ids);
	}

	/* A user @id equal to a name's hash id wins; the name moves on. */
	struct p4i_ids *ids = p4i_ids_new();
	CHECK(p4i_ids_add(ids, P4I_TABLE, "MyIngress.ipv4_lpm", 0, 0, &err) == 0);
	CHECK(p4i_ids_add(ids, P4I_TABLE, "MyIngress.other", 1, 37375156 & 0xffffff, &err) == 0);
	CHECK(p4i_ids_assign(ids, &err) == 0);
	CHECK_EQ_U(p4i_ids_get(ids, P4I_TABLE, "MyIngress.other"), 37375156);
	CHECK_EQ_U(p4i_ids_get(ids, P4I_TABLE, "MyIngress.ipv4_lpm"), 37375157);
	p4i_ids_free(ids);

	/* Probing wraps within the low 24 bits and keeps the prefix. */
	ids = p4i_ids_new();
	uint32_t h = p4i_name_hash("wrap", 4);
	CHECK(p4i_ids_add(ids, P4I_TABLE, "wrap", 0, 0, &err) == 0);
	CHECK(p4i_ids_add(ids, P4I_TABLE, "user", 1, h & 0xffffff, &err) == 0);
	CHECK(p4i_ids_assign(ids, &err) == 0);
	CHECK_EQ_U(p4i_ids_get(ids, P4I_TABLE, "wrap"), 0x02000000u | ((h + 1) & 0xffffff));
	p4i_ids_free(ids);
}

static void user_ids(void)
{
	struct p4l_err err = {0};
	struct p4i_ids *ids = p4i_ids_new();

	/* Without a top byte the prefix is put in; with the right one it stays. */
	CHECK(p4i_ids_add(ids, P4I_ACTION, "a1", 1, 5, &err) == 0);
	CHECK(p4i_ids_add(ids, P4I_ACTION, "a2", 1, 0x01000006, &err) == 0);
	CHECK(p4i_ids_add(ids, P4I_TABLE, "t1", 1, 5, &err) == 0);  /* other prefix: no clash */

	CHECK(p4i_ids_add(ids, P4I_ACTION, "a3", 1, 0x02000007, &err) == -EINVAL);
	CHECK_STR(err.msg, "action 'a3': @id 0x02000007 has the wrong 8-bit prefix "
		  "(0x02; a action id starts with 0x01)");
	CHECK(p4i_ids_add(ids, P4I_ACTION, "a4", 1, 0x01000005, &err) == -EINVAL);
	CHECK_STR(err.msg, "@id 0x01000005 of action 'a4' is already the @id of action 'a1'");

	/* The same object twice is fine; with another @id it is not. */
	CHECK(p4i_ids_add(ids, P4I_ACTION, "a1", 1, 5, &err) == 0);
	CHECK(p4i_ids_add(ids, P4I_ACTION, "a1", 0, 0, &err) == 0);
	CHECK(p4i_ids_add(ids, P4I_ACTION, "a1", 1, 9, &err) == -EINVAL);
	CHECK_STR(err.msg, "action 'a1' is declared twice with different @id");
	CHECK(p4i_ids_add(ids, P4I_ACTION, "", 0, 0, &err) == -EINVAL);

	CHECK(p4i_ids_assign(ids, &err) == 0);
	CHECK(p4i_ids_assign(ids, &err) == 0);  /* idempotent */
	CHECK_EQ_U(p4i_ids_get(ids, P4I_ACTION, "a1"), 0x01000005);
	CHECK_EQ_U(p4i_ids_get(ids, P4I_ACTION, "a2"), 0x01000006);
	CHECK_EQ_U(p4i_ids_get(ids, P4I_TABLE, "t1"), 0x02000005);
	p4i_ids_free(ids);
}

static void aliases(void)
{
	struct p4l_err err = {0};
	struct p4i_ids *ids = p4i_ids_new();
	static const char *const names[] = {
		"s.c1.t", "s.c2.t", "MyIngress.ipv4_lpm", "MyEgress.ipv4_lpm",
		"MyIngress.count", "x.y.MyIngress.count", "a.b", "b",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		CHECK(p4i_ids_add(ids, P4I_TABLE, names[i], 0, 0, &err) == 0);
	/* The same name as another kind of object does not make it ambiguous. */
	CHECK(p4i_ids_add(ids, P4I_DIRECT_COUNTER, "s.c1.t", 0, 0, &err) == 0);
	CHECK(p4i_ids_assign(ids, &err) == 0);
	CHECK_STR(p4i_ids_alias(ids, "s.c1.t"), "c1.t");
	CHECK_STR(p4i_ids_alias(ids, "s.c2.t"), "c2.t");
	CHECK_STR(p4i_ids_alias(ids, "MyIngress.ipv4_lpm"), "MyIngress.ipv4_lpm");
	CHECK_STR(p4i_ids_alias(ids, "MyEgress.ipv4_lpm"), "MyEgress.ipv4_lpm");
	/* A name that is a suffix of another keeps its full form. */
	CHECK_STR(p4i_ids_alias(ids, "MyIngress.count"), "MyIngress.count");
	CHECK_STR(p4i_ids_alias(ids, "x.y.MyIngress.count"), "y.MyIngress.count");
	CHECK_STR(p4i_ids_alias(ids, "b"), "b");
	CHECK_STR(p4i_ids_alias(ids, "a.b"), "a.b");
	CHECK(p4i_ids_alias(ids, "s.c1.t") == p4i_ids_alias(ids, "s.c1.t"));  /* cached */
	p4i_ids_free(ids);
}

int main(void)
{
	published_ids();
	collisions();
	user_ids();
	aliases();
	return CHECK_DONE();
}
