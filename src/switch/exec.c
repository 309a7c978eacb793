/* exec.c - the packet engine: runs one packet through a plan (plan.h) the
 * v1model way: parser -> verify checksums -> ingress -> [digest, clone,
 * resubmit, multicast, drop, unicast] -> egress -> [clone, drop, update
 * checksums, deparse, recirculate] -> out, as BMv2's simple_switch decides
 * (docs/simple_switch.md).  BMv2's after-ingress pseudocode lists the clone
 * before the digest; here the digest goes first so that it reads the PHV
 * ingress left before an I2E clone runs egress on its copy (the digest's
 * values are the same either way).  Called by switch.c (sw_process, the
 * dataplane thread).
 *
 * Nothing is allocated here; all scratch space is in the sw_ctx, sized once by
 * sw_ctx_init(): snapshots of the PHV for copies, recirculation buffers.
 * Everything a run makes is bounded (passes, copies) and what goes over a
 * bound is dropped and traced.  Tracing costs one branch per event when off. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan.h"
#include "pre.h"
#include "trace.h"

#define MAX_PASSES 16   /* ingress passes per received packet: resubmits, recirculations */
#define MAX_SNAPS 8     /* saved PHVs per pass: the clone, egress-to-egress clones */
#define MAX_JOBS 256    /* egress-to-egress clone copies per pass */
#define MAX_RECIRC 4    /* recirculated packets waiting */

/* A saved packet state: PHV, validity, stack cursors, parser position. */
struct snap {
	uint8_t *phv, *valid;
	uint32_t *next, *vlen;
	size_t pos;
};

struct job {
	uint32_t snap, port;
	uint16_t rid;
};

struct recirc {
	uint8_t *buf;
	size_t len;
	uint8_t *fl;               /* preserved field values */
	uint32_t list;
};

/* What the primitives of the running control asked for, and the room the
 * copies of a run need. */
struct sw_v1m {
	bool clone, resubmit, recirc, digest;
	uint32_t clone_session, clone_list, resub_list, recirc_list, digest_list, digest_recv;
	struct snap ing;           /* the packet after ingress */
	struct snap snaps[MAX_SNAPS];
	uint32_t n_snaps;
	struct job jobs[MAX_JOBS];
	size_t n_jobs;
	struct recirc rq[MAX_RECIRC + 1];  /* + the one being run */
	uint32_t rq_head, rq_len;
	uint8_t *fl, *fl_resub;    /* field values carried over */
	uint8_t *dg;               /* a digest being built */
	bool failed;               /* an assert failed: nothing leaves */
	bool pending;              /* an output waits in out/payload */
	uint32_t pending_port;
	uint64_t t0;               /* the clock's zero, ns */
};

const char *const sw_expr_names[SW_E_COUNT] = {
#define X(e, s) s,
	SW_EXPR_OPS(X)
#undef X
};

const char *const sw_ins_names[SW_I_COUNT] = {
#define X(e, s) s,
	SW_INS_OPS(X)
#undef X
};

/* Copies width bits (any width) between bit positions. */
static void copy_bits(uint8_t *dst, uint32_t dbit, const uint8_t *src, uint32_t sbit, uint32_t width)
{
	if (!((dbit | sbit | width) & 7)) {
		memmove(dst + dbit / 8, src + sbit / 8, width / 8);
		return;
	}
	while (width) {
		uint32_t n = width > 64 ? 64 : width;
		sw_set_bits(dst, dbit, n, sw_get_bits(src, sbit, n));
		dbit += n, sbit += n, width -= n;
	}
}

int sw_ctx_init(struct sw_ctx *c, const struct sw_plan *p)
{
	size_t hdr_bytes = 0;
	for (size_t i = 0; i < p->n_headers; i++)
		hdr_bytes += p->headers[i].nbytes;
	memset(c, 0, sizeof(*c));
	c->plan = p;
	c->out_cap = hdr_bytes + 16;
	c->phv = calloc(1, p->phv_size);
	c->valid = calloc(1, p->n_headers + 1);
	c->key = calloc(1, SW_MAX_KEY_BYTES + 16);
	c->calc = calloc(1, p->max_calc + 16);
	c->out = malloc(c->out_cap);
	c->next = calloc(p->n_stacks + 1, sizeof(*c->next));
	c->vlen = calloc(p->n_headers + 1, sizeof(*c->vlen));
	c->rng = ((uint64_t)time(NULL) * 0x9e3779b97f4a7c15u ^ (uintptr_t)c) | 1;
	if (!c->phv || !c->valid || !c->key || !c->calc || !c->out || !c->next || !c->vlen ||
	    !(c->v1m = calloc(1, sizeof(*c->v1m))))
		goto fail;
	struct sw_v1m *v = c->v1m;
	size_t fl = p->max_flist + 16;
	for (int i = 0; i <= MAX_SNAPS; i++) {
		struct snap *sn = i < MAX_SNAPS ? &v->snaps[i] : &v->ing;
		if (!(sn->phv = malloc(p->phv_size)) || !(sn->valid = malloc(p->n_headers + 1)) ||
		    !(sn->next = calloc(p->n_stacks + 1, sizeof(*sn->next))) ||
		    !(sn->vlen = calloc(p->n_headers + 1, sizeof(*sn->vlen))))
			goto fail;
	}
	for (int i = 0; i <= MAX_RECIRC; i++)
		if (!(v->rq[i].buf = malloc(SW_MAX_PKT)) || !(v->rq[i].fl = calloc(1, fl)))
			goto fail;
	if (!(v->fl = calloc(1, fl)) || !(v->fl_resub = calloc(1, fl)) ||
	    !(v->dg = calloc(1, fl)))
		goto fail;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	v->t0 = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	return 0;
fail:
	sw_ctx_fini(c);
	return -ENOMEM;
}

void sw_ctx_fini(struct sw_ctx *c)
{
	struct sw_v1m *v = c->v1m;
	if (v) {
		for (int i = 0; i <= MAX_SNAPS; i++) {
			struct snap *sn = i < MAX_SNAPS ? &v->snaps[i] : &v->ing;
			free(sn->phv);
			free(sn->valid);
			free(sn->next);
			free(sn->vlen);
		}
		for (int i = 0; i <= MAX_RECIRC; i++) {
			free(v->rq[i].buf);
			free(v->rq[i].fl);
		}
		free(v->fl);
		free(v->fl_resub);
		free(v->dg);
		free(v);
	}
	free(c->phv);
	free(c->valid);
	free(c->key);
	free(c->calc);
	free(c->out);
	free(c->next);
	free(c->vlen);
	memset(c, 0, sizeof(*c));
}

static const uint8_t *src_buf(const struct sw_ctx *c, uint8_t src)
{
	return src == SW_SRC_PHV ? c->phv : src == SW_SRC_CONST ? c->plan->pool : c->args;
}

/* Bits [lo, lo+n) counted from the least significant end of a wide operand,
 * zero beyond its width. */
static uint64_t wide_chunk(const struct sw_ctx *c, const struct sw_wide *w, uint32_t lo, uint32_t n)
{
	if (lo >= w->width)
		return 0;
	if (lo + n > w->width)
		n = w->width - lo;
	return sw_get_bits(src_buf(c, w->src), w->bit + w->width - lo - n, n);
}

static bool wide_eq(const struct sw_ctx *c, const struct sw_wide *a, const struct sw_wide *b)
{
	uint32_t w = a->width > b->width ? a->width : b->width;
	for (uint32_t lo = 0; lo < w; lo += 64)
		if (wide_chunk(c, a, lo, 64) != wide_chunk(c, b, lo, 64))
			return false;
	return true;
}

