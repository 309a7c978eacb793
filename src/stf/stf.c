/* stf.c - parses and runs STF tests (see stf.h).
 *
 * The format is p4c's: `packet PORT HEX`, `expect PORT HEX [$]` with `*`
 * don't-care nibbles, `add TABLE [PRIORITY] KEY:VALUE... ACTION(ARG:VALUE,...)`,
 * `setdefault TABLE ACTION(ARGS)`, `direct_meter_set TABLE [PRIORITY]
 * KEY:VALUE... rates(RATE:BURST, RATE:BURST)` (rates per microsecond, as
 * meter_set_rates; ternary entries need their priority), `wait`, `#`
 * comments, and the state commands of p4c's BMv2 tests and simple_switch_CLI
 * (mirroring, multicast, counters, registers, meters, value sets, action
 * profiles, queues, no_packet: stf_state.c lists them).  Packets run at
 * once, in file order; expectations are checked at the end, per port and in
 * order, against everything each port emitted.  Priorities follow BMv2's
 * convention (a lower number wins), as p4c's STF runner hands them to BMv2,
 * and only tables with ternary, range or optional keys take one.  A range
 * key is LOW..HIGH or one value; omitted keys are wildcards except exact and
 * valid ones (range: the full range; optional: any value). */
#include "stf.h"
#include "stf_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static void free_cmds(struct stf *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->cmds[i].data);
		free(s->cmds[i].care);
		free(s->cmds[i].text);
	}
	free(s->cmds);
	stf_state_free(s);
	for (unsigned p = 0; p < MAX_PORTS; p++)
		for (struct opkt *o = s->q[p], *n; o; o = n) {
			n = o->next;
			free(o->data);
			free(o);
		}
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* "packet"/"expect" operands: PORT then hex nibbles (spaces ignored). */
static int parse_packet(struct stf *s, struct cmd *c, const char *p)
{
	char *end;
	while (isspace((unsigned char)*p))
		p++;
	unsigned long port = strtoul(p, &end, 0);
	if (end == p || port >= MAX_PORTS)
		return p4l_errf(s->err, -EINVAL, "%s:%d: expected a port number (0-%d)", s->path,
				c->line, MAX_PORTS - 1);
	c->port = (unsigned)port;
	p = end;
	size_t n = strlen(p), nib = 0;
	c->data = calloc(n / 2 + 2, 1);
	c->care = calloc(n / 2 + 2, 1);
	if (!c->data || !c->care)
		return p4l_errf(s->err, -ENOMEM, "out of memory");
	for (; *p; p++) {
		if (isspace((unsigned char)*p))
			continue;
		if (*p == '$' && c->kind == C_EXPECT) {
			c->exact = true;
			p++;
			while (isspace((unsigned char)*p))
				p++;
			if (*p)
				return p4l_errf(s->err, -EINVAL, "%s:%d: '$' must end the line", s->path,
						c->line);
			break;
		}
		int v = hexval(*p);
		bool wild = *p == '*' && c->kind == C_EXPECT;
		if (v < 0 && !wild)
			return p4l_errf(s->err, -EINVAL, "%s:%d: '%c' is not a hex digit%s", s->path,
					c->line, *p, c->kind == C_EXPECT ? " or '*'" : "");
		uint8_t sh = nib % 2 ? 0 : 4;
		if (!wild) {
			c->data[nib / 2] |= (uint8_t)(v << sh);
			c->care[nib / 2] |= (uint8_t)(0xf << sh);
		}
		nib++;
	}
	if (nib % 2)
		return p4l_errf(s->err, -EINVAL, "%s:%d: odd number of hex digits", s->path, c->line);
	c->len = nib / 2;
	return 0;
}

