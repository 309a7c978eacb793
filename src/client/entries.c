/* entries.c - p4rt_load_entries: a p4lang/tutorials runtime.json file
 * written over P4Runtime, as the emulator's switches get their entries.
 *
 *   "table_entries": [ { "table": T, "match": { FIELD: V | [V, PLEN] |
 *                        [V, MASK] | [LOW, HIGH] }, "priority": N,
 *                        "action_name": A, "action_params": { P: V } },
 *                      { "table": T, "default_action": true, ... } ]
 *   "multicast_group_entries": [ { "multicast_group_id": G,
 *                        "replicas": [ { "egress_port": P, "instance": I } ] } ]
 *   "clone_session_entries": [ { "clone_session_id": S, "replicas": [...] } ]
 *
 * Values are JSON integers or strings (IPv4, IPv6, MAC, decimal, 0x-hex).
 * Each entry becomes the text form of byname.c; the whole file is one
 * Write, so a failed entry is reported by its place in the file. */
#include "client_int.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct src {
	const char *path;
	const char *what;          /* "table_entries" etc. */
	size_t idx;
};

/* A JSON value as text ("0x.." and addresses stay as written). */
static int text_of(const struct src *x, json_t *v, const char *name, char *buf, size_t cap,
		   struct p4l_err *err)
{
	if (json_is_integer(v) && json_integer_value(v) >= 0)
		snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
	else if (json_is_string(v) && !strpbrk(json_string_value(v), ",="))
		snprintf(buf, cap, "%s", json_string_value(v));
	else
		return p4l_errf(err, -EINVAL, "%s: %s[%zu]: %s: expected a string or a "
				"non-negative integer", x->path, x->what, x->idx, name);
	return 0;
}

/* Appends "k=v" (with a ',' before all but the first) to the growing s. */
static int append(char **s, size_t *len, const char *k, const char *v, struct p4l_err *err)
{
	size_t add = strlen(k) + strlen(v) + 2;
	char *n = realloc(*s, *len + add + 1);
	if (!n)
		return p4l_errf(err, -ENOMEM, "out of memory");
	*len += (size_t)sprintf(n + *len, "%s%s=%s", *len ? "," : "", k, v);
	*s = n;
	return 0;
}

static int table_entry(struct p4rt_client *c, const struct src *x, json_t *e,
		       P4__V1__Update **out, struct p4l_err *err)
{
	json_t *tn = json_object_get(e, "table"), *an = json_object_get(e, "action_name");
	json_t *match = json_object_get(e, "match"), *params = json_object_get(e, "action_params");
	json_t *prio = json_object_get(e, "priority");
	const P4__Config__V1__Table *t;
	char *ms = NULL, *ps = NULL;
	size_t ml = 0, pl = 0;
	const char *k;
	json_t *v;
	int r;
	if (!json_is_object(e) || !json_is_string(tn) || !json_is_string(an))
		return p4l_errf(err, -EINVAL, "%s: %s[%zu]: needs \"table\" and \"action_name\"",
				x->path, x->what, x->idx);
	if ((match && !json_is_object(match)) || (params && !json_is_object(params)) ||
	    (prio && !json_is_integer(prio)))
		return p4l_errf(err, -EINVAL, "%s: %s[%zu]: \"match\" and \"action_params\" are "
				"objects, \"priority\" an integer", x->path, x->what, x->idx);
	if ((r = p4rt__find_table(c, json_string_value(tn), &t, err)) < 0)
		return p4l_err_prefix(err, "%s: %s[%zu]", x->path, x->what, x->idx);
	json_object_foreach(params, k, v) {
		char val[128];
		if ((r = text_of(x, v, k, val, sizeof(val), err)) < 0 ||
		    (r = append(&ps, &pl, k, val, err)) < 0)
			goto out;
	}
	if (json_is_true(json_object_get(e, "default_action"))) {
		if (json_object_size(match)) {
			r = p4l_errf(err, -EINVAL, "%s: %s[%zu]: a default action takes no \"match\"",
				     x->path, x->what, x->idx);
			goto out;
		}
		r = p4rt_table_default_update(c, t->preamble->name, json_string_value(an),
					      ps ? ps : "", out, err);
		goto prefix;
	}
	json_object_foreach(match, k, v) {
		const P4__Config__V1__MatchField *mf = NULL;
		char val[300], a[128], b[128];
		for (size_t i = 0; i < t->n_match_fields; i++)
			if (!strcmp(t->match_fields[i]->name, k))
				mf = t->match_fields[i];
		int kind = mf ? (int)mf->match_type : 0;
		if (json_is_array(v) && json_array_size(v) == 1)
			v = json_array_get(v, 0);
		if (!json_is_array(v)) {
			if ((r = text_of(x, v, k, val, sizeof(val), err)) < 0)
				goto out;
		} else if (json_array_size(v) != 2) {
			r = p4l_errf(err, -EINVAL, "%s: %s[%zu]: %s: expected a value or a pair",
				     x->path, x->what, x->idx, k);
			goto out;
		} else {
			if ((r = text_of(x, json_array_get(v, 0), k, a, sizeof(a), err)) < 0 ||
			    (r = text_of(x, json_array_get(v, 1), k, b, sizeof(b), err)) < 0)
				goto out;
			snprintf(val, sizeof(val), "%s%s%s", a,
				 kind == P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__LPM ? "/"
				 : kind == P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__RANGE ? ".."
				 : "&&&", b);
		}
		if ((r = append(&ms, &ml, k, val, err)) < 0)
			goto out;
	}
	r = p4rt_table_update(c, P4__V1__UPDATE__TYPE__INSERT, t->preamble->name, ms ? ms : "",
			      prio ? (int32_t)json_integer_value(prio) : 0, json_string_value(an),
			      ps ? ps : "", out, err);
prefix:
	if (r < 0)
		p4l_err_prefix(err, "%s: %s[%zu]", x->path, x->what, x->idx);
out:
	free(ms);
	free(ps);
	return r;
}