static uint64_t eval(struct sw_ctx *c, uint32_t i)
{
	const struct sw_expr *e = &c->plan->exprs[i];
	uint64_t a, b;
	switch (e->op) {
	case SW_E_FIELD: return sw_get_bits(c->phv, e->f.bit, e->f.width);
	case SW_E_PARAM: return sw_get_bits(c->args, e->f.bit, e->f.width);
	case SW_E_CONST: return e->k;
	case SW_E_VALIDF: return c->valid[e->f.hdr];
	case SW_E_STACKF: {
		const struct sw_stack *st = &c->plan->stacks[e->f.hdr];
		uint32_t n = c->next[st->cur];
		/* no element filled yet: BMv2 raises an error; we read zero */
		return n ? sw_get_bits(c->phv, c->plan->headers[st->hdrs[n - 1]].off * 8 + e->f.bit,
				       e->f.width) : 0;
	}
	case SW_E_SACCESS:
	case SW_E_SVALID: {
		const struct sw_stack *st = &c->plan->stacks[e->sa.stack];
		uint64_t i = eval(c, e->sa.idx);
		if (i >= st->size)  /* out of bounds: BMv2 fails the packet; we read 0 */
			return 0;
		if (e->op == SW_E_SVALID)
			return c->valid[st->hdrs[i]];
		return sw_get_bits(c->phv, c->plan->headers[st->hdrs[i]].off * 8 + e->sa.bit, e->sa.width);
	}
	case SW_E_UVALID: {
		const struct sw_union *u = &c->plan->unions[e->f.hdr];
		for (size_t i = 0; i < u->n; i++)
			if (c->valid[u->hdrs[i]])
				return 1;
		return 0;
	}
	case SW_E_LASTIDX: return (uint32_t)(c->next[c->plan->stacks[e->f.hdr].cur] - 1);
	case SW_E_STACKSIZE: {
		const struct sw_stack *st = &c->plan->stacks[e->f.hdr];
		uint64_t n = 0;
		for (uint32_t i = 0; i < st->size; i++)
			n += c->valid[st->hdrs[i]];
		return n;
	}
	case SW_E_SFIELD: {
		uint64_t v = sw_get_bits(c->phv, e->f.bit, e->f.width);
		return e->f.width < 64 && v >> (e->f.width - 1) ? v | ~((UINT64_C(1) << e->f.width) - 1) : v;
	}
	case SW_E_LAND: return eval(c, e->x.a) && eval(c, e->x.b);
	case SW_E_LOR: return eval(c, e->x.a) || eval(c, e->x.b);
	case SW_E_LNOT: return !eval(c, e->x.a);
	case SW_E_BNOT: return ~eval(c, e->x.a);
	case SW_E_NEG: return -eval(c, e->x.a);
	case SW_E_D2B: return eval(c, e->x.a) != 0;
	case SW_E_B2D: return eval(c, e->x.a);
	case SW_E_COND: return eval(c, e->x.c) ? eval(c, e->x.a) : eval(c, e->x.b);
	case SW_E_WEQ: return wide_eq(c, &e->w.a, &e->w.b);
	case SW_E_WNE: return !wide_eq(c, &e->w.a, &e->w.b);
	default: break;
	}
	a = eval(c, e->x.a);
	b = eval(c, e->x.b);
	switch (e->op) {
	case SW_E_ADD: return a + b;
	case SW_E_SUB: return a - b;
	case SW_E_MUL: return a * b;
	case SW_E_SHL: return b >= 64 ? 0 : a << b;
	case SW_E_SHR: return b >= 64 ? 0 : a >> b;
	case SW_E_EQ: return a == b;
	case SW_E_NE: return a != b;
	case SW_E_GT: return a > b;
	case SW_E_GE: return a >= b;
	case SW_E_LT: return a < b;
	case SW_E_LE: return a <= b;
	case SW_E_AND: return a & b;
	case SW_E_OR: return a | b;
	case SW_E_XOR: return a ^ b;
	case SW_E_SGT: return (int64_t)a > (int64_t)b;
	case SW_E_SGE: return (int64_t)a >= (int64_t)b;
	case SW_E_SLT: return (int64_t)a < (int64_t)b;
	case SW_E_SLE: return (int64_t)a <= (int64_t)b;
	case SW_E_SSHR: return b >= 64 ? ((int64_t)a < 0 ? UINT64_MAX : 0) :
			       (uint64_t)((int64_t)a >> b);
	case SW_E_TCMOD:  /* the low b bits as a two's complement number */
		return b >= 64 ? a : a >> (b - 1) & 1 ? a | ~((UINT64_C(1) << b) - 1) :
		       a & ((UINT64_C(1) << b) - 1);
	case SW_E_SCAST: {  /* a (signed) clamped to int<b> */
		int64_t v = (int64_t)a, hi = b >= 64 ? INT64_MAX : (INT64_C(1) << (b - 1)) - 1;
		int64_t lo = -hi - 1;
		return (uint64_t)(v > hi ? hi : v < lo ? lo : v);
	}
	case SW_E_UCAST: {  /* a (signed) clamped to bit<b> */
		uint64_t hi = b >= 64 ? UINT64_MAX : (UINT64_C(1) << b) - 1;
		return (int64_t)a < 0 ? 0 : a > hi ? hi : a;
	}
	default: return 0;  /* unreachable: the loader builds only the ops above */
	}
}

uint64_t sw_eval(struct sw_ctx *c, uint32_t expr)
{
	return eval(c, expr);
}

static void set_std(struct sw_ctx *c, const struct sw_fref *f, bool has, uint64_t v)
{
	if (has)
		sw_set_bits(c->phv, f->bit, f->width, v);
}

#define STD_SET(c, name, v) set_std((c), &(c)->plan->std.name, (c)->plan->std.has_##name, (v))
#define STD_GET(c, name) ((c)->plan->std.has_##name ? \
	sw_get_bits((c)->phv, (c)->plan->std.name.bit, (c)->plan->std.name.width) : 0)

static uint64_t calc_run(struct sw_ctx *c, const struct sw_calc *cl);
static uint64_t meter_color(struct sw_ctx *c, const struct sw_meter *m, uint64_t i);
static uint64_t cell_color(struct sw_ctx *c, struct sw_meter_cell *mc, bool bytes);

/* A stack's name for traces: a header stack's, or the union stack whose
 * n member stacks start at first. */
static const char *stack_name(const struct sw_plan *p, uint32_t first, uint32_t n)
{
	for (size_t i = 0; i < p->n_ustacks; i++)
		if (p->ustacks[i].first == first && p->ustacks[i].n == n)
			return p->ustacks[i].name;
	return p->stacks[first].name;
}

/* hdr became valid: the other members of its union become invalid. */
static void union_only(struct sw_ctx *c, uint32_t hdr)
{
	const struct sw_union *u = &c->plan->unions[c->plan->headers[hdr].uni];
	for (size_t i = 0; i < u->n; i++)
		if (u->hdrs[i] != hdr)
			c->valid[u->hdrs[i]] = 0;
}

