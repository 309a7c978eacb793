/* test_p4runtime.c - the P4Runtime server and client library on loopback.
 *
 * A server on 127.0.0.1 (a free port) serves a switch with in-memory ports;
 * clients push tests/p4runtime/rt.p4 (compiled here), write and read table
 * entries, and packets run through the switch to show what the entries do.
 * Every error path checks the errno the client returns (the gRPC code mapped
 * through P4RT_CLIENT_CODES) and a piece of the server's message.
 * Usage: test_p4runtime RT.P4 RT-ENTRIES.JSON [TEST] */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "p4c.h"
#include "p4rt_client.h"
#include "p4rt_server.h"
#include "checks.h"

static struct p4c_output prog;
static const char *entries_json;   /* tests/p4runtime/rt-entries.json */

/* ---- the server and its switch ------------------------------------------------ */

static int attach(void *ctx, struct sw_switch *sw, struct p4l_err *e)
{
	(void)ctx;
	for (uint32_t p = 1; p <= 8; p++) {
		int r = sw_port_add_mem(sw, p, e);
		if (r < 0)
			return r;
	}
	return 0;
}

static uint32_t cpu_port;    /* of the next server_start */

static struct p4rts_server *server_start(char *addr, size_t cap)
{
	struct p4rts_server *s = NULL;
	struct p4rts_config cfg = { .addr = "127.0.0.1:0", .device_id = 1, .cpu_port = cpu_port,
				    .host = { .attach = attach } };
	if (p4rts_start(&s, &cfg, &err) < 0) {
		fprintf(stderr, "server: %s\n", err.msg);
		exit(1);
	}
	snprintf(addr, cap, "127.0.0.1:%d", p4rts_port(s));
	return s;
}

static struct p4rt_client *client(const char *addr, uint64_t eid)
{
	struct p4rt_client *c = NULL;
	if (p4rt_connect(&c, addr, 1, &err) < 0) {
		fprintf(stderr, "connect: %s\n", err.msg);
		exit(1);
	}
	if (eid && p4rt_arbitrate(c, 0, eid, NULL, &err) < 0) {
		fprintf(stderr, "arbitrate: %s\n", err.msg);
		exit(1);
	}
	return c;
}

static int push(struct p4rt_client *c)
{
	return p4rt_set_pipeline(c, prog.bmv2_json, prog.bmv2_json_len, prog.p4info_bin,
				 prog.p4info_bin_len, 42, &err);
}

/* value (text) into a width-bit field of nb bytes at dst, right-aligned. */
static void put_field(uint8_t *dst, size_t nb, uint32_t width, const char *value)
{
	uint8_t tmp[16];
	int n = p4rt_parse_value(value, width, tmp);
	memset(dst, 0, nb);
	if (n > 0)
		memcpy(dst + nb - (size_t)n, tmp, (size_t)n);
}

static uint8_t last_out[128];   /* the last packet run() saw leave */
static int last_len;

/* An IPv4 packet (or a bare Ethernet one when ipv4 is false) through the
 * switch: returns the egress port or -1, and the packet's TOS in *tos. */
static int run(struct p4rts_server *s, bool ipv4, const char *dst, const char *src,
	       uint8_t proto, const char *dmac, uint8_t *tos, uint8_t *out_dmac)
{
	uint8_t pkt[64] = { 0 };
	size_t len = 14;
	put_field(pkt, 6, 48, dmac ? dmac : "00:00:00:00:00:01");
	if (ipv4) {
		pkt[12] = 0x08;
		pkt[14] = 0x45;
		pkt[22] = 64;
		pkt[23] = proto;
		put_field(pkt + 26, 4, 32, src);
		put_field(pkt + 30, 4, 32, dst);
		len = 34;
	} else {
		pkt[12] = 0x88;
		pkt[13] = 0xb5;
	}
	struct sw_switch *sw = p4rts_lock(s);
	int port = sw ? sw_process(sw, 1, pkt, len) : -2;
	if (port >= 0) {
		uint8_t *o = NULL;
		int n = sw_port_take(sw, (uint32_t)port, &o);
		last_len = n < (int)sizeof(last_out) ? n : (int)sizeof(last_out);
		if (last_len > 0)
			memcpy(last_out, o, (size_t)last_len);
		if (n >= 16 && tos)
			*tos = o[15];
		if (n >= 6 && out_dmac)
			memcpy(out_dmac, o, 6);
		free(o);
	}
	p4rts_unlock(s);
	return port;
}

/* A bare Ethernet frame from smac to dmac into port 1; what leaves stays
 * queued. */
static int inject_from(struct p4rts_server *s, const char *dmac, const char *smac)
{
	uint8_t pkt[14] = { [12] = 0x88, [13] = 0xb5 };
	put_field(pkt, 6, 48, dmac);
	put_field(pkt + 6, 6, 48, smac);
	struct sw_switch *sw = p4rts_lock(s);
	int port = sw_process(sw, 1, pkt, sizeof(pkt));
	p4rts_unlock(s);
	return port;
}

static int inject(struct p4rts_server *s, const char *dmac)
{
	return inject_from(s, dmac, "0");
}

/* Packets queued on in-memory port `port` (taken and dropped). */
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

static int route(struct p4rts_server *s, const char *dst)
{
	return run(s, true, dst, "172.16.0.1", 6, NULL, NULL, NULL);
}

/* ---- reading back ------------------------------------------------------------- */

struct seen {
	int n;
	P4__V1__TableEntry *last;   /* a copy of the last entry read */
};

static int collect(void *ctx, const P4__V1__Entity *e)
{
	struct seen *s = ctx;
	s->n++;
	if (s->last)
		p4__v1__table_entry__free_unpacked(s->last, NULL);
	size_t len = p4__v1__table_entry__get_packed_size(e->table_entry);
	uint8_t *buf = malloc(len ? len : 1);
	p4__v1__table_entry__pack(e->table_entry, buf);
	s->last = p4__v1__table_entry__unpack(NULL, len, buf);
	free(buf);
	return 0;
}

static void seen_free(struct seen *s)
{
	if (s->last)
		p4__v1__table_entry__free_unpacked(s->last, NULL);
	s->last = NULL;
	s->n = 0;
}

static uint32_t table_id(struct p4rt_client *c, const char *name)
{
	const P4__Config__V1__P4Info *info = p4rt_p4info(c);
	for (size_t i = 0; info && i < info->n_tables; i++)
		if (!strcmp(info->tables[i]->preamble->name, name))
			return info->tables[i]->preamble->id;
	return 0;
}

/* Reads table (0: all) or its default entry. */
static int read_table(struct p4rt_client *c, uint32_t tid, bool deflt, struct seen *s)
{
	P4__V1__Entity e;
	P4__V1__TableEntry te;
	p4__v1__entity__init(&e);
	p4__v1__table_entry__init(&te);
	te.table_id = tid;
	te.is_default_action = deflt;
	e.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e.table_entry = &te;
	P4__V1__Entity *ep = &e;
	return p4rt_read(c, &ep, 1, collect, s, &err);
}

static bool bytes_are(ProtobufCBinaryData b, const char *hex_bytes, size_t n)
{
	return b.len == n && !memcmp(b.data, hex_bytes, n);
}

/* ---- tests -------------------------------------------------------------------- */

static void test_no_pipeline(void)
{
	char addr[64], ver[32];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr, 1);
	OK(p4rt_capabilities(c, ver, sizeof(ver), &err));
	CHECK(!strcmp(ver, "1.5.0"));
	CHECK(p4rt_is_primary(c));
	uint64_t cookie;
	FAILS(p4rt_fetch_pipeline(c, &cookie, &err), ENXIO, "no forwarding pipeline");
	/* by name needs a P4Info; typed writes reach the server */
	FAILS(p4rt_table_add(c, "routes", "dst=10.0.0.0/8", "set_port", "port=1,dmac=1", &err),
	      ENXIO, "no P4Info");
	P4__V1__Update u;
	P4__V1__Entity e;
	P4__V1__TableEntry te;
	p4__v1__update__init(&u);
	p4__v1__entity__init(&e);
	p4__v1__table_entry__init(&te);
	te.table_id = 0x02000001;
	e.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e.table_entry = &te;
	u.type = P4__V1__UPDATE__TYPE__INSERT;
	u.entity = &e;
	P4__V1__Update *up = &u;
	FAILS(p4rt_write(c, &up, 1, &err), ENXIO, "FAILED_PRECONDITION");
	struct seen sn = { 0 };
	FAILS(read_table(c, 0, false, &sn), ENXIO, "no forwarding pipeline");
	p4rt_close(c);
	p4rts_stop(s);
}

