/* load.c - BMv2 JSON -> execution plan (plan.h).  Called by sw_create().
 * This part holds sw_plan_load() and sw_plan_free(), the helpers every part
 * shares (load.h), headers, stacks, errors, the parser and the deparser;
 * load_act.c holds expressions and actions, load_ctl.c pipelines, stateful
 * arrays and checksums, load_v1m.c unions, value sets and field lists.
 *
 * Walks the JSON once, resolving every name into an index or a bit offset.
 * Whatever the file uses that the switch does not run is refused with the
 * JSON path of the offending element ("pipelines[0].tables[2].key[0]: ...");
 * nothing is skipped silently.  Load-time lookups by name are linear: they
 * happen once per reference, never per packet. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "pre.h"
#include "table.h"

void ld_path(char *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w, W_MAX, fmt, ap);
	va_end(ap);
}

int ld_fail(struct ld *ld, const char *where, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return p4l_errf(ld->err, -EINVAL, "%s: %s: %s", ld->p->file, where, msg);
}

int ld_oom(struct ld *ld)
{
	return p4l_errf(ld->err, -ENOMEM, "%s: out of memory", ld->p->file);
}

static void *grow(void *arr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return arr;
	size_t nc = *cap ? *cap : 16;
	while (nc < need)
		nc *= 2;
	void *n = realloc(arr, nc * elem);
	if (n)
		*cap = nc;
	return n;
}

/* ---- JSON accessors ---------------------------------------------------- */

json_t *ld_member(struct ld *ld, json_t *o, const char *key, json_type type,
		      const char *where, int *r)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	if (!v || json_typeof(v) != type) {
		static const char *const tn[] = { "an object", "an array", "a string",
			"an integer", "a number", "true", "false", "null" };
		*r = ld_fail(ld, where, "\"%s\" must be %s", key,
			  type == JSON_TRUE ? "a boolean" : tn[type]);
		return NULL;
	}
	return v;
}

const char *ld_str(struct ld *ld, json_t *o, const char *key, const char *where,
			      int *r)
{
	json_t *v = ld_member(ld, o, key, JSON_STRING, where, r);
	return v ? json_string_value(v) : NULL;
}

/* An optional array member: missing or null is empty. */
json_t *ld_opt_array(struct ld *ld, json_t *o, const char *key, const char *where, int *r)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		*r = ld_fail(ld, where, "\"%s\" must be an array", key);
		return NULL;
	}
	return v;
}

void *ld_top_list(struct ld *ld, json_t *root, const char *key, size_t elem, json_t **list,
		  int *r)
{
	*list = ld_opt_array(ld, root, key, "(top)", r);
	if (!*list)
		return NULL;
	void *arr = calloc(json_array_size(*list) + 1, elem);
	if (!arr)
		*r = ld_oom(ld);
	return arr;
}

char *ld_dup(struct ld *ld, const char *s, int *r)
{
	char *d = strdup(s);
	if (!d)
		*r = ld_oom(ld);
	return d;
}

json_t *ld_unwrap(json_t *tv)
{
	while (json_is_object(tv) && json_is_string(json_object_get(tv, "type")) &&
	       !strcmp(json_string_value(json_object_get(tv, "type")), "expression")) {
		json_t *v = json_object_get(tv, "value");
		if (!json_is_object(v) || !json_object_get(v, "type"))
			break;
		tv = v;
	}
	return tv;
}

const char *ld_tv_type(json_t *tv)
{
	json_t *t = json_object_get(tv, "type");
	return json_is_string(t) ? json_string_value(t) : "";
}

/* ---- hex strings ------------------------------------------------------- */

/* Parses "0x..." or "-0x..." (or decimal digits) into nbytes big-endian bytes.
 * Returns -ERANGE if the value does not fit, -EINVAL if malformed. */
int ld_hex_bytes(const char *s, uint8_t *out, size_t nbytes, bool *neg)
{
	*neg = false;
	if (*s == '-') {
		*neg = true;
		s++;
	}
	memset(out, 0, nbytes);
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		size_t n = strlen(s);
		if (!n)
			return -EINVAL;
		for (size_t i = 0; i < n; i++) {
			char c = s[n - 1 - i];
			int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
				c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
			if (d < 0)
				return -EINVAL;
			if (i / 2 >= nbytes) {
				if (d)
					return -ERANGE;
				continue;
			}
			out[nbytes - 1 - i / 2] |= (uint8_t)(i & 1 ? d << 4 : d);
		}
		return 0;
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		unsigned carry = (unsigned)(*s - '0');
		for (size_t i = nbytes; i-- > 0;) {
			unsigned v = out[i] * 10u + carry;
			out[i] = (uint8_t)v;
			carry = v >> 8;
		}
		if (carry)
			return -ERANGE;
	}
	return 0;
}

