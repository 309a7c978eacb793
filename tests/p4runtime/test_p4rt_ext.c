/* test_p4rt_ext.c - P4Runtime entities beyond table entries of direct
 * actions, on loopback: action profile members and groups (and entries
 * naming them, one-shot action sets, default entries naming members and
 * groups), direct counters and meters (with their per-colour counts),
 * meters, value sets, idle timeouts.  The program is tests/p4runtime/ext.p4 (compiled here); packets
 * run through the switch to show what each write does.
 * Usage: test_p4rt_ext EXT.P4 [TEST [OTHER.P4]] */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "p4c.h"
#include "p4rt_client.h"
#include "p4rt_server.h"
#include "checks.h"

static struct p4c_output prog;

/* ---- the server, its switch and packets ------------------------------------------ */

static int attach(void *ctx, struct sw_switch *sw, struct p4l_err *e)
{
	(void)ctx;
	for (uint32_t p = 1; p <= 9; p++) {
		int r = sw_port_add_mem(sw, p, e);
		if (r < 0)
			return r;
	}
	return 0;
}

static struct p4rts_server *server_start(char *addr, size_t cap)
{
	struct p4rts_server *s = NULL;
	struct p4rts_config cfg = { .addr = "127.0.0.1:0", .device_id = 1,
				    .host = { .attach = attach } };
	if (p4rts_start(&s, &cfg, &err) < 0) {
		fprintf(stderr, "server: %s\n", err.msg);
		exit(1);
	}
	snprintf(addr, cap, "127.0.0.1:%d", p4rts_port(s));
	return s;
}

/* A primary client that pushed ext.p4. */
static struct p4rt_client *client(const char *addr)
{
	struct p4rt_client *c = NULL;
	if (p4rt_connect(&c, addr, 1, &err) < 0 || p4rt_arbitrate(c, 0, 1, NULL, &err) < 0 ||
	    p4rt_set_pipeline(c, prog.bmv2_json, prog.bmv2_json_len, prog.p4info_bin,
			      prog.p4info_bin_len, 1, &err) < 0) {
		fprintf(stderr, "client: %s\n", err.msg);
		exit(1);
	}
	return c;
}

/* A frame dst <- src of EtherType type into port 1: the egress port (-1:
 * dropped); the EtherType it left with in *out_type. */
static int run(struct p4rts_server *s, uint8_t dst, uint16_t src, uint16_t type, int *out_type)
{
	uint8_t pkt[14] = { 0, 0, 0, 0, 0, dst, 0, 0, 0, 0, (uint8_t)(src >> 8), (uint8_t)src,
			    (uint8_t)(type >> 8), (uint8_t)type };
	struct sw_switch *sw = p4rts_lock(s);
	int port = sw_process(sw, 1, pkt, sizeof(pkt));
	if (port >= 0) {
		uint8_t *o = NULL;
		int n = sw_port_take(sw, (uint32_t)port, &o);
		if (out_type && n >= 14)
			*out_type = o[12] << 8 | o[13];
		free(o);
	}
	p4rts_unlock(s);
	return port;
}

/* ---- messages ---------------------------------------------------------------------- */

static uint32_t id_of(struct p4rt_client *c, const char *name)
{
	const P4__Config__V1__P4Info *i = p4rt_p4info(c);
#define LOOK(arr, n)                                                            \
	for (size_t k = 0; k < i->n; k++)                                       \
		if (!strcmp(i->arr[k]->preamble->name, name))                   \
			return i->arr[k]->preamble->id;
	LOOK(tables, n_tables)
	LOOK(actions, n_actions)
	LOOK(action_profiles, n_action_profiles)
	LOOK(meters, n_meters)
	LOOK(direct_meters, n_direct_meters)
	LOOK(direct_counters, n_direct_counters)
	LOOK(value_sets, n_value_sets)
#undef LOOK
	fprintf(stderr, "no P4Info object %s\n", name);
	exit(1);
}

static int write_one(struct p4rt_client *c, P4__V1__Update__Type type, P4__V1__Entity *e)
{
	P4__V1__Update u, *up = &u;
	p4__v1__update__init(&u);
	u.type = type;
	u.entity = e;
	int r = p4rt_write(c, &up, 1, &err);
	size_t n;
	const struct p4rt_update_error *ue = p4rt_update_errors(c, &n);
	if (r == -EIO && n == 1)   /* the update's own code */
		r = p4rt_errno(ue[0].code);
	return r;
}

/* fwd(port) as an Action (storage in a and p). */
static P4__V1__Action *fwd(struct p4rt_client *c, const char *action, uint8_t *port,
			   P4__V1__Action *a, P4__V1__Action__Param *p, P4__V1__Action__Param **pp)
{
	p4__v1__action__init(a);
	p4__v1__action__param__init(p);
	a->action_id = id_of(c, action);
	p->param_id = 1;
	p->value = (ProtobufCBinaryData){ 1, port };
	*pp = p;
	a->n_params = 1;
	a->params = pp;
	return a;
}

static int member(struct p4rt_client *c, P4__V1__Update__Type type, const char *prof,
		  uint32_t id, uint8_t port)
{
	P4__V1__Entity e;
	P4__V1__ActionProfileMember m;
	P4__V1__Action a;
	P4__V1__Action__Param p, *pp;
	p4__v1__entity__init(&e);
	p4__v1__action_profile_member__init(&m);
	m.action_profile_id = id_of(c, prof);
	m.member_id = id;
	m.action = fwd(c, "I.fwd", &port, &a, &p, &pp);
	e.entity_case = P4__V1__ENTITY__ENTITY_ACTION_PROFILE_MEMBER;
	e.action_profile_member = &m;
	return write_one(c, type, &e);
}

/* A group of n members (ids[i] with weights[i]). */
static int group(struct p4rt_client *c, P4__V1__Update__Type type, const char *prof,
		 uint32_t id, size_t n, const uint32_t *ids, const int32_t *weights)
{
	P4__V1__Entity e;
	P4__V1__ActionProfileGroup g;
	P4__V1__ActionProfileGroup__Member gm[8], *gmp[8];
	uint8_t wp[2] = { 0, 7 };
	p4__v1__entity__init(&e);
	p4__v1__action_profile_group__init(&g);
	g.action_profile_id = id_of(c, prof);
	g.group_id = id;
	for (size_t i = 0; i < n; i++) {
		p4__v1__action_profile_group__member__init(&gm[i]);
		gm[i].member_id = ids[i];
		gm[i].weight = weights[i];
		gm[i].watch_kind_case = P4__V1__ACTION_PROFILE_GROUP__MEMBER__WATCH_KIND_WATCH_PORT;
		gm[i].watch_port = (ProtobufCBinaryData){ 2, wp };
		gmp[i] = &gm[i];
	}
	g.n_members = n;
	g.members = gmp;
	e.entity_case = P4__V1__ENTITY__ENTITY_ACTION_PROFILE_GROUP;
	e.action_profile_group = &g;
	return write_one(c, type, &e);
}

/* An entry of table with an exact one-byte key and what it runs: a member or
 * group (ref 1 or 2, id), or action with port (ref 0); cd and mc (may be
 * NULL) are its direct counter and meter data. */
static int entry_data(struct p4rt_client *c, P4__V1__Update__Type type, const char *table,
		      uint8_t key, int ref, uint32_t id, const char *action, uint8_t port,
		      P4__V1__CounterData *cd, P4__V1__MeterConfig *mc)
{
	P4__V1__Entity e;
	P4__V1__TableEntry te;
	P4__V1__FieldMatch fm, *fmp = &fm;
	P4__V1__FieldMatch__Exact ex;
	P4__V1__TableAction ta;
	P4__V1__Action a;
	P4__V1__Action__Param p, *pp;
	p4__v1__entity__init(&e);
	p4__v1__table_entry__init(&te);
	p4__v1__field_match__init(&fm);
	p4__v1__field_match__exact__init(&ex);
	p4__v1__table_action__init(&ta);
	te.table_id = id_of(c, table);
	fm.field_id = 1;
	fm.field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_EXACT;
	ex.value = (ProtobufCBinaryData){ 1, &key };
	fm.exact = &ex;
	te.n_match = 1;
	te.match = &fmp;
	if (ref == 1) {
		ta.type_case = P4__V1__TABLE_ACTION__TYPE_ACTION_PROFILE_MEMBER_ID;
		ta.action_profile_member_id = id;
	} else if (ref == 2) {
		ta.type_case = P4__V1__TABLE_ACTION__TYPE_ACTION_PROFILE_GROUP_ID;
		ta.action_profile_group_id = id;
	} else if (action) {
		ta.type_case = P4__V1__TABLE_ACTION__TYPE_ACTION;
		ta.action = fwd(c, action, &port, &a, &p, &pp);
	}
	if (type != P4__V1__UPDATE__TYPE__DELETE)
		te.action = &ta;
	te.counter_data = cd;
	te.meter_config = mc;
	e.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e.table_entry = &te;
	return write_one(c, type, &e);
}

