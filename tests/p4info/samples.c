/* samples.c - the sample messages of samples.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "samples.h"
#include "p4/v1/p4runtime.pb-c.h"
#include "google/rpc/status.pb-c.h"

/* The samples set deprecated fields on purpose: they are still on the wire. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#define NEW(b, T, init) ({ T *n_ = p4i_alloc((b), sizeof(T)); if (n_) init(n_); n_; })

static ProtobufCBinaryData bytes(struct p4i_builder *b, const void *p, size_t n)
{
	ProtobufCBinaryData d = { .len = n, .data = p4i_alloc(b, n ? n : 1) };
	if (d.data)
		memcpy(d.data, p, n);
	return d;
}

int sample_p4info(struct p4i_builder *b, struct p4l_err *err)
{
	struct p4i_ids *ids = p4i_ids_new();
	int r = -ENOMEM;
	if (!ids)
		return p4l_errf(err, -ENOMEM, "out of memory");
	static const struct { enum p4i_prefix p; const char *name; } objs[] = {
		{ P4I_TABLE, "MyIngress.ipv4_lpm" },
		{ P4I_TABLE, "MyIngress.myTunnel_exact" },
		{ P4I_ACTION, "NoAction" },
		{ P4I_ACTION, "MyIngress.drop" },
		{ P4I_ACTION, "MyIngress.ipv4_forward" },
		{ P4I_ACTION, "MyIngress.myTunnel_forward" },
		{ P4I_COUNTER, "MyIngress.ingressTunnelCounter" },
		{ P4I_DIRECT_COUNTER, "MyIngress.lpm_hits" },
		{ P4I_METER, "MyIngress.rate" },
		{ P4I_REGISTER, "MyEgress.last_seen" },
		{ P4I_CONTROLLER_HEADER, "packet_in" },
	};
	for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++)
		if ((r = p4i_ids_add(ids, objs[i].p, objs[i].name, 0, 0, err)) < 0)
			goto out;
	if ((r = p4i_ids_add(ids, P4I_ACTION, "MyIngress.set_tos", 1, 0x42, err)) < 0 ||
	    (r = p4i_ids_assign(ids, err)) < 0)
		goto out;
#define ID(p, n) p4i_ids_get(ids, p, n)
#define AL(n) p4i_ids_alias(ids, n)

	r = -ENOMEM;
	if (p4i_set_pkg_info(b, NULL, "v1model") < 0)
		goto out;
	P4__Config__V1__P4Info *pi = p4i_builder_p4info(b);
	pi->pkg_info->doc = NEW(b, P4__Config__V1__Documentation, p4__config__v1__documentation__init);
	if (!pi->pkg_info->doc)
		goto out;
	pi->pkg_info->doc->brief = p4i_strdup(b, "A \"tunnel\"\tsample\n\xc3\xa9t\xc3\xa9 \\ '");

	P4__Config__V1__Table *t = p4i_add_table(b, ID(P4I_TABLE, "MyIngress.ipv4_lpm"),
						 "MyIngress.ipv4_lpm", AL("MyIngress.ipv4_lpm"), 1024);
	if (!t || !p4i_table_add_match(b, t, 1, "hdr.ipv4.dstAddr", 32,
				      P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__LPM) ||
	    !p4i_table_add_action_ref(b, t, ID(P4I_ACTION, "MyIngress.ipv4_forward"),
				      P4__CONFIG__V1__ACTION_REF__SCOPE__TABLE_AND_DEFAULT) ||
	    !p4i_table_add_action_ref(b, t, ID(P4I_ACTION, "MyIngress.drop"),
				      P4__CONFIG__V1__ACTION_REF__SCOPE__TABLE_ONLY) ||
	    !p4i_table_add_action_ref(b, t, ID(P4I_ACTION, "NoAction"),
				      P4__CONFIG__V1__ACTION_REF__SCOPE__DEFAULT_ONLY) ||
	    p4i_table_add_direct_resource(b, t, ID(P4I_DIRECT_COUNTER, "MyIngress.lpm_hits")) < 0 ||
	    p4i_preamble_annotate(b, t->preamble, "@name(\"ipv4_lpm\")") < 0)
		goto out;
	t->idle_timeout_behavior = P4__CONFIG__V1__TABLE__IDLE_TIMEOUT_BEHAVIOR__NOTIFY_CONTROL;
	t->initial_default_action = NEW(b, P4__Config__V1__TableActionCall,
					p4__config__v1__table_action_call__init);
	if (!t->initial_default_action)
		goto out;
	t->initial_default_action->action_id = ID(P4I_ACTION, "MyIngress.drop");

	t = p4i_add_table(b, ID(P4I_TABLE, "MyIngress.myTunnel_exact"),
			  "MyIngress.myTunnel_exact", AL("MyIngress.myTunnel_exact"),
			  (int64_t)1 << 40);
	if (!t)
		goto out;
	P4__Config__V1__MatchField *mf = p4i_table_add_match(b, t, 1, "hdr.myTunnel.dst_id", 16,
					P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__EXACT);
	P4__Config__V1__MatchField *mf2 = p4i_table_add_match(b, t, 2, "meta.odd", 8,
					P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__UNSPECIFIED);
	if (!mf || !mf2 || !p4i_table_add_action_ref(b, t, ID(P4I_ACTION, "MyIngress.myTunnel_forward"),
				P4__CONFIG__V1__ACTION_REF__SCOPE__TABLE_AND_DEFAULT))
		goto out;
	mf2->match_case = P4__CONFIG__V1__MATCH_FIELD__MATCH_OTHER_MATCH_TYPE;
	mf2->other_match_type = p4i_strdup(b, "dleft");
	t->const_default_action_id = ID(P4I_ACTION, "MyIngress.myTunnel_forward");
	t->is_const_table = 1;
	t->has_initial_entries = 1;

	if (!p4i_add_action(b, ID(P4I_ACTION, "NoAction"), "NoAction", NULL) ||
	    !p4i_add_action(b, ID(P4I_ACTION, "MyIngress.drop"), "MyIngress.drop", AL("MyIngress.drop")))
		goto out;
	P4__Config__V1__Action *a = p4i_add_action(b, ID(P4I_ACTION, "MyIngress.ipv4_forward"),
						   "MyIngress.ipv4_forward",
						   AL("MyIngress.ipv4_forward"));
	if (!a || !p4i_action_add_param(b, a, 1, "dstAddr", 48) ||
	    !p4i_action_add_param(b, a, 2, "port", 9))
		goto out;
	a = p4i_add_action(b, ID(P4I_ACTION, "MyIngress.set_tos"), "MyIngress.set_tos", NULL);
	if (!a || !p4i_action_add_param(b, a, 1, "tos", 0))  /* zero bitwidth: omitted */
		goto out;

	if (!p4i_add_counter(b, ID(P4I_COUNTER, "MyIngress.ingressTunnelCounter"),
			     "MyIngress.ingressTunnelCounter", AL("MyIngress.ingressTunnelCounter"),
			     P4__CONFIG__V1__COUNTER_SPEC__UNIT__BOTH, 65536) ||
	    !p4i_add_direct_counter(b, ID(P4I_DIRECT_COUNTER, "MyIngress.lpm_hits"),
				    "MyIngress.lpm_hits", AL("MyIngress.lpm_hits"),
				    P4__CONFIG__V1__COUNTER_SPEC__UNIT__PACKETS,
				    ID(P4I_TABLE, "MyIngress.ipv4_lpm")) ||
	    !p4i_add_meter(b, ID(P4I_METER, "MyIngress.rate"), "MyIngress.rate", AL("MyIngress.rate"),
			   P4__CONFIG__V1__METER_SPEC__UNIT__BYTES, 16) ||
	    !p4i_add_register(b, ID(P4I_REGISTER, "MyEgress.last_seen"), "MyEgress.last_seen",
			      AL("MyEgress.last_seen"), 256, 48))
		goto out;

	P4__Config__V1__ControllerPacketMetadata *cpm =
		p4i_add_controller_packet_metadata(b, ID(P4I_CONTROLLER_HEADER, "packet_in"),
						   "packet_in", AL("packet_in"));
	if (!cpm || !p4i_cpm_add_metadata(b, cpm, 1, "ingress_port", 9) ||
	    !p4i_cpm_add_metadata(b, cpm, 2, "_pad", 7) ||
	    p4i_preamble_annotate(b, cpm->preamble, "@controller_header(\"packet_in\")") < 0)
		goto out;
	r = 0;
