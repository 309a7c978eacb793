/* entities.c - counters, registers, multicast groups and clone sessions by
 * name or number (p4rt_client.h), on top of p4rt_read/p4rt_write. */
#include "client_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The P4Info id of a counter or register by its name, alias or suffix. */
static int find_id(struct p4rt_client *c, bool reg, const char *name, uint32_t *id,
		   struct p4l_err *err)
{
	const P4__Config__V1__P4Info *info = c->p4info;
	size_t n = !info ? 0 : reg ? info->n_registers : info->n_counters;
	int found = 0;
	if (!info)
		return p4l_errf(err, -ENXIO, "no P4Info: push a pipeline or fetch the device's first");
	for (size_t i = 0; i < n; i++) {
		const P4__Config__V1__Preamble *p = reg ? info->registers[i]->preamble
							: info->counters[i]->preamble;
		size_t fl = strlen(p->name), nl = strlen(name);
		if (!strcmp(p->name, name) || (p->alias && !strcmp(p->alias, name))) {
			*id = p->id;
			return 0;
		}
		if (fl > nl && p->name[fl - nl - 1] == '.' && !strcmp(p->name + fl - nl, name)) {
			*id = p->id;
			found++;
		}
	}
	if (found == 1)
		return 0;
	return p4l_errf(err, found ? -EINVAL : -ENOENT, "%s %s '%s'",
			found ? "ambiguous" : "the P4Info has no",
			reg ? "register" : "counter", name);
}

struct one {
	P4__V1__Entity *e;         /* a copy of the entity read */
	int n;
};

static int keep_one(void *ctx, const P4__V1__Entity *e)
{
	struct one *o = ctx;
	size_t len = p4__v1__entity__get_packed_size(e);
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	p4__v1__entity__pack(e, buf);
	if (o->e)
		p4__v1__entity__free_unpacked(o->e, NULL);
	o->e = p4__v1__entity__unpack(NULL, len, buf);
	free(buf);
	o->n++;
	return o->e ? 0 : -ENOMEM;
}

int p4rt_counter_read(struct p4rt_client *c, const char *name, uint32_t index,
		      uint64_t *packets, uint64_t *bytes, struct p4l_err *err)
{
	P4__V1__Entity e, *ep = &e;
	P4__V1__CounterEntry ce;
	P4__V1__Index idx;
	struct one o = { 0 };
	p4__v1__entity__init(&e);
	p4__v1__counter_entry__init(&ce);
	p4__v1__index__init(&idx);
	int r = find_id(c, false, name, &ce.counter_id, err);
	if (r < 0)
		return r;
	idx.index = index;
	ce.index = &idx;
	e.entity_case = P4__V1__ENTITY__ENTITY_COUNTER_ENTRY;
	e.counter_entry = &ce;
	r = p4rt_read(c, &ep, 1, keep_one, &o, err);
	if (r >= 0 && (o.n != 1 || !o.e->counter_entry || !o.e->counter_entry->data))
		r = p4l_errf(err, -EBADMSG, "counter %s[%u]: the device answered %d entries", name,
			     index, o.n);
	if (r >= 0) {
		*packets = (uint64_t)o.e->counter_entry->data->packet_count;
		*bytes = (uint64_t)o.e->counter_entry->data->byte_count;
		r = 0;
	}
	if (o.e)
		p4__v1__entity__free_unpacked(o.e, NULL);
	return r;
}

int p4rt_register_read(struct p4rt_client *c, const char *name, uint32_t index, uint64_t *value,
		       struct p4l_err *err)
{
	P4__V1__Entity e, *ep = &e;
	P4__V1__RegisterEntry re;
	P4__V1__Index idx;
	struct one o = { 0 };
	p4__v1__entity__init(&e);
	p4__v1__register_entry__init(&re);
	p4__v1__index__init(&idx);
	int r = find_id(c, true, name, &re.register_id, err);
	if (r < 0)
		return r;
	idx.index = index;
	re.index = &idx;
	e.entity_case = P4__V1__ENTITY__ENTITY_REGISTER_ENTRY;
	e.register_entry = &re;
	r = p4rt_read(c, &ep, 1, keep_one, &o, err);
	const P4__V1__P4Data *d = r >= 0 && o.n == 1 && o.e->register_entry
		? o.e->register_entry->data : NULL;
	if (r >= 0 && (!d || d->data_case != P4__V1__P4_DATA__DATA_BITSTRING ||
		       d->bitstring.len > 8))
		r = p4l_errf(err, -EBADMSG, "register %s[%u]: no 64-bit bitstring in the answer",
			     name, index);
	if (r >= 0) {
		*value = 0;
		for (size_t i = 0; i < d->bitstring.len; i++)
			*value = *value << 8 | d->bitstring.data[i];
		r = 0;
	}
	if (o.e)
		p4__v1__entity__free_unpacked(o.e, NULL);
	return r;
}