static void test_pipeline(void)
{
	char addr[64];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr, 1), *other = client(addr, 0);
	typedef P4__V1__SetForwardingPipelineConfigRequest__Action A;
	(void)sizeof(A);
	/* a broken device config: nothing installed */
	FAILS(p4rt_set_pipeline_action(c, P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__VERIFY,
				       "{\"pipelines\": 3", 15, prog.p4info_bin,
				       prog.p4info_bin_len, 0, &err), EINVAL, "INVALID_ARGUMENT");
	OK(p4rt_set_pipeline_action(c, P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__VERIFY,
				    prog.bmv2_json, prog.bmv2_json_len, prog.p4info_bin,
				    prog.p4info_bin_len, 0, &err));
	CHECK(!p4rts_lock(s));
	p4rts_unlock(s);
	/* save, then commit */
	OK(p4rt_set_pipeline_action(c,
		P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__VERIFY_AND_SAVE,
		prog.bmv2_json, prog.bmv2_json_len, prog.p4info_bin, prog.p4info_bin_len, 7, &err));
	CHECK(!p4rts_lock(s));
	p4rts_unlock(s);
	OK(p4rt_set_pipeline_action(c, P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__COMMIT,
				    NULL, 0, NULL, 0, 0, &err));
	CHECK(p4rts_lock(s) != NULL);
	p4rts_unlock(s);
	FAILS(p4rt_set_pipeline_action(c, P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__COMMIT,
				       NULL, 0, NULL, 0, 0, &err), ENXIO, "no config was saved");
	/* (test_p4rt_ext's reconcile shows what RECONCILE_AND_COMMIT keeps) */
	OK(p4rt_set_pipeline_action(c,
		P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__RECONCILE_AND_COMMIT,
		prog.bmv2_json, prog.bmv2_json_len, prog.p4info_bin, prog.p4info_bin_len, 7, &err));
	/* only the primary sets pipelines; anyone reads them */
	FAILS(push(other), EACCES, "PERMISSION_DENIED");
	uint64_t cookie = 0;
	OK(p4rt_fetch_pipeline(other, &cookie, &err));
	CHECK(cookie == 7);
	CHECK(table_id(other, "I.routes") != 0);
	OK(push(c));
	OK(p4rt_fetch_pipeline(other, &cookie, &err));
	CHECK(cookie == 42);
	p4rt_close(other);
	p4rt_close(c);
	p4rts_stop(s);
}

static void test_lpm(void)
{
	char addr[64];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr, 1);
	OK(push(c));
	CHECK(route(s, "10.0.1.5") == -1);     /* default: drop */
	OK(p4rt_table_add(c, "I.routes", "hdr.ipv4.dst=10.0.1.0/24", "I.set_port",
			  "port=3,dmac=00:00:00:00:01:01", &err));
	OK(p4rt_table_add(c, "routes", "dst=10.0.0.0/8", "set_port", "port=0x2,dmac=2", &err));
	uint8_t dmac[6];
	CHECK(run(s, true, "10.0.1.5", "1.1.1.1", 6, NULL, NULL, dmac) == 3);
	CHECK(!memcmp(dmac, "\0\0\0\0\1\1", 6));
	CHECK(route(s, "10.9.9.9") == 2);
	CHECK(route(s, "11.0.0.1") == -1);
	FAILS(p4rt_table_add(c, "routes", "dst=10.0.1.0/24", "set_port", "port=4,dmac=1", &err),
	      EEXIST, "Write: ALREADY_EXISTS: ");
	/* bits beyond the prefix, a /0, a too-long prefix */
	FAILS(p4rt_table_add(c, "routes", "dst=10.0.1.1/24", "set_port", "port=4,dmac=1", &err),
	      EINVAL, "beyond the /24 prefix");
	FAILS(p4rt_table_add(c, "routes", "dst=0.0.0.0/0", "set_port", "port=4,dmac=1", &err),
	      EINVAL, "don't-care");
	FAILS(p4rt_table_add(c, "routes", "dst=10.0.0.0/33", "set_port", "port=4,dmac=1", &err),
	      EINVAL, "bad prefix length");
	FAILS(p4rt_table_add_prio(c, "routes", "dst=12.0.0.0/8", 10, "set_port", "port=4,dmac=1",
				  &err), EINVAL, "takes no priority");
	/* read back: canonical bytestrings */
	struct seen sn = { 0 };
	CHECK(read_table(c, table_id(c, "I.routes"), false, &sn) == 2);
	CHECK(sn.n == 2);
	seen_free(&sn);
	OK(p4rt_table_modify(c, "routes", "dst=10.0.1.0/24", 0, "set_port", "port=5,dmac=0", &err));
	CHECK(route(s, "10.0.1.5") == 5);
	/* a read of that one entry */
	P4__V1__Update *u;
	OK(p4rt_table_update(c, P4__V1__UPDATE__TYPE__INSERT, "routes", "dst=10.0.1.0/24", 0, NULL,
			     NULL, &u, &err));
	P4__V1__Entity *ep = u->entity;
	CHECK(p4rt_read(c, &ep, 1, collect, &sn, &err) == 1);
	if (sn.last) {
		P4__V1__TableEntry *te = sn.last;
		CHECK(te->n_match == 1 && te->match[0]->lpm->prefix_len == 24);
		CHECK(bytes_are(te->match[0]->lpm->value, "\x0a\x00\x01\x00", 4));
		CHECK(te->action->action->n_params == 2);
		CHECK(bytes_are(te->action->action->params[0]->value, "\x05", 1));
		CHECK(bytes_are(te->action->action->params[1]->value, "\x00", 1));
	}
	seen_free(&sn);
	p4rt_update_free(u);
	OK(p4rt_table_delete(c, "routes", "dst=10.0.1.0/24", 0, &err));
	CHECK(route(s, "10.0.1.5") == 2);
	FAILS(p4rt_table_delete(c, "routes", "dst=10.0.1.0/24", 0, &err), ENOENT, "no such entry");
	FAILS(p4rt_table_modify(c, "routes", "dst=10.0.1.0/24", 0, "drop", "", &err), ENOENT,
	      "no such entry");
	CHECK(read_table(c, table_id(c, "I.routes"), false, &sn) == 1);
	seen_free(&sn);
	p4rt_close(c);
	p4rts_stop(s);
}

