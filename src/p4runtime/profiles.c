/* profiles.c - action profile members and groups of the P4Runtime server
 * (ActionProfileMember, ActionProfileGroup: insert, modify, delete, read).
 *
 * The controller picks member and group ids (any 32-bit value but 0); the
 * switch numbers them 0 .. max_size - 1 (sw_profile_*), so each id gets the
 * lowest free slot of its kind.  A group's weights become repeats in the
 * switch's member list (the selector's hash picks one element of it), so a
 * member of weight 3 is picked three times as often as one of weight 1.
 * Watch ports are kept and read back; p4lab's ports never go down, so they
 * never take a member out.  A member in a group, or a member or group named
 * by table entries, cannot be deleted (FAILED_PRECONDITION).  A table
 * entry's one-shot action set becomes a hidden group of hidden members,
 * owned by the entry: their ids are their own (never the controller's), and
 * reads of members and groups do not show them.  A profile is programmed
 * one way or the other, not both.  Called by server.c (writes, reads) and
 * pipeline.c (entries naming members/groups, one-shot entries). */
#include "server_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct pobj {
	uint32_t id, slot;
	uint32_t refs;             /* groups (members) and table entries naming it */
	uint8_t *entity;           /* packed p4.v1.Entity as read back */
	size_t len;
	uint32_t *members;         /* groups: distinct member ids */
	size_t n_members;
	bool hidden;               /* made for a one-shot entry */
};

struct plist {
	struct pobj *v;
	size_t n, cap;
	uint8_t *used;             /* slots taken */
};

struct pprof {
	const P4__Config__V1__ActionProfile *pi;
	const char *sw_name;       /* the device config's name */
	uint32_t size;
	struct plist m, g;         /* members, groups */
	uint32_t next_hidden;      /* the last hidden id given */
};

struct p4rts_profiles {
	struct pprof *v;
	size_t n;
};

static void list_free(struct plist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].entity);
		free(l->v[i].members);
	}
	free(l->v);
	free(l->used);
}

void p4rts_profiles_free(struct p4rts_profiles *ps)
{
	if (!ps)
		return;
	for (size_t i = 0; i < ps->n; i++) {
		list_free(&ps->v[i].m);
		list_free(&ps->v[i].g);
	}
	free(ps->v);
	free(ps);
}

int p4rts_profiles_new(struct p4rts_pipe *p, struct p4rts_status *st)
{
	const P4__Config__V1__P4Info *info = p4rts_pipe_p4info(p);
	struct sw_switch *sw = p4rts_pipe_switch(p);
	struct p4rts_profiles *ps = calloc(1, sizeof(*ps));
	if (!ps || (info->n_action_profiles &&
		    !(ps->v = calloc(info->n_action_profiles, sizeof(*ps->v))))) {
		free(ps);
		return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	}
	*p4rts_pipe_profiles(p) = ps;
	for (size_t i = 0; i < info->n_action_profiles; i++) {
		const P4__Config__V1__ActionProfile *ap = info->action_profiles[i];
		struct pprof *pf = &ps->v[ps->n++];
		const char *name = ap->preamble ? ap->preamble->name : NULL;
		pf->pi = ap;
		if (!name)
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "P4Info: an action profile has "
					"no preamble");
		/* the switch knows the profile by its tables */
		for (size_t k = 0; k < ap->n_table_ids && !pf->sw_name; k++)
			for (size_t t = 0; t < info->n_tables; t++)
				if (info->tables[t]->preamble->id == ap->table_ids[k]) {
					struct p4l_err err = { 0 };
					int idx = sw_table_find(sw, info->tables[t]->preamble->name,
								&err);
					if (idx >= 0)
						pf->sw_name = sw_table_profile(sw, (size_t)idx);
				}
		if (!pf->sw_name)
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "P4Info action profile %s: "
					"none of its tables is indirect in the device config",
					name);
		if (ap->size < 1 || ap->size > (1 << 20))
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "P4Info action profile %s: size "
					"%lld is not in 1..%d", name, (long long)ap->size, 1 << 20);
		pf->size = (uint32_t)ap->size;
		if (!(pf->m.used = calloc(pf->size, 1)) || !(pf->g.used = calloc(pf->size, 1)))
			return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	}
	return 0;
}

