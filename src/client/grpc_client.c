/* grpc_client.c - transport.h over the gRPC C core (client side).
 *
 * Tags are small structs inside the call or stream they belong to, so a
 * completion finds its owner whatever channel of the loop it came from;
 * every wait runs the loop's completion queue and dispatches whatever
 * completes: calls end (their done callbacks run) and stream messages are
 * filed while anything else is waited for. */
#include "transport.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/slice.h>
#include <grpc/support/log.h>
#include <grpc/support/time.h>

enum kind { K_CALL_SEND, K_CALL_RECV, K_CALL_STATUS, K_S_START, K_S_RECV, K_S_SEND, K_S_STATUS,
	    K_WATCH };

struct tag {
	enum kind kind;
	void *owner;
};

struct msg {
	struct msg *next;
	size_t len;
	uint8_t data[];
};

struct p4rtc_chan;

struct stream {
	struct p4rtc_chan *ch;
	grpc_call *call;
	struct tag t_start, t_recv, t_send, t_status;
	grpc_byte_buffer *recv_buf;
	grpc_metadata_array init_md, trail_md;
	grpc_status_code status;
	grpc_slice details;
	int pending;
	bool open, recv_on, send_on, ended;
	struct msg *out, **out_tail, *in, **in_tail;
};

struct p4rtc_loop {
	grpc_completion_queue *cq;
	int refs;
};

struct call;

struct p4rtc_chan {
	struct p4rtc_loop *loop;
	grpc_channel *ch;
	struct stream s;
	bool watch_done;
	struct call *calls;        /* in flight */
	size_t n_calls;
};

/* One unary or server-streaming call in flight. */
struct call {
	struct call *next, *prev;
	struct p4rtc_chan *ch;
	grpc_call *call;
	struct tag t_send, t_recv, t_status;
	grpc_byte_buffer *recv_buf;
	grpc_metadata_array init_md, trail_md;
	grpc_status_code status;
	grpc_slice details;
	int pending;
	int (*fn)(void *ctx, const uint8_t *msg, size_t len);
	void (*done)(void *ctx, struct p4rtc_status *st);
	void *ctx;
	bool cancelled;
};

void p4rtc_status_clear(struct p4rtc_status *st)
{
	free(st->details);
	memset(st, 0, sizeof(*st));
}

static gpr_timespec after_ms(int ms)
{
	if (ms < 0)
		return gpr_inf_future(GPR_CLOCK_REALTIME);
	return gpr_time_add(gpr_now(GPR_CLOCK_REALTIME), gpr_time_from_millis(ms, GPR_TIMESPAN));
}

static grpc_slice take_all(grpc_byte_buffer *bb)
{
	grpc_byte_buffer_reader rd;
	if (!grpc_byte_buffer_reader_init(&rd, bb))
		return grpc_empty_slice();
	grpc_slice all = grpc_byte_buffer_reader_readall(&rd);
	grpc_byte_buffer_reader_destroy(&rd);
	return all;
}

static void fill_status(struct p4rtc_status *st, grpc_status_code code, grpc_slice details,
			const grpc_metadata_array *trail)
{
	size_t n = GRPC_SLICE_LENGTH(details);
	memset(st, 0, sizeof(*st));
	st->code = (int)code;
	if (n >= sizeof(st->msg))
		n = sizeof(st->msg) - 1;
	memcpy(st->msg, GRPC_SLICE_START_PTR(details), n);
	st->msg[n] = 0;
	for (size_t i = 0; i < trail->count; i++) {
		const grpc_metadata *m = &trail->metadata[i];
		if (grpc_slice_str_cmp(m->key, "grpc-status-details-bin"))
			continue;
		size_t len = GRPC_SLICE_LENGTH(m->value);
		if ((st->details = malloc(len ? len : 1))) {
			memcpy(st->details, GRPC_SLICE_START_PTR(m->value), len);
			st->details_len = len;
		}
	}
}

/* ---- the stream ------------------------------------------------------------- */

static void s_recv(struct stream *s)
{
	grpc_op op = { .op = GRPC_OP_RECV_MESSAGE };
	op.data.recv_message.recv_message = &s->recv_buf;
	if (grpc_call_start_batch(s->call, &op, 1, &s->t_recv, NULL) == GRPC_CALL_OK) {
		s->recv_on = true;
		s->pending++;
	}
}

