/* updates.c - the updates of one Write, CONTINUE_ON_ERROR or
 * ROLLBACK_ON_ERROR.
 *
 * Rollback is built from the Read side: before an update is applied, what
 * it is about to change is read (the entry with its identity, the
 * replication entry, the register cells, the digest configuration); once it
 * is applied, the inverse update is recorded (DELETE of an insert, MODIFY
 * back to the old state, INSERT of what was deleted).  On a failure the
 * recorded inverses run in reverse order.  Called by server.c. */
#include "server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct undo {
	P4__V1__Update__Type type;
	uint8_t *entity;           /* packed p4.v1.Entity */
	size_t len;
};

struct undos {
	struct undo *v;
	size_t n, cap;
};

/* The entities a Read returned, packed. */
struct capture {
	uint8_t **v;
	size_t *len;
	size_t n, cap;
};

static int capture(void *ctx, const uint8_t *entity, size_t len)
{
	struct capture *c = ctx;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 4;
		uint8_t **v = realloc(c->v, cap * sizeof(*v));
		size_t *l = v ? realloc(c->len, cap * sizeof(*l)) : NULL;
		if (v)
			c->v = v;
		if (!l)
			return -1;
		c->len = l;
		c->cap = cap;
	}
	if (!(c->v[c->n] = malloc(len ? len : 1)))
		return -1;
	memcpy(c->v[c->n], entity, len);
	c->len[c->n++] = len;
	return 0;
}

static void capture_free(struct capture *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
	free(c->len);
	memset(c, 0, sizeof(*c));
}

/* Takes entity. */
static int push(struct undos *u, P4__V1__Update__Type type, uint8_t *entity, size_t len)
{
	if (u->n == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 16;
		struct undo *v = realloc(u->v, cap * sizeof(*v));
		if (!v) {
			free(entity);
			return -1;
		}
		u->v = v;
		u->cap = cap;
	}
	u->v[u->n++] = (struct undo){ type, entity, len };
	return 0;
}

static int apply(struct p4rts_pipe *p, P4__V1__Update__Type type, const P4__V1__Entity *e,
		 struct p4rts_status *st)
{
	if (!e || e->entity_case == P4__V1__ENTITY__ENTITY__NOT_SET)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "the update has no entity");
	if (e->entity_case == P4__V1__ENTITY__ENTITY_TABLE_ENTRY)
		return p4rts_table_write(p, type, e->table_entry, st);
	return p4rts_entity_write(p, type, e, st);
}

/* What the update is about to change, as it is now. */
static void before(struct p4rts_pipe *p, const P4__V1__Entity *e, struct capture *c)
{
	struct p4rts_status st;
	if (!e)
		return;
	switch (e->entity_case) {
	case P4__V1__ENTITY__ENTITY_TABLE_ENTRY:
		p4rts_table_get(p, e->table_entry, capture, c, &st);
		break;
	case P4__V1__ENTITY__ENTITY_PACKET_REPLICATION_ENGINE_ENTRY:
	case P4__V1__ENTITY__ENTITY_REGISTER_ENTRY:
	case P4__V1__ENTITY__ENTITY_DIGEST_ENTRY:
	case P4__V1__ENTITY__ENTITY_ACTION_PROFILE_MEMBER:
	case P4__V1__ENTITY__ENTITY_ACTION_PROFILE_GROUP:
	case P4__V1__ENTITY__ENTITY_DIRECT_COUNTER_ENTRY:
	case P4__V1__ENTITY__ENTITY_DIRECT_METER_ENTRY:
	case P4__V1__ENTITY__ENTITY_METER_ENTRY:
	case P4__V1__ENTITY__ENTITY_COUNTER_ENTRY:
	case P4__V1__ENTITY__ENTITY_VALUE_SET_ENTRY:
		p4rts_entity_read(p, e, capture, c, &st);
		break;
	default:
		break;   /* these writes fail: nothing to undo */
	}
}