/* Updates written by hand: non-canonical values, widths, ids. */
static void test_typed(void)
{
	char addr[64];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr, 1);
	OK(push(c));
	P4__V1__Update *u;
	OK(p4rt_table_update(c, P4__V1__UPDATE__TYPE__INSERT, "l2", "dst=00:00:00:00:00:07", 0,
			     "fwd", "port=1", &u, &err));
	/* port as three bytes with leading zeros: accepted */
	ProtobufCBinaryData *pv = &u->entity->table_entry->action->action->params[0]->value;
	free(pv->data);
	pv->data = malloc(3);
	memcpy(pv->data, "\x00\x00\x06", 3);
	pv->len = 3;
	OK(p4rt_write(c, &u, 1, &err));
	CHECK(run(s, false, NULL, NULL, 0, "00:00:00:00:00:07", NULL, NULL) == 6);
	/* the errors below come after the entry is found: modify it */
	u->type = P4__V1__UPDATE__TYPE__MODIFY;
	/* 512 does not fit in bit<9> */
	memcpy(pv->data, "\x00\x02\x00", 3);
	FAILS(p4rt_write(c, &u, 1, &err), EIO, "does not fit in 9 bits");
	size_t n;
	const struct p4rt_update_error *ue = p4rt_update_errors(c, &n);
	CHECK(n == 1 && ue && ue[0].code == 3);
	/* an empty bytestring */
	pv->len = 0;
	FAILS(p4rt_write(c, &u, 1, &err), EIO, "empty bytestring");
	pv->len = 3;
	memcpy(pv->data, "\x00\x00\x01", 3);
	/* unknown table, and an id of another kind */
	u->entity->table_entry->table_id = 0x02000001;
	FAILS(p4rt_write(c, &u, 1, &err), EIO, "no table with id");
	ue = p4rt_update_errors(c, &n);
	CHECK(n == 1 && ue[0].code == 5);
	u->entity->table_entry->table_id = 0x01000001;
	FAILS(p4rt_write(c, &u, 1, &err), EIO, "is not a table id");
	u->entity->table_entry->table_id = table_id(c, "I.l2");
	/* an action from another table */
	P4__V1__Update *other;
	OK(p4rt_table_update(c, P4__V1__UPDATE__TYPE__INSERT, "routes", "dst=1.0.0.0/8", 0,
			     "set_port", "port=1,dmac=1", &other, &err));
	uint32_t aid = u->entity->table_entry->action->action->action_id;
	u->entity->table_entry->action->action->action_id =
		other->entity->table_entry->action->action->action_id;
	FAILS(p4rt_write(c, &u, 1, &err), EIO, "is not an action of table I.l2");
	u->entity->table_entry->action->action->action_id = aid;
	p4rt_update_free(other);
	/* a missing exact field */
	P4__V1__FieldMatch **m = u->entity->table_entry->match;
	u->entity->table_entry->n_match = 0;
	FAILS(p4rt_write(c, &u, 1, &err), EIO, "exact field hdr.eth.dst is missing");
	u->entity->table_entry->n_match = 1;
	(void)m;
	p4rt_update_free(u);
	/* entities not served yet */
	P4__V1__Update cu;
	P4__V1__Entity ce;
	P4__V1__ExternEntry ext;
	p4__v1__update__init(&cu);
	p4__v1__entity__init(&ce);
	p4__v1__extern_entry__init(&ext);
	ce.entity_case = P4__V1__ENTITY__ENTITY_EXTERN_ENTRY;
	ce.extern_entry = &ext;
	cu.type = P4__V1__UPDATE__TYPE__MODIFY;
	cu.entity = &ce;
	P4__V1__Update *cup = &cu;
	FAILS(p4rt_write(c, &cup, 1, &err), EIO, "not supported by p4lab yet");
	ue = p4rt_update_errors(c, &n);
	CHECK(n == 1 && ue[0].code == 12);
	P4__V1__Entity *cep = &ce;
	FAILS(p4rt_read(c, &cep, 1, NULL, NULL, &err), ENOSYS, "not supported by p4lab yet");
	p4rt_close(c);
	p4rts_stop(s);
}

static void test_ternary_and_default(void)
{
	char addr[64];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr, 1);
	OK(push(c));
	OK(p4rt_table_add(c, "routes", "dst=10.0.0.0/8", "set_port", "port=2,dmac=1", &err));
	FAILS(p4rt_table_add(c, "acl", "src=192.168.0.0&&&255.255.0.0", "deny", "", &err), EINVAL,
	      "needs a priority");
	FAILS(p4rt_table_add_prio(c, "acl", "src=192.168.0.1&&&255.255.0.0", 5, "deny", "", &err),
	      EINVAL, "bits outside the mask");
	FAILS(p4rt_table_add_prio(c, "acl", "src=0&&&0", 5, "deny", "", &err), EINVAL,
	      "all-zero mask");
	OK(p4rt_table_add_prio(c, "acl", "src=192.168.0.0&&&255.255.0.0", 5, "deny", "", &err));
	OK(p4rt_table_add_prio(c, "acl", "src=192.168.7.0&&&255.255.255.0,proto=17", 9, "allow",
			       "", &err));
	/* same match, another priority: another entry */
	OK(p4rt_table_add_prio(c, "acl", "src=192.168.0.0&&&255.255.0.0", 6, "allow", "", &err));
	FAILS(p4rt_table_add_prio(c, "acl", "src=192.168.0.0&&&255.255.0.0", 6, "deny", "", &err),
	      EEXIST, "Write: ALREADY_EXISTS: ");
	CHECK(run(s, true, "10.0.0.1", "192.168.1.1", 6, NULL, NULL, NULL) == 2);  /* prio 6 allow */
	OK(p4rt_table_delete(c, "acl", "src=192.168.0.0&&&255.255.0.0", 6, &err));
	CHECK(run(s, true, "10.0.0.1", "192.168.1.1", 6, NULL, NULL, NULL) == -1); /* deny */
	CHECK(run(s, true, "10.0.0.1", "192.168.7.1", 17, NULL, NULL, NULL) == 2); /* prio 9 */
	CHECK(run(s, true, "10.0.0.1", "192.168.7.1", 6, NULL, NULL, NULL) == -1);
	CHECK(run(s, true, "10.0.0.1", "172.16.0.1", 6, NULL, NULL, NULL) == 2);
	struct seen sn = { 0 };
	CHECK(read_table(c, table_id(c, "I.acl"), false, &sn) == 2);
	seen_free(&sn);
	CHECK(read_table(c, 0, false, &sn) == 3);
	seen_free(&sn);

	/* default entries: the program's, a new one, back to the program's */
	CHECK(read_table(c, table_id(c, "I.routes"), true, &sn) == 1);
	CHECK(sn.last && sn.last->is_default_action && sn.last->action);
	seen_free(&sn);
	CHECK(route(s, "11.0.0.1") == -1);
	OK(p4rt_table_set_default(c, "routes", "set_port", "port=7,dmac=3", &err));
	CHECK(route(s, "11.0.0.1") == 7);
	CHECK(read_table(c, table_id(c, "I.routes"), true, &sn) == 1);
	CHECK(sn.last && sn.last->action && sn.last->action->action->n_params == 2 &&
	      bytes_are(sn.last->action->action->params[0]->value, "\x07", 1));
	seen_free(&sn);
	OK(p4rt_table_set_default(c, "routes", NULL, NULL, &err));
	CHECK(route(s, "11.0.0.1") == -1);
	/* a const default action; a default entry inserted */
	FAILS(p4rt_table_set_default(c, "fixed", "mark", "tos=1", &err), EACCES, "const");
	uint8_t tos = 0;
	CHECK(run(s, true, "10.0.0.1", "172.16.0.1", 6, NULL, &tos, NULL) == 2 && tos == 7);
	P4__V1__Update *u;
	OK(p4rt_table_update(c, P4__V1__UPDATE__TYPE__INSERT, "routes", "", 0, "drop", "", &u,
			     &err));
	u->entity->table_entry->is_default_action = 1;
	FAILS(p4rt_write(c, &u, 1, &err), EIO, "can only be modified");
	p4rt_update_free(u);
	p4rt_close(c);
	p4rts_stop(s);
}

static void test_range_optional(void)
{
	char addr[64];
	uint8_t tos;
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr, 1);
	OK(push(c));
	OK(p4rt_table_add(c, "routes", "dst=10.0.0.0/8", "set_port", "port=2,dmac=1", &err));
	FAILS(p4rt_table_add(c, "qos", "ttl=60..70", "mark", "tos=1", &err), EINVAL,
	      "needs a priority");
	FAILS(p4rt_table_add_prio(c, "qos", "ttl=70..60", 1, "mark", "tos=1", &err), EINVAL,
	      "low bound above the high bound");
	FAILS(p4rt_table_add_prio(c, "qos", "ttl=0..255", 1, "mark", "tos=1", &err), EINVAL,
	      "whole range");
	FAILS(p4rt_table_add_prio(c, "qos", "ttl=60", 1, "mark", "tos=1", &err), EINVAL,
	      "LOW..HIGH");
	OK(p4rt_table_add_prio(c, "qos", "ttl=60..70,proto=6", 10, "mark", "tos=1", &err));
	OK(p4rt_table_add_prio(c, "qos", "ttl=0..64", 5, "mark", "tos=2", &err));
	OK(p4rt_table_add_prio(c, "qos", "proto=47", 1, "mark", "tos=3", &err));
	/* TTL 64: both ranges hold it; the protocol picks */
	CHECK(run(s, true, "10.0.0.1", "1.1.1.1", 6, NULL, &tos, NULL) == 2 && tos == 1);
	CHECK(run(s, true, "10.0.0.1", "1.1.1.1", 17, NULL, &tos, NULL) == 2 && tos == 2);
	OK(p4rt_table_delete(c, "qos", "ttl=0..64", 5, &err));
	CHECK(run(s, true, "10.0.0.1", "1.1.1.1", 17, NULL, &tos, NULL) == 2 && tos == 7);
	struct seen sn = { 0 };
	CHECK(read_table(c, table_id(c, "I.qos"), false, &sn) == 2);
	seen_free(&sn);
	P4__V1__Update *u;
	OK(p4rt_table_update(c, P4__V1__UPDATE__TYPE__INSERT, "qos", "ttl=60..70,proto=6", 10,
			     NULL, NULL, &u, &err));
	P4__V1__Entity *ep = u->entity;
	CHECK(p4rt_read(c, &ep, 1, collect, &sn, &err) == 1);
	if (sn.last && sn.last->n_match == 2) {
		CHECK(bytes_are(sn.last->match[0]->range->low, "\x3c", 1));
		CHECK(bytes_are(sn.last->match[0]->range->high, "\x46", 1));
		CHECK(bytes_are(sn.last->match[1]->optional->value, "\x06", 1));
		CHECK(sn.last->priority == 10);
	}
	seen_free(&sn);
	p4rt_update_free(u);
	p4rt_close(c);
	p4rts_stop(s);
}