static int entry(struct p4rt_client *c, P4__V1__Update__Type type, const char *table,
		 uint8_t key, int ref, uint32_t id, const char *action, uint8_t port)
{
	return entry_data(c, type, table, key, ref, id, action, port, NULL, NULL);
}

/* Entities of one kind read back; the last one kept (packed) in last. */
struct got {
	int n;
	uint8_t last[512];
	size_t last_len;
};

static int got_one(void *ctx, const P4__V1__Entity *e)
{
	struct got *g = ctx;
	g->n++;
	g->last_len = p4__v1__entity__get_packed_size(e);
	if (g->last_len <= sizeof(g->last))
		p4__v1__entity__pack(e, g->last);
	return 0;
}

static int read_one(struct p4rt_client *c, P4__V1__Entity *e, struct got *g)
{
	memset(g, 0, sizeof(*g));
	return p4rt_read(c, &e, 1, got_one, g, &err);
}

/* ---- action profiles ----------------------------------------------------------------- */

#define INS P4__V1__UPDATE__TYPE__INSERT
#define MOD P4__V1__UPDATE__TYPE__MODIFY
#define DEL P4__V1__UPDATE__TYPE__DELETE

static void test_profiles(void)
{
	char addr[64];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr);
	/* members of ap, an entry of by_src naming one */
	OK(member(c, INS, "I.ap", 10, 3));
	OK(member(c, INS, "I.ap", 20, 4));
	OK(entry(c, INS, "I.by_src", 0x21, 1, 10, NULL, 0));
	CHECK(run(s, 0, 0x21, 1, NULL) == 3);
	OK(member(c, MOD, "I.ap", 10, 5));
	CHECK(run(s, 0, 0x21, 1, NULL) == 5);
	OK(entry(c, MOD, "I.by_src", 0x21, 1, 20, NULL, 0));
	CHECK(run(s, 0, 0x21, 1, NULL) == 4);
	FAILS(member(c, INS, "I.ap", 10, 3), EEXIST, "member 10 exists already");
	FAILS(member(c, INS, "I.ap", 0, 3), EINVAL, "member ids start at 1");
	FAILS(member(c, MOD, "I.ap", 11, 3), ENOENT, "has no member 11");
	FAILS(entry(c, INS, "I.by_src", 0x22, 1, 99, NULL, 0), ENOENT, "has no member 99");
	FAILS(entry(c, INS, "I.by_src", 0x22, 0, 0, "I.fwd", 1), EINVAL, "is indirect");
	FAILS(entry(c, INS, "I.counted", 0x22, 1, 10, NULL, 0), EINVAL, "has no action profile");
	FAILS(entry(c, INS, "I.by_src", 0x22, 2, 1, NULL, 0), EINVAL, "has no selector: it has members only");
	FAILS(member(c, DEL, "I.ap", 20, 0), ENXIO, "is used by 1");
	uint32_t one = 10;
	int32_t w1 = 1;
	FAILS(group(c, INS, "I.ap", 1, 1, &one, &w1), EINVAL, "has no selector");
	/* members of the selector and a weighted group */
	OK(member(c, INS, "I.ecmp_profile", 1, 1));
	OK(member(c, INS, "I.ecmp_profile", 2, 2));
	uint32_t ids[] = { 1, 2 };
	int32_t ws[] = { 1, 3 }, w0[] = { 1, 0 };
	FAILS(group(c, INS, "I.ecmp_profile", 7, 2, ids, w0), EINVAL, "weights are at least 1");
	uint32_t bad[] = { 1, 5 };
	FAILS(group(c, INS, "I.ecmp_profile", 7, 2, bad, ws), ENOENT, "no member 5");
	OK(group(c, INS, "I.ecmp_profile", 7, 2, ids, ws));
	OK(entry(c, INS, "I.ecmp", 0x31, 2, 7, NULL, 0));
	int on[10] = { 0 };
	for (int i = 0; i < 200; i++) {
		int port = run(s, 0x31, (uint16_t)(i * 7919), 2, NULL);
		if (port >= 0 && port < 10)
			on[port]++;
	}
	CHECK(on[1] + on[2] == 200 && on[1] > 10 && on[2] > on[1]);
	if (on[1] + on[2] != 200 || on[1] <= 10 || on[2] <= on[1])
		fprintf(stderr, "ports 1 and 2: %d, %d\n", on[1], on[2]);
	/* read back: members, the group with its weights and watch ports */
	P4__V1__Entity e;
	P4__V1__ActionProfileMember rm;
	P4__V1__ActionProfileGroup rg;
	struct got g;
	p4__v1__entity__init(&e);
	p4__v1__action_profile_member__init(&rm);
	e.entity_case = P4__V1__ENTITY__ENTITY_ACTION_PROFILE_MEMBER;
	e.action_profile_member = &rm;
	CHECK(read_one(c, &e, &g) == 4);               /* every profile */
	rm.action_profile_id = id_of(c, "I.ecmp_profile");
	CHECK(read_one(c, &e, &g) == 2);
	rm.member_id = 2;
	CHECK(read_one(c, &e, &g) == 1);
	P4__V1__Entity *back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && back->action_profile_member->member_id == 2 &&
	      back->action_profile_member->action->params[0]->value.len == 1 &&
	      back->action_profile_member->action->params[0]->value.data[0] == 2);
	p4__v1__entity__free_unpacked(back, NULL);
	p4__v1__action_profile_group__init(&rg);
	e.entity_case = P4__V1__ENTITY__ENTITY_ACTION_PROFILE_GROUP;
	e.action_profile_group = &rg;
	CHECK(read_one(c, &e, &g) == 1);
	back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && back->action_profile_group->group_id == 7 &&
	      back->action_profile_group->n_members == 2 &&
	      back->action_profile_group->members[1]->weight == 3 &&
	      back->action_profile_group->members[1]->watch_port.len == 2);
	p4__v1__entity__free_unpacked(back, NULL);
	/* the entry reads back naming its group */
	P4__V1__TableEntry te;
	p4__v1__table_entry__init(&te);
	te.table_id = id_of(c, "I.ecmp");
	e.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e.table_entry = &te;
	CHECK(read_one(c, &e, &g) == 1);
	back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && back->table_entry->action->type_case ==
	      P4__V1__TABLE_ACTION__TYPE_ACTION_PROFILE_GROUP_ID &&
	      back->table_entry->action->action_profile_group_id == 7);
	p4__v1__entity__free_unpacked(back, NULL);
	/* a smaller group; members and groups in use cannot go */
	FAILS(member(c, DEL, "I.ecmp_profile", 2, 0), ENXIO, "is used by 1");
	OK(group(c, MOD, "I.ecmp_profile", 7, 1, ids, ws));
	memset(on, 0, sizeof(on));
	for (int i = 0; i < 20; i++)
		on[run(s, 0x31, (uint8_t)i, 2, NULL) & 7]++;
	CHECK(on[1] == 20);
	OK(member(c, DEL, "I.ecmp_profile", 2, 0));
	FAILS(group(c, DEL, "I.ecmp_profile", 7, 0, NULL, NULL), ENXIO, "used by 1 table");
	OK(entry(c, DEL, "I.ecmp", 0x31, 0, 0, NULL, 0));
	OK(group(c, DEL, "I.ecmp_profile", 7, 0, NULL, NULL));
	OK(member(c, DEL, "I.ecmp_profile", 1, 0));
	CHECK(run(s, 0x31, 0, 2, NULL) == -1);
	/* a rolled-back batch leaves no member behind */
	P4__V1__Entity me;
	P4__V1__ActionProfileMember mm;
	P4__V1__Action a;
	P4__V1__Action__Param p, *pp;
	uint8_t port = 6;
	p4__v1__entity__init(&me);
	p4__v1__action_profile_member__init(&mm);
	mm.action_profile_id = id_of(c, "I.ap");
	mm.member_id = 30;
	mm.action = fwd(c, "I.fwd", &port, &a, &p, &pp);
	me.entity_case = P4__V1__ENTITY__ENTITY_ACTION_PROFILE_MEMBER;
	me.action_profile_member = &mm;
	P4__V1__Update u[2], *up[2] = { &u[0], &u[1] };
	for (int i = 0; i < 2; i++) {
		p4__v1__update__init(&u[i]);
		u[i].type = INS;
		u[i].entity = &me;
	}
	FAILS(p4rt_write_atomic(c, up, 2, P4__V1__WRITE_REQUEST__ATOMICITY__ROLLBACK_ON_ERROR,
				&err), EIO, "update 1 failed");
	e.entity_case = P4__V1__ENTITY__ENTITY_ACTION_PROFILE_MEMBER;
	e.action_profile_member = &rm;
	rm.action_profile_id = id_of(c, "I.ap");
	rm.member_id = 30;
	CHECK(read_one(c, &e, &g) == 0);
	/* by name */
	OK(p4rt_member_write(c, INS, "ap", 50, "fwd", "port=7", &err));
	OK(p4rt_table_add_ref(c, "by_src", "src=0x55", 0, false, 50, &err));
	CHECK(run(s, 0, 0x55, 1, NULL) == 7);
	FAILS(p4rt_member_write(c, INS, "nope", 51, "fwd", "port=7", &err), ENOENT,
	      "no action profile named 'nope'");
	FAILS(p4rt_member_write(c, INS, "ap", 51, "fwd_c", "port=7", &err), EINVAL,
	      "not an action of table I.by_src");
	OK(p4rt_member_write(c, INS, "ecmp_profile", 61, "fwd", "port=1", &err));
	OK(p4rt_member_write(c, INS, "ecmp_profile", 62, "fwd", "port=2", &err));
	struct p4rt_group_member gms[] = { { 61, 1, 3 }, { 62, 0, 0 } };
	OK(p4rt_group_write(c, INS, "ecmp_profile", 70, gms, 2, &err));
	OK(p4rt_table_add_ref(c, "ecmp", "dst=0x77", 0, true, 70, &err));
	int out_port = run(s, 0x77, 9, 2, NULL);
	CHECK(out_port == 1 || out_port == 2);
	FAILS(p4rt_member_write(c, DEL, "ecmp_profile", 61, NULL, NULL, &err), ENXIO, "is used by");
	OK(p4rt_table_delete(c, "ecmp", "dst=0x77", 0, &err));
	OK(p4rt_group_write(c, DEL, "ecmp_profile", 70, NULL, 0, &err));
	OK(p4rt_member_write(c, DEL, "ecmp_profile", 61, NULL, NULL, &err));
	OK(p4rt_table_delete(c, "by_src", "src=0x55", 0, &err));
	OK(p4rt_member_write(c, DEL, "ap", 50, NULL, NULL, &err));
	/* the profile holds 8 members */
	for (uint32_t i = 0; i < 6; i++)
		OK(member(c, INS, "I.ap", 100 + i, 1));
	FAILS(member(c, INS, "I.ap", 200, 1), ENOSPC, "is full");
	p4rt_close(c);
	p4rts_stop(s);
}

