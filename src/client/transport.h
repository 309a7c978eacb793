/* transport.h - the client side's gRPC transport (prefix p4rtc_), internal to
 * src/client.
 *
 * The only client file that calls the gRPC C core (grpc_client.c).  A
 * channel owns one completion queue; nothing runs in the background: every
 * call below drives the queue until what it waits for is done, and meanwhile
 * files what arrives on the open stream in the stream's inbox.  So a channel
 * belongs to one thread at a time; many channels may live in one process. */
#ifndef P4RTC_TRANSPORT_H
#define P4RTC_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct p4rtc_chan;
struct p4rtc_stream;

/* The status an RPC ended with; details is the grpc-status-details-bin
 * trailer (a packed google.rpc.Status) or NULL. */
struct p4rtc_status {
	int code;
	char msg[512];
	uint8_t *details;
	size_t details_len;
};
void p4rtc_status_clear(struct p4rtc_status *st);

/* Connects to addr ("127.0.0.1:9559"), waiting up to timeout_ms for the
 * connection; -ECONNREFUSED with a message when it cannot be made. */
int p4rtc_open(struct p4rtc_chan **out, const char *addr, int timeout_ms,
	       struct p4l_err *err);
void p4rtc_close(struct p4rtc_chan *ch);   /* accepts NULL; ends the stream too */

/* A unary or server-streaming RPC: sends req, calls fn for each response
 * message (fn returning < 0 cancels the call) and fills st.  Returns 0 when
 * the RPC ran (st->code says how it ended), a negative errno when it could
 * not be made. */
int p4rtc_call(struct p4rtc_chan *ch, const char *method, const uint8_t *req, size_t len,
	       int (*fn)(void *ctx, const uint8_t *msg, size_t len), void *ctx,
	       int timeout_ms, struct p4rtc_status *st);

/* The bidirectional stream (one per channel). */
int p4rtc_stream_open(struct p4rtc_chan *ch, const char *method, struct p4l_err *err);
int p4rtc_stream_send(struct p4rtc_chan *ch, const uint8_t *msg, size_t len);
/* Next message from the server: returns its length and sets *msg (free()),
 * 0 when timeout_ms passed with nothing, -EPIPE once the stream ended (then
 * *st, if not NULL, gets its status). */
int p4rtc_stream_next(struct p4rtc_chan *ch, uint8_t **msg, int timeout_ms,
		      struct p4rtc_status *st);
bool p4rtc_stream_open_p(const struct p4rtc_chan *ch);

#endif
