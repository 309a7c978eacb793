/* lab_yaml.c - reads a lab file (YAML, libyaml's document API) into a lab.
 *
 * The format (see examples/quickstart/lab.yaml):
 *
 *   name: quickstart                 # optional, default: the file's base name
 *   hosts:
 *     h1: {ip: 10.0.0.1/24, mac: "00:00:0a:00:00:01", gateway: 10.0.0.254,
 *          gateway_mac: "00:00:0a:00:00:fe"}
 *   switches:
 *     s1: {program: quickstart.p4, entries: s1-entries.json, log: trace,
 *          device_id: 1, grpc_port: 9559, cpu_port: 255}
 *     s2: {program: prog.json, p4info: prog.p4info.txtpb}
 *   links:
 *     - endpoints: ["h1", "s1:1"]     # host[:iface] or switch:port
 *       rate: 100mbit                 # optional, each direction (tbf)
 *
 * Every message names the file and the line of the node at fault.  The
 * structure is checked here; the meaning (unknown nodes, ports used twice) by
 * lab_finalize, which knows the lines of what it checks. */
#include "lab.h"

#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "file.h"

struct yctx {
	const char *file;
	yaml_document_t *doc;
	struct lab *lab;
	struct p4l_err *err;
};

static int line_of(const yaml_node_t *n)
{
	return (int)n->start_mark.line + 1;
}

__attribute__((format(printf, 3, 4)))
static int yerr(struct yctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return p4l_errf(c->err, -EINVAL, "%s:%d: %s", c->file, line_of(n), msg);
}

/* An error from a lab_* call, which knows no line: give it one. */
static int at_line(struct yctx *c, const yaml_node_t *n, int rc)
{
	if (rc < 0)
		p4l_err_prefix(c->err, "%s:%d", c->file, line_of(n));
	return rc;
}