/* ---- direct counters and meters ------------------------------------------------------ */

/* An entry of counted (fwd_c) or metered (fwd_m) with exact key and data. */
static int entry_with(struct p4rt_client *c, P4__V1__Update__Type type, const char *table,
		      const char *action, uint8_t key, uint8_t port, P4__V1__CounterData *cd,
		      P4__V1__MeterConfig *mc)
{
	return entry_data(c, type, table, key, 0, 0, action, port, cd, mc);
}

/* Reads table's entries (with counter_data / meter_config asked for), or
 * its DirectCounterEntry / DirectMeterEntry (kind 1, 2); key 0: all. */
static int read_direct(struct p4rt_client *c, int kind, const char *table, uint8_t key,
		       bool counters, bool meters, struct got *g)
{
	P4__V1__Entity e;
	P4__V1__TableEntry te;
	P4__V1__FieldMatch fm, *fmp = &fm;
	P4__V1__FieldMatch__Exact ex;
	P4__V1__CounterData cd;
	P4__V1__MeterConfig mc;
	P4__V1__DirectCounterEntry dce;
	P4__V1__DirectMeterEntry dme;
	p4__v1__entity__init(&e);
	p4__v1__table_entry__init(&te);
	p4__v1__field_match__init(&fm);
	p4__v1__field_match__exact__init(&ex);
	p4__v1__counter_data__init(&cd);
	p4__v1__meter_config__init(&mc);
	p4__v1__direct_counter_entry__init(&dce);
	p4__v1__direct_meter_entry__init(&dme);
	te.table_id = id_of(c, table);
	if (key) {
		fm.field_id = 1;
		fm.field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_EXACT;
		ex.value = (ProtobufCBinaryData){ 1, &key };
		fm.exact = &ex;
		te.n_match = 1;
		te.match = &fmp;
	}
	if (counters)
		te.counter_data = &cd;
	if (meters)
		te.meter_config = &mc;
	if (kind == 1) {
		dce.table_entry = &te;
		e.entity_case = P4__V1__ENTITY__ENTITY_DIRECT_COUNTER_ENTRY;
		e.direct_counter_entry = &dce;
	} else if (kind == 2) {
		dme.table_entry = &te;
		e.entity_case = P4__V1__ENTITY__ENTITY_DIRECT_METER_ENTRY;
		e.direct_meter_entry = &dme;
	} else {
		e.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
		e.table_entry = &te;
	}
	return read_one(c, &e, g);
}

static void test_direct(void)
{
	char addr[64];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr);
	P4__V1__CounterData cd;
	P4__V1__MeterConfig mc;
	struct got g;
	p4__v1__counter_data__init(&cd);
	p4__v1__meter_config__init(&mc);
	/* a direct counter starting at 5 packets, 100 bytes; two frames of 14 */
	cd.packet_count = 5;
	cd.byte_count = 100;
	OK(entry_with(c, INS, "I.counted", "I.fwd_c", 0x41, 2, &cd, NULL));
	CHECK(run(s, 0x41, 0, 3, NULL) == 2 && run(s, 0x41, 0, 3, NULL) == 2);
	CHECK(read_direct(c, 0, "I.counted", 0, true, false, &g) == 1);
	P4__V1__Entity *back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && back->table_entry->counter_data &&
	      back->table_entry->counter_data->packet_count == 7 &&
	      back->table_entry->counter_data->byte_count == 128);
	p4__v1__entity__free_unpacked(back, NULL);
	CHECK(read_direct(c, 0, "I.counted", 0x41, false, false, &g) == 1);
	back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && !back->table_entry->counter_data);
	p4__v1__entity__free_unpacked(back, NULL);
	CHECK(read_direct(c, 1, "I.counted", 0, false, false, &g) == 1);
	back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && back->entity_case == P4__V1__ENTITY__ENTITY_DIRECT_COUNTER_ENTRY &&
	      back->direct_counter_entry->data->packet_count == 7 &&
	      back->direct_counter_entry->table_entry->n_match == 1);
	p4__v1__entity__free_unpacked(back, NULL);
	/* a modify keeps the counter; a DirectCounterEntry sets it */
	OK(entry_with(c, MOD, "I.counted", "I.fwd_c", 0x41, 3, NULL, NULL));
	CHECK(run(s, 0x41, 0, 3, NULL) == 3);
	CHECK(read_direct(c, 1, "I.counted", 0x41, false, false, &g) == 1);
	back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && back->direct_counter_entry->data->packet_count == 8);
	p4__v1__entity__free_unpacked(back, NULL);
	P4__V1__Entity e;
	P4__V1__DirectCounterEntry dce;
	P4__V1__TableEntry te;
	P4__V1__FieldMatch fm, *fmp = &fm;
	P4__V1__FieldMatch__Exact ex;
	uint8_t key = 0x41;
	p4__v1__entity__init(&e);
	p4__v1__direct_counter_entry__init(&dce);
	p4__v1__table_entry__init(&te);
	p4__v1__field_match__init(&fm);
	p4__v1__field_match__exact__init(&ex);
	te.table_id = id_of(c, "I.counted");
	fm.field_id = 1;
	fm.field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_EXACT;
	ex.value = (ProtobufCBinaryData){ 1, &key };
	fm.exact = &ex;
	te.n_match = 1;
	te.match = &fmp;
	cd.packet_count = 1000;
	cd.byte_count = 0;
	dce.table_entry = &te;
	dce.data = &cd;
	e.entity_case = P4__V1__ENTITY__ENTITY_DIRECT_COUNTER_ENTRY;
	e.direct_counter_entry = &dce;
	OK(write_one(c, MOD, &e));
	CHECK(read_direct(c, 1, "I.counted", 0x41, false, false, &g) == 1);
	back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && back->direct_counter_entry->data->packet_count == 1000);
	p4__v1__entity__free_unpacked(back, NULL);
	FAILS(write_one(c, INS, &e), EINVAL, "only modified");
	key = 0x42;
	FAILS(write_one(c, MOD, &e), ENOENT, "no such entry");
	FAILS(entry_with(c, INS, "I.metered", "I.fwd_m", 0x41, 2, &cd, NULL), EINVAL,
	      "has no direct counter");
	FAILS(read_direct(c, 1, "I.metered", 0, false, false, &g), EINVAL, "has no direct counter");

	/* a direct meter of 1 packet of burst that never refills: green, then red */
	mc.cburst = 1;
	mc.pburst = 1;
	int type = -1;
	OK(entry_with(c, INS, "I.metered", "I.fwd_m", 0x51, 3, NULL, &mc));
	OK(entry_with(c, INS, "I.metered", "I.fwd_m", 0x52, 3, NULL, NULL));
	CHECK(run(s, 0x51, 0, 4, &type) == 3 && type == 0);
	CHECK(run(s, 0x51, 0, 4, &type) == 3 && type == 2);
	CHECK(run(s, 0x52, 0, 4, &type) == 3 && type == 0);   /* no config: green */
	CHECK(run(s, 0x52, 0, 4, &type) == 3 && type == 0);
	CHECK(read_direct(c, 0, "I.metered", 0x51, false, true, &g) == 1);
	back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && back->table_entry->meter_config &&
	      back->table_entry->meter_config->cburst == 1 &&
	      back->table_entry->meter_config->pir == 0);
	p4__v1__entity__free_unpacked(back, NULL);
	CHECK(read_direct(c, 2, "I.metered", 0, false, false, &g) == 2);
	/* a DirectMeterEntry gives 0x52 a burst of 1 too */
	P4__V1__DirectMeterEntry dme;
	p4__v1__direct_meter_entry__init(&dme);
	te.table_id = id_of(c, "I.metered");
	key = 0x52;
	dme.table_entry = &te;
	dme.config = &mc;
	e.entity_case = P4__V1__ENTITY__ENTITY_DIRECT_METER_ENTRY;
	e.direct_meter_entry = &dme;
	OK(write_one(c, MOD, &e));
	CHECK(run(s, 0x52, 0, 4, &type) == 3 && type == 0);
	CHECK(run(s, 0x52, 0, 4, &type) == 3 && type == 2);
	mc.pir = 5;
	mc.cir = 10;
	FAILS(write_one(c, MOD, &e), EINVAL, "peak rate at least");
	FAILS(entry_with(c, INS, "I.counted", "I.fwd_c", 0x43, 2, NULL, &mc), EINVAL,
	      "has no direct meter");
	p4rt_close(c);
	p4rts_stop(s);
}

