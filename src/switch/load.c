/* load.c - BMv2 JSON -> execution plan (plan.h).  Called by sw_create().
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

#include "plan.h"
#include "table.h"

struct ld {
	struct sw_plan *p;
	struct p4l_err *err;
};

#define W_MAX 384  /* JSON paths in messages */

/* Builds a JSON path; long ones are cut, which only shortens a message. */
__attribute__((format(printf, 2, 3)))
static void wpath(char *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w, W_MAX, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static int fail(struct ld *ld, const char *where, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return p4l_errf(ld->err, -EINVAL, "%s: %s: %s", ld->p->file, where, msg);
}

static int oom(struct ld *ld)
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

static json_t *member(struct ld *ld, json_t *o, const char *key, json_type type,
		      const char *where, int *r)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	if (!v || json_typeof(v) != type) {
		static const char *const tn[] = { "an object", "an array", "a string",
			"an integer", "a number", "true", "false", "null" };
		*r = fail(ld, where, "\"%s\" must be %s", key,
			  type == JSON_TRUE ? "a boolean" : tn[type]);
		return NULL;
	}
	return v;
}

static const char *str_member(struct ld *ld, json_t *o, const char *key, const char *where,
			      int *r)
{
	json_t *v = member(ld, o, key, JSON_STRING, where, r);
	return v ? json_string_value(v) : NULL;
}

/* An optional array member: missing or null is empty. */
static json_t *opt_array(struct ld *ld, json_t *o, const char *key, const char *where, int *r)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		*r = fail(ld, where, "\"%s\" must be an array", key);
		return NULL;
	}
	return v;
}

static char *dup(struct ld *ld, const char *s, int *r)
{
	char *d = strdup(s);
	if (!d)
		*r = oom(ld);
	return d;
}

/* ---- hex strings ------------------------------------------------------- */

/* Parses "0x..." or "-0x..." (or decimal digits) into nbytes big-endian bytes.
 * Returns -ERANGE if the value does not fit, -EINVAL if malformed. */
static int hex_to_bytes(const char *s, uint8_t *out, size_t nbytes, bool *neg)
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
	if (hex_to_bytes(s, buf, sizeof(buf), &neg) < 0)
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
	int r = hex_to_bytes(s, b, 8, &neg);
	if (r == -EINVAL)
		return fail(ld, where, "\"%s\" is not a hex string", s);
	if (r == -ERANGE)
		return fail(ld, where, "constant %s is wider than 64 bits here", s);
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
		return oom(ld);
	p->pool = np;
	*off = (uint32_t)p->pool_len;
	memcpy(p->pool + p->pool_len, b, n);
	p->pool_len += n;
	return 0;
}

/* A hexstr of exactly nbytes (after dropping leading zero bytes) into the pool. */
static int pool_hex(struct ld *ld, const char *s, size_t nbytes, const char *where, uint32_t *off)
{
	uint8_t buf[SW_MAX_KEY_BYTES];
	bool neg;
	if (nbytes > sizeof(buf))
		return fail(ld, where, "value of %zu bytes is too wide", nbytes);
	int r = hex_to_bytes(s, buf, nbytes, &neg);
	if (r == -EINVAL || neg)
		return fail(ld, where, "\"%s\" is not a hex string", s);
	if (r == -ERANGE)
		return fail(ld, where, "\"%s\" does not fit in %zu bytes", s, nbytes);
	return pool_add(ld, buf, nbytes, off);
}

/* ---- headers and fields ------------------------------------------------- */

static int find_header(const struct sw_plan *p, const char *name)
{
	for (size_t i = 0; i < p->n_headers; i++)
		if (!strcmp(p->headers[i].name, name))
			return (int)i;
	return -1;
}

/* Resolves ["hdr", "field"]; "$valid$" gives a 1-bit VALIDF reference
 * (*is_valid set). */
static int field_ref(struct ld *ld, json_t *v, const char *where, struct sw_fref *f,
		     bool *is_valid)
{
	*is_valid = false;
	if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_string(json_array_get(v, 0)) ||
	    !json_is_string(json_array_get(v, 1)))
		return fail(ld, where, "a field reference must be [\"header\", \"field\"]");
	const char *hn = json_string_value(json_array_get(v, 0));
	const char *fn = json_string_value(json_array_get(v, 1));
	int h = find_header(ld->p, hn);
	if (h < 0)
		return fail(ld, where, "no header instance named \"%s\"", hn);
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
	return fail(ld, where, "header \"%s\" has no field \"%s\"", hn, fn);
}