/* Records the inverse of an update that went through. */
static int record(struct undos *u, P4__V1__Update__Type type, const P4__V1__Entity *e,
		  struct capture *c)
{
	if (!c->n) {
		/* nothing was there: it was an insert */
		size_t len = p4__v1__entity__get_packed_size(e);
		uint8_t *buf = malloc(len ? len : 1);
		if (!buf)
			return -1;
		p4__v1__entity__pack(e, buf);
		return push(u, P4__V1__UPDATE__TYPE__DELETE, buf, len);
	}
	for (size_t i = 0; i < c->n; i++) {
		int r = push(u, type == P4__V1__UPDATE__TYPE__DELETE ? P4__V1__UPDATE__TYPE__INSERT
			     : P4__V1__UPDATE__TYPE__MODIFY, c->v[i], c->len[i]);
		c->v[i] = NULL;
		if (r < 0)
			return r;
	}
	return 0;
}

static int undo_all(struct p4rts_pipe *p, struct undos *u, struct p4rts_status *st)
{
	int bad = 0;
	while (u->n) {
		struct undo *x = &u->v[--u->n];
		P4__V1__Entity *e = p4__v1__entity__unpack(NULL, x->len, x->entity);
		struct p4rts_status ust = { 0 };
		if (!e || apply(p, x->type, e, &ust) < 0) {
			if (!bad++)
				*st = ust;
		}
		if (e)
			p4__v1__entity__free_unpacked(e, NULL);
		free(x->entity);
	}
	return bad;
}

size_t p4rts_apply(struct p4rts_pipe *p, P4__V1__Update *const *u, size_t n, bool rollback,
		   struct p4rts_status *sts, bool *digests)
{
	struct undos undos = { 0 };
	size_t failed = 0, i;
	for (i = 0; i < n; i++) {
		const P4__V1__Entity *e = u[i]->entity;
		struct capture c = { 0 };
		if (rollback)
			before(p, e, &c);
		if (apply(p, u[i]->type, e, &sts[i]) < 0) {
			capture_free(&c);
			failed++;
			if (rollback)
				break;
			continue;
		}
		if (e->entity_case == P4__V1__ENTITY__ENTITY_DIGEST_ENTRY ||
		    (e->entity_case == P4__V1__ENTITY__ENTITY_TABLE_ENTRY &&
		     e->table_entry->idle_timeout_ns))
			*digests = true;   /* the waker's period may change */
		if (rollback && record(&undos, u[i]->type, e, &c) < 0) {
			p4rts_st(&sts[i], P4RT_RESOURCE_EXHAUSTED, "out of memory (for the rollback)");
			capture_free(&c);
			failed++;
			break;
		}
		capture_free(&c);
	}
	if (rollback && failed) {
		struct p4rts_status ust = { 0 };
		int bad = undo_all(p, &undos, &ust);
		for (size_t k = 0; k < n; k++) {
			if (k == i)
				continue;
			if (bad)
				p4rts_st(&sts[k], P4RT_INTERNAL, "update %zu failed and undoing the "
					 "updates before it failed too: %s", i, ust.msg);
			else
				p4rts_st(&sts[k], P4RT_ABORTED, "update %zu failed: %s", i,
					 k < i ? "rolled back" : "not applied");
		}
		failed = n;
	}
	for (size_t k = 0; k < undos.n; k++)
		free(undos.v[k].entity);
	free(undos.v);
	return failed;
}

/* ---- RECONCILE_AND_COMMIT ------------------------------------------------------ */

/* Replays what one wildcard read of old returns into p as updates of type
 * (meter cells never configured stay so). */
static int replay(struct p4rts_pipe *old, struct p4rts_pipe *p, const P4__V1__Entity *q,
		  P4__V1__Update__Type type, const char *what, struct p4rts_status *st)
{
	struct capture c = { 0 };
	int r = q->entity_case == P4__V1__ENTITY__ENTITY_TABLE_ENTRY
		? p4rts_table_read(old, q->table_entry, capture, &c, st)
		: p4rts_entity_read(old, q, capture, &c, st);
	for (size_t i = 0; r == 0 && i < c.n; i++) {
		P4__V1__Entity *e = p4__v1__entity__unpack(NULL, c.len[i], c.v[i]);
		if (!e) {
			r = p4rts_st(st, P4RT_INTERNAL, "reconcile: an entity read back is unreadable");
			break;
		}
		bool skip = e->entity_case == P4__V1__ENTITY__ENTITY_METER_ENTRY &&
			!e->meter_entry->config;
		/* registers p4lab cannot write (wider than 64 bits) are read only */
		if (!skip && apply(p, type, e, st) < 0 &&
		    !(st->code == P4RT_UNIMPLEMENTED &&
		      e->entity_case == P4__V1__ENTITY__ENTITY_REGISTER_ENTRY)) {
			char msg[sizeof(st->msg)];
			snprintf(msg, sizeof(msg), "%s", st->msg);
			r = p4rts_st(st, P4RT_INVALID_ARGUMENT, "RECONCILE_AND_COMMIT: the new "
				     "pipeline cannot take the %s in force (%zu of %zu): %s", what,
				     i + 1, c.n, msg);
		}
		p4__v1__entity__free_unpacked(e, NULL);
	}
	capture_free(&c);
	return r;
}

