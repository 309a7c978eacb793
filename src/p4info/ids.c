/* ids.c - P4Info ids assigned the way p4c assigns them.
 *
 * p4c (control-plane/p4RuntimeSymbolTable.cpp) gives every P4Runtime-visible
 * object the id (prefix << 24) | (jenkins_one_at_a_time(name) & 0xffffff),
 * where name is the fully qualified control-plane name.  User @id values are
 * reserved first (a missing prefix byte is filled in; a wrong one is an
 * error).  The other names are taken per prefix in sorted (strcmp) order and a
 * taken id is resolved by incrementing the hash value before masking, so the
 * result is deterministic and equal to p4c's for the same set of names.
 * Aliases are each name's shortest unique suffix of '.'-separated components
 * among all names, also as p4c computes them.  Called by the compiler's
 * P4Info generator.  See p4info.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "p4info.h"

struct sym {
	uint8_t prefix;
	int has_user_id;
	uint32_t id;        /* 0 until assigned */
	char *name;
	char *alias;        /* computed lazily by p4i_ids_alias */
};

struct p4i_ids {
	struct sym *syms;
	size_t n, cap;
	uint32_t *used;     /* open-addressing set of ids taken; 0 = empty slot */
	size_t used_cap, used_n;
	int assigned;
};

uint32_t p4i_name_hash(const char *name, size_t len)
{
	uint32_t h = 0;
	for (size_t i = 0; i < len; i++) {
		h += (uint8_t)name[i];
		h += h << 10;
		h ^= h >> 6;
	}
	h += h << 3;
	h ^= h >> 11;
	h += h << 15;
	return h;
}

static const char *prefix_name(uint8_t p)
{
	switch (p) {
	case P4I_ACTION: return "action";
	case P4I_TABLE: return "table";
	case P4I_VALUE_SET: return "value set";
	case P4I_CONTROLLER_HEADER: return "controller header";
	case P4I_ACTION_PROFILE: return "action profile";
	case P4I_COUNTER: return "counter";
	case P4I_DIRECT_COUNTER: return "direct counter";
	case P4I_METER: return "meter";
	case P4I_DIRECT_METER: return "direct meter";
	case P4I_REGISTER: return "register";
	case P4I_DIGEST: return "digest";
	default: return "object";
	}
}

struct p4i_ids *p4i_ids_new(void)
{
	return calloc(1, sizeof(struct p4i_ids));
}

void p4i_ids_free(struct p4i_ids *ids)
{
	if (!ids)
		return;
	for (size_t i = 0; i < ids->n; i++) {
		free(ids->syms[i].name);
		free(ids->syms[i].alias);
	}
	free(ids->syms);
	free(ids->used);
	free(ids);
}

static size_t id_slot(uint32_t id, size_t cap)
{
	return (size_t)(id * 2654435761u) & (cap - 1);
}

static int used_has(const struct p4i_ids *ids, uint32_t id)
{
	if (!ids->used_cap)
		return 0;
	for (size_t i = id_slot(id, ids->used_cap);; i = (i + 1) & (ids->used_cap - 1)) {
		if (ids->used[i] == id)
			return 1;
		if (ids->used[i] == 0)
			return 0;
	}
}

static int used_add(struct p4i_ids *ids, uint32_t id)
{
	if ((ids->used_n + 1) * 2 > ids->used_cap) {
		size_t cap = ids->used_cap ? ids->used_cap * 2 : 64;
		uint32_t *t = calloc(cap, sizeof *t);
		if (!t)
			return -ENOMEM;
		for (size_t i = 0; i < ids->used_cap; i++) {
			uint32_t v = ids->used[i];
			if (!v)
				continue;
			size_t j = id_slot(v, cap);
			while (t[j])
				j = (j + 1) & (cap - 1);
			t[j] = v;
		}
		free(ids->used);
		ids->used = t;
		ids->used_cap = cap;
	}
	size_t j = id_slot(id, ids->used_cap);
	while (ids->used[j] && ids->used[j] != id)
		j = (j + 1) & (ids->used_cap - 1);
	if (!ids->used[j]) {
		ids->used[j] = id;
		ids->used_n++;
	}
	return 0;
}

static struct sym *find(const struct p4i_ids *ids, uint8_t prefix, const char *name)
{
	for (size_t i = 0; i < ids->n; i++)
		if (ids->syms[i].prefix == prefix && !strcmp(ids->syms[i].name, name))
			return &ids->syms[i];
	return NULL;
}

static const struct sym *owner_of(const struct p4i_ids *ids, uint32_t id)
{
	for (size_t i = 0; i < ids->n; i++)
		if (ids->syms[i].id == id)
			return &ids->syms[i];
	return NULL;
}