static int load_headers(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *types = member(ld, root, "header_types", JSON_ARRAY, "(top)", &r);
	json_t *hdrs = types ? member(ld, root, "headers", JSON_ARRAY, "(top)", &r) : NULL;
	if (!hdrs)
		return r;
	p->headers = calloc(json_array_size(hdrs) + 1, sizeof(*p->headers));
	if (!p->headers)
		return oom(ld);
	size_t i;
	json_t *h;
	uint32_t off = 0;
	json_array_foreach(hdrs, i, h) {
		char w[W_MAX];
		wpath(w, "headers[%zu]", i);
		const char *name = str_member(ld, h, "name", w, &r);
		const char *tname = name ? str_member(ld, h, "header_type", w, &r) : NULL;
		if (!tname)
			return r;
		if (find_header(p, name) >= 0)
			return fail(ld, w, "header instance \"%s\" is declared twice", name);
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
			return fail(ld, w, "no header type named \"%s\"", tname);
		char tw[W_MAX];
		wpath(tw, "header_types[%zu]", j);
		json_t *fields = member(ld, t, "fields", JSON_ARRAY, tw, &r);
		if (!fields)
			return r;
		struct sw_header *hd = &p->headers[p->n_headers++];
		hd->name = dup(ld, name, &r);
		hd->type = dup(ld, tname, &r);
		hd->fields = calloc(json_array_size(fields) + 1, sizeof(*hd->fields));
		if (r || !hd->fields)
			return r ? r : oom(ld);
		hd->metadata = json_is_true(json_object_get(h, "metadata"));
		json_t *f;
		size_t k;
		uint32_t bit = 0;
		json_array_foreach(fields, k, f) {
			char fw[W_MAX];
			wpath(fw, "%s.fields[%zu]", tw, k);
			json_t *fn = json_array_get(f, 0), *fwid = json_array_get(f, 1);
			if (!json_is_string(fn))
				return fail(ld, fw, "a field must be [\"name\", width]");
			if (json_is_string(fwid))
				return fail(ld, fw, "variable-length field \"%s\" is not supported",
					    json_string_value(fn));
			if (!json_is_integer(fwid) || json_integer_value(fwid) <= 0 ||
			    json_integer_value(fwid) > 65536)
				return fail(ld, fw, "field \"%s\" needs a positive integer width",
					    json_string_value(fn));
			if (json_is_true(json_array_get(f, 2)))
				return fail(ld, fw, "signed field \"%s\" is not supported yet",
					    json_string_value(fn));
			struct sw_field *sf = &hd->fields[hd->n_fields++];
			sf->name = dup(ld, json_string_value(fn), &r);
			if (r)
				return r;
			sf->width = (uint32_t)json_integer_value(fwid);
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
	int h = find_header(p, "standard_metadata");
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
	json_t *errs = opt_array(ld, root, "errors", "(top)", &r), *e;
	size_t i;
	p->err_too_short = 1;
	p->err_no_match = 2;
	if (!errs)
		return r;
	json_array_foreach(errs, i, e) {
		char w[W_MAX];
		wpath(w, "errors[%zu]", i);
		json_t *n = json_array_get(e, 0), *v = json_array_get(e, 1);
		if (!json_is_string(n) || !json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) >= 4096)
			return fail(ld, w, "an error must be [\"name\", value] with 0 <= value < 4096");
		size_t val = (size_t)json_integer_value(v);
		if (val >= p->n_errors) {
			char **ne = realloc(p->error_names, (val + 1) * sizeof(*ne));
			if (!ne)
				return oom(ld);
			memset(ne + p->n_errors, 0, (val + 1 - p->n_errors) * sizeof(*ne));
			p->error_names = ne;
			p->n_errors = val + 1;
		}
		free(p->error_names[val]);
		p->error_names[val] = dup(ld, json_string_value(n), &r);
		if (r)
			return r;
		if (!strcmp(json_string_value(n), "PacketTooShort"))
			p->err_too_short = (uint32_t)val;
		if (!strcmp(json_string_value(n), "NoMatch"))
			p->err_no_match = (uint32_t)val;
	}
	return 0;
}

/* ---- expressions -------------------------------------------------------- */

static int new_expr(struct ld *ld, struct sw_expr e, uint32_t *idx)
{
	struct sw_plan *p = ld->p;
	struct sw_expr *n = grow(p->exprs, &p->cap_exprs, p->n_exprs + 1, sizeof(*n));
	if (!n)
		return oom(ld);
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

static const char *tv_type(json_t *tv)
{
	json_t *t = json_object_get(tv, "type");
	return json_is_string(t) ? json_string_value(t) : "";
}

static int param_ref(struct ld *ld, const struct sw_action *act, json_t *v, const char *where,
		     struct sw_fref *f)
{
	if (!act)
		return fail(ld, where, "action data used outside an action");
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (size_t)json_integer_value(v) >= act->n_params)
		return fail(ld, where, "action \"%s\" has no parameter %lld", act->name,
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
	const char *t = tv_type(tv);
	json_t *v = json_object_get(tv, "value");
	struct sw_fref f;
	bool isv;
	struct p4l_err *save = ld->err;
	uint32_t w = 0;
	ld->err = NULL;
	if (!strcmp(t, "field") && !field_ref(ld, v, "", &f, &isv))
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
	const char *t = tv_type(tv);
	json_t *v = json_object_get(tv, "value");
	struct sw_fref f;
	bool isv;
	int r;
	if (!strcmp(t, "field")) {
		if ((r = field_ref(ld, v, where, &f, &isv)))
			return r;
		if (isv)
			return fail(ld, where, "$valid$ cannot be used here");
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
		if ((r = pool_hex(ld, json_string_value(v), nb, where, &off)))
			return r;
		*w = (struct sw_wide){ SW_SRC_CONST, off * 8 + nb * 8 - width, width };
		return 0;
	}
	return fail(ld, where, "operation on a %u-bit value: values wider than 64 bits "
		    "support only copy, == and !=", width);
}

static int expr(struct ld *ld, const struct sw_action *act, json_t *tv, const char *where,
		uint32_t *idx);

static int expr_op(struct ld *ld, const struct sw_action *act, json_t *e, const char *where,
		   uint32_t *idx)
{
	int r = 0;
	const char *op = str_member(ld, e, "op", where, &r);
	if (!op)
		return r;
	json_t *L = json_object_get(e, "left"), *R = json_object_get(e, "right");
	bool unary = !L || json_is_null(L);
	char wl[W_MAX], wr[W_MAX], wc[W_MAX];
	wpath(wl, "%s.left", where);
	wpath(wr, "%s.right", where);
	wpath(wc, "%s.cond", where);
	int k = -1;
	for (int i = SW_E_VALID; i < SW_E_COUNT; i++)
		if (sw_expr_names[i][0] && !strcmp(sw_expr_names[i], op)) {
			k = i;
			break;
		}
	if (k == SW_E_SUB && unary)
		k = SW_E_NEG;
	if (k < 0)
		return fail(ld, where, "expression operator \"%s\" is not supported", op);
	struct sw_expr n = { .op = (uint8_t)k };
	if (k == SW_E_VALID) {
		R = unwrap(R);
		json_t *hv = json_object_get(R, "value");
		if (strcmp(tv_type(R), "header") || !json_is_string(hv))
			return fail(ld, wr, "\"valid\" takes a header");
		int h = find_header(ld->p, json_string_value(hv));
		if (h < 0)
			return fail(ld, wr, "no header instance named \"%s\"", json_string_value(hv));
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
			return fail(ld, where, "\"%s\" needs a right operand", op);
		if ((r = expr(ld, act, R, wr, &n.x.a)))
			return r;
		return new_expr(ld, n, idx);
	}
	if (unary)
		return fail(ld, where, "\"%s\" needs a left operand", op);
	if ((r = expr(ld, act, L, wl, &n.x.a)) || (r = expr(ld, act, R, wr, &n.x.b)))
		return r;
	if (k == SW_E_COND) {
		json_t *C = json_object_get(e, "cond");
		if (!C)
			return fail(ld, where, "\"?\" needs a \"cond\"");
		if ((r = expr(ld, act, C, wc, &n.x.c)))
			return r;
	}
	return new_expr(ld, n, idx);
}

static int expr(struct ld *ld, const struct sw_action *act, json_t *tv, const char *where,
		uint32_t *idx)
{
	char w[W_MAX];
	tv = unwrap(tv);
	if (!json_is_object(tv))
		return fail(ld, where, "an operand must be an object with \"type\" and \"value\"");
	const char *t = tv_type(tv);
	json_t *v = json_object_get(tv, "value");
	struct sw_expr n = { 0 };
	bool isv;
	int r;
	wpath(w, "%s.value", where);
	if (!strcmp(t, "expression")) {
		if (!json_is_object(v))
			return fail(ld, where, "\"value\" of an expression must be an object");
		return expr_op(ld, act, v, w, idx);
	}
	if (!strcmp(t, "field")) {
		n.op = SW_E_FIELD;
		if ((r = field_ref(ld, v, w, &n.f, &isv)))
			return r;
		if (isv)
			n.op = SW_E_VALIDF;
		else if (n.f.width > 64)
			return fail(ld, w, "operation on a %u-bit value: values wider than 64 bits "
				    "support only copy, == and !=", n.f.width);
		return new_expr(ld, n, idx);
	}
	if (!strcmp(t, "runtime_data") || !strcmp(t, "local")) {
		n.op = SW_E_PARAM;
		if ((r = param_ref(ld, act, v, w, &n.f)))
			return r;
		if (n.f.width > 64)
			return fail(ld, w, "operation on a %u-bit value: values wider than 64 bits "
				    "support only copy, == and !=", n.f.width);
		return new_expr(ld, n, idx);
	}
	if (!strcmp(t, "hexstr")) {
		if (!json_is_string(v))
			return fail(ld, w, "a hexstr must be a string");
		n.op = SW_E_CONST;
		if ((r = hex_u64(ld, json_string_value(v), w, &n.k)))
			return r;
		return new_expr(ld, n, idx);
	}
	if (!strcmp(t, "bool")) {
		if (!json_is_boolean(v))
			return fail(ld, w, "a bool must be true or false");
		n.op = SW_E_CONST;
		n.k = json_is_true(v);
		return new_expr(ld, n, idx);
	}
	return fail(ld, where, "operand type \"%s\" is not supported", t);
}

/* ---- instructions -------------------------------------------------------- */

static int emit(struct ld *ld, struct sw_ins in)
{
	struct sw_plan *p = ld->p;
	struct sw_ins *n = grow(p->ins, &p->cap_ins, p->n_ins + 1, sizeof(*n));
	if (!n)
		return oom(ld);
	p->ins = n;
	n[p->n_ins++] = in;
	return 0;
}

static int header_param(struct ld *ld, json_t *params, size_t i, const char *where, uint32_t *h)
{
	char w[W_MAX];
	wpath(w, "%s.parameters[%zu]", where, i);
	json_t *tv = json_array_get(params, i), *v = json_object_get(tv, "value");
	if (strcmp(tv_type(tv), "header") || !json_is_string(v))
		return fail(ld, w, "expected a header");
	int x = find_header(ld->p, json_string_value(v));
	if (x < 0)
		return fail(ld, w, "no header instance named \"%s\"", json_string_value(v));
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
	wpath(w, "%s.parameters[%zu]", where, di);
	json_t *dst = unwrap(json_array_get(params, di));
	if (strcmp(tv_type(dst), "field"))
		return fail(ld, w, "the destination must be a field");
	if ((r = field_ref(ld, json_object_get(dst, "value"), w, &in.dst, &isv)))
		return r;
	if (isv)
		return fail(ld, w, "$valid$ is read-only");
	if (op < 0 && in.dst.width > 64) {
		in.op = SW_I_COPY;
		wpath(w, "%s.parameters[%d]", where, b);
		if ((r = wide_leaf(ld, act, json_array_get(params, (size_t)b), in.dst.width, w, &in.src)))
			return r;
		return emit(ld, in);
	}
	uint32_t ea, eb;
	wpath(w, "%s.parameters[%d]", where, b);
	if ((r = expr(ld, act, json_array_get(params, (size_t)b), w, &eb)))
		return r;
	if (op < 0) {
		in.expr = eb;
	} else {
		wpath(w, "%s.parameters[%d]", where, a);
		if ((r = expr(ld, act, json_array_get(params, (size_t)a), w, &ea)))
			return r;
		struct sw_expr n = { .op = (uint8_t)op };
		n.x.a = ea;
		n.x.b = eb;
		if ((r = new_expr(ld, n, &in.expr)))
			return r;
	}
	if (in.dst.width > 64)
		return fail(ld, where, "arithmetic on a %u-bit field is not supported", in.dst.width);
	return emit(ld, in);
}

static int jump_target(struct ld *ld, json_t *tv, const char *where, uint32_t *t)
{
	uint64_t v;
	json_t *x = json_object_get(tv, "value");
	int r;
	if (strcmp(tv_type(tv), "hexstr") || !json_is_string(x))
		return fail(ld, where, "a jump offset must be a hexstr");
	if ((r = hex_u64(ld, json_string_value(x), where, &v)))
		return r;
	*t = (uint32_t)v;
	return 0;
}

/* One primitive call; base: index of the action's first instruction. */
static int primitive(struct ld *ld, const struct sw_action *act, json_t *prim, const char *where)
{
	int r = 0;
	const char *op = str_member(ld, prim, "op", where, &r);
	json_t *params = op ? member(ld, prim, "parameters", JSON_ARRAY, where, &r) : NULL;
	size_t np = params ? json_array_size(params) : 0;
	struct sw_ins in = { 0 };
	char w[W_MAX];
	if (!params)
		return r;
#define NEED(n) do { if (np != (n)) return fail(ld, where, "\"%s\" takes %d parameters, not %zu", op, (n), np); } while (0)
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
		if ((r = header_param(ld, params, 0, where, &in.hdr)))
			return r;
		return emit(ld, in);
	}
	if (!strcmp(op, "mark_to_drop") || !strcmp(op, "drop")) {
		if (np > 1)
			return fail(ld, where, "\"%s\" takes at most 1 parameter", op);
		if (!ld->p->std.has_egress_spec)
			return fail(ld, where, "\"%s\" needs standard_metadata.egress_spec", op);
		in.op = SW_I_DROP;
		return emit(ld, in);
	}
	if (!strcmp(op, "exit")) {
		in.op = SW_I_EXIT;
		return emit(ld, in);
	}
	if (!strcmp(op, "no_op") || !strcmp(op, "log_msg")) {
		in.op = SW_I_NOP;
		return emit(ld, in);
	}
	if (!strcmp(op, "assign_header")) {
		NEED(2);
		in.op = SW_I_HDR_COPY;
		if ((r = header_param(ld, params, 0, where, &in.hdr)) ||
		    (r = header_param(ld, params, 1, where, &in.hdr2)))
			return r;
		if (strcmp(ld->p->headers[in.hdr].type, ld->p->headers[in.hdr2].type))
			return fail(ld, where, "assign_header between different header types");
		return emit(ld, in);
	}
	if (!strcmp(op, "_jump") || !strcmp(op, "_jump_if_zero")) {
		bool z = op[5] == '_';
		NEED(z ? 2 : 1);
		in.op = z ? SW_I_JUMPZ : SW_I_JUMP;
		wpath(w, "%s.parameters[%d]", where, z);
		if ((r = jump_target(ld, json_array_get(params, z), w, &in.target)))
			return r;
		if (z) {
			wpath(w, "%s.parameters[0]", where);
			if ((r = expr(ld, act, json_array_get(params, 0), w, &in.expr)))
				return r;
		}
		return emit(ld, in);
	}
	return fail(ld, where, "primitive \"%s\" is not supported", op);
#undef NEED
}

/* ---- actions ------------------------------------------------------------ */

static int load_actions(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *acts = member(ld, root, "actions", JSON_ARRAY, "(top)", &r), *a;
	size_t i;
	if (!acts)
		return r;
	p->actions = calloc(json_array_size(acts) + 1, sizeof(*p->actions));
	if (!p->actions)
		return oom(ld);
	json_array_foreach(acts, i, a) {
		char w[W_MAX];
		wpath(w, "actions[%zu]", i);
		struct sw_action *ac = &p->actions[p->n_actions++];
		const char *name = str_member(ld, a, "name", w, &r);
		json_t *id = name ? member(ld, a, "id", JSON_INTEGER, w, &r) : NULL;
		json_t *rd = id ? opt_array(ld, a, "runtime_data", w, &r) : NULL, *d;
		json_t *prims = r ? NULL : member(ld, a, "primitives", JSON_ARRAY, w, &r);
		if (!prims)
			return r;
		ac->name = dup(ld, name, &r);
		ac->id = (int)json_integer_value(id);
		for (size_t j = 0; j + 1 < p->n_actions; j++)
			if (p->actions[j].id == ac->id)
				return fail(ld, w, "action id %d is used twice", ac->id);
		size_t n = rd ? json_array_size(rd) : 0, j;
		ac->params = calloc(n + 1, sizeof(*ac->params));
		ac->pinfo = calloc(n + 1, sizeof(*ac->pinfo));
		if (r || !ac->params || !ac->pinfo)
			return r ? r : oom(ld);
		if (rd) json_array_foreach(rd, j, d) {
			char pw[W_MAX];
			wpath(pw, "%s.runtime_data[%zu]", w, j);
			const char *pn = str_member(ld, d, "name", pw, &r);
			json_t *bw = pn ? member(ld, d, "bitwidth", JSON_INTEGER, pw, &r) : NULL;
			if (!bw)
				return r;
			if (json_integer_value(bw) <= 0 || json_integer_value(bw) > 4096)
				return fail(ld, pw, "bitwidth must be between 1 and 4096");
			struct sw_param *pa = &ac->params[ac->n_params++];
			pa->name = dup(ld, pn, &r);
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
			wpath(pw, "%s.primitives[%zu]", w, j);
			if ((r = primitive(ld, ac, d, pw)))
				return r;
		}
		ac->n_ins = (uint32_t)p->n_ins - ac->ins;
		for (uint32_t k = ac->ins; k < ac->ins + ac->n_ins; k++)
			if ((p->ins[k].op == SW_I_JUMP || p->ins[k].op == SW_I_JUMPZ) &&
			    p->ins[k].target > ac->n_ins)
				return fail(ld, w, "jump to %u is outside the action", p->ins[k].target);
	}
	return 0;
}

static int action_by_id(const struct sw_plan *p, json_int_t id)
{
	for (size_t i = 0; i < p->n_actions; i++)
		if (p->actions[i].id == id)
			return (int)i;
	return -1;
}

static int action_by_name(const struct sw_plan *p, const char *name)
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
	const char *op = str_member(ld, o, "op", where, &r);
	json_t *params = op ? member(ld, o, "parameters", JSON_ARRAY, where, &r) : NULL;
	struct sw_ins in = { 0 };
	char w[W_MAX];
	bool isv;
	if (!params)
		return r;
	if (!strcmp(op, "extract")) {
		json_t *tv = json_array_get(params, 0), *v = json_object_get(tv, "value");
		wpath(w, "%s.parameters[0]", where);
		if (strcmp(tv_type(tv), "regular"))
			return fail(ld, w, "extract of type \"%s\" is not supported", tv_type(tv));
		int h = json_is_string(v) ? find_header(ld->p, json_string_value(v)) : -1;
		if (h < 0)
			return fail(ld, w, "no header instance named \"%s\"",
				    json_is_string(v) ? json_string_value(v) : "?");
		in.op = SW_I_EXTRACT;
		in.hdr = (uint32_t)h;
		return emit(ld, in);
	}
	if (!strcmp(op, "set")) {
		json_t *src = unwrap(json_array_get(params, 1));
		if (json_array_size(params) != 2)
			return fail(ld, where, "\"set\" takes 2 parameters");
		if (!strcmp(tv_type(src), "lookahead")) {
			json_t *dst = json_array_get(params, 0), *lv = json_object_get(src, "value");
			wpath(w, "%s.parameters[0]", where);
			if ((r = field_ref(ld, json_object_get(dst, "value"), w, &in.dst, &isv)))
				return r;
			if (!json_is_array(lv) || !json_is_integer(json_array_get(lv, 0)) ||
			    !json_is_integer(json_array_get(lv, 1)))
				return fail(ld, where, "lookahead must be [offset, width]");
			in.op = SW_I_ASSIGN_LA;
			in.src = (struct sw_wide){ 0, (uint32_t)json_integer_value(json_array_get(lv, 0)),
						   (uint32_t)json_integer_value(json_array_get(lv, 1)) };
			if (in.src.width > 64 || in.dst.width > 64)
				return fail(ld, where, "lookahead wider than 64 bits is not supported");
			return emit(ld, in);
		}
		return emit_arith(ld, NULL, params, 0, -1, 1, -1, where);
	}
	if (!strcmp(op, "verify")) {
		if (json_array_size(params) != 2)
			return fail(ld, where, "\"verify\" takes 2 parameters");
		in.op = SW_I_VERIFY;
		wpath(w, "%s.parameters[0]", where);
		if ((r = expr(ld, NULL, json_array_get(params, 0), w, &in.expr)))
			return r;
		wpath(w, "%s.parameters[1]", where);
		if ((r = expr(ld, NULL, json_array_get(params, 1), w, &in.expr2)))
			return r;
		return emit(ld, in);
	}
	if (!strcmp(op, "primitive")) {
		wpath(w, "%s.parameters[0]", where);
		return primitive(ld, NULL, json_array_get(params, 0), w);
	}
	return fail(ld, where, "parser operation \"%s\" is not supported", op);
}