/* Appends n bytes to the constant pool; *off gets their offset. */
static int pool_add(struct ld *ld, const uint8_t *b, size_t n, uint32_t *off)
{
	struct sw_plan *p = ld->p;
	uint8_t *np = grow(p->pool, &p->pool_cap, p->pool_len + n + 8, 1);
	if (!np)
		return ld_oom(ld);
	p->pool = np;
	*off = (uint32_t)p->pool_len;
	memcpy(p->pool + p->pool_len, b, n);
	p->pool_len += n;
	return 0;
}

/* A hexstr of exactly nbytes (after dropping leading zero bytes) into the pool. */
int ld_pool_hex(struct ld *ld, const char *s, size_t nbytes, const char *where, uint32_t *off)
{
	uint8_t buf[SW_MAX_KEY_BYTES];
	bool neg;
	if (nbytes > sizeof(buf))
		return ld_fail(ld, where, "value of %zu bytes is too wide", nbytes);
	int r = ld_hex_bytes(s, buf, nbytes, &neg);
	if (r == -EINVAL || neg)
		return ld_fail(ld, where, "\"%s\" is not a hex string", s);
	if (r == -ERANGE)
		return ld_fail(ld, where, "\"%s\" does not fit in %zu bytes", s, nbytes);
	return pool_add(ld, buf, nbytes, off);
}

/* ---- the plan's growing arrays ------------------------------------------ */

int ld_new_expr(struct ld *ld, struct sw_expr e, uint32_t *idx)
{
	struct sw_plan *p = ld->p;
	struct sw_expr *n = grow(p->exprs, &p->cap_exprs, p->n_exprs + 1, sizeof(*n));
	if (!n)
		return ld_oom(ld);
	p->exprs = n;
	n[p->n_exprs] = e;
	*idx = (uint32_t)p->n_exprs++;
	return 0;
}

int ld_emit(struct ld *ld, struct sw_ins in)
{
	struct sw_plan *p = ld->p;
	struct sw_ins *n = grow(p->ins, &p->cap_ins, p->n_ins + 1, sizeof(*n));
	if (!n)
		return ld_oom(ld);
	p->ins = n;
	n[p->n_ins++] = in;
	return 0;
}

/* ---- headers and fields ------------------------------------------------- */

int ld_find_header(const struct sw_plan *p, const char *name)
{
	for (size_t i = 0; i < p->n_headers; i++)
		if (!strcmp(p->headers[i].name, name))
			return (int)i;
	return -1;
}

/* Resolves ["hdr", "field"]; "$valid$" gives a 1-bit VALIDF reference
 * (*is_valid set). */
int ld_field_ref(struct ld *ld, json_t *v, const char *where, struct sw_fref *f,
		     bool *is_valid)
{
	*is_valid = false;
	if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_string(json_array_get(v, 0)) ||
	    !json_is_string(json_array_get(v, 1)))
		return ld_fail(ld, where, "a field reference must be [\"header\", \"field\"]");
	const char *hn = json_string_value(json_array_get(v, 0));
	const char *fn = json_string_value(json_array_get(v, 1));
	int h = ld_find_header(ld->p, hn);
	if (h < 0)
		return ld_fail(ld, where, "no header instance named \"%s\"", hn);
	const struct sw_header *hd = &ld->p->headers[h];
	if (!strcmp(fn, "$valid$")) {
		*is_valid = true;
		*f = (struct sw_fref){ 0, 1, (uint32_t)h };
		return 0;
	}
	for (size_t i = 0; i < hd->n_fields; i++)
		if (!strcmp(hd->fields[i].name, fn)) {
			*f = (struct sw_fref){ hd->off * 8 + hd->fields[i].bit, hd->fields[i].width,
					       (uint32_t)h };
			return 0;
		}
	return ld_fail(ld, where, "header \"%s\" has no field \"%s\"", hn, fn);
}