int p4i_ids_add(struct p4i_ids *ids, enum p4i_prefix prefix, const char *name,
		int has_user_id, uint32_t user_id, struct p4l_err *err)
{
	uint8_t pfx = (uint8_t)prefix;

	if (ids->assigned)
		return p4l_errf(err, -EBUSY, "%s '%s': ids are already assigned",
				prefix_name(pfx), name);
	if (!name || !name[0])
		return p4l_errf(err, -EINVAL, "%s with an empty name", prefix_name(pfx));

	uint32_t id = 0;
	if (has_user_id) {
		uint32_t top = user_id >> 24;
		if (top != 0 && top != pfx)
			return p4l_errf(err, -EINVAL,
					"%s '%s': @id 0x%08x has the wrong 8-bit prefix "
					"(0x%02x; a %s id starts with 0x%02x)",
					prefix_name(pfx), name, user_id, top, prefix_name(pfx), pfx);
		id = user_id | ((uint32_t)pfx << 24);
	}

	struct sym *old = find(ids, pfx, name);
	if (old) {
		if (has_user_id && (!old->has_user_id || old->id != id))
			return p4l_errf(err, -EINVAL, "%s '%s' is declared twice with different @id",
					prefix_name(pfx), name);
		return 0;
	}
	if (has_user_id && used_has(ids, id)) {
		const struct sym *o = owner_of(ids, id);
		return p4l_errf(err, -EINVAL, "@id 0x%08x of %s '%s' is already the @id of %s '%s'",
				id, prefix_name(pfx), name,
				o ? prefix_name(o->prefix) : "another object", o ? o->name : "?");
	}

	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? ids->cap * 2 : 32;
		struct sym *s = realloc(ids->syms, cap * sizeof *s);
		if (!s)
			return p4l_errf(err, -ENOMEM, "out of memory adding '%s'", name);
		ids->syms = s;
		ids->cap = cap;
	}
	char *copy = strdup(name);
	if (!copy || (has_user_id && used_add(ids, id) < 0)) {
		free(copy);
		return p4l_errf(err, -ENOMEM, "out of memory adding '%s'", name);
	}
	ids->syms[ids->n++] = (struct sym){
		.prefix = pfx, .has_user_id = has_user_id, .id = id, .name = copy,
	};
	return 0;
}

static int cmp_prefix_name(const void *a, const void *b)
{
	const struct sym *x = *(const struct sym *const *)a, *y = *(const struct sym *const *)b;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	return strcmp(x->name, y->name);
}

int p4i_ids_assign(struct p4i_ids *ids, struct p4l_err *err)
{
	if (ids->assigned)
		return 0;
	struct sym **order = malloc((ids->n ? ids->n : 1) * sizeof *order);
	if (!order)
		return p4l_errf(err, -ENOMEM, "out of memory assigning ids");
	size_t m = 0;
	for (size_t i = 0; i < ids->n; i++)
		if (!ids->syms[i].has_user_id)
			order[m++] = &ids->syms[i];
	qsort(order, m, sizeof *order, cmp_prefix_name);

	int r = 0;
	for (size_t i = 0; i < m && r == 0; i++) {
		struct sym *s = order[i];
		uint32_t start = p4i_name_hash(s->name, strlen(s->name));
		uint32_t v = start, id;
		/* Probe the hash value, not the id, so the prefix byte stays right.
		 * At most 2^24 distinct ids per prefix: stop after that many tries. */
		uint32_t tries = 0;
		for (;;) {
			id = ((uint32_t)s->prefix << 24) | (v & 0xffffff);
			if (!used_has(ids, id))
				break;
			if (++tries == 0x1000000) {
				r = p4l_errf(err, -ENOSPC, "no id left for %s '%s'",
					     prefix_name(s->prefix), s->name);
				break;
			}
			v++;
		}
		if (r == 0 && used_add(ids, id) < 0)
			r = p4l_errf(err, -ENOMEM, "out of memory assigning ids");
		if (r == 0)
			s->id = id;
	}
	free(order);
	if (r == 0)
		ids->assigned = 1;
	return r;
}

uint32_t p4i_ids_get(const struct p4i_ids *ids, enum p4i_prefix prefix, const char *name)
{
	const struct sym *s = find(ids, (uint8_t)prefix, name);
	return s ? s->id : 0;
}

/* Does name end with suffix, cut at a component boundary? */
static int ends_with_components(const char *name, const char *suffix)
{
	size_t n = strlen(name), m = strlen(suffix);
	if (m > n)
		return 0;
	if (strcmp(name + n - m, suffix) != 0)
		return 0;
	return m == n || name[n - m - 1] == '.';
}

const char *p4i_ids_alias(const struct p4i_ids *ids, const char *name)
{
	struct sym *self = NULL;
	for (size_t i = 0; i < ids->n; i++)
		if (!strcmp(ids->syms[i].name, name)) {
			self = &ids->syms[i];
			if (self->alias)
				return self->alias;
			break;
		}
	if (!self)
		return NULL;

	/* Grow the suffix one component at a time (from the right) until no
	 * other name ends with it (the same name under two prefixes is one). */
	const char *suffix = name + strlen(name);
	for (;;) {
		while (suffix > name && suffix[-1] != '.')
			suffix--;
		int shared = 0;
		for (size_t i = 0; i < ids->n && !shared; i++)
			shared = strcmp(ids->syms[i].name, name) != 0 &&
				 ends_with_components(ids->syms[i].name, suffix);
		if (!shared || suffix == name)
			break;
		suffix--;  /* step over the '.' to take one more component */
	}
	self->alias = strdup(suffix);
	return self->alias;  /* NULL only if out of memory */
}
