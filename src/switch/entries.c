/* entries.c - table entries from a file in the p4lang/tutorials runtime.json
 * form, and the text values they use.  Called by p4lab-switch --entries (and
 * by the emulator through it).  Errors name the file and the entry index. */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "switch.h"

int sw_value_parse(const char *s, uint8_t *buf, size_t cap, size_t *len)
{
	uint8_t tmp[16];
	unsigned m[6];
	char end;
	size_t n = 0;
	if (!*s)
		return -EINVAL;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &end) == 6 &&
	    strlen(s) == 17) {
		for (int i = 0; i < 6; i++)
			tmp[i] = (uint8_t)m[i];
		n = 6;
	} else if (inet_pton(AF_INET, s, tmp) == 1) {
		n = 4;
	} else if (strchr(s, ':') && inet_pton(AF_INET6, s, tmp) == 1) {
		n = 16;
	}
	if (n) {
		if (n > cap)
			return -ERANGE;
		memcpy(buf, tmp, n);
		*len = n;
		return 0;
	}
	bool neg;
	int r;
	if (s[0] == '-')
		return -EINVAL;
	memset(buf, 0, cap);
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		/* as wide as its digits: "0x0001" is two bytes */
		n = (strlen(s + 2) + 1) / 2;
		if (n > cap)
			return -ERANGE;
		if ((r = ld_hex_bytes(s, buf, n, &neg)) < 0)
			return r;
		*len = n;
		return 0;
	}
	/* Decimal: into the whole buffer, then trimmed to its significant bytes. */
	if ((r = ld_hex_bytes(s, buf, cap, &neg)) < 0)
		return r;
	size_t skip = 0;
	while (skip + 1 < cap && !buf[skip])
		skip++;
	memmove(buf, buf + skip, cap - skip);
	*len = cap - skip;
	return 0;
}

struct ectx {
	const char *file;
	size_t idx;
	struct p4l_err *err;
};

/* A JSON value (string or non-negative integer) into bytes. */
static int json_value(const struct ectx *x, json_t *v, const char *what, uint8_t *buf,
		      size_t *len)
{
	int r;
	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);
		if (i < 0)
			return p4l_errf(x->err, -EINVAL, "%s: entry %zu: %s: negative value", x->file,
					x->idx, what);
		for (int k = 0; k < 8; k++)
			buf[k] = (uint8_t)((uint64_t)i >> (56 - 8 * k));
		*len = 8;
		return 0;
	}
	if (!json_is_string(v))
		return p4l_errf(x->err, -EINVAL, "%s: entry %zu: %s: a value must be a string or an "
				"integer", x->file, x->idx, what);
	r = sw_value_parse(json_string_value(v), buf, 64, len);
	if (r < 0)
		return p4l_errf(x->err, r, "%s: entry %zu: %s: '%s' is not a valid value", x->file,
				x->idx, what, json_string_value(v));
	return 0;
}

/* The kinds of ti's keys that make it a priority table, as words:
 * "ternary", "range and optional", "ternary, range and optional". */
static const char *priority_kinds(const struct sw_table_info *ti)
{
	static const char *const names[8] = {
		"ternary, range or optional", "ternary", "range", "ternary and range", "optional",
		"ternary and optional", "range and optional", "ternary, range and optional",
	};
	unsigned set = 0;
	for (size_t i = 0; i < ti->n_keys; i++)
		set |= ti->keys[i].kind == SW_MATCH_TERNARY ? 1u : ti->keys[i].kind == SW_MATCH_RANGE ?
		       2u : ti->keys[i].kind == SW_MATCH_OPTIONAL ? 4u : 0u;
	return names[set];
}

