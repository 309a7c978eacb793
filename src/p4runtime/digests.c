/* digests.c - P4Runtime digests: DigestEntry configures a digest (the
 * program's digest<T>() learn list of the same name), DigestList carries
 * what the switch queued to the primary, DigestListAck releases the next.
 *
 * The switch's digest queue has no wake-up of its own: while a digest is
 * configured, the waker thread (packetio.c) polls it every max_timeout_ns,
 * clamped to 1..100 ms, which is also when a list is due.  At most one
 * list per digest waits for its ack (ack_timeout_ns 0: none waits).
 * Called by server.c under the transport lock. */
#include "server_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PENDING_MAX 4096           /* digests held per digest id; more are dropped */

struct item {
	size_t len;
	uint8_t data[SW_DIGEST_MAX];
};

struct dig {
	const P4__Config__V1__Digest *pi;
	uint32_t *widths;          /* the fields' widths, in data order */
	size_t nw;
	bool is_struct, configured;
	int64_t max_timeout_ns, ack_timeout_ns;
	int32_t max_list_size;     /* 0: no limit */
	struct item *items;
	size_t n;
	int64_t first_ns;          /* arrival of the oldest pending digest */
	bool unacked;
	uint64_t unacked_id, next_list_id;
	int64_t sent_ns;
};

struct p4rts_digests {
	struct dig *d;
	size_t n;
};

void p4rts_digests_free(struct p4rts_digests *ds)
{
	if (!ds)
		return;
	for (size_t i = 0; i < ds->n; i++) {
		free(ds->d[i].widths);
		free(ds->d[i].items);
	}
	free(ds->d);
	free(ds);
}

/* The width of a bit<W> type spec, 0 for anything else. */
static uint32_t bit_width(const P4__Config__V1__P4DataTypeSpec *t)
{
	if (!t || t->type_spec_case != P4__CONFIG__V1__P4_DATA_TYPE_SPEC__TYPE_SPEC_BITSTRING ||
	    t->bitstring->type_spec_case != P4__CONFIG__V1__P4_BITSTRING_LIKE_TYPE_SPEC__TYPE_SPEC_BIT)
		return 0;
	return (uint32_t)t->bitstring->bit->bitwidth;
}

/* The digests of the pipeline's P4Info, made on first use. */
static struct p4rts_digests *digests(struct p4rts_pipe *p, struct p4rts_status *st)
{
	struct p4rts_digests **dsp = p4rts_pipe_digests(p), *ds = *dsp;
	const P4__Config__V1__P4Info *info = p4rts_pipe_p4info(p);
	if (ds)
		return ds;
	if (!(ds = calloc(1, sizeof(*ds))) ||
	    (info->n_digests && !(ds->d = calloc(info->n_digests, sizeof(*ds->d))))) {
		free(ds);
		p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		return NULL;
	}
	*dsp = ds;
	for (size_t i = 0; i < info->n_digests; i++) {
		struct dig *d = &ds->d[ds->n++];
		const P4__Config__V1__P4DataTypeSpec *t = info->digests[i]->type_spec;
		d->pi = info->digests[i];
		if (t && t->type_spec_case == P4__CONFIG__V1__P4_DATA_TYPE_SPEC__TYPE_SPEC_STRUCT &&
		    info->type_info) {
			const P4__Config__V1__P4StructTypeSpec *sp = NULL;
			for (size_t k = 0; k < info->type_info->n_structs; k++)
				if (!strcmp(info->type_info->structs[k]->key, t->struct_->name))
					sp = info->type_info->structs[k]->value;
			d->is_struct = true;
			if (sp && (d->widths = calloc(sp->n_members + 1, sizeof(*d->widths)))) {
				d->nw = sp->n_members;
				for (size_t k = 0; k < sp->n_members; k++)
					d->widths[k] = bit_width(sp->members[k]->type_spec);
			}
		} else if (bit_width(t) && (d->widths = calloc(1, sizeof(*d->widths)))) {
			d->nw = 1;
			d->widths[0] = bit_width(t);
		}
	}
	return ds;
}

static struct dig *find(struct p4rts_digests *ds, uint32_t id)
{
	for (size_t i = 0; i < ds->n; i++)
		if (ds->d[i].pi->preamble->id == id)
			return &ds->d[i];
	return NULL;
}

