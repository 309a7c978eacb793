/* transport.h - the client side's gRPC transport (prefix p4rtc_), internal to
 * src/client.
 *
 * The only client file that calls the gRPC C core (grpc_client.c).  A loop
 * is one completion queue; channels are opened on a loop (their own, or one
 * shared by many channels, so that one thread drives calls to many devices
 * at once).  Nothing runs in the background: p4rtc_loop_run, and every
 * blocking call below, drives the loop, which runs the done callbacks of the
 * calls that ended and files what arrives on open streams in their inbox.
 * So a loop and its channels belong to one thread at a time; many loops may
 * live in one process. */
#ifndef P4RTC_TRANSPORT_H
#define P4RTC_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct p4rtc_loop;
struct p4rtc_chan;

/* The status an RPC ended with; details is the grpc-status-details-bin
 * trailer (a packed google.rpc.Status) or NULL. */
struct p4rtc_status {
	int code;
	char msg[512];
	uint8_t *details;
	size_t details_len;
};
void p4rtc_status_clear(struct p4rtc_status *st);

/* A loop (initialises gRPC).  Channels hold a reference: the loop goes
 * when p4rtc_loop_unref has been called and its last channel is closed. */
int p4rtc_loop_new(struct p4rtc_loop **out, struct p4l_err *err);
void p4rtc_loop_unref(struct p4rtc_loop *l);   /* accepts NULL */
/* Waits up to timeout_ms (-1: forever) for something to happen, then
 * handles everything that is ready without waiting more: returns how many
 * completions it handled (0: the time passed). */
int p4rtc_loop_run(struct p4rtc_loop *l, int timeout_ms);

/* Connects to addr ("127.0.0.1:9559") on loop (NULL: a loop of its own),
 * waiting up to timeout_ms for the connection; -ECONNREFUSED with a message
 * when it cannot be made. */
int p4rtc_open(struct p4rtc_chan **out, const char *addr, int timeout_ms, struct p4rtc_loop *loop,
	       struct p4l_err *err);
/* Cancels the calls in flight (their done callbacks run, CANCELLED), ends
 * the stream, closes.  Accepts NULL. */
void p4rtc_close(struct p4rtc_chan *ch);
struct p4rtc_loop *p4rtc_loop_of(const struct p4rtc_chan *ch);

/* A unary or server-streaming RPC: sends req and returns at once; fn is
 * called for each response message (fn returning < 0 cancels the call) and
 * done once it ended (st is freed after done returns), both from a run of
 * the loop.  0, or a negative errno when the call could not be started
 * (then done is never called). */
int p4rtc_call_start(struct p4rtc_chan *ch, const char *method, const uint8_t *req, size_t len,
		     int (*fn)(void *ctx, const uint8_t *msg, size_t len),
		     void (*done)(void *ctx, struct p4rtc_status *st), void *ctx, int timeout_ms);
/* The same, waiting for its end: fills st.  Returns 0 when the RPC ran
 * (st->code says how it ended), a negative errno when it could not be made. */
int p4rtc_call(struct p4rtc_chan *ch, const char *method, const uint8_t *req, size_t len,
	       int (*fn)(void *ctx, const uint8_t *msg, size_t len), void *ctx,
	       int timeout_ms, struct p4rtc_status *st);
/* Calls of this channel in flight. */
size_t p4rtc_in_flight(const struct p4rtc_chan *ch);

/* The bidirectional stream (one per channel). */
int p4rtc_stream_open(struct p4rtc_chan *ch, const char *method, struct p4l_err *err);
int p4rtc_stream_send(struct p4rtc_chan *ch, const uint8_t *msg, size_t len);
/* Next message from the server: returns its length and sets *msg (free()),
 * 0 when timeout_ms passed with nothing, -EPIPE once the stream ended (then
 * *st, if not NULL, gets its status).  Runs the loop while it waits. */
int p4rtc_stream_next(struct p4rtc_chan *ch, uint8_t **msg, int timeout_ms,
		      struct p4rtc_status *st);
/* A message (or the stream's end) is waiting: p4rtc_stream_next(ch, .., 0)
 * would not return 0. */
bool p4rtc_stream_ready(const struct p4rtc_chan *ch);
bool p4rtc_stream_open_p(const struct p4rtc_chan *ch);

#endif