out:
	if (r == -ENOMEM)
		p4l_errf(err, -ENOMEM, "out of memory building the sample P4Info");
	p4i_ids_free(ids);
	return r;
#undef ID
#undef AL
}

static P4__V1__Update *sample_update(struct p4i_builder *b)
{
	static const uint8_t ip[] = { 10, 0, 2, 22 };
	uint8_t all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)i;

	P4__V1__Update *u = NEW(b, P4__V1__Update, p4__v1__update__init);
	P4__V1__Entity *e = NEW(b, P4__V1__Entity, p4__v1__entity__init);
	P4__V1__TableEntry *te = NEW(b, P4__V1__TableEntry, p4__v1__table_entry__init);
	P4__V1__FieldMatch *m1 = NEW(b, P4__V1__FieldMatch, p4__v1__field_match__init);
	P4__V1__FieldMatch__LPM *lpm = NEW(b, P4__V1__FieldMatch__LPM, p4__v1__field_match__lpm__init);
	P4__V1__FieldMatch *m2 = NEW(b, P4__V1__FieldMatch, p4__v1__field_match__init);
	P4__V1__FieldMatch__Exact *ex = NEW(b, P4__V1__FieldMatch__Exact, p4__v1__field_match__exact__init);
	P4__V1__TableAction *ta = NEW(b, P4__V1__TableAction, p4__v1__table_action__init);
	P4__V1__Action *act = NEW(b, P4__V1__Action, p4__v1__action__init);
	P4__V1__Action__Param *p1 = NEW(b, P4__V1__Action__Param, p4__v1__action__param__init);
	if (!u || !e || !te || !m1 || !lpm || !m2 || !ex || !ta || !act || !p1)
		return NULL;
	u->type = P4__V1__UPDATE__TYPE__INSERT;
	u->entity = e;
	e->entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e->table_entry = te;
	te->table_id = 37375156;
	lpm->value = bytes(b, ip, sizeof ip);
	lpm->prefix_len = 32;
	m1->field_id = 1;
	m1->field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_LPM;
	m1->lpm = lpm;
	m2->field_id = 2;  /* an exact match on an empty value: the oneof is still set */
	m2->field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_EXACT;
	m2->exact = ex;
	if (P4I_APPEND(b, te->match, te->n_match, m1) < 0 ||
	    P4I_APPEND(b, te->match, te->n_match, m2) < 0)
		return NULL;
	p1->param_id = 2;
	p1->value = bytes(b, all, sizeof all);
	act->action_id = 28792405;
	if (P4I_APPEND(b, act->params, act->n_params, p1) < 0)
		return NULL;
	ta->type_case = P4__V1__TABLE_ACTION__TYPE_ACTION;
	ta->action = act;
	te->action = ta;
	te->priority = -5;
	te->controller_metadata = UINT64_MAX;
	te->idle_timeout_ns = INT64_MIN;
	te->metadata = bytes(b, "\0\001cookie\377", 9);
	return u;
}