static void test_entities(void)
{
	char addr[64];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr, 1);
	uint64_t packets, bytes, v;
	OK(push(c));
	/* counters: three frames of 14 bytes in on port 1 */
	for (int i = 0; i < 3; i++)
		run(s, false, NULL, NULL, 0, "00:00:00:00:00:09", NULL, NULL);
	OK(p4rt_counter_read(c, "port_pkts", 1, &packets, &bytes, &err));
	CHECK(packets == 3 && bytes == 42);
	OK(p4rt_counter_read(c, "I.port_pkts", 2, &packets, &bytes, &err));
	CHECK(packets == 0 && bytes == 0);
	FAILS(p4rt_counter_read(c, "port_pkts", 8, &packets, &bytes, &err), EINVAL, "has 8 cells");
	FAILS(p4rt_counter_read(c, "nope", 0, &packets, &bytes, &err), ENOENT, "no counter");
	P4__V1__Entity e, *ep = &e;
	P4__V1__CounterEntry ce;
	p4__v1__entity__init(&e);
	p4__v1__counter_entry__init(&ce);
	e.entity_case = P4__V1__ENTITY__ENTITY_COUNTER_ENTRY;
	e.counter_entry = &ce;
	CHECK(p4rt_read(c, &ep, 1, NULL, NULL, &err) == 8);   /* every cell of every counter */
	ce.counter_id = 0x12000001;
	FAILS(p4rt_read(c, &ep, 1, NULL, NULL, &err), ENOENT, "no counter with id");
	/* a cell written, then counting on from there */
	const P4__Config__V1__P4Info *pi = p4rt_p4info(c);
	P4__V1__Update cu, *cup = &cu;
	P4__V1__Index cix;
	P4__V1__CounterData cd;
	p4__v1__update__init(&cu);
	p4__v1__index__init(&cix);
	p4__v1__counter_data__init(&cd);
	ce.counter_id = pi->counters[0]->preamble->id;
	cix.index = 1;
	ce.index = &cix;
	cd.packet_count = 100;
	cd.byte_count = 1000;
	ce.data = &cd;
	cu.type = P4__V1__UPDATE__TYPE__MODIFY;
	cu.entity = &e;
	OK(p4rt_write(c, &cup, 1, &err));
	run(s, false, NULL, NULL, 0, "00:00:00:00:00:09", NULL, NULL);
	OK(p4rt_counter_read(c, "port_pkts", 1, &packets, &bytes, &err));
	CHECK(packets == 101 && bytes == 1014);
	cu.type = P4__V1__UPDATE__TYPE__DELETE;
	FAILS(p4rt_write(c, &cup, 1, &err), EIO, "cells are only modified");
	ce.index = NULL;
	ce.data = NULL;
	cu.type = P4__V1__UPDATE__TYPE__MODIFY;
	OK(p4rt_write(c, &cup, 1, &err));      /* every cell back to zero */
	OK(p4rt_counter_read(c, "port_pkts", 1, &packets, &bytes, &err));
	CHECK(packets == 0 && bytes == 0);

	/* registers: cell 1 lands in the IPv4 identification */
	OK(p4rt_register_write(c, "ids", 1, 0x1234, &err));
	OK(p4rt_table_add(c, "routes", "dst=10.0.0.0/8", "set_port", "port=2,dmac=1", &err));
	CHECK(route(s, "10.0.0.1") == 2 && last_len >= 20 && last_out[18] == 0x12 &&
	      last_out[19] == 0x34);
	OK(p4rt_register_read(c, "ids", 1, &v, &err));
	CHECK(v == 0x1234);
	OK(p4rt_register_read(c, "ids", 0, &v, &err));
	CHECK(v == 0);
	FAILS(p4rt_register_write(c, "ids", 1, 0x10000, &err), EINVAL, "does not fit in 16 bits");
	FAILS(p4rt_register_write(c, "ids", 4, 1, &err), EINVAL, "has 4 cells");
	FAILS(p4rt_register_read(c, "ids", 9, &v, &err), EINVAL, "has 4 cells");

	/* multicast: l2 floods to group 5 */
	struct p4rt_replica two[] = { { 2, 0 }, { 3, 1 } }, four[] = { { 4, 0 } };
	OK(p4rt_table_add(c, "l2", "dst=00:00:00:00:00:09", "flood", "grp=5", &err));
	OK(p4rt_mcast_group_write(c, P4__V1__UPDATE__TYPE__INSERT, 5, two, 2, &err));
	inject(s, "00:00:00:00:00:09");
	CHECK(count_on(s, 2) == 1 && count_on(s, 3) == 1 && count_on(s, 4) == 0);
	FAILS(p4rt_mcast_group_write(c, P4__V1__UPDATE__TYPE__INSERT, 5, two, 2, &err), EEXIST,
	      "exists already");
	FAILS(p4rt_mcast_group_write(c, P4__V1__UPDATE__TYPE__INSERT, 0, two, 2, &err), EINVAL,
	      "ids start at 1");
	struct p4rt_replica dup[] = { { 2, 0 }, { 2, 0 } };
	FAILS(p4rt_mcast_group_write(c, P4__V1__UPDATE__TYPE__INSERT, 6, dup, 2, &err), EINVAL,
	      "given twice");
	OK(p4rt_mcast_group_write(c, P4__V1__UPDATE__TYPE__MODIFY, 5, four, 1, &err));
	inject(s, "00:00:00:00:00:09");
	CHECK(count_on(s, 2) == 0 && count_on(s, 3) == 0 && count_on(s, 4) == 1);
	/* clone sessions, and reading the replication engine back */
	OK(p4rt_clone_session_write(c, P4__V1__UPDATE__TYPE__INSERT, 3, &four[0], &err));
	FAILS(p4rt_clone_session_write(c, P4__V1__UPDATE__TYPE__MODIFY, 4, &four[0], &err),
	      ENOENT, "does not exist");
	P4__V1__PacketReplicationEngineEntry pe;
	p4__v1__packet_replication_engine_entry__init(&pe);
	e.entity_case = P4__V1__ENTITY__ENTITY_PACKET_REPLICATION_ENGINE_ENTRY;
	e.packet_replication_engine_entry = &pe;
	CHECK(p4rt_read(c, &ep, 1, NULL, NULL, &err) == 2);
	OK(p4rt_mcast_group_write(c, P4__V1__UPDATE__TYPE__DELETE, 5, NULL, 0, &err));
	FAILS(p4rt_mcast_group_write(c, P4__V1__UPDATE__TYPE__DELETE, 5, NULL, 0, &err), ENOENT,
	      "does not exist");
	inject(s, "00:00:00:00:00:09");
	CHECK(count_on(s, 2) + count_on(s, 3) + count_on(s, 4) == 0);
	OK(p4rt_clone_session_write(c, P4__V1__UPDATE__TYPE__DELETE, 3, NULL, &err));
	CHECK(p4rt_read(c, &ep, 1, NULL, NULL, &err) == 0);
	p4rt_close(c);
	p4rts_stop(s);
}

