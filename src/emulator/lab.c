/* lab.c - the lab data model: builder calls, checks, derived names, printers.
 *
 * Called by lab_yaml.c (which adds what a file says, with its lines), by C
 * programs that build labs with calls, and by the starter and shell, which
 * read the finalized tree.  See lab.h. */
#include "lab.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Shell words a node may not be called, or `h1 ...` lines would be ambiguous. */
static const char *const reserved_names[] = {
	"help", "nodes", "links", "pingall", "exit", "quit",
};

/* "lab.yaml:12: " for an object read from a file, "lab 'x': " otherwise. */
static const char *where(const struct lab *lab, int line, char *buf, size_t size)
{
	if (lab->file && line > 0)
		snprintf(buf, size, "%s:%d: ", lab->file, line);
	else if (lab->file)
		snprintf(buf, size, "%s: ", lab->file);
	else
		snprintf(buf, size, "lab '%s': ", lab->name[0] ? lab->name : "?");
	return buf;
}

bool lab_valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > LAB_NAME_MAX || !isalnum((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

static int check_node_name(const struct lab *lab, const char *name, struct p4l_err *err)
{
	if (!lab_valid_name(name))
		return p4l_errf(err, -EINVAL, "'%s' is not a valid node name (1 to %d letters, "
				"digits, '_' or '-', starting with a letter or digit)",
				name, LAB_NAME_MAX);
	for (size_t i = 0; i < sizeof(reserved_names) / sizeof(reserved_names[0]); i++)
		if (!strcmp(name, reserved_names[i]))
			return p4l_errf(err, -EINVAL, "'%s' is a shell command and cannot name a node",
					name);
	if (lab_find_host(lab, name) || lab_find_switch(lab, name))
		return p4l_errf(err, -EEXIST, "duplicate node name '%s'", name);
	return 0;
}

int lab_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char tail;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &tail) != 6 || strlen(s) != 17)
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[i * 3]) || !isxdigit((unsigned char)s[i * 3 + 1]))
			return -EINVAL;
		mac[i] = (uint8_t)v[i];
	}
	return 0;
}

void lab_format_mac(const uint8_t mac[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

int lab_parse_cidr(const char *s, struct in_addr *ip, unsigned *prefix)
{
	char buf[INET_ADDRSTRLEN + 4];
	const char *slash = strchr(s, '/');
	if (!slash || (size_t)(slash - s) >= INET_ADDRSTRLEN || !slash[1] || strlen(slash) > 3)
		return -EINVAL;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	if (inet_pton(AF_INET, buf, ip) != 1)
		return -EINVAL;
	unsigned p = 0;
	for (const char *c = slash + 1; *c; c++) {
		if (!isdigit((unsigned char)*c))
			return -EINVAL;
		p = p * 10 + (unsigned)(*c - '0');
	}
	if (p < 1 || p > 32)
		return -EINVAL;
	*prefix = p;
	return 0;
}

/* Rate units, as tc(8) writes them (bit/s, powers of 1000). */
#define RATE_UNITS(X) X("gbit", 1000000000ull) X("mbit", 1000000ull) X("kbit", 1000ull) X("bit", 1ull)

int lab_parse_rate(const char *s, uint64_t *bps)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno || !(v > 0) || !isdigit((unsigned char)s[0]))
		return -EINVAL;
#define X(name, mult) \
	if (!strcasecmp(end, name)) { \
		double r = v * (double)(mult); \
		if (r < 8000 || r > 1e13) \
			return -ERANGE; \
		*bps = (uint64_t)r; \
		return 0; \
	}
	RATE_UNITS(X)
#undef X
	return -EINVAL;
}

void lab_format_rate(uint64_t bps, char *out, size_t size)
{
#define X(name, mult) \
	if (bps >= (mult) && bps % (mult) == 0) { \
		snprintf(out, size, "%llu%s", (unsigned long long)(bps / (mult)), name); \
		return; \
	}
	RATE_UNITS(X)
#undef X
	snprintf(out, size, "%llubit", (unsigned long long)bps);
}

static uint32_t mask_of(unsigned prefix)
{
	return prefix ? htonl(~0u << (32 - prefix)) : 0;
}

