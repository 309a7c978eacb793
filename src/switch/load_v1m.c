/* load_v1m.c - the v1model parts of the BMv2 JSON loader that stand alone:
 * header unions and their stacks, parse value sets, field lists and learn
 * lists (load.h).
 * Called by sw_plan_load() in load.c, after the headers and before the
 * actions and the parser that refer to them. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
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

/* The index in plan->unions of the union with JSON id id, -1 if none. */
static int union_by_id(json_t *root, json_t *id)
{
	json_t *us = json_object_get(root, "header_unions"), *u;
	size_t i;
	json_array_foreach(us, i, u)
		if (json_is_integer(id) && json_equal(json_object_get(u, "id"), id))
			return (int)i;
	return -1;
}

/* header_union_stacks: each becomes one member stack per member of its
 * union type, appended to plan->stacks (plan.h). */
int ld_union_stacks(struct ld *ld, json_t *root)
{
	struct sw_plan *p = ld->p;
	int r = 0;
	json_t *uss, *u, *types = json_object_get(root, "header_union_types");
	size_t i;
	if (!(p->ustacks = ld_top_list(ld, root, "header_union_stacks", sizeof(*p->ustacks), &uss, &r)))
		return r;
	json_array_foreach(uss, i, u) {
		char w[W_MAX], tw[W_MAX] = "header_union_types";
		ld_path(w, "header_union_stacks[%zu]", i);
		const char *name = ld_str(ld, u, "name", w, &r);
		const char *tname = name ? ld_str(ld, u, "union_type", w, &r) : NULL;
		json_t *ids = tname ? ld_member(ld, u, "header_union_ids", JSON_ARRAY, w, &r) : NULL;
		json_t *t = NULL, *x, *mem;
		size_t j;
		if (!ids)
			return r;
		json_array_foreach(types, j, x)
			if (json_is_string(json_object_get(x, "name")) &&
			    !strcmp(json_string_value(json_object_get(x, "name")), tname)) {
				t = x;
				ld_path(tw, "header_union_types[%zu]", j);
				break;
			}
		if (!t)
			return ld_fail(ld, w, "no header_union_types entry named \"%s\"", tname);
		if (!(mem = ld_member(ld, t, "headers", JSON_ARRAY, tw, &r)))
			return r;
		size_t n = json_array_size(ids), nm = json_array_size(mem);
		if (!n || !nm)
			return ld_fail(ld, w, "a header union stack needs elements, and its union type members");
		struct sw_ustack *us = &p->ustacks[p->n_ustacks++];
		us->name = ld_dup(ld, name, &r);
		us->unions = calloc(n + 1, sizeof(*us->unions));
		us->members = calloc(nm + 1, sizeof(*us->members));
		struct sw_stack *ns = realloc(p->stacks, (p->n_stacks + nm + 1) * sizeof(*ns));
		if (ns)
			p->stacks = ns;
		if (r || !us->unions || !us->members || !ns)
			return r ? r : ld_oom(ld);
		us->size = (uint32_t)n;
		json_array_foreach(ids, j, x) {
			int k = union_by_id(root, x);
			if (k < 0)
				return ld_fail(ld, w, "header_union_ids[%zu]: no header union with that id", j);
			us->unions[j] = (uint32_t)k;
			if (p->unions[k].n != nm)
				return ld_fail(ld, w, "header_union_ids[%zu]: union \"%s\" has %zu members, "
					       "its type \"%s\" %zu", j, p->unions[k].name, p->unions[k].n, tname, nm);
		}
		us->first = (uint32_t)p->n_stacks;
		for (size_t m = 0; m < nm; m++) {
			json_t *mn = json_array_get(json_array_get(mem, m), 0);
			json_t *mt = json_array_get(json_array_get(mem, m), 1);
			if (!json_is_string(mn) || !json_is_string(mt))
				return ld_fail(ld, tw, "headers[%zu] must be [\"member\", \"header type\"]", m);
			for (size_t e = 0; e < n; e++) {
				const struct sw_header *h = &p->headers[p->unions[us->unions[e]].hdrs[m]];
				if (strcmp(h->type, json_string_value(mt)))
					return ld_fail(ld, w, "header_union_ids[%zu]: member %zu (\"%s\") is of type %s, "
						       "its union type says %s", e, m, h->name, h->type,
						       json_string_value(mt));
			}
			if (!(us->members[m] = ld_dup(ld, json_string_value(mn), &r)))
				return r;
			us->n++;
			/* the member stack: "NAME[].MEMBER", a name no P4 stack has */
			struct sw_stack *sk = &p->stacks[p->n_stacks];
			memset(sk, 0, sizeof(*sk));
			sk->hdrs = calloc(n + 1, sizeof(*sk->hdrs));
			size_t ln = strlen(name) + strlen(us->members[m]) + 4;
			sk->name = malloc(ln);
			p->n_stacks++;
			if (!sk->hdrs || !sk->name)
				return ld_oom(ld);
			snprintf(sk->name, ln, "%s[].%s", name, us->members[m]);
			for (size_t e = 0; e < n; e++)
				sk->hdrs[e] = p->unions[us->unions[e]].hdrs[m];
			sk->size = (uint32_t)n;
			sk->cur = us->first;
		}
	}
	return 0;
}

int ld_find_ustack(const struct sw_plan *p, json_t *v)
{
	for (size_t i = 0; json_is_string(v) && i < p->n_ustacks; i++)
		if (!strcmp(p->ustacks[i].name, json_string_value(v)))
			return (int)i;
	return -1;
}

int ld_union_member_stack(struct ld *ld, json_t *stack, json_t *member, const char *where)
{
	int u = ld_find_ustack(ld->p, stack);
	if (u < 0)
		return ld_fail(ld, where, "no header union stack named \"%s\"",
			       json_is_string(stack) ? json_string_value(stack) : "?");
	const struct sw_ustack *us = &ld->p->ustacks[u];
	for (uint32_t m = 0; json_is_string(member) && m < us->n; m++)
		if (!strcmp(us->members[m], json_string_value(member)))
			return (int)(us->first + m);
	return ld_fail(ld, where, "header union stack \"%s\" has no member \"%s\"", us->name,
		       json_is_string(member) ? json_string_value(member) : "?");
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
