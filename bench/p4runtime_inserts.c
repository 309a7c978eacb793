/* p4runtime_inserts.c - table inserts and reads per second over P4Runtime.
 *
 * Starts a P4Runtime server in this process (a switch with no ports) unless
 * --addr names a running one, pushes bench/p4runtime_bench.p4 and inserts
 * entries into its exact table: one update per Write, batches of 100, of
 * 10,000 and one batch of 100,000 (the size the message limits must carry),
 * then with the asynchronous client, many Writes in flight at once;
 * then reads: the whole table in one Read, and one entry per Read.  Client
 * and server share the machine.  Prints one line per figure.
 * Usage: p4runtime_inserts PROGRAM.p4 [--addr HOST:PORT] */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "p4c.h"
#include "p4rt_client.h"
#include "p4rt_server.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t next_ip = 0x0a000001;

/* Inserts total entries in Writes of batch updates; returns inserts/s. */
static double inserts(struct p4rt_client *c, size_t total, size_t batch, struct p4l_err *err)
{
	P4__V1__Update **u = calloc(batch, sizeof(*u));
	double t0 = now(), spent = 0;
	size_t done = 0;
	if (!u)
		return -1;
	while (done < total) {
		size_t n = total - done < batch ? total - done : batch;
		for (size_t i = 0; i < n; i++) {
			char match[64];
			uint32_t ip = next_ip++;
			snprintf(match, sizeof(match), "dst=%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
				 (ip >> 8) & 255, ip & 255);
			if (p4rt_table_update(c, P4__V1__UPDATE__TYPE__INSERT, "hosts", match, 0,
					      "fwd", "port=1,dmac=00:00:00:00:00:01", &u[i], err) < 0)
				goto fail;
		}
		/* building the messages is the client's business: time the Writes */
		double w0 = now();
		int r = p4rt_write(c, u, n, err);
		spent += now() - w0;
		for (size_t i = 0; i < n; i++)
			p4rt_update_free(u[i]);
		if (r < 0)
			goto fail_written;
		done += n;
	}
	free(u);
	(void)t0;
	return (double)total / spent;
fail:
	for (size_t i = 0; i < batch && u[i]; i++)
		p4rt_update_free(u[i]);
fail_written:
	free(u);
	return -1;
}

/* Inserts with up to `window` Writes of `batch` updates in flight at once
 * (p4rt_write_async): the messages are built first, the Writes timed. */
struct flight {
	struct p4rt_client *c;
	P4__V1__Update **u;
	size_t total, batch, next, launched, done;   /* next: updates, the rest Writes */
	int failed;
	struct p4l_err err;
};

static void landed(void *ctx, const struct p4rt_result *res);

static int launch(struct flight *f)
{
	size_t n = f->total - f->next < f->batch ? f->total - f->next : f->batch;
	int r = p4rt_write_async(f->c, f->u + f->next, n,
				 P4__V1__WRITE_REQUEST__ATOMICITY__CONTINUE_ON_ERROR, landed, f,
				 &f->err);
	f->next += n;
	f->launched += r == 0;
	return r;
}

static void landed(void *ctx, const struct p4rt_result *res)
{
	struct flight *f = ctx;
	if (res->r < 0 && !f->failed++)
		f->err = res->err;
	f->done++;
	if (f->next < f->total && launch(f) < 0)
		f->failed++;   /* launch left its message in f->err */
}

static double inserts_async(struct p4rt_client *c, size_t total, size_t batch, size_t window,
			    struct p4l_err *err)
{
	struct flight f = { .c = c, .total = total, .batch = batch };
	double rate = -1;
	if (!(f.u = calloc(total, sizeof(*f.u))))
		return -1;
	for (size_t i = 0; i < total; i++) {
		char match[64];
		uint32_t ip = next_ip++;
		snprintf(match, sizeof(match), "dst=%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
			 (ip >> 8) & 255, ip & 255);
		if (p4rt_table_update(c, P4__V1__UPDATE__TYPE__INSERT, "hosts", match, 0, "fwd",
				      "port=1,dmac=00:00:00:00:00:01", &f.u[i], err) < 0)
			goto out;
	}
	size_t writes = (total + batch - 1) / batch;
	double t0 = now();
	for (size_t w = 0; w < window && f.next < total; w++)
		if (launch(&f) < 0) {
			*err = f.err;
			goto out;
		}
	int idle = 0;
	while ((f.done < f.launched || f.next < total) && idle < 30)
		idle = p4rt_run(c, 1000) ? 0 : idle + 1;
	double t1 = now();
	if (idle) {
		fprintf(stderr, "async: nothing for 30 s: %zu of %zu Writes done, %zu started, "
			"%zu in flight, %d failed (%s)\n", f.done, writes, f.launched,
			p4rt_in_flight(c), f.failed, f.err.msg);
		goto out;
	}
	if (f.failed || f.done != writes) {
		*err = f.err;
		goto out;
	}
	rate = (double)total / (t1 - t0);
out:
	for (size_t i = 0; i < total; i++)
		p4rt_update_free(f.u[i]);
	free(f.u);
	return rate;
}

