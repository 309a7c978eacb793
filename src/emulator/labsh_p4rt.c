/* labsh_p4rt.c - the shell's P4Runtime verbs on a switch (labsh.h), in
 * p4net's grammar:
 *
 *   s1 table list | dump T | add T match: k=v,.. action: A [params: k=v,..]
 *            [priority: N] | del T match: .. [priority: N] | clear T
 *   s1 default T A [params: k=v,..]
 *   s1 counter [reset] NAME [INDEX]      s1 register read|write NAME [INDEX] [VALUE]
 *   s1 mcast list|add ID PORTS|del ID    s1 clone add ID PORT|del ID|list
 *   s1 packet send HEX [metadata: k=v,..]
 *   s1 packet listen [count=N] [timeout=SECS]    s1 digest listen [count=N] [timeout=SECS]
 *
 * Every verb goes through the lab's client of the switch (role "p4lab",
 * labrt_p4rt.c), which re-reads the device's P4Info first, so a pipeline a
 * controller pushed meanwhile is the one the names refer to.  PacketIn and
 * digest lists go to the primary of the default role only: the listen verbs
 * take it (election id 1) for their duration and let it go after, and say so
 * when a controller holds it.  Names may be full or an unambiguous suffix.
 * Called by labsh.c. */
#include "labsh.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "p4rt_client.h"

typedef const P4__Config__V1__P4Info Info;

/* ---- words and keywords ---------------------------------------------------- */

#define KEYWORDS(X) X(MATCH, "match:") X(ACTION, "action:") X(PARAMS, "params:") \
	X(PRIORITY, "priority:") X(METADATA, "metadata:")
enum kw {
#define X(e, s) KW_##e,
	KEYWORDS(X)
#undef X
	KW_N
};
static const char *const kw_names[] = {
#define X(e, s) s,
	KEYWORDS(X)
#undef X
};

#define MAX_WORDS 32
/* A command line split: positional words, and each keyword's words joined
 * without spaces ("match: a=1, b=2" -> "a=1,b=2"); NULL when absent. */
struct cmd {
	char *buf;
	char *w[MAX_WORDS];
	size_t n;
	char *kw[KW_N];
};

static int cmd_parse(struct cmd *c, const char *line, struct p4l_err *err)
{
	memset(c, 0, sizeof(*c));
	size_t len = strlen(line);
	if (!(c->buf = malloc(2 * len + 2)))
		return p4l_errf(err, -ENOMEM, "out of memory");
	char *words = c->buf, *vals = c->buf + len + 1, *save = NULL;
	memcpy(words, line, len + 1);
	int cur = -1;
	for (char *t = strtok_r(words, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		int k = -1;
		for (int i = 0; i < KW_N; i++)
			if (!strcmp(t, kw_names[i]))
				k = i;
		if (k >= 0) {
			if (c->kw[k])
				return p4l_errf(err, -EINVAL, "'%s' given twice", kw_names[k]);
			c->kw[k] = vals;
			*vals = '\0';
			cur = k;
			continue;
		}
		if (cur >= 0) {
			/* vals trails the words: each joined value is no longer */
			size_t tl = strlen(t), vl = strlen(c->kw[cur]);
			memmove(c->kw[cur] + vl, t, tl + 1);
			vals = c->kw[cur] + vl + tl + 1;
			continue;
		}
		if (c->n == MAX_WORDS)
			return p4l_errf(err, -E2BIG, "too many words");
		c->w[c->n++] = t;
	}
	return 0;
}

static int need_args(const struct cmd *c, size_t lo, size_t hi, const char *usage,
		     struct p4l_err *err)
{
	if (c->n < lo || c->n > hi)
		return p4l_errf(err, -EINVAL, "usage: %s", usage);
	return 0;
}

static int no_keywords(const struct cmd *c, unsigned allowed, const char *usage,
		       struct p4l_err *err)
{
	for (int i = 0; i < KW_N; i++)
		if (c->kw[i] && !(allowed & (1u << i)))
			return p4l_errf(err, -EINVAL, "'%s' does not belong here (usage: %s)",
					kw_names[i], usage);
	return 0;
}

static int parse_u32(const char *s, const char *what, uint32_t *out, struct p4l_err *err)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (!*s || *end || errno || v > UINT32_MAX || *s == '-')
		return p4l_errf(err, -EINVAL, "%s: '%s' is not a number", what, s);
	*out = (uint32_t)v;
	return 0;
}

/* ---- P4Info names ---------------------------------------------------------- */

static bool name_is(const P4__Config__V1__Preamble *p, const char *name, bool *exact)
{
	*exact = !strcmp(p->name, name) || (p->alias && !strcmp(p->alias, name));
	size_t fl = strlen(p->name), nl = strlen(name);
	return *exact || (fl > nl && p->name[fl - nl - 1] == '.' && !strcmp(p->name + fl - nl, name));
}

/* Index of the object named name among n preambles (got by pre(i)). */
#define FIND(arr, n, name, what, err)                                                   \
	({                                                                              \
		long at_ = -1;                                                         \
		int found_ = 0;                                                        \
		for (size_t i_ = 0; i_ < (n); i_++) {                                  \
			bool ex_;                                                      \
			if (!name_is((arr)[i_]->preamble, (name), &ex_))               \
				continue;                                              \
			at_ = (long)i_;                                                \
			if (ex_) {                                                     \
				found_ = 1;                                            \
				break;                                                 \
			}                                                              \
			found_++;                                                      \
		}                                                                      \
		if (found_ > 1)                                                        \
			at_ = p4l_errf((err), -EINVAL, "%s name '%s' is ambiguous", what, (name)); \
		else if (!found_)                                                      \
			at_ = p4l_errf((err), -ENOENT, "no %s named '%s'", what, (name)); \
		at_;                                                                   \
	})

static const char *action_name(Info *info, uint32_t id)
{
	for (size_t i = 0; i < info->n_actions; i++)
		if (info->actions[i]->preamble->id == id)
			return info->actions[i]->preamble->name;
	return "?";
}

