/* transport.h - the gRPC server transport of the P4Runtime server (prefix p4rtt_).
 *
 * The only server-side file that calls the gRPC C core (grpc_transport.c):
 * the core API is not promised stable, so it stays behind these few calls.
 * One thread drives one completion queue; every RPC is a p4rtt_call that
 * delivers the client's messages to the handlers and sends whatever the
 * service queues on it.  Messages are opaque bytes here (protobuf-c lives in
 * server.c).
 *
 * Threads: handlers run on the transport thread, one at a time, with the
 * transport's lock held.  p4rtt_send/p4rtt_finish may be called from any
 * thread (the lock is recursive, so handlers call them too).  Called by
 * server.c only. */
#ifndef P4RTT_TRANSPORT_H
#define P4RTT_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct p4rtt_server;
struct p4rtt_call;

/* gRPC status codes (google.rpc.Code): same numbers on the wire. */
#define P4RT_CODES(X)                                                               \
	X(OK, 0) X(CANCELLED, 1) X(UNKNOWN, 2) X(INVALID_ARGUMENT, 3)                \
	X(DEADLINE_EXCEEDED, 4) X(NOT_FOUND, 5) X(ALREADY_EXISTS, 6)                 \
	X(PERMISSION_DENIED, 7) X(RESOURCE_EXHAUSTED, 8) X(FAILED_PRECONDITION, 9)   \
	X(ABORTED, 10) X(OUT_OF_RANGE, 11) X(UNIMPLEMENTED, 12) X(INTERNAL, 13)      \
	X(UNAVAILABLE, 14) X(DATA_LOSS, 15) X(UNAUTHENTICATED, 16)

struct p4rtt_handlers {
	void *ctx;
	/* A new RPC for method ("/p4.v1.P4Runtime/Write").  The call lives
	 * until on_done. */
	void (*on_call)(void *ctx, struct p4rtt_call *c, const char *method);
	/* One message from the client; data NULL when the client half-closed. */
	void (*on_message)(void *ctx, struct p4rtt_call *c, const uint8_t *data, size_t len);
	/* The call is over (finished or cancelled); c is freed on return. */
	void (*on_done)(void *ctx, struct p4rtt_call *c);
};

/* Listens on addr ("127.0.0.1:9559"; port 0 picks a free one) and starts the
 * transport thread.  -EADDRINUSE (or -EINVAL) with a message if it cannot bind. */
int p4rtt_start(struct p4rtt_server **out, const char *addr, const struct p4rtt_handlers *h,
		struct p4l_err *err);
/* The port bound. */
int p4rtt_port(const struct p4rtt_server *s);
/* Cancels every call (on_done runs for each), stops and frees.  Accepts NULL. */
void p4rtt_stop(struct p4rtt_server *s);

/* Queues one message; data is copied.  -EPIPE once the call is finished. */
int p4rtt_send(struct p4rtt_call *c, const uint8_t *data, size_t len);
/* Ends the call after the queued messages: status code, message and, when
 * details is not NULL, a grpc-status-details-bin trailer (a packed
 * google.rpc.Status).  Further sends and finishes are ignored. */
void p4rtt_finish(struct p4rtt_call *c, int code, const char *msg, const uint8_t *details,
		  size_t details_len);

/* The service's own state for a call. */
void p4rtt_set_user(struct p4rtt_call *c, void *user);
void *p4rtt_user(const struct p4rtt_call *c);

/* Takes/releases the transport lock (the one handlers run under), for
 * threads other than the transport's that touch the service's state. */
void p4rtt_lock(struct p4rtt_server *s);
void p4rtt_unlock(struct p4rtt_server *s);

#endif
