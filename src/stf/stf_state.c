/* stf_state.c - the STF commands that configure or read switch state
 * besides tables: multicast groups and nodes, clone (mirror) sessions,
 * counters, registers, meters, and the no_packet check.  Their syntax is
 * simple_switch_CLI's and p4c's STF:
 *
 *   mirroring_add SESSION PORT          mirroring_add_mc SESSION GROUP
 *   mc_mgrp_create GROUP                mc_node_create RID PORT...
 *   mc_node_associate GROUP NODE        (nodes are numbered from 0)
 *   counter_read NAME INDEX             check_counter NAME(INDEX) [packets|bytes OP N]
 *   register_read NAME INDEX [OP N]     register_write NAME INDEX VALUE
 *   register_reset NAME                 meter_set_rates NAME INDEX R:B R:B
 *   pvs_add NAME VALUE                  pvs_remove NAME VALUE
 *   pvs_clear NAME                      (parse value sets)
 *   act_prof_create_member PROFILE ACTION(ARG:VALUE, ...)
 *   act_prof_create_group PROFILE       act_prof_add_member_to_group PROFILE MEMBER GROUP
 *                                       (members and groups numbered from 0; an
 *                                       indirect table's entry: add ... member(N) / group(N))
 *   set_queue_depth DEPTH [PORT]        set_queue_rate PACKETS_PER_S [PORT]
 *                                       (every port when none is given)
 *   no_packet                           (the last packet made no packet)
 *
 * OP is ==, !=, <, <=, >, >=.  Meter rates are units per microsecond and
 * bursts units, as in simple_switch_CLI.  Called by stf.c in file order. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "stf_int.h"

#define VALUE_MAX 64

#define STATE_CMDS(X) \
	X(MIRROR, "mirroring_add") X(MIRROR_MC, "mirroring_add_mc") X(MGRP, "mc_mgrp_create") \
	X(NODE, "mc_node_create") X(ASSOC, "mc_node_associate") X(CREAD, "counter_read") \
	X(CCHECK, "check_counter") X(RREAD, "register_read") X(RWRITE, "register_write") \
	X(RRESET, "register_reset") X(METER, "meter_set_rates") X(NOPKT, "no_packet") \
	X(PVS_ADD, "pvs_add") X(PVS_REMOVE, "pvs_remove") X(PVS_CLEAR, "pvs_clear") \
	X(AP_MEMBER, "act_prof_create_member") X(AP_GROUP, "act_prof_create_group") \
	X(AP_ADD, "act_prof_add_member_to_group") X(QDEPTH, "set_queue_depth") \
	X(QRATE, "set_queue_rate")

enum {
#define X(e, s) S_##e,
	STATE_CMDS(X)
#undef X
	S_COUNT
};

static const char *const names[S_COUNT] = {
#define X(e, s) s,
	STATE_CMDS(X)
#undef X
};

static int find_cmd(const char *w, size_t kl)
{
	for (int i = 0; i < S_COUNT; i++)
		if (strlen(names[i]) == kl && !strncmp(w, names[i], kl))
			return i;
	return -1;
}

bool stf_state_cmd(const char *w, size_t kl)
{
	return find_cmd(w, kl) >= 0;
}

void stf_state_free(struct stf *s)
{
	for (size_t i = 0; i < s->n_profs; i++) {
		for (uint32_t g = 0; g < s->profs[i].groups; g++)
			free(s->profs[i].gm[g]);
		free(s->profs[i].gm);
		free(s->profs[i].gn);
		free(s->profs[i].name);
	}
	free(s->profs);
	for (size_t i = 0; i < s->n_nodes; i++)
		free(s->nodes[i].ports);
	free(s->nodes);
	free(s->groups);
}

/* Splits line into at most max words (in place); returns how many. */
static size_t split(char *line, char **w, size_t max)
{
	size_t n = 0;
	char *save = NULL;
	for (char *t = strtok_r(line, " \t\r", &save); t && n < max; t = strtok_r(NULL, " \t\r", &save))
		w[n++] = t;
	return n;
}

static int num(const char *t, uint64_t *v)
{
	char *e;
	if (!t || !*t || *t == '-')
		return -EINVAL;
	errno = 0;
	*v = strtoull(t, &e, 0);
	return *e || errno ? -EINVAL : 0;
}

