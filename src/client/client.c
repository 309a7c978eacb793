/* client.c - connection, arbitration, events, pipelines and the typed
 * Write/Read of p4rt_client.h.  The by-name calls are in byname.c. */
#include "client_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "google/protobuf/any.pb-c.h"
#include "google/rpc/status.pb-c.h"
#include "p4info.h"

#define CALL_TIMEOUT_MS 60000
#define METHOD(m) "/p4.v1.P4Runtime/" m

int p4rt_errno(int code)
{
	switch (code) {
#define X(num, name, e) case num: return -(e);
	P4RT_CLIENT_CODES(X)
#undef X
	}
	return -EIO;
}

const char *p4rt_code_name(int code)
{
	switch (code) {
#define X(num, name, e) case num: return #name;
	P4RT_CLIENT_CODES(X)
#undef X
	}
	return "UNKNOWN_CODE";
}

struct p4rt_loop {
	struct p4rtc_loop *l;
};

int p4rt_loop_new(struct p4rt_loop **out, struct p4l_err *err)
{
	struct p4rt_loop *l = calloc(1, sizeof(*l));
	if (!l)
		return p4l_errf(err, -ENOMEM, "out of memory");
	int r = p4rtc_loop_new(&l->l, err);
	if (r < 0) {
		free(l);
		return r;
	}
	*out = l;
	return 0;
}

void p4rt_loop_free(struct p4rt_loop *l)
{
	if (!l)
		return;
	p4rtc_loop_unref(l->l);   /* the queue stays while clients use it */
	free(l);
}

int p4rt_loop_run(struct p4rt_loop *l, int timeout_ms)
{
	return p4rtc_loop_run(l->l, timeout_ms);
}

int p4rt_run(struct p4rt_client *c, int timeout_ms)
{
	return p4rtc_loop_run(p4rtc_loop_of(c->ch), timeout_ms);
}

size_t p4rt_in_flight(const struct p4rt_client *c) { return p4rtc_in_flight(c->ch); }

int p4rt_connect_on(struct p4rt_client **out, struct p4rt_loop *loop, const char *addr,
		    uint64_t device_id, struct p4l_err *err)
{
	struct p4rt_client *c = calloc(1, sizeof(*c));
	if (!c)
		return p4l_errf(err, -ENOMEM, "out of memory");
	c->device_id = device_id;
	c->ev_tail = &c->events;
	int r = p4rtc_open(&c->ch, addr, 5000, loop ? loop->l : NULL, err);
	if (r < 0) {
		free(c);
		return r;
	}
	*out = c;
	return 0;
}

int p4rt_connect(struct p4rt_client **out, const char *addr, uint64_t device_id,
		 struct p4l_err *err)
{
	return p4rt_connect_on(out, NULL, addr, device_id, err);
}

void p4rt_close(struct p4rt_client *c)
{
	if (!c)
		return;
	p4rtc_close(c->ch);
	for (struct ev *e = c->events, *n; e; e = n) {
		n = e->next;
		p4rt_event_clear(&e->e);
		free(e);
	}
	if (c->p4info)
		p4__config__v1__p4_info__free_unpacked(c->p4info, NULL);
	if (c->saved_p4info)
		p4__config__v1__p4_info__free_unpacked(c->saved_p4info, NULL);
	free(c->role);
	free(c->uerr);
	free(c);
}

bool p4rt_is_primary(const struct p4rt_client *c) { return c->primary; }
const P4__Config__V1__P4Info *p4rt_p4info(const struct p4rt_client *c) { return c->p4info; }

const struct p4rt_update_error *p4rt_update_errors(const struct p4rt_client *c, size_t *n)
{
	*n = c->n_uerr;
	return c->uerr;
}

/* ---- the stream ------------------------------------------------------------- */

void p4rt_event_clear(struct p4rt_event *ev)
{
	free(ev->payload);
	ev->payload = NULL;
	ev->payload_len = 0;
	if (ev->digest)
		p4__v1__digest_list__free_unpacked(ev->digest, NULL);
	ev->digest = NULL;
	if (ev->idle)
		p4__v1__idle_timeout_notification__free_unpacked(ev->idle, NULL);
	ev->idle = NULL;
}