static int load_parser(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *parsers = member(ld, root, "parsers", JSON_ARRAY, "(top)", &r);
	p->parser_init = SW_NONE;
	if (!parsers)
		return r;
	if (json_array_size(parsers) == 0)
		return 0;
	if (json_array_size(parsers) > 1)
		return fail(ld, "parsers", "more than one parser is not supported");
	json_t *ps = json_array_get(parsers, 0);
	json_t *states = member(ld, ps, "parse_states", JSON_ARRAY, "parsers[0]", &r), *s;
	const char *init = states ? str_member(ld, ps, "init_state", "parsers[0]", &r) : NULL;
	size_t i;
	if (!init)
		return r;
	p->states = calloc(json_array_size(states) + 1, sizeof(*p->states));
	if (!p->states)
		return oom(ld);
	json_array_foreach(states, i, s) {
		char w[W_MAX];
		wpath(w, "parsers[0].parse_states[%zu]", i);
		const char *name = str_member(ld, s, "name", w, &r);
		if (!name)
			return r;
		p->states[i].name = dup(ld, name, &r);
		p->n_states++;
		if (r)
			return r;
		if (!strcmp(name, init))
			p->parser_init = (uint32_t)i;
	}
	if (p->parser_init == SW_NONE)
		return fail(ld, "parsers[0].init_state", "no parse state named \"%s\"", init);
	json_array_foreach(states, i, s) {
		char w[W_MAX], w2[W_MAX];
		struct sw_state *st = &p->states[i];
		wpath(w, "parsers[0].parse_states[%zu]", i);
		json_t *ops = member(ld, s, "parser_ops", JSON_ARRAY, w, &r), *o;
		json_t *keys = ops ? opt_array(ld, s, "transition_key", w, &r) : NULL;
		json_t *trans = r ? NULL : member(ld, s, "transitions", JSON_ARRAY, w, &r);
		size_t j;
		if (!trans)
			return r;
		st->ins = (uint32_t)p->n_ins;
		json_array_foreach(ops, j, o) {
			wpath(w2, "%s.parser_ops[%zu]", w, j);
			if ((r = parser_op(ld, o, w2)))
				return r;
		}
		st->n_ins = (uint32_t)p->n_ins - st->ins;
		size_t nk = keys ? json_array_size(keys) : 0;
		st->keys = calloc(nk + 1, sizeof(*st->keys));
		st->trans = calloc(json_array_size(trans) + 1, sizeof(*st->trans));
		if (!st->keys || !st->trans)
			return oom(ld);
		if (keys) json_array_foreach(keys, j, o) {
			struct sw_select_key *k = &st->keys[st->n_keys++];
			bool isv;
			wpath(w2, "%s.transition_key[%zu]", w, j);
			json_t *v = json_object_get(o, "value");
			if (!strcmp(tv_type(o), "field")) {
				k->kind = SW_TK_FIELD;
				if ((r = field_ref(ld, v, w2, &k->f, &isv)))
					return r;
				if (isv)
					k->f = (struct sw_fref){ 0, 1, k->f.hdr };
				k->kind = isv ? SW_TK_VALID : SW_TK_FIELD;
			} else if (!strcmp(tv_type(o), "lookahead")) {
				json_t *a = json_array_get(v, 0), *b = json_array_get(v, 1);
				if (!json_is_integer(a) || !json_is_integer(b) || json_integer_value(b) <= 0)
					return fail(ld, w2, "lookahead must be [offset, width]");
				k->kind = SW_TK_LOOKAHEAD;
				k->f = (struct sw_fref){ (uint32_t)json_integer_value(a),
							 (uint32_t)json_integer_value(b), 0 };
			} else {
				return fail(ld, w2, "transition key of type \"%s\" is not supported",
					    tv_type(o));
			}
			k->nbytes = (k->f.width + 7) / 8;
			st->key_len += k->nbytes;
		}
		if (st->key_len > SW_MAX_KEY_BYTES)
			return fail(ld, w, "transition key is too wide");
		json_array_foreach(trans, j, o) {
			struct sw_transition *t = &st->trans[st->n_trans++];
			wpath(w2, "%s.transitions[%zu]", w, j);
			const char *type = json_is_string(json_object_get(o, "type")) ?
				json_string_value(json_object_get(o, "type")) : "hexstr";
			json_t *v = json_object_get(o, "value"), *m = json_object_get(o, "mask");
			json_t *nx = json_object_get(o, "next_state");
			if (!strcmp(type, "default")) {
				t->is_default = true;
			} else if (!strcmp(type, "hexstr")) {
				if (!json_is_string(v))
					return fail(ld, w2, "\"value\" must be a hex string");
				if ((r = pool_hex(ld, json_string_value(v), st->key_len, w2, &t->value)))
					return r;
				t->mask = SW_NONE;
				if (json_is_string(m) &&
				    (r = pool_hex(ld, json_string_value(m), st->key_len, w2, &t->mask)))
					return r;
			} else {
				return fail(ld, w2, "transition type \"%s\" is not supported", type);
			}
			t->next = SW_NONE;
			if (json_is_string(nx)) {
				size_t q;
				for (q = 0; q < p->n_states; q++)
					if (!strcmp(p->states[q].name, json_string_value(nx)))
						break;
				if (q == p->n_states)
					return fail(ld, w2, "no parse state named \"%s\"", json_string_value(nx));
				t->next = (uint32_t)q;
			} else if (!json_is_null(nx) && nx) {
				return fail(ld, w2, "\"next_state\" must be a name or null");
			}
		}
	}
	return 0;
}