static const P4__Config__V1__Action *action_of(Info *info, uint32_t id)
{
	for (size_t i = 0; i < info->n_actions; i++)
		if (info->actions[i]->preamble->id == id)
			return info->actions[i];
	return NULL;
}

/* ---- values ---------------------------------------------------------------- */

/* bytes as the shell reads them back: IPv4 for 32 bits, MAC for 48, decimal
 * up to 64 bits, hex beyond. */
static void print_value(FILE *f, const uint8_t *b, size_t len, int width)
{
	uint8_t v[16] = { 0 };
	if (len > sizeof(v)) {
		fputs("0x", f);
		for (size_t i = 0; i < len; i++)
			fprintf(f, "%02x", b[i]);
		return;
	}
	memcpy(v + sizeof(v) - len, b, len);
	const uint8_t *e = v + sizeof(v);
	if (width == 32)
		fprintf(f, "%u.%u.%u.%u", e[-4], e[-3], e[-2], e[-1]);
	else if (width == 48)
		fprintf(f, "%02x:%02x:%02x:%02x:%02x:%02x", e[-6], e[-5], e[-4], e[-3], e[-2], e[-1]);
	else if (width <= 64) {
		uint64_t x = 0;
		for (int i = 8; i > 0; i--)
			x = x << 8 | e[-i];
		fprintf(f, "%llu", (unsigned long long)x);
	} else {
		fputs("0x", f);
		for (size_t i = 0; i < len; i++)
			fprintf(f, "%02x", b[i]);
	}
}

static void print_data(FILE *f, const P4__V1__P4Data *d)
{
	const P4__V1__P4StructLike *s = NULL;
	switch (d->data_case) {
	case P4__V1__P4_DATA__DATA_BITSTRING:
		print_value(f, d->bitstring.data, d->bitstring.len, d->bitstring.len == 4 ? 32
			    : d->bitstring.len == 6 ? 48 : 64);
		return;
	case P4__V1__P4_DATA__DATA_BOOL:
		fputs(d->bool_ ? "true" : "false", f);
		return;
	case P4__V1__P4_DATA__DATA_TUPLE: s = d->tuple; break;
	case P4__V1__P4_DATA__DATA_STRUCT: s = d->struct_; break;
	default:
		fputs("(data)", f);
		return;
	}
	fputc('{', f);
	for (size_t i = 0; s && i < s->n_members; i++) {
		if (i)
			fputs(", ", f);
		print_data(f, s->members[i]);
	}
	fputc('}', f);
}

/* ---- reads ----------------------------------------------------------------- */

/* Every entity answered, copied (a read callback's entity lives only during
 * the call). */
struct ents {
	P4__V1__Entity **v;
	size_t n;
};

static int keep(void *ctx, const P4__V1__Entity *e)
{
	struct ents *es = ctx;
	size_t len = p4__v1__entity__get_packed_size(e);
	uint8_t *buf = malloc(len ? len : 1);
	P4__V1__Entity **v = realloc(es->v, (es->n + 1) * sizeof(*v));
	if (!buf || !v) {
		free(buf);
		if (v)
			es->v = v;
		return -ENOMEM;
	}
	es->v = v;
	p4__v1__entity__pack(e, buf);
	es->v[es->n] = p4__v1__entity__unpack(NULL, len, buf);
	free(buf);
	return es->v[es->n++] ? 0 : -ENOMEM;
}

static void ents_free(struct ents *es)
{
	for (size_t i = 0; i < es->n; i++)
		p4__v1__entity__free_unpacked(es->v[i], NULL);
	free(es->v);
}

static int read_all(struct p4rt_client *c, P4__V1__Entity *e, struct ents *out,
		    struct p4l_err *err)
{
	int r = p4rt_read(c, &e, 1, keep, out, err);
	return r < 0 ? r : 0;
}

static int write_one(struct p4rt_client *c, P4__V1__Update__Type type, P4__V1__Entity *e,
		     struct p4l_err *err)
{
	P4__V1__Update u, *up = &u;
	p4__v1__update__init(&u);
	u.type = type;
	u.entity = e;
	int r = p4rt_write(c, &up, 1, err);
	size_t n;
	const struct p4rt_update_error *ue = p4rt_update_errors(c, &n);
	if (r == -EIO && ue && n == 1)
		r = p4l_errf(err, p4rt_errno(ue[0].code), "%s", ue[0].msg);
	return r;
}

/* ---- table ----------------------------------------------------------------- */

static const char *match_kind(int t)
{
	switch (t) {
	case P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__EXACT: return "exact";
	case P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__LPM: return "lpm";
	case P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__TERNARY: return "ternary";
	case P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__RANGE: return "range";
	case P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__OPTIONAL: return "optional";
	}
	return "other";
}

static int table_list(Info *info)
{
	for (size_t i = 0; i < info->n_tables; i++) {
		const P4__Config__V1__Table *t = info->tables[i];
		printf("%s  (size %lld%s)\n  keys:", t->preamble->name, (long long)t->size,
		       t->is_const_table ? ", const" : "");
		for (size_t k = 0; k < t->n_match_fields; k++)
			printf(" %s (%s, %d bits)%s", t->match_fields[k]->name,
			       match_kind(t->match_fields[k]->match_type),
			       t->match_fields[k]->bitwidth, k + 1 < t->n_match_fields ? "," : "");
		printf("%s\n  actions:", t->n_match_fields ? "" : " none (keyless)");
		for (size_t k = 0; k < t->n_action_refs; k++)
			printf(" %s%s", action_name(info, t->action_refs[k]->id),
			       k + 1 < t->n_action_refs ? "," : "");
		putchar('\n');
	}
	if (!info->n_tables)
		puts("(the program has no tables)");
	return 0;
}

