/* packets.c - PacketOut, the metadata of PacketIn events and digests by P4Info name
 * (p4rt_client.h).  The packet_in / packet_out headers are the P4Info's
 * controller_packet_metadata of those names. */
#include "client_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const P4__Config__V1__ControllerPacketMetadata *cpm(const P4__Config__V1__P4Info *info,
							  const char *name)
{
	for (size_t i = 0; info && i < info->n_controller_packet_metadata; i++) {
		const P4__Config__V1__ControllerPacketMetadata *c = info->controller_packet_metadata[i];
		if (c->preamble && c->preamble->name && !strcmp(c->preamble->name, name))
			return c;
	}
	return NULL;
}

int p4rt_event_metadata(const struct p4rt_client *c, const struct p4rt_event *ev,
			const char *name, uint64_t *value)
{
	const P4__Config__V1__ControllerPacketMetadata *pin = cpm(c->p4info, "packet_in");
	uint32_t id = 0;
	for (size_t i = 0; pin && i < pin->n_metadata; i++)
		if (!strcmp(pin->metadata[i]->name, name))
			id = pin->metadata[i]->id;
	if (!id)
		return -ENOENT;
	for (size_t i = 0; i < ev->n_metadata; i++) {
		const struct p4rt_metadata *m = &ev->metadata[i];
		if (m->id != id)
			continue;
		if (m->len > 8)
			return -ERANGE;
		*value = 0;
		for (size_t k = 0; k < m->len; k++)
			*value = *value << 8 | m->value[k];
		return 0;
	}
	return -ENOENT;
}

int p4rt_packet_out(struct p4rt_client *c, const uint8_t *payload, size_t len,
		    const char *metadata, struct p4l_err *err)
{
	const P4__Config__V1__ControllerPacketMetadata *pout = cpm(c->p4info, "packet_out");
	P4__V1__PacketMetadata md[P4RT_MAX_METADATA], *mdp[P4RT_MAX_METADATA];
	uint8_t vals[P4RT_MAX_METADATA][64];
	size_t n = 0;
	char *copy = strdup(metadata ? metadata : ""), *save = NULL;
	int r = 0;
	if (!copy)
		return p4l_errf(err, -ENOMEM, "out of memory");
	for (char *kv = strtok_r(copy, ",", &save); kv && !r; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');
		const P4__Config__V1__ControllerPacketMetadata__Metadata *f = NULL;
		if (eq)
			*eq = 0;
		for (size_t i = 0; pout && i < pout->n_metadata; i++)
			if (!strcmp(pout->metadata[i]->name, kv))
				f = pout->metadata[i];
		if (!f) {
			r = p4l_errf(err, -ENOENT, "PacketOut: %s has no field '%s'",
				     pout ? "packet_out" : "the P4Info (no packet_out header)", kv);
			break;
		}
		if (!eq || n == P4RT_MAX_METADATA) {
			r = p4l_errf(err, -EINVAL, "PacketOut: '%s' needs =VALUE (and at most %d "
				     "fields)", kv, P4RT_MAX_METADATA);
			break;
		}
		int vl = p4rt_parse_value(eq + 1, (uint32_t)f->bitwidth, vals[n]);
		if (vl < 0) {
			r = p4l_errf(err, vl, "PacketOut: %s: '%s' is not a value of %d bits", kv,
				     eq + 1, f->bitwidth);
			break;
		}
		p4__v1__packet_metadata__init(&md[n]);
		md[n].metadata_id = f->id;
		md[n].value = (ProtobufCBinaryData){ (size_t)vl, vals[n] };
		mdp[n] = &md[n];
		n++;
	}
	free(copy);
	if (r < 0)
		return r;
	P4__V1__StreamMessageRequest req;
	P4__V1__PacketOut po;
	p4__v1__stream_message_request__init(&req);
	p4__v1__packet_out__init(&po);
	po.payload = (ProtobufCBinaryData){ len, (uint8_t *)payload };
	po.n_metadata = n;
	po.metadata = mdp;
	req.update_case = P4__V1__STREAM_MESSAGE_REQUEST__UPDATE_PACKET;
	req.packet = &po;
	size_t plen = p4__v1__stream_message_request__get_packed_size(&req);
	uint8_t *buf = malloc(plen ? plen : 1);
	if (!buf)
		return p4l_errf(err, -ENOMEM, "out of memory");
	p4__v1__stream_message_request__pack(&req, buf);
	r = p4rtc_stream_send(c->ch, buf, plen);
	free(buf);
	if (r < 0)
		return p4l_errf(err, r == -EPIPE ? -ENOTCONN : r, "PacketOut: %s",
				r == -EPIPE ? "no open stream (arbitrate first)" : "out of memory");
	return 0;
}

int p4rt_digest_enable(struct p4rt_client *c, const char *name, int64_t max_timeout_ns,
		       int32_t max_list_size, int64_t ack_timeout_ns, struct p4l_err *err)
{
	const P4__Config__V1__P4Info *info = c->p4info;
	uint32_t id = 0;
	if (!info)
		return p4l_errf(err, -ENXIO, "no P4Info: push a pipeline or fetch the device's first");
	for (size_t i = 0; i < info->n_digests; i++) {
		const P4__Config__V1__Preamble *p = info->digests[i]->preamble;
		if (!strcmp(p->name, name) || (p->alias && !strcmp(p->alias, name)))
			id = p->id;
	}
	if (!id)
		return p4l_errf(err, -ENOENT, "the P4Info has no digest named '%s'", name);
	P4__V1__Entity e;
	P4__V1__DigestEntry de;
	P4__V1__DigestEntry__Config cfg;
	P4__V1__Update u, *up = &u;
	p4__v1__entity__init(&e);
	p4__v1__digest_entry__init(&de);
	p4__v1__digest_entry__config__init(&cfg);
	p4__v1__update__init(&u);
	cfg.max_timeout_ns = max_timeout_ns;
	cfg.max_list_size = max_list_size;
	cfg.ack_timeout_ns = ack_timeout_ns;
	de.digest_id = id;
	de.config = &cfg;
	e.entity_case = P4__V1__ENTITY__ENTITY_DIGEST_ENTRY;
	e.digest_entry = &de;
	u.type = P4__V1__UPDATE__TYPE__INSERT;
	u.entity = &e;
	int r = p4rt_write(c, &up, 1, err);
	if (r == -EIO && c->n_uerr == 1)
		r = p4l_errf(err, p4rt_errno(c->uerr[0].code), "%s: %s",
			     p4rt_code_name(c->uerr[0].code), c->uerr[0].msg);
	return r;
}

int p4rt_digest_ack(struct p4rt_client *c, uint32_t digest_id, uint64_t list_id,
		    struct p4l_err *err)
{
	P4__V1__StreamMessageRequest req;
	P4__V1__DigestListAck ack;
	p4__v1__stream_message_request__init(&req);
	p4__v1__digest_list_ack__init(&ack);
	ack.digest_id = digest_id;
	ack.list_id = list_id;
	req.update_case = P4__V1__STREAM_MESSAGE_REQUEST__UPDATE_DIGEST_ACK;
	req.digest_ack = &ack;
	size_t len = p4__v1__stream_message_request__get_packed_size(&req);
	uint8_t buf[len ? len : 1];
	p4__v1__stream_message_request__pack(&req, buf);
	int r = p4rtc_stream_send(c->ch, buf, len);
	if (r < 0)
		return p4l_errf(err, r == -EPIPE ? -ENOTCONN : r, "DigestListAck: %s",
				r == -EPIPE ? "no open stream (arbitrate first)" : "out of memory");
	return 0;
}