/* "OP N" against got; returns 1 when it holds, 0 when not, -EINVAL if bad. */
static int compare(const char *op, const char *n, uint64_t got)
{
	uint64_t v;
	if (num(n, &v) < 0)
		return -EINVAL;
	if (!strcmp(op, "=="))
		return got == v;
	if (!strcmp(op, "!="))
		return got != v;
	if (!strcmp(op, "<"))
		return got < v;
	if (!strcmp(op, "<="))
		return got <= v;
	if (!strcmp(op, ">"))
		return got > v;
	if (!strcmp(op, ">="))
		return got >= v;
	return -EINVAL;
}

/* A group's replicas: its nodes in the order they were associated, each
 * node's ports in increasing order (as BMv2's PRE makes them). */
static int sync_group(struct stf *s, struct sw_switch *sw, uint32_t g, int line)
{
	size_t total = 0, k = 0;
	for (size_t i = 0; i < s->n_nodes; i++)
		if (s->nodes[i].group == g)
			total += s->nodes[i].n_ports;
	struct sw_replica *r = calloc(total + 1, sizeof(*r));
	if (!r)
		return p4l_errf(s->err, -ENOMEM, "out of memory");
	for (uint64_t seq = 0; seq < s->seq; seq++)
		for (size_t i = 0; i < s->n_nodes; i++) {
			const struct mc_node *nd = &s->nodes[i];
			if (nd->group != g || nd->seq != seq)
				continue;
			for (size_t j = 0; j < nd->n_ports; j++)
				r[k++] = (struct sw_replica){ nd->ports[j], nd->rid };
		}
	int rc = sw_mc_group_set(sw, g, r, k, s->err);
	free(r);
	return rc ? p4l_err_prefix(s->err, "%s:%d", s->path, line) : 0;
}

static bool group_exists(const struct stf *s, uint32_t g)
{
	for (size_t i = 0; i < s->n_groups; i++)
		if (s->groups[i] == g)
			return true;
	return false;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The profile named name (full or suffix), with a table that uses it (for
 * its actions) and the runner's numbering of its members and groups; NULL
 * with s->err set when no table uses it. */
static struct stf_prof *find_prof(struct stf *s, struct sw_switch *sw, const char *name,
				  int line)
{
	const char *full = NULL;
	size_t table = 0;
	for (size_t t = 0; t < sw_table_count(sw) && !full; t++) {
		const char *pn = sw_table_profile(sw, t);
		if (pn && sw_name_matches(pn, name))
			full = pn, table = t;
	}
	if (!full) {
		p4l_errf(s->err, -ENOENT, "%s:%d: no table uses an action profile named '%s'",
			 s->path, line, name);
		return NULL;
	}
	for (size_t i = 0; i < s->n_profs; i++)
		if (!strcmp(s->profs[i].name, full))
			return &s->profs[i];
	struct stf_prof *np = realloc(s->profs, (s->n_profs + 1) * sizeof(*np));
	if (np)
		s->profs = np;
	char *dup = np ? strdup(full) : NULL;
	if (!dup) {
		p4l_errf(s->err, -ENOMEM, "out of memory");
		return NULL;
	}
	np[s->n_profs] = (struct stf_prof){ .name = dup, .table = table };
	return &np[s->n_profs++];
}

int stf_state_run(struct stf *s, struct sw_switch *sw, const struct cmd *c, int *failed)
{
	char *line = strdup(c->text), *w[520];
	int r = 0;
	if (!line)
		return p4l_errf(s->err, -ENOMEM, "out of memory");
	size_t n = split(line, w, 520);
	int k = n ? find_cmd(w[0], strlen(w[0])) : -1;
	if (k < 0 || k >= S_COUNT) {
		/* stf.c sends only lines that stf_state_cmd() accepted */
		r = p4l_errf(s->err, -EINVAL, "%s:%d: not a state command", s->path, c->line);
		goto out;
	}
	uint64_t a = 0, b = 0, v = 0;
	const char *usage[S_COUNT] = {
		[S_MIRROR] = "SESSION PORT", [S_MIRROR_MC] = "SESSION GROUP", [S_MGRP] = "GROUP",
		[S_NODE] = "RID PORT...", [S_ASSOC] = "GROUP NODE", [S_CREAD] = "NAME INDEX",
		[S_CCHECK] = "NAME(INDEX) [packets|bytes OP VALUE]", [S_RREAD] = "NAME INDEX [OP VALUE]",
		[S_RWRITE] = "NAME INDEX VALUE", [S_RRESET] = "NAME",
		[S_METER] = "NAME INDEX RATE:BURST RATE:BURST", [S_NOPKT] = "",
		[S_PVS_ADD] = "NAME VALUE", [S_PVS_REMOVE] = "NAME VALUE", [S_PVS_CLEAR] = "NAME",
		[S_AP_MEMBER] = "PROFILE ACTION(ARG:VALUE, ...)", [S_AP_GROUP] = "PROFILE",
		[S_AP_ADD] = "PROFILE MEMBER GROUP", [S_QDEPTH] = "DEPTH [PORT]",
		[S_QRATE] = "PACKETS_PER_SECOND [PORT]",
	};
#define BAD() do { r = p4l_errf(s->err, -EINVAL, "%s:%d: usage: %s %s", s->path, c->line, \
				names[k], usage[k]); goto out; } while (0)