static void print_action(Info *info, const P4__V1__TableAction *ta)
{
	if (!ta || ta->type_case != P4__V1__TABLE_ACTION__TYPE_ACTION) {
		printf("%s", !ta ? "(no action)" : "(action profile)");
		return;
	}
	const P4__Config__V1__Action *a = action_of(info, ta->action->action_id);
	printf("%s(", a ? a->preamble->name : "?");
	for (size_t i = 0; i < ta->action->n_params; i++) {
		const P4__V1__Action__Param *p = ta->action->params[i];
		const char *pn = "?";
		int w = 64;
		for (size_t k = 0; a && k < a->n_params; k++)
			if (a->params[k]->id == p->param_id) {
				pn = a->params[k]->name;
				w = a->params[k]->bitwidth;
			}
		printf("%s%s=", i ? ", " : "", pn);
		print_value(stdout, p->value.data, p->value.len, w);
	}
	putchar(')');
}

static void print_entry(Info *info, const P4__Config__V1__Table *t, const P4__V1__TableEntry *te)
{
	fputs("  ", stdout);
	if (!te->n_match)
		fputs("(match all)", stdout);
	for (size_t i = 0; i < te->n_match; i++) {
		const P4__V1__FieldMatch *m = te->match[i];
		const P4__Config__V1__MatchField *mf = NULL;
		for (size_t k = 0; k < t->n_match_fields; k++)
			if (t->match_fields[k]->id == m->field_id)
				mf = t->match_fields[k];
		int w = mf ? mf->bitwidth : 64;
		printf("%s%s=", i ? "," : "", mf ? mf->name : "?");
		switch (m->field_match_type_case) {
		case P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_EXACT:
			print_value(stdout, m->exact->value.data, m->exact->value.len, w);
			break;
		case P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_LPM:
			print_value(stdout, m->lpm->value.data, m->lpm->value.len, w);
			printf("/%d", m->lpm->prefix_len);
			break;
		case P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_TERNARY:
			print_value(stdout, m->ternary->value.data, m->ternary->value.len, w);
			fputs("&&&", stdout);
			print_value(stdout, m->ternary->mask.data, m->ternary->mask.len, w);
			break;
		case P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_RANGE:
			print_value(stdout, m->range->low.data, m->range->low.len, w);
			fputs("..", stdout);
			print_value(stdout, m->range->high.data, m->range->high.len, w);
			break;
		case P4__V1__FIELD_MATCH__FIELD_MATCH_TYPE_OPTIONAL:
			print_value(stdout, m->optional->value.data, m->optional->value.len, w);
			break;
		default:
			fputs("(other)", stdout);
		}
	}
	fputs(" -> ", stdout);
	print_action(info, te->action);
	if (te->priority)
		printf(" priority %d", te->priority);
	putchar('\n');
}

/* Reads table t's entries (is_default: its default entry instead). */
static int read_table(struct p4rt_client *c, uint32_t id, bool is_default, struct ents *out,
		      struct p4l_err *err)
{
	P4__V1__Entity e;
	P4__V1__TableEntry te;
	p4__v1__entity__init(&e);
	p4__v1__table_entry__init(&te);
	te.table_id = id;
	te.is_default_action = is_default;
	e.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e.table_entry = &te;
	return read_all(c, &e, out, err);
}

static int table_dump(struct p4rt_client *c, Info *info, const P4__Config__V1__Table *t,
		      struct p4l_err *err)
{
	struct ents es = { 0 }, def = { 0 };
	int r = read_table(c, t->preamble->id, false, &es, err);
	if (r >= 0)
		r = read_table(c, t->preamble->id, true, &def, err);
	if (r >= 0) {
		printf("%s: %zu entr%s\n", t->preamble->name, es.n, es.n == 1 ? "y" : "ies");
		for (size_t i = 0; i < es.n; i++)
			if (es.v[i]->table_entry)
				print_entry(info, t, es.v[i]->table_entry);
		for (size_t i = 0; i < def.n; i++)
			if (def.v[i]->table_entry) {
				fputs("  default -> ", stdout);
				print_action(info, def.v[i]->table_entry->action);
				putchar('\n');
			}
	}
	ents_free(&es);
	ents_free(&def);
	return r;
}

static int table_clear(struct p4rt_client *c, const P4__Config__V1__Table *t,
		       struct p4l_err *err)
{
	struct ents es = { 0 };
	int r = read_table(c, t->preamble->id, false, &es, err);
	P4__V1__Update *u = calloc(es.n + 1, sizeof(*u)), **up = calloc(es.n + 1, sizeof(*up));
	if (r >= 0 && (!u || !up))
		r = p4l_errf(err, -ENOMEM, "out of memory");
	for (size_t i = 0; r >= 0 && i < es.n; i++) {
		p4__v1__update__init(&u[i]);
		u[i].type = P4__V1__UPDATE__TYPE__DELETE;
		u[i].entity = es.v[i];
		up[i] = &u[i];
	}
	if (r >= 0 && es.n)
		r = p4rt_write(c, up, es.n, err);
	if (r >= 0)
		printf("%s: %zu entr%s deleted\n", t->preamble->name, es.n, es.n == 1 ? "y" : "ies");
	free(u);
	free(up);
	ents_free(&es);
	return r;
}

#define TABLE_USAGE "SWITCH table list | dump T | add T match: k=v,.. action: A " \
	"[params: k=v,..] [priority: N] | del T match: k=v,.. [priority: N] | clear T"