/* The next event of type t (others are dropped); 0 if none came. */
static int next_event(struct p4rt_client *c, enum p4rt_event_type t, struct p4rt_event *ev)
{
	for (;;) {
		int r = p4rt_poll(c, ev, 5000);
		if (r <= 0 || ev->type == t)
			return r;
		p4rt_event_clear(ev);
	}
}

static void test_packet_io(void)
{
	char addr[64];
	struct p4rt_event ev;
	uint64_t v;
	cpu_port = 64;
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	cpu_port = 0;
	struct p4rt_client *c = client(addr, 2), *b = client(addr, 1);
	OK(push(c));
	/* to the CPU: the packet_in header becomes metadata */
	OK(p4rt_table_add(c, "l2", "dst=00:00:00:00:00:0a", "to_cpu", "", &err));
	CHECK(inject(s, "00:00:00:00:00:0a") == 64);
	CHECK(next_event(c, P4RT_EV_PACKET_IN, &ev) == 1);
	CHECK(ev.payload_len == 14 && ev.payload && ev.payload[5] == 0x0a && ev.payload[12] == 0x88);
	CHECK(p4rt_event_metadata(c, &ev, "ingress_port", &v) == 0 && v == 1);
	CHECK(p4rt_event_metadata(c, &ev, "nope", &v) == -ENOENT);
	p4rt_event_clear(&ev);
	/* from the CPU: to port 3, then back to the controller; the stream keeps
	 * their order, so when the second is back the first went out */
	uint8_t frame[14] = { 0, 0, 0, 0, 0, 0x0b, 0, 0, 0, 0, 0, 1, 0x88, 0xb5 };
	OK(p4rt_packet_out(c, frame, sizeof(frame), "egress_port=3", &err));
	OK(p4rt_packet_out(c, frame, sizeof(frame), "egress_port=64,pad=0", &err));
	CHECK(next_event(c, P4RT_EV_PACKET_IN, &ev) == 1);
	CHECK(ev.payload_len == 14 && ev.payload && ev.payload[5] == 0x0b);
	CHECK(p4rt_event_metadata(c, &ev, "ingress_port", &v) == 0 && v == 64);
	p4rt_event_clear(&ev);
	CHECK(count_on(s, 3) == 1);
	FAILS(p4rt_packet_out(c, frame, sizeof(frame), "port=3", &err), ENOENT, "no field 'port'");
	FAILS(p4rt_packet_out(c, frame, sizeof(frame), "egress_port=600", &err), ERANGE,
	      "not a value of 9 bits");
	/* a backup may not send */
	OK(p4rt_fetch_pipeline(b, NULL, &err));
	OK(p4rt_packet_out(b, frame, sizeof(frame), "egress_port=3", &err));
	CHECK(next_event(b, P4RT_EV_STREAM_ERROR, &ev) == 1 && ev.code == 7 &&
	      strstr(ev.msg, "only the primary"));
	p4rt_close(b);
	p4rt_close(c);
	p4rts_stop(s);

	/* a switch without a CPU port says so */
	s = server_start(addr, sizeof(addr));
	c = client(addr, 1);
	OK(push(c));
	OK(p4rt_packet_out(c, frame, sizeof(frame), "egress_port=3", &err));
	CHECK(next_event(c, P4RT_EV_STREAM_ERROR, &ev) == 1 && ev.code == 9 &&
	      strstr(ev.msg, "no CPU port"));
	p4rt_close(c);
	p4rts_stop(s);
}

static void test_digests(void)
{
	char addr[64];
	struct p4rt_event ev;
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr, 1);
	OK(push(c));
	OK(p4rt_table_add(c, "l2", "dst=00:00:00:00:00:0d", "learn", "", &err));
	/* lists of two, each waiting for its ack (up to 10 s) */
	OK(p4rt_digest_enable(c, "learn_t", 1000000, 2, 10000000000, &err));
	FAILS(p4rt_digest_enable(c, "learn_t", 1000000, 2, 0, &err), EEXIST, "configured already");
	FAILS(p4rt_digest_enable(c, "nope", 1000000, 2, 0, &err), ENOENT, "no digest named");
	for (int i = 1; i <= 3; i++) {
		char smac[32];
		snprintf(smac, sizeof(smac), "00:00:00:00:00:%02x", i);
		inject_from(s, "00:00:00:00:00:0d", smac);
	}
	CHECK(next_event(c, P4RT_EV_DIGEST, &ev) == 1 && ev.digest && ev.digest->n_data == 2);
	uint64_t list = 0;
	uint32_t id = 0;
	if (ev.digest && ev.digest->n_data == 2) {
		const P4__V1__P4Data *d = ev.digest->data[0];
		CHECK(d->data_case == P4__V1__P4_DATA__DATA_STRUCT && d->struct_->n_members == 2);
		CHECK(bytes_are(d->struct_->members[0]->bitstring, "\x01", 1));
		CHECK(bytes_are(d->struct_->members[1]->bitstring, "\x01", 1));   /* port 1 */
		CHECK(bytes_are(ev.digest->data[1]->struct_->members[0]->bitstring, "\x02", 1));
		list = ev.digest->list_id;
		id = ev.digest->digest_id;
	}
	p4rt_event_clear(&ev);
	/* the third comes once the first list is acknowledged */
	OK(p4rt_digest_ack(c, id, list, &err));
	CHECK(next_event(c, P4RT_EV_DIGEST, &ev) == 1 && ev.digest && ev.digest->n_data == 1 &&
	      ev.digest->list_id != list &&
	      bytes_are(ev.digest->data[0]->struct_->members[0]->bitstring, "\x03", 1));
	p4rt_event_clear(&ev);
	/* read back the configuration */
	P4__V1__Entity e, *ep = &e;
	P4__V1__DigestEntry de;
	p4__v1__entity__init(&e);
	p4__v1__digest_entry__init(&de);
	e.entity_case = P4__V1__ENTITY__ENTITY_DIGEST_ENTRY;
	e.digest_entry = &de;
	CHECK(p4rt_read(c, &ep, 1, NULL, NULL, &err) == 1);
	p4rt_close(c);
	p4rts_stop(s);
}

/* A p4lang/tutorials runtime.json written over P4Runtime. */
static void test_load_entries(void)
{
	char addr[64], path[] = "/tmp/p4rt-entries-XXXXXX";
	uint8_t tos;
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr, 1);
	OK(push(c));
	OK(p4rt_load_entries(c, entries_json, &err));
	CHECK(route(s, "10.0.1.5") == 1);
	CHECK(route(s, "11.0.0.1") == 7);                     /* the default action */
	CHECK(run(s, true, "10.0.1.5", "192.168.3.3", 6, NULL, NULL, NULL) == -1);
	CHECK(run(s, true, "10.0.1.5", "1.1.1.1", 6, NULL, &tos, NULL) == 1 && tos == 5);
	inject(s, "00:00:00:00:00:0c");
	CHECK(count_on(s, 2) == 1 && count_on(s, 3) == 1);
	P4__V1__Entity e, *ep = &e;
	P4__V1__PacketReplicationEngineEntry pe;
	p4__v1__entity__init(&e);
	p4__v1__packet_replication_engine_entry__init(&pe);
	e.entity_case = P4__V1__ENTITY__ENTITY_PACKET_REPLICATION_ENGINE_ENTRY;
	e.packet_replication_engine_entry = &pe;
	CHECK(p4rt_read(c, &ep, 1, NULL, NULL, &err) == 2);
	/* the same file again: every entry exists; the first is named */
	FAILS(p4rt_load_entries(c, entries_json, &err), EEXIST, "table_entries[1]: ALREADY_EXISTS");
	/* mistakes in the file name the entry */
	static const struct { const char *json; int e; const char *want; } bad[] = {
		{ "{\"table_entries\": [{\"table\": \"nope\", \"action_name\": \"x\"}]}", ENOENT,
		  "table_entries[0]: the P4Info has no table named 'nope'" },
		{ "{\"table_entries\": {}}", EINVAL, "\"table_entries\" must be an array" },
		{ "{\"table_entries\": [{\"table\": \"l2\", \"action_name\": \"fwd\", "
		  "\"match\": {\"hdr.eth.dst\": 12}, \"action_params\": {\"port\": -1}}]}", EINVAL,
		  "table_entries[0]: port: expected a string or a non-negative integer" },
		{ "{\"multicast_group_entries\": [{\"multicast_group_id\": 0, \"replicas\": []}]}",
		  EINVAL, "multicast_group_entries[0]: \"multicast_group_id\" must be a positive" },
		{ "{\"table_entries\": [", EINVAL, ":1:" },
	};
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		OK(p4l_write_file(path, bad[i].json, strlen(bad[i].json), &err));
		FAILS(p4rt_load_entries(c, path, &err), bad[i].e, bad[i].want);
		CHECK(!strncmp(err.msg, path, strlen(path)));
	}
	unlink(path);
	p4rt_close(c);
	p4rts_stop(s);
}