static struct pprof *find_prof(struct p4rts_profiles *ps, uint32_t id)
{
	for (size_t i = 0; ps && i < ps->n; i++)
		if (ps->v[i].pi->preamble->id == id)
			return &ps->v[i];
	return NULL;
}

static struct pobj *find_obj(struct plist *l, uint32_t id, bool hidden)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].id == id && l->v[i].hidden == hidden)
			return &l->v[i];
	return NULL;
}

static bool has_objs(const struct pprof *pf, bool hidden)
{
	for (size_t i = 0; i < pf->m.n; i++)
		if (pf->m.v[i].hidden == hidden)
			return true;
	for (size_t i = 0; i < pf->g.n; i++)
		if (pf->g.v[i].hidden == hidden)
			return true;
	return false;
}

int p4rts_profile_ref(struct p4rts_profiles *ps, uint32_t prof, bool group, uint32_t id,
		      int delta, uint32_t *slot, struct p4rts_status *st)
{
	struct pprof *pf = find_prof(ps, prof);
	struct pobj *o = pf ? find_obj(group ? &pf->g : &pf->m, id, false) : NULL;
	if (!o)
		return p4rts_st(st, P4RT_NOT_FOUND, "action profile %s has no %s %u",
				pf ? pf->pi->preamble->name : "?", group ? "group" : "member", id);
	*slot = o->slot;
	o->refs = (uint32_t)((int64_t)o->refs + delta);
	return 0;
}

/* A new object in l with the lowest free slot, or NULL (st set). */
static struct pobj *obj_new(struct pprof *pf, struct plist *l, uint32_t id, bool hidden,
			    const char *what, struct p4rts_status *st)
{
	uint32_t slot = 0;
	while (slot < pf->size && l->used[slot])
		slot++;
	if (slot == pf->size) {
		p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "action profile %s is full: %u %ss",
			 pf->pi->preamble->name, pf->size, what);
		return NULL;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct pobj *v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
			return NULL;
		}
		l->v = v;
		l->cap = cap;
	}
	struct pobj *o = &l->v[l->n++];
	memset(o, 0, sizeof(*o));
	o->id = id;
	o->hidden = hidden;
	o->slot = slot;
	l->used[slot] = 1;
	return o;
}

static void obj_del(struct plist *l, struct pobj *o)
{
	l->used[o->slot] = 0;
	free(o->entity);
	free(o->members);
	*o = l->v[--l->n];
}

static int sw_code(int r)
{
	return r == -ENOSPC || r == -ERANGE || r == -ENOMEM ? P4RT_RESOURCE_EXHAUSTED
		: r == -ENOENT ? P4RT_NOT_FOUND : r == -EBUSY ? P4RT_FAILED_PRECONDITION
		: r == -EINVAL ? P4RT_INVALID_ARGUMENT : P4RT_INTERNAL;
}

static int check_type(P4__V1__Update__Type type, struct p4rts_status *st)
{
	if (type != P4__V1__UPDATE__TYPE__INSERT && type != P4__V1__UPDATE__TYPE__MODIFY &&
	    type != P4__V1__UPDATE__TYPE__DELETE)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "update type %d is not INSERT, MODIFY or "
				"DELETE", (int)type);
	return 0;
}

static struct pprof *check_prof(struct p4rts_pipe *p, uint32_t id, struct p4rts_status *st)
{
	struct pprof *pf = NULL;
	if (id >> 24 != P4I_ACTION_PROFILE)
		p4rts_st(st, P4RT_INVALID_ARGUMENT, "%u is not an action profile id", id);
	else if (!(pf = find_prof(*p4rts_pipe_profiles(p), id)))
		p4rts_st(st, P4RT_NOT_FOUND, "no action profile with id %u", id);
	return pf;
}

/* ---- members ----------------------------------------------------------------- */

static const char mixed[] = "action profile %s is programmed with one-shot action sets "
	"(table entries): members and groups cannot be written as well";