static int load_deparser(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *deps = member(ld, root, "deparsers", JSON_ARRAY, "(top)", &r);
	if (!deps || !json_array_size(deps))
		return r;
	if (json_array_size(deps) > 1)
		return fail(ld, "deparsers", "more than one deparser is not supported");
	json_t *order = member(ld, json_array_get(deps, 0), "order", JSON_ARRAY, "deparsers[0]", &r), *o;
	size_t i;
	if (!order)
		return r;
	p->deparse = calloc(json_array_size(order) + 1, sizeof(*p->deparse));
	if (!p->deparse)
		return oom(ld);
	json_array_foreach(order, i, o) {
		int h = json_is_string(o) ? find_header(p, json_string_value(o)) : -1;
		if (h < 0) {
			char w[W_MAX];
			wpath(w, "deparsers[0].order[%zu]", i);
			return fail(ld, w, "no header instance named \"%s\"",
				    json_is_string(o) ? json_string_value(o) : "?");
		}
		p->deparse[p->n_deparse++] = (uint32_t)h;
	}
	return 0;
}

/* ---- pipelines ------------------------------------------------------------ */

static int node_by_name(struct ld *ld, size_t first, json_t *v, const char *where, uint32_t *out)
{
	*out = SW_NONE;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return fail(ld, where, "a next node must be a name or null");
	for (size_t i = first; i < ld->p->n_nodes; i++)
		if (!strcmp(ld->p->nodes[i].name, json_string_value(v))) {
			*out = (uint32_t)i;
			return 0;
		}
	return fail(ld, where, "no table, conditional or action call named \"%s\"",
		    json_string_value(v));
}

