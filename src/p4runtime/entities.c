/* entities.c - the P4Runtime entities beside table entries: indexed
 * counters, meters, registers and value sets (read and write) and the packet replication
 * engine (multicast groups and clone sessions: insert, modify, delete,
 * read).  P4Info names them; the switch finds them by the same names.
 * Replication entries are kept as written (packed), for Read.  Called by
 * server.c on the transport thread. */
#include "server_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct pre_ent {
	bool clone;                /* a clone session, else a multicast group */
	uint32_t id;
	uint8_t *entity;           /* packed p4.v1.Entity */
	size_t len;
	uint32_t hidden;           /* clones: the multicast group holding its copies (0: none) */
};

/* A value set's members as last written (packed ValueSetEntry). */
struct vset_ent {
	uint32_t id;
	uint8_t *entity;
	size_t len;
};

struct p4rts_pre {
	struct pre_ent *v;
	size_t n, cap;
	struct vset_ent *vs;
	size_t nvs;
};

void p4rts_pre_free(struct p4rts_pre *pre)
{
	if (!pre)
		return;
	for (size_t i = 0; i < pre->n; i++)
		free(pre->v[i].entity);
	free(pre->v);
	for (size_t i = 0; i < pre->nvs; i++)
		free(pre->vs[i].entity);
	free(pre->vs);
	free(pre);
}

static int emit_entity(const P4__V1__Entity *e, p4rts_emit_fn emit, void *ctx,
		       struct p4rts_status *st)
{
	size_t len = p4__v1__entity__get_packed_size(e);
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf)
		return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	p4__v1__entity__pack(e, buf);
	int r = emit(ctx, buf, len);
	free(buf);
	return r < 0 ? p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory") : 0;
}

/* The cells [*lo, *hi) an Index selects in an array of size cells. */
static int cells(const P4__V1__Index *idx, int64_t size, const char *name, int64_t *lo,
		 int64_t *hi, struct p4rts_status *st)
{
	*lo = 0;
	*hi = size;
	if (!idx)
		return 0;
	if (idx->index < 0 || idx->index >= size)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%s has %lld cells: no index %lld", name,
				(long long)size, (long long)idx->index);
	*lo = idx->index;
	*hi = idx->index + 1;
	return 0;
}

/* ---- counters ----------------------------------------------------------------- */

static int read_counters(struct p4rts_pipe *p, const P4__V1__CounterEntry *ce, p4rts_emit_fn emit,
			 void *ctx, struct p4rts_status *st)
{
	const P4__Config__V1__P4Info *info = p4rts_pipe_p4info(p);
	struct sw_switch *sw = p4rts_pipe_switch(p);
	bool found = false;
	if (ce->counter_id && ce->counter_id >> 24 != P4I_COUNTER)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%u is not a counter id", ce->counter_id);
	for (size_t i = 0; i < info->n_counters; i++) {
		const P4__Config__V1__Counter *c = info->counters[i];
		if (ce->counter_id && c->preamble->id != ce->counter_id)
			continue;
		found = true;
		int unit = c->spec ? (int)c->spec->unit : 0;
		int64_t lo, hi;
		if (cells(ce->index, c->size, c->preamble->name, &lo, &hi, st) < 0)
			return -1;
		for (int64_t k = lo; k < hi; k++) {
			uint64_t packets, bytes;
			struct p4l_err err = { 0 };
			if (sw_counter_read(sw, c->preamble->name, (uint32_t)k, &packets, &bytes,
					    &err) < 0)
				return p4rts_st(st, P4RT_INTERNAL, "%s", err.msg);
			P4__V1__Entity e;
			P4__V1__CounterEntry out;
			P4__V1__Index index;
			P4__V1__CounterData data;
			p4__v1__entity__init(&e);
			p4__v1__counter_entry__init(&out);
			p4__v1__index__init(&index);
			p4__v1__counter_data__init(&data);
			index.index = k;
			if (unit != P4__CONFIG__V1__COUNTER_SPEC__UNIT__PACKETS)
				data.byte_count = (int64_t)bytes;
			if (unit != P4__CONFIG__V1__COUNTER_SPEC__UNIT__BYTES)
				data.packet_count = (int64_t)packets;
			out.counter_id = c->preamble->id;
			out.index = &index;
			out.data = &data;
			e.entity_case = P4__V1__ENTITY__ENTITY_COUNTER_ENTRY;
			e.counter_entry = &out;
			if (emit_entity(&e, emit, ctx, st) < 0)
				return -1;
		}
	}
	if (ce->counter_id && !found)
		return p4rts_st(st, P4RT_NOT_FOUND, "no counter with id %u", ce->counter_id);
	return 0;
}