/* Grows an array of pointers by one slot. */
static int push(void *arrayp, size_t *n, void *item)
{
	void ***array = arrayp;
	void **grown = realloc(*array, (*n + 1) * sizeof(void *));
	if (!grown)
		return -ENOMEM;
	grown[(*n)++] = item;
	*array = grown;
	return 0;
}

struct lab *lab_new(const char *name, struct p4l_err *err)
{
	struct lab *lab = calloc(1, sizeof(*lab));
	if (!lab) {
		p4l_errf(err, -ENOMEM, "out of memory");
		return NULL;
	}
	lab->dir = strdup(".");
	if (!lab->dir || (name && lab_set_name(lab, name, err) < 0)) {
		if (!lab->dir)
			p4l_errf(err, -ENOMEM, "out of memory");
		lab_free(lab);
		return NULL;
	}
	return lab;
}

static void free_link(struct lab_link *l)
{
	if (!l)
		return;
	free(l->ep[0].spec);
	free(l->ep[1].spec);
	free(l);
}

void lab_free(struct lab *lab)
{
	if (!lab)
		return;
	for (size_t i = 0; i < lab->n_hosts; i++)
		free(lab->hosts[i]);
	for (size_t i = 0; i < lab->n_switches; i++) {
		free(lab->switches[i]->program);
		free(lab->switches[i]->entries);
		free(lab->switches[i]->p4info);
		free(lab->switches[i]);
	}
	for (size_t i = 0; i < lab->n_links; i++)
		free_link(lab->links[i]);
	free(lab->hosts);
	free(lab->switches);
	free(lab->links);
	free(lab->file);
	free(lab->dir);
	free(lab);
}

int lab_set_name(struct lab *lab, const char *name, struct p4l_err *err)
{
	if (!lab_valid_name(name))
		return p4l_errf(err, -EINVAL, "'%s' is not a valid lab name (1 to %d letters, "
				"digits, '_' or '-', starting with a letter or digit)",
				name, LAB_NAME_MAX);
	snprintf(lab->name, sizeof(lab->name), "%s", name);
	lab->finalized = false;
	return 0;
}

/* Replaces the string *field with a copy of s. */
static int set_str(char **field, const char *s, struct p4l_err *err)
{
	char *d = strdup(s);
	if (!d)
		return p4l_errf(err, -ENOMEM, "out of memory");
	free(*field);
	*field = d;
	return 0;
}

int lab_set_dir(struct lab *lab, const char *dir, struct p4l_err *err)
{
	return set_str(&lab->dir, dir, err);
}

char *lab_path(const struct lab *lab, const char *path)
{
	char *out;
	if (path[0] == '/')
		return strdup(path);
	if (asprintf(&out, "%s/%s", lab->dir, path) < 0)
		return NULL;
	return out;
}

struct lab_host *lab_find_host(const struct lab *lab, const char *name)
{
	for (size_t i = 0; i < lab->n_hosts; i++)
		if (!strcmp(lab->hosts[i]->name, name))
			return lab->hosts[i];
	return NULL;
}

struct lab_switch *lab_find_switch(const struct lab *lab, const char *name)
{
	for (size_t i = 0; i < lab->n_switches; i++)
		if (!strcmp(lab->switches[i]->name, name))
			return lab->switches[i];
	return NULL;
}