/* ---- meters and value sets ------------------------------------------------------------ */

/* port_m's cell index (-1: every cell) set to mc. */
static int meter_write(struct p4rt_client *c, P4__V1__Update__Type type, int64_t index,
		       P4__V1__MeterConfig *mc)
{
	P4__V1__Entity e;
	P4__V1__MeterEntry me;
	P4__V1__Index ix;
	p4__v1__entity__init(&e);
	p4__v1__meter_entry__init(&me);
	p4__v1__index__init(&ix);
	me.meter_id = id_of(c, "I.port_m");
	ix.index = index;
	if (index >= 0)
		me.index = &ix;
	me.config = mc;
	e.entity_case = P4__V1__ENTITY__ENTITY_METER_ENTRY;
	e.meter_entry = &me;
	return write_one(c, type, &e);
}

static void test_meters(void)
{
	char addr[64];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr);
	P4__V1__MeterConfig mc;
	struct got g;
	int type = -1;
	p4__v1__meter_config__init(&mc);
	CHECK(run(s, 0, 0, 5, &type) == 1 && type == 0);   /* unconfigured: green */
	CHECK(run(s, 0, 0, 5, &type) == 1 && type == 0);
	mc.cburst = 1;
	mc.pburst = 2;
	OK(meter_write(c, MOD, 0, &mc));
	CHECK(run(s, 0, 0, 5, &type) == 1 && type == 0);
	CHECK(run(s, 0, 0, 5, &type) == 1 && type == 1);   /* peak token left */
	CHECK(run(s, 0, 0, 5, &type) == 1 && type == 2);
	P4__V1__Entity e;
	P4__V1__MeterEntry me;
	p4__v1__entity__init(&e);
	p4__v1__meter_entry__init(&me);
	e.entity_case = P4__V1__ENTITY__ENTITY_METER_ENTRY;
	e.meter_entry = &me;
	CHECK(read_one(c, &e, &g) == 4);                     /* every cell of every meter */
	P4__V1__Index ix;
	p4__v1__index__init(&ix);
	me.meter_id = id_of(c, "I.port_m");
	me.index = &ix;
	CHECK(read_one(c, &e, &g) == 1);
	P4__V1__Entity *back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && back->meter_entry->config && back->meter_entry->config->pburst == 2 &&
	      back->meter_entry->config->cburst == 1);
	p4__v1__entity__free_unpacked(back, NULL);
	ix.index = 3;
	CHECK(read_one(c, &e, &g) == 1);
	back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && !back->meter_entry->config);
	p4__v1__entity__free_unpacked(back, NULL);
	OK(meter_write(c, MOD, -1, &mc));                    /* every cell */
	CHECK(read_one(c, &e, &g) == 1);
	back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && back->meter_entry->config && back->meter_entry->config->pburst == 2);
	p4__v1__entity__free_unpacked(back, NULL);
	FAILS(meter_write(c, MOD, 4, &mc), EINVAL, "has 4 cells");
	FAILS(meter_write(c, INS, 0, &mc), EINVAL, "only modified");
	FAILS(meter_write(c, MOD, 0, NULL), ENOSYS, "resetting cells");
	mc.eburst = 3;
	FAILS(meter_write(c, MOD, 0, &mc), EINVAL, "two-rate");
	mc.eburst = 0;
	mc.cir = 5;
	FAILS(meter_write(c, MOD, 0, &mc), EINVAL, "peak rate at least");
	/* rates written while the dataplane thread runs */
	struct sw_switch *sw = p4rts_lock(s);
	OK(sw_start(sw, &err));
	p4rts_unlock(s);
	mc.cir = 0;
	mc.cburst = 2;
	mc.pburst = 2;
	OK(meter_write(c, MOD, 0, &mc));
	CHECK(run(s, 0, 0, 5, &type) == 1 && type == 0);
	CHECK(run(s, 0, 0, 5, &type) == 1 && type == 0);
	CHECK(run(s, 0, 0, 5, &type) == 1 && type == 2);
	OK(entry_with(c, INS, "I.metered", "I.fwd_m", 0x51, 3, NULL, &mc));
	CHECK(run(s, 0x51, 0, 4, &type) == 3 && type == 0);
	sw = p4rts_lock(s);
	sw_stop(sw);
	p4rts_unlock(s);
	p4rt_close(c);
	p4rts_stop(s);
}

/* The value set `special` written with n EtherTypes. */
static int vset_write(struct p4rt_client *c, P4__V1__Update__Type type, size_t n,
		      const uint16_t *types)
{
	P4__V1__Entity e;
	P4__V1__ValueSetEntry ve;
	P4__V1__ValueSetMember m[8], *mp[8];
	P4__V1__FieldMatch fm[8], *fmp[8];
	P4__V1__FieldMatch__Exact ex[8];
	uint8_t v[8][2];
	p4__v1__entity__init(&e);
	p4__v1__value_set_entry__init(&ve);
	ve.value_set_id = id_of(c, "P.special");
	for (size_t i = 0; i < n; i++) {
		p4__v1__value_set_member__init(&m[i]);
		p4__v1__field_match__init(&fm[i]);
		p4__v1__field_match__exact__init(&ex[i]);
		v[i][0] = (uint8_t)(types[i] >> 8);
		v[i][1] = (uint8_t)types[i];
		ex[i].value = (ProtobufCBinaryData){ 2, v[i] };
		fm[i].field_id = 1;
		fm[i].field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_EXACT;
		fm[i].exact = &ex[i];
		fmp[i] = &fm[i];
		m[i].n_match = 1;
		m[i].match = &fmp[i];
		mp[i] = &m[i];
	}
	ve.n_members = n;
	ve.members = mp;
	e.entity_case = P4__V1__ENTITY__ENTITY_VALUE_SET_ENTRY;
	e.value_set_entry = &ve;
	return write_one(c, type, &e);
}

static void test_value_sets(void)
{
	char addr[64];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr);
	struct got g;
	P4__V1__Entity e;
	P4__V1__ValueSetEntry ve;
	p4__v1__entity__init(&e);
	p4__v1__value_set_entry__init(&ve);
	e.entity_case = P4__V1__ENTITY__ENTITY_VALUE_SET_ENTRY;
	e.value_set_entry = &ve;
	CHECK(read_one(c, &e, &g) == 1);       /* the set, empty */
	CHECK(run(s, 0, 0, 0x88b5, NULL) != 9);
	uint16_t two[] = { 0x88b5, 0x1234 }, five[] = { 1, 2, 3, 4, 5 }, dup[] = { 7, 7 };
	OK(vset_write(c, MOD, 2, two));
	CHECK(run(s, 0, 0, 0x88b5, NULL) == 9 && run(s, 0, 0, 0x1234, NULL) == 9);
	CHECK(run(s, 0, 0, 0x1235, NULL) != 9);
	CHECK(read_one(c, &e, &g) == 1);
	P4__V1__Entity *back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && back->value_set_entry->n_members == 2 &&
	      back->value_set_entry->members[1]->match[0]->exact->value.data[0] == 0x12);
	p4__v1__entity__free_unpacked(back, NULL);
	FAILS(vset_write(c, MOD, 5, five), ENOSPC, "holds 4 values");
	FAILS(vset_write(c, MOD, 2, dup), EINVAL, "are the same value");
	FAILS(vset_write(c, INS, 2, two), EINVAL, "written whole with MODIFY");
	CHECK(run(s, 0, 0, 0x88b5, NULL) == 9);   /* refused writes changed nothing */
	OK(vset_write(c, MOD, 1, five));
	CHECK(run(s, 0, 0, 0x88b5, NULL) != 9);
	OK(vset_write(c, MOD, 0, NULL));
	CHECK(read_one(c, &e, &g) == 1);
	back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && back->value_set_entry->n_members == 0);
	p4__v1__entity__free_unpacked(back, NULL);
	ve.value_set_id = 0x03000001;
	FAILS(read_one(c, &e, &g), ENOENT, "no value set with id");
	p4rt_close(c);
	p4rts_stop(s);
}