static void test_rollback(void)
{
	char addr[64];
	uint64_t v;
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr, 1);
	OK(push(c));
	OK(p4rt_table_add(c, "routes", "dst=10.0.0.0/8", "set_port", "port=5,dmac=1", &err));
	OK(p4rt_register_write(c, "ids", 2, 9, &err));
	P4__V1__Update *u[5];
	OK(p4rt_table_update(c, P4__V1__UPDATE__TYPE__MODIFY, "routes", "dst=10.0.0.0/8", 0,
			     "set_port", "port=6,dmac=1", &u[0], &err));
	OK(p4rt_table_update(c, P4__V1__UPDATE__TYPE__INSERT, "routes", "dst=11.0.0.0/8", 0,
			     "set_port", "port=6,dmac=1", &u[1], &err));
	OK(p4rt_table_default_update(c, "routes", "set_port", "port=3,dmac=3", &u[2], &err));
	OK(p4rt_table_update(c, P4__V1__UPDATE__TYPE__DELETE, "routes", "dst=10.0.0.0/8", 0,
			     NULL, NULL, &u[3], &err));
	/* the last one fails: the entry exists */
	OK(p4rt_table_update(c, P4__V1__UPDATE__TYPE__INSERT, "routes", "dst=10.0.0.0/8", 0,
			     "set_port", "port=6,dmac=1", &u[4], &err));
	OK(p4rt_write_atomic(c, u, 4, P4__V1__WRITE_REQUEST__ATOMICITY__ROLLBACK_ON_ERROR, &err));
	CHECK(route(s, "10.0.0.1") == 3 && route(s, "11.0.0.1") == 6);
	/* back to the start by hand, then the whole batch with its failure */
	OK(p4rt_table_delete(c, "routes", "dst=11.0.0.0/8", 0, &err));
	OK(p4rt_table_add(c, "routes", "dst=10.0.0.0/8", "set_port", "port=5,dmac=1", &err));
	OK(p4rt_table_set_default(c, "routes", NULL, NULL, &err));
	P4__V1__Update *bad[4] = { u[0], u[1], u[2], u[4] };   /* 10/8 is kept: u[4] fails */
	FAILS(p4rt_write_atomic(c, bad, 4, P4__V1__WRITE_REQUEST__ATOMICITY__ROLLBACK_ON_ERROR,
				&err), EIO, "4 of 4 updates failed");
	size_t n;
	const struct p4rt_update_error *ue = p4rt_update_errors(c, &n);
	CHECK(n == 4 && ue[0].code == 10 && strstr(ue[0].msg, "rolled back") && ue[3].code == 6);
	CHECK(route(s, "10.0.0.1") == 5 && route(s, "11.0.0.1") == -1);
	/* registers and replication roll back too */
	P4__V1__Update *w[3];
	struct p4rt_replica one = { 2, 0 };
	OK(p4rt_mcast_group_write(c, P4__V1__UPDATE__TYPE__INSERT, 8, &one, 1, &err));
	P4__V1__Entity re;
	P4__V1__RegisterEntry reg;
	P4__V1__Index idx;
	P4__V1__P4Data d;
	P4__V1__Update ru;
	p4__v1__entity__init(&re);
	p4__v1__register_entry__init(&reg);
	p4__v1__index__init(&idx);
	p4__v1__p4_data__init(&d);
	p4__v1__update__init(&ru);
	const P4__Config__V1__P4Info *info = p4rt_p4info(c);
	reg.register_id = info->registers[0]->preamble->id;
	idx.index = 2;
	reg.index = &idx;
	d.data_case = P4__V1__P4_DATA__DATA_BITSTRING;
	d.bitstring = (ProtobufCBinaryData){ 1, (uint8_t *)"\x07" };
	reg.data = &d;
	re.entity_case = P4__V1__ENTITY__ENTITY_REGISTER_ENTRY;
	re.register_entry = &reg;
	ru.type = P4__V1__UPDATE__TYPE__MODIFY;
	ru.entity = &re;
	w[0] = &ru;
	w[1] = u[1];                                  /* insert 11/8: fine */
	w[2] = u[4];                                  /* fails */
	FAILS(p4rt_write_atomic(c, w, 3, P4__V1__WRITE_REQUEST__ATOMICITY__ROLLBACK_ON_ERROR, &err),
	      EIO, "3 of 3");
	OK(p4rt_register_read(c, "ids", 2, &v, &err));
	CHECK(v == 9 && route(s, "11.0.0.1") == -1);
	FAILS(p4rt_write_atomic(c, w, 1, P4__V1__WRITE_REQUEST__ATOMICITY__DATAPLANE_ATOMIC, &err),
	      ENOSYS, "DATAPLANE_ATOMIC");
	for (int i = 0; i < 5; i++)
		p4rt_update_free(u[i]);
	p4rt_close(c);
	p4rts_stop(s);
}

static void test_batch_and_full(void)
{
	char addr[64];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr, 1);
	OK(push(c));
	P4__V1__Update *u[6];
	const char *macs[6] = { "0:0:0:0:0:1", "0:0:0:0:0:2", "0:0:0:0:0:1", "0:0:0:0:0:3",
				"0:0:0:0:0:4", "0:0:0:0:0:5" };
	for (int i = 0; i < 6; i++) {
		char match[64];
		snprintf(match, sizeof(match), "dst=%s", macs[i]);
		OK(p4rt_table_update(c, P4__V1__UPDATE__TYPE__INSERT, "l2", match, 0, "fwd",
				     "port=4", &u[i], &err));
	}
	/* l2 holds 4: the duplicate fails, the sixth finds the table full */
	FAILS(p4rt_write(c, u, 6, &err), EIO, "2 of 6 updates failed");
	size_t n;
	const struct p4rt_update_error *ue = p4rt_update_errors(c, &n);
	CHECK(n == 6);
	if (n == 6) {
		CHECK(ue[0].code == 0 && ue[1].code == 0 && ue[3].code == 0 && ue[4].code == 0);
		CHECK(ue[2].code == 6);
		CHECK(ue[5].code == 8);
	}
	for (int i = 0; i < 6; i++)
		p4rt_update_free(u[i]);
	CHECK(run(s, false, NULL, NULL, 0, "00:00:00:00:00:04", NULL, NULL) == 4);
	CHECK(run(s, false, NULL, NULL, 0, "00:00:00:00:00:05", NULL, NULL) == -1);
	FAILS(p4rt_table_add(c, "l2", "dst=0:0:0:0:0:9", "fwd", "port=1", &err), ENOSPC,
	      "RESOURCE_EXHAUSTED");
	OK(p4rt_table_delete(c, "l2", "dst=0:0:0:0:0:1", 0, &err));
	OK(p4rt_table_add(c, "l2", "dst=0:0:0:0:0:9", "fwd", "port=1", &err));
	/* client-side parse errors name what is wrong */
	FAILS(p4rt_table_add(c, "l2", "dst=0:0:0:0:0:9", "fwd", "port=600", &err), ERANGE,
	      "too wide");
	FAILS(p4rt_table_add(c, "l2", "dst=zz", "fwd", "port=1", &err), EINVAL, "not a value");
	FAILS(p4rt_table_add(c, "nope", "dst=1", "fwd", "port=1", &err), ENOENT, "no table named");
	FAILS(p4rt_table_add(c, "l2", "dst=1", "fwd", "", &err), EINVAL, "takes 1 parameters");
	FAILS(p4rt_table_add(c, "l2", "dst=1", "set_port", "port=1,dmac=1", &err), EINVAL,
	      "not an action of table");
	p4rt_close(c);
	p4rts_stop(s);
}