/* Takes e's payload. */
static void push_event(struct p4rt_client *c, struct p4rt_event *e)
{
	struct ev *x = malloc(sizeof(*x));
	if (!x) {
		/* an event lost to memory exhaustion; the state itself is kept */
		p4rt_event_clear(e);
		return;
	}
	x->next = NULL;
	x->e = *e;
	*c->ev_tail = x;
	c->ev_tail = &x->next;
}

/* Reads one stream message (waiting up to timeout_ms) into an event: 1 with
 * *ev, 0 on timeout, -EPIPE when the stream had ended (ev: CLOSED). */
static int stream_event(struct p4rt_client *c, struct p4rt_event *ev, int timeout_ms)
{
	uint8_t *buf = NULL;
	struct p4rtc_status st = { 0 };
	int n = p4rtc_stream_next(c->ch, &buf, timeout_ms, &st);
	memset(ev, 0, sizeof(*ev));
	if (n == -EPIPE) {
		ev->type = P4RT_EV_CLOSED;
		ev->code = st.code;
		snprintf(ev->msg, sizeof(ev->msg), "%s", st.msg);
		p4rtc_status_clear(&st);
		c->primary = false;
		c->stream_closed = true;
		return -EPIPE;
	}
	if (n <= 0)
		return n < 0 ? n : 0;
	P4__V1__StreamMessageResponse *m = p4__v1__stream_message_response__unpack(NULL, (size_t)n,
										   buf);
	free(buf);
	if (!m) {
		ev->type = P4RT_EV_STREAM_ERROR;
		ev->code = 13;
		snprintf(ev->msg, sizeof(ev->msg), "the server sent a message that is not a "
			 "p4.v1.StreamMessageResponse");
		return 1;
	}
	if (m->update_case == P4__V1__STREAM_MESSAGE_RESPONSE__UPDATE_ARBITRATION) {
		const P4__V1__MasterArbitrationUpdate *a = m->arbitration;
		ev->type = P4RT_EV_ARBITRATION;
		ev->code = a->status ? a->status->code : 0;
		ev->primary = ev->code == 0;
		if (a->election_id) {
			ev->election_hi = a->election_id->high;
			ev->election_lo = a->election_id->low;
		}
		if (a->status && a->status->message)
			snprintf(ev->msg, sizeof(ev->msg), "%s", a->status->message);
		c->primary = ev->primary;
	} else if (m->update_case == P4__V1__STREAM_MESSAGE_RESPONSE__UPDATE_PACKET) {
		const P4__V1__PacketIn *pin = m->packet;
		ev->type = P4RT_EV_PACKET_IN;
		ev->payload = malloc(pin->payload.len ? pin->payload.len : 1);
		if (ev->payload) {
			memcpy(ev->payload, pin->payload.data, pin->payload.len);
			ev->payload_len = pin->payload.len;
		}
		for (size_t i = 0; i < pin->n_metadata && i < P4RT_MAX_METADATA; i++) {
			const P4__V1__PacketMetadata *md = pin->metadata[i];
			struct p4rt_metadata *o = &ev->metadata[ev->n_metadata++];
			size_t skip = 0;
			while (md->value.len - skip > sizeof(o->value) && !md->value.data[skip])
				skip++;
			o->id = md->metadata_id;
			o->len = md->value.len - skip > sizeof(o->value) ? sizeof(o->value)
				: md->value.len - skip;
			memcpy(o->value, md->value.data + skip, o->len);
		}
	} else if (m->update_case == P4__V1__STREAM_MESSAGE_RESPONSE__UPDATE_DIGEST) {
		/* keep the list: take it out of the message */
		ev->type = P4RT_EV_DIGEST;
		ev->digest = m->digest;
		m->digest = NULL;
		m->update_case = P4__V1__STREAM_MESSAGE_RESPONSE__UPDATE__NOT_SET;
	} else if (m->update_case == P4__V1__STREAM_MESSAGE_RESPONSE__UPDATE_IDLE_TIMEOUT_NOTIFICATION) {
		ev->type = P4RT_EV_IDLE_TIMEOUT;
		ev->idle = m->idle_timeout_notification;
		m->idle_timeout_notification = NULL;
		m->update_case = P4__V1__STREAM_MESSAGE_RESPONSE__UPDATE__NOT_SET;
	} else if (m->update_case == P4__V1__STREAM_MESSAGE_RESPONSE__UPDATE_ERROR) {
		ev->type = P4RT_EV_STREAM_ERROR;
		ev->code = m->error->canonical_code;
		snprintf(ev->msg, sizeof(ev->msg), "%s", m->error->message ? m->error->message : "");
	} else {
		ev->type = P4RT_EV_STREAM_ERROR;
		ev->code = 12;
		snprintf(ev->msg, sizeof(ev->msg), "stream message %d is not handled by this "
			 "client yet", (int)m->update_case);
	}
	p4__v1__stream_message_response__free_unpacked(m, NULL);
	return 1;
}

