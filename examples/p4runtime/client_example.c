/* client_example.c - a short controller written against p4lab's P4Runtime
 * client library (src/client/p4rt_client.h), shown in docs/p4runtime.md.
 *
 * Becomes primary of a switch started with --no-p4, pushes wire.p4's
 * pipeline, writes the two `wires` entries in one batch, shows a failed
 * update's status, reads the table back and a counter cell.
 * Usage: client_example HOST:PORT WIRE.json WIRE.p4info.txtpb */
#include <errno.h>
#include <stdio.h>

#include "p4rt_client.h"

/* Read callback: one call per entity the server returns. */
static int count_entry(void *ctx, const P4__V1__Entity *e)
{
	const P4__V1__TableEntry *te = e->table_entry;
	if (te && te->n_match == 1)
		printf("  entry: port %u -> action %u\n", te->match[0]->exact->value.data[0],
		       te->action->action->action_id);
	++*(int *)ctx;
	return 0;
}

int main(int argc, char **argv)
{
	struct p4rt_client *c = NULL;
	struct p4l_err err = { 0 };
	P4__V1__Update *u[2] = { NULL, NULL };
	int r, n = 0;
	if (argc != 4) {
		fprintf(stderr, "usage: client_example HOST:PORT WIRE.json WIRE.p4info.txtpb\n");
		return 2;
	}
	if ((r = p4rt_connect(&c, argv[1], 0, &err)) < 0 ||
	    (r = p4rt_arbitrate(c, 0, 1, NULL, &err)) < 0)
		goto fail;
	printf("primary: %s\n", r == 1 ? "yes" : "no");
	if ((r = p4rt_set_pipeline_files(c, argv[2], argv[3], &err)) < 0)
		goto fail;

	/* Two inserts in one WriteRequest (CONTINUE_ON_ERROR). */
	if ((r = p4rt_table_update(c, P4__V1__UPDATE__TYPE__INSERT, "wires",
				   "std_meta.ingress_port=1", 0, "forward", "port=2",
				   &u[0], &err)) < 0 ||
	    (r = p4rt_table_update(c, P4__V1__UPDATE__TYPE__INSERT, "wires",
				   "ingress_port=2", 0, "forward", "port=1", &u[1], &err)) < 0 ||
	    (r = p4rt_write(c, u, 2, &err)) < 0)
		goto fail;
	printf("batch of 2 written\n");

	/* The same batch again: both fail; each update's status is kept. */
	r = p4rt_write(c, u, 2, &err);
	printf("again: %d (%s)\n", r, err.msg);
	if (r == -EIO) {
		size_t nu;
		const struct p4rt_update_error *ue = p4rt_update_errors(c, &nu);
		for (size_t i = 0; i < nu; i++)
			printf("  update %zu: %s: %s\n", i, p4rt_code_name(ue[i].code), ue[i].msg);
	}

	/* Read every entry of every table (table_id 0). */
	P4__V1__TableEntry te = P4__V1__TABLE_ENTRY__INIT;
	P4__V1__Entity ent = P4__V1__ENTITY__INIT;
	P4__V1__Entity *q[1] = { &ent };
	ent.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	ent.table_entry = &te;
	if ((r = p4rt_read(c, q, 1, count_entry, &n, &err)) < 0)
		goto fail;
	printf("read %d entries\n", n);

	uint64_t packets, bytes;
	if ((r = p4rt_counter_read(c, "rx", 1, &packets, &bytes, &err)) < 0)
		goto fail;
	printf("rx[1]: %llu packets, %llu bytes\n", (unsigned long long)packets,
	       (unsigned long long)bytes);
	r = 0;
	goto out;
fail:
	fprintf(stderr, "client_example: %s\n", err.msg);
out:
	p4rt_update_free(u[0]);
	p4rt_update_free(u[1]);
	p4rt_close(c);
	return r < 0 ? 1 : 0;
}
