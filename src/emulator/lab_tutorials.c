/* lab_tutorials.c - reads a p4lang/tutorials topology.json into a lab.
 *
 * The exercises describe their networks as
 *
 *   {"hosts": {"h1": {"ip": "10.0.1.1/24", "mac": "08:00:00:00:01:11",
 *                     "commands": ["route add default gw 10.0.1.10 dev eth0",
 *                                  "arp -i eth0 -s 10.0.1.10 08:00:00:00:01:00"]}},
 *    "switches": {"s1": {"runtime_json": "pod-topo/s1-runtime.json"}},
 *    "links": [["h1", "s1-p1"], ["s1-p2", "s2-p2", "0ms", 10]]}
 *
 * with the P4 program given on make's command line (so here: `program`, or a
 * "program" key of the switch).  The two host commands the exercises use are
 * understood as the gateway and its MAC; anything else is refused with its
 * key, never skipped; a link's bandwidth (Mbit/s) becomes its rate, a
 * latency other than 0 is refused (no netem here yet).  JSON keeps no lines, so messages name the key path
 * ("topology.json: hosts.h1.ip: ..."). */
#include "lab.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tctx {
	const char *file;
	struct lab *lab;
	struct p4l_err *err;
};

__attribute__((format(printf, 3, 4)))
static int terr(struct tctx *c, const char *key, const char *fmt, ...)
{
	char msg[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return p4l_errf(c->err, -EINVAL, "%s: %s: %s", c->file, key, msg);
}

/* An error from a lab_* call names the object and field itself ("host 'h1':
 * ip: ..."); it lacks only the file. */
static int in_file(struct tctx *c, int rc)
{
	if (rc < 0)
		p4l_err_prefix(c->err, "%s", c->file);
	return rc;
}

static int str(struct tctx *c, json_t *v, const char *key, const char **out)
{
	*out = json_string_value(v);
	return *out ? 0 : terr(c, key, "expected a string");
}

/* "route add default gw GW dev IF" and "arp -i IF -s IP MAC", the host
 * set-up of the exercises. */
static int host_command(struct tctx *c, struct lab_host *h, const char *cmd, const char *key,
			char *arp_ip, char *arp_mac)
{
	char a[64], b[64], d[64], tail;
	if (sscanf(cmd, " route add default gw %63s dev %63s %c", a, b, &tail) == 2)
		return in_file(c, lab_host_set_gateway(h, a, c->err));
	if (sscanf(cmd, " arp -i %63s -s %63s %63s %c", b, a, d, &tail) == 3) {
		snprintf(arp_ip, 64, "%s", a);
		snprintf(arp_mac, 64, "%s", d);
		return 0;
	}
	return terr(c, key, "'%s' is not understood (p4lab reads 'route add default gw IP dev "
		    "IF' and 'arp -i IF -s IP MAC')", cmd);
}

static int parse_host(struct tctx *c, const char *name, json_t *v)
{
	char key[256], arp_ip[64] = "", arp_mac[64] = "";
	struct lab_host *h;
	const char *k, *s;
	json_t *kv;
	int rc;

	snprintf(key, sizeof(key), "hosts.%s", name);
	if (!json_is_object(v))
		return terr(c, key, "expected an object");
	if ((rc = in_file(c, lab_add_host(c->lab, name, &h, c->err))) < 0)
		return rc;
	json_object_foreach(v, k, kv) {
		snprintf(key, sizeof(key), "hosts.%s.%s", name, k);
		if (!strcmp(k, "ip") || !strcmp(k, "mac")) {
			if ((rc = str(c, kv, key, &s)) < 0)
				return rc;
			rc = k[0] == 'i' ? lab_host_set_ip(h, s, c->err) : lab_host_set_mac(h, s, c->err);
			if ((rc = in_file(c, rc)) < 0)
				return rc;
		} else if (!strcmp(k, "commands")) {
			size_t i;
			json_t *cmd;
			if (!json_is_array(kv))
				return terr(c, key, "expected a list of commands");
			json_array_foreach(kv, i, cmd) {
				snprintf(key, sizeof(key), "hosts.%s.commands[%zu]", name, i);
				if ((rc = str(c, cmd, key, &s)) < 0 ||
				    (rc = host_command(c, h, s, key, arp_ip, arp_mac)) < 0)
					return rc;
			}
		} else {
			return terr(c, key, "unknown key (expected ip, mac or commands)");
		}
	}
	if (arp_ip[0]) {
		struct in_addr ip;
		snprintf(key, sizeof(key), "hosts.%s.commands", name);
		if (!h->has_gw || inet_pton(AF_INET, arp_ip, &ip) != 1 || ip.s_addr != h->gw.s_addr)
			return terr(c, key, "the ARP entry for %s is not for the default gateway "
				    "(only the gateway's is supported)", arp_ip);
		if ((rc = in_file(c, lab_host_set_gateway_mac(h, arp_mac, c->err))) < 0)
			return rc;
	}
	return 0;
}

/* The exercises name runtime_json from their own folder (where make runs),
 * which is usually the topology file's parent: take the path beside the
 * topology file if it is there, else from the current folder. */
static int runtime_json(struct tctx *c, struct lab_switch *sw, const char *path)
{
	char *beside = lab_path(c->lab, path), *abs = NULL;
	int rc;
	if (!beside)
		return p4l_errf(c->err, -ENOMEM, "out of memory");
	if (access(beside, R_OK) == 0 || path[0] == '/' || !(abs = realpath(path, NULL)))
		rc = lab_switch_set_entries(sw, path, c->err);
	else
		rc = lab_switch_set_entries(sw, abs, c->err);
	free(beside);
	free(abs);
	return rc;
}

static int parse_switch(struct tctx *c, const char *name, json_t *v, const char *program)
{
	char key[256];
	struct lab_switch *sw;
	const char *k, *prog = NULL, *entries = NULL;
	json_t *kv;
	int rc = 0;

	snprintf(key, sizeof(key), "switches.%s", name);
	if (!json_is_object(v))
		return terr(c, key, "expected an object");
	json_object_foreach(v, k, kv) {
		snprintf(key, sizeof(key), "switches.%s.%s", name, k);
		if (!strcmp(k, "runtime_json")) {
			if ((rc = str(c, kv, key, &entries)) < 0)
				return rc;
		} else if (!strcmp(k, "program")) {
			if ((rc = str(c, kv, key, &prog)) < 0)
				return rc;
		} else {
			return terr(c, key, "unknown key (expected runtime_json or program)");
		}
	}
	snprintf(key, sizeof(key), "switches.%s", name);
	if (!prog && !program)
		return terr(c, key, "no P4 program: give the switch a \"program\" or run with "
			    "--program");
	if ((rc = in_file(c, lab_add_switch(c->lab, name, prog ? prog : program, &sw,
						 c->err))) < 0)
		return rc;
	if (entries && (rc = in_file(c, runtime_json(c, sw, entries))) < 0)
		return rc;
	return 0;
}

/* "s1-p3" is port 3 of switch s1; anything else is a node name. */
static int endpoint(struct tctx *c, const char *e, char *out, size_t size)
{
	const char *dash = strrchr(e, '-');
	if (dash && dash[1] == 'p' && isdigit((unsigned char)dash[2])) {
		char node[LAB_NAME_MAX + 1];
		size_t n = (size_t)(dash - e);
		if (n <= LAB_NAME_MAX) {
			memcpy(node, e, n);
			node[n] = '\0';
			if (lab_find_switch(c->lab, node)) {
				snprintf(out, size, "%s:%s", node, dash + 2);
				return 0;
			}
		}
	}
	snprintf(out, size, "%s", e);
	return 0;
}

/* 0, "0", "0ms": no latency, or no bandwidth limit. */
static bool is_zero(json_t *v)
{
	if (json_is_integer(v))
		return json_integer_value(v) == 0;
	if (json_is_real(v))
		return json_real_value(v) == 0;
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		return !strcmp(s, "0") || !strcmp(s, "0ms") || !strcmp(s, "0s");
	}
	return json_is_null(v);
}