static int verb_table(struct p4rt_client *c, Info *info, struct cmd *cmd, struct p4l_err *err)
{
	const char *sub = cmd->n > 1 ? cmd->w[1] : "";
	int32_t prio = 0;
	long ti;
	int r;
	if (!strcmp(sub, "list")) {
		if ((r = need_args(cmd, 2, 2, TABLE_USAGE, err)) < 0 ||
		    (r = no_keywords(cmd, 0, TABLE_USAGE, err)) < 0)
			return r;
		return table_list(info);
	}
	if (strcmp(sub, "dump") && strcmp(sub, "add") && strcmp(sub, "del") && strcmp(sub, "clear"))
		return p4l_errf(err, -EINVAL, "table: '%s' is not list, dump, add, del or clear "
				"(usage: %s)", sub, TABLE_USAGE);
	if ((r = need_args(cmd, 3, 3, TABLE_USAGE, err)) < 0)
		return r;
	if ((ti = FIND(info->tables, info->n_tables, cmd->w[2], "table", err)) < 0)
		return (int)ti;
	const P4__Config__V1__Table *t = info->tables[ti];
	const char *tn = t->preamble->name;
	if (cmd->kw[KW_PRIORITY]) {
		char *end;
		long p = strtol(cmd->kw[KW_PRIORITY], &end, 10);
		if (*end || end == cmd->kw[KW_PRIORITY] || p < 1 || p > INT32_MAX)
			return p4l_errf(err, -EINVAL, "priority: '%s' is not a number from 1 to %d",
					cmd->kw[KW_PRIORITY], INT32_MAX);
		prio = (int32_t)p;
	}
	if (!strcmp(sub, "dump") || !strcmp(sub, "clear")) {
		if ((r = no_keywords(cmd, 0, TABLE_USAGE, err)) < 0)
			return r;
		return sub[0] == 'd' ? table_dump(c, info, t, err) : table_clear(c, t, err);
	}
	if (!cmd->kw[KW_MATCH] && t->n_match_fields)
		return p4l_errf(err, -EINVAL, "table %s %s: give the entry's 'match: k=v,..'", sub, tn);
	if (!strcmp(sub, "del")) {
		if ((r = no_keywords(cmd, 1u << KW_MATCH | 1u << KW_PRIORITY, TABLE_USAGE, err)) < 0)
			return r;
		if ((r = p4rt_table_delete(c, tn, cmd->kw[KW_MATCH], prio, err)) >= 0)
			printf("%s: entry deleted\n", tn);
		return r;
	}
	if ((r = no_keywords(cmd, 1u << KW_MATCH | 1u << KW_ACTION | 1u << KW_PARAMS |
			     1u << KW_PRIORITY, TABLE_USAGE, err)) < 0)
		return r;
	if (!cmd->kw[KW_ACTION] || !cmd->kw[KW_ACTION][0])
		return p4l_errf(err, -EINVAL, "table add %s: give the entry's 'action: A'", tn);
	if ((r = p4rt_table_add_prio(c, tn, cmd->kw[KW_MATCH], prio, cmd->kw[KW_ACTION],
				     cmd->kw[KW_PARAMS], err)) >= 0)
		printf("%s: entry added\n", tn);
	return r;
}

#define DEFAULT_USAGE "SWITCH default T A [params: k=v,..]"

static int verb_default(struct p4rt_client *c, Info *info, struct cmd *cmd, struct p4l_err *err)
{
	long ti;
	int r;
	if ((r = need_args(cmd, 3, 3, DEFAULT_USAGE, err)) < 0 ||
	    (r = no_keywords(cmd, 1u << KW_PARAMS, DEFAULT_USAGE, err)) < 0)
		return r;
	if ((ti = FIND(info->tables, info->n_tables, cmd->w[1], "table", err)) < 0)
		return (int)ti;
	if ((r = p4rt_table_set_default(c, info->tables[ti]->preamble->name, cmd->w[2],
					cmd->kw[KW_PARAMS], err)) >= 0)
		printf("%s: default action set\n", info->tables[ti]->preamble->name);
	return r;
}

/* ---- counters and registers ------------------------------------------------ */

#define COUNTER_USAGE "SWITCH counter [reset] NAME [INDEX]"
#define SHOW_CELLS_MAX 64   /* bigger arrays show their non-zero cells */

static int verb_counter(struct p4rt_client *c, Info *info, struct cmd *cmd, struct p4l_err *err)
{
	bool reset = cmd->n > 1 && !strcmp(cmd->w[1], "reset");
	size_t a = reset ? 2 : 1;
	uint32_t index = 0;
	long ci;
	int r;
	if ((r = need_args(cmd, a + 1, a + 2, COUNTER_USAGE, err)) < 0 ||
	    (r = no_keywords(cmd, 0, COUNTER_USAGE, err)) < 0)
		return r;
	if ((ci = FIND(info->counters, info->n_counters, cmd->w[a], "counter", err)) < 0) {
		for (size_t i = 0; i < info->n_direct_counters; i++) {
			bool ex;
			if (name_is(info->direct_counters[i]->preamble, cmd->w[a], &ex))
				return p4l_errf(err, -EINVAL, "%s is a direct counter: its counts "
						"belong to the entries of its table",
						info->direct_counters[i]->preamble->name);
		}
		return (int)ci;
	}
	const P4__Config__V1__Counter *ct = info->counters[ci];
	int64_t size = ct->size;
	if (cmd->n == a + 2) {
		if ((r = parse_u32(cmd->w[a + 1], "INDEX", &index, err)) < 0)
			return r;
		if (index >= size)
			return p4l_errf(err, -ERANGE, "counter %s has %lld cells: no index %u",
					ct->preamble->name, (long long)size, index);
	}
	P4__V1__Entity e;
	P4__V1__CounterEntry ce;
	P4__V1__Index idx;
	P4__V1__CounterData zero;
	p4__v1__entity__init(&e);
	p4__v1__counter_entry__init(&ce);
	p4__v1__index__init(&idx);
	p4__v1__counter_data__init(&zero);
	ce.counter_id = ct->preamble->id;
	e.entity_case = P4__V1__ENTITY__ENTITY_COUNTER_ENTRY;
	e.counter_entry = &ce;
	if (reset) {
		ce.index = &idx;
		ce.data = &zero;
		for (int64_t i = cmd->n == a + 2 ? index : 0;
		     r >= 0 && i < (cmd->n == a + 2 ? (int64_t)index + 1 : size); i++) {
			idx.index = i;
			r = write_one(c, P4__V1__UPDATE__TYPE__MODIFY, &e, err);
		}
		if (r >= 0)
			printf("%s: reset\n", ct->preamble->name);
		return r;
	}
	if (cmd->n == a + 2) {
		idx.index = index;
		ce.index = &idx;
	}
	struct ents es = { 0 };
	r = read_all(c, &e, &es, err);
	size_t shown = 0;
	for (size_t i = 0; r >= 0 && i < es.n; i++) {
		const P4__V1__CounterEntry *x = es.v[i]->counter_entry;
		if (!x || !x->data)
			continue;
		if (size > SHOW_CELLS_MAX && cmd->n == a + 1 && !x->data->packet_count &&
		    !x->data->byte_count)
			continue;
		printf("%s[%lld]: %lld packets, %lld bytes\n", ct->preamble->name,
		       (long long)(x->index ? x->index->index : 0), (long long)x->data->packet_count,
		       (long long)x->data->byte_count);
		shown++;
	}
	if (r >= 0 && !shown)
		printf("%s: every one of its %lld cells is 0\n", ct->preamble->name, (long long)size);
	ents_free(&es);
	return r;
}