static int write_member(struct p4rts_pipe *p, P4__V1__Update__Type type,
			const P4__V1__ActionProfileMember *m, bool hidden, struct p4rts_status *st)
{
	struct pprof *pf = check_prof(p, m->action_profile_id, st);
	struct sw_switch *sw = p4rts_pipe_switch(p);
	struct p4l_err err = { 0 };
	if (!pf || check_type(type, st) < 0)
		return -1;
	const char *pn = pf->pi->preamble->name;
	if (!m->member_id)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "action profile %s: member ids start "
				"at 1", pn);
	if (!hidden && has_objs(pf, true))
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, mixed, pn);
	struct pobj *o = find_obj(&pf->m, m->member_id, hidden);
	if (type == P4__V1__UPDATE__TYPE__INSERT && o)
		return p4rts_st(st, P4RT_ALREADY_EXISTS, "action profile %s: member %u exists "
				"already", pn, m->member_id);
	if (type != P4__V1__UPDATE__TYPE__INSERT && !o)
		return p4rts_st(st, P4RT_NOT_FOUND, "action profile %s has no member %u", pn,
				m->member_id);
	if (type == P4__V1__UPDATE__TYPE__DELETE) {
		if (o->refs)
			return p4rts_st(st, P4RT_FAILED_PRECONDITION, "action profile %s: member %u "
					"is used by %u groups and table entries", pn,
					m->member_id, o->refs);
		int r = sw_profile_member_delete(sw, pf->sw_name, o->slot, &err);
		if (r < 0)
			return p4rts_st(st, sw_code(r), "%s", err.msg);
		obj_del(&pf->m, o);
		return 0;
	}
	size_t action, len;
	uint8_t *argbuf = NULL, *entity = NULL;
	struct sw_bytes *args = NULL;
	int r = p4rts_member_parse(p, m, &action, &argbuf, &args, &entity, &len, st);
	bool fresh = false;
	if (r == 0 && !o) {
		fresh = true;
		if (!(o = obj_new(pf, &pf->m, m->member_id, hidden, "member", st)))
			r = -1;
	}
	if (r == 0 && (r = sw_profile_member_set(sw, pf->sw_name, o->slot, action, args,
						 &err)) < 0) {
		p4rts_st(st, sw_code(r), "%s", err.msg);
		if (fresh)
			obj_del(&pf->m, o);
	}
	free(argbuf);
	free(args);
	if (r < 0) {
		free(entity);
		return -1;
	}
	free(o->entity);
	o->entity = entity;
	o->len = len;
	return 0;
}

/* ---- groups ------------------------------------------------------------------- */