int p4rt_poll(struct p4rt_client *c, struct p4rt_event *ev, int timeout_ms)
{
	if (c->events) {
		struct ev *x = c->events;
		if (!(c->events = x->next))
			c->ev_tail = &c->events;
		*ev = x->e;
		free(x);
		return 1;
	}
	if (c->stream_closed || !p4rtc_stream_open_p(c->ch)) {
		if (!c->stream_closed)
			return -ENOTCONN;
	}
	if (c->stream_closed && c->closed_told)
		return -ENOTCONN;
	int r = stream_event(c, ev, timeout_ms);
	if (r == -EPIPE) {
		c->closed_told = true;
		return 1;
	}
	return r;
}

int p4rt_arbitrate(struct p4rt_client *c, uint64_t hi, uint64_t lo, const char *role,
		   struct p4l_err *err)
{
	return p4rt_arbitrate_config(c, hi, lo, role, NULL, NULL, 0, err);
}

int p4rt_arbitrate_config(struct p4rt_client *c, uint64_t hi, uint64_t lo, const char *role,
			  const char *type_url, const uint8_t *config, size_t config_len,
			  struct p4l_err *err)
{
	if (!p4rtc_stream_open_p(c->ch)) {
		int r = p4rtc_stream_open(c->ch, METHOD("StreamChannel"), err);
		if (r < 0)
			return r;
		c->stream_closed = c->closed_told = false;
	}
	free(c->role);
	c->role = role ? strdup(role) : NULL;
	if (role && !c->role)
		return p4l_errf(err, -ENOMEM, "out of memory");
	c->has_eid = true;
	c->eid_hi = hi;
	c->eid_lo = lo;
	P4__V1__StreamMessageRequest req;
	P4__V1__MasterArbitrationUpdate mau;
	P4__V1__Uint128 eid;
	P4__V1__Role ro;
	Google__Protobuf__Any any;
	p4__v1__stream_message_request__init(&req);
	p4__v1__master_arbitration_update__init(&mau);
	p4__v1__uint128__init(&eid);
	p4__v1__role__init(&ro);
	google__protobuf__any__init(&any);
	eid.high = hi;
	eid.low = lo;
	mau.device_id = c->device_id;
	mau.election_id = &eid;
	if (role) {
		ro.name = (char *)role;
		mau.role = &ro;
		if (type_url) {
			any.type_url = (char *)type_url;
			any.value = (ProtobufCBinaryData){ config_len, (uint8_t *)config };
			ro.config = &any;
		}
	}
	req.update_case = P4__V1__STREAM_MESSAGE_REQUEST__UPDATE_ARBITRATION;
	req.arbitration = &mau;
	size_t len = p4__v1__stream_message_request__get_packed_size(&req);
	uint8_t buf[len ? len : 1];
	p4__v1__stream_message_request__pack(&req, buf);
	int r = p4rtc_stream_send(c->ch, buf, len);
	if (r < 0)
		return p4l_errf(err, r, "arbitration: the stream is closed");
	/* The first arbitration message from now on answers this request;
	 * other events wait for p4rt_poll. */
	for (;;) {
		struct p4rt_event ev;
		r = stream_event(c, &ev, CALL_TIMEOUT_MS);
		if (r == 0)
			return p4l_errf(err, -ETIMEDOUT, "arbitration: no answer from the server");
		if (r == -EPIPE) {
			c->closed_told = true;
			return p4l_errf(err, p4rt_errno(ev.code) ? p4rt_errno(ev.code) : -EPIPE,
					"arbitration: %s: %s", p4rt_code_name(ev.code), ev.msg);
		}
		if (r < 0)
			return p4l_errf(err, r, "arbitration: %s", strerror(-r));
		if (ev.type == P4RT_EV_ARBITRATION)
			return ev.primary ? 1 : 0;
		push_event(c, &ev);
	}
}