static int count(void *ctx, const P4__V1__Entity *e)
{
	(void)e;
	(*(size_t *)ctx)++;
	return 0;
}

int main(int argc, char **argv)
{
	const char *addr = NULL;
	char own[64];
	struct p4c_output prog = { 0 };
	struct p4l_err err = { 0 };
	struct p4rts_server *srv = NULL;
	struct p4rt_client *c = NULL;
	int rc = 1;
	if (argc < 2) {
		fprintf(stderr, "usage: p4runtime_inserts PROGRAM.p4 [--addr HOST:PORT]\n");
		return 2;
	}
	if (argc == 4 && !strcmp(argv[2], "--addr"))
		addr = argv[3];
	if (p4c_compile_file(argv[1], NULL, &prog, stderr) < 0)
		return 1;
	if (!addr) {
		struct p4rts_config cfg = { .addr = "127.0.0.1:0", .device_id = 0 };
		if (p4rts_start(&srv, &cfg, &err) < 0)
			goto out;
		snprintf(own, sizeof(own), "127.0.0.1:%d", p4rts_port(srv));
		addr = own;
	}
	if (p4rt_connect(&c, addr, 0, &err) < 0 || p4rt_arbitrate(c, 0, 1, NULL, &err) < 0 ||
	    p4rt_set_pipeline(c, prog.bmv2_json, prog.bmv2_json_len, prog.p4info_bin,
			      prog.p4info_bin_len, 1, &err) < 0)
		goto out;
	static const struct { size_t total, batch; } runs[] = {
		{ 2000, 1 }, { 20000, 100 }, { 100000, 10000 }, { 100000, 100000 },
	};
	size_t entries = 0;
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		double r = inserts(c, runs[i].total, runs[i].batch, &err);
		if (r < 0)
			goto out;
		entries += runs[i].total;
		printf("inserts, %6zu update(s) per Write: %9.0f entries/s (%zu entries)\n",
		       runs[i].batch, r, runs[i].total);
	}
	/* the whole table in one Read */
	P4__V1__Entity e, *ep = &e;
	P4__V1__TableEntry te;
	p4__v1__entity__init(&e);
	p4__v1__table_entry__init(&te);
	e.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e.table_entry = &te;
	const P4__Config__V1__P4Info *info = p4rt_p4info(c);
	te.table_id = info->tables[0]->preamble->id;
	size_t got = 0;
	double t0 = now();
	if (p4rt_read(c, &ep, 1, count, &got, &err) < 0)
		goto out;
	double t1 = now();
	printf("read of the whole table:            %9.0f entries/s (%zu entries, %.3f s)\n",
	       (double)got / (t1 - t0), got, t1 - t0);
	if (got != entries)
		fprintf(stderr, "read %zu entries, %zu written\n", got, entries);
	/* one entry per Read */
	int n = 2000;
	t0 = now();
	for (int i = 0; i < n; i++) {
		char match[64];
		uint32_t ip = 0x0a000001 + (uint32_t)i;
		P4__V1__Update *u;
		snprintf(match, sizeof(match), "dst=%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
			 (ip >> 8) & 255, ip & 255);
		if (p4rt_table_update(c, P4__V1__UPDATE__TYPE__INSERT, "hosts", match, 0, NULL,
				      NULL, &u, &err) < 0)
			goto out;
		size_t one = 0;
		P4__V1__Entity *q = u->entity;
		int r = p4rt_read(c, &q, 1, count, &one, &err);
		p4rt_update_free(u);
		if (r < 0 || one != 1) {
			fprintf(stderr, "read of one entry: %d entries\n", (int)one);
			goto out;
		}
	}
	t1 = now();
	printf("reads of one entry per Read:        %9.0f reads/s (%d reads)\n",
	       n / (t1 - t0), n);
	/* the asynchronous client, many Writes in flight, into an empty table */
	if (p4rt_set_pipeline(c, prog.bmv2_json, prog.bmv2_json_len, prog.p4info_bin,
			      prog.p4info_bin_len, 2, &err) < 0)
		goto out;
	static const struct { size_t total, batch, window; } aruns[] = {
		{ 20000, 1, 16 }, { 20000, 1, 128 }, { 100000, 100, 16 },
	};
	for (size_t i = 0; i < sizeof(aruns) / sizeof(aruns[0]); i++) {
		double r = inserts_async(c, aruns[i].total, aruns[i].batch, aruns[i].window, &err);
		if (r < 0)
			goto out;
		printf("inserts, %6zu update(s) per Write, %3zu Writes in flight: %9.0f entries/s "
		       "(%zu entries)\n", aruns[i].batch, aruns[i].window, r, aruns[i].total);
	}
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "p4runtime_inserts: %s\n", err.msg);
	p4rt_close(c);
	p4rts_stop(srv);
	p4c_output_free(&prog);
	return rc;
}