static int write_group(struct p4rts_pipe *p, P4__V1__Update__Type type,
		       const P4__V1__ActionProfileGroup *g, const P4__V1__Entity *ent, bool hidden,
		       struct p4rts_status *st)
{
	struct pprof *pf = check_prof(p, g->action_profile_id, st);
	struct sw_switch *sw = p4rts_pipe_switch(p);
	struct p4l_err err = { 0 };
	if (!pf || check_type(type, st) < 0)
		return -1;
	const char *pn = pf->pi->preamble->name;
	if (!pf->pi->with_selector)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "action profile %s has no selector: it "
				"has members only, no groups", pn);
	if (!g->group_id)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "action profile %s: group ids start at 1",
				pn);
	if (!hidden && has_objs(pf, true))
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, mixed, pn);
	struct pobj *o = find_obj(&pf->g, g->group_id, hidden);
	if (type == P4__V1__UPDATE__TYPE__INSERT && o)
		return p4rts_st(st, P4RT_ALREADY_EXISTS, "action profile %s: group %u exists "
				"already", pn, g->group_id);
	if (type != P4__V1__UPDATE__TYPE__INSERT && !o)
		return p4rts_st(st, P4RT_NOT_FOUND, "action profile %s has no group %u", pn,
				g->group_id);
	if (type == P4__V1__UPDATE__TYPE__DELETE) {
		if (o->refs)
			return p4rts_st(st, P4RT_FAILED_PRECONDITION, "action profile %s: group %u "
					"is used by %u table entries", pn, g->group_id, o->refs);
		int r = sw_profile_group_delete(sw, pf->sw_name, o->slot, &err);
		if (r < 0)
			return p4rts_st(st, sw_code(r), "%s", err.msg);
		for (size_t i = 0; i < o->n_members; i++) {
			struct pobj *m = find_obj(&pf->m, o->members[i], hidden);
			if (m)
				m->refs--;
		}
		obj_del(&pf->g, o);
		return 0;
	}
	/* the group's size: its own max_size, at most the profile's */
	int64_t max = pf->pi->max_group_size;
	if (g->max_size < 0 || (max && g->max_size > max))
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "action profile %s: group %u: max_size "
				"%d is not in 0..%lld", pn, g->group_id, g->max_size, (long long)max);
	if (g->max_size)
		max = g->max_size;
	int64_t total = 0;
	for (size_t i = 0; i < g->n_members; i++) {
		const P4__V1__ActionProfileGroup__Member *gm = g->members[i];
		if (gm->weight < 1)
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "action profile %s: group %u: "
					"member %u has weight %d (weights are at least 1)", pn,
					g->group_id, gm->member_id, gm->weight);
		if (gm->weight != 1 && pf->pi->weights_disallowed)
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "action profile %s disallows "
					"weights: member %u has weight %d", pn, gm->member_id,
					gm->weight);
		if (!find_obj(&pf->m, gm->member_id, hidden))
			return p4rts_st(st, P4RT_NOT_FOUND, "action profile %s: group %u: no member "
					"%u", pn, g->group_id, gm->member_id);
		for (size_t k = 0; k < i; k++)
			if (g->members[k]->member_id == gm->member_id)
				return p4rts_st(st, P4RT_INVALID_ARGUMENT, "action profile %s: group "
						"%u: member %u given twice", pn, g->group_id,
						gm->member_id);
		total += pf->pi->selector_size_semantics_case ==
			P4__CONFIG__V1__ACTION_PROFILE__SELECTOR_SIZE_SEMANTICS_SUM_OF_MEMBERS
			? 1 : gm->weight;
	}
	if (max && total > max)
		return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "action profile %s: group %u: %lld "
				"weighted members, more than its size %lld", pn, g->group_id,
				(long long)total, (long long)max);
	int64_t slots = 0;
	for (size_t i = 0; i < g->n_members; i++)
		slots += g->members[i]->weight;
	if (slots > (1 << 20))
		return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "action profile %s: group %u: the "
				"weights add up to %lld, p4lab takes up to %d", pn, g->group_id,
				(long long)slots, 1 << 20);
	uint32_t *list = calloc((size_t)slots + 1, sizeof(*list));
	uint32_t *ids = calloc(g->n_members + 1, sizeof(*ids));
	size_t len = p4__v1__entity__get_packed_size(ent);
	uint8_t *entity = malloc(len ? len : 1);
	if (!list || !ids || !entity) {
		free(list);
		free(ids);
		free(entity);
		return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	}
	p4__v1__entity__pack(ent, entity);
	size_t n = 0;
	for (size_t i = 0; i < g->n_members; i++) {
		struct pobj *m = find_obj(&pf->m, g->members[i]->member_id, hidden);
		ids[i] = m->id;
		for (int32_t w = 0; w < g->members[i]->weight; w++)
			list[n++] = m->slot;
	}
	bool fresh = !o;
	int r = 0;
	if (fresh && !(o = obj_new(pf, &pf->g, g->group_id, hidden, "group", st)))
		r = -1;
	if (r == 0 && (r = sw_profile_group_set(sw, pf->sw_name, o->slot, list, n, &err)) < 0) {
		p4rts_st(st, sw_code(r), "%s", err.msg);
		if (fresh)
			obj_del(&pf->g, o);
	}
	free(list);
	if (r < 0) {
		free(ids);
		free(entity);
		return -1;
	}
	for (size_t i = 0; i < o->n_members; i++) {
		struct pobj *m = find_obj(&pf->m, o->members[i], hidden);
		if (m)
			m->refs--;
	}
	for (size_t i = 0; i < g->n_members; i++)
		find_obj(&pf->m, ids[i], hidden)->refs++;
	free(o->members);
	free(o->entity);
	o->members = ids;
	o->n_members = g->n_members;
	o->entity = entity;
	o->len = len;
	return 0;
}

/* ---- dispatch ------------------------------------------------------------------ */