/* ---- clone sessions -------------------------------------------------------------------- */

/* Packets queued on port (taken and dropped). */
static int count_on(struct p4rts_server *s, uint32_t port)
{
	struct sw_switch *sw = p4rts_lock(s);
	uint8_t *o;
	int n = 0;
	while (sw && sw_port_take(sw, port, &o) >= 0) {
		free(o);
		n++;
	}
	p4rts_unlock(s);
	return n;
}

/* Sends one frame of EtherType 7 and counts what left on ports 1..9. */
static void clone_run(struct p4rts_server *s, int *on)
{
	uint8_t pkt[14] = { [12] = 0, [13] = 7 };
	struct sw_switch *sw = p4rts_lock(s);
	sw_process(sw, 1, pkt, sizeof(pkt));
	p4rts_unlock(s);
	for (uint32_t p = 1; p <= 9; p++)
		on[p] = count_on(s, p);
}

static void test_clones(void)
{
	char addr[64];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr);
	int on[10];
	struct p4rt_replica three[] = { { 2, 0 }, { 3, 0 }, { 4, 1 } }, one[] = { { 6, 0 } };
	clone_run(s, on);
	CHECK(on[1] == 1 && on[2] + on[3] + on[4] == 0);
	/* three replicas: the session's own multicast group */
	P4__V1__Entity e;
	P4__V1__PacketReplicationEngineEntry pe;
	P4__V1__CloneSessionEntry cs;
	P4__V1__Replica r[3], *rp[3];
	p4__v1__entity__init(&e);
	p4__v1__packet_replication_engine_entry__init(&pe);
	p4__v1__clone_session_entry__init(&cs);
	for (int i = 0; i < 3; i++) {
		p4__v1__replica__init(&r[i]);
		r[i].port_kind_case = P4__V1__REPLICA__PORT_KIND_PORT;
		r[i].port = (ProtobufCBinaryData){ 1, (uint8_t *)&three[i].port };
		r[i].instance = three[i].instance;
		rp[i] = &r[i];
	}
	cs.session_id = 5;
	cs.n_replicas = 3;
	cs.replicas = rp;
	pe.type_case = P4__V1__PACKET_REPLICATION_ENGINE_ENTRY__TYPE_CLONE_SESSION_ENTRY;
	pe.clone_session_entry = &cs;
	e.entity_case = P4__V1__ENTITY__ENTITY_PACKET_REPLICATION_ENGINE_ENTRY;
	e.packet_replication_engine_entry = &pe;
	OK(write_one(c, INS, &e));
	clone_run(s, on);
	CHECK(on[1] == 1 && on[2] == 1 && on[3] == 1 && on[4] == 1 && on[5] == 0);
	/* the controller takes the group id the session held: the copies move */
	OK(p4rt_mcast_group_write(c, INS, 0xffff, one, 1, &err));
	clone_run(s, on);
	CHECK(on[1] == 1 && on[2] == 1 && on[3] == 1 && on[4] == 1 && on[6] == 0);
	struct got g;
	P4__V1__PacketReplicationEngineEntry all;
	p4__v1__packet_replication_engine_entry__init(&all);
	e.packet_replication_engine_entry = &all;
	CHECK(read_one(c, &e, &g) == 2);
	e.packet_replication_engine_entry = &pe;
	/* down to one port, then gone */
	cs.n_replicas = 1;
	OK(write_one(c, MOD, &e));
	clone_run(s, on);
	CHECK(on[1] == 1 && on[2] == 1 && on[3] + on[4] == 0);
	cs.n_replicas = 3;
	OK(write_one(c, MOD, &e));
	clone_run(s, on);
	CHECK(on[2] + on[3] + on[4] == 3);
	OK(write_one(c, DEL, &e));
	clone_run(s, on);
	CHECK(on[1] == 1 && on[2] + on[3] + on[4] == 0);
	p4rt_close(c);
	p4rts_stop(s);
}

/* ---- RECONCILE_AND_COMMIT ----------------------------------------------------------------- */

static int reconcile(struct p4rt_client *c, const struct p4c_output *o, uint64_t cookie)
{
	return p4rt_set_pipeline_action(c,
		P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__RECONCILE_AND_COMMIT,
		o->bmv2_json, o->bmv2_json_len, o->p4info_bin, o->p4info_bin_len, cookie, &err);
}

static struct p4c_output other;   /* rt.p4: another program */

static void test_reconcile(void)
{
	char addr[64];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr);
	struct got g;
	int on[10], type = -1;
	/* state of every kind */
	uint32_t ids[] = { 1, 2 };
	int32_t ws[] = { 1, 1 };
	OK(member(c, INS, "I.ap", 10, 3));
	OK(entry(c, INS, "I.by_src", 0x21, 1, 10, NULL, 0));
	OK(member(c, INS, "I.ecmp_profile", 1, 1));
	OK(member(c, INS, "I.ecmp_profile", 2, 2));
	OK(group(c, INS, "I.ecmp_profile", 7, 2, ids, ws));
	OK(entry(c, INS, "I.ecmp", 0x31, 2, 7, NULL, 0));
	P4__V1__CounterData cd;
	P4__V1__MeterConfig mc;
	p4__v1__counter_data__init(&cd);
	p4__v1__meter_config__init(&mc);
	cd.packet_count = 41;
	mc.cburst = 1;
	mc.pburst = 1;
	OK(entry_with(c, INS, "I.counted", "I.fwd_c", 0x41, 2, &cd, NULL));
	OK(entry_with(c, INS, "I.metered", "I.fwd_m", 0x51, 3, NULL, &mc));
	OK(meter_write(c, MOD, 0, &mc));
	uint16_t two[] = { 0x88b5, 0x1234 };
	OK(vset_write(c, MOD, 2, two));
	struct p4rt_replica one[] = { { 4, 0 } };
	OK(p4rt_clone_session_write(c, INS, 5, one, &err));
	OK(p4rt_table_set_default(c, "I.counted", "I.fwd_c", "port=8", &err));
	CHECK(run(s, 0x51, 0, 4, &type) == 3 && type == 0);   /* the meter's one token */
	/* the same program again: everything stays */
	OK(reconcile(c, &prog, 9));
	uint64_t cookie = 0;
	OK(p4rt_fetch_pipeline(c, &cookie, &err));
	CHECK(cookie == 9);
	CHECK(run(s, 0, 0x21, 1, NULL) == 3);
	CHECK(run(s, 0x31, 0x1234, 2, NULL) >= 1);
	CHECK(run(s, 0x41, 0, 3, NULL) == 2);
	CHECK(run(s, 0x42, 0, 3, NULL) == 8);                    /* the default */
	CHECK(read_direct(c, 1, "I.counted", 0x41, false, false, &g) == 1);
	P4__V1__Entity *back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && back->direct_counter_entry->data->packet_count == 42);
	p4__v1__entity__free_unpacked(back, NULL);
	CHECK(run(s, 0x51, 0, 4, &type) == 3 && type == 0);   /* a new bucket, refilled */
	CHECK(run(s, 0x51, 0, 4, &type) == 3 && type == 2);
	CHECK(run(s, 0, 0, 5, &type) == 1 && type == 0);
	CHECK(run(s, 0, 0, 5, &type) == 1 && type == 2);
	CHECK(run(s, 0, 0, 0x88b5, NULL) == 9);
	clone_run(s, on);
	CHECK(on[1] == 1 && on[4] == 1);
	/* another program cannot take this state: nothing changes */
	FAILS(reconcile(c, &other, 10), EINVAL, "cannot take the action profile members");
	OK(p4rt_fetch_pipeline(c, &cookie, &err));
	CHECK(cookie == 9 && run(s, 0, 0x21, 1, NULL) == 3);
	p4rt_close(c);
	p4rts_stop(s);
}

/* ---- idle timeouts --------------------------------------------------------------------------- */

/* An entry of aging (key, fwd(1)) with this idle timeout. */
static int aging_entry(struct p4rt_client *c, const char *table, uint8_t key, int64_t timeout)
{
	P4__V1__Entity e;
	P4__V1__TableEntry te;
	P4__V1__FieldMatch fm, *fmp = &fm;
	P4__V1__FieldMatch__Exact ex;
	P4__V1__TableAction ta;
	P4__V1__Action a;
	P4__V1__Action__Param p, *pp;
	uint8_t port = 1;
	p4__v1__entity__init(&e);
	p4__v1__table_entry__init(&te);
	p4__v1__field_match__init(&fm);
	p4__v1__field_match__exact__init(&ex);
	p4__v1__table_action__init(&ta);
	te.table_id = id_of(c, table);
	fm.field_id = 1;
	fm.field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_EXACT;
	ex.value = (ProtobufCBinaryData){ 1, &key };
	fm.exact = &ex;
	te.n_match = 1;
	te.match = &fmp;
	ta.type_case = P4__V1__TABLE_ACTION__TYPE_ACTION;
	ta.action = fwd(c, !strcmp(table, "I.counted") ? "I.fwd_c" : "I.fwd", &port, &a, &p, &pp);
	te.action = &ta;
	te.idle_timeout_ns = timeout;
	e.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e.table_entry = &te;
	return write_one(c, INS, &e);
}