static int write_counter(struct p4rts_pipe *p, P4__V1__Update__Type type,
			 const P4__V1__CounterEntry *ce, struct p4rts_status *st)
{
	const P4__Config__V1__P4Info *info = p4rts_pipe_p4info(p);
	const P4__Config__V1__Counter *c = NULL;
	if (ce->counter_id >> 24 != P4I_COUNTER)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%u is not a counter id", ce->counter_id);
	for (size_t i = 0; i < info->n_counters; i++)
		if (info->counters[i]->preamble->id == ce->counter_id)
			c = info->counters[i];
	if (!c)
		return p4rts_st(st, P4RT_NOT_FOUND, "no counter with id %u", ce->counter_id);
	const char *name = c->preamble->name;
	if (type != P4__V1__UPDATE__TYPE__MODIFY)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "counter %s: cells are only modified",
				name);
	const P4__V1__CounterData *d = ce->data;
	if (d && (d->packet_count < 0 || d->byte_count < 0))
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "counter %s: negative counts", name);
	int64_t lo, hi;
	if (cells(ce->index, c->size, name, &lo, &hi, st) < 0)
		return -1;
	for (int64_t k = lo; k < hi; k++) {
		struct p4l_err err = { 0 };
		/* no data: back to zero */
		if (sw_counter_write(p4rts_pipe_switch(p), name, (uint32_t)k,
				     d ? (uint64_t)d->packet_count : 0, d ? (uint64_t)d->byte_count : 0,
				     &err) < 0)
			return p4rts_st(st, P4RT_INTERNAL, "%s", err.msg);
	}
	return 0;
}

/* ---- meters ------------------------------------------------------------------- */

static const P4__Config__V1__Meter *find_meter(const P4__Config__V1__P4Info *info, uint32_t id)
{
	for (size_t i = 0; i < info->n_meters; i++)
		if (info->meters[i]->preamble->id == id)
			return info->meters[i];
	return NULL;
}

void p4rts_colors_put(const struct sw_meter_counts *c, P4__V1__MeterCounterData *out,
		      P4__V1__CounterData cd[3])
{
	p4__v1__meter_counter_data__init(out);
	for (int i = 0; i < 3; i++) {
		p4__v1__counter_data__init(&cd[i]);
		cd[i].packet_count = (int64_t)c->packets[i];
		cd[i].byte_count = (int64_t)c->bytes[i];
	}
	out->green = &cd[0];
	out->yellow = &cd[1];
	out->red = &cd[2];
}

int p4rts_colors_get(const P4__V1__MeterCounterData *in, struct sw_meter_counts *c,
		     const char *what, struct p4rts_status *st)
{
	const P4__V1__CounterData *cd[3] = { in->green, in->yellow, in->red };
	for (int i = 0; i < 3; i++) {
		/* a colour left out counts from zero */
		int64_t pk = cd[i] ? cd[i]->packet_count : 0, by = cd[i] ? cd[i]->byte_count : 0;
		if (pk < 0 || by < 0)
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%s: negative meter counter "
					"data", what);
		c->packets[i] = (uint64_t)pk;
		c->bytes[i] = (uint64_t)by;
	}
	return 0;
}

static int read_meters(struct p4rts_pipe *p, const P4__V1__MeterEntry *me, p4rts_emit_fn emit,
		       void *ctx, struct p4rts_status *st)
{
	const P4__Config__V1__P4Info *info = p4rts_pipe_p4info(p);
	struct sw_switch *sw = p4rts_pipe_switch(p);
	if (me->meter_id && me->meter_id >> 24 != P4I_METER)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%u is not a meter id", me->meter_id);
	if (me->meter_id && !find_meter(info, me->meter_id))
		return p4rts_st(st, P4RT_NOT_FOUND, "no meter with id %u", me->meter_id);
	for (size_t i = 0; i < info->n_meters; i++) {
		const P4__Config__V1__Meter *m = info->meters[i];
		if (me->meter_id && m->preamble->id != me->meter_id)
			continue;
		int64_t lo, hi;
		if (cells(me->index, m->size, m->preamble->name, &lo, &hi, st) < 0)
			return -1;
		for (int64_t k = lo; k < hi; k++) {
			struct sw_meter_rates mr;
			struct p4l_err err = { 0 };
			if (sw_meter_get(sw, m->preamble->name, (uint32_t)k, &mr, &err) < 0)
				return p4rts_st(st, P4RT_INTERNAL, "%s", err.msg);
			P4__V1__Entity e;
			P4__V1__MeterEntry out;
			P4__V1__Index index;
			P4__V1__MeterConfig mc;
			P4__V1__MeterCounterData mcd;
			P4__V1__CounterData cd[3];
			p4__v1__entity__init(&e);
			p4__v1__meter_entry__init(&out);
			p4rts_colors_put(&mr.colors, &mcd, cd);
			out.counter_data = &mcd;
			p4__v1__index__init(&index);
			p4__v1__meter_config__init(&mc);
			index.index = k;
			mc.cir = (int64_t)mr.cir;
			mc.cburst = (int64_t)mr.cburst;
			mc.pir = (int64_t)mr.pir;
			mc.pburst = (int64_t)mr.pburst;
			out.meter_id = m->preamble->id;
			out.index = &index;
			if (mr.configured)
				out.config = &mc;
			e.entity_case = P4__V1__ENTITY__ENTITY_METER_ENTRY;
			e.meter_entry = &out;
			if (emit_entity(&e, emit, ctx, st) < 0)
				return -1;
		}
	}
	return 0;
}

