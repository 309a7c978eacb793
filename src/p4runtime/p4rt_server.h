/* p4rt_server.h - the P4Runtime server of p4lab-switch (prefix p4rts_).
 *
 * Serves the p4.v1.P4Runtime gRPC service for one device: Capabilities,
 * primary election on StreamChannel (per role, notifications to every
 * client when the primary changes; role configurations in the form of
 * stratum.P4RoleConfig), Set/GetForwardingPipelineConfig (BMv2 JSON as the
 * device config; RECONCILE_AND_COMMIT carries the state over), Write/Read of
 * table entries (exact, lpm, ternary, range, optional; default entries;
 * direct counter and meter data; idle timeouts), action profile members and
 * groups, counters (read), direct counters, meters, direct meters,
 * registers, value sets, multicast groups and clone sessions, digests;
 * PacketIn/PacketOut through the CPU port, IdleTimeoutNotification.
 * Extern entries answer UNIMPLEMENTED with a message.
 *
 * The server owns the switch of the pipeline in force: it creates one per
 * committed pipeline and destroys it when replaced.  The program around it
 * (p4lab-switch, a test) attaches ports through the host hooks.  One thread
 * serves every RPC; the dataplane never waits on it.  Called by
 * src/switch/main.c and by tests. */
#ifndef P4RTS_SERVER_H
#define P4RTS_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "p4/v1/p4runtime.pb-c.h"
#include "switch.h"

/* What the program around the server does with a switch; every hook may be
 * NULL.  They run on the server's thread.  Table writes go to the switch
 * while its dataplane runs (the switch publishes them RCU-style); the
 * server is their only writer. */
struct p4rts_host {
	void *ctx;
	/* A committed pipeline's new switch: add ports, start the dataplane. */
	int (*attach)(void *ctx, struct sw_switch *sw, struct p4l_err *err);
	/* The switch is being replaced or the server stops: stop using it. */
	void (*detach)(void *ctx, struct sw_switch *sw);
};

struct p4rts_config {
	const char *addr;          /* "127.0.0.1:9559"; port 0 picks a free port */
	uint64_t device_id;
	/* The CPU port (0: none): what the pipeline sends there goes to the
	 * primary controller as PacketIn; PacketOut enters the pipeline there.
	 * The server adds it to every switch it creates, as an in-memory port. */
	uint32_t cpu_port;
	struct p4rts_host host;
};

struct p4rts_server;

/* Starts listening and serving (initialises gRPC; never fork after this). */
int p4rts_start(struct p4rts_server **out, const struct p4rts_config *cfg,
		struct p4l_err *err);
/* The TCP port bound (useful with port 0). */
int p4rts_port(const struct p4rts_server *s);
/* Installs a pipeline as a committed SetForwardingPipelineConfig would
 * (for a program given on the command line).  Errors name what disagrees. */
int p4rts_set_pipeline(struct p4rts_server *s, const char *json, size_t json_len,
		       const uint8_t *p4info, size_t p4info_len, struct p4l_err *err);
/* Applies updates to the pipeline in force as a primary's Write with
 * ROLLBACK_ON_ERROR would (all or nothing), so that Read shows them: for a
 * program's entries file given on the command line.  On a failure *failed
 * is the update's index and err its message. */
int p4rts_write(struct p4rts_server *s, P4__V1__Update *const *u, size_t n, size_t *failed,
		struct p4l_err *err);
/* Takes the server's lock and returns the switch in force (NULL when no
 * pipeline is set): no RPC touches it until p4rts_unlock.  For running
 * packets through an in-memory switch from another thread. */
struct sw_switch *p4rts_lock(struct p4rts_server *s);
void p4rts_unlock(struct p4rts_server *s);
/* Ends every RPC, detaches and destroys the switch, frees.  Accepts NULL. */
void p4rts_stop(struct p4rts_server *s);

#endif