static void s_pump(struct stream *s)
{
	if (s->send_on || !s->out || s->ended)
		return;
	struct msg *m = s->out;
	if (!(s->out = m->next))
		s->out_tail = &s->out;
	grpc_slice sl = grpc_slice_from_copied_buffer((const char *)m->data, m->len);
	free(m);
	grpc_byte_buffer *bb = grpc_raw_byte_buffer_create(&sl, 1);
	grpc_slice_unref(sl);
	grpc_op op = { .op = GRPC_OP_SEND_MESSAGE };
	op.data.send_message.send_message = bb;
	if (grpc_call_start_batch(s->call, &op, 1, &s->t_send, NULL) == GRPC_CALL_OK) {
		s->send_on = true;
		s->pending++;
	}
	grpc_byte_buffer_destroy(bb);
}

static void call_end(struct call *c);

static void dispatch(grpc_event ev)
{
	struct tag *t = ev.tag;
	struct stream *s = t->owner;
	struct call *c = t->owner;
	switch (t->kind) {
	case K_CALL_SEND:
	case K_CALL_STATUS:
		c->pending--;
		break;
	case K_CALL_RECV:
		c->pending--;
		if (c->recv_buf) {
			grpc_slice all = take_all(c->recv_buf);
			grpc_byte_buffer_destroy(c->recv_buf);
			c->recv_buf = NULL;
			if (!c->cancelled && c->fn &&
			    c->fn(c->ctx, GRPC_SLICE_START_PTR(all), GRPC_SLICE_LENGTH(all)) < 0) {
				c->cancelled = true;
				grpc_call_cancel(c->call, NULL);
			}
			grpc_slice_unref(all);
			grpc_op op = { .op = GRPC_OP_RECV_MESSAGE };
			op.data.recv_message.recv_message = &c->recv_buf;
			if (grpc_call_start_batch(c->call, &op, 1, &c->t_recv, NULL) == GRPC_CALL_OK)
				c->pending++;
		}
		break;
	case K_S_START:
		s->pending--;
		break;
	case K_S_RECV:
		s->pending--;
		s->recv_on = false;
		if (s->recv_buf) {
			grpc_slice all = take_all(s->recv_buf);
			grpc_byte_buffer_destroy(s->recv_buf);
			s->recv_buf = NULL;
			size_t len = GRPC_SLICE_LENGTH(all);
			struct msg *m = malloc(sizeof(*m) + len);
			if (m) {
				m->next = NULL;
				m->len = len;
				memcpy(m->data, GRPC_SLICE_START_PTR(all), len);
				*s->in_tail = m;
				s->in_tail = &m->next;
			}
			grpc_slice_unref(all);
			if (!s->ended)
				s_recv(s);
		}
		break;
	case K_S_SEND:
		s->pending--;
		s->send_on = false;
		if (ev.success)
			s_pump(s);
		break;
	case K_S_STATUS:
		s->pending--;
		s->ended = true;
		break;
	case K_WATCH:
		((struct p4rtc_chan *)t->owner)->watch_done = true;
		break;
	}
	if ((t->kind == K_CALL_SEND || t->kind == K_CALL_RECV || t->kind == K_CALL_STATUS) &&
	    !c->pending)
		call_end(c);
}

/* Runs the loop until done(arg) or the deadline; -ETIMEDOUT then. */
static int drive(struct p4rtc_loop *l, gpr_timespec deadline, bool (*done)(void *), void *arg)
{
	while (!done(arg)) {
		grpc_event ev = grpc_completion_queue_next(l->cq, deadline, NULL);
		if (ev.type == GRPC_QUEUE_TIMEOUT)
			return -ETIMEDOUT;
		if (ev.type == GRPC_OP_COMPLETE)
			dispatch(ev);
	}
	return 0;
}

int p4rtc_loop_run(struct p4rtc_loop *l, int timeout_ms)
{
	gpr_timespec deadline = after_ms(timeout_ms);
	int n = 0;
	for (;;) {
		grpc_event ev = grpc_completion_queue_next(l->cq, deadline, NULL);
		if (ev.type != GRPC_OP_COMPLETE)
			return n;
		dispatch(ev);
		n++;
		deadline = gpr_time_0(GPR_CLOCK_REALTIME);   /* what is ready, no more */
	}
}

static bool stream_has(void *arg)
{
	struct stream *s = arg;
	return s->in || (s->ended && !s->pending);
}

static bool stream_idle(void *arg)
{
	return !((struct stream *)arg)->pending;
}

bool p4rtc_stream_open_p(const struct p4rtc_chan *ch) { return ch->s.open && !ch->s.ended; }

bool p4rtc_stream_ready(const struct p4rtc_chan *ch)
{
	return ch->s.open && stream_has((void *)&ch->s);
}