static int write_meter(struct p4rts_pipe *p, P4__V1__Update__Type type,
		       const P4__V1__MeterEntry *me, struct p4rts_status *st)
{
	const P4__Config__V1__P4Info *info = p4rts_pipe_p4info(p);
	if (me->meter_id >> 24 != P4I_METER)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%u is not a meter id", me->meter_id);
	const P4__Config__V1__Meter *m = find_meter(info, me->meter_id);
	if (!m)
		return p4rts_st(st, P4RT_NOT_FOUND, "no meter with id %u", me->meter_id);
	const char *name = m->preamble->name;
	const P4__V1__MeterConfig *mc = me->config;
	if (type != P4__V1__UPDATE__TYPE__MODIFY)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "meter %s: cells are only modified", name);
	if (!mc && !me->counter_data)
		return p4rts_st(st, P4RT_UNIMPLEMENTED, "meter %s: resetting cells to their default "
				"(no config) is not supported by p4lab yet", name);
	struct sw_meter_counts colors;
	if (me->counter_data && p4rts_colors_get(me->counter_data, &colors, name, st) < 0)
		return -1;
	if (!mc) {
		int64_t lo, hi;
		if (cells(me->index, m->size, name, &lo, &hi, st) < 0)
			return -1;
		for (int64_t k = lo; k < hi; k++) {
			struct p4l_err err = { 0 };
			if (sw_meter_counts_set(p4rts_pipe_switch(p), name, (uint32_t)k, &colors,
						&err) < 0)
				return p4rts_st(st, P4RT_INTERNAL, "%s", err.msg);
		}
		return 0;
	}
	if (mc->eburst)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "meter %s is two-rate (eburst is for "
				"single-rate meters)", name);
	if (mc->cir < 0 || mc->pir < mc->cir || mc->cburst < 0 || mc->pburst < 0)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "meter %s: rates and bursts must be >= 0, "
				"and the peak rate at least the committed one", name);
	int64_t lo, hi;
	if (cells(me->index, m->size, name, &lo, &hi, st) < 0)
		return -1;
	for (int64_t k = lo; k < hi; k++) {
		struct p4l_err err = { 0 };
		int r = sw_meter_set(p4rts_pipe_switch(p), name, (uint32_t)k, (double)mc->cir,
				     (double)mc->cburst, (double)mc->pir, (double)mc->pburst, &err);
		if (r < 0)
			return p4rts_st(st, r == -EBUSY ? P4RT_UNAVAILABLE : P4RT_INTERNAL, "%s",
					err.msg);
		if (me->counter_data && sw_meter_counts_set(p4rts_pipe_switch(p), name,
							    (uint32_t)k, &colors, &err) < 0)
			return p4rts_st(st, P4RT_INTERNAL, "%s", err.msg);
	}
	return 0;
}

/* ---- registers ---------------------------------------------------------------- */

static const P4__Config__V1__Register *find_register(const P4__Config__V1__P4Info *info,
						     uint32_t id)
{
	for (size_t i = 0; i < info->n_registers; i++)
		if (info->registers[i]->preamble->id == id)
			return info->registers[i];
	return NULL;
}

/* The register's cell width, or 0 when its cells are not a bit<W>. */
static uint32_t reg_width(const P4__Config__V1__Register *r)
{
	const P4__Config__V1__P4DataTypeSpec *t = r->type_spec;
	if (!t || t->type_spec_case != P4__CONFIG__V1__P4_DATA_TYPE_SPEC__TYPE_SPEC_BITSTRING ||
	    t->bitstring->type_spec_case != P4__CONFIG__V1__P4_BITSTRING_LIKE_TYPE_SPEC__TYPE_SPEC_BIT)
		return 0;
	return (uint32_t)t->bitstring->bit->bitwidth;
}

static int read_registers(struct p4rts_pipe *p, const P4__V1__RegisterEntry *re,
			  p4rts_emit_fn emit, void *ctx, struct p4rts_status *st)
{
	const P4__Config__V1__P4Info *info = p4rts_pipe_p4info(p);
	struct sw_switch *sw = p4rts_pipe_switch(p);
	if (re->register_id && re->register_id >> 24 != P4I_REGISTER)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%u is not a register id",
				re->register_id);
	if (re->register_id && !find_register(info, re->register_id))
		return p4rts_st(st, P4RT_NOT_FOUND, "no register with id %u", re->register_id);
	for (size_t i = 0; i < info->n_registers; i++) {
		const P4__Config__V1__Register *rg = info->registers[i];
		if (re->register_id && rg->preamble->id != re->register_id)
			continue;
		int64_t lo, hi;
		if (cells(re->index, rg->size, rg->preamble->name, &lo, &hi, st) < 0)
			return -1;
		for (int64_t k = lo; k < hi; k++) {
			uint64_t v;
			struct p4l_err err = { 0 };
			if (sw_register_read(sw, rg->preamble->name, (uint32_t)k, &v, &err) < 0)
				return p4rts_st(st, P4RT_INTERNAL, "%s", err.msg);
			uint8_t be[8];
			size_t skip = 0;
			for (int b = 0; b < 8; b++)
				be[b] = (uint8_t)(v >> (56 - 8 * b));
			while (skip < 7 && !be[skip])
				skip++;
			P4__V1__Entity e;
			P4__V1__RegisterEntry out;
			P4__V1__Index index;
			P4__V1__P4Data data;
			p4__v1__entity__init(&e);
			p4__v1__register_entry__init(&out);
			p4__v1__index__init(&index);
			p4__v1__p4_data__init(&data);
			index.index = k;
			data.data_case = P4__V1__P4_DATA__DATA_BITSTRING;
			data.bitstring = (ProtobufCBinaryData){ 8 - skip, be + skip };
			out.register_id = rg->preamble->id;
			out.index = &index;
			out.data = &data;
			e.entity_case = P4__V1__ENTITY__ENTITY_REGISTER_ENTRY;
			e.register_entry = &out;
			if (emit_entity(&e, emit, ctx, st) < 0)
				return -1;
		}
	}
	return 0;
}

