/* byname.c - table entries by P4Info names and values as text
 * (p4rt_table_add and friends in p4rt_client.h).
 *
 * Updates are built with malloc throughout, so that protobuf-c's
 * free_unpacked frees them whole. */
#include "client_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- values ------------------------------------------------------------------ */

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* "0a:1b:..." with six groups of one or two hex digits. */
static bool parse_mac(const char *s, uint8_t out[6])
{
	for (int i = 0; i < 6; i++) {
		int a = hexval(*s), b;
		if (a < 0)
			return false;
		s++;
		if ((b = hexval(*s)) >= 0)
			a = a * 16 + b, s++;
		out[i] = (uint8_t)a;
		if (i < 5 && *s++ != ':')
			return false;
	}
	return !*s;
}

int p4rt_parse_value(const char *s, uint32_t width, uint8_t *buf)
{
	uint32_t nb = (width + 7) / 8;
	uint8_t v[64] = { 0 };     /* right-aligned, up to 512 bits */
	size_t n = 0;              /* significant bytes in v */
	if (!s || !*s || nb > sizeof(v) || !nb)
		return -EINVAL;
	if (strchr(s, ':')) {
		struct in6_addr a6;
		if (parse_mac(s, v + 58))
			n = 6;
		else if (inet_pton(AF_INET6, s, &a6) == 1)
			memcpy(v + 48, &a6, 16), n = 16;
		else
			return -EINVAL;
	} else if (strchr(s, '.')) {
		struct in_addr a4;
		if (inet_pton(AF_INET, s, &a4) != 1)
			return -EINVAL;
		memcpy(v + 60, &a4, 4);
		n = 4;
	} else if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		size_t len = strlen(s + 2);
		if (!len)
			return -EINVAL;
		for (size_t i = 0; i < len; i++) {
			int d = hexval(s[2 + len - 1 - i]);
			if (d < 0)
				return -EINVAL;
			if (i / 2 >= sizeof(v)) {
				if (d)
					return -ERANGE;
				continue;
			}
			v[63 - i / 2] |= (uint8_t)(d << (i % 2 ? 4 : 0));
		}
		n = sizeof(v);
	} else {
		for (const char *p = s; *p; p++) {
			if (!isdigit((unsigned char)*p))
				return -EINVAL;
			unsigned carry = (unsigned)(*p - '0');
			for (int i = 63; i >= 0; i--) {
				unsigned x = v[i] * 10u + carry;
				v[i] = (uint8_t)x;
				carry = x >> 8;
			}
			if (carry)
				return -ERANGE;
		}
		n = sizeof(v);
	}
	(void)n;
	/* it must fit in width bits */
	for (size_t i = 0; i < sizeof(v) - nb; i++)
		if (v[i])
			return -ERANGE;
	uint32_t pad = nb * 8 - width;
	if (pad && (v[sizeof(v) - nb] >> (8 - pad)))
		return -ERANGE;
	size_t skip = sizeof(v) - nb;
	while (skip + 1 < sizeof(v) && !v[skip])
		skip++;
	memcpy(buf, v + skip, sizeof(v) - skip);
	return (int)(sizeof(v) - skip);
}

/* ---- names --------------------------------------------------------------------- */

/* name is full, the alias, or a suffix after a '.'. */
static bool name_is(const P4__Config__V1__Preamble *p, const char *name, bool *exact)
{
	*exact = !strcmp(p->name, name) || (p->alias && !strcmp(p->alias, name));
	if (*exact)
		return true;
	size_t fl = strlen(p->name), nl = strlen(name);
	return fl > nl && p->name[fl - nl - 1] == '.' && !strcmp(p->name + fl - nl, name);
}

#define FIND_BY_NAME(arr, n, name, what, out, err)                                      \
	({                                                                              \
		int found_ = 0, r_ = 0;                                                \
		(out) = NULL;                                                          \
		for (size_t i_ = 0; i_ < (n); i_++) {                                  \
			bool ex_;                                                      \
			if (!name_is((arr)[i_]->preamble, (name), &ex_))               \
				continue;                                              \
			if (ex_) {                                                     \
				(out) = (arr)[i_];                                     \
				found_ = 1;                                            \
				break;                                                 \
			}                                                              \
			(out) = (arr)[i_];                                             \
			found_++;                                                      \
		}                                                                      \
		if (found_ > 1)                                                        \
			r_ = p4l_errf((err), -EINVAL, "%s name '%s' is ambiguous", what, (name)); \
		else if (!found_)                                                      \
			r_ = p4l_errf((err), -ENOENT, "the P4Info has no %s named '%s'", what, (name)); \
		r_;                                                                    \
	})