#define REGISTER_USAGE "SWITCH register read NAME [INDEX] | write NAME INDEX VALUE"

static int verb_register(struct p4rt_client *c, Info *info, struct cmd *cmd, struct p4l_err *err)
{
	const char *sub = cmd->n > 1 ? cmd->w[1] : "";
	bool wr = !strcmp(sub, "write");
	uint32_t index = 0;
	long ri;
	int r;
	if (!wr && strcmp(sub, "read"))
		return p4l_errf(err, -EINVAL, "register: '%s' is not read or write (usage: %s)", sub,
				REGISTER_USAGE);
	if ((r = need_args(cmd, wr ? 5 : 3, wr ? 5 : 4, REGISTER_USAGE, err)) < 0 ||
	    (r = no_keywords(cmd, 0, REGISTER_USAGE, err)) < 0)
		return r;
	if ((ri = FIND(info->registers, info->n_registers, cmd->w[2], "register", err)) < 0)
		return (int)ri;
	const P4__Config__V1__Register *rg = info->registers[ri];
	const char *rn = rg->preamble->name;
	if (cmd->n > 3) {
		if ((r = parse_u32(cmd->w[3], "INDEX", &index, err)) < 0)
			return r;
		if ((int64_t)index >= rg->size)
			return p4l_errf(err, -ERANGE, "register %s has %d cells: no index %u", rn,
					rg->size, index);
	}
	if (wr) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(cmd->w[4], &end, 0);
		if (*end || errno || cmd->w[4][0] == '-')
			return p4l_errf(err, -EINVAL, "VALUE: '%s' is not a number", cmd->w[4]);
		if ((r = p4rt_register_write(c, rn, index, v, err)) >= 0)
			printf("%s[%u] = %llu\n", rn, index, v);
		return r;
	}
	P4__V1__Entity e;
	P4__V1__RegisterEntry re;
	P4__V1__Index idx;
	p4__v1__entity__init(&e);
	p4__v1__register_entry__init(&re);
	p4__v1__index__init(&idx);
	re.register_id = rg->preamble->id;
	if (cmd->n > 3) {
		idx.index = index;
		re.index = &idx;
	}
	e.entity_case = P4__V1__ENTITY__ENTITY_REGISTER_ENTRY;
	e.register_entry = &re;
	struct ents es = { 0 };
	size_t shown = 0;
	r = read_all(c, &e, &es, err);
	for (size_t i = 0; r >= 0 && i < es.n; i++) {
		const P4__V1__RegisterEntry *x = es.v[i]->register_entry;
		if (!x || !x->data)
			continue;
		const P4__V1__P4Data *d = x->data;
		bool zero = d->data_case == P4__V1__P4_DATA__DATA_BITSTRING;
		for (size_t k = 0; zero && k < d->bitstring.len; k++)
			zero = !d->bitstring.data[k];
		if (rg->size > SHOW_CELLS_MAX && cmd->n == 3 && zero)
			continue;
		printf("%s[%lld] = ", rn, (long long)(x->index ? x->index->index : 0));
		if (d->data_case == P4__V1__P4_DATA__DATA_BITSTRING)
			print_value(stdout, d->bitstring.data, d->bitstring.len, 64);
		else
			print_data(stdout, d);
		putchar('\n');
		shown++;
	}
	if (r >= 0 && !shown)
		printf("%s: every one of its %d cells is 0\n", rn, rg->size);
	ents_free(&es);
	return r;
}

/* ---- replication ------------------------------------------------------------- */

static uint32_t port_of(const P4__V1__Replica *rp)
{
	uint32_t p = 0;
	for (size_t i = 0; i < rp->port.len && i < 4; i++)
		p = p << 8 | rp->port.data[i];
	return p;
}

static int pre_list(struct p4rt_client *c, bool clone, struct p4l_err *err)
{
	P4__V1__Entity e;
	P4__V1__PacketReplicationEngineEntry pe;
	P4__V1__MulticastGroupEntry mg;
	P4__V1__CloneSessionEntry cs;
	p4__v1__entity__init(&e);
	p4__v1__packet_replication_engine_entry__init(&pe);
	p4__v1__multicast_group_entry__init(&mg);
	p4__v1__clone_session_entry__init(&cs);
	if (clone) {
		pe.type_case = P4__V1__PACKET_REPLICATION_ENGINE_ENTRY__TYPE_CLONE_SESSION_ENTRY;
		pe.clone_session_entry = &cs;
	} else {
		pe.type_case = P4__V1__PACKET_REPLICATION_ENGINE_ENTRY__TYPE_MULTICAST_GROUP_ENTRY;
		pe.multicast_group_entry = &mg;
	}
	e.entity_case = P4__V1__ENTITY__ENTITY_PACKET_REPLICATION_ENGINE_ENTRY;
	e.packet_replication_engine_entry = &pe;
	struct ents es = { 0 };
	size_t shown = 0;
	int r = read_all(c, &e, &es, err);
	for (size_t i = 0; r >= 0 && i < es.n; i++) {
		const P4__V1__PacketReplicationEngineEntry *x = es.v[i]->packet_replication_engine_entry;
		const P4__V1__MulticastGroupEntry *g = x ? x->multicast_group_entry : NULL;
		const P4__V1__CloneSessionEntry *s = x ? x->clone_session_entry : NULL;
		if (clone ? !s : !g)
			continue;
		size_t n = clone ? s->n_replicas : g->n_replicas;
		P4__V1__Replica **rv = clone ? s->replicas : g->replicas;
		printf("%s %u: port%s", clone ? "session" : "group",
		       clone ? s->session_id : g->multicast_group_id, n == 1 ? "" : "s");
		for (size_t k = 0; k < n; k++) {
			printf(" %u", port_of(rv[k]));
			if (rv[k]->instance)
				printf("(instance %u)", rv[k]->instance);
		}
		putchar('\n');
		shown++;
	}
	if (r >= 0 && !shown)
		printf("no %s\n", clone ? "clone sessions" : "multicast groups");
	ents_free(&es);
	return r;
}