static int write_register(struct p4rts_pipe *p, P4__V1__Update__Type type,
			  const P4__V1__RegisterEntry *re, struct p4rts_status *st)
{
	const P4__Config__V1__P4Info *info = p4rts_pipe_p4info(p);
	if (re->register_id >> 24 != P4I_REGISTER)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%u is not a register id",
				re->register_id);
	const P4__Config__V1__Register *rg = find_register(info, re->register_id);
	if (!rg)
		return p4rts_st(st, P4RT_NOT_FOUND, "no register with id %u", re->register_id);
	const char *name = rg->preamble->name;
	if (type != P4__V1__UPDATE__TYPE__MODIFY)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "register %s: cells are only modified",
				name);
	uint32_t w = reg_width(rg);
	if (!w || w > 64)
		return p4rts_st(st, P4RT_UNIMPLEMENTED, "register %s: only bit<W> cells up to 64 "
				"bits are served", name);
	if (!re->data || re->data->data_case != P4__V1__P4_DATA__DATA_BITSTRING)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "register %s: the data must be a "
				"bitstring", name);
	const ProtobufCBinaryData *b = &re->data->bitstring;
	size_t skip = 0;
	while (skip < b->len && !b->data[skip])
		skip++;
	uint64_t v = 0;
	if (!b->len)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "register %s: empty bytestring", name);
	if (b->len - skip > 8)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "register %s: value does not fit in %u "
				"bits", name, w);
	for (size_t i = skip; i < b->len; i++)
		v = v << 8 | b->data[i];
	if (w < 64 && v >> w)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "register %s: value does not fit in %u "
				"bits", name, w);
	int64_t lo, hi;
	if (cells(re->index, rg->size, name, &lo, &hi, st) < 0)
		return -1;
	for (int64_t k = lo; k < hi; k++) {
		struct p4l_err err = { 0 };
		if (sw_register_write(p4rts_pipe_switch(p), name, (uint32_t)k, v, &err) < 0)
			return p4rts_st(st, P4RT_INTERNAL, "%s", err.msg);
	}
	return 0;
}

/* ---- packet replication engine ------------------------------------------------ */

static struct pre_ent *pre_find(struct p4rts_pre *pre, bool clone, uint32_t id)
{
	for (size_t i = 0; pre && i < pre->n; i++)
		if (pre->v[i].clone == clone && pre->v[i].id == id)
			return &pre->v[i];
	return NULL;
}

static int replicas(const char *what, P4__V1__Replica *const *r, size_t n, struct sw_replica *out,
		    struct p4rts_status *st);

/* A multicast group id neither the controller nor a clone session uses,
 * from the top of v1model's 16-bit range down; 0 when none is left. */
static uint32_t free_group(const struct p4rts_pre *pre)
{
	for (uint32_t g = 0xffff; g > 0; g--) {
		bool used = false;
		for (size_t i = 0; pre && i < pre->n && !used; i++)
			used = pre->v[i].clone ? pre->v[i].hidden == g : pre->v[i].id == g;
		if (!used)
			return g;
	}
	return 0;
}

/* The controller wants multicast group id: a clone session holding it moves
 * its copies to another group first. */
static int make_room(struct p4rts_pipe *p, uint32_t id, struct p4rts_status *st)
{
	struct p4rts_pre *pre = *p4rts_pipe_pre(p);
	struct sw_switch *sw = p4rts_pipe_switch(p);
	struct p4l_err err = { 0 };
	for (size_t i = 0; pre && i < pre->n; i++) {
		struct pre_ent *e = &pre->v[i];
		if (!e->clone || e->hidden != id)
			continue;
		/* the session's replicas, as written */
		P4__V1__Entity *w = p4__v1__entity__unpack(NULL, e->len, e->entity);
		const P4__V1__CloneSessionEntry *cs = w ? w->packet_replication_engine_entry
			->clone_session_entry : NULL;
		struct sw_replica *sr = cs ? calloc(cs->n_replicas + 1, sizeof(*sr)) : NULL;
		uint32_t g = 0;
		int r = !sr ? p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory")
			: replicas("clone session", cs->replicas, cs->n_replicas, sr, st);
		/* (e still holds id, so free_group picks another) */
		if (r == 0 && !(g = free_group(pre)))
			r = p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "multicast group %u is held by "
				     "clone session %u and no other id is free", id, e->id);
		if (r == 0 && (sw_mc_group_set(sw, g, sr, cs->n_replicas, &err) < 0 ||
			       sw_clone_session_set(sw, e->id, -1, g, &err) < 0))
			r = p4rts_st(st, P4RT_INTERNAL, "%s", err.msg);
		if (r == 0) {
			sw_mc_group_delete(sw, id, &err);
			e->hidden = g;
		}
		free(sr);
		if (w)
			p4__v1__entity__free_unpacked(w, NULL);
		return r;
	}
	return 0;
}