int p4rts_profile_write(struct p4rts_pipe *p, P4__V1__Update__Type type, const P4__V1__Entity *e,
			struct p4rts_status *st)
{
	if (e->entity_case == P4__V1__ENTITY__ENTITY_ACTION_PROFILE_MEMBER)
		return write_member(p, type, e->action_profile_member, false, st);
	return write_group(p, type, e->action_profile_group, e, false, st);
}

int p4rts_profile_read(struct p4rts_pipe *p, const P4__V1__Entity *e, p4rts_emit_fn emit,
		       void *ctx, struct p4rts_status *st)
{
	struct p4rts_profiles *ps = *p4rts_pipe_profiles(p);
	bool group = e->entity_case == P4__V1__ENTITY__ENTITY_ACTION_PROFILE_GROUP;
	uint32_t prof = group ? e->action_profile_group->action_profile_id
		: e->action_profile_member->action_profile_id;
	uint32_t id = group ? e->action_profile_group->group_id
		: e->action_profile_member->member_id;
	if (prof && !check_prof(p, prof, st))
		return -1;
	for (size_t i = 0; ps && i < ps->n; i++) {
		struct pprof *pf = &ps->v[i];
		if (prof && pf->pi->preamble->id != prof)
			continue;
		struct plist *l = group ? &pf->g : &pf->m;
		for (size_t k = 0; k < l->n; k++)
			if (!l->v[k].hidden && (!id || l->v[k].id == id) && emit(ctx, l->v[k].entity, l->v[k].len) < 0)
				return p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
	}
	return 0;
}

/* ---- one-shot action sets ------------------------------------------------------ */

static uint32_t hidden_id(struct pprof *pf)
{
	do
		pf->next_hidden = pf->next_hidden + 1 ? pf->next_hidden + 1 : 1;
	while (find_obj(&pf->m, pf->next_hidden, true) || find_obj(&pf->g, pf->next_hidden, true));
	return pf->next_hidden;
}

void p4rts_oneshot_free(struct p4rts_pipe *p, uint32_t prof, uint32_t gid)
{
	struct pprof *pf = find_prof(*p4rts_pipe_profiles(p), prof);
	struct pobj *g = pf ? find_obj(&pf->g, gid, true) : NULL;
	struct p4rts_status st;
	if (!g)
		return;
	uint32_t *ids = g->members;
	size_t n = g->n_members;
	g->members = NULL;
	g->n_members = 0;
	P4__V1__ActionProfileGroup dg;
	p4__v1__action_profile_group__init(&dg);
	dg.action_profile_id = prof;
	dg.group_id = gid;
	g->refs = 0;
	write_group(p, P4__V1__UPDATE__TYPE__DELETE, &dg, NULL, true, &st);
	for (size_t i = 0; i < n; i++) {
		struct pobj *m = find_obj(&pf->m, ids[i], true);
		P4__V1__ActionProfileMember dm;
		p4__v1__action_profile_member__init(&dm);
		dm.action_profile_id = prof;
		dm.member_id = ids[i];
		if (m)
			m->refs = 0;
		write_member(p, P4__V1__UPDATE__TYPE__DELETE, &dm, true, &st);
	}
	free(ids);
}