/* Splits "k=v,k=v" in place: each call returns the next pair. */
static bool next_pair(char **cur, char **k, char **v)
{
	char *s = *cur;
	while (s && (*s == ' ' || *s == ','))
		s++;
	if (!s || !*s)
		return false;
	char *end = strchr(s, ',');
	if (end)
		*end++ = 0;
	*cur = end;
	*k = s;
	char *eq = strchr(s, '=');
	*v = eq ? eq + 1 : NULL;
	if (eq) {
		*eq = 0;
		for (char *t = eq - 1; t >= s && *t == ' '; t--)
			*t = 0;
		while (**v == ' ')
			(*v)++;
	}
	for (char *t = s + strlen(s); t > s && t[-1] == ' '; t--)
		t[-1] = 0;
	return true;
}

static ProtobufCBinaryData bytes_of(const char *s, uint32_t width, const char *what,
				    int *r, struct p4l_err *err)
{
	uint8_t buf[64];
	ProtobufCBinaryData b = { 0, NULL };
	int n = p4rt_parse_value(s, width, buf);
	if (n < 0) {
		*r = p4l_errf(err, n, "%s: '%s' is %s", what, s,
			      n == -ERANGE ? "too wide for its bits" : "not a value (IPv4, IPv6, "
			      "MAC, decimal or 0x-hex)");
		return b;
	}
	if (!(b.data = malloc((size_t)n))) {
		*r = p4l_errf(err, -ENOMEM, "out of memory");
		return b;
	}
	memcpy(b.data, buf, (size_t)n);
	b.len = (size_t)n;
	return b;
}