static P4__V1__Update *sample_pre_update(struct p4i_builder *b)
{
	P4__V1__Update *u = NEW(b, P4__V1__Update, p4__v1__update__init);
	P4__V1__Entity *e = NEW(b, P4__V1__Entity, p4__v1__entity__init);
	P4__V1__PacketReplicationEngineEntry *pre =
		NEW(b, P4__V1__PacketReplicationEngineEntry, p4__v1__packet_replication_engine_entry__init);
	P4__V1__MulticastGroupEntry *mg = NEW(b, P4__V1__MulticastGroupEntry,
					      p4__v1__multicast_group_entry__init);
	P4__V1__Replica *r1 = NEW(b, P4__V1__Replica, p4__v1__replica__init);
	P4__V1__Replica *r2 = NEW(b, P4__V1__Replica, p4__v1__replica__init);
	P4__V1__BackupReplica *bk = NEW(b, P4__V1__BackupReplica, p4__v1__backup_replica__init);
	if (!u || !e || !pre || !mg || !r1 || !r2 || !bk)
		return NULL;
	u->type = P4__V1__UPDATE__TYPE__MODIFY;
	u->entity = e;
	e->entity_case = P4__V1__ENTITY__ENTITY_PACKET_REPLICATION_ENGINE_ENTRY;
	e->packet_replication_engine_entry = pre;
	pre->type_case = P4__V1__PACKET_REPLICATION_ENGINE_ENTRY__TYPE_MULTICAST_GROUP_ENTRY;
	pre->multicast_group_entry = mg;
	mg->multicast_group_id = 1;
	r1->port_kind_case = P4__V1__REPLICA__PORT_KIND_EGRESS_PORT;
	r1->egress_port = 0;  /* a oneof member at zero is still printed */
	r2->port_kind_case = P4__V1__REPLICA__PORT_KIND_PORT;
	r2->port = bytes(b, "\x01", 1);
	r2->instance = 4294967295u;
	bk->port = bytes(b, "eth9", 4);
	if (P4I_APPEND(b, r2->backup_replicas, r2->n_backup_replicas, bk) < 0 ||
	    P4I_APPEND(b, mg->replicas, mg->n_replicas, r1) < 0 ||
	    P4I_APPEND(b, mg->replicas, mg->n_replicas, r2) < 0)
		return NULL;
	return u;
}