int p4rts_digest_write(struct p4rts_pipe *p, P4__V1__Update__Type type,
		       const P4__V1__DigestEntry *de, struct p4rts_status *st)
{
	struct p4rts_digests *ds = digests(p, st);
	if (!ds)
		return -1;
	if (de->digest_id >> 24 != P4I_DIGEST)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "%u is not a digest id", de->digest_id);
	struct dig *d = find(ds, de->digest_id);
	if (!d)
		return p4rts_st(st, P4RT_NOT_FOUND, "no digest with id %u", de->digest_id);
	const char *name = d->pi->preamble->name;
	if (!d->nw)
		return p4rts_st(st, P4RT_UNIMPLEMENTED, "digest %s: only structs of bit<W> fields "
				"(or one bit<W>) are served", name);
	if (type == P4__V1__UPDATE__TYPE__DELETE) {
		if (!d->configured)
			return p4rts_st(st, P4RT_NOT_FOUND, "digest %s is not configured", name);
		d->configured = false;
		d->n = 0;
		d->unacked = false;
		return 0;
	}
	if (type != P4__V1__UPDATE__TYPE__INSERT && type != P4__V1__UPDATE__TYPE__MODIFY)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "update type %d is not INSERT, MODIFY or "
				"DELETE", (int)type);
	if (type == P4__V1__UPDATE__TYPE__INSERT && d->configured)
		return p4rts_st(st, P4RT_ALREADY_EXISTS, "digest %s is configured already", name);
	if (type == P4__V1__UPDATE__TYPE__MODIFY && !d->configured)
		return p4rts_st(st, P4RT_NOT_FOUND, "digest %s is not configured", name);
	const P4__V1__DigestEntry__Config *c = de->config;
	if (!c || c->max_timeout_ns < 0 || c->ack_timeout_ns < 0 || c->max_list_size < 0)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "digest %s: a config with non-negative "
				"max_timeout_ns, max_list_size and ack_timeout_ns is needed", name);
	if (!d->items && !(d->items = malloc(PENDING_MAX * sizeof(*d->items))))
		return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	d->configured = true;
	d->max_timeout_ns = c->max_timeout_ns;
	d->ack_timeout_ns = c->ack_timeout_ns;
	d->max_list_size = c->max_list_size;
	return 0;
}

int p4rts_digest_read(struct p4rts_pipe *p, const P4__V1__DigestEntry *de, p4rts_emit_fn emit,
		      void *ctx, struct p4rts_status *st)
{
	struct p4rts_digests *ds = digests(p, st);
	if (!ds)
		return -1;
	if (de->digest_id && !find(ds, de->digest_id))
		return p4rts_st(st, P4RT_NOT_FOUND, "no digest with id %u", de->digest_id);
	for (size_t i = 0; i < ds->n; i++) {
		struct dig *d = &ds->d[i];
		if (!d->configured || (de->digest_id && d->pi->preamble->id != de->digest_id))
			continue;
		P4__V1__Entity e;
		P4__V1__DigestEntry out;
		P4__V1__DigestEntry__Config c;
		p4__v1__entity__init(&e);
		p4__v1__digest_entry__init(&out);
		p4__v1__digest_entry__config__init(&c);
		c.max_timeout_ns = d->max_timeout_ns;
		c.ack_timeout_ns = d->ack_timeout_ns;
		c.max_list_size = d->max_list_size;
		out.digest_id = d->pi->preamble->id;
		out.config = &c;
		e.entity_case = P4__V1__ENTITY__ENTITY_DIGEST_ENTRY;
		e.digest_entry = &out;
		size_t len = p4__v1__entity__get_packed_size(&e);
		uint8_t *buf = malloc(len ? len : 1);
		if (!buf)
			return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		p4__v1__entity__pack(&e, buf);
		int r = emit(ctx, buf, len);
		free(buf);
		if (r < 0)
			return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	}
	return 0;
}

int p4rts_digest_ack(struct p4rts_pipe *p, const P4__V1__DigestListAck *ack)
{
	struct p4rts_digests *ds = *p4rts_pipe_digests(p);
	struct dig *d = ds ? find(ds, ack->digest_id) : NULL;
	if (!d || !d->unacked || d->unacked_id != ack->list_id)
		return -ENOENT;
	d->unacked = false;
	return 0;
}