/* Hexstr action data into args bytes. */
static int action_data(struct ld *ld, const struct sw_action *a, json_t *data, const char *where,
		       uint8_t *args)
{
	size_t n = data ? json_array_size(data) : 0;
	char w[W_MAX];
	if (data && !json_is_array(data))
		return fail(ld, where, "\"action_data\" must be an array");
	if (n != a->n_params)
		return fail(ld, where, "action \"%s\" takes %zu arguments, %zu given", a->name,
			    a->n_params, n);
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(data, i);
		bool neg;
		uint32_t nb = (a->params[i].width + 7) / 8;
		wpath(w, "%s[%zu]", where, i);
		if (!json_is_string(v) || hex_to_bytes(json_string_value(v), args + a->params[i].off,
							nb, &neg) < 0 || neg)
			return fail(ld, w, "argument does not fit in %u bits", a->params[i].width);
	}
	return 0;
}

static int load_table(struct ld *ld, json_t *t, const char *w, struct sw_table *tb, size_t first)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	char w2[W_MAX];
	const char *name = str_member(ld, t, "name", w, &r);
	json_t *keys = name ? member(ld, t, "key", JSON_ARRAY, w, &r) : NULL, *k;
	json_t *acts = keys ? member(ld, t, "actions", JSON_ARRAY, w, &r) : NULL, *a;
	json_t *next = acts ? member(ld, t, "next_tables", JSON_OBJECT, w, &r) : NULL;
	size_t i;
	if (!next)
		return r;
	const char *type = json_is_string(json_object_get(t, "type")) ?
		json_string_value(json_object_get(t, "type")) : "simple";
	if (strcmp(type, "simple"))
		return fail(ld, w, "table type \"%s\" is not supported", type);
	json_t *dm = json_object_get(t, "direct_meters");
	if (dm && !json_is_null(dm))
		return fail(ld, w, "direct meters are not supported");
	tb->id = (int)json_integer_value(json_object_get(t, "id"));
	json_t *ms = json_object_get(t, "max_size");
	tb->max_size = json_is_integer(ms) && json_integer_value(ms) > 0 ?
		(uint32_t)json_integer_value(ms) : 1024;
	tb->keys = calloc(json_array_size(keys) + 1, sizeof(*tb->keys));
	tb->kinfo = calloc(json_array_size(keys) + 1, sizeof(*tb->kinfo));
	tb->actions = calloc(json_array_size(acts) + 1, sizeof(*tb->actions));
	tb->action_next = calloc(json_array_size(acts) + 1, sizeof(*tb->action_next));
	if (!tb->keys || !tb->kinfo || !tb->actions || !tb->action_next)
		return oom(ld);
	tb->kind = SW_MATCH_EXACT;
	json_array_foreach(keys, i, k) {
		struct sw_key_part *kp = &tb->keys[tb->n_keys++];
		bool isv;
		wpath(w2, "%s.key[%zu]", w, i);
		const char *mt = str_member(ld, k, "match_type", w2, &r);
		if (!mt)
			return r;
		json_t *tg = json_object_get(k, "target");
		if (!strcmp(mt, "valid")) {
			int h = json_is_string(tg) ? find_header(p, json_string_value(tg)) : -1;
			if (h < 0)
				return fail(ld, w2, "\"target\" must name a header instance");
			kp->is_valid = true;
			kp->f = (struct sw_fref){ 0, 1, (uint32_t)h };
			kp->info.kind = SW_MATCH_VALID;
		} else {
			if ((r = field_ref(ld, tg, w2, &kp->f, &isv)))
				return r;
			kp->is_valid = isv;
			if (!strcmp(mt, "exact"))
				kp->info.kind = SW_MATCH_EXACT;
			else if (!strcmp(mt, "lpm"))
				kp->info.kind = SW_MATCH_LPM;
			else if (!strcmp(mt, "ternary"))
				kp->info.kind = SW_MATCH_TERNARY;
			else
				return fail(ld, w2, "match_type \"%s\" is not supported", mt);
		}
		if (kp->info.kind == SW_MATCH_TERNARY)
			tb->kind = SW_MATCH_TERNARY;
		else if (kp->info.kind == SW_MATCH_LPM) {
			if (tb->kind == SW_MATCH_LPM)
				return fail(ld, w2, "a table can have only one lpm key");
			if (tb->kind == SW_MATCH_EXACT)
				tb->kind = SW_MATCH_LPM;
		}
		kp->info.width = kp->f.width;
		json_t *nm = json_object_get(k, "name");
		if (json_is_string(nm)) {
			kp->info.name = dup(ld, json_string_value(nm), &r);
		} else if (json_is_array(tg)) {
			char buf[512];
			snprintf(buf, sizeof(buf), "%s.%s", json_string_value(json_array_get(tg, 0)),
				 json_string_value(json_array_get(tg, 1)));
			kp->info.name = dup(ld, buf, &r);
		} else {
			kp->info.name = dup(ld, json_string_value(tg), &r);
		}
		if (r)
			return r;
		kp->nbytes = (kp->f.width + 7) / 8;
		kp->off = tb->key_len;
		tb->key_len += kp->nbytes;
		kp->mask = SW_NONE;
		json_t *m = json_object_get(k, "mask");
		if (json_is_string(m) && (r = pool_hex(ld, json_string_value(m), kp->nbytes, w2, &kp->mask)))
			return r;
		tb->kinfo[i] = kp->info;
	}
	if (tb->key_len > SW_MAX_KEY_BYTES)
		return fail(ld, w, "key of %u bytes is too wide", tb->key_len);
	/* A ternary table with a lpm key is still a priority table (BMv2 rules). */
	json_array_foreach(acts, i, a) {
		wpath(w2, "%s.actions[%zu]", w, i);
		int x = json_is_string(a) ? action_by_name(p, json_string_value(a)) : -1;
		if (x < 0)
			return fail(ld, w2, "no action named \"%s\"",
				    json_is_string(a) ? json_string_value(a) : "?");
		tb->actions[tb->n_actions++] = (uint32_t)x;
	}
	tb->name = dup(ld, name, &r);
	if (r)
		return r;
	tb->info = (struct sw_table_info){ tb->name, tb->id, tb->n_keys, tb->kinfo, tb->n_actions,
		tb->actions, tb->kind == SW_MATCH_TERNARY, false, false };
	(void)first;
	return 0;
}