/* Runs one non-parser instruction; returns the next pc. */
static uint32_t step(struct sw_ctx *c, const struct sw_ins *in, uint32_t pc)
{
	const struct sw_plan *p = c->plan;
	const struct sw_header *h;
	switch (in->op) {
	case SW_I_ASSIGN:
		sw_set_bits(c->phv, in->dst.bit, in->dst.width, eval(c, in->expr));
		break;
	case SW_I_COPY: {
		uint32_t dw = in->dst.width, sw = in->src.width;
		const uint8_t *s = src_buf(c, in->src.src);
		if (sw >= dw) {
			copy_bits(c->phv, in->dst.bit, s, in->src.bit + sw - dw, dw);
		} else {
			for (uint32_t z = 0; z < dw - sw; z += 64)
				sw_set_bits(c->phv, in->dst.bit + z, dw - sw - z > 64 ? 64 : dw - sw - z, 0);
			copy_bits(c->phv, in->dst.bit + dw - sw, s, in->src.bit, sw);
		}
		break;
	}
	case SW_I_SET_VALID:
		h = &p->headers[in->hdr];
		if (!c->valid[in->hdr]) {
			memset(c->phv + h->off, 0, h->nbytes);
			c->valid[in->hdr] = 1;
			c->vlen[in->hdr] = 0;
		}
		if (h->uni != SW_NONE)
			union_only(c, in->hdr);
		break;
	case SW_I_SET_INVALID:
		c->valid[in->hdr] = 0;
		break;
	case SW_I_DROP:
		STD_SET(c, egress_spec, SW_DROP_PORT);
		STD_SET(c, mcast_grp, 0);
		break;
	case SW_I_EXIT:
		c->exit = true;
		return UINT32_MAX;
	case SW_I_HDR_COPY:
		h = &p->headers[in->hdr];
		memmove(c->phv + h->off, c->phv + p->headers[in->hdr2].off, h->nbytes);
		c->valid[in->hdr] = c->valid[in->hdr2];
		c->vlen[in->hdr] = c->vlen[in->hdr2];
		if (h->uni != SW_NONE && c->valid[in->hdr])
			union_only(c, in->hdr);
		break;
	case SW_I_UNION_COPY: {
		const struct sw_union *d = &p->unions[in->hdr], *s = &p->unions[in->hdr2];
		for (size_t i = 0; i < d->n; i++) {
			const struct sw_header *dh = &p->headers[d->hdrs[i]];
			memmove(c->phv + dh->off, c->phv + p->headers[s->hdrs[i]].off, dh->nbytes);
			c->valid[d->hdrs[i]] = c->valid[s->hdrs[i]];
			c->vlen[d->hdrs[i]] = c->vlen[s->hdrs[i]];
		}
		break;
	}
	case SW_I_COUNTER: {
		const struct sw_counter *ct = &p->counters[in->hdr];
		uint64_t i = eval(c, in->expr);
		if (i < ct->size) {  /* out of range: nothing to count (BMv2 logs it) */
			ct->packets[i]++;
			ct->bytes[i] += c->len;
		}
		if (c->trace)
			sw_trace_note(c, "  counter %s[%llu]%s", ct->name, (unsigned long long)i,
				      i < ct->size ? " counted" : ": index out of range, not counted");
		break;
	}
	case SW_I_REG_READ: {
		const struct sw_register *rg = &p->registers[in->hdr];
		uint64_t i = eval(c, in->expr);
		/* relaxed atomics: the control plane may write a cell meanwhile */
		uint64_t v = i < rg->size ? __atomic_load_n(&rg->cells[i], __ATOMIC_RELAXED) : 0;
		sw_set_bits(c->phv, in->dst.bit, in->dst.width, v);
		if (c->trace)
			sw_trace_note(c, "  register %s[%llu] read: %llu%s", rg->name, (unsigned long long)i,
				      (unsigned long long)v, i < rg->size ? "" : " (index out of range)");
		break;
	}
	case SW_I_REG_WRITE: {
		const struct sw_register *rg = &p->registers[in->hdr];
		uint64_t i = eval(c, in->expr);
		uint64_t v = eval(c, in->expr2) &
			(rg->width >= 64 ? UINT64_MAX : (UINT64_C(1) << rg->width) - 1);
		if (i < rg->size)
			__atomic_store_n(&rg->cells[i], v, __ATOMIC_RELAXED);
		if (c->trace)
			sw_trace_note(c, "  register %s[%llu] = %llu%s", rg->name, (unsigned long long)i,
				      (unsigned long long)v, i < rg->size ? "" : " ignored (index out of range)");
		break;
	}
	case SW_I_POP:
	case SW_I_PUSH: {
		/* every member stack of a union stack shifts; their cursor once */
		uint32_t n = in->target, sz = p->stacks[in->hdr].size, *cur = &c->next[p->stacks[in->hdr].cur];
		for (uint32_t m = 0; m < in->hdr2; m++) {
			const struct sw_stack *st = &p->stacks[in->hdr + m];
			uint32_t nb = p->headers[st->hdrs[0]].nbytes;
			for (uint32_t k = 0; k < sz; k++) {
				/* pop fills from the front, push from the back */
				uint32_t i = in->op == SW_I_POP ? k : sz - 1 - k, d = st->hdrs[i];
				bool keep = in->op == SW_I_POP ? i + n < sz : i >= n;
				if (keep) {
					uint32_t s2 = st->hdrs[in->op == SW_I_POP ? i + n : i - n];
					memcpy(c->phv + p->headers[d].off, c->phv + p->headers[s2].off, nb);
					c->valid[d] = c->valid[s2];
					c->vlen[d] = c->vlen[s2];
				} else {
					c->valid[d] = 0;  /* P4_16: the new elements are invalid */
				}
			}
		}
		if (in->op == SW_I_POP)
			*cur = *cur > n ? *cur - n : 0;
		else
			*cur = *cur + n < sz ? *cur + n : sz;
		if (c->trace)
			sw_trace_note(c, "  %s %s by %u: next index %u", sw_ins_names[in->op],
				      stack_name(p, in->hdr, in->hdr2), n, *cur);
		break;
	}
	case SW_I_STACK_COPY: {
		const struct sw_stack *d = &p->stacks[in->hdr], *s = &p->stacks[in->hdr2];
		uint32_t nv = 0;
		for (uint32_t m = 0; m < in->target; m++)
			for (uint32_t i = 0; i < d[m].size; i++) {
				uint32_t dh = d[m].hdrs[i], sh = s[m].hdrs[i];
				memmove(c->phv + p->headers[dh].off, c->phv + p->headers[sh].off,
					p->headers[dh].nbytes);
				c->valid[dh] = c->valid[sh];
				c->vlen[dh] = c->vlen[sh];
				nv += c->valid[dh];
			}
		c->next[d->cur] = c->next[s->cur];
		if (c->trace) {
			const char *dn = stack_name(p, in->hdr, in->target);
			sw_trace_note(c, "  %s %s = %s: %u of %u elements valid, next index %u",
				      dn == d->name ? "assign_header_stack" : "assign_union_stack", dn,
				      stack_name(p, in->hdr2, in->target), nv, d->size, c->next[d->cur]);
		}
		break;
	}
	case SW_I_ASSIGN_VL:
		/* the whole field: bits past a varbit's length are zero */
		copy_bits(c->phv, in->dst.bit, c->phv, in->src.bit, in->dst.width);
		c->vlen[in->hdr] = c->vlen[in->hdr2];
		if (c->trace)
			sw_trace_note(c, "  assign_VL %s = %s: %u bits", p->headers[in->hdr].name,
				      p->headers[in->hdr2].name, c->vlen[in->hdr]);
		break;
	case SW_I_HASH: {
		uint64_t base = eval(c, in->expr), size = eval(c, in->expr2);
		uint64_t h = calc_run(c, &p->calcs[in->hdr]);
		sw_set_bits(c->phv, in->dst.bit, in->dst.width, size ? base + h % size : base);
		if (c->trace)
			sw_trace_note(c, "  hash %s = 0x%llx, result %llu", p->calcs[in->hdr].name,
				      (unsigned long long)h, (unsigned long long)(size ? base + h % size : base));
		break;
	}
	case SW_I_RANDOM: {
		uint64_t lo = eval(c, in->expr), hi = eval(c, in->expr2), x = c->rng;
		x ^= x >> 12, x ^= x << 25, x ^= x >> 27;
		c->rng = x;
		x *= 0x2545f4914f6cdd1du;
		sw_set_bits(c->phv, in->dst.bit, in->dst.width,
			    hi <= lo ? lo : hi - lo == UINT64_MAX ? x : lo + x % (hi - lo + 1));
		break;
	}
	case SW_I_TRUNCATE: {
		uint64_t n = eval(c, in->expr);
		if (n < c->trunc)
			c->trunc = (size_t)n;
		break;
	}
	case SW_I_METER: {
		uint64_t i = eval(c, in->expr), color = meter_color(c, &p->meters[in->hdr], i);
		sw_set_bits(c->phv, in->dst.bit, in->dst.width, color);
		if (c->trace)
			sw_trace_note(c, "  meter %s[%llu]: %s", p->meters[in->hdr].name, (unsigned long long)i,
				      color == 0 ? "green" : color == 1 ? "yellow" : "red");
		break;
	}
	case SW_I_STACK_ASSIGN:
	case SW_I_STACK_VALID: {
		const struct sw_stack *st = &p->stacks[in->hdr];
		uint64_t i = eval(c, in->expr2);
		if (i >= st->size) {
			if (c->trace)
				sw_trace_note(c, "stack %s: index %llu out of bounds (size %u): ignored",
					      st->name, (unsigned long long)i, st->size);
			break;
		}
		h = &p->headers[st->hdrs[i]];
		if (in->op == SW_I_STACK_ASSIGN) {
			sw_set_bits(c->phv, h->off * 8 + in->dst.bit, in->dst.width, eval(c, in->expr));
		} else if (!in->target) {
			c->valid[st->hdrs[i]] = 0;
		} else {
			if (!c->valid[st->hdrs[i]]) {
				memset(c->phv + h->off, 0, h->nbytes);
				c->valid[st->hdrs[i]] = 1;
			}
			if (h->uni != SW_NONE)  /* a member of a union stack's element */
				union_only(c, st->hdrs[i]);
		}
		break;
	}
	case SW_I_ASSERT:
		if (!eval(c, in->expr)) {
			/* BMv2 stops the switch; a library cannot: the packet is dropped */
			if (c->trace)
				sw_trace_note(c, "%s failed: packet dropped", in->hdr ? "assume" : "assert");
			c->v1m->failed = true;
			c->exit = true;
			return UINT32_MAX;
		}
		break;
	case SW_I_CLONE:
		c->v1m->clone = true;
		c->v1m->clone_session = (uint32_t)eval(c, in->expr);
		c->v1m->clone_list = in->target;
		if (c->trace)
			sw_trace_note(c, "clone to session %u requested", c->v1m->clone_session);
		break;
	case SW_I_RESUBMIT:
		c->v1m->resubmit = true;
		c->v1m->resub_list = in->target;
		break;
	case SW_I_RECIRC:
		c->v1m->recirc = true;
		c->v1m->recirc_list = in->target;
		break;
	case SW_I_DIGEST:
		c->v1m->digest = true;
		c->v1m->digest_recv = (uint32_t)eval(c, in->expr);
		c->v1m->digest_list = in->target;
		break;
	case SW_I_LOG:
		if (c->trace)
			sw_trace_log(c, &p->logs[in->hdr], in);
		break;
	case SW_I_JUMP:
		return in->target;
	case SW_I_JUMPZ:
		if (!eval(c, in->expr))
			return in->target;
		break;
	default:
		break;
	}
	return pc + 1;
}

