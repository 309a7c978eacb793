/* pre.c - the control-plane side of v1model state (pre.h, switch.h):
 * multicast groups, clone sessions, egress queues, the digest queue,
 * register writes, parse value sets, action profiles and custom CRC
 * parameters.  Called by the STF runner and control planes, one writer at a
 * time, while packets may run: exec.c reads what is published here (pre.h
 * says how).  CRC parameters alone wait for the dataplane to stop. */
#include "pre.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "switch.h"
#include "table.h"

struct sw_pre *sw_pre_new(void)
{
	struct sw_pre *pre = calloc(1, sizeof(*pre));
	if (!pre)
		return NULL;
	pthread_mutex_init(&pre->lock, NULL);
	return pre;
}

/* Publication: a release store the dataplane reads with an acquire load. */
#define PUBLISH(ptr, v) __atomic_store_n(&(ptr), (v), __ATOMIC_RELEASE)
#define READ(ptr) __atomic_load_n(&(ptr), __ATOMIC_ACQUIRE)
/* Publishes v in ptr's place and retires the old value, which packets may
 * still be reading, through RCU. */
#define REPLACE(ptr, v) sw_rcu_retire(__atomic_exchange_n(&(ptr), (v), __ATOMIC_ACQ_REL))

void sw_pre_free(struct sw_pre *pre)
{
	if (!pre)
		return;
	for (size_t i = 0; pre->mc && i < pre->mc->n; i++)
		free(pre->mc->g[i]);
	free(pre->mc);
	free(pre->sessions);
	free(pre->q);
	for (int i = 0; i < SW_DROP_PORT; i++) {
		if (pre->queues[i])
			free(pre->queues[i]->deq);
		free(pre->queues[i]);
	}
	pthread_mutex_destroy(&pre->lock);
	free(pre);
	sw_rcu_flush();  /* what was retired while the switch lived */
}