static int parse(struct stf *s, const char *src, size_t len)
{
	int line = 0;
	const char *p = src, *end = src + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *l = strndup(p, ll);
		p += ll + (nl ? 1 : 0);
		line++;
		if (!l)
			return p4l_errf(s->err, -ENOMEM, "out of memory");
		char *hash = strchr(l, '#');
		if (hash)
			*hash = '\0';
		char *w = l;
		while (isspace((unsigned char)*w))
			w++;
		size_t kl = 0;
		while (w[kl] && !isspace((unsigned char)w[kl]))
			kl++;
		if (!kl || (kl == 4 && !strncmp(w, "wait", 4))) {
			free(l);
			continue;
		}
		if (s->n == s->cap) {
			size_t nc = s->cap ? 2 * s->cap : 32;
			struct cmd *ncmds = realloc(s->cmds, nc * sizeof(*ncmds));
			if (!ncmds) {
				free(l);
				return p4l_errf(s->err, -ENOMEM, "out of memory");
			}
			s->cmds = ncmds;
			s->cap = nc;
		}
		struct cmd *c = &s->cmds[s->n++];
		memset(c, 0, sizeof(*c));
		c->line = line;
		int r = 0;
		if (kl == 6 && !strncmp(w, "packet", 6)) {
			c->kind = C_PACKET;
			r = parse_packet(s, c, w + kl);
		} else if (kl == 6 && !strncmp(w, "expect", 6)) {
			c->kind = C_EXPECT;
			r = parse_packet(s, c, w + kl);
		} else if ((kl == 3 && !strncmp(w, "add", 3)) ||
			   (kl == 10 && !strncmp(w, "setdefault", 10)) ||
			   (kl == 16 && !strncmp(w, "direct_meter_set", 16))) {
			c->kind = kl == 3 ? C_ADD : kl == 10 ? C_SETDEFAULT : C_DMETER;
			if (!(c->text = strdup(w + kl)))
				r = p4l_errf(s->err, -ENOMEM, "out of memory");
		} else if (stf_state_cmd(w, kl)) {
			c->kind = C_STATE;
			if (!(c->text = strdup(w)))
				r = p4l_errf(s->err, -ENOMEM, "out of memory");
		} else {
			w[kl] = '\0';
			r = p4l_errf(s->err, -EINVAL, "%s:%d: command '%s' is not supported", s->path,
				     line, w);
		}
		free(l);
		if (r)
			return r;
	}
	return 0;
}

/* ---- add / setdefault ------------------------------------------------------- */

