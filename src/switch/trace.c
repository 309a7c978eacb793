/* trace.c - the per-packet trace; see trace.h.  Values print in hex, wide
 * ones in full. */
#include "trace.h"

#include <inttypes.h>
#include <stdarg.h>

static const char *itype_name(uint32_t t)
{
	static const char *const n[] = { "normal", "ingress clone", "egress clone", "coalesced",
		"recirculated", "replica", "resubmitted" };
	return t < sizeof(n) / sizeof(n[0]) ? n[t] : "?";
}

static void put_bits(FILE *f, const uint8_t *buf, uint32_t bit, uint32_t width)
{
	if (width <= 64) {
		fprintf(f, "0x%" PRIx64, sw_get_bits(buf, bit, width));
		return;
	}
	fputs("0x", f);
	uint32_t lead = width % 8 ? width % 8 : 8;
	fprintf(f, "%02" PRIx64, sw_get_bits(buf, bit, lead));
	for (uint32_t b = lead; b < width; b += 8)
		fprintf(f, "%02" PRIx64, sw_get_bits(buf, bit + b, 8));
}

void sw_trace_in(struct sw_ctx *c, uint32_t port, size_t len, uint32_t itype)
{
	if (itype == 0)
		fprintf(c->trace, "[packet %" PRIu64 "] in port %u, %zu bytes\n", c->count, port, len);
	else
		fprintf(c->trace, "[packet %" PRIu64 "] ingress again (%s), port %u, %zu bytes\n",
			c->count, itype_name(itype), port, len);
}

void sw_trace_egress_start(struct sw_ctx *c, uint32_t port, uint32_t rid, uint32_t itype)
{
	fprintf(c->trace, "  egress port %u", port);
	if (itype)
		fprintf(c->trace, " (%s, rid %u)", itype_name(itype), rid);
	fputc('\n', c->trace);
}

void sw_trace_note(struct sw_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("  ", c->trace);
	vfprintf(c->trace, fmt, ap);
	fputc('\n', c->trace);
	va_end(ap);
}

void sw_trace_state(struct sw_ctx *c, const struct sw_state *st)
{
	fprintf(c->trace, "  parser state %s\n", st->name);
}

void sw_trace_header(struct sw_ctx *c, const char *what, uint32_t hdr)
{
	const struct sw_header *h = &c->plan->headers[hdr];
	fprintf(c->trace, "    %s %s {", what, h->name);
	for (size_t i = 0; i < h->n_fields; i++) {
		fprintf(c->trace, "%s%s=", i ? ", " : "", h->fields[i].name);
		put_bits(c->trace, c->phv, h->off * 8 + h->fields[i].bit, h->fields[i].width);
	}
	fputs("}\n", c->trace);
}

static const char *error_name(const struct sw_plan *p, uint32_t e)
{
	return e < p->n_errors && p->error_names[e] ? p->error_names[e] : "?";
}

void sw_trace_parser_error(struct sw_ctx *c, uint32_t error)
{
	fprintf(c->trace, "  parser error %s (%u), %zu bytes left as payload\n",
		error_name(c->plan, error), error, c->len - c->pos);
}

void sw_trace_checksum(struct sw_ctx *c, const struct sw_checksum *ck, uint64_t have,
		       uint64_t want)
{
	fprintf(c->trace, "  checksum %s: wrong (0x%" PRIx64 ", expected 0x%" PRIx64
		"): checksum_error = 1\n", ck->name, have, want);
}

void sw_trace_table(struct sw_ctx *c, const struct sw_table *t, bool hit,
		    const struct sw_entry *e, uint32_t slot)
{
	fprintf(c->trace, "  table %s key {", t->name);
	for (size_t i = 0; i < t->n_keys; i++) {
		const struct sw_key_part *k = &t->keys[i];
		fprintf(c->trace, "%s%s=", i ? ", " : "", k->info.name);
		put_bits(c->trace, c->key, (k->off + k->nbytes) * 8 - k->f.width, k->f.width);
	}
	fprintf(c->trace, "} -> %s", hit ? "hit" : e ? "miss, default" : "miss, no default");
	if (hit && slot != SW_NONE)
		fprintf(c->trace, " (hit index %u)", slot);
	fputc('\n', c->trace);
}

void sw_trace_action(struct sw_ctx *c, const struct sw_action *a, const uint8_t *args)
{
	fprintf(c->trace, "    action %s(", a->name);
	for (size_t i = 0; i < a->n_params; i++) {
		const struct sw_param *pa = &a->params[i];
		uint32_t nb = (pa->width + 7) / 8;
		fprintf(c->trace, "%s%s=", i ? ", " : "", pa->name);
		put_bits(c->trace, args, pa->off * 8 + nb * 8 - pa->width, pa->width);
	}
	fputs(")\n", c->trace);
}