/* 100,000 updates in one Write, then the same again: every one fails, and
 * the 100,000 statuses come back in the trailer. */
static void test_big_batch(void)
{
	char addr[64];
	enum { N = 100000 };
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *c = client(addr, 1);
	OK(push(c));
	P4__V1__Update **u = calloc(N, sizeof(*u));
	for (int i = 0; i < N && u; i++) {
		char match[64];
		snprintf(match, sizeof(match), "dst=0x%x", 0x0a000000 + i);
		OK(p4rt_table_update(c, P4__V1__UPDATE__TYPE__INSERT, "hosts", match, 0, "fwd",
				     "port=3", &u[i], &err));
	}
	OK(p4rt_write(c, u, N, &err));
	CHECK(run(s, true, "10.1.134.159", "1.1.1.1", 6, NULL, NULL, NULL) == 3);  /* i = 99999 */
	FAILS(p4rt_write(c, u, N, &err), EIO, "100000 of 100000 updates failed");
	size_t n;
	const struct p4rt_update_error *ue = p4rt_update_errors(c, &n);
	CHECK(n == N && ue[0].code == 6 && ue[N - 1].code == 6 && strstr(ue[N - 1].msg, "exists"));
	struct seen sn = { 0 };
	CHECK(read_table(c, table_id(c, "I.hosts"), false, &sn) == N);
	seen_free(&sn);
	for (int i = 0; i < N && u; i++)
		p4rt_update_free(u[i]);
	free(u);
	p4rt_close(c);
	p4rts_stop(s);
}

/* ---- asynchronous use ---------------------------------------------------------- */

struct tally {
	int done, failed, entities, per_update_failed;
	int last_r;
	char last_msg[1100];
};

static void tally_done(void *ctx, const struct p4rt_result *res)
{
	struct tally *t = ctx;
	t->done++;
	t->last_r = res->r;
	snprintf(t->last_msg, sizeof(t->last_msg), "%s", res->err.msg);
	if (res->r < 0)
		t->failed++;
	else
		t->entities += res->r;
	for (size_t i = 0; i < res->n_updates; i++)
		t->per_update_failed += res->updates[i].code != 0;
}

/* Three switches driven from one loop: 10 Writes of 100 entries each in
 * flight to every switch at once, reads, per-update errors, and a client
 * closed with requests in flight. */
static void test_async(void)
{
	enum { SW = 3, WRITES = 10, PER = 100 };
	char addr[SW][64];
	struct p4rts_server *s[SW];
	struct p4rt_client *c[SW];
	struct p4rt_loop *loop = NULL;
	struct tally t[SW];
	OK(p4rt_loop_new(&loop, &err));
	for (int k = 0; k < SW; k++) {
		s[k] = server_start(addr[k], sizeof(addr[k]));
		OK(p4rt_connect_on(&c[k], loop, addr[k], 1, &err));
		OK(p4rt_arbitrate(c[k], 0, 1, NULL, &err));
		OK(push(c[k]));
		memset(&t[k], 0, sizeof(t[k]));
	}
	P4__V1__Update *u[WRITES][PER];
	for (int w = 0; w < WRITES; w++)
		for (int i = 0; i < PER; i++) {
			char match[64];
			snprintf(match, sizeof(match), "dst=0x%x", 0x0a000000 + w * PER + i);
			OK(p4rt_table_update(c[0], P4__V1__UPDATE__TYPE__INSERT, "hosts", match, 0,
					     "fwd", "port=3", &u[w][i], &err));
		}
	for (int k = 0; k < SW; k++)
		for (int w = 0; w < WRITES; w++)
			OK(p4rt_write_async(c[k], u[w], PER,
					    P4__V1__WRITE_REQUEST__ATOMICITY__CONTINUE_ON_ERROR,
					    tally_done, &t[k], &err));
	CHECK(p4rt_in_flight(c[0]) == WRITES);
	int spins = 0;
	while ((t[0].done < WRITES || t[1].done < WRITES || t[2].done < WRITES) && spins++ < 1000)
		p4rt_loop_run(loop, 100);
	for (int k = 0; k < SW; k++) {
		CHECK(t[k].done == WRITES && t[k].failed == 0);
		CHECK(route(s[k], "10.0.3.231") == 3);   /* the last entry: 999 */
		CHECK(p4rt_in_flight(c[k]) == 0);
	}
	/* reads in flight to every switch */
	P4__V1__Entity e, *ep = &e;
	P4__V1__TableEntry te;
	p4__v1__entity__init(&e);
	p4__v1__table_entry__init(&te);
	te.table_id = table_id(c[0], "I.hosts");
	e.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e.table_entry = &te;
	for (int k = 0; k < SW; k++) {
		memset(&t[k], 0, sizeof(t[k]));
		OK(p4rt_read_async(c[k], &ep, 1, NULL, tally_done, &t[k], &err));
	}
	spins = 0;
	while ((t[0].done < 1 || t[1].done < 1 || t[2].done < 1) && spins++ < 1000)
		p4rt_loop_run(loop, 100);
	for (int k = 0; k < SW; k++)
		CHECK(t[k].done == 1 && t[k].entities == WRITES * PER);
	/* the same batch again: every update fails, each with its status */
	memset(&t[1], 0, sizeof(t[1]));
	OK(p4rt_write_async(c[1], u[0], PER, P4__V1__WRITE_REQUEST__ATOMICITY__CONTINUE_ON_ERROR,
			    tally_done, &t[1], &err));
	/* a blocking call on another client of the loop runs it too */
	OK(p4rt_table_add(c[2], "routes", "dst=10.9.0.0/16", "drop", "", &err));
	while (t[1].done < 1 && spins++ < 2000)
		p4rt_run(c[1], 100);
	CHECK(t[1].done == 1 && t[1].last_r == -EIO && t[1].per_update_failed == PER &&
	      strstr(t[1].last_msg, "100 of 100 updates failed"));
	/* closed with a request in flight: it ends, cancelled */
	memset(&t[0], 0, sizeof(t[0]));
	OK(p4rt_read_async(c[0], &ep, 1, NULL, tally_done, &t[0], &err));
	p4rt_close(c[0]);
	CHECK(t[0].done == 1 && (t[0].last_r == -ECANCELED || t[0].last_r == WRITES * PER));
	for (int w = 0; w < WRITES; w++)
		for (int i = 0; i < PER; i++)
			p4rt_update_free(u[w][i]);
	p4rt_loop_free(loop);   /* before its last clients: they keep it */
	for (int k = 1; k < SW; k++)
		p4rt_close(c[k]);
	for (int k = 0; k < SW; k++)
		p4rts_stop(s[k]);
}

/* ---- role configurations ----------------------------------------------------- */

