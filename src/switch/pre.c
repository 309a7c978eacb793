/* pre.c - the control-plane side of v1model state (pre.h, switch.h):
 * multicast groups, clone sessions, the digest queue, register writes and
 * custom CRC parameters.  Called by the STF runner and control planes;
 * exec.c reads what is configured here. */
#include "pre.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "switch.h"

struct sw_pre *sw_pre_new(void)
{
	struct sw_pre *pre = calloc(1, sizeof(*pre));
	if (!pre)
		return NULL;
	pthread_mutex_init(&pre->lock, NULL);
	return pre;
}

void sw_pre_free(struct sw_pre *pre)
{
	if (!pre)
		return;
	for (size_t i = 0; i < pre->n_groups; i++)
		free(pre->groups[i].r);
	free(pre->groups);
	free(pre->sessions);
	free(pre->q);
	for (int i = 0; i < SW_DROP_PORT; i++) {
		if (pre->queues[i])
			free(pre->queues[i]->deq);
		free(pre->queues[i]);
	}
	pthread_mutex_destroy(&pre->lock);
	free(pre);
}

/* Index of the first group with id >= id. */
static size_t group_pos(const struct sw_pre *pre, uint32_t id)
{
	size_t lo = 0, hi = pre->n_groups;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (pre->groups[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct sw_mcgroup *sw_pre_group(const struct sw_pre *pre, uint32_t id)
{
	size_t i = group_pos(pre, id);
	return i < pre->n_groups && pre->groups[i].id == id ? &pre->groups[i] : NULL;
}

const struct sw_session *sw_pre_session(const struct sw_pre *pre, uint32_t id)
{
	if (!pre->sessions || id >= SW_MAX_SESSIONS || !pre->sessions[id].configured)
		return NULL;
	return &pre->sessions[id];
}

void sw_pre_digest_push(struct sw_pre *pre, uint32_t receiver, uint32_t list,
			const uint8_t *data, uint32_t len)
{
	pthread_mutex_lock(&pre->lock);
	if (!pre->q)
		pre->q = malloc(SW_DIGEST_QUEUE * sizeof(*pre->q));
	if (!pre->q || pre->q_len == SW_DIGEST_QUEUE || len > SW_DIGEST_MAX) {
		pre->q_dropped++;
	} else {
		struct sw_digest_slot *s = &pre->q[(pre->q_head + pre->q_len++) % SW_DIGEST_QUEUE];
		s->receiver = receiver;
		s->list = list;
		s->len = len;
		memcpy(s->data, data, len);
	}
	pthread_mutex_unlock(&pre->lock);
}

static struct sw_plan *writable(struct sw_switch *sw, const char *what, struct p4l_err *err)
{
	if (sw_is_running(sw)) {
		p4l_errf(err, -EBUSY, "%s while the dataplane runs is not supported yet", what);
		return NULL;
	}
	return sw_plan_of(sw);
}

bool sw_pre_enqueue(struct sw_pre *pre, uint32_t port, uint64_t now_ns, uint64_t *deq_ns,
		    uint32_t *enq_depth, uint32_t *deq_depth)
{
	struct sw_queue *q = port < SW_DROP_PORT ? pre->queues[port] : NULL;
	*deq_ns = now_ns;
	*enq_depth = *deq_depth = 0;
	if (!q)
		return true;
	uint32_t waiting = 0;
	for (uint32_t i = 0; i < q->depth; i++)
		waiting += q->deq[i] > now_ns;
	if (waiting >= q->depth) {
		q->drops++;
		return false;
	}
	uint64_t gap = q->rate > 0 ? (uint64_t)(1e9 / q->rate) : 0;
	uint64_t start = q->last_deq + gap > now_ns && q->last_deq ? q->last_deq + gap : now_ns;
	q->deq[q->head] = start;
	q->head = (q->head + 1) % q->depth;
	q->last_deq = start;
	*deq_ns = start;
	*enq_depth = waiting;
	*deq_depth = 0;  /* who comes after is not known yet when egress runs */
	return true;
}

/* ---- switch.h calls ------------------------------------------------------ */

int sw_queue_set(struct sw_switch *sw, uint32_t port, uint32_t depth, double rate,
		 struct p4l_err *err)
{
	struct sw_plan *p = writable(sw, "configuring queues", err);
	if (!p)
		return err ? err->code : -EBUSY;
	if (port >= SW_DROP_PORT)
		return p4l_errf(err, -EINVAL, "queue of port %u: ports go from 0 to %d", port,
				SW_DROP_PORT - 1);
	if (depth < 1 || depth > 65536 || !(rate >= 0))
		return p4l_errf(err, -EINVAL, "queue of port %u: the depth goes from 1 to 65536 "
				"packets and the rate is >= 0 packets/s", port);
	struct sw_queue *q = calloc(1, sizeof(*q));
	if (!q || !(q->deq = calloc(depth, sizeof(*q->deq)))) {
		free(q);
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	q->depth = depth;
	q->rate = rate;
	struct sw_queue *old = p->pre->queues[port];
	if (old) {
		q->drops = old->drops;
		free(old->deq);
		free(old);
	}
	p->pre->queues[port] = q;
	return 0;
}

uint64_t sw_queue_drops(const struct sw_switch *sw, uint32_t port)
{
	const struct sw_plan *p = sw_plan_of(sw);
	return port < SW_DROP_PORT && p->pre->queues[port] ? p->pre->queues[port]->drops : 0;
}


int sw_mc_group_set(struct sw_switch *sw, uint32_t group, const struct sw_replica *r, size_t n,
		    struct p4l_err *err)
{
	struct sw_plan *p = writable(sw, "configuring multicast groups", err);
	if (!p)
		return err ? err->code : -EBUSY;
	struct sw_pre *pre = p->pre;
	if (group == 0 || group > 0xffff)
		return p4l_errf(err, -EINVAL, "multicast group %u: groups go from 1 to 65535", group);
	for (size_t i = 0; i < n; i++)
		if (r[i].port >= SW_DROP_PORT)
			return p4l_errf(err, -EINVAL, "multicast group %u: replica %zu: port %u is not "
					"a port (0-%d)", group, i, r[i].port, SW_DROP_PORT - 1);
	struct sw_replica *copy = malloc((n + 1) * sizeof(*copy));
	if (!copy)
		return p4l_errf(err, -ENOMEM, "out of memory");
	if (n)
		memcpy(copy, r, n * sizeof(*copy));
	size_t i = group_pos(pre, group);
	if (i == pre->n_groups || pre->groups[i].id != group) {
		struct sw_mcgroup *ng = realloc(pre->groups, (pre->n_groups + 1) * sizeof(*ng));
		if (!ng) {
			free(copy);
			return p4l_errf(err, -ENOMEM, "out of memory");
		}
		pre->groups = ng;
		memmove(ng + i + 1, ng + i, (pre->n_groups - i) * sizeof(*ng));
		pre->n_groups++;
		ng[i] = (struct sw_mcgroup){ group, NULL, 0 };
	}
	free(pre->groups[i].r);
	pre->groups[i].r = copy;
	pre->groups[i].n = n;
	return 0;
}

int sw_mc_group_delete(struct sw_switch *sw, uint32_t group, struct p4l_err *err)
{
	struct sw_plan *p = writable(sw, "configuring multicast groups", err);
	if (!p)
		return err ? err->code : -EBUSY;
	struct sw_pre *pre = p->pre;
	size_t i = group_pos(pre, group);
	if (i == pre->n_groups || pre->groups[i].id != group)
		return p4l_errf(err, -ENOENT, "no multicast group %u", group);
	free(pre->groups[i].r);
	memmove(pre->groups + i, pre->groups + i + 1, (pre->n_groups - i - 1) * sizeof(*pre->groups));
	pre->n_groups--;
	return 0;
}

int sw_clone_session_set(struct sw_switch *sw, uint32_t session, int32_t port, uint32_t group,
			 struct p4l_err *err)
{
	struct sw_plan *p = writable(sw, "configuring clone sessions", err);
	if (!p)
		return err ? err->code : -EBUSY;
	struct sw_pre *pre = p->pre;
	if (session >= SW_MAX_SESSIONS)
		return p4l_errf(err, -EINVAL, "clone session %u: sessions go from 0 to %d", session,
				SW_MAX_SESSIONS - 1);
	if (port >= SW_DROP_PORT || port < -1)
		return p4l_errf(err, -EINVAL, "clone session %u: port %d is not a port (0-%d)", session,
				port, SW_DROP_PORT - 1);
	if (group > 0xffff)
		return p4l_errf(err, -EINVAL, "clone session %u: multicast group %u is out of range",
				session, group);
	if (!pre->sessions && !(pre->sessions = calloc(SW_MAX_SESSIONS, sizeof(*pre->sessions))))
		return p4l_errf(err, -ENOMEM, "out of memory");
	pre->sessions[session] = (struct sw_session){ true, port, group };
	return 0;
}

int sw_clone_session_delete(struct sw_switch *sw, uint32_t session, struct p4l_err *err)
{
	struct sw_plan *p = writable(sw, "configuring clone sessions", err);
	if (!p)
		return err ? err->code : -EBUSY;
	if (!sw_pre_session(p->pre, session))
		return p4l_errf(err, -ENOENT, "no clone session %u", session);
	p->pre->sessions[session].configured = false;
	return 0;
}

int sw_digest_take(struct sw_switch *sw, struct sw_digest *d, uint64_t *dropped)
{
	struct sw_plan *p = sw_plan_of(sw);
	struct sw_pre *pre = p->pre;
	int r = -EAGAIN;
	pthread_mutex_lock(&pre->lock);
	if (pre->q_len) {
		const struct sw_digest_slot *s = &pre->q[pre->q_head];
		d->receiver = s->receiver;
		d->list_id = p->learns[s->list].id;
		d->list_name = p->learns[s->list].name;
		d->len = s->len;
		memcpy(d->data, s->data, s->len);
		pre->q_head = (pre->q_head + 1) % SW_DIGEST_QUEUE;
		pre->q_len--;
		r = 0;
	}
	if (dropped)
		*dropped = pre->q_dropped;
	pthread_mutex_unlock(&pre->lock);
	return r;
}

/* name equals full, or is a suffix of full starting after a '.'. */
static bool name_matches(const char *full, const char *name)
{
	size_t fl = strlen(full), nl = strlen(name);
	if (fl == nl)
		return !strcmp(full, name);
	return fl > nl && full[fl - nl - 1] == '.' && !strcmp(full + fl - nl, name);
}

static struct sw_register *find_register(struct sw_plan *p, const char *name, struct p4l_err *err)
{
	struct sw_register *found = NULL;
	int n = 0;
	for (size_t i = 0; i < p->n_registers; i++) {
		if (!strcmp(p->registers[i].name, name))
			return &p->registers[i];
		if (name_matches(p->registers[i].name, name))
			found = &p->registers[i], n++;
	}
	if (n == 1)
		return found;
	p4l_errf(err, n ? -EINVAL : -ENOENT, n ? "register name '%s' is ambiguous" :
		 "no register named '%s'", name);
	return NULL;
}

int sw_register_write(struct sw_switch *sw, const char *name, uint32_t index, uint64_t value,
		      struct p4l_err *err)
{
	struct sw_plan *p = writable(sw, "register writes", err);
	struct sw_register *rg = p ? find_register(p, name, err) : NULL;
	if (!rg)
		return err ? err->code : -EINVAL;
	if (index >= rg->size)
		return p4l_errf(err, -ERANGE, "register %s has %u cells, not %u", name, rg->size,
				index + 1);
	if (rg->width < 64 && value >> rg->width)
		return p4l_errf(err, -ERANGE, "register %s: value %llu does not fit in %u bits", name,
				(unsigned long long)value, rg->width);
	rg->cells[index] = value;
	return 0;
}

int sw_register_reset(struct sw_switch *sw, const char *name, struct p4l_err *err)
{
	struct sw_plan *p = writable(sw, "register writes", err);
	struct sw_register *rg = p ? find_register(p, name, err) : NULL;
	if (!rg)
		return err ? err->code : -EINVAL;
	memset(rg->cells, 0, rg->size * sizeof(*rg->cells));
	return 0;
}

int sw_calc_set_crc(struct sw_switch *sw, const char *calc, uint32_t poly, uint32_t init,
		    uint32_t xor_out, bool refin, bool refout, struct p4l_err *err)
{
	struct sw_plan *p = writable(sw, "setting CRC parameters", err);
	if (!p)
		return err ? err->code : -EBUSY;
	for (size_t i = 0; i < p->n_calcs; i++) {
		struct sw_calc *c = &p->calcs[i];
		if (strcmp(c->name, calc) && !name_matches(c->name, calc))
			continue;
		if (c->algo != SW_ALGO_CRC16_CUSTOM && c->algo != SW_ALGO_CRC32_CUSTOM)
			return p4l_errf(err, -EINVAL, "calculation %s does not use crc16_custom or "
					"crc32_custom", c->name);
		uint32_t max = c->algo == SW_ALGO_CRC16_CUSTOM ? 0xffff : 0xffffffff;
		if (poly > max || init > max || xor_out > max)
			return p4l_errf(err, -ERANGE, "calculation %s: parameters must fit in %d bits",
					c->name, c->algo == SW_ALGO_CRC16_CUSTOM ? 16 : 32);
		c->crc = (struct sw_crc){ poly, init, xor_out, refin, refout };
		return 0;
	}
	return p4l_errf(err, -ENOENT, "no calculation named '%s'", calc);
}

/* ---- parse value sets ----------------------------------------------------- */

static struct sw_vset *find_vset(struct sw_plan *p, const char *name, struct p4l_err *err)
{
	struct sw_vset *found = NULL;
	int n = 0;
	for (size_t i = 0; i < p->n_vsets; i++) {
		if (!strcmp(p->vsets[i].name, name))
			return &p->vsets[i];
		if (name_matches(p->vsets[i].name, name))
			found = &p->vsets[i], n++;
	}
	if (n == 1)
		return found;
	p4l_errf(err, n ? -EINVAL : -ENOENT, n ? "value set name '%s' is ambiguous" :
		 "no parse value set named '%s'", name);
	return NULL;
}

/* The value as the set stores it (nb bytes); -ERANGE if it does not fit. */
static int vset_value(const struct sw_vset *vs, const struct sw_bytes *v, uint8_t *out,
		      struct p4l_err *err)
{
	uint32_t nb = (vs->width + 7) / 8;
	size_t skip = 0;
	while (skip < v->len && v->len - skip > nb && !v->data[skip])
		skip++;
	if (v->len - skip > nb || (v->len - skip == nb && vs->width % 8 &&
				   v->data[skip] >> (vs->width % 8)))
		return p4l_errf(err, -ERANGE, "value set %s: value does not fit in %u bits", vs->name,
				vs->width);
	memset(out, 0, nb);
	memcpy(out + nb - (v->len - skip), v->data + skip, v->len - skip);
	return 0;
}

int sw_vset_add(struct sw_switch *sw, const char *name, const struct sw_bytes *value,
		struct p4l_err *err)
{
	struct sw_plan *p = writable(sw, "value set writes", err);
	struct sw_vset *vs = p ? find_vset(p, name, err) : NULL;
	uint8_t buf[SW_MAX_KEY_BYTES];
	if (!vs)
		return err ? err->code : -EINVAL;
	uint32_t nb = (vs->width + 7) / 8;
	int r = vset_value(vs, value, buf, err);
	if (r)
		return r;
	for (uint32_t i = 0; i < vs->n; i++)
		if (!memcmp(vs->vals + (size_t)i * nb, buf, nb))
			return p4l_errf(err, -EEXIST, "value set %s already holds that value", vs->name);
	if (vs->n == vs->max)
		return p4l_errf(err, -ENOSPC, "value set %s is full (%u values)", vs->name, vs->max);
	memcpy(vs->vals + (size_t)vs->n++ * nb, buf, nb);
	return 0;
}

int sw_vset_remove(struct sw_switch *sw, const char *name, const struct sw_bytes *value,
		   struct p4l_err *err)
{
	struct sw_plan *p = writable(sw, "value set writes", err);
	struct sw_vset *vs = p ? find_vset(p, name, err) : NULL;
	uint8_t buf[SW_MAX_KEY_BYTES];
	if (!vs)
		return err ? err->code : -EINVAL;
	uint32_t nb = (vs->width + 7) / 8;
	int r = vset_value(vs, value, buf, err);
	if (r)
		return r;
	for (uint32_t i = 0; i < vs->n; i++)
		if (!memcmp(vs->vals + (size_t)i * nb, buf, nb)) {
			memmove(vs->vals + (size_t)i * nb, vs->vals + (size_t)(i + 1) * nb,
				(size_t)(vs->n - i - 1) * nb);
			vs->n--;
			return 0;
		}
	return p4l_errf(err, -ENOENT, "value set %s does not hold that value", vs->name);
}

int sw_vset_clear(struct sw_switch *sw, const char *name, struct p4l_err *err)
{
	struct sw_plan *p = writable(sw, "value set writes", err);
	struct sw_vset *vs = p ? find_vset(p, name, err) : NULL;
	if (!vs)
		return err ? err->code : -EINVAL;
	vs->n = 0;
	return 0;
}

/* ---- action profiles ------------------------------------------------------- */

static struct sw_profile *find_profile(struct sw_plan *p, const char *name, struct p4l_err *err)
{
	struct sw_profile *found = NULL;
	int n = 0;
	for (size_t i = 0; i < p->n_profiles; i++) {
		if (!strcmp(p->profiles[i].name, name))
			return &p->profiles[i];
		if (name_matches(p->profiles[i].name, name))
			found = &p->profiles[i], n++;
	}
	if (n == 1)
		return found;
	p4l_errf(err, n ? -EINVAL : -ENOENT, n ? "action profile name '%s' is ambiguous" :
		 "no action profile named '%s'", name);
	return NULL;
}

const char *sw_table_profile(const struct sw_switch *sw, size_t table)
{
	const struct sw_plan *p = sw_plan_of(sw);
	if (table >= p->n_tables || p->tables[table].profile == SW_NONE)
		return NULL;
	return p->profiles[p->tables[table].profile].name;
}

/* The argument bytes of action a (each parameter big-endian, byte-padded). */
static int pack_args(const struct sw_action *a, const struct sw_bytes *args, uint8_t *out,
		     struct p4l_err *err)
{
	for (size_t i = 0; i < a->n_params; i++) {
		const struct sw_param *pa = &a->params[i];
		uint32_t nb = (pa->width + 7) / 8;
		size_t skip = 0, len = args[i].len;
		while (skip < len && len - skip > nb && !args[i].data[skip])
			skip++;
		uint8_t *d = out + pa->off;
		memset(d, 0, nb);
		if (len - skip > nb)
			goto big;
		memcpy(d + nb - (len - skip), args[i].data + skip, len - skip);
		if (pa->width % 8 && d[0] >> (pa->width % 8))
			goto big;
		continue;
big:
		return p4l_errf(err, -ERANGE, "action %s parameter %s: value does not fit in %u bits",
				a->name, pa->name, pa->width);
	}
	return 0;
}

int sw_profile_member_set(struct sw_switch *sw, const char *profile, uint32_t member,
			  size_t action, const struct sw_bytes *args, struct p4l_err *err)
{
	struct sw_plan *p = writable(sw, "action profile writes", err);
	struct sw_profile *pf = p ? find_profile(p, profile, err) : NULL;
	if (!pf)
		return err ? err->code : -EINVAL;
	if (member >= pf->max)
		return p4l_errf(err, -ERANGE, "action profile %s: member ids go from 0 to %u", pf->name,
				pf->max - 1);
	bool allowed = false;
	for (size_t t = 0; t < p->n_tables && !allowed; t++)
		if (p->tables[t].profile == (uint32_t)(pf - p->profiles))
			for (size_t i = 0; i < p->tables[t].info.n_actions; i++)
				allowed |= p->tables[t].actions[i] == action;
	if (!allowed)
		return p4l_errf(err, -EINVAL, "action profile %s: its tables do not allow action %s",
				pf->name, action < p->n_actions ? p->actions[action].name : "?");
	const struct sw_action *a = &p->actions[action];
	uint8_t *b = calloc(1, a->args_len + 1);
	if (!b)
		return p4l_errf(err, -ENOMEM, "out of memory");
	int r = pack_args(a, args, b, err);
	if (r) {
		free(b);
		return r;
	}
	free(pf->members[member].args);
	pf->members[member] = (struct sw_member){ true, (uint32_t)action, b };
	return 0;
}

int sw_profile_member_delete(struct sw_switch *sw, const char *profile, uint32_t member,
			     struct p4l_err *err)
{
	struct sw_plan *p = writable(sw, "action profile writes", err);
	struct sw_profile *pf = p ? find_profile(p, profile, err) : NULL;
	if (!pf)
		return err ? err->code : -EINVAL;
	if (member >= pf->max || !pf->members[member].used)
		return p4l_errf(err, -ENOENT, "action profile %s has no member %u", pf->name, member);
	for (uint32_t g = 0; g < pf->max; g++)
		for (size_t i = 0; pf->groups[g].used && i < pf->groups[g].n; i++)
			if (pf->groups[g].members[i] == member)
				return p4l_errf(err, -EBUSY, "action profile %s: member %u is in group %u",
						pf->name, member, g);
	free(pf->members[member].args);
	pf->members[member] = (struct sw_member){ 0 };
	return 0;
}

int sw_profile_group_set(struct sw_switch *sw, const char *profile, uint32_t group,
			 const uint32_t *members, size_t n, struct p4l_err *err)
{
	struct sw_plan *p = writable(sw, "action profile writes", err);
	struct sw_profile *pf = p ? find_profile(p, profile, err) : NULL;
	if (!pf)
		return err ? err->code : -EINVAL;
	if (pf->selector == SW_NONE)
		return p4l_errf(err, -EINVAL, "action profile %s has no selector: no groups", pf->name);
	if (group >= pf->max)
		return p4l_errf(err, -ERANGE, "action profile %s: group ids go from 0 to %u", pf->name,
				pf->max - 1);
	for (size_t i = 0; i < n; i++)
		if (members[i] >= pf->max || !pf->members[members[i]].used)
			return p4l_errf(err, -ENOENT, "action profile %s has no member %u", pf->name,
					members[i]);
	uint32_t *m = malloc((n + 1) * sizeof(*m));
	if (!m)
		return p4l_errf(err, -ENOMEM, "out of memory");
	if (n)
		memcpy(m, members, n * sizeof(*m));
	free(pf->groups[group].members);
	pf->groups[group] = (struct sw_group){ true, m, n };
	return 0;
}

int sw_profile_group_delete(struct sw_switch *sw, const char *profile, uint32_t group,
			    struct p4l_err *err)
{
	struct sw_plan *p = writable(sw, "action profile writes", err);
	struct sw_profile *pf = p ? find_profile(p, profile, err) : NULL;
	if (!pf)
		return err ? err->code : -EINVAL;
	if (group >= pf->max || !pf->groups[group].used)
		return p4l_errf(err, -ENOENT, "action profile %s has no group %u", pf->name, group);
	free(pf->groups[group].members);
	pf->groups[group] = (struct sw_group){ 0 };
	return 0;
}

int sw_table_add_ref(struct sw_switch *sw, size_t table, const struct sw_key *keys,
		     int32_t priority, bool group, uint32_t id, struct p4l_err *err)
{
	struct sw_plan *p = sw_plan_of(sw);
	if (table >= p->n_tables)
		return p4l_errf(err, -EINVAL, "no such table");
	const struct sw_table *t = &p->tables[table];
	if (t->profile == SW_NONE)
		return p4l_errf(err, -EINVAL, "table %s has no action profile: give an action", t->name);
	const struct sw_profile *pf = &p->profiles[t->profile];
	if (id >= pf->max || !(group ? pf->groups[id].used : pf->members[id].used))
		return p4l_errf(err, -ENOENT, "action profile %s has no %s %u", pf->name,
				group ? "group" : "member", id);
	uint8_t b[4] = { (uint8_t)(id >> 24), (uint8_t)(id >> 16), (uint8_t)(id >> 8), (uint8_t)id };
	struct sw_bytes arg = { b, 4 };
	return sw_table_add(sw, table, keys, priority, group ? pf->act_group : pf->act_member, &arg,
			    err);
}