static ProtobufCMessage *sample_write(struct p4i_builder *b)
{
	P4__V1__WriteRequest *w = NEW(b, P4__V1__WriteRequest, p4__v1__write_request__init);
	P4__V1__Uint128 *el = NEW(b, P4__V1__Uint128, p4__v1__uint128__init);
	P4__V1__Update *u1 = sample_update(b), *u2 = sample_pre_update(b);
	if (!w || !el || !u1 || !u2)
		return NULL;
	w->device_id = UINT64_MAX;
	w->role = p4i_strdup(b, "ctl");
	el->low = 1;
	w->election_id = el;
	w->atomicity = P4__V1__WRITE_REQUEST__ATOMICITY__ROLLBACK_ON_ERROR;
	if (P4I_APPEND(b, w->updates, w->n_updates, u1) < 0 ||
	    P4I_APPEND(b, w->updates, w->n_updates, u2) < 0)
		return NULL;
	return &w->base;
}

static ProtobufCMessage *sample_stream(struct p4i_builder *b)
{
	P4__V1__StreamMessageResponse *s = NEW(b, P4__V1__StreamMessageResponse,
					       p4__v1__stream_message_response__init);
	P4__V1__PacketIn *pin = NEW(b, P4__V1__PacketIn, p4__v1__packet_in__init);
	P4__V1__PacketMetadata *md = NEW(b, P4__V1__PacketMetadata, p4__v1__packet_metadata__init);
	if (!s || !pin || !md)
		return NULL;
	s->update_case = P4__V1__STREAM_MESSAGE_RESPONSE__UPDATE_PACKET;
	s->packet = pin;
	pin->payload = bytes(b, "\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00\x00\x01\x08\x06", 14);
	md->metadata_id = 1;
	md->value = bytes(b, "\x00\x03", 2);
	if (P4I_APPEND(b, pin->metadata, pin->n_metadata, md) < 0)
		return NULL;
	return &s->base;
}

static ProtobufCMessage *sample_digest(struct p4i_builder *b)
{
	P4__V1__StreamMessageResponse *s = NEW(b, P4__V1__StreamMessageResponse,
					       p4__v1__stream_message_response__init);
	P4__V1__DigestList *dl = NEW(b, P4__V1__DigestList, p4__v1__digest_list__init);
	P4__V1__P4Data *d = NEW(b, P4__V1__P4Data, p4__v1__p4_data__init);
	P4__V1__P4StructLike *st = NEW(b, P4__V1__P4StructLike, p4__v1__p4_struct_like__init);
	P4__V1__P4Data *m1 = NEW(b, P4__V1__P4Data, p4__v1__p4_data__init);
	P4__V1__P4Data *m2 = NEW(b, P4__V1__P4Data, p4__v1__p4_data__init);
	if (!s || !dl || !d || !st || !m1 || !m2)
		return NULL;
	s->update_case = P4__V1__STREAM_MESSAGE_RESPONSE__UPDATE_DIGEST;
	s->digest = dl;
	dl->digest_id = 0x17000001;
	dl->list_id = 1ull << 63;
	dl->timestamp = -1;
	m1->data_case = P4__V1__P4_DATA__DATA_BITSTRING;
	m1->bitstring = bytes(b, "\x0a\x00\x00\x01", 4);
	m2->data_case = P4__V1__P4_DATA__DATA_BOOL;
	m2->bool_ = 0;  /* false, but set: the oneof says so */
	if (P4I_APPEND(b, st->members, st->n_members, m1) < 0 ||
	    P4I_APPEND(b, st->members, st->n_members, m2) < 0)
		return NULL;
	d->data_case = P4__V1__P4_DATA__DATA_STRUCT;
	d->struct_ = st;
	if (P4I_APPEND(b, dl->data, dl->n_data, d) < 0)
		return NULL;
	return &s->base;
}

/* A P4Info whose type_info maps are filled out of key order (protoc prints
 * map entries sorted by key) and whose new type uses an empty-message oneof. */
