/* load_v1m.c - the v1model parts of the BMv2 JSON loader that stand alone:
 * header unions, parse value sets, field lists and learn lists (load.h).
 * Called by sw_plan_load() in load.c, after the headers and before the
 * actions and the parser that refer to them. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

/* header_unions; every header's uni is set (SW_NONE outside unions). */
int ld_unions(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	for (size_t h = 0; h < p->n_headers; h++)
		p->headers[h].uni = SW_NONE;
	json_t *us, *u;
	size_t i;
	if (!(p->unions = ld_top_list(ld, root, "header_unions", sizeof(*p->unions), &us, &r)))
		return r;
	json_array_foreach(us, i, u) {
		char w[W_MAX];
		ld_path(w, "header_unions[%zu]", i);
		struct sw_union *un = &p->unions[p->n_unions++];
		if ((r = ld_header_ids(ld, u, w, &un->name, &un->hdrs, &un->n)))
			return r;
		for (size_t j = 0; j < un->n; j++) {
			struct sw_header *h = &p->headers[un->hdrs[j]];
			if (h->uni != SW_NONE)
				return ld_fail(ld, w, "header_ids[%zu]: header \"%s\" is in two unions", j,
					       h->name);
			h->uni = (uint32_t)i;
		}
	}
	return 0;
}

int ld_find_union(const struct sw_plan *p, json_t *tv)
{
	json_t *v = json_object_get(tv, "value");
	for (size_t i = 0; json_is_string(v) && i < p->n_unions; i++)
		if (!strcmp(p->unions[i].name, json_string_value(v)))
			return (int)i;
	return -1;
}

/* parse_vsets */
int ld_vsets(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *vs, *v;
	size_t i;
	if (!(p->vsets = ld_top_list(ld, root, "parse_vsets", sizeof(*p->vsets), &vs, &r)))
		return r;
	json_array_foreach(vs, i, v) {
		char w[W_MAX];
		ld_path(w, "parse_vsets[%zu]", i);
		const char *name = ld_str(ld, v, "name", w, &r);
		json_t *bw = name ? ld_member(ld, v, "compressed_bitwidth", JSON_INTEGER, w, &r) : NULL;
		json_t *mx = bw ? ld_member(ld, v, "max_size", JSON_INTEGER, w, &r) : NULL;
		if (!mx)
			return r;
		if (json_integer_value(bw) < 1 || json_integer_value(bw) > 8 * SW_MAX_KEY_BYTES / 2)
			return ld_fail(ld, w, "compressed_bitwidth must be from 1 to %d", 8 * SW_MAX_KEY_BYTES / 2);
		if (json_integer_value(mx) < 1 || json_integer_value(mx) > 65536)
			return ld_fail(ld, w, "max_size must be from 1 to 65536");
		struct sw_vset *s = &p->vsets[p->n_vsets++];
		s->name = ld_dup(ld, name, &r);
		s->width = (uint32_t)json_integer_value(bw);
		s->max = (uint32_t)json_integer_value(mx);
		if (r)
			return r;
	}
	return 0;
}

/* field_lists or learn_lists: lists of fields. */
int ld_lists(struct ld *ld, json_t *root, const char *key, struct sw_flist **out,
		      size_t *n_out)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *ls, *l;
	size_t i;
	if (!(*out = ld_top_list(ld, root, key, sizeof(**out), &ls, &r)))
		return r;
	json_array_foreach(ls, i, l) {
		char w[W_MAX], fw[W_MAX];
		ld_path(w, "%s[%zu]", key, i);
		const char *name = ld_str(ld, l, "name", w, &r);
		json_t *id = name ? ld_member(ld, l, "id", JSON_INTEGER, w, &r) : NULL;
		json_t *els = id ? ld_member(ld, l, "elements", JSON_ARRAY, w, &r) : NULL, *e;
		if (!els)
			return r;
		struct sw_flist *fl = &(*out)[(*n_out)++];
		fl->id = (int)json_integer_value(id);
		fl->name = ld_dup(ld, name, &r);
		fl->f = calloc(json_array_size(els) + 1, sizeof(*fl->f));
		if (r || !fl->f)
			return r ? r : ld_oom(ld);
		for (size_t k = 0; k + 1 < *n_out; k++)
			if ((*out)[k].id == fl->id)
				return ld_fail(ld, w, "id %d is used twice", fl->id);
		size_t j;
		json_array_foreach(els, j, e) {
			bool isv;
			ld_path(fw, "%s.elements[%zu]", w, j);
			if (strcmp(ld_tv_type(e), "field"))
				return ld_fail(ld, fw, "only fields can be listed (not \"%s\")", ld_tv_type(e));
			if ((r = ld_field_ref(ld, json_object_get(e, "value"), fw, &fl->f[fl->n], &isv)))
				return r;
			if (isv)
				return ld_fail(ld, fw, "$valid$ cannot be listed");
			fl->bits += fl->f[fl->n].width;
			fl->bytes += (fl->f[fl->n].width + 7) / 8;
			fl->n++;
		}
		if (fl->bytes > SW_DIGEST_MAX)
			return ld_fail(ld, w, "the list has %u bytes, more than the %d a digest holds",
				       fl->bytes, SW_DIGEST_MAX);
		if (fl->bytes + 8 > p->max_flist)
			p->max_flist = fl->bytes + 8;
	}
	return 0;
}