#define SW(call) do { if ((r = (call))) { r = p4l_err_prefix(s->err, "%s:%d", s->path, c->line); \
				goto out; } } while (0)
	switch (k) {
	case S_MIRROR:
	case S_MIRROR_MC:
		if (n != 3 || num(w[1], &a) || num(w[2], &b) || b > 0xffff)
			BAD();
		SW(sw_clone_session_set(sw, (uint32_t)a, k == S_MIRROR ? (int32_t)b : -1,
					k == S_MIRROR ? 0 : (uint32_t)b, s->err));
		break;
	case S_MGRP: {
		if (n != 2 || num(w[1], &a) || !a || a > 0xffff)
			BAD();
		if (group_exists(s, (uint32_t)a)) {
			r = p4l_errf(s->err, -EEXIST, "%s:%d: multicast group %" PRIu64 " exists already",
				     s->path, c->line, a);
			goto out;
		}
		uint32_t *ng = realloc(s->groups, (s->n_groups + 1) * sizeof(*ng));
		if (!ng) {
			r = p4l_errf(s->err, -ENOMEM, "out of memory");
			goto out;
		}
		s->groups = ng;
		ng[s->n_groups++] = (uint32_t)a;
		r = sync_group(s, sw, (uint32_t)a, c->line);
		break;
	}
	case S_NODE: {
		if (n < 2 || num(w[1], &a) || a > 0xffff)
			BAD();
		struct mc_node *nn = realloc(s->nodes, (s->n_nodes + 1) * sizeof(*nn));
		if (!nn) {
			r = p4l_errf(s->err, -ENOMEM, "out of memory");
			goto out;
		}
		s->nodes = nn;
		struct mc_node *nd = &nn[s->n_nodes++];
		memset(nd, 0, sizeof(*nd));
		nd->rid = (uint16_t)a;
		if (!(nd->ports = calloc(n, sizeof(*nd->ports)))) {
			r = p4l_errf(s->err, -ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 2; i < n; i++) {
			if (num(w[i], &v) || v >= 511) {
				r = p4l_errf(s->err, -EINVAL, "%s:%d: '%s' is not a port (0-510)", s->path,
					     c->line, w[i]);
				goto out;
			}
			nd->ports[nd->n_ports++] = (uint32_t)v;
		}
		qsort(nd->ports, nd->n_ports, sizeof(*nd->ports), cmp_u32);
		break;
	}
	case S_ASSOC:
		if (n != 3 || num(w[1], &a) || num(w[2], &b))
			BAD();
		if (!group_exists(s, (uint32_t)a)) {
			r = p4l_errf(s->err, -ENOENT, "%s:%d: no multicast group %" PRIu64 " (mc_mgrp_create "
				     "it first)", s->path, c->line, a);
			goto out;
		}
		if (b >= s->n_nodes) {
			r = p4l_errf(s->err, -ENOENT, "%s:%d: no multicast node %" PRIu64 " (%zu made so far)",
				     s->path, c->line, b, s->n_nodes);
			goto out;
		}
		if (s->nodes[b].group) {
			r = p4l_errf(s->err, -EEXIST, "%s:%d: node %" PRIu64 " is already in group %u", s->path,
				     c->line, b, s->nodes[b].group);
			goto out;
		}
		s->nodes[b].group = (uint32_t)a;
		s->nodes[b].seq = s->seq++;
		r = sync_group(s, sw, (uint32_t)a, c->line);
		break;
	case S_CREAD:
	case S_CCHECK: {
		const char *name = w[1];
		const char *kind = "packets", *op = "==", *val = "0";
		if (k == S_CREAD) {
			if (n != 3 || num(w[2], &a))
				BAD();
		} else {
			char *open = n >= 2 ? strchr(w[1], '(') : NULL, *close = open ? strchr(open, ')') : NULL;
			if (!close || close[1] || (n != 2 && n != 5))
				BAD();
			*open = *close = '\0';
			if (num(open + 1, &a)) {
				r = p4l_errf(s->err, -EINVAL, "%s:%d: '%s': only counters indexed by a number "
					     "can be checked", s->path, c->line, open + 1);
				goto out;
			}
			if (n == 5) {
				kind = w[2], op = w[3], val = w[4];
				if (strcmp(kind, "packets") && strcmp(kind, "bytes"))
					BAD();
			}
		}
		uint64_t pk, by;
		SW(sw_counter_read(sw, name, (uint32_t)a, &pk, &by, s->err));
		if (k == S_CREAD) {
			fprintf(s->report, "%s:%d: counter %s[%" PRIu64 "] = %" PRIu64 " packets, %" PRIu64
				" bytes\n", s->path, c->line, name, a, pk, by);
			break;
		}
		uint64_t got = strcmp(kind, "bytes") ? pk : by;
		int ok = compare(op, val, got);
		if (ok < 0)
			BAD();
		if (!ok) {
			fprintf(s->report, "%s:%d: counter %s[%" PRIu64 "]: %s is %" PRIu64 ", expected %s %s\n",
				s->path, c->line, name, a, kind, got, op, val);
			*failed = 1;
		}
		break;
	}
	case S_RREAD: {
		if ((n != 3 && n != 5) || num(w[2], &a))
			BAD();
		SW(sw_register_read(sw, w[1], (uint32_t)a, &v, s->err));
		if (n == 3) {
			fprintf(s->report, "%s:%d: register %s[%" PRIu64 "] = %" PRIu64 "\n", s->path, c->line,
				w[1], a, v);
			break;
		}
		int ok = compare(w[3], w[4], v);
		if (ok < 0)
			BAD();
		if (!ok) {
			fprintf(s->report, "%s:%d: register %s[%" PRIu64 "] is %" PRIu64 ", expected %s %s\n",
				s->path, c->line, w[1], a, v, w[3], w[4]);
			*failed = 1;
		}
		break;
	}
	case S_RWRITE:
		if (n != 4 || num(w[2], &a) || num(w[3], &v))
			BAD();
		SW(sw_register_write(sw, w[1], (uint32_t)a, v, s->err));
		break;
	case S_RRESET:
		if (n != 2)
			BAD();
		SW(sw_register_reset(sw, w[1], s->err));
		break;
	case S_METER: {
		double rate[2], burst[2];
		if (n != 5 || num(w[2], &a))
			BAD();
		for (int i = 0; i < 2; i++) {
			char *e;
			rate[i] = strtod(w[3 + i], &e);
			if (*e != ':')
				BAD();
			char *bs = e + 1;
			burst[i] = strtod(bs, &e);
			if (*e || e == bs)
				BAD();
		}
		SW(sw_meter_set(sw, w[1], (uint32_t)a, rate[0] * 1e6, burst[0], rate[1] * 1e6, burst[1],
				s->err));
		break;
	}
	case S_PVS_ADD:
	case S_PVS_REMOVE: {
		uint8_t vb[VALUE_MAX];
		size_t vl;
		if (n != 3 || sw_value_parse(w[2], vb, sizeof(vb), &vl) < 0)
			BAD();
		struct sw_bytes b = { vb, vl };
		SW(k == S_PVS_ADD ? sw_vset_add(sw, w[1], &b, s->err) : sw_vset_remove(sw, w[1], &b, s->err));
		break;
	}
	case S_PVS_CLEAR:
		if (n != 2)
			BAD();
		SW(sw_vset_clear(sw, w[1], s->err));
		break;
	case S_AP_MEMBER:
	case S_AP_GROUP:
	case S_AP_ADD: {
		if (n < 2 || (k == S_AP_GROUP && n != 2) ||
		    (k == S_AP_ADD && (n != 4 || num(w[2], &a) || num(w[3], &b))))
			BAD();
		struct stf_prof *pf = find_prof(s, sw, w[1], c->line);
		if (!pf) {
			r = s->err ? s->err->code : -EINVAL;
			goto out;
		}
		if (k == S_AP_MEMBER) {
			/* the action call is the rest of the line after the name */
			const char *rest = strstr(c->text + strlen(names[k]), w[1]) + strlen(w[1]);
			char *call = strdup(rest);
			struct val *args = calloc(64, sizeof(*args));
			int act;
			struct sw_bytes ab[64];
			if (!call || !args) {
				free(call);
				free(args);
				r = p4l_errf(s->err, -ENOMEM, "out of memory");
				goto out;
			}
			r = stf_parse_action(s, sw, c, pf->table, call, &act, args);
			if (!r) {
				const struct sw_action_info *ai = sw_action_get(sw, (size_t)act);
				for (size_t i = 0; i < ai->n_params; i++)
					ab[i] = (struct sw_bytes){ args[i].v, args[i].len };
				if ((r = sw_profile_member_set(sw, pf->name, pf->members, (size_t)act, ab, s->err)))
					r = p4l_err_prefix(s->err, "%s:%d", s->path, c->line);
				else
					pf->members++;
			}
			free(call);
			free(args);
			break;
		}
		if (k == S_AP_GROUP) {
			uint32_t **gm = realloc(pf->gm, (pf->groups + 1) * sizeof(*gm));
			size_t *gn = gm ? realloc(pf->gn, (pf->groups + 1) * sizeof(*gn)) : NULL;
			if (gm)
				pf->gm = gm;
			if (!gn) {
				r = p4l_errf(s->err, -ENOMEM, "out of memory");
				goto out;
			}
			pf->gn = gn;
			SW(sw_profile_group_set(sw, pf->name, pf->groups, NULL, 0, s->err));
			gm[pf->groups] = NULL;
			gn[pf->groups++] = 0;
			break;
		}
		if (b >= pf->groups) {
			r = p4l_errf(s->err, -ENOENT, "%s:%d: no group %" PRIu64 " in %s (%u made so far)",
				     s->path, c->line, b, pf->name, pf->groups);
			goto out;
		}
		uint32_t *m = realloc(pf->gm[b], (pf->gn[b] + 1) * sizeof(*m));
		if (!m) {
			r = p4l_errf(s->err, -ENOMEM, "out of memory");
			goto out;
		}
		pf->gm[b] = m;
		m[pf->gn[b]] = (uint32_t)a;
		SW(sw_profile_group_set(sw, pf->name, (uint32_t)b, m, pf->gn[b] + 1, s->err));
		pf->gn[b]++;
		break;
	}
	case S_QDEPTH:
	case S_QRATE: {
		double rate = 0;
		char *e = NULL;
		if (n < 2 || n > 3 || (n == 3 && (num(w[2], &b) || b >= 511)))
			BAD();
		if (k == S_QDEPTH ? num(w[1], &a) || !a || a > 65536 :
		    ((rate = strtod(w[1], &e)), *e || e == w[1] || !(rate >= 0)))
			BAD();
		for (uint32_t port = n == 3 ? (uint32_t)b : 0; port < (n == 3 ? b + 1 : 511); port++) {
			if (k == S_QDEPTH)
				s->qdepth[port] = (uint32_t)a;
			else
				s->qrate[port] = rate;
			SW(sw_queue_set(sw, port, s->qdepth[port] ? s->qdepth[port] : 64, s->qrate[port],
					s->err));
		}
		break;
	}
	case S_NOPKT:
		if (n != 1)
			BAD();
		if (s->last_out) {
			fprintf(s->report, "%s:%d: no_packet: the last packet made %zu packet%s\n", s->path,
				c->line, s->last_out, s->last_out == 1 ? "" : "s");
			*failed = 1;
		}
		break;
	default:
		BAD();
	}
#undef BAD
#undef SW
out:
	free(line);
	return r;
}