static int build_match(const P4__Config__V1__Table *t, const char *match, P4__V1__TableEntry *te,
		       struct p4l_err *err)
{
	char *copy = strdup(match ? match : ""), *cur = copy, *k, *v;
	int r = 0;
	if (!copy)
		return p4l_errf(err, -ENOMEM, "out of memory");
	te->match = calloc(t->n_match_fields + 1, sizeof(*te->match));
	if (!te->match) {
		free(copy);
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	while (!r && next_pair(&cur, &k, &v)) {
		const P4__Config__V1__MatchField *mf = NULL;
		for (size_t i = 0; i < t->n_match_fields; i++) {
			const char *fn = t->match_fields[i]->name;
			size_t fl = strlen(fn), kl = strlen(k);
			if (!strcmp(fn, k) || (fl > kl && fn[fl - kl - 1] == '.' &&
					       !strcmp(fn + fl - kl, k)))
				mf = t->match_fields[i];
		}
		if (!mf) {
			r = p4l_errf(err, -ENOENT, "table %s has no match field '%s'",
				     t->preamble->name, k);
			break;
		}
		if (!v) {
			r = p4l_errf(err, -EINVAL, "match field %s: no '=' value", k);
			break;
		}
		P4__V1__FieldMatch *fm = malloc(sizeof(*fm));
		if (!fm) {
			r = p4l_errf(err, -ENOMEM, "out of memory");
			break;
		}
		p4__v1__field_match__init(fm);
		te->match[te->n_match++] = fm;
		fm->field_id = mf->id;
		uint32_t w = (uint32_t)mf->bitwidth;
		char what[300];
		snprintf(what, sizeof(what), "table %s field %s", t->preamble->name, mf->name);
		char *slash = strchr(v, '/'), *amp = strstr(v, "&&&");
		switch (mf->match_type) {
		case P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__LPM: {
			long plen = w;
			if (slash) {
				*slash = 0;
				char *end;
				plen = strtol(slash + 1, &end, 10);
				if (*end || plen < 0 || plen > (long)w) {
					r = p4l_errf(err, -EINVAL, "%s: bad prefix length '%s'", what,
						     slash + 1);
					break;
				}
			}
			fm->field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_LPM;
			if (!(fm->lpm = malloc(sizeof(*fm->lpm)))) {
				r = p4l_errf(err, -ENOMEM, "out of memory");
				break;
			}
			p4__v1__field_match__lpm__init(fm->lpm);
			fm->lpm->prefix_len = (int32_t)plen;
			fm->lpm->value = bytes_of(v, w, what, &r, err);
			break;
		}
		case P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__TERNARY:
			fm->field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_TERNARY;
			if (!(fm->ternary = malloc(sizeof(*fm->ternary)))) {
				r = p4l_errf(err, -ENOMEM, "out of memory");
				break;
			}
			p4__v1__field_match__ternary__init(fm->ternary);
			if (amp)
				*amp = 0;
			fm->ternary->value = bytes_of(v, w, what, &r, err);
			if (!r && amp) {
				fm->ternary->mask = bytes_of(amp + 3, w, what, &r, err);
			} else if (!r) {
				uint8_t ones[64];
				memset(ones, 0xff, sizeof(ones));
				uint32_t nb = (w + 7) / 8;
				if (nb * 8 > w)
					ones[0] = (uint8_t)(0xff >> (nb * 8 - w));
				if ((fm->ternary->mask.data = malloc(nb))) {
					memcpy(fm->ternary->mask.data, ones, nb);
					fm->ternary->mask.len = nb;
				} else {
					r = p4l_errf(err, -ENOMEM, "out of memory");
				}
			}
			break;
		case P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__EXACT:
			fm->field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_EXACT;
			if (!(fm->exact = malloc(sizeof(*fm->exact)))) {
				r = p4l_errf(err, -ENOMEM, "out of memory");
				break;
			}
			p4__v1__field_match__exact__init(fm->exact);
			fm->exact->value = bytes_of(v, w, what, &r, err);
			break;
		case P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__RANGE: {
			char *dots = strstr(v, "..");
			if (!dots) {
				r = p4l_errf(err, -EINVAL, "%s: a range is written LOW..HIGH", what);
				break;
			}
			*dots = 0;
			fm->field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_RANGE;
			if (!(fm->range = malloc(sizeof(*fm->range)))) {
				r = p4l_errf(err, -ENOMEM, "out of memory");
				break;
			}
			p4__v1__field_match__range__init(fm->range);
			fm->range->low = bytes_of(v, w, what, &r, err);
			if (!r)
				fm->range->high = bytes_of(dots + 2, w, what, &r, err);
			break;
		}
		case P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__OPTIONAL:
			fm->field_match_type_case = P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_OPTIONAL;
			if (!(fm->optional = malloc(sizeof(*fm->optional)))) {
				r = p4l_errf(err, -ENOMEM, "out of memory");
				break;
			}
			p4__v1__field_match__optional__init(fm->optional);
			fm->optional->value = bytes_of(v, w, what, &r, err);
			break;
		default:
			r = p4l_errf(err, -ENOSYS, "%s: this match kind is not supported by "
				     "p4rt_table_add yet", what);
		}
	}
	free(copy);
	return r;
}

static int build_action(const P4__Config__V1__P4Info *info, const P4__Config__V1__Table *t,
			const char *action, const char *params, P4__V1__TableEntry *te,
			struct p4l_err *err)
{
	const P4__Config__V1__Action *a;
	int r = FIND_BY_NAME(info->actions, info->n_actions, action, "action", a, err);
	if (r < 0)
		return r;
	bool in_table = false;
	for (size_t i = 0; i < t->n_action_refs; i++)
		in_table |= t->action_refs[i]->id == a->preamble->id;
	if (!in_table)
		return p4l_errf(err, -EINVAL, "action %s is not an action of table %s",
				a->preamble->name, t->preamble->name);
	P4__V1__TableAction *ta = malloc(sizeof(*ta));
	P4__V1__Action *act = malloc(sizeof(*act));
	if (!ta || !act) {
		free(ta);
		free(act);
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	p4__v1__table_action__init(ta);
	p4__v1__action__init(act);
	ta->type_case = P4__V1__TABLE_ACTION__TYPE_ACTION;
	ta->action = act;
	te->action = ta;
	act->action_id = a->preamble->id;
	if (!(act->params = calloc(a->n_params + 1, sizeof(*act->params))))
		return p4l_errf(err, -ENOMEM, "out of memory");
	char *copy = strdup(params ? params : ""), *cur = copy, *k, *v;
	if (!copy)
		return p4l_errf(err, -ENOMEM, "out of memory");
	while (!r && next_pair(&cur, &k, &v)) {
		const P4__Config__V1__Action__Param *p = NULL;
		for (size_t i = 0; i < a->n_params; i++)
			if (!strcmp(a->params[i]->name, k))
				p = a->params[i];
		if (!p) {
			r = p4l_errf(err, -ENOENT, "action %s has no parameter '%s'",
				     a->preamble->name, k);
			break;
		}
		if (!v) {
			r = p4l_errf(err, -EINVAL, "parameter %s: no '=' value", k);
			break;
		}
		if (act->n_params == a->n_params) {
			r = p4l_errf(err, -EINVAL, "action %s: parameter %s given twice",
				     a->preamble->name, k);
			break;
		}
		P4__V1__Action__Param *pv = malloc(sizeof(*pv));
		if (!pv) {
			r = p4l_errf(err, -ENOMEM, "out of memory");
			break;
		}
		p4__v1__action__param__init(pv);
		act->params[act->n_params++] = pv;
		pv->param_id = p->id;
		char what[300];
		snprintf(what, sizeof(what), "action %s parameter %s", a->preamble->name, p->name);
		pv->value = bytes_of(v, (uint32_t)p->bitwidth, what, &r, err);
	}
	free(copy);
	if (!r && act->n_params != a->n_params)
		r = p4l_errf(err, -EINVAL, "action %s takes %zu parameters, %zu given",
			     a->preamble->name, a->n_params, act->n_params);
	return r;
}

static int make_update(struct p4rt_client *c, P4__V1__Update__Type type, const char *table,
		       const char *match, int32_t priority, bool deflt, const char *action,
		       const char *params, P4__V1__Update **out, struct p4l_err *err);

int p4rt__find_table(const struct p4rt_client *c, const char *name,
		     const P4__Config__V1__Table **out, struct p4l_err *err)
{
	if (!c->p4info)
		return p4l_errf(err, -ENXIO, "no P4Info: push a pipeline or fetch the device's first");
	return FIND_BY_NAME(c->p4info->tables, c->p4info->n_tables, name, "table", *out, err);
}

int p4rt_table_default_update(struct p4rt_client *c, const char *table, const char *action,
			      const char *params, P4__V1__Update **out, struct p4l_err *err)
{
	return make_update(c, P4__V1__UPDATE__TYPE__MODIFY, table, NULL, 0, true, action, params,
			   out, err);
}

void p4rt_update_free(P4__V1__Update *u)
{
	if (u)
		p4__v1__update__free_unpacked(u, NULL);
}

static int make_update(struct p4rt_client *c, P4__V1__Update__Type type, const char *table,
		       const char *match, int32_t priority, bool deflt, const char *action,
		       const char *params, P4__V1__Update **out, struct p4l_err *err)
{
	const P4__Config__V1__P4Info *info = c->p4info;
	const P4__Config__V1__Table *t;
	if (!info)
		return p4l_errf(err, -ENXIO, "no P4Info: push a pipeline or fetch the device's first");
	int r = FIND_BY_NAME(info->tables, info->n_tables, table, "table", t, err);
	if (r < 0)
		return r;
	P4__V1__Update *u = malloc(sizeof(*u));
	P4__V1__Entity *e = malloc(sizeof(*e));
	P4__V1__TableEntry *te = malloc(sizeof(*te));
	if (!u || !e || !te) {
		free(u);
		free(e);
		free(te);
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	p4__v1__update__init(u);
	p4__v1__entity__init(e);
	p4__v1__table_entry__init(te);
	u->type = type;
	u->entity = e;
	e->entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e->table_entry = te;
	te->table_id = t->preamble->id;
	te->priority = priority;
	te->is_default_action = deflt;
	if (!deflt)
		r = build_match(t, match, te, err);
	if (!r && action)
		r = build_action(info, t, action, params, te, err);
	if (r < 0) {
		p4rt_update_free(u);
		return r;
	}
	*out = u;
	return 0;
}

int p4rt_table_update(struct p4rt_client *c, P4__V1__Update__Type type, const char *table,
		      const char *match, int32_t priority, const char *action,
		      const char *params, P4__V1__Update **out, struct p4l_err *err)
{
	return make_update(c, type, table, match, priority, false, action, params, out, err);
}

/* One update, its own error reported as the call's. */
static int write_one(struct p4rt_client *c, P4__V1__Update *u, struct p4l_err *err)
{
	int r = p4rt_write(c, &u, 1, err);
	p4rt_update_free(u);
	if (r == -EIO && c->n_uerr == 1)
		r = p4l_errf(err, p4rt_errno(c->uerr[0].code), "Write: %s: %s",
			     p4rt_code_name(c->uerr[0].code), c->uerr[0].msg);
	return r;
}

int p4rt_table_add_prio(struct p4rt_client *c, const char *table, const char *match,
			int32_t priority, const char *action, const char *params,
			struct p4l_err *err)
{
	P4__V1__Update *u;
	int r = make_update(c, P4__V1__UPDATE__TYPE__INSERT, table, match, priority, false, action,
			    params, &u, err);
	return r < 0 ? r : write_one(c, u, err);
}

int p4rt_table_add(struct p4rt_client *c, const char *table, const char *match,
		   const char *action, const char *params, struct p4l_err *err)
{
	return p4rt_table_add_prio(c, table, match, 0, action, params, err);
}

int p4rt_table_modify(struct p4rt_client *c, const char *table, const char *match,
		      int32_t priority, const char *action, const char *params,
		      struct p4l_err *err)
{
	P4__V1__Update *u;
	int r = make_update(c, P4__V1__UPDATE__TYPE__MODIFY, table, match, priority, false, action,
			    params, &u, err);
	return r < 0 ? r : write_one(c, u, err);
}

int p4rt_table_delete(struct p4rt_client *c, const char *table, const char *match,
		      int32_t priority, struct p4l_err *err)
{
	P4__V1__Update *u;
	int r = make_update(c, P4__V1__UPDATE__TYPE__DELETE, table, match, priority, false, NULL,
			    NULL, &u, err);
	return r < 0 ? r : write_one(c, u, err);
}

int p4rt_table_set_default(struct p4rt_client *c, const char *table, const char *action,
			   const char *params, struct p4l_err *err)
{
	P4__V1__Update *u;
	int r = make_update(c, P4__V1__UPDATE__TYPE__MODIFY, table, NULL, 0, true, action, params,
			    &u, err);
	return r < 0 ? r : write_one(c, u, err);
}

/* ---- action profiles ----------------------------------------------------------- */

static int find_profile(struct p4rt_client *c, const char *name,
			const P4__Config__V1__ActionProfile **out, struct p4l_err *err)
{
	if (!c->p4info)
		return p4l_errf(err, -ENXIO, "no P4Info: push a pipeline or fetch the device's first");
	return FIND_BY_NAME(c->p4info->action_profiles, c->p4info->n_action_profiles, name,
			    "action profile", *out, err);
}

/* A fresh Update of type for entity case kase (the entity's message is the
 * caller's to fill and attach). */
static P4__V1__Update *new_update(P4__V1__Update__Type type, P4__V1__Entity__EntityCase kase)
{
	P4__V1__Update *u = malloc(sizeof(*u));
	P4__V1__Entity *e = malloc(sizeof(*e));
	if (!u || !e) {
		free(u);
		free(e);
		return NULL;
	}
	p4__v1__update__init(u);
	p4__v1__entity__init(e);
	u->type = type;
	u->entity = e;
	e->entity_case = kase;
	return u;
}

int p4rt_member_write(struct p4rt_client *c, P4__V1__Update__Type type, const char *profile,
		      uint32_t member, const char *action, const char *params, struct p4l_err *err)
{
	const P4__Config__V1__ActionProfile *ap;
	const P4__Config__V1__Table *t = NULL;
	int r = find_profile(c, profile, &ap, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < c->p4info->n_tables && !t; i++)
		if (ap->n_table_ids && c->p4info->tables[i]->preamble->id == ap->table_ids[0])
			t = c->p4info->tables[i];
	if (!t)
		return p4l_errf(err, -EINVAL, "action profile %s has no table", ap->preamble->name);
	P4__V1__Update *u = new_update(type, P4__V1__ENTITY__ENTITY_ACTION_PROFILE_MEMBER);
	P4__V1__ActionProfileMember *m = malloc(sizeof(*m));
	if (!u || !m) {
		p4rt_update_free(u);
		free(m);
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	p4__v1__action_profile_member__init(m);
	m->action_profile_id = ap->preamble->id;
	m->member_id = member;
	u->entity->action_profile_member = m;
	if (type != P4__V1__UPDATE__TYPE__DELETE) {
		/* the table's action builder, then the action out of its wrapper */
		P4__V1__TableEntry te;
		p4__v1__table_entry__init(&te);
		r = build_action(c->p4info, t, action ? action : "", params, &te, err);
		if (te.action) {
			m->action = te.action->action;
			free(te.action);
		}
		if (r < 0) {
			p4rt_update_free(u);
			return r;
		}
	}
	return write_one(c, u, err);
}

int p4rt_group_write(struct p4rt_client *c, P4__V1__Update__Type type, const char *profile,
		     uint32_t group, const struct p4rt_group_member *members, size_t n,
		     struct p4l_err *err)
{
	const P4__Config__V1__ActionProfile *ap;
	int r = find_profile(c, profile, &ap, err);
	if (r < 0)
		return r;
	P4__V1__Update *u = new_update(type, P4__V1__ENTITY__ENTITY_ACTION_PROFILE_GROUP);
	P4__V1__ActionProfileGroup *g = malloc(sizeof(*g));
	if (!u || !g) {
		p4rt_update_free(u);
		free(g);
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	p4__v1__action_profile_group__init(g);
	g->action_profile_id = ap->preamble->id;
	g->group_id = group;
	u->entity->action_profile_group = g;
	if (n && !(g->members = calloc(n, sizeof(*g->members)))) {
		p4rt_update_free(u);
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		P4__V1__ActionProfileGroup__Member *gm = malloc(sizeof(*gm));
		if (!gm) {
			p4rt_update_free(u);
			return p4l_errf(err, -ENOMEM, "out of memory");
		}
		p4__v1__action_profile_group__member__init(gm);
		gm->member_id = members[i].member;
		gm->weight = members[i].weight ? members[i].weight : 1;
		if (members[i].watch_port) {
			uint8_t b[4], *p;
			size_t k = 0;
			for (int s = 24; s >= 0; s -= 8)
				if ((b[k] = (uint8_t)(members[i].watch_port >> s)) || k)
					k++;
			if (!(p = malloc(k))) {
				free(gm);
				p4rt_update_free(u);
				return p4l_errf(err, -ENOMEM, "out of memory");
			}
			memcpy(p, b, k);
			gm->watch_kind_case = P4__V1__ACTION_PROFILE_GROUP__MEMBER__WATCH_KIND_WATCH_PORT;
			gm->watch_port = (ProtobufCBinaryData){ k, p };
		}
		g->members[g->n_members++] = gm;
	}
	return write_one(c, u, err);
}

int p4rt_table_add_ref(struct p4rt_client *c, const char *table, const char *match,
		       int32_t priority, bool group, uint32_t id, struct p4l_err *err)
{
	P4__V1__Update *u;
	int r = make_update(c, P4__V1__UPDATE__TYPE__INSERT, table, match, priority, false, NULL,
			    NULL, &u, err);
	if (r < 0)
		return r;
	P4__V1__TableAction *ta = malloc(sizeof(*ta));
	if (!ta) {
		p4rt_update_free(u);
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	p4__v1__table_action__init(ta);
	if (group) {
		ta->type_case = P4__V1__TABLE_ACTION__TYPE_ACTION_PROFILE_GROUP_ID;
		ta->action_profile_group_id = id;
	} else {
		ta->type_case = P4__V1__TABLE_ACTION__TYPE_ACTION_PROFILE_MEMBER_ID;
		ta->action_profile_member_id = id;
	}
	u->entity->table_entry->action = ta;
	return write_one(c, u, err);
}
