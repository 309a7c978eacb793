/* packetio.c - PacketIn and PacketOut through the CPU port.
 *
 * The program's @controller_header("packet_in") header is the first bytes
 * of what it sends to the CPU port; its fields become the PacketIn's
 * metadata, the rest its payload.  A PacketOut goes the other way: its
 * metadata make the @controller_header("packet_out") header in front of the
 * payload, and the whole enters the pipeline on the CPU port.  Fields are
 * packed most significant bit first, in P4Info order.
 *
 * The waker is the thread that hands CPU-port packets (and digests) to
 * server.c: the dataplane only signals an eventfd (never a lock the gRPC
 * side holds); the waker runs server.c's callback, which may block on the
 * transport, and sleeps as long as the callback asks. */
#include "server_int.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct p4rts_waker {
	int fd, stop_fd;
	pthread_t thread;
	int (*fn)(void *ctx);
	void *ctx;
};

static void *wake_loop(void *arg)
{
	struct p4rts_waker *w = arg;
	struct pollfd pfd[2] = { { w->fd, POLLIN, 0 }, { w->stop_fd, POLLIN, 0 } };
	int timeout = -1;
	for (;;) {
		int n = poll(pfd, 2, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents)
			break;
		uint64_t v;
		if (pfd[0].revents && read(w->fd, &v, sizeof(v)) != sizeof(v))
			continue;
		timeout = w->fn(w->ctx);
	}
	return NULL;
}

int p4rts_waker_start(struct p4rts_waker **out, int (*fn)(void *ctx), void *ctx,
		      struct p4l_err *err)
{
	struct p4rts_waker *w = calloc(1, sizeof(*w));
	if (!w)
		return p4l_errf(err, -ENOMEM, "out of memory");
	w->fn = fn;
	w->ctx = ctx;
	w->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	w->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int e = w->fd < 0 || w->stop_fd < 0 ? errno : pthread_create(&w->thread, NULL, wake_loop, w);
	if (e) {
		if (w->fd >= 0)
			close(w->fd);
		if (w->stop_fd >= 0)
			close(w->stop_fd);
		free(w);
		return p4l_errf(err, -e, "the packet-in thread: %s", strerror(e));
	}
	*out = w;
	return 0;
}

int p4rts_waker_fd(const struct p4rts_waker *w) { return w->fd; }

void p4rts_waker_kick(struct p4rts_waker *w)
{
	uint64_t one = 1;
	if (write(w->fd, &one, sizeof(one)) < 0) {
		/* a full counter wakes the thread all the same */
	}
}

