/* server.c - the p4.v1.P4Runtime service (p4rt_server.h) on the transport.
 *
 * Each RPC arrives as a transport call; unary RPCs are answered when their
 * request arrives, Read streams its answer in chunks, StreamChannel stays
 * open for arbitration.  Primary election follows the specification: per
 * role, the primary is the live stream whose election id equals the highest
 * id the server has seen for that role; when the primary changes, every
 * stream of the role is told (OK to the primary, ALREADY_EXISTS to the
 * others, NOT_FOUND while there is no primary).  A role's primary may give
 * a configuration (Stratum's P4RoleConfig): what the role may write, push
 * and receive. */
#include "p4rt_server.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "google/protobuf/any.pb-c.h"
#include "google/rpc/status.pb-c.h"
#include "server_int.h"

#define METHODS(X)                                                   \
	X(CAPABILITIES, "Capabilities")                              \
	X(SET_PIPELINE, "SetForwardingPipelineConfig")               \
	X(GET_PIPELINE, "GetForwardingPipelineConfig")               \
	X(WRITE, "Write")                                            \
	X(READ, "Read")                                              \
	X(STREAM, "StreamChannel")

enum method {
#define X(e, s) M_##e,
	METHODS(X)
#undef X
	M_UNKNOWN
};

static const char *const method_names[] = {
#define X(e, s) "/p4.v1.P4Runtime/" s,
	METHODS(X)
#undef X
};

/* A role's configuration, in the form of Stratum's P4RoleConfig (the
 * de-facto standard one; P4Runtime leaves the format to targets): the P4
 * objects the role may write (exclusive ones no other role may), whether it
 * receives PacketIns (those whose metadata filter_id equals filter, when a
 * filter is set) and may push pipelines.  A role without one may do all. */
struct rolecfg {
	uint32_t *excl, *shared;
	size_t n_excl, n_shared;
	bool has_filter, packet_ins, push;
	uint32_t filter_id;
	uint8_t filter[16];
	size_t filter_len;
};

struct role {
	struct role *next;
	char *name;
	bool has_max;
	uint64_t max_hi, max_lo;   /* highest election id seen */
	struct rpc *primary;
	const struct rolecfg *cfg; /* the primary's */
};

struct rpc {
	struct p4rts_server *srv;
	struct p4rtt_call *call;
	enum method m;
	bool answered;
	/* StreamChannel */
	struct rpc *next, *prev;
	bool arbitrated, has_eid;
	uint64_t eid_hi, eid_lo;
	struct role *role;
	struct rolecfg *cfg;       /* sent with its arbitration */
};

struct p4rts_server {
	struct p4rtt_server *tr;
	struct p4rts_waker *waker;   /* PacketIn and digests */
	struct p4rts_config cfg;
	struct p4rts_pipe *pipe, *saved;
	struct rpc *streams;
	struct role *roles;
};

/* ---- sending ---------------------------------------------------------------- */

static void send_msg(struct rpc *r, const ProtobufCMessage *m)
{
	size_t len = protobuf_c_message_get_packed_size(m);
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf) {
		p4rtt_finish(r->call, P4RT_RESOURCE_EXHAUSTED, "out of memory", NULL, 0);
		return;
	}
	protobuf_c_message_pack(m, buf);
	if (p4rtt_send(r->call, buf, len) == -ENOMEM)
		p4rtt_finish(r->call, P4RT_RESOURCE_EXHAUSTED, "out of memory", NULL, 0);
	free(buf);
}

static void finish(struct rpc *r, const struct p4rts_status *st)
{
	r->answered = true;
	p4rtt_finish(r->call, st->code, st->msg, NULL, 0);
}

static void fail(struct rpc *r, int code, const char *msg)
{
	r->answered = true;
	p4rtt_finish(r->call, code, msg, NULL, 0);
}

static void ok(struct rpc *r, const ProtobufCMessage *m)
{
	if (m)
		send_msg(r, m);
	r->answered = true;
	p4rtt_finish(r->call, P4RT_OK, "", NULL, 0);
}

/* ---- role configurations ----------------------------------------------------- */

#define ROLECFG_TYPE "stratum.P4RoleConfig"

static void rolecfg_free(struct rolecfg *c)
{
	if (!c)
		return;
	free(c->excl);
	free(c->shared);
	free(c);
}

/* One varint at *p (below end); false when malformed. */
static bool varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; shift < 64 && *p < end; shift += 7) {
		uint8_t b = *(*p)++;
		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return true;
	}
	return false;
}

static bool push_id(uint32_t **v, size_t *n, uint64_t id)
{
	uint32_t *nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv)
		return false;
	nv[(*n)++] = (uint32_t)id;
	*v = nv;
	return true;
}

/* Decodes a P4RoleConfig by its wire format (fields 1 and 2 repeated
 * uint32, packed or not; 3 the PacketFilter {1 metadata_id, 2 value}; 4
 * receives_packet_ins; 5 can_push_pipeline).  Unknown fields are skipped,
 * as protobuf does. */