/* One update of entity e, its own error reported as the call's. */
static int write_entity(struct p4rt_client *c, P4__V1__Update__Type type, P4__V1__Entity *e,
			struct p4l_err *err)
{
	P4__V1__Update u, *up = &u;
	p4__v1__update__init(&u);
	u.type = type;
	u.entity = e;
	int r = p4rt_write(c, &up, 1, err);
	if (r == -EIO && c->n_uerr == 1)
		r = p4l_errf(err, p4rt_errno(c->uerr[0].code), "%s: %s",
			     p4rt_code_name(c->uerr[0].code), c->uerr[0].msg);
	return r;
}

int p4rt_register_write(struct p4rt_client *c, const char *name, uint32_t index, uint64_t value,
			struct p4l_err *err)
{
	P4__V1__Entity e;
	P4__V1__RegisterEntry re;
	P4__V1__Index idx;
	P4__V1__P4Data d;
	uint8_t be[8];
	size_t skip = 0;
	p4__v1__entity__init(&e);
	p4__v1__register_entry__init(&re);
	p4__v1__index__init(&idx);
	p4__v1__p4_data__init(&d);
	int r = find_id(c, true, name, &re.register_id, err);
	if (r < 0)
		return r;
	for (int b = 0; b < 8; b++)
		be[b] = (uint8_t)(value >> (56 - 8 * b));
	while (skip < 7 && !be[skip])
		skip++;
	d.data_case = P4__V1__P4_DATA__DATA_BITSTRING;
	d.bitstring = (ProtobufCBinaryData){ 8 - skip, be + skip };
	idx.index = index;
	re.index = &idx;
	re.data = &d;
	e.entity_case = P4__V1__ENTITY__ENTITY_REGISTER_ENTRY;
	e.register_entry = &re;
	return write_entity(c, P4__V1__UPDATE__TYPE__MODIFY, &e, err);
}

/* Replicas as P4Runtime messages (port as canonical bytes). */
static int pre_write(struct p4rt_client *c, P4__V1__Update__Type type, bool clone, uint32_t id,
		     const struct p4rt_replica *rs, size_t n, struct p4l_err *err)
{
	P4__V1__Entity e;
	P4__V1__PacketReplicationEngineEntry pe;
	P4__V1__MulticastGroupEntry mg;
	P4__V1__CloneSessionEntry cs;
	P4__V1__Replica *rv = calloc(n ? n : 1, sizeof(*rv)), **rp = calloc(n ? n : 1, sizeof(*rp));
	uint8_t (*ports)[4] = calloc(n ? n : 1, sizeof(*ports));
	int r;
	if (!rv || !rp || !ports) {
		r = p4l_errf(err, -ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		size_t skip = 0;
		for (int b = 0; b < 4; b++)
			ports[i][b] = (uint8_t)(rs[i].port >> (24 - 8 * b));
		while (skip < 3 && !ports[i][skip])
			skip++;
		p4__v1__replica__init(&rv[i]);
		rv[i].port_kind_case = P4__V1__REPLICA__PORT_KIND_PORT;
		rv[i].port = (ProtobufCBinaryData){ 4 - skip, ports[i] + skip };
		rv[i].instance = rs[i].instance;
		rp[i] = &rv[i];
	}
	p4__v1__entity__init(&e);
	p4__v1__packet_replication_engine_entry__init(&pe);
	p4__v1__multicast_group_entry__init(&mg);
	p4__v1__clone_session_entry__init(&cs);
	if (clone) {
		cs.session_id = id;
		cs.n_replicas = n;
		cs.replicas = rp;
		pe.type_case = P4__V1__PACKET_REPLICATION_ENGINE_ENTRY__TYPE_CLONE_SESSION_ENTRY;
		pe.clone_session_entry = &cs;
	} else {
		mg.multicast_group_id = id;
		mg.n_replicas = n;
		mg.replicas = rp;
		pe.type_case = P4__V1__PACKET_REPLICATION_ENGINE_ENTRY__TYPE_MULTICAST_GROUP_ENTRY;
		pe.multicast_group_entry = &mg;
	}
	e.entity_case = P4__V1__ENTITY__ENTITY_PACKET_REPLICATION_ENGINE_ENTRY;
	e.packet_replication_engine_entry = &pe;
	r = write_entity(c, type, &e, err);
out:
	free(rv);
	free(rp);
	free(ports);
	return r;
}

int p4rt_mcast_group_write(struct p4rt_client *c, P4__V1__Update__Type type, uint32_t group,
			   const struct p4rt_replica *replicas, size_t n, struct p4l_err *err)
{
	return pre_write(c, type, false, group, replicas, n, err);
}

int p4rt_clone_session_write(struct p4rt_client *c, P4__V1__Update__Type type, uint32_t session,
			     const struct p4rt_replica *replica, struct p4l_err *err)
{
	return pre_write(c, type, true, session, replica, replica ? 1 : 0, err);
}