/* ---- calls ------------------------------------------------------------------ */

/* Runs a unary/streaming call and turns a failure into err. */
static int call(struct p4rt_client *c, const char *what, const char *method,
		const ProtobufCMessage *req, int (*fn)(void *, const uint8_t *, size_t),
		void *ctx, struct p4rtc_status *st, struct p4l_err *err)
{
	size_t len = protobuf_c_message_get_packed_size(req);
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf)
		return p4l_errf(err, -ENOMEM, "out of memory");
	protobuf_c_message_pack(req, buf);
	int r = p4rtc_call(c->ch, method, buf, len, fn, ctx, CALL_TIMEOUT_MS, st);
	free(buf);
	if (r < 0)
		return p4l_errf(err, r, "%s: the call could not be made", what);
	if (st->code)
		return p4l_errf(err, p4rt_errno(st->code), "%s: %s: %s", what,
				p4rt_code_name(st->code), st->msg);
	return 0;
}

static P4__V1__Uint128 *election(struct p4rt_client *c, P4__V1__Uint128 *eid)
{
	if (!c->has_eid)
		return NULL;
	p4__v1__uint128__init(eid);
	eid->high = c->eid_hi;
	eid->low = c->eid_lo;
	return eid;
}

static int one_message(void *ctx, const uint8_t *msg, size_t len)
{
	ProtobufCBinaryData *out = ctx;
	free(out->data);
	out->data = malloc(len ? len : 1);
	if (!out->data)
		return -ENOMEM;
	memcpy(out->data, msg, len);
	out->len = len;
	return 0;
}

int p4rt_capabilities(struct p4rt_client *c, char *buf, size_t cap, struct p4l_err *err)
{
	P4__V1__CapabilitiesRequest req;
	struct p4rtc_status st = { 0 };
	ProtobufCBinaryData resp = { 0, NULL };
	p4__v1__capabilities_request__init(&req);
	req.device_id = c->device_id;
	int r = call(c, "Capabilities", METHOD("Capabilities"), &req.base, one_message, &resp, &st,
		     err);
	p4rtc_status_clear(&st);
	if (!r) {
		P4__V1__CapabilitiesResponse *m =
			p4__v1__capabilities_response__unpack(NULL, resp.len, resp.data);
		if (!m)
			r = p4l_errf(err, -EBADMSG, "Capabilities: a bad response");
		else
			snprintf(buf, cap, "%s", m->p4runtime_api_version ? m->p4runtime_api_version : "");
		if (m)
			p4__v1__capabilities_response__free_unpacked(m, NULL);
	}
	free(resp.data);
	return r;
}

int p4rt_set_pipeline_action(struct p4rt_client *c, int action, const char *json,
			     size_t json_len, const uint8_t *p4info, size_t p4info_len,
			     uint64_t cookie, struct p4l_err *err)
{
	P4__Config__V1__P4Info *info = NULL;
	if (p4info) {
		info = p4__config__v1__p4_info__unpack(NULL, p4info_len, p4info);
		if (!info)
			return p4l_errf(err, -EINVAL, "SetForwardingPipelineConfig: the P4Info "
					"given is not a valid p4.config.v1.P4Info");
	}
	P4__V1__SetForwardingPipelineConfigRequest req;
	P4__V1__ForwardingPipelineConfig cfg;
	P4__V1__ForwardingPipelineConfig__Cookie ck;
	P4__V1__Uint128 eid;
	struct p4rtc_status st = { 0 };
	p4__v1__set_forwarding_pipeline_config_request__init(&req);
	p4__v1__forwarding_pipeline_config__init(&cfg);
	p4__v1__forwarding_pipeline_config__cookie__init(&ck);
	ck.cookie = cookie;
	cfg.p4info = info;
	cfg.p4_device_config = (ProtobufCBinaryData){ json ? json_len : 0, (uint8_t *)json };
	cfg.cookie = &ck;
	req.device_id = c->device_id;
	req.role = c->role ? c->role : (char *)"";
	req.election_id = election(c, &eid);
	req.action = (P4__V1__SetForwardingPipelineConfigRequest__Action)action;
	if (info || json)
		req.config = &cfg;
	int r = call(c, "SetForwardingPipelineConfig", METHOD("SetForwardingPipelineConfig"),
		     &req.base, NULL, NULL, &st, err);
	p4rtc_status_clear(&st);
	P4__Config__V1__P4Info **keep = NULL;
	if (!r && (action == P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__VERIFY_AND_COMMIT ||
		   action == P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__RECONCILE_AND_COMMIT))
		keep = &c->p4info;
	else if (!r && action == P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__VERIFY_AND_SAVE)
		keep = &c->saved_p4info;
	if (!r && action == P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__COMMIT &&
	    c->saved_p4info) {
		if (c->p4info)
			p4__config__v1__p4_info__free_unpacked(c->p4info, NULL);
		c->p4info = c->saved_p4info;
		c->saved_p4info = NULL;
	}
	if (keep && info) {
		if (*keep)
			p4__config__v1__p4_info__free_unpacked(*keep, NULL);
		*keep = info;
	} else if (info) {
		p4__config__v1__p4_info__free_unpacked(info, NULL);
	}
	return r;
}