static int load_headers(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *types = ld_member(ld, root, "header_types", JSON_ARRAY, "(top)", &r);
	json_t *hdrs = types ? ld_member(ld, root, "headers", JSON_ARRAY, "(top)", &r) : NULL;
	if (!hdrs)
		return r;
	p->headers = calloc(json_array_size(hdrs) + 1, sizeof(*p->headers));
	if (!p->headers)
		return ld_oom(ld);
	size_t i;
	json_t *h;
	uint32_t off = 0;
	json_array_foreach(hdrs, i, h) {
		char w[W_MAX];
		ld_path(w, "headers[%zu]", i);
		const char *name = ld_str(ld, h, "name", w, &r);
		const char *tname = name ? ld_str(ld, h, "header_type", w, &r) : NULL;
		if (!tname)
			return r;
		if (ld_find_header(p, name) >= 0)
			return ld_fail(ld, w, "header instance \"%s\" is declared twice", name);
		json_t *t = NULL, *cand;
		size_t j;
		json_array_foreach(types, j, cand) {
			json_t *n = json_object_get(cand, "name");
			if (json_is_string(n) && !strcmp(json_string_value(n), tname)) {
				t = cand;
				break;
			}
		}
		if (!t)
			return ld_fail(ld, w, "no header type named \"%s\"", tname);
		char tw[W_MAX];
		ld_path(tw, "header_types[%zu]", j);
		json_t *fields = ld_member(ld, t, "fields", JSON_ARRAY, tw, &r);
		if (!fields)
			return r;
		struct sw_header *hd = &p->headers[p->n_headers++];
		hd->name = ld_dup(ld, name, &r);
		hd->type = ld_dup(ld, tname, &r);
		hd->fields = calloc(json_array_size(fields) + 1, sizeof(*hd->fields));
		if (r || !hd->fields)
			return r ? r : ld_oom(ld);
		hd->metadata = json_is_true(json_object_get(h, "metadata"));
		hd->id = (int)json_integer_value(json_object_get(h, "id"));
		json_t *f;
		size_t k;
		uint32_t bit = 0;
		json_array_foreach(fields, k, f) {
			char fw[W_MAX];
			ld_path(fw, "%s.fields[%zu]", tw, k);
			json_t *fn = json_array_get(f, 0), *fwid = json_array_get(f, 1);
			json_int_t width;
			if (!json_is_string(fn))
				return ld_fail(ld, fw, "a field must be [\"name\", width]");
			if (json_is_string(fwid)) {
				json_t *ml = json_object_get(t, "max_length");
				if (strcmp(json_string_value(fwid), "*") || k + 1 != json_array_size(fields))
					return ld_fail(ld, fw, "a varbit field (\"*\") must be the header's last");
				if (!json_is_integer(ml) || json_integer_value(ml) * 8 <= (json_int_t)bit ||
				    json_integer_value(ml) > 65536 || bit % 8)
					return ld_fail(ld, tw, "a header with a varbit field needs \"max_length\" "
						       "(bytes) beyond its byte-aligned fixed fields");
				hd->varbit = true;
				hd->fixed = bit;
				p->has_varbit = true;
				width = json_integer_value(ml) * 8 - bit;
			} else if (!json_is_integer(fwid) || json_integer_value(fwid) <= 0 ||
				   json_integer_value(fwid) > 65536) {
				return ld_fail(ld, fw, "field \"%s\" needs a positive integer width",
					    json_string_value(fn));
			} else {
				width = json_integer_value(fwid);
			}
			if (json_is_true(json_array_get(f, 2)) && width > 64)
				return ld_fail(ld, fw, "signed field \"%s\" is wider than 64 bits",
					    json_string_value(fn));
			struct sw_field *sf = &hd->fields[hd->n_fields++];
			sf->is_signed = json_is_true(json_array_get(f, 2));
			sf->name = ld_dup(ld, json_string_value(fn), &r);
			if (r)
				return r;
			sf->width = (uint32_t)width;
			sf->bit = bit;
			bit += sf->width;
		}
		hd->nbits = bit;
		hd->nbytes = (bit + 7) / 8;
		hd->off = off;
		off += (hd->nbytes + 7) & ~7u;
	}
	p->phv_size = off + 8;  /* slack: bit access reads up to 9 bytes */
	return 0;
}

static void load_std(struct sw_plan *p)
{
	int h = ld_find_header(p, "standard_metadata");
	if (h < 0)
		return;
	const struct sw_header *hd = &p->headers[h];
	for (size_t i = 0; i < hd->n_fields; i++) {
		struct sw_fref f = { hd->off * 8 + hd->fields[i].bit, hd->fields[i].width, (uint32_t)h };
#define X(n) if (!strcmp(hd->fields[i].name, #n)) { p->std.n = f; p->std.has_##n = true; }
		SW_STD_FIELDS(X)
#undef X
	}
}

static int load_errors(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *errs = ld_opt_array(ld, root, "errors", "(top)", &r), *e;
	size_t i;
	p->err_too_short = 1;
	p->err_no_match = 2;
	p->err_stack_oob = 3;
	p->err_header_too_short = 4;
	p->err_invalid_arg = 5;
	if (!errs)
		return r;
	json_array_foreach(errs, i, e) {
		char w[W_MAX];
		ld_path(w, "errors[%zu]", i);
		json_t *n = json_array_get(e, 0), *v = json_array_get(e, 1);
		if (!json_is_string(n) || !json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) >= 4096)
			return ld_fail(ld, w, "an error must be [\"name\", value] with 0 <= value < 4096");
		size_t val = (size_t)json_integer_value(v);
		if (val >= p->n_errors) {
			char **ne = realloc(p->error_names, (val + 1) * sizeof(*ne));
			if (!ne)
				return ld_oom(ld);
			memset(ne + p->n_errors, 0, (val + 1 - p->n_errors) * sizeof(*ne));
			p->error_names = ne;
			p->n_errors = val + 1;
		}
		free(p->error_names[val]);
		p->error_names[val] = ld_dup(ld, json_string_value(n), &r);
		if (r)
			return r;
		if (!strcmp(json_string_value(n), "PacketTooShort"))
			p->err_too_short = (uint32_t)val;
		if (!strcmp(json_string_value(n), "NoMatch"))
			p->err_no_match = (uint32_t)val;
		if (!strcmp(json_string_value(n), "StackOutOfBounds"))
			p->err_stack_oob = (uint32_t)val;
		if (!strcmp(json_string_value(n), "HeaderTooShort"))
			p->err_header_too_short = (uint32_t)val;
		if (!strcmp(json_string_value(n), "ParserInvalidArgument"))
			p->err_invalid_arg = (uint32_t)val;
	}
	return 0;
}