static char *skip_ws(char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

static char *word(char **pp)
{
	char *p = skip_ws(*pp), *w = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	if (*p)
		*p++ = '\0';
	*pp = p;
	return w;
}


/* Hex (bits 4) or binary (bits 1) digits where '*' is a don't-care digit,
 * into x's value and mask. */
static int wild_digits(const char *digits, unsigned bits, struct val *x)
{
	size_t nd = strlen(digits), n = (nd * bits + 7) / 8;
	if (!nd || n > sizeof(x->v))
		return -EINVAL;
	for (size_t i = 0; i < nd; i++) {
		char c = digits[nd - 1 - i];
		int d = bits == 4 ? hexval(c) : c == '0' || c == '1' ? c - '0' : -1;
		size_t bit = i * bits;
		if (c == '*')
			continue;
		if (d < 0)
			return -EINVAL;
		x->v[n - 1 - bit / 8] |= (uint8_t)(d << (bit % 8));
		x->m[n - 1 - bit / 8] |= (uint8_t)(((1u << bits) - 1) << (bit % 8));
	}
	x->len = n;
	x->has_mask = strchr(digits, '*') != NULL;
	return 0;
}

/* A value: number (hex with optional '*' nibbles, decimal, or sw_value_parse
 * forms), optionally "/len" or "&&&mask"; or a range "LOW..HIGH" (IPv4
 * addresses have single dots, so ".." is unambiguous). */
static int parse_val(char *t, struct val *x)
{
	memset(x, 0, sizeof(*x));
	char *dots = strstr(t, "..");
	if (dots) {
		*dots = '\0';
		x->has_range = true;
		if (sw_value_parse(t, x->v, sizeof(x->v), &x->len) < 0 ||
		    sw_value_parse(dots + 2, x->hi, sizeof(x->hi), &x->hi_len) < 0)
			return -EINVAL;
		return 0;
	}
	char *amp = strstr(t, "&&&"), *sl = strchr(t, '/');
	if (amp) {
		*amp = '\0';
		size_t ml;
		if (sw_value_parse(amp + 3, x->m, sizeof(x->m), &ml) < 0)
			return -EINVAL;
		/* align the mask under the value below */
		x->has_mask = true;
		uint8_t tmp[64];
		size_t vl;
		if (sw_value_parse(t, tmp, sizeof(tmp), &vl) < 0)
			return -EINVAL;
		size_t n = vl > ml ? vl : ml;
		memset(x->v, 0, n);
		memcpy(x->v + n - vl, tmp, vl);
		memmove(x->m + n - ml, x->m, ml);
		memset(x->m, 0, n - ml);
		x->len = n;
		return 0;
	}
	if (sl) {
		*sl = '\0';
		char *e;
		unsigned long pl = strtoul(sl + 1, &e, 10);
		if (*e || e == sl + 1)
			return -EINVAL;
		x->plen = (uint32_t)pl;
		x->has_plen = true;
	}
	if ((t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) && strchr(t, '*'))
		return wild_digits(t + 2, 4, x);
	if (t[0] == '0' && (t[1] == 'b' || t[1] == 'B'))
		return wild_digits(t + 2, 1, x);
	return sw_value_parse(t, x->v, sizeof(x->v), &x->len) < 0 ? -EINVAL : 0;
}

static const char *match_kind_name(enum sw_match_kind k)
{
	switch (k) {
	case SW_MATCH_EXACT: return "exact";
	case SW_MATCH_LPM: return "lpm";
	case SW_MATCH_TERNARY: return "ternary";
	case SW_MATCH_VALID: return "valid";
	case SW_MATCH_RANGE: return "range";
	case SW_MATCH_OPTIONAL: return "optional";
	}
	return "?";
}

/* "name(arg:val, ...)" -> action index and argument values. */
int stf_parse_action(struct stf *s, struct sw_switch *sw, const struct cmd *c, size_t table,
			char *p, int *action, struct val *args)
{
	p = skip_ws(p);
	char *open = strchr(p, '('), *close = strrchr(p, ')');
	if (!open || !close || close < open || *skip_ws(close + 1))
		return p4l_errf(s->err, -EINVAL, "%s:%d: expected ACTION(ARG:VALUE, ...)", s->path, c->line);
	*open = '\0';
	*close = '\0';
	char *name = p;
	size_t nl = strlen(name);
	while (nl && isspace((unsigned char)name[nl - 1]))
		name[--nl] = '\0';
	int a = sw_action_find(sw, table, name, s->err);
	if (a < 0)
		return p4l_err_prefix(s->err, "%s:%d", s->path, c->line);
	const struct sw_action_info *ai = sw_action_get(sw, (size_t)a);
	bool seen[64] = { false };
	char *save = NULL;
	for (char *tok = strtok_r(open + 1, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		tok = skip_ws(tok);
		if (!*tok)
			continue;
		char *colon = strchr(tok, ':');
		if (!colon)
			return p4l_errf(s->err, -EINVAL, "%s:%d: action argument '%s' must be NAME:VALUE",
					s->path, c->line, tok);
		*colon = '\0';
		char *an = tok, *av = skip_ws(colon + 1);
		size_t l = strlen(an);
		while (l && isspace((unsigned char)an[l - 1]))
			an[--l] = '\0';
		l = strlen(av);
		while (l && isspace((unsigned char)av[l - 1]))
			av[--l] = '\0';
		size_t i;
		for (i = 0; i < ai->n_params; i++)
			if (!strcmp(ai->params[i].name, an))
				break;
		if (i == ai->n_params || i >= 64)
			return p4l_errf(s->err, -EINVAL, "%s:%d: action %s has no parameter '%s'", s->path,
					c->line, ai->name, an);
		if (parse_val(av, &args[i]) < 0 || args[i].has_mask || args[i].has_plen)
			return p4l_errf(s->err, -EINVAL, "%s:%d: '%s' is not a valid value for %s", s->path,
					c->line, av, an);
		seen[i] = true;
	}
	for (size_t i = 0; i < ai->n_params; i++)
		if (!seen[i])
			return p4l_errf(s->err, -EINVAL, "%s:%d: action %s needs parameter '%s'", s->path,
					c->line, ai->name, ai->params[i].name);
	*action = a;
	return 0;
}

static int run_table_cmd(struct stf *s, struct sw_switch *sw, const struct cmd *c, size_t seq)
{
	char *text = strdup(c->text), *p = text;
	struct val *keys = calloc(64, sizeof(*keys)), *args = calloc(64, sizeof(*args));
	bool seen[64] = { false };
	int r = 0, t, a = -1;
	if (!text || !keys || !args) {
		r = p4l_errf(s->err, -ENOMEM, "out of memory");
		goto out;
	}
	char *tname = word(&p);
	if (!*tname) {
		r = p4l_errf(s->err, -EINVAL, "%s:%d: expected a table name", s->path, c->line);
		goto out;
	}
	if ((t = sw_table_find(sw, tname, s->err)) < 0) {
		r = p4l_err_prefix(s->err, "%s:%d", s->path, c->line);
		goto out;
	}
	const struct sw_table_info *ti = sw_table_get(sw, (size_t)t);
	if (!strchr(p, '(')) {
		r = p4l_errf(s->err, -EINVAL, "%s:%d: expected ACTION(ARG:VALUE, ...)", s->path, c->line);
		goto out;
	}
	int32_t prio = -(int32_t)(1000000 + seq);  /* no priority: earlier entries win */
	bool has_prio = false;
	if (c->kind == C_ADD || c->kind == C_DMETER) {
		for (;;) {
			p = skip_ws(p);
			char *sp = p;
			while (*sp && !isspace((unsigned char)*sp) && *sp != '(')
				sp++;
			if (*sp == '(' || !*p)
				break;  /* the action call */
			char save = *sp;
			*sp = '\0';
			char *colon = strchr(p, ':');
			if (!colon) {
				char *e;
				long v = strtol(p, &e, 0);
				if (*e || v < 0) {
					r = p4l_errf(s->err, -EINVAL, "%s:%d: '%s' is neither a priority nor "
						     "KEY:VALUE", s->path, c->line, p);
					goto out;
				}
				if (!ti->needs_priority) {
					r = p4l_errf(s->err, -EINVAL, "%s:%d: table %s takes no priority (its "
						     "keys are exact or lpm), '%s' given", s->path, c->line,
						     ti->name, p);
					goto out;
				}
				prio = -(int32_t)v;
				has_prio = true;
			} else {
				*colon = '\0';
				size_t k, found = SIZE_MAX, n = 0;
				for (k = 0; k < ti->n_keys; k++)
					if (!strcmp(ti->keys[k].name, p))
						found = k, n = 1;
				if (found == SIZE_MAX)
					for (k = 0; k < ti->n_keys; k++)
						if (sw_name_matches(ti->keys[k].name, p))
							found = k, n++;
				if (n != 1) {
					r = p4l_errf(s->err, -EINVAL, "%s:%d: table %s has %s key named '%s'",
						     s->path, c->line, ti->name, n ? "more than one" : "no", p);
					goto out;
				}
				char as_written[128];
				snprintf(as_written, sizeof(as_written), "%s", colon + 1);
				if (parse_val(colon + 1, &keys[found]) < 0) {
					r = p4l_errf(s->err, -EINVAL, "%s:%d: '%s' is not a valid key value",
						     s->path, c->line, as_written);
					goto out;
				}
				seen[found] = true;
			}
			*sp = save;
			p = sp;
		}
	}
	/* an indirect table's entry names a member or a group: member(N), group(N) */
	bool ref = false, ref_group = false;
	unsigned long ref_id = 0;
	if (c->kind == C_ADD && sw_table_profile(sw, (size_t)t)) {
		char *q = skip_ws(p), *e;
		ref_group = !strncmp(q, "group(", 6);
		if (ref_group || !strncmp(q, "member(", 7)) {
			q += ref_group ? 6 : 7;
			ref_id = strtoul(q, &e, 0);
			if (e == q || *e != ')' || *skip_ws(e + 1)) {
				r = p4l_errf(s->err, -EINVAL, "%s:%d: expected member(ID) or group(ID)",
					     s->path, c->line);
				goto out;
			}
			ref = true;
		}
	}
	double rate[2] = { 0 }, burst[2] = { 0 };
	if (c->kind == C_DMETER) {
		/* rates(CIR:CBURST, PIR:PBURST) */
		char *q = skip_ws(p), *e;
		bool ok = !strncmp(q, "rates(", 6);
		q += 6;
		for (int i = 0; ok && i < 2; i++) {
			rate[i] = strtod(q, &e);
			ok = e != q && *e == ':';
			q = e + 1;
			burst[i] = ok ? strtod(q, &e) : 0;
			ok = ok && e != q && *skip_ws(e) == (i ? ')' : ',');
			q = skip_ws(e) + 1;
		}
		if (!ok || *skip_ws(q)) {
			r = p4l_errf(s->err, -EINVAL, "%s:%d: expected rates(RATE:BURST, RATE:BURST)",
				     s->path, c->line);
			goto out;
		}
		if (ti->needs_priority && !has_prio) {
			r = p4l_errf(s->err, -EINVAL, "%s:%d: table %s has priorities: give the entry's",
				     s->path, c->line, ti->name);
			goto out;
		}
		ref = true;  /* no action to parse */
	}
	struct sw_bytes ab[64];
	if (!ref) {
		if ((r = stf_parse_action(s, sw, c, (size_t)t, p, &a, args)))
			goto out;
		const struct sw_action_info *ai = sw_action_get(sw, (size_t)a);
		for (size_t i = 0; i < ai->n_params; i++)
			ab[i] = (struct sw_bytes){ args[i].v, args[i].len };
	}
	if (c->kind == C_SETDEFAULT) {
		if ((r = sw_table_set_default(sw, (size_t)t, (size_t)a, ab, s->err)))
			r = p4l_err_prefix(s->err, "%s:%d", s->path, c->line);
		goto out;
	}
	struct sw_key sk[64];
	for (size_t k = 0; k < ti->n_keys && k < 64; k++) {
		const struct sw_key_info *ki = &ti->keys[k];
		struct val *v = &keys[k];
		memset(&sk[k], 0, sizeof(sk[k]));
		/* omitted: a wildcard where P4Runtime allows one (range: the full
		 * range), an error for exact and valid keys */
		if (!seen[k] && (ki->kind == SW_MATCH_EXACT || ki->kind == SW_MATCH_VALID)) {
			r = p4l_errf(s->err, -EINVAL, "%s:%d: key %s is missing", s->path, c->line, ki->name);
			goto out;
		}
		if (v->has_range && ki->kind != SW_MATCH_RANGE) {
			r = p4l_errf(s->err, -EINVAL, "%s:%d: key %s is not a range key (its match kind "
				     "is %s): LOW..HIGH is for range keys", s->path, c->line, ki->name,
				     match_kind_name(ki->kind));
			goto out;
		}
		sk[k].value = (struct sw_bytes){ v->v, v->len };
		if (ki->kind == SW_MATCH_RANGE) {
			if (v->has_mask || v->has_plen) {
				r = p4l_errf(s->err, -EINVAL, "%s:%d: key %s is a range match: write "
					     "LOW..HIGH or a single value", s->path, c->line, ki->name);
				goto out;
			}
			if (!seen[k]) {
				/* the full range: 0 .. all ones over the width */
				size_t nb = (ki->width + 7) / 8;
				memset(v->hi, 0xff, nb);
				if (ki->width % 8)
					v->hi[0] = (uint8_t)(0xff >> (8 - ki->width % 8));
				v->hi_len = nb;
			} else if (!v->has_range) {
				memcpy(v->hi, v->v, v->len);  /* V is V..V */
				v->hi_len = v->len;
			}
			sk[k].mask = (struct sw_bytes){ v->hi, v->hi_len };
		} else if (ki->kind == SW_MATCH_OPTIONAL) {
			if (v->has_mask || v->has_plen) {
				r = p4l_errf(s->err, -EINVAL, "%s:%d: key %s is an optional match: give a "
					     "value, or leave the key out for a wildcard", s->path, c->line,
					     ki->name);
				goto out;
			}
			/* a zero mask is the wildcard, an empty one an exact match */
			if (!seen[k])
				sk[k].mask = (struct sw_bytes){ v->m, 1 };
		} else if (ki->kind == SW_MATCH_LPM) {
			sk[k].prefix_len = !seen[k] ? 0 : v->has_plen ? v->plen : ki->width;
		} else if (ki->kind == SW_MATCH_TERNARY) {
			size_t ml = !seen[k] ? 1 : v->len;
			if (seen[k] && !v->has_mask) {
				/* an exact value in a ternary key: all ones over the width */
				ml = (ki->width + 7) / 8;
				memset(v->m, 0xff, ml);
				if (ki->width % 8)
					v->m[0] = (uint8_t)(0xff >> (8 - ki->width % 8));
			}
			sk[k].mask = (struct sw_bytes){ v->m, ml };
		} else if (v->has_mask || v->has_plen) {
			r = p4l_errf(s->err, -EINVAL, "%s:%d: key %s is an exact match", s->path, c->line,
				     ki->name);
			goto out;
		}
	}
	if (c->kind == C_DMETER)
		r = sw_table_meter_set(sw, (size_t)t, sk, prio, rate[0] * 1e6, burst[0], rate[1] * 1e6,
				       burst[1], s->err);
	else if (ref)
		r = sw_table_add_ref(sw, (size_t)t, sk, prio, ref_group, (uint32_t)ref_id, s->err);
	else
		r = sw_table_add(sw, (size_t)t, sk, prio, (size_t)a, ab, s->err);
	if (r)
		r = p4l_err_prefix(s->err, "%s:%d", s->path, c->line);
out:
	free(text);
	free(keys);
	free(args);
	return r;
}

/* ---- comparing -------------------------------------------------------------- */

static void put_hex(FILE *f, const uint8_t *d, const uint8_t *care, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i && i % 4 == 0)
			fputc(' ', f);
		for (int sh = 4; sh >= 0; sh -= 4) {
			if (care && !((care[i] >> sh) & 0xf))
				fputc('*', f);
			else
				fputc("0123456789abcdef"[(d[i] >> sh) & 0xf], f);
		}
	}
}

