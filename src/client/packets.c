/* packets.c - PacketOut and the metadata of PacketIn events by P4Info name
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