#define MCAST_USAGE "SWITCH mcast list | add ID PORT,PORT,.. | del ID"
#define CLONE_USAGE "SWITCH clone list | add ID PORT | del ID"

static int verb_pre(struct p4rt_client *c, bool clone, struct cmd *cmd, struct p4l_err *err)
{
	const char *usage = clone ? CLONE_USAGE : MCAST_USAGE;
	const char *sub = cmd->n > 1 ? cmd->w[1] : "";
	struct p4rt_replica rs[LAB_PORT_MAX + 1];
	size_t n = 0;
	uint32_t id = 0;
	int r;
	if ((r = no_keywords(cmd, 0, usage, err)) < 0)
		return r;
	if (!strcmp(sub, "list"))
		return need_args(cmd, 2, 2, usage, err) < 0 ? -EINVAL : pre_list(c, clone, err);
	bool add = !strcmp(sub, "add");
	if (!add && strcmp(sub, "del"))
		return p4l_errf(err, -EINVAL, "%s: '%s' is not list, add or del (usage: %s)",
				clone ? "clone" : "mcast", sub, usage);
	/* ports as "1,2,3" or "1 2 3" */
	if ((r = need_args(cmd, add ? 4 : 3, add ? (clone ? 4 : MAX_WORDS) : 3, usage, err)) < 0 ||
	    (r = parse_u32(cmd->w[2], "ID", &id, err)) < 0)
		return r;
	if (!id)
		return p4l_errf(err, -EINVAL, "ID: 0 is not a %s id", clone ? "session" : "group");
	for (size_t w = 3; add && w < cmd->n; w++) {
		char *save = NULL;
		for (char *p = strtok_r(cmd->w[w], ",", &save); p; p = strtok_r(NULL, ",", &save)) {
			uint32_t port = 0;
			if ((r = parse_u32(p, "PORT", &port, err)) < 0)
				return r;
			if (n == LAB_PORT_MAX + 1 || (clone && n == 1))
				return p4l_errf(err, -E2BIG, "too many ports (usage: %s)", usage);
			/* a port twice is two copies: (port, instance) tells them apart */
			uint16_t inst = 0;
			for (size_t k = 0; k < n; k++)
				inst += rs[k].port == port;
			rs[n++] = (struct p4rt_replica){ port, inst };
		}
	}
	if (add && !n)
		return p4l_errf(err, -EINVAL, "give the ports (usage: %s)", usage);
	P4__V1__Update__Type t = add ? P4__V1__UPDATE__TYPE__INSERT : P4__V1__UPDATE__TYPE__DELETE;
	if (clone)
		r = p4rt_clone_session_write(c, t, id, add ? rs : NULL, err);
	else
		r = p4rt_mcast_group_write(c, t, id, rs, n, err);
	if (r >= 0)
		printf("%s %u %s\n", clone ? "session" : "group", id, add ? "added" : "deleted");
	return r;
}

/* ---- packets and digests --------------------------------------------------- */

#define PACKET_USAGE "SWITCH packet send HEX [metadata: k=v,..] | listen [count=N] " \
	"[timeout=SECS]"
#define DIGEST_USAGE "SWITCH digest listen [count=N] [timeout=SECS]"
#define LISTEN_SECS 10

static int hex_bytes(const char *s, uint8_t **out, size_t *len, struct p4l_err *err)
{
	size_t n = 0, cap = strlen(s) / 2 + 1;
	uint8_t *b = malloc(cap);
	if (!b)
		return p4l_errf(err, -ENOMEM, "out of memory");
	if (!strncmp(s, "0x", 2))
		s += 2;
	for (const char *p = s; *p;) {
		if (*p == ':' || *p == '.') {
			p++;
			continue;
		}
		if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1])) {
			free(b);
			return p4l_errf(err, -EINVAL, "HEX: '%s' is not hex bytes (like "
					"ffffffffffff0000000000010800...)", s);
		}
		char two[3] = { p[0], p[1], 0 };
		b[n++] = (uint8_t)strtoul(two, NULL, 16);
		p += 2;
	}
	if (!n) {
		free(b);
		return p4l_errf(err, -EINVAL, "HEX: no bytes");
	}
	*out = b;
	*len = n;
	return 0;
}