/* Index of the first group with id >= id. */
static size_t group_pos(const struct sw_mctab *t, uint32_t id)
{
	size_t lo = 0, hi = t ? t->n : 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t->g[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct sw_mcgroup *sw_pre_group(const struct sw_pre *pre, uint32_t id)
{
	const struct sw_mctab *t = READ(pre->mc);
	size_t i = group_pos(t, id);
	return t && i < t->n && t->g[i]->id == id ? t->g[i] : NULL;
}

bool sw_pre_session(const struct sw_pre *pre, uint32_t id, struct sw_session *s)
{
	const uint64_t *ss = READ(pre->sessions);
	uint64_t w = ss && id < SW_MAX_SESSIONS ? __atomic_load_n(&ss[id], __ATOMIC_RELAXED) : 0;
	if (!(w >> 63))
		return false;
	s->port = (int32_t)((w >> 32) & 0xffff) - 1;
	s->group = (uint32_t)w;
	return true;
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

/* The control plane's writes (pre.h: they may run while packets do). */
static struct sw_plan *live(struct sw_switch *sw)
{
	return sw_plan_of(sw);
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
	struct sw_queue *q = port < SW_DROP_PORT ? READ(pre->queues[port]) : NULL;
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
	struct sw_plan *p = live(sw);
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
		sw_rcu_retire(old->deq);
		sw_rcu_retire(old);
	}
	PUBLISH(p->pre->queues[port], q);
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
	struct sw_plan *p = live(sw);
	struct sw_pre *pre = p->pre;
	if (group == 0 || group > 0xffff)
		return p4l_errf(err, -EINVAL, "multicast group %u: groups go from 1 to 65535", group);
	for (size_t i = 0; i < n; i++)
		if (r[i].port >= SW_DROP_PORT)
			return p4l_errf(err, -EINVAL, "multicast group %u: replica %zu: port %u is not "
					"a port (0-%d)", group, i, r[i].port, SW_DROP_PORT - 1);
	struct sw_mctab *old = pre->mc;
	size_t on = old ? old->n : 0, i = group_pos(old, group);
	bool replace = i < on && old->g[i]->id == group;
	struct sw_mcgroup *g = malloc(sizeof(*g) + (n + 1) * sizeof(*g->r));
	struct sw_mctab *t = malloc(sizeof(*t) + (on + 1) * sizeof(*t->g));
	if (!g || !t) {
		free(g);
		free(t);
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	g->id = group;
	g->n = n;
	if (n)
		memcpy(g->r, r, n * sizeof(*g->r));
	t->n = on + !replace;
	if (i)
		memcpy(t->g, old->g, i * sizeof(*t->g));
	t->g[i] = g;
	if (on > i + replace)
		memcpy(t->g + i + 1, old->g + i + replace, (on - i - replace) * sizeof(*t->g));
	PUBLISH(pre->mc, t);
	if (replace)
		sw_rcu_retire(old->g[i]);
	sw_rcu_retire(old);
	return 0;
}

int sw_mc_group_delete(struct sw_switch *sw, uint32_t group, struct p4l_err *err)
{
	struct sw_pre *pre = live(sw)->pre;
	struct sw_mctab *old = pre->mc;
	size_t i = group_pos(old, group);
	if (!old || i == old->n || old->g[i]->id != group)
		return p4l_errf(err, -ENOENT, "no multicast group %u", group);
	struct sw_mctab *t = malloc(sizeof(*t) + old->n * sizeof(*t->g));
	if (!t)
		return p4l_errf(err, -ENOMEM, "out of memory");
	t->n = old->n - 1;
	memcpy(t->g, old->g, i * sizeof(*t->g));
	memcpy(t->g + i, old->g + i + 1, (old->n - i - 1) * sizeof(*t->g));
	PUBLISH(pre->mc, t);
	sw_rcu_retire(old->g[i]);
	sw_rcu_retire(old);
	return 0;
}

int sw_clone_session_set(struct sw_switch *sw, uint32_t session, int32_t port, uint32_t group,
			 struct p4l_err *err)
{
	struct sw_pre *pre = live(sw)->pre;
	if (session >= SW_MAX_SESSIONS)
		return p4l_errf(err, -EINVAL, "clone session %u: sessions go from 0 to %d", session,
				SW_MAX_SESSIONS - 1);
	if (port >= SW_DROP_PORT || port < -1)
		return p4l_errf(err, -EINVAL, "clone session %u: port %d is not a port (0-%d)", session,
				port, SW_DROP_PORT - 1);
	if (group > 0xffff)
		return p4l_errf(err, -EINVAL, "clone session %u: multicast group %u is out of range",
				session, group);
	if (!pre->sessions) {
		uint64_t *ss = calloc(SW_MAX_SESSIONS, sizeof(*ss));
		if (!ss)
			return p4l_errf(err, -ENOMEM, "out of memory");
		PUBLISH(pre->sessions, ss);
	}
	uint64_t w = UINT64_C(1) << 63 | (uint64_t)(port + 1) << 32 | group;
	__atomic_store_n(&pre->sessions[session], w, __ATOMIC_RELAXED);
	return 0;
}

int sw_clone_session_delete(struct sw_switch *sw, uint32_t session, struct p4l_err *err)
{
	struct sw_pre *pre = live(sw)->pre;
	struct sw_session s;
	if (!sw_pre_session(pre, session, &s))
		return p4l_errf(err, -ENOENT, "no clone session %u", session);
	__atomic_store_n(&pre->sessions[session], 0, __ATOMIC_RELAXED);
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

/* The element of arr (n elements of size bytes, each with its char *name
 * at name_off) named name in full, or else the one whose name ends in
 * ".name"; NULL with err set when none or several do.  what is the kind of
 * element, for the message. */
static void *find_named(void *arr, size_t n, size_t size, size_t name_off, const char *name,
			const char *what, struct p4l_err *err)
{
	void *found = NULL;
	int matches = 0;
	for (size_t i = 0; i < n; i++) {
		char *el = (char *)arr + i * size;
		const char *full;
		memcpy(&full, el + name_off, sizeof(full));
		if (!strcmp(full, name))
			return el;
		if (sw_name_matches(full, name))
			found = el, matches++;
	}
	if (matches == 1)
		return found;
	p4l_errf(err, matches ? -EINVAL : -ENOENT, matches ? "%s name '%s' is ambiguous" :
		 "no %s named '%s'", what, name);
	return NULL;
}

#define FIND_NAMED(arr, n, nm, what, err) \
	find_named((arr), (n), sizeof(*(arr)), offsetof(__typeof__(*(arr)), name), (nm), (what), (err))

static struct sw_register *find_register(struct sw_plan *p, const char *name, struct p4l_err *err)
{
	return FIND_NAMED(p->registers, p->n_registers, name, "register", err);
}

int sw_register_write(struct sw_switch *sw, const char *name, uint32_t index, uint64_t value,
		      struct p4l_err *err)
{
	struct sw_register *rg = find_register(live(sw), name, err);
	if (!rg)
		return err ? err->code : -EINVAL;
	if (index >= rg->size)
		return p4l_errf(err, -ERANGE, "register %s has %u cells, not %u", name, rg->size,
				index + 1);
	if (rg->width < 64 && value >> rg->width)
		return p4l_errf(err, -ERANGE, "register %s: value %llu does not fit in %u bits", name,
				(unsigned long long)value, rg->width);
	__atomic_store_n(&rg->cells[index], value, __ATOMIC_RELAXED);
	return 0;
}

int sw_register_reset(struct sw_switch *sw, const char *name, struct p4l_err *err)
{
	struct sw_register *rg = find_register(live(sw), name, err);
	if (!rg)
		return err ? err->code : -EINVAL;
	for (uint32_t i = 0; i < rg->size; i++)
		__atomic_store_n(&rg->cells[i], 0, __ATOMIC_RELAXED);
	return 0;
}

int sw_calc_set_crc(struct sw_switch *sw, const char *calc, uint32_t poly, uint32_t init,
		    uint32_t xor_out, bool refin, bool refout, struct p4l_err *err)
{
	struct sw_plan *p = writable(sw, "setting CRC parameters", err);
	if (!p)
		return err ? err->code : -EBUSY;
	struct sw_calc *c = FIND_NAMED(p->calcs, p->n_calcs, calc, "calculation", err);
	if (!c)
		return err ? err->code : -ENOENT;
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

/* ---- parse value sets ----------------------------------------------------- */

static struct sw_vset *find_vset(struct sw_plan *p, const char *name, struct p4l_err *err)
{
	return FIND_NAMED(p->vsets, p->n_vsets, name, "parse value set", err);
}

/* The value as the set stores it (nb bytes); -ERANGE if it does not fit. */
static int vset_value(const struct sw_vset *vs, const struct sw_bytes *v, uint8_t *out,
		      struct p4l_err *err)
{
	if (sw_fit_value(out, (vs->width + 7) / 8, vs->width, v) < 0)
		return p4l_errf(err, -ERANGE, "value set %s: value does not fit in %u bits", vs->name,
				vs->width);
	return 0;
}

/* Publishes vs's values as old's without value skip (SW_NONE: none) plus
 * add (NULL: none). */
static int vset_publish(struct sw_vset *vs, const struct sw_vals *old, uint32_t skip,
			const uint8_t *add, struct p4l_err *err)
{
	uint32_t nb = (vs->width + 7) / 8, on = old ? old->n : 0;
	struct sw_vals *v = malloc(sizeof(*v) + (size_t)(on + 1) * nb);
	if (!v)
		return p4l_errf(err, -ENOMEM, "out of memory");
	v->n = 0;
	for (uint32_t i = 0; i < on; i++)
		if (i != skip)
			memcpy(v->v + (size_t)v->n++ * nb, old->v + (size_t)i * nb, nb);
	if (add)
		memcpy(v->v + (size_t)v->n++ * nb, add, nb);
	PUBLISH(vs->vals, v);
	sw_rcu_retire((void *)old);
	return 0;
}

/* Index of the value in buf, SW_NONE if the set does not hold it. */
static uint32_t vset_find(const struct sw_vset *vs, const uint8_t *buf)
{
	uint32_t nb = (vs->width + 7) / 8;
	for (uint32_t i = 0; vs->vals && i < vs->vals->n; i++)
		if (!memcmp(vs->vals->v + (size_t)i * nb, buf, nb))
			return i;
	return SW_NONE;
}

int sw_vset_add(struct sw_switch *sw, const char *name, const struct sw_bytes *value,
		struct p4l_err *err)
{
	struct sw_vset *vs = find_vset(live(sw), name, err);
	uint8_t buf[SW_MAX_KEY_BYTES];
	int r;
	if (!vs)
		return err ? err->code : -EINVAL;
	if ((r = vset_value(vs, value, buf, err)))
		return r;
	if (vset_find(vs, buf) != SW_NONE)
		return p4l_errf(err, -EEXIST, "value set %s already holds that value", vs->name);
	if (vs->vals && vs->vals->n == vs->max)
		return p4l_errf(err, -ENOSPC, "value set %s is full (%u values)", vs->name, vs->max);
	return vset_publish(vs, vs->vals, SW_NONE, buf, err);
}

int sw_vset_remove(struct sw_switch *sw, const char *name, const struct sw_bytes *value,
		   struct p4l_err *err)
{
	struct sw_vset *vs = find_vset(live(sw), name, err);
	uint8_t buf[SW_MAX_KEY_BYTES];
	int r;
	if (!vs)
		return err ? err->code : -EINVAL;
	if ((r = vset_value(vs, value, buf, err)))
		return r;
	uint32_t i = vset_find(vs, buf);
	if (i == SW_NONE)
		return p4l_errf(err, -ENOENT, "value set %s does not hold that value", vs->name);
	return vset_publish(vs, vs->vals, i, NULL, err);
}

int sw_vset_clear(struct sw_switch *sw, const char *name, struct p4l_err *err)
{
	struct sw_vset *vs = find_vset(live(sw), name, err);
	if (!vs)
		return err ? err->code : -EINVAL;
	REPLACE(vs->vals, NULL);
	return 0;
}

/* ---- action profiles ------------------------------------------------------- */

static struct sw_profile *find_profile(struct sw_plan *p, const char *name, struct p4l_err *err)
{
	return FIND_NAMED(p->profiles, p->n_profiles, name, "action profile", err);
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
		if (sw_fit_value(out + pa->off, (pa->width + 7) / 8, pa->width, &args[i]) < 0)
			return p4l_errf(err, -ERANGE, "action %s parameter %s: value does not fit in "
					"%u bits", a->name, pa->name, pa->width);
	}
	return 0;
}

int sw_profile_member_set(struct sw_switch *sw, const char *profile, uint32_t member,
			  size_t action, const struct sw_bytes *args, struct p4l_err *err)
{
	struct sw_plan *p = live(sw);
	struct sw_profile *pf = find_profile(p, profile, err);
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
	struct sw_member *m = calloc(1, sizeof(*m) + a->args_len + 1);
	if (!m)
		return p4l_errf(err, -ENOMEM, "out of memory");
	m->action = (uint32_t)action;
	int r = pack_args(a, args, m->args, err);
	if (r) {
		free(m);
		return r;
	}
	REPLACE(pf->members[member], m);
	return 0;
}

int sw_profile_member_delete(struct sw_switch *sw, const char *profile, uint32_t member,
			     struct p4l_err *err)
{
	struct sw_profile *pf = find_profile(live(sw), profile, err);
	if (!pf)
		return err ? err->code : -EINVAL;
	if (member >= pf->max || !pf->members[member])
		return p4l_errf(err, -ENOENT, "action profile %s has no member %u", pf->name, member);
	for (uint32_t g = 0; g < pf->max; g++)
		for (size_t i = 0; pf->groups[g] && i < pf->groups[g]->n; i++)
			if (pf->groups[g]->members[i] == member)
				return p4l_errf(err, -EBUSY, "action profile %s: member %u is in group %u",
						pf->name, member, g);
	REPLACE(pf->members[member], NULL);
	return 0;
}

int sw_profile_group_set(struct sw_switch *sw, const char *profile, uint32_t group,
			 const uint32_t *members, size_t n, struct p4l_err *err)
{
	struct sw_profile *pf = find_profile(live(sw), profile, err);
	if (!pf)
		return err ? err->code : -EINVAL;
	if (pf->selector == SW_NONE)
		return p4l_errf(err, -EINVAL, "action profile %s has no selector: no groups", pf->name);
	if (group >= pf->max)
		return p4l_errf(err, -ERANGE, "action profile %s: group ids go from 0 to %u", pf->name,
				pf->max - 1);
	for (size_t i = 0; i < n; i++)
		if (members[i] >= pf->max || !pf->members[members[i]])
			return p4l_errf(err, -ENOENT, "action profile %s has no member %u", pf->name,
					members[i]);
	struct sw_group *g = malloc(sizeof(*g) + (n + 1) * sizeof(*g->members));
	if (!g)
		return p4l_errf(err, -ENOMEM, "out of memory");
	g->n = n;
	if (n)
		memcpy(g->members, members, n * sizeof(*g->members));
	REPLACE(pf->groups[group], g);
	return 0;
}

int sw_profile_group_delete(struct sw_switch *sw, const char *profile, uint32_t group,
			    struct p4l_err *err)
{
	struct sw_profile *pf = find_profile(live(sw), profile, err);
	if (!pf)
		return err ? err->code : -EINVAL;
	if (group >= pf->max || !pf->groups[group])
		return p4l_errf(err, -ENOENT, "action profile %s has no group %u", pf->name, group);
	REPLACE(pf->groups[group], NULL);
	return 0;
}

int sw_table_add_ref(struct sw_switch *sw, size_t table, const struct sw_key *keys,
		     int32_t priority, bool group, uint32_t id, struct p4l_err *err)
{
	struct sw_plan *p = sw_plan_of(sw);
	if (table >= p->n_tables)
		return p4l_errf(err, -EINVAL, "no table %zu (the program has %zu)", table, p->n_tables);
	const struct sw_table *t = &p->tables[table];
	if (t->profile == SW_NONE)
		return p4l_errf(err, -EINVAL, "table %s has no action profile: give an action", t->name);
	const struct sw_profile *pf = &p->profiles[t->profile];
	if (id >= pf->max || !(group ? (void *)pf->groups[id] : (void *)pf->members[id]))
		return p4l_errf(err, -ENOENT, "action profile %s has no %s %u", pf->name,
				group ? "group" : "member", id);
	uint8_t b[4] = { (uint8_t)(id >> 24), (uint8_t)(id >> 16), (uint8_t)(id >> 8), (uint8_t)id };
	struct sw_bytes arg = { b, 4 };
	return sw_table_add(sw, table, keys, priority, group ? pf->act_group : pf->act_member, &arg,
			    err);
}

int sw_action_ref(const struct sw_switch *sw, size_t action)
{
	const struct sw_plan *p = sw_plan_of(sw);
	for (size_t i = 0; i < p->n_profiles; i++) {
		if (action == p->profiles[i].act_member)
			return 1;
		if (action == p->profiles[i].act_group)
			return 2;
	}
	return 0;
}

/* ---- direct meters ----------------------------------------------------------- */

/* The canonical key bytes of an entry of t (as table.c keeps them): each
 * part right-aligned, the mask an lpm prefix or the ternary mask (all ones
 * for exact parts), the value masked. */
static int entry_key(const struct sw_plan *p, const struct sw_table *t, const struct sw_key *keys,
		     uint8_t *v, uint8_t *m, struct p4l_err *err)
{
	memset(m, 0xff, t->key_len);
	memset(v, 0, t->key_len);
	for (size_t i = 0; i < t->n_keys; i++) {
		const struct sw_key_part *k = &t->keys[i];
		const struct sw_bytes *x[2] = { &keys[i].value, &keys[i].mask };
		uint8_t *d[2] = { v + k->off, m + k->off };
		if (k->info.kind == SW_MATCH_RANGE || k->info.kind == SW_MATCH_OPTIONAL)
			return p4l_errf(err, -EINVAL, "table %s: direct meters of tables with range or "
					"optional keys cannot be set yet", t->name);
		for (int j = 0; j < (k->info.kind == SW_MATCH_TERNARY ? 2 : 1); j++)
			if (sw_fit_value(d[j], k->nbytes, k->f.width, x[j]) < 0)
				return p4l_errf(err, -ERANGE, "key %s: value does not fit in %u bits",
						k->info.name, k->f.width);
		if (k->info.kind == SW_MATCH_LPM) {
			if (keys[i].prefix_len > k->f.width)
				return p4l_errf(err, -ERANGE, "key %s: prefix length %u is longer than %u bits",
						k->info.name, keys[i].prefix_len, k->f.width);
			sw_prefix_mask(m + k->off, k->nbytes, k->f.width, keys[i].prefix_len);
		}
	}
	if (t->kind == SW_MATCH_EXACT)
		memset(m, 0xff, t->key_len);
	for (size_t i = 0; i < t->n_keys; i++) {
		const struct sw_key_part *k = &t->keys[i];
		for (uint32_t j = 0; j < k->nbytes; j++) {
			if (k->mask != SW_NONE)
				m[k->off + j] &= p->pool[k->mask + j];
			v[k->off + j] &= m[k->off + j];
		}
	}
	return 0;
}

int sw_table_meter_set(struct sw_switch *sw, size_t table, const struct sw_key *keys,
		       int32_t priority, double cir, double cburst, double pir, double pburst,
		       struct p4l_err *err)
{
	struct sw_plan *p = live(sw);
	uint8_t v[SW_MAX_KEY_BYTES], m[SW_MAX_KEY_BYTES];
	if (table >= p->n_tables)
		return p4l_errf(err, -EINVAL, "no table %zu (the program has %zu)", table, p->n_tables);
	struct sw_table *t = &p->tables[table];
	if (!t->metered)
		return p4l_errf(err, -EINVAL, "table %s has no direct meter", t->name);
	if (!(cir >= 0 && pir >= cir && cburst >= 0 && pburst >= 0))
		return p4l_errf(err, -EINVAL, "table %s: rates and bursts must be >= 0, and the peak "
				"rate at least the committed one", t->name);
	int r = entry_key(p, t, keys, v, m, err);
	if (r)
		return r;
	int32_t prio = t->kind == SW_MATCH_TERNARY ? priority : 0;
	for (size_t i = 0; t->kind == SW_MATCH_LPM && i < t->n_keys; i++)
		if (t->keys[i].info.kind == SW_MATCH_LPM)
			prio = (int32_t)keys[i].prefix_len;
	for (struct sw_entry *e = t->all; e; e = e->next_all)
		if (e->priority == prio && !memcmp(e->key, v, t->key_len) &&
		    !memcmp(e->key + t->key_len, m, t->key_len)) {
			sw_meter_cell_set(sw, &e->meter, cir, cburst, pir, pburst);
			return 0;
		}
	return p4l_errf(err, -ENOENT, "table %s has no entry with that key", t->name);
}