static void run_action(struct sw_ctx *c, uint32_t ai, const uint8_t *args)
{
	const struct sw_action *a = &c->plan->actions[ai];
	c->args = args;
	if (c->trace)
		sw_trace_action(c, a, args);
	for (uint32_t pc = 0; pc < a->n_ins;)
		pc = step(c, &c->plan->ins[a->ins + pc], pc);
}

/* ---- parser -------------------------------------------------------------- */

static void parser_fail(struct sw_ctx *c, uint32_t error)
{
	STD_SET(c, parser_error, error);
	if (c->trace)
		sw_trace_parser_error(c, error);
}

/* Whether the select key (c->key) is one of the set's values: the key's
 * fields packed into the set's width, then compared with each value. */
static bool vset_match(struct sw_ctx *c, const struct sw_state *st, const struct sw_vset *vs)
{
	uint8_t *packed = c->key + SW_MAX_KEY_BYTES / 2;
	uint32_t nb = (vs->width + 7) / 8, bit = nb * 8 - vs->width, off = 0;
	memset(packed, 0, nb);
	for (size_t k = 0; k < st->n_keys; k++) {
		const struct sw_select_key *sk = &st->keys[k];
		uint32_t w = sk->kind == SW_TK_VALID ? 1 : sk->f.width;
		copy_bits(packed, bit, c->key, (off + sk->nbytes) * 8 - w, w);
		bit += w;
		off += sk->nbytes;
	}
	const struct sw_vals *v = __atomic_load_n(&vs->vals, __ATOMIC_ACQUIRE);
	for (uint32_t i = 0; v && i < v->n; i++)
		if (!memcmp(v->v + (size_t)i * nb, packed, nb))
			return true;
	return false;
}