static const char *scalar(struct yctx *c, const yaml_node_t *n, const char *what, int *rc)
{
	if (n->type != YAML_SCALAR_NODE) {
		*rc = yerr(c, n, "%s: expected a single value, not a %s", what,
			   n->type == YAML_MAPPING_NODE ? "mapping" : "list");
		return NULL;
	}
	if (!n->data.scalar.length) {
		*rc = yerr(c, n, "%s: empty value", what);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

/* An empty scalar ("h3:") stands for an empty mapping. */
static bool is_empty(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE && n->data.scalar.length == 0 &&
	       n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* Walks a mapping's pairs, rejecting non-scalar and repeated keys. */
#define FOR_EACH_PAIR(c, map, k_, v_, rc) \
	for (yaml_node_pair_t *p_ = (map)->data.mapping.pairs.start; \
	     p_ < (map)->data.mapping.pairs.top && (rc) >= 0; p_++) \
		for (yaml_node_t *k_ = yaml_document_get_node((c)->doc, p_->key), \
		     *v_ = yaml_document_get_node((c)->doc, p_->value); \
		     k_ && ((rc) = check_key(c, map, p_, k_)) >= 0; k_ = NULL)

static int check_key(struct yctx *c, yaml_node_t *map, yaml_node_pair_t *pair, yaml_node_t *key)
{
	if (key->type != YAML_SCALAR_NODE || !key->data.scalar.length)
		return yerr(c, key, "expected a name as the key");
	for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < pair; q++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, q->key);
		if (k->type == YAML_SCALAR_NODE && !strcmp((char *)k->data.scalar.value,
							   (char *)key->data.scalar.value))
			return yerr(c, key, "'%s' is given twice (first at line %d)",
				    (char *)key->data.scalar.value, line_of(k));
	}
	return 0;
}

static const char *key_str(const yaml_node_t *key)
{
	return (const char *)key->data.scalar.value;
}

static int expect_mapping(struct yctx *c, const yaml_node_t *n, const char *what)
{
	if (n->type != YAML_MAPPING_NODE)
		return yerr(c, n, "%s: expected a mapping (key: value lines)", what);
	return 0;
}

/* Per-object keys.  Each list is the one place a key is named. */
#define HOST_KEYS(X) \
	X(ip, lab_host_set_ip) \
	X(mac, lab_host_set_mac) \
	X(gateway, lab_host_set_gateway) \
	X(gateway_mac, lab_host_set_gateway_mac)

#define KEY_NAME(field, setter) #field ", "
static const char host_keys[] = HOST_KEYS(KEY_NAME);

static int parse_host(struct yctx *c, yaml_node_t *key, yaml_node_t *val)
{
	struct lab_host *h;
	char what[128];
	int rc = 0;
	const char *name = key_str(key);

	if (lab_find_host(c->lab, name) || lab_find_switch(c->lab, name))
		return yerr(c, key, "duplicate node name '%s'", name);
	if ((rc = at_line(c, key, lab_add_host(c->lab, name, &h, c->err))) < 0)
		return rc;
	h->line = line_of(key);
	if (is_empty(val))
		return 0;
	snprintf(what, sizeof(what), "host '%s'", name);
	if ((rc = expect_mapping(c, val, what)) < 0)
		return rc;
	FOR_EACH_PAIR(c, val, k, v, rc) {
		const char *kn = key_str(k), *s;
		snprintf(what, sizeof(what), "host '%s': %s", name, kn);
#define X(field, setter) \
		if (!strcmp(kn, #field)) { \
			if (!(s = scalar(c, v, what, &rc))) \
				break; \
			rc = at_line(c, v, setter(h, s, c->err)); \
			continue; \
		}
		HOST_KEYS(X)
#undef X
		rc = yerr(c, k, "host '%s': unknown key '%s' (expected %.*s)", name, kn,
			  (int)sizeof(host_keys) - 3, host_keys);
	}
	return rc;
}

static int set_device_id(struct lab_switch *sw, const char *s, struct p4l_err *err)
{
	char *end;
	errno = 0;
	long id = strtol(s, &end, 0);
	if (*end || errno || end == s)
		return p4l_errf(err, -EINVAL, "switch '%s': device_id: '%s' is not a number",
				sw->name, s);
	return lab_switch_set_device_id(sw, id, err);
}

/* grpc_port and cpu_port: numbers, checked by their lab.h setters. */
#define SET_NUMBER(key) \
	static int set_##key(struct lab_switch *sw, const char *s, struct p4l_err *err) \
	{ \
		char *end; \
		errno = 0; \
		long v = strtol(s, &end, 10); \
		if (*end || errno || end == s) \
			return p4l_errf(err, -EINVAL, "switch '%s': " #key ": '%s' is not a " \
					"number", sw->name, s); \
		return lab_switch_set_##key(sw, v, err); \
	}
SET_NUMBER(grpc_port)
SET_NUMBER(cpu_port)

#define SWITCH_KEYS(X) \
	X(program, lab_switch_set_program) \
	X(entries, lab_switch_set_entries) \
	X(p4info, lab_switch_set_p4info) \
	X(log, lab_switch_set_log) \
	X(device_id, set_device_id) \
	X(grpc_port, set_grpc_port) \
	X(cpu_port, set_cpu_port)

static const char switch_keys[] = SWITCH_KEYS(KEY_NAME);

static int parse_switch(struct yctx *c, yaml_node_t *key, yaml_node_t *val)
{
	struct lab_switch *sw;
	char what[128];
	int rc = 0;
	const char *name = key_str(key);

	if (lab_find_host(c->lab, name) || lab_find_switch(c->lab, name))
		return yerr(c, key, "duplicate node name '%s'", name);
	snprintf(what, sizeof(what), "switch '%s'", name);
	if (is_empty(val))
		return yerr(c, key, "switch '%s': missing 'program'", name);
	if ((rc = expect_mapping(c, val, what)) < 0)
		return rc;
	/* The program is required; add with a placeholder and let the key set it. */
	if ((rc = at_line(c, key, lab_add_switch(c->lab, name, "-", &sw, c->err))) < 0)
		return rc;
	sw->line = line_of(key);
	bool have_program = false;
	FOR_EACH_PAIR(c, val, k, v, rc) {
		const char *kn = key_str(k), *s;
		snprintf(what, sizeof(what), "switch '%s': %s", name, kn);
		if (!strcmp(kn, "program"))
			have_program = true;
#define X(field, setter) \
		if (!strcmp(kn, #field)) { \
			if (!(s = scalar(c, v, what, &rc))) \
				break; \
			rc = at_line(c, v, setter(sw, s, c->err)); \
			continue; \
		}
		SWITCH_KEYS(X)
#undef X
		rc = yerr(c, k, "switch '%s': unknown key '%s' (expected %.*s)", name, kn,
			  (int)sizeof(switch_keys) - 3, switch_keys);
	}
	if (rc >= 0 && !have_program)
		rc = yerr(c, key, "switch '%s': missing 'program'", name);
	return rc;
}

static int parse_link(struct yctx *c, yaml_node_t *n, size_t index)
{
	yaml_node_t *eps = NULL;
	int rc = 0;

	if (n->type != YAML_MAPPING_NODE)
		return yerr(c, n, "link %zu: expected a mapping like {endpoints: [\"h1\", \"s1:1\"]}",
			    index + 1);
	yaml_node_t *rate = NULL;
	FOR_EACH_PAIR(c, n, k, v, rc) {
		if (!strcmp(key_str(k), "endpoints")) {
			eps = v;
		} else if (!strcmp(key_str(k), "rate")) {
			rate = v;
		} else {
			rc = yerr(c, k, "link %zu: unknown key '%s' (expected endpoints, rate)",
				  index + 1, key_str(k));
			break;
		}
	}
	if (rc < 0)
		return rc;
	if (!eps)
		return yerr(c, n, "link %zu: missing 'endpoints'", index + 1);
	if (eps->type != YAML_SEQUENCE_NODE ||
	    eps->data.sequence.items.top - eps->data.sequence.items.start != 2)
		return yerr(c, eps, "link %zu: endpoints: expected a list of two ends like "
			    "[\"h1\", \"s1:1\"]", index + 1);
	const char *end[2];
	for (int i = 0; i < 2; i++) {
		yaml_node_t *e = yaml_document_get_node(c->doc, eps->data.sequence.items.start[i]);
		if (!(end[i] = scalar(c, e, "link endpoint", &rc)))
			return rc;
	}
	struct lab_link *l;
	if ((rc = at_line(c, n, lab_add_link(c->lab, end[0], end[1], &l, c->err))) < 0)
		return rc;
	l->line = line_of(n);
	if (rate) {
		const char *r = scalar(c, rate, "link rate", &rc);
		if (!r || (rc = lab_link_set_rate(l, r, c->err)) < 0) {
			if (r)
				p4l_err_prefix(c->err, "%s:%d: link %zu", c->file, line_of(rate), index + 1);
			return rc;
		}
	}
	return 0;
}

static int parse_root(struct yctx *c, yaml_node_t *root, const char *name_override)
{
	int rc = 0;
	const char *s;

	if (root->type != YAML_MAPPING_NODE)
		return yerr(c, root, "expected a mapping with name, hosts, switches and links");
	FOR_EACH_PAIR(c, root, k, v, rc) {
		const char *kn = key_str(k);
		if (!strcmp(kn, "name")) {
			if (!(s = scalar(c, v, "name", &rc)))
				break;
			if (!name_override)
				rc = at_line(c, v, lab_set_name(c->lab, s, c->err));
		} else if (!strcmp(kn, "hosts") || !strcmp(kn, "switches")) {
			bool hosts = kn[0] == 'h';
			if (is_empty(v))
				continue;
			if ((rc = expect_mapping(c, v, kn)) < 0)
				break;
			FOR_EACH_PAIR(c, v, nk, nv, rc)
				rc = hosts ? parse_host(c, nk, nv) : parse_switch(c, nk, nv);
		} else if (!strcmp(kn, "links")) {
			if (is_empty(v))
				continue;
			if (v->type != YAML_SEQUENCE_NODE) {
				rc = yerr(c, v, "links: expected a list (- endpoints: [...] lines)");
				break;
			}
			for (yaml_node_item_t *it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top && rc >= 0; it++)
				rc = parse_link(c, yaml_document_get_node(c->doc, *it),
						(size_t)(it - v->data.sequence.items.start));
		} else {
			rc = yerr(c, k, "unknown key '%s' (expected name, hosts, switches or links)",
				  kn);
		}
	}
	return rc;
}

/* The default lab name: the file's base name without its extension. */
static int default_name(struct lab *lab, const char *path, struct p4l_err *err)
{
	char buf[256];
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	snprintf(buf, sizeof(buf), "%s", base);
	char *dot = strrchr(buf, '.');
	if (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".json")))
		*dot = '\0';
	if (!lab_valid_name(buf))
		return p4l_errf(err, -EINVAL, "%s: the file name '%s' is not a valid lab name; "
				"give the lab a name", path, buf);
	return lab_set_name(lab, buf, err);
}

struct lab *lab_begin_file(const char *path, struct p4l_err *err)
{
	struct lab *lab = lab_new(NULL, err);
	char *pathcopy = strdup(path);
	if (!lab || !pathcopy || !(lab->file = strdup(path)) ||
	    lab_set_dir(lab, dirname(pathcopy), err) < 0) {
		if (lab)
			p4l_errf(err, -ENOMEM, "out of memory");
		free(pathcopy);
		lab_free(lab);
		return NULL;
	}
	free(pathcopy);
	return lab;
}

int lab_end_file(struct lab *lab, const char *name_override, struct p4l_err *err)
{
	int rc = 0;
	if (name_override && (rc = lab_set_name(lab, name_override, err)) < 0)
		p4l_err_prefix(err, "%s", lab->file);
	else if (!name_override && !lab->name[0])
		rc = default_name(lab, lab->file, err);
	if (rc < 0)
		return rc;
	return lab_finalize(lab, err);
}

int lab_load_string(const char *path, const char *text, size_t len, const char *name_override,
		    struct lab **out, struct p4l_err *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct lab *lab = NULL;
	int rc = 0;

	*out = NULL;
	if (!yaml_parser_initialize(&parser))
		return p4l_errf(err, -ENOMEM, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		rc = p4l_errf(err, -EINVAL, "%s:%zu:%zu: YAML syntax error: %s%s%s", path,
			      parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			      parser.problem ? parser.problem : "unknown problem",
			      parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return rc;
	}
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (!root) {
		rc = p4l_errf(err, -EINVAL, "%s: the lab file is empty", path);
		goto out;
	}
	if (!(lab = lab_begin_file(path, err))) {
		rc = err ? err->code : -ENOMEM;
		goto out;
	}
	struct yctx c = { .file = path, .doc = &doc, .lab = lab, .err = err };
	if ((rc = parse_root(&c, root, name_override)) < 0 ||
	    (rc = lab_end_file(lab, name_override, err)) < 0)
		goto out;
	*out = lab;
	lab = NULL;
out:
	lab_free(lab);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

int lab_load_file(const char *path, const char *name_override, const char *program,
		  struct lab **out, struct p4l_err *err)
{
	char *text;
	size_t len, n = strlen(path);
	int rc = p4l_read_file(path, &text, &len, err);
	if (rc < 0)
		return rc;
	if (n > 5 && !strcmp(path + n - 5, ".json"))
		rc = lab_load_tutorials(path, text, len, name_override, program, out, err);
	else if (program)
		rc = p4l_errf(err, -EINVAL, "%s: a program for the switches is given in the lab "
			      "file, not on the command line", path);
	else
		rc = lab_load_string(path, text, len, name_override, out, err);
	free(text);
	return rc;
}