static ProtobufCMessage *sample_maps(struct p4i_builder *b)
{
	static const char *const keys[] = { "zeta_t", "alpha_t", "mid_t" };
	P4__Config__V1__P4Info *pi = p4i_builder_p4info(b);
	P4__Config__V1__P4TypeInfo *ti = NEW(b, P4__Config__V1__P4TypeInfo,
					     p4__config__v1__p4_type_info__init);
	if (!ti)
		return NULL;
	pi->type_info = ti;
	for (int i = 0; i < 3; i++) {
		P4__Config__V1__P4TypeInfo__HeadersEntry *e =
			NEW(b, P4__Config__V1__P4TypeInfo__HeadersEntry,
			    p4__config__v1__p4_type_info__headers_entry__init);
		P4__Config__V1__P4HeaderTypeSpec *h = NEW(b, P4__Config__V1__P4HeaderTypeSpec,
							  p4__config__v1__p4_header_type_spec__init);
		P4__Config__V1__P4HeaderTypeSpec__Member *m =
			NEW(b, P4__Config__V1__P4HeaderTypeSpec__Member,
			    p4__config__v1__p4_header_type_spec__member__init);
		P4__Config__V1__P4BitstringLikeTypeSpec *bs =
			NEW(b, P4__Config__V1__P4BitstringLikeTypeSpec,
			    p4__config__v1__p4_bitstring_like_type_spec__init);
		P4__Config__V1__P4BitTypeSpec *bit = NEW(b, P4__Config__V1__P4BitTypeSpec,
							 p4__config__v1__p4_bit_type_spec__init);
		if (!e || !h || !m || !bs || !bit)
			return NULL;
		bit->bitwidth = 8 * (i + 1);
		bs->type_spec_case = P4__CONFIG__V1__P4_BITSTRING_LIKE_TYPE_SPEC__TYPE_SPEC_BIT;
		bs->bit = bit;
		m->name = p4i_strdup(b, "f");
		m->type_spec = bs;
		if (P4I_APPEND(b, h->members, h->n_members, m) < 0)
			return NULL;
		e->key = p4i_strdup(b, keys[i]);
		e->value = h;
		if (P4I_APPEND(b, ti->headers, ti->n_headers, e) < 0)
			return NULL;
	}
	P4__Config__V1__P4TypeInfo__NewTypesEntry *nt =
		NEW(b, P4__Config__V1__P4TypeInfo__NewTypesEntry,
		    p4__config__v1__p4_type_info__new_types_entry__init);
	P4__Config__V1__P4NewTypeSpec *ns = NEW(b, P4__Config__V1__P4NewTypeSpec,
						p4__config__v1__p4_new_type_spec__init);
	P4__Config__V1__P4NewTypeTranslation *tr = NEW(b, P4__Config__V1__P4NewTypeTranslation,
						       p4__config__v1__p4_new_type_translation__init);
	P4__Config__V1__P4NewTypeTranslation__SdnString *sdn =
		NEW(b, P4__Config__V1__P4NewTypeTranslation__SdnString,
		    p4__config__v1__p4_new_type_translation__sdn_string__init);
	if (!nt || !ns || !tr || !sdn)
		return NULL;
	tr->uri = p4i_strdup(b, "p4lab.org/port_t");
	tr->sdn_type_case = P4__CONFIG__V1__P4_NEW_TYPE_TRANSLATION__SDN_TYPE_SDN_STRING;
	tr->sdn_string = sdn;
	ns->representation_case = P4__CONFIG__V1__P4_NEW_TYPE_SPEC__REPRESENTATION_TRANSLATED_TYPE;
	ns->translated_type = tr;
	nt->key = p4i_strdup(b, "port_t");
	nt->value = ns;
	if (P4I_APPEND(b, ti->new_types, ti->n_new_types, nt) < 0)
		return NULL;
	return &pi->base;
}

int sample_binary(const char *name, uint8_t **out, size_t *len, struct p4l_err *err)
{
	struct p4i_builder *b = p4i_builder_new();
	ProtobufCMessage *m = NULL;
	int r = 0;
	*out = NULL;
	*len = 0;
	if (!b)
		return p4l_errf(err, -ENOMEM, "out of memory");
	if (!strcmp(name, "p4info")) {
		r = sample_p4info(b, err);
		m = &p4i_builder_p4info(b)->base;
	} else if (!strcmp(name, "write")) {
		m = sample_write(b);
	} else if (!strcmp(name, "stream")) {
		m = sample_stream(b);
	} else if (!strcmp(name, "maps")) {
		m = sample_maps(b);
	} else if (!strcmp(name, "digest")) {
		m = sample_digest(b);
	} else {
		r = p4l_errf(err, -EINVAL, "no sample named '%s'", name);
	}
	if (r == 0 && !m)
		r = p4l_errf(err, -ENOMEM, "out of memory building sample '%s'", name);
	if (r == 0) {
		size_t n = protobuf_c_message_get_packed_size(m);
		*out = malloc(n ? n : 1);
		if (!*out) {
			r = p4l_errf(err, -ENOMEM, "out of memory");
		} else {
			protobuf_c_message_pack(m, *out);
			*len = n;
		}
	}
	p4i_builder_free(b);
	return r;
}