static void parse(struct sw_ctx *c)
{
	const struct sw_plan *p = c->plan;
	uint32_t s = p->parser_init;
	while (s != SW_NONE) {
		const struct sw_state *st = &p->states[s];
		if (c->trace)
			sw_trace_state(c, st);
		for (uint32_t i = 0; i < st->n_ins; i++) {
			const struct sw_ins *in = &p->ins[st->ins + i];
			if (in->op == SW_I_EXTRACT || in->op == SW_I_EXTRACT_VL) {
				const struct sw_header *h = &p->headers[in->hdr];
				uint32_t nb = h->nbytes;
				if (h->varbit) {
					/* a plain extract of a varbit header takes none of it */
					uint64_t vl = in->op == SW_I_EXTRACT_VL ? eval(c, in->expr) : 0;
					if (vl > h->nbits - h->fixed)
						return parser_fail(c, p->err_header_too_short);
					if ((h->fixed + vl) % 8)
						return parser_fail(c, p->err_invalid_arg);
					nb = (uint32_t)(h->fixed + vl) / 8;
					c->vlen[in->hdr] = (uint32_t)vl;
					memset(c->phv + h->off, 0, h->nbytes);
				}
				if (c->pos + nb > c->len)
					return parser_fail(c, p->err_too_short);
				memcpy(c->phv + h->off, c->pkt + c->pos, nb);
				c->valid[in->hdr] = 1;
				if (h->uni != SW_NONE)
					union_only(c, in->hdr);
				c->pos += nb;
				if (c->trace)
					sw_trace_header(c, "extract", in->hdr);
			} else if (in->op == SW_I_EXTRACT_STACK) {
				const struct sw_stack *st = &p->stacks[in->hdr];
				uint32_t n = c->next[st->cur];
				if (n >= st->size)
					return parser_fail(c, p->err_stack_oob);
				const struct sw_header *h = &p->headers[st->hdrs[n]];
				if (c->pos + h->nbytes > c->len)
					return parser_fail(c, p->err_too_short);
				memcpy(c->phv + h->off, c->pkt + c->pos, h->nbytes);
				c->valid[st->hdrs[n]] = 1;
				if (h->uni != SW_NONE)
					union_only(c, st->hdrs[n]);
				c->next[st->cur] = n + 1;
				c->pos += h->nbytes;
				if (c->trace)
					sw_trace_header(c, "extract", st->hdrs[n]);
			} else if (in->op == SW_I_VERIFY) {
				if (!eval(c, in->expr))
					return parser_fail(c, (uint32_t)eval(c, in->expr2));
			} else if (in->op == SW_I_ASSIGN_LA) {
				uint64_t bit = (uint64_t)c->pos * 8 + in->src.bit;
				if (bit + in->src.width > (uint64_t)c->len * 8)
					return parser_fail(c, p->err_too_short);
				sw_set_bits(c->phv, in->dst.bit, in->dst.width,
					    sw_get_bits(c->pkt, (uint32_t)bit, in->src.width));
			} else {
				c->args = NULL;
				if (step(c, in, 0) == UINT32_MAX)
					return;
			}
		}
		if (!st->n_trans)
			return;
		uint8_t *key = c->key;
		memset(key, 0, st->key_len);
		uint32_t off = 0;
		for (size_t k = 0; k < st->n_keys; k++) {
			const struct sw_select_key *sk = &st->keys[k];
			uint32_t at = (off + sk->nbytes) * 8 - sk->f.width;
			if (sk->kind == SW_TK_FIELD) {
				copy_bits(key, at, c->phv, sk->f.bit, sk->f.width);
			} else if (sk->kind == SW_TK_VALID) {
				key[off] = c->valid[sk->f.hdr];
			} else if (sk->kind == SW_TK_STACKF) {
				const struct sw_stack *st = &p->stacks[sk->f.hdr];
				uint32_t n = c->next[st->cur];
				if (n)
					copy_bits(key, at, c->phv, p->headers[st->hdrs[n - 1]].off * 8 + sk->f.bit,
						     sk->f.width);
			} else {
				uint64_t bit = (uint64_t)c->pos * 8 + sk->f.bit;
				if (bit + sk->f.width > (uint64_t)c->len * 8)
					return parser_fail(c, p->err_too_short);
				copy_bits(key, at, c->pkt, (uint32_t)bit, sk->f.width);
			}
			off += sk->nbytes;
		}
		size_t t;
		for (t = 0; t < st->n_trans; t++) {
			const struct sw_transition *tr = &st->trans[t];
			if (tr->is_default)
				break;
			if (tr->vset != SW_NONE) {
				if (vset_match(c, st, &p->vsets[tr->vset]))
					break;
				continue;
			}
			const uint8_t *v = p->pool + tr->value;
			const uint8_t *m = tr->mask == SW_NONE ? NULL : p->pool + tr->mask;
			uint32_t j = 0;
			if (m)
				while (j < st->key_len && (key[j] & m[j]) == (v[j] & m[j]))
					j++;
			else
				while (j < st->key_len && key[j] == v[j])
					j++;
			if (j == st->key_len)
				break;
		}
		if (t == st->n_trans)
			return parser_fail(c, p->err_no_match);
		s = st->trans[t].next;
	}
}

/* ---- controls ------------------------------------------------------------ */

/* An indirect table's entry: its member's action, or for a group the
 * member the selector's hash picks. */
static uint32_t apply_member(struct sw_ctx *c, const struct sw_table *t, const struct sw_entry *e,
			     bool hit)
{
	const struct sw_plan *p = c->plan;
	const struct sw_profile *pf = &p->profiles[t->profile];
	uint32_t id = (uint32_t)sw_get_bits(e->args, 0, 32);
	const struct sw_member *m = NULL;
	if (e->action == pf->act_group) {
		const struct sw_group *g = id < pf->max ? __atomic_load_n(&pf->groups[id],
									  __ATOMIC_ACQUIRE) : NULL;
		if (!g || !g->n) {
			if (c->trace)
				sw_trace_note(c, "  group %u of %s is empty or gone: no action", id, pf->name);
			id = SW_NONE;
		} else {
			uint64_t h = pf->selector != SW_NONE ? calc_run(c, &p->calcs[pf->selector]) : 0;
			id = g->members[h % g->n];
			if (c->trace)
				sw_trace_note(c, "  group of %zu members, hash 0x%llx: member %u", g->n,
					      (unsigned long long)h, id);
		}
	}
	if (id < pf->max)
		m = __atomic_load_n(&pf->members[id], __ATOMIC_ACQUIRE);
	uint32_t slot = SW_NONE;
	if (m) {
		run_action(c, m->action, m->args);
		for (size_t i = 0; i < t->n_actions; i++)
			if (t->actions[i] == m->action)
				slot = (uint32_t)i;
	} else if (c->trace && id != SW_NONE) {
		sw_trace_note(c, "  member %u of %s does not exist: no action", id, pf->name);
	}
	if (t->hit_miss)
		return hit ? t->hit_next : t->miss_next;
	return slot != SW_NONE ? t->action_next[slot] : t->base_next;
}

static uint32_t apply_table(struct sw_ctx *c, const struct sw_table *t)
{
	const struct sw_plan *p = c->plan;
	uint8_t *key = c->key;
	memset(key, 0, t->key_len);
	for (size_t i = 0; i < t->n_keys; i++) {
		const struct sw_key_part *k = &t->keys[i];
		if (k->is_valid)
			key[k->off] = c->valid[k->f.hdr];
		else
			copy_bits(key, (k->off + k->nbytes) * 8 - k->f.width, c->phv, k->f.bit,
				     k->f.width);
		if (k->mask != SW_NONE)
			for (uint32_t j = 0; j < k->nbytes; j++)
				key[k->off + j] &= p->pool[k->mask + j];
	}
	uint32_t slot = SW_NONE;
	struct sw_entry *e = t->engine ? t->ops->lookup(t->engine, key, &slot) : NULL;
	bool hit = e != NULL;
	if (hit && t->has_hit_index)  /* what T.hit_index() reads in the action */
		sw_set_bits(c->phv, t->hit_field.bit, t->hit_field.width, slot);
	if (hit && t->counted) {
		e->packets++;
		e->bytes += c->len;
	}
	if (hit && t->track_hits && !__atomic_load_n(&e->hit, __ATOMIC_RELAXED))
		__atomic_store_n(&e->hit, 1, __ATOMIC_RELAXED);
	if (hit && t->metered) {
		uint64_t color = cell_color(c, &e->meter, t->meter_bytes);
		sw_set_bits(c->phv, t->meter_target.bit, t->meter_target.width, color);
		if (c->trace)
			sw_trace_note(c, "  direct meter: %s", color == 0 ? "green" : color == 1 ? "yellow" : "red");
	}
	if (!hit)
		e = t->def;
	if (c->trace)
		sw_trace_table(c, t, hit, e, slot);
	if (e && t->profile != SW_NONE && (e->action == p->profiles[t->profile].act_member ||
					   e->action == p->profiles[t->profile].act_group))
		return apply_member(c, t, e, hit);
	if (e)
		run_action(c, e->action, e->args);
	if (t->hit_miss)
		return hit ? t->hit_next : t->miss_next;
	return e ? t->action_next[e->slot] : t->base_next;
}

static void run_control(struct sw_ctx *c, uint32_t node)
{
	const struct sw_plan *p = c->plan;
	c->exit = false;
	while (node != SW_NONE && !c->exit) {
		const struct sw_node *n = &p->nodes[node];
		switch (n->kind) {
		case SW_N_TABLE:
			node = apply_table(c, &p->tables[n->idx]);
			break;
		case SW_N_COND: {
			bool v = eval(c, n->expr) != 0;
			if (c->trace)
				sw_trace_cond(c, n, v);
			node = v ? n->next_t : n->next_f;
			break;
		}
		case SW_N_CALL:
			run_action(c, n->idx, NULL);
			node = n->next_t;
			break;
		}
	}
}

/* ---- checksums ----------------------------------------------------------- */

static uint32_t reflect(uint32_t v, int bits)
{
	uint32_t r = 0;
	for (int i = 0; i < bits; i++, v >>= 1)
		r = (r << 1) | (v & 1);
	return r;
}

