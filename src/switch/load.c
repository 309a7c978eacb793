/* load.c - BMv2 JSON -> execution plan (plan.h).  Called by sw_create().
 * This half holds the helpers every part shares (load.h), headers, errors,
 * expressions, actions, the parser and the deparser; load_ctl.c holds
 * pipelines and checksums.
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

/* Number of significant bits of a hexstr's magnitude. */
static uint32_t hex_bits(const char *s)
{
	uint8_t buf[256];
	bool neg;
	if (ld_hex_bytes(s, buf, sizeof(buf), &neg) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(buf); i++)
		if (buf[i])
			return (uint32_t)((sizeof(buf) - i) * 8 - (size_t)__builtin_clz(buf[i]) + 24);
	return 1;
}

static int hex_u64(struct ld *ld, const char *s, const char *where, uint64_t *v)
{
	uint8_t b[8];
	bool neg;
	int r = ld_hex_bytes(s, b, 8, &neg);
	if (r == -EINVAL)
		return ld_fail(ld, where, "\"%s\" is not a hex string", s);
	if (r == -ERANGE)
		return ld_fail(ld, where, "constant %s is wider than 64 bits here", s);
	*v = 0;
	for (int i = 0; i < 8; i++)
		*v = (*v << 8) | b[i];
	if (neg)
		*v = -*v;
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
	}
	return 0;
}

static int find_stack(const struct sw_plan *p, json_t *v)
{
	for (size_t i = 0; json_is_string(v) && i < p->n_stacks; i++)
		if (!strcmp(p->stacks[i].name, json_string_value(v)))
			return (int)i;
	return -1;
}

/* ["stack", "field"]: the field of the stack's last filled element. */
static int stack_field(struct ld *ld, json_t *v, const char *where, struct sw_fref *f)
{
	json_t *sn = json_array_get(v, 0), *fn = json_array_get(v, 1);
	int s = find_stack(ld->p, sn);
	if (s < 0 || !json_is_string(fn))
		return ld_fail(ld, where, "a stack field must be [\"stack\", \"field\"] naming a header stack");
	const struct sw_header *h = &ld->p->headers[ld->p->stacks[s].hdrs[0]];
	for (size_t i = 0; i < h->n_fields; i++)
		if (!strcmp(h->fields[i].name, json_string_value(fn))) {
			if (h->fields[i].width > 64)
				return ld_fail(ld, where, "stack fields wider than 64 bits are not supported");
			*f = (struct sw_fref){ h->fields[i].bit, h->fields[i].width, (uint32_t)s };
			return 0;
		}
	return ld_fail(ld, where, "header stack \"%s\" has no field \"%s\"", json_string_value(sn),
		       json_string_value(fn));
}

/* ---- expressions -------------------------------------------------------- */

static int new_expr(struct ld *ld, struct sw_expr e, uint32_t *idx)
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

/* Unwraps {"type": "expression", "value": {"type": "expression", ...}}. */
static json_t *unwrap(json_t *tv)
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

static int param_ref(struct ld *ld, const struct sw_action *act, json_t *v, const char *where,
		     struct sw_fref *f)
{
	if (!act)
		return ld_fail(ld, where, "action data used outside an action");
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (size_t)json_integer_value(v) >= act->n_params)
		return ld_fail(ld, where, "action \"%s\" has no parameter %lld", act->name,
			    (long long)json_integer_value(v));
	const struct sw_param *pa = &act->params[json_integer_value(v)];
	uint32_t nb = (pa->width + 7) / 8;
	*f = (struct sw_fref){ pa->off * 8 + nb * 8 - pa->width, pa->width, 0 };
	return 0;
}

/* Width of a leaf operand, 0 if not a leaf (or unknown). */
static uint32_t leaf_width(struct ld *ld, const struct sw_action *act, json_t *tv)
{
	tv = unwrap(tv);
	const char *t = ld_tv_type(tv);
	json_t *v = json_object_get(tv, "value");
	struct sw_fref f;
	bool isv;
	struct p4l_err *save = ld->err;
	uint32_t w = 0;
	ld->err = NULL;
	if (!strcmp(t, "field") && !ld_field_ref(ld, v, "", &f, &isv))
		w = f.width;
	else if ((!strcmp(t, "runtime_data") || !strcmp(t, "local")) && !param_ref(ld, act, v, "", &f))
		w = f.width;
	else if (!strcmp(t, "hexstr") && json_is_string(v))
		w = hex_bits(json_string_value(v));
	ld->err = save;
	return w;
}

/* A leaf operand of any width as a wide operand. */
static int wide_leaf(struct ld *ld, const struct sw_action *act, json_t *tv, uint32_t width,
		     const char *where, struct sw_wide *w)
{
	tv = unwrap(tv);
	const char *t = ld_tv_type(tv);
	json_t *v = json_object_get(tv, "value");
	struct sw_fref f;
	bool isv;
	int r;
	if (!strcmp(t, "field")) {
		if ((r = ld_field_ref(ld, v, where, &f, &isv)))
			return r;
		if (isv)
			return ld_fail(ld, where, "$valid$ cannot be used here");
		*w = (struct sw_wide){ SW_SRC_PHV, f.bit, f.width };
		return 0;
	}
	if (!strcmp(t, "runtime_data") || !strcmp(t, "local")) {
		if ((r = param_ref(ld, act, v, where, &f)))
			return r;
		*w = (struct sw_wide){ SW_SRC_ARGS, f.bit, f.width };
		return 0;
	}
	if (!strcmp(t, "hexstr") && json_is_string(v)) {
		uint32_t off, nb = (width + 7) / 8;
		if ((r = ld_pool_hex(ld, json_string_value(v), nb, where, &off)))
			return r;
		*w = (struct sw_wide){ SW_SRC_CONST, off * 8 + nb * 8 - width, width };
		return 0;
	}
	return ld_fail(ld, where, "operation on a %u-bit value: values wider than 64 bits "
		    "support only copy, == and !=", width);
}