int p4rts_oneshot_new(struct p4rts_pipe *p, const char *table, uint32_t prof,
		      const P4__V1__ActionProfileActionSet *set, uint32_t *gid, uint32_t *slot,
		      uint8_t **canon, size_t *canon_len, struct p4rts_status *st)
{
	struct pprof *pf = find_prof(*p4rts_pipe_profiles(p), prof);
	if (!pf)
		return p4rts_st(st, P4RT_NOT_FOUND, "no action profile with id %u", prof);
	const char *pn = pf->pi->preamble->name;
	size_t n = set ? set->n_action_profile_actions : 0;
	if (!pf->pi->with_selector)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s: action profile %s has no "
				"selector: one-shot action sets need one", table, pn);
	if (has_objs(pf, false))
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s: action profile %s has members "
				"or groups written by the controller: one-shot action sets cannot "
				"be mixed with them", table, pn);
	if (!n)
		return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s: the one-shot action set is "
				"empty", table);
	for (size_t i = 0; i < n; i++) {
		const P4__V1__ActionProfileAction *a = set->action_profile_actions[i];
		if (!a->action)
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s: one-shot action %zu "
					"has no action", table, i);
		if (a->weight < 1)
			return p4rts_st(st, P4RT_INVALID_ARGUMENT, "table %s: one-shot action %zu "
					"has weight %d (weights are at least 1)", table, i,
					a->weight);
	}
	P4__V1__ActionProfileGroup__Member *gm = calloc(n, sizeof(*gm));
	P4__V1__ActionProfileGroup__Member **gmp = calloc(n, sizeof(*gmp));
	P4__V1__Entity **ments = calloc(n, sizeof(*ments));
	P4__V1__ActionProfileAction *ca = calloc(n, sizeof(*ca));
	P4__V1__ActionProfileAction **cap = calloc(n, sizeof(*cap));
	uint32_t *mids = calloc(n, sizeof(*mids));
	size_t made = 0;
	int r = -1;
	*gid = 0;
	if (!gm || !gmp || !ments || !ca || !cap || !mids) {
		p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		goto out;
	}
	for (made = 0; made < n; made++) {
		const P4__V1__ActionProfileAction *a = set->action_profile_actions[made];
		P4__V1__ActionProfileMember m;
		p4__v1__action_profile_member__init(&m);
		m.action_profile_id = prof;
		m.member_id = mids[made] = hidden_id(pf);
		m.action = a->action;
		if (write_member(p, P4__V1__UPDATE__TYPE__INSERT, &m, true, st) < 0)
			goto out;
		struct pobj *o = find_obj(&pf->m, m.member_id, true);
		if (!(ments[made] = p4__v1__entity__unpack(NULL, o->len, o->entity))) {
			made++;
			p4rts_st(st, P4RT_INTERNAL, "table %s: a one-shot member does not unpack",
				 table);
			goto out;
		}
		p4__v1__action_profile_group__member__init(&gm[made]);
		gm[made].member_id = m.member_id;
		gm[made].weight = a->weight;
		gmp[made] = &gm[made];
		/* the canonical action with the weight and watch port as given */
		ca[made] = *a;
		ca[made].action = ments[made]->action_profile_member->action;
		cap[made] = &ca[made];
	}
	P4__V1__ActionProfileGroup g;
	P4__V1__Entity ent;
	p4__v1__action_profile_group__init(&g);
	p4__v1__entity__init(&ent);
	g.action_profile_id = prof;
	g.group_id = hidden_id(pf);
	g.n_members = n;
	g.members = gmp;
	ent.entity_case = P4__V1__ENTITY__ENTITY_ACTION_PROFILE_GROUP;
	ent.action_profile_group = &g;
	if (write_group(p, P4__V1__UPDATE__TYPE__INSERT, &g, &ent, true, st) < 0)
		goto out;
	*gid = g.group_id;
	*slot = find_obj(&pf->g, g.group_id, true)->slot;
	P4__V1__ActionProfileActionSet cs;
	p4__v1__action_profile_action_set__init(&cs);
	cs.n_action_profile_actions = n;
	cs.action_profile_actions = cap;
	*canon_len = p4__v1__action_profile_action_set__get_packed_size(&cs);
	if (!(*canon = malloc(*canon_len ? *canon_len : 1))) {
		p4rts_st(st, P4RT_RESOURCE_EXHAUSTED, "out of memory");
		goto out;
	}
	p4__v1__action_profile_action_set__pack(&cs, *canon);
	r = 0;
out:
	if (r < 0 && *gid) {
		p4rts_oneshot_free(p, prof, *gid);
	} else if (r < 0) {
		struct p4rts_status ignore;
		for (size_t i = 0; i < made; i++) {
			P4__V1__ActionProfileMember dm;
			p4__v1__action_profile_member__init(&dm);
			dm.action_profile_id = prof;
			dm.member_id = mids[i];
			write_member(p, P4__V1__UPDATE__TYPE__DELETE, &dm, true, &ignore);
		}
	}
	for (size_t i = 0; ments && i < n; i++)
		if (ments[i])
			p4__v1__entity__free_unpacked(ments[i], NULL);
	free(gm);
	free(gmp);
	free(ments);
	free(ca);
	free(cap);
	free(mids);
	return r;
}