static int load_entry(struct sw_switch *sw, const struct ectx *x, json_t *e)
{
	struct p4l_err *err = x->err;
	json_t *tn = json_object_get(e, "table"), *an = json_object_get(e, "action_name");
	json_t *match = json_object_get(e, "match"), *params = json_object_get(e, "action_params");
	bool is_default = json_is_true(json_object_get(e, "default_action"));
	uint8_t kv[16][64], km[16][64], av[64][64];
	struct sw_key keys[16];
	struct sw_bytes args[64];
	int t, a, r;
	if (!json_is_object(e) || !json_is_string(tn) || !json_is_string(an))
		return p4l_errf(err, -EINVAL, "%s: entry %zu: needs \"table\" and \"action_name\"",
				x->file, x->idx);
	if ((t = sw_table_find(sw, json_string_value(tn), err)) < 0 ||
	    (a = sw_action_find(sw, (size_t)t, json_string_value(an), err)) < 0)
		return p4l_err_prefix(err, "%s: entry %zu", x->file, x->idx);
	const struct sw_table_info *ti = sw_table_get(sw, (size_t)t);
	const struct sw_action_info *ai = sw_action_get(sw, (size_t)a);
	if (ti->n_keys > 16 || ai->n_params > 64)
		return p4l_errf(err, -E2BIG, "%s: entry %zu: too many keys or parameters", x->file, x->idx);
	if (params && !json_is_object(params))
		return p4l_errf(err, -EINVAL, "%s: entry %zu: \"action_params\" must be an object",
				x->file, x->idx);
	const char *pk;
	json_t *pv;
	if (params) json_object_foreach(params, pk, pv) {
		size_t i;
		for (i = 0; i < ai->n_params; i++)
			if (!strcmp(ai->params[i].name, pk))
				break;
		if (i == ai->n_params)
			return p4l_errf(err, -EINVAL, "%s: entry %zu: action %s has no parameter '%s'",
					x->file, x->idx, ai->name, pk);
	}
	for (size_t i = 0; i < ai->n_params; i++) {
		json_t *v = params ? json_object_get(params, ai->params[i].name) : NULL;
		char what[256];
		snprintf(what, sizeof(what), "parameter %s", ai->params[i].name);
		if (!v)
			return p4l_errf(err, -EINVAL, "%s: entry %zu: action %s needs parameter '%s'",
					x->file, x->idx, ai->name, ai->params[i].name);
		if ((r = json_value(x, v, what, av[i], &args[i].len)))
			return r;
		args[i].data = av[i];
	}
	if (is_default) {
		if (match && json_object_size(match))
			return p4l_errf(err, -EINVAL, "%s: entry %zu: a default action takes no \"match\"",
					x->file, x->idx);
		r = sw_table_set_default(sw, (size_t)t, (size_t)a, args, err);
		return r ? p4l_err_prefix(err, "%s: entry %zu", x->file, x->idx) : 0;
	}
	if (match && !json_is_object(match))
		return p4l_errf(err, -EINVAL, "%s: entry %zu: \"match\" must be an object", x->file, x->idx);
	if (match) json_object_foreach(match, pk, pv) {
		size_t i;
		for (i = 0; i < ti->n_keys; i++)
			if (!strcmp(ti->keys[i].name, pk))
				break;
		if (i == ti->n_keys)
			return p4l_errf(err, -EINVAL, "%s: entry %zu: table %s has no key field '%s'",
					x->file, x->idx, ti->name, pk);
	}
	for (size_t i = 0; i < ti->n_keys; i++) {
		const struct sw_key_info *k = &ti->keys[i];
		json_t *v = match ? json_object_get(match, k->name) : NULL;
		char what[300];
		snprintf(what, sizeof(what), "key %s", k->name);
		memset(&keys[i], 0, sizeof(keys[i]));
		keys[i].value = (struct sw_bytes){ kv[i], 0 };
		keys[i].mask = (struct sw_bytes){ km[i], 0 };
		if (!v) {
			/* Omitted ternary, lpm, optional and range fields are wildcards
			 * (as in P4Runtime): zero masks, a zero prefix length, the full
			 * range. */
			if (k->kind == SW_MATCH_EXACT || k->kind == SW_MATCH_VALID)
				return p4l_errf(err, -EINVAL, "%s: entry %zu: %s is missing", x->file,
						x->idx, what);
			size_t nb = (k->width + 7) / 8;
			if (k->kind == SW_MATCH_OPTIONAL) {
				km[i][0] = 0;
				keys[i].mask.len = 1;
			} else if (k->kind == SW_MATCH_RANGE && nb) {
				memset(km[i], 0xff, nb);
				if (k->width % 8)
					km[i][0] = (uint8_t)(0xff >> (8 - k->width % 8));
				keys[i].mask.len = nb;
			}
			continue;
		}
		switch (k->kind) {
		case SW_MATCH_EXACT:
		case SW_MATCH_VALID:
			if (json_is_array(v) && json_array_size(v) == 1)
				v = json_array_get(v, 0);
			if ((r = json_value(x, v, what, kv[i], &keys[i].value.len)))
				return r;
			break;
		case SW_MATCH_LPM: {
			json_t *pl = json_array_get(v, 1);
			if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_integer(pl) ||
			    json_integer_value(pl) < 0)
				return p4l_errf(err, -EINVAL, "%s: entry %zu: %s: an lpm match is "
						"[value, prefix_length]", x->file, x->idx, what);
			if ((r = json_value(x, json_array_get(v, 0), what, kv[i], &keys[i].value.len)))
				return r;
			keys[i].prefix_len = (uint32_t)json_integer_value(pl);
			break;
		}
		case SW_MATCH_OPTIONAL:
			if ((r = json_value(x, v, what, kv[i], &keys[i].value.len)))
				return r;
			break;
		case SW_MATCH_RANGE:
		case SW_MATCH_TERNARY:
			/* range: [low, high], carried in value and mask (switch.h) */
			if (!json_is_array(v) || json_array_size(v) != 2)
				return p4l_errf(err, -EINVAL, "%s: entry %zu: %s: a %s match is "
						"[%s]", x->file, x->idx, what,
						k->kind == SW_MATCH_RANGE ? "range" : "ternary",
						k->kind == SW_MATCH_RANGE ? "low, high" : "value, mask");
			if ((r = json_value(x, json_array_get(v, 0), what, kv[i], &keys[i].value.len)) ||
			    (r = json_value(x, json_array_get(v, 1), what, km[i], &keys[i].mask.len)))
				return r;
			break;
		}
	}
	json_t *prio = json_object_get(e, "priority");
	if (ti->needs_priority && !json_is_integer(prio))
		return p4l_errf(err, -EINVAL, "%s: entry %zu: table %s has %s keys: \"priority\" "
				"is required", x->file, x->idx, ti->name, priority_kinds(ti));
	if (prio && !ti->needs_priority)
		return p4l_errf(err, -EINVAL, "%s: entry %zu: table %s takes no \"priority\"",
				x->file, x->idx, ti->name);
	r = sw_table_add(sw, (size_t)t, keys, prio ? (int32_t)json_integer_value(prio) : 0,
			 (size_t)a, args, err);
	return r ? p4l_err_prefix(err, "%s: entry %zu", x->file, x->idx) : 0;
}