int lab_add_host(struct lab *lab, const char *name, struct lab_host **out, struct p4l_err *err)
{
	int rc = check_node_name(lab, name, err);
	if (rc < 0)
		return rc;
	struct lab_host *h = calloc(1, sizeof(*h));
	if (!h || push(&lab->hosts, &lab->n_hosts, h) < 0) {
		free(h);
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	snprintf(h->name, sizeof(h->name), "%s", name);
	lab->finalized = false;
	if (out)
		*out = h;
	return 0;
}

int lab_host_set_ip(struct lab_host *h, const char *cidr, struct p4l_err *err)
{
	if (lab_parse_cidr(cidr, &h->ip, &h->prefix) < 0)
		return p4l_errf(err, -EINVAL, "host '%s': ip: '%s' is not an IPv4 address with "
				"a prefix length (like 10.0.0.1/24)", h->name, cidr);
	h->has_ip = true;
	return 0;
}

int lab_host_set_mac(struct lab_host *h, const char *mac, struct p4l_err *err)
{
	if (lab_parse_mac(mac, h->mac) < 0)
		return p4l_errf(err, -EINVAL, "host '%s': mac: '%s' is not a MAC address "
				"(like 00:00:0a:00:00:01)", h->name, mac);
	if (h->mac[0] & 1)
		return p4l_errf(err, -EINVAL, "host '%s': mac: '%s' is a multicast address",
				h->name, mac);
	h->has_mac = true;
	return 0;
}

int lab_host_set_gateway(struct lab_host *h, const char *ip, struct p4l_err *err)
{
	if (inet_pton(AF_INET, ip, &h->gw) != 1)
		return p4l_errf(err, -EINVAL, "host '%s': gateway: '%s' is not an IPv4 address",
				h->name, ip);
	h->has_gw = true;
	return 0;
}

int lab_host_set_gateway_mac(struct lab_host *h, const char *mac, struct p4l_err *err)
{
	if (lab_parse_mac(mac, h->gw_mac) < 0)
		return p4l_errf(err, -EINVAL, "host '%s': gateway_mac: '%s' is not a MAC address "
				"(like 00:00:0a:00:00:fe)", h->name, mac);
	h->has_gw_mac = true;
	return 0;
}

int lab_add_switch(struct lab *lab, const char *name, const char *program,
		   struct lab_switch **out, struct p4l_err *err)
{
	int rc = check_node_name(lab, name, err);
	if (rc < 0)
		return rc;
	if (!program || !program[0])
		return p4l_errf(err, -EINVAL, "switch '%s': no program", name);
	if (lab->n_switches >= LAB_SWITCHES_MAX)
		return p4l_errf(err, -E2BIG, "switch '%s': a lab has at most %d switches", name,
				LAB_SWITCHES_MAX);
	struct lab_switch *sw = calloc(1, sizeof(*sw));
	if (!sw || !(sw->program = strdup(program)) ||
	    push(&lab->switches, &lab->n_switches, sw) < 0) {
		if (sw)
			free(sw->program);
		free(sw);
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	snprintf(sw->name, sizeof(sw->name), "%s", name);
	lab->finalized = false;
	if (out)
		*out = sw;
	return 0;
}

int lab_switch_set_program(struct lab_switch *sw, const char *program, struct p4l_err *err)
{
	return set_str(&sw->program, program, err);
}

int lab_switch_set_entries(struct lab_switch *sw, const char *path, struct p4l_err *err)
{
	return set_str(&sw->entries, path, err);
}

int lab_switch_set_log(struct lab_switch *sw, const char *level, struct p4l_err *err)
{
	if (!strcmp(level, "trace"))
		sw->log = LAB_LOG_TRACE;
	else if (!strcmp(level, "none"))
		sw->log = LAB_LOG_NONE;
	else
		return p4l_errf(err, -EINVAL, "switch '%s': log: '%s' is not a log level "
				"(trace or none)", sw->name, level);
	return 0;
}

int lab_switch_set_device_id(struct lab_switch *sw, long id, struct p4l_err *err)
{
	if (id < 0 || id > (long)UINT32_MAX)
		return p4l_errf(err, -EINVAL, "switch '%s': device_id: %ld is out of range",
				sw->name, id);
	sw->device_id = (uint32_t)id;
	sw->has_device_id = true;
	return 0;
}

int lab_switch_set_grpc_port(struct lab_switch *sw, long port, struct p4l_err *err)
{
	if (port < 1 || port > 65535)
		return p4l_errf(err, -EINVAL, "switch '%s': grpc_port: %ld is not a TCP port "
				"(1 to 65535)", sw->name, port);
	sw->grpc_port = (uint16_t)port;
	return 0;
}

int lab_switch_set_cpu_port(struct lab_switch *sw, long port, struct p4l_err *err)
{
	if (port < 1 || port > LAB_PORT_MAX)
		return p4l_errf(err, -EINVAL, "switch '%s': cpu_port: %ld is not a port (1 to %d)",
				sw->name, port, LAB_PORT_MAX);
	sw->cpu_port = (uint16_t)port;
	return 0;
}

int lab_switch_set_p4info(struct lab_switch *sw, const char *path, struct p4l_err *err)
{
	return set_str(&sw->p4info, path, err);
}

int lab_add_link(struct lab *lab, const char *a, const char *b, struct lab_link **out,
		 struct p4l_err *err)
{
	struct lab_link *l = calloc(1, sizeof(*l));
	if (!l || !(l->ep[0].spec = strdup(a)) || !(l->ep[1].spec = strdup(b)) ||
	    push(&lab->links, &lab->n_links, l) < 0) {
		free_link(l);
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	lab->finalized = false;
	if (out)
		*out = l;
	return 0;
}

int lab_link_set_rate(struct lab_link *l, const char *rate, struct p4l_err *err)
{
	int rc = lab_parse_rate(rate, &l->rate_bps);
	if (rc == -ERANGE)
		return p4l_errf(err, rc, "rate: '%s' is out of range (8kbit to 10000gbit)", rate);
	if (rc < 0)
		return p4l_errf(err, rc, "rate: '%s' is not a rate (like 100mbit, 1gbit, 500kbit)",
				rate);
	return 0;
}

static bool valid_ifname(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= IF_NAMESIZE || !strcmp(s, "lo") || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
			return false;
	return true;
}

/* Switch-side interface of a port, unique in the lab's switch namespace.  The
 * long form cannot clash with a short one: node names have no '.'. */
static void switch_ifname(const struct lab *lab, const struct lab_switch *sw, int port,
			  char out[IF_NAMESIZE])
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%s-eth%d", sw->name, port);
	if (strlen(buf) < IF_NAMESIZE) {
		memcpy(out, buf, strlen(buf) + 1);
		return;
	}
	unsigned idx = 0;
	while (lab->switches[idx] != sw)
		idx++;
	/* idx < LAB_SWITCHES_MAX and port <= LAB_PORT_MAX: at most 11 characters. */
	snprintf(buf, sizeof(buf), "sw.%u.%u", idx % LAB_SWITCHES_MAX, (unsigned)port % 1000);
	memcpy(out, buf, IF_NAMESIZE - 1);
	out[IF_NAMESIZE - 1] = '\0';
}

/* Splits "node[:suffix]" and binds the endpoint to its node. */
static int resolve_endpoint(struct lab *lab, struct lab_link *l, struct lab_endpoint *ep,
			    struct p4l_err *err)
{
	char at[1200];
	const char *colon = strchr(ep->spec, ':');
	size_t n = colon ? (size_t)(colon - ep->spec) : strlen(ep->spec);

	where(lab, l->line, at, sizeof(at));
	if (n == 0 || n > LAB_NAME_MAX)
		return p4l_errf(err, -EINVAL, "%slink endpoint '%s': expected NODE or NODE:PORT",
				at, ep->spec);
	memcpy(ep->node, ep->spec, n);
	ep->node[n] = '\0';
	ep->host = lab_find_host(lab, ep->node);
	ep->sw = lab_find_switch(lab, ep->node);
	if (!ep->host && !ep->sw)
		return p4l_errf(err, -ENOENT, "%slink endpoint '%s': no node named '%s'",
				at, ep->spec, ep->node);
	if (ep->sw) {
		char *end;
		long port;
		if (!colon || !colon[1])
			return p4l_errf(err, -EINVAL, "%slink endpoint '%s': a switch end needs its "
					"port number ('%s:1')", at, ep->spec, ep->node);
		errno = 0;
		port = strtol(colon + 1, &end, 10);
		if (*end || errno || !isdigit((unsigned char)colon[1]) || port > LAB_PORT_MAX)
			return p4l_errf(err, -EINVAL, "%slink endpoint '%s': '%s' is not a port "
					"number (0 to %d)", at, ep->spec, colon + 1, LAB_PORT_MAX);
		ep->port = (int)port;
		switch_ifname(lab, ep->sw, ep->port, ep->ifname);
		ep->sw->n_ports++;
	} else if (colon) {
		if (!valid_ifname(colon + 1))
			return p4l_errf(err, -EINVAL, "%slink endpoint '%s': '%s' is not a valid "
					"interface name (at most %d characters)",
					at, ep->spec, colon + 1, IF_NAMESIZE - 1);
		snprintf(ep->ifname, sizeof(ep->ifname), "%s", colon + 1);
	}
	return 0;
}

/* Every end of every link, in order: the checks below walk them all. */
#define FOR_EACH_END(lab, i, e) \
	for (size_t i = 0; i < (lab)->n_links * 2; i++) \
		for (struct lab_endpoint *e = &(lab)->links[i / 2]->ep[i % 2]; e; e = NULL)

static int check_ends_unique(struct lab *lab, struct p4l_err *err)
{
	char at[1200];
	FOR_EACH_END(lab, i, e) {
		if (e->sw && e->sw->cpu_port && e->port == e->sw->cpu_port) {
			where(lab, lab->links[i / 2]->line, at, sizeof(at));
			return p4l_errf(err, -EEXIST, "%sswitch '%s' port %d is its cpu_port: no "
					"link can use it", at, e->sw->name, e->port);
		}
		for (size_t j = 0; j < i; j++) {
			struct lab_endpoint *f = &lab->links[j / 2]->ep[j % 2];
			bool same = e->sw ? (f->sw == e->sw && f->port == e->port)
					  : (f->host == e->host && !strcmp(f->ifname, e->ifname));
			if (!same)
				continue;
			where(lab, lab->links[i / 2]->line, at, sizeof(at));
			if (e->sw)
				return p4l_errf(err, -EEXIST, "%sswitch '%s' port %d is already used "
						"by another link%s%.0d", at, e->sw->name, e->port,
						lab->links[j / 2]->line ? " at line " : "",
						lab->links[j / 2]->line);
			return p4l_errf(err, -EEXIST, "%shost '%s' interface '%s' is already used "
					"by another link%s%.0d", at, e->host->name, e->ifname,
					lab->links[j / 2]->line ? " at line " : "",
					lab->links[j / 2]->line);
		}
	}
	return 0;
}

/* Host interfaces not named in the file get eth0, eth1, ... in link order,
 * skipping the names given explicitly. */
static void name_host_ifs(struct lab *lab)
{
	for (size_t h = 0; h < lab->n_hosts; h++) {
		struct lab_host *host = lab->hosts[h];
		int next = 0;
		host->n_ifs = 0;
		host->main_if[0] = '\0';
		FOR_EACH_END(lab, i, e) {
			if (e->host != host || e->ifname[0])
				continue;
			for (;;) {
				char cand[IF_NAMESIZE];
				bool taken = false;
				snprintf(cand, sizeof(cand), "eth%d", next++);
				FOR_EACH_END(lab, k, f)
					if (f->host == host && !strcmp(f->ifname, cand))
						taken = true;
				if (!taken) {
					memcpy(e->ifname, cand, sizeof(cand));
					break;
				}
			}
		}
		FOR_EACH_END(lab, i, e) {
			if (e->host != host)
				continue;
			if (!host->n_ifs++)
				memcpy(host->main_if, e->ifname, sizeof(host->main_if));
		}
	}
}

static int check_hosts(struct lab *lab, struct p4l_err *err)
{
	char at[1200], a[INET_ADDRSTRLEN], m[18];

	for (size_t i = 0; i < lab->n_hosts; i++) {
		struct lab_host *h = lab->hosts[i];
		where(lab, h->line, at, sizeof(at));
		if (!h->n_ifs)
			return p4l_errf(err, -EINVAL, "%shost '%s' is on no link", at, h->name);
		if (!h->has_mac && h->has_ip) {
			/* Locally administered and derived from the address, so neighbours
			 * can be seeded without asking the kernel. */
			const uint8_t *ip = (const uint8_t *)&h->ip.s_addr;
			uint8_t mac[6] = { 0x02, 0x00, ip[0], ip[1], ip[2], ip[3] };
			memcpy(h->mac, mac, 6);
		}
		if ((h->has_gw || h->has_gw_mac) && !h->has_ip)
			return p4l_errf(err, -EINVAL, "%shost '%s': a gateway needs the host's own "
					"'ip'", at, h->name);
		if (h->has_gw_mac && !h->has_gw)
			return p4l_errf(err, -EINVAL, "%shost '%s': gateway_mac without gateway",
					at, h->name);
		if (h->has_gw) {
			uint32_t mask = mask_of(h->prefix);
			inet_ntop(AF_INET, &h->gw, a, sizeof(a));
			if ((h->gw.s_addr & mask) != (h->ip.s_addr & mask))
				return p4l_errf(err, -EINVAL, "%shost '%s': gateway %s is outside its "
						"subnet (/%u)", at, h->name, a, h->prefix);
			if (h->gw.s_addr == h->ip.s_addr)
				return p4l_errf(err, -EINVAL, "%shost '%s': gateway %s is the host's "
						"own address", at, h->name, a);
		}
		for (size_t j = 0; j < i; j++) {
			struct lab_host *o = lab->hosts[j];
			if (h->has_ip && o->has_ip && h->ip.s_addr == o->ip.s_addr) {
				inet_ntop(AF_INET, &h->ip, a, sizeof(a));
				return p4l_errf(err, -EEXIST, "%shost '%s': address %s is already "
						"host '%s''s", at, h->name, a, o->name);
			}
			if ((h->has_ip || h->has_mac) && (o->has_ip || o->has_mac) &&
			    !memcmp(h->mac, o->mac, 6)) {
				lab_format_mac(h->mac, m);
				return p4l_errf(err, -EEXIST, "%shost '%s': MAC %s is already host "
						"'%s''s", at, h->name, m, o->name);
			}
		}
	}
	return 0;
}

int lab_finalize(struct lab *lab, struct p4l_err *err)
{
	int rc;
	if (!lab->name[0])
		return p4l_errf(err, -EINVAL, "%s: the lab has no name", lab->file ? lab->file : "lab");
	for (size_t i = 0; i < lab->n_switches; i++)
		lab->switches[i]->n_ports = 0;
	FOR_EACH_END(lab, i, e) {
		e->ifname[0] = '\0';
		if ((rc = resolve_endpoint(lab, lab->links[i / 2], e, err)) < 0)
			return rc;
	}
	name_host_ifs(lab);
	if ((rc = check_ends_unique(lab, err)) < 0 || (rc = check_hosts(lab, err)) < 0)
		return rc;
	snprintf(lab->switch_netns, sizeof(lab->switch_netns), "p4lab-%s", lab->name);
	for (size_t i = 0; i < lab->n_hosts; i++)
		snprintf(lab->hosts[i]->netns, sizeof(lab->hosts[i]->netns), "p4lab-%s.%s",
			 lab->name, lab->hosts[i]->name);
	for (size_t i = 0; i < lab->n_switches; i++)
		if (!lab->switches[i]->has_device_id)
			lab->switches[i]->device_id = (uint32_t)i + 1;
	lab->finalized = true;
	return 0;
}

void lab_print_nodes(const struct lab *lab, FILE *out)
{
	char a[INET_ADDRSTRLEN], m[18];
	for (size_t i = 0; i < lab->n_hosts; i++) {
		const struct lab_host *h = lab->hosts[i];
		lab_format_mac(h->mac, m);
		inet_ntop(AF_INET, &h->ip, a, sizeof(a));
		if (h->has_ip)
			fprintf(out, "%-8s host    %s/%u on %s, MAC %s, netns %s\n", h->name, a,
				h->prefix, h->main_if, m, h->netns);
		else
			fprintf(out, "%-8s host    no address, netns %s\n", h->name, h->netns);
	}
	for (size_t i = 0; i < lab->n_switches; i++) {
		const struct lab_switch *sw = lab->switches[i];
		fprintf(out, "%-8s switch  %s, %d port%s, device id %u, netns %s\n", sw->name,
			sw->program, sw->n_ports, sw->n_ports == 1 ? "" : "s", sw->device_id,
			lab->switch_netns);
	}
}

static void print_end(const struct lab_endpoint *e, FILE *out)
{
	if (e->sw)
		fprintf(out, "%s:%d (%s)", e->sw->name, e->port, e->ifname);
	else
		fprintf(out, "%s:%s", e->host->name, e->ifname);
}

void lab_print_links(const struct lab *lab, FILE *out)
{
	for (size_t i = 0; i < lab->n_links; i++) {
		print_end(&lab->links[i]->ep[0], out);
		fputs(" <-> ", out);
		print_end(&lab->links[i]->ep[1], out);
		if (lab->links[i]->rate_bps) {
			char r[32];
			lab_format_rate(lab->links[i]->rate_bps, r, sizeof(r));
			fprintf(out, ", rate %s", r);
		}
		fputc('\n', out);
	}
}