static int rolecfg_parse(const Google__Protobuf__Any *any, struct rolecfg **out,
			 struct p4rts_status *st)
{
	const char *t = any->type_url ? strrchr(any->type_url, '/') : NULL;
	if (!t || strcmp(t + 1, ROLECFG_TYPE))
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "role configuration of type '%s': p4lab "
				"reads type.googleapis.com/" ROLECFG_TYPE,
				any->type_url ? any->type_url : "");
	struct rolecfg *c = calloc(1, sizeof(*c));
	if (!c)
		return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	const uint8_t *p = any->value.data, *end = p + any->value.len;
	bool ok = true;
	while (ok && p < end) {
		uint64_t key, v;
		if (!(ok = varint(&p, end, &key)))
			break;
		uint32_t field = (uint32_t)(key >> 3), wt = key & 7;
		if (wt == 0) {
			ok = varint(&p, end, &v);
			if (field == 1)
				ok = ok && push_id(&c->excl, &c->n_excl, v);
			else if (field == 2)
				ok = ok && push_id(&c->shared, &c->n_shared, v);
			else if (field == 4)
				c->packet_ins = v != 0;
			else if (field == 5)
				c->push = v != 0;
		} else if (wt == 2) {
			ok = varint(&p, end, &v) && v <= (uint64_t)(end - p);
			const uint8_t *q = p, *qe = ok ? p + v : p;
			p = qe;
			if (ok && (field == 1 || field == 2)) {
				while (ok && q < qe) {
					uint64_t id;
					ok = varint(&q, qe, &id) &&
					     push_id(field == 1 ? &c->excl : &c->shared,
						     field == 1 ? &c->n_excl : &c->n_shared, id);
				}
			} else if (ok && field == 3) {
				c->has_filter = true;
				while (ok && q < qe) {
					uint64_t k2, x;
					if (!(ok = varint(&q, qe, &k2)))
						break;
					if ((k2 & 7) == 0) {
						ok = varint(&q, qe, &x);
						if (k2 >> 3 == 1)
							c->filter_id = (uint32_t)x;
					} else if ((k2 & 7) == 2) {
						ok = varint(&q, qe, &x) && x <= (uint64_t)(qe - q);
						if (ok && k2 >> 3 == 2) {
							/* canonical: leading zero bytes do not count */
							size_t skip = 0;
							while (skip < x && !q[skip])
								skip++;
							ok = x - skip <= sizeof(c->filter);
							if (ok) {
								memcpy(c->filter, q + skip, x - skip);
								c->filter_len = x - skip;
							}
						}
						q += ok ? x : 0;
					} else {
						ok = false;
					}
				}
			}
		} else if (wt == 5 && end - p >= 4) {
			p += 4;
		} else if (wt == 1 && end - p >= 8) {
			p += 8;
		} else {
			ok = false;
		}
	}
	if (!ok) {
		rolecfg_free(c);
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "role configuration: not a valid "
				ROLECFG_TYPE);
	}
	*out = c;
	return 0;
}

static bool has_id(const uint32_t *v, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == id)
			return true;
	return false;
}

/* The P4 object an update writes (0: none, as for the replication engine). */
static uint32_t entity_p4id(const P4__V1__Entity *e)
{
	switch (e ? e->entity_case : P4__V1__ENTITY__ENTITY__NOT_SET) {
	case P4__V1__ENTITY__ENTITY_TABLE_ENTRY: return e->table_entry->table_id;
	case P4__V1__ENTITY__ENTITY_ACTION_PROFILE_MEMBER:
		return e->action_profile_member->action_profile_id;
	case P4__V1__ENTITY__ENTITY_ACTION_PROFILE_GROUP:
		return e->action_profile_group->action_profile_id;
	case P4__V1__ENTITY__ENTITY_METER_ENTRY: return e->meter_entry->meter_id;
	case P4__V1__ENTITY__ENTITY_COUNTER_ENTRY: return e->counter_entry->counter_id;
	case P4__V1__ENTITY__ENTITY_REGISTER_ENTRY: return e->register_entry->register_id;
	case P4__V1__ENTITY__ENTITY_DIGEST_ENTRY: return e->digest_entry->digest_id;
	case P4__V1__ENTITY__ENTITY_VALUE_SET_ENTRY: return e->value_set_entry->value_set_id;
	case P4__V1__ENTITY__ENTITY_DIRECT_COUNTER_ENTRY:
		return e->direct_counter_entry->table_entry
			? e->direct_counter_entry->table_entry->table_id : 0;
	case P4__V1__ENTITY__ENTITY_DIRECT_METER_ENTRY:
		return e->direct_meter_entry->table_entry
			? e->direct_meter_entry->table_entry->table_id : 0;
	default: return 0;
	}
}

/* 0 when role ro may write e: the default role and roles without a
 * configuration may write anything but another role's exclusive objects;
 * a configured role only its own objects. */
static int may_write(struct p4rts_server *s, const struct role *ro, const P4__V1__Entity *e,
		     struct p4rts_status *st)
{
	uint32_t id = entity_p4id(e);
	const char *name = ro ? ro->name : "";
	if (ro && ro->cfg && !has_id(ro->cfg->excl, ro->cfg->n_excl, id) &&
	    !has_id(ro->cfg->shared, ro->cfg->n_shared, id))
		return p4rts_st(st, P4RT_PERMISSION_DENIED, "role '%s' may not write %s %u "
				"(not in its role configuration)", name, id ? "P4 object" : "entity",
				id);
	for (const struct role *o = s->roles; o && id; o = o->next)
		if (o != ro && o->name[0] && o->cfg && has_id(o->cfg->excl, o->cfg->n_excl, id))
			return p4rts_st(st, P4RT_PERMISSION_DENIED, "P4 object %u belongs to role "
					"'%s' alone", id, o->name);
	return 0;
}

/* ---- arbitration ------------------------------------------------------------ */

static int cmp_eid(uint64_t ah, uint64_t al, uint64_t bh, uint64_t bl)
{
	if (ah != bh)
		return ah < bh ? -1 : 1;
	return al < bl ? -1 : al > bl;
}

static struct role *get_role(struct p4rts_server *s, const char *name)
{
	for (struct role *ro = s->roles; ro; ro = ro->next)
		if (!strcmp(ro->name, name))
			return ro;
	struct role *ro = calloc(1, sizeof(*ro));
	if (!ro || !(ro->name = strdup(name))) {
		free(ro);
		return NULL;
	}
	ro->next = s->roles;
	s->roles = ro;
	return ro;
}

static struct role *find_role(const struct p4rts_server *s, const char *name)
{
	for (struct role *ro = s->roles; ro; ro = ro->next)
		if (!strcmp(ro->name, name ? name : ""))
			return ro;
	return NULL;
}