/* The next idle timeout event (others dropped): the key bytes of its
 * entries into keys, their count returned; 0 if none came in 10 s. */
static int next_idle(struct p4rt_client *c, uint8_t *keys, size_t cap)
{
	struct p4rt_event ev;
	for (;;) {
		int r = p4rt_poll(c, &ev, 10000);
		if (r <= 0)
			return 0;
		if (ev.type != P4RT_EV_IDLE_TIMEOUT) {
			p4rt_event_clear(&ev);
			continue;
		}
		size_t n = ev.idle->n_table_entry;
		for (size_t i = 0; i < n && i < cap; i++) {
			const P4__V1__TableEntry *te = ev.idle->table_entry[i];
			keys[i] = te->n_match ? te->match[0]->exact->value.data[0] : 0;
		}
		CHECK(ev.idle->timestamp > 0);
		p4rt_event_clear(&ev);
		return (int)n;
	}
}

static int64_t *ctx_el;   /* elapsed_ns by key byte */

static int elapsed_of(void *ctx, const P4__V1__Entity *e)
{
	(void)ctx;
	const P4__V1__TableEntry *te = e->table_entry;
	if (te->n_match && te->time_since_last_hit)
		ctx_el[te->match[0]->exact->value.data[0]] = te->time_since_last_hit->elapsed_ns;
	return 0;
}

static void test_idle(void)
{
	char addr[64];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr);
	uint8_t keys[8];
	FAILS(aging_entry(c, "I.counted", 0x61, 100000000), EINVAL, "does not support idle");
	OK(aging_entry(c, "I.aging", 0x61, 200000000));      /* 0.2 s */
	OK(aging_entry(c, "I.aging", 0x62, 600000000000));   /* 10 min */
	OK(aging_entry(c, "I.aging", 0x63, 0));              /* never */
	CHECK(next_idle(c, keys, 8) == 1 && keys[0] == 0x61);
	/* told once; a hit starts its clock again, and it is told again */
	CHECK(run(s, 0x61, 0, 6, NULL) == 1);
	CHECK(next_idle(c, keys, 8) == 1 && keys[0] == 0x61);
	struct got g;
	P4__V1__Entity e;
	P4__V1__TableEntry te;
	p4__v1__entity__init(&e);
	p4__v1__table_entry__init(&te);
	te.table_id = id_of(c, "I.aging");
	e.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e.table_entry = &te;
	CHECK(read_one(c, &e, &g) == 3);
	/* time since the last hit: 0x62 was written before 0x64; then hit */
	OK(aging_entry(c, "I.aging", 0x64, 600000000000));
	P4__V1__TableEntry__IdleTimeout ask;
	p4__v1__table_entry__idle_timeout__init(&ask);
	te.time_since_last_hit = &ask;
	for (int round = 0; round < 2; round++) {
		int64_t el[256] = { 0 };
		ctx_el = el;
		CHECK(p4rt_read(c, &(P4__V1__Entity *){ &e }, 1, elapsed_of, NULL, &err) == 4);
		CHECK(el[0x62] > 0 && el[0x64] > 0);
		CHECK(round == 0 ? el[0x62] > el[0x64] : el[0x62] < el[0x64]);
		if (round == 0)
			CHECK(run(s, 0x62, 0, 6, NULL) == 1);
	}
	p4rt_close(c);
	p4rts_stop(s);
}

/* ---- one-shot action sets ------------------------------------------------------------ */

/* An entry of table for dst key (0: the default entry) running a one-shot
 * set of n fwd actions (ports[i], weights[i]; the last one watches port 7).
 * Ports are sent as two bytes, so that the read back shows the canonical
 * one. */
static int oneshot(struct p4rt_client *c, P4__V1__Update__Type type, const char *table,
		   uint8_t key, size_t n, const uint8_t *ports, const int32_t *weights)
{
	P4__V1__Entity e;
	P4__V1__TableEntry te;
	P4__V1__FieldMatch fm, *fmp = &fm;
	P4__V1__FieldMatch__Exact ex;
	P4__V1__TableAction ta;
	P4__V1__ActionProfileActionSet set;
	P4__V1__ActionProfileAction pa[12], *pap[12];
	P4__V1__Action a[12];
	P4__V1__Action__Param p[12], *pp[12];
	uint8_t val[12][2], wp[2] = { 0, 7 };
	p4__v1__entity__init(&e);
	p4__v1__table_entry__init(&te);
	p4__v1__field_match__init(&fm);
	p4__v1__field_match__exact__init(&ex);
	p4__v1__table_action__init(&ta);
	p4__v1__action_profile_action_set__init(&set);
	te.table_id = id_of(c, table);
	fm.field_id = 1;
	fm.field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_EXACT;
	ex.value = (ProtobufCBinaryData){ 1, &key };
	fm.exact = &ex;
	te.n_match = key ? 1 : 0;
	te.match = key ? &fmp : NULL;
	te.is_default_action = !key;
	for (size_t i = 0; i < n; i++) {
		val[i][0] = 0;
		val[i][1] = ports[i];
		p4__v1__action_profile_action__init(&pa[i]);
		pa[i].action = fwd(c, "I.fwd", val[i], &a[i], &p[i], &pp[i]);
		p[i].value.len = 2;
		pa[i].weight = weights[i];
		if (i == n - 1) {
			pa[i].watch_kind_case = P4__V1__ACTION_PROFILE_ACTION__WATCH_KIND_WATCH_PORT;
			pa[i].watch_port = (ProtobufCBinaryData){ 2, wp };
		}
		pap[i] = &pa[i];
	}
	set.n_action_profile_actions = n;
	set.action_profile_actions = pap;
	ta.type_case = P4__V1__TABLE_ACTION__TYPE_ACTION_PROFILE_ACTION_SET;
	ta.action_profile_action_set = &set;
	if (type != P4__V1__UPDATE__TYPE__DELETE)
		te.action = &ta;
	e.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e.table_entry = &te;
	return write_one(c, type, &e);
}

/* How many of 200 sources go to each port for ecmp's entry dst. */
static void spread(struct p4rts_server *s, uint8_t dst, int on[10])
{
	memset(on, 0, 10 * sizeof(*on));
	for (int i = 0; i < 200; i++) {
		int port = run(s, dst, (uint16_t)(i * 7919), 2, NULL);
		on[port >= 0 && port < 10 ? port : 0]++;
	}
}

/* table's default entry: a member or group (ref 1 or 2, id), or with ref 0
 * back to the program's. */
static int deflt(struct p4rt_client *c, const char *table, int ref, uint32_t id)
{
	P4__V1__Entity e;
	P4__V1__TableEntry te;
	P4__V1__TableAction ta;
	p4__v1__entity__init(&e);
	p4__v1__table_entry__init(&te);
	p4__v1__table_action__init(&ta);
	te.table_id = id_of(c, table);
	te.is_default_action = true;
	ta.type_case = ref == 2 ? P4__V1__TABLE_ACTION__TYPE_ACTION_PROFILE_GROUP_ID
		: P4__V1__TABLE_ACTION__TYPE_ACTION_PROFILE_MEMBER_ID;
	ta.action_profile_member_id = id;   /* one field of a oneof: either id */
	if (ref == 2)
		ta.action_profile_group_id = id;
	if (ref)
		te.action = &ta;
	e.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e.table_entry = &te;
	return write_one(c, P4__V1__UPDATE__TYPE__MODIFY, &e);
}

/* table's default entry as read back (free it). */
static P4__V1__TableEntry *read_default(struct p4rt_client *c, const char *table, P4__V1__Entity **r)
{
	P4__V1__Entity e;
	P4__V1__TableEntry te;
	struct got g;
	p4__v1__entity__init(&e);
	p4__v1__table_entry__init(&te);
	te.table_id = id_of(c, table);
	te.is_default_action = true;
	e.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e.table_entry = &te;
	*r = read_one(c, &e, &g) == 1 ? p4__v1__entity__unpack(NULL, g.last_len, g.last) : NULL;
	return *r ? (*r)->table_entry : NULL;
}

