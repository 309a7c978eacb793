/* labrt_p4rt.c - a lab's switches programmed over P4Runtime (labrt.h).
 *
 * A switch with a P4Info is started with --no-p4 and a gRPC server on
 * 127.0.0.1 (its grpc_port, or a port the kernel picks and the switch reports
 * on its ready fd).  Once every switch is ready, labrt_p4rt_push_start has a
 * few threads connect to each, push its pipeline (SetForwardingPipelineConfig
 * VERIFY_AND_COMMIT: BMv2 JSON + P4Info) and write its entries file in one
 * Write, while the starter waits for the links; labrt_p4rt_push_wait joins
 * them.  The clients stay open for the shell.
 *
 * Arbitration: the lab's clients are primary of their own role, "p4lab",
 * with election id 1.  The server keeps one primary per role, so a
 * controller in the default role (p4runtime-shell, ONOS, any election id)
 * is never blocked by the lab, and the lab's shell keeps writing beside it.
 * Called by labrt.c (start, stop) and labsh_p4rt.c. */
#include "labrt.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "p4rt_client.h"

#define PUSH_THREADS_MAX 16

/* Where an error about switch i starts. */
static void where(const struct labrt *rt, size_t i, char *buf, size_t size)
{
	const struct lab_switch *sw = rt->lab->switches[i];
	if (rt->lab->file && sw->line)
		snprintf(buf, size, "%s:%d: switch '%s'", rt->lab->file, sw->line, sw->name);
	else
		snprintf(buf, size, "switch '%s'", sw->name);
}

int labrt_p4rt_connect(struct labrt *rt, size_t i, struct p4rt_client **out,
		       const char *role, uint64_t election_id, struct p4l_err *err)
{
	const struct labrt_switch *s = &rt->sw[i];
	struct p4rt_client *c = NULL;
	int r;
	if (!s->grpc_addr[0])
		return p4l_errf(err, -ENOTSUP, "switch '%s' does not serve P4Runtime (its program "
				"has no P4Info)", rt->lab->switches[i]->name);
	if ((r = p4rt_connect(&c, s->grpc_addr, rt->lab->switches[i]->device_id, err)) < 0 ||
	    (r = p4rt_arbitrate(c, 0, election_id, role, err)) < 0)
		goto fail;
	if (r == 0) {
		r = p4l_errf(err, -EBUSY, "another client of role '%s' is primary with a higher "
			     "election id than %llu", role ? role : "(default)",
			     (unsigned long long)election_id);
		goto fail;
	}
	*out = c;
	return 0;
fail:
	p4rt_close(c);
	return r;
}

/* Connects to switch i, pushes its pipeline and entries. */
static int push_one(struct labrt *rt, size_t i, struct p4l_err *err)
{
	struct labrt_switch *s = &rt->sw[i];
	const struct lab_switch *sw = rt->lab->switches[i];
	char at[1200];
	int r;

	where(rt, i, at, sizeof(at));
	if ((r = labrt_p4rt_connect(rt, i, &s->client, LABRT_P4RT_ROLE, 1, err)) < 0)
		goto out;
	if ((r = p4rt_set_pipeline_files(s->client, s->json, s->p4info, err)) < 0)
		goto out;
	if (sw->entries) {
		char *e = lab_path(rt->lab, sw->entries);
		r = e ? p4rt_load_entries(s->client, e, err)
		      : p4l_errf(err, -ENOMEM, "out of memory");
		free(e);
	}
out:
	if (r < 0)
		p4l_err_prefix(err, "%s (P4Runtime %s)", at, s->grpc_addr);
	return r;
}

struct push {
	struct labrt *rt;
	atomic_size_t next;
	pthread_mutex_t lock;
	int rc;                 /* the first failure, under lock */
	struct p4l_err err;
};

static void *push_worker(void *arg)
{
	struct push *p = arg;
	size_t n = p->rt->lab->n_switches, i;
	while ((i = atomic_fetch_add(&p->next, 1)) < n) {
		struct p4l_err e = { 0 };
		if (!p->rt->sw[i].p4info)
			continue;
		int r = push_one(p->rt, i, &e);
		pthread_mutex_lock(&p->lock);
		if (r < 0 && p->rc == 0) {
			p->rc = r;
			p->err = e;
		}
		bool stop = p->rc < 0;
		pthread_mutex_unlock(&p->lock);
		if (stop)
			break;
	}
	return NULL;
}

struct labrt_push {
	struct push p;
	pthread_t th[PUSH_THREADS_MAX];
	size_t started;
};

int labrt_p4rt_push_start(struct labrt *rt, struct labrt_push **out, struct p4l_err *err)
{
	size_t n = 0;
	*out = NULL;
	for (size_t i = 0; i < rt->lab->n_switches; i++)
		n += rt->sw[i].p4info != NULL;
	if (!n)
		return 0;
	struct labrt_push *j = calloc(1, sizeof(*j));
	if (!j)
		return p4l_errf(err, -ENOMEM, "out of memory");
	j->p.rt = rt;
	atomic_init(&j->p.next, 0);
	pthread_mutex_init(&j->p.lock, NULL);
	for (size_t t = 0; t < n && t < PUSH_THREADS_MAX; t++)
		if (pthread_create(&j->th[j->started], NULL, push_worker, &j->p) == 0)
			j->started++;
	*out = j;
	return 0;
}

int labrt_p4rt_push_wait(struct labrt_push *j, struct p4l_err *err)
{
	if (!j)
		return 0;
	/* This thread finishes what no thread could be started for. */
	if (!j->started)
		push_worker(&j->p);
	for (size_t t = 0; t < j->started; t++)
		pthread_join(j->th[t], NULL);
	pthread_mutex_destroy(&j->p.lock);
	int rc = j->p.rc;
	if (rc < 0 && err)
		*err = j->p.err;
	free(j);
	return rc;
}

void labrt_p4rt_close(struct labrt *rt)
{
	for (size_t i = 0; i < rt->lab->n_switches; i++) {
		p4rt_close(rt->sw[i].client);
		rt->sw[i].client = NULL;
	}
}