int p4rts_reconcile(struct p4rts_pipe *old, struct p4rts_pipe *p, struct p4rts_status *st)
{
	P4__V1__Entity q;
	P4__V1__ActionProfileMember apm;
	P4__V1__ActionProfileGroup apg;
	P4__V1__TableEntry te;
	P4__V1__CounterData cd;
	P4__V1__MeterConfig mc;
	P4__V1__MeterCounterData mcd;
	P4__V1__PacketReplicationEngineEntry pre;
	P4__V1__ValueSetEntry vs;
	P4__V1__RegisterEntry re;
	P4__V1__MeterEntry me;
	P4__V1__DigestEntry de;
	P4__V1__CounterEntry ce;
	p4__v1__counter_entry__init(&ce);
	p4__v1__action_profile_member__init(&apm);
	p4__v1__action_profile_group__init(&apg);
	p4__v1__table_entry__init(&te);
	p4__v1__counter_data__init(&cd);
	p4__v1__meter_config__init(&mc);
	p4__v1__meter_counter_data__init(&mcd);
	p4__v1__packet_replication_engine_entry__init(&pre);
	p4__v1__value_set_entry__init(&vs);
	p4__v1__register_entry__init(&re);
	p4__v1__meter_entry__init(&me);
	p4__v1__digest_entry__init(&de);
	const P4__V1__Update__Type INS = P4__V1__UPDATE__TYPE__INSERT,
				   MOD = P4__V1__UPDATE__TYPE__MODIFY;
#define STEP(field, kase, value, type, what)                                     \
	do {                                                                     \
		p4__v1__entity__init(&q);                                       \
		q.entity_case = P4__V1__ENTITY__ENTITY_##kase;                  \
		q.field = value;                                                \
		if (replay(old, p, &q, type, what, st) < 0)                     \
			return -1;                                              \
	} while (0)
	/* members before the groups and entries naming them */
	STEP(action_profile_member, ACTION_PROFILE_MEMBER, &apm, INS, "action profile members");
	STEP(action_profile_group, ACTION_PROFILE_GROUP, &apg, INS, "action profile groups");
	te.counter_data = &cd;   /* entries come with their direct counters and meters */
	te.meter_config = &mc;
	te.meter_counter_data = &mcd;
	STEP(table_entry, TABLE_ENTRY, &te, INS, "table entries");
	te.counter_data = NULL;
	te.meter_config = NULL;
	te.meter_counter_data = NULL;
	te.is_default_action = true;
	const P4__Config__V1__P4Info *info = p4rts_pipe_p4info(old);
	for (size_t i = 0; i < info->n_tables; i++) {
		if (info->tables[i]->const_default_action_id)
			continue;
		te.table_id = info->tables[i]->preamble->id;
		STEP(table_entry, TABLE_ENTRY, &te, MOD, "default entries");
	}
	STEP(packet_replication_engine_entry, PACKET_REPLICATION_ENGINE_ENTRY, &pre, INS,
	     "multicast groups and clone sessions");
	STEP(value_set_entry, VALUE_SET_ENTRY, &vs, MOD, "value sets");
	STEP(register_entry, REGISTER_ENTRY, &re, MOD, "register cells");
	STEP(meter_entry, METER_ENTRY, &me, MOD, "meter cells");
	STEP(counter_entry, COUNTER_ENTRY, &ce, MOD, "counter cells");
	STEP(digest_entry, DIGEST_ENTRY, &de, INS, "digest configurations");
#undef STEP
	return 0;
}