static void tell(struct rpc *r)
{
	struct p4rts_server *s = r->srv;
	struct role *ro = r->role;
	P4__V1__MasterArbitrationUpdate mau;
	P4__V1__Role role;
	P4__V1__Uint128 eid;
	Google__Rpc__Status status;
	P4__V1__StreamMessageResponse resp;
	p4__v1__master_arbitration_update__init(&mau);
	p4__v1__role__init(&role);
	p4__v1__uint128__init(&eid);
	google__rpc__status__init(&status);
	p4__v1__stream_message_response__init(&resp);
	mau.device_id = s->cfg.device_id;
	if (ro->name[0]) {
		role.name = ro->name;
		mau.role = &role;
	}
	if (ro->has_max) {
		eid.high = ro->max_hi;
		eid.low = ro->max_lo;
		mau.election_id = &eid;
	}
	if (ro->primary == r) {
		status.code = P4RT_OK;
		status.message = "you are the primary";
	} else if (ro->primary) {
		status.code = P4RT_ALREADY_EXISTS;
		status.message = "another client is the primary";
	} else {
		status.code = P4RT_NOT_FOUND;
		status.message = "there is no primary";
	}
	mau.status = &status;
	resp.update_case = P4__V1__STREAM_MESSAGE_RESPONSE__UPDATE_ARBITRATION;
	resp.arbitration = &mau;
	send_msg(r, &resp.base);
}

/* Recomputes the role's primary; tells everyone when it changed, else just r
 * (NULL: nobody). */
static void elect(struct p4rts_server *s, struct role *ro, struct rpc *r)
{
	struct rpc *old = ro->primary, *now = NULL;
	if (ro->has_max)
		for (struct rpc *x = s->streams; x; x = x->next)
			if (x->role == ro && x->has_eid &&
			    !cmp_eid(x->eid_hi, x->eid_lo, ro->max_hi, ro->max_lo))
				now = x;
	ro->primary = now;
	ro->cfg = now ? now->cfg : NULL;
	if (now != old) {
		for (struct rpc *x = s->streams; x; x = x->next)
			if (x->role == ro)
				tell(x);
	} else if (r) {
		tell(r);
	}
}