int sw_load_entries(struct sw_switch *sw, const char *path, struct p4l_err *err)
{
	json_error_t je;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	int r = 0;
	if (!root)
		return p4l_errf(err, -EINVAL, "%s:%d:%d: %s", path, je.line, je.column, je.text);
	json_t *ents = json_object_get(root, "table_entries"), *e;
	json_t *mc = json_object_get(root, "multicast_group_entries");
	json_t *cs = json_object_get(root, "clone_session_entries");
	size_t i;
	if (!json_is_object(root)) {
		r = p4l_errf(err, -EINVAL, "%s: must be a JSON object", path);
	} else if ((json_is_array(mc) && json_array_size(mc)) || (json_is_array(cs) && json_array_size(cs))) {
		r = p4l_errf(err, -ENOTSUP, "%s: %s are not supported yet", path,
			     json_is_array(mc) && json_array_size(mc) ? "multicast_group_entries" :
			     "clone_session_entries");
	} else if (ents && !json_is_array(ents)) {
		r = p4l_errf(err, -EINVAL, "%s: \"table_entries\" must be an array", path);
	} else if (ents) {
		json_array_foreach(ents, i, e) {
			struct ectx x = { path, i, err };
			if ((r = load_entry(sw, &x, e)))
				break;
		}
	}
	json_decref(root);
	return r;
}
