/* grpc_transport.c - transport.h over the gRPC C core (server side).
 *
 * Every RPC is served generically (grpc_server_request_call): the method
 * comes with the call, so the service decides what it is.  Per call there is
 * at most one receive, one send (message or status) and the close watch in
 * flight; queued messages go out one at a time, then the status.  A call is
 * freed when its close has been seen and none of its operations is pending. */
#include "transport.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/slice.h>
#include <grpc/support/log.h>

enum op_kind { OP_NEW, OP_RECV, OP_SEND, OP_CLOSE, OP_SHUTDOWN };

struct tag {
	enum op_kind kind;
	struct p4rtt_call *call;
};

struct msg {
	struct msg *next;
	size_t len;
	uint8_t data[];
};

struct p4rtt_call {
	struct p4rtt_server *srv;
	struct p4rtt_call *next, *prev;
	grpc_call *call;
	grpc_call_details details;
	grpc_metadata_array req_md;
	struct tag t_new, t_recv, t_send, t_close;
	grpc_byte_buffer *recv_buf;
	int cancelled;
	int pending;                 /* operations in flight */
	bool started, recv_on, send_on, md_sent, closed, finishing, status_sent;
	struct msg *head, **tail;
	/* the status, kept alive until its operation completes */
	int code;
	grpc_slice status_msg;
	grpc_metadata trailer;
	bool has_trailer, has_status;
	void *user;
};

struct p4rtt_server {
	grpc_server *server;
	grpc_completion_queue *cq;
	pthread_t thread;
	pthread_mutex_t lock;
	struct p4rtt_handlers h;
	int port;
	struct p4rtt_call *incoming;  /* the call object of the pending request */
	struct p4rtt_call *calls;     /* started calls */
	struct tag t_shutdown;
	bool stopping, shutdown_seen, cq_down;
};

void p4rtt_lock(struct p4rtt_server *s) { pthread_mutex_lock(&s->lock); }
void p4rtt_unlock(struct p4rtt_server *s) { pthread_mutex_unlock(&s->lock); }
void p4rtt_set_user(struct p4rtt_call *c, void *user) { c->user = user; }
void *p4rtt_user(const struct p4rtt_call *c) { return c->user; }
int p4rtt_port(const struct p4rtt_server *s) { return s->port; }

static void request_next(struct p4rtt_server *s)
{
	struct p4rtt_call *c = calloc(1, sizeof(*c));
	if (!c)
		return;   /* no new calls until memory comes back; the next event retries */
	c->srv = s;
	c->tail = &c->head;
	c->t_new = (struct tag){ OP_NEW, c };
	c->t_recv = (struct tag){ OP_RECV, c };
	c->t_send = (struct tag){ OP_SEND, c };
	c->t_close = (struct tag){ OP_CLOSE, c };
	grpc_call_details_init(&c->details);
	grpc_metadata_array_init(&c->req_md);
	if (grpc_server_request_call(s->server, &c->call, &c->details, &c->req_md, s->cq, s->cq,
				     &c->t_new) != GRPC_CALL_OK) {
		grpc_call_details_destroy(&c->details);
		grpc_metadata_array_destroy(&c->req_md);
		free(c);
		return;
	}
	s->incoming = c;
}

static void free_call(struct p4rtt_call *c)
{
	struct p4rtt_server *s = c->srv;
	if (c->started) {
		if (c->prev)
			c->prev->next = c->next;
		else
			s->calls = c->next;
		if (c->next)
			c->next->prev = c->prev;
	}
	for (struct msg *m = c->head, *n; m; m = n) {
		n = m->next;
		free(m);
	}
	if (c->recv_buf)
		grpc_byte_buffer_destroy(c->recv_buf);
	if (c->has_status)
		grpc_slice_unref(c->status_msg);
	if (c->has_trailer)
		grpc_slice_unref(c->trailer.value);
	grpc_call_details_destroy(&c->details);
	grpc_metadata_array_destroy(&c->req_md);
	if (c->call)
		grpc_call_unref(c->call);
	free(c);
}

static void maybe_free(struct p4rtt_call *c)
{
	if (c->closed && !c->pending)
		free_call(c);
}

static void start_recv(struct p4rtt_call *c)
{
	grpc_op op = { .op = GRPC_OP_RECV_MESSAGE };
	op.data.recv_message.recv_message = &c->recv_buf;
	if (grpc_call_start_batch(c->call, &op, 1, &c->t_recv, NULL) == GRPC_CALL_OK) {
		c->recv_on = true;
		c->pending++;
	}
}