int p4rt_set_pipeline(struct p4rt_client *c, const char *json, size_t json_len,
		      const uint8_t *p4info, size_t p4info_len, uint64_t cookie,
		      struct p4l_err *err)
{
	return p4rt_set_pipeline_action(c,
		P4__V1__SET_FORWARDING_PIPELINE_CONFIG_REQUEST__ACTION__VERIFY_AND_COMMIT,
		json, json_len, p4info, p4info_len, cookie, err);
}

int p4rt_set_pipeline_files(struct p4rt_client *c, const char *json_path,
			    const char *p4info_path, struct p4l_err *err)
{
	char *json = NULL;
	size_t jl = 0;
	P4__Config__V1__P4Info *info = NULL;
	uint8_t *bin = NULL;
	int r = p4l_read_file(json_path, &json, &jl, err);
	if (r < 0)
		return r;
	if ((r = p4i_p4info_load(p4info_path, &info, err)) < 0)
		goto out;
	size_t bl = p4__config__v1__p4_info__get_packed_size(info);
	if (!(bin = malloc(bl ? bl : 1))) {
		r = p4l_errf(err, -ENOMEM, "out of memory");
		goto out;
	}
	p4__config__v1__p4_info__pack(info, bin);
	r = p4rt_set_pipeline(c, json, jl, bin, bl, 0, err);
out:
	free(bin);
	if (info)
		p4__config__v1__p4_info__free_unpacked(info, NULL);
	free(json);
	return r;
}

int p4rt_fetch_pipeline(struct p4rt_client *c, uint64_t *cookie, struct p4l_err *err)
{
	P4__V1__GetForwardingPipelineConfigRequest req;
	struct p4rtc_status st = { 0 };
	ProtobufCBinaryData resp = { 0, NULL };
	p4__v1__get_forwarding_pipeline_config_request__init(&req);
	req.device_id = c->device_id;
	req.response_type = P4__V1__GET_FORWARDING_PIPELINE_CONFIG_REQUEST__RESPONSE_TYPE__P4INFO_AND_COOKIE;
	int r = call(c, "GetForwardingPipelineConfig", METHOD("GetForwardingPipelineConfig"),
		     &req.base, one_message, &resp, &st, err);
	p4rtc_status_clear(&st);
	if (r < 0)
		goto out;
	P4__V1__GetForwardingPipelineConfigResponse *m =
		p4__v1__get_forwarding_pipeline_config_response__unpack(NULL, resp.len, resp.data);
	if (!m || !m->config || !m->config->p4info) {
		r = p4l_errf(err, -EBADMSG, "GetForwardingPipelineConfig: the response has no P4Info");
	} else {
		if (cookie)
			*cookie = m->config->cookie ? m->config->cookie->cookie : 0;
		/* keep the P4Info: take it out of the response */
		if (c->p4info)
			p4__config__v1__p4_info__free_unpacked(c->p4info, NULL);
		c->p4info = m->config->p4info;
		m->config->p4info = NULL;
	}
	if (m)
		p4__v1__get_forwarding_pipeline_config_response__free_unpacked(m, NULL);
out:
	free(resp.data);
	return r;
}

