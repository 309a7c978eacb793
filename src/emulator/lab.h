/* lab.h - a lab: the plain data model of a topology, its builder calls and its
 * YAML reader.
 *
 * One struct tree shared by everything in the emulator: lab_yaml.c fills it
 * from a lab file, C programs fill it with the lab_add_* calls, lab_finalize()
 * checks it and derives the names the starter needs (namespaces, interfaces,
 * default MACs), labrt.h starts it, the shell and the printers read it.
 *
 * Errors follow src/common/error.h.  Objects read from a file carry their line,
 * so checks made after reading (unknown nodes, ports used twice) still say
 * "lab.yaml:12: ...". */
#ifndef P4L_LAB_H
#define P4L_LAB_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

#define LAB_NAME_MAX 32        /* lab and node names */
#define LAB_NETNS_MAX 80       /* "p4lab-<lab>.<node>" */
#define LAB_PORT_MAX 510       /* v1model: 511 is the drop port */
#define LAB_SWITCHES_MAX 10000

enum lab_log {
	LAB_LOG_TRACE,  /* the switch writes its per-packet trace to <state>/<sw>.log */
	LAB_LOG_NONE,   /* no trace: for throughput runs */
};

struct lab_host {
	char name[LAB_NAME_MAX + 1];
	int line;                       /* in the lab file; 0 when built by calls */
	bool has_ip;
	struct in_addr ip;              /* on the host's first interface */
	unsigned prefix;
	bool has_mac;                   /* false: lab_finalize derives 02:00:<ip> */
	uint8_t mac[6];
	bool has_gw;                    /* default route via gw */
	struct in_addr gw;
	bool has_gw_mac;                /* seeded as a permanent neighbour */
	uint8_t gw_mac[6];
	/* Derived by lab_finalize: */
	char netns[LAB_NETNS_MAX];      /* p4lab-<lab>.<host> */
	char main_if[IF_NAMESIZE];      /* the first interface, which carries ip */
	int n_ifs;
};

struct lab_switch {
	char name[LAB_NAME_MAX + 1];
	int line;
	char *program;                  /* .p4 (compiled at start) or BMv2 .json */
	char *entries;                  /* runtime.json entries file, or NULL */
	enum lab_log log;
	uint32_t device_id;             /* default: 1 + index among switches */
	bool has_device_id;
	uint16_t grpc_port;             /* P4Runtime on 127.0.0.1; 0: the kernel picks */
	uint16_t cpu_port;              /* PacketIn/PacketOut port; 0: none */
	char *p4info;                   /* P4Info of a .json program; NULL: PROG.p4info.* */
	int n_ports;
};

/* One end of a link as written ("h1", "h1:eth1", "s1:3"), resolved by
 * lab_finalize into a host interface or a switch port. */
struct lab_endpoint {
	char *spec;                     /* as written */
	char node[LAB_NAME_MAX + 1];
	struct lab_host *host;          /* exactly one of host, sw after finalize */
	struct lab_switch *sw;
	int port;                       /* switch port number */
	char ifname[IF_NAMESIZE];       /* interface name in its namespace */
};

struct lab_link {
	struct lab_endpoint ep[2];
	int line;
	uint64_t rate_bps;              /* each direction; 0: not limited */
};

struct lab {
	char name[LAB_NAME_MAX + 1];
	char *file;                     /* the lab file, NULL when built by calls */
	char *dir;                      /* relative program/entries paths start here */
	struct lab_host **hosts;
	size_t n_hosts;
	struct lab_switch **switches;
	size_t n_switches;
	struct lab_link **links;
	size_t n_links;
	char switch_netns[LAB_NETNS_MAX];  /* p4lab-<lab>: every switch port */
	bool finalized;
};

/* Builder.  name may be NULL (set it later with lab_set_name).  The add calls
 * check what they can alone (name syntax, duplicates, address syntax); links
 * to nodes not yet added are fine until lab_finalize. */
struct lab *lab_new(const char *name, struct p4l_err *err);
void lab_free(struct lab *lab);
int lab_set_name(struct lab *lab, const char *name, struct p4l_err *err);
int lab_set_dir(struct lab *lab, const char *dir, struct p4l_err *err);
int lab_add_host(struct lab *lab, const char *name, struct lab_host **out,
		 struct p4l_err *err);