/* {"op": "dereference_header_stack", "left": stack, "right": index}: the
 * stack and the index expression into d->sa. */
static int stack_deref(struct ld *ld, const struct sw_action *act, json_t *e, const char *where,
		       struct sw_expr *d)
{
	char w[W_MAX];
	json_t *op = json_object_get(e, "op"), *L = unwrap(json_object_get(e, "left"));
	int r, st = find_stack(ld->p, json_object_get(L, "value"));
	if (!json_is_string(op) || strcmp(json_string_value(op), "dereference_header_stack"))
		return ld_fail(ld, where, "expected a header stack element (dereference_header_stack)%s",
			       json_is_string(op) && !strcmp(json_string_value(op),
				"dereference_header_union_stack") ? ": header union stacks are not supported" : "");
	ld_path(w, "%s.left", where);
	if (strcmp(ld_tv_type(L), "header_stack") || st < 0)
		return ld_fail(ld, w, "expected a header stack");
	memset(d, 0, sizeof(*d));
	d->sa.stack = (uint32_t)st;
	ld_path(w, "%s.right", where);
	if ((r = ld_expr(ld, act, json_object_get(e, "right"), w, &d->sa.idx)))
		return r;
	return 0;
}

/* {"op": "access_field", "left": <stack element>, "right": field number}. */
static int stack_access(struct ld *ld, const struct sw_action *act, json_t *e, const char *where,
			struct sw_expr *d)
{
	char w[W_MAX];
	json_t *op = json_object_get(e, "op"), *R = json_object_get(e, "right");
	int r;
	if (!json_is_string(op) || strcmp(json_string_value(op), "access_field"))
		return ld_fail(ld, where, "the destination must be a field");
	ld_path(w, "%s.left", where);
	json_t *L = unwrap(json_object_get(e, "left"));
	if (strcmp(ld_tv_type(L), "expression"))
		return ld_fail(ld, w, "access_field takes a header stack element");
	if ((r = stack_deref(ld, act, json_object_get(L, "value"), w, d)))
		return r;
	const struct sw_header *h = &ld->p->headers[ld->p->stacks[d->sa.stack].hdrs[0]];
	ld_path(w, "%s.right", where);
	if (!json_is_integer(R) || json_integer_value(R) < 0 ||
	    (size_t)json_integer_value(R) >= h->n_fields)
		return ld_fail(ld, w, "access_field needs a field number of %s (0 to %zu)", h->type,
			       h->n_fields - 1);
	const struct sw_field *f = &h->fields[json_integer_value(R)];
	if (f->width > 64)
		return ld_fail(ld, w, "stack fields wider than 64 bits are not supported");
	d->op = SW_E_SACCESS;
	d->sa.bit = f->bit;
	d->sa.width = f->width;
	return 0;
}

/* Whether the field at f is declared signed. */
static bool field_signed(const struct sw_plan *p, const struct sw_fref *f)
{
	const struct sw_header *h = &p->headers[f->hdr];
	for (size_t i = 0; i < h->n_fields; i++)
		if (h->off * 8 + h->fields[i].bit == f->bit)
			return h->fields[i].is_signed;
	return false;
}

/* Whether an expression's value is a signed integer (int<W>): then
 * comparisons and >> are signed, as BMv2 computes on signed fields. */
static bool expr_signed(const struct sw_plan *p, uint32_t i)
{
	const struct sw_expr *e = &p->exprs[i];
	switch (e->op) {
	case SW_E_SFIELD: case SW_E_TCMOD: case SW_E_SCAST:
		return true;
	case SW_E_ADD: case SW_E_SUB: case SW_E_MUL: case SW_E_AND: case SW_E_OR:
	case SW_E_XOR: case SW_E_SHL: case SW_E_SHR: case SW_E_SSHR:
		return expr_signed(p, e->x.a) || (e->op != SW_E_SHL && e->op != SW_E_SHR &&
						  e->op != SW_E_SSHR && expr_signed(p, e->x.b));
	case SW_E_BNOT: case SW_E_NEG:
		return expr_signed(p, e->x.a);
	case SW_E_COND:
		return expr_signed(p, e->x.a) || expr_signed(p, e->x.b);
	default:
		return false;
	}
}