/* ---- Write and Read --------------------------------------------------------- */

/* The per-update statuses of a failed Write's trailer (*n of them, NULL
 * when it has none). */
static struct p4rt_update_error *update_errors(const struct p4rtc_status *st, size_t *n)
{
	Google__Rpc__Status *gs = st->details
		? google__rpc__status__unpack(NULL, st->details_len, st->details) : NULL;
	struct p4rt_update_error *ue = NULL;
	*n = 0;
	if (!gs)
		return NULL;
	if ((ue = calloc(gs->n_details ? gs->n_details : 1, sizeof(*ue)))) {
		*n = gs->n_details;
		for (size_t i = 0; i < gs->n_details; i++) {
			const Google__Protobuf__Any *a = gs->details[i];
			P4__V1__Error *e = a->type_url && strstr(a->type_url, "p4.v1.Error")
				? p4__v1__error__unpack(NULL, a->value.len, a->value.data) : NULL;
			if (!e) {
				ue[i].code = 2;
				snprintf(ue[i].msg, sizeof(ue[i].msg), "(no p4.v1.Error)");
				continue;
			}
			ue[i].code = e->canonical_code;
			snprintf(ue[i].msg, sizeof(ue[i].msg), "%s", e->message ? e->message : "");
			p4__v1__error__free_unpacked(e, NULL);
		}
	}
	google__rpc__status__free_unpacked(gs, NULL);
	return ue;
}

static void take_update_errors(struct p4rt_client *c, const struct p4rtc_status *st)
{
	c->uerr = update_errors(st, &c->n_uerr);
}

int p4rt_write(struct p4rt_client *c, P4__V1__Update *const *updates, size_t n,
	       struct p4l_err *err)
{
	return p4rt_write_atomic(c, updates, n,
				 P4__V1__WRITE_REQUEST__ATOMICITY__CONTINUE_ON_ERROR, err);
}

int p4rt_write_atomic(struct p4rt_client *c, P4__V1__Update *const *updates, size_t n,
		      int atomicity, struct p4l_err *err)
{
	P4__V1__WriteRequest req;
	P4__V1__Uint128 eid;
	struct p4rtc_status st = { 0 };
	free(c->uerr);
	c->uerr = NULL;
	c->n_uerr = 0;
	p4__v1__write_request__init(&req);
	req.device_id = c->device_id;
	req.role = c->role ? c->role : (char *)"";
	req.election_id = election(c, &eid);
	req.n_updates = n;
	req.updates = (P4__V1__Update **)updates;
	req.atomicity = (P4__V1__WriteRequest__Atomicity)atomicity;
	int r = call(c, "Write", METHOD("Write"), &req.base, NULL, NULL, &st, err);
	if (r < 0 && st.code == 2)
		take_update_errors(c, &st);
	p4rtc_status_clear(&st);
	return r;
}

struct read_ctx {
	int (*fn)(void *ctx, const P4__V1__Entity *e);
	void *ctx;
	int count, stop;
};

static int read_message(void *ctx, const uint8_t *msg, size_t len)
{
	struct read_ctx *rc = ctx;
	P4__V1__ReadResponse *m = p4__v1__read_response__unpack(NULL, len, msg);
	if (!m) {
		rc->stop = -EBADMSG;
		return -1;
	}
	for (size_t i = 0; i < m->n_entities && !rc->stop; i++) {
		int r = rc->fn ? rc->fn(rc->ctx, m->entities[i]) : 0;
		if (r < 0)
			rc->stop = r;
		else
			rc->count++;
	}
	p4__v1__read_response__free_unpacked(m, NULL);
	return rc->stop ? -1 : 0;
}

int p4rt_read(struct p4rt_client *c, P4__V1__Entity *const *entities, size_t n,
	      int (*fn)(void *ctx, const P4__V1__Entity *e), void *ctx, struct p4l_err *err)
{
	P4__V1__ReadRequest req;
	struct p4rtc_status st = { 0 };
	struct read_ctx rc = { fn, ctx, 0, 0 };
	p4__v1__read_request__init(&req);
	req.device_id = c->device_id;
	req.role = c->role ? c->role : (char *)"";
	req.n_entities = n;
	req.entities = (P4__V1__Entity **)entities;
	int r = call(c, "Read", METHOD("Read"), &req.base, read_message, &rc, &st, err);
	p4rtc_status_clear(&st);
	if (rc.stop == -EBADMSG)
		return p4l_errf(err, -EBADMSG, "Read: a response is not a p4.v1.ReadResponse");
	if (rc.stop)
		return rc.stop;
	return r < 0 ? r : rc.count;
}