void p4rts_waker_stop(struct p4rts_waker *w)
{
	if (!w)
		return;
	uint64_t one = 1;
	while (write(w->stop_fd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
	pthread_join(w->thread, NULL);
	close(w->fd);
	close(w->stop_fd);
	free(w);
}

/* ---- headers --------------------------------------------------------------------- */

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

static size_t header_bits(const P4__Config__V1__ControllerPacketMetadata *c)
{
	size_t bits = 0;
	for (size_t i = 0; c && i < c->n_metadata; i++)
		bits += (size_t)c->metadata[i]->bitwidth;
	return bits;
}

static int get_bit(const uint8_t *p, size_t bit)
{
	return p[bit / 8] >> (7 - bit % 8) & 1;
}

static void set_bit(uint8_t *p, size_t bit, int v)
{
	if (v)
		p[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
}

int p4rts_packet_in(const P4__Config__V1__P4Info *info, const uint8_t *pkt, size_t len,
		    uint8_t **out, size_t *out_len)
{
	const P4__Config__V1__ControllerPacketMetadata *c = cpm(info, "packet_in");
	size_t bits = header_bits(c), hl = (bits + 7) / 8, n = c ? c->n_metadata : 0;
	if (hl > len)
		return -EINVAL;   /* shorter than its own header: not from this program */
	P4__V1__PacketMetadata *md = calloc(n + 1, sizeof(*md)), **mdp = calloc(n + 1, sizeof(*mdp));
	uint8_t *vals = calloc(n + 1, 16);
	int r = -ENOMEM;
	if (!md || !mdp || !vals)
		goto out;
	size_t off = 0;
	for (size_t i = 0; i < n; i++) {
		const P4__Config__V1__ControllerPacketMetadata__Metadata *m = c->metadata[i];
		size_t w = (size_t)m->bitwidth, nb = (w + 7) / 8;
		uint8_t v[16] = { 0 };
		r = -EINVAL;
		if (nb > sizeof(v))
			goto out;
		/* right-aligned value of bits [off, off + w) */
		for (size_t b = 0; b < w; b++)
			set_bit(v, (sizeof(v) * 8 - w) + b, get_bit(pkt, off + b));
		off += w;
		size_t skip = 0;
		while (skip < sizeof(v) - 1 && !v[skip])
			skip++;
		memcpy(vals + 16 * i, v + skip, sizeof(v) - skip);
		p4__v1__packet_metadata__init(&md[i]);
		md[i].metadata_id = m->id;
		md[i].value = (ProtobufCBinaryData){ sizeof(v) - skip, vals + 16 * i };
		mdp[i] = &md[i];
	}
	P4__V1__PacketIn pin;
	P4__V1__StreamMessageResponse resp;
	p4__v1__packet_in__init(&pin);
	p4__v1__stream_message_response__init(&resp);
	pin.payload = (ProtobufCBinaryData){ len - hl, (uint8_t *)pkt + hl };
	pin.n_metadata = n;
	pin.metadata = mdp;
	resp.update_case = P4__V1__STREAM_MESSAGE_RESPONSE__UPDATE_PACKET;
	resp.packet = &pin;
	*out_len = p4__v1__stream_message_response__get_packed_size(&resp);
	r = -ENOMEM;
	if (!(*out = malloc(*out_len ? *out_len : 1)))
		goto out;
	p4__v1__stream_message_response__pack(&resp, *out);
	r = 0;
out:
	free(md);
	free(mdp);
	free(vals);
	return r;
}

int p4rts_packet_out(const P4__Config__V1__P4Info *info, const P4__V1__PacketOut *po,
		     uint8_t **pkt, size_t *len, struct p4rts_status *st)
{
	const P4__Config__V1__ControllerPacketMetadata *c = cpm(info, "packet_out");
	size_t bits = header_bits(c), hl = (bits + 7) / 8, n = c ? c->n_metadata : 0;
	if (!c && po->n_metadata)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "PacketOut: the program has no "
				"@controller_header(\"packet_out\"), yet metadata were given");
	uint8_t *buf = calloc(1, hl + po->payload.len + 1);
	if (!buf)
		return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	for (size_t k = 0; k < po->n_metadata; k++) {
		size_t i = 0;
		while (i < n && c->metadata[i]->id != po->metadata[k]->metadata_id)
			i++;
		if (i == n) {
			free(buf);
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "PacketOut: packet_out has no "
					"metadata %u", po->metadata[k]->metadata_id);
		}
	}
	size_t off = 0;
	for (size_t i = 0; i < n; i++) {
		const P4__Config__V1__ControllerPacketMetadata__Metadata *m = c->metadata[i];
		size_t w = (size_t)m->bitwidth;
		const ProtobufCBinaryData *v = NULL;
		for (size_t k = 0; k < po->n_metadata; k++)
			if (po->metadata[k]->metadata_id == m->id)
				v = &po->metadata[k]->value;
		/* a field left out is 0 (padding, typically) */
		if (v) {
			size_t skip = 0, vb;
			while (skip < v->len && !v->data[skip])
				skip++;
			vb = (v->len - skip) * 8;
			if (skip < v->len) {
				uint8_t top = v->data[skip];
				while (!(top & 0x80))
					top = (uint8_t)(top << 1), vb--;
			}
			if (vb > w) {
				free(buf);
				return p4rts_st(st, P4RT_INVALID_ARGUMENT, "PacketOut: metadata %s: "
						"value does not fit in %zu bits", m->name, w);
			}
			/* bit b of the field is bit w - 1 - b from the right of v */
			for (size_t b = 0; b < w; b++) {
				size_t right = w - 1 - b;
				if (right < v->len * 8)
					set_bit(buf, off + b, get_bit(v->data, v->len * 8 - 1 - right));
			}
		}
		off += w;
	}
	memcpy(buf + hl, po->payload.data, po->payload.len);
	*pkt = buf;
	*len = hl + po->payload.len;
	return 0;
}
