/* table.c - table entries on the plan: insertion into the table's match engine,
 * default entries, teardown.  See table.h. */
#include "table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void sw_prefix_mask(uint8_t *mask, uint32_t nbytes, uint32_t width, uint32_t plen)
{
	uint32_t pad = nbytes * 8 - width;
	memset(mask, 0, nbytes);
	for (uint32_t b = pad; b < pad + plen; b++)
		mask[b / 8] |= (uint8_t)(0x80 >> (b % 8));
}

/* A new entry; val/mask (NULL for a default entry) are kept for reading back. */
static struct sw_entry *new_entry(const struct sw_plan *p, const struct sw_table *t,
				  uint32_t action, const uint8_t *args, int32_t prio,
				  const uint8_t *val, const uint8_t *mask, struct p4l_err *err)
{
	size_t slot;
	for (slot = 0; slot < t->n_actions; slot++)
		if (t->actions[slot] == action)
			break;
	if (slot == t->n_actions) {
		p4l_errf(err, -EINVAL, "table %s: action %s is not one of its actions", t->name,
			 p->actions[action].name);
		return NULL;
	}
	uint32_t n = p->actions[action].args_len, kl = val ? t->key_len : 0;
	struct sw_entry *e = calloc(1, sizeof(*e) + n + 2 * (size_t)kl + 1);
	if (!e) {
		p4l_errf(err, -ENOMEM, "table %s: out of memory", t->name);
		return NULL;
	}
	e->action = action;
	e->slot = (uint32_t)slot;
	e->priority = prio;
	if (n)
		memcpy(e->args, args, n);
	e->key = e->args + n;
	if (kl) {
		memcpy(e->key, val, kl);
		memcpy(e->key + kl, mask, kl);
	}
	return e;
}

/* The canonical form of a key: static masks applied, the value masked
 * (exact tables: all ones). */
static void normalize(const struct sw_plan *p, const struct sw_table *t, const uint8_t *val,
		      const uint8_t *mask, uint8_t *v, uint8_t *m)
{
	memcpy(v, val, t->key_len);
	memcpy(m, mask, t->key_len);
	if (t->kind == SW_MATCH_EXACT)
		memset(m, 0xff, t->key_len);
	for (size_t i = 0; i < t->n_keys; i++) {
		const struct sw_key_part *k = &t->keys[i];
		if (k->mask != SW_NONE)
			for (uint32_t j = 0; j < k->nbytes; j++)
				m[k->off + j] &= p->pool[k->mask + j];
	}
	for (uint32_t j = 0; j < t->key_len; j++)
		v[j] &= m[j];
}

static int engine_error(const struct sw_table *t, int r, struct p4l_err *err)
{
	if (r == -EEXIST)
		return p4l_errf(err, r, "table %s: an entry with this key already exists", t->name);
	if (r == -ENOENT)
		return p4l_errf(err, r, "table %s: no entry with this key", t->name);
	if (r == -ENOSPC)
		return p4l_errf(err, r, "table %s is full (%u entries)", t->name, t->max_size);
	return p4l_errf(err, r, "table %s: out of memory", t->name);
}

static void unlink_entry(struct sw_table *t, struct sw_entry *e)
{
	for (struct sw_entry **pp = &t->all; *pp; pp = &(*pp)->next_all)
		if (*pp == e) {
			*pp = e->next_all;
			return;
		}
}

int sw_tbl_insert(struct sw_plan *p, struct sw_table *t, const uint8_t *val,
		  const uint8_t *mask, int32_t prio, uint32_t action, const uint8_t *args,
		  struct p4l_err *err)
{
	uint8_t v[SW_MAX_KEY_BYTES], m[SW_MAX_KEY_BYTES];
	int r;
	if (t->immutable)
		return p4l_errf(err, -EPERM, "table %s: its entries are fixed by the program", t->name);
	if (!t->engine) {
		t->ops = sw_engine_get(t->kind == SW_MATCH_EXACT ? SW_ENGINE_EXACT : SW_ENGINE_TCAM);
		t->engine = t->ops->create(t->key_len, t->max_size);
		if (!t->engine)
			return p4l_errf(err, -ENOMEM, "table %s: out of memory", t->name);
	}
	normalize(p, t, val, mask, v, m);
	struct sw_entry *e = new_entry(p, t, action, args, prio, v, m, err);
	if (!e)
		return err ? err->code : -ENOMEM;
	r = t->ops->add(t->engine, v, m, prio, e);
	if (r < 0) {
		free(e);
		return engine_error(t, r, err);
	}
	e->next_all = t->all;
	t->all = e;
	t->n_entries++;
	return 0;
}

int sw_tbl_delete(struct sw_plan *p, struct sw_table *t, const uint8_t *val,
		  const uint8_t *mask, int32_t prio, struct p4l_err *err)
{
	uint8_t v[SW_MAX_KEY_BYTES], m[SW_MAX_KEY_BYTES];
	void *old;
	if (t->immutable)
		return p4l_errf(err, -EPERM, "table %s: its entries are fixed by the program", t->name);
	if (!t->engine)
		return engine_error(t, -ENOENT, err);
	normalize(p, t, val, mask, v, m);
	int r = t->ops->del(t->engine, v, m, prio, &old);
	if (r < 0)
		return engine_error(t, r, err);
	unlink_entry(t, old);
	free(old);
	t->n_entries--;
	return 0;
}

int sw_tbl_modify(struct sw_plan *p, struct sw_table *t, const uint8_t *val,
		  const uint8_t *mask, int32_t prio, uint32_t action, const uint8_t *args,
		  struct p4l_err *err)
{
	uint8_t v[SW_MAX_KEY_BYTES], m[SW_MAX_KEY_BYTES];
	void *old;
	if (t->immutable)
		return p4l_errf(err, -EPERM, "table %s: its entries are fixed by the program", t->name);
	if (!t->engine)
		return engine_error(t, -ENOENT, err);
	normalize(p, t, val, mask, v, m);
	struct sw_entry *e = new_entry(p, t, action, args, prio, v, m, err);
	if (!e)
		return err ? err->code : -ENOMEM;
	int r = t->ops->modify(t->engine, v, m, prio, e, &old);
	if (r < 0) {
		free(e);
		return engine_error(t, r, err);
	}
	unlink_entry(t, old);
	free(old);
	e->next_all = t->all;
	t->all = e;
	return 0;
}

int sw_tbl_set_default(struct sw_plan *p, struct sw_table *t, uint32_t action,
		       const uint8_t *args, struct p4l_err *err)
{
	if (t->def_const)
		return p4l_errf(err, -EPERM, "table %s: its default action is fixed by the program",
				t->name);
	struct sw_entry *e = new_entry(p, t, action, args, 0, NULL, NULL, err);
	if (!e)
		return err ? err->code : -ENOMEM;
	free(t->def);
	t->def = e;
	return 0;
}

void sw_tbl_fini(struct sw_table *t)
{
	if (t->ops)
		t->ops->free(t->engine);
	for (struct sw_entry *e = t->all, *n; e; e = n) {
		n = e->next_all;
		free(e);
	}
	free(t->def);
	for (size_t i = 0; i < t->n_keys; i++)
		free((char *)t->keys[i].info.name);
	free(t->keys);
	free(t->kinfo);
	free(t->actions);
	free(t->action_next);
	free(t->name);
}