/* Byte index of the first difference, or SIZE_MAX when got matches. */
static size_t first_diff(const struct cmd *e, const uint8_t *got, size_t len)
{
	size_t n = e->len < len ? e->len : len;
	for (size_t i = 0; i < n; i++)
		if ((got[i] & e->care[i]) != (e->data[i] & e->care[i]))
			return i;
	if (len < e->len || (e->exact && len > e->len))
		return n;
	return SIZE_MAX;
}

/* Moves what the ports emitted into the runner's queues; returns how many. */
static size_t collect(struct stf *s, struct sw_switch *sw, const bool *ports)
{
	size_t n = 0;
	for (unsigned p = 0; p < MAX_PORTS; p++) {
		uint8_t *d;
		int len;
		while (ports[p] && (len = sw_port_take(sw, p, &d)) >= 0) {
			struct opkt *o = calloc(1, sizeof(*o)), **t = &s->q[p];
			if (!o) {
				free(d);
				continue;
			}
			o->data = d;
			o->len = len;
			while (*t)
				t = &(*t)->next;
			*t = o;
			n++;
		}
	}
	return n;
}

static int check_port(struct stf *s, struct sw_switch *sw, unsigned port, FILE *rep)
{
	(void)sw;
	int failed = 0;
	size_t nth = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct cmd *e = &s->cmds[i];
		if (e->kind != C_EXPECT || e->port != port)
			continue;
		uint8_t *got = NULL;
		int len = -EAGAIN;
		struct opkt *o = s->q[port];
		if (o) {
			s->q[port] = o->next;
			got = o->data;
			len = o->len;
			free(o);
		}
		nth++;
		if (len < 0) {
			fprintf(rep, "%s:%d: port %u: expected packet %zu, but none came out\n"
				"  expected: ", s->path, e->line, port, nth);
			put_hex(rep, e->data, e->care, e->len);
			fputc('\n', rep);
			failed = 1;
			continue;
		}
		size_t d = first_diff(e, got, (size_t)len);
		if (d != SIZE_MAX) {
			fprintf(rep, "%s:%d: port %u: packet %zu differs at byte %zu%s\n  expected: ",
				s->path, e->line, port, nth, d,
				d == e->len ? (size_t)len > e->len ? " (longer than expected)" : "" :
				d == (size_t)len ? " (shorter than expected)" : "");
			put_hex(rep, e->data, e->care, e->len);
			fprintf(rep, "%s\n  got:      ", e->exact ? " $" : "");
			put_hex(rep, got, NULL, (size_t)len);
			fputc('\n', rep);
			failed = 1;
		}
		free(got);
	}
	if (!nth)
		return 0;
	for (struct opkt *o = s->q[port], *n; o; o = n) {
		n = o->next;
		fprintf(rep, "%s: port %u: unexpected packet (%d bytes): ", s->path, port, o->len);
		put_hex(rep, o->data, NULL, (size_t)o->len);
		fputc('\n', rep);
		free(o->data);
		free(o);
		failed = 1;
	}
	s->q[port] = NULL;
	return failed;
}