static int expr_op(struct ld *ld, const struct sw_action *act, json_t *e, const char *where,
		   uint32_t *idx)
{
	int r = 0;
	const char *op = ld_str(ld, e, "op", where, &r);
	if (!op)
		return r;
	json_t *L = json_object_get(e, "left"), *R = json_object_get(e, "right");
	bool unary = !L || json_is_null(L);
	char wl[W_MAX], wr[W_MAX], wc[W_MAX];
	ld_path(wl, "%s.left", where);
	ld_path(wr, "%s.right", where);
	ld_path(wc, "%s.cond", where);
	int k = -1;
	for (int i = SW_E_VALID; i < SW_E_COUNT; i++)
		if (sw_expr_names[i][0] && !strcmp(sw_expr_names[i], op)) {
			k = i;
			break;
		}
	if (k == SW_E_SUB && unary)
		k = SW_E_NEG;
	if (k < 0)
		return ld_fail(ld, where, "expression operator \"%s\" is not supported", op);
	struct sw_expr n = { .op = (uint8_t)k };
	if (k == SW_E_LASTIDX || k == SW_E_STACKSIZE) {
		R = unwrap(R);
		int st = find_stack(ld->p, json_object_get(R, "value"));
		if (strcmp(ld_tv_type(R), "header_stack") || st < 0)
			return ld_fail(ld, wr, "\"%s\" takes a header stack", op);
		n.f = (struct sw_fref){ 0, 32, (uint32_t)st };
		return new_expr(ld, n, idx);
	}
	if (k == SW_E_SACCESS) {
		if ((r = stack_access(ld, act, e, where, &n)))
			return r;
		return new_expr(ld, n, idx);
	}
	if (k == SW_E_UVALID) {
		int u = ld_find_union(ld->p, unwrap(R));
		if (u < 0)
			return ld_fail(ld, wr, "\"valid_union\" takes a header union");
		n.f = (struct sw_fref){ 0, 1, (uint32_t)u };
		return new_expr(ld, n, idx);
	}
	if (k == SW_E_VALID && !strcmp(ld_tv_type(unwrap(R)), "expression")) {
		if ((r = stack_deref(ld, act, json_object_get(unwrap(R), "value"), wr, &n)))
			return r;
		n.op = SW_E_SVALID;
		return new_expr(ld, n, idx);
	}
	if (k == SW_E_VALID) {
		R = unwrap(R);
		json_t *hv = json_object_get(R, "value");
		if (strcmp(ld_tv_type(R), "header") || !json_is_string(hv))
			return ld_fail(ld, wr, "\"valid\" takes a header");
		int h = ld_find_header(ld->p, json_string_value(hv));
		if (h < 0)
			return ld_fail(ld, wr, "no header instance named \"%s\"", json_string_value(hv));
		n.op = SW_E_VALIDF;
		n.f = (struct sw_fref){ 0, 1, (uint32_t)h };
		return new_expr(ld, n, idx);
	}
	if (k == SW_E_EQ || k == SW_E_NE) {
		uint32_t lw = unary ? 0 : leaf_width(ld, act, L), rw = leaf_width(ld, act, R);
		uint32_t w = lw > rw ? lw : rw;
		if (w > 64) {
			n.op = k == SW_E_EQ ? SW_E_WEQ : SW_E_WNE;
			if ((r = wide_leaf(ld, act, L, w, wl, &n.w.a)) ||
			    (r = wide_leaf(ld, act, R, w, wr, &n.w.b)))
				return r;
			/* Compare at the wider width: extend the narrower side in place. */
			return new_expr(ld, n, idx);
		}
	}
	bool is_unary = k == SW_E_LNOT || k == SW_E_BNOT || k == SW_E_NEG || k == SW_E_D2B ||
			k == SW_E_B2D;
	if (is_unary) {
		if (!R || json_is_null(R))
			return ld_fail(ld, where, "\"%s\" needs a right operand", op);
		if ((r = ld_expr(ld, act, R, wr, &n.x.a)))
			return r;
		return new_expr(ld, n, idx);
	}
	if (unary)
		return ld_fail(ld, where, "\"%s\" needs a left operand", op);
	if ((r = ld_expr(ld, act, L, wl, &n.x.a)) || (r = ld_expr(ld, act, R, wr, &n.x.b)))
		return r;
	if (k == SW_E_TCMOD || k == SW_E_SCAST || k == SW_E_UCAST) {
		/* the width must be a constant from 1 to 64 */
		const struct sw_expr *wd = &ld->p->exprs[n.x.b];
		if (wd->op != SW_E_CONST || wd->k < 1 || wd->k > 64)
			return ld_fail(ld, wr, "\"%s\" takes a constant width from 1 to 64", op);
	}
	if (expr_signed(ld->p, n.x.a) || (k != SW_E_SHR && expr_signed(ld->p, n.x.b))) {
		static const uint8_t sop[][2] = { { SW_E_GT, SW_E_SGT }, { SW_E_GE, SW_E_SGE },
			{ SW_E_LT, SW_E_SLT }, { SW_E_LE, SW_E_SLE }, { SW_E_SHR, SW_E_SSHR } };
		for (size_t i = 0; i < sizeof(sop) / sizeof(sop[0]); i++)
			if (n.op == sop[i][0]) {
				n.op = sop[i][1];
				break;
			}
	}
	if (k == SW_E_COND) {
		json_t *C = json_object_get(e, "cond");
		if (!C)
			return ld_fail(ld, where, "\"?\" needs a \"cond\"");
		if ((r = ld_expr(ld, act, C, wc, &n.x.c)))
			return r;
	}
	return new_expr(ld, n, idx);
}

int ld_expr(struct ld *ld, const struct sw_action *act, json_t *tv, const char *where,
		uint32_t *idx)
{
	char w[W_MAX];
	tv = unwrap(tv);
	if (!json_is_object(tv))
		return ld_fail(ld, where, "an operand must be an object with \"type\" and \"value\"");
	const char *t = ld_tv_type(tv);
	json_t *v = json_object_get(tv, "value");
	struct sw_expr n = { 0 };
	bool isv;
	int r;
	ld_path(w, "%s.value", where);
	if (!strcmp(t, "expression")) {
		if (!json_is_object(v))
			return ld_fail(ld, where, "\"value\" of an expression must be an object");
		return expr_op(ld, act, v, w, idx);
	}
	if (!strcmp(t, "field")) {
		n.op = SW_E_FIELD;
		if ((r = ld_field_ref(ld, v, w, &n.f, &isv)))
			return r;
		if (isv)
			n.op = SW_E_VALIDF;
		else if (n.f.width > 64)
			return ld_fail(ld, w, "operation on a %u-bit value: values wider than 64 bits "
				    "support only copy, == and !=", n.f.width);
		else if (field_signed(ld->p, &n.f))
			n.op = SW_E_SFIELD;
		return new_expr(ld, n, idx);
	}
	if (!strcmp(t, "stack_field")) {
		n.op = SW_E_STACKF;
		if ((r = stack_field(ld, v, w, &n.f)))
			return r;
		return new_expr(ld, n, idx);
	}
	if (!strcmp(t, "runtime_data") || !strcmp(t, "local")) {
		n.op = SW_E_PARAM;
		if ((r = param_ref(ld, act, v, w, &n.f)))
			return r;
		if (n.f.width > 64)
			return ld_fail(ld, w, "operation on a %u-bit value: values wider than 64 bits "
				    "support only copy, == and !=", n.f.width);
		return new_expr(ld, n, idx);
	}
	if (!strcmp(t, "hexstr")) {
		if (!json_is_string(v))
			return ld_fail(ld, w, "a hexstr must be a string");
		n.op = SW_E_CONST;
		if ((r = hex_u64(ld, json_string_value(v), w, &n.k)))
			return r;
		return new_expr(ld, n, idx);
	}
	if (!strcmp(t, "bool")) {
		if (!json_is_boolean(v))
			return ld_fail(ld, w, "a bool must be true or false");
		n.op = SW_E_CONST;
		n.k = json_is_true(v);
		return new_expr(ld, n, idx);
	}
	return ld_fail(ld, where, "operand type \"%s\" is not supported", t);
}