static void test_default_ref(void)
{
	char addr[64];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr);
	P4__V1__Entity *r;
	P4__V1__TableEntry *te;
	OK(member(c, INS, "I.ap", 10, 3));
	CHECK(run(s, 0, 0x77, 1, NULL) != 3);
	OK(deflt(c, "I.by_src", 1, 10));
	CHECK(run(s, 0, 0x77, 1, NULL) == 3);      /* a miss runs member 10 */
	te = read_default(c, "I.by_src", &r);
	CHECK(te && te->is_default_action && te->action->type_case ==
	      P4__V1__TABLE_ACTION__TYPE_ACTION_PROFILE_MEMBER_ID &&
	      te->action->action_profile_member_id == 10);
	if (r)
		p4__v1__entity__free_unpacked(r, NULL);
	FAILS(member(c, DEL, "I.ap", 10, 0), ENXIO, "is used by 1");
	OK(member(c, MOD, "I.ap", 10, 5));
	CHECK(run(s, 0, 0x77, 1, NULL) == 5);
	FAILS(deflt(c, "I.by_src", 1, 11), ENOENT, "has no member 11");
	FAILS(deflt(c, "I.by_src", 2, 1), EINVAL, "has no selector");
	/* back to the program's default: the member is free again */
	OK(deflt(c, "I.by_src", 0, 0));
	CHECK(run(s, 0, 0x77, 1, NULL) != 5);
	OK(member(c, DEL, "I.ap", 10, 0));
	/* a group as the default of the selector table */
	OK(member(c, INS, "I.ecmp_profile", 1, 1));
	OK(member(c, INS, "I.ecmp_profile", 2, 2));
	uint32_t ids[] = { 1, 2 };
	int32_t ws[] = { 1, 3 };
	OK(group(c, INS, "I.ecmp_profile", 7, 2, ids, ws));
	OK(deflt(c, "I.ecmp", 2, 7));
	int on[10];
	spread(s, 0x55, on);
	CHECK(on[1] + on[2] == 200 && on[1] > 10 && on[2] > on[1]);
	FAILS(group(c, DEL, "I.ecmp_profile", 7, 0, NULL, NULL), ENXIO, "is used by 1");
	OK(deflt(c, "I.ecmp", 1, 2));
	spread(s, 0x55, on);
	CHECK(on[2] == 200);
	OK(reconcile(c, &prog, 4));                 /* the default is carried over */
	spread(s, 0x55, on);
	CHECK(on[2] == 200);
	FAILS(member(c, DEL, "I.ecmp_profile", 2, 0), ENXIO, "is used by 2");  /* group 7, default */
	OK(group(c, DEL, "I.ecmp_profile", 7, 0, NULL, NULL));
	FAILS(deflt(c, "I.counted", 1, 1), EINVAL, "has no action profile");
	p4rt_close(c);
	p4rts_stop(s);
}

/* How many members and groups the controller sees in the selector. */
static int visible(struct p4rt_client *c, bool groups)
{
	P4__V1__Entity e;
	P4__V1__ActionProfileMember rm;
	P4__V1__ActionProfileGroup rg;
	struct got g;
	p4__v1__entity__init(&e);
	p4__v1__action_profile_member__init(&rm);
	p4__v1__action_profile_group__init(&rg);
	rm.action_profile_id = rg.action_profile_id = id_of(c, "I.ecmp_profile");
	if (groups) {
		e.entity_case = P4__V1__ENTITY__ENTITY_ACTION_PROFILE_GROUP;
		e.action_profile_group = &rg;
	} else {
		e.entity_case = P4__V1__ENTITY__ENTITY_ACTION_PROFILE_MEMBER;
		e.action_profile_member = &rm;
	}
	return read_one(c, &e, &g);
}

static void test_oneshot(void)
{
	char addr[64];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr);
	int on[10];
	uint8_t ports[] = { 3, 4 }, many[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3 };
	int32_t ws[] = { 1, 3 }, w0[] = { 1, 0 }, w1[12] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	OK(oneshot(c, INS, "I.ecmp", 0x41, 2, ports, ws));
	spread(s, 0x41, on);
	CHECK(on[3] + on[4] == 200 && on[3] > 10 && on[4] > on[3]);
	/* read back: the same set, canonical, weights and watch port kept */
	P4__V1__Entity e;
	P4__V1__TableEntry te;
	struct got g;
	p4__v1__entity__init(&e);
	p4__v1__table_entry__init(&te);
	te.table_id = id_of(c, "I.ecmp");
	e.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e.table_entry = &te;
	CHECK(read_one(c, &e, &g) == 1);
	P4__V1__Entity *r = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(r && r->table_entry->action->type_case ==
	      P4__V1__TABLE_ACTION__TYPE_ACTION_PROFILE_ACTION_SET);
	if (r && r->table_entry->action->type_case ==
	    P4__V1__TABLE_ACTION__TYPE_ACTION_PROFILE_ACTION_SET) {
		P4__V1__ActionProfileActionSet *rs = r->table_entry->action->action_profile_action_set;
		CHECK(rs->n_action_profile_actions == 2);
		for (size_t i = 0; i < rs->n_action_profile_actions && i < 2; i++) {
			P4__V1__ActionProfileAction *pa = rs->action_profile_actions[i];
			CHECK(pa->weight == ws[i]);
			CHECK(pa->action->action_id == id_of(c, "I.fwd"));
			CHECK(pa->action->n_params == 1 && pa->action->params[0]->value.len == 1 &&
			      pa->action->params[0]->value.data[0] == ports[i]);
			CHECK(pa->watch_kind_case == (i ? P4__V1__ACTION_PROFILE_ACTION__WATCH_KIND_WATCH_PORT
			      : P4__V1__ACTION_PROFILE_ACTION__WATCH_KIND__NOT_SET));
		}
	}
	if (r)
		p4__v1__entity__free_unpacked(r, NULL);
	/* the hidden members and group are not the controller's */
	CHECK(visible(c, false) == 0 && visible(c, true) == 0);
	FAILS(member(c, INS, "I.ecmp_profile", 1, 1), EINVAL, "programmed with one-shot");
	uint32_t one = 1;
	FAILS(group(c, INS, "I.ecmp_profile", 1, 1, &one, w1), EINVAL, "programmed with one-shot");
	/* refusals leave nothing behind */
	FAILS(oneshot(c, INS, "I.ecmp", 0x42, 2, ports, w0), EINVAL, "weights are at least 1");
	FAILS(oneshot(c, INS, "I.ecmp", 0x42, 12, many, w1), ENOSPC, "is full");
	FAILS(oneshot(c, INS, "I.ecmp", 0x41, 2, ports, ws), EEXIST, "exists already");
	FAILS(oneshot(c, INS, "I.by_src", 0x42, 2, ports, ws), EINVAL, "has no selector");
	FAILS(oneshot(c, INS, "I.counted", 0x42, 2, ports, ws), EINVAL, "has no action profile");
	/* eight members fit: the failures above freed theirs */
	OK(oneshot(c, INS, "I.ecmp", 0x42, 6, many, w1));
	OK(oneshot(c, DEL, "I.ecmp", 0x42, 0, NULL, NULL));
	/* modify: one action; the old set's members go */
	uint8_t five = 5;
	OK(oneshot(c, MOD, "I.ecmp", 0x41, 1, &five, w1));
	spread(s, 0x41, on);
	CHECK(on[5] == 200);
	OK(oneshot(c, INS, "I.ecmp", 0x42, 7, many, w1));
	/* a one-shot default: full profile; then with room */
	FAILS(oneshot(c, MOD, "I.ecmp", 0, 2, ports, ws), ENOSPC, "is full");
	OK(oneshot(c, DEL, "I.ecmp", 0x42, 0, NULL, NULL));
	OK(oneshot(c, MOD, "I.ecmp", 0, 2, ports, ws));
	spread(s, 0x60, on);
	CHECK(on[3] + on[4] == 200 && on[3] > 10 && on[4] > on[3]);
	P4__V1__Entity *dr;
	P4__V1__TableEntry *dte = read_default(c, "I.ecmp", &dr);
	CHECK(dte && dte->action->type_case == P4__V1__TABLE_ACTION__TYPE_ACTION_PROFILE_ACTION_SET &&
	      dte->action->action_profile_action_set->n_action_profile_actions == 2);
	if (dr)
		p4__v1__entity__free_unpacked(dr, NULL);
	OK(deflt(c, "I.ecmp", 0, 0));              /* its members go */
	CHECK(run(s, 0x60, 1, 2, NULL) != 3 && run(s, 0x60, 1, 2, NULL) != 4);
	OK(oneshot(c, INS, "I.ecmp", 0x42, 7, many, w1));
	/* carried over by RECONCILE_AND_COMMIT, still hidden */
	OK(reconcile(c, &prog, 3));
	spread(s, 0x41, on);
	CHECK(on[5] == 200);
	CHECK(visible(c, false) == 0 && visible(c, true) == 0);
	/* delete: then the controller may write members, and one-shot is refused */
	OK(oneshot(c, DEL, "I.ecmp", 0x41, 0, NULL, NULL));
	OK(oneshot(c, DEL, "I.ecmp", 0x42, 0, NULL, NULL));
	CHECK(run(s, 0x41, 1, 2, NULL) == -1);
	OK(member(c, INS, "I.ecmp_profile", 1, 1));
	CHECK(visible(c, false) == 1);
	FAILS(oneshot(c, INS, "I.ecmp", 0x41, 2, ports, ws), EINVAL, "cannot be mixed");
	p4rt_close(c);
	p4rts_stop(s);
}

