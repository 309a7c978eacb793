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
		if (e->entity_case == P4__V1__ENTITY__ENTITY_DIGEST_ENTRY)
			*digests = true;
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
