/* stf_int.h - what the STF runner's files share (stf.c parses and runs
 * packets and table commands; stf_state.c runs the state commands). */
#ifndef STF_INT_H
#define STF_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "switch.h"

#define MAX_PORTS 512

enum cmd_kind { C_PACKET, C_EXPECT, C_ADD, C_SETDEFAULT, C_STATE, C_DMETER };

struct cmd {
	enum cmd_kind kind;
	int line;
	unsigned port;
	uint8_t *data, *care;     /* expect: care[i] is a nibble mask per byte */
	size_t len;
	bool exact;               /* trailing $ */
	char *text;               /* add / setdefault: the rest of the line;
				   * C_STATE: the whole line */
};

/* A packet a port emitted, kept until the expectations are checked. */
struct opkt {
	struct opkt *next;
	uint8_t *data;
	int len;
};

/* A multicast node as simple_switch_CLI makes them: a replication id and
 * ports, associated with at most one group. */
struct mc_node {
	uint16_t rid;
	uint32_t *ports;
	size_t n_ports;
	uint32_t group;           /* 0: none */
	uint64_t seq;             /* order of association */
};

struct stf {
	const char *path;
	struct cmd *cmds;
	size_t n, cap;
	struct p4l_err *err;
	FILE *report;
	struct opkt *q[MAX_PORTS];
	size_t last_out;          /* packets the last `packet` made */
	struct mc_node *nodes;
	size_t n_nodes;
	uint64_t seq;
	uint32_t *groups;         /* created multicast groups */
	size_t n_groups;
	struct stf_prof *profs;
	size_t n_profs;
	uint32_t qdepth[MAX_PORTS];   /* set_queue_depth (0: BMv2's 64) */
	double qrate[MAX_PORTS];      /* set_queue_rate (0: unlimited) */
};

/* A value of a key or an argument as written; a range LOW..HIGH has its
 * low bound in v and its high bound in hi. */
struct val {
	uint8_t v[64], m[64], hi[64];
	size_t len, hi_len;
	uint32_t plen;
	bool has_mask, has_plen, has_range;
};

/* "ACTION(ARG:VALUE, ...)" among table's actions: the action index and its
 * arguments (64 at most). */
int stf_parse_action(struct stf *s, struct sw_switch *sw, const struct cmd *c, size_t table,
		     char *p, int *action, struct val *args);

/* An action profile as simple_switch_CLI numbers its members and groups
 * (from 0, in creation order), and the members of each group. */
struct stf_prof {
	char *name;
	size_t table;              /* a table that uses the profile */
	uint32_t members, groups;
	uint32_t **gm;             /* per group: its members */
	size_t *gn;
};

/* Whether the first word (w, kl bytes) names a state command. */
bool stf_state_cmd(const char *w, size_t kl);
/* Runs one; *failed is set when a check does not hold (reported). */
int stf_state_run(struct stf *s, struct sw_switch *sw, const struct cmd *c, int *failed);
void stf_state_free(struct stf *s);

#endif