static size_t put_varint(uint8_t *b, uint64_t v)
{
	size_t n = 0;
	do {
		b[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	return n;
}

/* A stratum.P4RoleConfig: exclusive excl, shared shared, PacketIns when
 * metadata 1 (ingress_port) is port (0: no PacketIns), push as given. */
static size_t role_config(uint8_t *b, uint32_t excl, uint32_t shared, uint8_t port, bool push)
{
	size_t n = 0;
	b[n++] = 0x08;                        /* 1: exclusive_p4_ids, unpacked */
	n += put_varint(b + n, excl);
	uint8_t packed[8];
	size_t pl = put_varint(packed, shared);
	b[n++] = 0x12;                        /* 2: shared_p4_ids, packed */
	b[n++] = (uint8_t)pl;
	memcpy(b + n, packed, pl);
	n += pl;
	if (port) {
		const uint8_t filter[] = { 0x1a, 5, 0x08, 1, 0x12, 1, port };
		memcpy(b + n, filter, sizeof(filter));
		n += sizeof(filter);
		b[n++] = 0x20;                /* 4: receives_packet_ins */
		b[n++] = 1;
	}
	if (push) {
		b[n++] = 0x28;
		b[n++] = 1;
	}
	b[n++] = 0x30;                        /* an unknown field is skipped */
	b[n++] = 3;
	return n;
}

#define ROLE_TYPE "type.googleapis.com/stratum.P4RoleConfig"

static void test_roles(void)
{
	char addr[64];
	struct p4rt_event ev;
	uint8_t cfg[64];
	cpu_port = 64;
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	cpu_port = 0;
	struct p4rt_client *c = client(addr, 1), *r = NULL, *bad = NULL;
	OK(push(c));
	uint32_t acl = table_id(c, "I.acl"), routes = table_id(c, "I.routes");
	OK(p4rt_connect(&r, addr, 1, &err));
	size_t n = role_config(cfg, acl, routes, 1, false);
	CHECK(p4rt_arbitrate_config(r, 0, 5, "acl-ctl", ROLE_TYPE, cfg, n, &err) == 1);
	OK(p4rt_fetch_pipeline(r, NULL, &err));
	/* its objects: acl alone, routes shared */
	OK(p4rt_table_add_prio(r, "acl", "src=10.0.0.0&&&255.0.0.0", 5, "deny", "", &err));
	OK(p4rt_table_add(r, "routes", "dst=10.0.0.0/8", "drop", "", &err));
	OK(p4rt_table_add(c, "routes", "dst=10.1.0.0/16", "drop", "", &err));
	FAILS(p4rt_table_add(r, "l2", "dst=00:00:00:00:00:0a", "drop", "", &err), EACCES,
	      "not in its role configuration");
	FAILS(p4rt_table_add_prio(c, "acl", "src=11.0.0.0&&&255.0.0.0", 5, "deny", "", &err),
	      EACCES, "belongs to role 'acl-ctl' alone");
	FAILS(push(r), EACCES, "may not push pipelines");
	/* PacketIns go to the default role and to roles that take them */
	OK(p4rt_table_add(c, "l2", "dst=00:00:00:00:00:0a", "to_cpu", "", &err));
	CHECK(inject(s, "00:00:00:00:00:0a") == 64);
	CHECK(next_event(c, P4RT_EV_PACKET_IN, &ev) == 1);
	p4rt_event_clear(&ev);
	CHECK(next_event(r, P4RT_EV_PACKET_IN, &ev) == 1 && ev.payload_len == 14);
	p4rt_event_clear(&ev);
	/* configurations p4lab does not read */
	OK(p4rt_connect(&bad, addr, 1, &err));
	FAILS(p4rt_arbitrate_config(bad, 0, 6, "x", "type.googleapis.com/other.Config", cfg, n,
				    &err), EINVAL, "p4lab reads");
	p4rt_close(bad);
	OK(p4rt_connect(&bad, addr, 1, &err));
	const uint8_t junk[] = { 0x0a, 9, 1 };
	FAILS(p4rt_arbitrate_config(bad, 0, 6, "x", ROLE_TYPE, junk, sizeof(junk), &err), EINVAL,
	      "not a valid");
	p4rt_close(bad);
	OK(p4rt_connect(&bad, addr, 1, &err));
	FAILS(p4rt_arbitrate_config(bad, 0, 6, "", ROLE_TYPE, cfg, n, &err), EINVAL,
	      "default role takes no configuration");
	p4rt_close(bad);
	/* when the configured primary leaves, its role has no configuration */
	p4rt_close(r);
	OK(p4rt_table_add_prio(c, "acl", "src=11.0.0.0&&&255.0.0.0", 5, "deny", "", &err));
	p4rt_close(c);
	p4rts_stop(s);
}

static int next_arb(struct p4rt_client *c, struct p4rt_event *ev)
{
	for (;;) {
		int r = p4rt_poll(c, ev, 5000);
		if (r <= 0)
			return r;
		if (ev->type == P4RT_EV_ARBITRATION)
			return 1;
	}
}

static void test_arbitration(void)
{
	char addr[64];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	struct p4rt_client *a = client(addr, 0), *b = client(addr, 0), *c = client(addr, 0);
	struct p4rt_event ev;
	CHECK(p4rt_arbitrate(a, 0, 10, NULL, &err) == 1);
	OK(push(a));
	CHECK(p4rt_arbitrate(b, 0, 5, NULL, &err) == 0);     /* lower: backup */
	CHECK(p4rt_poll(a, &ev, 0) == 0);                    /* nothing changed for a */
	CHECK(p4rt_arbitrate(c, 0, 20, NULL, &err) == 1);    /* higher: takes over */
	CHECK(next_arb(a, &ev) == 1 && !ev.primary && ev.code == 6 && ev.election_lo == 20);
	CHECK(next_arb(b, &ev) == 1 && !ev.primary && ev.code == 6 && ev.election_lo == 20);
	CHECK(!p4rt_is_primary(a) && p4rt_is_primary(c));
	OK(p4rt_fetch_pipeline(c, NULL, &err));
	FAILS(p4rt_table_add(a, "l2", "dst=1", "fwd", "port=1", &err), EACCES, "not the primary");
	OK(p4rt_table_add(c, "l2", "dst=1", "fwd", "port=1", &err));
	/* the same election id twice in a role: refused */
	struct p4rt_client *d = client(addr, 0);
	FAILS(p4rt_arbitrate(d, 0, 20, NULL, &err), EINVAL, "same election id");
	p4rt_close(d);
	/* another role has its own primary */
	struct p4rt_client *e = client(addr, 0);
	CHECK(p4rt_arbitrate(e, 0, 1, "ops", &err) == 1);
	p4rt_close(e);
	/* the primary leaves: no primary until someone reaches the highest id */
	p4rt_close(c);
	CHECK(next_arb(a, &ev) == 1 && !ev.primary && ev.code == 5 && ev.election_lo == 20);
	CHECK(next_arb(b, &ev) == 1 && !ev.primary && ev.code == 5);
	CHECK(p4rt_arbitrate(b, 0, 15, NULL, &err) == 0);
	CHECK(p4rt_arbitrate(b, 0, 20, NULL, &err) == 1);
	CHECK(next_arb(a, &ev) == 1 && !ev.primary && ev.code == 6);
	OK(p4rt_fetch_pipeline(b, NULL, &err));
	OK(p4rt_table_add(b, "l2", "dst=2", "fwd", "port=1", &err));
	/* a wrong device id ends the stream */
	struct p4rt_client *f = NULL;
	OK(p4rt_connect(&f, addr, 99, &err));
	FAILS(p4rt_arbitrate(f, 0, 1, NULL, &err), ENOENT, "not 99");
	p4rt_close(f);
	p4rt_close(a);
	p4rt_close(b);
	p4rts_stop(s);
}

/* Servers and clients started and stopped in turn in one process. */
static void test_restart(void)
{
	for (int i = 0; i < 5; i++) {
		char addr[64], ver[32];
		struct p4rts_server *s = server_start(addr, sizeof(addr));
		struct p4rt_client *c = client(addr, 1);
		OK(p4rt_capabilities(c, ver, sizeof(ver), &err));
		if (i % 2)
			OK(push(c));
		p4rt_close(c);
		p4rts_stop(s);
	}
	/* nothing listens: connecting fails with a message */
	struct p4rt_client *c = NULL;
	char addr[64];
	struct p4rts_server *s = server_start(addr, sizeof(addr));
	p4rts_stop(s);
	FAILS(p4rt_connect(&c, addr, 1, &err), ECONNREFUSED, "cannot connect");
	/* a port taken */
	struct p4rts_server *s1 = server_start(addr, sizeof(addr)), *s2 = NULL;
	struct p4rts_config cfg = { .addr = addr, .device_id = 1 };
	FAILS(p4rts_start(&s2, &cfg, &err), EADDRINUSE, "cannot listen");
	p4rts_stop(s1);
}

#define TESTS(X) X(no_pipeline) X(pipeline) X(lpm) X(typed) X(ternary_and_default) \
	X(range_optional) X(entities) X(packet_io) X(digests) X(load_entries) X(rollback) X(batch_and_full) X(big_batch) X(arbitration) X(restart) X(async) X(roles)

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_p4runtime RT.P4 RT-ENTRIES.JSON [TEST]\n");
		return 2;
	}
	entries_json = argv[2];
	if (p4c_compile_file(argv[1], NULL, &prog, stderr) < 0)
		return 1;
	bool ran = false;
#define X(name)                                                         \
	if (argc < 4 || !strcmp(argv[3], #name)) {                      \
		cur_test = #name;                                       \
		test_##name();                                          \
		ran = true;                                             \
	}
	TESTS(X)
#undef X
	if (!ran) {
		fprintf(stderr, "no test named %s\n", argv[3]);
		failures++;
	}
	p4c_output_free(&prog);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