/* ---- instructions -------------------------------------------------------- */

static int emit(struct ld *ld, struct sw_ins in)
{
	struct sw_plan *p = ld->p;
	struct sw_ins *n = grow(p->ins, &p->cap_ins, p->n_ins + 1, sizeof(*n));
	if (!n)
		return ld_oom(ld);
	p->ins = n;
	n[p->n_ins++] = in;
	return 0;
}

static int header_param(struct ld *ld, json_t *params, size_t i, const char *where, uint32_t *h)
{
	char w[W_MAX];
	ld_path(w, "%s.parameters[%zu]", where, i);
	json_t *tv = json_array_get(params, i), *v = json_object_get(tv, "value");
	if (strcmp(ld_tv_type(tv), "header") || !json_is_string(v))
		return ld_fail(ld, w, "expected a header");
	int x = ld_find_header(ld->p, json_string_value(v));
	if (x < 0)
		return ld_fail(ld, w, "no header instance named \"%s\"", json_string_value(v));
	*h = (uint32_t)x;
	return 0;
}

/* dst = a (op) b, with a and b JSON operands (a NULL: dst itself). */
static int emit_arith(struct ld *ld, const struct sw_action *act, json_t *params, size_t di,
		      int a, int b, int op, const char *where)
{
	char w[W_MAX];
	struct sw_ins in = { .op = SW_I_ASSIGN };
	bool isv;
	int r;
	ld_path(w, "%s.parameters[%zu]", where, di);
	json_t *dst = unwrap(json_array_get(params, di));
	if (!strcmp(ld_tv_type(dst), "expression")) {
		/* hs[i].f = ... with a run-time index */
		struct sw_expr d;
		json_t *ev = json_object_get(dst, "value");
		if ((r = stack_access(ld, act, ev, w, &d)))
			return r;
		in.op = SW_I_STACK_ASSIGN;
		in.hdr = d.sa.stack;
		in.expr2 = d.sa.idx;
		in.dst = (struct sw_fref){ d.sa.bit, d.sa.width, d.sa.stack };
		uint32_t eb, ea;
		ld_path(w, "%s.parameters[%d]", where, b);
		if ((r = ld_expr(ld, act, json_array_get(params, (size_t)b), w, &eb)))
			return r;
		in.expr = eb;
		if (op >= 0) {
			ld_path(w, "%s.parameters[%d]", where, a);
			if ((r = ld_expr(ld, act, json_array_get(params, (size_t)a), w, &ea)))
				return r;
			struct sw_expr n = { .op = (uint8_t)op };
			n.x.a = ea;
			n.x.b = eb;
			if ((r = new_expr(ld, n, &in.expr)))
				return r;
		}
		return emit(ld, in);
	}
	if (strcmp(ld_tv_type(dst), "field"))
		return ld_fail(ld, w, "the destination must be a field");
	if ((r = ld_field_ref(ld, json_object_get(dst, "value"), w, &in.dst, &isv)))
		return r;
	if (isv)
		return ld_fail(ld, w, "$valid$ is read-only");
	if (op < 0 && in.dst.width > 64) {
		in.op = SW_I_COPY;
		ld_path(w, "%s.parameters[%d]", where, b);
		if ((r = wide_leaf(ld, act, json_array_get(params, (size_t)b), in.dst.width, w, &in.src)))
			return r;
		return emit(ld, in);
	}
	uint32_t ea, eb;
	ld_path(w, "%s.parameters[%d]", where, b);
	if ((r = ld_expr(ld, act, json_array_get(params, (size_t)b), w, &eb)))
		return r;
	if (op < 0) {
		in.expr = eb;
	} else {
		ld_path(w, "%s.parameters[%d]", where, a);
		if ((r = ld_expr(ld, act, json_array_get(params, (size_t)a), w, &ea)))
			return r;
		struct sw_expr n = { .op = (uint8_t)op };
		n.x.a = ea;
		n.x.b = eb;
		if ((r = new_expr(ld, n, &in.expr)))
			return r;
	}
	if (in.dst.width > 64)
		return ld_fail(ld, where, "arithmetic on a %u-bit field is not supported", in.dst.width);
	return emit(ld, in);
}

static int jump_target(struct ld *ld, json_t *tv, const char *where, uint32_t *t)
{
	uint64_t v;
	json_t *x = json_object_get(tv, "value");
	int r;
	if (strcmp(ld_tv_type(tv), "hexstr") || !json_is_string(x))
		return ld_fail(ld, where, "a jump offset must be a hexstr");
	if ((r = hex_u64(ld, json_string_value(x), where, &v)))
		return r;
	*t = (uint32_t)v;
	return 0;
}