static void arbitrate(struct rpc *r, const P4__V1__MasterArbitrationUpdate *mau)
{
	struct p4rts_server *s = r->srv;
	const char *name = mau->role && mau->role->name ? mau->role->name : "";
	if (mau->device_id != s->cfg.device_id) {
		struct p4rts_status st;
		p4rts_st(&st, P4RT_NOT_FOUND, "this server is device %llu, not %llu",
			 (unsigned long long)s->cfg.device_id, (unsigned long long)mau->device_id);
		finish(r, &st);
		return;
	}
	if (mau->role && mau->role->config) {
		struct p4rts_status st = { 0 };
		struct rolecfg *cfg = NULL;
		if (!name[0]) {
			fail(r, P4RT_INVALID_ARGUMENT, "the default role takes no configuration (it "
			     "may do everything)");
			return;
		}
		if (rolecfg_parse(mau->role->config, &cfg, &st) < 0) {
			finish(r, &st);
			return;
		}
		rolecfg_free(r->cfg);
		r->cfg = cfg;
	}
	if (r->arbitrated && strcmp(r->role->name, name)) {
		fail(r, P4RT_INVALID_ARGUMENT, "a stream cannot change its role");
		return;
	}
	if (mau->election_id) {
		for (struct rpc *x = s->streams; x; x = x->next)
			if (x != r && x->role && !strcmp(x->role->name, name) && x->has_eid &&
			    !cmp_eid(x->eid_hi, x->eid_lo, mau->election_id->high,
				     mau->election_id->low)) {
				fail(r, P4RT_INVALID_ARGUMENT,
				     "another client of this role has the same election id");
				return;
			}
	}
	struct role *ro = get_role(s, name);
	if (!ro) {
		fail(r, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	r->arbitrated = true;
	r->role = ro;
	r->has_eid = mau->election_id != NULL;
	if (r->has_eid) {
		r->eid_hi = mau->election_id->high;
		r->eid_lo = mau->election_id->low;
		if (!ro->has_max || cmp_eid(r->eid_hi, r->eid_lo, ro->max_hi, ro->max_lo) > 0) {
			ro->has_max = true;
			ro->max_hi = r->eid_hi;
			ro->max_lo = r->eid_lo;
		}
	}
	elect(s, ro, r);
}

/* 0 when (role, election id) is the role's primary. */
static int check_primary(struct p4rts_server *s, const char *role, const P4__V1__Uint128 *eid,
			 struct p4rts_status *st)
{
	struct role *ro = find_role(s, role);
	if (!eid)
		return p4rts_st(st, P4RT_PERMISSION_DENIED, "the request has no election id; only "
				"the primary client may write");
	if (!ro || !ro->primary || cmp_eid(ro->primary->eid_hi, ro->primary->eid_lo, eid->high,
					   eid->low))
		return p4rts_st(st, P4RT_PERMISSION_DENIED, "election id %llu:%llu is not the "
				"primary's for role '%s'", (unsigned long long)eid->high,
				(unsigned long long)eid->low, role ? role : "");
	return 0;
}

/* ---- packets ------------------------------------------------------------------ */

static void packet_out_error(struct rpc *r, P4__V1__PacketOut *po, const struct p4rts_status *st)
{
	P4__V1__StreamError se;
	P4__V1__PacketOutError poe;
	P4__V1__StreamMessageResponse resp;
	p4__v1__stream_error__init(&se);
	p4__v1__packet_out_error__init(&poe);
	p4__v1__stream_message_response__init(&resp);
	se.canonical_code = st->code;
	se.message = (char *)st->msg;
	poe.packet_out = po;
	se.details_case = P4__V1__STREAM_ERROR__DETAILS_PACKET_OUT;
	se.packet_out = &poe;
	resp.update_case = P4__V1__STREAM_MESSAGE_RESPONSE__UPDATE_ERROR;
	resp.error = &se;
	send_msg(r, &resp.base);
}

/* A PacketOut from the primary enters the pipeline on the CPU port. */
static void packet_out(struct rpc *r, P4__V1__StreamMessageRequest *m)
{
	struct p4rts_server *s = r->srv;
	struct p4rts_status st = { 0 };
	uint8_t *pkt = NULL;
	size_t len;
	if (r->role->primary != r)
		p4rts_st(&st, P4RT_PERMISSION_DENIED, "PacketOut: only the primary sends packets");
	else if (!s->pipe)
		p4rts_st(&st, P4RT_FAILED_PRECONDITION, "PacketOut: no forwarding pipeline is set");
	else if (!s->cfg.cpu_port)
		p4rts_st(&st, P4RT_FAILED_PRECONDITION, "PacketOut: this switch has no CPU port "
			 "(--cpu-port)");
	else if (p4rts_packet_out(p4rts_pipe_p4info(s->pipe), m->packet, &pkt, &len, &st) == 0)
		sw_process(p4rts_pipe_switch(s->pipe), s->cfg.cpu_port, pkt, len);
	free(pkt);
	if (st.code)
		packet_out_error(r, m->packet, &st);
}

/* A PacketIn (packed StreamMessageResponse) passes the role's filter: its
 * metadata filter_id holds the filter's value. */
static bool filter_ok(const struct rolecfg *cfg, const uint8_t *msg, size_t len)
{
	if (!cfg->has_filter)
		return true;
	P4__V1__StreamMessageResponse *m = p4__v1__stream_message_response__unpack(NULL, len, msg);
	bool ok = false;
	for (size_t i = 0; m && m->packet && i < m->packet->n_metadata && !ok; i++) {
		const P4__V1__PacketMetadata *md = m->packet->metadata[i];
		size_t skip = 0;
		while (skip < md->value.len && !md->value.data[skip])
			skip++;
		ok = md->metadata_id == cfg->filter_id &&
		     md->value.len - skip == cfg->filter_len &&
		     !memcmp(md->value.data + skip, cfg->filter, cfg->filter_len);
	}
	if (m)
		p4__v1__stream_message_response__free_unpacked(m, NULL);
	return ok;
}

static void to_primary(void *ctx, const uint8_t *msg, size_t len)
{
	struct role *ro = ctx;
	p4rtt_send(ro->primary->call, msg, len);
}

/* On the waker's thread: what reached the CPU port, the digest lists due
 * and idle timeouts go to the primary of the default role (packets go
 * nowhere when there is none; digests and timeouts wait). */
static int wake(void *ctx)
{
	struct p4rts_server *s = ctx;
	p4rtt_lock(s->tr);
	struct role *ro = find_role(s, "");
	struct sw_switch *sw = s->pipe && s->cfg.cpu_port ? p4rts_pipe_switch(s->pipe) : NULL;
	uint8_t *pkt;
	int n, next = -1;
	while (sw && (n = sw_port_take(sw, s->cfg.cpu_port, &pkt)) >= 0) {
		uint8_t *msg;
		size_t len;
		if (p4rts_packet_in(p4rts_pipe_p4info(s->pipe), pkt, (size_t)n, &msg, &len) == 0) {
			if (ro && ro->primary)
				p4rtt_send(ro->primary->call, msg, len);
			for (struct role *o = s->roles; o; o = o->next)
				if (o != ro && o->primary && o->cfg && o->cfg->packet_ins &&
				    filter_ok(o->cfg, msg, len))
					p4rtt_send(o->primary->call, msg, len);
			free(msg);
		}
		free(pkt);
	}
	if (s->pipe) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		next = p4rts_digest_poll(s->pipe, (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec,
					 ro && ro->primary, to_primary, ro);
		int idle = p4rts_idle_poll(s->pipe, ro && ro->primary, to_primary, ro);
		if (idle >= 0 && (next < 0 || idle < next))
			next = idle;
	}
	p4rtt_unlock(s->tr);
	return next;
}

static void on_stream(struct rpc *r, const uint8_t *data, size_t len)
{
	P4__V1__StreamMessageRequest *m = p4__v1__stream_message_request__unpack(NULL, len, data);
	if (!m) {
		fail(r, P4RT_INVALID_ARGUMENT, "not a p4.v1.StreamMessageRequest");
		return;
	}
	if (m->update_case == P4__V1__STREAM_MESSAGE_REQUEST__UPDATE_ARBITRATION) {
		arbitrate(r, m->arbitration);
	} else if (!r->arbitrated) {
		fail(r, P4RT_FAILED_PRECONDITION, "the first message on StreamChannel must be a "
		     "MasterArbitrationUpdate");
	} else if (m->update_case == P4__V1__STREAM_MESSAGE_REQUEST__UPDATE_PACKET) {
		packet_out(r, m);
	} else if (m->update_case == P4__V1__STREAM_MESSAGE_REQUEST__UPDATE_DIGEST_ACK) {
		/* a late or unknown ack changes nothing */
		if (r->srv->pipe && p4rts_digest_ack(r->srv->pipe, m->digest_ack) == 0)
			p4rts_waker_kick(r->srv->waker);
	} else {
		P4__V1__StreamError se;
		P4__V1__StreamMessageResponse resp;
		p4__v1__stream_error__init(&se);
		p4__v1__stream_message_response__init(&resp);
		se.canonical_code = P4RT_UNIMPLEMENTED;
		se.message = "this stream message is not supported by p4lab";
		resp.update_case = P4__V1__STREAM_MESSAGE_RESPONSE__UPDATE_ERROR;
		resp.error = &se;
		send_msg(r, &resp.base);
	}
	p4__v1__stream_message_request__free_unpacked(m, NULL);
}

/* ---- pipelines -------------------------------------------------------------- */

/* Makes p the pipeline in force (or restores the old one if the host cannot
 * take it). */
static int install(struct p4rts_server *s, struct p4rts_pipe *p, struct p4rts_status *st)
{
	struct p4rts_host *h = &s->cfg.host;
	struct p4l_err err = { 0 };
	struct sw_switch *sw = p4rts_pipe_switch(p);
	if (s->cfg.cpu_port &&
	    (sw_port_add_mem(sw, s->cfg.cpu_port, &err) < 0 ||
	     sw_port_notify(sw, s->cfg.cpu_port, p4rts_waker_fd(s->waker), &err) < 0)) {
		p4rts_st(st, P4RT_INTERNAL, "the CPU port: %s", err.msg);
		p4rts_pipe_free(p);
		return -1;
	}
	if (s->pipe && h->detach)
		h->detach(h->ctx, p4rts_pipe_switch(s->pipe));
	if (h->attach && h->attach(h->ctx, p4rts_pipe_switch(p), &err) < 0) {
		p4rts_st(st, P4RT_INTERNAL, "the new pipeline's ports: %s", err.msg);
		if (s->pipe)
			h->attach(h->ctx, p4rts_pipe_switch(s->pipe), &err);
		p4rts_pipe_free(p);
		return -1;
	}
	p4rts_pipe_free(s->pipe);
	s->pipe = p;
	return 0;
}

static void on_set_pipeline(struct rpc *r, const uint8_t *data, size_t len)
{
	struct p4rts_server *s = r->srv;
	struct p4rts_status st = { 0 };
	struct p4rts_pipe *p = NULL;
	P4__V1__SetForwardingPipelineConfigRequest *q =
		p4__v1__set_forwarding_pipeline_config_request__unpack(NULL, len, data);
	if (!q) {
		fail(r, P4RT_INVALID_ARGUMENT, "not a p4.v1.SetForwardingPipelineConfigRequest");
		return;
	}
	typedef P4__V1__SetForwardingPipelineConfigRequest__Action Act;
	Act a = q->action;
	const P4__V1__ForwardingPipelineConfig *c = q->config;
	if (q->device_id != s->cfg.device_id) {
		p4rts_st(&st, P4RT_NOT_FOUND, "this server is device %llu, not %llu",
			 (unsigned long long)s->cfg.device_id, (unsigned long long)q->device_id);
		goto out;
	}
	if (a != P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__VERIFY &&
	    check_primary(s, q->role, q->election_id, &st) < 0)
		goto out;
	const struct role *pro = find_role(s, q->role);
	if (a != P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__VERIFY && pro &&
	    pro->cfg && !pro->cfg->push) {
		p4rts_st(&st, P4RT_PERMISSION_DENIED, "role '%s' may not push pipelines (its role "
			 "configuration)", pro->name);
		goto out;
	}
	switch (a) {
	case P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__VERIFY:
	case P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__VERIFY_AND_SAVE:
	case P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__VERIFY_AND_COMMIT:
	case P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__RECONCILE_AND_COMMIT: {
		if (!c || !c->p4info) {
			p4rts_st(&st, P4RT_INVALID_ARGUMENT, "the request has no config.p4info");
			goto out;
		}
		size_t il = p4__config__v1__p4_info__get_packed_size(c->p4info);
		uint8_t *info = malloc(il ? il : 1);
		if (!info) {
			p4rts_st(&st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
			goto out;
		}
		p4__config__v1__p4_info__pack(c->p4info, info);
		int rc = p4rts_pipe_new(&p, info, il, c->p4_device_config.data,
					c->p4_device_config.len, &st);
		free(info);
		if (rc < 0)
			goto out;
		p4rts_pipe_set_cookie(p, c->cookie != NULL, c->cookie ? c->cookie->cookie : 0);
		if (a == P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__VERIFY) {
			p4rts_pipe_free(p);
		} else if (a == P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__VERIFY_AND_SAVE) {
			p4rts_pipe_free(s->saved);
			s->saved = p;
		} else if (a == P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__RECONCILE_AND_COMMIT &&
			   s->pipe && p4rts_reconcile(s->pipe, p, &st) < 0) {
			p4rts_pipe_free(p);
			goto out;
		} else if (install(s, p, &st) < 0) {
			goto out;
		}
		break;
	}
	case P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__COMMIT:
		if (!s->saved) {
			p4rts_st(&st, P4RT_FAILED_PRECONDITION, "COMMIT: no config was saved "
				 "(VERIFY_AND_SAVE) since the last commit");
			goto out;
		}
		p = s->saved;
		s->saved = NULL;
		if (install(s, p, &st) < 0)
			goto out;
		break;
	default:
		p4rts_st(&st, P4RT_INVALID_ARGUMENT, "SetForwardingPipelineConfig: action %d is not "
			 "VERIFY, VERIFY_AND_SAVE, VERIFY_AND_COMMIT, COMMIT or RECONCILE_AND_COMMIT",
			 (int)a);
		goto out;
	}
	P4__V1__SetForwardingPipelineConfigResponse resp;
	p4__v1__set_forwarding_pipeline_config_response__init(&resp);
	ok(r, &resp.base);
	p4__v1__set_forwarding_pipeline_config_request__free_unpacked(q, NULL);
	return;
out:
	finish(r, &st);
	p4__v1__set_forwarding_pipeline_config_request__free_unpacked(q, NULL);
}

static void on_get_pipeline(struct rpc *r, const uint8_t *data, size_t len)
{
	struct p4rts_server *s = r->srv;
	P4__V1__GetForwardingPipelineConfigRequest *q =
		p4__v1__get_forwarding_pipeline_config_request__unpack(NULL, len, data);
	if (!q) {
		fail(r, P4RT_INVALID_ARGUMENT, "not a p4.v1.GetForwardingPipelineConfigRequest");
		return;
	}
	int type = q->response_type;
	bool dev_ok = q->device_id == s->cfg.device_id;
	p4__v1__get_forwarding_pipeline_config_request__free_unpacked(q, NULL);
	if (!dev_ok) {
		fail(r, P4RT_NOT_FOUND, "no such device id");
		return;
	}
	if (!s->pipe) {
		fail(r, P4RT_FAILED_PRECONDITION, "no forwarding pipeline is set");
		return;
	}
	P4__V1__GetForwardingPipelineConfigResponse resp;
	P4__V1__ForwardingPipelineConfig cfg;
	P4__V1__ForwardingPipelineConfig__Cookie ck;
	p4__v1__get_forwarding_pipeline_config_response__init(&resp);
	p4__v1__forwarding_pipeline_config__init(&cfg);
	p4__v1__forwarding_pipeline_config__cookie__init(&ck);
	bool has;
	const uint8_t *json;
	size_t jl;
	p4rts_pipe_cookie(s->pipe, &has, &ck.cookie);
	if (has)
		cfg.cookie = &ck;
	p4rts_pipe_json(s->pipe, &json, &jl);
	switch (type) {
	case P4__V1__GET_FORWARDING_PIPELINE_CONFIG_REQUEST__RESPONSE_TYPE__ALL:
	case P4__V1__GET_FORWARDING_PIPELINE_CONFIG_REQUEST__RESPONSE_TYPE__P4INFO_AND_COOKIE:
	case P4__V1__GET_FORWARDING_PIPELINE_CONFIG_REQUEST__RESPONSE_TYPE__DEVICE_CONFIG_AND_COOKIE:
		if (type != P4__V1__GET_FORWARDING_PIPELINE_CONFIG_REQUEST__RESPONSE_TYPE__DEVICE_CONFIG_AND_COOKIE)
			cfg.p4info = (P4__Config__V1__P4Info *)p4rts_pipe_p4info(s->pipe);
		if (type != P4__V1__GET_FORWARDING_PIPELINE_CONFIG_REQUEST__RESPONSE_TYPE__P4INFO_AND_COOKIE)
			cfg.p4_device_config = (ProtobufCBinaryData){ jl, (uint8_t *)json };
		break;
	case P4__V1__GET_FORWARDING_PIPELINE_CONFIG_REQUEST__RESPONSE_TYPE__COOKIE_ONLY:
		break;
	default:
		fail(r, P4RT_INVALID_ARGUMENT, "unknown response_type");
		return;
	}
	resp.config = &cfg;
	ok(r, &resp.base);
}

/* ---- Write and Read ---------------------------------------------------------- */

static uint8_t *pack_any(const ProtobufCMessage *m, const char *type, Google__Protobuf__Any *any)
{
	size_t len = protobuf_c_message_get_packed_size(m);
	uint8_t *buf = malloc(len ? len : 1);
	google__protobuf__any__init(any);
	if (!buf)
		return NULL;
	protobuf_c_message_pack(m, buf);
	any->type_url = (char *)type;
	any->value = (ProtobufCBinaryData){ len, buf };
	return buf;
}

/* The failed batch's status: UNKNOWN, one p4.v1.Error per update in the
 * grpc-status-details-bin trailer. */
static void finish_batch(struct rpc *r, struct p4rts_status *sts, size_t n, size_t failed)
{
	Google__Rpc__Status gs;
	Google__Protobuf__Any *anys = calloc(n ? n : 1, sizeof(*anys));
	Google__Protobuf__Any **pa = calloc(n ? n : 1, sizeof(*pa));
	uint8_t **bufs = calloc(n ? n : 1, sizeof(*bufs));
	char msg[640];
	size_t first = 0;
	while (first < n && sts[first].code == P4RT_OK)
		first++;
	snprintf(msg, sizeof(msg), "%zu of %zu updates failed; the first (update %zu): %s",
		 failed, n, first, first < n ? sts[first].msg : "");
	if (!anys || !pa || !bufs) {
		fail(r, P4RT_UNKNOWN, msg);
		goto out;
	}
	google__rpc__status__init(&gs);
	gs.code = P4RT_UNKNOWN;
	gs.message = msg;
	for (size_t i = 0; i < n; i++) {
		P4__V1__Error e;
		p4__v1__error__init(&e);
		e.canonical_code = sts[i].code;
		e.message = sts[i].msg;
		if (!(bufs[i] = pack_any(&e.base, "type.googleapis.com/p4.v1.Error", &anys[i]))) {
			fail(r, P4RT_UNKNOWN, msg);
			goto out;
		}
		pa[i] = &anys[i];
	}
	gs.n_details = n;
	gs.details = pa;
	size_t len = google__rpc__status__get_packed_size(&gs);
	uint8_t *det = malloc(len ? len : 1);
	if (!det) {
		fail(r, P4RT_UNKNOWN, msg);
		goto out;
	}
	google__rpc__status__pack(&gs, det);
	r->answered = true;
	p4rtt_finish(r->call, P4RT_UNKNOWN, msg, det, len);
	free(det);
out:
	for (size_t i = 0; bufs && i < n; i++)
		free(bufs[i]);
	free(bufs);
	free(pa);
	free(anys);
}

static void on_write(struct rpc *r, const uint8_t *data, size_t len)
{
	struct p4rts_server *s = r->srv;
	struct p4rts_status st = { 0 };
	P4__V1__WriteRequest *q = p4__v1__write_request__unpack(NULL, len, data);
	if (!q) {
		fail(r, P4RT_INVALID_ARGUMENT, "not a p4.v1.WriteRequest");
		return;
	}
	struct p4rts_status *sts = NULL;
	size_t failed = 0;
	if (q->device_id != s->cfg.device_id) {
		p4rts_st(&st, P4RT_NOT_FOUND, "this server is device %llu, not %llu",
			 (unsigned long long)s->cfg.device_id, (unsigned long long)q->device_id);
		goto out;
	}
	if (check_primary(s, q->role, q->election_id, &st) < 0)
		goto out;
	if (!s->pipe) {
		p4rts_st(&st, P4RT_FAILED_PRECONDITION, "no forwarding pipeline is set");
		goto out;
	}
	if (q->atomicity == P4__V1__WRITE_REQUEST__ATOMICITY__DATAPLANE_ATOMIC) {
		p4rts_st(&st, P4RT_UNIMPLEMENTED, "DATAPLANE_ATOMIC batches are not supported by "
			 "p4lab yet (CONTINUE_ON_ERROR and ROLLBACK_ON_ERROR are)");
		goto out;
	}
	if (q->atomicity != P4__V1__WRITE_REQUEST__ATOMICITY__CONTINUE_ON_ERROR &&
	    q->atomicity != P4__V1__WRITE_REQUEST__ATOMICITY__ROLLBACK_ON_ERROR) {
		p4rts_st(&st, P4RT_INVALID_ARGUMENT, "unknown atomicity %d", (int)q->atomicity);
		goto out;
	}
	if (!(sts = calloc(q->n_updates ? q->n_updates : 1, sizeof(*sts)))) {
		p4rts_st(&st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		goto out;
	}
	bool digests = false, rollback = q->atomicity ==
		P4__V1__WRITE_REQUEST__ATOMICITY__ROLLBACK_ON_ERROR;
	/* what the role may not write fails alone (or, all or nothing, the batch) */
	struct role *ro = find_role(s, q->role);
	P4__V1__Update **ok_u = calloc(q->n_updates ? q->n_updates : 1, sizeof(*ok_u));
	size_t *ok_i = calloc(q->n_updates ? q->n_updates : 1, sizeof(*ok_i)), n_ok = 0;
	if (!ok_u || !ok_i) {
		free(ok_u);
		free(ok_i);
		free(sts);
		sts = NULL;
		p4rts_st(&st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < q->n_updates; i++) {
		if (may_write(s, ro, q->updates[i]->entity, &sts[i]) < 0) {
			failed++;
			continue;
		}
		ok_i[n_ok] = i;
		ok_u[n_ok++] = q->updates[i];
	}
	if (failed && rollback) {
		for (size_t k = 0; k < n_ok; k++)
			p4rts_st(&sts[ok_i[k]], P4RT_ABORTED, "another update of the batch may not "
				 "be written by this role: not applied");
		failed = q->n_updates;
	} else if (n_ok) {
		struct p4rts_status *osts = calloc(n_ok, sizeof(*osts));
		if (!osts) {
			for (size_t k = 0; k < n_ok; k++)
				p4rts_st(&sts[ok_i[k]], P4RT_RESOURCE_EXHAUSTED, "out of memory");
			failed = q->n_updates;
		} else {
			failed += p4rts_apply(s->pipe, ok_u, n_ok, rollback, osts, &digests);
			for (size_t k = 0; k < n_ok; k++)
				sts[ok_i[k]] = osts[k];
			free(osts);
		}
	}
	free(ok_u);
	free(ok_i);
	if (digests)
		p4rts_waker_kick(s->waker);   /* the polling period may have changed */
	if (failed) {
		finish_batch(r, sts, q->n_updates, failed);
	} else {
		P4__V1__WriteResponse resp;
		p4__v1__write_response__init(&resp);
		ok(r, &resp.base);
	}
	free(sts);
	p4__v1__write_request__free_unpacked(q, NULL);
	return;
out:
	finish(r, &st);
	p4__v1__write_request__free_unpacked(q, NULL);
}

#define READ_CHUNK (1u << 20)

struct chunk {
	struct rpc *r;
	uint8_t *buf;
	size_t len, cap;
	size_t sent;
};

static int chunk_flush(struct chunk *c)
{
	if (!c->len)
		return 0;
	int rc = p4rtt_send(c->r->call, c->buf, c->len);
	c->len = 0;
	c->sent++;
	return rc == -ENOMEM ? -1 : 0;
}

/* Appends `entities { ... }` (field 1, length-delimited) to the response. */
static int emit(void *ctx, const uint8_t *entity, size_t len)
{
	struct chunk *c = ctx;
	if (c->len + len + 11 > c->cap) {
		if (c->len && chunk_flush(c) < 0)
			return -1;
		size_t cap = len + 11 > READ_CHUNK ? len + 11 : READ_CHUNK;
		if (cap > c->cap) {
			uint8_t *nb = realloc(c->buf, cap);
			if (!nb)
				return -1;
			c->buf = nb;
			c->cap = cap;
		}
	}
	c->buf[c->len++] = 0x0a;
	size_t v = len;
	do {
		c->buf[c->len++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	memcpy(c->buf + c->len, entity, len);
	c->len += len;
	return 0;
}

static void on_read(struct rpc *r, const uint8_t *data, size_t len)
{
	struct p4rts_server *s = r->srv;
	struct p4rts_status st = { 0 };
	struct chunk c = { .r = r };
	P4__V1__ReadRequest *q = p4__v1__read_request__unpack(NULL, len, data);
	if (!q) {
		fail(r, P4RT_INVALID_ARGUMENT, "not a p4.v1.ReadRequest");
		return;
	}
	if (q->device_id != s->cfg.device_id) {
		p4rts_st(&st, P4RT_NOT_FOUND, "this server is device %llu, not %llu",
			 (unsigned long long)s->cfg.device_id, (unsigned long long)q->device_id);
		goto out;
	}
	if (!s->pipe) {
		p4rts_st(&st, P4RT_FAILED_PRECONDITION, "no forwarding pipeline is set");
		goto out;
	}
	for (size_t i = 0; i < q->n_entities; i++) {
		const P4__V1__Entity *e = q->entities[i];
		int rc = e->entity_case == P4__V1__ENTITY__ENTITY_TABLE_ENTRY
			? p4rts_table_read(s->pipe, e->table_entry, emit, &c, &st)
			: p4rts_entity_read(s->pipe, e, emit, &c, &st);
		if (rc < 0)
			goto out;
	}
	if (chunk_flush(&c) < 0) {
		p4rts_st(&st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		goto out;
	}
	st.code = P4RT_OK;
out:
	free(c.buf);
	finish(r, &st);
	p4__v1__read_request__free_unpacked(q, NULL);
}

static void on_capabilities(struct rpc *r, const uint8_t *data, size_t len)
{
	P4__V1__CapabilitiesRequest *q = p4__v1__capabilities_request__unpack(NULL, len, data);
	if (!q) {
		fail(r, P4RT_INVALID_ARGUMENT, "not a p4.v1.CapabilitiesRequest");
		return;
	}
	p4__v1__capabilities_request__free_unpacked(q, NULL);
	P4__V1__CapabilitiesResponse resp;
	p4__v1__capabilities_response__init(&resp);
	resp.p4runtime_api_version = "1.5.0";
	ok(r, &resp.base);
}

/* ---- transport handlers ----------------------------------------------------- */

static void on_call(void *ctx, struct p4rtt_call *c, const char *method)
{
	struct p4rts_server *s = ctx;
	struct rpc *r = calloc(1, sizeof(*r));
	if (!r) {
		p4rtt_finish(c, P4RT_RESOURCE_EXHAUSTED, "out of memory", NULL, 0);
		return;
	}
	r->srv = s;
	r->call = c;
	r->m = M_UNKNOWN;
	for (int i = 0; i < M_UNKNOWN; i++)
		if (!strcmp(method, method_names[i]))
			r->m = (enum method)i;
	p4rtt_set_user(c, r);
	if (r->m == M_UNKNOWN) {
		fail(r, P4RT_UNIMPLEMENTED, "unknown method");
	} else if (r->m == M_STREAM) {
		r->next = s->streams;
		if (s->streams)
			s->streams->prev = r;
		s->streams = r;
	}
}

static void on_message(void *ctx, struct p4rtt_call *c, const uint8_t *data, size_t len)
{
	(void)ctx;
	struct rpc *r = p4rtt_user(c);
	if (!r || r->answered)
		return;
	if (!data) {
		if (r->m == M_STREAM)
			fail(r, P4RT_OK, "");
		else
			fail(r, P4RT_INVALID_ARGUMENT, "no request message");
		return;
	}
	switch (r->m) {
	case M_CAPABILITIES: on_capabilities(r, data, len); break;
	case M_SET_PIPELINE: on_set_pipeline(r, data, len); break;
	case M_GET_PIPELINE: on_get_pipeline(r, data, len); break;
	case M_WRITE: on_write(r, data, len); break;
	case M_READ: on_read(r, data, len); break;
	case M_STREAM: on_stream(r, data, len); break;
	case M_UNKNOWN: break;
	}
}

static void on_done(void *ctx, struct p4rtt_call *c)
{
	struct p4rts_server *s = ctx;
	struct rpc *r = p4rtt_user(c);
	if (!r)
		return;
	if (r->m == M_STREAM) {
		if (r->prev)
			r->prev->next = r->next;
		else
			s->streams = r->next;
		if (r->next)
			r->next->prev = r->prev;
		if (r->role && r->role->primary == r)
			elect(s, r->role, NULL);
	}
	rolecfg_free(r->cfg);
	free(r);
}

/* ---- life cycle --------------------------------------------------------------- */

int p4rts_start(struct p4rts_server **out, const struct p4rts_config *cfg, struct p4l_err *err)
{
	struct p4rts_server *s = calloc(1, sizeof(*s));
	if (!s)
		return p4l_errf(err, -ENOMEM, "out of memory");
	s->cfg = *cfg;
	struct p4rtt_handlers h = { s, on_call, on_message, on_done };
	int r = p4rts_waker_start(&s->waker, wake, s, err);
	if (r == 0)
		r = p4rtt_start(&s->tr, cfg->addr, &h, err);
	if (r < 0) {
		p4rts_waker_stop(s->waker);
		free(s);
		return r;
	}
	*out = s;
	return 0;
}

int p4rts_port(const struct p4rts_server *s) { return p4rtt_port(s->tr); }

int p4rts_set_pipeline(struct p4rts_server *s, const char *json, size_t json_len,
		       const uint8_t *p4info, size_t p4info_len, struct p4l_err *err)
{
	struct p4rts_status st = { 0 };
	struct p4rts_pipe *p;
	int r = 0;
	p4rtt_lock(s->tr);
	if (p4rts_pipe_new(&p, p4info, p4info_len, (const uint8_t *)json, json_len, &st) < 0 ||
	    install(s, p, &st) < 0)
		r = p4l_errf(err, -EINVAL, "%s", st.msg);
	p4rtt_unlock(s->tr);
	return r;
}

int p4rts_write(struct p4rts_server *s, P4__V1__Update *const *u, size_t n, size_t *failed,
		struct p4l_err *err)
{
	struct p4rts_status *sts = calloc(n ? n : 1, sizeof(*sts));
	bool digests = false;
	int r = 0;
	if (!sts)
		return p4l_errf(err, -ENOMEM, "out of memory");
	p4rtt_lock(s->tr);
	if (!s->pipe)
		r = p4l_errf(err, -ENXIO, "no forwarding pipeline is set");
	else if (p4rts_apply(s->pipe, u, n, true, sts, &digests))
		for (size_t i = 0; i < n && !r; i++) {
			if (sts[i].code == P4RT_OK || sts[i].code == P4RT_ABORTED)
				continue;
			int e = sts[i].code == P4RT_NOT_FOUND ? ENOENT
				: sts[i].code == P4RT_ALREADY_EXISTS ? EEXIST
				: sts[i].code == P4RT_RESOURCE_EXHAUSTED ? ENOSPC
				: sts[i].code == P4RT_UNIMPLEMENTED ? ENOSYS : EINVAL;
			*failed = i;
			r = p4l_errf(err, -e, "%s", sts[i].msg);
		}
	if (digests)
		p4rts_waker_kick(s->waker);
	p4rtt_unlock(s->tr);
	free(sts);
	return r;
}

struct sw_switch *p4rts_lock(struct p4rts_server *s)
{
	p4rtt_lock(s->tr);
	return s->pipe ? p4rts_pipe_switch(s->pipe) : NULL;
}

void p4rts_unlock(struct p4rts_server *s) { p4rtt_unlock(s->tr); }

void p4rts_stop(struct p4rts_server *s)
{
	if (!s)
		return;
	/* the waker first: it takes the transport's lock */
	p4rts_waker_stop(s->waker);
	p4rtt_stop(s->tr);
	if (s->pipe && s->cfg.host.detach)
		s->cfg.host.detach(s->cfg.host.ctx, p4rts_pipe_switch(s->pipe));
	p4rts_pipe_free(s->pipe);
	p4rts_pipe_free(s->saved);
	for (struct role *ro = s->roles, *n; ro; ro = n) {
		n = ro->next;
		free(ro->name);
		free(ro);
	}
	free(s);
}
