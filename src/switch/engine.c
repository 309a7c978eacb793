/* engine.c - the first match engines (see engine.h): an exact-match hash table
 * and a priority-ordered TCAM list for lpm and ternary.  Called by table.c. */
#include "engine.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- exact: open addressing, linear probing, tombstones ---------------- */

struct exact {
	uint32_t key_len, max_size, count, used;  /* used: full + tombstones */
	uint32_t cap;                             /* power of two */
	uint8_t **keys;                           /* NULL empty, TOMB deleted */
	void **data;
};

static uint8_t tomb_byte;
#define TOMB (&tomb_byte)

static uint32_t hash_key(const uint8_t *k, uint32_t n)
{
	uint32_t h = 2166136261u;
	for (uint32_t i = 0; i < n; i++)
		h = (h ^ k[i]) * 16777619u;
	return h ^ (h >> 15);
}

static void *exact_create(uint32_t key_len, uint32_t max_size)
{
	struct exact *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->key_len = key_len;
	e->max_size = max_size;
	e->cap = 16;
	e->keys = calloc(e->cap, sizeof(*e->keys));
	e->data = calloc(e->cap, sizeof(*e->data));
	if (!e->keys || !e->data) {
		free(e->keys);
		free(e->data);
		free(e);
		return NULL;
	}
	return e;
}

/* Slot holding key, or the slot to insert it at (first tombstone or empty). */
static uint32_t exact_find(const struct exact *e, const uint8_t *key, bool *found)
{
	uint32_t m = e->cap - 1, i = hash_key(key, e->key_len) & m, ins = UINT32_MAX;
	for (;; i = (i + 1) & m) {
		uint8_t *k = e->keys[i];
		if (!k) {
			*found = false;
			return ins != UINT32_MAX ? ins : i;
		}
		if (k == TOMB) {
			if (ins == UINT32_MAX)
				ins = i;
		} else if (!memcmp(k, key, e->key_len)) {
			*found = true;
			return i;
		}
	}
}

static int exact_grow(struct exact *e)
{
	uint32_t ncap = e->cap;
	while (ncap < 4 * (e->count + 1))
		ncap *= 2;
	uint8_t **ok = e->keys;
	void **od = e->data;
	uint32_t ocap = e->cap;
	e->keys = calloc(ncap, sizeof(*e->keys));
	e->data = calloc(ncap, sizeof(*e->data));
	if (!e->keys || !e->data) {
		free(e->keys);
		free(e->data);
		e->keys = ok, e->data = od;
		return -ENOMEM;
	}
	e->cap = ncap;
	e->used = e->count;
	for (uint32_t i = 0; i < ocap; i++) {
		bool f;
		if (!ok[i] || ok[i] == TOMB)
			continue;
		uint32_t s = exact_find(e, ok[i], &f);
		e->keys[s] = ok[i];
		e->data[s] = od[i];
	}
	free(ok);
	free(od);
	return 0;
}

static int exact_add(void *p, const uint8_t *v, const uint8_t *m, int32_t prio, void *data)
{
	struct exact *e = p;
	bool found;
	(void)m, (void)prio;
	if (e->count >= e->max_size)
		return -ENOSPC;
	if (2 * (e->used + 1) > e->cap) {
		int r = exact_grow(e);
		if (r < 0)
			return r;
	}
	uint32_t s = exact_find(e, v, &found);
	if (found)
		return -EEXIST;
	uint8_t *k = malloc(e->key_len ? e->key_len : 1);
	if (!k)
		return -ENOMEM;
	memcpy(k, v, e->key_len);
	if (!e->keys[s])
		e->used++;
	e->keys[s] = k;
	e->data[s] = data;
	e->count++;
	return 0;
}

static int exact_modify(void *p, const uint8_t *v, const uint8_t *m, int32_t prio, void *data,
			void **old)
{
	struct exact *e = p;
	bool found;
	(void)m, (void)prio;
	uint32_t s = exact_find(e, v, &found);
	if (!found)
		return -ENOENT;
	*old = e->data[s];
	e->data[s] = data;
	return 0;
}

static int exact_del(void *p, const uint8_t *v, const uint8_t *m, int32_t prio, void **data)
{
	struct exact *e = p;
	bool found;
	(void)m, (void)prio;
	uint32_t s = exact_find(e, v, &found);
	if (!found)
		return -ENOENT;
	*data = e->data[s];
	free(e->keys[s]);
	e->keys[s] = TOMB;
	e->data[s] = NULL;
	e->count--;
	return 0;
}

static void *exact_lookup(const void *p, const uint8_t *key)
{
	const struct exact *e = p;
	bool found;
	uint32_t s = exact_find(e, key, &found);
	return found ? e->data[s] : NULL;
}