int lab_host_set_ip(struct lab_host *h, const char *cidr, struct p4l_err *err);
int lab_host_set_mac(struct lab_host *h, const char *mac, struct p4l_err *err);
int lab_host_set_gateway(struct lab_host *h, const char *ip, struct p4l_err *err);
int lab_host_set_gateway_mac(struct lab_host *h, const char *mac, struct p4l_err *err);
int lab_add_switch(struct lab *lab, const char *name, const char *program,
		   struct lab_switch **out, struct p4l_err *err);
int lab_switch_set_program(struct lab_switch *sw, const char *program, struct p4l_err *err);
int lab_switch_set_entries(struct lab_switch *sw, const char *path, struct p4l_err *err);
int lab_switch_set_log(struct lab_switch *sw, const char *level, struct p4l_err *err);
int lab_switch_set_device_id(struct lab_switch *sw, long id, struct p4l_err *err);
int lab_switch_set_grpc_port(struct lab_switch *sw, long port, struct p4l_err *err);
int lab_switch_set_cpu_port(struct lab_switch *sw, long port, struct p4l_err *err);
int lab_switch_set_p4info(struct lab_switch *sw, const char *path, struct p4l_err *err);
int lab_add_link(struct lab *lab, const char *a, const char *b, struct lab_link **out,
		 struct p4l_err *err);
/* "100mbit", "1.5gbit", "800kbit", "64000bit": each direction of the link. */
int lab_link_set_rate(struct lab_link *l, const char *rate, struct p4l_err *err);

/* Checks the whole lab (every node of every link exists, no port or interface
 * used twice, every host on a link, no address used twice, gateways inside
 * their subnet) and derives the names in the "Derived" fields.  Idempotent. */
int lab_finalize(struct lab *lab, struct p4l_err *err);

/* Reads a lab file and finalizes it: YAML (lab_yaml.c), or a p4lang/tutorials
 * topology.json when the name ends in .json (lab_tutorials.c).  name_override
 * (may be NULL) replaces the file's `name`; without either the name is the
 * file's base name.  program (may be NULL; topology.json only) is the P4
 * program of the switches whose entry names none, as the tutorials' Makefile
 * gives it. */
int lab_load_file(const char *path, const char *name_override, const char *program,
		  struct lab **out, struct p4l_err *err);
/* The YAML reader on text in memory; path is used in messages and for
 * relative paths. */
int lab_load_string(const char *path, const char *text, size_t len,
		    const char *name_override, struct lab **out, struct p4l_err *err);
/* The topology.json reader on text in memory. */
int lab_load_tutorials(const char *path, const char *text, size_t len,
		       const char *name_override, const char *program, struct lab **out,
		       struct p4l_err *err);

/* For the readers: a lab tied to its file (messages, relative paths), and
 * the common end (name, lab_finalize). */
struct lab *lab_begin_file(const char *path, struct p4l_err *err);
int lab_end_file(struct lab *lab, const char *name_override, struct p4l_err *err);

struct lab_host *lab_find_host(const struct lab *lab, const char *name);
struct lab_switch *lab_find_switch(const struct lab *lab, const char *name);

/* A path given in the lab (program, entries) made absolute against lab->dir;
 * returns a fresh string or NULL when out of memory. */
char *lab_path(const struct lab *lab, const char *path);

/* Parsers shared with the shell and tests. */
int lab_parse_mac(const char *s, uint8_t mac[6]);
int lab_parse_cidr(const char *s, struct in_addr *ip, unsigned *prefix);
int lab_parse_rate(const char *s, uint64_t *bps);
void lab_format_rate(uint64_t bps, char *out, size_t size);
bool lab_valid_name(const char *s);
void lab_format_mac(const uint8_t mac[6], char out[18]);

/* Printers (the shell's `nodes` and `links`). */
void lab_print_nodes(const struct lab *lab, FILE *out);
void lab_print_links(const struct lab *lab, FILE *out);

#endif