int ld_header_ids(struct ld *ld, json_t *o, const char *w, char **name, uint32_t **hdrs,
		  size_t *n)
{
	int r = 0;
	const char *nm = ld_str(ld, o, "name", w, &r);
	json_t *ids = nm ? ld_member(ld, o, "header_ids", JSON_ARRAY, w, &r) : NULL, *id;
	if (!ids)
		return r;
	*name = ld_dup(ld, nm, &r);
	*hdrs = calloc(json_array_size(ids) + 1, sizeof(**hdrs));
	if (r || !*hdrs)
		return r ? r : ld_oom(ld);
	size_t j;
	json_array_foreach(ids, j, id) {
		size_t h = 0;
		while (h < ld->p->n_headers &&
		       !(json_is_integer(id) && ld->p->headers[h].id == json_integer_value(id)))
			h++;
		if (h == ld->p->n_headers)
			return ld_fail(ld, w, "header_ids[%zu]: no header instance with that id", j);
		(*hdrs)[(*n)++] = (uint32_t)h;
	}
	return 0;
}

static int load_stacks(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *st, *s;
	size_t i;
	if (!(p->stacks = ld_top_list(ld, root, "header_stacks", sizeof(*p->stacks), &st, &r)))
		return r;
	json_array_foreach(st, i, s) {
		char w[W_MAX];
		ld_path(w, "header_stacks[%zu]", i);
		struct sw_stack *sk = &p->stacks[p->n_stacks++];
		size_t n = 0;
		if ((r = ld_header_ids(ld, s, w, &sk->name, &sk->hdrs, &n)))
			return r;
		if (!n)
			return ld_fail(ld, w, "a header stack needs at least one element");
		for (size_t j = 1; j < n; j++)
			if (strcmp(p->headers[sk->hdrs[j]].type, p->headers[sk->hdrs[0]].type))
				return ld_fail(ld, w, "header_ids[%zu]: elements of one stack differ in type", j);
		sk->size = (uint32_t)n;
		sk->cur = (uint32_t)i;
	}
	return 0;
}

int ld_find_stack(const struct sw_plan *p, json_t *v)
{
	for (size_t i = 0; json_is_string(v) && i < p->n_stacks; i++)
		if (!strcmp(p->stacks[i].name, json_string_value(v)))
			return (int)i;
	return -1;
}

/* Field fn of stack s's elements: bit relative to the element. */
static int stack_field_at(struct ld *ld, int s, const char *fn, const char *where,
			  struct sw_fref *f)
{
	const struct sw_header *h = &ld->p->headers[ld->p->stacks[s].hdrs[0]];
	for (size_t i = 0; i < h->n_fields; i++)
		if (!strcmp(h->fields[i].name, fn)) {
			if (h->fields[i].width > 64)
				return ld_fail(ld, where, "stack fields wider than 64 bits are not supported");
			*f = (struct sw_fref){ h->fields[i].bit, h->fields[i].width, (uint32_t)s };
			return 0;
		}
	return ld_fail(ld, where, "header stack \"%s\" has no field \"%s\"", ld->p->stacks[s].name, fn);
}

int ld_stack_field(struct ld *ld, json_t *v, const char *where, struct sw_fref *f)
{
	json_t *sn = json_array_get(v, 0), *fn = json_array_get(v, 1);
	int s = ld_find_stack(ld->p, sn);
	if (s < 0 || !json_is_string(fn))
		return ld_fail(ld, where, "a stack field must be [\"stack\", \"field\"] naming a header stack");
	return stack_field_at(ld, s, json_string_value(fn), where, f);
}

/* ---- parser and deparser ------------------------------------------------- */