static void exact_free(void *p)
{
	struct exact *e = p;
	if (!e)
		return;
	for (uint32_t i = 0; i < e->cap; i++)
		if (e->keys[i] != TOMB)
			free(e->keys[i]);
	free(e->keys);
	free(e->data);
	free(e);
}

const struct sw_engine_ops sw_engine_exact = {
	"exact", exact_create, exact_add, exact_modify, exact_del, exact_lookup, exact_free,
};

/* ---- tcam: entries kept sorted by priority (descending, then insertion);
 * lookup takes the first entry whose masked value matches.  A linear scan:
 * simple and obviously correct, the reference the hardware-model TCAM of a
 * later issue will be tested against. ------------------------------------- */

struct tslot {
	int32_t prio;
	uint8_t *vm;      /* value (pre-masked) then mask, 2 * key_len bytes */
	void *data;
};

struct tcam {
	uint32_t key_len, max_size, n, cap;
	struct tslot *s;
};

static void *tcam_create(uint32_t key_len, uint32_t max_size)
{
	struct tcam *t = calloc(1, sizeof(*t));
	if (t) {
		t->key_len = key_len;
		t->max_size = max_size;
	}
	return t;
}

static int tcam_index(const struct tcam *t, const uint8_t *v, const uint8_t *m, int32_t prio)
{
	uint32_t L = t->key_len;
	for (uint32_t i = 0; i < t->n; i++) {
		const uint8_t *vm = t->s[i].vm;
		if (t->s[i].prio != prio || memcmp(vm + L, m, L))
			continue;
		uint32_t j = 0;
		while (j < L && vm[j] == (v[j] & m[j]))
			j++;
		if (j == L)
			return (int)i;
	}
	return -1;
}

static int tcam_add(void *p, const uint8_t *v, const uint8_t *m, int32_t prio, void *data)
{
	struct tcam *t = p;
	uint32_t L = t->key_len;
	if (t->n >= t->max_size)
		return -ENOSPC;
	if (tcam_index(t, v, m, prio) >= 0)
		return -EEXIST;
	if (t->n == t->cap) {
		uint32_t nc = t->cap ? 2 * t->cap : 8;
		struct tslot *ns = realloc(t->s, nc * sizeof(*ns));
		if (!ns)
			return -ENOMEM;
		t->s = ns;
		t->cap = nc;
	}
	uint8_t *vm = malloc(2 * (size_t)L + 1);
	if (!vm)
		return -ENOMEM;
	for (uint32_t j = 0; j < L; j++) {
		vm[j] = v[j] & m[j];
		vm[L + j] = m[j];
	}
	uint32_t pos = 0;
	while (pos < t->n && t->s[pos].prio >= prio)
		pos++;
	memmove(&t->s[pos + 1], &t->s[pos], (t->n - pos) * sizeof(*t->s));
	t->s[pos] = (struct tslot){ prio, vm, data };
	t->n++;
	return 0;
}

static int tcam_modify(void *p, const uint8_t *v, const uint8_t *m, int32_t prio, void *data,
		       void **old)
{
	struct tcam *t = p;
	int i = tcam_index(t, v, m, prio);
	if (i < 0)
		return -ENOENT;
	*old = t->s[i].data;
	t->s[i].data = data;
	return 0;
}

static int tcam_del(void *p, const uint8_t *v, const uint8_t *m, int32_t prio, void **data)
{
	struct tcam *t = p;
	int i = tcam_index(t, v, m, prio);
	if (i < 0)
		return -ENOENT;
	*data = t->s[i].data;
	free(t->s[i].vm);
	memmove(&t->s[i], &t->s[i + 1], (t->n - (uint32_t)i - 1) * sizeof(*t->s));
	t->n--;
	return 0;
}

static void *tcam_lookup(const void *p, const uint8_t *key)
{
	const struct tcam *t = p;
	uint32_t L = t->key_len;
	for (uint32_t i = 0; i < t->n; i++) {
		const uint8_t *vm = t->s[i].vm;
		uint32_t j = 0;
		while (j < L && (key[j] & vm[L + j]) == vm[j])
			j++;
		if (j == L)
			return t->s[i].data;
	}
	return NULL;
}

static void tcam_free(void *p)
{
	struct tcam *t = p;
	if (!t)
		return;
	for (uint32_t i = 0; i < t->n; i++)
		free(t->s[i].vm);
	free(t->s);
	free(t);
}

const struct sw_engine_ops sw_engine_tcam = {
	"tcam", tcam_create, tcam_add, tcam_modify, tcam_del, tcam_lookup, tcam_free,
};

const struct sw_engine_ops *sw_engine_get(enum sw_engine_kind kind)
{
	static const struct sw_engine_ops *const reg[SW_ENGINE_COUNT] = {
		[SW_ENGINE_EXACT] = &sw_engine_exact,
		[SW_ENGINE_TCAM] = &sw_engine_tcam,
	};
	return (unsigned)kind < SW_ENGINE_COUNT ? reg[kind] : NULL;
}