/* Second pass over a table, once every node of the pipeline has an index. */
static int link_table(struct ld *ld, json_t *t, const char *w, struct sw_table *tb, size_t first)
{
	struct sw_plan *p = ld->p;
	int r;
	char w2[W_MAX];
	json_t *next = json_object_get(t, "next_tables");
	tb->hit_next = tb->miss_next = SW_NONE;
	if ((r = node_by_name(ld, first, json_object_get(t, "base_default_next"),
			      w, &tb->base_next)))
		return r;
	json_t *hit = json_object_get(next, "__HIT__"), *miss = json_object_get(next, "__MISS__");
	if (hit || miss) {
		tb->hit_miss = true;
		wpath(w2, "%s.next_tables.__HIT__", w);
		if ((r = node_by_name(ld, first, hit, w2, &tb->hit_next)))
			return r;
		wpath(w2, "%s.next_tables.__MISS__", w);
		if ((r = node_by_name(ld, first, miss, w2, &tb->miss_next)))
			return r;
	}
	for (size_t i = 0; i < tb->n_actions; i++) {
		const char *an = p->actions[tb->actions[i]].name;
		json_t *nx = json_object_get(next, an);
		tb->action_next[i] = tb->base_next;
		wpath(w2, "%s.next_tables.%s", w, an);
		if (nx && (r = node_by_name(ld, first, nx, w2, &tb->action_next[i])))
			return r;
	}
	json_t *de = json_object_get(t, "default_entry");
	if (de && !json_is_null(de)) {
		wpath(w2, "%s.default_entry", w);
		json_t *aid = member(ld, de, "action_id", JSON_INTEGER, w2, &r);
		if (!aid)
			return r;
		int a = action_by_id(p, json_integer_value(aid));
		if (a < 0)
			return fail(ld, w2, "no action with id %lld", (long long)json_integer_value(aid));
		uint8_t args[4096 / 8 * 64];
		const struct sw_action *ac = &p->actions[a];
		if (ac->args_len > sizeof(args))
			return fail(ld, w2, "action data too wide");
		memset(args, 0, ac->args_len);
		json_t *ad = json_object_get(de, "action_data");
		char w3[W_MAX];
		wpath(w3, "%s.action_data", w2);
		if ((r = action_data(ld, ac, ad, w3, args)))
			return r;
		if ((r = sw_tbl_set_default(p, tb, (uint32_t)a, args, ld->err)))
			return p4l_err_prefix(ld->err, "%s: %s", p->file, w2);
		tb->def_const = json_is_true(json_object_get(de, "action_const"));
		tb->info.const_default = tb->def_const;
	}
	json_t *ents = json_object_get(t, "entries"), *e;
	size_t i;
	if (ents && !json_is_array(ents))
		return fail(ld, w, "\"entries\" must be an array");
	if (ents) json_array_foreach(ents, i, e) {
		wpath(w2, "%s.entries[%zu]", w, i);
		json_t *mk = member(ld, e, "match_key", JSON_ARRAY, w2, &r);
		json_t *ae = mk ? member(ld, e, "action_entry", JSON_OBJECT, w2, &r) : NULL;
		json_t *aid = ae ? member(ld, ae, "action_id", JSON_INTEGER, w2, &r) : NULL;
		if (!aid)
			return r;
		if (json_array_size(mk) != tb->n_keys)
			return fail(ld, w2, "%zu match keys for a table with %zu keys",
				    json_array_size(mk), tb->n_keys);
		uint8_t val[SW_MAX_KEY_BYTES] = { 0 }, mask[SW_MAX_KEY_BYTES];
		memset(mask, 0xff, sizeof(mask));
		int32_t prio = 0;
		for (size_t j = 0; j < tb->n_keys; j++) {
			const struct sw_key_part *kp = &tb->keys[j];
			json_t *m = json_array_get(mk, j), *kv = json_object_get(m, "key");
			char w3[W_MAX];
			bool neg;
			wpath(w3, "%s.match_key[%zu]", w2, j);
			if (kp->info.kind == SW_MATCH_VALID) {
				val[kp->off] = json_is_true(kv);
				continue;
			}
			if (!json_is_string(kv) || hex_to_bytes(json_string_value(kv), val + kp->off,
								 kp->nbytes, &neg) < 0 || neg)
				return fail(ld, w3, "\"key\" must be a hex string of %u bytes", kp->nbytes);
			if (kp->info.kind == SW_MATCH_LPM) {
				json_t *pl = json_object_get(m, "prefix_length");
				if (!json_is_integer(pl) || json_integer_value(pl) < 0 ||
				    json_integer_value(pl) > kp->f.width)
					return fail(ld, w3, "\"prefix_length\" must be 0..%u", kp->f.width);
				sw_prefix_mask(mask + kp->off, kp->nbytes, kp->f.width,
					       (uint32_t)json_integer_value(pl));
				if (tb->kind == SW_MATCH_LPM)
					prio = (int32_t)json_integer_value(pl);
			} else if (kp->info.kind == SW_MATCH_TERNARY) {
				json_t *mv = json_object_get(m, "mask");
				if (!json_is_string(mv) || hex_to_bytes(json_string_value(mv), mask + kp->off,
									 kp->nbytes, &neg) < 0 || neg)
					return fail(ld, w3, "\"mask\" must be a hex string of %u bytes",
						    kp->nbytes);
			}
		}
		if (tb->kind == SW_MATCH_TERNARY) {
			json_t *pr = json_object_get(e, "priority");
			/* BMv2: a lower number is a higher priority; ours is the reverse. */
			prio = json_is_integer(pr) ? -(int32_t)json_integer_value(pr) : -(int32_t)i;
		}
		int a = action_by_id(p, json_integer_value(aid));
		if (a < 0)
			return fail(ld, w2, "no action with id %lld", (long long)json_integer_value(aid));
		uint8_t args[4096];
		if (p->actions[a].args_len > sizeof(args))
			return fail(ld, w2, "action data too wide");
		memset(args, 0, p->actions[a].args_len);
		char w3[W_MAX];
		wpath(w3, "%s.action_entry.action_data", w2);
		if ((r = action_data(ld, &p->actions[a], json_object_get(ae, "action_data"), w3, args)))
			return r;
		if ((r = sw_tbl_insert(p, tb, val, mask, prio, (uint32_t)a, args, ld->err)))
			return p4l_err_prefix(ld->err, "%s: %s", p->file, w2);
	}
	if (ents && json_array_size(ents)) {
		tb->immutable = true;
		tb->info.immutable = true;
	}
	return 0;
}