static int parser_op(struct ld *ld, json_t *o, const char *where)
{
	int r = 0;
	const char *op = ld_str(ld, o, "op", where, &r);
	json_t *params = op ? ld_member(ld, o, "parameters", JSON_ARRAY, where, &r) : NULL;
	struct sw_ins in = { 0 };
	char w[W_MAX];
	bool isv;
	if (!params)
		return r;
	if (!strcmp(op, "extract")) {
		json_t *tv = json_array_get(params, 0), *v = json_object_get(tv, "value");
		ld_path(w, "%s.parameters[0]", where);
		if (!strcmp(ld_tv_type(tv), "union_stack")) {
			/* [union stack, member]: member m of its next union */
			if (json_array_size(v) != 2)
				return ld_fail(ld, w, "extract of type \"union_stack\" takes "
					       "[\"union stack\", \"member\"]");
			int st = ld_union_member_stack(ld, json_array_get(v, 0), json_array_get(v, 1), w);
			if (st < 0)
				return st;
			in.op = SW_I_EXTRACT_STACK;
			in.hdr = (uint32_t)st;
			return ld_emit(ld, in);
		}
		if (!strcmp(ld_tv_type(tv), "stack")) {
			int st = ld_find_stack(ld->p, v);
			if (st < 0)
				return ld_fail(ld, w, "no header stack named \"%s\"",
					       json_is_string(v) ? json_string_value(v) : "?");
			in.op = SW_I_EXTRACT_STACK;
			in.hdr = (uint32_t)st;
			return ld_emit(ld, in);
		}
		if (strcmp(ld_tv_type(tv), "regular"))
			return ld_fail(ld, w, "extract of type \"%s\" is not supported", ld_tv_type(tv));
		int h = json_is_string(v) ? ld_find_header(ld->p, json_string_value(v)) : -1;
		if (h < 0)
			return ld_fail(ld, w, "no header instance named \"%s\"",
				    json_is_string(v) ? json_string_value(v) : "?");
		in.op = SW_I_EXTRACT;
		in.hdr = (uint32_t)h;
		return ld_emit(ld, in);
	}
	if (!strcmp(op, "extract_VL")) {
		json_t *tv = json_array_get(params, 0), *v = json_object_get(tv, "value");
		ld_path(w, "%s.parameters[0]", where);
		int h = json_is_string(v) ? ld_find_header(ld->p, json_string_value(v)) : -1;
		if (strcmp(ld_tv_type(tv), "regular") || h < 0)
			return ld_fail(ld, w, "extract_VL takes a header instance");
		if (!ld->p->headers[h].varbit)
			return ld_fail(ld, w, "header \"%s\" has no varbit field", ld->p->headers[h].name);
		in.op = SW_I_EXTRACT_VL;
		in.hdr = (uint32_t)h;
		ld_path(w, "%s.parameters[1]", where);
		if ((r = ld_expr(ld, NULL, json_array_get(params, 1), w, &in.expr)))
			return r;
		return ld_emit(ld, in);
	}
	if (!strcmp(op, "set")) {
		json_t *src = ld_unwrap(json_array_get(params, 1));
		if (json_array_size(params) != 2)
			return ld_fail(ld, where, "\"set\" takes 2 parameters");
		if (!strcmp(ld_tv_type(src), "lookahead")) {
			json_t *dst = json_array_get(params, 0), *lv = json_object_get(src, "value");
			ld_path(w, "%s.parameters[0]", where);
			if ((r = ld_field_ref(ld, json_object_get(dst, "value"), w, &in.dst, &isv)))
				return r;
			if (!json_is_array(lv) || !json_is_integer(json_array_get(lv, 0)) ||
			    !json_is_integer(json_array_get(lv, 1)))
				return ld_fail(ld, where, "lookahead must be [offset, width]");
			in.op = SW_I_ASSIGN_LA;
			in.src = (struct sw_wide){ 0, (uint32_t)json_integer_value(json_array_get(lv, 0)),
						   (uint32_t)json_integer_value(json_array_get(lv, 1)) };
			if (in.src.width > 64 || in.dst.width > 64)
				return ld_fail(ld, where, "lookahead wider than 64 bits is not supported");
			return ld_emit(ld, in);
		}
		return ld_emit_arith(ld, NULL, params, 0, -1, 1, -1, where);
	}
	if (!strcmp(op, "verify")) {
		if (json_array_size(params) != 2)
			return ld_fail(ld, where, "\"verify\" takes 2 parameters");
		in.op = SW_I_VERIFY;
		ld_path(w, "%s.parameters[0]", where);
		if ((r = ld_expr(ld, NULL, json_array_get(params, 0), w, &in.expr)))
			return r;
		ld_path(w, "%s.parameters[1]", where);
		if ((r = ld_expr(ld, NULL, json_array_get(params, 1), w, &in.expr2)))
			return r;
		return ld_emit(ld, in);
	}
	if (!strcmp(op, "primitive")) {
		ld_path(w, "%s.parameters[0]", where);
		return ld_primitive(ld, NULL, json_array_get(params, 0), w);
	}
	return ld_fail(ld, where, "parser operation \"%s\" is not supported", op);
}