/* A CRC of width 16 or 32 with any parameters, bit by bit (the Rocksoft
 * model: reflect each input byte if refin, the result if refout, then xor). */
uint32_t sw_crc(const struct sw_crc *k, int width, const uint8_t *d, size_t n)
{
	uint32_t top = UINT32_C(1) << (width - 1);
	uint32_t mask = width == 32 ? UINT32_MAX : (UINT32_C(1) << width) - 1;
	uint32_t r = k->init & mask;
	for (size_t i = 0; i < n; i++) {
		uint32_t b = k->refin ? reflect(d[i], 8) : d[i];
		r ^= b << (width - 8);
		for (int j = 0; j < 8; j++)
			r = (r & top ? (r << 1) ^ k->poly : r << 1) & mask;
	}
	if (k->refout)
		r = reflect(r, width);
	return (r ^ k->xor_out) & mask;
}

static uint64_t calc_run(struct sw_ctx *c, const struct sw_calc *cl)
{
	uint32_t bit = 0;
	/* Every bit up to `bit` is written below; only the last byte's tail is cleared. */
	for (size_t i = 0; i < cl->n_in; i++) {
		const struct sw_calc_in *in = &cl->in[i];
		if (in->kind == SW_CI_PAYLOAD) {
			const struct sw_plan *p = c->plan;
			for (size_t d = in->w.bit; d < p->n_deparse; d++) {
				const struct sw_header *h = &p->headers[p->deparse[d]];
				if (!c->valid[p->deparse[d]])
					continue;
				uint32_t nb = sw_hdr_bytes(c, p->deparse[d]);
				copy_bits(c->calc, bit, c->phv, h->off * 8, nb * 8);
				bit += nb * 8;
			}
			size_t n = c->len - c->pos;
			if (bit % 8)
				copy_bits(c->calc, bit, c->pkt + c->pos, 0, (uint32_t)n * 8);
			else
				memcpy(c->calc + bit / 8, c->pkt + c->pos, n);
			bit += (uint32_t)n * 8;
			continue;
		}
		if (in->hdr != SW_NONE && !c->valid[in->hdr])
			continue;
		uint32_t width = in->w.width;
		if (in->hdr != SW_NONE && c->plan->headers[in->hdr].varbit) {
			/* an input that reaches the varbit field takes its length */
			const struct sw_header *h = &c->plan->headers[in->hdr];
			if (in->w.bit + width == h->off * 8 + h->nbits)
				width -= h->nbits - h->fixed - c->vlen[in->hdr];
		}
		copy_bits(c->calc, bit, src_buf(c, in->w.src), in->w.bit, width);
		bit += width;
	}
	if (bit % 8)
		c->calc[bit / 8] &= (uint8_t)(0xff00 >> (bit % 8));
	uint32_t n = (bit + 7) / 8;
	const uint8_t *d = c->calc;
	uint64_t h = 0;
	switch (cl->algo) {
	case SW_ALGO_CSUM16:
	case SW_ALGO_XOR16:
		for (uint32_t i = 0; i < n; i += 2) {
			uint32_t w = (uint32_t)d[i] << 8 | (i + 1 < n ? d[i + 1] : 0);
			h = cl->algo == SW_ALGO_XOR16 ? h ^ w : h + w;
		}
		if (cl->algo == SW_ALGO_XOR16)
			return h;
		while (h >> 16)
			h = (h & 0xffff) + (h >> 16);
		return (uint16_t)~h;
	case SW_ALGO_CRC16:  /* CRC-16/ARC: reflected 0x8005, init 0, no final xor */
		for (uint32_t i = 0; i < n; i++) {
			h ^= d[i];
			for (int b = 0; b < 8; b++)
				h = h & 1 ? (h >> 1) ^ 0xa001 : h >> 1;
		}
		return h;
	case SW_ALGO_CRC32:  /* CRC-32 (IEEE 802.3) */
		h = 0xffffffff;
		for (uint32_t i = 0; i < n; i++) {
			h ^= d[i];
			for (int b = 0; b < 8; b++)
				h = h & 1 ? (h >> 1) ^ 0xedb88320 : h >> 1;
		}
		return h ^ 0xffffffff;
	case SW_ALGO_CRC16_CUSTOM:
		return sw_crc(&cl->crc, 16, d, n);
	case SW_ALGO_CRC32_CUSTOM:
		return sw_crc(&cl->crc, 32, d, n);
	case SW_ALGO_RANDOM: {  /* a fresh random number, whatever the input */
		uint64_t x = c->rng;
		x ^= x >> 12, x ^= x << 25, x ^= x >> 27;
		c->rng = x;
		return (x * 0x2545f4914f6cdd1du) >> 32;
	}
	default:  /* identity: the input as a number (its last 64 bits) */
		for (uint32_t i = n > 8 ? n - 8 : 0; i < n; i++)
			h = h << 8 | d[i];
		return h;
	}
}

/* Two-rate three-color marking (RFC 2698, color-blind): 0 green, 1 yellow,
 * 2 red, the values of v1model's MeterColor_t. */
static uint64_t meter_color(struct sw_ctx *c, const struct sw_meter *m, uint64_t i)
{
	return i < m->size ? cell_color(c, &m->cells[i], m->bytes) : 0;
}

static uint64_t cell_mark(struct sw_ctx *c, struct sw_meter_cell *mc, bool bytes);

/* Marks the packet and counts it under its colour. */
static uint64_t cell_color(struct sw_ctx *c, struct sw_meter_cell *mc, bool bytes)
{
	uint64_t color = cell_mark(c, mc, bytes);
	mc->packets[color]++;
	mc->bytes[color] += c->len;
	return color;
}

static uint64_t cell_mark(struct sw_ctx *c, struct sw_meter_cell *mc, bool bytes)
{
	const struct sw_meter_rate *r = sw_meter_rates_of(mc);
	if (!r->gen)
		return 0;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	if (mc->seen != r->gen) {   /* new rates: full buckets */
		mc->seen = r->gen;
		mc->tc = r->cbs;
		mc->tp = r->pbs;
		mc->last_ns = now;
	}
	double dt = (double)(now - mc->last_ns) / 1e9, b = bytes ? (double)c->len : 1.0;
	mc->last_ns = now;
	mc->tp = mc->tp + r->pir * dt < r->pbs ? mc->tp + r->pir * dt : r->pbs;
	mc->tc = mc->tc + r->cir * dt < r->cbs ? mc->tc + r->cir * dt : r->cbs;
	if (mc->tp < b)
		return 2;
	mc->tp -= b;
	if (mc->tc < b)
		return 1;
	mc->tc -= b;
	return 0;
}



static void checksums(struct sw_ctx *c, bool verify)
{
	const struct sw_plan *p = c->plan;
	for (size_t i = 0; i < p->n_checksums; i++) {
		const struct sw_checksum *ck = &p->checksums[i];
		if ((verify ? !ck->verify : !ck->update) || !c->valid[ck->target.hdr])
			continue;
		if (ck->cond != SW_NONE && !eval(c, ck->cond))
			continue;
		uint64_t v = calc_run(c, &p->calcs[ck->calc]);
		uint64_t mask = ck->target.width >= 64 ? UINT64_MAX : (UINT64_C(1) << ck->target.width) - 1;
		if (verify) {
			uint64_t have = sw_get_bits(c->phv, ck->target.bit, ck->target.width);
			if (have != (v & mask)) {
				STD_SET(c, checksum_error, 1);
				if (c->trace)
					sw_trace_checksum(c, ck, have, v & mask);
			}
		} else {
			sw_set_bits(c->phv, ck->target.bit, ck->target.width, v);
		}
	}
}