/* count=N and timeout=SECS among words from `from` on. */
static int listen_args(const struct cmd *cmd, size_t from, const char *usage, long *count,
		       double *secs, struct p4l_err *err)
{
	*count = 1;
	*secs = LISTEN_SECS;
	for (size_t i = from; i < cmd->n; i++) {
		char *end;
		if (!strncmp(cmd->w[i], "count=", 6)) {
			*count = strtol(cmd->w[i] + 6, &end, 10);
			if (*end || end == cmd->w[i] + 6 || *count < 1)
				return p4l_errf(err, -EINVAL, "count: '%s' is not a number from 1",
						cmd->w[i] + 6);
		} else if (!strncmp(cmd->w[i], "timeout=", 8)) {
			*secs = strtod(cmd->w[i] + 8, &end);
			if (*end || end == cmd->w[i] + 8 || !(*secs > 0) || *secs > 86400)
				return p4l_errf(err, -EINVAL, "timeout: '%s' is not a number of "
						"seconds", cmd->w[i] + 8);
		} else {
			return p4l_errf(err, -EINVAL, "'%s' (usage: %s)", cmd->w[i], usage);
		}
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_packet_in(const struct p4rt_client *c, const struct p4rt_event *ev)
{
	Info *info = p4rt_p4info(c);
	printf("packet-in: %zu bytes", ev->payload_len);
	for (size_t i = 0; i < ev->n_metadata; i++) {
		const char *name = "?";
		int w = 64;
		for (size_t k = 0; info && k < info->n_controller_packet_metadata; k++) {
			const P4__Config__V1__ControllerPacketMetadata *m =
				info->controller_packet_metadata[k];
			if (strcmp(m->preamble->name, "packet_in"))
				continue;
			for (size_t j = 0; j < m->n_metadata; j++)
				if (m->metadata[j]->id == ev->metadata[i].id) {
					name = m->metadata[j]->name;
					w = m->metadata[j]->bitwidth;
				}
		}
		printf("%s%s=", i ? ", " : ", ", name);
		print_value(stdout, ev->metadata[i].value, ev->metadata[i].len, w <= 64 ? 64 : w);
	}
	fputs("\n  ", stdout);
	for (size_t i = 0; i < ev->payload_len; i++)
		printf("%02x", ev->payload[i]);
	putchar('\n');
}

static void print_digest(Info *info, const P4__V1__DigestList *d)
{
	const char *name = "?";
	for (size_t i = 0; info && i < info->n_digests; i++)
		if (info->digests[i]->preamble->id == d->digest_id)
			name = info->digests[i]->preamble->name;
	printf("digest %s, list %llu: %zu item%s\n", name, (unsigned long long)d->list_id,
	       d->n_data, d->n_data == 1 ? "" : "s");
	for (size_t i = 0; i < d->n_data; i++) {
		fputs("  ", stdout);
		print_data(stdout, d->data[i]);
		putchar('\n');
	}
}

/* Deletes, on the way out, a digest config the listen verb turned on. */
static int digest_off(struct p4rt_client *c, uint32_t id, struct p4l_err *err)
{
	P4__V1__Entity e;
	P4__V1__DigestEntry de;
	p4__v1__entity__init(&e);
	p4__v1__digest_entry__init(&de);
	de.digest_id = id;
	e.entity_case = P4__V1__ENTITY__ENTITY_DIGEST_ENTRY;
	e.digest_entry = &de;
	return write_one(c, P4__V1__UPDATE__TYPE__DELETE, &e, err);
}

/* packet listen / digest listen: primary of the default role for a while. */
static int listen_for(struct labrt *rt, size_t si, bool digests, long count, double secs,
		      struct p4l_err *err)
{
	struct p4rt_client *c = NULL;
	Info *info = NULL;
	bool *mine = NULL;
	long got = 0;
	int r = labrt_p4rt_connect(rt, si, &c, NULL, 1, err);
	if (r == -EBUSY)
		return p4l_errf(err, -EBUSY, "a controller is primary of the default role: %s go "
				"to it, not to the shell", digests ? "digest lists" : "packet-ins");
	if (r < 0 || (r = p4rt_fetch_pipeline(c, NULL, err)) < 0)
		goto out;
	info = p4rt_p4info(c);
	if (digests) {
		if (!info->n_digests) {
			r = p4l_errf(err, -ENOENT, "the program has no digests");
			goto out;
		}
		if (!(mine = calloc(info->n_digests, sizeof(*mine)))) {
			r = p4l_errf(err, -ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < info->n_digests && r >= 0; i++) {
			struct p4l_err e2 = { 0 };
			int x = p4rt_digest_enable(c, info->digests[i]->preamble->name, 0, 1, 0, &e2);
			if (x == 0)
				mine[i] = true;
			else if (x != -EEXIST)
				r = p4l_errf(err, x, "%s", e2.msg);
		}
		if (r < 0)
			goto out;
	}
	printf("listening for %s (up to %ld, %g s)\n", digests ? "digest lists" : "packet-ins",
	       count, secs);
	fflush(stdout);
	double end = now() + secs;
	while (got < count && !labsh_stop_requested() && !labsh_interrupted()) {
		double left = end - now();
		if (left <= 0)
			break;
		struct p4rt_event ev;
		int x = p4rt_poll(c, &ev, left > 0.2 ? 200 : (int)(left * 1000) + 1);
		if (x < 0) {
			r = p4l_errf(err, x, "the stream closed");
			break;
		}
		if (x == 0)
			continue;
		if (!digests && ev.type == P4RT_EV_PACKET_IN) {
			print_packet_in(c, &ev);
			got++;
		} else if (digests && ev.type == P4RT_EV_DIGEST && ev.digest) {
			print_digest(info, ev.digest);
			p4rt_digest_ack(c, ev.digest->digest_id, ev.digest->list_id, NULL);
			got++;
		} else if (ev.type == P4RT_EV_ARBITRATION && !ev.primary) {
			r = p4l_errf(err, -EBUSY, "a controller took over the default role");
		} else if (ev.type == P4RT_EV_CLOSED || ev.type == P4RT_EV_STREAM_ERROR) {
			r = p4l_errf(err, -EIO, "stream: %s", ev.msg);
		}
		fflush(stdout);
		p4rt_event_clear(&ev);
		if (r < 0)
			break;
	}
	if (r >= 0)
		printf("%ld %s\n", got, digests ? (got == 1 ? "digest list" : "digest lists")
						: (got == 1 ? "packet-in" : "packet-ins"));
out:
	for (size_t i = 0; mine && i < info->n_digests; i++)
		if (mine[i])
			digest_off(c, info->digests[i]->preamble->id, NULL);
	free(mine);
	p4rt_close(c);
	return r;
}

static int verb_packet(struct labrt *rt, size_t si, struct p4rt_client *c, Info *info,
		       struct cmd *cmd, struct p4l_err *err)
{
	const char *sub = cmd->n > 1 ? cmd->w[1] : "";
	long count;
	double secs;
	int r;
	if (!strcmp(sub, "listen")) {
		if ((r = no_keywords(cmd, 0, PACKET_USAGE, err)) < 0 ||
		    (r = listen_args(cmd, 2, PACKET_USAGE, &count, &secs, err)) < 0)
			return r;
		return listen_for(rt, si, false, count, secs, err);
	}
	if (strcmp(sub, "send"))
		return p4l_errf(err, -EINVAL, "packet: '%s' is not send or listen (usage: %s)", sub,
				PACKET_USAGE);
	if ((r = need_args(cmd, 3, 3, PACKET_USAGE, err)) < 0 ||
	    (r = no_keywords(cmd, 1u << KW_METADATA, PACKET_USAGE, err)) < 0)
		return r;
	if (!rt->lab->switches[si]->cpu_port)
		return p4l_errf(err, -ENXIO, "switch '%s' has no cpu_port in the lab file: "
				"packets from the controller have no way in",
				rt->lab->switches[si]->name);
	bool has_out = false;
	for (size_t i = 0; i < info->n_controller_packet_metadata; i++)
		has_out |= !strcmp(info->controller_packet_metadata[i]->preamble->name, "packet_out");
	if (!has_out && cmd->kw[KW_METADATA])
		return p4l_errf(err, -ENOENT, "the program has no packet_out header "
				"(@controller_header(\"packet_out\")) for metadata");
	uint8_t *pkt = NULL;
	size_t len = 0;
	if ((r = hex_bytes(cmd->w[2], &pkt, &len, err)) < 0)
		return r;
	r = p4rt_packet_out(c, pkt, len, cmd->kw[KW_METADATA], err);
	/* A stream error for it comes back within a moment. */
	struct p4rt_event ev;
	while (r >= 0 && p4rt_poll(c, &ev, 50) == 1) {
		if (ev.type == P4RT_EV_STREAM_ERROR)
			r = p4l_errf(err, p4rt_errno(ev.code), "%s", ev.msg);
		p4rt_event_clear(&ev);
	}
	if (r >= 0)
		printf("sent %zu bytes\n", len);
	free(pkt);
	return r;
}

static int verb_digest(struct labrt *rt, size_t si, struct cmd *cmd, struct p4l_err *err)
{
	long count;
	double secs;
	int r;
	if (cmd->n < 2 || strcmp(cmd->w[1], "listen"))
		return p4l_errf(err, -EINVAL, "usage: %s", DIGEST_USAGE);
	if ((r = no_keywords(cmd, 0, DIGEST_USAGE, err)) < 0 ||
	    (r = listen_args(cmd, 2, DIGEST_USAGE, &count, &secs, err)) < 0)
		return r;
	return listen_for(rt, si, true, count, secs, err);
}

/* ---- dispatch ---------------------------------------------------------------- */

#define VERBS(X) X(table) X(default) X(counter) X(register) X(mcast) X(clone) X(packet) \
	X(digest)

bool labsh_p4rt_is_verb(const char *word)
{
#define X(v) if (!strcmp(word, #v)) return true;
	VERBS(X)
#undef X
	return false;
}

int labsh_p4rt(struct labrt *rt, size_t si, const char *args)
{
	const char *name = rt->lab->switches[si]->name;
	struct p4rt_client *c = rt->sw[si].client;
	struct p4l_err err = { 0 };
	struct cmd cmd;
	int r = cmd_parse(&cmd, args, &err);
	if (r >= 0 && !c)
		r = p4l_errf(&err, -ENOTSUP, "it does not serve P4Runtime (its program has no "
			     "P4Info: give the lab file's p4info key)");
	/* A controller may have pushed another pipeline since. */
	if (r >= 0)
		r = p4rt_fetch_pipeline(c, NULL, &err);
	Info *info = r >= 0 ? p4rt_p4info(c) : NULL;
	const char *v = cmd.n ? cmd.w[0] : "";
	if (r < 0)
		;
	else if (!strcmp(v, "table"))
		r = verb_table(c, info, &cmd, &err);
	else if (!strcmp(v, "default"))
		r = verb_default(c, info, &cmd, &err);
	else if (!strcmp(v, "counter"))
		r = verb_counter(c, info, &cmd, &err);
	else if (!strcmp(v, "register"))
		r = verb_register(c, info, &cmd, &err);
	else if (!strcmp(v, "mcast") || !strcmp(v, "clone"))
		r = verb_pre(c, v[0] == 'c', &cmd, &err);
	else if (!strcmp(v, "packet"))
		r = verb_packet(rt, si, c, info, &cmd, &err);
	else if (!strcmp(v, "digest"))
		r = verb_digest(rt, si, &cmd, &err);
	if (r < 0)
		fprintf(stderr, "p4lab: %s %s: %s\n", name, v, err.msg);
	free(cmd.buf);
	return r < 0;
}


void labsh_p4rt_help(FILE *out)
{
	fputs("  SWITCH table list                  its tables: keys, actions\n"
	      "  SWITCH table dump T                the entries of table T (and its default)\n"
	      "  SWITCH table add T match: k=v,.. action: A [params: k=v,..] [priority: N]\n"
	      "  SWITCH table del T match: k=v,.. [priority: N]\n"
	      "  SWITCH table clear T               deletes every entry of T\n"
	      "  SWITCH default T A [params: k=v,..]  T's default action\n"
	      "  SWITCH counter [reset] NAME [INDEX]\n"
	      "  SWITCH register read NAME [INDEX] | write NAME INDEX VALUE\n"
	      "  SWITCH mcast list | add ID PORT,.. | del ID      multicast groups\n"
	      "  SWITCH clone list | add ID PORT | del ID        clone sessions\n"
	      "  SWITCH packet send HEX [metadata: k=v,..]       PacketOut (needs cpu_port)\n"
	      "  SWITCH packet listen [count=N] [timeout=SECS]   PacketIn (default 1, 10 s)\n"
	      "  SWITCH digest listen [count=N] [timeout=SECS]   digest lists, acknowledged\n"
	      "                         (over P4Runtime; names may be unambiguous suffixes;\n"
	      "                         values: IPv4, MAC, decimal, 0x-hex; lpm a/len,\n"
	      "                         ternary v&&&mask, range lo..hi)\n", out);
}