/* The first n pending digests of d as a packed DigestList message. */
static uint8_t *pack_list(struct dig *d, size_t n, size_t *len)
{
	P4__V1__P4Data *data = calloc(n, sizeof(*data)), **dp = calloc(n, sizeof(*dp));
	P4__V1__P4StructLike *sl = calloc(n, sizeof(*sl));
	P4__V1__P4Data *fields = calloc(n * d->nw, sizeof(*fields));
	P4__V1__P4Data **fp = calloc(n * d->nw, sizeof(*fp));
	uint8_t *out = NULL;
	if (!data || !dp || !sl || !fields || !fp)
		goto done;
	for (size_t i = 0; i < n; i++) {
		const struct item *it = &d->items[i];
		size_t off = 0;
		for (size_t k = 0; k < d->nw; k++) {
			size_t nb = (d->widths[k] + 7) / 8, skip = 0;
			if (off + nb > it->len)
				nb = it->len > off ? it->len - off : 0;
			while (skip + 1 < nb && !it->data[off + skip])
				skip++;
			P4__V1__P4Data *f = &fields[i * d->nw + k];
			p4__v1__p4_data__init(f);
			f->data_case = P4__V1__P4_DATA__DATA_BITSTRING;
			f->bitstring = (ProtobufCBinaryData){ nb - skip, (uint8_t *)it->data + off + skip };
			fp[i * d->nw + k] = f;
			off += nb;
		}
		p4__v1__p4_data__init(&data[i]);
		if (d->is_struct) {
			p4__v1__p4_struct_like__init(&sl[i]);
			sl[i].n_members = d->nw;
			sl[i].members = &fp[i * d->nw];
			data[i].data_case = P4__V1__P4_DATA__DATA_STRUCT;
			data[i].struct_ = &sl[i];
		} else {
			data[i] = fields[i * d->nw];
		}
		dp[i] = &data[i];
	}
	P4__V1__DigestList dl;
	P4__V1__StreamMessageResponse resp;
	p4__v1__digest_list__init(&dl);
	p4__v1__stream_message_response__init(&resp);
	dl.digest_id = d->pi->preamble->id;
	dl.list_id = ++d->next_list_id;
	dl.n_data = n;
	dl.data = dp;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	dl.timestamp = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	resp.update_case = P4__V1__STREAM_MESSAGE_RESPONSE__UPDATE_DIGEST;
	resp.digest = &dl;
	*len = p4__v1__stream_message_response__get_packed_size(&resp);
	if ((out = malloc(*len ? *len : 1)))
		p4__v1__stream_message_response__pack(&resp, out);
done:
	free(data);
	free(dp);
	free(sl);
	free(fields);
	free(fp);
	return out;
}

static int64_t clamp_ms(int64_t ns)
{
	int64_t ms = ns / 1000000;
	return ms < 1 ? 1 : ms > 100 ? 100 : ms;
}

int p4rts_digest_poll(struct p4rts_pipe *p, int64_t now, bool can_send,
		      void (*send)(void *ctx, const uint8_t *msg, size_t len), void *ctx)
{
	struct p4rts_digests *ds = *p4rts_pipe_digests(p);
	struct sw_switch *sw = p4rts_pipe_switch(p);
	struct sw_digest sd;
	int64_t wait = -1;
	bool any = false;
	for (size_t i = 0; ds && i < ds->n; i++)
		any |= ds->d[i].configured;
	if (!any)
		return -1;   /* queued digests stay in the switch until one is configured */
	while (sw_digest_take(sw, &sd, NULL) == 0) {
		for (size_t i = 0; i < ds->n; i++) {
			struct dig *d = &ds->d[i];
			if (!d->configured || strcmp(d->pi->preamble->name, sd.list_name) ||
			    d->n == PENDING_MAX)
				continue;
			if (!d->n)
				d->first_ns = now;
			d->items[d->n].len = sd.len;
			memcpy(d->items[d->n].data, sd.data, sd.len);
			d->n++;
		}
	}
	for (size_t i = 0; i < ds->n; i++) {
		struct dig *d = &ds->d[i];
		if (!d->configured)
			continue;
		int64_t poll = clamp_ms(d->max_timeout_ns);
		if (d->unacked && now - d->sent_ns >= d->ack_timeout_ns)
			d->unacked = false;
		size_t limit = d->max_list_size > 0 ? (size_t)d->max_list_size : d->n;
		bool due = d->n && (d->n >= limit || now - d->first_ns >= d->max_timeout_ns);
		if (due && !d->unacked && can_send) {
			size_t n = d->n < limit ? d->n : limit, len;
			uint8_t *msg = pack_list(d, n, &len);
			if (msg) {
				send(ctx, msg, len);
				free(msg);
				memmove(d->items, d->items + n, (d->n - n) * sizeof(*d->items));
				d->n -= n;
				d->first_ns = now;
				d->unacked = d->ack_timeout_ns > 0;
				d->unacked_id = d->next_list_id;
				d->sent_ns = now;
			}
		}
		if (d->unacked && clamp_ms(d->sent_ns + d->ack_timeout_ns - now) < poll)
			poll = clamp_ms(d->sent_ns + d->ack_timeout_ns - now);
		if (wait < 0 || poll < wait)
			wait = poll;
	}
	return (int)wait;
}