/* A field or learn list id (a hexstr) into its index; 0 is none. */
static int list_param(struct ld *ld, json_t *tv, const char *where, bool learn, uint32_t *out)
{
	uint64_t id;
	json_t *v = json_object_get(tv, "value");
	int r;
	if (strcmp(ld_tv_type(tv), "hexstr") || !json_is_string(v))
		return ld_fail(ld, where, "a %s list id must be a hexstr", learn ? "learn" : "field");
	if ((r = hex_u64(ld, json_string_value(v), where, &id)))
		return r;
	*out = SW_NONE;
	if (!id)
		return 0;
	const struct sw_flist *l = learn ? ld->p->learns : ld->p->flists;
	size_t n = learn ? ld->p->n_learns : ld->p->n_flists;
	for (size_t i = 0; i < n; i++)
		if ((uint64_t)l[i].id == id) {
			*out = (uint32_t)i;
			return 0;
		}
	return ld_fail(ld, where, "no %s with id %llu", learn ? "learn_lists entry" :
		       "field_lists entry", (unsigned long long)id);
}

/* log_msg(format, parameters_vector) */
static int log_msg(struct ld *ld, const struct sw_action *act, json_t *params, const char *where)
{
	struct sw_plan *p = ld->p;
	size_t np = json_array_size(params);
	json_t *f = json_array_get(params, 0), *fv = json_object_get(f, "value");
	json_t *vec = np > 1 ? json_object_get(json_array_get(params, 1), "value") : NULL;
	char w[W_MAX];
	int r = 0;
	if (np < 1 || np > 2 || strcmp(ld_tv_type(f), "string") || !json_is_string(fv) ||
	    (np == 2 && (strcmp(ld_tv_type(json_array_get(params, 1)), "parameters_vector") ||
			 !json_is_array(vec))))
		return ld_fail(ld, where, "log_msg takes a string and a parameters_vector");
	struct sw_log *nl = realloc(p->logs, (p->n_logs + 1) * sizeof(*nl));
	if (!nl)
		return ld_oom(ld);
	p->logs = nl;
	struct sw_log *l = &nl[p->n_logs++];
	memset(l, 0, sizeof(*l));
	l->fmt = ld_dup(ld, json_string_value(fv), &r);
	l->args = calloc(json_array_size(vec) + 1, sizeof(*l->args));
	if (r || !l->args)
		return r ? r : ld_oom(ld);
	json_t *x;
	size_t i;
	if (vec) json_array_foreach(vec, i, x) {
		ld_path(w, "%s.parameters[1].value[%zu]", where, i);
		if ((r = ld_expr(ld, act, x, w, &l->args[l->n_args])))
			return r;
		l->n_args++;
	}
	struct sw_ins in = { .op = SW_I_LOG, .hdr = (uint32_t)(p->n_logs - 1) };
	return emit(ld, in);
}