/* Starts the next send: a queued message, else the status once finishing. */
static void pump(struct p4rtt_call *c)
{
	if (c->send_on || c->status_sent || c->closed)
		return;
	grpc_op ops[2];
	size_t n = 0;
	grpc_slice sl;
	grpc_byte_buffer *bb = NULL;
	memset(ops, 0, sizeof(ops));
	if (!c->md_sent) {
		ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
		c->md_sent = true;
	}
	if (c->head) {
		struct msg *m = c->head;
		if (!(c->head = m->next))
			c->tail = &c->head;
		sl = grpc_slice_from_copied_buffer((const char *)m->data, m->len);
		free(m);
		bb = grpc_raw_byte_buffer_create(&sl, 1);
		grpc_slice_unref(sl);
		ops[n].op = GRPC_OP_SEND_MESSAGE;
		ops[n++].data.send_message.send_message = bb;
	} else if (c->finishing) {
		ops[n].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
		ops[n].data.send_status_from_server.status = (grpc_status_code)c->code;
		ops[n].data.send_status_from_server.status_details = &c->status_msg;
		if (c->has_trailer) {
			ops[n].data.send_status_from_server.trailing_metadata_count = 1;
			ops[n].data.send_status_from_server.trailing_metadata = &c->trailer;
		}
		n++;
		c->status_sent = true;
	} else {
		if (n)
			c->md_sent = false;
		return;
	}
	grpc_call_error e = grpc_call_start_batch(c->call, ops, n, &c->t_send, NULL);
	/* The core keeps its own reference to the payload. */
	if (bb)
		grpc_byte_buffer_destroy(bb);
	if (e == GRPC_CALL_OK) {
		c->send_on = true;
		c->pending++;
	}
}

int p4rtt_send(struct p4rtt_call *c, const uint8_t *data, size_t len)
{
	struct p4rtt_server *s = c->srv;
	int r = 0;
	pthread_mutex_lock(&s->lock);
	if (c->finishing || c->closed) {
		r = -EPIPE;
	} else {
		struct msg *m = malloc(sizeof(*m) + len);
		if (!m) {
			r = -ENOMEM;
		} else {
			m->next = NULL;
			m->len = len;
			if (len)
				memcpy(m->data, data, len);
			*c->tail = m;
			c->tail = &m->next;
			pump(c);
		}
	}
	pthread_mutex_unlock(&s->lock);
	return r;
}

void p4rtt_finish(struct p4rtt_call *c, int code, const char *msg, const uint8_t *details,
		  size_t details_len)
{
	struct p4rtt_server *s = c->srv;
	pthread_mutex_lock(&s->lock);
	if (!c->finishing && !c->closed) {
		c->finishing = true;
		c->code = code;
		c->status_msg = grpc_slice_from_copied_string(msg ? msg : "");
		c->has_status = true;
		if (details) {
			c->trailer.key = grpc_slice_from_static_string("grpc-status-details-bin");
			c->trailer.value = grpc_slice_from_copied_buffer((const char *)details,
									 details_len);
			c->has_trailer = true;
		}
		pump(c);
	}
	pthread_mutex_unlock(&s->lock);
}

static void on_new(struct p4rtt_server *s, struct p4rtt_call *c, int ok)
{
	s->incoming = NULL;
	if (!ok || s->stopping) {
		if (c->call)
			grpc_call_cancel(c->call, NULL);
		c->closed = true;
		maybe_free(c);
		if (!s->stopping)
			request_next(s);
		return;
	}
	request_next(s);
	c->started = true;
	c->next = s->calls;
	if (s->calls)
		s->calls->prev = c;
	s->calls = c;
	grpc_op op = { .op = GRPC_OP_RECV_CLOSE_ON_SERVER };
	op.data.recv_close_on_server.cancelled = &c->cancelled;
	if (grpc_call_start_batch(c->call, &op, 1, &c->t_close, NULL) != GRPC_CALL_OK) {
		c->closed = true;
		maybe_free(c);
		return;
	}
	c->pending++;
	size_t len = GRPC_SLICE_LENGTH(c->details.method);
	char method[256];
	if (len >= sizeof(method))
		len = sizeof(method) - 1;
	memcpy(method, GRPC_SLICE_START_PTR(c->details.method), len);
	method[len] = 0;
	s->h.on_call(s->h.ctx, c, method);
	start_recv(c);
}

static void on_recv(struct p4rtt_server *s, struct p4rtt_call *c, int ok)
{
	c->recv_on = false;
	c->pending--;
	grpc_byte_buffer *bb = c->recv_buf;
	c->recv_buf = NULL;
	if (!c->closed && !c->status_sent) {
		if (!ok || !bb) {
			s->h.on_message(s->h.ctx, c, NULL, 0);
		} else {
			grpc_byte_buffer_reader rd;
			if (grpc_byte_buffer_reader_init(&rd, bb)) {
				grpc_slice all = grpc_byte_buffer_reader_readall(&rd);
				grpc_byte_buffer_reader_destroy(&rd);
				s->h.on_message(s->h.ctx, c, GRPC_SLICE_START_PTR(all),
						GRPC_SLICE_LENGTH(all));
				grpc_slice_unref(all);
			}
			if (!c->closed && !c->status_sent)
				start_recv(c);
		}
	}
	if (bb)
		grpc_byte_buffer_destroy(bb);
	maybe_free(c);
}