static int load_pipeline(struct ld *ld, json_t *pl, size_t pi, uint32_t *init)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	char w[W_MAX], w2[W_MAX];
	wpath(w, "pipelines[%zu]", pi);
	json_t *tables = member(ld, pl, "tables", JSON_ARRAY, w, &r), *t;
	json_t *conds = tables ? opt_array(ld, pl, "conditionals", w, &r) : NULL, *c;
	json_t *calls = r ? NULL : opt_array(ld, pl, "action_calls", w, &r);
	json_t *profiles = r ? NULL : opt_array(ld, pl, "action_profiles", w, &r);
	size_t i, first = p->n_nodes, ft = p->n_tables;
	if (r || !tables)
		return r;
	if (profiles && json_array_size(profiles))
		return fail(ld, w, "action profiles are not supported");
	json_array_foreach(tables, i, t) {
		wpath(w2, "%s.tables[%zu]", w, i);
		struct sw_table *tb = &p->tables[p->n_tables++];
		if ((r = load_table(ld, t, w2, tb, first)))
			return r;
		p->nodes[p->n_nodes++] = (struct sw_node){ .kind = SW_N_TABLE,
			.idx = (uint32_t)(p->n_tables - 1), .name = tb->name };
	}
	if (conds) json_array_foreach(conds, i, c) {
		wpath(w2, "%s.conditionals[%zu]", w, i);
		const char *name = str_member(ld, c, "name", w2, &r);
		if (!name)
			return r;
		struct sw_node *n = &p->nodes[p->n_nodes++];
		n->kind = SW_N_COND;
		n->name = dup(ld, name, &r);
		if (r)
			return r;
	}
	if (calls) json_array_foreach(calls, i, c) {
		wpath(w2, "%s.action_calls[%zu]", w, i);
		const char *name = str_member(ld, c, "name", w2, &r);
		json_t *aid = name ? member(ld, c, "action_id", JSON_INTEGER, w2, &r) : NULL;
		if (!aid)
			return r;
		int a = action_by_id(p, json_integer_value(aid));
		if (a < 0)
			return fail(ld, w2, "no action with id %lld", (long long)json_integer_value(aid));
		if (p->actions[a].n_params)
			return fail(ld, w2, "an action call cannot take parameters");
		struct sw_node *n = &p->nodes[p->n_nodes++];
		n->kind = SW_N_CALL;
		n->idx = (uint32_t)a;
		n->name = dup(ld, name, &r);
		if (r)
			return r;
	}
	json_array_foreach(tables, i, t) {
		wpath(w2, "%s.tables[%zu]", w, i);
		if ((r = link_table(ld, t, w2, &p->tables[ft + i], first)))
			return r;
	}
	size_t base = first + json_array_size(tables);
	if (conds) json_array_foreach(conds, i, c) {
		struct sw_node *n = &p->nodes[base + i];
		char w3[W_MAX];
		wpath(w2, "%s.conditionals[%zu]", w, i);
		wpath(w3, "%s.expression", w2);
		json_t *e = json_object_get(c, "expression");
		if (!e)
			return fail(ld, w2, "\"expression\" is missing");
		uint32_t x;
		if ((r = expr(ld, NULL, e, w3, &x)))
			return r;
		p->nodes[base + i].expr = x;
		wpath(w3, "%s.true_next", w2);
		if ((r = node_by_name(ld, first, json_object_get(c, "true_next"), w3, &n->next_t)))
			return r;
		wpath(w3, "%s.false_next", w2);
		if ((r = node_by_name(ld, first, json_object_get(c, "false_next"), w3, &n->next_f)))
			return r;
	}
	base += conds ? json_array_size(conds) : 0;
	if (calls) json_array_foreach(calls, i, c) {
		wpath(w2, "%s.action_calls[%zu].next_node", w, i);
		if ((r = node_by_name(ld, first, json_object_get(c, "next_node"), w2,
				      &p->nodes[base + i].next_t)))
			return r;
	}
	wpath(w2, "%s.init_table", w);
	return node_by_name(ld, first, json_object_get(pl, "init_table"), w2, init);
}

static int load_pipelines(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *pls = member(ld, root, "pipelines", JSON_ARRAY, "(top)", &r), *pl;
	size_t i, nt = 0, nn = 0;
	p->ingress = p->egress = SW_NONE;
	if (!pls)
		return r;
	json_array_foreach(pls, i, pl) {
		json_t *a;
		nt += (a = json_object_get(pl, "tables")) ? json_array_size(a) : 0;
		nn += (a = json_object_get(pl, "conditionals")) ? json_array_size(a) : 0;
		nn += (a = json_object_get(pl, "action_calls")) ? json_array_size(a) : 0;
	}
	p->tables = calloc(nt + 1, sizeof(*p->tables));
	p->nodes = calloc(nt + nn + 1, sizeof(*p->nodes));
	if (!p->tables || !p->nodes)
		return oom(ld);
	bool seen_in = false, seen_eg = false;
	json_array_foreach(pls, i, pl) {
		char w[W_MAX];
		wpath(w, "pipelines[%zu]", i);
		const char *name = str_member(ld, pl, "name", w, &r);
		if (!name)
			return r;
		uint32_t init;
		if ((r = load_pipeline(ld, pl, i, &init)))
			return r;
		if (!strcmp(name, "ingress") && !seen_in) {
			p->ingress = init, seen_in = true;
		} else if (!strcmp(name, "egress") && !seen_eg) {
			p->egress = init, seen_eg = true;
		} else if (!seen_in && i == 0) {
			p->ingress = init, seen_in = true;
		} else if (!seen_eg && i == 1) {
			p->egress = init, seen_eg = true;
		} else {
			return fail(ld, w, "pipeline \"%s\" is neither ingress nor egress", name);
		}
	}
	return 0;
}

/* ---- checksums ----------------------------------------------------------- */