int stf_run(struct sw_switch *sw, const char *path, const char *src, size_t len,
	    FILE *report, struct p4l_err *err)
{
	struct stf s = { .path = path, .err = err, .report = report };
	bool ports[MAX_PORTS] = { false };
	int r = parse(&s, src, len), failed = 0;
	size_t npk = 0, nex = 0;
	if (r)
		goto out;
	for (size_t i = 0; i < s.n; i++) {
		const struct cmd *c = &s.cmds[i];
		if ((c->kind == C_PACKET || c->kind == C_EXPECT) && !ports[c->port]) {
			ports[c->port] = true;
			if ((r = sw_port_add_mem(sw, c->port, err)))
				goto out;
		}
	}
	for (size_t i = 0; i < s.n; i++) {
		const struct cmd *c = &s.cmds[i];
		switch (c->kind) {
		case C_PACKET:
			sw_process(sw, c->port, c->data, c->len);
			s.last_out = collect(&s, sw, ports);
			npk++;
			break;
		case C_STATE:
			if ((r = stf_state_run(&s, sw, c, &failed)))
				goto out;
			break;
		case C_EXPECT:
			nex++;
			break;
		case C_ADD:
		case C_SETDEFAULT:
		case C_DMETER:
			if ((r = run_table_cmd(&s, sw, c, i)))
				goto out;
			break;
		}
	}
	for (unsigned p = 0; p < MAX_PORTS; p++)
		if (ports[p])
			failed |= check_port(&s, sw, p, report);
	fprintf(report, "%s: %s (%zu packets, %zu expectations)\n", path,
		failed ? "FAILED" : "passed", npk, nex);
	r = failed;
out:
	free_cmds(&s);
	return r;
}