int p4rtc_stream_open(struct p4rtc_chan *ch, const char *method, struct p4l_err *err)
{
	struct stream *s = &ch->s;
	if (s->open)
		return p4l_errf(err, -EALREADY, "the stream is already open");
	memset(s, 0, sizeof(*s));
	s->ch = ch;
	s->t_start = (struct tag){ K_S_START, s };
	s->t_recv = (struct tag){ K_S_RECV, s };
	s->t_send = (struct tag){ K_S_SEND, s };
	s->t_status = (struct tag){ K_S_STATUS, s };
	s->out_tail = &s->out;
	s->in_tail = &s->in;
	grpc_metadata_array_init(&s->init_md);
	grpc_metadata_array_init(&s->trail_md);
	grpc_slice m = grpc_slice_from_copied_string(method);
	s->call = grpc_channel_create_call(ch->ch, NULL, GRPC_PROPAGATE_DEFAULTS, ch->loop->cq, m,
					   NULL, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
	grpc_slice_unref(m);
	if (!s->call)
		return p4l_errf(err, -EIO, "cannot create the %s call", method);
	s->open = true;
	grpc_op ops[2];
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[1].op = GRPC_OP_RECV_INITIAL_METADATA;
	ops[1].data.recv_initial_metadata.recv_initial_metadata = &s->init_md;
	if (grpc_call_start_batch(s->call, ops, 2, &s->t_start, NULL) == GRPC_CALL_OK)
		s->pending++;
	grpc_op st = { .op = GRPC_OP_RECV_STATUS_ON_CLIENT };
	st.data.recv_status_on_client.trailing_metadata = &s->trail_md;
	st.data.recv_status_on_client.status = &s->status;
	st.data.recv_status_on_client.status_details = &s->details;
	if (grpc_call_start_batch(s->call, &st, 1, &s->t_status, NULL) == GRPC_CALL_OK)
		s->pending++;
	s_recv(s);
	return 0;
}

int p4rtc_stream_send(struct p4rtc_chan *ch, const uint8_t *data, size_t len)
{
	struct stream *s = &ch->s;
	if (!s->open || s->ended)
		return -EPIPE;
	struct msg *m = malloc(sizeof(*m) + len);
	if (!m)
		return -ENOMEM;
	m->next = NULL;
	m->len = len;
	memcpy(m->data, data, len);
	*s->out_tail = m;
	s->out_tail = &m->next;
	s_pump(s);
	return 0;
}

int p4rtc_stream_next(struct p4rtc_chan *ch, uint8_t **out, int timeout_ms,
		      struct p4rtc_status *st)
{
	struct stream *s = &ch->s;
	if (!s->open)
		return -EPIPE;
	if (drive(ch->loop, after_ms(timeout_ms), stream_has, s) < 0)
		return 0;
	if (s->in) {
		struct msg *m = s->in;
		if (!(s->in = m->next))
			s->in_tail = &s->in;
		int len = (int)m->len;
		uint8_t *buf = len ? malloc(m->len) : NULL;
		if (len && !buf) {
			free(m);
			return -ENOMEM;
		}
		if (len)
			memcpy(buf, m->data, m->len);
		free(m);
		/* StreamMessageResponse always has its oneof set: an empty one
		 * carries nothing and is dropped. */
		*out = buf;
		return len;
	}
	if (st)
		fill_status(st, s->status, s->details, &s->trail_md);
	return -EPIPE;
}

static void stream_close(struct p4rtc_chan *ch)
{
	struct stream *s = &ch->s;
	if (!s->open)
		return;
	grpc_call_cancel(s->call, NULL);
	drive(ch->loop, gpr_inf_future(GPR_CLOCK_REALTIME), stream_idle, s);
	for (struct msg *m = s->in, *n; m; m = n) {
		n = m->next;
		free(m);
	}
	for (struct msg *m = s->out, *n; m; m = n) {
		n = m->next;
		free(m);
	}
	if (s->recv_buf)
		grpc_byte_buffer_destroy(s->recv_buf);
	grpc_metadata_array_destroy(&s->init_md);
	grpc_metadata_array_destroy(&s->trail_md);
	grpc_slice_unref(s->details);
	grpc_call_unref(s->call);
	memset(s, 0, sizeof(*s));
}

/* ---- unary and server-streaming calls ------------------------------------------- */

/* The call is over: its status to done, then it goes. */
static void call_end(struct call *c)
{
	struct p4rtc_chan *ch = c->ch;
	struct p4rtc_status st;
	fill_status(&st, c->status, c->details, &c->trail_md);
	if (c->prev)
		c->prev->next = c->next;
	else
		ch->calls = c->next;
	if (c->next)
		c->next->prev = c->prev;
	ch->n_calls--;
	if (c->recv_buf)
		grpc_byte_buffer_destroy(c->recv_buf);
	grpc_metadata_array_destroy(&c->init_md);
	grpc_metadata_array_destroy(&c->trail_md);
	grpc_slice_unref(c->details);
	grpc_call_unref(c->call);
	void (*done)(void *, struct p4rtc_status *) = c->done;
	void *ctx = c->ctx;
	free(c);
	if (done)
		done(ctx, &st);
	p4rtc_status_clear(&st);
}

int p4rtc_call_start(struct p4rtc_chan *ch, const char *method, const uint8_t *req, size_t len,
		     int (*fn)(void *ctx, const uint8_t *msg, size_t len),
		     void (*done)(void *ctx, struct p4rtc_status *st), void *ctx, int timeout_ms)
{
	struct call *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->ch = ch;
	c->fn = fn;
	c->done = done;
	c->ctx = ctx;
	c->t_send = (struct tag){ K_CALL_SEND, c };
	c->t_recv = (struct tag){ K_CALL_RECV, c };
	c->t_status = (struct tag){ K_CALL_STATUS, c };
	grpc_metadata_array_init(&c->init_md);
	grpc_metadata_array_init(&c->trail_md);
	c->details = grpc_empty_slice();
	grpc_slice m = grpc_slice_from_copied_string(method);
	c->call = grpc_channel_create_call(ch->ch, NULL, GRPC_PROPAGATE_DEFAULTS, ch->loop->cq, m,
					   NULL, after_ms(timeout_ms), NULL);
	grpc_slice_unref(m);
	if (!c->call) {
		grpc_metadata_array_destroy(&c->init_md);
		grpc_metadata_array_destroy(&c->trail_md);
		free(c);
		return -EIO;
	}
	grpc_slice sl = grpc_slice_from_copied_buffer((const char *)req, len);
	grpc_byte_buffer *bb = grpc_raw_byte_buffer_create(&sl, 1);
	grpc_slice_unref(sl);
	grpc_op ops[4];
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[1].op = GRPC_OP_SEND_MESSAGE;
	ops[1].data.send_message.send_message = bb;
	ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
	ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
	ops[3].data.recv_initial_metadata.recv_initial_metadata = &c->init_md;
	bool ok = grpc_call_start_batch(c->call, ops, 4, &c->t_send, NULL) == GRPC_CALL_OK;
	if (ok)
		c->pending++;
	grpc_byte_buffer_destroy(bb);
	grpc_op sop = { .op = GRPC_OP_RECV_STATUS_ON_CLIENT };
	sop.data.recv_status_on_client.trailing_metadata = &c->trail_md;
	sop.data.recv_status_on_client.status = &c->status;
	sop.data.recv_status_on_client.status_details = &c->details;
	if (grpc_call_start_batch(c->call, &sop, 1, &c->t_status, NULL) == GRPC_CALL_OK)
		c->pending++;
	else
		ok = false;
	grpc_op rop = { .op = GRPC_OP_RECV_MESSAGE };
	rop.data.recv_message.recv_message = &c->recv_buf;
	if (grpc_call_start_batch(c->call, &rop, 1, &c->t_recv, NULL) == GRPC_CALL_OK)
		c->pending++;
	c->next = ch->calls;
	if (ch->calls)
		ch->calls->prev = c;
	ch->calls = c;
	ch->n_calls++;
	if (!ok) {
		/* what was started still completes: the call ends quietly */
		c->done = NULL;
		grpc_call_cancel(c->call, NULL);
		if (!c->pending)
			call_end(c);
		return -EIO;
	}
	return 0;
}

size_t p4rtc_in_flight(const struct p4rtc_chan *ch) { return ch->n_calls; }

struct wait {
	int (*fn)(void *ctx, const uint8_t *msg, size_t len);
	void *ctx;
	struct p4rtc_status *st;
	bool done;
};

static int wait_msg(void *ctx, const uint8_t *msg, size_t len)
{
	struct wait *w = ctx;
	return w->fn ? w->fn(w->ctx, msg, len) : 0;
}

static void wait_done(void *ctx, struct p4rtc_status *st)
{
	struct wait *w = ctx;
	*w->st = *st;
	st->details = NULL;   /* now w's */
	w->done = true;
}

static bool waited(void *arg)
{
	return ((struct wait *)arg)->done;
}

int p4rtc_call(struct p4rtc_chan *ch, const char *method, const uint8_t *req, size_t len,
	       int (*fn)(void *ctx, const uint8_t *msg, size_t len), void *ctx,
	       int timeout_ms, struct p4rtc_status *st)
{
	struct wait w = { fn, ctx, st, false };
	int r = p4rtc_call_start(ch, method, req, len, wait_msg, wait_done, &w, timeout_ms);
	if (r < 0)
		return r;
	drive(ch->loop, gpr_inf_future(GPR_CLOCK_REALTIME), waited, &w);
	return 0;
}

/* ---- loops and channels ------------------------------------------------------------- */

static bool watched(void *arg)
{
	return ((struct p4rtc_chan *)arg)->watch_done;
}

/* gRPC's own log lines would go to stderr: library code prints nothing, and
 * what goes wrong reaches the caller as an error. */
static void quiet(gpr_log_func_args *args)
{
	(void)args;
}

int p4rtc_loop_new(struct p4rtc_loop **out, struct p4l_err *err)
{
	struct p4rtc_loop *l = calloc(1, sizeof(*l));
	if (!l)
		return p4l_errf(err, -ENOMEM, "out of memory");
	gpr_set_log_function(quiet);
	grpc_init();
	l->cq = grpc_completion_queue_create_for_next(NULL);
	l->refs = 1;
	*out = l;
	return 0;
}

void p4rtc_loop_unref(struct p4rtc_loop *l)
{
	if (!l || --l->refs)
		return;
	grpc_completion_queue_shutdown(l->cq);
	while (grpc_completion_queue_next(l->cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL).type !=
	       GRPC_QUEUE_SHUTDOWN)
		;
	grpc_completion_queue_destroy(l->cq);
	grpc_shutdown();
	free(l);
}

struct p4rtc_loop *p4rtc_loop_of(const struct p4rtc_chan *ch) { return ch->loop; }

int p4rtc_open(struct p4rtc_chan **out, const char *addr, int timeout_ms, struct p4rtc_loop *loop,
	       struct p4l_err *err)
{
	struct p4rtc_chan *ch = calloc(1, sizeof(*ch));
	if (!ch)
		return p4l_errf(err, -ENOMEM, "out of memory");
	if (loop) {
		loop->refs++;
		ch->loop = loop;
	} else if (p4rtc_loop_new(&ch->loop, err) < 0) {
		free(ch);
		return err ? err->code : -ENOMEM;
	}
	/* No message size limit (a batch of 100,000 updates is tens of MiB), and
	 * room in the trailer for one p4.v1.Error per update of such a batch. */
	grpc_arg args[3] = {
		{ .type = GRPC_ARG_INTEGER, .key = GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH,
		  .value.integer = -1 },
		{ .type = GRPC_ARG_INTEGER, .key = GRPC_ARG_MAX_SEND_MESSAGE_LENGTH,
		  .value.integer = -1 },
		{ .type = GRPC_ARG_INTEGER, .key = GRPC_ARG_MAX_METADATA_SIZE,
		  .value.integer = 256 << 20 },
	};
	grpc_channel_args cargs = { 3, args };
	grpc_channel_credentials *creds = grpc_insecure_credentials_create();
	ch->ch = grpc_channel_create(addr, creds, &cargs);
	grpc_channel_credentials_release(creds);
	gpr_timespec deadline = after_ms(timeout_ms);
	struct tag t = { K_WATCH, ch };
	grpc_connectivity_state state = grpc_channel_check_connectivity_state(ch->ch, 1);
	while (state != GRPC_CHANNEL_READY) {
		ch->watch_done = false;
		grpc_channel_watch_connectivity_state(ch->ch, state, deadline, ch->loop->cq, &t);
		drive(ch->loop, gpr_inf_future(GPR_CLOCK_REALTIME), watched, ch);
		grpc_connectivity_state now = grpc_channel_check_connectivity_state(ch->ch, 1);
		if (now == state || gpr_time_cmp(gpr_now(GPR_CLOCK_REALTIME), deadline) > 0) {
			state = now;
			break;
		}
		state = now;
	}
	if (state != GRPC_CHANNEL_READY) {
		p4rtc_close(ch);
		return p4l_errf(err, -ECONNREFUSED, "cannot connect to the P4Runtime server at %s",
				addr);
	}
	*out = ch;
	return 0;
}

static bool no_calls(void *arg)
{
	return !((struct p4rtc_chan *)arg)->n_calls;
}

void p4rtc_close(struct p4rtc_chan *ch)
{
	if (!ch)
		return;
	for (struct call *c = ch->calls; c; c = c->next)
		grpc_call_cancel(c->call, NULL);
	drive(ch->loop, gpr_inf_future(GPR_CLOCK_REALTIME), no_calls, ch);
	stream_close(ch);
	grpc_channel_destroy(ch->ch);
	p4rtc_loop_unref(ch->loop);
	free(ch);
}