static int load_parser(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *parsers = ld_member(ld, root, "parsers", JSON_ARRAY, "(top)", &r);
	p->parser_init = SW_NONE;
	if (!parsers)
		return r;
	if (json_array_size(parsers) == 0)
		return 0;
	if (json_array_size(parsers) > 1)
		return ld_fail(ld, "parsers", "more than one parser is not supported");
	json_t *ps = json_array_get(parsers, 0);
	json_t *states = ld_member(ld, ps, "parse_states", JSON_ARRAY, "parsers[0]", &r), *s;
	const char *init = states ? ld_str(ld, ps, "init_state", "parsers[0]", &r) : NULL;
	size_t i;
	if (!init)
		return r;
	p->states = calloc(json_array_size(states) + 1, sizeof(*p->states));
	if (!p->states)
		return ld_oom(ld);
	json_array_foreach(states, i, s) {
		char w[W_MAX];
		ld_path(w, "parsers[0].parse_states[%zu]", i);
		const char *name = ld_str(ld, s, "name", w, &r);
		if (!name)
			return r;
		p->states[i].name = ld_dup(ld, name, &r);
		p->n_states++;
		if (r)
			return r;
		if (!strcmp(name, init))
			p->parser_init = (uint32_t)i;
	}
	if (p->parser_init == SW_NONE)
		return ld_fail(ld, "parsers[0].init_state", "no parse state named \"%s\"", init);
	json_array_foreach(states, i, s) {
		char w[W_MAX], w2[W_MAX];
		struct sw_state *st = &p->states[i];
		ld_path(w, "parsers[0].parse_states[%zu]", i);
		json_t *ops = ld_member(ld, s, "parser_ops", JSON_ARRAY, w, &r), *o;
		json_t *keys = ops ? ld_opt_array(ld, s, "transition_key", w, &r) : NULL;
		json_t *trans = r ? NULL : ld_member(ld, s, "transitions", JSON_ARRAY, w, &r);
		size_t j;
		if (!trans)
			return r;
		st->ins = (uint32_t)p->n_ins;
		json_array_foreach(ops, j, o) {
			ld_path(w2, "%s.parser_ops[%zu]", w, j);
			if ((r = parser_op(ld, o, w2)))
				return r;
		}
		st->n_ins = (uint32_t)p->n_ins - st->ins;
		size_t nk = keys ? json_array_size(keys) : 0;
		st->keys = calloc(nk + 1, sizeof(*st->keys));
		st->trans = calloc(json_array_size(trans) + 1, sizeof(*st->trans));
		if (!st->keys || !st->trans)
			return ld_oom(ld);
		if (keys) json_array_foreach(keys, j, o) {
			struct sw_select_key *k = &st->keys[st->n_keys++];
			bool isv;
			ld_path(w2, "%s.transition_key[%zu]", w, j);
			json_t *v = json_object_get(o, "value");
			if (!strcmp(ld_tv_type(o), "field")) {
				k->kind = SW_TK_FIELD;
				if ((r = ld_field_ref(ld, v, w2, &k->f, &isv)))
					return r;
				if (isv)
					k->f = (struct sw_fref){ 0, 1, k->f.hdr };
				k->kind = isv ? SW_TK_VALID : SW_TK_FIELD;
			} else if (!strcmp(ld_tv_type(o), "stack_field")) {
				k->kind = SW_TK_STACKF;
				if ((r = ld_stack_field(ld, v, w2, &k->f)))
					return r;
			} else if (!strcmp(ld_tv_type(o), "union_stack_field")) {
				/* [union stack, member, field]: a field of the last extracted
				 * union's member */
				json_t *fn = json_array_get(v, 2);
				if (json_array_size(v) != 3 || !json_is_string(fn))
					return ld_fail(ld, w2, "a union_stack_field must be [\"stack\", "
						       "\"member\", \"field\"]");
				int ms = ld_union_member_stack(ld, json_array_get(v, 0), json_array_get(v, 1), w2);
				if (ms < 0)
					return ms;
				k->kind = SW_TK_STACKF;
				if ((r = stack_field_at(ld, ms, json_string_value(fn), w2, &k->f)))
					return r;
			} else if (!strcmp(ld_tv_type(o), "lookahead")) {
				json_t *a = json_array_get(v, 0), *b = json_array_get(v, 1);
				if (!json_is_integer(a) || !json_is_integer(b) || json_integer_value(b) <= 0)
					return ld_fail(ld, w2, "lookahead must be [offset, width]");
				k->kind = SW_TK_LOOKAHEAD;
				k->f = (struct sw_fref){ (uint32_t)json_integer_value(a),
							 (uint32_t)json_integer_value(b), 0 };
			} else {
				return ld_fail(ld, w2, "transition key of type \"%s\" is not supported",
					    ld_tv_type(o));
			}
			k->nbytes = (k->f.width + 7) / 8;
			st->key_len += k->nbytes;
		}
		if (st->key_len > SW_MAX_KEY_BYTES)
			return ld_fail(ld, w, "transition key is too wide");
		json_array_foreach(trans, j, o) {
			struct sw_transition *t = &st->trans[st->n_trans++];
			ld_path(w2, "%s.transitions[%zu]", w, j);
			const char *type = json_is_string(json_object_get(o, "type")) ?
				json_string_value(json_object_get(o, "type")) : "hexstr";
			json_t *v = json_object_get(o, "value"), *m = json_object_get(o, "mask");
			json_t *nx = json_object_get(o, "next_state");
			t->vset = SW_NONE;
			if (!strcmp(type, "default")) {
				t->is_default = true;
			} else if (!strcmp(type, "parse_vset")) {
				size_t q;
				for (q = 0; json_is_string(v) && q < p->n_vsets; q++)
					if (!strcmp(p->vsets[q].name, json_string_value(v)))
						break;
				if (!json_is_string(v) || q == p->n_vsets)
					return ld_fail(ld, w2, "no parse_vsets entry named \"%s\"",
						       json_is_string(v) ? json_string_value(v) : "?");
				if (m && !json_is_null(m))
					return ld_fail(ld, w2, "a mask on a value set transition is not supported");
				uint32_t bits = 0;
				for (size_t k = 0; k < st->n_keys; k++)
					bits += st->keys[k].kind == SW_TK_VALID ? 1 : st->keys[k].f.width;
				if (bits != p->vsets[q].width)
					return ld_fail(ld, w2, "value set \"%s\" has %u bits, the key %u",
						       p->vsets[q].name, p->vsets[q].width, bits);
				if (st->key_len > SW_MAX_KEY_BYTES / 2)
					return ld_fail(ld, w2, "transition key is too wide for a value set");
				t->vset = (uint32_t)q;
			} else if (!strcmp(type, "hexstr")) {
				if (!json_is_string(v))
					return ld_fail(ld, w2, "\"value\" must be a hex string");
				if ((r = ld_pool_hex(ld, json_string_value(v), st->key_len, w2, &t->value)))
					return r;
				t->mask = SW_NONE;
				if (json_is_string(m) &&
				    (r = ld_pool_hex(ld, json_string_value(m), st->key_len, w2, &t->mask)))
					return r;
			} else {
				return ld_fail(ld, w2, "transition type \"%s\" is not supported", type);
			}
			t->next = SW_NONE;
			if (json_is_string(nx)) {
				size_t q;
				for (q = 0; q < p->n_states; q++)
					if (!strcmp(p->states[q].name, json_string_value(nx)))
						break;
				if (q == p->n_states)
					return ld_fail(ld, w2, "no parse state named \"%s\"", json_string_value(nx));
				t->next = (uint32_t)q;
			} else if (!json_is_null(nx) && nx) {
				return ld_fail(ld, w2, "\"next_state\" must be a name or null");
			}
		}
	}
	return 0;
}