/* A replication entry as an Update.  Each part is hung on the message as
 * soon as it exists, so p4rt_update_free frees what was built. */
static int pre_entry(const struct src *x, bool clone, json_t *e, P4__V1__Update **out,
		     struct p4l_err *err)
{
	json_t *id = json_object_get(e, clone ? "clone_session_id" : "multicast_group_id");
	json_t *arr = json_object_get(e, "replicas"), *rj;
	size_t i;
	if (!json_is_integer(id) || json_integer_value(id) <= 0 ||
	    json_integer_value(id) > UINT32_MAX)
		return p4l_errf(err, -EINVAL, "%s: %s[%zu]: \"%s\" must be a positive integer",
				x->path, x->what, x->idx,
				clone ? "clone_session_id" : "multicast_group_id");
	if (!json_is_array(arr))
		return p4l_errf(err, -EINVAL, "%s: %s[%zu]: \"replicas\" must be an array", x->path,
				x->what, x->idx);
	P4__V1__Update *u = calloc(1, sizeof(*u));
	P4__V1__Entity *en = calloc(1, sizeof(*en));
	P4__V1__PacketReplicationEngineEntry *pe = calloc(1, sizeof(*pe));
	P4__V1__Replica **rp = calloc(json_array_size(arr) + 1, sizeof(*rp));
	size_t *n;
	if (!u || !en || !pe || !rp) {
		free(u);
		free(en);
		free(pe);
		free(rp);
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	p4__v1__update__init(u);
	p4__v1__entity__init(en);
	p4__v1__packet_replication_engine_entry__init(pe);
	u->type = P4__V1__UPDATE__TYPE__INSERT;
	u->entity = en;
	en->entity_case = P4__V1__ENTITY__ENTITY_PACKET_REPLICATION_ENGINE_ENTRY;
	en->packet_replication_engine_entry = pe;
	if (clone) {
		P4__V1__CloneSessionEntry *cs = calloc(1, sizeof(*cs));
		if (!cs)
			goto nomem;
		p4__v1__clone_session_entry__init(cs);
		pe->type_case = P4__V1__PACKET_REPLICATION_ENGINE_ENTRY__TYPE_CLONE_SESSION_ENTRY;
		pe->clone_session_entry = cs;
		cs->session_id = (uint32_t)json_integer_value(id);
		cs->replicas = rp;
		n = &cs->n_replicas;
	} else {
		P4__V1__MulticastGroupEntry *mg = calloc(1, sizeof(*mg));
		if (!mg)
			goto nomem;
		p4__v1__multicast_group_entry__init(mg);
		pe->type_case = P4__V1__PACKET_REPLICATION_ENGINE_ENTRY__TYPE_MULTICAST_GROUP_ENTRY;
		pe->multicast_group_entry = mg;
		mg->multicast_group_id = (uint32_t)json_integer_value(id);
		mg->replicas = rp;
		n = &mg->n_replicas;
	}
	rp = NULL;
	json_array_foreach(arr, i, rj) {
		json_t *p = json_object_get(rj, "egress_port"), *in = json_object_get(rj, "instance");
		if (!json_is_integer(p) || json_integer_value(p) < 0 ||
		    json_integer_value(p) > UINT32_MAX ||
		    (in && (!json_is_integer(in) || json_integer_value(in) < 0 ||
			    json_integer_value(in) > 0xffff))) {
			p4rt_update_free(u);
			return p4l_errf(err, -EINVAL, "%s: %s[%zu]: replica %zu: \"egress_port\" "
					"and \"instance\" are integers (instance < 65536)",
					x->path, x->what, x->idx, i);
		}
		P4__V1__Replica *r = malloc(sizeof(*r));
		uint8_t *port = malloc(4);
		if (!r || !port) {
			free(r);
			free(port);
			goto nomem;
		}
		uint32_t pv = (uint32_t)json_integer_value(p);
		p4__v1__replica__init(r);
		port[0] = (uint8_t)(pv >> 24), port[1] = (uint8_t)(pv >> 16);
		port[2] = (uint8_t)(pv >> 8), port[3] = (uint8_t)pv;
		r->port_kind_case = P4__V1__REPLICA__PORT_KIND_PORT;
		r->port = (ProtobufCBinaryData){ 4, port };
		r->instance = (uint32_t)json_integer_value(in);
		(clone ? pe->clone_session_entry->replicas : pe->multicast_group_entry->replicas)[(*n)++] = r;
	}
	*out = u;
	return 0;
nomem:
	free(rp);
	p4rt_update_free(u);
	return p4l_errf(err, -ENOMEM, "out of memory");
}

struct p4rt_entries {
	P4__V1__Update **u;
	struct src *where;
	size_t n;
};

void p4rt_entries_free(struct p4rt_entries *es)
{
	if (!es)
		return;
	for (size_t i = 0; i < es->n; i++)
		p4rt_update_free(es->u[i]);
	free(es->u);
	free(es->where);
	free(es);
}

P4__V1__Update *const *p4rt_entries_updates(const struct p4rt_entries *es, size_t *n)
{
	*n = es->n;
	return es->u;
}

void p4rt_entries_where(const struct p4rt_entries *es, size_t i, char *buf, size_t cap)
{
	if (i < es->n)
		snprintf(buf, cap, "%s: %s[%zu]", es->where[i].path, es->where[i].what,
			 es->where[i].idx);
	else
		snprintf(buf, cap, "?");
}

int p4rt_entries_parse(const P4__Config__V1__P4Info *info, const char *path,
		       struct p4rt_entries **out, struct p4l_err *err)
{
	static const char *const lists[] = { "table_entries", "multicast_group_entries",
					     "clone_session_entries" };
	/* the by-name builders read the P4Info from a client */
	struct p4rt_client c = { .p4info = (P4__Config__V1__P4Info *)info };
	json_error_t je;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	struct p4rt_entries *es = calloc(1, sizeof(*es));
	size_t total = 0;
	int r = 0;
	if (!es) {
		json_decref(root);
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	if (!root) {
		free(es);
		return p4l_errf(err, -EINVAL, "%s:%d:%d: %s", path, je.line, je.column, je.text);
	}
	if (!json_is_object(root)) {
		r = p4l_errf(err, -EINVAL, "%s: must be a JSON object", path);
		goto out;
	}
	for (size_t l = 0; l < 3; l++) {
		json_t *a = json_object_get(root, lists[l]);
		if (a && !json_is_array(a)) {
			r = p4l_errf(err, -EINVAL, "%s: \"%s\" must be an array", path, lists[l]);
			goto out;
		}
		total += json_array_size(a);
	}
	es->u = calloc(total + 1, sizeof(*es->u));
	es->where = calloc(total + 1, sizeof(*es->where));
	if (!es->u || !es->where) {
		r = p4l_errf(err, -ENOMEM, "out of memory");
		goto out;
	}
	for (size_t l = 0; l < 3 && !r; l++) {
		json_t *a = json_object_get(root, lists[l]), *e;
		size_t i;
		json_array_foreach(a, i, e) {
			es->where[es->n] = (struct src){ path, lists[l], i };
			r = l == 0 ? table_entry(&c, &es->where[es->n], e, &es->u[es->n], err)
				   : pre_entry(&es->where[es->n], l == 2, e, &es->u[es->n], err);
			if (r < 0)
				break;
			es->n++;
		}
	}
out:
	json_decref(root);
	if (r < 0) {
		p4rt_entries_free(es);
		return r;
	}
	*out = es;
	return 0;
}

int p4rt_load_entries(struct p4rt_client *c, const char *path, struct p4l_err *err)
{
	struct p4rt_entries *es = NULL;
	if (!c->p4info)
		return p4l_errf(err, -ENXIO, "no P4Info: push a pipeline or fetch the device's first");
	int r = p4rt_entries_parse(c->p4info, path, &es, err);
	if (r == 0 && es->n) {
		r = p4rt_write(c, es->u, es->n, err);
		if (r == -EIO && c->n_uerr == es->n) {
			for (size_t i = 0; i < es->n; i++)
				if (c->uerr[i].code) {
					char at[512];
					p4rt_entries_where(es, i, at, sizeof(at));
					r = p4l_errf(err, p4rt_errno(c->uerr[i].code), "%s: %s: %s",
						     at, p4rt_code_name(c->uerr[i].code),
						     c->uerr[i].msg);
					break;
				}
		} else if (r < 0) {
			p4l_err_prefix(err, "%s", path);
		}
	}
	p4rt_entries_free(es);
	return r;
}