/* The switch's (port, rid) copies of P4Runtime replicas. */
static int replicas(const char *what, P4__V1__Replica *const *r, size_t n, struct sw_replica *out,
		    struct p4rts_status *st)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t port = 0;
		if (r[i]->port_kind_case == P4__V1__REPLICA__PORT_KIND_EGRESS_PORT) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
			port = r[i]->egress_port;
#pragma GCC diagnostic pop
		} else if (r[i]->port_kind_case == P4__V1__REPLICA__PORT_KIND_PORT) {
			const ProtobufCBinaryData *b = &r[i]->port;
			size_t skip = 0;
			while (skip < b->len && !b->data[skip])
				skip++;
			if (!b->len || b->len - skip > 4)
				return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%s: replica %zu: a port is "
						"1 to 4 bytes", what, i);
			for (size_t k = skip; k < b->len; k++)
				port = port << 8 | b->data[k];
		} else {
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%s: replica %zu has no port",
					what, i);
		}
		if (r[i]->n_backup_replicas)
			return p4rts_st(st, P4RT_UNIMPLEMENTED, "%s: backup replicas are not "
					"supported by p4lab yet", what);
		if (r[i]->instance > 0xffff)
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%s: replica %zu: instance %u does "
					"not fit in 16 bits", what, i, r[i]->instance);
		out[i] = (struct sw_replica){ (uint32_t)port, (uint16_t)r[i]->instance };
		for (size_t k = 0; k < i; k++)
			if (out[k].port == out[i].port && out[k].rid == out[i].rid)
				return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%s: replica (port %u, "
						"instance %u) given twice", what, out[i].port,
						out[i].rid);
	}
	return 0;
}

static int write_pre(struct p4rts_pipe *p, P4__V1__Update__Type type, const P4__V1__Entity *ent,
		     struct p4rts_status *st)
{
	const P4__V1__PacketReplicationEngineEntry *pe = ent->packet_replication_engine_entry;
	struct p4rts_pre **prep = p4rts_pipe_pre(p), *pre = *prep;
	struct sw_switch *sw = p4rts_pipe_switch(p);
	struct p4l_err err = { 0 };
	bool clone = pe->type_case == P4__V1__PACKET_REPLICATION_ENGINE_ENTRY__TYPE_CLONE_SESSION_ENTRY;
	P4__V1__Replica **rs;
	size_t nr;
	uint32_t id;
	char what[64];
	if (pe->type_case == P4__V1__PACKET_REPLICATION_ENGINE_ENTRY__TYPE_MULTICAST_GROUP_ENTRY) {
		id = pe->multicast_group_entry->multicast_group_id;
		rs = pe->multicast_group_entry->replicas;
		nr = pe->multicast_group_entry->n_replicas;
		snprintf(what, sizeof(what), "multicast group %u", id);
	} else if (clone) {
		const P4__V1__CloneSessionEntry *cs = pe->clone_session_entry;
		id = cs->session_id;
		rs = cs->replicas;
		nr = cs->n_replicas;
		snprintf(what, sizeof(what), "clone session %u", id);
		if (id >= SW_MAX_SESSIONS)
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%s: session ids go up to %u",
					what, SW_MAX_SESSIONS - 1);
		if (cs->class_of_service || cs->packet_length_bytes)
			return p4rts_st(st, P4RT_UNIMPLEMENTED, "%s: class of service and "
					"truncation are not supported by p4lab yet", what);
	} else {
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "the replication entry is neither a "
				"multicast group nor a clone session");
	}
	if (!id)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%s: ids start at 1", what);
	struct pre_ent *e = pre_find(pre, clone, id);
	if (type == P4__V1__UPDATE__TYPE__INSERT && e)
		return p4rts_st(st, P4RT_ALREADY_EXISTS, "%s exists already", what);
	if (type != P4__V1__UPDATE__TYPE__INSERT && !e)
		return p4rts_st(st, P4RT_NOT_FOUND, "%s does not exist", what);
	if (!clone && type == P4__V1__UPDATE__TYPE__INSERT && id <= 0xffff &&
	    make_room(p, id, st) < 0)
		return -1;
	if (type == P4__V1__UPDATE__TYPE__DELETE) {
		int r = clone ? sw_clone_session_delete(sw, id, &err) : sw_mc_group_delete(sw, id, &err);
		if (r < 0)
			return p4rts_st(st, P4RT_INTERNAL, "%s", err.msg);
		if (e->hidden)
			sw_mc_group_delete(sw, e->hidden, &err);
		free(e->entity);
		*e = pre->v[--pre->n];
		return 0;
	}
	if (type != P4__V1__UPDATE__TYPE__MODIFY && type != P4__V1__UPDATE__TYPE__INSERT)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "update type %d is not INSERT, MODIFY or "
				"DELETE", (int)type);
	struct sw_replica *sr = calloc(nr ? nr : 1, sizeof(*sr));
	if (!sr)
		return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	int r = replicas(what, rs, nr, sr, st);
	size_t len = p4__v1__entity__get_packed_size(ent);
	uint8_t *buf = r < 0 ? NULL : malloc(len ? len : 1);
	if (r == 0 && !buf)
		r = p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	if (r == 0 && !e && (!pre || pre->n == pre->cap)) {
		if (!pre && !(pre = *prep = calloc(1, sizeof(*pre)))) {
			r = p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		} else {
			size_t cap = pre->cap ? pre->cap * 2 : 16;
			struct pre_ent *v = realloc(pre->v, cap * sizeof(*v));
			if (!v)
				r = p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
			else
				pre->v = v, pre->cap = cap;
		}
	}
	/* a clone to one port is the session's port; copies to several ports, or
	 * with an instance, go through a multicast group of the session's own */
	bool group = clone && (nr > 1 || (nr == 1 && sr[0].rid));
	uint32_t hidden = e ? e->hidden : 0;
	if (r == 0 && group && !hidden && !(hidden = free_group(pre)))
		r = p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "%s: no multicast group id is free for "
			     "its replicas", what);
	if (r == 0) {
		int sr_r = !clone ? sw_mc_group_set(sw, id, sr, nr, &err)
			: group ? sw_mc_group_set(sw, hidden, sr, nr, &err)
			: sw_clone_session_set(sw, id, nr ? (int32_t)sr[0].port : -1, 0, &err);
		if (sr_r == 0 && group)
			sr_r = sw_clone_session_set(sw, id, -1, hidden, &err);
		if (sr_r < 0)
			r = p4rts_st(st, sr_r == -EINVAL || sr_r == -ERANGE ? P4RT_INVALID_ARGUMENT
				     : P4RT_INTERNAL, "%s", err.msg);
	}
	free(sr);
	if (r < 0) {
		if (group && hidden && !(e && e->hidden))
			sw_mc_group_delete(sw, hidden, &err);
		free(buf);
		return r;
	}
	if (!group && hidden)      /* down to one port: the group goes */
		sw_mc_group_delete(sw, hidden, &err);
	p4__v1__entity__pack(ent, buf);
	if (!e)
		e = &pre->v[pre->n++];
	else
		free(e->entity);
	*e = (struct pre_ent){ clone, id, buf, len, group ? hidden : 0 };
	return 0;
}