static int load_deparser(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *deps = ld_member(ld, root, "deparsers", JSON_ARRAY, "(top)", &r);
	if (!deps || !json_array_size(deps))
		return r;
	if (json_array_size(deps) > 1)
		return ld_fail(ld, "deparsers", "more than one deparser is not supported");
	json_t *order = ld_member(ld, json_array_get(deps, 0), "order", JSON_ARRAY, "deparsers[0]", &r), *o;
	size_t i;
	if (!order)
		return r;
	p->deparse = calloc(json_array_size(order) + 1, sizeof(*p->deparse));
	if (!p->deparse)
		return ld_oom(ld);
	json_array_foreach(order, i, o) {
		int h = json_is_string(o) ? ld_find_header(p, json_string_value(o)) : -1;
		if (h < 0) {
			char w[W_MAX];
			ld_path(w, "deparsers[0].order[%zu]", i);
			return ld_fail(ld, w, "no header instance named \"%s\"",
				    json_is_string(o) ? json_string_value(o) : "?");
		}
		p->deparse[p->n_deparse++] = (uint32_t)h;
	}
	return 0;
}

static int refuse_unsupported(struct ld *ld, json_t *root)
{
	int r = 0;
	json_t *ex = ld_opt_array(ld, root, "extern_instances", "(top)", &r);
	if (r)
		return r;
	if (ex && json_array_size(ex)) {
		/* v1model declares no extern type that BMv2 runs from this list */
		json_t *e = json_array_get(ex, 0), *t = json_object_get(e, "type");
		json_t *n = json_object_get(e, "name");
		return ld_fail(ld, "extern_instances[0]", "extern \"%s\" of type \"%s\": the switch runs "
			       "no extern instances (v1model has no user externs)",
			       json_is_string(n) ? json_string_value(n) : "?",
			       json_is_string(t) ? json_string_value(t) : "?");
	}
	json_t *meta = json_object_get(root, "__meta__");
	json_t *ver = json_object_get(meta, "version");
	if (json_is_array(ver) && json_integer_value(json_array_get(ver, 0)) != 2)
		return ld_fail(ld, "__meta__.version", "BMv2 JSON version %lld is not supported (2.x is)",
			    (long long)json_integer_value(json_array_get(ver, 0)));
	return 0;
}