/* ---- the v1model run ------------------------------------------------------ */

static uint64_t now_ns(const struct sw_ctx *c)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec - c->v1m->t0;
}

static uint64_t now_us(const struct sw_ctx *c)
{
	return now_ns(c) / 1000;
}

/* Copies a packet's parsed state (PHV, validity, stack fill, varbit
 * lengths) between the running context and a snapshot. */
static void snap_copy(const struct sw_plan *p, const struct snap *to, const struct snap *from)
{
	memcpy(to->phv, from->phv, p->phv_size);
	memcpy(to->valid, from->valid, p->n_headers);
	memcpy(to->next, from->next, p->n_stacks * sizeof(*to->next));
	if (p->has_varbit)
		memcpy(to->vlen, from->vlen, p->n_headers * sizeof(*to->vlen));
}

/* The state of a packet not parsed yet: all zero, metadata valid. */
static void unparsed(struct sw_ctx *c)
{
	const struct sw_plan *p = c->plan;
	memset(c->phv, 0, p->phv_size);
	for (size_t i = 0; i < p->n_headers; i++)
		c->valid[i] = p->headers[i].metadata;
	memset(c->next, 0, p->n_stacks * sizeof(*c->next));
	if (p->has_varbit)
		memset(c->vlen, 0, p->n_headers * sizeof(*c->vlen));
	c->pos = 0;
}

static void snap_save(struct sw_ctx *c, struct snap *sn)
{
	snap_copy(c->plan, sn, &(struct snap){ c->phv, c->valid, c->next, c->vlen, c->pos });
	sn->pos = c->pos;
}

static void snap_load(struct sw_ctx *c, const struct snap *sn)
{
	snap_copy(c->plan, &(struct snap){ c->phv, c->valid, c->next, c->vlen, c->pos }, sn);
	c->pos = sn->pos;
}

/* Field list values out of / into a PHV, packed one after the other. */
static void flist_get(const struct sw_plan *p, uint32_t list, const uint8_t *phv, uint8_t *out)
{
	if (list == SW_NONE)
		return;
	const struct sw_flist *fl = &p->flists[list];
	uint32_t bit = 0;
	for (size_t i = 0; i < fl->n; i++) {
		copy_bits(out, bit, phv, fl->f[i].bit, fl->f[i].width);
		bit += fl->f[i].width;
	}
}

static void flist_put(const struct sw_plan *p, uint32_t list, uint8_t *phv, const uint8_t *in)
{
	if (list == SW_NONE)
		return;
	const struct sw_flist *fl = &p->flists[list];
	uint32_t bit = 0;
	for (size_t i = 0; i < fl->n; i++) {
		copy_bits(phv, fl->f[i].bit, in, bit, fl->f[i].width);
		bit += fl->f[i].width;
	}
}

/* Zeroes the metadata of a PHV but the preserved list and ingress_port, the
 * state of a new copy. */
static void reset_metadata(struct sw_ctx *c, uint8_t *phv, uint32_t list)
{
	const struct sw_plan *p = c->plan;
	uint64_t in_port = p->std.has_ingress_port ?
		sw_get_bits(phv, p->std.ingress_port.bit, p->std.ingress_port.width) : 0;
	flist_get(p, list, phv, c->v1m->fl);
	for (size_t i = 0; i < p->n_headers; i++)
		if (p->headers[i].metadata)
			memset(phv + p->headers[i].off, 0, p->headers[i].nbytes);
	flist_put(p, list, phv, c->v1m->fl);
	if (p->std.has_ingress_port)
		sw_set_bits(phv, p->std.ingress_port.bit, p->std.ingress_port.width, in_port);
}

/* The output of the previous copy leaves before out is written again. */
static void flush_pending(struct sw_ctx *c)
{
	struct sw_v1m *v = c->v1m;
	if (!v->pending)
		return;
	v->pending = false;
	if (c->emit)
		c->emit(c, v->pending_port, c->emit_arg);
	else if (c->trace)
		sw_trace_note(c, "copy to port %u not delivered (no sender)", v->pending_port);
}

static void deparse(struct sw_ctx *c)
{
	const struct sw_plan *p = c->plan;
	size_t o = 0;
	for (size_t i = 0; i < p->n_deparse; i++) {
		uint32_t h = p->deparse[i];
		if (!c->valid[h])
			continue;
		uint32_t nb = sw_hdr_bytes(c, h);
		memcpy(c->out + o, c->phv + p->headers[h].off, nb);
		o += nb;
	}
	c->out_len = o;
	c->payload = c->pkt + c->pos;
	c->payload_len = c->len - c->pos;
	if (c->trunc < o + c->payload_len) {
		c->out_len = c->trunc < o ? c->trunc : o;
		c->payload_len = c->trunc - c->out_len;
	}
}

static void make_clone(struct sw_ctx *c, bool egress);

/* One packet instance through egress, then out, dropped or recirculated.
 * itype SW_NONE keeps the instance_type ingress had (a unicast packet: 0,
 * or RESUBMIT / RECIRC on a later pass, as BMv2 leaves it). */
static void egress_one(struct sw_ctx *c, uint32_t port, uint16_t rid, uint32_t itype)
{
	const struct sw_plan *p = c->plan;
	struct sw_v1m *v = c->v1m;
	uint64_t t = now_ns(c), deq;
	uint32_t enq_depth, deq_depth;
	if (!sw_pre_enqueue(p->pre, port, t, &deq, &enq_depth, &deq_depth)) {
		if (c->trace)
			sw_trace_note(c, "queue of port %u is full: dropped", port);
		return;
	}
	STD_SET(c, egress_port, port);
	STD_SET(c, egress_spec, 0);
	if (itype != SW_NONE)
		STD_SET(c, instance_type, itype);
	STD_SET(c, egress_rid, rid);
	STD_SET(c, packet_length, c->len);
	STD_SET(c, enq_timestamp, t / 1000);
	STD_SET(c, deq_timedelta, (deq - t) / 1000);
	STD_SET(c, enq_qdepth, enq_depth);
	STD_SET(c, deq_qdepth, deq_depth);
	STD_SET(c, egress_global_timestamp, deq / 1000);
	v->clone = v->recirc = false;
	if (c->trace)
		sw_trace_egress_start(c, port, rid, itype == SW_NONE ? SW_PKT_NORMAL : itype);
	run_control(c, p->egress);
	if (v->failed)
		return;
	if (v->clone)
		make_clone(c, true);
	if (STD_GET(c, egress_spec) == SW_DROP_PORT) {
		if (c->trace)
			sw_trace_out(c, -1, "dropped in egress");
		return;
	}
	checksums(c, false);
	flush_pending(c);
	deparse(c);
	if (v->recirc) {
		if (v->rq_len >= MAX_RECIRC) {
			if (c->trace)
				sw_trace_note(c, "recirculation dropped: %d packets already wait", MAX_RECIRC);
			return;
		}
		/* rq[head] is the pass being run; the waiting ones follow it. */
		struct recirc *rc = &v->rq[(v->rq_head + 1 + v->rq_len++) % (MAX_RECIRC + 1)];
		memcpy(rc->buf, c->out, c->out_len);
		memcpy(rc->buf + c->out_len, c->payload, c->payload_len);
		rc->len = c->out_len + c->payload_len;
		rc->list = v->recirc_list;
		flist_get(p, v->recirc_list, c->phv, rc->fl);
		if (c->trace)
			sw_trace_note(c, "recirculated (%zu bytes)", rc->len);
		return;
	}
	if (c->trace)
		sw_trace_out(c, (int)port, NULL);
	v->pending = true;
	v->pending_port = port;
}