static int read_pre(struct p4rts_pipe *p, const P4__V1__PacketReplicationEngineEntry *pe,
		    p4rts_emit_fn emit, void *ctx, struct p4rts_status *st)
{
	struct p4rts_pre *pre = *p4rts_pipe_pre(p);
	bool any_kind = pe->type_case == P4__V1__PACKET_REPLICATION_ENGINE_ENTRY__TYPE__NOT_SET;
	bool clone = pe->type_case == P4__V1__PACKET_REPLICATION_ENGINE_ENTRY__TYPE_CLONE_SESSION_ENTRY;
	uint32_t id = any_kind ? 0 : clone ? pe->clone_session_entry->session_id
		: pe->multicast_group_entry->multicast_group_id;
	for (size_t i = 0; pre && i < pre->n; i++) {
		const struct pre_ent *e = &pre->v[i];
		if (!any_kind && (e->clone != clone || (id && e->id != id)))
			continue;
		if (emit(ctx, e->entity, e->len) < 0)
			return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	}
	return 0;
}

/* ---- value sets ------------------------------------------------------------------ */

static const P4__Config__V1__ValueSet *find_vset(const P4__Config__V1__P4Info *info, uint32_t id)
{
	for (size_t i = 0; i < info->n_value_sets; i++)
		if (info->value_sets[i]->preamble->id == id)
			return info->value_sets[i];
	return NULL;
}

static struct p4rts_pre *pre_get(struct p4rts_pipe *p)
{
	struct p4rts_pre **prep = p4rts_pipe_pre(p);
	if (!*prep)
		*prep = calloc(1, sizeof(**prep));
	return *prep;
}

/* ORs the width-bit value b into out (total bits, big-endian) at bit `at`
 * from the most significant end. */
static void put_bits(uint8_t *out, uint32_t total, uint32_t at, uint32_t width,
		     const uint8_t *b, uint32_t nb)
{
	for (uint32_t i = 0; i < width; i++) {
		uint32_t src = nb * 8 - width + i, dst = (total + 7) / 8 * 8 - total + at + i;
		if (b[src / 8] & (0x80 >> (src % 8)))
			out[dst / 8] |= (uint8_t)(0x80 >> (dst % 8));
	}
}

/* MODIFY replaces every member of the set (spec: value sets are written
 * whole); members are checked first, so a refused write changes nothing. */