int sw_plan_load(struct sw_plan **out, const char *json, size_t len, const char *file,
		 struct p4l_err *err)
{
	struct sw_plan *p = calloc(1, sizeof(*p));
	json_error_t je;
	json_t *root = NULL;
	int r;
	*out = NULL;
	if (!p || !(p->file = strdup(file)) || !(p->pre = sw_pre_new())) {
		if (p)
			free(p->file);
		free(p);
		return p4l_errf(err, -ENOMEM, "%s: out of memory", file);
	}
	struct ld ld = { p, err };
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		r = p4l_errf(err, -EINVAL, "%s:%d:%d: %s", file, je.line, je.column, je.text);
		goto out;
	}
	if (!json_is_object(root)) {
		r = ld_fail(&ld, "(top)", "the program must be a JSON object");
		goto out;
	}
	if ((r = refuse_unsupported(&ld, root)) || (r = load_headers(&ld, root)) ||
	    (r = load_stacks(&ld, root)) || (r = ld_unions(&ld, root)) ||
	    (r = ld_union_stacks(&ld, root)) ||
	    (r = ld_vsets(&ld, root)))
		goto out;
	load_std(p);
	if ((r = load_errors(&ld, root)) || (r = ld_stateful(&ld, root)) ||
	    (r = load_deparser(&ld, root)) || (r = ld_calcs(&ld, root)) ||
	    (r = ld_lists(&ld, root, "field_lists", &p->flists, &p->n_flists)) ||
	    (r = ld_lists(&ld, root, "learn_lists", &p->learns, &p->n_learns)) ||
	    (r = ld_actions(&ld, root)) ||
	    (r = load_parser(&ld, root)) || (r = ld_pipelines(&ld, root)) ||
	    (r = ld_checksums(&ld, root)) || (r = ld_direct_counters(&ld, root)) ||
	    (r = ld_direct_meters(&ld, root)))
		goto out;
	*out = p;
out:
	json_decref(root);
	if (r)
		sw_plan_free(p);
	return r;
}

/* Frees the members a and b of each of arr's n elements, then arr. */
#define FREE_EACH(arr, n, a, b) do { \
	for (size_t i_ = 0; i_ < (n); i_++) { \
		free((arr)[i_].a); \
		free((arr)[i_].b); \
	} \
	free(arr); \
} while (0)

void sw_plan_free(struct sw_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_headers; i++) {
		for (size_t j = 0; j < p->headers[i].n_fields; j++)
			free(p->headers[i].fields[j].name);
		free(p->headers[i].fields);
		free(p->headers[i].name);
		free(p->headers[i].type);
	}
	free(p->headers);
	for (size_t i = 0; i < p->n_actions; i++) {
		for (size_t j = 0; j < p->actions[i].n_params; j++)
			free(p->actions[i].params[j].name);
		free(p->actions[i].params);
		free(p->actions[i].pinfo);
		free(p->actions[i].name);
	}
	free(p->actions);
	for (size_t i = 0; i < p->n_states; i++) {
		free(p->states[i].name);
		free(p->states[i].keys);
		free(p->states[i].trans);
	}
	free(p->states);
	for (size_t i = 0; i < p->n_tables; i++)
		sw_tbl_fini(&p->tables[i]);
	free(p->tables);
	for (size_t i = 0; i < p->n_nodes; i++)
		if (p->nodes[i].kind != SW_N_TABLE)
			free(p->nodes[i].name);
	free(p->nodes);
	FREE_EACH(p->calcs, p->n_calcs, name, in);
	for (size_t i = 0; i < p->n_checksums; i++)
		free(p->checksums[i].name);
	free(p->checksums);
	for (size_t i = 0; i < p->n_counters; i++) {
		free(p->counters[i].name);
		free(p->counters[i].packets);
		free(p->counters[i].bytes);
	}
	free(p->counters);
	FREE_EACH(p->registers, p->n_registers, name, cells);
	FREE_EACH(p->meters, p->n_meters, name, cells);
	FREE_EACH(p->stacks, p->n_stacks, name, hdrs);
	for (size_t i = 0; i < p->n_errors; i++)
		free(p->error_names[i]);
	free(p->error_names);
	FREE_EACH(p->flists, p->n_flists, name, f);
	FREE_EACH(p->learns, p->n_learns, name, f);
	FREE_EACH(p->logs, p->n_logs, fmt, args);
	sw_pre_free(p->pre);
	for (size_t i = 0; i < p->n_profiles; i++) {
		for (uint32_t j = 0; j < p->profiles[i].max; j++) {
			if (p->profiles[i].members)
				free(p->profiles[i].members[j]);
			if (p->profiles[i].groups)
				free(p->profiles[i].groups[j]);
		}
		free(p->profiles[i].members);
		free(p->profiles[i].groups);
		free(p->profiles[i].name);
	}
	free(p->profiles);
	FREE_EACH(p->unions, p->n_unions, name, hdrs);
	for (size_t i = 0; i < p->n_ustacks; i++)
		for (uint32_t j = 0; p->ustacks[i].members && j < p->ustacks[i].n; j++)
			free(p->ustacks[i].members[j]);
	for (size_t i = 0; i < p->n_ustacks; i++)
		free(p->ustacks[i].members);
	FREE_EACH(p->ustacks, p->n_ustacks, name, unions);
	FREE_EACH(p->vsets, p->n_vsets, name, vals);
	free(p->deparse);
	free(p->exprs);
	free(p->ins);
	free(p->pool);
	free(p->file);
	free(p);
}