static int load_calcs(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *cs = opt_array(ld, root, "calculations", "(top)", &r), *c;
	size_t i;
	if (!cs)
		return r;
	p->calcs = calloc(json_array_size(cs) + 1, sizeof(*p->calcs));
	if (!p->calcs)
		return oom(ld);
	json_array_foreach(cs, i, c) {
		char w[W_MAX], w2[W_MAX];
		wpath(w, "calculations[%zu]", i);
		const char *name = str_member(ld, c, "name", w, &r);
		const char *algo = name ? str_member(ld, c, "algo", w, &r) : NULL;
		json_t *in = algo ? member(ld, c, "input", JSON_ARRAY, w, &r) : NULL, *x;
		if (!in)
			return r;
		if (strcmp(algo, "csum16"))
			return fail(ld, w, "algorithm \"%s\" is not supported (only csum16)", algo);
		struct sw_calc *cl = &p->calcs[p->n_calcs++];
		cl->name = dup(ld, name, &r);
		cl->in = calloc(json_array_size(in) + 1, sizeof(*cl->in));
		if (r || !cl->in)
			return r ? r : oom(ld);
		uint32_t bits = 0;
		size_t j;
		json_array_foreach(in, j, x) {
			struct sw_calc_in *ci = &cl->in[cl->n_in++];
			const char *t = tv_type(x);
			json_t *v = json_object_get(x, "value");
			bool isv;
			wpath(w2, "%s.input[%zu]", w, j);
			if (!strcmp(t, "field")) {
				struct sw_fref f;
				if ((r = field_ref(ld, v, w2, &f, &isv)))
					return r;
				if (isv)
					return fail(ld, w2, "$valid$ cannot be a checksum input");
				ci->kind = SW_CI_BITS;
				ci->w = (struct sw_wide){ SW_SRC_PHV, f.bit, f.width };
				ci->hdr = f.hdr;
			} else if (!strcmp(t, "header")) {
				int h = json_is_string(v) ? find_header(p, json_string_value(v)) : -1;
				if (h < 0)
					return fail(ld, w2, "no header instance named \"%s\"",
						    json_is_string(v) ? json_string_value(v) : "?");
				ci->kind = SW_CI_BITS;
				ci->w = (struct sw_wide){ SW_SRC_PHV, p->headers[h].off * 8,
							  p->headers[h].nbits };
				ci->hdr = (uint32_t)h;
			} else if (!strcmp(t, "hexstr")) {
				json_t *bw = json_object_get(x, "bitwidth");
				if (!json_is_string(v) || !json_is_integer(bw) || json_integer_value(bw) <= 0)
					return fail(ld, w2, "a hexstr input needs \"value\" and \"bitwidth\"");
				uint32_t width = (uint32_t)json_integer_value(bw), nb = (width + 7) / 8, off;
				if ((r = pool_hex(ld, json_string_value(v), nb, w2, &off)))
					return r;
				ci->kind = SW_CI_BITS;
				ci->w = (struct sw_wide){ SW_SRC_CONST, off * 8 + nb * 8 - width, width };
				ci->hdr = SW_NONE;
			} else if (!strcmp(t, "payload")) {
				if (j + 1 != json_array_size(in))
					return fail(ld, w2, "\"payload\" must be the last input");
				ci->kind = SW_CI_PAYLOAD;
				ci->hdr = SW_NONE;
				/* Headers after the last one the other inputs use, then the payload. */
				uint32_t last = 0;
				bool any = false;
				for (size_t q = 0; q + 1 < cl->n_in; q++)
					for (size_t d = 0; d < p->n_deparse; d++)
						if (cl->in[q].hdr != SW_NONE && p->deparse[d] == cl->in[q].hdr &&
						    (!any || d >= last))
							last = (uint32_t)d, any = true;
				ci->w = (struct sw_wide){ 0, any ? last + 1 : 0, 0 };
				for (size_t d = ci->w.bit; d < p->n_deparse; d++)
					bits += p->headers[p->deparse[d]].nbytes * 8;
				bits += SW_MAX_PKT * 8;
			} else {
				return fail(ld, w2, "input type \"%s\" is not supported", t);
			}
			bits += ci->w.width;
			/* Fields that follow each other in one header are one copy
			 * (the IPv4 checksum's inputs become two). */
			if (cl->n_in >= 2 && ci->kind == SW_CI_BITS) {
				struct sw_calc_in *prev = &cl->in[cl->n_in - 2];
				if (prev->kind == SW_CI_BITS && prev->hdr == ci->hdr && prev->hdr != SW_NONE &&
				    prev->w.src == ci->w.src && prev->w.bit + prev->w.width == ci->w.bit) {
					prev->w.width += ci->w.width;
					cl->n_in--;
				}
			}
		}
		cl->max_bytes = (bits + 7) / 8;
		if (cl->max_bytes > p->max_calc)
			p->max_calc = cl->max_bytes;
	}
	return 0;
}

static int load_checksums(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *cs = opt_array(ld, root, "checksums", "(top)", &r), *c;
	size_t i;
	if (!cs)
		return r;
	p->checksums = calloc(json_array_size(cs) + 1, sizeof(*p->checksums));
	if (!p->checksums)
		return oom(ld);
	json_array_foreach(cs, i, c) {
		char w[W_MAX], w2[W_MAX];
		bool isv;
		wpath(w, "checksums[%zu]", i);
		const char *name = str_member(ld, c, "name", w, &r);
		const char *calc = name ? str_member(ld, c, "calculation", w, &r) : NULL;
		if (!calc)
			return r;
		struct sw_checksum *ck = &p->checksums[p->n_checksums++];
		ck->name = dup(ld, name, &r);
		if (r)
			return r;
		wpath(w2, "%s.target", w);
		if ((r = field_ref(ld, json_object_get(c, "target"), w2, &ck->target, &isv)))
			return r;
		if (isv || ck->target.width > 64)
			return fail(ld, w2, "a checksum target must be a field of at most 64 bits");
		size_t j;
		for (j = 0; j < p->n_calcs; j++)
			if (!strcmp(p->calcs[j].name, calc))
				break;
		if (j == p->n_calcs)
			return fail(ld, w, "no calculation named \"%s\"", calc);
		ck->calc = (uint32_t)j;
		json_t *v = json_object_get(c, "verify"), *u = json_object_get(c, "update");
		ck->verify = !v || json_is_true(v);
		ck->update = !u || json_is_true(u);
		ck->cond = SW_NONE;
		json_t *cond = json_object_get(c, "if_cond");
		wpath(w2, "%s.if_cond", w);
		if (cond && !json_is_null(cond) && (r = expr(ld, NULL, cond, w2, &ck->cond)))
			return r;
		if (ck->verify && !p->std.has_checksum_error)
			return fail(ld, w, "verifying needs standard_metadata.checksum_error");
	}
	return 0;
}

/* Things the switch does not run yet, refused when the program uses them. */
static int refuse_unsupported(struct ld *ld, json_t *root)
{
	static const char *const keys[] = { "header_stacks", "header_unions", "parse_vsets",
		"meter_arrays", "counter_arrays", "register_arrays", "extern_instances" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *a = json_object_get(root, keys[i]);
		if (json_is_array(a) && json_array_size(a))
			return fail(ld, keys[i], "%s are not supported yet", keys[i]);
	}
	json_t *meta = json_object_get(root, "__meta__");
	json_t *ver = json_object_get(meta, "version");
	if (json_is_array(ver) && json_integer_value(json_array_get(ver, 0)) != 2)
		return fail(ld, "__meta__.version", "BMv2 JSON version %lld is not supported (2.x is)",
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
	if (!p || !(p->file = strdup(file))) {
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
		r = fail(&ld, "(top)", "the program must be a JSON object");
		goto out;
	}
	if ((r = refuse_unsupported(&ld, root)) || (r = load_headers(&ld, root)))
		goto out;
	load_std(p);
	if ((r = load_errors(&ld, root)) || (r = load_actions(&ld, root)) ||
	    (r = load_deparser(&ld, root)) || (r = load_calcs(&ld, root)) ||
	    (r = load_parser(&ld, root)) || (r = load_pipelines(&ld, root)) ||
	    (r = load_checksums(&ld, root)))
		goto out;
	*out = p;
out:
	json_decref(root);
	if (r)
		sw_plan_free(p);
	return r;
}

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
	for (size_t i = 0; i < p->n_calcs; i++) {
		free(p->calcs[i].name);
		free(p->calcs[i].in);
	}
	free(p->calcs);
	for (size_t i = 0; i < p->n_checksums; i++)
		free(p->checksums[i].name);
	free(p->checksums);
	for (size_t i = 0; i < p->n_errors; i++)
		free(p->error_names[i]);
	free(p->error_names);
	free(p->deparse);
	free(p->exprs);
	free(p->ins);
	free(p->pool);
	free(p->file);
	free(p);
}