/* One primitive call; base: index of the action's first instruction. */
static int primitive(struct ld *ld, const struct sw_action *act, json_t *prim, const char *where)
{
	int r = 0;
	const char *op = ld_str(ld, prim, "op", where, &r);
	json_t *params = op ? ld_member(ld, prim, "parameters", JSON_ARRAY, where, &r) : NULL;
	size_t np = params ? json_array_size(params) : 0;
	struct sw_ins in = { 0 };
	char w[W_MAX];
	if (!params)
		return r;
#define NEED(n) do { if (np != (n)) return ld_fail(ld, where, "\"%s\" takes %d parameters, not %zu", op, (n), np); } while (0)
	if (!strcmp(op, "assign") || !strcmp(op, "modify_field")) {
		NEED(2);
		return emit_arith(ld, act, params, 0, -1, 1, -1, where);
	}
	if (!strcmp(op, "add_to_field") || !strcmp(op, "subtract_from_field")) {
		NEED(2);
		return emit_arith(ld, act, params, 0, 0, 1, op[0] == 'a' ? SW_E_ADD : SW_E_SUB, where);
	}
	if (!strcmp(op, "add") || !strcmp(op, "subtract")) {
		NEED(3);
		return emit_arith(ld, act, params, 0, 1, 2, op[0] == 'a' ? SW_E_ADD : SW_E_SUB, where);
	}
	if (!strcmp(op, "add_header") || !strcmp(op, "remove_header")) {
		NEED(1);
		in.op = op[0] == 'a' ? SW_I_SET_VALID : SW_I_SET_INVALID;
		json_t *hp = unwrap(json_array_get(params, 0));
		if (!strcmp(ld_tv_type(hp), "expression")) {
			/* hs[i].setValid() with a run-time index */
			struct sw_expr d;
			ld_path(w, "%s.parameters[0]", where);
			if ((r = stack_deref(ld, act, json_object_get(hp, "value"), w, &d)))
				return r;
			in.op = SW_I_STACK_VALID;
			in.hdr = d.sa.stack;
			in.expr2 = d.sa.idx;
			in.target = op[0] == 'a';
			return emit(ld, in);
		}
		if ((r = header_param(ld, params, 0, where, &in.hdr)))
			return r;
		return emit(ld, in);
	}
	if (!strcmp(op, "assign_union")) {
		NEED(2);
		int d = ld_find_union(ld->p, json_array_get(params, 0));
		int s = ld_find_union(ld->p, json_array_get(params, 1));
		if (d < 0 || s < 0)
			return ld_fail(ld, where, "assign_union takes two header unions");
		const struct sw_union *ud = &ld->p->unions[d], *us = &ld->p->unions[s];
		bool same = ud->n == us->n;
		for (size_t i = 0; same && i < ud->n; i++)
			same = !strcmp(ld->p->headers[ud->hdrs[i]].type, ld->p->headers[us->hdrs[i]].type);
		if (!same)
			return ld_fail(ld, where, "assign_union between unions of different types");
		in.op = SW_I_UNION_COPY;
		in.hdr = (uint32_t)d;
		in.hdr2 = (uint32_t)s;
		return emit(ld, in);
	}
	if (!strcmp(op, "assert") || !strcmp(op, "assume")) {
		NEED(1);
		in.op = SW_I_ASSERT;
		in.hdr = op[1] == 'u';
		ld_path(w, "%s.parameters[0]", where);
		if ((r = ld_expr(ld, act, json_array_get(params, 0), w, &in.expr)))
			return r;
		return emit(ld, in);
	}
	if (!strcmp(op, "mark_to_drop") || !strcmp(op, "drop")) {
		if (np > 1)
			return ld_fail(ld, where, "\"%s\" takes at most 1 parameter", op);
		if (!ld->p->std.has_egress_spec)
			return ld_fail(ld, where, "\"%s\" needs standard_metadata.egress_spec", op);
		in.op = SW_I_DROP;
		return emit(ld, in);
	}
	if (!strcmp(op, "exit")) {
		in.op = SW_I_EXIT;
		return emit(ld, in);
	}
	if (!strcmp(op, "no_op")) {
		in.op = SW_I_NOP;
		return emit(ld, in);
	}
	if (!strcmp(op, "log_msg"))
		return log_msg(ld, act, params, where);
	if (!strcmp(op, "clone_ingress_pkt_to_egress") || !strcmp(op, "clone_egress_pkt_to_egress")) {
		NEED(2);
		in.op = SW_I_CLONE;
		in.hdr = op[6] == 'e';
		ld_path(w, "%s.parameters[0]", where);
		if ((r = ld_expr(ld, act, json_array_get(params, 0), w, &in.expr)))
			return r;
		ld_path(w, "%s.parameters[1]", where);
		if ((r = list_param(ld, json_array_get(params, 1), w, false, &in.target)))
			return r;
		return emit(ld, in);
	}
	if (!strcmp(op, "resubmit") || !strcmp(op, "resubmit_preserving_field_list") ||
	    !strcmp(op, "recirculate") || !strcmp(op, "recirculate_preserving_field_list")) {
		if (np > 1)
			return ld_fail(ld, where, "\"%s\" takes at most 1 parameter", op);
		in.op = op[1] == 'e' && op[2] == 's' ? SW_I_RESUBMIT : SW_I_RECIRC;
		in.target = SW_NONE;
		ld_path(w, "%s.parameters[0]", where);
		if (np && (r = list_param(ld, json_array_get(params, 0), w, false, &in.target)))
			return r;
		return emit(ld, in);
	}
	if (!strcmp(op, "generate_digest")) {
		NEED(2);
		in.op = SW_I_DIGEST;
		ld_path(w, "%s.parameters[0]", where);
		if ((r = ld_expr(ld, act, json_array_get(params, 0), w, &in.expr)))
			return r;
		ld_path(w, "%s.parameters[1]", where);
		if ((r = list_param(ld, json_array_get(params, 1), w, true, &in.target)))
			return r;
		if (in.target == SW_NONE)
			return ld_fail(ld, w, "a digest needs a learn list");
		return emit(ld, in);
	}
	if (!strcmp(op, "assign_header")) {
		NEED(2);
		in.op = SW_I_HDR_COPY;
		if ((r = header_param(ld, params, 0, where, &in.hdr)) ||
		    (r = header_param(ld, params, 1, where, &in.hdr2)))
			return r;
		if (strcmp(ld->p->headers[in.hdr].type, ld->p->headers[in.hdr2].type))
			return ld_fail(ld, where, "assign_header between different header types");
		return emit(ld, in);
	}
	if (!strcmp(op, "_jump") || !strcmp(op, "_jump_if_zero")) {
		bool z = op[5] == '_';
		NEED(z ? 2 : 1);
		in.op = z ? SW_I_JUMPZ : SW_I_JUMP;
		ld_path(w, "%s.parameters[%d]", where, z);
		if ((r = jump_target(ld, json_array_get(params, z), w, &in.target)))
			return r;
		if (z) {
			ld_path(w, "%s.parameters[0]", where);
			if ((r = ld_expr(ld, act, json_array_get(params, 0), w, &in.expr)))
				return r;
		}
		return emit(ld, in);
	}
	if (!strcmp(op, "count") || !strcmp(op, "register_read") || !strcmp(op, "register_write")) {
		bool cnt = !strcmp(op, "count"), rd = !strcmp(op, "register_read");
		NEED(cnt ? 2 : 3);
		size_t ai = rd ? 1 : 0;
		json_t *tv = json_array_get(params, ai), *v = json_object_get(tv, "value");
		const char *want = cnt ? "counter_array" : "register_array";
		ld_path(w, "%s.parameters[%zu]", where, ai);
		if (strcmp(ld_tv_type(tv), want) || !json_is_string(v))
			return ld_fail(ld, w, "expected a %s", want);
		in.op = cnt ? SW_I_COUNTER : rd ? SW_I_REG_READ : SW_I_REG_WRITE;
		in.hdr = SW_NONE;
		size_t n = cnt ? ld->p->n_counters : ld->p->n_registers;
		for (size_t k = 0; k < n; k++)
			if (!strcmp(cnt ? ld->p->counters[k].name : ld->p->registers[k].name,
				    json_string_value(v)))
				in.hdr = (uint32_t)k;
		if (in.hdr == SW_NONE)
			return ld_fail(ld, w, "no %s named \"%s\"%s", want, json_string_value(v),
				       cnt ? " (or it is a direct counter)" : "");
		ld_path(w, "%s.parameters[%d]", where, rd ? 2 : 1);
		if ((r = ld_expr(ld, act, json_array_get(params, rd ? 2 : 1), w, &in.expr)))
			return r;
		if (rd) {
			json_t *dst = unwrap(json_array_get(params, 0));
			bool isv;
			ld_path(w, "%s.parameters[0]", where);
			if (strcmp(ld_tv_type(dst), "field"))
				return ld_fail(ld, w, "the destination must be a field");
			if ((r = ld_field_ref(ld, json_object_get(dst, "value"), w, &in.dst, &isv)))
				return r;
			if (isv || in.dst.width > 64)
				return ld_fail(ld, w, "the destination must be a field of at most 64 bits");
		} else if (!cnt) {
			ld_path(w, "%s.parameters[2]", where);
			if ((r = ld_expr(ld, act, json_array_get(params, 2), w, &in.expr2)))
				return r;
		}
		return emit(ld, in);
	}
	if (!strcmp(op, "pop") || !strcmp(op, "push")) {
		NEED(2);
		json_t *tv = json_array_get(params, 0);
		int st = find_stack(ld->p, json_object_get(tv, "value"));
		ld_path(w, "%s.parameters[0]", where);
		if (strcmp(ld_tv_type(tv), "header_stack") || st < 0)
			return ld_fail(ld, w, "expected a header stack");
		uint32_t nx;
		ld_path(w, "%s.parameters[1]", where);
		json_t *cnt = json_array_get(params, 1), *cv = json_object_get(cnt, "value");
		uint64_t v;
		if (strcmp(ld_tv_type(cnt), "hexstr") || !json_is_string(cv) ||
		    (r = hex_u64(ld, json_string_value(cv), w, &v)) || v > 1024)
			return r ? r : ld_fail(ld, w, "the count must be a constant up to 1024");
		nx = (uint32_t)v;
		in.op = op[1] == 'o' ? SW_I_POP : SW_I_PUSH;
		in.hdr = (uint32_t)st;
		in.target = nx;
		return emit(ld, in);
	}
	if (!strcmp(op, "modify_field_with_hash_based_offset") ||
	    !strcmp(op, "modify_field_rng_uniform") || !strcmp(op, "truncate") ||
	    !strcmp(op, "execute_meter")) {
		int kind = !strcmp(op, "truncate") ? SW_I_TRUNCATE :
			   !strcmp(op, "execute_meter") ? SW_I_METER :
			   !strcmp(op, "modify_field_rng_uniform") ? SW_I_RANDOM : SW_I_HASH;
		NEED(kind == SW_I_HASH ? 4 : kind == SW_I_TRUNCATE ? 1 : 3);
		in.op = (uint8_t)kind;
		size_t di = kind == SW_I_METER ? 2 : 0;
		if (kind != SW_I_TRUNCATE) {
			json_t *dst = unwrap(json_array_get(params, di));
			bool isv;
			ld_path(w, "%s.parameters[%zu]", where, di);
			if (strcmp(ld_tv_type(dst), "field"))
				return ld_fail(ld, w, "the destination must be a field");
			if ((r = ld_field_ref(ld, json_object_get(dst, "value"), w, &in.dst, &isv)))
				return r;
			if (isv || in.dst.width > 64)
				return ld_fail(ld, w, "the destination must be a field of at most 64 bits");
		}
		/* operand positions: hash (dst, base, calc, size), random (dst, lo, hi),
		 * truncate (len), meter (meter, index, dst) */
		int e1 = kind == SW_I_HASH ? 1 : kind == SW_I_RANDOM ? 1 : kind == SW_I_TRUNCATE ? 0 : 1;
		int e2 = kind == SW_I_HASH ? 3 : kind == SW_I_RANDOM ? 2 : -1;
		ld_path(w, "%s.parameters[%d]", where, e1);
		if ((r = ld_expr(ld, act, json_array_get(params, (size_t)e1), w, &in.expr)))
			return r;
		if (e2 >= 0) {
			ld_path(w, "%s.parameters[%d]", where, e2);
			if ((r = ld_expr(ld, act, json_array_get(params, (size_t)e2), w, &in.expr2)))
				return r;
		}
		if (kind == SW_I_HASH || kind == SW_I_METER) {
			size_t ai = kind == SW_I_HASH ? 2 : 0, n;
			const char *want = kind == SW_I_HASH ? "calculation" : "meter_array";
			json_t *tv = json_array_get(params, ai), *v = json_object_get(tv, "value");
			ld_path(w, "%s.parameters[%zu]", where, ai);
			if (strcmp(ld_tv_type(tv), want) || !json_is_string(v))
				return ld_fail(ld, w, "expected a %s", want);
			n = kind == SW_I_HASH ? ld->p->n_calcs : ld->p->n_meters;
			in.hdr = SW_NONE;
			for (size_t k = 0; k < n; k++)
				if (!strcmp(kind == SW_I_HASH ? ld->p->calcs[k].name : ld->p->meters[k].name,
					    json_string_value(v)))
					in.hdr = (uint32_t)k;
			if (in.hdr == SW_NONE)
				return ld_fail(ld, w, "no %s named \"%s\"", want, json_string_value(v));
		}
		return emit(ld, in);
	}
	return ld_fail(ld, where, "primitive \"%s\" is not supported", op);
#undef NEED
}