/* The clone the running control asked for.  Ingress: the packet as it began
 * this pass, parsed again; egress: the packet as it is now.  Either keeps the
 * field list's metadata and nothing else; the copies run egress later (E2E)
 * or at once (I2E, before the original, as BMv2 enqueues it first). */
static void make_clone(struct sw_ctx *c, bool egress)
{
	const struct sw_plan *p = c->plan;
	struct sw_v1m *v = c->v1m;
	uint32_t session = v->clone_session, list = v->clone_list;
	v->clone = false;
	struct sw_session ss, *s = &ss;
	if (!sw_pre_session(p->pre, session, &ss)) {
		if (c->trace)
			sw_trace_note(c, "clone session %u is not configured: no copy", session);
		return;
	}
	if (v->n_snaps == MAX_SNAPS) {
		if (c->trace)
			sw_trace_note(c, "clone dropped: more than %d clones in one pass", MAX_SNAPS);
		return;
	}
	uint32_t si = v->n_snaps++;
	struct snap *sn = &v->snaps[si];
	if (egress) {
		snap_save(c, sn);
		reset_metadata(c, sn->phv, list);
	} else {
		/* c holds the packet after ingress (saved in v->ing by the caller) */
		flist_get(p, list, c->phv, v->fl);
		uint64_t in_port = STD_GET(c, ingress_port);
		unparsed(c);
		flist_put(p, list, c->phv, v->fl);
		STD_SET(c, ingress_port, in_port);
		if (c->trace)
			sw_trace_note(c, "clone for session %u: parsing the packet again", session);
		parse(c);
		snap_save(c, sn);
	}
	const struct sw_mcgroup *g = s->group ? sw_pre_group(p->pre, s->group) : NULL;
	size_t n = (s->port >= 0) + (g ? g->n : 0);
	if (c->trace)
		sw_trace_note(c, "clone for session %u: %zu cop%s", session, n, n == 1 ? "y" : "ies");
	for (size_t i = 0; i < n; i++) {
		uint32_t port = s->port >= 0 && i == 0 ? (uint32_t)s->port : g->r[i - (s->port >= 0)].port;
		uint16_t rid = s->port >= 0 && i == 0 ? 0 : g->r[i - (s->port >= 0)].rid;
		if (egress) {
			if (v->n_jobs == MAX_JOBS) {
				if (c->trace)
					sw_trace_note(c, "clone copy to port %u dropped: more than %d", port, MAX_JOBS);
				continue;
			}
			v->jobs[v->n_jobs++] = (struct job){ si, port, rid };
		} else {
			snap_load(c, sn);
			egress_one(c, port, rid, SW_PKT_INGRESS_CLONE);
		}
	}
}

static void make_digest(struct sw_ctx *c)
{
	const struct sw_plan *p = c->plan;
	struct sw_v1m *v = c->v1m;
	const struct sw_flist *l = &p->learns[v->digest_list];
	uint32_t off = 0;
	for (size_t i = 0; i < l->n; i++) {
		uint32_t nb = (l->f[i].width + 7) / 8;
		memset(v->dg + off, 0, nb);
		copy_bits(v->dg, (off + nb) * 8 - l->f[i].width, c->phv, l->f[i].bit, l->f[i].width);
		off += nb;
	}
	sw_pre_digest_push(p->pre, v->digest_recv, v->digest_list, v->dg, off);
	if (c->trace)
		sw_trace_note(c, "digest %s (%u bytes) to receiver %u", l->name, off, v->digest_recv);
}

/* One ingress pass over c->pkt / c->len and what follows it.  Returns true
 * when the packet is resubmitted (v->fl_resub holds what it keeps). */
static bool ingress_pass(struct sw_ctx *c, uint32_t in_port, uint32_t itype, const uint8_t *fl,
			 uint32_t list)
{
	const struct sw_plan *p = c->plan;
	struct sw_v1m *v = c->v1m;
	unparsed(c);
	c->trunc = SIZE_MAX;
	v->clone = v->resubmit = v->recirc = v->digest = false;
	v->n_snaps = 0;
	v->n_jobs = 0;
	if (fl)
		flist_put(p, list, c->phv, fl);
	STD_SET(c, ingress_port, in_port);
	STD_SET(c, packet_length, c->len);
	STD_SET(c, instance_type, itype);
	STD_SET(c, ingress_global_timestamp, now_us(c));
	if (c->trace)
		sw_trace_in(c, in_port, c->len, itype);
	parse(c);
	checksums(c, true);
	run_control(c, p->ingress);
	if (v->failed)
		return false;

	if (v->digest)
		make_digest(c);
	uint32_t grp = (uint32_t)STD_GET(c, mcast_grp);
	uint64_t spec = STD_GET(c, egress_spec);
	const struct sw_mcgroup *g = grp && !v->resubmit ? sw_pre_group(p->pre, grp) : NULL;
	bool saved = false;
	if (v->clone || (g && g->n > 1)) {
		snap_save(c, &v->ing);
		saved = true;
	}
	if (v->clone) {
		make_clone(c, false);
		snap_load(c, &v->ing);
	}
	if (v->resubmit) {
		flist_get(p, v->resub_list, c->phv, v->fl_resub);
		if (c->trace)
			sw_trace_note(c, "resubmitted");
		return true;
	}
	if (grp) {
		if (c->trace)
			sw_trace_note(c, g ? "multicast group %u: %zu copies" :
				      "multicast group %u is not configured: no copies", grp, g ? g->n : 0);
		for (size_t i = 0; g && i < g->n; i++) {
			if (i && saved)
				snap_load(c, &v->ing);
			egress_one(c, g->r[i].port, g->r[i].rid, SW_PKT_REPLICATION);
		}
	} else if (spec == SW_DROP_PORT) {
		if (c->trace)
			sw_trace_out(c, -1, "dropped in ingress");
	} else {
		if (c->trace)
			sw_trace_egress(c, spec);
		egress_one(c, (uint32_t)spec, 0, SW_NONE);
	}
	/* egress-to-egress clones, and theirs, in the order they were made */
	for (size_t j = 0; j < v->n_jobs && !v->failed; j++) {
		struct job jb = v->jobs[j];
		snap_load(c, &v->snaps[jb.snap]);
		egress_one(c, jb.port, jb.rid, SW_PKT_EGRESS_CLONE);
	}
	return false;
}

int sw_exec(struct sw_ctx *c, uint32_t in_port, const uint8_t *pkt, size_t len)
{
	struct sw_v1m *v = c->v1m;
	const uint8_t *fl = NULL;
	uint32_t list = SW_NONE, itype = SW_PKT_NORMAL;
	c->count++;
	c->out_len = 0;
	c->payload_len = 0;
	c->pkt = pkt;
	c->len = len;
	v->pending = false;
	v->failed = false;
	v->rq_head = 0;
	v->rq_len = 0;
	for (int pass = 0;; pass++) {
		if (pass == MAX_PASSES) {
			if (c->trace)
				sw_trace_note(c, "loop bound: %d ingress passes, the rest is dropped", MAX_PASSES);
			break;
		}
		if (ingress_pass(c, in_port, itype, fl, list)) {
			fl = v->fl_resub;
			list = v->resub_list;
			itype = SW_PKT_RESUBMIT;
			continue;
		}
		if (!v->rq_len || v->failed)
			break;
		v->rq_head = (v->rq_head + 1) % (MAX_RECIRC + 1);
		v->rq_len--;
		const struct recirc *rc = &v->rq[v->rq_head];
		c->pkt = rc->buf;
		c->len = rc->len;
		fl = rc->fl;
		list = rc->list;
		itype = SW_PKT_RECIRC;
	}
	return v->pending && !v->failed ? (int)v->pending_port : -1;
}
