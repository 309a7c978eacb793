/* pre.h - v1model's packet replication engine and digest queue (prefix
 * sw_pre_), internal to src/switch.
 *
 * Multicast groups, clone sessions, egress queues and the digest queue of
 * one switch.  The control plane (one writer at a time) changes them through
 * switch.h (pre.c) while packets run: what exec.c reads is published whole
 * with a release store and never changed after; what it replaces is retired
 * (sw_rcu_retire) and freed once no packet can hold it (packets run inside
 * sw_rcu_read_lock).  The digest queue has its own lock. */
#ifndef SW_PRE_H
#define SW_PRE_H

#include <pthread.h>

#include "plan.h"

struct sw_mcgroup {
	uint32_t id;
	size_t n;
	struct sw_replica r[];
};

/* The groups, sorted by id. */
struct sw_mctab {
	size_t n;
	struct sw_mcgroup *g[];
};

struct sw_session {
	int32_t port;              /* -1: none */
	uint32_t group;            /* 0: none */
};

struct sw_digest_slot {
	uint32_t receiver;
	uint32_t list;             /* index in plan->learns */
	uint32_t len;
	uint8_t data[SW_DIGEST_MAX];
};

/* An egress queue, modelled in virtual time: each packet's dequeue time is
 * computed from the port's rate, not waited for; a packet that finds depth
 * packets not yet dequeued is dropped.  deq[] holds the dequeue times (ns)
 * of the last depth packets, a ring. */
struct sw_queue {
	uint32_t depth;
	double rate;               /* packets per second, 0: unlimited */
	uint64_t *deq;
	uint32_t head;
	uint64_t last_deq;         /* the latest dequeue time given */
	uint64_t drops;
};

struct sw_pre {
	struct sw_queue *queues[SW_DROP_PORT];   /* NULL: no limit */
	struct sw_mctab *mc;       /* NULL: no groups */
	uint64_t *sessions;        /* SW_MAX_SESSIONS words, allocated on first use:
				    * bit 63 configured, port + 1 in bits 32-47,
				    * group in bits 0-31 */
	pthread_mutex_t lock;      /* the digest queue */
	struct sw_digest_slot *q;  /* SW_DIGEST_QUEUE */
	size_t q_head, q_len;
	uint64_t q_dropped;
};

struct sw_pre *sw_pre_new(void);
void sw_pre_free(struct sw_pre *pre);

/* The group with this id, NULL if none (binary search, no allocation). */
const struct sw_mcgroup *sw_pre_group(const struct sw_pre *pre, uint32_t id);
/* The session; false when not configured. */
bool sw_pre_session(const struct sw_pre *pre, uint32_t id, struct sw_session *s);
/* A packet for port at now_ns (exec.c): its dequeue time and the queue's
 * depth when it came (deq_depth: 0, see sw_queue_set), or false when the
 * queue is full. */
bool sw_pre_enqueue(struct sw_pre *pre, uint32_t port, uint64_t now_ns, uint64_t *deq_ns,
		    uint32_t *enq_depth, uint32_t *deq_depth);
/* Queues a digest (dataplane); counts it as dropped when the queue is full. */
void sw_pre_digest_push(struct sw_pre *pre, uint32_t receiver, uint32_t list,
			const uint8_t *data, uint32_t len);

#endif