/* ---- actions ------------------------------------------------------------ */

static int load_actions(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *acts = ld_member(ld, root, "actions", JSON_ARRAY, "(top)", &r), *a;
	size_t i;
	if (!acts)
		return r;
	p->actions = calloc(json_array_size(acts) + 1, sizeof(*p->actions));
	if (!p->actions)
		return ld_oom(ld);
	json_array_foreach(acts, i, a) {
		char w[W_MAX];
		ld_path(w, "actions[%zu]", i);
		struct sw_action *ac = &p->actions[p->n_actions++];
		const char *name = ld_str(ld, a, "name", w, &r);
		json_t *id = name ? ld_member(ld, a, "id", JSON_INTEGER, w, &r) : NULL;
		json_t *rd = id ? ld_opt_array(ld, a, "runtime_data", w, &r) : NULL, *d;
		json_t *prims = r ? NULL : ld_member(ld, a, "primitives", JSON_ARRAY, w, &r);
		if (!prims)
			return r;
		ac->name = ld_dup(ld, name, &r);
		ac->id = (int)json_integer_value(id);
		for (size_t j = 0; j + 1 < p->n_actions; j++)
			if (p->actions[j].id == ac->id)
				return ld_fail(ld, w, "action id %d is used twice", ac->id);
		size_t n = rd ? json_array_size(rd) : 0, j;
		ac->params = calloc(n + 1, sizeof(*ac->params));
		ac->pinfo = calloc(n + 1, sizeof(*ac->pinfo));
		if (r || !ac->params || !ac->pinfo)
			return r ? r : ld_oom(ld);
		if (rd) json_array_foreach(rd, j, d) {
			char pw[W_MAX];
			ld_path(pw, "%s.runtime_data[%zu]", w, j);
			const char *pn = ld_str(ld, d, "name", pw, &r);
			json_t *bw = pn ? ld_member(ld, d, "bitwidth", JSON_INTEGER, pw, &r) : NULL;
			if (!bw)
				return r;
			if (json_integer_value(bw) <= 0 || json_integer_value(bw) > 4096)
				return ld_fail(ld, pw, "bitwidth must be between 1 and 4096");
			struct sw_param *pa = &ac->params[ac->n_params++];
			pa->name = ld_dup(ld, pn, &r);
			if (r)
				return r;
			pa->width = (uint32_t)json_integer_value(bw);
			pa->off = ac->args_len;
			ac->args_len += (pa->width + 7) / 8;
			ac->pinfo[j] = (struct sw_param_info){ pa->name, pa->width };
		}
		if (ac->args_len > p->max_args)
			p->max_args = ac->args_len;
		ac->info = (struct sw_action_info){ ac->name, ac->id, ac->n_params, ac->pinfo };
		ac->ins = (uint32_t)p->n_ins;
		json_array_foreach(prims, j, d) {
			char pw[W_MAX];
			ld_path(pw, "%s.primitives[%zu]", w, j);
			if ((r = primitive(ld, ac, d, pw)))
				return r;
		}
		ac->n_ins = (uint32_t)p->n_ins - ac->ins;
		for (uint32_t k = ac->ins; k < ac->ins + ac->n_ins; k++)
			if ((p->ins[k].op == SW_I_JUMP || p->ins[k].op == SW_I_JUMPZ) &&
			    p->ins[k].target > ac->n_ins)
				return ld_fail(ld, w, "jump to %u is outside the action", p->ins[k].target);
	}
	return 0;
}