static int parse_link(struct tctx *c, size_t index, json_t *v)
{
	char key[64], a[128], b[128];
	struct lab_link *l;
	int rc;

	snprintf(key, sizeof(key), "links[%zu]", index);
	if (!json_is_array(v) || json_array_size(v) < 2 || json_array_size(v) > 4)
		return terr(c, key, "expected [\"end\", \"end\"] or [\"end\", \"end\", latency, "
			    "bandwidth]");
	if (json_array_size(v) > 2 && !is_zero(json_array_get(v, 2)))
		return terr(c, key, "link latency is not supported yet (only 0): this kernel "
			    "has no netem");
	json_t *bw = json_array_size(v) > 3 ? json_array_get(v, 3) : NULL;
	if (bw && !is_zero(bw) && !(json_is_number(bw) && json_number_value(bw) > 0))
		return terr(c, key, "bandwidth: expected a number of Mbit/s");
	const char *e0, *e1;
	if ((rc = str(c, json_array_get(v, 0), key, &e0)) < 0 ||
	    (rc = str(c, json_array_get(v, 1), key, &e1)) < 0)
		return rc;
	endpoint(c, e0, a, sizeof(a));
	endpoint(c, e1, b, sizeof(b));
	if ((rc = in_file(c, lab_add_link(c->lab, a, b, &l, c->err))) < 0)
		return rc;
	if (bw && !is_zero(bw)) {
		char rate[64];
		snprintf(rate, sizeof(rate), "%.6gmbit", json_number_value(bw));
		if ((rc = lab_link_set_rate(l, rate, c->err)) < 0)
			p4l_err_prefix(c->err, "%s: %s", c->file, key);
	}
	return rc;
}

