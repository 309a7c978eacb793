/* p4rt_peer.c - an outside controller for the lab tests (p4rt_lab.sh): connects
 * to a lab switch's reported P4Runtime address with the C client library,
 * becomes primary of the default role (the lab's own client must not block
 * it), reads the pipeline the lab pushed, adds one table entry and counts
 * the table's entries.
 *
 *   p4rt-peer ADDR DEVICE_ID TABLE MATCH ACTION PARAMS
 *
 * Prints "peer: primary, N entries in TABLE" and exits 0, or the error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p4rt_client.h"

static int count(void *ctx, const P4__V1__Entity *e)
{
	(void)e;
	(*(int *)ctx)++;
	return 0;
}

int main(int argc, char **argv)
{
	struct p4l_err err = { 0 };
	struct p4rt_client *c = NULL;
	int n = 0, r;
	if (argc != 7) {
		fprintf(stderr, "usage: p4rt-peer ADDR DEVICE_ID TABLE MATCH ACTION PARAMS\n");
		return 2;
	}
	if ((r = p4rt_connect(&c, argv[1], strtoull(argv[2], NULL, 10), &err)) < 0 ||
	    (r = p4rt_arbitrate(c, 0, 10, NULL, &err)) < 0)
		goto out;
	if (r == 0) {
		snprintf(err.msg, sizeof(err.msg), "not primary of the default role");
		r = -1;
		goto out;
	}
	if ((r = p4rt_fetch_pipeline(c, NULL, &err)) < 0 ||
	    (r = p4rt_table_add(c, argv[3], argv[4], argv[5], argv[6], &err)) < 0)
		goto out;
	const P4__Config__V1__P4Info *info = p4rt_p4info(c);
	uint32_t id = 0;
	for (size_t i = 0; i < info->n_tables; i++) {
		const char *tn = info->tables[i]->preamble->name;
		size_t l = strlen(tn), k = strlen(argv[3]);
		if (!strcmp(tn, argv[3]) || (l > k && tn[l - k - 1] == '.' && !strcmp(tn + l - k, argv[3])))
			id = info->tables[i]->preamble->id;
	}
	P4__V1__Entity e, *ep = &e;
	P4__V1__TableEntry te;
	p4__v1__entity__init(&e);
	p4__v1__table_entry__init(&te);
	te.table_id = id;
	e.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e.table_entry = &te;
	if ((r = p4rt_read(c, &ep, 1, count, &n, &err)) < 0)
		goto out;
	printf("peer: primary, %d entries in %s\n", n, argv[3]);
out:
	if (r < 0)
		fprintf(stderr, "p4rt-peer: %s\n", err.msg);
	p4rt_close(c);
	return r < 0;
}