static int write_vset(struct p4rts_pipe *p, P4__V1__Update__Type type,
		      const P4__V1__ValueSetEntry *ve, struct p4rts_status *st)
{
	const P4__Config__V1__P4Info *info = p4rts_pipe_p4info(p);
	struct sw_switch *sw = p4rts_pipe_switch(p);
	if (ve->value_set_id >> 24 != P4I_VALUE_SET)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%u is not a value set id",
				ve->value_set_id);
	const P4__Config__V1__ValueSet *vs = find_vset(info, ve->value_set_id);
	if (!vs)
		return p4rts_st(st, P4RT_NOT_FOUND, "no value set with id %u", ve->value_set_id);
	const char *name = vs->preamble->name;
	if (type != P4__V1__UPDATE__TYPE__MODIFY)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "value set %s: written whole with MODIFY "
				"(not INSERT or DELETE)", name);
	if (vs->size > 0 && ve->n_members > (size_t)vs->size)
		return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "value set %s holds %d values, not %zu",
				name, vs->size, ve->n_members);
	uint32_t total = 0;
	for (size_t k = 0; k < vs->n_match; k++) {
		if (vs->match[k]->match_case != P4__CONFIG__V1__MATCH_FIELD__MATCH_MATCH_TYPE ||
		    vs->match[k]->match_type != P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__EXACT)
			return p4rts_st(st, P4RT_UNIMPLEMENTED, "value set %s: only exact fields are "
					"served by p4lab", name);
		total += (uint32_t)vs->match[k]->bitwidth;
	}
	size_t vlen = (total + 7) / 8, n = ve->n_members;
	if (!vlen || vlen > 64)
		return p4rts_st(st, P4RT_UNIMPLEMENTED, "value set %s: %u bits wide", name, total);
	uint8_t *vals = calloc(n ? n : 1, vlen);
	if (!vals)
		return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	int r = 0;
	for (size_t i = 0; i < n && !r; i++) {
		const P4__V1__ValueSetMember *m = ve->members[i];
		uint32_t at = 0;
		if (m->n_match != vs->n_match)
			r = p4rts_st(st, P4RT_INVALID_ARGUMENT, "value set %s: member %zu has %zu "
				     "fields, not %zu", name, i, m->n_match, vs->n_match);
		for (size_t k = 0; k < vs->n_match && !r; k++) {
			const P4__Config__V1__MatchField *mf = vs->match[k];
			const P4__V1__FieldMatch *fm = NULL;
			for (size_t j = 0; j < m->n_match; j++)
				if (m->match[j]->field_id == mf->id)
					fm = m->match[j];
			uint32_t w = (uint32_t)mf->bitwidth, nb = (w + 7) / 8;
			const ProtobufCBinaryData *b = fm && fm->field_match_type_case ==
				P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_EXACT ? &fm->exact->value : NULL;
			size_t skip = 0;
			while (b && skip < b->len && !b->data[skip])
				skip++;
			uint8_t v[64] = { 0 };
			if (!b || !b->len) {
				r = p4rts_st(st, P4RT_INVALID_ARGUMENT, "value set %s: member %zu: "
					     "field %u needs an exact value", name, i, mf->id);
			} else if (b->len - skip > nb || (b->len - skip == nb && w % 8 &&
							  b->data[skip] >> (w % 8))) {
				r = p4rts_st(st, P4RT_INVALID_ARGUMENT, "value set %s: member %zu: "
					     "value does not fit in %u bits", name, i, w);
			} else {
				memcpy(v + nb - (b->len - skip), b->data + skip, b->len - skip);
				put_bits(vals + i * vlen, total, at, w, v, nb);
				at += w;
			}
		}
		for (size_t j = 0; j < i && !r; j++)
			if (!memcmp(vals + j * vlen, vals + i * vlen, vlen))
				r = p4rts_st(st, P4RT_INVALID_ARGUMENT, "value set %s: members %zu and "
					     "%zu are the same value", name, j, i);
	}
	struct p4rts_pre *pre = r ? NULL : pre_get(p);
	if (!r && !pre)
		r = p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	struct vset_ent *ve_slot = NULL;
	for (size_t i = 0; pre && i < pre->nvs; i++)
		if (pre->vs[i].id == ve->value_set_id)
			ve_slot = &pre->vs[i];
	if (!r && !ve_slot) {
		struct vset_ent *nv = realloc(pre->vs, (pre->nvs + 1) * sizeof(*nv));
		if (!nv) {
			r = p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		} else {
			pre->vs = nv;
			ve_slot = &nv[pre->nvs++];
			*ve_slot = (struct vset_ent){ ve->value_set_id, NULL, 0 };
		}
	}
	P4__V1__Entity ent;
	p4__v1__entity__init(&ent);
	ent.entity_case = P4__V1__ENTITY__ENTITY_VALUE_SET_ENTRY;
	ent.value_set_entry = (P4__V1__ValueSetEntry *)ve;
	size_t len = p4__v1__entity__get_packed_size(&ent);
	uint8_t *buf = r ? NULL : malloc(len ? len : 1);
	if (!r && !buf)
		r = p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	struct p4l_err err = { 0 };
	if (!r && sw_vset_clear(sw, name, &err) < 0)
		r = p4rts_st(st, P4RT_INTERNAL, "%s", err.msg);
	for (size_t i = 0; i < n && !r; i++) {
		struct sw_bytes b = { vals + i * vlen, vlen };
		int sr = sw_vset_add(sw, name, &b, &err);
		if (sr < 0)
			r = p4rts_st(st, sr == -ENOSPC ? P4RT_RESOURCE_EXHAUSTED : P4RT_INTERNAL,
				     "%s", err.msg);
	}
	free(vals);
	if (r) {
		free(buf);
		return r;
	}
	p4__v1__entity__pack(&ent, buf);
	free(ve_slot->entity);
	ve_slot->entity = buf;
	ve_slot->len = len;
	return 0;
}