static int parse_root(struct tctx *c, json_t *root, const char *program)
{
	const char *k, *name;
	json_t *v, *nv;
	size_t i;
	int rc = 0;

	if (!json_is_object(root))
		return p4l_errf(c->err, -EINVAL, "%s: expected an object with hosts, switches and "
				"links", c->file);
	/* Read in this order whatever the file's: link ends name switch ports. */
	static const char *const order[] = { "hosts", "switches", "links" };
	json_object_foreach(root, k, v) {
		bool known = false;
		for (i = 0; i < 3; i++)
			known |= !strcmp(k, order[i]);
		if (!known)
			return terr(c, k, "unknown key (expected hosts, switches or links)");
	}
	if ((v = json_object_get(root, "hosts"))) {
		if (!json_is_object(v))
			return terr(c, "hosts", "expected an object of hosts");
		json_object_foreach(v, name, nv)
			if ((rc = parse_host(c, name, nv)) < 0)
				return rc;
	}
	if ((v = json_object_get(root, "switches"))) {
		if (!json_is_object(v))
			return terr(c, "switches", "expected an object of switches");
		json_object_foreach(v, name, nv)
			if ((rc = parse_switch(c, name, nv, program)) < 0)
				return rc;
	}
	if ((v = json_object_get(root, "links"))) {
		if (!json_is_array(v))
			return terr(c, "links", "expected a list of links");
		json_array_foreach(v, i, nv)
			if ((rc = parse_link(c, i, nv)) < 0)
				return rc;
	}
	return 0;
}

int lab_load_tutorials(const char *path, const char *text, size_t len,
		       const char *name_override, const char *program, struct lab **out,
		       struct p4l_err *err)
{
	json_error_t jerr;
	struct lab *lab = NULL;
	int rc;

	*out = NULL;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return p4l_errf(err, -EINVAL, "%s:%d:%d: JSON: %s", path, jerr.line, jerr.column,
				jerr.text);
	if (!(lab = lab_begin_file(path, err))) {
		rc = err ? err->code : -ENOMEM;
		goto out;
	}
	struct tctx c = { .file = path, .lab = lab, .err = err };
	if ((rc = parse_root(&c, root, program)) < 0 ||
	    (rc = lab_end_file(lab, name_override, err)) < 0)
		goto out;
	*out = lab;
	lab = NULL;
out:
	lab_free(lab);
	json_decref(root);
	return rc;
}