/* ---- asynchronous Write and Read ------------------------------------------------- */

struct async {
	const char *what;
	bool write;
	p4rt_done_fn done;
	void *ctx;
	struct read_ctx rc;
};

static void async_done(void *ctx, struct p4rtc_status *st)
{
	struct async *a = ctx;
	struct p4rt_result res;
	struct p4rt_update_error *ue = NULL;
	memset(&res, 0, sizeof(res));
	if (st->code) {
		res.r = p4l_errf(&res.err, p4rt_errno(st->code), "%s: %s: %s", a->what,
				 p4rt_code_name(st->code), st->msg);
		if (a->write && st->code == 2)
			ue = update_errors(st, &res.n_updates);
		res.updates = ue;
	} else if (a->rc.stop == -EBADMSG) {
		res.r = p4l_errf(&res.err, -EBADMSG, "Read: a response is not a p4.v1.ReadResponse");
	} else if (a->rc.stop) {
		res.r = p4l_errf(&res.err, a->rc.stop, "Read: stopped by the caller");
	} else if (!a->write) {
		res.r = a->rc.count;
	}
	a->done(a->ctx, &res);
	free(ue);
	free(a);
}

static int async_msg(void *ctx, const uint8_t *msg, size_t len)
{
	return read_message(&((struct async *)ctx)->rc, msg, len);
}

/* Packs req and starts it; a is freed when it ends (or here on failure). */
static int start(struct p4rt_client *c, struct async *a, const char *method,
		 const ProtobufCMessage *req, struct p4l_err *err)
{
	size_t len = protobuf_c_message_get_packed_size(req);
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf) {
		free(a);
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	protobuf_c_message_pack(req, buf);
	int r = p4rtc_call_start(c->ch, method, buf, len, a->write ? NULL : async_msg,
				 async_done, a, CALL_TIMEOUT_MS);
	free(buf);
	if (r < 0) {
		const char *what = a->what;
		free(a);
		return p4l_errf(err, r, "%s: the call could not be made", what);
	}
	return 0;
}

int p4rt_write_async(struct p4rt_client *c, P4__V1__Update *const *updates, size_t n,
		     int atomicity, p4rt_done_fn done, void *ctx, struct p4l_err *err)
{
	struct async *a = calloc(1, sizeof(*a));
	if (!a)
		return p4l_errf(err, -ENOMEM, "out of memory");
	*a = (struct async){ "Write", true, done, ctx, { NULL, NULL, 0, 0 } };
	P4__V1__WriteRequest req;
	P4__V1__Uint128 eid;
	p4__v1__write_request__init(&req);
	req.device_id = c->device_id;
	req.role = c->role ? c->role : (char *)"";
	req.election_id = election(c, &eid);
	req.n_updates = n;
	req.updates = (P4__V1__Update **)updates;
	req.atomicity = (P4__V1__WriteRequest__Atomicity)atomicity;
	return start(c, a, METHOD("Write"), &req.base, err);
}

int p4rt_read_async(struct p4rt_client *c, P4__V1__Entity *const *entities, size_t n,
		    int (*fn)(void *ctx, const P4__V1__Entity *e), p4rt_done_fn done, void *ctx,
		    struct p4l_err *err)
{
	struct async *a = calloc(1, sizeof(*a));
	if (!a)
		return p4l_errf(err, -ENOMEM, "out of memory");
	*a = (struct async){ "Read", false, done, ctx, { fn, ctx, 0, 0 } };
	P4__V1__ReadRequest req;
	p4__v1__read_request__init(&req);
	req.device_id = c->device_id;
	req.role = c->role ? c->role : (char *)"";
	req.n_entities = n;
	req.entities = (P4__V1__Entity **)entities;
	return start(c, a, METHOD("Read"), &req.base, err);
}