/* ---- per-colour meter counters ---------------------------------------------------- */

/* Whether mcd counts g, y, r packets (of 14 bytes each). */
static bool colors_are(const P4__V1__MeterCounterData *mcd, int64_t g, int64_t y, int64_t r)
{
	if (!mcd || !mcd->green || !mcd->yellow || !mcd->red) {
		fprintf(stderr, "  no meter counter data\n");
		return false;
	}
	if (mcd->green->packet_count == g && mcd->yellow->packet_count == y &&
	    mcd->red->packet_count == r && mcd->green->byte_count == 14 * g &&
	    mcd->yellow->byte_count == 14 * y && mcd->red->byte_count == 14 * r)
		return true;
	fprintf(stderr, "  colours %lld/%lld/%lld packets, want %lld/%lld/%lld\n",
		(long long)mcd->green->packet_count, (long long)mcd->yellow->packet_count,
		(long long)mcd->red->packet_count, (long long)g, (long long)y, (long long)r);
	return false;
}

/* port_m's cell 0 read back (free it). */
static P4__V1__Entity *meter_cell(struct p4rt_client *c)
{
	P4__V1__Entity e;
	P4__V1__MeterEntry me;
	P4__V1__Index ix;
	struct got g;
	p4__v1__entity__init(&e);
	p4__v1__meter_entry__init(&me);
	p4__v1__index__init(&ix);
	me.meter_id = id_of(c, "I.port_m");
	me.index = &ix;
	e.entity_case = P4__V1__ENTITY__ENTITY_METER_ENTRY;
	e.meter_entry = &me;
	return read_one(c, &e, &g) == 1 ? p4__v1__entity__unpack(NULL, g.last_len, g.last) : NULL;
}

static void test_meter_colors(void)
{
	char addr[64];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr);
	P4__V1__MeterConfig mc;
	struct got g;
	int type = -1;
	p4__v1__meter_config__init(&mc);
	/* an indexed meter: unconfigured (green), then one green, one yellow, one red */
	CHECK(run(s, 0, 0, 5, &type) == 1 && type == 0);
	mc.cburst = 1;
	mc.pburst = 2;
	OK(meter_write(c, MOD, 0, &mc));
	for (int want = 0; want < 3; want++)
		CHECK(run(s, 0, 0, 5, &type) == 1 && type == want);
	P4__V1__Entity *back = meter_cell(c);
	CHECK(back && colors_are(back->meter_entry->counter_data, 2, 1, 1));
	p4__v1__entity__free_unpacked(back, NULL);
	/* written: counter data alone sets the counts, the config stays */
	P4__V1__Entity e;
	P4__V1__MeterEntry me;
	P4__V1__Index ix;
	P4__V1__MeterCounterData mcd;
	P4__V1__CounterData five;
	p4__v1__entity__init(&e);
	p4__v1__meter_entry__init(&me);
	p4__v1__index__init(&ix);
	p4__v1__meter_counter_data__init(&mcd);
	p4__v1__counter_data__init(&five);
	five.packet_count = 5;
	five.byte_count = 70;
	mcd.yellow = &five;                  /* green and red left out: zero */
	me.meter_id = id_of(c, "I.port_m");
	me.index = &ix;
	me.counter_data = &mcd;
	e.entity_case = P4__V1__ENTITY__ENTITY_METER_ENTRY;
	e.meter_entry = &me;
	OK(write_one(c, MOD, &e));
	back = meter_cell(c);
	CHECK(back && colors_are(back->meter_entry->counter_data, 0, 5, 0) &&
	      back->meter_entry->config && back->meter_entry->config->pburst == 2);
	p4__v1__entity__free_unpacked(back, NULL);
	five.packet_count = -1;
	FAILS(write_one(c, MOD, &e), EINVAL, "negative meter counter data");
	/* a direct meter: the entry's colours */
	mc.cburst = 1;
	mc.pburst = 1;
	OK(entry_with(c, INS, "I.metered", "I.fwd_m", 0x51, 3, NULL, &mc));
	CHECK(run(s, 0x51, 0, 4, &type) == 3 && type == 0);
	CHECK(run(s, 0x51, 0, 4, &type) == 3 && type == 2);
	CHECK(run(s, 0x51, 0, 4, &type) == 3 && type == 2);
	CHECK(read_direct(c, 2, "I.metered", 0x51, false, false, &g) == 1);
	back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && colors_are(back->direct_meter_entry->counter_data, 1, 0, 2));
	p4__v1__entity__free_unpacked(back, NULL);
	/* a table entry: only when the read asks for them */
	CHECK(read_direct(c, 0, "I.metered", 0x51, false, false, &g) == 1);
	back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && !back->table_entry->meter_counter_data);
	p4__v1__entity__free_unpacked(back, NULL);
	P4__V1__TableEntry te;
	P4__V1__MeterCounterData ask;
	p4__v1__table_entry__init(&te);
	p4__v1__meter_counter_data__init(&ask);
	te.table_id = id_of(c, "I.metered");
	te.meter_counter_data = &ask;
	e.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e.table_entry = &te;
	CHECK(read_one(c, &e, &g) == 1);
	back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && colors_are(back->table_entry->meter_counter_data, 1, 0, 2));
	p4__v1__entity__free_unpacked(back, NULL);
	/* DirectMeterEntry with counter data alone: the counts, rates kept */
	P4__V1__DirectMeterEntry dme;
	P4__V1__FieldMatch fm, *fmp = &fm;
	P4__V1__FieldMatch__Exact ex;
	uint8_t key = 0x51;
	p4__v1__direct_meter_entry__init(&dme);
	p4__v1__field_match__init(&fm);
	p4__v1__field_match__exact__init(&ex);
	fm.field_id = 1;
	fm.field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_EXACT;
	ex.value = (ProtobufCBinaryData){ 1, &key };
	fm.exact = &ex;
	te.n_match = 1;
	te.match = &fmp;
	te.meter_counter_data = NULL;
	five.packet_count = 5;
	dme.table_entry = &te;
	dme.counter_data = &mcd;
	e.entity_case = P4__V1__ENTITY__ENTITY_DIRECT_METER_ENTRY;
	e.direct_meter_entry = &dme;
	OK(write_one(c, MOD, &e));
	CHECK(read_direct(c, 2, "I.metered", 0x51, false, false, &g) == 1);
	back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && colors_are(back->direct_meter_entry->counter_data, 0, 5, 0) &&
	      back->direct_meter_entry->config && back->direct_meter_entry->config->pburst == 1);
	p4__v1__entity__free_unpacked(back, NULL);
	/* a table without a direct meter takes none */
	te.table_id = id_of(c, "I.counted");
	te.meter_counter_data = &mcd;
	te.n_match = 1;
	P4__V1__TableAction ta;
	P4__V1__Action a;
	P4__V1__Action__Param pr, *pp;
	uint8_t port = 2;
	p4__v1__table_action__init(&ta);
	ta.type_case = P4__V1__TABLE_ACTION__TYPE_ACTION;
	ta.action = fwd(c, "I.fwd_c", &port, &a, &pr, &pp);
	te.action = &ta;
	e.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e.table_entry = &te;
	FAILS(write_one(c, INS, &e), EINVAL, "no meter_counter_data");
	/* RECONCILE_AND_COMMIT carries the colours over */
	OK(reconcile(c, &prog, 5));
	CHECK(read_direct(c, 2, "I.metered", 0x51, false, false, &g) == 1);
	back = p4__v1__entity__unpack(NULL, g.last_len, g.last);
	CHECK(back && colors_are(back->direct_meter_entry->counter_data, 0, 5, 0));
	p4__v1__entity__free_unpacked(back, NULL);
	back = meter_cell(c);
	CHECK(back && colors_are(back->meter_entry->counter_data, 0, 5, 0));
	p4__v1__entity__free_unpacked(back, NULL);
	p4rt_close(c);
	p4rts_stop(s);
}

#define TESTS(X) X(profiles) X(direct) X(meters) X(value_sets) X(clones) X(reconcile) X(idle) X(oneshot) X(default_ref) X(meter_colors)

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_p4rt_ext EXT.P4 [TEST]\n");
		return 2;
	}
	if (p4c_compile_file(argv[1], NULL, &prog, stderr) < 0)
		return 1;
	if (argc > 3 && p4c_compile_file(argv[3], NULL, &other, stderr) < 0)
		return 1;
	bool ran = false;
#define X(name)                                                         \
	if (argc < 3 || !strcmp(argv[2], #name)) {                      \
		cur_test = #name;                                       \
		test_##name();                                          \
		ran = true;                                             \
	}
	TESTS(X)
#undef X
	if (!ran) {
		fprintf(stderr, "no test named %s\n", argv[2]);
		failures++;
	}
	p4c_output_free(&prog);
	p4c_output_free(&other);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