static int read_vsets(struct p4rts_pipe *p, const P4__V1__ValueSetEntry *ve, p4rts_emit_fn emit,
		      void *ctx, struct p4rts_status *st)
{
	const P4__Config__V1__P4Info *info = p4rts_pipe_p4info(p);
	struct p4rts_pre *pre = *p4rts_pipe_pre(p);
	if (ve->value_set_id && ve->value_set_id >> 24 != P4I_VALUE_SET)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%u is not a value set id",
				ve->value_set_id);
	if (ve->value_set_id && !find_vset(info, ve->value_set_id))
		return p4rts_st(st, P4RT_NOT_FOUND, "no value set with id %u", ve->value_set_id);
	for (size_t i = 0; i < info->n_value_sets; i++) {
		uint32_t id = info->value_sets[i]->preamble->id;
		if (ve->value_set_id && id != ve->value_set_id)
			continue;
		const struct vset_ent *x = NULL;
		for (size_t k = 0; pre && k < pre->nvs; k++)
			if (pre->vs[k].id == id)
				x = &pre->vs[k];
		if (x && emit(ctx, x->entity, x->len) < 0)
			return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		if (!x) {
			/* never written: the set is empty */
			P4__V1__Entity e;
			P4__V1__ValueSetEntry empty;
			p4__v1__entity__init(&e);
			p4__v1__value_set_entry__init(&empty);
			empty.value_set_id = id;
			e.entity_case = P4__V1__ENTITY__ENTITY_VALUE_SET_ENTRY;
			e.value_set_entry = &empty;
			if (emit_entity(&e, emit, ctx, st) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- dispatch ------------------------------------------------------------------ */

int p4rts_entity_write(struct p4rts_pipe *p, P4__V1__Update__Type type, const P4__V1__Entity *e,
		       struct p4rts_status *st)
{
	switch (e->entity_case) {
	case P4__V1__ENTITY__ENTITY_REGISTER_ENTRY:
		return write_register(p, type, e->register_entry, st);
	case P4__V1__ENTITY__ENTITY_METER_ENTRY:
		return write_meter(p, type, e->meter_entry, st);
	case P4__V1__ENTITY__ENTITY_VALUE_SET_ENTRY:
		return write_vset(p, type, e->value_set_entry, st);
	case P4__V1__ENTITY__ENTITY_PACKET_REPLICATION_ENGINE_ENTRY:
		return write_pre(p, type, e, st);
	case P4__V1__ENTITY__ENTITY_DIGEST_ENTRY:
		return p4rts_digest_write(p, type, e->digest_entry, st);
	case P4__V1__ENTITY__ENTITY_ACTION_PROFILE_MEMBER:
	case P4__V1__ENTITY__ENTITY_ACTION_PROFILE_GROUP:
		return p4rts_profile_write(p, type, e, st);
	case P4__V1__ENTITY__ENTITY_DIRECT_COUNTER_ENTRY:
	case P4__V1__ENTITY__ENTITY_DIRECT_METER_ENTRY:
		return p4rts_direct_write(p, type, e, st);
	case P4__V1__ENTITY__ENTITY_COUNTER_ENTRY:
		return write_counter(p, type, e->counter_entry, st);
	default:
		return p4rts_st(st, P4RT_UNIMPLEMENTED, "writing this entity (Entity field %d) is "
				"not supported by p4lab yet", (int)e->entity_case);
	}
}

int p4rts_entity_read(struct p4rts_pipe *p, const P4__V1__Entity *e, p4rts_emit_fn emit,
		      void *ctx, struct p4rts_status *st)
{
	switch (e->entity_case) {
	case P4__V1__ENTITY__ENTITY_COUNTER_ENTRY:
		return read_counters(p, e->counter_entry, emit, ctx, st);
	case P4__V1__ENTITY__ENTITY_REGISTER_ENTRY:
		return read_registers(p, e->register_entry, emit, ctx, st);
	case P4__V1__ENTITY__ENTITY_METER_ENTRY:
		return read_meters(p, e->meter_entry, emit, ctx, st);
	case P4__V1__ENTITY__ENTITY_VALUE_SET_ENTRY:
		return read_vsets(p, e->value_set_entry, emit, ctx, st);
	case P4__V1__ENTITY__ENTITY_PACKET_REPLICATION_ENGINE_ENTRY:
		return read_pre(p, e->packet_replication_engine_entry, emit, ctx, st);
	case P4__V1__ENTITY__ENTITY_DIGEST_ENTRY:
		return p4rts_digest_read(p, e->digest_entry, emit, ctx, st);
	case P4__V1__ENTITY__ENTITY_ACTION_PROFILE_MEMBER:
	case P4__V1__ENTITY__ENTITY_ACTION_PROFILE_GROUP:
		return p4rts_profile_read(p, e, emit, ctx, st);
	case P4__V1__ENTITY__ENTITY_DIRECT_COUNTER_ENTRY:
	case P4__V1__ENTITY__ENTITY_DIRECT_METER_ENTRY:
		return p4rts_direct_read(p, e, emit, ctx, st);
	default:
		return p4rts_st(st, P4RT_UNIMPLEMENTED, "reading this entity (Entity field %d) is "
				"not supported by p4lab yet", (int)e->entity_case);
	}
}