int ld_action_by_id(const struct sw_plan *p, json_int_t id)
{
	for (size_t i = 0; i < p->n_actions; i++)
		if (p->actions[i].id == id)
			return (int)i;
	return -1;
}

int ld_action_by_name(const struct sw_plan *p, const char *name)
{
	for (size_t i = 0; i < p->n_actions; i++)
		if (!strcmp(p->actions[i].name, name))
			return (int)i;
	return -1;
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
		if (!strcmp(ld_tv_type(tv), "stack")) {
			int st = find_stack(ld->p, v);
			if (st < 0)
				return ld_fail(ld, w, "no header stack named \"%s\"",
					       json_is_string(v) ? json_string_value(v) : "?");
			in.op = SW_I_EXTRACT_STACK;
			in.hdr = (uint32_t)st;
			return emit(ld, in);
		}
		if (strcmp(ld_tv_type(tv), "regular"))
			return ld_fail(ld, w, "extract of type \"%s\" is not supported", ld_tv_type(tv));
		int h = json_is_string(v) ? ld_find_header(ld->p, json_string_value(v)) : -1;
		if (h < 0)
			return ld_fail(ld, w, "no header instance named \"%s\"",
				    json_is_string(v) ? json_string_value(v) : "?");
		in.op = SW_I_EXTRACT;
		in.hdr = (uint32_t)h;
		return emit(ld, in);
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
		return emit(ld, in);
	}
	if (!strcmp(op, "set")) {
		json_t *src = unwrap(json_array_get(params, 1));
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
			return emit(ld, in);
		}
		return emit_arith(ld, NULL, params, 0, -1, 1, -1, where);
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
		return emit(ld, in);
	}
	if (!strcmp(op, "primitive")) {
		ld_path(w, "%s.parameters[0]", where);
		return primitive(ld, NULL, json_array_get(params, 0), w);
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
				if ((r = stack_field(ld, v, w2, &k->f)))
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
	static const char *const keys[] = { "header_union_stacks", "extern_instances" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *a = json_object_get(root, keys[i]);
		if (json_is_array(a) && json_array_size(a))
			return ld_fail(ld, keys[i], "%s are not supported yet", keys[i]);
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
	    (r = ld_vsets(&ld, root)))
		goto out;
	load_std(p);
	if ((r = load_errors(&ld, root)) || (r = ld_stateful(&ld, root)) ||
	    (r = load_deparser(&ld, root)) || (r = ld_calcs(&ld, root)) ||
	    (r = ld_lists(&ld, root, "field_lists", &p->flists, &p->n_flists)) ||
	    (r = ld_lists(&ld, root, "learn_lists", &p->learns, &p->n_learns)) ||
	    (r = load_actions(&ld, root)) ||
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
	FREE_EACH(p->vsets, p->n_vsets, name, vals);
	free(p->deparse);
	free(p->exprs);
	free(p->ins);
	free(p->pool);
	free(p->file);
	free(p);
}