void sw_trace_cond(struct sw_ctx *c, const struct sw_node *n, bool v)
{
	fprintf(c->trace, "  condition %s -> %s\n", n->name, v ? "true" : "false");
}

void sw_trace_out(struct sw_ctx *c, int port, const char *why)
{
	if (port < 0)
		fprintf(c->trace, "  %s\n", why);
	else
		fprintf(c->trace, "  out port %d, %zu bytes\n", port, c->out_len + c->payload_len);
}

void sw_trace_egress(struct sw_ctx *c, uint64_t port)
{
	fprintf(c->trace, "  ingress done: egress port %" PRIu64 "\n", port);
}

void sw_trace_log(struct sw_ctx *c, const struct sw_log *l, const struct sw_ins *in)
{
	(void)in;
	fputs("    log: ", c->trace);
	size_t a = 0;
	for (const char *f = l->fmt; *f; f++) {
		if (f[0] == '{' && f[1] == '}' && a < l->n_args) {
			fprintf(c->trace, "%" PRIu64, sw_eval(c, l->args[a++]));
			f++;
		} else {
			fputc(*f, c->trace);
		}
	}
	fputc('\n', c->trace);
}

void sw_trace_summary(const struct sw_plan *p, FILE *f)
{
	static const char *const algos[] = {
#define X(e, s) s,
		SW_ALGOS(X)
#undef X
	};
	/* member stacks of union stacks come after the header stacks */
	for (size_t i = 0; i < (p->n_ustacks ? p->ustacks[0].first : p->n_stacks); i++)
		fprintf(f, "  header stack %s: %u x %s\n", p->stacks[i].name, p->stacks[i].size,
			p->headers[p->stacks[i].hdrs[0]].type);
	for (size_t i = 0; i < p->n_unions; i++) {
		fprintf(f, "  header union %s:", p->unions[i].name);
		for (size_t j = 0; j < p->unions[i].n; j++)
			fprintf(f, " %s", p->headers[p->unions[i].hdrs[j]].name);
		fputc('\n', f);
	}
	for (size_t i = 0; i < p->n_ustacks; i++)
		fprintf(f, "  header union stack %s: %u unions of %u members\n", p->ustacks[i].name,
			p->ustacks[i].size, p->ustacks[i].n);
	for (size_t i = 0; i < p->n_vsets; i++)
		fprintf(f, "  parse value set %s: %u bits, up to %u values\n", p->vsets[i].name,
			p->vsets[i].width, p->vsets[i].max);
	for (size_t i = 0; i < p->n_profiles; i++)
		fprintf(f, "  action profile %s: %u members and groups%s%s\n", p->profiles[i].name,
			p->profiles[i].max, p->profiles[i].selector != SW_NONE ? ", selector " : "",
			p->profiles[i].selector != SW_NONE ? algos[p->calcs[p->profiles[i].selector].algo] : "");
	for (size_t i = 0; i < p->n_counters; i++)
		fprintf(f, "  counter %s[%u]\n", p->counters[i].name, p->counters[i].size);
	for (size_t i = 0; i < p->n_registers; i++)
		fprintf(f, "  register %s[%u] of %u bits\n", p->registers[i].name, p->registers[i].size,
			p->registers[i].width);
	for (size_t i = 0; i < p->n_meters; i++)
		fprintf(f, "  meter %s[%u] (%s)\n", p->meters[i].name, p->meters[i].size,
			p->meters[i].bytes ? "bytes" : "packets");
	for (size_t i = 0; i < p->n_calcs; i++)
		fprintf(f, "  calculation %s: %s over %zu inputs\n", p->calcs[i].name,
			algos[p->calcs[i].algo], p->calcs[i].n_in);
	for (int k = 0; k < 2; k++) {
		const struct sw_flist *l = k ? p->learns : p->flists;
		for (size_t i = 0, n = k ? p->n_learns : p->n_flists; i < n; i++)
			fprintf(f, "  %s %d (%s): %zu fields, %u bits\n", k ? "learn list" : "field list",
				l[i].id, l[i].name, l[i].n, l[i].bits);
	}
	size_t uses[SW_I_COUNT] = { 0 };
	for (size_t i = 0; i < p->n_ins; i++)
		uses[p->ins[i].op]++;
	if (uses[SW_I_CLONE] || uses[SW_I_RESUBMIT] || uses[SW_I_RECIRC] || uses[SW_I_DIGEST] ||
	    uses[SW_I_LOG] || uses[SW_I_ASSERT])
		fprintf(f, "  uses: %zu clone, %zu resubmit, %zu recirculate, %zu digest, %zu log_msg, "
			"%zu assert/assume\n", uses[SW_I_CLONE], uses[SW_I_RESUBMIT], uses[SW_I_RECIRC],
			uses[SW_I_DIGEST], uses[SW_I_LOG], uses[SW_I_ASSERT]);
}