static void handle(struct p4rtt_server *s, grpc_event ev)
{
	struct tag *t = ev.tag;
	struct p4rtt_call *c = t->call;
	switch (t->kind) {
	case OP_NEW:
		on_new(s, c, ev.success);
		break;
	case OP_RECV:
		on_recv(s, c, ev.success);
		break;
	case OP_SEND:
		c->send_on = false;
		c->pending--;
		if (ev.success)
			pump(c);
		maybe_free(c);
		break;
	case OP_CLOSE:
		c->pending--;
		c->closed = true;
		s->h.on_done(s->h.ctx, c);
		maybe_free(c);
		break;
	case OP_SHUTDOWN:
		s->shutdown_seen = true;
		break;
	}
	if (s->shutdown_seen && !s->calls && !s->incoming && !s->cq_down) {
		s->cq_down = true;
		grpc_completion_queue_shutdown(s->cq);
	}
}

static void *loop(void *arg)
{
	struct p4rtt_server *s = arg;
	for (;;) {
		grpc_event ev = grpc_completion_queue_next(s->cq, gpr_inf_future(GPR_CLOCK_REALTIME),
							   NULL);
		if (ev.type == GRPC_QUEUE_SHUTDOWN)
			break;
		if (ev.type != GRPC_OP_COMPLETE)
			continue;
		pthread_mutex_lock(&s->lock);
		handle(s, ev);
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

/* gRPC's own log lines would go to stderr: library code prints nothing, and
 * what goes wrong reaches the caller as an error. */
static void quiet(gpr_log_func_args *args)
{
	(void)args;
}

int p4rtt_start(struct p4rtt_server **out, const char *addr, const struct p4rtt_handlers *h,
		struct p4l_err *err)
{
	struct p4rtt_server *s = calloc(1, sizeof(*s));
	pthread_mutexattr_t ma;
	if (!s)
		return p4l_errf(err, -ENOMEM, "out of memory");
	s->h = *h;
	s->t_shutdown.kind = OP_SHUTDOWN;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&s->lock, &ma);
	pthread_mutexattr_destroy(&ma);
	gpr_set_log_function(quiet);
	grpc_init();
	/* A batch of 100,000 updates is tens of MiB: no message size limit. */
	/* Without SO_REUSEPORT a second switch on the same port is an error,
	 * not a silent split of the clients between the two. */
	grpc_arg args[3] = {
		{ .type = GRPC_ARG_INTEGER, .key = GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH,
		  .value.integer = -1 },
		{ .type = GRPC_ARG_INTEGER, .key = GRPC_ARG_MAX_SEND_MESSAGE_LENGTH,
		  .value.integer = -1 },
		{ .type = GRPC_ARG_INTEGER, .key = GRPC_ARG_ALLOW_REUSEPORT, .value.integer = 0 },
	};
	grpc_channel_args cargs = { 3, args };
	s->cq = grpc_completion_queue_create_for_next(NULL);
	s->server = grpc_server_create(&cargs, NULL);
	grpc_server_register_completion_queue(s->server, s->cq, NULL);
	grpc_server_credentials *creds = grpc_insecure_server_credentials_create();
	s->port = grpc_server_add_http2_port(s->server, addr, creds);
	grpc_server_credentials_release(creds);
	if (s->port <= 0) {
		int r = p4l_errf(err, -EADDRINUSE, "gRPC server: cannot listen on %s "
				 "(address in use or not a HOST:PORT)", addr);
		grpc_server_destroy(s->server);
		grpc_completion_queue_shutdown(s->cq);
		while (grpc_completion_queue_next(s->cq, gpr_inf_future(GPR_CLOCK_REALTIME),
						  NULL).type != GRPC_QUEUE_SHUTDOWN)
			;
		grpc_completion_queue_destroy(s->cq);
		grpc_shutdown();
		pthread_mutex_destroy(&s->lock);
		free(s);
		return r;
	}
	grpc_server_start(s->server);
	pthread_mutex_lock(&s->lock);
	request_next(s);
	pthread_mutex_unlock(&s->lock);
	int e = pthread_create(&s->thread, NULL, loop, s);
	if (e) {
		s->thread = 0;
		p4rtt_stop(s);
		return p4l_errf(err, -e, "gRPC server: cannot start its thread: %s", strerror(e));
	}
	*out = s;
	return 0;
}

void p4rtt_stop(struct p4rtt_server *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	grpc_server_shutdown_and_notify(s->server, s->cq, &s->t_shutdown);
	grpc_server_cancel_all_calls(s->server);
	pthread_mutex_unlock(&s->lock);
	if (s->thread) {
		pthread_join(s->thread, NULL);
	} else {
		/* no thread: drain here */
		s->thread = pthread_self();
		loop(s);
	}
	grpc_server_destroy(s->server);
	grpc_completion_queue_destroy(s->cq);
	grpc_shutdown();
	pthread_mutex_destroy(&s->lock);
	free(s);
}
